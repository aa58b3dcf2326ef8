import { test } from "node:test";
import assert from "node:assert/strict";
import { gradientDescent, momentum, adam, lbfgs, minimize, randomStart, strongWolfe } from "../../src/optim";
import type { FlatObjective } from "../../src/optim";
import { rng } from "../../src/core/random";

/** Rosenbrock in n dimensions: sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at (1, ..., 1). */
function rosenbrock(n: number): FlatObjective & { calls: number } {
  const o = {
    dim: n,
    calls: 0,
    valueFlat(x: Float64Array): number {
      let s = 0;
      for (let i = 0; i + 1 < n; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
      return s;
    },
    gradientFlat(x: Float64Array, out = new Float64Array(n)): Float64Array {
      o.calls++;
      out.fill(0);
      for (let i = 0; i + 1 < n; i++) {
        const t = x[i + 1] - x[i] * x[i];
        out[i] += -400 * t * x[i] - 2 * (1 - x[i]);
        out[i + 1] += 200 * t;
      }
      return out;
    },
  };
  return o;
}

/** Convex quadratic 1/2 x^T A x - b^T x with A = diag(1..n): minimiser x_i = b_i / a_i. */
function quadratic(a: number[], b: number[]): FlatObjective {
  const n = a.length;
  return {
    dim: n,
    valueFlat: (x) => a.reduce((s, ai, i) => s + 0.5 * ai * x[i] * x[i] - b[i] * x[i], 0),
    gradientFlat: (x, out = new Float64Array(n)) => {
      for (let i = 0; i < n; i++) out[i] = a[i] * x[i] - b[i];
      return out;
    },
  };
}

test("L-BFGS minimises 10-D Rosenbrock to gradient 1e-8 from a seeded start", () => {
  const f = rosenbrock(10);
  const x0 = randomStart(f, rng(1), 1);
  const r = lbfgs(f, x0, { gradTol: 1e-8 });
  assert.equal(r.reason, "gradTol", r.message);
  assert.ok(r.converged);
  assert.ok(r.value < 1e-14 || Math.abs(r.value - 3.98662385) < 1e-6, `value ${r.value}`); // global min or the known local min of n>=4 Rosenbrock
  assert.ok(r.iterations < 500, `${r.iterations}`);
  // x0 untouched
  assert.deepEqual(Array.from(x0), Array.from(randomStart(f, rng(1), 1)));
});

test("L-BFGS from the classic start (-1.2, 1) reaches (1, 1)", () => {
  const f = rosenbrock(2);
  const r = lbfgs(f, [-1.2, 1], { gradTol: 1e-10 });
  assert.ok(r.converged, r.message);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-8 && Math.abs(r.x[1] - 1) < 1e-8);
  assert.ok(r.iterations < 60, `iterations ${r.iterations}`);
});

test("GD (fixed step and Armijo), heavy ball, Nesterov and Adam reach the quadratic's minimiser", () => {
  const a = [1, 2, 3, 4, 5];
  const b = [1, -1, 2, 0.5, 3];
  const f = quadratic(a, b);
  const xs = b.map((bi, i) => bi / a[i]);
  const x0 = randomStart(f, rng(7), 1);
  const runs = [
    gradientDescent(f, x0, { step: 0.3, gradTol: 1e-10 }),
    gradientDescent(f, x0, { lineSearch: "armijo", gradTol: 1e-10 }),
    momentum(f, x0, { step: 0.1, beta: 0.8, gradTol: 1e-10 }),
    momentum(f, x0, { step: 0.1, beta: 0.8, nesterov: true, gradTol: 1e-10 }),
    adam(f, x0, { step: 0.05, gradTol: 1e-6, maxIter: 20000 }),
    minimize(f, x0, "lbfgs", { gradTol: 1e-12 }),
  ];
  for (const r of runs) {
    assert.ok(r.converged, r.message);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(r.x[i] - xs[i]) < 1e-5, `${r.method}: x[${i}] = ${r.x[i]}`);
  }
  // fixed-step GD on a quadratic contracts by max |1 - step a_i| = 0.5 per step: about log(1e10)/log 2 ~ 34 + iterations
  assert.ok(runs[0].iterations < 80);
  // Nesterov beats the fixed-step GD with the same base step on this ill-conditioned problem
  const slowGd = gradientDescent(f, x0, { step: 0.1, gradTol: 1e-10 });
  assert.ok(runs[3].iterations < slowGd.iterations, `nesterov ${runs[3].iterations} vs gd ${slowGd.iterations}`);
});

