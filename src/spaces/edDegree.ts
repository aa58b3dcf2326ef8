/**
 * The Euclidean distance degree of the determinantal variety (docs/theory.md#g1): for generic `Q` in `R^{m×n}`, the number of
 * critical points of `W -> ||W - Q||^2` on the smooth part of `M_r = { rank W <= r }` (rank exactly `r`).
 * @module
 */
import { DomainError, describe } from "../core/errors";

/**
 * ED degree of `M_r ⊂ R^{m×n}`: `C(min(m, n), r)` (Draisma–Horobeţ–Ottaviani–Sturmfels–Thomas 2016, via Eckart–Young:
 * the critical points are `sum_{i in I} sigma_i u_i v_i^T` with `|I| = r`, one per choice of `r` singular triplets).
 * A non-Euclidean loss on the same variety (e.g. an entrywise-weighted one, T6) can have more critical points; the
 * chapter on landscapes counts them. Used with the T5 enumeration: its pure images number exactly this degree.
 * @param m - rows. @param n - columns. @param r - rank bound, `0 <= r <= min(m, n)`.
 * @throws DomainError unless `m, n` are positive integers and `r` an integer in `[0, min(m, n)]`, or the count overflows 2^53.
 */
export function edDegree(m: number, n: number, r: number): number {
  const fn = "edDegree";
  for (const [name, v] of [["m", m], ["n", n]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new DomainError(fn, `${name} must be a positive integer; got ${describe(v)}`);
  }
  const k = Math.min(m, n);
  if (typeof r !== "number" || !Number.isInteger(r) || r < 0 || r > k) throw new DomainError(fn, `r must be an integer in [0, min(m, n)] = [0, ${k}]; got ${describe(r)}`);
  let c = 1;
  for (let i = 1; i <= Math.min(r, k - r); i++) {
    c = (c * (k - Math.min(r, k - r) + i)) / i;
    if (!Number.isSafeInteger(Math.round(c))) throw new DomainError(fn, `C(${k}, ${r}) must be below 2^53; it overflows`);
    c = Math.round(c);
  }
  return c;
}
