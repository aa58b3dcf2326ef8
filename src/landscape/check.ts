/**
 * Derivative checks used by tests and notebooks: central differences (with Richardson extrapolation) for
 * gradients and Jacobians, and Taylor-slope tests (the first-order model's error falls like `h^2`, the
 * second-order model's like `h^3`), after pymanopt's `check_gradient` / `check_hessian` (P1).
 * @module
 */
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { lineFit } from "../core/fit";

/** A scalar function of a flat vector. */
export type FlatFunction = (x: Float64Array) => number;
/** A vector function of a flat vector (a gradient, or a Hessian-vector product for fixed `v`). */
export type FlatVectorFunction = (x: Float64Array) => ArrayLike<number>;

function vecArg(fn: string, name: string, x: unknown, n?: number): Float64Array {
  if (!(x instanceof Float64Array) && !Array.isArray(x)) throw new ShapeError(fn, `${name} must be a Float64Array or number array; got ${describe(x)}`);
  const a = Float64Array.from(x as ArrayLike<number>);
  if (a.length === 0) throw new ShapeError(fn, `${name} must be non-empty; got length 0`);
  if (n !== undefined && a.length !== n) throw new ShapeError(fn, `${name} must have length ${n}; got ${a.length}`);
  a.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new DomainError(fn, `${name} must have finite entries; got ${describe(v)} at index ${i}`);
  });
  return a;
}

function fnArg(fn: string, name: string, f: unknown): void {
  if (typeof f !== "function") throw new DomainError(fn, `${name} must be a function; got ${describe(f)}`);
}

function evalScalar(fn: string, f: FlatFunction, x: Float64Array): number {
  const v = f(Float64Array.from(x));
  if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `f must return a finite number; got ${describe(v)}`);
  return v;
}

function evalVector(fn: string, name: string, g: FlatVectorFunction, x: Float64Array, n: number): Float64Array {
  const v = g(Float64Array.from(x));
  if (!v || typeof v.length !== "number" || v.length !== n) throw new ShapeError(fn, `${name} must return ${n} numbers; got ${describe(v)}`);
  const out = Float64Array.from(v);
  out.forEach((y, i) => {
    if (!Number.isFinite(y)) throw new DomainError(fn, `${name} must return finite numbers; got ${describe(y)} at index ${i}`);
  });
  return out;
}

function stepArg(fn: string, h: unknown): number {
  if (typeof h !== "number" || !Number.isFinite(h) || h <= 0) throw new DomainError(fn, `h must be a finite number > 0; got ${describe(h)}`);
  return h;
}

function norm2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Options of {@link checkGradient} and {@link fdJacobian}. */
export interface FdOptions {
  /** Relative step: coordinate `k` moves by `h * max(1, |x_k|)` (default `1e-3` with Richardson, `6e-6` without). */
  h?: number;
  /** Richardson extrapolation `(4 D(h/2) - D(h)) / 3`, error `O(h^4)` (default true). */
  richardson?: boolean;
}

/** Result of {@link checkGradient}. */
export interface GradientCheck {
  /** The finite-difference gradient. */
  fd: Float64Array;
  /** The gradient under test. */
  grad: Float64Array;
  /** `||fd - grad||_inf`. */
  maxAbsError: number;
  /**
   * `||fd - grad||_2 / max(||grad||_2, ||fd||_2, 1e-12 max(1, |f(x)|))`: relative error, with a floor so
   * that it stays meaningful at critical points.
   */
  relError: number;
  /** Index of the largest absolute error. */
  worstIndex: number;
  /** Relative step used. */
  h: number;
}

/**
 * Central-difference check of a gradient: `fd_k = (f(x + s e_k) - f(x - s e_k)) / (2 s)`,
 * `s = h max(1, |x_k|)`, with Richardson extrapolation by default (P1).
 * @param f - scalar function; @param grad - its claimed gradient; @param x - point (not modified).
 * @throws ShapeError for an empty `x` or a gradient of the wrong length; DomainError for non-finite values or
 * a non-positive `h`.
 */
