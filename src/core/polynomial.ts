/**
 * Real polynomials in one variable: complex roots by the eigenvalues of the companion matrix, polished by
 * Newton's method. Used to count the critical points of a distance function on a variety (the ED degree,
 * docs/theory.md#g2).
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { DomainError, describe } from "./errors";

/** A complex number `re + i im`. */
export interface Complex {
  re: number;
  im: number;
}

/** `p(z)` and `p'(z)` at a complex `z` by Horner's rule (`coeffs` ascending: `p(z) = sum_k c_k z^k`). */
function horner(coeffs: readonly number[], z: Complex): { p: Complex; dp: Complex } {
  let pr = 0;
  let pi = 0;
  let dr = 0;
  let di = 0;
  for (let k = coeffs.length - 1; k >= 0; k--) {
    // dp = dp * z + p ; p = p * z + c_k
    const ndr = dr * z.re - di * z.im + pr;
    const ndi = dr * z.im + di * z.re + pi;
    dr = ndr;
    di = ndi;
    const npr = pr * z.re - pi * z.im + coeffs[k];
    const npi = pr * z.im + pi * z.re;
    pr = npr;
    pi = npi;
  }
  return { p: { re: pr, im: pi }, dp: { re: dr, im: di } };
}

/**
 * All complex roots of the real polynomial `p(z) = sum_{k=0}^{n} c_k z^k` (`coeffs` ascending, `c_n != 0`
 * after trailing zeros are dropped), with multiplicity: the eigenvalues of the `n × n` companion matrix,
 * each polished by up to three Newton steps `z <- z - p(z)/p'(z)` (kept only when `|p|` decreases).
 * Roots of multiplicity `k` are accurate to about `eps^(1/k)`.
 * @param coeffs - real coefficients, lowest degree first (length `>= 1`); trailing zeros are ignored.
 * @returns `n` roots, sorted by real then imaginary part (an empty list for a nonzero constant).
 * @throws DomainError for non-finite coefficients or the zero polynomial. Serves G2 (ED degree counts).
 */
export function polynomialRoots(coeffs: readonly number[]): Complex[] {
  const fn = "polynomialRoots";
  if (!Array.isArray(coeffs) || coeffs.length === 0 || !coeffs.every((c) => typeof c === "number" && Number.isFinite(c))) {
    throw new DomainError(fn, `coeffs must be a non-empty array of finite numbers; got ${describe(coeffs)}`);
  }
  let n = coeffs.length - 1;
  while (n >= 0 && coeffs[n] === 0) n--;
  if (n < 0) throw new DomainError(fn, `coeffs must not all be zero (the zero polynomial has every number as a root)`);
  if (n === 0) return [];
  const c = coeffs.slice(0, n + 1);
  const C = new Matrix(n, n);
  for (let i = 1; i < n; i++) C.set(i, i - 1, 1);
  for (let i = 0; i < n; i++) C.set(i, n - 1, -c[i] / c[n]);
  const dec = new EigenvalueDecomposition(C);
  const roots: Complex[] = dec.realEigenvalues.map((re, k) => ({ re, im: dec.imaginaryEigenvalues[k] }));
  const polished = roots.map((z0) => {
    let z = z0;
    let { p, dp } = horner(c, z);
    for (let step = 0; step < 3; step++) {
      const den = dp.re * dp.re + dp.im * dp.im;
      if (!(den > 0)) break;
      const zn = { re: z.re - (p.re * dp.re + p.im * dp.im) / den, im: z.im - (p.im * dp.re - p.re * dp.im) / den };
      const h = horner(c, zn);
      if (!(Math.hypot(h.p.re, h.p.im) < Math.hypot(p.re, p.im))) break;
      z = zn;
      p = h.p;
      dp = h.dp;
    }
    // a real polynomial: an imaginary part at round-off level is zero
    if (Math.abs(z.im) <= 1e-14 * Math.max(1, Math.abs(z.re)) && Math.abs(z0.im) === 0) z = { re: z.re, im: 0 };
    return z;
  });
  return polished.sort((x, y) => x.re - y.re || x.im - y.im);
}

/**
 * Value of the real polynomial `sum_k c_k z^k` at a complex `z` (Horner's rule).
 * @throws DomainError for non-finite coefficients or `z`. Serves G2 (residuals of ED-degree roots).
 */
export function polynomialValue(coeffs: readonly number[], z: Complex): Complex {
  if (!Array.isArray(coeffs) || !coeffs.every((c) => Number.isFinite(c))) throw new DomainError("polynomialValue", `coeffs must be finite numbers; got ${describe(coeffs)}`);
  if (!z || !Number.isFinite(z.re) || !Number.isFinite(z.im)) throw new DomainError("polynomialValue", `z must be {re, im} with finite parts; got ${describe(z)}`);
  return horner(coeffs, z).p;
}
