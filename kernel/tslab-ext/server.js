// The project kernel's Jupyter server: subclasses of tslab's own ZmqServer and JupyterHandlerImpl
// (node_modules/tslab/dist/jupyter.js). tslab's wire code (ZmqMessage: parsing, HMAC check, createReply,
// signAndSend) and its language services (completion, inspection, is_complete) are reused as they are; what
// is overridden, and why, is said at each place. Summary of the tslab 1.0.22 gaps fixed here:
//
//  1. kernel_info_reply has no `status` (jupyter_kernel_test rejects it)            -> ProjectHandler.handleKernel
//  2. errors carry no ename/evalue/traceback, no iopub `error`; type errors only on
//     the kernel's stderr                                                           -> runExecute + execute.js
//  3. the last value arrives as stdout text, not `execute_result`; no rich display  -> runExecute + output.js
//  4. every request arriving within 200 ms after a failed cell is aborted
//     (TaskQueue.reset(200)), so nbclient with allow_errors silently skips cells   -> execute queue below
//  5. comm_info_request is answered with msg_type "complete_reply"                  -> handleCommInfoRequest
//  6. message loops start before the sockets are bound; zeromq then rejects with
//     EBUSY ("Socket is blocked by a bind or unbind operation"), logged as an
//     unhandled rejection, and the loop of that socket dies                         -> init
//  7. sends are not awaited (zeromq allows one pending send per socket: EBUSY)      -> SendQueue
//  8. no history_request, interrupt_request, execute_input, pager payloads,
//     clear_output; `abort` instead of the protocol's `aborted`; unknown messages
//     logged to stderr                                                              -> dispatch
"use strict";
const util = require("util");
const fs = require("fs");
const path = require("path");
const tslab = require("./tslab");
const { CellOutput, installHooks } = require("./output");
const { runtimeError } = require("./execute");
const { History } = require("./history");
const faults = require("./faults"); // interrupts, process.exit, errors of scheduled code (kernel/README.md)

const { ZmqServer, JupyterHandlerImpl } = tslab.jupyter;
const ts = tslab.ts;
const PKG = require(path.resolve(__dirname, "..", "..", "package.json"));

/** Writes to the kernel's real stderr (internal faults only: normal operation writes nothing there). */
const realStderrWrite = process.stderr.write.bind(process.stderr);
const realStdoutWrite = process.stdout.write.bind(process.stdout);
const debugLog = process.env.LINEAR_LANDSCAPES_KERNEL_LOG;
function debug(...args) {
  if (debugLog) fs.appendFileSync(debugLog, `${new Date().toISOString()} ${util.format(...args)}\n`);
}
function fault(...args) {
  debug("FAULT", ...args);
  realStderrWrite(`linear-landscapes kernel: ${util.format(...args)}\n`);
}

/**
 * One zeromq.js v6 socket allows a single pending send; tslab fires `sock.send()` without awaiting it. All our
 * sends go through this queue (tslab's signAndSend only calls `sock.send(frames)`, so it accepts this object).
 */
class SendQueue {
  constructor(sock, name) {
    this.sock = sock;
    this.name = name;
    this.chain = Promise.resolve();
  }
  send(frames) {
    // After shutdown closed the sockets, a late reply (e.g. of a cell the shutdown interrupted) has no one to
    // go to: dropped, not a fault on stderr.
    this.chain = this.chain.then(() => this.sock.send(frames)).catch((e) => (this.closed ? debug(`send on closed ${this.name}:`, e && e.message) : fault(`send on ${this.name} failed:`, e)));
    return this.chain;
  }
  flush() {
    return this.chain;
  }
}

class ProjectHandler extends JupyterHandlerImpl {
  constructor(cellExecutor) {
    super(cellExecutor, false);
  }

