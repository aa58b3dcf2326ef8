/**
 * The bad-input catalogue (issue 12): one row per bad call of the public API, across every export group, with the
 * typed error it must raise and a fragment of its message (which names the argument or the rule). A row fails when
 * the call returns, throws another class (above all a plain TypeError/RangeError), throws a message without the
 * fragment, or takes more than 10 s. Rows marked as issue cases reproduce the inputs of issue 12.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import {
  DegenerateError, DomainError, LandscapeError, OverflowError, ResourceError, ShapeError, UnknownOptionError,
  add, assertFinite, assertShape, axpy, blockSize, blocksDot, checkOptions, checkWork, cloneBlocks, colSpace,
  defaultRankTol, diag, editDistance, eye, finiteArray, frobDot, frobNorm, indexSet, intArg, lineFit, logLogSlope,
  matrix, maxAbsDiff, minRelativeGap, mmul, mmulChain, nearestKey, numericalRank, orthComplement, packBlocks, pinv,
  projector, rng, Rng, rowSpace, scale, sub, svd, symEig, toMatrix, tolArg, transpose, unpackBlocks, zeros,
} from "../../src/core";
import {
  d2MuT, deepLinear, DeepLinearNetwork, dMu, dMuImage, dMuJacobian, dMuRank, dMuT, fibreDimension, functionalRank,
  isMaximalRank, mu, multiTower, packTheta, paramCount, partialAfter, partialBefore, partialProducts, reluNetwork,
  unpackTheta, validateWidths,
} from "../../src/networks";
import {
  customLoss, evenPowerLoss, flatOf, logisticLoss, lossHessian, mapEntries, matArg, numArg, pseudoHuberLoss,
  requireMinimiser, softmaxCrossEntropy, squareLoss, squareLossData, weightedSquareLoss,
} from "../../src/losses";
import { allMatrices, defaultSpaceRankTol, determinantalVariety, functionalSpaceOf } from "../../src/spaces";
import {
  adam, findCriticalPoint, gradientDescent, inertia, lbfgs, minimize, minres, momentum, optimizerOptionKeys,
  randomStart, strongWolfe, toFlat,
} from "../../src/optim";
import {
  checkGradient, deepLinearHessianParts, deepLinearHessianVector, fdJacobian, flatMatrix, hessianExtremes,
  hessianNegativeCount, hutchinsonTrace, interpolate, landscape, lanczos, lossHessianMatrix, matrixOfFlat,
  randomDirection, slice1D, slice2D, taylorSlope, taylorSlope2,
} from "../../src/landscape";
import {
  balancedPoint, binomial, chainEscape, classifyCriticalPoint, classifyPurity, criticalImageCount, criticalImages,
  dataProblem, detectDegeneracies, expectedParameterInertia, fibreMoveEscape, gaussianBinomial, indexDistribution,
  inversionIndex, isGlobalSelection, matrixProblem, negativeCurvatureEscape, observedNegativeCount, perturbationCheck,
  projectorForm, reducedKernelEscape, selectionMatrix, squareLossGradient, squareSpectrum, subsets, tieGroups,
  zhouLiangFamilies, zhouLiangLoss, zhouLiangSpectrum,
} from "../../src/critical";
import { buildLoss, buildProblem, clusterValues, survey, toRows } from "../../src/experiments";
import {
  barChart, cloneSpec, compileSpec, describeSpec, heatmap, histogram, integerTicks, layer, lineChart, linspace,
  pickFields, quantEncoding, renderSvg, sampleGrid, scatterChart, theoryVsMeasured, tooltipEncoding, withSlider,
} from "../../src/plots";
import { escapeMarkdownCell, latexMatrix, markdownTable, matrixBundle, plainMatrix, plainTable, report, truncatedIndices } from "../../src/display";
import { checkClaim, verdictBundle, verdictJson, verdictTable } from "../../src/claims";

type ErrorClass = new (...args: never[]) => LandscapeError;
/** One row: group, what is called, the call, the error class it must throw, a fragment of the message. */
type Case = [group: string, label: string, call: () => unknown, cls: ErrorClass, fragment: RegExp];

// ---- fixtures (fresh per call where a call could change them) ----
const widths = [2, 1, 2];
const net = () => new DeepLinearNetwork(widths);
const Q = [[1, 0], [0, 2]];
const L = () => landscape(net(), squareLoss(Q));
const theta = () => [new Matrix([[1, 0.5]]), new Matrix([[0.3], [-1]])];
const x0 = () => L().pack(theta());
const G = () => new Matrix([[1, 0], [0, 1]]);
const nanG = () => new Matrix([[NaN, 0], [0, 1]]);
const sep = () => logisticLoss([[1, 2, -1, -2], [0.5, 1, -0.5, -1]], [1, 1, 0, 0]);
const relu = () => reluNetwork(2, 2, 1, rng(3).gaussian(2, 5));
const space = () => determinantalVariety(2, 2, 1);
const problem = () => matrixProblem([[3, 0], [0, 1]]);
const rows = [{ a: 1, b: 2 }, { a: 2, b: 3 }];
const spec = () => lineChart(rows, { x: "a", y: "b" });
const verdict = () => checkClaim("G1", { statement: "s", expected: 1, measured: 1, source: "paper" });
const big = (n: number) => new Matrix(n, n);

