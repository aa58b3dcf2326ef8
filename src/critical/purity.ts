/**
 * Pure and spurious critical points (TKB; D1, P1–P3): a critical `theta` of `L = l ∘ mu` is pure when
 * `mu(theta)` is critical for `l` on the functional space, spurious otherwise.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { assertBlocks, BlocksLike, toBlocks, blockSize } from "../core/blocks";
import { checkOptions } from "../core/options";
import { frobNorm } from "../core/matrix";
import { svd } from "../core/linalg";
import { NetLoss } from "./netLoss";
import { blocksNorm, jacobianOfMu, netLossArg, tolOption } from "./verdictInternals";
import { CriticalityReport, DeterminantalVariety, SingularConvention, defaultSpaceRankTol } from "../spaces/determinantal";
import { functionalSpaceOf } from "../spaces/ofNetwork";

export type { NetLoss } from "./netLoss";


/** Options shared by {@link classifyPurity} and `classifyCriticalPoint`. */
export interface PurityOptions {
  /** Tolerance on `||grad L(theta)||` for "critical" (default `1e-8`). */
  gradTol?: number;
  /** Tolerance of the criticality test on the functional space (default `1e-8`; see `isCriticalFor`). */
  spaceTol?: number;
  /** Absolute rank tolerance for `mu(theta)` (default `1e-9 * max(1, sigma_max)`). */
  rankTol?: number;
  /** Relative rank tolerance for the Jacobian of `mu` (default `1e-9`, times `max(1, sigma_max)`). */
  jacobianRankRtol?: number;
  /** Convention at singular points of `M_r` (default `"gradient"`: `grad l = 0`, as D1). */
  singularConvention?: SingularConvention;
  /** The functional space; default {@link functionalSpaceOf}`(net)`. */
  space?: DeterminantalVariety;
}

/** The option keys of {@link classifyPurity} (infrastructure for option checking, D1). */
export const PURITY_OPTION_KEYS: readonly string[] = ["gradTol", "spaceTol", "rankTol", "jacobianRankRtol", "singularConvention", "space"];

/** Result of {@link classifyPurity}. */
export interface PurityReport {
  /** `"pure"`, `"spurious"` (critical for L, image not critical on the space) or `"not critical"`. */
  status: "pure" | "spurious" | "not critical";
  /** `||grad L(theta)||` (Frobenius over all blocks). */
  gradientNorm: number;
  /** Tolerance used for it. */
  gradTol: number;
  /** `L(theta)`. */
  value: number;
  /** `mu(theta)`. */
  image: Matrix;
  /** Numerical rank of `mu(theta)`. */
  rank: number;
  /** Absolute tolerance of that rank. */
  rankTol: number;
  /** Rank bound `r` of the functional space. */
  r: number;
  /** Description of the functional space. */
  space: string;
  /** `dim M` (G1). */
  spaceDimension: number;
  /** True when the space is all matrices (filling). */
  filling: boolean;
  /** Rank of the Jacobian of `mu` at theta (T1). */
  rankDMu: number;
  /** Absolute tolerance of that rank. */
  rankDMuTol: number;
  /** `rank dmu = dim M` (P2: then a critical point is pure). */
  maximalRankDMu: boolean;
  /** `paramCount - rank dmu`: dimension of `ker dmu(theta)` (the fibre's tangent at a rank-r point). */
  kernelDimDMu: number;
  /** `||grad l(mu(theta))||`. */
  lossGradientNorm: number;
  /** The criticality test of `mu(theta)` on the space (with the convention used). */
  criticality: CriticalityReport;
  /** The convention requested for singular points. */
  convention: SingularConvention;
  /** One sentence explaining the status (which theorem applies). */
  explanation: string;
}

