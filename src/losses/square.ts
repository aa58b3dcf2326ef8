/**
 * Square losses on matrix space (docs/theory.md notation): matrix form `||W - Q||^2`, data form
 * `1/2 ||W X - Y||^2`, and the entrywise-weighted square `sum Lambda_ij (W_ij - Q_ij)^2` (T5, T6, A1, A5).
 * @module
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { DomainError, ShapeError } from "../core/errors";
import { pinv } from "../core/linalg";
import { mmul, shapeOf } from "../core/matrix";
import { gemmStrided } from "../core/dense";
import { GramSquareKernel } from "./squareGramKernel";
import { ConvexSmoothLoss, MinimiserReport, TargetLoss, flatOf, mapEntries, matArg } from "./base";

/**
 * Square loss, matrix form: `l(W) = ||W - Q||_F^2`; `grad l = 2 (W - Q)`; `Hess l[D] = 2 D`.
 * Convex, smooth, minimiser `W = Q`. (No factor 1/2: the matrix form of docs/theory.md; T5 reference values use it.)
 */
export class SquareLoss extends TargetLoss {
  /** Entrywise in `W - Q`: `Hess l(W)` is diagonal, so it acts row by row (the factored dense Hessian applies). */
  override readonly hessianRowSeparable: boolean = true;
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
  /** `S = 2 I_n`: `Hess l[D] = 2 D = D (2 I)` (see {@link MatrixLoss.hessianRightFactor}). */
  override hessianRightFactor(): Float64Array {
    const n = this.shape[1];
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) S[i * n + i] = 2;
    return S;
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
  /** Batched {@link SquareLoss.valueAndGradientRaw} (struct-of-arrays; same operations per instance). */
  override valueAndGradientBatchRaw(w: Float64Array, g: Float64Array, values: Float64Array, count: number, stride: number): boolean {
    const q = this.q;
    for (let r = 0; r < count; r++) values[r] = 0;
    for (let k = 0; k < q.length; k++) {
      const qk = q[k];
      const o = k * stride;
      for (let r = 0; r < count; r++) {
        const d = w[o + r] - qk;
        values[r] += d * d;
        g[o + r] = 2 * d;
      }
    }
    return true;
  }
}

/**
 * Square loss, data form: `l(W) = 1/2 ||W X - Y||_F^2` for data `X` (`n×N`, inputs as columns) and `Y`
 * (`m×N`); `grad l = (W X - Y) X^T`; `Hess l[D] = D X X^T`. Convex, smooth; a minimiser always exists
 * (`W = Y X^+`, never `(X X^T)^{-1}`), unique iff `X` has full row rank (T5, A5, B1).
 *
 * Evaluation: the constructor precomputes `Sxx = X X^T` (`n×n`), `Syx = Y X^T` (`m×n`) and `||Y||_F^2`.
 * When there are many more samples than inputs (`N > 2n`, {@link SquareLossData.gramForm}) value and gradient use the
 * Gram form `grad l = W Sxx - Syx`, `l = 1/2 (<W Sxx, W> - 2 <W, Syx> + ||Y||^2)` (clamped at `>= 0`): `m n^2`
 * work per call, independent of `N`. Evaluated as written, its value has an absolute rounding error of about
 * `eps ||Y||_F^2` (near an exact fit it can be `1e-15 ||Y||^2` instead of `0`, and the noise defeats line searches
 * at tight tolerances); the library therefore evaluates it centred at `C = Y X^+` (see
 * {@link SquareLossData.valueAndGradientGramRaw}), error about `eps l(W)`. When `N <= 2n` the residual form `R = W X - Y`, `l = 1/2 ||R||^2`, `grad l = R X^T`
 * is kept (the Gram form gains at most about 2.7× there, and the residual form gives exact zeros at an exact fit). The Hessian action is always
 * `D Sxx` (independent of `N`).
 */
