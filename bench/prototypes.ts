/**
 * Prototypes of the fixes proposed for the two hot paths where the library is slower than numpy (see
 * bench/README.md, "Findings"). They live here, not in `src/` (owned by the core library), to measure the gain;
 * each is checked against the library to 1e-10 relative before it is timed.
 *
 *   node --import tsx bench/prototypes.ts
 *
 * 1. Data-form square loss by Gram matrices: with `Sxx = X X^T`, `Syx = Y X^T`, `yy = ||Y||^2` computed once,
 *    `l(W) = 1/2 (<W Sxx, W> - 2 <W, Syx> + yy)` and `grad l = W Sxx - Syx`: O(m n^2) per call instead of
 *    O(m n N) (N samples), independent of N.
 * 3. Hessian-vector product by forward-mode recursions on the partial products (O(h) products instead of the
 *    O(h^3) of `d2MuT`), see {@link hvpDeepLinear}.
 * 2. Dense Hessian of a deep linear network in closed form (no per-column HVP): with `J_i = kron(W_{>i}, W_{<i}^T)`
 *    (row-major vec), `H = J^T Hl J` plus, for blocks `i < j`, entry `[(a,b),(c,d)] += (W_{>j}^T G W_{<i}^T)[a,d] *
 *    W_{(i,j)}[b,c]` and its transpose, where `G = grad l(mu)`, `Hl` the matrix of `Hess l` and `W_{(i,j)}` the
 *    product of the layers strictly between `i` and `j`.
 * @module
 */
import { Matrix } from "ml-matrix";
import { Landscape, SquareLossData } from "../src";
import { bench, fmtRatio, fmtTime } from "./timing";
import { DEFAULT_WORKLOADS, buildCases, landscapeOf } from "./workloads";

// ------------------------------------------------------------------ 1. Gram form of the data loss

/** `l(W)` and `grad l(W)` of `1/2 ||W X - Y||^2` from precomputed Gram matrices (row-major, no allocation). */
export class GramSquareLossData {
  readonly m: number;
  readonly n: number;
  private readonly sxx: Float64Array; // n × n
  private readonly syx: Float64Array; // m × n
  private readonly yy: number;

  constructor(X: Matrix, Y: Matrix) {
    const n = X.rows;
    const m = Y.rows;
    const N = X.columns;
    this.m = m;
    this.n = n;
    this.sxx = new Float64Array(n * n);
    this.syx = new Float64Array(m * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let t = 0; t < N; t++) s += X.get(a, t) * X.get(b, t);
        this.sxx[a * n + b] = s;
      }
    }
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < n; a++) {
        let s = 0;
        for (let t = 0; t < N; t++) s += Y.get(i, t) * X.get(a, t);
        this.syx[i * n + a] = s;
      }
    }
    let yy = 0;
    for (let i = 0; i < m; i++) for (let t = 0; t < N; t++) yy += Y.get(i, t) ** 2;
    this.yy = yy;
  }

  /** Returns `l(W)` (clamped at 0: its absolute rounding error is about `eps ||Y||^2`), writes `grad l(W)` into `g`. */
  valueAndGradientRaw(w: Float64Array, g: Float64Array): number {
    const { m, n, sxx, syx } = this;
    let quad = 0;
    let lin = 0;
    for (let i = 0; i < m; i++) {
      const wi = i * n;
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let a = 0; a < n; a++) s += w[wi + a] * sxx[a * n + b];
        quad += s * w[wi + b];
        lin += w[wi + b] * syx[wi + b];
        g[wi + b] = s - syx[wi + b];
      }
    }
    return Math.max(0, 0.5 * (quad - 2 * lin + this.yy));
  }
}

// ------------------------------------------------------------------ 2. dense Hessian in closed form

/** Row-major `C = A B` (`A` p×q, `B` q×r). */
function mm(A: Float64Array, B: Float64Array, p: number, q: number, r: number, C = new Float64Array(p * r)): Float64Array {
  C.fill(0);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < q; k++) {
      const a = A[i * q + k];
      if (a === 0) continue;
      for (let j = 0; j < r; j++) C[i * r + j] += a * B[k * r + j];
    }
  }
  return C;
}

