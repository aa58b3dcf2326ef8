export * from "./widths";
export * from "./parameterization";
export * from "./deepLinear";
