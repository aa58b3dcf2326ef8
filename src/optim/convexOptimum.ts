/**
 * The minimum of a smooth convex loss over all matrices, solved directly on `W` (no network): the reference
 * value `l* = min_W l(W)` that T4 says every local minimum of a filling network attains.
 * @module
 */
import { Matrix } from "ml-matrix";
import { AssumptionError, DomainError, ShapeError, describe } from "../core/errors";
import { svd, symEig } from "../core/linalg";
import { frobNorm } from "../core/matrix";
import { matArg, requireMinimiser } from "../losses/base";
import { lossHessian } from "../losses/custom";
import type { Loss } from "../losses/loss";
import { minimize } from "./minimize";
import type { FlatObjective } from "./objective";

/** The minimum of a convex loss over all matrices (T4's reference value). */
export interface ConvexOptimum {
  /** The minimiser `W*` (`m × n`). */
  W: Matrix;
  /** `l* = l(W*)`. */
  value: number;
  /** `||grad l(W*)||_F`: the certificate of optimality for a convex `l`. */
  gradientNorm: number;
  /** Singular values of `W*`, descending. */
  singularValues: number[];
  /** Numerical rank of `W*` (singular values `> rankTol * sigma_max`). */
  rank: number;
  /** L-BFGS iterations on `l`. */
  iterations: number;
  /** Newton steps accepted after L-BFGS. */
  newtonSteps: number;
  /** `"lbfgs"` or `"lbfgs+newton"`. */
  method: string;
}

/** Options of {@link convexOptimum}. */
export interface ConvexOptimumOptions {
  /** L-BFGS gradient tolerance on `l` (default `1e-12`). */
  gradTol?: number;
  /** L-BFGS iteration budget (default `20000`). */
  maxIter?: number;
  /** Newton steps after L-BFGS (dense Hessian of `l`, eigenvalues below `1e-12 · max` dropped; default `20`, `0` = off). */
  newtonSteps?: number;
  /** Relative rank tolerance for `rank W*` (default `1e-6`). */
  rankTol?: number;
  /** Start (default: the zero matrix). */
  start?: Matrix;
}

const OPTION_KEYS = ["gradTol", "maxIter", "newtonSteps", "rankTol", "start"];

/**
 * `l` as a flat objective on `vec_r(W)` (row-major), so that the optimisers can run on `W` itself.
 * @throws nothing beyond what `l` throws.
 */
function lossObjective(loss: Loss): FlatObjective {
  const [m, n] = loss.shape;
  const toW = (x: ArrayLike<number>): Matrix => {
    const W = new Matrix(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, x[i * n + j]);
    return W;
  };
  return {
    dim: m * n,
    valueFlat: (x) => loss.value(toW(x)),
    gradientFlat: (x, out) => {
      const G = loss.gradient(toW(x));
      const o = out ?? new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) o[i * n + j] = G.get(i, j);
      return o;
    },
  };
}

/**
 * The convex optimum `W* = argmin_W l(W)` over **all** `m × n` matrices, computed directly on `W`: L-BFGS on
 * `l(vec W)`, then Newton steps `W <- W - t Hess l(W)^+ grad l(W)` (pseudo-inverse on the eigenvalues above
 * `1e-12 · max`, backtracking `t = 1, 1/2, ...`) while they decrease `||grad l||_F` without raising `l`. For a
 * convex `l`, `grad l(W*) ≈ 0` certifies a global minimiser. Serves T4: in a filling architecture every local
 * minimum of `L = l ∘ mu` attains `l(W*)`, and this solve obtains that value without any network.
 * @param loss - a convex, smooth loss on `m × n` matrices that attains its minimum.
 * @param options - see {@link ConvexOptimumOptions}; `start` is `m × n`.
 * @returns `W*` (`m × n`), `l(W*)`, `||grad l(W*)||_F`, singular values and rank of `W*`, solver counts.
 * @throws AssumptionError when the loss is not declared convex and smooth; DegenerateError (`"no-minimiser"`)
 * when it reports no minimiser; ShapeError for a `start` of the wrong shape; DomainError for bad or unknown options.
 */
