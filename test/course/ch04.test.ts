import { test } from "node:test";
import assert from "node:assert/strict";
import { t5Table } from "../../src/critical/examples";
import { gaussianBinomial } from "../../src/critical/gaussianBinomial";
import { fibreDimension } from "../../src/networks/widths";
import { compileSpec } from "../../src/plots/render";
import {
  criticalPointTable,
  dataFormStudy,
  degenerateSaddleStudy,
  escapeChartSpec,
  finderSurvey,
  indexDistributionChartSpec,
  lossIndexChartSpec,
  setLabel,
  surveyChartSpec,
  truncatedSvdSurvey,
} from "../../src/course/ch04";

const T = t5Table(1);

test("setLabel writes index sets as in the chapter", () => {
  assert.equal(setLabel([]), "∅");
  assert.equal(setLabel([1, 3]), "{1,3}");
});

test("criticalPointTable (T5, d = (4,2,4)): closed-form losses, Morse index = #negative, #zero = fibre dimension", () => {
  const { rows, reports } = criticalPointTable(T.shallow.landscape, T.shallow.images);
  assert.equal(rows.length, 11);
  assert.equal(reports.length, 11);
  const sig = [4, 3, 2, 1];
  for (const r of rows) {
    const I = r.I === "∅" ? [] : r.I.slice(1, -1).split(",").map(Number);
    const expected = sig.filter((_, j) => !I.includes(j + 1)).reduce((a, s) => a + s * s, 0);
    assert.ok(Math.abs(r.loss - expected) < 1e-9, `${r.I}: ${r.loss} vs ${expected}`);
    assert.ok(r.gradientNorm < 1e-10);
    if (r.kind === "pure") {
      assert.equal(r.negative, r.predictedIndex, r.I);
      assert.equal(r.zero, fibreDimension([4, 2, 4]));
    } else {
      assert.ok(r.negative > 0, `${r.I} is a strict saddle at depth 2`);
    }
  }
  assert.deepEqual(rows.filter((r) => r.verdict === "global minimum").map((r) => r.I), ["{1,2}"]);
});

test("finderSurvey: every converged endpoint matches a closed-form image, pure ones with the predicted inertia", async () => {
  const F = await finderSurvey(T.shallow.landscape, T.shallow.images, { runs: 12, scales: [0.5, 1] });
  assert.ok(F.points.length > 0);
  for (const p of F.points) {
    assert.ok(p.matches, `run ${p.run}: distance ${p.distance}`);
    if (p.kind === "pure") {
      assert.equal(p.negative, p.predictedIndex);
      assert.equal(p.zero, 4);
    }
  }
  const spec = lossIndexChartSpec(criticalPointTable(T.shallow.landscape, T.shallow.images).rows, F.points);
  assert.deepEqual(compileSpec(spec).warnings, []);
});

test("indexDistributionChartSpec: bars are the Gaussian binomial coefficients; the spec compiles", () => {
  const spec = indexDistributionChartSpec(4, 2, [0, 1, 2, 2, 3, 4]);
  const layers = spec.layer as Array<{ data: { values: Array<Record<string, unknown>> } }>;
  assert.deepEqual(layers[0].data.values.map((r) => r.coefficient), gaussianBinomial(4, 2));
  assert.deepEqual(layers[2].data.values.map((r) => r.measured), [1, 1, 2, 1, 1]);
  assert.equal(spec.title, "[4 choose 2]_q = 1 + q + 2q² + q³ + q⁴");
  assert.deepEqual(compileSpec(spec).warnings, []);
});

test("truncatedSvdSurvey: L-BFGS runs end at the Eckart–Young value and at W_{1,2}", async () => {
  const S = await truncatedSvdSurvey(T.shallow.landscape, T.shallow.images, { runs: 8 });
  assert.ok(Math.abs(S.globalLoss - 5) < 1e-9);
  assert.ok(S.maxGap < 1e-8);
  assert.equal(S.atTruncatedSvd, 8);
  assert.deepEqual(compileSpec(surveyChartSpec(S.rows, T.shallow.images.images.map((i) => i.loss))).warnings, []);
});

test("degenerateSaddleStudy: PSD Hessian at I = {1} of (4,2,3,4), third-order escape -6 eps^3 + eps^6", () => {
  const D = degenerateSaddleStudy(T);
  assert.equal(D.negative, 0);
  assert.equal(D.zero, 19);
  assert.equal(D.report.verdict, "degenerate saddle");
  for (const p of D.constructed) assert.ok(Math.abs(p.deltaL - (-6 * p.eps ** 3 + p.eps ** 6)) < 1e-9);
  assert.ok(Math.abs(D.slopes.constructed - 3) < 0.01);
  assert.ok(Math.abs(D.slopes.verdictCurve - 3) < 0.01);
  assert.ok(Math.abs(D.slopes.strictSaddle - 2) < 0.01);
  assert.deepEqual(compileSpec(escapeChartSpec(D.rows)).warnings, []);
});

test("dataFormStudy: losses ½(tr YY^T - Σλ_I), W_I = P_U Y X^+, survey at the global value; rank-deficient X", async () => {
  for (const rankX of [4, 3]) {
    const D = await dataFormStudy(7, { rankX, runs: 6 });
    assert.equal(D.rankX, rankX);
    for (const r of D.rows) {
      assert.ok(Math.abs(r.loss - r.formulaLoss) < 1e-9 * Math.max(1, r.loss));
      assert.ok(r.projectionError < 1e-10);
      assert.ok(r.gradientNorm < 1e-10);
    }
    assert.ok(Math.abs(D.images.globalLoss - D.globalFormula) < 1e-9 * D.globalFormula);
    assert.ok(D.survey.maxGap < 1e-8 * D.globalFormula);
    assert.ok(D.maxFitDistance < 1e-6);
    if (rankX === 4) assert.ok((D.baldiHornikError as number) < 1e-10);
    else assert.equal(D.baldiHornikError, null);
  }
});
