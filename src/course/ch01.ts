/**
 * Chapter 01 of the course, "Networks and their functional spaces" (G1, G2, T1, T2, T3; TKB): the loops, sweeps
 * and data tables the notebook needs, kept out of notebook cells (tslab runs top-level loops about 370× slower
 * than library code). Every function only combines library calls: `mu`, `dMuJacobian`, `dMuRank`, `dMuImage`,
 * `isMaximalRank` / `dMuIsSurjective` (T1, T2), the determinantal variety of `spaces/` (G1, G2) and the chart
 * builders of `plots/`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { pinv, svd } from "../core/linalg";
import { diag, frobNorm, mmul, sub, transpose } from "../core/matrix";
import { Rng, rng } from "../core/random";
import { squareLoss } from "../losses/square";
import { dMuT, mu, partialBefore } from "../networks/deepLinear";
import { dMuImage, dMuJacobian, dMuRank, dMuIsSurjective, functionalRank, isMaximalRank } from "../networks/differential";
import { Theta, Widths, bottleneck, fibreDimension, functionalDim, isFilling, packTheta, paramCount, unpackTheta, validateWidths, weightShapes } from "../networks/widths";
import { lineChart } from "../plots/line";
import { Datum, VegaLiteSpec } from "../plots/spec";
import { theoryVsMeasured } from "../plots/theory";
import { determinantalVariety } from "../spaces/determinantal";

/**
 * A reference line (grey, dashed) from a `lineChart` spec: the theory under the measured points (T1, T2, P1).
 * Re-exported from `plots/theory` (its home; see `theoryVsMeasured` for the whole chart).
 */
export { referenceLine } from "../plots/theory";

/** `"(3, 2, 4)"`: how chapter 01 writes an architecture. */
export function archLabel(widths: Widths): string {
  return `(${validateWidths(widths, "archLabel").join(", ")})`;
}

/**
 * A seeded random `m × n` matrix of rank exactly `k` (almost surely): the product of Gaussian `m × k` and
 * `k × n` factors (`k = 0` gives the zero matrix). Used to build parameter points with prescribed layer ranks (T1, T2).
 * @throws DomainError when `k` is not an integer in `[0, min(m, n)]`.
 */
export function randomRankMatrix(R: Rng, m: number, n: number, k: number): Matrix {
  if (!Number.isInteger(k) || k < 0 || k > Math.min(m, n)) throw new DomainError("randomRankMatrix", `k must be an integer in [0, min(m, n) = ${Math.min(m, n)}]; got ${describe(k)}`);
  if (k === 0) return new Matrix(m, n);
  return mmul(R.gaussian(m, k), R.gaussian(k, n), "randomRankMatrix");
}

/**
 * A parameter point with prescribed layer ranks: `W_i` is a random matrix of rank `layerRanks[i-1]` (T1, T2).
 * @param layerRanks - one rank per layer, `0 <= rank <= min(d_i, d_{i-1})`.
 * @throws DomainError for bad widths or ranks.
 */
export function structuredTheta(R: Rng, widths: Widths, layerRanks: readonly number[]): Matrix[] {
  const d = validateWidths(widths, "structuredTheta");
  const shapes = weightShapes(d);
  if (!Array.isArray(layerRanks) || layerRanks.length !== shapes.length) {
    throw new DomainError("structuredTheta", `layerRanks must have one rank per layer (${shapes.length}); got ${describe(layerRanks)}`);
  }
  return shapes.map(([m, n], i) => randomRankMatrix(R, m, n, layerRanks[i]));
}

/** One random point of {@link rankSweep}. */
export type RankSweepRow = {
  /** `"(3, 2, 4)"`. */
  readonly architecture: string;
  readonly filling: boolean;
  /** Bottleneck `r`. */
  readonly r: number;
  /** `dim M_r = r (d_0 + d_h - r)` (G1). */
  readonly dimMr: number;
  /** The prescribed layer ranks, e.g. `"2,1"`. */
  readonly layerRanks: string;
  /** True when every layer has full rank `min(d_i, d_{i-1})` (a generic point). */
  readonly generic: boolean;
  /** `rank mu(theta)`. */
  readonly rankMu: number;
  /** Numerical rank of the Jacobian of `mu` (relative tolerance 1e-10). */
  readonly rankDMu: number;
  /** `dim sum_i Col(W_{>i}) ⊗ Row(W_{<i})`, computed from the subspaces (T1). */
  readonly t1Dimension: number;
  /** T2's prediction: `dmu` has maximal rank `dim M_r`. */
  readonly t2Maximal: boolean;
  /** Which case of T2 decided. */
  readonly t2Case: string;
  /** `rankDMu / dimMr`. */
  readonly fraction: number;
  /** `rankMu` shifted by a small offset per architecture, so that points of different architectures do not overlap in the chart. */
  readonly rankMuDodged: number;
};

