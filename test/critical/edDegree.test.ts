/**
 * ED degree of M_r and the complex critical points of a weighted distance on rank-one 2 × n matrices (G2),
 * with the polynomial root finder they use.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DomainError, ShapeError, criticalImages, edDegree, matrix, matrixProblem, mmul, polynomialRoots, polynomialValue, rng, svd, transpose,
  weightedRankOneCriticalPoints,
} from "../../src";

test("polynomialRoots: (z - 1)(z - 2)(z^2 + 1) and a double root", () => {
  // (z^2 - 3z + 2)(z^2 + 1) = z^4 - 3z^3 + 3z^2 - 3z + 2
  const r = polynomialRoots([2, -3, 3, -3, 1]);
  const want = [{ re: 0, im: -1 }, { re: 0, im: 1 }, { re: 1, im: 0 }, { re: 2, im: 0 }];
  assert.equal(r.length, 4);
  for (let k = 0; k < 4; k++) assert.ok(Math.hypot(r[k].re - want[k].re, r[k].im - want[k].im) < 1e-12, JSON.stringify(r));
  const d = polynomialRoots([1, -2, 1, 0, 0]); // (z - 1)^2, trailing zeros dropped
  assert.equal(d.length, 2);
  for (const z of d) assert.ok(Math.hypot(z.re - 1, z.im) < 1e-7);
  assert.deepEqual(polynomialRoots([5]), []);
  // p(i) = 2 - 3i - 3 + 3i + 1 = 0 and p(1 + i) by hand: (1+i)^2 = 2i, (1+i)^3 = -2 + 2i, (1+i)^4 = -4
  const at = polynomialValue([2, -3, 3, -3, 1], { re: 0, im: 1 });
  assert.ok(Math.hypot(at.re, at.im) < 1e-15);
  const at2 = polynomialValue([2, -3, 3, -3, 1], { re: 1, im: 1 });
  // 2 - 3(1+i) + 3(2i) - 3(-2+2i) + (-4) = 2 - 3 - 3i + 6i + 6 - 6i - 4 = 1 - 3i
  assert.ok(Math.abs(at2.re - 1) < 1e-14 && Math.abs(at2.im + 3) < 1e-14, JSON.stringify(at2));
  assert.throws(() => polynomialValue([1], { re: NaN, im: 0 }), DomainError);
  assert.throws(() => polynomialRoots([0, 0]), DomainError);
  assert.throws(() => polynomialRoots([1, NaN]), DomainError);
});

test("edDegree = C(min(m, n), r) = number of rank-r critical images that criticalImages enumerates", () => {
  const g = rng(2);
  for (const [m, n, r] of [[3, 4, 2], [4, 4, 1], [5, 3, 3], [2, 6, 1]]) {
    const Q = g.gaussian(m, n);
    const set = criticalImages(matrixProblem(Q), [n, r, m], { realise: false });
    assert.equal(edDegree(m, n, r), set.images.filter((im) => im.rank === r).length);
  }
  assert.throws(() => edDegree(2, 2, 3), DomainError);
  assert.throws(() => edDegree(0, 2, 0), DomainError);
});

test("weighted rank one, unit weights: exactly the two SVD truncations sigma_k u_k v_k^T (Eckart–Young), both real", () => {
  const g = rng(7);
  for (let k = 0; k < 5; k++) {
    const Q = g.gaussian(2, 3);
    const res = weightedRankOneCriticalPoints([[1, 1, 1], [1, 1, 1]], Q);
    assert.equal(res.count, 2);
    assert.equal(res.realCount, 2);
    const { U, s, V } = svd(Q);
    const truncs = [0, 1].map((i) => mmul(matrix([[U.get(0, i)], [U.get(1, i)]]), matrix([[s[i] * V.get(0, i), s[i] * V.get(1, i), s[i] * V.get(2, i)]])));
    for (const p of res.points) {
      const dist = Math.min(...truncs.map((T) => Math.max(...T.to1DArray().map((x, i) => Math.abs(x - p.W.to1DArray()[i])))));
      assert.ok(dist < 1e-9, `distance to the nearest truncation ${dist}`);
    }
  }
});

test("weighted rank one, Example A weights: 6 complex critical points, 4 real with losses s^2, 1 and the barrier 148/99 twice", () => {
  const res = weightedRankOneCriticalPoints([[1, 10], [10, 1]], [[1, 0], [0, 0.8]]);
  assert.equal(res.degree, 6);
  assert.equal(res.count, 6);
  const real = res.points.filter((p) => p.real).map((p) => p.loss).sort((a, b) => a - b);
  const want = [0.64, 1, 148 / 99, 148 / 99].sort((a, b) => a - b);
  assert.equal(real.length, 4);
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(real[k] - want[k]) < 1e-10, `${real}`);
  for (const p of res.points) assert.ok(p.residual < 1e-10);
});

test("weighted rank one: an m × 2 input is the transpose of the 2 × m one; bad input is a typed error", () => {
  const g = rng(11);
  const Lam = matrix([[1, 2, 0.5], [3, 1, 2]]);
  const Q = g.gaussian(2, 3);
  const a = weightedRankOneCriticalPoints(Lam, Q);
  const b = weightedRankOneCriticalPoints(transpose(Lam), transpose(Q));
  assert.equal(a.count, 10);
  assert.equal(b.count, a.count);
  const la = a.points.map((p) => p.loss).sort((x, y) => x - y);
  const lb = b.points.map((p) => p.loss).sort((x, y) => x - y);
  for (let k = 0; k < la.length; k++) assert.ok(Math.abs(la[k] - lb[k]) < 1e-8 * Math.max(1, Math.abs(la[k])));
  assert.throws(() => weightedRankOneCriticalPoints([[1, 1], [1, 0]], [[1, 0], [0, 1]]), DomainError);
  assert.throws(() => weightedRankOneCriticalPoints([[1, 1, 1], [1, 1, 1], [1, 1, 1]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), ShapeError);
  assert.throws(() => weightedRankOneCriticalPoints([[1, 1], [1, 1]], [[1, 0], [0, 1]], { tol: 1 } as never), DomainError);
});
