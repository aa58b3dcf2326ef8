/**
 * Fixed-step gradient descent for many runs at once: the iterates of `count` runs live in one struct-of-arrays
 * buffer (coordinate `k` of run `r` at `X[k * stride + r]`) and advance together, each run with exactly the
 * operations and stopping rules of {@link gradientDescent} with `lineSearch: "fixed"` (so each run's iterates,
 * value, gradient norm, counts and stop reason equal the single-run ones to the last bit). Runs that stop leave
 * the batch (swap with the last active slot), so the work follows the runs still going. Used by surveys
 * (A1, T4, T6 basin statistics).
 * @module
 */
import type { StopReason } from "./optimizer";

/** An objective evaluated on a batch: values and gradients of `count` points in struct-of-arrays layout. */
export interface BatchedObjective {
  /** Number of parameters per point. */
  readonly dim: number;
  /**
   * Writes `L(x_r)` into `values[r]` and `grad L(x_r)` into `G` (layout of `X`) for `r < count`; `X` holds
   * finite entries. Must perform, per point, the operations of the objective's `valueAndGradientFlat`.
   */
  evaluate(X: Float64Array, G: Float64Array, values: Float64Array, count: number, stride: number): void;
  /**
   * Optional fused GD step: `x_r <- x_r - alpha grad_r` (the old gradient in `G`), then `false` if any updated
   * coordinate is not finite, else the evaluation as `evaluate` and `gn[r] = ||grad L(x_r)||` (`norm2`'s order).
   */
  step?(X: Float64Array, G: Float64Array, values: Float64Array, gn: Float64Array, count: number, stride: number, alpha: number): boolean;
}

/** Settings of {@link batchedFixedStepGd}: those of `gradientDescent` with a fixed step (no callback, signal, record). */
export interface BatchedGdSettings {
  step: number;
  maxIter: number;
  gradTol: number;
  valueTol: number;
  maxEvaluations: number;
}

/** The end of one run of {@link batchedFixedStepGd}. */
export interface BatchedGdRun {
  x: Float64Array;
  value: number;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  reason: StopReason;
}

/**
 * Runs fixed-step GD `x <- x - step grad L(x)` from every start, batched (see the module comment).
 * An evaluation whose value or gradient is not finite (overflow at a finite point) reads as `L = Infinity`, as in
 * `evalFG`. Stopping rules per run, in `gradientDescent`'s order: non-finite value or gradient norm, `||g|| <= gradTol`,
 * value change `<= valueTol max(1, |L|)`, iteration budget, evaluation budget.
 * @param starts - finite start points of length `obj.dim` (not modified).
 * @returns one result per start, in order; `null` when an iterate became non-finite (where the single-run
 *   `gradientDescent` throws from the landscape's argument check: the caller reruns the runs one by one to get
 *   that error at the same run).
 * @throws never (inputs are trusted; callers validate as `gradientDescent` does).
 * Generic infrastructure for surveys (A1, T4, T6).
 */
export function batchedFixedStepGd(obj: BatchedObjective, starts: readonly Float64Array[], s: BatchedGdSettings): BatchedGdRun[] | null {
  const n = obj.dim;
  const S = starts.length;
  const out: BatchedGdRun[] = new Array(S);
  if (S === 0) return out;
  const X = new Float64Array(n * S);
  const G = new Float64Array(n * S);
  const f = new Float64Array(S);
  const gn = new Float64Array(S);
  const prev = new Float64Array(S).fill(NaN);
  const slotRun = new Int32Array(S);
  for (let r = 0; r < S; r++) {
    slotRun[r] = r;
    const x = starts[r];
    for (let k = 0; k < n; k++) X[k * S + r] = x[k];
  }
  let active = S;
  obj.evaluate(X, G, f, active, S);
  // iterations and evaluations of every active run: all start at (0, 1) and each step advances every active run,
  // runs leave and never join, so they are the same for all of them (two counters instead of two arrays)
  let iters = 0;
  let evals = 1;
  const alpha = s.step;
  const gradTol = s.gradTol;
  const valueTol = s.valueTol;
  const fused = typeof obj.step === "function";
  let normed = false;
  for (;;) {
    if (!normed) {
      // ||g|| per run, summed in increasing coordinate as norm2
      for (let r = 0; r < active; r++) gn[r] = 0;
      for (let k = 0; k < n; k++) {
        const o = k * S;
        for (let r = 0; r < active; r++) gn[r] += G[o + r] * G[o + r];
      }
      for (let r = 0; r < active; r++) gn[r] = Math.sqrt(gn[r]);
    }
    // the budgets are the same for every run; the value test needs a previous value (after the first step)
    const budget: StopReason | null = iters >= s.maxIter ? "maxIter" : evals >= s.maxEvaluations ? "maxEvaluations" : null;
    const valueTest = iters > 0 && valueTol > 0;
    // one pass per step: evalFG's overflow rule, then the Monitor's checks in gradientDescent's order; stopped runs
    // leave (descending, so the slot swapped in was already checked)
    for (let r = active - 1; r >= 0; r--) {
      let v = f[r];
      const g = gn[r];
      if (v - v !== 0 || g - g !== 0) {
        // a non-finite value or gradient entry at a finite point reads as L = Infinity
        let ok = v - v === 0;
        for (let k = 0; ok && k < n; k++) if (!Number.isFinite(G[k * S + r])) ok = false;
        if (!ok) f[r] = v = Infinity;
      }
      let reason: StopReason | null;
      if (v - v !== 0 || g - g !== 0) reason = "nonFinite";
      else if (g <= gradTol) reason = "gradTol";
      else if (valueTest && Math.abs(prev[r] - v) <= valueTol * Math.max(1, Math.abs(v))) reason = "valueTol";
      else {
        prev[r] = v;
        reason = budget;
      }
      if (reason === null) continue;
      const x = new Float64Array(n);
      for (let k = 0; k < n; k++) x[k] = X[k * S + r];
      out[slotRun[r]] = { x, value: v, gradNorm: g, iterations: iters, evaluations: evals, reason };
      const last = active - 1;
      if (r !== last) {
        for (let k = 0; k < n; k++) {
          X[k * S + r] = X[k * S + last];
          G[k * S + r] = G[k * S + last];
        }
        f[r] = f[last];
        gn[r] = gn[last];
        prev[r] = prev[last];
        slotRun[r] = slotRun[last];
      }
      active--;
    }
    if (active === 0) return out;
    if (fused) {
      if (!(obj.step as NonNullable<BatchedObjective["step"]>)(X, G, f, gn, active, S, alpha)) return null;
      normed = true;
      evals++;
      iters++;
      continue;
    }
    for (let k = 0; k < n; k++) {
      const o = k * S;
      for (let r = 0; r < active; r++) X[o + r] -= alpha * G[o + r];
    }
    for (let k = 0; k < n; k++) {
      const o = k * S;
      for (let r = 0; r < active; r++) {
        const v = X[o + r];
        if (v - v !== 0) return null;
      }
    }
    obj.evaluate(X, G, f, active, S);
    evals++;
    iters++;
  }
}
