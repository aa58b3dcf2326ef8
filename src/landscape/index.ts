export * from "./landscape";
export * from "./check";
export * from "./slices";
export * from "./spectrum";
export * from "./deepLinearHessian";
export * from "./offFibre";