export function checkGradient(f: FlatFunction, grad: FlatVectorFunction, x: ArrayLike<number>, options: FdOptions = {}): GradientCheck {
  const fn = "checkGradient";
  checkOptions(fn, options, ["h", "richardson"]);
  fnArg(fn, "f", f);
  fnArg(fn, "grad", grad);
  const x0 = vecArg(fn, "x", x);
  const rich = options.richardson ?? true;
  const h = stepArg(fn, options.h ?? (rich ? 1e-3 : 6e-6));
  const n = x0.length;
  const g = evalVector(fn, "grad", grad, x0, n);
  const f0 = evalScalar(fn, f, x0);
  const fd = new Float64Array(n);
  const xp = Float64Array.from(x0);
  const central = (k: number, s: number): number => {
    xp[k] = x0[k] + s;
    const fp = evalScalar(fn, f, xp);
    xp[k] = x0[k] - s;
    const fm = evalScalar(fn, f, xp);
    xp[k] = x0[k];
    return (fp - fm) / (2 * s);
  };
  for (let k = 0; k < n; k++) {
    const s = h * Math.max(1, Math.abs(x0[k]));
    fd[k] = rich ? (4 * central(k, s / 2) - central(k, s)) / 3 : central(k, s);
  }
  let maxAbs = 0;
  let worst = 0;
  const diff = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    diff[k] = fd[k] - g[k];
    if (Math.abs(diff[k]) > maxAbs) {
      maxAbs = Math.abs(diff[k]);
      worst = k;
    }
  }
  const denom = Math.max(norm2(g), norm2(fd), 1e-12 * Math.max(1, Math.abs(f0)));
  return { fd, grad: g, maxAbsError: maxAbs, relError: norm2(diff) / denom, worstIndex: worst, h };
}

/**
 * Central-difference Jacobian of a vector function (e.g. the finite-difference Hessian as the Jacobian of
 * the gradient): column `k` = `(g(x + s e_k) - g(x - s e_k)) / (2 s)`, Richardson-extrapolated by default.
 * Generic infrastructure (derivative checks).
 * @returns an `m × n` matrix (`m` = output length, `n = x.length`).
 * @throws ShapeError / DomainError as {@link checkGradient}.
 */
export function fdJacobian(g: FlatVectorFunction, x: ArrayLike<number>, options: FdOptions = {}): Matrix {
  const fn = "fdJacobian";
  checkOptions(fn, options, ["h", "richardson"]);
  fnArg(fn, "g", g);
  const x0 = vecArg(fn, "x", x);
  const rich = options.richardson ?? true;
  const h = stepArg(fn, options.h ?? (rich ? 1e-3 : 6e-6));
  const n = x0.length;
  const first = g(Float64Array.from(x0));
  if (!first || typeof first.length !== "number") throw new ShapeError(fn, `g must return an array of numbers; got ${describe(first)}`);
  const m = first.length;
  checkWork(fn, `a dense ${m}×${n} finite-difference Jacobian`, m * n, WORK_LIMITS.denseEntries, "directional differences (taylorSlope) on a few directions");
  const J = new Matrix(m, n);
  const xp = Float64Array.from(x0);
  const central = (k: number, s: number): Float64Array => {
    xp[k] = x0[k] + s;
    const gp = evalVector(fn, "g", g, xp, m);
    xp[k] = x0[k] - s;
    const gm = evalVector(fn, "g", g, xp, m);
    xp[k] = x0[k];
    return gp.map((v, i) => (v - gm[i]) / (2 * s));
  };
  for (let k = 0; k < n; k++) {
    const s = h * Math.max(1, Math.abs(x0[k]));
    const c1 = central(k, s);
    const col = rich ? central(k, s / 2).map((v, i) => (4 * v - c1[i]) / 3) : c1;
    for (let i = 0; i < m; i++) J.set(i, k, col[i]);
  }
  return J;
}

/** Options of the Taylor-slope tests. */
export interface TaylorOptions {
  /** Step sizes (default 10 values log-spaced in `[1e-4, 1e-1]`, where truncation error dominates round-off). */
  hs?: readonly number[];
}

/** Result of {@link taylorSlope} and {@link taylorSlope2}. */
export interface TaylorResult {
  /** Least-squares slope of `log err(h)` against `log h` (about 2 for first order, 3 for second order). */
  slope: number;
  /** The step sizes. */
  hs: number[];
  /** `err(h)` for each step. */
  errors: number[];
  /** The steps the slope was fitted on (the asymptotic window: above round-off, straight in log-log). */
  fitted: number[];
  /**
   * True when every error is at round-off level (`<= 1e-12 max(1, |f(x)|)`): the model is exact along `v`
   * (e.g. a quadratic `f`), and the slope is meaningless.
   */
  exact: boolean;
}

function defaultHs(): number[] {
  const out: number[] = [];
  for (let k = 0; k < 10; k++) out.push(10 ** (-4 + (3 * k) / 9));
  return out;
}

/**
 * Slope of `log err` against `log h` over the asymptotic window: points at round-off level (`err <= floor`)
 * are dropped, then the largest steps are dropped while the log-log fit is not straight (max residual > 0.05,
 * i.e. a higher-order term interferes) and more than 4 points remain.
 */
