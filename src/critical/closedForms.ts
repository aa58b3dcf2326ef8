/**
 * Closed forms for the square loss on deep linear networks (T5: TKB, Baldi–Hornik, Eckart–Young; B2–B5:
 * Zhou–Liang): every critical image `W_I`, its loss, pure / spurious, predicted Morse index on `M_r`, the global
 * minimum, and a balanced parameter point realising it in any widths and depth.
 *
 * Two forms of the loss:
 * - matrix form `l(W) = ||W - Q||^2` (no ½; docs/theory.md#t5), values `sigma_k` = singular values of `Q`;
 * - data form `l(W) = ½ ||W X - Y||^2` (docs/theory.md#b1, B1–B5), values `lambda_k` = eigenvalues of
 *   `Sigma = Y X^+ X Y^T` (pseudo-inverse, never `(X X^T)^{-1}`; rank-deficient `X` allowed).
 *
 * Degenerate inputs (repeated singular values / eigenvalues, rank-deficient `X`, `rank Q < r`) are detected and
 * returned in `degeneracies`; with `options.strict` the first two throw {@link DegenerateError}. With repeated
 * values the critical set is a continuum (any orthonormal basis of a tied eigenspace works): each image carries
 * its projector `P_{U_I}`, which is what should be compared, never individual singular vectors.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DegenerateError, DegeneracyKind, DomainError, ShapeError, describe } from "../core/errors";
import { EPS, pinv, svd } from "../core/linalg";
import { MatrixLike, frobNorm, mmul, rowMajorMatrix, shapeOf, sub, toMatrix, transpose, zeros } from "../core/matrix";
import { DeepLinearNetwork, dMuT, mu } from "../networks/deepLinear";
import { ThetaLike, Widths, fibreDimension, paramCount, toTheta, validateWidths } from "../networks/widths";
import { binomial, criticalImageCount, inversionIndex, subsets } from "./gaussianBinomial";
import { finiteArray, intArg, tolArg } from "../core/args";
import { checkOptions } from "../core/options";
import { Landscape } from "../landscape/landscape";
import { SquareLoss, SquareLossData } from "../losses/square";

/** Square loss in matrix form `l(W) = ||W - Q||^2` (`Q` is `d_h × d_0`; T5). */
export interface MatrixSquareProblem {
  readonly form: "matrix";
  readonly Q: Matrix;
}

/** Square loss in data form `l(W) = ½ ||W X - Y||^2` (`X` is `d_0 × n`, `Y` is `d_h × n`; B1–B5, T5 data version). */
export interface DataSquareProblem {
  readonly form: "data";
  readonly X: Matrix;
  readonly Y: Matrix;
}

/** Either form of the square loss. */
export type SquareProblem = MatrixSquareProblem | DataSquareProblem;

/**
 * The matrix-form square loss `||W - Q||^2` (T5). `Q` is copied and validated.
 * @throws ShapeError for a ragged or non-matrix `Q`; DomainError for a non-finite entry.
 */
export function matrixProblem(Q: MatrixLike): MatrixSquareProblem {
  return Object.freeze({ form: "matrix" as const, Q: toMatrix("matrixProblem", "Q", Q) });
}

/**
 * The data-form square loss `½ ||W X - Y||^2` (B1–B5). `X` (`d_0 × n`) and `Y` (`d_h × n`) are copied and validated.
 * @throws ShapeError unless `X` and `Y` have the same number of columns; DomainError for non-finite entries.
 */
export function dataProblem(X: MatrixLike, Y: MatrixLike): DataSquareProblem {
  const Xm = toMatrix("dataProblem", "X", X);
  const Ym = toMatrix("dataProblem", "Y", Y);
  if (Xm.columns !== Ym.columns) {
    throw new ShapeError("dataProblem", `X and Y must have the same number of columns (samples); got X ${shapeOf(Xm)} and Y ${shapeOf(Ym)}`);
  }
  return Object.freeze({ form: "data" as const, X: Xm, Y: Ym });
}

/** Validates a problem object and returns a private copy (inputs are never mutated). */
function checkProblem(fn: string, problem: unknown): SquareProblem {
  const p = problem as { form?: unknown; Q?: unknown; X?: unknown; Y?: unknown } | null;
  if (p && p.form === "matrix") return { form: "matrix", Q: toMatrix(fn, "problem.Q", p.Q) };
  if (p && p.form === "data") {
    const X = toMatrix(fn, "problem.X", p.X);
    const Y = toMatrix(fn, "problem.Y", p.Y);
    if (X.columns !== Y.columns) throw new ShapeError(fn, `problem.X and problem.Y must have the same number of columns; got ${shapeOf(X)} and ${shapeOf(Y)}`);
    return { form: "data", X, Y };
  }
  throw new DomainError(fn, `problem must be matrixProblem(Q) or dataProblem(X, Y) (form "matrix" or "data"); got ${describe(p ? p.form : p)}`);
}

/** `[d_h, d_0]` of the end-to-end matrix the problem expects. */
function problemShape(p: SquareProblem): [number, number] {
  return p.form === "matrix" ? [p.Q.rows, p.Q.columns] : [p.Y.rows, p.X.rows];
}

function checkWidthsAgainst(fn: string, widths: unknown, p: SquareProblem): Widths {
  const d = validateWidths(widths, fn);
  const [dh, d0] = problemShape(p);
  if (d[0] !== d0 || d[d.length - 1] !== dh) {
    const what = p.form === "matrix" ? `Q is ${shapeOf(p.Q)}` : `X is ${shapeOf(p.X)} and Y is ${shapeOf(p.Y)}`;
    throw new ShapeError(fn, `widths must start with d_0 = ${d0} and end with d_h = ${dh} (${what}); got [${d.join(", ")}]`);
  }
  return d;
}

