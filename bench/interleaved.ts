/**
 * The workloads of issue 11 (W1–W4), timed side by side with numpy and torch in ONE interleaved run: a persistent
 * Python peer process (`peerServer.py`) and our side alternate case by case and repetition by repetition (8 reps;
 * odd reps ours first, even reps the peers first), so machine load hits both sides alike. Per repetition the
 * ratio ours / peer is taken; the report gives the median and the range of those ratios, the load
 * (`/proc/loadavg`) during the run, and the equal-work check done before any timing.
 *
 * Run alone: `node --import tsx bench/interleaved.ts [--reps=8] [--only=W1]`; `npm run bench` runs it after the
 * per-call tables and appends its section to `results/latest.md` (and `latest.json` under `interleaved`).
 * @module
 */
import { spawn, ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { rng } from "../dist/core/random";
import { Matrix } from "../dist/core/matrix";
import { symEig, symEigvals } from "../dist/core/linalg";
import { logLogSlope } from "../dist/core/fit";
import { Landscape } from "../dist/landscape/landscape";
import { DeepLinearNetwork } from "../dist/networks/deepLinear";
import { SquareLoss, SquareLossData } from "../dist/losses/square";
import { buildProblem, survey } from "../dist/experiments";
import { gradientDescent } from "../dist/optim/gd";
import { randomStart } from "../dist/optim/minimize";
import { criticalImages, matrixProblem } from "../dist/critical/closedForms";
import { peerEnv } from "./timing";
import { denseBackend, SIMD_MIN_WORK } from "../dist/core/dense";
import { DualCoreControl } from "./dualCoreControl";

const HERE = __dirname;
const PYTHON = "/usr/bin/python3";


/** JSON-lines client of `peerServer.py`. */
class PeerServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(v: unknown) => void> = [];
  constructor() {
    this.proc = spawn(PYTHON, [path.join(HERE, "peerServer.py")], { env: peerEnv(), cwd: HERE });
    this.proc.stderr.on("data", (d) => process.stderr.write(`  [peers] ${d}`));
    readline.createInterface({ input: this.proc.stdout }).on("line", (line) => {
      const k = this.waiting.shift();
      if (k) k(JSON.parse(line));
    });
  }
  ask<T>(msg: Record<string, unknown>): Promise<T> {
    return new Promise<T>((res) => {
      this.waiting.push(res as (v: unknown) => void);
      this.proc.stdin.write(JSON.stringify(msg) + "\n");
    });
  }
  close(): void {
    this.proc.stdin.write(JSON.stringify({ cmd: "quit" }) + "\n");
    this.proc.stdin.end();
  }
}

/** Seconds per call of `fn`: one warm-up call (also the calibration), then n calls lasting about targetMs (as the peers). */
function timeOurs(fn: () => unknown, targetMs: number): number {
  let t0 = process.hrtime.bigint();
  sinkV = fn();
  const t1 = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = Math.max(1, Math.floor(targetMs / 1000 / Math.max(t1, 1e-9)));
  t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sinkV = fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / n;
}
let sinkV: unknown = 0;

/** Untimed runs of each asynchronous implementation before the repetitions (see `runInterleaved`). */
const ASYNC_WARMUP = 12;

/**
 * Seconds per call of the asynchronous `fn` (a survey): one untimed call, then at least three timed calls and until
 * 250 ms have passed; the median. (One call of 30–60 ms is at the mercy of the virtual machine: a vCPU that was idle
 * runs the next tens of milliseconds measurably slower; several calls back to back and their median are not.)
 */
