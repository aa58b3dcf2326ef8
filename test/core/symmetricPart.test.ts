/**
 * The input checks and the symmetrisation inside `symEig` / `symEigvals` (src/core/linalg.ts `symmetricPart`):
 * whole-row copies, a tiled symmetry pass and a reused buffer must give the same results and the same errors as
 * the plain entry-by-entry definition `(S + S^T)/2` after `|S_ij - S_ji| <= symTol max(1, |S|_max)`; and the reused
 * buffer must not leak between calls (lazy eigenvectors of an earlier call stay those of its own matrix).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MatrixTransposeView } from "ml-matrix";
import { DomainError, Matrix, ShapeError, mmul, rng, symEig, symEigvals, transpose } from "../../src";

/** A symmetric matrix plus a perturbation of size `eps` on the upper triangle (`n × n`, seeded). */
function nearlySymmetric(n: number, seed: number, eps: number): Matrix {
  const r = rng(seed);
  const A = r.gaussian(n, n);
  const S = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S.set(i, j, A.get(Math.min(i, j), Math.max(i, j)) + (j > i ? eps * r.normal() : 0));
  return S;
}

/** `(S + S^T)/2` entry by entry, as a Matrix (the definition). */
function symmetrised(S: Matrix): Matrix {
  const n = S.rows;
  const T = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) T.set(i, j, i === j ? S.get(i, i) : 0.5 * (S.get(i, j) + S.get(j, i)));
  return T;
}

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return "no error";
}

test("a nearly symmetric matrix gives the eigenvalues of its symmetrised part, bit for bit (n = 1..80, Matrix, rows, transpose view)", () => {
  for (const n of [1, 2, 5, 31, 32, 33, 64, 80]) {
    const S = nearlySymmetric(n, 100 + n, 1e-12);
    const ref = symEig(symmetrised(S), 0, "eager").values;
    const inputs: Array<[string, Matrix | number[][]]> = [["Matrix", S], ["rows", S.to2DArray()], ["transpose view", new MatrixTransposeView(S) as unknown as Matrix]];
    for (const [what, A] of inputs) {
      const a = symEigvals(A, 1e-10);
      const b = symEig(A, 1e-10).values;
      for (let k = 0; k < n; k++) {
        assert.ok(Object.is(a[k], ref[k]), `n=${n} ${what}: symEigvals ${k}`);
        assert.ok(Object.is(b[k], ref[k]), `n=${n} ${what}: symEig ${k}`);
      }
    }
  }
});

test("asymmetry: the first offending pair in row-major order is reported, also across 32×32 tiles", () => {
  const n = 40;
  const S = nearlySymmetric(n, 7, 0);
  S.set(1, 2, S.get(1, 2) + 1); // found first by a tiled pass (tile 0, 0)
  S.set(0, 35, S.get(0, 35) + 1); // first in row-major order (tile 0, 1)
  const msg = messageOf(() => symEigvals(S));
  assert.match(msg, /^DomainError: symEigvals: S must be symmetric; got S\[0\]\[35\] = /);
  assert.match(messageOf(() => symEig(S)), /^DomainError: symEig: S must be symmetric; got S\[0\]\[35\] = /);
  // the tolerance is relative to max(1, |S|_max): within it no error, and the mean is used
  const T = nearlySymmetric(n, 7, 0);
  T.set(3, 4, T.get(3, 4) + 1e-9);
  assert.equal(messageOf(() => symEigvals(T, 1e-8)), "no error");
  assert.match(messageOf(() => symEigvals(T, 1e-12)), /S\[3\]\[4\]/);
});

test("errors keep their order and text: non-finite before symTol before square before symmetric", () => {
  const bad = new Matrix([[1, 2, 3], [Infinity, 1, NaN]]);
  assert.equal(messageOf(() => symEigvals(bad, -1)), "DomainError: symEigvals: S must have finite entries; got Infinity at (1, 0)");
  const nan = new Matrix([[1, NaN], [Infinity, 1]]);
  assert.equal(messageOf(() => symEig(nan)), "DomainError: symEig: S must have finite entries; got NaN at (0, 1)");
  assert.match(messageOf(() => symEigvals(new Matrix(2, 3), -1)), /^DomainError: symEigvals: symTol must be a number >= 0/);
  assert.match(messageOf(() => symEigvals(new Matrix(2, 3))), /^ShapeError: symEigvals: S must be square; got 2×3/);
  assert.throws(() => symEigvals([[1, 2], [3]]), ShapeError);
  assert.throws(() => symEigvals("S" as unknown as Matrix), ShapeError);
  assert.throws(() => symEigvals(new Matrix([[1, 2], [2, 1]]), NaN), DomainError);
});

test("the reused buffer does not leak: lazy eigenvectors belong to their own matrix after later calls", () => {
  const A = nearlySymmetric(24, 1, 0);
  const B = nearlySymmetric(24, 2, 0);
  const eA = symEig(A);
  const valsB = symEigvals(B);
  const eB = symEig(B);
  symEigvals(nearlySymmetric(30, 3, 0)); // overwrites the buffer
  const check = (S: Matrix, values: number[], V: Matrix): void => {
    const SV = mmul(S, V);
    for (let k = 0; k < values.length; k++) for (let i = 0; i < values.length; i++) assert.ok(Math.abs(SV.get(i, k) - values[k] * V.get(i, k)) < 1e-10);
    const VtV = mmul(transpose(V), V);
    for (let i = 0; i < values.length; i++) assert.ok(Math.abs(VtV.get(i, i) - 1) < 1e-12);
  };
  check(A, eA.values, eA.vectors);
  check(B, eB.values, eB.vectors);
  for (let k = 0; k < 24; k++) assert.ok(Object.is(valsB[k], eB.values[k]));
  // the input is never modified
  const C = nearlySymmetric(10, 4, 1e-12);
  const before = C.to2DArray();
  symEigvals(C, 1e-9);
  symEig(C, 1e-9).vectors;
  assert.deepEqual(C.to2DArray(), before);
});
