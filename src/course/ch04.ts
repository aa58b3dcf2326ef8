/**
 * Chapter 04 of the course, "Non-filling with the square loss" (T5: TKB; Baldi–Hornik; Eckart–Young; data
 * form): the loops and data tables the notebook needs, kept out of notebook cells (tslab runs top-level loops
 * about 370× slower than library code). Every function here only combines library calls: the closed forms
 * (`criticalImages`), the verdict module (`classifyCriticalPoint`), the critical-point finder and surveys, and
 * the chart builders of `plots/`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { logLogSlope } from "../core/fit";
import { pinv, symEig } from "../core/linalg";
import { frobNorm, mmul, mmulChain, sub, transpose } from "../core/matrix";
import { rng } from "../core/random";
import { CriticalImage, CriticalImageSet, criticalImages, dataProblem, matchCriticalImage } from "../critical/closedForms";
import { DEFAULT_ESCAPE_EPS, negativeCurvatureEscape } from "../critical/escape";
import type { T5Table } from "../critical/examples";
import { gaussianBinomial, indexDistribution } from "../critical/gaussianBinomial";
import { CriticalPointReport, classifyCriticalPoint, classifyCriticalPoints, inertiaCounts } from "../critical/verdict";
import { inertia } from "../optim/finder";
import { SurveyResult, survey } from "../experiments/survey";
import { Landscape, landscape } from "../landscape/landscape";
import { squareLossData } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { Widths, fibreDimension, validateWidths } from "../networks/widths";
import { barChart } from "../plots/bars";
import { layer } from "../plots/layer";
import { scatterChart } from "../plots/scatter";
import { Datum, VegaLiteSpec } from "../plots/spec";
import { theoryVsMeasured } from "../plots/theory";

/** `{1,3}` for `[1, 3]`, `∅` for `[]`: how the chapter writes an index set `I`. */
export function setLabel(I: readonly number[]): string {
  return I.length === 0 ? "∅" : `{${I.join(",")}}`;
}

/** One row of the T5 table: closed form next to measurement at the balanced point realising `W_I`. */
export type CriticalTableRow = {
  /** The index set, e.g. `"{1,2}"`. */
  readonly I: string;
  /** `|I|` = rank of `W_I`. */
  readonly rank: number;
  /** Pure (`|I| = r`) or spurious (D1). */
  readonly kind: "pure" | "spurious";
  /** Closed-form loss (`sum_{j not in I} sigma_j^2`, or `½(tr YY^T - sum_{i in I} lambda_i)`). */
  readonly closedFormLoss: number;
  /** `L(theta)` measured at the balanced point. */
  readonly loss: number;
  /** `||grad L(theta)||` at the balanced point. */
  readonly gradientNorm: number;
  /** Predicted Morse index on `M_r` (pure points; null for spurious ones). */
  readonly predictedIndex: number | null;
  /** Measured parameter-Hessian inertia (tolerance of the verdict module). */
  readonly negative: number;
  readonly zero: number;
  readonly positive: number;
  /** Fibre dimension `dim theta - dim M_r`: the predicted zero count at a pure point. */
  readonly fibreDimension: number;
  /** The verdict module's verdict (`classifyCriticalPoint`). */
  readonly verdict: string;
};

/** Result of {@link criticalPointTable}: the rows and the full verdict reports (same order as `images.images`). */
export interface CriticalPointTable {
  readonly rows: CriticalTableRow[];
  readonly reports: CriticalPointReport[];
}

/**
 * The T5 table (tkb-digest §4 T5): for every critical image `W_I` of a square-loss problem, the balanced point
 * realising it is classified by `classifyCriticalPoint` (gradient, Hessian inertia, verdict with evidence), and the
 * measured numbers are put next to the closed form (loss, Morse index, fibre dimension).
 * Example: `criticalPointTable(t5Table(1).shallow.landscape, t5Table(1).shallow.images)` gives the 11 rows of
 * d = (4,2,4) with losses 5..30. Serves T5 (chapter 04).
 * @param L - the landscape `l ∘ mu` of the same problem and widths as `images`.
 * @param images - `criticalImages(problem, widths)` with balanced points (`realise` not false).
 * @throws DomainError when an image has no balanced point (`realise: false`).
 */
