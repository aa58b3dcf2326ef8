import { test } from "node:test";
import assert from "node:assert/strict";
import { exampleA, exampleAProfile } from "../../src/critical/examples";
import { symEig } from "../../src/core/linalg";
import { compileSpec } from "../../src/plots/render";
import {
  basinFractionChartSpec,
  basinFractionSweep,
  basinHistogramSpec,
  basinSurvey,
  bifurcationChartSpec,
  exampleAProfileRows,
  exampleASmallestPredicted,
  exampleASweep,
  exampleAVerdicts,
  exampleBStudy,
  fillingControl,
  nonFibreEigenvalues,
  profileChartSpec,
  profileMinima,
  profileSliderChartSpec,
  signChange,
} from "../../src/course/ch05";

test("nonFibreEigenvalues: the full Hessian spectrum minus the fibre's zero (Example A, tkb-digest table)", () => {
  for (const [K, expected] of [[1, [3.6, 3.2, -0.4]], [1.3, [4.08, 3.2, 0.08]], [10, [18, 14, 3.2]]] as const) {
    const A = exampleA(K, 0.8);
    const ev = nonFibreEigenvalues(A.landscape, A.points.candidate);
    assert.equal(ev.length, 3);
    ev.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-9, `K = ${K}: ${ev} vs ${expected}`));
    // the removed direction is a zero eigenvalue of the full Hessian
    const full = symEig(A.landscape.hessian(A.points.candidate)).values;
    assert.ok(full.some((x) => Math.abs(x) < 1e-12));
  }
});

test("exampleASweep: measured smallest off-fibre eigenvalue = min(2(Ks - 1), 4s); sign change at K = 1/s", () => {
  for (const s of [0.8, 0.5]) {
    const Ks = Array.from({ length: 41 }, (_, k) => 0.5 + 0.1 * k);
    const rows = exampleASweep(Ks, s);
    for (const r of rows) assert.ok(Math.abs(r.smallest - exampleASmallestPredicted(r.K, s)) < 1e-9);
    assert.ok(Math.abs((signChange(rows) as number) - 1 / s) < 1e-9);
  }
  const spec = bifurcationChartSpec(exampleASweep([1, 1.25, 1.5]), { value: 1.25 });
  assert.deepEqual(compileSpec(spec).warnings, []);
  assert.equal((spec.params as Array<{ name: string }>)[0].name, "K");
});

test("profile rows and minima: alpha = pi/2 is a local minimum of the slice iff K s > 1; the charts compile", () => {
  const rows = exampleAProfileRows([1, 1.2, 1.3, 2, 10], 0.8, 90);
  const atEnd = profileMinima(rows).filter((m) => m.alpha > 1.57).map((m) => m.K);
  assert.deepEqual(atEnd, [1.3, 2, 10]);
  const p = exampleAProfile(10, 0.8, [0, Math.PI / 2]);
  assert.ok(Math.abs(p[0].loss - 0.64) < 1e-12 && Math.abs(p[1].loss - 1) < 1e-12);
  assert.deepEqual(compileSpec(profileSliderChartSpec(exampleAProfileRows([1, 1.5, 2], 0.8, 20))).warnings, []);
  assert.deepEqual(compileSpec(profileChartSpec(10, 0.8, { alpha: 0.8537, loss: 1.4949 })).warnings, []);
});

test("exampleAVerdicts: saddle below K = 1/s, local minimum above, degenerate (or undecided) at K s = 1", () => {
  const { rows } = exampleAVerdicts([1, 1.2, 1.25, 1.3, 10]);
  assert.deepEqual(rows.map((r) => r.verdict).filter((_, i) => i !== 2), ["strict saddle", "strict saddle", "local minimum", "local minimum"]);
  assert.ok(["degenerate saddle", "undecided"].includes(rows[2].verdict));
  assert.equal(rows[2].zero, 2);
  assert.equal(rows[2].predicted, "degenerate (K s = 1)");
});

test("basinSurvey / basinFractionSweep: two limits at K = 10, no bad basin below 1/s", async () => {
  const b = await basinSurvey(10, 0.8, { runs: 30 });
  assert.equal(b.other, 0);
  assert.ok(b.atBad > 0 && b.atGlobal > 0);
  assert.deepEqual(compileSpec(basinHistogramSpec(b, 10)).warnings, []);
  const fr = await basinFractionSweep([1, 1.2, 10], 0.8, { runs: 20 });
  assert.deepEqual(fr.map((r) => r.badFraction > 0), [false, false, true]);
  assert.deepEqual(compileSpec(basinFractionChartSpec(fr)).warnings, []);
});

test("exampleBStudy: 4 minima at r = 1, 6 at r = 2, every survey run at a candidate; filling control reaches 0", async () => {
  const b1 = await exampleBStudy(1, { runs: 20 });
  assert.equal(b1.minima, 4);
  assert.equal(b1.unmatched, 0);
  assert.deepEqual(b1.rows.map((r) => Math.round(r.loss * 100) / 100), [1.94, 2.13, 2.3, 2.45]);
  const b2 = await exampleBStudy(2, { runs: 20 });
  assert.equal(b2.minima, 6);
  assert.ok(b2.rows.every((r) => r.zero === 4 && r.negative === 0));
  const f = await fillingControl(10, 0.8, { runs: 20 });
  assert.ok(f.maxLoss < 1e-12);
  assert.equal(f.distinct, 1);
});
