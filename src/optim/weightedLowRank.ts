/**
 * Weighted low-rank approximation by alternating least squares (Srebro–Jaakkola 2003): local minima of
 * `l(W) = sum_ij Lambda_ij (W_ij - Q_ij)^2` over `rank W <= r`, found on the factors `W = U V^T` without any
 * network. An algorithm independent of the landscape optimisers, used as the reference for "global" in T6.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { mmul, toMatrix, transpose } from "../core/matrix";
import { Rng } from "../core/random";

/** One ALS run of {@link weightedLowRankALS}. */
export interface WeightedLowRankRun {
  /** Final `l(U V^T)`. */
  value: number;
  /** Sweeps used. */
  sweeps: number;
}

/** Result of {@link weightedLowRankALS}. */
export interface WeightedLowRankResult {
  /** The best `W = U V^T` found (`m × n`, rank `<= r`). */
  W: Matrix;
  /** `l(W)` of the best run. */
  value: number;
  /** Every run, in start order. */
  runs: WeightedLowRankRun[];
}

/** Options of {@link weightedLowRankALS}. */
export interface WeightedLowRankOptions {
  /** Random starts (default 50). */
  starts?: number;
  /** Sweeps per start (default 2000). */
  maxSweeps?: number;
  /** Stop a run when a sweep lowers `l` by less than `tol · max(1, l)` (default 1e-15). */
  tol?: number;
}

const KEYS = ["starts", "maxSweeps", "tol"];

function weightedValue(L: Matrix, Q: Matrix, U: Matrix, V: Matrix): number {
  let s = 0;
  for (let i = 0; i < Q.rows; i++) {
    for (let j = 0; j < Q.columns; j++) {
      let w = 0;
      for (let k = 0; k < U.columns; k++) w += U.get(i, k) * V.get(j, k);
      s += L.get(i, j) * (w - Q.get(i, j)) ** 2;
    }
  }
  return s;
}

