/**
 * Classification losses on matrix space with a ridge term: softmax (multinomial) cross-entropy and binary
 * logistic loss. Smooth and convex; with `ridge > 0` strictly convex with a unique minimiser; without ridge the
 * minimum may not be attained (separable data), which {@link SoftmaxCrossEntropy.hasMinimiser} detects
 * (T4 experiments; docs/theory.md#degenerate).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { eye } from "../core/matrix";
import { recessionDirection } from "../core/nnls";
import { ConvexSmoothLoss, MinimiserReport, matArg, numArg } from "./base";

/** Labels (a copy) and data `X` (`n × N`, the identity `I_N` for `null`), one label per column of `X`. */
function labelledData(fn: string, X: unknown, labels: unknown): { y: number[]; Xm: Matrix } {
  if (!Array.isArray(labels) || labels.length === 0) throw new ShapeError(fn, `labels must be a non-empty array of integers; got ${describe(labels)}`);
  const y = labels.slice();
  const Xm = X === null || X === undefined ? eye(y.length) : matArg(fn, "X", X);
  if (Xm.columns !== y.length) throw new ShapeError(fn, `labels must have one entry per column of X (${Xm.columns}); got ${y.length}`);
  return { y, Xm };
}

/**
 * Base of the ridge-regularised classification losses on data `X` (`n × N`, samples as columns): convex and
 * smooth; a minimiser exists when `ridge > 0` (strictly convex, coercive), and without ridge iff no nonzero
 * direction weakly increases every margin and strictly increases one (the data are not (quasi-)separable;
 * Albert–Anderson 1984), decided by {@link recessionDirection} on the subclass's margin matrix (T4).
 */
export abstract class RidgeClassifierLoss extends ConvexSmoothLoss {
  readonly name: string;
  /** Data `X` (`n × N`; the identity when constructed with `X = null`). */
  readonly X: Matrix;
  /** Ridge coefficient (`>= 0`). */
  readonly ridge: number;

  /**
   * @param fnName - the factory's name. @param rows - rows of `W` (classes, or 1). @param X - validated data.
   * @param ridge - validated ridge. @param name - display name.
   */
  protected constructor(fnName: string, rows: number, X: Matrix, ridge: number, name: string) {
    super(fnName, [rows, X.rows]);
    this.X = X;
    this.ridge = ridge;
    this.name = name;
  }

  /**
   * With `ridge > 0` the minimiser exists. Without ridge it exists iff no nonzero direction `D` has
   * `A vec(D) >= 0` with one entry `> 0` (`A` = {@link RidgeClassifierLoss.marginMatrix}), decided by
   * {@link recessionDirection}.
   */
  override hasMinimiser(): MinimiserReport {
    if (this.ridge > 0) return { exists: true, reason: `ridge ${this.ridge} > 0 makes the loss strictly convex and coercive` };
    const rep = recessionDirection(this.marginMatrix());
    return rep.exists
      ? { exists: false, reason: `the data are (quasi-)separable without ridge: the loss decreases along a ray to its infimum (certificate residual ${rep.residual.toExponential(2)} > ${rep.tol.toExponential(2)})` }
      : { exists: true, reason: this.overlapReason() };
  }

  /** The margins as a linear map of `vec(W)` (row-major): one row per margin that separation must keep `>= 0`. */
  protected abstract marginMatrix(): Matrix;
  /** Why a minimiser exists when the classes overlap. */
  protected abstract overlapReason(): string;
}

/**
 * Softmax cross-entropy with ridge on `W` (`K × n`: classes × features) for data `X` (`n × N`, samples as
 * columns) and integer labels `y_j in {0..K-1}`:
 * `l(W) = (1/N) sum_j [log sum_k exp((W X)_{kj}) - (W X)_{y_j j}] + (ridge/2) ||W||_F^2`;
 * `grad l = (1/N) (P - E) X^T + ridge W` (`P` = column softmax of `W X`, `E` = one-hot labels);
 * `Hess l[D] = (1/N) [P ∘ (D X) - P ∘ (1 1^T (P ∘ D X))] X^T + ridge D`. Convex, smooth (T4).
 */
export class SoftmaxCrossEntropy extends RidgeClassifierLoss {
  /** Labels (a copy). */
  readonly labels: readonly number[];
  /** Number of classes `K`. */
  readonly classes: number;

