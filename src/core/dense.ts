/**
 * Dense products on row-major `Float64Array`s, register-blocked (a 4×2 tile of `C` in eight independent
 * accumulators), with the operation order of the plain triple loop: every entry is
 * `c = ((0 + a_0 b_0) + a_1 b_1) + ...` summed in increasing inner index, so the result equals the
 * unblocked loop (`i-p-j` axpy form or `i-j-p` dot form alike) to the last bit. The blocking only changes
 * which entries are computed side by side: eight dependency chains instead of one, and each load of `A`
 * or `B` feeds two or four multiply-adds.
 *
 * Strided operands cover `A B`, `A B^T` and `A^T B` with one kernel: `A(i, p) = a[aOff + i ais + p aps]`,
 * `B(p, j) = b[bOff + p bps + j bjs]`.
 *
 * Two backends with the same arithmetic: the JavaScript loops below, and a WebAssembly SIMD kernel
 * (`wasm/dense.ts`, loaded by `./wasmKernel`) whose `f64x2` lanes run over adjacent columns of `C`, never over
 * the inner index, so every entry is still `((0 + a_0 b_0) + a_1 b_1) + ...` with the same roundings: both
 * backends give the same bits (test/core/dense.test.ts checks this on random shapes, strides and `upperB`).
 * {@link gemmStrided} takes the SIMD kernel for products of at least {@link SIMD_MIN_WORK} multiply-adds when
 * it is built; the backend changes speed, never values.
 * @module
 */

import { evenDoubles, loadWasmKernel } from "./wasmKernel";

/**
 * `C = A B` for strided operands: `c[cOff + i cis + j] = sum_{p < k} A(i, p) B(p, j)` (`m×k` times `k×n`), each
 * entry summed from `+0` in increasing `p` (bit-identical to the triple loop). With `upperB` the caller promises
 * `B(p, j) = 0` for `p < j` (an upper triangular factor seen as `B`), and the sum over `p` starts at the tile's
 * first column (the skipped terms are exact zeros, so the value is unchanged).
 * Generic infrastructure for the landscape's products (the data-form loss and the deep linear forward/backward).
 * @param m - rows of `C`; @param n - columns of `C`; @param k - inner dimension.
 * @throws never (an internal kernel: no checks; callers size the arrays).
 */
export function gemmStrided(
  m: number, n: number, k: number,
  a: Float64Array, aOff: number, ais: number, aps: number,
  b: Float64Array, bOff: number, bps: number, bjs: number,
  c: Float64Array, cOff: number, cis: number,
  upperB = false,
): void {
  if (simd !== null && m * n * k >= SIMD_MIN_WORK && m >= 4 && n >= 4) {
    gemmSimd(m, n, k, a, aOff, ais, aps, b, bOff, bps, bjs, c, cOff, cis, upperB);
  } else {
    gemmStridedJs(m, n, k, a, aOff, ais, aps, b, bOff, bps, bjs, c, cOff, cis, upperB);
  }
}

/**
 * The JavaScript backend of {@link gemmStrided} (same contract): the reference the SIMD kernel is tested against.
 * @throws never (an internal kernel).
 */
