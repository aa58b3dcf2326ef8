/**
 * The landscape `L = l ∘ mu` of a loss `l` on matrix space composed with a network map `mu` (D1, P1):
 * value, gradient by the chain rule, Hessian-vector products and the exact dense Hessian, on lists of
 * matrices and on flat vectors (for optimisers).
 *
 * Chain rule (docs/theory.md notation): `grad L(theta) = dmu(theta)^T [grad l(mu(theta))]`, for deep linear
 * networks `dL/dW_i = W_{>i}^T G W_{<i}^T`; and
 * `Hess L(theta)[V] = dmu(theta)^T [Hess l(mu theta)[dmu(theta)[V]]] + (d/dt dmu(theta + tV)^T)[grad l]`
 * (Gauss–Newton part plus the part from `grad l`).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, OverflowError, ShapeError, describe } from "../core/errors";
import { assertBlocks, BlocksLike, toBlocks, blockSize, packBlocks, unpackBlocks } from "../core/blocks";
import { add, isMatrix, rowMajorMatrix } from "../core/matrix";
import { wrapRows } from "../core/wrapRows";
import { checkOptions, checkWork, WORK_LIMITS } from "../core/options";
import { gemmStrided } from "../core/dense";
import { firstNonFinite } from "../core/finiteScan";
import { JUPYTER_DISPLAY } from "../display/mime";
import { MatrixLoss } from "../losses/base";
import type { Loss } from "../losses/loss";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { deepLinearHessianFactored, deepLinearHessianParts, deepLinearHessianVector, flatMatrix, lossHessianMatrix, matrixOfFlat } from "./deepLinearHessian";
import type { HessianPart } from "./deepLinearHessian";
import type { Parameterization } from "../networks/parameterization";

/**
 * `L = l ∘ mu` for a network (any {@link Parameterization}) and a loss (any {@link Loss}): value, gradient by the
 * chain rule and Hessian `Hess L[V] = dmu^T[Hess l[dmu[V]]] + d2MuT(theta, grad l, V)` (P1), the objective of
 * D1 and T4–T6.
 *
 * Flat vectors use the pack order of `packBlocks(net.paramShapes, theta)`: block by block, row-major
 * (equal to `packTheta` for deep linear networks). No method modifies its arguments (except the `out`
 * buffers of the flat methods).
 *
 * Fast path: for a {@link DeepLinearNetwork} with a library loss (`MatrixLoss`), `valueAndGradientFlat` and
 * `gradientFlat` run on preallocated `Float64Array` workspaces with plain loops (no allocation per call for
 * the square losses); {@link Landscape.valueAndGradientFlatGeneric} is the reference path through matrices. The
 * matrix methods `value`, `gradient` and `valueAndGradient` pack their blocks into a buffer of the landscape
 * (checking them on the way), run the same workspace (same bits) and return the gradient as fresh Matrices; their
 * extra cost over the flat methods is mostly the allocation of those rows (one `Float64Array` per row).
 */
export class Landscape {
  /** The network map `mu`. */
  readonly net: Parameterization;
  /** The loss `l` on the output space of `mu`. */
  readonly loss: Loss;
  /** Number of scalar parameters `= net.paramCount`. */
  readonly dim: number;
  /** True when `valueAndGradientFlat` uses the specialised deep-linear workspace path. */
  readonly fastPath: boolean;
  private readonly fast: DeepLinearWorkspace | null;
  /** The loss's fixed Hessian right factor (`MatrixLoss.hessianRightFactor`), looked up on first use. */
  private rightFactor: Float64Array | null | undefined = undefined;

  /**
   * @param net - the network map; @param loss - a loss on matrices of shape `net.outputShape`.
   * @throws ShapeError unless `net.outputShape` equals `loss.shape`; DomainError when either is not an object
   * of the right kind.
   */
  constructor(net: Parameterization, loss: Loss) {
    if (!net || typeof net !== "object" || typeof net.mu !== "function" || !Array.isArray(net.paramShapes)) {
      throw new DomainError("landscape", `net must be a Parameterization (e.g. deepLinear(widths)); got ${describe(net)}`);
    }
    if (!loss || typeof loss !== "object" || typeof loss.value !== "function" || !Array.isArray(loss.shape)) {
      throw new DomainError("landscape", `loss must be a Loss (e.g. squareLoss(Q)); got ${describe(loss)}`);
    }
    const [m, n] = net.outputShape;
    if (loss.shape[0] !== m || loss.shape[1] !== n) {
      throw new ShapeError(
        "landscape",
        `loss.shape must equal net.outputShape ${m}×${n} (${net.description}); got ${loss.shape[0]}×${loss.shape[1]} (${loss.name})`,
      );
    }
    this.net = net;
    this.loss = loss;
    this.dim = net.paramCount;
    if (blockSize(net.paramShapes) !== this.dim) {
      throw new ShapeError("landscape", `net.paramCount must equal the total size of net.paramShapes ${blockSize(net.paramShapes)}; got ${this.dim}`);
    }
    this.fast = net instanceof DeepLinearNetwork && loss instanceof MatrixLoss ? new DeepLinearWorkspace(net.widths, loss) : null;
    this.fastPath = this.fast !== null;
  }

