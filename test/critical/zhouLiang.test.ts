import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { rng } from "../../src/core/random";
import { AssumptionError, DegenerateError, DomainError, ShapeError } from "../../src/core/errors";
import { orthComplement, symEig } from "../../src/core/linalg";
import { diag, eye, frobNorm, maxAbsDiff, mmul, mmulChain, transpose } from "../../src/core/matrix";
import { DeepLinearNetwork, mu } from "../../src/networks/deepLinear";
import { landscape } from "../../src/landscape/landscape";
import { squareLossData } from "../../src/losses/square";
import { criticalImages, dataProblem } from "../../src/critical/closedForms";
import {
  condition3Residual,
  isGlobalSelection,
  observedNegativeCount,
  projectorForm,
  selectionMatrix,
  zhouLiangFamilies,
  zhouLiangGradient,
  zhouLiangLoss,
  zhouLiangPoint,
  zhouLiangSpectrum,
} from "../../src/critical/zhouLiang";

function wellConditioned(g: ReturnType<typeof rng>, n: number): Matrix {
  // Q diag(s) R with s in [0.5, 2]: cond(C) <= 4
  const s = Array.from({ length: n }, () => 0.5 + 1.5 * g.uniform());
  return mmulChain([g.orthogonal(n), diag(s), g.orthogonal(n)]);
}

test("B1 (E-B1a): random (C, L1) with (3) enforced give critical points (grad <= 1e-10) and the B2 loss", () => {
  const g = rng(31);
  let checked = 0;
  for (let t = 0; t < 12; t++) {
    const d0 = 2 + g.int(4);
    const d1 = 1 + g.int(3);
    const d2 = 2 + g.int(3);
    const n = 2 + g.int(6);
    const X = g.gaussian(d0, n);
    const Y = g.gaussian(d2, n);
    const spec = zhouLiangSpectrum(X, Y);
    const m = spec.rankSigma;
    const allS: number[][] = [[]];
    for (let k = 1; k <= Math.min(d1, m); k++) {
      // a random k-subset of 1..m
      const pool = Array.from({ length: m }, (_, i) => i + 1);
      const S: number[] = [];
      for (let j = 0; j < k; j++) S.push(pool.splice(g.int(pool.length), 1)[0]);
      allS.push(S);
    }
    for (const S of allS) {
      const C = wellConditioned(g, d1);
      const L1 = g.gaussian(d1, d0);
      const p = zhouLiangPoint(X, Y, { S, C, L1, enforceCondition3: true });
      assert.ok(p.residual3Norm <= 1e-10);
      const gr = zhouLiangGradient(X, Y, p.A1, p.A2);
      assert.ok(frobNorm(gr.gradA1) <= 1e-10 && frobNorm(gr.gradA2) <= 1e-10, `grad ${frobNorm(gr.gradA1)}, ${frobNorm(gr.gradA2)}`);
      assert.ok(Math.abs(gr.value - zhouLiangLoss(spec, S)) <= 1e-9 * Math.max(1, gr.value));
      assert.ok(Math.abs(p.predictedLoss - gr.value) <= 1e-9 * Math.max(1, gr.value));
      // end-to-end: A2 A1 X = P Y X^+ X (B1 reading of the forms)
      assert.ok(maxAbsDiff(mmulChain([p.A2, p.A1, X]), mmulChain([p.P, Y, spec.Xpinv, X])) < 1e-10);
      checked++;
    }
  }
  assert.ok(checked >= 30);
});

