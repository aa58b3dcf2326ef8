/**
 * The factored dense Hessian of a deep linear network (`deepLinearHessianFactored`, used by `Landscape.hessian` /
 * `hessianParts` when the loss Hessian acts row by row: one fixed right factor `Hess l[D] = D S` for the square
 * losses, per-row factors `S_p` otherwise) against the unfactored closed form it replaces
 * (`deepLinearHessianParts` with the `mn × mn` matrix of `Hess l`, summed and symmetrised as before) and against
 * the per-column reference `hessianGeneric`: seeded random widths 1..7 (rectangular, bottlenecks), depths 1..4,
 * the matrix form `||W - Q||^2`, the data form `1/2 ||W X - Y||^2` with more and with fewer samples than inputs,
 * and the row-separable losses (weighted square, pseudo-Huber, even power, pseudo-Huber of `W X`, logistic with
 * one output row); softmax cross-entropy (not row-separable) keeps the unfactored form.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DomainError,
  Landscape,
  Matrix,
  Rng,
  ShapeError,
  SquareLoss,
  SquareLossData,
  TargetLoss,
  WeightedSquareLoss,
  dataComposedLoss,
  deepLinear,
  evenPowerLoss,
  deepLinearHessianFactored,
  deepLinearHessianParts,
  flatMatrix,
  landscape,
  lossHessianMatrix,
  logisticLoss,
  pseudoHuberLoss,
  rng,
  softmaxCrossEntropy,
  squareLoss,
  squareLossData,
  weightedSquareLoss,
} from "../../src";

interface Case {
  label: string;
  L: Landscape;
  theta: Matrix[];
  depth: number;
  data: boolean;
}

function makeCase(R: Rng, depth: number, data: boolean): Case {
  const w: number[] = [];
  for (let i = 0; i <= depth; i++) w.push(1 + R.int(7));
  const m = w[depth];
  const n = w[0];
  const N = R.int(2) === 0 ? 1 + R.int(n) : n + 1 + R.int(3 * n); // fewer or more samples than inputs
  const loss = data ? squareLossData(R.gaussian(n, N), R.gaussian(m, N)) : squareLoss(R.gaussian(m, n));
  const net = deepLinear(w);
  const theta = net.paramShapes.map(([r, c]) => R.gaussian(r, c, 0.8));
  return { label: `${data ? "data" : "matrix"} (${w.join(",")})`, L: landscape(net, loss), theta, depth, data };
}

const R = rng(4711);
const CASES: Case[] = Array.from({ length: 64 }, (_, i) => makeCase(R.fork(), 1 + (i % 4), i % 8 >= 4));

const ROW_KINDS = ["weighted", "pseudoHuber", "power4", "huberOfWX", "logistic", "softmax"] as const;

/** A row-separable (or, for softmax, not) loss on a random deep linear network of depth 1..4. */
function makeRowCase(R: Rng, kind: (typeof ROW_KINDS)[number], depth: number): Case {
  const w: number[] = [];
  for (let i = 0; i <= depth; i++) w.push(1 + R.int(6));
  if (kind === "logistic") w[depth] = 1;
  if (kind === "softmax") w[depth] = 2 + R.int(3);
  const m = w[depth];
  const n = w[0];
  const N = 1 + R.int(2 * n + 2);
  const loss =
    kind === "weighted"
      ? weightedSquareLoss(R.gaussian(m, n).abs() as Matrix, R.gaussian(m, n))
      : kind === "pseudoHuber"
        ? pseudoHuberLoss(R.gaussian(m, n), 0.3 + R.uniform())
        : kind === "power4"
          ? evenPowerLoss(R.gaussian(m, n, 0.5), 4)
          : kind === "huberOfWX"
            ? dataComposedLoss(pseudoHuberLoss(R.gaussian(m, N), 0.5), R.gaussian(n, N))
            : kind === "logistic"
              ? logisticLoss(R.gaussian(n, N), Array.from({ length: N }, () => R.int(2)), R.uniform())
              : softmaxCrossEntropy(R.gaussian(n, N), Array.from({ length: N }, () => R.int(m)), 0.1 + R.uniform(), m);
  const net = deepLinear(w);
  const theta = net.paramShapes.map(([r, c]) => R.gaussian(r, c, 0.8));
  return { label: `${kind} (${w.join(",")})`, L: landscape(net, loss), theta, depth, data: false };
}