  /**
   * @param X - `n × N` data, or `null` for `X = I_N` (then `W` holds the logits directly).
   * @param labels - `N` integers in `[0, K)`. @param ridge - `>= 0`. @param classes - `K` (default `max label + 1`, at least 2).
   * @throws ShapeError when `labels.length` differs from the columns of `X`; DomainError for a label that is not
   * an integer in range, a negative or non-finite ridge, fewer than two classes, or non-finite data.
   */
  constructor(X: Matrix | ReadonlyArray<ReadonlyArray<number>> | null, labels: readonly number[], ridge = 0, classes?: number) {
    const fn = "softmaxCrossEntropy";
    const { y, Xm } = labelledData(fn, X, labels);
    let K = classes;
    if (K === undefined) {
      K = 0;
      for (const v of y) if (Number.isInteger(v) && v + 1 > K) K = v + 1;
      K = Math.max(K, 2);
    }
    if (!Number.isInteger(K) || K < 2) throw new DomainError(fn, `classes must be an integer >= 2; got ${describe(classes)}`);
    y.forEach((v, j) => {
      if (!Number.isInteger(v) || v < 0 || v >= (K as number)) throw new DomainError(fn, `labels[${j}] must be an integer in [0, ${K}); got ${describe(v)}`);
    });
    const r = numArg(fn, "ridge", ridge, 0);
    super(fn, K, Xm, r, `softmax cross-entropy (ridge ${r})`);
    this.labels = Object.freeze(y);
    this.classes = K;
  }
  formula(): string {
    return "\\ell(W) = \\frac1N \\sum_j \\Big[\\log \\sum_k e^{(WX)_{kj}} - (WX)_{y_j j}\\Big] + \\frac{\\rho}{2} \\|W\\|_F^2";
  }
  private logits(W: Matrix): Matrix {
    const K = W.rows;
    const n = W.columns;
    const N = this.X.columns;
    const Z = new Matrix(K, N);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let f = 0; f < n; f++) s += W.get(k, f) * this.X.get(f, j);
        Z.set(k, j, s);
      }
    }
    return Z;
  }
  /** Column softmax (stable) and log-sum-exp of each column. */
  private softmax(Z: Matrix): { P: Matrix; lse: number[] } {
    const P = new Matrix(Z.rows, Z.columns);
    const lse: number[] = [];
    for (let j = 0; j < Z.columns; j++) {
      let mx = -Infinity;
      for (let k = 0; k < Z.rows; k++) mx = Math.max(mx, Z.get(k, j));
      let s = 0;
      for (let k = 0; k < Z.rows; k++) s += Math.exp(Z.get(k, j) - mx);
      for (let k = 0; k < Z.rows; k++) P.set(k, j, Math.exp(Z.get(k, j) - mx) / s);
      lse.push(mx + Math.log(s));
    }
    return { P, lse };
  }
  protected valueAt(W: Matrix): number {
    const Z = this.logits(W);
    const { lse } = this.softmax(Z);
    const N = Z.columns;
    let s = 0;
    for (let j = 0; j < N; j++) s += lse[j] - Z.get(this.labels[j], j);
    let w2 = 0;
    for (let i = 0; i < W.rows; i++) for (let k = 0; k < W.columns; k++) w2 += W.get(i, k) ** 2;
    return s / N + 0.5 * this.ridge * w2;
  }
  private timesXt(R: Matrix, W: Matrix, ridgeOf: Matrix): Matrix {
    const N = this.X.columns;
    const G = new Matrix(W.rows, W.columns);
    for (let k = 0; k < W.rows; k++) {
      for (let f = 0; f < W.columns; f++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += R.get(k, j) * this.X.get(f, j);
        G.set(k, f, s / N + this.ridge * ridgeOf.get(k, f));
      }
    }
    return G;
  }
  protected gradientAt(W: Matrix): Matrix {
    const { P } = this.softmax(this.logits(W));
    for (let j = 0; j < P.columns; j++) P.set(this.labels[j], j, P.get(this.labels[j], j) - 1);
    return this.timesXt(P, W, W);
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const { P } = this.softmax(this.logits(W));
    const DZ = this.logits(D);
    const R = new Matrix(P.rows, P.columns);
    for (let j = 0; j < P.columns; j++) {
      let pd = 0;
      for (let k = 0; k < P.rows; k++) pd += P.get(k, j) * DZ.get(k, j);
      for (let k = 0; k < P.rows; k++) R.set(k, j, P.get(k, j) * (DZ.get(k, j) - pd));
    }
    return this.timesXt(R, W, D);
  }
  /** Margins `(D x_j)_{y_j} - (D x_j)_k` for `k != y_j`: `N (K - 1)` rows, `K n` columns. */
  protected marginMatrix(): Matrix {
    const K = this.classes;
    const n = this.X.rows;
    const N = this.X.columns;
    const A = new Matrix(N * (K - 1), K * n);
    let row = 0;
    for (let j = 0; j < N; j++) {
      const yj = this.labels[j];
      for (let k = 0; k < K; k++) {
        if (k === yj) continue;
        for (let f = 0; f < n; f++) {
          A.set(row, yj * n + f, this.X.get(f, j));
          A.set(row, k * n + f, -this.X.get(f, j));
        }
        row++;
      }
    }
    return A;
  }
  protected overlapReason(): string {
    return "the classes overlap (no separating direction), so the convex loss is coercive modulo its constancy directions";
  }
}

/**
 * Binary logistic loss with ridge on a row `w` (`1 × n`) for data `X` (`n × N`) and labels in `{0, 1}` or
 * `{-1, +1}` (mapped to signs `s_j`):
 * `l(w) = (1/N) sum_j log(1 + exp(-s_j w x_j)) + (ridge/2) ||w||^2`;
 * `grad l = -(1/N) sum_j s_j sigma(-s_j w x_j) x_j^T + ridge w`;
 * `Hess l[D] = (1/N) sum_j sigma(z_j) sigma(-z_j) (D x_j) x_j^T + ridge D`. Convex, smooth (T4).
 */
