/**
 * The rich-display contract between the library and the project kernel.
 *
 * - A value with a `[JUPYTER_DISPLAY]()` method (`Symbol.for("Jupyter.display")`, the convention of Deno's
 *   Jupyter kernel) describes itself as a MIME bundle. The method may return the bundle or a Promise of it
 *   (charts render their PNG asynchronously). As a cell's last value it becomes an `execute_result`.
 * - The project kernel installs a display hook at `globalThis[KERNEL_DISPLAY_HOOK]`; {@link display} sends a
 *   bundle through it as `display_data` (or `update_display_data` for a known `displayId`). The kernel
 *   awaits pending bundles before it answers `execute_reply`, so output stays with its cell.
 * - Output metadata: a displayable may also have a `[JUPYTER_DISPLAY_METADATA]()` method
 *   (`Symbol.for("Jupyter.display.metadata")`) returning the Jupyter output metadata (or a Promise of it), e.g.
 *   `{ "image/png": { width: 400, height: 260 } }`: the CSS size at which front ends show an image. Charts
 *   render their PNG at 2× for sharpness and give the 1× size here, so Notebook, nbconvert HTML, VS Code, GitHub
 *   and the course site show them at their intended size. {@link display} passes it to the hook's `metadata`
 *   option; the kernel reads it too for a cell's last value (`execute_result`).
 * - Clearing: the kernel installs `globalThis[KERNEL_CLEAR_HOOK](wait)`, which sends `clear_output` for the
 *   running cell ({@link clearOutput}; a no-op outside the kernel).
 * - Outside the kernel (plain Node, tests) there is no hook and {@link display} prints `text/plain`.
 *
 * Claim verdicts travel in their own MIME type {@link CLAIM_MIME}, which the course runner collects; every
 * front end ignores it and shows the `text/markdown` / `text/plain` parts of the same bundle.
 * @module
 */

/** A Jupyter MIME bundle: MIME type -> data (strings, or JSON objects for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** `Symbol.for("Jupyter.display")`: the method key of self-displaying values. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * `Symbol.for("Jupyter.display.metadata")`: the optional method key of a self-displaying value that returns the
 * output's metadata (a {@link MimeMetadata} or a Promise of one), e.g. the 1× size of a 2× PNG.
 */
export const JUPYTER_DISPLAY_METADATA: unique symbol = Symbol.for("Jupyter.display.metadata") as never;

/** `Symbol.for("linear-landscapes.kernel.display")`: where the project kernel installs its display hook. */
export const KERNEL_DISPLAY_HOOK: unique symbol = Symbol.for("linear-landscapes.kernel.display") as never;

/**
 * `Symbol.for("linear-landscapes.kernel.clearOutput")`: where the project kernel installs its clear-output hook
 * `(wait?: boolean) => void` (Jupyter `clear_output` for the running cell).
 */
export const KERNEL_CLEAR_HOOK: unique symbol = Symbol.for("linear-landscapes.kernel.clearOutput") as never;

/**
 * Jupyter output metadata: MIME type -> that part's metadata, e.g. `{ "image/png": { width: 400, height: 260 } }`
 * (the size in CSS pixels at which front ends show the image).
 */
export type MimeMetadata = Record<string, unknown>;

/** MIME type of a claim verdict: `{ notebook?, label, statement, expected, measured, tol, pass }`. */
export const CLAIM_MIME = "application/vnd.linear-landscapes.claim+json";

/** Options of {@link display}. */
export interface DisplayOptions {
  /** Jupyter display id; sending again with the same id and `update: true` replaces the output in place. */
  displayId?: string;
  /** Send `update_display_data` for `displayId` instead of a new `display_data`. */
  update?: boolean;
  /**
   * Output metadata (or a Promise of it) sent with the bundle; default: the value's
   * `[JUPYTER_DISPLAY_METADATA]()`, if it has one. Ignored outside the kernel.
   */
  metadata?: MimeMetadata | Promise<MimeMetadata>;
}

/**
 * The display hook the project kernel installs: sends `display_data` (or `update_display_data`) with the bundle
 * and, when given, `options.metadata`; both may be Promises, which the kernel awaits before `execute_reply`.
 */
export type KernelDisplayHook = (bundle: MimeBundle | Promise<MimeBundle>, options?: DisplayOptions) => void;

/** The clear-output hook the project kernel installs: `clear_output` for the running cell. */
export type KernelClearHook = (wait?: boolean) => void;

/** A value that displays itself, optionally with output metadata. */
export interface Displayable {
  /** The MIME bundle of the value (or a Promise of it). Never `text/html`. */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
  /** Optional: the output metadata, e.g. `{ "image/png": { width, height } }` (or a Promise of it). */
  [JUPYTER_DISPLAY_METADATA]?(): MimeMetadata | Promise<MimeMetadata>;
}

/** MIME type of a Vega-Lite 5 spec (a JSON object), rendered by JupyterLab's built-in vega extension. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** MIME type of a PNG image (base64 string in a bundle). */
export const PNG_MIME = "image/png";
