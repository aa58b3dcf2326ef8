/**
 * Loader of the WebAssembly SIMD kernels compiled from `wasm/*.ts` (AssemblyScript, built into
 * `dist/wasm/<name>.wasm` by `npm run build`). One module instance per kernel, each with its own linear
 * memory used as scratch: a call copies its operands in, runs, and copies the result out, and no JavaScript view is
 * kept across a `memory.grow` (growing keeps the contents: the Gram-form square loss leaves its constants there
 * between calls, see `src/losses/squareGramKernel.ts`).
 *
 * Where a module is missing (the library run from source before a build) or WebAssembly SIMD is not available,
 * {@link loadWasmKernel} returns `null` and the caller keeps its JavaScript path; every kernel's JavaScript twin
 * gives the same result to the last bit, so the backend changes speed, never values.
 * @module
 */

import * as fs from "fs";
import * as path from "path";

/* Minimal typing of the WebAssembly global (the project compiles against lib ES2020, which has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
declare const WebAssembly: WasmGlobal;

const PAGE = 65536;

/** A loaded kernel: its exported functions and a scratch memory that grows on demand. */
export interface WasmKernel<E> {
  /** The module's exported functions. */
  readonly fns: E;
  /**
   * A `Float64Array` over the whole scratch memory, at least `doubles` long (the memory grows if needed; the
   * returned view is valid until the next call of `f64`), or `null` when the memory cannot grow that far (wasm32:
   * 4 GB), in which case the caller runs its JavaScript twin.
   */
  f64(doubles: number): Float64Array | null;
  /** Where the module came from (for reports): the `.wasm` path. */
  readonly file: string;
}

/**
 * A count of doubles rounded up to an even number, so that the next block of a kernel's layout starts 16-byte
 * aligned (for `v128` loads). Generic infrastructure of the kernels' memory layouts.
 * @throws never.
 */
export function evenDoubles(x: number): number {
  return x + (x & 1);
}

/** Folder of the compiled kernels: `dist/wasm` under the package root (the same from `src/core` and `dist/core`). */
export const WASM_DIR = path.resolve(__dirname, "..", "..", "dist", "wasm");

/**
 * Loads and instantiates `dist/wasm/<name>.wasm`, or returns `null` if the file is missing or does not
 * compile here (no SIMD). Internal infrastructure of the dense products and the eigenvalue reduction.
 * @param name - module name, e.g. `"dense"`.
 * @throws never (a missing or invalid module is `null`).
 */
export function loadWasmKernel<E>(name: string): WasmKernel<E> | null {
  const file = path.join(WASM_DIR, `${name}.wasm`);
  if (typeof WebAssembly === "undefined" || !fs.existsSync(file)) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 16 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {
      env: {
        memory,
        abort: () => {
          throw new Error(`wasm kernel ${name}: abort`);
        },
      },
    });
    let view = new Float64Array(memory.buffer);
    return {
      fns: instance.exports as unknown as E,
      file,
      f64(doubles: number): Float64Array | null {
        const bytes = doubles * 8;
        if (bytes > memory.buffer.byteLength) {
          try {
            memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
          } catch {
            return null;
          }
        }
        if (view.buffer !== memory.buffer) view = new Float64Array(memory.buffer);
        return view;
      },
    };
  } catch {
    return null;
  }
}