export function criticalPointTable(L: Landscape, images: CriticalImageSet): CriticalPointTable {
  const fn = "criticalPointTable";
  if (!images || !Array.isArray(images.images)) throw new DomainError(fn, `images must be a result of criticalImages; got ${describe(images)}`);
  const fibre = fibreDimension(images.widths);
  return classifyCriticalPoints(
    images.images,
    (im) => {
      if (!im.theta) throw new DomainError(fn, `images must carry balanced points (criticalImages without realise: false); image ${setLabel(im.I)} has none`);
      return { L, theta: im.theta, options: { globalValue: images.globalLoss, perturbations: 50 } };
    },
    (im, rep): CriticalTableRow => ({
      I: setLabel(im.I),
      rank: im.rank,
      kind: im.kind,
      closedFormLoss: im.loss,
      loss: rep.value,
      gradientNorm: rep.purity.gradientNorm,
      predictedIndex: im.morseIndex,
      ...inertiaCounts(rep),
      fibreDimension: fibre,
      verdict: rep.verdict,
    }),
  );
}

/** One endpoint of the critical-point finder, matched against the closed forms. */
export type FinderPoint = {
  /** Run index within its survey, and the start scale of that survey. */
  readonly run: number;
  readonly startScale: number;
  /** Final `L` and `||grad L||`. */
  readonly loss: number;
  readonly gradNorm: number;
  readonly converged: boolean;
  /** Nearest closed-form image, e.g. `"{1,3}"`, its kind and predicted Morse index. */
  readonly image: string;
  readonly kind: "pure" | "spurious";
  readonly predictedIndex: number | null;
  /** `||mu(theta) - W_I||_F` and whether it is within `tol · max(1, ||W_I||)` (matchCriticalImage). */
  readonly distance: number;
  readonly matches: boolean;
  /** Measured inertia of the parameter Hessian at the endpoint (relative threshold `eigTol`). */
  readonly negative: number;
  readonly zero: number;
};

/** Result of {@link finderSurvey}. */
export interface FinderSurvey {
  /** Every converged endpoint. */
  readonly points: FinderPoint[];
  /** The surveys (one per start scale). */
  readonly surveys: SurveyResult[];
  /** Runs that did not converge (excluded from `points`). */
  readonly notConverged: number;
  /** Distinct images reached (labels, in the order of `images.images`). */
  readonly found: string[];
  /** Runs per reached image. */
  readonly counts: Record<string, number>;
}

/** Options of {@link finderSurvey}. */
export interface FinderSurveyOptions {
  /** Runs per start scale (default 30). */
  runs?: number;
  /** Base seed (default 100); the survey of scale `k` uses `seed + 1000 k`. */
  seed?: number;
  /** Start scales (default `[0.5, 1]`: small starts find the spurious points near 0, larger ones the pure points). */
  scales?: readonly number[];
  /** Relative zero threshold of Hessian eigenvalues (default 1e-6, tkb-digest §6). */
  eigTol?: number;
  /** Relative tolerance of the image match (default 1e-6). */
  matchTol?: number;
}

/**
 * Runs the critical-point finder (`survey(..., { optimizer: "finder" })`, which converges to saddles as well as
 * minima) from seeded random starts at several scales, matches every converged endpoint against the closed-form
 * images (`matchCriticalImage`), and measures the parameter-Hessian inertia there. Serves T5 (chapter 04: "every
 * point the finder returns matches a closed-form image; the measured index equals the predicted one").
 * @throws DomainError for bad options.
 */