export function convexOptimum(loss: Loss, options: ConvexOptimumOptions = {}): ConvexOptimum {
  const fn = "convexOptimum";
  if (!loss || typeof loss !== "object" || typeof loss.gradient !== "function" || !Array.isArray(loss.shape)) {
    throw new DomainError(fn, `loss must be a Loss; got ${describe(loss)}`);
  }
  if (options === null || typeof options !== "object") throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.includes(k)) throw new DomainError(fn, `unknown option ${k}; expected one of ${OPTION_KEYS.join(", ")}`);
  }
  if (!loss.convex || !loss.smooth) throw new AssumptionError(fn, `loss must be convex and smooth (T4); got ${loss.name} (convex: ${loss.convex}, smooth: ${loss.smooth})`);
  requireMinimiser(loss, fn);
  const gradTol = posOption(fn, "gradTol", options.gradTol, 1e-12);
  const maxIter = intOption(fn, "maxIter", options.maxIter, 20000, 1);
  const newtonMax = intOption(fn, "newtonSteps", options.newtonSteps, 20, 0);
  const rankTol = posOption(fn, "rankTol", options.rankTol, 1e-6);
  const [m, n] = loss.shape;
  const f = lossObjective(loss);
  let x0 = new Float64Array(m * n);
  if (options.start !== undefined) {
    const S = matArg(fn, "options.start", options.start);
    if (S.rows !== m || S.columns !== n) throw new ShapeError(fn, `options.start must be ${m}×${n} (loss.shape); got ${S.rows}×${S.columns}`);
    x0 = Float64Array.from(S.to1DArray());
  }
  const res = minimize(f, x0, "lbfgs", { gradTol, maxIter });
  let W = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W.set(i, j, res.x[i * n + j]);
  let g = loss.gradient(W);
  let gn = frobNorm(g);
  let steps = 0;
  for (let k = 0; k < newtonMax && gn > 0; k++) {
    const { values, vectors } = symEig(lossHessian(loss, W), 1e-6);
    const top = Math.max(0, ...values.map(Math.abs));
    const gv = g.to1DArray();
    const dir = new Float64Array(gv.length);
    for (let e = 0; e < values.length; e++) {
      if (!(values[e] > 1e-12 * top)) continue;
      let c = 0;
      for (let i = 0; i < gv.length; i++) c += vectors.get(i, e) * gv[i];
      c /= values[e];
      for (let i = 0; i < gv.length; i++) dir[i] -= c * vectors.get(i, e);
    }
    const v0 = loss.value(W);
    let accepted = false;
    for (let t = 1; t > 1e-4; t /= 2) {
      const Wt = new Matrix(m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Wt.set(i, j, W.get(i, j) + t * dir[i * n + j]);
      const gt = loss.gradient(Wt);
      const gtn = frobNorm(gt);
      if (gtn < gn && loss.value(Wt) <= v0 + 1e-15 * Math.max(1, Math.abs(v0))) {
        W = Wt;
        g = gt;
        gn = gtn;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    steps++;
  }
  const s = svd(W).s;
  const top = s[0] ?? 0;
  return {
    W,
    value: loss.value(W),
    gradientNorm: gn,
    singularValues: s,
    rank: top > 0 ? s.filter((v) => v > rankTol * top).length : 0,
    iterations: res.iterations,
    newtonSteps: steps,
    method: steps > 0 ? "lbfgs+newton" : "lbfgs",
  };
}

function posOption(fn: string, name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new DomainError(fn, `options.${name} must be a finite number > 0; got ${describe(v)}`);
  return v;
}

function intOption(fn: string, name: string, v: unknown, def: number, min: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new DomainError(fn, `options.${name} must be an integer >= ${min}; got ${describe(v)}`);
  return v;
}
