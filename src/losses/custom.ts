/**
 * User-defined losses from a value and a gradient, with the Hessian action by central finite differences
 * of the gradient (flagged `hessianExact: false`), and the dense Hessian of any loss for small sizes.
 * @module
 */
import { checkWork, WORK_LIMITS } from "../core/options";
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { asMatrix, frobNorm, isMatrix, shapeOf, toMatrix } from "../core/matrix";
import type { Loss } from "./loss";
import { MatrixLoss, MinimiserReport } from "./base";

/** Specification of a {@link customLoss}. */
export interface CustomLossSpec {
  /** `[m, n]`: the shape of matrices the loss accepts. */
  shape: readonly [number, number];
  /** `l(W)`; must return a finite number. Receives a copy of `W`. */
  value: (W: Matrix) => number;
  /** `grad l(W)`, an `m×n` Matrix or array of rows with finite entries. Receives a copy of `W`. */
  gradient: (W: Matrix) => Matrix | ReadonlyArray<ReadonlyArray<number>>;
  /** Declared convexity (default `false`: theorems that need convexity then refuse the loss). */
  convex?: boolean;
  /** Declared smoothness (default `false`). */
  smooth?: boolean;
  /** Display name (default `"custom loss"`). */
  name?: string;
  /** Declared existence of a minimiser (default unknown). */
  hasMinimiser?: boolean;
  /** Relative finite-difference step for the Hessian action (default `6e-6`, about `eps^(1/3)`). */
  fdStep?: number;
}

/**
 * A loss from user code: value and gradient given, `Hess l(W)[D] ≈ (grad l(W + tD) - grad l(W - tD)) / (2t)`
 * with `t = fdStep * max(1, ||W||_F) / ||D||_F` (error `O(t^2)`); `hessianExact` is `false`. Convexity and
 * smoothness are what the user declares (default false). Generic infrastructure for user losses.
 * @throws DomainError for a malformed spec (see {@link customLoss}).
 */
export class CustomLoss extends MatrixLoss {
  readonly name: string;
  readonly convex: boolean;
  readonly smooth: boolean;
  override readonly hessianExact: boolean = false;
  private readonly spec: CustomLossSpec;
  private readonly step: number;

  /**
   * @throws DomainError for a bad shape, a non-function value/gradient, or a non-positive `fdStep`.
   */
  constructor(spec: CustomLossSpec) {
    const fn = "customLoss";
    if (!spec || typeof spec !== "object") throw new DomainError(fn, `spec must be an object { shape, value, gradient }; got ${describe(spec)}`);
    const sh = spec.shape as unknown;
    if (!Array.isArray(sh) || sh.length !== 2 || !sh.every((v) => Number.isInteger(v) && v >= 1)) {
      throw new DomainError(fn, `spec.shape must be a pair of positive integers [m, n]; got ${describe(sh)}`);
    }
    if (typeof spec.value !== "function") throw new DomainError(fn, `spec.value must be a function W => number; got ${describe(spec.value)}`);
    if (typeof spec.gradient !== "function") throw new DomainError(fn, `spec.gradient must be a function W => Matrix; got ${describe(spec.gradient)}`);
    const step = spec.fdStep ?? 6e-6;
    if (!Number.isFinite(step) || step <= 0) throw new DomainError(fn, `spec.fdStep must be a finite number > 0; got ${describe(step)}`);
    super(fn, [sh[0], sh[1]]);
    this.spec = { ...spec };
    this.step = step;
    this.name = spec.name ?? "custom loss";
    this.convex = spec.convex ?? false;
    this.smooth = spec.smooth ?? false;
  }
  formula(): string {
    return "\\ell(W)\\ \\text{(user-defined; Hessian by finite differences)}";
  }
  protected valueAt(W: Matrix): number {
    const v = this.spec.value(W.clone() as Matrix);
    if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError("customLoss.value", `spec.value must return a finite number; got ${describe(v)}`);
    return v;
  }
  protected gradientAt(W: Matrix): Matrix {
    const G0 = this.spec.gradient(W.clone() as Matrix);
    if (!isMatrix(G0) && !Array.isArray(G0)) throw new ShapeError("customLoss.gradient", `spec.gradient must return a ${this.shape[0]}×${this.shape[1]} matrix; got ${describe(G0)}`);
    const G = toMatrix("customLoss.gradient", "spec.gradient(W)", G0);
    if (G.rows !== this.shape[0] || G.columns !== this.shape[1]) {
      throw new ShapeError("customLoss.gradient", `spec.gradient must return a ${this.shape[0]}×${this.shape[1]} matrix; got ${shapeOf(G)}`);
    }
    return G;
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const dn = frobNorm(D);
    if (dn === 0) return new Matrix(D.rows, D.columns);
    const t = (this.step * Math.max(1, frobNorm(W))) / dn;
    const Wp = new Matrix(W.rows, W.columns);
    const Wm = new Matrix(W.rows, W.columns);
    for (let i = 0; i < W.rows; i++) {
      for (let j = 0; j < W.columns; j++) {
        Wp.set(i, j, W.get(i, j) + t * D.get(i, j));
        Wm.set(i, j, W.get(i, j) - t * D.get(i, j));
      }
    }
    const Gp = this.gradientAt(Wp);
    const Gm = this.gradientAt(Wm);
    const H = new Matrix(W.rows, W.columns);
    for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) H.set(i, j, (Gp.get(i, j) - Gm.get(i, j)) / (2 * t));
    return H;
  }
  override hasMinimiser(): MinimiserReport {
    if (this.spec.hasMinimiser === undefined) return { exists: "unknown", reason: "user-defined loss; pass hasMinimiser in the spec to declare it" };
    return { exists: this.spec.hasMinimiser, reason: "declared by the user" };
  }
}

