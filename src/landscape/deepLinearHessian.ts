/**
 * Second order of `L = l ∘ mu` for a deep linear network `mu(theta) = W_h ... W_1`, in closed form on
 * row-major flat arrays (pack order of `packTheta`): the dense Hessian split into its Gauss–Newton part
 * `J^T Hl J` and its curvature part (the blocks from `G = grad l(mu)`), also block by block from small factors
 * when `Hl` is block diagonal over the output rows (`deepLinearHessianFactored`), and a Hessian-vector product by
 * forward-mode recursions on the partial products (O(h) small products). Used by {@link Landscape.hessian},
 * {@link Landscape.hessianParts} and {@link Landscape.hessianVectorFlat}; the generic per-column path through
 * the {@link Parameterization} interface stays the reference (P1, D1, T5, A2).
 * @module
 */
import { Matrix } from "ml-matrix";
import { DomainError, ShapeError, describe } from "../core/errors";
import { intArg } from "../core/args";
import { asMatrix } from "../core/matrix";
import { checkWork, WORK_LIMITS } from "../core/options";
import { gemmStrided } from "../core/dense";
import type { Loss } from "../losses/loss";
import { paramCount, validateWidths } from "../networks/widths";

/** Row-major `C = A B` (`A` p×q, `B` q×r), written into `C` (allocated when omitted). */
function mm(A: Float64Array, B: Float64Array, p: number, q: number, r: number, C = new Float64Array(p * r)): Float64Array {
  C.fill(0);
  for (let i = 0; i < p; i++) {
    const ci = i * r;
    for (let k = 0; k < q; k++) {
      const a = A[i * q + k];
      if (a === 0) continue;
      const bk = k * r;
      for (let j = 0; j < r; j++) C[ci + j] += a * B[bk + j];
    }
  }
  return C;
}

/** Row-major `C = A^T B` (`A` q×p, `B` q×r): `C` is p×r. */
function mtm(A: Float64Array, B: Float64Array, q: number, p: number, r: number, C = new Float64Array(p * r)): Float64Array {
  C.fill(0);
  for (let k = 0; k < q; k++) {
    const bk = k * r;
    for (let i = 0; i < p; i++) {
      const a = A[k * p + i];
      if (a === 0) continue;
      const ci = i * r;
      for (let j = 0; j < r; j++) C[ci + j] += a * B[bk + j];
    }
  }
  return C;
}

/** Row-major `C = A B^T` (`A` p×q, `B` r×q): `C` is p×r. */
function mmt(A: Float64Array, B: Float64Array, p: number, q: number, r: number, C = new Float64Array(p * r)): Float64Array {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < q; k++) s += A[i * q + k] * B[j * q + k];
      C[i * r + j] = s;
    }
  }
  return C;
}

function eyeF(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

function offsets(d: readonly number[]): number[] {
  const off = [0];
  for (let k = 1; k < d.length; k++) off.push(off[k - 1] + d[k] * d[k - 1]);
  return off;
}

/**
 * Row-major copy of a matrix (generic infrastructure).
 * @throws ShapeError / DomainError unless `A` is a finite matrix.
 */
export function flatMatrix(A: Matrix): Float64Array {
  A = asMatrix("flatMatrix", "A", A);
  const out = new Float64Array(A.rows * A.columns);
  let k = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) out[k++] = A.get(i, j);
  return out;
}

/**
 * Matrix of shape `m×n` from a row-major array (generic infrastructure).
 * @throws DomainError for bad sizes or non-finite entries; ShapeError unless `a` has length `m n`.
 */
export function matrixOfFlat(a: ArrayLike<number>, m: number, n: number): Matrix {
  const fn = "matrixOfFlat";
  intArg(fn, "m", m);
  intArg(fn, "n", n);
  flatArg(fn, "a", a, m * n);
  const M = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, a[i * n + j]);
  return M;
}

