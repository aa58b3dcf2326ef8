/**
 * Fibres `mu^{-1}(W) = { theta : W_h ... W_1 = W }` of a deep linear network, numerically: random parameter
 * points with prescribed layer ranks, Gauss–Newton projection onto a fibre, the nearest point of a fibre to a
 * given `theta`, the sign invariant that separates the fibre's connected components, and a roadmap of paths on
 * the fibre (T2, T3; see docs/theory.md#t3).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { determinantSign, pinv, svd } from "../core/linalg";
import { frobNorm, isMatrix, mmul, shapeOf, sub, toMatrix } from "../core/matrix";
import { Rng, randomRankMatrix, rng } from "../core/random";
import { mu, partialBefore } from "./deepLinear";
import { dMuJacobian } from "./differential";
import { Theta, Widths, bottleneck, packTheta, paramCount, unpackTheta, validateWidths, weightShapes } from "./widths";

/**
 * A seeded random parameter point `theta = (W_1, ..., W_h)`: i.i.d. Gaussian entries of standard deviation
 * `scale`, or, with `layerRanks`, each `W_i` a random matrix of rank exactly `layerRanks[i-1]` (the product of
 * Gaussian factors, {@link randomRankMatrix}). Generic points (full layer ranks) have `rank mu(theta) = r`; points
 * with deficient layers reach the lower strata of `M_r` (G1, T1, T2).
 * @param R - the generator; @param widths - `d_0, ..., d_h`.
 * @param options.layerRanks - one rank per layer, `0 <= rank <= min(d_i, d_{i-1})` (default: Gaussian layers).
 * @param options.scale - standard deviation of Gaussian layers (default 1; not used with `layerRanks`).
 * @returns `h` new matrices, `W_i` of shape `d_i × d_{i-1}`.
 * @throws DomainError for bad widths, unknown options, a bad scale, or ranks that are not one per layer in range.
 */
export function randomTheta(R: Rng, widths: Widths, options: { layerRanks?: readonly number[]; scale?: number } = {}): Matrix[] {
  const fn = "randomTheta";
  if (!(R instanceof Rng)) throw new DomainError(fn, `R must be an Rng (rng(seed)); got ${describe(R)}`);
  const d = validateWidths(widths, fn);
  checkKeys(fn, options, ["layerRanks", "scale"]);
  const shapes = weightShapes(d);
  const { layerRanks, scale = 1 } = options;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) throw new DomainError(fn, `options.scale must be a positive number; got ${describe(scale)}`);
  if (layerRanks === undefined) return shapes.map(([m, n]) => R.gaussian(m, n, scale));
  if (!Array.isArray(layerRanks) || layerRanks.length !== shapes.length) {
    throw new DomainError(fn, `options.layerRanks must have one rank per layer (${shapes.length}); got ${describe(layerRanks)}`);
  }
  return shapes.map(([m, n], i) => randomRankMatrix(R, m, n, layerRanks[i]));
}

/** Result of {@link projectToFibre}. */
export interface FibreProjection {
  /** The point reached, as layers. */
  readonly theta: Matrix[];
  /** The same point packed (`packTheta` order). */
  readonly x: Float64Array;
  /** `||mu(theta) - W||_F` at the end. */
  readonly residual: number;
  /** Gauss–Newton steps taken. */
  readonly iterations: number;
  /** `residual <= tol * max(1, ||W||_F)`. */
  readonly converged: boolean;
}

/** Options of {@link projectToFibre} and {@link nearestOnFibre}. */
export interface FibreProjectionOptions {
  /** Maximal number of Gauss–Newton steps (default 60). */
  maxIter?: number;
  /** Relative residual tolerance: stop when `||mu(theta) - W|| <= tol * max(1, ||W||)` (default 1e-12). */
  tol?: number;
}

/**
 * Gauss–Newton projection onto the fibre `mu^{-1}(W)`: from `start`, repeat the minimum-norm step
 * `x <- x - J(x)^+ vec(mu(x) - W)` (`J` the Jacobian of `mu`, {@link dMuJacobian}). Near a regular point of the
 * fibre (`rank mu = r`, T2.1: `J` has full rank `dim M_r` onto the tangent space) the convergence is quadratic; over
 * rank-deficient `W` the fibre is singular and convergence can be slow or fail (`converged: false`). Not the
 * nearest point of the fibre in general: see {@link nearestOnFibre}. Used to sample fibres (T3).
 * @param widths - `d_0, ..., d_h`; @param W - the target, `d_h × d_0`; @param start - layers or a packed vector.
 * @throws DomainError for bad widths or options; ShapeError when `W` or `start` has the wrong shape.
 */
