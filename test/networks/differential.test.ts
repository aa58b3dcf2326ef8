/**
 * T1 (image of dmu) and T2 (maximal rank / surjectivity): the table of chapter 01 §2, and the identity
 * "Jacobian rank of mu = dim sum_i Col(W_{>i}) ⊗ Row(W_{<i})" on random generic and degenerate points.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Matrix,
  Rng,
  dMu,
  dMuImage,
  dMuIsSurjective,
  dMuJacobian,
  dMuRank,
  diag,
  functionalDim,
  functionalRank,
  isMaximalRank,
  mmul,
  packTheta,
  rng,
  transpose,
  unpackTheta,
  weightShapes,
} from "../../src";

/** A random `m × n` matrix of rank exactly `k` (product of Gaussian factors). */
function rankK(R: Rng, m: number, n: number, k: number): Matrix {
  if (k === 0) return new Matrix(m, n);
  return mmul(R.gaussian(m, k), R.gaussian(k, n));
}

function generic(R: Rng, widths: number[]): Matrix[] {
  return weightShapes(widths).map(([r, c]) => R.gaussian(r, c));
}

const R = rng(31);

test("T1/T2 table: d=(3,2,4) has rank dmu 10 generic, 8 when W_1 has rank 1", () => {
  const d = [3, 2, 4];
  const th = generic(R, d);
  assert.equal(dMuRank(d, th), 10);
  assert.equal(dMuImage(d, th).dimension, 10);
  assert.equal(functionalDim(d), 10);
  const rep = isMaximalRank(d, th);
  assert.equal(rep.holds, true);
  assert.equal(rep.case, "full-rank");
  assert.ok(rep.consistent);
  const deg = [rankK(R, 2, 3, 1), R.gaussian(4, 2)];
  assert.equal(functionalRank(d, deg), 1);
  assert.equal(dMuRank(d, deg), 8);
  assert.equal(dMuImage(d, deg).dimension, 8);
  const rep2 = isMaximalRank(d, deg);
  assert.equal(rep2.holds, false);
  assert.equal(rep2.case, "non-filling-deficient");
  assert.ok(rep2.consistent);
  assert.equal(dMuIsSurjective(d, th).holds, false); // non-filling: never onto all matrices
});

test("T1/T2 table: d=(4,3,2,3,5) has 14 generic, 10 when W_2 has rank 1", () => {
  const d = [4, 3, 2, 3, 5];
  const th = generic(R, d);
  assert.equal(dMuRank(d, th), 14);
  assert.equal(dMuImage(d, th).dimension, 14);
  const deg = generic(R, d);
  deg[1] = rankK(R, 2, 3, 1);
  assert.equal(functionalRank(d, deg), 1);
  assert.equal(dMuRank(d, deg), 10);
  assert.equal(dMuImage(d, deg).dimension, 10);
  const rep = isMaximalRank(d, deg);
  assert.equal(rep.holds, false);
  assert.ok(rep.consistent);
});

test("T1/T2 table: d=(3,3,3): W_1 rank 2 with W_2 invertible gives 9 (criterion at i=1); both rank 2 gives 8", () => {
  const d = [3, 3, 3];
  const a = [rankK(R, 3, 3, 2), R.gaussian(3, 3)];
  assert.equal(functionalRank(d, a), 2);
  assert.equal(dMuRank(d, a), 9);
  const ra = dMuIsSurjective(d, a);
  assert.equal(ra.holds, true);
  assert.equal(ra.case, "filling-criterion");
  assert.equal(ra.index, 1);
  assert.ok(ra.consistent);
  const b = [rankK(R, 3, 3, 2), rankK(R, 3, 3, 2)];
  assert.equal(dMuRank(d, b), 8);
  assert.equal(dMuImage(d, b).dimension, 8);
  const rb = dMuIsSurjective(d, b);
  assert.equal(rb.holds, false);
  assert.equal(rb.index, null);
  assert.ok(rb.consistent);
});

