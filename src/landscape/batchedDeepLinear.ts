/**
 * The deep linear fast path on a batch of parameter points (struct-of-arrays: coordinate `k` of point `r` at
 * `X[k * stride + r]`): forward products `F_k = W_k ... W_1`, `G = grad l(F_h)` by the loss's batched raw form,
 * backward `B_{k-1} = W_k^T B_k` and `dL/dW_k = B_k F_{k-1}^T`, each entry of each point summed from `+0` in
 * increasing inner index, as the single-point workspace (`Landscape.valueAndGradientFlat`) does, so every point's
 * value and gradient equal the single-point ones to the last bit. The inner loops run over the points.
 * @module
 */
import { DomainError } from "../core/errors";
import { MatrixLoss, flatOf } from "../losses/base";
import { SquareLoss, WeightedSquareLoss } from "../losses/square";
import { DeepLinearNetwork } from "../networks/deepLinear";
import type { BatchedObjective } from "../optim/batchedGd";
import type { Landscape } from "./landscape";

/**
 * A {@link BatchedObjective} for `L = l ∘ mu` with `mu` deep linear, or `null` when `L` is not a deep linear
 * landscape on the fast path or its loss has no batched raw form (`MatrixLoss.valueAndGradientBatchRaw`).
 * @param capacity - the largest `stride` the caller will use (buffers are sized for it).
 * Generic infrastructure for batched surveys (D1; A1, T6 basin statistics).
 * @throws never.
 */
export function deepLinearBatch(L: Landscape, capacity: number): BatchedObjective | null {
  if (!L.fastPath || !(L.net instanceof DeepLinearNetwork) || !(L.loss instanceof MatrixLoss)) return null;
  if (!L.loss.valueAndGradientBatchRaw(new Float64Array(0), new Float64Array(0), new Float64Array(0), 0, 0)) return null;
  const loops = new DeepLinearBatch(L.net.widths, L.loss, Math.max(1, capacity));
  return compiledKernel(L.net.widths, L.loss) ?? loops;
}

/** Most scalar operations a generated kernel may have (larger networks use the loop kernel). */
const MAX_GENERATED_OPS = 4000;

/**
 * Per-widths kernel for small networks: straight-line code (one local per entry, generated once per landscape
 * from the widths alone) that evaluates one point entirely in registers, run in a loop over the points, with each
 * entry's operations in the order of the loop kernel (so the results are the same to the last bit); `step` fuses
 * the GD update `x <- x - alpha g`, the finiteness check, the evaluation and `||g||`. Square and weighted
 * square losses only (their targets and weights are passed in as arrays, not printed into the code).
 */
