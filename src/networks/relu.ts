/**
 * One-hidden-layer ReLU networks without bias (Zhou–Liang §4; B8, B9): `mu(theta) = W_2 relu(W_1 X)` on fixed
 * data `X` (`d_0 × N`), a `d_2 × N` matrix of outputs. A bias is modelled by a constant input row: append a row
 * of ones to `X` (then `d_0` counts it).
 *
 * `mu` is piecewise linear in `W_1`: smooth away from the kinks `(W_1 X)_{js} = 0`. Derivatives are taken only
 * where every pre-activation satisfies `|(W_1 X)_{js}| > kinkTol`; at a kink they throw `DegenerateError`
 * (kind `"kink"`): the point is reported as non-smooth, never silently differentiated with a convention for
 * `relu'(0)`.
 * @module
 */
import { checkOptions } from "../core/options";
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, ShapeError, describe } from "../core/errors";
import { assertBlocks, BlocksLike, toBlocks } from "../core/blocks";
import { assertFinite, isMatrix, shapeOf, toMatrix } from "../core/matrix";
import { JUPYTER_DISPLAY } from "../display/mime";
import type { Parameterization } from "./parameterization";

/** A pre-activation at (or within `kinkTol` of) zero: hidden unit `unit`, sample `sample`. */
export interface Kink {
  /** Hidden unit `j` (row of `W_1 X`, 0-based). */
  unit: number;
  /** Sample `s` (column of `X`, 0-based). */
  sample: number;
  /** The pre-activation `(W_1 X)_{js}`. */
  value: number;
}

/** Options of {@link reluNetwork}. */
export interface ReluOptions {
  /** Absolute tolerance: `|(W_1 X)_{js}| <= kinkTol` is a kink (default `1e-10`). */
  kinkTol?: number;
}

/**
 * One-hidden-layer ReLU network `mu(W_1, W_2) = W_2 relu(W_1 X)` as a {@link Parameterization}
 * (`theta = [W_1 (d_1×d_0), W_2 (d_2×d_1)]`, output `d_2 × N`). On a fixed activation pattern
 * `S = 1[W_1 X > 0]`: `dmu[V] = V_2 relu(Z) + W_2 (S ∘ (V_1 X))`, `dmu^T[G] = [(S ∘ (W_2^T G)) X^T, G relu(Z)^T]`,
 * `d2muT(G, V) = [(S ∘ (V_2^T G)) X^T, G (S ∘ (V_1 X))^T]` with `Z = W_1 X` (B8).
 */
export class ReluNetwork implements Parameterization {
  /** Input width (rows of `X`). */
  readonly d0: number;
  /** Hidden width. */
  readonly d1: number;
  /** Output width. */
  readonly d2: number;
  /** The data `X` (`d_0 × N`, a copy). */
  readonly X: Matrix;
  /** Kink tolerance (absolute). */
  readonly kinkTol: number;
  readonly description: string;
  readonly paramShapes: ReadonlyArray<readonly [number, number]>;
  readonly outputShape: readonly [number, number];
  readonly paramCount: number;

