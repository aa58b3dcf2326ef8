import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError } from "../../src/core/errors";
import {
  REFERENCE_COLOR, REFERENCE_DASH, VegaLiteSpec, lineChart, referenceLine, theoryVsMeasured, withSlider, layer, scatterChart,
} from "../../src/plots";
import { compileStrict, unknownKeys } from "./helpers";

type Unit = { mark: { type: string; color?: string; strokeDash?: number[]; size?: number }; data: { values: Record<string, unknown>[] }; encoding: Record<string, { field?: string; title?: string; scale?: { type?: string } }> };

// Taylor-test shape (P1): error ~ C h^2, measured with a little noise; slope-2 theory through the last point.
const hs = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3];
const measured = hs.map((h, i) => ({ h, e: 0.7 * h * h * (1 + 0.05 * Math.sin(i)) }));
const theory = hs.map((h) => ({ h, e: (measured[4].e * h * h) / (hs[4] * hs[4]) }));

function units(spec: VegaLiteSpec): Unit[] {
  return spec.layer as Unit[];
}

test("theoryVsMeasured: reference style is a grey dashed line under the points, log-log, compiles without warnings", () => {
  const spec = theoryVsMeasured({ theory, measured, x: "h", y: "e", xScale: "log", yScale: "log", xTitle: "step h", yTitle: "error", title: "P1", width: 400, height: 260 });
  const [line, points] = units(spec);
  assert.equal(units(spec).length, 2);
  assert.equal(line.mark.type, "line");
  assert.equal(line.mark.color, REFERENCE_COLOR);
  assert.deepEqual(line.mark.strokeDash, [...REFERENCE_DASH]);
  assert.equal(line.encoding.color, undefined, "a reference line has no legend entry");
  assert.equal(points.mark.type, "point");
  assert.equal(points.mark.size, 70);
  // the data are the given rows, on the same fields, log scales on both layers and both axes
  assert.deepEqual(line.data.values, theory);
  assert.deepEqual(points.data.values, measured);
  for (const u of [line, points]) {
    assert.equal(u.encoding.x.field, "h");
    assert.equal(u.encoding.y.field, "e");
    assert.equal(u.encoding.x.title, "step h");
    assert.equal(u.encoding.y.scale?.type, "log");
  }
  assert.equal(spec.title, "P1");
  assert.deepEqual([spec.width, spec.height], [400, 260]);
  const { vega, warnings } = compileStrict(spec);
  assert.deepEqual(warnings, []);
  const scales = vega.scales as { name: string; type: string }[];
  assert.deepEqual(scales.filter((s) => s.name === "x" || s.name === "y").map((s) => s.type), ["log", "log"], "one shared log scale per axis");
  assert.deepEqual(unknownKeys(spec), []);
});

test("theoryVsMeasured: legend style labels both layers in one colour legend (Ex-2 shape)", () => {
  const spec = theoryVsMeasured({
    theory, measured, x: "h", y: "e", xScale: "log", yScale: "log", theoryLabel: "predicted 2ε²", measuredLabel: "measured |ΔL|", colorTitle: "",
  });
  const [line, points] = units(spec);
  assert.equal(line.mark.color, undefined, "a legend curve is coloured by the scale");
  assert.equal(line.encoding.color.field, "series");
  assert.equal(points.encoding.color.field, "series");
  assert.equal(line.encoding.color.title, "");
  assert.deepEqual(new Set(line.data.values.map((r) => r.series)), new Set(["predicted 2ε²"]));
  assert.deepEqual(new Set(points.data.values.map((r) => r.series)), new Set(["measured |ΔL|"]));
  const { vega, warnings } = compileStrict(spec);
  assert.deepEqual(warnings, []);
  assert.equal((vega.legends as unknown[]).length, 1, "one legend for theory and measurement");
  assert.deepEqual(unknownKeys(spec), []);
  // a theory label alone: the points are labelled "measured"
  const d = theoryVsMeasured({ theory, measured, x: "h", y: "e", theoryLabel: "theory" });
  assert.deepEqual(new Set(units(d)[1].data.values.map((r) => r.series)), new Set(["measured"]));
});

test("theoryVsMeasured: theory rows carrying the colour field give several legend curves; curve splits reference lines", () => {
  const t = [...theory.map((r) => ({ ...r, curve: "slope 2" })), ...theory.map((r) => ({ h: r.h, e: r.e * r.h, curve: "slope 3" }))];
  const m = measured.map((r) => ({ ...r, curve: "run A" }));
  const spec = theoryVsMeasured({ theory: t, measured: m, x: "h", y: "e", xScale: "log", yScale: "log", color: "curve", size: 55 });
  const [line, points] = units(spec);
  assert.equal(line.encoding.color.field, "curve");
  assert.equal(points.mark.size, 55);
  assert.deepEqual(compileStrict(spec).warnings, []);
  // reference style with two grey levels: one line per level (detail), no colour
  const levels = [0, 4, 9].flatMap((v) => [{ run: 0, loss: v, level: `L = ${v}` }, { run: 9, loss: v, level: `L = ${v}` }]);
  const runs = Array.from({ length: 10 }, (_, run) => ({ run, loss: run % 3 === 0 ? 0 : 4, widths: "(4,2,4)" }));
  const r = theoryVsMeasured({ theory: levels, curve: "level", measured: runs, x: "run", y: "loss", color: "widths", zero: true });
  const [ref] = units(r);
  assert.equal(ref.mark.color, REFERENCE_COLOR);
  assert.equal(ref.encoding.color, undefined);
  assert.equal(ref.encoding.detail.field, "level");
  const { vega, warnings } = compileStrict(r);
  assert.deepEqual(warnings, []);
  // the line is drawn per level: the compiled line mark is faceted by "level"
  assert.match(JSON.stringify(vega.marks), /"groupby":\["level"\]/);
});