/**
 * The matrix of `Hess l(W)` on row-major `vec` (`mn × mn`): column `k` is `vec(Hess l(W)[E_k])` for the unit
 * matrices `E_k` (`mn` calls of `loss.hessianAction`): the `Hl` of the Gauss–Newton part of the P1 Hessian.
 * @param W - `m×n` point (checked by the loss).
 * @throws DomainError unless `loss` is a Loss; ResourceError when the `mn × mn` matrix exceeds `WORK_LIMITS.denseEntries`; what `loss.hessianAction` throws.
 */
export function lossHessianMatrix(loss: Loss, W: Matrix): Float64Array {
  if (!loss || typeof loss !== "object" || typeof loss.hessianAction !== "function" || !Array.isArray(loss.shape)) {
    throw new DomainError("lossHessianMatrix", `loss must be a Loss (e.g. squareLoss(Q)); got ${describe(loss)}`);
  }
  const [m, n] = loss.shape;
  const M = m * n;
  checkWork("lossHessianMatrix", `the dense ${M}×${M} matrix of Hess l`, M * M, WORK_LIMITS.denseEntries, "loss.hessianAction (Hessian-vector products)");
  const H = new Float64Array(M * M);
  const E = new Matrix(m, n);
  for (let k = 0; k < M; k++) {
    const i = Math.floor(k / n);
    const j = k % n;
    E.set(i, j, 1);
    const col = loss.hessianAction(W, E);
    E.set(i, j, 0);
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) H[(r * n + c) * M + k] = col.get(r, c);
  }
  return H;
}

/**
 * Partial products of a deep linear network at the flat point `x` (0-based layers `W_k = x[off[k]..]`,
 * `d[k+1] × d[k]`): `before[k] = W_{k-1} ... W_0` (`d[k] × d[0]`, `before[h] = mu`) and
 * `after[k] = W_{h-1} ... W_{k+1}` (`d[h] × d[k+1]`), row-major.
 */
function partials(d: readonly number[], x: Float64Array, off: number[]): { before: Float64Array[]; after: Float64Array[] } {
  const h = d.length - 1;
  const W = (k: number): Float64Array => x.subarray(off[k], off[k + 1]);
  const before: Float64Array[] = [eyeF(d[0])];
  for (let k = 1; k <= h; k++) before.push(mm(W(k - 1), before[k - 1], d[k], d[k - 1], d[0]));
  const after: Float64Array[] = new Array(h);
  after[h - 1] = eyeF(d[h]);
  for (let k = h - 2; k >= 0; k--) after[k] = mm(after[k + 1], W(k + 1), d[h], d[k + 2], d[k + 1]);
  return { before, after };
}

