/**
 * Theory against measurement: a prediction drawn as a line (a grey dashed reference, or a coloured curve with a
 * legend entry) under measured points on the same x/y axes (often log-log). This is the chart the course uses to
 * set a theorem's formula against the numbers: the T1 diagonal, T2's maximal-rank line, P1's slope-2 Taylor
 * error, the Ex-2 and T5 escape curves.
 * @module
 */
import { DomainError, LandscapeError, ShapeError, describe } from "../core/errors";
import { layer } from "./layer";
import { lineChart } from "./line";
import { scatterChart } from "./scatter";
import { Datum, VegaLiteSpec, checkData, checkField, cloneSpec, optString } from "./spec";
import { checkOptions } from "../core/options";
import { XYOptions } from "./xy";

/** Stroke colour of a {@link referenceLine} (mid grey). */
export const REFERENCE_COLOR = "#777777";

/** Stroke dash of a {@link referenceLine}: 6 px on, 4 px off. */
export const REFERENCE_DASH: readonly number[] = [6, 4];

/**
 * Restyles a line spec (usually from `lineChart`) as a reference line: grey ({@link REFERENCE_COLOR}), dashed
 * ({@link REFERENCE_DASH}), without a legend entry. A colour encoding, if any, becomes a `detail` encoding, so
 * several curves stay separate lines but all are grey. Used for the theory under measured points (T1's diagonal,
 * T2's line `1`, P1's slope-2 line); {@link theoryVsMeasured} builds the whole chart.
 * @param spec - a unit spec with a `mark` (string or object), e.g. `lineChart(rows, { x, y, tooltip: false })`.
 * @returns a new spec; `spec` is not modified.
 * @throws DomainError unless `spec` is a unit spec object with a mark.
 */
export function referenceLine(spec: VegaLiteSpec): VegaLiteSpec {
  const fn = "referenceLine";
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new DomainError(fn, `spec must be a Vega-Lite unit spec object; got ${describe(spec)}`);
  const mark = spec.mark;
  if (typeof mark !== "string" && (typeof mark !== "object" || mark === null || Array.isArray(mark))) {
    throw new DomainError(fn, `spec must be a unit spec with a mark (e.g. from lineChart); got keys ${describe(Object.keys(spec))}`);
  }
  const out = cloneSpec(spec);
  out.mark = { ...(typeof mark === "string" ? { type: mark } : cloneSpec(mark as VegaLiteSpec)), color: REFERENCE_COLOR, strokeDash: [...REFERENCE_DASH] };
  const enc = out.encoding as VegaLiteSpec | undefined;
  if (enc && typeof enc.color === "object" && enc.color !== null && "field" in (enc.color as VegaLiteSpec)) {
    const c = enc.color as VegaLiteSpec;
    enc.detail = { field: c.field, type: c.type ?? "nominal" };
    delete enc.color;
  }
  return out;
}

/** How {@link theoryVsMeasured} draws the theory: a grey dashed reference line, or coloured curve(s) in the legend. */
export type TheoryStyle = "reference" | "legend";

/** Options (and data) of {@link theoryVsMeasured}: the xy options shared by both layers and these. */
export interface TheoryVsMeasuredOptions extends XYOptions {
  /** Rows of the prediction `{ [x], [y], ... }`, drawn as a line sorted by x (two rows suffice for a straight line). */
  theory: readonly Datum[];
  /** Rows of the measurement `{ [x], [y], ... }`, drawn as filled points. */
  measured: readonly Datum[];
  /**
   * `"reference"`: grey dashed line(s), no legend entry ({@link referenceLine}). `"legend"`: coloured curve(s)
   * sharing the colour legend with the points. Default: `"legend"` when `theoryLabel` is set or every theory
   * row has the `color` field, else `"reference"`.
   */
  theoryStyle?: TheoryStyle;
  /**
   * Reference style only: field of the theory rows that splits them into separate grey curves, one per value
   * (e.g. one horizontal line per critical value). In legend style the colour field splits the curves.
   */
  curve?: string;
  /** Legend entry of the theory line (legend style); written into the colour field of (copies of) the theory rows. */
  theoryLabel?: string;
  /**
   * Legend entry of the measured points, written into the colour field of (copies of) the measured rows
   * (default: none; `"measured"` when the theory has a label and `color` is unset).
   */
  measuredLabel?: string;
  /** Field of the measured points shown by shape (nominal). */
  shape?: string;
  /** Legend title of the shape field (default: the field name). */
  shapeTitle?: string;
  /** Tooltip of the points: true (default) shows the plotted fields, a list shows those fields. */
  tooltip?: boolean | readonly string[];
  /** Point size in square pixels (default 70). */
  size?: number;
  /** Point opacity in (0, 1] (default 0.8). */
  opacity?: number;
  /** Include zero on linear axes of the points (default false). */
  zero?: boolean;
}

