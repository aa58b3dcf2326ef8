// A Jupyter kernel launched and driven from Node: what jupyter_client's KernelManager + AsyncKernelClient do for
// nbclient, for one kernel and the messages the course runner needs.
//
//   const k = await Kernel.start({ spec, cwd, stdoutFile, stderrFile });   // spec: from findKernelSpec()
//   const { reply, timedOut } = await k.execute(code, { timeoutMs, stopOnError, onOutput });
//   await k.shutdown();
//
// start(): writes a connection file (tcp on 127.0.0.1, five free ports, a random HMAC key, mode 0600), spawns the
// kernelspec's argv with {connection_file} substituted in a new process group (as jupyter_client does), connects
// DEALER sockets to shell/control/stdin and a SUB socket to iopub, then sends kernel_info_request until both its
// reply (shell) and a status message for it (iopub) arrived: only then is the iopub subscription known to be
// live (a SUB socket misses what is published before it joined).
// Only the standard protocol is used; nothing here knows about the project kernel's internals.
"use strict";
const fs = require("fs");
const os = require("os");
const net = require("net");
const path = require("path");
const crypto = require("crypto");
const { spawn } = require("child_process");
const zmq = require("zeromq");
const wire = require("./wire");

/** Kernelspec directories in Jupyter's search order: $JUPYTER_PATH, user data dir, system dirs. */
function kernelSpecDirs(env = process.env) {
  const dirs = (env.JUPYTER_PATH || "").split(path.delimiter).filter(Boolean);
  const home = os.homedir();
  dirs.push(env.JUPYTER_DATA_DIR || (process.platform === "darwin" ? path.join(home, "Library", "Jupyter") : path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "jupyter")));
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return dirs.map((d) => path.join(d, "kernels"));
}

/** `{ name, dir, argv, env, interrupt_mode, display_name, language }` of kernel `name`; throws if none is installed. */
function findKernelSpec(name, dirs = kernelSpecDirs()) {
  for (const d of dirs) {
    const file = path.join(d, name, "kernel.json");
    if (fs.existsSync(file)) {
      const spec = JSON.parse(fs.readFileSync(file, "utf8"));
      if (!Array.isArray(spec.argv) || !spec.argv.length) throw new Error(`${file}: kernelspec without argv`);
      return { name, dir: path.dirname(file), ...spec };
    }
  }
  throw new Error(`no kernelspec named ${name} in ${dirs.join(", ")}`);
}

/** n distinct free TCP ports on 127.0.0.1 (held open together, so they differ; released before the kernel binds). */
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      await new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(0, "127.0.0.1", resolve);
      });
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

