/**
 * Kernel rows of `npm run bench`: the same loop at the top level of a cell, inside a function and inside a block,
 * run through the real project kernel (started and driven over the Jupyter protocol by
 * kernel/tests/kernel-harness.js) and timed inside the cell with `performance.now()`, so the figures are the
 * cell's code only (no compile, no messaging). Each variant runs in `k` fresh cells (re-declaring its names,
 * as a reader re-running a cell does); the median is reported. A fourth row runs the loop on a variable that an
 * earlier cell declared (it goes through that name's accessor on the kernel's `exports`).
 * @module
 */
import { createRequire } from "node:module";

interface KernelHandle {
  execute(code: string, opts?: { stopOnError?: boolean }): Promise<{ reply: { status: string; evalue?: string }; outputs: unknown[] }>;
  shutdown(): Promise<void>;
}
const harness = createRequire(__filename)("../kernel/tests/kernel-harness.js") as {
  startKernel(): Promise<KernelHandle>;
  resultText(outputs: unknown[]): string | null;
};

export interface KernelLoopRow {
  id: string;
  label: string;
  /** Milliseconds measured inside the cell, one per run. */
  samples: number[];
  median: number;
}

const LOOP = "for (let i = 0; i < 3e6; i++) s += i % 7;";
const EXPECTED = 8999994; // sum over i < 3e6 of i mod 7: 428571 full periods of 0+1+...+6 = 21, then 0+1+2

export const KERNEL_VARIANTS: Array<{ id: string; label: string; setup?: string; cell: string }> = [
  { id: "top", label: "top level of the cell", cell: `const t0 = performance.now(); let s = 0; ${LOOP} JSON.stringify([performance.now() - t0, s])` },
  {
    id: "function",
    label: "inside a function",
    cell: `const t0 = performance.now(); function loop() { let s = 0; ${LOOP} return s; } const r = loop(); JSON.stringify([performance.now() - t0, r])`,
  },
  { id: "block", label: "inside a block", cell: `const t0 = performance.now(); let r = 0; { let s = 0; ${LOOP} r = s; } JSON.stringify([performance.now() - t0, r])` },
  {
    id: "earlier-cell",
    label: "top level, on a variable of an earlier cell",
    setup: "let s = 0;",
    cell: `s = 0; const t0 = performance.now(); ${LOOP} JSON.stringify([performance.now() - t0, s])`,
  },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs every variant `k` times in one kernel, interleaved (so a burst of load hits all variants alike). */
export async function kernelLoops(k: number): Promise<KernelLoopRow[]> {
  const kernel = await harness.startKernel();
  try {
    const rows = KERNEL_VARIANTS.map((v) => ({ id: v.id, label: v.label, samples: [] as number[], median: NaN }));
    for (let run = 0; run < k; run++) {
      for (const [i, v] of KERNEL_VARIANTS.entries()) {
        if (v.setup) await kernel.execute(v.setup);
        const { reply, outputs } = await kernel.execute(v.cell);
        if (reply.status !== "ok") throw new Error(`bench: kernel cell ${v.id} failed: ${reply.evalue}`);
        const [ms, sum] = JSON.parse(harness.resultText(outputs) ?? "null") as [number, number];
        if (sum !== EXPECTED) throw new Error(`bench: kernel cell ${v.id} computed ${sum}, expected ${EXPECTED}`);
        rows[i].samples.push(ms);
      }
    }
    for (const r of rows) r.median = median(r.samples);
    return rows;
  } finally {
    await kernel.shutdown();
  }
}

/** The markdown table of the kernel rows (ratio to the function loop). */
export function kernelTable(rows: KernelLoopRow[], fmtTime: (seconds: number) => string, fmtRatio: (r: number) => string): string {
  const fn = rows.find((r) => r.id === "function");
  const lines = [
    "### 5. Kernel cells: `let s = 0; for (let i = 0; i < 3e6; i++) s += i % 7;` (time inside the cell, median)",
    "",
    "| where the loop runs | median | min | runs | / function |",
    "|---|--:|--:|--:|--:|",
  ];
  for (const r of rows) {
    const ratio = fn ? fmtRatio(r.median / fn.median) : "–";
    lines.push(`| ${r.label} | ${fmtTime(r.median / 1000)} | ${fmtTime(Math.min(...r.samples) / 1000)} | ${r.samples.length} | ${ratio} |`);
  }
  lines.push("");
  return lines.join("\n");
}
