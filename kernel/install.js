#!/usr/bin/env node
// Registers the project kernel `linear-landscapes` ("TypeScript (linear-landscapes)") for this checkout.
//
//   node kernel/install.js                 user mode: <jupyter --data-dir>/kernels/linear-landscapes/
//   node kernel/install.js --prefix DIR    private mode: DIR/kernels/linear-landscapes/ (use with JUPYTER_PATH=DIR)
//   node kernel/install.js --print         print the kernel.json that would be written, write nothing
//
// The kernelspec runs this checkout's kernel with the absolute path of the node binary that runs this script
// (so a notebook server started from another environment still uses the same Node), e.g.
//   ["/usr/bin/node", "/abs/checkout/kernel/main.js", "{connection_file}"].
// Idempotent: an identical kernel.json is left untouched ("up to date"); a stale one is replaced.
// Private mode needs no Jupyter at all (tests and CI point JUPYTER_PATH at DIR); user mode asks Jupyter for
// its data directory and stops with a clear message when Jupyter is missing.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const KERNEL_NAME = "linear-landscapes";
const DISPLAY_NAME = "TypeScript (linear-landscapes)";
const ENTRY = path.join(__dirname, "main.js");
const LOGO_SVG = path.join(__dirname, "logo.svg");

const NO_JUPYTER = [
  "linear-landscapes: Jupyter was not found (neither /usr/bin/jupyter nor `jupyter` on PATH).",
  "Install it with one of:",
  "  pip install jupyterlab",
  "  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient   (Debian/Ubuntu)",
  "then run `npm run kernel:install` again.",
].join("\n");

/** The kernel.json content for this checkout. */
function kernelSpec() {
  return {
    argv: [process.execPath, ENTRY, "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { "linear-landscapes": { checkout: ROOT, tslab: tslabVersion() } },
  };
}

function tslabVersion() {
  try {
    return require(path.join(ROOT, "node_modules", "tslab", "package.json")).version;
  } catch {
    return null;
  }
}

/** Finds the `jupyter` executable: /usr/bin/jupyter first (Debian's, see DEVELOPERS.md), then PATH. */
function findJupyter() {
  // LINEAR_LANDSCAPES_JUPYTER overrides the search (tests use a missing path to check the no-Jupyter message).
  if (process.env.LINEAR_LANDSCAPES_JUPYTER !== undefined) {
    const j = process.env.LINEAR_LANDSCAPES_JUPYTER;
    return j && fs.existsSync(j) ? j : null;
  }
  const candidates = ["/usr/bin/jupyter"];
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, "jupyter"));
  }
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      /* not there */
    }
  }
  return null;
}

/** `jupyter --data-dir` of the user's Jupyter, or throws with the install hint. */
function userDataDir() {
  const jupyter = findJupyter();
  if (!jupyter) {
    const e = new Error(NO_JUPYTER);
    e.code = "NO_JUPYTER";
    throw e;
  }
  const r = spawnSync(jupyter, ["--data-dir"], { encoding: "utf8" });
  const dir = (r.stdout || "").trim();
  if (r.status !== 0 || !dir) {
    const e = new Error(`linear-landscapes: \`${jupyter} --data-dir\` failed:\n${r.stderr || r.error}\n${NO_JUPYTER}`);
    e.code = "NO_JUPYTER";
    throw e;
  }
  return { jupyter, dir };
}

function writeIfChanged(file, content) {
  try {
    if (Buffer.compare(fs.readFileSync(file), Buffer.from(content)) === 0) return false;
  } catch {
    /* missing */
  }
  fs.writeFileSync(file, content);
  return true;
}

/** Renders the SVG logo to the PNG sizes Jupyter looks for (best effort: skipped if resvg is missing). */
function logos(dest) {
  if (!fs.existsSync(LOGO_SVG)) return [];
  const svg = fs.readFileSync(LOGO_SVG);
  const written = [];
  if (writeIfChanged(path.join(dest, "logo-svg.svg"), svg)) written.push("logo-svg.svg");
  let Resvg;
  try {
    ({ Resvg } = require(path.join(ROOT, "node_modules", "@resvg", "resvg-js")));
  } catch {
    return written;
  }
  for (const size of [32, 64]) {
    const png = new Resvg(svg, { fitTo: { mode: "width", value: size }, font: { loadSystemFonts: false } }).render().asPng();
    if (writeIfChanged(path.join(dest, `logo-${size}x${size}.png`), png)) written.push(`logo-${size}x${size}.png`);
  }
  return written;
}

/**
 * Installs the kernelspec. `prefix` given: into `prefix/kernels/linear-landscapes`; otherwise into the user's
 * Jupyter data dir. Returns `{ dir, file, changed }`. Throws (code NO_JUPYTER) in user mode without Jupyter.
 */
function install({ prefix } = {}) {
  const base = prefix ? path.resolve(prefix) : userDataDir().dir;
  const dir = path.join(base, "kernels", KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "kernel.json");
  const changed = writeIfChanged(file, JSON.stringify(kernelSpec(), null, 2) + "\n");
  const logoFiles = logos(dir);
  return { dir, file, changed: changed || logoFiles.length > 0 };
}

function parseArgs(argv) {
  const opts = { prefix: undefined, print: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--prefix") {
      opts.prefix = argv[++i];
      if (!opts.prefix) throw new Error("--prefix needs a directory");
    } else if (a.startsWith("--prefix=")) opts.prefix = a.slice("--prefix=".length);
    else if (a === "--user") opts.prefix = undefined;
    else if (a === "--print") opts.print = true;
    else if (a === "--quiet" || a === "-q") opts.quiet = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node kernel/install.js [--prefix DIR] [--print] [--quiet]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (require.main === module) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`kernel/install.js: ${e.message}`);
    process.exit(2);
  }
  if (opts.print) {
    console.log(JSON.stringify(kernelSpec(), null, 2));
    process.exit(0);
  }
  try {
    const r = install(opts);
    if (!opts.quiet) {
      console.log(`${r.changed ? "installed" : "up to date"}: kernelspec ${KERNEL_NAME} (${DISPLAY_NAME}) in ${r.dir}`);
      if (opts.prefix) console.log(`use it with JUPYTER_PATH=${path.resolve(opts.prefix)}`);
    }
  } catch (e) {
    console.error(e.code === "NO_JUPYTER" ? e.message : `kernel/install.js: ${e.stack || e}`);
    process.exit(1);
  }
}

module.exports = { install, kernelSpec, findJupyter, userDataDir, KERNEL_NAME, DISPLAY_NAME, ENTRY, NO_JUPYTER };