function compiledKernel(widths: readonly number[], loss: MatrixLoss): BatchedObjective | null {
  let q: Float64Array;
  let lam: Float64Array | null = null;
  if (loss instanceof WeightedSquareLoss) {
    q = flatOf(loss.Q);
    lam = flatOf(loss.Lambda);
  } else if (loss instanceof SquareLoss) q = flatOf(loss.Q);
  else return null;
  const d = widths;
  const h = d.length - 1;
  const n0 = d[0];
  let ops = 0;
  for (let l = 2; l <= h; l++) ops += 3 * d[l] * d[l - 1] * n0;
  if (ops > MAX_GENERATED_OPS) return null;
  const off = [0];
  for (let k = 1; k <= h; k++) off.push(off[k - 1] + d[k] * d[k - 1]);
  const dim = off[h];
  const body: string[] = [];
  const emitSum = (name: string, terms: Array<[string, string]>): void => {
    body.push(`let ${name} = 0;`);
    for (const [a, b] of terms) body.push(`${name} += ${a} * ${b};`);
  };
  // forward: F_1 = W_1 (its entries are x_k), F_l = W_l F_{l-1}
  let F: string[] = [];
  for (let e = 0; e < d[1] * n0; e++) F.push(`x${e}`);
  for (let l = 2; l <= h; l++) {
    const next: string[] = [];
    for (let i = 0; i < d[l]; i++) {
      for (let j = 0; j < n0; j++) {
        const name = `f${l}_${i * n0 + j}`;
        const terms: Array<[string, string]> = [];
        for (let p = 0; p < d[l - 1]; p++) terms.push([`x${off[l - 1] + i * d[l - 1] + p}`, F[p * n0 + j]]);
        emitSum(name, terms);
        next.push(name);
      }
    }
    F = next;
  }
  const Fs: string[][] = [[]];
  // keep every F_l's names for the backward pass
  {
    let cur: string[] = [];
    for (let e = 0; e < d[1] * n0; e++) cur.push(`x${e}`);
    Fs.push(cur);
    for (let l = 2; l <= h; l++) {
      cur = [];
      for (let e = 0; e < d[l] * n0; e++) cur.push(`f${l}_${e}`);
      Fs.push(cur);
    }
  }
  // loss: value v and gradient entries gl_k
  body.push("let v = 0;");
  let B: string[] = [];
  for (let k = 0; k < d[h] * n0; k++) {
    body.push(`const r${k} = ${F[k]} - q[${k}];`);
    if (lam) {
      body.push(`const lr${k} = lam[${k}] * r${k};`, `v += lr${k} * r${k};`, `const gl${k} = 2 * lr${k};`);
    } else {
      body.push(`v += r${k} * r${k};`, `const gl${k} = 2 * r${k};`);
    }
    B.push(`gl${k}`);
  }
  // backward
  const grad: string[] = new Array(dim);
  for (let l = h; l >= 1; l--) {
    const rows = d[l];
    const cols = d[l - 1];
    const o = off[l - 1];
    if (l === 1) {
      for (let e = 0; e < rows * n0; e++) grad[o + e] = B[e];
      continue;
    }
    const Fp = Fs[l - 1];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const name = `g${o + i * cols + j}`;
        const terms: Array<[string, string]> = [];
        for (let t = 0; t < n0; t++) terms.push([B[i * n0 + t], Fp[j * n0 + t]]);
        emitSum(name, terms);
        grad[o + i * cols + j] = name;
      }
    }
    const next: string[] = [];
    for (let i = 0; i < cols; i++) {
      for (let t = 0; t < n0; t++) {
        const name = `b${l - 1}_${i * n0 + t}`;
        const terms: Array<[string, string]> = [];
        for (let k = 0; k < rows; k++) terms.push([`x${o + k * cols + i}`, B[k * n0 + t]]);
        emitSum(name, terms);
        next.push(name);
      }
    }
    B = next;
  }
  const store: string[] = [];
  for (let k = 0; k < dim; k++) store.push(`G[${k} * S + r] = ${grad[k]};`);
  const load: string[] = [];
  for (let k = 0; k < dim; k++) load.push(`const x${k} = X[${k} * S + r];`);
  const update: string[] = [];
  for (let k = 0; k < dim; k++) update.push(`const x${k} = X[${k} * S + r] - alpha * G[${k} * S + r];`);
  const finite = `if (${Array.from({ length: dim }, (_, k) => `x${k} - x${k} !== 0`).join(" || ")}) return false;`;
  const writeX: string[] = [];
  for (let k = 0; k < dim; k++) writeX.push(`X[${k} * S + r] = x${k};`);
  const norm = ["let s2 = 0;", ...grad.map((g) => `s2 += ${g} * ${g};`), "gn[r] = Math.sqrt(s2);"];
  const src = `
"use strict";
return {
  dim: ${dim},
  evaluate(X, G, values, count, S) {
    for (let r = 0; r < count; r++) {
      ${load.join("\n      ")}
      ${body.join("\n      ")}
      ${store.join("\n      ")}
      values[r] = v;
    }
  },
  step(X, G, values, gn, count, S, alpha) {
    for (let r = 0; r < count; r++) {
      ${update.join("\n      ")}
      ${finite}
      ${writeX.join("\n      ")}
      ${body.join("\n      ")}
      ${store.join("\n      ")}
      values[r] = v;
      ${norm.join("\n      ")}
    }
    return true;
  },
};`;
  // the generated code contains only integers derived from the widths; targets and weights are arguments
  // one Function per source, reused: the objects it makes share their methods' feedback and optimised code, so a
  // second survey (or a worker's next chunk) on the same widths starts with the kernel already compiled
  let make = GENERATED.get(src);
  if (!make) {
    make = new Function("q", "lam", src) as GeneratedMaker;
    if (GENERATED.size >= 32) GENERATED.clear();
    GENERATED.set(src, make);
  }
  return make(q, lam);
}