const R2 = rng(815);
const ROW_CASES: Case[] = Array.from({ length: 48 }, (_, i) => makeRowCase(R2.fork(), ROW_KINDS[i % ROW_KINDS.length], 1 + (Math.floor(i / ROW_KINDS.length) % 4)));

/** The unfactored closed form as `Landscape.hessian` computed it before the factored path: parts summed, then `(H + H^T)/2`. */
function unfactored(c: Case): { hessian: Float64Array; gaussNewton: Float64Array; curvature: Float64Array } {
  const net = c.L.net as ReturnType<typeof deepLinear>;
  const W = net.mu(c.theta);
  const { gaussNewton, curvature } = deepLinearHessianParts(net.widths, c.L.pack(c.theta), lossHessianMatrix(c.L.loss, W), flatMatrix(c.L.loss.gradient(W)));
  const P = c.L.dim;
  const sym = (A: Float64Array): Float64Array => {
    const B = A.slice();
    for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) B[i * P + j] = B[j * P + i] = 0.5 * (A[i * P + j] + A[j * P + i]);
    return B;
  };
  const sum = gaussNewton.map((v, k) => v + curvature[k]);
  return { hessian: sym(sum), gaussNewton: sym(gaussNewton), curvature: sym(curvature) };
}

function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s = Math.max(s, Math.abs(a[k]));
  return s;
}

function flat(A: Matrix): Float64Array {
  const out = new Float64Array(A.rows * A.columns);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.columns; j++) out[i * A.columns + j] = A.get(i, j);
  return out;
}