export async function finderSurvey(L: Landscape, images: CriticalImageSet, options: FinderSurveyOptions = {}): Promise<FinderSurvey> {
  const fn = "finderSurvey";
  const runs = options.runs ?? 30;
  const seed = options.seed ?? 100;
  const scales = options.scales ?? [0.5, 1];
  const eigTol = options.eigTol ?? 1e-6;
  const matchTol = options.matchTol ?? 1e-6;
  if (!Number.isInteger(runs) || runs < 1) throw new DomainError(fn, `options.runs must be a positive integer; got ${describe(runs)}`);
  if (!Array.isArray(scales) || scales.length === 0 || !scales.every((s) => typeof s === "number" && s > 0 && Number.isFinite(s))) {
    throw new DomainError(fn, `options.scales must be a non-empty array of positive numbers; got ${describe(scales)}`);
  }
  const points: FinderPoint[] = [];
  const surveys: SurveyResult[] = [];
  let notConverged = 0;
  for (let k = 0; k < scales.length; k++) {
    const s = await survey(L, { runs, seed: seed + 1000 * k, optimizer: "finder", startScale: scales[k], progress: false, label: `finder, start scale ${scales[k]}` });
    surveys.push(s);
    for (const run of s.runs) {
      if (!run.converged || !run.x) {
        notConverged++;
        continue;
      }
      const theta = L.unpack(run.x);
      const m = matchCriticalImage(images, L.net.mu(theta), matchTol);
      const ev = symEig(L.hessian(theta), Infinity).values;
      const inr = inertia(ev, eigTol);
      points.push({
        run: run.run,
        startScale: scales[k],
        loss: run.value,
        gradNorm: run.gradNorm,
        converged: run.converged,
        image: setLabel(m.image.I),
        kind: m.image.kind,
        predictedIndex: m.image.morseIndex,
        distance: m.distance,
        matches: m.matches,
        negative: inr.negative,
        zero: inr.zero,
      });
    }
  }
  const counts: Record<string, number> = {};
  for (const p of points) counts[p.image] = (counts[p.image] ?? 0) + 1;
  const found = images.images.map((im) => setLabel(im.I)).filter((lab) => counts[lab] !== undefined);
  return { points, surveys, notConverged, found, counts };
}

/**
 * Loss against index (T5): the closed forms (large translucent marks: the predicted Morse index of each pure image,
 * and the measured Hessian index at the balanced point of each spurious one, at the closed-form loss) with the
 * finder's endpoints overlaid (small marks: measured Hessian index and final loss; tooltip: how many runs).
 * @returns a Vega-Lite spec (wrap it with `chart(...)`).
 */
export function lossIndexChartSpec(table: readonly CriticalTableRow[], finder: readonly FinderPoint[]): VegaLiteSpec {
  const closed: Datum[] = table.map((r) => ({
    index: r.kind === "pure" ? (r.predictedIndex as number) : r.negative,
    loss: r.closedFormLoss,
    I: r.I,
    kind: r.kind,
    source: "closed form",
  }));
  const agg = new Map<string, { index: number; loss: number; I: string; kind: string; runs: number }>();
  for (const p of finder) {
    const key = `${p.image}|${p.negative}`;
    const a = agg.get(key);
    if (a) a.runs++;
    else agg.set(key, { index: p.negative, loss: p.loss, I: p.image, kind: p.kind, runs: 1 });
  }
  const found: Datum[] = [...agg.values()].map((a) => ({ ...a, source: "finder endpoints" }));
  const common = { x: "index", y: "loss", color: "source", shape: "kind", xTitle: "index: # negative Hessian eigenvalues", yTitle: "loss ‖W − Q‖²", colorTitle: "", shapeTitle: "critical point", zero: true };
  return layer(
    [
      scatterChart(closed, { ...common, size: 420, opacity: 0.3, tooltip: ["I", "kind", "index", "loss"] }),
      scatterChart(found, { ...common, size: 60, opacity: 1, tooltip: ["I", "kind", "index", "loss", "runs"] }),
    ],
    { title: "T5, d = (4,2,4): loss vs index, closed form and finder", width: 420, height: 280 },
  );
}

/**
 * The index distribution of the `C(m, r)` pure critical images (T5): bars are the coefficients of the Gaussian
 * binomial `[m choose r]_q` (q-Pascal recurrence), black dots the counts by inversion index over all `|I| = r`
 * (`indexDistribution`), and, when given, hollow diamonds the measured Hessian indices.
 * @param measured - measured Morse indices (e.g. the `negative` counts of the pure rows of the T5 table).
 * @returns a Vega-Lite spec.
 * @throws DomainError unless `0 <= r <= m`.
 */
