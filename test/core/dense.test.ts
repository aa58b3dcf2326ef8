/**
 * Register-blocked products (src/core/dense.ts) against the plain triple loop they replace: equal to the last
 * bit for `A B`, `A B^T`, `A^T B` and the triangular case, on every size up to 9×9×9 (the 4×2 tiles and all their
 * remainders) and a few larger shapes, with offsets and output strides. Both backends: the JavaScript loops and
 * the WebAssembly SIMD kernel (shapes above SIMD_MIN_WORK with every remainder of its 4×4 tiles); the SIMD
 * module must be built, and every module in dist/wasm must be what its source in wasm/ compiles to.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { rng } from "../../src";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gemmStrided, gemmStridedJs, denseBackend, SIMD_MIN_WORK } from "../../src/core/dense";
import { loadWasmKernel } from "../../src/core/wasmKernel";

function randomArray(len: number, seed: number, zeros = false): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(len);
  for (let i = 0; i < len; i++) a[i] = zeros && i % 3 === 0 ? 0 : r.normal();
  return a;
}

/** The reference: plain loops, `i-p-j` axpy order (the form the landscape used before the kernel). */
function naive(m: number, n: number, k: number, A: (i: number, p: number) => number, B: (p: number, j: number) => number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += A(i, p) * B(p, j);
  return c;
}

function assertBitEqual(got: Float64Array, cOff: number, cis: number, want: Float64Array, m: number, n: number, what: string): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const g = got[cOff + i * cis + j];
      const w = want[i * n + j];
      if (!Object.is(g, w)) assert.fail(`${what}: C[${i}][${j}] = ${g}, loop gives ${w}`);
    }
  }
}

const shapes: Array<[number, number, number]> = [];
for (let m = 1; m <= 9; m++) for (let n = 1; n <= 9; n++) for (const k of [0, 1, 2, 5, 9]) shapes.push([m, n, k]);
shapes.push([33, 17, 40], [64, 32, 64], [13, 64, 7]);
// SIMD shapes: m, n over every remainder mod 4 (and below 4, where the JavaScript path stays), k long enough
for (const m of [3, 4, 5, 6, 7, 8, 9, 10, 11]) for (const n of [4, 5, 6, 7, 13]) shapes.push([m, n, Math.ceil(SIMD_MIN_WORK / (m * n)) + 3]);
shapes.push([128, 64, 128], [65, 129, 31]);

const backends = { gemmStrided, gemmStridedJs };

test("the SIMD backend is built and used for large products", () => {
  assert.equal(denseBackend(), "wasm-simd", "dist/wasm/dense.wasm missing or not loadable: run `npm run build`");
});

test("every dist/wasm/<name>.wasm is what wasm/<name>.ts compiles to (no stale build)", () => {
  const { ascArgs } = require("../../kernel/build-wasm.js") as { ascArgs: (src: string, out: string) => string[] };
  const root = path.resolve(__dirname, "..", "..");
  const sources = fs.readdirSync(path.join(root, "wasm")).filter((f) => f.endsWith(".ts"));
  assert.ok(sources.includes("dense.ts") && sources.includes("symEigvals.ts"), `wasm sources: ${sources.join(", ")}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-wasm-"));
  for (const f of sources) {
    const name = f.replace(/\.ts$/, ".wasm");
    const out = path.join(dir, name);
    execFileSync(process.execPath, [path.join(root, "node_modules/assemblyscript/bin/asc.js"), ...ascArgs(path.join(root, "wasm", f), out)]);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(path.join(root, "dist/wasm", name))), `${name}: rebuild with \`npm run build\``);
  }
});

for (const [name, gemm] of Object.entries(backends)) test(`${name}: A B, A B^T and A^T B equal the triple loop to the last bit`, () => {
  let seed = 1;
  for (const [m, n, k] of shapes) {
    const a = randomArray(m * k + 3, seed++, true);
    const b = randomArray(k * n + 5, seed++);
    const cis = n + 2;
    const c = new Float64Array(1 + m * cis);
    // A B: A row-major m×k at offset 3, B row-major k×n at offset 5
    c.fill(7); // entries outside the m×n block must stay untouched
    gemm(m, n, k, a, 3, k, 1, b, 5, n, 1, c, 1, cis);
    for (let i = 0; i < m; i++) for (let j = n; j < cis && 1 + i * cis + j < c.length; j++) assert.equal(c[1 + i * cis + j], 7, `${name} wrote outside C`);
    assertBitEqual(c, 1, cis, naive(m, n, k, (i, p) => a[3 + i * k + p], (p, j) => b[5 + p * n + j]), m, n, `AB ${m}x${n}x${k}`);
    // A B^T with B stored n×k
    gemm(m, n, k, a, 3, k, 1, b, 5, 1, k, c, 1, cis);
    assertBitEqual(c, 1, cis, naive(m, n, k, (i, p) => a[3 + i * k + p], (p, j) => b[5 + j * k + p]), m, n, `ABt ${m}x${n}x${k}`);
    // A^T B with A stored k×m
    gemm(m, n, k, a, 3, 1, m, b, 5, n, 1, c, 1, cis);
    assertBitEqual(c, 1, cis, naive(m, n, k, (i, p) => a[3 + p * m + i], (p, j) => b[5 + p * n + j]), m, n, `AtB ${m}x${n}x${k}`);
  }
});

for (const [name, gemm] of Object.entries(backends)) test(`${name}: the triangular case (B(p, j) = 0 for p < j) equals the full sum to the last bit`, () => {
  let seed = 100;
  for (const [m, n] of [[1, 1], [3, 5], [4, 4], [7, 9], [12, 33], [16, 17], [21, 30], [64, 64]] as const) {
    const e = randomArray(m * n, seed++);
    const R = randomArray(n * n, seed++);
    for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) R[r * n + c] = 0; // upper triangular
    const c = new Float64Array(m * n);
    gemm(m, n, n, e, 0, n, 1, R, 0, 1, n, c, 0, n, true); // E R^T
    // reference: the loss's original loop, s = sum_{a >= k} e_ia R_ka
    const want = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let a = k; a < n; a++) s += e[i * n + a] * R[k * n + a];
        want[i * n + k] = s;
      }
    }
    assertBitEqual(c, 0, n, want, m, n, `E R^T ${m}x${n}`);
  }
});

test("wasm kernels: scratch past wasm32's 4 GB is null (the callers' JavaScript fallback), and the memory keeps serving", (t) => {
  const k = loadWasmKernel<{ packPanels(...a: number[]): void }>("dense");
  if (k === null) {
    t.skip("kernels not built (npm run build)");
    return;
  }
  assert.equal(k.f64(2 ** 29 + 1), null, "2^29 + 1 doubles do not fit in 65536 pages");
  // the refused growth left the memory as it was: it still serves, with its contents
  const f = k.f64(1024) as Float64Array;
  f[1000] = 42;
  assert.equal(k.f64(4096)?.[1000], 42);
});
