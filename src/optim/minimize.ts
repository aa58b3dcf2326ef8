/**
 * One entry point for the optimisers, chosen by name (what surveys and workers use), and seeded random
 * starting points.
 * @module
 */
import { DomainError, describe } from "../core/errors";
import type { Rng } from "../core/random";
import { validateWidths, weightShapes, Widths } from "../networks/widths";
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { adam, ADAM_OPTION_KEYS, AdamOptions } from "./adam";
import { FIND_CRITICAL_OPTION_KEYS } from "./finder";
import { gradientDescent, GRADIENT_DESCENT_OPTION_KEYS, GradientDescentOptions } from "./gd";
import { lbfgs, LBFGS_OPTION_KEYS, LbfgsOptions } from "./lbfgs";
import { momentum, MOMENTUM_OPTION_KEYS, MomentumOptions } from "./momentum";
import { assertObjective, FlatObjective, StartPoint } from "./objective";
import { OPTIMIZER_OPTION_KEYS, OptimizeResult } from "./optimizer";

/**
 * Optimiser names: `"gd"` (fixed step), `"gd-armijo"` (backtracking), `"momentum"` (heavy ball),
 * `"nesterov"`, `"adam"`, `"lbfgs"`.
 */
export type OptimizerName = "gd" | "gd-armijo" | "momentum" | "nesterov" | "adam" | "lbfgs";

/** The options of any optimiser (each reads the fields it knows). */
export type AnyOptimizerOptions = GradientDescentOptions & MomentumOptions & AdamOptions & LbfgsOptions;

/** The list of {@link OptimizerName}s. */
export const OPTIMIZERS: readonly OptimizerName[] = ["gd", "gd-armijo", "momentum", "nesterov", "adam", "lbfgs"];

/**
 * Runs the named optimiser from `x0`: `minimize(L, x0, "lbfgs", { gradTol: 1e-10 })`.
 * @param L - a landscape or any {@link FlatObjective}.
 * @param x0 - start (flat vector of length `L.dim` or `theta` blocks; not modified).
 * @param method - one of {@link OPTIMIZERS}; default `"lbfgs"`.
 * @throws DomainError for an unknown method or bad options; UnknownOptionError for a key the method does not read.
 */
export function minimize(L: FlatObjective, x0: StartPoint, method: OptimizerName = "lbfgs", options: AnyOptimizerOptions = {}): OptimizeResult {
  if (!OPTIMIZERS.includes(method)) throw new DomainError("minimize", `method must be one of ${OPTIMIZERS.join(", ")}; got ${describe(method)}`);
  checkOptions("minimize", options, optimizerOptionKeys(method));
  switch (method) {
    case "gd":
      return gradientDescent(L, x0, { ...options, lineSearch: "fixed" });
    case "gd-armijo":
      return gradientDescent(L, x0, { ...options, lineSearch: "armijo" });
    case "momentum":
      return momentum(L, x0, { ...options, nesterov: false });
    case "nesterov":
      return momentum(L, x0, { ...options, nesterov: true });
    case "adam":
      return adam(L, x0, options);
    case "lbfgs":
      return lbfgs(L, x0, options);
    default:
      throw new DomainError("minimize", `method must be one of ${OPTIMIZERS.join(", ")}; got ${describe(method)}`);
  }
}

/**
 * The option keys a named optimiser accepts (common keys and its own), e.g. for checking options up front.
 * @throws DomainError for an unknown method.
 */
export function optimizerOptionKeys(method: OptimizerName | "finder"): readonly string[] {
  const own: Record<string, readonly string[]> = {
    gd: GRADIENT_DESCENT_OPTION_KEYS.filter((k) => k !== "lineSearch"),
    "gd-armijo": GRADIENT_DESCENT_OPTION_KEYS.filter((k) => k !== "lineSearch"),
    momentum: MOMENTUM_OPTION_KEYS.filter((k) => k !== "nesterov"),
    nesterov: MOMENTUM_OPTION_KEYS.filter((k) => k !== "nesterov"),
    adam: ADAM_OPTION_KEYS,
    lbfgs: LBFGS_OPTION_KEYS,
    finder: FIND_CRITICAL_OPTION_KEYS,
  };
  if (!(method in own)) throw new DomainError("optimizerOptionKeys", `method must be one of ${OPTIMIZERS.join(", ")}, finder; got ${describe(method)}`);
  return [...OPTIMIZER_OPTION_KEYS, ...own[method]];
}

/**
 * Scale of a random start: a number `s` gives i.i.d. `N(0, s^2)` entries; `"glorot"` gives block `W_i`
 * entries `N(0, 2 / (d_{i-1} + d_i))` (Glorot & Bengio 2010).
 */
export type StartScale = number | "glorot";

/**
 * A seeded random starting point `x = pack(theta)` with i.i.d. Gaussian entries.
 *
 * `scale = s` (default `0.5`, as in the E-A1 experiments): every entry `N(0, s^2)`. `scale = "glorot"`: block
 * `k` (shape `r × c`) has entries `N(0, 2 / (r + c))`. Block shapes come from `L.net.paramShapes` or from the
 * widths (`W_i` is `d_i × d_{i-1}`); a plain objective without shapes accepts numeric scales only.
 * @param target - a landscape / objective (`dim`, optional `net.paramShapes`) or the widths `d_0..d_h`.
 * @param r - the seeded generator (advanced by `dim` normal draws).
 * @returns a flat vector of length `dim` (block by block, row-major).
 * @throws DomainError for a bad scale, bad widths, or `"glorot"` without block shapes; ResourceError above
 *   `WORK_LIMITS.denseEntries` parameters.
 */
export function randomStart(target: FlatObjective | Widths, r: Rng, scale: StartScale = 0.5): Float64Array {
  const fn = "randomStart";
  let shapes: ReadonlyArray<readonly [number, number]> | null = null;
  let dim: number;
  if (Array.isArray(target)) {
    const d = validateWidths(target, fn);
    shapes = weightShapes(d);
    dim = shapes.reduce((s, [a, b]) => s + a * b, 0);
  } else {
    assertObjective(fn, target);
    dim = (target as FlatObjective).dim;
    const net = (target as { net?: { paramShapes?: ReadonlyArray<readonly [number, number]> } }).net;
    if (net && Array.isArray(net.paramShapes)) shapes = net.paramShapes;
  }
  if (!r || typeof (r as Rng).normal !== "function") throw new DomainError(fn, `r must be an Rng (rng(seed)); got ${describe(r)}`);
  checkWork(fn, `a start of ${dim} parameters`, dim, WORK_LIMITS.denseEntries, "smaller widths");
  const x = new Float64Array(dim);
  if (scale === "glorot") {
    if (!shapes) throw new DomainError(fn, `scale "glorot" needs block shapes (a landscape or widths); got an objective without net.paramShapes`);
    let k = 0;
    for (const [a, b] of shapes) {
      const s = Math.sqrt(2 / (a + b));
      for (let i = 0; i < a * b; i++) x[k++] = s * r.normal();
    }
    return x;
  }
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale < 0) throw new DomainError(fn, `scale must be a finite number >= 0 or "glorot"; got ${describe(scale)}`);
  for (let i = 0; i < dim; i++) x[i] = scale * r.normal();
  return x;
}