/**
 * Random structured points on several architectures (G1, T1, T2): for each architecture, `points` seeded parameter
 * points, about a third generic (full layer ranks) and the rest with every layer of random rank in
 * `1..min(d_i, d_{i-1})` (so that `rank mu(theta)` runs through `1..r`). At each point: `rank mu(theta)`, the
 * Jacobian rank of `mu`, the T1 dimension of `sum_i Col(W_{>i}) ⊗ Row(W_{<i})`, and T2's prediction
 * (`isMaximalRank`).
 * @param architectures - at least one widths vector.
 * @param options.points - points per architecture (default 40); `options.seed` (default 1).
 * @throws DomainError for bad widths or options.
 */
export function rankSweep(architectures: readonly Widths[], options: { points?: number; seed?: number } = {}): RankSweepRow[] {
  const fn = "rankSweep";
  if (!Array.isArray(architectures) || architectures.length === 0) throw new DomainError(fn, `architectures must be a non-empty array of widths; got ${describe(architectures)}`);
  const points = options.points ?? 40;
  if (!Number.isInteger(points) || points < 1) throw new DomainError(fn, `options.points must be a positive integer; got ${describe(points)}`);
  const R = rng(options.seed ?? 1);
  const rows: RankSweepRow[] = [];
  const nA = architectures.length;
  architectures.forEach((w, a) => {
    const d = validateWidths(w, fn);
    const shapes = weightShapes(d);
    for (let p = 0; p < points; p++) {
      const generic = p % 3 === 0;
      const ranks = shapes.map(([m, n]) => (generic ? Math.min(m, n) : 1 + R.int(Math.min(m, n))));
      const theta = structuredTheta(R, d, ranks);
      const t2 = isMaximalRank(d, theta);
      rows.push({
        architecture: archLabel(d),
        filling: isFilling(d),
        r: bottleneck(d),
        dimMr: functionalDim(d),
        layerRanks: ranks.join(","),
        generic,
        rankMu: t2.rankMu,
        rankDMu: t2.dMuRank,
        t1Dimension: t2.imageDimension,
        t2Maximal: t2.holds,
        t2Case: t2.case,
        fraction: t2.dMuRank / functionalDim(d),
        rankMuDodged: t2.rankMu + (a - (nA - 1) / 2) * 0.1,
      });
    }
  });
  return rows;
}

/**
 * Chart spec (T2): `rank dmu(theta) / dim M_r` against `rank mu(theta)` for the points of {@link rankSweep}, one
 * colour per architecture (points dodged horizontally), and the line `1` (maximal rank). Non-filling architectures
 * reach 1 only at `rank mu = r`; filling ones also below, when T2's criterion holds.
 * @throws DomainError for empty rows.
 */
export function rankSweepSpec(rows: readonly RankSweepRow[]): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length === 0) throw new DomainError("rankSweepSpec", `rows must be a non-empty array of rankSweep rows; got ${describe(rows)}`);
  const maxR = Math.max(...rows.map((r) => r.rankMu));
  const data: Datum[] = rows.map((r) => ({
    x: r.rankMuDodged, y: r.fraction, architecture: r.architecture, kind: r.filling ? "filling" : "non-filling",
    "rank μ": r.rankMu, "rank dμ": r.rankDMu, "dim M_r": r.dimMr, "layer ranks": r.layerRanks,
  }));
  const xTitle = "rank μ(θ)  (dodged by architecture)";
  const yTitle = "rank dμ(θ) / dim M_r";
  return theoryVsMeasured({
    theory: [{ x: -0.3, y: 1 }, { x: maxR + 0.3, y: 1 }], measured: data, x: "x", y: "y", xTitle, yTitle,
    color: "architecture", shape: "kind", shapeTitle: "architecture is", tooltip: ["rank μ", "rank dμ", "dim M_r", "layer ranks"],
    title: "T2: dμ(θ) has maximal rank (line) only where the theorem says", width: 460, height: 280,
  });
}

/**
 * Chart spec (T1): measured Jacobian rank of `mu` against the T1 dimension `dim sum_i Col(W_{>i}) ⊗ Row(W_{<i})`
 * (computed from subspaces), with the diagonal: every point must lie on it.
 * @throws DomainError for empty rows.
 */
