/**
 * What line and scatter charts share: quantitative x and y fields (linear or log axes, optional fixed domains),
 * an optional colour field, their titles, validation, and the position/colour encodings.
 * @module
 */
import { BaseOptions, Datum, ScaleType, VegaLiteSpec, checkField, integerTicks, optDomain, optScale, optString, quantEncoding } from "./spec";
import { DomainError, describe } from "../core/errors";

/** Options of a chart with quantitative x and y axes and an optional colour ({@link lineChart}, {@link scatterChart}). */
export interface XYOptions extends BaseOptions {
  /** Field of the x values (finite numbers; > 0 on a log axis). */
  x: string;
  /** Field of the y values (finite numbers; > 0 on a log axis). */
  y: string;
  /** Field coloured by category (nominal): one colour (and, for lines, one line) per value. */
  color?: string;
  /** Axis titles (default: the field names) and legend title. */
  xTitle?: string;
  yTitle?: string;
  colorTitle?: string;
  /** Axis scales, "linear" (default) or "log". */
  xScale?: ScaleType;
  yScale?: ScaleType;
  /** Fixed axis domains `[lo, hi]` (marks outside are clipped). */
  xDomain?: [number, number];
  yDomain?: [number, number];
}

/** The validated x/y/colour fields of {@link checkXY}. */
export interface XYFields {
  readonly x: string;
  readonly y: string;
  readonly color: string | undefined;
  readonly xScale: ScaleType | undefined;
  readonly yScale: ScaleType | undefined;
  /** A domain is fixed: marks must be clipped to the plot. */
  readonly clip: boolean;
}

/**
 * Validates the x/y/colour options of an xy chart against its data: the scales, the fields (finite numbers on
 * the axes, positive on a log axis; any JSON primitive for the colour) and the titles.
 * @param fn - the builder's name, for messages. @param o - the options. @param rows - the checked data rows.
 * @throws DomainError naming the option: a bad scale, a missing field, a non-finite or (on a log axis)
 * non-positive value, a non-string title.
 */
export function checkXY(fn: string, o: XYOptions, rows: readonly Record<string, unknown>[]): XYFields {
  if (o === null || typeof o !== "object") throw new DomainError(typeof fn === "string" ? fn : "checkXY", `options must be an object; got ${describe(o)}`);
  if (!Array.isArray(rows)) throw new DomainError(typeof fn === "string" ? fn : "checkXY", `rows must be an array of objects; got ${describe(rows)}`);
  const xScale = optScale(fn, "options.xScale", o.xScale);
  const yScale = optScale(fn, "options.yScale", o.yScale);
  const x = checkField(fn, "options.x", o.x, rows, xScale === "log" ? "positive" : "number");
  const y = checkField(fn, "options.y", o.y, rows, yScale === "log" ? "positive" : "number");
  const color = o.color === undefined ? undefined : checkField(fn, "options.color", o.color, rows, "any");
  for (const k of ["xTitle", "yTitle", "colorTitle"] as const) optString(fn, `options.${k}`, o[k]);
  return { x, y, color, xScale, yScale, clip: o.xDomain !== undefined || o.yDomain !== undefined };
}

/**
 * The `x`, `y` (and `color`, when set) encodings of an xy chart: quantitative axes with titles, scales and
 * fixed domains, integer ticks on an x axis of integers, a nominal colour with its legend title.
 * @param values - the spec's data (to detect an integer x axis). @param xZero / yZero - include zero on the axis
 * (undefined: Vega-Lite's default).
 * @throws DomainError for bad options, fields or rows, or a bad `options.xDomain` / `options.yDomain`.
 */
export function xyEncoding(fn: string, o: XYOptions, f: XYFields, values: readonly Datum[], xZero?: boolean, yZero?: boolean): VegaLiteSpec {
  if (o === null || typeof o !== "object") throw new DomainError(typeof fn === "string" ? fn : "xyEncoding", `options must be an object; got ${describe(o)}`);
  if (f === null || typeof f !== "object" || typeof f.x !== "string" || typeof f.y !== "string") throw new DomainError(typeof fn === "string" ? fn : "xyEncoding", `f must be the fields from checkXY; got ${describe(f)}`);
  const enc: VegaLiteSpec = {
    x: integerTicks(quantEncoding(f.x, o.xTitle ?? f.x, f.xScale, optDomain(fn, "options.xDomain", o.xDomain), xZero), values, f.x, f.xScale),
    y: quantEncoding(f.y, o.yTitle ?? f.y, f.yScale, optDomain(fn, "options.yDomain", o.yDomain), yZero),
  };
  if (f.color) enc.color = { field: f.color, type: "nominal", title: o.colorTitle ?? f.color };
  return enc;
}
