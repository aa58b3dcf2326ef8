/**
 * Eigenvalues of a symmetric matrix without eigenvectors, on `Float64Array`s: Householder reduction to
 * tridiagonal form followed by the implicit QL iteration with Wilkinson-type shifts (EISPACK `tred2`/`tql2`
 * as in JAMA and ml-matrix, with every eigenvector accumulation removed).
 *
 * The arithmetic on the diagonal and off-diagonal is the same, operation for operation, as ml-matrix's
 * `EigenvalueDecomposition` on the same (exactly symmetric) matrix, so the eigenvalues agree with
 * `symEig(...).values` to the last bit (test/core/symEigvals.test.ts checks this); it costs about a third of
 * the full decomposition (no `O(n^3)` accumulation, no rotation of eigenvector rows).
 *
 * Two backends with the same arithmetic, both reading only the upper triangle: the JavaScript loops below (the
 * symmetric matrix-vector product of the reduction runs eight independent rows at a time, same operation order per
 * entry), and a WebAssembly SIMD kernel (`wasm/symEigvals.ts`, loaded by `./wasmKernel`) whose `f64x2` lanes run
 * over adjacent columns (the rank-2 update, and the terms a row gives to the entries below it) or over pairs of
 * rows (the rows' own sums), never over the terms of one sum, and which does the update of one step and the product
 * of the next in one pass. Both give the same bits (tested at every order to 80 and a spread to 300, with structured
 * spectra); {@link symTridiagEigvalsInPlace} takes the kernel from order {@link SIMD_MIN_ORDER} when it is built, so
 * the backend changes speed, never values.
 * @module
 */

import { loadWasmKernel } from "./wasmKernel";

/**
 * Eigenvalues of the symmetric `n×n` matrix held row-major in `A` (may be destroyed: used as workspace), in
 * ascending order, written to `d` (length `n`); `e` (length `n`) is scratch.
 *
 * Formula: `A = Q T Q^T` with `T` tridiagonal (Householder), then implicit QL sweeps on `T` until every
 * off-diagonal entry is `<= eps * max_l (|d_l| + |e_l|)`. Only the upper triangle of `A` is read.
 * No input checks (an internal kernel: callers validate shape, symmetry and finiteness); serves T5 and the
 * Hessian inertia of the verdicts (T3/T5).
 * @param A - row-major `n×n` symmetric matrix (upper triangle used), overwritten.
 * @param n - the order.
 * @param d - output, length `>= n`: eigenvalues ascending.
 * @param e - scratch, length `>= n`.
 * @throws never (finite input assumed; an infinite or NaN entry may loop forever, as in ml-matrix).
 */
export function symTridiagEigvalsInPlace(A: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  if (n === 0) return;
  if (n >= SIMD_MIN_ORDER && symTridiagEigvalsSimd(A, n, d)) return;
  symTridiagEigvalsJs(A, n, d, e);
}

/**
 * {@link symTridiagEigvalsInPlace} leaving `A` unchanged: the SIMD kernel works on its own copy; the JavaScript
 * path on a copy of `A`. Same values.
 * @param A - row-major `n×n` symmetric matrix (upper triangle used), not modified.
 * @param n - the order. @param d - output, length `>= n`: eigenvalues ascending.
 * @throws never (an internal kernel; finite input assumed).
 */
export function symTridiagEigvals(A: Float64Array, n: number, d: Float64Array): void {
  if (n === 0) return;
  if (n >= SIMD_MIN_ORDER && symTridiagEigvalsSimd(A, n, d)) return;
  symTridiagEigvalsJs(A.slice(0, n * n), n, d, new Float64Array(n));
}

/**
 * The JavaScript backend of {@link symTridiagEigvalsInPlace} (same contract): the reference the SIMD kernel is
 * tested against.
 * @throws never (an internal kernel).
 */
export function symTridiagEigvalsJs(A: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  if (n === 0) return;
  householderTridiagonal(A, n, d, e);
  implicitQL(n, d, e);
}

/** Smallest order for which {@link symTridiagEigvalsInPlace} uses the SIMD kernel (measured crossover: about 6). */
export const SIMD_MIN_ORDER = 6;

interface EigvalsKernel {
  symEigvals(a: number, n: number, d: number, e: number, w: number): void;
}

const simd = loadWasmKernel<EigvalsKernel>("symEigvals");

/** Which backend {@link symTridiagEigvalsInPlace} uses from order {@link SIMD_MIN_ORDER} on: `"wasm-simd"` (built) or `"js"`. @throws never */
export function eigvalsBackend(): "wasm-simd" | "js" {
  return simd === null ? "js" : "wasm-simd";
}