test("stopping reasons: maxIter, valueTol, nonFinite, callback, aborted", () => {
  const f = rosenbrock(4);
  const x0 = [0, 0, 0, 0];
  assert.equal(gradientDescent(f, x0, { step: 1e-4, maxIter: 5 }).reason, "maxIter");
  assert.equal(gradientDescent(f, x0, { step: 1e-4, maxIter: 5 }).iterations, 5);
  assert.equal(gradientDescent(f, x0, { step: 10 }).reason, "nonFinite");
  const vt = gradientDescent(f, x0, { step: 1e-3, valueTol: 1e-6 });
  assert.equal(vt.reason, "valueTol");
  assert.ok(vt.converged);
  let seen = 0;
  const cb = lbfgs(f, x0, { callback: (info) => ++seen >= 3 || info.value < 0 });
  assert.equal(cb.reason, "callback");
  assert.equal(cb.iterations, 3);
  const ac = new AbortController();
  ac.abort();
  assert.equal(adam(f, x0, { signal: ac.signal }).reason, "aborted");
  const rec = lbfgs(f, x0, { record: true, maxIter: 4 });
  assert.equal(rec.history!.length, rec.iterations + 1);
  for (let k = 1; k < rec.history!.length; k++) assert.ok(rec.history![k].value <= rec.history![k - 1].value, "L-BFGS is monotone");
});

test("bad inputs are rejected with named errors", () => {
  const f = rosenbrock(3);
  assert.throws(() => lbfgs(f, [0, 0]), /lbfgs: x0 must have length 3/);
  assert.throws(() => lbfgs(f, [0, NaN, 0]), /finite/);
  assert.throws(() => gradientDescent(f, [0, 0, 0], { step: -1 }), /step must be/);
  assert.throws(() => momentum(f, [0, 0, 0], { beta: 1 }), /beta must be in \[0, 1\)/);
  assert.throws(() => minimize(f, [0, 0, 0], "sgd" as never), /method must be one of/);
  assert.throws(() => randomStart(f, rng(1), "glorot"), /glorot/);
});

test("randomStart: seeded, glorot scale per block", () => {
  const a = randomStart([3, 2, 4], rng(5), 2);
  const b = randomStart([3, 2, 4], rng(5), 2);
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.equal(a.length, 6 + 8);
  const big = randomStart([200, 100, 300], rng(3), "glorot");
  const std = (lo: number, hi: number) => Math.sqrt(Array.from(big.slice(lo, hi)).reduce((s, v) => s + v * v, 0) / (hi - lo));
  assert.ok(Math.abs(std(0, 20000) - Math.sqrt(2 / 300)) < 0.005);
  assert.ok(Math.abs(std(20000, 50000) - Math.sqrt(2 / 400)) < 0.005);
});

test("strong Wolfe line search returns a step satisfying both conditions on a 1-D quartic", () => {
  // phi(a) = (a - 3)^4 - 10 a, descent at 0
  const phi = (a: number) => ({ value: (a - 3) ** 4 - 10 * a, slope: 4 * (a - 3) ** 3 - 10 });
  const p0 = phi(0);
  const r = strongWolfe(phi, p0.value, p0.slope, 1e-3, { c1: 1e-4, c2: 0.1 });
  assert.ok(r.ok);
  assert.ok(r.value <= p0.value + 1e-4 * r.alpha * p0.slope);
  assert.ok(Math.abs(r.slope) <= 0.1 * Math.abs(p0.slope));
});

test("a loss without minimiser: minimize flags the run (noMinimiser, diverged), classifyCriticalPoint never says global minimum", async () => {
  const { landscape } = await import("../../src/landscape");
  const { DeepLinearNetwork } = await import("../../src/networks");
  const { logisticLoss } = await import("../../src/losses");
  const { minimize, randomStart } = await import("../../src/optim");
  const { classifyCriticalPoint } = await import("../../src/critical");
  const { rng } = await import("../../src/core/random");
  const sep = landscape(new DeepLinearNetwork([2, 1, 1]), logisticLoss([[1, 2, -1, -2], [0.5, 1, -0.5, -1]], [1, 1, 0, 0]));
  for (const method of ["lbfgs", "gd-armijo"] as const) {
    const r = minimize(sep, randomStart(sep, rng(1)), method, { maxIter: 5000 });
    assert.equal(r.converged, false, r.message);
    assert.equal(r.diverged, true);
    assert.ok(r.reason === "noMinimiser" || r.reason === "maxIter", r.reason);
    const v = classifyCriticalPoint(sep, r.theta!);
    assert.notEqual(v.verdict, "global minimum", v.reason);
  }
  // with a ridge the minimiser exists and the same run converges
  const ridge = landscape(new DeepLinearNetwork([2, 1, 1]), logisticLoss([[1, 2, -1, -2], [0.5, 1, -0.5, -1]], [1, 1, 0, 0], 0.1));
  const ok = minimize(ridge, randomStart(ridge, rng(1)), "lbfgs");
  assert.equal(ok.converged, true, ok.message);
  assert.equal(ok.diverged, false);
});