export function t1ChartSpec(rows: readonly RankSweepRow[]): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length === 0) throw new DomainError("t1ChartSpec", `rows must be a non-empty array of rankSweep rows; got ${describe(rows)}`);
  const hi = Math.max(...rows.map((r) => Math.max(r.t1Dimension, r.rankDMu)));
  const xTitle = "T1: dim Σ Col(W_{>i}) ⊗ Row(W_{<i})";
  const yTitle = "rank of the Jacobian of μ";
  return theoryVsMeasured({
    theory: [{ x: 0, y: 0 }, { x: hi, y: hi }],
    measured: rows.map((r) => ({ x: r.t1Dimension, y: r.rankDMu, architecture: r.architecture, "rank μ": r.rankMu })),
    x: "x", y: "y", xTitle, yTitle, color: "architecture", tooltip: ["architecture", "rank μ"],
    title: "T1: the image of dμ is the sum of the subspaces Col(W_{>i}) ⊗ Row(W_{<i})", width: 420, height: 280,
  });
}

/** One row of the T1/T2 table (tkb-digest §3). */
export type T1T2Row = {
  readonly architecture: string;
  readonly filling: boolean;
  /** How the point was built, e.g. `"generic"`, `"W_1 rank 1"`. */
  readonly point: string;
  readonly rankMu: number;
  /** Numerical rank of the Jacobian of `mu`. */
  readonly rankDMu: number;
  /** T1 dimension of `sum_i Col(W_{>i}) ⊗ Row(W_{<i})`. */
  readonly t1Dimension: number;
  /** `dim M_r`. */
  readonly dimMr: number;
  /** T2: maximal rank predicted. */
  readonly maximal: boolean;
  /** T2 surjectivity onto all matrices (filling only). */
  readonly surjective: boolean;
  /** Filling criterion: first layer `i` with `rank W_{>i} = d_h`, `rank W_{<i} = d_0` (else null). */
  readonly criterionLayer: number | null;
  /** T2's case and reason. */
  readonly reason: string;
};

/** A row of {@link t1t2Table} as built: the widths, the description and the point. */
export interface T1T2Point {
  readonly widths: Widths;
  readonly point: string;
  readonly theta: Matrix[];
}

/**
 * The eight parameter points of the T1/T2 table of tkb-digest §3 (seeded): (3,2,4) generic and with `W_1` of rank 1;
 * (4,3,2,3,5) generic and with `W_2` of rank 1; (3,3,3) with `W_1` of rank 2 and `W_2` invertible, and with both of
 * rank 2; (2,3,3,2) with `W_2` of rank 1; (2,2,2) with `theta = (diag(0,1), diag(1,0))` (the non-openness point).
 */
export function t1t2Points(seed = 2): T1T2Point[] {
  const R = rng(seed);
  return [
    { widths: [3, 2, 4], point: "generic", theta: structuredTheta(R, [3, 2, 4], [2, 2]) },
    { widths: [3, 2, 4], point: "W_1 rank 1", theta: structuredTheta(R, [3, 2, 4], [1, 2]) },
    { widths: [4, 3, 2, 3, 5], point: "generic", theta: structuredTheta(R, [4, 3, 2, 3, 5], [3, 2, 2, 3]) },
    { widths: [4, 3, 2, 3, 5], point: "W_2 rank 1", theta: structuredTheta(R, [4, 3, 2, 3, 5], [3, 1, 2, 3]) },
    { widths: [3, 3, 3], point: "W_1 rank 2, W_2 invertible", theta: structuredTheta(R, [3, 3, 3], [2, 3]) },
    { widths: [3, 3, 3], point: "W_1, W_2 rank 2", theta: structuredTheta(R, [3, 3, 3], [2, 2]) },
    { widths: [2, 3, 3, 2], point: "W_2 rank 1", theta: structuredTheta(R, [2, 3, 3, 2], [2, 1, 2]) },
    { widths: [2, 2, 2], point: "W_1 = diag(0,1), W_2 = diag(1,0)", theta: [diag([0, 1]), diag([1, 0])] },
  ];
}

/**
 * The T1/T2 table (tkb-digest §3): at each point of {@link t1t2Points}, `rank mu`, the Jacobian rank of `mu`, the T1
 * dimension from subspaces, `dim M_r`, and T2's predictions (maximal rank; surjectivity with the filling criterion).
 * Digest values of the Jacobian rank: 10, 8, 14, 10, 9, 8, 4, 3.
 */
