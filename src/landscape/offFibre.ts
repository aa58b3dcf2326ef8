/**
 * The parameter Hessian of a deep linear landscape seen off the fibre: restricted to the directions that move
 * the product `mu(theta)` (the orthogonal complement of `ker dmu(theta)`). At a critical point the fibre
 * directions are exact zeros of the Hessian, so these eigenvalues are the ones that decide minimum vs saddle.
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { rowSpace, symEig } from "../core/linalg";
import { mmulChain, transpose } from "../core/matrix";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { dMuJacobian } from "../networks/differential";
import { Landscape } from "./landscape";

/**
 * Eigenvalues of `B^T Hess L(theta) B`, descending, where the columns of `B` (`N × k`) are an orthonormal basis
 * of `(ker dmu(theta))^⊥`, the row space of the Jacobian `J = dmu(theta)` (`(d_h d_0) × N`, `N = dim theta`):
 * the Hessian of `L = l ∘ mu` off the fibre. The fibre's zero eigenvalues are removed, so a further zero is a
 * genuine degeneracy (T6: the bifurcation of Example A at `K s = 1`).
 * @param L - a landscape on a `DeepLinearNetwork`. @param theta - blocks of `L.net.paramShapes`.
 * @param tol - relative rank tolerance of `J` (default 1e-9, relative to `max(1, max |J_ij|)`).
 * @returns `k = rank J` eigenvalues, descending.
 * @throws DomainError unless `L.net` is a DeepLinearNetwork or for a non-positive `tol`; ShapeError (from
 * `dMuJacobian`) when `theta` does not fit the widths.
 */
export function offFibreEigenvalues(L: Landscape, theta: readonly Matrix[], tol = 1e-9): number[] {
  const fn = "offFibreEigenvalues";
  const net = L?.net;
  if (!(net instanceof DeepLinearNetwork)) throw new DomainError(fn, `L.net must be a DeepLinearNetwork; got ${describe(net)}`);
  if (typeof tol !== "number" || !(tol > 0) || !Number.isFinite(tol)) throw new DomainError(fn, `tol must be a finite number > 0; got ${describe(tol)}`);
  const J = dMuJacobian(net.widths, theta as Matrix[]);
  let top = 0;
  for (let i = 0; i < J.rows; i++) for (let j = 0; j < J.columns; j++) top = Math.max(top, Math.abs(J.get(i, j)));
  const B = rowSpace(J, tol * Math.max(1, top));
  if (B.columns === 0) return [];
  const H = L.hessian(theta as Matrix[]);
  return symEig(mmulChain([transpose(B), H, B]), 1e-8).values;
}
