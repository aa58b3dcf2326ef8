/**
 * Chapter 02 of the course, "Pure and spurious critical points" (D1, P1–P5, Ex-1, Ex-2; TKB): the loops, tables
 * and chart specs the notebook needs, kept out of notebook cells (tslab runs top-level loops about 370× slower than
 * library code). Every function only combines library calls: the named examples (`ex1`, `ex2`, `exampleA`), the
 * closed forms (`criticalImages`), the purity and verdict modules (`classifyPurity`, `classifyCriticalPoint`), the
 * derivative checks (`checkGradient`, `taylorSlope`) and the chart builders of `plots/`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { symEig } from "../core/linalg";
import { diag, frobNorm, matrix, mmul } from "../core/matrix";
import { rng } from "../core/random";
import { criticalImages, matrixProblem } from "../critical/closedForms";
import { logLogSlope } from "../core/fit";
import { ex1, ex2, exampleA } from "../critical/examples";
import { NetLoss, classifyPurity } from "../critical/purity";
import { CriticalPointReport, classifyCriticalPoint } from "../critical/verdict";
import { checkGradient, taylorSlope } from "../landscape/check";
import { Landscape, landscape } from "../landscape/landscape";
import { pseudoHuberLoss } from "../losses/robust";
import { squareLoss, weightedSquareLoss } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { Widths, weightShapes } from "../networks/widths";
import { Grid, linspace, sampleGrid } from "../plots/grid";
import { heatmap } from "../plots/heatmap";
import { Datum, VegaLiteSpec } from "../plots/spec";
import { theoryVsMeasured } from "../plots/theory";
import { archLabel } from "./ch01";

function m11(x: number): Matrix {
  return matrix([[x]]);
}

function blocksNorm(B: readonly Matrix[]): number {
  return Math.sqrt(B.reduce((s, M) => s + frobNorm(M) ** 2, 0));
}

/**
 * Ex-1 landscape on a grid: `L(a, b) = (ab - 1)^2` (d = (1,1,1), `l(w) = (w - 1)^2`), evaluated through the library's
 * `Landscape` of `ex1()` at every grid point `(a, b) in [-extent, extent]^2`.
 * @throws DomainError for `n < 2` or a non-positive extent.
 */
export function ex1Grid(n = 61, extent = 2.5): Grid {
  if (!(typeof extent === "number" && extent > 0 && Number.isFinite(extent))) throw new DomainError("ex1Grid", `extent must be a positive number; got ${describe(extent)}`);
  const L = ex1().landscape;
  const xs = linspace(-extent, extent, n);
  return sampleGrid((a, b) => L.value([m11(a), m11(b)]), xs, xs);
}

/**
 * Chart spec (Ex-1, D1): heatmap of `L(a, b) = (ab - 1)^2` with level lines, the two branches of the hyperbola of minima
 * `ab = 1` (red), the spurious saddle `(0, 0)`, the non-critical point `(1, 0)` of the same fibre and two minima marked.
 * @param grid - from {@link ex1Grid}.
 */
