// Ordered iopub output of one cell, MIME bundle normalisation, and the display hooks cells and the library call.
//
// tslab gap: tslab only has `tslab.display.*` (one MIME type per message, synchronous) and prints a cell's last
// value with console.log, i.e. as stdout text. The project needs self-displaying values
// (`[Symbol.for("Jupyter.display")]()` returning a bundle or a Promise of one, as in Deno's kernel; see
// src/display/mime.ts) and a display hook the library can call with a bundle that may still be rendering
// (charts render their PNG asynchronously). So:
//
// - Every output of a cell (stream text, display_data, update_display_data, clear_output, execute_result,
//   error) goes through one `CellOutput`, a promise chain: while a bundle is pending, later outputs (including
//   stdout text) wait behind it, so outputs arrive in the order the cell produced them.
// - The kernel awaits `CellOutput.settle()` before it sends `execute_reply`, so every output belongs to its cell.
//   A display promise that rejects makes the cell fail with that error (a chart that cannot render must not
//   vanish silently).
// - Output produced after the reply (timers, unawaited promises) still goes to the last cell, like tslab and
//   ipykernel do with late stdout.
"use strict";
const util = require("util");

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
// Optional companion method of a self-displaying value: output metadata, e.g. { "image/png": { width, height } }
// (the 1× size of a 2× PNG). Contract: src/display/mime.ts.
const JUPYTER_DISPLAY_METADATA = Symbol.for("Jupyter.display.metadata");
const KERNEL_DISPLAY_HOOK = Symbol.for("linear-landscapes.kernel.display");
const KERNEL_CLEAR_HOOK = Symbol.for("linear-landscapes.kernel.clearOutput");

const isThenable = (x) => x != null && (typeof x === "object" || typeof x === "function") && typeof x.then === "function";
const isJsonMime = (mime) => /(^application\/json$)|(\+json$)/.test(mime);
const MIME_RE = /^[\w\-+.]+\/[\w\-+.]+$/;

/** Has a `[Symbol.for("Jupyter.display")]()` method. */
function isDisplayable(x) {
  return x != null && (typeof x === "object" || typeof x === "function") && typeof x[JUPYTER_DISPLAY] === "function";
}

/** tslab's text for a value: what console.log prints (strings raw, everything else util.inspect). */
function plainText(value) {
  return typeof value === "string" ? value : util.inspect(value);
}

/**
 * Checks and normalises a MIME bundle for the wire: keys must be MIME types; `+json` values stay JSON values;
 * binary values (Buffer/Uint8Array, e.g. image/png) become base64; other non-strings are JSON-encoded.
 * `text/plain` is added (from `fallback`) when missing, so every front end has something to show.
 */
function normalizeBundle(bundle, fallback) {
  if (bundle == null || typeof bundle !== "object" || Array.isArray(bundle)) {
    throw new TypeError(`display: a MIME bundle must be an object { "mime/type": data }; got ${util.inspect(bundle)}`);
  }
  const data = {};
  for (const [mime, value] of Object.entries(bundle)) {
    if (!MIME_RE.test(mime)) throw new TypeError(`display: ${JSON.stringify(mime)} is not a MIME type`);
    if (value === undefined) continue;
    if (isJsonMime(mime)) data[mime] = value;
    else if (typeof value === "string") data[mime] = value;
    else if (value instanceof Uint8Array) data[mime] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
    else data[mime] = JSON.stringify(value);
  }
  if (!("text/plain" in data)) data["text/plain"] = fallback !== undefined ? fallback : "<display>";
  return data;
}

/** Output metadata must be a plain object (undefined/null: none). */
function normalizeMetadata(meta) {
  if (meta == null) return {};
  if (typeof meta !== "object" || Array.isArray(meta)) throw new TypeError(`display: metadata must be an object { "mime/type": {...} }; got ${util.inspect(meta)}`);
  return meta;
}

/** A self-displaying value's metadata (its `[Symbol.for("Jupyter.display.metadata")]()`, awaited), or undefined. */
async function valueMetadata(v) {
  return isDisplayable(v) && typeof v[JUPYTER_DISPLAY_METADATA] === "function" ? await v[JUPYTER_DISPLAY_METADATA]() : undefined;
}

/**
 * Resolves a display argument (bundle, Promise of a bundle, or a self-displaying value) to a bundle, and the
 * metadata (the `metadata` option, possibly a Promise; else the value's own metadata method).
 */
async function resolveDisplay(x, metadata) {
  let b = await x;
  let m = await metadata;
  if (isDisplayable(b)) {
    const v = b;
    b = await v[JUPYTER_DISPLAY]();
    if (m === undefined) m = await valueMetadata(v);
  }
  return { bundle: b, metadata: m };
}

class CellOutput {
  /**
   * @param send (msgType, content) => void : signs and publishes one iopub message with this cell as parent.
   * @param executionCount execution count of the cell (for execute_result).
   */
  constructor(send, executionCount) {
    this.send = send;
    this.executionCount = executionCount;
    this.chain = Promise.resolve();
    this.pending = 0;
    this.failures = [];
  }

