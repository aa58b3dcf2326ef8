import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { CriticalPointReport, classifyCriticalPoint, knownGlobalValue } from "../../src/critical";
import { DomainError, ShapeError } from "../../src/core/errors";
import { diag, eye, matrix, maxAbsDiff, mmulChain, transpose } from "../../src/core/matrix";
import { rng } from "../../src/core/random";
import { landscape } from "../../src/landscape";
import { squareLoss, squareLossData, weightedSquareLoss } from "../../src/losses";
import { DeepLinearNetwork } from "../../src/networks";
import { determinantalVariety } from "../../src/spaces";

const DISPLAY = Symbol.for("Jupyter.display");

function sortedClose(actual: readonly number[], expected: readonly number[], tol: number, what: string): void {
  const a = actual.slice().sort((x, y) => x - y);
  const e = expected.slice().sort((x, y) => x - y);
  assert.equal(a.length, e.length, what);
  a.forEach((x, i) => assert.ok(Math.abs(x - e[i]) <= tol, `${what}: ${x} vs ${e[i]}`));
}

function unchanged(before: readonly Matrix[], after: readonly Matrix[]): void {
  before.forEach((B, k) => assert.equal(maxAbsDiff(B, after[k]), 0, `theta[${k}] unchanged`));
}

function example4234() {
  const U = rng(5).orthogonal(4);
  const V = rng(6).orthogonal(4);
  const Q = mmulChain([U, diag([4, 3, 2, 1]), transpose(V)]);
  const c = Math.cbrt(4);
  const W1 = new Matrix(2, 4);
  for (let j = 0; j < 4; j++) W1.set(0, j, c * V.get(j, 0));
  const W2 = new Matrix(3, 2);
  W2.set(0, 0, c);
  const W3 = new Matrix(4, 3);
  for (let i = 0; i < 4; i++) W3.set(i, 0, c * U.get(i, 0));
  return { L: landscape(new DeepLinearNetwork([4, 2, 3, 4]), squareLoss(Q)), theta: [W1, W2, W3] };
}

function exampleA(K: number, s = 0.8) {
  const L = landscape(new DeepLinearNetwork([2, 1, 2]), weightedSquareLoss([[1, K], [K, 1]], diag([1, s])));
  const rs = Math.sqrt(s);
  return { L, theta: [matrix([[0, rs]]), matrix([[0], [rs]])] };
}

test("Ex-1: (0,0) is a spurious strict saddle with Hessian eigenvalues ±2; (1,0) is not critical", () => {
  const L = landscape(new DeepLinearNetwork([1, 1, 1]), squareLoss([[1]]));
  const theta = [matrix([[0]]), matrix([[0]])];
  const copy = theta.map((W) => W.clone());
  const rep = classifyCriticalPoint(L, theta);
  unchanged(copy, theta);
  assert.equal(rep.verdict, "strict saddle");
  assert.equal(rep.purity.status, "spurious");
  sortedClose(rep.hessianEigenvalues!, [-2, 2], 1e-12, "Hessian");
  // evidence: Delta L ≈ lambda eps^2 / 2 along the eigenvector, L ≈ 1 - 2ab
  assert.equal(rep.escape!.kind, "negative curvature");
  for (const p of rep.escape!.points) assert.ok(Math.abs(p.deltaL - p.predicted!) <= 0.5 * p.eps ** 4 + 1e-15);
  assert.ok(Math.abs(rep.escape!.slope - 2) < 0.05);
  const r2 = classifyCriticalPoint(L, [matrix([[1]]), matrix([[0]])]);
  assert.equal(r2.verdict, "not critical");
  assert.ok(Math.abs(r2.purity.gradientNorm - 2) < 1e-12, "dL/db = -2a = -2");
});

