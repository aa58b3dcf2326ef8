/**
 * The matrix API on the fast path (`value`, `gradient`, `valueAndGradient` on blocks): equal to the flat fast path to
 * the last bit, within 1e-12 of the generic reference through ml-matrix, never stale after `value(theta)` at another
 * point (nor after a point that differs only in the sign of a zero, nor after a call that failed half-way through
 * packing), returning ordinary ml-matrix Matrices with fresh `Float64Array` rows owned by the caller, and with the
 * same typed errors for bad blocks and for overflow.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, MatrixTransposeView } from "ml-matrix";
import { rng } from "../../src/core/random";
import { DomainError, OverflowError, ShapeError } from "../../src/core/errors";
import { Landscape } from "../../src/landscape/landscape";
import { DeepLinearNetwork } from "../../src/networks/deepLinear";
import { SquareLoss, SquareLossData, WeightedSquareLoss } from "../../src/losses/square";

function flatOf(blocks: Matrix[]): number[] {
  return blocks.flatMap((B) => B.to2DArray().flat());
}

test("matrix API on the fast path equals the flat path bit for bit and the generic path within 1e-12", () => {
  const r = rng(12);
  const cases = [
    new Landscape(new DeepLinearNetwork([8, 6, 4, 6, 8]), new SquareLossData(r.gaussian(8, 64), r.gaussian(8, 64))),
    new Landscape(new DeepLinearNetwork([2, 1, 2]), new WeightedSquareLoss([[1, 10], [10, 1]], [[1, 0], [0, 0.8]])),
    // rows longer than 8 entries: gradient blocks on one buffer each
    new Landscape(new DeepLinearNetwork([11, 9, 3, 10]), new SquareLossData(r.gaussian(11, 30), r.gaussian(10, 30))),
  ];
  for (const L of cases) {
    assert.ok(L.fastPath);
    for (let t = 0; t < 3; t++) {
      const x = new Float64Array(L.dim).map(() => r.normal() / 2);
      const y = new Float64Array(L.dim).map(() => r.normal() / 2);
      const theta = L.unpack(x);
      const g = new Float64Array(L.dim);
      const gref = new Float64Array(L.dim);
      const v = L.valueAndGradientFlat(x, g);
      const vgen = L.valueAndGradientFlatGeneric(x, gref);
      L.value(L.unpack(y)); // an evaluation at another point must not leak into the next gradient
      const vm = L.value(theta);
      const gm = flatOf(L.gradient(theta));
      const both = L.valueAndGradient(theta);
      assert.ok(Object.is(vm, v) && Object.is(both.value, v));
      for (let k = 0; k < L.dim; k++) {
        assert.ok(Object.is(gm[k], g[k]), `gradient[${k}]`);
        assert.ok(Object.is(flatOf(both.gradient)[k], g[k]), `valueAndGradient[${k}]`);
        assert.ok(Math.abs(gm[k] - gref[k]) <= 1e-12 * Math.max(1, Math.abs(gref[k])), `generic gradient[${k}]`);
      }
      assert.ok(Math.abs(vm - vgen) <= 1e-12 * Math.max(1, Math.abs(vgen)));
      const gy = new Float64Array(L.dim);
      L.value(theta);
      L.valueAndGradientFlat(y, gy);
      const gAfter = flatOf(L.gradient(theta));
      for (let k = 0; k < L.dim; k++) assert.ok(Object.is(gAfter[k], g[k]), "not stale after a flat call elsewhere");
    }
  }
});

test("matrix API: blocks given as matrix views pack like copies; returned gradients are independent of later calls", () => {
  const r = rng(13);
  const L = new Landscape(new DeepLinearNetwork([11, 9, 3, 10]), new SquareLossData(r.gaussian(11, 30), r.gaussian(10, 30)));
  const x = new Float64Array(L.dim).map(() => r.normal() / 2);
  const theta = L.unpack(x);
  // transposes of transposes: views (not Matrix instances) with the same entries
  const views = theta.map((B) => new MatrixTransposeView(B.transpose()));
  assert.ok(!(views[0] instanceof Matrix));
  const a = L.valueAndGradient(theta);
  const b = L.valueAndGradient(views as unknown as Matrix[]);
  assert.ok(Object.is(a.value, b.value));
  assert.deepEqual(flatOf(a.gradient), flatOf(b.gradient));
  const before = flatOf(a.gradient);
  a.gradient[1].set(0, 0, 123);
  L.gradient(L.unpack(new Float64Array(L.dim).map(() => r.normal())));
  const after = flatOf(a.gradient);
  assert.equal(after[a.gradient[0].rows * a.gradient[0].columns], 123);
  after[a.gradient[0].rows * a.gradient[0].columns] = before[a.gradient[0].rows * a.gradient[0].columns];
  assert.deepEqual(after, before, "a later call does not write into an earlier result");
  assert.deepEqual(flatOf(L.gradient(theta)), flatOf(b.gradient), "writing into a result does not change the next one");
});

test("matrix API on the fast path: typed errors for bad blocks", () => {
  const L = new Landscape(new DeepLinearNetwork([2, 1, 2]), new WeightedSquareLoss([[1, 10], [10, 1]], [[1, 0], [0, 0.8]]));
  const ok = L.unpack(new Float64Array(4).fill(0.5));
  const nan = [new Matrix([[NaN, 1]]), ok[1]];
  for (const f of [(t: Matrix[]) => L.value(t), (t: Matrix[]) => L.gradient(t), (t: Matrix[]) => L.valueAndGradient(t)]) {
    assert.throws(() => f([ok[0]]), ShapeError);
    assert.throws(() => f([ok[1], ok[0]]), ShapeError);
    assert.throws(() => f(nan), DomainError);
    assert.throws(() => f("x" as unknown as Matrix[]), ShapeError);
    // a matrix view whose entries are not numbers: the typed error of the generic path, never a plain TypeError
    for (const v of [1n, "0.5", undefined]) {
      const view = { rows: 1, columns: 2, get: () => v };
      assert.throws(() => f([view as unknown as Matrix, ok[1]]), (e: unknown) => e instanceof DomainError && /theta\[0\] must have finite entries/.test(String(e)));
    }
  }
});

test("matrix API: gradients are ordinary Matrices with fresh Float64Array rows, owned by the caller", () => {
  const r = rng(14);
  const cases = [
    new Landscape(new DeepLinearNetwork([8, 6, 4, 6, 8]), new SquareLossData(r.gaussian(8, 40), r.gaussian(8, 40))),
    new Landscape(new DeepLinearNetwork([11, 9, 3, 10]), new SquareLossData(r.gaussian(11, 30), r.gaussian(10, 30))),
  ];
  for (const L of cases) {
    const x = new Float64Array(L.dim).map(() => r.normal() / 2);
    const theta = L.unpack(x);
    const g = new Float64Array(L.dim);
    L.valueAndGradientFlat(x, g);
    const results = [L.gradient(theta), L.valueAndGradient(theta).gradient, L.gradient(theta)];
    const seen = new Set<unknown>();
    for (const G of results) {
      assert.equal(G.length, L.net.paramShapes.length);
      G.forEach((B, b) => {
        const [rows, cols] = L.net.paramShapes[b];
        assert.ok(B instanceof Matrix && Matrix.isMatrix(B), "an ml-matrix Matrix");
        assert.equal(B.rows, rows);
        assert.equal(B.columns, cols);
        assert.equal(B.data.length, rows);
        for (const row of B.data) {
          assert.ok(row instanceof Float64Array && row.length === cols, "rows are Float64Arrays of the block's width");
          assert.ok(!seen.has(row), "no row shared between blocks or results");
          seen.add(row);
          if (cols <= 8) {
            assert.ok(!seen.has(row.buffer), "short rows own their buffer");
            seen.add(row.buffer);
          }
        }
        // the Matrix methods behave as on any Matrix
        const I = Matrix.eye(cols);
        assert.deepEqual(B.mmul(I).to2DArray(), B.to2DArray());
        assert.deepEqual(B.clone().to2DArray(), B.to2DArray());
        assert.equal(B.transpose().get(cols - 1, 0), B.get(0, cols - 1));
      });
      assert.deepEqual(flatOf(G), Array.from(g));
    }
    // writing into every returned entry changes neither the other results nor the next one
    for (const B of results[0]) for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.columns; j++) B.set(i, j, -7);
    assert.deepEqual(flatOf(results[1]), Array.from(g));
    assert.deepEqual(flatOf(results[2]), Array.from(g));
    assert.deepEqual(flatOf(L.gradient(theta)), Array.from(g));
    assert.deepEqual(flatOf(L.valueAndGradient(theta).gradient), Array.from(g));
  }
});

test("matrix API: value(theta) then gradient(theta') reuses the forward pass only for the same point bit for bit", () => {
  // l = ||W - Q||^2 on one 2×2 layer: grad = 2 (W - Q), so the sign of a zero entry of W reaches the gradient
  const L = new Landscape(new DeepLinearNetwork([2, 2]), new SquareLoss([[0, 1], [1, 0]]));
  const plus = [new Matrix([[0, 0.5], [0.25, 0]])];
  const minus = [new Matrix([[-0, 0.5], [0.25, -0]])];
  for (const [first, second] of [[plus, minus], [minus, plus]]) {
    const flat = L.gradientFlat(L.pack(second));
    L.value(first);
    const G = flatOf(L.gradient(second));
    for (let k = 0; k < L.dim; k++) assert.ok(Object.is(G[k], flat[k]), `entry ${k}: ${G[k]} vs ${flat[k]}`);
  }
  assert.ok(Object.is(L.gradient(minus)[0].get(0, 0), -0) && Object.is(L.gradient(plus)[0].get(0, 0), 0));
  // the same point: the reused evaluation gives the same bits as a fresh one
  const vm = L.value(minus);
  const a = flatOf(L.gradient(minus));
  assert.ok(Object.is(vm, L.valueFlat(L.pack(minus))));
  const b = Array.from(L.gradientFlat(L.pack(minus)));
  for (let k = 0; k < L.dim; k++) assert.ok(Object.is(a[k], b[k]));
});

test("matrix API: a call that fails half-way through packing leaves nothing to reuse", () => {
  const r = rng(15);
  const L = new Landscape(new DeepLinearNetwork([3, 2, 3]), new SquareLossData(r.gaussian(3, 10), r.gaussian(3, 10)));
  const t1 = L.unpack(new Float64Array(L.dim).map(() => r.normal()));
  const t2 = L.unpack(new Float64Array(L.dim).map(() => r.normal()));
  const mixed = [t2[0], t1[1]];
  const flat = L.gradientFlat(L.pack(mixed));
  for (const [bad, error] of [[new Matrix(2, 2), ShapeError], [new Matrix([[1, 2], [NaN, 3], [4, 5]]), DomainError], ["x", ShapeError]] as const) {
    L.value(t1);
    // the first block is read before the second one fails its check: the mixed point [t2[0], t1[1]] must be evaluated
    assert.throws(() => L.gradient([t2[0], bad as Matrix]), error);
    const G = flatOf(L.gradient(mixed));
    for (let k = 0; k < L.dim; k++) assert.ok(Object.is(G[k], flat[k]), `entry ${k}`);
  }
});

test("matrix API: overflow is an OverflowError naming the value or the derivative, as on the flat path", () => {
  // l = ||W2 W1 - 0||^2 on widths (1, 1, 1): W1 = 1.5e308, W2 = 2 / 1.5e308 gives a finite value (about 4) and an
  // infinite dL/dW2 = 2 (W2 W1) W1; W1 = W2 = 1e200 overflows the value itself
  const L = new Landscape(new DeepLinearNetwork([1, 1, 1]), new SquareLoss([[0]]));
  const derivative = [new Matrix([[1.5e308]]), new Matrix([[2 / 1.5e308]])];
  const value = [new Matrix([[1e200]]), new Matrix([[1e200]])];
  assert.ok(Number.isFinite(L.value(derivative)));
  for (const [theta, what] of [[derivative, /non-finite derivative/], [value, /non-finite value/]] as const) {
    assert.throws(() => L.gradientFlat(L.pack(theta)), (e: unknown) => e instanceof OverflowError && what.test(String(e)));
    assert.throws(() => L.gradient(theta), (e: unknown) => e instanceof OverflowError && what.test(String(e)) && /Landscape\.gradient/.test(String(e)));
    assert.throws(() => L.valueAndGradient(theta), (e: unknown) => e instanceof OverflowError && what.test(String(e)) && /Landscape\.valueAndGradient/.test(String(e)));
  }
  assert.throws(() => L.value(value), (e: unknown) => e instanceof OverflowError && /non-finite value/.test(String(e)));
});
