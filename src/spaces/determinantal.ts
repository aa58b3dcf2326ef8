/**
 * Functional spaces of linear networks (TKB §1.2; G1, G2): all matrices `R^{m×n}` (filling architectures)
 * and the determinantal variety `M_r = {W in R^{m×n} : rank W <= r}` (non-filling architectures).
 *
 * What is optimised (this space) is kept apart from what is measured (the loss, `src/losses/`) and from how
 * it is parameterised (the network map `mu`, `src/networks/`): that split is the pure / spurious distinction
 * (D1). The fixed-rank geometry (tangent space, normal space, Riemannian gradient and Hessian) is valid
 * only at smooth points, i.e. rank exactly `r`; at lower rank every method that needs it throws
 * `DegenerateError(kind "singular-point")` instead of returning a silently wrong answer.
 *
 * Rank decisions take an explicit absolute tolerance; the default is {@link defaultSpaceRankTol}
 * `= 1e-9 * max(1, sigma_max(W))`.
 * @module
 */
import { finiteArray } from "../core/args";
import { checkOptions } from "../core/options";
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, ShapeError, describe } from "../core/errors";
import { orthComplement, svd, symEig } from "../core/linalg";
import { add, assertFinite, frobNorm, isMatrix, mmul, shapeOf, sub, transpose, zeros } from "../core/matrix";
import type { Loss } from "../losses/loss";
import { JUPYTER_DISPLAY, MimeBundle } from "../display/mime";

/** Relative factor of the default rank tolerance: `tol = SPACE_RANK_RTOL * max(1, sigma_max)` (rank in `M_r`, G1). */
export const SPACE_RANK_RTOL = 1e-9;

/**
 * Default absolute rank tolerance for a matrix with singular values `s` (descending):
 * `1e-9 * max(1, s_1)`. Singular values `<= tol` count as zero: the rank that places a point in the smooth or
 * singular locus of `M_r` (G1).
 * @throws DomainError unless `s` is an array of finite numbers.
 */
export function defaultSpaceRankTol(s: readonly number[]): number {
  finiteArray("defaultSpaceRankTol", "s", s);
  return SPACE_RANK_RTOL * Math.max(1, s[0] ?? 0);
}

/** Convention for "critical for `l` on `M_r`" at a singular point (rank `e < r`) of `M_r` (D1). */
export type SingularConvention = "gradient" | "tangent-cone" | "stratum";

/** Result of {@link DeterminantalVariety.project}: the Eckart–Young projection onto `M_r`. */
export interface ProjectionResult {
  /** A nearest point of `M_r` to the input: the truncated SVD `sum_{k<=r} sigma_k u_k v_k^T`. */
  W: Matrix;
  /** Distance `||input - W||_F = sqrt(sum_{k>r} sigma_k^2)`. */
  distance: number;
  /** Singular values of the input (descending). */
  sigma: number[];
  /**
   * False when `sigma_r = sigma_{r+1} > 0` within `gapTol`: then the nearest point is not unique (a continuum
   * of truncations), and `W` is one of them.
   */
  unique: boolean;
  /** `sigma_r - sigma_{r+1}` (Infinity when the input already has rank <= r or r = min(m, n)). */
  gap: number;
  /** Words: which case occurred. */
  note: string;
}

/** A local frame at a smooth point: `W = U diag(sigma) V^T` with orthonormal complements. */
export interface LocalFrame {
  /** `m × r`, orthonormal basis of `Col(W)`. */
  U: Matrix;
  /** `n × r`, orthonormal basis of `Row(W)`. */
  V: Matrix;
  /** `m × (m - r)`, orthonormal basis of `Col(W)^perp`. */
  Uperp: Matrix;
  /** `n × (n - r)`, orthonormal basis of `Row(W)^perp`. */
  Vperp: Matrix;
  /** The `r` nonzero singular values (descending). */
  sigma: number[];
}

