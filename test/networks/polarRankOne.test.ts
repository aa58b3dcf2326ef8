/**
 * The polar parameterisation of 2×2 rank-one matrices (D1: a second parameterisation of M_1): mu, gradient and
 * Hessian against finite differences, the rank of dmu, the spurious curve at rho = 0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError, ShapeError, checkGradient, fdJacobian, landscape, matrix, polarRankOne, rng, squareLoss, svd, weightedSquareLoss } from "../../src";

const th = (r: number, a: number, b: number) => [matrix([[r]]), matrix([[a]]), matrix([[b]])];

test("polar rank one: mu = rho b a^T has rank <= 1 and reaches a given rank-one matrix", () => {
  const net = polarRankOne();
  const W = net.mu(th(2, 0.3, -1.1));
  assert.ok(Math.abs(W.get(0, 0) * W.get(1, 1) - W.get(0, 1) * W.get(1, 0)) < 1e-14);
  // W = 3 (0.6, 0.8)^T (0, 1): beta = atan2(0.8, 0.6), alpha = pi/2
  const V = net.mu(th(3, Math.PI / 2, Math.atan2(0.8, 0.6)));
  const expect = [[0, 1.8], [0, 2.4]];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(V.get(i, j) - expect[i][j]) < 1e-14);
});

test("polar rank one: gradient and Hessian of L = l ∘ mu agree with finite differences (square and weighted losses)", () => {
  const g = rng(5);
  for (const loss of [squareLoss([[2, 0.5], [-1, 1]]), weightedSquareLoss([[1, 10], [10, 1]], [[1, 0], [0, 0.8]])]) {
    const L = landscape(polarRankOne(), loss);
    for (let k = 0; k < 3; k++) {
      const x = Float64Array.from([g.normal(), 3 * g.uniform(), 3 * g.uniform()]);
      const chk = checkGradient((y) => L.valueFlat(y), (y) => L.gradientFlat(y), x);
      assert.ok(chk.relError < 1e-8, `gradient rel error ${chk.relError}`);
      const H = L.hessian(L.unpack(x));
      const J = fdJacobian((y) => L.gradientFlat(y), x);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(H.get(i, j) - J.get(i, j)) < 1e-6 * Math.max(1, Math.abs(J.get(i, j))), `H(${i},${j}) = ${H.get(i, j)} vs ${J.get(i, j)}`);
    }
  }
});

test("polar rank one: dmu has rank 3 off rho = 0 and rank 1 at rho = 0; the spurious points at rho = 0 are those with b^T Q a = 0", () => {
  const net = polarRankOne();
  const rankAt = (t: ReturnType<typeof th>) => {
    const cols = [0, 1, 2].map((k) => net.dMu(t, th(k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0)).to1DArray());
    const M = matrix([0, 1, 2, 3].map((i) => cols.map((c) => c[i])));
    return svd(M).s.filter((s) => s > 1e-10).length;
  };
  assert.equal(rankAt(th(1.5, 0.4, 2.0)), 3);
  assert.equal(rankAt(th(0, 0.4, 2.0)), 1);
  // Q = diag(2, 1): b^T Q a = 2 cos a cos b + sin a sin b vanishes at alpha = 0, beta = pi/2
  const L = landscape(net, squareLoss([[2, 0], [0, 1]]));
  const grad = (t: ReturnType<typeof th>) => Math.hypot(...L.gradient(t).map((B) => B.get(0, 0)));
  assert.ok(grad(th(0, 0, Math.PI / 2)) < 1e-15);
  assert.ok(grad(th(0, 0, 0)) > 1);
});

test("polar rank one: wrong blocks and wrong G are typed errors", () => {
  const net = polarRankOne();
  assert.throws(() => net.mu([matrix([[1]]), matrix([[1]])]), (e: unknown) => e instanceof ShapeError || e instanceof DomainError);
  assert.throws(() => net.dMuT(th(1, 0, 0), matrix([[1, 2, 3]])), ShapeError);
  assert.throws(() => net.dMuT(th(1, 0, 0), [[1, 0], [0, 1]] as never), DomainError);
});