/**
 * Pure / spurious classification of a parameter point (D1):
 * 1. `theta` is critical for `L` iff `||grad L(theta)|| <= gradTol` (P1: `grad L = dmu^T[grad l]`);
 * 2. if critical, it is **pure** iff `mu(theta)` is critical for `l` on the functional space `M` — `M_r`
 *    (non-filling), all matrices (filling), `M_budget` (multi-tower) — tested by `M.isCriticalFor` (G2: at a
 *    rank-r point `W^T G = 0`, `G W^T = 0`; at a singular point the chosen `singularConvention`, default
 *    `grad l = 0`), and **spurious** otherwise.
 * Reports the numbers: gradient norm, rank of `mu(theta)`, rank of `dmu` (T1) compared with `dim M` (P2: maximal
 * rank implies pure; P3: spurious implies rank-deficient `dmu`), `||grad l||`.
 * @param L - a `Landscape` or `{ net, loss }`. @param theta - blocks of shapes `net.paramShapes` (not modified).
 * @throws DomainError / ShapeError for bad arguments or options; AssumptionError when the network's
 *   functional space is unknown and `options.space` is not given.
 */
export function classifyPurity(L: NetLoss, theta: BlocksLike, options: PurityOptions = {}): PurityReport {
  const fn = "classifyPurity";
  checkOptions(fn, options, PURITY_OPTION_KEYS);
  const { net, loss } = netLossArg(fn, L);
  theta = toBlocks(fn, net.paramShapes, theta);
  const gradTol = tolOption(fn, "options.gradTol", options.gradTol, 1e-8);
  const spaceTol = tolOption(fn, "options.spaceTol", options.spaceTol, 1e-8);
  if (options.rankTol !== undefined) tolOption(fn, "options.rankTol", options.rankTol, 0);
  const jr = tolOption(fn, "options.jacobianRankRtol", options.jacobianRankRtol, 1e-9);
  const space = options.space ?? functionalSpaceOf(net);
  if (!(space instanceof DeterminantalVariety)) throw new DomainError(fn, `options.space must be a DeterminantalVariety; got ${describe(space)}`);
  if (space.m !== net.outputShape[0] || space.n !== net.outputShape[1]) {
    throw new ShapeError(fn, `options.space must live in R^{${net.outputShape[0]}×${net.outputShape[1]}}; got ${space.description}`);
  }
  const W = net.mu(theta);
  const G = loss.gradient(W);
  const gradientNorm = blocksNorm(net.dMuT(theta, G));
  const s = svd(W).s;
  const rankTol = options.rankTol ?? defaultSpaceRankTol(s);
  const rank = s.filter((x) => x > rankTol).length;
  const J = jacobianOfMu(net, theta);
  const sJ = svd(J).s;
  const rankDMuTol = jr * Math.max(1, sJ[0] ?? 0);
  const rankDMu = sJ.filter((x) => x > rankDMuTol).length;
  const p = blockSize(net.paramShapes);
  const convention = options.singularConvention ?? "gradient";
  const criticality = space.isCriticalFor(loss, W, { tol: spaceTol, rankTol, singularConvention: convention });
  const maximal = rankDMu === space.dimension;
  const critical = gradientNorm <= gradTol;
  let status: PurityReport["status"];
  let explanation: string;
  if (!critical) {
    status = "not critical";
    explanation = `||grad L|| = ${gradientNorm.toPrecision(3)} > gradTol ${gradTol}`;
  } else if (criticality.critical) {
    status = "pure";
    explanation = maximal
      ? `mu(theta) is critical on ${space.description}; dmu has maximal rank ${rankDMu} = dim M, so purity is forced (P2)`
      : `mu(theta) is critical on ${space.description} (${criticality.test})`;
  } else {
    status = "spurious";
    explanation = `theta is critical only through the parameterisation: mu(theta) is not critical on ${space.description} (${criticality.test}; residual ${criticality.residual.toPrecision(3)}); rank dmu = ${rankDMu} ${maximal ? `= dim M = ${space.dimension} (contradicts P3: check the tolerances)` : `< dim M = ${space.dimension} (P3)`}`;
  }
  return {
    status,
    gradientNorm,
    gradTol,
    value: loss.value(W),
    image: W,
    rank,
    rankTol,
    r: space.r,
    space: space.description,
    spaceDimension: space.dimension,
    filling: space.filling,
    rankDMu,
    rankDMuTol,
    maximalRankDMu: maximal,
    kernelDimDMu: p - rankDMu,
    lossGradientNorm: frobNorm(G),
    criticality,
    convention,
    explanation,
  };
}
