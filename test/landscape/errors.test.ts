/**
 * Every public function of core / networks / losses / landscape rejects wrong shapes, non-finite numbers
 * and bad widths with a typed error whose message starts with the function name. One test per row.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DegenerateError,
  DomainError,
  LandscapeError,
  Matrix,
  Rng,
  ShapeError,
  add,
  assertBlocks,
  assertTheta,
  axpy,
  blocksDot,
  bottleneck,
  checkGradient,
  colSpace,
  customLoss,
  d2MuT,
  deepLinear,
  depth,
  determinantalDim,
  dMu,
  dMuImage,
  dMuIsSurjective,
  dMuJacobian,
  dMuRank,
  dMuT,
  evenPowerLoss,
  fdJacobian,
  fibreDimension,
  frobDot,
  functionalDim,
  functionalRank,
  isFilling,
  isFillingTowers,
  isMaximalRank,
  landscape,
  logisticLoss,
  lossHessian,
  matrix,
  maxAbsDiff,
  mmul,
  mmulChain,
  mu,
  multiTower,
  nnls,
  numericalRank,
  orthComplement,
  packBlocks,
  packTheta,
  paramCount,
  partialAfter,
  partialBefore,
  partialProducts,
  pinv,
  pseudoHuberLoss,
  recessionDirection,
  reluNetwork,
  requireMinimiser,
  rng,
  softmaxCrossEntropy,
  squareLoss,
  squareLossData,
  sub,
  svd,
  symEig,
  taylorSlope,
  taylorSlope2,
  toMatrix,
  towerRankBudget,
  unpackBlocks,
  unpackTheta,
  validateWidths,
  weightShapes,
  weightedSquareLoss,
} from "../../src";

type Ctor = new (...args: never[]) => LandscapeError;
const R = rng(1);
const nanM = matrix([[1, 2], [3, 4]]);
nanM.set(1, 0, NaN);
const infM = new Matrix([[Infinity]]);
const d = [3, 2, 4];
const th = weightShapes(d).map(([r, c]) => R.gaussian(r, c));
const thBad = [R.gaussian(2, 3), R.gaussian(4, 3)];
const thNaN = [R.gaussian(2, 3), nanOf(4, 2)];
function nanOf(r: number, c: number): Matrix {
  const M = R.gaussian(r, c);
  M.set(r - 1, c - 1, NaN);
  return M;
}
const G = R.gaussian(4, 3);
const net = deepLinear(d);
const Q = R.gaussian(4, 3);
const L = landscape(net, squareLoss(Q));
const x = L.pack(th);
const xNaN = Float64Array.from(x);
xNaN[3] = NaN;
const towers = multiTower([[3, 1, 4], [3, 2, 2, 4]]);
const thT = towers.paramShapes.map(([r, c]) => R.gaussian(r, c));
const relu = reluNetwork(2, 3, 1, matrix([[1, -1, 0.5], [0.2, 0.3, -2]]));
const thR = relu.paramShapes.map(([r, c]) => R.gaussian(r, c));
const f = (y: Float64Array) => y.reduce((s, v) => s + v * v, 0);
const g = (y: Float64Array) => y.map((v) => 2 * v);
const losses = {
  square: squareLoss(Q),
  data: squareLossData(R.gaussian(3, 5), R.gaussian(4, 5)),
  weighted: weightedSquareLoss(R.gaussian(4, 3).abs() as Matrix, Q),
  softmax: softmaxCrossEntropy(R.gaussian(3, 5), [0, 1, 2, 3, 0], 0.1),
  logistic: logisticLoss(R.gaussian(3, 5), [0, 1, 1, 0, 1], 0.1),
  huber: pseudoHuberLoss(Q, 1),
  power: evenPowerLoss(Q, 4),
  custom: customLoss({ shape: [4, 3], value: () => 0, gradient: () => new Matrix(4, 3) }),
};

const rows: Array<[string, () => unknown, Ctor]> = [
  // ---- core/matrix
  ["mmul inner dimensions (the ml-matrix trap)", () => mmul(matrix([[1, 2]]), matrix([[1], [1], [1]])), ShapeError],
  ["mmulChain empty", () => mmulChain([]), ShapeError],
  ["mmulChain mismatch", () => mmulChain([R.gaussian(2, 3), R.gaussian(2, 3)]), ShapeError],
  ["add shapes", () => add(R.gaussian(2, 2), R.gaussian(2, 3)), ShapeError],
  ["sub shapes", () => sub(R.gaussian(2, 2), R.gaussian(3, 2)), ShapeError],
  ["axpy shapes", () => axpy(R.gaussian(2, 2), 1, R.gaussian(3, 2)), ShapeError],
  ["frobDot shapes", () => frobDot(R.gaussian(2, 2), R.gaussian(3, 2)), ShapeError],
  ["maxAbsDiff shapes", () => maxAbsDiff(R.gaussian(2, 2), R.gaussian(3, 2)), ShapeError],
  ["toMatrix ragged", () => toMatrix("f", "A", [[1, 2], [3]]), ShapeError],
  ["toMatrix NaN", () => toMatrix("f", "A", [[1, NaN]]), DomainError],
  ["matrix Infinity", () => matrix([[Infinity]]), DomainError],
  ["matrix not rows", () => toMatrix("f", "A", 3), ShapeError],
  // ---- core/linalg
  ["svd NaN", () => svd(nanM), DomainError],
  ["numericalRank negative tol", () => numericalRank(R.gaussian(2, 2), -1), DomainError],
  ["pinv NaN tol", () => pinv(R.gaussian(2, 2), NaN), DomainError],
  ["symEig not square", () => symEig(R.gaussian(2, 3)), ShapeError],
  ["symEig not symmetric", () => symEig(matrix([[1, 2], [0, 1]])), DomainError],
  ["symEig NaN", () => symEig(nanM), DomainError],
  ["colSpace negative tol", () => colSpace(R.gaussian(2, 2), -1), DomainError],
  ["orthComplement Infinity tol", () => orthComplement(R.gaussian(2, 2), Infinity), DomainError],
  // ---- core/random
  ["Rng non-integer seed", () => new Rng(1.5), DomainError],
  ["Rng.int(0)", () => R.int(0), DomainError],
  ["Rng.gaussian negative rows", () => R.gaussian(-1, 2), DomainError],
  ["Rng.gaussian NaN scale", () => R.gaussian(2, 2, NaN), DomainError],
  ["Rng.orthogonal 1.5", () => R.orthogonal(1.5), DomainError],
  // ---- core/blocks, core/nnls
  ["packBlocks count", () => packBlocks([[2, 2]], []), ShapeError],
  ["packBlocks shape", () => packBlocks([[2, 2]], [R.gaussian(2, 3)]), ShapeError],
  ["packBlocks NaN", () => packBlocks([[2, 2]], [nanM]), DomainError],
  ["packBlocks bad shapes", () => packBlocks([[2, -1]], [R.gaussian(2, 2)]), DomainError],
  ["unpackBlocks length", () => unpackBlocks([[2, 2]], [1, 2, 3]), ShapeError],
  ["unpackBlocks NaN", () => unpackBlocks([[1, 2]], [1, NaN]), DomainError],
  ["assertBlocks not array", () => assertBlocks("f", [[1, 1]], "x"), ShapeError],
  ["blocksDot mismatch", () => blocksDot([R.gaussian(2, 2)], [R.gaussian(2, 3)]), ShapeError],
  ["nnls b length", () => nnls(R.gaussian(3, 2), [1, 2]), ShapeError],
  ["nnls NaN", () => nnls(nanM, [1, 2]), DomainError],
  ["recessionDirection NaN", () => recessionDirection(nanM), DomainError],
  ["recessionDirection negative tol", () => recessionDirection(R.gaussian(2, 2), -1), DomainError],
  // ---- networks/widths
  ["validateWidths one entry", () => validateWidths([3]), DomainError],
  ["validateWidths zero", () => validateWidths([3, 0, 2]), DomainError],
  ["validateWidths fraction", () => validateWidths([3, 1.5, 2]), DomainError],
  ["validateWidths NaN", () => validateWidths([3, NaN]), DomainError],
  ["validateWidths not array", () => validateWidths("3,2"), DomainError],
  ["depth bad widths", () => depth([0, 1]), DomainError],
  ["bottleneck bad widths", () => bottleneck([-1, 2]), DomainError],
  ["isFilling bad widths", () => isFilling([]), DomainError],
  ["paramCount bad widths", () => paramCount([2, Infinity]), DomainError],
  ["determinantalDim bad m", () => determinantalDim(0, 2, 1), DomainError],
  ["determinantalDim bad r", () => determinantalDim(2, 2, -1), DomainError],
  ["functionalDim bad widths", () => functionalDim([1]), DomainError],
  ["fibreDimension bad widths", () => fibreDimension([2, 2.5, 2]), DomainError],
  ["weightShapes bad widths", () => weightShapes([2, 0]), DomainError],
  ["assertTheta count", () => assertTheta("f", d, [th[0]]), ShapeError],
  ["packTheta shape", () => packTheta(d, thBad), ShapeError],
  ["packTheta NaN", () => packTheta(d, thNaN), DomainError],
  ["unpackTheta length", () => unpackTheta(d, [1, 2]), ShapeError],
  ["unpackTheta NaN", () => unpackTheta(d, xNaN), DomainError],
  // ---- networks/deepLinear
  ["mu bad widths", () => mu([3, 0, 4], th), DomainError],
  ["mu wrong shape", () => mu(d, thBad), ShapeError],
  ["mu NaN", () => mu(d, thNaN), DomainError],
  ["partialAfter bad i", () => partialAfter(d, th, 3), DomainError],
  ["partialBefore bad i", () => partialBefore(d, th, 0), DomainError],
  ["partialProducts wrong shape", () => partialProducts(d, thBad), ShapeError],
  ["dMu wrong V", () => dMu(d, th, thBad), ShapeError],
  ["dMu NaN V", () => dMu(d, th, thNaN), DomainError],
  ["dMuT wrong G", () => dMuT(d, th, R.gaussian(3, 4)), ShapeError],
  ["d2MuT wrong V", () => d2MuT(d, th, G, thBad), ShapeError],
  ["deepLinear bad widths", () => deepLinear([2]), DomainError],
  ["DeepLinearNetwork.mu wrong shape", () => net.mu(thBad), ShapeError],
  // ---- networks/differential
  ["dMuJacobian wrong shape", () => dMuJacobian(d, thBad), ShapeError],
  ["dMuJacobian bad widths", () => dMuJacobian([3, 0], th), DomainError],
  ["dMuRank bad tol", () => dMuRank(d, th, -1), DomainError],
  ["dMuRank NaN theta", () => dMuRank(d, thNaN), DomainError],
  ["functionalRank bad tol", () => functionalRank(d, th, 2), DomainError],
  ["functionalRank wrong shape", () => functionalRank(d, thBad), ShapeError],
  ["dMuImage wrong shape", () => dMuImage(d, thBad), ShapeError],
  ["dMuImage bad tol", () => dMuImage(d, th, NaN), DomainError],
  ["isMaximalRank wrong shape", () => isMaximalRank(d, thBad), ShapeError],
  ["isMaximalRank bad widths", () => isMaximalRank([3, 2.2, 4], th), DomainError],
  ["dMuIsSurjective NaN", () => dMuIsSurjective(d, thNaN), DomainError],
  // ---- networks/multiTower
  ["multiTower empty", () => multiTower([]), DomainError],
  ["multiTower bad widths", () => multiTower([[3, 0, 4]]), DomainError],
  ["multiTower d0 mismatch", () => multiTower([[3, 1, 4], [2, 1, 4]]), ShapeError],
  ["towerRankBudget dh mismatch", () => towerRankBudget([[3, 1, 4], [3, 1, 5]]), ShapeError],
  ["isFillingTowers bad widths", () => isFillingTowers([[3, -1, 4]]), DomainError],
  ["MultiTowerNetwork.mu count", () => towers.mu(thT.slice(1)), ShapeError],
  ["MultiTowerNetwork.mu NaN", () => towers.mu([nanOf(1, 3), ...thT.slice(1)]), DomainError],
  ["MultiTowerNetwork.dMu wrong V", () => towers.dMu(thT, th), ShapeError],
  ["MultiTowerNetwork.dMuT wrong G", () => towers.dMuT(thT, R.gaussian(3, 4)), ShapeError],
  ["MultiTowerNetwork.d2MuT wrong V", () => towers.d2MuT(thT, G, th), ShapeError],
  ["MultiTowerNetwork.towerTheta bad index", () => towers.towerTheta(thT, 2), DomainError],
  // ---- networks/relu
  ["reluNetwork bad width", () => reluNetwork(2, 0, 1, matrix([[1], [2]])), DomainError],
  ["reluNetwork X rows", () => reluNetwork(3, 2, 1, matrix([[1], [2]])), ShapeError],
  ["reluNetwork X NaN", () => reluNetwork(2, 2, 1, nanM), DomainError],
  ["reluNetwork negative kinkTol", () => reluNetwork(2, 2, 1, matrix([[1], [2]]), { kinkTol: -1 }), DomainError],
  ["ReluNetwork.mu wrong shape", () => relu.mu([R.gaussian(3, 3), thR[1]]), ShapeError],
  ["ReluNetwork.mu NaN", () => relu.mu([nanOf(3, 2), thR[1]]), DomainError],
  ["ReluNetwork.dMu wrong V", () => relu.dMu(thR, [thR[1], thR[0]]), ShapeError],
  ["ReluNetwork.dMuT wrong G", () => relu.dMuT(thR, R.gaussian(1, 2)), ShapeError],
  ["ReluNetwork.dMuT NaN G", () => relu.dMuT(thR, matrix([[1, 1, 1]]).mul(NaN) as Matrix), DomainError],
  ["ReluNetwork.d2MuT wrong V", () => relu.d2MuT(thR, matrix([[1, 1, 1]]), [thR[0]]), ShapeError],
  ["ReluNetwork.dMuT at a kink", () => relu.dMuT([matrix([[0, 0], [1, 1], [1, 2]]), thR[1]], matrix([[1, 1, 1]])), DegenerateError],
  ["ReluNetwork.kinks wrong shape", () => relu.kinks([thR[1]]), ShapeError],
  // ---- losses
  ["squareLoss ragged Q", () => squareLoss([[1, 2], [3]]), ShapeError],
  ["squareLoss NaN Q", () => squareLoss(nanM), DomainError],
  ["squareLoss empty Q", () => squareLoss([]), ShapeError],
  ["squareLoss.value wrong shape", () => losses.square.value(R.gaussian(3, 4)), ShapeError],
  ["squareLoss.value NaN", () => losses.square.value(nanOf(4, 3)), DomainError],
  ["squareLoss.gradient wrong shape", () => losses.square.gradient(R.gaussian(4, 4)), ShapeError],
  ["squareLoss.hessianAction wrong D", () => losses.square.hessianAction(Q, R.gaussian(3, 3)), ShapeError],
  ["squareLossData sample mismatch", () => squareLossData(R.gaussian(3, 5), R.gaussian(4, 6)), ShapeError],
  ["squareLossData NaN X", () => squareLossData(nanM, R.gaussian(4, 2)), DomainError],
  ["squareLossData.value wrong shape", () => losses.data.value(R.gaussian(3, 3)), ShapeError],
  ["weightedSquareLoss negative weight", () => weightedSquareLoss(matrix([[1, -1]]), matrix([[0, 0]])), DomainError],
  ["weightedSquareLoss shape mismatch", () => weightedSquareLoss(matrix([[1, 1]]), matrix([[0], [0]])), ShapeError],
  ["weightedSquareLoss.gradient NaN", () => losses.weighted.gradient(nanOf(4, 3)), DomainError],
  ["softmaxCrossEntropy label count", () => softmaxCrossEntropy(R.gaussian(3, 5), [0, 1], 0), ShapeError],
  ["softmaxCrossEntropy label out of range", () => softmaxCrossEntropy(R.gaussian(3, 2), [0, 3], 0, 3), DomainError],
  ["softmaxCrossEntropy fractional label", () => softmaxCrossEntropy(R.gaussian(3, 2), [0, 0.5], 0), DomainError],
  ["softmaxCrossEntropy negative ridge", () => softmaxCrossEntropy(R.gaussian(3, 2), [0, 1], -1), DomainError],
  ["softmaxCrossEntropy one class", () => softmaxCrossEntropy(R.gaussian(3, 2), [0, 0], 0, 1), DomainError],
  ["softmaxCrossEntropy NaN X", () => softmaxCrossEntropy(nanM, [0, 1], 0), DomainError],
  ["softmaxCrossEntropy.value wrong shape", () => losses.softmax.value(R.gaussian(3, 3)), ShapeError],
  ["logisticLoss label 2", () => logisticLoss(R.gaussian(3, 2), [0, 2], 0), DomainError],
  ["logisticLoss mixed conventions", () => logisticLoss(R.gaussian(3, 3), [0, 1, -1], 0), DomainError],
  ["logisticLoss NaN ridge", () => logisticLoss(R.gaussian(3, 2), [0, 1], NaN), DomainError],
  ["logisticLoss label count", () => logisticLoss(R.gaussian(3, 2), [0, 1, 1], 0), ShapeError],
  ["logisticLoss.hessianAction wrong shape", () => losses.logistic.hessianAction(R.gaussian(1, 3), R.gaussian(3, 1)), ShapeError],
  ["pseudoHuberLoss delta 0", () => pseudoHuberLoss(Q, 0), DomainError],
  ["pseudoHuberLoss.value NaN", () => losses.huber.value(nanOf(4, 3)), DomainError],
  ["evenPowerLoss odd p", () => evenPowerLoss(Q, 3), DomainError],
  ["evenPowerLoss fractional p", () => evenPowerLoss(Q, 4.5), DomainError],
  ["evenPowerLoss.gradient wrong shape", () => losses.power.gradient(R.gaussian(3, 4)), ShapeError],
  ["customLoss bad shape", () => customLoss({ shape: [0, 2], value: () => 0, gradient: () => [[0, 0]] }), DomainError],
  ["customLoss value not a function", () => customLoss({ shape: [1, 1], value: 3 as never, gradient: () => [[0]] }), DomainError],
  ["customLoss value returns NaN", () => customLoss({ shape: [1, 1], value: () => NaN, gradient: () => [[0]] }).value(matrix([[1]])), DomainError],
  ["customLoss gradient wrong shape", () => customLoss({ shape: [1, 1], value: () => 0, gradient: () => [[0, 0]] }).gradient(matrix([[1]])), ShapeError],
  ["customLoss gradient NaN", () => customLoss({ shape: [1, 1], value: () => 0, gradient: () => [[NaN]] }).gradient(matrix([[1]])), DomainError],
  ["customLoss.value wrong shape", () => losses.custom.value(R.gaussian(1, 1)), ShapeError],
  ["lossHessian wrong shape", () => lossHessian(losses.square, R.gaussian(3, 3)), ShapeError],
  ["lossHessian NaN", () => lossHessian(losses.square, nanOf(4, 3)), DomainError],
  ["requireMinimiser separable logistic", () => requireMinimiser(logisticLoss(matrix([[1, -1]]), [1, 0], 0)), DegenerateError],
  // ---- landscape
  ["landscape shape mismatch", () => landscape(net, squareLoss(R.gaussian(3, 4))), ShapeError],
  ["landscape not a network", () => landscape({} as never, losses.square), DomainError],
  ["landscape not a loss", () => landscape(net, {} as never), DomainError],
  ["Landscape.value wrong count", () => L.value([th[0]]), ShapeError],
  ["Landscape.value NaN", () => L.value(thNaN), DomainError],
  ["Landscape.gradient wrong shape", () => L.gradient(thBad), ShapeError],
  ["Landscape.hessianVector wrong V", () => L.hessianVector(th, thBad), ShapeError],
  ["Landscape.hessian NaN", () => L.hessian(thNaN), DomainError],
  ["Landscape.pack wrong shape", () => L.pack(thBad), ShapeError],
  ["Landscape.unpack length", () => L.unpack(new Float64Array(3)), ShapeError],
  ["Landscape.valueFlat length", () => L.valueFlat(new Float64Array(3)), ShapeError],
  ["Landscape.valueFlat NaN", () => L.valueFlat(xNaN), DomainError],
  ["Landscape.gradientFlat out length", () => L.gradientFlat(x, new Float64Array(2)), ShapeError],
  ["Landscape.valueAndGradientFlat NaN", () => L.valueAndGradientFlat(xNaN, new Float64Array(L.dim)), DomainError],
  ["Landscape.valueAndGradientFlatGeneric length", () => L.valueAndGradientFlatGeneric(new Float64Array(1), new Float64Array(L.dim)), ShapeError],
  ["Landscape.hessianVectorFlat v length", () => L.hessianVectorFlat(x, new Float64Array(2)), ShapeError],
  ["Landscape.hessianVectorFlat v NaN", () => L.hessianVectorFlat(x, xNaN), DomainError],
  ["Landscape.gradient at a ReLU kink", () => landscape(relu, squareLoss(matrix([[1, 1, 1]]))).gradient([matrix([[0, 0], [1, 1], [1, 2]]), thR[1]]), DegenerateError],
  // ---- landscape/check
  ["checkGradient f not a function", () => checkGradient(3 as never, g, [1]), DomainError],
  ["checkGradient empty x", () => checkGradient(f, g, []), ShapeError],
  ["checkGradient NaN x", () => checkGradient(f, g, [NaN]), DomainError],
  ["checkGradient grad length", () => checkGradient(f, () => [1, 2], [1]), ShapeError],
  ["checkGradient h <= 0", () => checkGradient(f, g, [1], { h: 0 }), DomainError],
  ["checkGradient f returns NaN", () => checkGradient(() => NaN, g, [1]), DomainError],
  ["fdJacobian NaN output", () => fdJacobian((y) => [y[0] > 1 ? NaN : 1], [1]), DomainError],
  ["taylorSlope zero direction", () => taylorSlope(f, g, [1, 2], [0, 0]), DomainError],
  ["taylorSlope direction length", () => taylorSlope(f, g, [1, 2], [1]), ShapeError],
  ["taylorSlope one step", () => taylorSlope(f, g, [1], [1], { hs: [0.1] }), ShapeError],
  ["taylorSlope negative step", () => taylorSlope(f, g, [1], [1], { hs: [0.1, -1] }), DomainError],
  ["taylorSlope2 hessVec length", () => taylorSlope2(f, g, () => [1, 2, 3], [1, 2], [1, 0]), ShapeError],
];

for (const [name, thunk, Err] of rows) {
  test(`typed error: ${name}`, () => {
    assert.throws(thunk, (e: unknown) => {
      assert.ok(e instanceof Err, `expected ${Err.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      assert.ok(e instanceof LandscapeError);
      assert.match((e as Error).message, /^[\w.]+( \(towers\[\d+\]\))?: .+/);
      return true;
    });
  });
}

test(`typed-error table has ${rows.length} rows`, () => {
  console.log(`  typed-error cases: ${rows.length}`);
  assert.ok(rows.length >= 150);
});

test("gradientFlat / hessianVectorFlat with out aliasing the input give the same result as without aliasing", async () => {
  const { landscape } = await import("../../src/landscape");
  const { DeepLinearNetwork } = await import("../../src/networks");
  const { squareLoss } = await import("../../src/losses");
  const { rng } = await import("../../src/core/random");
  const R = rng(2);
  const L = landscape(new DeepLinearNetwork([3, 2, 3]), squareLoss(R.gaussian(3, 3)));
  const x = Float64Array.from({ length: L.dim }, () => R.normal());
  const v = Float64Array.from({ length: L.dim }, () => R.normal());
  const g = L.gradientFlat(x);
  const y = Float64Array.from(x);
  L.gradientFlat(y, y);
  assert.deepEqual(Array.from(y), Array.from(g));
  const hv = L.hessianVectorFlat(x, v);
  const w = Float64Array.from(v);
  L.hessianVectorFlat(x, w, w);
  assert.deepEqual(Array.from(w), Array.from(hv));
  const z = Float64Array.from(x);
  L.hessianVectorFlat(z, v, z);
  assert.deepEqual(Array.from(z), Array.from(hv));
});

test("overflow from finite parameters is an OverflowError, never a silent Infinity; dense Hessians above the limit are refused", async () => {
  const { landscape } = await import("../../src/landscape");
  const { DeepLinearNetwork } = await import("../../src/networks");
  const { squareLoss } = await import("../../src/losses");
  const { OverflowError, ResourceError } = await import("../../src/core/errors");
  const L = landscape(new DeepLinearNetwork([2, 2, 2]), squareLoss([[1, 0], [0, 1]]));
  const x = new Float64Array(L.dim).fill(1e200);
  assert.throws(() => L.valueFlat(x), OverflowError);
  assert.throws(() => L.gradientFlat(x), OverflowError);
  const big = landscape(new DeepLinearNetwork([200, 200]), squareLoss(new (await import("ml-matrix")).Matrix(200, 200)));
  const t0 = Date.now();
  assert.throws(() => big.hessian(big.unpack(new Float64Array(big.dim))), (e: unknown) => e instanceof ResourceError && /Hessian-vector products/.test(String(e)) && /Lanczos/.test(String(e)));
  assert.ok(Date.now() - t0 < 1000, "refused before allocating");
  // the limit is overridable
  const small = landscape(new DeepLinearNetwork([2, 2, 2]), squareLoss([[1, 0], [0, 1]]));
  assert.throws(() => small.hessian(small.unpack(new Float64Array(small.dim)), { maxEntries: 10 }), ResourceError);
  assert.equal(small.hessian(small.unpack(new Float64Array(small.dim)), { maxEntries: 1000 }).rows, 8);
});