/**
 * Theory line under measured points on common axes (the course's "formula against numbers" chart).
 *
 * Layers, in order: the theory (`lineChart` of `theory`; a grey dashed {@link referenceLine} or coloured
 * curve(s), see `theoryStyle`), then the measured points (`scatterChart` of `measured`). Both use the same
 * `x`/`y` fields, scales, domains and axis titles; several reference curves are split by `curve`. The colour legend field is `color`, or `"series"` when only
 * `theoryLabel`/`measuredLabel` are given. More layers (e.g. a second set of points) can be added with
 * `layer([theoryVsMeasured(...), scatterChart(...)])`.
 *
 * Examples: T1's diagonal `rank dμ = dim Σ Col(W_{>i}) ⊗ Row(W_{<i})` under the measured ranks
 * (`theory: [{x: 0, y: 0}, {x: hi, y: hi}]`); Ex-2's escape `|ΔL| = 2ε² − ε⁴` against measured `|ΔL|` on
 * log-log axes (`xScale: "log", yScale: "log", theoryLabel: "predicted 2ε² − ε⁴", measuredLabel: "measured |ΔL|"`).
 * @param options - the data (`theory`, `measured`), the shared axes (`x`, `y`, scales, titles, domains, `keep`
 * applied to both layers), the legend (`color`, `colorTitle`, `theoryStyle`, `theoryLabel`, `measuredLabel`),
 * the points (`shape`, `shapeTitle`, `tooltip`, `size`, `opacity`, `zero`) and the chart (`title`, `width`,
 * `height`); see {@link TheoryVsMeasuredOptions}.
 * @returns a Vega-Lite 5 layer spec with two unit layers (line, then points).
 * @throws DomainError naming the argument: `options.theory` / `options.measured` not a non-empty array of rows;
 * a missing x/y field or a non-finite (on a log axis, non-positive) value, with the array it is in; a colour
 * field equal to `x` or `y` or missing from the measured rows; `theoryStyle: "legend"` without a label or
 * colour field in the theory rows; a non-string label; any bad option of `lineChart`/`scatterChart`.
 */
