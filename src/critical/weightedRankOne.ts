/**
 * Counting critical points of a weighted distance on the determinantal variety `M_r` (docs/theory.md#g2,
 * "how many critical points"): the Frobenius distance has `edDegree(m, n, r) = C(min(m, n), r)` of them
 * (`spaces/edDegree`; Eckart–Young; Draisma, Horobeţ, Ottaviani, Sturmfels & Thomas 2016); for rank one in
 * `2 × n`, this module finds every complex critical point of an entrywise-weighted distance, found as the roots of one
 * polynomial (the weighted count is larger: 6 instead of 2 for generic weights on 2×2).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, ShapeError, describe } from "../core/errors";
import { toMatrix } from "../core/matrix";
import { Complex, polynomialRoots } from "../core/polynomial";

/** One complex critical point of the weighted distance on rank-one `2 × n` matrices. */
export interface RankOneCriticalPoint {
  /** Chart coordinate: `W = u v^T` with `u = p + t q` (see {@link RankOneCriticalSet.chartAngle}). */
  t: Complex;
  /** True when `t` is real (imaginary part below `1e-9 (1 + |t|)`): then `W` is a real critical point. */
  real: boolean;
  /** The critical matrix (real part; exact when `real`). */
  W: Matrix;
  /** `l(W) = sum Lambda_ij (W_ij - Q_ij)^2` (real points; the real part otherwise). */
  loss: number;
  /** `||G v|| / (||Lambda ∘ Q|| (1 + ||v||))` with `G = Lambda ∘ (W - Q)` (complex, bilinear): the criticality residual (`G^T u = 0` holds by construction of `v`). */
  residual: number;
}

/** Result of {@link weightedRankOneCriticalPoints}. */
export interface RankOneCriticalSet {
  /** Coefficients (ascending) of the critical polynomial `N(t)` in the chart. */
  polynomial: number[];
  /** Its degree (`4G - 2` for generic data, `G` = number of distinct ratios `Lambda_1j / Lambda_2j`; `4n - 2` for generic weights). */
  degree: number;
  /** The nominal degree `4G - 2`. */
  nominalDegree: number;
  /** The chart angle `phi` used: `u = (cos phi, sin phi) + t (-sin phi, cos phi)`. */
  chartAngle: number;
  /** All roots of `N`, with multiplicity. */
  roots: Complex[];
  /** Roots discarded because a denominator `Lambda_1j + t^2 Lambda_2j` vanishes there (not critical points). */
  discarded: Complex[];
  /** The critical points (complex and real), sorted by real part of `t`. */
  points: RankOneCriticalPoint[];
  /** Number of complex critical points counted with multiplicity: the (weighted) ED degree for this data. */
  count: number;
  /** Number of real ones. */
  realCount: number;
}

function mul(p: readonly number[], q: readonly number[]): number[] {
  const out = new Array(p.length + q.length - 1).fill(0);
  for (let i = 0; i < p.length; i++) for (let j = 0; j < q.length; j++) out[i + j] += p[i] * q[j];
  return out;
}

function addTo(acc: number[], p: readonly number[]): void {
  for (let i = 0; i < p.length; i++) acc[i] = (acc[i] ?? 0) + p[i];
}

type C = Complex;
const cadd = (x: C, y: C): C => ({ re: x.re + y.re, im: x.im + y.im });
const cmul = (x: C, y: C): C => ({ re: x.re * y.re - x.im * y.im, im: x.re * y.im + x.im * y.re });
const cdiv = (x: C, y: C): C => {
  const d = y.re * y.re + y.im * y.im;
  return { re: (x.re * y.re + x.im * y.im) / d, im: (x.im * y.re - x.re * y.im) / d };
};
const creal = (x: number): C => ({ re: x, im: 0 });
const cabs = (x: C): number => Math.hypot(x.re, x.im);

/** The chart `u = p + t q` with `p = (cos phi, sin phi)`, `q = (-sin phi, cos phi)`: per column `j`, `A_j(t) = sum_i Lambda_ij Q_ij u_i`, `D_j(t) = sum_i Lambda_ij u_i^2`. */
function chartParts(Lam: Matrix, Q: Matrix, phi: number): { A: number[][]; D: number[][] } {
  const p = [Math.cos(phi), Math.sin(phi)];
  const q = [-Math.sin(phi), Math.cos(phi)];
  const A: number[][] = [];
  const D: number[][] = [];
  for (let j = 0; j < Q.columns; j++) {
    const l = [Lam.get(0, j), Lam.get(1, j)];
    const lq = [l[0] * Q.get(0, j), l[1] * Q.get(1, j)];
    A.push([lq[0] * p[0] + lq[1] * p[1], lq[0] * q[0] + lq[1] * q[1]]);
    D.push([l[0] * p[0] ** 2 + l[1] * p[1] ** 2, 2 * (l[0] * p[0] * q[0] + l[1] * p[1] * q[1]), l[0] * q[0] ** 2 + l[1] * q[1] ** 2]);
  }
  return { A, D };
}

