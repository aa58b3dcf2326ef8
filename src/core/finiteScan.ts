/**
 * The finiteness scan of the hot paths (internal: not re-exported from the library's entry; the public checks are
 * in `./args` and `./matrix`).
 * @module
 */

/**
 * Index of the first non-finite entry of `a` (NaN or ±∞), or `-1` when every entry is finite. Scans in blocks of
 * four with independent accumulators of `a[k] * 0` (which is `±0` for a finite entry and NaN otherwise), so the
 * common all-finite case costs a fraction of a per-entry branch; the index is found by a second scan of the
 * block only when one is not finite. Generic infrastructure of the argument checks on hot paths (the landscape's flat methods).
 * @throws never.
 */
export function firstNonFinite(a: Float64Array): number {
  const n = a.length;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const s = a[k] * 0 + a[k + 1] * 0 + (a[k + 2] * 0 + a[k + 3] * 0);
    if (s !== 0) break;
  }
  for (; k < n; k++) if (a[k] - a[k] !== 0) return k;
  return -1;
}