export function projectToFibre(widths: Widths, W: Matrix | number[][], start: Theta | ArrayLike<number>, options: FibreProjectionOptions = {}): FibreProjection {
  const fn = "projectToFibre";
  const d = validateWidths(widths, fn);
  const target = targetOf(fn, d, W);
  const { maxIter, tol } = projOptions(fn, options);
  const x = startOf(fn, d, start);
  const scale = Math.max(1, frobNorm(target));
  let residual = Infinity;
  for (let it = 0; ; it++) {
    const theta = unpackTheta(d, x);
    const res = sub(mu(d, theta), target);
    residual = frobNorm(res);
    if (!Number.isFinite(residual)) return { theta, x, residual: Infinity, iterations: it, converged: false };
    if (residual <= tol * scale || it === maxIter) return { theta, x, residual, iterations: it, converged: residual <= tol * scale };
    const step = pinvOf(dMuJacobian(d, theta)).mmul(Matrix.columnVector(vecRows(res)));
    for (let k = 0; k < x.length; k++) x[k] -= step.get(k, 0);
  }
}

/** Result of {@link nearestOnFibre}. */
export interface NearestOnFibre {
  /** The closest point found, as layers, and packed. */
  readonly theta: Matrix[];
  readonly x: Float64Array;
  /** `||theta' - theta||` (Frobenius over all layers): the distance from the anchor to the fibre, an upper bound. */
  readonly distance: number;
  /** `||mu(theta') - W||_F`. */
  readonly residual: number;
  /** First-order optimality: the norm of the part of `theta' - theta` tangent to the fibre, `||(I - J^+ J)(theta' - theta)||` (0 at a KKT point). */
  readonly stationarity: number;
  /** True when the point returned is a KKT point (`stationarity <= 1e-8 max(1, distance)`); otherwise only an upper bound. */
  readonly converged: boolean;
  /** How many of the starts converged to a KKT point (residual and stationarity within tolerance). */
  readonly convergedStarts: number;
  /** Number of starts tried. */
  readonly starts: number;
}

/**
 * The point of the fibre `mu^{-1}(W)` nearest to `anchor`, by a constrained minimiser of `||theta' - anchor||^2`
 * subject to `mu(theta') = W`, `J` the Jacobian of `mu` and `c = vec(mu(x) - W)`:
 * 1. SQP: `x <- anchor - J^+ (c + J (anchor - x))`, the point of the linearised constraint set nearest to the anchor;
 * 2. if that does not converge, Riemannian gradient descent on the fibre: step against the tangential part
 *    `g = (I - J^+ J)(x - anchor)`, project back with {@link projectToFibre}, halve the step until the distance drops.
 * A KKT point has `c = 0` and `g = 0` (`x - anchor` normal to the fibre). Run from the anchor and from `starts - 1` seeded perturbations `anchor + spread N(0, 1)`; the best
 * converged result is returned. The distance is an upper bound of `dist(anchor, mu^{-1}(W))` (exact when the
 * global minimiser is among the KKT points reached). Serves the local openness of `mu` (T2.1, T3).
 * @param options.starts - number of starts (default 6); `options.spread` (default 0.3); `options.seed` (default 1).
 * @throws DomainError for bad widths or options; ShapeError for bad shapes; DomainError when no start converges.
 */