export function ex1HeatmapSpec(grid: Grid): VegaLiteSpec {
  const ext = grid.x[grid.x.length - 1];
  const spec = heatmap(grid, {
    xTitle: "a (= W_1)", yTitle: "b (= W_2)", zTitle: "L(a, b) (cut at 4)", scheme: "viridis", zDomain: [0, 4],
    levels: [0.05, 0.25, 0.5, 1, 2, 3], levelColor: "white",
    points: [
      { x: 0, y: 0, label: "" },
      { x: 1, y: 0, label: "(1,0): not critical" },
      { x: 1, y: 1, label: "minimum" },
      { x: -1, y: -1, label: "minimum" },
    ],
    title: "Ex-1: L(a, b) = (ab − 1)²; minima on the two branches of ab = 1 (red)", width: 400, height: 400,
  });
  // the heatmap's own axis domains (cell edges), reused verbatim so that the layers share one scale
  const rectEnc = (spec.layer as VegaLiteSpec[])[0].encoding as Record<string, { scale: { domain: [number, number] } }>;
  const dom = (k: "x" | "y"): [number, number] => rectEnc[k].scale.domain;
  const branch: Datum[] = [];
  for (const sgn of [1, -1]) {
    for (const a of linspace(1 / ext, ext, 60)) branch.push({ x: sgn * a, y: sgn / a, branch: sgn > 0 ? "a, b > 0" : "a, b < 0" });
  }
  const line: { data: VegaLiteSpec; mark: VegaLiteSpec; encoding: { x: VegaLiteSpec; y: VegaLiteSpec; detail: VegaLiteSpec } } = {
    data: { values: branch },
    mark: { type: "line", color: "#ff4040", strokeWidth: 2.5, clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: "a (= W_1)", scale: { domain: dom("x"), nice: false, zero: false } },
      y: { field: "y", type: "quantitative", title: "b (= W_2)", scale: { domain: dom("y"), nice: false, zero: false } },
      detail: { field: "branch", type: "nominal" },
    },
  };
  const originLabel: VegaLiteSpec = {
    data: { values: [{ x: 0, y: 0, label: "spurious saddle (0,0)" }] },
    mark: { type: "text", align: "right", baseline: "bottom", dx: -6, dy: -4, color: "white", fontSize: 11 },
    encoding: { x: { ...line.encoding.x }, y: { ...line.encoding.y }, text: { field: "label", type: "nominal" } },
  };
  const layers = (spec.layer as VegaLiteSpec[]).map((l, k) => {
    if (k !== 0) return l;
    // values above the colour domain get the top colour (clamp), not a blank cell
    const enc = l.encoding as VegaLiteSpec;
    const color = enc.color as VegaLiteSpec;
    return { ...l, encoding: { ...enc, color: { ...color, scale: { ...(color.scale as VegaLiteSpec), clamp: true } } } };
  });
  layers.splice(2, 0, line);
  layers.push(originLabel);
  return { ...spec, layer: layers };
}

/** Numbers of Ex-1 measured by the library (D1, P1, P4). */
export interface Ex1Study {
  /** `||grad L(0,0)||`, `L(0,0)`, sorted Hessian eigenvalues at the origin. */
  readonly originGradient: number;
  readonly originValue: number;
  readonly originHessian: number[];
  /** `l'(mu(0,0)) = l'(0) = -2`: the function-space gradient at the image of the origin. */
  readonly originLossGradient: number;
  /** `grad L(1, 0) = (dL/da, dL/db)`. */
  readonly sameFibreGradient: [number, number];
  /** Purity statuses (D1) of the origin, `(1,0)` and `(1,1)`. */
  readonly status: { origin: string; sameFibre: string; minimum: string };
  /** Hessian eigenvalues at the minimum `(1,1)` (one zero: the fibre direction). */
  readonly minimumHessian: number[];
}

/** Ex-1 (TKB digest §2 [CONSTR]): gradient and Hessian at the origin, the point `(1, 0)`, the minimum `(1, 1)`. */
export function ex1Study(): Ex1Study {
  const E = ex1();
  const L = E.landscape;
  const eig = (th: Matrix[]): number[] => symEig(L.hessian(th)).values.slice().sort((x, y) => x - y);
  const g = L.gradient(E.points.sameFibre);
  return {
    originGradient: blocksNorm(L.gradient(E.points.origin)),
    originValue: L.value(E.points.origin),
    originHessian: eig(E.points.origin),
    originLossGradient: E.loss.gradient(m11(0)).get(0, 0),
    sameFibreGradient: [g[0].get(0, 0), g[1].get(0, 0)],
    status: {
      origin: classifyPurity(L, E.points.origin).status,
      sameFibre: classifyPurity(L, E.points.sameFibre).status,
      minimum: classifyPurity(L, E.points.minimum).status,
    },
    minimumHessian: eig(E.points.minimum),
  };
}

/** One measured point of the Ex-2 escape. */
export type Ex2EscapeRow = {
  readonly eps: number;
  /** Measured `L(theta2(eps)) - L(theta2)`. */
  readonly deltaL: number;
  /** `-2 eps^2 + eps^4`. */
  readonly predicted: number;
};

