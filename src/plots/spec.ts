/**
 * Shared pieces of the chart spec builders: the Vega-Lite 5 spec type, the base spec (schema, size, title,
 * font), and input validation.
 *
 * Every builder of `plots/` is a pure function from data and options to a plain Vega-Lite JSON object with
 * `$schema` v5 that uses only features of vega-lite 5.6 (the version JupyterLab 4 bundles): unit marks
 * line/point/bar/rect/rule/text, quantitative/nominal/ordinal fields, `bin`, `aggregate: "count"`, linear and
 * log scales, `layer`, a `filter` transform and top-level variable `params` bound to a range input. Data are
 * inlined (`data.values`), numbers must be finite (JSON has no NaN).
 * @module
 */
import { DomainError, ShapeError, describe } from "../core/errors";

/** The `$schema` of every spec: Vega-Lite 5. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** The font family of every chart; the same font is shipped in `assets/fonts/` for the PNG renderer. */
export const CHART_FONT = "DejaVu Sans";

/** A Vega-Lite spec as a plain JSON object. */
export type VegaLiteSpec = { [key: string]: unknown };

/** A cell of chart data: JSON primitives only. */
export type DatumValue = number | string | boolean | null;

/** One data row: field name -> value. */
export type Datum = Readonly<Record<string, DatumValue>>;

/** A scale type the builders support. */
export type ScaleType = "linear" | "log";

/** Options every builder accepts. */
export interface BaseOptions {
  /** Chart title (default: none). */
  title?: string;
  /** Plot width in pixels (default 400). */
  width?: number;
  /** Plot height in pixels (default 260). */
  height?: number;
  /**
   * Extra data fields to keep in the spec's data (builders keep only the fields they plot), e.g. the field a
   * slider filters on: `lineChart(rows, { x: "t", y: "loss", keep: ["K"] })` then `withSlider(spec, { field: "K", ... })`.
   */
  keep?: readonly string[];
}

/** Default plot width. */
export const DEFAULT_WIDTH = 400;
/** Default plot height. */
export const DEFAULT_HEIGHT = 260;

/** The chart configuration shared by all builders: the shipped font everywhere, white background. */
export function chartConfig(): VegaLiteSpec {
  return {
    font: CHART_FONT,
    title: { fontSize: 14 },
    axis: { labelFontSize: 11, titleFontSize: 12 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
  };
}

/**
 * The top level of a spec: `$schema`, `title`, `width`, `height`, `background`, `config`.
 * @throws DomainError for a non-string title or a size that is not an integer in [20, 2000].
 */
export function baseSpec(fn: string, options: BaseOptions): VegaLiteSpec {
  if (typeof fn !== "string") throw new DomainError("baseSpec", `fn must be a string; got ${describe(fn)}`);
  if (options === null || typeof options !== "object") throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  const spec: VegaLiteSpec = { $schema: VEGA_LITE_SCHEMA };
  if (options.title !== undefined) {
    if (typeof options.title !== "string") throw new DomainError(fn, `options.title must be a string; got ${describe(options.title)}`);
    spec.title = options.title;
  }
  spec.width = checkSize(fn, "options.width", options.width ?? DEFAULT_WIDTH);
  spec.height = checkSize(fn, "options.height", options.height ?? DEFAULT_HEIGHT);
  spec.background = "white";
  spec.config = chartConfig();
  return spec;
}

function checkSize(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 20 || v > 2000) throw new DomainError(fn, `${name} must be an integer in [20, 2000]; got ${describe(v)}`);
  return v;
}

/**
 * Validates an optional string option (a title, a field label).
 * @param name - the option's name in the message, e.g. `"options.xTitle"`.
 * @throws DomainError unless `v` is undefined or a string.
 */
export function optString(fn: string, name: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== "string") throw new DomainError(fn, `${name} must be a string; got ${describe(v)}`);
  return v as string | undefined;
}

/**
 * Validates an optional boolean option (e.g. `points`, `tooltip`); returns it unchanged.
 * @throws DomainError unless `v` is undefined or a boolean.
 */
export function optBool(fn: string, name: string, v: unknown): boolean | undefined {
  if (v !== undefined && typeof v !== "boolean") throw new DomainError(fn, `${name} must be a boolean; got ${describe(v)}`);
  return v as boolean | undefined;
}

/**
 * Validates an optional axis scale option: `"linear"` or `"log"` (undefined keeps the Vega-Lite default, linear).
 * @throws DomainError unless `v` is undefined, `"linear"` or `"log"`.
 */
