#!/usr/bin/env node
// `npm test`: every check of the project, in order, with their output streamed:
//   unit        npm run test:unit        node:test over test/**/*.test.ts                        Node only
//   kernel      npm run test:kernel      kernel unit + Node-client tests (Node only), then the
//                                        jupyter_kernel_test conformance and protocol suites     + Python Jupyter
//   course      npm run course           all notebooks through the project kernel, site built     Node only
//   crosscheck  npm run test:crosscheck  nbclient runs the chapters again: same notebooks?       + Python nbclient
//   browser     npm run test:browser     headless chromium over the built site                   + Chromium
// All stages run even when one fails. A stage (or the Jupyter half of the kernel stage) whose prerequisite is
// missing prints one `NOT RUN: ... install with: ...` line and counts as "not run", not as a failure, unless
// LL_REQUIRE_ALL=1 (CI, .ci/run), where it fails. At the end: one summary line per stage, the stages not run,
// then exactly `N passed, N failed` (tests counted from each stage's own report; a stage whose count cannot be
// read counts as one test). A stage whose script is missing FAILS. Exit code 1 if anything failed.
//
// Options: --only unit,course (run a subset while developing), --list
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");

const { PREREQS, requireAll } = require("./prereqs");

const ROOT = path.resolve(__dirname, "..");

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

// `needs`: what must exist (else the stage FAILS); `prereq`: what may be absent on a fresh machine (else "not run")
const STAGES = [
  { name: "unit", script: "test:unit", needs: () => (findTests(path.join(ROOT, "test")).length ? null : "no test/**/*.test.ts files") },
  { name: "kernel", script: "test:kernel", needs: () => needFile("kernel/conformance.js"), partial: "jupyter-kernel-test" },
  { name: "course", script: "course", needs: () => needFile("kernel/course.js") },
  { name: "crosscheck", script: "test:crosscheck", needs: () => needFile("kernel/crosscheck.js") || needFile("kernel/run_notebooks.py"), prereq: "nbclient" },
  { name: "browser", script: "test:browser", needs: () => needFile("kernel/browser-check.js"), prereq: "chromium" },
];

function needFile(rel) {
  return fs.existsSync(path.join(ROOT, rel)) ? null : `${rel} is missing`;
}

/**
 * Reads test counts from a stage's output; null when it has no recognisable summary. A stage may run
 * several suites (the kernel stage runs node:test and two unittest suites): their counts are added.
 */
