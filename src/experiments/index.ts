/**
 * Experiments: optimisers on `theta` (GD, momentum, Adam, L-BFGS), the critical-point finder that also
 * converges to saddles, seeded multi-start surveys with clustering, progress and workers.
 * @module
 */
export * from "./objective";
export * from "./optimizer";
export * from "./lineSearch";
export * from "./gd";
export * from "./momentum";
export * from "./adam";
export * from "./lbfgs";
export * from "./minimize";
export * from "./minres";
export * from "./finder";
export * from "./cluster";
export * from "./problem";
export * from "./survey";