/**
 * The two parts of the dense Hessian of `L = l ∘ mu` for a deep linear network with widths `d` at the flat
 * point `x` (pack order; unchecked), each `P × P` row-major with `P = sum d_k d_{k-1}`, not symmetrised:
 *
 * - `gaussNewton = J^T Hl J` with the Jacobian `J_k = kron(W_{>k}, W_{<k}^T)` of `mu` (row-major `vec`):
 *   `J[(p,q), (k;a,b)] = W_{>k}[p,a] W_{<k}[b,q]`;
 * - `curvature`: for layers `i < j` (0-based), entry `[(j;a,b), (i;c,e)] = (W_{>j}^T G W_{<i}^T)[a,e] W_{(i,j)}[b,c]`
 *   and its transpose, where `W_{(i,j)} = W_{j-1} ... W_{i+1}` (identity when `j = i+1`); zero diagonal blocks.
 *
 * `O(h^2)` small products and `O(M P^2 + M^2 P)` for the Gauss–Newton part (`M = d_h d_0`), no per-column
 * Hessian-vector products. The P1 Hessian of `L`, whose inertia classifies critical points (D1, T5, A2).
 * @param d - widths `d_0..d_h`. @param x - flat point (length `P`). @param hessL - matrix of `Hess l(mu)` on
 * row-major `vec` (`M × M`, e.g. {@link lossHessianMatrix}). @param G - `grad l(mu)`, row-major `d_h × d_0`.
 * @throws ShapeError / DomainError for bad widths or arrays (lengths, non-finite entries); ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function deepLinearHessianParts(
  d: readonly number[],
  x: Float64Array,
  hessL: Float64Array,
  G: Float64Array,
): { gaussNewton: Float64Array; curvature: Float64Array } {
  validateWidths(d, "deepLinearHessianParts");
  checkKernelArgs("deepLinearHessianParts", d, x, [["hessL", hessL, (d[d.length - 1] * d[0]) ** 2], ["G", G, d[d.length - 1] * d[0]]]);
  checkWork("deepLinearHessianParts", `two dense ${x.length}×${x.length} Hessian parts`, 2 * x.length * x.length, WORK_LIMITS.denseEntries, "deepLinearHessianVector (Hessian-vector products) or Lanczos (hessianExtremes)");
  const h = d.length - 1;
  const off = offsets(d);
  const P = off[h];
  const W = (k: number): Float64Array => x.subarray(off[k], off[k + 1]);
  const { before, after } = partials(d, x, off);
  const dh = d[h];
  const d0 = d[0];
  const M = dh * d0;
  // J (M × P)
  const J = new Float64Array(M * P);
  for (let k = 0; k < h; k++) {
    const A = after[k];
    const B = before[k];
    const ra = d[k + 1];
    const cb = d[k];
    for (let p = 0; p < dh; p++) {
      for (let q = 0; q < d0; q++) {
        const row = (p * d0 + q) * P + off[k];
        for (let a = 0; a < ra; a++) {
          const apa = A[p * ra + a];
          if (apa === 0) continue;
          for (let b = 0; b < cb; b++) J[row + a * cb + b] = apa * B[b * d0 + q];
        }
      }
    }
  }
  // Gauss–Newton part J^T (Hl J)
  const HlJ = mm(hessL, J, M, M, P);
  const GN = mtm(J, HlJ, M, P, P);
  // curvature part from G
  const CU = new Float64Array(P * P);
  for (let i = 0; i < h; i++) {
    let between = eyeF(d[i + 1]); // W_{j-1} ... W_{i+1}: d[j] × d[i+1]
    const B = before[i]; // d[i] × d0
    const GBt = mmt(G, B, dh, d0, d[i]); // G W_{<i}^T: dh × d[i]
    for (let j = i + 1; j < h; j++) {
      if (j > i + 1) between = mm(W(j - 1), between, d[j], d[j - 1], d[i + 1]);
      const T = mtm(after[j], GBt, dh, d[j + 1], d[i]); // W_{>j}^T G W_{<i}^T: d[j+1] × d[i]
      const di = d[i];
      const dj = d[j];
      const ci = d[i + 1];
      for (let a = 0; a < d[j + 1]; a++) {
        for (let b = 0; b < dj; b++) {
          const r = off[j] + a * dj + b;
          for (let c = 0; c < ci; c++) {
            const mbc = between[b * ci + c];
            if (mbc === 0) continue;
            for (let e = 0; e < di; e++) {
              const s = off[i] + c * di + e;
              const v = T[a * di + e] * mbc;
              CU[r * P + s] += v;
              CU[s * P + r] += v;
            }
          }
        }
      }
    }
  }
  return { gaussNewton: GN, curvature: CU };
}

/** Which part of the P1 Hessian {@link deepLinearHessianFactored} writes. */
export type HessianPart = "hessian" | "gaussNewton" | "curvature";

