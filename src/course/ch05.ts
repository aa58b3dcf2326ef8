/**
 * Chapter 05 of the course, "Non-filling with other convex losses: bad minima" (T6, TKB; weighted low-rank
 * approximation, Srebro–Jaakkola 2003): sweeps over the weight `K`, the Hessian spectrum off the fibre, surveys and
 * their basin statistics, Example B counts and the filling control, as library functions (tslab runs top-level loops
 * in cells about 370× slower). Everything combines library calls: `exampleA`/`exampleB`, `classifyCriticalPoint`,
 * `survey`, and the chart builders of `plots/`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { rowSpace, symEig } from "../core/linalg";
import { mmulChain, transpose } from "../core/matrix";
import { ExampleB, exampleA, exampleAProfile, exampleB } from "../critical/examples";
import { CriticalPointReport, classifyCriticalPoints, inertiaCounts } from "../critical/verdict";
import { SurveyResult, survey } from "../experiments/survey";
import { Landscape, landscape } from "../landscape/landscape";
import { weightedSquareLoss } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { dMuJacobian } from "../networks/differential";
import { Widths } from "../networks/widths";
import { histogram } from "../plots/bars";
import { layer, withSlider } from "../plots/layer";
import { lineChart } from "../plots/line";
import { scatterChart } from "../plots/scatter";
import { Datum, VegaLiteSpec } from "../plots/spec";

function checkPositiveList(fn: string, name: string, xs: unknown): number[] {
  if (!Array.isArray(xs) || xs.length === 0 || !xs.every((x) => typeof x === "number" && Number.isFinite(x) && x > 0)) {
    throw new DomainError(fn, `${name} must be a non-empty array of positive finite numbers; got ${describe(xs)}`);
  }
  return xs.slice();
}

/** Lets legend labels run to 280 px (the default 160 px truncates long series names). */
function widenLegend(spec: VegaLiteSpec): VegaLiteSpec {
  const config = (spec.config ?? {}) as Record<string, unknown>;
  config.legend = { ...((config.legend as Record<string, unknown>) ?? {}), labelLimit: 280 };
  spec.config = config;
  return spec;
}

/** Rounds for chart data (keeps the inlined JSON small; 6 significant digits). */
function r6(x: number): number {
  return Number(x.toPrecision(6));
}

/**
 * Eigenvalues of the parameter Hessian of a deep linear landscape restricted to the orthogonal complement of
 * `ker dmu(theta)` (the directions that change the product), descending. At a critical point the fibre directions
 * are exact zeros of the Hessian, so these are the eigenvalues "off the fibre" (T6 bifurcation, tkb-digest §6 item 5).
 * @param L - a landscape on a `DeepLinearNetwork`. @param theta - blocks of `L.net.paramShapes`.
 * @param tol - relative rank tolerance of the Jacobian of `mu` (default 1e-9).
 * @throws DomainError unless `L.net` is a DeepLinearNetwork.
 */
export function nonFibreEigenvalues(L: Landscape, theta: readonly Matrix[], tol = 1e-9): number[] {
  const net = L.net;
  if (!(net instanceof DeepLinearNetwork)) throw new DomainError("nonFibreEigenvalues", `L.net must be a DeepLinearNetwork; got ${describe(net)}`);
  const J = dMuJacobian(net.widths, theta);
  let top = 0;
  for (let i = 0; i < J.rows; i++) for (let j = 0; j < J.columns; j++) top = Math.max(top, Math.abs(J.get(i, j)));
  const B = rowSpace(J, tol * Math.max(1, top)); // orthonormal basis of (ker dmu)^perp, N × rank
  const H = L.hessian(theta);
  const C = mmulChain([transpose(B), H, B]);
  return symEig(C, 1e-8).values;
}

/** One row of the Example A Hessian sweep. */
export type ExampleARow = {
  readonly K: number;
  /** `K s`: the candidate `s e_2 e_2^T` is a bad local minimum iff `K s > 1`. */
  readonly Ks: number;
  /** Smallest Hessian eigenvalue off the fibre, measured. */
  readonly smallest: number;
  /** Predicted: `min(2 (K s - 1), 4 s)` (derived below; the three off-fibre eigenvalues are `2(Ks - 1), 2(Ks + 1), 4s`). */
  readonly predicted: number;
};

