// Main-thread side of the kernel's watchdog (the thread itself: watchdog-worker.js).
//
// Why a thread: an interrupt must stop cell code that keeps the main thread busy, and not only synchronous
// top-level code (which vm's `breakOnSigint` covers) but also code after an `await` and code in a timer or
// callback the cell scheduled. While such code runs, nothing else on the main thread runs: no `process.on
// ("SIGINT")` listener, no zeromq receive (so no `interrupt_request`). The watchdog thread receives both and,
// when the main thread does not take the interrupt within the grace period, terminates the running JavaScript
// through an inspector session connected to the main thread (`Runtime.terminateExecution`).
//
// Recovering from a termination (measured on Node 20, see kernel/README.md "Interrupts and faults"):
//  - The termination unwinds every JavaScript frame up to the native callback that entered JavaScript (a timer,
//    an immediate, a microtask checkpoint); no `finally` block runs on the way. Node then continues its event
//    loop normally, except for one thing: the async-context stack that Node's JavaScript pushes before a callback
//    and pops after it is left with the unpopped entries, and Node aborts ("async hook stack has become
//    corrupted"). So, in the same interrupt that decides to terminate, `hardStop` empties that stack, as Node's
//    own handler of uncaught exceptions does (`clearAsyncIdStack`).
//  - Microtasks queued in the same checkpoint as the terminated one are dropped by V8; an interrupted promise
//    chain never settles. The kernel therefore runs each cell in its own macrotask (faults.js `runCell`) and
//    races it against the interrupt, so its own queue never waits on a terminated promise.
//  - Timers: the terminated timer is not re-armed (an interval stops); other due timers run.
//  - `hardStop` refuses (and the worker retries 50 ms later) while the interrupted frame is the kernel's own
//    code (TypeScript compiling a cell, tslab, zeromq, tslab-ext), so the kernel's state is never torn.
"use strict";
const path = require("path");
const { Worker } = require("worker_threads");
const S = require("./watchdog-slots");

const HOOK = Symbol.for("linear-landscapes.kernel.watchdog");
/** Frames of the kernel's own machinery: never terminated (the worker retries instead). */
const KERNEL_FRAME = /([\\/]kernel[\\/]tslab-ext[\\/][^\\/]+|[\\/]node_modules[\\/](tslab|typescript|zeromq)[\\/].+)\.js$/;
const GRACE_MS = Number(process.env.LINEAR_LANDSCAPES_INTERRUPT_GRACE_MS || 300);

/** CallSites of the JavaScript that the evaluation of `hardStop` interrupted (empty when the thread was idle). */
function interruptedFrames(below) {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_, callSites) => callSites;
  Error.stackTraceLimit = 64;
  const holder = {};
  try {
    Error.captureStackTrace(holder, below);
    const sites = holder.stack;
    // sites[0] is the inspector's evaluation script (no file); what follows was running when it interrupted.
    return Array.isArray(sites) ? sites.slice(1) : [];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** The verdict on the interrupted code: its top frame outside Node's own modules decides. */
function verdictOn(frames) {
  if (frames.length === 0) return S.IDLE;
  for (const f of frames) {
    const file = f.getFileName() || "";
    if (file.startsWith("node:")) continue;
    return KERNEL_FRAME.test(file) ? S.KERNEL : S.STOP;
  }
  return S.KERNEL; // only Node internals (e.g. between callbacks): not cell code
}

/** Node's async_wrap binding (deprecated access, so its warning is silenced), or null when unavailable. */
function asyncWrap() {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return process.binding("async_wrap");
  } catch {
    return null;
  } finally {
    process.noDeprecation = quiet;
  }
}

/** Empties Node's async-context stack (what Node does after an uncaught exception); see the header. */
function clearAsyncContextStack() {
  asyncWrap().clearAsyncIdStack();
}

class Watchdog {
  /**
   * Starts the watchdog thread; resolves when it listens to SIGINT and (with `control`) has bound the control
   * socket; rejects when the thread cannot start (then the kernel keeps its single-threaded behaviour).
   * @param options.control { address, key, zeromq } or null: serve the control channel on the watchdog thread.
   * @param options.onInterrupt ({ id, runId, source }) => void: soft interrupt (runs on the main loop); runId: the
   *   cell run executing when the interrupt came (0: none).
   * @param options.onStopped (stop) => void: after a hard stop; `stop.context` is what `capture()` returned
   *   inside the stopped code, `stop.where` its top frame.
   * @param options.capture () => any: called inside the interrupted code just before it is terminated.
   * @param options.onControl (frames: Buffer[], queue) => void: a control-channel message; replies go to `queue`
   *   (`queue.send(frames)`, the shape of server.js's SendQueue).
   * @param options.log (text) => void: the watchdog's own faults.
   */
  static start(options) {
    const w = new Watchdog(options);
    return w.ready.then(() => w);
  }

