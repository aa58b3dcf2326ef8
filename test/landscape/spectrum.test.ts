import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { diag, mmulChain, transpose } from "../../src/core/matrix";
import { symEig } from "../../src/core/linalg";
import { DeepLinearNetwork } from "../../src/networks";
import { squareLoss, squareLossData } from "../../src/losses";
import { landscape, lanczos, hessianExtremes, hessianNegativeCount, hutchinsonTrace } from "../../src/landscape";
import { criticalImages, matrixProblem } from "../../src/critical/closedForms";
import { randomStart } from "../../src/optim";

function t5() {
  const R = rng(2024);
  const Q = mmulChain([R.orthogonal(4), diag([4, 3, 2, 1]), transpose(R.orthogonal(4))]);
  const widths = [4, 2, 4];
  return { L: landscape(new DeepLinearNetwork(widths), squareLoss(Q)), set: criticalImages(matrixProblem(Q), widths) };
}

test("Lanczos extremes equal the dense Hessian's extreme eigenvalues (random point, d = (3,4,2,3))", () => {
  const R = rng(11);
  const L = landscape(new DeepLinearNetwork([3, 4, 2, 3]), squareLossData(R.gaussian(3, 6), R.gaussian(3, 6)));
  const x = randomStart(L, rng(12), 1);
  const dense = symEig(L.hessian(L.unpack(x))).values; // descending
  const ext = hessianExtremes(L, x, { steps: L.dim });
  assert.ok(Math.abs(ext.max - dense[0]) < 1e-8 * Math.abs(dense[0]), `max ${ext.max} vs ${dense[0]}`);
  assert.ok(Math.abs(ext.min - dense[dense.length - 1]) < 1e-8 * Math.abs(dense[0]), `min ${ext.min} vs ${dense[dense.length - 1]}`);
  // eigenvector check: ||H v - lambda v|| small
  const Hv = L.hessianVectorFlat(x, ext.minVector);
  const res = Math.hypot(...Array.from(Hv, (h, i) => h - ext.min * ext.minVector[i]));
  assert.ok(res < 1e-7 * Math.abs(dense[0]), `residual ${res}`);
  // fewer steps: extremes still close (they converge first)
  const ext20 = hessianExtremes(L, x, { steps: 20 });
  assert.ok(Math.abs(ext20.max - dense[0]) < 1e-6 * Math.abs(dense[0]));
  assert.equal(lanczos(L, x, { steps: 5 }).steps, 5);
});

test("negative-eigenvalue count by deflated Lanczos equals the dense inertia at all 11 T5 critical points (repeated eigenvalues included)", () => {
  const { L, set } = t5();
  const expected: Record<string, number> = { "[]": 8, "[1]": 3, "[2]": 4, "[3]": 5, "[4]": 6, "[1,2]": 0, "[1,3]": 1, "[1,4]": 2, "[2,3]": 2, "[2,4]": 3, "[3,4]": 4 };
  for (const im of set.images) {
    const x = L.pack(im.theta!);
    const dense = symEig(L.hessian(im.theta!)).values;
    const scale = Math.max(1, ...dense.map(Math.abs));
    const denseNeg = dense.filter((v) => v < -1e-6 * scale).length;
    const nc = hessianNegativeCount(L, x, { steps: L.dim });
    assert.equal(denseNeg, expected[JSON.stringify(im.I)]);
    assert.equal(nc.negative, denseNeg, `I = ${JSON.stringify(im.I)}: lanczos ${nc.negative}, dense ${denseNeg}`);
    assert.ok(nc.exact);
    // the negative values themselves agree with the dense ones
    const denseNegVals = dense.filter((v) => v < -1e-6 * scale).sort((a, b) => a - b);
    nc.values.forEach((v, i) => assert.ok(Math.abs(v - denseNegVals[i]) < 1e-8 * scale));
  }
});

test("Hutchinson trace: exact for a diagonal Hessian; within 4 standard errors of the dense trace on a network", () => {
  const a = [3, -1, 0.5, 2, 7];
  const quad = {
    dim: 5,
    valueFlat: (x: Float64Array) => a.reduce((s, ai, i) => s + 0.5 * ai * x[i] ** 2, 0),
    gradientFlat: (x: Float64Array, out = new Float64Array(5)) => (a.forEach((ai, i) => (out[i] = ai * x[i])), out),
    hessianVectorFlat: (_x: Float64Array, v: Float64Array, out = new Float64Array(5)) => (a.forEach((ai, i) => (out[i] = ai * v[i])), out),
  };
  const exact = hutchinsonTrace(quad, new Float64Array(5), { probes: 3, seed: 1 });
  assert.ok(Math.abs(exact.estimate - 11.5) < 1e-12);
  assert.ok(exact.standardError < 1e-12);

  const R = rng(21);
  const L = landscape(new DeepLinearNetwork([3, 4, 3]), squareLossData(R.gaussian(3, 5), R.gaussian(3, 5)));
  const x = randomStart(L, rng(22), 1);
  const H = L.hessian(L.unpack(x));
  let tr = 0;
  for (let i = 0; i < L.dim; i++) tr += H.get(i, i);
  const est = hutchinsonTrace(L, x, { probes: 400, seed: 5 });
  assert.ok(Math.abs(est.estimate - tr) <= 4 * est.standardError, `estimate ${est.estimate} ± ${est.standardError}, trace ${tr}`);
  assert.ok(est.standardError < 0.2 * Math.abs(tr) + 1);
  // seeded: same seed, same estimate
  assert.equal(hutchinsonTrace(L, x, { probes: 10, seed: 5 }).estimate, hutchinsonTrace(L, x, { probes: 10, seed: 5 }).estimate);
  assert.throws(() => hutchinsonTrace(L, x, { probes: 0 }), /probes must be a positive integer/);
});

test("Lanczos falls back to gradient differences for an objective without hessianVectorFlat", () => {
  const a = [4, -2, 1];
  const f = {
    dim: 3,
    valueFlat: (x: Float64Array) => a.reduce((s, ai, i) => s + 0.5 * ai * x[i] ** 2, 0),
    gradientFlat: (x: Float64Array, out = new Float64Array(3)) => (a.forEach((ai, i) => (out[i] = ai * x[i])), out),
  };
  const e = hessianExtremes(f, [1, 1, 1]);
  assert.ok(Math.abs(e.min + 2) < 1e-6 && Math.abs(e.max - 4) < 1e-6);
  assert.equal(hessianNegativeCount(f, [1, 1, 1]).negative, 1);
});