function eyeF(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/**
 * Dense Hessian of `L = l ∘ mu` for a deep linear network with widths `d`, at the flat point `x`.
 * @param hessL - matrix of `Hess l` on row-major `vec` (`mn × mn`); @param G - `grad l(mu)` (row-major `d_h × d_0`).
 */
export function denseHessianDeepLinear(d: readonly number[], x: Float64Array, hessL: Float64Array, G: Float64Array): Float64Array {
  const h = d.length - 1;
  const off = [0];
  for (let k = 1; k <= h; k++) off.push(off[k - 1] + d[k] * d[k - 1]);
  const P = off[h];
  const W = (k: number): Float64Array => x.subarray(off[k], off[k + 1]); // layer k (0-based): d[k+1] × d[k]
  // before[k] = W_{k-1}...W_0 (d[k] × d[0]); after[k] = W_{h-1}...W_{k+1} (d[h] × d[k+1])
  const before: Float64Array[] = [eyeF(d[0])];
  for (let k = 1; k < h; k++) before.push(mm(W(k - 1), before[k - 1], d[k], d[k - 1], d[0]));
  const after: Float64Array[] = new Array(h);
  after[h - 1] = eyeF(d[h]);
  for (let k = h - 2; k >= 0; k--) after[k] = mm(after[k + 1], W(k + 1), d[h], d[k + 2], d[k + 1]);
  const M = d[h] * d[0];
  // J (M × P): column (k; a, b) = vec(after[k] E_ab before[k]) => J[(p,q), (a,b)] = after[k][p,a] * before[k][b,q]
  const J = new Float64Array(M * P);
  for (let k = 0; k < h; k++) {
    const A = after[k];
    const B = before[k];
    const ra = d[k + 1];
    const cb = d[k];
    for (let p = 0; p < d[h]; p++) {
      for (let q = 0; q < d[0]; q++) {
        const row = (p * d[0] + q) * P + off[k];
        for (let a = 0; a < ra; a++) {
          const apa = A[p * ra + a];
          for (let b = 0; b < cb; b++) J[row + a * cb + b] = apa * B[b * d[0] + q];
        }
      }
    }
  }
  // H = J^T (Hl J)
  const HlJ = mm(hessL, J, M, M, P);
  const H = new Float64Array(P * P);
  for (let r = 0; r < M; r++) {
    for (let s = 0; s < P; s++) {
      const jrs = J[r * P + s];
      if (jrs === 0) continue;
      for (let t = 0; t < P; t++) H[s * P + t] += jrs * HlJ[r * P + t];
    }
  }
  // second-order part from G, blocks (j, i) with i < j
  const GT = new Float64Array(d[0] * d[h]);
  for (let p = 0; p < d[h]; p++) for (let q = 0; q < d[0]; q++) GT[q * d[h] + p] = G[p * d[0] + q];
  for (let i = 0; i < h; i++) {
    let between = eyeF(d[i + 1]); // W_{j-1} ... W_{i+1}: d[j] × d[i+1]
    for (let j = i + 1; j < h; j++) {
      if (j > i + 1) between = mm(W(j - 1), between, d[j], d[j - 1], d[i + 1]);
      // T = after[j]^T G before[i]^T : d[j+1] × d[i]
      const AtG = new Float64Array(d[j + 1] * d[0]);
      const A = after[j];
      for (let a = 0; a < d[j + 1]; a++) for (let q = 0; q < d[0]; q++) {
        let s = 0;
        for (let p = 0; p < d[h]; p++) s += A[p * d[j + 1] + a] * G[p * d[0] + q];
        AtG[a * d[0] + q] = s;
      }
      const T = new Float64Array(d[j + 1] * d[i]);
      const B = before[i];
      for (let a = 0; a < d[j + 1]; a++) for (let dd = 0; dd < d[i]; dd++) {
        let s = 0;
        for (let q = 0; q < d[0]; q++) s += AtG[a * d[0] + q] * B[dd * d[0] + q];
        T[a * d[i] + dd] = s;
      }
      // block rows (a,b) of layer j (d[j+1] × d[j]), columns (c,dd) of layer i (d[i+1] × d[i])
      for (let a = 0; a < d[j + 1]; a++) for (let b = 0; b < d[j]; b++) {
        const r = off[j] + a * d[j] + b;
        for (let c = 0; c < d[i + 1]; c++) {
          const mbc = between[b * d[i + 1] + c];
          if (mbc === 0) continue;
          for (let dd = 0; dd < d[i]; dd++) {
            const s = off[i] + c * d[i] + dd;
            const v = T[a * d[i] + dd] * mbc;
            H[r * P + s] += v;
            H[s * P + r] += v;
          }
        }
      }
    }
  }
  return H;
}

/** Row-major transpose of a p×q matrix. */
function tr(A: Float64Array, p: number, q: number): Float64Array {
  const T = new Float64Array(p * q);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) T[j * p + i] = A[i * q + j];
  return T;
}

