/**
 * Batched surveys (fixed-step GD on a deep linear landscape, many runs advanced together on struct-of-arrays
 * buffers) against the reference: `gradientDescent` run by run from the same seeded starts. Every run's final
 * point, value, gradient norm, counts and stop reason must be equal to the last bit, across stop reasons
 * (gradTol at different iterations, valueTol, maxIter, maxEvaluations, divergence), batch boundaries (300 runs) and
 * losses (weighted square loss of Example A, square loss on a deeper net); losses without a batched form and
 * other optimisers take the per-run path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { buildProblem, survey } from "../../src/experiments";
import { gradientDescent } from "../../src/optim/gd";
import { randomStart } from "../../src/optim/minimize";
import type { Landscape } from "../../src/landscape/landscape";
import { deepLinearBatch } from "../../src/landscape/batchedDeepLinear";

const exampleA = (): Landscape =>
  buildProblem({ kind: "deep-linear", widths: [2, 1, 2], loss: { kind: "weighted-square", params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } });
const deeper = (): Landscape =>
  buildProblem({ kind: "deep-linear", widths: [4, 2, 3, 4], loss: { kind: "square", params: { Q: [[4, 0, 0, 0], [0, 3, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]] } } });

async function compare(L: Landscape, runs: number, seed: number, opts: Record<string, number>, startScale = 0.5): Promise<Set<string>> {
  const sv = await survey(L, { runs, seed, optimizer: "gd", optimizerOptions: opts, startScale, progress: false });
  assert.equal(sv.runs.length, runs);
  const reasons = new Set<string>();
  for (let i = 0; i < runs; i++) {
    const ref = gradientDescent(L, randomStart(L, rng(seed + i), startScale), opts);
    const got = sv.runs[i];
    assert.equal(got.run, i);
    assert.ok(Object.is(got.value, ref.value), `run ${i}: value ${got.value} vs ${ref.value}`);
    assert.ok(Object.is(got.gradNorm, ref.gradNorm), `run ${i}: gradNorm`);
    assert.equal(got.iterations, ref.iterations, `run ${i}: iterations`);
    assert.equal(got.evaluations, ref.evaluations, `run ${i}: evaluations`);
    assert.equal(got.reason, ref.reason, `run ${i}: reason`);
    assert.equal(got.converged, ref.converged, `run ${i}: converged`);
    const x = got.x as Float64Array;
    for (let k = 0; k < x.length; k++) assert.ok(Object.is(x[k], ref.x[k]), `run ${i}: x[${k}]`);
    reasons.add(got.reason);
  }
  return reasons;
}

test("batched survey equals gradientDescent run by run: Example A, gradTol stops at different iterations, 300 runs", async () => {
  assert.equal(typeof deepLinearBatch(exampleA(), 4)?.step, "function", "Example A takes the batched path, generated kernel");
  const reasons = await compare(exampleA(), 300, 5, { step: 0.02, gradTol: 1e-6, maxIter: 3000 });
  assert.ok(reasons.has("gradTol"), `some runs converge (${[...reasons]})`);
});

test("batched survey equals gradientDescent run by run: valueTol, maxIter, maxEvaluations, a deeper square loss", async () => {
  assert.ok((await compare(exampleA(), 40, 0, { step: 0.01, gradTol: 0, valueTol: 1e-9, maxIter: 5000 })).has("valueTol"));
  assert.ok((await compare(deeper(), 40, 9, { step: 0.01, gradTol: 1e-8, maxIter: 200 })).has("maxIter"));
  assert.ok((await compare(deeper(), 10, 2, { step: 0.01, gradTol: 0, maxEvaluations: 57 })).has("maxEvaluations"));
});

test("batched survey on a wider net (the loop kernel, not the generated one) equals gradientDescent run by run", async () => {
  const r = rng(4);
  const Q = r.gaussian(16, 16).to2DArray();
  const L = buildProblem({ kind: "deep-linear", widths: [16, 12, 16], loss: { kind: "square", params: { Q } } });
  const batch = deepLinearBatch(L, 4);
  assert.ok(batch !== null && batch.step === undefined, "loop kernel");
  await compare(L, 6, 3, { step: 0.005, gradTol: 1e-8, maxIter: 60 }, 0.3);
});

test("batched survey: a diverging step ends as gradientDescent does (nonFinite, or the same error)", async () => {
  const L = exampleA();
  const opts = { step: 0.5, gradTol: 1e-8, maxIter: 400 };
  let refError: unknown = null;
  const refs = [];
  for (let i = 0; i < 12 && refError === null; i++) {
    try {
      refs.push(gradientDescent(L, randomStart(L, rng(i), 0.5), opts));
    } catch (e) {
      refError = e;
    }
  }
  if (refError !== null) {
    await assert.rejects(survey(L, { runs: 12, seed: 0, optimizer: "gd", optimizerOptions: opts, progress: false }), (e: Error) => e.message === (refError as Error).message);
  } else {
    const reasons = await compare(L, 12, 0, opts);
    assert.ok(reasons.has("nonFinite"));
  }
});

test("workers: chunks of batched runs in the warm pool give the in-thread numbers; \"auto\" stays in-thread for small work", async (t) => {
  const { surveyWorkerPath } = await import("../../src/experiments");
  try {
    surveyWorkerPath();
  } catch {
    t.skip("library not built (npm run build)");
    return;
  }
  const spec = { kind: "deep-linear" as const, widths: [2, 1, 2], loss: { kind: "weighted-square" as const, params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } };
  const opts = { runs: 40, seed: 3, optimizer: "gd" as const, optimizerOptions: { step: 0.02, gradTol: 1e-6, maxIter: 500 }, progress: false };
  const { expectedStartMs } = await import("../../src/experiments/workerPool");
  // a pool not started yet: its start (100 ms by default) plus the whole JIT warm-up (200 ms over the first 8000 runs)
  assert.equal(expectedStartMs(2), 300);
  const one = await survey(spec, opts);
  const two = await survey(spec, { ...opts, workers: 2 });
  const again = await survey(spec, { ...opts, workers: 2 }); // the warm pool, reused
  assert.equal(two.workers, 2);
  // started, 80 runs answered: only the rest of the warm-up is left
  assert.ok(Math.abs(expectedStartMs(2) - 200 * (1 - 80 / 8000)) < 1e-9, `expected start ${expectedStartMs(2)}`);
  for (const s of [two, again]) {
    assert.deepEqual(s.values(), one.values());
    assert.deepEqual(s.runs.map((r) => r.iterations), one.runs.map((r) => r.iterations));
  }
  const auto = await survey(spec, { ...opts, workers: "auto" });
  assert.equal(auto.workers, 1, "40 short batched runs: not worth a worker");
  assert.deepEqual(auto.values(), one.values());
  await assert.rejects(survey(spec, { ...opts, workers: "many" as never }), /workers must be a positive integer or "auto"/);
});

test("runChunks: one worker holding two chunks computes every run exactly once; a stop ends dispatch; jobs at once share it", async (t) => {
  const { surveyWorkerPath } = await import("../../src/experiments");
  const { runChunks, ensureWorkers } = await import("../../src/experiments/workerPool");
  const { fromColumns } = await import("../../src/experiments/runColumns");
  type Cols = import("../../src/experiments/runColumns").RunColumns;
  const runsOf = (c: Cols): number[] => fromColumns(c).map((r) => r.run);
  try {
    surveyWorkerPath();
  } catch {
    t.skip("library not built (npm run build)");
    return;
  }
  await ensureWorkers(surveyWorkerPath(), 1);
  const spec = { kind: "deep-linear" as const, widths: [2, 1, 2], loss: { kind: "weighted-square" as const, params: { Lambda: [[1, 10], [10, 1]], Q: [[1, 0], [0, 0.8]] } } };
  const settings = { optimizer: "gd", optimizerOptions: { step: 0.02, gradTol: 1e-6, maxIter: 200 }, seed: 3, startScale: 1, keepPoints: false, rankTol: 1e-6, rankAbsTol: 1e-10 };
  const many = Array.from({ length: 40 }, (_, c) => [2 * c, 2 * c + 1]);
  const seen: number[] = [];
  await runChunks<Cols>(1, { spec, settings }, many, () => false, (recs) => seen.push(...runsOf(recs)));
  assert.deepEqual(seen, many.flat(), "one worker answers its chunks in order, each run once");
  // a stop after the first answered chunk: the promise resolves, later answers are dropped
  let answered = 0;
  await runChunks<Cols>(1, { spec, settings }, many, () => answered >= 1, () => void answered++);
  assert.ok(answered >= 1 && answered <= 3, `stopped after ${answered} chunks (two in flight at most)`);
  // a job started while the stopped one's chunks are still in flight gets every one of its runs, once
  let stopNow = false;
  const first = runChunks<Cols>(1, { spec, settings }, many, () => stopNow, () => void (stopNow = true));
  await first;
  const again: number[] = [];
  await runChunks<Cols>(1, { spec, settings }, many.slice(0, 5), () => false, (recs) => again.push(...runsOf(recs)));
  assert.deepEqual(again, many.slice(0, 5).flat());
  // two jobs at once on the same worker (surveys awaited together): both complete, each with its own runs
  const a: number[] = [];
  const b: number[] = [];
  await Promise.all([
    runChunks<Cols>(1, { spec, settings }, many.slice(0, 12), () => false, (recs) => a.push(...runsOf(recs))),
    runChunks<Cols>(1, { spec, settings }, many.slice(20, 30), () => false, (recs) => b.push(...runsOf(recs))),
  ]);
  assert.deepEqual(a, many.slice(0, 12).flat());
  assert.deepEqual(b, many.slice(20, 30).flat());
  await runChunks<Cols>(1, { spec, settings }, [], () => false, () => assert.fail("no chunk"));
});

test("survey records as columns (the workers' wire form) come back equal, field order included, with detail and x where present", async () => {
  const { toColumns, fromColumns } = await import("../../src/experiments/runColumns");
  const L = exampleA();
  const base = await survey(L, { runs: 6, seed: 11, optimizer: "gd", optimizerOptions: { step: 0.02, maxIter: 300 }, progress: false, keepPoints: true });
  const runs = base.runs.map((r) => ({ ...r }));
  // the unusual values a record can hold: a non-smooth endpoint's message, -0, infinities, a dropped point
  const { x: x1, ...rest1 } = runs[1];
  runs[1] = { ...rest1, detail: "kink at ...", x: x1 }; // recordRun's order: detail, then x
  runs[2].value = Infinity;
  runs[2].gradNorm = NaN;
  runs[3].value = -0;
  delete runs[4].x;
  const back = fromColumns(toColumns(runs));
  assert.equal(back.length, runs.length);
  for (let i = 0; i < runs.length; i++) {
    assert.deepEqual(Object.keys(back[i]), Object.keys(runs[i]).filter((k) => k !== "verdict"), `field order of run ${i}`);
    for (const k of Object.keys(runs[i]) as Array<keyof typeof runs[number]>) assert.ok(Object.is(back[i][k], runs[i][k]) || (k === "x" && String(back[i].x) === String(runs[i].x)), `run ${i}: ${k}`);
  }
  assert.equal(toColumns(base.runs.map((r) => ({ ...r, x: undefined }))).x, null, "no point kept: no x column");
});
