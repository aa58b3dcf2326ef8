/**
 * Checked matrix arithmetic over ml-matrix.
 *
 * ml-matrix's `mmul` does not check inner dimensions (`[[1,2]]·[[1],[1],[1]]` returns `[[3]]`) and its
 * instance arithmetic mutates the receiver (`A.sub(B)` changes `A`). The library therefore multiplies,
 * adds and scales only through these functions, which check shapes and never modify their arguments.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "./errors";

export { Matrix };

/** Something that can be turned into a matrix: a Matrix or an array of equal-length number rows. */
export type MatrixLike = Matrix | ReadonlyArray<ReadonlyArray<number>>;

/** `"m×n"` for a matrix. */
export function shapeOf(A: { rows: number; columns: number }): string {
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
    if (A.length === 0) throw new ShapeError(fn, `${name} must have at least one row; got []`);
    const cols = Array.isArray(A[0]) ? A[0].length : -1;
    for (let i = 0; i < A.length; i++) {
      if (!Array.isArray(A[i]) || A[i].length !== cols) {
        throw new ShapeError(fn, `${name} must be an array of equal-length rows; row ${i} is ${describe(A[i])}, row 0 has length ${cols}`);
      }
    }
    M = new Matrix(A as number[][]);
  } else {
    throw new ShapeError(fn, `${name} must be a Matrix or an array of rows; got ${describe(A)}`);
  }
  assertFinite(fn, name, M);
  return M;
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
  if ((rows !== null && A.rows !== rows) || (cols !== null && A.columns !== cols)) {
    const want = `${rows ?? "any"}×${cols ?? "any"}`;
    throw new ShapeError(fn, `${name} must be ${want}${why ? ` (${why})` : ""}; got ${shapeOf(A)}`);
  }
}

/**
 * Checked product `A B`.
 * @throws ShapeError if `A.columns !== B.rows`, naming both shapes.
 */
export function mmul(A: Matrix, B: Matrix, fn = "mmul", names: [string, string] = ["A", "B"]): Matrix {
  if (A.columns !== B.rows) {
    throw new ShapeError(fn, `inner dimensions must agree in ${names[0]}·${names[1]}; got ${shapeOf(A)}·${shapeOf(B)}`);
  }
  return A.mmul(B) as Matrix; // ml-matrix mmul returns a new matrix and leaves A, B unchanged
}

/**
 * Checked product of a chain `A_1 A_2 ... A_k` (k >= 1), left to right; a single factor is returned as a copy.
 * @param factors - `A_i` is `n_{i-1} × n_i`.
 * @throws ShapeError if `factors` is empty, or if two neighbours' inner dimensions differ (naming both shapes).
 */
export function mmulChain(factors: readonly Matrix[], fn = "mmulChain"): Matrix {
  if (factors.length === 0) throw new ShapeError(fn, "factors must be non-empty; got []");
  let P = factors[0];
  for (let k = 1; k < factors.length; k++) P = mmul(P, factors[k], fn, [`factors[${k - 1}]`, `factors[${k}]`]);
  return factors.length === 1 ? (P.clone() as Matrix) : P;
}

/** `A + B` (new matrix). @throws ShapeError unless shapes agree. */
export function add(A: Matrix, B: Matrix, fn = "add"): Matrix {
  sameShape(fn, A, B);
  return Matrix.add(A, B) as Matrix;
}

/** `A - B` (new matrix). @throws ShapeError unless shapes agree. */
export function sub(A: Matrix, B: Matrix, fn = "sub"): Matrix {
  sameShape(fn, A, B);
  return Matrix.sub(A, B) as Matrix;
}

/** `s A` (new matrix). */
export function scale(A: Matrix, s: number): Matrix {
  return Matrix.mul(A, s) as Matrix;
}

/** `A + s B` (new matrix). @throws ShapeError unless shapes agree. */
export function axpy(A: Matrix, s: number, B: Matrix, fn = "axpy"): Matrix {
  sameShape(fn, A, B);
  const C = new Matrix(A.rows, A.columns);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) C.set(i, j, A.get(i, j) + s * B.get(i, j));
  return C;
}

/** Transpose (new matrix). */
export function transpose(A: Matrix): Matrix {
  return A.transpose() as Matrix;
}

/** Frobenius inner product `<A, B> = tr(A^T B)`. @throws ShapeError unless shapes agree. */
export function frobDot(A: Matrix, B: Matrix, fn = "frobDot"): number {
  sameShape(fn, A, B);
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s += A.get(i, j) * B.get(i, j);
  return s;
}

/** Frobenius norm `||A||_F`. */
export function frobNorm(A: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) s += A.get(i, j) ** 2;
  return Math.sqrt(s);
}

/** `n × n` identity. */
export function eye(n: number): Matrix {
  return Matrix.eye(n, n) as Matrix;
}

/** `m × n` zeros. */
export function zeros(m: number, n: number): Matrix {
  return Matrix.zeros(m, n) as Matrix;
}

/** Diagonal matrix (`m × n`, default square) with `values` on the diagonal. */
export function diag(values: readonly number[], m = values.length, n = m): Matrix {
  const D = new Matrix(m, n);
  for (let k = 0; k < Math.min(values.length, m, n); k++) D.set(k, k, values[k]);
  return D;
}

/** Builds a matrix from rows (validated: equal lengths, finite entries). */
export function matrix(rows: ReadonlyArray<ReadonlyArray<number>>): Matrix {
  return toMatrix("matrix", "rows", rows);
}

/** Largest absolute entry difference between two equal-shape matrices. */
export function maxAbsDiff(A: Matrix, B: Matrix, fn = "maxAbsDiff"): number {
  sameShape(fn, A, B);
  let m = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) m = Math.max(m, Math.abs(A.get(i, j) - B.get(i, j)));
  return m;
}

function sameShape(fn: string, A: Matrix, B: Matrix): void {
  if (A.rows !== B.rows || A.columns !== B.columns) {
    throw new ShapeError(fn, `operands must have the same shape; got ${shapeOf(A)} and ${shapeOf(B)}`);
  }
}