/**
 * Off-fibre Hessian eigenvalues of Example A at the candidate `s e_2 e_2^T` (d = (2,1,2), `Lambda = [[1,K],[K,1]]`,
 * `Q = diag(1, s)`): derivation. With `W_1 = (a_1, a_2)`, `W_2 = (b_1, b_2)^T` at `a = b = (0, √s)`, the loss is
 * `(a_1 b_1 - 1)^2 + K s (a_1^2 + b_1^2) + (a_2 b_2 - s)^2 + O(3)`; the `(a_1, b_1)` block of the Hessian is
 * `[[2Ks, -2], [-2, 2Ks]]` (eigenvalues `2(Ks ∓ 1)`), the `(a_2, b_2)` block `2s [[1, 1], [1, 1]]` (eigenvalues 0 — the
 * fibre — and `4s`). So the smallest off-fibre eigenvalue is `min(2(Ks - 1), 4s)`, which changes sign at `K = 1/s`.
 * Serves T6 (chapter 05).
 */
export function exampleASmallestPredicted(K: number, s: number): number {
  return Math.min(2 * (K * s - 1), 4 * s);
}

/**
 * Sweep of Example A over `K`: the smallest off-fibre Hessian eigenvalue at `s e_2 e_2^T`, measured with
 * {@link nonFibreEigenvalues}, next to {@link exampleASmallestPredicted}. Serves T6 (bifurcation chart).
 * @throws DomainError for bad `Ks` or `s`.
 */
export function exampleASweep(Ks: readonly number[], s = 0.8): ExampleARow[] {
  const list = checkPositiveList("exampleASweep", "Ks", Ks);
  return list.map((K) => {
    const A = exampleA(K, s);
    const ev = nonFibreEigenvalues(A.landscape, A.points.candidate);
    return { K, Ks: K * s, smallest: ev[ev.length - 1], predicted: exampleASmallestPredicted(K, s) };
  });
}

/** `K` where the measured smallest off-fibre eigenvalue changes sign (linear interpolation between sweep points), or null. */
export function signChange(rows: readonly ExampleARow[]): number | null {
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1];
    const b = rows[k];
    if (a.smallest < 0 && b.smallest >= 0) return a.K + ((0 - a.smallest) * (b.K - a.K)) / (b.smallest - a.smallest);
  }
  return null;
}

/**
 * The bifurcation chart (T6): smallest off-fibre Hessian eigenvalue at `s e_2 e_2^T` against `K` — the predicted
 * curve `min(2(Ks - 1), 4s)` (line), the measured values (dots), and a marker that follows an interactive slider `K`
 * (a Vega-Lite range parameter; the PNG shows its initial value). Negative: a saddle; positive: a bad local minimum.
 * @param rows - {@link exampleASweep} rows; the slider moves over their `K` values (uniform step assumed for the
 *   slider; the marker shows the row nearest to it).
 * @param options - `s` (default 0.8), `value`: initial slider value (default the middle row's K), `step`: slider step
 *   (default the mean spacing of the rows).
 */
export function bifurcationChartSpec(rows: readonly ExampleARow[], options: { s?: number; value?: number; step?: number } = {}): VegaLiteSpec {
  const s = options.s ?? 0.8;
  const Ks = rows.map((r) => r.K);
  const step = options.step ?? r6((Ks[Ks.length - 1] - Ks[0]) / Math.max(1, Ks.length - 1));
  const theory: Datum[] = rows.map((r) => ({ K: r.K, eigenvalue: r6(r.predicted), series: "predicted min(2(Ks − 1), 4s)" }));
  const measured: Datum[] = rows.map((r) => ({ K: r.K, eigenvalue: r6(r.smallest), series: "measured" }));
  const marker: Datum[] = rows.map((r) => ({ K: r.K, eigenvalue: r6(r.smallest), series: "slider K", Kslider: r.K }));
  const zero: Datum[] = [
    { K: Ks[0], eigenvalue: 0, series: "zero" },
    { K: Ks[Ks.length - 1], eigenvalue: 0, series: "zero" },
  ];
  const threshold: Datum[] = [
    { K: 1 / s, eigenvalue: Math.min(...rows.map((r) => r.smallest), 0), series: `K = 1/s = ${r6(1 / s)}` },
    { K: 1 / s, eigenvalue: Math.max(...rows.map((r) => r.smallest), 0), series: `K = 1/s = ${r6(1 / s)}` },
  ];
  const o = { x: "K", y: "eigenvalue", color: "series", xTitle: "weight K", yTitle: "smallest off-fibre Hessian eigenvalue", colorTitle: "" };
  const refs = lineChart([...zero, ...threshold], { ...o, tooltip: false });
  refs.mark = { type: "line", color: "#9a9a9a", strokeDash: [4, 4], strokeWidth: 1 };
  const refEnc = refs.encoding as Record<string, unknown>;
  refEnc.detail = { field: "series", type: "nominal" };
  delete refEnc.color;
  const markerSpec = scatterChart(marker, { ...o, size: 220, opacity: 1, keep: ["Kslider"], tooltip: ["K", "eigenvalue"] });
  markerSpec.mark = { type: "point", shape: "diamond", filled: true, size: 220, color: "#d62728" };
  delete (markerSpec.encoding as Record<string, unknown>).color;
  const spec = layer(
    [refs, lineChart(theory, o), scatterChart(measured, { ...o, size: 30 }), markerSpec],
    { title: `T6 Example A (s = ${s}): the bad minimum appears at K = 1/s`, width: 420, height: 280 },
  );
  const mid = Ks[Math.floor(Ks.length / 2)];
  return widenLegend(withSlider(spec, { name: "K", field: "Kslider", min: Ks[0], max: Ks[Ks.length - 1], step, value: options.value ?? mid, label: "weight K", layers: [3] }));
}

