import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, ShapeError } from "../../src/core/errors";
import { add, diag, frobNorm, maxAbsDiff, mmul, mmulChain, scale, sub, transpose, zeros } from "../../src/core/matrix";
import { rng } from "../../src/core/random";
import { squareLoss, weightedSquareLoss } from "../../src/losses";
import { DeepLinearNetwork, MultiTowerNetwork } from "../../src/networks";
import { allMatrices, determinantalVariety, functionalSpaceOf } from "../../src/spaces";

function randRank(seed: number, m: number, n: number, k: number): Matrix {
  const g = rng(seed);
  return mmul(g.gaussian(m, k), g.gaussian(k, n));
}

test("G1: dimension r(m+n-r), membership, smooth points", () => {
  for (const [m, n, r] of [[4, 4, 2], [3, 5, 1], [2, 2, 1], [5, 3, 0], [3, 4, 3]] as const) {
    const M = determinantalVariety(m, n, r);
    assert.equal(M.dimension, r * (m + n - r));
    assert.equal(M.filling, r === Math.min(m, n));
    if (r > 0) {
      const W = randRank(7 + m + n + r, m, n, r);
      assert.ok(M.contains(W));
      assert.ok(M.isSmoothPoint(W));
      assert.equal(M.tangentBasis(W).length, M.dimension);
    }
    if (r < Math.min(m, n)) {
      assert.ok(!M.contains(randRank(11, m, n, r + 1)));
      if (r > 0) assert.ok(!M.isSmoothPoint(randRank(12, m, n, r - 1)));
    }
  }
  assert.equal(allMatrices(3, 4).dimension, 12);
  const bundle = (determinantalVariety(4, 4, 2) as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/markdown", "text/plain"]);
  assert.match(bundle["text/plain"], /dimension r\(m\+n-r\) = 12/);
  assert.ok(allMatrices(3, 4).isSmoothPoint(zeros(3, 4)));
});

test("Eckart–Young projection: truncated SVD, distance, non-uniqueness reported", () => {
  const g = rng(3);
  const M = determinantalVariety(4, 5, 2);
  const A = g.gaussian(4, 5);
  const A0 = A.clone();
  const p = M.project(A);
  assert.ok(p.unique);
  assert.equal(M.rank(p.W), 2);
  assert.ok(Math.abs(frobNorm(sub(A, p.W)) - p.distance) < 1e-12);
  // no random rank-2 matrix is closer
  for (let t = 0; t < 50; t++) assert.ok(frobNorm(sub(A, randRank(100 + t, 4, 5, 2))) >= p.distance - 1e-12);
  assert.ok(maxAbsDiff(A, A0) === 0, "input unchanged");
  const tie = M.project(diag([3, 2, 2, 1], 4, 5));
  assert.equal(tie.unique, false);
  assert.match(tie.note, /not unique/);
  const inside = M.project(diag([3, 2, 0, 0], 4, 5));
  assert.ok(inside.unique && inside.distance === 0);
});

test("G2: tangent and normal projectors are complementary orthogonal idempotents", () => {
  const M = determinantalVariety(5, 4, 2);
  const W = randRank(21, 5, 4, 2);
  const g = rng(22);
  for (let t = 0; t < 5; t++) {
    const X = g.gaussian(5, 4);
    const Y = g.gaussian(5, 4);
    const T = M.tangentProject(W, X);
    const N = M.normalProject(W, X);
    assert.ok(maxAbsDiff(add(T, N), X) < 1e-12, "P_T + P_N = I");
    assert.ok(maxAbsDiff(M.tangentProject(W, T), T) < 1e-12, "P_T idempotent");
    assert.ok(maxAbsDiff(M.normalProject(W, N), N) < 1e-12, "P_N idempotent");
    assert.ok(frobNorm(M.tangentProject(W, N)) < 1e-12, "P_T P_N = 0");
    // self-adjoint: <P_T X, Y> = <X, P_T Y>
    const a = frobInner(T, Y);
    const b = frobInner(X, M.tangentProject(W, Y));
    assert.ok(Math.abs(a - b) < 1e-12);
    // normal space = Col(W)^perp ⊗ Row(W)^perp: W^T N = 0, N W^T = 0
    assert.ok(frobNorm(mmul(transpose(W), N)) < 1e-12 && frobNorm(mmul(N, transpose(W))) < 1e-12);
  }
  // tangent vectors: derivative of a curve of rank-2 matrices (A + tA')(B + tB')
  const A = g.gaussian(5, 2);
  const B = g.gaussian(2, 4);
  const Ap = g.gaussian(5, 2);
  const Bp = g.gaussian(2, 4);
  const W2 = mmul(A, B);
  const vel = add(mmul(Ap, B), mmul(A, Bp));
  assert.ok(maxAbsDiff(M.tangentProject(W2, vel), vel) < 1e-10);
  // basis orthonormal
  const E = M.tangentBasis(W2);
  for (let i = 0; i < E.length; i++) for (let j = 0; j < E.length; j++) assert.ok(Math.abs(frobInner(E[i], E[j]) - (i === j ? 1 : 0)) < 1e-12);
});

test("the fixed-rank geometry throws singular-point below rank r", () => {
  const M = determinantalVariety(4, 4, 2);
  const W = randRank(31, 4, 4, 1);
  for (const call of [
    () => M.tangentProject(W, W),
    () => M.normalProject(W, W),
    () => M.tangentBasis(W),
    () => M.frame(W),
    () => M.riemannianGradient(squareLoss(diag([1, 2, 3, 4])), W),
    () => M.riemannianHessian(squareLoss(diag([1, 2, 3, 4])), W),
  ]) {
    assert.throws(call, (e: unknown) => e instanceof DegenerateError && e.kind === "singular-point");
  }
});

test("bad inputs rejected with typed errors", () => {
  assert.throws(() => determinantalVariety(0, 3, 1), DomainError);
  assert.throws(() => determinantalVariety(3, 3, 4), DomainError);
  assert.throws(() => determinantalVariety(3, 3, 1.5), DomainError);
  assert.throws(() => allMatrices(2, -1), DomainError);
  const M = determinantalVariety(3, 3, 1);
  assert.throws(() => M.contains(zeros(2, 3)), ShapeError);
  assert.throws(() => M.rank(new Matrix([[NaN, 0, 0], [0, 0, 0], [0, 0, 0]])), DomainError);
  assert.throws(() => M.rank(zeros(3, 3), -1), DomainError);
  assert.throws(() => M.isCriticalFor(squareLoss(zeros(2, 2)), zeros(3, 3)), ShapeError);
  assert.throws(() => M.isCriticalFor({} as never, zeros(3, 3)), DomainError);
  assert.throws(() => M.isCriticalFor(squareLoss(zeros(3, 3)), zeros(3, 3), { singularConvention: "zariski" as never }), DomainError);
  assert.throws(() => M.isCriticalFor(squareLoss(zeros(3, 3)), diag([1, 1, 0])), DomainError, "rank 2 not in M_1");
});

test("criticality test (G2, D1) and the singular-point conventions", () => {
  const U = rng(41).orthogonal(4);
  const V = rng(42).orthogonal(4);
  const sig = [4, 3, 2, 1];
  const Q = mmulChain([U, diag(sig), transpose(V)]);
  const loss = squareLoss(Q);
  const M = determinantalVariety(4, 4, 2);
  const WI = (I: number[]) => {
    let W = zeros(4, 4);
    for (const i of I) W = add(W, scale(mmul(U.subMatrix(0, 3, i - 1, i - 1), transpose(V.subMatrix(0, 3, i - 1, i - 1))), sig[i - 1]));
    return W;
  };
  // every rank-2 W_I is critical on M_2; a random rank-2 point is not
  for (const I of [[1, 2], [1, 3], [2, 4], [3, 4]]) {
    const rep = M.isCriticalFor(loss, WI(I));
    assert.ok(rep.critical && rep.smooth, `W_${I} critical`);
    assert.ok(rep.WtG < 1e-10 && rep.GWt < 1e-10);
  }
  assert.equal(M.isCriticalFor(loss, randRank(43, 4, 4, 2)).critical, false);
  // a rank-1 W_{1}: singular point of M_2; not critical under "gradient" and "tangent-cone", critical under "stratum"
  const W1 = WI([1]);
  const g = M.isCriticalFor(loss, W1);
  assert.equal(g.critical, false);
  assert.equal(g.convention, "gradient");
  assert.match(g.test, /singular point/);
  const c = M.isCriticalFor(loss, W1, { singularConvention: "tangent-cone" });
  assert.equal(c.critical, false);
  // cone residual: sqrt(||P_T G||^2 + top (r-e) = 1 singular value^2 of P_N G) = 2 sigma_2 = 6
  assert.ok(Math.abs(c.residual - 6) < 1e-9);
  const s = M.isCriticalFor(loss, W1, { singularConvention: "stratum" });
  assert.equal(s.critical, true);
  // filling: critical iff gradient zero
  const A = allMatrices(4, 4);
  assert.equal(A.isCriticalFor(loss, Q).critical, true);
  assert.equal(A.isCriticalFor(loss, WI([1, 2])).critical, false);
});

test("T5: Riemannian Hessian eigenvalues at W_I are 2(1 ∓ sigma_j/sigma_i) and 2; index = inversions", () => {
  const cases: Array<{ m: number; n: number; r: number; sig: number[]; seed: number }> = [
    { m: 4, n: 4, r: 2, sig: [4, 3, 2, 1], seed: 51 },
    { m: 5, n: 3, r: 1, sig: [3, 2, 0.5], seed: 52 },
    { m: 3, n: 5, r: 2, sig: [2.5, 1.5, 1], seed: 53 },
  ];
  for (const { m, n, r, sig, seed } of cases) {
    const U = rng(seed).orthogonal(m);
    const V = rng(seed + 100).orthogonal(n);
    const k = Math.min(m, n);
    const Q = mmulChain([U, diag(sig, m, n), transpose(V)]);
    const loss = squareLoss(Q);
    const M = determinantalVariety(m, n, r);
    const subsetsR = (arr: number[], kk: number): number[][] => (kk === 0 ? [[]] : arr.flatMap((x, i) => subsetsR(arr.slice(i + 1), kk - 1).map((s) => [x, ...s])));
    for (const I of subsetsR(Array.from({ length: k }, (_, i) => i + 1), r)) {
      let W = zeros(m, n);
      for (const i of I) W = add(W, scale(mmul(U.subMatrix(0, m - 1, i - 1, i - 1), transpose(V.subMatrix(0, n - 1, i - 1, i - 1))), sig[i - 1]));
      const H = M.riemannianHessian(loss, W);
      const predicted: number[] = [];
      for (const i of I) {
        for (let j = 1; j <= k; j++) {
          if (I.includes(j)) continue;
          predicted.push(2 * (1 - sig[j - 1] / sig[i - 1]), 2 * (1 + sig[j - 1] / sig[i - 1]));
        }
      }
      while (predicted.length < M.dimension) predicted.push(2);
      predicted.sort((a, b) => b - a);
      assert.equal(H.eigenvalues.length, M.dimension);
      H.eigenvalues.forEach((x, t) => assert.ok(Math.abs(x - predicted[t]) < 1e-9, `I=${I}: ${x} vs ${predicted[t]}`));
      let index = 0;
      for (const i of I) for (let j = 1; j <= k; j++) if (!I.includes(j) && sig[j - 1] > sig[i - 1]) index++;
      assert.equal(H.inertia.negative, index);
      assert.ok(H.asymmetry < 1e-10);
      assert.ok(H.gradientNorm < 1e-10);
    }
  }
});

test("Riemannian gradient and Hessian agree with finite differences along the retraction", () => {
  const g = rng(61);
  const m = 4;
  const n = 3;
  const M = determinantalVariety(m, n, 2);
  const loss = weightedSquareLoss(
    new Matrix([[1, 2, 0.5], [3, 1, 1], [0.2, 1, 2], [1, 1, 1]]),
    g.gaussian(m, n),
  );
  for (let t = 0; t < 4; t++) {
    const W = randRank(70 + t, m, n, 2); // a generic non-critical smooth point
    const W0 = W.clone();
    const xi = M.tangentProject(W, g.gaussian(m, n));
    const eta = M.tangentProject(W, g.gaussian(m, n));
    const f = (s: number) => loss.value(M.retract(W, scale(xi, s)));
    // first order: d/ds f(R(s xi)) = <grad_R, xi>
    const h = 1e-5;
    const d1 = (f(h) - f(-h)) / (2 * h);
    const gradR = M.riemannianGradient(loss, W);
    assert.ok(Math.abs(d1 - frobInner(gradR, xi)) < 1e-7 * Math.max(1, Math.abs(d1)));
    // second order: the projection retraction is second order, so d²/ds² f(R(s xi)) = <Hess_R xi, xi>
    const hh = 1e-4;
    const d2 = (f(hh) - 2 * f(0) + f(-hh)) / (hh * hh);
    const Hxi = M.riemannianHessianAction(loss, W, xi);
    assert.ok(Math.abs(d2 - frobInner(Hxi, xi)) < 1e-4 * Math.max(1, Math.abs(d2)), `${d2} vs ${frobInner(Hxi, xi)}`);
    // Hess = P_T d/ds grad_R(R(s xi)), tested against another tangent vector eta
    const gp = M.riemannianGradient(loss, M.retract(W, scale(xi, h)));
    const gm = M.riemannianGradient(loss, M.retract(W, scale(xi, -h)));
    const dg = M.tangentProject(W, scale(sub(gp, gm), 1 / (2 * h)));
    assert.ok(maxAbsDiff(dg, Hxi) < 1e-6 * Math.max(1, frobNorm(Hxi)));
    // symmetric: <Hess xi, eta> = <xi, Hess eta>
    assert.ok(Math.abs(frobInner(Hxi, eta) - frobInner(xi, M.riemannianHessianAction(loss, W, eta))) < 1e-10);
    assert.equal(maxAbsDiff(W, W0), 0);
  }
});

test("functionalSpaceOf: M_r for deep linear networks, all matrices when filling", () => {
  const s = functionalSpaceOf(new DeepLinearNetwork([4, 2, 3, 4]));
  assert.equal(s.r, 2);
  assert.equal(s.filling, false);
  assert.equal(s.dimension, 12);
  assert.equal(functionalSpaceOf(new DeepLinearNetwork([2, 2, 2])).filling, true);
  assert.equal(functionalSpaceOf(new DeepLinearNetwork([3, 5, 2])).kind, "all matrices");
  // A4: multi-tower rank budget = sum of tower bottlenecks
  const mt = functionalSpaceOf(new MultiTowerNetwork([[4, 1, 4], [4, 3, 1, 2, 4]]));
  assert.equal(mt.r, 2);
  assert.equal(mt.filling, false);
  assert.equal(functionalSpaceOf(new MultiTowerNetwork([[2, 1, 2], [2, 1, 2]])).filling, true);
});

function frobInner(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s += A.get(i, j) * B.get(i, j);
  return s;
}
