/**
 * What the optimisers, finders, surveys and landscape tools need from a landscape `L = l ∘ mu`: a smooth
 * function on flat parameter vectors `x = pack(theta)` (block by block, row-major; see `packBlocks`).
 *
 * The types are structural, so the core `Landscape` class (`landscape(net, loss)`) satisfies them, and so does
 * any hand-written objective (a test quadratic, Rosenbrock, a multi-tower network). Nothing here allocates per
 * call beyond what the objective itself does.
 * @module
 */
import type { Matrix } from "ml-matrix";
import { DomainError, OverflowError, ShapeError, describe } from "../core/errors";
import type { Loss } from "../losses/loss";
import type { Parameterization } from "../networks/parameterization";

/**
 * A smooth function `f : R^dim -> R` on flat vectors, with its gradient and (optionally) Hessian-vector
 * products. `gradientFlat(x, out)` writes into `out` when given and returns it.
 */
export interface FlatObjective {
  /** Number of scalar parameters. */
  readonly dim: number;
  /** `f(x)`. */
  valueFlat(x: Float64Array): number;
  /** `grad f(x)`, written into `out` when given. */
  gradientFlat(x: Float64Array, out?: Float64Array): Float64Array;
  /** `f(x)`, with `grad f(x)` written into `out` (optional fast path). */
  valueAndGradientFlat?(x: Float64Array, out: Float64Array): number;
  /** `Hess f(x) v`, written into `out` when given (needed by finders and spectrum tools). */
  hessianVectorFlat?(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
}

/**
 * A landscape `L = l ∘ mu` seen through flat vectors, with access to the network, the loss and the packing
 * of `theta = [W_1, ..., W_h]` (what surveys need for the rank of `mu(theta)` and the verdicts). The core
 * `Landscape` class satisfies it.
 */
export interface LandscapeLike extends FlatObjective {
  /** The parameterisation `mu`. */
  readonly net: Parameterization;
  /** The loss `l` on the matrix space of `mu(theta)`. */
  readonly loss: Loss;
  /** `theta -> x` (block by block, row-major). */
  pack(theta: readonly Matrix[]): Float64Array;
  /** `x -> theta`. */
  unpack(x: ArrayLike<number>): Matrix[];
}

/** A starting point: a flat vector of length `dim`, or parameter blocks `theta` (packed with `L.pack`). */
export type StartPoint = Float64Array | ArrayLike<number> | readonly Matrix[];

/** True when `f` carries the landscape extras (`net`, `loss`, `pack`, `unpack`). */
export function isLandscapeLike(f: unknown): f is LandscapeLike {
  const g = f as Partial<LandscapeLike> | null;
  return (
    !!g && typeof g === "object" && typeof g.valueFlat === "function" && typeof g.unpack === "function" &&
    typeof g.pack === "function" && !!g.net && typeof g.net.mu === "function"
  );
}

/**
 * Validates an objective: `dim` a non-negative integer, `valueFlat` and `gradientFlat` functions.
 * @throws DomainError otherwise.
 */
export function assertObjective(fn: string, f: unknown): asserts f is FlatObjective {
  const g = f as Partial<FlatObjective> | null;
  if (!g || typeof g !== "object" || typeof g.valueFlat !== "function" || typeof g.gradientFlat !== "function") {
    throw new DomainError(fn, `L must be a landscape (valueFlat, gradientFlat); got ${describe(f)}`);
  }
  if (!Number.isInteger(g.dim) || (g.dim as number) < 0) throw new DomainError(fn, `L.dim must be a non-negative integer; got ${describe(g.dim)}`);
}

/**
 * A fresh flat copy of a starting point.
 * @param x0 - a flat vector of length `f.dim`, or `theta` blocks when `f` has `pack`.
 * @throws ShapeError for a wrong length; DomainError for non-finite entries or blocks without `pack`.
 */
export function toFlat(fn: string, f: FlatObjective, x0: StartPoint, name = "x0"): Float64Array {
  assertObjective(fn, f);
  if (x0 === null || typeof x0 !== "object" || typeof (x0 as ArrayLike<number>).length !== "number") {
    throw new ShapeError(fn, `${name} must be a flat vector of length ${f.dim} or parameter blocks; got ${describe(x0)}`);
  }
  let x: Float64Array;
  if (Array.isArray(x0) && x0.length > 0 && typeof x0[0] === "object" && x0[0] !== null) {
    const pack = (f as Partial<LandscapeLike>).pack;
    if (typeof pack !== "function") throw new DomainError(fn, `${name} given as matrices needs a landscape with pack(); got an objective without it`);
    x = Float64Array.from(pack.call(f, x0 as readonly Matrix[]));
  } else {
    const a = x0 as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number") throw new DomainError(fn, `${name} must hold numbers; got ${describe(a[i])} at index ${i}`);
    x = Float64Array.from(x0 as ArrayLike<number>);
  }
  if (x.length !== f.dim) throw new ShapeError(fn, `${name} must have length ${f.dim} (L.dim); got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new DomainError(fn, `${name} must have finite entries; got ${describe(x[i])} at index ${i}`);
  }
  return x;
}

/**
 * `f(x)` with `grad f(x)` written into `g` (uses `valueAndGradientFlat` when present).
 * @internal
 */
export function evalFG(f: FlatObjective, x: Float64Array, g: Float64Array): number {
  try {
    if (f.valueAndGradientFlat) return f.valueAndGradientFlat(x, g);
    const v = f.valueFlat(x);
    const r = f.gradientFlat(x, g);
    if (r !== g) g.set(r);
    return v;
  } catch (e) {
    // an overflow at a finite iterate is divergence: the optimiser stops with reason "nonFinite" (diverged)
    if (e instanceof OverflowError) return Infinity;
    throw e;
  }
}

/**
 * `Hess f(x) v` into `out`; falls back to a central difference of the gradient (step `1e-6 (1 + |x|)/|v|`)
 * when the objective has no `hessianVectorFlat`. `tmp1`, `tmp2`, `tmpx` are scratch buffers of length `dim`.
 * @internal
 */
export function evalHv(
  f: FlatObjective,
  x: Float64Array,
  v: Float64Array,
  out: Float64Array,
  scratch?: { tmpx: Float64Array; g1: Float64Array; g2: Float64Array },
): Float64Array {
  if (f.hessianVectorFlat) {
    const r = f.hessianVectorFlat(x, v, out);
    if (r !== out) out.set(r);
    return out;
  }
  const n = x.length;
  const s = scratch ?? { tmpx: new Float64Array(n), g1: new Float64Array(n), g2: new Float64Array(n) };
  const vn = norm2(v);
  if (vn === 0) {
    out.fill(0);
    return out;
  }
  const h = (1e-6 * (1 + norm2(x))) / vn;
  for (let i = 0; i < n; i++) s.tmpx[i] = x[i] + h * v[i];
  let r = f.gradientFlat(s.tmpx, s.g1);
  if (r !== s.g1) s.g1.set(r);
  for (let i = 0; i < n; i++) s.tmpx[i] = x[i] - h * v[i];
  r = f.gradientFlat(s.tmpx, s.g2);
  if (r !== s.g2) s.g2.set(r);
  for (let i = 0; i < n; i++) out[i] = (s.g1[i] - s.g2[i]) / (2 * h);
  return out;
}

/** Euclidean dot product of equal-length vectors. @internal */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm. @internal */
export function norm2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** True when every entry is finite. @internal */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
