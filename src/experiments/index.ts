/**
 * Experiments: optimisers on `theta` (GD, momentum, Adam, L-BFGS), the critical-point finder that also
 * converges to saddles, seeded multi-start surveys with clustering, live progress, worker threads and
 * interrupts, and serialisable problem descriptions.
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
export * from "./cluster";
export * from "./problem";
export { lastSurvey, survey, SurveyProgress, SurveyResult, surveyWorkerPath } from "./survey";
export type { SurveyClassifier, SurveyCluster, SurveyMethod, SurveyOptions, SurveyRun } from "./survey";
