// Faults of cell code the kernel survives: interrupts, process.exit, and errors thrown where no cell awaits them.
//
// - Every cell runs in its own `CellRun` (an AsyncLocalStorage context), so each timer, promise and callback it
//   schedules carries the cell it came from.
// - `runCell` starts the cell in a macrotask of its own and races it against the interrupt, so a cell whose code
//   is terminated by the watchdog (watchdog.js), or whose promise never settles, still gets its reply.
// - Interrupts: the soft interrupt (the main thread's loop is alive, e.g. the cell awaits) ends the running cell
//   with a KeyboardInterrupt error at once; busy code is stopped by the watchdog thread, and the cell whose code
//   was stopped gets the KeyboardInterrupt (its reply when it is still running, else an error output).
// - An uncaught exception or unhandled rejection is reported on the cell that scheduled the failing code: it
//   fails that cell when it is still running, else it becomes an `error` output with that cell's request as
//   parent (front ends show it under that cell). Never on another cell's stderr.
// - `process.exit`, `process.abort` and `process.kill` of the kernel itself throw an error saying to restart the
//   kernel instead; the kernel leaves only through `exitKernel` (shutdown).
"use strict";
const util = require("util");
const vm = require("vm");
const os = require("os");
const { AsyncLocalStorage } = require("async_hooks");
const { runtimeError } = require("./execute");

const als = new AsyncLocalStorage();

const realExit = process.exit;
const realKill = process.kill;
const realReallyExit = process.reallyExit;

/** What an interrupted cell reports (IPython's name, which front ends and course runners know). */
function keyboardInterrupt(evalue) {
  return { ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`] };
}
const INTERRUPTED_CELL = "the cell was interrupted";
const INTERRUPTED_CALLBACK = "interrupted a callback (timer, promise or event) that this cell scheduled";

/** Thrown by process.exit / abort / kill of the kernel from cell code. */
class ExitRefusedError extends Error {
  constructor(call) {
    super(`${call} would end the kernel, so it was refused and the kernel keeps running. To start afresh, restart the kernel (Kernel > Restart Kernel).`);
    this.name = "ExitRefusedError";
  }
}

/** One execution of a cell: its output, its reply's fate, and late errors of what it scheduled. */
class CellRun {
  /** @param output the cell's CellOutput (`output.send(msgType, content)` publishes with the cell's request as parent) */
  constructor(output) {
    this.id = ++lastRunId; // not the execution count: silent executions do not advance that
    this.output = output;
    this.settled = false;
    this.resolve = null;
    this.interrupts = new Set(); // ids of the interrupts that came while this run was the running one
  }

  /** Ends the execution with `result` (first call wins). */
  settle(result) {
    if (this.settled) return false;
    this.settled = true;
    if (running === this) setRunning(null);
    if (this.resolve) this.resolve(result);
    return true;
  }

  /** A failure of code this cell scheduled: fails the cell while it runs, else an error output on it. */
  fail(error) {
    if (this.settle({ ok: false, error })) return;
    try {
      this.output.send("error", error);
    } catch (e) {
      hooks.log(`late error of cell run ${this.id} could not be sent: ${util.inspect(e)}`);
    }
  }
}

let lastRunId = 0;
let running = null; // the CellRun the kernel is executing (its reply not yet sent)
const recentRuns = new Map(); // id -> CellRun, the last RECENT_RUNS runs (an interrupt names the run it targeted)
const RECENT_RUNS = 32;
let watchdog = null;
const hooks = {
  log: (text) => process.stderr.write(`linear-landscapes kernel: ${text}\n`),
  interruptExecutor: () => {},
};

function setRunning(run) {
  running = run;
  if (watchdog) watchdog.setRunning(run ? run.id : 0);
}

/**
 * Runs `fn` (the cell: execute, show the result, settle its outputs) as `run`, in a macrotask of its own and in
 * the cell's async context. Resolves with `fn`'s result, or earlier with an error result when the cell is
 * interrupted or code it scheduled fails first.
 */
function runCell(run, fn) {
  return new Promise((resolve) => {
    run.resolve = resolve;
    recentRuns.set(run.id, run);
    if (recentRuns.size > RECENT_RUNS) recentRuns.delete(recentRuns.keys().next().value);
    setRunning(run);
    als.run(run, () =>
      setTimeout(() => {
        Promise.resolve()
          .then(fn)
          .then(
            (r) => run.settle(vmInterrupted(r) ? { ok: false, error: keyboardInterrupt(INTERRUPTED_CELL) } : r),
            (e) => run.settle({ ok: false, error: runtimeError(e) }),
          );
      }, 0),
    );
  });
}

/** vm's `breakOnSigint` (in use when the watchdog is off) failed the cell: an interrupt as well. */
function vmInterrupted(r) {
  return !!(r && !r.ok && r.error && /^Script execution was interrupted by `?SIGINT/.test(String(r.error.evalue)));
}

/** The CellRun whose code is running now (undefined outside cell code). */
function currentRun() {
  const s = als.getStore();
  return s instanceof CellRun ? s : undefined;
}

/**
 * Soft interrupt of the run numbered `id` (the one running when interrupt `irq` came; undefined: any), if it
 * is still running.
 */
function interruptCell(id, irq) {
  const target = id === undefined ? running : recentRuns.get(id);
  if (target && irq !== undefined) target.interrupts.add(irq);
  const run = running;
  if (!run || (id !== undefined && run.id !== id)) return false;
  run.settle({ ok: false, error: keyboardInterrupt(INTERRUPTED_CELL) });
  hooks.interruptExecutor(); // let tslab's executor stop awaiting the cell's promise
  return true;
}

