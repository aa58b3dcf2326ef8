/**
 * The differential of a deep linear network as a matrix and as a subspace: the Jacobian of `mu`, the image
 * `Im dmu(theta) = sum_i Col(W_{>i}) ⊗ Row(W_{<i})` (T1), numerical ranks, and the maximal-rank /
 * surjectivity criterion (T2).
 *
 * Tolerances: rank decisions here are **relative**: a singular value counts when `s_k > tol * s_1`
 * (default `tol = 1e-10`, suited to exact constructions; use about `1e-6` after an optimiser run).
 * @module
 */
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { svd } from "../core/linalg";
import { mu, partialProducts } from "./deepLinear";
import { ThetaLike, Widths, functionalDim, isFilling, paramCount, toTheta, validateWidths } from "./widths";

/** Default relative rank tolerance of this module (the rank decisions of T1 and T2). */
export const DEFAULT_RANK_TOL = 1e-10;

function relTol(fn: string, tol: number | undefined): number {
  const t = tol ?? DEFAULT_RANK_TOL;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0 || t >= 1) throw new DomainError(fn, `tol must be a relative tolerance in [0, 1); got ${describe(tol)}`);
  return t;
}

/** Relative numerical rank and thin SVD pieces. */
function relRank(A: Matrix, t: number): { rank: number; U: Matrix; V: Matrix } {
  const { U, s, V } = svd(A);
  const top = s[0] ?? 0;
  const rank = s.filter((x) => x > t * top && x > 0).length;
  return { rank, U, V };
}

/**
 * Jacobian of `mu` at `theta`: the `(d_h d_0) × N` matrix whose column `k` is `vec_r(dmu(theta)[E_k])`,
 * `E_k` the k-th unit parameter in pack order (`packTheta`), `vec_r` row-major. For the entry `(a, b)` of
 * `W_i`, the column is `vec_r((W_{>i} e_a)(e_b^T W_{<i}))` (T1).
 * @param options - `maxEntries`: refuse above this many dense entries (default `WORK_LIMITS.denseEntries`, 2e7).
 * @throws DomainError for bad widths; ShapeError / DomainError for a bad `theta`; ResourceError when the Jacobian
 *   exceeds `options.maxEntries` (checked before allocating).
 */
export function dMuJacobian(widths: Widths, theta: ThetaLike, options: { maxEntries?: number } = {}): Matrix {
  const d = validateWidths(widths, "dMuJacobian");
  const o = checkOptions("dMuJacobian", options, ["maxEntries"]);
  const rows = d[d.length - 1] * d[0];
  checkWork("dMuJacobian", `the dense ${rows}×${paramCount(d)} Jacobian of mu`, rows * paramCount(d), o.maxEntries ?? WORK_LIMITS.denseEntries,
    "Jacobian-vector products (dMu, dMuT) or the rank formula of T1 (dMuImage on smaller widths)", "options.maxEntries");
  theta = toTheta("dMuJacobian", d, theta);
  const { before, after } = partialProducts(d, theta);
  const m = d[d.length - 1];
  const n = d[0];
  const J = new Matrix(m * n, paramCount(d));
  let col = 0;
  for (let i = 0; i < theta.length; i++) {
    const A = after[i]; // d_h × d_i
    const B = before[i]; // d_{i-1} × d_0
    for (let a = 0; a < theta[i].rows; a++) {
      for (let b = 0; b < theta[i].columns; b++) {
        for (let p = 0; p < m; p++) {
          const ap = A.get(p, a);
          if (ap === 0) continue;
          for (let q = 0; q < n; q++) J.set(p * n + q, col, ap * B.get(b, q));
        }
        col++;
      }
    }
  }
  return J;
}

/**
 * Numerical rank of the Jacobian of `mu` (relative tolerance `tol`, default 1e-10) (T1, T2).
 * @throws DomainError for bad widths or tolerance; ShapeError / DomainError for a bad `theta`.
 */
export function dMuRank(widths: Widths, theta: ThetaLike, tol?: number): number {
  const t = relTol("dMuRank", tol);
  return relRank(dMuJacobian(widths, theta), t).rank;
}

