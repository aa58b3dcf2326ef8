/**
 * Deep critical points of the square loss `L = ½ ||W_h ... W_1 X - Y||^2` built from their end-to-end form (B5–B7;
 * docs/theory.md#b5). The recipe is our derivation (a reconstruction, not the paper's per-layer parametrisation):
 * take `W = P Y X^+` with `P = U_S U_S^T` the projector onto selected eigenvectors of `Sigma = Y X^+ X Y^T`, and factor
 * it so that **every** partial product `W_{h:i+1}` and `W_{i:1}` has rank exactly `k = |S|`. Then
 * `W_{h:i+1}^T (P - I) = 0` and `(P - I) Sigma U_S = 0` make every layer's gradient vanish.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { pinv, symEig } from "../core/linalg";
import { MatrixLike, mmul, mmulChain, shapeOf, toMatrix, transpose, zeros } from "../core/matrix";
import { Rng, rng as makeRng } from "../core/random";
import { checkOptions } from "../core/options";
import { Widths, validateWidths } from "../networks/widths";

/** Options of {@link deepCriticalPoint}. */
export interface DeepCriticalOptions {
  /** Seed of the random hidden frames `J_i` (default 0); ignored when `rng` is given. */
  seed?: number;
  /** A generator for the hidden frames (overrides `seed`). */
  rng?: Rng;
  /** Relative threshold below which an eigenvalue of Sigma counts as zero (default 1e-10 · lambda_1). */
  eigTol?: number;
}

/** A deep critical point built by {@link deepCriticalPoint}. */
export interface DeepCriticalPoint {
  /** `theta = [W_1 (d_1×d_0), ..., W_h (d_h×d_{h-1})]`. */
  readonly theta: Matrix[];
  /** End-to-end `W = W_h ... W_1 = P Y X^+` (`d_h × d_0`). */
  readonly W: Matrix;
  /** `P = U_S U_S^T` (`d_h × d_h`), the projector onto the selected eigenvectors of Sigma. */
  readonly P: Matrix;
  /** Eigenvalues of Sigma, descending (`lambda_1 >= ... >= lambda_{d_h}`, round-off negatives clipped to 0). */
  readonly lambdas: number[];
  /** B2/B6 loss `½ (tr YY^T - sum_{i in S} lambda_i)`. */
  readonly predictedLoss: number;
  /** The selection, sorted. */
  readonly S: number[];
}

/**
 * Builds a critical point of `½ ||W_h ... W_1 X - Y||^2` with end-to-end map `W = P Y X^+`, `P = U_S U_S^T` (B5–B7,
 * our recipe, docs/theory.md#b5). With `B = U_S^T Y X^+` (`k × d_0`, rank `k`), `A = U_S` (`d_h × k`) and seeded Gaussian
 * frames `J_i` (`d_i × k`, full column rank) for the hidden layers:
 * `W_1 = J_1 B`, `W_i = J_i J_{i-1}^+` (`1 < i < h`), `W_h = A J_{h-1}^+`; for `S = ∅` every layer is zero. Since `J^+ J = I_k`,
 * every partial product has rank `k`, `W_{i:1} = J_i B` and `W_{h:i+1} = A J_i^+`.
 * @param X - `d_0 × n` inputs. @param Y - `d_h × n` targets. @param widths - `(d_0, ..., d_h)`.
 * @param S - distinct 1-based indices of eigenvalues of Sigma (descending order), `|S| <= min_i d_i`, each with `lambda_i > 0`.
 * @throws ShapeError if X, Y and the widths disagree; DomainError for bad widths or depth h < 2, a bad selection (repeated, out of range,
 *   too many for the bottleneck, or selecting a zero eigenvalue), non-finite data or bad options; UnknownOptionError for an
 *   unknown option.
 */
