/**
 * `npm run bench [-- --quick] [-- --only=SUBSTRING]`: the same work in our TypeScript library and in numpy and
 * torch (CPU, float64), in one run. Steps:
 *  1. build the seeded inputs and write them to `bench/results/tmp/inputs.json`;
 *  2. correctness: our outputs and every peer's (`peers.py check`) on the same inputs, compared to 1e-10
 *     relative; a failed check stops the run before any timing;
 *  3. timing of our side (this process, single-threaded JS), then of the peers (`peers.py time`, one thread);
 *  4. ratios ours / peer, absolute times, machine facts: printed and written to `bench/results/latest.md` and
 *     `bench/results/latest.json`.
 * See bench/README.md.
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Timing, TimingConfig, bench, fmtRatio, fmtTime, peerEnv } from "./timing";
import { Case, DEFAULT_WORKLOADS, WorkloadConfig, buildCases, tsImpls } from "./workloads";
import { runInterleaved } from "./interleaved";
import { KernelLoopRow, kernelLoops, kernelTable } from "./kernel";

const HERE = __dirname;
const RESULTS = path.join(HERE, "results");
const TMP = path.join(RESULTS, "tmp");
const PYTHON = "/usr/bin/python3";

/** Tolerances of the correctness check (relative, max-norm). */
const STRICT_TOL = 1e-10; // one evaluation: value, gradient, Hessian, HVP, 10 GD iterates
const TRAJECTORY_TOL = 1e-8; // end of 10k GD steps / of a survey run: rounding can grow along a trajectory
/**
 * Above this many cores used by other processes during timing, the report warns (and our side is retried):
 * our side and each peer are single-threaded, so contention starts when the others need more than the
 * remaining cores (0.9 on the two-core machine, where one thread runs per core).
 */
const MAX_OTHER_CORES = Math.max(0.5, os.cpus().length - 1.1);
const COUNT_TOL = 0.01; // survey iteration / evaluation totals (same algorithm; rounding may flip a rare stopping test)

interface Args {
  quick: boolean;
  only: string | null;
  skipPython: boolean;
  skipKernel: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, only: null, skipPython: false, skipKernel: false };
  for (const s of argv) {
    if (s === "--quick") a.quick = true;
    else if (s.startsWith("--only=")) a.only = s.slice(7);
    else if (s === "--no-python") a.skipPython = true;
    else if (s === "--no-kernel") a.skipKernel = true;
    else if (s === "--help" || s === "-h") {
      console.log("usage: npm run bench [-- --quick] [-- --only=SUBSTRING|kernel] [-- --no-python] [-- --no-kernel]");
      process.exit(0);
    } else throw new Error(`bench: unknown argument ${s}`);
  }
  return a;
}

function configs(a: Args): { timing: TimingConfig; work: WorkloadConfig } {
  const work: WorkloadConfig = JSON.parse(JSON.stringify(DEFAULT_WORKLOADS));
  if (a.quick) {
    work.gdSteps = 2000;
    work.survey.runs = 20;
    work.survey.checkRuns = 5;
    return { timing: { k: 3, targetMs: 20, warmupMs: 30, kLong: 1 }, work };
  }
  return { timing: { k: 7, targetMs: 50, warmupMs: 100, kLong: 3 }, work };
}

// ------------------------------------------------------------------ correctness

interface CheckRow {
  id: string;
  impl: string;
  key: string;
  relErr: number;
  tol: number | null; // null: information only
  pass: boolean;
}

function flatten(v: unknown, out: number[] = []): number[] {
  if (typeof v === "number") out.push(v);
  else if (Array.isArray(v)) for (const x of v) flatten(x, out);
  return out;
}

/** max |a - b| / max |a| (a = ours). */
function relErr(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(a[i]));
  }
  return den === 0 ? num : num / den;
}

/** Peers that run another algorithm (reference only: their outputs are reported, not required to match). */
const OTHER_ALGORITHM = new Set(["scipy-lbfgsb", "torch-lbfgs"]);

function tolFor(key: string): number | null {
  if (key === "finalValue" || key === "finalValues") return TRAJECTORY_TOL;
  if (key === "iterations" || key === "evaluations") return COUNT_TOL;
  return STRICT_TOL;
}