type GeneratedMaker = (q: Float64Array, lam: Float64Array | null) => Omit<BatchedObjective, "evaluate"> & { evaluate: BatchedObjective["evaluate"] };

/** The generated makers by source (bounded: cleared past 32 distinct sources). */
const GENERATED = new Map<string, GeneratedMaker>();

class DeepLinearBatch implements BatchedObjective {
  readonly dim: number;
  private readonly d: number[];
  private readonly off: number[];
  private readonly F: Float64Array[];
  private readonly G: Float64Array;
  private readonly Ba: Float64Array;
  private readonly Bb: Float64Array;

  constructor(
    widths: readonly number[],
    private readonly loss: MatrixLoss,
    private readonly capacity: number,
  ) {
    this.d = widths.slice();
    const h = widths.length - 1;
    this.off = [0];
    for (let k = 1; k <= h; k++) this.off.push(this.off[k - 1] + widths[k] * widths[k - 1]);
    this.dim = this.off[h];
    this.F = [new Float64Array(0)];
    for (let k = 1; k <= h; k++) this.F.push(new Float64Array(widths[k] * widths[0] * capacity));
    this.G = new Float64Array(widths[h] * widths[0] * capacity);
    const maxW = Math.max(...widths);
    this.Ba = new Float64Array(maxW * widths[0] * capacity);
    this.Bb = new Float64Array(maxW * widths[0] * capacity);
  }

  evaluate(X: Float64Array, out: Float64Array, values: Float64Array, count: number, S: number): void {
    if (S > this.capacity) throw new DomainError("deepLinearBatch", `stride must be <= the capacity ${this.capacity}; got ${S}`);
    const d = this.d;
    const h = d.length - 1;
    const n0 = d[0];
    const F1 = this.F[1];
    for (let e = 0; e < d[1] * n0; e++) for (let r = 0; r < count; r++) F1[e * S + r] = X[e * S + r];
    for (let l = 2; l <= h; l++) {
      const Fp = this.F[l - 1];
      const Fl = this.F[l];
      const o = this.off[l - 1];
      const inner = d[l - 1];
      for (let i = 0; i < d[l]; i++) {
        for (let j = 0; j < n0; j++) {
          const dst = (i * n0 + j) * S;
          for (let r = 0; r < count; r++) Fl[dst + r] = 0;
          for (let p = 0; p < inner; p++) {
            const wo = (o + i * inner + p) * S;
            const fo = (p * n0 + j) * S;
            for (let r = 0; r < count; r++) Fl[dst + r] += X[wo + r] * Fp[fo + r];
          }
        }
      }
    }
    this.loss.valueAndGradientBatchRaw(this.F[h], this.G, values, count, S);
    let B = this.G;
    let spare = this.Ba;
    for (let l = h; l >= 1; l--) {
      const rows = d[l];
      const cols = d[l - 1];
      const o = this.off[l - 1];
      if (l === 1) {
        for (let e = 0; e < rows * n0; e++) for (let r = 0; r < count; r++) out[(o + e) * S + r] = B[e * S + r];
        continue;
      }
      const Fp = this.F[l - 1];
      // dL/dW_l = B_l F_{l-1}^T
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const dst = (o + i * cols + j) * S;
          for (let r = 0; r < count; r++) out[dst + r] = 0;
          for (let t = 0; t < n0; t++) {
            const bo = (i * n0 + t) * S;
            const fo = (j * n0 + t) * S;
            for (let r = 0; r < count; r++) out[dst + r] += B[bo + r] * Fp[fo + r];
          }
        }
      }
      // B_{l-1} = W_l^T B_l
      for (let i = 0; i < cols; i++) {
        for (let t = 0; t < n0; t++) {
          const dst = (i * n0 + t) * S;
          for (let r = 0; r < count; r++) spare[dst + r] = 0;
          for (let k = 0; k < rows; k++) {
            const wo = (o + k * cols + i) * S;
            const bo = (k * n0 + t) * S;
            for (let r = 0; r < count; r++) spare[dst + r] += X[wo + r] * B[bo + r];
          }
        }
      }
      const tmp = B === this.G ? this.Bb : B;
      B = spare;
      spare = tmp;
    }
  }
}
