/**
 * Rich display of ml-matrix matrices.
 *
 * On import, the library installs one method on `AbstractMatrix.prototype` (so `Matrix` and every ml-matrix
 * view get it) under the symbol key `Symbol.for("Jupyter.display")`: a symbol, not a string name, so it cannot
 * collide with ml-matrix's own methods, is not enumerable and does not change how matrices print in Node.
 * Installing is idempotent and never overwrites a method someone else installed.
 * @module
 */
import { AbstractMatrix } from "ml-matrix";
import { latexMatrix, LatexMatrixOptions, MatrixInput, plainMatrix } from "./markdown";
import { JUPYTER_DISPLAY, MimeBundle } from "./mime";

/**
 * The MIME bundle of a matrix: `text/latex` (`$$\begin{bmatrix}...\end{bmatrix}$$`, 4 significant digits,
 * at most 8×8 entries shown), `text/markdown` (the same LaTeX in a `$$` block under a one-line shape caption,
 * which JupyterLab and GitHub both render) and `text/plain` (aligned columns).
 * @param M - an `m×n` ml-matrix `Matrix`/view or `number[][]`.
 * @throws ShapeError for ragged rows or a non-matrix.
 */
export function matrixBundle(M: MatrixInput, options: LatexMatrixOptions = {}): MimeBundle {
  const tex = latexMatrix(M, options);
  const rows = Array.isArray(M) ? M.length : (M as { rows: number }).rows;
  const cols = Array.isArray(M) ? (M.length ? (M[0] as ArrayLike<number>).length : 0) : (M as { columns: number }).columns;
  return {
    "text/latex": `$$${tex}$$`,
    "text/markdown": `*${rows}×${cols} matrix*\n\n$$${tex}$$`,
    "text/plain": plainMatrix(M, options),
  };
}

/**
 * Installs the rich display on `AbstractMatrix.prototype` (done once when the library is imported).
 * @returns true when it installed the method now, false when one was already there.
 */
export function installMatrixDisplay(): boolean {
  const proto = AbstractMatrix.prototype as unknown as Record<symbol, unknown>;
  if (Object.prototype.hasOwnProperty.call(proto, JUPYTER_DISPLAY)) return false;
  Object.defineProperty(proto, JUPYTER_DISPLAY, {
    value: function jupyterDisplay(this: MatrixInput): MimeBundle {
      return matrixBundle(this);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return true;
}

installMatrixDisplay();
