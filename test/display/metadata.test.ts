// Output metadata (the 1× size of a chart's 2× PNG) and clearOutput: the library side of the display contract.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clearOutput, display, mimeBundle, mimeMetadata, rich } from "../../src/display";
import { DisplayOptions, JUPYTER_DISPLAY, JUPYTER_DISPLAY_METADATA, KERNEL_CLEAR_HOOK, KERNEL_DISPLAY_HOOK, MimeBundle } from "../../src/display/mime";
import { DomainError } from "../../src/core/errors";
import { ChartError, DEFAULT_PNG_SCALE, chart, lineChart, pngSize, renderSvg } from "../../src/plots";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string }): Promise<{ pages: string[]; charts: number }>;
};

const g = globalThis as unknown as Record<symbol, unknown>;

afterEach(() => {
  delete g[KERNEL_DISPLAY_HOOK];
  delete g[KERNEL_CLEAR_HOOK];
});

const rows = [0, 1, 2, 3].map((x) => ({ x, y: x * x }));

test("a chart's metadata is the CSS (1×) size of its 2× PNG, the size of the same chart rendered at scale 1", async () => {
  const c = chart(lineChart(rows, { x: "x", y: "y", title: "squares", width: 300, height: 200 }));
  const meta = await mimeMetadata(c);
  const png2 = pngSize(await c.png());
  const png1 = pngSize(await c.png({ scale: 1 }));
  const size = meta["image/png"] as { width: number; height: number };
  assert.deepEqual(Object.keys(meta), ["image/png"]);
  assert.equal(DEFAULT_PNG_SCALE, 2);
  assert.deepEqual(size, png1);
  assert.ok(Math.abs(png2.width - 2 * size.width) <= 1 && Math.abs(png2.height - 2 * size.height) <= 1, `${JSON.stringify(png2)} vs ${JSON.stringify(size)}`);
  // ... and the size vega gives the SVG: plot size plus axes, title and padding.
  const svg = await renderSvg(c.spec as never);
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, "the SVG has width and height");
  assert.deepEqual(size, { width: Math.round(Number(m[1])), height: Math.round(Number(m[2])) });
  assert.ok(size.width > 300 && size.height > 200);
});

test("display passes the value's metadata (awaited by the kernel) to the hook's metadata option; an explicit option wins", async () => {
  const calls: { bundle: MimeBundle | Promise<MimeBundle>; options?: DisplayOptions }[] = [];
  g[KERNEL_DISPLAY_HOOK] = (bundle: MimeBundle | Promise<MimeBundle>, options?: DisplayOptions) => calls.push({ bundle, options });
  const c = chart(lineChart(rows, { x: "x", y: "y" }));
  await display(c, { displayId: "c" }).done;
  await display(c, { metadata: { "image/png": { width: 10, height: 5 } } }).done;
  await display(rich({ "text/plain": "no metadata" })).done;
  await display({ [JUPYTER_DISPLAY]: () => ({ "text/plain": "s" }), [JUPYTER_DISPLAY_METADATA]: () => ({ "text/plain": { isolated: true } }) }).done;
  assert.equal(calls.length, 4);
  const png = pngSize(Buffer.from((await calls[0].bundle)["image/png"] as string, "base64"));
  assert.deepEqual(await calls[0].options?.metadata, { "image/png": { width: png.width / 2, height: png.height / 2 } });
  assert.equal(calls[0].options?.displayId, "c");
  assert.deepEqual(calls[1].options?.metadata, { "image/png": { width: 10, height: 5 } });
  assert.deepEqual(calls[2].options, {});
  assert.deepEqual(calls[3].options?.metadata, { "text/plain": { isolated: true } });
});

test("bad metadata is rejected with a DomainError; plain values have none", async () => {
  await assert.rejects(mimeMetadata({ [JUPYTER_DISPLAY]: () => ({}), [JUPYTER_DISPLAY_METADATA]: () => [1, 2] }), DomainError);
  await assert.rejects(mimeMetadata({ [JUPYTER_DISPLAY]: () => ({}), [JUPYTER_DISPLAY_METADATA]: async () => "big" }), DomainError);
  assert.deepEqual(await mimeMetadata(42), {});
  assert.deepEqual(await mimeMetadata(rich({ "text/plain": "x" })), {});
  assert.throws(() => pngSize(Buffer.from("not a png at all, really not")), ChartError);
});

test("clearOutput goes through the kernel hook, in order, and is a no-op outside the kernel", () => {
  assert.doesNotThrow(() => clearOutput());
  assert.doesNotThrow(() => clearOutput(true));
  const calls: unknown[] = [];
  g[KERNEL_CLEAR_HOOK] = (wait?: boolean) => calls.push(["clear", wait]);
  g[KERNEL_DISPLAY_HOOK] = (bundle: MimeBundle) => calls.push(["display", (bundle as MimeBundle)["text/plain"]]);
  display("a");
  clearOutput(true);
  display("b");
  clearOutput();
  assert.deepEqual(calls, [["display", "a"], ["clear", true], ["display", "b"], ["clear", false]]);
  assert.throws(() => clearOutput("yes" as unknown as boolean), DomainError);
});

test("the course site shows a chart's PNG fallback at the 1× size of the output metadata", async () => {
  const c = chart(lineChart(rows, { x: "x", y: "y", width: 240, height: 160 }));
  const [data, metadata] = await Promise.all([mimeBundle(c), mimeMetadata(c)]);
  const { width, height } = metadata["image/png"] as { width: number; height: number };
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: "code", metadata: {}, execution_count: 1, source: ["c"], outputs: [{ output_type: "execute_result", execution_count: 1, metadata, data }] }],
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-meta-"));
  try {
    const file = path.join(dir, "00-x.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));
    const r = await site.buildSite({ notebooks: [{ name: "00-x", file }], outDir: path.join(dir, "site") });
    assert.equal(r.charts, 1);
    const page = fs.readFileSync(path.join(dir, "site", "00-x.html"), "utf8");
    assert.match(page, new RegExp(`<img class="fallback" src="data:image/png;base64,[^"]+" width="${width}" height="${height}"`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a display handle shows nothing as a cell's last value (its bundle is empty)", async () => {
  g[KERNEL_DISPLAY_HOOK] = () => undefined;
  assert.deepEqual(await mimeBundle(display("x")), {});
});
