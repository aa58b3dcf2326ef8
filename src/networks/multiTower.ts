/**
 * Multi-tower linear networks (Zhang 2019; A4): several deep linear towers from the same input width `d_0`
 * to the same output width `d_h`, outputs summed: `mu(theta) = sum_t W^{(t)}_{h_t} ... W^{(t)}_1`.
 * Representable set `{M : rank M <= min(K, d_0, d_h)}` with rank budget `K = sum_t r_t` (`r_t` the tower's
 * bottleneck, which includes `d_0` and `d_h`).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { assertBlocks, BlocksLike, toBlocks } from "../core/blocks";
import { add } from "../core/matrix";
import { JUPYTER_DISPLAY } from "../display/mime";
import { DeepLinearNetwork } from "./deepLinear";
import type { Parameterization } from "./parameterization";
import { Widths, bottleneck, validateWidths } from "./widths";

function validateTowers(fn: string, towers: unknown): Widths[] {
  if (!Array.isArray(towers) || towers.length === 0) throw new DomainError(fn, `towers must be a non-empty array of widths; got ${describe(towers)}`);
  const ws = towers.map((w, t) => validateWidths(w, `${fn} (towers[${t}])`));
  const d0 = ws[0][0];
  const dh = ws[0][ws[0].length - 1];
  ws.forEach((w, t) => {
    if (w[0] !== d0 || w[w.length - 1] !== dh) {
      throw new ShapeError(fn, `every tower must map d_0 = ${d0} to d_h = ${dh} (as towers[0]); towers[${t}] is [${w.join(", ")}]`);
    }
  });
  return ws;
}

/**
 * Rank budget `min(sum_t r_t, d_0, d_h)` of a multi-tower network (A4).
 * @throws DomainError for bad widths or an empty list; ShapeError when towers disagree on `d_0` or `d_h`.
 */
export function towerRankBudget(towers: readonly Widths[]): number {
  const ws = validateTowers("towerRankBudget", towers);
  const K = ws.reduce((s, w) => s + bottleneck(w), 0);
  return Math.min(K, ws[0][0], ws[0][ws[0].length - 1]);
}

/**
 * Filling for towers: the rank budget reaches `min(d_0, d_h)`, so every `d_h × d_0` matrix is representable (A4).
 * @throws as {@link towerRankBudget}.
 */
export function isFillingTowers(towers: readonly Widths[]): boolean {
  const ws = validateTowers("isFillingTowers", towers);
  return towerRankBudget(ws) === Math.min(ws[0][0], ws[0][ws[0].length - 1]);
}

/**
 * A multi-tower network as a {@link Parameterization}: `theta` is the concatenation of the towers' weight
 * lists (tower 0's `W_1..W_{h_0}`, then tower 1's, ...); `mu = sum_t mu_t`, `dmu = sum_t dmu_t`,
 * `dmu^T[G] = (dmu_t^T[G])_t` (all towers share `G = grad l`), `d2muT` blockwise (A4).
 */
export class MultiTowerNetwork implements Parameterization {
  /** The towers' widths. */
  readonly towers: readonly Widths[];
  readonly description: string;
  readonly paramShapes: ReadonlyArray<readonly [number, number]>;
  readonly outputShape: readonly [number, number];
  readonly paramCount: number;
  /** Rank budget `min(sum_t r_t, d_0, d_h)`. */
  readonly rankBudget: number;
  /** Whether the rank budget equals `min(d_0, d_h)`. */
  readonly filling: boolean;
  private readonly nets: DeepLinearNetwork[];
  private readonly offsets: number[];

  /** @throws DomainError for bad widths; ShapeError when towers disagree on `d_0` or `d_h`. */
  constructor(towers: readonly Widths[]) {
    const ws = validateTowers("multiTower", towers);
    this.towers = Object.freeze(ws);
    this.nets = ws.map((w) => new DeepLinearNetwork(w));
    this.offsets = [0];
    for (const n of this.nets) this.offsets.push(this.offsets[this.offsets.length - 1] + n.paramShapes.length);
    this.paramShapes = Object.freeze(this.nets.flatMap((n) => n.paramShapes.map((s) => [s[0], s[1]] as const)));
    this.outputShape = this.nets[0].outputShape;
    this.paramCount = this.nets.reduce((s, n) => s + n.paramCount, 0);
    this.rankBudget = towerRankBudget(ws);
    this.filling = isFillingTowers(ws);
    this.description = `multi-tower ${ws.map((w) => `(${w.join(", ")})`).join(" + ")}`;
  }

