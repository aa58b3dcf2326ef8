/**
 * Rich display in the project kernel: `display(value)`, number formatting, Markdown/LaTeX tables and
 * matrices, displayable tables. Importing the library makes ml-matrix matrices display as LaTeX.
 * @module
 */
export * from "./mime";
export * from "./format";
export * from "./markdown";
export * from "./display";
export * from "./table";
export * from "./matrixDisplay";