export function nearestOnFibre(
  widths: Widths,
  W: Matrix | number[][],
  anchor: Theta,
  options: FibreProjectionOptions & { starts?: number; spread?: number; seed?: number } = {},
): NearestOnFibre {
  const fn = "nearestOnFibre";
  const d = validateWidths(widths, fn);
  const target = targetOf(fn, d, W);
  checkKeys(fn, options, ["maxIter", "tol", "starts", "spread", "seed"]);
  const { maxIter, tol } = projOptions(fn, { maxIter: options.maxIter ?? 60, tol: options.tol });
  const starts = options.starts ?? 6;
  const spread = options.spread ?? 0.3;
  if (!Number.isInteger(starts) || starts < 1) throw new DomainError(fn, `options.starts must be a positive integer; got ${describe(starts)}`);
  if (typeof spread !== "number" || !Number.isFinite(spread) || spread < 0) throw new DomainError(fn, `options.spread must be a non-negative number; got ${describe(spread)}`);
  const x0 = startOf(fn, d, anchor);
  const R = rng(options.seed ?? 1);
  const scale = Math.max(1, frobNorm(target));
  let best: Omit<NearestOnFibre, "convergedStarts" | "starts" | "converged"> | null = null;
  let converged = 0;
  const gap = (x: Float64Array): number => Math.hypot(...Array.from(x, (v, k) => v - x0[k]));
  // tangential part of x - anchor, g = (I - J^+ J)(x - anchor), and the SQP point anchor - J^+ (c + J (anchor - x))
  const linearise = (x: Float64Array): { residual: number; g: number[]; sqp: Float64Array } => {
    const theta = unpackTheta(d, x);
    const c = vecRows(sub(mu(d, theta), target));
    const J = dMuJacobian(d, theta);
    const Jp = pinvOf(J);
    const diff = Matrix.columnVector(Array.from(x, (v, k) => v - x0[k]));
    const Jd = J.mmul(diff);
    const normal = Jp.mmul(Jd);
    const corr = Jp.mmul(Matrix.columnVector(c.map((v, k) => v - Jd.get(k, 0))));
    return {
      residual: Math.hypot(...c),
      g: Array.from(x, (_, k) => diff.get(k, 0) - normal.get(k, 0)),
      sqp: Float64Array.from(x0, (v, k) => v + corr.get(k, 0)),
    };
  };
  const stationary = (g: number[], x: Float64Array): boolean => Math.hypot(...g) <= 1e-8 * Math.max(1, gap(x));
  const consider = (x: Float64Array, residual: number, g: number[]): void => {
    if (!(residual <= tol * scale)) return;
    const kkt = stationary(g, x);
    if (kkt) converged++;
    const distance = gap(x);
    if (!best || distance < best.distance) best = { theta: unpackTheta(d, x), x: Float64Array.from(x), distance, residual, stationarity: Math.hypot(...g) };
  };
  for (let s = 0; s < starts; s++) {
    const x1 = Float64Array.from(x0, (v) => (s === 0 ? v : v + spread * R.normal()));
    // 1. SQP: fast where the fibre is nearly flat at the scale of the distance
    let x = Float64Array.from(x1);
    let lin = linearise(x);
    for (let it = 0; it < maxIter && !(lin.residual <= tol * scale && stationary(lin.g, x)); it++) {
      x = lin.sqp;
      lin = linearise(x);
      if (!Number.isFinite(lin.residual)) break;
    }
    if (lin.residual <= tol * scale && stationary(lin.g, x)) {
      consider(x, lin.residual, lin.g);
      continue;
    }
    // 2. fallback, Riemannian gradient descent on the fibre: step against g, project back, halve until the distance drops
    const p0 = projectToFibre(d, target, x1, { tol });
    if (!p0.converged) continue;
    x = p0.x;
    lin = linearise(x);
    for (let it = 0; it < maxIter && !stationary(lin.g, x); it++) {
      let next: Float64Array | null = null;
      for (let alpha = 1; alpha >= 1e-6 && !next; alpha /= 2) {
        const z = projectToFibre(d, target, x.map((v, k) => v - alpha * lin.g[k]), { tol });
        if (z.converged && gap(z.x) < gap(x)) next = z.x;
      }
      if (!next) break;
      x = next;
      lin = linearise(x);
    }
    consider(x, lin.residual, lin.g);
  }
  if (!best) throw new DomainError(fn, `no start reached the fibre within ${maxIter} steps (W may be a singular value of mu)`);
  const found = best as Omit<NearestOnFibre, "convergedStarts" | "starts" | "converged">;
  return { ...found, converged: found.stationarity <= 1e-8 * Math.max(1, found.distance), convergedStarts: converged, starts };
}

/**
 * The sign invariant of a fibre over a rank-`r` point `W` (T3): at every hidden layer `i` of width exactly `r`,
 * `W_{<=i} = W_i ... W_1` has rank `r` and row space `Row(W)` on the whole fibre, so `g_i = W_{<=i} V_r` (`V_r`: the
 * top `r` right singular vectors of `W`) is an invertible `r × r` matrix and `sign det g_i` is constant along any
 * path in the fibre. Returns one sign per such layer (in layer order; empty when no hidden layer has width `r`).
 * @throws DomainError for bad widths or when `W` does not have rank `r` (a singular fibre); ShapeError for bad shapes.
 */