  /** True when the loss's Hessian action is exact (false for finite-difference custom losses). */
  get hessianExact(): boolean {
    return this.loss.hessianExact;
  }

  /**
   * `L(theta) = l(mu(theta))`.
   * @param theta - blocks of shapes `net.paramShapes`.
   * @throws ShapeError / DomainError for bad blocks; OverflowError when L overflows.
   */
  value(theta: BlocksLike): number {
    if (this.fast) {
      this.packChecked("Landscape.value", theta, false);
      const v = this.fast.valueOnly(this.xbuf as Float64Array);
      this.xbufEvaluated = true;
      finiteResult("Landscape.value", v);
      return v;
    }
    theta = toBlocks("Landscape.value", this.net.paramShapes, theta);
    return this.loss.value(this.net.mu(theta));
  }

  /**
   * `grad L(theta) = dmu(theta)^T [grad l(mu(theta))]` (P1; for deep linear nets `W_{>i}^T G W_{<i}^T`).
   * On the fast path (see the class comment) the blocks are packed into a buffer of the landscape and evaluated
   * there (the widths were validated once, by the constructor; the forward pass of a `value(theta)` at the same
   * point, bit for bit, just before is reused); {@link Landscape.valueAndGradientFlatGeneric} is the reference.
   * @returns fresh blocks of shapes `net.paramShapes` (Matrices with `Float64Array` rows, owned by the caller).
   * @throws ShapeError / DomainError for bad blocks; OverflowError when L or its gradient overflows.
   */
  gradient(theta: BlocksLike): Matrix[] {
    if (this.fast) {
      const g = this.gradBuffer();
      const reuse = this.packChecked("Landscape.gradient", theta, true);
      const v = this.fast.valueAndGradient(this.xbuf as Float64Array, g, reuse);
      this.xbufEvaluated = true;
      return this.blocksOf("Landscape.gradient", v, g);
    }
    theta = toBlocks("Landscape.gradient", this.net.paramShapes, theta);
    return this.net.dMuT(theta, this.loss.gradient(this.net.mu(theta)));
  }

  /**
   * `L(theta)` and `grad L(theta)` in one pass (P1): `{ value, gradient }`, the gradient as fresh blocks of shapes
   * `net.paramShapes` (Matrices with `Float64Array` rows, owned by the caller; on the fast path: one evaluation of
   * the flat workspace).
   * @param theta - blocks (Matrices or arrays of rows) of shapes `net.paramShapes`.
   * @throws ShapeError / DomainError for bad blocks; OverflowError when L or its gradient overflows.
   */
  valueAndGradient(theta: BlocksLike): { value: number; gradient: Matrix[] } {
    if (this.fast) {
      const g = this.gradBuffer();
      this.packChecked("Landscape.valueAndGradient", theta, false);
      const value = this.fast.valueAndGradient(this.xbuf as Float64Array, g, false);
      this.xbufEvaluated = true;
      return { value, gradient: this.blocksOf("Landscape.valueAndGradient", value, g) };
    }
    theta = toBlocks("Landscape.valueAndGradient", this.net.paramShapes, theta);
    const W = this.net.mu(theta);
    return { value: this.loss.value(W), gradient: this.net.dMuT(theta, this.loss.gradient(W)) };
  }

  /** The matrix API's packed point (fast path). */
  private xbuf: Float64Array | null = null;
  private gbuf: Float64Array | null = null;
  /**
   * True while the workspace's buffers hold the evaluation at the content of `xbuf` (set after each evaluation of the
   * matrix API, cleared by every other evaluation and by every pack).
   */
  private xbufEvaluated = false;

