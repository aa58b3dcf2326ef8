import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix, inverse } from "ml-matrix";
import { rng } from "../../src/core/random";
import { DegenerateError, DomainError, ShapeError } from "../../src/core/errors";
import { symEig } from "../../src/core/linalg";
import { diag, frobNorm, maxAbsDiff, mmul, mmulChain, sub, transpose } from "../../src/core/matrix";
import { DeepLinearNetwork, mu } from "../../src/networks/deepLinear";
import { fibreDimension, paramCount } from "../../src/networks/widths";
import { landscape } from "../../src/landscape/landscape";
import { squareLoss, squareLossData } from "../../src/losses/square";
import {
  balancedPoint,
  criticalImages,
  dataProblem,
  expectedParameterInertia,
  matchCriticalImage,
  matrixProblem,
  squareLossGradient,
} from "../../src/critical/closedForms";
import { binomial, criticalImageCount, gaussianBinomial } from "../../src/critical/gaussianBinomial";

const blocksNorm = (B: Matrix[]): number => Math.hypot(...B.map(frobNorm));

/** Inertia of the exact parameter Hessian (Landscape.hessian), zero band relative to the largest |eigenvalue|. */
function inertia(H: Matrix, rel = 1e-8): { negative: number; zero: number; positive: number; values: number[] } {
  const values = symEig(H).values;
  const tol = rel * Math.max(1, ...values.map(Math.abs));
  return {
    negative: values.filter((v) => v < -tol).length,
    zero: values.filter((v) => Math.abs(v) <= tol).length,
    positive: values.filter((v) => v > tol).length,
    values,
  };
}

function randomDistinct(g: ReturnType<typeof rng>, k: number): number[] {
  // well-separated distinct values in (0.5, 0.5 + 2k)
  const v = Array.from({ length: k }, (_, i) => 0.5 + 2 * i + g.uniform());
  return v.sort((a, b) => b - a);
}

test("T5 table: Q = U diag(4,3,2,1) V^T, d = (4,2,4): 11 images, losses, kinds, indices, Hessian inertia (docs/theory.md)", () => {
  const g = rng(2024);
  const U = g.orthogonal(4);
  const V = g.orthogonal(4);
  const sig = [4, 3, 2, 1];
  const Q = mmulChain([U, diag(sig), transpose(V)]);
  const widths = [4, 2, 4];
  const res = criticalImages(matrixProblem(Q), widths);
  // the T5 reference table (docs/theory.md#t5)
  const table: [number[], string, number, number, number, number | null][] = [
    [[], "spurious", 30, 8, 0, null],
    [[1], "spurious", 14, 3, 3, null],
    [[2], "spurious", 21, 4, 3, null],
    [[3], "spurious", 26, 5, 3, null],
    [[4], "spurious", 29, 6, 3, null],
    [[1, 2], "pure", 5, 0, 4, 0],
    [[1, 3], "pure", 10, 1, 4, 1],
    [[1, 4], "pure", 13, 2, 4, 2],
    [[2, 3], "pure", 17, 2, 4, 2],
    [[2, 4], "pure", 20, 3, 4, 3],
    [[3, 4], "pure", 25, 4, 4, 4],
  ];
  assert.equal(res.images.length, 11);
  assert.deepEqual(res.counts, { total: 11, rankR: 6, pure: 6, spurious: 5 });
  assert.equal(res.degeneracies.length, 0);
  const L = landscape(new DeepLinearNetwork(widths), squareLoss(Q));
  for (const [I, kind, lossV, neg, zero, index] of table) {
    const im = res.images.find((x) => JSON.stringify(x.I) === JSON.stringify(I));
    assert.ok(im, `image ${JSON.stringify(I)}`);
    assert.equal(im.kind, kind);
    assert.ok(Math.abs(im.loss - lossV) < 1e-9, `loss ${im.loss} vs ${lossV}`);
    assert.equal(im.morseIndex, index);
    assert.equal(im.globalMinimum, lossV === 5);
    // W_I from the test's own U, V
    let W = new Matrix(4, 4);
    for (const i of I) W = W.add(mmul(U.subMatrix(0, 3, i - 1, i - 1), transpose(V.subMatrix(0, 3, i - 1, i - 1))).mul(sig[i - 1])) as Matrix;
    assert.ok(maxAbsDiff(im.W, W) < 1e-12);
    const theta = im.theta as Matrix[];
    assert.ok(maxAbsDiff(mu(widths, theta), W) < 1e-12);
    assert.ok(blocksNorm(L.gradient(theta)) <= 1e-10);
    assert.ok(Math.abs(L.value(theta) - lossV) < 1e-9);
    const h = inertia(L.hessian(theta));
    assert.equal(h.negative, neg, `#neg at ${JSON.stringify(I)}`);
    assert.equal(h.zero, zero, `#zero at ${JSON.stringify(I)}`);
    if (index !== null) assert.deepEqual({ negative: h.negative, zero: h.zero, positive: h.positive }, expectedParameterInertia(widths, index));
  }
  // index multiset of the pure images = q-binomial [4 choose 2]_q
  const dist = new Array(5).fill(0);
  for (const im of res.images) if (im.morseIndex !== null) dist[im.morseIndex]++;
  assert.deepEqual(dist, gaussianBinomial(4, 2));
});

