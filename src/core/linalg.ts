/**
 * Decompositions and subspaces over ml-matrix: sorted SVD, numerical rank with an explicit tolerance,
 * pseudo-inverse, sorted symmetric eigendecomposition, orthonormal bases of column spaces and their
 * complements, and detection of repeated singular values.
 *
 * Tolerances: rank decisions use `tol = max(m, n) * eps * sigma_max` by default (the LAPACK/numpy
 * convention, `eps = 2^-52`); every function that decides a rank accepts an explicit `tol`.
 * @module
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from "ml-matrix";
import { DomainError, ShapeError, describe } from "./errors";
import { asMatrix, assertFinite, MatrixLike, mmul, shapeOf, transpose } from "./matrix";
import { symTridiagEigvals, symTridiagEigvalsInPlace } from "./symEigvals";

/** Machine epsilon of float64. */
export const EPS = 2 ** -52;

/** A thin SVD `A = U diag(s) V^T` with `s` descending; `U` is `m×k`, `V` is `n×k`, `k = min(m, n)`. */
export interface Svd {
  U: Matrix;
  s: number[];
  V: Matrix;
}

/**
 * Thin singular value decomposition with singular values sorted in descending order.
 * @param A - any `m×n` matrix with finite entries, or an array of rows (not modified).
 * @throws ShapeError unless `A` is a Matrix or an array of equal-length rows; DomainError for a non-finite entry.
 */
export function svd(A: MatrixLike): Svd {
  const M = asMatrix("svd", "A", A);
  const m = M.rows;
  const n = M.columns;
  const k = Math.min(m, n);
  if (k === 0) return { U: new Matrix(m, 0), s: [], V: new Matrix(n, 0) };
  const dec = new SingularValueDecomposition(M, { autoTranspose: true, computeLeftSingularVectors: true, computeRightSingularVectors: true });
  const s0 = dec.diagonal;
  const U0 = dec.leftSingularVectors;
  const V0 = dec.rightSingularVectors;
  const order = s0.map((_, i) => i).sort((a, b) => s0[b] - s0[a]).slice(0, k);
  const U = new Matrix(m, k);
  const V = new Matrix(n, k);
  const s: number[] = [];
  order.forEach((src, dst) => {
    s.push(Math.max(0, s0[src]));
    for (let i = 0; i < m; i++) U.set(i, dst, U0.get(i, src));
    for (let i = 0; i < n; i++) V.set(i, dst, V0.get(i, src));
  });
  return { U, s, V };
}

/**
 * Default rank tolerance `max(m, n) * eps * sigma_max`.
 * @throws ShapeError / DomainError for a bad matrix or `s`.
 */
export function defaultRankTol(A0: MatrixLike, s?: readonly number[]): number {
  const A = asMatrix("defaultRankTol", "A", A0);
  if (s !== undefined && (!Array.isArray(s) || !s.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0))) {
    throw new DomainError("defaultRankTol", `s must be an array of finite singular values >= 0; got ${describe(s)}`);
  }
  const sv = s ?? svd(A).s;
  return Math.max(A.rows, A.columns) * EPS * (sv[0] ?? 0);
}

function checkTol(fn: string, tol: number | undefined): void {
  if (tol !== undefined && (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0)) throw new DomainError(fn, `tol must be a finite number >= 0; got ${describe(tol)}`);
}

/**
 * Numerical rank: the number of singular values `> tol`.
 * @param tol - absolute threshold; default `max(m, n) * eps * sigma_max`.
 * @throws DomainError for a negative or non-finite `tol`.
 */
export function numericalRank(A0: MatrixLike, tol?: number): number {
  checkTol("numericalRank", tol);
  const A = asMatrix("numericalRank", "A", A0);
  const { s } = svd(A);
  const t = tol ?? defaultRankTol(A, s);
  return s.filter((x) => x > t).length;
}

/**
 * Moore–Penrose pseudo-inverse `A^+ = V diag(1/s_i for s_i > tol) U^T` (docs/theory.md: `Sigma = Y X^+ X Y^T`,
 * never `(X X^T)^{-1}`).
 * @param A - an `m×n` Matrix or array of rows (not modified).
 * @throws ShapeError / DomainError for a bad matrix; DomainError for a negative or non-finite `tol`.
 */