class KernelDied extends Error {
  constructor(detail) {
    super(`the kernel died ${detail}`);
    this.name = "DeadKernelError";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Kernel {
  constructor() {
    this.session = crypto.randomUUID();
    this.username = os.userInfo().username || "username";
    this.replies = new Map(); // msg_id -> {resolve}
    this.listeners = new Map(); // parent msg_id -> iopub handler
    this.orphans = []; // iopub messages whose parent has no listener (e.g. output after a cell went idle)
    this.exited = null; // {code, signal} once the process is gone
    this.onExit = new Set();
    this.closed = false;
  }

  /**
   * Launches kernelspec `spec` in `cwd`. Kernel stdout/stderr go to the given files. Resolves once the kernel
   * answers on shell and publishes on iopub; rejects (and kills the process) after `startupTimeoutMs`.
   */
  static async start(opts) {
    // the free ports are released before the kernel binds them (as with jupyter_client); if another process took
    // one meanwhile the kernel dies at bind: try again with new ports
    for (let attempt = 1; ; attempt++) {
      try {
        return await Kernel.startOnce(opts);
      } catch (e) {
        if (!(e instanceof KernelDied) || !e.duringStartup || attempt >= 3) throw e;
      }
    }
  }

  static async startOnce({ spec, cwd = process.cwd(), env = {}, stdoutFile, stderrFile, startupTimeoutMs = 60_000 }) {
    const k = new Kernel();
    k.spec = spec;
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    k.conn = { transport: "tcp", ip: "127.0.0.1", shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb, signature_scheme: "hmac-sha256", key: crypto.randomBytes(32).toString("hex"), kernel_name: spec.name };
    k.sig = wire.signer(k.conn.signature_scheme, k.conn.key);
    k.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ll-kernel-"));
    k.connectionFile = path.join(k.tmp, `kernel-${k.session}.json`);
    fs.writeFileSync(k.connectionFile, JSON.stringify(k.conn, null, 1), { mode: 0o600 });
    const argv = spec.argv.map((a) => a.replace(/\{connection_file\}/g, k.connectionFile).replace(/\{resource_dir\}/g, spec.dir || ""));
    const out = fs.openSync(stdoutFile || "/dev/null", "w");
    const err = fs.openSync(stderrFile || "/dev/null", "w");
    try {
      k.proc = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...(spec.env || {}), ...env }, stdio: ["ignore", out, err], detached: true });
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
    }
    k.proc.on("exit", (code, signal) => {
      k.exited = { code, signal };
      for (const f of k.onExit) f(k.exited);
    });
    k.proc.on("error", (e) => {
      k.exited = { code: null, signal: null, error: e };
      for (const f of k.onExit) f(k.exited);
    });
    const url = (port) => `tcp://127.0.0.1:${port}`;
    k.shell = new zmq.Dealer({ routingId: k.session, linger: 0 });
    k.control = new zmq.Dealer({ routingId: k.session, linger: 0 });
    k.iopub = new zmq.Subscriber({ linger: 0 });
    k.iopub.subscribe();
    k.shell.connect(url(shell));
    k.control.connect(url(control));
    k.iopub.connect(url(iopub));
    k.sendQueues = new Map();
    k.loop(k.shell, (m) => k.onReply(m));
    k.loop(k.control, (m) => k.onReply(m));
    k.loop(k.iopub, (m) => k.onIopub(m));
    try {
      await k.waitForReady(startupTimeoutMs);
    } catch (e) {
      await k.kill();
      throw e;
    }
    return k;
  }

  async loop(sock, handle) {
    try {
      for await (const frames of sock) {
        let msg;
        try {
          msg = wire.decode(frames, this.sig);
        } catch (e) {
          this.protocolErrors = (this.protocolErrors || []).concat(e.message);
          continue;
        }
        handle(msg);
      }
    } catch (e) {
      if (!this.closed) this.protocolErrors = (this.protocolErrors || []).concat(`receive failed: ${e.message}`);
    }
  }

  onReply(msg) {
    const id = msg.parent_header && msg.parent_header.msg_id;
    const r = id && this.replies.get(id);
    if (r) {
      this.replies.delete(id);
      r.resolve(msg);
    }
  }

  onIopub(msg) {
    const id = msg.parent_header && msg.parent_header.msg_id;
    const f = id && this.listeners.get(id);
    if (f) f(msg);
    else if (msg.msg_type !== "status") this.orphans.push(msg);
  }

  /** Sends one message on `channel` ("shell" | "control"); zeromq.js allows one pending send per socket. */
  send(channel, msgType, content, metadata = {}) {
    const msg = { header: wire.header(msgType, this.session, this.username), parent_header: {}, metadata, content };
    const sock = this[channel];
    const prev = this.sendQueues.get(channel) || Promise.resolve();
    const next = prev.then(() => (this.closed ? undefined : sock.send(wire.encode(msg, this.sig))));
    this.sendQueues.set(channel, next.catch(() => undefined));
    return { msg, sent: next };
  }

  /** A promise for the reply to `msgId`, rejected when the kernel dies or after `timeoutMs` (null: never). */
  reply(msgId, timeoutMs) {
    return new Promise((resolve, reject) => {
      let timer = null;
      const onExit = (x) => done(null, new KernelDied(`(exit code ${x.code}, signal ${x.signal})${x.error ? `: ${x.error.message}` : ""}`));
      const done = (m, e) => {
        this.replies.delete(msgId);
        this.onExit.delete(onExit);
        if (timer) clearTimeout(timer);
        if (e) reject(e);
        else resolve(m);
      };
      this.replies.set(msgId, { resolve: (m) => done(m) });
      if (this.exited) return onExit(this.exited);
      this.onExit.add(onExit);
      if (timeoutMs != null) timer = setTimeout(() => done(null, Object.assign(new Error("timeout"), { code: "TIMEOUT" })), timeoutMs);
    });
  }

  async waitForReady(timeoutMs) {
    const t0 = Date.now();
    for (;;) {
      if (this.exited) throw Object.assign(new KernelDied(`during start-up (exit code ${this.exited.code}, signal ${this.exited.signal})`), { duringStartup: true });
      const { msg, sent } = this.send("shell", "kernel_info_request", {});
      let status = false;
      this.listeners.set(msg.header.msg_id, (m) => {
        if (m.msg_type === "status") status = true;
      });
      try {
        await sent;
        const r = await this.reply(msg.header.msg_id, 1000);
        // the reply came; give iopub a moment to deliver the status of the same request
        for (let i = 0; i < 20 && !status; i++) await sleep(25);
        if (status) {
          this.kernelInfo = r.content;
          return r.content;
        }
      } catch (e) {
        if (e instanceof KernelDied) e.duringStartup = true;
        if (e.code !== "TIMEOUT") throw e;
      } finally {
        this.listeners.delete(msg.header.msg_id);
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`the kernel did not answer kernel_info_request within ${timeoutMs / 1000} s`);
    }
  }

  /**
   * Executes `code`. `onOutput(msg)` receives every iopub message of this request except status/execute_input
   * bookkeeping (it does receive execute_input). Resolves `{ reply, timedOut, idle }` once the execute_reply
   * arrived and iopub went idle (or 4 s after the reply, as nbclient's iopub_timeout); `timedOut` when no
   * reply came within `timeoutMs`. Rejects with DeadKernelError when the kernel process exits.
   */
  async execute(code, { timeoutMs = null, stopOnError = true, storeHistory = true, onOutput = () => {} } = {}) {
    let idleResolve;
    const idle = new Promise((r) => (idleResolve = r));
    const content = { code, silent: false, store_history: storeHistory, user_expressions: {}, allow_stdin: false, stop_on_error: stopOnError };
    const { msg, sent } = this.send("shell", "execute_request", content);
    const id = msg.header.msg_id;
    this.listeners.set(id, (m) => {
      if (m.msg_type === "status") {
        if (m.content.execution_state === "idle") idleResolve(true);
      } else onOutput(m);
    });
    this.current = id;
    try {
      await sent;
      let reply;
      try {
        reply = await this.reply(id, timeoutMs);
      } catch (e) {
        if (e.code === "TIMEOUT") return { reply: null, timedOut: true, idle: false };
        throw e;
      }
      const wentIdle = await Promise.race([idle, sleep(4000).then(() => false)]);
      return { reply, timedOut: false, idle: wentIdle };
    } finally {
      this.listeners.delete(id);
    }
  }

  /** Interrupts the running cell: SIGINT to the kernel's process group (interrupt_mode "signal"), else interrupt_request. */
  async interrupt() {
    if (this.exited) return;
    if ((this.spec.interrupt_mode || "signal") === "signal") {
      this.signal("SIGINT");
      return;
    }
    const { msg, sent } = this.send("control", "interrupt_request", {});
    await sent;
    await this.reply(msg.header.msg_id, 5000).catch(() => null);
  }

  signal(sig) {
    if (this.exited || !this.proc) return;
    try {
      process.kill(-this.proc.pid, sig);
    } catch {
      try {
        this.proc.kill(sig);
      } catch {
        /* gone */
      }
    }
  }

  waitExit(ms) {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.onExit.delete(f);
        resolve(false);
      }, ms);
      const f = () => {
        clearTimeout(t);
        resolve(true);
      };
      this.onExit.add(f);
    });
  }

  /** Polite shutdown: shutdown_request on control, then SIGTERM, then SIGKILL; closes the sockets. */
  async shutdown({ graceMs = 5000 } = {}) {
    if (!this.exited) {
      const { msg, sent } = this.send("control", "shutdown_request", { restart: false });
      await Promise.race([sent, sleep(1000)]);
      await this.reply(msg.header.msg_id, graceMs).catch(() => null);
      if (!(await this.waitExit(graceMs))) await this.kill();
    }
    this.close();
  }

  /** Stops the kernel process group without asking (SIGTERM, SIGKILL after 2 s); closes the sockets. */
  async kill() {
    if (!this.exited) {
      this.signal("SIGTERM");
      if (!(await this.waitExit(2000))) {
        this.signal("SIGKILL");
        await this.waitExit(2000);
      }
    }
    this.close();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.shell, this.control, this.iopub]) {
      try {
        if (s) s.close();
      } catch {
        /* already closed */
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

module.exports = { Kernel, KernelDied, findKernelSpec, kernelSpecDirs, freePorts };
