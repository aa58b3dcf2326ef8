export * from "./gaussianBinomial";
export * from "./closedForms";
export * from "./zhouLiang";
export * from "./examples";
export * from "./purity";
export * from "./escape";
export * from "./verdict";
export * from "./edDegree";