/** Numbers of Ex-2 (D1, P4): `theta2` spurious, `theta3` not critical, the escape from `theta2`. */
export interface Ex2Study {
  readonly theta2Product: number[][];
  readonly theta3Product: number[][];
  /** `grad l(mu(theta2)) = 2 (diag(2,0) - Q) = diag(0, -2)`. */
  readonly lossGradientAtImage: number[][];
  readonly theta2GradientNorm: number;
  readonly theta3GradientNorm: number;
  readonly status: { theta2: string; theta3: string };
  /** The escape `W_1, W_2 -> W + eps E_22`. */
  readonly escape: Ex2EscapeRow[];
  /** Fitted log-log slope of `|Delta L|` over `eps <= 0.01` (2 predicted). */
  readonly slope: number;
}

/**
 * Ex-2 (TKB digest §2 [CONSTR, NUM]): d = (2,2,2), `Q = diag(2,1)`, `theta2`, `theta3` and the escape `-2 eps^2 + eps^4`.
 * @throws DomainError unless `eps` holds at least two positive numbers.
 */
export function ex2Study(eps: readonly number[] = [0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001]): Ex2Study {
  if (!Array.isArray(eps) || eps.length < 2 || !eps.every((e) => typeof e === "number" && e > 0 && Number.isFinite(e))) {
    throw new DomainError("ex2Study", `eps must be an array of at least two positive numbers; got ${describe(eps)}`);
  }
  const E = ex2();
  const L = E.landscape;
  const { theta2, theta3 } = E.points;
  const L0 = L.value(theta2);
  const escape = eps.map((e) => ({ eps: e, deltaL: L.value(E.escape(e)) - L0, predicted: E.stated.escapeLossChange(e) }));
  const small = escape.filter((r) => r.eps <= 0.01);
  return {
    theta2Product: L.net.mu(theta2).to2DArray(),
    theta3Product: L.net.mu(theta3).to2DArray(),
    lossGradientAtImage: E.loss.gradient(L.net.mu(theta2)).to2DArray(),
    theta2GradientNorm: blocksNorm(L.gradient(theta2)),
    theta3GradientNorm: blocksNorm(L.gradient(theta3)),
    status: { theta2: classifyPurity(L, theta2).status, theta3: classifyPurity(L, theta3).status },
    escape,
    slope: logLogSlope(small.map((r) => r.eps), small.map((r) => r.deltaL)),
  };
}

/**
 * Chart spec (Ex-2): `|Delta L|` against `eps` on log-log axes, measured (points) and the prediction `2 eps^2 - eps^4`
 * (line): slope 2, a second-order escape from the spurious saddle `theta2`.
 * @throws DomainError unless `rows` holds at least two escape points.
 */
export function ex2EscapeSpec(rows: readonly Ex2EscapeRow[]): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length < 2) throw new DomainError("ex2EscapeSpec", `rows must hold at least two escape points; got ${describe(rows)}`);
  const xTitle = "ε (move W_1, W_2 by ε E₂₂)";
  const yTitle = "loss decrease |ΔL|";
  return theoryVsMeasured({
    theory: rows.map((r) => ({ eps: r.eps, dl: -r.predicted })), measured: rows.map((r) => ({ eps: r.eps, dl: Math.abs(r.deltaL) })),
    x: "eps", y: "dl", xScale: "log", yScale: "log", xTitle, yTitle,
    theoryLabel: "predicted 2ε² − ε⁴", measuredLabel: "measured |ΔL|", colorTitle: "",
    title: "Ex-2: escaping the spurious saddle θ₂ (slope 2 on log-log axes)", width: 420, height: 280,
  });
}

/** One row of {@link p1Checks}: the chain-rule gradient against finite differences (P1). */
export type P1Row = {
  readonly architecture: string;
  readonly loss: string;
  /** Relative error of the gradient against Richardson central differences. */
  readonly relError: number;
  /** First-order Taylor slope (2 when the gradient is right). */
  readonly taylorSlope: number;
};

/** Result of {@link p1Checks}: the table and the Taylor errors of the first case (for the chart). */
export interface P1Checks {
  readonly rows: P1Row[];
  readonly taylor: { h: number; error: number }[];
}

/**
 * P1 (chain rule): `grad L(theta) = dmu(theta)^T[grad l(mu(theta))]`, i.e. `dL/dW_i = W_{>i}^T G W_{<i}^T`, checked at
 * seeded random points of four (architecture, loss) pairs against central differences (`checkGradient`) and by the
 * first-order Taylor slope (`taylorSlope`, about 2).
 */
