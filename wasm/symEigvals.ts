// AssemblyScript source of the WebAssembly SIMD eigenvalue kernel (compiled by kernel/build-wasm.js into
// dist/wasm/symEigvals.wasm; loaded by src/core/symEigvals.ts). Not TypeScript for tsc: `f64x2`, `v128`, `load`,
// `store`, `usize` and the scalar `abs`, `sqrt`, `max` are AssemblyScript built-ins (one IEEE instruction each).
//
// The same computation as the JavaScript twin in src/core/symEigvals.ts and as ml-matrix's tred2/tql2 on the
// eigenvalues: Householder reduction to tridiagonal form, then implicit QL. Every rounded operation is the
// reference's, in the reference's order, so the eigenvalues are equal to the last bit. Only the upper triangle
// (row j, columns k >= j, row-major with row stride n) is read and updated. What differs is the loop structure:
//   - the symmetric product y = A u of a step: entry y_k receives the terms A(k, j) u_j one at a time in increasing
//     j, starting from +0: the terms of the rows above (A[j][k] u_j for j < k, stored in row j), then its own row
//     (A[k][k] u_k, A[k][k+1] u_{k+1}, ...). Rows run in increasing order, four per pass: the terms for the rows
//     below go in axpy form with f64x2 lanes over adjacent columns, the four rows' own sums with lanes over pairs
//     of rows, one term added at a time in increasing k. Lanes never split a sum.
//   - the rank-2 update A[j][k] <- A[j][k] - (u_j w_k + w_j u_k) is elementwise (lanes over k).
//   - the update of one step and the product of the next share one pass over the triangle.
//
// Layout (byte offsets into the imported memory, f64, each array 16-byte aligned): the n×n matrix at `a`
// (destroyed), d and e (n each), scratch w (4 n rounded up to even). On return d holds the eigenvalues, ascending.

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Eigenvalues (ascending, into d) of the symmetric row-major n×n matrix at `a` (upper triangle read, destroyed); e is
 * scratch of n doubles, w scratch of 4n doubles (all 16-byte aligned).
 */
export function symEigvals(a: usize, n: i32, d: usize, e: usize, w: usize): void {
  if (n <= 0) return;
  householderTridiagonal(a, n, d, e, w);
  implicitQL(n, d, e);
}

/**
 * Step i's Householder vector from u[0:i] = row i of the active matrix, as in the reference: scale = sum |u_k|
 * (in increasing k); if it is 0 the step is skipped (sub_i = u_{i-1}, returns 0); otherwise u <- u / scale,
 * h = u.u, g = -sign(u_{i-1}) sqrt(h), sub_i = scale g, u_{i-1} <- u_{i-1} - g, and the returned h - u_{i-1} g > 0.
 */
function householderVector(u: usize, i: i32, sub: usize): f64 {
  let scale: f64 = 0;
  for (let k = 0; k < i; k++) scale = scale + abs<f64>(ld(u, k));
  if (scale == 0) {
    st(sub, i, ld(u, i - 1));
    return 0;
  }
  let h: f64 = 0;
  for (let k = 0; k < i; k++) {
    const v = ld(u, k) / scale;
    st(u, k, v);
    h += v * v;
  }
  const f = ld(u, i - 1);
  let g = sqrt<f64>(h);
  if (f > 0) g = -g;
  st(sub, i, scale * g);
  st(u, i - 1, f - g);
  return h - f * g;
}

/**
 * tred2 without vectors: diagonal into d, sub-diagonal into e[1..n-1]; only the upper triangle of A is read and
 * updated. Step i (active block i×i, vector u = d) computes y = A u (into e), turns it into
 * w = y / h - (u.y / h / 2h) u, and updates A <- A - (u w^T + w u^T). The update of step i and the product of
 * the next step (i-1) share one pass over the block: the next vector u' is the updated column i-1, which is
 * updated first; then the rows j < i-1 are updated and at once used for y' = A u' (the order of every sum
 * unchanged). A skipped step (zero column) runs the same pass with zero vectors in place of the missing one.
 */
