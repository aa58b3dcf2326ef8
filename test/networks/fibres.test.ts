import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { rng, randomRankMatrix } from "../../src/core/random";
import { determinantSign, numericalRank } from "../../src/core/linalg";
import { diag, frobNorm, matrix, sub } from "../../src/core/matrix";
import { mu } from "../../src/networks/deepLinear";
import { fibreRoadmap, fibreSignPattern, nearestOnFibre, projectToFibre, randomTheta, sampleFibre } from "../../src/networks/fibres";
import { packTheta, paramCount } from "../../src/networks/widths";

test("randomRankMatrix and randomTheta: prescribed ranks, seeded, typed errors", () => {
  const R = rng(1);
  for (const k of [0, 1, 2, 3]) assert.equal(numericalRank(randomRankMatrix(R, 4, 3, k)), k);
  assert.throws(() => randomRankMatrix(R, 2, 2, 3), /k must be an integer/);
  assert.throws(() => randomRankMatrix(R, 0, 2, 0), /m must be a positive integer/);
  const a = randomTheta(rng(7), [3, 3, 3], { layerRanks: [2, 3] });
  const b = randomTheta(rng(7), [3, 3, 3], { layerRanks: [2, 3] });
  assert.deepEqual(a.map((W) => W.to2DArray()), b.map((W) => W.to2DArray()));
  assert.deepEqual(a.map((W) => numericalRank(W)), [2, 3]);
  assert.deepEqual(randomTheta(rng(2), [4, 2, 3]).map((W) => [W.rows, W.columns]), [[2, 4], [3, 2]]);
  assert.throws(() => randomTheta(rng(1), [3, 3, 3], { layerRanks: [2] }), /one rank per layer/);
  assert.throws(() => randomTheta(rng(1), [3, 3, 3], { rank: 2 } as never), /unknown option/);
});

test("determinantSign: sign of det by elimination, against the 2x2 and 3x3 formulas", () => {
  const R = rng(3);
  for (let k = 0; k < 20; k++) {
    const A = R.gaussian(2, 2);
    assert.equal(determinantSign(A), Math.sign(A.get(0, 0) * A.get(1, 1) - A.get(0, 1) * A.get(1, 0)));
    const B = R.gaussian(3, 3);
    const [[a, b, c], [d, e, f], [g, h, i]] = B.to2DArray();
    assert.equal(determinantSign(B), Math.sign(a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)));
  }
  assert.equal(determinantSign(matrix([[1, 2], [2, 4]])), 0);
  assert.throws(() => determinantSign(new Matrix(2, 3)), /square/);
});

test("projectToFibre lands on the fibre (residual <= 1e-11) and reports failures", () => {
  const d = [3, 2, 4];
  const R = rng(9);
  const W = mu(d, randomTheta(R, d));
  const p = projectToFibre(d, W, randomTheta(R, d));
  assert.ok(p.converged && p.residual < 1e-11);
  assert.ok(frobNorm(sub(mu(d, p.theta), W)) < 1e-11);
  assert.equal(p.x.length, paramCount(d));
  assert.throws(() => projectToFibre(d, new Matrix(3, 3), randomTheta(R, d)), /must be 4×3/);
  assert.throws(() => projectToFibre(d, W, [1, 2, 3]), /start must be theta/);
  assert.throws(() => projectToFibre(d, W, randomTheta(R, d), { iterations: 3 } as never), /unknown option/);
});

test("nearestOnFibre: the fibre over t E_12 from (diag(0,1), diag(1,0)) matches the hand closed form", () => {
  // hand derivation (docs/theory.md, non-openness): distance = l sqrt(2 (1 + l^2)) / (1 - l^2), 2 l = t (1 - l^2)^2
  const theta = [diag([0, 1]), diag([1, 0])];
  for (const t of [0.2, 0.05]) {
    let l = t / 2;
    for (let k = 0; k < 200; k++) l = (t * (1 - l * l) ** 2) / 2;
    const hand = (l * Math.sqrt(2 * (1 + l * l))) / (1 - l * l);
    const n = nearestOnFibre([2, 2, 2], matrix([[0, t], [0, 0]]), theta, { seed: 3 });
    assert.ok(n.converged);
    assert.ok(Math.abs(n.distance - hand) < 1e-10, `${n.distance} vs ${hand}`);
    assert.ok(n.distance < t / Math.SQRT2);
    // over t E_21 every fibre point is at distance >= 1 (hand proof), and sqrt(1 + 2t) is attainable
    const far = nearestOnFibre([2, 2, 2], matrix([[0, 0], [t, 0]]), theta, { seed: 3 });
    assert.ok(far.distance >= 1 && far.distance <= Math.sqrt(1 + 2 * t) * 1.01, `${far.distance}`);
  }
});

test("fibre components (T3 reconstruction): (1,1,1) has 2, (1,1,1,1) 4, (1,2,1) 1; paths never cross a sign pattern", () => {
  for (const [d, n] of [[[1, 1, 1], 2], [[1, 1, 1, 1], 4], [[1, 2, 1], 1]] as const) {
    const W = matrix([[1]]);
    const S = sampleFibre(d, W, { seed: 5 });
    assert.ok(S.points.length > 10 && S.maxResidual < 1e-10);
    const patterns = S.points.map((x) => fibreSignPattern(d, unpack(d, x), W).join(","));
    const road = fibreRoadmap(d, W, S.points);
    assert.equal(new Set(patterns).size, n);
    assert.equal(road.count, n);
    for (const [a, b] of road.edges) assert.equal(patterns[a], patterns[b]);
  }
  assert.throws(() => fibreSignPattern([2, 1, 2], randomTheta(rng(1), [2, 1, 2]), new Matrix(2, 2)), /rank r/);
});

function unpack(d: readonly number[], x: Float64Array): Matrix[] {
  const out: Matrix[] = [];
  let k = 0;
  for (let i = 1; i < d.length; i++) {
    const W = new Matrix(d[i], d[i - 1]);
    for (let a = 0; a < d[i]; a++) for (let b = 0; b < d[i - 1]; b++) W.set(a, b, x[k++]);
    out.push(W);
  }
  assert.deepEqual(packTheta(d, out), x);
  return out;
}

test("fibre tools: typed errors for bad options and inputs", () => {
  const d = [2, 1, 2];
  const W = matrix([[1, 0], [0, 0]]);
  const theta = randomTheta(rng(1), d);
  assert.throws(() => nearestOnFibre(d, W, theta, { starts: 0 }), /options.starts must be a positive integer/);
  assert.throws(() => nearestOnFibre(d, W, theta, { spread: -1 }), /options.spread/);
  assert.throws(() => nearestOnFibre(d, W, theta, { step: 1 } as never), /unknown option/);
  assert.throws(() => sampleFibre(d, W, { radius: 0 }), /options.radius/);
  assert.throws(() => fibreRoadmap(d, W, [new Float64Array(3)]), /packed points of length 4/);
  assert.throws(() => fibreRoadmap(d, W, [], { neighbours: 0 }), /options.neighbours/);
  assert.throws(() => randomTheta(rng(1), d, { scale: 0 }), /options.scale/);
  // a fibre point never moves the product: nearestOnFibre's answer lies on the fibre
  const n = nearestOnFibre(d, W, theta);
  assert.ok(frobNorm(sub(mu(d, n.theta), W)) < 1e-10 && n.distance > 0);
});
