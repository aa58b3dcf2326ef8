/**
 * Common options, stopping rules and results of the optimisers on `theta` (GD, momentum, Adam, L-BFGS) and of
 * the critical-point finder. Every optimiser works on the flat vector `x = pack(theta)` with preallocated
 * buffers, and returns an {@link OptimizeResult} saying whether it converged and why it stopped.
 * @module
 */
import type { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { checkOptions } from "../core/options";
import { hasMinimiser } from "../losses/base";
import { FlatObjective, isLandscapeLike, norm2 } from "./objective";

/**
 * Why an optimiser stopped.
 * - `"gradTol"`: `||grad L(x)|| <= gradTol` (converged);
 * - `"valueTol"`: `|L(x_{k-1}) - L(x_k)| <= valueTol * max(1, |L(x_k)|)` (converged);
 * - `"maxIter"`: the iteration budget ran out;
 * - `"maxEvaluations"`: the budget of function/gradient evaluations ran out;
 * - `"lineSearchFailed"`: no step satisfied the line-search conditions (often: at the limit of floating point);
 * - `"stalled"`: the method cannot make progress (finder: a stationary point of `||grad L||^2` that is not
 *   critical, or damping above its bound);
 * - `"nonFinite"`: a value or gradient became NaN/Infinity (divergence: lower the step);
 * - `"noMinimiser"`: a landscape whose loss has no minimiser (`hasMinimiser(loss).exists === false`, e.g. logistic
 *   loss on separable data) met `gradTol`/`valueTol`: the gradient vanishes only as `||theta|| -> infinity`, so the
 *   endpoint is where the tolerance cut a diverging run, not a minimum (not converged, `diverged: true`);
 * - `"nonSmooth"`: the run reached a non-smooth point (a ReLU kink) where the gradient is undefined (surveys);
 * - `"callback"`: the callback returned `true`;
 * - `"aborted"`: the `AbortSignal` fired.
 */
export type StopReason =
  | "gradTol"
  | "valueTol"
  | "maxIter"
  | "maxEvaluations"
  | "lineSearchFailed"
  | "stalled"
  | "nonFinite"
  | "noMinimiser"
  | "nonSmooth"
  | "callback"
  | "aborted";

/** What a callback sees after every iteration (`x` is the live buffer: copy it to keep it). */
export interface IterationInfo {
  /** Iteration number (1-based: the number of updates made so far). */
  iteration: number;
  /** `L(x)` at the current iterate. */
  value: number;
  /** `||grad L(x)||`. */
  gradNorm: number;
  /** Step length used by the last update (learning rate or line-search step). */
  step: number;
  /** The current iterate (live; do not modify). */
  x: Float64Array;
}

/** Options shared by every optimiser. */
export interface OptimizerOptions {
  /** Maximum number of updates. Default: 10000 (GD, momentum, Adam), 2000 (L-BFGS). */
  maxIter?: number;
  /** Stop when `||grad L(x)|| <= gradTol` (absolute). Default `1e-8`. */
  gradTol?: number;
  /** Stop when `|L(x_{k-1}) - L(x_k)| <= valueTol * max(1, |L(x_k)|)`. Default `0` (off). */
  valueTol?: number;
  /** Maximum number of evaluations of `L` (value and gradient together count as one). Default `Infinity`. */
  maxEvaluations?: number;
  /** Called after each iteration; return `true` to stop (reason `"callback"`). */
  callback?: (info: IterationInfo) => boolean | void;
  /** Stops the run (reason `"aborted"`), checked once per iteration. */
  signal?: AbortSignal;
  /** Keep the history of `(value, gradNorm)` per iteration in the result. Default `false`. */
  record?: boolean;
}

/** The outcome of an optimiser or finder run. */
export interface OptimizeResult {
  /** `"gd"`, `"gd-armijo"`, `"momentum"`, `"nesterov"`, `"adam"`, `"lbfgs"`, `"lm"`, `"newton-mr"`. */
  method: string;
  /** Final iterate (a fresh array). */
  x: Float64Array;
  /** Final iterate as parameter blocks `[W_1, ..., W_h]` when the objective is a landscape and `x` is finite, else `null`. */
  theta: Matrix[] | null;
  /** `L(x)`. */
  value: number;
  /** `||grad L(x)||`. */
  gradNorm: number;
  /** Number of updates made. */
  iterations: number;
  /** Number of evaluations of `L` / `grad L` (pairs count once; Hessian-vector products not included). */
  evaluations: number;
  /** True when the reason is `"gradTol"` or `"valueTol"`. */
  converged: boolean;
  /**
   * True when the loss or the parameters diverged: reason `"nonFinite"`, or a minimising run on a landscape whose loss
   * has no minimiser (reason `"noMinimiser"` when it met its tolerance, else its budget reason).
   */
  diverged: boolean;
  /** Why the run stopped. */
  reason: StopReason;
  /** One-line human-readable summary. */
  message: string;
  /** `(value, gradNorm)` per iteration when `record: true`. */
  history?: Array<{ value: number; gradNorm: number }>;
}

/** Resolved common options. @internal */
export interface ResolvedOptions {
  maxIter: number;
  gradTol: number;
  valueTol: number;
  maxEvaluations: number;
  callback?: (info: IterationInfo) => boolean | void;
  signal?: AbortSignal;
  record: boolean;
}

/** Checks a numeric option. @internal */
export function numOption(fn: string, name: string, v: unknown, def: number, min: number, opts: { integer?: boolean; strictMin?: boolean; allowInfinity?: boolean } = {}): number {
  if (v === undefined) return def;
  const ok =
    typeof v === "number" && !Number.isNaN(v) && (Number.isFinite(v) || (opts.allowInfinity && v === Infinity)) &&
    (opts.strictMin ? v > min : v >= min) && (!opts.integer || Number.isInteger(v) || v === Infinity);
  if (!ok) {
    throw new DomainError(fn, `${name} must be ${opts.integer ? "an integer" : "a number"} ${opts.strictMin ? ">" : ">="} ${min}; got ${describe(v)}`);
  }
  return v as number;
}

/** The keys of {@link OptimizerOptions}, shared by every optimiser (each adds its own). */
export const OPTIMIZER_OPTION_KEYS: readonly string[] = ["maxIter", "gradTol", "valueTol", "maxEvaluations", "callback", "signal", "record"];

/**
 * Checks an `AbortSignal`-like option (`aborted` flag and `addEventListener`).
 * @throws DomainError unless `signal` is undefined or an AbortSignal.
 */
export function checkSignal(fn: string, signal: unknown, name = "signal"): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  const s = signal as Partial<AbortSignal> | null;
  if (!s || typeof s !== "object" || typeof s.aborted !== "boolean" || typeof s.addEventListener !== "function" || typeof s.removeEventListener !== "function") {
    throw new DomainError(fn, `${name} must be an AbortSignal (new AbortController().signal); got ${describe(signal)}`);
  }
  return signal as AbortSignal;
}

