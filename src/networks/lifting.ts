/**
 * Zhang's lifting lemma (A3): at a deep linear point whose product has full rank `k = min_i d_i`, the two-layer
 * split at a bottleneck layer `p` (`d_p = k`), `A = W_{h:p+1}` and `B = W_{p:1}`, can be perturbed freely and
 * the perturbation lifted to the deep network by changing only the outer layers. So `mu` is locally open onto
 * pairs `(A, B)` there, and a local minimum of the deep network gives a local minimum of `(A, B) ↦ l(AB)` with
 * the same value (the step from A2 to A1 in Zhang 2019; our reconstruction, docs/theory.md#a3).
 * @module
 */
import { Matrix } from "ml-matrix";
import { AssumptionError, DomainError, ShapeError, describe } from "../core/errors";
import { svd, pinv } from "../core/linalg";
import { add, mmul, shapeOf, toMatrix } from "../core/matrix";
import { partialAfter, partialBefore } from "./deepLinear";
import { Theta, Widths, assertTheta, validateWidths } from "./widths";

/** The two-layer split of a deep linear point at layer `p` (A3). */
export interface TwoLayerSplit {
  /** The split index `p` (`1 <= p <= h - 1`). */
  readonly p: number;
  /** `A = W_{h:p+1} = W_h ... W_{p+1}` (`d_h × d_p`). */
  readonly A: Matrix;
  /** `B = W_{p:1} = W_p ... W_1` (`d_p × d_0`). */
  readonly B: Matrix;
}

/** Validates widths, theta (depth >= 2) and the split index `1 <= p <= h - 1`; returns the frozen widths. */
function checkSplit(fn: string, widths: Widths, theta: Theta, p: unknown): Widths {
  const d = validateWidths(widths, fn);
  assertTheta(fn, d, theta);
  const h = d.length - 1;
  if (h < 2) throw new DomainError(fn, `widths must have depth h >= 2 to split; got h = ${h}`);
  if (!Number.isInteger(p) || (p as number) < 1 || (p as number) > h - 1) throw new DomainError(fn, `p must be an integer in [1, h - 1] = [1, ${h - 1}]; got ${describe(p)}`);
  return d;
}

/**
 * The two-layer split `(A, B) = (W_{h:p+1}, W_{p:1})` of a deep linear point at layer `p`, so that `A B = mu(theta)`
 * (A1′, A3: for a bottleneck `p` with `d_p = min_i d_i`, `(A, B)` is a point of the width-`d_p` two-layer network).
 * @param widths - `d_0, ..., d_h`, `h >= 2`. @param theta - `[W_1, ..., W_h]`. @param p - `1 <= p <= h - 1`.
 * @throws DomainError for bad widths, `h < 2` or `p` out of range; ShapeError for a bad `theta`.
 */
export function twoLayerSplit(widths: Widths, theta: Theta, p: number): TwoLayerSplit {
  const d = checkSplit("twoLayerSplit", widths, theta, p);
  return { p, A: partialAfter(d, theta, p), B: partialBefore(d, theta, p + 1) };
}

/** Result of {@link liftSplit}. */
export interface LiftedSplit extends TwoLayerSplit {
  /** The lifted point: `theta` with `W_h' = W_h + dA · M^+` and `W_1' = W_1 + N^+ · dB`, all other layers unchanged. */
  readonly theta: Matrix[];
  /** `M = W_{h-1:p+1}` (`d_{h-1} × d_p`, identity when `p = h - 1`); full column rank is required. */
  readonly M: Matrix;
  /** `N = W_{p:2}` (`d_p × d_1`, identity when `p = 1`); full row rank is required. */
  readonly N: Matrix;
  /** The target product `(A + dA)(B + dB)`. */
  readonly target: Matrix;
  /** Bound `||dA|| ||M^+||_2 + ||N^+||_2 ||dB||` on the parameter change (Frobenius norm of the two changed layers). */
  readonly changeBound: number;
}