async function timeOursAsync(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  const start = process.hrtime.bigint();
  while (times.length < 3 || Number(process.hrtime.bigint() - start) < 250e6) {
    const t0 = process.hrtime.bigint();
    sinkV = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

/** A ratio row: our implementation `ours` against the best (fastest per repetition) of `peers`. */
interface RatioSpec {
  label: string;
  ours: string;
  peers: string[];
}

/** One case: our implementations, the peers' setup message, the equal-work check. */
interface Case {
  id: string;
  workload: "W1" | "W2" | "W3" | "W4";
  label: string;
  unit: string;
  ours: Record<string, () => unknown>;
  oursAsync?: Record<string, () => Promise<unknown>>;
  /** Per-call workloads are batched to this many ms; fixed workloads (a census) run once per repetition. */
  targetMs: number;
  peerSetup: Record<string, unknown> | null;
  /** Worst relative difference between ours and every peer (computed before timing); must be <= tol. */
  check: (peerCheck: Record<string, Record<string, unknown>>) => { worst: number; tol: number; note?: string };
  ratios: RatioSpec[];
  /** Multiply-adds per call of our algorithm (for ns per multiply-add), when meaningful. */
  multiplyAdds?: number;
  /** Extra facts for the report (bad fraction, image count, ...). */
  facts?: () => Record<string, string>;
}

function flatOfMatrix(A: Matrix): number[] {
  return A.to2DArray().flat();
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(a[i]), Math.abs(b[i]));
  }
  if (a.length !== b.length) return Infinity;
  return num / Math.max(den, 1e-300);
}

function randomTheta(L: Landscape, seed: number, scale: number): Float64Array {
  const r = rng(seed);
  const x = new Float64Array(L.dim);
  for (let i = 0; i < x.length; i++) x[i] = scale * r.normal();
  return x;
}

/** W1: loss + gradient, data form, widths (w, w/2, w), N = 4w; and the matrix API on 8-6-4-6-8, N = 256. */
function w1Cases(ws: number[]): Case[] {
  const out: Case[] = [];
  const dataCase = (id: string, label: string, widths: number[], N: number, seed: number, matrixApi: boolean): Case => {
    const r = rng(seed);
    const X = r.gaussian(widths[0], N);
    const Y = r.gaussian(widths[widths.length - 1], N);
    const L = new Landscape(new DeepLinearNetwork(widths), new SquareLossData(X, Y));
    const x = randomTheta(L, seed + 1, 1 / Math.sqrt(widths[0]));
    const g = new Float64Array(L.dim);
    const theta = L.unpack(x);
    const ours: Record<string, () => unknown> = { ours: () => L.valueAndGradientFlat(x, g) };
    if (matrixApi) {
      ours["ours-matrix-api"] = () => [L.value(theta), L.gradient(theta)];
      // the same two methods on the flat vector, and the one-pass method on both sides (per-method comparisons)
      ours["ours-flat-value+gradient"] = () => [L.valueFlat(x), L.gradientFlat(x, g)];
      ours["ours-matrix-valueAndGradient"] = () => L.valueAndGradient(theta);
    }
    const w = widths[0];
    return {
      id,
      workload: "W1",
      label,
      unit: "call",
      ours,
      targetMs: 40,
      peerSetup: { workload: "W1", widths, X: X.to2DArray(), Y: Y.to2DArray(), theta: Array.from(x) },
      check: (pc) => {
        const v = L.valueAndGradientFlat(x, g);
        let worst = 0;
        for (const p of Object.values(pc)) {
          worst = Math.max(worst, Math.abs((p.value as number) - v) / Math.max(1, Math.abs(v)), relDiff(g, p.grad as number[]));
        }
        if (matrixApi) {
          const G = L.gradient(theta).flatMap(flatOfMatrix);
          worst = Math.max(worst, Math.abs(L.value(theta) - v) / Math.max(1, Math.abs(v)), relDiff(G, g));
          const vg = L.valueAndGradient(theta);
          worst = Math.max(worst, Math.abs(vg.value - v) / Math.max(1, Math.abs(v)), relDiff(vg.gradient.flatMap(flatOfMatrix), g));
        }
        return { worst, tol: 1e-10 };
      },
      ratios: matrixApi
        ? [
            { label: "matrix API vs best peer", ours: "ours-matrix-api", peers: ["numpy-gram", "numpy-backprop", "torch-gram", "torch-autograd"] },
            { label: "matrix API vs our flat path", ours: "ours-matrix-api", peers: ["ours"] },
            { label: "value + gradient: matrices vs flat (valueFlat + gradientFlat)", ours: "ours-matrix-api", peers: ["ours-flat-value+gradient"] },
            { label: "valueAndGradient: matrices vs flat (valueAndGradientFlat)", ours: "ours-matrix-valueAndGradient", peers: ["ours"] },
            { label: "flat path vs best peer", ours: "ours", peers: ["numpy-gram", "numpy-backprop", "torch-gram", "torch-autograd"] },
          ]
        : [{ label: "vs best peer", ours: "ours", peers: ["numpy-gram", "numpy-backprop", "torch-gram", "torch-autograd"] }],
      multiplyAdds: matrixApi ? undefined : 3 * w ** 3 + w ** 2 / 2,
    };
  };
  for (const w of ws) out.push(dataCase(`W1-w${w}`, `½‖W₂W₁X−Y‖² (${w},${w / 2},${w}) N=${4 * w}`, [w, w / 2, w], 4 * w, 100 + w, false));
  out.push(dataCase("W1-matrix-api", "L.value(θ) + L.gradient(θ), (8,6,4,6,8) N=256", [8, 6, 4, 6, 8], 256, 7, true));
  return out;
}

