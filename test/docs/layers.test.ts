/**
 * The architecture as a test: every import in `src/` points down the floors of the house (or stays in its
 * room), and no module imports itself through a cycle. Floors, lowest first:
 *   core < display < {networks, losses, plots, claims} < spaces < optim < landscape < critical < experiments < course
 * `optim` holds optimisers on flat objectives (they need nothing above `core`, type imports aside);
 * `experiments` holds surveys, which call the verdicts of `critical`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

const SRC = path.resolve(__dirname, "../../src");
const FLOOR: Record<string, number> = {
  core: 0, display: 1, networks: 2, losses: 2, plots: 2, claims: 2, spaces: 3, optim: 4, landscape: 5,
  critical: 6, experiments: 7, ".": 9,
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}
const roomOf = (file: string) => { const rel = path.relative(SRC, file).split(path.sep); return rel.length > 1 ? rel[0] : "."; };
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/g;
function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base + ".ts", path.join(base, "index.ts")]) if (fs.existsSync(c)) return c;
  throw new Error(`${path.relative(SRC, from)}: cannot resolve import ${spec}`);
}
const graph = new Map<string, string[]>(files(SRC).map((f) => [f, [...fs.readFileSync(f, "utf8").matchAll(IMPORT)].map((m) => resolve(f, m[1]))]));

test("layers: every src/ folder has a floor", () => {
  const rooms = new Set([...graph.keys()].map(roomOf));
  for (const r of rooms) assert.ok(r in FLOOR, `src/${r} has no floor in this test; add it to FLOOR`);
});

test("layers: every import points down the floors or stays in its room", () => {
  const up: string[] = [];
  for (const [f, deps] of graph) {
    for (const d of deps) {
      const a = roomOf(f), b = roomOf(d);
      if (a !== b && FLOOR[b] >= FLOOR[a]) up.push(`${path.relative(SRC, f)} -> ${path.relative(SRC, d)} (${a} floor ${FLOOR[a]} imports ${b} floor ${FLOOR[b]})`);
    }
  }
  assert.deepEqual(up, []);
});

test("layers: no import cycle between modules", () => {
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (u: string, stack: string[]) => {
    state.set(u, 1);
    stack.push(u);
    for (const w of graph.get(u) ?? []) {
      if (state.get(w) === 1) cycles.push([...stack.slice(stack.indexOf(w)), w].map((p) => path.relative(SRC, p)).join(" -> "));
      else if (!state.has(w)) visit(w, stack);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const u of graph.keys()) if (!state.has(u)) visit(u, []);
  assert.deepEqual(cycles, []);
});
