// Renders a fixed chart (a heatmap with levels and labels, and a line chart with a legend) and prints the
// SHA-256 of each PNG: used by chart.test.ts to compare two separate processes.
import { createHash } from "crypto";
import { chart, heatmap, lineChart, linspace, sampleGrid } from "../../src/plots";

async function main(): Promise<void> {
  const rows = [3, 5].flatMap((n) => linspace(0, n, n + 1).map((r) => ({ r, dim: r * (2 * n - r), shape: `${n}×${n}` })));
  const charts = [
    chart(lineChart(rows, { x: "r", y: "dim", color: "shape", points: true, title: "dim M_r = r(m + n − r)" })),
    chart(heatmap(sampleGrid((a, b) => (a * b - 1) ** 2, linspace(-2, 2, 31), linspace(-2, 2, 31)), { title: "L(a, b)", levels: [0.1, 1], points: [{ x: 1, y: 1, label: "min" }] })),
  ];
  const hashes: string[] = [];
  for (const c of charts) hashes.push(createHash("sha256").update(await c.png()).digest("hex"));
  process.stdout.write(JSON.stringify(hashes));
}
main().catch((e) => {
  process.stderr.write(String(e));
  process.exit(1);
});
