import type { Parameterization } from "../../src/networks";

/**
 * The same map as `net`, hidden behind a plain object: code that recognises deep linear networks (to build
 * kernel chains, or to find the functional space M_r) must fall back to its generic path for it.
 */
export function opaqueParameterization(net: Parameterization, description = "opaque " + net.description): Parameterization {
  return {
    description,
    paramShapes: net.paramShapes,
    outputShape: net.outputShape,
    paramCount: net.paramCount,
    mu: (t) => net.mu(t),
    dMu: (t, V) => net.dMu(t, V),
    dMuT: (t, G) => net.dMuT(t, G),
    d2MuT: (t, G, V) => net.d2MuT(t, G, V),
  };
}
