/**
 * A critical-point finder that converges to saddles as well as minima: it minimises
 * `phi(x) = 1/2 ||grad L(x)||^2`, whose zeros are exactly the critical points of `L` (minima, saddles,
 * maxima alike). Two methods:
 * - `"lm"`: Levenberg–Marquardt on the gradient map with the dense Hessian (`J = Hess L`, symmetric), for
 *   small networks (`dim <= denseLimit`);
 * - `"newton-mr"`: Newton-MR (Roosta, Liu, Xu & Cartis 2022): direction from MINRES on `Hess L p = -grad L`
 *   with Hessian-vector products only, step by backtracking on `||grad L||^2`, for larger networks.
 * Serves T5 (recovering every critical image, pure and spurious), D1, A2.
 * @module
 */
import { Matrix } from "ml-matrix";
import { symEig } from "../core/linalg";
import { assertObjective, dot, evalFG, evalHv, FlatObjective, norm2, StartPoint, toFlat } from "./objective";
import { minres } from "./minres";
import { finish, Monitor, numOption, OptimizeResult, OPTIMIZER_OPTION_KEYS, OptimizerOptions, resolveCommon, StopReason } from "./optimizer";
import { checkOptions } from "../core/options";
import { finiteArray } from "../core/args";
import { DomainError, describe } from "../core/errors";

/** Options of {@link findCriticalPoint}. */
export interface FindCriticalOptions extends OptimizerOptions {
  /** `"lm"` (dense Levenberg–Marquardt) or `"newton-mr"`; default `"lm"` when `dim <= denseLimit`, else `"newton-mr"`. */
  method?: "lm" | "newton-mr";
  /** Largest `dim` for the dense method; default `400`. */
  denseLimit?: number;
  /** Initial relative damping `nu_0` (LM: `mu = nu * lambda_max(H)^2`); default `1e-3`. */
  damping?: number;
  /** Lower bound of `nu`; default `1e-15`. */
  dampingMin?: number;
  /** Upper bound of `nu`: above it the run stops as `"stalled"` (a stationary point of `||grad L||^2` that is not critical). Default `1e8`. */
  dampingMax?: number;
  /** Newton-MR: relative residual tolerance of MINRES; default `1e-10`. */
  minresTol?: number;
  /** Newton-MR: MINRES iteration cap per Newton step; default `dim`. */
  minresMaxIter?: number;
  /**
   * Stop as `"stalled"` when `||grad L||` has not decreased by the factor `stallFactor` over `stallWindow`
   * iterations; default `0.999`.
   */
  stallFactor?: number;
  /** Window (iterations) of the stall test; default `50`. */
  stallWindow?: number;
}

/** Result of {@link findCriticalPoint}: an {@link OptimizeResult} (its `value` is `L(x)`, `gradNorm` is `||grad L(x)||`). */
export interface FindCriticalResult extends OptimizeResult {
  /** Final relative damping (LM) or last step length (Newton-MR). */
  damping: number;
  /** Eigenvalues of the dense Hessian at the final point, descending (LM only). */
  hessianEigenvalues?: number[];
}

/** The option keys of {@link findCriticalPoint} besides the common ones (`OPTIMIZER_OPTION_KEYS`). */
export const FIND_CRITICAL_OPTION_KEYS: readonly string[] = ["method", "denseLimit", "damping", "dampingMin", "dampingMax", "minresTol", "minresMaxIter", "stallFactor", "stallWindow"];

