/**
 * Square losses on matrix space (THEOREMS.md notation): matrix form `||W - Q||^2`, data form
 * `1/2 ||W X - Y||^2`, and the entrywise-weighted square `sum Lambda_ij (W_ij - Q_ij)^2` (T5, T6, A1, A5).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError } from "../core/errors";
import { shapeOf } from "../core/matrix";
import { ConvexSmoothLoss, MinimiserReport, TargetLoss, flatOf, mapEntries, matArg } from "./base";

/**
 * Square loss, matrix form: `l(W) = ||W - Q||_F^2`; `grad l = 2 (W - Q)`; `Hess l[D] = 2 D`.
 * Convex, smooth, minimiser `W = Q`. (No factor 1/2: THEOREMS.md's matrix form; T5 reference values use it.)
 */
export class SquareLoss extends TargetLoss {
  readonly name = "square loss (matrix form)";

  /** @param Q - target, `m×n`, finite. @throws ShapeError for an empty/ragged `Q`; DomainError for non-finite entries. */
  constructor(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>) {
    super("squareLoss", matArg("squareLoss", "Q", Q), "strictly convex quadratic with minimiser W = Q");
  }
  formula(): string {
    return "\\ell(W) = \\|W - Q\\|_F^2";
  }
  protected valueAt(W: Matrix): number {
    let s = 0;
    for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) s += (W.get(i, j) - this.Q.get(i, j)) ** 2;
    return s;
  }
  protected gradientAt(W: Matrix): Matrix {
    return mapEntries(W, (w, i, j) => 2 * (w - this.Q.get(i, j)));
  }
  protected hessianActionAt(_W: Matrix, D: Matrix): Matrix {
    return mapEntries(D, (d) => 2 * d);
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const q = this.q;
    let s = 0;
    for (let k = 0; k < q.length; k++) {
      const r = w[k] - q[k];
      s += r * r;
      g[k] = 2 * r;
    }
    return s;
  }
}

/**
 * Square loss, data form: `l(W) = 1/2 ||W X - Y||_F^2` for data `X` (`n×N`, inputs as columns) and `Y`
 * (`m×N`); `grad l = (W X - Y) X^T`; `Hess l[D] = D X X^T`. Convex, smooth; a minimiser always exists
 * (`W = Y X^+`, never `(X X^T)^{-1}`), unique iff `X` has full row rank (T5, A5, B1).
 */
export class SquareLossData extends ConvexSmoothLoss {
  readonly name = "square loss (data form)";
  /** Inputs `X` (`n×N`, a copy). */
  readonly X: Matrix;
  /** Targets `Y` (`m×N`, a copy). */
  readonly Y: Matrix;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly r: Float64Array;

  /**
   * @param X - `n×N` inputs (columns are samples). @param Y - `m×N` targets.
   * @throws ShapeError unless `X` and `Y` have the same number of columns; DomainError for non-finite entries.
   */
  constructor(X: Matrix | ReadonlyArray<ReadonlyArray<number>>, Y: Matrix | ReadonlyArray<ReadonlyArray<number>>) {
    const Xm = matArg("squareLossData", "X", X);
    const Ym = matArg("squareLossData", "Y", Y);
    if (Xm.columns !== Ym.columns) {
      throw new ShapeError("squareLossData", `X and Y must have the same number of columns (samples); got X ${shapeOf(Xm)} and Y ${shapeOf(Ym)}`);
    }
    super("squareLossData", [Ym.rows, Xm.rows]);
    this.X = Xm;
    this.Y = Ym;
    this.x = flatOf(Xm);
    this.y = flatOf(Ym);
    this.r = new Float64Array(Ym.rows * Ym.columns);
  }
  formula(): string {
    return "\\ell(W) = \\tfrac12 \\|W X - Y\\|_F^2";
  }
  private residual(W: Matrix): Matrix {
    const R = new Matrix(this.Y.rows, this.Y.columns);
    for (let i = 0; i < R.rows; i++) {
      for (let s = 0; s < R.columns; s++) {
        let v = -this.Y.get(i, s);
        for (let k = 0; k < this.X.rows; k++) v += W.get(i, k) * this.X.get(k, s);
        R.set(i, s, v);
      }
    }
    return R;
  }
  protected valueAt(W: Matrix): number {
    const R = this.residual(W);
    let s = 0;
    for (let i = 0; i < R.rows; i++) for (let j = 0; j < R.columns; j++) s += R.get(i, j) ** 2;
    return 0.5 * s;
  }
  protected gradientAt(W: Matrix): Matrix {
    return this.timesXt(this.residual(W));
  }
  protected hessianActionAt(_W: Matrix, D: Matrix): Matrix {
    const DX = new Matrix(D.rows, this.X.columns);
    for (let i = 0; i < D.rows; i++) {
      for (let s = 0; s < this.X.columns; s++) {
        let v = 0;
        for (let k = 0; k < this.X.rows; k++) v += D.get(i, k) * this.X.get(k, s);
        DX.set(i, s, v);
      }
    }
    return this.timesXt(DX);
  }
  private timesXt(R: Matrix): Matrix {
    const G = new Matrix(R.rows, this.X.rows);
    for (let i = 0; i < R.rows; i++) {
      for (let k = 0; k < this.X.rows; k++) {
        let v = 0;
        for (let s = 0; s < R.columns; s++) v += R.get(i, s) * this.X.get(k, s);
        G.set(i, k, v);
      }
    }
    return G;
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const m = this.Y.rows;
    const n = this.X.rows;
    const N = this.X.columns;
    const x = this.x;
    const y = this.y;
    const r = this.r;
    let s2 = 0;
    for (let i = 0; i < m; i++) {
      for (let s = 0; s < N; s++) {
        let v = -y[i * N + s];
        for (let k = 0; k < n; k++) v += w[i * n + k] * x[k * N + s];
        r[i * N + s] = v;
        s2 += v * v;
      }
    }
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let s = 0; s < N; s++) v += r[i * N + s] * x[k * N + s];
        g[i * n + k] = v;
      }
    }
    return 0.5 * s2;
  }
  override hasMinimiser(): MinimiserReport {
    return { exists: true, reason: "convex quadratic bounded below: W = Y X^+ attains the minimum (unique iff X has full row rank)" };
  }
}