test("T5 depth 3, d = (4,2,3,4): pure points have index as h = 2 and 14 zero eigenvalues; spurious I = ∅, {1} have no negative eigenvalue", () => {
  const g = rng(7);
  const Q = mmulChain([g.orthogonal(4), diag([4, 3, 2, 1]), transpose(g.orthogonal(4))]);
  const widths = [4, 2, 3, 4];
  const res = criticalImages(matrixProblem(Q), widths);
  const L = landscape(new DeepLinearNetwork(widths), squareLoss(Q));
  const spuriousNeg: Record<string, [number, number | null]> = { "[]": [0, 26], "[1]": [0, 19], "[2]": [1, null], "[3]": [2, null], "[4]": [3, null] };
  for (const im of res.images) {
    const theta = im.theta as Matrix[];
    assert.ok((im.gradientNorm as number) <= 1e-10);
    const h = inertia(L.hessian(theta));
    if (im.kind === "pure") {
      assert.equal(h.negative, im.morseIndex);
      assert.equal(h.zero, 14);
    } else {
      const [neg, zero] = spuriousNeg[JSON.stringify(im.I)];
      assert.equal(h.negative, neg, `#neg at ${JSON.stringify(im.I)}`);
      if (zero !== null) assert.equal(h.zero, zero, `#zero at ${JSON.stringify(im.I)}`);
    }
  }
});

test("random matrix and data problems, depths 1..4: balanced points are critical (<= 1e-10), realise W_I, losses and counts agree", () => {
  const g = rng(99);
  let cases = 0;
  for (let t = 0; t < 40; t++) {
    const h = 1 + g.int(4);
    const d0 = 1 + g.int(5);
    const dh = 1 + g.int(5);
    const widths = [d0];
    for (let i = 1; i < h; i++) widths.push(1 + g.int(5));
    widths.push(dh);
    const r = Math.min(...widths);
    const dataForm = t % 2 === 1;
    let problem;
    let Lfun;
    if (dataForm) {
      const n = 1 + g.int(7);
      const X = g.gaussian(d0, n);
      const Y = g.gaussian(dh, n);
      problem = dataProblem(X, Y);
      Lfun = landscape(new DeepLinearNetwork(widths), squareLossData(X, Y));
    } else {
      const k = Math.min(d0, dh);
      const rankQ = 1 + g.int(k);
      const sv = randomDistinct(g, rankQ);
      const Q = mmulChain([g.orthogonal(dh).subMatrix(0, dh - 1, 0, rankQ - 1), diag(sv), transpose(g.orthogonal(d0).subMatrix(0, d0 - 1, 0, rankQ - 1))]);
      problem = matrixProblem(Q);
      Lfun = landscape(new DeepLinearNetwork(widths), squareLoss(Q));
    }
    const res = criticalImages(problem, widths);
    const m = res.m;
    if (h === 1) {
      // depth 1: L = l is convex; only the minimiser is critical
      assert.equal(res.counts.total, 1);
      assert.deepEqual(res.images[0].I, Array.from({ length: m }, (_, i) => i + 1));
    } else {
      assert.equal(res.counts.total, criticalImageCount(m, r));
      assert.equal(res.counts.rankR, m >= r ? binomial(m, r) : 0);
      assert.equal(res.counts.pure, m >= r ? binomial(m, r) : 1);
    }
    let minLoss = Infinity;
    for (const im of res.images) {
      const theta = im.theta as Matrix[];
      const grad = Lfun.gradient(theta);
      assert.ok(blocksNorm(grad) <= 1e-10, `gradient ${blocksNorm(grad)} at widths ${widths} I=${im.I}`);
      assert.ok(blocksNorm(squareLossGradient(problem, widths, theta)) <= 1e-10);
      assert.ok(maxAbsDiff(mu(widths, theta), im.W) < 1e-10);
      assert.ok(Math.abs(Lfun.value(theta) - im.loss) <= 1e-9 * Math.max(1, im.loss));
      minLoss = Math.min(minLoss, Lfun.value(theta));
      cases++;
    }
    const globals = res.images.filter((im) => im.globalMinimum);
    assert.equal(globals.length, 1, "distinct values: a unique global image");
    assert.deepEqual(globals[0].I, Array.from({ length: Math.min(r, m) }, (_, i) => i + 1), "greedy from the top");
    assert.ok(Math.abs(globals[0].loss - minLoss) < 1e-9 * Math.max(1, minLoss));
    if (m >= r && h > 1) {
      const dist = new Array(r * (m - r) + 1).fill(0);
      for (const im of res.images) if (im.morseIndex !== null) dist[im.morseIndex]++;
      assert.deepEqual(dist, gaussianBinomial(m, r));
    }
  }
  assert.ok(cases > 100, `checked ${cases} critical points`);
});