function fitSlope(hs: number[], errs: number[], floor: number): { slope: number; used: number[] } {
  let idx = hs.map((_, i) => i).filter((i) => errs[i] > floor).sort((a, b) => hs[a] - hs[b]);
  if (idx.length < 2) idx = hs.map((_, i) => i).sort((a, b) => hs[a] - hs[b]);
  for (;;) {
    const fit = lineFit(idx.map((i) => Math.log(hs[i])), idx.map((i) => Math.log(Math.max(errs[i], 1e-300))));
    if (fit.maxResidual <= 0.05 || idx.length <= 4) return { slope: fit.slope, used: idx.map((i) => hs[i]) };
    idx = idx.slice(0, -1);
  }
}

function taylorCommon(fn: string, f: FlatFunction, x: ArrayLike<number>, v: ArrayLike<number>, options: TaylorOptions) {
  checkOptions(fn, options, ["hs"]);
  fnArg(fn, "f", f);
  const x0 = vecArg(fn, "x", x);
  const v0 = vecArg(fn, "v", v, x0.length);
  if (options.hs !== undefined && !Array.isArray(options.hs)) throw new DomainError(fn, `hs must be an array of step sizes; got ${describe(options.hs)}`);
  const hs = options.hs ? Array.from(options.hs) : defaultHs();
  if (hs.length < 2) throw new ShapeError(fn, `hs must have at least two step sizes; got ${hs.length}`);
  hs.forEach((h) => stepArg(fn, h));
  if (norm2(v0) === 0) throw new DomainError(fn, "v must be a nonzero direction; got the zero vector");
  return { x0, v0, hs };
}

/**
 * First-order Taylor test: `err(h) = |f(x + h v) - f(x) - h <grad f(x), v>|`, slope of `log err` against
 * `log h` over `hs` (default `1e-4..1e-1`; fitted on the asymptotic window, see `fitted`); about 2 when `grad` is correct (1 when it is wrong) (P1).
 * @throws ShapeError for mismatched lengths or fewer than two steps; DomainError for non-finite values, a
 * non-positive step or a zero direction.
 */
export function taylorSlope(f: FlatFunction, grad: FlatVectorFunction, x: ArrayLike<number>, v: ArrayLike<number>, options: TaylorOptions = {}): TaylorResult {
  const fn = "taylorSlope";
  fnArg(fn, "grad", grad);
  const { x0, v0, hs } = taylorCommon(fn, f, x, v, options);
  const f0 = evalScalar(fn, f, x0);
  const g = evalVector(fn, "grad", grad, x0, x0.length);
  let gv = 0;
  for (let i = 0; i < g.length; i++) gv += g[i] * v0[i];
  const errors = hs.map((h) => Math.abs(evalScalar(fn, f, x0.map((xi, i) => xi + h * v0[i])) - f0 - h * gv));
  const floor = 1e-13 * Math.max(1, Math.abs(f0));
  const exact = errors.every((e) => e <= 10 * floor);
  const { slope, used } = fitSlope(hs, errors, floor);
  return { slope, hs, errors, exact, fitted: used };
}

/**
 * Second-order Taylor test: `err(h) = |f(x + h v) - f(x) - h <g, v> - h^2/2 <v, H v>|` with `H v` from
 * `hessVec(x, v)`; slope about 3 when the Hessian is correct (2 when it is wrong) (P1).
 * @throws as {@link taylorSlope}.
 */
export function taylorSlope2(
  f: FlatFunction,
  grad: FlatVectorFunction,
  hessVec: (x: Float64Array, v: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  v: ArrayLike<number>,
  options: TaylorOptions = {},
): TaylorResult {
  const fn = "taylorSlope2";
  fnArg(fn, "grad", grad);
  fnArg(fn, "hessVec", hessVec);
  const { x0, v0, hs } = taylorCommon(fn, f, x, v, options);
  const f0 = evalScalar(fn, f, x0);
  const g = evalVector(fn, "grad", grad, x0, x0.length);
  const Hv = evalVector(fn, "hessVec", (y) => hessVec(y, Float64Array.from(v0)), x0, x0.length);
  let gv = 0;
  let vHv = 0;
  for (let i = 0; i < g.length; i++) {
    gv += g[i] * v0[i];
    vHv += v0[i] * Hv[i];
  }
  const errors = hs.map((h) => Math.abs(evalScalar(fn, f, x0.map((xi, i) => xi + h * v0[i])) - f0 - h * gv - 0.5 * h * h * vHv));
  const floor = 1e-13 * Math.max(1, Math.abs(f0));
  const exact = errors.every((e) => e <= 10 * floor);
  const { slope, used } = fitSlope(hs, errors, floor);
  return { slope, hs, errors, exact, fitted: used };
}
