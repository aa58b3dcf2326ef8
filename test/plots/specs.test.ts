import { test } from "node:test";
import assert from "node:assert/strict";
import {
  barChart, heatmap, histogram, layer, levelSegments, linspace, lineChart, sampleGrid, scatterChart, seriesRows, withSlider,
  VEGA_LITE_SCHEMA, VegaLiteSpec, CHART_FONT, describeSpec,
} from "../../src/plots";
import { DomainError, ShapeError } from "../../src/core/errors";
import { compileStrict, unknownKeys } from "./helpers";

const dimRows = [4, 6].flatMap((n) => Array.from({ length: n + 1 }, (_, r) => ({ r, dim: r * (2 * n - r), shape: `${n}x${n}` })));
const grid = sampleGrid((a, b) => (a * b - 1) ** 2, linspace(-2, 2, 21), linspace(-2, 2, 17));

function builders(): Record<string, VegaLiteSpec> {
  const line = lineChart(dimRows, { x: "r", y: "dim", color: "shape", points: true, title: "dim M_r", xTitle: "r", yTitle: "dim" });
  const scatter = scatterChart(dimRows, { x: "r", y: "dim", color: "shape", shape: "shape", title: "scatter" });
  const kRows = [1, 2, 3].flatMap((K) => linspace(0, 1, 11).map((t) => ({ K, t, loss: K * t * t + 1e-3 })));
  return {
    line,
    lineLog: lineChart(kRows, { x: "t", y: "loss", color: "K", xScale: "linear", yScale: "log", title: "log" }),
    scatter,
    scatterLog: scatterChart(kRows.filter((r) => r.t > 0), { x: "t", y: "loss", xScale: "log", yScale: "log", tooltip: ["K"] }),
    histogram: histogram([1, 2, 2, 3, 3, 3, 4.5], { title: "hist", maxbins: 5 }),
    histogramRows: histogram(kRows, { field: "loss", color: "K", step: 0.5, extent: [0, 4] }),
    bar: barChart([{ v: "global" }, { v: "global" }, { v: "saddle" }], { x: "v", title: "bars" }),
    barValues: barChart([{ v: "a", n: 3 }, { v: "b", n: 5 }], { x: "v", y: "n", horizontal: true, sort: ["b", "a"] }),
    heatmap: heatmap(grid, { title: "L(a,b)", xTitle: "a", yTitle: "b", zTitle: "L" }),
    heatmapOverlay: heatmap(grid, { levels: [0.1, 1], points: [{ x: 0, y: 0, label: "saddle" }, { x: 1, y: 1 }], zScale: "linear", scheme: "magma" }),
    heatmapCurves: heatmap(grid, { zDomain: [0, 2], clamp: true, curves: [{ points: linspace(0.5, 2, 8).map((a) => ({ x: a, y: 1 / a })) }, { points: [{ x: -2, y: -0.5 }, { x: -0.5, y: -2 }], color: "red" }] }),
    layered: layer([scatter, lineChart(dimRows, { x: "r", y: "dim", color: "shape" })], { title: "layered" }),
    slider: withSlider(lineChart(kRows, { x: "t", y: "loss", keep: ["K"], title: "slider" }), { name: "K", field: "K", min: 1, max: 3, step: 1, value: 2 }),
    sliderLayer: withSlider(layer([scatterChart(kRows, { x: "t", y: "loss", keep: ["K"] }), lineChart(dimRows, { x: "r", y: "dim" })]), { name: "Kval", field: "K", min: 1, max: 3, step: 0.5, op: "le" }),
  };
}

test("every builder returns a Vega-Lite 5 spec that compiles with vega-lite without warnings", () => {
  for (const [name, spec] of Object.entries(builders())) {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA, name);
    assert.equal(typeof spec.width, "number", name);
    assert.equal(typeof spec.height, "number", name);
    assert.equal((spec.config as { font: string }).font, CHART_FONT, name);
    const { vega, warnings } = compileStrict(spec);
    assert.deepEqual(warnings, [], `${name}: ${warnings.join("; ")}`);
    assert.ok(Array.isArray(vega.marks) && (vega.marks as unknown[]).length > 0, name);
    // plain JSON: survives a round trip unchanged
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, name);
  }
});

