/**
 * Internal helpers of the verdict modules (argument checks, Jacobian of mu, block norms). Not re-exported
 * from the barrel.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { blockSize, unpackBlocks } from "../core/blocks";
import { frobNorm } from "../core/matrix";
import type { Parameterization } from "../networks/parameterization";
import type { NetLoss } from "./netLoss";

/** Validates a landscape-like argument. @internal */
export function netLossArg(fn: string, L: unknown): NetLoss {
  const x = L as NetLoss;
  if (!x || typeof x !== "object" || !x.net || !x.loss || typeof x.net.mu !== "function" || typeof x.loss.value !== "function") {
    throw new DomainError(fn, `L must be a Landscape (landscape(net, loss)) or { net, loss }; got ${describe(L)}`);
  }
  const [m, n] = x.net.outputShape;
  if (x.loss.shape[0] !== m || x.loss.shape[1] !== n) {
    throw new ShapeError(fn, `loss.shape must equal net.outputShape ${m}×${n}; got ${x.loss.shape[0]}×${x.loss.shape[1]}`);
  }
  return x;
}

/** Checks a tolerance option. @internal */
export function tolOption(fn: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new DomainError(fn, `${name} must be a finite number >= 0; got ${describe(v)}`);
  return v;
}

/**
 * Dense Jacobian of `vec mu` (row-major) with respect to `theta` (pack order): `(m n) × paramCount`,
 * column `k` = `dmu(theta)[e_k]` (T1). Private helper; to be replaced by the networks module's `dMuJacobian`.
 * @internal
 */
export function jacobianOfMu(net: Parameterization, theta: readonly Matrix[]): Matrix {
  const [m, n] = net.outputShape;
  const p = blockSize(net.paramShapes);
  const J = new Matrix(m * n, p);
  const e = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    e.fill(0);
    e[k] = 1;
    const D = net.dMu(theta, unpackBlocks(net.paramShapes, e));
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) J.set(i * n + j, k, D.get(i, j));
  }
  return J;
}

/** Frobenius norm over a list of blocks. @internal */
export function blocksNorm(B: readonly Matrix[]): number {
  let s = 0;
  for (const M of B) s += frobNorm(M) ** 2;
  return Math.sqrt(s);
}

