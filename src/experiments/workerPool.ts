/**
 * A warm pool of survey worker threads, started once per process (per kernel) and reused by every survey: runs are
 * sent in chunks (`{ type: "chunk", job, spec, settings, runs }`), each worker rebuilds a landscape once per problem
 * (cached by its spec) and answers a chunk with its records, which the survey streams into its result and progress.
 * Workers are `unref`'d, so an idle pool never keeps the process alive. Serves the surveys of A1, T4, T6.
 * @module
 */
import type { Worker as WorkerType } from "worker_threads";
import { DomainError } from "../core/errors";

/** What a chunk message carries besides the run indices. @internal */
export interface ChunkJob {
  spec: unknown;
  settings: unknown;
}

interface PoolWorker {
  worker: WorkerType;
  ready: Promise<void>;
  /** Callbacks of the chunks sent and not yet answered, in order (a worker answers its messages in order). */
  pending: Array<(records: unknown, error?: string) => void>;
  /**
   * The feeders of the jobs running on this worker, called after every answer (also a stopped job's late one), so
   * each job sends its next chunk when the worker has room; jobs running at once (surveys awaited together) share it.
   */
  kicks: Set<() => void>;
}

/** Milliseconds the last pool start took (0 before any start): what `workers: "auto"` weighs against the work. */
let lastStartMs = 0;
const pool: PoolWorker[] = [];

/** True when at least `n` workers are started (the next survey pays no start cost). */
export function poolWarm(n: number): boolean {
  return pool.length >= n;
}

/** Runs the pool's workers have answered since the process started (their JIT warm-up, see {@link expectedStartMs}). */
let runsAnswered = 0;

/**
 * Runs after which a pool's workers run at their steady speed: each worker optimises its own copy of the per-run
 * code, and on the bench's W2 census (1000 runs a survey) the surveys took 275 (with the start), 108, 74, 42, 46, 42,
 * 46, 39 ms, then 26–38 ms: about 8000 runs, about 200 ms beyond the steady speed in all.
 */
const WARM_RUNS = 8000;
/** Milliseconds the workers' JIT warm-up costs beyond their steady speed, spread over the first {@link WARM_RUNS} runs. */
const WARMUP_MS = 200;

/**
 * The start cost to expect for `n` workers, in ms: the pool's start (0 when started, else the last measured start,
 * default 100 ms) plus what is left of the workers' JIT warm-up (`200 ms × (1 − runs answered / 8000)`, 0 from
 * 8000 runs on), so `workers: "auto"` does not send a survey to workers that would still be slower than in-thread.
 * @throws never.
 */
export function expectedStartMs(n: number): number {
  const start = poolWarm(n) ? 0 : lastStartMs || 100;
  return start + WARMUP_MS * Math.max(0, 1 - runsAnswered / WARM_RUNS);
}

/**
 * Starts workers until the pool has `n`, and waits until they are ready.
 * @throws DomainError when a worker fails to start.
 */
export async function ensureWorkers(script: string, n: number): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker } = require("worker_threads") as typeof import("worker_threads");
  const t0 = Date.now();
  const starting: Promise<void>[] = [];
  while (pool.length < n) {
    const worker = new Worker(script, { workerData: { surveyWorker: true }, execArgv: [] });
    const pw: PoolWorker = { worker, ready: Promise.resolve(), pending: [], kicks: new Set() };
    pw.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (m: { type: string; error?: string }) => (m.type === "ready" ? resolve() : reject(new DomainError("survey", `worker failed to start: ${m.error}`))));
      worker.once("error", reject);
    });
    worker.on("message", (m: { type: string; records?: unknown; error?: string }) => {
      if (m.type === "ready") return;
      const k = pw.pending.shift();
      if (k) k(m.type === "results" ? m.records : null, m.error);
      for (const kick of [...pw.kicks]) kick();
    });
    worker.on("error", (e) => {
      const ks = pw.pending.splice(0);
      const i = pool.indexOf(pw);
      if (i >= 0) pool.splice(i, 1);
      for (const k of ks) k(null, e instanceof Error ? e.message : String(e));
    });
    pw.ready = pw.ready.then(() => {
      worker.unref(); // after the listeners (adding a 'message' listener refs the port again)
    });
    pool.push(pw);
    starting.push(pw.ready);
  }
  if (starting.length > 0) {
    await Promise.all(starting);
    lastStartMs = Date.now() - t0;
  } else await Promise.all(pool.slice(0, n).map((p) => p.ready));
}

/** Chunks a worker holds at once (one computing, the next already queued, so it never waits for the main thread). */
const IN_FLIGHT = 2;

/**
 * Runs the chunks on the first `n` pool workers, each holding up to two (one computing, the next already queued, so
 * a worker never waits for the main thread to answer), calling `onChunk` with each chunk's answer (the worker's
 * `records`, for surveys the columns of `runColumns.ts`) as they arrive; stops dispatching when `stopped()` (chunks in
 * flight finish in the background and are dropped).
 * @throws DomainError when a worker reports an error.
 */
export function runChunks<P>(
  n: number,
  job: ChunkJob,
  chunks: number[][],
  stopped: () => boolean,
  onChunk: (records: P) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let settled = false;
    const kicks: Array<[PoolWorker, () => void]> = [];
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      for (const [pw, kick] of kicks) pw.kicks.delete(kick);
      if (err) reject(err);
      else resolve();
    };
    const poll = setInterval(() => {
      if (stopped()) settle();
    }, 25);
    const finishedAll = (): void => {
      if (next >= chunks.length && inFlight === 0) settle();
    };
    const feed = (pw: PoolWorker): void => {
      while (!settled && pw.pending.length < IN_FLIGHT && next < chunks.length) {
        if (stopped()) return settle();
        const runs = chunks[next++];
        inFlight++;
        pw.pending.push((records, error) => {
          inFlight--;
          if (records) runsAnswered += runs.length;
          if (settled) return;
          if (!records) return settle(new DomainError("survey", `worker failed: ${error}`));
          onChunk(records as P);
          finishedAll();
        });
        pw.worker.postMessage({ type: "chunk", ...job, runs });
      }
    };
    if (chunks.length === 0) return settle();
    for (const pw of pool.slice(0, n)) {
      const kick = (): void => feed(pw);
      pw.kicks.add(kick);
      kicks.push([pw, kick]);
      feed(pw);
    }
  });
}
