#!/usr/bin/env node
// Registers the project kernel for this checkout: `linear-landscapes` ("TypeScript (linear-landscapes)").
//
//   node kernel/install.js                 user mode: <jupyter --data-dir>/kernels/NAME/
//   node kernel/install.js --prefix DIR    private mode: DIR/kernels/NAME/ (use with JUPYTER_PATH=DIR)
//   node kernel/install.js --name NAME     register under NAME (replaces whatever NAME pointed to)
//   node kernel/install.js --print         print the kernel.json that would be written, write nothing
//
// Forks side by side: the plain name (the package name, `linear-landscapes`) is used when it is free or already
// points to this checkout. When it points to another checkout, the kernel is registered under a name derived from
// the package name and this checkout's folder, e.g. `linear-landscapes-my-fork` ("TypeScript (linear-landscapes ·
// my-fork)"), plus a short hash of the path if that is taken too; a checkout registered before keeps its name.
// Another checkout's kernel is never replaced without --name. The name registered is printed.
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
const crypto = require("crypto");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const PKG_NAME = (() => {
  try {
    return require(path.join(ROOT, "package.json")).name || "linear-landscapes";
  } catch {
    return "linear-landscapes";
  }
})();
/** The plain kernel name (what the notebooks' metadata asks for) and its display name. */
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

/** The kernel.json content for this checkout (`displayName` defaults to the plain one). */
function kernelSpec(displayName = DISPLAY_NAME) {
  return {
    argv: [process.execPath, ENTRY, "{connection_file}"],
    display_name: displayName,
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

/** The checkout a kernelspec directory runs (its metadata, else the main.js in its argv), or null if unreadable. */
function checkoutOf(dir) {
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8"));
    const meta = spec.metadata && spec.metadata["linear-landscapes"];
    if (meta && meta.checkout) return path.resolve(meta.checkout);
    const entry = (spec.argv || []).find((a) => /kernel[\\/]main\.js$/.test(a));
    return entry ? path.resolve(path.dirname(entry), "..") : "(another kernel)";
  } catch {
    return null;
  }
}

const slug = (s) =>
  String(s)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "") || "checkout";

/**
 * The name and display name to register in `kernelsDir` for this checkout: `name` when given; else a name this
 * checkout already has there; else the plain name if free; else `<package>-<folder>`, then `<package>-<folder>-<hash>`.
 * Returns `{ name, displayName, derived, replaces }` (`replaces`: the checkout a forced --name takes over).
 */
function chooseName(kernelsDir, name) {
  const owner = (n) => checkoutOf(path.join(kernelsDir, n));
  if (name) {
    const other = owner(name);
    return { name, displayName: name === KERNEL_NAME ? DISPLAY_NAME : `TypeScript (${name})`, derived: false, replaces: other && other !== ROOT ? other : null };
  }
  const folder = path.basename(ROOT);
  const candidates = [
    [KERNEL_NAME, DISPLAY_NAME],
    [`${slug(PKG_NAME)}-${slug(folder)}`, `TypeScript (${PKG_NAME} · ${folder})`],
    [`${slug(PKG_NAME)}-${slug(folder)}-${crypto.createHash("sha256").update(ROOT).digest("hex").slice(0, 6)}`, `TypeScript (${PKG_NAME} · ${folder} · ${ROOT})`],
  ];
  // a name registered earlier for this checkout stays its name
  for (const [n, d] of candidates) if (owner(n) === ROOT) return { name: n, displayName: d, derived: n !== KERNEL_NAME, replaces: null };
  for (const [n, d] of candidates) if (owner(n) === null && !fs.existsSync(path.join(kernelsDir, n))) return { name: n, displayName: d, derived: n !== KERNEL_NAME, replaces: null };
  throw new Error(`kernel names ${candidates.map((c) => c[0]).join(", ")} in ${kernelsDir} all belong to other checkouts; choose one with --name`);
}

/**
 * Installs the kernelspec. `prefix` given: into `prefix/kernels/NAME`; otherwise into the user's Jupyter data dir.
 * NAME is chosen by chooseName (never another checkout's kernel unless `name` forces it). Returns
 * `{ name, displayName, derived, replaces, dir, file, changed }`. Throws (code NO_JUPYTER) in user mode without Jupyter.
 */
function install({ prefix, name } = {}) {
  const base = prefix ? path.resolve(prefix) : userDataDir().dir;
  const kernelsDir = path.join(base, "kernels");
  const chosen = chooseName(kernelsDir, name);
  const dir = path.join(kernelsDir, chosen.name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "kernel.json");
  const changed = writeIfChanged(file, JSON.stringify(kernelSpec(chosen.displayName), null, 2) + "\n");
  const logoFiles = logos(dir);
  return { ...chosen, dir, file, changed: changed || logoFiles.length > 0 };
}

/** The line saying what was registered (printed by kernel:install and npm start). */
function describe(r) {
  let s = `${r.changed ? "installed" : "up to date"}: kernel ${r.name} ("${r.displayName}") for ${ROOT} in ${r.dir}`;
  if (r.derived) s += `\n  (the name ${KERNEL_NAME} belongs to another checkout, ${checkoutOf(path.join(path.dirname(r.dir), KERNEL_NAME))}; it was left alone)`;
  if (r.replaces) s += `\n  (--name ${r.name}: replaced the kernel that ran ${r.replaces})`;
  return s;
}

function parseArgs(argv) {
  const opts = { prefix: undefined, name: undefined, print: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--prefix") {
      opts.prefix = argv[++i];
      if (!opts.prefix) throw new Error("--prefix needs a directory");
    } else if (a.startsWith("--prefix=")) opts.prefix = a.slice("--prefix=".length);
    else if (a === "--name" || a.startsWith("--name=")) {
      opts.name = a === "--name" ? argv[++i] : a.slice("--name=".length);
      if (!opts.name || !/^[a-z0-9._-]+$/.test(opts.name)) throw new Error("--name needs a kernel name of lower-case letters, digits, '.', '_' or '-'");
    } else if (a === "--user") opts.prefix = undefined;
    else if (a === "--print") opts.print = true;
    else if (a === "--quiet" || a === "-q") opts.quiet = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node kernel/install.js [--prefix DIR] [--name NAME] [--print] [--quiet]");
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
      console.log(describe(r));
      if (opts.prefix) console.log(`use it with JUPYTER_PATH=${path.resolve(opts.prefix)}`);
    }
  } catch (e) {
    console.error(e.code === "NO_JUPYTER" ? e.message : `kernel/install.js: ${e.stack || e}`);
    process.exit(1);
  }
}

module.exports = { install, describe, chooseName, checkoutOf, kernelSpec, findJupyter, userDataDir, KERNEL_NAME, DISPLAY_NAME, ENTRY, NO_JUPYTER };
