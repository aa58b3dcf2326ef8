/**
 * Escape curves from critical points: the evidence behind a saddle verdict (THEOREMS.md "Classifying a
 * critical point"; T5 item 5, A2).
 *
 * - {@link negativeCurvatureEscape}: along a Hessian eigenvector `v` with eigenvalue `lambda < 0`,
 *   `L(theta + eps v) - L(theta) ≈ lambda eps^2 / 2` (strict saddle).
 * - {@link chainEscape}: TKB's higher-order escape through kernels (tkb-digest §4 T5 item 5), generalised to
 *   any depth and any rank-deficient point of a deep linear network: rank-one moves on a run of layers
 *   `p..q` chained through `z_j in ker W_{j+1} ∩ Col(W_j)^perp` change `mu` by exactly
 *   `eps^k W_{>q} b a^T W_{<p}` (`k = q - p + 1`), and `b, a` from the top singular pair of
 *   `-W_{>q}^T G W_{<p}^T` make the loss fall like `-sigma eps^k`.
 * - {@link fibreMoveEscape}: Zhang's Lemma A2 argument: a product-preserving move `W_i -> W_i + t x y^T`
 *   (`y ⊥ Col(W_{<i})`) or `W_i -> W_i + t z w^T` (`z in ker W_{>i}`) keeps `L` but can break criticality;
 *   a gradient step from the moved point then descends.
 * - {@link reducedKernelEscape}: for any network, the reduced function
 *   `phi(eps) = min_{w in E_+} L(theta + eps v + w)` along Hessian-kernel directions `v` (a Lyapunov–Schmidt
 *   reduction; `E_+` = span of the positive eigenvectors), solved by a few Newton steps.
 * - {@link perturbationCheck}: seeded random perturbations of a given size; none may decrease the loss.
 *
 * Every escape reports `Delta L` at several `eps` and the fitted log-log slope (≈ the order `k`).
 * @module
 */
import { checkOptions } from "../core/options";
import { Matrix } from "ml-matrix";
import { DegenerateError, DomainError, describe } from "../core/errors";
import { blockSize, cloneBlocks, packBlocks, unpackBlocks } from "../core/blocks";
import { logLogSlope } from "../core/fit";
import { EPS, orthComplement, svd } from "../core/linalg";
import { mmul, transpose } from "../core/matrix";
import { Rng, rng as makeRng } from "../core/random";
import { DeepLinearNetwork, partialProducts } from "../networks/deepLinear";
import type { Parameterization } from "../networks/parameterization";
import type { NetLoss } from "./netLoss";
import { blocksNorm, netLossArg, tolOption } from "./verdictInternals";

/** One measured point of an escape curve. */
export interface EscapePoint {
  /** Curve parameter. */
  eps: number;
  /** `||theta(eps) - theta||` (Frobenius over all blocks). */
  distance: number;
  /** Measured `L(theta(eps)) - L(theta)`. */
  deltaL: number;
  /** Predicted leading term (e.g. `lambda eps^2 / 2` or `-sigma eps^k`), when there is one. */
  predicted: number | null;
}

/** A descent curve `eps -> theta(eps)` from a critical point, with measurements. */
export interface EscapeCurve {
  /** Which construction produced it. */
  kind: "negative curvature" | "kernel chain" | "fibre move" | "reduced kernel search";
  /** Predicted order `k` (`Delta L ≈ -c eps^k`), or null when only measured. */
  order: number | null;
  /** Predicted coefficient `c > 0` of `Delta L ≈ -c eps^k`, when known. */
  rate: number | null;
  /** Fitted slope of `log |Delta L|` against `log eps` over the measured points (NaN when `Delta L` vanishes: no slope). */
  slope: number;
  /** True when every measured `Delta L < -lossTol`. */
  descends: boolean;
  /** The measurements. */
  points: EscapePoint[];
  /** Words: how the curve is built. */
  description: string;
  /** The point `theta(eps)` on the curve (new matrices). */
  at(eps: number): Matrix[];
}

/** Default curve parameters: `0.1 * 2^-k`, `k = 0..5` (the escape curves behind the saddle verdicts of T5 and A2). */
export const DEFAULT_ESCAPE_EPS: readonly number[] = [0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125];


function valueOf(nl: NetLoss, theta: readonly Matrix[]): number {
  return nl.loss.value(nl.net.mu(theta));
}

