/**
 * The WebAssembly SIMD backend of the Gram-form square loss (`wasm/squareGram.ts`): value and gradient of
 * `l(W) = 1/2 ||W X - Y||^2` as `grad l = grad l(C) + E Sxx`, `l = l(C) + <grad l(C), E> + 1/2 ||E R^T||^2`,
 * `E = W - C`, in one call, with the same rounded operations in the same order as the JavaScript twin
 * (`SquareLossData.valueAndGradientGramJs`): the backend changes speed, never bits (tested bit for bit).
 *
 * Internal (not re-exported from the library's entry): `SquareLossData` builds one per loss on first use.
 * The loss's constants (`C`, `grad l(C)`, and `Sxx`, `R^T` packed into the kernel's 4-wide panels) are copied into
 * the kernel's memory once and stay there while the same loss keeps calling (an optimiser's loop); another loss
 * using the kernel copies its own in. A call then copies `W` in and the gradient out.
 * @module
 */

import { SIMD_MIN_WORK } from "../core/dense";
import { evenDoubles as even, loadWasmKernel } from "../core/wasmKernel";

interface SquareGramFns {
  packPanels(src: number, is: number, ps: number, rows: number, k: number, dst: number): void;
  gramValueAndGradient(
    m: number, n: number, lc: number,
    w: number, wc: number, gc: number, sxxP: number, rP: number,
    e: number, ap: number, cg: number, ct: number, g: number,
  ): number;
}

const kernel = loadWasmKernel<SquareGramFns>("squareGram");

/** The kernel whose constants are in the module's memory now (the memory keeps its contents when it grows). */
let resident: GramSquareKernel | null = null;

/**
 * Value and gradient of the Gram-form square loss for one `SquareLossData` (shapes `m×n`), on the SIMD kernel.
 * Generic infrastructure of the data-form square loss (T5, A5, B1); internal.
 */
export class GramSquareKernel {
  private readonly mn: number;
  /** `[C | grad l(C) | Sxx panels | R^T panels]`, in the kernel's layout (doubles; set by `packConstants`). */
  private consts = new Float64Array(0);
  private readonly offGc: number;
  private readonly offSxx: number;
  private readonly offR: number;
  private readonly offW: number;
  private readonly offE: number;
  private readonly offAp: number;
  private readonly offCg: number;
  private readonly offCt: number;
  private readonly offG: number;
  private readonly total: number;

  private constructor(
    private readonly m: number,
    private readonly n: number,
    private readonly lc: number,
  ) {
    const mn = m * n;
    const mb = (m + 3) >> 2;
    const ldc = ((n + 3) >> 2) * 4;
    const panels = ldc * n;
    this.mn = mn;
    this.offGc = even(mn);
    this.offSxx = this.offGc + even(mn);
    this.offR = this.offSxx + panels;
    this.offW = this.offR + panels;
    this.offE = this.offW + even(mn);
    this.offAp = this.offE + even(mn);
    this.offCg = this.offAp + mb * 4 * n;
    this.offCt = this.offCg + mb * 4 * ldc;
    this.offG = this.offCt + mb * 4 * ldc;
    this.total = this.offG + even(mn);
  }

  /**
   * Lays out the constants: packs `Sxx` (`B(p, j) = Sxx[p n + j]`) and `R^T` (`B(p, j) = R[j n + p]`) with the
   * kernel's own packing routine, using the per-call region as scratch; false if the memory cannot grow that far.
   */
  private packConstants(wc: Float64Array, gc: Float64Array, sxx: Float64Array, rq: Float64Array): boolean {
    const k = kernel as NonNullable<typeof kernel>;
    const f = k.f64(this.total);
    if (f === null) return false;
    const n = this.n;
    resident = null;
    f.set(sxx, this.offW);
    k.fns.packPanels(this.offW * 8, 1, n, n, n, this.offSxx * 8);
    f.set(rq, this.offW);
    k.fns.packPanels(this.offW * 8, n, 1, n, n, this.offR * 8);
    f.set(wc, 0);
    f.set(gc, this.offGc);
    this.consts = f.slice(0, this.offW);
    return true;
  }

  /**
   * The kernel for an `m×n` Gram-form loss with centre `wc = C`, `gc = grad l(C)`, `sxx = X X^T` (`n×n`), `rq = R`
   * (`n×n` upper triangular, `X^T = Q R`) and `lc = l(C)`; `null` when the module is not built, the product is too
   * small for SIMD to pay (below `SIMD_MIN_WORK` multiply-adds, or fewer than 4 rows or columns), or the kernel's
   * memory cannot grow that far: the caller keeps the JavaScript twin (same bits).
   * @throws never.
   */
  static create(m: number, n: number, wc: Float64Array, gc: Float64Array, sxx: Float64Array, rq: Float64Array, lc: number): GramSquareKernel | null {
    if (kernel === null || m < 4 || n < 4 || m * n * n < SIMD_MIN_WORK) return null;
    const K = new GramSquareKernel(m, n, lc);
    return K.packConstants(wc, gc, sxx, rq) ? K : null;
  }

  /**
   * Writes `grad l(W)` into `g` and returns `l(C) + <grad l(C), E> + 1/2 ||E R^T||^2` (not clamped), `W` and `g`
   * row-major of length `m n`; `null` if the kernel's memory cannot grow (the caller then runs the twin).
   * @throws never.
   */
  valueAndGradient(w: Float64Array, g: Float64Array): number | null {
    const k = kernel as NonNullable<typeof kernel>;
    const f = k.f64(this.total);
    if (f === null) return null;
    if (resident !== this) {
      f.set(this.consts, 0);
      resident = this;
    }
    const mn = this.mn;
    f.set(w.length === mn ? w : w.subarray(0, mn), this.offW);
    const v = k.fns.gramValueAndGradient(
      this.m, this.n, this.lc,
      this.offW * 8, 0, this.offGc * 8, this.offSxx * 8, this.offR * 8,
      this.offE * 8, this.offAp * 8, this.offCg * 8, this.offCt * 8, this.offG * 8,
    );
    g.set(f.subarray(this.offG, this.offG + mn));
    return v;
  }
}
