/**
 * The named setups of the course with exact parameters: Ex-1, Ex-2 (D1, P4), the T5 table, Examples A and B
 * (T6), the A2 fibre-move and degenerate-saddle examples, the E-A1a/E-A1b data (A1) and the A4 towers
 * (statements and sources on the theory page, docs/theory.md).
 *
 * Each builder returns the widths, the loss (a `Loss` from `src/losses`), a `Landscape`, named parameter points,
 * and `stated`: the numbers the theory page states (with their source), which notebooks and tests compare
 * against computed values. Examples A and B are constructions of this course, not the paper's own examples;
 * E-A1a/E-A1b/A4 use this library's seeded generator, so their data (not their statements) differ from other
 * implementations' random draws.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { rng } from "../core/random";
import { diag, eye, matrix, mmulChain, transpose, zeros } from "../core/matrix";
import { Landscape, landscape } from "../landscape/landscape";
import type { Loss } from "../losses/loss";
import { SquareLoss, SquareLossData, WeightedSquareLoss, squareLoss, squareLossData, weightedSquareLoss } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { MultiTowerNetwork, multiTower } from "../networks/multiTower";
import { Widths } from "../networks/widths";
import { CriticalImageSet, MatrixSquareProblem, DataSquareProblem, balancedPoint, criticalImages, dataProblem, matrixProblem } from "./closedForms";
import { subsets } from "./gaussianBinomial";

function m11(x: number): Matrix {
  return matrix([[x]]);
}

/** Ex-1 (docs/theory.md#ex-1): `d = (1,1,1)`, `l(w) = (w - 1)^2`, `L(a, b) = (ab - 1)^2` with `W_1 = a`, `W_2 = b`. */
export interface Ex1 {
  readonly label: "Ex-1";
  readonly widths: Widths;
  readonly problem: MatrixSquareProblem;
  readonly loss: SquareLoss;
  readonly landscape: Landscape;
  /** `origin = (0, 0)`: spurious saddle; `sameFibre = (a, b) = (1, 0)`: same image 0, not critical; `minimum = (1, 1)`, `minimumOther = (-1, -1)`: the two components of `ab = 1`. */
  readonly points: { origin: Matrix[]; sameFibre: Matrix[]; minimum: Matrix[]; minimumOther: Matrix[] };
  /** A point of the hyperbola of minima, `(a, 1/a)`, `a != 0`. */
  minimumAt(a: number): Matrix[];
  readonly stated: { originHessianEigenvalues: number[]; sameFibreGradB: number; originLoss: number; minimaComponents: number; source: string };
}

/**
 * Ex-1 (D1, P4; our construction, docs/theory.md#ex-1): `d = (1,1,1)`, `l(w) = (w - 1)^2`. `(0,0)` is a spurious saddle with
 * Hessian eigenvalues ±2; `(1,0)` lies in the same fibre and is not critical (`dL/db = -2`); minima `ab = 1`, 2 components.
 */
export function ex1(): Ex1 {
  const widths = [1, 1, 1];
  const loss = squareLoss([[1]]);
  return {
    label: "Ex-1",
    widths,
    problem: matrixProblem([[1]]),
    loss,
    landscape: landscape(new DeepLinearNetwork(widths), loss),
    points: { origin: [m11(0), m11(0)], sameFibre: [m11(1), m11(0)], minimum: [m11(1), m11(1)], minimumOther: [m11(-1), m11(-1)] },
    minimumAt(a: number): Matrix[] {
      if (!Number.isFinite(a) || a === 0) throw new DomainError("ex1.minimumAt", `a must be a finite nonzero number; got ${describe(a)}`);
      return [m11(a), m11(1 / a)];
    },
    stated: { originHessianEigenvalues: [-2, 2], sameFibreGradB: -2, originLoss: 1, minimaComponents: 2, source: "docs/theory.md#ex-1: hand derivation" },
  };
}

/** Ex-2 (docs/theory.md#ex-2): `d = (2,2,2)`, `Q = diag(2,1)`, `l(W) = ||W - Q||^2`. */
export interface Ex2 {
  readonly label: "Ex-2";
  readonly widths: Widths;
  readonly problem: MatrixSquareProblem;
  readonly loss: SquareLoss;
  readonly landscape: Landscape;
  /** `theta2 = (diag(√2,0), diag(√2,0))` spurious critical; `theta3 = (diag(√2,0), [[√2,0],[0,1]])` same product, not critical. */
  readonly points: { theta2: Matrix[]; theta3: Matrix[] };
  /** `theta2` moved by `eps E_22` in both layers; loss change `-2 eps^2 + eps^4`. */
  escape(eps: number): Matrix[];
  readonly stated: { theta2Product: number[][]; theta3GradientNorm: number; escapeLossChange: (eps: number) => number; source: string };
}