export function theoryVsMeasured(options: TheoryVsMeasuredOptions): VegaLiteSpec {
  const fn = "theoryVsMeasured";
  if (options === undefined) throw new DomainError(fn, "options must be an object with theory, measured, x and y; got undefined");
  const o = checkOptions(fn, options, ["theory", "measured", "theoryStyle", "curve", "theoryLabel", "measuredLabel", "shape", "shapeTitle", "tooltip", "size", "opacity", "zero", "x", "y", "color", "xTitle", "yTitle", "colorTitle", "xScale", "yScale", "xDomain", "yDomain", "title", "width", "height", "keep"]);
  const theory = checkData(fn, "options.theory", o.theory);
  const measured = checkData(fn, "options.measured", o.measured);
  const theoryLabel = optString(fn, "options.theoryLabel", o.theoryLabel);
  const measuredLabel = optString(fn, "options.measuredLabel", o.measuredLabel);
  if (o.theoryStyle !== undefined && o.theoryStyle !== "reference" && o.theoryStyle !== "legend") {
    throw new DomainError(fn, `options.theoryStyle must be "reference" or "legend"; got ${describe(o.theoryStyle)}`);
  }
  if (o.color !== undefined && (typeof o.color !== "string" || o.color.length === 0)) throw new DomainError(fn, `options.color must be a field name (non-empty string); got ${describe(o.color)}`);
  const legendField = o.color ?? (theoryLabel !== undefined || measuredLabel !== undefined ? "series" : undefined);
  if (legendField !== undefined && (legendField === o.x || legendField === o.y)) {
    throw new DomainError(fn, `options.color (the legend field, default "series") must differ from options.x and options.y; got ${describe(legendField)}`);
  }
  const theoryHasColor = o.color !== undefined && theory.every((r) => (o.color as string) in r);
  const style: TheoryStyle = o.theoryStyle ?? (theoryLabel !== undefined || theoryHasColor ? "legend" : "reference");
  if (style === "legend" && theoryLabel === undefined && !theoryHasColor) {
    throw new DomainError(fn, `options.theoryStyle "legend" needs options.theoryLabel, or options.color as a field of every theory row; got neither`);
  }
  if (style === "reference" && theoryLabel !== undefined) throw new DomainError(fn, `options.theoryLabel is a legend entry: it needs options.theoryStyle "legend"; got "reference"`);

  if (o.curve !== undefined) {
    if (style !== "reference") throw new DomainError(fn, `options.curve splits reference curves: it needs options.theoryStyle "reference"; got "legend" (the colour field splits legend curves)`);
    checkField(fn, "options.curve", o.curve, theory, "any");
  }
  const label = (rows: readonly Record<string, unknown>[], value: string): Datum[] => rows.map((r) => ({ ...(r as Datum), [legendField as string]: value }));
  const tRows = theoryLabel !== undefined ? label(theory, theoryLabel) : (theory as Datum[]);
  const mLabel = measuredLabel ?? (theoryLabel !== undefined && o.color === undefined ? "measured" : undefined);
  const mRows = mLabel !== undefined ? label(measured, mLabel) : (measured as Datum[]);

  const axes: XYOptions = { x: o.x, y: o.y };
  for (const k of ["xScale", "yScale", "xTitle", "yTitle", "xDomain", "yDomain", "keep"] as const) if (o[k] !== undefined) (axes as unknown as Record<string, unknown>)[k] = o[k];
  // default axis titles: the field names (explicit, so that both layers agree)
  if (axes.xTitle === undefined && typeof o.x === "string") axes.xTitle = o.x;
  if (axes.yTitle === undefined && typeof o.y === "string") axes.yTitle = o.y;
  const legend: Partial<XYOptions> = legendField === undefined ? {} : { color: legendField, ...(o.colorTitle !== undefined ? { colorTitle: o.colorTitle } : {}) };

  const theorySpec = within(fn, "options.theory", () =>
    style === "reference" ? referenceLine(lineChart(tRows, { ...axes, ...(o.curve !== undefined ? { color: o.curve } : {}), tooltip: false })) : lineChart(tRows, { ...axes, ...legend }),
  );
  const pointOptions: Record<string, unknown> = { ...axes, size: o.size ?? 70 };
  if (legendField !== undefined && (mLabel !== undefined || o.color !== undefined)) Object.assign(pointOptions, legend);
  for (const k of ["shape", "shapeTitle", "tooltip", "opacity", "zero"] as const) if (o[k] !== undefined) pointOptions[k] = o[k];
  const measuredSpec = within(fn, "options.measured", () => scatterChart(mRows, pointOptions as unknown as Parameters<typeof scatterChart>[1]));
  return layer([theorySpec, measuredSpec], { title: o.title, width: o.width, height: o.height });
}

/** Runs a sub-builder; its DomainError/ShapeError is rethrown under `fn`, naming the data array it concerns. */
function within(fn: string, what: string, build: () => VegaLiteSpec): VegaLiteSpec {
  try {
    return build();
  } catch (e) {
    if (e instanceof LandscapeError && (e instanceof DomainError || e instanceof ShapeError)) {
      const msg = e.message.startsWith(`${e.fn}: `) ? e.message.slice(e.fn.length + 2) : e.message;
      const Ctor = e instanceof ShapeError ? ShapeError : DomainError;
      throw new Ctor(fn, `${msg} (in ${what})`);
    }
    throw e;
  }
}
