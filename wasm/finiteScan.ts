// AssemblyScript source of the finiteness scan (compiled by kernel/build-wasm.js into dist/wasm/finiteScan.wasm;
// loaded by src/core/finiteScan.ts). Not TypeScript for tsc: `f64x2`, `v128`, `load` and `usize` are AssemblyScript
// built-ins.
//
// The same test as the JavaScript twin: the sum of a[k] * 0 over the array is ±0 exactly when every entry is finite
// (a finite entry gives ±0, NaN and ±∞ give NaN, and NaN absorbs); only then is the answer -1, otherwise a second
// scan finds the first k with a[k] - a[k] != 0. The result is an index, so the order of the sum does not matter:
// four f64x2 accumulators, eight entries per step.

/** Index of the first NaN or ±∞ among the `n` doubles at byte offset `a`, or -1 when all are finite. */
export function firstNonFinite(a: usize, n: i32): i32 {
  const z = f64x2.splat(0);
  let s0 = z;
  let s1 = z;
  let s2 = z;
  let s3 = z;
  let k = 0;
  let p = a;
  for (; k + 7 < n; k += 8) {
    s0 = f64x2.add(s0, f64x2.mul(v128.load(p), z));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(p, 16), z));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(p, 32), z));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(p, 48), z));
    p += 64;
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; k < n; k++) t += load<f64>(a + (<usize>k << 3)) * 0;
  if (t == 0) return -1;
  for (k = 0; k < n; k++) {
    const v = load<f64>(a + (<usize>k << 3));
    if (v - v != 0) return k;
  }
  return -1;
}