/** One detected degeneracy of a square-loss problem. */
export interface Degeneracy {
  /** `"repeated-singular-values"` (matrix form), `"repeated-eigenvalues"` (data form), `"rank-deficient-data"`, `"rank-below-bottleneck"`. */
  readonly kind: DegeneracyKind;
  /** 1-based indices of the tied values (a whole tie group), or `[rank X, d_0]`, or `[m, r]`. */
  readonly indices: number[];
  /** Smallest relative gap `(v_k - v_{k+1}) / v_1` inside the tie group (0 for the other kinds). */
  readonly gap: number;
  /** What it means for the enumeration, in words. */
  readonly message: string;
}

/** Spectral data of a square-loss problem: the values that index the critical images. */
export interface SquareSpectrum {
  readonly form: "matrix" | "data";
  /** `sigma_k` (matrix form) or `lambda_k` (data form), descending, length `min` of the target's shape. */
  readonly values: number[];
  /** Singular values `c_k` of the target: `Q` (matrix form) or `Y X^+ X` (data form, `c_k = sqrt(lambda_k)`). */
  readonly singular: number[];
  /** `d_h × k` orthonormal left singular vectors of the target = eigenvectors of `Sigma` (data form). */
  readonly U: Matrix;
  /** `d_0 × k`: columns `b_k` with `W_I = sum_{i in I} c_i u_i b_i^T` (`b_k = v_k` in matrix form; `b_k = (X^+)^T ... ` in data form). */
  readonly B: Matrix;
  /** `m`: number of values above the rank tolerance (rank of `Q` or of `Sigma`). */
  readonly rank: number;
  /** Absolute threshold used on `singular` for `m`. */
  readonly rankTol: number;
  /** Loss at `W = 0`: `||Q||^2` or `½ tr(Y Y^T)`. */
  readonly lossAtZero: number;
  /** Data form only: `Sigma = Y X^+ X Y^T` (`d_h × d_h`). */
  readonly Sigma?: Matrix;
  /** Data form only: `X^+` (`n × d_0`). */
  readonly Xpinv?: Matrix;
  /** Data form only: numerical rank of `X`. */
  readonly rankX?: number;
}

function checkNonNegTol(fn: string, name: string, v: unknown): void {
  if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
    throw new DomainError(fn, `${name} must be a finite number >= 0; got ${describe(v)}`);
  }
}

/**
 * Spectral data of the square loss (T5, B1): SVD of `Q`, or of the whitened target `Y X^+ X` whose left singular
 * vectors are the eigenvectors of `Sigma = Y X^+ X Y^T` and whose squared singular values are its eigenvalues
 * `lambda_k` (more accurate than an eigen-solve of `Sigma`).
 * @param rankTol - absolute threshold on the target's singular values (default `max(dims) * eps * c_1` in matrix form,
 *   `16 max(dims) * eps * max(c_1, ||Y||_2)` in data form).
 * @throws DomainError for a bad problem or tolerance; ShapeError for mismatched `X`, `Y`.
 */
export function squareSpectrum(problem: SquareProblem, rankTol?: number): SquareSpectrum {
  const fn = "squareSpectrum";
  const p = checkProblem(fn, problem);
  checkNonNegTol(fn, "rankTol", rankTol);
  if (p.form === "matrix") {
    const { U, s, V } = svd(p.Q);
    const tol = rankTol ?? Math.max(p.Q.rows, p.Q.columns) * EPS * (s[0] ?? 0);
    let lossAtZero = 0;
    for (const x of s) lossAtZero += x * x;
    return { form: "matrix", values: s.slice(), singular: s.slice(), U, B: V, rank: s.filter((x) => x > tol).length, rankTol: tol, lossAtZero };
  }
  const Xp = pinv(p.X);
  const Yt = mmul(mmul(p.Y, Xp), p.X); // whitened target Y X^+ X (d_h × n)
  const { U, s, V } = svd(Yt);
  // relative to max(c_1, ||Y||_2): when Y X^+ X is zero up to round-off (Y X^T = 0), its own c_1 is noise
  const yScale = Math.max(s[0] ?? 0, svd(p.Y).s[0] ?? 0);
  const tol = rankTol ?? Math.max(Yt.rows, Yt.columns, p.X.rows) * EPS * yScale * 16;
  // b_k = (u_k^T Y X^+)^T / c_k, so that W_I = sum c_i u_i b_i^T = P_{U_I} Y X^+.
  const YXp = mmul(p.Y, Xp);
  const B = zeros(p.X.rows, s.length);
  for (let k = 0; k < s.length; k++) {
    if (!(s[k] > tol)) continue;
    for (let j = 0; j < p.X.rows; j++) {
      let acc = 0;
      for (let i = 0; i < p.Y.rows; i++) acc += U.get(i, k) * YXp.get(i, j);
      B.set(j, k, acc / s[k]);
    }
  }
  void V;
  let trYY = 0;
  for (let i = 0; i < p.Y.rows; i++) for (let j = 0; j < p.Y.columns; j++) trYY += p.Y.get(i, j) ** 2;
  const Sigma = mmul(Yt, transpose(Yt));
  const xs = svd(p.X).s;
  const xtol = Math.max(p.X.rows, p.X.columns) * EPS * (xs[0] ?? 0);
  return {
    form: "data",
    values: s.map((x) => x * x),
    singular: s.slice(),
    U,
    B,
    rank: s.filter((x) => x > tol).length,
    rankTol: tol,
    lossAtZero: 0.5 * trYY,
    Sigma,
    Xpinv: Xp,
    rankX: xs.filter((x) => x > xtol).length,
  };
}

