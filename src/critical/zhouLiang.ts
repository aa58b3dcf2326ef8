/**
 * Zhou–Liang analytical forms of critical points of the square loss `L(A1, A2) = ½ ||A2 A1 X - Y||^2` of a
 * one-hidden-layer linear network (B1–B4), and the projector form of deep critical points (B5).
 *
 * Provenance (docs/theory.md#b1): the setup and the skeleton of the theorem ("a matrix L1, a block
 * matrix V and an invertible matrix C, via (1)(2), subject to (3)") are verified from the paper; the formulas
 * (1)–(3) themselves are our **reconstruction**, checked mathematically and numerically. The loss
 * formula (B2), the global-minimum criterion (B3) and the strict-saddle pattern are derived there [R]. The
 * negative-eigenvalue count {@link observedNegativeCount} is an observed pattern [N], not a claim of the paper.
 *
 * Shapes: `X` is `d0 × n`, `Y` is `d2 × n`, `A1` is `d1 × d0`, `A2` is `d2 × d1`, `U` is `d2 × d2` (eigenvectors of
 * `Sigma = Y X^+ X Y^T`, columns sorted by descending eigenvalue), `V` is `d2 × d1`, `C` is `d1 × d1`, `L1` is `d1 × d0`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { AssumptionError, DegenerateError, DomainError, ShapeError, describe } from "../core/errors";
import { colSpace, pinv, svd, symEig } from "../core/linalg";
import { MatrixLike, eye, frobNorm, mmul, mmulChain, shapeOf, sub, toMatrix, transpose, zeros } from "../core/matrix";
import { binomial, inversionIndex, subsets } from "./gaussianBinomial";
import { finiteArray, indexSet, intArg, tolArg } from "../core/args";
import { checkOptions } from "../core/options";
import { CriticalImagesOptions, Degeneracy, balancedPoint, dataProblem, detectDegeneracies, squareSpectrum } from "./closedForms";

/** Spectral data of the one-hidden-layer problem (B1). */
export interface ZhouLiangSpectrum {
  /** `X^+` (`n × d0`), by SVD with the default relative threshold. */
  readonly Xpinv: Matrix;
  /** `Sigma = Y X^+ X Y^T` (`d2 × d2`, symmetrised). */
  readonly Sigma: Matrix;
  /** Eigenvalues `lambda_1 >= ... >= lambda_{d2} >= 0` of Sigma (tiny negatives from round-off clipped to 0). */
  readonly lambdas: number[];
  /** `d2 × d2` orthogonal eigenvector matrix, columns matching `lambdas`. */
  readonly U: Matrix;
  /** `tr(Y Y^T)`. */
  readonly trYY: number;
  /** `rank Sigma`: number of singular values of `Y X^+ X` above the threshold of {@link squareSpectrum}. */
  readonly rankSigma: number;
  /** Numerical rank of `X`. */
  readonly rankX: number;
  /** Ties among nonzero eigenvalues, rank-deficient X (as {@link detectDegeneracies}). */
  readonly degeneracies: Degeneracy[];
}

function checkXY(fn: string, X: unknown, Y: unknown): { X: Matrix; Y: Matrix } {
  const Xm = toMatrix(fn, "X", X);
  const Ym = toMatrix(fn, "Y", Y);
  if (Xm.columns !== Ym.columns) throw new ShapeError(fn, `X and Y must have the same number of columns (samples); got X ${shapeOf(Xm)} and Y ${shapeOf(Ym)}`);
  return { X: Xm, Y: Ym };
}

/**
 * `Sigma = Y X^+ X Y^T`, its sorted eigendecomposition `U Lambda U^T`, `tr YY^T`, ranks, and degeneracies (B1 setup).
 * @param X - inputs, `d_0 × N`.
 * @param Y - targets, `d_h × N`.
 * @param options - `strict`: throw DegenerateError on tied nonzero eigenvalues or rank-deficient X;
 *   `gapTol`: relative gap for ties (default 1e-8).
 * @throws ShapeError if X, Y have different numbers of columns; DomainError for non-finite entries.
 */
