export * from "./widths";
export * from "./parameterization";
export * from "./deepLinear";
export * from "./differential";
export * from "./multiTower";
export * from "./relu";
export * from "./fibres";
export * from "./polarRankOne";