test("specs use only properties that exist in vega-lite 5.6", () => {
  for (const [name, spec] of Object.entries(builders())) assert.deepEqual(unknownKeys(spec), [], name);
});

test("titles and axis titles are set", () => {
  const s = builders().line as { title: string; encoding: { x: { title: string }; y: { title: string } } };
  assert.equal(s.title, "dim M_r");
  assert.equal(s.encoding.x.title, "r");
  assert.equal(s.encoding.y.title, "dim");
  const h = builders().heatmap as { encoding: { x: { title: string }; color: { title: string } } };
  assert.equal(h.encoding.x.title, "a");
  assert.equal(h.encoding.color.title, "L");
});

test("log axes set scale type log and reject non-positive values", () => {
  const s = builders().lineLog as { encoding: { y: { scale: { type: string } } } };
  assert.equal(s.encoding.y.scale.type, "log");
  assert.throws(() => lineChart([{ t: 0, y: 1 }], { x: "t", y: "y", xScale: "log" }), /on a log scale and must be > 0/);
});

test("builders validate their input with typed errors naming the argument", () => {
  assert.throws(() => lineChart([], { x: "a", y: "b" }), /lineChart: data must have at least one row/);
  assert.throws(() => lineChart("x" as never, { x: "a", y: "b" }), DomainError);
  assert.throws(() => lineChart([{ a: 1 }], { x: "a", y: "b" }), /options.y = "b" must be a field of every row/);
  assert.throws(() => lineChart([{ a: 1, b: NaN }], { x: "a", y: "b" }), /field "b" must hold finite numbers; got NaN in row 0/);
  assert.throws(() => lineChart([{ a: 1, b: 2 }], { x: "a", y: "b", width: 5 }), /options.width must be an integer in \[20, 2000\]/);
  assert.throws(() => lineChart([{ a: 1, b: 2 }], { x: "a", y: "b", xScale: "sqrt" as never }), /options.xScale must be "linear" or "log"/);
  assert.throws(() => lineChart([{ a: 1, b: 2 }], { x: "a", y: "b", yDomain: [2, 1] }), /options.yDomain must be \[lo, hi\]/);
  assert.throws(() => lineChart([{ a: 1, b: 2 }], { x: "a", y: "b", keep: ["c"] }), /options.keep\[0\]/);
  assert.throws(() => scatterChart([{ a: 1, b: 2 }], { x: "a", y: "b", opacity: 2 }), /options.opacity/);
  assert.throws(() => scatterChart([{ a: 1, b: 2 }], { x: "a", y: "b", color: "c" }), /options.color/);
  assert.throws(() => scatterChart([{ a: 1, b: 2, c: {} as never }], { x: "a", y: "b", color: "c" }), /field "c" must hold strings, booleans or finite numbers/);
  assert.throws(() => histogram([1, Infinity]), /histogram: data\[1\] must be a finite number/);
  assert.throws(() => histogram([1, 2], { maxbins: 0 }), /options.maxbins must be a positive integer/);
  assert.throws(() => histogram([1, 2], { step: -1 }), /options.step must be a positive number/);
  assert.throws(() => barChart([{ v: "a" }], { x: "v", sort: 3 as never }), /options.sort/);
  assert.throws(() => barChart([{ v: "a", n: "x" }], { x: "v", y: "n" }), /field "n" must hold finite numbers/);
});