/**
 * Rank of `mu(theta) = W_h ... W_1` (relative tolerance `tol`, default 1e-10): the point of the functional
 * space `M_r` that `theta` represents lies in `M_e`, `e` = this rank (G1, T2).
 * @throws DomainError for bad widths or tolerance; ShapeError / DomainError for a bad `theta`.
 */
export function functionalRank(widths: Widths, theta: ThetaLike, tol?: number): number {
  const t = relTol("functionalRank", tol);
  const d = validateWidths(widths, "functionalRank");
  theta = toTheta("functionalRank", d, theta);
  return relRank(mu(d, theta), t).rank;
}

/** The image of `dmu(theta)` (T1). */
export interface DMuImage {
  /** Orthonormal basis (columns) of `Im dmu(theta)` inside `R^{d_h d_0}` (row-major vec). */
  basis: Matrix;
  /** `dim Im dmu(theta) = dim sum_i Col(W_{>i}) ⊗ Row(W_{<i})`. */
  dimension: number;
  /** `rank W_{>i}` for `i = 1..h` (index 0 is layer 1). */
  ranksAfter: number[];
  /** `rank W_{<i}` for `i = 1..h`. */
  ranksBefore: number[];
}

/**
 * Orthonormal basis of `sum_i Col(W_{>i}) ⊗ Row(W_{<i})` (T1), computed from the subspaces (SVDs of the
 * partial products), not from the Jacobian, so that it can be compared with {@link dMuRank}.
 * @throws DomainError for bad widths or tolerance; ShapeError / DomainError for a bad `theta`.
 */
export function dMuImage(widths: Widths, theta: ThetaLike, tol?: number): DMuImage {
  const t = relTol("dMuImage", tol);
  const d = validateWidths(widths, "dMuImage");
  theta = toTheta("dMuImage", d, theta);
  const { before, after } = partialProducts(d, theta);
  const m = d[d.length - 1];
  const n = d[0];
  const vecs: number[][] = [];
  const ranksAfter: number[] = [];
  const ranksBefore: number[] = [];
  for (let i = 0; i < theta.length; i++) {
    const A = relRank(after[i], t);
    const B = relRank(before[i], t);
    ranksAfter.push(A.rank);
    ranksBefore.push(B.rank);
    for (let a = 0; a < A.rank; a++) {
      for (let b = 0; b < B.rank; b++) {
        const v = new Array<number>(m * n);
        for (let p = 0; p < m; p++) for (let q = 0; q < n; q++) v[p * n + q] = A.U.get(p, a) * B.V.get(q, b);
        vecs.push(v);
      }
    }
  }
  if (vecs.length === 0) return { basis: new Matrix(m * n, 0), dimension: 0, ranksAfter, ranksBefore };
  const S = new Matrix(m * n, vecs.length);
  vecs.forEach((v, c) => v.forEach((x, r) => S.set(r, c, x)));
  // the spanning vectors are unit vectors; the sum's dimension is the rank of S (absolute threshold ~ tol)
  const { U, s } = svd(S);
  const dim = s.filter((x) => x > Math.max(t, 1e-12) * Math.max(1, Math.sqrt(vecs.length))).length;
  const basis = new Matrix(m * n, dim);
  for (let k = 0; k < dim; k++) for (let r = 0; r < m * n; r++) basis.set(r, k, U.get(r, k));
  return { basis, dimension: dim, ranksAfter, ranksBefore };
}

/** Outcome of the T2 criterion at a point `theta`. */
export interface T2Report {
  /** The answer to the question asked (maximal rank, or surjective onto all matrices). */
  holds: boolean;
  /** Which case of T2 decided it. */
  case: "full-rank" | "non-filling-deficient" | "filling-criterion";
  /** Why, in one sentence. */
  reason: string;
  /** `e = rank mu(theta)`. */
  rankMu: number;
  /** Bottleneck `r`. */
  r: number;
  /** Whether the architecture is filling. */
  filling: boolean;
  /** `dim M_r = r (d_0 + d_h - r)` (maximal possible rank of `dmu`). */
  dimMr: number;
  /** Measured numerical rank of the Jacobian. */
  dMuRank: number;
  /** T1 dimension `dim sum_i Col(W_{>i}) ⊗ Row(W_{<i})`. */
  imageDimension: number;
  /** For the filling criterion: the first layer `i` (1-based) with `rank W_{>i} = d_h` and `rank W_{<i} = d_0`, else null. */
  index: number | null;
  /** True when the prediction agrees with the measured Jacobian rank. */
  consistent: boolean;
}

