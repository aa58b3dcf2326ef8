/**
 * Checked matrix arithmetic over ml-matrix.
 *
 * ml-matrix's `mmul` does not check inner dimensions (`[[1,2]]·[[1],[1],[1]]` returns `[[3]]`) and its
 * instance arithmetic mutates the receiver (`A.sub(B)` changes `A`). The library therefore multiplies,
 * adds and scales only through these functions, which check shapes and never modify their arguments.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, OverflowError, ShapeError, describe } from "./errors";
import { checkWork, WORK_LIMITS } from "./options";
import { wrapRows } from "./wrapRows";

export { Matrix };

/** Something that can be turned into a matrix: a Matrix or an array of equal-length number rows. */
export type MatrixLike = Matrix | ReadonlyArray<ReadonlyArray<number>>;

/** `"m×n"` for a matrix (`describe(A)` for anything else). */
export function shapeOf(A: { rows: number; columns: number }): string {
  if (!A || typeof A !== "object" || typeof A.rows !== "number") return describe(A);
  return `${A.rows}×${A.columns}`;
}

/** True when `A` is an ml-matrix matrix (or a view with the same interface). */
export function isMatrix(A: unknown): A is Matrix {
  return (
    A instanceof Matrix ||
    (typeof A === "object" && A !== null && typeof (A as Matrix).get === "function" && typeof (A as Matrix).rows === "number")
  );
}

/**
 * Converts and validates a matrix argument: a copy of `A` as a `Matrix` whose entries are all finite.
 * @param fn - the public function name, for the error message.
 * @param name - the argument name, for the error message.
 * @throws ShapeError when rows are ragged or `A` is not matrix-like; DomainError for a non-finite entry.
 */
export function toMatrix(fn: string, name: string, A: unknown): Matrix {
  let M: Matrix;
  if (isMatrix(A)) {
    M = (A as Matrix).clone() as Matrix;
  } else if (Array.isArray(A)) {
    return fromRows(fn, name, A);
  } else {
    throw new ShapeError(fn, `${name} must be a Matrix or an array of rows; got ${describe(A)}`);
  }
  assertFinite(fn, name, M);
  return M;
}

/** A checked Matrix from an array of equal-length rows of finite numbers. */
function fromRows(fn: string, name: string, A: readonly unknown[]): Matrix {
  if (A.length === 0) throw new ShapeError(fn, `${name} must have at least one row; got []`);
  const cols = Array.isArray(A[0]) ? A[0].length : -1;
  for (let i = 0; i < A.length; i++) {
    const row = A[i];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new ShapeError(fn, `${name} must be an array of equal-length rows; row ${i} is ${describe(row)}, row 0 has length ${cols}`);
    }
  }
  const M = new Matrix(A.length, cols);
  for (let i = 0; i < A.length; i++) {
    const row = A[i] as unknown[];
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `${name} must have finite number entries; got ${describe(v)} at (${i}, ${j})`);
      M.set(i, j, v);
    }
  }
  return M;
}

/**
 * A matrix argument as a Matrix without copying: a Matrix (checked for finite entries) is returned itself, an array
 * of equal-length rows of finite numbers is converted. Used at every public entry that reads (never writes) a matrix.
 * @param fn - the public function, for the message. @param name - the argument's name.
 * @throws ShapeError unless `A` is a Matrix or an array of equal-length rows; DomainError for a non-finite or
 *   non-numeric entry.
 */
export function asMatrix(fn: string, name: string, A: unknown): Matrix {
  if (Array.isArray(A)) return fromRows(fn, name, A);
  if (!isMatrix(A)) throw new ShapeError(fn, `${name} must be a Matrix or an array of rows; got ${describe(A)}`);
  assertFinite(fn, name, A);
  return A;
}

/**
 * Asserts that every entry of `A` is finite (no NaN, no ±Infinity): the check at every public boundary that
 * takes a matrix (docs/theory.md#degenerate).
 * @param fn - the public function's name, for the message (`fn: what must hold; got value`).
 * @param name - the argument's name, e.g. `"W"` or `"theta[1]"`.
 * @param A - any `m×n` matrix; not modified.
 * @throws DomainError naming the first non-finite entry of `A` and its position `(i, j)`.
 */
