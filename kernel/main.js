#!/usr/bin/env node
// The linear-landscapes Jupyter kernel: tslab 1.0.22 (TypeScript 5.0.4) extended in kernel/tslab-ext/.
//
//   node kernel/main.js <connection_file>        (what the kernelspec written by kernel/install.js runs)
//
// Compared with `tslab kernel --config-path <file>` (tslab's main.js startKernel), this entry point
//  - does not look for another tslab installation up the directory tree (always the pinned one of this repo);
//  - creates tslab's executor with a capturing console (kernel/tslab-ext/execute.js), so compile errors,
//    runtime errors and last values become error replies / execute_result instead of stderr/stdout text;
//  - runs tslab's ZmqServer subclassed in kernel/tslab-ext/server.js (bind before receive, fixed replies,
//    ordered rich output, display hooks, history, stop_on_error semantics without the 200 ms abort window);
//  - keeps the kernel's own stderr empty in normal operation: uncaught errors from cell code (timers,
//    unawaited promises) go to the last cell's stderr stream, not to the process's stderr.
"use strict";
const util = require("util");

function main(argv) {
  const configPath = argv[0];
  if (!configPath) {
    process.stderr.write("usage: node kernel/main.js <connection_file>\n");
    process.exit(2);
  }
  const { createCellExecutor } = require("./tslab-ext/execute");
  const { ProjectServer, ProjectHandler } = require("./tslab-ext/server");

  // Frames in the library show src/…/file.ts:line:col (dist/ is built with source maps); cell frames are mapped
  // by tslab-ext/positions.js.
  process.setSourceMapsEnabled(true);
  const cells = createCellExecutor(process.cwd());
  cells.warm(); // build the TypeScript program now (≈1 s), not in the first cell
  const server = new ProjectServer(new ProjectHandler(cells), configPath, cells);

  // Jupyter interrupts with SIGINT (interrupt_mode "signal"): tslab's executor rejects the running cell's
  // top-level await, and vm's breakOnSigint stops synchronous code.
  process.on("SIGINT", () => cells.interrupt());
  const report = (what) => (err) => {
    const text = `${what}: ${util.inspect(err)}\n`;
    if (server.current) server.current.stream("stderr", text);
    else process.stderr.write(text);
  };
  process.on("uncaughtException", report("Uncaught exception"));
  process.on("unhandledRejection", report("Unhandled promise rejection"));

  server.init().catch((e) => {
    process.stderr.write(`linear-landscapes kernel: start-up failed: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
  return server;
}

if (require.main === module) main(process.argv.slice(2));

module.exports = { main };
