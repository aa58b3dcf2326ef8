// Axis defaults of the spec builders, checked on the rendered scenegraph (what a reader sees), not on the
// spec: integer axes show no half ticks, log axes label every tick in one number format.
import { test } from "node:test";
import assert from "node:assert/strict";
import { VegaLiteSpec, barChart, compileSpec, histogram, lineChart, scatterChart } from "../../src/plots";

/* eslint-disable @typescript-eslint/no-var-requires */
const vega = require("vega");

interface SceneNode {
  role?: string;
  items?: SceneNode[];
  text?: string;
  opacity?: number;
  datum?: { value: number };
}

/** Visible ticks of each axis, in axis order: [{ values, labels }]. */
async function visibleTicks(spec: VegaLiteSpec): Promise<{ values: number[]; labels: string[] }[]> {
  const view = new vega.View(vega.parse(compileSpec(spec).vega), { renderer: "none" });
  await view.runAsync();
  const axes: { values: number[]; labels: string[] }[] = [];
  const walk = (n: SceneNode | undefined, role: string, out: SceneNode[][]) => {
    if (!n) return;
    if (n.role === role) out.push(n.items ?? []);
    for (const c of n.items ?? []) walk(c, role, out);
  };
  const ticks: SceneNode[][] = [];
  const labels: SceneNode[][] = [];
  walk(view.scenegraph().root, "axis-tick", ticks);
  walk(view.scenegraph().root, "axis-label", labels);
  ticks.forEach((items, k) => {
    axes.push({
      values: items.filter((i) => i.opacity !== 0).map((i) => i.datum!.value),
      labels: (labels[k] ?? []).filter((i) => i.opacity !== 0 && i.text !== "").map((i) => String(i.text)),
    });
  });
  view.finalize();
  return axes;
}

test("a histogram's count axis has integer ticks only, even on a short range (0..2)", async () => {
  const [, y] = await visibleTicks(histogram([1, 1, 2, 2, 3], { step: 1 }));
  assert.ok(y.values.length >= 2, JSON.stringify(y));
  assert.ok(y.values.every(Number.isInteger), `ticks ${y.values}`);
  assert.deepEqual(y.labels, y.values.map(String));
});

test("a bar chart of counts and an integer-valued line chart have integer ticks on both axes", async () => {
  const [, bars] = await visibleTicks(barChart([{ k: "a" }, { k: "a" }, { k: "b" }], { x: "k" }));
  assert.ok(bars.values.every(Number.isInteger) && bars.values.length >= 2, JSON.stringify(bars));
  const axes = await visibleTicks(lineChart([{ r: 1, d: 1 }, { r: 2, d: 2 }, { r: 3, d: 2 }], { x: "r", y: "d" }));
  for (const a of axes) {
    assert.ok(a.values.every(Number.isInteger), JSON.stringify(a));
    assert.deepEqual(a.labels, a.values.map(String));
  }
});

test("a non-integer axis keeps its fractional ticks", async () => {
  const [, y] = await visibleTicks(scatterChart([{ x: 1, y: 0.1 }, { x: 2, y: 0.35 }], { x: "x", y: "y" }));
  assert.ok(y.values.some((v) => !Number.isInteger(v)), JSON.stringify(y));
});

test("a log axis labels every tick in one format (mantissa e exponent), from 1e-16 to 1e2", async () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ it: i, gap: 10 ** (2 - 2 * i) }));
  const [, y] = await visibleTicks(lineChart(rows, { x: "it", y: "gap", yScale: "log" }));
  assert.ok(y.labels.length >= 5, JSON.stringify(y));
  for (const [k, label] of y.labels.entries()) {
    assert.match(label, /^\d(\.\d+)?e-?\d+$/, `label ${label}`);
    assert.ok(Math.abs(Number(label) / y.values[k] - 1) < 1e-9, `${label} names the tick ${y.values[k]}`);
  }
});