/**
 * Entrywise-weighted square loss: `l(W) = sum_ij Lambda_ij (W_ij - Q_ij)^2` with `Lambda >= 0`;
 * `grad l = 2 Lambda ∘ (W - Q)`; `Hess l[D] = 2 Lambda ∘ D`. Convex and smooth; a minimiser (`W = Q`) exists,
 * unique iff every weight is positive. The example loss of T6 (bad minima on non-filling architectures) and A1.
 */
export class WeightedSquareLoss extends TargetLoss {
  readonly name = "weighted square loss";
  /** Weights `Lambda` (`m×n`, entries `>= 0`, a copy). */
  readonly Lambda: Matrix;
  private readonly lam: Float64Array;

  /**
   * @param Lambda - `m×n` non-negative weights. @param Q - `m×n` target.
   * @throws ShapeError unless shapes agree; DomainError for a negative or non-finite weight or target entry.
   */
  constructor(Lambda: Matrix | ReadonlyArray<ReadonlyArray<number>>, Q: Matrix | ReadonlyArray<ReadonlyArray<number>>) {
    const L = matArg("weightedSquareLoss", "Lambda", Lambda);
    const Qm = matArg("weightedSquareLoss", "Q", Q);
    if (L.rows !== Qm.rows || L.columns !== Qm.columns) {
      throw new ShapeError("weightedSquareLoss", `Lambda and Q must have the same shape; got Lambda ${shapeOf(L)} and Q ${shapeOf(Qm)}`);
    }
    for (let i = 0; i < L.rows; i++) {
      for (let j = 0; j < L.columns; j++) {
        if (L.get(i, j) < 0) throw new DomainError("weightedSquareLoss", `Lambda must be entrywise >= 0; got ${L.get(i, j)} at (${i}, ${j})`);
      }
    }
    super("weightedSquareLoss", Qm, "convex quadratic bounded below with minimiser W = Q (unique iff all weights are positive)");
    this.Lambda = L;
    this.lam = flatOf(L);
  }
  formula(): string {
    return "\\ell(W) = \\sum_{ij} \\Lambda_{ij} (W_{ij} - Q_{ij})^2";
  }
  protected valueAt(W: Matrix): number {
    let s = 0;
    for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) s += this.Lambda.get(i, j) * (W.get(i, j) - this.Q.get(i, j)) ** 2;
    return s;
  }
  protected gradientAt(W: Matrix): Matrix {
    return mapEntries(W, (w, i, j) => 2 * this.Lambda.get(i, j) * (w - this.Q.get(i, j)));
  }
  protected hessianActionAt(_W: Matrix, D: Matrix): Matrix {
    return mapEntries(D, (d, i, j) => 2 * this.Lambda.get(i, j) * d);
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const q = this.q;
    const lam = this.lam;
    let s = 0;
    for (let k = 0; k < q.length; k++) {
      const r = w[k] - q[k];
      const lr = lam[k] * r;
      s += lr * r;
      g[k] = 2 * lr;
    }
    return s;
  }
}

/**
 * Square loss, matrix form `||W - Q||_F^2` (THEOREMS.md; T5). See {@link SquareLoss}.
 * @param Q - `m×n` target. @throws ShapeError / DomainError for an empty, ragged or non-finite `Q`.
 */
export function squareLoss(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>): SquareLoss {
  return new SquareLoss(Q);
}

/**
 * Square loss, data form `1/2 ||W X - Y||_F^2` (THEOREMS.md; T5, A1, A5, B1). See {@link SquareLossData}.
 * @param X - `d_0×N` inputs; @param Y - `d_h×N` targets.
 * @throws ShapeError unless X, Y have equal column counts; DomainError for non-finite entries.
 */
export function squareLossData(X: Matrix | ReadonlyArray<ReadonlyArray<number>>, Y: Matrix | ReadonlyArray<ReadonlyArray<number>>): SquareLossData {
  return new SquareLossData(X, Y);
}

/**
 * Entrywise-weighted square loss `sum Lambda_ij (W_ij - Q_ij)^2` (T6, A1). See {@link WeightedSquareLoss}.
 * @throws ShapeError for unequal shapes; DomainError for a negative weight or non-finite entry.
 */
export function weightedSquareLoss(Lambda: Matrix | ReadonlyArray<ReadonlyArray<number>>, Q: Matrix | ReadonlyArray<ReadonlyArray<number>>): WeightedSquareLoss {
  return new WeightedSquareLoss(Lambda, Q);
}
