/**
 * One run of a survey, as a record: the type {@link survey} returns in its result and its workers send back (by way
 * of the columns of `./runColumns`). Its own module so that both the survey and the wire form use it without
 * importing each other. Serves the surveys of A1, T4, T6.
 * @module
 */
import type { OptimizeResult } from "../optim/optimizer";

/**
 * How a survey run ended:
 * - `"converged"`: the optimiser met its tolerance (the only runs that enter {@link SurveyResult.clusters});
 * - `"notConverged"`: it stopped for another reason (budget, line search, stall, ...), see `reason`;
 * - `"nonSmooth"`: it reached a non-smooth point (a ReLU kink) where the gradient is undefined;
 * - `"diverged"`: the loss or the parameters diverged (`"nonFinite"`, or `"noMinimiser"`: a loss without minimiser).
 */
export type SurveyRunStatus = "converged" | "notConverged" | "nonSmooth" | "diverged";

/** One run of a survey. */
export interface SurveyRun {
  /** Run index `i` (0-based). */
  run: number;
  /** Seed of the start: `seed + i`. */
  seed: number;
  /** Final `L(x)`. */
  value: number;
  /** Final `||grad L(x)||` (at a non-smooth endpoint: the norm of the last gradient computed before the kink). */
  gradNorm: number;
  /** Numerical rank of `mu(theta)` (threshold `rankTol * sigma_max + rankAbsTol`), or `-1` when `x` is not finite. */
  rank: number;
  /** Optimiser iterations. */
  iterations: number;
  /** Evaluations of `L` / `grad L`. */
  evaluations: number;
  /** Whether the optimiser met its tolerance (at a smooth point of a loss with a minimiser). */
  converged: boolean;
  /** How the run ended (see {@link SurveyRunStatus}). */
  status: SurveyRunStatus;
  /** Why the optimiser stopped (`"nonSmooth"` at a kink). */
  reason: OptimizeResult["reason"];
  /** At a non-smooth endpoint: the error message naming the kink. */
  detail?: string;
  /** Verdict from `classify`, when given (`"error: ..."` if it threw). */
  verdict?: string;
  /** Final point (when `keepPoints`). */
  x?: Float64Array;
  /** Wall time of the run (ms; for runs computed together in a batch: the batch's wall time divided by its runs). */
  ms: number;
}
