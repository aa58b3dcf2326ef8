import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, rowMajorMatrix, mmul, transpose } from "../../src/core/matrix";
import { DomainError } from "../../src/core/errors";

test("rowMajorMatrix: entry (i, j) is flat[offset + i n + j], rows are views (writes go both ways), ml-matrix operations agree", () => {
  const flat = Float64Array.from({ length: 2 + 12 }, (_, k) => (k * 7) % 11 - 3.5);
  const M = rowMajorMatrix(3, 4, flat, 2);
  assert.ok(M instanceof Matrix);
  assert.equal(M.rows, 3);
  assert.equal(M.columns, 4);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) assert.equal(M.get(i, j), flat[2 + i * 4 + j]);
  const copy = new Matrix(M.to2DArray());
  assert.deepEqual(mmul(M, transpose(M)).to2DArray(), mmul(copy, transpose(copy)).to2DArray());
  M.set(1, 2, 99);
  assert.equal(flat[2 + 6], 99);
  flat[2 + 11] = -7;
  assert.equal(M.get(2, 3), -7);
  assert.equal(flat[0], -3.5); // before the offset: untouched
});

test("rowMajorMatrix: without a buffer it is the zero matrix; bad sizes and short buffers are DomainErrors", () => {
  assert.deepEqual(rowMajorMatrix(2, 3).to2DArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(rowMajorMatrix(0, 3).rows, 0);
  assert.throws(() => rowMajorMatrix(2, 3, new Float64Array(5)), DomainError);
  assert.throws(() => rowMajorMatrix(2, 3, new Float64Array(7), 2), DomainError);
  assert.throws(() => rowMajorMatrix(-1, 3), DomainError);
  assert.throws(() => rowMajorMatrix(2, 1.5), DomainError);
  assert.throws(() => rowMajorMatrix(2, 2, new Float64Array(8), -1), DomainError);
  assert.throws(() => rowMajorMatrix(2, 2, [1, 2, 3, 4] as unknown as Float64Array), DomainError);
});