export class LogisticLoss extends RidgeClassifierLoss {
  /** Signs `s_j in {-1, +1}`. */
  readonly signs: readonly number[];

  /**
   * @param X - `n × N` data or `null` (`X = I_N`). @param labels - `N` labels, all in `{0,1}` or all in `{-1,1}`.
   * @param ridge - `>= 0`.
   * @throws ShapeError for a label count that differs from the columns of `X`; DomainError for other labels,
   * a negative or non-finite ridge, or non-finite data.
   */
  constructor(X: Matrix | ReadonlyArray<ReadonlyArray<number>> | null, labels: readonly number[], ridge = 0) {
    const fn = "logisticLoss";
    const { y, Xm } = labelledData(fn, X, labels);
    const pm = y.every((v) => v === 1 || v === -1);
    const zo = y.every((v) => v === 0 || v === 1);
    if (!pm && !zo) {
      const bad = y.findIndex((v) => v !== 0 && v !== 1 && v !== -1);
      throw new DomainError(fn, `labels must all be in {0, 1} or all in {-1, 1}; got ${describe(y[bad >= 0 ? bad : 0])} at ${Math.max(bad, 0)} (mixed conventions?)`);
    }
    const r = numArg(fn, "ridge", ridge, 0);
    super(fn, 1, Xm, r, `logistic loss (ridge ${r})`);
    this.signs = Object.freeze(y.map((v) => (v === 1 ? 1 : -1)));
  }
  formula(): string {
    return "\\ell(w) = \\frac1N \\sum_j \\log\\big(1 + e^{-s_j w x_j}\\big) + \\frac{\\rho}{2} \\|w\\|^2";
  }
  private margins(W: Matrix): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.X.columns; j++) {
      let s = 0;
      for (let f = 0; f < this.X.rows; f++) s += W.get(0, f) * this.X.get(f, j);
      out.push(s);
    }
    return out;
  }
  protected valueAt(W: Matrix): number {
    const z = this.margins(W);
    let s = 0;
    z.forEach((zj, j) => {
      const t = -this.signs[j] * zj;
      s += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    });
    let w2 = 0;
    for (let f = 0; f < W.columns; f++) w2 += W.get(0, f) ** 2;
    return s / z.length + 0.5 * this.ridge * w2;
  }
  protected gradientAt(W: Matrix): Matrix {
    const z = this.margins(W);
    const N = z.length;
    const G = new Matrix(1, W.columns);
    for (let f = 0; f < W.columns; f++) {
      let s = 0;
      for (let j = 0; j < N; j++) s -= this.signs[j] * sigmoid(-this.signs[j] * z[j]) * this.X.get(f, j);
      G.set(0, f, s / N + this.ridge * W.get(0, f));
    }
    return G;
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const z = this.margins(W);
    const dz = this.margins(D);
    const N = z.length;
    const H = new Matrix(1, W.columns);
    for (let f = 0; f < W.columns; f++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += sigmoid(z[j]) * sigmoid(-z[j]) * dz[j] * this.X.get(f, j);
      H.set(0, f, s / N + this.ridge * D.get(0, f));
    }
    return H;
  }
  /** Margins `s_j w x_j`: `N` rows, `n` columns (separable iff some `w != 0` keeps all `>= 0`, one `> 0`). */
  protected marginMatrix(): Matrix {
    const A = new Matrix(this.X.columns, this.X.rows);
    for (let j = 0; j < this.X.columns; j++) for (let f = 0; f < this.X.rows; f++) A.set(j, f, this.signs[j] * this.X.get(f, j));
    return A;
  }
  protected overlapReason(): string {
    return "the classes overlap (no separating direction), so the convex loss attains its minimum";
  }
}

function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * Softmax cross-entropy with ridge, `l(W) = mean_j CE(W x_j, y_j) + (ridge/2) ||W||_F^2` on `W` of shape
 * classes × features (T4). See {@link SoftmaxCrossEntropy}.
 * @param X - `n × N` data (samples as columns) or `null` for logits `W` directly (`X = I_N`).
 * @throws ShapeError / DomainError as the constructor.
 */
export function softmaxCrossEntropy(
  X: Matrix | ReadonlyArray<ReadonlyArray<number>> | null | undefined,
  labels: readonly number[],
  ridge = 0,
  classes?: number,
): SoftmaxCrossEntropy {
  return new SoftmaxCrossEntropy(X ?? null, labels, ridge, classes);
}

/**
 * Binary logistic loss with ridge on a `1 × n` row (T4). See {@link LogisticLoss}.
 * @throws ShapeError / DomainError as the constructor.
 */
export function logisticLoss(X: Matrix | ReadonlyArray<ReadonlyArray<number>> | null | undefined, labels: readonly number[], ridge = 0): LogisticLoss {
  return new LogisticLoss(X ?? null, labels, ridge);
}
