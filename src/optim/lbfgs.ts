/**
 * L-BFGS (Nocedal 1980; Liu & Nocedal 1989) on `theta` with a strong Wolfe line search.
 * @module
 */
import { assertObjective, dot, evalFG, FlatObjective, norm2, StartPoint, toFlat } from "./objective";
import { finish, Monitor, numOption, OptimizeResult, OptimizerOptions, resolveCommon, StopReason } from "./optimizer";
import { strongWolfe } from "./lineSearch";

/** Options of {@link lbfgs}. */
export interface LbfgsOptions extends OptimizerOptions {
  /** Number of stored correction pairs `m`; default `10`. */
  memory?: number;
  /** Wolfe sufficient-decrease constant; default `1e-4`. */
  c1?: number;
  /** Wolfe curvature constant; default `0.9`. */
  c2?: number;
  /** Evaluations per line search; default `30`. */
  lineSearchEvaluations?: number;
}

/** The option keys of {@link lbfgs} besides the common ones (`OPTIMIZER_OPTION_KEYS`). */
export const LBFGS_OPTION_KEYS: readonly string[] = ["memory", "c1", "c2", "lineSearchEvaluations"];

/**
 * Limited-memory BFGS: direction `d = -H_k g` by the two-loop recursion over the last `m` pairs
 * `s = x_{k+1} - x_k`, `y = g_{k+1} - g_k` with `H_0 = (s^T y / y^T y) I`; step by the strong Wolfe line
 * search (first trial `1`, or `min(1, 1/||g||)` on the first iteration). Pairs with
 * `s^T y <= 1e-12 ||s|| ||y||` are skipped; a non-descent direction resets the memory. Stops with
 * `"lineSearchFailed"` when no step decreases `L` twice in a row (usually: gradient at round-off level).
 * Memory is `2 m dim` doubles, allocated once.
 * @param L - a landscape or any {@link FlatObjective}.
 * @param x0 - start (flat vector or `theta` blocks; not modified).
 * @throws DomainError for bad options; ShapeError for a wrong length of `x0`.
 * Serves T4, T6 (basin statistics of Example A), A1 surveys.
 */
export function lbfgs(L: FlatObjective, x0: StartPoint, options: LbfgsOptions = {}): OptimizeResult {
  const fn = "lbfgs";
  assertObjective(fn, L);
  const o = resolveCommon(fn, options, 2000, LBFGS_OPTION_KEYS);
  const m = numOption(fn, "memory", options.memory, 10, 1, { integer: true });
  const c1 = numOption(fn, "c1", options.c1, 1e-4, 0, { strictMin: true });
  const c2 = numOption(fn, "c2", options.c2, 0.9, c1, { strictMin: true });
  const lsEval = numOption(fn, "lineSearchEvaluations", options.lineSearchEvaluations, 30, 1, { integer: true });
  const n = L.dim;
  const x = toFlat(fn, L, x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const S: Float64Array[] = Array.from({ length: m }, () => new Float64Array(n));
  const Y: Float64Array[] = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphaBuf = new Float64Array(m);
  let count = 0; // stored pairs
  let head = 0; // next slot
  const mon = new Monitor(o);
  let f = evalFG(L, x, g);
  mon.evaluations++;
  let gn = norm2(g);
  let step = 0;
  let failures = 0;
  let reason: StopReason | null;
  const phi = (a: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xt[i] = x[i] + a * d[i];
    const v = evalFG(L, xt, gt);
    return { value: v, slope: dot(gt, d) };
  };
  while ((reason = mon.check(f, gn, x, step)) === null) {
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < count; k++) {
      const j = (head - 1 - k + m) % m;
      const a = rho[j] * dot(S[j], d);
      alphaBuf[j] = a;
      const yj = Y[j];
      for (let i = 0; i < n; i++) d[i] -= a * yj[i];
    }
    if (count > 0) {
      const j = (head - 1 + m) % m;
      const gamma = dot(S[j], Y[j]) / dot(Y[j], Y[j]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = count - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = rho[j] * dot(Y[j], d);
      const sj = S[j];
      const c = alphaBuf[j] - b;
      for (let i = 0; i < n; i++) d[i] += c * sj[i];
    }
    let d0 = dot(g, d);
    if (!(d0 < 0)) {
      // not a descent direction: reset to steepest descent
      count = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      d0 = -gn * gn;
    }
    const alpha1 = count === 0 ? Math.min(1, 1 / Math.max(gn, 1e-300)) : 1;
    const ls = strongWolfe(phi, f, d0, alpha1, { c1, c2, maxEvaluations: lsEval });
    mon.evaluations += ls.evaluations;
    if (ls.alpha === 0) {
      failures++;
      count = 0;
      if (failures >= 2) {
        reason = "lineSearchFailed";
        break;
      }
      continue;
    }
    failures = 0;
    if (ls.lastAlpha !== ls.alpha) {
      phi(ls.alpha);
      mon.evaluations++;
    }
    // store the pair s = alpha d, y = g_new - g
    const sj = S[head];
    const yj = Y[head];
    for (let i = 0; i < n; i++) {
      sj[i] = xt[i] - x[i];
      yj[i] = gt[i] - g[i];
    }
    const sy = dot(sj, yj);
    if (sy > 1e-12 * norm2(sj) * norm2(yj)) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      if (count < m) count++;
    }
    x.set(xt);
    g.set(gt);
    f = ls.value;
    gn = norm2(g);
    step = ls.alpha;
    mon.iterations++;
  }
  return finish("lbfgs", L, x, f, gn, mon, reason);
}
