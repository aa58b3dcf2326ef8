/**
 * Scatter plots with colour/shape by category and tooltips.
 * @module
 */
import {
  BaseOptions, Datum, ScaleType, VegaLiteSpec, baseSpec, checkData, checkKeep, checkField, checkOptions, optBool, optDomain, optScale,
  optString, pickFields, quantEncoding, integerTicks, tooltipEncoding,
} from "./spec";
import { DomainError, describe } from "../core/errors";

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions extends BaseOptions {
  /** Field of x values (finite numbers; > 0 on a log axis). */
  x: string;
  /** Field of y values (finite numbers; > 0 on a log axis). */
  y: string;
  /** Field coloured by category (nominal). */
  color?: string;
  /** Field shown by point shape (nominal). */
  shape?: string;
  /** Axis and legend titles (default: field names). */
  xTitle?: string;
  yTitle?: string;
  colorTitle?: string;
  shapeTitle?: string;
  xScale?: ScaleType;
  yScale?: ScaleType;
  xDomain?: [number, number];
  yDomain?: [number, number];
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
  const o = checkOptions(fn, options);
  const rows = checkData(fn, "data", data);
  const xScale = optScale(fn, "options.xScale", o.xScale);
  const yScale = optScale(fn, "options.yScale", o.yScale);
  const x = checkField(fn, "options.x", o.x, rows, xScale === "log" ? "positive" : "number");
  const y = checkField(fn, "options.y", o.y, rows, yScale === "log" ? "positive" : "number");
  const color = o.color === undefined ? undefined : checkField(fn, "options.color", o.color, rows, "any");
  const shape = o.shape === undefined ? undefined : checkField(fn, "options.shape", o.shape, rows, "any");
  const zero = optBool(fn, "options.zero", o.zero) ?? false;
  for (const k of ["xTitle", "yTitle", "colorTitle", "shapeTitle"] as const) optString(fn, `options.${k}`, o[k]);
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
  if (o.xDomain !== undefined || o.yDomain !== undefined) (spec.mark as VegaLiteSpec).clip = true; // clip only to a fixed domain
  const enc: VegaLiteSpec = {
    x: integerTicks(quantEncoding(x, o.xTitle ?? x, xScale, optDomain(fn, "options.xDomain", o.xDomain), zero), values, x, xScale),
    y: quantEncoding(y, o.yTitle ?? y, yScale, optDomain(fn, "options.yDomain", o.yDomain), zero),
  };
  if (color) enc.color = { field: color, type: "nominal", title: o.colorTitle ?? color };
  if (shape) enc.shape = { field: shape, type: "nominal", title: o.shapeTitle ?? shape };
  if (tipFields.length > 0) enc.tooltip = tooltipEncoding(values, tipFields);
  spec.encoding = enc;
  return spec;
}