test("B1 (E-B1b): when (3) is violated, dL/dA1 = 0 and dL/dA2 = -residual3 C^{-T}; for C = I the gradient norm equals the residual", () => {
  const g = rng(32);
  for (let t = 0; t < 10; t++) {
    const X = g.gaussian(4, 6);
    const Y = g.gaussian(3, 6);
    const S = [1 + g.int(3)];
    const L1 = g.gaussian(2, 4);
    // C = I
    const p = zhouLiangPoint(X, Y, { S, d1: 2, L1 });
    const gr = zhouLiangGradient(X, Y, p.A1, p.A2);
    assert.ok(p.residual3Norm > 1e-3, "a random L1 violates (3)");
    assert.ok(frobNorm(gr.gradA1) <= 1e-10);
    const total = Math.hypot(frobNorm(gr.gradA1), frobNorm(gr.gradA2));
    assert.ok(Math.abs(total - p.residual3Norm) <= 1e-10 * Math.max(1, p.residual3Norm), `${total} vs ${p.residual3Norm}`);
    // general invertible C: the exact identity
    const C = wellConditioned(g, 2);
    const q = zhouLiangPoint(X, Y, { S, C, L1 });
    const gq = zhouLiangGradient(X, Y, q.A1, q.A2);
    assert.ok(frobNorm(gq.gradA1) <= 1e-10);
    assert.ok(maxAbsDiff(gq.gradA2, q.predictedGradA2) <= 1e-10 * Math.max(1, frobNorm(gq.gradA2)));
    assert.ok(maxAbsDiff(mmul(gq.gradA2, transpose(C)), q.residual3.clone().mul(-1) as Matrix) <= 1e-9);
    // condition3Residual as a standalone function agrees
    assert.ok(maxAbsDiff(condition3Residual(X, Y, q.U, q.V, C, q.L1), q.residual3) < 1e-12);
  }
});

test("B1 (E-B1c): rank-deficient X, an unused unit with input weights in ker X^T satisfies (3) and is critical", () => {
  const g = rng(33);
  const X0 = g.gaussian(3, 6);
  const X = new Matrix(4, 6);
  for (let j = 0; j < 6; j++) {
    for (let i = 0; i < 3; i++) X.set(i, j, X0.get(i, j));
    X.set(3, j, X0.get(0, j) + X0.get(1, j));
  }
  const Y = g.gaussian(3, 6);
  const spec = zhouLiangSpectrum(X, Y);
  assert.equal(spec.rankX, 3);
  assert.ok(spec.degeneracies.some((d) => d.kind === "rank-deficient-data"));
  assert.throws(() => zhouLiangSpectrum(X, Y, { strict: true }), DegenerateError);
  const z = orthComplement(X).getColumn(0); // X^T z = 0 (z ⊥ col X)
  const C = wellConditioned(g, 2);
  // C L1 has row 2 (the unused unit) = 5 z^T: L1 = C^{-1} [0; 5 z^T]
  const CL1 = new Matrix(2, 4);
  z.forEach((v, j) => CL1.set(1, j, 5 * v));
  const L1 = mmul(invert2(C), CL1);
  const p = zhouLiangPoint(X, Y, { S: [2], C, L1 });
  assert.ok(p.residual3Norm < 1e-10);
  const gr = zhouLiangGradient(X, Y, p.A1, p.A2);
  assert.ok(Math.hypot(frobNorm(gr.gradA1), frobNorm(gr.gradA2)) < 1e-10);
  assert.ok(Math.abs(gr.value - zhouLiangLoss(spec, [2])) < 1e-9);
});

function invert2(C: Matrix): Matrix {
  const [a, b, c, d] = [C.get(0, 0), C.get(0, 1), C.get(1, 0), C.get(1, 1)];
  const det = a * d - b * c;
  return new Matrix([[d / det, -b / det], [-c / det, a / det]]);
}

test("B2-B4 worked table (B4 worked example): X = I3, Y = diag(3,2,1), d1 = 2: 7 families, losses, global, Hessian signatures", () => {
  const X = eye(3);
  const Y = diag([3, 2, 1]);
  const { families, count, spectrum } = zhouLiangFamilies(X, Y, 2);
  assert.equal(count, 7);
  assert.equal(families.length, 7);
  assert.deepEqual(spectrum.lambdas.map((l) => Math.round(l * 1e9) / 1e9), [9, 4, 1]);
  // B4 worked example: S -> [loss, (n-, n0, n+)]
  const table: Record<string, [number, [number, number, number]]> = {
    "[]": [7.0, [6, 0, 6]],
    "[1]": [2.5, [2, 3, 7]],
    "[2]": [5.0, [3, 3, 6]],
    "[3]": [6.5, [4, 3, 5]],
    "[1,2]": [0.5, [0, 4, 8]],
    "[1,3]": [2.0, [1, 4, 7]],
    "[2,3]": [4.5, [2, 4, 6]],
  };
  const L = landscape(new DeepLinearNetwork([3, 2, 3]), squareLossData(X, Y));
  for (const f of families) {
    const [lossV, sig] = table[JSON.stringify(f.S)];
    assert.ok(Math.abs(f.loss - lossV) < 1e-12, `loss ${f.loss} vs ${lossV}`);
    assert.equal(f.global, lossV === 0.5);
    assert.equal(f.type, lossV === 0.5 ? "global minimum" : "saddle");
    // both representatives are critical with the stated loss
    for (const theta of [f.balanced, [f.zl.A1, f.zl.A2]]) {
      assert.ok(Math.hypot(...L.gradient(theta).map(frobNorm)) <= 1e-10);
      assert.ok(Math.abs(L.value(theta) - lossV) < 1e-12);
    }
    const ev = symEig(L.hessian(f.balanced)).values;
    const tol = 1e-8 * Math.max(1, ...ev.map(Math.abs));
    const got: [number, number, number] = [ev.filter((v) => v < -tol).length, ev.filter((v) => Math.abs(v) <= tol).length, ev.filter((v) => v > tol).length];
    assert.deepEqual(got, sig, `signature at S = ${JSON.stringify(f.S)}`);
    assert.equal(f.observedNegative, sig[0]);
  }
});