/**
 * Ex-2 (D1, P4; our construction, docs/theory.md#ex-2): `theta2` is a spurious critical point (a saddle, escape
 * `-2e^2 + e^4`); `theta3` has the same product `diag(2, 0)` but gradient norm 2.
 */
export function ex2(): Ex2 {
  const widths = [2, 2, 2];
  const Q = diag([2, 1]);
  const loss = squareLoss(Q);
  const r2 = Math.SQRT2;
  return {
    label: "Ex-2",
    widths,
    problem: matrixProblem(Q),
    loss,
    landscape: landscape(new DeepLinearNetwork(widths), loss),
    points: { theta2: [diag([r2, 0]), diag([r2, 0])], theta3: [diag([r2, 0]), matrix([[r2, 0], [0, 1]])] },
    escape(eps: number): Matrix[] {
      if (!Number.isFinite(eps)) throw new DomainError("ex2.escape", `eps must be finite; got ${describe(eps)}`);
      return [diag([r2, eps]), diag([r2, eps])];
    },
    stated: { theta2Product: [[2, 0], [0, 0]], theta3GradientNorm: 2, escapeLossChange: (e: number) => -2 * e * e + e ** 4, source: "docs/theory.md#ex-2: hand derivation" },
  };
}

/** One row of the T5 reference table (d = (4,2,4); values derived by hand in docs/theory.md#t5). */
export interface T5Row {
  readonly I: number[];
  readonly kind: "pure" | "spurious";
  readonly loss: number;
  readonly negative: number;
  readonly zero: number;
  readonly index: number | null;
}

/** The T5 setup: `Q = U diag(4,3,2,1) V^T`, widths (4,2,4) and (4,2,3,4). */
export interface T5Table {
  readonly label: "T5";
  readonly seed: number;
  readonly Q: Matrix;
  readonly U: Matrix;
  readonly V: Matrix;
  readonly problem: MatrixSquareProblem;
  readonly loss: SquareLoss;
  readonly shallow: { widths: Widths; landscape: Landscape; images: CriticalImageSet };
  readonly deep: { widths: Widths; landscape: Landscape; images: CriticalImageSet };
  /**
   * Third-order escape from the spurious point `I = {1}` on (4,2,3,4) (a reconstruction, docs/theory.md#t5): with the balanced
   * point, `z_1 = e_2 ∈ ker W_2 ∩ Col(W_1)^⊥`, `z_2 = e_2 ∈ ker W_3 ∩ Col(W_2)^⊥`, `dW_1 = eps z_1 v_2^T`,
   * `dW_2 = eps z_2 z_1^T`, `dW_3 = eps u_2 z_2^T`; `mu` changes by exactly `eps^3 u_2 v_2^T`, loss by `-6 eps^3 + eps^6`.
   */
  thirdOrderCurve(eps: number): Matrix[];
  readonly stated: {
    shallowRows: T5Row[];
    deepPureZero: number;
    deepSpurious: { I: number[]; negative: number; /** null where the derivation does not state it. */ zero: number | null }[];
    thirdOrderLossChange: (eps: number) => number;
    source: string;
  };
}

/**
 * T5 table (T5, docs/theory.md#t5; the table is derived by hand, not taken from the paper): `Q = U diag(4,3,2,1) V^T` with seeded Haar-random
 * orthogonal `U`, `V` (`U = rng(seed).orthogonal(4)`, then `V` from the same stream); widths (4,2,4): 11 critical
 * images with losses 5..30; widths (4,2,3,4): spurious points can be degenerate saddles.
 * @throws DomainError for a non-integer seed.
 */
