/**
 * Multi-tower networks (A4) and one-hidden-layer ReLU networks (B8, B9); network display.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DegenerateError,
  DomainError,
  Matrix,
  add,
  deepLinear,
  eye,
  isFillingTowers,
  landscape,
  matrix,
  maxAbsDiff,
  mmul,
  mu,
  multiTower,
  reluNetwork,
  rng,
  squareLossData,
  svd,
  towerRankBudget,
} from "../../src";

test("multi-tower rank budget and filling (A4 examples)", () => {
  assert.equal(towerRankBudget([[4, 1, 4], [4, 3, 1, 2, 4]]), 2);
  assert.equal(isFillingTowers([[4, 1, 4], [4, 3, 1, 2, 4]]), false);
  assert.equal(towerRankBudget([[2, 1, 2], [2, 1, 2]]), 2);
  assert.equal(isFillingTowers([[2, 1, 2], [2, 1, 2]]), true);
  assert.equal(towerRankBudget([[3, 3], [3, 1, 3]]), 3); // a depth-1 skip tower is filling, capped at min(d0, dh)
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  assert.equal(net.paramCount, 4 + 4 + 12 + 3 + 2 + 8);
  assert.equal(net.rankBudget, 2);
  assert.deepEqual(net.outputShape, [4, 4]);
});

test("multi-tower mu is the sum of tower products; rank of mu never exceeds the budget", () => {
  const R = rng(8);
  const towers = [[4, 1, 4], [4, 3, 1, 2, 4]];
  const net = multiTower(towers);
  const theta = net.paramShapes.map(([r, c]) => R.gaussian(r, c));
  const M = net.mu(theta);
  const S = add(mu(towers[0], theta.slice(0, 2)), mu(towers[1], theta.slice(2)));
  assert.ok(maxAbsDiff(M, S) < 1e-14);
  const { s } = svd(M);
  assert.equal(s.filter((x) => x > 1e-10 * s[0]).length, 2);
  const prods = net.towerProducts(theta);
  assert.equal(prods.length, 2);
});

test("ReLU network: Zhou–Liang example X = [1, -1], Y = [2, 1] (B9) with 1/2 ||out - Y||^2", () => {
  const X = matrix([[1, -1]]);
  const Y = matrix([[2, 1]]);
  const loss = squareLossData(eye(2), Y); // 1/2 ||W I - Y||^2 on the 1×2 output
  const net = reluNetwork(1, 1, 1, X);
  const L = landscape(net, loss);
  // w > 0 region: global value 1/2 at v w = 2
  const thA = [matrix([[1]]), matrix([[2]])];
  assert.ok(Math.abs(L.value(thA) - 0.5) < 1e-15);
  const gA = L.gradient(thA);
  assert.ok(Math.abs(gA[0].get(0, 0)) < 1e-15 && Math.abs(gA[1].get(0, 0)) < 1e-15);
  // w < 0 region: spurious local minimum 2.0 on v |w| = 1, Hessian eigenvalues {0, 2}
  const thB = [matrix([[-1]]), matrix([[1]])];
  assert.equal(L.value(thB), 2);
  const gB = L.gradient(thB);
  assert.equal(gB[0].get(0, 0), 0);
  assert.equal(gB[1].get(0, 0), 0);
  const H = L.hessian(thB);
  const tr = H.get(0, 0) + H.get(1, 1);
  const det = H.get(0, 0) * H.get(1, 1) - H.get(0, 1) * H.get(1, 0);
  assert.ok(Math.abs(tr - 2) < 1e-14 && Math.abs(det) < 1e-14);
  // kink w = 0, v < 0: value 2.5, non-smooth: derivatives refuse, kinks() lists it
  const thK = [matrix([[0]]), matrix([[-1]])];
  assert.equal(L.value(thK), 2.5);
  assert.throws(() => L.gradient(thK), (e: unknown) => e instanceof DegenerateError && e.kind === "kink");
  assert.throws(() => net.dMu(thK, thK), (e: unknown) => e instanceof DegenerateError && e.kind === "kink");
  assert.throws(() => net.d2MuT(thK, matrix([[1, 1]]), thK), (e: unknown) => e instanceof DegenerateError && e.kind === "kink");
  assert.deepEqual(net.kinks(thK).map((k) => [k.unit, k.sample]), [[0, 0], [0, 1]]);
  assert.deepEqual(net.kinks(thB), []);
  // d1 = 2: global value 0 at w = (1, -1), v = (2, 1)
  const net2 = reluNetwork(1, 2, 1, X);
  const L2 = landscape(net2, loss);
  assert.equal(L2.value([matrix([[1], [-1]]), matrix([[2, 1]])]), 0);
  // both w_j > 0: spurious value 0.5 (w = (1,2), v = (1, 0.5))
  assert.ok(Math.abs(L2.value([matrix([[1], [2]]), matrix([[1, 0.5]])]) - 0.5) < 1e-15);
});

test("ReLU bias via a constant input row; kinkTol is respected", () => {
  const X = matrix([[0.5, -1, 2], [1, 1, 1]]); // second row = bias input
  const net = reluNetwork(2, 3, 1, X, { kinkTol: 0.1 });
  const th = [matrix([[1, 0], [0, 1], [1, -0.45]]), matrix([[1, 1, 1]])];
  // unit 2 at sample 0: 0.5 - 0.45 = 0.05 <= 0.1 -> a kink at this tolerance
  assert.deepEqual(net.kinks(th).map((k) => [k.unit, k.sample]), [[2, 0]]);
  assert.throws(() => net.dMuT(th, matrix([[1, 1, 1]])), DegenerateError);
  const net0 = reluNetwork(2, 3, 1, X, { kinkTol: 0.01 });
  assert.equal(net0.kinks(th).length, 0);
  const out = net0.mu(th);
  // relu([0.5,-1,2]) + relu([1,1,1]) + relu([0.05,-1.45,1.55])
  const want = [0.5 + 1 + 0.05, 0 + 1 + 0, 2 + 1 + 1.55];
  want.forEach((v, s) => assert.ok(Math.abs(out.get(0, s) - v) < 1e-14));
  assert.deepEqual(net0.activationPattern(th).to2DArray(), [[1, 0, 1], [1, 1, 1], [1, 0, 1]]);
});

test("leaky ReLU (negativeSlope alpha): values by hand, gradient against central differences, bad slopes refused", () => {
  const X = matrix([[1, -1]]);
  const alpha = 0.1;
  const net = reluNetwork(1, 2, 1, X, { negativeSlope: alpha });
  const th = [matrix([[1.5], [-0.7]]), matrix([[0.4, -2]])];
  // by hand: unit 1 pre-activations (1.5, -1.5) -> (1.5, -0.15); unit 2 (-0.7, 0.7) -> (-0.07, 0.7)
  const out = net.mu(th);
  const want = [0.4 * 1.5 + -2 * -0.07, 0.4 * -0.15 + -2 * 0.7];
  want.forEach((v, s) => assert.ok(Math.abs(out.get(0, s) - v) < 1e-15));
  const L = landscape(net, squareLossData(eye(2), matrix([[2, 1]])));
  const x = L.pack(th);
  const g = L.gradientFlat(x);
  const h = 1e-6;
  for (let k = 0; k < x.length; k++) {
    const xp = Float64Array.from(x); xp[k] += h;
    const xm = Float64Array.from(x); xm[k] -= h;
    assert.ok(Math.abs((L.valueFlat(xp) - L.valueFlat(xm)) / (2 * h) - g[k]) < 1e-8, `coordinate ${k}`);
  }
  // both units with w < 0: the fit only along the feature (alpha, -1): 1/2 (5 - (1 - 2 alpha)^2 / (1 + alpha^2))
  assert.ok(net.description.startsWith("leaky ReLU"));
  for (const bad of [-0.1, 1, NaN]) assert.throws(() => reluNetwork(1, 2, 1, X, { negativeSlope: bad }), DomainError);
  assert.throws(() => reluNetwork(1, 2, 1, X, { slope: 0.1 } as never), /slope|negativeSlope/);
});

test("networks display as markdown + plain text (no HTML)", () => {
  const key = Symbol.for("Jupyter.display");
  const objs = [deepLinear([3, 2, 4]), multiTower([[2, 1, 2], [2, 1, 2]]), reluNetwork(1, 2, 1, matrix([[1, -1]]))] as unknown as Array<Record<symbol, () => Record<string, string>>>;
  for (const o of objs) {
    const b = o[key]();
    assert.equal(typeof b["text/markdown"], "string");
    assert.equal(typeof b["text/plain"], "string");
    assert.equal(b["text/html"], undefined);
  }
  const b = (objs[0] as Record<symbol, () => Record<string, string>>)[key]();
  assert.match(b["text/plain"], /r = 2, non-filling, 14 parameters, dim M_r = 10, fibre dimension 4/);
  const n = deepLinear([3, 2, 4]);
  assert.equal(n.r, 2);
  assert.equal(n.filling, false);
  void Matrix;
  void mmul;
});
