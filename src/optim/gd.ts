/**
 * Gradient descent on `theta`: `x_{k+1} = x_k - alpha_k grad L(x_k)`, with a fixed step or Armijo
 * backtracking. Used for the GD experiments of A1 (E-A1a/b) and T4.
 * @module
 */
import { assertObjective, evalFG, FlatObjective, norm2, StartPoint, toFlat } from "./objective";
import { finish, Monitor, numOption, OptimizeResult, OptimizerOptions, resolveCommon, StopReason } from "./optimizer";

/** Options of {@link gradientDescent}. */
export interface GradientDescentOptions extends OptimizerOptions {
  /** Fixed learning rate (default `0.01`), or the first trial step of the Armijo search (default `1`). */
  step?: number;
  /** `"fixed"` (default) or `"armijo"`: backtrack `alpha <- shrink * alpha` until `L(x - alpha g) <= L(x) - c1 alpha ||g||^2`. */
  lineSearch?: "fixed" | "armijo";
  /** Armijo constant `c1` in (0, 1); default `1e-4`. */
  c1?: number;
  /** Backtracking factor in (0, 1); default `0.5`. */
  shrink?: number;
  /**
   * Armijo: each iteration starts from `grow * previous step`, capped at `maxStep`. Default `1`: the step
   * never increases (robust; `grow > 1` adapts faster to flattening landscapes but can oscillate between
   * accepted steps near `2 / lambda_max` on ill-conditioned problems).
   */
  grow?: number;
  /** Largest Armijo trial step; default `1e3`. */
  maxStep?: number;
}

/** The option keys of {@link gradientDescent} besides the common ones (`OPTIMIZER_OPTION_KEYS`). */
export const GRADIENT_DESCENT_OPTION_KEYS: readonly string[] = ["step", "lineSearch", "c1", "shrink", "grow", "maxStep"];

/**
 * Gradient descent `x_{k+1} = x_k - alpha_k grad L(x_k)`.
 *
 * Fixed step: `alpha_k = step`. Armijo: `alpha_k` is the first of `alpha_0, shrink alpha_0, ...` with
 * `L(x - alpha g) <= L(x) - c1 alpha ||g||^2`, where `alpha_0 = min(maxStep, grow * alpha_{k-1})`;
 * stops with `"lineSearchFailed"` after 60 halvings. Buffers are allocated once; the loop allocates nothing.
 * @param L - a landscape or any {@link FlatObjective} (`dim` parameters).
 * @param x0 - start: a flat vector of length `L.dim` or the blocks `theta` (not modified).
 * @returns an {@link OptimizeResult}; `converged` when `||grad L|| <= gradTol` or the value stalls within `valueTol`.
 * @throws DomainError for bad options or non-finite `x0`; ShapeError for a wrong length.
 * Serves A1 (E-A1a, E-A1b), T4.
 */
export function gradientDescent(L: FlatObjective, x0: StartPoint, options: GradientDescentOptions = {}): OptimizeResult {
  const fn = "gradientDescent";
  assertObjective(fn, L);
  const o = resolveCommon(fn, options, 10000, GRADIENT_DESCENT_OPTION_KEYS);
  const armijo = options.lineSearch === "armijo";
  const step = numOption(fn, "step", options.step, armijo ? 1 : 0.01, 0, { strictMin: true });
  const c1 = numOption(fn, "c1", options.c1, 1e-4, 0, { strictMin: true });
  const shrink = numOption(fn, "shrink", options.shrink, 0.5, 0, { strictMin: true });
  const grow = numOption(fn, "grow", options.grow, 1, 1);
  const maxStep = numOption(fn, "maxStep", options.maxStep, 1e3, 0, { strictMin: true });
  const n = L.dim;
  const x = toFlat(fn, L, x0);
  const g = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const mon = new Monitor(o);
  let f = evalFG(L, x, g);
  mon.evaluations++;
  let gn = norm2(g);
  let alpha = armijo ? step / grow : step;
  let reason: StopReason | null;
  while ((reason = mon.check(f, gn, x, alpha)) === null) {
    if (!armijo) {
      for (let i = 0; i < n; i++) x[i] -= alpha * g[i];
      f = evalFG(L, x, g);
      mon.evaluations++;
      gn = norm2(g);
    } else {
      alpha = Math.min(maxStep, alpha * grow);
      const g2 = gn * gn;
      let accepted = false;
      let ft = NaN;
      for (let k = 0; k < 60; k++) {
        for (let i = 0; i < n; i++) xt[i] = x[i] - alpha * g[i];
        ft = evalFG(L, xt, gt);
        mon.evaluations++;
        if (Number.isFinite(ft) && ft <= f - c1 * alpha * g2) {
          accepted = true;
          break;
        }
        alpha *= shrink;
      }
      if (!accepted) {
        reason = "lineSearchFailed";
        break;
      }
      x.set(xt);
      g.set(gt);
      f = ft;
      gn = norm2(g);
    }
    mon.iterations++;
  }
  return finish(armijo ? "gd-armijo" : "gd", L, x, f, gn, mon, reason);
}
