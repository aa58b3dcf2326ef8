import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { DomainError } from "../../src/core/errors";
import { symEig } from "../../src/core/linalg";
import { pinv as pinvSafe } from "../../src/core/linalg";
import { diag, frobNorm, maxAbsDiff, mmul, mmulChain } from "../../src/core/matrix";
import { DeepLinearNetwork, mu } from "../../src/networks/deepLinear";
import { landscape } from "../../src/landscape/landscape";
import { squareLossData } from "../../src/losses/square";
import { balancedPoint, dataProblem } from "../../src/critical/closedForms";
import {
  a2DegenerateExample,
  a2FibreExample,
  a4Towers,
  eA1a,
  eA1b,
  ex1,
  ex2,
  exampleA,
  exampleABarrier,
  exampleAProfile,
  exampleB,
  t5Table,
} from "../../src/critical/examples";

const gradNorm = (blocks: Matrix[]): number => Math.hypot(...blocks.map(frobNorm));
const eigs = (H: Matrix): number[] => symEig(H).values.slice().sort((a, b) => a - b);
function close(a: number[], b: number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  const bs = b.slice().sort((x, y) => x - y);
  a.forEach((v, i) => assert.ok(Math.abs(v - bs[i]) <= tol, `${what}: ${a.map((x) => x.toFixed(6))} vs ${bs}`));
}

test("Ex-1: (0,0) spurious saddle with Hessian ±2; (1,0) same fibre, not critical (dL/db = -2); minima ab = 1", () => {
  const e = ex1();
  const L = e.landscape;
  assert.equal(gradNorm(L.gradient(e.points.origin)), 0);
  assert.equal(L.value(e.points.origin), e.stated.originLoss);
  close(eigs(L.hessian(e.points.origin)), e.stated.originHessianEigenvalues, 1e-12, "Hessian at origin");
  assert.ok(frobNorm(e.loss.gradient(mu(e.widths, e.points.origin))) > 1, "grad l(0) != 0: spurious");
  assert.equal(mu(e.widths, e.points.sameFibre).get(0, 0), 0);
  const g = L.gradient(e.points.sameFibre);
  assert.equal(g[1].get(0, 0), e.stated.sameFibreGradB);
  for (const a of [0.3, -2, 5]) assert.ok(L.value(e.minimumAt(a)) < 1e-24);
  assert.ok(L.value(e.points.minimum) === 0 && L.value(e.points.minimumOther) === 0);
  assert.throws(() => e.minimumAt(0), DomainError);
});

test("Ex-2: theta2 spurious critical, theta3 same product with gradient norm 2, escape -2e^2 + e^4", () => {
  const e = ex2();
  const L = e.landscape;
  assert.ok(maxAbsDiff(mu(e.widths, e.points.theta2), new Matrix(e.stated.theta2Product)) < 1e-14);
  assert.ok(maxAbsDiff(mu(e.widths, e.points.theta3), new Matrix(e.stated.theta2Product)) < 1e-14);
  assert.ok(gradNorm(L.gradient(e.points.theta2)) < 1e-14);
  assert.ok(Math.abs(gradNorm(L.gradient(e.points.theta3)) - e.stated.theta3GradientNorm) < 1e-14);
  const L0 = L.value(e.points.theta2);
  for (const eps of [0.1, 0.01]) assert.ok(Math.abs(L.value(e.escape(eps)) - L0 - e.stated.escapeLossChange(eps)) < 1e-13);
  assert.ok(Math.abs(L.value(e.escape(0.1)) - L0 - -0.0199) < 1e-12, "hand: -0.0199 at eps = 0.1");
});

