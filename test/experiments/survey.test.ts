import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { mmulChain, transpose, frobNorm } from "../../src/core/matrix";
import { pinv, symEig } from "../../src/core/linalg";
import { JUPYTER_DISPLAY, KERNEL_DISPLAY_HOOK } from "../../src/display/mime";
import { hessianNegativeCount } from "../../src/landscape";
import {
  buildProblem,
  clusterValues,
  lastSurvey,
  survey,
  surveyWorkerPath,
  SurveyProgress,
  toRows,
} from "../../src/experiments";

/** E-A1a data: X (4×8), Y (3×8) i.i.d. N(0,1), seed 1; predicted global value 1/2 (tr YY^T - lambda_1 - lambda_2). */
function ea1a() {
  const R = rng(1);
  const X = R.gaussian(4, 8);
  const Y = R.gaussian(3, 8);
  const lam = symEig(mmulChain([Y, pinv(X), X, transpose(Y)])).values;
  const predicted = 0.5 * (frobNorm(Y) ** 2 - lam[0] - lam[1]);
  const L = buildProblem({ kind: "deep-linear", widths: [4, 3, 2, 3, 3], loss: { kind: "square-data", params: { X: toRows(X), Y: toRows(Y) } } });
  return { L, predicted, lam };
}

const weighted = (widths: number[]) =>
  buildProblem({ kind: "deep-linear", widths, loss: { kind: "weighted-square", params: { Lambda: [[1, 3], [3, 1]], Q: [[2, 0], [0, 1]] } } });

const exampleA = () =>
  buildProblem({ kind: "deep-linear", widths: [2, 1, 2], loss: { kind: "weighted-square", params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } });

test("E-A1a (A1, square loss, widths (4,3,2,3,3)): every run reaches 1/2 (tr YY^T - lambda_1 - lambda_2), rank 2, grad l != 0", async () => {
  const { L, predicted } = ea1a();
  const lb = await survey(L, { runs: 30, seed: 1, optimizer: "lbfgs", optimizerOptions: { gradTol: 1e-9 } });
  // GD as in the A1 experiment: init 0.5 N(0,1), learning rate 0.02, stop at squared gradient norm 1e-11
  const gd = await survey(L, { runs: 10, seed: 100, optimizer: "gd", startScale: 0.5, optimizerOptions: { step: 0.02, gradTol: Math.sqrt(1e-11), maxIter: 100000 } });
  for (const s of [lb, gd]) {
    assert.equal(s.completed, s.requested);
    assert.equal(s.clusters.length, 1, s.toString());
    for (const r of s.runs) {
      assert.ok(r.converged, `run ${r.run}: ${r.reason}`);
      assert.ok(Math.abs(r.value - predicted) <= 1e-6 * predicted, `run ${r.run}: ${r.value} vs ${predicted}`);
      assert.equal(r.rank, 2);
      // non-filling global minimum: grad l(mu) != 0 (do not assert grad l = 0)
      const theta = L.unpack(r.x!);
      assert.ok(frobNorm(L.loss.gradient(L.net.mu(theta))) > 1e-3);
    }
  }
});

test("E-A1b (A1, weighted 2×2 loss): final values only 1 and 4 for bottleneck 1 at depths 2-4, only 0 on filling (2,2,2)", async () => {
  for (const widths of [[2, 1, 2], [2, 2, 1, 2], [2, 3, 1, 3, 2]]) {
    const s = await survey(weighted(widths), { runs: 200, seed: 2, startScale: 0.7, optimizerOptions: { gradTol: 1e-9 } });
    const values = s.distinctValues();
    assert.equal(values.length, 2, `${widths}: ${s.summary()}`);
    assert.ok(Math.abs(values[0] - 1) < 1e-4 && Math.abs(values[1] - 4) < 1e-4, `${widths}: ${values}`);
    assert.ok(s.fractionAt(4, 1e-4) > 0.05, `${widths}: the spurious value 4 is reached by a non-trivial fraction`);
    for (const c of s.clusters) assert.deepEqual(Object.keys(c.ranks), ["1"]);
  }
  const f = await survey(weighted([2, 2, 2]), { runs: 100, seed: 2, startScale: 0.7, optimizerOptions: { gradTol: 1e-9 } });
  assert.equal(f.clusters.length, 1);
  assert.ok(Math.abs(f.clusters[0].value) < 1e-12, `${f.clusters[0].value}`);
});