test("T1/T2 table: d=(2,3,3,2) with W_2 of rank 1 is surjective (criterion at i=2)", () => {
  const d = [2, 3, 3, 2];
  const th = [R.gaussian(3, 2), rankK(R, 3, 3, 1), R.gaussian(2, 3)];
  assert.equal(functionalRank(d, th), 1);
  assert.equal(dMuRank(d, th), 4);
  const rep = dMuIsSurjective(d, th);
  assert.equal(rep.holds, true);
  assert.equal(rep.index, 2);
  assert.ok(rep.consistent);
});

test("T1/T2 table: d=(2,2,2), theta = (diag(0,1), diag(1,0)) has rank dmu 3 and fails the criterion", () => {
  const d = [2, 2, 2];
  const th = [diag([0, 1]), diag([1, 0])];
  assert.equal(functionalRank(d, th), 0);
  assert.equal(dMuRank(d, th), 3);
  assert.equal(dMuImage(d, th).dimension, 3);
  const rep = dMuIsSurjective(d, th);
  assert.equal(rep.holds, false);
  assert.ok(rep.consistent);
});

test("Jacobian columns are dmu of unit directions, and J vec(V) = vec(dmu[V])", () => {
  const Rr = rng(5);
  for (let t = 0; t < 40; t++) {
    const h = 1 + Rr.int(4);
    const d = Array.from({ length: h + 1 }, () => 1 + Rr.int(5));
    const th = generic(Rr, d);
    const J = dMuJacobian(d, th);
    const V = generic(Rr, d);
    const v = packTheta(d, V);
    const D = dMu(d, th, V);
    for (let p = 0; p < D.rows; p++) {
      for (let q = 0; q < D.columns; q++) {
        let s = 0;
        for (let k = 0; k < v.length; k++) s += J.get(p * D.columns + q, k) * v[k];
        assert.ok(Math.abs(s - D.get(p, q)) <= 1e-12 * Math.max(1, Math.abs(D.get(p, q))) * v.length);
      }
    }
    // unpackTheta(packTheta) round trip on the same order
    assert.deepEqual(packTheta(d, unpackTheta(d, v)), v);
  }
});

test("T1: Jacobian rank = dim sum_i Col(W_{>i}) ⊗ Row(W_{<i}) on 200 random generic and rank-deficient points", () => {
  const Rr = rng(77);
  let deficient = 0;
  for (let t = 0; t < 200; t++) {
    const h = 1 + Rr.int(4);
    const d = Array.from({ length: h + 1 }, () => 1 + Rr.int(5));
    const th = weightShapes(d).map(([r, c]) => (Rr.uniform() < 0.5 ? rankK(Rr, r, c, Rr.int(Math.min(r, c) + 1)) : Rr.gaussian(r, c)));
    const rank = dMuRank(d, th);
    const img = dMuImage(d, th);
    assert.equal(rank, img.dimension, `d=(${d}) ranks after ${img.ranksAfter} before ${img.ranksBefore}`);
    // the basis is orthonormal and spans the Jacobian's column space
    const B = img.basis;
    const BtB = mmul(transpose(B), B);
    for (let i = 0; i < BtB.rows; i++) for (let j = 0; j < BtB.columns; j++) assert.ok(Math.abs(BtB.get(i, j) - (i === j ? 1 : 0)) < 1e-10);
    const J = dMuJacobian(d, th);
    const resid = J.clone().sub(mmul(B, mmul(transpose(B), J))) as Matrix;
    assert.ok(resid.norm("frobenius") <= 1e-9 * Math.max(1, J.norm("frobenius")));
    const rep = isMaximalRank(d, th);
    assert.ok(rep.consistent, `d=(${d}): ${rep.reason}; measured ${rep.dMuRank}`);
    if (rank < functionalDim(d)) deficient++;
  }
  assert.ok(deficient >= 30, `only ${deficient} rank-deficient points`);
});
