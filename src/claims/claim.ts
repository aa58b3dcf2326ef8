/**
 * Claim cells: `claim(label, { statement, expected, measured, tol })` checks a prediction of a theorem against a
 * measurement, records the verdict, shows it, and throws when it fails.
 *
 * Display choice (one behaviour, so a verdict never shows twice): `claim()` itself sends its verdict through
 * `display()` (a `display_data` output the course runner always sees, wherever the call sits in the cell) and
 * returns `void`, so there is no cell value to show again. Read verdicts back with {@link verdicts}, or
 * compute one without side effects with {@link checkClaim}.
 * @module
 */
import { DomainError, LandscapeError, describe } from "../core/errors";
import { display } from "../display/display";
import { fmtValue } from "../display/format";
import { CLAIM_MIME, JUPYTER_DISPLAY, MimeBundle } from "../display/mime";
import { Table } from "../display/table";

/** A claimed or measured value: a number, boolean or string, or an array of them (elementwise). */
export type ClaimValue = number | boolean | string | readonly number[] | readonly boolean[] | readonly string[] | Float64Array;

/**
 * How `measured` is compared with `expected` (elementwise for arrays of equal length):
 * - `"mixed"` (default for non-integer numbers): `|m - e| <= tol · max(1, |e|)`;
 * - `"abs"`: `|m - e| <= tol`; `"rel"`: `|m - e| <= tol · |e|`;
 * - `"exact"` (default for booleans, strings, and numbers that are both integers when `tol` is omitted): `m === e`;
 * - `"multiset"`: number arrays compared after sorting, each pair as `"mixed"`;
 * - `"set"`: like `"multiset"` after merging values within `tol` (relative, as `"mixed"`) of each other;
 * - `"le"`: `m <= e + tol`; `"ge"`: `m >= e - tol` (default `tol` 0), for bounds such as `gap <= 1e-6`.
 */
export type ClaimMode = "mixed" | "abs" | "rel" | "exact" | "multiset" | "set" | "le" | "ge";

/** Default tolerance of numeric claims (`"mixed"`, `"abs"`, `"rel"`, `"multiset"`, `"set"`): 1e-8. */
export const DEFAULT_CLAIM_TOL = 1e-8;

/**
 * Where a claim's expected value comes from, independently of the measurement:
 * - `"paper"`: a formula or number stated in the source paper, evaluated directly;
 * - `"hand"`: a hand derivation shown in the chapter or in docs/theory.md;
 * - `"independent computation"`: a different algorithm than the one measured (another solver, a brute-force
 *   enumeration, finite differences against an analytic derivative);
 * - `"library closed form"`: a closed form implemented in the library (e.g. `criticalImages`), checked against
 *   a measurement made another way (optimiser endpoints, a finder survey).
 * A claim whose expectation and measurement come from the same routine is not a claim; show it as a fact.
 */
export type ClaimSource = "paper" | "hand" | "independent computation" | "library closed form";

/** The accepted {@link ClaimSource} values. */
export const CLAIM_SOURCES: readonly ClaimSource[] = Object.freeze(["paper", "hand", "independent computation", "library closed form"]);

/** What a claim cell states and measures. */
export interface ClaimSpec {
  /** The statement, in words (Markdown/LaTeX allowed), e.g. `"rank mu(theta) = r for generic theta"`. */
  statement: string;
  /** The theorem's prediction. */
  expected: ClaimValue;
  /** What the notebook measured. */
  measured: ClaimValue;
  /** Tolerance (>= 0); default {@link DEFAULT_CLAIM_TOL}, or 0 for exact, `"le"` and `"ge"` comparisons. */
  tol?: number;
  /** Comparison; default chosen from the values (see {@link ClaimMode}). */
  mode?: ClaimMode;
  /** Provenance of `expected` (required): see {@link ClaimSource}. */
  source: ClaimSource;
  /** Where exactly, in a few words: `"Eckart–Young"`, `"[TKB] Thm 5"`, `"hand: ΔL = (1 − K²) t⁴"`, `"brute force over all subsets"`. */
  ref?: string;
}

const SPEC_KEYS = ["statement", "expected", "measured", "tol", "mode", "source", "ref"];

