// The Node Jupyter client (kernel/client/) that `npm run course` uses: wire format, nbformat writing, and notebooks
// executed on the real project kernel (display ids, clear_output, failures named as the notebook shows them,
// --allow-errors, stderr, a timeout reported once). Needs Node only: node --test kernel/tests/client.test.js
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const wire = require("../client/wire");
const { splitLines, pyNumber, formatNotebook, parseNotebook } = require("../client/nbformat");
const { runNotebook, errorPosition } = require("../client/run-notebook");
const { kernelSpec } = require("../install");
const { PYTHON } = require("../prereqs");

const ROOT = path.resolve(__dirname, "..", "..");
const WORK = path.join(ROOT, "build", "client-test");

test("wire: a signed message decodes; a tampered one is refused", () => {
  const sig = wire.signer("hmac-sha256", "secret");
  const msg = { header: wire.header("execute_request", "s1", "u"), content: { code: "1" } };
  const frames = wire.encode({ ...msg, idents: [Buffer.from("id")] }, sig);
  const back = wire.decode(frames, sig);
  assert.equal(back.msg_type, "execute_request");
  assert.deepEqual(back.content, { code: "1" });
  assert.deepEqual(back.idents.map(String), ["id"]);
  frames[frames.length - 1] = Buffer.from(JSON.stringify({ code: "2" }));
  assert.throws(() => wire.decode(frames, sig), /invalid HMAC/);
  assert.throws(() => wire.decode(wire.encode(msg, wire.signer("hmac-sha256", "other")), sig), /invalid HMAC/);
});

test("nbformat: lines split as Python's str.splitlines(True); numbers as Python's float repr", () => {
  assert.deepEqual(splitLines("a\nb\r\nc\rd"), ["a\n", "b\r\n", "c\r", "d"]);
  assert.deepEqual(splitLines("x\n"), ["x\n"]);
  assert.deepEqual(splitLines(""), []);
  // Python: repr(1e-07) == '1e-07', repr(0.00001) == '1e-05', repr(0.0001) == '0.0001', json.loads('1e+21') -> 1e+21
  assert.equal(pyNumber(1e-7), "1e-07");
  assert.equal(pyNumber(0.00001), "1e-05");
  assert.equal(pyNumber(0.0001), "0.0001");
  assert.equal(pyNumber(1.5e-10), "1.5e-10");
  assert.equal(pyNumber(1e21), "1e+21");
  assert.equal(pyNumber(12345), "12345");
  assert.equal(pyNumber(0.1), "0.1");
});

