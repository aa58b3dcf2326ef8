/**
 * Strong Wolfe line search (Nocedal & Wright 2006, Algorithms 3.5 and 3.6, with safeguarded cubic
 * interpolation in the zoom phase), used by L-BFGS.
 * @module
 */

import { DomainError, describe } from "../core/errors";
import { checkOptions } from "../core/options";
/** Evaluates `phi(alpha) = L(x + alpha d)` and `phi'(alpha) = <grad L(x + alpha d), d>`. */
export type LineFunction = (alpha: number) => { value: number; slope: number };

/** Options of {@link strongWolfe}. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant `c1`; default `1e-4`. */
  c1?: number;
  /** Curvature constant `c2` in (c1, 1); default `0.9` (quasi-Newton). */
  c2?: number;
  /** Largest step; default `1e10`. */
  alphaMax?: number;
  /** Maximum number of `phi` evaluations; default `30`. */
  maxEvaluations?: number;
  /**
   * Relative noise level of `phi` for the approximate Wolfe test (Hager & Zhang 2005): a step with
   * `phi(alpha) <= phi(0) + noise * max(1, |phi(0)|)` and `|phi'(alpha)| <= c2 |phi'(0)|` is accepted even when the
   * sufficient-decrease test cannot resolve the decrease in floating point. Default `1e-12`; `0` disables it.
   */
  noise?: number;
}

/** Result of {@link strongWolfe}. */
export interface LineSearchResult {
  /** Accepted step (the best sufficient-decrease step found when `ok` is false, or 0). */
  alpha: number;
  /** `phi(alpha)`. */
  value: number;
  /** `phi'(alpha)`. */
  slope: number;
  /** True when both strong Wolfe conditions hold at `alpha`. */
  ok: boolean;
  /** Number of `phi` evaluations. */
  evaluations: number;
  /** The step at which `phi` was evaluated last (callers whose buffers hold that point re-evaluate if it differs from `alpha`). */
  lastAlpha: number;
}

/**
 * Finds `alpha > 0` with the strong Wolfe conditions
 * `phi(alpha) <= phi(0) + c1 alpha phi'(0)` and `|phi'(alpha)| <= c2 |phi'(0)|`.
 *
 * Bracketing phase with step doubling, then zoom with the cubic interpolant of the two bracket ends
 * (N&W eq. 3.59), safeguarded to the middle 80% of the bracket (bisection when the cubic has no real
 * minimiser). Near round-off, the approximate Wolfe test (option `noise`) also accepts a step whose value
 * did not increase and whose slope satisfies the curvature condition. When the budget runs out, returns the best step with sufficient decrease and `ok: false`
 * (or `alpha = 0` if there is none).
 * @param phi - the line function; `f0 = phi(0)`, `d0 = phi'(0) < 0` (a descent direction).
 * @param alpha1 - first trial step (`> 0`).
 * @throws DomainError for a non-function `phi`, non-finite numbers, `d0 >= 0`, `alpha1 <= 0` or unknown options.
 */
