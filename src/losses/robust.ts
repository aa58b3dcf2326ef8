/**
 * Entrywise convex, smooth, non-quadratic losses around a target `Q`: pseudo-Huber and even powers
 * (T4 experiments: "smooth convex non-quadratic losses").
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { TargetLoss, mapEntries, matArg, numArg } from "./base";

/**
 * Pseudo-Huber loss `l(W) = sum_ij delta^2 (sqrt(1 + ((W_ij - Q_ij)/delta)^2) - 1)`;
 * `grad l = R / sqrt(1 + (R/delta)^2)` with `R = W - Q`; `Hess l[D] = D ∘ (1 + (R/delta)^2)^{-3/2}`.
 * Convex, smooth, quadratic near `Q` and linear far away; unique minimiser `W = Q` (T4).
 */
export class PseudoHuberLoss extends TargetLoss {
  /** Entrywise in `W - Q`: `Hess l(W)` is diagonal, so it acts row by row (the factored dense Hessian applies). */
  override readonly hessianRowSeparable: boolean = true;
  readonly name: string;
  /** Transition scale `delta > 0`. */
  readonly delta: number;

  /**
   * @param Q - `m×n` target; @param delta - `> 0` (default 1).
   * @throws ShapeError for an empty or ragged `Q`; DomainError for non-finite entries or `delta <= 0`.
   */
  constructor(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, delta = 1) {
    const Qm = matArg("pseudoHuberLoss", "Q", Q);
    const d = numArg("pseudoHuberLoss", "delta", delta, 0, true);
    super("pseudoHuberLoss", Qm, "strictly convex and coercive with minimiser W = Q");
    this.delta = d;
    this.name = `pseudo-Huber loss (delta ${d})`;
  }
  formula(): string {
    return "\\ell(W) = \\sum_{ij} \\delta^2 \\Big(\\sqrt{1 + ((W_{ij} - Q_{ij})/\\delta)^2} - 1\\Big)";
  }
  protected valueAt(W: Matrix): number {
    const d2 = this.delta * this.delta;
    let s = 0;
    for (let i = 0; i < W.rows; i++) {
      for (let j = 0; j < W.columns; j++) {
        const u = (W.get(i, j) - this.Q.get(i, j)) / this.delta;
        // sqrt(1+u^2) - 1 = u^2 / (sqrt(1+u^2) + 1), without cancellation near 0
        s += (d2 * u * u) / (Math.sqrt(1 + u * u) + 1);
      }
    }
    return s;
  }
  protected gradientAt(W: Matrix): Matrix {
    return mapEntries(W, (w, i, j) => {
      const r = w - this.Q.get(i, j);
      const u = r / this.delta;
      return r / Math.sqrt(1 + u * u);
    });
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    return mapEntries(D, (dv, i, j) => {
      const u = (W.get(i, j) - this.Q.get(i, j)) / this.delta;
      return dv / ((1 + u * u) * Math.sqrt(1 + u * u));
    });
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const q = this.q;
    const dl = this.delta;
    let s = 0;
    for (let k = 0; k < q.length; k++) {
      const r = w[k] - q[k];
      const u = r / dl;
      const rt = Math.sqrt(1 + u * u);
      s += (dl * dl * u * u) / (rt + 1);
      g[k] = r / rt;
    }
    return s;
  }
}

/**
 * Even power loss `l(W) = sum_ij (W_ij - Q_ij)^p`, `p` even (4 or 6; any even `p >= 2` is accepted);
 * `grad l = p R^{p-1}`; `Hess l[D] = p (p-1) R^{p-2} ∘ D` (entrywise powers, `R = W - Q`).
 * Convex and smooth (not strongly convex at `Q` for `p >= 4`); unique minimiser `W = Q` (T4).
 */
export class EvenPowerLoss extends TargetLoss {
  /** Entrywise in `W - Q`: `Hess l(W)` is diagonal, so it acts row by row (the factored dense Hessian applies). */
  override readonly hessianRowSeparable: boolean = true;
  readonly name: string;
  /** The even exponent `p`. */
  readonly p: number;

  /**
   * @param Q - `m×n` target; @param p - even integer `>= 2` (default 4).
   * @throws DomainError for an odd, non-integer or too small `p` (an odd power is not convex nor bounded
   * below) or non-finite entries; ShapeError for an empty or ragged `Q`.
   */
  constructor(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, p = 4) {
    if (typeof p !== "number" || !Number.isInteger(p) || p < 2 || p % 2 !== 0) {
      throw new DomainError("evenPowerLoss", `p must be an even integer >= 2 (4 or 6 in the course); got ${describe(p)}`);
    }
    const Qm = matArg("evenPowerLoss", "Q", Q);
    super("evenPowerLoss", Qm, "convex and coercive with unique minimiser W = Q");
    this.p = p;
    this.name = `power-${p} loss`;
  }
  formula(): string {
    return `\\ell(W) = \\sum_{ij} (W_{ij} - Q_{ij})^{${this.p}}`;
  }
  protected valueAt(W: Matrix): number {
    let s = 0;
    for (let i = 0; i < W.rows; i++) for (let j = 0; j < W.columns; j++) s += (W.get(i, j) - this.Q.get(i, j)) ** this.p;
    return s;
  }
  protected gradientAt(W: Matrix): Matrix {
    return mapEntries(W, (w, i, j) => this.p * (w - this.Q.get(i, j)) ** (this.p - 1));
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    return mapEntries(D, (dv, i, j) => this.p * (this.p - 1) * (W.get(i, j) - this.Q.get(i, j)) ** (this.p - 2) * dv);
  }
  override valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const q = this.q;
    const p = this.p;
    let s = 0;
    for (let k = 0; k < q.length; k++) {
      const r = w[k] - q[k];
      const r2 = r * r;
      let rp2 = 1;
      for (let e = 2; e < p; e += 2) rp2 *= r2; // r^{p-2}
      s += rp2 * r2;
      g[k] = p * rp2 * r;
    }
    return s;
  }
}

/**
 * Pseudo-Huber loss `sum delta^2 (sqrt(1 + ((W - Q)/delta)^2) - 1)` (T4). See {@link PseudoHuberLoss}.
 * @throws ShapeError / DomainError as the constructor.
 */
export function pseudoHuberLoss(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, delta = 1): PseudoHuberLoss {
  return new PseudoHuberLoss(Q, delta);
}

/**
 * Even power loss `sum (W - Q)^p`, `p = 4, 6` (T4). See {@link EvenPowerLoss}.
 * @throws DomainError for odd `p`; ShapeError / DomainError for a bad `Q`.
 */
export function evenPowerLoss(Q: Matrix | ReadonlyArray<ReadonlyArray<number>>, p = 4): EvenPowerLoss {
  return new EvenPowerLoss(Q, p);
}