export function t5Table(seed = 1): T5Table {
  const g = rng(seed);
  const U = g.orthogonal(4);
  const V = g.orthogonal(4);
  const sig = [4, 3, 2, 1];
  const Q = mmulChain([U, diag(sig), transpose(V)]);
  const loss = squareLoss(Q);
  const problem = matrixProblem(Q);
  const shallowW = [4, 2, 4];
  const deepW = [4, 2, 3, 4];
  const shallowRows: T5Row[] = [
    { I: [], kind: "spurious", loss: 30, negative: 8, zero: 0, index: null },
    { I: [1], kind: "spurious", loss: 14, negative: 3, zero: 3, index: null },
    { I: [2], kind: "spurious", loss: 21, negative: 4, zero: 3, index: null },
    { I: [3], kind: "spurious", loss: 26, negative: 5, zero: 3, index: null },
    { I: [4], kind: "spurious", loss: 29, negative: 6, zero: 3, index: null },
    { I: [1, 2], kind: "pure", loss: 5, negative: 0, zero: 4, index: 0 },
    { I: [1, 3], kind: "pure", loss: 10, negative: 1, zero: 4, index: 1 },
    { I: [1, 4], kind: "pure", loss: 13, negative: 2, zero: 4, index: 2 },
    { I: [2, 3], kind: "pure", loss: 17, negative: 2, zero: 4, index: 2 },
    { I: [2, 4], kind: "pure", loss: 20, negative: 3, zero: 4, index: 3 },
    { I: [3, 4], kind: "pure", loss: 25, negative: 4, zero: 4, index: 4 },
  ];
  const col = (M: Matrix, k: number): number[] => M.getColumn(k);
  return {
    label: "T5",
    seed,
    Q,
    U,
    V,
    problem,
    loss,
    shallow: { widths: shallowW, landscape: landscape(new DeepLinearNetwork(shallowW), loss), images: criticalImages(problem, shallowW) },
    deep: { widths: deepW, landscape: landscape(new DeepLinearNetwork(deepW), loss), images: criticalImages(problem, deepW) },
    thirdOrderCurve(eps: number): Matrix[] {
      if (!Number.isFinite(eps)) throw new DomainError("t5Table.thirdOrderCurve", `eps must be finite; got ${describe(eps)}`);
      const theta = balancedPoint(problem, deepW, [1]);
      // the balanced point realises I = {1} in the first hidden coordinate, so z_1 = e_2 (R^2), z_2 = e_2 (R^3);
      // u_2, v_2 are taken from the SVD used by balancedPoint (sign-consistent with it).
      const img = criticalImages(problem, deepW, { realise: false });
      const u2 = col(img.spectrum.U, 1);
      const v2 = col(img.spectrum.B, 1);
      const W1 = theta[0].clone() as Matrix;
      for (let j = 0; j < 4; j++) W1.set(1, j, W1.get(1, j) + eps * v2[j]);
      const W2 = theta[1].clone() as Matrix;
      W2.set(1, 1, W2.get(1, 1) + eps);
      const W3 = theta[2].clone() as Matrix;
      for (let i = 0; i < 4; i++) W3.set(i, 1, W3.get(i, 1) + eps * u2[i]);
      return [W1, W2, W3];
    },
    stated: {
      shallowRows,
      deepPureZero: 14,
      deepSpurious: [
        { I: [], negative: 0, zero: 26 },
        { I: [1], negative: 0, zero: 19 },
        { I: [2], negative: 1, zero: null },
        { I: [3], negative: 2, zero: null },
        { I: [4], negative: 3, zero: null },
      ],
      thirdOrderLossChange: (e: number) => -6 * e ** 3 + e ** 6,
      source: "docs/theory.md#t5: hand derivation (zero = null: not stated)",
    },
  };
}

/** A deep linear network of `widths` with a loss `l` on matrix space and its landscape `L = l ∘ mu` (G1, T1). */
export interface NetworkSetup<Lo extends Loss> {
  readonly widths: Widths;
  readonly loss: Lo;
  readonly landscape: Landscape;
}

/** Builds a {@link NetworkSetup}. @throws as {@link DeepLinearNetwork} and {@link landscape} for bad widths or shapes. */
function networkSetup<Lo extends Loss>(widths: Widths, loss: Lo): NetworkSetup<Lo> {
  return { widths, loss, landscape: landscape(new DeepLinearNetwork(widths), loss) };
}

/** A weighted-square-loss setup of T6 (Examples A and B): `l(W) = sum Lambda_ij (W_ij - Q_ij)^2`. */
export interface WeightedSetup extends NetworkSetup<WeightedSquareLoss> {
  /** Weights `Lambda` (`d_h × d_0`, entries `>= 0`). */
  readonly Lambda: Matrix;
  /** Target `Q` (`d_h × d_0`). */
  readonly Q: Matrix;
}

/** Builds a {@link WeightedSetup}. @throws as {@link weightedSquareLoss} and {@link DeepLinearNetwork}. */
function weightedSetup(widths: Widths, Lambda: Matrix, Q: Matrix): WeightedSetup {
  return { Lambda, Q, ...networkSetup(widths, weightedSquareLoss(Lambda, Q)) };
}