test("T5 table example: stated rows on (4,2,4), third-order escape -6e^3 + e^6 from I = {1} on (4,2,3,4)", () => {
  const t = t5Table(3);
  const L = t.shallow.landscape;
  for (const row of t.stated.shallowRows) {
    const im = t.shallow.images.images.find((x) => JSON.stringify(x.I) === JSON.stringify(row.I));
    assert.ok(im);
    assert.equal(im.kind, row.kind);
    assert.ok(Math.abs(L.value(im.theta as Matrix[]) - row.loss) < 1e-9);
    assert.equal(im.morseIndex, row.index);
    const ev = eigs(L.hessian(im.theta as Matrix[]));
    const tol = 1e-8 * Math.max(...ev.map(Math.abs));
    assert.equal(ev.filter((v) => v < -tol).length, row.negative);
    assert.equal(ev.filter((v) => Math.abs(v) <= tol).length, row.zero);
  }
  const D = t.deep.landscape;
  const i1 = t.deep.images.images.find((x) => JSON.stringify(x.I) === "[1]") as (typeof t.deep.images.images)[number];
  const L0 = D.value(i1.theta as Matrix[]);
  assert.ok(Math.abs(L0 - 14) < 1e-9);
  // the curve starts at the balanced point
  assert.ok(maxAbsDiff(mu(t.deep.widths, t.thirdOrderCurve(0)), i1.W) < 1e-12);
  const hess = eigs(D.hessian(i1.theta as Matrix[]));
  assert.ok(hess[0] > -1e-9, "no negative Hessian eigenvalue: second-order test silent");
  for (const eps of [0.1, 0.03, 0.01]) {
    const change = D.value(t.thirdOrderCurve(eps)) - L0;
    assert.ok(Math.abs(change - t.stated.thirdOrderLossChange(eps)) < 1e-11, `eps ${eps}: ${change}`);
  }
  assert.ok(Math.abs(D.value(t.thirdOrderCurve(0.1)) - L0 - -5.999e-3) < 1e-6, "reference value -5.999e-3");
});

test("Example A (K = 10, s = 0.8): minima 0.64 and 1.00, Hessian sweep over K, K s > 1 rule", () => {
  const a = exampleA(10, 0.8);
  const L = a.landscape;
  assert.ok(Math.abs(L.value(a.points.global) - 0.64) < 1e-12);
  assert.ok(Math.abs(L.value(a.points.candidate) - 1.0) < 1e-12);
  assert.ok(gradNorm(L.gradient(a.points.global)) < 1e-12);
  assert.ok(gradNorm(L.gradient(a.points.candidate)) < 1e-12);
  assert.equal(a.badMinimumPredicted, true);
  for (const row of a.stated.hessianSweep) {
    const b = exampleA(row.K, 0.8);
    close(eigs(b.landscape.hessian(b.points.candidate)), row.eigenvalues, 1e-9, `K = ${row.K}`);
    assert.equal(b.badMinimumPredicted, row.K * 0.8 > 1 + 1e-12);
  }
  assert.equal(exampleA(1.25, 0.8).stated.threshold, 1.25);
  assert.throws(() => exampleA(10, 1.5), DomainError);
  assert.throws(() => exampleA(-1, 0.5), DomainError);
});

test("Example A profile: f(0) = 0.64, f(pi/2) = 1, barrier exactly 148/99 at alpha = arcsin(√46/9) (hand), W at the barrier; Lambda ≡ 1 monotone", () => {
  const a = exampleA(10, 0.8);
  const [p0, p1] = exampleAProfile(10, 0.8, [0, Math.PI / 2]);
  assert.ok(Math.abs(p0.loss - 0.64) < 1e-12 && Math.abs(p1.loss - 1) < 1e-12);
  const b = exampleABarrier(10, 0.8);
  assert.ok(Math.abs(b.loss - 148 / 99) < 1e-12, `barrier ${b.loss}`);
  assert.ok(Math.abs(b.alpha - Math.asin(Math.sqrt(46) / 9)) < 1e-7, `alpha ${b.alpha}`);
  assert.ok(maxAbsDiff(b.W, new Matrix(a.stated.barrier.W)) < 1e-4);
  // the profile value is the weighted loss of rho w w^T (closed-form rho is optimal: derivative in rho vanishes)
  const p = exampleAProfile(10, 0.8, [b.alpha])[0];
  assert.ok(Math.abs(a.loss.value(b.W) - p.loss) < 1e-12);
  const dRho = (h: number): number => {
    const w = [Math.cos(b.alpha), Math.sin(b.alpha)];
    const W = new Matrix([[w[0] * w[0], w[0] * w[1]], [w[1] * w[0], w[1] * w[1]]]).mul(p.rho + h) as Matrix;
    return a.loss.value(W);
  };
  assert.ok(Math.abs(dRho(1e-5) - dRho(-1e-5)) < 1e-12);
  const grid = Array.from({ length: 101 }, (_, k) => (k / 100) * (Math.PI / 2));
  const mono = exampleAProfile(1, 0.8, grid).map((q) => q.loss);
  for (let k = 1; k < mono.length; k++) assert.ok(mono[k] >= mono[k - 1] - 1e-12, "Lambda ≡ 1: monotone from 0.64 to 1");
  assert.throws(() => exampleAProfile(10, 0.8, [NaN]), DomainError);
});