/**
 * The dense Hessian of `L = l ∘ mu` for a deep linear network with widths `d` at the flat point `x` (pack order),
 * when the loss Hessian acts row by row, `(Hess l(W)[D])_p = D_p S_p` for rows `p < d_h` with symmetric
 * `d_0 × d_0` factors `S_p` (the Hessian of `l` on row-major `vec` is block diagonal, `Hl = diag(S_0, ..., S_{d_h-1})`),
 * written into `out` (`P × P` row-major, exactly symmetric: each block below the diagonal is computed once and
 * written with the same operations into its mirror position).
 *
 * With `A_k = W_{>k}` (`d_h × d_{k+1}`) and `B_k = W_{<k}` (`d_k × d_0`) the Gauss–Newton block `(t, s)` of
 * `J^T Hl J` is `[(t;a,b), (s;c,e)] = sum_p A_t[p,a] A_s[p,c] (B_t S_p B_s^T)[b,e]`. One shared factor
 * (`S` of length `d_0^2`: `S_p = S`, `Hl = kron(I, S)`; the square losses, `S = 2 I` for `||W - Q||^2` and
 * `S = X X^T` for `1/2 ||W X - Y||^2`) makes it a Kronecker product, `(A_t^T A_s)[a,c] (B_t S B_s^T)[b,e]`: one
 * multiplication per entry. Otherwise (`S` of length `d_h d_0^2`, factor `p` at offset `p d_0^2`: entrywise losses,
 * where `S_p` is diagonal, data-composed ones, and any loss when `d_h = 1`) `d_h` multiply-adds per entry. The
 * curvature block (`t > s`) is `[(t;a,b), (s;c,e)] = (A_t^T G B_s^T)[a,e] W_{(s,t)}[b,c]` with
 * `W_{(s,t)} = W_{t-1} ... W_{s+1}` (as in {@link deepLinearHessianParts}). `O(h^2)` small products
 * (register-blocked `gemmStrided`): `O(P^2)` (shared factor) or `O(d_h P^2)` instead of the `O(d_h d_0 P^2)` of
 * forming `J^T Hl J`.
 *
 * Rounding: the sums are grouped differently from {@link deepLinearHessianParts} (short sums per factor instead
 * of one sum over `d_h d_0` terms), so the result equals it, and the per-column reference
 * `Landscape.hessianGeneric`, up to rounding: within `1e-13 max|H|` in the tests
 * (test/landscape/deepLinearHessianFactored.test.ts); for `||W - Q||^2` at depth `<= 2` to the last bit. The P1
 * Hessian whose inertia classifies critical points (D1, T5, A2).
 * @param d - widths `d_0..d_h`. @param x - flat point (length `P`). @param S - the factors, row-major: one
 * (`d_0 × d_0`) or one per output row (`d_h` blocks of `d_0 × d_0`); symmetric (not checked: a non-symmetric
 * `S_p` stands for a different `Hl` than the caller means). @param G - `grad l(mu)`, row-major `d_h × d_0`.
 * @param out - result (`P × P`), returned.
 * @param part - `"hessian"` (default, `gaussNewton + curvature`), `"gaussNewton"` or `"curvature"`.
 * @throws ShapeError / DomainError for bad widths or arrays (lengths, non-finite entries) or an unknown `part`;
 *   ResourceError above `WORK_LIMITS.denseEntries`.
 */