const cases: Case[] = [
  // ---------------- core: matrices, decompositions, blocks, seeds, fits, options ----------------
  ["core", "svd(null) [issue]", () => svd(null as never), ShapeError, /svd: A must be a Matrix or an array of rows; got null/],
  ["core", "svd(NaN entry)", () => svd([[1, NaN]]), DomainError, /svd: A must have finite/],
  ["core", "svd(string)", () => svd("A" as never), ShapeError, /A must be a Matrix/],
  ["core", "svd(ragged rows)", () => svd([[1, 2], [3]]), ShapeError, /equal-length rows/],
  ["core", "pinv({})", () => pinv({} as never), ShapeError, /pinv: A must be a Matrix/],
  ["core", "pinv(tol < 0)", () => pinv([[1]], -1), DomainError, /pinv: tol must be a finite number >= 0/],
  ["core", "pinv(Infinity entry)", () => pinv([[Infinity]]), DomainError, /finite/],
  ["core", 'colSpace("A") [issue]', () => colSpace("A" as never), ShapeError, /colSpace: A must be a Matrix/],
  ["core", "rowSpace(null)", () => rowSpace(null as never), ShapeError, /rowSpace: A/],
  ["core", "orthComplement(undefined)", () => orthComplement(undefined as never), ShapeError, /orthComplement: B/],
  ["core", "projector(5)", () => projector(5 as never), ShapeError, /projector: Q/],
  ["core", "numericalRank(tol NaN)", () => numericalRank([[1]], NaN), DomainError, /tol/],
  ["core", "symEig(non-symmetric)", () => symEig([[1, 2], [3, 4]]), DomainError, /symmetric/],
  ["core", "symEig(non-square)", () => symEig([[1, 2, 3]]), ShapeError, /square/],
  ["core", "symEig(symTol < 0)", () => symEig([[1]], -1), DomainError, /symTol/],
  ["core", "defaultRankTol(s with NaN)", () => defaultRankTol([[1]], [NaN]), DomainError, /s must be/],
  ["core", "minRelativeGap(string)", () => minRelativeGap("x" as never), DomainError, /values must be an array/],
  ["core", "minRelativeGap(NaN)", () => minRelativeGap([3, NaN]), DomainError, /finite/],
  ["core", 'matrix([["1","2"]]) [issue]', () => matrix([["1", "2"]] as never), DomainError, /matrix: rows must have finite number entries; got "1"/],
  ["core", "matrix([])", () => matrix([]), ShapeError, /at least one row/],
  ["core", "matrix(ragged)", () => matrix([[1, 2], [3]]), ShapeError, /equal-length rows/],
  ["core", "matrix(string)", () => matrix("A" as never), ShapeError, /rows must be a Matrix or an array of rows/],
  ["core", "toMatrix(Infinity)", () => toMatrix("f", "X", [[Infinity]]), DomainError, /f: X must have finite/],
  ["core", "mmul(inner mismatch)", () => mmul([[1, 2]], [[1], [1], [1]]), ShapeError, /inner dimensions must agree/],
  ["core", "mmul(null)", () => mmul(null as never, [[1]]), ShapeError, /mmul: A must be/],
  ["core", "mmul overflow", () => mmul([[1e200]], [[1e200]]), OverflowError, /overflow/],
  ["core", "add(shape mismatch)", () => add([[1]], [[1, 2]]), ShapeError, /same shape/],
  ["core", "add overflow", () => add([[1.7e308]], [[1.7e308]]), OverflowError, /must be finite/],
  ["core", "sub(string)", () => sub([[1]], "x" as never), ShapeError, /sub: B must be/],
  ["core", "scale(NaN)", () => scale([[1]], NaN), DomainError, /scale: s must be a finite number/],
  ["core", "scale overflow", () => scale([[1e300]], 1e10), OverflowError, /overflow/],
  ["core", "axpy(shape mismatch)", () => axpy([[1]], 2, [[1, 2]]), ShapeError, /same shape/],
  ["core", "transpose(undefined)", () => transpose(undefined as never), ShapeError, /transpose: A/],
  ["core", "frobDot overflow", () => frobDot([[1e200]], [[1e200]]), OverflowError, /overflow/],
  ["core", "frobNorm(null)", () => frobNorm(null as never), ShapeError, /frobNorm: A/],
  ["core", "maxAbsDiff(null)", () => maxAbsDiff([[1]], null as never), ShapeError, /maxAbsDiff: B/],
  ["core", "mmulChain([])", () => mmulChain([]), ShapeError, /non-empty/],
  ["core", "mmulChain(string)", () => mmulChain("x" as never), ShapeError, /factors must be an array/],
  ["core", "eye(-1)", () => eye(-1), DomainError, /eye: m must be a non-negative integer/],
  ["core", "eye(1e5) bounded", () => eye(1e5), ResourceError, /eye: a dense 100000×100000 matrix needs about 1.00e\+10 entries/],
  ["core", "zeros(1.5, 2)", () => zeros(1.5, 2), DomainError, /zeros: m/],
  ["core", "zeros(1e300, 0) bounded", () => zeros(1e300, 0), ResourceError, /zeros/],
  ["core", "diag(NaN)", () => diag([1, NaN]), DomainError, /diag: values must be finite/],
  ["core", "rng(-1) [issue]", () => rng(-1), DomainError, /rng: seed must be an integer in \[0, 2\^53 - 1\]; got -1/],
  ["core", "rng(2^53)", () => rng(2 ** 53), DomainError, /seed must be an integer/],
  ["core", "rng(1e300) [issue]", () => rng(1e300), DomainError, /seed/],
  ["core", "rng(0.5)", () => rng(0.5), DomainError, /seed/],
  ["core", 'new Rng("1")', () => new Rng("1" as never), DomainError, /got "1"/],
  ["core", "Rng.int(0)", () => rng(1).int(0), DomainError, /Rng.int: n must be a positive integer/],
  ["core", "Rng.gaussian(1e5, 1e5) bounded", () => rng(1).gaussian(1e5, 1e5), ResourceError, /Rng.gaussian/],
  ["core", "Rng.orthogonal(3000) bounded", () => rng(1).orthogonal(3000), ResourceError, /Rng.orthogonal/],
  ["core", "lineFit(constant x) [issue]", () => lineFit([1, 1], [0, 2]), DomainError, /lineFit: xs must not all be equal/],
  ["core", "lineFit(one point)", () => lineFit([1], [1]), ShapeError, /length >= 2/],
  ["core", "lineFit(NaN)", () => lineFit([1, NaN], [1, 2]), DomainError, /xs must hold finite numbers/],
  ["core", "logLogSlope(no usable point)", () => logLogSlope([1, 2], [0, 0]), DegenerateError, /two points/],
  ["core", "logLogSlope(NaN x)", () => logLogSlope([NaN, 1], [1, 1]), DomainError, /x must hold finite numbers/],
  ["core", "packBlocks(null block)", () => packBlocks([[2, 2]], [null as never]), ShapeError, /blocks\[0\] must be a Matrix/],
  ["core", "unpackBlocks(NaN)", () => unpackBlocks([[1, 1]], [NaN]), DomainError, /finite/],
  ["core", "unpackBlocks(bad shapes)", () => unpackBlocks("x" as never, [1]), ShapeError, /shapes must be an array/],
  ["core", "blockSize(string)", () => blockSize("x" as never), ShapeError, /blockSize: shapes/],
  ["core", "cloneBlocks([1])", () => cloneBlocks([1] as never), ShapeError, /cloneBlocks: blocks must be an array of matrices/],
  ["core", "blocksDot(null)", () => blocksDot([new Matrix([[1]])], null as never), ShapeError, /blocksDot: B must be an array/],
  ["core", "checkOptions(misspelt key)", () => checkOptions("f", { maxiter: 1 }, ["maxIter"]), UnknownOptionError, /unknown option "maxiter" \(did you mean "maxIter"\?\)/],
  ["core", "checkOptions(array)", () => checkOptions("f", [1] as never, ["a"]), DomainError, /options must be an options object/],
  ["core", "checkOptions(Map)", () => checkOptions("f", new Map() as never, ["a"]), DomainError, /plain options object/],
  ["core", "checkWork(over limit)", () => checkWork("f", "x", 10, 1, "y"), ResourceError, /raise it with maxWork\); use y instead/],
  ["core", "editDistance(number)", () => editDistance(1 as never, "a"), DomainError, /strings/],
  ["core", "nearestKey(null list)", () => nearestKey("a", null as never), DomainError, /validKeys/],
  ["core", "assertFinite(null)", () => assertFinite("f", "A", null as never), ShapeError, /f: A must be a Matrix/],
  ["core", "assertShape(wrong shape)", () => assertShape("f", "A", new Matrix(2, 2), 3, null), ShapeError, /A must be 3×any/],
  ["core", "finiteArray(NaN)", () => finiteArray("f", "v", [NaN]), DomainError, /v must hold finite numbers/],
  ["core", "intArg(2.5)", () => intArg("f", "k", 2.5), DomainError, /k must be an integer/],
  ["core", "tolArg(-1)", () => tolArg("f", "tol", -1), DomainError, /tol must be a finite number >= 0/],
  ["core", "indexSet(out of range)", () => indexSet("f", "S", [0], 3), DomainError, /S must contain integers in 1..3/],

  // ---------------- networks ----------------
  ["networks", "validateWidths(0 width)", () => validateWidths([2, 0, 2]), DomainError, /positive integer/],
  ["networks", "deepLinear(string)", () => deepLinear("x" as never), DomainError, /widths/],
  ["networks", "new DeepLinearNetwork([2])", () => new DeepLinearNetwork([2]), DomainError, /DeepLinearNetwork: widths/],
  ["networks", "mu(wrong count)", () => mu(widths, [new Matrix([[1, 2]])]), ShapeError, /theta must have 2 matrices/],
  ["networks", "mu(wrong shape)", () => mu(widths, [new Matrix([[1, 2, 3]]), new Matrix([[1], [1]])]), ShapeError, /theta\[0\] \(W_1\) must be 1×2/],
  ["networks", "mu(NaN in rows)", () => mu(widths, [[[NaN, 1]], [[1], [1]]]), DomainError, /theta\[0\] must have finite/],
  ["networks", "mu(null)", () => mu(widths, null as never), ShapeError, /mu: theta must be an array/],
  ["networks", "dMuT(w, θ, null) [issue]", () => dMuT(widths, theta(), null as never), ShapeError, /dMuT: G must be a Matrix or an array of rows; got null/],
  ["networks", "dMuT(NaN G) [issue]", () => dMuT(widths, theta(), nanG()), DomainError, /dMuT: G must have finite entries; got NaN/],
  ["networks", "dMuT(G wrong shape)", () => dMuT(widths, theta(), new Matrix(3, 3)), ShapeError, /G must be 2×2/],
  ["networks", "d2MuT(NaN G) [issue]", () => d2MuT(widths, theta(), nanG(), theta()), DomainError, /finite/],
  ["networks", "d2MuT(V null)", () => d2MuT(widths, theta(), G(), null as never), ShapeError, /V must be an array/],
  ["networks", "dMu(V wrong shape)", () => dMu(widths, theta(), [new Matrix(2, 2), new Matrix(2, 1)]), ShapeError, /V\[0\]/],
  ["networks", "partialAfter(i = 0)", () => partialAfter(widths, theta(), 0), DomainError, /i must be an integer in \[1, 2\]/],
  ["networks", "partialBefore(i = 5)", () => partialBefore(widths, theta(), 5), DomainError, /i must be an integer/],
  ["networks", "partialProducts(bad widths)", () => partialProducts([2, -1], theta()), DomainError, /partialProducts/],
  ["networks", "dMuJacobian (300,300,300) bounded [issue]", () => dMuJacobian([300, 300, 300], []), ResourceError, /dMuJacobian: the dense 90000×180000 Jacobian of mu needs about 1.62e\+10 entries/],
  ["networks", "dMuJacobian(misspelt option)", () => dMuJacobian(widths, theta(), { maxentries: 1 } as never), UnknownOptionError, /did you mean "maxEntries"/],
  ["networks", "dMuJacobian(maxEntries: 1)", () => dMuJacobian(widths, theta(), { maxEntries: 1 }), ResourceError, /raise it with options.maxEntries/],
  ["networks", "dMuRank(tol -1)", () => dMuRank(widths, theta(), -1), DomainError, /tol/],
  ["networks", "functionalRank(theta junk)", () => functionalRank(widths, "x" as never), ShapeError, /functionalRank: theta/],
  ["networks", "dMuImage(theta wrong count)", () => dMuImage(widths, []), ShapeError, /dMuImage/],
  ["networks", "isMaximalRank(NaN theta)", () => isMaximalRank(widths, [[[NaN, 0]], [[1], [1]]]), DomainError, /finite/],
  ["networks", "packTheta(rows, wrong shape)", () => packTheta(widths, [[[1, 2, 3]], [[1], [1]]]), ShapeError, /packTheta: theta\[0\]/],
  ["networks", "unpackTheta(short)", () => unpackTheta(widths, [1]), ShapeError, /flat must have length 4/],
  ["networks", "unpackTheta(null)", () => unpackTheta(widths, null as never), ShapeError, /flat must be an array/],
  ["networks", "paramCount(string)", () => paramCount("x" as never), DomainError, /widths/],
  ["networks", "fibreDimension(negative width)", () => fibreDimension([2, -1]), DomainError, /widths/],
  ["networks", "reluNetwork(kinkTol NaN)", () => reluNetwork(2, 1, 1, [[1, 2], [3, 4]], { kinkTol: NaN }), DomainError, /kinkTol must be a finite number/],
  ["networks", "reluNetwork(X wrong rows)", () => reluNetwork(3, 1, 1, [[1, 2], [3, 4]]), ShapeError, /X/],
  ["networks", "ReluNetwork.dMuT at a kink", () => relu().dMuT([new Matrix(2, 2), new Matrix(1, 2)], new Matrix(1, 5)), DegenerateError, /kink/],
  ["networks", "ReluNetwork.mu(theta junk)", () => relu().mu(null as never), ShapeError, /ReluNetwork.mu: theta/],
  ["networks", "multiTower([])", () => multiTower([]), DomainError, /multiTower/],
  ["networks", "MultiTowerNetwork.towerTheta(t = 5)", () => multiTower([[2, 1, 2], [2, 1, 2]]).towerTheta([], 5), DomainError, /t must be an integer in \[0, 2\)/],
  ["networks", "MultiTowerNetwork.mu(NaN)", () => multiTower([[2, 1, 2], [2, 1, 2]]).mu([[[NaN, 0]], [[1], [1]], [[1, 0]], [[1], [1]]]), DomainError, /finite/],

  // ---------------- losses ----------------
  ["losses", 'squareLoss("Q")', () => squareLoss("Q" as never), ShapeError, /squareLoss: Q must be a Matrix or an array of rows/],
  ["losses", "squareLoss(NaN)", () => squareLoss([[NaN]]), DomainError, /finite/],
  ["losses", 'squareLoss([["1"]])', () => squareLoss([["1"]] as never), DomainError, /finite number entries/],
  ["losses", "squareLoss([])", () => squareLoss([]), ShapeError, /non-empty/],
  ["losses", "weightedSquareLoss(shape mismatch)", () => weightedSquareLoss([[1, 1]], [[1], [1]]), ShapeError, /weightedSquareLoss/],
  ["losses", "evenPowerLoss(odd p)", () => evenPowerLoss([[0]], 3), DomainError, /p must be an even integer/],
  ["losses", "evenPowerLoss p = 2000 overflow [issue]", () => evenPowerLoss([[0]], 2000).value(new Matrix([[3]])), OverflowError, /evenPowerLoss.value: l\(W\) must be finite; got Infinity/],
  ["losses", "pseudoHuberLoss(delta < 0)", () => pseudoHuberLoss([[0]], -1), DomainError, /delta/],
  ["losses", "logisticLoss(labels length)", () => logisticLoss([[1, 2]], [1]), ShapeError, /labels/],
  ["losses", "logisticLoss(label 2)", () => logisticLoss([[1, 2]], [2, 0]), DomainError, /labels/],
  ["losses", "softmaxCrossEntropy(ridge NaN)", () => softmaxCrossEntropy([[1, 2]], [0, 1], NaN), DomainError, /ridge/],
  ["losses", "customLoss({})", () => customLoss({} as never), DomainError, /customLoss/],
  ["losses", "loss.value(null)", () => squareLoss(Q).value(null as never), ShapeError, /squareLoss.value: W must be a 2×2 Matrix/],
  ["losses", "loss.value(wrong shape rows)", () => squareLoss(Q).value([[1, 2, 3]] as never), ShapeError, /W must be 2×2/],
  ["losses", "loss.gradient(NaN)", () => squareLoss(Q).gradient(nanG()), DomainError, /squareLoss.gradient: W must have finite/],
  ["losses", "loss.hessianAction(D null)", () => squareLoss(Q).hessianAction(G(), null as never), ShapeError, /D must be a 2×2 Matrix/],
  ["losses", "squareLoss.value overflow", () => squareLoss(Q).value(new Matrix([[1e200, 0], [0, 0]])), OverflowError, /overflow/],
  ["losses", "requireMinimiser(separable logistic)", () => requireMinimiser(sep()), DegenerateError, /must attain its minimum/],
  ["losses", "flatOf(null)", () => flatOf(null as never), ShapeError, /flatOf: A/],
  ["losses", 'mapEntries(f = "f")', () => mapEntries(new Matrix([[1]]), "f" as never), DomainError, /f must be a function/],
  ["losses", "mapEntries(f -> NaN)", () => mapEntries(new Matrix([[1]]), () => NaN), OverflowError, /f must return finite numbers/],
  ["losses", "matArg(ragged)", () => matArg("f", "Q", [[1], [1, 2]]), ShapeError, /rows must have equal length/],
  ["losses", "numArg(NaN)", () => numArg("f", "p", NaN), DomainError, /p must be a finite number/],
  ["losses", "lossHessian(200×200 loss) bounded", () => lossHessian(squareLoss(big(200)), big(200)), ResourceError, /lossHessian/],
  ["losses", "squareLossData(X, Y columns differ)", () => squareLossData([[1, 2]], [[1, 2, 3]]), ShapeError, /squareLossData/],

  // ---------------- spaces ----------------
  ["spaces", "determinantalVariety(negative m)", () => determinantalVariety(-1, 2, 1), DomainError, /m must be/],
  ["spaces", "allMatrices(0.5, 1)", () => allMatrices(0.5, 1), DomainError, /allMatrices/],
  ["spaces", "project(null)", () => space().project(null as never), ShapeError, /project: W/],
  ["spaces", "project(wrong shape)", () => space().project(new Matrix([[1, 2, 3]])), ShapeError, /2×2/],
  ["spaces", "rank(tol -1)", () => space().rank(G(), -1), DomainError, /tol/],
  ["spaces", "isCriticalFor(misspelt option)", () => space().isCriticalFor(squareLoss(Q), G(), { tolerance: 1 } as never), UnknownOptionError, /isCriticalFor/],
  ["spaces", "riemannianHessian(misspelt option)", () => space().riemannianHessian(squareLoss(Q), G(), { eigtol: 1 } as never), UnknownOptionError, /did you mean "eigTol"/],
  ["spaces", "isCriticalFor(loss junk)", () => space().isCriticalFor(null as never, G()), DomainError, /loss/],
  ["spaces", "functionalSpaceOf(null)", () => functionalSpaceOf(null as never), DomainError, /functionalSpaceOf/],
  ["spaces", "defaultSpaceRankTol([NaN])", () => defaultSpaceRankTol([NaN]), DomainError, /s must hold finite numbers/],
  ["spaces", "retract(xi null)", () => space().retract(G(), null as never), ShapeError, /xi/],
  ["spaces", "tangentProject(NaN)", () => space().tangentProject(G(), nanG()), DomainError, /finite/],

  // ---------------- optim ----------------
  ["optim", "minimize lbfgs { maxiter } [issue]", () => minimize(L(), x0(), "lbfgs", { maxiter: 1 } as never), UnknownOptionError, /minimize: .*unknown option "maxiter" \(did you mean "maxIter"\?\)/],
  ["optim", "minimize gd { learningRate } [issue]", () => minimize(L(), x0(), "gd", { learningRate: 0.1 } as never), UnknownOptionError, /did you mean "step"/],
  ["optim", "minimize(unknown method)", () => minimize(L(), x0(), "sgd" as never), DomainError, /method must be one of/],
  ["optim", "gradientDescent(step < 0)", () => gradientDescent(L(), x0(), { step: -1 }), DomainError, /step must be a number > 0/],
  ["optim", "gradientDescent(options null)", () => gradientDescent(L(), x0(), null as never), DomainError, /options must be an options object/],
  ["optim", "gradientDescent { learningRate } [issue]", () => gradientDescent(L(), x0(), { learningRate: 1 } as never), UnknownOptionError, /did you mean "step"/],
  ["optim", "lbfgs(memory 0)", () => lbfgs(L(), x0(), { memory: 0 }), DomainError, /memory/],
  ["optim", "adam(beta1 NaN)", () => adam(L(), x0(), { beta1: NaN }), DomainError, /beta1/],
  ["optim", "momentum { steps }", () => momentum(L(), x0(), { steps: 3 } as never), UnknownOptionError, /did you mean "step"/],
  ["optim", "findCriticalPoint { methd }", () => findCriticalPoint(L(), x0(), { methd: "lm" } as never), UnknownOptionError, /did you mean "method"/],
  ["optim", "lbfgs(x0 wrong length)", () => lbfgs(L(), [1, 2]), ShapeError, /x0 must have length 4/],
  ["optim", "lbfgs(x0 NaN)", () => lbfgs(L(), [NaN, 0, 0, 0]), DomainError, /x0 must have finite entries/],
  ["optim", "lbfgs(L null)", () => lbfgs(null as never, x0()), DomainError, /L must be a landscape/],
  ["optim", "lbfgs(x0 null)", () => lbfgs(L(), null as never), ShapeError, /x0 must be a flat vector/],
  ["optim", "gradientDescent(signal {})", () => gradientDescent(L(), x0(), { signal: {} as never }), DomainError, /signal must be an AbortSignal/],
  ["optim", "gradientDescent(callback 3)", () => gradientDescent(L(), x0(), { callback: 3 as never }), DomainError, /callback must be a function/],
  ["optim", "randomStart(r null)", () => randomStart(L(), null as never), DomainError, /r must be an Rng/],
  ["optim", "randomStart(scale -1)", () => randomStart(L(), rng(1), -1), DomainError, /scale/],
  ["optim", "randomStart(bad widths)", () => randomStart([2, 0], rng(1)), DomainError, /randomStart/],
  ["optim", "randomStart(widths [1e5, 1e5]) bounded", () => randomStart([1e5, 1e5], rng(1)), ResourceError, /randomStart: a start of 10000000000 parameters/],
  ["optim", "strongWolfe(phi null)", () => strongWolfe(null as never, 0, -1, 1), DomainError, /phi must be a function/],
  ["optim", "strongWolfe(ascent)", () => strongWolfe(() => ({ value: 0, slope: 0 }), 0, 1, 1), DomainError, /descent direction/],
  ["optim", "minres(apply string)", () => minres("x" as never, new Float64Array(2)), DomainError, /apply must be a function/],
  ["optim", "minres(b NaN)", () => minres(() => undefined, Float64Array.of(NaN)), DomainError, /b must hold finite/],
  ["optim", "minres { tol }", () => minres(() => undefined, Float64Array.of(1), { tol: 1 } as never), UnknownOptionError, /did you mean "rtol"/],
  ["optim", "inertia(NaN)", () => inertia([NaN]), DomainError, /eigenvalues must hold finite/],
  ["optim", "inertia(tol -1)", () => inertia([1], -1), DomainError, /tol/],
  ["optim", "optimizerOptionKeys(unknown)", () => optimizerOptionKeys("x" as never), DomainError, /method must be one of/],
  ["optim", "toFlat(null)", () => toFlat("f", L(), null as never), ShapeError, /x0 must be a flat vector/],

  // ---------------- landscape ----------------
  ["landscape", "landscape(null net)", () => landscape(null as never, squareLoss(Q)), DomainError, /net must be a Parameterization/],
  ["landscape", "landscape(shape mismatch)", () => landscape(net(), squareLoss([[1, 2, 3]])), ShapeError, /loss.shape must equal net.outputShape/],
  ["landscape", "value(null)", () => L().value(null as never), ShapeError, /Landscape.value: theta/],
  ["landscape", "value(NaN rows)", () => L().value([[[NaN, 0]], [[1], [1]]]), DomainError, /finite/],
  ["landscape", "gradientFlat(wrong length)", () => L().gradientFlat(new Float64Array(3)), ShapeError, /x must have length 4/],
  ["landscape", "gradientFlat(NaN)", () => L().gradientFlat(Float64Array.of(NaN, 0, 0, 0)), DomainError, /finite/],
  ["landscape", "valueFlat(x × 1e200) overflow [issue]", () => L().valueFlat(x0().map((v) => v * 1e200)), OverflowError, /overflow/],
  ["landscape", "gradientFlat overflow", () => L().gradientFlat(new Float64Array(4).fill(1e200)), OverflowError, /must be finite/],
  ["landscape", "gradientFlat(out wrong length)", () => L().gradientFlat(x0(), new Float64Array(2)), ShapeError, /out must have length 4/],
  ["landscape", "hessian(maxEntries 1)", () => L().hessian(theta(), { maxEntries: 1 }), ResourceError, /Hessian-vector products.*Lanczos/],
  ["landscape", "hessian { maxentries }", () => L().hessian(theta(), { maxentries: 1 } as never), UnknownOptionError, /did you mean "maxEntries"/],
  ["landscape", "hessian (200,200) bounded [issue]", () => { const B = landscape(new DeepLinearNetwork([200, 200]), squareLoss(big(200))); return B.hessian(B.unpack(new Float64Array(B.dim))); }, ResourceError, /a dense 40000×40000 Hessian needs about/],
  ["landscape", "hessianParts (200,200) bounded", () => { const B = landscape(new DeepLinearNetwork([200, 200]), squareLoss(big(200))); return B.hessianParts(B.unpack(new Float64Array(B.dim))); }, ResourceError, /two parts/],
  ["landscape", "hessianVectorFlat(v null)", () => L().hessianVectorFlat(x0(), null as never), ShapeError, /v must be a Float64Array/],
  ["landscape", "slice1D steps = 1e8 bounded [issue]", () => slice1D(L(), x0(), { steps: 1e8, rng: rng(1) }), ResourceError, /slice1D: a grid of 100000000 points/],
  ["landscape", "slice1D { step }", () => slice1D(L(), x0(), { step: 5 } as never), UnknownOptionError, /did you mean "steps"/],
  ["landscape", "slice1D(no direction, no rng)", () => slice1D(L(), x0(), {}), DomainError, /options.rng/],
  ["landscape", "slice1D(rng {})", () => slice1D(L(), x0(), { rng: {} as never }), DomainError, /rng must be an Rng/],
  ["landscape", "slice1D(range reversed)", () => slice1D(L(), x0(), { range: [1, 0], rng: rng(1) }), DomainError, /range must be \[from, to\]/],
  ["landscape", "slice2D steps = 20000 bounded [issue]", () => slice2D(L(), x0(), { steps: 20000, rng: rng(1) }), ResourceError, /slice2D: a grid of 400000000 points/],
  ["landscape", "slice2D { xrange }", () => slice2D(L(), x0(), { xrange: [0, 1] } as never), UnknownOptionError, /did you mean "xRange"/],
  ["landscape", "interpolate(steps 1)", () => interpolate(L(), x0(), x0(), { steps: 1 }), DomainError, /steps must be an integer >= 2/],
  ["landscape", "interpolate(maxPoints 10)", () => interpolate(L(), x0(), x0(), { steps: 100, maxPoints: 10 }), ResourceError, /options.maxPoints/],
  ["landscape", "randomDirection(r null)", () => randomDirection(L(), x0(), null as never), DomainError, /r must be an Rng/],
  ["landscape", "randomDirection(bad normalization)", () => randomDirection(L(), x0(), rng(1), "bad" as never), DomainError, /normalization/],
  ["landscape", "hutchinsonTrace probes = 1e9 bounded [issue]", () => hutchinsonTrace(L(), x0(), { probes: 1e9 }), ResourceError, /hutchinsonTrace: 1000000000 probes/],
  ["landscape", "hutchinsonTrace { probe }", () => hutchinsonTrace(L(), x0(), { probe: 3 } as never), UnknownOptionError, /did you mean "probes"/],
  ["landscape", "hutchinsonTrace(seed -1)", () => hutchinsonTrace(L(), x0(), { seed: -1 }), DomainError, /seed/],
  ["landscape", "lanczos(steps 0)", () => lanczos(L(), x0(), { steps: 0 }), DomainError, /steps must be a positive integer/],
  ["landscape", "lanczos(deflate junk)", () => lanczos(L(), x0(), { deflate: [1] as never }), DomainError, /deflate must be an array of Float64Arrays/],
  ["landscape", "lanczos { step }", () => lanczos(L(), x0(), { step: 3 } as never), UnknownOptionError, /did you mean "steps"/],
  ["landscape", "hessianExtremes(seed 0.5)", () => hessianExtremes(L(), x0(), { seed: 0.5 }), DomainError, /seed/],
  ["landscape", "hessianNegativeCount(tol -1)", () => hessianNegativeCount(L(), x0(), { tol: -1 }), DomainError, /tol must be a finite number >= 0/],
  ["landscape", "hessianNegativeCount(maxRounds 0)", () => hessianNegativeCount(L(), x0(), { maxRounds: 0 }), DomainError, /maxRounds/],
  ["landscape", "checkGradient(empty x)", () => checkGradient(() => 0, () => [], []), ShapeError, /x/],
  ["landscape", "checkGradient(f null)", () => checkGradient(null as never, () => [0], [0]), DomainError, /f must be a function/],
  ["landscape", "checkGradient { hh }", () => checkGradient(() => 0, () => [0], [0], { hh: 1 } as never), UnknownOptionError, /did you mean "h"/],
  ["landscape", "fdJacobian (1e5 × 1e3) bounded", () => fdJacobian(() => new Float64Array(1e5), new Float64Array(1e3)), ResourceError, /fdJacobian/],
  ["landscape", "taylorSlope(zero direction)", () => taylorSlope((x) => x[0] ** 2, (x) => [2 * x[0]], [1], [0]), DomainError, /nonzero direction/],
  ["landscape", "taylorSlope(one step)", () => taylorSlope((x) => x[0], () => [1], [1], [1], { hs: [0.1] }), ShapeError, /at least two step sizes/],
  ["landscape", "taylorSlope2(hessVec null)", () => taylorSlope2((x) => x[0], () => [1], null as never, [1], [1]), DomainError, /hessVec must be a function/],
  ["landscape", "deepLinearHessianVector(x null)", () => deepLinearHessianVector(widths, null as never, new Float64Array(4), new Float64Array(4), (D) => D, new Float64Array(4)), ShapeError, /x must be a Float64Array of length 4/],
  ["landscape", "deepLinearHessianVector(hessLAction junk)", () => deepLinearHessianVector(widths, x0(), x0(), new Float64Array(4), 3 as never, new Float64Array(4)), DomainError, /hessLAction must be a function/],
  ["landscape", "deepLinearHessianParts(bad widths)", () => deepLinearHessianParts([2, 0], new Float64Array(0), new Float64Array(0), new Float64Array(0)), DomainError, /deepLinearHessianParts/],
  ["landscape", "lossHessianMatrix(loss null)", () => lossHessianMatrix(null as never, G()), DomainError, /loss must be a Loss/],
  ["landscape", "lossHessianMatrix(200×200) bounded", () => lossHessianMatrix(squareLoss(big(200)), big(200)), ResourceError, /Hess l/],
  ["landscape", "matrixOfFlat(short)", () => matrixOfFlat([1, 2], 2, 2), ShapeError, /a must have length 4/],
  ["landscape", "flatMatrix(null)", () => flatMatrix(null as never), ShapeError, /flatMatrix: A/],

  // ---------------- critical ----------------
  ["critical", "classifyCriticalPoint { eigtol } [issue]", () => classifyCriticalPoint(L(), theta(), { eigtol: 1 } as never), UnknownOptionError, /did you mean "eigTol"/],
  ["critical", "classifyCriticalPoint(theta null)", () => classifyCriticalPoint(L(), null as never), ShapeError, /theta/],
  ["critical", "classifyCriticalPoint(maxParams 0)", () => classifyCriticalPoint(L(), theta(), { maxParams: 0 }), DomainError, /maxParams/],
  ["critical", "classifyCriticalPoint(L null)", () => classifyCriticalPoint(null as never, theta()), DomainError, /classifyCriticalPoint/],
  ["critical", "classifyPurity { spaceTolerance }", () => classifyPurity(L(), theta(), { spaceTolerance: 1 } as never), UnknownOptionError, /classifyPurity/],
  ["critical", "criticalImages { stict } [issue]", () => criticalImages(problem(), widths, { stict: true } as never), UnknownOptionError, /did you mean "strict"/],
  ["critical", "criticalImages(bad widths)", () => criticalImages(problem(), [2, 0, 2]), DomainError, /widths/],
  ["critical", "criticalImages(maxImages 0)", () => criticalImages(problem(), widths, { maxImages: 0 }), DomainError, /maxImages/],
  ["critical", 'matrixProblem("Q")', () => matrixProblem("Q" as never), ShapeError, /matrixProblem/],
  ["critical", "dataProblem(mismatch)", () => dataProblem([[1, 2]], [[1, 2, 3]]), ShapeError, /dataProblem/],
  ["critical", "squareSpectrum(null)", () => squareSpectrum(null as never), DomainError, /squareSpectrum/],
  ["critical", "tieGroups(NaN)", () => tieGroups([1, NaN], 2, 0), DomainError, /values must hold finite/],
  ["critical", "tieGroups(m = 1e9) (was a hang)", () => tieGroups([1, 2], 1e9, 0), DomainError, /m must be an integer in \[0, 2\]/],
  ["critical", "detectDegeneracies(null)", () => detectDegeneracies(null as never, 1), DomainError, /spectrum must be a SquareSpectrum/],
  ["critical", "binomial(2000, 1000) overflow [issue]", () => binomial(2000, 1000), OverflowError, /binomial: C\(n, k\) must be below/],
  ["critical", "binomial(-1, 0)", () => binomial(-1, 0), DomainError, /n must be a non-negative integer/],
  ["critical", "binomial(1.5, 1)", () => binomial(1.5, 1), DomainError, /n must be/],
  ["critical", "gaussianBinomial(1e6, 5e5) bounded [issue]", () => gaussianBinomial(1e6, 5e5), ResourceError, /gaussianBinomial: the q-Pascal table/],
  ["critical", "gaussianBinomial(3, 5)", () => gaussianBinomial(3, 5), DomainError, /r must satisfy 0 <= r <= m/],
  ["critical", "subsets(30, 15) bounded [issue]", () => subsets(30, 15), ResourceError, /subsets: the 15-subsets of \{1..30\} \(C\(30, 15\) = 155117520\)/],
  ["critical", "subsets { maxpoints }", () => subsets(5, 2, { maxpoints: 1 } as never), UnknownOptionError, /did you mean "maxPoints"/],
  ["critical", "indexDistribution(30, 15) bounded", () => indexDistribution(30, 15), ResourceError, /indexDistribution/],
  ["critical", "inversionIndex(string)", () => inversionIndex("x" as never), DomainError, /I must be an array/],
  ["critical", "inversionIndex(out of range)", () => inversionIndex([1, 5], [3, 2, 1]), DomainError, /I must contain integers in 1..3/],
  ["critical", "inversionIndex(NaN values)", () => inversionIndex([1], [NaN]), DomainError, /values must hold finite/],
  ["critical", "inversionIndex([3, 1e9, 3]) bounded (was a hang)", () => inversionIndex([3, 1e9, 3]), ResourceError, /index comparisons/],
  ["critical", "criticalImageCount(-1, 1)", () => criticalImageCount(-1, 1), DomainError, /m must be/],
  ["critical", "zhouLiangLoss(null)", () => zhouLiangLoss(null as never, [1]), DomainError, /spectrum must be/],
  ["critical", "zhouLiangLoss(trYY NaN)", () => zhouLiangLoss({ lambdas: [1], trYY: NaN }, [1]), DomainError, /trYY must be a finite number/],
  ["critical", "observedNegativeCount(S out of range)", () => observedNegativeCount([1, 2], [3], 1), DomainError, /S must contain integers in 1..2/],
  ["critical", "observedNegativeCount(string)", () => observedNegativeCount("x" as never, [1], 1), DomainError, /lambdas must be an array/],
  ["critical", "isGlobalSelection(d1 0)", () => isGlobalSelection([1], [1], 0), DomainError, /d1 must be a positive integer/],
  ["critical", "selectionMatrix(d2 0)", () => selectionMatrix([1], 0, 1), DomainError, /d2 must be a positive integer/],
  ["critical", "zhouLiangSpectrum { strickt }", () => zhouLiangSpectrum([[1, 0], [0, 1]], [[1, 0], [0, 2]], { strickt: true } as never), UnknownOptionError, /did you mean "strict"/],
  ["critical", "zhouLiangFamilies(d1 0)", () => zhouLiangFamilies([[1, 0], [0, 1]], [[1, 0], [0, 2]], 0), DomainError, /d1 must be a positive integer/],
  ["critical", "projectorForm { tols }", () => projectorForm([[1, 0], [0, 1]], [[1, 0], [0, 2]], G(), { tols: 1 } as never), UnknownOptionError, /did you mean "tol"/],
  ["critical", "perturbationCheck { counts }", () => perturbationCheck(L(), theta(), { counts: 3 } as never), UnknownOptionError, /did you mean "count"/],
  ["critical", "negativeCurvatureEscape { epsilon }", () => negativeCurvatureEscape(L(), theta(), x0(), -1, { epsilon: [0.1, 0.05] } as never), UnknownOptionError, /negativeCurvatureEscape/],
  ["critical", "chainEscape { ratetol }", () => chainEscape(L(), theta(), { ratetol: 1 } as never), UnknownOptionError, /did you mean "rateTol"/],
  ["critical", "fibreMoveEscape { T }", () => fibreMoveEscape(L(), theta(), { T: 1 } as never), UnknownOptionError, /did you mean "t"/],
  ["critical", "reducedKernelEscape(no options)", () => reducedKernelEscape(L(), theta(), undefined as never), DomainError, /options must be \{ eig/],
  ["critical", "expectedParameterInertia(-1)", () => expectedParameterInertia(widths, -1), DomainError, /Morse index|morseIndex/],
  ["critical", "squareLossGradient(theta rows wrong shape)", () => squareLossGradient(problem(), widths, [[[1, 2, 3]], [[1], [1]]]), ShapeError, /squareLossGradient: theta\[0\]/],
  ["critical", "balancedPoint(I out of range)", () => balancedPoint(problem(), widths, [5]), DomainError, /balancedPoint/],

  // ---------------- experiments (async: survey) ----------------
  ["experiments", "survey { run: 3 } [issue]", () => survey(L(), { run: 3 } as never), UnknownOptionError, /survey: .*unknown option "run" \(did you mean "runs"\?\)/],
  ["experiments", "survey { signal: {} } [issue]", () => survey(L(), { signal: {} as never }), DomainError, /options.signal must be an AbortSignal/],
  ["experiments", "survey optimizerOptions { maxiter }", () => survey(L(), { optimizerOptions: { maxiter: 1 } as never }), UnknownOptionError, /options.optimizerOptions/],
  ["experiments", "survey classifyOptions { eigtol }", () => survey(L(), { classify: true, classifyOptions: { eigtol: 1 } as never }), UnknownOptionError, /options.classifyOptions/],
  ["experiments", "survey(seed -1)", () => survey(L(), { seed: -1 }), DomainError, /seed must be an integer with 0 <= seed/],
  ["experiments", "survey(seed + runs beyond 2^53)", () => survey(L(), { seed: 2 ** 53 - 1, runs: 3 }), DomainError, /seed \+ runs - 1 <= 2\^53 - 1/],
  ["experiments", "survey(runs -1)", () => survey(L(), { runs: -1 }), DomainError, /runs must be a non-negative integer/],
  ["experiments", 'survey(optimizer "sgd")', () => survey(L(), { optimizer: "sgd" as never }), DomainError, /optimizer must be one of/],
  ["experiments", "survey(classify 3)", () => survey(L(), { classify: 3 as never }), DomainError, /classify must be true or a function/],
  ["experiments", 'survey(progress "yes")', () => survey(L(), { progress: "yes" as never }), DomainError, /progress must be a boolean or a function/],
  ["experiments", "survey(workers 0)", () => survey(L(), { workers: 0 }), DomainError, /workers must be a positive integer/],
  ["experiments", "survey(options null)", () => survey(L(), null as never), DomainError, /options must be an options object/],
  ["experiments", "survey(problem null)", () => survey(null as never), DomainError, /spec.kind must be/],
  ["experiments", "buildProblem(unknown kind)", () => buildProblem({ kind: "x" } as never), DomainError, /spec.kind/],
  ["experiments", "buildLoss(null)", () => buildLoss(null as never), DomainError, /loss must be \{ kind, params \}/],
  ["experiments", "clusterValues(tol -1)", () => clusterValues([1], -1), DomainError, /tol must be/],
  ["experiments", "toRows(null)", () => toRows(null as never), ShapeError, /toRows: A/],
  ["experiments", "toRows(NaN)", () => toRows([[NaN]]), DomainError, /finite/],

  // ---------------- plots ----------------
  ["plots", "lineChart { colour } [issue]", () => lineChart(rows, { x: "a", y: "b", colour: "a" } as never), UnknownOptionError, /lineChart: .*unknown option "colour" \(did you mean "color"\?\)/],
  ["plots", "scatterChart { sise }", () => scatterChart(rows, { x: "a", y: "b", sise: 3 } as never), UnknownOptionError, /did you mean "size"/],
  ["plots", "histogram { bins }", () => histogram([1, 2, 3], { bins: 3 } as never), UnknownOptionError, /histogram/],
  ["plots", "barChart { horizontl }", () => barChart(rows, { x: "a", y: "b", horizontl: true } as never), UnknownOptionError, /did you mean "horizontal"/],
  ["plots", "heatmap { sceme }", () => heatmap({ x: [0, 1], y: [0, 1], z: [[0, 1], [1, 0]] }, { sceme: "viridis" } as never), UnknownOptionError, /did you mean "scheme"/],
  ["plots", "layer { titel }", () => layer([spec()], { titel: "t" } as never), UnknownOptionError, /did you mean "title"/],
  ["plots", "withSlider { nme }", () => withSlider(spec(), { nme: "k", field: "a", min: 0, max: 1 } as never), UnknownOptionError, /did you mean "name"/],
  ["plots", "theoryVsMeasured { measurd }", () => theoryVsMeasured({ x: "a", y: "b", theory: rows, measurd: rows } as never), UnknownOptionError, /did you mean "measured"/],
  ["plots", "linspace(0, 1, 1e9) bounded [issue]", () => linspace(0, 1, 1e9), ResourceError, /linspace: 1000000000 grid points/],
  ["plots", "linspace(NaN end)", () => linspace(0, NaN, 3), DomainError, /b must be a finite number/],
  ["plots", "sampleGrid 2000×2000 bounded", () => sampleGrid(() => 0, linspace(0, 1, 2000), linspace(0, 1, 2000)), ResourceError, /sampleGrid/],
  ["plots", "sampleGrid(f -> NaN)", () => sampleGrid(() => NaN, [0, 1], [0, 1]), DomainError, /f must return finite numbers/],
  ["plots", "cloneSpec(undefined)", () => cloneSpec(undefined), DomainError, /spec must be plain JSON/],
  ["plots", "cloneSpec(NaN inside)", () => cloneSpec({ a: NaN }), DomainError, /plain JSON; got the number NaN/],
  ["plots", "describeSpec(null)", () => describeSpec(null as never), DomainError, /describeSpec: spec must be a Vega-Lite spec object/],
  ["plots", 'pickFields("x")', () => pickFields("x" as never, []), DomainError, /rows must be an array of objects/],
  ["plots", "quantEncoding(NaN domain)", () => quantEncoding("x", "t", undefined, [NaN, 1]), DomainError, /domain/],
  ["plots", "tooltipEncoding(fields null)", () => tooltipEncoding([], null as never), DomainError, /fields must be an array/],
  ["plots", "integerTicks(enc null)", () => integerTicks(null as never, [], "x"), DomainError, /enc must be an encoding object/],
  ["plots", "compileSpec(null)", () => compileSpec(null as never), DomainError, /spec must be a Vega-Lite spec object/],
  ["plots", "renderSvg(null)", () => renderSvg(null as never), DomainError, /renderSvg: spec must be a Vega-Lite spec object/],
  ["plots", "lineChart(NaN y)", () => lineChart([{ a: 1, b: NaN }], { x: "a", y: "b" }), DomainError, /finite/],
  ["plots", "lineChart(options null)", () => lineChart(rows, null as never), DomainError, /options must be an options object/],

  // ---------------- display ----------------
  ["display", "escapeMarkdownCell(3)", () => escapeMarkdownCell(3 as never), DomainError, /s must be a string/],
  ["display", "truncatedIndices(1e9, 5)", () => truncatedIndices(1e9, 5), DomainError, /n must be an integer in \[0, 1e7\]/],
  ["display", "truncatedIndices(max 2)", () => truncatedIndices(5, 2), DomainError, /max must be an integer >= 3/],
  ["display", 'markdownTable("x")', () => markdownTable("x" as never, []), DomainError, /headers must be a non-empty array/],
  ["display", "latexMatrix(null)", () => latexMatrix(null as never), ShapeError, /latexMatrix/],
  ["display", "latexMatrix { maxrows }", () => latexMatrix([[1]], { maxrows: 3 } as never), UnknownOptionError, /did you mean "maxRows"/],
  ["display", "plainMatrix(env bad)", () => plainMatrix([[1]], { maxRows: 1 }), DomainError, /maxRows must be an integer >= 3/],
  ["display", "matrixBundle(ragged)", () => matrixBundle([[1], [1, 2]]), ShapeError, /matrixBundle|ragged|rows/],
  ["display", "report { titel }", () => report([{ a: 1 }], { titel: "t" } as never), UnknownOptionError, /did you mean "title"/],
  ["display", "report(rows junk)", () => report([1] as never), DomainError, /rows\[0\] must be a plain object/],
  ["display", "plainTable(row length)", () => plainTable(["a"], [[1, 2]]), ShapeError, /plainTable/],

  // ---------------- claims ----------------
  ["claims", "checkClaim(unknown source)", () => checkClaim("G1", { statement: "s", expected: 1, measured: 1, source: "x" as never }), DomainError, /source/],
  ["claims", "checkClaim(unknown key)", () => checkClaim("G1", { statement: "s", expected: 1, measured: 1, source: "paper", tolerance: 1 } as never), DomainError, /tolerance/],
  ["claims", "checkClaim(unknown label)", () => checkClaim("NOPE", { statement: "s", expected: 1, measured: 1, source: "paper" }), DomainError, /label/],
  ["claims", "checkClaim(NaN expected)", () => checkClaim("G1", { statement: "s", expected: NaN, measured: 1, source: "paper" }), DomainError, /expected/],
  ["claims", "verdictJson(null)", () => verdictJson(null as never), DomainError, /v must be a Verdict/],
  ["claims", "verdictBundle({})", () => verdictBundle({} as never), DomainError, /v must be a Verdict/],
  ["claims", 'verdictTable("x")', () => verdictTable("x" as never), DomainError, /list must be an array of verdicts/],
  ["claims", "verdictTable([junk])", () => verdictTable([verdict(), 3 as never]), DomainError, /v must be a Verdict/],
];