/** W2: census, 1000 runs × 2000 fixed-step GD steps on Example A (K = 10, s = 0.8). */
function w2Case(runs: number, steps: number, withWorkers: boolean): Case {
  const spec = { kind: "deep-linear" as const, widths: [2, 1, 2], loss: { kind: "weighted-square" as const, params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } };
  const L = buildProblem(spec);
  const step = 0.01;
  const startScale = 0.5;
  const badTol = 1e-3;
  const starts = Array.from({ length: runs }, (_, i) => randomStart(L, rng(i), startScale));
  const opts = { runs, seed: 0, optimizer: "gd" as const, optimizerOptions: { step, maxIter: steps, gradTol: 0 }, startScale, progress: false, keepPoints: false };
  const bare = (): Float64Array => {
    const vals = new Float64Array(runs);
    const g = new Float64Array(L.dim);
    for (let i = 0; i < runs; i++) {
      const x = Float64Array.from(starts[i]);
      let v = L.valueAndGradientFlat(x, g);
      for (let k = 0; k < steps; k++) {
        for (let j = 0; j < x.length; j++) x[j] -= step * g[j];
        v = L.valueAndGradientFlat(x, g);
      }
      vals[i] = v;
    }
    return vals;
  };
  const looped = (): number[] => starts.map((s0) => gradientDescent(L, s0, { step, maxIter: steps, gradTol: 0 }).value);
  let surveyValues: number[] = [];
  const oursAsync: Record<string, () => Promise<unknown>> = {
    "ours-survey": async () => (surveyValues = (await survey(L, opts)).values()),
  };
  if (withWorkers) {
    oursAsync["ours-survey-workers2"] = async () => (await survey(spec, { ...opts, workers: 2 })).values();
    // the machine's own two-thread speed-up at the same moments (see dualCoreControl.ts), sized like a survey
    const control = new DualCoreControl();
    let calibrated = false;
    const ready = async (): Promise<void> => {
      if (!calibrated) await control.calibrate(50);
      calibrated = true;
    };
    oursAsync["control-loop-1-thread"] = async () => (await ready(), control.run(1));
    oursAsync["control-loop-2-threads"] = async () => (await ready(), control.run(2));
  }
  const bad = (vals: ArrayLike<number>): number => {
    let b = 0;
    for (let i = 0; i < vals.length; i++) if (Math.abs(vals[i] - 1) <= badTol) b++;
    return b / vals.length;
  };
  return {
    id: "W2-census",
    workload: "W2",
    label: `census: ${runs} runs × ${steps} GD steps (step ${step}), Example A (K = 10, s = 0.8), starts rng(i) scale ${startScale}`,
    unit: "census",
    ours: { "ours-bare-loop": bare, "ours-looped-gradientDescent": looped },
    oursAsync,
    targetMs: 1,
    peerSetup: { workload: "W2", starts: starts.map((s0) => Array.from(s0)), Lambda: spec.loss.params.Lambda, Q: spec.loss.params.Q, step, steps, badTol },
    check: (pc) => {
      const mine = bare();
      let worst = relDiff(mine, looped());
      for (const p of Object.values(pc)) worst = Math.max(worst, relDiff(mine, p.values as number[]));
      return { worst, tol: 1e-8, note: `bad fraction (|L − 1| ≤ ${badTol}): ours ${bad(mine).toFixed(3)}, ${Object.entries(pc).map(([k, p]) => `${k} ${(p.bad as number).toFixed(3)}`).join(", ")}` };
    },
    ratios: [
      { label: "survey() vs torch batched", ours: "ours-survey", peers: ["torch-batched"] },
      { label: "survey() vs best batched peer", ours: "ours-survey", peers: ["torch-batched", "numpy-batched"] },
      { label: "survey() vs our bare loop", ours: "ours-survey", peers: ["ours-bare-loop"] },
      { label: "bare loop vs torch batched", ours: "ours-bare-loop", peers: ["torch-batched"] },
      { label: "looped gradientDescent vs torch batched", ours: "ours-looped-gradientDescent", peers: ["torch-batched"] },
      ...(withWorkers
        ? [
            { label: "survey({ workers: 2 }) vs survey() in-thread", ours: "ours-survey-workers2", peers: ["ours-survey"] },
            { label: "machine control: a pure floating-point loop, two threads vs one (the most two threads can gain here)", ours: "control-loop-2-threads", peers: ["control-loop-1-thread"] },
          ]
        : []),
    ],
    facts: () => ({ "bad fraction (survey)": surveyValues.length ? bad(surveyValues).toFixed(3) : "–" }),
  };
}