export function t1t2Table(seed = 2): T1T2Row[] {
  return t1t2Points(seed).map(({ widths, point, theta }) => {
    const m = isMaximalRank(widths, theta);
    const s = dMuIsSurjective(widths, theta);
    return {
      architecture: archLabel(widths),
      filling: isFilling(widths),
      point,
      rankMu: m.rankMu,
      rankDMu: m.dMuRank,
      t1Dimension: m.imageDimension,
      dimMr: m.dimMr,
      maximal: m.holds,
      surjective: s.holds,
      criterionLayer: m.index,
      reason: m.reason,
    };
  });
}

/** One row of {@link g2Study}: a point `W` of `M_2 ⊂ R^{4×3}` and the G2 criticality test for `||W - Q||^2`. */
export type G2Row = {
  readonly point: string;
  readonly rank: number;
  readonly smooth: boolean;
  /** `||W^T G||_F`, `G = grad l(W) = 2 (W - Q)`. */
  readonly WtG: number;
  /** `||G W^T||_F`. */
  readonly GWt: number;
  /** The test of `DeterminantalVariety.isCriticalFor` (G2 at smooth points). */
  readonly critical: boolean;
  /** `||grad L(theta)||` at the balanced factorisation `theta = (S^{1/2} V^T, U S^{1/2})` of `W` (P1). */
  readonly gradLNorm: number;
};

/** Result of {@link g2Study}. */
export interface G2Study {
  /** Widths `(3, 2, 4)`: `M_2 ⊂ R^{4×3}`. */
  readonly widths: Widths;
  /** The target `Q` (seeded, distinct singular values). */
  readonly Q: Matrix;
  /** Singular values of `Q`. */
  readonly sigma: number[];
  /** Dimension of the tangent basis at a random rank-2 point, and `dim M_2` (G1). */
  readonly tangentDimension: number;
  readonly dimMr: number;
  /** Dimension of the normal space `Col(W)^perp ⊗ Row(W)^perp` and `(m - r)(n - r)`. */
  readonly normalDimension: number;
  readonly normalPredicted: number;
  /** `max |<T_a, N_b>|` over the tangent and normal bases (orthogonality), and `||P_T + P_N - I||_max` (they span). */
  readonly tangentNormalOverlap: number;
  readonly complementError: number;
  /** `||P_{Im dmu(theta)} - P_{T_W M_r}||_max` at a generic theta with `mu(theta) = W` (T2.1: they coincide). */
  readonly imageVsTangent: number;
  /** The criticality table. */
  readonly rows: G2Row[];
}

function vecRows(M: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out.push(M.get(i, j));
  return out;
}

function projectorOf(vectors: number[][], dim: number): Matrix {
  const P = new Matrix(dim, dim);
  for (const v of vectors) for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) P.set(a, b, P.get(a, b) + v[a] * v[b]);
  return P;
}

function maxAbs(M: Matrix): number {
  let m = 0;
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) m = Math.max(m, Math.abs(M.get(i, j)));
  return m;
}

/**
 * G2 on `M_2 ⊂ R^{4×3}` (widths (3,2,4)) with `l(W) = ||W - Q||^2`, `Q` seeded with singular values 3, 2, 1:
 * tangent and normal spaces at a random rank-2 point (dimensions, orthogonality, complement), `Im dmu(theta)`
 * against the tangent space (T2.1), and the criticality test `W^T G = 0`, `G W^T = 0` at the critical points
 * `sigma_1 u_1 v_1^T + sigma_2 u_2 v_2^T` (minimum), `sigma_1 u_1 v_1^T + sigma_3 u_3 v_3^T` (saddle) and at a random
 * rank-2 point (not critical), each with `||grad L||` at a balanced factorisation (P1: zero iff critical), and at
 * the rank-1 point `sigma_1 u_1 v_1^T` (a singular point of `M_2`, where G2 does not apply).
 */
