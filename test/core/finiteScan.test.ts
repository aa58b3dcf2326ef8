/**
 * The hot-path finiteness scan (src/core/finiteScan.ts; SIMD from SIMD_SCAN_MIN entries, and its JavaScript twin)
 * against the per-entry definition: for every length 0..11, around one and two blocks of eight (15, 16, 17, 23), around
 * the SIMD threshold and a long array, every position and every kind of non-finite value (NaN, +∞, −∞), alone and with a second one later,
 * it returns the first non-finite index; −1 for finite arrays (including −0, huge and tiny entries).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SIMD_SCAN_MIN, finiteScanBackend, firstNonFinite, firstNonFiniteJs } from "../../src/core/finiteScan";
import { denseBackend } from "../../src/core/dense";

const reference = (a: Float64Array): number => a.findIndex((v) => !Number.isFinite(v));

test("firstNonFinite (both backends): the first NaN / ±Infinity index, or -1", () => {
  let checked = 0;
  for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 23, SIMD_SCAN_MIN - 1, SIMD_SCAN_MIN, SIMD_SCAN_MIN + 7, 1029]) {
    const base = new Float64Array(n).map((_, k) => [1e308, -0, 5e-324, -3.5, 0][k % 5]);
    assert.equal(firstNonFinite(base), -1, `finite length ${n}`);
    assert.equal(firstNonFiniteJs(base), -1, `finite length ${n} (JavaScript twin)`);
    for (let p = 0; p < n; p += n > 20 ? 97 : 1) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const a = base.slice();
        a[p] = bad;
        if (p + 2 < n) a[p + 2] = NaN; // a later one must not win
        assert.equal(firstNonFinite(a), reference(a), `length ${n}, ${bad} at ${p}`);
        assert.equal(firstNonFinite(a), p);
        assert.equal(firstNonFiniteJs(a), p, `JavaScript twin, length ${n}, ${bad} at ${p}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 200);
  // the SIMD scan is built and loaded wherever the dense kernel is (same build step), so the long arrays above ran on it
  assert.equal(finiteScanBackend(), denseBackend());
});