/**
 * A user-defined loss: value and gradient from user code, Hessian action by central differences of the
 * gradient (`hessianExact: false`). See {@link CustomLoss}. Generic infrastructure: a fork declares `convex` and
 * `smooth` to test T4 / T6 on its own loss.
 * @throws DomainError for a malformed spec; the returned loss's methods throw ShapeError / DomainError when
 * the user functions return wrong shapes or non-finite numbers.
 */
export function customLoss(spec: CustomLossSpec): CustomLoss {
  return new CustomLoss(spec);
}

/**
 * Dense Hessian of a loss at `W`: the `mn × mn` matrix with column `k` = `vec_r(Hess l(W)[E_k])`
 * (`E_k` the k-th unit matrix in row-major order), symmetrised `(H + H^T)/2`. For small sizes (used by the
 * Morse-index and T6 computations).
 * @param loss - any {@link Loss}; @param W - `m×n` point.
 * @throws ShapeError unless `W` has the loss's shape; DomainError for non-finite entries; ResourceError when `(mn)^2` exceeds `WORK_LIMITS.denseEntries`.
 */
export function lossHessian(loss: Loss, W: Matrix): Matrix {
  if (!loss || typeof loss.hessianAction !== "function") throw new DomainError("lossHessian", `loss must be a Loss; got ${describe(loss)}`);
  const [m, n] = loss.shape;
  if (Array.isArray(W)) W = asMatrix("lossHessian", "W", W);
  if (!isMatrix(W)) throw new ShapeError("lossHessian", `W must be a ${m}×${n} Matrix; got ${describe(W)}`);
  checkWork("lossHessian", `the dense ${m * n}×${m * n} Hessian of l`, (m * n) ** 2, WORK_LIMITS.denseEntries, "loss.hessianAction (Hessian-vector products)");
  if (W.rows !== m || W.columns !== n) throw new ShapeError("lossHessian", `W must be ${m}×${n} (loss.shape); got ${shapeOf(W)}`);
  toMatrix("lossHessian", "W", W);
  const N = m * n;
  const H = new Matrix(N, N);
  for (let k = 0; k < N; k++) {
    const E = new Matrix(m, n);
    E.set(Math.floor(k / n), k % n, 1);
    const A = loss.hessianAction(W, E);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) H.set(i * n + j, k, A.get(i, j));
  }
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const s = 0.5 * (H.get(i, j) + H.get(j, i));
      H.set(i, j, s);
      H.set(j, i, s);
    }
  }
  return H;
}
