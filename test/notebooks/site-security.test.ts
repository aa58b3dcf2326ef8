// Injection vectors against the static course (issue 12, "Site (security)"): each vector is a crafted
// notebook run through the site builder; the HTML is checked, and the pages are opened in Chromium
// through the browser check (kernel/browser-check.js), whose canaries (alert & co., CSP violation
// events, DOM audit, request log) must stay silent. Skipped when /usr/bin/chromium is missing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/* eslint-disable @typescript-eslint/no-var-requires */
const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string; api?: boolean }): Promise<{ pages: string[]; warnings: string[] }>;
};
interface PageResult {
  page: string;
  problems: string[];
  warnings: string[];
  charts: { state: string | null; marks: number }[];
}
const browser = require("../../kernel/browser-check.js") as {
  CHROMIUM: string;
  checkSite(o: { site: string; shots: null; pages: string[]; widths?: number[] }): Promise<{ results: PageResult[] }>;
};

const noChromium = !fs.existsSync(browser.CHROMIUM) && `${browser.CHROMIUM} not found`;
/** Problems that mean script ran, could have run, or something was loaded from outside the site. */
const ALARM = /network request|outside the site|CSP violation|canary|dialog|handler attribute|inline script|not shipped|javascript: URL|Content-Security-Policy/;

const VL = "application/vnd.vegalite.v5+json";
const md = (source: string) => ({ cell_type: "markdown", metadata: {}, source: [source] });
const code = (outputs: object[], execution_count: unknown = 1) => ({ cell_type: "code", metadata: {}, execution_count, source: ["x"], outputs });
const display = (data: object, metadata: object = {}) => ({ output_type: "display_data", metadata, data });
const chart = (spec: object, extra: object = {}) => display({ [VL]: { $schema: "https://vega.github.io/schema/vega-lite/v5.json", ...spec }, "text/plain": "chart", ...extra });
const points = { data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } };
const QUOTE_PAYLOAD = 'iVBORw0KGgo=" onerror="alert(document.title=1)';

/** One crafted notebook per vector: name -> cells. */
const VECTORS: Record<string, object[]> = {
  "01-png-attribute": [md("# png"), code([display({ "image/png": QUOTE_PAYLOAD, "text/plain": "p" })])],
  "02-jpeg-attribute": [md("# jpeg"), code([display({ "image/jpeg": QUOTE_PAYLOAD, "text/plain": "j" })])],
  "03-chart-fallback-attribute": [md("# fallback"), code([chart(points, { "image/png": QUOTE_PAYLOAD })])],
  "04-execution-count": [
    md("# count"),
    code([{ output_type: "execute_result", execution_count: "<img src=x onerror=alert(4)>", metadata: {}, data: { "text/plain": "1" } }], "<img src=x onerror=alert(5)>"),
  ],
  "05-markdown-raw-html": [md("# md\n\n<script>alert(5)</script>\n\n<img src=x onerror=\"alert(6)\">\n\n[click](javascript:alert(7)) <a href=\"javascript:alert(8)\">a</a> <svg onload=alert(9)></svg>")],
  "06-output-html-and-markdown": [
    md("# outputs"),
    code([display({ "text/html": "<b>bold</b><img src=x onerror=alert(10)><script>alert(11)</script>", "text/plain": "h" }), display({ "text/markdown": "<img src=x onerror=alert(12)> *md*", "text/plain": "m" })]),
  ],
  "07-markdown-remote-image": [md("# remote\n\n![remote](https://example.invalid/md.png) <img src=\"https://example.invalid/raw.png\"> <img src=\"//example.invalid/rel.png\">")],
  "08-vega-data-url": [md("# data url"), code([chart({ data: { url: "https://example.invalid/data.csv" }, mark: "point", encoding: { x: { field: "a", type: "quantitative" } } })])],
  "09-vega-image-mark": [
    md("# image mark"),
    code([chart({ data: { values: [{ x: 1, y: 1 }] }, mark: { type: "image", width: 20, height: 20 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, url: { value: "https://example.invalid/mark.png" } } })]),
  ],
  "11-markdown-loading-tags": [
    md(
      "# loading tags\n\n<base href=\"https://example.invalid/\"><meta http-equiv=\"refresh\" content=\"0;url=https://example.invalid/\">" +
        "<link rel=\"stylesheet\" href=\"https://example.invalid/s.css\"><style>@import url(https://example.invalid/i.css); body{background:url(https://example.invalid/b.png)}</style>" +
        "<iframe src=\"https://example.invalid/f\"></iframe><object data=\"https://example.invalid/o\"></object><form action=\"https://example.invalid/\"><input name=q></form>" +
        "<video src=\"https://example.invalid/v.mp4\" autoplay></video><p style=\"background:url(https://example.invalid/p.png)\">styled</p>",
    ),
    code([display({ "text/html": "<img src=\"https://example.invalid/html.png\"><p>kept</p>", "text/plain": "h" })]),
  ],
  "10-vega-embed-options": [md("# embed options"), code([chart({ ...points, usermeta: { embedOptions: { actions: true, renderer: "canvas", loader: { baseURL: "https://example.invalid/" } } } })])],
};