/** Example A (T6): `d = (2,1,2)`, `Lambda = [[1,K],[K,1]]`, `Q = diag(1, s)`. */
export interface ExampleA extends WeightedSetup {
  readonly label: "T6 Example A";
  readonly K: number;
  readonly s: number;
  /** `global = (e_1^T, e_1)` (W = e_1 e_1^T, loss s^2); `candidate = (√s e_2^T, √s e_2)` (W = s e_2 e_2^T, loss 1); `origin`. */
  readonly points: { global: Matrix[]; candidate: Matrix[]; origin: Matrix[] };
  /** `K s > 1`: `s e_2 e_2^T` is a (bad) local minimum (hand derivation, docs/theory.md#t6); `K s = 1` is a degenerate saddle. */
  readonly badMinimumPredicted: boolean;
  readonly stated: {
    globalLoss: number;
    candidateLoss: number;
    threshold: number;
    /** Parameter Hessian eigenvalues at the candidate for s = 0.8: `0, 4s, 2(Ks ∓ 1)` (hand derivation). */
    hessianSweep: { K: number; eigenvalues: number[]; type: string }[];
    /** For K = 10, s = 0.8: barrier of the symmetric rank-one profile, exactly `148/99` at `alpha = arcsin(√46 / 9)` (hand derivation). */
    barrier: { K: number; s: number; loss: number; alpha: number; W: number[][] };
    source: string;
  };
}

function checkKs(fn: string, K: number, s: number): void {
  if (!Number.isFinite(K) || K <= 0) throw new DomainError(fn, `K must be a finite number > 0; got ${describe(K)}`);
  if (!Number.isFinite(s) || s <= 0 || s >= 1) throw new DomainError(fn, `s must be in (0, 1); got ${describe(s)}`);
}

/**
 * Example A (T6; a construction of this course, not the paper's own example, docs/theory.md#t6): weighted square loss `sum Lambda_ij (W_ij - Q_ij)^2`
 * on d = (2,1,2), `Lambda = [[1,K],[K,1]]`, `Q = diag(1,s)`: global minimum `e_1 e_1^T` (loss `s^2`), and `s e_2 e_2^T`
 * (loss 1) a bad local minimum iff `K s > 1`.
 * @throws DomainError unless `K > 0` and `0 < s < 1`.
 */
export function exampleA(K = 10, s = 0.8): ExampleA {
  checkKs("exampleA", K, s);
  const rs = Math.sqrt(s);
  return {
    label: "T6 Example A",
    K,
    s,
    ...weightedSetup([2, 1, 2], matrix([[1, K], [K, 1]]), diag([1, s])),
    points: {
      global: [matrix([[1, 0]]), matrix([[1], [0]])],
      candidate: [matrix([[0, rs]]), matrix([[0], [rs]])],
      origin: [zeros(1, 2), zeros(2, 1)],
    },
    badMinimumPredicted: K * s > 1,
    stated: {
      globalLoss: s * s,
      candidateLoss: 1,
      threshold: 1 / s,
      hessianSweep: [
        { K: 1.0, eigenvalues: [-0.4, 0, 3.2, 3.6], type: "saddle" },
        { K: 1.2, eigenvalues: [-0.08, 0, 3.2, 3.92], type: "saddle" },
        { K: 1.25, eigenvalues: [0, 0, 3.2, 4], type: "degenerate (K s = 1)" },
        { K: 1.3, eigenvalues: [0, 0.08, 3.2, 4.08], type: "local min" },
        { K: 10, eigenvalues: [0, 3.2, 14, 18], type: "local min" },
      ],
      barrier: { K: 10, s: 0.8, loss: 148 / 99, alpha: Math.asin(Math.sqrt(46) / 9), W: [[0.0707, 0.0811], [0.0811, 0.093]] },
      source: "docs/theory.md#t6: Example A, hand derivation (hessianSweep for s = 0.8)",
    },
  };
}

/** One point of the Example A profile. */
export interface ProfilePoint {
  readonly alpha: number;
  /** Optimal scale `rho = (sum Lambda Q ∘ ww^T) / (sum Lambda (ww^T)^2)`. */
  readonly rho: number;
  /** `min_rho l(rho w w^T)`. */
  readonly loss: number;
}

/**
 * 1-D profile of Example A over symmetric rank-one `W = rho w w^T`, `w = (cos alpha, sin alpha)`, with `rho` optimal
 * in closed form: `f(alpha) = sum Lambda Q^2 - a^2 / b`, `a = sum_ij Lambda_ij Q_ij w_i w_j`, `b = sum_ij Lambda_ij w_i^2 w_j^2`
 * (T6: for K = 10, s = 0.8, `f(0) = 0.64`, `f(pi/2) = 1`, barrier exactly `148/99` at `alpha = arcsin(√46 / 9) = 0.853510`).
 * @throws DomainError for bad K, s, or non-finite alphas.
 */