/**
 * `N(t) = sum_j A_j (2 A_j' D_j - A_j D_j') prod_{k != j} D_k^2`, the numerator of the profile's derivative, with
 * the common factors of proportional denominators divided out exactly: columns with equal ratio
 * `Lambda_1j / Lambda_2j` share `D_g` (`D_j = kappa_j D_g`), and then
 * `N = sum_g S_g prod_{h != g} D_h^2` with `S_g = sum_{j in g} A_j (2 A_j' D_g - A_j D_g') / kappa_j` (degree
 * `4G - 2` for `G` groups; `4n - 2` for generic weights).
 */
function criticalPolynomial(A: readonly number[][], D: readonly number[][], group: readonly number[]): number[] {
  const G = Math.max(...group) + 1;
  const rep: number[][] = [];
  const S: number[][] = [];
  for (let j = 0; j < A.length; j++) {
    const g = group[j];
    if (!rep[g]) {
      rep[g] = D[j];
      S[g] = [0, 0, 0];
    }
    const kappa = D[j][0] / rep[g][0];
    const [a0, a1] = A[j];
    const [d0, d1, d2] = rep[g];
    // 2 A' D - A D' = (2 a1 d0 - a0 d1) + (a1 d1 - 2 a0 d2) t: the t^2 terms cancel
    addTo(S[g], mul(A[j], [(2 * a1 * d0 - a0 * d1) / kappa, (a1 * d1 - 2 * a0 * d2) / kappa]));
  }
  const N: number[] = [];
  for (let g = 0; g < G; g++) {
    let term = S[g];
    for (let h = 0; h < G; h++) if (h !== g) term = mul(term, mul(rep[h], rep[h]));
    addTo(N, term);
  }
  return N;
}

/**
 * Every complex critical point of the entrywise-weighted distance `l(W) = sum_{ij} Lambda_ij (W_ij - Q_ij)^2`
 * on the nonzero `2 × n` matrices of rank one (G2: the weighted ED count; T6's weighted losses).
 *
 * Chart `W = u v^T`, `u = p + t q` with `p = (cos phi, sin phi)`, `q = (-sin phi, cos phi)` (`phi = 0.3`, or
 * 0.7, 1.1 when the chart misses a critical point at `t = ∞`). For fixed `t` the best `v` is
 * `v_j = A_j(t) / D_j(t)` with `A_j = sum_i Lambda_ij Q_ij u_i` (degree 1) and `D_j = sum_i Lambda_ij u_i^2`
 * (degree 2), and the profile is `f(t) = sum Lambda Q^2 - sum_j A_j^2 / D_j`. Its critical points are the
 * roots of `N(t) = sum_j A_j (2 A_j' D_j - A_j D_j') prod_{k != j} D_k^2`, of degree `4n - 2` (6 for 2×2)
 * for generic weights. Columns with the same ratio `Lambda_1j / Lambda_2j` share a denominator, whose powers
 * are divided out exactly: for `Lambda ≡ 1` the polynomial is a quadratic, with the `C(2, 1) = 2` critical
 * points of Eckart–Young. Roots where a denominator `D_j` still vanishes are discarded. Every point is checked by the residual of the bilinear (complex)
 * criticality equation `G v = 0`, `G = Lambda ∘ (W - Q)` (`G^T u = 0` holds by the choice of `v`).
 * @param Lambda - positive weights, `2 × n` (or `m × 2`, transposed internally with `Q`).
 * @param Q - target, same shape.
 * @param options.discardTol - relative size of `|c_j + t^2 d_j|` below which a root is discarded (default `1e-6`).
 * @throws ShapeError unless `Lambda`, `Q` have the same shape with 2 rows or 2 columns; DomainError for
 *   non-positive weights or non-finite entries; DegenerateError ("singular-point") when all three charts miss a
 *   point (the polynomial drops degree for every angle: degenerate data).
 */