/**
 * The SIMD backend of {@link symTridiagEigvalsInPlace} at any order (same values; `A` is read, not modified):
 * copies `A` into the kernel's memory, runs the reduction and the QL sweeps there and copies the eigenvalues
 * (ascending) into `d`. Returns `false`, leaving `d` untouched, when the kernel is not built ({@link eigvalsBackend})
 * or its memory cannot hold the matrix.
 * @throws never (an internal kernel).
 */
export function symTridiagEigvalsSimd(A: Float64Array, n: number, d: Float64Array): boolean {
  if (simd === null) return false;
  if (n === 0) return true;
  const nn = n * n + ((n * n) & 1); // every vector starts 16-byte aligned
  const ne = n + (n & 1);
  const f = simd.f64(nn + 6 * ne);
  if (f === null) return false; // the kernel's memory cannot grow that far (wasm32: 4 GB): the JavaScript path takes it
  f.set(A.subarray(0, n * n), 0);
  simd.fns.symEigvals(0, n, nn * 8, (nn + ne) * 8, (nn + 2 * ne) * 8);
  d.set(f.subarray(nn, nn + n));
  return true;
}

/**
 * Householder reduction of the symmetric row-major matrix `A` to tridiagonal form (diagonal in `d`, sub-diagonal
 * in `e[1..n-1]`), the reduction half of EISPACK `tred2` in ml-matrix's transposed storage: row `j`,
 * columns `k >= j` of `A` hold the active lower triangle.
 */
function householderTridiagonal(A: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const last = n - 1;
  for (let j = 0; j < n; j++) d[j] = A[j * n + last];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale = scale + Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) d[j] = A[j * n + i - 1];
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      symmetricProduct(A, n, i, d, e);
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      rank2Update(A, n, i, d, e);
    }
    d[i] = h;
  }
  for (let j = 0; j < n; j++) d[j] = A[j * n + j];
  e[0] = 0;
}

/**
 * `e <- e + A[0:i, 0:i] d` for the leading `i×i` block stored in the upper triangle (rows `j`, columns `k >= j`),
 * with ml-matrix's order of operations per entry: row `j` sums `e[j] + A[j][j] d[j] + sum_{k>j} A[j][k] d[k]`
 * in increasing `k` after receiving `A[j'][j] d[j']` from every earlier row `j'` in increasing `j'`. Eight rows
 * run together (eight independent sums; each `e[k]` still receives its terms in increasing row order).
 */
function symmetricProduct(A: Float64Array, n: number, i: number, d: Float64Array, e: Float64Array): void {
  let j = 0;
  const gs = SCRATCH8;
  for (; j + 7 < i; j += 8) {
    const r0 = j * n;
    // prologue: the triangle of the eight rows, in the order of the reference loop (row t starts its sum at column j + t
    // after receiving the terms of rows 0..t-1 of the block)
    gs[0] = e[j] + A[r0 + j] * d[j];
    for (let k = j + 1; k < j + 8; k++) {
      const dk = d[k];
      for (let t = 0; t < k - j; t++) {
        const a = A[r0 + t * n + k];
        gs[t] += a * dk;
        e[k] += a * d[j + t];
      }
      gs[k - j] = e[k] + A[r0 + (k - j) * n + k] * dk;
    }
    let g0 = gs[0], g1 = gs[1], g2 = gs[2], g3 = gs[3], g4 = gs[4], g5 = gs[5], g6 = gs[6], g7 = gs[7];
    const f0 = d[j], f1 = d[j + 1], f2 = d[j + 2], f3 = d[j + 3], f4 = d[j + 4], f5 = d[j + 5], f6 = d[j + 6], f7 = d[j + 7];
    const r1 = r0 + n, r2 = r1 + n, r3 = r2 + n, r4 = r3 + n, r5 = r4 + n, r6 = r5 + n, r7 = r6 + n;
    for (let k = j + 8; k < i; k++) {
      const dk = d[k];
      const a0 = A[r0 + k], a1 = A[r1 + k], a2 = A[r2 + k], a3 = A[r3 + k], a4 = A[r4 + k], a5 = A[r5 + k], a6 = A[r6 + k], a7 = A[r7 + k];
      g0 += a0 * dk;
      g1 += a1 * dk;
      g2 += a2 * dk;
      g3 += a3 * dk;
      g4 += a4 * dk;
      g5 += a5 * dk;
      g6 += a6 * dk;
      g7 += a7 * dk;
      e[k] = e[k] + a0 * f0 + a1 * f1 + a2 * f2 + a3 * f3 + a4 * f4 + a5 * f5 + a6 * f6 + a7 * f7;
    }
    e[j] = g0;
    e[j + 1] = g1;
    e[j + 2] = g2;
    e[j + 3] = g3;
    e[j + 4] = g4;
    e[j + 5] = g5;
    e[j + 6] = g6;
    e[j + 7] = g7;
  }
  for (; j < i; j++) {
    const r = j * n;
    const f = d[j];
    let g = e[j] + A[r + j] * f;
    for (let k = j + 1; k < i; k++) {
      g += A[r + k] * d[k];
      e[k] += A[r + k] * f;
    }
    e[j] = g;
  }
}