function addBlocks(theta: readonly Matrix[], D: readonly Matrix[], s: number): Matrix[] {
  return theta.map((W, k) => {
    const out = new Matrix(W.rows, W.columns);
    for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) out.set(i, j, W.get(i, j) + s * D[k].get(i, j));
    return out;
  });
}

function distance(a: readonly Matrix[], b: readonly Matrix[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) for (let i = 0; i < a[k].rows; i++) for (let j = 0; j < a[k].columns; j++) s += (a[k].get(i, j) - b[k].get(i, j)) ** 2;
  return Math.sqrt(s);
}

function epsList(fn: string, eps: readonly number[] | undefined): number[] {
  const e = eps ?? DEFAULT_ESCAPE_EPS;
  if (!Array.isArray(e) || e.length < 2 || !e.every((x) => typeof x === "number" && Number.isFinite(x) && x > 0)) {
    throw new DomainError(fn, `eps must be an array of at least two positive finite numbers; got ${describe(eps)}`);
  }
  return e.slice();
}

function measure(
  nl: NetLoss,
  theta: readonly Matrix[],
  at: (eps: number) => Matrix[],
  eps: readonly number[],
  predicted: (eps: number) => number | null,
  lossTol: number,
): { points: EscapePoint[]; slope: number; descends: boolean } {
  const L0 = valueOf(nl, theta);
  const points = eps.map((e) => {
    const th = at(e);
    return { eps: e, distance: distance(th, theta), deltaL: valueOf(nl, th) - L0, predicted: predicted(e) };
  });
  return {
    points,
    slope: slopeOrNaN(points.map((p) => p.eps), points.map((p) => p.deltaL)),
    descends: points.every((p) => p.deltaL < -lossTol),
  };
}

/** The fitted order, or NaN when `Delta L` vanishes at all but one `eps` (reported as "no slope" in `slope`). */
function slopeOrNaN(eps: number[], deltaL: number[]): number {
  try {
    return logLogSlope(eps, deltaL);
  } catch (e) {
    if (e instanceof DegenerateError && e.kind === "no-slope") return NaN;
    throw e;
  }
}

/** Common options of the escape constructions. */
export interface EscapeOptions {
  /** Curve parameters at which `Delta L` is measured (default {@link DEFAULT_ESCAPE_EPS}). */
  eps?: readonly number[];
  /** A decrease counts only below `-lossTol` (default `1e-12 * max(1, |L(theta)|)`). */
  lossTol?: number;
}

function lossTolOf(fn: string, nl: NetLoss, theta: readonly Matrix[], o: EscapeOptions): number {
  return tolOption(fn, "options.lossTol", o.lossTol, 1e-12 * Math.max(1, Math.abs(valueOf(nl, theta))));
}

/**
 * Strict-saddle evidence: the straight line `theta + eps v` along a unit Hessian eigenvector `v` with
 * eigenvalue `lambda < 0`; `Delta L ≈ lambda eps^2 / 2` (second-order Taylor), slope ≈ 2: the evidence for a
 * strict-saddle verdict (Ex-1, T5, B4).
 * @param v - unit direction in pack order (length `paramCount`). @param lambda - its eigenvalue.
 * @throws DomainError / ShapeError for bad arguments.
 */
export function negativeCurvatureEscape(L: NetLoss, theta: readonly Matrix[], v: ArrayLike<number>, lambda: number, options: EscapeOptions = {}): EscapeCurve {
  const fn = "negativeCurvatureEscape";
  checkOptions(fn, options, ["eps", "lossTol"]);
  const nl = netLossArg(fn, L);
  const D = unpackBlocks(nl.net.paramShapes, v, fn);
  const nv = blocksNorm(D);
  if (!(nv > 0)) throw new DomainError(fn, `v must be nonzero; got norm ${nv}`);
  const Dn = D.map((B) => B.clone().div(nv) as Matrix);
  if (typeof lambda !== "number" || !Number.isFinite(lambda)) throw new DomainError(fn, `lambda must be a finite number; got ${describe(lambda)}`);
  const th0 = cloneBlocks(theta);
  const at = (e: number): Matrix[] => addBlocks(th0, Dn, e);
  const m = measure(nl, th0, at, epsList(fn, options.eps), (e) => 0.5 * lambda * e * e, lossTolOf(fn, nl, th0, options));
  return {
    kind: "negative curvature",
    order: 2,
    rate: -0.5 * lambda,
    ...m,
    description: `straight line theta + eps v along the Hessian eigenvector of eigenvalue ${lambda.toPrecision(4)}: Delta L ≈ lambda eps^2 / 2`,
    at,
  };
}

