/**
 * Zhang's lifting lemma (A3) and the multi-tower split (A4): products checked against direct multiplication,
 * inputs unchanged, bad input refused with typed errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssumptionError, DomainError, Matrix, ShapeError, add, frobNorm, liftSplit, mmul, mu, multiTower, rng, sub, towerSplit, twoLayerSplit, zeros,
} from "../../src";

const randTheta = (widths: number[], seed: number): Matrix[] => {
  const g = rng(seed);
  return widths.slice(1).map((d, i) => g.gaussian(d, widths[i]));
};

test("twoLayerSplit: A B = mu(theta) at every split index", () => {
  const d = [4, 3, 2, 3, 3];
  const theta = randTheta(d, 1);
  for (let p = 1; p <= 3; p++) {
    const s = twoLayerSplit(d, theta, p);
    assert.deepEqual([s.A.rows, s.A.columns, s.B.rows, s.B.columns], [3, d[p], d[p], 4]);
    assert.ok(frobNorm(sub(mmul(s.A, s.B), mu(d, theta))) < 1e-12);
  }
  assert.throws(() => twoLayerSplit(d, theta, 0), DomainError);
  assert.throws(() => twoLayerSplit(d, theta, 4), DomainError);
  assert.throws(() => twoLayerSplit([3, 3], [rng(1).gaussian(3, 3)], 1), DomainError);
});

test("liftSplit: the lifted product equals (A + dA)(B + dB), only W_1 and W_h move (A3)", () => {
  for (const [d, p] of [[[4, 3, 2, 3, 3], 2], [[2, 3, 1, 3, 2], 2], [[3, 2, 3], 1], [[3, 1, 2, 3], 1], [[3, 2, 1, 3], 2]] as [number[], number][]) {
    const theta = randTheta(d, 7);
    const before = theta.map((W) => W.clone());
    const g = rng(3);
    const dA = g.gaussian(d[d.length - 1], d[p]).mul(0.1);
    const dB = g.gaussian(d[p], d[0]).mul(0.1);
    const lift = liftSplit(d, theta, p, dA, dB);
    const s = twoLayerSplit(d, theta, p);
    const direct = mmul(add(s.A, dA), add(s.B, dB));
    assert.ok(frobNorm(sub(mu(d, lift.theta), direct)) <= 1e-12 * Math.max(1, frobNorm(direct)), `widths ${d}`);
    for (let i = 1; i < d.length - 2; i++) assert.equal(frobNorm(sub(lift.theta[i], theta[i])), 0);
    theta.forEach((W, i) => assert.equal(frobNorm(sub(W, before[i])), 0, "input unchanged"));
    const change = Math.hypot(...lift.theta.map((W, i) => frobNorm(sub(W, theta[i]))));
    assert.ok(change <= lift.changeBound + 1e-12);
  }
});

test("liftSplit refuses rank-deficient inner products and bad shapes", () => {
  const d = [2, 2, 1, 2, 2];
  const theta = randTheta(d, 2);
  theta[2] = zeros(2, 1); // W_3 = 0: M = W_3 has rank 0 < d_p = 1 (p = 2)
  assert.throws(() => liftSplit(d, theta, 2, zeros(2, 1), zeros(1, 2)), AssumptionError);
  const ok = randTheta(d, 3);
  assert.throws(() => liftSplit(d, ok, 2, zeros(1, 1), zeros(1, 2)), ShapeError);
  assert.throws(() => liftSplit(d, ok, 2, zeros(2, 1), zeros(2, 2)), ShapeError);
  assert.throws(() => liftSplit(d, ok, 2, zeros(2, 1), zeros(1, 2), -1), DomainError);
});

test("towerSplit: tower ranks, and [A_1 A_2][B_1; B_2] = mu(theta) when every tower has full rank (A4)", () => {
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  const g = rng(4);
  const theta = net.paramShapes.map(([r, c]) => g.gaussian(r, c));
  const s = towerSplit(net, theta);
  assert.deepEqual(s.towers.map((t) => [t.rank, t.bottleneck, t.p]), [[1, 1, 1], [1, 1, 2]]);
  assert.equal(s.K, 2);
  assert.ok(s.splittable && s.A && s.B);
  assert.ok(frobNorm(sub(mmul(s.A, s.B), net.mu(theta))) < 1e-12);
  const zeroTower = theta.map((W, i) => (i < 2 ? zeros(W.rows, W.columns) : W));
  const z = towerSplit(net, zeroTower);
  assert.equal(z.towers[0].rank, 0);
  assert.equal(z.splittable, false);
  assert.equal(z.A, null);
  assert.equal(towerSplit(multiTower([[2, 1, 2], [2, 2]]), [rng(1).gaussian(1, 2), rng(2).gaussian(2, 1), rng(3).gaussian(2, 2)]).splittable, false, "a filling (depth-1) tower has no interior bottleneck");
  assert.throws(() => towerSplit(net, theta, { rankTol: -1 }), DomainError);
  assert.throws(() => towerSplit(net, theta, { tol: 1 } as never), DomainError);
});
