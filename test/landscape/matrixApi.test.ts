/**
 * The matrix API on the fast path (`value`, `gradient`, `valueAndGradient` on blocks): equal to the flat fast path to
 * the last bit, within 1e-12 of the generic reference through ml-matrix, never stale after `value(theta)` at another
 * point, and with the same typed errors for bad blocks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, MatrixTransposeView } from "ml-matrix";
import { rng } from "../../src/core/random";
import { DomainError, ShapeError } from "../../src/core/errors";
import { Landscape } from "../../src/landscape/landscape";
import { DeepLinearNetwork } from "../../src/networks/deepLinear";
import { SquareLossData, WeightedSquareLoss } from "../../src/losses/square";

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
  }
});