function deepWidths(net: Parameterization): readonly number[] | null {
  return net instanceof DeepLinearNetwork ? net.widths : null;
}

/**
 * Higher-order escape through kernels for a deep linear network (TKB third-order escape, generalised).
 * For `1 <= p < q <= h` with nonzero `Z_j = ker W_{j+1} ∩ Col(W_j)^perp` for `j = p..q-1`, pick unit
 * `z_j in Z_j` and move
 * `dW_p = eps z_p a^T`, `dW_j = eps z_j z_{j-1}^T` (`p < j < q`), `dW_q = eps b z_{q-1}^T`.
 * Every mixed term of the product vanishes (`W_{j+1} z_j = 0`, `z_j^T W_j = 0`), so
 * `mu(theta(eps)) = mu(theta) + eps^k W_{>q} b a^T W_{<p}` exactly, `k = q - p + 1`, and
 * `Delta L = -sigma eps^k + O(eps^{2k})` with `sigma = sigma_max(W_{>q}^T G W_{<p}^T)`, `(−b, a)` its top
 * singular pair, `G = grad l(mu(theta))`. Returns the curve of smallest order `k >= 2` with `sigma > rateTol`
 * (largest `sigma` among equal orders), or null when none exists (or the network is not deep linear).
 * Example: d = (4,2,3,4), `W_I` with I = {1}, `||W - Q||^2`: `k = 3`, `Delta L = -6 eps^3 + eps^6`.
 * @param options.rankTol - tolerance for the kernels (default `1e-9 * max(1, ||W||)`); `options.rateTol` - default `1e-9`.
 * @throws DomainError / ShapeError for bad arguments.
 */
export function chainEscape(L: NetLoss, theta: readonly Matrix[], options: EscapeOptions & { rankTol?: number; rateTol?: number } = {}): EscapeCurve | null {
  const fn = "chainEscape";
  checkOptions(fn, options, ["eps", "lossTol", "rankTol", "rateTol"]);
  const nl = netLossArg(fn, L);
  const widths = deepWidths(nl.net);
  if (!widths) return null;
  const eps = epsList(fn, options.eps);
  const rateTol = tolOption(fn, "options.rateTol", options.rateTol, 1e-9);
  const th0 = cloneBlocks(theta);
  const h = th0.length;
  const G = nl.loss.gradient(nl.net.mu(th0));
  const { before, after } = partialProducts(widths, th0);
  // Z[j] for hidden j = 1..h-1 (stored at index j): basis of ker W_{j+1} ∩ Col(W_j)^perp, as columns
  const Z: Matrix[] = [];
  for (let j = 1; j < h; j++) {
    const Wn = th0[j]; // W_{j+1}: d_{j+1} × d_j
    const Wp = th0[j - 1]; // W_j: d_j × d_{j-1}
    const S = new Matrix(Wn.rows + Wp.columns, Wn.columns);
    for (let i = 0; i < Wn.rows; i++) for (let c = 0; c < Wn.columns; c++) S.set(i, c, Wn.get(i, c));
    const WpT = transpose(Wp);
    for (let i = 0; i < WpT.rows; i++) for (let c = 0; c < WpT.columns; c++) S.set(Wn.rows + i, c, WpT.get(i, c));
    const sS = svd(S).s;
    const tol = options.rankTol ?? 1e-9 * Math.max(1, sS[0] ?? 0);
    Z[j] = orthComplement(transpose(S), tol);
  }
  let best: { p: number; q: number; sigma: number; a: number[]; b: number[] } | null = null;
  for (let k = 2; k <= h && !best; k++) {
    for (let p = 1; p + k - 1 <= h; p++) {
      const q = p + k - 1;
      let ok = true;
      for (let j = p; j < q; j++) if (Z[j].columns === 0) ok = false;
      if (!ok) continue;
      // M = W_{>q}^T G W_{<p}^T  (d_q × d_{p-1})
      const M = mmul(mmul(transpose(after[q - 1]), G), transpose(before[p - 1]));
      const { U, s, V } = svd(M);
      const sigma = s[0] ?? 0;
      if (sigma > rateTol && (!best || sigma > best.sigma)) {
        best = { p, q, sigma, a: V.getColumn(0), b: U.getColumn(0).map((x) => -x) };
      }
    }
  }
  if (!best) return null;
  const { p, q, sigma, a, b } = best;
  const k = q - p + 1;
  const D = th0.map((W) => new Matrix(W.rows, W.columns));
  const z = (j: number): number[] => Z[j].getColumn(0);
  const setOuter = (Mx: Matrix, u: number[], v: number[]): void => {
    for (let i = 0; i < u.length; i++) for (let c = 0; c < v.length; c++) Mx.set(i, c, u[i] * v[c]);
  };
  setOuter(D[p - 1], z(p), a);
  for (let j = p + 1; j < q; j++) setOuter(D[j - 1], z(j), z(j - 1));
  setOuter(D[q - 1], b, z(q - 1));
  const at = (e: number): Matrix[] => addBlocks(th0, D, e);
  const m = measure(nl, th0, at, eps, (e) => -sigma * e ** k, lossTolOf(fn, nl, th0, options));
  return {
    kind: "kernel chain",
    order: k,
    rate: sigma,
    ...m,
    description:
      `rank-one moves on layers ${p}..${q} chained through z_j ∈ ker W_{j+1} ∩ Col(W_j)^⊥ (j = ${p}..${q - 1}): ` +
      `mu changes by exactly eps^${k} W_{>${q}} b aᵀ W_{<${p}}; Delta L ≈ -${sigma.toPrecision(6)} eps^${k}`,
    at,
  };
}

