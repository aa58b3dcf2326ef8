#!/usr/bin/env node
// `npm start`: registers this checkout's kernel, then opens the course in Jupyter.
//
// JupyterLab (`jupyter lab`) when it is installed, else the classic Notebook (`jupyter notebook`), serving
// notebooks/ on 127.0.0.1 only, protected by a random token (or $JUPYTER_TOKEN when set). Once Jupyter answers
// on its port, the last thing printed is the full URL with the token. It says which front end it started (with
// Notebook 6, charts are static PNGs; JupyterLab draws them interactively). Extra arguments go to Jupyter (e.g.
// `npm start -- --no-browser --port 8899`).
//
// The kernel is registered by kernel/install.js (under a derived name when `linear-landscapes` belongs to another
// checkout: see there); the notebooks ask for `linear-landscapes`, so the server gets a private kernelspec folder
// first on its JUPYTER_PATH (build/jupyter-start) in which that name runs this checkout's kernel.
//
// SIGINT, SIGTERM or SIGHUP to this process stop Jupyter with SIGTERM (it shuts its kernels down and frees the
// port; SIGKILL after 15 s), then this process exits; so does the death of the parent process. npm passes
// SIGINT/SIGTERM on to its script's process only, hence `"start": "exec node kernel/start.js"` (no shell in
// between that would swallow them). If Jupyter exits first, this process exits too.
//
//   node kernel/start.js [--prefix DIR] [--name NAME] [jupyter args...]
//     --prefix DIR  register the kernelspec in DIR (private, JUPYTER_PATH=DIR for the server) instead of the
//                   user's Jupyter data dir; used by the tests.
//     --name NAME   register the kernel under NAME (see kernel/install.js)
"use strict";
const fs = require("fs");
const path = require("path");
const http = require("http");
const crypto = require("crypto");
const { spawn, spawnSync } = require("child_process");
const { install, describe, kernelSpec, findJupyter, NO_JUPYTER, KERNEL_NAME } = require("./install");

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");
const SHADOW = path.join(ROOT, "build", "jupyter-start");

/** Does `jupyter <sub>` exist (jupyter-<sub> next to jupyter, or on PATH)? */
function hasSubcommand(jupyter, sub) {
  const dirs = [path.dirname(jupyter), ...(process.env.PATH || "").split(path.delimiter)];
  if (dirs.some((d) => d && fs.existsSync(path.join(d, `jupyter-${sub}`)))) return true;
  const r = spawnSync(jupyter, [sub, "--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0;
}

/** "JupyterLab 4.2.0" / "Jupyter Notebook 6.4.12" and whether charts are interactive there. */
function frontEnd(jupyter, app) {
  const r = spawnSync(jupyter, [app, "--version"], { encoding: "utf8", timeout: 30_000 });
  const version = ((r.stdout || "").trim().split("\n").pop() || "").trim() || "?";
  if (app === "lab") return { label: `JupyterLab ${version}`, note: "charts are interactive (Vega-Lite, sliders)" };
  const major = parseInt(version, 10);
  if (major >= 7) return { label: `Jupyter Notebook ${version}`, note: "charts are interactive (Vega-Lite, sliders)" };
  return {
    label: `Jupyter Notebook ${version} (classic)`,
    note: "charts show as static PNG images here; JupyterLab gives interactive charts with sliders (pip install jupyterlab, then npm start again)",
  };
}

/** Resolves when GET /api/status with the token answers 200 on `port`, or rejects after `ms`. */
function waitListening(port, token, ms, stopped) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (stopped()) return reject(new Error("Jupyter exited"));
      const req = http.get({ host: "127.0.0.1", port, path: "/api/status", headers: { Authorization: `token ${token}` }, timeout: 2000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else retry();
      });
      req.on("error", retry);
      req.on("timeout", () => req.destroy());
    };
    const retry = () => (Date.now() > deadline ? reject(new Error(`Jupyter did not answer on port ${port} within ${ms / 1000} s`)) : setTimeout(attempt, 250));
    attempt();
  });
}

