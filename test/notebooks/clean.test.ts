// Source notebooks are committed clean: no outputs, no execution counts, the project kernelspec, a
// Markdown title cell first, and formatted exactly as `npm run clean-notebooks` (= Jupyter) writes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

// kernel/clean-notebooks.js is plain CommonJS (it also runs without a build)
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cleaner = require("../../kernel/clean-notebooks.js") as {
  cleanNotebook(nb: unknown): unknown;
  formatNotebook(nb: unknown): string;
  sourceNotebooks(dir?: string): string[];
  KERNELSPEC: { name: string; display_name: string; language: string };
};

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}
interface Notebook {
  nbformat: number;
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string } };
  cells: Cell[];
}

const root = path.resolve(__dirname, "..", "..");
const files = cleaner.sourceNotebooks(path.join(root, "notebooks"));
const text = (s: string | string[]) => (Array.isArray(s) ? s.join("") : s);

test("the course has notebooks named NN-name.ipynb", () => {
  assert.ok(files.length > 0, "notebooks/ holds no .ipynb file");
  for (const f of files) assert.match(path.basename(f), /^\d\d-[a-z0-9-]+\.ipynb$/, `bad notebook name ${f}`);
});

for (const file of files) {
  const name = path.basename(file);
  test(`${name}: clean, project kernel, title first`, () => {
    const raw = fs.readFileSync(file, "utf8");
    const nb = JSON.parse(raw) as Notebook;
    assert.equal(nb.nbformat, 4, `${name}: nbformat ${nb.nbformat}`);
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== "code") return;
      assert.deepEqual(cell.outputs, [], `${name}: cell ${i} has outputs (run npm run clean-notebooks)`);
      assert.equal(cell.execution_count, null, `${name}: cell ${i} has an execution count (run npm run clean-notebooks)`);
    });
    assert.equal(nb.metadata.kernelspec?.name, cleaner.KERNELSPEC.name, `${name}: kernelspec is ${JSON.stringify(nb.metadata.kernelspec)}`);
    assert.equal(nb.metadata.kernelspec?.display_name, cleaner.KERNELSPEC.display_name);
    const first = nb.cells[0];
    assert.ok(first && first.cell_type === "markdown", `${name}: the first cell must be Markdown`);
    assert.match(text(first.source), /^\s*# \S/, `${name}: the first cell must start with a "# Title" heading`);
    assert.equal(raw, cleaner.formatNotebook(cleaner.cleanNotebook(nb)), `${name}: not formatted as the cleaner writes it (run npm run clean-notebooks)`);
  });
}

test("the cleaner strips outputs, counts and transient metadata and is idempotent", () => {
  const dirty = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, widgets: {} },
    cells: [
      { cell_type: "markdown", id: "a", metadata: {}, source: "# T\n\ntext" },
      {
        cell_type: "code",
        id: "b",
        execution_count: 3,
        metadata: { execution: { "iopub.status.busy": "x" }, tags: ["keep"] },
        outputs: [{ output_type: "stream", name: "stdout", text: ["hi\n"] }],
        source: ["1 + 1"],
      },
    ],
  };
  const once = cleaner.cleanNotebook(dirty) as Notebook & { metadata: Record<string, unknown> };
  const code = once.cells[1];
  assert.deepEqual(code.outputs, []);
  assert.equal(code.execution_count, null);
  assert.deepEqual(code.metadata, { tags: ["keep"] });
  assert.equal(once.metadata.kernelspec?.name, "linear-landscapes");
  assert.equal("widgets" in once.metadata, false);
  assert.deepEqual(once.cells[0].source, ["# T\n", "\n", "text"]);
  assert.equal(dirty.cells[1].outputs?.length, 1, "input notebook was mutated");
  const s1 = cleaner.formatNotebook(once);
  assert.equal(cleaner.formatNotebook(cleaner.cleanNotebook(JSON.parse(s1))), s1);
  assert.ok(s1.endsWith("}\n") && s1.startsWith('{\n "cells": [\n'), "Jupyter's layout: sorted keys, 1-space indent");
});
