/**
 * Functional spaces: all matrices and the determinantal variety `M_r` (G1, G2), with the functional space
 * of a network (`functionalSpaceOf`).
 * @module
 */
export * from "./determinantal";
export * from "./ofNetwork";
export * from "./edDegree";