/** Report of {@link DeterminantalVariety.isCriticalFor} (G2, D1). */
export interface CriticalityReport {
  /** The decision. */
  critical: boolean;
  /** Which space, e.g. `"M_2 in R^{4×4}"`. */
  space: string;
  /** Numerical rank of `W` (with `rankTol`). */
  rank: number;
  /** The rank bound `r` of the space. */
  r: number;
  /** True when `W` is a smooth point (rank exactly `r`, or any point of a filling space). */
  smooth: boolean;
  /** The singular-point convention requested (used only when `smooth` is false). */
  convention: SingularConvention;
  /** The test actually applied, in words. */
  test: string;
  /** The quantity compared with `tol`. */
  residual: number;
  /** Tolerance on `residual`. */
  tol: number;
  /** Rank tolerance used. */
  rankTol: number;
  /** `||grad l(W)||_F`. */
  gradientNorm: number;
  /** `||W^T G||_F` (G2), reported at every point. */
  WtG: number;
  /** `||G W^T||_F` (G2), reported at every point. */
  GWt: number;
}

/** Riemannian Hessian of a loss on the fixed-rank manifold at a smooth point, in an orthonormal tangent basis. */
export interface RiemannianHessianResult {
  /** `dim × dim` symmetric matrix `H_ab = <E_a, Hess f(W)[E_b]>` (symmetrised; asymmetry reported). */
  matrix: Matrix;
  /** The orthonormal tangent basis `E_1..E_dim` (`m × n` each). */
  basis: Matrix[];
  /** Eigenvalues, descending. */
  eigenvalues: number[];
  /** Eigenvectors as tangent matrices, in the order of `eigenvalues`. */
  eigenvectors: Matrix[];
  /** Inertia with tolerance `tol`: counts of eigenvalues `< -tol`, `|.| <= tol`, `> tol`. */
  inertia: { negative: number; zero: number; positive: number; tol: number };
  /** `max |H_ab - H_ba|` before symmetrising (rounding only, if the formula is right). */
  asymmetry: number;
  /** Norm of the Riemannian gradient at `W` (the Hessian's index is a Morse index only where it is ~0). */
  gradientNorm: number;
}

function checkTolArg(fn: string, name: string, tol: unknown): void {
  if (tol !== undefined && (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0)) {
    throw new DomainError(fn, `${name} must be a finite number >= 0; got ${describe(tol)}`);
  }
}

function checkConvention(fn: string, c: unknown): SingularConvention {
  if (c === undefined) return "gradient";
  if (c === "gradient" || c === "tangent-cone" || c === "stratum") return c;
  throw new DomainError(fn, `singularConvention must be "gradient", "tangent-cone" or "stratum"; got ${describe(c)}`);
}

function colsOf(A: Matrix, k: number): Matrix {
  const B = new Matrix(A.rows, k);
  for (let j = 0; j < k; j++) for (let i = 0; i < A.rows; i++) B.set(i, j, A.get(i, j));
  return B;
}

function outer(u: readonly number[] | Float64Array, v: readonly number[] | Float64Array): Matrix {
  const M = new Matrix(u.length, v.length);
  for (let i = 0; i < u.length; i++) for (let j = 0; j < v.length; j++) M.set(i, j, u[i] * v[j]);
  return M;
}

function colVec(A: Matrix, j: number): number[] {
  return A.getColumn(j);
}

/**
 * The determinantal variety `M_r = {W in R^{m×n} : rank W <= r}`, `0 <= r <= min(m, n)` (G1, G2). With
 * `r = min(m, n)` it is all of `R^{m×n}` (the functional space of a filling architecture): then every point
 * is smooth, the tangent space is everything and "critical" means `grad l = 0`.
 *
 * Create with {@link determinantalVariety} or {@link allMatrices}. Methods never modify their arguments.
 */
export class DeterminantalVariety {
  /** Rows `m` (= `d_h`). */
  readonly m: number;
  /** Columns `n` (= `d_0`). */
  readonly n: number;
  /** Rank bound `r`. */
  readonly r: number;
  /** True when `r = min(m, n)`: the space is all of `R^{m×n}` (filling). */
  readonly filling: boolean;
  /** `"all matrices"` or `"determinantal variety"`. */
  readonly kind: "all matrices" | "determinantal variety";
  /** `dim M_r = r (m + n - r)` (G1); `m n` when filling. */
  readonly dimension: number;
  /** E.g. `"M_2 = {rank <= 2} in R^{4×4}"` or `"R^{2×2} (all matrices)"`. */
  readonly description: string;

