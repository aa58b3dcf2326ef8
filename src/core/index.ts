export * from "./errors";
export * from "./matrix";
export * from "./random";
export * from "./linalg";
export * from "./symEigvals";
export * from "./blocks";
export * from "./nnls";
export * from "./fit";
