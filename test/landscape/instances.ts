/**
 * Seeded random instances of L = l ∘ mu for the property tests: every network kind (deep linear with widths
 * 1..6 and depth 1..5, multi-tower, one-hidden-layer ReLU away from kinks) and every loss kind.
 */
import {
  Landscape,
  Loss,
  Matrix,
  Parameterization,
  Rng,
  customLoss,
  deepLinear,
  evenPowerLoss,
  landscape,
  logisticLoss,
  multiTower,
  pseudoHuberLoss,
  reluNetwork,
  softmaxCrossEntropy,
  squareLoss,
  squareLossData,
  weightedSquareLoss,
} from "../../src";

export const LOSS_KINDS = ["square", "squareData", "weighted", "softmax", "logistic", "pseudoHuber", "power4", "power6", "custom"] as const;
export type LossKind = (typeof LOSS_KINDS)[number];
export const NET_KINDS = ["deepLinear", "multiTower", "relu"] as const;
export type NetKind = (typeof NET_KINDS)[number];

export interface Instance {
  label: string;
  netKind: NetKind;
  lossKind: LossKind;
  net: Parameterization;
  loss: Loss;
  L: Landscape;
  theta: Matrix[];
  x: Float64Array;
  /** Largest step along a unit direction that keeps a ReLU point away from kinks (Infinity otherwise). */
  kinkSafeStep: (v: Float64Array) => number;
}

function randWidths(R: Rng, depth: number, out?: number): number[] {
  const w: number[] = [];
  for (let i = 0; i <= depth; i++) w.push(1 + R.int(6));
  if (out !== undefined) w[depth] = out;
  return w;
}

/** A loss of the given kind on `m × n` matrices. */
export function makeLoss(R: Rng, kind: LossKind, m: number, n: number): Loss {
  const N = 2 + R.int(5);
  switch (kind) {
    case "square":
      return squareLoss(R.gaussian(m, n));
    case "squareData":
      return squareLossData(R.gaussian(n, N), R.gaussian(m, N));
    case "weighted": {
      const Lam = R.gaussian(m, n).abs() as Matrix;
      return weightedSquareLoss(Lam, R.gaussian(m, n));
    }
    case "softmax": {
      // m = classes (>= 2 enforced by the caller); data n × N
      const labels = Array.from({ length: N }, () => R.int(m));
      return softmaxCrossEntropy(R.gaussian(n, N), labels, 0.05 + R.uniform(), m);
    }
    case "logistic": {
      const labels = Array.from({ length: N }, () => R.int(2));
      return logisticLoss(R.gaussian(n, N), labels, R.uniform());
    }
    case "pseudoHuber":
      return pseudoHuberLoss(R.gaussian(m, n), 0.3 + R.uniform());
    case "power4":
      return evenPowerLoss(R.gaussian(m, n, 0.5), 4);
    case "power6":
      return evenPowerLoss(R.gaussian(m, n, 0.5), 6);
    case "custom": {
      // l(W) = sum log cosh(W - Q) + 0.1 sum (W - Q)^2: smooth, convex
      const Q = R.gaussian(m, n);
      return customLoss({
        shape: [m, n],
        convex: true,
        smooth: true,
        name: "log-cosh (custom)",
        value: (W) => {
          let s = 0;
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            const r = W.get(i, j) - Q.get(i, j);
            s += Math.log(Math.cosh(r)) + 0.1 * r * r;
          }
          return s;
        },
        gradient: (W) => {
          const G = new Matrix(m, n);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            const r = W.get(i, j) - Q.get(i, j);
            G.set(i, j, Math.tanh(r) + 0.2 * r);
          }
          return G;
        },
      });
    }
  }
}

/** Output width a loss kind requires (`logistic`: 1 row; `softmax`: at least 2 classes). */
function outWidth(R: Rng, kind: LossKind): number | undefined {
  if (kind === "logistic") return 1;
  if (kind === "softmax") return 2 + R.int(4);
  return undefined;
}

function randTheta(R: Rng, shapes: ReadonlyArray<readonly [number, number]>): Matrix[] {
  return shapes.map(([r, c]) => R.gaussian(r, c, 1 / Math.sqrt(Math.max(r, c))));
}

