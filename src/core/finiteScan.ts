/**
 * The finiteness scan of the hot paths (internal: not re-exported from the library's entry; the public checks are
 * in `./args` and `./matrix`).
 * @module
 */

import { loadWasmKernel } from "./wasmKernel";

interface FiniteScanFns {
  firstNonFinite(a: number, n: number): number;
}

const simd = loadWasmKernel<FiniteScanFns>("finiteScan");

/** Shortest array {@link firstNonFinite} copies into the SIMD scan (`wasm/finiteScan.ts`); shorter ones stay in JavaScript. */
export const SIMD_SCAN_MIN = 128;

/**
 * Index of the first non-finite entry of `a` (NaN or ±∞), or `-1` when every entry is finite. From
 * {@link SIMD_SCAN_MIN} entries the array is copied into the WebAssembly SIMD scan (`wasm/finiteScan.ts`, about half
 * the time of the JavaScript loop with the copy included: 0.24 against 0.58 µs for 1024 entries); otherwise, or
 * when the module is not built, {@link firstNonFiniteJs}. Both give the same index. Generic infrastructure of the
 * argument checks on hot paths (the landscape's flat methods).
 * @throws never.
 */
export function firstNonFinite(a: Float64Array): number {
  const n = a.length;
  const f = simd !== null && n >= SIMD_SCAN_MIN ? simd.f64(n) : null; // null also when the memory cannot grow
  if (f !== null) {
    f.set(a, 0);
    return (simd as NonNullable<typeof simd>).fns.firstNonFinite(0, n);
  }
  return firstNonFiniteJs(a);
}

/** Which backend {@link firstNonFinite} uses from {@link SIMD_SCAN_MIN} entries: `"wasm-simd"` (built) or `"js"`. @throws never */
export function finiteScanBackend(): "wasm-simd" | "js" {
  return simd === null ? "js" : "wasm-simd";
}

/**
 * The JavaScript twin of {@link firstNonFinite}: index of the first non-finite entry of `a`, or `-1`. One branch-free pass
 * adds `a[k] * 0` over the whole array in blocks of eight (each term is `±0` for a finite entry and NaN otherwise,
 * so the sum is `±0` exactly when every entry is finite); only when it is not is the array scanned again entry by
 * entry for the index. The common all-finite case costs no branch per entry (measured on V8 11.3: about 0.5 ns per
 * entry, against 0.7 with a branch per block of four and about 2 with a branch per entry). Generic infrastructure
 * of the argument checks on hot paths (the landscape's flat methods).
 * @throws never.
 */
export function firstNonFiniteJs(a: Float64Array): number {
  const n = a.length;
  let s = 0;
  let k = 0;
  for (; k + 7 < n; k += 8) {
    s += a[k] * 0 + a[k + 1] * 0 + (a[k + 2] * 0 + a[k + 3] * 0) + (a[k + 4] * 0 + a[k + 5] * 0 + (a[k + 6] * 0 + a[k + 7] * 0));
  }
  for (; k < n; k++) s += a[k] * 0;
  if (s === 0) return -1;
  for (k = 0; k < n; k++) if (a[k] - a[k] !== 0) return k;
  return -1;
}