function main(argv) {
  let prefix;
  let name;
  const passthrough = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--prefix") prefix = argv[++i];
    else if (argv[i].startsWith("--prefix=")) prefix = argv[i].slice(9);
    else if (argv[i] === "--name") name = argv[++i];
    else if (argv[i].startsWith("--name=")) name = argv[i].slice(7);
    else passthrough.push(argv[i]);
  }
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(NO_JUPYTER);
    process.exit(1);
  }
  const env = { ...process.env };
  let reg;
  try {
    reg = install({ prefix, name });
    console.log(describe(reg));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const jupyterPath = [prefix && path.resolve(prefix), env.JUPYTER_PATH].filter(Boolean);
  if (reg.name !== KERNEL_NAME) {
    // the notebooks ask for `linear-landscapes`: in this server that name runs this checkout's kernel
    const dir = path.join(SHADOW, "kernels", KERNEL_NAME);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(reg.displayName), null, 2) + "\n");
    jupyterPath.unshift(SHADOW);
    console.log(`this server opens the notebooks (kernel ${KERNEL_NAME} in their metadata) with kernel ${reg.name} of this checkout`);
  }
  if (jupyterPath.length) env.JUPYTER_PATH = jupyterPath.join(path.delimiter);
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) {
    console.warn("note: the library is not built yet (dist/index.js missing); run `npm run build` so notebooks can import it.");
  }
  const app = hasSubcommand(jupyter, "lab") ? "lab" : "notebook";
  const fe = frontEnd(jupyter, app);
  const token = env.JUPYTER_TOKEN || crypto.randomBytes(24).toString("hex");
  env.JUPYTER_TOKEN = token;
  const args = [app, "--ip=127.0.0.1", ...passthrough];
  // Jupyter refuses to run as root (containers, CI) unless told so; loopback + token keep it private.
  if (typeof process.getuid === "function" && process.getuid() === 0 && !args.includes("--allow-root")) args.push("--allow-root");
  console.log(`starting ${fe.label}: ${jupyter} ${args.join(" ")}   (in ${path.relative(process.cwd(), NOTEBOOKS) || "."})`);
  // own process group and no stdin: a Ctrl-C in the terminal reaches only us, and we stop Jupyter with SIGTERM
  // (SIGINT would make the classic Notebook ask for confirmation)
  const child = spawn(jupyter, args, { cwd: fs.existsSync(NOTEBOOKS) ? NOTEBOOKS : ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let port = null;
  const portArg = args.map((a, i) => (a === "--port" ? args[i + 1] : /^--port=/.test(a) ? a.slice(7) : null)).find(Boolean);
  let announced = false;
  const announce = async () => {
    if (announced || !port) return;
    announced = true;
    try {
      await waitListening(port, token, 120_000, () => child.exitCode != null || child.signalCode != null);
      const url = `http://127.0.0.1:${port}/${app === "lab" ? "lab" : "tree"}?token=${token}`;
      console.log(`\n${fe.label} is serving ${path.relative(process.cwd(), NOTEBOOKS) || "."} with kernel ${reg.name}; ${fe.note}.`);
      console.log("stop it with Ctrl-C (or SIGTERM); open:");
      console.log(url);
    } catch (e) {
      if (child.exitCode == null) console.error(`npm start: ${e.message}`);
    }
  };
  const watch = (stream, out) => {
    let buf = "";
    stream.on("data", (d) => {
      out.write(d);
      if (port) return;
      buf = (buf + d.toString()).slice(-4096);
      const m = /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\//.exec(buf);
      if (m) {
        port = Number(m[1]);
        announce();
      }
    });
  };
  watch(child.stdout, process.stdout);
  watch(child.stderr, process.stderr);
  if (portArg) {
    port = Number(portArg);
    announce();
  }
  let stopping = false;
  const stop = (sig) => {
    if (stopping || child.exitCode != null || child.signalCode != null) return;
    stopping = true;
    console.log(`\nnpm start: ${sig}: stopping Jupyter and its kernels`);
    try {
      process.kill(child.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 15_000).unref();
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => stop(sig));
  // a parent that dies without passing its signal on (npm through a shell, an IDE's wrapper): losing it is the
  // same request to stop
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop("parent process (npm start) exited");
  }, 500).unref();
  child.on("exit", (code, signal) => process.exit(code == null ? (stopping || signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1) : stopping ? 0 : code));
  child.on("error", (e) => {
    console.error(`could not start ${jupyter}: ${e.message}`);
    process.exit(1);
  });
}

main(process.argv.slice(2));