export function pinv(A: MatrixLike, tol?: number): Matrix {
  checkTol("pinv", tol);
  const M = asMatrix("pinv", "A", A);
  const { U, s, V } = svd(M);
  const t = tol ?? defaultRankTol(M, s);
  const P = new Matrix(M.columns, M.rows);
  for (let k = 0; k < s.length; k++) {
    if (s[k] <= t) continue;
    const inv = 1 / s[k];
    for (let i = 0; i < M.columns; i++) {
      const vik = V.get(i, k) * inv;
      if (vik === 0) continue;
      for (let j = 0; j < M.rows; j++) P.set(i, j, P.get(i, j) + vik * U.get(j, k));
    }
  }
  return P;
}

/**
 * Sorted symmetric eigendecomposition `S = Q diag(values) Q^T`, values descending. From `symEig` the
 * eigenvectors are computed on first access of `vectors` (an own enumerable getter), so a caller that reads only
 * `values` pays for the eigenvalues alone (`symEigvals`), with the same values to the last bit.
 */
export interface SymEig {
  values: number[];
  vectors: Matrix;
}

/**
 * The exactly symmetric part `(S + S^T) / 2` of a square matrix, row-major, after checking shape, finiteness
 * and symmetry up to `symTol * max(1, ||S||_max)`.
 * @throws ShapeError if `S` is not a square matrix (or array of rows); DomainError if it is not symmetric, has
 * non-finite entries, or `symTol` is negative or not a number.
 */
function symmetricPart(fn: string, S0: MatrixLike, symTol: number, reuse = false): { a: Float64Array; n: number } {
  // an ml-matrix Matrix keeps its rows as Float64Arrays in `data`: copy them whole and check finiteness in the
  // symmetrising pass (a non-finite entry then goes through asMatrix for its message); anything else goes through
  // asMatrix first. Errors keep their precedence: non-finite entry, then symTol, then shape, then symmetry.
  const fast = S0 instanceof Matrix && S0.rows === S0.columns;
  let S: Matrix | null = null;
  if (!fast) {
    S = asMatrix(fn, "S", S0);
  }
  const badTol = typeof symTol !== "number" || Number.isNaN(symTol) || symTol < 0;
  if (badTol && !fast) throw new DomainError(fn, `symTol must be a number >= 0; got ${describe(symTol)}`);
  let n: number;
  let a: Float64Array;
  if (fast) {
    n = S0.rows;
    a = rowMajorBuffer(n, reuse);
    const data = (S0 as unknown as { data: Float64Array[] }).data;
    for (let i = 0; i < n; i++) a.set(data[i], i * n);
  } else {
    const M = S as Matrix;
    if (M.rows !== M.columns) throw new ShapeError(fn, `S must be square; got ${shapeOf(M)}`);
    n = M.rows;
    a = rowMajorBuffer(n, reuse);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = M.get(i, j);
  }
  const { finite, maxAbs, maxAsym } = symmetrise(a, n);
  if (!finite) asMatrix(fn, "S", S0); // throws the DomainError naming the first non-finite entry
  if (badTol) throw new DomainError(fn, `symTol must be a number >= 0; got ${describe(symTol)}`);
  const tol = symTol * Math.max(1, maxAbs);
  if (maxAsym > tol) {
    // report the first offending pair in row-major order, from the unmodified input
    const M = S ?? (S0 as Matrix);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const sij = M.get(i, j);
        const sji = M.get(j, i);
        if (Math.abs(sij - sji) > tol) throw new DomainError(fn, `S must be symmetric; got S[${i}][${j}] = ${sij} but S[${j}][${i}] = ${sji}`);
      }
    }
  }
  return { a, n };
}

/** Largest order whose symmetric copy {@link symEigvals} keeps in one reused buffer (2 MB). */
const SCRATCH_MAX_ORDER = 512;
let scratch = new Float64Array(0);

/**
 * A buffer for an `n×n` row-major copy (every entry gets written): fresh, or with `reuse` the module's scratch
 * (grown on demand, up to {@link SCRATCH_MAX_ORDER}) for a copy consumed before the caller returns.
 */
function rowMajorBuffer(n: number, reuse: boolean): Float64Array {
  if (!reuse || n > SCRATCH_MAX_ORDER) return new Float64Array(n * n);
  if (scratch.length < n * n) scratch = new Float64Array(n * n);
  return scratch;
}

/**
 * In place, `a <- (a + a^T) / 2` (row-major `n×n`), in 32×32 tiles; returns whether every entry is finite, the
 * largest `|a_ij|` and the largest `|a_ij - a_ji|` before symmetrising.
 */
