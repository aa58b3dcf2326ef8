// Shared helpers of the plots tests: compile a spec with vega-lite 5 collecting warnings, and check that a
// spec only uses properties that exist in vega-lite 5.6 (JupyterLab 4's renderer).
import { VegaLiteSpec } from "../../src/plots";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const vl = require("vega-lite") as { compile(spec: unknown, opt?: unknown): { spec: Record<string, unknown> } };

export function compileStrict(spec: VegaLiteSpec): { vega: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  let lvl = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error: (...a: unknown[]) => (warnings.push(`error ${a.join(" ")}`), logger),
    warn: (...a: unknown[]) => (warnings.push(`warn ${a.join(" ")}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  const out = vl.compile(JSON.parse(JSON.stringify(spec)), { logger });
  return { vega: out.spec, warnings };
}

/**
 * Every property name the builders may use; all of them exist in vega-lite 5.6 (checked against the 5.x docs:
 * top-level/unit/layer specs, mark properties, encoding channels, field defs, scale, axis, legend, bin, params
 * with bind range, filter transform, config font/title/axis/legend).
 */
const ALLOWED_5_6 = new Set([
  // top level and view composition
  "$schema", "title", "width", "height", "background", "config", "data", "values", "mark", "encoding", "layer",
  "params", "transform",
  // marks
  "type", "point", "clip", "filled", "size", "opacity", "tooltip", "color", "stroke", "strokeWidth", "align",
  "baseline", "dx", "dy", "fontSize",
  // encodings and field definitions
  "x", "y", "x2", "y2", "shape", "strokeDash", "text", "field", "aggregate", "bin", "maxbins", "step", "extent",
  "scale", "axis", "sort", "format", "labelAngle", "labelExpr", "tickMinStep", "tickOpacity", "gridOpacity", "condition", "test", "domain", "nice", "zero", "scheme", "reverse",
  "order", "clamp",
  // params / transforms
  "name", "value", "bind", "input", "min", "max", "filter",
  // config
  "font", "labelFontSize", "titleFontSize", "legend",
]);

/** Property names used in `spec` that are not in {@link ALLOWED_5_6} (inline data values excluded). */
export function unknownKeys(spec: unknown, path = ""): string[] {
  const out: string[] = [];
  if (Array.isArray(spec)) spec.forEach((v, i) => out.push(...unknownKeys(v, `${path}[${i}]`)));
  else if (typeof spec === "object" && spec !== null) {
    for (const [k, v] of Object.entries(spec)) {
      if (!ALLOWED_5_6.has(k)) out.push(`${path}.${k}`);
      if (k === "values" && path.endsWith(".data")) continue; // data rows: any field names
      out.push(...unknownKeys(v, `${path}.${k}`));
    }
  }
  return out;
}