/** A recorded verdict; its JSON form travels in the claim MIME type to the course runner. */
export interface Verdict {
  /** THEOREMS.md label, possibly with a suffix: "T5", "T5.count", "Ex-1". */
  readonly label: string;
  readonly statement: string;
  readonly expected: ClaimValue;
  readonly measured: ClaimValue;
  /** The tolerance used (0 for exact comparisons). */
  readonly tol: number;
  readonly mode: ClaimMode;
  /** Provenance of the expected value. */
  readonly source: ClaimSource;
  /** Where exactly ("" when not given). */
  readonly ref: string;
  readonly pass: boolean;
  /** Why it failed (or the largest deviation when it passed), e.g. "max |m - e| = 3e-9 at index 2". */
  readonly detail: string;
}

/**
 * Labels of THEOREMS.md: G1–G2, T1–T7, D1, P1–P5, Ex-1, Ex-2, A1–A7, B1–B9, optionally followed by
 * lowercase letters and/or `.suffix` parts (`T5.count`, `B4a`, `Ex-2.escape`).
 */
export const CLAIM_LABEL = /^(G[12]|T[1-7]|D1|P[1-5]|Ex-[12]|A[1-7]|B[1-9])(?![0-9])([a-z]*)((\.[A-Za-z0-9_-]+)*)$/;

const extraLabels = new Set<string>();
const EXTRA_LABEL = /^[A-Z][A-Za-z]*-?[0-9]+[a-z]?$/;

/**
 * Adds labels of a new experiment to the ones {@link claim} accepts, for forks that state results of their
 * own (THEOREMS.md labels are always accepted). A label is a capital letter, optional letters and dash,
 * then a number (`E1`, `Exp-3`, `R2a`); claims may use it with `.suffix` parts like the built-in labels.
 * Labels are kept for the process (one notebook in the kernel).
 * @param labels - the new base labels.
 * @throws DomainError for a label that does not have that form.
 * @example defineClaimLabels("E1", "E2"); claim("E1.gap", { statement, expected: 0, measured: gap, tol: 1e-6 });
 */
export function defineClaimLabels(...labels: string[]): void {
  for (const l of labels) {
    if (typeof l !== "string" || !EXTRA_LABEL.test(l)) {
      throw new DomainError("defineClaimLabels", `each label must look like "E1", "Exp-3" or "R2a" (capital letter, letters, optional dash, number); got ${describe(l)}`);
    }
    extraLabels.add(l);
  }
}

/** True when `label` is a THEOREMS.md label or one added by {@link defineClaimLabels} (with optional `.suffix` parts). */
export function isClaimLabel(label: unknown): label is string {
  if (typeof label !== "string") return false;
  if (CLAIM_LABEL.test(label)) return true;
  const [base, ...rest] = label.split(".");
  return extraLabels.has(base) && rest.every((part) => /^[A-Za-z0-9_-]+$/.test(part));
}

/** A claim's measurement does not match the theorem's prediction within tolerance. */
export class ClaimError extends LandscapeError {
  /** The failed verdict. */
  readonly verdict: Verdict;
  constructor(verdict: Verdict) {
    super(
      "claim",
      `${verdict.label} must hold: ${verdict.statement}; expected ${fmtValue(verdict.expected, 12)}, measured ${fmtValue(verdict.measured, 12)} (tol ${fmtValue(verdict.tol)}, ${verdict.mode}; ${verdict.detail})`,
    );
    this.verdict = verdict;
  }
}

const registry: Verdict[] = [];

/** All verdicts recorded by {@link claim} in this process (the kernel process: one notebook), in order. */
export function verdicts(): Verdict[] {
  return registry.slice();
}

/** Forgets the recorded verdicts (tests; a notebook never needs it). */
export function clearVerdicts(): void {
  registry.length = 0;
}

type Scalar = number | boolean | string;

function isNumArray(v: unknown): v is readonly number[] | Float64Array {
  return (Array.isArray(v) && v.every((t) => typeof t === "number")) || v instanceof Float64Array;
}

function checkValue(name: string, v: unknown): ClaimValue {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v)) {
    const kinds = new Set(v.map((t) => typeof t));
    if (kinds.size <= 1 && [...kinds].every((k) => k === "number" || k === "boolean" || k === "string")) return v as ClaimValue;
  }
  throw new DomainError("claim", `${name} must be a number, boolean, string or an array of one of them; got ${describe(v)}`);
}

