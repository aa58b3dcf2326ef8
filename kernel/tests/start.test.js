// `npm start` (kernel/start.js): prints the full URL with the token last, once Jupyter answers; SIGTERM to `npm
// start` or to its Jupyter child stops Jupyter and its kernels and frees the port. Needs Jupyter (skipped without).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const net = require("net");
const path = require("path");
const http = require("http");
const { spawn } = require("child_process");
const { findJupyter } = require("../install");

const ROOT = path.resolve(__dirname, "..", "..");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}
const portFree = (port) =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
function request(url, { method = "GET", body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { "Content-Type": "application/json" } : {} }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
/** Pids whose command line mentions `needle` (kernels launched with a connection file in our runtime dir). */
function pidsWith(needle) {
  const out = [];
  for (const p of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(needle)) out.push(Number(p));
    } catch {
      /* gone */
    }
  }
  return out;
}
async function until(cond, ms, what) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Starts `cmd args` and waits for the token URL line; returns { proc, url, port, runtime, output() }. */
async function startServer(cmd, args, { foreignKernel = false } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ll-start-"));
  if (foreignKernel) {
    // another checkout already owns the plain name in this kernels folder
    const dir = path.join(tmp, "jupyter", "kernels", "linear-landscapes");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify({ argv: [process.execPath, "/elsewhere/kernel/main.js", "{connection_file}"], display_name: "TypeScript (linear-landscapes)", language: "typescript", metadata: { "linear-landscapes": { checkout: "/elsewhere" } } }));
  }
  const port = await freePort();
  const runtime = path.join(tmp, "runtime");
  const proc = spawn(cmd, [...args, "--prefix", path.join(tmp, "jupyter"), "--no-browser", `--port=${port}`], {
    cwd: ROOT,
    env: { ...process.env, JUPYTER_RUNTIME_DIR: runtime, JUPYTER_TOKEN: "", BROWSER: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  proc.stdout.on("data", (d) => (text += d));
  proc.stderr.on("data", (d) => (text += d));
  await until(() => /token=[0-9a-f]{48}\s*$/.test(text) || proc.exitCode != null, 120_000, "the URL");
  const url = /(http:\/\/127\.0\.0\.1:\d+\/\S+\?token=[0-9a-f]{48})\s*$/.exec(text)[1];
  return { proc, url, port, runtime, tmp, output: () => text };
}

async function startKernel(server) {
  const token = new URL(server.url).searchParams.get("token");
  const r = await request(`http://127.0.0.1:${server.port}/api/kernels?token=${token}`, { method: "POST", body: JSON.stringify({ name: "linear-landscapes" }) });
  assert.equal(r.status, 201, r.body);
  await until(() => pidsWith(server.runtime).length > 0, 30_000, "the kernel process");
}

const jupyter = findJupyter();

test("npm start prints the URL with token last; SIGTERM to npm start stops Jupyter and its kernel, frees the port", { skip: !jupyter && "Jupyter not installed (apt-get install jupyter-notebook)" }, async () => {
  const s = await startServer("npm", ["start", "--silent", "--"]);
  const lines = s.output().trim().split("\n");
  assert.match(lines[lines.length - 1], /^http:\/\/127\.0\.0\.1:\d+\/(lab|tree)\?token=/, "the URL is the last line");
  assert.match(s.output(), /is serving .* with kernel linear-landscapes/);
  assert.match(s.output(), /JupyterLab|interactive/);
  const page = await request(s.url);
  assert.equal(page.status, 200, "the printed URL opens without asking for a token");
  await startKernel(s);
  s.proc.kill("SIGTERM");
  await until(() => s.proc.exitCode != null || s.proc.signalCode != null, 30_000, "npm start to exit");
  await until(() => portFree(s.port), 20_000, "the port to be free");
  await until(() => pidsWith(s.runtime).length === 0, 20_000, "the kernel to stop");
  fs.rmSync(s.tmp, { recursive: true, force: true });
});

test("SIGINT to npm start (a Ctrl-C aimed at it alone) stops Jupyter and frees the port", { skip: !jupyter && "Jupyter not installed (apt-get install jupyter-notebook)" }, async () => {
  const s = await startServer("npm", ["start", "--silent", "--"]);
  s.proc.kill("SIGINT");
  await until(() => s.proc.exitCode != null || s.proc.signalCode != null, 30_000, "npm start to exit");
  await until(() => portFree(s.port), 30_000, "the port to be free");
  fs.rmSync(s.tmp, { recursive: true, force: true });
});

test("with another checkout's kernel registered, npm start opens the notebooks with this checkout's; SIGTERM to its Jupyter child stops it all", { skip: !jupyter && "Jupyter not installed (apt-get install jupyter-notebook)" }, async () => {
  const s = await startServer(process.execPath, [path.join(ROOT, "kernel", "start.js")], { foreignKernel: true });
  const derived = /installed: kernel (linear-landscapes-[a-z0-9._-]+) /.exec(s.output());
  assert.ok(derived, s.output());
  const token = new URL(s.url).searchParams.get("token");
  const specs = JSON.parse((await request(`http://127.0.0.1:${s.port}/api/kernelspecs?token=${token}`)).body).kernelspecs;
  assert.equal(specs["linear-landscapes"].spec.argv[1], path.join(ROOT, "kernel", "main.js"), "the notebooks' kernel name runs this checkout");
  assert.equal(specs[derived[1]].spec.argv[1], path.join(ROOT, "kernel", "main.js"));
  assert.equal(JSON.parse(fs.readFileSync(path.join(s.tmp, "jupyter", "kernels", "linear-landscapes", "kernel.json"), "utf8")).argv[1], "/elsewhere/kernel/main.js", "the other checkout's registration is untouched");
  await startKernel(s);
  const children = fs.readFileSync(`/proc/${s.proc.pid}/task/${s.proc.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
  assert.equal(children.length, 1);
  process.kill(children[0], "SIGTERM");
  await until(() => s.proc.exitCode != null || s.proc.signalCode != null, 30_000, "start.js to exit");
  await until(() => portFree(s.port), 20_000, "the port to be free");
  await until(() => pidsWith(s.runtime).length === 0, 20_000, "the kernel to stop");
  fs.rmSync(s.tmp, { recursive: true, force: true });
});
