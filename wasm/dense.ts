// AssemblyScript source of the WebAssembly SIMD dense product (compiled by kernel/build-wasm.js into
// dist/wasm/dense.wasm; loaded by src/core/dense.ts). Not TypeScript for tsc: `f64x2`, `v128`, `load`,
// `store` and `usize` are AssemblyScript built-ins.
//
// C = A B with every entry summed from +0 in increasing inner index p, one rounded multiply and one rounded
// add per term: the same operations as the scalar triple loop in src/core/dense.ts, so the result is equal
// to the last bit. SIMD lanes run over adjacent columns of C (never over p), which is what keeps the order.
//
// Layout (all offsets in bytes into the imported memory, all arrays f64):
//   packed A: row blocks of 4, Ap[(ib*k + p)*4 + r] = A(4 ib + r, p)       (rows past m are zeros)
//   packed B: column panels of 4, Bp[(jb*k + p)*4 + c] = B(p, 4 jb + c)   (columns past n are zeros)
//   C: row-major, row stride ldc doubles (ldc >= 4 nb), rows 4 mb, columns 4 nb.
// Zero padding never changes a real entry: entry (i, j) reads only row i of A and column j of B.

/**
 * Packs the strided matrix M(i, p) = src[i is + p ps] (i < rows, p < k; doubles from byte offset `src`) into
 * panels of 4 along i: dst[(ib k + p) 4 + r] = M(4 ib + r, p), zero for i >= rows. Packs A as it is (row blocks)
 * and B seen as its transpose (B(p, j) with is = bjs, ps = bps: column panels).
 */
export function packPanels(src: usize, is: i32, ps: i32, rows: i32, k: i32, dst: usize): void {
  const blocks = (rows + 3) >> 2;
  const step: usize = <usize>ps << 3;
  for (let ib = 0; ib < blocks; ib++) {
    if ((ib << 2) + 3 < rows && (is == 1 || ps == 1)) {
      packFullBlock(src + ((<usize>(ib << 2) * <usize>is) << 3), is, ps, k, dst + ((<usize>ib * <usize>k) << 5));
      continue;
    }
    for (let r = 0; r < 4; r++) {
      const i = (ib << 2) + r;
      let d: usize = dst + ((<usize>ib * <usize>k) << 5) + (<usize>r << 3);
      if (i < rows) {
        let s: usize = src + ((<usize>i * <usize>is) << 3);
        for (let p = 0; p < k; p++) {
          store<f64>(d, load<f64>(s));
          s += step;
          d += 32;
        }
      } else {
        for (let p = 0; p < k; p++) {
          store<f64>(d, 0);
          d += 32;
        }
      }
    }
  }
}

/**
 * One full block of four rows (s points at M(4 ib, 0)) when either index is contiguous: with is = 1 the four entries
 * M(4 ib .. 4 ib + 3, p) are adjacent and move as two v128; with ps = 1 each row is read two entries at a time and the
 * pairs are interleaved by shuffles (rows 0/1 and 2/3 for p, then for p + 1). Data movement only: the same values.
 */
function packFullBlock(s: usize, is: i32, ps: i32, k: i32, d: usize): void {
  if (is == 1) {
    const step: usize = <usize>ps << 3;
    for (let p = 0; p < k; p++) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      s += step;
      d += 32;
    }
    return;
  }
  const row: usize = <usize>is << 3;
  const s1 = s + row;
  const s2 = s1 + row;
  const s3 = s2 + row;
  let p = 0;
  for (; p + 1 < k; p += 2) {
    const o: usize = <usize>p << 3;
    const a = v128.load(s + o);
    const b = v128.load(s1 + o);
    const c = v128.load(s2 + o);
    const e = v128.load(s3 + o);
    v128.store(d, v128.shuffle<i64>(a, b, 0, 2));
    v128.store(d, v128.shuffle<i64>(c, e, 0, 2), 16);
    v128.store(d, v128.shuffle<i64>(a, b, 1, 3), 32);
    v128.store(d, v128.shuffle<i64>(c, e, 1, 3), 48);
    d += 64;
  }
  if (p < k) {
    const o: usize = <usize>p << 3;
    store<f64>(d, load<f64>(s + o));
    store<f64>(d, load<f64>(s1 + o), 8);
    store<f64>(d, load<f64>(s2 + o), 16);
    store<f64>(d, load<f64>(s3 + o), 24);
  }
}

/**
 * C = Ap Bp on packed operands: mb row blocks × nb column panels, each 4×4 tile of C in eight f64x2
 * accumulators. Entries of A are read with `v128.load64_splat` (a broadcasting load, one instruction, where
 * `f64x2.splat(load)` costs a load and a shuffle: about 15% of the kernel's time; same values). With `upperB` the caller promises B(p, j) = 0 for p < j, and the sum for a panel starts at its
 * first column (the skipped terms are exact zeros, so the value is unchanged).
 */
export function gemmPacked(mb: i32, nb: i32, k: i32, ap: usize, bp: usize, cp: usize, ldc: i32, upperB: i32): void {
  const ldcB: usize = <usize>ldc << 3;
  for (let jb = 0; jb < nb; jb++) {
    const p0: i32 = upperB ? min(jb << 2, k) : 0;
    const panel: usize = bp + ((<usize>jb * <usize>k) << 5);
    const end: usize = panel + (<usize>k << 5);
    for (let ib = 0; ib < mb; ib++) {
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
      let pa: usize = ap + ((<usize>ib * <usize>k + <usize>p0) << 5);
      let pb: usize = panel + (<usize>p0 << 5);
      while (pb < end) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let x = v128.load64_splat(pa);
        s00 = f64x2.add(s00, f64x2.mul(x, b0));
        s01 = f64x2.add(s01, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 8);
        s10 = f64x2.add(s10, f64x2.mul(x, b0));
        s11 = f64x2.add(s11, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 16);
        s20 = f64x2.add(s20, f64x2.mul(x, b0));
        s21 = f64x2.add(s21, f64x2.mul(x, b1));
        x = v128.load64_splat(pa, 24);
        s30 = f64x2.add(s30, f64x2.mul(x, b0));
        s31 = f64x2.add(s31, f64x2.mul(x, b1));
        pa += 32;
        pb += 32;
      }
      const c0: usize = cp + (<usize>(ib << 2)) * ldcB + (<usize>jb << 5);
      v128.store(c0, s00);
      v128.store(c0, s01, 16);
      const c1 = c0 + ldcB;
      v128.store(c1, s10);
      v128.store(c1, s11, 16);
      const c2 = c1 + ldcB;
      v128.store(c2, s20);
      v128.store(c2, s21, 16);
      const c3 = c2 + ldcB;
      v128.store(c3, s30);
      v128.store(c3, s31, 16);
    }
  }
}
