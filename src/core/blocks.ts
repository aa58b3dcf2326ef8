/**
 * Lists of matrix blocks (the parameters `theta = [W_1, ..., W_k]` of any network) and their packing into
 * one flat `Float64Array`: block by block, each block row-major. This is the order of `packTheta` for deep
 * linear networks, of the dense Hessian and Jacobians of the landscape, and of every flat optimiser vector.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, OverflowError, ShapeError, describe } from "./errors";
import { asMatrix, assertFinite, isMatrix, shapeOf } from "./matrix";

/**
 * Parameter blocks as Matrices, or as arrays of rows (converted and checked at the entry, like any matrix
 * argument): `[W_1, W_2]` or `[[[1, 2]], [[3], [4]]]` (a mixed list is accepted at run time too).
 */
export type BlocksLike = readonly Matrix[] | ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;

/** Shapes `[rows, cols]` of a list of blocks. */
export type BlockShapes = ReadonlyArray<readonly [number, number]>;

/**
 * Total number of scalars `sum_k rows_k * cols_k` in a list of blocks.
 * @throws DomainError / ShapeError for bad shapes.
 */
export function blockSize(shapes: BlockShapes): number {
  assertShapesList("blockSize", shapes);
  let n = 0;
  for (const [r, c] of shapes) n += r * c;
  return n;
}

/**
 * Validates a list of blocks against shapes: an array of `shapes.length` matrices, block `k` of shape
 * `shapes[k]`, entries finite.
 * @param fn - public function name for the message; `name` - the argument name (default `"theta"`).
 * @throws ShapeError naming the offending block and both shapes; DomainError for a non-finite entry.
 */
export function assertBlocks(fn: string, shapes: BlockShapes, blocks: unknown, name = "theta"): asserts blocks is readonly Matrix[] {
  assertShapesList(fn, shapes);
  if (!Array.isArray(blocks)) throw new ShapeError(fn, `${name} must be an array of ${shapes.length} matrices; got ${describe(blocks)}`);
  if (blocks.length !== shapes.length) {
    throw new ShapeError(fn, `${name} must have ${shapes.length} matrices (shapes ${shapes.map(([r, c]) => `${r}×${c}`).join(", ")}); got ${blocks.length}`);
  }
  blocks.forEach((W, k) => {
    if (!isMatrix(W)) throw new ShapeError(fn, `${name}[${k}] must be a Matrix; got ${describe(W)}`);
    const [r, c] = shapes[k];
    if (W.rows !== r || W.columns !== c) throw new ShapeError(fn, `${name}[${k}] must be ${r}×${c}; got ${shapeOf(W)}`);
    assertFinite(fn, `${name}[${k}]`, W);
  });
}

/**
 * Packs blocks into one flat vector, block by block, each block row-major:
 * `x = [vec_r(B_1); ...; vec_r(B_k)]`.
 * @param shapes - `[rows, cols]` of each block.
 * @param blocks - matrices of those shapes (not modified).
 * @throws ShapeError for a wrong count or shape; DomainError for a non-finite entry.
 */
export function packBlocks(shapes: BlockShapes, blocks: readonly Matrix[], fn = "packBlocks"): Float64Array {
  assertShapesList(fn, shapes);
  assertBlocks(fn, shapes, blocks, "blocks");
  const out = new Float64Array(blockSize(shapes));
  let k = 0;
  for (const B of blocks) for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.columns; j++) out[k++] = B.get(i, j);
  return out;
}

/**
 * Inverse of {@link packBlocks}: cuts a flat vector into blocks of the given shapes (row-major).
 * @throws ShapeError unless `flat.length === sum rows*cols`; DomainError for a non-finite entry.
 */
