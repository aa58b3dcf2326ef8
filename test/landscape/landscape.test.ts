/**
 * L = l ∘ mu on the small examples of docs/theory.md (Ex-1, Ex-2, A2), the derivative checks' power to detect
 * wrong derivatives, packing, and the fast path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DeepLinearNetwork,
  Matrix,
  checkGradient,
  deepLinear,
  diag,
  eye,
  landscape,
  matrix,
  multiTower,
  mmul,
  packTheta,
  pinv,
  rng,
  squareLoss,
  squareLossData,
  symEig,
  taylorSlope,
  taylorSlope2,
  weightedSquareLoss,
} from "../../src";

const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol;

test("Ex-1: d=(1,1,1), l(w) = (w-1)^2: (0,0) is a saddle with Hessian eigenvalues ±2", () => {
  const L = landscape(deepLinear([1, 1, 1]), squareLoss([[1]]));
  const th = [matrix([[0]]), matrix([[0]])];
  assert.equal(L.value(th), 1);
  assert.deepEqual(L.gradient(th).map((M) => M.get(0, 0)), [0, 0]);
  const ev = symEig(L.hessian(th)).values;
  assert.ok(close(ev[0], 2) && close(ev[1], -2));
  // (1, 0): same fibre (mu = 0), not critical
  const g = L.gradient([matrix([[1]]), matrix([[0]])]);
  assert.ok(Math.abs(g[1].get(0, 0)) === 2);
});

test("Ex-2: d=(2,2,2), Q = diag(2,1): theta2 is critical and escapes with loss change -2e^2 + e^4; theta3 has gradient norm 2", () => {
  const L = landscape(deepLinear([2, 2, 2]), squareLoss(diag([2, 1])));
  const s = Math.SQRT2;
  const th2 = [diag([s, 0]), diag([s, 0])];
  const g2 = L.gradient(th2);
  assert.ok(g2.every((M) => M.norm("frobenius") < 1e-14));
  const base = L.value(th2);
  assert.ok(close(base, 1));
  for (const e of [0.1, 0.3, 0.5]) {
    const change = L.value([diag([s, e]), diag([s, e])]) - base;
    assert.ok(close(change, -2 * e * e + e ** 4, 1e-14), `e=${e}: ${change}`);
  }
  const g3 = L.gradient([diag([s, 1]), diag([s, 0])]);
  const norm = Math.sqrt(g3.reduce((acc, M) => acc + M.norm("frobenius") ** 2, 0));
  assert.ok(close(norm, 2));
});

test("A2: d=(2,2,2), Y = e2 e1^T, W2 = diag(1,0), W1 = diag(0,1): Hessian eigenvalues {(1±√5)/2 twice, 0×3, 2}", () => {
  const Y = matrix([[0, 0], [1, 0]]);
  const L = landscape(deepLinear([2, 2, 2]), squareLossData(eye(2), Y));
  const th = [diag([0, 1]), diag([1, 0])];
  assert.ok(close(L.value(th), 0.5));
  assert.ok(L.gradient(th).every((M) => M.norm("frobenius") === 0));
  const ev = symEig(L.hessian(th)).values;
  const phi = (1 + Math.sqrt(5)) / 2;
  const want = [2, phi, phi, 0, 0, 0, 1 - phi, 1 - phi];
  want.forEach((w, k) => assert.ok(close(ev[k], w, 1e-12), `eigenvalue ${k}: ${ev[k]} vs ${w}`));
});

test("the checks detect wrong derivatives: slope 1 for a wrong gradient, 2 for a wrong Hessian", () => {
  const R = rng(4);
  const L = landscape(deepLinear([3, 2, 4]), weightedSquareLoss(R.gaussian(4, 3).abs() as Matrix, R.gaussian(4, 3)));
  const x = L.pack([R.gaussian(2, 3), R.gaussian(4, 2)]);
  const v = Float64Array.from({ length: L.dim }, () => R.normal());
  const f = (y: Float64Array) => L.valueFlat(y);
  const good = (y: Float64Array) => L.gradientFlat(y);
  const bad = (y: Float64Array) => L.gradientFlat(y).map((a) => 1.1 * a);
  assert.ok(Math.abs(taylorSlope(f, good, x, v).slope - 2) < 0.1);
  assert.ok(Math.abs(taylorSlope(f, bad, x, v).slope - 1) < 0.3);
  assert.ok(checkGradient(f, good, x).relError < 1e-9);
  assert.ok(checkGradient(f, bad, x).relError > 1e-5);
  const hv = (y: Float64Array, w: Float64Array) => L.hessianVectorFlat(y, w);
  const hvBad = (y: Float64Array, w: Float64Array) => L.hessianVectorFlat(y, w).map((a) => 1.01 * a);
  assert.ok(Math.abs(taylorSlope2(f, good, hv, x, v).slope - 3) < 0.15);
  assert.ok(Math.abs(taylorSlope2(f, good, hvBad, x, v).slope - 2) < 0.3);
});

test("pack order = packTheta, and unpack inverts pack", () => {
  const R = rng(9);
  const d = [4, 3, 2, 3, 5];
  const L = landscape(new DeepLinearNetwork(d), squareLoss(R.gaussian(5, 4)));
  const th = L.net.paramShapes.map(([r, c]) => R.gaussian(r, c));
  assert.deepEqual(L.pack(th), packTheta(d, th));
  const back = L.unpack(L.pack(th));
  back.forEach((M, k) => assert.deepEqual(M.to2DArray(), th[k].to2DArray()));
  assert.equal(L.dim, 12 + 6 + 6 + 15);
});

test("fast path is used for deep linear + library losses, not for towers or custom losses, and is fast", (t) => {
  const R = rng(12);
  const L = landscape(deepLinear([4, 3, 2, 3, 5]), squareLoss(R.gaussian(5, 4)));
  assert.equal(L.fastPath, true);
  assert.equal(landscape(multiTower([[4, 1, 5], [4, 2, 5]]), squareLoss(R.gaussian(5, 4))).fastPath, false);
  const x = Float64Array.from({ length: L.dim }, () => R.normal() * 0.5);
  const g = new Float64Array(L.dim);
  const n = 100000;
  let acc = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < n; k++) acc += L.valueAndGradientFlat(x, g);
  const fast = Number(process.hrtime.bigint() - t0) / n;
  const t1 = process.hrtime.bigint();
  for (let k = 0; k < 2000; k++) acc += L.valueAndGradientFlatGeneric(x, g);
  const slow = Number(process.hrtime.bigint() - t1) / 2000;
  t.diagnostic(`(4,3,2,3,5) square loss value+gradient: fast ${(fast / 1000).toFixed(2)} µs/call, generic ${(slow / 1000).toFixed(2)} µs/call`);
  assert.ok(Number.isFinite(acc));
  assert.ok(fast < slow, `fast path ${fast} ns is not faster than generic ${slow} ns`);
});

test("hessianParts: Gauss–Newton + curvature = Hessian; Gauss–Newton PSD for convex l; curvature 0 where grad l = 0", () => {
  const R = rng(21);
  const Q = R.gaussian(4, 3);
  const L = landscape(deepLinear([3, 3, 4]), weightedSquareLoss(R.gaussian(4, 3).abs() as Matrix, Q));
  const th = [R.gaussian(3, 3), R.gaussian(4, 3)];
  const { gaussNewton, curvature } = L.hessianParts(th);
  const H = L.hessian(th);
  for (let i = 0; i < H.rows; i++) for (let j = 0; j < H.columns; j++) assert.ok(close(gaussNewton.get(i, j) + curvature.get(i, j), H.get(i, j), 1e-12));
  const ev = symEig(gaussNewton).values;
  assert.ok(ev[ev.length - 1] > -1e-10);
  // at a global minimum (mu = Q exactly representable: filling (3,3,4)? r = 3 = min(3,4) yes) grad l = 0
  const W1 = R.gaussian(3, 3);
  const th0 = [W1, mmul(Q, pinv(W1))];
  const cur0 = L.hessianParts(th0).curvature;
  for (let i = 0; i < cur0.rows; i++) for (let j = 0; j < cur0.columns; j++) assert.ok(Math.abs(cur0.get(i, j)) < 1e-9);
});