/** Solves the small SPD system `A x = b` by Gaussian elimination with partial pivoting (tiny ridge if singular). */
function solveSmall(A: number[][], b: number[]): number[] {
  const r = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (let i = 0; i < r; i++) scale = Math.max(scale, Math.abs(M[i][i]));
  for (let i = 0; i < r; i++) M[i][i] += 1e-14 * Math.max(scale, 1e-300);
  for (let c = 0; c < r; c++) {
    let p = c;
    for (let i = c + 1; i < r; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    if (piv === 0) continue;
    for (let i = c + 1; i < r; i++) {
      const f = M[i][c] / piv;
      for (let k = c; k <= r; k++) M[i][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(r).fill(0);
  for (let i = r - 1; i >= 0; i--) {
    let s = M[i][r];
    for (let k = i + 1; k < r; k++) s -= M[i][k] * x[k];
    x[i] = M[i][i] === 0 ? 0 : s / M[i][i];
  }
  return x;
}

/** Rows of `U` given `V`: row `i` solves `(sum_j L_ij v_j v_j^T) u_i = sum_j L_ij Q_ij v_j`. */
function updateRows(L: Matrix, Q: Matrix, V: Matrix, U: Matrix): void {
  const r = V.columns;
  for (let i = 0; i < Q.rows; i++) {
    const A = Array.from({ length: r }, () => new Array<number>(r).fill(0));
    const b = new Array<number>(r).fill(0);
    for (let j = 0; j < Q.columns; j++) {
      const l = L.get(i, j);
      if (l === 0) continue;
      for (let a = 0; a < r; a++) {
        b[a] += l * Q.get(i, j) * V.get(j, a);
        for (let c = 0; c < r; c++) A[a][c] += l * V.get(j, a) * V.get(j, c);
      }
    }
    const u = solveSmall(A, b);
    for (let a = 0; a < r; a++) U.set(i, a, u[a]);
  }
}

/**
 * Local minima of the weighted low-rank approximation problem
 * `min_{rank W <= r} l(W) = sum_ij Lambda_ij (W_ij - Q_ij)^2` by alternating least squares on `W = U V^T`
 * (`U`: `m × r`, `V`: `n × r`): each sweep solves the weighted least-squares problem for every row of `U` with
 * `V` fixed, then for every row of `V` with `U` fixed, so `l` never increases. From `starts` Gaussian starts
 * (`U, V ~ N(0, 1)` from `rng`), it returns the best `W` and every run's final value. The best value over many
 * starts is an independent reference for the global minimum of `l` on `M_r` (T6: a value reached by a
 * different algorithm than the network optimisers; ALS, like any local method, is not a proof of globality).
 * @param Lambda - `m × n` weights, entries `>= 0`. @param Q - `m × n` target. @param r - rank bound, `1 <= r <= min(m, n)`.
 * @param rng - seeded generator for the starts. @param options - see {@link WeightedLowRankOptions}.
 * @throws ShapeError when `Lambda` and `Q` differ in shape; DomainError for negative or non-finite weights, a bad
 * `r`, a missing generator, or bad or unknown options.
 */
export function weightedLowRankALS(Lambda: Matrix | ReadonlyArray<ReadonlyArray<number>>, Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, r: number, rng: Rng, options: WeightedLowRankOptions = {}): WeightedLowRankResult {
  const fn = "weightedLowRankALS";
  const L = toMatrix(fn, "Lambda", Lambda);
  const T = toMatrix(fn, "Q", Q);
  if (L.rows !== T.rows || L.columns !== T.columns) throw new ShapeError(fn, `Lambda and Q must have the same shape; got ${L.rows}×${L.columns} and ${T.rows}×${T.columns}`);
  for (let i = 0; i < L.rows; i++) {
    for (let j = 0; j < L.columns; j++) {
      if (!(L.get(i, j) >= 0)) throw new DomainError(fn, `Lambda must be entrywise >= 0; got ${describe(L.get(i, j))} at (${i}, ${j})`);
    }
  }
  const m = T.rows;
  const n = T.columns;
  if (!Number.isInteger(r) || r < 1 || r > Math.min(m, n)) throw new DomainError(fn, `r must be an integer in 1..${Math.min(m, n)}; got ${describe(r)}`);
  if (!(rng instanceof Rng)) throw new DomainError(fn, `rng must be a seeded generator (rng(seed)); got ${describe(rng)}`);
  if (options === null || typeof options !== "object") throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  for (const k of Object.keys(options)) if (!KEYS.includes(k)) throw new DomainError(fn, `unknown option ${k}; expected one of ${KEYS.join(", ")}`);
  const starts = options.starts ?? 50;
  const maxSweeps = options.maxSweeps ?? 2000;
  const tol = options.tol ?? 1e-15;
  if (!Number.isInteger(starts) || starts < 1) throw new DomainError(fn, `options.starts must be a positive integer; got ${describe(starts)}`);
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1) throw new DomainError(fn, `options.maxSweeps must be a positive integer; got ${describe(maxSweeps)}`);
  if (typeof tol !== "number" || !(tol >= 0) || !Number.isFinite(tol)) throw new DomainError(fn, `options.tol must be a finite number >= 0; got ${describe(tol)}`);
  const Lt = transpose(L);
  const Tt = transpose(T);
  const runs: WeightedLowRankRun[] = [];
  let best: { value: number; U: Matrix; V: Matrix } | null = null;
  for (let s = 0; s < starts; s++) {
    const U = rng.gaussian(m, r);
    const V = rng.gaussian(n, r);
    let value = weightedValue(L, T, U, V);
    let sweeps = 0;
    while (sweeps < maxSweeps) {
      updateRows(L, T, V, U);
      updateRows(Lt, Tt, U, V);
      sweeps++;
      const next = weightedValue(L, T, U, V);
      const done = value - next <= tol * Math.max(1, next);
      value = next;
      if (done) break;
    }
    runs.push({ value, sweeps });
    if (!best || value < best.value) best = { value, U, V };
  }
  const b = best as { value: number; U: Matrix; V: Matrix };
  return { W: mmul(b.U, transpose(b.V), fn, ["U", "V^T"]), value: b.value, runs };
}