test("Ex-2: theta2 spurious critical, escape -2e^2 + e^4; theta3 (same product) has gradient norm 2", () => {
  const L = landscape(new DeepLinearNetwork([2, 2, 2]), squareLoss(diag([2, 1])));
  const r = Math.SQRT2;
  const rep = classifyCriticalPoint(L, [diag([r, 0]), diag([r, 0])]);
  assert.equal(rep.purity.status, "spurious");
  assert.ok(rep.purity.gradientNorm < 1e-12);
  assert.equal(rep.verdict, "strict saddle");
  const chain = rep.otherEscapes.find((e) => e.kind === "kernel chain")!;
  assert.ok(chain, "kernel chain found");
  assert.equal(chain.order, 2);
  for (const p of chain.points) assert.ok(Math.abs(p.deltaL - (-2 * p.eps ** 2 + p.eps ** 4)) < 1e-14, `chain ΔL at ${p.eps}`);
  const theta3 = [diag([r, 0]), matrix([[r, 0], [0, 1]])];
  const r3 = classifyCriticalPoint(L, theta3);
  assert.equal(r3.verdict, "not critical");
  assert.ok(Math.abs(r3.purity.gradientNorm - 2) < 1e-12);
  assert.ok(maxAbsDiff(r3.purity.image, rep.purity.image) < 1e-15, "same product diag(2,0)");
});

test("A2 fibre-move example: Hessian {(1±√5)/2 twice, 0×3, 2}, strict saddle, a product-preserving move breaks criticality", () => {
  const L = landscape(new DeepLinearNetwork([2, 2, 2]), squareLossData(eye(2), matrix([[0, 0], [1, 0]])));
  const theta = [diag([0, 1]), diag([1, 0])]; // W_1 = diag(0,1), W_2 = diag(1,0)
  const rep = classifyCriticalPoint(L, theta);
  const g = (1 + Math.sqrt(5)) / 2;
  sortedClose(rep.hessianEigenvalues!, [g, g, 1 - g, 1 - g, 0, 0, 0, 2], 1e-10, "Hessian");
  assert.equal(rep.verdict, "strict saddle");
  assert.equal(rep.purity.status, "spurious");
  assert.ok(Math.abs(rep.value - 0.5) < 1e-15);
  const mv = rep.fibreMove!;
  assert.ok(mv, "fibre move found");
  assert.ok(mv.productChange < 1e-15, "the move keeps the product");
  assert.ok(Math.abs(mv.gradientNormAfter - 0.1) < 1e-12, "gradient 0.1 after a move of size 0.1 (E-A2a)");
  const fm = rep.otherEscapes.find((e) => e.kind === "fibre move")!;
  assert.ok(fm.descends);
});

test("d=(2,1,1,2) origin: Hessian ≡ 0, degenerate saddle with an automatic third-order curve 2.5 - 2t^3 + t^6/2", () => {
  const L = landscape(new DeepLinearNetwork([2, 1, 1, 2]), squareLossData(eye(2), diag([2, 1])));
  const theta = [new Matrix(1, 2), new Matrix(1, 1), new Matrix(2, 1)];
  const rep = classifyCriticalPoint(L, theta);
  assert.ok(rep.hessianEigenvalues!.every((x) => Math.abs(x) < 1e-14), "Hessian ≡ 0");
  assert.equal(rep.inertia!.negative, 0);
  assert.equal(rep.verdict, "degenerate saddle");
  const e = rep.escape!;
  assert.equal(e.kind, "kernel chain");
  assert.equal(e.order, 3);
  assert.ok(Math.abs(e.slope - 3) < 0.01);
  for (const p of e.points) assert.ok(Math.abs(p.deltaL - (-2 * p.eps ** 3 + p.eps ** 6 / 2)) < 1e-14);
  // the curve itself: mu(theta(t)) = t^3 e1 e1^T up to sign conventions, loss 2.5 - 2t^3 + t^6/2
  const t = 0.2;
  assert.ok(Math.abs(L.value(e.at(t)) - 2.484032) < 1e-12);
});

test("d=(4,2,3,4), spurious point I={1}: PSD Hessian with 19 zeros, degenerate saddle, Delta L = -6e^3 + e^6", () => {
  const { L, theta } = example4234();
  const copy = theta.map((W) => W.clone());
  const rep = classifyCriticalPoint(L, theta);
  unchanged(copy, theta);
  assert.equal(rep.purity.status, "spurious");
  assert.ok(Math.abs(rep.value - 14) < 1e-12);
  assert.equal(rep.inertia!.negative, 0);
  assert.equal(rep.inertia!.zero, 19);
  assert.equal(rep.fibreDimension, 14);
  assert.equal(rep.verdict, "degenerate saddle");
  assert.equal(rep.escape!.order, 3);
  for (const p of rep.escape!.points) assert.ok(Math.abs(p.deltaL - (-6 * p.eps ** 3 + p.eps ** 6)) < 1e-12, `ΔL at ${p.eps}`);
  assert.ok(Math.abs(rep.escape!.slope - 3) < 0.01);
  assert.ok(Math.abs(rep.global.value! - 5) < 1e-12, "Eckart–Young value sigma_3^2 + sigma_4^2");
});