  /**
   * Packs the blocks row-major into the landscape's own buffer `xbuf`, checked on the way (count, shapes,
   * finiteness); anything else (arrays of rows, bad blocks) goes through `toBlocks`, which converts or raises its
   * usual error. With `compare`, returns true when the packed point equals, bit for bit (`-0` is not `0`), the point
   * the workspace evaluated last through the matrix API (so that evaluation may be reused); otherwise false.
   */
  private packChecked(fn: string, theta: BlocksLike, compare: boolean): boolean {
    const x = this.xbuf ?? (this.xbuf = new Float64Array(this.dim));
    const shapes = this.net.paramShapes;
    const nb = shapes.length;
    let same = compare && this.xbufEvaluated;
    this.xbufEvaluated = false; // until the caller has evaluated at the new content
    let ok = Array.isArray(theta) && theta.length === nb;
    let bad = 0; // NaN unless every entry is finite (u * 0 is ±0 for a finite u)
    let k = 0;
    for (let b = 0; ok && b < nb; b++) {
      const B = theta[b];
      const rows = shapes[b][0];
      const cols = shapes[b][1];
      if (B instanceof Matrix) {
        if (B.rows !== rows || B.columns !== cols) {
          ok = false;
          break;
        }
        // an ml-matrix Matrix keeps its rows as Float64Arrays in `data`: copy them directly
        const data = (B as unknown as { data: Float64Array[] }).data;
        for (let i = 0; i < rows; i++, k += cols) {
          const row = data[i];
          if (same && !sameEntries(row, x, k, cols)) same = false;
          bad += copyEntries(row, 0, x, k, cols);
        }
      } else if (isMatrix(B) && B.rows === rows && B.columns === cols) {
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++, k++) {
            const u: unknown = (B as { get(i: number, j: number): unknown }).get(i, j); // a matrix view with the same interface
            if (typeof u !== "number") {
              ok = false; // (a BigInt, a string, ...) toBlocks names the entry
              continue;
            }
            bad += u * 0;
            if (same && !sameBits(u, x[k])) same = false;
            x[k] = u;
          }
        }
      } else {
        ok = false;
        break;
      }
    }
    if (!ok || bad !== 0) {
      // arrays of rows, or bad blocks: convert and check (throws the usual typed error), then pack
      k = 0;
      for (const B of toBlocks(fn, shapes, theta)) for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.columns; j++) x[k++] = B.get(i, j);
      return false;
    }
    return same;
  }

  /**
   * Fresh blocks of shapes `net.paramShapes` holding the flat gradient `g`, after the overflow check of `value` and
   * `g` (that of `finiteResult`, done on the way). Rows of at most 8 entries get a typed array each (on V8's heap: the
   * cheapest way to make one, measured against views on one buffer, `slice` and `from`, yet still the main cost of the
   * matrix API; filled two entries per step); longer rows are views on one fresh buffer per block (an off-heap buffer
   * per row costs more than the gradient).
   */
  private blocksOf(fn: string, value: number, g: Float64Array): Matrix[] {
    if (!Number.isFinite(value)) finiteResult(fn, value);
    const shapes = this.net.paramShapes;
    const nb = shapes.length;
    const out = new Array<Matrix>(nb);
    let bad = 0; // NaN unless every entry is finite
    let k = 0;
    for (let b = 0; b < nb; b++) {
      const rows = shapes[b][0];
      const cols = shapes[b][1];
      if (cols > 8) {
        const flat = g.slice(k, k + rows * cols);
        k += rows * cols;
        if (firstNonFinite(flat) >= 0) bad = NaN;
        out[b] = rowMajorMatrix(rows, cols, flat);
        continue;
      }
      const data = new Array<Float64Array>(rows);
      for (let i = 0; i < rows; i++) {
        const row = new Float64Array(cols);
        bad += copyEntries(g, k, row, 0, cols);
        k += cols;
        data[i] = row;
      }
      out[b] = wrapRows(rows, cols, data);
    }
    if (bad !== 0) finiteResult(fn, value, g);
    return out;
  }

  private gradBuffer(): Float64Array {
    return this.gbuf ?? (this.gbuf = new Float64Array(this.dim));
  }

  /**
   * Hessian-vector product `Hess L(theta)[V] = dmu^T[Hess l[dmu[V]]] + d2muT(theta, grad l, V)`.
   * @param V - blocks of shapes `net.paramShapes`. @throws ShapeError / DomainError for bad blocks.
   */
  hessianVector(theta: BlocksLike, V: BlocksLike): Matrix[] {
    theta = toBlocks("Landscape.hessianVector", this.net.paramShapes, theta);
    V = toBlocks("Landscape.hessianVector", this.net.paramShapes, V, "V");
    return this.hvp(theta, V);
  }

  private hvp(theta: readonly Matrix[], V: readonly Matrix[]): Matrix[] {
    const W = this.net.mu(theta);
    const G = this.loss.gradient(W);
    const gn = this.net.dMuT(theta, this.loss.hessianAction(W, this.net.dMu(theta, V)));
    const second = this.net.d2MuT(theta, G, V);
    return gn.map((A, k) => add(A, second[k]));
  }

  /**
   * Exact dense Hessian of `L` at `theta` (`dim × dim`, pack order), column `k` = `Hess L[e_k]`, symmetrised
   * as `(H + H^T)/2` (the asymmetry before symmetrising is rounding only; P1, T5 inertia, A2).
   * For a {@link DeepLinearNetwork} it is assembled in closed form: when the loss Hessian acts row by row
   * (`(Hess l[D])_p = D_p S_p`: a fixed right factor `Hess l[D] = D S` for the square losses,
   * `MatrixLoss.hessianRightFactor`; per-row factors from `d_0` Hessian actions for entrywise losses, losses of
   * `W X` and one output row, `MatrixLoss.hessianRowSeparable`) block by block from small factors
   * (`deepLinearHessianFactored`: exactly symmetric, equal to the unfactored form up to rounding, `1e-13 max|H|` in
   * the tests, bit for bit for `||W - Q||^2` at depth <= 2); under other losses (softmax cross-entropy, custom) as
   * `J^T Hl J` plus the blocks from `grad l`
   * (see `deepLinearHessianParts`; `Hl` from `d_h d_0` Hessian actions of the loss); otherwise, and in
   * {@link Landscape.hessianGeneric}, column by column from Hessian-vector products (also for a deep linear network
   * whose `mn × mn` loss Hessian would not fit the limit).
   * Exact unless the loss's Hessian action is by finite differences (`hessianExact` false).
   * @param options - `maxEntries`: the dense-size limit (see {@link DenseOptions}).
   * @throws ShapeError / DomainError for bad blocks; ResourceError when `dim^2` exceeds `options.maxEntries`.
   */
  hessian(theta: BlocksLike, options: DenseOptions = {}): Matrix {
    theta = toBlocks("Landscape.hessian", this.net.paramShapes, theta);
    const closedForm = this.checkDense("Landscape.hessian", options, 1);
    const factored = this.factoredParts(theta, ["hessian"], options);
    if (factored) return factored[0];
    if (closedForm && this.net instanceof DeepLinearNetwork) {
      const { gaussNewton, curvature } = this.deepLinearParts(this.net, theta);
      for (let k = 0; k < gaussNewton.length; k++) gaussNewton[k] += curvature[k];
      return symmetricOfFlat(gaussNewton, this.dim);
    }
    return this.genericHessian(theta);
  }

  /**
   * Reference dense Hessian (the generic path for every parameterisation): column `k` = `Hess L[e_k]` by
   * `dMu`, `dMuT`, `d2MuT`, symmetrised. Equal to {@link Landscape.hessian} up to rounding.
   * @throws ShapeError / DomainError for bad blocks; ResourceError above `options.maxEntries` (see {@link DenseOptions}).
   */
  hessianGeneric(theta: BlocksLike, options: DenseOptions = {}): Matrix {
    theta = toBlocks("Landscape.hessianGeneric", this.net.paramShapes, theta);
    this.checkDense("Landscape.hessianGeneric", options, 1);
    return this.genericHessian(theta);
  }

  private genericHessian(theta: readonly Matrix[]): Matrix {
    const H = new Matrix(this.dim, this.dim);
    this.hessianColumns(theta, (row, k, gn, cu) => H.set(row, k, gn + cu));
    symmetrise(H);
    return H;
  }

  /**
   * The two parts of the dense Hessian (`dim × dim`, pack order, each symmetrised):
   * `gaussNewton = J^T Hess l J` (column k: `dmu^T[Hess l[dmu[e_k]]]`, positive semidefinite for convex `l`)
   * and `curvature` (column k: `d2muT(theta, grad l, e_k)`, the part that vanishes where `grad l = 0`);
   * `hessian = gaussNewton + curvature` (P1, D1, T5). Closed form for a {@link DeepLinearNetwork} (as in
   * {@link Landscape.hessian}); {@link Landscape.hessianPartsGeneric} is the per-column reference.
   * @throws ShapeError / DomainError for bad blocks; ResourceError above `options.maxEntries`.
   */
  hessianParts(theta: BlocksLike, options: DenseOptions = {}): { gaussNewton: Matrix; curvature: Matrix } {
    theta = toBlocks("Landscape.hessianParts", this.net.paramShapes, theta);
    const closedForm = this.checkDense("Landscape.hessianParts", options, 2);
    const factored = this.factoredParts(theta, ["gaussNewton", "curvature"], options);
    if (factored) return { gaussNewton: factored[0], curvature: factored[1] };
    if (closedForm && this.net instanceof DeepLinearNetwork) {
      const { gaussNewton, curvature } = this.deepLinearParts(this.net, theta);
      return { gaussNewton: symmetricOfFlat(gaussNewton, this.dim), curvature: symmetricOfFlat(curvature, this.dim) };
    }
    return this.genericHessianParts(theta);
  }

  /**
   * Reference for {@link Landscape.hessianParts} through the {@link Parameterization} interface (per column).
   * @throws ShapeError / DomainError for bad blocks; ResourceError above `options.maxEntries`.
   */
  hessianPartsGeneric(theta: BlocksLike, options: DenseOptions = {}): { gaussNewton: Matrix; curvature: Matrix } {
    theta = toBlocks("Landscape.hessianPartsGeneric", this.net.paramShapes, theta);
    this.checkDense("Landscape.hessianPartsGeneric", options, 2);
    return this.genericHessianParts(theta);
  }

  private genericHessianParts(theta: readonly Matrix[]): { gaussNewton: Matrix; curvature: Matrix } {
    const GN = new Matrix(this.dim, this.dim);
    const CU = new Matrix(this.dim, this.dim);
    this.hessianColumns(theta, (row, k, gn, cu) => {
      GN.set(row, k, gn);
      CU.set(row, k, cu);
    });
    symmetrise(GN);
    symmetrise(CU);
    return { gaussNewton: GN, curvature: CU };
  }

  /**
   * The factored closed form (`deepLinearHessianFactored`) of the requested parts at checked blocks `theta`, each
   * a fresh symmetric `dim × dim` Matrix on one row-major buffer; `null` unless the network is a
   * {@link DeepLinearNetwork} and the loss Hessian acts row by row: one fixed right factor (`Hess l[D] = D S`,
   * the square losses, `MatrixLoss.hessianRightFactor`), or per-row factors `S_p` read off `n` Hessian actions
   * (`MatrixLoss.hessianRowSeparable`, or any loss with one output row) when the `d_h n^2` entries fit the limit.
   */
  private factoredParts(theta: readonly Matrix[], parts: readonly HessianPart[], options: DenseOptions): Matrix[] | null {
    const net = this.net;
    if (!(net instanceof DeepLinearNetwork)) return null;
    if (this.rightFactor === undefined) this.rightFactor = this.loss instanceof MatrixLoss ? this.loss.hessianRightFactor() : null;
    const [m, n] = this.loss.shape;
    const rowSeparable = m === 1 || (this.loss instanceof MatrixLoss && this.loss.hessianRowSeparable);
    const limit = options.maxEntries ?? WORK_LIMITS.denseEntries;
    if (this.rightFactor === null && !(rowSeparable && parts.length * this.dim * this.dim + m * n * n <= limit)) return null;
    const x = packBlocks(net.paramShapes, theta, "Landscape.hessian");
    const W = net.mu(theta);
    const G = flatMatrix(this.loss.gradient(W));
    const S = this.rightFactor ?? this.rowFactors(W);
    const P = this.dim;
    return parts.map((part) => rowMajorMatrix(P, P, deepLinearHessianFactored(net.widths, x, S, G, new Float64Array(P * P), part)));
  }

  /**
   * The per-row factors of a row-separable loss Hessian at `W` (`m` blocks of `n × n`, symmetrised): row `p` of
   * `Hess l(W)[E_q]`, with `E_q` the matrix of ones in column `q`, is row `q` of `S_p` (`n` Hessian actions).
   */
  private rowFactors(W: Matrix): Float64Array {
    const [m, n] = this.loss.shape;
    const S = new Float64Array(m * n * n);
    const E = new Matrix(m, n);
    for (let q = 0; q < n; q++) {
      for (let p = 0; p < m; p++) E.set(p, q, 1);
      const R = this.loss.hessianAction(W, E);
      for (let p = 0; p < m; p++) E.set(p, q, 0);
      for (let p = 0; p < m; p++) for (let c = 0; c < n; c++) S[p * n * n + q * n + c] = R.get(p, c);
    }
    for (let p = 0; p < m; p++) {
      const o = p * n * n;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const v = 0.5 * (S[o + i * n + j] + S[o + j * n + i]);
          S[o + i * n + j] = v;
          S[o + j * n + i] = v;
        }
      }
    }
    return S;
  }

  /** Closed-form Hessian parts of a deep linear network at checked blocks `theta` (flat, not symmetrised). */
  private deepLinearParts(net: DeepLinearNetwork, theta: readonly Matrix[]): { gaussNewton: Float64Array; curvature: Float64Array } {
    const x = packBlocks(this.net.paramShapes, theta, "Landscape.hessian");
    const W = net.mu(theta);
    const G = flatMatrix(this.loss.gradient(W));
    return deepLinearHessianParts(net.widths, x, lossHessianMatrix(this.loss, W), G);
  }

  /**
   * The columns of the two Hessian parts at `theta` (unchecked): for `k = 0..dim-1`, `V = e_k` unpacked,
   * `put(row, k, dmu^T[Hess l[dmu[V]]]_row, d2muT(theta, grad l, V)_row)` for every entry, rows in pack order.
   */
  private hessianColumns(theta: readonly Matrix[], put: (row: number, k: number, gaussNewton: number, curvature: number) => void): void {
    const n = this.dim;
    const e = new Float64Array(n);
    const W = this.net.mu(theta);
    const G = this.loss.gradient(W);
    for (let k = 0; k < n; k++) {
      e.fill(0);
      e[k] = 1;
      const V = unpackBlocks(this.net.paramShapes, e);
      const gn = this.net.dMuT(theta, this.loss.hessianAction(W, this.net.dMu(theta, V)));
      const second = this.net.d2MuT(theta, G, V);
      let row = 0;
      for (let b = 0; b < gn.length; b++) {
        for (let i = 0; i < gn[b].rows; i++) for (let j = 0; j < gn[b].columns; j++) put(row++, k, gn[b].get(i, j), second[b].get(i, j));
      }
    }
  }

  /**
   * Refuses a dense Hessian above `options.maxEntries` (default `WORK_LIMITS.denseEntries`) before allocating; returns
   * whether the closed-form deep-linear path also fits (it needs the `mn × mn` matrix of `Hess l` besides).
   */
  private checkDense(fn: string, options: DenseOptions, count: number): boolean {
    const o = checkOptions(fn, options, ["maxEntries"]);
    const limit = o.maxEntries ?? WORK_LIMITS.denseEntries;
    const [m, n] = this.net.outputShape;
    const entries = count * this.dim * this.dim;
    checkWork(fn, `a dense ${this.dim}×${this.dim} Hessian${count > 1 ? " (two parts)" : ""}`, entries, limit,
      "Hessian-vector products (L.hessianVectorFlat) or Lanczos (hessianExtremes, hessianNegativeCount)", "options.maxEntries");
    return this.net instanceof DeepLinearNetwork && entries + (m * n) ** 2 <= limit;
  }

  /**
   * Packs blocks into a flat vector (block by block, row-major).
   * @throws ShapeError / DomainError for bad blocks.
   */
  pack(theta: BlocksLike): Float64Array {
    return packBlocks(this.net.paramShapes, toBlocks("Landscape.pack", this.net.paramShapes, theta), "Landscape.pack");
  }

  /**
   * Inverse of {@link Landscape.pack}.
   * @throws ShapeError for a wrong length; DomainError for non-finite entries.
   */
  unpack(x: ArrayLike<number>): Matrix[] {
    return unpackBlocks(this.net.paramShapes, x, "Landscape.unpack");
  }

  /**
   * `L(x)` on a flat vector of length `dim`.
   * @throws ShapeError / DomainError for a bad `x`; OverflowError when L(x) overflows.
   */
  valueFlat(x: Float64Array): number {
    this.checkFlat("Landscape.valueFlat", x, "x");
    this.xbufEvaluated = false; // the workspace's buffers are about to hold another point
    const v = this.fast ? this.fast.valueOnly(x) : this.value(this.unpack(x));
    finiteResult("Landscape.valueFlat", v);
    return v;
  }

  /**
   * `grad L(x)` on a flat vector, written into `out` (allocated when omitted) and returned.
   * @throws ShapeError for wrong lengths; DomainError for non-finite entries; OverflowError when L or its gradient overflows (out may alias x).
   */
  gradientFlat(x: Float64Array, out?: Float64Array): Float64Array {
    const g = out ?? new Float64Array(this.dim);
    this.vg("Landscape.gradientFlat", x, g);
    return g;
  }

  /**
   * Value and gradient in one pass: returns `L(x)` and writes `grad L(x)` into `out` (length `dim`). The
   * optimiser hot path; allocation-free for deep linear networks with the square losses.
   * @throws ShapeError for wrong lengths; DomainError for non-finite entries of `x`; OverflowError on overflow.
   */
  valueAndGradientFlat(x: Float64Array, out: Float64Array): number {
    return this.vg("Landscape.valueAndGradientFlat", x, out);
  }

  private vg(fn: string, x: Float64Array, out: Float64Array): number {
    this.checkFlat(fn, x, "x");
    this.checkOut(fn, out);
    const xs = aliases(out, x) ? Float64Array.from(x) : x; // out may be x itself: read from a copy
    this.xbufEvaluated = false; // the workspace's buffers are about to hold another point
    const v = this.fast ? this.fast.valueAndGradient(xs, out, false) : this.genericValueAndGradient(xs, out);
    finiteResult(fn, v, out);
    return v;
  }

  /**
   * Reference implementation of {@link Landscape.valueAndGradientFlat} through matrices and the
   * {@link Parameterization} interface (used to test the fast path).
   * @throws ShapeError for wrong lengths; DomainError for non-finite entries.
   */
  valueAndGradientFlatGeneric(x: Float64Array, out: Float64Array): number {
    this.checkFlat("Landscape.valueAndGradientFlatGeneric", x, "x");
    this.checkOut("Landscape.valueAndGradientFlatGeneric", out);
    return this.genericValueAndGradient(x, out);
  }

  private genericValueAndGradient(x: Float64Array, out: Float64Array): number {
    const theta = this.unpack(x);
    const W = this.net.mu(theta);
    const grad = this.net.dMuT(theta, this.loss.gradient(W));
    let k = 0;
    for (const B of grad) for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.columns; j++) out[k++] = B.get(i, j);
    return this.loss.value(W);
  }

  /**
   * Hessian-vector product on flat vectors, written into `out` (allocated when omitted). For a
   * {@link DeepLinearNetwork} by forward-mode recursions on the partial products (`O(h)` small products, see
   * `deepLinearHessianVector`); otherwise, and in {@link Landscape.hessianVectorFlatGeneric}, through
   * `dMu`, `dMuT`, `d2MuT`.
   * @throws ShapeError for wrong lengths; DomainError for non-finite entries.
   */
  hessianVectorFlat(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array {
    const fn = "Landscape.hessianVectorFlat";
    this.checkFlat(fn, x, "x");
    this.checkFlat(fn, v, "v");
    const o = out ?? new Float64Array(this.dim);
    this.checkOut(fn, o);
    if (this.net instanceof DeepLinearNetwork) {
      const d = this.net.widths;
      const [m, n] = this.net.outputShape;
      // fresh copies when out aliases x or v (the recursion writes out while it reads them)
      const xs = x instanceof Float64Array && !aliases(o, x) ? x : Float64Array.from(x);
      const vs = v instanceof Float64Array && !aliases(o, v) ? v : Float64Array.from(v);
      const theta = this.unpack(xs);
      const W = this.net.mu(theta);
      const G = flatMatrix(this.loss.gradient(W));
      const loss = this.loss;
      deepLinearHessianVector(d, xs, vs, G, (D) => flatMatrix(loss.hessianAction(W, matrixOfFlat(D, m, n))), o);
      finiteResult(fn, 0, o);
      return o;
    }
    return this.genericHessianVectorFlat(aliases(o, x) ? Float64Array.from(x) : x, aliases(o, v) ? Float64Array.from(v) : v, o);
  }

  /**
   * Reference for {@link Landscape.hessianVectorFlat} through the {@link Parameterization} interface.
   * @throws ShapeError for wrong lengths; DomainError for non-finite entries.
   */
  hessianVectorFlatGeneric(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array {
    const fn = "Landscape.hessianVectorFlatGeneric";
    this.checkFlat(fn, x, "x");
    this.checkFlat(fn, v, "v");
    const o = out ?? new Float64Array(this.dim);
    this.checkOut(fn, o);
    return this.genericHessianVectorFlat(x, v, o);
  }

  private genericHessianVectorFlat(x: Float64Array, v: Float64Array, o: Float64Array): Float64Array {
    const res = this.hvp(this.unpack(x), this.unpack(v));
    let k = 0;
    for (const B of res) for (let i = 0; i < B.rows; i++) for (let j = 0; j < B.columns; j++) o[k++] = B.get(i, j);
    return o;
  }

  /** Rich display: the network and the loss (markdown + plain text). */
  [JUPYTER_DISPLAY](): Record<string, string> {
    const text = `L = l ∘ mu: ${this.loss.name} ∘ ${this.net.description}, ${this.dim} parameters`;
    return {
      "text/markdown": `**Landscape** $L = \\ell \\circ \\mu$: ${this.loss.name} ∘ ${this.net.description}; ${this.dim} parameters`,
      "text/plain": text,
    };
  }

  private checkFlat(fn: string, x: unknown, name: string): void {
    if (!(x instanceof Float64Array) && !Array.isArray(x)) throw new ShapeError(fn, `${name} must be a Float64Array of length ${this.dim}; got ${describe(x)}`);
    const a = x as ArrayLike<number>;
    if (a.length !== this.dim) throw new ShapeError(fn, `${name} must have length ${this.dim} (paramCount of ${this.net.description}); got ${a.length}`);
    let bad = -1;
    if (x instanceof Float64Array) bad = firstNonFinite(x);
    else for (let k = 0; k < a.length && bad < 0; k++) if (a[k] - a[k] !== 0) bad = k;
    if (bad >= 0) throw new DomainError(fn, `${name} must have finite entries; got ${describe(a[bad])} at index ${bad}`);
  }

  private checkOut(fn: string, out: unknown): void {
    if (!(out instanceof Float64Array)) throw new ShapeError(fn, `out must be a Float64Array of length ${this.dim}; got ${describe(out)}`);
    if (out.length !== this.dim) throw new ShapeError(fn, `out must have length ${this.dim}; got ${out.length}`);
  }
}

/** Options of the dense Hessians ({@link Landscape.hessian} and friends). */
export interface DenseOptions {
  /**
   * Largest number of dense entries (8 bytes each) allowed before allocating; default `WORK_LIMITS.denseEntries`
   * (2e7, 160 MB). Above it the call throws `ResourceError` naming Hessian-vector products and Lanczos.
   */
  maxEntries?: number;
}

/** True when the typed array `out` shares memory with `a` (so writing `out` would change `a` while it is read). */
function aliases(out: Float64Array, a: unknown): boolean {
  if (!(a instanceof Float64Array)) return false;
  if (out.buffer !== a.buffer) return false;
  const o0 = out.byteOffset;
  const a0 = a.byteOffset;
  return o0 < a0 + a.byteLength && a0 < o0 + out.byteLength;
}

/** True when the finite numbers `a` and `b` have the same bits (equal, and a zero of the same sign). */
function sameBits(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}

/** True when `a[0..n)` equals `b[bOff..bOff+n)` bit for bit (finite entries). */
function sameEntries(a: ArrayLike<number>, b: Float64Array, bOff: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (!sameBits(a[j], b[bOff + j])) return false;
  return true;
}

/**
 * Copies `src[sOff..sOff+n)` into `dst[dOff..)`, two entries per step (a loop over a short row costs mostly its
 * overhead), and returns the sum of `entry * 0`: `±0` when every entry is finite, NaN otherwise.
 */
function copyEntries(src: ArrayLike<number>, sOff: number, dst: Float64Array, dOff: number, n: number): number {
  let bad = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const u = src[sOff + j];
    const v = src[sOff + j + 1];
    bad += u * 0 + v * 0;
    dst[dOff + j] = u;
    dst[dOff + j + 1] = v;
  }
  if (j < n) {
    const u = src[sOff + j];
    bad += u * 0;
    dst[dOff + j] = u;
  }
  return bad;
}

