/**
 * Number formatting for notebook output: no float noise (`2.5000000000000004` prints as `2.5`), stable
 * across runs, with exponent notation only where it helps reading.
 * @module
 */
import { DomainError, describe } from "../core/errors";

/** Default number of significant digits of {@link fmt}. */
export const FMT_DIGITS = 6;

function checkDigits(fn: string, digits: unknown): number {
  if (typeof digits !== "number" || !Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new DomainError(fn, `digits must be an integer in [1, 17]; got ${describe(digits)}`);
  }
  return digits;
}

/**
 * Formats a number with at most `digits` significant digits and no trailing zeros.
 *
 * `fmt(2.5000000000000004) === "2.5"`, `fmt(1/3) === "0.333333"`, `fmt(-0) === "0"`, `fmt(1e-12) === "1e-12"`,
 * `fmt(123456789) === "1.23457e+8"`, `fmt(NaN) === "NaN"`, `fmt(Infinity) === "∞"`. Integers with at most
 * `digits` digits print in full (`fmt(42) === "42"`). Fixed notation is used for `1e-4 <= |x| < 10^digits`,
 * exponent notation (`1.5e-7`) otherwise. Used by every display of the library (matrices, tables, claims).
 * @param x - the number (bigints and numeric strings are not accepted).
 * @param digits - significant digits, integer in [1, 17]; default {@link FMT_DIGITS} = 6.
 * @throws DomainError when `x` is not a number or `digits` is out of range.
 */
export function fmt(x: number, digits: number = FMT_DIGITS): string {
  checkDigits("fmt", digits);
  if (typeof x !== "number") throw new DomainError("fmt", `x must be a number; got ${describe(x)}`);
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  if (Number.isInteger(x) && ax < 10 ** digits) return String(x);
  if (ax >= 1e-4 && ax < 10 ** digits) {
    // fixed notation with `digits` significant digits, trailing zeros dropped
    const s = x.toPrecision(digits);
    if (s.includes("e")) return stripExp(s);
    return stripZeros(s);
  }
  return stripExp(x.toExponential(digits - 1));
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s === "-0" ? "0" : s;
  const t = s.replace(/0+$/, "").replace(/\.$/, "");
  return t === "-0" ? "0" : t;
}

function stripExp(s: string): string {
  const [mant, e] = s.split("e");
  const m = stripZeros(mant);
  const ev = Number(e);
  return `${m}e${ev >= 0 ? "+" : ""}${ev}`;
}

/**
 * Formats a number as LaTeX: like {@link fmt}, with `1.5e-7` as `1.5 \times 10^{-7}` and `∞` as `\infty`.
 * @throws DomainError as {@link fmt}.
 */
export function fmtLatex(x: number, digits: number = FMT_DIGITS): string {
  const s = fmt(x, digits);
  if (s === "∞") return "\\infty";
  if (s === "-∞") return "-\\infty";
  if (s === "NaN") return "\\mathrm{NaN}";
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const e = Number(m[2]);
  return m[1] === "1" ? `10^{${e}}` : m[1] === "-1" ? `-10^{${e}}` : `${m[1]} \\times 10^{${e}}`;
}

/**
 * Formats any value for a table cell or a verdict: numbers with {@link fmt}, booleans as `✔`/`✘`, arrays
 * and typed arrays as `[a, b, ...]` (first 12 items), matrices as `m×n matrix`, null/undefined as `—`,
 * everything else with `String`.
 */
export function fmtValue(value: unknown, digits: number = FMT_DIGITS): string {
  if (typeof value === "number") return fmt(value, digits);
  if (typeof value === "boolean") return value ? "✔" : "✘";
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const arr = Array.from(value as ArrayLike<unknown>);
    const items = arr.slice(0, 12).map((v) => fmtValue(v, digits));
    return `[${items.join(", ")}${arr.length > 12 ? `, … (${arr.length})` : ""}]`;
  }
  if (value instanceof Set) return `{${Array.from(value).map((v) => fmtValue(v, digits)).join(", ")}}`;
  const v = value as { rows?: unknown; columns?: unknown };
  if (typeof v.rows === "number" && typeof v.columns === "number") return `${v.rows}×${v.columns} matrix`;
  return String(value);
}
