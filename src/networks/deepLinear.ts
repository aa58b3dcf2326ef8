/**
 * Deep linear networks `mu(theta) = W_h ... W_1` and their differentials (TKB §1; T1, T2).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { add, asMatrix, eye, mmul, transpose, zeros } from "../core/matrix";
import { JUPYTER_DISPLAY } from "../display/mime";
import type { Parameterization } from "./parameterization";
import { Theta, ThetaLike, Widths, toTheta, fibreDimension, functionalDim, isFilling, paramCount, validateWidths, weightShapes } from "./widths";

/**
 * `mu(theta) = W_h W_{h-1} ... W_1`, a `d_h × d_0` matrix: the parameterisation of TKB §1 (T1, T2).
 * @param widths - `d_0, ..., d_h`.
 * @param theta - `[W_1, ..., W_h]`, `W_i` of shape `d_i × d_{i-1}`.
 * @throws DomainError for bad widths; ShapeError if a `W_i` has the wrong shape.
 */
export function mu(widths: Widths, theta: ThetaLike): Matrix {
  theta = toTheta("mu", validateWidths(widths, "mu"), theta);
  return productRange(theta, 0, theta.length, widths[0]);
}

/**
 * Partial product after layer `i`: `W_{>i} = W_h ... W_{i+1}` (`d_h × d_i`; identity for `i = h`); its column
 * space is the left factor of T1's `Im dmu(theta) = sum_i Col(W_{>i}) ⊗ Row(W_{<i})`.
 * @param i - layer index, `1 <= i <= h` (THEOREMS.md numbering).
 * @throws DomainError for bad widths, a non-finite entry or `i` outside `[1, h]`; ShapeError for a bad `theta`.
 */
export function partialAfter(widths: Widths, theta: ThetaLike, i: number): Matrix {
  theta = toTheta("partialAfter", validateWidths(widths, "partialAfter"), theta);
  checkLayer("partialAfter", i, theta.length);
  return productRange(theta, i, theta.length, widths[i]);
}

/**
 * Partial product before layer `i`: `W_{<i} = W_{i-1} ... W_1` (`d_{i-1} × d_0`; identity for `i = 1`); its row
 * space is the right factor of T1.
 * @param i - layer index, `1 <= i <= h`.
 * @throws DomainError for bad widths, a non-finite entry or `i` outside `[1, h]`; ShapeError for a bad `theta`.
 */
export function partialBefore(widths: Widths, theta: ThetaLike, i: number): Matrix {
  theta = toTheta("partialBefore", validateWidths(widths, "partialBefore"), theta);
  checkLayer("partialBefore", i, theta.length);
  return productRange(theta, 0, i - 1, widths[0]);
}

/** Product `W_{to} ... W_{from+1}` of `theta[from..to-1]` (0-based, half-open); identity of size `dimIn` if empty. */
function productRange(theta: Theta, from: number, to: number, dimIn: number): Matrix {
  if (to <= from) return eye(from < theta.length ? theta[from].columns : dimIn);
  let P = theta[from].clone() as Matrix;
  for (let k = from + 1; k < to; k++) P = mmul(theta[k], P, "mu", [`W_${k + 1}`, `W_${k}...`]);
  return P;
}

function checkLayer(fn: string, i: number, h: number): void {
  if (!Number.isInteger(i) || i < 1 || i > h) throw new DomainError(fn, `i must be an integer in [1, ${h}]; got ${describe(i)}`);
}

/**
 * All partial products at once: `after[k] = W_{>k+1}` and `before[k] = W_{<k+1}` for `k = 0..h-1`
 * (0-based layer index), in O(h) products: the factors of T1 and of the chain rule (P1).
 * @throws DomainError for bad widths or a non-finite entry; ShapeError for a bad `theta`.
 */