test("data form, full-row-rank X: W_I = P_{U_I} Y X^T (X X^T)^{-1}, eigenvalues of Sigma, loss ½(tr YY^T - sum lambda)", () => {
  const g = rng(5);
  const X = g.gaussian(4, 9);
  const Y = g.gaussian(3, 9);
  const res = criticalImages(dataProblem(X, Y), [4, 2, 3]);
  const Wols = mmulChain([Y, transpose(X), inverse(mmul(X, transpose(X)))]);
  const Sigma = mmulChain([Wols, X, transpose(Y)]);
  const eig = symEig(new Matrix(Sigma.to2DArray().map((row, i) => row.map((v, j) => 0.5 * (v + Sigma.get(j, i))))));
  res.values.forEach((v, k) => assert.ok(Math.abs(v - eig.values[k]) < 1e-9 * eig.values[0]));
  let trYY = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 9; j++) trYY += Y.get(i, j) ** 2;
  for (const im of res.images) {
    assert.ok(maxAbsDiff(im.W, mmul(im.projector, Wols)) < 1e-10);
    const sel = im.I.reduce((s, i) => s + eig.values[i - 1], 0);
    assert.ok(Math.abs(im.loss - 0.5 * (trYY - sel)) < 1e-9);
  }
  assert.equal(res.degeneracies.length, 0);
});

test("rank-deficient X (A5 case a): detected and reported; images still critical; strict throws", () => {
  const g = rng(8);
  const X = new Matrix([[1, 2, 0, 1, 0, 1], [2, 4, 0, 2, 0, 2]]);
  const Y = g.gaussian(3, 6);
  const widths = [2, 2, 2, 3];
  const res = criticalImages(dataProblem(X, Y), widths);
  const kinds = res.degeneracies.map((d) => d.kind).sort();
  assert.deepEqual(kinds, ["rank-below-bottleneck", "rank-deficient-data"]);
  assert.equal(res.m, 1);
  const L = landscape(new DeepLinearNetwork(widths), squareLossData(X, Y));
  for (const im of res.images) assert.ok(blocksNorm(L.gradient(im.theta as Matrix[])) <= 1e-10);
  const best = res.images.find((im) => im.globalMinimum);
  assert.ok(best && best.kind === "pure" && best.rank === 1 && best.morseIndex === null);
  // global minimum value ½(tr YY^T - lambda_1) equals the least-squares floor: the gradient of l vanishes there
  const W = best.W;
  const G = mmul(sub(mmul(W, X), Y), transpose(X));
  assert.ok(frobNorm(G) < 1e-10);
  assert.throws(
    () => criticalImages(dataProblem(X, Y), widths, { strict: true }),
    (e: unknown) => e instanceof DegenerateError && e.kind === "rank-deficient-data",
  );
});