export function g2Study(seed = 3): G2Study {
  const widths = [3, 2, 4];
  const R = rng(seed);
  const U = R.orthogonal(4);
  const V = R.orthogonal(3);
  const sigma = [3, 2, 1];
  const Q = mmul(mmul(U.subMatrix(0, 3, 0, 2), diag(sigma)), transpose(V), "g2Study");
  const loss = squareLoss(Q);
  const M = determinantalVariety(4, 3, 2);
  const rankOne = (k: number): Matrix => mmul(U.subMatrix(0, 3, k, k), transpose(V.subMatrix(0, 2, k, k))).mul(sigma[k]) as Matrix;
  const WI = (I: number[]): Matrix => I.map(rankOne).reduce((A, B) => A.clone().add(B) as Matrix);
  const balanced = (W: Matrix): Matrix[] => {
    const s = svd(W);
    const W1 = new Matrix(2, 3);
    const W2 = new Matrix(4, 2);
    for (let k = 0; k < 2; k++) {
      const sk = s.s[k] ?? 0;
      const rt = sk > 1e-12 * Math.max(1, s.s[0] ?? 0) ? Math.sqrt(sk) : 0;
      for (let j = 0; j < 3; j++) W1.set(k, j, rt * s.V.get(j, k));
      for (let i = 0; i < 4; i++) W2.set(i, k, rt * s.U.get(i, k));
    }
    return [W1, W2];
  };
  // tangent / normal geometry at a random rank-2 point
  const theta0 = structuredTheta(R, widths, [2, 2]);
  const W0 = mu(widths, theta0);
  const T = M.tangentBasis(W0).map(vecRows);
  const frame = M.frame(W0);
  const N: number[][] = [];
  for (let a = 0; a < frame.Uperp.columns; a++) {
    for (let b = 0; b < frame.Vperp.columns; b++) {
      N.push(vecRows(mmul(frame.Uperp.subMatrix(0, 3, a, a), transpose(frame.Vperp.subMatrix(0, 2, b, b)))));
    }
  }
  let overlap = 0;
  for (const t of T) for (const n of N) overlap = Math.max(overlap, Math.abs(t.reduce((acc, x, k) => acc + x * n[k], 0)));
  const PT = projectorOf(T, 12);
  const PN = projectorOf(N, 12);
  const I12 = new Matrix(12, 12);
  for (let k = 0; k < 12; k++) I12.set(k, k, 1);
  const complementError = maxAbs(sub(PT.clone().add(PN) as Matrix, I12));
  const img = dMuImage(widths, theta0);
  const imgVecs: number[][] = [];
  for (let k = 0; k < img.dimension; k++) imgVecs.push(img.basis.getColumn(k));
  const imageVsTangent = maxAbs(sub(projectorOf(imgVecs, 12), PT));
  const row = (point: string, W: Matrix): G2Row => {
    const c = M.isCriticalFor(loss, W);
    const th = balanced(W);
    const G = loss.gradient(mu(widths, th));
    const gL = dMuT(widths, th, G);
    return {
      point,
      rank: c.rank,
      smooth: c.smooth,
      WtG: c.WtG,
      GWt: c.GWt,
      critical: c.critical,
      gradLNorm: Math.sqrt(gL.reduce((acc, B) => acc + frobNorm(B) ** 2, 0)),
    };
  };
  return {
    widths,
    Q,
    sigma,
    tangentDimension: T.length,
    dimMr: M.dimension,
    normalDimension: N.length,
    normalPredicted: (4 - 2) * (3 - 2),
    tangentNormalOverlap: overlap,
    complementError,
    imageVsTangent,
    rows: [
      row("σ₁u₁v₁ᵀ + σ₂u₂v₂ᵀ (truncated SVD)", WI([0, 1])),
      row("σ₁u₁v₁ᵀ + σ₃u₃v₃ᵀ", WI([0, 2])),
      row("σ₂u₂v₂ᵀ + σ₃u₃v₃ᵀ", WI([1, 2])),
      row("random rank-2 point", W0),
      row("σ₁u₁v₁ᵀ (rank 1: singular point)", WI([0])),
    ],
  };
}

/** One row of {@link fibreDimensionTable} (T3). */
export type FibreDimRow = {
  readonly architecture: string;
  readonly dimTheta: number;
  readonly dimMr: number;
  /** `dim theta - dim M_r` (T3). */
  readonly predicted: number;
  /** `dim ker dmu(theta) = dim theta - rank dmu(theta)` at a generic theta: the tangent space of the fibre. */
  readonly measured: number;
  readonly rankMu: number;
};

/**
 * T3 (fibre dimension): at a generic seeded `theta` of each architecture (`rank mu(theta) = r`, a regular point),
 * the fibre's tangent space is `ker dmu(theta)`; its dimension `dim theta - rank dmu` is compared with
 * `dim theta - dim M_r`.
 */
export function fibreDimensionTable(architectures: readonly Widths[], seed = 4): FibreDimRow[] {
  const R = rng(seed);
  return architectures.map((w) => {
    const d = validateWidths(w, "fibreDimensionTable");
    const theta = weightShapes(d).map(([m, n]) => R.gaussian(m, n));
    return {
      architecture: archLabel(d),
      dimTheta: paramCount(d),
      dimMr: functionalDim(d),
      predicted: fibreDimension(d),
      measured: paramCount(d) - dMuRank(d, theta),
      rankMu: functionalRank(d, theta),
    };
  });
}