/** A product-preserving move of Zhang's Lemma A2 argument. */
export interface FibreMove {
  /** Layer `i` (1-based) that moves. */
  layer: number;
  /** `"row"`: `W_i += t x y^T` with `y^T W_{<i} = 0`; `"column"`: `W_i += t z w^T` with `W_{>i} z = 0`. */
  side: "row" | "column";
  /** Size `t` used. */
  t: number;
  /** `||mu(theta') - mu(theta)||` (zero up to rounding: the move stays in the fibre). */
  productChange: number;
  /** `||grad L(theta')||` at the moved point (nonzero: the move breaks criticality). */
  gradientNormAfter: number;
}

/**
 * Zhang's fibre-move escape for a deep linear network (Lemma A2, zhang-zhou-liang-digest A.3): among the
 * product-preserving moves `W_i += t x y^T` (`y ⊥ Col(W_{<i})`) and `W_i += t z w^T` (`z in ker W_{>i}`),
 * with `x, w` standard basis vectors and `y, z` kernel basis vectors, take the one with the largest gradient
 * norm at `theta' = theta + tF`; then the curve `theta(eps) = theta + eps F - eps c g(eps)/||g(eps)||`,
 * `g(eps) = grad L(theta + eps F)`, with `c` in `{1, 1/2, ..., 2^-10}` chosen at the largest `eps`.
 * `L(theta + eps F) = L(theta)` exactly, so any decrease comes from the broken criticality.
 * Returns null when no move breaks criticality (gradient after the move `<= gradTol`) or the net is not
 * deep linear.
 * @param options.t - move size for the screening (default 0.1); `options.gradTol` - default `1e-8`.
 * @throws DomainError / ShapeError for bad arguments.
 */
