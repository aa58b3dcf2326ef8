/**
 * Scatter plots with colour/shape by category and tooltips.
 * @module
 */
import { Datum, VegaLiteSpec, baseSpec, checkData, checkKeep, checkField, optBool, optString, pickFields, tooltipEncoding } from "./spec";
import { checkOptions } from "../core/options";
import { XYOptions, checkXY, xyEncoding } from "./xy";
import { DomainError, describe } from "../core/errors";

/** Options of {@link scatterChart}: the xy options and these. */
export interface ScatterChartOptions extends XYOptions {
  /** Field shown by point shape (nominal). */
  shape?: string;
  /** Legend title of the shape field (default: the field name). */
  shapeTitle?: string;
  /** Include zero on the axes (default: false, points fill the view). */
  zero?: boolean;
  /** Tooltip: true (default) shows the plotted fields; a list of fields shows those (they are kept in the data). */
  tooltip?: boolean | readonly string[];
  /** Point size in square pixels (default 50). */
  size?: number;
  /** Opacity in (0, 1] (default 0.8). */
  opacity?: number;
}

/**
 * A scatter plot of rows `{ [x]: number, [y]: number, ... }` with optional colour and shape by category.
 * Used for surveys (final loss vs start, rank vs bottleneck in chapter 00, basins in the bad-minima chapter).
 * @param data - non-empty array of row objects.
 * @returns a Vega-Lite 5 spec.
 * @throws DomainError naming the argument for empty data, a missing field, non-finite values, non-positive
 * values on a log axis, or bad options.
 */
export function scatterChart(data: readonly Datum[], options: ScatterChartOptions): VegaLiteSpec {
  const fn = "scatterChart";
  const o = checkOptions(fn, options, ["shape", "shapeTitle", "zero", "tooltip", "size", "opacity", "x", "y", "color", "xTitle", "yTitle", "colorTitle", "xScale", "yScale", "xDomain", "yDomain", "title", "width", "height", "keep"]);
  const rows = checkData(fn, "data", data);
  const xy = checkXY(fn, o, rows);
  const { x, y, color } = xy;
  const shape = o.shape === undefined ? undefined : checkField(fn, "options.shape", o.shape, rows, "any");
  const zero = optBool(fn, "options.zero", o.zero) ?? false;
  optString(fn, "options.shapeTitle", o.shapeTitle);
  let tipFields: string[] = [];
  if (o.tooltip === undefined || o.tooltip === true) tipFields = [x, y, color, shape].filter((f): f is string => f !== undefined);
  else if (Array.isArray(o.tooltip)) tipFields = o.tooltip.map((f, i) => checkField(fn, `options.tooltip[${i}]`, f, rows, "any"));
  else if (o.tooltip !== false) throw new DomainError(fn, `options.tooltip must be a boolean or an array of field names; got ${describe(o.tooltip)}`);
  const size = o.size ?? 50;
  if (typeof size !== "number" || !(size > 0) || !Number.isFinite(size)) throw new DomainError(fn, `options.size must be a positive number; got ${describe(size)}`);
  const opacity = o.opacity ?? 0.8;
  if (typeof opacity !== "number" || !(opacity > 0 && opacity <= 1)) throw new DomainError(fn, `options.opacity must be in (0, 1]; got ${describe(opacity)}`);
  const values = pickFields(rows, [x, y, color, shape, ...tipFields, ...checkKeep(fn, o.keep, rows)]);
  const spec = baseSpec(fn, o);
  spec.data = { values };
  spec.mark = { type: "point", filled: true, size, opacity };
  if (xy.clip) (spec.mark as VegaLiteSpec).clip = true; // clip only to a fixed domain
  const enc = xyEncoding(fn, o, xy, values, zero, zero);
  if (shape) enc.shape = { field: shape, type: "nominal", title: o.shapeTitle ?? shape };
  if (tipFields.length > 0) enc.tooltip = tooltipEncoding(values, tipFields);
  spec.encoding = enc;
  return spec;
}
