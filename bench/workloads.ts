/**
 * The benchmark workloads: sizes as parameters, seeded inputs shared with the Python peers (written to JSON),
 * and the TypeScript side of each workload (our library, imported from `src/`).
 * @module
 */
import {
  Landscape,
  deepLinear,
  gradientDescent,
  landscape,
  lbfgs,
  randomStart,
  rng,
  squareLoss,
  squareLossData,
  weightedSquareLoss,
} from "../dist";
import type { Loss } from "../dist";

/** Loss of a case, as plain JSON (rows of numbers), read by both sides. */
export type LossSpec =
  | { type: "squareData"; X: number[][]; Y: number[][] }
  | { type: "squareMatrix"; Q: number[][] }
  | { type: "weighted"; Q: number[][]; Lambda: number[][] };

/** Fields common to every case. */
interface CaseBase {
  /** Unique id, e.g. `lossgrad/data (4,3,2,3,3) n=50`. */
  id: string;
  /** Table the case belongs to. */
  group: "lossgrad" | "gd" | "hessian" | "survey";
  /** Short label for the table row. */
  label: string;
  /** What one timed unit is (`call`, `10k steps`, `100 runs`). */
  unit: string;
  widths: number[];
  loss: LossSpec;
}

/** Loss + gradient at one point. */
export interface LossGradCase extends CaseBase {
  kind: "lossgrad";
  theta: number[];
}
/** Fixed-step GD for `steps` updates (gradTol 0). */
export interface GdCase extends CaseBase {
  kind: "gd";
  theta0: number[];
  lr: number;
  steps: number;
  /** Steps for the 1e-10 check of the iterate. */
  checkSteps: number;
}
/** Dense Hessian or one Hessian-vector product. */
export interface HessianCase extends CaseBase {
  kind: "hessian";
  op: "dense" | "hvp";
  theta: number[];
  v: number[];
}
/** Options of the survey optimisers (read by both sides). */
export interface SurveyGd {
  step: number;
  maxIter: number;
  gradTol: number;
}
export interface SurveyLbfgs {
  maxIter: number;
  gradTol: number;
  /** scipy / torch.optim.LBFGS stop on the max-norm of the gradient: `gradTol / sqrt(dim)` (never looser). */
  gradTolInf: number;
  memory: number;
  lineSearchEvaluations: number;
}
/** Many seeded runs of one optimiser. */
export interface SurveyCase extends CaseBase {
  kind: "survey";
  method: "gd" | "lbfgs";
  starts: number[][];
  /** Runs used for the correctness check (the first ones). */
  checkStarts: number;
  gd?: SurveyGd;
  lbfgs?: SurveyLbfgs;
}
export type Case = LossGradCase | GdCase | HessianCase | SurveyCase;

/** Sizes and counts of the workloads (everything a run can change). */
export interface WorkloadConfig {
  seed: number;
  /** Data-form square loss: widths and sample count n. */
  lossgradData: Array<{ widths: number[]; n: number }>;
  /** Matrix-form square loss widths. */
  lossgradMatrix: number[][];
  /** GD steps of the tiny-matrix workloads. */
  gdSteps: number;
  /** Widths of the dense Hessian / HVP workloads. */
  hessianWidths: number[][];
  /** Survey: widths, number of runs, GD and L-BFGS options. */
  survey: { widths: number[]; runs: number; checkRuns: number; gd: SurveyGd; lbfgs: Omit<SurveyLbfgs, "gradTolInf"> };
}

/** Default sizes: the ones of the course (brief of issue 3). */
export const DEFAULT_WORKLOADS: WorkloadConfig = {
  seed: 20240607,
  lossgradData: [
    { widths: [4, 3, 2, 3, 3], n: 50 },
    { widths: [10, 8, 6, 8, 10], n: 200 },
    { widths: [32, 16, 32], n: 500 },
  ],
  lossgradMatrix: [
    [4, 2, 4],
    [4, 2, 3, 4],
  ],
  gdSteps: 10000,
  hessianWidths: [[4, 2, 3, 4]],
  survey: {
    widths: [4, 2, 4],
    runs: 100,
    checkRuns: 10,
    gd: { step: 0.01, maxIter: 1000, gradTol: 1e-6 },
    lbfgs: { maxIter: 500, gradTol: 1e-6, memory: 10, lineSearchEvaluations: 30 },
  },
};

function rows(M: { to2DArray(): number[][] }): number[][] {
  return M.to2DArray();
}

function paramCount(w: number[]): number {
  let s = 0;
  for (let i = 1; i < w.length; i++) s += w[i] * w[i - 1];
  return s;
}

function wstr(w: number[]): string {
  return `(${w.join(",")})`;
}