export function optScale(fn: string, name: string, v: unknown): ScaleType | undefined {
  if (v !== undefined && v !== "linear" && v !== "log") throw new DomainError(fn, `${name} must be "linear" or "log"; got ${describe(v)}`);
  return v as ScaleType | undefined;
}

/**
 * Validates an optional fixed axis domain `[lo, hi]`; returns a copy.
 * @throws DomainError unless `v` is undefined or a pair of finite numbers with `lo < hi`.
 */
export function optDomain(fn: string, name: string, v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((t) => typeof t === "number" && Number.isFinite(t)) || !(v[0] < v[1])) {
    throw new DomainError(fn, `${name} must be [lo, hi] with finite lo < hi; got ${describe(v)}`);
  }
  return [v[0], v[1]];
}

/**
 * Validates an optional positive-integer option (e.g. a bin count).
 * @throws DomainError unless `v` is undefined or an integer `>= 1`.
 */
export function optPositiveInt(fn: string, name: string, v: unknown): number | undefined {
  if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1)) throw new DomainError(fn, `${name} must be a positive integer; got ${describe(v)}`);
  return v as number | undefined;
}

/**
 * Checks chart data: a non-empty array of plain objects.
 * @throws DomainError naming `name` when it is not.
 */
export function checkData(fn: string, name: string, data: unknown): readonly Record<string, unknown>[] {
  if (!Array.isArray(data)) throw new DomainError(fn, `${name} must be an array of row objects; got ${describe(data)}`);
  if (data.length === 0) throw new DomainError(fn, `${name} must have at least one row; got []`);
  data.forEach((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) throw new DomainError(fn, `${name}[${i}] must be a row object; got ${describe(r)}`);
  });
  return data as Record<string, unknown>[];
}

/** What a field must hold: finite numbers (positive for log scales), or any JSON primitive. */
export type FieldKind = "number" | "positive" | "any";

/**
 * Checks that every row has `field` with a value of the right kind.
 * @param argName - the option naming the field, e.g. `"options.x"`.
 * @throws DomainError when `field` is not a non-empty string, a row lacks it, or a value is of the wrong kind
 * (non-finite number, non-positive value on a log scale, object), naming the row.
 */
export function checkField(fn: string, argName: string, field: unknown, rows: readonly Record<string, unknown>[], kind: FieldKind): string {
  if (typeof field !== "string" || field.length === 0) throw new DomainError(fn, `${argName} must be a field name (non-empty string); got ${describe(field)}`);
  rowsArg(fn, rows);
  rows.forEach((r, i) => {
    if (!(field in r)) throw new DomainError(fn, `${argName} = ${JSON.stringify(field)} must be a field of every row; row ${i} has only ${describe(Object.keys(r))}`);
    const v = r[field];
    if (kind === "any") {
      if (!(v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))) {
        throw new DomainError(fn, `field ${JSON.stringify(field)} must hold strings, booleans or finite numbers; got ${describe(v)} in row ${i}`);
      }
    } else {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `field ${JSON.stringify(field)} must hold finite numbers; got ${describe(v)} in row ${i}`);
      if (kind === "positive" && !(v > 0)) throw new DomainError(fn, `field ${JSON.stringify(field)} is on a log scale and must be > 0; got ${describe(v)} in row ${i}`);
    }
  });
  return field;
}

/**
 * Validates `options.keep`: field names present in every row (JSON primitives).
 * @throws DomainError naming `options.keep[i]`.
 */
export function checkKeep(fn: string, keep: unknown, rows: readonly Record<string, unknown>[]): string[] {
  if (keep === undefined) return [];
  if (!Array.isArray(keep)) throw new DomainError(fn, `options.keep must be an array of field names; got ${describe(keep)}`);
  return keep.map((f, i) => checkField(fn, `options.keep[${i}]`, f, rows, "any"));
}

/**
 * Copies `rows` keeping only `fields` (the spec stays small and JSON-safe).
 * @throws DomainError unless `rows` is an array of objects and `fields` an array of strings (or undefined).
 */
export function pickFields(rows: readonly Record<string, unknown>[], fields: readonly (string | undefined)[]): Datum[] {
  rowsArg("pickFields", rows);
  if (!Array.isArray(fields) || !fields.every((f) => f === undefined || typeof f === "string")) throw new DomainError("pickFields", `fields must be an array of field names; got ${describe(fields)}`);
  const keep = Array.from(new Set(fields.filter((f): f is string => f !== undefined)));
  return rows.map((r) => {
    const o: Record<string, DatumValue> = {};
    for (const f of keep) o[f] = r[f] as DatumValue;
    return o;
  });
}