/** Refuses a non-finite value or gradient computed from a finite point (overflow). */
function finiteResult(fn: string, value: number, g?: Float64Array): void {
  const ok = Number.isFinite(value) && (g === undefined || firstNonFinite(g) < 0);
  if (!ok) throw new OverflowError(fn, `L and its derivatives must be finite; got a non-finite ${Number.isFinite(value) ? "derivative" : `value ${describe(value)}`} at a finite point (overflow: the parameters are too large; rescale them)`);
}

/** `(H + H^T)/2` as a Matrix whose rows are views on `H` (symmetrised in place), from a row-major `n × n` array. */
function symmetricOfFlat(H: Float64Array, n: number): Matrix {
  // (H + H^T)/2 in place (each pair once, so the same operations as entry by entry), then rows as views
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (H[i * n + j] + H[j * n + i]);
      H[i * n + j] = s;
      H[j * n + i] = s;
    }
  }
  return rowMajorMatrix(n, n, H);
}

function symmetrise(H: Matrix): void {
  for (let i = 0; i < H.rows; i++) {
    for (let j = i + 1; j < H.columns; j++) {
      const s = 0.5 * (H.get(i, j) + H.get(j, i));
      H.set(i, j, s);
      H.set(j, i, s);
    }
  }
}

/**
 * Preallocated workspace for a deep linear network with a library loss: forward products
 * `F_k = W_k ... W_1` (`d_k × d_0`), `G = grad l(F_h)`, backward `B_k = W_{>k}^T G` (`d_k × d_0`), and
 * `dL/dW_k = B_k F_{k-1}^T` (`F_0 = I`). Plain loops on row-major `Float64Array`s.
 */