  /**
   * The blocks of tower `t` inside `theta` (no copy): `theta.slice(offset_t, offset_{t+1})`.
   * @throws DomainError unless `t` is an integer in `[0, towers.length)`; ShapeError unless `theta` is an array.
   */
  towerTheta(theta: readonly Matrix[], t: number): Matrix[] {
    if (!Number.isInteger(t) || t < 0 || t >= this.nets.length) throw new DomainError("MultiTowerNetwork.towerTheta", `t must be an integer in [0, ${this.nets.length}); got ${describe(t)}`);
    if (!Array.isArray(theta)) throw new ShapeError("MultiTowerNetwork.towerTheta", `theta must be an array of ${this.paramShapes.length} blocks; got ${describe(theta)}`);
    return theta.slice(this.offsets[t], this.offsets[t + 1]);
  }

  /** `mu_t(theta_t)` of each tower. @throws ShapeError / DomainError for a bad `theta`. */
  towerProducts(theta: BlocksLike): Matrix[] {
    const th = toBlocks("MultiTowerNetwork.towerProducts", this.paramShapes, theta);
    return this.nets.map((n, t) => n.mu(this.towerTheta(th, t)));
  }

  /** `mu(theta) = sum_t mu_t(theta_t)`. @throws ShapeError / DomainError for a bad `theta`. */
  mu(theta: BlocksLike): Matrix {
    theta = toBlocks("MultiTowerNetwork.mu", this.paramShapes, theta);
    let S = this.nets[0].mu(this.towerTheta(theta, 0));
    for (let t = 1; t < this.nets.length; t++) S = add(S, this.nets[t].mu(this.towerTheta(theta, t)));
    return S;
  }

  /** `dmu(theta)[V] = sum_t dmu_t(theta_t)[V_t]`. @throws ShapeError / DomainError for bad blocks. */
  dMu(theta: BlocksLike, V: BlocksLike): Matrix {
    theta = toBlocks("MultiTowerNetwork.dMu", this.paramShapes, theta);
    V = toBlocks("MultiTowerNetwork.dMu", this.paramShapes, V, "V");
    let S = this.nets[0].dMu(this.towerTheta(theta, 0), this.towerTheta(V, 0));
    for (let t = 1; t < this.nets.length; t++) S = add(S, this.nets[t].dMu(this.towerTheta(theta, t), this.towerTheta(V, t)));
    return S;
  }

  /** `dmu(theta)^T[G]`: each tower's `W_{>i}^T G W_{<i}^T`, concatenated. @throws ShapeError / DomainError for bad input. */
  dMuT(theta: BlocksLike, G: Matrix): Matrix[] {
    const th = toBlocks("MultiTowerNetwork.dMuT", this.paramShapes, theta);
    return this.nets.flatMap((n, t) => n.dMuT(this.towerTheta(th, t), G));
  }

  /** `d/dt dmu(theta + tV)^T[G]`, tower by tower. @throws ShapeError / DomainError for bad input. */
  d2MuT(theta: BlocksLike, G: Matrix, V: BlocksLike): Matrix[] {
    const th = toBlocks("MultiTowerNetwork.d2MuT", this.paramShapes, theta);
    const Vb = toBlocks("MultiTowerNetwork.d2MuT", this.paramShapes, V, "V");
    return this.nets.flatMap((n, t) => n.d2MuT(this.towerTheta(th, t), G, this.towerTheta(Vb, t)));
  }

  /** Rich display: towers, rank budget, filling, parameter count. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const [m, n] = this.outputShape;
    const rows = this.towers.map((w, t) => `| ${t} | (${w.join(", ")}) | ${bottleneck(w)} | ${this.nets[t].paramCount} |`);
    return {
      "text/markdown": [
        `**Multi-tower linear network** ${n} → ${m}: rank budget $K = ${this.rankBudget}$, ${this.filling ? "filling" : "non-filling"}, ${this.paramCount} parameters`,
        "",
        "| tower | widths | bottleneck | parameters |",
        "|---|---|---|---|",
        ...rows,
      ].join("\n"),
      "text/plain": `${this.description}: rank budget ${this.rankBudget}, ${this.filling ? "filling" : "non-filling"}, ${this.paramCount} parameters`,
    };
  }
}

/**
 * Multi-tower network with summed outputs (A4). See {@link MultiTowerNetwork}.
 * @param towers - widths of each tower, all with the same `d_0` and `d_h`.
 * @throws DomainError for bad widths or no towers; ShapeError when towers disagree on `d_0` or `d_h`.
 */
export function multiTower(towers: readonly Widths[]): MultiTowerNetwork {
  return new MultiTowerNetwork(towers);
}
