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
//    unawaited promises) become error outputs of the cell that scheduled them (kernel/tslab-ext/faults.js);
//  - stops busy cell code on interrupt, also after an await or in a timer (watchdog thread, faults.js), and
//    refuses process.exit in cells.
"use strict";

function main(argv) {
  const configPath = argv[0];
  if (!configPath) {
    process.stderr.write("usage: node kernel/main.js <connection_file>\n");
    process.exit(2);
  }
  const { createCellExecutor } = require("./tslab-ext/execute");
  const { ProjectServer, ProjectHandler } = require("./tslab-ext/server");
  const faults = require("./tslab-ext/faults");
  const realStderr = process.stderr.write.bind(process.stderr); // before server.js routes stderr to cells

  // Frames in the library show src/…/file.ts:line:col (dist/ is built with source maps); cell frames are mapped
  // by tslab-ext/positions.js.
  process.setSourceMapsEnabled(true);
  const cells = createCellExecutor(process.cwd());
  const server = new ProjectServer(new ProjectHandler(cells), configPath, cells);

  // Interrupts (SIGINT or interrupt_request), errors thrown by code a cell scheduled, process.exit in cells:
  // kernel/tslab-ext/faults.js (the watchdog thread starts in server.init).
  faults.install({ log: (text) => realStderr(`linear-landscapes kernel: ${text}\n`), interruptExecutor: () => cells.interrupt() });

  // init starts the watchdog thread synchronously and then awaits it: it boots while this thread warms up.
  server.init().catch((e) => {
    realStderr(`linear-landscapes kernel: start-up failed: ${e && e.stack ? e.stack : e}\n`);
    faults.exitKernel(1);
  });
  cells.warm(); // build the TypeScript program now (≈1 s), not in the first cell
  return server;
}

if (require.main === module) main(process.argv.slice(2));

module.exports = { main };