/**
 * Gauss–Newton projection onto the fibre `mu^{-1}(target)`: `theta <- theta - J^+ vec(mu(theta) - target)` (min-norm
 * steps, `J` the Jacobian of `mu`), from `start`. Returns the point and the final residual `||mu(theta) - target||_F`.
 * Converges quadratically near a regular point of the fibre (rank `mu = r`, T2.1).
 */
export function projectToFibre(widths: Widths, target: Matrix, start: ArrayLike<number>, maxIter = 30, tol = 1e-12): { x: Float64Array; residual: number; iterations: number } {
  const d = validateWidths(widths, "projectToFibre");
  const x = Float64Array.from(start);
  let residual = Infinity;
  for (let it = 0; it <= maxIter; it++) {
    const theta = unpackTheta(d, x);
    const res = sub(mu(d, theta), target);
    residual = frobNorm(res);
    if (!Number.isFinite(residual)) return { x, residual: Infinity, iterations: it };
    if (residual <= tol * Math.max(1, frobNorm(target)) || it === maxIter) return { x, residual, iterations: it };
    const J = dMuJacobian(d, theta);
    const step = pinv(J, 1e-10 * Math.max(1, svd(J).s[0] ?? 0)).mmul(Matrix.columnVector(vecRows(res)));
    for (let k = 0; k < x.length; k++) x[k] -= step.get(k, 0);
  }
  return { x, residual, iterations: maxIter };
}

/** Result of {@link fibreComponents} (T3, a reconstruction: checked numerically on small cases). */
export type FibreComponents = {
  readonly architecture: string;
  /** `b` = number of hidden layers of width `r`. */
  readonly b: number;
  /** Predicted number of components `2^b` (T3, reconstruction). */
  readonly predicted: number;
  /** Fibre dimension `dim theta - dim M_r`. */
  readonly fibreDimension: number;
  /** Number of sample points on the fibre (Gauss–Newton projections of seeded random starts, inside the ball). */
  readonly samples: number;
  /** Largest residual `||mu(theta) - W*||` over the samples. */
  readonly maxResidual: number;
  /** Distinct sign patterns `(sign det g_i)_i`, `g_i = W_{<=i} V` at each hidden layer of width `r` (lower bound). */
  readonly signPatterns: number;
  /** Connected classes of the roadmap graph (segments that stay on the fibre after projection; upper bound). */
  readonly components: number;
  /** Number of roadmap segments tested and accepted. */
  readonly segmentsTested: number;
  readonly segmentsAccepted: number;
  /** True when every accepted segment joins two samples with the same sign pattern (the invariant is never crossed). */
  readonly patternsRespected: boolean;
  /** Sample counts per component. */
  readonly componentSizes: number[];
};

/** Options of {@link fibreComponents}. */
export interface FibreComponentsOptions {
  /** Random starts (default 30); projections that do not converge or leave the ball are dropped. */
  starts?: number;
  /** Neighbours per sample in the roadmap (default 5). */
  neighbours?: number;
  /** Initial steps per segment, each refined by bisection where needed (default 24). */
  steps?: number;
  /** Seed (default 5). */
  seed?: number;
  /** Radius of the ball (in parameter norm) the samples are kept in (default `2 sqrt(dim theta)`). */
  radius?: number;
  /** The point of the functional space (default `U_r V_r^T` with seeded random orthonormal `U_r`, `V_r`: rank `r`, singular values 1). */
  target?: Matrix;
}

/**
 * Connected components of a fibre `mu^{-1}(W*)` over a rank-`r` point, numerically (T3, a reconstruction):
 * 1. samples: Gauss–Newton projections ({@link projectToFibre}) of seeded Gaussian starts, kept inside a ball;
 * 2. invariant (lower bound): at each hidden layer `i` of width `r`, `W_{<=i} = W_i ... W_1` has rank `r` on the whole
 *    fibre and row space `Row(W*)`, so `g_i = W_{<=i} V` (`V` the right singular vectors of `W*`) is invertible and
 *    `sign det g_i` is constant on each component: distinct patterns ≤ components;
 * 3. roadmap (upper bound): each sample is joined to its nearest neighbours by the straight segment, projected point
 *    by point onto the fibre; the segment is accepted when every projection converges and consecutive projections
 *    stay within 3 times the step of each other, gaps refined by bisection (a continuous path on the fibre). Union–find classes ≥ components.
 * When both agree, the count is `2^b`, `b` = number of hidden layers of width `r`.
 * @throws DomainError for bad widths or options.
 */
