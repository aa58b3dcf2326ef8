/**
 * Verdicts with evidence for a critical point of `L = l ∘ mu` (THEOREMS.md "Classifying a critical point";
 * D1, P2, T4, T5, T6, A2): gradient norm, ranks of `mu(theta)` and `dmu`, pure or spurious, Hessian inertia
 * with the zero count compared with `dim ker dmu` (the fibre dimension at a rank-r point), the second-order
 * test on `M_r`, and a verdict with evidence — a descent direction or a higher-order descent curve for a
 * saddle, the Riemannian test plus a seeded perturbation check for a minimum, or "undecided" with the reason.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { assertBlocks, BlocksLike, toBlocks, blockSize, cloneBlocks } from "../core/blocks";
import { pinv, svd, symEig } from "../core/linalg";
import { mmul, transpose } from "../core/matrix";
import { JUPYTER_DISPLAY, MimeBundle } from "../display/mime";
import { fmt } from "../display/format";
import { markdownTable, plainTable } from "../display/markdown";
import { Landscape } from "../landscape/landscape";
import type { Loss } from "../losses/loss";
import { SquareLoss, SquareLossData } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { fibreDimension } from "../networks/widths";
import { functionalSpaceOf } from "../spaces/ofNetwork";
import { DeterminantalVariety } from "../spaces/determinantal";
import {
  DEFAULT_ESCAPE_EPS,
  EscapeCurve,
  FibreMove,
  PerturbationCheck,
  chainEscape,
  fibreMoveEscape,
  negativeCurvatureEscape,
  perturbationCheck,
  reducedKernelEscape,
} from "./escape";
import { NetLoss, PURITY_OPTION_KEYS, PurityOptions, PurityReport, classifyPurity } from "./purity";
import { checkOptions } from "../core/options";
import { hasMinimiser } from "../losses/base";
import { netLossArg, tolOption } from "./verdictInternals";

/** The verdict on a point. "local minimum" means a non-global local minimum. */
export type CriticalPointVerdict =
  | "global minimum"
  | "local minimum"
  | "minimum (global not known)"
  | "strict saddle"
  | "degenerate saddle"
  | "undecided"
  | "not critical";

/** Options of {@link classifyCriticalPoint}. */
export interface CriticalPointOptions extends PurityOptions {
  /** Hessian eigenvalues with `|lambda| <= eigTol` count as zero (default `1e-6 * max(1, max |lambda|)`). */
  eigTol?: number;
  /** The known global minimum value of `L` (to tell global from local minima). */
  globalValue?: number;
  /** `L(theta) <= globalValue + globalTol` counts as global (default `1e-8 * max(1, |globalValue|)`). */
  globalTol?: number;
  /** Seed of the perturbation check and the random kernel directions (default 1). */
  seed?: number;
  /** Number of random perturbations (default 200). */
  perturbations?: number;
  /** Size of each perturbation (default `1e-3`). */
  perturbationSize?: number;
  /** Curve parameters of the escape measurements (default `0.1 * 2^-k`, `k = 0..5`). */
  eps?: readonly number[];
  /** Decreases count only below `-lossTol` (default `1e-12 * max(1, |L|)`). */
  lossTol?: number;
  /** Largest parameter count for the dense Hessian (default 600); larger points are "undecided". */
  maxParams?: number;
  /** Random kernel directions of the reduced search (default 40). */
  searchDirections?: number;
}

/** The option keys of {@link classifyCriticalPoint} (infrastructure for option checking, D1, T4, P5). */
export const CRITICAL_POINT_OPTION_KEYS: readonly string[] = [
  ...PURITY_OPTION_KEYS, "eigTol", "globalValue", "globalTol", "seed", "perturbations", "perturbationSize", "eps", "lossTol", "maxParams", "searchDirections",
];

/** Hessian inertia with the tolerance used. */
export interface Inertia {
  /** Eigenvalues `< -tol`. */
  negative: number;
  /** Eigenvalues with `|lambda| <= tol`. */
  zero: number;
  /** Eigenvalues `> tol`. */
  positive: number;
  /** The tolerance. */
  tol: number;
}