class DeepLinearWorkspace {
  private readonly d: number[];
  private readonly off: number[];
  private readonly F: Float64Array[];
  private readonly G: Float64Array;
  private readonly Ba: Float64Array;
  private readonly Bb: Float64Array;
  private readonly loss: MatrixLoss;
  /** `l` at the point of the last evaluation (the buffers' point). */
  private lastValue = 0;

  constructor(widths: readonly number[], loss: MatrixLoss) {
    this.d = widths.slice();
    this.loss = loss;
    const h = widths.length - 1;
    this.off = [0];
    for (let k = 1; k <= h; k++) this.off.push(this.off[k - 1] + widths[k] * widths[k - 1]);
    this.F = [new Float64Array(0)];
    for (let k = 1; k <= h; k++) this.F.push(new Float64Array(widths[k] * widths[0]));
    this.G = new Float64Array(widths[h] * widths[0]);
    const maxW = Math.max(...widths);
    this.Ba = new Float64Array(maxW * widths[0]);
    this.Bb = new Float64Array(maxW * widths[0]);
  }

  private forward(x: Float64Array): Float64Array {
    const d = this.d;
    const h = d.length - 1;
    const n0 = d[0];
    const F1 = this.F[1];
    const o1 = this.off[0];
    F1.set(x.subarray(o1, o1 + F1.length)); // a copy (memcpy), far cheaper than an entry loop
    for (let l = 2; l <= h; l++) {
      const Fp = this.F[l - 1];
      const Fl = this.F[l];
      const o = this.off[l - 1];
      const rows = d[l];
      const inner = d[l - 1];
      // F_l = W_l F_{l-1} (register-blocked; each entry summed in increasing k, as the plain loop)
      gemmStrided(rows, n0, inner, x, o, inner, 1, Fp, 0, n0, 1, Fl, 0, n0);
    }
    return this.F[h];
  }