  /** Gap 1: tslab's reply lacks `status: "ok"` and reports TypeScript "3.7.2". */
  handleKernel() {
    const reply = super.handleKernel();
    return {
      status: "ok",
      ...reply,
      protocol_version: "5.3",
      implementation: "linear-landscapes",
      implementation_version: PKG.version,
      language_info: { ...reply.language_info, name: "typescript", version: ts.version, file_extension: ".ts", mimetype: "text/typescript" },
      banner: `TypeScript ${ts.version} (linear-landscapes ${PKG.version} kernel on tslab ${tslab.version}, Node ${process.version})`,
      debugger: false,
      help_links: [
        { text: "tslab", url: "https://github.com/yunabe/tslab" },
        { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      ],
    };
  }

  /**
   * tslab answers only complete/incomplete. Code with a syntax error that more input cannot fix (a parse error
   * that is not an "... expected" at the very end) is reported as `invalid`, as IPython does; an unterminated
   * template literal is `incomplete` (multi-line strings).
   */
  handleIsComplete(req) {
    const code = req.code;
    const base = super.handleIsComplete(req);
    if (base.status !== "complete" || /(^|\n)\s*\n\s*$/.test(code)) return base;
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const diags = sf.parseDiagnostics || [];
    if (diags.length === 0) return base;
    if (diags.some((d) => /Unterminated template literal/.test(String(d.messageText)))) {
      return { status: "incomplete", indent: "" };
    }
    return { status: "invalid" };
  }

  /**
   * For an unknown name TypeScript's quick info is the bare text "any": tslab reports that as found. Help is
   * text/markdown + text/plain (tslab-ext/help.js); detail_level 1 adds where the name is defined.
   */
  handleInspect(req) {
    const data = this.executor.describe(req.code, req.cursor_pos, req.detail_level || 0);
    if (!data) return { status: "ok", found: false, data: {}, metadata: {} };
    return { status: "ok", found: true, data, metadata: {} };
  }

  /** tslab replies `{restart: false}` whatever was asked, without status. */
  handleShutdown(req) {
    return { status: "ok", restart: !!(req && req.restart) };
  }
}

/** How long a failed cell (with stop_on_error) waits for already-sent requests before aborting the queue. */
const ABORT_WINDOW_MS = Number(process.env.LINEAR_LANDSCAPES_ABORT_WINDOW_MS || 20);

/** `expr?` (IPython's help syntax): show the TypeScript quick info of `expr` in the pager. */
const PAGER_RE = /^\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\?\s*$/;

class ProjectServer extends ZmqServer {
  constructor(handler, configPath, cellExecutor) {
    super(handler, configPath);
    this.cells = cellExecutor;
    this.execCount = 0;
    this.history = new History();
    this.current = null; // CellOutput that outputs go to (the running cell, else the last one)
    this.execChain = Promise.resolve();
    this.waiting = new Set(); // queued execute requests not started yet
    this.closing = false;
    installHooks(() => this.current);
    this.patchStdio();
  }

  /** stdout/stderr of cell code become stream messages of the current cell (before any cell: real streams). */
  patchStdio() {
    const decoder = new util.TextDecoder();
    const make = (name, real) =>
      function write(chunk, encoding, cb) {
        if (typeof encoding === "function") cb = encoding;
        const server = write.server;
        if (!server.current) return real(chunk, encoding, cb);
        const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
        server.current.stream(name, text);
        if (typeof cb === "function") process.nextTick(cb);
        return true;
      };
    const out = make("stdout", realStdoutWrite);
    const err = make("stderr", realStderrWrite);
    out.server = err.server = this;
    process.stdout.write = out;
    process.stderr.write = err;
  }

  /**
   * Gap 6: tslab starts the receive loops and then binds, concurrently. zeromq.js rejects operations on a
   * socket while an async bind is in progress (EBUSY "Socket is blocked by a bind or unbind operation"): the
   * rejected loop dies (an unhandled rejection at every start) and, depending on timing, a socket keeps no
   * reader, so the client's kernel_info/heartbeat retries decide how long start-up takes. Here every socket is
   * bound first, then the loops start.
   */
  async init() {
    this.connInfo = JSON.parse(fs.readFileSync(this.configPath, "utf-8"));
    const zmqPath = require.resolve("zeromq", { paths: [tslab.tslabDir] });
    const zmq = require(zmqPath);
    const opts = { linger: 0 };
    const c = this.connInfo;
    const addr = (port) => `${c.transport}://${c.ip}:${port}`;
    // faults.js/watchdog.js: the control channel is served by the watchdog thread, which sees interrupt_request
    // while cell code blocks this thread (its messages come here as before); without the watchdog, here.
    this.watchdog = await faults.startWatchdog(
      { address: addr(c.control_port), key: c.key, zeromq: zmqPath },
      (frames, queue) => this.dispatch(queue, frames).catch((e) => fault("control message failed:", e)),
    );
    this.iopubSock = new zmq.Publisher(opts);
    this.shellSock = new zmq.Router(opts);
    this.controlSock = this.watchdog ? null : new zmq.Router(opts);
    this.stdinSock = new zmq.Router(opts);
    this.hbSock = new zmq.Reply(opts);
    // tslab's methods (publishStatus, handle*) send through this.iopub / the socket they are given.
    this.iopub = new SendQueue(this.iopubSock, "iopub");
    this.shellQ = new SendQueue(this.shellSock, "shell");
    this.controlQ = this.watchdog ? this.watchdog.controlQ : new SendQueue(this.controlSock, "control");
    this.shell = this.shellSock;
    this.control = this.controlSock;
    this.stdin = this.stdinSock;
    this.hb = this.hbSock;
    await this.iopubSock.bind(addr(c.iopub_port));
    await this.shellSock.bind(addr(c.shell_port));
    if (this.controlSock) await this.controlSock.bind(addr(c.control_port));
    await this.stdinSock.bind(addr(c.stdin_port));
    await this.hbSock.bind(addr(c.hb_port));
    debug("bound", c);
    this.loop(this.shellSock, this.shellQ, "shell");
    if (this.controlSock) this.loop(this.controlSock, this.controlQ, "control");
    this.heartbeat();
  }