/**
 * Hessian-vector product of `L = l ∘ mu` for a deep linear network in O(h) small products, by forward-mode
 * recursions on the partial products (0-based layers, `before[k] = W_{k-1}...W_0`, `after[k] = W_{h-1}...W_{k+1}`):
 * `dB_{k+1} = V_k before[k] + W_k dB_k` (`dB_0 = 0`, `dB_h = dmu[V]`), `dA_k = dA_{k+1} W_{k+1} + after[k+1] V_{k+1}`
 * (`dA_{h-1} = 0`), and `out_k = after[k]^T Hl[dmu] before[k]^T + dA_k^T G before[k]^T + after[k]^T G dB_k^T`.
 * @param hessL - matrix of `Hess l` on row-major vec; @param gradL - writes `grad l(mu)` into `G` (e.g. the loss's
 * raw value-and-gradient); @param G - scratch of size `d_h d_0`.
 */
export function hvpDeepLinear(
  d: readonly number[], x: Float64Array, v: Float64Array, hessL: Float64Array,
  gradL: (mu: Float64Array, G: Float64Array) => unknown, G: Float64Array, out: Float64Array,
): Float64Array {
  const h = d.length - 1;
  const off = [0];
  for (let k = 1; k <= h; k++) off.push(off[k - 1] + d[k] * d[k - 1]);
  const W = (k: number): Float64Array => x.subarray(off[k], off[k + 1]);
  const V = (k: number): Float64Array => v.subarray(off[k], off[k + 1]);
  const before: Float64Array[] = [eyeF(d[0])];
  const dB: Float64Array[] = [new Float64Array(d[0] * d[0])];
  for (let k = 0; k < h; k++) {
    before.push(mm(W(k), before[k], d[k + 1], d[k], d[0]));
    const t = mm(V(k), before[k], d[k + 1], d[k], d[0]);
    const u = mm(W(k), dB[k], d[k + 1], d[k], d[0]);
    for (let i = 0; i < t.length; i++) t[i] += u[i];
    dB.push(t);
  }
  const after: Float64Array[] = new Array(h);
  const dA: Float64Array[] = new Array(h);
  after[h - 1] = eyeF(d[h]);
  dA[h - 1] = new Float64Array(d[h] * d[h]);
  for (let k = h - 2; k >= 0; k--) {
    after[k] = mm(after[k + 1], W(k + 1), d[h], d[k + 2], d[k + 1]);
    const t = mm(dA[k + 1], W(k + 1), d[h], d[k + 2], d[k + 1]);
    const u = mm(after[k + 1], V(k + 1), d[h], d[k + 2], d[k + 1]);
    for (let i = 0; i < t.length; i++) t[i] += u[i];
    dA[k] = t;
  }
  gradL(before[h], G);
  const M = d[h] * d[0];
  const Hd = mm(hessL, dB[h], M, M, 1); // Hess l [dmu] as a column vector = row-major d_h × d_0
  for (let k = 0; k < h; k++) {
    const AT = tr(after[k], d[h], d[k + 1]); // d[k+1] × d[h]
    const BT = tr(before[k], d[k], d[0]); // d[0] × d[k]
    const lhs = mm(AT, Hd, d[k + 1], d[h], d[0]);
    const GBt = mm(G, BT, d[h], d[0], d[k]);
    const t1 = mm(lhs, BT, d[k + 1], d[0], d[k]);
    const t2 = mm(tr(dA[k], d[h], d[k + 1]), GBt, d[k + 1], d[h], d[k]);
    const t3 = mm(mm(AT, G, d[k + 1], d[h], d[0]), tr(dB[k], d[k], d[0]), d[k + 1], d[0], d[k]);
    const o = out.subarray(off[k], off[k + 1]);
    for (let i = 0; i < o.length; i++) o[i] = t1[i] + t2[i] + t3[i];
  }
  return out;
}