function scalarKind(v: Scalar): string {
  return typeof v;
}

/**
 * Evaluates a claim without side effects (no registry, no display, no throw).
 * @returns the {@link Verdict}.
 * @throws DomainError for a label not in THEOREMS.md, an empty statement, values of different kinds, a
 * non-finite expected number, a negative or non-finite tol, or a mode that does not fit the values.
 */
export function checkClaim(label: string, spec: ClaimSpec): Verdict {
  if (!isClaimLabel(label)) {
    throw new DomainError(
      "claim",
      `label must be a THEOREMS.md label (G1, G2, T1..T7, D1, P1..P5, Ex-1, Ex-2, A1..A7, B1..B9, optionally with a suffix such as "T5.count") or one added with defineClaimLabels; got ${describe(label)}`,
    );
  }
  if (typeof spec !== "object" || spec === null) throw new DomainError("claim", `the second argument must be { statement, expected, measured, source, tol?, mode?, ref? }; got ${describe(spec)}`);
  for (const k of Object.keys(spec)) {
    if (!SPEC_KEYS.includes(k)) throw new DomainError("claim", `unknown key ${describe(k)} in the claim spec; valid keys: ${SPEC_KEYS.join(", ")}`);
  }
  if (!CLAIM_SOURCES.includes(spec.source)) {
    throw new DomainError("claim", `source must say where the expected value comes from, one of ${CLAIM_SOURCES.map((x) => `"${x}"`).join(", ")}; got ${describe(spec.source)}`);
  }
  if (spec.ref !== undefined && typeof spec.ref !== "string") throw new DomainError("claim", `ref must be a string; got ${describe(spec.ref)}`);
  if (typeof spec.statement !== "string" || spec.statement.trim() === "") throw new DomainError("claim", `statement must be a non-empty string; got ${describe(spec.statement)}`);
  const expected = checkValue("expected", spec.expected);
  const measured = checkValue("measured", spec.measured);
  if (spec.tol !== undefined && (typeof spec.tol !== "number" || !Number.isFinite(spec.tol) || spec.tol < 0)) {
    throw new DomainError("claim", `tol must be a finite number >= 0; got ${describe(spec.tol)}`);
  }
  const modes: ClaimMode[] = ["mixed", "abs", "rel", "exact", "multiset", "set", "le", "ge"];
  if (spec.mode !== undefined && !modes.includes(spec.mode)) throw new DomainError("claim", `mode must be one of ${modes.join(", ")}; got ${describe(spec.mode)}`);

  const eArr = typeof expected === "object";
  const mArr = typeof measured === "object";
  if (eArr !== mArr) throw new DomainError("claim", `expected and measured must both be scalars or both arrays; got ${describe(expected)} and ${describe(measured)}`);
  const eList: Scalar[] = eArr ? Array.from(expected as ArrayLike<Scalar>) : [expected as Scalar];
  const mList: Scalar[] = mArr ? Array.from(measured as ArrayLike<Scalar>) : [measured as Scalar];
  const kinds = new Set([...eList, ...mList].map(scalarKind));
  if (kinds.size > 1) throw new DomainError("claim", `expected and measured must hold the same kind of values; got ${[...kinds].join(" and ")}`);
  const kind = [...kinds][0] ?? "number";
  eList.forEach((e, i) => {
    if (typeof e === "number" && !Number.isFinite(e)) throw new DomainError("claim", `expected${eArr ? `[${i}]` : ""} must be finite; got ${describe(e)}`);
  });

  let mode: ClaimMode;
  if (spec.mode !== undefined) mode = spec.mode;
  else if (kind !== "number") mode = "exact";
  else if (spec.tol === undefined && [...eList, ...mList].every((v) => Number.isInteger(v))) mode = "exact";
  else mode = "mixed";
  if (kind !== "number" && mode !== "exact") throw new DomainError("claim", `mode "${mode}" needs numbers; got ${kind} values (use "exact")`);
  if ((mode === "multiset" || mode === "set") && !(eArr && isNumArray(expected) && isNumArray(measured))) {
    throw new DomainError("claim", `mode "${mode}" needs arrays of numbers for expected and measured`);
  }
  const tol = mode === "exact" ? 0 : spec.tol ?? (mode === "le" || mode === "ge" ? 0 : DEFAULT_CLAIM_TOL);

  const verdict = (pass: boolean, detail: string): Verdict =>
    Object.freeze({
      label,
      statement: spec.statement,
      expected: eArr ? Object.freeze(Array.from(expected as ArrayLike<Scalar>)) as ClaimValue : expected,
      measured: mArr ? Object.freeze(Array.from(measured as ArrayLike<Scalar>)) as ClaimValue : measured,
      tol,
      mode,
      source: spec.source,
      ref: spec.ref ?? "",
      pass,
      detail,
    });

  let es = eList;
  let ms = mList;
  if (mode === "multiset" || mode === "set") {
    const sort = (xs: Scalar[]): number[] => (xs as number[]).slice().sort((a, b) => a - b);
    es = sort(eList);
    ms = sort(mList);
    if (mode === "set") {
      const merge = (xs: number[]): number[] => xs.filter((x, i) => i === 0 || Math.abs(x - xs[i - 1]) > tol * Math.max(1, Math.abs(xs[i - 1])));
      es = merge(es as number[]);
      ms = merge(ms as number[]);
    }
  }
  if (es.length !== ms.length) return verdict(false, `${mode === "set" ? "distinct values" : "lengths"} differ: expected ${es.length}, measured ${ms.length}`);

  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < es.length; i++) {
    const e = es[i];
    const m = ms[i];
    const at = eArr ? ` at index ${i}` : "";
    if (mode === "exact") {
      if (e !== m) return verdict(false, `${fmtValue(m, 12)} ≠ ${fmtValue(e, 12)}${at}`);
      continue;
    }
    const en = e as number;
    const mn = m as number;
    if (!Number.isFinite(mn)) return verdict(false, `measured${at} is ${fmtValue(mn)}`);
    const d = mn - en;
    let ok: boolean;
    let dev: number;
    if (mode === "le") {
      ok = mn <= en + tol;
      dev = d;
    } else if (mode === "ge") {
      ok = mn >= en - tol;
      dev = -d;
    } else {
      const scale = mode === "abs" ? 1 : mode === "rel" ? Math.abs(en) : Math.max(1, Math.abs(en));
      ok = Math.abs(d) <= tol * scale;
      dev = Math.abs(d);
    }
    if (dev > worst || worstAt < 0) {
      worst = dev;
      worstAt = i;
    }
    if (!ok) {
      const what = mode === "le" ? `m - e = ${fmtValue(d)} > tol` : mode === "ge" ? `e - m = ${fmtValue(-d)} > tol` : `|m - e| = ${fmtValue(Math.abs(d))}`;
      return verdict(false, `${what}${at}`);
    }
  }
  if (mode === "exact") return verdict(true, "equal");
  if (mode === "le" || mode === "ge") return verdict(true, `bound holds${es.length > 1 ? ` for all ${es.length}` : ""}`);
  return verdict(true, `max |m - e| = ${fmtValue(worst, 3)}${eArr && es.length > 1 ? ` at index ${worstAt}` : ""}`);
}