export function indexDistributionChartSpec(m: number, r: number, measured?: readonly number[]): VegaLiteSpec {
  const q = gaussianBinomial(m, r);
  const byInversion = indexDistribution(m, r);
  const rows: Datum[] = q.map((c, k) => ({ index: String(k), coefficient: c, enumerated: byInversion[k] }));
  const terms = q.map((c, k) => (k === 0 ? `${c}` : `${c === 1 ? "" : c}q${k === 1 ? "" : superscript(k)}`)).join(" + ");
  const bars = barChart(rows, { x: "index", y: "coefficient", xTitle: "Morse index k", yTitle: "number of pure critical points" });
  const dots = barChart(rows, { x: "index", y: "enumerated", xTitle: "Morse index k", yTitle: "number of pure critical points" });
  dots.mark = { type: "point", filled: true, size: 90, color: "black" };
  const specs = [bars, dots];
  if (measured && measured.length > 0) {
    const counts = q.map((_, k) => measured.filter((x) => x === k).length);
    const mrows: Datum[] = counts.map((c, k) => ({ index: String(k), measured: c }));
    const meas = barChart(mrows, { x: "index", y: "measured", xTitle: "Morse index k", yTitle: "number of pure critical points" });
    meas.mark = { type: "point", shape: "diamond", filled: false, size: 260, color: "#d62728", strokeWidth: 2 };
    specs.push(meas);
  }
  return layer(specs, { title: `[${m} choose ${r}]_q = ${terms}`, width: 360, height: 240 });
}

/** Lets legend labels run to 260 px (the default 160 px truncates the curve names). */
function widenLegend(spec: VegaLiteSpec): void {
  const config = (spec.config ?? {}) as Record<string, unknown>;
  config.legend = { ...((config.legend as Record<string, unknown>) ?? {}), labelLimit: 260 };
  spec.config = config;
}

function superscript(k: number): string {
  const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return String(k)
    .split("")
    .map((c) => sup[Number(c)])
    .join("");
}

/** Result of {@link truncatedSvdSurvey}. */
export interface TruncatedSvdSurvey {
  readonly widths: Widths;
  readonly survey: SurveyResult;
  /** The global value (truncated SVD, Eckart–Young). */
  readonly globalLoss: number;
  /** Largest `|L_final - globalLoss|` over the runs. */
  readonly maxGap: number;
  /** Runs whose `mu(theta)` matches the truncated SVD `W_{1..r}` (matchCriticalImage, tol `matchTol`). */
  readonly atTruncatedSvd: number;
  /** Largest `||mu(theta) - W_{1..r}||_F` over the runs. */
  readonly maxDistance: number;
  /** Chart rows `{ run, loss, widths }`. */
  readonly rows: Datum[];
}

/**
 * Seeded L-BFGS survey on a square-loss landscape: every run should end at the truncated SVD (T5: no bad minima;
 * Eckart–Young). Reports the largest gap to the global value and how many endpoints match the truncated SVD.
 * @param L - landscape of the problem of `images`. @param images - `criticalImages` of the same problem and widths.
 * @param options - `runs` (default 40), `seed` (default 0), `matchTol` (default 1e-5), `runOffset` (added to the run
 *   numbers of the chart rows, so that several surveys sit side by side; default 0).
 * @throws DomainError for bad options.
 */
export async function truncatedSvdSurvey(
  L: Landscape,
  images: CriticalImageSet,
  options: { runs?: number; seed?: number; matchTol?: number; runOffset?: number } = {},
): Promise<TruncatedSvdSurvey> {
  const runs = options.runs ?? 40;
  const s = await survey(L, { runs, seed: options.seed ?? 0, optimizer: "lbfgs", optimizerOptions: { gradTol: 1e-10 }, progress: false });
  const top = images.images.find((im) => im.globalMinimum) as CriticalImage;
  let maxGap = 0;
  let maxDistance = 0;
  let at = 0;
  const label = `(${images.widths.join(",")})`;
  const rows: Datum[] = [];
  for (const run of s.runs) {
    maxGap = Math.max(maxGap, Math.abs(run.value - images.globalLoss));
    if (run.x) {
      const W = L.net.mu(L.unpack(run.x));
      const dist = frobNorm(sub(W, top.W));
      maxDistance = Math.max(maxDistance, dist);
      if (dist <= (options.matchTol ?? 1e-5) * Math.max(1, frobNorm(top.W))) at++;
    }
    rows.push({ run: run.run + (options.runOffset ?? 0), loss: run.value, widths: label });
  }
  return { widths: images.widths, survey: s, globalLoss: images.globalLoss, maxGap, atTruncatedSvd: at, maxDistance, rows };
}

/**
 * Final losses of surveys (dots, one per run, coloured by architecture) against the critical values of the loss
 * (grey dashed lines): the runs pick out the lowest line only (T5).
 * @param rows - `{ run, loss, widths }` rows of one or more {@link truncatedSvdSurvey}.
 * @param criticalValues - the closed-form critical losses.
 */