test("Example A (T6, d=(2,1,2), K=10, s=0.8): limits 0.64 and 1.00 only, non-zero bad-basin fraction; both are minima", async (t) => {
  const L = exampleA();
  const s = await survey(L, {
    runs: 200,
    seed: 3,
    startScale: 1,
    optimizerOptions: { gradTol: 1e-10 },
    // verdict by inertia: no negative Hessian eigenvalue = candidate minimum
    classify: (LL, theta) => (hessianNegativeCount(LL, LL.pack(theta), { steps: LL.dim }).negative === 0 ? "no negative curvature" : "saddle"),
  });
  const values = s.distinctValues();
  assert.equal(values.length, 2, s.toString());
  assert.ok(Math.abs(values[0] - 0.64) < 1e-8 && Math.abs(values[1] - 1) < 1e-8, `${values}`);
  const bad = s.fractionAt(1, 1e-6);
  assert.ok(bad > 0.1 && bad < 0.9, `bad-basin fraction ${bad}`);
  for (const c of s.clusters) assert.deepEqual(Object.keys(c.verdicts), ["no negative curvature"]);
  t.diagnostic(`Example A: ${s.clusters.map((c) => `${c.value.toFixed(4)} ×${c.count}`).join(", ")}`);
});

test("verdicts from the verdict module (classify: true): Example A's two limits are the global and a local minimum", async () => {
  const s = await survey(exampleA(), { runs: 12, seed: 3, startScale: 1, optimizerOptions: { gradTol: 1e-10 }, classify: true, classifyOptions: { globalValue: 0.64, perturbations: 50 } });
  const byValue = Object.fromEntries(s.clusters.map((c) => [c.value.toFixed(2), Object.keys(c.verdicts)]));
  assert.deepEqual(byValue["0.64"], ["global minimum"], JSON.stringify(byValue));
  assert.deepEqual(byValue["1.00"], ["local minimum"], JSON.stringify(byValue));
});

test("surveys are reproducible: same seed, same runs; run i depends only on seed + i", async () => {
  const a = await survey(exampleA(), { runs: 20, seed: 7 });
  const b = await survey(exampleA(), { runs: 20, seed: 7 });
  assert.deepEqual(a.values(), b.values());
  const c = await survey(exampleA(), { runs: 10, seed: 17 });
  assert.deepEqual(c.values(), a.values().slice(10));
});

test("interrupts: an AbortSignal or SIGINT stops the survey cleanly with a partial result", async () => {
  const ac = new AbortController();
  const s = await survey(exampleA(), {
    runs: 100,
    progressInterval: 0,
    signal: ac.signal,
    progress: (p) => {
      if (p.done === 5) ac.abort();
    },
  });
  assert.equal(s.interrupted, true);
  assert.equal(s.completed, 5);
  assert.equal(lastSurvey(), s);
  assert.match(s.summary(), /interrupted after 5\/100 runs/);
  const before = process.listenerCount("SIGINT");
  const t = await survey(exampleA(), {
    runs: 100,
    progressInterval: 0,
    progress: (p) => {
      if (p.done === 3) process.emit("SIGINT");
    },
  });
  assert.equal(t.interrupted, true);
  assert.equal(t.completed, 3);
  assert.equal(process.listenerCount("SIGINT"), before, "the SIGINT listener is removed afterwards");
  const u = await survey(exampleA(), { runs: 4, handleSigint: false });
  assert.equal(u.interrupted, false);
});

test("live progress through the kernel display hook: display_data, then update_display_data with the same id", async () => {
  const calls: Array<{ bundle: Record<string, unknown>; opts: { displayId?: string; update?: boolean } }> = [];
  const g = globalThis as Record<symbol, unknown>;
  g[KERNEL_DISPLAY_HOOK] = (bundle: Record<string, unknown>, opts: { displayId?: string; update?: boolean } = {}) => calls.push({ bundle, opts });
  try {
    await survey(exampleA(), { runs: 30, progressInterval: 0 });
  } finally {
    delete g[KERNEL_DISPLAY_HOOK];
  }
  assert.ok(calls.length >= 3);
  const id = calls[0].opts.displayId;
  assert.ok(id && !calls[0].opts.update);
  for (const c of calls.slice(1)) {
    assert.equal(c.opts.displayId, id);
    assert.equal(c.opts.update, true);
    assert.ok(!("text/html" in c.bundle));
  }
  assert.match(String(calls[calls.length - 1].bundle["text/plain"]), /30\/30 runs.*done/);
  const p = new SurveyProgress(3, 10, 1500, [{ value: 0.64, count: 2 }, { value: 1, count: 1 }], "running", "t");
  assert.equal(p.toString(), "t: [#######.................] 3/10 runs; values 0.64 ×2, 1 ×1");
});

test("the result displays itself as a rich table (markdown + plain, no html)", async () => {
  const s = await survey(exampleA(), { runs: 10, seed: 1 });
  const b = s[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(b).sort(), ["text/markdown", "text/plain"]);
  assert.match(String(b["text/markdown"]), /\| value \| count \| fraction/);
  assert.match(String(b["text/plain"]), /survey of weighted square loss/);
  const counts = s.clusters.reduce((a, c) => a + c.count, 0);
  assert.equal(counts, 10);
});