export function deepLinearHessianFactored(
  d: readonly number[],
  x: Float64Array,
  S: Float64Array,
  G: Float64Array,
  out: Float64Array,
  part: HessianPart = "hessian",
): Float64Array {
  const fn = "deepLinearHessianFactored";
  validateWidths(d, fn);
  const P = paramCount(d);
  const h = d.length - 1;
  const dh = d[h];
  const d0 = d[0];
  checkWork(fn, `a dense ${P}×${P} Hessian`, P * P, WORK_LIMITS.denseEntries, "deepLinearHessianVector (Hessian-vector products) or Lanczos (hessianExtremes)");
  const shared = S instanceof Float64Array && S.length === d0 * d0;
  checkKernelArgs(fn, d, x, [["S", S, shared ? d0 * d0 : dh * d0 * d0], ["G", G, dh * d0], ["out", out, P * P]]);
  if (part !== "hessian" && part !== "gaussNewton" && part !== "curvature") {
    throw new DomainError(fn, `part must be "hessian", "gaussNewton" or "curvature"; got ${describe(part)}`);
  }
  const withGN = part !== "curvature";
  const withCU = part !== "gaussNewton" && h > 1;
  const off = offsets(d);
  const { before, after } = partials(d, x, off);
  const nf = shared ? 1 : dh; // number of factors
  // per column block s: C_s = [B_s S_p]_p (nf blocks of d_s × d_0) and E_s = G B_s^T (d_h × d_s)
  const C: Float64Array[] = [];
  const E: Float64Array[] = [];
  for (let s = 0; s < h; s++) {
    const ds = d[s];
    if (withGN) {
      const Cs = new Float64Array(nf * ds * d0);
      for (let p = 0; p < nf; p++) gemmStrided(ds, d0, d0, before[s], 0, d0, 1, S, p * d0 * d0, d0, 1, Cs, p * ds * d0, d0);
      C.push(Cs);
    }
    if (withCU) {
      const Es = new Float64Array(dh * ds);
      gemmStrided(dh, ds, d0, G, 0, d0, 1, before[s], 0, 1, d0, Es, 0, ds);
      E.push(Es);
    }
  }
  if (!withGN) out.fill(0);
  for (let s = 0; s < h; s++) {
    const ds = d[s];
    const cs = d[s + 1];
    let between = withCU ? eyeF(cs) : new Float64Array(0); // W_{(s,t)}: d_t × d_{s+1}
    for (let t = s; t < h; t++) {
      const dt = d[t];
      const rt = d[t + 1];
      if (withCU && t > s + 1) {
        const next = new Float64Array(dt * cs);
        gemmStrided(dt, cs, d[t - 1], x, off[t - 1], d[t - 1], 1, between, 0, cs, 1, next, 0, cs);
        between = next;
      }
      if (t === s) {
        // diagonal block straight into out (exactly symmetric as computed)
        if (withGN) gaussNewtonBlock(out, off[t] * P + off[t], P, before[t], after[t], after[s], C[s], nf, dh, d0, rt, dt, cs, ds, true);
        continue;
      }
      let blk: Float64Array | null = null;
      if (withGN) {
        blk = blockScratch(rt * dt * cs * ds);
        gaussNewtonBlock(blk, 0, cs * ds, before[t], after[t], after[s], C[s], nf, dh, d0, rt, dt, cs, ds, false);
      }
      let T: Float64Array | null = null; // A_t^T E_s: rt × ds
      if (withCU) {
        T = new Float64Array(rt * ds);
        gemmStrided(rt, ds, dh, after[t], 0, 1, rt, E[s], 0, ds, 1, T, 0, ds);
      }
      writeOffBlock(out, P, off[t], off[s], rt, dt, cs, ds, blk, T, withCU ? between : null);
    }
  }
  return out;
}

/** Largest block kept in the reusable buffer of {@link blockScratch} (2^16 entries: 512 kB). */
const BLOCK_SCRATCH_ENTRIES = 1 << 16;
let blockBuffer = new Float64Array(0);

/**
 * A buffer of `size` entries for one off-diagonal Gauss–Newton block, consumed before the next block is computed:
 * a reused module-level buffer up to 2^16 entries (a fresh large array costs page faults on first touch), else fresh.
 */
function blockScratch(size: number): Float64Array {
  if (size > BLOCK_SCRATCH_ENTRIES) return new Float64Array(size);
  if (blockBuffer.length < size) blockBuffer = new Float64Array(Math.max(size, Math.min(BLOCK_SCRATCH_ENTRIES, 2 * blockBuffer.length)));
  return blockBuffer;
}

