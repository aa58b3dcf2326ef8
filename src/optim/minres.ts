/**
 * MINRES (Paige & Saunders 1975) for symmetric, possibly indefinite or singular systems `A p = b`, given
 * only products `v -> A v` (Hessian-vector products). Used by the Newton-MR critical-point finder.
 * @module
 */

import { DomainError, describe } from "../core/errors";
import { finiteArray, intArg, tolArg } from "../core/args";
import { checkOptions } from "../core/options";
/** Options of {@link minres}. */
export interface MinresOptions {
  /** Maximum Lanczos steps; default `b.length`. */
  maxIter?: number;
  /** Stop when `||A p - b|| <= rtol ||b||` or `||A r|| <= rtol ||A|| ||r||` (least-squares); default `1e-10`. */
  rtol?: number;
}

/** Result of {@link minres}. */
export interface MinresResult {
  /** The approximate solution (a fresh array). */
  x: Float64Array;
  /** `||A x - b||` estimate. */
  residualNorm: number;
  /** Estimate of `||A r||` (small for a least-squares solution of an incompatible singular system). */
  normalResidualNorm: number;
  /** Lanczos steps taken. */
  iterations: number;
  /** `"residual"`, `"leastSquares"`, `"krylovExhausted"` or `"maxIter"`. */
  reason: "residual" | "leastSquares" | "krylovExhausted" | "maxIter";
}

/**
 * Solves `A x = b` (or least squares `min ||A x - b||` when `A` is singular) by MINRES from `x_0 = 0`.
 *
 * Lanczos tridiagonalisation of `A` on `K_k(A, b)` with Givens QR; the iterates minimise `||A x - b||` over
 * the Krylov space, so `<b, A x_k> >= 0` (Newton-MR uses `p = x` for `A = Hess L`, `b = -grad L`, a
 * descent direction for `||grad L||^2`). For incompatible singular systems MINRES (not MINRES-QLP) returns
 * a least-squares solution that need not have minimum length.
 * @param apply - `(v, out) => out = A v` for symmetric `A`.
 * @param b - right-hand side (not modified).
 * @throws DomainError for a non-function `apply`, a non-finite `b` or bad options; UnknownOptionError for an unknown key.
 */
export function minres(apply: (v: Float64Array, out: Float64Array) => void, b: Float64Array, options: MinresOptions = {}): MinresResult {
  const fn = "minres";
  if (typeof apply !== "function") throw new DomainError(fn, `apply must be a function (v, out) => void; got ${describe(apply)}`);
  if (!(b instanceof Float64Array) && !Array.isArray(b)) throw new DomainError(fn, `b must be a Float64Array; got ${describe(b)}`);
  finiteArray(fn, "b", Array.isArray(b) ? b : Array.from(b));
  checkOptions(fn, options, ["maxIter", "rtol"]);
  const n = b.length;
  const maxIter = options.maxIter ?? n;
  const rtol = options.rtol ?? 1e-10;
  intArg(fn, "options.maxIter", maxIter, 0);
  tolArg(fn, "options.rtol", rtol);
  const x = new Float64Array(n);
  const r1 = Float64Array.from(b);
  const r2 = Float64Array.from(b);
  const y = Float64Array.from(b);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const w1 = new Float64Array(n);
  const w2 = new Float64Array(n);
  let beta1 = 0;
  for (let i = 0; i < n; i++) beta1 += b[i] * b[i];
  beta1 = Math.sqrt(beta1);
  if (beta1 === 0) return { x, residualNorm: 0, normalResidualNorm: 0, iterations: 0, reason: "residual" };
  let oldb = 0;
  let beta = beta1;
  let dbar = 0;
  let epsln = 0;
  let phibar = beta1;
  let cs = -1;
  let sn = 0;
  let tnorm2 = 0;
  let arnorm = Infinity;
  let itn = 0;
  let reason: MinresResult["reason"] = "maxIter";
  while (itn < maxIter) {
    itn++;
    const s = 1 / beta;
    for (let i = 0; i < n; i++) v[i] = s * y[i];
    apply(v, y);
    if (itn >= 2) {
      const c = beta / oldb;
      for (let i = 0; i < n; i++) y[i] -= c * r1[i];
    }
    let alfa = 0;
    for (let i = 0; i < n; i++) alfa += v[i] * y[i];
    const c2 = alfa / beta;
    for (let i = 0; i < n; i++) y[i] -= c2 * r2[i];
    r1.set(r2);
    r2.set(y);
    oldb = beta;
    beta = 0;
    for (let i = 0; i < n; i++) beta += y[i] * y[i];
    beta = Math.sqrt(beta);
    tnorm2 += alfa * alfa + oldb * oldb + beta * beta;
    const oldeps = epsln;
    const delta = cs * dbar + sn * alfa;
    const gbar = sn * dbar - cs * alfa;
    epsln = sn * beta;
    dbar = -cs * beta;
    const root = Math.hypot(gbar, dbar);
    arnorm = phibar * root;
    let gamma = Math.hypot(gbar, beta);
    gamma = Math.max(gamma, 1e-300);
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar = sn * phibar;
    const denom = 1 / gamma;
    w1.set(w2);
    w2.set(w);
    for (let i = 0; i < n; i++) {
      w[i] = (v[i] - oldeps * w1[i] - delta * w2[i]) * denom;
      x[i] += phi * w[i];
    }
    const anorm = Math.sqrt(tnorm2);
    if (phibar <= rtol * beta1) {
      reason = "residual";
      break;
    }
    if (arnorm <= rtol * anorm * phibar) {
      reason = "leastSquares";
      break;
    }
    if (beta <= 1e-14 * anorm) {
      reason = "krylovExhausted";
      break;
    }
  }
  return { x, residualNorm: phibar, normalResidualNorm: arnorm, iterations: itn, reason };
}
