// `npm run new-chapter -- NN-name` copies the fork template (notebooks/99-your-experiment.ipynb) into a clean notebook on
// the project kernel with the title "NN · Title", and refuses bad names, the template's number and existing chapters.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const nc = require("../../kernel/new-chapter.js") as {
  newChapter(name: string, o?: { notebooks?: string; template?: string; title?: string; force?: boolean }): string;
  titleFromSlug(s: string): string;
  NewChapterError: new (...a: unknown[]) => Error;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cleaner = require("../../kernel/clean-notebooks.js") as { formatNotebook(nb: unknown): string; KERNELSPEC: Record<string, string> };

const root = path.resolve(__dirname, "..", "..");
const template = path.join(root, "notebooks", "99-your-experiment.ipynb");

function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "new-chapter-"));
  fs.copyFileSync(template, path.join(dir, "99-your-experiment.ipynb"));
  return dir;
}

test("new-chapter: copies the template with the title, the project kernel, clean cells and fresh ids", () => {
  const dir = scratch();
  const out = nc.newChapter("12-my-question", { notebooks: dir });
  assert.equal(path.basename(out), "12-my-question.ipynb");
  const nb = JSON.parse(fs.readFileSync(out, "utf8"));
  const tpl = JSON.parse(fs.readFileSync(template, "utf8"));
  assert.deepEqual(nb.metadata.kernelspec, cleaner.KERNELSPEC);
  assert.equal(nb.cells.length, tpl.cells.length);
  assert.equal(nb.cells[0].source[0], "# 12 · My question\n");
  assert.equal(nb.cells[0].source.slice(1).join(""), tpl.cells[0].source.slice(1).join(""), "only the heading line changes");
  nb.cells.slice(1).forEach((c: { source: string[] }, i: number) => assert.equal(c.source.join(""), tpl.cells[i + 1].source.join("")));
  for (const c of nb.cells) if (c.cell_type === "code") assert.deepEqual([c.outputs, c.execution_count], [[], null]);
  const ids = nb.cells.map((c: { id: string }) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id: string) => !tpl.cells.some((c: { id: string }) => c.id === id)), "fresh cell ids");
  assert.equal(fs.readFileSync(out, "utf8"), cleaner.formatNotebook(nb), "written as clean-notebooks writes it");
  const titled = nc.newChapter("13-weights", { notebooks: dir, title: "Weighted losses, again" });
  assert.equal(JSON.parse(fs.readFileSync(titled, "utf8")).cells[0].source[0], "# 13 · Weighted losses, again\n");
});

test("new-chapter: refuses bad names, the template's number, existing files and taken numbers", () => {
  const dir = scratch();
  for (const bad of ["my-question", "1-x", "12_x", "12-My", "12-", "12-a--b", "../12-x"]) assert.throws(() => nc.newChapter(bad, { notebooks: dir }), nc.NewChapterError, bad);
  assert.throws(() => nc.newChapter("99-copy", { notebooks: dir }), /template's number/);
  nc.newChapter("20-first", { notebooks: dir });
  assert.throws(() => nc.newChapter("20-first", { notebooks: dir }), /exists/);
  assert.throws(() => nc.newChapter("20-second", { notebooks: dir }), /taken/);
  assert.doesNotThrow(() => nc.newChapter("20-first", { notebooks: dir, force: true }));
  assert.throws(() => nc.newChapter("21-x", { notebooks: dir, title: "two\nlines" }), /one non-empty line/);
  assert.throws(() => nc.newChapter("22-x", { notebooks: path.join(dir, "missing") }), /not found/);
  assert.equal(nc.titleFromSlug("my-first-idea"), "My first idea");
});

test("new-chapter: the command line writes the file and exits 2 with a message on a bad name", () => {
  const dir = scratch();
  const ok = spawnSync(process.execPath, [path.join(root, "kernel", "new-chapter.js"), "30-cli-test", "--notebooks", dir], { encoding: "utf8" });
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, "30-cli-test.ipynb")));
  const bad = spawnSync(process.execPath, [path.join(root, "kernel", "new-chapter.js"), "Bad Name", "--notebooks", dir], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /NN-lowercase-words/);
  const unknown = spawnSync(process.execPath, [path.join(root, "kernel", "new-chapter.js"), "31-x", "--titel", "x", "--notebooks", dir], { encoding: "utf8" });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --titel/);
});