export function p1Checks(seed = 8): P1Checks {
  const R = rng(seed);
  const cases: Array<{ widths: Widths; name: string; L: Landscape }> = [
    { widths: [3, 2, 4], name: "‖W − Q‖²", L: landscape(new DeepLinearNetwork([3, 2, 4]), squareLoss(R.gaussian(4, 3))) },
    { widths: [2, 3, 3, 2], name: "pseudo-Huber", L: landscape(new DeepLinearNetwork([2, 3, 3, 2]), pseudoHuberLoss(R.gaussian(2, 2), 0.5)) },
    {
      widths: [4, 2, 3, 4], name: "weighted square",
      L: landscape(new DeepLinearNetwork([4, 2, 3, 4]), weightedSquareLoss(R.gaussian(4, 4).abs().add(0.5) as Matrix, R.gaussian(4, 4))),
    },
    { widths: [2, 2, 2], name: "Ex-2: ‖W − diag(2,1)‖²", L: ex2().landscape },
  ];
  let taylor: { h: number; error: number }[] = [];
  const rows = cases.map(({ widths, name, L }, k) => {
    const x = L.pack(weightShapes(widths).map(([m, n]) => R.gaussian(m, n)));
    const v = Float64Array.from({ length: x.length }, () => R.normal());
    const f = (y: Float64Array): number => L.valueFlat(y);
    const g = (y: Float64Array): Float64Array => L.gradientFlat(y);
    const chk = checkGradient(f, g, x);
    const t = taylorSlope(f, g, x, v);
    if (k === 0) taylor = t.hs.map((h, i) => ({ h, error: t.errors[i] }));
    return { architecture: archLabel(widths), loss: name, relError: chk.relError, taylorSlope: t.slope };
  });
  return { rows, taylor };
}

/**
 * Chart spec (P1): Taylor error `|L(x + h v) - L(x) - h <grad L, v>|` against `h`, log-log, with a slope-2 reference.
 * @throws DomainError unless `points` holds at least two (h, error) pairs.
 */
export function taylorSpec(points: readonly { h: number; error: number }[]): VegaLiteSpec {
  if (!Array.isArray(points) || points.length < 2) throw new DomainError("taylorSpec", `points must hold at least two (h, error) pairs; got ${describe(points)}`);
  const h0 = points[points.length - 1];
  const xTitle = "step h";
  const yTitle = "|L(θ + hv) − L(θ) − h⟨∇L, v⟩|";
  return theoryVsMeasured({
    theory: points.map((p) => ({ h: p.h, e: (h0.error * p.h * p.h) / (h0.h * h0.h) })), measured: points.map((p) => ({ h: p.h, e: p.error })),
    x: "h", y: "e", xScale: "log", yScale: "log", xTitle, yTitle,
    title: "P1: the chain-rule gradient passes the Taylor test (dashed: slope 2)", width: 400, height: 260,
  });
}

/** One critical point of {@link purityCatalogue} with its classification (D1, P2, P3). */
export type PurityRow = {
  readonly source: string;
  readonly point: string;
  readonly status: string;
  readonly rankMu: number;
  readonly r: number;
  readonly rankDMu: number;
  readonly dimM: number;
  readonly maximalRankDMu: boolean;
  readonly gradientNorm: number;
  readonly lossGradientNorm: number;
};

/**
 * A catalogue of critical points for P2 and P3: every balanced critical point of `||W - Q||^2`, `Q = diag(3, 2, 1)`, on
 * the non-filling (3,2,3) and (3,2,2,3) and the filling (3,3,3) (closed forms, T5), plus Ex-1's origin and Ex-2's `theta2`.
 * Each is classified by `classifyPurity` (D1), with the rank of `dmu` against `dim M` (P2: maximal ⇒ pure; P3: spurious
 * ⇒ not maximal).
 */
