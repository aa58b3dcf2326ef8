/**
 * Histograms (binned counts of a numeric field) and bar charts (counts or values per category).
 * @module
 */
import { DomainError, describe } from "../core/errors";
import {
  BaseOptions, Datum, VegaLiteSpec, baseSpec, checkData, checkKeep, checkField, checkNumbers, optBool, optDomain,
  optPositiveInt, optString, pickFields, tooltipEncoding,
} from "./spec";
import { checkOptions } from "../core/options";

/** Options of {@link histogram}. */
export interface HistogramOptions extends BaseOptions {
  /** Field of the values when `data` are rows (default "value", the field used for a plain number array). */
  field?: string;
  /** Field stacking the bars by category (nominal colour). */
  color?: string;
  /** Maximum number of bins (default 30); ignored when `step` is given. */
  maxbins?: number;
  /** Exact bin width. */
  step?: number;
  /** Bin range `[lo, hi]` (default: the data's extent). */
  extent?: [number, number];
  xTitle?: string;
  /** Y axis title (default "count"). */
  yTitle?: string;
  colorTitle?: string;
}

/**
 * A histogram: binned counts of a numeric field (bars over bins, Vega-Lite `bin` + `aggregate: "count"`).
 * `data` is either a plain number array (field "value") or rows with `options.field`.
 * Used for final-loss distributions of surveys (T4, T6, B9).
 * @returns a Vega-Lite 5 spec.
 * @throws DomainError naming the argument: empty data, non-finite values, bad bin options.
 */
export function histogram(data: readonly number[] | readonly Datum[], options: HistogramOptions = {}): VegaLiteSpec {
  const fn = "histogram";
  const o = checkOptions(fn, options, ["field", "color", "maxbins", "step", "extent", "xTitle", "yTitle", "colorTitle", "title", "width", "height", "keep"]);
  let rows: readonly Record<string, unknown>[];
  let field: string;
  if (Array.isArray(data) && data.length > 0 && typeof data[0] === "number") {
    field = o.field ?? "value";
    rows = checkNumbers(fn, "data", data).map((v) => ({ [field]: v }));
  } else {
    rows = checkData(fn, "data", data);
    field = checkField(fn, "options.field", o.field ?? "value", rows, "number");
  }
  const color = o.color === undefined ? undefined : checkField(fn, "options.color", o.color, rows, "any");
  const maxbins = optPositiveInt(fn, "options.maxbins", o.maxbins) ?? 30;
  if (o.step !== undefined && (typeof o.step !== "number" || !(o.step > 0) || !Number.isFinite(o.step))) {
    throw new DomainError(fn, `options.step must be a positive number; got ${describe(o.step)}`);
  }
  const extent = optDomain(fn, "options.extent", o.extent);
  for (const k of ["xTitle", "yTitle", "colorTitle"] as const) optString(fn, `options.${k}`, o[k]);
  const bin: VegaLiteSpec = o.step !== undefined ? { step: o.step } : { maxbins };
  if (extent) bin.extent = extent;
  const spec = baseSpec(fn, o);
  spec.data = { values: pickFields(rows, [field, color, ...checkKeep(fn, o.keep, rows)]) };
  spec.mark = { type: "bar", tooltip: true };
  const enc: VegaLiteSpec = {
    x: { field, type: "quantitative", bin, title: o.xTitle ?? field },
    y: { aggregate: "count", type: "quantitative", title: o.yTitle ?? "count" },
  };
  if (color) enc.color = { field: color, type: "nominal", title: o.colorTitle ?? color };
  spec.encoding = enc;
  return spec;
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends BaseOptions {
  /** Field of the categories (nominal). */
  x: string;
  /** Field of the bar heights; omitted: bars count the rows of each category. */
  y?: string;
  /** Field colouring (and stacking) the bars. */
  color?: string;
  xTitle?: string;
  /** Y axis title (default: `y`, or "count"). */
  yTitle?: string;
  colorTitle?: string;
  /** Category order: an explicit list, or "ascending"/"descending" by name; default: order of first appearance. */
  sort?: readonly string[] | "ascending" | "descending";
  /** Horizontal bars (categories on the y axis). */
  horizontal?: boolean;
}

/**
 * A bar chart per category: counts of rows per value of `x` (when `y` is omitted), or the values of `y`.
 * Example: verdict counts of a survey, `barChart(rows, { x: "verdict" })`.
 * @returns a Vega-Lite 5 spec.
 * @throws DomainError naming the argument: empty data, missing fields, non-finite heights, bad sort.
 */
export function barChart(data: readonly Datum[], options: BarChartOptions): VegaLiteSpec {
  const fn = "barChart";
  const o = checkOptions(fn, options, ["x", "y", "color", "xTitle", "yTitle", "colorTitle", "sort", "horizontal", "title", "width", "height", "keep"]);
  const rows = checkData(fn, "data", data);
  const x = checkField(fn, "options.x", o.x, rows, "any");
  const y = o.y === undefined ? undefined : checkField(fn, "options.y", o.y, rows, "number");
  const color = o.color === undefined ? undefined : checkField(fn, "options.color", o.color, rows, "any");
  const horizontal = optBool(fn, "options.horizontal", o.horizontal) ?? false;
  for (const k of ["xTitle", "yTitle", "colorTitle"] as const) optString(fn, `options.${k}`, o[k]);
  const values = pickFields(rows, [x, y, color, ...checkKeep(fn, o.keep, rows)]);
  let sort: unknown;
  if (o.sort === undefined) sort = Array.from(new Set(values.map((r) => String(r[x]))));
  else if (o.sort === "ascending" || o.sort === "descending") sort = o.sort;
  else if (Array.isArray(o.sort) && o.sort.every((s) => typeof s === "string")) sort = o.sort.slice();
  else throw new DomainError(fn, `options.sort must be "ascending", "descending" or an array of category names; got ${describe(o.sort)}`);
  // categories are compared as strings: store them as strings so an explicit order matches.
  const vals = values.map((r) => ({ ...r, [x]: String(r[x]) }));
  const spec = baseSpec(fn, o);
  spec.data = { values: vals };
  spec.mark = { type: "bar" };
  const cat: VegaLiteSpec = { field: x, type: "nominal", title: o.xTitle ?? x, sort };
  const val: VegaLiteSpec = y
    ? { field: y, type: "quantitative", title: o.yTitle ?? y }
    : { aggregate: "count", type: "quantitative", title: o.yTitle ?? "count" };
  const enc: VegaLiteSpec = horizontal ? { y: cat, x: val } : { x: { ...cat, axis: { labelAngle: 0 } }, y: val };
  if (color) enc.color = { field: color, type: "nominal", title: o.colorTitle ?? color };
  enc.tooltip = y ? tooltipEncoding(vals, [x, y, color].filter((f): f is string => f !== undefined)) : [{ field: x, type: "nominal" }, { aggregate: "count", type: "quantitative", title: "count" }];
  spec.encoding = enc;
  return spec;
}
