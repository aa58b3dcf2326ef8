/**
 * Seeded multi-start surveys: run an optimiser (or the critical-point finder) from N random starts, record
 * per run the final loss, the rank of `mu(theta)`, the gradient norm, the iterations and (optionally) a
 * verdict, and cluster the final values with counts. Live progress in the kernel, optional worker threads,
 * clean interruption (AbortSignal or SIGINT, i.e. the kernel's interrupt button) with a partial result.
 * Serves A1 (E-A1a, E-A1b value sets), A4, T4, T5, T6 (basin statistics of Example A), B4, B9.
 * @module
 */
import * as fs from "fs";
import * as path from "path";
import { DegenerateError, DomainError, describe } from "../core/errors";
import { checkOptions } from "../core/options";
import { svd } from "../core/linalg";
import { MAX_SEED, rng as makeRng, Rng } from "../core/random";
import { display, DisplayHandle, inKernel } from "../display/display";
import { fmt } from "../display/format";
import { markdownTable, plainTable } from "../display/markdown";
import { JUPYTER_DISPLAY, MimeBundle } from "../display/mime";
import { classifyCriticalPoint, CRITICAL_POINT_OPTION_KEYS, CriticalPointOptions } from "../critical/verdict";
import { clusterValues, ValueCluster } from "./cluster";
import { findCriticalPoint, FindCriticalOptions } from "../optim/finder";
import { AnyOptimizerOptions, minimize, optimizerOptionKeys, OPTIMIZERS, OptimizerName, randomStart, StartScale } from "../optim/minimize";
import { checkSignal, finish, Monitor, numOption, OptimizeResult, resolveCommon, ResolvedOptions } from "../optim/optimizer";
import { GRADIENT_DESCENT_OPTION_KEYS, GradientDescentOptions } from "../optim/gd";
import { batchedFixedStepGd, BatchedGdSettings, BatchedObjective } from "../optim/batchedGd";
import { isLandscapeLike, LandscapeLike, StartPoint, toFlat } from "../optim/objective";
import { Landscape } from "../landscape/landscape";
import { deepLinearBatch } from "../landscape/batchedDeepLinear";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { buildProblem, problemSpecOf, ProblemSpec } from "./problem";
import { RunColumns, fromColumns } from "./runColumns";
import type { SurveyRun, SurveyRunStatus } from "./surveyRun";
export type { SurveyRun, SurveyRunStatus } from "./surveyRun";
import { ensureWorkers, expectedStartMs, runChunks } from "./workerPool";

/** What a survey runs: an optimiser name, or `"finder"` ({@link findCriticalPoint}, converges to saddles too). */
export type SurveyMethod = OptimizerName | "finder";

/** A verdict function: `(L, theta) => "strict saddle"` or `{ verdict: ... }` (e.g. the verdict module's `classifyCriticalPoint`). */
export type SurveyClassifier = (L: LandscapeLike, theta: ReturnType<LandscapeLike["unpack"]>) => string | { verdict: string };

/** Options of {@link survey}. */
export interface SurveyOptions {
  /** Number of starts `N`; default `20`. */
  runs?: number;
  /** Base seed: run `i` starts from `randomStart(L, rng(seed + i), startScale)`; default `0`. */
  seed?: number;
  /** Optimiser; default `"lbfgs"`. */
  optimizer?: SurveyMethod;
  /** Options of the optimiser (plain data: no callbacks with workers); default `{}` (its own defaults). */
  optimizerOptions?: AnyOptimizerOptions & FindCriticalOptions;
  /** Scale of the random starts (see `randomStart`); default `0.5`. */
  startScale?: StartScale;
  /** Custom start `(rng, L) => x0` (in-thread only; not with `workers > 1`). */
  start?: (r: Rng, L: LandscapeLike) => StartPoint;
  /**
   * Verdict per run (computed in the main thread, also with workers): `true` uses the verdict module's
   * `classifyCriticalPoint(L, theta, classifyOptions).verdict`; a function is called as `classify(L, theta)`.
   * Default none (verdicts cost a dense Hessian and perturbation checks per run).
   */
  classify?: SurveyClassifier | true;
  /** Options for `classifyCriticalPoint` when `classify: true` (e.g. `{ globalValue }`). */
  classifyOptions?: CriticalPointOptions;
  /** Cluster linkage tolerance for final values (see `clusterValues`); default `1e-6`. */
  tol?: number;
  /** Relative rank tolerance: singular values of `mu(theta)` above `rankTol * sigma_max + rankAbsTol` count; default `1e-6`. */
  rankTol?: number;
  /** Absolute floor of the rank threshold (so `mu(theta) ≈ 0` has rank 0, not the rank of round-off); default `1e-10`. */
  rankAbsTol?: number;
  /**
   * Worker threads (`worker_threads`, loading the built library from `dist/`); default `1` (in-thread). Needs a
   * landscape made by `buildProblem(spec)` or a spec. The workers form a warm pool started once per process (per
   * kernel) and reused; runs go to them in chunks (guided: large first, small last), the main thread only collects.
   * `"auto"`: up to `min(cores, 4)` workers, used only when the estimated work exceeds several times their start
   * cost (otherwise in-thread); the result's `workers` says which. Each worker optimises its own copy of the per-run
   * code, so the first surveys after the pool starts run slower than later ones (the W2 census of the bench:
   * about eight surveys of 1000 runs before the workers reach their steady speed).
   */
  workers?: number | "auto";
  /**
   * Progress: `true` shows a live display (kernel: `display` then `update_display_data`); a function is
   * called with each {@link SurveyProgress}; default `true` under the kernel, `false` elsewhere.
   */
  progress?: boolean | ((p: SurveyProgress) => void);
  /** Minimum milliseconds between progress updates; default `200`. */
  progressInterval?: number;
  /** Stops the survey after the running run(s); the result has `interrupted: true`. */
  signal?: AbortSignal;
  /** Also stop on SIGINT (the kernel's interrupt) while running; default `true`. */
  handleSigint?: boolean;
  /** Keep each run's final point `x` in the result; default `true`. */
  keepPoints?: boolean;
  /** A title for displays; default: the landscape's description. */
  label?: string;
}

