/**
 * Adam (Kingma & Ba 2015) on `theta`.
 * @module
 */
import { DomainError } from "../core/errors";
import { assertObjective, evalFG, FlatObjective, norm2, StartPoint, toFlat } from "./objective";
import { finish, Monitor, numOption, OptimizeResult, OptimizerOptions, resolveCommon, StopReason } from "./optimizer";

/** Options of {@link adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** Learning rate `eta`; default `1e-3`. */
  step?: number;
  /** First-moment decay `beta1` in [0, 1); default `0.9`. */
  beta1?: number;
  /** Second-moment decay `beta2` in [0, 1); default `0.999`. */
  beta2?: number;
  /** `epsilon` in the denominator; default `1e-8`. */
  epsilon?: number;
}

/** The option keys of {@link adam} besides the common ones (`OPTIMIZER_OPTION_KEYS`). */
export const ADAM_OPTION_KEYS: readonly string[] = ["step", "beta1", "beta2", "epsilon"];

/**
 * Adam: `m <- beta1 m + (1 - beta1) g`, `s <- beta2 s + (1 - beta2) g^2`,
 * `x <- x - eta (m / (1 - beta1^k)) / (sqrt(s / (1 - beta2^k)) + epsilon)`.
 *
 * Adam's fixed step makes it hover at a distance ~`eta` from a minimum; use a small `gradTol` only with a
 * small `step`, or set `valueTol`.
 * @param L - a landscape or any {@link FlatObjective}.
 * @param x0 - start (flat vector or `theta` blocks; not modified).
 * @throws DomainError for bad options; ShapeError for a wrong length of `x0`.
 */
export function adam(L: FlatObjective, x0: StartPoint, options: AdamOptions = {}): OptimizeResult {
  const fn = "adam";
  assertObjective(fn, L);
  const o = resolveCommon(fn, options, 10000, ADAM_OPTION_KEYS);
  const eta = numOption(fn, "step", options.step, 1e-3, 0, { strictMin: true });
  const b1 = numOption(fn, "beta1", options.beta1, 0.9, 0);
  const b2 = numOption(fn, "beta2", options.beta2, 0.999, 0);
  const eps = numOption(fn, "epsilon", options.epsilon, 1e-8, 0);
  if (b1 >= 1 || b2 >= 1) throw new DomainError(fn, `beta1 and beta2 must be in [0, 1); got ${b1}, ${b2}`);
  const n = L.dim;
  const x = toFlat(fn, L, x0);
  const g = new Float64Array(n);
  const m = new Float64Array(n);
  const s = new Float64Array(n);
  const mon = new Monitor(o);
  let f = evalFG(L, x, g);
  mon.evaluations++;
  let gn = norm2(g);
  let p1 = 1;
  let p2 = 1;
  let reason: StopReason | null;
  while ((reason = mon.check(f, gn, x, eta)) === null) {
    p1 *= b1;
    p2 *= b2;
    const c1 = 1 / (1 - p1);
    const c2 = 1 / (1 - p2);
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i];
      x[i] -= (eta * m[i] * c1) / (Math.sqrt(s[i] * c2) + eps);
    }
    f = evalFG(L, x, g);
    mon.evaluations++;
    gn = norm2(g);
    mon.iterations++;
  }
  return finish("adam", L, x, f, gn, mon, reason);
}