/**
 * Gauss–Newton block `(t, s)` written into `dest`, entry `[(a,b),(c,e)]` at `dOff + (a dt + b) stride + c ds + e`
 * (every entry of the block written): `sum_p At[p,a] As[p,c] K_p[b,e]` with `K_p = Bt Cs_p^T` (`Cs_p = B_s S_p`);
 * one factor: `U[a,c] V[b,e]` with `U = At^T As`, `V = K_0`. On the diagonal (`t = s`) `U` and the `K_p` are made
 * exactly symmetric first, so the block is.
 */
function gaussNewtonBlock(
  dest: Float64Array,
  dOff: number,
  stride: number,
  Bt: Float64Array,
  At: Float64Array,
  As: Float64Array,
  Cs: Float64Array,
  nf: number,
  dh: number,
  d0: number,
  rt: number,
  dt: number,
  cs: number,
  ds: number,
  diagonal: boolean,
): void {
  let K = new Float64Array(dt * ds);
  if (nf === 1) {
    let U = new Float64Array(rt * cs);
    gemmStrided(rt, cs, dh, At, 0, 1, rt, As, 0, cs, 1, U, 0, cs);
    gemmStrided(dt, ds, d0, Bt, 0, d0, 1, Cs, 0, 1, d0, K, 0, ds);
    if (diagonal) {
      U = mirrorLower(U, rt);
      K = mirrorLower(K, dt);
    }
    for (let a = 0; a < rt; a++) {
      for (let b = 0; b < dt; b++) {
        let k = dOff + (a * dt + b) * stride;
        const kb = b * ds;
        for (let c = 0; c < cs; c++) {
          const u = U[a * cs + c];
          for (let e = 0; e < ds; e++) dest[k++] = u * K[kb + e];
        }
      }
    }
    return;
  }
  // all K_p (p slowest: K_p at p dt ds); then for each (a, b) the cs × ds slab of the block is the product
  // Wa Kb with Wa[c, p] = At[p,a] As[p,c] and Kb[p, e] = K_p[b, e] (each entry summed in increasing p)
  const Kall = new Float64Array(nf * dt * ds);
  for (let p = 0; p < nf; p++) {
    gemmStrided(dt, ds, d0, Bt, 0, d0, 1, Cs, p * ds * d0, 1, d0, K, 0, ds);
    if (diagonal) K = mirrorLower(K, dt);
    Kall.set(K, p * dt * ds);
  }
  const Wa = new Float64Array(cs * nf);
  for (let a = 0; a < rt; a++) {
    for (let c = 0; c < cs; c++) for (let p = 0; p < nf; p++) Wa[c * nf + p] = At[p * rt + a] * As[p * cs + c];
    for (let b = 0; b < dt; b++) gemmStrided(cs, ds, nf, Wa, 0, nf, 1, Kall, b * ds, dt * ds, 1, dest, dOff + (a * dt + b) * stride, ds);
  }
}

/** Exactly symmetric copy of a square `n × n` array: the lower triangle mirrored into the upper one. */
function mirrorLower(A: Float64Array, n: number): Float64Array {
  const B = A.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) B[j * n + i] = A[i * n + j];
  return B;
}

/**
 * Off-diagonal block `(t, s)`, `t > s`: `[(a,b),(c,e)] = GN[(a,b),(c,e)] + T[a,e] M[b,c]` (either term absent when
 * null; `GN` row-major `(rt dt) × (cs ds)`) at rows `ot + a dt + b`, columns `os + c ds + e`; and its mirror image,
 * block `(s, t)`, by the same operations in the transposed loop order (equal to the last bit; contiguous writes).
 */