test("theoryVsMeasured composes with layer and withSlider; inputs are not modified", () => {
  const before = JSON.stringify({ theory, measured });
  const t = theoryVsMeasured({ theory, measured, x: "h", y: "e", yScale: "log" });
  const extra = layer([t, scatterChart(measured, { x: "h", y: "e", yScale: "log", size: 260, opacity: 0.35 })], { title: "three layers" });
  assert.equal((extra.layer as unknown[]).length, 3);
  assert.deepEqual(compileStrict(extra).warnings, []);
  assert.equal(JSON.stringify({ theory, measured }), before);
  const k = [1, 2].flatMap((K) => hs.map((h) => ({ h, e: K * h, K })));
  const s = withSlider(theoryVsMeasured({ theory: k, measured: k, x: "h", y: "e", keep: ["K"] }), { name: "K", field: "K", min: 1, max: 2, step: 1 });
  assert.deepEqual(compileStrict(s).warnings, []);
});

test("theoryVsMeasured validates its arguments with DomainErrors naming them", () => {
  const base = { theory, measured, x: "h", y: "e" };
  const bad: [unknown, RegExp][] = [
    [undefined, /^theoryVsMeasured: options must be an object/],
    [{ ...base, theory: [] }, /^theoryVsMeasured: options.theory must have at least one row/],
    [{ ...base, measured: "rows" }, /^theoryVsMeasured: options.measured must be an array of row objects/],
    [{ ...base, y: "err" }, /^theoryVsMeasured: options.y = "err" must be a field of every row.*\(in options.theory\)/],
    [{ ...base, measured: [...measured, { h: 1, e: -1 }], yScale: "log" }, /^theoryVsMeasured: field "e" is on a log scale and must be > 0; got -1 in row 5 \(in options.measured\)/],
    [{ ...base, theory: [{ h: 0, e: 1 }], xScale: "log" }, /on a log scale.*\(in options.theory\)/],
    [{ ...base, size: -1 }, /^theoryVsMeasured: options.size must be a positive number.*\(in options.measured\)/],
    [{ ...base, theoryStyle: "dotted" }, /options.theoryStyle must be "reference" or "legend"/],
    [{ ...base, theoryStyle: "legend" }, /options.theoryStyle "legend" needs options.theoryLabel/],
    [{ ...base, theoryStyle: "reference", theoryLabel: "t" }, /options.theoryLabel is a legend entry/],
    [{ ...base, theoryLabel: 3 }, /options.theoryLabel must be a string/],
    [{ ...base, color: "h" }, /options.color \(the legend field, default "series"\) must differ from options.x and options.y/],
    [{ ...base, color: "kind" }, /options.color = "kind" must be a field of every row.*\(in options.measured\)/],
    [{ ...base, curve: "level" }, /options.curve = "level" must be a field of every row/],
    [{ ...base, theoryLabel: "t", curve: "e" }, /options.curve splits reference curves/],
    [{ ...base, width: 5 }, /options.width must be an integer in \[20, 2000\]/],
  ];
  for (const [o, re] of bad) {
    assert.throws(() => theoryVsMeasured(o as never), (e: unknown) => e instanceof DomainError && re.test((e as Error).message), String(re));
  }
});

test("referenceLine restyles a line spec without touching it; rejects non-unit specs", () => {
  const l = lineChart(theory.map((r) => ({ ...r, s: r.h > 0.005 ? "a" : "b" })), { x: "h", y: "e", color: "s" });
  const copy = JSON.stringify(l);
  const r = referenceLine(l) as unknown as Unit;
  assert.equal(JSON.stringify(l), copy);
  assert.equal(r.mark.color, REFERENCE_COLOR);
  assert.deepEqual(r.mark.strokeDash, [...REFERENCE_DASH]);
  assert.equal(r.encoding.color, undefined);
  assert.equal(r.encoding.detail.field, "s");
  assert.deepEqual(compileStrict(r as unknown as VegaLiteSpec).warnings, []);
  assert.equal((referenceLine({ mark: "rule", encoding: { y: { datum: 1 } } }).mark as { type: string }).type, "rule");
  assert.throws(() => referenceLine(layer([l]) as VegaLiteSpec), /^DomainError: referenceLine: spec must be a unit spec with a mark/);
  assert.throws(() => referenceLine(null as never), /referenceLine: spec must be a Vega-Lite unit spec object; got null/);
});