export function fibreSignPattern(widths: Widths, theta: Theta, W: Matrix | number[][]): Array<-1 | 0 | 1> {
  const fn = "fibreSignPattern";
  const d = validateWidths(widths, fn);
  const target = targetOf(fn, d, W);
  const Vr = rightFrame(fn, d, target);
  const h = d.length - 1;
  const r = bottleneck(d);
  const out: Array<-1 | 0 | 1> = [];
  for (let i = 1; i < h; i++) if (d[i] === r) out.push(determinantSign(mmul(partialBefore(d, theta, i + 1), Vr)));
  return out;
}

/** Result of {@link sampleFibre}. */
export interface FibreSample {
  /** Packed points of the fibre (each converged and inside the ball). */
  readonly points: Float64Array[];
  /** Largest residual `||mu(theta) - W||` over the kept points. */
  readonly maxResidual: number;
  /** Starts tried. */
  readonly starts: number;
}

/**
 * Seeded points of the fibre `mu^{-1}(W)`: Gauss–Newton projections ({@link projectToFibre}) of `starts` Gaussian
 * starts, keeping those that converge and stay in the ball of radius `radius` (default `2 sqrt(dim theta)`) around
 * the origin (T3).
 * @throws DomainError for bad widths or options; ShapeError for a bad `W`.
 */
export function sampleFibre(widths: Widths, W: Matrix | number[][], options: { starts?: number; seed?: number; radius?: number } = {}): FibreSample {
  const fn = "sampleFibre";
  const d = validateWidths(widths, fn);
  const target = targetOf(fn, d, W);
  checkKeys(fn, options, ["starts", "seed", "radius"]);
  const starts = options.starts ?? 30;
  if (!Number.isInteger(starts) || starts < 1) throw new DomainError(fn, `options.starts must be a positive integer; got ${describe(starts)}`);
  const radius = options.radius ?? 2 * Math.sqrt(paramCount(d));
  if (typeof radius !== "number" || !(radius > 0)) throw new DomainError(fn, `options.radius must be a positive number; got ${describe(radius)}`);
  const R = rng(options.seed ?? 1);
  const points: Float64Array[] = [];
  let maxResidual = 0;
  for (let k = 0; k < starts; k++) {
    const p = projectToFibre(d, target, packTheta(d, randomTheta(R, d)), { maxIter: 30 });
    if (!p.converged || Math.hypot(...p.x) > radius) continue;
    points.push(p.x);
    maxResidual = Math.max(maxResidual, p.residual);
  }
  return { points, maxResidual, starts };
}

/** Result of {@link fibreRoadmap}. */
export interface FibreRoadmap {
  /** Class index of every sample (`0 .. count - 1`). */
  readonly classOf: number[];
  /** Number of classes: an upper bound on the number of connected components met by the samples (up to sampling). */
  readonly count: number;
  /** Class sizes, largest first. */
  readonly sizes: number[];
  /** The accepted paths, as pairs of sample indices. */
  readonly edges: Array<[number, number]>;
  /** Segments tested. */
  readonly tested: number;
}

/**
 * A roadmap of the fibre `mu^{-1}(W)` through given samples (T3): each sample is joined to its `neighbours` nearest
 * samples by the straight segment, projected point by point onto the fibre ({@link projectToFibre}) at `steps`
 * points; the segment is accepted as a path when every projection converges and consecutive projections stay within
 * 3 times the step of each other (gaps refined by bisection, depth 6). Union–find classes of the accepted paths
 * bound the number of components from above; the sign invariant ({@link fibreSignPattern}) bounds it from below.
 * @param samples - packed fibre points, e.g. from {@link sampleFibre}.
 * @throws DomainError for bad widths, samples or options; ShapeError for a bad `W`.
 */