/**
 * Checks a list of finite numbers and returns it as a plain array.
 * @throws DomainError if `xs` is not an array (or typed array) or an entry is not a finite number; ShapeError if
 * it has fewer than `minLength` entries.
 */
export function checkNumbers(fn: string, name: string, xs: unknown, minLength = 1): number[] {
  if (!Array.isArray(xs) && !ArrayBuffer.isView(xs)) throw new DomainError(fn, `${name} must be an array of numbers; got ${describe(xs)}`);
  const arr = Array.from(xs as ArrayLike<unknown>);
  if (arr.length < minLength) throw new ShapeError(fn, `${name} must have at least ${minLength} entries; got ${arr.length}`);
  arr.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `${name}[${i}] must be a finite number; got ${describe(v)}`);
  });
  return arr as number[];
}

/**
 * A quantitative position encoding with title, optional log scale and domain.
 * @throws DomainError for a non-string field or title, a bad scale, a domain that is not a finite `[lo, hi]`, or a
 *   non-boolean `zero`.
 */
export function quantEncoding(field: string, title: string, scale?: ScaleType, domain?: [number, number], zero?: boolean): VegaLiteSpec {
  const fn = "quantEncoding";
  if (typeof field !== "string") throw new DomainError(fn, `field must be a string; got ${describe(field)}`);
  if (typeof title !== "string") throw new DomainError(fn, `title must be a string; got ${describe(title)}`);
  optScale(fn, "scale", scale);
  optDomain(fn, "domain", domain);
  optBool(fn, "zero", zero);
  const enc: VegaLiteSpec = { field, type: "quantitative", title };
  const sc: VegaLiteSpec = {};
  if (scale === "log") sc.type = "log";
  if (domain) {
    sc.domain = domain;
    sc.nice = false;
  }
  if (zero !== undefined && scale !== "log") sc.zero = zero;
  if (Object.keys(sc).length > 0) enc.scale = sc;
  return enc;
}

/**
 * When every value of `field` is an integer on a linear axis, ticks at integers only (`tickMinStep: 1`).
 * @throws DomainError unless `enc` is an object, `rows` an array of objects and `field` a string.
 */
export function integerTicks(enc: VegaLiteSpec, rows: readonly Datum[], field: string, scale?: ScaleType): VegaLiteSpec {
  if (enc === null || typeof enc !== "object" || Array.isArray(enc)) throw new DomainError("integerTicks", `enc must be an encoding object; got ${describe(enc)}`);
  rowsArg("integerTicks", rows);
  if (typeof field !== "string") throw new DomainError("integerTicks", `field must be a string; got ${describe(field)}`);
  optScale("integerTicks", "scale", scale);
  if (scale !== "log" && rows.every((r) => Number.isInteger(r[field]))) enc.axis = { tickMinStep: 1, format: "d" };
  return enc;
}

/**
 * Tooltip encoding for fields (numbers formatted to 4 significant digits).
 * @throws DomainError unless `rows` is an array of objects and `fields` an array of strings.
 */
export function tooltipEncoding(rows: readonly Datum[], fields: readonly string[]): VegaLiteSpec[] {
  rowsArg("tooltipEncoding", rows);
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === "string")) throw new DomainError("tooltipEncoding", `fields must be an array of field names; got ${describe(fields)}`);
  return fields.map((f) => {
    const numeric = rows.every((r) => typeof r[f] === "number");
    return numeric ? { field: f, type: "quantitative", format: ".4~g" } : { field: f, type: "nominal" };
  });
}

/**
 * A deep copy of a JSON value (specs are plain JSON).
 * @throws DomainError for a value that is not JSON (undefined, a function, a symbol, a cycle, a NaN or ±Infinity).
 */
export function cloneSpec<T>(spec: T): T {
  let text: string | undefined;
  try {
    text = JSON.stringify(spec, (_, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new DomainError("cloneSpec", `spec must be plain JSON; got the number ${describe(v)}`);
      return v;
    });
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError("cloneSpec", `spec must be plain JSON; got ${describe(spec)} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (text === undefined) throw new DomainError("cloneSpec", `spec must be plain JSON; got ${describe(spec)}`);
  return JSON.parse(text) as T;
}

/** Rows of a chart: an array of plain objects. */
function rowsArg(fn: string, rows: unknown): void {
  if (!Array.isArray(rows) || !rows.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) throw new DomainError(fn, `rows must be an array of objects; got ${describe(rows)}`);
}