export function fibreComponents(widths: Widths, options: FibreComponentsOptions = {}): FibreComponents {
  const fn = "fibreComponents";
  const d = validateWidths(widths, fn);
  const h = d.length - 1;
  const r = bottleneck(d);
  const N = paramCount(d);
  const R = rng(options.seed ?? 5);
  const starts = options.starts ?? 30;
  const kNN = options.neighbours ?? 5;
  const steps = options.steps ?? 24;
  for (const [name, v] of [["starts", starts], ["neighbours", kNN], ["steps", steps]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DomainError(fn, `options.${name} must be a positive integer; got ${describe(v)}`);
  }
  const radius = options.radius ?? 2 * Math.sqrt(N);
  const target = options.target ?? mmul(R.orthogonal(d[h]).subMatrix(0, d[h] - 1, 0, r - 1), transpose(R.orthogonal(d[0]).subMatrix(0, d[0] - 1, 0, r - 1)));
  const s = svd(target);
  const rankT = s.s.filter((x) => x > 1e-9 * Math.max(1, s.s[0] ?? 0)).length;
  if (rankT !== r) throw new DomainError(fn, `target must have rank r = ${r} (a regular value); got rank ${rankT}`);
  const Vr = s.V.subMatrix(0, d[0] - 1, 0, r - 1);
  const hiddenR: number[] = [];
  for (let i = 1; i < h; i++) if (d[i] === r) hiddenR.push(i);
  const pattern = (x: Float64Array): string => {
    const th = unpackTheta(d, x);
    return hiddenR.map((i) => (detSign(mmul(partialBefore(d, th, i + 1), Vr)) > 0 ? "+" : "−")).join("");
  };
  const tol = 1e-11;
  const samples: Float64Array[] = [];
  let maxResidual = 0;
  for (let k = 0; k < starts; k++) {
    const start = packTheta(d, weightShapes(d).map(([m, n]) => R.gaussian(m, n)));
    const p = projectToFibre(d, target, start);
    if (p.residual > tol * Math.max(1, frobNorm(target)) || norm(p.x) > radius) continue;
    samples.push(p.x);
    maxResidual = Math.max(maxResidual, p.residual);
  }
  const pats = samples.map(pattern);
  // roadmap
  const parent = samples.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const tested = new Set<string>();
  let accepted = 0;
  let respected = true;
  for (let a = 0; a < samples.length; a++) {
    const near = samples.map((x, b) => ({ b, dist: dist(samples[a], x) })).filter((o) => o.b !== a).sort((p, q) => p.dist - q.dist).slice(0, kNN);
    for (const { b, dist: len } of near) {
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (tested.has(key)) continue;
      tested.add(key);
      if (segmentOnFibre(d, target, samples[a], samples[b], len, steps, tol)) {
        accepted++;
        if (pats[a] !== pats[b]) respected = false;
        parent[find(a)] = find(b);
      }
    }
  }
  const sizes = new Map<number, number>();
  samples.forEach((_, i) => sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1));
  return {
    architecture: archLabel(d),
    b: hiddenR.length,
    predicted: 2 ** hiddenR.length,
    fibreDimension: fibreDimension(d),
    samples: samples.length,
    maxResidual,
    signPatterns: new Set(pats).size,
    components: sizes.size,
    segmentsTested: tested.size,
    segmentsAccepted: accepted,
    patternsRespected: respected,
    componentSizes: [...sizes.values()].sort((p, q) => q - p),
  };
}

/** Is the straight segment from `xa` to `xb`, projected point by point, a continuous path on the fibre? */
export function segmentOnFibre(d: Widths, target: Matrix, xa: Float64Array, xb: Float64Array, len: number, steps: number, tol: number): boolean {
  const tolRes = tol * Math.max(1, frobNorm(target));
  const at = (t: number): Float64Array | null => {
    const p = projectToFibre(d, target, xa.map((v, i) => (1 - t) * v + t * xb[i]));
    return p.residual <= tolRes ? p.x : null;
  };
  // consecutive projections must stay within 3 (t_b - t_a) len; a gap is refined by bisection (depth 6): a true
  // jump between components keeps its size while the allowed gap shrinks, a continuous path resolves
  const ok = (ta: number, ya: Float64Array, tb: number, yb: Float64Array, depth: number): boolean => {
    if (dist(ya, yb) <= 3 * (tb - ta) * len + 1e-9) return true;
    if (depth === 0) return false;
    const tm = (ta + tb) / 2;
    const ym = at(tm);
    return ym !== null && ok(ta, ya, tm, ym, depth - 1) && ok(tm, ym, tb, yb, depth - 1);
  };
  let prev = xa;
  for (let k = 1; k <= steps; k++) {
    const y = k === steps ? xb : at(k / steps);
    if (y === null || !ok((k - 1) / steps, prev, k / steps, y, 6)) return false;
    prev = y;
  }
  return true;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

function dist(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s);
}