export function surveyChartSpec(rows: readonly Datum[], criticalValues: readonly number[]): VegaLiteSpec {
  const nRuns = Math.max(...rows.map((r) => Number(r.run))) + 1;
  const label = (v: number): string => `L = ${v}`;
  const levels = Array.from(new Set(criticalValues.map((v) => Math.round(v * 1e9) / 1e9))).sort((a, b) => a - b);
  const lines: Datum[] = levels.flatMap((v) => [
    { run: 0, loss: v, level: label(v) },
    { run: nRuns - 1, loss: v, level: label(v) },
  ]);
  return theoryVsMeasured({
    theory: lines, curve: "level", measured: rows, x: "run", y: "loss", xTitle: "run", yTitle: "final loss",
    color: "widths", colorTitle: "widths d", size: 40, zero: true,
    title: "L-BFGS from random starts vs the critical values (dashed)", width: 420, height: 260,
  });
}

/** One point of an escape chart. */
export type EscapeRow = {
  readonly eps: number;
  /** `|L(theta(eps)) - L(theta)|`. */
  readonly decrease: number;
  /** Measured or theory. */
  readonly curve: string;
};

/** Result of {@link degenerateSaddleStudy}. */
export interface DegenerateSaddleStudy {
  /** The verdict of `classifyCriticalPoint` at the spurious point `I = {1}` of d = (4,2,3,4). */
  readonly report: CriticalPointReport;
  /** Parameter Hessian inertia there. */
  readonly negative: number;
  readonly zero: number;
  /** `L(theta(eps)) - L(theta)` along the digest's third-order curve, with the formula `-6 eps^3 + eps^6`. */
  readonly constructed: { eps: number; deltaL: number; predicted: number }[];
  /** Fitted log-log slopes: the constructed curve, the verdict module's curve, and a strict saddle for contrast. */
  readonly slopes: { constructed: number; verdictCurve: number; strictSaddle: number };
  /** Rows for the log-log chart. */
  readonly rows: EscapeRow[];
  /** The verdict module's curve kind and order (e.g. "kernel chain", 3). */
  readonly verdictCurve: { kind: string; order: number | null };
}

/**
 * Degenerate spurious saddles at depth 3 (T5 item 5; tkb-digest §4 T5): at the balanced point of `I = {1}` on
 * d = (4,2,3,4) the Hessian has no negative eigenvalue (19 zeros), yet the loss descends at third order along
 * `dW_1 = eps z_1 v_2^T, dW_2 = eps z_2 z_1^T, dW_3 = eps u_2 z_2^T` (`Delta L = -6 eps^3 + eps^6`); the verdict
 * module finds such a curve on its own (kernel chain). For contrast: the pure strict saddle `I = {1,3}` descends at
 * second order along its negative eigenvector.
 * @param T - `t5Table(seed)`. @param eps - curve parameters (default `0.1 · 2^-k`, k = 0..5).
 */
export function degenerateSaddleStudy(T: T5Table, eps: readonly number[] = DEFAULT_ESCAPE_EPS): DegenerateSaddleStudy {
  const L = T.deep.landscape;
  const find = (I: number[]): CriticalImage => T.deep.images.images.find((im) => setLabel(im.I) === setLabel(I)) as CriticalImage;
  const spur = find([1]);
  const theta = spur.theta as Matrix[];
  const report = classifyCriticalPoint(L, theta, { eps, globalValue: T.deep.images.globalLoss });
  const L0 = L.value(theta);
  const constructed = eps.map((e) => ({ eps: e, deltaL: L.value(T.thirdOrderCurve(e)) - L0, predicted: T.stated.thirdOrderLossChange(e) }));
  const rows: EscapeRow[] = [];
  for (const p of constructed) {
    rows.push({ eps: p.eps, decrease: Math.abs(p.deltaL), curve: "constructed curve" });
    rows.push({ eps: p.eps, decrease: Math.abs(p.predicted), curve: "theory 6ε³ − ε⁶" });
  }
  const esc = report.escape;
  if (esc) for (const p of esc.points) rows.push({ eps: p.eps, decrease: Math.abs(p.deltaL), curve: `verdict: ${esc.kind}` });
  // contrast: the pure strict saddle {1,3} of the same network, along its most negative eigenvector
  const pure = find([1, 3]).theta as Matrix[];
  const eig = symEig(L.hessian(pure), Infinity);
  const last = eig.values.length - 1;
  const lambda = eig.values[last];
  const strict = negativeCurvatureEscape(L, pure, eig.vectors.getColumn(last), lambda, { eps });
  for (const p of strict.points) {
    rows.push({ eps: p.eps, decrease: Math.abs(p.deltaL), curve: "strict saddle {1,3}" });
    rows.push({ eps: p.eps, decrease: (Math.abs(lambda) * p.eps * p.eps) / 2, curve: "theory |λ|ε²/2" });
  }
  const inr = inertiaCounts(report);
  return {
    report,
    negative: inr.negative,
    zero: inr.zero,
    constructed,
    slopes: {
      constructed: logLogSlope(constructed.map((p) => p.eps), constructed.map((p) => p.deltaL)),
      verdictCurve: esc ? esc.slope : NaN,
      strictSaddle: strict.slope,
    },
    rows,
    verdictCurve: { kind: esc ? esc.kind : "none", order: esc ? esc.order : null },
  };
}