export function assertFinite(fn: string, name: string, A: Matrix): void {
  if (!isMatrix(A)) throw new ShapeError(fn, `${name} must be a Matrix; got ${describe(A)}`);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.columns; j++) {
      const v = A.get(i, j);
      if (!Number.isFinite(v)) throw new DomainError(fn, `${name} must have finite entries; got ${describe(v)} at (${i}, ${j})`);
    }
  }
}

/**
 * Asserts that a scalar argument is a finite number (narrows `x` to `number`).
 * @param fn - the public function's name, for the message. @param name - the argument's name.
 * @throws DomainError unless `x` is a finite number (rejects NaN, ±Infinity and non-numbers).
 */
export function assertFiniteNumber(fn: string, name: string, x: unknown): asserts x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) throw new DomainError(fn, `${name} must be a finite number; got ${describe(x)}`);
}

/**
 * Asserts the shape of a matrix argument: `A` must be `rows × cols`, with `null` for a free dimension (e.g. the
 * `W_i` of a network must be `d_i × d_{i-1}`, G1/T1 notation).
 * @param fn - the public function's name. @param name - the argument's name. @param A - the matrix (not modified).
 * @param rows - required row count or `null`. @param cols - required column count or `null`.
 * @param why - where the expected shape comes from, quoted in the message, e.g. `"widths[2]×widths[1]"`.
 * @throws ShapeError unless `A` is `rows × cols`, naming both shapes.
 */
export function assertShape(fn: string, name: string, A: Matrix, rows: number | null, cols: number | null, why?: string): void {
  if (!isMatrix(A)) throw new ShapeError(fn, `${name} must be a Matrix; got ${describe(A)}`);
  if ((rows !== null && A.rows !== rows) || (cols !== null && A.columns !== cols)) {
    const want = `${rows ?? "any"}×${cols ?? "any"}`;
    throw new ShapeError(fn, `${name} must be ${want}${why ? ` (${why})` : ""}; got ${shapeOf(A)}`);
  }
}

/**
 * Checked product `A B`.
 * @throws ShapeError if `A.columns !== B.rows`, naming both shapes.
 */
export function mmul(A: MatrixLike, B: MatrixLike, fn = "mmul", names: [string, string] = ["A", "B"]): Matrix {
  A = asMatrix(fn, names[0], A);
  B = asMatrix(fn, names[1], B);
  if (A.columns !== B.rows) {
    throw new ShapeError(fn, `inner dimensions must agree in ${names[0]}·${names[1]}; got ${shapeOf(A)}·${shapeOf(B)}`);
  }
  return checkedResult(fn, A.mmul(B) as Matrix); // ml-matrix mmul returns a new matrix and leaves A, B unchanged
}

/**
 * Checked product of a chain `A_1 A_2 ... A_k` (k >= 1), left to right; a single factor is returned as a copy.
 * @param factors - `A_i` is `n_{i-1} × n_i`.
 * @throws ShapeError if `factors` is empty, or if two neighbours' inner dimensions differ (naming both shapes).
 */
export function mmulChain(factors: readonly MatrixLike[], fn = "mmulChain"): Matrix {
  if (!Array.isArray(factors)) throw new ShapeError(fn, `factors must be an array of matrices; got ${describe(factors)}`);
  if (factors.length === 0) throw new ShapeError(fn, "factors must be non-empty; got []");
  let P = asMatrix(fn, "factors[0]", factors[0]);
  for (let k = 1; k < factors.length; k++) P = mmul(P, factors[k], fn, [`factors[${k - 1}]`, `factors[${k}]`]);
  return factors.length === 1 ? (P.clone() as Matrix) : P;
}

/**
 * `A + B` (new matrix).
 * @throws ShapeError unless shapes agree.
 */
export function add(A: MatrixLike, B: MatrixLike, fn = "add"): Matrix {
  const [P, Q] = sameShape(fn, A, B);
  return checkedResult(fn, Matrix.add(P, Q) as Matrix);
}

