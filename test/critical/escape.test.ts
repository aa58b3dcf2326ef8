import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import {
  chainEscape,
  classifyCriticalPoint,
  fibreMoveEscape,
  negativeCurvatureEscape,
  perturbationCheck,
  reducedKernelEscape,
} from "../../src/critical";
import { logLogSlope } from "../../src/core/fit";
import { DomainError, ShapeError } from "../../src/core/errors";
import { diag, eye, matrix, maxAbsDiff, mmul, sub } from "../../src/core/matrix";
import { numericalRank, symEig } from "../../src/core/linalg";
import { rng } from "../../src/core/random";
import { landscape } from "../../src/landscape";
import { squareLoss, squareLossData } from "../../src/losses";
import { DeepLinearNetwork } from "../../src/networks";
import { determinantalVariety } from "../../src/spaces";
import { opaqueParameterization } from "../helpers/opaque";

test("logLogSlope recovers powers", () => {
  const x = [0.1, 0.05, 0.025];
  assert.ok(Math.abs(logLogSlope(x, x.map((e) => -3 * e ** 3)) - 3) < 1e-12);
  assert.throws(() => logLogSlope([1], [1]), (e: unknown) => e instanceof Error && e.name === "DegenerateError");
});

test("kernel chain: mu changes by exactly eps^k times a rank-one matrix (random rank-deficient deep points)", () => {
  const g = rng(7);
  for (let t = 0; t < 6; t++) {
    const widths = [3, 3, 3, 3, 3];
    const net = new DeepLinearNetwork(widths);
    // rank-one layers: every hidden space has kernel ∩ complement directions
    const theta = net.paramShapes.map(([r, c]) => mmul(g.gaussian(r, 1), g.gaussian(1, c)));
    const L = landscape(net, squareLoss(g.gaussian(3, 3)));
    const copy = theta.map((W) => W.clone());
    const ch = chainEscape(L, theta);
    theta.forEach((W, k) => assert.equal(maxAbsDiff(W, copy[k]), 0));
    assert.ok(ch, "a chain exists");
    const k = ch!.order!;
    const mu0 = net.mu(theta);
    const d1 = sub(net.mu(ch!.at(0.2)), mu0);
    const d2 = sub(net.mu(ch!.at(0.1)), mu0);
    assert.equal(numericalRank(d1, 1e-12), 1);
    // exact power: d1 = 2^k d2
    assert.ok(maxAbsDiff(d1, d2.clone().mul(2 ** k) as Matrix) < 1e-12, `order ${k}`);
    // not a critical point here, but the first-order model of Delta L is -rate eps^k
    const e = 1e-3;
    const dl = L.value(ch!.at(e)) - L.value(theta);
    assert.ok(Math.abs(dl + ch!.rate! * e ** k) < 1e-4 * ch!.rate! * e ** k + 1e-14);
  }
});

test("chain and fibre move return null where they do not apply", () => {
  // a pure rank-r minimum: no chain descends; opaque networks: not deep linear
  const net = new DeepLinearNetwork([2, 1, 2]);
  const L = landscape(net, squareLoss(diag([2, 1])));
  const theta = [matrix([[Math.SQRT2, 0]]), matrix([[Math.SQRT2], [0]])];
  assert.equal(chainEscape(L, theta), null);
  assert.equal(fibreMoveEscape(L, theta), null);
  const opaque = opaqueParameterization(net);
  assert.equal(chainEscape({ net: opaque, loss: L.loss }, theta), null);
});


test("reduced kernel search finds the third-order descent at the (2,1,1,2) origin for an opaque parameterisation", () => {
  const inner = new DeepLinearNetwork([2, 1, 1, 2]);
  const net = opaqueParameterization(inner);
  const loss = squareLossData(eye(2), diag([2, 1]));
  const theta = [new Matrix(1, 2), new Matrix(1, 1), new Matrix(2, 1)];
  const H = landscape(net, loss).hessian(theta);
  const eig = symEig(H, Infinity);
  const red = reducedKernelEscape({ net, loss }, theta, { eig, eigTol: 1e-8, seed: 3 });
  assert.ok(red && red.descends);
  assert.ok(Math.abs(red!.slope - 3) < 0.1, `slope ${red!.slope}`);
  const rep = classifyCriticalPoint({ net, loss }, theta, { space: determinantalVariety(2, 2, 1) });
  assert.equal(rep.verdict, "degenerate saddle");
  assert.equal(rep.escape!.kind, "reduced kernel search");
  // empty kernel: null
  const L2 = landscape(new DeepLinearNetwork([1, 1]), squareLoss([[1]]));
  const e2 = symEig(L2.hessian([matrix([[1]])]), Infinity);
  assert.equal(reducedKernelEscape(L2, [matrix([[1]])], { eig: e2, eigTol: 1e-8 }), null);
});

test("negative-curvature escape matches lambda eps^2 / 2; perturbation check separates minima from saddles", () => {
  const L = landscape(new DeepLinearNetwork([1, 1, 1]), squareLoss([[1]]));
  const s = Math.SQRT1_2;
  const nc = negativeCurvatureEscape(L, [matrix([[0]]), matrix([[0]])], [s, s], -2);
  nc.points.forEach((p) => assert.ok(Math.abs(p.deltaL - p.predicted!) <= p.eps ** 4));
  assert.ok(nc.descends);
  assert.throws(() => negativeCurvatureEscape(L, [matrix([[0]]), matrix([[0]])], [0, 0], -2), DomainError);
  assert.throws(() => negativeCurvatureEscape(L, [matrix([[0]]), matrix([[0]])], [1], -2), ShapeError);
  assert.throws(() => negativeCurvatureEscape(L, [matrix([[0]]), matrix([[0]])], [1, 0], NaN), DomainError);
  const atMin = perturbationCheck(L, [matrix([[1]]), matrix([[1]])], { count: 100, seed: 4 });
  assert.equal(atMin.decreases, 0);
  const atSaddle = perturbationCheck(L, [matrix([[0]]), matrix([[0]])], { count: 100, seed: 4, size: 1e-2 });
  assert.ok(atSaddle.decreases > 20, `${atSaddle.decreases} of 100`);
  assert.throws(() => perturbationCheck(L, [matrix([[1]]), matrix([[1]])], { count: 0 }), DomainError);
  assert.throws(() => perturbationCheck(L, [matrix([[1]]), matrix([[1]])], { size: -1 }), DomainError);
});