test("repeated singular values: reported with indices and gap, continuum flagged, projectors basis-independent, strict throws", () => {
  const g = rng(3);
  const U = g.orthogonal(4);
  const V = g.orthogonal(4);
  const Q = mmulChain([U, diag([3, 2, 2, 1]), transpose(V)]);
  const res = criticalImages(matrixProblem(Q), [4, 2, 4]);
  assert.equal(res.degeneracies.length, 1);
  const dg = res.degeneracies[0];
  assert.equal(dg.kind, "repeated-singular-values");
  assert.deepEqual(dg.indices, [2, 3]);
  assert.ok(dg.gap < 1e-12);
  const flagged = res.images.filter((im) => im.continuum).map((im) => JSON.stringify(im.I)).sort();
  assert.deepEqual(flagged, ["[1,2]", "[1,3]", "[2,4]", "[2]", "[3,4]", "[3]"].sort());
  // the image selecting the whole tied group {2,3} is unique: its projector is U_{2,3} U_{2,3}^T
  const im23 = res.images.find((im) => JSON.stringify(im.I) === "[2,3]") as (typeof res.images)[number];
  const U23 = U.subMatrix(0, 3, 1, 2);
  assert.ok(maxAbsDiff(im23.projector, mmul(U23, transpose(U23))) < 1e-10);
  assert.equal(im23.continuum, false);
  // ties at the cut-off: two global choices {1,2} and {1,3}, same loss, both critical
  const globals = res.images.filter((im) => im.globalMinimum).map((im) => JSON.stringify(im.I));
  assert.deepEqual(globals.sort(), ["[1,2]", "[1,3]"]);
  for (const im of res.images) assert.ok((im.gradientNorm as number) <= 1e-10);
  assert.ok(res.notes.some((n) => n.includes("continua")));
  assert.throws(
    () => criticalImages(matrixProblem(Q), [4, 2, 4], { strict: true }),
    (e: unknown) => e instanceof DegenerateError && e.kind === "repeated-singular-values",
  );
});

test("rank Q < r: no rank-r image; the rank-deficient global minimum is pure with grad l = 0", () => {
  const g = rng(4);
  const u = g.orthogonal(3).subMatrix(0, 2, 0, 0);
  const v = g.orthogonal(3).subMatrix(0, 2, 0, 0);
  const Q = mmul(u, transpose(v)).mul(2) as Matrix;
  const widths = [3, 2, 3];
  const res = criticalImages(matrixProblem(Q), widths);
  assert.equal(res.m, 1);
  assert.deepEqual(res.counts, { total: 2, rankR: 0, pure: 1, spurious: 1 });
  assert.deepEqual(res.degeneracies.map((d) => d.kind), ["rank-below-bottleneck"]);
  const top = res.images[1];
  assert.deepEqual(top.I, [1]);
  assert.equal(top.kind, "pure");
  assert.equal(top.globalMinimum, true);
  assert.equal(top.morseIndex, null);
  assert.ok(maxAbsDiff(top.W, Q) < 1e-12);
  assert.ok(Math.abs(top.loss) < 1e-12);
  // strict does not throw for m < r (the count is right; the global minimum is just a singular point)
  assert.doesNotThrow(() => criticalImages(matrixProblem(Q), widths, { strict: true }));
});

test("expectedParameterInertia matches the Hessian at random pure points (distinct values)", () => {
  const g = rng(12);
  for (const widths of [[3, 1, 3], [4, 2, 3], [3, 2, 2, 4], [2, 3, 1, 2, 3]]) {
    const d0 = widths[0];
    const dh = widths[widths.length - 1];
    const k = Math.min(d0, dh);
    const Q = mmulChain([g.orthogonal(dh).subMatrix(0, dh - 1, 0, k - 1), diag(randomDistinct(g, k)), transpose(g.orthogonal(d0).subMatrix(0, d0 - 1, 0, k - 1))]);
    const L = landscape(new DeepLinearNetwork(widths), squareLoss(Q));
    const res = criticalImages(matrixProblem(Q), widths);
    for (const im of res.images.filter((x) => x.kind === "pure")) {
      const h = inertia(L.hessian(im.theta as Matrix[]), 1e-9);
      const want = expectedParameterInertia(widths, im.morseIndex as number);
      assert.deepEqual({ negative: h.negative, zero: h.zero, positive: h.positive }, want, `widths ${widths} I ${im.I}`);
      assert.equal(want.zero, fibreDimension(widths));
      assert.equal(want.negative + want.zero + want.positive, paramCount(widths));
    }
  }
});

