// Unit tests of the kernel's pure parts (no Jupyter, no zeromq): ordered cell output, MIME bundle
// normalisation, display hooks, history queries, error triples. Run by kernel/conformance.js before the
// protocol suites, or alone: node --test kernel/tests/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { CellOutput, installHooks, normalizeBundle, KERNEL_DISPLAY_HOOK, KERNEL_CLEAR_HOOK } = require("../tslab-ext/output");
const { History, globToRegExp } = require("../tslab-ext/history");
const { runtimeError, compileError } = require("../tslab-ext/execute");

const D = Symbol.for("Jupyter.display");
const delay = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));

function recorder() {
  const sent = [];
  const out = new CellOutput((type, content) => sent.push([type, content]), 7);
  return { sent, out };
}

test("outputs keep the order the cell produced them in, across pending bundles", async () => {
  const { sent, out } = recorder();
  out.stream("stdout", "a\n");
  out.display(delay(30, { "text/plain": "b" }));
  out.stream("stdout", "c\n");
  out.display({ "text/plain": "d" }, { displayId: "x" });
  out.display(delay(5, { "text/plain": "e" }), { displayId: "x", update: true });
  out.result({ [D]: () => delay(10, { "text/plain": "f", "image/png": Buffer.from([1, 2, 3]) }) });
  await out.settle();
  assert.deepEqual(
    sent.map(([t, c]) => [t, c.text || c.data["text/plain"]]),
    [["stream", "a\n"], ["display_data", "b"], ["stream", "c\n"], ["display_data", "d"], ["update_display_data", "e"], ["execute_result", "f"]],
  );
  assert.deepEqual(sent[3][1].transient, { display_id: "x" });
  assert.equal(sent[5][1].execution_count, 7);
  assert.equal(sent[5][1].data["image/png"], Buffer.from([1, 2, 3]).toString("base64"));
});

test("a rejected bundle is a failure of the cell, reported once", async () => {
  const { sent, out } = recorder();
  out.display(Promise.reject(new RangeError("no png")));
  out.stream("stdout", "after\n");
  await out.settle();
  const f = out.takeFailures();
  assert.equal(f.length, 1);
  assert.equal(f[0].name, "RangeError");
  assert.deepEqual(out.takeFailures(), []);
  assert.deepEqual(sent.map(([t]) => t), ["stream"]);
});

test("last values: undefined/null give nothing, strings are raw, objects util.inspect", async () => {
  const { sent, out } = recorder();
  out.result(undefined);
  out.result(null);
  out.result("two\nlines");
  out.result({ a: [1, 2] });
  out.result({ [D]: () => ({}) });
  out.result({ [D]: async () => undefined });
  await out.settle();
  assert.deepEqual(sent.map(([, c]) => c.data["text/plain"]), ["two\nlines", "{ a: [ 1, 2 ] }"]);
});

test("bundles: JSON types stay objects, text/plain is always present, bad bundles throw TypeError", () => {
  const spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "point" };
  const b = normalizeBundle({ "application/vnd.vegalite.v5+json": spec, "image/png": "AAAA" }, "chart");
  assert.deepEqual(b, { "application/vnd.vegalite.v5+json": spec, "image/png": "AAAA", "text/plain": "chart" });
  assert.throws(() => normalizeBundle("text"), TypeError);
  assert.throws(() => normalizeBundle({ rows: 2 }), /not a MIME type/);
});

test("display hooks route to the current cell and validate options", async () => {
  const { sent, out } = recorder();
  let current = null;
  installHooks(() => current);
  assert.throws(() => globalThis[KERNEL_DISPLAY_HOOK]({ "text/plain": "x" }), /outside of a cell/);
  current = out;
  globalThis[KERNEL_DISPLAY_HOOK]({ "text/plain": "x" });
  globalThis[KERNEL_DISPLAY_HOOK]({ [D]: () => ({ "text/markdown": "**y**" }) });
  globalThis[KERNEL_CLEAR_HOOK](true);
  assert.throws(() => globalThis[KERNEL_DISPLAY_HOOK]({ "text/plain": "x" }, { update: true }), /needs a displayId/);
  await out.settle();
  assert.deepEqual(sent.map(([t]) => t), ["display_data", "display_data", "clear_output"]);
  assert.equal(sent[1][1].data["text/markdown"], "**y**");
  assert.deepEqual(sent[2][1], { wait: true });
});