/** The option keys of {@link survey}. */
export const SURVEY_OPTION_KEYS: readonly string[] = [
  "runs", "seed", "optimizer", "optimizerOptions", "startScale", "start", "classify", "classifyOptions", "tol", "rankTol",
  "rankAbsTol", "workers", "progress", "progressInterval", "signal", "handleSigint", "keepPoints", "label",
];

/** A cluster of final values with what the runs in it have in common. */
export interface SurveyCluster extends ValueCluster {
  /** Ranks of `mu(theta)` in the cluster, with counts. */
  ranks: Record<string, number>;
  /** Verdicts in the cluster, with counts (empty without `classify`). */
  verdicts: Record<string, number>;
  /** Runs in the cluster that converged (all of them: clusters hold converged runs only). */
  converged: number;
}

/** Compresses sorted integers into ranges: `[1,2,3,5]` gives `"1..3, 5"`. */
function ranges(xs: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(j === i ? `${xs[i]}` : `${xs[i]}..${xs[j]}`);
    i = j + 1;
  }
  return out.join(", ");
}

/** Live progress of a survey (displayable: a text bar with the clusters so far). */
export class SurveyProgress {
  constructor(
    /** Runs finished. */ readonly done: number,
    /** Runs requested. */ readonly total: number,
    /** Milliseconds since the start. */ readonly elapsedMs: number,
    /** Clusters of the values so far. */ readonly clusters: ReadonlyArray<{ value: number; count: number }>,
    /** `"running"`, `"done"` or `"interrupted"`. */ readonly state: "running" | "done" | "interrupted",
    /** Title. */ readonly label: string,
  ) {}
  /** One-line text: `label: [#####.....] 37/100 runs; values 0.64 ×20, 1 ×17` (no wall time, so an executed notebook is the same on every run; read `elapsedMs`). */
  toString(): string {
    const width = 24;
    const filled = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
    const bar = "#".repeat(filled) + ".".repeat(width - filled);
    const vals = this.clusters.slice(0, 6).map((c) => `${fmt(c.value)} ×${c.count}`).join(", ");
    const more = this.clusters.length > 6 ? `, … (${this.clusters.length} values)` : "";
    const tail = this.state === "interrupted" ? " — interrupted (partial result: lastSurvey())" : this.state === "done" ? " — done" : "";
    return `${this.label}: [${bar}] ${this.done}/${this.total} runs; values ${vals || "—"}${more}${tail}`;
  }
  /** Markdown + plain text. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const s = this.toString();
    return { "text/markdown": "`" + s.replace(/`/g, "'") + "`", "text/plain": s };
  }
}

/** The outcome of {@link survey}: runs, clusters, and a rich table display. */
export class SurveyResult {
  constructor(
    /** Title (landscape description). */ readonly label: string,
    /** Optimiser used. */ readonly optimizer: SurveyMethod,
    /** Base seed. */ readonly seed: number,
    /** Runs requested. */ readonly requested: number,
    /** Finished runs, by run index. */ readonly runs: SurveyRun[],
    /** Clusters of the final values of the converged runs (tolerance `tol`), by increasing value. */ readonly clusters: SurveyCluster[],
    /** Cluster tolerance. */ readonly tol: number,
    /** True when stopped early by the signal or SIGINT. */ readonly interrupted: boolean,
    /** Worker threads used (1 = in-thread). */ readonly workers: number,
    /** Wall time (ms); not part of the displayed text, so executed notebooks do not depend on the machine's speed. */ readonly elapsedMs: number,
  ) {}
  /** Number of finished runs. */
  get completed(): number {
    return this.runs.length;
  }
  /** Final values of all finished runs (converged or not), in run order. */
  values(): number[] {
    return this.runs.map((r) => r.value);
  }
  /** The runs that converged (the ones clustered). */
  convergedRuns(): SurveyRun[] {
    return this.runs.filter((r) => r.status === "converged");
  }
  /** The runs that did not converge (not converged, non-smooth endpoint, diverged), each with value and reason. */
  unconvergedRuns(): SurveyRun[] {
    return this.runs.filter((r) => r.status !== "converged");
  }
  /** Final values of the converged runs, in run order. */
  convergedValues(): number[] {
    return this.convergedRuns().map((r) => r.value);
  }
  /** The seeds actually run, ascending (exactly these; an interrupted survey lists only the finished runs). */
  seeds(): number[] {
    return this.runs.map((r) => r.seed).sort((a, b) => a - b);
  }
  /** The distinct values (cluster means), ascending. */
  distinctValues(): number[] {
    return this.clusters.map((c) => c.value);
  }
  /** Fraction of converged runs whose final value is within `tol * max(1, |v|)` of `v`. */
  fractionAt(v: number, tol = this.tol): number {
    const conv = this.convergedRuns();
    if (conv.length === 0) return 0;
    return conv.filter((r) => Math.abs(r.value - v) <= tol * Math.max(1, Math.abs(v))).length / conv.length;
  }
  /** Summary line. */
  summary(): string {
    const conv = this.convergedRuns().length;
    const stop = this.interrupted ? `, interrupted after ${this.completed}/${this.requested} runs` : "";
    const by: Record<string, number> = {};
    for (const r of this.unconvergedRuns()) {
      const k = r.status === r.reason ? r.status : `${r.status} (${r.reason})`;
      by[k] = (by[k] ?? 0) + 1;
    }
    const notes = Object.entries(by).map(([k, n]) => `${n} ${k}`).join(", ");
    const seeds = this.completed === 0 ? "no seeds" : `seeds ${ranges(this.seeds())}`;
    return `survey of ${this.label}: ${this.optimizer}, ${this.completed} runs (${seeds}), ${conv} converged${notes ? ` (not clustered: ${notes})` : ""}, ${this.clusters.length} distinct converged values (tol ${fmt(this.tol)}), ${this.workers > 1 ? `${this.workers} workers` : "in-thread"}${stop}`;
  }
  private clusterRows(): unknown[][] {
    const fmtCounts = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k} ×${n}`).join(", ") || "—";
    return this.clusters.map((c) => [c.value, c.count, `${fmt(100 * c.fraction, 3)}%`, fmt(c.max - c.min, 2), fmtCounts(c.ranks), c.converged, fmtCounts(c.verdicts)]);
  }
  private runRows(limit: number): unknown[][] {
    return this.runs.slice(0, limit).map((r) => [r.run, r.seed, r.value, r.gradNorm, r.rank, r.iterations, r.converged ? "yes" : `no: ${r.status} (${r.reason})`, r.verdict ?? "—"]);
  }
  /** Plain text: summary, clusters table, first `limit` runs. */
  toString(limit = 10): string {
    const ch = ["value", "count", "fraction", "spread", "rank(mu)", "converged", "verdicts"];
    const rh = ["run", "seed", "final L", "|grad L|", "rank", "iterations", "converged", "verdict"];
    return `${this.summary()}\n\n${plainTable(ch, this.clusterRows())}\n\nfirst ${Math.min(limit, this.runs.length)} runs:\n${plainTable(rh, this.runRows(limit))}`;
  }
  /** Rich display: summary, clusters table and the first 10 runs (text/markdown + text/plain). */
  [JUPYTER_DISPLAY](): MimeBundle {
    const ch = ["value", "count", "fraction", "spread", "rank(μ)", "converged", "verdicts"];
    const rh = ["run", "seed", "final L", "‖∇L‖", "rank", "iterations", "converged", "verdict"];
    const md = `**Survey** — ${this.summary()}\n\n${markdownTable(ch, this.clusterRows())}\n\nFirst ${Math.min(10, this.runs.length)} runs:\n\n${markdownTable(rh, this.runRows(10))}`;
    return { "text/markdown": md, "text/plain": this.toString() };
  }
}

let last: SurveyResult | undefined;

/** The most recent survey result (also the partial one after an interrupt, when the cell itself was cancelled). */
export function lastSurvey(): SurveyResult | undefined {
  return last;
}

/** Serialisable per-run settings (what a worker needs besides the problem). @internal */
export interface RunSettings {
  seed: number;
  optimizer: SurveyMethod;
  optimizerOptions: AnyOptimizerOptions & FindCriticalOptions;
  startScale: StartScale;
  rankTol: number;
  rankAbsTol: number;
  keepPoints: boolean;
}

/**
 * One survey run, exactly as the survey (and its workers) perform it: start `randomStart(L, rng(seed + i),
 * startScale)` (or `start`), run the optimiser, record value, gradient norm and rank of `mu(theta)`.
 * @internal (exported for the worker script)
 */
export function surveyRun(L: LandscapeLike, i: number, s: RunSettings, start?: (r: Rng, L: LandscapeLike) => StartPoint): SurveyRun {
  const t0 = Date.now();
  const x0 = surveyStart(L, i, s, start);
  // a deep linear landscape is smooth everywhere: no kink to track (the proxy copies x at every evaluation)
  const tracked = isSmoothDeepLinear(L) ? null : trackKinks(L);
  const Lrun = tracked ? tracked.L : L;
  let res: RunOutcome;
  let detail: string | undefined;
  try {
    res = s.optimizer === "finder" ? findCriticalPoint(Lrun, x0, s.optimizerOptions) : minimize(Lrun, x0, s.optimizer, s.optimizerOptions);
  } catch (e) {
    // a kink (non-smooth point, e.g. a dead ReLU unit): record the endpoint instead of losing the survey
    if (!tracked || !(e instanceof DegenerateError && e.kind === "kink") || !tracked.lastX) throw e;
    const x = Float64Array.from(tracked.lastX);
    detail = e.message;
    res = { x, theta: L.unpack(x), value: L.valueFlat(x), gradNorm: tracked.lastGradNorm, iterations: tracked.gradients, evaluations: tracked.gradients, converged: false, reason: "nonSmooth", diverged: false };
  }
  return recordRun(L, i, s, res, Date.now() - t0, detail);
}

/** What a survey records of an optimiser run. */
type RunOutcome = Pick<OptimizeResult, "x" | "theta" | "value" | "gradNorm" | "iterations" | "evaluations" | "converged" | "reason" | "diverged">;

/** The start of run `i`: `randomStart(L, rng(seed + i), startScale)`, or the custom `start`. */
function surveyStart(L: LandscapeLike, i: number, s: RunSettings, start?: (r: Rng, L: LandscapeLike) => StartPoint): StartPoint {
  const r = makeRng(s.seed + i);
  return start ? start(r, L) : randomStart(L, r, s.startScale);
}

/** True for a landscape on the deep linear fast path (smooth everywhere: no kinks). */
function isSmoothDeepLinear(L: LandscapeLike): boolean {
  return L instanceof Landscape && L.fastPath && L.net instanceof DeepLinearNetwork;
}

/** The record of run `i`: value, gradient norm, rank of `mu(theta)`, counts, status. */
function recordRun(L: LandscapeLike, i: number, s: RunSettings, res: RunOutcome, ms: number, detail?: string): SurveyRun {
  let rank = -1;
  if (res.theta) {
    const sv = svd(L.net.mu(res.theta)).s;
    const thr = s.rankTol * (sv[0] ?? 0) + s.rankAbsTol;
    rank = sv.filter((v) => v > thr).length;
  }
  const status: SurveyRunStatus = res.converged ? "converged" : res.reason === "nonSmooth" ? "nonSmooth" : res.diverged ? "diverged" : "notConverged";
  const run: SurveyRun = {
    run: i,
    seed: s.seed + i,
    value: res.value,
    gradNorm: res.gradNorm,
    rank,
    iterations: res.iterations,
    evaluations: res.evaluations,
    converged: res.converged,
    status,
    reason: res.reason,
    ms,
  };
  if (detail !== undefined) run.detail = detail;
  if (s.keepPoints) run.x = res.x;
  return run;
}

/** Runs per batch of the batched path (interruption and progress are checked between batches). */
const BATCH_RUNS = 256;

/**
 * The batched plan of a survey, when every run shares a deep linear landscape on the fast path (loss with a batched
 * raw form) and fixed-step GD without callback, signal or history: the GD settings resolved exactly as
 * `gradientDescent` resolves them (same defaults, same errors), and the batched objective. Otherwise `null`.
 */
function batchedPlan(L: LandscapeLike, s: RunSettings): { obj: BatchedObjective; gd: BatchedGdSettings; resolved: ResolvedOptions } | null {
  if (s.optimizer !== "gd" || !(L instanceof Landscape)) return null;
  const oo = s.optimizerOptions as GradientDescentOptions;
  if (oo.callback !== undefined || oo.signal !== undefined || oo.record === true) return null;
  const fn = "gradientDescent";
  const resolved = resolveCommon(fn, { ...oo, lineSearch: "fixed" } as GradientDescentOptions, 10000, GRADIENT_DESCENT_OPTION_KEYS);
  const step = numOption(fn, "step", oo.step, 0.01, 0, { strictMin: true });
  numOption(fn, "c1", oo.c1, 1e-4, 0, { strictMin: true });
  numOption(fn, "shrink", oo.shrink, 0.5, 0, { strictMin: true });
  numOption(fn, "grow", oo.grow, 1, 1);
  numOption(fn, "maxStep", oo.maxStep, 1e3, 0, { strictMin: true });
  const obj = deepLinearBatch(L, BATCH_RUNS);
  if (!obj) return null;
  return { obj, gd: { step, maxIter: resolved.maxIter, gradTol: resolved.gradTol, valueTol: resolved.valueTol, maxEvaluations: resolved.maxEvaluations }, resolved };
}

/**
 * Runs `ids` through the batched plan: the same starts, iterates and records as {@link surveyRun} (bit for bit);
 * falls back to {@link surveyRun} one by one when an iterate leaves the finite range (to raise the single-run error).
 */
function batchedRuns(L: Landscape, ids: readonly number[], s: RunSettings, plan: NonNullable<ReturnType<typeof batchedPlan>>, start?: (r: Rng, L: LandscapeLike) => StartPoint): SurveyRun[] {
  const t0 = Date.now();
  const starts = ids.map((i) => toFlat("gradientDescent", L, surveyStart(L, i, s, start)));
  const res = batchedFixedStepGd(plan.obj, starts, plan.gd);
  if (res === null) return ids.map((i) => surveyRun(L, i, s, start));
  const ms = (Date.now() - t0) / Math.max(1, ids.length);
  return res.map((r, q) => {
    const mon = new Monitor(plan.resolved);
    mon.iterations = r.iterations;
    mon.evaluations = r.evaluations;
    return recordRun(L, ids[q], s, finish("gd", L, r.x, r.value, r.gradNorm, mon, r.reason), ms);
  });
}

/**
 * `L` seen through a proxy that remembers the last point whose gradient was asked for and the last finite
 * gradient norm, so a run that stops at a kink (the gradient throws `DegenerateError` kind `"kink"`) can be
 * recorded at that point.
 */
function trackKinks(L: LandscapeLike): { L: LandscapeLike; lastX: Float64Array | null; lastGradNorm: number; gradients: number } {
  const t = { L, lastX: null as Float64Array | null, lastGradNorm: 0, gradients: 0 };
  const note = (x: Float64Array, g: Float64Array): void => {
    let s2 = 0;
    for (let k = 0; k < g.length; k++) s2 += g[k] * g[k];
    if (Number.isFinite(s2)) t.lastGradNorm = Math.sqrt(s2);
    t.gradients++;
  };
  const mark = (x: Float64Array): void => {
    if (!t.lastX || t.lastX.length !== x.length) t.lastX = new Float64Array(x.length);
    t.lastX.set(x);
  };
  const proxy = Object.create(L) as LandscapeLike & Record<string, unknown>;
  proxy.gradientFlat = (x: Float64Array, out?: Float64Array): Float64Array => {
    mark(x);
    const g = L.gradientFlat(x, out);
    note(x, g);
    return g;
  };
  if (typeof L.valueAndGradientFlat === "function") {
    proxy.valueAndGradientFlat = (x: Float64Array, out: Float64Array): number => {
      mark(x);
      const v = (L.valueAndGradientFlat as (x: Float64Array, out: Float64Array) => number)(x, out);
      note(x, out);
      return v;
    };
  }
  if (typeof L.hessianVectorFlat === "function") {
    proxy.hessianVectorFlat = (x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
      mark(x);
      return (L.hessianVectorFlat as (x: Float64Array, v: Float64Array, out?: Float64Array) => Float64Array)(x, v, out);
    };
  }
  t.L = proxy;
  return t;
}

function buildClusters(all: readonly SurveyRun[], tol: number): SurveyCluster[] {
  const runs = all.filter((r) => r.status === "converged");
  return clusterValues(runs.map((r) => r.value), tol).map((c) => {
    const ranks: Record<string, number> = {};
    const verdicts: Record<string, number> = {};
    let converged = 0;
    const members = c.members.map((k) => runs[k].run);
    for (const k of c.members) {
      const r = runs[k];
      ranks[String(r.rank)] = (ranks[String(r.rank)] ?? 0) + 1;
      if (r.verdict !== undefined) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
      if (r.converged) converged++;
    }
    return { ...c, members, ranks, verdicts, converged };
  });
}

let displayCounter = 0;

/**
 * Path of the compiled worker script (`dist/experiments/surveyWorker.js`).
 * @throws DomainError when the library has not been built (no worker script found).
 */
export function surveyWorkerPath(): string {
  const candidates: string[] = [];
  if (__filename.endsWith(".js")) candidates.push(path.join(__dirname, "surveyWorker.js"));
  try {
    candidates.push(require.resolve("linear-landscapes/dist/experiments/surveyWorker.js"));
  } catch {
    /* not linked */
  }
  candidates.push(path.resolve(__dirname, "../../dist/experiments/surveyWorker.js"));
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new DomainError("survey", `workers > 1 need the built library (dist/experiments/surveyWorker.js; run npm run build); got none at ${candidates.join(", ")}`);
}

/**
 * Runs `runs` seeded starts of an optimiser on `L` and clusters the final values.
 *
 * Run `i` starts from `randomStart(L, rng(seed + i), startScale)`, so results do not depend on `workers`.
 * Per run: final `L`, `||grad L||`, rank of `mu(theta)` (singular values `> rankTol * sigma_max + rankAbsTol`), iterations,
 * converged flag, status and reason, and `classify(L, theta)` when given. A run that reaches a non-smooth point (a
 * ReLU kink: the gradient throws `DegenerateError` kind `"kink"`) is recorded there with status `"nonSmooth"`; a run
 * on a loss without minimiser that meets its tolerance is `"diverged"` (reason `"noMinimiser"`). Only converged runs
 * are clustered by `clusterValues(values, tol)`; each cluster lists its ranks and verdicts; the others are listed by
 * {@link SurveyResult.unconvergedRuns} with value and reason. The survey is `async`: it yields to
 * the event loop after every run, so an `AbortSignal` or SIGINT (the kernel's interrupt) stops it after the
 * run in progress; the partial result has `interrupted: true` and is also kept in {@link lastSurvey}.
 * Runs that share a deep linear landscape and fixed-step GD are computed together (struct-of-arrays, same numbers as
 * one by one). With `workers > 1` (or `"auto"`, when it pays off), runs go in chunks to a warm pool of
 * `worker_threads` (started once per process) that rebuild the landscape from its {@link ProblemSpec} (landscapes
 * hold closures; make `L` with `buildProblem(spec)` or pass the spec).
 * @param problem - a landscape (`landscape(net, loss)` or `buildProblem(spec)`) or a {@link ProblemSpec}.
 * @returns a {@link SurveyResult} (displays itself as a rich table).
 * @throws DomainError for bad options, an unknown optimiser, `workers > 1` without a spec or with `start`,
 *   or workers without the built library; UnknownOptionError for an unknown key in `options`,
 *   `options.optimizerOptions` or `options.classifyOptions`.
 */
export async function survey(problem: LandscapeLike | ProblemSpec, options: SurveyOptions = {}): Promise<SurveyResult> {
  const fn = "survey";
  checkOptions(fn, options, SURVEY_OPTION_KEYS);
  const L: LandscapeLike = isLandscapeLike(problem) ? problem : buildProblem(problem as ProblemSpec);
  const spec: ProblemSpec | undefined = isLandscapeLike(problem) ? problemSpecOf(problem) : (problem as ProblemSpec);
  const runs = options.runs ?? 20;
  if (!Number.isInteger(runs) || runs < 0) throw new DomainError(fn, `runs must be a non-negative integer; got ${describe(options.runs)}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed + Math.max(runs - 1, 0) > MAX_SEED) throw new DomainError(fn, `seed must be an integer with 0 <= seed and seed + runs - 1 <= 2^53 - 1 (the seeds of rng); got ${describe(options.seed)}`);
  const optimizer = options.optimizer ?? "lbfgs";
  if (optimizer !== "finder" && !OPTIMIZERS.includes(optimizer)) throw new DomainError(fn, `optimizer must be one of ${OPTIMIZERS.join(", ")}, finder; got ${describe(optimizer)}`);
  const tol = options.tol ?? 1e-6;
  if (!Number.isFinite(tol) || tol < 0) throw new DomainError(fn, `tol must be a finite number >= 0; got ${describe(options.tol)}`);
  const rankTol = options.rankTol ?? 1e-6;
  if (!Number.isFinite(rankTol) || rankTol < 0) throw new DomainError(fn, `rankTol must be a finite number >= 0; got ${describe(options.rankTol)}`);
  const rankAbsTol = options.rankAbsTol ?? 1e-10;
  if (!Number.isFinite(rankAbsTol) || rankAbsTol < 0) throw new DomainError(fn, `rankAbsTol must be a finite number >= 0; got ${describe(options.rankAbsTol)}`);
  const workersOpt = options.workers ?? 1;
  if (workersOpt !== "auto" && (!Number.isInteger(workersOpt) || workersOpt < 1)) throw new DomainError(fn, `workers must be a positive integer or "auto"; got ${describe(options.workers)}`);
  let workers = workersOpt === "auto" ? 1 : workersOpt;
  if (workers > 1 && !spec) throw new DomainError(fn, `workers > 1 need a serialisable problem: build L with buildProblem(spec) or pass the spec; got a landscape without one`);
  if (workers > 1 && options.start) throw new DomainError(fn, `workers > 1 cannot use a custom start function; use startScale`);
  const oo = { ...checkOptions(fn, options.optimizerOptions, optimizerOptionKeys(optimizer), "options.optimizerOptions") };
  checkSignal(fn, options.signal, "options.signal");
  checkSignal(fn, oo.signal, "options.optimizerOptions.signal");
  if (options.classify !== undefined && options.classify !== true && typeof options.classify !== "function") throw new DomainError(fn, `classify must be true or a function (L, theta) => verdict; got ${describe(options.classify)}`);
  if (options.classifyOptions !== undefined) checkOptions(fn, options.classifyOptions, CRITICAL_POINT_OPTION_KEYS, "options.classifyOptions");
  if (options.start !== undefined && typeof options.start !== "function") throw new DomainError(fn, `start must be a function (rng, L) => x0; got ${describe(options.start)}`);
  if (options.progress !== undefined && typeof options.progress !== "boolean" && typeof options.progress !== "function") throw new DomainError(fn, `progress must be a boolean or a function; got ${describe(options.progress)}`);
  for (const k of ["handleSigint", "keepPoints"] as const) if (options[k] !== undefined && typeof options[k] !== "boolean") throw new DomainError(fn, `${k} must be a boolean; got ${describe(options[k])}`);
  if (options.label !== undefined && typeof options.label !== "string") throw new DomainError(fn, `label must be a string; got ${describe(options.label)}`);
  if (options.progressInterval !== undefined && !(typeof options.progressInterval === "number" && options.progressInterval >= 0)) throw new DomainError(fn, `progressInterval must be a number >= 0; got ${describe(options.progressInterval)}`);
  if (workers > 1 && (oo.callback || oo.signal)) throw new DomainError(fn, `optimizerOptions.callback / signal cannot be sent to workers; use workers: 1`);
  const settings: RunSettings = { seed, optimizer, optimizerOptions: oo, startScale: options.startScale ?? 0.5, rankTol, rankAbsTol, keepPoints: options.keepPoints !== false };
  if (workersOpt === "auto") workers = autoWorkers(L, spec, settings, runs, options.start !== undefined || !!oo.callback || !!oo.signal);
  const label = options.label ?? `${L.loss.name} ∘ ${L.net.description}`;
  const interval = options.progressInterval ?? 200;
  const progressOpt = options.progress ?? inKernel();

