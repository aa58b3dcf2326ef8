/**
 * The pair the critical-point tools work on: a network map `mu` and a loss `l` on matrix space, so that
 * `L = l ∘ mu` (D1). Kept in its own module so that purity, verdicts and escape curves share it without
 * importing each other.
 * @module
 */
import type { Loss } from "../losses/loss";
import type { Parameterization } from "../networks/parameterization";

/** Anything with a network map and a loss: a `Landscape` (from `landscape(net, loss)`) or `{ net, loss }` (D1). */
export interface NetLoss {
  readonly net: Parameterization;
  readonly loss: Loss;
}
