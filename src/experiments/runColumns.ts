/**
 * The wire form of survey records between a pool worker and the main thread: a chunk's runs as columns (one
 * `Float64Array` of the numeric fields, short string arrays for the status and the stop reason) instead of one object
 * per run. Structured cloning a typed array is a copy of its bytes, while each object costs the main thread a
 * property-by-property rebuild; the main thread collects while the workers compute, on the same cores, so what it
 * saves the workers gain. Internal to {@link survey} (A1, T4, T6 basin statistics).
 * @module
 */

import type { SurveyRun } from "./surveyRun";

/** Numeric fields per run in {@link RunColumns.num}: run, seed, value, gradNorm, rank, iterations, evaluations, ms, converged. */
const FIELDS = 9;

/** A chunk's survey records as columns (see the module comment). @internal */
export interface RunColumns {
  /** Runs in the chunk. */
  readonly n: number;
  /** `FIELDS` numbers per run, run after run (`converged` as 0/1). */
  readonly num: Float64Array;
  readonly status: string[];
  readonly reason: string[];
  /** Per run: the non-smooth endpoint's message or `null`; `null` for the chunk when no run has one. */
  readonly detail: Array<string | null> | null;
  /** Per run: the final point or `null`; `null` for the chunk when no run kept one. */
  readonly x: Array<Float64Array | null> | null;
}

/**
 * The columns of `runs` (which keep their fields; nothing is copied but the numbers).
 * @throws never.
 */
export function toColumns(runs: readonly SurveyRun[]): RunColumns {
  const n = runs.length;
  const num = new Float64Array(n * FIELDS);
  const status: string[] = new Array(n);
  const reason: string[] = new Array(n);
  let detail: Array<string | null> | null = null;
  let x: Array<Float64Array | null> | null = null;
  for (let i = 0; i < n; i++) {
    const r = runs[i];
    const o = i * FIELDS;
    num[o] = r.run;
    num[o + 1] = r.seed;
    num[o + 2] = r.value;
    num[o + 3] = r.gradNorm;
    num[o + 4] = r.rank;
    num[o + 5] = r.iterations;
    num[o + 6] = r.evaluations;
    num[o + 7] = r.ms;
    num[o + 8] = r.converged ? 1 : 0;
    status[i] = r.status;
    reason[i] = r.reason;
    if (r.detail !== undefined) (detail ??= new Array<string | null>(n).fill(null))[i] = r.detail;
    if (r.x !== undefined) (x ??= new Array<Float64Array | null>(n).fill(null))[i] = r.x;
  }
  return { n, num, status, reason, detail, x };
}

/**
 * The records back from their columns: objects with the fields of `recordRun`'s, in the same order (`detail` and `x`
 * only where the run had them), equal to the originals.
 * @throws never.
 */
export function fromColumns(c: RunColumns): SurveyRun[] {
  const out: SurveyRun[] = new Array(c.n);
  const num = c.num;
  for (let i = 0; i < c.n; i++) {
    const o = i * FIELDS;
    const r: SurveyRun = {
      run: num[o],
      seed: num[o + 1],
      value: num[o + 2],
      gradNorm: num[o + 3],
      rank: num[o + 4],
      iterations: num[o + 5],
      evaluations: num[o + 6],
      converged: num[o + 8] === 1,
      status: c.status[i] as SurveyRun["status"],
      reason: c.reason[i] as SurveyRun["reason"],
      ms: num[o + 7],
    };
    const d = c.detail?.[i];
    if (d !== null && d !== undefined) r.detail = d;
    const x = c.x?.[i];
    if (x !== null && x !== undefined) r.x = x;
    out[i] = r;
  }
  return out;
}
