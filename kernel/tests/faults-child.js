// Child process of faults.test.js: runs one "cell" (faults.runCell) whose code keeps the main thread busy in
// the way named by argv[2], interrupts it with a real SIGINT after 400 ms, and prints one JSON line: the cell's
// result, what later code observed, and timings (`latency`: from the signal to the cell's end).
"use strict";
const { spawn } = require("child_process");
const faults = require("../tslab-ext/faults");

const mode = process.argv[2];
const lateErrors = [];
const fakeOutput = { send: (type, content) => lateErrors.push([type, content.ename]) };
const log = [];
faults.install({ log: (text) => log.push(text) });

const busy = {
  sync: () => {
    while (true);
  },
  await: async () => {
    await new Promise((r) => setTimeout(r, 10));
    while (true);
  },
  timer: () => {
    setTimeout(() => {
      while (true);
    }, 10);
    return new Promise((r) => setTimeout(r, 5000)); // the cell itself waits (soft-interruptible)
  },
  microtask: () => {
    queueMicrotask(() => {
      while (true);
    });
  },
  nextTick: async () => {
    await null;
    process.nextTick(() => {
      while (true);
    });
    await new Promise(() => {});
  },
};

async function main() {
  await faults.startWatchdog(null, null);
  const before = { value: 41 };
  const run = new faults.CellRun(fakeOutput);
  // the shell prints the time just before its `kill` (a builtin: no process start between the two), so the
  // latency below is measured from the signal, not from when a loaded machine got round to running the shell
  const killer = spawn("sh", ["-c", `sleep 0.4; date +%s%3N; kill -INT ${process.pid}`], { stdio: ["ignore", "pipe", "ignore"] });
  let killerOut = "";
  killer.stdout.on("data", (d) => (killerOut += d));
  const killerDone = new Promise((resolve) => killer.on("close", resolve));
  const t0 = Date.now();
  const result = await faults.runCell(run, busy[mode]);
  const end = Date.now();
  const took = end - t0;
  await killerDone;
  const latency = end - Number(killerOut.trim());
  // the event loop, timers, microtasks and async contexts work afterwards; a second cell runs
  const after = await faults.runCell(new faults.CellRun(fakeOutput), async () => {
    await new Promise((r) => setTimeout(r, 20));
    await null;
    return { ok: true, value: before.value + 1, store: faults.currentRun() !== undefined };
  });
  process.stdout.write(JSON.stringify({ result, took, latency, after, lateErrors, log }) + "\n");
  await faults.exitKernel(0);
}
main();