test("output metadata: the display option (value or Promise) or the value's Jupyter.display.metadata method", async () => {
  const M = Symbol.for("Jupyter.display.metadata");
  const { sent, out } = recorder();
  const size = { "image/png": { width: 400, height: 260 } };
  const chartLike = { [D]: () => delay(5, { "image/png": "AAAA", "text/plain": "c" }), [M]: () => delay(10, size) };
  out.display({ "text/plain": "plain" });
  out.display({ "text/plain": "sync" }, { metadata: size });
  out.display(delay(5, { "text/plain": "async" }), { metadata: delay(5, size) });
  out.display(chartLike);
  out.display(chartLike, { metadata: { "image/png": { width: 1 } } });
  out.result(chartLike);
  out.result({ [D]: () => ({ "text/plain": "no metadata method" }) });
  await out.settle();
  assert.deepEqual(
    sent.map(([t, c]) => [t, c.metadata]),
    [
      ["display_data", {}],
      ["display_data", size],
      ["display_data", size],
      ["display_data", size],
      ["display_data", { "image/png": { width: 1 } }],
      ["execute_result", size],
      ["execute_result", {}],
    ],
  );
  assert.throws(() => out.display({ "text/plain": "x" }, { metadata: [1] }), TypeError);
  out.result({ [D]: () => ({ "text/plain": "x" }), [M]: () => Promise.reject(new RangeError("no size")) });
  await out.settle();
  assert.equal(out.takeFailures()[0].name, "RangeError");
});

test("history: tail, range, glob search with unique and n", () => {
  const h = new History();
  ["1 + 2", "x", "1 + 2", "1 + 3", "y"].forEach((c, i) => h.add(i + 1, c));
  h.entries[0].output = "3";
  assert.deepEqual(h.reply({ hist_access_type: "tail", n: 2 }).history, [[1, 4, "1 + 3"], [1, 5, "y"]]);
  assert.deepEqual(h.reply({ hist_access_type: "range", session: 0, start: 1, stop: 2, output: true }).history, [[1, 1, ["1 + 2", "3"]]]);
  assert.equal(h.reply({ hist_access_type: "search", pattern: "1 + *" }).history.length, 3);
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "1 + *", unique: true }).history.map((e) => e[1]), [3, 4]);
  assert.deepEqual(h.reply({ hist_access_type: "search", pattern: "1 + *", n: 1 }).history, [[1, 4, "1 + 3"]]);
  assert.ok(globToRegExp("a?[bc]*").test("axcdef") && !globToRegExp("a?[bc]*").test("axdef"));
});

test("error triples: class name when name is left as Error, compile errors point at the cell line", () => {
  class ClaimError extends Error {}
  const e = runtimeError(new ClaimError("T1: expected 2; measured 3"));
  assert.equal(e.ename, "ClaimError");
  assert.equal(e.evalue, "T1: expected 2; measured 3");
  assert.equal(e.traceback[0], "ClaimError: T1: expected 2; measured 3");
  assert.equal(runtimeError("plain").ename, "Error");
  const c = compileError([{ file: "", line: 2, column: 7, message: "Type 'string' is not assignable to type 'number'." }], "let a = 1;\nconst n: number = 's';");
  assert.equal(c.ename, "TSError");
  assert.equal(c.evalue, "2:7 - Type 'string' is not assignable to type 'number'.");
  assert.deepEqual(c.traceback.slice(2), ["  const n: number = 's';", "        ^"]);
});
