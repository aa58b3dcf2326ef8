// AssemblyScript source of the WebAssembly SIMD eigenvalue kernel (compiled by kernel/build-wasm.js into
// dist/wasm/symEigvals.wasm; loaded by src/core/symEigvals.ts). Not TypeScript for tsc: `f64x2`, `v128`, `load`,
// `store`, `usize` and the scalar `abs`, `sqrt`, `max` are AssemblyScript built-ins (one IEEE instruction each).
//
// The same computation as the JavaScript twin in src/core/symEigvals.ts and as ml-matrix's tred2/tql2 on the
// eigenvalues: Householder reduction to tridiagonal form, then implicit QL. Every rounded operation is the
// reference's, in the reference's order, so the eigenvalues are equal to the last bit. What differs is storage:
// the kernel keeps the whole symmetric matrix (both triangles, row-major, row stride n), which makes both O(n^3)
// loops of the reduction elementwise over adjacent columns, and f64x2 lanes never run over a sum:
//   - the symmetric product y = A d: in the reference, entry y_k receives the terms A(k, j) d_j one at a time in
//     increasing j, starting from +0 (the column terms of the rows j < k, then the diagonal, then its own row).
//     Here the same sum runs in axpy form, y <- y + A(j, :) d_j for j = 0, 1, ..., lanes over k.
//   - the rank-2 update A(j, k) <- A(j, k) - (d_j e_k + e_j d_k): the mirrored entry (k, j) computes
//     (d_k e_j + e_k d_j), the same two products added in the other order, which IEEE addition gives exactly; so
//     updating both triangles keeps A exactly symmetric and equal to the reference's triangle.
// The update of one step and the product of the next share one pass over the matrix (see householderTridiagonal).
//
// Layout (byte offsets into the imported memory, f64, each array 16-byte aligned): the n×n matrix at `a`
// (destroyed), d and e (n each), scratch w (3 n rounded up to even). On return d holds the eigenvalues, ascending.

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Eigenvalues (ascending, into d) of the exactly symmetric row-major n×n matrix at `a` (destroyed); e is scratch of
 * n doubles, w scratch of 3n doubles (all 16-byte aligned).
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
 * tred2 without vectors: diagonal into d, sub-diagonal into e[1..n-1]. Step i (active block i×i, vector u = d)
 * computes y = A u (into e), turns it into w = y / h - (u.y / h / 2h) u, and updates A <- A - (u w^T + w u^T).
 * The update of step i and the product of the next step (i-1) share one pass over the block: the next vector u'
 * is the updated row i-1, which is updated first; then each row j < i-1 is updated and at once added, times u'_j,
 * into y' (the order of every sum unchanged). Column i-1 of rows j < i-1 is never read again and is left stale.
 */