/** W3: exact Hessian + all eigenvalues at 256 parameters (widths (16, 8, 16), ‖W − Q‖²). */
function w3Case(): Case {
  const r = rng(33);
  const Q = r.gaussian(16, 16);
  const L = new Landscape(new DeepLinearNetwork([16, 8, 16]), new SquareLoss(Q));
  const x = randomTheta(L, 34, 0.5);
  const theta = L.unpack(x);
  const H = L.hessian(theta);
  return {
    id: "W3-hessian-eigenvalues",
    workload: "W3",
    label: "Hessian (256×256) + all eigenvalues, ‖W₂W₁−Q‖², (16,8,16)",
    unit: "call",
    ours: {
      "ours-hessian+eigenvalues": () => symEig(L.hessian(theta), Infinity).values,
      "ours-eigenvalues": () => symEigvals(H, Infinity),
      "ours-ml-matrix-full-symEig": () => symEig(H, Infinity, "eager").values,
    },
    targetMs: 60,
    peerSetup: { workload: "W3", widths: [16, 8, 16], Q: Q.to2DArray(), theta: Array.from(x) },
    check: (pc) => {
      const mine = symEigvals(H, Infinity);
      let worst = relDiff(mine, symEig(H, Infinity, "eager").values);
      for (const p of Object.values(pc)) worst = Math.max(worst, relDiff(mine, p.eigenvalues as number[]));
      return { worst, tol: 1e-10 };
    },
    ratios: [
      { label: "Hessian + eigenvalues vs torch autograd", ours: "ours-hessian+eigenvalues", peers: ["torch-autograd+eigvalsh"] },
      { label: "Hessian + eigenvalues vs numpy closed form + eigvalsh", ours: "ours-hessian+eigenvalues", peers: ["numpy-closed-form+eigvalsh"] },
      { label: "eigenvalue step vs numpy eigvalsh", ours: "ours-eigenvalues", peers: ["numpy-eigvalsh"] },
      { label: "eigenvalue step vs ml-matrix full decomposition (before)", ours: "ours-eigenvalues", peers: ["ours-ml-matrix-full-symEig"] },
    ],
  };
}

