/**
 * The data-composed loss `l(W) = phi(W X)` against its definition and finite differences (T4), and the convex
 * optimum over all matrices against closed forms (`W* = Q`, least squares `Y X^+`) and its assumption checks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssumptionError,
  DegenerateError,
  DomainError,
  Matrix,
  ShapeError,
  convexOptimum,
  customLoss,
  dataComposedLoss,
  evenPowerLoss,
  frobNorm,
  mmul,
  pinv,
  pseudoHuberLoss,
  rng,
  squareLoss,
  squareLossData,
  sub,
  weightedSquareLoss,
} from "../../src";

const R0 = rng(303);

test("dataComposedLoss: value = phi(W X); gradient and Hessian action match central differences", () => {
  const R = rng(31);
  const X = R.gaussian(4, 9);
  const Y = R.gaussian(3, 9);
  const phi = pseudoHuberLoss(Y, 0.7);
  const l = dataComposedLoss(phi, X);
  assert.deepEqual([...l.shape], [3, 4]);
  assert.ok(l.convex && l.smooth && l.hessianExact);
  const W = R.gaussian(3, 4);
  const D = R.gaussian(3, 4);
  assert.ok(Math.abs(l.value(W) - phi.value(mmul(W, X))) <= 1e-12 * Math.max(1, phi.value(mmul(W, X))));
  const h = 1e-6;
  const plus = (t: number): Matrix => {
    const M = new Matrix(3, 4);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) M.set(i, j, W.get(i, j) + t * D.get(i, j));
    return M;
  };
  const dirFd = (l.value(plus(h)) - l.value(plus(-h))) / (2 * h);
  let dir = 0;
  const G = l.gradient(W);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) dir += G.get(i, j) * D.get(i, j);
  assert.ok(Math.abs(dir - dirFd) <= 1e-6 * Math.max(1, Math.abs(dir)), `directional derivative ${dir} vs ${dirFd}`);
  const Hfd = sub(l.gradient(plus(h)), l.gradient(plus(-h)));
  const HD = l.hessianAction(W, D);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(HD.get(i, j) - Hfd.get(i, j) / (2 * h)) <= 1e-5 * Math.max(1, Math.abs(HD.get(i, j))));
  // inputs untouched
  assert.equal(W.get(0, 0), W.clone().get(0, 0));
  assert.throws(() => dataComposedLoss(phi, R.gaussian(4, 8)), ShapeError);
  assert.throws(() => dataComposedLoss({} as never, X), DomainError);
  assert.equal(l.hasMinimiser().exists, true);
});

test("convexOptimum: weighted square gives W* = Q; data square loss gives W* = Y X^+ (rank-deficient X)", () => {
  const Q = R0.gaussian(3, 4);
  const Lambda = new Matrix(3, 4).fill(1);
  Lambda.set(0, 1, 5);
  Lambda.set(2, 3, 0.2);
  const opt = convexOptimum(weightedSquareLoss(Lambda, Q));
  assert.ok(frobNorm(sub(opt.W, Q)) <= 1e-9, `||W* - Q|| = ${frobNorm(sub(opt.W, Q))}`);
  assert.ok(opt.value <= 1e-15 && opt.gradientNorm <= 1e-9);
  // data form with a rank-deficient X: the minimiser of 1/2||WX - Y||^2 of least norm is Y X^+; any minimiser
  // has the same W X and the same value. Starting at 0, gradient steps stay in the row space: W* = Y X^+.
  const B = R0.gaussian(4, 2);
  const X = mmul(B, R0.gaussian(2, 10)); // rank 2
  const Y = R0.gaussian(3, 10);
  const lsq = squareLossData(X, Y);
  const o2 = convexOptimum(lsq);
  const Wls = mmul(Y, pinv(X));
  assert.ok(Math.abs(o2.value - lsq.value(Wls)) <= 1e-10 * Math.max(1, o2.value));
  assert.ok(frobNorm(sub(mmul(o2.W, X), mmul(Wls, X))) <= 1e-7);
  assert.ok(o2.gradientNorm <= 1e-9);
});

test("convexOptimum refuses non-convex or non-smooth losses and losses without a minimiser", () => {
  const spec = { shape: [2, 2] as const, value: (W: Matrix) => W.get(0, 0) ** 3, gradient: (W: Matrix) => [[3 * W.get(0, 0) ** 2, 0], [0, 0]] };
  assert.throws(() => convexOptimum(customLoss({ ...spec })), AssumptionError);
  assert.throws(() => convexOptimum(customLoss({ ...spec, convex: true, smooth: true, hasMinimiser: false })), DegenerateError);
  assert.throws(() => convexOptimum(squareLoss([[1, 2]]), { gradTol: -1 }), DomainError);
  assert.throws(() => convexOptimum(squareLoss([[1, 2]]), { gradtol: 1 } as never), DomainError);
  assert.throws(() => convexOptimum(squareLoss([[1, 2]]), { start: new Matrix(2, 1) }), ShapeError);
});

test("convexOptimum on a non-quadratic loss: the power-4 data loss reaches first-order optimality, and no random point is lower", () => {
  const R = rng(41);
  const X = R.gaussian(3, 12);
  const Y = R.gaussian(2, 12);
  const l = dataComposedLoss(evenPowerLoss(Y, 4), X);
  const opt = convexOptimum(l);
  assert.ok(opt.gradientNorm <= 1e-8, `||grad|| = ${opt.gradientNorm}`);
  for (let k = 0; k < 50; k++) {
    const W = sub(opt.W, R.gaussian(2, 3, 0.1));
    assert.ok(l.value(W) >= opt.value - 1e-12, `a nearby point is lower: ${l.value(W)} < ${opt.value}`);
  }
  assert.equal(opt.rank, 2);
});
