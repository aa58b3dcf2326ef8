#!/usr/bin/env node
// `npm run course`: executes the notebook course through the project kernel and builds the HTML course.
// Needs Node only (no Python, no Jupyter).
//
//   npm run course                     all notebooks/NN-*.ipynb, in name order
//   npm run course -- 00 02            only the notebooks whose names start with 00 or 02
//   npm run course -- --allow-errors   keep executing after a failing cell (still reported, still exit 1)
//   options: --jobs N (2), --timeout S per cell (120), --build (always rebuild dist/), --no-site,
//            --notebooks DIR (default notebooks/), --out DIR (default build/)
//
// Steps: build dist/ if src/ is newer (tsc), install the kernelspec privately in build/jupyter, run the
// notebooks with the Node Jupyter client (kernel/client/: the messaging protocol over zeromq, as nbclient does),
// N at a time, each on its own kernel; write executed notebooks to build/notebooks/ (no timings or other
// wall-clock data in them), claim verdicts to build/verdicts.json, kernel logs and per-cell times to
// build/logs/, the site to build/site/. Fails (exit 1) on the first failing cell in notebook order (notebook,
// code cell as the notebook numbers it, In [n], line, ename, evalue, traceback), on any output to the kernel's
// stderr stream or process stderr, and on any claim that does not hold. Prints per-notebook wall time and
// claim counts.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { findKernelSpec } = require("./client/kernel");
const { runNotebook, cellRef } = require("./client/run-notebook");
const { parseNotebook } = require("./client/nbformat");

const ROOT = path.resolve(__dirname, "..");
const KERNEL = "linear-landscapes";

function usage(code) {
  console.log(
    "usage: npm run course -- [NN ...] [--allow-errors] [--jobs N] [--timeout S] [--build] [--no-site] [--notebooks DIR] [--out DIR]",
  );
  process.exit(code);
}

function parseArgs(argv) {
  const o = { filters: [], allowErrors: false, jobs: 2, timeout: 120, forceBuild: false, site: true, notebooks: path.join(ROOT, "notebooks"), out: path.join(ROOT, "build") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(2);
      return argv[++i];
    };
    if (a === "--allow-errors") o.allowErrors = true;
    else if (a === "--jobs" || a === "-j") o.jobs = Math.max(1, parseInt(val(), 10) || 1);
    else if (a === "--timeout") o.timeout = Math.max(1, parseInt(val(), 10) || 120);
    else if (a === "--build") o.forceBuild = true;
    else if (a === "--no-site") o.site = false;
    else if (a === "--notebooks") o.notebooks = path.resolve(val());
    else if (a === "--out") o.out = path.resolve(val());
    else if (a === "-h" || a === "--help") usage(0);
    else if (a.startsWith("-")) {
      console.error(`course: unknown option ${a}`);
      usage(2);
    } else o.filters.push(a.replace(/\.ipynb$/, "").replace(/^.*\//, ""));
  }
  return o;
}

const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
const rel = (p) => path.relative(process.cwd(), p) || ".";

function newestMtime(dir, test) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, test));
    else if (test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with `npm run build` when src/ (or tsconfig/package.json) is newer than dist/index.js. */
function ensureBuilt(force) {
  const t0 = Date.now();
  const distIndex = path.join(ROOT, "dist", "index.js");
  const built = fs.existsSync(distIndex) ? fs.statSync(distIndex).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(path.join(ROOT, "src"), (f) => f.endsWith(".ts")),
    ...["tsconfig.json", "package.json"].map((f) => (fs.existsSync(path.join(ROOT, f)) ? fs.statSync(path.join(ROOT, f)).mtimeMs : 0)),
  );
  if (!force && built > sources) {
    const r = spawnSync(process.execPath, [path.join(ROOT, "kernel", "link-self.js")], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("kernel/link-self.js failed");
    console.log(`[course] build: dist/ is up to date with src/ (${sec(Date.now() - t0)})`);
    return Date.now() - t0;
  }
  console.log(`[course] build: ${force ? "forced" : built ? "src/ changed" : "dist/ missing"}; npm run build`);
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
  console.log(`[course] build: done in ${sec(Date.now() - t0)}`);
  return Date.now() - t0;
}

/** Writes the kernelspec under DIR/kernels/linear-landscapes with kernel/install.js --prefix DIR. */
function installKernel(prefix) {
  const installer = path.join(ROOT, "kernel", "install.js");
  if (!fs.existsSync(installer)) throw new Error("kernel/install.js is missing: the project kernel cannot be registered");
  // the private prefix belongs to this checkout: the plain name is this checkout's there (--name)
  const r = spawnSync(process.execPath, [installer, "--prefix", prefix, "--name", KERNEL], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kernel/install.js --prefix ${rel(prefix)} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const spec = path.join(prefix, "kernels", KERNEL, "kernel.json");
  if (!fs.existsSync(spec)) throw new Error(`kernel/install.js did not write ${rel(spec)}`);
}

function readJson(file, dflt) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return dflt;
  }
}