/**
 * Log-log chart of the loss decrease along escape curves: measured points and the theory line; slope 3 for the
 * degenerate spurious saddle, slope 2 for a strict saddle.
 */
export function escapeChartSpec(rows: readonly EscapeRow[]): VegaLiteSpec {
  const theory = rows.filter((r) => r.curve.startsWith("theory"));
  const verdict = rows.filter((r) => r.curve.startsWith("verdict"));
  const measured = rows.filter((r) => !r.curve.startsWith("theory") && !r.curve.startsWith("verdict"));
  const o = { x: "eps", y: "decrease", color: "curve", xScale: "log" as const, yScale: "log" as const, xTitle: "ε", yTitle: "loss decrease |ΔL|", colorTitle: "curve" };
  const title = "Escape from the spurious point I = {1} of d = (4,2,3,4): order 3";
  // theory curves coloured in the legend (their rows carry `curve`), measured points on top
  const specs = [theoryVsMeasured({ ...o, theory, measured, size: 55, title, width: 400, height: 280 })];
  // the verdict module's curve: large translucent marks (it may coincide with the constructed one)
  if (verdict.length > 0) specs.push(scatterChart(verdict, { ...o, size: 260, opacity: 0.35 }));
  const spec = layer(specs, { title, width: 400, height: 280 });
  widenLegend(spec);
  return spec;
}

/** One row of the data-form table. */
export type DataFormRow = {
  readonly I: string;
  readonly kind: "pure" | "spurious";
  /** `½ (tr YY^T - sum_{i in I} lambda_i)` with `lambda` computed here from `Sigma = Y X^+ X Y^T`. */
  readonly formulaLoss: number;
  /** `L(theta)` at the balanced point, `½ ||mu(theta) X - Y||^2`. */
  readonly loss: number;
  readonly gradientNorm: number;
  /** `||W_I - P_{U_I} Y X^+||_F` with `U_I` the eigenvectors of `Sigma` computed here. */
  readonly projectionError: number;
};

/** Result of {@link dataFormStudy}. */
export interface DataFormStudy {
  readonly X: Matrix;
  readonly Y: Matrix;
  readonly rankX: number;
  /** `Sigma = Y X^+ X Y^T` (pseudo-inverse). */
  readonly Sigma: Matrix;
  /** Eigenvalues of `Sigma`, descending (computed with `symEig`, independently of the closed-form module). */
  readonly lambdas: number[];
  /** `½ tr(Y Y^T)`. */
  readonly halfTrace: number;
  /** `½ (tr YY^T - lambda_1 - ... - lambda_r)`. */
  readonly globalFormula: number;
  readonly images: CriticalImageSet;
  readonly rows: DataFormRow[];
  /** `||Y X^+ - Y X^T (X X^T)^{-1}||` when `X X^T` is invertible (Baldi–Hornik's formula), else null. */
  readonly baldiHornikError: number | null;
  readonly survey: TruncatedSvdSurvey;
  /** Largest `||(mu(theta) - W_{1..r}) X||_F` over the survey's endpoints: the fitted function on the data (with a
   * rank-deficient `X` the minimiser `W` itself is not unique, only `W X` is). */
  readonly maxFitDistance: number;
}

