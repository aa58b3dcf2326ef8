/**
 * Worker side of the junk property test: receives a plan of calls (function index, junk indices), makes them in
 * order and reports, before each call, which call starts (so the main thread can name a call that hangs), and after
 * it, the oracle's outcome.
 */
import { parentPort, workerData } from "worker_threads";
import { functions, judge, pool } from "./junk";

/** An argument: an index into the junk pool, or a literal value (structured-cloned from the main thread). */
type Arg = number | { literal: unknown };

interface Plan {
  calls: Array<{ f: number; args: Arg[] }>;
  from: number;
}

const show = (a: Arg): string => (typeof a === "number" ? P[a % P.length][0] : `literal ${JSON.stringify(a.literal)?.slice(0, 60)}`);
const make = (a: Arg): unknown => (typeof a === "number" ? P[a % P.length][1]() : a.literal);

const fns = functions();
const P = pool();

async function run(plan: Plan): Promise<void> {
  for (let k = plan.from; k < plan.calls.length; k++) {
    const c = plan.calls[k];
    const [group, name, f] = fns[c.f % fns.length];
    const label = `${group}.${name}(${c.args.map(show).join(", ")})`;
    parentPort!.postMessage({ type: "start", k, label });
    const args = c.args.map(make);
    let res: { value?: unknown; error?: unknown };
    try {
      res = { value: f(...args) };
      if (res.value instanceof Promise) {
        try {
          res = { value: await res.value };
        } catch (e) {
          res = { error: e };
        }
      }
    } catch (e) {
      res = { error: e };
    }
    parentPort!.postMessage({ type: "done", k, label, outcome: judge(res) });
  }
  parentPort!.postMessage({ type: "end" });
}

if (parentPort && workerData && (workerData as { fuzz?: boolean }).fuzz) {
  void run((workerData as { plan: Plan }).plan);
}