export function fibreMoveEscape(
  L: NetLoss,
  theta: readonly Matrix[],
  options: EscapeOptions & { t?: number; gradTol?: number; rankTol?: number } = {},
): (EscapeCurve & { move: FibreMove }) | null {
  const fn = "fibreMoveEscape";
  checkOptions(fn, options, ["eps", "lossTol", "t", "gradTol", "rankTol"]);
  const nl = netLossArg(fn, L);
  const widths = deepWidths(nl.net);
  if (!widths) return null;
  const eps = epsList(fn, options.eps);
  const t = tolOption(fn, "options.t", options.t, 0.1);
  const gradTol = tolOption(fn, "options.gradTol", options.gradTol, 1e-8);
  const th0 = cloneBlocks(theta);
  const h = th0.length;
  const mu0 = nl.net.mu(th0);
  const { before, after } = partialProducts(widths, th0);
  let best: { F: Matrix[]; move: FibreMove } | null = null;
  const consider = (F: Matrix[], layer: number, side: "row" | "column"): void => {
    const th = addBlocks(th0, F, t);
    const gn = blocksNorm(nl.net.dMuT(th, nl.loss.gradient(nl.net.mu(th))));
    if (!best || gn > best.move.gradientNormAfter) {
      const dm = nl.net.mu(th);
      let pc = 0;
      for (let i = 0; i < dm.rows; i++) for (let j = 0; j < dm.columns; j++) pc += (dm.get(i, j) - mu0.get(i, j)) ** 2;
      best = { F, move: { layer, side, t, productChange: Math.sqrt(pc), gradientNormAfter: gn } };
    }
  };
  for (let i = 1; i <= h; i++) {
    const Wi = th0[i - 1];
    if (i >= 2) {
      const B = before[i - 1]; // W_{<i}: d_{i-1} × d_0
      const tol = options.rankTol ?? 1e-9 * Math.max(1, svd(B).s[0] ?? 0);
      const Y = orthComplement(B, tol); // y with y^T W_{<i} = 0
      for (let c = 0; c < Y.columns; c++) {
        for (let x = 0; x < Wi.rows; x++) {
          const F = th0.map((W) => new Matrix(W.rows, W.columns));
          for (let jj = 0; jj < Wi.columns; jj++) F[i - 1].set(x, jj, Y.get(jj, c));
          consider(F, i, "row");
        }
      }
    }
    if (i <= h - 1) {
      const A = after[i - 1]; // W_{>i}: d_h × d_i
      const tol = options.rankTol ?? 1e-9 * Math.max(1, svd(A).s[0] ?? 0);
      const Zk = orthComplement(transpose(A), tol); // z with W_{>i} z = 0
      for (let c = 0; c < Zk.columns; c++) {
        for (let w = 0; w < Wi.columns; w++) {
          const F = th0.map((W) => new Matrix(W.rows, W.columns));
          for (let ii = 0; ii < Wi.rows; ii++) F[i - 1].set(ii, w, Zk.get(ii, c));
          consider(F, i, "column");
        }
      }
    }
  }
  const chosen = best as { F: Matrix[]; move: FibreMove } | null;
  if (!chosen || chosen.move.gradientNormAfter <= gradTol) return null;
  const F = chosen.F;
  const dirAt = (e: number): Matrix[] => {
    const th = addBlocks(th0, F, e);
    const g = nl.net.dMuT(th, nl.loss.gradient(nl.net.mu(th)));
    const gn = blocksNorm(g);
    return gn > 0 ? g.map((B) => B.clone().div(gn) as Matrix) : g;
  };
  const L0 = valueOf(nl, th0);
  let c = 1;
  let bestVal = Infinity;
  for (let k = 0; k <= 10; k++) {
    const cc = 2 ** -k;
    const e = eps[0];
    const v = valueOf(nl, addBlocks(addBlocks(th0, F, e), dirAt(e), -e * cc));
    if (v < bestVal) {
      bestVal = v;
      c = cc;
    }
  }
  const at = (e: number): Matrix[] => addBlocks(addBlocks(th0, F, e), dirAt(e), -e * c);
  const m = measure(nl, th0, at, eps, () => null, lossTolOf(fn, nl, th0, options));
  void L0;
  const mv = chosen.move;
  return {
    kind: "fibre move",
    order: null,
    rate: null,
    ...m,
    move: mv,
    description:
      `Zhang's fibre move on layer ${mv.layer} (${mv.side === "row" ? "W_i += t x yᵀ, y ⊥ Col(W_{<i})" : "W_i += t z wᵀ, z ∈ ker W_{>i}"}): ` +
      `product change ${mv.productChange.toExponential(2)}, gradient after the move ${mv.gradientNormAfter.toPrecision(4)} (t = ${t}); ` +
      `then a step of length ${c} eps against the gradient`,
    at,
  };
}