/**
 * Lifts a perturbation `(dA, dB)` of the two-layer split at a full-rank point to the deep network (Zhang's lemma, A3):
 * `W_h' = W_h + dA (W_{h-1:p+1})^+`, `W_1' = W_1 + (W_{p:2})^+ dB`, every other layer unchanged. Since
 * `M^+ M = I_k` for `M = W_{h-1:p+1}` of full column rank and `N N^+ = I_k` for `N = W_{p:2}` of full row rank,
 * `mu(theta') = (W_h M + dA)(N W_1 + dB) = (A + dA)(B + dB)` exactly (up to round-off).
 * @param widths - `d_0, ..., d_h`, `h >= 2`. @param theta - `[W_1, ..., W_h]` (not modified).
 * @param p - split layer, `1 <= p <= h - 1` (a bottleneck `d_p = min_i d_i` in the lemma).
 * @param dA - `d_h × d_p`. @param dB - `d_p × d_0`.
 * @param rankTol - relative threshold for the rank tests of `M` and `N` (default `1e-10`).
 * @throws DomainError for bad widths, `p` or tolerance; ShapeError for bad `theta`, `dA`, `dB`;
 *   AssumptionError when `M` lacks full column rank or `N` full row rank (then the lemma does not apply).
 */
export function liftSplit(widths: Widths, theta: Theta, p: number, dA: Matrix | number[][], dB: Matrix | number[][], rankTol = 1e-10): LiftedSplit {
  const fn = "liftSplit";
  const d = checkSplit(fn, widths, theta, p);
  const h = d.length - 1;
  if (typeof rankTol !== "number" || !Number.isFinite(rankTol) || rankTol < 0) throw new DomainError(fn, `rankTol must be a finite number >= 0; got ${describe(rankTol)}`);
  const DA = toMatrix(fn, "dA", dA);
  const DB = toMatrix(fn, "dB", dB);
  if (DA.rows !== d[h] || DA.columns !== d[p]) throw new ShapeError(fn, `dA must be ${d[h]}×${d[p]} (d_h × d_p); got ${shapeOf(DA)}`);
  if (DB.rows !== d[p] || DB.columns !== d[0]) throw new ShapeError(fn, `dB must be ${d[p]}×${d[0]} (d_p × d_0); got ${shapeOf(DB)}`);
  const { A, B } = twoLayerSplit(d, theta, p);
  // M = W_{h-1} ... W_{p+1} (identity when p = h - 1); N = W_p ... W_2 (identity when p = 1)
  const M = product(theta, p, h - 1, d[p]); // layers p+1 .. h-1 (0-based p .. h-2)
  const N = product(theta, 1, p, d[p]); // layers 2 .. p (0-based 1 .. p-1)
  const k = d[p];
  const rankOf = (X: Matrix): number => {
    const s = svd(X).s;
    return s.filter((v) => v > rankTol * (s[0] ?? 0)).length;
  };
  const rM = rankOf(M);
  if (rM < k) throw new AssumptionError(fn, `W_{h-1:p+1} must have full column rank d_p = ${k} for the lift; got rank ${rM}`);
  const rN = rankOf(N);
  if (rN < k) throw new AssumptionError(fn, `W_{p:2} must have full row rank d_p = ${k} for the lift; got rank ${rN}`);
  const Mp = pinv(M);
  const Np = pinv(N);
  const lifted = theta.map((W) => W.clone() as Matrix);
  lifted[h - 1] = add(theta[h - 1], mmul(DA, Mp), fn);
  lifted[0] = add(lifted[0], mmul(Np, DB), fn);
  const target = mmul(add(A, DA, fn), add(B, DB, fn), fn);
  const norm2 = (X: Matrix): number => svd(X).s[0] ?? 0;
  const fro = (X: Matrix): number => Math.sqrt(X.to1DArray().reduce((a, v) => a + v * v, 0));
  return { p, A, B, M, N, theta: lifted, target, changeBound: fro(DA) * norm2(Mp) + norm2(Np) * fro(DB) };
}

/** `theta[to-1] ... theta[from]` (0-based, half-open), or `I_n` when empty. */
function product(theta: Theta, from: number, to: number, n: number): Matrix {
  if (to <= from) return Matrix.eye(n, n);
  let P = theta[from].clone() as Matrix;
  for (let k = from + 1; k < to; k++) P = mmul(theta[k], P);
  return P;
}