/**
 * Finds a critical point of `L` (any kind) near `x0` by minimising `1/2 ||grad L||^2`.
 *
 * LM iteration: with `H = Hess L(x) = Q diag(lambda) Q^T` (dense, from `dim` Hessian-vector products,
 * symmetrised), `g = grad L(x)`, `c = Q^T g`, the step is
 * `p = -Q diag(lambda_i / (lambda_i^2 + mu)) c` (the minimiser of `||g + H p||^2 + mu ||p||^2`) with
 * `mu = nu * max_i lambda_i^2`. The step is accepted when the gain ratio
 * `rho = (||g||^2 - ||g(x+p)||^2) / (||g||^2 - ||g + H p||^2) > 1e-4`; then `nu <- max(nu/3, dampingMin)` if
 * `rho > 0.75`, `nu <- 2 nu` if `rho < 0.25`; a rejection sets `nu <- 4 nu`. As `nu -> 0` the step tends to the
 * pseudo-inverse Newton step `-H^+ g`, which converges quadratically to critical sets that are manifolds with
 * `dim = nullity(H)` (the fibres of T3). Newton-MR: `p` = MINRES solution of `H p = -g`, step `alpha` by
 * backtracking until `||g(x + alpha p)||^2 <= ||g||^2 + 2e-4 alpha <H p, g>`.
 *
 * Cutoffs (all user-visible): `maxIter` (default 500), `gradTol` (default `1e-10`), `dampingMin/Max`,
 * stall detection; `converged` only when `||grad L|| <= gradTol` (or `valueTol` on `L`, off by default).
 * Reason `"stalled"`: the damping hit `dampingMax`, or `||grad L||` stopped decreasing (the run sits at a
 * stationary point of `||grad L||^2` that is not critical, or converges sublinearly to a degenerate one).
 * @param L - a landscape (or a {@link FlatObjective} with `hessianVectorFlat`; without it, central differences
 *   of the gradient are used).
 * @param x0 - start (flat vector or `theta` blocks; not modified).
 * @throws DomainError for bad options; ShapeError for a wrong length of `x0`.
 */