export function zhouLiangSpectrum(X: MatrixLike, Y: MatrixLike, options: Pick<CriticalImagesOptions, "strict" | "gapTol"> = {}): ZhouLiangSpectrum {
  const fn = "zhouLiangSpectrum";
  checkOptions(fn, options, ["strict", "gapTol"]);
  const d = checkXY(fn, X, Y);
  const spec = squareSpectrum(dataProblem(d.X, d.Y));
  const degeneracies = detectDegeneracies(spec, Infinity, options.gapTol ?? 1e-8).filter((g) => g.kind !== "rank-below-bottleneck");
  if (options.strict && degeneracies.length > 0) throw new DegenerateError(fn, degeneracies[0].kind, `input must be generic in strict mode; ${degeneracies[0].message}`);
  const Sigma = spec.Sigma as Matrix;
  const eig = symEig(Sigma, 1e-8, "eager");
  const lambdas = eig.values.map((v) => Math.max(0, v));
  return {
    Xpinv: spec.Xpinv as Matrix,
    Sigma,
    lambdas,
    U: eig.vectors,
    trYY: 2 * spec.lossAtZero,
    rankSigma: spec.rank,
    rankX: spec.rankX as number,
    degeneracies,
  };
}

/**
 * The 0/1 selection matrix `V` (`d2 × d1`) with `V[S[c]][c] = 1` for `c < |S|` and zero columns after (B1, docs/theory.md#b1,
 * step 2): the generic case of the block matrix `[diag(V_1, ..., V_r, V̄), 0]` with one eigenvector per selected index.
 * @param S - distinct 1-based eigen-indices, `|S| <= min(d1, d2)`.
 * @throws DomainError for out-of-range, repeated or too many indices, or bad sizes.
 */