function indent(text, pad = "    ", maxLines = 40) {
  const lines = String(text).replace(/\s+$/, "").split("\n");
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines)`] : lines;
  return shown.map((l) => pad + l).join("\n");
}

/**
 * A cell named as the notebook shows it: "code cell 4 (In [4], line 2: `x.foo()`)". `ref` carries code_cell (the
 * ordinal among code cells, 1-based), execution_count, line/line_text (from the kernel's traceback) and the first
 * source line.
 */
function cellName(ref) {
  if (!ref || ref.cell == null) return "before the first cell";
  const parts = [`In [${ref.execution_count ?? " "}]`];
  if (ref.line) parts.push(`line ${ref.line}${ref.column ? `:${ref.column}` : ""}${ref.line_text != null ? `: \`${ref.line_text.trim().slice(0, 120)}\`` : ""}`);
  else if (ref.source) parts.push(`\`${ref.source}\``);
  return `code cell ${ref.code_cell ?? "?"} (${parts.join(", ")})`;
}

/** Human-readable failure descriptions for one notebook result, in cell order. */
function describeFailures(r, claims, srcRel, nb) {
  const items = [];
  const errs = [...(r.cell_errors || [])];
  if (r.error && r.error.cell == null) errs.push(r.error); // start-up failure: no cell
  for (const e of errs) {
    let msg = `${srcRel}: ${cellName(e)} failed:\n    ${e.ename}: ${String(e.evalue).split("\n")[0]}`;
    const head = `${e.ename}: ${String(e.evalue).split("\n")[0]}`.trim();
    const tbLines = String(e.traceback || "").trim().split("\n");
    if (tbLines[0].trim() === head) tbLines.shift();
    const tb = tbLines.join("\n").trim();
    if (tb && tb !== String(e.evalue).trim()) msg += `\n${indent(tb, "      ")}`;
    items.push({ cell: e.cell ?? -1, msg });
  }
  for (const s of r.stderr_cells || []) {
    items.push({ cell: s.cell, msg: `${srcRel}: ${cellName(s)} wrote to the kernel's stderr:\n${indent(s.text, "      ")}` });
  }
  for (const s of r.late_outputs || []) {
    items.push({ cell: s.cell, msg: `${srcRel}: ${cellName(s)} produced ${s.msg_type === "error" ? "an error" : "stderr output"} after it had finished (it arrived while cell ${s.arrived_during} ran):\n${indent(s.text, "      ")}` });
  }
  const errorCells = new Set((r.cell_errors || []).map((e) => e.cell));
  // a failing claim throws, so its cell already has an error; report claims only where nothing else did
  for (const c of claims.filter((c) => !c.pass && !errorCells.has(c.cell))) {
    const where = nb ? cellName(cellRef(nb, c.cell)) : `cell ${c.cell}`;
    items.push({ cell: c.cell, msg: `${srcRel}: ${where}: claim ${c.label} does not hold: expected ${JSON.stringify(c.expected)}, measured ${JSON.stringify(c.measured)}, tol ${c.tol}` });
  }
  if ((r.kernel_stderr || "").trim()) {
    items.push({ cell: Infinity, msg: `${srcRel}: the kernel process wrote to stderr (${rel(r.kernel_log)}):\n${indent(r.kernel_stderr, "      ", 20)}` });
  }
  for (const p of r.protocol_errors || []) items.push({ cell: Infinity, msg: `${srcRel}: messaging fault: ${p}` });
  items.sort((a, b) => a.cell - b.cell);
  return items.map((i) => i.msg);
}