  /**
   * @throws DomainError for widths that are not positive integers, a negative or non-finite `kinkTol`, or
   * non-finite data; ShapeError unless `X` has `d0` rows.
   */
  constructor(d0: number, d1: number, d2: number, X: Matrix | ReadonlyArray<ReadonlyArray<number>>, options: ReluOptions = {}) {
    const fn = "reluNetwork";
    checkOptions(fn, options, ["kinkTol"]);
    for (const [name, v] of [["d0", d0], ["d1", d1], ["d2", d2]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new DomainError(fn, `${name} must be a positive integer; got ${describe(v)}`);
    }
    let Xm: Matrix;
    if (isMatrix(X)) Xm = (X as Matrix).clone() as Matrix;
    else if (Array.isArray(X) && X.length > 0 && X.every((r) => Array.isArray(r) && r.length === (X[0] as readonly number[]).length)) Xm = toMatrix(fn, "X", X);
    else throw new ShapeError(fn, `X must be a ${d0}×N Matrix or array of rows; got ${describe(X)}`);
    if (Xm.rows !== d0 || Xm.columns < 1) throw new ShapeError(fn, `X must be ${d0}×N (d0 rows, N >= 1 samples as columns); got ${shapeOf(Xm)}`);
    assertFinite(fn, "X", Xm);
    const tol = options.kinkTol ?? 1e-10;
    if (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0) throw new DomainError(fn, `kinkTol must be a finite number >= 0; got ${describe(tol)}`);
    this.d0 = d0;
    this.d1 = d1;
    this.d2 = d2;
    this.X = Xm;
    this.kinkTol = tol;
    this.paramShapes = Object.freeze([[d1, d0] as const, [d2, d1] as const]);
    this.outputShape = Object.freeze([d2, Xm.columns] as const);
    this.paramCount = d1 * d0 + d2 * d1;
    this.description = `ReLU (${d0}, ${d1}, ${d2}) on ${Xm.columns} samples`;
  }

  /** Pre-activations `Z = W_1 X` (`d_1 × N`). @throws ShapeError / DomainError for a bad `theta`. */
  preActivations(theta: BlocksLike): Matrix {
    theta = toBlocks("ReluNetwork.preActivations", this.paramShapes, theta);
    return this.Z(theta[0]);
  }

  private Z(W1: Matrix): Matrix {
    return W1.mmul(this.X) as Matrix; // shapes checked by assertBlocks
  }

  /**
   * All pre-activations with `|(W_1 X)_{js}| <= kinkTol` (the non-smooth locus; never throws on kinks).
   * @throws ShapeError / DomainError for a bad `theta`.
   */
  kinks(theta: BlocksLike): Kink[] {
    theta = toBlocks("ReluNetwork.kinks", this.paramShapes, theta);
    const Z = this.Z(theta[0]);
    const out: Kink[] = [];
    for (let j = 0; j < Z.rows; j++) for (let s = 0; s < Z.columns; s++) if (Math.abs(Z.get(j, s)) <= this.kinkTol) out.push({ unit: j, sample: s, value: Z.get(j, s) });
    return out;
  }

  /** Activation pattern `S = 1[W_1 X > 0]` as 0/1 entries (`d_1 × N`). @throws ShapeError / DomainError for a bad `theta`. */
  activationPattern(theta: BlocksLike): Matrix {
    theta = toBlocks("ReluNetwork.activationPattern", this.paramShapes, theta);
    const Z = this.Z(theta[0]);
    const S = new Matrix(Z.rows, Z.columns);
    for (let j = 0; j < Z.rows; j++) for (let s = 0; s < Z.columns; s++) S.set(j, s, Z.get(j, s) > 0 ? 1 : 0);
    return S;
  }

  /** `mu(theta) = W_2 relu(W_1 X)` (`d_2 × N`; defined at kinks too). @throws ShapeError / DomainError for a bad `theta`. */
  mu(theta: BlocksLike): Matrix {
    theta = toBlocks("ReluNetwork.mu", this.paramShapes, theta);
    return theta[1].mmul(relu(this.Z(theta[0]))) as Matrix;
  }

  /** Pattern at a smooth point. @throws DegenerateError kind "kink" at a kink. */
  private smoothPattern(fn: string, theta: readonly Matrix[]): { Z: Matrix; S: Matrix } {
    const Z = this.Z(theta[0]);
    const S = new Matrix(Z.rows, Z.columns);
    for (let j = 0; j < Z.rows; j++) {
      for (let s = 0; s < Z.columns; s++) {
        const z = Z.get(j, s);
        if (Math.abs(z) <= this.kinkTol) {
          throw new DegenerateError(fn, "kink", `theta must be away from the ReLU kinks (|(W_1 X)_js| > kinkTol = ${this.kinkTol}); got (W_1 X)_{${j},${s}} = ${z}: mu is not differentiable here (non-smooth point, not a critical point)`);
        }
        S.set(j, s, z > 0 ? 1 : 0);
      }
    }
    return { Z, S };
  }

  /** `dmu[V] = V_2 relu(Z) + W_2 (S ∘ (V_1 X))`. @throws DegenerateError (kind "kink") at a kink; ShapeError / DomainError for bad blocks. */
  dMu(theta: BlocksLike, V: BlocksLike): Matrix {
    const fn = "ReluNetwork.dMu";
    theta = toBlocks(fn, this.paramShapes, theta);
    V = toBlocks(fn, this.paramShapes, V, "V");
    const { Z, S } = this.smoothPattern(fn, theta);
    const A = V[1].mmul(relu(Z)) as Matrix;
    const B = theta[1].mmul(hadamard(S, V[0].mmul(this.X) as Matrix)) as Matrix;
    return A.add(B) as Matrix; // A is a fresh matrix
  }

  /** `dmu^T[G] = [(S ∘ (W_2^T G)) X^T, G relu(Z)^T]`. @throws DegenerateError (kind "kink") at a kink; ShapeError / DomainError for bad input. */
  dMuT(theta: BlocksLike, G: Matrix): Matrix[] {
    const fn = "ReluNetwork.dMuT";
    theta = toBlocks(fn, this.paramShapes, theta);
    this.checkG(fn, G);
    const { Z, S } = this.smoothPattern(fn, theta);
    const g1 = hadamard(S, theta[1].transpose().mmul(G) as Matrix).mmul(this.X.transpose()) as Matrix;
    const g2 = G.mmul(relu(Z).transpose()) as Matrix;
    return [g1, g2];
  }

  /** `d2muT(G, V) = [(S ∘ (V_2^T G)) X^T, G (S ∘ (V_1 X))^T]`. @throws DegenerateError (kind "kink") at a kink; ShapeError / DomainError for bad input. */
  d2MuT(theta: BlocksLike, G: Matrix, V: BlocksLike): Matrix[] {
    const fn = "ReluNetwork.d2MuT";
    theta = toBlocks(fn, this.paramShapes, theta);
    V = toBlocks(fn, this.paramShapes, V, "V");
    this.checkG(fn, G);
    const { S } = this.smoothPattern(fn, theta);
    const a = hadamard(S, V[1].transpose().mmul(G) as Matrix).mmul(this.X.transpose()) as Matrix;
    const b = G.mmul(hadamard(S, V[0].mmul(this.X) as Matrix).transpose()) as Matrix;
    return [a, b];
  }

  private checkG(fn: string, G: unknown): asserts G is Matrix {
    if (!isMatrix(G)) throw new ShapeError(fn, `G must be a ${this.d2}×${this.X.columns} Matrix; got ${describe(G)}`);
    if (G.rows !== this.d2 || G.columns !== this.X.columns) throw new ShapeError(fn, `G must be ${this.d2}×${this.X.columns} (d2×N); got ${shapeOf(G)}`);
    assertFinite(fn, "G", G);
  }

  /** Rich display: widths, samples, parameter count, kink tolerance. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const text = `${this.description}: mu = W_2 relu(W_1 X), ${this.paramCount} parameters, kinkTol ${this.kinkTol}`;
    return {
      "text/markdown": `**One-hidden-layer ReLU network** $\\mu(\\theta) = W_2\\,\\mathrm{relu}(W_1 X)$, widths (${this.d0}, ${this.d1}, ${this.d2}), ${this.X.columns} samples, ${this.paramCount} parameters (no bias; kink tolerance ${this.kinkTol})`,
      "text/plain": text,
    };
  }
}

function relu(Z: Matrix): Matrix {
  const R = new Matrix(Z.rows, Z.columns);
  for (let i = 0; i < Z.rows; i++) for (let j = 0; j < Z.columns; j++) R.set(i, j, Math.max(0, Z.get(i, j)));
  return R;
}

function hadamard(A: Matrix, B: Matrix): Matrix {
  const C = new Matrix(A.rows, A.columns);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) C.set(i, j, A.get(i, j) * B.get(i, j));
  return C;
}

/**
 * One-hidden-layer ReLU network `mu(theta) = W_2 relu(W_1 X)`, no bias (append a constant row of ones to `X`
 * for one) (B8, B9). See {@link ReluNetwork}.
 * @param d0 - input width (rows of `X`); @param d1 - hidden width; @param d2 - output width;
 * @param X - `d0 × N` data, samples as columns.
 * @throws DomainError for bad widths, kinkTol or data; ShapeError unless `X` has `d0` rows.
 */
export function reluNetwork(d0: number, d1: number, d2: number, X: Matrix | ReadonlyArray<ReadonlyArray<number>>, options: ReluOptions = {}): ReluNetwork {
  return new ReluNetwork(d0, d1, d2, X, options);
}