/** T5 target of the course: `Q = U diag(4,3,2,1) V^T` (random orthogonal U, V), `m × m`. */
function t5Target(seed: number, m: number): number[][] {
  const r = rng(seed);
  const U = r.orthogonal(m);
  const V = r.orthogonal(m);
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    out.push([]);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += U.get(i, k) * Math.max(1, m - k) * V.get(j, k);
      out[i].push(s);
    }
  }
  return out;
}

/** Builds every case with seeded inputs (the same JSON is read by the Python peers). */
export function buildCases(cfg: WorkloadConfig): Case[] {
  const r = rng(cfg.seed);
  const flat = (w: number[], scale = 0.5): number[] => Array.from(randomStart(w, r.fork(), scale));
  const cases: Case[] = [];
  for (const { widths, n } of cfg.lossgradData) {
    const X = r.gaussian(widths[0], n);
    const Y = r.gaussian(widths[widths.length - 1], n);
    cases.push({
      id: `lossgrad/data ${wstr(widths)} n=${n}`, group: "lossgrad", kind: "lossgrad", unit: "call",
      label: `½‖W_h…W_1X−Y‖² ${wstr(widths)} n=${n}`, widths,
      loss: { type: "squareData", X: rows(X), Y: rows(Y) }, theta: flat(widths),
    });
  }
  for (const widths of cfg.lossgradMatrix) {
    const m = widths[widths.length - 1];
    const Q = rows(r.gaussian(m, widths[0]));
    cases.push({
      id: `lossgrad/matrix ${wstr(widths)}`, group: "lossgrad", kind: "lossgrad", unit: "call",
      label: `‖W−Q‖² ${wstr(widths)}`, widths, loss: { type: "squareMatrix", Q }, theta: flat(widths),
    });
  }
  // tiny-matrix optimiser steps (T6 Example A, K = 10, s = 0.8; and the T5 target on (4,2,4))
  cases.push({
    id: "gd/weighted (2,1,2)", group: "gd", kind: "gd", unit: `${cfg.gdSteps / 1000}k steps`,
    label: `GD ${cfg.gdSteps} steps, Σ Λ∘(W−Q)² (2,1,2)`, widths: [2, 1, 2],
    loss: { type: "weighted", Q: [[1, 0], [0, 0.8]], Lambda: [[1, 10], [10, 1]] },
    theta0: flat([2, 1, 2]), lr: 0.005, steps: cfg.gdSteps, checkSteps: 10,
  });
  cases.push({
    id: "gd/square (4,2,4)", group: "gd", kind: "gd", unit: `${cfg.gdSteps / 1000}k steps`,
    label: `GD ${cfg.gdSteps} steps, ‖W−Q‖² (4,2,4)`, widths: [4, 2, 4],
    loss: { type: "squareMatrix", Q: t5Target(cfg.seed + 1, 4) },
    theta0: flat([4, 2, 4]), lr: 0.01, steps: cfg.gdSteps, checkSteps: 10,
  });
  for (const widths of cfg.hessianWidths) {
    const m = widths[widths.length - 1];
    const Q = t5Target(cfg.seed + 2, m);
    const theta = flat(widths);
    const v = flat(widths, 1);
    cases.push({
      id: `hessian/dense ${wstr(widths)}`, group: "hessian", kind: "hessian", op: "dense", unit: "call",
      label: `dense Hessian ${paramCount(widths)}×${paramCount(widths)}, ‖W−Q‖² ${wstr(widths)}`, widths,
      loss: { type: "squareMatrix", Q }, theta, v,
    });
    cases.push({
      id: `hessian/hvp ${wstr(widths)}`, group: "hessian", kind: "hessian", op: "hvp", unit: "call",
      label: `Hessian-vector product, ‖W−Q‖² ${wstr(widths)}`, widths, loss: { type: "squareMatrix", Q }, theta, v,
    });
  }
  const s = cfg.survey;
  const Qs = t5Target(cfg.seed + 3, s.widths[s.widths.length - 1]);
  const starts: number[][] = [];
  for (let i = 0; i < s.runs; i++) starts.push(Array.from(randomStart(s.widths, rng(cfg.seed + 1000 + i), 0.5)));
  const P = paramCount(s.widths);
  cases.push({
    id: `survey/gd ${wstr(s.widths)}`, group: "survey", kind: "survey", method: "gd", unit: `${s.runs} runs`,
    label: `${s.runs} GD runs (step ${s.gd.step}, ≤${s.gd.maxIter} it, ‖g‖≤${s.gd.gradTol.toExponential(0)}) ${wstr(s.widths)}`,
    widths: s.widths, loss: { type: "squareMatrix", Q: Qs }, starts, checkStarts: s.checkRuns, gd: s.gd,
  });
  cases.push({
    id: `survey/lbfgs ${wstr(s.widths)}`, group: "survey", kind: "survey", method: "lbfgs", unit: `${s.runs} runs`,
    label: `${s.runs} L-BFGS runs (m=${s.lbfgs.memory}, ‖g‖≤${s.lbfgs.gradTol.toExponential(0)}) ${wstr(s.widths)}`,
    widths: s.widths, loss: { type: "squareMatrix", Q: Qs }, starts, checkStarts: s.checkRuns,
    lbfgs: { ...s.lbfgs, gradTolInf: s.lbfgs.gradTol / Math.sqrt(P) },
  });
  return cases;
}

