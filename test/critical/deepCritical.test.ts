// The deep critical-point recipe (B5–B7): every layer's gradient vanishes, the loss is the B2/B6 formula with
// eigenvalues computed here, every partial product has rank |S|, and bad selections are typed errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DomainError, ShapeError, UnknownOptionError, deepCriticalPoint, deepLinear, landscape, squareLossData, rng, mu, mmul, pinv,
  transpose, numericalRank, projectorForm, frobNorm, sub,
} from "../../src";
import { Matrix, EigenvalueDecomposition } from "ml-matrix";

function data(seed: number, d0: number, dh: number, n: number) {
  const g = rng(seed);
  return { X: g.gaussian(d0, n), Y: g.gaussian(dh, n) };
}

test("deepCriticalPoint: critical on (4,3,3,3) for S = {2}, {1,3}, {3}, ∅; loss ½(tr YYᵀ − Σ_S λ) with λ from an independent eigen-solve", () => {
  const { X, Y } = data(11, 4, 3, 6);
  const widths = [4, 3, 3, 3];
  const L = landscape(deepLinear(widths), squareLossData(X, Y));
  // independent: Sigma via the normal equations (X has full row rank here), eigenvalues by ml-matrix's EVD
  const XXt = mmul(X, transpose(X));
  const Sigma = mmul(mmul(mmul(Y, transpose(X)), new Matrix(pinv(XXt))), mmul(X, transpose(Y)));
  const lam = new EigenvalueDecomposition(Sigma.add(transpose(Sigma)).mul(0.5) as Matrix).realEigenvalues.slice().sort((a, b) => b - a);
  let trYY = 0;
  for (const row of Y.to2DArray()) for (const v of row) trYY += v * v;
  for (const S of [[2], [1, 3], [3], []]) {
    const p = deepCriticalPoint(X, Y, widths, S, { seed: 3 });
    const g = L.gradient(p.theta);
    const gn = Math.sqrt(g.reduce((a, B) => a + frobNorm(B) ** 2, 0));
    assert.ok(gn < 1e-10, `S = ${S}: gradient ${gn}`);
    const want = 0.5 * (trYY - S.reduce((a, i) => a + lam[i - 1], 0));
    assert.ok(Math.abs(L.value(p.theta) - want) < 1e-9 * Math.max(1, want), `S = ${S}: loss`);
    assert.ok(frobNorm(sub(mu(widths, p.theta), p.W)) < 1e-10);
    const pf = projectorForm(X, Y, p.W);
    assert.ok(pf.commutator < 1e-9 && pf.residual < 1e-9);
    // every proper partial product W_{i:1} and W_{h:i+1} (i = 1..h-1) has rank |S|
    for (let i = 1; i < widths.length - 1; i++) {
      const below = mu(widths.slice(0, i + 1), p.theta.slice(0, i));
      const above = mu(widths.slice(i), p.theta.slice(i));
      assert.equal(numericalRank(below), S.length);
      assert.equal(numericalRank(above), S.length);
    }
  }
});

test("deepCriticalPoint: the same W factored with a partial product of larger rank is not critical (the converse of B5 fails)", () => {
  // X = I, Y = diag(2, 1), widths (2,2,2,2): W = diag(2, 0) = P Y, but W_3 = I, W_2 = diag(2, 0), W_1 = I gives dL/dW_2 = W - Y ≠ 0
  const X = Matrix.eye(2), Y = Matrix.diag([2, 1]);
  const L = landscape(deepLinear([2, 2, 2, 2]), squareLossData(X, Y));
  const bad = [Matrix.eye(2), Matrix.diag([2, 0]), Matrix.eye(2)];
  assert.ok(Math.abs(frobNorm(L.gradient(bad)[1]) - 1) < 1e-15);
  const good = deepCriticalPoint(X, Y, [2, 2, 2, 2], [1]);
  assert.ok(frobNorm(sub(good.W, Matrix.diag([2, 0]))) < 1e-12);
  assert.ok(Math.sqrt(L.gradient(good.theta).reduce((a, B) => a + frobNorm(B) ** 2, 0)) < 1e-12);
});

test("deepCriticalPoint: typed errors", () => {
  const { X, Y } = data(2, 3, 2, 5);
  assert.throws(() => deepCriticalPoint(X, Y, [3, 1, 2], [1, 2]), DomainError); // |S| > bottleneck
  assert.throws(() => deepCriticalPoint(X, Y, [3, 2, 2], [1, 1]), DomainError); // repeated
  assert.throws(() => deepCriticalPoint(X, Y, [3, 2, 2], [3]), DomainError); // out of range
  assert.throws(() => deepCriticalPoint(X, Y, [3, 2], [1]), DomainError); // h = 1
  assert.throws(() => deepCriticalPoint(X, Y, [4, 2, 2], [1]), ShapeError);
  assert.throws(() => deepCriticalPoint(X, Y, [3, 2, 2], [1], { sead: 1 } as never), UnknownOptionError);
  assert.throws(() => deepCriticalPoint(X, Y, [3, 2, 2], "1" as never), DomainError);
  // a zero eigenvalue of Sigma (Y X^T = 0 in the second row) cannot be selected
  const Y0 = new Matrix([[1, 2, 0, 1, 3], [0, 0, 0, 0, 0]]);
  assert.throws(() => deepCriticalPoint(X, Y0, [3, 2, 2], [2]), /positive eigenvalues/);
});