function householderTridiagonal(a: usize, n: i32, d0: usize, e0: usize, w: usize): void {
  const rowB: usize = <usize>n << 3;
  const stride: usize = <usize>((n + 1) & ~1) << 3;
  let u: usize = d0; // current vector (the reference's d)
  let y: usize = e0; // current product / w (the reference's e)
  let u2: usize = w; // next vector
  let y2: usize = w + stride; // next product
  const sub: usize = w + 2 * stride; // sub-diagonal
  const zero: usize = w + 3 * stride;
  if (n == 1) {
    st(d0, 0, load<f64>(a));
    st(e0, 0, 0);
    return;
  }
  for (let j = 0; j < n; j++) st(zero, j, 0);
  const lastCol: usize = <usize>(n - 1) << 3;
  for (let j = 0; j < n; j++) st(u, j, load<f64>(a + <usize>j * rowB + lastCol));
  let h = householderVector(u, n - 1, sub);
  if (h != 0) updateProduct(a, n, n - 1, zero, zero, u, y);
  for (let i = n - 1; i > 0; i--) {
    const col: usize = a + (<usize>(i - 1) << 3);
    if (h != 0) {
      let f: f64 = 0;
      for (let j = 0; j < i; j++) {
        const v = ld(y, j) / h;
        st(y, j, v);
        f += v * ld(u, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(y, j, ld(y, j) - hh * ld(u, j));
      // column i-1 (the next vector): A[j][i-1] -= u_j y_{i-1} + y_j u_{i-1}
      const yl = ld(y, i - 1);
      const ul = ld(u, i - 1);
      for (let j = 0; j < i; j++) {
        const p: usize = col + <usize>j * rowB;
        const v = load<f64>(p) - (ld(u, j) * yl + ld(y, j) * ul);
        store<f64>(p, v);
        st(u2, j, v);
      }
    } else {
      for (let j = 0; j < i; j++) st(u2, j, load<f64>(col + <usize>j * rowB));
    }
    if (i == 1) break;
    const h2 = householderVector(u2, i - 1, sub);
    if (h != 0) updateProduct(a, n, i - 1, u, y, h2 != 0 ? u2 : zero, y2);
    else if (h2 != 0) updateProduct(a, n, i - 1, zero, zero, u2, y2);
    h = h2;
    let t = u;
    u = u2;
    u2 = t;
    t = y;
    y = y2;
    y2 = t;
  }
  for (let j = 0; j < n; j++) st(d0, j, load<f64>(a + <usize>j * rowB + (<usize>j << 3)));
  st(e0, 0, 0);
  for (let j = 1; j < n; j++) st(e0, j, ld(sub, j));
}

/** A[j][k] - (f y_k + g u_k), stored back and returned (one entry of the rank-2 update; f = u_j, g = y_j). */
@inline function updated(row: usize, k: i32, u: usize, y: usize, f: f64, g: f64): f64 {
  const p: usize = row + (<usize>k << 3);
  const v = load<f64>(p) - (f * ld(y, k) + g * ld(u, k));
  store<f64>(p, v);
  return v;
}

/** (((s + x0 q0) + x1 q1) + x2 q2) + x3 q3: four terms added to a running sum in order. */
@inline function sum4(s: f64, x0: f64, x1: f64, x2: f64, x3: f64, q0: f64, q1: f64, q2: f64, q3: f64): f64 {
  return (((s + x0 * q0) + x1 * q1) + x2 * q2) + x3 * q3;
}

/**
 * On the upper triangle of the leading m×m block (rows j < m, columns j <= k < m):
 * A[j][k] <- A[j][k] - (u_j y_k + y_j u_k), and y2 = A u2 with the updated A, every entry y2_k summed from +0
 * over the rows j = 0, 1, ... in the reference's order: the terms A[j][k] u2_j of the rows above (axpy, lanes
 * over columns), then its own row A[k][k] u2_k, A[k][k+1] u2_{k+1}, ... (dot). Four rows per pass: their four
 * dot sums run two per f64x2 (lanes over rows, one term added at a time in increasing k), after the 4×4 diagonal
 * block in scalar code.
 */
function updateProduct(a: usize, n: i32, m: i32, u: usize, y: usize, u2: usize, y2: usize): void {
  const rowB: usize = <usize>n << 3;
  for (let k = 0; k < m; k++) st(y2, k, 0);
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const r0: usize = a + <usize>j * rowB;
    const r1: usize = r0 + rowB;
    const r2: usize = r1 + rowB;
    const r3: usize = r2 + rowB;
    const f0 = ld(u, j), f1 = ld(u, j + 1), f2 = ld(u, j + 2), f3 = ld(u, j + 3);
    const g0 = ld(y, j), g1 = ld(y, j + 1), g2 = ld(y, j + 2), g3 = ld(y, j + 3);
    const q0 = ld(u2, j), q1 = ld(u2, j + 1), q2 = ld(u2, j + 2), q3 = ld(u2, j + 3);
    // the 4×4 diagonal block
    const b00 = updated(r0, j, u, y, f0, g0), b01 = updated(r0, j + 1, u, y, f0, g0);
    const b02 = updated(r0, j + 2, u, y, f0, g0), b03 = updated(r0, j + 3, u, y, f0, g0);
    const b11 = updated(r1, j + 1, u, y, f1, g1), b12 = updated(r1, j + 2, u, y, f1, g1), b13 = updated(r1, j + 3, u, y, f1, g1);
    const b22 = updated(r2, j + 2, u, y, f2, g2), b23 = updated(r2, j + 3, u, y, f2, g2);
    const b33 = updated(r3, j + 3, u, y, f3, g3);
    let s0 = sum4(ld(y2, j), b00, b01, b02, b03, q0, q1, q2, q3);
    let s1 = sum4(ld(y2, j + 1), b01, b11, b12, b13, q0, q1, q2, q3);
    let s2 = sum4(ld(y2, j + 2), b02, b12, b22, b23, q0, q1, q2, q3);
    let s3 = sum4(ld(y2, j + 3), b03, b13, b23, b33, q0, q1, q2, q3);
    let G01 = f64x2.replace_lane(f64x2.splat(s0), 1, s1);
    let G23 = f64x2.replace_lane(f64x2.splat(s2), 1, s3);
    const sf0 = f64x2.splat(f0), sf1 = f64x2.splat(f1), sf2 = f64x2.splat(f2), sf3 = f64x2.splat(f3);
    const sg0 = f64x2.splat(g0), sg1 = f64x2.splat(g1), sg2 = f64x2.splat(g2), sg3 = f64x2.splat(g3);
    const sq0 = f64x2.splat(q0), sq1 = f64x2.splat(q1), sq2 = f64x2.splat(q2), sq3 = f64x2.splat(q3);
    let k = j + 4;
    for (; k + 1 < m; k += 2) {
      const off: usize = <usize>k << 3;
      const yk = v128.load(y + off);
      const uk = v128.load(u + off);
      const a0 = f64x2.sub(v128.load(r0 + off), f64x2.add(f64x2.mul(sf0, yk), f64x2.mul(sg0, uk)));
      v128.store(r0 + off, a0);
      const a1 = f64x2.sub(v128.load(r1 + off), f64x2.add(f64x2.mul(sf1, yk), f64x2.mul(sg1, uk)));
      v128.store(r1 + off, a1);
      const a2 = f64x2.sub(v128.load(r2 + off), f64x2.add(f64x2.mul(sf2, yk), f64x2.mul(sg2, uk)));
      v128.store(r2 + off, a2);
      const a3 = f64x2.sub(v128.load(r3 + off), f64x2.add(f64x2.mul(sf3, yk), f64x2.mul(sg3, uk)));
      v128.store(r3 + off, a3);
      let acc = v128.load(y2 + off);
      acc = f64x2.add(acc, f64x2.mul(a0, sq0));
      acc = f64x2.add(acc, f64x2.mul(a1, sq1));
      acc = f64x2.add(acc, f64x2.mul(a2, sq2));
      acc = f64x2.add(acc, f64x2.mul(a3, sq3));
      v128.store(y2 + off, acc);
      const p0 = v128.load_splat<f64>(u2 + off);
      const p1 = v128.load_splat<f64>(u2 + off, 8);
      G01 = f64x2.add(G01, f64x2.mul(v128.shuffle<f64>(a0, a1, 0, 2), p0));
      G23 = f64x2.add(G23, f64x2.mul(v128.shuffle<f64>(a2, a3, 0, 2), p0));
      G01 = f64x2.add(G01, f64x2.mul(v128.shuffle<f64>(a0, a1, 1, 3), p1));
      G23 = f64x2.add(G23, f64x2.mul(v128.shuffle<f64>(a2, a3, 1, 3), p1));
    }
    s0 = f64x2.extract_lane(G01, 0);
    s1 = f64x2.extract_lane(G01, 1);
    s2 = f64x2.extract_lane(G23, 0);
    s3 = f64x2.extract_lane(G23, 1);
    if (k < m) {
      const a0 = updated(r0, k, u, y, f0, g0), a1 = updated(r1, k, u, y, f1, g1);
      const a2 = updated(r2, k, u, y, f2, g2), a3 = updated(r3, k, u, y, f3, g3);
      st(y2, k, sum4(ld(y2, k), a0, a1, a2, a3, q0, q1, q2, q3));
      const p = ld(u2, k);
      s0 = s0 + a0 * p;
      s1 = s1 + a1 * p;
      s2 = s2 + a2 * p;
      s3 = s3 + a3 * p;
    }
    st(y2, j, s0);
    st(y2, j + 1, s1);
    st(y2, j + 2, s2);
    st(y2, j + 3, s3);
  }
  for (; j < m; j++) {
    const r0: usize = a + <usize>j * rowB;
    const f0 = ld(u, j), g0 = ld(y, j), q0 = ld(u2, j);
    let s = ld(y2, j) + updated(r0, j, u, y, f0, g0) * q0;
    for (let k = j + 1; k < m; k++) {
      const v = updated(r0, k, u, y, f0, g0);
      s = s + v * ld(u2, k);
      st(y2, k, ld(y2, k) + v * q0);
    }
    st(y2, j, s);
  }
}

/** sqrt(a^2 + b^2) without overflow, the reference's `hypotenuse` (same operations). */
@inline function hypot(a: f64, b: f64): f64 {
  if (abs<f64>(a) > abs<f64>(b)) {
    const r = b / a;
    return abs<f64>(a) * sqrt<f64>(1 + r * r);
  }
  if (b != 0) {
    const r = a / b;
    return abs<f64>(b) * sqrt<f64>(1 + r * r);
  }
  return 0;
}

/** Implicit QL on the tridiagonal (d, e[1..n-1]) (tql2 without vectors); eigenvalues left in d, ascending. */
function implicitQL(n: i32, d: usize, e: usize): void {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  const eps: f64 = f64.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = max<f64>(tst1, abs<f64>(ld(d, l)) + abs<f64>(ld(e, l)));
    let m = l;
    while (m < n) {
      if (abs<f64>(ld(e, m)) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = ld(d, l);
        const el = ld(e, l);
        let p = (ld(d, l + 1) - g) / (2 * el);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        const dl = el / (p + r);
        st(d, l, dl);
        const dl1 = el * (p + r);
        st(d, l + 1, dl1);
        let h = g - dl;
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f = f + h;
        p = ld(d, m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = ld(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = ld(e, i);
          const di = ld(d, i);
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          st(e, i + 1, s * r);
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          st(d, i + 1, h + s * (c * g + s * di));
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (abs<f64>(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) {
      const dj = ld(d, j);
      if (dj < p) {
        k = j;
        p = dj;
      }
    }
    if (k != i) {
      st(d, k, ld(d, i));
      st(d, i, p);
    }
  }
}