export function deepCriticalPoint(X: MatrixLike, Y: MatrixLike, widths: Widths, S: readonly number[], options: DeepCriticalOptions = {}): DeepCriticalPoint {
  const fn = "deepCriticalPoint";
  const o = checkOptions(fn, options, ["seed", "rng", "eigTol"]);
  const d = validateWidths(widths, fn);
  const Xm = toMatrix(fn, "X", X);
  const Ym = toMatrix(fn, "Y", Y);
  if (Xm.columns !== Ym.columns) throw new ShapeError(fn, `X and Y must have the same number of columns (samples); got X ${shapeOf(Xm)} and Y ${shapeOf(Ym)}`);
  const h = d.length - 1;
  if (h < 2) throw new DomainError(fn, `widths must describe a network with at least one hidden layer (h >= 2; for h = 1 the only critical map is Y X^+ on the positive eigenspace); got ${describe(d)}`);
  if (Xm.rows !== d[0] || Ym.rows !== d[h]) throw new ShapeError(fn, `widths must start with d_0 = rows of X (${Xm.rows}) and end with d_h = rows of Y (${Ym.rows}); got ${describe(d)}`);
  if (o.rng !== undefined && !(o.rng instanceof Rng)) throw new DomainError(fn, `options.rng must be an Rng (rng(seed)); got ${describe(o.rng)}`);
  const eigTol = o.eigTol ?? 1e-10;
  if (typeof eigTol !== "number" || !Number.isFinite(eigTol) || eigTol < 0) throw new DomainError(fn, `options.eigTol must be a finite number >= 0; got ${describe(eigTol)}`);
  if (!Array.isArray(S)) throw new DomainError(fn, `S must be an array of 1-based indices; got ${describe(S)}`);
  const k = S.length;
  const r = Math.min(...d);
  if (k > r) throw new DomainError(fn, `|S| must be <= the bottleneck min_i d_i = ${r}; got |S| = ${k}`);
  const Xp = pinv(Xm);
  const YXp = mmul(Ym, Xp);
  const Sigma0 = mmulChain([YXp, Xm, transpose(Ym)]);
  const Sigma = Sigma0.add(transpose(Sigma0)).mul(0.5) as Matrix;
  const eig = symEig(Sigma);
  const lambdas = eig.values.map((v) => Math.max(0, v));
  const zero = eigTol * Math.max(lambdas[0] ?? 0, Number.MIN_VALUE);
  const sorted = [...S].sort((a, b) => a - b);
  sorted.forEach((i, c) => {
    if (!Number.isInteger(i) || i < 1 || i > d[h]) throw new DomainError(fn, `S must contain integers in 1..d_h = ${d[h]}; got ${describe(i)}`);
    if (c > 0 && sorted[c - 1] === i) throw new DomainError(fn, `S must not repeat an index; got ${describe(S)}`);
    if (!(lambdas[i - 1] > zero)) throw new DomainError(fn, `S may select only positive eigenvalues of Sigma (lambda_${i} = ${lambdas[i - 1]} <= ${zero}): a zero eigenvalue adds nothing and breaks the rank-${k} factorisation`);
  });
  const A = new Matrix(d[h], k);
  sorted.forEach((i, c) => {
    for (let a = 0; a < d[h]; a++) A.set(a, c, eig.vectors.get(a, i - 1));
  });
  const B = mmul(transpose(A), YXp); // k × d_0
  const P = mmul(A, transpose(A));
  const W = mmul(P, YXp);
  let theta: Matrix[];
  if (k === 0) theta = d.slice(1).map((di, i) => zeros(di, d[i]));
  else {
    const g = o.rng ?? makeRng(o.seed ?? 0);
    const J = d.slice(1, h).map((di) => g.gaussian(di, k));
    const Jp = J.map((Ji) => pinv(Ji));
    theta = [mmul(J[0], B)];
    for (let i = 1; i < h - 1; i++) theta.push(mmul(J[i], Jp[i - 1]));
    theta.push(mmul(A, Jp[h - 2]));
  }
  let trYY = 0;
  for (let i = 0; i < Ym.rows; i++) for (let j = 0; j < Ym.columns; j++) trYY += Ym.get(i, j) ** 2;
  const predictedLoss = 0.5 * (trYY - sorted.reduce((a, i) => a + lambdas[i - 1], 0));
  return { theta, W, P, lambdas, predictedLoss, S: sorted };
}
