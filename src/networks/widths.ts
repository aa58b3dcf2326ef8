/**
 * Architectures of linear networks: widths `d = (d_0, ..., d_h)`, the bottleneck `r`, filling or not,
 * parameter counts and the packing of `theta = (W_1, ..., W_h)` into one flat vector.
 *
 * Notation (THEOREMS.md, notebook 00): `W_i` is `d_i × d_{i-1}`; `h` is the number of weight matrices;
 * `r = min_i d_i`; the functional space is `M_r = {W in R^{d_h×d_0} : rank W <= r}`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { asMatrix, assertFinite, isMatrix, shapeOf } from "../core/matrix";
import type { BlocksLike } from "../core/blocks";

/** Widths `d_0, ..., d_h` of a linear network (`d_0` inputs, `d_h` outputs). */
export type Widths = readonly number[];

/** The weights `theta = [W_1, ..., W_h]`, `W_i` of shape `d_i × d_{i-1}`. */
export type Theta = readonly Matrix[];

/** `theta` as Matrices or arrays of rows (every public function of `theta` converts and checks it). */
export type ThetaLike = BlocksLike;

/**
 * Validates widths: an array of at least two positive integers. Generic infrastructure (argument checking of
 * every architecture function).
 * @returns a frozen copy.
 * @throws DomainError naming the first offending entry.
 */
export function validateWidths(widths: unknown, fn = "validateWidths"): Widths {
  if (!Array.isArray(widths)) throw new DomainError(fn, `widths must be an array of positive integers; got ${describe(widths)}`);
  if (widths.length < 2) throw new DomainError(fn, `widths must have at least two entries (d_0, d_h); got ${describe(widths)}`);
  widths.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1) throw new DomainError(fn, `widths[${i}] must be a positive integer; got ${describe(d)}`);
  });
  return Object.freeze(widths.slice()) as Widths;
}

/**
 * Depth `h` = number of weight matrices = `widths.length - 1` (THEOREMS.md notation; generic infrastructure).
 * @throws DomainError for bad widths.
 */
export function depth(widths: Widths): number {
  return validateWidths(widths, "depth").length - 1;
}

/**
 * Bottleneck `r = min_i d_i`: the largest rank `mu(theta)` can have (THEOREMS.md notation; G1).
 */
export function bottleneck(widths: Widths): number {
  return Math.min(...validateWidths(widths, "bottleneck"));
}

/**
 * Filling: `r = min(d_0, d_h)`, so the functional space `M_r` is all `d_h × d_0` matrices (TKB; T4).
 * Non-filling means a strict bottleneck in a hidden layer (T5, T6).
 */
export function isFilling(widths: Widths): boolean {
  const d = validateWidths(widths, "isFilling");
  return Math.min(...d) === Math.min(d[0], d[d.length - 1]);
}

/**
 * Number of parameters `sum_i d_i d_{i-1}` (the dimension of the parameter space; the `dim theta` of T3's fibre
 * dimension `dim theta - dim M_r`).
 * @throws DomainError for bad widths.
 */
export function paramCount(widths: Widths): number {
  const d = validateWidths(widths, "paramCount");
  let n = 0;
  for (let i = 1; i < d.length; i++) n += d[i] * d[i - 1];
  return n;
}

/**
 * Dimension of the determinantal variety `M_r` in `R^{m×n}`: `r (m + n - r)` for `r <= min(m, n)` (G1).
 * @throws DomainError unless `0 <= r` and `m, n >= 1` are integers.
 */
