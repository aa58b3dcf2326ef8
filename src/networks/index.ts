export * from "./widths";
export * from "./parameterization";
export * from "./deepLinear";
export * from "./differential";
export * from "./multiTower";
export * from "./lifting";
export * from "./towerSplit";
export * from "./relu";