export function selectionMatrix(S: readonly number[], d2: number, d1: number): Matrix {
  const fn = "selectionMatrix";
  for (const [name, v] of [["d2", d2], ["d1", d1]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DomainError(fn, `${name} must be a positive integer; got ${describe(v)}`);
  }
  if (!Array.isArray(S)) throw new DomainError(fn, `S must be an array of 1-based indices; got ${describe(S)}`);
  if (S.length > Math.min(d1, d2)) throw new DomainError(fn, `|S| must be <= min(d1, d2) = ${Math.min(d1, d2)}; got ${S.length}`);
  const seen = new Set<number>();
  const V = zeros(d2, d1);
  S.forEach((i, c) => {
    if (!Number.isInteger(i) || i < 1 || i > d2) throw new DomainError(fn, `S must contain integers in 1..d2 = ${d2}; got ${describe(i)}`);
    if (seen.has(i)) throw new DomainError(fn, `S must not repeat an index; got ${describe(S)}`);
    seen.add(i);
    V.set(i - 1, c, 1);
  });
  return V;
}

function inverse(fn: string, C: Matrix): Matrix {
  const { U, s, V } = svd(C);
  const n = C.rows;
  if (s.length === 0 || !(s[n - 1] > n * 1e-13 * s[0])) {
    throw new DomainError(fn, `C must be invertible (smallest singular value > ${n}e-13 · largest); got singular values ${describe(s)}`);
  }
  const Inv = zeros(n, n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Inv.set(i, j, Inv.get(i, j) + (V.get(i, k) * U.get(j, k)) / s[k]);
  return Inv;
}

/** Checks V: `V^T V` is a 0/1 diagonal (orthonormal or zero columns) and every nonzero column of `U V` is an eigenvector of Sigma. */
function checkV(fn: string, V: Matrix, lambdas: readonly number[], d2: number, d1: number): void {
  if (V.rows !== d2 || V.columns !== d1) throw new ShapeError(fn, `V must be ${d2}×${d1} (d2×d1); got ${shapeOf(V)}`);
  const G = mmul(transpose(V), V);
  for (let a = 0; a < d1; a++) {
    for (let b = 0; b < d1; b++) {
      const want = a === b ? (G.get(a, a) > 0.5 ? 1 : 0) : 0;
      if (Math.abs(G.get(a, b) - want) > 1e-10) {
        throw new AssumptionError(fn, `V must have orthonormal or zero columns (V^T V a 0/1 diagonal projector); got (V^T V)[${a}][${b}] = ${G.get(a, b)}`);
      }
    }
  }
  // Lambda V = V D: each column lies inside one eigenspace (the block structure [diag(V_1..V_r, V̄), 0]).
  const top = Math.max(1, lambdas[0] ?? 0);
  for (let c = 0; c < d1; c++) {
    let rq = 0;
    for (let i = 0; i < d2; i++) rq += lambdas[i] * V.get(i, c) ** 2;
    let err = 0;
    for (let i = 0; i < d2; i++) err = Math.max(err, Math.abs((lambdas[i] - rq) * V.get(i, c)));
    if (err > 1e-8 * top) {
      throw new AssumptionError(fn, `column ${c} of V must lie in one eigenspace of Sigma (Lambda V = V D, the block form of B1); got a mix of eigenvalues (defect ${err.toExponential(2)})`);
    }
  }
}

/** Input of {@link zhouLiangPoint}. */
export interface ZhouLiangParams {
  /** `d2 × d1` block matrix V (orthonormal columns inside eigenspaces, zero columns for unused units); or give `S`. */
  V?: MatrixLike;
  /** Selected 1-based eigen-indices (builds `V = selectionMatrix(S, d2, d1)`); ignored when `V` is given. */
  S?: readonly number[];
  /** Hidden width `d1` (needed with `S` when `C` is not given). */
  d1?: number;
  /** Invertible `d1 × d1` gauge (default identity). */
  C?: MatrixLike;
  /** `d1 × d0` free matrix (default zero). */
  L1?: MatrixLike;
  /** `d2 × d2` orthogonal eigenvectors of Sigma, columns sorted by descending eigenvalue (default from {@link zhouLiangSpectrum}). */
  U?: MatrixLike;
  /** Replace `L1` by `C^{-1} V^T V C L1`, which satisfies (3). Default false. */
  enforceCondition3?: boolean;
}

/** A point built by the Zhou–Liang forms (B1). */
export interface ZhouLiangPoint {
  /** `A1 = C^{-1} V^T U^T Y X^+ + L1 - C^{-1} V^T V C L1 X X^+` (`d1 × d0`), form (1). */
  readonly A1: Matrix;
  /** `A2 = U V C` (`d2 × d1`), form (2). */
  readonly A2: Matrix;
  /** The `L1` actually used (after enforcing (3) if asked). */
  readonly L1: Matrix;
  readonly C: Matrix;
  readonly V: Matrix;
  readonly U: Matrix;
  /** `P = U V V^T U^T`, the projector onto the selected eigen-directions; `A2 A1 X = P Y X^+ X`. */
  readonly P: Matrix;
  /** Residual of (3): `(I - P) Y X^T L1^T C^T (I - V^T V)` (`d2 × d1`). */
  readonly residual3: Matrix;
  /** `||residual3||_F`. */
  readonly residual3Norm: number;
  /** Predicted gradient `dL/dA2 = -residual3 · C^{-T}` (exact identity); `dL/dA1 = 0` always. */
  readonly predictedGradA2: Matrix;
  /** B2 loss `½ (tr YY^T - tr(P Sigma))`. */
  readonly predictedLoss: number;
}

/**
 * Builds `(A1, A2)` from `(U, V, C, L1)` by the Zhou–Liang forms (B1; formulas reconstructed, docs/theory.md#b1):
 * `A2 = U V C`, `A1 = C^{-1} V^T U^T Y X^+ + L1 - C^{-1} V^T V C L1 X X^+`. The point is critical iff condition (3)
 * `(I - U V V^T U^T) Y X^T L1^T C^T (I - V^T V) = 0` holds; in general `dL/dA1 = 0` and
 * `dL/dA2 = -residual3 · C^{-T}` (so `||grad L|| = ||residual3||` for orthogonal `C`, e.g. `C = I`).
 * @throws ShapeError for mismatched shapes; DomainError for a singular C, bad S, non-finite input;
 *   AssumptionError if V is not of the block form (columns orthonormal and inside eigenspaces of Sigma) or U is
 *   not an orthogonal eigenvector matrix of Sigma.
 */
export function zhouLiangPoint(X: MatrixLike, Y: MatrixLike, params: ZhouLiangParams): ZhouLiangPoint {
  const fn = "zhouLiangPoint";
  const d = checkXY(fn, X, Y);
  if (typeof params !== "object" || params === null) throw new DomainError(fn, `params must be an object; got ${describe(params)}`);
  const spec = zhouLiangSpectrum(d.X, d.Y);
  const d0 = d.X.rows;
  const d2 = d.Y.rows;
  const Cin = params.C !== undefined ? toMatrix(fn, "C", params.C) : undefined;
  let V: Matrix;
  if (params.V !== undefined) V = toMatrix(fn, "V", params.V);
  else if (params.S !== undefined) {
    const d1 = Cin ? Cin.rows : params.d1;
    if (d1 === undefined) throw new DomainError(fn, "params.d1 (or params.C) is required with params.S");
    V = selectionMatrix(params.S, d2, d1);
  } else throw new DomainError(fn, "params must give V or S");
  const d1 = V.columns;
  const C = Cin ?? eye(d1);
  if (C.rows !== d1 || C.columns !== d1) throw new ShapeError(fn, `C must be ${d1}×${d1} (d1×d1, d1 = V.columns); got ${shapeOf(C)}`);
  let L1 = params.L1 !== undefined ? toMatrix(fn, "L1", params.L1) : zeros(d1, d0);
  if (L1.rows !== d1 || L1.columns !== d0) throw new ShapeError(fn, `L1 must be ${d1}×${d0} (d1×d0); got ${shapeOf(L1)}`);
  const U = params.U !== undefined ? toMatrix(fn, "U", params.U) : spec.U;
  checkU(fn, U, spec);
  checkV(fn, V, spec.lambdas, d2, d1);
  const Cinv = inverse(fn, C);
  const VtV = mmul(transpose(V), V);
  if (params.enforceCondition3) L1 = mmulChain([Cinv, VtV, C, L1]);
  const Xp = spec.Xpinv;
  const XXp = mmul(d.X, Xp);
  const A1 = sub(
    mmulChain([Cinv, transpose(V), transpose(U), d.Y, Xp]).add(L1) as Matrix,
    mmulChain([Cinv, VtV, C, L1, XXp]),
    fn,
  );
  const UV = mmul(U, V);
  const A2 = mmul(UV, C);
  const P = mmul(UV, transpose(UV));
  const residual3 = condition3Residual(d.X, d.Y, U, V, C, L1);
  const predictedGradA2 = mmul(residual3, transpose(Cinv)).mul(-1) as Matrix;
  let trPS = 0;
  const PS = mmul(P, spec.Sigma);
  for (let i = 0; i < d2; i++) trPS += PS.get(i, i);
  return { A1, A2, L1, C, V, U, P, residual3, residual3Norm: frobNorm(residual3), predictedGradA2, predictedLoss: 0.5 * (spec.trYY - trPS) };
}

function checkU(fn: string, U: Matrix, spec: ZhouLiangSpectrum): void {
  const d2 = spec.U.rows;
  if (U.rows !== d2 || U.columns !== d2) throw new ShapeError(fn, `U must be ${d2}×${d2} (d2×d2); got ${shapeOf(U)}`);
  const D = mmulChain([transpose(U), spec.Sigma, U]);
  const I = mmul(transpose(U), U);
  const top = Math.max(1, spec.lambdas[0] ?? 0);
  for (let a = 0; a < d2; a++) {
    for (let b = 0; b < d2; b++) {
      if (Math.abs(I.get(a, b) - (a === b ? 1 : 0)) > 1e-10) throw new AssumptionError(fn, `U must be orthogonal; got (U^T U)[${a}][${b}] = ${I.get(a, b)}`);
      const want = a === b ? spec.lambdas[a] : 0;
      if (Math.abs(D.get(a, b) - want) > 1e-8 * top) {
        throw new AssumptionError(fn, `U must diagonalise Sigma with eigenvalues sorted descending; got (U^T Sigma U)[${a}][${b}] = ${D.get(a, b)}, expected ${want}`);
      }
    }
  }
}

/**
 * Residual of Zhou–Liang condition (3): `(I - U V V^T U^T) · Y X^T · L1^T C^T · (I - V^T V)` (`d2 × d1`; B1,
 * reconstruction). Zero iff the point built from `(U, V, C, L1)` is critical.
 * @throws ShapeError for mismatched shapes; DomainError for non-finite entries.
 */
export function condition3Residual(X: MatrixLike, Y: MatrixLike, U: MatrixLike, V: MatrixLike, C: MatrixLike, L1: MatrixLike): Matrix {
  const fn = "condition3Residual";
  const d = checkXY(fn, X, Y);
  const Um = toMatrix(fn, "U", U);
  const Vm = toMatrix(fn, "V", V);
  const Cm = toMatrix(fn, "C", C);
  const Lm = toMatrix(fn, "L1", L1);
  const d2 = d.Y.rows;
  const d0 = d.X.rows;
  const d1 = Vm.columns;
  if (Um.rows !== d2 || Um.columns !== d2) throw new ShapeError(fn, `U must be ${d2}×${d2}; got ${shapeOf(Um)}`);
  if (Vm.rows !== d2) throw new ShapeError(fn, `V must have d2 = ${d2} rows; got ${shapeOf(Vm)}`);
  if (Cm.rows !== d1 || Cm.columns !== d1) throw new ShapeError(fn, `C must be ${d1}×${d1}; got ${shapeOf(Cm)}`);
  if (Lm.rows !== d1 || Lm.columns !== d0) throw new ShapeError(fn, `L1 must be ${d1}×${d0}; got ${shapeOf(Lm)}`);
  const UV = mmul(Um, Vm);
  const Pperp = sub(eye(d2), mmul(UV, transpose(UV)), fn);
  const Pker = sub(eye(d1), mmul(transpose(Vm), Vm), fn);
  return mmulChain([Pperp, d.Y, transpose(d.X), transpose(Lm), transpose(Cm), Pker], fn);
}

/**
 * Gradient of `L(A1, A2) = ½ ||A2 A1 X - Y||^2`: `dL/dA1 = A2^T R X^T`, `dL/dA2 = R X^T A1^T`, `R = A2 A1 X - Y` (B1).
 * @throws ShapeError for mismatched shapes; DomainError for non-finite entries.
 */
export function zhouLiangGradient(X: MatrixLike, Y: MatrixLike, A1: MatrixLike, A2: MatrixLike): { value: number; gradA1: Matrix; gradA2: Matrix } {
  const fn = "zhouLiangGradient";
  const d = checkXY(fn, X, Y);
  const B = toMatrix(fn, "A1", A1);
  const A = toMatrix(fn, "A2", A2);
  if (B.columns !== d.X.rows) throw new ShapeError(fn, `A1 must have d0 = ${d.X.rows} columns; got ${shapeOf(B)}`);
  if (A.rows !== d.Y.rows || A.columns !== B.rows) throw new ShapeError(fn, `A2 must be ${d.Y.rows}×${B.rows} (d2×d1); got ${shapeOf(A)}`);
  const R = sub(mmulChain([A, B, d.X]), d.Y, fn);
  const RXt = mmul(R, transpose(d.X));
  return { value: 0.5 * frobNorm(R) ** 2, gradA1: mmul(transpose(A), RXt), gradA2: mmul(RXt, transpose(B)) };
}

/**
 * B2: loss at a critical point with selection `S`: `½ (tr YY^T - sum_{i in S} lambda_i)` (docs/theory.md#b2, derived).
 * @throws DomainError for indices outside `1..lambdas.length`.
 */
export function zhouLiangLoss(spectrum: Pick<ZhouLiangSpectrum, "lambdas" | "trYY">, S: readonly number[]): number {
  if (!spectrum || typeof spectrum !== "object") throw new DomainError("zhouLiangLoss", `spectrum must be { lambdas, trYY } (zhouLiangSpectrum(X, Y)); got ${describe(spectrum)}`);
  finiteArray("zhouLiangLoss", "spectrum.lambdas", spectrum.lambdas);
  if (typeof spectrum.trYY !== "number" || !Number.isFinite(spectrum.trYY)) throw new DomainError("zhouLiangLoss", `spectrum.trYY must be a finite number; got ${describe(spectrum.trYY)}`);
  indexSet("zhouLiangLoss", "S", S, spectrum.lambdas.length);
  let sel = 0;
  for (const i of S) {
    if (!Number.isInteger(i) || i < 1 || i > spectrum.lambdas.length) throw new DomainError("zhouLiangLoss", `S must contain integers in 1..${spectrum.lambdas.length}; got ${describe(i)}`);
    sel += spectrum.lambdas[i - 1];
  }
  return 0.5 * (spectrum.trYY - sel);
}

/**
 * B3: a critical point is a global minimiser iff its selection is greedy from the top, i.e. (ties allowed)
 * `sum_{i in S} lambda_i = sum_{j <= min(d1, d2)} lambda_j` (docs/theory.md#b3; Eckart–Young in whitened coordinates).
 * @param tol - relative tolerance on the sums (default 1e-10).
 * @throws DomainError for bad `d1`, or `|S| > min(d1, d2)`.
 */
export function isGlobalSelection(lambdas: readonly number[], S: readonly number[], d1: number, tol = 1e-10): boolean {
  const fn = "isGlobalSelection";
  if (!Number.isInteger(d1) || d1 < 1) throw new DomainError(fn, `d1 must be a positive integer; got ${describe(d1)}`);
  finiteArray(fn, "lambdas", lambdas);
  indexSet(fn, "S", S, lambdas.length);
  tolArg(fn, "tol", tol);
  const s = Math.min(d1, lambdas.length);
  if (S.length > s) throw new DomainError(fn, `|S| must be <= min(d1, d2) = ${s}; got ${S.length}`);
  let top = 0;
  for (let j = 0; j < s; j++) top += lambdas[j];
  let sel = 0;
  for (const i of S) sel += lambdas[i - 1];
  return sel >= top - tol * Math.max(1, lambdas[0] ?? 0);
}

/**
 * Observed negative-eigenvalue count of the parameter Hessian at a balanced critical point (docs/theory.md#b4, an
 * **observed pattern [N]** for `X = I` with distinct eigenvalues, not a claim of the paper):
 * `n_- = #{(i in S, j not in S): lambda_j > lambda_i} + (d1 - |S|) · #{j not in S : lambda_j > 0}`.
 * B4 (every non-global critical point is a saddle) is consistent with `n_- > 0` iff the selection is not greedy.
 * @throws DomainError for non-finite `lambdas`, indices outside `1..lambdas.length`, `d1 < max(1, |S|)` or a bad `tol`.
 */
export function observedNegativeCount(lambdas: readonly number[], S: readonly number[], d1: number, tol = 0): number {
  const fn = "observedNegativeCount";
  finiteArray(fn, "lambdas", lambdas);
  indexSet(fn, "S", S, lambdas.length);
  intArg(fn, "d1", d1, Math.max(1, S.length));
  tolArg(fn, "tol", tol);
  const inS = new Set(S);
  let positiveUnselected = 0;
  lambdas.forEach((l, k) => {
    if (!inS.has(k + 1) && l > tol) positiveUnselected++;
  });
  return inversionIndex(S, lambdas, tol) + (d1 - S.length) * positiveUnselected;
}

/** One critical family of the one-hidden-layer problem (B1–B4). */
export interface ZhouLiangFamily {
  /** Selected eigen-indices (1-based), `|S| <= min(d1, d2)`, `S ⊆ {1..rank Sigma}`. */
  readonly S: number[];
  /** B2 loss `½ (tr YY^T - sum_S lambda)`. */
  readonly loss: number;
  /** B3: greedy from the top. */
  readonly global: boolean;
  /** B4: `"global minimum"` or `"saddle"` (every non-global critical point is a saddle). */
  readonly type: "global minimum" | "saddle";
  /** {@link observedNegativeCount} (observed pattern, X = I distinct case). */
  readonly observedNegative: number;
  /** Zhou–Liang point with `C = I`, `L1 = 0`: `A2 = U V`, `A1 = V^T U^T Y X^+`. */
  readonly zl: { A1: Matrix; A2: Matrix };
  /** Balanced representative `[A1, A2]` (as {@link balancedPoint} with widths `(d0, d1, d2)`). */
  readonly balanced: Matrix[];
}

/**
 * All critical families of the one-hidden-layer square loss (B1–B4): one per selection `S ⊆ {1..rank Sigma}`,
 * `|S| <= min(d1, d2)` (selections of zero eigenvalues change nothing and are not listed). Worked example
 * (docs/theory.md#b4): `X = I3`, `Y = diag(3,2,1)`, `d1 = 2` gives 7 families with losses 7, 2.5, 5, 6.5, 0.5 (global), 2, 4.5.
 * @throws DomainError for bad d1; ShapeError for mismatched X, Y; DegenerateError with `strict` on ties / rank-deficient X.
 */
export function zhouLiangFamilies(X: MatrixLike, Y: MatrixLike, d1: number, options: Pick<CriticalImagesOptions, "strict" | "gapTol"> = {}): { spectrum: ZhouLiangSpectrum; families: ZhouLiangFamily[]; count: number } {
  const fn = "zhouLiangFamilies";
  checkOptions(fn, options, ["strict", "gapTol"]);
  if (!Number.isInteger(d1) || d1 < 1) throw new DomainError(fn, `d1 must be a positive integer; got ${describe(d1)}`);
  const d = checkXY(fn, X, Y);
  const spectrum = zhouLiangSpectrum(d.X, d.Y, options);
  const d0 = d.X.rows;
  const d2 = d.Y.rows;
  const m = spectrum.rankSigma;
  const problem = dataProblem(d.X, d.Y);
  const families: ZhouLiangFamily[] = [];
  let count = 0;
  for (let k = 0; k <= Math.min(d1, d2, m); k++) {
    count += binomial(m, k);
    for (const S of subsets(m, k)) {
      const pt = zhouLiangPoint(d.X, d.Y, { S, d1, U: spectrum.U });
      const global = isGlobalSelection(spectrum.lambdas, S, d1);
      families.push({
        S,
        loss: zhouLiangLoss(spectrum, S),
        global,
        type: global ? "global minimum" : "saddle",
        observedNegative: observedNegativeCount(spectrum.lambdas, S, d1, 1e-12 * Math.max(1, spectrum.lambdas[0] ?? 0)),
        zl: { A1: pt.A1, A2: pt.A2 },
        balanced: balancedPoint(problem, [d0, d1, d2], S),
      });
    }
  }
  return { spectrum, families, count };
}

/** Result of {@link projectorForm}. */
export interface ProjectorFormReport {
  /** Orthogonal projector onto `col(W X)` (`d_h × d_h`). */
  readonly P: Matrix;
  /** `rank(W X)` at the relative threshold used. */
  readonly rank: number;
  /** `||W X - P Y X^+ X||_F`: zero at every critical point (B5). */
  readonly residual: number;
  /** `||P Sigma - Sigma P||_F`: zero iff P projects onto a sum of eigenvectors of Sigma. */
  readonly commutator: number;
  /** Eigenvalues of Sigma selected by P (eigenvalues of `P Sigma P` on `col(P)`, descending). */
  readonly selected: number[];
  /** `½ ||W X - Y||^2`. */
  readonly loss: number;
  /** B2/B6 prediction `½ (tr YY^T - tr(P Sigma))`. */
  readonly predictedLoss: number;
  /** `residual <= tol * scale` and `commutator <= tol * scale`, `scale = max(1, ||Y||^2)`. */
  readonly holds: boolean;
  /** Tolerance used for `holds`. */
  readonly tol: number;
}

/**
 * B5 (deep linear networks, docs/theory.md#b5): at every critical point the end-to-end map satisfies `W X = P Y X^+ X`
 * with `P` an orthogonal projector onto a span of eigenvectors of `Sigma = Y X^+ X Y^T`. Takes `P` as the
 * projector onto `col(W X)` and reports the residual, the commutator `[P, Sigma]` and the loss check.
 * @param W - `d_h × d_0` end-to-end matrix (`mu(theta)`).
 * @param options.rankTol - relative threshold for `rank(W X)` (default 1e-9; use ~1e-6 after gradient descent).
 * @param options.tol - relative tolerance for `holds` (default 1e-8).
 * @throws ShapeError for mismatched shapes; DomainError for non-finite entries or bad tolerances.
 */
export function projectorForm(X: MatrixLike, Y: MatrixLike, W: MatrixLike, options: { rankTol?: number; tol?: number } = {}): ProjectorFormReport {
  const fn = "projectorForm";
  checkOptions(fn, options, ["rankTol", "tol"]);
  const d = checkXY(fn, X, Y);
  const Wm = toMatrix(fn, "W", W);
  if (Wm.rows !== d.Y.rows || Wm.columns !== d.X.rows) throw new ShapeError(fn, `W must be ${d.Y.rows}×${d.X.rows} (d_h×d_0); got ${shapeOf(Wm)}`);
  for (const [name, v] of [["options.rankTol", options.rankTol], ["options.tol", options.tol]] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new DomainError(fn, `${name} must be a finite number >= 0; got ${describe(v)}`);
  }
  const rankTol = options.rankTol ?? 1e-9;
  const tol = options.tol ?? 1e-8;
  const Xp = pinv(d.X);
  const Yt = mmulChain([d.Y, Xp, d.X]);
  const Sigma = mmul(Yt, transpose(Yt));
  const WX = mmul(Wm, d.X);
  const s = svd(WX).s;
  const Q = colSpace(WX, rankTol * Math.max(s[0] ?? 0, Number.MIN_VALUE));
  const P = mmul(Q, transpose(Q));
  const residual = frobNorm(sub(WX, mmul(P, Yt), fn));
  const commutator = frobNorm(sub(mmul(P, Sigma), mmul(Sigma, P), fn));
  const small = mmulChain([transpose(Q), Sigma, Q]);
  const selected = Q.columns > 0 ? symEig(small, 1e-6).values : [];
  let trYY = 0;
  for (let i = 0; i < d.Y.rows; i++) for (let j = 0; j < d.Y.columns; j++) trYY += d.Y.get(i, j) ** 2;
  let trPS = 0;
  for (const v of selected) trPS += v;
  const loss = 0.5 * frobNorm(sub(WX, d.Y, fn)) ** 2;
  const scale = Math.max(1, trYY);
  return { P, rank: Q.columns, residual, commutator, selected, loss, predictedLoss: 0.5 * (trYY - trPS), holds: residual <= tol * scale && commutator <= tol * scale, tol };
}