function symmetrise(a: Float64Array, n: number): { finite: boolean; maxAbs: number; maxAsym: number } {
  let bad = 0; // v - v is NaN unless v is finite
  let big = 0;
  let asym = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i * n + i];
    bad += v - v;
    big = Math.max(big, Math.abs(v));
  }
  const T = 32;
  for (let ib = 0; ib < n; ib += T) {
    const iEnd = Math.min(ib + T, n);
    for (let jb = ib; jb < n; jb += T) {
      const jEnd = Math.min(jb + T, n);
      for (let i = ib; i < iEnd; i++) {
        for (let j = Math.max(i + 1, jb); j < jEnd; j++) {
          const sij = a[i * n + j];
          const sji = a[j * n + i];
          bad += sij - sij + (sji - sji);
          big = Math.max(big, Math.abs(sij), Math.abs(sji));
          asym = Math.max(asym, Math.abs(sij - sji));
          const v = 0.5 * (sij + sji);
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
    }
  }
  return { finite: bad === 0, maxAbs: big, maxAsym: asym };
}

/** Descending eigenvalues of an already symmetrised row-major `n×n` array (destroyed unless `keep`). */
function eigvalsDescending(a: Float64Array, n: number, keep: boolean): number[] {
  const d = new Float64Array(n);
  if (keep) symTridiagEigvals(a, n, d);
  else symTridiagEigvalsInPlace(a, n, d, new Float64Array(n));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = d[n - 1 - i];
  return out;
}

/**
 * Eigenvalues of a symmetric matrix, descending, without eigenvectors: Householder tridiagonalisation and
 * implicit QL on `Float64Array`s (`symTridiagEigvalsInPlace`), equal to the last bit to `symEig(S).values`
 * and about three times cheaper than the full decomposition. Used for spectra and inertia counts (T3, T5).
 * @param S - square, symmetric up to `symTol * max(1, ||S||_max)` (default `1e-8`); not modified.
 * @throws ShapeError if `S` is not square; DomainError if it is not symmetric or has non-finite entries.
 */
export function symEigvals(S: MatrixLike, symTol = 1e-8): number[] {
  const { a, n } = symmetricPart("symEigvals", S, symTol, true);
  return eigvalsDescending(a, n, false);
}

/**
 * Eigendecomposition of a symmetric matrix, eigenvalues in descending order (T5, B1: spectra of `Sigma`
 * and of Hessians). The values come from `symEigvals`; the eigenvectors (ml-matrix's `tred2`/`tql2`,
 * columns in the order of the values) are computed when `vectors` is first read, unless `vectors: "eager"`.
 * @param S - square, symmetric up to `symTol * max(1, ||S||_max)` (default `1e-8`).
 * @param vectors - `"lazy"` (default): eigenvectors on first access; `"eager"`: one full decomposition now
 *   (for callers that always need them: no separate eigenvalue pass).
 * @throws ShapeError if `S` is not square; DomainError if it is not symmetric or has non-finite entries, or
 *   for a `vectors` mode other than `"lazy"` / `"eager"`.
 */
export function symEig(S: MatrixLike, symTol = 1e-8, vectors: "lazy" | "eager" = "lazy"): SymEig {
  if (vectors !== "lazy" && vectors !== "eager") throw new DomainError("symEig", `vectors must be "lazy" or "eager"; got ${describe(vectors)}`);
  const { a, n } = symmetricPart("symEig", S, symTol);
  if (n === 0) return { values: [], vectors: new Matrix(0, 0) };
  if (vectors === "eager") return fullSymEig(a, n);
  const values = eigvalsDescending(a, n, true);
  let Q: Matrix | null = null;
  return {
    values,
    get vectors(): Matrix {
      if (Q === null) Q = fullSymEig(a, n).vectors;
      return Q;
    },
    set vectors(M: Matrix) {
      Q = M;
    },
  };
}

/** The full decomposition through ml-matrix (eigenvalues sorted descending, vectors as columns in that order). */
function fullSymEig(a: Float64Array, n: number): SymEig {
  const Ssym = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Ssym.set(i, j, a[i * n + j]);
  const dec = new EigenvalueDecomposition(Ssym, { assumeSymmetric: true });
  const vals = dec.realEigenvalues;
  const vecs = dec.eigenvectorMatrix;
  const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
  const Q = new Matrix(n, n);
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) Q.set(i, dst, vecs.get(i, src));
  });
  return { values: order.map((i) => vals[i]), vectors: Q };
}

/**
 * Orthonormal basis (as columns) of the column space of `A`, from the SVD, keeping singular values `> tol`.
 * @throws ShapeError / DomainError for a bad matrix; DomainError for a negative or non-finite `tol`.
 */
export function colSpace(A0: MatrixLike, tol?: number): Matrix {
  checkTol("colSpace", tol);
  const A = asMatrix("colSpace", "A", A0);
  const { U, s } = svd(A);
  const t = tol ?? defaultRankTol(A, s);
  const r = s.filter((x) => x > t).length;
  const Q = new Matrix(A.rows, r);
  for (let k = 0; k < r; k++) for (let i = 0; i < A.rows; i++) Q.set(i, k, U.get(i, k));
  return Q;
}

