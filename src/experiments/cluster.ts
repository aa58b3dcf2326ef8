/**
 * Clustering of final loss values from multi-start surveys: which values occur, and how often (A1 value
 * sets, T6 basin statistics).
 * @module
 */
import { DomainError, describe } from "../core/errors";

/** One group of nearly equal values. */
export interface ValueCluster {
  /** Mean of the members. */
  value: number;
  /** Smallest and largest member. */
  min: number;
  max: number;
  /** Number of members. */
  count: number;
  /** `count / (number of finite values)`. */
  fraction: number;
  /** Indices (into the input array) of the members, ascending. */
  members: number[];
}

/**
 * Groups values by single linkage on the sorted finite values: consecutive sorted values `a <= b` belong to
 * the same cluster when `b - a <= tol * max(1, |a|)` (relative above 1, absolute below). Clusters are
 * returned by increasing value; non-finite values are ignored (and not counted in `fraction`).
 * @param values - e.g. the final losses of a survey.
 * @param tol - linkage tolerance, `>= 0`; default `1e-6` (D.4: GD final loss vs predicted within 1e-6 relative).
 * @throws DomainError for a negative or non-finite `tol`, or a non-array `values`.
 * Serves A1 (E-A1a, E-A1b value sets), T6 (bad-basin fractions of Example A), B8–B9.
 */
export function clusterValues(values: readonly number[] | Float64Array, tol = 1e-6): ValueCluster[] {
  const fn = "clusterValues";
  if (!Array.isArray(values) && !(values instanceof Float64Array)) throw new DomainError(fn, `values must be an array of numbers; got ${describe(values)}`);
  if (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0) throw new DomainError(fn, `tol must be a finite number >= 0; got ${describe(tol)}`);
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (typeof values[i] === "number" && Number.isFinite(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b] || a - b);
  const total = idx.length;
  const out: ValueCluster[] = [];
  let cur: number[] = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const vs = cur.map((i) => values[i]);
    out.push({
      value: vs.reduce((s, v) => s + v, 0) / vs.length,
      min: vs[0],
      max: vs[vs.length - 1],
      count: cur.length,
      fraction: cur.length / total,
      members: cur.slice().sort((a, b) => a - b),
    });
    cur = [];
  };
  for (let k = 0; k < idx.length; k++) {
    if (k > 0) {
      const a = values[idx[k - 1]];
      const b = values[idx[k]];
      if (b - a > tol * Math.max(1, Math.abs(a))) flush();
    }
    cur.push(idx[k]);
  }
  flush();
  return out;
}
