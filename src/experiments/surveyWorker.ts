/**
 * Worker-thread entry of {@link survey} (not part of the public API): rebuilds the landscape from its
 * `ProblemSpec`, then answers `{ type: "run", run: i }` with `{ type: "result", record }`, computing run `i`
 * exactly as the in-thread survey does. Loaded from `dist/experiments/surveyWorker.js`.
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { buildProblem, ProblemSpec } from "./problem";
import { RunSettings, surveyRun } from "./survey";

if (parentPort && workerData && (workerData as { surveyWorker?: boolean }).surveyWorker) {
  const port = parentPort;
  const { spec, settings } = workerData as { spec: ProblemSpec; settings: RunSettings };
  try {
    const L = buildProblem(spec);
    port.on("message", (m: { type: string; run: number }) => {
      if (m.type !== "run") return;
      try {
        port.postMessage({ type: "result", record: surveyRun(L, m.run, settings) });
      } catch (e) {
        port.postMessage({ type: "error", error: e instanceof Error ? e.message : String(e) });
      }
    });
    port.postMessage({ type: "ready" });
  } catch (e) {
    port.postMessage({ type: "error", error: e instanceof Error ? e.message : String(e) });
  }
}
