import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSpec } from "../../src/plots/render";
import {
  ex1Grid,
  ex1HeatmapSpec,
  ex1Study,
  ex2EscapeSpec,
  ex2Study,
  fibreCriticality,
  p1Checks,
  purityCatalogue,
  taylorSpec,
  verdictTable02,
} from "../../src/course/ch02";

test("ex1Grid / ex1HeatmapSpec: L(a, b) = (ab - 1)^2 on the grid; the spec compiles", () => {
  const g = ex1Grid(11, 2);
  for (let j = 0; j < g.y.length; j++) for (let i = 0; i < g.x.length; i++) assert.ok(Math.abs(g.z[j][i] - (g.x[i] * g.y[j] - 1) ** 2) < 1e-12);
  assert.deepEqual(compileSpec(ex1HeatmapSpec(g)).warnings, []);
  assert.throws(() => ex1Grid(11, -1), /extent/);
});

test("ex1Study (Ex-1, D1): origin spurious with Hessian ±2, (1,0) not critical with dL/db = -2, (1,1) pure", () => {
  const e = ex1Study();
  assert.equal(e.originGradient, 0);
  assert.ok(Math.abs(e.originHessian[0] + 2) < 1e-12 && Math.abs(e.originHessian[1] - 2) < 1e-12);
  assert.equal(e.originLossGradient, -2);
  assert.deepEqual(e.sameFibreGradient.map((x) => Math.round(x * 1e12) / 1e12), [0, -2]);
  assert.deepEqual(e.status, { origin: "spurious", sameFibre: "not critical", minimum: "pure" });
  // the minimum's Hessian: one zero (the fibre ab = 1) and 2 (a^2 + b^2) = 4
  assert.ok(Math.abs(e.minimumHessian[0]) < 1e-12 && Math.abs(e.minimumHessian[1] - 4) < 1e-12);
});

test("ex2Study (Ex-2): theta2 spurious, theta3 gradient 2, escape -2 eps^2 + eps^4 with slope 2", () => {
  const e = ex2Study([0.1, 0.01, 0.001]);
  assert.ok(e.theta2GradientNorm < 1e-12);
  assert.ok(Math.abs(e.theta3GradientNorm - 2) < 1e-12);
  assert.deepEqual(e.status, { theta2: "spurious", theta3: "not critical" });
  for (const r of e.escape) assert.ok(Math.abs(r.deltaL - (-2 * r.eps ** 2 + r.eps ** 4)) < 1e-12);
  assert.ok(Math.abs(e.escape[0].deltaL + 0.0199) < 1e-12);
  assert.ok(Math.abs(e.slope - 2) < 1e-3);
  assert.deepEqual(compileSpec(ex2EscapeSpec(e.escape)).warnings, []);
});

test("p1Checks (P1): chain-rule gradients agree with finite differences; Taylor slope 2", () => {
  const p = p1Checks(8);
  assert.equal(p.rows.length, 4);
  for (const r of p.rows) {
    assert.ok(r.relError < 1e-8, `${r.loss}: ${r.relError}`);
    assert.ok(Math.abs(r.taylorSlope - 2) < 0.05, `${r.loss}: ${r.taylorSlope}`);
  }
  assert.deepEqual(compileSpec(taylorSpec(p.taylor)).warnings, []);
});

test("purityCatalogue (P2, P3): maximal rank => pure, spurious => rank-deficient dmu; non-filling pure iff rank r", () => {
  const cat = purityCatalogue();
  assert.equal(cat.length, 7 + 7 + 8 + 2);
  for (const r of cat) {
    assert.ok(r.gradientNorm <= 1e-10);
    if (r.maximalRankDMu) assert.equal(r.status, "pure");
    if (r.status === "spurious") assert.ok(r.rankDMu < r.dimM);
    if (r.source.includes("(3, 2")) assert.equal(r.status === "pure", r.rankMu === r.r);
  }
  assert.equal(cat.filter((r) => r.source.includes("(3, 3, 3)") && r.status === "pure").length, 1);
});

test("fibreCriticality (P4): theta3 not critical; the fibre over the pure Q and the gauge orbit of theta2 are critical", () => {
  const f = fibreCriticality(6, 3);
  assert.ok(f.theta2GradientNorm < 1e-12 && Math.abs(f.theta3GradientNorm - 2) < 1e-12);
  assert.ok(f.pureFibreMaxGradient < 1e-10 && f.pureFibreMaxProductChange < 1e-10 && f.spuriousOrbitMaxGradient < 1e-10);
});

test("verdictTable02 (D1, P5): verdicts with evidence", () => {
  const v = verdictTable02();
  const verdict = (k: string): string => v.reports[v.keys.indexOf(k)].verdict;
  assert.equal(verdict("ex1.origin"), "strict saddle");
  assert.equal(verdict("ex1.sameFibre"), "not critical");
  assert.equal(verdict("ex2.theta2"), "strict saddle");
  assert.equal(verdict("ex2.global"), "global minimum");
  assert.equal(verdict("t5.saddle"), "strict saddle");
  assert.equal(verdict("A.bad"), "local minimum");
  assert.equal(verdict("A.badMoved"), "local minimum");
  assert.equal(v.reports[v.keys.indexOf("ex2.theta2")].purity.status, "spurious");
});
