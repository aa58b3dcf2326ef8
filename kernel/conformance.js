#!/usr/bin/env node
// `npm run test:kernel`: the kernel conformance and protocol suites.
//
// 0. runs the kernel's Node tests (node --test kernel/tests/): unit tests of its pure parts, and the kernel
//    driven over the protocol from Node (cell semantics, tracebacks, help; kernel/tests/kernel-harness.js);
// 1. installs the kernelspec into the private prefix build/jupyter-test (JUPYTER_PATH points there, so the
//    user's Jupyter is neither needed nor touched);
// 2. runs kernel/test_conformance.py (jupyter_kernel_test, every sample attribute) and kernel/test_protocol.py
//    (nbclient with a failing cell, allow_errors, stop_on_error/abort semantics, comm_info, start-up time and
//    clean stderr over several starts) and kernel/test_faults.py (interrupts of busy code, process.exit, errors
//    of scheduled code) with Debian's /usr/bin/python3, from notebooks/ (the kernel's working
//    directory in the course, where `linear-landscapes` and @types/node resolve);
// 3. exits non-zero if either suite fails; the unittest summaries are printed as they come.
// Without Python's jupyter_kernel_test/jupyter_client/nbclient, steps 1-2 print one NOT RUN line with the install
// command and are skipped (a failure under LL_REQUIRE_ALL=1); step 0 needs Node only.
//
//   node kernel/conformance.js [--only units|suites|conformance|protocol|faults] [-k PATTERN]
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { install, KERNEL_NAME } = require("./install");

const ROOT = path.resolve(__dirname, "..");
const PREFIX = path.join(ROOT, "build", "jupyter-test");
const { PREREQS, PYTHON, requireAll, notRunLine } = require("./prereqs");

function main(argv) {
  let only = null;
  const extra = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") only = argv[++i];
    else if (argv[i] === "-k") extra.push("-k", argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const cwd = fs.existsSync(path.join(ROOT, "notebooks")) ? path.join(ROOT, "notebooks") : ROOT;
  const runtime = path.join(PREFIX, "runtime");
  fs.mkdirSync(runtime, { recursive: true });
  const env = {
    ...process.env,
    JUPYTER_PATH: PREFIX,
    JUPYTER_RUNTIME_DIR: runtime,
    PYTHONUNBUFFERED: "1",
    PYTHONWARNINGS: "ignore",
  };
  let suites = [
    ["conformance", path.join(__dirname, "test_conformance.py")],
    ["protocol", path.join(__dirname, "test_protocol.py")],
    ["faults", path.join(__dirname, "test_faults.py")],
  ].filter(([name]) => !only || only === name || only === "suites");
  const failed = [];
  if (suites.length && PREREQS["jupyter-kernel-test"].missing()) {
    console.log(notRunLine("the kernel conformance and protocol suites", "jupyter-kernel-test"));
    if (requireAll()) failed.push("suites (not run)");
    suites = [];
  }
  if (suites.length) console.log(`kernelspec: ${install({ prefix: PREFIX, name: KERNEL_NAME }).file}`);
  if (!only || only === "units") {
    console.log(`\n=== kernel unit tests: node --test kernel/tests/`);
    const res = spawnSync(process.execPath, ["--test", path.join(__dirname, "tests")], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    const summary = (res.stdout || "").split("\n").filter((l) => /^# (tests|pass|fail|skipped)|^not ok/.test(l));
    console.log(summary.join("\n"));
    if (res.status !== 0) {
      console.log(res.stdout);
      failed.push("units");
    }
  }
  for (const [name, file] of suites) {
    console.log(`\n=== kernel ${name} suite: ${PYTHON} ${path.relative(ROOT, file)} (cwd ${path.relative(ROOT, cwd) || "."})`);
    const t0 = Date.now();
    const res = spawnSync(PYTHON, [file, "-v", ...extra], { cwd, env, stdio: "inherit", timeout: 600_000 });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (res.error || res.status !== 0) {
      failed.push(name);
      console.log(`=== kernel ${name} suite FAILED (${secs} s)${res.error ? ": " + res.error.message : ""}`);
    } else console.log(`=== kernel ${name} suite passed (${secs} s)`);
  }
  if (failed.length) {
    console.error(`kernel tests failed: ${failed.join(", ")}`);
    process.exit(1);
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`kernel/conformance.js: ${e.message}`);
  process.exit(2);
}