/**
 * `A - B` (new matrix).
 * @throws ShapeError unless shapes agree.
 */
export function sub(A: MatrixLike, B: MatrixLike, fn = "sub"): Matrix {
  const [P, Q] = sameShape(fn, A, B);
  return checkedResult(fn, Matrix.sub(P, Q) as Matrix);
}

/**
 * `s A` (new matrix).
 * @throws ShapeError / DomainError for a bad matrix or a non-finite `s`; DomainError on overflow.
 */
export function scale(A: MatrixLike, s: number): Matrix {
  const M = asMatrix("scale", "A", A);
  assertFiniteNumber("scale", "s", s);
  return checkedResult("scale", Matrix.mul(M, s) as Matrix);
}

/**
 * `A + s B` (new matrix).
 * @throws ShapeError unless shapes agree.
 */
export function axpy(A: MatrixLike, s: number, B: MatrixLike, fn = "axpy"): Matrix {
  [A, B] = sameShape(fn, A, B);
  assertFiniteNumber(fn, "s", s);
  const C = new Matrix(A.rows, A.columns);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) C.set(i, j, A.get(i, j) + s * B.get(i, j));
  return checkedResult(fn, C);
}

/**
 * Transpose (new matrix).
 * @throws ShapeError / DomainError unless `A` is a finite matrix (or rows).
 */
export function transpose(A: MatrixLike): Matrix {
  return asMatrix("transpose", "A", A).transpose() as Matrix;
}

/**
 * Frobenius inner product `<A, B> = tr(A^T B)`.
 * @throws ShapeError unless shapes agree.
 */
export function frobDot(A: MatrixLike, B: MatrixLike, fn = "frobDot"): number {
  [A, B] = sameShape(fn, A, B);
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s += A.get(i, j) * B.get(i, j);
  if (!Number.isFinite(s)) throw new OverflowError(fn, `the result must be finite; got ${describe(s)} (overflow: rescale the inputs)`);
  return s;
}

/**
 * Frobenius norm `||A||_F`, computed scaled (`max |a_ij| * ||A / max|a_ij| ||_F`), so entries near 1e200 do not
 * overflow. @throws ShapeError / DomainError unless `A` is a finite matrix (or rows).
 */
export function frobNorm(A: MatrixLike): number {
  const M = asMatrix("frobNorm", "A", A);
  let big = 0;
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) big = Math.max(big, Math.abs(M.get(i, j)));
  if (big === 0) return 0;
  let s = 0;
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) s += (M.get(i, j) / big) ** 2;
  return big * Math.sqrt(s);
}

/**
 * `n × n` identity.
 * @throws DomainError unless `n` is a non-negative integer; ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function eye(n: number): Matrix {
  checkDims("eye", n, n);
  return Matrix.eye(n, n) as Matrix;
}

/**
 * `m × n` zeros.
 * @throws DomainError unless `m`, `n` are non-negative integers; ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function zeros(m: number, n: number): Matrix {
  checkDims("zeros", m, n);
  return Matrix.zeros(m, n) as Matrix;
}

/**
 * The `m × n` matrix stored row-major in `flat` from `offset` (entry `(i, j)` at `flat[offset + i n + j]`), as a
 * `Matrix` whose rows are views on `flat`: no copy, so writes to either show in the other. Allocating one buffer
 * and `m` views is several times cheaper than ml-matrix's one buffer per row; the result is an ordinary `Matrix`.
 * Without `flat`, a fresh zero buffer is used (the same matrix as {@link zeros}).
 * @throws DomainError unless `m`, `n`, `offset` are non-negative integers, or when `flat` is not a Float64Array
 *   holding `offset + m n` entries; ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function rowMajorMatrix(m: number, n: number, flat?: Float64Array, offset = 0): Matrix {
  // cheap checks first (the landscape wraps every gradient): the work bound only matters when allocating
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0 || flat === undefined) checkDims("rowMajorMatrix", m, n);
  if (!Number.isInteger(offset) || offset < 0) throw new DomainError("rowMajorMatrix", `offset must be a non-negative integer; got ${describe(offset)}`);
  const buf = flat ?? new Float64Array(m * n);
  if (!(buf instanceof Float64Array) || buf.length < offset + m * n) throw new DomainError("rowMajorMatrix", `flat must be a Float64Array of at least ${offset + m * n} entries; got ${describe(flat)}`);
  const data = new Array<Float64Array>(m);
  const base = buf.byteOffset + 8 * offset;
  for (let i = 0; i < m; i++) data[i] = new Float64Array(buf.buffer, base + 8 * i * n, n);
  return matrixOfRows(m, n, data);
}

/**
 * The `m × n` Matrix whose rows are the given typed arrays (taken, not copied): ml-matrix's own layout, built
 * without its row-by-row allocation. For kernels that fill fresh rows themselves.
 * @throws DomainError when `data` is not `m` Float64Arrays of length `n`.
 */
