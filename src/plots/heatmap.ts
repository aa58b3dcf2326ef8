/**
 * Heatmaps of a function on a grid (landscapes `L(a, b)`), with optional level lines and marked points.
 * @module
 */
import { DomainError, describe } from "../core/errors";
import { Grid, checkGrid, levelSegments } from "./grid";
import { BaseOptions, VegaLiteSpec, baseSpec, checkNumbers, optBool, optDomain, optScale, optString, ScaleType } from "./spec";
import { checkOptions } from "../core/options";

/** A marked point on a heatmap (critical point, minimum, start of a run). */
export interface MarkedPoint {
  x: number;
  y: number;
  /** Text shown next to the point. */
  label?: string;
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends BaseOptions {
  /** Axis titles (default "x", "y") and legend title (default "value"). */
  xTitle?: string;
  yTitle?: string;
  zTitle?: string;
  /** Vega colour scheme of the values (default "viridis"). */
  scheme?: string;
  /** Reverse the colour scheme. */
  reverse?: boolean;
  /** Colour scale of the values: "linear" (default) or "log" (values must be > 0). */
  zScale?: ScaleType;
  /** Colour domain `[lo, hi]` (default: the values' extent). */
  zDomain?: [number, number];
  /** Draw level lines `f = level` for these levels (marching squares on the grid). */
  levels?: readonly number[];
  /** Colour of the level lines (default "white"). */
  levelColor?: string;
  /** Colour of the point labels (default "white"). */
  labelColor?: string;
  /** Points to mark on top (white dots with a black outline, labelled when `label` is given). */
  points?: readonly MarkedPoint[];
}

const NAMED_SCHEMES = new Set(["viridis", "magma", "inferno", "plasma", "cividis", "turbo", "blues", "greens", "greys", "oranges", "purples", "reds", "blueorange", "redblue", "purplegreen", "spectral", "yelloworangered", "yellowgreenblue"]);

/**
 * A heatmap of `grid.z[j][i] = f(grid.x[i], grid.y[j])` drawn as rectangles centred on the grid points
 * (quantitative axes, so marked points and level lines share the coordinates), optionally layered with level
 * lines and marked points. Build the grid with `sampleGrid(f, linspace(...), linspace(...))`.
 * Used for the two-parameter landscapes (Ex-1 hyperbola of minima, T6 bad minima).
 * @param grid - `{ x: nx increasing, y: ny increasing, z: ny rows of nx finite values }`.
 * @returns a Vega-Lite 5 spec (a layer spec when levels or points are given).
 * @throws DomainError/ShapeError naming the argument: bad grid, non-positive values with `zScale: "log"`,
 * unknown scheme, non-finite levels or points.
 */
export function heatmap(grid: Grid, options: HeatmapOptions = {}): VegaLiteSpec {
  const fn = "heatmap";
  const o = checkOptions(fn, options, ["xTitle", "yTitle", "zTitle", "scheme", "reverse", "zScale", "zDomain", "levels", "levelColor", "labelColor", "points", "title", "width", "height", "keep"]);
  const g = checkGrid(fn, "grid", grid);
  for (const k of ["xTitle", "yTitle", "zTitle", "levelColor", "labelColor"] as const) optString(fn, `options.${k}`, o[k]);
  const zScale = optScale(fn, "options.zScale", o.zScale);
  const zDomain = optDomain(fn, "options.zDomain", o.zDomain);
  const reverse = optBool(fn, "options.reverse", o.reverse) ?? false;
  const scheme = o.scheme ?? "viridis";
  if (typeof scheme !== "string" || !NAMED_SCHEMES.has(scheme)) {
    throw new DomainError(fn, `options.scheme must be one of ${Array.from(NAMED_SCHEMES).join(", ")}; got ${describe(scheme)}`);
  }
  const { x, y, z } = g;
  if (zScale === "log") {
    z.forEach((row, j) => row.forEach((v, i) => {
      if (!(v > 0)) throw new DomainError(fn, `grid.z must be > 0 with zScale "log"; got ${describe(v)} at z[${j}][${i}]`);
    }));
  }
  const edges = (c: readonly number[]): number[] => {
    const e = [c[0] - (c[1] - c[0]) / 2];
    for (let i = 0; i + 1 < c.length; i++) e.push((c[i] + c[i + 1]) / 2);
    e.push(c[c.length - 1] + (c[c.length - 1] - c[c.length - 2]) / 2);
    return e;
  };
  const ex = edges(x);
  const ey = edges(y);
  const values: Array<Record<string, number>> = [];
  for (let j = 0; j < y.length; j++) {
    for (let i = 0; i < x.length; i++) {
      // cells overlap the next cell (drawn later) by 10% of their size: no anti-aliasing seams between cells
      const x1 = i + 1 < x.length ? ex[i + 1] + 0.1 * (ex[i + 1] - ex[i]) : ex[i + 1];
      const y1 = j + 1 < y.length ? ey[j + 1] + 0.1 * (ey[j + 1] - ey[j]) : ey[j + 1];
      values.push({ x: x[i], y: y[j], z: z[j][i], x0: ex[i], x1, y0: ey[j], y1 });
    }
  }
  const xTitle = o.xTitle ?? "x";
  const yTitle = o.yTitle ?? "y";
  const xDom: [number, number] = [ex[0], ex[ex.length - 1]];
  const yDom: [number, number] = [ey[0], ey[ey.length - 1]];
  const pos = (ch: "x" | "y", field: string): VegaLiteSpec => ({
    field,
    type: "quantitative",
    title: ch === "x" ? xTitle : yTitle,
    scale: { domain: ch === "x" ? xDom : yDom, nice: false, zero: false },
  });
  const colorScale: VegaLiteSpec = { scheme };
  if (reverse) colorScale.reverse = true;
  if (zScale === "log") colorScale.type = "log";
  if (zDomain) colorScale.domain = zDomain;
  const rect: VegaLiteSpec = {
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: pos("x", "x0"),
      x2: { field: "x1" },
      y: pos("y", "y0"),
      y2: { field: "y1" },
      color: { field: "z", type: "quantitative", title: o.zTitle ?? "value", scale: colorScale },
      tooltip: [
        { field: "x", type: "quantitative", title: xTitle, format: ".4~g" },
        { field: "y", type: "quantitative", title: yTitle, format: ".4~g" },
        { field: "z", type: "quantitative", title: o.zTitle ?? "value", format: ".4~g" },
      ],
    },
  };
  const layers: VegaLiteSpec[] = [rect];
  if (o.levels !== undefined) {
    const levels = checkNumbers(fn, "options.levels", o.levels, 1);
    const segs = levelSegments(g, levels);
    if (segs.length > 0) {
      layers.push({
        data: { values: segs },
        mark: { type: "rule", color: o.levelColor ?? "white", strokeWidth: 1.2 },
        encoding: { x: pos("x", "x"), y: pos("y", "y"), x2: { field: "x2" }, y2: { field: "y2" } },
      });
    }
  }
  if (o.points !== undefined) {
    if (!Array.isArray(o.points)) throw new DomainError(fn, `options.points must be an array of { x, y, label? }; got ${describe(o.points)}`);
    const pts = o.points.map((p, k) => {
      if (typeof p !== "object" || p === null) throw new DomainError(fn, `options.points[${k}] must be { x, y, label? }; got ${describe(p)}`);
      for (const c of ["x", "y"] as const) {
        if (typeof p[c] !== "number" || !Number.isFinite(p[c])) throw new DomainError(fn, `options.points[${k}].${c} must be a finite number; got ${describe(p[c])}`);
      }
      if (p.label !== undefined && typeof p.label !== "string") throw new DomainError(fn, `options.points[${k}].label must be a string; got ${describe(p.label)}`);
      return { x: p.x, y: p.y, label: p.label ?? "" };
    });
    if (pts.length > 0) {
      layers.push({
        data: { values: pts },
        mark: { type: "point", filled: true, color: "white", stroke: "black", strokeWidth: 1, size: 60, opacity: 1 },
        encoding: { x: pos("x", "x"), y: pos("y", "y"), tooltip: [{ field: "label", type: "nominal" }, { field: "x", type: "quantitative", format: ".4~g" }, { field: "y", type: "quantitative", format: ".4~g" }] },
      });
      if (pts.some((p) => p.label !== "")) {
        layers.push({
          data: { values: pts },
          mark: { type: "text", align: "left", baseline: "bottom", dx: 6, dy: -4, color: o.labelColor ?? "white", fontSize: 11 },
          encoding: { x: pos("x", "x"), y: pos("y", "y"), text: { field: "label", type: "nominal" } },
        });
      }
    }
  }
  const spec = baseSpec(fn, o);
  if (layers.length === 1) return { ...spec, ...rect };
  spec.layer = layers;
  return spec;
}
