// The project kernel started as Jupyter starts it (`node kernel/main.js <connection file>`, cwd notebooks/) and
// driven over the real wire protocol (zeromq, HMAC-signed frames): shell DEALER + iopub SUB, enough for the
// kernel tests and `npm run bench`. Nothing here knows the kernel's internals.
//
//   const k = await startKernel();
//   const { reply, outputs } = await k.execute("1 + 1");   // outputs: iopub messages of that request, in order
//   const r = await k.request("inspect_request", { code, cursor_pos, detail_level: 0 });
//   await k.shutdown();
"use strict";
const fs = require("fs");
const os = require("os");
const net = require("net");
const path = require("path");
const crypto = require("crypto");
const { spawn } = require("child_process");
const zmq = require("zeromq");

const ROOT = path.resolve(__dirname, "..", "..");
const DELIM = "<IDS|MSG>";

async function freePorts(n) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise((r) => s.listen(0, "127.0.0.1", r));
    servers.push(s);
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function startKernel({ cwd = path.join(ROOT, "notebooks"), timeoutMs = 60_000 } = {}) {
  const key = crypto.randomBytes(16).toString("hex");
  const [shell_port, iopub_port, control_port, stdin_port, hb_port] = await freePorts(5);
  const conn = { transport: "tcp", ip: "127.0.0.1", key, signature_scheme: "hmac-sha256", shell_port, iopub_port, control_port, stdin_port, hb_port };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-kernel-"));
  const connFile = path.join(dir, "kernel.json");
  fs.writeFileSync(connFile, JSON.stringify(conn), { mode: 0o600 });
  const proc = spawn(process.execPath, [path.join(ROOT, "kernel", "main.js"), connFile], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stdout.resume();
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((r) => proc.once("exit", r));

  const session = crypto.randomUUID();
  const sign = (frames) => {
    const h = crypto.createHmac("sha256", key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  };
  const shell = new zmq.Dealer();
  const iopub = new zmq.Subscriber();
  shell.connect(`tcp://127.0.0.1:${shell_port}`);
  iopub.connect(`tcp://127.0.0.1:${iopub_port}`);
  iopub.subscribe();

  const replies = new Map(); // msg_id -> resolve
  const outputs = new Map(); // msg_id -> { list, idle: resolve }
  const decode = (frames) => {
    const i = frames.findIndex((f) => f.toString() === DELIM);
    const [sig, ...parts] = frames.slice(i + 1, i + 6).map((f) => f.toString());
    if (sig !== sign(parts)) throw new Error("bad signature from the kernel");
    const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p));
    return { header, parent_header: parent, metadata, content, msg_type: header.msg_type };
  };
  let closed = false;
  (async () => {
    for await (const frames of shell) {
      const m = decode(frames);
      const r = replies.get(m.parent_header.msg_id);
      if (r) r(m);
    }
  })().catch((e) => closed || console.error(e));
  (async () => {
    for await (const frames of iopub) {
      const m = decode(frames);
      const o = outputs.get(m.parent_header.msg_id);
      if (!o) continue;
      if (m.msg_type === "status") {
        if (m.content.execution_state === "idle") o.idle();
      } else o.list.push({ msg_type: m.msg_type, content: m.content });
    }
  })().catch((e) => closed || console.error(e));

  async function send(msgType, content, timeout = timeoutMs) {
    const header = { msg_id: crypto.randomUUID(), username: "test", session, date: new Date().toISOString(), msg_type: msgType, version: "5.3" };
    const parts = [header, {}, {}, content].map((x) => JSON.stringify(x));
    const entry = { list: [] };
    const idle = new Promise((r) => (entry.idle = r));
    outputs.set(header.msg_id, entry);
    const reply = new Promise((resolve, reject) => {
      replies.set(header.msg_id, resolve);
      setTimeout(() => reject(new Error(`no ${msgType} reply within ${timeout} ms; kernel stderr: ${stderr}`)), timeout).unref();
    });
    await shell.send([DELIM, sign(parts), ...parts]);
    const r = await reply;
    await Promise.race([idle, new Promise((res) => setTimeout(res, 2000).unref())]);
    replies.delete(header.msg_id);
    outputs.delete(header.msg_id);
    return { reply: r.content, outputs: entry.list };
  }

  // kernel_info until both the reply and its iopub status arrived (the SUB socket is then live).
  const t0 = Date.now();
  for (;;) {
    try {
      const header = { msg_id: crypto.randomUUID(), username: "test", session, date: new Date().toISOString(), msg_type: "kernel_info_request", version: "5.3" };
      const parts = [header, {}, {}, {}].map((x) => JSON.stringify(x));
      const entry = { list: [] };
      const idle = new Promise((r) => (entry.idle = r));
      outputs.set(header.msg_id, entry);
      const reply = new Promise((r) => replies.set(header.msg_id, r));
      await shell.send([DELIM, sign(parts), ...parts]);
      const ok = await Promise.race([Promise.all([reply, idle]).then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
      if (ok) break;
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) throw e;
    }
    if (Date.now() - t0 > timeoutMs || proc.exitCode !== null) throw new Error(`kernel did not start; stderr: ${stderr}`);
  }

  return {
    get stderr() {
      return stderr;
    },
    execute: (code, { stopOnError = true, timeout } = {}) =>
      send("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: stopOnError }, timeout),
    request: async (msgType, content) => (await send(msgType, content)).reply,
    async shutdown() {
      try {
        await send("shutdown_request", { restart: false }, 5000);
      } catch {
        proc.kill("SIGKILL");
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
      closed = true;
      shell.close();
      iopub.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text/plain of a request's execute_result, or null. */
function resultText(outputs) {
  const r = outputs.find((o) => o.msg_type === "execute_result");
  return r ? r.content.data["text/plain"] : null;
}

module.exports = { startKernel, resultText };
