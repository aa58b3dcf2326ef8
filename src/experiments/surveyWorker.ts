/**
 * Worker-thread entry of {@link survey} (not part of the public API): a member of the warm pool of
 * `workerPool.ts`. Answers `{ type: "chunk", spec, settings, runs }` with `{ type: "results", records }` (the records
 * as columns, `runColumns.ts`), computing
 * the runs exactly as the in-thread survey does (`surveyChunk`: batched when the runs share a deep linear landscape
 * and fixed-step GD); the landscape is rebuilt once per problem (cached by its spec). Loaded from
 * `dist/experiments/surveyWorker.js`.
 * @module
 */
import { parentPort, workerData } from "worker_threads";
import { buildProblem, ProblemSpec } from "./problem";
import { RunSettings, surveyChunk } from "./survey";
import { toColumns } from "./runColumns";
import type { Landscape } from "../landscape/landscape";

if (parentPort && workerData && (workerData as { surveyWorker?: boolean }).surveyWorker) {
  const port = parentPort;
  const cache = new Map<string, Landscape>();
  port.on("message", (m: { type: string; spec: ProblemSpec; settings: RunSettings; runs: number[] }) => {
    if (m.type !== "chunk") return;
    try {
      const key = JSON.stringify(m.spec);
      let L = cache.get(key);
      if (!L) {
        if (cache.size > 8) cache.clear();
        L = buildProblem(m.spec);
        cache.set(key, L);
      }
      const records = toColumns(surveyChunk(L, m.runs, m.settings));
      port.postMessage({ type: "results", records }, [records.num.buffer]);
    } catch (e) {
      port.postMessage({ type: "error", error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ type: "ready" });
}