test("parallel workers (worker_threads) give exactly the in-thread results", async (t) => {
  try {
    surveyWorkerPath();
  } catch {
    t.skip("library not built (npm run build)");
    return;
  }
  const opts = { runs: 16, seed: 5, startScale: 1, optimizerOptions: { gradTol: 1e-10 } };
  const one = await survey(exampleA(), opts);
  const two = await survey(exampleA(), { ...opts, workers: 2 });
  assert.equal(two.workers, 2);
  assert.deepEqual(two.values(), one.values());
  assert.deepEqual(two.runs.map((r) => r.iterations), one.runs.map((r) => r.iterations));
  // a spec can be passed directly
  const three = await survey({ kind: "deep-linear", widths: [2, 1, 2], loss: { kind: "weighted-square", params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } }, { ...opts, workers: 2 });
  assert.deepEqual(three.values(), one.values());
});

test("bad options are rejected; workers need a serialisable problem", async () => {
  const { landscape } = await import("../../src/landscape");
  const { DeepLinearNetwork } = await import("../../src/networks");
  const { squareLoss } = await import("../../src/losses");
  const plain = landscape(new DeepLinearNetwork([2, 1, 2]), squareLoss([[1, 0], [0, 1]]));
  await assert.rejects(survey(plain, { workers: 2 }), /workers > 1 need a serialisable problem/);
  await assert.rejects(survey(plain, { runs: -1 }), /runs must be a non-negative integer/);
  await assert.rejects(survey(plain, { optimizer: "sgd" as never }), /optimizer must be one of/);
  await assert.rejects(survey({ kind: "deep-linear", widths: [2, 1, 2], loss: { kind: "hinge" } } as never), /loss.kind must be one of/);
});

test("clusterValues: single linkage with relative tolerance, counts, fractions, non-finite ignored", () => {
  const c = clusterValues([1, 4.0000001, 1 + 1e-9, NaN, 4, 0.64, 1e-20, 0], 1e-6);
  assert.deepEqual(c.map((x) => x.count), [2, 1, 2, 2]);
  assert.deepEqual(c[0].members, [6, 7]);
  assert.deepEqual(c[2].members, [0, 2]);
  assert.ok(Math.abs(c[3].value - 4.00000005) < 1e-12);
  assert.equal(c[1].fraction, 1 / 7);
  assert.deepEqual(clusterValues([]), []);
  assert.throws(() => clusterValues([1], -1), /tol must be/);
});

test("finder surveys (optimizer: 'finder') reach saddles too: Example A gives minima 0.64, 1.00, the mixed saddle 1.4949 (index 1) and the spurious origin 1.64 (rank 0, index 2)", async () => {
  const s = await survey(exampleA(), {
    runs: 60,
    seed: 1,
    startScale: 1,
    optimizer: "finder",
    classify: (L, theta) => `index ${hessianNegativeCount(L, L.pack(theta), { steps: L.dim }).negative}`,
  });
  const byValue = s.clusters.map((c) => ({ value: c.value, ranks: Object.keys(c.ranks), verdicts: Object.keys(c.verdicts) }));
  assert.equal(byValue.length, 4, s.toString());
  const expected = [
    { value: 0.64, rank: "1", index: "index 0" },
    { value: 1.0, rank: "1", index: "index 0" },
    { value: 1.4949, rank: "1", index: "index 1" }, // docs/theory.md#t6: barrier 1.4949 at the mixed critical point
    { value: 1.64, rank: "0", index: "index 2" }, // theta = 0: spurious, L = 1 + 0.64
  ];
  expected.forEach((e, k) => {
    assert.ok(Math.abs(byValue[k].value - e.value) < 1e-4, `${byValue[k].value} vs ${e.value}`);
    assert.deepEqual(byValue[k].ranks, [e.rank]);
    assert.deepEqual(byValue[k].verdicts, [e.index]);
  });
  assert.equal(s.runs.filter((r) => r.converged).length, 60);
});

