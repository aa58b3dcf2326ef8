/**
 * Kernel rows of `npm run bench`: the same loop at the top level of a cell, inside a function and inside a block,
 * run through the real project kernel (started and driven over the Jupyter protocol by
 * kernel/tests/kernel-harness.js) and timed inside the cell, so the figures are the cell's code only (no compile,
 * no messaging): wall time (`performance.now()`; median and best run: on a shared machine the best run is the
 * least disturbed) and, for information, the kernel's CPU time (`process.cpuUsage()`, all threads). Each variant runs in `k` fresh cells (11 in a full run, 3 with --quick) (re-declaring its names,
 * as a reader re-running a cell does); the median is reported. A fourth row runs the loop on a variable that an
 * earlier cell declared (it goes through that name's accessor on the kernel's `exports`).
 * @module
 */
import { createRequire } from "node:module";
import * as os from "node:os";

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
  /** Wall milliseconds measured inside the cell, one per run. */
  samples: number[];
  /** CPU milliseconds of the kernel process during the same runs. */
  cpuSamples: number[];
  /** 1-minute load average at the end of the runs, and the number of cores. */
  load: [number, number];
  median: number;
  cpuMedian: number;
}

const LOOP = "for (let i = 0; i < 3e6; i++) s += i % 7;";
const START = "const c0 = process.cpuUsage(); const t0 = performance.now();";
const STOP = "JSON.stringify([performance.now() - t0, (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000,";
const EXPECTED = 8999994; // sum over i < 3e6 of i mod 7: 428571 full periods of 0+1+...+6 = 21, then 0+1+2

export const KERNEL_VARIANTS: Array<{ id: string; label: string; setup?: string; cell: string }> = [
  { id: "top", label: "top level of the cell", cell: `${START} let s = 0; ${LOOP} ${STOP} s])` },
  { id: "function", label: "inside a function", cell: `${START} function loop() { let s = 0; ${LOOP} return s; } const r = loop(); ${STOP} r])` },
  { id: "block", label: "inside a block", cell: `${START} let r = 0; { let s = 0; ${LOOP} r = s; } ${STOP} r])` },
  { id: "earlier-cell", label: "top level, on a variable of an earlier cell", setup: "let s = 0;", cell: `s = 0; ${START} ${LOOP} ${STOP} s])` },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs every variant `k` times in one kernel, interleaved (so a burst of load hits all variants alike). */
export async function kernelLoops(k: number): Promise<KernelLoopRow[]> {
  const kernel = await harness.startKernel();
  try {
    const rows: KernelLoopRow[] = KERNEL_VARIANTS.map((v) => ({ id: v.id, label: v.label, samples: [], cpuSamples: [], median: NaN, cpuMedian: NaN, load: [NaN, NaN] as [number, number] }));
    for (let run = 0; run < k; run++) {
      for (const [i, v] of KERNEL_VARIANTS.entries()) {
        if (v.setup) await kernel.execute(v.setup);
        const { reply, outputs } = await kernel.execute(v.cell);
        if (reply.status !== "ok") throw new Error(`bench: kernel cell ${v.id} failed: ${reply.evalue}`);
        const [ms, cpu, sum] = JSON.parse(harness.resultText(outputs) ?? "null") as [number, number, number];
        if (sum !== EXPECTED) throw new Error(`bench: kernel cell ${v.id} computed ${sum}, expected ${EXPECTED}`);
        rows[i].samples.push(ms);
        rows[i].cpuSamples.push(cpu);
      }
    }
    for (const r of rows) {
      r.median = median(r.samples);
      r.cpuMedian = median(r.cpuSamples);
      r.load = [os.loadavg()[0], os.cpus().length];
    }
    return rows;
  } finally {
    await kernel.shutdown();
  }
}

/** The markdown table of the kernel rows (ratios to the function loop, on the median and on the best run). */
export function kernelTable(rows: KernelLoopRow[], fmtTime: (seconds: number) => string, fmtRatio: (r: number) => string): string {
  const fn = rows.find((r) => r.id === "function");
  const best = (r: KernelLoopRow): number => Math.min(...r.samples);
  const lines = [
    "### 5. Kernel cells: `let s = 0; for (let i = 0; i < 3e6; i++) s += i % 7;` (timed inside the cell)",
    "",
    "Wall time measured by the cell itself: median and best of the runs; the kernel's CPU time (all its threads,",
    "so V8's background compilation counts too) for information. Ratios to the loop inside a function." +
      (rows.length ? ` Load average ${rows[0].load[0].toFixed(1)} on ${rows[0].load[1]} cores at the end of the runs.` : ""),
    "",
    "| where the loop runs | median | best | CPU (median) | / function (median) | / function (best) | runs |",
    "|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const r of rows) {
    const ratio = fn ? fmtRatio(r.median / fn.median) : "–";
    const ratioBest = fn ? fmtRatio(best(r) / best(fn)) : "–";
    lines.push(`| ${r.label} | ${fmtTime(r.median / 1000)} | ${fmtTime(best(r) / 1000)} | ${fmtTime(r.cpuMedian / 1000)} | ${ratio} | ${ratioBest} | ${r.samples.length} |`);
  }
  lines.push("");
  return lines.join("\n");
}
