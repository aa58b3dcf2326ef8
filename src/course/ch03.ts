/**
 * Chapter 03 of the course, "Filling architectures: any smooth convex loss, no bad minima" (T4: TKB;
 * Laurent–von Brecht 2018; Zhang A6): the seeded losses of the chapter, the convex optimum of a loss over all
 * matrices (L-BFGS on `l` itself, then Newton), the multi-start study on filling architectures with the gap to
 * that optimum, the rank of every endpoint and `||grad l||` there, the non-filling converse, and the chart specs.
 * Kept out of notebook cells (tslab runs top-level loops about 370× slower than library code); every function
 * only combines library calls (`landscape`, `minimize`, `survey`, `classifyPurity`, `classifyCriticalPoint`, the
 * chart builders).
 * @module
 */
import { Matrix } from "ml-matrix";
import { AssumptionError, DomainError, ShapeError, describe } from "../core/errors";
import { svd, symEig } from "../core/linalg";
import { frobNorm, mmul, sub, transpose } from "../core/matrix";
import { rng as makeRng } from "../core/random";
import { classifyCriticalPoint } from "../critical/verdict";
import { classifyPurity } from "../critical/purity";
import { display, inKernel } from "../display/display";
import { fmt } from "../display/format";
import { JUPYTER_DISPLAY, MimeBundle } from "../display/mime";
import { Table, report } from "../display/table";
import { clusterValues } from "../experiments/cluster";
import { minimize, randomStart, StartScale } from "../optim/minimize";
import { survey, SurveyProgress, SurveyResult } from "../experiments/survey";
import { Landscape, landscape } from "../landscape/landscape";
import { hasMinimiser, MatrixLoss, MinimiserReport, matArg, requireMinimiser } from "../losses/base";
import { lossHessian } from "../losses/custom";
import { softmaxCrossEntropy } from "../losses/crossEntropy";
import type { Loss } from "../losses/loss";
import { EvenPowerLoss, PseudoHuberLoss, evenPowerLoss, pseudoHuberLoss } from "../losses/robust";
import { SquareLoss, weightedSquareLoss } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { Widths, bottleneck, isFilling, validateWidths } from "../networks/widths";
import { Chart, chart } from "../plots/chart";
import { lineChart } from "../plots/line";
import { barChart } from "../plots/bars";
import { Datum, VEGA_LITE_SCHEMA, VegaLiteSpec, chartConfig } from "../plots/spec";

// ---------------------------------------------------------------------------------------------------------------
// A loss in data form from a loss on outputs
// ---------------------------------------------------------------------------------------------------------------

/**
 * `l(W) = phi(W X)`: a loss `phi` on `m × N` output matrices composed with the data map `W ↦ W X` (`X` is
 * `n × N`, samples as columns), so `l` lives on `m × n` matrices. With `phi = pseudoHuberLoss(Y, delta)` this is
 * robust (pseudo-Huber) regression `sum_ij rho_delta((W X - Y)_ij)`; with `phi = evenPowerLoss(Y, 4)` it is
 * `l_4` regression.
 *
 * `grad l(W) = grad phi(W X) X^T`; `Hess l(W)[D] = Hess phi(W X)[D X] X^T`. Convex (smooth) whenever `phi` is
 * convex (smooth): a convex function composed with a linear map. Serves T4 (a smooth convex non-quadratic loss
 * whose optimum has no closed form).
 */
export class DataComposedLoss extends MatrixLoss {
  readonly name: string;
  readonly convex: boolean;
  readonly smooth: boolean;
  override readonly hessianExact: boolean;
  /** The loss on outputs. */
  readonly phi: Loss;
  /** Data `X` (`n × N`, a copy). */
  readonly X: Matrix;
  private readonly Xt: Matrix;

  /**
   * @param phi - a loss on `m × N` matrices; @param X - `n × N` data.
   * @throws ShapeError when `phi.shape[1]` differs from the number of columns of `X`; DomainError for a
   * non-loss `phi` or non-finite data.
   */
  constructor(phi: Loss, X: Matrix | ReadonlyArray<ReadonlyArray<number>>) {
    const fn = "dataComposedLoss";
    if (!phi || typeof phi !== "object" || typeof phi.value !== "function" || !Array.isArray(phi.shape)) {
      throw new DomainError(fn, `phi must be a Loss on output matrices (e.g. pseudoHuberLoss(Y)); got ${describe(phi)}`);
    }
    const Xm = matArg(fn, "X", X);
    if (phi.shape[1] !== Xm.columns) {
      throw new ShapeError(fn, `phi must act on ${phi.shape[0]}×N outputs with N = columns of X (${Xm.columns}); got phi.shape ${phi.shape[0]}×${phi.shape[1]}`);
    }
    super(fn, [phi.shape[0], Xm.rows]);
    this.phi = phi;
    this.X = Xm;
    this.Xt = transpose(Xm);
    this.convex = phi.convex;
    this.smooth = phi.smooth;
    this.hessianExact = phi.hessianExact;
    this.name = `${phi.name} of W X`;
  }
  formula(): string {
    return "\\ell(W) = \\varphi(W X)";
  }
  protected valueAt(W: Matrix): number {
    return this.phi.value(mmul(W, this.X, "dataComposedLoss.value", ["W", "X"]));
  }
  protected gradientAt(W: Matrix): Matrix {
    return mmul(this.phi.gradient(mmul(W, this.X, "dataComposedLoss.gradient", ["W", "X"])), this.Xt);
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const Z = mmul(W, this.X);
    return mmul(this.phi.hessianAction(Z, mmul(D, this.X)), this.Xt);
  }
  /**
   * A minimiser exists when `phi` is coercive (pseudo-Huber, even power, square: growing at least linearly in
   * every entry): then `phi` restricted to the subspace `{W X}` is coercive and attains its minimum.
   */
  override hasMinimiser(): MinimiserReport {
    if (this.phi instanceof PseudoHuberLoss || this.phi instanceof EvenPowerLoss || this.phi instanceof SquareLoss) {
      return { exists: true, reason: "phi is convex and coercive, so its restriction to the subspace {W X} attains its minimum" };
    }
    const rep = hasMinimiser(this.phi);
    // phi attaining its minimum on all outputs says nothing about the subspace {W X} unless phi is coercive
    return { exists: "unknown", reason: `phi is not known to be coercive (phi: ${rep.reason})` };
  }
}

