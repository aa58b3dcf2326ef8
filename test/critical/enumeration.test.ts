/**
 * The allocation-light enumeration of `criticalImages` (flat factors, lazy matrices, one flat gradient buffer)
 * against the reference computations it replaced, written here with plain matrix loops: `W_I`, `P_{U_I}` and the
 * balanced points equal to the last bit; the loss and Morse index exactly (Morse from `inversionIndex`); the
 * gradient norm (rounding noise at a critical point) within 1e-10 of the `dMuT(mu, grad l)` path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { rng } from "../../src/core/random";
import { frobNorm } from "../../src/core/matrix";
import { dMuT, mu } from "../../src/networks/deepLinear";
import { balancedPoint, criticalImages, dataProblem, matrixProblem, squareLossGradientW, squareSpectrum } from "../../src/critical/closedForms";
import type { SquareProblem } from "../../src/critical/closedForms";
import { inversionIndex } from "../../src/critical/gaussianBinomial";

function bitEqual(A: Matrix, B: Matrix, what: string): void {
  assert.equal(A.rows, B.rows, what);
  assert.equal(A.columns, B.columns, what);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) assert.ok(Object.is(A.get(i, j), B.get(i, j)), `${what} [${i}][${j}]: ${A.get(i, j)} vs ${B.get(i, j)}`);
}

function check(problem: SquareProblem, widths: number[], realise: boolean): void {
  const set = criticalImages(problem, widths, { realise });
  const sp = squareSpectrum(problem);
  const [dh, d0] = [sp.U.rows, sp.B.rows];
  const m = set.m;
  for (const im of set.images) {
    // reference W_I and P_{U_I}: the matrix loops of the previous implementation
    const W = new Matrix(dh, d0);
    const P = new Matrix(dh, dh);
    for (const i of im.I) {
      for (let a = 0; a < dh; a++) {
        const ua = sp.U.get(a, i - 1) * sp.singular[i - 1];
        if (ua !== 0) for (let b = 0; b < d0; b++) W.set(a, b, W.get(a, b) + ua * sp.B.get(b, i - 1));
        for (let b = 0; b < dh; b++) P.set(a, b, P.get(a, b) + sp.U.get(a, i - 1) * sp.U.get(b, i - 1));
      }
    }
    bitEqual(im.W, W, `W_${im.I}`);
    bitEqual(im.projector, P, `P_${im.I}`);
    assert.equal(im.W, im.W, "kept after the first access");
    if (im.rank === set.r) {
      const tol = 1e-8 * (Math.abs(set.values[0]) || 1);
      assert.equal(im.morseIndex, inversionIndex(im.I, set.values.slice(0, m), tol));
    } else assert.equal(im.morseIndex, null);
    const inI = new Set(im.I);
    const expectedLoss =
      sp.form === "matrix"
        ? sp.values.reduce((s, v, k) => (inI.has(k + 1) ? s : s + v * v), 0)
        : sp.lossAtZero - 0.5 * im.I.reduce((s, i) => s + sp.values[i - 1], 0);
    assert.ok(Object.is(im.loss, expectedLoss), `loss of ${im.I}`);
    if (realise) {
      const theta = im.theta as Matrix[];
      const ref = balancedPoint(problem, widths, im.I);
      theta.forEach((T, l) => bitEqual(T, ref[l], `theta_${l} of ${im.I}`));
      const G = dMuT(widths, ref, squareLossGradientW(problem, mu(widths, ref)));
      const refNorm = Math.sqrt(G.reduce((s, B) => s + frobNorm(B) ** 2, 0));
      assert.ok(Math.abs((im.gradientNorm as number) - refNorm) <= 1e-10, `gradient norm of ${im.I}: ${im.gradientNorm} vs ${refNorm}`);
    } else {
      assert.equal(im.theta, undefined);
      assert.equal(im.gradientNorm, undefined);
    }
    const json = JSON.parse(JSON.stringify(im));
    assert.deepEqual(json.I, im.I);
    assert.ok(json.W !== undefined && json.projector !== undefined, "toJSON carries the matrices");
  }
}

test("criticalImages: matrix form, 6×5 target, widths (5, 3, 4, 6), realised and not", () => {
  const problem = matrixProblem(rng(3).gaussian(6, 5));
  check(problem, [5, 3, 4, 6], true);
  check(problem, [5, 3, 4, 6], false);
});

test("criticalImages: data form and depth 1 agree with the reference loops", () => {
  const r = rng(8);
  const problem = dataProblem(r.gaussian(4, 12), r.gaussian(3, 12));
  check(problem, [4, 2, 3], true);
  check(problem, [4, 3], true);
  check(matrixProblem(r.gaussian(4, 4)), [4, 2, 2, 4], true);
});