/** Options of {@link criticalImages}. */
export interface CriticalImagesOptions {
  /** Throw {@link DegenerateError} on repeated values or rank-deficient `X` instead of reporting them (default false). */
  strict?: boolean;
  /** Relative gap `(v_k - v_{k+1}) / v_1` below which two nonzero values count as repeated (default `1e-8`). */
  gapTol?: number;
  /** Absolute threshold on the target's singular values for `m` (default as {@link squareSpectrum}). */
  rankTol?: number;
  /** Build the balanced parameter point of every image (default true). */
  realise?: boolean;
  /** Refuse enumerations with more images than this (default 20000). */
  maxImages?: number;
}

/** One critical image `W_I` of the square loss on `M_r` (T5). */
export interface CriticalImage {
  /** 1-based indices into `values`, ascending. */
  readonly I: number[];
  /** `|I|`, the rank of `W_I`. */
  readonly rank: number;
  /** D1 with the convention "critical at a singular point = grad l = 0": pure iff `|I| = r`, or `grad l(W_I) = 0` (`I = {1..m}`, `m < r`). */
  readonly kind: "pure" | "spurious";
  /** `sum_{j not in I} sigma_j^2` (matrix form) or `½ (tr YY^T - sum_{i in I} lambda_i)` (data form). */
  readonly loss: number;
  /** Predicted Morse index on `M_r`, `#{(i, j): i in I, j not in I, v_j > v_i}`, for rank-r images only (else null). */
  readonly morseIndex: number | null;
  /** True when the loss equals the smallest critical loss (greedy from the top; with ties every tied choice). */
  readonly globalMinimum: boolean;
  /** True when `I` contains part, not all, of a group of tied values: then `W_I` lies on a continuum of critical images. */
  readonly continuum: boolean;
  /** The critical image `W_I` (`d_h × d_0`): `sum_{i in I} sigma_i u_i v_i^T` or `P_{U_I} Y X^+`. */
  readonly W: Matrix;
  /** `P_{U_I} = U_I U_I^T` (`d_h × d_h`): compare these, not singular vectors. */
  readonly projector: Matrix;
  /** Balanced parameter point `[W_1, ..., W_h]` with `mu(theta) = W_I` (absent when `realise: false`). */
  readonly theta?: Matrix[];
  /** `||grad L(theta)||` at the balanced point (absent when `realise: false`). */
  readonly gradientNorm?: number;
}

/** Counts of the enumeration (T5 item 2). */
export interface CriticalImageCounts {
  /** Number of enumerated images `= sum_{k <= min(r, m)} C(m, k)`. */
  readonly total: number;
  /** Images of rank exactly `r`: `C(m, r)` (0 when `m < r`). */
  readonly rankR: number;
  /** Pure images: `C(m, r)`, or 1 when `m < r` (the rank-deficient global minimum, where `grad l = 0`). */
  readonly pure: number;
  /** Spurious images: `total - pure`. */
  readonly spurious: number;
}

/** Result of {@link criticalImages}. */
export interface CriticalImageSet {
  readonly form: "matrix" | "data";
  readonly widths: Widths;
  /** Bottleneck `r = min_i d_i`. */
  readonly r: number;
  /** `m = rank Q` or `rank Sigma`. */
  readonly m: number;
  /** `sigma_k` or `lambda_k`, descending. */
  readonly values: number[];
  readonly counts: CriticalImageCounts;
  readonly images: CriticalImage[];
  /** Smallest loss over the images (the global minimum value of `L`). */
  readonly globalLoss: number;
  /** Detected degeneracies (empty for generic input). */
  readonly degeneracies: Degeneracy[];
  /** Plain-language caveats (continua, rank-deficient global minimum, ...). */
  readonly notes: string[];
  /** The spectrum the enumeration used. */
  readonly spectrum: SquareSpectrum;
}

/**
 * Groups of consecutive nonzero values whose relative gaps are below `gapTol` (1-based indices): the ties that
 * break T5's "distinct nonzero singular values" (continua of critical points).
 * @throws DomainError for non-finite values, `m` outside `[0, values.length]` or a bad `gapTol`.
 */
export function tieGroups(values: readonly number[], m: number, gapTol: number): { indices: number[]; gap: number }[] {
  finiteArray("tieGroups", "values", values);
  intArg("tieGroups", "m", m, 0, values.length);
  tolArg("tieGroups", "gapTol", gapTol);
  const top = Math.abs(values[0] ?? 0) || 1;
  const groups: { indices: number[]; gap: number }[] = [];
  let cur: number[] = [1];
  let gap = Infinity;
  for (let k = 1; k < m; k++) {
    const g = (values[k - 1] - values[k]) / top;
    if (g <= gapTol) {
      cur.push(k + 1);
      gap = Math.min(gap, g);
    } else {
      if (cur.length > 1) groups.push({ indices: cur, gap });
      cur = [k + 1];
      gap = Infinity;
    }
  }
  if (cur.length > 1 && m > 0) groups.push({ indices: cur, gap });
  return groups;
}

