/**
 * Losses on matrix space: gradients and Hessian actions against finite differences, dense Hessians
 * (symmetric, PSD for the convex losses), closed-form values, minimiser detection, display.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DegenerateError,
  Matrix,
  checkGradient,
  customLoss,
  evenPowerLoss,
  fdJacobian,
  hasMinimiser,
  logisticLoss,
  lossHessian,
  matrix,
  pseudoHuberLoss,
  requireMinimiser,
  rng,
  softmaxCrossEntropy,
  squareLoss,
  squareLossData,
  symEig,
  weightedSquareLoss,
} from "../../src";
import { LOSS_KINDS, makeLoss } from "../landscape/instances";

function flat(A: Matrix): Float64Array {
  return Float64Array.from(A.to1DArray());
}
function unflat(x: ArrayLike<number>, m: number, n: number): Matrix {
  const W = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, x[i * n + j]);
  return W;
}

test("every loss kind: gradient and Hessian action match finite differences; dense Hessian symmetric; convex => PSD", () => {
  const R = rng(101);
  let n = 0;
  for (let t = 0; t < 90; t++) {
    const kind = LOSS_KINDS[t % LOSS_KINDS.length];
    const m = kind === "logistic" ? 1 : kind === "softmax" ? 2 + R.int(3) : 1 + R.int(4);
    const k = 1 + R.int(4);
    const loss = makeLoss(R, kind, m, k);
    const W = R.gaussian(m, k);
    const c = checkGradient((x) => loss.value(unflat(x, m, k)), (x) => flat(loss.gradient(unflat(x, m, k))), flat(W));
    assert.ok(c.relError <= 1e-8, `${loss.name}: gradient relative error ${c.relError}`);
    const H = lossHessian(loss, W);
    const J = fdJacobian((x) => flat(loss.gradient(unflat(x, m, k))), flat(W));
    let hmax = 1;
    for (let i = 0; i < H.rows; i++) for (let j = 0; j < H.columns; j++) hmax = Math.max(hmax, Math.abs(H.get(i, j)));
    const tol = loss.hessianExact ? 1e-8 : 1e-5;
    for (let i = 0; i < H.rows; i++) {
      for (let j = 0; j < H.columns; j++) {
        assert.ok(Math.abs(H.get(i, j) - J.get(i, j)) <= tol * hmax, `${loss.name}: H[${i}][${j}]`);
        assert.equal(H.get(i, j), H.get(j, i));
      }
    }
    if (loss.convex) {
      const ev = symEig(H).values;
      assert.ok(ev[ev.length - 1] >= -1e-9 * hmax, `${loss.name}: convex but Hessian eigenvalue ${ev[ev.length - 1]}`);
    }
    n++;
  }
  assert.equal(n, 90);
});

test("closed-form values", () => {
  const Q = matrix([[1, 2], [3, 4]]);
  const W = matrix([[0, 0], [0, 1]]);
  assert.equal(squareLoss(Q).value(W), 1 + 4 + 9 + 9);
  // data form with X = I: 1/2 ||W - Y||^2
  assert.equal(squareLossData(matrix([[1, 0], [0, 1]]), Q).value(W), 0.5 * 23);
  assert.equal(weightedSquareLoss(matrix([[1, 0], [2, 0.5]]), Q).value(W), 1 + 0 + 18 + 4.5);
  assert.equal(evenPowerLoss(Q, 4).value(W), 1 + 16 + 81 + 81);
  assert.equal(evenPowerLoss(Q, 6).value(W), 1 + 64 + 729 + 729);
  // pseudo-Huber: delta^2 (sqrt(1 + (r/delta)^2) - 1); r = 3, delta = 4 -> 16 (5/4 - 1) = 4
  assert.ok(Math.abs(pseudoHuberLoss(matrix([[3]]), 4).value(matrix([[0]])) - 4) < 1e-14);
  // softmax at W = 0: log K; logistic at w = 0: log 2; ridge adds ridge/2 ||W||^2
  const X = matrix([[1, -1, 2], [0, 1, 1]]);
  assert.ok(Math.abs(softmaxCrossEntropy(X, [0, 1, 2], 0.3).value(new Matrix(3, 2)) - Math.log(3)) < 1e-14);
  assert.ok(Math.abs(logisticLoss(X, [0, 1, 1], 0.3).value(new Matrix(1, 2)) - Math.log(2)) < 1e-14);
  const w = matrix([[1, 2]]);
  const l0 = logisticLoss(X, [0, 1, 1], 0).value(w);
  assert.ok(Math.abs(logisticLoss(X, [0, 1, 1], 0.3).value(w) - l0 - 0.15 * 5) < 1e-14);
  // logistic labels: {0,1} and {-1,1} conventions agree
  assert.equal(logisticLoss(X, [-1, 1, 1], 0).value(w), l0);
  // softmax with 2 classes equals logistic on the difference of rows
  const Wsm = matrix([[0.3, -0.2], [1.3, 1.8]]);
  assert.ok(Math.abs(softmaxCrossEntropy(X, [0, 1, 1], 0, 2).value(Wsm) - l0) < 1e-14);
});

test("minimisers: logistic / softmax without ridge on separable data are detected; ridge or overlap fixes it", () => {
  const Xsep = matrix([[1, 2, -1, -2], [0.5, 1, 0.3, -1]]);
  const sep = logisticLoss(Xsep, [1, 1, 0, 0], 0);
  assert.equal(hasMinimiser(sep).exists, false);
  assert.throws(() => requireMinimiser(sep, "t4Optimum"), (e: unknown) => e instanceof DegenerateError && e.kind === "no-minimiser");
  assert.equal(hasMinimiser(logisticLoss(Xsep, [1, 1, 0, 0], 0.1)).exists, true);
  // overlap: the same point with both labels
  const Xov = matrix([[1, 1, -1, -1], [0.5, 0.5, 0.3, 0.3]]);
  assert.equal(hasMinimiser(logisticLoss(Xov, [1, 0, 1, 0], 0)).exists, true);
  // quasi-separable (a point on the separating line): no minimiser either
  const Xq = matrix([[1, 0, -1], [0, 1, 0]]);
  assert.equal(hasMinimiser(logisticLoss(Xq, [1, 1, 0], 0)).exists, false);
  // softmax: 3 separable clusters vs overlapping
  const Xs = matrix([[1, 0, -1, 1.1, 0, -1.2], [0, 1, -1, 0.1, 1.2, -0.9], [1, 1, 1, 1, 1, 1]]);
  assert.equal(hasMinimiser(softmaxCrossEntropy(Xs, [0, 1, 2, 0, 1, 2], 0)).exists, false);
  assert.equal(hasMinimiser(softmaxCrossEntropy(Xs, [0, 1, 2, 1, 2, 0], 0)).exists, true);
  assert.equal(hasMinimiser(softmaxCrossEntropy(Xs, [0, 1, 2, 0, 1, 2], 0.05)).exists, true);
  // separable: the loss keeps decreasing along the separating ray (evidence that no minimum is attained)
  const w = matrix([[1, 0]]);
  const vals = [1, 10, 100].map((s) => sep.value(matrix([[s * w.get(0, 0), 0]])));
  assert.ok(vals[0] > vals[1] && vals[1] > vals[2] && vals[2] > 0);
  // custom: unknown unless declared
  const c = customLoss({ shape: [1, 1], value: (W) => W.get(0, 0) ** 2, gradient: (W) => [[2 * W.get(0, 0)]] });
  assert.equal(hasMinimiser(c).exists, "unknown");
  assert.equal(c.hessianExact, false);
  assert.equal(c.convex, false);
  requireMinimiser(squareLoss(matrix([[1]])));
});

test("losses copy their data (later changes to Q, X, Lambda do not leak in)", () => {
  const Q = matrix([[1, 2]]);
  const L = squareLoss(Q);
  const v = L.value(matrix([[0, 0]]));
  Q.set(0, 0, 100);
  assert.equal(L.value(matrix([[0, 0]])), v);
  const Lam = matrix([[1, 1]]);
  const Lw = weightedSquareLoss(Lam, matrix([[1, 2]]));
  Lam.set(0, 0, 0);
  assert.equal(Lw.value(matrix([[0, 0]])), 5);
});

test("display: markdown + plain text, never HTML", () => {
  const R = rng(3);
  for (const kind of LOSS_KINDS) {
    const loss = makeLoss(R, kind, kind === "logistic" ? 1 : 2, 3) as unknown as Record<symbol, () => Record<string, string>>;
    const b = loss[Symbol.for("Jupyter.display")]();
    assert.ok(typeof b["text/markdown"] === "string" && typeof b["text/plain"] === "string");
    assert.equal(b["text/html"], undefined);
  }
});