function parseCounts(text) {
  const clean = text.replace(/\x1b\[[0-9;]*m/g, "");
  // our own scripts (and anything else that follows the convention): last "N passed, N failed"
  const generic = [...clean.matchAll(/^\s*(\d+) passed, (\d+) failed\s*$/gm)].pop();
  if (generic) return { passed: +generic[1], failed: +generic[2], from: "summary line" };
  let passed = 0;
  let failed = 0;
  const from = [];
  // node:test, spec reporter ("ℹ pass 12") or TAP ("# pass 12"): one summary per run
  const sum = (re) => [...clean.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const nodePass = [...clean.matchAll(/^(?:ℹ|#) pass (\d+)\s*$/gm)];
  if (nodePass.length) {
    passed += sum(/^(?:ℹ|#) pass (\d+)\s*$/gm);
    failed += sum(/^(?:ℹ|#) fail (\d+)\s*$/gm) + sum(/^(?:ℹ|#) cancelled (\d+)\s*$/gm);
    from.push("node:test");
  }
  // Python unittest: "Ran 14 tests in 3.2s" then "OK" or "FAILED (failures=1, errors=2)"
  const runs = [...clean.matchAll(/^Ran (\d+) tests? in /gm)];
  runs.forEach((ran, k) => {
    const tail = clean.slice(ran.index, k + 1 < runs.length ? runs[k + 1].index : undefined);
    const status = /^(OK|FAILED)\b(?: \(([^)]*)\))?/m.exec(tail);
    let bad = 0;
    let skipped = 0;
    if (status && status[2]) {
      for (const m of status[2].matchAll(/(failures|errors|unexpected successes)=(\d+)/g)) bad += Number(m[2]);
      const sk = /skipped=(\d+)/.exec(status[2]);
      if (sk) skipped = Number(sk[1]);
    }
    if (status && status[1] === "FAILED" && bad === 0) bad = 1;
    passed += Number(ran[1]) - bad - skipped;
    failed += bad;
  });
  if (runs.length) from.push(runs.length > 1 ? `unittest ×${runs.length}` : "unittest");
  return from.length ? { passed, failed, from: from.join(" + ") } : null;
}

function runStage(stage) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const missing = stage.needs();
    if (missing) {
      console.log(`\n=== ${stage.name}: cannot run: ${missing}`);
      resolve({ ...stage, code: 1, ms: 0, counts: null, note: missing });
      return;
    }
    const absent = stage.prereq && PREREQS[stage.prereq].missing();
    if (absent) {
      const how = PREREQS[stage.prereq].install;
      console.log(`\n=== ${stage.name}: NOT RUN: needs ${absent}; install with: ${how}`);
      resolve({ ...stage, code: requireAll() ? 1 : 0, ms: 0, counts: null, notRun: `needs ${absent}`, install: how });
      return;
    }
    console.log(`\n=== ${stage.name}: npm run ${stage.script}`);
    const child = spawn("npm", ["run", stage.script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
    let text = "";
    const keep = (chunk) => {
      text += chunk;
      if (text.length > 2e6) text = text.slice(-1e6);
    };
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      keep(d.toString());
    });
    child.stderr.on("data", (d) => {
      process.stderr.write(d);
      keep(d.toString());
    });
    child.on("error", (e) => resolve({ ...stage, code: 1, ms: Date.now() - t0, counts: null, note: e.message }));
    child.on("close", (code, signal) => {
      // a stage that ran only in part (the kernel stage without Python Jupyter) says so with a NOT RUN line
      const partly = stage.partial && /^NOT RUN: /m.test(text) ? PREREQS[stage.partial] : null;
      resolve({ ...stage, code: code ?? 1, signal, ms: Date.now() - t0, counts: parseCounts(text), partlyNotRun: partly && (partly.missing() || stage.partial), install: partly && partly.install });
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  let stages = STAGES;
  const oi = argv.indexOf("--only");
  if (argv.includes("--list")) {
    for (const s of STAGES) {
      const pre = s.prereq || s.partial;
      console.log(`${s.name.padEnd(10)} npm run ${s.script.padEnd(16)} ${pre ? `needs ${pre}${s.partial ? " for part of it" : ""} (${PREREQS[pre].missing() ? "missing" : "present"})` : "Node only"}`);
    }
    return 0;
  }
  if (oi >= 0) {
    const want = (argv[oi + 1] || "").split(",").filter(Boolean);
    const unknown = want.filter((w) => !STAGES.some((s) => s.name === w));
    if (!want.length || unknown.length) {
      console.error(`test-all: --only takes a comma-separated list of ${STAGES.map((s) => s.name).join(", ")}`);
      return 2;
    }
    stages = STAGES.filter((s) => want.includes(s.name));
  }
  const t0 = Date.now();
  const results = [];
  for (const s of stages) results.push(await runStage(s));

  let passed = 0;
  let failed = 0;
  console.log("\n=== summary");
  const notRun = [];
  for (const r of results) {
    let p;
    let f;
    if (r.notRun) {
      notRun.push(r);
      const status = requireAll() ? "FAIL" : "--  ";
      if (requireAll()) failed += 1;
      console.log(`${status} ${r.name.padEnd(10)} not run: ${r.notRun}${requireAll() ? " (LL_REQUIRE_ALL=1)" : ""}`);
      continue;
    }
    if (r.partlyNotRun) notRun.push({ ...r, name: `${r.name} (Jupyter suites)`, notRun: `needs ${r.partlyNotRun}` });
    if (r.counts) {
      p = r.counts.passed;
      f = r.counts.failed;
      if (r.code !== 0 && f === 0) f = 1; // the stage failed outside its tests (crash, setup, stderr check)
    } else {
      p = r.code === 0 ? 1 : 0;
      f = r.code === 0 ? 0 : 1;
    }
    passed += p;
    failed += f;
    const status = r.code === 0 && f === 0 ? "ok  " : "FAIL";
    let detail = r.note ? r.note : r.counts ? `${p} passed, ${f} failed (${r.counts.from})` : `exit ${r.code}${r.signal ? ` (${r.signal})` : ""}`;
    if (r.partlyNotRun) detail += "; Jupyter suites not run";
    console.log(`${status} ${r.name.padEnd(10)} ${detail.padEnd(44)} ${(r.ms / 1000).toFixed(1).padStart(6)} s`);
  }
  if (notRun.length) {
    console.log(`not run (${notRun.length}): ${notRun.map((r) => r.name).join(", ")}${requireAll() ? "; LL_REQUIRE_ALL=1 makes this a failure" : ""}`);
    for (const r of notRun) console.log(`  ${r.name}: ${r.notRun}; install with: ${r.install}`);
  }
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