function compare(id: string, impl: string, ours: Record<string, unknown>, peer: Record<string, unknown>): CheckRow[] {
  const rowsOut: CheckRow[] = [];
  for (const key of Object.keys(ours)) {
    if (!(key in peer)) continue;
    const a = flatten(ours[key]);
    const b = flatten(peer[key]);
    let tol = tolFor(key);
    if (OTHER_ALGORITHM.has(impl)) tol = null;
    const e = key === "iterations" || key === "evaluations" ? Math.abs(a[0] - b[0]) / Math.max(1, a[0]) : relErr(a, b);
    rowsOut.push({ id, impl, key, relErr: e, tol, pass: tol === null || e <= tol });
  }
  return rowsOut;
}

// ------------------------------------------------------------------ machine facts

function cpuModel(): string {
  try {
    const m = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? "unknown";
}

/** CPU time snapshot: all CPUs' busy time and this process's (with its waited-for children), in clock ticks. */
interface CpuSnap {
  busy: number;
  self: number;
  wall: number;
}

function cpuSnap(): CpuSnap | null {
  try {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3] + (cpu[4] || 0); // idle + iowait
    const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
    const st = fs.readFileSync("/proc/self/stat", "utf8");
    const f = st.slice(st.lastIndexOf(")") + 2).split(" ").map(Number); // fields from 3 (state) on
    const self = f[11] + f[12] + f[13] + f[14]; // utime stime cutime cstime (fields 14..17)
    return { busy, self, wall: Date.now() / 1000 };
  } catch {
    return null;
  }
}

/** Average number of cores used by OTHER processes between two snapshots (USER_HZ = 100 ticks per second). */
function otherCores(a: CpuSnap | null, b: CpuSnap | null): number {
  if (!a || !b || b.wall <= a.wall) return NaN;
  return Math.max(0, (b.busy - a.busy - (b.self - a.self)) / 100 / (b.wall - a.wall));
}

function cpuFlags(): string {
  try {
    const m = /flags\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return m[1].split(/\s+/).filter((f) => /^(avx|avx2|avx512f|fma|sse4_2)$/.test(f)).join(" ");
  } catch {
    /* not Linux */
  }
  return "";
}