/** Sign of the determinant of a small square matrix (LU with partial pivoting). */
function detSign(A: Matrix): number {
  const n = A.rows;
  const M = A.to2DArray();
  let sign = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    if (M[p][c] === 0) return 0;
    if (p !== c) {
      [M[p], M[c]] = [M[c], M[p]];
      sign = -sign;
    }
    if (M[c][c] < 0) sign = -sign;
    for (let i = c + 1; i < n; i++) {
      const f = M[i][c] / M[c][c];
      for (let j = c; j < n; j++) M[i][j] -= f * M[c][j];
    }
  }
  return sign;
}

/** One row of {@link nonOpennessStudy}. */
export type NonOpennessRow = {
  /** Size `t` of the target. */
  readonly t: number;
  /** `"t·E₁₂ ∈ Im dμ"` or `"t·E₂₁ ∉ Im dμ"`. */
  readonly target: string;
  /** Smallest `||theta' - theta||` found with `mu(theta') = target` (Gauss–Newton from seeded starts near theta). */
  readonly distance: number;
};

/**
 * The non-openness example of TKB (tkb-digest §3): d = (2,2,2), `theta = (diag(0,1), diag(1,0))`, `mu(theta) = 0`.
 * For each `t`, the distance from `theta` to the fibres over `t E_12` and `t E_21` is estimated from above by
 * Gauss–Newton projections from `starts` seeded points `theta + 0.3 N(0, 1)` (and `theta` itself), keeping the closest.
 * Over `t E_12` it shrinks like `t` (the direction is in `Im dmu(theta)`); over `t E_21` it stays bounded away from 0
 * (no `theta'` near `theta` reaches `[[0,0],[t,0]]`): `mu` is not locally open at `theta`, although the architecture is
 * filling. (The measured distances are upper bounds; the lower bound is the proof in the digest.)
 * @throws DomainError unless `ts` is a non-empty array of positive numbers.
 */
export function nonOpennessStudy(ts: readonly number[] = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3], options: { starts?: number; seed?: number } = {}): NonOpennessRow[] {
  const fn = "nonOpennessStudy";
  if (!Array.isArray(ts) || ts.length === 0 || !ts.every((t) => typeof t === "number" && t > 0 && Number.isFinite(t))) {
    throw new DomainError(fn, `ts must be a non-empty array of positive numbers; got ${describe(ts)}`);
  }
  const d = [2, 2, 2];
  const theta = [diag([0, 1]), diag([1, 0])];
  const x0 = packTheta(d, theta);
  const R = rng(options.seed ?? 6);
  const starts = options.starts ?? 24;
  const noise: Float64Array[] = [new Float64Array(x0.length)];
  for (let k = 0; k < starts; k++) noise.push(Float64Array.from({ length: x0.length }, () => 0.3 * R.normal()));
  const rows: NonOpennessRow[] = [];
  for (const [name, E] of [["t·E₁₂ ∈ Im dμ", [[0, 1], [0, 0]]], ["t·E₂₁ ∉ Im dμ", [[0, 0], [1, 0]]]] as const) {
    for (const t of ts) {
      const target = new Matrix(E.map((row) => row.map((v) => v * t)));
      let best = Infinity;
      for (const z of noise) {
        const p = projectToFibre(d, target, x0.map((v, i) => v + z[i]), 60);
        if (p.residual <= 1e-11) best = Math.min(best, dist(p.x, x0));
      }
      rows.push({ t, target: name, distance: best });
    }
  }
  return rows;
}

/**
 * Chart spec for {@link nonOpennessStudy}: distance from `theta` to the fibre over the target against `t`, log-log.
 * @throws DomainError for empty rows or non-finite distances.
 */
export function nonOpennessSpec(rows: readonly NonOpennessRow[]): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Number.isFinite(r.distance) && r.distance > 0)) {
    throw new DomainError("nonOpennessSpec", `rows must be non-empty with finite positive distances; got ${describe(rows)}`);
  }
  return lineChart(rows.map((r) => ({ t: r.t, distance: r.distance, target: r.target })), {
    x: "t", y: "distance", color: "target", xScale: "log", yScale: "log", points: true,
    xTitle: "t (size of the target matrix)", yTitle: "distance from θ to the fibre", colorTitle: "target μ(θ′) =",
    title: "μ is not locally open at θ = (diag(0,1), diag(1,0))", width: 420, height: 260,
  });
}