test("Example A (T6): K = 1, 1.2 strict saddles; 1.3, 10 local minima; K = 1.25 degenerate with the reason", () => {
  const expected: Array<[number, string, number | null]> = [
    [1, "strict saddle", -0.4],
    [1.2, "strict saddle", -0.08],
    [1.3, "local minimum", null],
    [10, "local minimum", null],
  ];
  for (const [K, verdict, lam] of expected) {
    const { L, theta } = exampleA(K);
    const rep = classifyCriticalPoint(L, theta, { globalValue: 0.64 });
    assert.equal(rep.verdict, verdict, `K = ${K}: ${rep.reason}`);
    assert.equal(rep.purity.status, "pure");
    if (lam !== null) assert.ok(Math.abs(rep.hessianEigenvalues![rep.hessianEigenvalues!.length - 1] - lam) < 1e-12);
    else {
      assert.equal(rep.riemannian!.inertia.negative, 0);
      assert.equal(rep.riemannian!.inertia.zero, 0);
      assert.equal(rep.perturbation!.decreases, 0);
      assert.equal(rep.inertia!.zero, 1, "only the fibre direction");
    }
  }
  // without a global value the verdict says so
  const r10 = classifyCriticalPoint(exampleA(10).L, exampleA(10).theta);
  assert.equal(r10.verdict, "minimum (global not known)");
  const { L, theta } = exampleA(1.25);
  const rep = classifyCriticalPoint(L, theta, { globalValue: 0.64 });
  assert.ok(rep.verdict === "degenerate saddle" || rep.verdict === "undecided", rep.verdict);
  assert.match(rep.reason, /within eigTol/);
  assert.equal(rep.inertia!.zero, 2);
  if (rep.verdict === "degenerate saddle") {
    assert.ok(rep.escape!.descends);
    assert.ok(rep.escape!.slope > 3.5 && rep.escape!.slope < 4.5, `fourth-order descent, slope ${rep.escape!.slope}`);
  }
  // just above the threshold the tolerance cannot decide: undecided, never a guess
  const up = exampleA(1.25 + 1e-7);
  const ru = classifyCriticalPoint(up.L, up.theta, { globalValue: 0.64 });
  assert.equal(ru.verdict, "undecided");
  assert.match(ru.reason, /no descent curve found/);
});

test("T5 pure points on d=(4,2,4): global minimum at the truncated SVD, strict saddles elsewhere, zeros = fibre dimension", () => {
  const U = rng(11).orthogonal(4);
  const V = rng(12).orthogonal(4);
  const sig = [4, 3, 2, 1];
  const L = landscape(new DeepLinearNetwork([4, 2, 4]), squareLoss(mmulChain([U, diag(sig), transpose(V)])));
  const balanced = (I: number[]) => {
    const W1 = new Matrix(2, 4);
    const W2 = new Matrix(4, 2);
    I.forEach((i, a) => {
      const c = Math.sqrt(sig[i - 1]);
      for (let j = 0; j < 4; j++) W1.set(a, j, c * V.get(j, i - 1));
      for (let j = 0; j < 4; j++) W2.set(j, a, c * U.get(j, i - 1));
    });
    return [W1, W2];
  };
  const cases: Array<[number[], number]> = [[[1, 2], 0], [[1, 3], 1], [[2, 4], 3], [[3, 4], 4]];
  for (const [I, index] of cases) {
    const rep = classifyCriticalPoint(L, balanced(I));
    assert.equal(rep.purity.status, "pure");
    assert.equal(rep.inertia!.negative, index, `index of W_${I}`);
    assert.equal(rep.inertia!.zero, 4, "fibre dimension");
    assert.equal(rep.riemannian!.inertia.negative, index, "Morse index on M_2 (Riemannian Hessian)");
    assert.equal(rep.riemannian!.inertia.zero, 0);
    assert.equal(rep.verdict, index === 0 ? "global minimum" : "strict saddle");
  }
});

