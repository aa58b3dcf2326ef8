/**
 * A loss on output matrices composed with data: `l(W) = phi(W X)` (robust regression, `l_p` regression,
 * classification losses written on outputs). Serves T4 (smooth convex losses that are not quadratic).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { mmul, transpose } from "../core/matrix";
import { MatrixLoss, MinimiserReport, hasMinimiser, matArg } from "./base";
import type { Loss } from "./loss";
import { EvenPowerLoss, PseudoHuberLoss } from "./robust";
import { SquareLoss } from "./square";

/**
 * `l(W) = phi(W X)`: a loss `phi` on `m × N` output matrices composed with the data map `W ↦ W X` (`X` is
 * `n × N`, samples as columns), so `l` lives on `m × n` matrices. With `phi = pseudoHuberLoss(Y, delta)` this is
 * robust (pseudo-Huber) regression `sum_ij rho_delta((W X - Y)_ij)`; with `phi = evenPowerLoss(Y, 4)` it is
 * `l_4` regression.
 *
 * `grad l(W) = grad phi(W X) X^T`; `Hess l(W)[D] = Hess phi(W X)[D X] X^T`. Convex (smooth) whenever `phi` is
 * convex (smooth): a convex function composed with a linear map. Serves T4 (a smooth convex non-quadratic loss
 * whose optimum has no closed form).
 */
export class DataComposedLoss extends MatrixLoss {
  readonly name: string;
  readonly convex: boolean;
  readonly smooth: boolean;
  override readonly hessianExact: boolean;
  /** Row by row when `phi`'s Hessian is: row `p` of `Hess phi[D X] X^T` depends on row `p` of `D X`, i.e. of `D`. */
  override readonly hessianRowSeparable: boolean;
  /** The loss on outputs. */
  readonly phi: Loss;
  /** Data `X` (`n × N`, a copy). */
  readonly X: Matrix;
  private readonly Xt: Matrix;

  /**
   * @param phi - a loss on `m × N` matrices; @param X - `n × N` data (samples as columns).
   * @throws ShapeError when `phi.shape[1]` differs from the number of columns of `X`; DomainError for a
   * non-loss `phi` or non-finite data.
   */
  constructor(phi: Loss, X: Matrix | ReadonlyArray<ReadonlyArray<number>>) {
    const fn = "dataComposedLoss";
    if (!phi || typeof phi !== "object" || typeof phi.value !== "function" || !Array.isArray(phi.shape)) {
      throw new DomainError(fn, `phi must be a Loss on output matrices (e.g. pseudoHuberLoss(Y)); got ${describe(phi)}`);
    }
    const Xm = matArg(fn, "X", X);
    if (phi.shape[1] !== Xm.columns) {
      throw new ShapeError(fn, `phi must act on ${phi.shape[0]}×N outputs with N = columns of X (${Xm.columns}); got phi.shape ${phi.shape[0]}×${phi.shape[1]}`);
    }
    super(fn, [phi.shape[0], Xm.rows]);
    this.phi = phi;
    this.X = Xm;
    this.Xt = transpose(Xm);
    this.convex = phi.convex;
    this.smooth = phi.smooth;
    this.hessianExact = phi.hessianExact;
    this.hessianRowSeparable = phi instanceof MatrixLoss && phi.hessianRowSeparable;
    this.name = `${phi.name} of W X`;
  }
  formula(): string {
    return "\\ell(W) = \\varphi(W X)";
  }
  protected valueAt(W: Matrix): number {
    return this.phi.value(mmul(W, this.X, "dataComposedLoss.value", ["W", "X"]));
  }
  protected gradientAt(W: Matrix): Matrix {
    return mmul(this.phi.gradient(mmul(W, this.X, "dataComposedLoss.gradient", ["W", "X"])), this.Xt);
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const Z = mmul(W, this.X);
    return mmul(this.phi.hessianAction(Z, mmul(D, this.X)), this.Xt);
  }
  /**
   * A minimiser exists when `phi` is coercive (pseudo-Huber, even power, square: growing at least linearly in
   * every entry): then `phi` restricted to the subspace `{W X}` is coercive and attains its minimum.
   */
  override hasMinimiser(): MinimiserReport {
    if (this.phi instanceof PseudoHuberLoss || this.phi instanceof EvenPowerLoss || this.phi instanceof SquareLoss) {
      return { exists: true, reason: "phi is convex and coercive, so its restriction to the subspace {W X} attains its minimum" };
    }
    const rep = hasMinimiser(this.phi);
    // phi attaining its minimum on all outputs says nothing about the subspace {W X} unless phi is coercive
    return { exists: "unknown", reason: `phi is not known to be coercive (phi: ${rep.reason})` };
  }
}

/**
 * `l(W) = phi(W X)` (see {@link DataComposedLoss}): e.g. robust regression
 * `dataComposedLoss(pseudoHuberLoss(Y, 0.5), X)` (T4).
 * @throws ShapeError / DomainError as the constructor.
 */
export function dataComposedLoss(phi: Loss, X: Matrix | ReadonlyArray<ReadonlyArray<number>>): DataComposedLoss {
  return new DataComposedLoss(phi, X);
}
