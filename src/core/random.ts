/**
 * Seeded randomness. Every random function of the library takes an {@link Rng}; nothing uses `Math.random`.
 *
 * The generator is xoshiro128** (Blackman–Vigna 2018) seeded through splitmix32, in 32-bit integer
 * arithmetic, so a seed gives the same stream on every platform. (A registry package such as pure-rand
 * ships it too, but only behind an `exports` map that tslab's TypeScript 5.0.4 with Node10 resolution cannot
 * type; the generator is twenty lines, tested for reproducibility in `test/core/random.test.ts`.)
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "./errors";
import { checkWork, WORK_LIMITS } from "./options";

/** A seeded pseudo-random generator (xoshiro128**). Not cryptographic. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;
  /** The seed this generator started from. */
  readonly seed: number;

  /**
   * @param seed - an integer in `[0, MAX_SEED]` (`MAX_SEED = 2^53 - 1`); equal seeds give equal streams, distinct
   *   seeds distinct streams (seeds below `2^32` fill the state from splitmix32 of the seed; the high part of larger
   *   seeds is mixed into the second state word, so no two accepted seeds share a starting state).
   * @throws DomainError unless `seed` is an integer in `[0, MAX_SEED]` (negative, fractional, unsafe or non-numeric
   *   seeds would alias other streams).
   */
  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new DomainError("rng", `seed must be an integer in [0, 2^53 - 1]; got ${describe(seed)}`);
    }
    this.seed = seed;
    const hi = Math.floor(seed / 4294967296);
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = (next() ^ mix32(hi)) >>> 0; // mix32 is a bijection with mix32(0) = 0: seeds < 2^32 are unchanged
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in {0, ..., n-1}: `floor(n · uniform())`.
   * @throws DomainError unless `n` is a positive integer.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new DomainError("Rng.int", `n must be a positive integer; got ${describe(n)}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal N(0, 1) by the Box–Muller transform (pairs cached). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A `rows × cols` matrix with i.i.d. N(0, scale^2) entries.
   * @throws DomainError unless `rows` and `cols` are non-negative integers and `scale` is finite; ResourceError
   *   above `WORK_LIMITS.denseEntries` entries.
   */
  gaussian(rows: number, cols: number, scale = 1): Matrix {
    checkDim("Rng.gaussian", "rows", rows);
    checkDim("Rng.gaussian", "cols", cols);
    checkWork("Rng.gaussian", `a dense ${rows}×${cols} matrix`, Math.max(rows * cols, rows, cols), WORK_LIMITS.denseEntries, "a smaller matrix");
    if (!Number.isFinite(scale)) throw new DomainError("Rng.gaussian", `scale must be finite; got ${describe(scale)}`);
    const M = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, scale * this.normal());
    return M;
  }

  /**
   * A Haar-distributed random `n × n` orthogonal matrix: QR of a Gaussian matrix with the signs of R's
   * diagonal moved into Q (Mezzadri 2007).
   * @throws DomainError unless `n` is a non-negative integer; ResourceError for `n > 2000`.
   */
  orthogonal(n: number): Matrix {
    checkDim("Rng.orthogonal", "n", n);
    // Gram–Schmidt costs n^3 flops: bounded like a dense n×n matrix and to n <= 2000
    checkWork("Rng.orthogonal", `a dense ${n}×${n} orthogonal matrix (n^3 Gram–Schmidt)`, n <= 2000 ? n * n : Infinity, WORK_LIMITS.denseEntries, "n <= 2000");
    const A = this.gaussian(n, n);
    // modified Gram–Schmidt, column by column (n is small in this library)
    const Q = new Matrix(n, n);
    for (let j = 0; j < n; j++) {
      const v = A.getColumn(j);
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += Q.get(i, k) * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * Q.get(i, k);
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) Q.set(i, j, v[i] / norm);
    }
    return Q;
  }

  /** An independent generator derived from this one (for parallel runs: `rng.fork()` per run). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

/** The splitmix32 finaliser: a bijection of 32-bit words with `mix32(0) = 0`. */
function mix32(v: number): number {
  let z = v >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Largest accepted seed: `2^53 - 1` (`Number.MAX_SAFE_INTEGER`); seeds are integers in `[0, MAX_SEED]`. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function checkDim(fn: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new DomainError(fn, `${name} must be a non-negative integer; got ${describe(n)}`);
}

/**
 * Shorthand for `new Rng(seed)`: a seeded xoshiro128** generator.
 * @param seed - an integer in `[0, 2^53 - 1]`; distinct seeds give distinct streams.
 * @throws DomainError for any other seed.
 */
export function rng(seed: number): Rng {
  return new Rng(seed);
}
