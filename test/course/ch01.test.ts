import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { rng } from "../../src/core/random";
import { numericalRank } from "../../src/core/linalg";
import { mu } from "../../src/networks/deepLinear";
import { functionalDim, packTheta, paramCount, unpackTheta, weightShapes } from "../../src/networks/widths";
import { compileSpec } from "../../src/plots/render";
import {
  archLabel,
  fibreComponents,
  fibreDimensionTable,
  g2Study,
  nonOpennessSpec,
  nonOpennessStudy,
  projectToFibre,
  randomRankMatrix,
  rankSweep,
  rankSweepSpec,
  structuredTheta,
  t1ChartSpec,
  t1t2Table,
} from "../../src/course/ch01";

test("archLabel and randomRankMatrix: prescribed ranks, seeded", () => {
  assert.equal(archLabel([3, 2, 4]), "(3, 2, 4)");
  const R = rng(1);
  for (const k of [0, 1, 2, 3]) assert.equal(numericalRank(randomRankMatrix(R, 4, 3, k)), k);
  assert.throws(() => randomRankMatrix(R, 2, 2, 3), /k must be an integer/);
  const a = structuredTheta(rng(7), [3, 3, 3], [2, 3]);
  const b = structuredTheta(rng(7), [3, 3, 3], [2, 3]);
  assert.deepEqual(a.map((W) => W.to2DArray()), b.map((W) => W.to2DArray()));
  assert.throws(() => structuredTheta(rng(1), [3, 3, 3], [2]), /one rank per layer/);
});

test("rankSweep (G1, T1, T2): rank mu <= r, Jacobian rank = T1 dimension, T2 prediction = measured maximality", () => {
  const rows = rankSweep([[3, 2, 4], [3, 3, 3], [2, 3, 3, 2]], { points: 12, seed: 3 });
  assert.equal(rows.length, 36);
  for (const p of rows) {
    assert.ok(p.rankMu <= p.r);
    assert.equal(p.rankDMu, p.t1Dimension, `${p.architecture} ${p.layerRanks}`);
    assert.equal(p.rankDMu === p.dimMr, p.t2Maximal, `${p.architecture} ${p.layerRanks}`);
    if (p.generic) assert.equal(p.rankMu, p.r);
    if (!p.filling) assert.equal(p.t2Maximal, p.rankMu === p.r);
  }
  for (const spec of [rankSweepSpec(rows), t1ChartSpec(rows)]) assert.deepEqual(compileSpec(spec).warnings, []);
  assert.throws(() => rankSweep([]), /non-empty/);
});

test("t1t2Table reproduces the digest's T1/T2 table (tkb-digest §3)", () => {
  const t = t1t2Table(2);
  assert.deepEqual(t.map((r) => r.rankDMu), [10, 8, 14, 10, 9, 8, 4, 3]);
  assert.deepEqual(t.map((r) => r.t1Dimension), [10, 8, 14, 10, 9, 8, 4, 3]);
  assert.deepEqual(t.map((r) => r.maximal), [true, false, true, false, true, false, true, false]);
  assert.deepEqual(t.map((r) => r.criterionLayer), [null, null, null, null, 1, null, 2, null]);
  assert.deepEqual(t.map((r) => r.rankMu), [2, 1, 2, 1, 2, 2, 1, 0]);
});

test("g2Study (G2): tangent/normal dimensions and complement, Im dmu = T_W, criticality test W^T G = 0 = G W^T", () => {
  const g = g2Study(3);
  assert.equal(g.tangentDimension, functionalDim([3, 2, 4]));
  assert.equal(g.normalDimension, 2);
  assert.ok(g.tangentNormalOverlap < 1e-12 && g.complementError < 1e-12 && g.imageVsTangent < 1e-10);
  assert.deepEqual(g.rows.map((r) => r.critical), [true, true, true, false, false]);
  assert.deepEqual(g.rows.map((r) => r.smooth), [true, true, true, true, false]);
  for (const r of g.rows.slice(0, 3)) assert.ok(r.WtG < 1e-12 && r.GWt < 1e-12 && r.gradLNorm < 1e-12);
  // P1: at a rank-r point, grad L = 0 iff W is critical on M_r; at the rank-1 point grad L = 0 although grad l != 0
  assert.ok(g.rows[3].gradLNorm > 1);
  assert.ok(g.rows[4].gradLNorm < 1e-12);
});

test("fibreDimensionTable (T3): dim ker dmu = dim theta - dim M_r at generic points", () => {
  for (const r of fibreDimensionTable([[3, 2, 4], [2, 3, 3, 2], [1, 1, 1]])) {
    assert.equal(r.measured, r.predicted);
    assert.equal(r.predicted, r.dimTheta - r.dimMr);
  }
});

test("projectToFibre lands on the fibre", () => {
  const d = [2, 1, 2];
  const R = rng(9);
  const target = mu(d, weightShapes(d).map(([m, n]) => R.gaussian(m, n)));
  const p = projectToFibre(d, target, packTheta(d, weightShapes(d).map(([m, n]) => R.gaussian(m, n))));
  assert.ok(p.residual < 1e-11);
  const W = mu(d, unpackTheta(d, p.x));
  assert.ok(Math.abs(W.get(1, 0) - target.get(1, 0)) < 1e-11);
  assert.equal(p.x.length, paramCount(d));
});

test("fibreComponents (T3 reconstruction): (1,1,1) has 2 components, (1,1,1,1) 4, (1,2,1) 1", () => {
  for (const [d, n] of [[[1, 1, 1], 2], [[1, 1, 1, 1], 4], [[1, 2, 1], 1]] as const) {
    const f = fibreComponents(d, { seed: 5 });
    assert.equal(f.predicted, n);
    assert.equal(f.signPatterns, n, archLabel(d));
    assert.equal(f.components, n, archLabel(d));
    assert.ok(f.patternsRespected);
    assert.ok(f.maxResidual < 1e-10);
  }
  assert.throws(() => fibreComponents([2, 1, 2], { target: new Matrix([[0, 0], [0, 0]]) }), /rank r/);
});

test("nonOpennessStudy: distance t/sqrt(2) to the fibre over t E_12, bounded away from 0 over t E_21", () => {
  const rows = nonOpennessStudy([1e-2, 1e-3], { starts: 8, seed: 6 });
  const reach = rows.filter((r) => r.target.includes("∈"));
  const miss = rows.filter((r) => r.target.includes("∉"));
  // the closest point splits the change evenly: W_1 += (t/2) E_12, W_2 += (t/2) E_12 ... distance t / sqrt(2)
  for (const r of reach) assert.ok(Math.abs(r.distance - r.t / Math.SQRT2) < 1e-9, `${r.distance}`);
  for (const r of miss) assert.ok(r.distance > 0.5);
  assert.deepEqual(compileSpec(nonOpennessSpec(rows)).warnings, []);
});