/**
 * Validates and fills the common options; refuses keys outside {@link OPTIMIZER_OPTION_KEYS} and `ownKeys`.
 * @internal
 */
export function resolveCommon(fn: string, o: OptimizerOptions | undefined, defMaxIter: number, ownKeys: readonly string[] = []): ResolvedOptions {
  const opts = checkOptions(fn, o, [...OPTIMIZER_OPTION_KEYS, ...ownKeys]);
  if (opts.callback !== undefined && typeof opts.callback !== "function") throw new DomainError(fn, `callback must be a function; got ${describe(opts.callback)}`);
  checkSignal(fn, opts.signal);
  return {
    maxIter: numOption(fn, "maxIter", opts.maxIter, defMaxIter, 0, { integer: true, allowInfinity: true }),
    gradTol: numOption(fn, "gradTol", opts.gradTol, 1e-8, 0),
    valueTol: numOption(fn, "valueTol", opts.valueTol, 0, 0),
    maxEvaluations: numOption(fn, "maxEvaluations", opts.maxEvaluations, Infinity, 1, { integer: true, allowInfinity: true }),
    callback: opts.callback,
    signal: opts.signal,
    record: opts.record === true,
  };
}

/**
 * Per-iteration bookkeeping shared by the optimisers: stopping tests, callback, history.
 * @internal
 */
export class Monitor {
  iterations = 0;
  evaluations = 0;
  history: Array<{ value: number; gradNorm: number }> | undefined;
  private prevValue = NaN;
  constructor(readonly opts: ResolvedOptions) {
    if (opts.record) this.history = [];
  }
  /**
   * Checks the stopping rules at the current iterate (before the next update). Returns the reason to stop,
   * or `null` to continue.
   */
  check(value: number, gradNorm: number, x: Float64Array, step: number): StopReason | null {
    if (this.history) this.history.push({ value, gradNorm });
    if (!Number.isFinite(value) || !Number.isFinite(gradNorm)) return "nonFinite";
    if (gradNorm <= this.opts.gradTol) return "gradTol";
    if (this.iterations > 0 && this.opts.valueTol > 0 && Math.abs(this.prevValue - value) <= this.opts.valueTol * Math.max(1, Math.abs(value))) return "valueTol";
    this.prevValue = value;
    if (this.iterations > 0 && this.opts.callback) {
      if (this.opts.callback({ iteration: this.iterations, value, gradNorm, step, x }) === true) return "callback";
    }
    if (this.opts.signal?.aborted) return "aborted";
    if (this.iterations >= this.opts.maxIter) return "maxIter";
    if (this.evaluations >= this.opts.maxEvaluations) return "maxEvaluations";
    return null;
  }
}

/** Methods of the critical-point finder: their endpoints may be saddles, so `"noMinimiser"` does not apply. */
const FINDERS: readonly string[] = ["lm", "newton-mr"];

/** Builds the result object (flags runs on a loss without minimiser, see `"noMinimiser"`). @internal */
export function finish(method: string, f: FlatObjective, x: Float64Array, value: number, gradNorm: number, mon: Monitor, reason: StopReason): OptimizeResult {
  const xs = Float64Array.from(x);
  let theta: Matrix[] | null = null;
  if (isLandscapeLike(f)) {
    try {
      theta = f.unpack(xs);
    } catch {
      theta = null;
    }
  }
  let converged = reason === "gradTol" || reason === "valueTol";
  let note = "";
  let runaway = false;
  if (!FINDERS.includes(method) && reason !== "aborted" && reason !== "callback" && isLandscapeLike(f) && f.loss) {
    const rep = hasMinimiser(f.loss);
    if (rep.exists === false) {
      // a minimiser run on a loss without minimiser: the iterates run off to infinity; a small gradient is an asymptote
      runaway = true;
      if (converged) reason = "noMinimiser";
      converged = false;
      note = `; the loss has no minimiser (${rep.reason}): the parameters diverge (||x|| = ${norm2(xs)} here), this is not a minimum`;
    }
  }
  const diverged = reason === "nonFinite" || runaway;
  const message = `${method}: ${converged ? "converged" : "stopped"} (${reason}) after ${mon.iterations} iterations, ${mon.evaluations} evaluations; L = ${value}, |grad L| = ${gradNorm}${note}`;
  const out: OptimizeResult = { method, x: xs, theta, value, gradNorm, iterations: mon.iterations, evaluations: mon.evaluations, converged, diverged, reason, message };
  if (mon.history) out.history = mon.history;
  return out;
}
