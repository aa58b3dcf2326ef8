/**
 * Eigenvalues without eigenvectors (src/core/symEigvals.ts): the same numbers, to the last bit, as ml-matrix's
 * full `EigenvalueDecomposition` (the reference path `symEig(S, tol, "eager")`), on seeded random symmetric
 * matrices of every size up to 70 (the four-row blocks and their remainders), rank-deficient and block-diagonal
 * matrices (zero Householder columns), repeated eigenvalues, and a deep linear Hessian; plus identities that do
 * not depend on either implementation (trace, Frobenius norm, a known spectrum). Both backends: the JavaScript
 * loops and the WebAssembly SIMD kernel (which must be built), each against ml-matrix at every order 1..80 and a
 * spread of orders to 300, on random and structured matrices (zero, diagonal, rank one, repeated eigenvalues, block
 * diagonal, tiny and huge entries) and the 256-parameter deep linear Hessian of the bench's workload W3; and
 * neither backend reads the lower triangle.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EigenvalueDecomposition } from "ml-matrix";
import { Matrix, ShapeError, DomainError, mmul, rng, symEig, symEigvals, transpose } from "../../src";
import { Landscape } from "../../src/landscape/landscape";
import { DeepLinearNetwork } from "../../src/networks/deepLinear";
import { SquareLoss } from "../../src/losses/square";
import { eigvalsBackend, symTridiagEigvalsJs, symTridiagEigvalsSimd } from "../../src/core/symEigvals";

function randomSymmetric(n: number, seed: number): Matrix {
  const A = rng(seed).gaussian(n, n);
  const S = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S.set(i, j, 0.5 * (A.get(i, j) + A.get(j, i)));
  return S;
}

/** ml-matrix's eigenvalues, descending, straight from the library (no code of ours in between). */
function reference(S: Matrix): number[] {
  if (S.rows === 0) return [];
  return new EigenvalueDecomposition(S, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
}

function assertBitEqual(a: readonly number[], b: readonly number[], what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}: value ${i}: ${a[i]} vs ${b[i]}`);
}

test("symEigvals equals ml-matrix's eigenvalues to the last bit, n = 0..70", () => {
  for (let n = 0; n <= 70; n++) {
    const S = randomSymmetric(n, 1000 + n);
    assertBitEqual(symEigvals(S), reference(S), `n=${n}`);
    assertBitEqual(symEig(S).values, reference(S), `symEig n=${n}`);
  }
});

test("symEigvals: rank-deficient, block-diagonal and repeated spectra agree bit for bit", () => {
  const r = rng(7);
  for (const [n, k] of [[9, 3], [17, 1], [24, 5], [33, 0]] as const) {
    const B = r.gaussian(n, k);
    const S = k === 0 ? new Matrix(n, n) : mmul(B, transpose(B)); // rank k: zero columns in the reduction
    assertBitEqual(symEigvals(S), reference(S), `rank ${k} of ${n}`);
  }
  const D = new Matrix(12, 12);
  for (let i = 0; i < 12; i++) D.set(i, i, [3, 3, 3, -1, -1, 0, 0, 0, 2, 2, 5, 5][i]);
  const Q = symEig(randomSymmetric(12, 3), Infinity, "eager").vectors;
  const S = mmul(mmul(Q, D), transpose(Q));
  const sym = new Matrix(12, 12);
  for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) sym.set(i, j, 0.5 * (S.get(i, j) + S.get(j, i)));
  const vals = symEigvals(sym);
  assertBitEqual(vals, reference(sym), "repeated");
  const expected = [5, 5, 3, 3, 3, 2, 2, 0, 0, 0, -1, -1];
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(vals[i] - expected[i]) < 1e-12, `known spectrum ${i}: ${vals[i]}`);
  const blocks = new Matrix(10, 10);
  const a = randomSymmetric(4, 11);
  const b = randomSymmetric(6, 12);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) blocks.set(i, j, a.get(i, j));
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) blocks.set(4 + i, 4 + j, b.get(i, j));
  assertBitEqual(symEigvals(blocks), reference(blocks), "block diagonal");
});

test("symEigvals: trace and Frobenius identities on a 128×128 matrix", () => {
  const S = randomSymmetric(128, 5);
  const vals = symEigvals(S);
  let tr = 0;
  let fro = 0;
  for (let i = 0; i < 128; i++) {
    tr += S.get(i, i);
    for (let j = 0; j < 128; j++) fro += S.get(i, j) ** 2;
  }
  assert.ok(Math.abs(vals.reduce((s, x) => s + x, 0) - tr) < 1e-10 * 128);
  assert.ok(Math.abs(vals.reduce((s, x) => s + x * x, 0) - fro) < 1e-10 * fro);
  for (let i = 1; i < 128; i++) assert.ok(vals[i] <= vals[i - 1], "descending");
});

test("symEigvals on a deep linear Hessian (8-4-8, 64 parameters) equals the full decomposition bit for bit", () => {
  const r = rng(21);
  const net = new DeepLinearNetwork([8, 4, 8]);
  const L = new Landscape(net, new SquareLoss(r.gaussian(8, 8)));
  const H = L.hessian([r.gaussian(4, 8), r.gaussian(8, 4)]);
  assertBitEqual(symEigvals(H, Infinity), symEig(H, Infinity, "eager").values, "hessian");
});

test("symEig: lazy eigenvectors equal the eager ones and diagonalise S", () => {
  const S = randomSymmetric(20, 9);
  const lazy = symEig(S);
  const eager = symEig(S, 1e-8, "eager");
  assertBitEqual(lazy.values, eager.values, "values");
  const V = lazy.vectors;
  assert.equal(V, lazy.vectors, "computed once");
  for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) assert.ok(Object.is(V.get(i, j), eager.vectors.get(i, j)));
  const { values, vectors } = symEig(S); // destructuring reads the getter
  const SV = mmul(S, vectors);
  for (let k = 0; k < 20; k++) for (let i = 0; i < 20; i++) assert.ok(Math.abs(SV.get(i, k) - values[k] * vectors.get(i, k)) < 1e-10);
});

test("symEigvals / symEig: typed errors for bad input", () => {
  assert.throws(() => symEigvals(new Matrix(2, 3)), ShapeError);
  assert.throws(() => symEigvals(new Matrix([[1, 2], [3, 1]])), DomainError);
  assert.throws(() => symEigvals(new Matrix([[1, NaN], [NaN, 1]])), DomainError);
  assert.throws(() => symEig(new Matrix([[1]]), 1e-8, "soon" as "lazy"), DomainError);
});

/** Row-major copy of a Matrix (both triangles). */
function flat(S: Matrix): Float64Array {
  const n = S.rows;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = S.get(i, j);
  return a;
}

/** Both backends, ascending values turned descending, each against ml-matrix's eigenvalues bit for bit. */
function assertBackendsMatchReference(S: Matrix, what: string): void {
  const n = S.rows;
  const want = reference(S);
  const a = flat(S);
  const dJs = new Float64Array(n);
  symTridiagEigvalsJs(a.slice(), n, dJs, new Float64Array(n));
  const dSimd = new Float64Array(n);
  assert.ok(symTridiagEigvalsSimd(a, n, dSimd), "SIMD kernel not built");
  assertBitEqual(Array.from(dJs).reverse(), want, `${what} (js)`);
  assertBitEqual(Array.from(dSimd).reverse(), want, `${what} (wasm-simd)`);
}

test("the SIMD eigenvalue kernel is built and used", () => {
  assert.equal(eigvalsBackend(), "wasm-simd", "dist/wasm/symEigvals.wasm missing or not loadable: run `npm run build`");
});

test("both backends equal ml-matrix's eigenvalues to the last bit on random matrices, n = 1..80 and a spread to 300", () => {
  const orders: number[] = [];
  for (let n = 1; n <= 80; n++) orders.push(n);
  orders.push(97, 128, 131, 200, 255, 256, 257, 300);
  for (const n of orders) assertBackendsMatchReference(randomSymmetric(n, 5000 + n), `n=${n}`);
});

test("both backends equal ml-matrix on structured matrices: zero, diagonal, rank one, repeated, block diagonal, scaled", () => {
  const r = rng(77);
  for (const n of [1, 2, 7, 20, 33]) assertBackendsMatchReference(new Matrix(n, n), `zero ${n}`);
  const D = new Matrix(40, 40);
  for (let i = 0; i < 40; i++) D.set(i, i, i % 3 === 0 ? 2 : r.normal());
  assertBackendsMatchReference(D, "diagonal");
  for (const n of [9, 50, 65]) {
    const v = r.gaussian(n, 1);
    assertBackendsMatchReference(mmul(v, transpose(v)), `rank one ${n}`);
  }
  const Q = symEig(randomSymmetric(30, 78), Infinity, "eager").vectors;
  const L = new Matrix(30, 30);
  for (let i = 0; i < 30; i++) L.set(i, i, [4, 4, 4, 4, 0, 0, 0, -2, -2, 1][i % 10]);
  const R = mmul(mmul(Q, L), transpose(Q));
  const rep = new Matrix(30, 30);
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) rep.set(i, j, 0.5 * (R.get(i, j) + R.get(j, i)));
  assertBackendsMatchReference(rep, "repeated eigenvalues");
  const B = new Matrix(45, 45);
  for (const [o, m, seed] of [[0, 10, 1], [10, 1, 2], [11, 20, 3], [31, 14, 4]] as const) {
    const blk = randomSymmetric(m, 80 + seed);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) B.set(o + i, o + j, blk.get(i, j));
  }
  assertBackendsMatchReference(B, "block diagonal");
  for (const s of [1e-150, 1e150]) assertBackendsMatchReference(randomSymmetric(24, 90).mul(s), `scaled ${s}`);
});

test("both backends equal ml-matrix on the 256×256 Hessian of workload W3 ((16, 8, 16), square loss)", () => {
  const r = rng(33);
  const L = new Landscape(new DeepLinearNetwork([16, 8, 16]), new SquareLoss(r.gaussian(16, 16)));
  const x = new Float64Array(L.dim);
  const rx = rng(34);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * rx.normal();
  const H = L.hessian(L.unpack(x));
  assertBackendsMatchReference(H, "W3 Hessian");
  assertBitEqual(symEigvals(H, Infinity), reference(H), "symEigvals(W3 Hessian)");
});

test("both backends read only the upper triangle (the lower one may hold anything)", () => {
  for (const n of [5, 6, 9, 40, 67]) {
    const S = randomSymmetric(n, 6000 + n);
    const want = reference(S);
    const a = flat(S);
    const r = rng(n);
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = 1e6 * r.normal();
    const dJs = new Float64Array(n);
    symTridiagEigvalsJs(a.slice(), n, dJs, new Float64Array(n));
    const dSimd = new Float64Array(n);
    assert.ok(symTridiagEigvalsSimd(a, n, dSimd));
    assertBitEqual(Array.from(dJs).reverse(), want, `n=${n} (js)`);
    assertBitEqual(Array.from(dSimd).reverse(), want, `n=${n} (wasm-simd)`);
  }
});

test("symEigvals / symEig: error precedence and messages (non-finite, then symTol, then shape, then symmetry)", () => {
  const S = randomSymmetric(6, 40);
  S.set(2, 4, S.get(2, 4) + 1e-3);
  S.set(1, 5, S.get(1, 5) + 1e-3);
  for (const f of [symEigvals, (M: Matrix | number[][], t?: number) => symEig(M, t).values]) {
    assert.throws(() => f(S), (e: unknown) => e instanceof DomainError && /S must be symmetric; got S\[1\]\[5\]/.test(e.message)); // first pair in row-major order
    assert.throws(() => f(S.to2DArray()), (e: unknown) => e instanceof DomainError && /S\[1\]\[5\]/.test(e.message)); // arrays of rows alike
    assert.throws(() => f(S, -1), (e: unknown) => e instanceof DomainError && /symTol must be a number >= 0/.test(e.message));
    const bad = S.clone();
    bad.set(3, 0, Infinity);
    assert.throws(() => f(bad, -1), (e: unknown) => e instanceof DomainError && /S must have finite entries; got Infinity at \(3, 0\)/.test(e.message));
    assert.throws(() => f(new Matrix([[1, NaN, 0]]), -1), (e: unknown) => e instanceof DomainError && /finite/.test(e.message));
    assert.throws(() => f(new Matrix(2, 3), -1), (e: unknown) => e instanceof DomainError && /symTol/.test(e.message));
    assert.throws(() => f(new Matrix(2, 3)), ShapeError);
  }
  // within tolerance: the values are those of the symmetric part (S + S^T) / 2
  const sym = new Matrix(6, 6);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) sym.set(i, j, 0.5 * (S.get(i, j) + S.get(j, i)));
  assertBitEqual(symEigvals(S, 1e-2), reference(sym), "symmetric part");
  assertBitEqual(symEig(S, 1e-2).values, reference(sym), "symmetric part (symEig)");
});

test("symEigvals: consecutive calls of different orders (the reused buffer) give each matrix's own values", () => {
  for (const n of [200, 7, 120, 1, 64, 200]) {
    const S = randomSymmetric(n, 7000 + n);
    assertBitEqual(symEigvals(S), reference(S), `n=${n}`);
  }
});