export function determinantalDim(m: number, n: number, r: number): number {
  for (const [name, v] of [["m", m], ["n", n]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DomainError("determinantalDim", `${name} must be a positive integer; got ${describe(v)}`);
  }
  if (!Number.isInteger(r) || r < 0) throw new DomainError("determinantalDim", `r must be a non-negative integer; got ${describe(r)}`);
  const k = Math.min(r, m, n);
  return k * (m + n - k);
}

/** `dim M_r = r (d_0 + d_h - r)` for the architecture's functional space (G1). */
export function functionalDim(widths: Widths): number {
  const d = validateWidths(widths, "functionalDim");
  return determinantalDim(d[d.length - 1], d[0], Math.min(...d));
}

/**
 * Dimension of the fibre `mu^{-1}(W)` over a point `W` of rank exactly `r`: `dim theta - dim M_r`
 * (T2: `mu` is a submersion there; T3). This is also the number of zero Hessian eigenvalues expected at a
 * non-degenerate pure critical point of rank r.
 */
export function fibreDimension(widths: Widths): number {
  return paramCount(widths) - functionalDim(widths);
}

/**
 * Shapes `[d_i, d_{i-1}]` of `W_1, ..., W_h` (generic infrastructure).
 * @throws DomainError for bad widths.
 */
export function weightShapes(widths: Widths): Array<[number, number]> {
  const d = validateWidths(widths, "weightShapes");
  const out: Array<[number, number]> = [];
  for (let i = 1; i < d.length; i++) out.push([d[i], d[i - 1]]);
  return out;
}

/**
 * Validates `theta` against widths: `theta.length === h`, `theta[i-1]` is `d_i × d_{i-1}`, entries finite.
 * Generic infrastructure (argument checking of every function of `theta`).
 * @throws ShapeError naming the offending layer and both shapes; DomainError for a non-finite entry.
 */
export function assertTheta(fn: string, widths: Widths, theta: unknown, name = "theta"): asserts theta is Theta {
  const shapes = weightShapes(widths);
  if (!Array.isArray(theta)) throw new ShapeError(fn, `${name} must be an array of ${shapes.length} matrices; got ${describe(theta)}`);
  if (theta.length !== shapes.length) {
    throw new ShapeError(fn, `${name} must have ${shapes.length} matrices for widths [${widths.join(", ")}]; got ${theta.length}`);
  }
  theta.forEach((W, k) => {
    if (!isMatrix(W)) throw new ShapeError(fn, `${name}[${k}] must be a Matrix; got ${describe(W)}`);
    const [r, c] = shapes[k];
    if (W.rows !== r || W.columns !== c) {
      throw new ShapeError(fn, `${name}[${k}] (W_${k + 1}) must be ${r}×${c} (widths[${k + 1}]×widths[${k}]); got ${shapeOf(W)}`);
    }
    assertFinite(fn, `${name}[${k}]`, W);
  });
}

/**
 * `theta` as Matrices: blocks given as arrays of rows are converted; shapes and finiteness checked as
 * {@link assertTheta} (generic infrastructure).
 * @throws ShapeError / DomainError as {@link assertTheta}.
 */
export function toTheta(fn: string, widths: Widths, theta: ThetaLike | unknown, name = "theta"): Matrix[] {
  if (!Array.isArray(theta)) throw new ShapeError(fn, `${name} must be an array of matrices; got ${describe(theta)}`);
  const out = theta.map((W, k) => (Array.isArray(W) ? asMatrix(fn, `${name}[${k}]`, W) : W));
  assertTheta(fn, widths, out, name);
  return out as Matrix[];
}

/**
 * Packs `theta` into one flat vector, layer by layer, each `W_i` row-major (the pack order of the Jacobian of
 * `mu`; generic infrastructure).
 * @throws ShapeError / DomainError as {@link assertTheta}.
 */
export function packTheta(widths: Widths, theta: ThetaLike): Float64Array {
  theta = toTheta("packTheta", widths, theta);
  const out = new Float64Array(paramCount(widths));
  let k = 0;
  for (const W of theta) for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) out[k++] = W.get(i, j);
  return out;
}

/**
 * Inverse of {@link packTheta} (generic infrastructure).
 * @throws ShapeError unless `flat.length === paramCount(widths)`; DomainError for a non-finite entry.
 */
export function unpackTheta(widths: Widths, flat: ArrayLike<number>): Matrix[] {
  const n = paramCount(widths);
  if (flat === null || typeof flat !== "object" || typeof flat.length !== "number") throw new ShapeError("unpackTheta", `flat must be an array of ${n} numbers; got ${describe(flat)}`);
  if (flat.length !== n) throw new ShapeError("unpackTheta", `flat must have length ${n} = paramCount([${widths.join(", ")}]); got ${flat.length}`);
  const out: Matrix[] = [];
  let k = 0;
  for (const [r, c] of weightShapes(widths)) {
    const W = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const v = flat[k++];
        if (!Number.isFinite(v)) throw new DomainError("unpackTheta", `flat must have finite entries; got ${describe(v)} at ${k - 1}`);
        W.set(i, j, v);
      }
    }
    out.push(W);
  }
  return out;
}
