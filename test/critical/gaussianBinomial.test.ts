import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { DomainError } from "../../src/core/errors";
import { binomial, criticalImageCount, gaussianBinomial, indexDistribution, inversionIndex, subsets } from "../../src/critical/gaussianBinomial";

test("T5: index distribution for m = 4, r = 2 is 1 + q + 2q^2 + q^3 + q^4", () => {
  assert.deepEqual(gaussianBinomial(4, 2), [1, 1, 2, 1, 1]);
  assert.deepEqual(indexDistribution(4, 2), [1, 1, 2, 1, 1]);
});

test("T5: enumerated index multiset equals the q-binomial for random (m, r); coefficients sum to C(m, r), palindromic", () => {
  const g = rng(11);
  for (let t = 0; t < 25; t++) {
    const m = 1 + g.int(9);
    const r = g.int(m + 1);
    const q = gaussianBinomial(m, r);
    assert.deepEqual(indexDistribution(m, r), q, `m=${m} r=${r}`);
    assert.equal(q.reduce((a, b) => a + b, 0), binomial(m, r));
    assert.deepEqual(q.slice().reverse(), q);
    assert.equal(q.length, r * (m - r) + 1);
  }
});

test("counts: sum_{k<=r} C(m,k), subsets lexicographic and complete", () => {
  assert.equal(criticalImageCount(4, 2), 11);
  assert.equal(criticalImageCount(3, 5), 8); // m < r: every subset
  assert.equal(binomial(10, 3), 120);
  assert.equal(binomial(3, 5), 0);
  const s = subsets(4, 2);
  assert.deepEqual(s, [[1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]]);
  assert.deepEqual(subsets(3, 0), [[]]);
});

test("inversionIndex: maximal index r(m - r) at the bottom selection; ties not counted", () => {
  assert.equal(inversionIndex([3, 4], [4, 3, 2, 1]), 4);
  assert.equal(inversionIndex([1, 2], [4, 3, 2, 1]), 0);
  assert.equal(inversionIndex([2], [3, 3, 1]), 0); // tie with index 1 is not an inversion
  assert.equal(inversionIndex([2], [3, 3, 1], 0), 0);
  assert.equal(inversionIndex([2]), 1);
});

test("bad inputs are rejected with DomainError", () => {
  assert.throws(() => gaussianBinomial(2, 3), DomainError);
  assert.throws(() => gaussianBinomial(-1, 0), DomainError);
  assert.throws(() => indexDistribution(3.5, 1), DomainError);
  assert.throws(() => binomial(4, -1), DomainError);
  assert.throws(() => subsets(3, 4), DomainError);
  assert.throws(() => inversionIndex([5], [1, 2]), DomainError);
  assert.throws(() => criticalImageCount(NaN, 1), DomainError);
});