test("heatmap validates the grid and its options", () => {
  assert.throws(() => heatmap({ x: [0, 1], y: [0, 1], z: [[1, 2]] }), ShapeError);
  assert.throws(() => heatmap({ x: [0, 1], y: [0, 1], z: [[1, 2], [3]] }), /grid.z\[1\] must have 2 entries/);
  assert.throws(() => heatmap({ x: [1, 0], y: [0, 1], z: [[1, 2], [3, 4]] }), /grid.x must be strictly increasing/);
  assert.throws(() => heatmap({ x: [0, 1], y: [0, 1], z: [[1, NaN], [3, 4]] }), /grid.z\[0\]\[1\] must be a finite number/);
  assert.throws(() => heatmap({ x: [0, 1], y: [0, 1], z: [[0, 1], [3, 4]] }, { zScale: "log" }), /must be > 0 with zScale "log"; got 0 at z\[0\]\[0\]/);
  assert.throws(() => heatmap(grid, { scheme: "rainbowz" }), /options.scheme must be one of/);
  assert.throws(() => heatmap(grid, { points: [{ x: 0, y: NaN }] }), /options.points\[0\].y must be a finite number/);
  assert.throws(() => sampleGrid(() => NaN, [0, 1], [0, 1]), /f must return finite numbers; got NaN at \(0, 0\)/);
  assert.throws(() => linspace(0, 1, 1), /n must be an integer >= 2/);
});

test("heatmap cells cover the grid and are centred on its points", () => {
  const s = builders().heatmap as { data: { values: Array<Record<string, number>> } };
  assert.equal(s.data.values.length, 21 * 17);
  for (const c of s.data.values) {
    assert.ok(c.x0 < c.x && c.x < c.x1 && c.y0 < c.y && c.y < c.y1);
    assert.ok(Math.abs(c.x - c.x0 - 0.1) < 1e-12); // half the spacing 0.2 on the left
  }
  const z = (a: number, b: number) => (a * b - 1) ** 2;
  for (const c of s.data.values.slice(0, 50)) assert.ok(Math.abs(c.z - z(c.x, c.y)) < 1e-12);
});

test("level segments lie on the level set (circle of radius 1 for x^2 + y^2 = 1)", () => {
  const g = sampleGrid((x, y) => x * x + y * y, linspace(-1.5, 1.5, 61), linspace(-1.5, 1.5, 61));
  const segs = levelSegments(g, [1]);
  assert.ok(segs.length > 100);
  for (const s of segs) {
    for (const [x, y] of [[s.x, s.y], [s.x2, s.y2]]) assert.ok(Math.abs(Math.hypot(x, y) - 1) < 2e-3, `${x}, ${y}`);
  }
  // a closed curve: total length close to 2π
  const len = segs.reduce((acc, s) => acc + Math.hypot(s.x2 - s.x, s.y2 - s.y), 0);
  assert.ok(Math.abs(len - 2 * Math.PI) < 0.01, String(len));
  // the saddle of xy has level-0 lines along the axes (saddle cells resolved, no crash)
  const sad = levelSegments(sampleGrid((x, y) => x * y, linspace(-1, 1, 4), linspace(-1, 1, 4)), [0.01]);
  assert.ok(sad.length > 0);
});

test("withSlider adds a range-bound param and a tolerant filter, without mutating its input", () => {
  const base = lineChart([{ t: 0, y: 1, K: 0.30000000000000004 }, { t: 1, y: 2, K: 0.3 }, { t: 2, y: 2, K: 0.4 }], { x: "t", y: "y", keep: ["K"] });
  const before = JSON.stringify(base);
  const s = withSlider(base, { name: "K", field: "K", min: 0.1, max: 1, step: 0.1, value: 0.3, label: "weight K" });
  assert.equal(JSON.stringify(base), before);
  assert.deepEqual(s.params, [{ name: "K", value: 0.3, bind: { input: "range", min: 0.1, max: 1, step: 0.1, name: "weight K " } }]);
  const filter = (s.transform as Array<{ filter: string }>)[0].filter;
  assert.equal(filter, 'abs(datum["K"] - K) <= 0.05');
  // the filter keeps the rows with K = 0.3 up to float noise, and drops 0.4 (evaluated as Vega would)
  const keep = (K: number) => (base.data as { values: Array<{ K: number }> }).values.filter((d) => Math.abs(d.K - K) <= 0.05).length;
  assert.equal(keep(0.3), 2);
  const ly = builders().sliderLayer as { layer: Array<{ transform?: unknown[] }>; params: unknown[] };
  assert.equal(ly.layer[0].transform?.length, 1);
  assert.equal(ly.layer[1].transform, undefined);
  assert.throws(() => withSlider(base, { name: "datum", field: "K", min: 0, max: 1, step: 0.1 }), /options.name must be an identifier/);
  assert.throws(() => withSlider(base, { name: "K", field: "Q", min: 0, max: 1, step: 0.1 }), /options.field "Q"/);
  assert.throws(() => withSlider(base, { name: "K", field: "K", min: 1, max: 1, step: 0.1 }), /options.min must be < options.max/);
  assert.throws(() => withSlider(base, { name: "K", field: "K", min: 0, max: 1, step: 0 }), /options.step must be > 0/);
  assert.throws(() => withSlider(base, { name: "K", field: "K", min: 0, max: 1, step: 0.1, value: 2 }), /options.value must be in \[min, max\]/);
  assert.throws(() => withSlider(s, { name: "K", field: "K", min: 0, max: 1, step: 0.1 }), /already a param/);
});