/** Where a global value came from. */
export interface GlobalReference {
  /** The global minimum value of `L` used, or null when unknown. */
  value: number | null;
  /** `"options.globalValue"`, `"Eckart–Young (square loss)"`, `"convexity (grad l = 0)"`, or `"unknown"`. */
  source: string;
}

/**
 * The report of {@link classifyCriticalPoint} (D1: pure or spurious; THEOREMS.md "Classifying a critical
 * point"): numbers, verdict, evidence. Displays itself in the kernel as a
 * Markdown table (`text/markdown` + `text/plain`).
 */
export class CriticalPointReport {
  /** The verdict. */
  readonly verdict: CriticalPointVerdict;
  /** Why, in words and numbers. */
  readonly reason: string;
  /** `L(theta)`. */
  readonly value: number;
  /** The pure / spurious classification with its numbers (gradient norm, ranks, criticality test). */
  readonly purity: PurityReport;
  /** Sorted Hessian eigenvalues (descending) and inertia; null when not computed. */
  readonly hessianEigenvalues: number[] | null;
  readonly inertia: Inertia | null;
  /** `dim ker dmu(theta)`: the expected number of zero eigenvalues at a non-degenerate pure rank-r point. */
  readonly expectedZeros: number;
  /** Fibre dimension `dim theta - dim M_r` (deep linear networks), for comparison. */
  readonly fibreDimension: number | null;
  /** Riemannian Hessian eigenvalues of `l` on the functional space at `mu(theta)` (rank-r points), with inertia. */
  readonly riemannian: { eigenvalues: number[]; inertia: Inertia } | null;
  /** The descent evidence for a saddle (negative eigenvector, kernel chain, fibre move, reduced search). */
  readonly escape: EscapeCurve | null;
  /** Further escape constructions measured (e.g. the kernel chain at a spurious strict saddle). */
  readonly otherEscapes: EscapeCurve[];
  /** Zhang's fibre move that breaks criticality, when one was found. */
  readonly fibreMove: FibreMove | null;
  /** The seeded random-perturbation check (minima and undecided points). */
  readonly perturbation: PerturbationCheck | null;
  /** The global reference used. */
  readonly global: GlobalReference;
  /** Tolerances used. */
  readonly tolerances: { gradTol: number; spaceTol: number; rankTol: number; eigTol: number | null; lossTol: number };

  /** @internal */
  constructor(fields: Omit<CriticalPointReport, typeof JUPYTER_DISPLAY | "toString" | "summaryRows">) {
    this.verdict = fields.verdict;
    this.reason = fields.reason;
    this.value = fields.value;
    this.purity = fields.purity;
    this.hessianEigenvalues = fields.hessianEigenvalues;
    this.inertia = fields.inertia;
    this.expectedZeros = fields.expectedZeros;
    this.fibreDimension = fields.fibreDimension;
    this.riemannian = fields.riemannian;
    this.escape = fields.escape;
    this.otherEscapes = fields.otherEscapes;
    this.fibreMove = fields.fibreMove;
    this.perturbation = fields.perturbation;
    this.global = fields.global;
    this.tolerances = fields.tolerances;
  }

