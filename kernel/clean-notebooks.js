#!/usr/bin/env node
// `npm run clean-notebooks`: source notebooks are committed without outputs.
//
//   node kernel/clean-notebooks.js               clean notebooks/*.ipynb in place
//   node kernel/clean-notebooks.js --check       list notebooks that are not clean, exit 1 if any
//   node kernel/clean-notebooks.js FILE.ipynb…   only these files
//
// Cleaning: code cells lose outputs and execution counts; cells lose transient metadata (execution
// timings, ExecuteTime, collapsed/scrolled UI state); the notebook's kernelspec is set to the project
// kernel and language_info reduced to its name; sources are stored as lists of lines. The JSON is written
// the way Jupyter writes it (keys sorted, 1-space indent, non-ASCII kept, trailing newline), so saving
// in JupyterLab and cleaning again give the same bytes.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const KERNELSPEC = { display_name: "TypeScript (linear-landscapes)", language: "typescript", name: "linear-landscapes" };
const TRANSIENT_CELL_METADATA = ["execution", "ExecuteTime", "collapsed", "scrolled", "jupyter", "papermill"];
const TRANSIENT_NB_METADATA = ["widgets", "papermill", "toc", "varInspector"];

/** Splits text into lines keeping the newlines, as nbformat stores multi-line strings. */
function splitLines(text) {
  if (Array.isArray(text)) text = text.join("");
  if (text === "") return [];
  return text.split(/(?<=\n)/);
}

/** Returns a cleaned copy of a notebook object (nbformat 4). */
function cleanNotebook(nb) {
  const out = JSON.parse(JSON.stringify(nb));
  out.metadata = out.metadata || {};
  for (const k of TRANSIENT_NB_METADATA) delete out.metadata[k];
  out.metadata.kernelspec = { ...KERNELSPEC };
  out.metadata.language_info = { name: "typescript" };
  for (const cell of out.cells || []) {
    cell.source = splitLines(cell.source ?? "");
    cell.metadata = cell.metadata || {};
    for (const k of TRANSIENT_CELL_METADATA) delete cell.metadata[k];
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    } else {
      delete cell.outputs;
      delete cell.execution_count;
    }
  }
  return out;
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

/** Serialises like nbformat: json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n". */
function formatNotebook(nb) {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

/** The notebooks/ sources, in course order. */
function sourceNotebooks(dir = path.join(ROOT, "notebooks")) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort()
    .map((f) => path.join(dir, f));
}

function main(argv) {
  const check = argv.includes("--check");
  const files = argv.filter((a) => !a.startsWith("--"));
  const targets = files.length ? files.map((f) => path.resolve(f)) : sourceNotebooks();
  if (!targets.length) {
    console.log("clean-notebooks: no notebooks found");
    return 0;
  }
  let dirty = 0;
  for (const file of targets) {
    const text = fs.readFileSync(file, "utf8");
    let nb;
    try {
      nb = JSON.parse(text);
    } catch (e) {
      console.error(`clean-notebooks: ${path.relative(ROOT, file)} is not valid JSON: ${e.message}`);
      dirty++;
      continue;
    }
    const clean = formatNotebook(cleanNotebook(nb));
    const rel = path.relative(process.cwd(), file);
    if (clean === text) {
      console.log(`clean-notebooks: ${rel}: clean`);
      continue;
    }
    dirty++;
    const outputs = (nb.cells || []).reduce((n, c) => n + ((c.outputs || []).length || 0), 0);
    if (check) console.log(`clean-notebooks: ${rel}: NOT clean (${outputs} outputs; run npm run clean-notebooks)`);
    else {
      fs.writeFileSync(file, clean);
      console.log(`clean-notebooks: ${rel}: cleaned (${outputs} outputs removed)`);
    }
  }
  return check && dirty ? 1 : 0;
}

module.exports = { cleanNotebook, formatNotebook, sourceNotebooks, KERNELSPEC };

if (require.main === module) process.exit(main(process.argv.slice(2)));