test("nbformat: written as Python's nbformat.write writes it (when Python nbformat is installed)", (t) => {
  const probe = spawnSync(PYTHON, ["-c", "import nbformat"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return t.skip(`${PYTHON} has no nbformat (apt-get install python3-nbformat)`);
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "k", display_name: "K", language: "typescript" }, language_info: { name: "typescript" } },
    cells: [
      { cell_type: "markdown", id: "m1", metadata: {}, source: "# T\n\nü ∑ \u2028 x" },
      {
        cell_type: "code",
        id: "c1",
        metadata: { tags: ["a"] },
        execution_count: 1,
        source: "f()\ng()",
        outputs: [
          { output_type: "stream", name: "stdout", text: "a\nb\n\x1b[31mred\x1b[0m\n" },
          { output_type: "display_data", data: { "text/plain": "p\nq", "application/vnd.x+json": { a: [1, 0.5, 1e-7, 0.00002, 3e21, "s\nt"], b: {} }, "image/png": "iVBOR" }, metadata: { "image/png": { width: 3 } } },
          { output_type: "execute_result", execution_count: 1, data: { "text/html": "<b>x</b>\n<i>y</i>" }, metadata: {} },
          { output_type: "error", ename: "E", evalue: "v", traceback: ["E: v", "  at <cell>:1:1"] },
        ],
      },
    ],
  };
  const r = spawnSync(PYTHON, ["-c", "import sys, nbformat; nb = nbformat.reads(sys.stdin.read(), as_version=4); nbformat.write(nb, sys.stdout)"], { input: JSON.stringify(nb), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(formatNotebook(nb), r.stdout);
  assert.deepEqual(parseNotebook(r.stdout), nb);
});

test("errorPosition reads the line of a runtime frame or a TypeScript diagnostic", () => {
  assert.deepEqual(errorPosition(["Error: boom", "    at <cell>:2:7", "    at <cell>:9:1"]), { line: 2, column: 7 });
  assert.deepEqual(errorPosition("TSError: ⨯ Unable to compile TypeScript (1 error)\n3:5 - error: Cannot find name 'q'."), { line: 3, column: 5 });
  assert.equal(errorPosition(["Error: no frames"]), null);
});

function notebook(name, cells) {
  fs.mkdirSync(WORK, { recursive: true });
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "linear-landscapes", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((c, i) => (typeof c === "string" ? { cell_type: "code", id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source: c } : { id: `c${i}`, metadata: {}, ...c })),
  };
  const file = path.join(WORK, `${name}.ipynb`);
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

const spec = { name: "linear-landscapes", ...kernelSpec() };
const run = (source, opts = {}) => runNotebook({ source, output: path.join(WORK, "out", path.basename(source)), logs: path.join(WORK, "logs"), spec, timeoutSec: 60, ...opts });
const readOut = (source) => parseNotebook(fs.readFileSync(path.join(WORK, "out", path.basename(source)), "utf8"));
const HOOKS = 'const D = (globalThis as any)[Symbol.for("linear-landscapes.kernel.display")]; const C = (globalThis as any)[Symbol.for("linear-landscapes.kernel.clearOutput")];';

test("a notebook on the project kernel: outputs, display-id updates across cells, clear_output(wait), counts", async () => {
  const src = notebook("display", [
    { cell_type: "markdown", source: "# title" },
    `${HOOKS}\nD({ "text/plain": "first" }, { displayId: "d1" });\nconsole.log("out");`,
    "   ",
    'D({ "text/plain": "second" }, { displayId: "d1", update: true });\n1 + 1',
    'console.log("gone");\nC(true);\nconsole.log("kept");',
  ]);
  const r = await run(src);
  assert.equal(r.ok, true, JSON.stringify(r, null, 1));
  const nb = readOut(src);
  assert.equal(nb.metadata.language_info.name, "typescript");
  const [, c1, blank, c3, c4] = nb.cells;
  assert.equal(c1.execution_count, 1);
  assert.deepEqual(c1.outputs.map((o) => o.output_type), ["display_data", "stream"]);
  assert.equal(c1.outputs[0].data["text/plain"], "second", "update_display_data from a later cell replaces the display");
  assert.equal(blank.execution_count, null, "a blank cell is not executed");
  assert.equal(c3.execution_count, 2);
  assert.deepEqual(c3.outputs.map((o) => [o.output_type, o.data && o.data["text/plain"]]), [["execute_result", "2"]]);
  assert.equal(c4.outputs.map((o) => o.text).join(""), "kept\n");
  assert.ok(!JSON.stringify(nb).match(/"(iopub|shell)\.|execution":/), "no timing metadata in the notebook");
});

test("a failing cell stops the run and is named as the notebook shows it; --allow-errors runs on", async () => {
  const src = notebook("fails", [{ cell_type: "markdown", source: "text" }, "const a = 1;", "const b = 2;\nthrow new Error('boom');", "const c = 3;"]);
  const r = await run(src);
  assert.equal(r.ok, false);
  assert.equal(r.error.ename, "Error");
  assert.equal(r.error.evalue, "boom");
  assert.equal(r.error.cell, 2);
  assert.equal(r.error.code_cell, 2);
  assert.equal(r.error.execution_count, 2);
  assert.equal(typeof r.error.line, "number", "the traceback's line in the cell is reported");
  assert.equal(readOut(src).cells[3].execution_count, null, "cells after the failure do not run");
  const all = await run(src, { allowErrors: true });
  assert.equal(all.cell_errors.length, 1);
  assert.equal(readOut(src).cells[3].execution_count, 3);
});

test("stderr output of a cell is a failure of that cell", async () => {
  const r = await run(notebook("stderr", ["console.error('careful')", "1"]));
  assert.equal(r.ok, false);
  assert.deepEqual(r.stderr_cells.map((s) => [s.code_cell, s.text]), [[1, "careful\n"]]);
});

test("a cell over the timeout is reported once and the kernel is stopped without further complaints", async () => {
  const src = notebook("timeout", ["1", "while (true) {}", "2"]);
  const t0 = Date.now();
  const r = await run(src, { timeoutSec: 3 });
  assert.ok(Date.now() - t0 < 20000);
  assert.equal(r.error.ename, "CellTimeoutError");
  assert.equal(r.error.code_cell, 2);
  assert.deepEqual(r.cell_errors.map((e) => e.ename), ["CellTimeoutError"]);
  assert.equal(r.kernel_stderr.trim(), "", "nothing on the kernel's stderr");
  assert.deepEqual(r.stderr_cells, []);
  const awaitSrc = notebook("timeout-await", ["await new Promise((r) => setTimeout(r, 60000));", "2"]);
  const r2 = await run(awaitSrc, { timeoutSec: 2 });
  assert.deepEqual(r2.cell_errors.map((e) => e.ename), ["CellTimeoutError"]);
  assert.equal(r2.kernel_stderr.trim(), "");
});

test("the course runner reports a failure with the code-cell number, In [n] and the line", () => {
  const dir = path.join(WORK, "course-nb");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(notebook("fails", [{ cell_type: "markdown", source: "text" }, "const a = 1;", "const b = 2;\nthrow new Error('boom');"]), path.join(dir, "90-fails.ipynb"));
  const r = spawnSync(process.execPath, [path.join(ROOT, "kernel", "course.js"), "--notebooks", dir, "--out", path.join(WORK, "course-out"), "--no-site"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /90-fails\.ipynb: code cell 2 \(In \[2\], line \d+/);
  assert.match(r.stdout, /Error: boom/);
  assert.match(r.stdout, /0 passed, 1 failed/);
});

test("crosscheck comparison: timings printed by cells are listed but pass; any other difference fails", () => {
  const { compareNotebooks } = require("../crosscheck");
  const nb = (text, extra = []) => ({
    metadata: { language_info: { name: "typescript" } },
    cells: [{ cell_type: "code", source: "s()", execution_count: 1, outputs: [{ output_type: "execute_result", execution_count: 1, data: { "text/plain": text }, metadata: {} }, ...extra] }],
  });
  const timed = compareNotebooks(nb("20 runs, 0.615 s"), nb("20 runs, 0.354 s"));
  assert.equal(timed.length, 0);
  assert.deepEqual(timed.timing, ["cell 0 output 0: 1 duration(s)"]);
  assert.deepEqual([...compareNotebooks(nb("20 runs, 0.615 s"), nb("20 runs, 0.354 s"), { strict: true })], ["cell 0 output 0 (execute_result) differs"]);
  assert.deepEqual([...compareNotebooks(nb("value 0.527"), nb("value 0.528"))].length, 0, "numbers only: listed as possible timings");
  assert.deepEqual([...compareNotebooks(nb("converged"), nb("diverged"))], ["cell 0 output 0 (execute_result) differs"]);
  assert.deepEqual([...compareNotebooks(nb("x"), nb("x", [{ output_type: "stream", name: "stdout", text: "y" }]))], ["cell 0: 1 vs 2 outputs (execute_result / execute_result,stream)"]);
});

test("a kernel that dies at start-up or in a cell fails the notebook with what it said", async () => {
  const dies = path.join(WORK, "dies.js");
  fs.writeFileSync(dies, 'process.stderr.write("no luck\\n"); process.exit(3);\n');
  const r = await run(notebook("never", ["1"]), { spec: { name: "dies", argv: [process.execPath, dies, "{connection_file}"] } });
  assert.equal(r.ok, false);
  assert.match(r.error.evalue, /kernel start-up failed: the kernel died/);
  assert.equal(r.kernel_stderr, "no luck\n");
  const src = notebook("killed", ["1", "require('child_process').execFileSync('kill', ['-KILL', String(process.pid)])", "2"]);
  const k = await run(src);
  assert.equal(k.error.ename, "DeadKernelError");
  assert.equal(k.error.code_cell, 2);
  assert.equal(readOut(src).cells[0].execution_count, 1, "the notebook is written up to the failure");
});