  /** Rows `[quantity, value]` of the summary table. */
  summaryRows(): Array<[string, string]> {
    const p = this.purity;
    const rows: Array<[string, string]> = [
      ["verdict", this.verdict],
      ["L(θ)", fmt(this.value)],
      ["‖∇L(θ)‖ (tol)", `${fmt(p.gradientNorm)} (${fmt(p.gradTol)})`],
      ["rank μ(θ) / r (tol)", `${p.rank} / ${p.r} (${fmt(p.rankTol)})`],
      ["rank dμ / dim M", `${p.rankDMu} / ${p.spaceDimension}${p.maximalRankDMu ? " (maximal: P2)" : ""}`],
      ["functional space", p.space],
      ["‖∇l(μ(θ))‖", fmt(p.lossGradientNorm)],
      ["pure / spurious (D1)", `${p.status} — ${p.criticality.test}`],
      ["singular-point convention", p.convention],
    ];
    if (this.inertia) {
      const i = this.inertia;
      rows.push(["Hessian inertia −/0/+ (tol)", `${i.negative} / ${i.zero} / ${i.positive} (${fmt(i.tol)})`]);
      rows.push([
        "zero count vs dim ker dμ",
        `${i.zero} vs ${this.expectedZeros}${this.fibreDimension !== null ? ` (fibre dimension over a rank-r point: ${this.fibreDimension})` : ""}`,
      ]);
    }
    if (this.hessianEigenvalues) {
      const ev = this.hessianEigenvalues;
      const shown = ev.length <= 12 ? ev : [...ev.slice(0, 6), ...ev.slice(-6)];
      rows.push(["Hessian eigenvalues", `[${shown.map((x) => fmt(x, 4)).join(", ")}${ev.length > 12 ? " (largest 6, smallest 6)" : ""}]`]);
    }
    if (this.riemannian) {
      const r = this.riemannian;
      rows.push([
        "Riemannian Hessian on M (−/0/+)",
        `${r.inertia.negative} / ${r.inertia.zero} / ${r.inertia.positive}; min eigenvalue ${fmt(r.eigenvalues[r.eigenvalues.length - 1] ?? NaN)}`,
      ]);
    }
    if (this.global.value !== null) rows.push(["global value (source)", `${fmt(this.global.value)} (${this.global.source})`]);
    if (this.escape) {
      const e = this.escape;
      rows.push(["descent evidence", `${e.kind}${e.order !== null ? `, order ${e.order}` : ""}; fitted slope ${fmt(e.slope, 3)}: ${e.description}`]);
    }
    for (const e of this.otherEscapes) rows.push(["also", `${e.kind}${e.order !== null ? `, order ${e.order}` : ""}; slope ${fmt(e.slope, 3)}; descends: ${e.descends ? "yes" : "no"}`]);
    if (this.fibreMove) {
      const f = this.fibreMove;
      rows.push(["fibre move (A2)", `layer ${f.layer} (${f.side}), t = ${fmt(f.t)}: product change ${fmt(f.productChange)}, ‖∇L‖ after ${fmt(f.gradientNormAfter)}`]);
    }
    if (this.perturbation) {
      const q = this.perturbation;
      rows.push(["perturbation check", `${q.decreases} of ${q.count} random perturbations of size ${fmt(q.size)} decrease L (min ΔL ${fmt(q.minDelta)}, seed ${q.seed})`]);
    }
    rows.push(["reason", this.reason]);
    return rows;
  }

  /** Plain-text rendering (summary and evidence tables). */
  toString(): string {
    let out = `Critical point: ${this.verdict}\n` + plainTable(["quantity", "value"], this.summaryRows());
    if (this.escape) {
      out += `\n\nEvidence (${this.escape.kind}):\n` + plainTable(["eps", "distance", "ΔL measured", "predicted"], this.escape.points.map((p) => [p.eps, p.distance, p.deltaL, p.predicted]));
    }
    return out;
  }

  /** Rich display: `text/markdown` (tables) and `text/plain`. */
  [JUPYTER_DISPLAY](): MimeBundle {
    let md = `**Critical point: ${this.verdict}**\n\n` + markdownTable(["quantity", "value"], this.summaryRows());
    if (this.escape) {
      md +=
        `\n\n*Evidence (${this.escape.kind}; fitted log-log slope ${fmt(this.escape.slope, 3)})*\n\n` +
        markdownTable(["ε", "‖θ(ε) − θ‖", "ΔL measured", "predicted"], this.escape.points.map((p) => [p.eps, p.distance, p.deltaL, p.predicted]));
    }
    return { "text/markdown": md, "text/plain": this.toString() };
  }
}

/**
 * The global minimum value of `l` over a functional space when a closed form is known:
 * - {@link SquareLoss} `||W - Q||^2` on `M_r`: Eckart–Young, `sum_{k > r} sigma_k(Q)^2` (T5);
 * - {@link SquareLossData} `1/2 ||W X - Y||^2` on `M_r`: `1/2 (tr Y Y^T - sum_{i <= r} lambda_i(Sigma))`,
 *   `Sigma = Y X^+ X Y^T` (T5 data form, B2).
 * Otherwise null.
 * @throws DomainError when `space` is not a DeterminantalVariety.
 */
