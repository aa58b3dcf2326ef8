/**
 * Grids for landscape plots: `linspace`, sampling `f(x, y)` on a grid, and level lines by marching squares.
 * @module
 */
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { DomainError, ShapeError, describe } from "../core/errors";
import { checkNumbers } from "./spec";

/** Values of `f(x, y)` on a rectangular grid: `z[j][i] = f(x[i], y[j])` (row j runs along x at height y[j]). */
export interface Grid {
  /** Strictly increasing x coordinates, length `nx >= 2`. */
  x: readonly number[];
  /** Strictly increasing y coordinates, length `ny >= 2`. */
  y: readonly number[];
  /** `ny` rows of `nx` values each. */
  z: ReadonlyArray<ReadonlyArray<number>>;
}

/**
 * `n` evenly spaced numbers from `a` to `b` inclusive (`linspace(0, 1, 3) = [0, 0.5, 1]`); the ends are exact.
 * @throws DomainError unless `a`, `b` are finite and `n >= 2` is an integer; ResourceError when `n` exceeds `options.maxPoints` (default `WORK_LIMITS.points`, 1e7).
 */
export function linspace(a: number, b: number, n: number, options: { maxPoints?: number } = {}): number[] {
  if (typeof a !== "number" || !Number.isFinite(a)) throw new DomainError("linspace", `a must be a finite number; got ${describe(a)}`);
  if (typeof b !== "number" || !Number.isFinite(b)) throw new DomainError("linspace", `b must be a finite number; got ${describe(b)}`);
  if (!Number.isInteger(n) || n < 2) throw new DomainError("linspace", `n must be an integer >= 2; got ${describe(n)}`);
  const o = checkOptions("linspace", options, ["maxPoints"]);
  checkWork("linspace", `${n} grid points`, n, o.maxPoints ?? WORK_LIMITS.points, "fewer points", "options.maxPoints", "points");
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i === n - 1 ? b : a + ((b - a) * i) / (n - 1);
  return out;
}

/**
 * Samples `f` on the grid `xs × ys`: `z[j][i] = f(xs[i], ys[j])`. Loops run in the library (fast under tslab).
 * Used for the landscapes `L(a, b)` of the two-parameter examples (Ex-1, T6).
 * @throws DomainError for non-increasing coordinates or a non-finite value of `f` (naming the point).
 */
export function sampleGrid(f: (x: number, y: number) => number, xs: readonly number[], ys: readonly number[]): Grid {
  if (typeof f !== "function") throw new DomainError("sampleGrid", `f must be a function (x, y) => number; got ${describe(f)}`);
  const x = checkAxis("sampleGrid", "xs", xs);
  const y = checkAxis("sampleGrid", "ys", ys);
  checkWork("sampleGrid", `a ${x.length}×${y.length} grid`, x.length * y.length, WORK_LIMITS.evaluations, "coarser axes", "WORK_LIMITS.evaluations", "points");
  const z: number[][] = [];
  for (let j = 0; j < y.length; j++) {
    const row = new Array<number>(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = f(x[i], y[j]);
      if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError("sampleGrid", `f must return finite numbers; got ${describe(v)} at (${x[i]}, ${y[j]})`);
      row[i] = v;
    }
    z.push(row);
  }
  return { x, y, z };
}

/**
 * Validates a grid axis (the `x` or `y` sample points of {@link sampleGrid} and the heatmap): returns a copy.
 * @param fn - the caller's name. @param name - the argument's name, e.g. `"x"`.
 * @throws ShapeError for fewer than two entries; DomainError for a non-finite entry or entries that are not
 * strictly increasing, naming the offending pair.
 */
export function checkAxis(fn: string, name: string, v: unknown): number[] {
  const arr = checkNumbers(fn, name, v, 2);
  for (let i = 1; i < arr.length; i++) {
    if (!(arr[i] > arr[i - 1])) throw new DomainError(fn, `${name} must be strictly increasing; got ${name}[${i - 1}] = ${arr[i - 1]}, ${name}[${i}] = ${arr[i]}`);
  }
  return arr;
}

/**
 * Validates a {@link Grid}.
 * @throws DomainError/ShapeError naming `name.x`, `name.y` or `name.z[j]` (wrong length, non-finite entry).
 */
export function checkGrid(fn: string, name: string, grid: unknown): Grid {
  if (typeof grid !== "object" || grid === null) throw new DomainError(fn, `${name} must be { x, y, z }; got ${describe(grid)}`);
  const g = grid as { x?: unknown; y?: unknown; z?: unknown };
  const x = checkAxis(fn, `${name}.x`, g.x);
  const y = checkAxis(fn, `${name}.y`, g.y);
  if (!Array.isArray(g.z) || g.z.length !== y.length) {
    throw new ShapeError(fn, `${name}.z must have ${y.length} rows (one per y); got ${Array.isArray(g.z) ? g.z.length : describe(g.z)}`);
  }
  const z = g.z.map((row: unknown, j: number) => {
    const r = checkNumbers(fn, `${name}.z[${j}]`, row);
    if (r.length !== x.length) throw new ShapeError(fn, `${name}.z[${j}] must have ${x.length} entries (one per x); got ${r.length}`);
    return r;
  });
  return { x, y, z };
}

/** A segment of a level line. */
export interface LevelSegment {
  x: number;
  y: number;
  x2: number;
  y2: number;
  level: number;
}

/**
 * Level lines `{ (x, y) : f = level }` of a grid by marching squares with linear interpolation on cell edges;
 * saddle cells are resolved by the cell's mean value. Returns line segments.
 * @throws DomainError/ShapeError for a bad grid or non-finite levels.
 */
export function levelSegments(grid: Grid, levels: readonly number[]): LevelSegment[] {
  const g = checkGrid("levelSegments", "grid", grid);
  const lv = checkNumbers("levelSegments", "levels", levels, 0);
  const out: LevelSegment[] = [];
  const { x, y, z } = g;
  for (const c of lv) {
    for (let j = 0; j + 1 < y.length; j++) {
      for (let i = 0; i + 1 < x.length; i++) {
        // corners counter-clockwise from bottom-left: 0=(i,j) 1=(i+1,j) 2=(i+1,j+1) 3=(i,j+1)
        const px = [x[i], x[i + 1], x[i + 1], x[i]];
        const py = [y[j], y[j], y[j + 1], y[j + 1]];
        const v = [z[j][i], z[j][i + 1], z[j + 1][i + 1], z[j + 1][i]];
        const above = v.map((t) => t >= c);
        if (above.every((a) => a) || above.every((a) => !a)) continue;
        // edge e joins corner e and corner e+1
        const cross = (e: number): [number, number] => {
          const a = e;
          const b = (e + 1) % 4;
          const t = (c - v[a]) / (v[b] - v[a]);
          return [px[a] + t * (px[b] - px[a]), py[a] + t * (py[b] - py[a])];
        };
        const crossing = [0, 1, 2, 3].filter((e) => above[e] !== above[(e + 1) % 4]);
        if (crossing.length === 2) {
          const [p, q] = crossing.map(cross);
          out.push({ x: p[0], y: p[1], x2: q[0], y2: q[1], level: c });
        } else {
          // saddle: cut off each corner whose side differs from the cell mean's side
          const centre = (v[0] + v[1] + v[2] + v[3]) / 4 >= c;
          for (let k = 0; k < 4; k++) {
            if (above[k] === centre) continue;
            const p = cross((k + 3) % 4); // edge into corner k
            const q = cross(k); // edge out of corner k
            out.push({ x: p[0], y: p[1], x2: q[0], y2: q[1], level: c });
          }
        }
      }
    }
  }
  return out;
}
