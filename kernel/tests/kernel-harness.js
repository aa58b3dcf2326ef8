// The project kernel started as Jupyter starts it (`node kernel/main.js <connection file>`, cwd notebooks/) and
// driven over the real wire protocol by the course runner's own client (kernel/client/kernel.js): a small adapter
// with the shape the kernel tests and `npm run bench` use. Nothing here knows the kernel's internals.
//
//   const k = await startKernel();
//   const { reply, outputs } = await k.execute("1 + 1");   // outputs: iopub messages of that request, in order
//   const r = await k.request("inspect_request", { code, cursor_pos, detail_level: 0 });
//   await k.shutdown();
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { Kernel } = require("../client/kernel");

const ROOT = path.resolve(__dirname, "..", "..");

async function startKernel({ cwd = path.join(ROOT, "notebooks"), timeoutMs = 60_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-harness-"));
  const stderrFile = path.join(dir, "stderr.txt");
  const spec = { name: "linear-landscapes-test", argv: [process.execPath, path.join(ROOT, "kernel", "main.js"), "{connection_file}"], interrupt_mode: "signal" };
  const k = await Kernel.start({ spec, cwd, stderrFile, startupTimeoutMs: timeoutMs });
  const stderr = () => (fs.existsSync(stderrFile) ? fs.readFileSync(stderrFile, "utf8") : "");
  return {
    get stderr() {
      return stderr();
    },
    async execute(code, { stopOnError = true, timeout = timeoutMs } = {}) {
      const outputs = [];
      const r = await k.execute(code, { timeoutMs: timeout, stopOnError, onOutput: (m) => outputs.push({ msg_type: m.msg_type, content: m.content }) });
      if (r.timedOut) throw new Error(`no execute_reply within ${timeout} ms; kernel stderr: ${stderr()}`);
      return { reply: r.reply.content, outputs };
    },
    async request(msgType, content, timeout = timeoutMs) {
      const { msg, sent } = k.send("shell", msgType, content);
      await sent;
      return (await k.reply(msg.header.msg_id, timeout)).content;
    },
    async shutdown() {
      await k.shutdown();
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