/**
 * Detects the degeneracies of a square-loss problem for a bottleneck `r` (docs/theory.md#degenerate):
 * tied nonzero values (continua of critical points), rank-deficient `X` (minimisers not unique; the
 * images returned are the minimum-norm ones), and `m < r` (the global minimum is a rank-deficient, singular
 * point of `M_r`, pure because `grad l = 0`). These are the cases T5 and B1–B3 exclude or treat apart.
 * @throws DomainError for a negative or non-finite `gapTol`.
 */
export function detectDegeneracies(spectrum: SquareSpectrum, r: number, gapTol = 1e-8): Degeneracy[] {
  checkNonNegTol("detectDegeneracies", "gapTol", gapTol);
  if (!spectrum || typeof spectrum !== "object" || !Array.isArray(spectrum.values) || !Number.isInteger(spectrum.rank)) {
    throw new DomainError("detectDegeneracies", `spectrum must be a SquareSpectrum (squareSpectrum(problem)); got ${describe(spectrum)}`);
  }
  const out: Degeneracy[] = [];
  const kind: DegeneracyKind = spectrum.form === "matrix" ? "repeated-singular-values" : "repeated-eigenvalues";
  const name = spectrum.form === "matrix" ? "singular values sigma" : "eigenvalues lambda of Sigma";
  for (const g of tieGroups(spectrum.values, spectrum.rank, gapTol)) {
    out.push({
      kind,
      indices: g.indices,
      gap: g.gap,
      message: `${name} ${g.indices.join(", ")} are repeated (relative gap ${g.gap.toExponential(2)} <= ${gapTol}): the critical images selecting part of this group form a continuum, counts C(m, k) count index sets not critical points, and Hessians get extra zero eigenvalues; compare projectors, not singular vectors`,
    });
  }
  if (spectrum.form === "data" && spectrum.rankX !== undefined && spectrum.Xpinv !== undefined && spectrum.rankX < spectrum.Xpinv.columns) {
    const d0 = spectrum.Xpinv.columns;
    out.push({
      kind: "rank-deficient-data",
      indices: [spectrum.rankX, d0],
      gap: 0,
      message: `X has rank ${spectrum.rankX} < d_0 = ${d0}: X X^T is singular, Sigma uses X^+; each critical image W_I is determined only on col(X) (returned: the minimum-norm P_{U_I} Y X^+), and the parameter Hessian has extra zero directions along ker X^T`,
    });
  }
  if (spectrum.rank < r) {
    out.push({
      kind: "rank-below-bottleneck",
      indices: [spectrum.rank, r],
      gap: 0,
      message: `m = ${spectrum.rank} < r = ${r}: there are no rank-r critical images; the global minimum (I = {1..${spectrum.rank}}) is rank-deficient, a singular point of M_r where grad l = 0 (pure by the D1 convention)`,
    });
  }
  return out;
}

function loss(spectrum: SquareSpectrum, I: readonly number[]): number {
  const inI = new Set(I);
  if (spectrum.form === "matrix") {
    let s = 0;
    spectrum.values.forEach((v, k) => {
      if (!inI.has(k + 1)) s += v * v;
    });
    return s;
  }
  let sel = 0;
  for (const i of I) sel += spectrum.values[i - 1];
  return spectrum.lossAtZero - 0.5 * sel;
}

/**
 * The balanced factorisation of `W_I` in the given widths (T5 item 1): with `c_i` the target's singular
 * values, `W_1 = [diag(c_I)^{1/h} B_I^T; 0]`, middle layers `[diag(c_I)^{1/h} 0; 0 0]`, `W_h = [U_I diag(c_I)^{1/h}, 0]`
 * (`h = 1`: `W_1 = W_I`). Every partial product has rank `|I|`, which makes the point critical (the B5 recipe, docs/theory.md#b5).
 */
function balancedTheta(spectrum: SquareSpectrum, widths: Widths, I: readonly number[]): Matrix[] {
  const h = widths.length - 1;
  const k = I.length;
  const c = I.map((i) => spectrum.singular[i - 1]);
  const d0 = widths[0];
  const dh = widths[h];
  if (h === 1) return [imageMatrix(spectrum, I, dh, d0)];
  const root = c.map((x) => Math.pow(x, 1 / h));
  const theta: Matrix[] = [];
  const W1 = zeros(widths[1], d0);
  for (let a = 0; a < k; a++) for (let j = 0; j < d0; j++) W1.set(a, j, root[a] * spectrum.B.get(j, I[a] - 1));
  theta.push(W1);
  for (let l = 2; l < h; l++) {
    const Wl = zeros(widths[l], widths[l - 1]);
    for (let a = 0; a < k; a++) Wl.set(a, a, root[a]);
    theta.push(Wl);
  }
  const Wh = zeros(dh, widths[h - 1]);
  for (let a = 0; a < k; a++) for (let i = 0; i < dh; i++) Wh.set(i, a, spectrum.U.get(i, I[a] - 1) * root[a]);
  theta.push(Wh);
  return theta;
}

function imageMatrix(spectrum: SquareSpectrum, I: readonly number[], dh: number, d0: number): Matrix {
  const W = zeros(dh, d0);
  for (const i of I) {
    const c = spectrum.singular[i - 1];
    for (let a = 0; a < dh; a++) {
      const ua = spectrum.U.get(a, i - 1) * c;
      if (ua === 0) continue;
      for (let b = 0; b < d0; b++) W.set(a, b, W.get(a, b) + ua * spectrum.B.get(b, i - 1));
    }
  }
  return W;
}

/**
 * Gradient of the square loss on function space: `2 (W - Q)` (matrix form) or `(W X - Y) X^T` (data form), the
 * `G` of G2's criticality test `W^T G = 0`, `G W^T = 0` (T5).
 * @param W - `d_h × d_0`.
 * @throws ShapeError if `W` has the wrong shape.
 */