test("bad inputs: shape mismatch, non-finite, bad widths, bad selections and options are rejected with typed errors", () => {
  const Q = diag([2, 1]);
  assert.throws(() => criticalImages(matrixProblem(Q), [3, 1, 2]), ShapeError);
  assert.throws(() => criticalImages(matrixProblem(Q), [2, 0, 2]), DomainError);
  assert.throws(() => criticalImages(matrixProblem(Q), [2, 1.5, 2]), DomainError);
  assert.throws(() => criticalImages(matrixProblem(Q), [2]), DomainError);
  assert.throws(() => matrixProblem([[1, NaN]]), DomainError);
  assert.throws(() => matrixProblem([[1, 2], [3]]), ShapeError);
  assert.throws(() => dataProblem([[1, 2]], [[1, 2, 3]]), ShapeError);
  assert.throws(() => dataProblem([[1, Infinity]], [[1, 2]]), DomainError);
  assert.throws(() => criticalImages({ form: "other" } as never, [2, 1, 2]), DomainError);
  assert.throws(() => criticalImages(matrixProblem(Q), [2, 1, 2], { gapTol: -1 }), DomainError);
  assert.throws(() => criticalImages(matrixProblem(Q), [2, 1, 2], { maxImages: 1 }), DomainError);
  assert.throws(() => balancedPoint(matrixProblem(Q), [2, 1, 2], [1, 2]), DomainError); // |I| > r
  assert.throws(() => balancedPoint(matrixProblem(Q), [2, 1, 2], [3]), DomainError); // index > m
  assert.throws(() => balancedPoint(matrixProblem(Q), [2, 2, 2], [1, 1]), DomainError); // repeated
  assert.throws(() => expectedParameterInertia([2, 1, 2], 9), DomainError);
  assert.throws(() => squareLossGradient(matrixProblem(Q), [2, 1, 2], [new Matrix(1, 2)]), ShapeError);
});

test("inputs are unchanged after calls", () => {
  const g = rng(21);
  const X = g.gaussian(3, 5);
  const Y = g.gaussian(2, 5);
  const Xc = X.clone();
  const Yc = Y.clone();
  const p = dataProblem(X, Y);
  const widths = [3, 1, 2];
  const wc = widths.slice();
  const res = criticalImages(p, widths);
  balancedPoint(p, widths, [1]);
  const theta = res.images[1].theta as Matrix[];
  const tc = theta.map((W) => W.clone());
  squareLossGradient(p, widths, theta);
  assert.deepEqual(X.to2DArray(), Xc.to2DArray());
  assert.deepEqual(Y.to2DArray(), Yc.to2DArray());
  assert.deepEqual(p.X.to2DArray(), Xc.to2DArray());
  assert.deepEqual(widths, wc);
  theta.forEach((W, i) => assert.deepEqual(W.to2DArray(), tc[i].to2DArray()));
});

test("matchCriticalImage: perturbed images match the right I; a random matrix matches none", () => {
  const g = rng(41);
  const Q = mmulChain([g.orthogonal(4), diag([4, 3, 2, 1]), transpose(g.orthogonal(4))]);
  const set = criticalImages(matrixProblem(Q), [4, 2, 4], { realise: false });
  for (const im of set.images) {
    const W = im.W.clone().add(g.gaussian(4, 4, 1e-9)) as Matrix;
    const hit = matchCriticalImage(set, W);
    assert.deepEqual(hit.image.I, im.I);
    assert.ok(hit.matches && hit.distance < 1e-8 && hit.projectorDistance < 1e-6);
  }
  assert.equal(matchCriticalImage(set, g.gaussian(4, 4)).matches, false);
  assert.throws(() => matchCriticalImage(set, new Matrix(3, 4)), ShapeError);
  assert.throws(() => matchCriticalImage(set, Q, -1), DomainError);
});

test("no signal (A5 case c, rotated so Y X^+ X is zero only up to round-off): m = 0, the empty image is the pure global minimum ½ tr YY^T", () => {
  const g = rng(42);
  const B = g.orthogonal(4);
  const X = mmul(new Matrix([[1, 0, 0, 0], [0, 1, 0, 0]]), B);
  const Y = mmul(new Matrix([[0, 0, 1, 0], [0, 0, 0, 2]]), B);
  const widths = [2, 2, 1, 2];
  const res = criticalImages(dataProblem(X, Y), widths);
  assert.equal(res.m, 0);
  assert.equal(res.images.length, 1);
  const im = res.images[0];
  assert.deepEqual(im.I, []);
  assert.equal(im.kind, "pure");
  assert.equal(im.globalMinimum, true);
  assert.ok(Math.abs(im.loss - 2.5) < 1e-12);
  assert.ok(res.degeneracies.some((d) => d.kind === "rank-below-bottleneck"));
  const L = landscape(new DeepLinearNetwork(widths), squareLossData(X, Y));
  assert.ok(blocksNorm(L.gradient(im.theta as Matrix[])) <= 1e-10);
});
