/**
 * Non-negative least squares and the recession-cone test built on it (used to decide whether a
 * logistic or softmax loss without ridge attains its minimum: docs/theory.md#degenerate).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "./errors";
import { assertFinite, isMatrix, shapeOf } from "./matrix";
import { pinv } from "./linalg";

/** Result of {@link nnls}. */
export interface NnlsResult {
  /** The minimiser `x >= 0`. */
  x: number[];
  /** `||M x - b||_2`. */
  residual: number;
  /** Outer iterations used. */
  iterations: number;
}

/**
 * Non-negative least squares `min ||M x - b||_2` subject to `x >= 0` (Lawson–Hanson active set).
 * @param M - `p×q` matrix; @param b - length `p`.
 * @throws ShapeError when `b.length !== M.rows`; DomainError for non-finite entries.
 */
export function nnls(M: Matrix, b: readonly number[], maxIter?: number): NnlsResult {
  if (!isMatrix(M)) throw new ShapeError("nnls", `M must be a Matrix; got ${describe(M)}`);
  assertFinite("nnls", "M", M);
  if (!Array.isArray(b) || b.length !== M.rows) throw new ShapeError("nnls", `b must have length ${M.rows} (rows of M, ${shapeOf(M)}); got ${describe(b)}`);
  b.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new DomainError("nnls", `b must have finite entries; got ${describe(v)} at ${i}`);
  });
  const p = M.rows;
  const q = M.columns;
  const x = new Array<number>(q).fill(0);
  const inP = new Array<boolean>(q).fill(false);
  let scale = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) scale = Math.max(scale, Math.abs(M.get(i, j)));
  let bnorm = 0;
  for (const v of b) bnorm = Math.max(bnorm, Math.abs(v));
  const tol = 1e-12 * Math.max(1, scale) * Math.max(1, scale * q) * Math.max(1, bnorm);
  const limit = maxIter ?? 3 * q + 10;
  const resid = (): number[] => {
    const r = b.slice();
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) if (x[j] !== 0) r[i] -= M.get(i, j) * x[j];
    return r;
  };
  const solveP = (): number[] => {
    const idx: number[] = [];
    for (let j = 0; j < q; j++) if (inP[j]) idx.push(j);
    const MP = new Matrix(p, idx.length);
    for (let i = 0; i < p; i++) idx.forEach((j, c) => MP.set(i, c, M.get(i, j)));
    const Pi = pinv(MP);
    const s = new Array<number>(q).fill(0);
    idx.forEach((j, c) => {
      let v = 0;
      for (let i = 0; i < p; i++) v += Pi.get(c, i) * b[i];
      s[j] = v;
    });
    return s;
  };
  let it = 0;
  for (; it < limit; it++) {
    const r = resid();
    let best = -1;
    let wmax = tol;
    for (let j = 0; j < q; j++) {
      if (inP[j]) continue;
      let w = 0;
      for (let i = 0; i < p; i++) w += M.get(i, j) * r[i];
      if (w > wmax) {
        wmax = w;
        best = j;
      }
    }
    if (best < 0) break;
    inP[best] = true;
    for (let inner = 0; inner < 3 * q + 10; inner++) {
      const s = solveP();
      let ok = true;
      for (let j = 0; j < q; j++) if (inP[j] && s[j] <= 0) ok = false;
      if (ok) {
        for (let j = 0; j < q; j++) x[j] = inP[j] ? s[j] : 0;
        break;
      }
      let alpha = Infinity;
      for (let j = 0; j < q; j++) {
        if (inP[j] && s[j] <= 0) {
          const a = x[j] / (x[j] - s[j]);
          if (a < alpha) alpha = a;
        }
      }
      if (!Number.isFinite(alpha)) alpha = 0;
      for (let j = 0; j < q; j++) {
        if (!inP[j]) continue;
        x[j] += alpha * (s[j] - x[j]);
        if (x[j] <= 1e-15 * Math.max(1, Math.abs(s[j]))) {
          x[j] = 0;
          inP[j] = false;
        }
      }
    }
  }
  const r = resid();
  let res = 0;
  for (const v of r) res += v * v;
  return { x, residual: Math.sqrt(res), iterations: it };
}

/** Result of {@link recessionDirection}. */
export interface RecessionReport {
  /**
   * True when some `d` has `A d >= 0` (entrywise) with `A d != 0`: a direction of strict improvement for
   * losses `sum_j phi((A d)_j)` with `phi` decreasing to 0 (separable data).
   */
  exists: boolean;
  /** NNLS residual of the dual certificate `A^T lambda = 0, lambda >= 1` (0 when no such direction exists). */
  residual: number;
  /** Decision threshold on the residual. */
  tol: number;
}

/**
 * Decides whether the cone `{d : A d >= 0}` contains a `d` with `A d != 0`, by Stiemke's alternative: no such
 * `d` exists iff some `lambda > 0` (entrywise) has `A^T lambda = 0`. Solved as NNLS
 * `min ||A^T mu + A^T 1||`, `mu >= 0` (then `lambda = 1 + mu`).
 * @param A - `q×p` matrix (one row per constraint).
 * @param tol - residual threshold, default `1e-9 * max(1, ||A^T 1||)`.
 * @throws ShapeError / DomainError for a non-matrix or non-finite `A`.
 */
export function recessionDirection(A: Matrix, tol?: number): RecessionReport {
  if (!isMatrix(A)) throw new ShapeError("recessionDirection", `A must be a Matrix; got ${describe(A)}`);
  assertFinite("recessionDirection", "A", A);
  if (tol !== undefined && (!Number.isFinite(tol) || tol < 0)) throw new DomainError("recessionDirection", `tol must be a finite number >= 0; got ${describe(tol)}`);
  const q = A.rows;
  const p = A.columns;
  const At = new Matrix(p, q);
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < p; j++) {
      At.set(j, i, A.get(i, j));
      b[j] -= A.get(i, j);
    }
  }
  const bn = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
  const t = tol ?? 1e-9 * Math.max(1, bn);
  const { residual } = nnls(At, b);
  return { exists: residual > t, residual, tol: t };
}