export function fibreRoadmap(widths: Widths, W: Matrix | number[][], samples: readonly ArrayLike<number>[], options: { neighbours?: number; steps?: number } = {}): FibreRoadmap {
  const fn = "fibreRoadmap";
  const d = validateWidths(widths, fn);
  const target = targetOf(fn, d, W);
  checkKeys(fn, options, ["neighbours", "steps"]);
  const kNN = options.neighbours ?? 5;
  const steps = options.steps ?? 24;
  for (const [name, v] of [["neighbours", kNN], ["steps", steps]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DomainError(fn, `options.${name} must be a positive integer; got ${describe(v)}`);
  }
  const N = paramCount(d);
  if (!Array.isArray(samples) || !samples.every((x) => x && x.length === N)) throw new DomainError(fn, `samples must be an array of packed points of length ${N}; got ${describe(samples)}`);
  const pts = samples.map((x) => Float64Array.from(x));
  const parent = pts.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const seen = new Set<string>();
  const edges: Array<[number, number]> = [];
  for (let a = 0; a < pts.length; a++) {
    const near = pts.map((x, b) => ({ b, len: dist(pts[a], x) })).filter((o) => o.b !== a).sort((p, q) => p.len - q.len).slice(0, kNN);
    for (const { b, len } of near) {
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (segmentOnFibre(d, target, pts[a], pts[b], len, steps)) {
        edges.push([Math.min(a, b), Math.max(a, b)]);
        parent[find(a)] = find(b);
      }
    }
  }
  const roots = [...new Set(pts.map((_, i) => find(i)))];
  const classOf = pts.map((_, i) => roots.indexOf(find(i)));
  const sizes = roots.map((_, c) => classOf.filter((k) => k === c).length).sort((p, q) => q - p);
  return { classOf, count: roots.length, sizes, edges, tested: seen.size };
}

function segmentOnFibre(d: Widths, target: Matrix, xa: Float64Array, xb: Float64Array, len: number, steps: number): boolean {
  const at = (t: number): Float64Array | null => {
    const p = projectToFibre(d, target, xa.map((v, i) => (1 - t) * v + t * xb[i]), { maxIter: 30, tol: 1e-11 });
    return p.converged ? p.x : null;
  };
  // a true jump between components keeps its size while the allowed gap shrinks; a continuous path resolves
  const ok = (ta: number, ya: Float64Array, tb: number, yb: Float64Array, depth: number): boolean => {
    if (dist(ya, yb) <= 3 * (tb - ta) * len + 1e-9) return true;
    if (depth === 0) return false;
    const tm = (ta + tb) / 2;
    const ym = at(tm);
    return ym !== null && ok(ta, ya, tm, ym, depth - 1) && ok(tm, ym, tb, yb, depth - 1);
  };
  let prev = xa;
  for (let k = 1; k <= steps; k++) {
    const y = k === steps ? xb : at(k / steps);
    if (y === null || !ok((k - 1) / steps, prev, k / steps, y, 6)) return false;
    prev = y;
  }
  return true;
}

function checkKeys(fn: string, options: unknown, keys: readonly string[]): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  for (const k of Object.keys(options)) if (!keys.includes(k)) throw new DomainError(fn, `unknown option ${describe(k)}; expected one of ${keys.join(", ")}`);
}

function projOptions(fn: string, options: FibreProjectionOptions): { maxIter: number; tol: number } {
  checkKeys(fn, options, ["maxIter", "tol"]);
  const maxIter = options.maxIter ?? 60;
  const tol = options.tol ?? 1e-12;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new DomainError(fn, `options.maxIter must be a non-negative integer; got ${describe(maxIter)}`);
  if (typeof tol !== "number" || !(tol > 0) || !Number.isFinite(tol)) throw new DomainError(fn, `options.tol must be a positive number; got ${describe(tol)}`);
  return { maxIter, tol };
}

function targetOf(fn: string, d: Widths, W: unknown): Matrix {
  const T = toMatrix(fn, "W", W);
  const h = d.length - 1;
  if (T.rows !== d[h] || T.columns !== d[0]) throw new ShapeError(fn, `W must be ${d[h]}×${d[0]} (d_h×d_0); got ${shapeOf(T)}`);
  return T;
}

function startOf(fn: string, d: Widths, start: unknown): Float64Array {
  if (Array.isArray(start) && start.length > 0 && start.every(isMatrix)) return packTheta(d, start as Matrix[]);
  const N = paramCount(d);
  const s = start as ArrayLike<number> | undefined;
  if (!s || typeof s !== "object" || s.length !== N) throw new ShapeError(fn, `start must be theta (${d.length - 1} layers) or a packed vector of length ${N}; got ${describe(start)}`);
  const x = Float64Array.from(s);
  if (!x.every(Number.isFinite)) throw new DomainError(fn, "start must have finite entries");
  return x;
}

function rightFrame(fn: string, d: Widths, W: Matrix): Matrix {
  const r = bottleneck(d);
  const s = svd(W);
  const rank = s.s.filter((x) => x > 1e-9 * Math.max(1, s.s[0] ?? 0)).length;
  if (rank !== r) throw new DomainError(fn, `W must have rank r = ${r} (a regular value of mu); got rank ${rank}`);
  return s.V.subMatrix(0, d[0] - 1, 0, r - 1);
}

function pinvOf(J: Matrix): Matrix {
  return pinv(J, 1e-10 * Math.max(1, svd(J).s[0] ?? 0));
}

function vecRows(M: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out.push(M.get(i, j));
  return out;
}

function dist(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s);
}
