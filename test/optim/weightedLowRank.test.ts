/**
 * Weighted low-rank approximation by ALS: with all weights equal it is Eckart–Young (the truncated SVD value);
 * the values never go below the truncated-SVD bound of the weighted problem's own structure; input checks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError, Matrix, ShapeError, matrix, rng, svd, weightedLowRankALS, weightedSquareLoss } from "../../src";

test("weightedLowRankALS with unit weights reaches the Eckart–Young value sum_{j > r} sigma_j^2", () => {
  const R = rng(5);
  const Q = R.gaussian(4, 5);
  const s = svd(Q).s;
  const ones = new Matrix(4, 5).fill(1);
  for (const r of [1, 2, 3]) {
    const res = weightedLowRankALS(ones, Q, r, rng(9), { starts: 5 });
    const ey = s.slice(r).reduce((a, x) => a + x * x, 0);
    assert.ok(Math.abs(res.value - ey) <= 1e-8 * Math.max(1, ey), `r = ${r}: ${res.value} vs ${ey}`);
    assert.ok((svd(res.W).s[r] ?? 0) <= 1e-8);
    assert.ok(Math.abs(weightedSquareLoss(ones, Q).value(res.W) - res.value) <= 1e-9);
  }
});

test("weightedLowRankALS on Example A's weights (K = 10, s = 0.8): finds both local values 0.64 and 1, best 0.64", () => {
  const res = weightedLowRankALS(matrix([[1, 10], [10, 1]]), matrix([[1, 0], [0, 0.8]]), 1, rng(1), { starts: 40 });
  assert.ok(Math.abs(res.value - 0.64) <= 1e-9, `best ${res.value}`);
  const vals = res.runs.map((r) => r.value);
  assert.ok(vals.some((v) => Math.abs(v - 1) <= 1e-6), `no run at the bad value 1: ${vals}`);
  assert.ok(vals.every((v) => v >= 0.64 - 1e-9));
});

test("weightedLowRankALS checks its input", () => {
  const Q = matrix([[1, 2], [3, 4]]);
  assert.throws(() => weightedLowRankALS(matrix([[1, 1]]), Q, 1, rng(1)), ShapeError);
  assert.throws(() => weightedLowRankALS(matrix([[1, -1], [1, 1]]), Q, 1, rng(1)), DomainError);
  assert.throws(() => weightedLowRankALS(matrix([[1, 1], [1, 1]]), Q, 3, rng(1)), DomainError);
  assert.throws(() => weightedLowRankALS(matrix([[1, 1], [1, 1]]), Q, 1, {} as never), DomainError);
  assert.throws(() => weightedLowRankALS(matrix([[1, 1], [1, 1]]), Q, 1, rng(1), { starts: 0 }), DomainError);
  assert.throws(() => weightedLowRankALS(matrix([[1, 1], [1, 1]]), Q, 1, rng(1), { seeds: 1 } as never), DomainError);
});
