/**
 * `Table` / `report(rows)`: a displayable table of records (Markdown + plain text), for summaries and
 * verdict tables in every chapter.
 * @module
 */
import { checkOptions } from "../core/options";
import { DomainError, describe } from "../core/errors";
import { FMT_DIGITS } from "./format";
import { markdownTable, plainTable } from "./markdown";
import { JUPYTER_DISPLAY, MimeBundle } from "./mime";

/** A table row: column name -> cell (number, string, boolean, array, ...). */
export type Row = Readonly<Record<string, unknown>>;

/** Options of {@link Table} / {@link report}. */
export interface TableOptions {
  /** Columns to show, in order (default: the union of the rows' keys in first-seen order). */
  columns?: readonly string[];
  /** Header text per column (default: the column name). */
  headers?: Readonly<Record<string, string>>;
  /** A title shown above the table (bold in Markdown). */
  title?: string;
  /** Significant digits of numbers (default 6). */
  digits?: number;
}

/**
 * A table of records that displays itself as `text/markdown` (a GFM table) and `text/plain` (aligned
 * columns). Numbers are formatted without float noise, booleans as ✔/✘, missing cells as —.
 * Rows are copied (shallowly) at construction.
 */
export class Table {
  /** The rows, as given. */
  readonly rows: readonly Row[];
  /** The columns shown, in order. */
  readonly columns: readonly string[];
  /** Optional title. */
  readonly title: string | undefined;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly digits: number;

  /**
   * @param rows - an array of plain objects.
   * @param options - see {@link TableOptions}.
   * @throws DomainError when `rows` is not an array of objects, or `columns`/`headers` are not strings.
   */
  constructor(rows: readonly Row[], options: TableOptions = {}) {
    checkOptions("Table", options, ["columns", "headers", "title", "digits"]);
    if (!Array.isArray(rows)) throw new DomainError("Table", `rows must be an array of objects; got ${describe(rows)}`);
    rows.forEach((r, i) => {
      if (typeof r !== "object" || r === null || Array.isArray(r)) throw new DomainError("Table", `rows[${i}] must be a plain object; got ${describe(r)}`);
    });
    let columns: string[];
    if (options.columns !== undefined) {
      if (!Array.isArray(options.columns) || options.columns.length === 0 || options.columns.some((c) => typeof c !== "string")) {
        throw new DomainError("Table", `options.columns must be a non-empty array of strings; got ${describe(options.columns)}`);
      }
      columns = options.columns.slice();
    } else {
      const seen = new Set<string>();
      for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
      columns = Array.from(seen);
    }
    if (columns.length === 0) throw new DomainError("Table", "rows must have at least one column; got rows without keys");
    this.rows = Object.freeze(rows.map((r) => Object.freeze({ ...r })));
    this.columns = Object.freeze(columns);
    this.title = options.title;
    this.headers = { ...(options.headers ?? {}) };
    this.digits = options.digits ?? FMT_DIGITS;
  }

  private cells(): { headers: string[]; rows: unknown[][] } {
    return {
      headers: this.columns.map((c) => this.headers[c] ?? c),
      rows: this.rows.map((r) => this.columns.map((c) => r[c])),
    };
  }

  /** The table as GitHub-flavoured Markdown (title in bold above it). */
  toMarkdown(): string {
    const { headers, rows } = this.cells();
    const t = markdownTable(headers, rows, this.digits);
    return this.title ? `**${this.title}**\n\n${t}` : t;
  }

  /** The table as aligned plain text. */
  toString(): string {
    const { headers, rows } = this.cells();
    const t = plainTable(headers, rows, this.digits);
    return this.title ? `${this.title}\n${t}` : t;
  }

  /** Rich display: `text/markdown` and `text/plain`. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/markdown": this.toMarkdown(), "text/plain": this.toString() };
  }
}

/**
 * A displayable table of records: `report([{ widths: "(3,2,4)", r: 2, filling: false }])`.
 * @param rows - plain objects; columns are their keys (or `options.columns`).
 * @throws DomainError as {@link Table}.
 * Used by chapter 00 (architectures) and by every chapter's verdict tables.
 */
export function report(rows: readonly Row[], options: TableOptions = {}): Table {
  return new Table(rows, options);
}
