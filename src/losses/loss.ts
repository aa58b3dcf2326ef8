/**
 * The loss interface: a function `l` on the matrix space of `mu(theta)` with its gradient and Hessian
 * action. Losses are kept apart from networks (what is measured vs how it is parameterised), which is
 * exactly the pure / spurious split of the course (D1).
 * @module
 */
import type { Matrix } from "ml-matrix";

/** A loss `l : R^{m×n} -> R`. */
export interface Loss {
  /** Short name, e.g. `"square (matrix form)"`. */
  readonly name: string;
  /** `[m, n]`: the shape of matrices the loss accepts. */
  readonly shape: readonly [number, number];
  /** True when `l` is convex on all of `R^{m×n}` (T4 needs it). */
  readonly convex: boolean;
  /** True when `l` is twice continuously differentiable (T4 needs it). */
  readonly smooth: boolean;
  /** True when `hessianAction` is exact; false when it is a finite-difference approximation. */
  readonly hessianExact: boolean;
  /** `l(W)`. @throws ShapeError if `W` is not `m×n`. */
  value(W: Matrix): number;
  /** `grad l(W)`, an `m×n` matrix. */
  gradient(W: Matrix): Matrix;
  /** `Hess l(W)[D] = d/dt grad l(W + tD)` at `t = 0`. */
  hessianAction(W: Matrix, D: Matrix): Matrix;
}