export function strongWolfe(phi: LineFunction, f0: number, d0: number, alpha1: number, options: StrongWolfeOptions = {}): LineSearchResult {
  const fn = "strongWolfe";
  if (typeof phi !== "function") throw new DomainError(fn, `phi must be a function alpha => { value, slope }; got ${describe(phi)}`);
  for (const [name, v] of [["f0", f0], ["d0", d0], ["alpha1", alpha1]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `${name} must be a finite number; got ${describe(v)}`);
  }
  if (!(d0 < 0)) throw new DomainError(fn, `d0 = phi'(0) must be < 0 (a descent direction); got ${describe(d0)}`);
  if (!(alpha1 > 0)) throw new DomainError(fn, `alpha1 must be > 0; got ${describe(alpha1)}`);
  checkOptions(fn, options, ["c1", "c2", "alphaMax", "maxEvaluations", "noise"]);
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const alphaMax = options.alphaMax ?? 1e10;
  const maxEval = options.maxEvaluations ?? 30;
  const epsF = (options.noise ?? 1e-12) * Math.max(1, Math.abs(f0));
  const approx = (r: { value: number; slope: number }): boolean => epsF > 0 && r.value <= f0 + epsF && Math.abs(r.slope) <= -c2 * d0;
  let evals = 0;
  let last = 0;
  let best = { alpha: 0, value: f0, slope: d0 };
  const ev = (a: number): { value: number; slope: number } => {
    evals++;
    last = a;
    const r = phi(a);
    if (Number.isFinite(r.value) && r.value <= f0 + c1 * a * d0 && r.value < best.value) best = { alpha: a, value: r.value, slope: r.slope };
    return r;
  };
  const done = (a: number, r: { value: number; slope: number }): LineSearchResult => ({ alpha: a, value: r.value, slope: r.slope, ok: true, evaluations: evals, lastAlpha: last });
  const fail = (): LineSearchResult => ({ alpha: best.alpha, value: best.value, slope: best.slope, ok: false, evaluations: evals, lastAlpha: last });

  const zoom = (lo: number, hi: number, flo: number, fhi: number, dlo: number, dhi: number): LineSearchResult => {
    while (evals < maxEval) {
      const a = cubicStep(lo, hi, flo, fhi, dlo, dhi);
      if (!(Math.abs(hi - lo) > 1e-16 * Math.max(1, Math.abs(lo)))) return fail();
      const r = ev(a);
      if (approx(r)) return done(a, r);
      if (!Number.isFinite(r.value) || r.value > f0 + c1 * a * d0 || r.value >= flo) {
        hi = a;
        fhi = Number.isFinite(r.value) ? r.value : Infinity;
        dhi = Number.isFinite(r.slope) ? r.slope : NaN;
      } else {
        if (Math.abs(r.slope) <= -c2 * d0) return done(a, r);
        if (r.slope * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = a;
        flo = r.value;
        dlo = r.slope;
      }
    }
    return fail();
  };

  let aPrev = 0;
  let fPrev = f0;
  let dPrev = d0;
  let a = Math.min(alpha1, alphaMax);
  for (let i = 1; evals < maxEval; i++) {
    const r = ev(a);
    if (approx(r)) return done(a, r);
    if (!Number.isFinite(r.value) || r.value > f0 + c1 * a * d0 || (i > 1 && r.value >= fPrev)) {
      return zoom(aPrev, a, fPrev, Number.isFinite(r.value) ? r.value : Infinity, dPrev, Number.isFinite(r.slope) ? r.slope : NaN);
    }
    if (Math.abs(r.slope) <= -c2 * d0) return done(a, r);
    if (r.slope >= 0) return zoom(a, aPrev, r.value, fPrev, r.slope, dPrev);
    if (a >= alphaMax) return fail();
    aPrev = a;
    fPrev = r.value;
    dPrev = r.slope;
    a = Math.min(2 * a, alphaMax);
  }
  return fail();
}

/** Minimiser of the cubic through (lo, flo, dlo), (hi, fhi, dhi), safeguarded into the middle 80% of the bracket. */
function cubicStep(lo: number, hi: number, flo: number, fhi: number, dlo: number, dhi: number): number {
  const left = Math.min(lo, hi);
  const width = Math.abs(hi - lo);
  const mid = 0.5 * (lo + hi);
  if (!Number.isFinite(fhi) || !Number.isFinite(dhi) || !Number.isFinite(flo) || !Number.isFinite(dlo)) {
    // quadratic-free fallback: step a third of the way from lo (the good end)
    return lo + (hi - lo) / 3;
  }
  const d1 = dlo + dhi - (3 * (flo - fhi)) / (lo - hi);
  const disc = d1 * d1 - dlo * dhi;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(hi - lo) * Math.sqrt(disc);
  const denom = dhi - dlo + 2 * d2;
  if (denom === 0) return mid;
  let a = hi - ((hi - lo) * (dhi + d2 - d1)) / denom;
  if (!Number.isFinite(a)) return mid;
  const lowB = left + 0.1 * width;
  const highB = left + 0.9 * width;
  if (a < lowB) a = lowB;
  if (a > highB) a = highB;
  return a;
}
