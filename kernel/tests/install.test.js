// kernel/install.js with forks side by side: two checkouts registered in the same kernels folder (a --prefix dir
// standing for the user's Jupyter data dir) never take over each other's kernel; --name overrides.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const SRC = path.resolve(__dirname, "..", "install.js");

/** A minimal checkout at `dir` (its own kernel/install.js and package.json). */
function checkout(dir) {
  fs.mkdirSync(path.join(dir, "kernel"), { recursive: true });
  fs.copyFileSync(SRC, path.join(dir, "kernel", "install.js"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "linear-landscapes" }));
  return dir;
}
function install(co, prefix, ...args) {
  const r = spawnSync(process.execPath, [path.join(co, "kernel", "install.js"), "--prefix", prefix, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const specOf = (prefix, name) => JSON.parse(fs.readFileSync(path.join(prefix, "kernels", name, "kernel.json"), "utf8"));
const runs = (spec) => spec.argv[1];

test("two checkouts register side by side; neither takes over the other's kernel", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ll-forks-"));
  const prefix = path.join(tmp, "jupyter");
  const a = checkout(path.join(tmp, "main-copy"));
  const b = checkout(path.join(tmp, "My Fork"));
  assert.match(install(a, prefix), /installed: kernel linear-landscapes \("TypeScript \(linear-landscapes\)"\)/);
  const outB = install(b, prefix);
  assert.match(outB, /installed: kernel linear-landscapes-my-fork \("TypeScript \(linear-landscapes · My Fork\)"\)/);
  assert.match(outB, /belongs to another checkout/);
  assert.equal(runs(specOf(prefix, "linear-landscapes")), path.join(a, "kernel", "main.js"), "A's kernel untouched");
  assert.equal(runs(specOf(prefix, "linear-landscapes-my-fork")), path.join(b, "kernel", "main.js"));
  // again: each keeps its own name, nothing rewritten
  assert.match(install(a, prefix), /up to date: kernel linear-landscapes /);
  assert.match(install(b, prefix), /up to date: kernel linear-landscapes-my-fork /);
  // a third checkout with the same folder name elsewhere gets a hashed name
  const c = checkout(path.join(tmp, "elsewhere", "My Fork"));
  assert.match(install(c, prefix), /installed: kernel linear-landscapes-my-fork-[0-9a-f]{6} /);
  assert.equal(runs(specOf(prefix, "linear-landscapes-my-fork")), path.join(b, "kernel", "main.js"));
  // --name overrides, and says whose kernel it replaced
  const forced = install(b, prefix, "--name", "linear-landscapes");
  assert.match(forced, /installed: kernel linear-landscapes .*\n.*replaced the kernel that ran .*main-copy/);
  assert.equal(runs(specOf(prefix, "linear-landscapes")), path.join(b, "kernel", "main.js"));
  assert.deepEqual(fs.readdirSync(path.join(prefix, "kernels")).sort(), ["linear-landscapes", "linear-landscapes-my-fork", fs.readdirSync(path.join(prefix, "kernels")).find((n) => /-[0-9a-f]{6}$/.test(n))].sort());
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("a kernel of another kind under the plain name is left alone", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ll-forks-"));
  const prefix = path.join(tmp, "jupyter");
  fs.mkdirSync(path.join(prefix, "kernels", "linear-landscapes"), { recursive: true });
  fs.writeFileSync(path.join(prefix, "kernels", "linear-landscapes", "kernel.json"), JSON.stringify({ argv: ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name: "Python" }));
  const a = checkout(path.join(tmp, "ll"));
  assert.match(install(a, prefix), /installed: kernel linear-landscapes-ll /);
  assert.equal(specOf(prefix, "linear-landscapes").display_name, "Python");
  fs.rmSync(tmp, { recursive: true, force: true });
});
