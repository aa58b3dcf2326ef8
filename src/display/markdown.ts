/**
 * Markdown and LaTeX text for notebook output: tables and matrices, numbers formatted with {@link fmt}.
 * @module
 */
import { checkOptions } from "../core/options";
import { DomainError, ShapeError, describe } from "../core/errors";
import { FMT_DIGITS, fmtLatex, fmtValue } from "./format";

/**
 * Escapes `|`, backslashes and newlines so a value fits in one Markdown table cell.
 * @throws DomainError unless `s` is a string.
 */
export function escapeMarkdownCell(s: string): string {
  if (typeof s !== "string") throw new DomainError("escapeMarkdownCell", `s must be a string; got ${describe(s)}`);
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function checkTable(fn: string, headers: unknown, rows: unknown): void {
  if (!Array.isArray(headers) || headers.length === 0) {
    throw new DomainError(fn, `headers must be a non-empty array of strings; got ${describe(headers)}`);
  }
  headers.forEach((h, j) => {
    if (typeof h !== "string") throw new DomainError(fn, `headers[${j}] must be a string; got ${describe(h)}`);
  });
  if (!Array.isArray(rows)) throw new DomainError(fn, `rows must be an array of rows; got ${describe(rows)}`);
  rows.forEach((r, i) => {
    if (!Array.isArray(r)) throw new ShapeError(fn, `rows[${i}] must be an array of ${headers.length} cells; got ${describe(r)}`);
    if (r.length !== headers.length) {
      throw new ShapeError(fn, `rows[${i}] must have ${headers.length} cells (one per header); got ${r.length}`);
    }
  });
}

/**
 * A GitHub-flavoured Markdown table. Cells are formatted with {@link fmtValue} (numbers without float noise,
 * booleans as ✔/✘) and escaped; numeric columns are right-aligned.
 *
 * Example: `markdownTable(["widths", "r"], [["(3,2,4)", 2]])`.
 * @param headers - column titles, `k` strings.
 * @param rows - each an array of `k` cells (numbers, strings, booleans, arrays).
 * @param digits - significant digits for numbers (default 6).
 * @throws DomainError for empty or non-string headers; ShapeError for a row whose length is not `k`.
 * Used by every chapter through {@link Table} and by the claim verdicts.
 */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>, digits: number = FMT_DIGITS): string {
  checkTable("markdownTable", headers, rows);
  const numeric = headers.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number"));
  const head = `| ${headers.map(escapeMarkdownCell).join(" | ")} |`;
  const rule = `|${numeric.map((n) => (n ? "---:" : ":---")).join("|")}|`;
  const body = rows.map((r) => `| ${r.map((c) => escapeMarkdownCell(fmtValue(c, digits))).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

/**
 * A plain-text table with aligned columns (numbers right-aligned), for `text/plain` output.
 * @throws as {@link markdownTable}.
 */
export function plainTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>, digits: number = FMT_DIGITS): string {
  checkTable("plainTable", headers, rows);
  const cells = rows.map((r) => r.map((c) => fmtValue(c, digits)));
  const numeric = headers.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number"));
  const width = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  const pad = (s: string, j: number): string => (numeric[j] ? s.padStart(width[j]) : s.padEnd(width[j]));
  const lines = [headers.map((h, j) => pad(h, j)).join("  "), width.map((w) => "-".repeat(w)).join("  ")];
  for (const r of cells) lines.push(r.map((c, j) => pad(c, j)).join("  ").replace(/\s+$/, ""));
  return lines.join("\n");
}

/** Options of {@link latexMatrix}. */
export interface LatexMatrixOptions {
  /** Significant digits of the entries (default 4). */
  digits?: number;
  /** Show at most this many rows; larger matrices show the first and last rows around `\vdots` (default 8). */
  maxRows?: number;
  /** Show at most this many columns; larger matrices show the first and last columns around `\cdots` (default 8). */
  maxCols?: number;
  /** Environment name: `bmatrix` (default), `pmatrix`, `matrix`. */
  env?: "bmatrix" | "pmatrix" | "matrix";
}

/** The entries a matrix-like value exposes: ml-matrix `Matrix` (or any object with `rows`, `columns`, `get`), or `number[][]`. */
export type MatrixInput = { rows: number; columns: number; get(i: number, j: number): number } | ReadonlyArray<ReadonlyArray<number>>;

function accessor(fn: string, M: unknown): { rows: number; cols: number; get(i: number, j: number): number } {
  if (Array.isArray(M)) {
    const cols = M.length > 0 && Array.isArray(M[0]) ? M[0].length : 0;
    M.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== cols) throw new ShapeError(fn, `M must have equal-length rows; row ${i} is ${describe(r)}, row 0 has length ${cols}`);
    });
    return { rows: M.length, cols, get: (i, j) => (M as number[][])[i][j] };
  }
  const m = M as { rows?: unknown; columns?: unknown; get?: unknown };
  if (m && typeof m.rows === "number" && typeof m.columns === "number" && typeof m.get === "function") {
    const g = m.get as (i: number, j: number) => number;
    return { rows: m.rows, cols: m.columns, get: (i, j) => g.call(M, i, j) };
  }
  throw new ShapeError(fn, `M must be a Matrix or an array of number rows; got ${describe(M)}`);
}

/**
 * Indices to show of `n` when at most `max` fit: all, or the first `max-2` and the last, with a gap marker (-1).
 * @throws DomainError unless `n` is an integer in [0, 1e7] and `max` an integer >= 3.
 */
export function truncatedIndices(n: number, max: number): number[] {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 1e7) throw new DomainError("truncatedIndices", `n must be an integer in [0, 1e7]; got ${describe(n)}`);
  checkMax("truncatedIndices", "max", max);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const head = Math.max(1, max - 2);
  return [...Array.from({ length: head }, (_, i) => i), -1, n - 1];
}

function checkMax(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 3) throw new DomainError(fn, `${name} must be an integer >= 3; got ${describe(v)}`);
  return v;
}

/**
 * LaTeX for a matrix: `\begin{bmatrix} a & b \\ c & d \end{bmatrix}`, entries formatted with {@link fmtLatex}
 * (4 significant digits by default). Matrices larger than `maxRows × maxCols` keep their first rows/columns
 * and the last one, with `\vdots`, `\cdots` and `\ddots` in between; an empty matrix gives `[\,]_{m×n}`.
 * No `$` delimiters are added.
 * @param M - an `m×n` ml-matrix `Matrix` (or view) or `number[][]`.
 * @throws ShapeError for ragged rows or a non-matrix; DomainError for bad options.
 * Used by the rich display of matrices (all chapters; chapter 00 shows one).
 */
export function latexMatrix(M: MatrixInput, options: LatexMatrixOptions = {}): string {
  checkOptions("latexMatrix", options, ["digits", "maxRows", "maxCols", "env"]);
  const A = accessor("latexMatrix", M);
  const digits = options.digits ?? 4;
  const maxRows = checkMax("latexMatrix", "options.maxRows", options.maxRows ?? 8);
  const maxCols = checkMax("latexMatrix", "options.maxCols", options.maxCols ?? 8);
  const env = options.env ?? "bmatrix";
  if (!["bmatrix", "pmatrix", "matrix"].includes(env)) throw new DomainError("latexMatrix", `options.env must be bmatrix, pmatrix or matrix; got ${describe(env)}`);
  if (A.rows === 0 || A.cols === 0) return `[\\,]_{${A.rows}\\times ${A.cols}}`;
  const ri = truncatedIndices(A.rows, maxRows);
  const ci = truncatedIndices(A.cols, maxCols);
  const lines = ri.map((i) =>
    ci
      .map((j) => {
        if (i < 0 && j < 0) return "\\ddots";
        if (i < 0) return "\\vdots";
        if (j < 0) return "\\cdots";
        return fmtLatex(A.get(i, j), digits);
      })
      .join(" & "),
  );
  return `\\begin{${env}} ${lines.join(" \\\\ ")} \\end{${env}}`;
}

/**
 * Plain text for a matrix: aligned columns, entries formatted with {@link fmt}, truncated like
 * {@link latexMatrix} (`…` and `⋮`), headed by its shape, e.g. `Matrix 2×2\n[ 1  0 ]\n[ 0  1 ]`.
 * @throws as {@link latexMatrix}.
 */
export function plainMatrix(M: MatrixInput, options: LatexMatrixOptions = {}): string {
  checkOptions("plainMatrix", options, ["digits", "maxRows", "maxCols", "env"]);
  const A = accessor("plainMatrix", M);
  const digits = options.digits ?? 4;
  const maxRows = checkMax("plainMatrix", "options.maxRows", options.maxRows ?? 8);
  const maxCols = checkMax("plainMatrix", "options.maxCols", options.maxCols ?? 8);
  const title = `Matrix ${A.rows}×${A.cols}`;
  if (A.rows === 0 || A.cols === 0) return `${title} (empty)`;
  const ri = truncatedIndices(A.rows, maxRows);
  const ci = truncatedIndices(A.cols, maxCols);
  const cells = ri.map((i) => ci.map((j) => (i < 0 ? (j < 0 ? "⋱" : "⋮") : j < 0 ? "…" : fmtValue(A.get(i, j), digits))));
  const width = ci.map((_, k) => Math.max(...cells.map((r) => r[k].length)));
  return [title, ...cells.map((r) => `[ ${r.map((c, k) => c.padStart(width[k])).join("  ")} ]`)].join("\n");
}
