import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Chart, ChartError, chart, chartFontPath, heatmap, histogram, lineChart, linspace, sampleGrid, scatterChart, withSlider } from "../../src/plots";
import { JUPYTER_DISPLAY, MimeBundle, PNG_MIME, VEGALITE_MIME } from "../../src/display/mime";
import { display } from "../../src/display";
import { KERNEL_DISPLAY_HOOK } from "../../src/display/mime";
import { DomainError } from "../../src/core/errors";

const rows = linspace(0, 4, 5).map((r) => ({ r, dim: r * (8 - r) }));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test("a chart's bundle has exactly the Vega-Lite spec, a PNG and text/plain", async () => {
  const spec = lineChart(rows, { x: "r", y: "dim", title: "dim M_r", points: true });
  const c = chart(spec);
  const bundle = (await c[JUPYTER_DISPLAY]()) as MimeBundle;
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/png", "text/plain"]);
  assert.deepEqual(bundle[VEGALITE_MIME], spec);
  assert.equal(typeof bundle[VEGALITE_MIME], "object");
  const png = Buffer.from(bundle[PNG_MIME] as string, "base64");
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
  // 2x rendering: at least twice the plot size
  const { width, height } = pngSize(png);
  assert.ok(width >= 800 && height >= 520, `${width}×${height}`);
  assert.ok((bundle["text/plain"] as string).startsWith('Chart "dim M_r"'));
  assert.deepEqual(c.warnings, []);
  assert.equal(String(c), bundle["text/plain"]);
});

test("display(chart) sends a Promise of the 3-type bundle through the kernel hook", async () => {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const sent: Array<MimeBundle | Promise<MimeBundle>> = [];
  g[KERNEL_DISPLAY_HOOK] = (b: MimeBundle | Promise<MimeBundle>) => sent.push(b);
  try {
    const h = display(chart(histogram([1, 2, 2, 3])));
    await h.done;
    assert.equal(sent.length, 1);
    assert.ok(sent[0] instanceof Promise);
    assert.equal(Object.keys(await sent[0]).length, 3);
  } finally {
    delete g[KERNEL_DISPLAY_HOOK];
  }
});

test("the spec is copied and frozen; png() is cached; savePng writes the same bytes", async () => {
  const spec = scatterChart(rows, { x: "r", y: "dim" });
  const c = new Chart(spec, "my description");
  assert.equal(c.description, "my description");
  (spec as { width: number }).width = 999;
  assert.equal((c.spec as { width: number }).width, 400);
  assert.ok(Object.isFrozen(c.spec) && Object.isFrozen(c.spec.encoding));
  const a = await c.png();
  const b = await c.png();
  assert.equal(a, b);
  const file = path.join(os.tmpdir(), `ll-chart-${process.pid}.png`);
  await c.savePng(file);
  assert.ok(fs.readFileSync(file).equals(a));
  fs.unlinkSync(file);
  const small = await c.png({ scale: 1 });
  assert.equal(pngSize(small).width * 2, pngSize(a).width);
});

test("Chart rejects what is not a Vega-Lite 5 spec", () => {
  assert.throws(() => new Chart(null as never), DomainError);
  assert.throws(() => new Chart({ mark: "bar" }), /spec.\$schema must be/);
  assert.throws(() => new Chart({ $schema: "https://vega.github.io/schema/vega-lite/v5.json", mark: "nonsense-mark" } as never), ChartError);
  assert.throws(() => new Chart(lineChart(rows, { x: "r", y: "dim" }), 3 as never), /description must be a string/);
});

test("the shipped font is found relative to the package root", () => {
  const p = chartFontPath();
  assert.ok(p.endsWith(path.join("assets", "fonts", "DejaVuSans.ttf")));
  assert.ok(fs.statSync(p).size > 100_000);
});

test("a slider chart renders its initial state", async () => {
  const data = [1, 2, 3].flatMap((K) => linspace(0, 1, 5).map((t) => ({ K, t, y: K * t })));
  const c = chart(withSlider(lineChart(data, { x: "t", y: "y", keep: ["K"] }), { name: "K", field: "K", min: 1, max: 3, step: 1, value: 2 }));
  const png = await c.png();
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
  assert.deepEqual(c.warnings, []);
});

test("PNG bytes are identical across two separate processes (and equal to this one's)", async () => {
  const fixture = path.join(__dirname, "render-fixture.ts");
  const run = () => JSON.parse(execFileSync(process.execPath, ["--import", "tsx", fixture], { encoding: "utf8", cwd: path.join(__dirname, "..", "..") })) as string[];
  const first = run();
  const second = run();
  assert.equal(first.length, 2);
  assert.deepEqual(first, second);
  // and in this process too
  const grid = sampleGrid((a, b) => (a * b - 1) ** 2, linspace(-2, 2, 31), linspace(-2, 2, 31));
  const here = createHash("sha256").update(await chart(heatmap(grid, { title: "L(a, b)", levels: [0.1, 1], points: [{ x: 1, y: 1, label: "min" }] })).png()).digest("hex");
  assert.equal(here, first[1]);
});
