/**
 * A second parameterisation of the same functional space as the deep linear network (2, 1, 2): the 2×2
 * matrices of rank at most one, `M_1`, written in polar form `mu(rho, alpha, beta) = rho b(beta) a(alpha)^T`
 * with unit vectors `a(alpha) = (cos alpha, sin alpha)`, `b(beta) = (cos beta, sin beta)`. The image is all of
 * `M_1` (as for `W = b a^T`), so the pure critical points are the same (D1), but the spurious ones differ: the
 * deep linear map has the single spurious point `theta = 0`, the polar map a whole curve
 * `{rho = 0, b^T grad l(0) a = 0}` (docs/theory.md#d1, "several parameterisations").
 * @module
 */
import { Matrix } from "ml-matrix";
import { assertBlocks } from "../core/blocks";
import { DomainError, ShapeError, describe } from "../core/errors";
import type { Parameterization } from "./parameterization";

const SHAPES: ReadonlyArray<readonly [number, number]> = Object.freeze([
  Object.freeze([1, 1] as const),
  Object.freeze([1, 1] as const),
  Object.freeze([1, 1] as const),
]);

function parts(theta: readonly Matrix[]): { rho: number; a: number[]; da: number[]; b: number[]; db: number[] } {
  const rho = theta[0].get(0, 0);
  const al = theta[1].get(0, 0);
  const be = theta[2].get(0, 0);
  return { rho, a: [Math.cos(al), Math.sin(al)], da: [-Math.sin(al), Math.cos(al)], b: [Math.cos(be), Math.sin(be)], db: [-Math.sin(be), Math.cos(be)] };
}

/** `x^T G y` for 2-vectors and a 2×2 `G`. */
function form(x: readonly number[], G: Matrix, y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += x[i] * G.get(i, j) * y[j];
  return s;
}

function outer(s: number, x: readonly number[], y: readonly number[]): Matrix {
  return new Matrix([
    [s * x[0] * y[0], s * x[0] * y[1]],
    [s * x[1] * y[0], s * x[1] * y[1]],
  ]);
}

function scalar(v: number): Matrix {
  return new Matrix([[v]]);
}

function checkG(fn: string, G: unknown): Matrix {
  if (!(G instanceof Matrix)) throw new DomainError(fn, `G must be a 2×2 Matrix; got ${describe(G)}`);
  if (G.rows !== 2 || G.columns !== 2) throw new ShapeError(fn, `G must be 2×2; got ${G.rows}×${G.columns}`);
  return G;
}

/**
 * The polar parameterisation of 2×2 rank-one matrices, `theta = (rho, alpha, beta)` (three 1×1 blocks),
 * `mu(theta) = rho b a^T` with `a = (cos alpha, sin alpha)`, `b = (cos beta, sin beta)` (D1: same functional
 * space `M_1` as the deep linear network (2, 1, 2), different spurious critical points).
 *
 * Derivatives, with `a' = (-sin alpha, cos alpha)`, `b' = (-sin beta, cos beta)`:
 * - `dmu[V] = dRho b a^T + rho dAlpha b a'^T + rho dBeta b' a^T`;
 * - `dmu^T[G] = (b^T G a, rho b^T G a', rho b'^T G a)`;
 * - `d/dt dmu(theta + tV)^T[G]` at `t = 0` = `(dAlpha b^T G a' + dBeta b'^T G a,
 *    dRho b^T G a' - rho dAlpha b^T G a + rho dBeta b'^T G a',
 *    dRho b'^T G a + rho dAlpha b'^T G a' - rho dBeta b^T G a)`.
 * The differential has rank 3 = dim M_1 when `rho != 0` and rank 1 when `rho = 0`.
 */
export class PolarRankOneNetwork implements Parameterization {
  readonly description = "polar rank one: rho (cos beta, sin beta)^T (cos alpha, sin alpha)";
  readonly paramShapes = SHAPES;
  readonly outputShape: readonly [number, number] = Object.freeze([2, 2] as const);
  readonly paramCount = 3;

  /** `rho b(beta) a(alpha)^T`. @throws ShapeError / DomainError unless theta is three finite 1×1 blocks. */
  mu(theta: readonly Matrix[]): Matrix {
    assertBlocks("PolarRankOneNetwork.mu", SHAPES, theta);
    const { rho, a, b } = parts(theta);
    return outer(rho, b, a);
  }

  /** `dmu(theta)[V]` (2×2). @throws ShapeError / DomainError for bad blocks. */
  dMu(theta: readonly Matrix[], V: readonly Matrix[]): Matrix {
    assertBlocks("PolarRankOneNetwork.dMu", SHAPES, theta);
    assertBlocks("PolarRankOneNetwork.dMu", SHAPES, V, "V");
    const { rho, a, da, b, db } = parts(theta);
    const [dr, dal, dbe] = V.map((B) => B.get(0, 0));
    return outer(dr, b, a).add(outer(rho * dal, b, da)).add(outer(rho * dbe, db, a));
  }

  /** `dmu(theta)^T[G] = (b^T G a, rho b^T G a', rho b'^T G a)` as three 1×1 blocks. @throws ShapeError / DomainError for bad blocks or `G` not 2×2. */
  dMuT(theta: readonly Matrix[], G: Matrix): Matrix[] {
    assertBlocks("PolarRankOneNetwork.dMuT", SHAPES, theta);
    checkG("PolarRankOneNetwork.dMuT", G);
    const { rho, a, da, b, db } = parts(theta);
    return [scalar(form(b, G, a)), scalar(rho * form(b, G, da)), scalar(rho * form(db, G, a))];
  }

  /** `d/dt dmu(theta + tV)^T[G]` at `t = 0` (formula in the class comment). @throws ShapeError / DomainError for bad blocks or `G`. */
  d2MuT(theta: readonly Matrix[], G: Matrix, V: readonly Matrix[]): Matrix[] {
    assertBlocks("PolarRankOneNetwork.d2MuT", SHAPES, theta);
    assertBlocks("PolarRankOneNetwork.d2MuT", SHAPES, V, "V");
    checkG("PolarRankOneNetwork.d2MuT", G);
    const { rho, a, da, b, db } = parts(theta);
    const [dr, dal, dbe] = V.map((B) => B.get(0, 0));
    const bGa = form(b, G, a);
    const bGda = form(b, G, da);
    const dbGa = form(db, G, a);
    const dbGda = form(db, G, da);
    return [
      scalar(dal * bGda + dbe * dbGa),
      scalar(dr * bGda - rho * dal * bGa + rho * dbe * dbGda),
      scalar(dr * dbGa + rho * dal * dbGda - rho * dbe * bGa),
    ];
  }
}

/**
 * `new PolarRankOneNetwork()`: the polar parameterisation `mu(rho, alpha, beta) = rho b(beta) a(alpha)^T` of the
 * 2×2 matrices of rank at most one (D1: a second parameterisation of `M_1` with other spurious points).
 * Parameters are three 1×1 blocks `[[rho]], [[alpha]], [[beta]]`.
 * @throws never (no arguments).
 */
export function polarRankOne(): PolarRankOneNetwork {
  return new PolarRankOneNetwork();
}