export function squareLossGradientW(problem: SquareProblem, W: MatrixLike): Matrix {
  const fn = "squareLossGradientW";
  const p = checkProblem(fn, problem);
  const Wm = toMatrix(fn, "W", W);
  const [dh, d0] = problemShape(p);
  if (Wm.rows !== dh || Wm.columns !== d0) throw new ShapeError(fn, `W must be ${dh}×${d0}; got ${shapeOf(Wm)}`);
  if (p.form === "matrix") {
    const D = sub(Wm, p.Q, fn);
    return D.mul(2) as Matrix; // D is our own copy
  }
  return mmul(sub(mmul(Wm, p.X), p.Y, fn), transpose(p.X));
}

/**
 * Value of the square loss at `W`: `||W - Q||^2` or `½ ||W X - Y||^2` (T5's loss `sum_{j not in I} sigma_j^2`; B2).
 * @throws ShapeError if `W` has the wrong shape.
 */
export function squareLossValueW(problem: SquareProblem, W: MatrixLike): number {
  const fn = "squareLossValueW";
  const p = checkProblem(fn, problem);
  const Wm = toMatrix(fn, "W", W);
  const [dh, d0] = problemShape(p);
  if (Wm.rows !== dh || Wm.columns !== d0) throw new ShapeError(fn, `W must be ${dh}×${d0}; got ${shapeOf(Wm)}`);
  if (p.form === "matrix") return frobNorm(sub(Wm, p.Q, fn)) ** 2;
  return 0.5 * frobNorm(sub(mmul(Wm, p.X), p.Y, fn)) ** 2;
}

/**
 * Parameter gradient `dL/dW_i = W_{>i}^T G W_{<i}^T`, `G = grad l(mu(theta))`, of the square loss (chain rule,
 * docs/theory.md notation; P1). Independent of `src/landscape` so closed forms (T5, B1, B5) can be checked on their own.
 * @throws DomainError / ShapeError for bad widths, theta or problem.
 */
export function squareLossGradient(problem: SquareProblem, widths: Widths, theta: ThetaLike): Matrix[] {
  const fn = "squareLossGradient";
  const p = checkProblem(fn, problem);
  const d = checkWidthsAgainst(fn, widths, p);
  theta = toTheta(fn, d, theta);
  return dMuT(d, theta, squareLossGradientW(p, mu(d, theta)));
}

/**
 * The balanced critical point realising `W_I` in the given widths (T5 item 1): see {@link criticalImages}.
 * @param I - 1-based indices into the sorted values, `|I| <= r`, each `<= m`.
 * @throws DomainError if `I` has repeated / out-of-range entries or `|I| > r`; ShapeError if widths do not match.
 */
export function balancedPoint(problem: SquareProblem, widths: Widths, I: readonly number[], rankTol?: number): Matrix[] {
  const fn = "balancedPoint";
  const p = checkProblem(fn, problem);
  const d = checkWidthsAgainst(fn, widths, p);
  const spectrum = squareSpectrum(p, rankTol);
  const sorted = checkSelection(fn, I, spectrum.rank, Math.min(...d));
  return balancedTheta(spectrum, d, sorted);
}

function checkSelection(fn: string, I: unknown, m: number, r: number): number[] {
  if (!Array.isArray(I)) throw new DomainError(fn, `I must be an array of 1-based indices; got ${describe(I)}`);
  const seen = new Set<number>();
  for (const i of I) {
    if (!Number.isInteger(i) || i < 1 || i > m) throw new DomainError(fn, `I must contain distinct integers in 1..m = ${m} (indices of nonzero values); got ${describe(i)}`);
    if (seen.has(i)) throw new DomainError(fn, `I must not repeat an index; got ${describe(I)}`);
    seen.add(i);
  }
  if (I.length > r) throw new DomainError(fn, `|I| must be <= r = ${r}; got |I| = ${I.length}`);
  return (I as number[]).slice().sort((a, b) => a - b);
}

/**
 * The factors of the critical images as flat rows (`c_t u_t`, `b_t`, `u_t` for `t < m`), from which an image's
 * `W_I = sum_{i in I} (c_i u_i) b_i^T` and `P_{U_I} = sum_{i in I} u_i u_i^T` are summed on demand, in increasing
 * `i` (the order of the matrix loops they replace, so the entries are the same to the last bit).
 */
class ImageStore {
  /** Entries per shared chunk of materialised matrices (32 KiB). */
  private static readonly CHUNK = 4096;
  private chunk = new Float64Array(0);
  private used = 0;
  private readonly uc: Float64Array;
  private readonly bf: Float64Array;
  private readonly uf: Float64Array;

  constructor(
    readonly spectrum: SquareSpectrum,
    readonly widths: Widths,
    readonly dh: number,
    readonly d0: number,
  ) {
    const m = spectrum.U.columns;
    this.uc = new Float64Array(m * dh);
    this.uf = new Float64Array(m * dh);
    this.bf = new Float64Array(m * d0);
    for (let t = 0; t < m; t++) {
      const c = spectrum.singular[t];
      for (let a = 0; a < dh; a++) {
        const u = spectrum.U.get(a, t);
        this.uf[t * dh + a] = u;
        this.uc[t * dh + a] = u * c;
      }
      if (t < spectrum.B.columns) for (let b = 0; b < d0; b++) this.bf[t * d0 + b] = spectrum.B.get(b, t);
    }
  }