export function exampleAProfile(K: number, s: number, alphas: readonly number[]): ProfilePoint[] {
  checkKs("exampleAProfile", K, s);
  if (!Array.isArray(alphas)) throw new DomainError("exampleAProfile", `alphas must be an array of numbers; got ${describe(alphas)}`);
  const L = [[1, K], [K, 1]];
  const Qd = [[1, 0], [0, s]];
  let c = 0;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) c += L[i][j] * Qd[i][j] ** 2;
  return alphas.map((alpha, k) => {
    if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new DomainError("exampleAProfile", `alphas[${k}] must be finite; got ${describe(alpha)}`);
    const w = [Math.cos(alpha), Math.sin(alpha)];
    let a = 0;
    let b = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        a += L[i][j] * Qd[i][j] * w[i] * w[j];
        b += L[i][j] * (w[i] * w[j]) ** 2;
      }
    }
    return { alpha, rho: a / b, loss: c - (a * a) / b };
  });
}

/**
 * Barrier of the T6 Example A profile between the two minima (`148/99 = 1.494949…` at angle 0.853510 for K = 10, s = 0.8):
 * the maximum of {@link exampleAProfile} over
 * `alpha in [0, pi/2]` (grid of 2001 points, then golden-section refinement), and the matrix `W = rho w w^T` there.
 */
export function exampleABarrier(K = 10, s = 0.8): { alpha: number; loss: number; W: Matrix } {
  checkKs("exampleABarrier", K, s);
  const n = 2000;
  const grid = Array.from({ length: n + 1 }, (_, k) => (k / n) * (Math.PI / 2));
  const prof = exampleAProfile(K, s, grid);
  let best = 0;
  prof.forEach((p, k) => {
    if (p.loss > prof[best].loss) best = k;
  });
  let lo = grid[Math.max(0, best - 1)];
  let hi = grid[Math.min(n, best + 1)];
  const f = (x: number): number => exampleAProfile(K, s, [x])[0].loss;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const x1 = hi - gr * (hi - lo);
    const x2 = lo + gr * (hi - lo);
    if (f(x1) > f(x2)) hi = x2;
    else lo = x1;
  }
  const alpha = 0.5 * (lo + hi);
  const p = exampleAProfile(K, s, [alpha])[0];
  const w = [Math.cos(alpha), Math.sin(alpha)];
  const W = matrix([[p.rho * w[0] * w[0], p.rho * w[0] * w[1]], [p.rho * w[1] * w[0], p.rho * w[1] * w[1]]]);
  return { alpha, loss: p.loss, W };
}

/** A candidate point of Example B: `W = sum_{k in I} sigma_k e_k e_k^T`. */
export interface ExampleBCandidate {
  readonly I: number[];
  /** `W` (4×4). */
  readonly W: Matrix;
  /** Balanced parameters `[W_1, W_2]`: rows `sqrt(sigma_k) e_k^T`, columns `sqrt(sigma_k) e_k`. */
  readonly theta: Matrix[];
  /** `sum_{j not in I} sigma_j^2` (off-diagonal residuals are 0). */
  readonly loss: number;
}

/** Example B (T6): `Q = diag(1, .9, .8, .7)`, weights 1 on the diagonal and 10 off it, `d = (4, r, 4)`. */
export interface ExampleB extends WeightedSetup {
  readonly label: "T6 Example B";
  readonly r: number;
  readonly candidates: ExampleBCandidate[];
  readonly stated: { /** null where not stated (r = 3). */ localMinima: number | null; losses: number[]; zeroEigenvalues: number; source: string };
}

/**
 * Example B (T6; a construction of this course, not the paper's own example, docs/theory.md#t6): every diagonal selection `sigma_k e_k e_k^T` (`|I| = r`)
 * is a local minimum: 4 at r = 1 (losses 1.94/2.13/2.30/2.45), 6 at r = 2 (1.13..1.81), each with `r^2` zero Hessian
 * eigenvalues; r = 1 rule: local min iff `K sigma_k > max_{j != k} sigma_j`.
 * @throws DomainError unless r is 1 or 2 (the stated cases; 3 also builds, with no stated numbers).
 */
export function exampleB(r: number): ExampleB {
  if (!Number.isInteger(r) || r < 1 || r > 3) throw new DomainError("exampleB", `r must be 1, 2 or 3; got ${describe(r)}`);
  const sig = [1, 0.9, 0.8, 0.7];
  const Q = diag(sig);
  const Lambda = new Matrix(4, 4).fill(10);
  for (let k = 0; k < 4; k++) Lambda.set(k, k, 1);
  const candidates = subsets(4, r).map((I) => {
    const W = zeros(4, 4);
    const W1 = zeros(r, 4);
    const W2 = zeros(4, r);
    I.forEach((k, a) => {
      W.set(k - 1, k - 1, sig[k - 1]);
      W1.set(a, k - 1, Math.sqrt(sig[k - 1]));
      W2.set(k - 1, a, Math.sqrt(sig[k - 1]));
    });
    let l = 0;
    sig.forEach((x, j) => {
      if (!I.includes(j + 1)) l += x * x;
    });
    return { I, W, theta: [W1, W2], loss: l };
  });
  const stated =
    r === 1
      ? { localMinima: 4, losses: [1.94, 2.13, 2.3, 2.45], zeroEigenvalues: 1 }
      : r === 2
        ? { localMinima: 6, losses: [1.13, 1.3, 1.45, 1.49, 1.64, 1.81], zeroEigenvalues: 4 }
        : { localMinima: null, losses: [], zeroEigenvalues: 9 };
  return {
    label: "T6 Example B",
    r,
    ...weightedSetup([4, r, 4], Lambda, Q),
    candidates,
    stated: { ...stated, source: "docs/theory.md#t6: Example B (r = 3: localMinima not stated, null)" },
  };
}

