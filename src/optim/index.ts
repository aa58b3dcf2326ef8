/**
 * Optimisers on flat objectives: gradient descent, momentum, Adam, L-BFGS with a strong-Wolfe line search,
 * MINRES, and the critical-point finder that also converges to saddles. They need nothing above `core`
 * (a landscape is one kind of flat objective), so they sit below `landscape` and `critical`.
 * @module
 */
export { assertObjective, isLandscapeLike, toFlat } from "./objective";
export type { FlatObjective, LandscapeLike, StartPoint } from "./objective";
export type { IterationInfo, OptimizeResult, OptimizerOptions, StopReason } from "./optimizer";
export * from "./lineSearch";
export * from "./gd";
export * from "./momentum";
export * from "./adam";
export * from "./lbfgs";
export * from "./minimize";
export * from "./minres";
export * from "./finder";
export * from "./convexOptimum";
export * from "./weightedLowRank";
