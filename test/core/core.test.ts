/**
 * Core: seeded randomness, checked products, decompositions (identities on seeded random matrices),
 * block packing, NNLS.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Matrix,
  blocksDot,
  colSpace,
  frobNorm,
  maxAbsDiff,
  mmul,
  nnls,
  numericalRank,
  orthComplement,
  packBlocks,
  pinv,
  recessionDirection,
  rng,
  svd,
  symEig,
  transpose,
  unpackBlocks,
} from "../../src";

test("rng: equal seeds give equal streams; forks are independent and reproducible", () => {
  const a = rng(42);
  const b = rng(42);
  for (let k = 0; k < 100; k++) assert.equal(a.uniform(), b.uniform());
  assert.deepEqual(rng(1).gaussian(3, 3).to2DArray(), rng(1).gaussian(3, 3).to2DArray());
  assert.notDeepEqual(rng(1).gaussian(2, 2).to2DArray(), rng(2).gaussian(2, 2).to2DArray());
  const Q = rng(3).orthogonal(5);
  assert.ok(maxAbsDiff(mmul(transpose(Q), Q), Matrix.eye(5) as Matrix) < 1e-12);
  // normal moments over 20000 draws
  const r = rng(5);
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < 20000; k++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / 20000) < 0.03 && Math.abs(s2 / 20000 - 1) < 0.04);
});

test("checked mmul refuses what ml-matrix silently accepts", () => {
  const A = new Matrix([[1, 2]]);
  const B = new Matrix([[1], [1], [1]]);
  assert.equal((A.mmul(B) as Matrix).get(0, 0), 3); // the trap
  assert.throws(() => mmul(A, B));
});

test("svd, pinv, symEig, subspaces: identities on seeded random matrices", () => {
  const R = rng(17);
  for (let t = 0; t < 30; t++) {
    const m = 1 + R.int(6);
    const n = 1 + R.int(6);
    const k = R.int(Math.min(m, n) + 1);
    const A = k === 0 ? new Matrix(m, n) : mmul(R.gaussian(m, k), R.gaussian(k, n));
    const A0 = A.clone();
    const { U, s, V } = svd(A);
    for (let i = 1; i < s.length; i++) assert.ok(s[i - 1] >= s[i]);
    const S = new Matrix(s.length, s.length);
    s.forEach((x, i) => S.set(i, i, x));
    assert.ok(maxAbsDiff(mmul(mmul(U, S), transpose(V)), A) < 1e-10 * Math.max(1, s[0] ?? 0));
    assert.equal(numericalRank(A), k);
    const P = pinv(A);
    // Penrose conditions
    assert.ok(maxAbsDiff(mmul(mmul(A, P), A), A) < 1e-9 * Math.max(1, frobNorm(A)));
    assert.ok(maxAbsDiff(mmul(mmul(P, A), P), P) < 1e-9 * Math.max(1, frobNorm(P)));
    const C = colSpace(A);
    assert.equal(C.columns, k);
    const Cp = orthComplement(A);
    assert.equal(Cp.columns, m - k);
    if (Cp.columns > 0 && A.columns > 0) assert.ok(frobNorm(mmul(transpose(Cp), A)) < 1e-9 * Math.max(1, frobNorm(A)));
    assert.deepEqual(A.to2DArray(), A0.to2DArray());
    const Sym = mmul(A, transpose(A));
    const e = symEig(Sym);
    for (let i = 1; i < e.values.length; i++) assert.ok(e.values[i - 1] >= e.values[i]);
    const D = new Matrix(m, m);
    e.values.forEach((x, i) => D.set(i, i, x));
    assert.ok(maxAbsDiff(mmul(mmul(e.vectors, D), transpose(e.vectors)), Sym) < 1e-9 * Math.max(1, frobNorm(Sym)));
  }
});

test("packBlocks / unpackBlocks round trip, block by block row-major", () => {
  const shapes: Array<[number, number]> = [[2, 3], [1, 1], [3, 2]];
  const R = rng(2);
  const blocks = shapes.map(([r, c]) => R.gaussian(r, c));
  const x = packBlocks(shapes, blocks);
  assert.equal(x.length, 6 + 1 + 6);
  assert.equal(x[1], blocks[0].get(0, 1));
  assert.equal(x[3], blocks[0].get(1, 0));
  assert.equal(x[6], blocks[1].get(0, 0));
  const back = unpackBlocks(shapes, x);
  back.forEach((B, k) => assert.deepEqual(B.to2DArray(), blocks[k].to2DArray()));
  assert.equal(blocksDot(blocks, blocks), x.reduce((s, v) => s + v * v, 0));
});

test("nnls: KKT conditions hold; recessionDirection decides Stiemke's alternative", () => {
  const R = rng(6);
  for (let t = 0; t < 30; t++) {
    const p = 2 + R.int(5);
    const q = 1 + R.int(6);
    const M = R.gaussian(p, q);
    const b = Array.from({ length: p }, () => R.normal());
    const { x, residual } = nnls(M, b);
    const r = b.map((bi, i) => bi - x.reduce((s, xj, j) => s + M.get(i, j) * xj, 0));
    assert.ok(Math.abs(Math.sqrt(r.reduce((s, v) => s + v * v, 0)) - residual) < 1e-12);
    for (let j = 0; j < q; j++) {
      const w = r.reduce((s, ri, i) => s + M.get(i, j) * ri, 0); // -gradient
      assert.ok(x[j] >= 0);
      assert.ok(w <= 1e-9, `dual feasibility ${w}`);
      if (x[j] > 1e-12) assert.ok(Math.abs(w) < 1e-9, `complementarity ${w}`);
    }
  }
  // rows e1, -e1: A d >= 0 forces d1 = 0, only the e2 direction remains, with A d = 0 -> no recession
  assert.equal(recessionDirection(new Matrix([[1, 0], [-1, 0]])).exists, false);
  // rows e1, e2: d = (1, 1) gives A d > 0
  assert.equal(recessionDirection(new Matrix([[1, 0], [0, 1]])).exists, true);
});

test("rng: seeds are integers in [0, 2^53 - 1]; others are refused; distinct seeds give distinct streams", async () => {
  const { rng: mk, MAX_SEED } = await import("../../src/core/random");
  const { DomainError: DE } = await import("../../src/core/errors");
  const head = (s: number) => { const r = mk(s); return Array.from({ length: 4 }, () => r.nextUint32()).join(","); };
  const seeds = [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40, MAX_SEED];
  assert.equal(new Set(seeds.map(head)).size, seeds.length);
  assert.equal(head(2 ** 32), head(2 ** 32));
  for (const bad of [-1, 0.5, 1e300, 2 ** 53, NaN, Infinity, "1" as unknown as number]) assert.throws(() => mk(bad), DE);
});