/**
 * The data form of T5 (Baldi–Hornik): `l(W) = ½ ||W X - Y||^2` with seeded random `X` (`d_0 × n`, optionally of
 * rank `rankX < d_0`) and `Y` (`d_h × n`). `Sigma = Y X^+ X Y^T` is formed here with the pseudo-inverse and
 * diagonalised; the closed-form images must be `W_I = P_{U_I} Y X^+` with loss `½ (tr YY^T - sum_{i in I} lambda_i)`,
 * and an L-BFGS survey must end at `½ (tr YY^T - lambda_1 - ... - lambda_r)`.
 * @param options.widths - default (4,2,4); `n` samples (default 20); `rankX` (default full, `d_0`); `runs` (default 30).
 * @throws DomainError for bad options.
 */
export async function dataFormStudy(seed: number, options: { widths?: Widths; n?: number; rankX?: number; runs?: number } = {}): Promise<DataFormStudy> {
  const fn = "dataFormStudy";
  const widths = validateWidths(options.widths ?? [4, 2, 4], fn);
  const d0 = widths[0];
  const dh = widths[widths.length - 1];
  const n = options.n ?? 20;
  const rX = options.rankX ?? d0;
  if (!Number.isInteger(n) || n < 1) throw new DomainError(fn, `options.n must be a positive integer; got ${describe(n)}`);
  if (!Number.isInteger(rX) || rX < 1 || rX > Math.min(d0, n)) throw new DomainError(fn, `options.rankX must be an integer in 1..min(d_0, n) = ${Math.min(d0, n)}; got ${describe(rX)}`);
  const g = rng(seed);
  const X = rX === d0 ? g.gaussian(d0, n) : mmul(g.gaussian(d0, rX), g.gaussian(rX, n));
  const Y = g.gaussian(dh, n);
  const Xp = pinv(X);
  const Sigma = mmulChain([Y, Xp, X, transpose(Y)]);
  const S = Sigma.clone().add(transpose(Sigma)).mul(0.5) as Matrix;
  const eig = symEig(S);
  const lambdas = eig.values;
  let tr = 0;
  for (let i = 0; i < Y.rows; i++) for (let j = 0; j < Y.columns; j++) tr += Y.get(i, j) ** 2;
  const halfTrace = tr / 2;
  const r = Math.min(...widths);
  const globalFormula = halfTrace - 0.5 * lambdas.slice(0, r).reduce((a, b) => a + b, 0);
  const images = criticalImages(dataProblem(X, Y), widths);
  const L = landscape(new DeepLinearNetwork(widths), squareLossData(X, Y));
  const YXp = mmul(Y, Xp);
  const rows: DataFormRow[] = images.images.map((im) => {
    const UI = new Matrix(dh, im.I.length);
    im.I.forEach((i, c) => {
      for (let a = 0; a < dh; a++) UI.set(a, c, eig.vectors.get(a, i - 1));
    });
    const P = mmul(UI, transpose(UI));
    const theta = im.theta as Matrix[];
    return {
      I: setLabel(im.I),
      kind: im.kind,
      formulaLoss: halfTrace - 0.5 * im.I.reduce((a, i) => a + lambdas[i - 1], 0),
      loss: L.value(theta),
      gradientNorm: Math.hypot(...L.gradient(theta).map(frobNorm)),
      projectionError: frobNorm(sub(im.W, mmul(P, YXp))),
    };
  });
  let baldiHornikError: number | null = null;
  if (rX === d0) {
    const XXt = mmul(X, transpose(X));
    const bh = mmulChain([Y, transpose(X), pinv(XXt)]);
    baldiHornikError = frobNorm(sub(YXp, bh));
  }
  const s = await truncatedSvdSurvey(L, images, { runs: options.runs ?? 30, seed: seed + 1 });
  const top = images.images.find((im) => im.globalMinimum) as CriticalImage;
  let maxFitDistance = 0;
  for (const run of s.survey.runs) {
    if (run.x) maxFitDistance = Math.max(maxFitDistance, frobNorm(mmul(sub(L.net.mu(L.unpack(run.x)), top.W), X)));
  }
  return { X, Y, rankX: rX, Sigma, lambdas, halfTrace, globalFormula, images, rows, baldiHornikError, survey: s, maxFitDistance };
}
