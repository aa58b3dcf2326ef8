/**
 * Low-dimensional views of a landscape: 1-D and 2-D slices `t -> L(theta + t d)`,
 * `(a, b) -> L(theta + a d_1 + b d_2)` along random filter-normalised directions (Li, Xu, Taylor, Studer &
 * Goldstein 2018, "Visualizing the loss landscape of neural nets") or given directions, and linear
 * interpolation between two parameter points (Goodfellow, Vinyals & Saxe 2015). Outputs are plain rows
 * (`{ x, loss }`, `{ x, y, loss }`) and grids (`{ x, y, z }`) for the chart builders (`lineChart`, `heatmap`).
 * @module
 */
import { DomainError, describe } from "../core/errors";
import type { Rng } from "../core/random";
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { assertObjective, FlatObjective, StartPoint, toFlat } from "../optim/objective";

/** Block shapes `[rows, cols]` of the parameters, from `L.net.paramShapes` when present. */
function shapesOf(L: FlatObjective): ReadonlyArray<readonly [number, number]> | null {
  const net = (L as { net?: { paramShapes?: ReadonlyArray<readonly [number, number]> } }).net;
  return net && Array.isArray(net.paramShapes) ? net.paramShapes : null;
}

/** How a random direction is normalised: `"filter"` (Li et al. 2018, per row of every block), `"global"` (`||d|| = ||theta||`), or `"none"`. */
export type DirectionNormalization = "filter" | "global" | "none";

/**
 * A Gaussian random direction in parameter space, normalised to the scale of `theta`.
 *
 * `d` has i.i.d. `N(0, 1)` entries; then with `"filter"` (default; Li et al. 2018 "filter normalisation"),
 * every row `k` of every block `W_i` (the incoming weights of one neuron of layer `i`) is rescaled to
 * `d_{i,k} <- d_{i,k} ||W_{i,k}|| / ||d_{i,k}||`, so a zero row of `theta` gives a zero row of `d`; with
 * `"global"`, `d <- d ||theta|| / ||d||`; with `"none"`, `d` is returned as drawn.
 * @param L - a landscape (block shapes from `L.net.paramShapes`; `"filter"` needs them).
 * @param center - `theta` (flat vector of length `L.dim` or blocks; not modified).
 * @param r - seeded generator (advanced by `L.dim` normal draws).
 * @returns a flat direction of length `L.dim`. Generic infrastructure (visualisation; no theorem).
 * @throws DomainError for an unknown normalisation or `"filter"` without block shapes; ShapeError for a wrong length.
 */
