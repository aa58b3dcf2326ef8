/**
 * Typed errors of linear-landscapes.
 *
 * Every message has the form `fn: what must hold; got value` (after Observable Plot), and names the
 * argument and, for shapes, the expected and actual dimensions, e.g.
 * `mu: theta[1] must be 4×3 (widths[2]×widths[1]); got 4×5`.
 *
 * - {@link ShapeError}: a matrix or array has the wrong dimensions.
 * - {@link DomainError}: a value is out of its domain (non-finite entry, width not a positive integer,
 *   negative tolerance, unknown option).
 * - {@link DegenerateError}: the input is one of the degenerate cases a theorem excludes (repeated singular
 *   values, rank-deficient data, a loss without minimiser, ...). It is thrown only where continuing would give
 *   a silently wrong answer; functions that can report degeneracy as data do so instead.
 * - {@link AssumptionError}: a theorem's hypothesis fails (a non-convex or non-smooth loss passed where
 *   convexity or smoothness is required).
 * - {@link ClaimError}: a claim cell's prediction and measurement differ (see `claim`).
 *
 * All of them extend {@link LandscapeError}, so `catch (e) { if (e instanceof LandscapeError) ... }` catches
 * everything the library throws on purpose.
 * @module
 */

/** Base class of every error the library throws on purpose. */
export class LandscapeError extends Error {
  /** The public function that rejected its input, e.g. `"mu"`. */
  readonly fn: string;
  constructor(fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.fn = fn;
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A matrix, vector or list has the wrong dimensions. */
export class ShapeError extends LandscapeError {}

/** A value is outside its domain: non-finite, not a positive integer, negative tolerance, unknown option. */
export class DomainError extends LandscapeError {}

/**
 * An options object has a key the function does not know (a misspelling such as `maxiter` for `maxIter`).
 * The message names the unknown key, the nearest valid one, and every valid option.
 */
export class UnknownOptionError extends DomainError {
  /** The unknown key. */
  readonly option: string;
  /** The nearest valid key (edit distance), or `undefined` when none is close. */
  readonly suggestion: string | undefined;
  /** The keys the function accepts. */
  readonly validOptions: readonly string[];
  /**
   * @param fn - the public function. @param option - the unknown key. @param suggestion - nearest valid key.
   * @param valid - all valid keys. @param path - where the options object sits, e.g. `"options.optimizerOptions"`.
   */
  constructor(fn: string, option: string, suggestion: string | undefined, valid: readonly string[], path = "options") {
    const hint = suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : "";
    super(fn, `${path} must use only the keys ${valid.map((k) => `"${k}"`).join(", ") || "(none)"}; got unknown option "${option}"${hint}`);
    this.option = option;
    this.suggestion = suggestion;
    this.validOptions = valid;
  }
}

/**
 * A computation from finite inputs overflowed (a result would be ±Infinity or NaN): the library reports it instead
 * of returning a silent Infinity. Rescale the inputs (or use a scaled form where one exists).
 */
export class OverflowError extends DomainError {}

/**
 * Work or memory above a documented limit: a dense Hessian, Jacobian, grid or enumeration too large to
 * build. The message gives the estimate, the limit, how to raise it, and the matrix-free alternative.
 */
export class ResourceError extends DomainError {
  /** Estimated size (entries, bytes or evaluations, see `unit`). */
  readonly estimate: number;
  /** The limit that was exceeded. */
  readonly limit: number;
  /**
   * @param fn - the public function. @param message - what is too large and the alternative.
   * @param estimate - the estimated size. @param limit - the limit exceeded.
   */
  constructor(fn: string, message: string, estimate: number, limit: number) {
    super(fn, message);
    this.estimate = estimate;
    this.limit = limit;
  }
}

/** What kind of degeneracy a {@link DegenerateError} reports. */
export type DegeneracyKind =
  | "repeated-singular-values"
  | "repeated-eigenvalues"
  | "rank-deficient-data"
  | "rank-below-bottleneck"
  | "no-minimiser"
  | "singular-point"
  | "near-threshold"
  | "kink"
  | "no-slope";

/** The input is a degenerate case that a theorem excludes; `kind` says which. */
export class DegenerateError extends LandscapeError {
  readonly kind: DegeneracyKind;
  constructor(fn: string, kind: DegeneracyKind, message: string) {
    super(fn, message);
    this.kind = kind;
  }
}

/** A theorem's hypothesis does not hold for the given object (e.g. a non-convex loss where T4 needs convexity). */
export class AssumptionError extends LandscapeError {}

/** A numerical method did not reach its tolerance within its budget. */
export class ConvergenceError extends LandscapeError {}

/** Formats a value for an error message: shapes as `m×n`, numbers in full precision, arrays briefly. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map(describe).join(", ");
    return `[${items}${value.length > 8 ? ", ..." : ""}]`;
  }
  const v = value as { rows?: unknown; columns?: unknown };
  if (typeof v.rows === "number" && typeof v.columns === "number") return `a ${v.rows}×${v.columns} matrix`;
  if (value instanceof Float64Array) return `a Float64Array of length ${value.length}`;
  return typeof value;
}