/** W4: all 638 critical images of ‖W − Q‖², 10×10 Q, widths (10, 5, 10) (r = 5). */
function w4Cases(): Case[] {
  const Q = rng(44).gaussian(10, 10);
  const problem = matrixProblem(Q);
  const make = (realise: boolean): Case => {
    const run = (): number => {
      // equal work: every image's W and projector (and, realised, theta) are materialised, as the peer builds them
      let s = 0;
      for (const im of criticalImages(problem, [10, 5, 10], { realise }).images) {
        s += im.W.get(0, 0) + im.projector.get(0, 0) + im.loss;
        if (realise) s += (im.theta as Matrix[])[0].get(0, 0) + (im.gradientNorm as number);
      }
      return s;
    };
    return {
      id: `W4-realise-${realise}`,
      workload: "W4",
      label: `criticalImages 10×10 Q, widths (10,5,10), realise: ${realise}`,
      unit: "enumeration",
      ours: { ours: run },
      targetMs: 60,
      peerSetup: { workload: "W4", Q: Q.to2DArray(), r: 5, realise },
      check: (pc) => {
        const set = criticalImages(problem, [10, 5, 10], { realise });
        const peer = pc.numpy as { count: number; images: Array<{ I: number[]; W: number[][]; P: number[][]; loss: number; morse: number | null; gradientNorm: number | null }> };
        const byKey = new Map(set.images.map((im) => [im.I.join(","), im]));
        let worst = set.images.length === peer.count ? 0 : Infinity;
        for (const p of peer.images) {
          const im = byKey.get(p.I.join(","));
          if (!im || im.morseIndex !== p.morse) return { worst: Infinity, tol: 1e-10, note: `image ${p.I} missing or Morse index differs` };
          worst = Math.max(worst, relDiff(flatOfMatrix(im.W), p.W.flat()), relDiff(flatOfMatrix(im.projector), p.P.flat()), Math.abs(im.loss - p.loss) / Math.max(1, p.loss));
          if (realise) worst = Math.max(worst, Math.abs((im.gradientNorm as number) - (p.gradientNorm as number)));
        }
        return { worst, tol: 1e-10, note: `${set.images.length} images` };
      },
      ratios: [{ label: "vs numpy", ours: "ours", peers: ["numpy"] }],
    };
  };
  return [make(false), make(true)];
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "–";
  if (s >= 1) return `${s.toPrecision(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  if (s >= 1e-6) return `${(s * 1e6).toPrecision(3)} µs`;
  return `${(s * 1e9).toPrecision(3)} ns`;
}

function fmtRatio(x: number): string {
  return !Number.isFinite(x) ? "–" : x >= 10 ? `${x.toFixed(0)}×` : x >= 1 ? `${x.toFixed(2)}×` : `${x.toPrecision(2)}×`;
}

function loadavg(): number[] {
  try {
    return fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
  } catch {
    return [NaN, NaN, NaN];
  }
}

export interface InterleavedOptions {
  reps?: number;
  only?: string;
  python?: boolean;
  quick?: boolean;
}

/** Runs the interleaved section; returns its markdown and JSON. */
export async function runInterleaved(o: InterleavedOptions = {}): Promise<{ markdown: string; json: unknown }> {
  const reps = o.reps ?? 8;
  const distBuilt = fs.existsSync(path.join(HERE, "..", "dist", "experiments", "surveyWorker.js"));
  let cases: Case[] = [
    ...w1Cases(o.quick ? [8, 16, 32] : [8, 16, 32, 64, 128]),
    w2Case(o.quick ? 200 : 1000, o.quick ? 500 : 2000, distBuilt),
    w3Case(),
    ...w4Cases(),
  ];
  if (o.only) cases = cases.filter((c) => c.id.includes(o.only as string) || c.workload === o.only);
  const peers = o.python === false ? null : new PeerServer();
  const machine = peers ? await peers.ask<Record<string, unknown>>({ cmd: "machine" }) : null;
  const peerNames: Record<string, string[]> = {};
  const checks: Record<string, { worst: number; tol: number; note?: string }> = {};
  for (const c of cases) {
    process.stderr.write(`  interleaved: setting up ${c.id}\n`);
    if (peers && c.peerSetup) {
      const ans = await peers.ask<{ peers: string[]; check: Record<string, Record<string, unknown>> }>({ cmd: "setup", id: c.id, ...c.peerSetup });
      peerNames[c.id] = ans.peers;
      checks[c.id] = c.check(ans.check);
      if (!(checks[c.id].worst <= checks[c.id].tol)) throw new Error(`interleaved: ${c.id}: the peers do not compute the same numbers (worst relative difference ${checks[c.id].worst} > ${checks[c.id].tol}); no timing`);
    } else {
      peerNames[c.id] = [];
      checks[c.id] = c.check({});
    }
  }
  const times: Record<string, Record<string, number[]>> = {};
  for (const c of cases) times[c.id] = {};
  const push = (id: string, impl: string, s: number): void => {
    (times[id][impl] ??= []).push(s);
  };
  // Steady state first: a survey with workers runs its per-run code in each worker's own isolate, which reaches
  // optimised code only after about eight W2 surveys (measured: 275, 108, 74, 42, 46, 42, 46, 39, 33 ms, then 26–38),
  // so each asynchronous implementation runs ASYNC_WARMUP times untimed before the repetitions (both sides alike).
  for (const c of cases) {
    for (const fn of Object.values(c.oursAsync ?? {})) for (let i = 0; i < ASYNC_WARMUP; i++) await fn();
  }
  const loads: number[][] = [loadavg()];
  const t0 = Date.now();
  for (let rep = 0; rep < reps; rep++) {
    for (const c of cases) {
      const oursSide = async (): Promise<void> => {
        for (const [k, fn] of Object.entries(c.ours)) push(c.id, k, timeOurs(fn, c.targetMs));
        for (const [k, fn] of Object.entries(c.oursAsync ?? {})) push(c.id, k, await timeOursAsync(fn));
      };
      const peerSide = async (): Promise<void> => {
        if (!peers) return;
        for (const p of peerNames[c.id]) push(c.id, p, (await peers.ask<{ seconds: number }>({ cmd: "time", id: c.id, peer: p, targetMs: c.targetMs })).seconds);
      };
      if (rep % 2 === 0) {
        await oursSide();
        await peerSide();
      } else {
        await peerSide();
        await oursSide();
      }
    }
    loads.push(loadavg());
    process.stderr.write(`  interleaved: repetition ${rep + 1}/${reps} done (${((Date.now() - t0) / 1000).toFixed(0)} s, load ${loads[loads.length - 1][0]})\n`);
  }
  peers?.close();
  return report(cases, times, checks, loads, reps, machine, (Date.now() - t0) / 1000);
}

function report(
  cases: Case[],
  times: Record<string, Record<string, number[]>>,
  checks: Record<string, { worst: number; tol: number; note?: string }>,
  loads: number[][],
  reps: number,
  machine: Record<string, unknown> | null,
  wall: number,
): { markdown: string; json: unknown } {
  const lines: string[] = [];
  const l1 = loads.map((l) => l[0]);
  lines.push(
    "## Interleaved workloads W1–W4 (issue 11)",
    "",
    `${reps} repetitions, our side and the peers alternating case by case (odd repetitions ours first, even ones the peers first), ${wall.toFixed(0)} s in all. ` +
      "Ratios are **ours / peer per repetition** (best peer = the fastest peer *in that repetition*); the table gives their median and range. " +
      `Times are medians over the repetitions. Before them, each survey implementation ran ${ASYNC_WARMUP} times untimed (steady state: a worker's isolate optimises the per-run code only after about eight such surveys); in each repetition a survey's time is the median of at least three back-to-back calls (and 250 ms).`,
    "",
    `Machine load (/proc/loadavg, 1-minute average, sampled after each repetition, 2 cores): ${Math.min(...l1).toFixed(2)} – ${Math.max(...l1).toFixed(2)} (median ${median(l1).toFixed(2)}). ` +
      (median(l1) > 1.5
        ? "**The machine was shared with other jobs during this run: absolute times are inflated and noisy and should not be compared with other runs; the per-repetition ratios of this interleaved run remain meaningful (both sides ran under the same load, alternately).**"
        : "The machine was quiet enough for the absolute times to be indicative."),
    "",
  );
  lines.push("| case | implementation | time / " + "unit | check |", "|---|---|--:|---|");
  for (const c of cases) {
    const ck = checks[c.id];
    const ckText = `${ck.worst <= ck.tol ? "ok" : "FAIL"} ${ck.worst.toExponential(0)} (tol ${ck.tol})${ck.note ? `; ${ck.note}` : ""}`;
    let first = true;
    for (const [impl, ts] of Object.entries(times[c.id])) {
      lines.push(`| ${first ? c.label : ""} | ${impl} | ${fmtTime(median(ts))} / ${c.unit} | ${first ? ckText : ""} |`);
      first = false;
    }
    const facts = c.facts?.();
    if (facts) for (const [k, v] of Object.entries(facts)) lines.push(`| | ${k} | ${v} | |`);
  }
  lines.push("", "| case | ratio | median | range over repetitions |", "|---|---|--:|---|");
  const json: Record<string, unknown> = {};
  for (const c of cases) {
    const rows: Record<string, unknown> = {};
    for (const r of c.ratios) {
      const ours = times[c.id][r.ours];
      const avail = r.peers.filter((p) => times[c.id][p]);
      if (!ours || avail.length === 0) continue;
      const per = ours.map((t, k) => t / Math.min(...avail.map((p) => times[c.id][p][k])));
      rows[r.label] = { median: median(per), min: Math.min(...per), max: Math.max(...per), perRep: per };
      lines.push(`| ${c.label} | ${r.label} | ${fmtRatio(median(per))} | ${fmtRatio(Math.min(...per))} – ${fmtRatio(Math.max(...per))} |`);
    }
    json[c.id] = { label: c.label, times: times[c.id], check: checks[c.id], ratios: rows, facts: c.facts?.() };
  }
  const w1 = cases.filter((c) => c.multiplyAdds !== undefined);
  if (w1.length >= 3) {
    const ws = w1.map((c) => Number(/w(\d+)/.exec(c.id)?.[1]));
    const big = w1.map((_, k) => k).filter((k) => ws[k] >= 16);
    const fit = (impl: string): number => logLogSlope(big.map((k) => ws[k]), big.map((k) => median(times[w1[k].id][impl] ?? [NaN])));
    const peerImpls = ["numpy-gram", "numpy-backprop", "torch-gram", "torch-autograd"].filter((p) => times[w1[0].id][p]);
    lines.push(
      "",
      `W1 scaling (w = ${big.map((k) => ws[k]).join(", ")}): fitted exponent of time vs w — ours ${fit("ours").toFixed(2)}${peerImpls.map((p) => `, ${p} ${fit(p).toFixed(2)}`).join("")}. ` +
        `Our multiply-adds per call: 3w³ + w²/2 (Gram form: forward w³/2, E·Sxx w³, ‖E Rᵀ‖² w²(w+1)/2, two backward products w³/2 each); ` +
        `ns per multiply-add: ${w1.map((c, k) => `w=${ws[k]}: ${((median(times[c.id].ours) * 1e9) / (c.multiplyAdds as number)).toFixed(2)}`).join(", ")}. ` +
        `Our dense products ran on the ${denseBackend() === "wasm-simd" ? "WebAssembly SIMD backend (dist/wasm/dense.wasm, 128-bit f64x2 lanes, no FMA) above " + SIMD_MIN_WORK + " multiply-adds, JavaScript below" : "JavaScript backend only (dist/wasm/dense.wasm not built)"}.`,
    );
  }
  if (machine) {
    const env = (machine.env ?? {}) as Record<string, string | null>;
    lines.push(
      "",
      `Peers: Python ${machine.python}, numpy ${machine.numpy}, torch ${machine.torch}; numpy BLAS: OpenBLAS core \`${machine.openblas_corename ?? "?"}\`, threads ${machine.openblas_threads ?? "?"}; torch: ${(machine.torch_blas as string[] | undefined)?.join("; ") ?? "?"}; ` +
        `threads pinned (OMP/OPENBLAS/MKL_NUM_THREADS = ${env.OMP_NUM_THREADS}/${env.OPENBLAS_NUM_THREADS}/${env.MKL_NUM_THREADS}, torch 1 thread). ` +
        `OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in our environment: ${process.env.OPENBLAS_CORETYPE ?? "unset"} / ${process.env.OPENBLAS_L2_SIZE ?? "unset"}; the peer process saw ${env.OPENBLAS_CORETYPE ?? "unset"} / ${env.OPENBLAS_L2_SIZE ?? "unset"} (unset for the peers only).`,
    );
  }
  return { markdown: lines.join("\n") + "\n", json: { reps, loads, wallSeconds: wall, machine, cases: json } };
}

if (require.main === module) {
  const arg = (k: string): string | undefined => process.argv.find((a) => a.startsWith(`--${k}=`))?.split("=")[1];
  runInterleaved({ reps: Number(arg("reps") ?? 8), only: arg("only"), python: !process.argv.includes("--no-python"), quick: process.argv.includes("--quick") }).then(
    ({ markdown }) => process.stdout.write(markdown),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
