/**
 * The rich-display contract between the library and the project kernel.
 *
 * - A value with a `[JUPYTER_DISPLAY]()` method (`Symbol.for("Jupyter.display")`, the convention of Deno's
 *   Jupyter kernel) describes itself as a MIME bundle. The method may return the bundle or a Promise of it
 *   (charts render their PNG asynchronously). As a cell's last value it becomes an `execute_result`.
 * - The project kernel installs a display hook at `globalThis[KERNEL_DISPLAY_HOOK]`; {@link display} sends a
 *   bundle through it as `display_data` (or `update_display_data` for a known `displayId`). The kernel
 *   awaits pending bundles before it answers `execute_reply`, so output stays with its cell.
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

/** `Symbol.for("linear-landscapes.kernel.display")`: where the project kernel installs its display hook. */
export const KERNEL_DISPLAY_HOOK: unique symbol = Symbol.for("linear-landscapes.kernel.display") as never;

/** MIME type of a claim verdict: `{ notebook?, label, statement, expected, measured, tol, pass }`. */
export const CLAIM_MIME = "application/vnd.linear-landscapes.claim+json";

/** Options of {@link display}. */
export interface DisplayOptions {
  /** Jupyter display id; sending again with the same id and `update: true` replaces the output in place. */
  displayId?: string;
  /** Send `update_display_data` for `displayId` instead of a new `display_data`. */
  update?: boolean;
}

/** The hook the project kernel installs. */
export type KernelDisplayHook = (bundle: MimeBundle | Promise<MimeBundle>, options?: DisplayOptions) => void;

/** A value that displays itself. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** MIME type of a Vega-Lite 5 spec (a JSON object), rendered by JupyterLab's built-in vega extension. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** MIME type of a PNG image (base64 string in a bundle). */
export const PNG_MIME = "image/png";