export function purityCatalogue(): PurityRow[] {
  const Q = diag([3, 2, 1]);
  const rows: PurityRow[] = [];
  const add = (source: string, point: string, L: NetLoss, theta: readonly Matrix[]): void => {
    const p = classifyPurity(L, theta);
    rows.push({
      source, point, status: p.status, rankMu: p.rank, r: p.r, rankDMu: p.rankDMu, dimM: p.spaceDimension,
      maximalRankDMu: p.maximalRankDMu, gradientNorm: p.gradientNorm, lossGradientNorm: p.lossGradientNorm,
    });
  };
  for (const widths of [[3, 2, 3], [3, 2, 2, 3], [3, 3, 3]]) {
    const L = landscape(new DeepLinearNetwork(widths), squareLoss(Q));
    for (const im of criticalImages(matrixProblem(Q), widths).images) {
      add(`‖W − diag(3,2,1)‖² on ${archLabel(widths)}`, `W_I, I = {${im.I.join(",")}}`, L, im.theta as Matrix[]);
    }
  }
  const E1 = ex1();
  add("Ex-1", "(a, b) = (0, 0)", E1.landscape, E1.points.origin);
  const E2 = ex2();
  add("Ex-2", "θ₂", E2.landscape, E2.points.theta2);
  return rows;
}

/** Result of {@link fibreCriticality} (P4). */
export interface FibreCriticality {
  /** `||grad L||` at `theta2` and `theta3` (same product `diag(2, 0)`). */
  readonly theta2GradientNorm: number;
  readonly theta3GradientNorm: number;
  /** Largest `||grad L||` over `gauges` points `(g W_1, W_2 g^{-1})` of the fibre of the pure global minimum of Ex-2. */
  readonly pureFibreMaxGradient: number;
  /** Largest `||mu(theta') - mu(theta)||` over those points (they are in the same fibre). */
  readonly pureFibreMaxProductChange: number;
  /** Largest `||grad L||` over the gauge orbit `(g W_1, W_2 g^{-1})` of `theta2` (gauge moves preserve criticality). */
  readonly spuriousOrbitMaxGradient: number;
  readonly gauges: number;
}

/**
 * P4 (purity depends on theta, not only on `mu(theta)`): in Ex-2, `theta2` is critical and `theta3`, with the same
 * product, is not. By contrast, over the pure critical point `Q = diag(2, 1)` (rank r, `dmu` surjective on the whole
 * fibre) every point `(g W_1, W_2 g^{-1})` of the fibre is critical. (The GL_2 orbit of `theta2` is critical too —
 * gauge moves preserve criticality — but `theta3` is not on that orbit: the fibre over a rank-deficient point is larger
 * than one orbit.)
 */
export function fibreCriticality(gauges = 12, seed = 10): FibreCriticality {
  const E = ex2();
  const L = E.landscape;
  const R = rng(seed);
  const r2 = Math.SQRT2;
  const pure = [diag([r2, 1]), diag([r2, 1])];
  const W = L.net.mu(pure);
  let maxG = 0;
  let maxChange = 0;
  let maxOrbit = 0;
  for (let k = 0; k < gauges; k++) {
    let g = R.gaussian(2, 2);
    const det = g.get(0, 0) * g.get(1, 1) - g.get(0, 1) * g.get(1, 0);
    if (Math.abs(det) < 0.2) g = g.add(diag([1, 1])) as Matrix;
    const gi = inverse2(g);
    const th = [mmul(g, pure[0]), mmul(pure[1], gi)];
    maxG = Math.max(maxG, blocksNorm(L.gradient(th)));
    maxChange = Math.max(maxChange, frobNorm(L.net.mu(th).sub(W)));
    const orbit = [mmul(g, E.points.theta2[0]), mmul(E.points.theta2[1], gi)];
    maxOrbit = Math.max(maxOrbit, blocksNorm(L.gradient(orbit)));
  }
  return {
    theta2GradientNorm: blocksNorm(L.gradient(E.points.theta2)),
    theta3GradientNorm: blocksNorm(L.gradient(E.points.theta3)),
    pureFibreMaxGradient: maxG,
    pureFibreMaxProductChange: maxChange,
    spuriousOrbitMaxGradient: maxOrbit,
    gauges,
  };
}

function inverse2(g: Matrix): Matrix {
  const det = g.get(0, 0) * g.get(1, 1) - g.get(0, 1) * g.get(1, 0);
  if (det === 0) throw new DomainError("inverse2", "g must be invertible; got det 0");
  return matrix([[g.get(1, 1) / det, -g.get(0, 1) / det], [-g.get(1, 0) / det, g.get(0, 0) / det]]);
}