  image(I: readonly number[]): Matrix {
    return this.sumOfOuter(I, this.uc, this.bf, this.dh, this.d0);
  }

  projector(I: readonly number[]): Matrix {
    return this.sumOfOuter(I, this.uf, this.uf, this.dh, this.dh);
  }

  private sumOfOuter(I: readonly number[], left: Float64Array, right: Float64Array, rows: number, cols: number): Matrix {
    // summed row-major into a slice of a shared zero chunk, then wrapped: the rows are views, so a matrix costs
    // no buffer of its own (allocating a small ArrayBuffer costs more than summing the 10×10 outer products)
    const size = rows * cols;
    if (this.used + size > this.chunk.length) {
      this.chunk = new Float64Array(Math.max(size, ImageStore.CHUNK));
      this.used = 0;
    }
    const out = this.chunk;
    const off = this.used;
    this.used += size;
    for (let q = 0; q < I.length; q++) {
      const lo = (I[q] - 1) * rows;
      const ro = (I[q] - 1) * cols;
      for (let a = 0; a < rows; a++) {
        const la = left[lo + a];
        if (la === 0) continue;
        const o = off + a * cols;
        for (let b = 0; b < cols; b++) out[o + b] += la * right[ro + b];
      }
    }
    return rowMajorMatrix(rows, cols, out, off);
  }
}

/**
 * A critical image of {@link criticalImages}: the scalar facts are computed during the enumeration; `W`,
 * `projector` and `theta` are built from the shared factors on first access (and kept), so enumerating allocates
 * no matrix per image.
 */
class EnumeratedImage implements CriticalImage {
  readonly rank: number;
  private w: Matrix | null = null;
  private p: Matrix | null = null;
  private th: Matrix[] | null = null;

  constructor(
    private readonly store: ImageStore,
    readonly I: number[],
    readonly kind: "pure" | "spurious",
    readonly loss: number,
    readonly morseIndex: number | null,
    readonly globalMinimum: boolean,
    readonly continuum: boolean,
    readonly gradientNorm: number | undefined,
  ) {
    this.rank = I.length;
  }

  get W(): Matrix {
    return this.w ?? (this.w = this.store.image(this.I));
  }

  get projector(): Matrix {
    return this.p ?? (this.p = this.store.projector(this.I));
  }

  get theta(): Matrix[] | undefined {
    if (this.gradientNorm === undefined) return undefined;
    return this.th ?? (this.th = balancedTheta(this.store.spectrum, this.store.widths, this.I));
  }

  /** The plain record (what `JSON.stringify` and structured copies see). */
  toJSON(): CriticalImage {
    const { I, rank, kind, loss, morseIndex, globalMinimum, continuum, W, projector, theta, gradientNorm } = this;
    return theta === undefined
      ? { I, rank, kind, loss, morseIndex, globalMinimum, continuum, W, projector }
      : { I, rank, kind, loss, morseIndex, globalMinimum, continuum, W, projector, theta, gradientNorm };
  }
}

/**
 * `I -> ||grad L(theta_I)||` at the balanced points, on one preallocated flat parameter vector and the landscape's
 * allocation-free gradient (the same `L = l o mu` as `dMuT(mu, grad l)`; at a critical point the norm is
 * rounding noise, about `eps ||theta||^h ||target||`).
 */
function balancedGradientNorms(p: SquareProblem, spectrum: SquareSpectrum, d: Widths): (I: readonly number[]) => number {
  const L = new Landscape(new DeepLinearNetwork(d), p.form === "matrix" ? new SquareLoss(p.Q) : new SquareLossData(p.X, p.Y));
  const x = new Float64Array(L.dim);
  const g = new Float64Array(L.dim);
  const h = d.length - 1;
  const d0 = d[0];
  const dh = d[h];
  return (I) => {
    x.fill(0);
    const k = I.length;
    if (h === 1) {
      for (const i of I) {
        const c = spectrum.singular[i - 1];
        for (let a = 0; a < dh; a++) {
          const ua = spectrum.U.get(a, i - 1) * c;
          if (ua === 0) continue;
          for (let b = 0; b < d0; b++) x[a * d0 + b] += ua * spectrum.B.get(b, i - 1);
        }
      }
    } else {
      let off = 0;
      for (let a = 0; a < k; a++) {
        const root = Math.pow(spectrum.singular[I[a] - 1], 1 / h);
        for (let j = 0; j < d0; j++) x[off + a * d0 + j] = root * spectrum.B.get(j, I[a] - 1);
      }
      off += d[1] * d0;
      for (let l = 2; l < h; l++) {
        for (let a = 0; a < k; a++) x[off + a * d[l - 1] + a] = Math.pow(spectrum.singular[I[a] - 1], 1 / h);
        off += d[l] * d[l - 1];
      }
      for (let a = 0; a < k; a++) {
        const root = Math.pow(spectrum.singular[I[a] - 1], 1 / h);
        for (let i = 0; i < dh; i++) x[off + i * d[h - 1] + a] = spectrum.U.get(i, I[a] - 1) * root;
      }
    }
    L.valueAndGradientFlat(x, g);
    let s = 0;
    for (let q = 0; q < g.length; q++) s += g[q] * g[q];
    return Math.sqrt(s);
  };
}