export function randomDirection(L: FlatObjective, center: StartPoint, r: Rng, normalization: DirectionNormalization = "filter"): Float64Array {
  const fn = "randomDirection";
  assertObjective(fn, L);
  const x = toFlat(fn, L, center, "center");
  if (!r || typeof r.normal !== "function") throw new DomainError(fn, `r must be an Rng (rng(seed)); got ${describe(r)}`);
  const d = new Float64Array(L.dim);
  for (let i = 0; i < d.length; i++) d[i] = r.normal();
  if (normalization === "none") return d;
  if (normalization === "global") {
    const s = norm(x) / Math.max(norm(d), 1e-300);
    for (let i = 0; i < d.length; i++) d[i] *= s;
    return d;
  }
  if (normalization !== "filter") throw new DomainError(fn, `normalization must be "filter", "global" or "none"; got ${describe(normalization)}`);
  const shapes = shapesOf(L);
  if (!shapes) throw new DomainError(fn, `normalization "filter" needs block shapes (L.net.paramShapes); got an objective without them`);
  let off = 0;
  for (const [rows, cols] of shapes) {
    for (let k = 0; k < rows; k++) {
      let nw = 0;
      let nd = 0;
      for (let j = 0; j < cols; j++) {
        nw += x[off + k * cols + j] ** 2;
        nd += d[off + k * cols + j] ** 2;
      }
      const s = nd > 0 ? Math.sqrt(nw / nd) : 0;
      for (let j = 0; j < cols; j++) d[off + k * cols + j] *= s;
    }
    off += rows * cols;
  }
  return d;
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Evenly spaced `n >= 2` values from `a` to `b`. */
function grid(fn: string, name: string, range: readonly [number, number] | undefined, steps: number | undefined, def: [number, number], defSteps: number, evaluations: (n: number) => number = (n) => n, maxPoints?: number): number[] {
  if (range !== undefined && (!Array.isArray(range) || range.length !== 2)) throw new DomainError(fn, `${name} must be [from, to] with finite from < to; got ${describe(range)}`);
  const [a, b] = range ?? def;
  const n = steps ?? defSteps;
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) throw new DomainError(fn, `${name} must be [from, to] with finite from < to; got ${describe(range)}`);
  if (!Number.isInteger(n) || n < 2) throw new DomainError(fn, `steps must be an integer >= 2; got ${describe(steps)}`);
  checkWork(fn, `a grid of ${evaluations(n)} points (steps ${n})`, evaluations(n), maxPoints ?? WORK_LIMITS.evaluations, "fewer steps", "options.maxPoints", "points");
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** Options of {@link slice1D}. */
export interface Slice1DOptions {
  /** Range of `t`; default `[-1, 1]`. */
  range?: readonly [number, number];
  /** Number of grid points; default `51`. */
  steps?: number;
  /** Direction (flat or blocks); default: a random filter-normalised direction from `rng`. */
  direction?: StartPoint;
  /** Generator for the random direction (required when `direction` is omitted). */
  rng?: Rng;
  /** Normalisation of the random direction; default `"filter"`. */
  normalization?: DirectionNormalization;
  /** Largest number of evaluations of `L` allowed (checked before evaluating); default `WORK_LIMITS.evaluations` (1e6). */
  maxPoints?: number;
}

/** A 1-D slice: rows `{ x: t, loss: L(theta + t d) }` and the direction used. */
export interface Slice1D {
  /** Rows for `lineChart(rows, { x: "x", y: "loss" })`. */
  rows: Array<{ x: number; loss: number }>;
  /** The direction `d` (flat). */
  direction: Float64Array;
  /** `L(theta)`. */
  centerLoss: number;
}

/**
 * The 1-D slice `t -> L(theta + t d)` on an even grid of `t`.
 * @param L - a landscape; @param center - `theta` (flat or blocks; not modified).
 * @throws DomainError for a bad range/steps, or no direction and no `rng`; ShapeError for wrong lengths. UnknownOptionError for an unknown option; ResourceError above `options.maxPoints` evaluations.
 * Serves the landscape pictures of T4–T6 (e.g. Example A's barrier between its two minima).
 */
export function slice1D(L: FlatObjective, center: StartPoint, options: Slice1DOptions = {}): Slice1D {
  const fn = "slice1D";
  checkOptions(fn, options, ["range", "steps", "direction", "rng", "normalization", "maxPoints"]);
  assertObjective(fn, L);
  const x = toFlat(fn, L, center, "center");
  const ts = grid(fn, "range", options.range, options.steps, [-1, 1], 51, (n) => n, options.maxPoints);
  const d = directionOf(fn, L, x, options.direction, options.rng, options.normalization, "direction");
  const y = new Float64Array(L.dim);
  const rows = ts.map((t) => {
    for (let i = 0; i < y.length; i++) y[i] = x[i] + t * d[i];
    return { x: t, loss: L.valueFlat(y) };
  });
  return { rows, direction: d, centerLoss: L.valueFlat(x) };
}

function directionOf(fn: string, L: FlatObjective, x: Float64Array, given: StartPoint | undefined, r: Rng | undefined, normalization: DirectionNormalization | undefined, name: string): Float64Array {
  if (given !== undefined) return toFlat(fn, L, given, name);
  if (r !== undefined && (!r || typeof (r as Rng).normal !== "function")) throw new DomainError(fn, `options.rng must be an Rng (rng(seed)); got ${describe(r)}`);
  if (!r) throw new DomainError(fn, `give options.${name} or options.rng for a random direction; got neither`);
  return randomDirection(L, x, r, normalization ?? "filter");
}

/** Options of {@link slice2D}. */
export interface Slice2DOptions {
  /** Range of the first coordinate `a`; default `[-1, 1]`. */
  xRange?: readonly [number, number];
  /** Range of the second coordinate `b`; default `[-1, 1]`. */
  yRange?: readonly [number, number];
  /** Grid points per axis; default `31` (`steps^2` evaluations). */
  steps?: number;
  /** First direction (flat or blocks); default: a random filter-normalised one from `rng`. */
  direction1?: StartPoint;
  /** Second direction (flat or blocks); default: a random filter-normalised one from `rng` (drawn after the first). */
  direction2?: StartPoint;
  /** Generator for random directions. */
  rng?: Rng;
  /** Normalisation of random directions; default `"filter"`. */
  normalization?: DirectionNormalization;
  /** Largest number of evaluations of `L` allowed (checked before evaluating); default `WORK_LIMITS.evaluations` (1e6). */
  maxPoints?: number;
}

/** A 2-D slice: rows, the same values as a grid, and the directions. */
export interface Slice2D {
  /** Rows `{ x: a, y: b, loss: L(theta + a d_1 + b d_2) }`. */
  rows: Array<{ x: number; y: number; loss: number }>;
  /** `{ x: a-grid, y: b-grid, z[j][i] = L(theta + x_i d_1 + y_j d_2) }` for `heatmap(grid)`. */
  grid: { x: number[]; y: number[]; z: number[][] };
  /** First direction `d_1` (flat). */
  direction1: Float64Array;
  /** Second direction `d_2` (flat). */
  direction2: Float64Array;
  /** `L(theta)`. */
  centerLoss: number;
}

/**
 * The 2-D slice `(a, b) -> L(theta + a d_1 + b d_2)` on a `steps × steps` grid (Li et al. 2018). Generic
 * infrastructure (visualisation; no theorem).
 * @param L - a landscape; @param center - `theta` (flat or blocks; not modified).
 * @throws DomainError for bad ranges/steps or missing directions and `rng`; ShapeError for wrong lengths. UnknownOptionError; ResourceError when `steps^2` exceeds `options.maxPoints`.
 */
export function slice2D(L: FlatObjective, center: StartPoint, options: Slice2DOptions = {}): Slice2D {
  const fn = "slice2D";
  assertObjective(fn, L);
  const x = toFlat(fn, L, center, "center");
  checkOptions(fn, options, ["xRange", "yRange", "steps", "direction1", "direction2", "rng", "normalization", "maxPoints"]);
  const steps = options.steps ?? 31;
  const as = grid(fn, "xRange", options.xRange, steps, [-1, 1], 31, (n) => n * n, options.maxPoints);
  const bs = grid(fn, "yRange", options.yRange, steps, [-1, 1], 31, (n) => n * n, options.maxPoints);
  const d1 = directionOf(fn, L, x, options.direction1, options.rng, options.normalization, "direction1");
  const d2 = directionOf(fn, L, x, options.direction2, options.rng, options.normalization, "direction2");
  const y = new Float64Array(L.dim);
  const rows: Slice2D["rows"] = [];
  const z: number[][] = [];
  for (const b of bs) {
    const row: number[] = [];
    for (const a of as) {
      for (let i = 0; i < y.length; i++) y[i] = x[i] + a * d1[i] + b * d2[i];
      const loss = L.valueFlat(y);
      row.push(loss);
      rows.push({ x: a, y: b, loss });
    }
    z.push(row);
  }
  return { rows, grid: { x: as, y: bs, z }, direction1: d1, direction2: d2, centerLoss: L.valueFlat(x) };
}

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** Range of `t` (0 = `a`, 1 = `b`); default `[0, 1]` (e.g. `[-0.5, 1.5]` to extrapolate). */
  range?: readonly [number, number];
  /** Grid points; default `51`. */
  steps?: number;
  /** Largest number of evaluations of `L` allowed (checked before evaluating); default `WORK_LIMITS.evaluations` (1e6). */
  maxPoints?: number;
}

/**
 * Linear interpolation `t -> L((1 - t) a + t b)` between two parameter points (Goodfellow et al. 2015):
 * rows `{ x: t, loss }`; a barrier along the segment shows up as a bump. Generic infrastructure
 * (visualisation; no theorem).
 * @param a - first point (flat or blocks); @param b - second point. Neither is modified.
 * @throws DomainError for a bad range/steps; ShapeError for wrong lengths. UnknownOptionError; ResourceError above `options.maxPoints`.
 */
export function interpolate(L: FlatObjective, a: StartPoint, b: StartPoint, options: InterpolateOptions = {}): Array<{ x: number; loss: number }> {
  const fn = "interpolate";
  assertObjective(fn, L);
  const xa = toFlat(fn, L, a, "a");
  const xb = toFlat(fn, L, b, "b");
  checkOptions(fn, options, ["range", "steps", "maxPoints"]);
  const ts = grid(fn, "range", options.range, options.steps, [0, 1], 51, (n) => n, options.maxPoints);
  const y = new Float64Array(L.dim);
  return ts.map((t) => {
    for (let i = 0; i < y.length; i++) y[i] = (1 - t) * xa[i] + t * xb[i];
    return { x: t, loss: L.valueFlat(y) };
  });
}

