/**
 * The closed-form second order of deep linear networks (src/landscape/deepLinearHessian.ts) against the generic
 * per-column path through dMu / dMuT / d2MuT: dense Hessian, its two parts and the Hessian-vector product, on
 * 90 seeded instances (every loss kind × depths 1..5, widths 1..6).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Landscape, Matrix, Rng, deepLinear, landscape, rng } from "../../src";
import { LOSS_KINDS, LossKind, makeLoss } from "./instances";

interface Case {
  label: string;
  L: Landscape;
  theta: Matrix[];
  x: Float64Array;
  exact: boolean;
}

function makeCase(R: Rng, lossKind: LossKind, depth: number): Case {
  const w: number[] = [];
  for (let i = 0; i <= depth; i++) w.push(1 + R.int(6));
  if (lossKind === "logistic") w[depth] = 1;
  if (lossKind === "softmax") w[depth] = 2 + R.int(4);
  const net = deepLinear(w);
  const loss = makeLoss(R, lossKind, w[depth], w[0]);
  const L = landscape(net, loss);
  const theta = net.paramShapes.map(([r, c]) => R.gaussian(r, c, 1 / Math.sqrt(Math.max(r, c))));
  return { label: `${lossKind} (${w.join(",")})`, L, theta, x: L.pack(theta), exact: loss.hessianExact };
}

const R = rng(915);
const CASES: Case[] = Array.from({ length: 90 }, (_, i) => makeCase(R.fork(), LOSS_KINDS[i % LOSS_KINDS.length], 1 + (i % 5)));

function maxAbs(A: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s = Math.max(s, Math.abs(A.get(i, j)));
  return s;
}

function relDiff(A: Matrix, B: Matrix): number {
  assert.equal(A.rows, B.rows);
  assert.equal(A.columns, B.columns);
  let d = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) d = Math.max(d, Math.abs(A.get(i, j) - B.get(i, j)));
  return d / Math.max(1e-300, maxAbs(B), 1e-12);
}

test("cases cover every loss kind and depths 1..5", () => {
  const pairs = new Set(CASES.map((c) => `${c.label.split(" ")[0]}/${c.L.net.paramShapes.length}`));
  assert.equal(pairs.size, LOSS_KINDS.length * 5);
});

test("closed-form dense Hessian = generic per-column Hessian (1e-12 relative; 1e-6 for finite-difference losses), symmetric", (t) => {
  let worst = 0;
  let n = 0;
  for (const c of CASES) {
    const H = c.L.hessian(c.theta);
    const Hg = c.L.hessianGeneric(c.theta);
    const e = relDiff(H, Hg);
    const tol = c.exact ? 1e-12 : 1e-6;
    assert.ok(e <= tol, `${c.label}: relative difference ${e}`);
    if (c.exact) {
      worst = Math.max(worst, e);
      n++;
    }
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < i; j++) assert.equal(H.get(i, j), H.get(j, i), `${c.label}: H not symmetric at (${i}, ${j})`);
  }
  assert.ok(n >= 50, `exact cases: ${n}`);
  t.diagnostic(`worst relative difference over ${n} exact-Hessian cases: ${worst.toExponential(2)}`);
});

test("closed-form Hessian parts = generic parts; gaussNewton + curvature = hessian", () => {
  for (const c of CASES) {
    const p = c.L.hessianParts(c.theta);
    const g = c.L.hessianPartsGeneric(c.theta);
    const H = c.L.hessian(c.theta);
    const scale = Math.max(maxAbs(g.gaussNewton), maxAbs(g.curvature), 1e-12);
    const tol = (c.exact ? 1e-12 : 1e-6) * scale;
    for (let i = 0; i < H.rows; i++) {
      for (let j = 0; j < H.columns; j++) {
        assert.ok(Math.abs(p.gaussNewton.get(i, j) - g.gaussNewton.get(i, j)) <= tol, `${c.label}: gaussNewton (${i}, ${j})`);
        assert.ok(Math.abs(p.curvature.get(i, j) - g.curvature.get(i, j)) <= tol, `${c.label}: curvature (${i}, ${j})`);
        assert.ok(Math.abs(p.gaussNewton.get(i, j) + p.curvature.get(i, j) - H.get(i, j)) <= 1e-13 * scale, `${c.label}: sum (${i}, ${j})`);
      }
    }
  }
});

test("Hessian-vector product by recursions = generic HVP = H v (1e-12 relative)", (t) => {
  const R2 = rng(4);
  let worst = 0;
  for (const c of CASES) {
    const v = Float64Array.from({ length: c.L.dim }, () => R2.normal());
    const out = new Float64Array(c.L.dim);
    const a = c.L.hessianVectorFlat(c.x, v, out);
    assert.equal(a, out);
    const b = c.L.hessianVectorFlatGeneric(c.x, v);
    let scale = 1e-12;
    for (const t of b) scale = Math.max(scale, Math.abs(t));
    let e = 0;
    for (let k = 0; k < a.length; k++) e = Math.max(e, Math.abs(a[k] - b[k]) / scale);
    assert.ok(e <= (c.exact ? 1e-12 : 1e-6), `${c.label}: HVP relative difference ${e}`);
    if (c.exact) {
      worst = Math.max(worst, e);
      const H = c.L.hessianGeneric(c.theta);
      for (let i = 0; i < c.L.dim; i++) {
        let s = 0;
        for (let j = 0; j < c.L.dim; j++) s += H.get(i, j) * v[j];
        assert.ok(Math.abs(s - a[i]) <= 1e-11 * Math.max(1, scale), `${c.label}: H v [${i}]`);
      }
    }
  }
  t.diagnostic(`worst HVP relative difference: ${worst.toExponential(2)}`);
});

test("HVP and Hessian do not modify their arguments", () => {
  const c = CASES[7];
  const x0 = Float64Array.from(c.x);
  const v = Float64Array.from({ length: c.L.dim }, (_, k) => Math.sin(k + 1));
  const v0 = Float64Array.from(v);
  const th0 = c.theta.map((A) => A.clone());
  c.L.hessianVectorFlat(c.x, v);
  c.L.hessian(c.theta);
  c.L.hessianParts(c.theta);
  assert.deepEqual(c.x, x0);
  assert.deepEqual(v, v0);
  c.theta.forEach((A, k) => assert.deepEqual(A.to2DArray(), th0[k].to2DArray()));
});
