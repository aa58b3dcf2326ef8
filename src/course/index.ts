/**
 * Course helpers: per-chapter loops, sweeps and chart data that notebooks call (kept out of notebook cells,
 * where tslab runs top-level loops about 370× slower).
 * @module
 */
export * from "./ch03";
export * from "./ch04";
export * from "./ch05";