/**
 * Every critical image of the square loss on a deep linear network of the given widths (T5; Baldi–Hornik;
 * Eckart–Young; B2–B4), with a balanced parameter point realising each.
 *
 * For `I ⊆ {1..m}`, `|I| <= r` (`m = rank Q` or `rank Sigma`, `r = min_i d_i`):
 * - matrix form: `W_I = sum_{i in I} sigma_i u_i v_i^T`, loss `sum_{j not in I} sigma_j^2`;
 * - data form: `W_I = P_{U_I} Y X^+`, loss `½ (tr YY^T - sum_{i in I} lambda_i)` (B2);
 * - pure iff `|I| = r` (or `I = {1..m}` when `m < r`: a singular point with `grad l = 0`), else spurious (D1);
 * - Morse index on `M_r` (rank-r images): `#{(i, j): i in I, j not in I, v_j > v_i}`; it is 0 only for the
 *   truncated SVD, which is the global minimum (B3: greedy from the top);
 * - counts `sum_{k <= min(r, m)} C(m, k)` images, `C(m, r)` of rank r (depth `h >= 2`; for `h = 1`, `L = l` is convex
 *   and the only critical image is the minimiser).
 * Repeated values and rank-deficient `X` are reported in `degeneracies` (with `strict`, thrown).
 *
 * @param problem - {@link matrixProblem}`(Q)` (`Q` is `d_h × d_0`) or {@link dataProblem}`(X, Y)`.
 * @param widths - `d_0, ..., d_h`, any depth `h >= 1`.
 * @throws DomainError for bad widths / options / problem; ShapeError if widths do not match the problem;
 *   DegenerateError (`strict` only) for repeated values or rank-deficient X.
 */
export function criticalImages(problem: SquareProblem, widths: Widths, options: CriticalImagesOptions = {}): CriticalImageSet {
  const fn = "criticalImages";
  const p = checkProblem(fn, problem);
  const d = checkWidthsAgainst(fn, widths, p);
  checkOptions(fn, options, ["strict", "gapTol", "rankTol", "realise", "maxImages"]);
  checkNonNegTol(fn, "options.gapTol", options.gapTol);
  checkNonNegTol(fn, "options.rankTol", options.rankTol);
  const maxImages = options.maxImages ?? 20000;
  if (!Number.isInteger(maxImages) || maxImages < 1) throw new DomainError(fn, `options.maxImages must be a positive integer; got ${describe(maxImages)}`);
  const gapTol = options.gapTol ?? 1e-8;
  const realise = options.realise ?? true;
  const r = Math.min(...d);
  const spectrum = squareSpectrum(p, options.rankTol);
  const m = spectrum.rank;
  const degeneracies = detectDegeneracies(spectrum, r, gapTol);
  if (options.strict) {
    const bad = degeneracies.find((g) => g.kind !== "rank-below-bottleneck");
    if (bad) throw new DegenerateError(fn, bad.kind, `input must be generic in strict mode; ${bad.message}`);
  }
  const h = d.length - 1;
  // depth 1: L = l is convex, so the only critical point of L is the minimiser (I = {1..m}, as r = min(d_0, d_h) >= m)
  const total = h === 1 ? 1 : criticalImageCount(m, r);
  if (total > maxImages) throw new DomainError(fn, `the enumeration has ${total} images > options.maxImages = ${maxImages}; raise maxImages or reduce m = ${m}, r = ${r}`);

  const [dh, d0] = problemShape(p);
  const values = spectrum.values;
  const groups = tieGroups(values, m, gapTol);
  const valueTol = gapTol * (Math.abs(values[0] ?? 0) || 1);
  const store = new ImageStore(spectrum, d, dh, d0);
  const gradient = realise ? balancedGradientNorms(p, spectrum, d) : null;
  // one pass over the index sets with a membership mask (no Set, no copy of `values` per image)
  const mark = new Uint8Array(values.length + 2);
  const sets: number[][] = [];
  const losses: number[] = [];
  const flags: number[] = []; // bit 0: continuum
  const morse: Array<number | null> = [];
  const norms: number[] = [];
  for (let k = h === 1 ? Math.min(r, m) : 0; k <= Math.min(r, m); k++) {
    for (const I of subsets(m, k)) {
      for (const i of I) mark[i] = 1;
      let continuum = false;
      for (const g of groups) {
        let hit = 0;
        for (const i of g.indices) hit += mark[i];
        if (hit > 0 && hit < g.indices.length) continuum = true;
      }
      let lossI: number;
      if (spectrum.form === "matrix") {
        lossI = 0;
        for (let t = 0; t < values.length; t++) if (mark[t + 1] === 0) lossI += values[t] * values[t];
      } else {
        let sel = 0;
        for (const i of I) sel += values[i - 1];
        lossI = spectrum.lossAtZero - 0.5 * sel;
      }
      let index: number | null = null;
      if (k === r) {
        // Morse index on M_r: #{(i, j): i in I, j not in I, v_j > v_i + tol} (inversionIndex, without its Set)
        index = 0;
        for (const i of I) for (let j = 1; j <= m; j++) if (mark[j] === 0 && values[j - 1] > values[i - 1] + valueTol) index++;
      }
      if (gradient) norms.push(gradient(I));
      for (const i of I) mark[i] = 0;
      sets.push(I);
      losses.push(lossI);
      flags.push(continuum ? 1 : 0);
      morse.push(index);
    }
  }
  let globalLoss = Infinity;
  for (const v of losses) globalLoss = Math.min(globalLoss, v);
  const lossTol = 1e-10 * Math.max(1, Math.abs(spectrum.lossAtZero));
  const final: CriticalImage[] = sets.map(
    (I, q) =>
      new EnumeratedImage(
        store,
        I,
        I.length === r || I.length === m ? "pure" : "spurious",
        losses[q],
        morse[q],
        Math.abs(losses[q] - globalLoss) <= lossTol,
        flags[q] === 1,
        realise ? norms[q] : undefined,
      ),
  );
  const rankR = m >= r ? (h === 1 ? 1 : binomial(m, r)) : 0;
  const pureCount = final.filter((im) => im.kind === "pure").length;
  const notes: string[] = [];
  if (groups.length > 0) notes.push("repeated values: images flagged `continuum` lie on continua of critical images; compare `projector`s, not singular vectors; Morse indices do not count tied pairs");
  if (h === 1) notes.push("depth 1: L = l is convex, so the only critical point is the minimiser W = Q (matrix form) or P Y X^+ (data form); the lower-rank images are critical only with a hidden layer");
  if (m < r) notes.push(`m = ${m} < r = ${r}: no rank-r critical image; the global minimum I = {1..${m}} is rank-deficient (a singular point of M_r) and pure since grad l = 0`);
  if (spectrum.form === "data" && degeneracies.some((g) => g.kind === "rank-deficient-data")) notes.push("rank-deficient X: W_I is the minimum-norm representative; W_I + Z with Z X = 0 is critical as well");
  return {
    form: p.form,
    widths: d,
    r,
    m,
    values: values.slice(),
    counts: { total: final.length, rankR, pure: pureCount, spurious: final.length - pureCount },
    images: final,
    globalLoss,
    degeneracies,
    notes,
    spectrum,
  };
}