/** Runs `work(item)` over `items`, at most `jobs` at a time; results in the order of `items`. */
async function runPool(items, jobs, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const timings = {};

  if (!fs.existsSync(o.notebooks)) throw new Error(`no notebooks folder at ${rel(o.notebooks)}`);
  const all = fs
    .readdirSync(o.notebooks)
    .filter((f) => /\.ipynb$/.test(f) && !f.startsWith("."))
    .sort();
  const selected = o.filters.length ? all.filter((f) => o.filters.some((p) => f.startsWith(p))) : all;
  if (o.filters.length) {
    const unmatched = o.filters.filter((p) => !all.some((f) => f.startsWith(p)));
    if (unmatched.length) throw new Error(`no notebook matches ${unmatched.join(", ")} in ${rel(o.notebooks)} (have: ${all.join(", ") || "none"})`);
  }
  if (!selected.length) throw new Error(`no notebooks in ${rel(o.notebooks)}`);

  timings.build = ensureBuilt(o.forceBuild);
  const prefix = path.join(o.out, "jupyter");
  let t = Date.now();
  installKernel(prefix);
  timings.kernelspec = Date.now() - t;

  const nbOut = path.join(o.out, "notebooks");
  const logs = path.join(o.out, "logs");
  fs.mkdirSync(nbOut, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });
  // executed copies: a full run starts clean; a partial run replaces only its notebooks and drops
  // copies whose source notebook no longer exists
  for (const f of fs.readdirSync(nbOut)) {
    if (!f.endsWith(".ipynb")) continue;
    if (!o.filters.length || selected.includes(f) || !all.includes(f)) fs.rmSync(path.join(nbOut, f));
  }

  // longest first (from the previous run's times) keeps both workers busy until the end
  const timingFile = path.join(o.out, "course-timings.json");
  const previous = readJson(timingFile, {});
  const schedule = [...selected].sort((a, b) => (previous[b] || 0) - (previous[a] || 0) || a.localeCompare(b));

  console.log(`[course] executing ${selected.length} notebook(s) with kernel ${KERNEL}, ${o.jobs} at a time, cell timeout ${o.timeout} s`);
  const spec = findKernelSpec(KERNEL, [path.join(prefix, "kernels")]);
  t = Date.now();
  const results = await runPool(schedule, o.jobs, async (f) => {
    const name = f.replace(/\.ipynb$/, "");
    console.log(`[course] start  ${name}`);
    const r = await runNotebook({ source: path.join(o.notebooks, f), output: path.join(nbOut, f), logs, spec, timeoutSec: o.timeout, allowErrors: o.allowErrors });
    console.log(`[course] ${r.ok ? "done " : "FAIL "}  ${name}  ${r.wall.toFixed(1)} s`);
    return r;
  });
  timings.execute = Date.now() - t;
  // per-cell wall times: logs only, never in the executed notebooks (they stay byte-identical across runs)
  for (const r of results) {
    fs.writeFileSync(path.join(logs, `${r.notebook}.timing.json`), JSON.stringify({ notebook: r.notebook, wall: r.wall, cells: r.cell_times.map(([cell, s]) => ({ cell, s })) }, null, 1) + "\n");
  }

  const { extractClaims, listNotebooks, buildSite } = require("./site/build.js");
  const byName = Object.fromEntries(results.map((r) => [r.notebook, r]));
  const failures = [];
  const rows = [];
  let claimsPassed = 0;
  let claimsFailed = 0;
  const newTimings = { ...previous };
  for (const f of selected) {
    const name = f.replace(/\.ipynb$/, "");
    const r = byName[name];
    const srcRel = path.relative(ROOT, path.join(o.notebooks, f));
    if (!r) {
      failures.push(`${srcRel}: no result (runner crashed?)`);
      continue;
    }
    newTimings[f] = Math.round(r.wall * 10) / 10;
    const nb = readJson(r.output, null);
    const claims = nb ? extractClaims(nb, name) : [];
    const msgs = describeFailures(r, claims, srcRel, nb && parseNotebook(JSON.stringify(nb)));
    if (!nb) msgs.push(`${srcRel}: executed notebook ${rel(r.output)} was not written`);
    const ok = r.ok && msgs.length === 0;
    const np = claims.filter((c) => c.pass).length;
    claimsPassed += np;
    claimsFailed += claims.length - np;
    rows.push({ name, ok, wall: r.wall, claims: claims.length, np, cells: (r.cell_times || []).length });
    failures.push(...msgs);
  }
  fs.writeFileSync(timingFile, JSON.stringify(newTimings, null, 1) + "\n");

  // verdicts of every executed notebook present (all of them after a full run)
  const executed = listNotebooks(nbOut);
  const verdicts = [];
  for (const { name, file } of executed) {
    const nb = readJson(file, null);
    if (nb) verdicts.push(...extractClaims(nb, name));
  }
  const verdictRows = verdicts.map(({ notebook, label, statement, expected, measured, tol, pass, cell, mode, source, ref, detail }) => ({ notebook, label, statement, expected, source, ref, measured, tol, pass, cell, mode, detail }));
  fs.writeFileSync(path.join(o.out, "verdicts.json"), JSON.stringify(verdictRows, null, 1) + "\n");

  let site = null;
  if (o.site) {
    t = Date.now();
    site = await buildSite({ notebooks: executed, outDir: path.join(o.out, "site"), verdicts: verdictRows });
    timings.site = Date.now() - t;
    for (const w of site.warnings) console.log(`[course] site warning: ${w}`);
  }

  // report
  console.log("");
  console.log("notebook                                   result   wall     cells  claims");
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(42)} ${r.ok ? "ok  " : "FAIL"}   ${sec(r.wall * 1000).padStart(7)}  ${String(r.cells).padStart(5)}  ${r.claims ? `${r.np}/${r.claims} hold` : "–"}`,
    );
  }
  const total = Date.now() - t0;
  console.log(
    `\n[course] build ${sec(timings.build)}, kernelspec ${sec(timings.kernelspec)}, execution ${sec(timings.execute)} ` +
      `(${o.jobs} parallel)${o.site ? `, site ${sec(timings.site)}` : ""}; total ${sec(total)}`,
  );
  console.log(`[course] claims: ${claimsPassed} hold, ${claimsFailed} fail; verdicts (${verdictRows.length}) -> ${rel(path.join(o.out, "verdicts.json"))}`);
  console.log(`[course] executed notebooks -> ${rel(nbOut)}/, kernel logs -> ${rel(logs)}/`);
  if (site) console.log(`[course] site: ${site.pages.length} pages, ${site.charts} charts -> ${rel(path.join(o.out, "site", "index.html"))}`);
  if (o.filters.length && executed.length > selected.length) console.log(`[course] note: partial run; the site also shows ${executed.length - selected.length} notebook(s) executed earlier`);

  if (!o.filters.length && timings.execute > 60000) console.log(`[course] warning: execution took ${sec(timings.execute)}, over the course's 60 s budget`);
  const nbFailed = rows.filter((r) => !r.ok).length + (selected.length - rows.length);
  if (failures.length) {
    console.log(`\n[course] FAILED: ${failures.length} problem(s); the first, in notebook order:`);
    console.log(failures.map((f, i) => (i === 0 ? `  ${f}` : `  ${f}`)).join("\n\n"));
  }
  console.log(`${selected.length - nbFailed} passed, ${nbFailed} failed`);
  process.exit(failures.length || nbFailed ? 1 : 0);
}

main().catch((e) => {
  console.error(`[course] error: ${e.message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