export function knownGlobalValue(loss: Loss, space: DeterminantalVariety): number | null {
  if (!(space instanceof DeterminantalVariety)) throw new DomainError("knownGlobalValue", `space must be a DeterminantalVariety; got ${describe(space)}`);
  const r = space.r;
  if (loss instanceof SquareLoss) {
    const s = svd(loss.Q).s;
    let v = 0;
    for (let k = r; k < s.length; k++) v += s[k] * s[k];
    return v;
  }
  if (loss instanceof SquareLossData) {
    const X = loss.X;
    const Y = loss.Y;
    const P = mmul(pinv(X), X);
    const Sigma = mmul(mmul(Y, P), transpose(Y));
    const lam = symEig(Sigma, Infinity).values;
    let tr = 0;
    for (let i = 0; i < Y.rows; i++) for (let j = 0; j < Y.columns; j++) tr += Y.get(i, j) ** 2;
    let top = 0;
    for (let i = 0; i < Math.min(r, lam.length); i++) top += Math.max(0, lam[i]);
    return 0.5 * (tr - top);
  }
  return null;
}

function inertiaOf(values: readonly number[], tol: number): Inertia {
  return {
    negative: values.filter((x) => x < -tol).length,
    zero: values.filter((x) => Math.abs(x) <= tol).length,
    positive: values.filter((x) => x > tol).length,
    tol,
  };
}

/**
 * Classifies a point of `L = l ∘ mu` with evidence (THEOREMS.md "Classifying a critical point").
 *
 * Steps: (1) {@link classifyPurity} (gradient norm, ranks, pure / spurious with the singular-point convention);
 * not critical → `"not critical"`. (2) Dense Hessian `H` of `L` (exact), eigenvalues, inertia with `eigTol`;
 * expected zeros `= dim ker dmu(theta)` (the fibre dimension at a rank-r point, T5). (3) Verdict:
 * - a negative eigenvalue → `"strict saddle"`, evidence: `L(theta + eps v) - L(theta) ≈ lambda eps^2 / 2`
 *   along its eigenvector (plus the kernel chain / fibre move at spurious points);
 * - `l` convex and `grad l(mu(theta)) = 0` → `"global minimum"` (certificate: `mu(theta)` minimises `l` over all
 *   matrices; T4), with the perturbation check;
 * - pure, rank `r`, zero count `= dim ker dmu` and the Riemannian Hessian on `M` positive definite → a minimum
 *   (the fibre is a non-degenerate critical manifold; P5), `"global minimum"` / `"local minimum"` against
 *   `options.globalValue` or a closed form ({@link knownGlobalValue}), else `"minimum (global not known)"`;
 * - otherwise (extra zero eigenvalues, spurious, singular Riemannian Hessian) a descent curve is searched:
 *   {@link chainEscape} (TKB's kernel chain), {@link reducedKernelEscape}, {@link fibreMoveEscape} (Zhang);
 *   found with fitted order `>= 2.5` → `"degenerate saddle"` (order ≈ 2 → `"strict saddle"`, negative curvature
 *   below `eigTol`); not found → `"undecided"` with the reason. Never guessed.
 * @param L - a `Landscape` or `{ net, loss }`. @param theta - blocks of `net.paramShapes` (not modified).
 * A loss without minimiser (`hasMinimiser(loss).exists === false`) never gets `"global minimum"`: such a verdict
 * becomes `"undecided"` with the reason.
 * @throws DomainError / ShapeError for bad arguments or options; UnknownOptionError for an unknown option key;
 *   AssumptionError when the functional space is unknown and `options.space` is not given.
 */