/** One row of the profile data: `f_K(alpha) = min_rho l(rho w w^T)`, `w = (cos alpha, sin alpha)`. */
export type ProfileRow = { readonly alpha: number; readonly loss: number; readonly K: number };

/**
 * The 1-D profile of Example A (`exampleAProfile`) on a grid of `alpha in [0, pi/2]` for every `K` of `Ks` (T6), for
 * the slider chart.
 * @param nAlpha - number of alpha grid intervals (default 90).
 * @throws DomainError for bad `Ks`, `s` or `nAlpha`.
 */
export function exampleAProfileRows(Ks: readonly number[], s = 0.8, nAlpha = 90): ProfileRow[] {
  const list = checkPositiveList("exampleAProfileRows", "Ks", Ks);
  if (!Number.isInteger(nAlpha) || nAlpha < 2) throw new DomainError("exampleAProfileRows", `nAlpha must be an integer >= 2; got ${describe(nAlpha)}`);
  const alphas = Array.from({ length: nAlpha + 1 }, (_, k) => (k / nAlpha) * (Math.PI / 2));
  const rows: ProfileRow[] = [];
  for (const K of list) for (const p of exampleAProfile(K, s, alphas)) rows.push({ alpha: r6(p.alpha), loss: r6(p.loss), K });
  return rows;
}

/**
 * Local minima of a sampled profile (grid points below both neighbours; the endpoints `alpha = 0` and `pi/2` count
 * when below their one neighbour), per `K`.
 */
export function profileMinima(rows: readonly ProfileRow[]): ProfileRow[] {
  const byK = new Map<number, ProfileRow[]>();
  for (const r of rows) {
    const list = byK.get(r.K) ?? [];
    list.push(r);
    byK.set(r.K, list);
  }
  const out: ProfileRow[] = [];
  for (const list of byK.values()) {
    list.forEach((r, k) => {
      const left = k > 0 ? list[k - 1].loss : Infinity;
      const right = k < list.length - 1 ? list[k + 1].loss : Infinity;
      if (r.loss < left && r.loss < right) out.push(r);
    });
  }
  return out;
}

/**
 * The profile chart with a `K` slider (T6): `f_K(alpha)` over `alpha in [0, pi/2]` for the `K` chosen on the slider,
 * with its local minima marked. At `alpha = 0` sits the global minimum `e_1 e_1^T` (loss `s^2`), at `alpha = pi/2` the
 * candidate `s e_2 e_2^T` (loss 1): for `K` below `1/s` the profile slides down from it, above `1/s` it is a dip (a bad
 * minimum) behind a barrier.
 * @param rows - {@link exampleAProfileRows}; `Ks` must be uniformly spaced (the slider step).
 * @throws DomainError unless `rows` holds at least two K values.
 */