/** Options of {@link reducedKernelEscape}. */
export interface ReducedKernelOptions extends EscapeOptions {
  /** Eigen-decomposition of the Hessian at theta (values descending, vectors as columns, pack order). */
  eig: { values: readonly number[]; vectors: Matrix };
  /** Eigenvalues with `|lambda| <= eigTol` span the kernel searched. */
  eigTol: number;
  /** Seed of the random kernel directions (default 1). */
  seed?: number;
  /** Number of random kernel directions besides the eigenvectors (default 40). */
  directions?: number;
  /** Newton steps of the inner minimisation over the positive eigenspace (default 8). */
  newtonSteps?: number;
  /**
   * Rayleigh quotients `v^T H v` above this count as positive curvature and the direction is rejected (default
   * `10 n eps max(1, max|lambda|)` with `n` = parameter count, a little above the rounding of the eigenvalues; a positive curvature below
   * it cannot be excluded and is reported in the description).
   */
  curvatureNoise?: number;
  /** Candidate directions to try first (pack order), e.g. not in `ker dmu`. */
  extraDirections?: ReadonlyArray<ArrayLike<number>>;
}

/**
 * Reduced-function search along the Hessian kernel (any network). For unit `v` in the kernel
 * `K = span{q_i : |lambda_i| <= eigTol}` (eigenvectors, `±`, and seeded random combinations), the curve
 * `theta(eps) = theta + eps v + w(eps)`, `w(eps) = argmin_{w in E_+} L(theta + eps v + w)` (Newton with the
 * fixed positive part of the Hessian: `w <- w - sum_{lambda_i > eigTol} q_i q_i^T grad L / lambda_i`).
 * The best direction (most negative `Delta L` at the middle `eps`) is measured at every `eps`. A direction
 * whose Rayleigh quotient `v^T H v` exceeds `curvatureNoise` is rejected: its descent would not persist as
 * `eps -> 0`. Returns null when no direction descends at every `eps`.
 * Example: Example A at `K s = 1` (T6), order 4.
 * @throws DomainError / ShapeError for bad arguments.
 */
export function reducedKernelEscape(L: NetLoss, theta: readonly Matrix[], options: ReducedKernelOptions): EscapeCurve | null {
  const fn = "reducedKernelEscape";
  if (options === undefined || options === null || typeof options !== "object" || !options.eig) throw new DomainError(fn, `options must be { eig, ... } with the Hessian eigendecomposition; got ${describe(options)}`);
  checkOptions(fn, options, ["eig", "eigTol", "seed", "directions", "newtonSteps", "curvatureNoise", "extraDirections", "eps", "lossTol"]);
  const nl = netLossArg(fn, L);
  const eps = epsList(fn, options.eps);
  const th0 = cloneBlocks(theta);
  const shapes = nl.net.paramShapes;
  const n = blockSize(shapes);
  const { values, vectors } = options.eig;
  if (!vectors || vectors.rows !== n || values.length !== vectors.columns) {
    throw new DomainError(fn, `options.eig must hold ${n} eigenpairs of the Hessian (vectors ${n}×${n}); got ${describe(vectors)}`);
  }
  const eigTol = tolOption(fn, "options.eigTol", options.eigTol, 0);
  const scale = Math.max(1, ...values.map(Math.abs));
  const noise = tolOption(fn, "options.curvatureNoise", options.curvatureNoise, 10 * n * EPS * scale);
  const newton = options.newtonSteps ?? 8;
  const kernel: number[] = [];
  const positive: number[] = [];
  values.forEach((l, i) => {
    if (Math.abs(l) <= eigTol) kernel.push(i);
    else if (l > eigTol) positive.push(i);
  });
  if (kernel.length === 0) return null;
  const x0 = packBlocks(shapes, th0, fn);
  const L0 = valueOf(nl, th0);
  const lossTol = lossTolOf(fn, nl, th0, options);
  const col = (i: number): number[] => vectors.getColumn(i);
  const Hv = (v: number[]): number => {
    // Rayleigh quotient from the eigendecomposition
    let s = 0;
    values.forEach((l, i) => {
      let d = 0;
      const q = col(i);
      for (let k = 0; k < n; k++) d += q[k] * v[k];
      s += l * d * d;
    });
    return s;
  };
  const curveAt = (v: number[], e: number): Float64Array => {
    const x = new Float64Array(n);
    for (let k = 0; k < n; k++) x[k] = x0[k] + e * v[k];
    for (let it = 0; it < newton && positive.length > 0; it++) {
      const th = unpackBlocks(shapes, x);
      const g = packBlocks(shapes, nl.net.dMuT(th, nl.loss.gradient(nl.net.mu(th))));
      for (const i of positive) {
        const q = col(i);
        let d = 0;
        for (let k = 0; k < n; k++) d += q[k] * g[k];
        const s = d / values[i];
        for (let k = 0; k < n; k++) x[k] -= s * q[k];
      }
    }
    return x;
  };
  const valueAtX = (x: Float64Array): number => valueOf(nl, unpackBlocks(shapes, x));
  const candidates: number[][] = [];
  for (const d of options.extraDirections ?? []) candidates.push(Array.from(d));
  for (const i of kernel.slice(0, 30)) candidates.push(col(i));
  const g: Rng = makeRng(options.seed ?? 1);
  const nd = options.directions ?? 40;
  for (let t = 0; t < nd; t++) {
    const v = new Array<number>(n).fill(0);
    for (const i of kernel) {
      const c = g.normal();
      const q = col(i);
      for (let k = 0; k < n; k++) v[k] += c * q[k];
    }
    candidates.push(v);
  }
  const mid = eps[Math.floor(eps.length / 2)];
  let best: { v: number[]; d: number } | null = null;
  for (const c0 of candidates) {
    let nv = 0;
    for (const x of c0) nv += x * x;
    nv = Math.sqrt(nv);
    if (!(nv > 0)) continue;
    for (const sign of [1, -1]) {
      const v = c0.map((x) => (sign * x) / nv);
      if (Hv(v) > noise) continue;
      const d = valueAtX(curveAt(v, mid)) - L0;
      if (d < -lossTol && (!best || d < best.d)) best = { v, d };
    }
  }
  if (!best) return null;
  const vb = (best as { v: number[] }).v;
  const at = (e: number): Matrix[] => unpackBlocks(shapes, curveAt(vb, e));
  const m = measure(nl, th0, at, eps, () => null, lossTol);
  if (!m.descends) return null;
  return {
    kind: "reduced kernel search",
    order: null,
    rate: null,
    ...m,
    description: `theta + eps v + w(eps), v a unit vector in the ${kernel.length}-dimensional Hessian kernel (Rayleigh quotient vᵀHv = ${Hv(vb).toExponential(2)} <= ${noise.toExponential(1)}: a positive curvature below that cannot be excluded), w(eps) minimising L over the positive eigenspace (${newton} Newton steps)`,
    at,
  };
}

