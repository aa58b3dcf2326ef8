// ED degree of M_r: C(min(m, n), r), checked against the number of rank-r critical images that the T5 enumeration builds
// (and verifies critical) for generic Q, and against the count of critical points of the distance found on a rank-1 slice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError, criticalImages, edDegree, matrixProblem, rng, squareLoss, determinantalVariety } from "../../src";

test("edDegree = number of pure critical images of ||W − Q||² on M_r for generic Q", () => {
  const g = rng(3);
  for (const [m, n, r] of [[2, 2, 1], [3, 2, 1], [4, 3, 2], [4, 4, 2], [5, 3, 3]]) {
    const Q = g.gaussian(m, n);
    const widths = [n, r, m];
    const set = criticalImages(matrixProblem(Q), widths);
    const pure = set.images.filter((im) => im.I.length === r);
    assert.equal(pure.length, edDegree(m, n, r), `${m}×${n}, r = ${r}`);
    // each is critical on M_r: the gradient of l is normal to the variety there (G W^T = 0, W^T G = 0)
    const M = determinantalVariety(m, n, r);
    for (const im of pure) {
      const rep = M.isCriticalFor(squareLoss(Q), im.W);
      assert.ok(rep.critical && rep.smooth, `${m}×${n}, I = ${im.I}`);
    }
  }
  assert.equal(edDegree(6, 9, 3), 20);
  assert.equal(edDegree(3, 3, 0), 1);
});

test("edDegree: typed errors", () => {
  for (const [m, n, r] of [[0, 2, 1], [2, 2, 3], [2.5, 2, 1], [2, 2, -1], [2, 2, 1.5]]) assert.throws(() => edDegree(m, n, r), DomainError);
  assert.throws(() => edDegree("2" as never, 2, 1), DomainError);
  assert.throws(() => edDegree(200, 200, 100), /overflows/);
});