/** Predicted inertia of the parameter Hessian at a pure critical point. */
export interface ParameterInertia {
  readonly negative: number;
  readonly zero: number;
  readonly positive: number;
}

/**
 * Predicted inertia of the parameter Hessian of `L` at a pure rank-r critical point of the square loss with
 * distinct values and `X X^T` invertible (T5 item 4): `#negative = morseIndex`, `#zero = fibreDimension(widths)
 * = dim theta - r (d_0 + d_h - r)`, `#positive` = the rest. Ties or rank-deficient X add zero eigenvalues.
 * @throws DomainError for bad widths or a Morse index outside `0..dim M_r`.
 */
export function expectedParameterInertia(widths: Widths, morseIndex: number): ParameterInertia {
  const fn = "expectedParameterInertia";
  const d = validateWidths(widths, fn);
  const n = paramCount(d);
  const zero = fibreDimension(d);
  if (!Number.isInteger(morseIndex) || morseIndex < 0 || morseIndex > n - zero) {
    throw new DomainError(fn, `morseIndex must be an integer in 0..dim M_r = ${n - zero}; got ${describe(morseIndex)}`);
  }
  return { negative: morseIndex, zero, positive: n - zero - morseIndex };
}

/** Result of {@link matchCriticalImage}. */
export interface CriticalImageMatch {
  /** The nearest enumerated image (by `||W - W_I||_F`). */
  readonly image: CriticalImage;
  /** `||W - W_I||_F`. */
  readonly distance: number;
  /** `||P_{col W} - P_{U_I}||_F` with `col W` at rank threshold `rankTol * max(1, sigma_1(W))`: the basis-free comparison (ties). */
  readonly projectorDistance: number;
  /** `distance <= tol * max(1, ||W_I||_F)`. */
  readonly matches: boolean;
}

/**
 * Matches an end-to-end matrix (e.g. `mu(theta)` at a point returned by a finder) against the enumerated critical
 * images (T5 "every point it returns matches a closed-form image"): the nearest `W_I`, its distance, and the
 * distance between column-space projectors (the comparison to use when values are repeated).
 * @param W - `d_h × d_0`.
 * @param tol - relative tolerance for `matches` (default 1e-6, suitable after an optimiser).
 * @param rankTol - threshold for the rank of `W`, relative to `max(1, sigma_1(W))` (default 1e-6).
 * @throws ShapeError if `W` has the wrong shape; DomainError for bad tolerances or an empty set.
 */
export function matchCriticalImage(set: CriticalImageSet, W: MatrixLike, tol = 1e-6, rankTol = 1e-6): CriticalImageMatch {
  const fn = "matchCriticalImage";
  checkNonNegTol(fn, "tol", tol);
  checkNonNegTol(fn, "rankTol", rankTol);
  if (!set || !Array.isArray(set.images) || set.images.length === 0) throw new DomainError(fn, `set must be a non-empty result of criticalImages; got ${describe(set)}`);
  const Wm = toMatrix(fn, "W", W);
  const ref = set.images[0].W;
  if (Wm.rows !== ref.rows || Wm.columns !== ref.columns) throw new ShapeError(fn, `W must be ${shapeOf(ref)}; got ${shapeOf(Wm)}`);
  let best = set.images[0];
  let bestD = Infinity;
  for (const im of set.images) {
    const dist = frobNorm(sub(Wm, im.W, fn));
    if (dist < bestD) {
      bestD = dist;
      best = im;
    }
  }
  const { U, s } = svd(Wm);
  const k = s.filter((x) => x > rankTol * Math.max(1, s[0] ?? 0)).length;
  const Pw = zeros(Wm.rows, Wm.rows);
  for (let c = 0; c < k; c++) for (let a = 0; a < Wm.rows; a++) for (let b = 0; b < Wm.rows; b++) Pw.set(a, b, Pw.get(a, b) + U.get(a, c) * U.get(b, c));
  const projectorDistance = frobNorm(sub(Pw, best.projector, fn));
  return { image: best, distance: bestD, projectorDistance, matches: bestD <= tol * Math.max(1, frobNorm(best.W)) };
}
