/**
 * Plain-text descriptions of chart specs (the `text/plain` part of a chart bundle): title, size, marks,
 * number of data rows, axis fields and ranges, sliders.
 * @module
 */
import { DomainError, describe } from "../core/errors";
import { fmt } from "../display/format";
import { VegaLiteSpec } from "./spec";

interface Unit {
  mark: string;
  rows: readonly Record<string, unknown>[];
  encoding: Record<string, Record<string, unknown>>;
}

function units(spec: VegaLiteSpec, inherited?: unknown, inheritedEnc?: Record<string, Record<string, unknown>>): Unit[] {
  const data = spec.data ?? inherited;
  const enc = { ...(inheritedEnc ?? {}), ...((spec.encoding as Record<string, Record<string, unknown>>) ?? {}) };
  if (Array.isArray(spec.layer)) return (spec.layer as VegaLiteSpec[]).flatMap((l) => units(l, data, enc));
  const m = spec.mark;
  const mark = typeof m === "string" ? m : typeof m === "object" && m !== null ? String((m as { type?: unknown }).type) : "?";
  const values = (data as { values?: unknown } | undefined)?.values;
  return [{ mark, rows: Array.isArray(values) ? (values as Record<string, unknown>[]) : [], encoding: enc }];
}

function channel(u: Unit, ch: string): string | undefined {
  const e = u.encoding[ch];
  if (!e) return undefined;
  const title = typeof e.title === "string" ? e.title : undefined;
  if (e.aggregate === "count") return `${ch}: ${title ?? "count"} (count of rows${u.encoding.x?.bin ? " per bin" : ""})`;
  const field = typeof e.field === "string" ? e.field : undefined;
  if (!field) return undefined;
  const name = title && title !== field ? `${JSON.stringify(title)} (field ${field})` : JSON.stringify(field);
  const scale = e.scale as { type?: unknown } | undefined;
  const log = scale && scale.type === "log" ? ", log scale" : "";
  const fields = [field];
  const f2 = u.encoding[`${ch}2`]?.field;
  if (typeof f2 === "string") fields.push(f2);
  const nums = u.rows.flatMap((r) => fields.map((f) => r[f])).filter((v): v is number => typeof v === "number");
  if (nums.length > 0 && nums.length === u.rows.length * fields.length) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of nums) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return `${ch}: ${name} in [${fmt(lo, 4)}, ${fmt(hi, 4)}]${log}${e.bin ? " (binned)" : ""}`;
  }
  const cats = new Set(u.rows.map((r) => String(r[field])));
  const list = Array.from(cats).slice(0, 6).join(", ");
  return `${ch}: ${name}, ${cats.size} value${cats.size === 1 ? "" : "s"} (${list}${cats.size > 6 ? ", …" : ""})`;
}

/**
 * Describes a Vega-Lite spec in plain text, e.g.
 * `Chart "dim M_r" (400×260 px): line with points, 15 rows; x: "r" in [0, 6]; y: "dim" in [0, 36]; color: ...`.
 * Never throws on a well-formed spec; unknown parts are skipped.
 * @throws DomainError unless `spec` is an object.
 */
export function describeSpec(spec: VegaLiteSpec): string {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new DomainError("describeSpec", `spec must be a Vega-Lite spec object; got ${describe(spec)}`);
  const title = typeof spec.title === "string" ? ` ${JSON.stringify(spec.title)}` : "";
  const size = typeof spec.width === "number" && typeof spec.height === "number" ? ` (${spec.width}×${spec.height} px)` : "";
  const us = units(spec);
  const lines = [`Chart${title}${size}${us.length > 1 ? `, ${us.length} layers` : ""}:`];
  for (const u of us) {
    const parts = [`${u.mark}, ${u.rows.length} row${u.rows.length === 1 ? "" : "s"}`];
    for (const ch of ["x", "y", "color", "shape", "strokeDash", "text"]) {
      const d = channel(u, ch);
      if (d) parts.push(d);
    }
    lines.push(`  - ${parts.join("; ")}`);
  }
  for (const p of (spec.params as Array<Record<string, unknown>> | undefined) ?? []) {
    const b = p.bind as Record<string, unknown> | undefined;
    if (b && b.input === "range") {
      lines.push(`  slider ${String(p.name)} in [${fmt(Number(b.min))}, ${fmt(Number(b.max))}] step ${fmt(Number(b.step))}, shown at ${fmt(Number(p.value))}`);
    }
  }
  return lines.join("\n");
}