export function profileSliderChartSpec(rows: readonly ProfileRow[], options: { value?: number; s?: number } = {}): VegaLiteSpec {
  const Ks = Array.from(new Set(rows.map((r) => r.K))).sort((a, b) => a - b);
  if (Ks.length < 2) throw new DomainError("profileSliderChartSpec", `rows must hold at least two K values; got ${Ks.length}`);
  const step = r6((Ks[Ks.length - 1] - Ks[0]) / (Ks.length - 1));
  const s = options.s ?? 0.8;
  const o = { x: "alpha", y: "loss", xTitle: "angle α of w = (cos α, sin α)", yTitle: "profile min_ρ ℓ(ρ w wᵀ)" };
  const line = lineChart(rows, { ...o, keep: ["K"] });
  const minima = scatterChart(profileMinima(rows), { ...o, keep: ["K"], size: 120, tooltip: ["alpha", "loss", "K"] });
  minima.mark = { type: "point", filled: true, size: 120, color: "#d62728" };
  const spec = layer([line, minima], { title: `Example A profile (s = ${s}); red: local minima along the slice`, width: 420, height: 260 });
  return withSlider(spec, { name: "K", field: "K", min: Ks[0], max: Ks[Ks.length - 1], step, value: options.value ?? Ks[Math.floor(Ks.length / 2)], label: "weight K" });
}

/**
 * The profile at one `K` with the two minima and the barrier marked (T6: for K = 10, s = 0.8 minima 0.64 and 1.00,
 * barrier 1.4949 near alpha = 0.8537).
 * @param barrier - `exampleABarrier(K, s)`.
 */
export function profileChartSpec(K: number, s: number, barrier: { alpha: number; loss: number }, nAlpha = 180): VegaLiteSpec {
  const rows = exampleAProfileRows([K], s, nAlpha).map((r) => ({ alpha: r.alpha, loss: r.loss, curve: `K = ${K}` }));
  const iso = exampleAProfileRows([1], s, nAlpha).map((r) => ({ alpha: r.alpha, loss: r.loss, curve: "unweighted (Λ ≡ 1)" }));
  const ends = exampleAProfile(K, s, [0, Math.PI / 2]);
  const marks: Datum[] = [
    { alpha: 0, loss: r6(ends[0].loss), point: "global minimum e₁e₁ᵀ" },
    { alpha: r6(Math.PI / 2), loss: r6(ends[1].loss), point: "bad minimum s e₂e₂ᵀ" },
    { alpha: r6(barrier.alpha), loss: r6(barrier.loss), point: `barrier ${r6(barrier.loss)}` },
  ];
  const o = { x: "alpha", y: "loss", xTitle: "angle α of w = (cos α, sin α)", yTitle: "profile min_ρ ℓ(ρ w wᵀ)" };
  return widenLegend(
    layer(
      [lineChart([...rows, ...iso], { ...o, color: "curve", colorTitle: "weights" }), scatterChart(marks, { ...o, shape: "point", shapeTitle: "", size: 140, opacity: 1 })],
      { title: `Example A: two minima on the rank-one symmetric slice (K = ${K}, s = ${s})`, width: 420, height: 260 },
    ),
  );
}

/** One row of the verdict table of Example A. */
export type ExampleAVerdictRow = {
  readonly K: number;
  readonly Ks: number;
  /** From the closed form: "saddle" (`Ks < 1`), "degenerate (K s = 1)", "bad local minimum" (`Ks > 1`). */
  readonly predicted: string;
  readonly verdict: string;
  /** Parameter Hessian eigenvalues (descending). */
  readonly eigenvalues: string;
  /** Zero eigenvalues vs the fibre dimension (1). */
  readonly zero: number;
  readonly reason: string;
};

/**
 * Verdicts of `classifyCriticalPoint` at the candidate `s e_2 e_2^T` of Example A for several `K` (T6; tkb-digest
 * Hessian table: K = 1, 1.2 saddles; 1.25 degenerate; 1.3, 10 local minima), with the global value `s^2` given.
 * @returns rows and the full reports.
 */
export function exampleAVerdicts(Ks: readonly number[], s = 0.8): { rows: ExampleAVerdictRow[]; reports: CriticalPointReport[] } {
  const list = checkPositiveList("exampleAVerdicts", "Ks", Ks);
  return classifyCriticalPoints(
    list,
    (K) => {
      const A = exampleA(K, s);
      return { L: A.landscape, theta: A.points.candidate, options: { globalValue: s * s } };
    },
    (K, rep): ExampleAVerdictRow => {
      const Ksv = K * s;
      return {
        K,
        Ks: Ksv,
        predicted: Math.abs(Ksv - 1) <= 1e-12 ? "degenerate (K s = 1)" : Ksv < 1 ? "saddle" : "bad local minimum",
        verdict: rep.verdict,
        eigenvalues: (rep.hessianEigenvalues ?? []).map((x) => String(r6(Math.abs(x) < 1e-12 ? 0 : x))).join(", "),
        zero: inertiaCounts(rep).zero,
        reason: rep.reason,
      };
    },
  );
}

