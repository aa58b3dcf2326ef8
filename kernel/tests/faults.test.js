// Tests of kernel/tslab-ext/faults.js + watchdog.js without Jupyter: real SIGINTs to a child process whose
// "cell" keeps the main thread busy (synchronously, after an await, in a timer, in a microtask, in a
// nextTick), the exit guard, and the watchdog's verdict on interrupted stacks. The protocol-level tests are
// kernel/test_faults.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const { spawnSync } = require("child_process");
const { verdictOn } = require("../tslab-ext/watchdog");
const S = require("../tslab-ext/watchdog-slots");

function child(mode) {
  const r = spawnSync(process.execPath, [path.join(__dirname, "faults-child.js"), mode], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `child ${mode}: status ${r.status} signal ${r.signal}\n${r.stderr}`);
  assert.equal(r.stderr, "", `child ${mode} wrote to stderr`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

for (const mode of ["sync", "await", "microtask", "nextTick"]) {
  test(`SIGINT stops a cell busy ${mode === "sync" ? "synchronously" : "in a " + mode}; the next cell runs`, () => {
    const r = child(mode);
    assert.equal(r.result.ok, false);
    assert.equal(r.result.error.ename, "KeyboardInterrupt");
    assert.ok(Number.isFinite(r.latency) && r.latency < 2000, `stopped ${r.latency} ms after the signal (${r.took} ms after the cell started)`);
    assert.deepEqual(r.after, { ok: true, value: 42, store: true });
    assert.deepEqual(r.log, []);
  });
}

test("SIGINT stops a busy timer of a cell that awaits: the cell is interrupted once", () => {
  const r = child("timer");
  assert.equal(r.result.error.ename, "KeyboardInterrupt");
  assert.ok(Number.isFinite(r.latency) && r.latency < 2000, `stopped ${r.latency} ms after the signal (${r.took} ms after the cell started)`);
  // the stopped timer belongs to the cell the same interrupt ended: no second error on it
  assert.deepEqual(r.lateErrors, []);
  assert.deepEqual(r.after, { ok: true, value: 42, store: true });
});

test("the watchdog stops cell code, never the kernel's own, never an idle thread", () => {
  const site = (file) => ({ getFileName: () => file });
  assert.equal(verdictOn([]), S.IDLE);
  assert.equal(verdictOn([site("evalmachine.<anonymous>"), site("/x/kernel/tslab-ext/faults.js")]), S.STOP);
  assert.equal(verdictOn([site("node:internal/timers"), site("/x/dist/experiments/survey.js")]), S.STOP);
  assert.equal(verdictOn([site(undefined)]), S.STOP); // new Function / eval code
  assert.equal(verdictOn([site("/x/node_modules/typescript/lib/typescript.js"), site("evalmachine.<anonymous>")]), S.KERNEL);
  assert.equal(verdictOn([site("node:fs"), site("/x/kernel/tslab-ext/output.js")]), S.KERNEL);
  assert.equal(verdictOn([site("/x/node_modules/tslab/dist/converter.js")]), S.KERNEL);
  assert.equal(verdictOn([site("node:internal/timers")]), S.KERNEL);
  // cell code under a file name that looks like the kernel's (not a .js module of it) is cell code
  assert.equal(verdictOn([site("/x/kernel/tslab-ext/cell-3.ts")]), S.STOP);
});

test("process.exit / abort / kill of the kernel throw ExitRefusedError; other signals and pids pass", () => {
  const code = `
    const faults = require(${JSON.stringify(path.join(__dirname, "..", "tslab-ext", "faults.js"))});
    faults.install({ log: () => {} });
    const seen = [];
    for (const f of [() => process.exit(1), () => process.exit(), () => process.abort(), () => process.reallyExit(2),
                     () => process.kill(process.pid), () => process.kill(process.pid, "SIGTERM"), () => process.kill(0, 9),
                     () => process.kill(-process.pid, "SIGKILL")]) {
      try { f(); seen.push("returned"); } catch (e) { seen.push(e.name + (/restart the kernel/.test(e.message) ? "" : ": " + e.message)); }
    }
    seen.push(process.kill(process.pid, 0));
    console.log(JSON.stringify(seen));
    faults.exitKernel(3);`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 3, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [...Array(8).fill("ExitRefusedError"), true]);
});