export function partialProducts(widths: Widths, theta: ThetaLike): { before: Matrix[]; after: Matrix[] } {
  const d = validateWidths(widths, "partialProducts");
  theta = toTheta("partialProducts", d, theta);
  const h = theta.length;
  const before: Matrix[] = new Array(h);
  const after: Matrix[] = new Array(h);
  before[0] = eye(d[0]);
  for (let k = 1; k < h; k++) before[k] = mmul(theta[k - 1], before[k - 1]);
  after[h - 1] = eye(d[h]);
  for (let k = h - 2; k >= 0; k--) after[k] = mmul(after[k + 1], theta[k + 1]);
  return { before, after };
}

/**
 * The differential `dmu(theta)[V] = sum_i W_{>i} V_i W_{<i}` (T1).
 * @throws ShapeError if `V` does not have the shapes of `theta`.
 */
export function dMu(widths: Widths, theta: ThetaLike, V: ThetaLike): Matrix {
  theta = toTheta("dMu", validateWidths(widths, "dMu"), theta);
  const { before, after } = partialProducts(widths, theta);
  V = toTheta("dMu", widths, V, "V");
  let S = zeros(widths[widths.length - 1], widths[0]);
  for (let k = 0; k < theta.length; k++) S = add(S, mmul(mmul(after[k], V[k]), before[k]));
  return S;
}

/**
 * The adjoint `dmu(theta)^T[G] = (W_{>i}^T G W_{<i}^T)_i`: the chain rule `dL/dW_i` with `G = grad l(mu(theta))`
 * (P1: `grad L(theta) = dmu(theta)^T grad l(mu(theta))`).
 * @param theta - `[W_1..W_h]`, `W_i` is `d_i × d_{i-1}`.
 * @param G - a `d_h × d_0` matrix.
 * @returns one `d_i × d_{i-1}` block per layer.
 * @throws DomainError for bad widths or non-finite entries; ShapeError if `theta` does not match the widths or `G`
 * is not `d_h × d_0`.
 */
export function dMuT(widths: Widths, theta: ThetaLike, G: Matrix): Matrix[] {
  theta = toTheta("dMuT", validateWidths(widths, "dMuT"), theta);
  const { before, after } = partialProducts(widths, theta);
  const d = widths;
  G = asMatrix("dMuT", "G", G);
  if (G.rows !== d[d.length - 1] || G.columns !== d[0]) {
    throw new ShapeError("dMuT", `G must be ${d[d.length - 1]}×${d[0]} (d_h×d_0); got ${G.rows}×${G.columns}`);
  }
  return theta.map((_, k) => mmul(mmul(transpose(after[k]), G), transpose(before[k])));
}

/**
 * `d/dt dmu(theta + tV)^T[G]` at `t = 0`: for layer `i`,
 * `sum_{j > i} (W_{>j} V_j W_{(i,j)})^T G W_{<i}^T + sum_{j < i} W_{>i}^T G (W_{(j,i)} V_j W_{<j})^T`,
 * where `W_{(a,b)}` is the product of the layers strictly between `a` and `b`. This is the second term of the
 * chain-rule Hessian `Hess L[V] = dmu^T[Hess l[dmu[V]]] + d2MuT(theta, grad l, V)` (P1), which decides the
 * saddles of Ex-1, Ex-2 and T5.
 * @param G - `d_h × d_0` (usually `grad l(mu(theta))`); @param V - a direction with the shapes of `theta`.
 * @throws DomainError for bad widths or a non-finite entry; ShapeError for a bad `theta` or `V` (a `G` of the
 * wrong shape fails in the checked products with ShapeError).
 */
