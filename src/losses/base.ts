/**
 * Common machinery of the losses on matrix space: argument checks, the raw (allocation-free) value and
 * gradient used by the landscape's fast path, the minimiser report, and the rich display.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, OverflowError, ShapeError, describe } from "../core/errors";
import { asMatrix, assertFinite, isMatrix, shapeOf, toMatrix } from "../core/matrix";
import { JUPYTER_DISPLAY } from "../display/mime";
import type { Loss } from "./loss";

/** Whether a loss attains its infimum, with the reason (docs/theory.md#degenerate). */
export interface MinimiserReport {
  /** `true`: a minimiser exists; `false`: the infimum is not attained; `"unknown"`: cannot be decided. */
  exists: boolean | "unknown";
  /** One sentence saying why. */
  reason: string;
}

/**
 * Base class of the library's losses `l : R^{m×n} -> R`, the `l` of `L = l ∘ mu` in T4–T6. Public methods check
 * the argument (shape `m×n`, finite entries; ShapeError / DomainError otherwise) and never modify it;
 * subclasses implement the unchecked `*At` methods.
 *
 * `valueAndGradientRaw(w, g)` works on row-major `Float64Array`s without checks and (for the square losses)
 * without allocation; the landscape's fast path uses it. The default implementation goes through matrices.
 */
export abstract class MatrixLoss implements Loss {
  abstract readonly name: string;
  readonly shape: readonly [number, number];
  abstract readonly convex: boolean;
  abstract readonly smooth: boolean;
  readonly hessianExact: boolean = true;
  /**
   * True when the Hessian acts row by row: row `p` of `Hess l(W)[D]` depends only on row `p` of `D`
   * (`(Hess l(W)[D])_p = D_p S_p(W)`), as for entrywise losses and losses of `W X`; the dense Hessian of a deep
   * linear network then needs only `n` Hessian actions and `d_h` small factors (`deepLinearHessianFactored`, P1).
   * Default `false` (no structure assumed).
   */
  readonly hessianRowSeparable: boolean = false;
  /** Function name used in error messages, e.g. `"squareLoss"`. */
  protected readonly fnName: string;

  protected constructor(fnName: string, shape: readonly [number, number]) {
    this.fnName = fnName;
    this.shape = Object.freeze([shape[0], shape[1]]) as readonly [number, number];
  }

  /**
   * `l(W)`. @param W - an `m×n` Matrix or array of rows.
   * @throws ShapeError unless `W` is `m×n`; DomainError for a non-finite entry; OverflowError when `l(W)` overflows.
   */
  value(W: Matrix): number {
    const M = this.arg("value", W, "W");
    const v = this.valueAt(M);
    if (!Number.isFinite(v)) throw new OverflowError(`${this.fnName}.value`, `l(W) must be finite; got ${describe(v)} from finite W (overflow: rescale W or the loss)`);
    return v;
  }

  /**
   * `grad l(W)` (`m×n`). @param W - an `m×n` Matrix or array of rows.
   * @throws ShapeError unless `W` is `m×n`; DomainError for a non-finite entry; OverflowError when the gradient overflows.
   */
  gradient(W: Matrix): Matrix {
    return this.finite("gradient", this.gradientAt(this.arg("gradient", W, "W")));
  }

  /**
   * `Hess l(W)[D]` (`m×n`).
   * @param W - the point, an `m×n` Matrix or array of rows.
   * @param D - the direction, an `m×n` Matrix or array of rows.
   * @throws ShapeError unless `W`, `D` are `m×n`; DomainError for non-finite entries; OverflowError on overflow.
   */
  hessianAction(W: Matrix, D: Matrix): Matrix {
    const Wm = this.arg("hessianAction", W, "W");
    const Dm = this.arg("hessianAction", D, "D");
    return this.finite("hessianAction", this.hessianActionAt(Wm, Dm));
  }

  /** The checked matrix argument (a Matrix itself, or rows converted). */
  private arg(method: string, A: unknown, name: string): Matrix {
    const M = Array.isArray(A) ? asMatrix(`${this.fnName}.${method}`, name, A) : A;
    this.check(method, M, name);
    return M;
  }

  /** Refuses a non-finite result from finite inputs. */
  private finite(method: string, R: Matrix): Matrix {
    for (let i = 0; i < R.rows; i++) {
      for (let j = 0; j < R.columns; j++) {
        const v = R.get(i, j);
        if (!Number.isFinite(v)) throw new OverflowError(`${this.fnName}.${method}`, `the result must be finite; got ${describe(v)} at (${i}, ${j}) from finite inputs (overflow: rescale W)`);
      }
    }
    return R;
  }

