/**
 * Checked options objects and work limits shared by every public entry point.
 *
 * {@link checkOptions} refuses keys a function does not know (`maxiter` for `maxIter`) with an
 * {@link UnknownOptionError} naming the nearest valid key by edit distance; {@link checkWork} refuses a dense
 * object or a grid whose size estimate exceeds a documented, overridable limit with a {@link ResourceError}
 * naming the matrix-free alternative.
 * @module
 */
import { DomainError, ResourceError, UnknownOptionError, describe } from "./errors";

/**
 * Levenshtein distance between two strings (case-insensitive).
 * @throws DomainError unless both are strings.
 */
export function editDistance(a: string, b: string): number {
  if (typeof a !== "string" || typeof b !== "string") throw new DomainError("editDistance", `a and b must be strings; got ${describe(a)} and ${describe(b)}`);
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length];
}

/** Common synonyms from other libraries, mapped to this library's option names when those are valid. */
const SYNONYMS: Record<string, readonly string[]> = {
  learningrate: ["step"],
  lr: ["step"],
  stepsize: ["step"],
  maxiterations: ["maxIter"],
  iterations: ["maxIter", "iterations"],
  seeds: ["seed", "runs"],
  color: ["colour", "color"],
  colour: ["color", "colour"],
  n: ["runs", "steps", "probes"],
};

/**
 * The valid key nearest to `key`: a known synonym, else the closest by edit distance (within `max(2, |key|/3)`).
 * @throws DomainError unless `key` is a string and `valid` an array of strings.
 */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  checkKeyList("nearestKey", valid);
  if (typeof key !== "string") throw new DomainError("nearestKey", `key must be a string; got ${describe(key)}`);
  const syn = SYNONYMS[key.toLowerCase()];
  if (syn) for (const k of syn) if (valid.includes(k)) return k;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of valid) {
    const d = editDistance(key, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Validates an options argument: `undefined` gives `{}`; anything but a plain object, or an object with
 * a key outside `validKeys`, is refused. Keys whose value is `undefined` are accepted only when valid.
 * @param fn - the public function, for the message. @param options - the caller's options.
 * @param validKeys - the keys the function reads. @param path - the argument's name (default `"options"`).
 * @returns `options` itself (typed), or `{}`.
 * @throws DomainError unless `options` is a plain object (or undefined); UnknownOptionError for an unknown key.
 */
export function checkOptions<T extends object>(fn: string, options: T | undefined | null, validKeys: readonly string[], path = "options"): T {
  checkKeyList("checkOptions", validKeys);
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new DomainError(fn, `${path} must be an options object; got ${describe(options)}`);
  }
  const proto = Object.getPrototypeOf(options);
  if (proto !== Object.prototype && proto !== null) throw new DomainError(fn, `${path} must be a plain options object ({ ... }); got ${(options as object).constructor?.name ?? "an object"}`);
  for (const k of Object.keys(options)) {
    if (!validKeys.includes(k)) throw new UnknownOptionError(fn, k, nearestKey(k, validKeys), validKeys, path);
  }
  return options;
}

function checkKeyList(fn: string, keys: unknown): void {
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) throw new DomainError(fn, `validKeys must be an array of strings; got ${describe(keys)}`);
}

/** Default limits of {@link checkWork}: dense entries (8 bytes each) and grid/enumeration points. */
export const WORK_LIMITS = {
  /** Largest dense matrix built by `hessian`/`dMuJacobian` and friends: 2e7 entries (160 MB). */
  denseEntries: 2e7,
  /** Largest number of points of a grid, array or enumeration (cheap entries): 1e7. */
  points: 1e7,
  /** Largest number of objective evaluations (value, gradient or Hessian-vector product) of a slice or probe loop: 1e6. */
  evaluations: 1e6,
};

/**
 * Refuses work above a limit before allocating: `estimate > limit` throws a {@link ResourceError} that states the
 * estimate, the limit, the option that raises it and the alternative.
 * @param fn - the public function. @param what - what would be built, e.g. `"a dense 40000×40000 Hessian"`.
 * @param estimate - its size (entries or points). @param limit - the limit (e.g. `WORK_LIMITS.denseEntries` or the
 * caller's override). @param alternative - what to use instead, e.g. `"hessianVectorProduct (HVPs) or Lanczos (hessianExtremes)"`.
 * @param optionName - the option that overrides the limit. @param unit - `"entries"` (dense float64 entries, memory
 * shown) or `"points"` (evaluations of a grid or enumeration).
 * @throws DomainError for a limit that is not a positive number; ResourceError when `estimate > limit`.
 */
export function checkWork(fn: string, what: string, estimate: number, limit: number, alternative: string, optionName = "maxWork", unit: "entries" | "points" = "entries"): void {
  if (typeof limit !== "number" || Number.isNaN(limit) || limit <= 0) throw new DomainError(fn, `${optionName} must be a number > 0; got ${describe(limit)}`);
  if (!(estimate <= limit)) {
    const bytes = unit === "entries" ? ` (${fmtBytes(8 * estimate)})` : "";
    throw new ResourceError(fn, `${what} needs about ${fmtCount(estimate)} ${unit}${bytes}, above the limit ${fmtCount(limit)} (raise it with ${optionName}); use ${alternative} instead`, estimate, limit);
  }
}

function fmtBytes(b: number): string {
  if (!Number.isFinite(b)) return "unbounded memory";
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let k = 0;
  while (b >= 1000 && k < units.length - 1) {
    b /= 1000;
    k++;
  }
  return `${b.toPrecision(3)} ${units[k]}`;
}

function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1e4) return `${n}`;
  return n.toExponential(2);
}
