import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src/core/random";
import { DeepLinearNetwork } from "../../src/networks";
import { squareLossData, weightedSquareLoss } from "../../src/losses";
import { landscape, randomDirection, slice1D, slice2D, interpolate } from "../../src/landscape";
import { randomStart } from "../../src/optim";

function net() {
  const R = rng(31);
  return landscape(new DeepLinearNetwork([3, 4, 2]), squareLossData(R.gaussian(3, 6), R.gaussian(2, 6)));
}

test("filter-normalised direction: every row of every block has the norm of the matching row of theta (Li et al. 2018)", () => {
  const L = net();
  const x = randomStart(L, rng(1), 1);
  x.fill(0, 3, 6); // zero the second row of W_1 (4×3): the direction's row must be zero too
  const d = randomDirection(L, x, rng(2));
  let off = 0;
  for (const [rows, cols] of L.net.paramShapes) {
    for (let k = 0; k < rows; k++) {
      let nx = 0;
      let nd = 0;
      for (let j = 0; j < cols; j++) {
        nx += x[off + k * cols + j] ** 2;
        nd += d[off + k * cols + j] ** 2;
      }
      assert.ok(Math.abs(Math.sqrt(nx) - Math.sqrt(nd)) < 1e-12, `block row ${k}`);
    }
    off += rows * cols;
  }
  assert.ok(Array.from(d.slice(3, 6)).every((v) => v === 0));
  const g = randomDirection(L, x, rng(2), "global");
  const n = (a: Float64Array) => Math.hypot(...Array.from(a));
  assert.ok(Math.abs(n(g) - n(x)) < 1e-12);
  assert.deepEqual(Array.from(randomDirection(L, x, rng(2))), Array.from(d), "seeded");
  assert.throws(() => randomDirection(L, x, rng(2), "layer" as never), /normalization must be/);
});

test("1-D slice matches L along the line; its centre value is L(theta); quadratic along a line for the data square loss at depth 1", () => {
  const L = net();
  const x = randomStart(L, rng(3), 1);
  const s = slice1D(L, x, { rng: rng(4), steps: 21, range: [-2, 2] });
  assert.equal(s.rows.length, 21);
  assert.equal(s.rows[10].x, 0);
  assert.ok(Math.abs(s.rows[10].loss - L.valueFlat(x)) < 1e-12);
  assert.equal(s.centerLoss, L.valueFlat(x));
  for (const { x: t, loss } of s.rows) {
    const y = x.map((v, i) => v + t * s.direction[i]);
    assert.ok(Math.abs(loss - L.valueFlat(y)) < 1e-12);
  }
  // given direction along W_1 only: L(W_2 (W_1 + t D)) is quadratic in t -> third differences vanish
  const dir = new Float64Array(L.dim);
  dir[0] = 1;
  dir[5] = -0.5;
  const q = slice1D(L, x, { direction: dir, steps: 7 }).rows.map((r) => r.loss);
  for (let i = 0; i + 3 < q.length; i++) assert.ok(Math.abs(q[i + 3] - 3 * q[i + 2] + 3 * q[i + 1] - q[i]) < 1e-9);
  assert.throws(() => slice1D(L, x), /give options.direction or options.rng/);
  assert.throws(() => slice1D(L, x, { rng: rng(1), steps: 1 }), /steps must be an integer >= 2/);
});

test("2-D slice: rows and grid agree, grid shape ny × nx, centre value", () => {
  const L = net();
  const x = randomStart(L, rng(5), 1);
  const s = slice2D(L, x, { rng: rng(6), steps: 9, xRange: [-1, 1], yRange: [-0.5, 0.5] });
  assert.equal(s.rows.length, 81);
  assert.equal(s.grid.z.length, 9);
  assert.equal(s.grid.z[0].length, 9);
  assert.ok(Math.abs(s.grid.z[4][4] - L.valueFlat(x)) < 1e-12);
  for (const r of s.rows) {
    const i = s.grid.x.indexOf(r.x);
    const j = s.grid.y.indexOf(r.y);
    assert.equal(s.grid.z[j][i], r.loss);
    const y = x.map((v, k) => v + r.x * s.direction1[k] + r.y * s.direction2[k]);
    assert.ok(Math.abs(r.loss - L.valueFlat(y)) < 1e-12);
  }
});

test("interpolation between the two minima of Example A (T6) shows a barrier; endpoints are the endpoint losses", () => {
  // d = (2,1,2), Lambda = [[1,10],[10,1]], Q = diag(1, 0.8): minima e1 e1^T (0.64) and 0.8 e2 e2^T (1.00)
  const L = landscape(new DeepLinearNetwork([2, 1, 2]), weightedSquareLoss([[1, 10], [10, 1]], [[1, 0], [0, 0.8]]));
  const a = [1, 0, 1, 0]; // W_1 = e1^T, W_2 = e1
  const s = Math.sqrt(0.8);
  const b = [0, s, 0, s];
  const rows = interpolate(L, a, b, { steps: 41 });
  assert.ok(Math.abs(rows[0].loss - 0.64) < 1e-12);
  assert.ok(Math.abs(rows[40].loss - 1.0) < 1e-12);
  const top = Math.max(...rows.map((r) => r.loss));
  assert.ok(top > 1.0, `barrier ${top}`);
  const ext = interpolate(L, a, b, { range: [-0.5, 1.5], steps: 5 });
  assert.deepEqual(ext.map((r) => r.x), [-0.5, 0, 0.5, 1, 1.5]);
});