  /**
   * Unchecked value and gradient on row-major flat arrays: returns `l(W)` and writes `grad l(W)` into `g`
   * (both of length `m n`). For internal hot loops; inputs are trusted.
   */
  valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const [m, n] = this.shape;
    const W = new Matrix(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, w[i * n + j]);
    const G = this.gradientAt(W);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) g[i * n + j] = G.get(i, j);
    return this.valueAt(W);
  }

  /**
   * Batched form of {@link MatrixLoss.valueAndGradientRaw} on struct-of-arrays buffers: entry `k` of instance `r`
   * is `w[k * stride + r]` (`0 <= r < count`); writes `l` of instance `r` into `values[r]` and its gradient into
   * `g` (same layout), with the same operations per instance as the unbatched form. Returns `false` (and
   * writes nothing) when the loss has no batched form (the default); used by batched surveys.
   */
  valueAndGradientBatchRaw(_w: Float64Array, _g: Float64Array, _values: Float64Array, _count: number, _stride: number): boolean {
    return false;
  }

  /**
   * The fixed right factor of the loss Hessian: when `Hess l(W)[D] = D S` for every `W` with one symmetric `n×n`
   * matrix `S`, returns `S` (row-major, a fresh copy); otherwise `null` (the default). The dense Hessian of a
   * deep linear network uses it for its Kronecker-factored closed form (`deepLinearHessianFactored`, P1).
   */
  hessianRightFactor(): Float64Array | null {
    return null;
  }

  /** Whether `l` attains its minimum (default: yes, with the subclass's reason). */
  hasMinimiser(): MinimiserReport {
    return { exists: true, reason: "the loss is convex, bounded below and coercive on the directions where it is not constant" };
  }

  /** The formula in LaTeX (without `$`). */
  abstract formula(): string;

  /** Rich display: markdown with the formula and flags, and plain text (no HTML). */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const [m, n] = this.shape;
    const flags = `convex: ${this.convex}, smooth: ${this.smooth}, exact Hessian: ${this.hessianExact}`;
    return {
      "text/markdown": `**${this.name}** on ${m}×${n} matrices: $${this.formula()}$ (${flags})`,
      "text/plain": `${this.name} on ${m}×${n} matrices (${flags})`,
    };
  }

  /** Plain-text summary. */
  toString(): string {
    return `${this.name} on ${this.shape[0]}×${this.shape[1]} matrices`;
  }

  protected abstract valueAt(W: Matrix): number;
  protected abstract gradientAt(W: Matrix): Matrix;
  protected abstract hessianActionAt(W: Matrix, D: Matrix): Matrix;

  /** @throws ShapeError / DomainError unless `A` is a finite `m×n` matrix. */
  protected check(method: string, A: unknown, name: string): asserts A is Matrix {
    const fn = `${this.fnName}.${method}`;
    const [m, n] = this.shape;
    if (!isMatrix(A)) throw new ShapeError(fn, `${name} must be a ${m}×${n} Matrix; got ${describe(A)}`);
    if (A.rows !== m || A.columns !== n) throw new ShapeError(fn, `${name} must be ${m}×${n} (the loss shape); got ${shapeOf(A)}`);
    assertFinite(fn, name, A);
  }
}

/** Base of the library's convex, smooth losses (`convex` and `smooth` are `true`; T4, T5, T6). */
export abstract class ConvexSmoothLoss extends MatrixLoss {
  readonly convex = true;
  readonly smooth = true;
}

/**
 * Base of the convex, smooth losses around a target `Q` (`m×n`) with minimiser `W = Q`: square, weighted square,
 * pseudo-Huber and even-power losses (T4, T5, T6). Holds `Q` and reports the minimiser with the subclass's reason.
 */
export abstract class TargetLoss extends ConvexSmoothLoss {
  /** The target `Q` (`m×n`, a copy). */
  readonly Q: Matrix;
  /** `Q` row-major, for the raw fast path. */
  protected readonly q: Float64Array;
  private readonly minimiserReason: string;

  /**
   * @param fnName - the factory's name for messages. @param Q - the validated target (from {@link matArg}); its
   * shape is the loss shape. @param minimiserReason - why `W = Q` minimises, for {@link MatrixLoss.hasMinimiser}.
   */
  protected constructor(fnName: string, Q: Matrix, minimiserReason: string) {
    super(fnName, [Q.rows, Q.columns]);
    this.Q = Q;
    this.q = flatOf(Q);
    this.minimiserReason = minimiserReason;
  }

  override hasMinimiser(): MinimiserReport {
    return { exists: true, reason: this.minimiserReason };
  }
}

