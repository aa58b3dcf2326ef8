/**
 * Counting critical images of the square loss on the determinantal variety `M_r` (T5): binomial counts,
 * subsets in lexicographic order, the inversion (Morse) index of a selection, and the Gaussian binomial
 * `[m choose r]_q` whose coefficients are the index distribution (TKB digest §4 T5 item 4: Schubert cells of
 * the Grassmannian).
 * @module
 */
import { DomainError, OverflowError, describe } from "../core/errors";
import { finiteArray, tolArg } from "../core/args";
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";

/** Refuses an enumeration of `C(n, k)` subsets above the limit before building it. */
function enumerationSize(fn: string, n: number, k: number, maxPoints: number | undefined): void {
  let count: number;
  try {
    count = binomial(n, k);
  } catch {
    count = Infinity;
  }
  checkWork(fn, `the ${k}-subsets of {1..${n}} (C(${n}, ${k}) = ${count})`, count, maxPoints ?? WORK_LIMITS.points, "binomial(n, k) for the count, or smaller n", "options.maxPoints", "points");
}

function checkCount(fn: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new DomainError(fn, `${name} must be a non-negative integer; got ${describe(v)}`);
  }
}

function checkMr(fn: string, m: unknown, r: unknown): void {
  checkCount(fn, "m", m);
  checkCount(fn, "r", r);
  if ((r as number) > (m as number)) throw new DomainError(fn, `r must satisfy 0 <= r <= m = ${m as number}; got r = ${r as number}`);
}

/**
 * Binomial coefficient `C(n, k)` (0 when `k > n`), exact for the sizes used here (`n <= 60`): T5 counts
 * `sum_{k<=r} C(m,k)` critical images, `C(m,r)` of them pure.
 * @throws DomainError unless `n`, `k` are non-negative integers. OverflowError when C(n, k) exceeds the float64 range.
 */
export function binomial(n: number, k: number): number {
  checkCount("binomial", "n", n);
  checkCount("binomial", "k", k);
  if (k > n) return 0;
  const kk = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= kk; i++) {
    c = (c * (n - kk + i)) / i;
    if (!Number.isFinite(c)) throw new OverflowError("binomial", `C(n, k) must be below 1.8e308 (a float64); got n = ${n}, k = ${k}, which overflows`);
  }
  return Math.round(c);
}

/**
 * Number of critical images of `||W - Q||^2` on `M_r` (T5 item 2): `sum_{k=0}^{min(r, m)} C(m, k)` with
 * `m = rank Q` (distinct nonzero singular values assumed).
 * @throws DomainError unless `m`, `r` are non-negative integers.
 */
export function criticalImageCount(m: number, r: number): number {
  checkCount("criticalImageCount", "m", m);
  checkCount("criticalImageCount", "r", r);
  let total = 0;
  for (let k = 0; k <= Math.min(r, m); k++) total += binomial(m, k);
  return total;
}

/**
 * All `k`-element subsets of `{1, ..., n}` (1-based, each sorted ascending), in lexicographic order: the index
 * sets `I` of T5's critical images `W_I` (and the selections `S` of B2).
 * @throws DomainError unless `0 <= k <= n` are integers. ResourceError when C(n, k) exceeds `options.maxPoints` (default 1e7).
 */
export function subsets(n: number, k: number, options: { maxPoints?: number } = {}): number[][] {
  checkMr("subsets", n, k);
  const o = checkOptions("subsets", options, ["maxPoints"]);
  enumerationSize("subsets", n, k, o.maxPoints);
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number): void => {
    if (cur.length === k) {
      out.push(cur.slice());
      return;
    }
    for (let i = start; i <= n - (k - cur.length) + 1; i++) {
      cur.push(i);
      rec(i + 1);
      cur.pop();
    }
  };
  rec(1);
  return out;
}

/**
 * Morse index of the critical image `W_I` on `M_r` for distinct values `values[0] > values[1] > ...`
 * (T5 item 4): `#{(i, j) : i in I, j not in I, values_j > values_i} = sum_{i in I} #{j not in I : j < i}`.
 * With ties, pairs with equal values are not counted (they give zero Riemannian Hessian eigenvalues).
 * @param I - 1-based indices into `values` (sorted descending).
 * @param values - singular values (matrix form) or eigenvalues of Sigma (data form), descending; if omitted
 *   the values are taken as distinct and descending, so the index is the inversion count.
 * @param tol - absolute tolerance for `values_j > values_i` (default 0).
 * @throws DomainError for an index outside `1..values.length` (or a non-positive-integer index).
 */
