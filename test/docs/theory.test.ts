// The theory page is the repository's own statement of the results: every claim label has an anchor there, every
// link to it from the library, the notebooks and the README points at an anchor that exists, and nothing in those
// places refers to files outside the repository.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const THEORY = fs.readFileSync(path.join(ROOT, "docs", "theory.md"), "utf8");
const anchors = new Set([...THEORY.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));

function files(dir: string, ext: string[]): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.some((x) => e.name.endsWith(x)) ? [p] : [];
  });
}
const sources = [
  ...files(path.join(ROOT, "src"), [".ts"]),
  ...files(path.join(ROOT, "notebooks"), [".ipynb"]),
  path.join(ROOT, "README.md"),
  path.join(ROOT, "docs", "theory.md"),
];

test("theory page: one anchor per label of the course (G1–G2, T1–T7, D1, P1–P5, Ex-1, Ex-2, A1–A7, B1–B9)", () => {
  const labels = ["g1", "g2", ...[1, 2, 3, 4, 5, 6, 7].map((k) => `t${k}`), "d1", ...[1, 2, 3, 4, 5].map((k) => `p${k}`), "ex-1", "ex-2",
    ...[1, 2, 3, 4, 5, 6, 7].map((k) => `a${k}`), ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `b${k}`), "sources"];
  assert.deepEqual(labels.filter((l) => !anchors.has(l)), []);
});

test("theory page: every link docs/theory.md#anchor in src, notebooks, README and the page itself resolves", () => {
  const broken: string[] = [];
  for (const f of sources) {
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(/theory\.md#([A-Za-z0-9-]+)/g)) if (!anchors.has(m[1])) broken.push(`${path.relative(ROOT, f)}: #${m[1]}`);
    if (f.endsWith("theory.md")) for (const m of text.matchAll(/\]\(#([A-Za-z0-9-]+)\)/g)) if (!anchors.has(m[1])) broken.push(`theory.md: #${m[1]}`);
  }
  assert.deepEqual(broken, []);
});

test("no reference to files outside the repository (shared notes, digests) in src, notebooks, README or docs", () => {
  const outside = /\.\.\/shared|THEOREMS\.md|tkb-digest|zhang-zhou-liang-digest/;
  const hits = sources.filter((f) => outside.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
  assert.deepEqual(hits, []);
});