/** `Hess l` as a matrix on row-major vec, from the loss's Hessian action on the unit matrices (mn calls, once per point). */
function hessLMatrix(L: Landscape, W: Matrix): Float64Array {
  const [m, n] = L.loss.shape;
  const M = m * n;
  const H = new Float64Array(M * M);
  for (let k = 0; k < M; k++) {
    const E = new Matrix(m, n);
    E.set(Math.floor(k / n), k % n, 1);
    const col = L.loss.hessianAction(W, E);
    for (let r = 0; r < M; r++) H[r * M + k] = col.get(Math.floor(r / n), r % n);
  }
  return H;
}

function flatOf(A: Matrix): Float64Array {
  return Float64Array.from(A.to2DArray().flat());
}

function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}

function main(): void {
  const timing = { k: 7, targetMs: 50, warmupMs: 100, kLong: 3 };
  const cases = buildCases(DEFAULT_WORKLOADS);
  console.log("| prototype | case | library | prototype | library / prototype | check |");
  console.log("|---|---|--:|--:|--:|---|");
  for (const c of cases) {
    if (c.kind === "lossgrad" && c.loss.type === "squareData") {
      const L = landscapeOf(c);
      const loss = L.loss as SquareLossData;
      const gram = new GramSquareLossData(loss.X, loss.Y);
      const x = Float64Array.from(c.theta);
      const W = flatOf(L.net.mu(L.unpack(x)));
      const g1 = new Float64Array(W.length);
      const g2 = new Float64Array(W.length);
      const v1 = loss.valueAndGradientRaw(W, g1);
      const v2 = gram.valueAndGradientRaw(W, g2);
      const err = Math.max(Math.abs(v1 - v2) / Math.abs(v1), rel(g2, g1));
      const t1 = bench(() => loss.valueAndGradientRaw(W, g1), timing);
      const t2 = bench(() => gram.valueAndGradientRaw(W, g2), timing);
      console.log(`| Gram data loss (l, grad l only) | ${c.id} | ${fmtTime(t1.median)} | ${fmtTime(t2.median)} | ${fmtRatio(t1.median / t2.median)} | ${err.toExponential(1)} |`);
    }
    if (c.kind === "hessian" && c.op === "dense") {
      const L = landscapeOf(c);
      const x = Float64Array.from(c.theta);
      const theta = L.unpack(x);
      const ref = flatOf(L.hessian(theta));
      const run = (): Float64Array => {
        const W = L.net.mu(L.unpack(x));
        return denseHessianDeepLinear(c.widths, x, hessLMatrix(L, W), flatOf(L.loss.gradient(W)));
      };
      const err = rel(run(), ref);
      const t1 = bench(() => L.hessian(theta), timing);
      const t2 = bench(run, timing);
      console.log(`| closed-form dense Hessian | ${c.id} | ${fmtTime(t1.median)} | ${fmtTime(t2.median)} | ${fmtRatio(t1.median / t2.median)} | ${err.toExponential(1)} |`);
    }
    if (c.kind === "hessian" && c.op === "hvp") {
      const L = landscapeOf(c);
      const x = Float64Array.from(c.theta);
      const v = Float64Array.from(c.v);
      const ref = L.hessianVectorFlat(x, v);
      const Wm = L.net.mu(L.unpack(x));
      const hessL = hessLMatrix(L, Wm); // once per loss for the quadratic losses
      const o = new Float64Array(L.dim);
      const g = new Float64Array(L.loss.shape[0] * L.loss.shape[1]);
      const raw = L.loss as unknown as { valueAndGradientRaw(w: Float64Array, g: Float64Array): number };
      const gradL = (m: Float64Array, G: Float64Array): number => raw.valueAndGradientRaw(m, G);
      const run = (): Float64Array => hvpDeepLinear(c.widths, x, v, hessL, gradL, g, o);
      const err = rel(run(), ref);
      const t1 = bench(() => L.hessianVectorFlat(x, v, o), timing);
      const t2 = bench(run, timing);
      console.log(`| HVP by forward-mode recursions | ${c.id} | ${fmtTime(t1.median)} | ${fmtTime(t2.median)} | ${fmtRatio(t1.median / t2.median)} | ${err.toExponential(1)} |`);
    }
  }
}

if (require.main === module) main();
