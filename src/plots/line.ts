/**
 * Line charts: one or several series over a quantitative x axis, optional log axes and points.
 * @module
 */
import { DomainError, describe } from "../core/errors";
import { Datum, VegaLiteSpec, baseSpec, checkData, checkKeep, checkField, optBool, pickFields, tooltipEncoding } from "./spec";
import { checkOptions } from "../core/options";
import { XYOptions, checkXY, xyEncoding } from "./xy";

/** Options of {@link lineChart}: the xy options (`color` names the series: one line per value) and these. */
export interface LineChartOptions extends XYOptions {
  /** Field whose values give dashed/solid lines (e.g. theory vs measured). */
  dash?: string;
  /** Include zero in the y axis (Vega-Lite default: true for linear scales). */
  yZero?: boolean;
  /** Draw a point at every datum (default false). */
  points?: boolean;
  /** Show a tooltip with x, y and series on hover (default true). */
  tooltip?: boolean;
}

/**
 * A line chart: `data` rows `{ [x]: number, [y]: number, [color]?: series }`, one line per series value,
 * sorted by x. Example (chapter 00): `lineChart(rows, { x: "r", y: "dim", color: "shape", points: true })`.
 * @param data - non-empty array of row objects.
 * @param options - fields, titles, scales; see {@link LineChartOptions}.
 * @returns a Vega-Lite 5 spec (plain JSON).
 * @throws DomainError naming the argument: empty or non-array data, a missing field, a non-finite value, a
 * non-positive value on a log axis, a bad option.
 */
export function lineChart(data: readonly Datum[], options: LineChartOptions): VegaLiteSpec {
  const fn = "lineChart";
  const o = checkOptions(fn, options, ["dash", "yZero", "points", "tooltip", "x", "y", "color", "xTitle", "yTitle", "colorTitle", "xScale", "yScale", "xDomain", "yDomain", "title", "width", "height", "keep"]);
  const rows = checkData(fn, "data", data);
  const xy = checkXY(fn, o, rows);
  const { x, y, color } = xy;
  const dash = o.dash === undefined ? undefined : checkField(fn, "options.dash", o.dash, rows, "any");
  const points = optBool(fn, "options.points", o.points) ?? false;
  const tooltip = optBool(fn, "options.tooltip", o.tooltip) ?? true;
  const yZero = optBool(fn, "options.yZero", o.yZero);
  const values = pickFields(rows, [x, y, color, dash, ...checkKeep(fn, o.keep, rows)]);
  const spec = baseSpec(fn, o);
  spec.data = { values };
  const mark: VegaLiteSpec = { type: "line" };
  if (points) mark.point = true;
  if (xy.clip) mark.clip = true; // clip only to a fixed domain
  spec.mark = mark;
  const enc = xyEncoding(fn, o, xy, values, undefined, yZero);
  if (dash) enc.strokeDash = { field: dash, type: "nominal", title: dash };
  if (tooltip) enc.tooltip = tooltipEncoding(values, [x, y, color, dash].filter((f): f is string => f !== undefined));
  spec.encoding = enc;
  return spec;
}

/** A named series for {@link seriesRows}: x and y values of equal length. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

/**
 * Turns series `{ name, x: [...], y: [...] }` into rows `{ x, y, series }` for {@link lineChart} (with
 * `x: "x", y: "y", color: "series"`).
 * @throws DomainError for a missing name or arrays of different lengths.
 */
export function seriesRows(series: readonly Series[]): Datum[] {
  if (!Array.isArray(series)) throw new DomainError("seriesRows", `series must be an array of { name, x, y }; got ${describe(series)}`);
  const out: Datum[] = [];
  series.forEach((s, k) => {
    if (typeof s !== "object" || s === null || typeof s.name !== "string") throw new DomainError("seriesRows", `series[${k}].name must be a string; got ${describe(s && s.name)}`);
    if (!Array.isArray(s.x) || !Array.isArray(s.y) || s.x.length !== s.y.length) {
      throw new DomainError("seriesRows", `series[${k}].x and .y must be arrays of equal length; got ${describe(s.x)} and ${describe(s.y)}`);
    }
    for (let i = 0; i < s.x.length; i++) out.push({ x: s.x[i], y: s.y[i], series: s.name });
  });
  return out;
}
