/**
 * Layering specs (a theory curve over measured points, marked points over a heatmap) and interactive
 * sliders (a Vega-Lite variable parameter bound to a range input, filtering the data).
 * @module
 */
import { DomainError, describe } from "../core/errors";
import { BaseOptions, VegaLiteSpec, baseSpec, cloneSpec, optString } from "./spec";
import { checkOptions } from "../core/options";

const TOP_LEVEL_ONLY = ["$schema", "config", "background", "width", "height", "title", "padding", "autosize", "params", "usermeta"];

function asSpec(fn: string, name: string, s: unknown): VegaLiteSpec {
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw new DomainError(fn, `${name} must be a Vega-Lite spec object; got ${describe(s)}`);
  const spec = s as VegaLiteSpec;
  if (!("mark" in spec) && !("layer" in spec)) throw new DomainError(fn, `${name} must be a unit spec (with mark) or a layer spec; got keys ${describe(Object.keys(spec))}`);
  if (["facet", "hconcat", "vconcat", "concat", "repeat"].some((k) => k in spec)) {
    throw new DomainError(fn, `${name} must be a unit or layer spec, not a composite (facet/concat/repeat)`);
  }
  return spec;
}

/** The unit layers of a spec, with inherited data/transforms pushed down. */
function unitLayers(spec: VegaLiteSpec): VegaLiteSpec[] {
  if (!("layer" in spec)) {
    const u: VegaLiteSpec = {};
    for (const [k, v] of Object.entries(spec)) if (!TOP_LEVEL_ONLY.includes(k)) u[k] = cloneSpec(v);
    return [u];
  }
  const out: VegaLiteSpec[] = [];
  for (const child of spec.layer as VegaLiteSpec[]) {
    for (const u of unitLayers(child)) {
      if (spec.data !== undefined && u.data === undefined) u.data = cloneSpec(spec.data);
      if (spec.transform !== undefined) u.transform = [...cloneSpec(spec.transform as unknown[]), ...((u.transform as unknown[]) ?? [])];
      if (spec.encoding !== undefined) u.encoding = { ...cloneSpec(spec.encoding as VegaLiteSpec), ...((u.encoding as VegaLiteSpec) ?? {}) };
      out.push(u);
    }
  }
  return out;
}

/**
 * Layers specs on common axes: each spec's marks (and its layers, flattened) are drawn in order, later on top.
 * Titles, size and configuration come from `options`, else from the first spec; top-level `params` (sliders)
 * of all specs are kept. Scales are shared, so give layers the same axis titles.
 * Example: measured points with `scatterChart` under a theory curve from `lineChart`.
 * @param specs - at least one unit or layer spec (composite specs are rejected).
 * @returns a new Vega-Lite 5 layer spec; the inputs are not modified.
 * @throws DomainError for an empty list or a spec that is not a unit/layer spec, or duplicate param names.
 */
export function layer(specs: readonly VegaLiteSpec[], options: BaseOptions = {}): VegaLiteSpec {
  const fn = "layer";
  const o = checkOptions(fn, options, ["title", "width", "height", "keep"]);
  if (!Array.isArray(specs) || specs.length === 0) throw new DomainError(fn, `specs must be a non-empty array of Vega-Lite specs; got ${describe(specs)}`);
  const checked = specs.map((s, i) => asSpec(fn, `specs[${i}]`, s));
  optString(fn, "options.title", o.title);
  const first = checked[0];
  const spec = baseSpec(fn, {
    title: o.title ?? (typeof first.title === "string" ? first.title : undefined),
    width: o.width ?? (typeof first.width === "number" ? first.width : undefined),
    height: o.height ?? (typeof first.height === "number" ? first.height : undefined),
  });
  const params: VegaLiteSpec[] = [];
  for (const s of checked) {
    for (const p of (s.params as VegaLiteSpec[] | undefined) ?? []) {
      if (params.some((q) => q.name === p.name)) throw new DomainError(fn, `params must have distinct names; got ${JSON.stringify(p.name)} twice`);
      params.push(cloneSpec(p));
    }
  }
  if (params.length > 0) spec.params = params;
  spec.layer = checked.flatMap(unitLayers);
  return spec;
}

/** Options of {@link withSlider}. */
export interface SliderOptions {
  /** Parameter name, a JavaScript identifier (e.g. "K"); used in the filter expression. */
  name: string;
  /** Data field compared with the slider value. */
  field: string;
  /** Slider range and step. */
  min: number;
  max: number;
  step: number;
  /** Initial value (default `min`); the static PNG shows this state. */
  value?: number;
  /** Text next to the slider (default: the name). */
  label?: string;
  /**
   * Which rows stay: "eq" (default) rows with `|field - value| <= step/2` (robust to float noise in the data),
   * "le" rows with `field <= value`, "ge" rows with `field >= value`.
   */
  op?: "eq" | "le" | "ge";
  /** Indices of the layers to filter (layer specs only; default: every layer whose data has the field). */
  layers?: readonly number[];
}

