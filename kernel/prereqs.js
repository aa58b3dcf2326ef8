// What the optional test stages need beyond Node, how to tell whether it is there, and how to install it.
// Used by kernel/test-all.js (a stage that cannot run is "not run", or a failure under LL_REQUIRE_ALL=1),
// kernel/conformance.js and kernel/crosscheck.js.
"use strict";
const fs = require("fs");
const { spawnSync } = require("child_process");

const PYTHON = process.env.LL_PYTHON || "/usr/bin/python3";
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function pythonHas(modules) {
  const r = spawnSync(PYTHON, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

/** Each prerequisite: `missing()` returns null when present, else what is missing; `install` is the command to get it. */
const PREREQS = {
  "jupyter-kernel-test": {
    missing: () => (pythonHas(["jupyter_kernel_test", "jupyter_client", "nbclient", "nbformat"]) ? null : `${PYTHON} with jupyter_kernel_test, jupyter_client and nbclient`),
    install: "sudo apt-get install python3-jupyter-kernel-test python3-nbclient   (or: pip install jupyter_kernel_test nbclient)",
  },
  nbclient: {
    missing: () => (pythonHas(["nbclient", "nbformat"]) ? null : `${PYTHON} with nbclient and nbformat`),
    install: "sudo apt-get install python3-nbclient   (or: pip install nbclient)",
  },
  chromium: {
    missing: () => (fs.existsSync(CHROMIUM) ? null : `Chromium at ${CHROMIUM} (or set CHROMIUM_PATH)`),
    install: "sudo apt-get install chromium",
  },
};

/** True when every stage must run (CI): LL_REQUIRE_ALL=1. */
const requireAll = () => /^(1|true|yes)$/i.test(process.env.LL_REQUIRE_ALL || "");

/** The one line a stage prints when it cannot run. */
function notRunLine(what, prereq) {
  return `NOT RUN: ${what} needs ${PREREQS[prereq].missing() || prereq}; install with: ${PREREQS[prereq].install}`;
}

module.exports = { PREREQS, PYTHON, CHROMIUM, requireAll, notRunLine, pythonHas };
