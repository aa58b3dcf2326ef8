/**
 * The parameterisation interface: a network is a smooth (or piecewise smooth) map `mu` from parameters
 * `theta = (W_1, ..., W_k)` to a matrix (the end-to-end map for linear networks, the output on the data
 * for ReLU networks). The loss `l` lives on that matrix space; `L = l ∘ mu` is what optimisers see (D1).
 *
 * Blocks may be given as Matrices or as arrays of rows ({@link BlocksLike}); implementations convert and check them.
 *
 * The interface gives what the chain rule needs for the exact gradient and Hessian of `L`:
 * - `dMu(theta, V)`: the differential (Jacobian-vector product) `d/dt mu(theta + t V)` at `t = 0`;
 * - `dMuT(theta, G)`: its adjoint (vector-Jacobian product), so `grad L = dMuT(theta, grad l(mu(theta)))`;
 * - `d2MuT(theta, G, V)`: `d/dt dMuT(theta + t V, G)` at `t = 0`, the part of `Hess L[V]` that comes from
 *   `grad l` (zero for a linear `mu`):
 *   `Hess L[V] = dMuT(theta, Hess l[dMu(theta, V)]) + d2MuT(theta, grad l, V)`.
 * @module
 */
import type { Matrix } from "ml-matrix";
import type { BlocksLike } from "../core/blocks";

/** A network map `theta -> mu(theta)` with its first and second derivatives. */
export interface Parameterization {
  /** Human-readable kind, e.g. `"deep linear (3, 2, 4)"`. */
  readonly description: string;
  /** Shapes `[rows, cols]` of the parameter blocks `theta[k]`. */
  readonly paramShapes: ReadonlyArray<readonly [number, number]>;
  /** Shape `[rows, cols]` of `mu(theta)`. */
  readonly outputShape: readonly [number, number];
  /** Total number of scalar parameters. */
  readonly paramCount: number;
  /** `mu(theta)`. */
  mu(theta: BlocksLike): Matrix;
  /** Differential `dmu(theta)[V]`. */
  dMu(theta: BlocksLike, V: BlocksLike): Matrix;
  /** Adjoint of the differential: `dmu(theta)^T[G]`, one block per parameter. */
  dMuT(theta: BlocksLike, G: Matrix): Matrix[];
  /** Directional derivative of the adjoint: `d/dt dmu(theta + tV)^T[G]` at `t = 0`. */
  d2MuT(theta: BlocksLike, G: Matrix, V: BlocksLike): Matrix[];
}