function writeOffBlock(
  out: Float64Array,
  P: number,
  ot: number,
  os: number,
  rt: number,
  dt: number,
  cs: number,
  ds: number,
  GN: Float64Array | null,
  T: Float64Array | null,
  M: Float64Array | null,
): void {
  const w = cs * ds; // row length of GN
  if (T === null || M === null) {
    // Gauss–Newton part only: block (t, s) row by row, and its transpose into block (s, t)
    const g = GN as Float64Array;
    for (let r = 0; r < rt * dt; r++) out.set(g.subarray(r * w, r * w + w), (ot + r) * P + os);
    for (let q = 0; q < w; q++) {
      let k = (os + q) * P + ot;
      for (let r = 0, gi = q; r < rt * dt; r++, gi += w) out[k++] = g[gi];
    }
    return;
  }
  // block (t, s): rows (a, b), columns (c, e)
  for (let a = 0; a < rt; a++) {
    for (let b = 0; b < dt; b++) {
      let k = (ot + a * dt + b) * P + os;
      const gr = (a * dt + b) * w;
      const ta = a * ds;
      for (let c = 0; c < cs; c++) {
        const m = M[b * cs + c];
        const gc = gr + c * ds;
        if (GN) for (let e = 0; e < ds; e++) out[k++] = GN[gc + e] + T[ta + e] * m;
        else for (let e = 0; e < ds; e++) out[k++] = T[ta + e] * m;
      }
    }
  }
  // block (s, t): rows (c, e), columns (a, b)
  const Mt = new Float64Array(cs * dt); // M^T
  for (let b = 0; b < dt; b++) for (let c = 0; c < cs; c++) Mt[c * dt + b] = M[b * cs + c];
  for (let c = 0; c < cs; c++) {
    for (let e = 0; e < ds; e++) {
      let k = (os + c * ds + e) * P + ot;
      const mc = c * dt;
      const ce = c * ds + e;
      for (let a = 0; a < rt; a++) {
        const t = T[a * ds + e];
        let gi = a * dt * w + ce;
        if (GN) for (let b = 0; b < dt; b++, gi += w) out[k++] = GN[gi] + t * Mt[mc + b];
        else for (let b = 0; b < dt; b++) out[k++] = t * Mt[mc + b];
      }
    }
  }
}

/**
 * Hessian-vector product of `L = l ∘ mu` for a deep linear network (unchecked, pack order), by forward-mode
 * recursions on the partial products (0-based layers): `dB_{k+1} = V_k W_{<k} + W_k dB_k` (`dB_0 = 0`,
 * `dB_h = dmu[V]`), `dA_k = dA_{k+1} W_{k+1} + W_{>k+1} V_{k+1}` (`dA_{h-1} = 0`), and
 * `out_k = W_{>k}^T Hess l[dmu[V]] W_{<k}^T + dA_k^T G W_{<k}^T + W_{>k}^T G dB_k^T`: `O(h)` products instead of
 * the `O(h^3)` of `d2MuT`. Same P1 Hessian as {@link deepLinearHessianParts}, applied to one direction.
 * @param d - widths.
 * @param x - flat point (length `P`).
 * @param v - flat direction (length `P`).
 * @param G - `grad l(mu)` (row-major `d_h × d_0`).
 * @param hessLAction - `vec(Hess l(mu)[D])` for a row-major `D` (`d_h × d_0`).
 * @param out - result (length `P`), returned.
 * @throws ShapeError / DomainError for bad widths, arrays or a non-function `hessLAction` (out may alias x or v).
 */