/** One row of {@link verdictTable02}: a named point with the verdict module's report. */
export type VerdictRow = {
  readonly example: string;
  readonly point: string;
  readonly verdict: string;
  readonly status: string;
  readonly value: number;
  readonly gradientNorm: number;
  readonly rank: string;
  readonly rankDMu: string;
  readonly inertia: string;
  readonly evidence: string;
};

/** Result of {@link verdictTable02}: the rows and the full reports (same order). */
export interface VerdictTable02 {
  readonly rows: VerdictRow[];
  readonly reports: CriticalPointReport[];
  /** Keys (`"ex1.origin"`, ...) in row order. */
  readonly keys: string[];
}

/**
 * The verdict module (`classifyCriticalPoint`) on the chapter's points (D1, P5, Ex-1, Ex-2): Ex-1 origin, `(1, 0)`,
 * `(1, 1)`; Ex-2 `theta2`, `theta3`, the global minimum; the pure saddle `W_{1,3}` of `||W - diag(3,2,1)||^2` on (3,2,3);
 * T6 Example A (K = 10, s = 0.8) at the bad local minimum `s e_2 e_2^T` and at another point of its fibre.
 * @throws DomainError (internal) if the T5 enumeration lacks the image I = {1,3}; never for valid library state.
 */
export function verdictTable02(): VerdictTable02 {
  const E1 = ex1();
  const E2 = ex2();
  const Q = diag([3, 2, 1]);
  const L323 = landscape(new DeepLinearNetwork([3, 2, 3]), squareLoss(Q));
  const saddle = criticalImages(matrixProblem(Q), [3, 2, 3]).images.find((im) => im.I.join(",") === "1,3");
  if (!saddle || !saddle.theta) throw new DomainError("verdictTable02", "internal: W_{1,3} not found");
  const A = exampleA(10, 0.8);
  const c = A.points.candidate;
  const moved = [c[0].clone().mul(2) as Matrix, c[1].clone().mul(0.5) as Matrix];
  const r2 = Math.SQRT2;
  const items: Array<[string, string, string, NetLoss, Matrix[]]> = [
    ["ex1.origin", "Ex-1", "(0, 0)", E1.landscape, E1.points.origin],
    ["ex1.sameFibre", "Ex-1", "(1, 0)", E1.landscape, E1.points.sameFibre],
    ["ex1.minimum", "Ex-1", "(1, 1)", E1.landscape, E1.points.minimum],
    ["ex2.theta2", "Ex-2", "θ₂", E2.landscape, E2.points.theta2],
    ["ex2.theta3", "Ex-2", "θ₃", E2.landscape, E2.points.theta3],
    ["ex2.global", "Ex-2", "(diag(√2,1), diag(√2,1))", E2.landscape, [diag([r2, 1]), diag([r2, 1])]],
    ["t5.saddle", "‖W − diag(3,2,1)‖², (3,2,3)", "W_{1,3} balanced", L323, saddle.theta],
    ["A.bad", "T6 Example A, K = 10", "(√s e₂ᵀ, √s e₂)", A.landscape, c],
    ["A.badMoved", "T6 Example A, K = 10", "(2√s e₂ᵀ, √s e₂ / 2)", A.landscape, moved],
  ];
  // Example A: the global value s^2 (the minimum e_1 e_1^T, tkb-digest §4 T6) is passed, so a minimum above it is "local"
  const reports = items.map(([key, , , L, th]) =>
    classifyCriticalPoint(L, th, key.startsWith("A.") ? { perturbations: 100, globalValue: A.stated.globalLoss } : { perturbations: 100 }));
  const rows = reports.map((rep, k) => {
    const p = rep.purity;
    const i = rep.inertia;
    const e = rep.escape;
    return {
      example: items[k][1],
      point: items[k][2],
      verdict: rep.verdict,
      status: p.status,
      value: rep.value,
      gradientNorm: p.gradientNorm,
      rank: `${p.rank} / ${p.r}`,
      rankDMu: `${p.rankDMu} / ${p.spaceDimension}`,
      inertia: i ? `${i.negative} / ${i.zero} / ${i.positive}` : "—",
      evidence: e
        ? `${e.kind}, slope ${e.slope.toFixed(2)}`
        : rep.perturbation
          ? `${rep.perturbation.decreases} of ${rep.perturbation.count} perturbations decrease L`
          : "—",
    };
  });
  return { rows, reports, keys: items.map((it) => it[0]) };
}