/**
 * Orthonormal basis of the row space of `A` (columns of an `n×r` matrix).
 * @throws ShapeError / DomainError for a bad matrix or `tol`.
 */
export function rowSpace(A: MatrixLike, tol?: number): Matrix {
  return colSpace(transpose(asMatrix("rowSpace", "A", A)), tol);
}

/**
 * Orthonormal basis of the orthogonal complement of the column space of `B` (whose columns need not be
 * orthonormal): an `m × (m - rank B)` matrix `C` with `C^T C = I`, `B^T C = 0`.
 * @throws ShapeError / DomainError for a bad matrix; DomainError for a negative or non-finite `tol`.
 */
export function orthComplement(B0: MatrixLike, tol?: number): Matrix {
  checkTol("orthComplement", tol);
  const B = asMatrix("orthComplement", "B", B0);
  const m = B.rows;
  const Q = B.columns === 0 ? new Matrix(m, 0) : colSpace(B, tol);
  const basis: number[][] = [];
  for (let k = 0; k < Q.columns; k++) basis.push(Q.getColumn(k));
  const out: number[][] = [];
  for (let e = 0; e < m && basis.length < m; e++) {
    const v = new Array<number>(m).fill(0);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= dot * q[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm > 1e-8) {
      const q = v.map((x) => x / norm);
      basis.push(q);
      out.push(q);
    }
  }
  const C = new Matrix(m, out.length);
  out.forEach((q, k) => q.forEach((x, i) => C.set(i, k, x)));
  return C;
}

/**
 * Orthogonal projector `P = Q Q^T` onto the span of the orthonormal columns of `Q`.
 * @throws ShapeError / DomainError for a bad matrix.
 */
export function projector(Q: MatrixLike): Matrix {
  const M = asMatrix("projector", "Q", Q);
  return mmul(M, transpose(M), "projector", ["Q", "Q^T"]);
}

/**
 * Smallest relative gap between consecutive nonzero values of a descending list, and where it is:
 * `min_k (s_k - s_{k+1}) / s_1` over `k` with `s_{k+1} > tol`. Repeated singular values or eigenvalues make the
 * critical points of the square loss come in continua (T5, B1): callers use this to detect and report them.
 * @throws DomainError unless `values` is an array of finite numbers and `tol` a finite number >= 0.
 */
export function minRelativeGap(values: readonly number[], tol = 0): { gap: number; index: number } {
  if (!Array.isArray(values) || !values.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new DomainError("minRelativeGap", `values must be an array of finite numbers; got ${describe(values)}`);
  }
  checkTol("minRelativeGap", tol);
  let gap = Infinity;
  let index = -1;
  const top = Math.abs(values[0] ?? 0) || 1;
  for (let k = 0; k + 1 < values.length; k++) {
    if (Math.abs(values[k + 1]) <= tol) break;
    const g = Math.abs(values[k] - values[k + 1]) / top;
    if (g < gap) {
      gap = g;
      index = k;
    }
  }
  return { gap, index };
}

/**
 * Sign of the determinant of a square matrix, `+1`, `-1` or `0`, by Gaussian elimination with partial pivoting
 * (the product of the pivots' signs and the permutation's parity; exactly `0` only when a pivot column is exactly
 * zero). Used as the invariant `sign det g` that separates connected components of fibres (T3).
 * @param A0 - a square Matrix or array of rows (not modified).
 * @throws ShapeError unless `A` is square; DomainError for non-finite entries.
 */
export function determinantSign(A0: MatrixLike): -1 | 0 | 1 {
  const fn = "determinantSign";
  const A = asMatrix(fn, "A", A0);
  if (A.rows !== A.columns) throw new ShapeError(fn, `A must be square; got ${shapeOf(A)}`);
  const n = A.rows;
  const M = A.to2DArray();
  let sign: -1 | 1 = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(M[i][c]) > Math.abs(M[p][c])) p = i;
    if (M[p][c] === 0) return 0;
    if (p !== c) {
      [M[p], M[c]] = [M[c], M[p]];
      sign = sign === 1 ? -1 : 1;
    }
    if (M[c][c] < 0) sign = sign === 1 ? -1 : 1;
    for (let i = c + 1; i < n; i++) {
      const f = M[i][c] / M[c][c];
      for (let j = c; j < n; j++) M[i][j] -= f * M[c][j];
    }
  }
  return sign;
}
