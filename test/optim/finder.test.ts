import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { diag, frobNorm, mmulChain, sub, transpose } from "../../src/core/matrix";
import { symEig } from "../../src/core/linalg";
import { DeepLinearNetwork } from "../../src/networks";
import { squareLoss } from "../../src/losses";
import { landscape } from "../../src/landscape";
import { criticalImages, matrixProblem } from "../../src/critical/closedForms";
import { findCriticalPoint, inertia, minres, randomStart } from "../../src/optim";

/** T5 reference problem: Q = U diag(4,3,2,1) V^T with seeded Haar U, V; d = (4,2,4). */
function t5() {
  const R = rng(2024);
  const U = R.orthogonal(4);
  const V = R.orthogonal(4);
  const Q = mmulChain([U, diag([4, 3, 2, 1]), transpose(V)]);
  const widths = [4, 2, 4];
  return { Q, widths, L: landscape(new DeepLinearNetwork(widths), squareLoss(Q)), set: criticalImages(matrixProblem(Q), widths) };
}

// the T5 reference table of docs/theory.md, d = (4,2,4): loss -> (#neg, #zero) of the parameter Hessian
const TABLE: Record<string, { loss: number; neg: number; zero: number }> = {
  "[]": { loss: 30, neg: 8, zero: 0 },
  "[1]": { loss: 14, neg: 3, zero: 3 },
  "[2]": { loss: 21, neg: 4, zero: 3 },
  "[3]": { loss: 26, neg: 5, zero: 3 },
  "[4]": { loss: 29, neg: 6, zero: 3 },
  "[1,2]": { loss: 5, neg: 0, zero: 4 },
  "[1,3]": { loss: 10, neg: 1, zero: 4 },
  "[1,4]": { loss: 13, neg: 2, zero: 4 },
  "[2,3]": { loss: 17, neg: 2, zero: 4 },
  "[2,4]": { loss: 20, neg: 3, zero: 4 },
  "[3,4]": { loss: 25, neg: 4, zero: 4 },
};