/**
 * `l(W) = phi(W X)` (see {@link DataComposedLoss}): e.g. robust regression
 * `dataComposedLoss(pseudoHuberLoss(Y, 0.5), X)` (T4).
 * @throws ShapeError / DomainError as the constructor.
 */
export function dataComposedLoss(phi: Loss, X: Matrix | ReadonlyArray<ReadonlyArray<number>>): DataComposedLoss {
  return new DataComposedLoss(phi, X);
}

// ---------------------------------------------------------------------------------------------------------------
// The convex optimum of l over all matrices
// ---------------------------------------------------------------------------------------------------------------

/** The minimum of a convex loss over all matrices (T4's reference value). */
export interface ConvexOptimum {
  /** The minimiser `W*` (`m × n`). */
  W: Matrix;
  /** `l* = l(W*)`. */
  value: number;
  /** `||grad l(W*)||_F`: the certificate of optimality for a convex `l`. */
  gradientNorm: number;
  /** Singular values of `W*`, descending. */
  singularValues: number[];
  /** Numerical rank of `W*` (singular values `> rankTol * sigma_max`). */
  rank: number;
  /** L-BFGS iterations on `l` and Newton steps after them. */
  iterations: number;
  newtonSteps: number;
  /** `"lbfgs"` or `"lbfgs+newton"`. */
  method: string;
}

/** Options of {@link convexOptimum}. */
export interface ConvexOptimumOptions {
  /** L-BFGS gradient tolerance on `l` (default `1e-12`). */
  gradTol?: number;
  /** L-BFGS iteration budget (default `20000`). */
  maxIter?: number;
  /** Newton steps after L-BFGS (dense Hessian of `l`, eigenvalues below `1e-12 · max` dropped; default `20`, `0` = off). */
  newtonSteps?: number;
  /** Relative rank tolerance for `rank W*` (default `1e-6`). */
  rankTol?: number;
  /** Start (default: the zero matrix). */
  start?: Matrix;
}

/**
 * The convex optimum `min_W l(W)` over **all** `m × n` matrices, computed directly on `W` (not through any
 * network): L-BFGS on `l` (a depth-1 "network" `landscape(deepLinear([n, m]), l)`, whose parameter is `W` itself),
 * then Newton steps `W <- W - Hess l(W)^+ grad l(W)` with a backtracking line search while they decrease
 * `||grad l||`. For a convex `l`, `grad l(W*) ≈ 0` certifies a global minimiser. Serves T4: in a filling
 * architecture every local minimum of `L = l ∘ mu` must attain this value.
 * @param loss - a convex, smooth loss that attains its minimum.
 * @throws AssumptionError when the loss is not declared convex and smooth; DegenerateError (`"no-minimiser"`)
 * when it reports no minimiser; DomainError for bad options.
 */
