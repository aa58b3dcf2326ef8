/**
 * Main-thread side of the junk property test: runs a plan of calls in a worker thread with a watchdog. A call that
 * does not finish within `hangMs` is recorded as a hang, the worker is terminated and a fresh one resumes after it.
 */
import { Worker } from "worker_threads";
import * as path from "path";
import type { Outcome } from "./junk";

/** One call's record. */
export interface CallRecord {
  k: number;
  label: string;
  outcome: Outcome | { kind: "hang" };
}

/** Runs `calls` (indices into the function list and the junk pool) with a per-call watchdog. */
export async function runPlan(calls: Array<{ f: number; args: Array<number | { literal: unknown }> }>, hangMs = 10000): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  let from = 0;
  while (from < calls.length) {
    from = await new Promise<number>((resolve, reject) => {
      // the worker loads the TypeScript sources through tsx's CommonJS hook (a .ts worker entry is not loadable as such)
      const code = `require("tsx/cjs"); require(${JSON.stringify(path.join(__dirname, "fuzzWorker.ts"))});`;
      const w = new Worker(code, { eval: true, workerData: { fuzz: true, plan: { calls, from } } });
      let current: { k: number; label: string } | null = null;
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const c = current;
          void w.terminate();
          if (c) records.push({ k: c.k, label: c.label, outcome: { kind: "hang" } });
          resolve(c ? c.k + 1 : calls.length);
        }, hangMs);
      };
      arm();
      w.on("message", (m: { type: string; k: number; label: string; outcome?: Outcome }) => {
        if (m.type === "start") {
          current = { k: m.k, label: m.label };
          arm();
        } else if (m.type === "done") {
          records.push({ k: m.k, label: m.label, outcome: m.outcome! });
          current = null;
        } else if (m.type === "end") {
          clearTimeout(timer);
          void w.terminate();
          resolve(calls.length);
        }
      });
      w.on("error", (e) => {
        clearTimeout(timer);
        const c = current;
        if (c) {
          records.push({ k: c.k, label: c.label, outcome: { kind: "fail", why: `worker crashed: ${String(e).slice(0, 200)}` } });
          resolve(c.k + 1);
        } else reject(e);
      });
    });
  }
  return records;
}