/**
 * `hasMinimiser(loss)`: the loss's own report when it has one, else `"unknown"` (whether T4's convex optimum
 * exists; docs/theory.md#degenerate: a loss with no minimiser).
 * @param loss - any {@link Loss}.
 */
export function hasMinimiser(loss: Loss): MinimiserReport {
  const l = loss as Loss & { hasMinimiser?: () => MinimiserReport };
  if (l && typeof l.hasMinimiser === "function") return l.hasMinimiser();
  return { exists: "unknown", reason: "the loss does not report whether its minimum is attained" };
}

/**
 * Throws unless the loss is known to attain its minimum (used where a theorem or algorithm needs a
 * minimiser, e.g. the convex optimum of T4).
 * @throws DegenerateError kind `"no-minimiser"` when the report says `false`; AssumptionError-free:
 * `"unknown"` passes only with `allowUnknown` (default true).
 */
export function requireMinimiser(loss: Loss, fn = "requireMinimiser", allowUnknown = true): void {
  const rep = hasMinimiser(loss);
  if (rep.exists === false || (rep.exists === "unknown" && !allowUnknown)) {
    throw new DegenerateError(fn, "no-minimiser", `the loss must attain its minimum; got ${loss.name}: ${rep.reason}`);
  }
}

// ---- small shared helpers for loss constructors ----

/**
 * Validates a matrix argument of a loss constructor and returns a copy (a Matrix or an array of equal-length rows,
 * non-empty, finite entries). Generic infrastructure of the loss factories.
 * @throws ShapeError if `A` is neither a Matrix nor an array of rows, is empty, or has rows of unequal length;
 * DomainError for a non-finite entry.
 */
export function matArg(fn: string, name: string, A: unknown): Matrix {
  if (!isMatrix(A) && !Array.isArray(A)) throw new ShapeError(fn, `${name} must be a Matrix or an array of rows; got ${describe(A)}`);
  let M: Matrix;
  if (isMatrix(A)) M = (A as Matrix).clone() as Matrix;
  else {
    const rows = A as unknown[];
    if (rows.length === 0 || !Array.isArray(rows[0])) throw new ShapeError(fn, `${name} must be a non-empty array of rows; got ${describe(A)}`);
    const c = (rows[0] as unknown[]).length;
    rows.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== c) throw new ShapeError(fn, `${name} rows must have equal length; row ${i} is ${describe(r)}, row 0 has length ${c}`);
    });
    M = toMatrix(fn, name, rows);
  }
  if (M.rows === 0 || M.columns === 0) throw new ShapeError(fn, `${name} must be non-empty; got ${shapeOf(M)}`);
  assertFinite(fn, name, M);
  return M;
}

/**
 * Validates a finite number `>= min` (or `> min` when `strict`). Generic infrastructure of the loss factories.
 * @throws DomainError if `x` is not a finite number or lies below (at, when `strict`) `min`.
 */
export function numArg(fn: string, name: string, x: unknown, min = -Infinity, strict = false): number {
  if (typeof x !== "number" || !Number.isFinite(x) || (strict ? x <= min : x < min)) {
    throw new DomainError(fn, `${name} must be a finite number ${strict ? ">" : ">="} ${min}; got ${describe(x)}`);
  }
  return x;
}

/**
 * Row-major copy of a matrix (generic infrastructure).
 * @throws ShapeError / DomainError unless `A` is a finite Matrix (or array of rows).
 */
export function flatOf(A: Matrix): Float64Array {
  A = asMatrix("flatOf", "A", A);
  const out = new Float64Array(A.rows * A.columns);
  let k = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) out[k++] = A.get(i, j);
  return out;
}

/**
 * Entrywise map `C_ij = f(A_ij, i, j)` into a new matrix (generic infrastructure; `A` is not modified).
 * @throws ShapeError / DomainError for a bad `A` or a non-function `f`; OverflowError when `f` returns a non-finite value.
 */
export function mapEntries(A: Matrix, f: (a: number, i: number, j: number) => number): Matrix {
  A = asMatrix("mapEntries", "A", A);
  if (typeof f !== "function") throw new DomainError("mapEntries", `f must be a function (a, i, j) => number; got ${describe(f)}`);
  const C = new Matrix(A.rows, A.columns);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.columns; j++) {
      const v = f(A.get(i, j), i, j);
      if (typeof v !== "number" || !Number.isFinite(v)) throw new OverflowError("mapEntries", `f must return finite numbers; got ${describe(v)} at (${i}, ${j})`);
      C.set(i, j, v);
    }
  }
  return C;
}