test("E-A4 (A4, multi-tower): towers (4,1,4) + (4,3,1,2,4) on random data reach 1/2 (tr YY^T - lambda_1 - lambda_2); each tower product has rank 1", async () => {
  const R = rng(4);
  const X = R.gaussian(4, 10);
  const Y = R.gaussian(4, 10);
  const lam = symEig(mmulChain([Y, pinv(X), X, transpose(Y)])).values;
  const predicted = 0.5 * (frobNorm(Y) ** 2 - lam[0] - lam[1]);
  const spec = { kind: "multi-tower" as const, towers: [[4, 1, 4], [4, 3, 1, 2, 4]], loss: { kind: "square-data" as const, params: { X: toRows(X), Y: toRows(Y) } } };
  const s = await survey(spec, { runs: 10, seed: 4, optimizerOptions: { gradTol: 1e-9, maxIter: 5000 } });
  assert.equal(s.clusters.length, 1, s.toString());
  assert.ok(Math.abs(s.clusters[0].value - predicted) <= 1e-6 * predicted, `${s.clusters[0].value} vs ${predicted}`);
  assert.deepEqual(Object.keys(s.clusters[0].ranks), ["2"]);
  const L = buildProblem(spec);
  for (const r of s.runs) {
    const th = L.unpack(r.x!);
    const t1 = mmulChain([th[1], th[0]]);
    const t2 = mmulChain([th[5], th[4], th[3], th[2]]);
    for (const T of [t1, t2]) {
      const sv = symEig(mmulChain([T, transpose(T)])).values;
      assert.ok(sv[1] < 1e-12 * sv[0], "tower product has rank 1");
    }
  }
});

test("non-smooth endpoints (ReLU kinks) are recorded with value and reason and never clustered; exact seeds in the summary", async () => {
  const { reluNetwork } = await import("../../src/networks/relu");
  const { landscape } = await import("../../src/landscape");
  const { squareLoss } = await import("../../src/losses");
  const R = rng(3);
  const X = R.gaussian(2, 6);
  const L = landscape(reluNetwork(2, 1, 1, X), squareLoss(R.gaussian(1, 6)));
  const s = await survey(L, { runs: 40, progress: false, classify: () => "checked" });
  assert.equal(s.completed, 40);
  const kinks = s.runs.filter((r) => r.status === "nonSmooth");
  assert.ok(kinks.length > 0, "width-1 ReLU surveys end at dead units for some seeds");
  for (const r of kinks) {
    assert.equal(r.reason, "nonSmooth");
    assert.equal(r.converged, false);
    assert.ok(Number.isFinite(r.value) && Number.isFinite(r.gradNorm));
    // the recorded endpoint really is at a kink of the network, and its value is L there
    assert.ok((L.net as ReturnType<typeof reluNetwork>).kinks(L.unpack(r.x!)).length > 0);
    assert.equal(r.value, L.valueFlat(r.x!));
    assert.equal(r.verdict, "non-smooth point (kink)");
  }
  const clustered = s.clusters.reduce((a, c) => a + c.count, 0);
  assert.equal(clustered, s.convergedRuns().length);
  assert.equal(clustered + s.unconvergedRuns().length, 40);
  for (const c of s.clusters) assert.equal(c.converged, c.count);
  assert.match(s.summary(), /not clustered: \d+ nonSmooth/);
  // interrupted: the summary names exactly the seeds that ran
  const ac = new AbortController();
  const t = await survey(L, { runs: 200000, seed: 10, progressInterval: 0, signal: ac.signal, progress: (p) => { if (p.done === 7) ac.abort(); } });
  assert.deepEqual(t.seeds(), [10, 11, 12, 13, 14, 15, 16]);
  assert.match(t.summary(), /seeds 10\.\.16\)/);
  assert.doesNotMatch(t.summary(), /200009/);
});

test("a loss without minimiser (logistic, separable data, no ridge): runs are flagged diverged, never clustered as converged", async () => {
  const { landscape } = await import("../../src/landscape");
  const { DeepLinearNetwork } = await import("../../src/networks");
  const { logisticLoss, hasMinimiser } = await import("../../src/losses");
  const loss = logisticLoss([[1, 2, -1, -2], [0.5, 1, -0.5, -1]], [1, 1, 0, 0]);
  assert.equal(hasMinimiser(loss).exists, false);
  const s = await survey(landscape(new DeepLinearNetwork([2, 1, 1]), loss), { runs: 6, progress: false });
  assert.equal(s.clusters.length, 0);
  for (const r of s.runs) {
    assert.equal(r.status, "diverged");
    assert.equal(r.reason, "noMinimiser");
  }
});

test("survey options: unknown keys (also in optimizerOptions / classifyOptions) and a bad signal are typed errors", async () => {
  const { UnknownOptionError, DomainError } = await import("../../src/core/errors");
  const L = exampleA();
  await assert.rejects(survey(L, { run: 3 } as never), (e: unknown) => e instanceof UnknownOptionError && e.suggestion === "runs");
  await assert.rejects(survey(L, { optimizerOptions: { maxiter: 3 } } as never), (e: unknown) => e instanceof UnknownOptionError && e.suggestion === "maxIter");
  await assert.rejects(survey(L, { classify: true, classifyOptions: { eigtol: 1 } } as never), (e: unknown) => e instanceof UnknownOptionError && e.suggestion === "eigTol");
  await assert.rejects(survey(L, { signal: {} } as never), (e: unknown) => e instanceof DomainError && /AbortSignal/.test(String(e)));
});
