/**
 * Data-form square loss `1/2 ||W X - Y||^2`: the Gram form (`W Sxx - Syx`, used when there are more samples than
 * inputs) against the residual form (`(W X - Y) X^T`) on seeded random data, including rank-deficient `X`;
 * gradient and Hessian action against finite differences and the definitions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, Rng, checkGradient, rng, squareLossData } from "../../src";
import { denseBackend } from "../../src/core/dense";
import { pinv } from "../../src/core/linalg";

function flat(A: Matrix): Float64Array {
  return Float64Array.from(A.to2DArray().flat());
}

function rankDeficient(R: Rng, n: number, N: number, r: number): Matrix {
  return R.gaussian(n, r).mmul(R.gaussian(r, N));
}

interface DataCase {
  label: string;
  X: Matrix;
  Y: Matrix;
}

function cases(): DataCase[] {
  const R = rng(31415);
  const out: DataCase[] = [];
  for (let t = 0; t < 60; t++) {
    const n = 1 + R.int(8);
    const m = 1 + R.int(6);
    const N = t % 3 === 0 ? 1 + R.int(2 * n) : 2 * n + 1 + R.int(40); // a third with N <= 2n (residual form)
    const deficient = t % 2 === 1 && n > 1;
    const X = deficient ? rankDeficient(R, n, N, 1 + R.int(n - 1)) : R.gaussian(n, N);
    const Y = R.gaussian(m, N, 0.5 + 2 * R.uniform());
    out.push({ label: `#${t} m=${m} n=${n} N=${N}${deficient ? " rank-deficient" : ""}`, X, Y });
  }
  return out;
}

const CASES = cases();

test("gramForm is used exactly when N > 2n", () => {
  for (const c of CASES) assert.equal(squareLossData(c.X, c.Y).gramForm, c.X.columns > 2 * c.X.rows, c.label);
});

test("Gram form = residual form to 1e-12 relative (value and gradient), incl. rank-deficient X", (t) => {
  const R = rng(2);
  let worst = 0;
  for (const c of CASES) {
    const l = squareLossData(c.X, c.Y);
    const [m, n] = l.shape;
    for (let s = 0; s < 3; s++) {
      const w = flat(R.gaussian(m, n, 0.3 + R.uniform()));
      const g1 = new Float64Array(m * n);
      const g2 = new Float64Array(m * n);
      const v1 = l.valueAndGradientResidualRaw(w, g1);
      const v2 = l.valueAndGradientGramRaw(w, g2);
      const ev = Math.abs(v1 - v2) / Math.max(v1, 1e-300);
      let gs = 0;
      let gd = 0;
      for (let k = 0; k < g1.length; k++) {
        gs = Math.max(gs, Math.abs(g1[k]));
        gd = Math.max(gd, Math.abs(g1[k] - g2[k]));
      }
      const eg = gd / Math.max(gs, 1e-300);
      worst = Math.max(worst, ev, eg);
      assert.ok(ev <= 1e-12, `${c.label}: value ${v1} vs ${v2}`);
      assert.ok(eg <= 1e-12, `${c.label}: gradient relative difference ${eg}`);
      // the public methods agree with the raw form in use
      const W = new Matrix(m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, w[i * n + j]);
      assert.equal(l.value(W), l.gramForm ? v2 : v1);
      assert.deepEqual(flat(l.gradient(W)), l.gramForm ? g2 : g1);
    }
  }
  t.diagnostic(`worst relative difference Gram vs residual: ${worst.toExponential(2)}`);
});

test("Gram form at an exact fit: value >= 0 and within a few eps ||Y||^2 of 0; gradient ~ 0", () => {
  const R = rng(77);
  for (let t = 0; t < 20; t++) {
    const n = 2 + R.int(5);
    const m = 1 + R.int(4);
    const N = 2 * n + 5 + R.int(30);
    const X = R.gaussian(n, N);
    const Wstar = R.gaussian(m, n);
    const Y = Wstar.mmul(X);
    const l = squareLossData(X, Y);
    assert.ok(l.gramForm);
    let yy = 0;
    for (const a of flat(Y)) yy += a * a;
    const v = l.value(Wstar);
    assert.ok(v >= 0, `value ${v}`);
    assert.ok(v <= 64 * Number.EPSILON * yy, `value ${v} vs eps ||Y||^2 = ${Number.EPSILON * yy}`);
    for (const g of flat(l.gradient(Wstar))) assert.ok(Math.abs(g) <= 1e-12 * yy);
  }
});

test("gradient = central differences and Hess l[D] = D X X^T, in both forms", () => {
  const R = rng(5);
  for (const c of CASES) {
    const l = squareLossData(c.X, c.Y);
    const [m, n] = l.shape;
    const w0 = flat(R.gaussian(m, n));
    const toW = (x: Float64Array): Matrix => {
      const W = new Matrix(m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, x[i * n + j]);
      return W;
    };
    const chk = checkGradient((x) => l.value(toW(x)), (x) => flat(l.gradient(toW(x))), w0);
    assert.ok(chk.relError <= 1e-7, `${c.label}: gradient relative error ${chk.relError}`);
    const D = R.gaussian(m, n);
    const HD = l.hessianAction(toW(w0), D);
    const ref = D.mmul(c.X).mmul(c.X.transpose());
    let s = 1e-300;
    for (const a of flat(ref)) s = Math.max(s, Math.abs(a));
    const hd = flat(HD);
    const rf = flat(ref);
    for (let k = 0; k < hd.length; k++) assert.ok(Math.abs(hd[k] - rf[k]) <= 1e-12 * s, `${c.label}: Hess l[D]`);
  }
});

test("no method modifies X, Y or its arguments", () => {
  const c = CASES[1];
  const X0 = c.X.clone();
  const Y0 = c.Y.clone();
  const l = squareLossData(c.X, c.Y);
  const W = new Matrix(l.shape[0], l.shape[1]).fill(0.5);
  const W0 = W.clone();
  l.value(W);
  l.gradient(W);
  l.hessianAction(W, W);
  assert.deepEqual(c.X.to2DArray(), X0.to2DArray());
  assert.deepEqual(c.Y.to2DArray(), Y0.to2DArray());
  assert.deepEqual(W.to2DArray(), W0.to2DArray());
});

test("the SIMD Gram kernel gives the JavaScript twin's bits (every tile remainder, rank-deficient X, two losses alternating)", () => {
  const R = rng(2718);
  const bits = (a: number, b: number): boolean => Object.is(a, b);
  const losses: { L: ReturnType<typeof squareLossData>; m: number; n: number; C: Float64Array }[] = [];
  for (const [m, n] of [[4, 4], [7, 9], [16, 16], [17, 17], [18, 19], [21, 15], [33, 18], [6, 35], [32, 32]]) {
    const N = 2 * n + 1 + R.int(30);
    const X = losses.length % 3 === 1 ? rankDeficient(R, n, N, Math.max(1, n - 3)) : R.gaussian(n, N);
    const Y = R.gaussian(m, N, 2);
    losses.push({ L: squareLossData(X, Y), m, n, C: flat(Y.mmul(pinv(X))) });
  }
  let simd = 0;
  for (let round = 0; round < 3; round++) {
    for (const { L, m, n, C } of losses) {
      // at a random point, near the centre C (the value's large terms cancel there) and at C + tiny steps
      const W = R.gaussian(m, n, round === 0 ? 1 : round === 1 ? 1e-3 : 1e-9);
      const w = flat(W);
      if (round > 0) for (let k = 0; k < w.length; k++) w[k] += C[k];
      const g1 = new Float64Array(m * n).fill(NaN);
      const g2 = new Float64Array(m * n).fill(NaN);
      const v1 = L.valueAndGradientGramRaw(w, g1);
      const v2 = L.valueAndGradientGramJs(w, g2);
      assert.ok(bits(v1, v2), `${m}×${n} round ${round}: value ${v1} vs twin ${v2}`);
      for (let k = 0; k < g1.length; k++) assert.ok(bits(g1[k], g2[k]), `${m}×${n} round ${round}: gradient entry ${k}`);
      // the private field says which backend ran: the kernel must have been taken where it applies
      if ((L as unknown as { gramKernel: unknown }).gramKernel) simd++;
    }
  }
  // the documented rule: at least 4 rows and columns and m n^2 >= 4096 multiply-adds (7 of the 9 shapes, 3 rounds)
  if (denseBackend() === "wasm-simd") assert.equal(simd, 3 * 7, "evaluations on the SIMD kernel");
});
