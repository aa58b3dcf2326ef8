// classifyCriticalPoints / inertiaCounts: the verdict-table loop shared by chapters 04 and 05 (T5, T6).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError, classifyCriticalPoint, classifyCriticalPoints, ex1, exampleA, inertiaCounts } from "../../src";

test("classifyCriticalPoints classifies each case in order and equals classifyCriticalPoint case by case", () => {
  const E = ex1();
  const cases = [
    { name: "origin", theta: E.points.origin },
    { name: "minimum", theta: E.points.minimum },
  ];
  const { rows, reports } = classifyCriticalPoints(
    cases,
    (c) => ({ L: E.landscape, theta: c.theta, options: { globalValue: 0 } }),
    (c, rep, k) => ({ k, name: c.name, verdict: rep.verdict, ...inertiaCounts(rep) }),
  );
  assert.equal(reports.length, 2);
  cases.forEach((c, k) => {
    const one = classifyCriticalPoint(E.landscape, c.theta, { globalValue: 0 });
    assert.equal(rows[k].verdict, one.verdict);
    assert.equal(rows[k].k, k);
    assert.deepEqual({ negative: rows[k].negative, zero: rows[k].zero, positive: rows[k].positive }, {
      negative: one.inertia?.negative,
      zero: one.inertia?.zero,
      positive: one.inertia?.positive,
    });
  });
  // Ex-1: the origin is a strict saddle (Hessian eigenvalues ±2), (1, 1) a global minimum (D1)
  assert.equal(rows[0].verdict, "strict saddle");
  assert.equal(rows[0].negative, 1);
  assert.equal(rows[1].verdict, "global minimum");
});

test("inertiaCounts reads the inertia of Example A's candidate (T6: one zero eigenvalue, the fibre)", () => {
  const A = exampleA(10, 0.8);
  const rep = classifyCriticalPoint(A.landscape, A.points.candidate, { globalValue: 0.64 });
  assert.deepEqual(inertiaCounts(rep), { negative: 0, zero: 1, positive: 3 });
  assert.throws(() => inertiaCounts({} as never), DomainError);
  assert.throws(() => classifyCriticalPoints("x" as never, () => ({}) as never, () => 0), DomainError);
});
