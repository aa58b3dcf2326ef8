/**
 * Checks of plain (non-matrix) arguments shared by the public entry points: lists of finite numbers, integer
 * counts in a range, index sets. Each returns the checked value or throws a `DomainError` naming the function,
 * the argument and what was given.
 * @module
 */
import { DomainError, describe } from "./errors";

/**
 * An array (or typed array) of finite numbers, returned as given.
 * @throws DomainError unless `v` is an array of finite numbers.
 */
export function finiteArray(fn: string, name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v) && !(v instanceof Float64Array)) throw new DomainError(fn, `${name} must be an array of finite numbers; got ${describe(v)}`);
  const a = v as ArrayLike<unknown>;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    if (typeof x !== "number" || !Number.isFinite(x)) throw new DomainError(fn, `${name} must hold finite numbers; got ${describe(x)} at ${k}`);
  }
  return v as readonly number[];
}

/**
 * An integer in `[min, max]`.
 * @throws DomainError otherwise.
 */
export function intArg(fn: string, name: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new DomainError(fn, `${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? "2^53 - 1" : max}]; got ${describe(v)}`);
  }
  return v;
}

/**
 * A finite number `>= 0` (a tolerance).
 * @throws DomainError otherwise.
 */
export function tolArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new DomainError(fn, `${name} must be a finite number >= 0; got ${describe(v)}`);
  return v;
}

/**
 * An index set: an array of integers in `[1, n]` (1-based, as in the theorems' selections `I`, `S`).
 * @throws DomainError otherwise.
 */
export function indexSet(fn: string, name: string, v: unknown, n: number): readonly number[] {
  if (!Array.isArray(v)) throw new DomainError(fn, `${name} must be an array of integers in 1..${n}; got ${describe(v)}`);
  for (const i of v) if (typeof i !== "number" || !Number.isInteger(i) || i < 1 || i > n) throw new DomainError(fn, `${name} must contain integers in 1..${n}; got ${describe(i)}`);
  return v;
}