test("B2-B4 non-identity X (B4 worked example): X = [[1,0,1],[0,1,1]], Y = [[1,0,0],[0,1,0]], d1 = 1", () => {
  const X = new Matrix([[1, 0, 1], [0, 1, 1]]);
  const Y = new Matrix([[1, 0, 0], [0, 1, 0]]);
  const { families } = zhouLiangFamilies(X, Y, 1);
  const L = landscape(new DeepLinearNetwork([2, 1, 2]), squareLossData(X, Y));
  const byS = new Map(families.map((f) => [JSON.stringify(f.S), f]));
  const stated: Record<string, [number, number[]]> = {
    "[]": [1.0, [-1, -1, 1, 1]],
    "[1]": [0.5, [0, 0.5858, 2, 3.4142]],
    "[2]": [0.8333, [-0.3874, 0, 1.7208, 2]],
  };
  for (const [key, [lossV, eig]] of Object.entries(stated)) {
    const f = byS.get(key);
    assert.ok(f);
    assert.ok(Math.abs(f.loss - lossV) < 1e-4);
    const ev = symEig(L.hessian(f.balanced)).values.slice().sort((a, b) => a - b);
    const sign = (xs: number[]): number[] => xs.map((v) => (v < -1e-6 ? -1 : v > 1e-6 ? 1 : 0));
    assert.deepEqual(sign(ev), sign(eig), `${key}: signature ${ev} vs ${eig}`);
    // magnitudes depend on the representative of the critical family (B4 worked example); ours coincide with the
    // reference values at the origin and at S = {1}; at S = {2} the reference representative is not specified.
    if (key !== "[2]") ev.forEach((v, i) => assert.ok(Math.abs(v - eig[i]) < 1e-4, `${key}: ${ev} vs ${eig}`));
  }
  const w1 = mu([2, 1, 2], (byS.get("[1]") as (typeof families)[number]).balanced);
  assert.ok(maxAbsDiff(w1, new Matrix([[0.5, -0.5], [-0.5, 0.5]])) < 1e-12);
});

test("B3: global iff greedy from the top, equivalently minimal loss over all selections (random data, ties allowed by value)", () => {
  const g = rng(34);
  for (let t = 0; t < 10; t++) {
    const d1 = 1 + g.int(3);
    const X = g.gaussian(4, 7);
    const Y = g.gaussian(4, 7);
    const { families, spectrum } = zhouLiangFamilies(X, Y, d1);
    const best = Math.min(...families.map((f) => f.loss));
    for (const f of families) {
      assert.equal(f.global, Math.abs(f.loss - best) < 1e-10);
      assert.equal(isGlobalSelection(spectrum.lambdas, f.S, d1), f.global);
    }
    // the global value ½(tr YY^T - sum of the top min(d1, rank Sigma) eigenvalues)
    const k = Math.min(d1, spectrum.rankSigma);
    const top = spectrum.lambdas.slice(0, k).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(best - 0.5 * (spectrum.trYY - top)) < 1e-9);
  }
  // ties: Y = diag(2,1,1), d1 = 2: both {1,2} and {1,3} are global (B.4(iii))
  assert.equal(isGlobalSelection([4, 1, 1], [1, 3], 2), true);
  assert.equal(isGlobalSelection([4, 1, 1], [2, 3], 2), false);
  assert.equal(observedNegativeCount([9, 4, 1], [], 2), 6);
});