/**
 * A data-form square-loss setup (A1, A2): `l(W) = ½ ||W X - Y||_F^2` on a deep linear network of `widths`, the same
 * problem for the closed forms (`criticalImages`, `balancedPoint`), and the landscape `L = l ∘ mu`.
 */
export interface DataSquareSetup extends NetworkSetup<SquareLossData> {
  readonly problem: DataSquareProblem;
}

/** Builds a {@link DataSquareSetup}. @throws as {@link squareLossData} and {@link DeepLinearNetwork}. */
function dataSquareSetup(widths: Widths, X: Matrix, Y: Matrix): DataSquareSetup {
  return { problem: dataProblem(X, Y), ...networkSetup(widths, squareLossData(X, Y)) };
}

/** The A2 fibre-move example (E-A2a, docs/theory.md#a2). */
export interface A2FibreExample extends DataSquareSetup {
  readonly label: "A2 fibre move";
  /** `theta = (W_1, W_2) = (diag(0,1), diag(1,0))`, product 0. */
  readonly theta: Matrix[];
  /** `W_2 -> W_2 + x e_1^T` keeps the product (since `e_1^T W_1 = 0`) but breaks criticality. */
  fibreMove(x: readonly [number, number]): Matrix[];
  /** `W_2 = [[1,0],[delta,0]]`, `W_1 = [[eps,0],[0,1]]`: loss `½ (eps^2 + (delta eps - 1)^2)`. */
  descent(delta: number, eps: number): Matrix[];
  readonly stated: {
    loss: number;
    hessianEigenvalues: number[];
    fibreMoveGradW1: number[];
    descentValues: { delta: number; eps: number; loss: number }[];
    source: string;
  };
}

/**
 * A2 fibre-move example (A2, E-A2a; a reconstruction, docs/theory.md#a2): `d = (2,2,2)`, `l(M) = ½ ||M - Y||^2`
 * (X = I), `Y = e_2 e_1^T`, `W_2 = diag(1,0)`, `W_1 = diag(0,1)`: critical, loss 0.5, `grad l = -Y != 0`; Hessian
 * eigenvalues `{(1±√5)/2 twice, 0×3, 2}`; the fibre move `W_2 + (0, 0.1)^T e_1^T` gives `dL/dW_1 = (-0.1, 0, 0, 0)`.
 */
export function a2FibreExample(): A2FibreExample {
  const phi = (1 + Math.sqrt(5)) / 2;
  const psi = (1 - Math.sqrt(5)) / 2;
  return {
    label: "A2 fibre move",
    ...dataSquareSetup([2, 2, 2], eye(2), matrix([[0, 0], [1, 0]])),
    theta: [diag([0, 1]), diag([1, 0])],
    fibreMove(x: readonly [number, number]): Matrix[] {
      if (!Array.isArray(x) || x.length !== 2 || !x.every(Number.isFinite)) throw new DomainError("a2FibreExample.fibreMove", `x must be two finite numbers; got ${describe(x)}`);
      return [diag([0, 1]), matrix([[1 + x[0], 0], [x[1], 0]])];
    },
    descent(delta: number, eps: number): Matrix[] {
      if (!Number.isFinite(delta) || !Number.isFinite(eps)) throw new DomainError("a2FibreExample.descent", `delta and eps must be finite; got ${describe(delta)}, ${describe(eps)}`);
      return [matrix([[eps, 0], [0, 1]]), matrix([[1, 0], [delta, 0]])];
    },
    stated: {
      loss: 0.5,
      hessianEigenvalues: [psi, psi, 0, 0, 0, phi, phi, 2],
      fibreMoveGradW1: [-0.1, 0, 0, 0],
      descentValues: [
        { delta: 0.1, eps: 0.01, loss: 0.4990505 },
        { delta: 0.05, eps: 0.001, loss: 0.4999505 },
      ],
      source: "docs/theory.md#a2: E-A2a",
    },
  };
}