  async loop(sock, queue, name) {
    try {
      for await (const frames of sock) {
        this.dispatch(queue, frames).catch((e) => fault(`${name} message failed:`, e));
      }
    } catch (e) {
      if (!this.closing) fault(`${name} loop ended:`, e);
    }
  }

  async heartbeat() {
    try {
      for await (const frames of this.hbSock) await this.hbSock.send(frames);
    } catch (e) {
      if (!this.closing) fault("heartbeat loop ended:", e);
    }
  }

  /**
   * Parses and verifies a message with tslab's own (module-private) ZmqMessage: ZmqServer.handleShellMessage
   * parses the frames, then calls this.publishStatus("busy", msg) before anything else; a receiver whose
   * publishStatus throws the message back gives us the parsed ZmqMessage with no other side effect.
   */
  async parse(frames) {
    const CAPTURED = Symbol("captured");
    const receiver = {
      connInfo: this.connInfo,
      publishStatus(_status, msg) {
        throw { [CAPTURED]: msg };
      },
    };
    try {
      await ZmqServer.prototype.handleShellMessage.call(receiver, null, ...frames);
    } catch (e) {
      if (e && e[CAPTURED]) return e[CAPTURED];
      throw e;
    }
    throw new Error("tslab's handleShellMessage did not publish a busy status");
  }

  send(sock, parent, msgType, content) {
    const reply = parent.createReply();
    reply.header.msg_type = msgType;
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  }

