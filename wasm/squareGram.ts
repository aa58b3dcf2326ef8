// AssemblyScript source of the Gram-form square loss kernel (compiled by kernel/build-wasm.js into
// dist/wasm/squareGram.wasm; loaded by src/losses/squareGramKernel.ts). Not TypeScript for tsc: `f64x2`,
// `v128`, `load`, `store` and `usize` are AssemblyScript built-ins.
//
// One call evaluates SquareLossData.valueAndGradientGramJs (src/losses/square.ts) with the same rounded
// operations in the same order, so the value and the gradient are equal to the last bit:
//   E = W - C                              (entrywise: lanes over entries)
//   G = E Sxx + grad l(C)                  (E Sxx by the dense kernel: each entry summed in increasing p)
//   T = E R^T                              (R upper triangular: the sum for a panel starts at its first column)
//   lin = sum_k grad l(C)_k E_k,  quad = sum_k T_k^2   (two scalar chains, row-major k, never split)
//   returns (l(C) + lin) + 0.5 quad
// The JavaScript twin does the same with five passes over the entries and two products, each copying and
// packing E again; here E is packed once and read by both products, Sxx and R^T arrive packed, and the three
// entrywise passes are one.
//
// Layout (byte offsets into the imported memory, f64 arrays):
//   w, wc, gc, g: m×n row-major;  sxxP, rP: B panels (dense.ts layout) of Sxx and of R^T, nb·4·n each;
//   e: m×n;  ap: mb·4·n;  cg, ct: (4 mb)×ldc with ldc = 4 nb.

import { packPanels, gemmPacked } from "./dense";

export { packPanels };

/**
 * Gram-form value and gradient of 1/2 ||W X - Y||^2 centred at C (see the header): writes the gradient into `g`
 * and returns l(C) + lin + 1/2 quad (the caller clamps at 0).
 */
export function gramValueAndGradient(
  m: i32, n: i32, lc: f64,
  w: usize, wc: usize, gc: usize, sxxP: usize, rP: usize,
  e: usize, ap: usize, cg: usize, ct: usize, g: usize,
): f64 {
  const mn = m * n;
  let k = 0;
  for (; k + 1 < mn; k += 2) {
    const o: usize = <usize>k << 3;
    v128.store(e + o, f64x2.sub(v128.load(w + o), v128.load(wc + o)));
  }
  if (k < mn) {
    const o: usize = <usize>k << 3;
    store<f64>(e + o, load<f64>(w + o) - load<f64>(wc + o));
  }
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  const ldc = nb << 2;
  packPanels(e, n, 1, m, n, ap);
  gemmPacked(mb, nb, n, ap, sxxP, cg, ldc, 0);
  gemmPacked(mb, nb, n, ap, rP, ct, ldc, 1);
  let lin = 0.0;
  let quad = 0.0;
  const rowC: usize = <usize>ldc << 3;
  let pk: usize = 0;
  let pc: usize = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const q: usize = <usize>j << 3;
      const gk = load<f64>(gc + pk);
      lin += gk * load<f64>(e + pk);
      const t = load<f64>(ct + pc + q);
      quad += t * t;
      store<f64>(g + pk, load<f64>(cg + pc + q) + gk);
      pk += 8;
    }
    pc += rowC;
  }
  return lc + lin + 0.5 * quad;
}