export function matrixOfRows(m: number, n: number, data: Float64Array[]): Matrix {
  if (!Array.isArray(data) || data.length !== m) throw new DomainError("matrixOfRows", `data must be ${m} rows; got ${describe(data)}`);
  for (let i = 0; i < m; i++) {
    const row = data[i];
    if (!(row instanceof Float64Array) || row.length !== n) throw new DomainError("matrixOfRows", `row ${i} must be a Float64Array of length ${n}; got ${describe(row)}`);
  }
  return wrapRows(m, n, data);
}

/**
 * Diagonal matrix (`m × n`, default square) with `values` on the diagonal.
 * @throws DomainError for non-finite values or bad dimensions; ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function diag(values: readonly number[], m = values?.length, n = m): Matrix {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw new DomainError("diag", `values must be an array of finite numbers; got ${describe(values)}`);
  for (let k = 0; k < values.length; k++) if (typeof values[k] !== "number" || !Number.isFinite(values[k])) throw new DomainError("diag", `values must be finite numbers; got ${describe(values[k])} at ${k}`);
  checkDims("diag", m, n);
  const D = new Matrix(m, n);
  for (let k = 0; k < Math.min(values.length, m, n); k++) D.set(k, k, values[k]);
  return D;
}

/**
 * Builds a matrix from rows (validated: equal lengths, finite entries).
 * @throws ShapeError for ragged rows or a non-array; DomainError for a non-finite or non-numeric entry.
 */
export function matrix(rows: ReadonlyArray<ReadonlyArray<number>>): Matrix {
  return toMatrix("matrix", "rows", rows);
}

/** Largest absolute entry difference between two equal-shape matrices. */
export function maxAbsDiff(A: MatrixLike, B: MatrixLike, fn = "maxAbsDiff"): number {
  [A, B] = sameShape(fn, A, B);
  let m = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) m = Math.max(m, Math.abs(A.get(i, j) - B.get(i, j)));
  return m;
}

function sameShape(fn: string, A0: MatrixLike, B0: MatrixLike): [Matrix, Matrix] {
  const A = asMatrix(fn, "A", A0);
  const B = asMatrix(fn, "B", B0);
  if (A.rows !== B.rows || A.columns !== B.columns) {
    throw new ShapeError(fn, `operands must have the same shape; got ${shapeOf(A)} and ${shapeOf(B)}`);
  }
  return [A, B];
}

/** Refuses a result that overflowed from finite inputs. */
function checkedResult(fn: string, C: Matrix): Matrix {
  for (let i = 0; i < C.rows; i++) {
    for (let j = 0; j < C.columns; j++) {
      if (!Number.isFinite(C.get(i, j))) throw new OverflowError(fn, `the result must be finite; got ${describe(C.get(i, j))} at (${i}, ${j}) (overflow: rescale the inputs)`);
    }
  }
  return C;
}

function checkDims(fn: string, m: unknown, n: unknown): void {
  for (const [name, v] of [["m", m], ["n", n]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new DomainError(fn, `${name} must be a non-negative integer; got ${describe(v)}`);
  }
  // rows are allocated even when there are no columns: bound max(m n, m, n)
  checkWork(fn, `a dense ${m}×${n} matrix`, Math.max((m as number) * (n as number), m as number, n as number), WORK_LIMITS.denseEntries, "a smaller size");
}