export function gemmStridedJs(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOff: number,
  ais: number,
  aps: number,
  b: Float64Array,
  bOff: number,
  bps: number,
  bjs: number,
  c: Float64Array,
  cOff: number,
  cis: number,
  upperB = false,
): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = aOff + i * ais;
    const a1 = a0 + ais;
    const a2 = a1 + ais;
    const a3 = a2 + ais;
    const c0 = cOff + i * cis;
    const c1 = c0 + cis;
    const c2 = c1 + cis;
    const c3 = c2 + cis;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      const p0 = upperB ? j : 0;
      let pa = p0 * aps;
      let pb = bOff + p0 * bps + j * bjs;
      for (let p = p0; p < k; p++) {
        const b0 = b[pb];
        const b1 = b[pb + bjs];
        const x0 = a[a0 + pa];
        const x1 = a[a1 + pa];
        const x2 = a[a2 + pa];
        const x3 = a[a3 + pa];
        s00 += x0 * b0;
        s01 += x0 * b1;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s20 += x2 * b0;
        s21 += x2 * b1;
        s30 += x3 * b0;
        s31 += x3 * b1;
        pa += aps;
        pb += bps;
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c1 + j] = s10;
      c[c1 + j + 1] = s11;
      c[c2 + j] = s20;
      c[c2 + j + 1] = s21;
      c[c3 + j] = s30;
      c[c3 + j + 1] = s31;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const p0 = upperB ? j : 0;
      let pa = p0 * aps;
      let pb = bOff + p0 * bps + j * bjs;
      for (let p = p0; p < k; p++) {
        const b0 = b[pb];
        s0 += a[a0 + pa] * b0;
        s1 += a[a1 + pa] * b0;
        s2 += a[a2 + pa] * b0;
        s3 += a[a3 + pa] * b0;
        pa += aps;
        pb += bps;
      }
      c[c0 + j] = s0;
      c[c1 + j] = s1;
      c[c2 + j] = s2;
      c[c3 + j] = s3;
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * ais;
    const c0 = cOff + i * cis;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      let s0 = 0;
      let s1 = 0;
      const p0 = upperB ? j : 0;
      let pa = a0 + p0 * aps;
      let pb = bOff + p0 * bps + j * bjs;
      for (let p = p0; p < k; p++) {
        const x = a[pa];
        s0 += x * b[pb];
        s1 += x * b[pb + bjs];
        pa += aps;
        pb += bps;
      }
      c[c0 + j] = s0;
      c[c0 + j + 1] = s1;
    }
    for (; j < n; j++) {
      let s = 0;
      const p0 = upperB ? j : 0;
      let pa = a0 + p0 * aps;
      let pb = bOff + p0 * bps + j * bjs;
      for (let p = p0; p < k; p++) {
        s += a[pa] * b[pb];
        pa += aps;
        pb += bps;
      }
      c[c0 + j] = s;
    }
  }
}

/** Smallest `m n k` for which {@link gemmStrided} uses the SIMD kernel (below it, copying in and out costs more than it saves). */
export const SIMD_MIN_WORK = 4096;

interface DenseKernel {
  packPanels(src: number, is: number, ps: number, rows: number, k: number, dst: number): void;
  gemmPacked(mb: number, nb: number, k: number, ap: number, bp: number, cp: number, ldc: number, upperB: number): void;
}

const simd = loadWasmKernel<DenseKernel>("dense");

/** Which backend {@link gemmStrided} uses for large products: `"wasm-simd"` (built) or `"js"`. @throws never */
export function denseBackend(): "wasm-simd" | "js" {
  return simd === null ? "js" : "wasm-simd";
}


/**
 * {@link gemmStrided} through the SIMD kernel: copy the spans of `a` and `b` the operands occupy into the
 * kernel's memory, pack them there (4-row blocks of `A`, 4-column panels of `B`, zero padded), multiply, copy
 * the `m×n` result out row by row.
 */
function gemmSimd(
  m: number, n: number, k: number,
  a: Float64Array, aOff: number, ais: number, aps: number,
  b: Float64Array, bOff: number, bps: number, bjs: number,
  c: Float64Array, cOff: number, cis: number,
  upperB: boolean,
): void {
  const kern = simd as NonNullable<typeof simd>;
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  const ldc = nb * 4;
  const lenA = (m - 1) * ais + (k - 1) * aps + 1;
  const lenB = (k - 1) * bps + (n - 1) * bjs + 1;
  const rawB = evenDoubles(lenA);
  const packedA = rawB + evenDoubles(lenB);
  const packedB = packedA + mb * 4 * k;
  const cp = packedB + nb * 4 * k;
  const f = kern.f64(cp + mb * 4 * ldc);
  if (f === null) {
    // the kernel's memory cannot grow that far (wasm32: 4 GB): the JavaScript loops give the same bits
    gemmStridedJs(m, n, k, a, aOff, ais, aps, b, bOff, bps, bjs, c, cOff, cis, upperB);
    return;
  }
  f.set(a.subarray(aOff, aOff + lenA), 0);
  f.set(b.subarray(bOff, bOff + lenB), rawB);
  kern.fns.packPanels(0, ais, aps, m, k, packedA * 8);
  kern.fns.packPanels(rawB * 8, bjs, bps, n, k, packedB * 8);
  kern.fns.gemmPacked(mb, nb, k, packedA * 8, packedB * 8, cp * 8, ldc, upperB ? 1 : 0);
  if (cis === n && ldc === n) c.set(f.subarray(cp, cp + m * n), cOff);
  else for (let i = 0; i < m; i++) c.set(f.subarray(cp + i * ldc, cp + i * ldc + n), cOff + i * cis);
}
