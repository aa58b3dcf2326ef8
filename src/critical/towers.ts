/**
 * Critical points of multi-tower linear networks (A4, Zhang 2019; the multi-tower definition "outputs summed" is
 * our reconstruction, docs/theory.md#a4): closed forms for the square loss, and the case analysis of Zhang's
 * proof at a point (gradient of `l` zero, or every tower of full rank so that the point splits into a two-layer
 * point of width `K = sum_t k_t`).
 *
 * Square loss, closed form: all towers share `G = grad l(M)`, `M = sum_t M_t`, and a critical point has
 * `M^T G = 0` and `G M^T = 0` (from each tower's first and last layer), the same two equations as for a deep
 * network (B5). So the critical values are those of the two-layer network of width `K`:
 * `½ (tr YY^T - sum_{i in S} lambda_i)`, `|S| <= min(K, rank Sigma)`, and each is attained by a point that puts
 * disjoint parts of `S` in the towers ({@link towerBalancedPoint}).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { frobNorm, zeros } from "../core/matrix";
import type { Loss } from "../losses/loss";
import { MultiTowerNetwork } from "../networks/multiTower";
import { TowerSplit, towerSplit } from "../networks/towerSplit";
import { bottleneck } from "../networks/widths";
import { CriticalImageSet, SquareProblem, balancedPoint, criticalImages } from "./closedForms";

function checkNet(fn: string, net: unknown): MultiTowerNetwork {
  if (!(net instanceof MultiTowerNetwork)) throw new DomainError(fn, `net must be a MultiTowerNetwork (multiTower(towers)); got ${describe(net)}`);
  return net;
}

/**
 * The critical images of the square loss on a multi-tower network (A4 with B2–B3): the same as those of the
 * two-layer network `(d_0, K', d_h)`, `K' = min(K, d_0, d_h)` the rank budget: `W_I` for `|I| <= K'`, loss
 * `sum_{j not in I} sigma_j^2` (matrix form) or `½ (tr YY^T - sum_{i in I} lambda_i)` (data form). Parameter points
 * are not realised here (use {@link towerBalancedPoint}).
 * @param problem - `matrixProblem(Q)` or `dataProblem(X, Y)` with `Q` (or `Y X^+`) of shape `d_h × d_0`.
 * @throws DomainError for a bad problem or network; ShapeError when the towers do not map `d_0` to `d_h` of the problem.
 */
export function towerCriticalImages(problem: SquareProblem, net: MultiTowerNetwork): CriticalImageSet {
  const fn = "towerCriticalImages";
  const n = checkNet(fn, net);
  const [dh, d0] = n.outputShape;
  return criticalImages(problem, [d0, n.rankBudget, dh], { realise: false });
}

/**
 * A critical point of the square loss on a multi-tower network realising `W_I` (A4): the indices of `I` (ascending)
 * are dealt to the towers in order, tower `t` taking up to its bottleneck `k_t`, and each tower gets the balanced
 * point of its part (zero layers when its part is empty); the parts are disjoint, so `mu(theta) = W_I` and every
 * tower is critical for the shared `G = grad l(W_I)`.
 * @param I - 1-based indices into the sorted values of the problem, `|I| <= K`.
 * @throws DomainError for bad `I` (as {@link balancedPoint}), `|I|` above the rank budget, or a tower of depth 1
 *   (its product is a free matrix; not covered); ShapeError for towers that do not match the problem.
 */
export function towerBalancedPoint(problem: SquareProblem, net: MultiTowerNetwork, I: readonly number[]): Matrix[] {
  const fn = "towerBalancedPoint";
  const n = checkNet(fn, net);
  if (!Array.isArray(I)) throw new DomainError(fn, `I must be an array of 1-based indices; got ${describe(I)}`);
  if (I.length > n.rankBudget) throw new DomainError(fn, `|I| must be <= the rank budget K = ${n.rankBudget}; got ${I.length}`);
  n.towers.forEach((w, t) => {
    if (w.length < 3) throw new DomainError(fn, `every tower must have depth >= 2; towers[${t}] = [${w.join(", ")}] has depth 1`);
  });
  const sorted = I.slice().sort((a, b) => a - b);
  const theta: Matrix[] = [];
  let next = 0;
  for (const w of n.towers) {
    const part = sorted.slice(next, next + bottleneck(w));
    next += part.length;
    if (part.length === 0) for (let i = 1; i < w.length; i++) theta.push(zeros(w[i], w[i - 1]));
    else theta.push(...balancedPoint(problem, w, part));
  }
  return theta;
}

/** Zhang's case at a multi-tower point (A4). */
export type TowerCase =
  /** `grad l(mu(theta)) = 0`: a global minimiser of `l` over all matrices (convex `l`). */
  | "grad l = 0"
  /** Every tower has full rank and an interior bottleneck: the point splits into a two-layer point of width `K`. */
  | "full-rank towers"
  /** `grad l != 0` and some tower rank-deficient or filling: by A2 applied to that tower, not a local minimum. */
  | "not a local minimum (A2 on a tower)";

/** Result of {@link towerCaseOf}. */
export interface TowerCaseReport extends TowerSplit {
  /** `||grad l(mu(theta))||_F`. */
  readonly gradLNorm: number;
  /** The case of Zhang's argument. */
  readonly case: TowerCase;
  /** Threshold used for `grad l = 0`. */
  readonly gradTol: number;
}

/**
 * The case of Zhang's multi-tower argument at a point (A4): if `grad l(mu(theta)) = 0` the point is global (convex
 * `l`); otherwise a local minimum must have every tower of full rank with an interior bottleneck (A2 applied to a
 * tower with the other towers frozen), and then `(A, B)` of {@link towerSplit} is a local minimum of the width-`K`
 * two-layer network with the same value (A3 tower by tower). A point in the third case is not a local minimum.
 * @param L - `{ net, loss }` or a landscape on a {@link MultiTowerNetwork}.
 * @param options.gradTol - `||grad l|| <= gradTol` counts as zero (default `1e-6`); rank options as {@link towerSplit}.
 * @throws DomainError for a network that is not multi-tower or bad options; ShapeError for a bad `theta`.
 */
export function towerCaseOf(L: { net: unknown; loss: Loss }, theta: readonly Matrix[], options: { gradTol?: number; rankTol?: number; rankAbsTol?: number } = {}): TowerCaseReport {
  const fn = "towerCaseOf";
  if (typeof L !== "object" || L === null) throw new DomainError(fn, `L must be a landscape or { net, loss }; got ${describe(L)}`);
  const n = checkNet(fn, L.net);
  if (typeof options !== "object" || options === null) throw new DomainError(fn, `options must be an object; got ${describe(options)}`);
  const { gradTol: gt, ...rankOptions } = options;
  const gradTol = gt ?? 1e-6;
  if (typeof gradTol !== "number" || !Number.isFinite(gradTol) || gradTol < 0) throw new DomainError(fn, `options.gradTol must be a finite number >= 0; got ${describe(gt)}`);
  const split = towerSplit(n, theta, rankOptions);
  const gradLNorm = frobNorm(L.loss.gradient(n.mu(theta)));
  const c: TowerCase = gradLNorm <= gradTol ? "grad l = 0" : split.splittable ? "full-rank towers" : "not a local minimum (A2 on a tower)";
  return { ...split, gradLNorm, case: c, gradTol };
}