export function unpackBlocks(shapes: BlockShapes, flat: ArrayLike<number>, fn = "unpackBlocks"): Matrix[] {
  assertShapesList(fn, shapes);
  const n = blockSize(shapes);
  if (flat === null || typeof flat !== "object" || typeof flat.length !== "number") {
    throw new ShapeError(fn, `flat must be an array of ${n} numbers; got ${describe(flat)}`);
  }
  if (flat.length !== n) throw new ShapeError(fn, `flat must have length ${n} (total block size); got ${flat.length}`);
  const out: Matrix[] = [];
  let k = 0;
  for (const [r, c] of shapes) {
    const B = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const v = flat[k++];
        if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `flat must have finite entries; got ${describe(v)} at index ${k - 1}`);
        B.set(i, j, v);
      }
    }
    out.push(B);
  }
  return out;
}

/**
 * A list of blocks as Matrices of the given shapes: each block a Matrix or an array of rows (converted), shapes and
 * finiteness checked. Matrices are returned themselves (not copied); the list is new.
 * @throws ShapeError for a wrong count, shape or type; DomainError for a non-finite entry.
 */
export function toBlocks(fn: string, shapes: BlockShapes, blocks: BlocksLike | unknown, name = "theta"): Matrix[] {
  assertShapesList(fn, shapes);
  if (!Array.isArray(blocks)) throw new ShapeError(fn, `${name} must be an array of ${shapes.length} matrices; got ${describe(blocks)}`);
  const out = blocks.map((W, k) => (Array.isArray(W) ? asMatrix(fn, `${name}[${k}]`, W) : W));
  assertBlocks(fn, shapes, out, name);
  return out as Matrix[];
}

/**
 * Deep copy of a list of blocks.
 * @throws ShapeError unless `blocks` is an array of matrices.
 */
export function cloneBlocks(blocks: readonly Matrix[]): Matrix[] {
  if (!Array.isArray(blocks) || !blocks.every((B) => isMatrix(B))) throw new ShapeError("cloneBlocks", `blocks must be an array of matrices; got ${describe(blocks)}`);
  return blocks.map((B) => B.clone() as Matrix);
}

/**
 * `<A, B> = sum_k <A_k, B_k>_F` over equal-shape block lists (the Euclidean inner product on parameter space).
 * @throws ShapeError if the lists differ in length or a pair of blocks `A_k`, `B_k` differs in shape; DomainError for
 *   non-finite entries or an overflowing sum.
 */
export function blocksDot(A: readonly Matrix[], B: readonly Matrix[], fn = "blocksDot"): number {
  for (const [name, L] of [["A", A], ["B", B]] as const) {
    if (!Array.isArray(L)) throw new ShapeError(fn, `${name} must be an array of matrices; got ${describe(L)}`);
    L.forEach((M, k) => asMatrix(fn, `${name}[${k}]`, M));
  }
  if (A.length !== B.length) throw new ShapeError(fn, `block lists must have equal length; got ${A.length} and ${B.length}`);
  let s = 0;
  for (let k = 0; k < A.length; k++) {
    if (A[k].rows !== B[k].rows || A[k].columns !== B[k].columns) throw new ShapeError(fn, `block ${k} shapes differ: ${shapeOf(A[k])} and ${shapeOf(B[k])}`);
    for (let i = 0; i < A[k].rows; i++) for (let j = 0; j < A[k].columns; j++) s += A[k].get(i, j) * B[k].get(i, j);
  }
  if (!Number.isFinite(s)) throw new OverflowError(fn, `the result must be finite; got ${describe(s)} (overflow: rescale the inputs)`);
  return s;
}

function assertShapesList(fn: string, shapes: unknown): void {
  if (!Array.isArray(shapes)) throw new ShapeError(fn, `shapes must be an array of [rows, cols] pairs; got ${describe(shapes)}`);
  shapes.forEach((s, k) => {
    if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v) && v >= 0 && v <= 1e9)) {
      throw new DomainError(fn, `shapes[${k}] must be a pair of non-negative integers; got ${describe(s)}`);
    }
  });
}
