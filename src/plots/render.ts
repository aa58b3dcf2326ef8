/**
 * Rendering Vega-Lite specs inside the kernel process: vega-lite 5 compiles to Vega, vega 5 renders headless
 * SVG (`renderer: "none"`), resvg rasterises it to PNG with the DejaVu Sans font shipped in `assets/fonts/`
 * and no system fonts, so images are byte-identical across runs and machines.
 *
 * vega, vega-lite and resvg are loaded on first use (they cost about 150 ms), so notebooks without charts do
 * not pay for them. vega 6 / vega-lite 6 are ESM-only and do not load under tslab: this module needs v5.
 * @module
 */
import { checkOptions } from "../core/options";
import * as fs from "fs";
import * as path from "path";
import { DomainError, LandscapeError, describe } from "../core/errors";
import { VegaLiteSpec } from "./spec";

/** A chart could not be compiled or rendered. */
export class ChartError extends LandscapeError {}

/**
 * Absolute path of the shipped chart font (`assets/fonts/DejaVuSans.ttf` at the package root).
 * @throws ChartError when the font file is missing.
 */
export function chartFontPath(): string {
  // dist/plots/render.js and src/plots/render.ts both sit two levels below the package root
  const shipped = path.join(__dirname, "..", "..", "assets", "fonts", "DejaVuSans.ttf");
  if (fs.existsSync(shipped)) return shipped;
  throw new ChartError("chartFontPath", `the chart font must exist at ${shipped} (shipped with the repository in assets/fonts/); it does not`);
}

interface Logger {
  level(): number;
  level(l: number): Logger;
  error(...a: unknown[]): Logger;
  warn(...a: unknown[]): Logger;
  info(...a: unknown[]): Logger;
  debug(...a: unknown[]): Logger;
}

/** A logger that collects warnings instead of printing them (the course runner fails on any stderr). */
function collectingLogger(into: string[]): Logger {
  let lvl = 2;
  const logger: Logger = {
    level(l?: number): never {
      if (l === undefined) return lvl as never;
      lvl = l;
      return logger as never;
    },
    error: (...a: unknown[]) => {
      into.push(`error: ${a.map(String).join(" ")}`);
      return logger;
    },
    warn: (...a: unknown[]) => {
      into.push(`warning: ${a.map(String).join(" ")}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  } as Logger;
  return logger;
}

interface VegaLiteModule {
  compile(spec: unknown, opt?: { logger?: Logger }): { spec: unknown };
}
interface VegaView {
  toSVG(scale?: number): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opt: { renderer: string; logger?: Logger; logLevel?: number }) => VegaView;
  Warn: number;
}
interface ResvgModule {
  Resvg: new (svg: string, opt: unknown) => { render(): { asPng(): Buffer; width: number; height: number } };
}

let modules: { vl: VegaLiteModule; vega: VegaModule; resvg: ResvgModule } | undefined;

function load(): { vl: VegaLiteModule; vega: VegaModule; resvg: ResvgModule } {
  if (!modules) {
    /* eslint-disable @typescript-eslint/no-var-requires */
    modules = {
      vl: require("vega-lite") as VegaLiteModule,
      vega: require("vega") as VegaModule,
      resvg: require("@resvg/resvg-js") as ResvgModule,
    };
  }
  return modules;
}

/**
 * Compiles a Vega-Lite spec to Vega with vega-lite 5, collecting its warnings.
 * @returns the Vega spec and the warnings (empty for every builder of this library).
 * @throws ChartError with vega-lite's message when the spec does not compile.
 */
export function compileSpec(spec: VegaLiteSpec): { vega: unknown; warnings: string[] } {
  if (typeof spec !== "object" || spec === null) throw new DomainError("compileSpec", "spec must be a Vega-Lite spec object");
  const warnings: string[] = [];
  try {
    const out = load().vl.compile(JSON.parse(JSON.stringify(spec)), { logger: collectingLogger(warnings) });
    return { vega: out.spec, warnings };
  } catch (e) {
    throw new ChartError("compileSpec", `the Vega-Lite spec must compile with vega-lite 5; got: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Renders a Vega-Lite spec to SVG with vega 5 (headless, `renderer: "none"`). Warnings go to `warnings`.
 * @throws ChartError when compiling or rendering fails; DomainError unless `spec` is an object and `warnings` an array.
 */
export async function renderSvg(spec: VegaLiteSpec, warnings: string[] = []): Promise<string> {
  if (typeof spec !== "object" || spec === null) throw new DomainError("renderSvg", `spec must be a Vega-Lite spec object; got ${describe(spec)}`);
  if (!Array.isArray(warnings)) throw new DomainError("renderSvg", `warnings must be an array; got ${describe(warnings)}`);
  // vega tags data objects and the spec may be frozen: compile and render a private copy
  const { vega } = compileSpec(JSON.parse(JSON.stringify(spec)) as VegaLiteSpec);
  const v = load().vega;
  let view: VegaView | undefined;
  try {
    view = new v.View(v.parse(vega), { renderer: "none", logger: collectingLogger(warnings), logLevel: v.Warn });
    return await view.toSVG();
  } catch (e) {
    throw new ChartError("renderSvg", `vega must render the spec; got: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    view?.finalize();
  }
}

/** The default pixel density of chart PNGs: 2 device pixels per CSS pixel (sharp on high-DPI screens). */
export const DEFAULT_PNG_SCALE = 2;

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density: 1 = CSS pixels, 2 (default, {@link DEFAULT_PNG_SCALE}) = sharp on high-DPI screens. */
  scale?: number;
}

/**
 * The pixel size of a PNG, read from its `IHDR` chunk (bytes 16..23, big-endian).
 * @param png - PNG bytes (at least the 24-byte signature and IHDR header).
 * @throws ChartError when the bytes are not a PNG.
 */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!(png instanceof Uint8Array) || png.length < 24 || !sig.every((b, i) => png[i] === b) || String.fromCharCode(...png.subarray(12, 16)) !== "IHDR") {
    throw new ChartError("pngSize", `png must be PNG bytes (signature and IHDR chunk); got ${png instanceof Uint8Array ? `${png.length} bytes` : typeof png}`);
  }
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/**
 * Renders a Vega-Lite spec to PNG bytes: vega-lite 5 → vega 5 SVG → resvg with the shipped DejaVu Sans only
 * (no system fonts), so the bytes are identical across runs and machines.
 * @throws ChartError when compiling/rendering fails or the font is missing; DomainError for a bad scale.
 */
export async function renderPng(spec: VegaLiteSpec, options: PngOptions = {}, warnings: string[] = []): Promise<Buffer> {
  checkOptions("renderPng", options, ["scale"]);
  const scale = options.scale ?? DEFAULT_PNG_SCALE;
  if (typeof scale !== "number" || !(scale > 0 && scale <= 4)) throw new DomainError("renderPng", `options.scale must be in (0, 4]; got ${String(scale)}`);
  const svg = await renderSvg(spec, warnings);
  const { Resvg } = load().resvg;
  try {
    const r = new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles: [chartFontPath()], defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
      fitTo: { mode: "zoom", value: scale },
      background: "white",
    });
    return r.render().asPng();
  } catch (e) {
    if (e instanceof LandscapeError) throw e;
    throw new ChartError("renderPng", `resvg must rasterise the SVG; got: ${e instanceof Error ? e.message : String(e)}`);
  }
}