/** max |a - b| / max(|b|_max, 1e-300). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d / Math.max(maxAbs(b), 1e-300);
}

test("cases cover both loss forms and every row-separable kind at depths 1..4, rectangular widths and N below and above n", () => {
  assert.equal(new Set(ROW_CASES.map((c) => `${c.label.split(" ")[0]}/${c.depth}`)).size, ROW_KINDS.length * 4);
  const kinds = new Set(CASES.map((c) => `${c.data}/${c.depth}`));
  assert.equal(kinds.size, 8);
  assert.ok(CASES.some((c) => c.L.net.paramShapes.some(([r, s]) => r !== s)), "a rectangular layer");
  const Ns = CASES.filter((c) => c.data).map((c) => [(c.L.loss as SquareLossData).X.columns, (c.L.loss as SquareLossData).X.rows]);
  assert.ok(Ns.some(([N, n]) => N < n) && Ns.some(([N, n]) => N > n), "N < n and N > n both present");
});

test("factored Hessian = unfactored closed form and = the per-column reference (1e-13 of max |H|), exactly symmetric", (t) => {
  let worst = 0;
  for (const c of CASES) {
    const H = flat(c.L.hessian(c.theta));
    const old = unfactored(c).hessian;
    const e1 = relDiff(H, old);
    const e2 = relDiff(H, flat(c.L.hessianGeneric(c.theta)));
    assert.ok(e1 <= 1e-13, `${c.label}: vs unfactored ${e1}`);
    assert.ok(e2 <= 1e-13, `${c.label}: vs generic ${e2}`);
    worst = Math.max(worst, e1, e2);
    const P = c.L.dim;
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) assert.ok(Object.is(H[i * P + j], H[j * P + i]), `${c.label}: asymmetric at (${i}, ${j})`);
  }
  t.diagnostic(`worst relative difference: ${worst.toExponential(2)}`);
});

test("row-separable losses: factored Hessian and parts = unfactored = per-column reference (1e-13 of max |H|), exactly symmetric; softmax unchanged", (t) => {
  let worst = 0;
  for (const c of ROW_CASES) {
    const H = flat(c.L.hessian(c.theta));
    const old = unfactored(c);
    const P = c.L.dim;
    if (c.label.startsWith("softmax")) {
      for (let k = 0; k < H.length; k++) assert.ok(Object.is(H[k], old.hessian[k]), `${c.label}: entry ${k}`);
      continue;
    }
    const e1 = relDiff(H, old.hessian);
    const e2 = relDiff(H, flat(c.L.hessianGeneric(c.theta)));
    assert.ok(e1 <= 1e-13 && e2 <= 1e-13, `${c.label}: ${e1} vs unfactored, ${e2} vs generic`);
    worst = Math.max(worst, e1, e2);
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) assert.ok(Object.is(H[i * P + j], H[j * P + i]), `${c.label}: asymmetric at (${i}, ${j})`);
    const p = c.L.hessianParts(c.theta);
    const scale = Math.max(maxAbs(old.gaussNewton), maxAbs(old.curvature), 1e-300);
    const gn = flat(p.gaussNewton);
    const cu = flat(p.curvature);
    for (let k = 0; k < gn.length; k++) {
      assert.ok(Math.abs(gn[k] - old.gaussNewton[k]) <= 1e-13 * scale, `${c.label}: gaussNewton ${k}`);
      assert.ok(Math.abs(cu[k] - old.curvature[k]) <= 1e-13 * scale, `${c.label}: curvature ${k}`);
    }
  }
  t.diagnostic(`worst relative difference: ${worst.toExponential(2)}`);
});

test("kernel with per-row factors = unfactored form with Hl = diag(S_0, ..., S_{d_h-1}); equal factors = one shared factor", () => {
  const r = rng(99);
  for (let trial = 0; trial < 12; trial++) {
    const depth = 1 + (trial % 4);
    const d = Array.from({ length: depth + 1 }, () => 1 + r.int(5));
    const P = d.slice(1).reduce((acc, v, i) => acc + v * d[i], 0);
    const dh = d[depth];
    const d0 = d[0];
    const x = Float64Array.from({ length: P }, () => r.normal());
    const G = Float64Array.from({ length: dh * d0 }, () => r.normal());
    const S = new Float64Array(dh * d0 * d0);
    const M = dh * d0;
    const Hl = new Float64Array(M * M);
    for (let p = 0; p < dh; p++) {
      const B = r.gaussian(d0, d0);
      for (let i = 0; i < d0; i++) {
        for (let j = 0; j < d0; j++) {
          let v = 0;
          for (let k = 0; k < d0; k++) v += B.get(i, k) * B.get(j, k);
          S[p * d0 * d0 + i * d0 + j] = v;
          Hl[(p * d0 + i) * M + p * d0 + j] = v;
        }
      }
    }
    const { gaussNewton, curvature } = deepLinearHessianParts(d, x, Hl, G);
    const ref = gaussNewton.map((v, k) => v + curvature[k]);
    const got = deepLinearHessianFactored(d, x, S, G, new Float64Array(P * P));
    const sym = new Float64Array(P * P);
    for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) sym[i * P + j] = 0.5 * (ref[i * P + j] + ref[j * P + i]);
    assert.ok(relDiff(got, sym) <= 1e-13, `per-row (${d.join(",")}): ${relDiff(got, sym)}`);
    // every factor equal to S_0: the per-row kernel and the shared-factor kernel agree
    const S0 = S.slice(0, d0 * d0);
    const same = new Float64Array(dh * d0 * d0);
    for (let p = 0; p < dh; p++) same.set(S0, p * d0 * d0);
    const a = deepLinearHessianFactored(d, x, same, G, new Float64Array(P * P));
    const b = deepLinearHessianFactored(d, x, S0, G, new Float64Array(P * P));
    assert.ok(relDiff(a, b) <= 1e-13, `shared vs per-row (${d.join(",")}): ${relDiff(a, b)}`);
  }
});

test("matrix form at depth <= 2: the factored Hessian equals the unfactored one to the last bit", () => {
  // with identity factors W_{<0} = I and W_{>h-1} = I every sum of the unfactored form has at most one
  // non-zero term per factor, and the factor 2 of Hess l = 2 I scales exactly
  let n = 0;
  for (const c of CASES.filter((k) => !k.data && k.depth <= 2)) {
    const H = flat(c.L.hessian(c.theta));
    const old = unfactored(c).hessian;
    for (let k = 0; k < H.length; k++) assert.ok(H[k] === old[k], `${c.label}: entry ${k}: ${H[k]} vs ${old[k]}`);
    n++;
  }
  assert.ok(n >= 8);
});

test("factored parts = unfactored parts (1e-13); gaussNewton + curvature = hessian (1e-13)", () => {
  for (const c of CASES) {
    const p = c.L.hessianParts(c.theta);
    const old = unfactored(c);
    const scale = Math.max(maxAbs(old.gaussNewton), maxAbs(old.curvature), 1e-300);
    const gn = flat(p.gaussNewton);
    const cu = flat(p.curvature);
    const H = flat(c.L.hessian(c.theta));
    for (let k = 0; k < gn.length; k++) {
      assert.ok(Math.abs(gn[k] - old.gaussNewton[k]) <= 1e-13 * scale, `${c.label}: gaussNewton ${k}`);
      assert.ok(Math.abs(cu[k] - old.curvature[k]) <= 1e-13 * scale, `${c.label}: curvature ${k}`);
      assert.ok(Math.abs(gn[k] + cu[k] - H[k]) <= 1e-13 * scale, `${c.label}: sum ${k}`);
    }
    if (c.depth === 1) assert.equal(maxAbs(cu), 0, `${c.label}: one layer has no curvature part`);
  }
});

test("the kernel writes every entry of out (no stale values) and returns it", () => {
  const c = CASES.find((k) => k.depth === 3 && k.data) as Case;
  const net = c.L.net as ReturnType<typeof deepLinear>;
  const S = (c.L.loss as SquareLossData).hessianRightFactor();
  const G = flatMatrix(c.L.loss.gradient(net.mu(c.theta)));
  const x = c.L.pack(c.theta);
  const P = c.L.dim;
  for (const part of ["hessian", "gaussNewton", "curvature"] as const) {
    const a = deepLinearHessianFactored(net.widths, x, S, G, new Float64Array(P * P), part);
    const dirty = new Float64Array(P * P).fill(12345.5);
    const b = deepLinearHessianFactored(net.widths, x, S, G, dirty, part);
    assert.equal(b, dirty);
    for (let k = 0; k < a.length; k++) assert.ok(Object.is(a[k], b[k]), `${part}: entry ${k}`);
  }
});

test("hessianRightFactor: 2 I for ||W - Q||^2, X X^T for the data form, Hess l[D] = D S; null for the other losses; hessianRowSeparable flags", () => {
  const r = rng(8);
  const sq = new SquareLoss(r.gaussian(3, 4));
  const S1 = sq.hessianRightFactor();
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(S1[i * 4 + j], i === j ? 2 : 0);
  const X = r.gaussian(4, 9);
  const data = new SquareLossData(X, r.gaussian(3, 9));
  const S2 = data.hessianRightFactor();
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let t = 0; t < 9; t++) s += X.get(i, t) * X.get(j, t);
      assert.ok(Math.abs(S2[i * 4 + j] - s) <= 1e-14 * Math.max(1, Math.abs(s)), `X X^T (${i}, ${j})`);
    }
  }
  S2[0] = 1e9; // a copy: the loss is unchanged
  assert.notEqual(data.hessianRightFactor()[0], 1e9);
  const W = r.gaussian(3, 4);
  const D = r.gaussian(3, 4);
  for (const [loss, S] of [[sq, S1], [data, data.hessianRightFactor()]] as const) {
    const HD = loss.hessianAction(W, D);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let a = 0; a < 4; a++) s += D.get(i, a) * S[a * 4 + j];
        assert.ok(Math.abs(HD.get(i, j) - s) <= 1e-13 * Math.max(1, Math.abs(s)), `${loss.name}: (${i}, ${j})`);
      }
    }
  }
  assert.equal(new WeightedSquareLoss(Matrix.ones(3, 4) as Matrix, r.gaussian(3, 4)).hessianRightFactor(), null);
  assert.equal(pseudoHuberLoss(r.gaussian(3, 4), 0.5).hessianRightFactor(), null);
  assert.equal(sq.hessianRowSeparable && data.hessianRowSeparable && pseudoHuberLoss(r.gaussian(3, 4), 0.5).hessianRowSeparable, true);
  assert.equal(dataComposedLoss(pseudoHuberLoss(r.gaussian(3, 5), 0.5), r.gaussian(4, 5)).hessianRowSeparable, true);
  assert.equal(softmaxCrossEntropy(r.gaussian(4, 5), [0, 1, 2, 0, 1], 0.5, 3).hessianRowSeparable, false);
});

test("deepLinearHessianFactored: typed errors for bad arguments", () => {
  const d = [2, 3, 2];
  const P = 12;
  const x = new Float64Array(P).fill(0.5);
  const S = new Float64Array([2, 0, 0, 2]);
  const G = new Float64Array(4);
  const out = new Float64Array(P * P);
  assert.throws(() => deepLinearHessianFactored(d, x, S, G, out, "both" as "hessian"), DomainError);
  assert.throws(() => deepLinearHessianFactored(d, x, new Float64Array(3), G, out), ShapeError);
  assert.throws(() => deepLinearHessianFactored(d, x, S, G, new Float64Array(P)), ShapeError);
  assert.throws(() => deepLinearHessianFactored(d, x.subarray(1), S, G, out), ShapeError);
  assert.throws(() => deepLinearHessianFactored(d, x, new Float64Array([2, NaN, 0, 2]), G, out), DomainError);
  assert.throws(() => deepLinearHessianFactored([2, 0, 2], x, S, G, out), DomainError);
});

/** A fork's loss on a target that is NOT entrywise: l(W) = ||W - Q||^4 / 4 (Hess l[D] = ||R||^2 D + 2 <R, D> R couples rows). */
class QuarticNormLoss extends TargetLoss {
  readonly name = "quartic norm loss";
  constructor(Q: Matrix) {
    super("quarticNormLoss", Q, "W = Q");
  }
  formula(): string {
    return "\\tfrac14 \\|W - Q\\|^4";
  }
  protected valueAt(W: Matrix): number {
    const s = W.clone().sub(this.Q).norm("frobenius") ** 2;
    return (s * s) / 4;
  }
  protected gradientAt(W: Matrix): Matrix {
    const R = W.clone().sub(this.Q);
    return R.clone().mul(R.norm("frobenius") ** 2);
  }
  protected hessianActionAt(W: Matrix, D: Matrix): Matrix {
    const R = W.clone().sub(this.Q);
    let rd = 0;
    for (let i = 0; i < R.rows; i++) for (let j = 0; j < R.columns; j++) rd += R.get(i, j) * D.get(i, j);
    return D.clone().mul(R.norm("frobenius") ** 2).add(R.clone().mul(2 * rd));
  }
}

test("a TargetLoss subclass is not assumed row-separable: a non-entrywise fork loss gets the per-column Hessian", () => {
  const r = rng(77);
  const L = landscape(deepLinear([3, 2, 3]), new QuarticNormLoss(r.gaussian(3, 3)));
  assert.equal((L.loss as TargetLoss).hessianRowSeparable, false, "only the entrywise subclasses declare it");
  const theta = L.unpack(Float64Array.from({ length: L.dim }, () => r.normal()));
  const H = L.hessian(theta);
  const ref = L.hessianGeneric(theta);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < L.dim; i++) for (let j = 0; j < L.dim; j++) {
    worst = Math.max(worst, Math.abs(H.get(i, j) - ref.get(i, j)));
    scale = Math.max(scale, Math.abs(ref.get(i, j)));
  }
  assert.ok(worst <= 1e-12 * scale, `dense Hessian vs per-column reference: ${worst} (max |H| ${scale})`);
});
