/**
 * Off-fibre Hessian eigenvalues at Example A's candidate `s e_2 e_2^T`: the hand derivation gives
 * `2(Ks - 1), 2(Ks + 1), 4s` (the fibre's zero removed); input checks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError, exampleA, offFibreEigenvalues, symEig } from "../../src";

test("offFibreEigenvalues at Example A's candidate = {2(Ks + 1), 4s, 2(Ks - 1)} (hand derivation)", () => {
  const s = 0.8;
  for (const K of [0.5, 1, 1.3, 10]) {
    const A = exampleA(K, s);
    const ev = offFibreEigenvalues(A.landscape, A.points.candidate);
    const expected = [2 * (K * s + 1), 4 * s, 2 * (K * s - 1)].sort((a, b) => b - a);
    assert.equal(ev.length, 3);
    ev.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-9, `K = ${K}: ${ev} vs ${expected}`));
    const full = symEig(A.landscape.hessian(A.points.candidate)).values;
    assert.equal(full.length, 4);
    assert.ok(full.some((x) => Math.abs(x) < 1e-12), "the full Hessian has the fibre's zero");
  }
});

test("offFibreEigenvalues checks its input", () => {
  const A = exampleA(10, 0.8);
  assert.throws(() => offFibreEigenvalues({} as never, A.points.candidate), DomainError);
  assert.throws(() => offFibreEigenvalues(A.landscape, A.points.candidate, 0), DomainError);
});