/** The A2 degenerate-saddle example (E-A2b, docs/theory.md#a2). */
export interface A2DegenerateExample extends DataSquareSetup {
  readonly label: "A2 degenerate saddle";
  readonly origin: Matrix[];
  /** `W_1 = t e_1^T`, `W_2 = t`, `W_3 = t e_1`: loss `2.5 - 2t^3 + t^6/2`. */
  curve(t: number): Matrix[];
  /** Balanced critical points `S = {1}` (loss 0.5, global) and `S = {2}` (loss 2.0, strict saddle). */
  readonly points: { s1: Matrix[]; s2: Matrix[] };
  readonly stated: {
    originLoss: number;
    curveLoss: (t: number) => number;
    curveAt02: number;
    s1: { loss: number; eigenvalues: number[] };
    s2: { loss: number; eigenvalues: number[] };
    shallowOrigin: { widths: number[]; eigenvalues: number[] };
    source: string;
  };
}

/**
 * A2 degenerate saddle (A2, T5 depth >= 3; E-A2b, docs/theory.md#a2): `d = (2,1,1,2)`, `X = I_2`,
 * `Y = diag(2,1)`, `l = ½ ||M - Y||^2`; the origin has loss 2.5 and Hessian ≡ 0, and the loss along the cubic curve
 * is `2.5 - 2t^3 + t^6/2` (2.484032 at t = 0.2).
 */
export function a2DegenerateExample(): A2DegenerateExample {
  const setup = dataSquareSetup([2, 1, 1, 2], eye(2), diag([2, 1]));
  const { widths, problem } = setup;
  const c = Math.cbrt(2);
  return {
    label: "A2 degenerate saddle",
    ...setup,
    origin: [zeros(1, 2), zeros(1, 1), zeros(2, 1)],
    curve(t: number): Matrix[] {
      if (!Number.isFinite(t)) throw new DomainError("a2DegenerateExample.curve", `t must be finite; got ${describe(t)}`);
      return [matrix([[t, 0]]), m11(t), matrix([[t], [0]])];
    },
    points: { s1: balancedPoint(problem, widths, [1]), s2: balancedPoint(problem, widths, [2]) },
    stated: {
      originLoss: 2.5,
      curveLoss: (t: number) => 2.5 - 2 * t ** 3 + t ** 6 / 2,
      curveAt02: 2.484032,
      s1: { loss: 0.5, eigenvalues: [0, 0, c, 3 * c, 6 * c] },
      s2: { loss: 2.0, eigenvalues: [-1, 0, 0, 3, 3] },
      shallowOrigin: { widths: [2, 1, 2], eigenvalues: [-2, -1, 1, 2] },
      source: "docs/theory.md#a2: E-A2b",
    },
  };
}

/** E-A1a data (A1, quadratic loss). */
export interface EA1a extends DataSquareSetup {
  readonly label: "E-A1a";
  readonly X: Matrix;
  readonly Y: Matrix;
  /** All critical images (7 for m = 3, r = 2), from the closed forms. */
  readonly images: CriticalImageSet;
  /** `½ (tr YY^T - lambda_1 - lambda_2)`, computed from the data. */
  readonly predictedGlobal: number;
  /** Sorted distinct critical values. */
  readonly criticalValues: number[];
  readonly stated: { finalValue: string; rank: number; source: string };
}

/**
 * E-A1a (A1, docs/theory.md#a1): square loss on widths (4,3,2,3,3), `m = 8` samples, `X`, `Y` i.i.d.
 * N(0,1) from `rng(seed)` (X first); every local minimum has value `½ (tr YY^T - lambda_1 - lambda_2)`.
 */
export function eA1a(seed = 1): EA1a {
  const g = rng(seed);
  const X = g.gaussian(4, 8);
  const Y = g.gaussian(3, 8);
  const setup = dataSquareSetup([4, 3, 2, 3, 3], X, Y);
  const images = criticalImages(setup.problem, setup.widths);
  const lam = images.values;
  let trYY = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 8; j++) trYY += Y.get(i, j) ** 2;
  return {
    label: "E-A1a",
    ...setup,
    X,
    Y,
    images,
    predictedGlobal: 0.5 * (trYY - lam[0] - lam[1]),
    criticalValues: images.images.map((im) => im.loss).sort((a, b) => a - b),
    stated: { finalValue: "½ (tr YY^T - lambda_1 - lambda_2)", rank: 2, source: "docs/theory.md#a1: E-A1a" },
  };
}

