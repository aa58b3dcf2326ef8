/**
 * Chapter 03 helpers (T4): the data-composed loss against finite differences and its definition, the convex
 * optimum against closed forms and first-order optimality, the softmax optimum's rank identity, the T4 study on
 * filling architectures (every run at the optimum, rank-deficient endpoints with grad l = 0), its assumption
 * checks, the non-filling converse (non-global endpoints are full rank and pure), and the chart specs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssumptionError,
  Chart,
  DegenerateError,
  DomainError,
  Matrix,
  ShapeError,
  convergenceSpec,
  convexOptimum,
  customLoss,
  dataComposedLoss,
  frobNorm,
  gapHistogramSpec,
  gapTraces,
  log10Gap,
  mmul,
  nonFillingSpec,
  nonFillingStudy,
  pinv,
  pseudoHuberLoss,
  relativeGap,
  rng,
  squareLoss,
  squareLossData,
  sub,
  t4Losses,
  t4Study,
  weightedSquareLoss,
} from "../../src";

const R0 = rng(303);

test("dataComposedLoss: value = phi(W X); gradient and Hessian action match central differences", () => {
  const R = rng(31);
  const X = R.gaussian(4, 9);
  const Y = R.gaussian(3, 9);
  const phi = pseudoHuberLoss(Y, 0.7);
  const l = dataComposedLoss(phi, X);
  assert.deepEqual([...l.shape], [3, 4]);
  assert.ok(l.convex && l.smooth && l.hessianExact);
  const W = R.gaussian(3, 4);
  const D = R.gaussian(3, 4);
  assert.ok(Math.abs(l.value(W) - phi.value(mmul(W, X))) <= 1e-12 * Math.max(1, phi.value(mmul(W, X))));
  const h = 1e-6;
  const plus = (t: number): Matrix => {
    const M = new Matrix(3, 4);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) M.set(i, j, W.get(i, j) + t * D.get(i, j));
    return M;
  };
  const dirFd = (l.value(plus(h)) - l.value(plus(-h))) / (2 * h);
  let dir = 0;
  const G = l.gradient(W);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) dir += G.get(i, j) * D.get(i, j);
  assert.ok(Math.abs(dir - dirFd) <= 1e-6 * Math.max(1, Math.abs(dir)), `directional derivative ${dir} vs ${dirFd}`);
  const Hfd = sub(l.gradient(plus(h)), l.gradient(plus(-h)));
  const HD = l.hessianAction(W, D);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(HD.get(i, j) - Hfd.get(i, j) / (2 * h)) <= 1e-5 * Math.max(1, Math.abs(HD.get(i, j))));
  // inputs untouched
  assert.equal(W.get(0, 0), W.clone().get(0, 0));
  assert.throws(() => dataComposedLoss(phi, R.gaussian(4, 8)), ShapeError);
  assert.throws(() => dataComposedLoss({} as never, X), DomainError);
  assert.equal(l.hasMinimiser().exists, true);
});

test("convexOptimum: weighted square gives W* = Q; data square loss gives W* = Y X^+ (rank-deficient X)", () => {
  const Q = R0.gaussian(3, 4);
  const Lambda = new Matrix(3, 4).fill(1);
  Lambda.set(0, 1, 5);
  Lambda.set(2, 3, 0.2);
  const opt = convexOptimum(weightedSquareLoss(Lambda, Q));
  assert.ok(frobNorm(sub(opt.W, Q)) <= 1e-9, `||W* - Q|| = ${frobNorm(sub(opt.W, Q))}`);
  assert.ok(opt.value <= 1e-15 && opt.gradientNorm <= 1e-9);
  // data form with a rank-deficient X: the minimiser of 1/2||WX - Y||^2 of least norm is Y X^+; any minimiser
  // has the same W X and the same value. Starting at 0, gradient steps stay in the row space: W* = Y X^+.
  const B = R0.gaussian(4, 2);
  const X = mmul(B, R0.gaussian(2, 10)); // rank 2
  const Y = R0.gaussian(3, 10);
  const lsq = squareLossData(X, Y);
  const o2 = convexOptimum(lsq);
  const Wls = mmul(Y, pinv(X));
  assert.ok(Math.abs(o2.value - lsq.value(Wls)) <= 1e-10 * Math.max(1, o2.value));
  assert.ok(frobNorm(sub(mmul(o2.W, X), mmul(Wls, X))) <= 1e-7);
  assert.ok(o2.gradientNorm <= 1e-9);
});

test("convexOptimum refuses non-convex or non-smooth losses and losses without a minimiser", () => {
  const spec = { shape: [2, 2] as const, value: (W: Matrix) => W.get(0, 0) ** 3, gradient: (W: Matrix) => [[3 * W.get(0, 0) ** 2, 0], [0, 0]] };
  assert.throws(() => convexOptimum(customLoss({ ...spec })), AssumptionError);
  assert.throws(() => convexOptimum(customLoss({ ...spec, convex: true, smooth: true, hasMinimiser: false })), DegenerateError);
  assert.throws(() => convexOptimum(squareLoss([[1, 2]]), { gradTol: -1 }), DomainError);
});

test("t4Losses: four convex smooth losses; softmax optimum satisfies 1^T W* = 0 (rank <= m - 1); closed forms hold", () => {
  const losses = t4Losses(3);
  assert.deepEqual(losses.map((t) => t.key), ["softmax", "huber", "power4", "weighted"]);
  for (const t of losses) {
    assert.ok(t.loss.convex && t.loss.smooth, t.name);
    assert.ok(t.optimum.gradientNorm <= 1e-10, `${t.name}: ||grad l(W*)|| = ${t.optimum.gradientNorm}`);
    if (t.closedForm) assert.ok(frobNorm(sub(t.optimum.W, t.closedForm)) <= 1e-6, `${t.name}: ||W* - Q||`);
  }
  const sm = losses[0].optimum.W;
  for (let j = 0; j < sm.columns; j++) {
    let col = 0;
    for (let i = 0; i < sm.rows; i++) col += sm.get(i, j);
    assert.ok(Math.abs(col) <= 1e-9, `column ${j} of W* sums to ${col}`);
  }
  assert.equal(losses[0].optimum.rank, 2);
  assert.equal(losses[3].optimum.rank, 2);
  // reproducible
  assert.equal(t4Losses(3)[1].optimum.value, losses[1].optimum.value);
});

test("t4Study on filling architectures: every run at the convex optimum; rank-deficient endpoints have grad l ~ 0", async () => {
  const losses = t4Losses(5).filter((t) => t.key === "softmax" || t.key === "power4");
  const st = await t4Study(losses, [[4, 3, 3], [4, 5, 3, 3]], { runs: 5, seed: 7, progress: false });
  assert.equal(st.runs.length, 20);
  assert.equal(st.cells.length, 4);
  assert.ok(st.maxGap() <= 1e-6, `max gap ${st.maxGap()}`);
  assert.equal(st.atOptimum(1e-6), 20);
  const def = st.rankDeficientRuns();
  assert.ok(def.length >= 10, "softmax endpoints are rank-deficient (rank 2 < r = 3)");
  assert.ok(st.maxRankDeficientLossGrad() <= 1e-6, `max ||grad l|| = ${st.maxRankDeficientLossGrad()}`);
  for (const r of st.runs) assert.equal(r.purity, "pure");
  assert.match(st.toString(), /softmax/);
});

test("t4Study checks its assumptions", async () => {
  const losses = t4Losses(5).slice(0, 1);
  await assert.rejects(() => t4Study(losses, [[4, 2, 3]], { runs: 1, progress: false }), AssumptionError);
  await assert.rejects(() => t4Study(losses, [[3, 3, 3]], { runs: 1, progress: false }), ShapeError);
  await assert.rejects(() => t4Study(losses, [[4, 3, 3]], { runs: 0, progress: false }), DomainError);
  const nonConvex = { ...losses[0], loss: customLoss({ shape: [3, 4], value: () => 0, gradient: () => new Matrix(3, 4) }) };
  await assert.rejects(() => t4Study([nonConvex], [[4, 3, 3]], { runs: 1, progress: false }), AssumptionError);
});

test("nonFillingStudy: every endpoint on the non-filling architecture has rank r and is pure (T4, general form)", async () => {
  const weighted = t4Losses(3).find((t) => t.key === "weighted");
  assert.ok(weighted);
  const nf = await nonFillingStudy(weighted, [[4, 1, 3], [4, 3, 3]], { runs: 12, seed: 100 });
  const bad = nf.runs.filter((r) => !r.filling);
  assert.equal(bad.length, 12);
  for (const r of bad) {
    assert.equal(r.rank, 1);
    assert.equal(r.purity, "pure");
    assert.ok(r.lossGradientNorm > 1e-3, "grad l != 0: not the optimum over all matrices");
  }
  assert.equal(nf.distinct["(4,3,3)"], 1);
  const spec = nonFillingSpec(nf);
  assert.equal(new Chart(spec).warnings.length, 0);
});

test("gap helpers and chart specs", () => {
  assert.equal(relativeGap(3, 2), 0.5);
  assert.equal(relativeGap(0.5, 0.25), 0.25);
  assert.equal(log10Gap(0), -16);
  assert.equal(log10Gap(1e-8), -8);
  assert.throws(() => relativeGap(NaN, 1), DomainError);
  const runs = [
    { loss: "a", architecture: "(2,2,2)", log10Gap: -16, gap: 0 },
    { loss: "b", architecture: "(2,2,2)", log10Gap: -9, gap: 1e-9 },
  ] as never;
  const spec = gapHistogramSpec(runs);
  assert.equal((spec.facet as { column: { field: string } }).column.field, "loss");
  assert.equal(new Chart(spec).warnings.length, 0);
  assert.throws(() => gapHistogramSpec([]), DomainError);
  const losses = t4Losses(3).slice(2, 3);
  const tr = gapTraces(losses, [4, 3, 3], { runs: 2 });
  assert.ok(tr.length > 4 && tr.every((p) => p.gap >= 1e-16));
  assert.ok(tr[tr.length - 1].gap <= 1e-6);
  assert.equal(new Chart(convergenceSpec(tr)).warnings.length, 0);
  assert.throws(() => gapTraces(losses, [4, 2, 3]), AssumptionError);
});
