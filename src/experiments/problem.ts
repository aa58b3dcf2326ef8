/**
 * Serialisable problem descriptions: a landscape holds closures and matrices and cannot be sent to a worker
 * thread, but `{ kind, widths, loss: { kind, params } }` can, and {@link buildProblem} rebuilds the same
 * landscape on the other side. Surveys with `workers > 1` need one.
 * @module
 */
import { asMatrix } from "../core/matrix";
import { Matrix } from "ml-matrix";
import { DomainError, describe } from "../core/errors";
import { landscape, Landscape } from "../landscape/landscape";
import { evenPowerLoss, pseudoHuberLoss } from "../losses/robust";
import { squareLoss, squareLossData, weightedSquareLoss } from "../losses/square";
import { softmaxCrossEntropy } from "../losses/crossEntropy";
import type { Loss } from "../losses/loss";
import { DeepLinearNetwork } from "../networks/deepLinear";
import { multiTower } from "../networks/multiTower";
import { validateWidths } from "../networks/widths";

/** Plain rows of numbers (JSON-safe matrix). */
export type Rows = number[][];

/**
 * A loss by name and plain parameters:
 * - `square`: `||W - Q||^2`, params `{ Q }`;
 * - `square-data`: `1/2 ||W X - Y||^2`, params `{ X, Y }`;
 * - `weighted-square`: `sum Lambda_ij (W_ij - Q_ij)^2`, params `{ Lambda, Q }`;
 * - `pseudo-huber`: params `{ Q, delta? }`; `even-power`: `sum (W - Q)^p`, params `{ Q, p? }`;
 * - `softmax-cross-entropy`: params `{ X (or null), labels, ridge?, classes? }`.
 */
export type LossSpec =
  | { kind: "square"; params: { Q: Rows } }
  | { kind: "square-data"; params: { X: Rows; Y: Rows } }
  | { kind: "weighted-square"; params: { Lambda: Rows; Q: Rows } }
  | { kind: "pseudo-huber"; params: { Q: Rows; delta?: number } }
  | { kind: "even-power"; params: { Q: Rows; p?: number } }
  | { kind: "softmax-cross-entropy"; params: { X: Rows | null; labels: number[]; ridge?: number; classes?: number } };

/**
 * A landscape description that survives `structuredClone` / `postMessage`: a deep linear network of the given
 * widths, or a multi-tower linear network (A4: outputs of the towers summed), with a named loss.
 */
export type ProblemSpec =
  | {
      kind: "deep-linear";
      /** `d_0, ..., d_h`. */
      widths: number[];
      loss: LossSpec;
    }
  | {
      kind: "multi-tower";
      /** Widths of each tower (same `d_0` and `d_h`). */
      towers: number[][];
      loss: LossSpec;
    };

const specs = new WeakMap<object, ProblemSpec>();

/**
 * Matrix -> plain rows (JSON-safe; a copy).
 * @throws ShapeError / DomainError unless `A` is a finite Matrix or array of rows.
 */
export function toRows(A: Matrix | Rows): Rows {
  return asMatrix("toRows", "A", A).to2DArray();
}

/**
 * Builds the loss of a {@link LossSpec}.
 * @throws DomainError if `spec` is not an object or its kind is unknown; otherwise whatever the loss constructor
 * throws for bad parameters (ShapeError, DomainError).
 */
export function buildLoss(spec: LossSpec): Loss {
  const fn = "buildLoss";
  if (!spec || typeof spec !== "object") throw new DomainError(fn, `loss must be { kind, params }; got ${describe(spec)}`);
  const p = (spec as { params?: Record<string, unknown> }).params ?? {};
  switch (spec.kind) {
    case "square":
      return squareLoss(p.Q as Rows);
    case "square-data":
      return squareLossData(p.X as Rows, p.Y as Rows);
    case "weighted-square":
      return weightedSquareLoss(p.Lambda as Rows, p.Q as Rows);
    case "pseudo-huber":
      return pseudoHuberLoss(p.Q as Rows, (p.delta as number | undefined) ?? 1);
    case "even-power":
      return evenPowerLoss(p.Q as Rows, (p.p as number | undefined) ?? 4);
    case "softmax-cross-entropy":
      return softmaxCrossEntropy((p.X as Rows | null) ?? null, p.labels as number[], (p.ridge as number | undefined) ?? 0, p.classes as number | undefined);
    default:
      throw new DomainError(fn, `loss.kind must be one of square, square-data, weighted-square, pseudo-huber, even-power, softmax-cross-entropy; got ${describe((spec as { kind?: unknown }).kind)}`);
  }
}

/**
 * Builds the landscape of a {@link ProblemSpec} and remembers the spec, so `survey(L, { workers: 2 })` can
 * send it to worker threads: `buildProblem({ kind: "deep-linear", widths: [2, 1, 2], loss: { kind:
 * "weighted-square", params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } })` (T6 Example A).
 * @throws DomainError for an unknown kind or bad widths; the loss's own errors for bad parameters.
 */
export function buildProblem(spec: ProblemSpec): Landscape {
  const fn = "buildProblem";
  if (!spec || typeof spec !== "object" || (spec.kind !== "deep-linear" && spec.kind !== "multi-tower")) {
    throw new DomainError(fn, `spec.kind must be "deep-linear" or "multi-tower"; got ${describe(spec && (spec as { kind?: unknown }).kind)}`);
  }
  const net = spec.kind === "deep-linear" ? new DeepLinearNetwork(validateWidths(spec.widths, fn)) : multiTower(spec.towers);
  const L = landscape(net, buildLoss(spec.loss));
  specs.set(L, JSON.parse(JSON.stringify(spec)) as ProblemSpec);
  return L;
}

/** The spec a landscape was built from by {@link buildProblem}, or `undefined`. */
export function problemSpecOf(L: object): ProblemSpec | undefined {
  return specs.get(L);
}