const RESERVED = new Set(["datum", "event", "item", "parent", "width", "height", "padding", "autosize", "background", "cursor", "this", "true", "false", "null", "if", "in", "NaN", "Infinity", "undefined"]);

function hasField(u: VegaLiteSpec, field: string): boolean {
  const values = (u.data as { values?: unknown } | undefined)?.values;
  return Array.isArray(values) && values.length > 0 && values.every((r) => typeof r === "object" && r !== null && field in r);
}

/**
 * Adds an interactive slider: a top-level Vega-Lite variable parameter bound to a range input
 * (`params: [{ name, value, bind: { input: "range", min, max, step, name: label } }]`) and a `filter`
 * transform keeping the rows that match the slider. Works in JupyterLab's Vega-Lite renderer and with
 * vega-embed in the HTML course; the PNG shows the initial value.
 * Used by the bad-minima chapter (T6) for the weight K.
 * @param spec - a unit or layer spec whose (layer) data contain `field`.
 * @returns a new spec; `spec` is not modified.
 * @throws DomainError naming the option: a bad name (not an identifier, reserved, already a param), a field
 * no layer has, `min >= max`, a non-positive step, a value outside [min, max], a bad layer index.
 */
export function withSlider(spec: VegaLiteSpec, options: SliderOptions): VegaLiteSpec {
  const fn = "withSlider";
  const s = asSpec(fn, "spec", spec);
  const o = checkOptions(fn, options, ["name", "field", "min", "max", "step", "value", "label", "op", "layers"]);
  if (typeof o.name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.name) || RESERVED.has(o.name)) {
    throw new DomainError(fn, `options.name must be an identifier that is not a Vega reserved word; got ${describe(o.name)}`);
  }
  if (typeof o.field !== "string" || o.field.length === 0) throw new DomainError(fn, `options.field must be a field name; got ${describe(o.field)}`);
  for (const k of ["min", "max", "step"] as const) {
    if (typeof o[k] !== "number" || !Number.isFinite(o[k])) throw new DomainError(fn, `options.${k} must be a finite number; got ${describe(o[k])}`);
  }
  if (!(o.min < o.max)) throw new DomainError(fn, `options.min must be < options.max; got min = ${o.min}, max = ${o.max}`);
  if (!(o.step > 0)) throw new DomainError(fn, `options.step must be > 0; got ${o.step}`);
  const value = o.value ?? o.min;
  if (typeof value !== "number" || !(value >= o.min && value <= o.max)) throw new DomainError(fn, `options.value must be in [min, max] = [${o.min}, ${o.max}]; got ${describe(value)}`);
  const label = optString(fn, "options.label", o.label) ?? o.name;
  const op = o.op ?? "eq";
  if (!["eq", "le", "ge"].includes(op)) throw new DomainError(fn, `options.op must be "eq", "le" or "ge"; got ${describe(op)}`);
  const existing = (s.params as VegaLiteSpec[] | undefined) ?? [];
  if (existing.some((p) => p.name === o.name)) throw new DomainError(fn, `options.name ${JSON.stringify(o.name)} is already a param of spec`);

  const f = `datum[${JSON.stringify(o.field)}]`;
  const expr = op === "eq" ? `abs(${f} - ${o.name}) <= ${o.step / 2}` : op === "le" ? `${f} <= ${o.name}` : `${f} >= ${o.name}`;
  const out = cloneSpec(s);
  const addFilter = (u: VegaLiteSpec): void => {
    u.transform = [...((u.transform as unknown[]) ?? []), { filter: expr }];
  };
  if (!("layer" in out)) {
    if (!hasField(out, o.field)) throw new DomainError(fn, `options.field ${JSON.stringify(o.field)} must be a field of every row of spec.data; it is not`);
    addFilter(out);
  } else {
    const layers = out.layer as VegaLiteSpec[];
    if (out.data !== undefined && o.layers === undefined && hasField(out, o.field)) {
      addFilter(out);
    } else {
      let targets: number[];
      if (o.layers !== undefined) {
        if (!Array.isArray(o.layers) || o.layers.length === 0) throw new DomainError(fn, `options.layers must be a non-empty array of layer indices; got ${describe(o.layers)}`);
        o.layers.forEach((k, i) => {
          if (!Number.isInteger(k) || k < 0 || k >= layers.length) throw new DomainError(fn, `options.layers[${i}] must be a layer index in [0, ${layers.length - 1}]; got ${describe(k)}`);
          if (!hasField(layers[k], o.field)) throw new DomainError(fn, `options.layers[${i}]: layer ${k} has no field ${JSON.stringify(o.field)} in its data`);
        });
        targets = o.layers.slice();
      } else {
        targets = layers.map((_, k) => k).filter((k) => hasField(layers[k], o.field));
        if (targets.length === 0) throw new DomainError(fn, `options.field ${JSON.stringify(o.field)} must be a field of some layer's data; no layer has it`);
      }
      for (const k of targets) addFilter(layers[k]);
    }
  }
  out.params = [
    ...existing.map((p) => cloneSpec(p)),
    { name: o.name, value, bind: { input: "range", min: o.min, max: o.max, step: o.step, name: `${label} ` } },
  ];
  return out;
}
