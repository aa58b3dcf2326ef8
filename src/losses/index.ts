export * from "./loss";