export function classifyCriticalPoint(L: NetLoss, theta: readonly Matrix[], options: CriticalPointOptions = {}): CriticalPointReport {
  const fn = "classifyCriticalPoint";
  checkOptions(fn, options, CRITICAL_POINT_OPTION_KEYS);
  const report = classifyChecked(fn, L, theta, options);
  if (report.verdict === "global minimum") {
    // a loss without minimiser has no global minimum: a small gradient there is a diverging point (T4 needs a minimiser)
    const rep = hasMinimiser(netLossArg(fn, L).loss);
    if (rep.exists === false) {
      return new CriticalPointReport({ ...report, verdict: "undecided", reason: `the loss has no minimiser (${rep.reason}), so no point is a global minimum; the gradient is below tolerance only because θ runs off to infinity along a direction of decrease (${report.reason})` });
    }
  }
  return report;
}

function classifyChecked(fn: string, L: NetLoss, theta: BlocksLike, options: CriticalPointOptions): CriticalPointReport {
  const nl = netLossArg(fn, L);
  theta = toBlocks(fn, nl.net.paramShapes, theta);
  const th = cloneBlocks(theta);
  const eigTolOpt = options.eigTol === undefined ? undefined : tolOption(fn, "options.eigTol", options.eigTol, 0);
  if (options.globalValue !== undefined && (typeof options.globalValue !== "number" || !Number.isFinite(options.globalValue))) {
    throw new DomainError(fn, `options.globalValue must be a finite number; got ${describe(options.globalValue)}`);
  }
  const maxParams = options.maxParams ?? 600;
  if (!Number.isInteger(maxParams) || maxParams < 1) throw new DomainError(fn, `options.maxParams must be a positive integer; got ${describe(maxParams)}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new DomainError(fn, `options.seed must be an integer; got ${describe(seed)}`);
  const eps = options.eps ?? DEFAULT_ESCAPE_EPS;
  if (!Array.isArray(eps) || eps.length < 2 || !eps.every((x) => typeof x === "number" && Number.isFinite(x) && x > 0)) {
    throw new DomainError(fn, `options.eps must be an array of at least two positive finite numbers; got ${describe(eps)}`);
  }
  for (const [name, v] of [["perturbations", options.perturbations], ["searchDirections", options.searchDirections]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new DomainError(fn, `options.${name} must be a non-negative integer; got ${describe(v)}`);
  }
  if (options.perturbationSize !== undefined) tolOption(fn, "options.perturbationSize", options.perturbationSize, 0);
  const space = options.space ?? functionalSpaceOf(nl.net);
  const purityOptions = Object.fromEntries(Object.entries(options).filter(([k]) => PURITY_OPTION_KEYS.includes(k))) as PurityOptions;
  const purity = classifyPurity(nl, th, { ...purityOptions, space });
  const value = purity.value;
  const lossTol = tolOption(fn, "options.lossTol", options.lossTol, 1e-12 * Math.max(1, Math.abs(value)));
  const spaceTol = purity.criticality.tol;
  const deep = nl.net instanceof DeepLinearNetwork ? nl.net : null;
  const fibreDim = deep ? fibreDimension(deep.widths) : null;
  const tolerances = { gradTol: purity.gradTol, spaceTol, rankTol: purity.rankTol, eigTol: null as number | null, lossTol };
  const base = {
    value,
    purity,
    expectedZeros: purity.kernelDimDMu,
    fibreDimension: fibreDim,
    otherEscapes: [] as EscapeCurve[],
    fibreMove: null as FibreMove | null,
    riemannian: null as { eigenvalues: number[]; inertia: Inertia } | null,
    perturbation: null as PerturbationCheck | null,
    escape: null as EscapeCurve | null,
    global: { value: null, source: "unknown" } as GlobalReference,
    hessianEigenvalues: null as number[] | null,
    inertia: null as Inertia | null,
    tolerances,
  };
  if (purity.status === "not critical") {
    return new CriticalPointReport({ ...base, verdict: "not critical", reason: `not a critical point: ${purity.explanation}` });
  }
  const n = blockSize(nl.net.paramShapes);
  if (n > maxParams) {
    return new CriticalPointReport({
      ...base,
      verdict: "undecided",
      reason: `${n} parameters exceed options.maxParams = ${maxParams} for the dense Hessian; use Lanczos tools for the extreme eigenvalues`,
    });
  }
  const land = nl instanceof Landscape ? nl : new Landscape(nl.net, nl.loss);
  const H = land.hessian(th);
  const eig = symEig(H, Infinity);
  const scale = Math.max(1, ...eig.values.map(Math.abs));
  const eigTol = eigTolOpt ?? 1e-6 * scale;
  tolerances.eigTol = eigTol;
  const inertia = inertiaOf(eig.values, eigTol);
  base.hessianEigenvalues = eig.values;
  base.inertia = inertia;
  const W = purity.image;

  // global reference
  let global: GlobalReference = { value: null, source: "unknown" };
  if (options.globalValue !== undefined) global = { value: options.globalValue, source: "options.globalValue" };
  else {
    const kg = knownGlobalValue(nl.loss, space);
    if (kg !== null) global = { value: kg, source: "closed form (Eckart–Young / Sigma eigenvalues, T5)" };
  }
  base.global = global;
  const globalTol = global.value !== null ? tolOption(fn, "options.globalTol", options.globalTol, 1e-8 * Math.max(1, Math.abs(global.value))) : 0;

  const pert = (): PerturbationCheck =>
    perturbationCheck(nl, th, { count: options.perturbations ?? 200, size: options.perturbationSize ?? 1e-3, seed, lossTol });

  const spuriousExtras = (): void => {
    if (!deep || purity.status !== "spurious") return;
    const ch = chainEscape(nl, th, { eps, lossTol });
    if (ch) base.otherEscapes.push(ch);
    const fm = fibreMoveEscape(nl, th, { eps, lossTol, gradTol: purity.gradTol });
    if (fm) {
      base.otherEscapes.push(fm);
      base.fibreMove = fm.move;
    }
  };

  // second-order test on the functional space at pure smooth points (Morse index on M_r; T5)
  const smoothPure = purity.status === "pure" && (purity.rank === purity.r || space.filling);
  if (smoothPure) {
    const rh = space.riemannianHessian(nl.loss, W, { tol: purity.rankTol });
    const rScale = Math.max(1, ...rh.eigenvalues.map(Math.abs));
    base.riemannian = { eigenvalues: rh.eigenvalues, inertia: inertiaOf(rh.eigenvalues, 1e-6 * rScale) };
  }

  // (a) strict saddle
  if (inertia.negative > 0) {
    const last = eig.values.length - 1;
    const lambda = eig.values[last];
    const v = eig.vectors.getColumn(last);
    base.escape = negativeCurvatureEscape(nl, th, v, lambda, { eps, lossTol });
    spuriousExtras();
    return new CriticalPointReport({
      ...base,
      verdict: "strict saddle",
      reason: `${inertia.negative} Hessian eigenvalue(s) below -eigTol = ${fmt(-eigTol)} (smallest ${fmt(lambda)}); along its eigenvector ΔL ≈ λε²/2 (measured ${fmt(base.escape.points[0].deltaL)} vs ${fmt(base.escape.points[0].predicted ?? NaN)} at ε = ${fmt(base.escape.points[0].eps)})`,
    });
  }

  // (b) convex loss with grad l = 0: global certificate
  if (nl.loss.convex && purity.lossGradientNorm <= spaceTol) {
    base.perturbation = pert();
    return new CriticalPointReport({
      ...base,
      verdict: "global minimum",
      reason: `l is convex and ‖∇l(μ(θ))‖ = ${fmt(purity.lossGradientNorm)} ≤ ${fmt(spaceTol)}: μ(θ) minimises l over all matrices, so θ minimises L (T4)`,
    });
  }

  // (c) pure, smooth, non-degenerate: second-order test on the functional space
  let degenerateReason = "";
  if (base.riemannian && inertia.zero === purity.kernelDimDMu) {
    const rh = base.riemannian;
    const rInertia = rh.inertia;
    if (rInertia.negative === 0 && rInertia.zero === 0) {
      base.perturbation = pert();
      const minR = rh.eigenvalues[rh.eigenvalues.length - 1] ?? NaN;
      const second = `Hessian PSD with exactly dim ker dμ = ${purity.kernelDimDMu} zero eigenvalues (the fibre), and the Riemannian Hessian of l on ${space.description} is positive definite (min eigenvalue ${fmt(minR)}): a strict local minimum of l on M lifts to a local minimum of L (P5)`;
      if (base.perturbation.decreases > 0) {
        return new CriticalPointReport({
          ...base,
          verdict: "undecided",
          reason: `${second}; but ${base.perturbation.decreases} random perturbations decreased L (min ΔL ${fmt(base.perturbation.minDelta)}): tolerances conflict`,
        });
      }
      if (global.value === null) {
        return new CriticalPointReport({ ...base, verdict: "minimum (global not known)", reason: `${second}; no global value known (pass options.globalValue)` });
      }
      const isGlobal = value <= global.value + globalTol;
      return new CriticalPointReport({
        ...base,
        verdict: isGlobal ? "global minimum" : "local minimum",
        reason: `${second}; L(θ) = ${fmt(value)} ${isGlobal ? "equals" : "exceeds"} the global value ${fmt(global.value)} (${global.source}, tol ${fmt(globalTol)})`,
      });
    }
    if (rInertia.negative > 0) {
      return new CriticalPointReport({
        ...base,
        verdict: "undecided",
        reason: `the parameter Hessian is PSD but the Riemannian Hessian on ${space.description} has ${rInertia.negative} negative eigenvalue(s): the rank or eigenvalue tolerances conflict (P2 says they agree at a pure rank-r point)`,
      });
    }
    degenerateReason = `the Riemannian Hessian on ${space.description} has ${rInertia.zero} eigenvalue(s) within ${fmt(rInertia.tol)} of zero`;
  } else if (base.riemannian && inertia.zero < purity.kernelDimDMu) {
    return new CriticalPointReport({
      ...base,
      verdict: "undecided",
      reason: `only ${inertia.zero} Hessian eigenvalue(s) within eigTol = ${fmt(eigTol)} of zero, fewer than dim ker dμ = ${purity.kernelDimDMu} (exact zeros of the Hessian at a pure rank-r critical point: the fibre directions): the eigenvalue and Jacobian-rank tolerances conflict; adjust eigTol or jacobianRankRtol`,
    });
  } else if (inertia.zero > purity.kernelDimDMu) {
    degenerateReason = `${inertia.zero - purity.kernelDimDMu} Hessian eigenvalue(s) within eigTol = ${fmt(eigTol)} of zero beyond dim ker dμ = ${purity.kernelDimDMu}`;
  } else if (purity.status === "spurious") {
    degenerateReason = `spurious point (${purity.criticality.test}) with a PSD Hessian`;
  } else {
    degenerateReason = `pure point of rank ${purity.rank} < r = ${purity.r} with ∇l ≠ 0 under the "${purity.convention}" convention and a PSD Hessian`;
  }

  // (d) search for a higher-order descent curve
  const found: EscapeCurve[] = [];
  const chain = deep ? chainEscape(nl, th, { eps, lossTol }) : null;
  if (chain && chain.descends) found.push(chain);
  const reduced = reducedKernelEscape(nl, th, { eps, lossTol, eig, eigTol, seed, directions: options.searchDirections ?? 40 });
  if (reduced && reduced.descends) found.push(reduced);
  const fm = deep ? fibreMoveEscape(nl, th, { eps, lossTol, gradTol: purity.gradTol }) : null;
  if (fm) base.fibreMove = fm.move;
  if (fm && fm.descends) found.push(fm);
  if (found.length > 0) {
    const best = found[0];
    base.escape = best;
    base.otherEscapes.push(...found.slice(1));
    const order = best.order ?? best.slope;
    const strict = order < 2.5;
    return new CriticalPointReport({
      ...base,
      verdict: strict ? "strict saddle" : "degenerate saddle",
      reason:
        `${degenerateReason}; no eigenvalue below -eigTol, but a descent curve of order ${best.order ?? `≈ ${fmt(best.slope, 3)}`} was found (${best.kind}; ` +
        `fitted slope ${fmt(best.slope, 3)}; ΔL = ${fmt(best.points[best.points.length - 1].deltaL)} at ε = ${fmt(best.points[best.points.length - 1].eps)})` +
        (strict ? ": second-order descent, negative curvature below eigTol" : ""),
    });
  }
  base.perturbation = pert();
  const t4 = purity.status === "spurious" && nl.loss.convex ? "; T4 says a spurious critical point of a convex loss is not a local minimum, but no descent curve was found to show it" : "";
  return new CriticalPointReport({
    ...base,
    verdict: "undecided",
    reason:
      `${degenerateReason}; no descent curve found (kernel chain: ${chain ? "no descent" : "none"}, reduced kernel search over ${options.searchDirections ?? 40} seeded directions plus eigenvectors: none, fibre moves: ${fm ? "no descent" : "none breaking criticality"}); ` +
      `${base.perturbation.decreases} of ${base.perturbation.count} random perturbations of size ${fmt(base.perturbation.size)} decrease L (min ΔL ${fmt(base.perturbation.minDelta)})${t4}`,
  });
}

/**
 * The Hessian inertia counts of a report, `-1` for each when the Hessian was not computed (too many parameters):
 * the `negative / zero / positive` columns of the verdict tables (T5, T6; chapters 04 and 05).
 * @param report - a {@link CriticalPointReport}.
 * @throws DomainError unless `report` is a CriticalPointReport.
 */
export function inertiaCounts(report: CriticalPointReport): { negative: number; zero: number; positive: number } {
  if (!(report instanceof CriticalPointReport)) throw new DomainError("inertiaCounts", `report must be a CriticalPointReport; got ${describe(report)}`);
  const i = report.inertia;
  return i ? { negative: i.negative, zero: i.zero, positive: i.positive } : { negative: -1, zero: -1, positive: -1 };
}

/** One point to classify in {@link classifyCriticalPoints}: a landscape, the parameters, and the verdict options. */
export interface VerdictCase {
  /** A `Landscape` or `{ net, loss }`. */
  readonly L: NetLoss;
  /** Blocks of `L.net.paramShapes` (not modified). */
  readonly theta: readonly Matrix[];
  /** Options of {@link classifyCriticalPoint} (global value, perturbations, tolerances). */
  readonly options?: CriticalPointOptions;
}

/**
 * Classifies several critical points into a table: for each case `c`, `report = classifyCriticalPoint(point(c).L, point(c).theta, point(c).options)`
 * and one row `row(c, report)`. The loop behind the tables that put closed forms next to verdicts (T5 critical
 * images in chapter 04, T6 Examples A and B in chapter 05).
 * Example: `classifyCriticalPoints(images.images, (im) => ({ L, theta: im.theta }), (im, rep) => ({ I: im.I, verdict: rep.verdict }))`.
 * @param cases - the points, in table order. @param point - where and how to classify a case.
 * @param row - the table row of a case and its report (use {@link inertiaCounts} for the inertia columns).
 * @returns `rows` and the full `reports`, both in the order of `cases`.
 * @throws DomainError unless `cases` is an array and `point`, `row` are functions; whatever `point` throws; as
 *   {@link classifyCriticalPoint} for a bad landscape, parameters or options.
 */
export function classifyCriticalPoints<C, R>(
  cases: readonly C[],
  point: (c: C, index: number) => VerdictCase,
  row: (c: C, report: CriticalPointReport, index: number) => R,
): { rows: R[]; reports: CriticalPointReport[] } {
  const fn = "classifyCriticalPoints";
  if (!Array.isArray(cases)) throw new DomainError(fn, `cases must be an array; got ${describe(cases)}`);
  if (typeof point !== "function" || typeof row !== "function") throw new DomainError(fn, `point and row must be functions; got ${describe(point)} and ${describe(row)}`);
  const rows: R[] = [];
  const reports: CriticalPointReport[] = [];
  cases.forEach((c, k) => {
    const p = point(c, k);
    const report = classifyCriticalPoint(p.L, p.theta, p.options);
    reports.push(report);
    rows.push(row(c, report, k));
  });
  return { rows, reports };
}