  /** Runs `fn` after all earlier outputs; synchronous when nothing is pending (keeps stream order cheap). */
  enqueue(fn) {
    if (this.pending === 0) {
      let r;
      try {
        r = fn();
      } catch (e) {
        this.failures.push(e);
        return;
      }
      if (!isThenable(r)) return;
      this._track(r);
      return;
    }
    this._track(this.chain.then(fn));
  }

  _track(p) {
    this.pending++;
    this.chain = Promise.resolve(p)
      .catch((e) => {
        this.failures.push(e);
      })
      .finally(() => {
        this.pending--;
      });
  }

  stream(name, text) {
    if (text === "") return;
    this.enqueue(() => this.send("stream", { name, text }));
  }

  /** display_data / update_display_data for a bundle, a Promise of one, or a self-displaying value. */
  display(x, options = {}) {
    const { displayId, update = false, metadata } = options || {};
    if (update && displayId == null) throw new TypeError("display: update: true needs a displayId");
    const content = (bundle, meta) => {
      const c = { data: normalizeBundle(bundle), metadata: normalizeMetadata(meta) };
      if (displayId != null) c.transient = { display_id: String(displayId) };
      return c;
    };
    const msgType = update ? "update_display_data" : "display_data";
    if (!isThenable(x) && !isDisplayable(x) && !isThenable(metadata)) {
      const c = content(x, metadata); // throws synchronously into the caller for an invalid bundle or metadata
      this.enqueue(() => this.send(msgType, c));
      return;
    }
    const resolved = resolveDisplay(x, metadata);
    resolved.catch(() => {}); // rejection is reported through the chain, not as unhandled
    this.enqueue(async () => {
      const r = await resolved;
      this.send(msgType, content(r.bundle, r.metadata));
    });
  }

  /** tslab's own display API (`import * as tslab from "tslab"; tslab.display.png(...)`) sends ready content. */
  rawDisplay(content, update) {
    this.enqueue(() => this.send(update ? "update_display_data" : "display_data", content));
  }

  clear(wait = false) {
    this.enqueue(() => this.send("clear_output", { wait: !!wait }));
  }

  /**
   * execute_result for a cell's last value (undefined/null: nothing, as tslab; a self-displaying value whose
   * method gives null/undefined/{}: nothing).
   */
  result(value) {
    if (value == null) return;
    if (isDisplayable(value)) {
      const bundle = Promise.resolve().then(() => value[JUPYTER_DISPLAY]());
      bundle.catch(() => {});
      const meta = Promise.resolve().then(() => valueMetadata(value));
      meta.catch(() => {});
      const fallback = util.inspect(value);
      this.enqueue(async () => {
        const b = await bundle;
        // A value whose display method returns null/undefined or an empty bundle shows nothing as a last value
        // (e.g. a display handle returned by `display(x)`, like IPython's display() returning None).
        if (b == null || (typeof b === "object" && !Array.isArray(b) && Object.keys(b).length === 0)) return;
        const data = normalizeBundle(b, fallback);
        this.send("execute_result", { execution_count: this.executionCount, data, metadata: normalizeMetadata(await meta) });
      });
      return;
    }
    const text = plainText(value);
    this.enqueue(() => this.send("execute_result", { execution_count: this.executionCount, data: { "text/plain": text }, metadata: {} }));
  }

  /** Waits until every output queued so far (and any queued meanwhile) has been sent. */
  async settle() {
    for (;;) {
      const c = this.chain;
      await c;
      if (c === this.chain && this.pending === 0) return;
    }
  }

  /** Failures of display promises since the last call (and forgets them). */
  takeFailures() {
    const f = this.failures;
    this.failures = [];
    return f;
  }
}

/**
 * Installs the global hooks; `current()` returns the CellOutput outputs belong to now (the running cell, or
 * the last one), or null before the first cell.
 *
 * - `globalThis[Symbol.for("linear-landscapes.kernel.display")](bundle | Promise<bundle>, { displayId?, update?, metadata? })`
 *   (the contract of src/display/mime.ts; a self-displaying value is accepted too, and then its
 *   `[Symbol.for("Jupyter.display.metadata")]()` gives the metadata unless `metadata` is passed; `metadata` may be
 *   a Promise);
 * - `globalThis[Symbol.for("linear-landscapes.kernel.clearOutput")](wait = false)`: clear_output of the cell.
 */
function installHooks(current) {
  const need = () => {
    const out = current();
    if (!out) throw new Error("linear-landscapes kernel: display called outside of a cell");
    return out;
  };
  Object.defineProperty(globalThis, KERNEL_DISPLAY_HOOK, {
    value: function display(bundle, options) {
      need().display(bundle, options);
    },
    configurable: true,
    writable: true,
  });
  Object.defineProperty(globalThis, KERNEL_CLEAR_HOOK, {
    value: function clearOutput(wait) {
      need().clear(wait);
    },
    configurable: true,
    writable: true,
  });
}

module.exports = {
  CellOutput,
  installHooks,
  normalizeBundle,
  normalizeMetadata,
  plainText,
  isDisplayable,
  JUPYTER_DISPLAY,
  JUPYTER_DISPLAY_METADATA,
  KERNEL_DISPLAY_HOOK,
  KERNEL_CLEAR_HOOK,
};