test("layer flattens layers, keeps params and rejects composites", () => {
  const b = builders();
  const l = layer([b.heatmapOverlay, b.slider]);
  assert.equal((l.layer as unknown[]).length, 5);
  assert.equal((l.params as unknown[]).length, 1);
  assert.deepEqual(compileStrict(l).warnings, []);
  assert.throws(() => layer([]), /specs must be a non-empty array/);
  assert.throws(() => layer([{ hconcat: [] } as never]), /must be a unit spec/);
  assert.throws(() => layer([{ mark: "bar", hconcat: [] } as never]), /not a composite/);
});

test("seriesRows and describeSpec", () => {
  const rows = seriesRows([{ name: "a", x: [1, 2], y: [3, 4] }, { name: "b", x: [1], y: [0] }]);
  assert.deepEqual(rows, [{ x: 1, y: 3, series: "a" }, { x: 2, y: 4, series: "a" }, { x: 1, y: 0, series: "b" }]);
  assert.throws(() => seriesRows([{ name: "a", x: [1], y: [] }]), /must be arrays of equal length/);
  const d = describeSpec(builders().line);
  assert.ok(d.startsWith('Chart "dim M_r" (400×260 px):'));
  assert.ok(d.includes("line, 12 rows"));
  assert.ok(d.includes('x: "r" in [0, 6]'));
  assert.ok(d.includes('y: "dim" in [0, 36]'));
  assert.ok(describeSpec(builders().slider).includes("slider K in [1, 3] step 1, shown at 2"));
});

test("heatmap curves: one clipped line layer per curve, in point order, under the points; clamp; bad curves are typed errors", () => {
  const spec = heatmap(grid, { zDomain: [0, 2], clamp: true, curves: [{ points: [{ x: 2, y: 0.5 }, { x: 1, y: 1 }] }], points: [{ x: 0, y: 0 }] });
  const layers = spec.layer as VegaLiteSpec[];
  const line = layers.find((l) => (l.mark as { type: string }).type === "line") as VegaLiteSpec;
  assert.deepEqual((line.data as { values: unknown[] }).values, [{ x: 2, y: 0.5, order: 0 }, { x: 1, y: 1, order: 1 }]);
  assert.equal((line.mark as { clip: boolean }).clip, true);
  assert.ok(layers.indexOf(line) < layers.findIndex((l) => (l.mark as { type: string }).type === "point"));
  assert.equal(((layers[0].encoding as VegaLiteSpec).color as { scale: { clamp: boolean } }).scale.clamp, true);
  assert.throws(() => heatmap(grid, { curves: [{ points: [{ x: NaN, y: 0 }] }] }), (e: unknown) => e instanceof DomainError && /curves\[0\]\.points\[0\]/.test((e as Error).message));
  assert.throws(() => heatmap(grid, { curves: {} as never }), DomainError);
});
