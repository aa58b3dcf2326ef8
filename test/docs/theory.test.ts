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
const DOCS = files(path.join(ROOT, "docs"), [".md"]);
const sources = [
  ...files(path.join(ROOT, "src"), [".ts"]),
  ...files(path.join(ROOT, "notebooks"), [".ipynb"]),
  path.join(ROOT, "README.md"),
  path.join(ROOT, "kernel", "README.md"),
  ...DOCS,
];

test("theory page: one anchor per label of the course (G1–G2, T1–T7, D1, P1–P5, Ex-1, Ex-2, A1–A7, B1–B9) and per linked section", () => {
  const labels = ["g1", "g2", ...[1, 2, 3, 4, 5, 6, 7].map((k) => `t${k}`), "d1", ...[1, 2, 3, 4, 5].map((k) => `p${k}`), "ex-1", "ex-2",
    ...[1, 2, 3, 4, 5, 6, 7].map((k) => `a${k}`), ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `b${k}`), "sources",
    // sections the chapters link besides the labels: degenerate saddles (B7, chapter 09), leaky ReLU (B9, chapter 10),
    // degenerate inputs and the verdict module
    "saddles", "leaky", "degenerate", "verdicts"];
  assert.deepEqual(labels.filter((l) => !anchors.has(l)), []);
});

test("theory page: every link docs/theory.md#anchor in src, notebooks, the READMEs and docs resolves", () => {
  const broken: string[] = [];
  for (const f of sources) {
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(/theory\.md#([A-Za-z0-9-]+)/g)) if (!anchors.has(m[1])) broken.push(`${path.relative(ROOT, f)}: #${m[1]}`);
    if (f.endsWith("theory.md")) for (const m of text.matchAll(/\]\(#([A-Za-z0-9-]+)\)/g)) if (!anchors.has(m[1])) broken.push(`theory.md: #${m[1]}`);
  }
  assert.deepEqual(broken, []);
});

test("no reference to files outside the repository (shared notes, digests) in src, notebooks, the READMEs or docs", () => {
  const outside = /\.\.\/shared|THEOREMS\.md|tkb-digest|zhang-zhou-liang-digest/;
  const hits = sources.filter((f) => outside.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f));
  assert.deepEqual(hits, []);
});

test("one theory page: docs/theory.md is the only theory page and every link to a docs/*.md page names a file that exists", () => {
  assert.deepEqual(DOCS.map((f) => path.basename(f)).filter((b) => /theory/i.test(b)), ["theory.md"]);
  const missing: string[] = [];
  for (const f of sources) {
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(/(?:^|[^A-Za-z0-9_.-])((?:\.\.\/)*docs\/[A-Za-z0-9_.\/-]+\.md)\b/g)) {
      const target = path.join(ROOT, m[1].replace(/^(\.\.\/)+/, ""));
      if (!fs.existsSync(target)) missing.push(`${path.relative(ROOT, f)}: ${m[1]}`);
    }
    if (path.dirname(f) === path.join(ROOT, "docs"))
      for (const m of text.matchAll(/\]\(((?:\.\/)?[A-Za-z0-9_.-]+\.md)(?:#[^)]*)?\)/g))
        if (!fs.existsSync(path.join(ROOT, "docs", m[1]))) missing.push(`${path.relative(ROOT, f)}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

test("theory page: provenance is stated once, in one Sources and reconstructions section, without placeholders", () => {
  assert.equal([...THEORY.matchAll(/^## Sources and reconstructions\b/gm)].length, 1);
  const apologies = /\[source\]|not available to us|was not available|could not be (?:recovered|retrieved)|not retrieved/i;
  assert.deepEqual(DOCS.filter((f) => apologies.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(ROOT, f)), []);
});
