/**
 * Charts: pure Vega-Lite 5 spec builders (tested without a kernel) and the `Chart` bundle that renders a PNG
 * inside the kernel.
 * @module
 */
export * from "./spec";
export * from "./xy";
export * from "./line";
export * from "./scatter";
export * from "./bars";
export * from "./grid";
export * from "./heatmap";
export * from "./layer";
export * from "./theory";
export * from "./describe";
export { ChartError, DEFAULT_PNG_SCALE, chartFontPath, compileSpec, pngSize, renderSvg, renderPng, PngOptions } from "./render";
export { Chart, chart } from "./chart";
