/**
 * Least-squares line fits, and the log-log slope used wherever the course measures an order: the Taylor-slope
 * tests of derivatives (P1: slope 2 for a correct gradient, 3 for a correct Hessian) and the escape curves at
 * saddles (T5, A2, A3: `Delta L ~ -c eps^k`, slope `k`).
 * @module
 */
import { DegenerateError, DomainError, ShapeError, describe } from "./errors";

/** Result of {@link lineFit}: the least-squares line `y ≈ intercept + slope x` and how straight the data are. */
export interface LineFit {
  /** `b = sum (x_i - x̄)(y_i - ȳ) / sum (x_i - x̄)^2`. */
  readonly slope: number;
  /** `a = ȳ - b x̄`. */
  readonly intercept: number;
  /** `max_i |y_i - a - b x_i|`: 0 on a straight line. */
  readonly maxResidual: number;
}

/**
 * Ordinary least-squares line through the points `(x_i, y_i)`:
 * `slope = sum (x_i - x̄)(y_i - ȳ) / sum (x_i - x̄)^2`, `intercept = ȳ - slope x̄`, with the largest residual.
 * Serves the Taylor-slope tests of P1 (fitted on `(log h, log err)`).
 * @param xs - abscissae (length `N >= 2`). @param ys - ordinates (length `N`).
 * @returns slope, intercept and max residual.
 * @throws ShapeError when `xs` and `ys` differ in length or hold fewer than two points; DomainError for a
 *   non-finite entry or when every `x_i` is equal (no slope).
 */
export function lineFit(xs: readonly number[], ys: readonly number[]): LineFit {
  if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length || xs.length < 2) {
    throw new ShapeError("lineFit", `xs and ys must be arrays of equal length >= 2; got ${describe(xs)} and ${describe(ys)}`);
  }
  for (const [name, a] of [["xs", xs], ["ys", ys]] as const) {
    const k = a.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (k >= 0) throw new DomainError("lineFit", `${name} must hold finite numbers; got ${describe(a[k])} at ${k}`);
  }
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (!(sxx > 0)) throw new DomainError("lineFit", `xs must not all be equal (the slope is undefined); got ${describe(xs)}`);
  const slope = sxy / sxx;
  let maxResidual = 0;
  for (let i = 0; i < n; i++) maxResidual = Math.max(maxResidual, Math.abs(ys[i] - my - slope * (xs[i] - mx)));
  return { slope, intercept: my - slope * mx, maxResidual };
}

/**
 * Slope of `log|y|` against `log x` by least squares ({@link lineFit}): the order `k` of a power law
 * `|y| ≈ c x^k`. Points with `x <= 0`, `y = 0` or a non-finite `y` are skipped. Used for the escape curves at
 * saddles (`Delta L(eps) ~ -c eps^k`: `k = 2` at a strict saddle, 3 or more at the degenerate saddles of T5, A2,
 * A3; chapters 02 and 04).
 * Example: `logLogSlope([0.1, 0.05, 0.025], [-3e-3, -3.75e-4, -4.6875e-5])` is 3.
 * @param x - positive abscissae (e.g. curve parameters `eps`). @param y - values (e.g. `Delta L`), same length.
 * @returns the slope.
 * @throws ShapeError when `x` and `y` differ in length; DomainError for a non-finite `x`; DegenerateError (kind
 *   `"no-slope"`) when fewer than two points are usable (no slope to fit; never a silent NaN).
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) {
    throw new ShapeError("logLogSlope", `x and y must be arrays of equal length; got ${describe(x)} and ${describe(y)}`);
  }
  const bad = x.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) throw new DomainError("logLogSlope", `x must hold finite numbers; got ${describe(x[bad])} at ${bad}`);
  const X: number[] = [];
  const Y: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (y[i] !== 0 && x[i] > 0 && Number.isFinite(y[i])) {
      X.push(Math.log(x[i]));
      Y.push(Math.log(Math.abs(y[i])));
    }
  }
  if (X.length < 2 || X.every((v) => v === X[0])) {
    throw new DegenerateError("logLogSlope", "no-slope", `at least two points with distinct x > 0 and finite y != 0 are needed; got ${X.length} usable of ${x.length}`);
  }
  return lineFit(X, Y).slope;
}