test(`bad-input catalogue: ${cases.length} cases across every export group, each a typed error with its message`, async () => {
  const groups = new Set(cases.map((c) => c[0]));
  for (const g of ["core", "networks", "losses", "spaces", "optim", "landscape", "critical", "experiments", "plots", "display", "claims"]) {
    assert.ok(groups.has(g), `the catalogue covers ${g}`);
  }
  assert.ok(cases.length >= 200, `at least 200 cases; got ${cases.length}`);
  const problems: string[] = [];
  const slow: string[] = [];
  for (const [group, label, call, cls, fragment] of cases) {
    const t0 = Date.now();
    let outcome: { value?: unknown; error?: unknown };
    try {
      const v = call();
      outcome = { value: v instanceof Promise ? await v : v };
    } catch (e) {
      outcome = { error: e };
    }
    const ms = Date.now() - t0;
    if (ms > 10000) slow.push(`${group} ${label}: ${ms} ms`);
    const e = outcome.error;
    if (!("error" in outcome)) problems.push(`${group} ${label}: returned instead of throwing ${cls.name}`);
    else if (!(e instanceof cls)) problems.push(`${group} ${label}: threw ${(e as Error)?.name ?? typeof e} (${(e as Error)?.message ?? String(e)}), expected ${cls.name}`);
    else if (!fragment.test((e as Error).message)) problems.push(`${group} ${label}: message "${(e as Error).message}" lacks ${fragment}`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(slow, [], "no case takes more than 10 s (work is refused before it is done)");
});

test("silent wrong answers of issue 12 stay fixed: aliasing, seeds, theta as rows", () => {
  // gradientFlat(x, x) on the deep-linear fast path (error 5.95 on (3,2,3) before the fix)
  const R = rng(2);
  const LL = landscape(new DeepLinearNetwork([3, 2, 3]), squareLoss(R.gaussian(3, 3)));
  const x = Float64Array.from({ length: LL.dim }, () => R.normal());
  const g = LL.gradientFlat(x);
  const y = Float64Array.from(x);
  LL.gradientFlat(y, y);
  assert.deepEqual(Array.from(y), Array.from(g));
  // rng(0), rng(2^32), rng(1e300) aliased; now 1e300 is refused and 0, 2^32 differ
  const head = (s: number) => { const r = rng(s); return [r.nextUint32(), r.nextUint32(), r.nextUint32()]; };
  assert.notDeepEqual(head(0), head(2 ** 32));
  assert.notDeepEqual(head(2 ** 32 - 1), head(2 ** 33 - 1));
  // theta as plain rows gives exactly what the matrices give (value, gradient, classification)
  const th = theta();
  const asRows = th.map((W) => W.to2DArray());
  assert.equal(L().value(asRows), L().value(th));
  assert.deepEqual(L().gradient(asRows).map((W) => W.to2DArray()), L().gradient(th).map((W) => W.to2DArray()));
  assert.deepEqual(mu(widths, asRows).to2DArray(), mu(widths, th).to2DArray());
  assert.deepEqual(pinv([[1, 2], [3, 4]]).to2DArray(), pinv(new Matrix([[1, 2], [3, 4]])).to2DArray());
  // frobNorm is computed scaled: no overflow for entries near 1e200
  assert.ok(Math.abs(frobNorm([[3e200, 4e200]]) / 5e200 - 1) < 1e-15);
  // a loss without minimiser: no "global minimum"
  const Ls = landscape(new DeepLinearNetwork([2, 1, 1]), sep());
  const run = lbfgs(Ls, randomStart(Ls, rng(1)));
  assert.equal(run.converged, false);
  assert.equal(run.diverged, true);
  assert.notEqual(classifyCriticalPoint(Ls, run.theta!).verdict, "global minimum");
});
