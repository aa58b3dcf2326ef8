/**
 * Profiling helper for the hot paths (not part of `npm run bench`).
 *
 *   node --import tsx bench/profile.ts lossgrad-matrix|lossgrad-data|gd|hessian [seconds]
 *   node --cpu-prof --cpu-prof-dir=bench/results/tmp/prof --import tsx bench/profile.ts gd 3
 *   node --import tsx bench/profile.ts summary bench/results/tmp/prof/<file>.cpuprofile
 *
 * Runs one workload in a loop for the given time and prints calls per second; `summary` prints the functions
 * with the most self time in a `.cpuprofile` written by `node --cpu-prof`.
 * @module
 */
import * as fs from "node:fs";
import { DEFAULT_WORKLOADS, buildCases, landscapeOf, tsImpls } from "./workloads";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function summary(file: string): void {
  const prof = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const self = new Map<string, number>();
  const hits = new Map<number, number>();
  for (const s of prof.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
  let total = 0;
  for (const n of prof.nodes) {
    const h = hits.get(n.id) ?? 0;
    total += h;
    const f = n.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/work\/main\//, "")}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + h);
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [k, v] of rows) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

function main(): void {
  const [what, arg] = process.argv.slice(2);
  if (what === "summary") return summary(arg);
  const seconds = Number(arg ?? 2);
  const cases = buildCases(DEFAULT_WORKLOADS);
  const pick: Record<string, string> = {
    "lossgrad-matrix": "lossgrad/matrix (4,2,4)",
    "lossgrad-data": "lossgrad/data (32,16,32) n=500",
    "lossgrad-data-mid": "lossgrad/data (10,8,6,8,10) n=200",
    gd: "gd/square (4,2,4)",
    "gd-weighted": "gd/weighted (2,1,2)",
    hessian: "hessian/dense (4,2,3,4)",
    hvp: "hessian/hvp (4,2,3,4)",
    "survey-gd": "survey/gd (4,2,4)",
    "survey-lbfgs": "survey/lbfgs (4,2,4)",
  };
  const c = cases.find((x) => x.id === pick[what]);
  if (!c) throw new Error(`profile: unknown workload ${what}; one of ${Object.keys(pick).join(", ")}, summary`);
  landscapeOf(c);
  const run = tsImpls(c)[0].run;
  let calls = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(seconds * 1e9));
  let sink: unknown;
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 100; i++) sink = run();
    calls += 100;
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${c.id}: ${calls} calls in ${dt.toFixed(2)} s = ${((dt / calls) * 1e6).toFixed(3)} µs per call (${typeof sink})`);
}

main();
