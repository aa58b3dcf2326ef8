/**
 * Timing protocol shared (line by line) with `bench/peers.py`:
 * - per-call workloads: run once, calibrate a batch so that one sample lasts about `targetMs`, warm up for
 *   `warmupMs`, then take `k` samples of one batch each; report the median (and min) seconds per call;
 * - fixed workloads (10k GD steps, a survey): one warm-up run, then `kLong` timed runs; median seconds per run.
 * @module
 */

/** Timing knobs (the same object is written to the inputs file and read by the Python peers). */
export interface TimingConfig {
  /** Samples per per-call measurement (median of k). */
  k: number;
  /** Duration of one sample, in ms (the batch is calibrated to it). */
  targetMs: number;
  /** Warm-up duration before sampling, in ms. */
  warmupMs: number;
  /** Timed runs of a fixed workload (after one warm-up run). */
  kLong: number;
}

/** One measurement. */
export interface Timing {
  /** Median seconds per call (per-call workloads) or per run (fixed workloads). */
  median: number;
  /** Fastest sample, same unit. */
  min: number;
  /** All samples, same unit. */
  samples: number[];
  /** Calls per sample (1 for fixed workloads). */
  batch: number;
}

function nowNs(): bigint {
  return process.hrtime.bigint();
}

function seconds(t0: bigint): number {
  return Number(nowNs() - t0) / 1e9;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** A sink that keeps results alive so the JIT cannot drop the work. */
export const sink: { v: unknown } = { v: 0 };

/**
 * Times `fn` by the protocol above.
 * @param fixed - true for a fixed workload (batch 1, `kLong` runs after one warm-up run).
 */
export function bench(fn: () => unknown, cfg: TimingConfig, fixed = false): Timing {
  if (fixed) {
    sink.v = fn();
    const samples: number[] = [];
    for (let r = 0; r < cfg.kLong; r++) {
      const t0 = nowNs();
      sink.v = fn();
      samples.push(seconds(t0));
    }
    return { median: median(samples), min: Math.min(...samples), samples, batch: 1 };
  }
  sink.v = fn();
  let batch = 1;
  let dt = 0;
  for (;;) {
    const t0 = nowNs();
    for (let i = 0; i < batch; i++) sink.v = fn();
    dt = seconds(t0);
    if (dt >= cfg.targetMs / 1000 / 4 || batch > 1e7) break;
    batch *= 4;
  }
  batch = Math.max(1, Math.floor((batch * (cfg.targetMs / 1000)) / Math.max(dt, 1e-9)));
  const tEnd = nowNs() + BigInt(Math.round(cfg.warmupMs * 1e6));
  while (nowNs() < tEnd) for (let i = 0; i < batch; i++) sink.v = fn();
  const samples: number[] = [];
  for (let r = 0; r < cfg.k; r++) {
    const t0 = nowNs();
    for (let i = 0; i < batch; i++) sink.v = fn();
    samples.push(seconds(t0) / batch);
  }
  return { median: median(samples), min: Math.min(...samples), samples, batch };
}

/** Human-readable duration: `1.23 µs`, `45.6 ms`, `2.10 s`. */
export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "–";
  if (s < 1e-6) return `${(s * 1e9).toPrecision(3)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

/** A ratio `ours / peer` with two significant digits, `0.031×`, `12×`. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return "–";
  if (r >= 10) return `${r.toFixed(0)}×`;
  return `${r.toPrecision(2)}×`;
}

/**
 * The environment of the Python peers: one thread everywhere; OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (this
 * command only), so numpy runs the fastest kernel OpenBLAS finds for the processor. `LL_PEER_OPENBLAS_CORETYPE=Prescott`
 * pins the peers to another kernel instead (e.g. the SSE3 one that the machine's variables select on some processors,
 * the conditions of issue 11's table); the report prints which kernel the peers ran.
 */
export function peerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (process.env.LL_PEER_OPENBLAS_CORETYPE) env.OPENBLAS_CORETYPE = process.env.LL_PEER_OPENBLAS_CORETYPE;
  env.OMP_NUM_THREADS = "1";
  env.OPENBLAS_NUM_THREADS = "1";
  env.MKL_NUM_THREADS = "1";
  return env;
}