export function inversionIndex(I: readonly number[], values?: readonly number[], tol = 0): number {
  if (!Array.isArray(I)) throw new DomainError("inversionIndex", `I must be an array of integers; got ${describe(I)}`);
  if (values !== undefined) finiteArray("inversionIndex", "values", values);
  tolArg("inversionIndex", "tol", tol);
  let n = 0;
  if (values) n = values.length;
  else for (const i of I) if (typeof i === "number" && i > n) n = i;
  const inI = new Set<number>();
  for (const i of I) {
    if (!Number.isInteger(i) || i < 1 || i > n) throw new DomainError("inversionIndex", `I must contain integers in 1..${n}; got ${describe(i)}`);
    inI.add(i);
  }
  checkWork("inversionIndex", `${inI.size} × ${n} index comparisons`, inI.size * n, WORK_LIMITS.points, "a smaller index set", "WORK_LIMITS.points", "points");
  let index = 0;
  for (const i of inI) {
    for (let j = 1; j <= n; j++) {
      if (inI.has(j)) continue;
      const bigger = values ? values[j - 1] > values[i - 1] + tol : j < i;
      if (bigger) index++;
    }
  }
  return index;
}

/**
 * Distribution of the Morse index over the `C(m, r)` rank-r critical images with distinct values, computed by
 * enumerating every `I` with `|I| = r` and counting inversions: entry `k` is the number of `I` of index `k`
 * (length `r (m - r) + 1`). By T5 it equals the coefficient list of {@link gaussianBinomial}`(m, r)`.
 * @throws DomainError unless `0 <= r <= m` are integers. ResourceError above `options.maxPoints` subsets.
 */
export function indexDistribution(m: number, r: number, options: { maxPoints?: number } = {}): number[] {
  checkMr("indexDistribution", m, r);
  const o = checkOptions("indexDistribution", options, ["maxPoints"]);
  enumerationSize("indexDistribution", m, r, o.maxPoints);
  const out = new Array<number>(r * (m - r) + 1).fill(0);
  for (const I of subsets(m, r, o)) out[inversionIndex(I, undefined)]++;
  return out;
}

/**
 * Coefficients `[c_0, c_1, ...]` of the Gaussian (q-)binomial `[m choose r]_q = sum_k c_k q^k`, by the
 * q-Pascal recurrence `[m, r] = [m-1, r-1] + q^r [m-1, r]` (T5; e.g. `m = 4, r = 2` gives `[1, 1, 2, 1, 1]`).
 * @throws DomainError unless `0 <= r <= m` are integers. ResourceError when the q-Pascal table exceeds `options.maxPoints` (default 1e7); OverflowError on coefficient overflow.
 */
export function gaussianBinomial(m: number, r: number, options: { maxPoints?: number } = {}): number[] {
  const fn = "gaussianBinomial";
  checkMr(fn, m, r);
  const o = checkOptions(fn, options, ["maxPoints"]);
  // dynamic programming over n = 0..m, k in [max(0, n - (m - r)), min(n, r)] (iterative: no recursion depth),
  // polynomials of length k (n - k) + 1 each
  const cells = (r + 1) * (m - r + 1) * (r * (m - r) + 1);
  checkWork(fn, `the q-Pascal table of [${m} choose ${r}]_q`, cells, o.maxPoints ?? WORK_LIMITS.points, "indexDistribution on small m, or binomial(m, r) for the total count", "options.maxPoints", "points");
  let prev: number[][] = [[1]]; // n = 0: [0 choose 0]_q = 1, indexed by k
  for (let n = 1; n <= m; n++) {
    const cur: number[][] = [];
    for (let k = Math.max(0, n - (m - r)); k <= Math.min(n, r); k++) {
      if (k === 0 || k === n) {
        cur[k] = [1];
        continue;
      }
      // [n choose k]_q = [n-1 choose k-1]_q + q^k [n-1 choose k]_q
      const a = prev[k - 1];
      const b = prev[k];
      const out = new Array<number>(k * (n - k) + 1).fill(0);
      a.forEach((c, i) => (out[i] += c));
      b.forEach((c, i) => (out[i + k] += c));
      cur[k] = out;
    }
    prev = cur;
  }
  const res = prev[r].slice();
  if (!res.every(Number.isFinite)) throw new OverflowError(fn, `the coefficients of [${m} choose ${r}]_q must be finite; got an overflow`);
  return res;
}
