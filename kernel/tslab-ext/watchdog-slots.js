// Layout of the Int32Array that the main thread and the watchdog thread share (watchdog.js, watchdog-worker.js).
"use strict";
module.exports = Object.freeze({
  SIZE: 4,
  // slots
  RUNNING: 0, // id of the cell run (faults.js CellRun) the kernel is executing now, 0 when none (main thread writes)
  ACK: 1, // last interrupt id whose soft interrupt the main thread's event loop has handled (main writes)
  DECISION: 2, // hard-stop handshake: the main thread's verdict, or CANCELLED by the worker
  POSTED: 3, // hard-stop handshake: 1 once the worker has posted Runtime.terminateExecution
  // verdicts in DECISION
  STOP: 1, // cell code is running: terminate it
  IDLE: 2, // no JavaScript was running (the soft interrupt reaches the main thread by itself)
  KERNEL: 3, // the kernel's own code is running (compiling, sending): try again shortly
  CANCELLED: 4, // the worker stopped waiting for a verdict
});