test("T5 finder (LM on the gradient): 100 seeded random starts recover every critical image, each with the table's loss and inertia", (t) => {
  const { L, set } = t5();
  assert.equal(set.images.length, 11);
  const hits = new Map<string, number>();
  let converged = 0;
  for (let s = 0; s < 100; s++) {
    // start: i.i.d. N(0, 1) entries (balanced critical points have entries of size sigma^(1/2) ~ 1..2)
    const res = findCriticalPoint(L, randomStart(L, rng(1000 + s), 1), { maxIter: 300, gradTol: 1e-10 });
    if (!res.converged) continue;
    converged++;
    assert.ok(res.gradNorm <= 1e-10);
    // every returned point matches a closed-form image: nearest W_I in Frobenius distance
    const W = L.net.mu(res.theta!);
    let best = set.images[0];
    let dist = Infinity;
    for (const im of set.images) {
      const d = frobNorm(sub(W, im.W));
      if (d < dist) [dist, best] = [d, im];
    }
    assert.ok(dist < 1e-7, `start ${s}: mu(theta) is ${dist} from the nearest image ${JSON.stringify(best.I)}`);
    const key = JSON.stringify(best.I);
    const row = TABLE[key];
    assert.ok(Math.abs(res.value - row.loss) < 1e-8, `${key}: loss ${res.value} vs ${row.loss}`);
    const inr = inertia(res.hessianEigenvalues!, 1e-6);
    assert.equal(inr.negative, row.neg, `${key}: #neg`);
    assert.equal(inr.zero, row.zero, `${key}: #zero`);
    if (best.kind === "pure") assert.equal(inr.negative, best.morseIndex, `${key}: #neg equals the Morse index on M_r`);
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  assert.ok(converged >= 90, `converged ${converged}/100`);
  // every pure image (6 = C(4,2)) is found; report the spurious ones found as well
  const pure = set.images.filter((im) => im.kind === "pure").map((im) => JSON.stringify(im.I));
  assert.equal(pure.length, 6);
  for (const k of pure) assert.ok((hits.get(k) ?? 0) > 0, `pure image ${k} not found; hits ${JSON.stringify([...hits])}`);
  const spurious = set.images.filter((im) => im.kind === "spurious").map((im) => JSON.stringify(im.I));
  const spuriousFound = spurious.filter((k) => hits.has(k));
  t.diagnostic(`T5 finder: ${converged}/100 converged; hits ${JSON.stringify(Object.fromEntries(hits))}; spurious found: ${spuriousFound.join(" ")}`);
});

test("Newton-MR (MINRES on Hessian-vector products) also lands on closed-form images", () => {
  const { L, set } = t5();
  let ok = 0;
  for (let s = 0; s < 15; s++) {
    const res = findCriticalPoint(L, randomStart(L, rng(1000 + s), 1), { method: "newton-mr", maxIter: 400 });
    if (!res.converged) {
      assert.ok(["maxIter", "stalled"].includes(res.reason), res.message);
      continue;
    }
    ok++;
    const W = L.net.mu(res.theta!);
    const dist = Math.min(...set.images.map((im) => frobNorm(sub(W, im.W))));
    assert.ok(dist < 1e-7, `dist ${dist}`);
  }
  assert.ok(ok >= 8, `converged ${ok}/15`);
});

test("finder reports 'stalled' at a stationary point of ||grad||^2 that is not critical", () => {
  // f(x) = x^3/3 - x... use f(x) = cos(x): grad = -sin x, ||grad||^2 stationary where sin x cos x = 0: at x = pi/2
  // grad = -1 != 0 and Hess = -cos = 0: LM cannot move (J = 0).
  const f = {
    dim: 1,
    valueFlat: (x: Float64Array) => Math.cos(x[0]),
    gradientFlat: (x: Float64Array, out = new Float64Array(1)) => ((out[0] = -Math.sin(x[0])), out),
    hessianVectorFlat: (x: Float64Array, v: Float64Array, out = new Float64Array(1)) => ((out[0] = -Math.cos(x[0]) * v[0]), out),
  };
  const r = findCriticalPoint(f, [Math.PI / 2], { maxIter: 50 });
  assert.equal(r.converged, false);
  assert.equal(r.reason, "stalled");
  const r2 = findCriticalPoint(f, [1.2], { maxIter: 50 });
  assert.ok(r2.converged, r2.message);
  assert.ok(Math.abs(Math.sin(r2.x[0])) <= 1e-10);
});

test("MINRES solves symmetric indefinite systems; residual matches the dense solve", () => {
  const R = rng(9);
  const n = 12;
  const G = R.gaussian(n, n);
  const A = G.add(G.transpose()).mul(0.5); // symmetric indefinite (ml-matrix in-place ops on a fresh matrix)
  const b = Float64Array.from({ length: n }, () => R.normal());
  const apply = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A.get(i, j) * v[j];
      out[i] = s;
    }
  };
  const res = minres(apply, b, { rtol: 1e-12, maxIter: 5 * n });
  const Ax = new Float64Array(n);
  apply(res.x, Ax);
  let r = 0;
  for (let i = 0; i < n; i++) r += (Ax[i] - b[i]) ** 2;
  assert.ok(Math.sqrt(r) < 1e-8, `residual ${Math.sqrt(r)}`);
  assert.ok(symEig(A).values.some((v) => v < 0) && symEig(A).values.some((v) => v > 0), "indefinite");
});

test("inertia counts with a relative threshold", () => {
  assert.deepEqual(inertia([3, 1e-9, -2, 0, -1e-7], 1e-6), { negative: 1, zero: 3, positive: 1, threshold: 3e-6 });
  assert.throws(() => inertia([1], -1), /tol must be/);
});
