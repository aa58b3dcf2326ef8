// Pure parts of the cell machinery (no kernel process): the rewrite of tslab's converted output
// (tslab-ext/bindings.js), the runtime's accessors, declarations after a failed cell, and the position map
// (tslab-ext/positions.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const vm = require("vm");
const { rewrite, createRuntime, declAfterFailure } = require("../tslab-ext/bindings");
const { CellMap, CellPositions } = require("../tslab-ext/positions");

// What tslab 1.0.22's converter emits for `let s = 0; for (let i = 0; i < 3; i++) s += i; s` (CommonJS).
const CONVERTED = [
  'Object.defineProperty(exports, "__esModule", { value: true });',
  "exports.tsLastExpr = exports.s = void 0;",
  "let s = 0;",
  "exports.s = s;",
  "for (let i = 0; i < 3; i++)",
  "    exports.s = s += i;",
  "exports.tsLastExpr = s;",
].join("\n");

test("rewrite: reset and __esModule dropped, sync -> bind, write-through -> plain write, last value -> __ll.last", () => {
  const { code, names } = rewrite(CONVERTED, "tsLastExpr");
  assert.deepEqual([...names], ["s"]);
  assert.doesNotMatch(code, /void 0|__esModule|exports\./);
  assert.match(code, /^const __ll = __tslab__\.ext;/);
  assert.match(code, /__ll\.bind\("s", \(\) => s, \(v\) => \{ s = v; \}\);/);
  assert.match(code, /\n {4}\(s \+= i\);/);
  assert.match(code, /\n__ll\.last = s;$/);
});

test("rewrite: names of earlier cells stay writes to exports; named imports go through __ll.define", () => {
  const out = ['const path_1 = require("path");', 'Object.defineProperty(exports, "join", { enumerable: true, get: function () { return path_1.join; } });', "exports.old = exports.old + 1;"].join("\n");
  const { code, names } = rewrite(out, undefined);
  assert.deepEqual([...names], ["join"]);
  assert.match(code, /__ll\.define\(exports, "join", \{/);
  assert.match(code, /\nexports\.old = exports\.old \+ 1;$/);
});

test("runtime + rewritten code: a later write reaches the declaring cell's closure; re-declaring adds an accessor, never redefines one", () => {
  const rt = createRuntime();
  const holder = { exports: rt.exports, ext: rt };
  const run = (converted, last) => vm.runInThisContext(`(function (exports, __tslab__) { ${rewrite(converted, last).code}\n})`)(rt.exports, holder);
  run("let n = 1;\nexports.n = n;\nconst read = () => n;\nexports.read = read;");
  rt.exports.n = 5;
  assert.equal(rt.exports.read(), 5);
  const layer = Object.getPrototypeOf(rt.exports);
  const first = Object.getOwnPropertyDescriptor(layer, "read");
  assert.equal(first.configurable, false);
  run("let n = 'two';\nexports.n = n;");
  assert.equal(rt.exports.n, "two");
  assert.equal(rt.exports.read(), 5, "the first cell's closure keeps its own binding");
  assert.equal(Object.getOwnPropertyDescriptor(layer, "read").get, first.get, "earlier accessors stay as they were");
  assert.deepEqual(Object.keys(rt.exports), [], "exports holds no names itself");
  // Many bindings: the chain of layers is flattened, every name still reaches its current binding.
  for (let i = 0; i < 40; i++) rt.bind(`v${i}`, () => i, () => {});
  let depth = 0;
  for (let o = Object.getPrototypeOf(rt.exports); o !== Object.prototype; o = Object.getPrototypeOf(o)) depth++;
  assert.ok(depth <= 16, `chain depth ${depth}`);
  assert.deepEqual([rt.exports.v0, rt.exports.v39, rt.exports.n, rt.exports.read()], [0, 39, "two", 5]);
  assert.ok(rt.reached.has("n") && rt.reached.has("read"));
});

test("declarations after a failed cell: reached names new, unreached names old, names new in the cell and unreached gone", () => {
  const prev = "declare let kept: string;\ndeclare const other: number;\n";
  const next = "declare let before: number;\ndeclare let after: number;\ndeclare let kept: number;\ndeclare const other: number;\n";
  const d = declAfterFailure(prev, next, new Set(["before", "after", "kept"]), new Set(["before"]));
  assert.match(d, /declare let before: number;/);
  assert.doesNotMatch(d, /after/);
  assert.match(d, /declare let kept: string;/);
  assert.doesNotMatch(d, /kept: number/);
  assert.match(d, /declare const other: number;/);
});

test("positions: generated tokens map back to the cell's tokens; tslab's wrapper prefix is on line 1 only", () => {
  const src = "let a: number = 1;  throw new Error(`x${a}`);";
  const generated = "const __ll = __tslab__.ext; let a = 1;\n__ll.bind(\"a\", () => a, (v) => { a = v; });\nthrow new Error(`x${a}`);";
  const map = new CellMap(src, generated, 30);
  // `new` on line 3, column 7 of the generated text; in the cell it is at column 27 of line 1.
  assert.deepEqual(map.map(3, 7), { line: 1, column: 27 });
  // `let` after the inserted head, on line 1 behind the 30-character wrapper prefix.
  assert.deepEqual(map.map(1, 30 + generated.indexOf("let") + 1), { line: 1, column: 1 });
  // Beyond the generated text: tslab's wrapper call.
  assert.equal(map.map(9, 1), null);
});

test("positions: frames of the running cell say <cell>, earlier cells <cell In[n]>, the wrapper frame is dropped", () => {
  const p = new CellPositions();
  const a = p.nextId();
  p.add(a, { src: "function f() {\n  throw 1;\n}", generated: "function f() {\n    throw 1;\n}", prefixLength: 30, name: "In[4]" });
  const b = p.nextId();
  p.add(b, { src: "f()", generated: "exports.f()", prefixLength: 30, name: "In[5]" });
  assert.equal(p.frame(`    at f (${a}:2:5)`, b), "    at f (<cell In[4]>:2:3)");
  assert.equal(p.frame(`    at ${b}:1:39`, b), "    at <cell>:1:1");
  assert.equal(p.frame(`    at ${b}:2:3`, b), null);
  assert.equal(p.frame("    at run (/x/y.js:1:2)", b), "    at run (/x/y.js:1:2)");
});

test("positions: a function of an earlier cell called through exports is named as declared, not Object.f", () => {
  const p = new CellPositions();
  const a = p.nextId();
  p.add(a, { src: "function g() { throw 1; }", generated: "function g() { throw 1; }", prefixLength: 30, name: "In[1]" });
  assert.equal(p.frame(`    at Object.g (${a}:1:46)`, null), "    at g (<cell In[1]>:1:16)");
  assert.equal(p.frame("    at Object.g (/lib/x.js:1:2)", null), "    at Object.g (/lib/x.js:1:2)");
});