/** Result of {@link perturbationCheck}. */
export interface PerturbationCheck {
  /** Number of perturbations and their size `||delta|| = size`. */
  count: number;
  size: number;
  seed: number;
  /** How many decreased the loss by more than `lossTol`. */
  decreases: number;
  /** Smallest measured `L(theta + delta) - L(theta)`. */
  minDelta: number;
  lossTol: number;
}

/**
 * Seeded random-perturbation check: `count` Gaussian directions scaled to `||delta|| = size`; counts how many
 * give `L(theta + delta) < L(theta) - lossTol`. At a local minimum none does (evidence, not proof, for the
 * minimum verdicts of T4–T6 and A2).
 * @param options.count - default 200; `options.size` - default `1e-3`; `options.seed` - default 1;
 *   `options.lossTol` - default `1e-12 * max(1, |L|)`.
 * @throws DomainError / ShapeError for bad arguments.
 */
export function perturbationCheck(L: NetLoss, theta: readonly Matrix[], options: { count?: number; size?: number; seed?: number; lossTol?: number } = {}): PerturbationCheck {
  const fn = "perturbationCheck";
  checkOptions(fn, options, ["count", "size", "seed", "lossTol"]);
  const nl = netLossArg(fn, L);
  const count = options.count ?? 200;
  if (!Number.isInteger(count) || count < 1) throw new DomainError(fn, `options.count must be a positive integer; got ${describe(count)}`);
  const size = tolOption(fn, "options.size", options.size, 1e-3);
  const seed = options.seed ?? 1;
  const lossTol = tolOption(fn, "options.lossTol", options.lossTol, 1e-12 * Math.max(1, Math.abs(valueOf(nl, theta))));
  const g = makeRng(seed);
  const L0 = valueOf(nl, theta);
  let dec = 0;
  let minDelta = Infinity;
  for (let t = 0; t < count; t++) {
    const D = nl.net.paramShapes.map(([r, c]) => g.gaussian(r, c));
    const nd = blocksNorm(D);
    const d = valueOf(nl, addBlocks(theta, D, size / nd)) - L0;
    if (d < -lossTol) dec++;
    minDelta = Math.min(minDelta, d);
  }
  return { count, size, seed, decreases: dec, minDelta, lossTol };
}