/** Result of {@link basinSurvey}. */
export type BasinSurvey = {
  readonly survey: SurveyResult;
  /** Runs ending at the global minimum (`|L - s^2| <= tol`) and at the bad minimum (`|L - 1| <= tol`). */
  readonly atGlobal: number;
  readonly atBad: number;
  /** Runs ending elsewhere. */
  readonly other: number;
  /** `atBad / runs`. */
  readonly badFraction: number;
  /** Histogram rows `{ loss, basin }`. */
  readonly rows: Datum[];
};

/**
 * Basin statistics of Example A (T6): seeded L-BFGS from `runs` random starts (scale 0.5) on d = (2,1,2); each
 * final value is assigned to the global minimum (`s^2`), the bad minimum (`1`) or "other".
 * @param options - `runs` (default 100), `seed` (default 0), `tol` (default 1e-6).
 */
export async function basinSurvey(K: number, s = 0.8, options: { runs?: number; seed?: number; tol?: number } = {}): Promise<BasinSurvey> {
  const A = exampleA(K, s);
  const tol = options.tol ?? 1e-6;
  const sv = await survey(A.landscape, { runs: options.runs ?? 100, seed: options.seed ?? 0, optimizer: "lbfgs", optimizerOptions: { gradTol: 1e-10 }, progress: false, label: `Example A, K = ${K}` });
  let atGlobal = 0;
  let atBad = 0;
  const rows: Datum[] = sv.runs.map((r) => {
    const basin = Math.abs(r.value - s * s) <= tol ? "global minimum" : Math.abs(r.value - 1) <= tol ? "bad minimum" : "other";
    if (basin === "global minimum") atGlobal++;
    else if (basin === "bad minimum") atBad++;
    return { loss: r6(r.value), basin };
  });
  const n = sv.runs.length;
  return { survey: sv, atGlobal, atBad, other: n - atGlobal - atBad, badFraction: n > 0 ? atBad / n : 0, rows };
}

/** Histogram of the final losses of a {@link basinSurvey}, coloured by basin. */
export function basinHistogramSpec(b: BasinSurvey, K: number): VegaLiteSpec {
  return histogram(b.rows, { field: "loss", color: "basin", step: 0.02, extent: [0.5, 1.2], xTitle: "final loss", yTitle: "runs", colorTitle: "", title: `Example A, K = ${K}: ${b.survey.completed} L-BFGS runs`, width: 400, height: 240 });
}

/** One point of the basin-fraction sweep. */
export type BasinFractionRow = { readonly K: number; readonly badFraction: number; readonly other: number };

/**
 * Fraction of random starts that end in the bad minimum, over `K` (T6): 0 below `K = 1/s` (the candidate is a
 * saddle), positive above.
 * @param options - `runs` per K (default 40), `seed` (default 0).
 */
export async function basinFractionSweep(Ks: readonly number[], s = 0.8, options: { runs?: number; seed?: number } = {}): Promise<BasinFractionRow[]> {
  const list = checkPositiveList("basinFractionSweep", "Ks", Ks);
  const out: BasinFractionRow[] = [];
  for (const K of list) {
    const b = await basinSurvey(K, s, { runs: options.runs ?? 40, seed: options.seed ?? 0, tol: 1e-5 });
    out.push({ K, badFraction: b.badFraction, other: b.other });
  }
  return out;
}