export function weightedRankOneCriticalPoints(Lambda: Matrix | ReadonlyArray<ReadonlyArray<number>>, Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, options: { discardTol?: number } = {}): RankOneCriticalSet {
  const fn = "weightedRankOneCriticalPoints";
  let Lam = toMatrix(fn, "Lambda", Lambda);
  let Qm = toMatrix(fn, "Q", Q);
  if (typeof options !== "object" || options === null) throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  for (const k of Object.keys(options)) if (k !== "discardTol") throw new DomainError(fn, `unknown option ${describe(k)}; expected discardTol`);
  const discardTol = options.discardTol ?? 1e-6;
  if (!(discardTol >= 0) || !Number.isFinite(discardTol)) throw new DomainError(fn, `options.discardTol must be a finite number >= 0; got ${describe(options.discardTol)}`);
  if (Lam.rows !== Qm.rows || Lam.columns !== Qm.columns) throw new ShapeError(fn, `Lambda and Q must have the same shape; got ${Lam.rows}×${Lam.columns} and ${Qm.rows}×${Qm.columns}`);
  let transposed = false;
  if (Qm.rows !== 2) {
    if (Qm.columns !== 2) throw new ShapeError(fn, `Q must be 2 × n or m × 2; got ${Qm.rows}×${Qm.columns}`);
    Lam = Lam.transpose();
    Qm = Qm.transpose();
    transposed = true;
  }
  for (let i = 0; i < 2; i++) for (let j = 0; j < Qm.columns; j++) {
    if (!(Lam.get(i, j) > 0) || !Number.isFinite(Lam.get(i, j))) throw new DomainError(fn, `Lambda must have finite positive entries; got ${describe(Lam.get(i, j))} at (${i}, ${j})`);
  }
  const n = Qm.columns;
  // columns with the same ratio Lambda_1j / Lambda_2j share a denominator (groups numbered in order of appearance)
  const ratios: number[] = [];
  const group = Array.from({ length: n }, (_, j) => {
    const rj = Lam.get(0, j) / Lam.get(1, j);
    let g = ratios.findIndex((x) => Math.abs(x - rj) <= 1e-12 * Math.max(x, rj));
    if (g < 0) g = ratios.push(rj) - 1;
    return g;
  });
  const nominalDegree = 4 * ratios.length - 2;
  const scale = (p: number[]) => Math.max(...p.map(Math.abs));
  let chartAngle = NaN;
  let N: number[] = [];
  let D: number[][] = [];
  let A: number[][] = [];
  for (const phi of [0.3, 0.7, 1.1]) {
    ({ A, D } = chartParts(Lam, Qm, phi));
    N = criticalPolynomial(A, D, group);
    if (Math.abs(N[nominalDegree] ?? 0) > 1e-10 * scale(N)) {
      chartAngle = phi;
      break;
    }
  }
  if (Number.isNaN(chartAngle)) throw new DegenerateError(fn, "singular-point", `the charts at angles 0.3, 0.7, 1.1 all miss a critical point (degenerate data); perturb Lambda or Q`);
  // zero out coefficients at round-off level so the degree is read correctly
  const s = scale(N);
  N = N.map((x) => (Math.abs(x) <= 1e-14 * s ? 0 : x));
  let degree = N.length - 1;
  while (degree > 0 && N[degree] === 0) degree--;
  const roots = polynomialRoots(N.slice(0, degree + 1));
  const discarded: Complex[] = [];
  const points: RankOneCriticalPoint[] = [];
  let qScale = 0;
  for (let i = 0; i < 2; i++) for (let j = 0; j < n; j++) qScale += (Lam.get(i, j) * Qm.get(i, j)) ** 2;
  qScale = Math.sqrt(qScale) || 1;
  const p = [Math.cos(chartAngle), Math.sin(chartAngle)];
  const q = [-Math.sin(chartAngle), Math.cos(chartAngle)];
  const ev = (poly: readonly number[], t: C): C => poly.reduceRight((acc: C, c) => cadd(cmul(acc, t), creal(c)), creal(0));
  for (const t of roots) {
    let vanishing = false;
    const v: C[] = [];
    for (let j = 0; j < n; j++) {
      const den = ev(D[j], t);
      const size = Math.abs(D[j][0]) + Math.abs(D[j][1]) * cabs(t) + Math.abs(D[j][2]) * cabs(t) ** 2;
      if (cabs(den) <= discardTol * size) {
        vanishing = true;
        break;
      }
      v.push(cdiv(ev(A[j], t), den));
    }
    if (vanishing) {
      discarded.push(t);
      continue;
    }
    const u: C[] = [cadd(creal(p[0]), cmul(t, creal(q[0]))), cadd(creal(p[1]), cmul(t, creal(q[1])))];
    // G_ij = Lambda_ij (u_i v_j - Q_ij); residual of G v (bilinear)
    let res = 0;
    let vn = 0;
    for (let j = 0; j < n; j++) vn += cabs(v[j]) ** 2;
    for (let i = 0; i < 2; i++) {
      let acc = creal(0);
      for (let j = 0; j < n; j++) {
        const g = cmul(creal(Lam.get(i, j)), cadd(cmul(u[i], v[j]), creal(-Qm.get(i, j))));
        acc = cadd(acc, cmul(g, v[j]));
      }
      res += cabs(acc) ** 2;
    }
    const real = Math.abs(t.im) <= 1e-9 * (1 + cabs(t));
    let W = new Matrix(2, n);
    let loss = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < n; j++) {
      const w = cmul(u[i], v[j]);
      W.set(i, j, w.re);
      loss += Lam.get(i, j) * (w.re - Qm.get(i, j)) ** 2;
    }
    if (transposed) W = W.transpose();
    points.push({ t, real, W, loss, residual: Math.sqrt(res) / (qScale * (1 + Math.sqrt(vn))) });
  }
  return { polynomial: N.slice(0, degree + 1), degree, nominalDegree, chartAngle, roots, discarded, points, count: points.length, realCount: points.filter((p) => p.real).length };
}
