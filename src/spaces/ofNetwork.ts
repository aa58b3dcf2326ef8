/**
 * The functional space of a network: the closure of the image of `mu` (TKB §1.1). Deep linear networks:
 * `M_r` with `r = min_i d_i` (all matrices when filling); multi-tower networks: `M_b` with the rank budget
 * `b = sum of tower bottlenecks` capped at `min(m, n)` (A4).
 * @module
 */
import { AssumptionError, DomainError, describe } from "../core/errors";
import type { Parameterization } from "../networks/parameterization";
import { DeterminantalVariety } from "./determinantal";

/**
 * The functional space `M = closure(mu(R^{d_theta}))` of a linear network, as a {@link DeterminantalVariety}:
 * - a network with `widths` (deep linear): `M_r`, `r = min_i d_i` (G1; all matrices when filling);
 * - a network with a numeric `rankBudget` (multi-tower, A4): `M_b`, `b = min(rankBudget, m, n)`;
 * - a network with a numeric `bottleneck`: `M_bottleneck`.
 * @param net - a {@link Parameterization}.
 * @throws DomainError when `net` is not a Parameterization; AssumptionError when its functional space is not
 *   a determinantal variety the library knows (e.g. a ReLU network): pass the space explicitly instead.
 */
export function functionalSpaceOf(net: Parameterization): DeterminantalVariety {
  const fn = "functionalSpaceOf";
  if (!net || typeof net !== "object" || !Array.isArray(net.outputShape)) {
    throw new DomainError(fn, `net must be a Parameterization; got ${describe(net)}`);
  }
  const [m, n] = net.outputShape;
  const any = net as unknown as { widths?: unknown; rankBudget?: unknown; bottleneck?: unknown; linear?: unknown };
  if (Array.isArray(any.widths) && any.widths.every((d) => Number.isInteger(d) && d >= 1) && !/relu/i.test(net.description)) {
    const r = Math.min(...(any.widths as number[]));
    return new DeterminantalVariety(m, n, Math.min(r, m, n));
  }
  if (typeof any.rankBudget === "number" && Number.isInteger(any.rankBudget) && any.rankBudget >= 0) {
    return new DeterminantalVariety(m, n, Math.min(any.rankBudget, m, n));
  }
  if (typeof any.bottleneck === "number" && Number.isInteger(any.bottleneck) && any.bottleneck >= 0) {
    return new DeterminantalVariety(m, n, Math.min(any.bottleneck, m, n));
  }
  throw new AssumptionError(fn, `net must be a linear network with widths or a rankBudget (its functional space a determinantal variety); got ${net.description}; pass options.space explicitly`);
}