/** Line chart of {@link basinFractionSweep} with the threshold `K = 1/s`. */
export function basinFractionChartSpec(rows: readonly BasinFractionRow[], s = 0.8): VegaLiteSpec {
  const data: Datum[] = rows.map((r) => ({ K: r.K, fraction: r.badFraction }));
  const thr: Datum[] = [
    { K: 1 / s, fraction: 0, series: `K = 1/s = ${r6(1 / s)}` },
    { K: 1 / s, fraction: Math.max(0.05, ...rows.map((r) => r.badFraction)), series: `K = 1/s = ${r6(1 / s)}` },
  ];
  const o = { x: "K", y: "fraction", xTitle: "weight K (log scale)", yTitle: "fraction of runs in the bad basin", xScale: "log" as const };
  const thrSpec = lineChart(thr, { ...o, color: "series", tooltip: false });
  thrSpec.mark = { type: "line", color: "#9a9a9a", strokeDash: [4, 4] };
  delete (thrSpec.encoding as Record<string, unknown>).color;
  return layer([thrSpec, lineChart(data, { ...o, points: true })], { title: `Runs ending at s e₂e₂ᵀ vs K (dashed: K = 1/s = ${r6(1 / s)})`, width: 400, height: 240 });
}

/** One candidate of Example B with its verdict. */
export type ExampleBRow = {
  readonly I: string;
  readonly loss: number;
  readonly verdict: string;
  readonly negative: number;
  readonly zero: number;
  /** Survey runs that ended at this candidate's loss. */
  readonly runs: number;
};

/** Result of {@link exampleBStudy}. */
export type ExampleBStudy = {
  readonly example: ExampleB;
  readonly rows: ExampleBRow[];
  /** Candidates classified as minima (global or local). */
  readonly minima: number;
  readonly survey: SurveyResult;
  /** Survey runs whose final loss matches no candidate (relative 1e-6). */
  readonly unmatched: number;
  /** The best value known (smallest candidate loss and survey value): used as the global value. */
  readonly best: number;
};

/**
 * Example B (T6): `Q = diag(1, .9, .8, .7)`, weights 1 on the diagonal and 10 off it, d = (4, r, 4). Every diagonal
 * selection `sum_{k in I} sigma_k e_k e_k^T`, `|I| = r`, is classified (`classifyCriticalPoint`, global value = the best
 * value known, from candidates and survey), and a seeded L-BFGS survey counts where random starts end.
 * @param options - `runs` (default 60), `seed` (default 0).
 */
export async function exampleBStudy(r: number, options: { runs?: number; seed?: number } = {}): Promise<ExampleBStudy> {
  const B = exampleB(r);
  const sv = await survey(B.landscape, { runs: options.runs ?? 60, seed: options.seed ?? 0, optimizer: "lbfgs", optimizerOptions: { gradTol: 1e-10 }, progress: false, label: `Example B, r = ${r}` });
  const best = Math.min(...B.candidates.map((c) => c.loss), ...sv.runs.map((x) => x.value));
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  const { rows, reports } = classifyCriticalPoints(
    B.candidates,
    (c) => ({ L: B.landscape, theta: c.theta, options: { globalValue: best, perturbations: 50 } }),
    (c, rep): ExampleBRow => {
      const { negative, zero } = inertiaCounts(rep);
      return { I: c.I.length === 0 ? "∅" : `{${c.I.join(",")}}`, loss: c.loss, verdict: rep.verdict, negative, zero, runs: sv.runs.filter((x) => near(x.value, c.loss)).length };
    },
  );
  const minima = reports.filter((rep) => rep.verdict === "global minimum" || rep.verdict === "local minimum").length;
  const unmatched = sv.runs.filter((x) => !B.candidates.some((c) => near(x.value, c.loss))).length;
  return { example: B, rows, minima, survey: sv, unmatched, best };
}

/** Result of {@link fillingControl}. */
export type FillingControl = { readonly widths: Widths; readonly survey: SurveyResult; readonly maxLoss: number; readonly distinct: number };

/**
 * The filling control (T6 vs T4): the same weighted loss as Example A on d = (2,2,2), which can express `Q` itself:
 * a single minimum, every run ends at loss 0.
 * @param options - `runs` (default 60), `seed` (default 0).
 */
export async function fillingControl(K = 10, s = 0.8, options: { runs?: number; seed?: number } = {}): Promise<FillingControl> {
  const A = exampleA(K, s);
  const widths = [2, 2, 2];
  const L = landscape(new DeepLinearNetwork(widths), weightedSquareLoss(A.Lambda, A.Q));
  const sv = await survey(L, { runs: options.runs ?? 60, seed: options.seed ?? 0, optimizer: "lbfgs", optimizerOptions: { gradTol: 1e-10 }, progress: false, label: `filling control (2,2,2), K = ${K}` });
  return { widths, survey: sv, maxLoss: Math.max(...sv.runs.map((x) => x.value)), distinct: sv.clusters.length };
}
