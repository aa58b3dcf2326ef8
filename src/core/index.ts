export * from "./errors";
export * from "./matrix";
export * from "./random";
export * from "./linalg";
export * from "./blocks";
export * from "./nnls";
export * from "./fit";
export * from "./polynomial";