/** E-A1b (A1 with a convex loss whose two-layer net has spurious minima). */
export interface EA1b {
  readonly label: "E-A1b";
  readonly Lambda: Matrix;
  readonly Q: Matrix;
  readonly loss: WeightedSquareLoss;
  /** (2,1,2), (2,2,1,2), (2,3,1,3,2): final values only 1 and 4; control (2,2,2): only 0. */
  readonly architectures: { widths: Widths; landscape: Landscape; values: number[] }[];
  /** Rank-one points on (2,1,2): `global` (a = b = √2 e_1), `spurious` (a = b = e_2), `origin`. */
  readonly points: { global: Matrix[]; spurious: Matrix[]; origin: Matrix[] };
  readonly stated: { global: { loss: number; eigenvalues: number[] }; spurious: { loss: number; eigenvalues: number[] }; origin: { loss: number; eigenvalues: number[] }; source: string };
}

/**
 * E-A1b (A1, docs/theory.md#a1): `l(M) = (M11-2)^2 + 3 M12^2 + 3 M21^2 + (M22-1)^2` (weights
 * `[[1,3],[3,1]]`, target `diag(2,1)`, no ½). Non-filling architectures end only at values 1 and 4; (2,2,2) only at 0.
 */
export function eA1b(): EA1b {
  const Lambda = matrix([[1, 3], [3, 1]]);
  const Q = diag([2, 1]);
  const loss = weightedSquareLoss(Lambda, Q);
  const arch: [number[], number[]][] = [
    [[2, 1, 2], [1, 4]],
    [[2, 2, 1, 2], [1, 4]],
    [[2, 3, 1, 3, 2], [1, 4]],
    [[2, 2, 2], [0]],
  ];
  const r2 = Math.SQRT2;
  return {
    label: "E-A1b",
    Lambda,
    Q,
    loss,
    architectures: arch.map(([widths, values]) => ({ widths, landscape: landscape(new DeepLinearNetwork(widths), loss), values })),
    points: {
      global: [matrix([[r2, 0]]), matrix([[r2], [0]])],
      spurious: [matrix([[0, 1]]), matrix([[0], [1]])],
      origin: [zeros(1, 2), zeros(2, 1)],
    },
    stated: {
      global: { loss: 1, eigenvalues: [0, 8, 10, 14] },
      spurious: { loss: 4, eigenvalues: [0, 2, 4, 10] },
      origin: { loss: 5, eigenvalues: [-4, -2, 2, 4] },
      source: "docs/theory.md#a1: E-A1b table",
    },
  };
}

/** A4 towers data. */
export interface A4Towers {
  readonly label: "A4";
  /** Towers (4,1,4) + (4,3,1,2,4) on seeded data (`d0 = dy = 4`, 10 samples): value `½ (tr YY^T - lambda_1 - lambda_2)`. */
  readonly random: { towers: Widths[]; X: Matrix; Y: Matrix; network: MultiTowerNetwork; loss: SquareLossData; landscape: Landscape; predictedGlobal: number };
  /** Two (2,1,2) towers on `X = I`, `Y = diag(2,1)`: filling, value 0. */
  readonly filling: { towers: Widths[]; X: Matrix; Y: Matrix; network: MultiTowerNetwork; loss: SquareLossData; landscape: Landscape; predictedGlobal: number };
  readonly source: string;
}

/**
 * A4 towers (A4, a reconstruction, docs/theory.md#a4): summed outputs of linear towers, rank budget = sum of tower
 * bottlenecks. `random`: (4,1,4) + (4,3,1,2,4), `X` (4×10) then `Y` (4×10) i.i.d. N(0,1) from `rng(seed)`;
 * `filling`: two (2,1,2) towers on `Y = diag(2,1)`, global value 0.
 */
export function a4Towers(seed = 4): A4Towers {
  const g = rng(seed);
  const X = g.gaussian(4, 10);
  const Y = g.gaussian(4, 10);
  const towers = [[4, 1, 4], [4, 3, 1, 2, 4]];
  const net = multiTower(towers);
  const loss = squareLossData(X, Y);
  const img = criticalImages(dataProblem(X, Y), [4, 2, 4], { realise: false });
  let trYY = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 10; j++) trYY += Y.get(i, j) ** 2;
  const fTowers = [[2, 1, 2], [2, 1, 2]];
  const fNet = multiTower(fTowers);
  const fLoss = squareLossData(eye(2), diag([2, 1]));
  return {
    label: "A4",
    random: { towers, X, Y, network: net, loss, landscape: landscape(net, loss), predictedGlobal: 0.5 * (trYY - img.values[0] - img.values[1]) },
    filling: { towers: fTowers, X: eye(2), Y: diag([2, 1]), network: fNet, loss: fLoss, landscape: landscape(fNet, fLoss), predictedGlobal: 0 },
    source: "docs/theory.md#a4",
  };
}
