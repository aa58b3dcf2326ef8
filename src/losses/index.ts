/**
 * Losses on matrix space (one interface: value, gradient, Hessian action; `lossHessian` for dense Hessians).
 * @module
 */
export * from "./loss";
export * from "./base";
export * from "./square";
export * from "./crossEntropy";
export * from "./robust";
export * from "./custom";
export * from "./dataComposed";