let dir = "";
let out = "";
const html: Record<string, string> = {};
let warnings: string[] = [];
let results: Record<string, PageResult> = {};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-site-sec-"));
  out = path.join(dir, "site");
  const notebooks = Object.entries(VECTORS).map(([name, cells]) => {
    const file = path.join(dir, `${name}.ipynb`);
    fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
    return { name, file };
  });
  const r = await site.buildSite({ notebooks, outDir: out, api: false });
  warnings = r.warnings;
  for (const name of Object.keys(VECTORS)) html[name] = fs.readFileSync(path.join(out, `${name}.html`), "utf8");
  if (!noChromium) {
    // a quiet script injected into a built page: the browser check must notice it
    const page = fs.readFileSync(path.join(out, "01-png-attribute.html"), "utf8");
    fs.writeFileSync(path.join(out, "99-injected.html"), page.replace("</main>", "<script>window.quiet = 1</script></main>"));
    const noCsp = page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    fs.writeFileSync(path.join(out, "98-no-csp.html"), noCsp.replace("</main>", "<script>window.quiet = 1</script></main>"));
    const check = await browser.checkSite({ site: out, shots: null, pages: [...Object.keys(VECTORS).map((n) => `${n}.html`), "99-injected.html", "98-no-csp.html", "index.html"] });
    results = Object.fromEntries(check.results.map((x) => [x.page.replace(/\.html$/, ""), x]));
  }
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Attributes of all start tags in the page whose name starts with "on" (event handlers). */
const handlerAttributes = (page: string) => [...page.matchAll(/<[a-z][^<>]*?[\s"'/](on[a-z]+)\s*=/gi)].map((m) => m[1]);
const alarms = (name: string) => (results[name] ? results[name].problems.filter((p) => ALARM.test(p)) : ["page not checked"]);

for (const [name, label] of [
  ["01-png-attribute", "image/png"],
  ["02-jpeg-attribute", "image/jpeg"],
  ["03-chart-fallback-attribute", "the chart's PNG fallback"],
] as const) {
  test(`${label} output with a quote cannot add an attribute`, { skip: noChromium }, () => {
    assert.deepEqual(handlerAttributes(html[name]), []);
    assert.ok(!html[name].includes(QUOTE_PAYLOAD.replace(/\s+/g, "")), "the payload must not be published");
    assert.ok(warnings.some((w) => w.startsWith(name) && /not base64/.test(w)), "the author is told");
    assert.deepEqual(alarms(name), []);
  });
}

test("a non-integer execution count is not put into In[…] / Out[…]", { skip: noChromium }, () => {
  const page = html["04-execution-count"];
  assert.deepEqual(handlerAttributes(page), []);
  assert.ok(!/<img src=x/i.test(page));
  assert.match(page, /In \[ \]:/);
  assert.ok(!/Out\[/.test(page));
  assert.deepEqual(alarms("04-execution-count"), []);
});

test("raw HTML in a Markdown cell is sanitised: no script, no handler, no javascript: link", { skip: noChromium }, () => {
  const page = html["05-markdown-raw-html"];
  assert.deepEqual(handlerAttributes(page), []);
  assert.ok(!/<script>alert/.test(page) && !/javascript:/i.test(page) && !/<svg/i.test(page), page);
  assert.match(page, /click/, "link text stays");
  assert.deepEqual(alarms("05-markdown-raw-html"), []);
});

test("text/html and text/markdown outputs are sanitised (formatting kept, script dropped)", { skip: noChromium }, () => {
  const page = html["06-output-html-and-markdown"];
  assert.deepEqual(handlerAttributes(page), []);
  assert.match(page, /<b>bold<\/b>/);
  assert.match(page, /<em>md<\/em>/);
  assert.ok(!/alert\(1[01]\)/.test(page));
  assert.deepEqual(results["06-output-html-and-markdown"]?.problems ?? ["page not checked"], []);
});

test("a Markdown image with a remote URL is not published and nothing is requested", { skip: noChromium }, () => {
  const page = html["07-markdown-remote-image"];
  assert.ok(!/example\.invalid/.test(page.replace(/title="[^"]*"/g, "")), "no remote URL in the page");
  assert.equal(warnings.filter((w) => w.startsWith("07-markdown-remote-image") && /image removed/.test(w)).length, 3);
  assert.deepEqual(alarms("07-markdown-remote-image"), []);
});

test("tags that load or navigate (base, meta refresh, link, style, iframe, object, form, video, style url) are dropped", { skip: noChromium }, () => {
  const page = html["11-markdown-loading-tags"];
  const body = page.slice(page.indexOf("<main"));
  assert.ok(!/example\.invalid/.test(body.replace(/title="[^"]*"/g, "")), "no remote URL in the page body");
  assert.ok(!/<(base|meta|link|style|iframe|object|form|video)\b/i.test(body), "no loading tag in the page body");
  assert.match(body, /styled/);
  assert.match(body, /kept/);
  assert.ok(warnings.some((w) => w.startsWith("11-markdown-loading-tags") && /image removed/.test(w)), "the text/html output's remote image is reported");
  assert.deepEqual(results["11-markdown-loading-tags"]?.problems ?? ["page not checked"], []);
});

test("a Vega spec with data.url loads nothing (the site's loader refuses URLs)", { skip: noChromium }, () => {
  assert.ok(warnings.some((w) => w.startsWith("08-vega-data-url") && /by URL/.test(w)));
  assert.deepEqual(alarms("08-vega-data-url"), []);
  // Vega reports the refused load on the console, and the browser check shows it
  assert.ok(results["08-vega-data-url"].warnings.some((p) => /loads nothing by URL/.test(p)), results["08-vega-data-url"].warnings.join("\n"));
});

test("a Vega image mark with a remote URL loads nothing", { skip: noChromium }, () => {
  assert.deepEqual(alarms("09-vega-image-mark"), []);
  assert.ok(results["09-vega-image-mark"].warnings.some((p) => /loads nothing by URL/.test(p)), results["09-vega-image-mark"].warnings.join("\n"));
});

test("a spec's usermeta.embedOptions do not override the site's embed options", { skip: noChromium }, () => {
  const page = html["10-vega-embed-options"];
  assert.ok(!/embedOptions/.test(page), "dropped at build time");
  assert.ok(warnings.some((w) => w.startsWith("10-vega-embed-options") && /embedOptions ignored/.test(w)));
  const r = results["10-vega-embed-options"];
  assert.deepEqual(r.problems, []);
  assert.equal(r.charts[0].state, "ok");
  assert.ok(r.charts[0].marks > 0, "drawn as SVG (the site's renderer), not canvas");
});

test("the browser check fails on a quiet injected <script>, with or without the CSP", { skip: noChromium }, () => {
  assert.ok(alarms("99-injected").some((p) => /CSP violation/.test(p)), results["99-injected"]?.problems.join("\n"));
  assert.ok(alarms("99-injected").some((p) => /inline script/.test(p)));
  assert.ok(alarms("98-no-csp").some((p) => /no Content-Security-Policy/.test(p)));
  assert.ok(alarms("98-no-csp").some((p) => /inline script/.test(p)));
});

test("every page carries a CSP that forbids inline script, eval and remote origins", () => {
  for (const page of [...Object.values(html), fs.readFileSync(path.join(out, "index.html"), "utf8")]) {
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page);
    assert.ok(m, "CSP meta present");
    const csp = m[1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(!/https?:|\*/.test(csp), csp);
    assert.ok(!/<script>/.test(page), "no inline script in the page");
  }
  assert.deepEqual(results["index"]?.problems ?? [], []);
});