test("B5: projectorForm at deep critical points (closed-form balanced points) and not at a random point", () => {
  const g = rng(35);
  const X = g.gaussian(4, 7);
  const Y = g.gaussian(3, 7);
  const widths = [4, 3, 2, 3, 3];
  const res = criticalImages(dataProblem(X, Y), widths);
  for (const im of res.images) {
    const rep = projectorForm(X, Y, mu(widths, im.theta as Matrix[]));
    assert.ok(rep.holds, `residual ${rep.residual}, commutator ${rep.commutator}`);
    assert.equal(rep.rank, im.rank);
    assert.ok(maxAbsDiff(rep.P, im.projector) < 1e-9, "P is the projector of the selection");
    assert.ok(Math.abs(rep.loss - im.loss) < 1e-9);
    assert.ok(Math.abs(rep.predictedLoss - im.loss) < 1e-9);
  }
  const rand = projectorForm(X, Y, g.gaussian(3, 4));
  assert.equal(rand.holds, false);
});

test("bad inputs: singular C, bad V, bad U, shapes, S out of range", () => {
  const g = rng(36);
  const X = g.gaussian(3, 5);
  const Y = g.gaussian(2, 5);
  assert.throws(() => zhouLiangPoint(X, Y, { S: [1], C: new Matrix([[1, 2], [2, 4]]) }), DomainError);
  assert.throws(() => zhouLiangPoint(X, Y, { V: new Matrix([[1, 1], [0, 0]]) }), AssumptionError); // columns not orthonormal
  assert.throws(() => zhouLiangPoint(X, Y, { V: new Matrix([[Math.SQRT1_2], [Math.SQRT1_2]]) }), AssumptionError); // mixes eigenvalues
  assert.throws(() => zhouLiangPoint(X, Y, { S: [1], d1: 1, U: eye(2).mul(2) as Matrix }), AssumptionError);
  assert.throws(() => zhouLiangPoint(X, Y, { S: [1], d1: 2, L1: new Matrix(2, 2) }), ShapeError);
  assert.throws(() => zhouLiangPoint(X, Y, { S: [3], d1: 2 }), DomainError);
  assert.throws(() => zhouLiangPoint(X, Y, { S: [1] }), DomainError); // no d1
  assert.throws(() => zhouLiangPoint(X, Y, {}), DomainError);
  assert.throws(() => zhouLiangPoint(X, g.gaussian(2, 4), { S: [1], d1: 1 }), ShapeError);
  assert.throws(() => selectionMatrix([1, 2, 3], 3, 2), DomainError);
  assert.throws(() => selectionMatrix([1, 1], 3, 2), DomainError);
  assert.throws(() => zhouLiangFamilies(X, Y, 0), DomainError);
  assert.throws(() => projectorForm(X, Y, new Matrix(3, 3)), ShapeError);
  assert.throws(() => projectorForm(X, Y, new Matrix(2, 3), { tol: -1 }), DomainError);
  assert.throws(() => zhouLiangGradient(X, Y, new Matrix(2, 3), new Matrix(2, 3)), ShapeError);
  assert.throws(() => zhouLiangLoss(zhouLiangSpectrum(X, Y), [0]), DomainError);
  assert.throws(() => zhouLiangSpectrum([[1, NaN]], [[1, 2]]), DomainError);
});

test("inputs are unchanged after calls", () => {
  const g = rng(37);
  const X = g.gaussian(3, 5);
  const Y = g.gaussian(2, 5);
  const C = wellConditioned(g, 2);
  const L1 = g.gaussian(2, 3);
  const copies = [X, Y, C, L1].map((M) => M.to2DArray());
  const p = zhouLiangPoint(X, Y, { S: [1], C, L1, enforceCondition3: true });
  zhouLiangGradient(X, Y, p.A1, p.A2);
  projectorForm(X, Y, mmul(p.A2, p.A1));
  condition3Residual(X, Y, p.U, p.V, C, L1);
  [X, Y, C, L1].forEach((M, i) => assert.deepEqual(M.to2DArray(), copies[i]));
});