export class SquareLossData extends ConvexSmoothLoss {
  readonly name = "square loss (data form)";
  /** `Hess l[D] = D X X^T` acts row by row. */
  override readonly hessianRowSeparable: boolean = true;
  /** Inputs `X` (`n×N`, a copy). */
  readonly X: Matrix;
  /** Targets `Y` (`m×N`, a copy). */
  readonly Y: Matrix;
  /** True when value and gradient use the Gram form (`N > 2n`: many more samples than inputs). */
  readonly gramForm: boolean;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private r: Float64Array | null = null;
  /** `X X^T`, row-major `n×n`. */
  private readonly sxx: Float64Array;
  /** `Y X^T`, row-major `m×n`. */
  private readonly syx: Float64Array;
  /** `||Y||_F^2`. */
  private readonly yy: number;
  /** Centre of the Gram form `C = Y X^+` (row-major `m×n`; zeros in the residual form). */
  private readonly wc: Float64Array;
  /** `grad l(C) = C Sxx - Syx` (row-major `m×n`, about 0). */
  private readonly gc: Float64Array;
  /** `l(C)`, by the residual form. */
  private readonly lc: number;
  /** `R` of the thin QR `X^T = Q R` (row-major `n×n`, upper triangular): `Sxx = R^T R`, `||E X|| = ||E R^T||`. */
  private readonly rq: Float64Array;
  /** Scratch `E = W - C` (row-major `m×n`; allocated on first use). */
  private erow: Float64Array = new Float64Array(0);
  /** Scratch `E R^T` (row-major `m×n`; allocated on first use). */
  private ert: Float64Array | null = null;
  /** The SIMD backend of the Gram form (`undefined` until first use; `null` when it does not apply). */
  private gramKernel: GramSquareKernel | null | undefined = undefined;

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
    const m = Ym.rows;
    const n = Xm.rows;
    const N = Xm.columns;
    const x = this.x;
    const y = this.y;
    this.gramForm = N > 2 * n;
    this.sxx = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let t = 0; t < N; t++) s += x[a * N + t] * x[b * N + t];
        this.sxx[a * n + b] = s;
        this.sxx[b * n + a] = s;
      }
    }
    this.syx = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < n; a++) {
        let s = 0;
        for (let t = 0; t < N; t++) s += y[i * N + t] * x[a * N + t];
        this.syx[i * n + a] = s;
      }
    }
    let yy = 0;
    for (let k = 0; k < y.length; k++) yy += y[k] * y[k];
    this.yy = yy;
    this.wc = new Float64Array(m * n);
    this.gc = new Float64Array(m * n);
    this.lc = 0;
    this.rq = new Float64Array(n * n);
    if (this.gramForm) {
      const Rm = new QrDecomposition(Xm.transpose()).upperTriangularMatrix;
      for (let a = 0; a < n; a++) for (let b = a; b < n; b++) this.rq[a * n + b] = Rm.get(a, b);
      // centre the quadratic at C = Y X^+ (a minimiser): l(W) = l(C) + <grad l(C), E> + 1/2 <E Sxx, E>, E = W - C,
      // an exact identity for any C; with C near the minimiser no large terms cancel.
      let C: Matrix | null = null;
      try {
        C = mmul(Ym, pinv(Xm), "squareLossData", ["Y", "X^+"]);
      } catch {
        C = null;
      }
      if (C) {
        const c = flatOf(C);
        let finite = true;
        for (let k = 0; k < c.length; k++) if (!Number.isFinite(c[k])) finite = false;
        if (finite) this.wc.set(c);
      }
      this.lc = this.valueAndGradientResidualRaw(this.wc, this.gc);
      this.r = null;
    } else {
      this.lc = 0.5 * yy;
      for (let k = 0; k < this.gc.length; k++) this.gc[k] = -this.syx[k];
    }
  }
  formula(): string {
    return "\\ell(W) = \\tfrac12 \\|W X - Y\\|_F^2";
  }
  protected valueAt(W: Matrix): number {
    const w = flatOf(W);
    const g = new Float64Array(w.length);
    return this.valueAndGradientRaw(w, g);
  }
  protected gradientAt(W: Matrix): Matrix {
    const [m, n] = this.shape;
    const w = flatOf(W);
    const g = new Float64Array(w.length);
    this.valueAndGradientRaw(w, g);
    const G = new Matrix(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) G.set(i, j, g[i * n + j]);
    return G;
  }
  protected hessianActionAt(_W: Matrix, D: Matrix): Matrix {
    // Hess l[D] = D X X^T = D Sxx (n×n, independent of N)
    const n = this.X.rows;
    const sxx = this.sxx;
    const H = new Matrix(D.rows, n);
    for (let i = 0; i < D.rows; i++) {
      for (let b = 0; b < n; b++) {
        let v = 0;
        for (let a = 0; a < n; a++) v += D.get(i, a) * sxx[a * n + b];
        H.set(i, b, v);
      }
    }
    return H;
  }
  /** `S = X X^T` (a copy of `Sxx`): `Hess l[D] = D Sxx` (see {@link MatrixLoss.hessianRightFactor}). */
  override hessianRightFactor(): Float64Array {
    return this.sxx.slice();
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    return this.gramForm ? this.valueAndGradientGramRaw(w, g) : this.valueAndGradientResidualRaw(w, g);
  }

  /**
   * Residual form (unchecked, row-major `w`, `g` of length `m n`): `R = W X - Y`, returns `1/2 ||R||^2` and writes
   * `grad l = R X^T` into `g`. `O(m n N)`; the reference for {@link SquareLossData.valueAndGradientGramRaw}.
   */
  valueAndGradientResidualRaw(w: Float64Array, g: Float64Array): number {
    const m = this.Y.rows;
    const n = this.X.rows;
    const N = this.X.columns;
    const x = this.x;
    const y = this.y;
    const r = this.r ?? (this.r = new Float64Array(m * N));
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

  /**
   * Gram form (unchecked, row-major `w`, `g` of length `m n`): writes `grad l = W Sxx - Syx` into `g` and returns
   * `l(W) = 1/2 (<W Sxx, W> - 2 <W, Syx> + ||Y||^2)`, clamped at `>= 0`. `O(m n^2)`, independent of `N`.
   * Evaluated centred at `C = Y X^+` (computed once): `E = W - C`, `grad l = grad l(C) + E Sxx`,
   * `l = l(C) + <grad l(C), E> + 1/2 ||E R^T||^2` (an exact identity of the quadratic; `l(C)` by the residual form,
   * `X^T = Q R` a thin QR computed once, so the quadratic term is a sum of squares), so the absolute rounding
   * error is about `eps l(W)` (plus `eps ||E|| ||grad l(C)||`) instead of the uncentred formula's `eps ||Y||_F^2`.
   */
  valueAndGradientGramRaw(w: Float64Array, g: Float64Array): number {
    if (this.gramKernel === undefined) {
      this.gramKernel = this.gramForm ? GramSquareKernel.create(this.Y.rows, this.X.rows, this.wc, this.gc, this.sxx, this.rq, this.lc) : null;
    }
    if (this.gramKernel !== null) {
      const v = this.gramKernel.valueAndGradient(w, g);
      if (v !== null) return v > 0 ? v : 0;
    }
    return this.valueAndGradientGramJs(w, g);
  }

  /**
   * The JavaScript twin of {@link SquareLossData.valueAndGradientGramRaw} (same contract, same bits): the reference
   * the WebAssembly SIMD kernel (`wasm/squareGram.ts`, used for Gram-form losses with at least 4 rows and
   * columns and `m n^2 >= 4096`) is tested against. Generic infrastructure of the data-form square loss (T5, A5, B1).
   * @throws never (unchecked: `w`, `g` of length `m n`).
   */
  valueAndGradientGramJs(w: Float64Array, g: Float64Array): number {
    const m = this.Y.rows;
    const n = this.X.rows;
    const wc = this.wc;
    const gc = this.gc;
    const mn = m * n;
    const e = this.erow.length === mn ? this.erow : (this.erow = new Float64Array(mn));
    for (let k = 0; k < mn; k++) e[k] = w[k] - wc[k];
    // E Sxx (register-blocked; each entry summed in increasing a, as the row-by-row loop)
    gemmStrided(m, n, n, e, 0, n, 1, this.sxx, 0, n, 1, g, 0, n);
    let lin = 0;
    let quad = 0;
    if (!this.gramForm) {
      // residual-form instance (no QR factor): uncentred <E Sxx, E>
      for (let k = 0; k < mn; k++) {
        const gk = g[k] + gc[k];
        lin += gc[k] * e[k];
        quad += (gk - gc[k]) * e[k];
        g[k] = gk;
      }
    } else {
      // <E Sxx, E> = ||E R^T||^2 (a sum of squares: no cancellation); (E R^T)_ik = sum_{a >= k} E_ia R_ka
      const t = this.ert ?? (this.ert = new Float64Array(mn));
      gemmStrided(m, n, n, e, 0, n, 1, this.rq, 0, 1, n, t, 0, n, true);
      // one pass, two independent sums (each in increasing k, as two separate loops would give)
      for (let k = 0; k < mn; k++) {
        lin += gc[k] * e[k];
        quad += t[k] * t[k];
        g[k] += gc[k];
      }
    }
    const v = this.lc + lin + 0.5 * quad;
    return v > 0 ? v : 0;
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
  /** Entrywise in `W - Q`: `Hess l(W)` is diagonal, so it acts row by row (the factored dense Hessian applies). */
  override readonly hessianRowSeparable: boolean = true;
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
  /** Batched {@link WeightedSquareLoss.valueAndGradientRaw} (struct-of-arrays; same operations per instance). */
  override valueAndGradientBatchRaw(w: Float64Array, g: Float64Array, values: Float64Array, count: number, stride: number): boolean {
    const q = this.q;
    const lam = this.lam;
    for (let r = 0; r < count; r++) values[r] = 0;
    for (let k = 0; k < q.length; k++) {
      const qk = q[k];
      const lk = lam[k];
      const o = k * stride;
      for (let r = 0; r < count; r++) {
        const d = w[o + r] - qk;
        const lr = lk * d;
        values[r] += lr * d;
        g[o + r] = 2 * lr;
      }
    }
    return true;
  }
}

/**
 * Square loss, matrix form `||W - Q||_F^2` (docs/theory.md; T5). See {@link SquareLoss}.
 * @param Q - `m×n` target. @throws ShapeError / DomainError for an empty, ragged or non-finite `Q`.
 */
export function squareLoss(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>): SquareLoss {
  return new SquareLoss(Q);
}

/**
 * Square loss, data form `1/2 ||W X - Y||_F^2` (docs/theory.md; T5, A1, A5, B1). See {@link SquareLossData}.
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