  /** @throws DomainError unless `m, n >= 1` and `0 <= r <= min(m, n)` are integers. */
  constructor(m: number, n: number, r: number) {
    const fn = "determinantalVariety";
    for (const [name, v] of [["m", m], ["n", n]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new DomainError(fn, `${name} must be a positive integer; got ${describe(v)}`);
    }
    if (!Number.isInteger(r) || r < 0 || r > Math.min(m, n)) {
      throw new DomainError(fn, `r must be an integer in [0, min(m, n)] = [0, ${Math.min(m, n)}]; got ${describe(r)}`);
    }
    this.m = m;
    this.n = n;
    this.r = r;
    this.filling = r === Math.min(m, n);
    this.kind = this.filling ? "all matrices" : "determinantal variety";
    this.dimension = r * (m + n - r);
    this.description = this.filling ? `R^{${m}×${n}} (all matrices)` : `M_${r} = {rank <= ${r}} in R^{${m}×${n}}`;
  }

  private arg(fn: string, name: string, W: unknown): Matrix {
    if (!isMatrix(W)) throw new ShapeError(fn, `${name} must be a ${this.m}×${this.n} Matrix; got ${describe(W)}`);
    if (W.rows !== this.m || W.columns !== this.n) {
      throw new ShapeError(fn, `${name} must be ${this.m}×${this.n} (the shape of ${this.description}); got ${shapeOf(W)}`);
    }
    assertFinite(fn, name, W);
    return W;
  }

  private checkLoss(fn: string, loss: unknown): Loss {
    const l = loss as Loss;
    if (!l || typeof l !== "object" || typeof l.value !== "function" || typeof l.gradient !== "function" || !Array.isArray(l.shape)) {
      throw new DomainError(fn, `loss must be a Loss (e.g. squareLoss(Q)); got ${describe(loss)}`);
    }
    if (l.shape[0] !== this.m || l.shape[1] !== this.n) {
      throw new ShapeError(fn, `loss.shape must be ${this.m}×${this.n}; got ${l.shape[0]}×${l.shape[1]} (${l.name})`);
    }
    return l;
  }

  /**
   * Numerical rank of `W`: number of singular values `> tol`.
   * @param W - `m × n`. @param tol - absolute; default {@link defaultSpaceRankTol}.
   * @throws ShapeError for a wrong shape; DomainError for non-finite entries or a bad `tol`.
   */
  rank(W: Matrix, tol?: number): number {
    this.arg("DeterminantalVariety.rank", "W", W);
    checkTolArg("DeterminantalVariety.rank", "tol", tol);
    const { s } = svd(W);
    const t = tol ?? defaultSpaceRankTol(s);
    return s.filter((x) => x > t).length;
  }

  /**
   * Membership `W in M_r`: `rank_tol(W) <= r` (G1).
   * @throws ShapeError / DomainError as {@link DeterminantalVariety.rank}.
   */
  contains(W: Matrix, tol?: number): boolean {
    return this.rank(W, tol) <= this.r;
  }

  /**
   * Smooth point test: rank exactly `r` (G1: the singular locus of `M_r` is `M_{r-1}`); every point is smooth
   * when the space is all matrices.
   * @throws ShapeError / DomainError as {@link DeterminantalVariety.rank}.
   */
  isSmoothPoint(W: Matrix, tol?: number): boolean {
    const k = this.rank(W, tol);
    return this.filling || k === this.r;
  }

  /**
   * Eckart–Young projection onto `M_r`: the truncated SVD `sum_{k<=r} sigma_k u_k v_k^T`, at distance
   * `sqrt(sum_{k>r} sigma_k^2)`. Reports non-uniqueness when `sigma_r = sigma_{r+1} > 0` (within
   * `gapTol`, default `1e-10 * max(1, sigma_1)`).
   * @param W - any `m × n` matrix (not required to lie in `M_r`).
   * @throws ShapeError / DomainError for a bad `W` or `gapTol`.
   */
  project(W: Matrix, gapTol?: number): ProjectionResult {
    const fn = "DeterminantalVariety.project";
    this.arg(fn, "W", W);
    checkTolArg(fn, "gapTol", gapTol);
    const { U, s, V } = svd(W);
    const r = this.r;
    const P = new Matrix(this.m, this.n);
    for (let k = 0; k < r; k++) {
      for (let i = 0; i < this.m; i++) {
        const a = s[k] * U.get(i, k);
        if (a === 0) continue;
        for (let j = 0; j < this.n; j++) P.set(i, j, P.get(i, j) + a * V.get(j, k));
      }
    }
    let tail = 0;
    for (let k = r; k < s.length; k++) tail += s[k] * s[k];
    const t = gapTol ?? 1e-10 * Math.max(1, s[0] ?? 0);
    const sr = r > 0 ? s[r - 1] : Infinity;
    const sr1 = r < s.length ? s[r] : 0;
    const gap = r < s.length && sr1 > 0 ? sr - sr1 : Infinity;
    const unique = !(r < s.length && sr1 > t && gap <= t);
    const note = !unique
      ? `not unique: sigma_${r} = sigma_${r + 1} = ${sr1} (gap ${gap} <= ${t}); W is one of a continuum of nearest points`
      : gap === Infinity
        ? "W already lies in the space; the projection is W itself"
        : `unique (gap sigma_${r} - sigma_${r + 1} = ${gap})`;
    return { W: P, distance: Math.sqrt(tail), sigma: s, unique, gap, note };
  }

  /**
   * Local frame at a smooth point: orthonormal bases `U, V` of `Col(W), Row(W)` and of their complements,
   * from the SVD. In a filling space a rank-deficient `W` is still smooth; its frame then has the `rank W`
   * leading singular vectors.
   * @throws DegenerateError kind `"singular-point"` when `rank W < r` in a non-filling space (the fixed-rank
   *   geometry breaks there); ShapeError / DomainError for bad arguments.
   */
  frame(W: Matrix, tol?: number): LocalFrame {
    const fn = "DeterminantalVariety.frame";
    this.arg(fn, "W", W);
    checkTolArg(fn, "tol", tol);
    const { U, s, V } = svd(W);
    const t = tol ?? defaultSpaceRankTol(s);
    const k = s.filter((x) => x > t).length;
    if (k > this.r) throw new DomainError(fn, `W must lie in ${this.description}; got rank ${k} (tol ${t})`);
    if (k < this.r && !this.filling) {
      throw new DegenerateError(
        fn,
        "singular-point",
        `W must have rank exactly r = ${this.r} (a smooth point of ${this.description}); got rank ${k} (sigma = [${s.map((x) => x.toPrecision(4)).join(", ")}], tol ${t}): the fixed-rank geometry breaks on the singular locus M_${this.r - 1} (G1)`,
      );
    }
    const Uk = colsOf(U, k);
    const Vk = colsOf(V, k);
    return { U: Uk, V: Vk, Uperp: orthComplement(Uk), Vperp: orthComplement(Vk), sigma: s.slice(0, k) };
  }

  /**
   * Orthogonal projector onto the tangent space at a smooth point `W` (G2):
   * `P_T(M) = P_U M + M P_V - P_U M P_V`, with `P_U = U U^T`, `P_V = V V^T`; the identity when filling.
   * @param W - smooth point (`m × n`); @param M - any `m × n` matrix.
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  tangentProject(W: Matrix, M: Matrix, tol?: number): Matrix {
    const fn = "DeterminantalVariety.tangentProject";
    this.arg(fn, "M", M);
    if (this.filling) {
      this.arg(fn, "W", W);
      return M.clone() as Matrix;
    }
    const F = this.frame(W, tol);
    return tangentPart(F, M);
  }

  /**
   * Orthogonal projector onto the normal space `Col(W)^perp ⊗ Row(W)^perp` at a smooth point (G2):
   * `P_N(M) = (I - P_U) M (I - P_V) = M - P_T(M)`; zero when filling.
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  normalProject(W: Matrix, M: Matrix, tol?: number): Matrix {
    const fn = "DeterminantalVariety.normalProject";
    this.arg(fn, "M", M);
    if (this.filling) {
      this.arg(fn, "W", W);
      return zeros(this.m, this.n);
    }
    const F = this.frame(W, tol);
    return normalPart(F, M);
  }

  /**
   * Orthonormal basis of the tangent space at a smooth point: `u_a v_b^T` (r²), `u⊥_a v_b^T` ((m−r) r),
   * `u_a v⊥_b^T` (r (n−r)), in that order; `dimension` matrices in all (G1, G2). For a filling space, the
   * standard basis `E_ij` (row-major).
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  tangentBasis(W: Matrix, tol?: number): Matrix[] {
    const fn = "DeterminantalVariety.tangentBasis";
    if (this.filling) {
      this.arg(fn, "W", W);
      const out: Matrix[] = [];
      for (let i = 0; i < this.m; i++) {
        for (let j = 0; j < this.n; j++) {
          const E = new Matrix(this.m, this.n);
          E.set(i, j, 1);
          out.push(E);
        }
      }
      return out;
    }
    const F = this.frame(W, tol);
    const out: Matrix[] = [];
    const r = this.r;
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) out.push(outer(colVec(F.U, a), colVec(F.V, b)));
    for (let a = 0; a < F.Uperp.columns; a++) for (let b = 0; b < r; b++) out.push(outer(colVec(F.Uperp, a), colVec(F.V, b)));
    for (let a = 0; a < r; a++) for (let b = 0; b < F.Vperp.columns; b++) out.push(outer(colVec(F.U, a), colVec(F.Vperp, b)));
    return out;
  }

  /**
   * Is `W` critical for `l` on this space? (G2, D1.)
   * - filling space: `||grad l(W)|| <= tol`;
   * - smooth point (rank `r`): `W^T G = 0` and `G W^T = 0`, measured as `||P_T(G)||_F <= tol` (equivalent:
   *   `P_T(G) = 0` iff `U^T G = 0` and `G V = 0`); `||W^T G||`, `||G W^T||` are reported too;
   * - singular point (rank `e < r`), by `singularConvention`:
   *   `"gradient"` (default, docs/theory.md#d1): `||G|| <= tol`;
   *   `"tangent-cone"`: Bouligand stationarity, the norm of the projection of `G` onto the tangent cone
   *   `T_W M_e ⊕ {rank <= r - e in Col(W)^perp ⊗ Row(W)^perp}`, i.e.
   *   `sqrt(||P_{T_e} G||^2 + sum_{k <= r-e} sigma_k(P_N G)^2) <= tol` (mathematically equivalent to
   *   `"gradient"`, since the cone spans all matrices; numerically a different residual);
   *   `"stratum"`: critical on the rank-`e` stratum, `||P_{T_e}(G)|| <= tol` (lower-rank truncated SVDs count
   *   as critical under it).
   * @param loss - a {@link Loss} of shape `m × n`. @param W - a point of the space.
   * @param options.tol - default `1e-8`; `options.rankTol` - default {@link defaultSpaceRankTol}.
   * @throws ShapeError / DomainError for bad arguments or options; DomainError when `rank W > r`.
   */
  isCriticalFor(loss: Loss, W: Matrix, options: { tol?: number; rankTol?: number; singularConvention?: SingularConvention } = {}): CriticalityReport {
    const fn = "DeterminantalVariety.isCriticalFor";
    checkOptions(fn, options, ["tol", "rankTol", "singularConvention"]);
    const l = this.checkLoss(fn, loss);
    this.arg(fn, "W", W);
    checkTolArg(fn, "options.tol", options.tol);
    checkTolArg(fn, "options.rankTol", options.rankTol);
    const convention = checkConvention(fn, options.singularConvention);
    const tol = options.tol ?? 1e-8;
    const G = l.gradient(W);
    const { U, s, V } = svd(W);
    const rankTol = options.rankTol ?? defaultSpaceRankTol(s);
    const e = s.filter((x) => x > rankTol).length;
    if (e > this.r) throw new DomainError(fn, `W must lie in ${this.description}; got rank ${e} (rankTol ${rankTol})`);
    const gradientNorm = frobNorm(G);
    const WtG = frobNorm(mmul(transpose(W), G));
    const GWt = frobNorm(mmul(G, transpose(W)));
    const base = { space: this.description, rank: e, r: this.r, convention, tol, rankTol, gradientNorm, WtG, GWt };
    if (this.filling) {
      return { ...base, critical: gradientNorm <= tol, smooth: true, test: "filling space (all matrices): ||grad l(W)|| <= tol", residual: gradientNorm };
    }
    const Ue = colsOf(U, e);
    const Ve = colsOf(V, e);
    const F: LocalFrame = { U: Ue, V: Ve, Uperp: orthComplement(Ue), Vperp: orthComplement(Ve), sigma: s.slice(0, e) };
    const tangentRes = frobNorm(tangentPart(F, G));
    if (e === this.r) {
      return { ...base, critical: tangentRes <= tol, smooth: true, test: "smooth point (G2): W^T G = 0 and G W^T = 0, measured as ||P_T(G)|| <= tol", residual: tangentRes };
    }
    if (convention === "gradient") {
      return { ...base, critical: gradientNorm <= tol, smooth: false, test: `singular point (rank ${e} < r = ${this.r}), convention "gradient" (D1): ||grad l(W)|| <= tol`, residual: gradientNorm };
    }
    if (convention === "stratum") {
      return {
        ...base,
        critical: tangentRes <= tol,
        smooth: false,
        test: `singular point (rank ${e} < r = ${this.r}), convention "stratum": critical on the rank-${e} manifold, ||P_{T_${e}}(G)|| <= tol`,
        residual: tangentRes,
      };
    }
    const sn = svd(normalPart(F, G)).s;
    let cone = tangentRes * tangentRes;
    for (let k = 0; k < Math.min(this.r - e, sn.length); k++) cone += sn[k] * sn[k];
    const coneRes = Math.sqrt(cone);
    return {
      ...base,
      critical: coneRes <= tol,
      smooth: false,
      test: `singular point (rank ${e} < r = ${this.r}), convention "tangent-cone": ||projection of G onto the tangent cone|| <= tol (the cone spans all matrices, so this is equivalent to grad l = 0)`,
      residual: coneRes,
    };
  }

  /**
   * Riemannian gradient of `l` on the fixed-rank manifold at a smooth point: `grad_R f(W) = P_T(grad l(W))`
   * (the Euclidean gradient when filling).
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  riemannianGradient(loss: Loss, W: Matrix, tol?: number): Matrix {
    const fn = "DeterminantalVariety.riemannianGradient";
    const l = this.checkLoss(fn, loss);
    this.arg(fn, "W", W);
    const G = l.gradient(W);
    if (this.filling) return G;
    return tangentPart(this.frame(W, tol), G);
  }

  /**
   * Riemannian Hessian of `l` on the fixed-rank manifold at a smooth point `W = U Σ V^T`, applied to a
   * tangent vector `ξ` (Absil–Mahony–Trumpf 2013; Vandereycken 2013). With `G = grad l(W)`,
   * `G_N = P_U^perp G P_V^perp` (normal part) and `W^+ = V Σ^{-1} U^T`:
   *
   * `Hess f(W)[ξ] = P_T(Hess l(W)[ξ]) + G_N ξ^T (W^+)^T + (W^+)^T ξ^T G_N`
   *             `= P_T(Hess l[ξ]) + G_N V_p Σ^{-1} V^T + U Σ^{-1} U_p^T G_N`
   *
   * for `ξ = U M V^T + U_p V^T + U V_p^T`. Derivation: `Hess f[ξ] = P_T(D(P_T grad l)[ξ])`, and
   * `D(P_T G)[ξ] = dP_U G P_V^perp + P_U^perp G dP_V` with `dP_U = P_U^perp ξ W^+ + (W^+)^T ξ^T P_U^perp`;
   * two of the four terms are normal and vanish under `P_T`. The second term is the Weingarten (curvature)
   * term; it uses only the normal part of `G`. When filling, the Euclidean Hessian action.
   * @param xi - `m × n`; it is projected onto the tangent space first.
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  riemannianHessianAction(loss: Loss, W: Matrix, xi: Matrix, tol?: number): Matrix {
    const fn = "DeterminantalVariety.riemannianHessianAction";
    const l = this.checkLoss(fn, loss);
    this.arg(fn, "W", W);
    this.arg(fn, "xi", xi);
    if (this.filling) return l.hessianAction(W, xi);
    const F = this.frame(W, tol);
    return riemannianHessianWithFrame(l, W, F, tangentPart(F, xi));
  }

  /**
   * Dense Riemannian Hessian at a smooth point in the orthonormal tangent basis of
   * {@link DeterminantalVariety.tangentBasis}, with eigenvalues and inertia (the second-order test on `M_r`;
   * T5: at `W_I` for `||W - Q||^2` the eigenvalues are `2(1 ∓ sigma_j/sigma_i)` for `i in I`, `j not in I`,
   * `j <= min(m, n)`, and 2 elsewhere).
   * @param options.tol - rank tolerance; `options.eigTol` - inertia tolerance, default
   *   `1e-8 * max(1, max |eigenvalue|)`.
   * @throws DegenerateError `"singular-point"` when `rank W < r` (non-filling); ShapeError / DomainError.
   */
  riemannianHessian(loss: Loss, W: Matrix, options: { tol?: number; eigTol?: number } = {}): RiemannianHessianResult {
    const fn = "DeterminantalVariety.riemannianHessian";
    checkOptions(fn, options, ["tol", "eigTol"]);
    const l = this.checkLoss(fn, loss);
    this.arg(fn, "W", W);
    checkTolArg(fn, "options.tol", options.tol);
    checkTolArg(fn, "options.eigTol", options.eigTol);
    const basis = this.tangentBasis(W, options.tol);
    const F = this.filling ? null : this.frame(W, options.tol);
    const images = basis.map((E) => (F ? riemannianHessianWithFrame(l, W, F, E) : l.hessianAction(W, E)));
    const d = basis.length;
    const H = new Matrix(d, d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) H.set(a, b, frobInner(basis[a], images[b]));
    let asym = 0;
    for (let a = 0; a < d; a++) {
      for (let b = a + 1; b < d; b++) {
        asym = Math.max(asym, Math.abs(H.get(a, b) - H.get(b, a)));
        const v = 0.5 * (H.get(a, b) + H.get(b, a));
        H.set(a, b, v);
        H.set(b, a, v);
      }
    }
    const { values, vectors } = d > 0 ? symEig(H, Infinity, "eager") : { values: [] as number[], vectors: new Matrix(0, 0) };
    const scale = Math.max(1, ...values.map(Math.abs));
    const eigTol = options.eigTol ?? 1e-8 * scale;
    const eigenvectors = values.map((_, k) => {
      const M = zeros(this.m, this.n);
      for (let a = 0; a < d; a++) {
        const c = vectors.get(a, k);
        if (c === 0) continue;
        for (let i = 0; i < this.m; i++) for (let j = 0; j < this.n; j++) M.set(i, j, M.get(i, j) + c * basis[a].get(i, j));
      }
      return M;
    });
    const G = l.gradient(W);
    const gradR = F ? tangentPart(F, G) : G;
    return {
      matrix: H,
      basis,
      eigenvalues: values,
      eigenvectors,
      inertia: {
        negative: values.filter((x) => x < -eigTol).length,
        zero: values.filter((x) => Math.abs(x) <= eigTol).length,
        positive: values.filter((x) => x > eigTol).length,
        tol: eigTol,
      },
      asymmetry: asym,
      gradientNorm: frobNorm(gradR),
    };
  }

  /** Rich display: the space, its dimension and smooth locus (markdown + plain text). */
  [JUPYTER_DISPLAY](): MimeBundle {
    const text = this.filling
      ? `${this.description}: dimension ${this.dimension}, smooth everywhere`
      : `${this.description}: dimension r(m+n-r) = ${this.dimension}; smooth locus rank exactly ${this.r}, singular locus M_${this.r - 1}`;
    const md = this.filling
      ? `**All matrices** $\\mathbb R^{${this.m}\\times ${this.n}}$: dimension ${this.dimension}, smooth everywhere`
      : `**Determinantal variety** $\\mathcal M_{${this.r}} = \\{W \\in \\mathbb R^{${this.m}\\times ${this.n}} : \\operatorname{rank} W \\le ${this.r}\\}$: dimension $r(m+n-r) = ${this.dimension}$; smooth locus rank exactly ${this.r}, singular locus $\\mathcal M_{${this.r - 1}}$ (G1)`;
    return { "text/markdown": md, "text/plain": text };
  }

  /**
   * Projection retraction `R_W(ξ) = project(W + ξ).W` (the truncated SVD; a second-order retraction on the
   * fixed-rank manifold).
   * @throws ShapeError / DomainError for bad arguments.
   */
  retract(W: Matrix, xi: Matrix): Matrix {
    const fn = "DeterminantalVariety.retract";
    this.arg(fn, "W", W);
    this.arg(fn, "xi", xi);
    return this.project(add(W, xi, fn)).W;
  }
}

function frobInner(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s += A.get(i, j) * B.get(i, j);
  return s;
}

/** `P_T(M) = P_U M + M P_V - P_U M P_V` for a frame. */
function tangentPart(F: LocalFrame, M: Matrix): Matrix {
  const PU = mmul(F.U, transpose(F.U));
  const PV = mmul(F.V, transpose(F.V));
  const PUM = mmul(PU, M);
  const MPV = mmul(M, PV);
  const PUMPV = mmul(PUM, PV);
  const out = new Matrix(M.rows, M.columns);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out.set(i, j, PUM.get(i, j) + MPV.get(i, j) - PUMPV.get(i, j));
  return out;
}

/** `P_N(M) = (I - P_U) M (I - P_V)` for a frame. */
function normalPart(F: LocalFrame, M: Matrix): Matrix {
  const T = tangentPart(F, M);
  return sub(M, T);
}

function riemannianHessianWithFrame(l: Loss, W: Matrix, F: LocalFrame, xi: Matrix): Matrix {
  const G = l.gradient(W);
  const GN = normalPart(F, G);
  const eu = tangentPart(F, l.hessianAction(W, xi));
  // (W^+)^T = U Σ^{-1} V^T
  const k = F.sigma.length;
  const Sinv = new Matrix(k, k);
  for (let a = 0; a < k; a++) Sinv.set(a, a, 1 / F.sigma[a]);
  const WpT = mmul(mmul(F.U, Sinv), transpose(F.V));
  const xiT = transpose(xi);
  const c1 = mmul(mmul(GN, xiT), WpT);
  const c2 = mmul(mmul(WpT, xiT), GN);
  const out = new Matrix(W.rows, W.columns);
  for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) out.set(i, j, eu.get(i, j) + c1.get(i, j) + c2.get(i, j));
  return out;
}

/**
 * The determinantal variety `M_r = {W in R^{m×n} : rank W <= r}` (G1, G2): `dim = r (m + n - r)`, smooth
 * locus rank exactly `r`, singular locus `M_{r-1}`. With `r = min(m, n)` it is all matrices.
 * @param m - rows (`d_h`); @param n - columns (`d_0`); @param r - rank bound, `0 <= r <= min(m, n)`.
 * @throws DomainError for non-integer or out-of-range arguments.
 */
export function determinantalVariety(m: number, n: number, r: number): DeterminantalVariety {
  return new DeterminantalVariety(m, n, r);
}

/**
 * All `m × n` matrices: the functional space of a filling architecture (TKB §1.2 item 7; T4). Every point is
 * smooth; "critical" means `grad l = 0`.
 * @throws DomainError unless `m, n` are positive integers.
 */
export function allMatrices(m: number, n: number): DeterminantalVariety {
  if (!Number.isInteger(m) || m < 1) throw new DomainError("allMatrices", `m must be a positive integer; got ${describe(m)}`);
  if (!Number.isInteger(n) || n < 1) throw new DomainError("allMatrices", `n must be a positive integer; got ${describe(n)}`);
  return new DeterminantalVariety(m, n, Math.min(m, n));
}
