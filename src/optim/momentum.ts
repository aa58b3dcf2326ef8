/**
 * Momentum methods on `theta`: Polyak's heavy ball and Nesterov's accelerated gradient.
 * @module
 */
import { DomainError } from "../core/errors";
import { assertObjective, evalFG, FlatObjective, norm2, StartPoint, toFlat } from "./objective";
import { finish, Monitor, numOption, OptimizeResult, OptimizerOptions, resolveCommon, StopReason } from "./optimizer";

/** Options of {@link momentum}. */
export interface MomentumOptions extends OptimizerOptions {
  /** Learning rate `eta`; default `0.01`. */
  step?: number;
  /** Momentum `beta` in [0, 1); default `0.9`. */
  beta?: number;
  /** Nesterov's look-ahead gradient instead of the heavy ball; default `false`. */
  nesterov?: boolean;
}

/** The option keys of {@link momentum} besides the common ones (`OPTIMIZER_OPTION_KEYS`). */
export const MOMENTUM_OPTION_KEYS: readonly string[] = ["step", "beta", "nesterov"];

/**
 * Momentum gradient descent.
 *
 * Heavy ball: `v <- beta v - eta grad L(x)`, `x <- x + v`.
 * Nesterov (in the look-ahead variable, so the gradient is taken at the reported iterate):
 * `v' = beta v - eta grad L(x)`, `x <- x - beta v + (1 + beta) v'`, `v <- v'` (Bengio et al. 2013).
 * @param L - a landscape or any {@link FlatObjective}.
 * @param x0 - start (flat vector or `theta` blocks; not modified).
 * @throws DomainError for bad options; ShapeError for a wrong length of `x0`.
 * Serves the optimiser comparisons of the course (A1, T4, T6 basin statistics).
 */
export function momentum(L: FlatObjective, x0: StartPoint, options: MomentumOptions = {}): OptimizeResult {
  const fn = "momentum";
  assertObjective(fn, L);
  const o = resolveCommon(fn, options, 10000, MOMENTUM_OPTION_KEYS);
  const eta = numOption(fn, "step", options.step, 0.01, 0, { strictMin: true });
  const beta = numOption(fn, "beta", options.beta, 0.9, 0);
  if (beta >= 1) throw new DomainError(fn, `beta must be in [0, 1); got ${beta}`);
  const nesterov = options.nesterov === true;
  const n = L.dim;
  const x = toFlat(fn, L, x0);
  const g = new Float64Array(n);
  const v = new Float64Array(n);
  const mon = new Monitor(o);
  let f = evalFG(L, x, g);
  mon.evaluations++;
  let gn = norm2(g);
  let reason: StopReason | null;
  while ((reason = mon.check(f, gn, x, eta)) === null) {
    if (nesterov) {
      for (let i = 0; i < n; i++) {
        const vNew = beta * v[i] - eta * g[i];
        x[i] += -beta * v[i] + (1 + beta) * vNew;
        v[i] = vNew;
      }
    } else {
      for (let i = 0; i < n; i++) {
        v[i] = beta * v[i] - eta * g[i];
        x[i] += v[i];
      }
    }
    f = evalFG(L, x, g);
    mon.evaluations++;
    gn = norm2(g);
    mon.iterations++;
  }
  return finish(nesterov ? "nesterov" : "momentum", L, x, f, gn, mon, reason);
}
