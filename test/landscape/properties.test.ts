/**
 * Seeded property tests of L = l ∘ mu over 270 random instances: every network kind × every loss kind
 * (deep linear widths 1..6, depth 1..5; multi-tower; ReLU away from kinks).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, checkGradient, fdJacobian, rng, taylorSlope, taylorSlope2 } from "../../src";
import { LOSS_KINDS, NET_KINDS, copyAll, makeInstance, sameAll, unitVector } from "./instances";

const COUNT = 270; // 10 per (network kind, loss kind) pair
const R = rng(20240603);
const instances = Array.from({ length: COUNT }, (_, i) => makeInstance(R.fork(), NET_KINDS[i % 3], LOSS_KINDS[Math.floor(i / 3) % LOSS_KINDS.length]));

function logspace(lo: number, hi: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => lo * (hi / lo) ** (i / (k - 1)));
}

test(`${COUNT} instances cover every network kind and loss kind`, () => {
  const pairs = new Set(instances.map((I) => `${I.net.constructor.name}/${I.lossKind}`));
  assert.equal(pairs.size, NET_KINDS.length * LOSS_KINDS.length);
});

test("gradient = central differences (relative error <= 1e-7)", (t) => {
  let worst = 0;
  for (const I of instances) {
    const c = checkGradient((x) => I.L.valueFlat(x), (x) => I.L.gradientFlat(x), I.x);
    worst = Math.max(worst, c.relError);
    assert.ok(c.relError <= 1e-7, `${I.label}: relative error ${c.relError}`);
  }
  t.diagnostic(`worst gradient relative error over ${COUNT}: ${worst.toExponential(2)}`);
});

test("fast path (deep linear workspace) = generic path to 1e-12", () => {
  let n = 0;
  for (const I of instances) {
    const g1 = new Float64Array(I.L.dim);
    const g2 = new Float64Array(I.L.dim);
    const v1 = I.L.valueAndGradientFlat(I.x, g1);
    const v2 = I.L.valueAndGradientFlatGeneric(I.x, g2);
    const scale = Math.max(1, Math.abs(v2));
    assert.ok(Math.abs(v1 - v2) <= 1e-12 * scale, `${I.label}: value ${v1} vs ${v2}`);
    let gs = 1;
    for (const a of g2) gs = Math.max(gs, Math.abs(a));
    for (let k = 0; k < g1.length; k++) assert.ok(Math.abs(g1[k] - g2[k]) <= 1e-12 * gs, `${I.label}: gradient[${k}] ${g1[k]} vs ${g2[k]}`);
    assert.equal(I.L.valueFlat(I.x), v1);
    if (I.L.fastPath) n++;
  }
  assert.ok(n >= 80, `fast path used on ${n} instances`);
});

test("Taylor slopes: about 2 with the gradient, about 3 with the Hessian", (t) => {
  const R2 = rng(7);
  const slopes1: number[] = [];
  const slopes2: number[] = [];
  for (const I of instances) {
    const v = unitVector(R2, I.L.dim);
    const hmax = Math.min(0.1, I.kinkSafeStep(v));
    const hs = logspace(hmax * 1e-3, hmax, 10);
    const f = (x: Float64Array) => I.L.valueFlat(x);
    const g = (x: Float64Array) => I.L.gradientFlat(x);
    const t1 = taylorSlope(f, g, I.x, v, { hs });
    if (!t1.exact) {
      slopes1.push(t1.slope);
      assert.ok(Math.abs(t1.slope - 2) <= 0.25, `${I.label}: first-order slope ${t1.slope} (errors ${t1.errors.map((e) => e.toExponential(1))})`);
    }
    const t2 = taylorSlope2(f, g, (x, w) => I.L.hessianVectorFlat(x, w), I.x, v, { hs });
    if (!t2.exact) {
      slopes2.push(t2.slope);
      assert.ok(Math.abs(t2.slope - 3) <= 0.45, `${I.label}: second-order slope ${t2.slope} (errors ${t2.errors.map((e) => e.toExponential(1))})`);
    }
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  t.diagnostic(`mean slopes: ${mean(slopes1).toFixed(3)} (${slopes1.length} fits), ${mean(slopes2).toFixed(3)} (${slopes2.length} fits)`);
  assert.ok(slopes1.length >= COUNT * 0.8 && slopes2.length >= COUNT * 0.5);
});

test("Hessian: symmetric, and equal to the finite-difference Jacobian of the gradient", (t) => {
  let checked = 0;
  for (const I of instances) {
    if (I.L.dim > 70) continue;
    const H = I.L.hessian(I.theta);
    // symmetry before symmetrising: Hessian-vector products on unit vectors
    let hmax = 1;
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < H.columns; j++) hmax = Math.max(hmax, Math.abs(H.get(i, j)));
    const raw = new Matrix(I.L.dim, I.L.dim);
    for (let k = 0; k < I.L.dim; k++) {
      const e = new Float64Array(I.L.dim);
      e[k] = 1;
      const col = I.L.hessianVectorFlat(I.x, e);
      for (let i = 0; i < I.L.dim; i++) raw.set(i, k, col[i]);
    }
    const symTol = I.loss.hessianExact ? 1e-11 : 1e-6;
    for (let i = 0; i < H.rows; i++) {
      for (let j = 0; j < i; j++) {
        assert.equal(H.get(i, j), H.get(j, i));
        assert.ok(Math.abs(raw.get(i, j) - raw.get(j, i)) <= symTol * hmax, `${I.label}: asymmetry at (${i},${j})`);
      }
    }
    const J = fdJacobian((x) => I.L.gradientFlat(x), I.x);
    const tol = I.loss.hessianExact ? 1e-7 : 1e-5;
    for (let i = 0; i < H.rows; i++) {
      for (let j = 0; j < H.columns; j++) {
        assert.ok(Math.abs(H.get(i, j) - J.get(i, j)) <= tol * hmax, `${I.label}: H[${i}][${j}] = ${H.get(i, j)}, fd ${J.get(i, j)}`);
      }
    }
    checked++;
  }
  t.diagnostic(`Hessians checked: ${checked}`);
  assert.ok(checked >= 200, `only ${checked} Hessians checked`);
});

test("no public call modifies its inputs", () => {
  const R3 = rng(11);
  for (const I of instances) {
    const theta0 = copyAll(I.theta);
    const V = I.net.paramShapes.map(([r, c]) => R3.gaussian(r, c));
    const V0 = copyAll(V);
    const x0 = Float64Array.from(I.x);
    const W = I.net.mu(I.theta);
    const W0 = W.clone() as Matrix;
    const D = R3.gaussian(W.rows, W.columns);
    const D0 = D.clone() as Matrix;
    I.L.value(I.theta);
    I.L.gradient(I.theta);
    I.L.hessianVector(I.theta, V);
    I.net.dMu(I.theta, V);
    I.net.dMuT(I.theta, D);
    I.net.d2MuT(I.theta, D, V);
    I.loss.value(W);
    I.loss.gradient(W);
    I.loss.hessianAction(W, D);
    const out = new Float64Array(I.L.dim);
    I.L.valueAndGradientFlat(I.x, out);
    I.L.valueAndGradientFlatGeneric(I.x, out);
    I.L.hessianVectorFlat(I.x, I.L.pack(V), out);
    I.L.valueFlat(I.x);
    I.L.unpack(I.x);
    if (I.L.dim <= 30) I.L.hessian(I.theta);
    assert.ok(sameAll(I.theta, theta0), `${I.label}: theta changed`);
    assert.ok(sameAll(V, V0), `${I.label}: V changed`);
    assert.ok(sameAll([W, D], [W0, D0]), `${I.label}: W or D changed`);
    assert.deepEqual(I.x, x0);
  }
});