export function findCriticalPoint(L: FlatObjective, x0: StartPoint, options: FindCriticalOptions = {}): FindCriticalResult {
  const fn = "findCriticalPoint";
  assertObjective(fn, L);
  checkOptions(fn, options, [...OPTIMIZER_OPTION_KEYS, ...FIND_CRITICAL_OPTION_KEYS]);
  const opts = { ...options, gradTol: options.gradTol ?? 1e-10 };
  const o = resolveCommon(fn, opts, 500, FIND_CRITICAL_OPTION_KEYS);
  const denseLimit = numOption(fn, "denseLimit", options.denseLimit, 400, 0, { integer: true });
  const method = options.method ?? (L.dim <= denseLimit ? "lm" : "newton-mr");
  if (method !== "lm" && method !== "newton-mr") throw new DomainError(fn, `method must be "lm" or "newton-mr"; got ${describe(method)}`);
  const nu0 = numOption(fn, "damping", options.damping, 1e-3, 0);
  const nuMin = numOption(fn, "dampingMin", options.dampingMin, 1e-15, 0);
  const nuMax = numOption(fn, "dampingMax", options.dampingMax, 1e8, 0, { strictMin: true });
  const stallFactor = numOption(fn, "stallFactor", options.stallFactor, 0.999, 0);
  const stallWindow = numOption(fn, "stallWindow", options.stallWindow, 50, 1, { integer: true });
  const minresTol = numOption(fn, "minresTol", options.minresTol, 1e-10, 0);
  const minresMaxIter = numOption(fn, "minresMaxIter", options.minresMaxIter, L.dim, 1, { integer: true });

  const n = L.dim;
  const x = toFlat(fn, L, x0);
  const g = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const p = new Float64Array(n);
  const Hp = new Float64Array(n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  const c = new Float64Array(n);
  const scratch = { tmpx: new Float64Array(n), g1: new Float64Array(n), g2: new Float64Array(n) };
  const H = new Matrix(n, n);
  const mon = new Monitor(o);
  let f = evalFG(L, x, g);
  mon.evaluations++;
  let gn = norm2(g);
  let nu = nu0;
  let step = 0;
  let eig: { values: number[]; vectors: Matrix } | null = null;
  const window: number[] = [];
  let reason: StopReason | null;

  const denseHessian = (): void => {
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      evalHv(L, x, e, col, scratch);
      for (let i = 0; i < n; i++) H.set(i, j, col[i]);
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const s = 0.5 * (H.get(i, j) + H.get(j, i));
        H.set(i, j, s);
        H.set(j, i, s);
      }
    }
    eig = symEig(H, Infinity, "eager");
  };

  while ((reason = mon.check(f, gn, x, step)) === null) {
    window.push(gn);
    if (window.length > stallWindow) {
      const old = window.shift() as number;
      if (gn > stallFactor * old) {
        reason = "stalled";
        break;
      }
    }
    if (method === "lm") {
      denseHessian();
      const { values, vectors } = eig as unknown as { values: number[]; vectors: Matrix };
      let lmax2 = 0;
      for (const l of values) lmax2 = Math.max(lmax2, l * l);
      if (lmax2 === 0) lmax2 = 1;
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += vectors.get(i, k) * g[i];
        c[k] = s;
      }
      let accepted = false;
      while (!accepted) {
        const mu = nu * lmax2;
        // p = -Q diag(l/(l^2+mu)) c ; predicted ||g + H p||^2 = sum c_k^2 (mu/(l^2+mu))^2
        p.fill(0);
        let pred = 0;
        for (let k = 0; k < n; k++) {
          const l = values[k];
          const den = l * l + mu;
          const coef = den > 0 ? -(l / den) * c[k] : 0;
          const res = den > 0 ? (mu / den) * c[k] : c[k];
          pred += res * res;
          if (coef !== 0) for (let i = 0; i < n; i++) p[i] += coef * vectors.get(i, k);
        }
        for (let i = 0; i < n; i++) xt[i] = x[i] + p[i];
        const ft = evalFG(L, xt, gt);
        mon.evaluations++;
        const gtn = norm2(gt);
        const actual = gn * gn - gtn * gtn;
        const predicted = gn * gn - pred;
        const rho = predicted > 0 ? actual / predicted : actual > 0 ? 1 : -1;
        if (Number.isFinite(ft) && Number.isFinite(gtn) && rho > 1e-4) {
          accepted = true;
          x.set(xt);
          g.set(gt);
          f = ft;
          gn = gtn;
          step = norm2(p);
          if (rho > 0.75) nu = Math.max(nu / 3, nuMin);
          else if (rho < 0.25) nu = Math.min(2 * nu, nuMax);
        } else {
          nu *= 4;
          if (nu > nuMax) break;
        }
      }
      if (!accepted) {
        reason = "stalled";
        break;
      }
    } else {
      // Newton-MR
      for (let i = 0; i < n; i++) c[i] = -g[i];
      const sol = minres((v, out) => void evalHv(L, x, v, out, scratch), c, { rtol: minresTol, maxIter: minresMaxIter });
      p.set(sol.x);
      evalHv(L, x, p, Hp, scratch);
      const slope = dot(Hp, g); // d/dalpha 1/2||g(x+alpha p)||^2 at 0
      if (!(slope < 0)) {
        reason = "stalled";
        break;
      }
      let alpha = 1;
      let accepted = false;
      for (let k = 0; k < 40; k++) {
        for (let i = 0; i < n; i++) xt[i] = x[i] + alpha * p[i];
        const ft = evalFG(L, xt, gt);
        mon.evaluations++;
        const gtn = norm2(gt);
        if (Number.isFinite(ft) && gtn * gtn <= gn * gn + 2e-4 * alpha * slope) {
          x.set(xt);
          g.set(gt);
          f = ft;
          gn = gtn;
          accepted = true;
          break;
        }
        alpha *= 0.5;
      }
      if (!accepted) {
        reason = "stalled";
        break;
      }
      step = alpha;
      nu = alpha;
    }
    mon.iterations++;
  }
  const res = finish(method, L, x, f, gn, mon, reason) as FindCriticalResult;
  res.damping = nu;
  if (method === "lm" && n <= denseLimit) {
    denseHessian();
    res.hessianEigenvalues = (eig as unknown as { values: number[] }).values.slice();
  }
  return res;
}

/**
 * Inertia `(negative, zero, positive)` of a list of eigenvalues with the zero threshold
 * `tol * max(1, max |lambda|)` (default `tol = 1e-6`).
 * @throws DomainError for a negative or non-finite `tol`, or non-finite eigenvalues.
 */
export function inertia(eigenvalues: readonly number[], tol = 1e-6): { negative: number; zero: number; positive: number; threshold: number } {
  if (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0) throw new DomainError("inertia", `tol must be a finite number >= 0; got ${describe(tol)}`);
  finiteArray("inertia", "eigenvalues", eigenvalues);
  let m = 1;
  for (const l of eigenvalues) m = Math.max(m, Math.abs(l));
  const t = tol * m;
  let negative = 0;
  let zero = 0;
  let positive = 0;
  for (const l of eigenvalues) {
    if (l < -t) negative++;
    else if (l > t) positive++;
    else zero++;
  }
  return { negative, zero, positive, threshold: t };
}
