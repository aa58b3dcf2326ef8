// The kernel's watchdog thread (a worker_threads Worker started by watchdog.js). It stays responsive while cell
// code keeps the main thread busy, which is why it, and not the main thread, does three things:
//
//  1. listens to SIGINT (a libuv signal watcher on this thread's loop: Node delivers signals to `process.on`
//     listeners of the main thread only, and those run only when the main thread is idle);
//  2. owns the control socket (zeromq), so an `interrupt_request` (or a `shutdown_request`) is seen while the
//     main thread is blocked;
//     every control message is also forwarded to the main thread, which answers it as before (replies come
//     back here to be sent);
//  3. on an interrupt, asks the main thread to interrupt softly (a message: works when its event loop is
//     alive, e.g. a cell awaiting a timer); if the main thread has not acknowledged within the grace period it
//     is stuck in JavaScript, and the watchdog stops that code through an inspector session connected to the
//     main thread (`Runtime.terminateExecution`, the mechanism of vm timeouts). The handshake with the main
//     thread's `hardStop` (watchdog.js) runs inside the main thread's interrupt, so the decision to terminate
//     (is JavaScript running, is it cell code rather than the kernel's own) and the termination itself happen
//     with no other JavaScript in between.
//
// Messages: worker -> main  { type: "ready" | "interrupt" | "stopped" | "control" | "flushed" | "closed" | "log" }
//           main -> worker  { type: "send" | "flush" | "close" }
"use strict";
const { parentPort, workerData } = require("worker_threads");
const inspector = require("inspector");
const crypto = require("crypto");
const os = require("os");
const S = require("./watchdog-slots");

const shared = new Int32Array(workerData.shared);
const GRACE_MS = workerData.graceMs;
const RETRY_MS = 50;
const GIVE_UP_MS = workerData.giveUpMs;
const log = (...args) => parentPort.postMessage({ type: "log", text: args.join(" ") });

const session = new inspector.Session();
session.connectToMainThread();

// ---- SIGINT ---------------------------------------------------------------------------------------------------
// `process.on("SIGINT")` is inert in workers; signal_wrap is the handle behind it (process.binding is the only way
// to reach it from a worker; its deprecation warning is silenced here, the kernel's stderr stays empty).
function listenToSigint() {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const { Signal } = process.binding("signal_wrap");
    const handle = new Signal();
    handle.onsignal = () => interrupt("signal");
    const err = handle.start(os.constants.signals.SIGINT);
    if (err !== 0) throw new Error(`uv_signal_start: ${err}`);
    return handle;
  } finally {
    process.noDeprecation = quiet;
  }
}

// ---- interrupts -----------------------------------------------------------------------------------------------
let lastInterrupt = 0;
let closing = false; // the kernel is exiting: no more hard stops, let the thread end
let watching = null; // the interrupt whose hard stop is being attempted

function interrupt(source) {
  const id = ++lastInterrupt;
  parentPort.postMessage({ type: "interrupt", id, runId: Atomics.load(shared, S.RUNNING), source });
  if (watching) return; // the running attempt covers this one too
  watching = { id, since: Date.now() };
  setTimeout(check, GRACE_MS);
}

function check() {
  if (closing) return;
  const w = watching;
  if (Atomics.load(shared, S.ACK) >= lastInterrupt) {
    watching = null; // the main thread's loop took the soft interrupt: it is not stuck
    return;
  }
  const verdict = hardStop(lastInterrupt);
  if (verdict === S.STOP) {
    watching = null;
    return;
  }
  if (Date.now() - w.since > GIVE_UP_MS) {
    log(`interrupt ${lastInterrupt}: main thread neither idle nor stoppable after ${GIVE_UP_MS} ms (last verdict ${verdict})`);
    watching = null;
    return;
  }
  setTimeout(check, RETRY_MS); // kernel code running (e.g. compiling), or no answer yet: try again
}

/**
 * One hard-stop attempt. The main thread evaluates `hardStop(id)` inside its interrupt; it stores its verdict
 * in DECISION. Only on STOP does this thread post `Runtime.terminateExecution`, then it sets POSTED, which the
 * main thread waits for before it returns to the code it interrupted; the inspector dispatches both messages in
 * the same interrupt, so no other JavaScript runs in between.
 */
function hardStop(id) {
  Atomics.store(shared, S.DECISION, 0);
  Atomics.store(shared, S.POSTED, 0);
  session.post(
    "Runtime.evaluate",
    { expression: `globalThis[Symbol.for("linear-landscapes.kernel.watchdog")](${id})`, silent: true, returnByValue: true },
    () => {},
  );
  Atomics.wait(shared, S.DECISION, 0, 2000);
  // No answer: cancel, so that a late evaluation does nothing.
  if (Atomics.compareExchange(shared, S.DECISION, 0, S.CANCELLED) === 0) return S.CANCELLED;
  const verdict = Atomics.load(shared, S.DECISION);
  if (verdict !== S.STOP) return verdict;
  session.post("Runtime.terminateExecution", () => {});
  Atomics.store(shared, S.POSTED, 1);
  Atomics.notify(shared, S.POSTED);
  parentPort.postMessage({ type: "stopped", id });
  return S.STOP;
}

// ---- control socket -------------------------------------------------------------------------------------------
const DELIM = Buffer.from("<IDS|MSG>");

/** msg_type of a control message whose signature is valid (the same HMAC-SHA256 check as tslab's), else null. */
function verifiedType(frames, key) {
  const i = frames.findIndex((f) => DELIM.equals(f));
  if (i < 0 || frames.length < i + 6) return null;
  const parts = frames.slice(i + 2, i + 6);
  if (key) {
    const h = crypto.createHmac("sha256", key);
    for (const p of parts) h.update(p);
    const want = Buffer.from(h.digest("hex"));
    const got = Buffer.from(frames[i + 1]);
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return null;
  }
  try {
    return JSON.parse(parts[0].toString()).msg_type || null;
  } catch {
    return null;
  }
}

let control = null;
let sendChain = Promise.resolve();

async function serveControl(spec) {
  const zmq = require(spec.zeromq);
  control = new zmq.Router({ linger: 0 });
  await control.bind(spec.address);
  parentPort.postMessage({ type: "ready", control: true });
  try {
    for await (const frames of control) {
      const type = verifiedType(frames, spec.key);
      // shutdown_request (also restart): stop busy cell code too, so the main thread can answer and exit now
      // rather than be killed when the client's wait runs out.
      if (type === "interrupt_request") interrupt("message");
      else if (type === "shutdown_request") interrupt("shutdown");
      parentPort.postMessage({ type: "control", frames });
    }
  } catch (e) {
    if (control) log(`control loop ended: ${e && e.message}`);
  }
}

parentPort.on("message", (m) => {
  if (m.type === "send") {
    sendChain = sendChain.then(() => control && control.send(m.frames)).catch((e) => log(`send on control failed: ${e && e.message}`));
  } else if (m.type === "flush") {
    sendChain.then(() => parentPort.postMessage({ type: "flushed", id: m.id }));
  } else if (m.type === "close") {
    closing = true;
    sendChain.then(() => {
      const c = control;
      control = null;
      if (c) c.close();
      sigint.close();
      session.disconnect();
      parentPort.postMessage({ type: "closed" });
      parentPort.close();
    });
  }
});

const sigint = listenToSigint();
if (workerData.control) {
  serveControl(workerData.control).catch((e) => {
    parentPort.postMessage({ type: "ready", control: false, error: String(e && e.message) });
  });
} else {
  parentPort.postMessage({ type: "ready", control: false });
}
