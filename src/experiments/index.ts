/**
 * Experiments: seeded multi-start surveys of a landscape (any optimiser of `optim`, or the critical-point
 * finder) with clustering of final values, verdicts from `critical`, live progress, worker threads and
 * interrupts, and serialisable problem descriptions. This room sits above `critical`.
 * @module
 */
export * from "./cluster";
export * from "./problem";
export { lastSurvey, survey, SurveyProgress, SurveyResult, surveyWorkerPath } from "./survey";
export type { SurveyClassifier, SurveyCluster, SurveyMethod, SurveyOptions, SurveyRun } from "./survey";
export * from "./towerSurvey";