/** Scratch for the eight running sums of a block's triangle in {@link symmetricProduct}. */
const SCRATCH8 = new Float64Array(8);

/**
 * `A[j][k] -= d[j] e[k] + e[j] d[k]` for `j <= k < i`, then `d[j] = A[j][i-1]` (the next Householder column),
 * row by row as in the reference; eight rows share the loads of `d[k]`, `e[k]` (each entry's arithmetic unchanged;
 * row `j'` reads `d[k]` only for `k >= j'`, which the earlier rows of the block have not yet overwritten).
 */
function rank2Update(A: Float64Array, n: number, i: number, d: Float64Array, e: Float64Array): void {
  let j = 0;
  for (; j + 7 < i; j += 8) {
    const r0 = j * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const r4 = r3 + n;
    const r5 = r4 + n;
    const r6 = r5 + n;
    const r7 = r6 + n;
    const f0 = d[j], f1 = d[j + 1], f2 = d[j + 2], f3 = d[j + 3], f4 = d[j + 4], f5 = d[j + 5], f6 = d[j + 6], f7 = d[j + 7];
    const g0 = e[j], g1 = e[j + 1], g2 = e[j + 2], g3 = e[j + 3], g4 = e[j + 4], g5 = e[j + 5], g6 = e[j + 6], g7 = e[j + 7];
    // the triangle of the eight rows (row j + t starts at column j + t)
    for (let k = j; k < j + 8; k++) {
      const ek = e[k];
      const dk = d[k];
      const t = k - j;
      A[r0 + k] = A[r0 + k] - (f0 * ek + g0 * dk);
      if (t >= 1) A[r1 + k] = A[r1 + k] - (f1 * ek + g1 * dk);
      if (t >= 2) A[r2 + k] = A[r2 + k] - (f2 * ek + g2 * dk);
      if (t >= 3) A[r3 + k] = A[r3 + k] - (f3 * ek + g3 * dk);
      if (t >= 4) A[r4 + k] = A[r4 + k] - (f4 * ek + g4 * dk);
      if (t >= 5) A[r5 + k] = A[r5 + k] - (f5 * ek + g5 * dk);
      if (t >= 6) A[r6 + k] = A[r6 + k] - (f6 * ek + g6 * dk);
      if (t >= 7) A[r7 + k] = A[r7 + k] - (f7 * ek + g7 * dk);
    }
    for (let k = j + 8; k < i; k++) {
      const ek = e[k];
      const dk = d[k];
      A[r0 + k] = A[r0 + k] - (f0 * ek + g0 * dk);
      A[r1 + k] = A[r1 + k] - (f1 * ek + g1 * dk);
      A[r2 + k] = A[r2 + k] - (f2 * ek + g2 * dk);
      A[r3 + k] = A[r3 + k] - (f3 * ek + g3 * dk);
      A[r4 + k] = A[r4 + k] - (f4 * ek + g4 * dk);
      A[r5 + k] = A[r5 + k] - (f5 * ek + g5 * dk);
      A[r6 + k] = A[r6 + k] - (f6 * ek + g6 * dk);
      A[r7 + k] = A[r7 + k] - (f7 * ek + g7 * dk);
    }
    d[j] = A[r0 + i - 1];
    d[j + 1] = A[r1 + i - 1];
    d[j + 2] = A[r2 + i - 1];
    d[j + 3] = A[r3 + i - 1];
    d[j + 4] = A[r4 + i - 1];
    d[j + 5] = A[r5 + i - 1];
    d[j + 6] = A[r6 + i - 1];
    d[j + 7] = A[r7 + i - 1];
  }
  for (; j < i; j++) {
    const fj = d[j];
    const gj = e[j];
    const row = j * n;
    for (let k = j; k < i; k++) A[row + k] = A[row + k] - (fj * e[k] + gj * d[k]);
    d[j] = A[row + i - 1];
  }
}

/** `sqrt(a^2 + b^2)` without overflow, as ml-matrix's `hypotenuse` (same operations). */
function hypot(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Implicit QL on the tridiagonal `(d, e[1..n-1])`; eigenvalues left in `d`, ascending (EISPACK `tql2` without vectors). */
function implicitQL(n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f = f + h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
    }
  }
}
