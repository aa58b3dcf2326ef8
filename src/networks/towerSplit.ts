/**
 * The two-layer split of a multi-tower network (A4; the multi-tower definition is our reconstruction,
 * docs/theory.md#a4): each tower `t` with product `M_t` of full rank `k_t` (its bottleneck) splits at a bottleneck
 * layer into `(A_t, B_t)`, and the blocks `A = [A_1 ... A_T]` (`d_h × K`), `B = [B_1; ...; B_T]` (`K × d_0`) form a
 * point of the two-layer network of width `K = sum_t k_t` with `A B = sum_t M_t = mu(theta)`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { svd } from "../core/linalg";
import { zeros } from "../core/matrix";
import { twoLayerSplit } from "./lifting";
import { MultiTowerNetwork } from "./multiTower";
import { checkOptions } from "../core/options";
import { bottleneck } from "./widths";

/** One tower in a {@link TowerSplit}. */
export interface TowerPart {
  /** The tower's widths. */
  readonly widths: readonly number[];
  /** Its bottleneck `k_t = min_i d_i` (including `d_0`, `d_h`). */
  readonly bottleneck: number;
  /** Numerical rank of its product `M_t`. */
  readonly rank: number;
  /** `rank M_t = k_t`. */
  readonly fullRank: boolean;
  /** The tower alone is filling (`k_t = min(d_0, d_h)`). */
  readonly filling: boolean;
  /** First hidden layer index `p` with `d_p = k_t` (null when the tower is filling or has depth 1). */
  readonly p: number | null;
  /** Singular values of `M_t`, descending. */
  readonly singularValues: number[];
}

/** Result of {@link towerSplit}. */
export interface TowerSplit {
  readonly towers: TowerPart[];
  /** Rank budget `K = sum_t k_t` (uncapped). */
  readonly K: number;
  /** Every tower has full rank and an interior bottleneck: the two-layer split of width `K` exists. */
  readonly splittable: boolean;
  /** `A = [A_1 ... A_T]` (`d_h × K`), when splittable. */
  readonly A: Matrix | null;
  /** `B = [B_1; ...; B_T]` (`K × d_0`), when splittable. */
  readonly B: Matrix | null;
  /** Relative threshold used for ranks: singular values `> rankTol · sigma_max + rankAbsTol` count. */
  readonly rankTol: number;
}

/**
 * Tower ranks and the width-`K` two-layer split of a multi-tower point (A4, Zhang's reduction for towers): per tower
 * the rank of `M_t` against its bottleneck `k_t`, and, when every tower has full rank with an interior bottleneck,
 * `A = [A_1 ... A_T]`, `B = [B_1; ...; B_T]` with `(A_t, B_t) = (W^{(t)}_{h:p+1}, W^{(t)}_{p:1})`, so `A B = mu(theta)`.
 * @param net - a {@link MultiTowerNetwork}. @param theta - its blocks.
 * @param options.rankTol - relative rank threshold (default `1e-6`); options.rankAbsTol - absolute floor (default `1e-10`).
 * @throws DomainError unless `net` is a MultiTowerNetwork, or for unknown or bad options; ShapeError / DomainError for a bad `theta`.
 */
export function towerSplit(net: MultiTowerNetwork, theta: readonly Matrix[], options: { rankTol?: number; rankAbsTol?: number } = {}): TowerSplit {
  const fn = "towerSplit";
  if (!(net instanceof MultiTowerNetwork)) throw new DomainError(fn, `net must be a MultiTowerNetwork (from multiTower(...)); got ${describe(net)}`);
  checkOptions(fn, options, ["rankTol", "rankAbsTol"]);
  const rankTol = options.rankTol ?? 1e-6;
  const rankAbsTol = options.rankAbsTol ?? 1e-10;
  for (const [name, v] of [["rankTol", rankTol], ["rankAbsTol", rankAbsTol]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new DomainError(fn, `options.${name} must be a finite number >= 0; got ${describe(v)}`);
  }
  const products = net.towerProducts(theta);
  const towers: TowerPart[] = net.towers.map((w, t) => {
    const s = svd(products[t]).s;
    const thr = rankTol * (s[0] ?? 0) + rankAbsTol;
    const k = bottleneck(w);
    const rank = s.filter((v) => v > thr).length;
    const filling = k === Math.min(w[0], w[w.length - 1]);
    let p: number | null = null;
    if (!filling) for (let i = 1; i < w.length - 1 && p === null; i++) if (w[i] === k) p = i;
    return { widths: w.slice(), bottleneck: k, rank, fullRank: rank === k, filling, p, singularValues: s };
  });
  const K = towers.reduce((a, t) => a + t.bottleneck, 0);
  const splittable = towers.every((t) => t.fullRank && t.p !== null);
  let A: Matrix | null = null;
  let B: Matrix | null = null;
  if (splittable) {
    const [dh, d0] = net.outputShape;
    A = zeros(dh, K);
    B = zeros(K, d0);
    let off = 0;
    net.towers.forEach((w, t) => {
      const sp = twoLayerSplit(w, net.towerTheta(theta, t), towers[t].p as number);
      const k = towers[t].bottleneck;
      for (let c = 0; c < k; c++) {
        for (let i = 0; i < dh; i++) (A as Matrix).set(i, off + c, sp.A.get(i, c));
        for (let j = 0; j < d0; j++) (B as Matrix).set(off + c, j, sp.B.get(c, j));
      }
      off += k;
    });
  }
  return { towers, K, splittable, A, B, rankTol };
}
