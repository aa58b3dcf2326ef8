#!/usr/bin/env node
// Cross-check of the course runner: executes the chapters again with Python's nbclient (kernel/run_notebooks.py,
// on the same kernelspec) and compares with what the Node runner wrote in build/notebooks/ (run `npm run course`
// first): same cells, execution counts, outputs and language_info, and the same file bytes. Outputs that differ
// only in durations or other numbers their cells print (timings: wall-clock, not the runner's) are listed but
// pass, unless --strict. One test per
// notebook; prints `N passed, N failed`. Needs /usr/bin/python3 with nbclient; without it prints one NOT RUN
// line (exit 0, or exit 1 under LL_REQUIRE_ALL=1).
//
//   node kernel/crosscheck.js [NN ...] [--strict] [--jobs N] [--built DIR (build/notebooks)] [--out DIR (build/crosscheck)]
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { parseNotebook } = require("./client/nbformat");
const { PREREQS, PYTHON, requireAll, notRunLine } = require("./prereqs");

const ROOT = path.resolve(__dirname, "..");

/** Durations written by cell code ("0.615 s", "12 ms"): wall-clock figures that legitimately differ between runs. */
const DURATION = /\b\d+(?:\.\d+)?(?:e[-+]?\d+)? ?(?:ms|s)\b/g;
/** Any number in text (a table's "ms" column, say). */
const NUMBER = /-?\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/g;

/**
 * Differences between two parsed notebooks, as short strings (empty when they agree). Unless `strict`, an output
 * whose only differences are durations ("0.615 s") or, failing that, other numbers in its text (timing columns
 * of tables) counts as agreeing: the runners cannot make cell code take equally long. Such outputs are listed in
 * `diffs.timing` ("cell 9 output 1: 3 numbers") so that a reader can check they are timings.
 */
function compareNotebooks(a, b, { strict = false } = {}) {
  const diffs = [];
  diffs.timing = [];
  const same = (x, y, where) => {
    const [jx, jy] = [JSON.stringify(x), JSON.stringify(y)];
    if (jx === jy) return true;
    if (strict) return false;
    // numbers of other widths also change the padding of plain-text tables
    const loose = (j) => j.replace(NUMBER, "#").replace(/ +/g, " ").replace(/-{2,}/g, "--");
    for (const [re, what, norm] of [[DURATION, "duration", (j) => j.replace(DURATION, "#")], [NUMBER, "number", loose]]) {
      if (norm(jx) !== norm(jy)) continue;
      const [dx, dy] = [jx.match(re) || [], jy.match(re) || []];
      diffs.timing.push(`${where}: ${dx.filter((d, i) => d !== dy[i]).length} ${what}(s)`);
      return true;
    }
    return false;
  };
  if (!same(a.metadata.language_info, b.metadata.language_info, "language_info")) diffs.push("metadata.language_info differs");
  if (a.cells.length !== b.cells.length) return Object.assign([...diffs, `cell count ${a.cells.length} vs ${b.cells.length}`], { timing: [] });
  a.cells.forEach((ca, i) => {
    const cb = b.cells[i];
    if (ca.cell_type !== cb.cell_type || ca.source !== cb.source) diffs.push(`cell ${i}: source differs`);
    if (ca.cell_type !== "code") return;
    if (ca.execution_count !== cb.execution_count) diffs.push(`cell ${i}: execution_count ${ca.execution_count} vs ${cb.execution_count}`);
    const oa = ca.outputs || [];
    const ob = cb.outputs || [];
    if (oa.length !== ob.length) diffs.push(`cell ${i}: ${oa.length} vs ${ob.length} outputs (${oa.map((o) => o.output_type)} / ${ob.map((o) => o.output_type)})`);
    else oa.forEach((o, k) => same(o, ob[k], `cell ${i} output ${k}`) || diffs.push(`cell ${i} output ${k} (${o.output_type}) differs`));
  });
  return diffs;
}

function main(argv) {
  const o = { filters: [], strict: false, jobs: 2, built: path.join(ROOT, "build", "notebooks"), out: path.join(ROOT, "build", "crosscheck") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--jobs") o.jobs = Number(argv[++i]) || 2;
    else if (argv[i] === "--strict") o.strict = true;
    else if (argv[i] === "--built") o.built = path.resolve(argv[++i]);
    else if (argv[i] === "--out") o.out = path.resolve(argv[++i]);
    else if (argv[i].startsWith("-")) throw new Error(`unknown option ${argv[i]}`);
    else o.filters.push(argv[i]);
  }
  if (PREREQS.nbclient.missing()) {
    console.log(notRunLine("the nbclient cross-check", "nbclient"));
    return requireAll() ? 1 : 0;
  }
  const sources = path.join(ROOT, "notebooks");
  const names = fs
    .readdirSync(sources)
    .filter((f) => f.endsWith(".ipynb") && (!o.filters.length || o.filters.some((p) => f.startsWith(p))))
    .sort();
  const missing = names.filter((f) => !fs.existsSync(path.join(o.built, f)));
  if (missing.length) throw new Error(`no executed copy of ${missing.join(", ")} in ${path.relative(ROOT, o.built)}: run \`npm run course\` first`);
  const spec = path.join(ROOT, "build", "jupyter");
  if (!fs.existsSync(path.join(spec, "kernels", "linear-landscapes", "kernel.json"))) throw new Error("build/jupyter has no kernelspec: run `npm run course` first");
  const nbOut = path.join(o.out, "notebooks");
  fs.mkdirSync(nbOut, { recursive: true });
  const results = path.join(o.out, "results.json");
  console.log(`[crosscheck] nbclient (${PYTHON}) on ${names.length} notebook(s), ${o.jobs} at a time`);
  const r = spawnSync(
    PYTHON,
    [path.join(__dirname, "run_notebooks.py"), "--kernel", "linear-landscapes", "--jobs", String(o.jobs), "--out", nbOut, "--logs", path.join(o.out, "logs"), "--results", results, ...names.map((f) => path.join(sources, f))],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, JUPYTER_PATH: spec, JUPYTER_PLATFORM_DIRS: "1", PYTHONWARNINGS: "ignore", PYDEVD_DISABLE_FILE_VALIDATION: "1" } },
  );
  if (r.status !== 0) throw new Error(`kernel/run_notebooks.py failed (exit ${r.status})`);
  let passed = 0;
  let failed = 0;
  for (const f of names) {
    const nodeText = fs.readFileSync(path.join(o.built, f), "utf8");
    const pyText = fs.readFileSync(path.join(nbOut, f), "utf8");
    const diffs = compareNotebooks(parseNotebook(nodeText), parseNotebook(pyText), { strict: o.strict });
    if (!diffs.length && !diffs.timing.length && nodeText !== pyText) diffs.push("same content but different file bytes");
    if (diffs.length) {
      failed++;
      console.log(`FAIL ${f}: the Node runner and nbclient disagree:\n${diffs.slice(0, 15).map((d) => `    ${d}`).join("\n")}`);
    } else {
      passed++;
      if (!diffs.timing.length) console.log(`ok   ${f}: Node runner and nbclient wrote identical notebooks (same bytes)`);
      else console.log(`ok   ${f}: Node runner and nbclient wrote the same notebooks except figures printed by cell code (timings?): ${diffs.timing.join("; ")}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    console.error(`[crosscheck] error: ${e.message}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

module.exports = { compareNotebooks };