test("Example B: every diagonal selection is critical with the stated loss and a PSD Hessian with exactly r^2 zeros", () => {
  for (const r of [1, 2]) {
    const b = exampleB(r);
    assert.equal(b.candidates.length, b.stated.localMinima);
    const losses = b.candidates.map((c) => b.landscape.value(c.theta)).sort((x, y) => x - y);
    close(losses, b.stated.losses, 1e-12, `r = ${r} losses`);
    for (const c of b.candidates) {
      assert.ok(gradNorm(b.landscape.gradient(c.theta)) < 1e-12);
      assert.ok(maxAbsDiff(mu(b.widths, c.theta), c.W) < 1e-15);
      const ev = eigs(b.landscape.hessian(c.theta));
      const tol = 1e-9 * Math.max(...ev.map(Math.abs));
      assert.ok(ev[0] > -tol, `r = ${r}, I = ${c.I}: min eigenvalue ${ev[0]}`);
      assert.equal(ev.filter((v) => Math.abs(v) <= tol).length, b.stated.zeroEigenvalues);
    }
  }
  assert.throws(() => exampleB(0), DomainError);
});

test("A2 fibre move (E-A2a): critical, loss 0.5, Hessian {(1±√5)/2 ×2, 0×3, 2}; the fibre move breaks criticality; explicit descent", () => {
  const e = a2FibreExample();
  const L = e.landscape;
  assert.equal(L.value(e.theta), e.stated.loss);
  assert.equal(gradNorm(L.gradient(e.theta)), 0);
  close(eigs(L.hessian(e.theta)), e.stated.hessianEigenvalues, 1e-12, "Hessian");
  const moved = e.fibreMove([0, 0.1]);
  assert.ok(maxAbsDiff(mu(e.widths, moved), mu(e.widths, e.theta)) === 0, "same product");
  const gW1 = L.gradient(moved)[0];
  assert.deepEqual(gW1.to1DArray().map((v) => Math.round(v * 1e12) / 1e12), e.stated.fibreMoveGradW1);
  for (const { delta, eps, loss } of e.stated.descentValues) {
    const v = L.value(e.descent(delta, eps));
    assert.ok(Math.abs(v - 0.5 * (eps * eps + (delta * eps - 1) ** 2)) < 1e-15);
    assert.ok(Math.abs(v - loss) < 1e-7, `${v} vs ${loss}`);
    assert.ok(v < 0.5);
  }
});

test("A2 degenerate saddle (E-A2b): origin of (2,1,1,2) has Hessian ≡ 0 and descends along 2.5 - 2t^3 + t^6/2", () => {
  const e = a2DegenerateExample();
  const L = e.landscape;
  assert.equal(L.value(e.origin), e.stated.originLoss);
  assert.equal(gradNorm(L.gradient(e.origin)), 0);
  const H = L.hessian(e.origin);
  assert.equal(Math.max(...H.to1DArray().map(Math.abs)), 0);
  for (const t of [0.05, 0.2, 0.5, 1]) assert.ok(Math.abs(L.value(e.curve(t)) - e.stated.curveLoss(t)) < 1e-14);
  assert.ok(Math.abs(L.value(e.curve(0.2)) - e.stated.curveAt02) < 1e-12);
  for (const key of ["s1", "s2"] as const) {
    assert.ok(gradNorm(L.gradient(e.points[key])) < 1e-12);
    assert.ok(Math.abs(L.value(e.points[key]) - e.stated[key].loss) < 1e-12);
    close(eigs(L.hessian(e.points[key])), e.stated[key].eigenvalues, 1e-9, key);
  }
  // the shallow (2,1,2) origin is a strict saddle {-2, -1, 1, 2}
  const S = landscape(new DeepLinearNetwork(e.stated.shallowOrigin.widths), e.loss);
  close(eigs(S.hessian([new Matrix(1, 2), new Matrix(2, 1)])), e.stated.shallowOrigin.eigenvalues, 1e-12, "shallow origin");
});