function runPeers(mode: "check" | "time", inputs: string): { machine: Record<string, unknown>; results: Array<Record<string, unknown>> } {
  const outFile = path.join(TMP, `peers-${mode}.json`);
  const r = spawnSync(PYTHON, [path.join(HERE, "peers.py"), mode, inputs, outFile], {
    env: peerEnv(),
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error(`bench: ${PYTHON} peers.py ${mode} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ""})`);
  return JSON.parse(fs.readFileSync(outFile, "utf8"));
}

// ------------------------------------------------------------------ report

interface Measured {
  id: string;
  impl: string;
  time: Timing;
  extra?: Record<string, unknown>;
}

const MAIN_PEERS = ["numpy", "torch", "torch-autograd"];

function table(cases: Case[], times: Measured[], checks: CheckRow[]): string {
  const t = (id: string, impl: string): Timing | undefined => times.find((m) => m.id === id && m.impl === impl)?.time;
  const worstCheck = (id: string): string => {
    const rs = checks.filter((c) => c.id === id && c.tol !== null);
    if (rs.length === 0) return "–";
    const worst = Math.max(...rs.map((c) => c.relErr));
    return `${rs.every((c) => c.pass) ? "ok" : "FAIL"} ${worst.toExponential(0)}`;
  };
  const lines: string[] = [];
  const titles: Record<Case["group"], string> = {
    lossgrad: "1. Loss + gradient of a deep linear network (time per call)",
    gd: "2. Tiny-matrix optimiser steps (time per run of fixed-step GD)",
    hessian: "3. Second order (time per call)",
    survey: "4. Survey: seeded runs from the same starts (wall time of all runs)",
  };
  for (const group of ["lossgrad", "gd", "hessian", "survey"] as const) {
    const cs = cases.filter((c) => c.group === group);
    if (cs.length === 0) continue;
    lines.push(`### ${titles[group]}`, "");
    lines.push("| workload | unit | ours | numpy | torch | torch autograd | ours/numpy | ours/torch | ours/torch autograd | check (max rel. err) |");
    lines.push("|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
    for (const c of cs) {
      const o = t(c.id, "ours");
      const cells = MAIN_PEERS.map((p) => t(c.id, p));
      const ratios = cells.map((p) => (o && p ? fmtRatio(o.median / p.median) : "–"));
      lines.push(`| ${c.label} | ${c.unit} | ${o ? fmtTime(o.median) : "–"} | ${cells.map((p) => (p ? fmtTime(p.median) : "–")).join(" | ")} | ${ratios.join(" | ")} | ${worstCheck(c.id)} |`);
    }
    lines.push("");
    const others = times.filter((m) => cs.some((c) => c.id === m.id) && m.impl !== "ours" && !MAIN_PEERS.includes(m.impl));
    if (others.length > 0) {
      lines.push("Other implementations of the same cases:", "");
      lines.push("| workload | implementation | time | ours / it | note |");
      lines.push("|---|---|--:|--:|---|");
      for (const m of others) {
        const c = cs.find((x) => x.id === m.id)!;
        const o = t(c.id, "ours");
        lines.push(`| ${c.label} | ${m.impl} | ${fmtTime(m.time.median)} | ${o ? fmtRatio(o.median / m.time.median) : "–"} | ${IMPL_NOTES[m.impl] ?? ""} |`);
      }
      lines.push("");
    }
    if (group === "survey") {
      lines.push("Iterations / evaluations of L and grad L summed over the runs (same starts), and time per evaluation:", "");
      lines.push("| workload | implementation | iterations | evaluations | time / evaluation | ours / it (per evaluation) |");
      lines.push("|---|---|--:|--:|--:|--:|");
      for (const c of cs) {
        const oursM = times.find((x) => x.id === c.id && x.impl === "ours");
        const perEval = (m: Measured | undefined): number => (m && typeof m.extra?.evaluations === "number" ? m.time.median / (m.extra.evaluations as number) : NaN);
        for (const m of times.filter((x) => x.id === c.id)) {
          const e = m.extra ?? {};
          lines.push(`| ${c.label} | ${m.impl} | ${e.iterations ?? "–"} | ${e.evaluations ?? "–"} | ${fmtTime(perEval(m))} | ${fmtRatio(perEval(oursM) / perEval(m))} |`);
        }
      }
      lines.push("");
    }
  }
  return lines.join("\n");
}

const IMPL_NOTES: Record<string, string> = {
  "ours-generic": "Landscape.valueAndGradientFlatGeneric: the reference path through ml-matrix and dMuT",
  "ours-loop": "bare loop over valueAndGradientFlat (no gradientDescent bookkeeping)",
  "numpy-backprop": "numpy, backprop through the data (another formula: cost grows with n per layer)",
  "scipy-lbfgsb": "scipy L-BFGS-B (Fortran; another line search: iteration counts differ)",
  "torch-lbfgs": "torch.optim.LBFGS, strong Wolfe (another algorithm: iteration counts differ)",
};

// ------------------------------------------------------------------ main

function classicMain(args: Args): { md: string; json: Record<string, unknown> } | null {
  const { timing, work } = configs(args);
  fs.mkdirSync(TMP, { recursive: true });
  const t0 = Date.now();
  let cases = buildCases(work);
  if (args.only) cases = cases.filter((c) => c.id.includes(args.only!));
  if (cases.length === 0) return null;
  const inputs = path.join(TMP, "inputs.json");
  fs.writeFileSync(inputs, JSON.stringify({ config: timing, cases }));
  console.log(`bench: ${cases.length} cases${args.quick ? " (quick)" : ""}; inputs in ${path.relative(process.cwd(), inputs)}`);

  // 1. correctness before timing
  const impls = new Map(cases.map((c) => [c.id, tsImpls(c)]));
  const oursChecks = new Map<string, Record<string, Record<string, unknown>>>();
  for (const c of cases) {
    const m: Record<string, Record<string, unknown>> = {};
    for (const im of impls.get(c.id)!) m[im.impl] = im.check();
    oursChecks.set(c.id, m);
  }
  const checks: CheckRow[] = [];
  for (const c of cases) {
    const m = oursChecks.get(c.id)!;
    for (const [impl, out] of Object.entries(m)) if (impl !== "ours") checks.push(...compare(c.id, impl, m.ours, out));
  }
  let peerMachine: Record<string, unknown> = {};
  if (!args.skipPython) {
    console.log("bench: correctness check of the numpy / torch peers on the shared inputs ...");
    const pc = runPeers("check", inputs);
    peerMachine = pc.machine;
    for (const r of pc.results) {
      const id = r.id as string;
      checks.push(...compare(id, r.impl as string, oursChecks.get(id)!.ours, r.check as Record<string, unknown>));
    }
  }
  const failed = checks.filter((c) => !c.pass);
  for (const c of checks) {
    const flag = c.tol === null ? "info" : c.pass ? "ok  " : "FAIL";
    console.log(`  ${flag} ${c.id} | ${c.impl} | ${c.key}: ${c.relErr.toExponential(2)}${c.tol !== null ? ` (tol ${c.tol})` : ""}`);
  }
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} correctness checks failed; not timing unequal work.`);
    process.exit(1);
  }

  // 2. timing: ours, then the peers (never in parallel)
  // our side is short: when other processes took the cores meanwhile, retry (at most twice) and keep the
  // attempt with the least interference
  let times: Measured[] = [];
  let snap0: CpuSnap | null = null;
  let snap1: CpuSnap | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const a0 = cpuSnap();
    console.log(`bench: timing ours (Node, single-threaded JS) ...${attempt > 0 ? ` (retry ${attempt}: the cores were shared)` : ""}`);
    const ts: Measured[] = [];
    for (const c of cases) {
      const tc = Date.now();
      for (const im of impls.get(c.id)!) ts.push({ id: c.id, impl: im.impl, time: bench(im.run, timing, im.fixed) });
      console.log(`  ts ${c.id}: ${((Date.now() - tc) / 1000).toFixed(1)} s`);
    }
    const a1 = cpuSnap();
    if (attempt === 0 || otherCores(a0, a1) < otherCores(snap0, snap1)) {
      times = ts;
      snap0 = a0;
      snap1 = a1;
    }
    if (!(otherCores(snap0, snap1) > MAX_OTHER_CORES)) break;
  }
  // the survey check above ran only checkStarts runs: count iterations over all runs for the table
  for (const m of times) {
    const c = cases.find((x) => x.id === m.id)!;
    if (c.kind === "survey" && m.impl === "ours") {
      const full = tsImpls({ ...c, checkStarts: c.starts.length })[0].check();
      m.extra = { iterations: full.iterations, evaluations: full.evaluations };
    }
  }
  const snapPeers = cpuSnap();
  if (!args.skipPython) {
    console.log("bench: timing numpy / torch (one thread) ...");
    const pt = runPeers("time", inputs);
    peerMachine = pt.machine;
    for (const r of pt.results) times.push({ id: r.id as string, impl: r.impl as string, time: r.time as Timing, extra: r.extra as Record<string, unknown> | undefined });
  }

  const snap2 = cpuSnap();
  const load = { oursOtherCores: otherCores(snap0, snap1), peersOtherCores: args.skipPython ? 0 : otherCores(snapPeers, snap2) };
  // 3. report
  const machine = {
    load,
    cpu: cpuModel(),
    cpuFlags: cpuFlags(),
    cores: os.cpus().length,
    node: process.version,
    v8: process.versions.v8,
    parentEnv: { OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null, OPENBLAS_L2_SIZE: process.env.OPENBLAS_L2_SIZE ?? null },
    python: peerMachine,
  };
  const md = report(cases, times, checks, machine, timing, args, (Date.now() - t0) / 1000);
  console.log("\n" + md);
  return { md, json: { date: new Date().toISOString(), machine, timing, workloads: work, quick: args.quick, checks, times } };
}

/** The per-call tables, then the interleaved workloads W1–W4 of issue 11 (`interleaved.ts`); one report. */
/** The kernel rows (section 5): the loop at the top level of a cell, in a function, in a block, through the real kernel. */
async function kernelSection(args: Args): Promise<KernelLoopRow[]> {
  if (args.skipKernel || (args.only && args.only !== "kernel")) return [];
  console.log("bench: loops in kernel cells (top level / function / block), through the project kernel ...");
  return kernelLoops(args.quick ? 3 : 11);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.only === "kernel") {
    // `--only=kernel` runs just the kernel rows and prints them (no report file written).
    console.log("\n" + kernelTable(await kernelSection(args), fmtTime, fmtRatio));
    return;
  }
  const classic = classicMain(args);
  const inter = await runInterleaved({ only: args.only ?? undefined, python: !args.skipPython, quick: args.quick });
  console.log("\n" + inter.markdown);
  const kernelRows = await kernelSection(args);
  const kernelMd = kernelRows.length > 0 ? kernelTable(kernelRows, fmtTime, fmtRatio) : "";
  if (kernelMd) console.log("\n" + kernelMd);
  const md = (classic ? classic.md + "\n\n" : "# linear-landscapes benchmark\n\n") + inter.markdown + (kernelMd ? "\n\n" + kernelMd + "\n" : "");
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, "latest.md"), md);
  fs.writeFileSync(path.join(RESULTS, "latest.json"), JSON.stringify({ ...(classic?.json ?? { date: new Date().toISOString() }), interleaved: inter.json, kernel: kernelRows }, null, 1) + "\n");
  console.log(`bench: written ${path.relative(process.cwd(), path.join(RESULTS, "latest.md"))} and latest.json`);
}

/** A warning line when other processes shared the cores during the timing (1-minute load averages). */
function loadWarning(load: Record<string, number>, cores: number): string[] {
  const worst = Math.max(load.oursOtherCores, load.peersOtherCores);
  const text = `other processes used on average ${load.oursOtherCores.toFixed(2)} of the ${cores} cores while our side was timed and ${load.peersOtherCores.toFixed(2)} while the peers were`;
  if (!(worst <= MAX_OTHER_CORES)) {
    return [`> **Warning**: ${Number.isNaN(worst) ? "could not measure the load (/proc)" : text}. With the cores shared, ratios are unreliable: rerun on an idle machine.`, ""];
  }
  return [`Load: ${text}.`, ""];
}

function report(
  cases: Case[],
  times: Measured[],
  checks: CheckRow[],
  machine: { load: Record<string, number>; cpu: string; cpuFlags: string; cores: number; node: string; v8: string; parentEnv: Record<string, string | null>; python: Record<string, unknown> },
  timing: TimingConfig,
  args: Args,
  wall: number,
): string {
  const py = machine.python as Record<string, unknown>;
  const env = (py.env ?? {}) as Record<string, string | null>;
  const lines = [
    `# linear-landscapes benchmark${args.quick ? " (quick)" : ""}`,
    "",
    `${new Date().toISOString()}; total wall time ${wall.toFixed(0)} s. Ratios are **ours / peer** on the median time:`,
    "below 1× we are faster, above 1× slower. Every peer did the same work on the same inputs (check column:",
    `worst relative difference from ours, tolerance ${STRICT_TOL} per evaluation, ${TRAJECTORY_TOL} at the end of a trajectory).`,
    "",
    ...loadWarning(machine.load, machine.cores),
    table(cases, times, checks),
    "## Machine",
    "",
    `- CPU: ${machine.cpu} (${machine.cores} cores; ${machine.cpuFlags})`,
    `- Node ${machine.node} (V8 ${machine.v8}); our library from \`src/\` through tsx, single-threaded JS, ml-matrix for the generic paths`,
    `- Python ${py.python ?? "–"}, numpy ${py.numpy ?? "–"}, torch ${py.torch ?? "–"}, scipy ${py.scipy ?? "–"} (Debian packages, /usr/bin/python3)`,
    `- numpy BLAS: ${((py.numpy_blas_libs as string[]) ?? []).join(", ") || "–"}; OpenBLAS core \`${py.openblas_corename ?? "?"}\`, threads ${py.openblas_threads ?? "?"}; config \`${py.openblas_config ?? "?"}\``,
    `- torch: ${((py.torch_blas as string[]) ?? []).join("; ")}; intra-op threads ${py.torch_threads ?? "?"}, inter-op ${py.torch_interop_threads ?? "?"}`,
    `- Threads pinned: OMP_NUM_THREADS=${env.OMP_NUM_THREADS ?? "?"}, OPENBLAS_NUM_THREADS=${env.OPENBLAS_NUM_THREADS ?? "?"}, MKL_NUM_THREADS=${env.MKL_NUM_THREADS ?? "?"}, torch.set_num_threads(1); JS is single-threaded`,
    `- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: in the parent environment ${machine.parentEnv.OPENBLAS_CORETYPE ?? "unset"} / ${machine.parentEnv.OPENBLAS_L2_SIZE ?? "unset"}; unset for the peer command only (peer saw ${env.OPENBLAS_CORETYPE ?? "unset"} / ${env.OPENBLAS_L2_SIZE ?? "unset"})`,
    `- Timing: per-call cases: batch calibrated to ${timing.targetMs} ms, ${timing.warmupMs} ms warm-up, median of ${timing.k} samples; fixed workloads: one warm-up run, median of ${timing.kLong} runs`,
    "",
  ];
  return lines.join("\n");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
