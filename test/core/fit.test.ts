// Least-squares line fits and the log-log slope (P1 Taylor tests; escape orders of T5, A2, A3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ShapeError, lineFit, logLogSlope, rng } from "../../src";

test("lineFit recovers a line exactly and measures how straight noisy data are", () => {
  const xs = [-2, -1, 0.5, 3, 7];
  const f = lineFit(xs, xs.map((x) => 1.5 - 0.25 * x));
  assert.ok(Math.abs(f.slope + 0.25) < 1e-14 && Math.abs(f.intercept - 1.5) < 1e-14 && f.maxResidual < 1e-14);
  const r = rng(3);
  const noisy = xs.map((x) => 2 * x + 0.01 * r.normal());
  const g = lineFit(xs, noisy);
  assert.ok(Math.abs(g.slope - 2) < 0.02 && g.maxResidual > 0 && g.maxResidual < 0.05);
  // the residuals of a least-squares fit sum to zero
  const res = xs.map((x, i) => noisy[i] - g.intercept - g.slope * x);
  assert.ok(Math.abs(res.reduce((a, b) => a + b, 0)) < 1e-12);
  assert.throws(() => lineFit([1, 1], [0, 2]), (e: unknown) => e instanceof Error && e.name === "DomainError" && /must not all be equal/.test(e.message));
  assert.throws(() => lineFit([1], [1]), ShapeError);
  assert.throws(() => lineFit([1, 2], [1]), ShapeError);
});

test("logLogSlope is the order of a power law, skipping zero values; ShapeError for unequal lengths", () => {
  const eps = [0.1, 0.05, 0.025, 0.0125];
  assert.ok(Math.abs(logLogSlope(eps, eps.map((e) => -6 * e ** 3)) - 3) < 1e-12);
  assert.ok(Math.abs(logLogSlope([...eps, 0.01], [...eps.map((e) => 0.5 * e ** 2), 0]) - 2) < 1e-12);
  assert.throws(() => logLogSlope([1, 2], [0, 0]), (e: unknown) => e instanceof Error && e.name === "DegenerateError" && /two points/.test(e.message));
  assert.throws(() => logLogSlope([1, 2], [1]), ShapeError);
});