test("E-A1a: 7 critical values, global = ½(tr YY^T - lambda_1 - lambda_2) computed independently; balanced points critical", () => {
  const e = eA1a(1);
  assert.equal(e.criticalValues.length, 7);
  const Sigma = mmulChain([e.Y, pinvSafe(e.X), e.X, e.Y.transpose() as Matrix]);
  const lam = symEig(new Matrix(Sigma.to2DArray().map((row, i) => row.map((v, j) => 0.5 * (v + Sigma.get(j, i)))))).values;
  const trYY = frobNorm(e.Y) ** 2;
  assert.ok(Math.abs(e.predictedGlobal - 0.5 * (trYY - lam[0] - lam[1])) < 1e-9);
  assert.ok(Math.abs(e.criticalValues[0] - e.predictedGlobal) < 1e-9);
  for (const im of e.images.images) {
    assert.ok(gradNorm(e.landscape.gradient(im.theta as Matrix[])) <= 1e-10);
    assert.ok(Math.abs(e.landscape.value(im.theta as Matrix[]) - im.loss) < 1e-9);
  }
});

test("E-A1b: the weighted 2×2 loss on (2,1,2): global 1, spurious local minimum 4, origin strict saddle 5 (docs/theory.md#a1)", () => {
  const e = eA1b();
  const L = e.architectures[0].landscape;
  for (const key of ["global", "spurious", "origin"] as const) {
    assert.ok(Math.abs(L.value(e.points[key]) - e.stated[key].loss) < 1e-12);
    assert.ok(gradNorm(L.gradient(e.points[key])) < 1e-12);
    close(eigs(L.hessian(e.points[key])), e.stated[key].eigenvalues, 1e-9, key);
  }
  assert.deepEqual(e.architectures.map((a) => a.values), [[1, 4], [1, 4], [1, 4], [0]]);
  // filling control: W = Q is reachable on (2,2,2), value 0
  const F = e.architectures[3].landscape;
  assert.equal(F.value([diag([1, 1]), diag([2, 1])]), 0);
});

test("A4 towers: a closed-form critical point (tower 1 carries u_1, tower 2 carries u_2) reaches ½(tr YY^T - lambda_1 - lambda_2); filling towers reach 0", () => {
  const a = a4Towers(4);
  const p = dataProblem(a.random.X, a.random.Y);
  const theta = [...balancedPoint(p, a.random.towers[0], [1]), ...balancedPoint(p, a.random.towers[1], [2])];
  assert.ok(gradNorm(a.random.landscape.gradient(theta)) <= 1e-10);
  assert.ok(Math.abs(a.random.landscape.value(theta) - a.random.predictedGlobal) < 1e-9);
  const L = landscape(new DeepLinearNetwork([4, 2, 4]), squareLossData(a.random.X, a.random.Y));
  assert.ok(Math.abs(L.value(balancedPoint(p, [4, 2, 4], [1, 2])) - a.random.predictedGlobal) < 1e-9);
  const f = a.filling;
  const pf = dataProblem(f.X, f.Y);
  const tf = [...balancedPoint(pf, f.towers[0], [1]), ...balancedPoint(pf, f.towers[1], [2])];
  assert.ok(f.landscape.value(tf) < 1e-24);
  assert.ok(gradNorm(f.landscape.gradient(tf)) < 1e-12);
  assert.ok(maxAbsDiff(mmul(new Matrix([[1, 0], [0, 1]]), f.Y), diag([2, 1])) === 0);
});