export function convexOptimum(loss: Loss, options: ConvexOptimumOptions = {}): ConvexOptimum {
  const fn = "convexOptimum";
  if (!loss || typeof loss !== "object" || typeof loss.gradient !== "function") throw new DomainError(fn, `loss must be a Loss; got ${describe(loss)}`);
  if (!loss.convex || !loss.smooth) throw new AssumptionError(fn, `loss must be convex and smooth (T4); got ${loss.name} (convex: ${loss.convex}, smooth: ${loss.smooth})`);
  requireMinimiser(loss, fn);
  const gradTol = posOption(fn, "gradTol", options.gradTol, 1e-12);
  const maxIter = intOption(fn, "maxIter", options.maxIter, 20000);
  const newtonMax = intOption(fn, "newtonSteps", options.newtonSteps, 20, 0);
  const rankTol = posOption(fn, "rankTol", options.rankTol, 1e-6);
  const [m, n] = loss.shape;
  const L1 = landscape(new DeepLinearNetwork([n, m]), loss);
  let x0 = new Float64Array(L1.dim);
  if (options.start !== undefined) {
    const S = matArg(fn, "options.start", options.start);
    if (S.rows !== m || S.columns !== n) throw new ShapeError(fn, `options.start must be ${m}×${n}; got ${S.rows}×${S.columns}`);
    x0 = L1.pack([S]);
  }
  const res = minimize(L1, x0, "lbfgs", { gradTol, maxIter });
  let W = L1.unpack(res.x)[0];
  let g = loss.gradient(W);
  let gn = frobNorm(g);
  let steps = 0;
  for (let k = 0; k < newtonMax && gn > 0; k++) {
    const H = lossHessian(loss, W);
    const { values, vectors } = symEig(H, 1e-6);
    const top = Math.max(...values.map(Math.abs), 0);
    const gv = Float64Array.from(g.to1DArray());
    const dir = new Float64Array(gv.length);
    for (let e = 0; e < values.length; e++) {
      if (!(values[e] > 1e-12 * top)) continue;
      let c = 0;
      for (let i = 0; i < gv.length; i++) c += vectors.get(i, e) * gv[i];
      c /= values[e];
      for (let i = 0; i < gv.length; i++) dir[i] -= c * vectors.get(i, e);
    }
    let accepted = false;
    for (let t = 1; t > 1e-4; t /= 2) {
      const Wt = new Matrix(m, n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Wt.set(i, j, W.get(i, j) + t * dir[i * n + j]);
      const gt = loss.gradient(Wt);
      const gtn = frobNorm(gt);
      if (gtn < gn && loss.value(Wt) <= loss.value(W) + 1e-15 * Math.max(1, Math.abs(loss.value(W)))) {
        W = Wt;
        g = gt;
        gn = gtn;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    steps++;
  }
  const s = svd(W).s;
  const top = s[0] ?? 0;
  return {
    W,
    value: loss.value(W),
    gradientNorm: gn,
    singularValues: s,
    rank: top > 0 ? s.filter((v) => v > rankTol * top).length : 0,
    iterations: res.iterations,
    newtonSteps: steps,
    method: steps > 0 ? "lbfgs+newton" : "lbfgs",
  };
}

/**
 * Relative gap of a final value to the optimum: `(value - optimum) / max(1, |optimum|)` (relative above 1,
 * absolute below, as the claims' `"mixed"` mode). Negative only by rounding.
 * @throws DomainError for non-finite arguments.
 */
export function relativeGap(value: number, optimum: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(optimum)) throw new DomainError("relativeGap", `value and optimum must be finite numbers; got ${describe(value)}, ${describe(optimum)}`);
  return (value - optimum) / Math.max(1, Math.abs(optimum));
}

/** Floor of the gaps shown on log axes: gaps at rounding level (`|gap| <= 1e-16`) are drawn at `-16`. */
export const GAP_FLOOR = 1e-16;

/** `log10(max(|gap|, GAP_FLOOR))`: where a gap is drawn on a log axis. */
export function log10Gap(gap: number): number {
  return Math.log10(Math.max(Math.abs(gap), GAP_FLOOR));
}

// ---------------------------------------------------------------------------------------------------------------
// The chapter's losses
// ---------------------------------------------------------------------------------------------------------------

/** One loss of the chapter with its convex optimum. */
export interface T4Loss {
  /** Short key: `"softmax"`, `"huber"`, `"power4"`, `"weighted"`. */
  key: string;
  /** Display name. */
  name: string;
  /** The formula in LaTeX (without `$`). */
  formula: string;
  /** The loss on `m × n` matrices. */
  loss: Loss;
  /** Its convex optimum over all matrices. */
  optimum: ConvexOptimum;
  /** The known minimiser when there is a closed form (`W* = Q`), else `null`. */
  closedForm: Matrix | null;
}

/** Options of {@link t4Losses}. */
export interface T4LossesOptions {
  /** Outputs / classes `m` (default 3). */
  outputs?: number;
  /** Inputs / features `n` (default 4). */
  inputs?: number;
  /** Samples `N` of the data losses (default 40). */
  samples?: number;
  /** Ridge of the softmax cross-entropy (default 0.05, as the TKB experiment). */
  ridge?: number;
  /** Pseudo-Huber scale (default 0.5). */
  delta?: number;
}

/**
 * The four seeded smooth convex losses of chapter 03 on `m × n` matrices (default 3 × 4), each with its convex
 * optimum over all matrices ({@link convexOptimum}):
 * - `softmax`: softmax cross-entropy with ridge on `N` samples `X ~ N(0,1)` whose labels are the argmax of a
 *   noisy random linear teacher; the optimum has rank `<= m - 1` (the cross-entropy does not change under
 *   `W -> W + 1 c^T`, the ridge then forces `1^T W* = 0`), so it is **rank-deficient**;
 * - `huber`: pseudo-Huber regression `sum rho_delta((W X - Y)_ij)` with `Y = A X + noise` and 10% gross outliers
 *   (no closed form; generically full rank);
 * - `power4`: `sum (W - Q)^4` with a random full-rank `Q` (`W* = Q`, `l* = 0`; flat to fourth order at `W*`);
 * - `weighted`: `sum Lambda_ij (W - Q)_ij^2` with log-normal weights and a **rank-deficient** `Q` of rank
 *   `m - 1` (`W* = Q`, `l* = 0`).
 * All randomness from `rng(seed)`. Serves T4.
 * @throws DomainError for bad sizes (`m >= 2`, `n >= 2`, `N >= n`) or options.
 */
export function t4Losses(seed = 3, options: T4LossesOptions = {}): T4Loss[] {
  const fn = "t4Losses";
  if (!Number.isInteger(seed)) throw new DomainError(fn, `seed must be an integer; got ${describe(seed)}`);
  const m = intOption(fn, "outputs", options.outputs, 3, 2);
  const n = intOption(fn, "inputs", options.inputs, 4, 2);
  const N = intOption(fn, "samples", options.samples, 40, n);
  const ridge = posOption(fn, "ridge", options.ridge, 0.05);
  const delta = posOption(fn, "delta", options.delta, 0.5);
  const R = makeRng(seed);
  // softmax cross-entropy + ridge
  const X = R.gaussian(n, N);
  const teacher = R.gaussian(m, n, 1.5);
  const Z = mmul(teacher, X);
  const labels: number[] = [];
  for (let j = 0; j < N; j++) {
    let best = 0;
    let bestV = -Infinity;
    for (let k = 0; k < m; k++) {
      const v = Z.get(k, j) + R.normal();
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    labels.push(best);
  }
  const ce = softmaxCrossEntropy(X, labels, ridge, m);
  // pseudo-Huber regression with outliers
  const A = R.gaussian(m, n);
  const Y = mmul(A, X);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < N; j++) {
      const outlier = R.uniform() < 0.1;
      Y.set(i, j, Y.get(i, j) + (outlier ? 8 * R.normal() : 0.3 * R.normal()));
    }
  }
  const huber = dataComposedLoss(pseudoHuberLoss(Y, delta), X);
  // even power with a full-rank target
  const Q4 = R.gaussian(m, n);
  const pow = evenPowerLoss(Q4, 4);
  // weighted square with log-normal weights and a rank-(m-1) target
  const Qw = mmul(R.gaussian(m, m - 1), R.gaussian(m - 1, n));
  const Lambda = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Lambda.set(i, j, Math.exp(R.normal()));
  const wsq = weightedSquareLoss(Lambda, Qw);
  const entries: Array<[string, string, string, Loss, Matrix | null]> = [
    ["softmax", `softmax CE + ridge ${ridge}`, ce.formula(), ce, null],
    ["huber", `pseudo-Huber regression (δ ${delta})`, `\\ell(W) = \\sum_{ij} \\delta^2\\Big(\\sqrt{1 + ((WX - Y)_{ij}/\\delta)^2} - 1\\Big)`, huber, null],
    ["power4", "power-4", pow.formula(), pow, Q4],
    ["weighted", "weighted square", wsq.formula(), wsq, Qw],
  ];
  return entries.map(([key, name, formula, loss, closedForm]) => ({ key, name, formula, loss, optimum: convexOptimum(loss), closedForm }));
}

/**
 * One row per loss: the convex optimum (value, `||grad l(W*)||`, rank, singular values, solver steps) and, for
 * closed forms, the distance `||W* - Q||_F` (T4's reference values).
 */
export function optimumTable(losses: readonly T4Loss[]): Table {
  return report(
    losses.map((t) => ({
      loss: t.name,
      "l* = min l": t.optimum.value,
      "‖∇l(W*)‖": t.optimum.gradientNorm,
      "rank W*": t.optimum.rank,
      "σ(W*)": t.optimum.singularValues.map((s) => fmt(s, 3)).join(", "),
      solver: `${t.optimum.method} (${t.optimum.iterations} + ${t.optimum.newtonSteps})`,
      "‖W* − Q‖ (closed form)": t.closedForm ? frobNorm(sub(t.optimum.W, t.closedForm)) : "—",
    })),
    { title: "Convex optimum of each loss over all 3×4 matrices (solved directly on W)", digits: 4 },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The multi-start study on filling architectures
// ---------------------------------------------------------------------------------------------------------------

/** One run of the T4 study. */
export interface T4Run {
  /** Loss key and display name. */
  key: string;
  loss: string;
  /** Widths as text, e.g. `"(4,3,3)"`, and the depth `h`. */
  architecture: string;
  depth: number;
  run: number;
  seed: number;
  /** Final `L(theta)`, optimum `l*`, relative gap and its log10 (floored at {@link GAP_FLOOR}). */
  value: number;
  optimum: number;
  gap: number;
  log10Gap: number;
  /** `rank mu(theta)` (relative tolerance `rankTol`), the bottleneck `r`, and `rank < r`. */
  rank: number;
  r: number;
  rankDeficient: boolean;
  /** `||grad L(theta)||` (what the optimiser drove to 0) and `||grad l(mu(theta))||` (what T4 predicts is 0). */
  gradNorm: number;
  lossGradientNorm: number;
  /** `||mu(theta) - W*||_F`. */
  distance: number;
  /** Pure / spurious / not critical (D1, `classifyPurity` with `gradTol` = 10 × the optimiser's). */
  purity: string;
  iterations: number;
  converged: boolean;
  reason: string;
}

/** Summary of one (loss, architecture) cell of the study. */
export interface T4Cell {
  loss: string;
  architecture: string;
  runs: number;
  converged: number;
  optimum: number;
  maxGap: number;
  /** Ranks of the endpoints with counts, e.g. `"2 ×40"`. */
  ranks: string;
  rankDeficient: number;
  /** Largest `||grad l||` over the converged rank-deficient endpoints (`null` when there are none). */
  maxLossGradRankDeficient: number | null;
  /** Largest `||grad l||` over all converged endpoints. */
  maxLossGrad: number;
  pure: number;
  /** Distinct final values (clustered with tolerance `1e-6`). */
  distinctValues: number;
  meanIterations: number;
  ms: number;
}

/** Options of {@link t4Study}. */
export interface T4StudyOptions {
  /** Random starts per (loss, architecture) (default 40). */
  runs?: number;
  /** Base seed: run `i` starts from `randomStart(L, rng(seed + i), startScale)` (default 100). */
  seed?: number;
  /** Scale of the random starts (default 0.5). */
  startScale?: StartScale;
  /** L-BFGS gradient tolerance on `L` (default `1e-8`, the library default: below it the line search meets rounding) and iteration budget (default `5000`). */
  gradTol?: number;
  maxIter?: number;
  /**
   * Relative rank tolerance for `rank mu(theta)` (default `1e-4`): endpoints stopped at `||grad L|| <= 1e-8` can
   * sit about `1e-6` from a rank-deficient optimum along its flattest direction (softmax + ridge: curvature
   * `ridge`), so `1e-6` would miscount; the singular values of the chapter's optima are `>= 0.2 sigma_max` or `0`.
   */
  rankTol?: number;
  /** Live progress: `true` shows one progress line updated in place (default: `true` in the kernel). */
  progress?: boolean;
}

/** The outcome of {@link t4Study}: every run, a summary per cell, and the numbers the claims use. */
export class T4Study {
  constructor(
    /** Every run, by loss, architecture, run. */ readonly runs: readonly T4Run[],
    /** One summary per (loss, architecture). */ readonly cells: readonly T4Cell[],
    /** The surveys behind the runs (library `survey` results). */ readonly surveys: readonly SurveyResult[],
    /** Wall time (ms). */ readonly elapsedMs: number,
    /** Options used. */ readonly settings: Readonly<Required<Omit<T4StudyOptions, "progress">>>,
  ) {}
  /** Largest relative gap over the runs (of one loss key, or all). */
  maxGap(key?: string): number {
    return Math.max(...this.select(key).map((r) => r.gap));
  }
  /** Number of runs (of one loss key, or all) within `tol` (relative gap) of the convex optimum. */
  atOptimum(tol = 1e-6, key?: string): number {
    return this.select(key).filter((r) => r.gap <= tol).length;
  }
  /** Number of runs (of one loss key, or all). */
  count(key?: string): number {
    return this.select(key).length;
  }
  /** Converged runs whose endpoint has `rank mu < r`. */
  rankDeficientRuns(): T4Run[] {
    return this.runs.filter((r) => r.converged && r.rankDeficient);
  }
  /** Largest `||grad l(mu(theta))||` over the converged rank-deficient endpoints (0 when there are none). */
  maxRankDeficientLossGrad(): number {
    return Math.max(0, ...this.rankDeficientRuns().map((r) => r.lossGradientNorm));
  }
  /** The summary table (one row per loss and architecture). */
  table(): Table {
    return report(
      this.cells.map((c) => ({
        loss: c.loss,
        d: c.architecture,
        runs: c.runs,
        converged: c.converged,
        "l*": c.optimum,
        "max gap": c.maxGap,
        "rank μ(θ)": c.ranks,
        "rank < r": c.rankDeficient,
        "max ‖∇l‖ (rank < r)": c.maxLossGradRankDeficient ?? "—",
        "max ‖∇l‖": c.maxLossGrad,
        pure: c.pure,
        values: c.distinctValues,
        "mean iter.": c.meanIterations,
        ms: c.ms,
      })),
      { title: `T4 study: ${this.runs.length} L-BFGS runs, ${fmt(this.elapsedMs / 1000, 3)} s`, digits: 3 },
    );
  }
  /** Rich display: the summary table. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.table()[JUPYTER_DISPLAY]();
  }
  /** Plain text: the summary table. */
  toString(): string {
    return this.table().toString();
  }
  private select(key?: string): readonly T4Run[] {
    return key === undefined ? this.runs : this.runs.filter((r) => r.key === key);
  }
}

/** `"(4,3,3)"`. */
export function widthsLabel(d: Widths): string {
  return `(${d.join(",")})`;
}

/**
 * The T4 experiment: for every loss and every **filling** architecture, `runs` seeded L-BFGS starts (library
 * {@link survey}); per run the relative gap to the loss's convex optimum, `rank mu(theta)`, `||grad l(mu(theta))||`,
 * the distance to `W*` and the pure/spurious status. T4 (TKB; Laurent–von Brecht; Zhang A6) predicts: every
 * run ends at the convex optimum, and every rank-deficient endpoint has `grad l = 0`.
 * @param losses - from {@link t4Losses} (or any `{ key, name, loss, optimum }`).
 * @param architectures - filling widths with `d_0 = n`, `d_h = m`.
 * @throws AssumptionError for a non-filling architecture (T4 is about filling ones: use
 * {@link nonFillingStudy}) or a loss that is not convex and smooth; ShapeError when the widths do not fit the
 * loss shape; DomainError for bad options.
 */
export async function t4Study(losses: readonly T4Loss[], architectures: readonly Widths[], options: T4StudyOptions = {}): Promise<T4Study> {
  const fn = "t4Study";
  if (!Array.isArray(losses) || losses.length === 0) throw new DomainError(fn, `losses must be a non-empty array (t4Losses()); got ${describe(losses)}`);
  if (!Array.isArray(architectures) || architectures.length === 0) throw new DomainError(fn, `architectures must be a non-empty array of widths; got ${describe(architectures)}`);
  const settings = {
    runs: intOption(fn, "runs", options.runs, 40, 1),
    seed: intOption(fn, "seed", options.seed, 100, -Infinity),
    startScale: options.startScale ?? 0.5,
    gradTol: posOption(fn, "gradTol", options.gradTol, 1e-8),
    maxIter: intOption(fn, "maxIter", options.maxIter, 5000, 1),
    rankTol: posOption(fn, "rankTol", options.rankTol, 1e-4),
  };
  const widths = architectures.map((d) => validateWidths(d, fn));
  for (const d of widths) {
    if (!isFilling(d)) throw new AssumptionError(fn, `architectures must be filling (min hidden width >= min(d_0, d_h)); got ${widthsLabel(d)} with bottleneck ${bottleneck(d)} (use nonFillingStudy)`);
  }
  for (const t of losses) {
    if (!t.loss.convex || !t.loss.smooth) throw new AssumptionError(fn, `every loss must be convex and smooth (T4); got ${t.loss.name}`);
    for (const d of widths) {
      if (d[0] !== t.loss.shape[1] || d[d.length - 1] !== t.loss.shape[0]) {
        throw new ShapeError(fn, `widths must start at d_0 = ${t.loss.shape[1]} and end at d_h = ${t.loss.shape[0]} (${t.name}); got ${widthsLabel(d)}`);
      }
    }
  }
  const progress = options.progress ?? inKernel();
  const total = losses.length * widths.length;
  const displayId = `linear-landscapes-t4-${process.pid}-${Date.now()}`;
  let handle = progress ? display(textBlock(`T4 study: starting ${total} surveys × ${settings.runs} runs`), { displayId }) : undefined;
  const t0 = Date.now();
  const runs: T4Run[] = [];
  const cells: T4Cell[] = [];
  const surveys: SurveyResult[] = [];
  let cellNo = 0;
  for (const t of losses) {
    for (const d of widths) {
      cellNo++;
      const L = landscape(new DeepLinearNetwork(d), t.loss);
      const c0 = Date.now();
      const onProgress = (p: SurveyProgress): void => {
        if (handle) handle = handle.update(textBlock(`T4 study, survey ${cellNo}/${total}: ${t.name} on ${widthsLabel(d)} — ${p.done}/${p.total} runs, ${fmt((Date.now() - t0) / 1000, 3)} s`));
      };
      const s = await survey(L, {
        runs: settings.runs,
        seed: settings.seed,
        optimizer: "lbfgs",
        optimizerOptions: { gradTol: settings.gradTol, maxIter: settings.maxIter },
        startScale: settings.startScale,
        rankTol: settings.rankTol,
        progress: progress ? onProgress : false,
        label: `${t.name} ∘ ${widthsLabel(d)}`,
      });
      surveys.push(s);
      const cellRuns = s.runs.map((sr) => endpointRun(L, t, d, sr.run, sr.seed, sr.x as Float64Array, sr, settings));
      runs.push(...cellRuns);
      cells.push(summariseCell(t, d, cellRuns, Date.now() - c0));
    }
  }
  const elapsed = Date.now() - t0;
  if (handle) handle.update(textBlock(`T4 study: ${total} surveys, ${runs.length} runs, done in ${fmt(elapsed / 1000, 3)} s`));
  return new T4Study(runs, cells, surveys, elapsed, settings);
}

function endpointRun(
  L: Landscape,
  t: T4Loss,
  d: Widths,
  run: number,
  seed: number,
  x: Float64Array,
  sr: { value: number; gradNorm: number; iterations: number; converged: boolean; reason: string },
  settings: { gradTol: number; rankTol: number },
): T4Run {
  const theta = L.unpack(x);
  const W = L.net.mu(theta);
  const s = svd(W).s;
  const top = s[0] ?? 0;
  const rank = top > 0 ? s.filter((v) => v > settings.rankTol * top).length : 0;
  const r = bottleneck(d);
  const gap = relativeGap(sr.value, t.optimum.value);
  const purity = classifyPurity(L, theta, { gradTol: 10 * settings.gradTol, spaceTol: 1e-6, rankTol: settings.rankTol * Math.max(1, top) });
  return {
    key: t.key,
    loss: t.name,
    architecture: widthsLabel(d),
    depth: d.length - 1,
    run,
    seed,
    value: sr.value,
    optimum: t.optimum.value,
    gap,
    log10Gap: log10Gap(gap),
    rank,
    r,
    rankDeficient: rank < r,
    gradNorm: sr.gradNorm,
    lossGradientNorm: frobNorm(t.loss.gradient(W)),
    distance: frobNorm(sub(W, t.optimum.W)),
    purity: purity.status,
    iterations: sr.iterations,
    converged: sr.converged,
    reason: sr.reason,
  };
}

function summariseCell(t: T4Loss, d: Widths, rs: readonly T4Run[], ms: number): T4Cell {
  const ranks: Record<string, number> = {};
  for (const r of rs) ranks[String(r.rank)] = (ranks[String(r.rank)] ?? 0) + 1;
  const conv = rs.filter((r) => r.converged);
  const def = conv.filter((r) => r.rankDeficient);
  return {
    loss: t.name,
    architecture: widthsLabel(d),
    runs: rs.length,
    converged: conv.length,
    optimum: t.optimum.value,
    maxGap: Math.max(...rs.map((r) => r.gap)),
    ranks: Object.entries(ranks).map(([k, c]) => `${k} ×${c}`).join(", "),
    rankDeficient: def.length,
    maxLossGradRankDeficient: def.length ? Math.max(...def.map((r) => r.lossGradientNorm)) : null,
    maxLossGrad: Math.max(0, ...conv.map((r) => r.lossGradientNorm)),
    pure: rs.filter((r) => r.purity === "pure").length,
    distinctValues: clusterValues(rs.map((r) => r.value), 1e-6).length,
    meanIterations: rs.reduce((a, r) => a + r.iterations, 0) / Math.max(1, rs.length),
    ms,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Convergence traces
// ---------------------------------------------------------------------------------------------------------------

/** One point of a convergence trace: relative gap after `iteration` L-BFGS updates. */
export interface GapTracePoint {
  loss: string;
  architecture: string;
  run: number;
  iteration: number;
  gap: number;
}

/**
 * Convergence traces: the relative gap `(L(theta_k) - l*) / max(1, |l*|)` per L-BFGS iteration for the first
 * `runs` starts of each loss on one architecture (the same starts as {@link t4Study}: `rng(seed + i)`), floored
 * at {@link GAP_FLOOR} for log axes. Serves the T4 convergence chart.
 * @throws as {@link t4Study} for non-filling widths or a wrong shape; DomainError for bad options.
 */
export function gapTraces(losses: readonly T4Loss[], widths: Widths, options: { runs?: number; seed?: number; startScale?: StartScale; gradTol?: number; maxIter?: number } = {}): GapTracePoint[] {
  const fn = "gapTraces";
  const d = validateWidths(widths, fn);
  if (!isFilling(d)) throw new AssumptionError(fn, `widths must be filling; got ${widthsLabel(d)}`);
  const runs = intOption(fn, "runs", options.runs, 3, 1);
  const seed = intOption(fn, "seed", options.seed, 100, -Infinity);
  const gradTol = posOption(fn, "gradTol", options.gradTol, 1e-8);
  const maxIter = intOption(fn, "maxIter", options.maxIter, 5000, 1);
  const out: GapTracePoint[] = [];
  for (const t of losses) {
    if (d[0] !== t.loss.shape[1] || d[d.length - 1] !== t.loss.shape[0]) throw new ShapeError(fn, `widths must fit ${t.name} (${t.loss.shape[0]}×${t.loss.shape[1]}); got ${widthsLabel(d)}`);
    const L = landscape(new DeepLinearNetwork(d), t.loss);
    for (let i = 0; i < runs; i++) {
      const res = minimize(L, randomStart(L, makeRng(seed + i), options.startScale ?? 0.5), "lbfgs", { gradTol, maxIter, record: true });
      (res.history ?? []).forEach((h, k) => {
        out.push({ loss: t.name, architecture: widthsLabel(d), run: i, iteration: k, gap: Math.max(Math.abs(relativeGap(h.value, t.optimum.value)), GAP_FLOOR) });
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The converse: the same kind of loss on a non-filling architecture
// ---------------------------------------------------------------------------------------------------------------

/** One endpoint of {@link nonFillingStudy}. */
export interface NonFillingRun {
  architecture: string;
  filling: boolean;
  run: number;
  value: number;
  /** `rank mu(theta)` and the bottleneck `r`. */
  rank: number;
  r: number;
  lossGradientNorm: number;
  purity: string;
  converged: boolean;
  /** Index of the value cluster (0 = lowest) within its architecture. */
  cluster: number;
}

/** A value cluster of {@link nonFillingStudy} with the evidence T4 asks for. */
export interface NonFillingCluster {
  architecture: string;
  /** Whether the architecture is filling. */
  filling: boolean;
  value: number;
  count: number;
  /** Ranks of the endpoints, e.g. `"1 ×23"`. */
  ranks: string;
  /** Endpoints classified pure / spurious. */
  pure: number;
  spurious: number;
  /** Smallest `||grad l||` in the cluster (nonzero: `mu(theta)` is not the optimum of `l` over all matrices). */
  minLossGrad: number;
  /** `classifyCriticalPoint` verdict of the first endpoint, with the lowest value found as the global reference. */
  verdict: string;
}

/** Result of {@link nonFillingStudy}. */
export interface NonFillingStudy {
  runs: NonFillingRun[];
  clusters: NonFillingCluster[];
  /** Distinct final values per architecture label. */
  distinct: Record<string, number>;
  table: Table;
  elapsedMs: number;
}

/**
 * The converse of T4: the same loss on a **non-filling** architecture (functional space `M_r`, `r < min(m, n)`)
 * and on a filling control. On the non-filling one the runs can end at several values (bad minima, chapter 05:
 * T6); T4's general statement says each non-global local minimum has `rank mu = r` (full rank for the
 * bottleneck) and is **pure** (`mu(theta)` critical for `l` on `M_r`, while `grad l != 0`). Per cluster: ranks,
 * pure/spurious counts, smallest `||grad l||`, and the verdict module's verdict for one endpoint.
 * @throws ShapeError when widths do not fit the loss; DomainError for bad options.
 */
export async function nonFillingStudy(t: T4Loss, architectures: readonly Widths[], options: { runs?: number; seed?: number; startScale?: StartScale; gradTol?: number } = {}): Promise<NonFillingStudy> {
  const fn = "nonFillingStudy";
  const runs = intOption(fn, "runs", options.runs, 40, 1);
  const seed = intOption(fn, "seed", options.seed, 100, -Infinity);
  const gradTol = posOption(fn, "gradTol", options.gradTol, 1e-8);
  const t0 = Date.now();
  const out: NonFillingRun[] = [];
  const clusters: NonFillingCluster[] = [];
  const distinct: Record<string, number> = {};
  for (const d0 of architectures) {
    const d = validateWidths(d0, fn);
    if (d[0] !== t.loss.shape[1] || d[d.length - 1] !== t.loss.shape[0]) throw new ShapeError(fn, `widths must fit ${t.name} (${t.loss.shape[0]}×${t.loss.shape[1]}); got ${widthsLabel(d)}`);
    const L = landscape(new DeepLinearNetwork(d), t.loss);
    const s = await survey(L, { runs, seed, optimizer: "lbfgs", optimizerOptions: { gradTol, maxIter: 5000 }, startScale: options.startScale ?? 0.5, progress: false });
    const label = widthsLabel(d);
    const r = bottleneck(d);
    const cl = clusterValues(s.values(), 1e-6);
    distinct[label] = cl.length;
    const clusterOf = new Map<number, number>();
    cl.forEach((c, k) => c.members.forEach((i) => clusterOf.set(i, k)));
    const rows: NonFillingRun[] = s.runs.map((sr, i) => {
      const theta = L.unpack(sr.x as Float64Array);
      const pr = classifyPurity(L, theta, { gradTol: 10 * gradTol, spaceTol: 1e-6 });
      return {
        architecture: label,
        filling: isFilling(d),
        run: sr.run,
        value: sr.value,
        rank: pr.rank,
        r,
        lossGradientNorm: pr.lossGradientNorm,
        purity: pr.status,
        converged: sr.converged,
        cluster: clusterOf.get(i) ?? -1,
      };
    });
    out.push(...rows);
    const globalValue = cl.length ? cl[0].value : undefined;
    cl.forEach((c, k) => {
      const members = rows.filter((x) => x.cluster === k);
      const ranks: Record<string, number> = {};
      for (const x of members) ranks[String(x.rank)] = (ranks[String(x.rank)] ?? 0) + 1;
      let verdict = "—";
      try {
        const first = s.runs[c.members[0]];
        verdict = classifyCriticalPoint(L, L.unpack(first.x as Float64Array), { globalValue, gradTol: 10 * gradTol, spaceTol: 1e-6, perturbations: 50 }).verdict;
      } catch (e) {
        verdict = `error: ${e instanceof Error ? e.message : String(e)}`;
      }
      clusters.push({
        architecture: label,
        filling: isFilling(d),
        value: c.value,
        count: c.count,
        ranks: Object.entries(ranks).map(([kk, n]) => `${kk} ×${n}`).join(", "),
        pure: members.filter((x) => x.purity === "pure").length,
        spurious: members.filter((x) => x.purity === "spurious").length,
        minLossGrad: Math.min(...members.map((x) => x.lossGradientNorm)),
        verdict,
      });
    });
  }
  const table = report(
    clusters.map((c) => ({ d: c.architecture, filling: c.filling, "final L": c.value, runs: c.count, "rank μ(θ)": c.ranks, pure: c.pure, spurious: c.spurious, "min ‖∇l‖": c.minLossGrad, verdict: c.verdict })),
    { title: `${t.name}: final values on non-filling and filling architectures (${runs} runs each)`, digits: 5 },
  );
  return { runs: out, clusters, distinct, table, elapsedMs: Date.now() - t0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------------------------

/**
 * Final-gap histograms per loss (T4): one panel per loss, bars = runs per bin of `log10` relative gap (bins of
 * width 1 from -17 to -4, gaps at rounding level drawn at -16), coloured by architecture, with the tolerance
 * `log10 tol` as a dashed rule. A pure Vega-Lite 5 spec (facet of a layer).
 * @throws DomainError for empty runs or a non-positive `tol`.
 */
export function gapHistogramSpec(runs: readonly T4Run[], tol = 1e-6): VegaLiteSpec {
  const fn = "gapHistogramSpec";
  if (!Array.isArray(runs) || runs.length === 0) throw new DomainError(fn, `runs must be a non-empty array (study.runs); got ${describe(runs)}`);
  if (!(tol > 0) || !Number.isFinite(tol)) throw new DomainError(fn, `tol must be a positive number; got ${describe(tol)}`);
  const order = Array.from(new Set(runs.map((r) => r.loss)));
  const archOrder = Array.from(new Set(runs.map((r) => r.architecture)));
  const lt = Math.log10(tol);
  const lo = Math.min(Math.log10(GAP_FLOOR), Math.floor(Math.min(...runs.map((r) => r.log10Gap))));
  const hi = Math.max(Math.ceil(lt) + 2, Math.ceil(Math.max(...runs.map((r) => r.log10Gap))) + 1);
  const ticks: number[] = [];
  for (let v = lo; v <= hi; v += 2) ticks.push(v);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `Final relative gap to the convex optimum, ${runs.length} runs (dashed: tolerance ${fmt(tol)})`,
    background: "white",
    config: chartConfig(),
    data: { values: runs.map((r) => ({ loss: r.loss, architecture: r.architecture, log10Gap: r.log10Gap })) },
    facet: { column: { field: "loss", type: "nominal", title: null, sort: order } },
    spec: {
      width: 170,
      height: 200,
      layer: [
        {
          mark: { type: "bar", tooltip: true },
          encoding: {
            x: { field: "log10Gap", type: "quantitative", bin: { step: 1, extent: [lo, hi] }, title: "log10 relative gap", scale: { domain: [lo, hi] }, axis: { values: ticks } },
            y: { aggregate: "count", type: "quantitative", title: "runs" },
            color: { field: "architecture", type: "nominal", title: "widths d", sort: archOrder, legend: { labelLimit: 300 } },
          },
        },
        {
          transform: [{ aggregate: [{ op: "count", as: "n" }] }],
          mark: { type: "rule", color: "#b00", strokeDash: [5, 3], strokeWidth: 2 },
          encoding: { x: { datum: lt, type: "quantitative" } },
        },
      ],
    },
  };
}

/** The histogram of {@link gapHistogramSpec} as a displayable chart with a text description. */
export function gapHistogramChart(study: T4Study, tol = 1e-6): Chart {
  const byLoss = Array.from(new Set(study.runs.map((r) => r.loss))).map((l) => `${l}: max gap ${fmt(Math.max(...study.runs.filter((r) => r.loss === l).map((r) => r.gap)), 3)}`);
  return chart(gapHistogramSpec(study.runs, tol), `Histograms of log10 relative gap to the convex optimum, one panel per loss, ${study.runs.length} runs; tolerance ${fmt(tol)}. ${byLoss.join("; ")}.`);
}

/**
 * Convergence chart: relative gap per L-BFGS iteration (log y axis), one colour per loss, one line per run
 * (`detail`), from {@link gapTraces}.
 * @throws DomainError for empty traces.
 */
export function convergenceSpec(traces: readonly GapTracePoint[]): VegaLiteSpec {
  if (!Array.isArray(traces) || traces.length === 0) throw new DomainError("convergenceSpec", `traces must be a non-empty array (gapTraces(...)); got ${describe(traces)}`);
  const rows: Datum[] = traces.map((p) => ({ loss: p.loss, run: `${p.loss} #${p.run}`, iteration: p.iteration, gap: p.gap }));
  const spec = lineChart(rows, {
    x: "iteration",
    y: "gap",
    color: "loss",
    yScale: "log",
    keep: ["run"],
    xTitle: "L-BFGS iteration",
    yTitle: "relative gap to l*",
    title: `Convergence to the convex optimum on ${traces[0].architecture}`,
    width: 460,
    height: 280,
  });
  const enc = spec.encoding as VegaLiteSpec;
  enc.detail = { field: "run", type: "nominal" };
  enc.color = { ...(enc.color as VegaLiteSpec), legend: { labelLimit: 300 } };
  return spec;
}

/**
 * Where the runs of {@link nonFillingStudy} end: one bar per final value (clusters, labelled by the value to 4
 * significant digits, `0` below `1e-9`), height = number of runs, colour = architecture. Several bars for the
 * non-filling architecture (bad minima), one bar at `l*` for the filling control.
 * @throws DomainError for a study without runs.
 */
export function nonFillingSpec(study: NonFillingStudy, title = "Where the runs end: non-filling vs filling"): VegaLiteSpec {
  if (!study || !Array.isArray(study.clusters) || study.clusters.length === 0) throw new DomainError("nonFillingSpec", `study must be a nonFillingStudy result with clusters; got ${describe(study)}`);
  const label = (v: number): string => (Math.abs(v) < 1e-9 ? "0" : fmt(v, 4));
  const rows: Datum[] = study.clusters.map((c) => ({ "final L": label(c.value), architecture: `${c.architecture} ${c.filling ? "filling" : "non-filling"}`, runs: c.count }));
  const order = Array.from(new Set(study.clusters.slice().sort((a, b) => a.value - b.value).map((c) => label(c.value))));
  const spec = barChart(rows, { x: "final L", y: "runs", color: "architecture", xTitle: "final L (value cluster)", yTitle: "runs", colorTitle: "widths d", title, sort: order, width: 320 });
  const enc = spec.encoding as VegaLiteSpec;
  enc.color = { ...(enc.color as VegaLiteSpec), legend: { labelLimit: 300 } };
  return spec;
}

// ---------------------------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------------------------

function textBlock(s: string): { [JUPYTER_DISPLAY](): MimeBundle } {
  return { [JUPYTER_DISPLAY]: () => ({ "text/markdown": "`" + s.replace(/`/g, "'") + "`", "text/plain": s }) };
}

function posOption(fn: string, name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new DomainError(fn, `${name} must be a finite number > 0; got ${describe(v)}`);
  return v;
}

function intOption(fn: string, name: string, v: unknown, def: number, min = 0): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new DomainError(fn, `${name} must be an integer >= ${min}; got ${describe(v)}`);
  return v;
}
