/**
 * `display(value)`: show a value as rich output in the project kernel, or as text in plain Node.
 * @module
 */
import { checkOptions } from "../core/options";
import { inspect } from "util";
import { DomainError, describe } from "../core/errors";
import {
  DisplayOptions, JUPYTER_DISPLAY, JUPYTER_DISPLAY_METADATA, KERNEL_CLEAR_HOOK, KERNEL_DISPLAY_HOOK, KernelClearHook, KernelDisplayHook, MimeBundle,
  MimeMetadata,
} from "./mime";

/** True when `value` has a `[Symbol.for("Jupyter.display")]()` method. */
export function isDisplayable(value: unknown): value is { [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> } {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}

function checkBundle(bundle: unknown): MimeBundle {
  if (typeof bundle !== "object" || bundle === null || Array.isArray(bundle)) {
    throw new DomainError("display", `[Symbol.for("Jupyter.display")]() must return a MIME bundle object; got ${describe(bundle)}`);
  }
  if ("text/html" in bundle) {
    throw new DomainError("display", "a MIME bundle must not contain text/html (it outranks charts in JupyterLab); got a bundle with text/html");
  }
  return bundle as MimeBundle;
}

/**
 * The MIME bundle of a value: its `[Symbol.for("Jupyter.display")]()` result (awaited when it is a Promise),
 * else `{ "text/plain": util.inspect(value) }` (strings as they are).
 * @throws DomainError (as a rejected Promise) when the method returns something that is not a bundle, or a
 * bundle with `text/html` (never allowed, see `mime.ts`).
 */
export async function mimeBundle(value: unknown): Promise<MimeBundle> {
  if (isDisplayable(value)) return checkBundle(await value[JUPYTER_DISPLAY]());
  return { "text/plain": plainText(value) };
}

function checkMetadata(meta: unknown): MimeMetadata {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    throw new DomainError("display", `[Symbol.for("Jupyter.display.metadata")]() must return an object { "mime/type": {...} }; got ${describe(meta)}`);
  }
  return meta as MimeMetadata;
}

/** The value's `[JUPYTER_DISPLAY_METADATA]()` result (checked), synchronously when possible; undefined when it has none. */
function metadataNowOrLater(value: unknown): MimeMetadata | Promise<MimeMetadata> | undefined {
  if (!isDisplayable(value)) return undefined;
  const method = (value as { [JUPYTER_DISPLAY_METADATA]?: unknown })[JUPYTER_DISPLAY_METADATA];
  if (typeof method !== "function") return undefined;
  const raw = (method as () => unknown).call(value);
  if (raw && typeof (raw as Promise<unknown>).then === "function") return Promise.resolve(raw).then(checkMetadata);
  return checkMetadata(raw);
}

/**
 * The output metadata of a value: its `[Symbol.for("Jupyter.display.metadata")]()` result (awaited when it is
 * a Promise), else `{}`. Charts give the 1× size of their 2× PNG: `{ "image/png": { width, height } }`.
 * @throws DomainError (as a rejected Promise) when the method returns something that is not an object.
 */
export async function mimeMetadata(value: unknown): Promise<MimeMetadata> {
  return (await metadataNowOrLater(value)) ?? {};
}

function plainText(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false });
}

/** The project kernel's display hook, or `undefined` outside the kernel. */
export function kernelDisplayHook(): KernelDisplayHook | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[KERNEL_DISPLAY_HOOK];
  return typeof hook === "function" ? (hook as KernelDisplayHook) : undefined;
}

/** True when running under the project kernel (its display hook is installed). */
export function inKernel(): boolean {
  return kernelDisplayHook() !== undefined;
}

/** What {@link display} returns: the display's id and a way to replace it in place. */
export interface DisplayHandle {
  /** The Jupyter display id, when one was given. */
  readonly displayId: string | undefined;
  /** Resolves when the bundle has been computed and sent (or printed); rejects if computing it failed. */
  readonly done: Promise<void>;
  /**
   * Replaces this output in place with `value` (Jupyter `update_display_data`), e.g. a survey's progress bar.
   * Outside the kernel it prints the new `text/plain`.
   * @throws DomainError when the display was made without a `displayId`.
   */
  update(value: unknown): DisplayHandle;
  /**
   * An empty bundle: a handle left as a cell's last value (`display(x)` on the last line) shows nothing, like
   * IPython's `display()` returning None (the kernel skips empty bundles).
   */
  [JUPYTER_DISPLAY](): MimeBundle;
}

let pending: Promise<void> = Promise.resolve();

/** The bundle of `value`, synchronously when its display method is synchronous, else as a Promise. */
function bundleNowOrLater(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (!isDisplayable(value)) return { "text/plain": plainText(value) };
  const raw = value[JUPYTER_DISPLAY]();
  if (raw && typeof (raw as Promise<MimeBundle>).then === "function") return Promise.resolve(raw).then(checkBundle);
  return checkBundle(raw);
}