/** One seeded random instance of the given kinds. */
export function makeInstance(R: Rng, netKind: NetKind, lossKind: LossKind): Instance {
  let net: Parameterization;
  let relu: ReturnType<typeof reluNetwork> | null = null;
  const ow = outWidth(R, lossKind);
  if (netKind === "deepLinear") {
    net = deepLinear(randWidths(R, 1 + R.int(5), ow));
  } else if (netKind === "multiTower") {
    const d0 = 1 + R.int(6);
    const dh = ow ?? 1 + R.int(6);
    const towers = Array.from({ length: 1 + R.int(3) }, () => {
      const w = randWidths(R, 1 + R.int(3));
      w[0] = d0;
      w[w.length - 1] = dh;
      return w;
    });
    net = multiTower(towers);
  } else {
    const d0 = 1 + R.int(4);
    const d1 = 1 + R.int(5);
    const d2 = ow ?? 1 + R.int(4);
    const N = 1 + R.int(5);
    const X = R.gaussian(d0, N);
    for (let s = 0; s < N; s++) {
      let nrm = 0;
      for (let k = 0; k < d0; k++) nrm += X.get(k, s) ** 2;
      const c = (0.5 + R.uniform()) / Math.sqrt(nrm);
      for (let k = 0; k < d0; k++) X.set(k, s, c * X.get(k, s));
    }
    relu = reluNetwork(d0, d1, d2, X);
    net = relu;
  }
  const [m, n] = net.outputShape;
  const loss = makeLoss(R, lossKind, m, n);
  let theta = randTheta(R, net.paramShapes);
  let kinkSafeStep = (_v: Float64Array): number => Infinity;
  if (relu) {
    // resample each row of W_1 until its pre-activations are at least 0.1 away from 0
    const W1 = theta[0];
    for (let j = 0; j < W1.rows; j++) {
      for (let tries = 0; ; tries++) {
        let minAbs = Infinity;
        for (let s = 0; s < relu.X.columns; s++) {
          let z = 0;
          for (let k = 0; k < W1.columns; k++) z += W1.get(j, k) * relu.X.get(k, s);
          minAbs = Math.min(minAbs, Math.abs(z));
        }
        if (minAbs >= 0.1) break;
        if (tries > 1000) throw new Error("could not sample a ReLU point away from kinks");
        for (let k = 0; k < W1.columns; k++) W1.set(j, k, R.normal());
      }
    }
    const r = relu;
    kinkSafeStep = (v: Float64Array): number => {
      const Z = r.preActivations(theta);
      const V = r.paramShapes[0];
      const V1 = new Matrix(V[0], V[1]);
      for (let i = 0; i < V[0]; i++) for (let j = 0; j < V[1]; j++) V1.set(i, j, v[i * V[1] + j]);
      const dZ = V1.mmul(r.X);
      let h = Infinity;
      for (let j = 0; j < Z.rows; j++) for (let s = 0; s < Z.columns; s++) {
        const dz = Math.abs(dZ.get(j, s));
        if (dz > 0) h = Math.min(h, (0.5 * Math.abs(Z.get(j, s))) / dz);
      }
      return h;
    };
  }
  const L = landscape(net, loss);
  return { label: `${net.description} / ${loss.name}`, netKind, lossKind, net, loss, L, theta, x: L.pack(theta), kinkSafeStep };
}

/** Deep copy of a list of matrices. */
export function copyAll(ms: readonly Matrix[]): Matrix[] {
  return ms.map((M) => M.clone() as Matrix);
}

/** True when two lists of matrices are entrywise identical. */
export function sameAll(a: readonly Matrix[], b: readonly Matrix[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    if (a[k].rows !== b[k].rows || a[k].columns !== b[k].columns) return false;
    for (let i = 0; i < a[k].rows; i++) for (let j = 0; j < a[k].columns; j++) if (!Object.is(a[k].get(i, j), b[k].get(i, j))) return false;
  }
  return true;
}

/** A random unit vector. */
export function unitVector(R: Rng, n: number): Float64Array {
  const v = new Float64Array(n).map(() => R.normal());
  let s = 0;
  for (const a of v) s += a * a;
  s = Math.sqrt(s);
  return v.map((a) => a / s);
}
