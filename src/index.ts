/**
 * linear-landscapes: loss landscapes of linear neural networks.
 *
 * One import path for notebooks and forks: `import { ... } from "linear-landscapes"`.
 * Layout: `core` (errors, checked linear algebra, seeded randomness), `networks` (architectures, mu and its
 * derivatives), `losses` (losses on matrix space), `landscape` (L = l ∘ mu), `spaces` (functional spaces M_r),
 * `optim` (optimisers and the critical-point finder on flat objectives), `critical` (critical points, closed forms, verdicts), `experiments` (seeded surveys), `plots` (Vega-Lite
 * spec builders and chart bundles), `display` (rich display in the kernel), `claims` (claim cells).
 * @packageDocumentation
 */
export * from "./core";
export * from "./networks";
export * from "./losses";
export * from "./spaces";
export * from "./optim";
export * from "./landscape";
export * from "./critical";
export * from "./experiments";
export * from "./plots";
export * from "./display";
export * from "./claims";