  /**
   * Forward products and `l`, `G = grad l` at `x`; with `reuse`, the ones already in the buffers (the caller vouches
   * that they were computed at `x`: the matrix API's `value(theta)` then `gradient(theta)` runs the forward pass once).
   */
  private forwardAndLoss(x: Float64Array, reuse: boolean): number {
    if (reuse) return this.lastValue;
    const value = this.loss.valueAndGradientRaw(this.forward(x), this.G);
    this.lastValue = value;
    return value;
  }

  valueOnly(x: Float64Array): number {
    return this.forwardAndLoss(x, false);
  }

  valueAndGradient(x: Float64Array, out: Float64Array, reuse: boolean): number {
    const d = this.d;
    const h = d.length - 1;
    const n0 = d[0];
    const value = this.forwardAndLoss(x, reuse);
    let B = this.G; // B_h = G, d_h × d_0
    let spare = this.Ba;
    for (let l = h; l >= 1; l--) {
      const rows = d[l];
      const cols = d[l - 1];
      const o = this.off[l - 1];
      if (l === 1) {
        out.set(B.length === rows * n0 ? B : B.subarray(0, rows * n0), o);
      } else {
        const Fp = this.F[l - 1]; // d_{l-1} × d_0
        // dL/dW_l = B_l F_{l-1}^T (sum over t in increasing order)
        gemmStrided(rows, cols, n0, B, 0, n0, 1, Fp, 0, 1, n0, out, o, cols);
        // B_{l-1} = W_l^T B_l  (d_{l-1} × d_0; sum over k in increasing order)
        gemmStrided(cols, n0, rows, x, o, 1, cols, B, 0, n0, 1, spare, 0, n0);
        const tmp = B === this.G ? this.Bb : B;
        B = spare;
        spare = tmp;
      }
    }
    return value;
  }
}

/**
 * `L = l ∘ mu` (D1). See {@link Landscape}.
 * @throws ShapeError unless `net.outputShape` equals `loss.shape`.
 */
export function landscape(net: Parameterization, loss: Loss): Landscape {
  return new Landscape(net, loss);
}
