// inspect_request (text/markdown + text/plain, detail_level 1 with the source location) and complete_request
// (public API first, @internal hidden), through the real protocol (kernel/tests/kernel-harness.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { startKernel } = require("./kernel-harness");

const ROOT = path.resolve(__dirname, "..", "..");
let kernel;
test.before(async () => {
  kernel = await startKernel();
  const { reply } = await kernel.execute('import * as ll from "linear-landscapes";\nimport { heatmap, referenceLine } from "linear-landscapes";');
  assert.equal(reply.status, "ok");
});
test.after(async () => {
  if (kernel) await kernel.shutdown();
});

const inspect = (code, detail = 0, cursor = code.length) => kernel.request("inspect_request", { code, cursor_pos: cursor, detail_level: detail });
const complete = (code) => kernel.request("complete_request", { code, cursor_pos: code.length });

test("inspect: signature in a typescript block, summary, parameters, returns, throws, theorem labels; plain text too", async () => {
  const r = await inspect("heatmap");
  assert.equal(r.status, "ok");
  assert.equal(r.found, true);
  const md = r.data["text/markdown"];
  assert.match(md, /^```typescript\nfunction heatmap\(grid: Grid, options\?: HeatmapOptions\): VegaLiteSpec\n```\n\nA heatmap of /);
  assert.match(md, /\n\*\*Parameters\*\*\n\n- `grid` — `\{ x: nx increasing/);
  assert.match(md, /\n\*\*Returns\*\* a Vega-Lite 5 spec/);
  assert.match(md, /\n\*\*Throws\*\*\n\n- DomainError\/ShapeError naming the argument/);
  // The summary says "Ex-1 hyperbola of minima, T6 bad minima": both labels are listed.
  assert.match(md, /\n\*\*Theorem:\*\* Ex-1, T6$/m);
  assert.doesNotMatch(md, /Source/);
  const plain = r.data["text/plain"];
  assert.match(plain, /^function heatmap\(/);
  assert.match(plain, /\nParameters:\n {2}grid - /);
  assert.match(plain, /\nReturns: a Vega-Lite 5 spec/);
  assert.match(plain, /\nThrows:\n {2}DomainError/);
});

test("inspect: {@link X} is resolved to the name X, not split into parts", async () => {
  const md = (await inspect("referenceLine")).data["text/markdown"];
  assert.match(md, /grey \(`REFERENCE_COLOR`\), dashed\n\(`REFERENCE_DASH`\)/);
  assert.doesNotMatch(md, /\{@link|@link/);
  const plain = (await inspect("referenceLine")).data["text/plain"];
  assert.match(plain, /grey \(REFERENCE_COLOR\), dashed/);
});

test("inspect detail_level 1 adds the source location: the library file and line, or the cell that defined the name", async () => {
  const r = await inspect("referenceLine", 1);
  const m = /\*\*Source:\*\* `(src\/[\w/]+\.ts):(\d+)`/.exec(r.data["text/markdown"]);
  assert.ok(m, r.data["text/markdown"]);
  const line = fs.readFileSync(path.join(ROOT, m[1]), "utf8").split("\n")[Number(m[2]) - 1];
  assert.match(line, /^export function referenceLine\(/);
  assert.match(r.data["text/plain"], new RegExp(`\\nSource: ${m[1]}:${m[2]}$`));

  const def = await kernel.execute("/**\n * Twice `n`.\n * @param n - a count\n * @returns `2 n`\n */\nfunction twiceHelp(n: number) { return 2 * n; }");
  const count = def.reply.execution_count;
  const md = (await inspect("twiceHelp(", 1, "twiceHelp".length)).data["text/markdown"];
  assert.match(md, /^```typescript\nfunction twiceHelp\(n: number\): number\n```\n\nTwice `n`\.\n\n\*\*Parameters\*\*\n\n- `n` — a count\n\n\*\*Returns\*\* `2 n`/);
  assert.match(md, new RegExp(`\\*\\*Source:\\*\\* defined in In\\[${count}\\]$`));
});

test("inspect detail_level 1 of a method gives the line of that class's member", async () => {
  const code = 'import { Landscape as Land12 } from "linear-landscapes";\ndeclare const L12: Land12;\nL12.hessian';
  const md = (await inspect(code, 1)).data["text/markdown"];
  assert.match(md, /^```typescript\n\(method\) Landscape\.hessian\(/);
  const m = /\*\*Source:\*\* `(src\/[\w/]+\.ts):(\d+)`/.exec(md);
  assert.ok(m, md);
  const lines = fs.readFileSync(path.join(ROOT, m[1]), "utf8").split("\n");
  assert.match(lines[Number(m[2]) - 1], /^\s+hessian\(/);
  // and that line lies inside `export class Landscape`
  const classLine = lines.findIndex((l) => /^export class Landscape\b/.test(l));
  assert.ok(classLine >= 0 && classLine < Number(m[2]) - 1);
  assert.ok(!lines.slice(classLine + 1, Number(m[2]) - 1).some((l) => /^export /.test(l)), "no other export between the class and the member");
});

test("inspect of an unknown name is not found", async () => {
  const r = await inspect("noSuchNameAnywhere");
  assert.equal(r.found, false);
});

test("completion hides members and functions marked @internal and ranks the public API and the cells' names first", async () => {
  const def = await kernel.execute(
    "class Acc7 {\n  /** @internal */\n  rawState7 = 1;\n  /** The total. */\n  total7 = 2;\n  /** @internal */\n  rebuild7() {}\n}\n" +
      "/** @internal */\nfunction hiddenHelper7() {}\nfunction hiddenNot7() {}\nconst acc7 = new Acc7();",
  );
  assert.equal(def.reply.status, "ok");
  const members = await complete("acc7.");
  assert.ok(members.matches.includes("total7"), members.matches.join(" "));
  assert.ok(!members.matches.includes("rawState7") && !members.matches.includes("rebuild7"), members.matches.join(" "));
  const fns = await complete("hidden");
  assert.ok(fns.matches.includes("hiddenNot7") && !fns.matches.includes("hiddenHelper7"), fns.matches.join(" "));
  // The library keeps its @internal helpers out of its index; what is reachable is public.
  const src = fs.readFileSync(path.join(ROOT, "src", "optim", "optimizer.ts"), "utf8");
  assert.match(src, /@internal \*\/\nexport function numOption\(/);
  const nu = await complete("ll.");
  assert.ok(nu.matches.includes("findCriticalPoint") && !nu.matches.includes("numOption"), nu.matches.join(" "));

  await kernel.execute("const ArrayOfCells = [1, 2];");
  const arr = await complete("Arr");
  assert.equal(arr.matches[0], "ArrayOfCells");
  assert.ok(arr.matches.includes("Array") && arr.matches.includes("ArrayBuffer"));
});