function send(value: unknown, options: DisplayOptions): Promise<void> {
  const bundle = bundleNowOrLater(value); // a synchronous failure throws from display() itself
  const hook = kernelDisplayHook();
  if (hook) {
    const metadata = options.metadata !== undefined ? options.metadata : metadataNowOrLater(value);
    const opts: DisplayOptions = {};
    if (options.displayId !== undefined) opts.displayId = options.displayId;
    if (options.update) opts.update = true;
    if (metadata !== undefined) opts.metadata = metadata;
    hook(bundle, opts);
    return Promise.all([bundle, metadata]).then(() => undefined);
  }
  // Plain Node: print text/plain, in call order even when bundles resolve out of order.
  const printed = pending.then(() =>
    Promise.resolve(bundle).then((b) => {
      const text = b["text/plain"];
      process.stdout.write(`${typeof text === "string" ? text : plainText(b)}\n`);
    }),
  );
  // Outside the kernel nobody else reports a failed (asynchronous) bundle: say it on stderr.
  pending = printed.catch((e: unknown) => {
    process.stderr.write(`display: could not compute the MIME bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  return printed;
}

/**
 * Shows `value` as rich output.
 *
 * The MIME bundle is the value's `[Symbol.for("Jupyter.display")]()` result (possibly a Promise: charts render
 * their PNG asynchronously) or its `util.inspect` text. Under the project kernel it goes through the kernel's
 * hook `globalThis[Symbol.for("linear-landscapes.kernel.display")]` as `display_data` (the kernel awaits it
 * before the cell's `execute_reply`); in plain Node the `text/plain` part is printed to stdout.
 *
 * ```ts
 * display(mu(widths, theta));                     // a matrix, as LaTeX
 * const bar = display(progress, { displayId: "survey" });
 * bar.update(progress2);                          // update_display_data
 * ```
 * @param value - anything; library objects (matrices, tables, charts, claims) display richly.
 * @param options - `displayId` to allow {@link DisplayHandle.update}; `update: true` to replace an existing display;
 * `metadata` to override the value's own output metadata (`[Symbol.for("Jupyter.display.metadata")]()`).
 * @returns a handle; its `done` Promise rejects if computing the bundle failed (the kernel reports the error;
 * outside the kernel it is written to stderr).
 * @throws DomainError when `options.displayId` is not a non-empty string, or when a synchronous display
 * method returns a non-bundle or a bundle with `text/html`; whatever that method throws.
 * Used by every chapter; claims and surveys call it themselves.
 */
export function display(value: unknown, options: DisplayOptions = {}): DisplayHandle {
  checkOptions("display", options, ["displayId", "update", "metadata"]);
  const { displayId } = options;
  if (displayId !== undefined && (typeof displayId !== "string" || displayId.length === 0)) {
    throw new DomainError("display", `options.displayId must be a non-empty string; got ${describe(displayId)}`);
  }
  const done = send(value, options);
  // Avoid unhandled-rejection noise when the caller ignores the handle; the kernel (or, outside it, `send`)
  // reports the failure itself.
  done.catch(() => undefined);
  const handle: DisplayHandle = {
    displayId,
    done,
    update(next: unknown): DisplayHandle {
      if (displayId === undefined) {
        throw new DomainError("display", "update needs a display made with a displayId, e.g. display(x, { displayId: \"progress\" }); got none");
      }
      return display(next, { displayId, update: true });
    },
    [JUPYTER_DISPLAY]: () => ({}),
  };
  return handle;
}

/**
 * Wraps a ready MIME bundle (or a function computing one) as a displayable value, for one-off rich output.
 * @throws DomainError (when displayed) for a bundle with `text/html`.
 */
export function rich(bundle: MimeBundle | (() => MimeBundle | Promise<MimeBundle>)): { [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> } {
  return { [JUPYTER_DISPLAY]: typeof bundle === "function" ? bundle : () => bundle };
}

/** The project kernel's clear-output hook, or `undefined` outside the kernel. */
function kernelClearHook(): KernelClearHook | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[KERNEL_CLEAR_HOOK];
  return typeof hook === "function" ? (hook as KernelClearHook) : undefined;
}

/**
 * Clears the running cell's output (Jupyter `clear_output`), as IPython's `clear_output(wait)`: with `wait`
 * the front end clears only when the next output arrives, which avoids flicker in a loop that redraws
 * (e.g. `clearOutput(true); display(chart(...))` per step). Goes through the kernel's hook
 * `globalThis[Symbol.for("linear-landscapes.kernel.clearOutput")]`, in order with the cell's other outputs;
 * outside the kernel (plain Node, tests) it does nothing.
 * @param wait - clear when the next output arrives (default false: clear now).
 * @throws DomainError when `wait` is given and is not a boolean.
 */
export function clearOutput(wait = false): void {
  if (typeof wait !== "boolean") throw new DomainError("clearOutput", `wait must be a boolean; got ${describe(wait)}`);
  const hook = kernelClearHook();
  if (hook) hook(wait);
}