/** One TypeScript implementation of a case: `run` is timed, `check` gives the outputs compared with the peers. */
export interface TsImpl {
  impl: string;
  run: () => unknown;
  check: () => Record<string, unknown>;
  fixed: boolean;
}

function lossOf(spec: LossSpec): Loss {
  switch (spec.type) {
    case "squareData":
      return squareLossData(spec.X, spec.Y);
    case "squareMatrix":
      return squareLoss(spec.Q);
    case "weighted":
      return weightedSquareLoss(spec.Lambda, spec.Q);
  }
}

/** Our landscape for a case. */
export function landscapeOf(c: Case): Landscape {
  return landscape(deepLinear(c.widths), lossOf(c.loss));
}

/** The TypeScript implementations of a case (`ours` first: the one the ratios use). */
export function tsImpls(c: Case): TsImpl[] {
  const L = landscapeOf(c);
  const n = L.dim;
  switch (c.kind) {
    case "lossgrad": {
      const x = Float64Array.from(c.theta);
      const g = new Float64Array(n);
      const out = (v: number): Record<string, unknown> => ({ value: v, grad: Array.from(g) });
      return [
        { impl: "ours", run: () => L.valueAndGradientFlat(x, g), check: () => out(L.valueAndGradientFlat(x, g)), fixed: false },
        { impl: "ours-generic", run: () => L.valueAndGradientFlatGeneric(x, g), check: () => out(L.valueAndGradientFlatGeneric(x, g)), fixed: false },
      ];
    }
    case "gd": {
      const x0 = Float64Array.from(c.theta0);
      const gd = (steps: number) => gradientDescent(L, x0, { step: c.lr, maxIter: steps, gradTol: 0 });
      // the bare loop: what gradientDescent costs beyond the landscape (no norm, no bookkeeping)
      const x = new Float64Array(n);
      const g = new Float64Array(n);
      const loop = (steps: number): number => {
        x.set(x0);
        let v = L.valueAndGradientFlat(x, g);
        for (let s = 0; s < steps; s++) {
          for (let i = 0; i < n; i++) x[i] -= c.lr * g[i];
          v = L.valueAndGradientFlat(x, g);
        }
        return v;
      };
      return [
        {
          impl: "ours", run: () => gd(c.steps), fixed: true,
          check: () => ({ theta: Array.from(gd(c.checkSteps).x), finalValue: gd(c.steps).value }),
        },
        {
          impl: "ours-loop", run: () => loop(c.steps), fixed: true,
          check: () => {
            const fv = loop(c.steps);
            loop(c.checkSteps);
            return { theta: Array.from(x), finalValue: fv };
          },
        },
      ];
    }
    case "hessian": {
      const x = Float64Array.from(c.theta);
      const v = Float64Array.from(c.v);
      if (c.op === "dense") {
        const theta = L.unpack(x);
        return [{ impl: "ours", run: () => L.hessian(theta), check: () => ({ hessian: L.hessian(theta).to2DArray() }), fixed: false }];
      }
      const o = new Float64Array(n);
      return [{ impl: "ours", run: () => L.hessianVectorFlat(x, v, o), check: () => ({ hv: Array.from(L.hessianVectorFlat(x, v, o)) }), fixed: false }];
    }
    case "survey": {
      const starts = c.starts.map((s) => Float64Array.from(s));
      const survey = (k: number): Record<string, unknown> => {
        const finalValues: number[] = [];
        let iterations = 0;
        let evaluations = 0;
        for (let i = 0; i < k; i++) {
          const res =
            c.method === "gd"
              ? gradientDescent(L, starts[i], { step: c.gd!.step, maxIter: c.gd!.maxIter, gradTol: c.gd!.gradTol })
              : lbfgs(L, starts[i], { maxIter: c.lbfgs!.maxIter, gradTol: c.lbfgs!.gradTol, memory: c.lbfgs!.memory, lineSearchEvaluations: c.lbfgs!.lineSearchEvaluations });
          finalValues.push(res.value);
          iterations += res.iterations;
          evaluations += res.evaluations;
        }
        return { finalValues, iterations, evaluations };
      };
      return [{ impl: "ours", run: () => survey(starts.length), check: () => survey(c.checkStarts), fixed: true }];
    }
  }
}