  constructor({ control = null, onInterrupt, onStopped, capture, onControl, log }) {
    // Measured on Node 20 (kernel/README.md); elsewhere check what a recovery needs, else stay off.
    const aw = asyncWrap();
    if (!aw || typeof aw.clearAsyncIdStack !== "function") throw new Error(`Node ${process.version}: no async_wrap.clearAsyncIdStack to recover from a termination`);
    this.shared = new Int32Array(new SharedArrayBuffer(S.SIZE * Int32Array.BYTES_PER_ELEMENT));
    this.onInterrupt = onInterrupt;
    this.onStopped = onStopped;
    this.capture = capture;
    this.onControl = onControl;
    this.log = log;
    this.lastStop = null;
    this.flushes = new Map();
    this.flushId = 0;
    this.closed = null; // { promise } once close() was called
    this.controlServed = false;
    this.controlQ = {
      send: (frames) => {
        this.worker.postMessage({ type: "send", frames });
        return this.flush();
      },
      flush: () => this.flush(),
    };
    const self = this;
    // The inspector evaluates this on the main thread, inside whatever JavaScript is running.
    Object.defineProperty(globalThis, HOOK, {
      value: function hardStop(id) {
        return self.hardStop(id, hardStop);
      },
      configurable: true,
    });
    this.worker = new Worker(path.join(__dirname, "watchdog-worker.js"), {
      workerData: { shared: this.shared.buffer, control, graceMs: GRACE_MS, giveUpMs: 10_000 },
      stdout: true, // the worker never prints; keep its streams off the cell's output
      stderr: true,
    });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (m) => {
        if (m.type !== "ready") return;
        this.worker.off("error", reject);
        this.worker.on("error", (e) => this.log(`watchdog thread failed: ${e && e.stack ? e.stack : e}`));
        if (control && !m.control) reject(new Error(`watchdog: control socket: ${m.error}`));
        else {
          this.controlServed = !!m.control;
          resolve();
        }
      });
    });
    this.worker.on("message", (m) => this.receive(m));
  }

  receive(m) {
    switch (m.type) {
      case "interrupt":
        Atomics.store(this.shared, S.ACK, m.id);
        this.onInterrupt(m);
        break;
      case "stopped": {
        const stop = this.lastStop;
        this.lastStop = null;
        if (stop) this.onStopped(stop);
        break;
      }
      case "control":
        this.onControl(
          m.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)),
          this.controlQ,
        );
        break;
      case "flushed": {
        const done = this.flushes.get(m.id);
        this.flushes.delete(m.id);
        if (done) done();
        break;
      }
      case "closed": // the thread ends next (close() waits for its exit event)
        break;
      case "log":
        this.log(m.text);
        break;
      default:
    }
  }

  /** Runs inside the interrupted JavaScript (an inspector evaluation); see the worker's `hardStop`. */
  hardStop(id, self) {
    const frames = interruptedFrames(self);
    const verdict = verdictOn(frames);
    if (Atomics.compareExchange(this.shared, S.DECISION, 0, verdict) !== 0) return "cancelled";
    Atomics.notify(this.shared, S.DECISION);
    if (verdict !== S.STOP) return verdict === S.IDLE ? "idle" : "kernel code running";
    // Wait until the worker has queued the termination, so that it is dispatched right after this evaluation.
    Atomics.wait(this.shared, S.POSTED, 0, 10_000);
    if (Atomics.load(this.shared, S.POSTED) !== 1) return "termination not posted";
    const top = frames.find((f) => !(f.getFileName() || "").startsWith("node:")) || frames[0];
    this.lastStop = { id, context: this.capture(), where: String(top) };
    clearAsyncContextStack();
    return "stopping";
  }

  /** The id of the cell run the kernel is executing (0: none), read by the worker on an interrupt. */
  setRunning(runId) {
    Atomics.store(this.shared, S.RUNNING, runId);
  }

  flush() {
    const id = ++this.flushId;
    return new Promise((resolve) => {
      this.flushes.set(id, resolve);
      this.worker.postMessage({ type: "flush", id });
    });
  }

  /**
   * Sends what is queued, closes the control socket and lets the thread end (before the process exits: exiting
   * while the thread still tears down its zeromq socket aborts the process). Resolves when the thread has exited.
   */
  close(timeoutMs = 5000) {
    if (!this.closed) {
      const exited = new Promise((r) => this.worker.once("exit", r));
      this.closed = { promise: exited };
      this.worker.postMessage({ type: "close" });
    }
    return Promise.race([this.closed.promise, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
}

module.exports = { Watchdog, verdictOn, KERNEL_FRAME };