function jsonSafe(v: ClaimValue): unknown {
  const one = (x: Scalar): unknown => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x);
  return typeof v === "object" ? Array.from(v as ArrayLike<Scalar>).map(one) : one(v as Scalar);
}

/** A verdict argument: an object with a string label and a boolean `pass` (as {@link checkClaim} returns). */
function verdictArg(fn: string, v: unknown): asserts v is Verdict {
  const o = v as Partial<Verdict> | null;
  if (!o || typeof o !== "object" || typeof o.label !== "string" || typeof o.pass !== "boolean") throw new DomainError(fn, `v must be a Verdict (from checkClaim or verdicts()); got ${describe(v)}`);
}

/**
 * The verdict as JSON for {@link CLAIM_MIME}: `{ label, statement, expected, measured, tol, pass, mode, source, ref, detail }` (NaN/∞ as strings).
 * @throws DomainError unless `v` is a Verdict.
 */
export function verdictJson(v: Verdict): Record<string, unknown> {
  verdictArg("verdictJson", v);
  return {
    label: v.label,
    statement: v.statement,
    expected: jsonSafe(v.expected),
    measured: jsonSafe(v.measured),
    tol: v.tol,
    pass: v.pass,
    mode: v.mode,
    source: v.source,
    ref: v.ref,
    detail: v.detail,
  };
}