function t2(fn: string, widths: Widths, theta: ThetaLike, tol: number | undefined): Omit<T2Report, "holds"> & { maximal: boolean } {
  const t = relTol(fn, tol);
  const d = validateWidths(widths, fn);
  theta = toTheta(fn, d, theta);
  const h = d.length - 1;
  const r = Math.min(...d);
  const filling = isFilling(d);
  const dimMr = functionalDim(d);
  const e = functionalRank(d, theta, t);
  const rank = dMuRank(d, theta, t);
  const img = dMuImage(d, theta, t);
  let kase: T2Report["case"];
  let maximal: boolean;
  let index: number | null = null;
  let reason: string;
  if (e === r) {
    kase = "full-rank";
    maximal = true;
    reason = `rank mu(theta) = r = ${r}: dmu maps onto the tangent space of M_r (T2.1), rank ${dimMr}`;
  } else if (!filling) {
    kase = "non-filling-deficient";
    maximal = false;
    reason = `non-filling and rank mu(theta) = ${e} < r = ${r}: dmu is rank-deficient (T2.2), rank ${rank} < dim M_r = ${dimMr}`;
  } else {
    kase = "filling-criterion";
    for (let i = 0; i < h; i++) {
      if (img.ranksAfter[i] === d[h] && img.ranksBefore[i] === d[0]) {
        index = i + 1;
        break;
      }
    }
    maximal = index !== null;
    reason = maximal
      ? `filling, rank mu = ${e} < r = ${r}, and layer i = ${index} has rank W_{>i} = d_h = ${d[h]} and rank W_{<i} = d_0 = ${d[0]}: dmu is surjective (T2.3)`
      : `filling, rank mu = ${e} < r = ${r}, and no layer i has rank W_{>i} = d_h and rank W_{<i} = d_0: dmu is not surjective (T2.3), rank ${rank} < ${dimMr}`;
  }
  return {
    maximal,
    case: kase,
    reason,
    rankMu: e,
    r,
    filling,
    dimMr,
    dMuRank: rank,
    imageDimension: img.dimension,
    index,
    consistent: (rank === dimMr) === maximal && rank === img.dimension,
  };
}

/**
 * T2: does `dmu(theta)` have maximal rank `dim M_r`? Decided by the theorem's cases (rank `mu = r`;
 * non-filling and rank `< r`: no; filling and rank `< r`: iff some `i` has `rank W_{>i} = d_h` and
 * `rank W_{<i} = d_0`), with the measured Jacobian rank attached (`consistent`).
 * @throws DomainError for bad widths or tolerance; ShapeError / DomainError for a bad `theta`.
 */
export function isMaximalRank(widths: Widths, theta: ThetaLike, tol?: number): T2Report {
  const { maximal, ...rest } = t2("isMaximalRank", widths, theta, tol);
  return { holds: maximal, ...rest };
}

/**
 * T2: is `dmu(theta)` surjective onto all of `R^{d_h×d_0}`? Only possible for filling architectures, where it
 * is equivalent to maximal rank (T2.1, T2.3).
 * @throws DomainError for bad widths or tolerance; ShapeError / DomainError for a bad `theta`.
 */
export function dMuIsSurjective(widths: Widths, theta: ThetaLike, tol?: number): T2Report {
  const { maximal, ...rest } = t2("dMuIsSurjective", widths, theta, tol);
  const holds = maximal && rest.filling;
  const reason = !rest.filling ? `non-filling: Im dmu lies in T M_r of dimension at most ${rest.dimMr} < d_h d_0; ${rest.reason}` : rest.reason;
  return { holds, ...rest, reason };
}