test("filling + convex + grad l = 0 is certified global (T4), also at a rank-deficient point", () => {
  // Q of rank 1 on the filling (2,2,2): theta with product Q and a zero row
  const L = landscape(new DeepLinearNetwork([2, 2, 2]), squareLoss(diag([3, 0])));
  const rep = classifyCriticalPoint(L, [diag([Math.sqrt(3), 0]), diag([Math.sqrt(3), 0])]);
  assert.equal(rep.verdict, "global minimum");
  assert.equal(rep.purity.status, "pure");
  assert.equal(rep.perturbation!.decreases, 0);
});

test("the report displays as markdown + plain text, no html", () => {
  const { L, theta } = example4234();
  const rep = classifyCriticalPoint(L, theta);
  assert.ok(rep instanceof CriticalPointReport);
  const bundle = (rep as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/markdown", "text/plain"]);
  assert.match(bundle["text/markdown"], /\*\*Critical point: degenerate saddle\*\*/);
  assert.match(bundle["text/markdown"], /\| ε \|/);
  assert.match(bundle["text/plain"], /kernel chain/);
});

test("knownGlobalValue: Eckart–Young and the data form", () => {
  assert.ok(Math.abs(knownGlobalValue(squareLoss(diag([4, 3, 2, 1])), determinantalVariety(4, 4, 2))! - 5) < 1e-12);
  const v = knownGlobalValue(squareLossData(eye(2), diag([2, 1])), determinantalVariety(2, 2, 1))!;
  assert.ok(Math.abs(v - 0.5) < 1e-12, "A.2(iv): global value 0.5");
  assert.equal(knownGlobalValue(weightedSquareLoss([[1, 1], [1, 1]], diag([1, 1])), determinantalVariety(2, 2, 1)), null);
});

test("bad inputs are rejected with typed errors", () => {
  const { L, theta } = exampleA(10);
  assert.throws(() => classifyCriticalPoint({} as never, theta), DomainError);
  assert.throws(() => classifyCriticalPoint(L, [theta[0]]), ShapeError);
  assert.throws(() => classifyCriticalPoint(L, [theta[1], theta[0]]), ShapeError);
  assert.throws(() => classifyCriticalPoint(L, [matrix([[NaN, 1]]), theta[1]]), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { eigTol: -1 }), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { globalValue: Infinity }), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { singularConvention: "bogus" as never }), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { space: determinantalVariety(3, 3, 1) }), ShapeError);
  assert.throws(() => classifyCriticalPoint(L, theta, { eps: [0.1] }), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { perturbations: 1.5 }), DomainError);
  assert.throws(() => classifyCriticalPoint(L, theta, { perturbationSize: NaN }), DomainError);
  const big = classifyCriticalPoint(L, theta, { maxParams: 2 });
  assert.equal(big.verdict, "undecided");
  assert.match(big.reason, /maxParams/);
});

test("multi-tower (A4): two (2,1,2) towers on Q = diag(2,1) are filling; one tower at zero is a spurious strict saddle", async () => {
  const { MultiTowerNetwork } = await import("../../src/networks");
  const net = new MultiTowerNetwork([[2, 1, 2], [2, 1, 2]]);
  const L = landscape(net, squareLoss(diag([2, 1])));
  const r2 = Math.SQRT2;
  const good = [matrix([[r2, 0]]), matrix([[r2], [0]]), matrix([[0, 1]]), matrix([[0], [1]])];
  const g = classifyCriticalPoint(L, good);
  assert.equal(g.verdict, "global minimum");
  assert.equal(g.purity.filling, true);
  const bad = [matrix([[r2, 0]]), matrix([[r2], [0]]), matrix([[0, 0]]), matrix([[0], [0]])];
  const b = classifyCriticalPoint(L, bad);
  assert.equal(b.purity.status, "spurious");
  assert.equal(b.verdict, "strict saddle");
  assert.ok(b.escape!.descends);
});