/** "source" or "source: ref", as shown next to the expected value. */
function provenance(v: Verdict): string {
  return v.ref ? `${v.source}: ${v.ref}` : v.source;
}

/**
 * The MIME bundle of a verdict: `text/markdown` (a small block with ✔/✘, label, statement, expected vs
 * measured, tolerance), `text/plain`, and {@link CLAIM_MIME} with {@link verdictJson}. Never `text/html`.
 * @throws DomainError unless `v` is a Verdict.
 */
export function verdictBundle(v: Verdict): MimeBundle {
  verdictArg("verdictBundle", v);
  const mark = v.pass ? "✔" : "✘";
  const word = v.pass ? "holds" : "FAILS";
  const tolText = v.mode === "exact" ? "exact" : `tol ${fmtValue(v.tol)}, ${v.mode}`;
  const md =
    `> ${mark} **${v.label}** ${word}: ${v.statement}  \n` +
    `> expected \`${fmtValue(v.expected, 10)}\` (${provenance(v)}) · measured \`${fmtValue(v.measured, 10)}\` · ${tolText} · ${v.detail}`;
  const plain = `${mark} ${v.label} ${word}: ${v.statement}\n  expected ${fmtValue(v.expected, 10)} (${provenance(v)}), measured ${fmtValue(v.measured, 10)} (${tolText}; ${v.detail})`;
  return { "text/markdown": md, "text/plain": plain, [CLAIM_MIME]: verdictJson(v) };
}

/**
 * States a theorem's prediction and checks it against a measurement: records the verdict, displays it
 * (✔/✘ block; under the kernel as `display_data` carrying {@link CLAIM_MIME} for the course runner, in plain
 * Node as text on stdout), and throws {@link ClaimError} when it fails (after displaying the failed verdict).
 *
 * ```ts
 * claim("G1", { statement: "dim M_r = r(d_0 + d_h - r)", expected: 3 * (4 + 5 - 3) - 0, measured: jacobianRank, source: "paper", ref: "[TKB] Thm 1" });
 * claim("T4", { statement: "best survey value = convex optimum", expected: convexOptimum, measured: best, tol: 1e-6, source: "independent computation", ref: "Newton on the convex loss" });
 * ```
 * Returns `void` on purpose: the verdict is already displayed, so a claim as a cell's last line does not show
 * twice. Comparison rules and defaults: {@link ClaimMode}, {@link DEFAULT_CLAIM_TOL}.
 * @param label - a THEOREMS.md label, optionally with a suffix ({@link CLAIM_LABEL}).
 * @param spec - statement, expected, measured, source (provenance of expected), optional tol, mode and ref.
 * @throws DomainError for a bad label, a missing or unknown source, an unknown key or a malformed spec (nothing recorded); ClaimError when the claim fails.
 * Used by every chapter (chapter 00: G1).
 */
export function claim(label: string, spec: ClaimSpec): void {
  const v = checkClaim(label, spec);
  registry.push(v);
  display({ [JUPYTER_DISPLAY]: () => verdictBundle(v) });
  if (!v.pass) throw new ClaimError(v);
}

/**
 * A displayable table of verdicts (label, pass, statement, expected, source of the expectation, measured, tol), e.g. a chapter's summary.
 * @param list - default: all recorded {@link verdicts}.
 * @throws DomainError unless `list` is an array of Verdicts.
 */
export function verdictTable(list: readonly Verdict[] = verdicts()): Table {
  if (!Array.isArray(list)) throw new DomainError("verdictTable", `list must be an array of verdicts; got ${describe(list)}`);
  list.forEach((v) => verdictArg("verdictTable", v));
  return new Table(
    list.map((v) => ({ label: v.label, pass: v.pass, statement: v.statement, expected: v.expected, source: provenance(v), measured: v.measured, tol: v.mode === "exact" ? "exact" : v.tol })),
    { title: `Claims: ${list.filter((v) => v.pass).length} of ${list.length} hold`, digits: 8 },
  );
}