function householderTridiagonal(a: usize, n: i32, d0: usize, e0: usize, w: usize): void {
  const rowB: usize = <usize>n << 3;
  const stride: usize = <usize>((n + 1) & ~1) << 3;
  let u: usize = d0; // current vector (the reference's d)
  let y: usize = e0; // current product / w (the reference's e)
  let u2: usize = w; // next vector
  let y2: usize = w + stride; // next product
  const sub: usize = w + 2 * stride; // sub-diagonal
  if (n == 1) {
    st(d0, 0, load<f64>(a));
    st(e0, 0, 0);
    return;
  }
  for (let j = 0; j < n; j++) st(u, j, ld(a + <usize>(n - 1) * rowB, j));
  let h = householderVector(u, n - 1, sub);
  if (h != 0) symmetricProduct(a, n, n - 1, u, y);
  for (let i = n - 1; i > 0; i--) {
    const rowLast: usize = a + <usize>(i - 1) * rowB;
    if (h != 0) {
      let f: f64 = 0;
      for (let j = 0; j < i; j++) {
        const v = ld(y, j) / h;
        st(y, j, v);
        f += v * ld(u, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(y, j, ld(y, j) - hh * ld(u, j));
      rank2Row(rowLast, i, u, y, ld(u, i - 1), ld(y, i - 1));
    }
    for (let j = 0; j < i; j++) st(u2, j, ld(rowLast, j));
    if (i == 1) break;
    const h2 = householderVector(u2, i - 1, sub);
    if (h != 0 && h2 != 0) fusedUpdateProduct(a, n, i - 1, u, y, u2, y2);
    else if (h != 0) rank2Update(a, n, i - 1, u, y);
    else if (h2 != 0) symmetricProduct(a, n, i - 1, u2, y2);
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

/** row[k] -= f y[k] + g u[k] for k < m (one row of the rank-2 update; f = u_j, g = y_j). */
function rank2Row(row: usize, m: i32, u: usize, y: usize, f: f64, g: f64): void {
  const sf = f64x2.splat(f), sg = f64x2.splat(g);
  const evenB: usize = <usize>(m & ~1) << 3;
  for (let off: usize = 0; off < evenB; off += 16) {
    v128.store(row + off, f64x2.sub(v128.load(row + off), f64x2.add(f64x2.mul(sf, v128.load(y + off)), f64x2.mul(sg, v128.load(u + off)))));
  }
  if ((m & 1) != 0) {
    const last: usize = <usize>(m - 1) << 3;
    store<f64>(row + last, load<f64>(row + last) - (f * load<f64>(y + last) + g * load<f64>(u + last)));
  }
}

/**
 * For the rows j < m, columns k < m: A[j][k] <- A[j][k] - (u_j y_k + y_j u_k), then y2_k <- y2_k + A[j][k] u2_j
 * (y2 from +0, rows in increasing j): the rank-2 update of one step and the symmetric product of the next in one
 * pass, two rows at a time (four spill registers under V8 and measured no faster).
 */
function fusedUpdateProduct(a: usize, n: i32, m: i32, u: usize, y: usize, u2: usize, y2: usize): void {
  const rowB: usize = <usize>n << 3;
  const evenB: usize = <usize>(m & ~1) << 3;
  const odd = (m & 1) != 0;
  const last: usize = <usize>(m - 1) << 3;
  for (let k = 0; k < m; k++) st(y2, k, 0);
  let j = 0;
  for (; j + 1 < m; j += 2) {
    const r0: usize = a + <usize>j * rowB;
    const r1: usize = r0 + rowB;
    const f0 = ld(u, j), f1 = ld(u, j + 1);
    const g0 = ld(y, j), g1 = ld(y, j + 1);
    const q0 = ld(u2, j), q1 = ld(u2, j + 1);
    const sf0 = f64x2.splat(f0), sf1 = f64x2.splat(f1);
    const sg0 = f64x2.splat(g0), sg1 = f64x2.splat(g1);
    const sq0 = f64x2.splat(q0), sq1 = f64x2.splat(q1);
    for (let off: usize = 0; off < evenB; off += 16) {
      const yk = v128.load(y + off);
      const uk = v128.load(u + off);
      let acc = v128.load(y2 + off);
      const a0 = f64x2.sub(v128.load(r0 + off), f64x2.add(f64x2.mul(sf0, yk), f64x2.mul(sg0, uk)));
      v128.store(r0 + off, a0);
      acc = f64x2.add(acc, f64x2.mul(a0, sq0));
      const a1 = f64x2.sub(v128.load(r1 + off), f64x2.add(f64x2.mul(sf1, yk), f64x2.mul(sg1, uk)));
      v128.store(r1 + off, a1);
      acc = f64x2.add(acc, f64x2.mul(a1, sq1));
      v128.store(y2 + off, acc);
    }
    if (odd) {
      const yk = load<f64>(y + last);
      const uk = load<f64>(u + last);
      let acc = load<f64>(y2 + last);
      const a0 = load<f64>(r0 + last) - (f0 * yk + g0 * uk);
      store<f64>(r0 + last, a0);
      acc = acc + a0 * q0;
      const a1 = load<f64>(r1 + last) - (f1 * yk + g1 * uk);
      store<f64>(r1 + last, a1);
      acc = acc + a1 * q1;
      store<f64>(y2 + last, acc);
    }
  }
  for (; j < m; j++) {
    const r0: usize = a + <usize>j * rowB;
    const f0 = ld(u, j), g0 = ld(y, j), q0 = ld(u2, j);
    const sf0 = f64x2.splat(f0), sg0 = f64x2.splat(g0), sq0 = f64x2.splat(q0);
    for (let off: usize = 0; off < evenB; off += 16) {
      const a0 = f64x2.sub(v128.load(r0 + off), f64x2.add(f64x2.mul(sf0, v128.load(y + off)), f64x2.mul(sg0, v128.load(u + off))));
      v128.store(r0 + off, a0);
      v128.store(y2 + off, f64x2.add(v128.load(y2 + off), f64x2.mul(a0, sq0)));
    }
    if (odd) {
      const a0 = load<f64>(r0 + last) - (f0 * load<f64>(y + last) + g0 * load<f64>(u + last));
      store<f64>(r0 + last, a0);
      store<f64>(y2 + last, load<f64>(y2 + last) + a0 * q0);
    }
  }
}

/**
 * e[0:i] = A[0:i, 0:i] d[0:i], each entry summed from +0 in increasing row j (axpy form, four rows per pass over
 * e, lanes over adjacent columns; an odd last column is scalar with the same order).
 */
function symmetricProduct(a: usize, n: i32, i: i32, d: usize, e: usize): void {
  const rowB: usize = <usize>n << 3;
  const end: usize = e + (<usize>(i & ~1) << 3);
  const odd = (i & 1) != 0;
  const last: usize = <usize>(i - 1) << 3;
  for (let k = 0; k < i; k++) st(e, k, 0);
  let j = 0;
  for (; j + 3 < i; j += 4) {
    const r0: usize = a + <usize>j * rowB;
    const r1: usize = r0 + rowB;
    const r2: usize = r1 + rowB;
    const r3: usize = r2 + rowB;
    const f0 = ld(d, j), f1 = ld(d, j + 1), f2 = ld(d, j + 2), f3 = ld(d, j + 3);
    const s0 = f64x2.splat(f0), s1 = f64x2.splat(f1), s2 = f64x2.splat(f2), s3 = f64x2.splat(f3);
    let pe: usize = e;
    let off: usize = 0;
    while (pe < end) {
      let y = v128.load(pe);
      y = f64x2.add(y, f64x2.mul(v128.load(r0 + off), s0));
      y = f64x2.add(y, f64x2.mul(v128.load(r1 + off), s1));
      y = f64x2.add(y, f64x2.mul(v128.load(r2 + off), s2));
      y = f64x2.add(y, f64x2.mul(v128.load(r3 + off), s3));
      v128.store(pe, y);
      pe += 16;
      off += 16;
    }
    if (odd) {
      let y = load<f64>(e + last);
      y = y + load<f64>(r0 + last) * f0;
      y = y + load<f64>(r1 + last) * f1;
      y = y + load<f64>(r2 + last) * f2;
      y = y + load<f64>(r3 + last) * f3;
      store<f64>(e + last, y);
    }
  }
  for (; j < i; j++) {
    const r0: usize = a + <usize>j * rowB;
    const f0 = ld(d, j);
    const s0 = f64x2.splat(f0);
    let pe: usize = e;
    let off: usize = 0;
    while (pe < end) {
      v128.store(pe, f64x2.add(v128.load(pe), f64x2.mul(v128.load(r0 + off), s0)));
      pe += 16;
      off += 16;
    }
    if (odd) store<f64>(e + last, load<f64>(e + last) + load<f64>(r0 + last) * f0);
  }
}

/** A[j][k] -= d[j] e[k] + e[j] d[k] for all j, k < i (both triangles; two rows share the loads of e and d). */
function rank2Update(a: usize, n: i32, i: i32, d: usize, e: usize): void {
  const rowB: usize = <usize>n << 3;
  const evenB: usize = <usize>(i & ~1) << 3;
  const odd = (i & 1) != 0;
  const last: usize = <usize>(i - 1) << 3;
  let j = 0;
  for (; j + 1 < i; j += 2) {
    const r0: usize = a + <usize>j * rowB;
    const r1: usize = r0 + rowB;
    const f0 = ld(d, j), f1 = ld(d, j + 1), g0 = ld(e, j), g1 = ld(e, j + 1);
    const sf0 = f64x2.splat(f0), sf1 = f64x2.splat(f1), sg0 = f64x2.splat(g0), sg1 = f64x2.splat(g1);
    for (let off: usize = 0; off < evenB; off += 16) {
      const ek = v128.load(e + off);
      const dk = v128.load(d + off);
      v128.store(r0 + off, f64x2.sub(v128.load(r0 + off), f64x2.add(f64x2.mul(sf0, ek), f64x2.mul(sg0, dk))));
      v128.store(r1 + off, f64x2.sub(v128.load(r1 + off), f64x2.add(f64x2.mul(sf1, ek), f64x2.mul(sg1, dk))));
    }
    if (odd) {
      const ek = load<f64>(e + last);
      const dk = load<f64>(d + last);
      store<f64>(r0 + last, load<f64>(r0 + last) - (f0 * ek + g0 * dk));
      store<f64>(r1 + last, load<f64>(r1 + last) - (f1 * ek + g1 * dk));
    }
  }
  for (; j < i; j++) {
    const r0: usize = a + <usize>j * rowB;
    const f0 = ld(d, j), g0 = ld(e, j);
    const sf0 = f64x2.splat(f0), sg0 = f64x2.splat(g0);
    for (let off: usize = 0; off < evenB; off += 16) {
      v128.store(r0 + off, f64x2.sub(v128.load(r0 + off), f64x2.add(f64x2.mul(sf0, v128.load(e + off)), f64x2.mul(sg0, v128.load(d + off)))));
    }
    if (odd) store<f64>(r0 + last, load<f64>(r0 + last) - (f0 * load<f64>(e + last) + g0 * load<f64>(d + last)));
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