  async dispatch(sock, frames) {
    let msg;
    try {
      msg = await this.parse(frames);
    } catch (e) {
      debug("dropping unparsable message:", e && e.message);
      return;
    }
    const type = msg.header.msg_type;
    debug("recv", type, msg.header.msg_id);
    if (type === "execute_request") return this.enqueueExecute(sock, msg);
    if (type === "comm_open" || type === "comm_msg" || type === "comm_close") return; // no comms (as tslab)
    this.publishStatus("busy", msg);
    let shutdown = false;
    try {
      switch (type) {
        case "kernel_info_request":
          this.handleKernelInfo(sock, msg);
          break;
        case "is_complete_request":
          this.replyOrError(sock, msg, "is_complete_reply", () => this.handler.handleIsComplete(msg.content));
          break;
        case "inspect_request":
          this.replyOrError(sock, msg, "inspect_reply", () => this.handler.handleInspect(msg.content));
          break;
        case "complete_request":
          this.replyOrError(sock, msg, "complete_reply", () => this.handler.handleComplete(msg.content));
          break;
        case "comm_info_request":
          this.handleCommInfoRequest(sock, msg);
          break;
        case "history_request":
          this.send(sock, msg, "history_reply", this.history.reply(msg.content));
          break;
        case "interrupt_request":
          // With the watchdog serving control (faults.js), its thread has already interrupted: it emits SIGINT
          // for library code watching it (e.g. a running survey, src/experiments/survey.ts) and stops the cell.
          // Otherwise route the message through the signal path (faults.js's SIGINT listener interrupts).
          if (!(this.watchdog && sock === this.controlQ)) process.emit("SIGINT", "SIGINT");
          this.send(sock, msg, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          this.handleShutdown(sock, msg);
          shutdown = true;
          break;
        default:
          debug("ignoring unknown message type", type);
      }
    } finally {
      this.publishStatus("idle", msg);
    }
    if (shutdown) await this.shutdown();
  }

  replyOrError(sock, msg, replyType, fn) {
    let content;
    try {
      content = fn();
    } catch (e) {
      const err = runtimeError(e);
      content = { status: "error", ...err };
    }
    this.send(sock, msg, replyType, content);
  }

  /** Gap 5: tslab sends this as "complete_reply" and without status. */
  handleCommInfoRequest(sock, msg) {
    this.send(sock, msg, "comm_info_reply", { status: "ok", comms: {} });
  }

  /**
   * Gap 4: tslab runs executions through a TaskQueue whose rejected state cancels every request that arrives
   * within 200 ms after a failure (`execQueue.reset(200)`), whatever `stop_on_error` says. nbclient sends the
   * next cell as soon as it has the error reply, so with allow_errors=True the following cells came back
   * "abort"ed and were silently skipped. Here, as in ipykernel: a failed request with `stop_on_error` (the
   * default) aborts only the execute requests already queued when it failed (after a 20 ms pause that lets the
   * receive loop take in what the client had already sent, e.g. the rest of "Run All"; ipykernel's
   * stop_on_error_timeout plays the same role); requests sent after the client saw the error reply always run; `stop_on_error: false` (nbclient's allow_errors) aborts nothing.
   * Aborted requests get the protocol's status "aborted".
   */
  enqueueExecute(sock, msg) {
    const entry = { sock, msg, aborted: false };
    this.waiting.add(entry);
    this.execChain = this.execChain
      .then(() => {
        this.waiting.delete(entry);
        return this.runExecute(entry);
      })
      .catch((e) => fault("execute failed:", e));
    return this.execChain;
  }

  async runExecute({ sock, msg, aborted }) {
    const req = msg.content;
    const code = typeof req.code === "string" ? req.code : "";
    this.publishStatus("busy", msg);
    try {
      if (aborted) {
        this.send(sock, msg, "execute_reply", { status: "aborted", execution_count: this.execCount });
        return;
      }
      const silent = !!req.silent;
      const storeHistory = !silent && req.store_history !== false;
      if (storeHistory) this.execCount++;
      const count = this.execCount;
      const hist = storeHistory ? this.history.add(count, code) : null;
      const iopub = (type, content) => {
        if (type === "execute_result" && hist) hist.output = content.data["text/plain"];
        this.send(this.iopub, msg, type, content);
      };
      const out = new CellOutput(iopub, count);
      const run = new faults.CellRun(out);
      this.current = out;
      // tslab's own display API (`import * as tslab from "tslab"`) writes through this process-wide slot.
      tslab.jupyter.lastWriteDisplayData = (data, update) => out.rawDisplay(data, update);
      if (!silent) iopub("execute_input", { code, execution_count: count });

      const payload = [];
      const pager = PAGER_RE.exec(code);
      // faults.js: the cell runs as a CellRun, in its own macrotask, raced against interrupts and against
      // errors of the code it schedules; its result is an error result when one of those comes first.
      let result = await faults.runCell(run, async () => {
        let r;
        if (pager) {
          r = { ok: true, value: undefined };
          const expr = pager[1].replace(/\s+/g, "");
          const help = this.pagerHelp(expr);
          if (help) payload.push({ source: "page", data: help, start: 0 });
          else out.stream("stdout", `Object \`${expr}\` not found.\n`);
        } else {
          r = await this.cells.execute(code, { name: `In[${count}]` });
        }
        if (r.ok && !silent) out.result(r.value);
        await out.settle();
        return r;
      });
      const failures = out.takeFailures();
      if (result.ok && failures.length > 0) result = { ok: false, error: (this.cells.runtimeError || runtimeError)(failures[0]) };

      if (result.ok) {
        this.send(sock, msg, "execute_reply", { status: "ok", execution_count: count, payload, user_expressions: {} });
        return;
      }
      const { ename, evalue, traceback } = result.error;
      iopub("error", { ename, evalue, traceback });
      if (req.stop_on_error !== false) {
        // Let the receive loop take in what the client had sent before it could know of this failure
        // (the rest of a "Run All"), then abort exactly those; the window closes before the error reply.
        await new Promise((r) => setTimeout(r, ABORT_WINDOW_MS));
        for (const e of this.waiting) e.aborted = true;
      }
      this.send(sock, msg, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback });
    } finally {
      this.publishStatus("idle", msg);
    }
  }

  /** The help bundle (text/markdown + text/plain, with the source location) for `expr?`. */
  pagerHelp(expr) {
    try {
      const reply = this.handler.handleInspect({ code: expr, cursor_pos: expr.length, detail_level: 1 });
      return reply.found ? reply.data : null;
    } catch (e) {
      debug("pager inspect failed", e);
      return null;
    }
  }

  async shutdown() {
    this.closing = true;
    await Promise.all([this.iopub.flush(), this.shellQ.flush(), this.controlQ.flush()]);
    try {
      this.handler.close();
    } catch (e) {
      debug("close failed", e);
    }
    for (const q of [this.iopub, this.shellQ, this.controlQ]) q.closed = true;
    for (const s of [this.iopubSock, this.shellSock, this.controlSock, this.stdinSock, this.hbSock]) if (s) s.close();
    // The TypeScript watch program keeps timers alive; the kernel is done, so leave now (faults.exitKernel closes
    // the watchdog thread first; process.exit itself is refused to cells).
    setTimeout(() => faults.exitKernel(0), 20);
  }
}

module.exports = { ProjectServer, ProjectHandler, SendQueue };
