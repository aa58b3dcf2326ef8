/**
 * Multi-tower closed forms, Zhang's case analysis and the tower survey (A4).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DomainError, classifyCriticalPoint, criticalImages, dataProblem, diag, eye, frobNorm, landscape, multiTower, rng, squareLossData, symEig, pinv, mmulChain,
  transpose, towerBalancedPoint, towerCaseOf, towerCriticalImages, towerSurvey, deepLinear, weightedSquareLoss, matrix,
} from "../../src";

const data = (seed: number) => { const g = rng(seed); return { X: g.gaussian(4, 10), Y: g.gaussian(4, 10) }; };

test("towerCriticalImages: the values ½(tr YYᵀ − Σ_I λ) with |I| <= K, from an eigen-solve of Σ done here", () => {
  const { X, Y } = data(4);
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  const set = towerCriticalImages(dataProblem(X, Y), net);
  const S = mmulChain([Y, pinv(X), X, transpose(Y)]);
  const lam = symEig(S.clone().add(transpose(S)).mul(0.5)).values;
  const tr = frobNorm(Y) ** 2;
  const expected: number[] = [0.5 * tr];
  for (let i = 0; i < 4; i++) expected.push(0.5 * (tr - lam[i]));
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expected.push(0.5 * (tr - lam[i] - lam[j]));
  const got = set.images.map((im) => im.loss).sort((a, b) => a - b);
  expected.sort((a, b) => a - b);
  assert.equal(got.length, 11);
  got.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-9 * Math.max(1, expected[k])));
  assert.throws(() => towerCriticalImages(dataProblem(X, Y), deepLinear([4, 2, 4]) as never), DomainError);
});

test("towerBalancedPoint: critical, with the closed-form loss and product, for every I with |I| <= K", () => {
  const { X, Y } = data(4);
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  const L = landscape(net, squareLossData(X, Y));
  const ref = criticalImages(dataProblem(X, Y), [4, 2, 4], { realise: false });
  for (const im of ref.images) {
    const theta = towerBalancedPoint(dataProblem(X, Y), net, im.I);
    assert.ok(Math.hypot(...L.gradient(theta).map(frobNorm)) < 1e-9, `I = ${im.I}`);
    assert.ok(Math.abs(L.value(theta) - im.loss) < 1e-9 * Math.max(1, im.loss));
    assert.ok(frobNorm(net.mu(theta).clone().sub(im.W)) < 1e-9);
  }
  assert.throws(() => towerBalancedPoint(dataProblem(X, Y), net, [1, 2, 3]), DomainError);
  assert.throws(() => towerBalancedPoint(dataProblem(X, Y), multiTower([[4, 1, 4], [4, 4]]), [1]), DomainError);
});

test("towerCaseOf: grad l = 0 at a filling minimum, full-rank towers at the non-filling global, A2 case at a rank-deficient saddle", () => {
  const { X, Y } = data(4);
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  const L = landscape(net, squareLossData(X, Y));
  const p = dataProblem(X, Y);
  assert.equal(towerCaseOf(L, towerBalancedPoint(p, net, [1, 2])).case, "full-rank towers");
  const c1 = towerCaseOf(L, towerBalancedPoint(p, net, [1]));
  assert.equal(c1.case, "not a local minimum (A2 on a tower)");
  assert.deepEqual(c1.towers.map((t) => t.rank), [1, 0]);
  // never a minimum (the verdict module may not find the order-4 curve that turns the zero tower on: then "undecided")
  assert.ok(["strict saddle", "degenerate saddle", "undecided"].includes(classifyCriticalPoint(L, towerBalancedPoint(p, net, [1]), { perturbations: 20 }).verdict));
  const fnet = multiTower([[2, 1, 2], [2, 1, 2]]);
  const FL = landscape(fnet, squareLossData(eye(2), diag([2, 1])));
  const f = towerCaseOf(FL, towerBalancedPoint(dataProblem(eye(2), diag([2, 1])), fnet, [1, 2]));
  assert.equal(f.case, "grad l = 0");
  assert.ok(f.gradLNorm < 1e-12);
  assert.throws(() => towerCaseOf(L, towerBalancedPoint(p, net, [1]), { gradTol: -1 }), DomainError);
});

test("towerSurvey: square loss on towers reaches the closed-form global value with full-rank towers", async () => {
  const { X, Y } = data(4);
  const net = multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]);
  const L = landscape(net, squareLossData(X, Y));
  const res = await towerSurvey(L, { runs: 4, seed: 1, progress: false, optimizerOptions: { gradTol: 1e-10 } });
  const global = towerCriticalImages(dataProblem(X, Y), net).globalLoss;
  assert.equal(res.runs.length, 4);
  for (const r of res.runs) {
    assert.ok(r.converged);
    assert.ok(Math.abs(r.value - global) < 1e-8 * global);
    assert.deepEqual(r.towerRanks, [1, 1]);
    assert.equal(r.case, "full-rank towers");
  }
  const W = landscape(deepLinear([2, 1, 2]), weightedSquareLoss(matrix([[1, 3], [3, 1]]), diag([2, 1])));
  await assert.rejects(() => towerSurvey(W, { runs: 1, progress: false }), DomainError);
});

test("towerSurvey: runs stopped by the iteration limit are kept and flagged as not converged, with their reason", async () => {
  const { X, Y } = data(4);
  const L = landscape(multiTower([[4, 1, 4], [4, 3, 1, 2, 4]]), squareLossData(X, Y));
  const res = await towerSurvey(L, { runs: 3, seed: 1, progress: false, optimizerOptions: { maxIter: 2 } });
  assert.equal(res.runs.length, 3);
  for (const r of res.runs) {
    assert.equal(r.converged, false);
    assert.equal(r.reason, "maxIter");
    assert.ok(Number.isFinite(r.value));
  }
});