export function deepLinearHessianVector(
  d: readonly number[],
  x: Float64Array,
  v: Float64Array,
  G: Float64Array,
  hessLAction: (D: Float64Array) => Float64Array,
  out: Float64Array,
): Float64Array {
  const fn = "deepLinearHessianVector";
  const P = paramCount(validateWidths(d, fn));
  checkKernelArgs(fn, d, x, [["v", v, P], ["G", G, d[d.length - 1] * d[0]], ["out", out, P]]);
  if (typeof hessLAction !== "function") throw new DomainError(fn, `hessLAction must be a function D => vec(Hess l[D]); got ${describe(hessLAction)}`);
  // the recursion writes out while it reads x and v: read from copies when they share memory
  if (out.buffer === x.buffer) x = Float64Array.from(x);
  if (out.buffer === v.buffer) v = Float64Array.from(v);
  const h = d.length - 1;
  const off = offsets(d);
  const W = (k: number): Float64Array => x.subarray(off[k], off[k + 1]);
  const V = (k: number): Float64Array => v.subarray(off[k], off[k + 1]);
  const dh = d[h];
  const d0 = d[0];
  const { before, after } = partials(d, x, off);
  const dB: Float64Array[] = [new Float64Array(d0 * d0)];
  for (let k = 0; k < h; k++) {
    const t = mm(V(k), before[k], d[k + 1], d[k], d0);
    if (k > 0) {
      const u = mm(W(k), dB[k], d[k + 1], d[k], d0);
      for (let i = 0; i < t.length; i++) t[i] += u[i];
    }
    dB.push(t);
  }
  const dA: Float64Array[] = new Array(h);
  dA[h - 1] = new Float64Array(dh * dh);
  for (let k = h - 2; k >= 0; k--) {
    const t = mm(after[k + 1], V(k + 1), dh, d[k + 2], d[k + 1]);
    if (k < h - 2) {
      const u = mm(dA[k + 1], W(k + 1), dh, d[k + 2], d[k + 1]);
      for (let i = 0; i < t.length; i++) t[i] += u[i];
    }
    dA[k] = t;
  }
  const Hd = hessLAction(dB[h]); // dh × d0
  for (let k = 0; k < h; k++) {
    const rk = d[k + 1];
    const ck = d[k];
    // left = W_{>k}^T (Hd W_{<k}^T + G dB_k^T) + dA_k^T G W_{<k}^T
    const HBt = mmt(Hd, before[k], dh, d0, ck); // dh × ck
    const GdBt = mmt(G, dB[k], dh, d0, ck);
    for (let i = 0; i < HBt.length; i++) HBt[i] += GdBt[i];
    const t1 = mtm(after[k], HBt, dh, rk, ck);
    const o = out.subarray(off[k], off[k + 1]);
    for (let i = 0; i < o.length; i++) o[i] = t1[i];
    if (k < h - 1) {
      const GBt = mmt(G, before[k], dh, d0, ck);
      const t2 = mtm(dA[k], GBt, dh, rk, ck);
      for (let i = 0; i < o.length; i++) o[i] += t2[i];
    }
  }
  return out;
}

/** A row-major Float64Array of length `n` with finite entries. */
function flatArg(fn: string, name: string, a: unknown, n: number): void {
  if (!(a instanceof Float64Array) && !Array.isArray(a)) throw new ShapeError(fn, `${name} must be a Float64Array of length ${n}; got ${describe(a)}`);
  const arr = a as ArrayLike<unknown>;
  if (arr.length !== n) throw new ShapeError(fn, `${name} must have length ${n}; got ${arr.length}`);
  for (let k = 0; k < n; k++) {
    const v = arr[k];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new DomainError(fn, `${name} must have finite entries; got ${describe(v)} at ${k}`);
  }
}

/** Checks the arguments of the exported kernels: widths, the flat point (Float64Array, pack length) and the other arrays. */
function checkKernelArgs(fn: string, d: readonly number[], x: unknown, others: Array<[string, unknown, number]>): void {
  validateWidths(d, fn);
  const P = paramCount(d);
  if (!(x instanceof Float64Array)) throw new ShapeError(fn, `x must be a Float64Array of length ${P}; got ${describe(x)}`);
  flatArg(fn, "x", x, P);
  for (const [name, a, n] of others) {
    if (!(a instanceof Float64Array)) throw new ShapeError(fn, `${name} must be a Float64Array of length ${n}; got ${describe(a)}`);
    if (name === "out") {
      if (a.length !== n) throw new ShapeError(fn, `out must have length ${n}; got ${a.length}`);
    } else flatArg(fn, name, a, n);
  }
}
