// Reading and writing nbformat 4 notebooks the way Python's nbformat does (nbformat.read / nbformat.write), so a
// notebook executed by the Node runner is byte-for-byte what nbclient + nbformat would have written for the same
// outputs:
//  - read: multi-line strings stored as lists of lines are joined (cell source, stream text, text-like mime data);
//  - write: those strings are split again with Python's str.splitlines(keepends=True) line boundaries; the
//    transient keys nbformat strips (metadata.orig_nbformat*, metadata.signature, cell metadata.trusted) are
//    dropped; JSON as json.dumps(sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n",
//    numbers spelled as Python's float repr spells them (1e-07, not 1e-7; 1e-05, not 0.00001).
"use strict";

const NON_TEXT_SPLIT = new Set(["application/javascript", "image/svg+xml"]);
const isJsonMime = (k) => k === "application/json" || (k.startsWith("application/") && k.endsWith("+json"));

function joinMimeBundle(data) {
  for (const [k, v] of Object.entries(data || {})) {
    if (!isJsonMime(k) && Array.isArray(v) && v.every((l) => typeof l === "string")) data[k] = v.join("");
  }
}

/** Parses notebook JSON and joins line lists into strings (nbformat.reads for nbformat 4). */
function parseNotebook(text) {
  const nb = JSON.parse(text);
  if (nb.nbformat !== 4) throw new Error(`nbformat ${nb.nbformat} notebook: only nbformat 4 is supported`);
  for (const cell of nb.cells || []) {
    if (Array.isArray(cell.source)) cell.source = cell.source.join("");
    if (cell.attachments) for (const a of Object.values(cell.attachments)) joinMimeBundle(a);
    for (const out of cell.outputs || []) {
      if (out.output_type === "stream" && Array.isArray(out.text)) out.text = out.text.join("");
      if (out.data) joinMimeBundle(out.data);
    }
  }
  return nb;
}

/** Python's str.splitlines(True). */
function splitLines(s) {
  const out = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    out.push(s.slice(last, m.index + m[0].length));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

function splitMimeBundle(data) {
  for (const [k, v] of Object.entries(data || {})) {
    if (typeof v === "string" && (k.startsWith("text/") || NON_TEXT_SPLIT.has(k))) data[k] = splitLines(v);
  }
}

/** A number as Python's json.dumps writes the float/int that json.loads made of JavaScript's spelling. */
function pyNumber(x) {
  if (!Number.isFinite(x)) throw new Error(`notebook JSON cannot hold ${x}`);
  const js = JSON.stringify(x);
  if (Number.isInteger(x) && !/e/.test(js)) return js; // parsed by Python as int: printed the same
  const [mant, e] = x.toExponential().split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return js;
}

/** json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")). */
function pyJson(value, depth = 0) {
  if (value === null) return "null";
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  const pad = " ".repeat(depth + 1);
  const end = " ".repeat(depth);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    return `[\n${value.map((v) => pad + pyJson(v === undefined ? null : v, depth + 1)).join(",\n")}\n${end}]`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    if (!keys.length) return "{}";
    return `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${pyJson(value[k], depth + 1)}`).join(",\n")}\n${end}}`;
  }
  throw new Error(`notebook JSON cannot hold a ${typeof value}`);
}

/** The file text nbformat.write(nb, version=4) produces. `nb` is not modified. */
function formatNotebook(nb) {
  const copy = JSON.parse(JSON.stringify(nb));
  const md = copy.metadata || {};
  delete md.orig_nbformat;
  delete md.orig_nbformat_minor;
  delete md.signature;
  for (const cell of copy.cells || []) {
    if (cell.metadata) delete cell.metadata.trusted;
    if (typeof cell.source === "string") cell.source = splitLines(cell.source);
    if (cell.attachments) for (const a of Object.values(cell.attachments)) splitMimeBundle(a);
    if (cell.cell_type !== "code") continue;
    for (const out of cell.outputs || []) {
      if (out.output_type === "execute_result" || out.output_type === "display_data") splitMimeBundle(out.data);
      else if (out.output_type === "stream" && typeof out.text === "string") out.text = splitLines(out.text);
    }
  }
  return pyJson(copy) + "\n";
}

module.exports = { parseNotebook, formatNotebook, splitLines, pyJson, pyNumber };