export function d2MuT(widths: Widths, theta: ThetaLike, G: Matrix, V: ThetaLike): Matrix[] {
  const d = validateWidths(widths, "d2MuT");
  theta = toTheta("d2MuT", d, theta);
  V = toTheta("d2MuT", d, V, "V");
  const h = theta.length;
  const out: Matrix[] = [];
  for (let i = 0; i < h; i++) {
    // d/dt of after[i]^T G before[i]^T, where after[i] = W_h..W_{i+2}, before[i] = W_i..W_1 (1-based)
    let dAfter = zeros(d[h], d[i + 1]);
    for (let j = i + 1; j < h; j++) {
      const left = productRange(theta, j + 1, h, d[j + 1]); // W_h .. W_{j+2}
      const right = productRange(theta, i + 1, j, d[i + 1]); // W_j .. W_{i+2}
      dAfter = add(dAfter, mmul(mmul(left, V[j]), right));
    }
    let dBefore = zeros(d[i], d[0]);
    for (let j = 0; j < i; j++) {
      const left = productRange(theta, j + 1, i, d[j + 1]);
      const right = productRange(theta, 0, j, d[0]);
      dBefore = add(dBefore, mmul(mmul(left, V[j]), right));
    }
    const after = productRange(theta, i + 1, h, d[i + 1]);
    const before = productRange(theta, 0, i, d[0]);
    out.push(add(mmul(mmul(transpose(dAfter), G), transpose(before)), mmul(mmul(transpose(after), G), transpose(dBefore))));
  }
  return out;
}

/**
 * A deep linear network as a {@link Parameterization}: `mu(theta) = W_h ... W_1` for fixed widths (TKB §1;
 * T1, T2). Its methods check their arguments as the free functions {@link mu}, {@link dMu}, {@link dMuT},
 * {@link d2MuT} do (DomainError / ShapeError).
 */
export class DeepLinearNetwork implements Parameterization {
  readonly widths: Widths;
  readonly description: string;
  readonly paramShapes: ReadonlyArray<readonly [number, number]>;
  readonly outputShape: readonly [number, number];
  readonly paramCount: number;

  /** @throws DomainError unless widths are at least two positive integers. */
  constructor(widths: Widths) {
    this.widths = validateWidths(widths, "DeepLinearNetwork");
    this.description = `deep linear (${this.widths.join(", ")})`;
    this.paramShapes = weightShapes(this.widths);
    this.outputShape = [this.widths[this.widths.length - 1], this.widths[0]];
    this.paramCount = paramCount(this.widths);
  }
  mu(theta: ThetaLike): Matrix {
    return mu(this.widths, theta);
  }
  dMu(theta: ThetaLike, V: ThetaLike): Matrix {
    return dMu(this.widths, theta, V);
  }
  dMuT(theta: ThetaLike, G: Matrix): Matrix[] {
    return dMuT(this.widths, theta, G);
  }
  d2MuT(theta: ThetaLike, G: Matrix, V: ThetaLike): Matrix[] {
    return d2MuT(this.widths, theta, G, V);
  }

  /** Bottleneck `r = min_i d_i` (G1). */
  get r(): number {
    return Math.min(...this.widths);
  }

  /** Filling: `r = min(d_0, d_h)` (T4). */
  get filling(): boolean {
    return isFilling(this.widths);
  }

  /** Rich display: widths, bottleneck, filling, parameter count, `dim M_r` and fibre dimension (markdown + plain text). */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const d = this.widths;
    const kind = this.filling ? "filling" : "non-filling";
    const dimM = functionalDim(d);
    const fib = fibreDimension(d);
    return {
      "text/markdown": [
        `**Deep linear network** $d = (${d.join(", ")})$, depth $h = ${d.length - 1}$`,
        "",
        "| bottleneck $r$ | kind | parameters | $\\dim \\mathcal M_r$ | fibre dimension |",
        "|---|---|---|---|---|",
        `| ${this.r} | ${kind} | ${this.paramCount} | ${dimM} | ${fib} |`,
      ].join("\n"),
      "text/plain": `deep linear network d = (${d.join(", ")}): r = ${this.r}, ${kind}, ${this.paramCount} parameters, dim M_r = ${dimM}, fibre dimension ${fib}`,
    };
  }
}

/**
 * Convenience constructor: `new DeepLinearNetwork(widths)`, the map `mu(theta) = W_h ... W_1` (TKB §1; T1, T2).
 * @param widths - `d_0, ..., d_h`, at least two positive integers.
 * @throws DomainError for bad widths.
 */
export function deepLinear(widths: Widths): DeepLinearNetwork {
  return new DeepLinearNetwork(widths);
}
