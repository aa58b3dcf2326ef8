// Charts of the static course on a narrow screen (kernel/site/site.js): a chart wider than its box is laid
// out again with a narrower plot (aspect kept), so its text keeps its size, and the whole chart, legend
// included, stays in view. Skipped when /usr/bin/chromium is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/* eslint-disable @typescript-eslint/no-var-requires */
const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string; api?: boolean; theory?: string | false }): Promise<{ charts: number }>;
};
const browser = require("../../kernel/browser-check.js") as { CHROMIUM: string };

const noChromium = !fs.existsSync(browser.CHROMIUM) && `${browser.CHROMIUM} not found`;

test("a wide chart is laid out narrower at 390 px (font size kept, in its box) and at its own width again at 1280 px", { skip: noChromium }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-charts-"));
  const { chromium } = require("playwright-core");
  const b = await chromium.launch({ executablePath: browser.CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const values = Array.from({ length: 20 }, (_, i) => ({ x: i, y: i * i, series: i % 2 ? "a long legend label, odd" : "a long legend label, even" }));
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      width: 600,
      height: 300,
      data: { values },
      mark: "point",
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, color: { field: "series", type: "nominal" } },
    };
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: ["# Wide"] }, { cell_type: "code", metadata: {}, execution_count: 1, source: ["chart"], outputs: [{ output_type: "display_data", metadata: {}, data: { "application/vnd.vegalite.v5+json": spec, "text/plain": "wide chart" } }] }] };
    const file = path.join(dir, "00-wide.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));
    const out = path.join(dir, "site");
    await site.buildSite({ notebooks: [{ name: "00-wide", file }], outDir: out, api: false, theory: false });
    const page = await (await b.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(pathToFileURL(path.join(out, "00-wide.html")).href);
    const settled = () => page.waitForFunction(() => document.documentElement.getAttribute("data-charts") === "done", null, { timeout: 30000 });
    const measure = () =>
      page.evaluate(() => {
        const svg = document.querySelector(".vega-target svg") as SVGSVGElement;
        const box = (document.querySelector(".output-body") as HTMLElement).getBoundingClientRect();
        const r = svg.getBoundingClientRect();
        const label = svg.querySelector(".role-axis-label text") as SVGTextElement;
        return { layout: Number(svg.getAttribute("width")), shown: r.width, right: r.right, boxRight: box.right, font: getComputedStyle(label).fontSize, scale: r.width / Number(svg.getAttribute("width")) };
      });
    await settled();
    const wide = await measure();
    assert.ok(wide.layout > 600 && Math.abs(wide.scale - 1) < 0.01, `at 1280 px the chart has its own size: ${JSON.stringify(wide)}`);
    await page.setViewportSize({ width: 390, height: 900 });
    await page.waitForTimeout(300);
    await settled();
    const narrow = await measure();
    assert.ok(narrow.right <= narrow.boxRight + 1, `the chart stays in its box: ${JSON.stringify(narrow)}`);
    assert.ok(narrow.layout < wide.layout - 150, `the chart is laid out narrower: ${narrow.layout} vs ${wide.layout}`);
    assert.equal(narrow.font, wide.font, "axis labels keep their font size");
    // what is left over shrinks as a picture, much less than the unfitted chart would have to
    const pictureOnly = (narrow.boxRight - (narrow.right - narrow.shown)) / wide.layout;
    assert.ok(narrow.scale > pictureOnly + 0.2, `shrunk as a picture by ${narrow.scale.toFixed(2)}, unfitted it would be ${pictureOnly.toFixed(2)}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    await settled();
    assert.equal((await measure()).layout, wide.layout, "back to its own width on a wide screen");
  } finally {
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
