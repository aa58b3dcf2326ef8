/**
 * `Chart`: a Vega-Lite spec with a text description that displays itself in the kernel as exactly three MIME
 * types: the Vega-Lite spec (interactive in JupyterLab and the HTML course), a PNG rendered in the kernel
 * (GitHub, nbviewer, untrusted notebooks) and a text description. Never `text/html`, never SVG.
 * @module
 */
import * as fs from "fs";
import { DomainError, describe } from "../core/errors";
import { JUPYTER_DISPLAY, JUPYTER_DISPLAY_METADATA, MimeBundle, MimeMetadata, PNG_MIME, VEGALITE_MIME } from "../display/mime";
import { describeSpec } from "./describe";
import { ChartError, DEFAULT_PNG_SCALE, PngOptions, compileSpec, pngSize, renderPng } from "./render";
import { VEGA_LITE_SCHEMA, VegaLiteSpec, cloneSpec } from "./spec";

function deepFreeze<T>(o: T): T {
  if (typeof o === "object" && o !== null) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * A chart: a Vega-Lite 5 spec plus a plain-text description.
 *
 * As a cell's last value (or through `display(chart)`) it shows as the bundle
 * `{ "application/vnd.vegalite.v5+json": spec, "image/png": base64, "text/plain": description }`.
 * The PNG is rendered once per chart (vega 5 → SVG → resvg with the shipped font) and is byte-identical
 * across runs. The spec is deep-copied and frozen.
 */
export class Chart {
  /** The Vega-Lite spec (a frozen deep copy). */
  readonly spec: Readonly<VegaLiteSpec>;
  /** The text description: the `text/plain` part of the bundle. */
  readonly description: string;
  private pngCache: Promise<Buffer> | undefined;
  private readonly renderWarnings: string[] = [];

  /**
   * @param spec - a Vega-Lite spec with `$schema` https://vega.github.io/schema/vega-lite/v5.json (all builders
   * of this library produce one).
   * @param description - the text/plain description; default: generated from the spec (title, marks, rows,
   * axis ranges, sliders).
   * @throws DomainError when `spec` is not an object with the Vega-Lite 5 `$schema`, or is not JSON;
   * ChartError when it does not compile with vega-lite 5.
   */
  constructor(spec: VegaLiteSpec, description?: string) {
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw new DomainError("Chart", `spec must be a Vega-Lite spec object; got ${describe(spec)}`);
    if (spec.$schema !== VEGA_LITE_SCHEMA) throw new DomainError("Chart", `spec.$schema must be ${JSON.stringify(VEGA_LITE_SCHEMA)}; got ${describe(spec.$schema)}`);
    if (description !== undefined && typeof description !== "string") throw new DomainError("Chart", `description must be a string; got ${describe(description)}`);
    const copy = cloneSpec(spec);
    const { warnings } = compileSpec(copy);
    this.renderWarnings.push(...warnings);
    this.spec = deepFreeze(copy);
    this.description = description ?? describeSpec(copy);
  }

  /** Warnings of vega-lite and vega while compiling and rendering (empty for the library's builders). */
  get warnings(): readonly string[] {
    return this.renderWarnings.slice();
  }

  /**
   * The PNG bytes (rendered on first call and cached; `scale` 2 ({@link DEFAULT_PNG_SCALE}) by default, a
   * different scale renders anew).
   * @throws ChartError (rejected Promise) when rendering fails.
   */
  png(options: PngOptions = {}): Promise<Buffer> {
    if (options.scale !== undefined && options.scale !== DEFAULT_PNG_SCALE) return renderPng(this.spec as VegaLiteSpec, options, this.renderWarnings);
    if (!this.pngCache) this.pngCache = renderPng(this.spec as VegaLiteSpec, {}, this.renderWarnings);
    return this.pngCache;
  }

  /**
   * Writes the PNG to `file`.
   * @throws DomainError (rejected Promise) unless `file` is a non-empty string; ChartError when rendering fails;
   * the fs error when writing fails.
   */
  async savePng(file: string, options: PngOptions = {}): Promise<void> {
    if (typeof file !== "string" || file.length === 0) throw new DomainError("Chart.savePng", `file must be a path; got ${describe(file)}`);
    fs.writeFileSync(file, await this.png(options));
  }

  /** The text description. */
  toString(): string {
    return this.description;
  }

  /** The spec as JSON (so `JSON.stringify(chart)` gives the spec). */
  toJSON(): VegaLiteSpec {
    return cloneSpec(this.spec as VegaLiteSpec);
  }

  /** Rich display: exactly `application/vnd.vegalite.v5+json`, `image/png` (base64) and `text/plain`. */
  async [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    const png = await this.png();
    return {
      [VEGALITE_MIME]: cloneSpec(this.spec as VegaLiteSpec),
      [PNG_MIME]: png.toString("base64"),
      "text/plain": this.description,
    };
  }

  /**
   * Output metadata: the 1× (CSS pixel) size of the 2× PNG, `{ "image/png": { width, height } }` with
   * `width = png width / 2`, so front ends (Notebook, nbconvert HTML, VS Code, GitHub, the course site) show the
   * chart at its intended size instead of twice as large. See `JUPYTER_DISPLAY_METADATA` in `display/mime.ts`.
   * @throws ChartError (rejected Promise) when rendering fails.
   */
  async [JUPYTER_DISPLAY_METADATA](): Promise<MimeMetadata> {
    const { width, height } = pngSize(await this.png());
    return { [PNG_MIME]: { width: Math.round(width / DEFAULT_PNG_SCALE), height: Math.round(height / DEFAULT_PNG_SCALE) } };
  }
}

/**
 * Wraps a spec as a displayable {@link Chart}: `chart(lineChart(rows, { x: "r", y: "dim" }))`.
 * @throws as the {@link Chart} constructor.
 * Used by every chapter (chapter 00 shows one chart).
 */
export function chart(spec: VegaLiteSpec, description?: string): Chart {
  return new Chart(spec, description);
}

export { ChartError };