/** After the watchdog terminated busy code: report it on the cell that code belongs to. */
function onStopped(stop) {
  const run = stop.context instanceof CellRun ? stop.context : null;
  if (!run) {
    hooks.log(`interrupt stopped code outside any cell at ${stop.where}`);
    return;
  }
  if (!run.settled) run.settle({ ok: false, error: keyboardInterrupt(INTERRUPTED_CELL) });
  // A callback of a finished cell: report it there, unless this very interrupt targeted that cell (then the
  // cell's KeyboardInterrupt reply already says it).
  else if (!run.interrupts.has(stop.id)) run.fail(keyboardInterrupt(INTERRUPTED_CALLBACK));
}

/** An uncaught exception / unhandled rejection: to the cell that scheduled it. */
function route(err, run, kind) {
  if (!run) {
    hooks.log(`${kind} outside any cell: ${util.inspect(err)}`);
    return;
  }
  const e = runtimeError(err);
  if (run.settled) e.traceback = [...e.traceback, `(${kind} in code this cell scheduled, after the cell had finished)`];
  run.fail(e);
}

function guardExit() {
  process.exit = function exit(code) {
    throw new ExitRefusedError(`process.exit(${code === undefined ? "" : util.inspect(code)})`);
  };
  process.reallyExit = function reallyExit(code) {
    throw new ExitRefusedError(`process.reallyExit(${code === undefined ? "" : util.inspect(code)})`);
  };
  process.abort = function abort() {
    throw new ExitRefusedError("process.abort()");
  };
  const SIGINT = os.constants.signals.SIGINT;
  process.kill = function kill(pid, signal) {
    const target = Number(pid);
    const self = target === process.pid || target === 0 || target === -process.pid;
    const harmless = signal === 0 || signal === "SIGINT" || signal === SIGINT; // 0: existence check; SIGINT: an interrupt
    if (self && !harmless) throw new ExitRefusedError(`process.kill(${util.inspect(pid)}${signal === undefined ? "" : ", " + util.inspect(signal)})`);
    return realKill.call(process, pid, signal);
  };
}

/** The kernel's own way out (shutdown): closes the watchdog thread first (a live zeromq socket aborts exit). */
async function exitKernel(code) {
  if (watchdog) await watchdog.close().catch(() => {});
  process.reallyExit = realReallyExit;
  realExit.call(process, code);
}

/**
 * vm's `breakOnSigint` installs its own SIGINT handler while a script runs and, when it stops, leaves SIGINT at
 * its default action if another thread holds a signal watcher (the watchdog does): the next Ctrl-C would kill
 * the kernel. With the watchdog, interrupts stop synchronous code as well, so the option is dropped.
 */
function dropBreakOnSigint() {
  for (const name of ["runInThisContext", "runInContext", "runInNewContext"]) {
    const orig = vm.Script.prototype[name];
    vm.Script.prototype[name] = function (...args) {
      const i = name === "runInThisContext" ? 0 : 1;
      const o = args[i];
      if (o && typeof o === "object" && o.breakOnSigint) args[i] = { ...o, breakOnSigint: false };
      return orig.apply(this, args);
    };
  }
}

/**
 * Installs the fault handling of the kernel process.
 * @param options.log (text) => void: the kernel's fault log (its real stderr)
 * @param options.interruptExecutor () => void: makes tslab's executor stop awaiting a cell (its `interrupt()`)
 */
function install({ log, interruptExecutor }) {
  if (log) hooks.log = log;
  if (interruptExecutor) hooks.interruptExecutor = interruptExecutor;
  process.on("uncaughtException", (err) => route(err, currentRun(), "uncaught exception"));
  process.on("unhandledRejection", (reason, promise) => {
    const owner = promise && promise[als.kResourceStore];
    route(reason, owner instanceof CellRun ? owner : currentRun(), "unhandled promise rejection");
  });
  // Without the watchdog, SIGINT interrupts here (when the loop is free); with it, the watchdog's message does.
  // A listener must exist either way: without one Node's default action for SIGINT ends the process.
  process.on("SIGINT", () => {
    if (!watchdog) interruptCell(undefined);
  });
  guardExit();
}

/**
 * Starts the watchdog thread (watchdog.js). Resolves to it, or to null when it cannot start (then interrupts
 * work as before: synchronous code and awaits only).
 * @param control { address, key, zeromq } to serve the control channel on the watchdog thread, or null
 * @param onControl (frames, queue) => void: a control message for the main thread's dispatcher, replies to `queue`
 */
async function startWatchdog(control, onControl) {
  if (process.env.LINEAR_LANDSCAPES_WATCHDOG === "0") return null; // switched off (debugging, comparisons)
  const { Watchdog } = require("./watchdog");
  try {
    watchdog = await Watchdog.start({
      control,
      onControl,
      log: (text) => hooks.log(`watchdog: ${text}`),
      capture: () => als.getStore(),
      onInterrupt: ({ id, runId, source }) => {
        // interrupt_request (not a signal): library code watching SIGINT (e.g. survey) should stop too.
        // ("shutdown": a shutdown_request came while a cell ran; the cell is ended, the kernel then exits.)
        if (source === "message") process.emit("SIGINT", "SIGINT");
        if (runId > 0) interruptCell(runId, id);
      },
      onStopped,
    });
  } catch (e) {
    hooks.log(`watchdog unavailable, interrupts stop synchronous code and awaits only: ${e && e.message}`);
    watchdog = null;
    return null;
  }
  if (running) watchdog.setRunning(running.id);
  dropBreakOnSigint();
  return watchdog;
}

module.exports = {
  CellRun,
  ExitRefusedError,
  runCell,
  currentRun,
  interruptCell,
  install,
  startWatchdog,
  exitKernel,
  keyboardInterrupt,
};
