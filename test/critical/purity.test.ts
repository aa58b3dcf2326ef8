import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import { classifyPurity } from "../../src/critical";
import { AssumptionError, DomainError, ShapeError } from "../../src/core/errors";
import { add, diag, eye, matrix, maxAbsDiff, mmulChain, scale, transpose } from "../../src/core/matrix";
import { rng } from "../../src/core/random";
import { opaqueParameterization } from "../helpers/opaque";
import { landscape } from "../../src/landscape";
import { squareLoss, squareLossData } from "../../src/losses";
import { DeepLinearNetwork } from "../../src/networks";
import { determinantalVariety, functionalSpaceOf } from "../../src/spaces";

test("P2: a critical point with maximal-rank dmu is pure (random architectures, seeded)", () => {
  const archs = [[3, 2, 4], [4, 3, 2, 3, 5], [3, 3, 3], [2, 3, 3, 2], [4, 1, 4], [2, 4, 3]];
  archs.forEach((widths, t) => {
    const g = rng(100 + t);
    const net = new DeepLinearNetwork(widths);
    const theta = net.paramShapes.map(([r, c]) => g.gaussian(r, c));
    const W = net.mu(theta);
    const space = functionalSpaceOf(net);
    // Q = W + (normal part): then G = -2 N lies in the normal space, so dmu^T G = 0 (P1, T2)
    const N = space.normalProject(W, g.gaussian(W.rows, W.columns));
    const L = landscape(net, squareLoss(add(W, N)));
    const copy = theta.map((M) => M.clone());
    const rep = classifyPurity(L, theta);
    theta.forEach((M, k) => assert.equal(maxAbsDiff(M, copy[k]), 0));
    assert.ok(rep.maximalRankDMu, `${widths}: rank dmu ${rep.rankDMu} = dim M ${rep.spaceDimension}`);
    assert.ok(rep.gradientNorm < 1e-10, `${widths}: critical`);
    assert.equal(rep.status, "pure", `${widths}`);
    assert.equal(rep.kernelDimDMu, net.paramCount - space.dimension);
    // a tangent perturbation of Q destroys criticality
    const T = space.tangentProject(W, g.gaussian(W.rows, W.columns));
    assert.equal(classifyPurity(landscape(net, squareLoss(add(add(W, N), scale(T, 0.1)))), theta).status, "not critical");
  });
});

test("D1 conventions at a singular point: d=(4,2,4), W_{1} is spurious under 'gradient'/'tangent-cone', pure under 'stratum'", () => {
  const U = rng(1).orthogonal(4);
  const V = rng(2).orthogonal(4);
  const sig = [4, 3, 2, 1];
  const net = new DeepLinearNetwork([4, 2, 4]);
  const L = landscape(net, squareLoss(mmulChain([U, diag(sig), transpose(V)])));
  const W1 = new Matrix(2, 4);
  const W2 = new Matrix(4, 2);
  for (let j = 0; j < 4; j++) {
    W1.set(0, j, 2 * V.get(j, 0));
    W2.set(j, 0, 2 * U.get(j, 0));
  }
  const theta = [W1, W2];
  const g = classifyPurity(L, theta);
  assert.equal(g.status, "spurious");
  assert.equal(g.convention, "gradient");
  assert.equal(g.rank, 1);
  assert.ok(g.rankDMu < g.spaceDimension, "P3: spurious => rank-deficient dmu");
  assert.equal(classifyPurity(L, theta, { singularConvention: "tangent-cone" }).status, "spurious");
  const s = classifyPurity(L, theta, { singularConvention: "stratum" });
  assert.equal(s.status, "pure");
  assert.match(s.criticality.test, /stratum/);
});

test("Ex-1, Ex-2 and the A2 point are spurious; the spurious ones have rank-deficient dmu (P3)", () => {
  const r = Math.SQRT2;
  const cases: Array<[ReturnType<typeof landscape>, Matrix[]]> = [
    [landscape(new DeepLinearNetwork([1, 1, 1]), squareLoss([[1]])), [matrix([[0]]), matrix([[0]])]],
    [landscape(new DeepLinearNetwork([2, 2, 2]), squareLoss(diag([2, 1]))), [diag([r, 0]), diag([r, 0])]],
    [landscape(new DeepLinearNetwork([2, 2, 2]), squareLossData(eye(2), matrix([[0, 0], [1, 0]]))), [diag([0, 1]), diag([1, 0])]],
  ];
  for (const [L, theta] of cases) {
    const rep = classifyPurity(L, theta);
    assert.equal(rep.status, "spurious");
    assert.ok(!rep.maximalRankDMu);
    assert.ok(rep.lossGradientNorm > 0.5);
  }
});

test("classifyPurity accepts { net, loss } and an explicit space; rejects bad inputs with typed errors", () => {
  const net = new DeepLinearNetwork([2, 1, 2]);
  const loss = squareLoss(diag([1, 0.5]));
  const theta = [matrix([[1, 0]]), matrix([[1], [0]])];
  assert.equal(classifyPurity({ net, loss }, theta).status, "pure");
  assert.equal(classifyPurity({ net, loss }, theta, { space: determinantalVariety(2, 2, 1) }).status, "pure");
  assert.throws(() => classifyPurity({ net, loss }, theta, { space: determinantalVariety(3, 2, 1) }), ShapeError);
  assert.throws(() => classifyPurity({ net, loss: squareLoss(eye(3)) }, theta), ShapeError);
  assert.throws(() => classifyPurity(null as never, theta), DomainError);
  assert.throws(() => classifyPurity({ net, loss }, [theta[0]]), ShapeError);
  assert.throws(() => classifyPurity({ net, loss }, theta, { gradTol: -1 }), DomainError);
  assert.throws(() => classifyPurity({ net, loss }, theta, { singularConvention: "x" as never }), DomainError);
  // an unknown parameterisation needs an explicit space
  const opaque = opaqueParameterization(net, "opaque");
  assert.throws(() => classifyPurity({ net: opaque, loss }, theta), AssumptionError);
  assert.equal(classifyPurity({ net: opaque, loss }, theta, { space: determinantalVariety(2, 2, 1) }).status, "pure");
});
