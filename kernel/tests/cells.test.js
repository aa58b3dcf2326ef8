// Cell semantics of the project kernel, through the real protocol (kernel/tests/kernel-harness.js): top-level
// code runs on plain locals (kernel/tslab-ext/bindings.js) and keeps tslab's semantics; tracebacks and type
// errors point at the line and column as written (kernel/tslab-ext/positions.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { startKernel, resultText } = require("./kernel-harness");

let kernel;
test.before(async () => {
  kernel = await startKernel();
});
test.after(async () => {
  if (kernel) await kernel.shutdown();
});

/** Runs a cell that must succeed; returns its execute_result text (or null). */
async function ok(code) {
  const { reply, outputs } = await kernel.execute(code);
  assert.equal(reply.status, "ok", `cell failed: ${code}\n${JSON.stringify(reply)}`);
  return resultText(outputs);
}

/** Runs a cell that must fail; returns the error reply. */
async function fails(code) {
  const { reply } = await kernel.execute(code, { stopOnError: false });
  assert.equal(reply.status, "error", `cell did not fail: ${code}`);
  return reply;
}

test("variables, functions and classes declared in one cell are visible and reassignable in later cells", async () => {
  await ok("let v1 = 2; const c1 = 'k'; function f1(x: number) { return x + v1; } class K1 { w = v1 * 10; }");
  assert.equal(await ok("[v1, c1, f1(1), new K1().w].join(' ')"), "2 k 3 20");
  await ok("v1 = 7;");
  assert.equal(await ok("[v1, f1(1), new K1().w].join(' ')"), "7 8 70");
  await ok("function f1(x: number) { return x * 100; } class K1 { w = -1; }");
  assert.equal(await ok("[v1, f1(2), new K1().w].join(' ')"), "7 200 -1");
  // Re-declaring a name (running a cell again) replaces it, with its new type.
  await ok("let v1 = 'now a string';");
  assert.equal(await ok("v1.toUpperCase()"), "NOW A STRING");
});

test("a closure created in one cell sees later reassignments, from any cell", async () => {
  await ok("let counter2 = 0; const read2 = () => counter2; function bump2() { counter2 += 1; }");
  await ok("counter2 = 10;");
  await ok("bump2(); bump2();");
  assert.equal(await ok("[read2(), counter2].join(' ')"), "12 12");
  await ok("for (let i = 0; i < 1000; i++) counter2 += 1;");
  assert.equal(await ok("read2()"), "1012");
});

test("imports can be re-declared, and named imports stay usable", async () => {
  await ok('import { join } from "path"; import * as os3 from "os";');
  await ok('import { join } from "path"; import * as os3 from "os";');
  assert.equal(await ok('join("a", "b") + " " + typeof os3.cpus'), "a/b function");
  await ok('import { join } from "path/posix";');
  assert.equal(await ok('join("c", "d")'), "c/d");
});

test("top-level await works and its results are visible later", async () => {
  assert.equal(await ok("const w4 = await new Promise<number>((r) => setTimeout(() => r(21), 5)); w4 * 2"), "42");
  assert.equal(await ok("w4 + 1"), "22");
  await ok("let acc4 = 0; for (const p of [1, 2, 3]) acc4 += await Promise.resolve(p);");
  assert.equal(await ok("acc4"), "6");
});

test("an error midway leaves the variables assigned before it; names after it keep their old state", async () => {
  await ok("let kept5 = 'old';");
  const r = await fails("let before5 = 1; before5 += 1; throw new Error('midway'); let after5 = 3; let kept5 = 'new';");
  assert.equal(r.evalue, "midway");
  assert.equal(await ok("before5"), "2");
  assert.equal(await ok("kept5"), "old");
  const missing = await fails("after5");
  assert.equal(missing.ename, "TSError");
  assert.match(missing.evalue, /Cannot find name 'after5'/);
});

test("top-level loops compute what the same loop computes in a function: let, var, destructuring, updates", async () => {
  const loop = "for (let i = 0; i < 3e5; i++) s6 += i % 7;";
  await ok(`let s6 = 0; ${loop}`);
  assert.equal(await ok(`function g6() { let s6 = 0; ${loop} return s6; } [s6, g6()].join(' ')`), "899997 899997");
  assert.equal(await ok("var q6 = 0; for (var j6 = 0; j6 < 5; j6++) q6 += j6; [q6, j6].join(' ')"), "10 5");
  assert.equal(await ok("let [a6, b6] = [1, 2]; [a6, b6] = [b6, a6]; let n6 = a6++; [a6, b6, n6].join(' ')"), "3 1 2");
  assert.equal(await ok("[a6, b6, q6].join(' ')"), "3 1 10");
  assert.equal(await ok("enum E6 { A = 1, B } namespace N6 { export const z = E6.B; } N6.z"), "2");
});

test("a one-line cell reports line 1 and the column of the throw", async () => {
  const r = await fails('const x7 = 1; throw new Error("one line");');
  assert.match(r.traceback[1], /^\s+at <cell>:1:21$/);
});

test("tracebacks give the cell's own line and column, and name earlier cells by In[n]", async () => {
  const def = await kernel.execute("// a comment\nfunction explode8(n: number): number {\n  if (n > 1) return explode8(n - 1);\n  return (null as any).field;\n}");
  assert.equal(def.reply.status, "ok");
  const defined = def.reply.execution_count;
  const r = await fails("const unused8: string = 'x';\n\nexplode8(2);");
  assert.equal(r.ename, "TypeError");
  const frames = r.traceback.slice(1);
  assert.match(frames[0], new RegExp(`at explode8 \\(<cell In\\[${defined}\\]>:4:24\\)$`));
  assert.match(frames[1], new RegExp(`at explode8 \\(<cell In\\[${defined}\\]>:3:21\\)$`));
  assert.match(frames[2], /at <cell>:3:1$/);
  assert.equal(frames.length, 3, r.traceback.join("\n"));
});

test("type errors give the line and column as written", async () => {
  const r = await fails("const ok9 = 1;\nconst bad9: number = 'text';");
  assert.equal(r.ename, "TSError");
  assert.match(r.evalue, /^2:7 - Type 'string' is not assignable to type 'number'\.$/);
  const one = await fails("let n9: number = 'x';");
  assert.match(one.evalue, /^1:5 - /);
});

test("library frames point at the library's TypeScript source (dist/ source maps)", async () => {
  const r = await fails('import { heatmap as hm11 } from "linear-landscapes";\nhm11({ x: [1], y: [2], z: [[0]] });');
  assert.equal(r.ename, "ShapeError");
  const lib = r.traceback.find((l) => / at heatmap /.test(l));
  assert.match(lib || "", /\(.*[\\/]src[\\/]plots[\\/]heatmap\.ts:\d+:\d+\)$/, r.traceback.join("\n"));
  assert.match(r.traceback[r.traceback.length - 1], /at <cell>:2:\d+$/);
});

test("the kernel wrote nothing to its own stderr through all of the above", () => {
  assert.equal(kernel.stderr, "");
});
