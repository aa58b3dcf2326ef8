#!/usr/bin/env node
// `npm start`: registers the linear-landscapes kernel, then opens the course in Jupyter.
//
// JupyterLab (`jupyter lab`) when it is installed, else the classic Notebook (`jupyter notebook`), serving
// notebooks/ on 127.0.0.1 only, protected by a random token (or $JUPYTER_TOKEN when set), which is printed with
// the URL. Extra arguments go to Jupyter (e.g. `npm start -- --no-browser --port 8899`).
//
//   node kernel/start.js [--prefix DIR] [jupyter args...]
//     --prefix DIR  register the kernelspec in DIR (private, JUPYTER_PATH=DIR for the server) instead of the
//                   user's Jupyter data dir; used by the tests.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { spawn, spawnSync } = require("child_process");
const { install, findJupyter, NO_JUPYTER, KERNEL_NAME } = require("./install");

const ROOT = path.resolve(__dirname, "..");
const NOTEBOOKS = path.join(ROOT, "notebooks");

/** Does `jupyter <sub>` exist (jupyter-<sub> next to jupyter, or on PATH)? */
function hasSubcommand(jupyter, sub) {
  const dirs = [path.dirname(jupyter), ...(process.env.PATH || "").split(path.delimiter)];
  if (dirs.some((d) => d && fs.existsSync(path.join(d, `jupyter-${sub}`)))) return true;
  const r = spawnSync(jupyter, [sub, "--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0;
}

function main(argv) {
  let prefix;
  const passthrough = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--prefix") prefix = argv[++i];
    else if (argv[i].startsWith("--prefix=")) prefix = argv[i].slice(9);
    else passthrough.push(argv[i]);
  }
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(NO_JUPYTER);
    process.exit(1);
  }
  const env = { ...process.env };
  try {
    const r = install({ prefix });
    console.log(`kernel ${KERNEL_NAME}: ${r.changed ? "installed" : "up to date"} in ${r.dir}`);
    if (prefix) env.JUPYTER_PATH = [path.resolve(prefix), env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) {
    console.warn("note: the library is not built yet (dist/index.js missing); run `npm run build` so notebooks can import it.");
  }
  const app = hasSubcommand(jupyter, "lab") ? "lab" : "notebook";
  const token = env.JUPYTER_TOKEN || crypto.randomBytes(24).toString("hex");
  env.JUPYTER_TOKEN = token;
  const args = [app, "--ip=127.0.0.1", ...passthrough];
  // Jupyter refuses to run as root (containers, CI) unless told so; loopback + token keep it private.
  if (typeof process.getuid === "function" && process.getuid() === 0 && !args.includes("--allow-root")) args.push("--allow-root");
  console.log(`starting: ${jupyter} ${args.join(" ")}   (in ${path.relative(process.cwd(), NOTEBOOKS) || "."})`);
  console.log(`token: ${token}  (open the http://127.0.0.1:<port>/?token=... URL Jupyter prints below)`);
  const child = spawn(jupyter, args, { cwd: fs.existsSync(NOTEBOOKS) ? NOTEBOOKS : ROOT, env, stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(sig, () => {
      if (child.exitCode == null) child.kill(sig);
    });
  }
  child.on("exit", (code, signal) => process.exit(code == null ? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1) : code));
  child.on("error", (e) => {
    console.error(`could not start ${jupyter}: ${e.message}`);
    process.exit(1);
  });
}

main(process.argv.slice(2));
