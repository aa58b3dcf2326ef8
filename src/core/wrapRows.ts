/**
 * Building an ml-matrix `Matrix` around rows that the caller has just allocated (internal: not re-exported from the
 * library's entry; the public, checked form is `matrixOfRows` in `./matrix`).
 * @module
 */
import { Matrix } from "ml-matrix";

/**
 * The `m × n` Matrix whose rows are `data` (taken, not copied), unchecked: the caller guarantees `m` rows, each a
 * fresh `Float64Array` of length `n`. The result is an ordinary `Matrix` (made by its constructor, as an empty
 * matrix, then given the rows: the fields and their order are those of `new Matrix(m, n)`), without the
 * constructor's row-by-row allocation. Generic infrastructure of the hot paths that fill fresh rows themselves (the
 * landscape's gradient blocks).
 * @throws never.
 */
export function wrapRows(m: number, n: number, data: Float64Array[]): Matrix {
  const M = new Matrix(0, 0);
  (M as unknown as { data: Float64Array[] }).data = data;
  (M as unknown as { rows: number }).rows = m;
  (M as unknown as { columns: number }).columns = n;
  return M;
}