  const t0 = Date.now();
  const done: SurveyRun[] = [];
  let stop = false;
  const onAbort = (): void => {
    stop = true;
  };
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) stop = true;
  const sigint = options.handleSigint !== false;
  // Leave the synchronous part of the calling cell first: tslab runs cells with vm's `breakOnSigint`, and a
  // SIGINT listener added while that watchdog is active leaves SIGINT at its default action (the kernel dies
  // on the next interrupt; observed with Node 20).
  await new Promise<void>((res) => setImmediate(res));
  if (sigint) process.on("SIGINT", onAbort);

  let handle: DisplayHandle | undefined;
  let lastUpdate = 0;
  const displayId = `linear-landscapes-survey-${process.pid}-${++displayCounter}-${t0}`;
  const report = (state: SurveyProgress["state"], force: boolean): void => {
    if (progressOpt === false) return;
    const now = Date.now();
    if (!force && now - lastUpdate < interval) return;
    lastUpdate = now;
    const clusters = clusterValues(done.filter((r) => r.status === "converged").map((r) => r.value), tol).map((c) => ({ value: c.value, count: c.count }));
    const p = new SurveyProgress(done.length, runs, now - t0, clusters, state, label);
    if (typeof progressOpt === "function") {
      progressOpt(p);
      return;
    }
    handle = handle ? handle.update(p) : display(p, { displayId });
  };
  const classifyRun = (r: SurveyRun): void => {
    if (!options.classify || !r.x) return;
    if (r.status === "nonSmooth") {
      r.verdict = "non-smooth point (kink)";
      return;
    }
    try {
      const theta = L.unpack(r.x);
      const v = options.classify === true ? classifyCriticalPoint(L, theta, options.classifyOptions ?? {}) : options.classify(L, theta);
      r.verdict = typeof v === "string" ? v : v.verdict;
    } catch (e) {
      r.verdict = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  const keepX = settings.keepPoints;
  if (options.classify) settings.keepPoints = true; // needed to classify; dropped below if not wanted

  try {
    report("running", true);
    const plan = workers === 1 ? batchedPlan(L, settings) : null;
    if (plan) {
      // batched: runs that share the landscape and fixed-step GD advance together (same numbers as one by one)
      for (let i0 = 0; i0 < runs && !stop; i0 += BATCH_RUNS) {
        const ids: number[] = [];
        for (let i = i0; i < Math.min(runs, i0 + BATCH_RUNS); i++) ids.push(i);
        for (const r of batchedRuns(L as Landscape, ids, settings, plan, options.start)) {
          classifyRun(r);
          if (!keepX) delete r.x;
          done.push(r);
        }
        report("running", false);
        await new Promise<void>((res) => setImmediate(res));
      }
    } else if (workers === 1) {
      for (let i = 0; i < runs && !stop; i++) {
        const r = surveyRun(L, i, settings, options.start);
        classifyRun(r);
        if (!keepX) delete r.x;
        done.push(r);
        report("running", false);
        await new Promise<void>((res) => setImmediate(res));
      }
    } else {
      await runWithWorkers(spec as ProblemSpec, runs, Math.min(workers, Math.max(runs, 1)), settings, () => stop, (r: SurveyRun) => {
        classifyRun(r);
        if (!keepX) delete r.x;
        done.push(r);
        report("running", false);
      });
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (sigint) process.removeListener("SIGINT", onAbort);
  }
  done.sort((a, b) => a.run - b.run);
  const interrupted = done.length < runs;
  report(interrupted ? "interrupted" : "done", true);
  const result = new SurveyResult(label, optimizer, seed, runs, done, buildClusters(done, tol), tol, interrupted, workers, Date.now() - t0);
  last = result;
  return result;
}

/**
 * Guided self-scheduling: the next chunk is a share `remaining / (2 threads)` of the runs left, at least 16 (or what
 * is left) and at most {@link BATCH_RUNS}. Early chunks are large (a batch advances all its runs in each step, so the
 * per-step overhead is shared by more runs), late ones small, so the threads finish together.
 */
function guidedChunk(remaining: number, threads: number): number {
  return Math.min(remaining, BATCH_RUNS, Math.max(16, Math.ceil(remaining / (2 * threads))));
}

/**
 * Sends the runs in chunks to `nWorkers` workers of the warm pool (started on first use, then reused) and streams the
 * records back. Chunks by guided self-scheduling ({@link guidedChunk}); a worker computes a chunk as
 * {@link surveyChunk} on the landscape rebuilt from `spec`, so the numbers are those of the in-thread survey. The main
 * thread only dispatches and collects (a notebook's main thread carries the session's heap, and its garbage
 * collection would slow a share computed there: in the full bench two threads that way gave 1.2× against 1.35× for
 * two workers).
 */
async function runWithWorkers(spec: ProblemSpec, runs: number, nWorkers: number, settings: RunSettings, stopped: () => boolean, onRun: (r: SurveyRun) => void): Promise<void> {
  await ensureWorkers(surveyWorkerPath(), nWorkers);
  const chunks: number[][] = [];
  for (let i0 = 0; i0 < runs; ) {
    const size = guidedChunk(runs - i0, nWorkers);
    const ids: number[] = [];
    for (let i = i0; i < Math.min(runs, i0 + size); i++) ids.push(i);
    chunks.push(ids);
    i0 += size;
  }
  await runChunks<RunColumns>(nWorkers, { spec, settings }, chunks, stopped, (columns) => fromColumns(columns).forEach(onRun));
}

/**
 * The runs `ids` of a survey, computed as the in-thread survey computes them: batched when they share a deep linear
 * landscape and fixed-step GD (see `batchedPlan`), else one by one with {@link surveyRun}.
 * @internal (exported for the worker script)
 */
export function surveyChunk(L: LandscapeLike, ids: readonly number[], s: RunSettings): SurveyRun[] {
  const plan = batchedPlan(L, s);
  if (plan) {
    const out: SurveyRun[] = [];
    for (let i0 = 0; i0 < ids.length; i0 += BATCH_RUNS) out.push(...batchedRuns(L as Landscape, ids.slice(i0, i0 + BATCH_RUNS), s, plan));
    return out;
  }
  return ids.map((i) => surveyRun(L, i, s));
}

/**
 * `workers: "auto"`: how many workers pay off. The work is estimated as runs × iteration budget × parameters × a cost
 * per coordinate-step (about 5 ns batched, 50 ns one run at a time, ×20 for L-BFGS / the finder), and workers are used
 * (up to `min(cores, 4)`) only when it exceeds four times their start cost (the pool's start, 0 once started, plus
 * what is left of the workers' JIT warm-up: `expectedStartMs`) plus 50 ms; never without a serialisable problem,
 * with a custom start or with callbacks.
 */
function autoWorkers(L: LandscapeLike, spec: ProblemSpec | undefined, s: RunSettings, runs: number, inThreadOnly: boolean): number {
  if (!spec || inThreadOnly || runs < 2) return 1;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const cores = (require("os") as typeof import("os")).cpus().length;
  const n = Math.min(cores, 4, runs);
  if (n < 2) return 1;
  try {
    surveyWorkerPath();
  } catch {
    return 1;
  }
  const oo = s.optimizerOptions as { maxIter?: number };
  const iters = Math.min(oo.maxIter ?? 2000, 1e6);
  const batched = batchedPlan(L, s) !== null;
  const nsPerCoordStep = batched ? 5 : s.optimizer === "lbfgs" || s.optimizer === "finder" ? 1000 : 50;
  const estimatedMs = (runs * iters * L.dim * nsPerCoordStep) / 1e6;
  return estimatedMs > 4 * expectedStartMs(n) + 50 ? n : 1;
}
