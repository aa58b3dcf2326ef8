// The static course builder (kernel/site/): math survives Markdown, outputs cannot inject HTML or
// scripts, charts are embedded with their spec and PNG, claims are collected once per cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/* eslint-disable @typescript-eslint/no-var-requires */
const md = require("../../kernel/site/markdown.js") as {
  protectMath(src: string): { text: string; math: { tex: string; display: boolean }[] };
  createMarkdown(): Promise<{ cell(src: string, o?: object): string; output(src: string, o?: object): string }>;
};
const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string; api?: boolean; theory?: string | false }): Promise<{ pages: string[]; charts: number; claims: number; warnings: string[] }>;
  extractClaims(nb: unknown, name: string): { label: string; pass: boolean; cell: number }[];
  fmtValue(v: unknown): string;
};

test("protectMath cuts out $…$, $$…$$ and environments, but not code or escaped dollars", () => {
  const src = "a $x_1 * y_2$ b\n\n$$\\sum_i a_i$$\n\n`$code$` and \\$5\n\n```\n$fenced$\n```\n\n\\begin{align}a&=b\\end{align}";
  const { text, math } = md.protectMath(src);
  assert.deepEqual(
    math.map((m) => [m.tex, m.display]),
    [
      ["x_1 * y_2", false],
      ["\\sum_i a_i", true],
      ["\\begin{align}a&=b\\end{align}", true],
    ],
  );
  assert.ok(text.includes("`$code$`") && text.includes("\\$5") && text.includes("$fenced$"));
  assert.ok(!text.includes("x_1"));
});

test("a dollar sign without a partner in the paragraph is not math", () => {
  const { math } = md.protectMath("costs $5.\n\nAnd then $x$.");
  assert.deepEqual(
    math.map((m) => m.tex),
    ["x"],
  );
});

test("Markdown cells render math with KaTeX; raw HTML in output Markdown is sanitised", async () => {
  const r = await md.createMarkdown();
  const html = r.cell("# Title\n\nwith $a_b$ and **bold**");
  assert.match(html, /<h1 id="title">/);
  assert.match(html, /class="katex"/);
  assert.match(html, /<strong>bold<\/strong>/);
  const out = r.output('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> [x](javascript:alert(1)) $y$');
  assert.ok(!/<script/i.test(out), out);
  assert.ok(!/<img src=x/i.test(out), out);
  assert.ok(!/href="javascript:/i.test(out), out);
  assert.match(out, /class="katex"/);
});

test("fmtValue keeps integers, trims float noise, shows arrays", () => {
  assert.equal(site.fmtValue(3), "3");
  assert.equal(site.fmtValue(2.5000000000000004), "2.5");
  assert.equal(site.fmtValue(1e-9), "1e-9");
  assert.equal(site.fmtValue([1, 2.5000000000000004]), "[1, 2.5]");
  assert.equal(site.fmtValue(true), "true");
});

const claimBundle = (label: string, pass: boolean) => ({
  "application/vnd.linear-landscapes.claim+json": { label, statement: `statement ${label}`, expected: 1, measured: pass ? 1 : 2, tol: 1e-9, pass },
  "text/markdown": `**${label}**`,
  "text/plain": label,
});

function notebook() {
  const spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } }, description: "</script><script>alert(1)</script>" };
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Chapter $T$\n", "\n", "Intro text."] },
      {
        cell_type: "code",
        metadata: {},
        execution_count: 1,
        source: ["claim()"],
        outputs: [
          { output_type: "display_data", metadata: {}, data: claimBundle("T1", true) },
          { output_type: "display_data", metadata: {}, data: claimBundle("T1", true) },
          { output_type: "display_data", metadata: {}, data: claimBundle("T2", false) },
        ],
      },
      {
        cell_type: "code",
        metadata: {},
        execution_count: 2,
        source: ["chart"],
        outputs: [
          { output_type: "execute_result", execution_count: 2, metadata: {}, data: { "application/vnd.vegalite.v5+json": spec, "image/png": "iVBORw0KGgo=", "text/plain": "a point chart" } },
          { output_type: "display_data", metadata: {}, data: { "text/html": "<script>alert(2)</script>", "text/plain": "plain fallback" } },
          { output_type: "stream", name: "stdout", text: ["a <b>\n"] },
        ],
      },
    ],
  };
}

test("extractClaims returns each claim once per cell, with its cell index", () => {
  const claims = site.extractClaims(notebook(), "00-x");
  assert.deepEqual(
    claims.map((c) => [c.label, c.pass, c.cell]),
    [
      ["T1", true, 1],
      ["T2", false, 1],
    ],
  );
});

test("buildSite writes index + chapter with inline spec, PNG fallback and local vendor files only", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-site-"));
  try {
    const file = path.join(dir, "00-x.ipynb");
    fs.writeFileSync(file, JSON.stringify(notebook()));
    const out = path.join(dir, "site");
    const r = await site.buildSite({ notebooks: [{ name: "00-x", file }], outDir: out, api: false, theory: false });
    assert.deepEqual(r.pages, ["index.html", "00-x.html"]);
    assert.equal(r.charts, 1);
    assert.equal(r.claims, 2);
    const page = fs.readFileSync(path.join(out, "00-x.html"), "utf8");
    assert.ok(!page.includes("alert(2)"), "text/html output is sanitised");
    assert.ok(page.includes("plain fallback"), "HTML that sanitises to nothing falls back to text/plain");
    assert.ok(!page.includes("</script><script>alert(1)"), "spec must not close its script element");
    assert.match(page, /<img class="fallback" src="data:image\/png;base64,iVBORw0KGgo="/);
    assert.match(page, /a &lt;b&gt;/);
    for (const m of page.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)) assert.ok(!/^[a-z]+:/i.test(m[1]), `non-local asset ${m[1]}`);
    for (const f of ["vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "vendor/katex/katex.min.css", "site.js", "style.css"]) {
      assert.ok(fs.existsSync(path.join(out, f)), `${f} missing`);
    }
    const css = fs.readFileSync(path.join(out, "vendor/katex/katex.min.css"), "utf8");
    for (const m of css.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)) assert.ok(fs.existsSync(path.join(out, "vendor/katex", m[1])), `${m[1]} missing`);
    const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
    assert.match(index, /href="00-x.html#cell-1"/);
    assert.match(index, /1\/2 claims/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the claims table: one collapsible table per chapter, open when a claim fails; float noise shown as 0 within the tolerance", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-site-"));
  try {
    const verdicts = [
      { notebook: "00-x", label: "Z1", statement: "gap is $0$", expected: 0, measured: 4.440892098500626e-16, tol: 1e-8, mode: "abs", pass: true, cell: 1, source: "hand" },
      { notebook: "00-x", label: "Z2", statement: "relative", expected: 1e-20, measured: 2e-20, tol: 1, mode: "rel", pass: true, cell: 1 },
      { notebook: "00-x", label: "Z3", statement: "coarse", expected: 0, measured: 1e-5, tol: 1e-3, mode: "abs", pass: true, cell: 1 },
      { notebook: "01-y", label: "F1", statement: "fails", expected: 1, measured: 2, tol: 1e-9, pass: false, cell: 0 },
    ];
    const files = ["00-x", "01-y"].map((name) => {
      const file = path.join(dir, `${name}.ipynb`);
      fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: [`# ${name}`] }] }));
      return { name, file };
    });
    const out = path.join(dir, "site");
    await (site.buildSite as (o: object) => Promise<unknown>)({ notebooks: files, outDir: out, verdicts, api: false });
    const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const details = [...index.matchAll(/<details class="claims-chapter"( open)?>/g)].map((m) => Boolean(m[1]));
    assert.deepEqual(details, [false, true], "chapter 00 (all hold) closed, chapter 01 (a failure) open");
    const row = (label: string) => new RegExp(`<td class="label">${label}</td>[\\s\\S]*?</tr>`).exec(index)?.[0] ?? "";
    assert.match(row("Z1"), /<td class="num" title="4\.440892098500626e-16 \(\|x\| ≤ 1e-10 shown as 0[^"]*">0<\/td>/);
    assert.match(row("Z1"), /<td class="source">hand<\/td>/);
    assert.match(row("Z2"), /<span class="nobr">2e-20<\/span>/, "relative claims keep tiny values");
    assert.match(row("Z3"), /<span class="nobr">1e-5<\/span>/, "a value above 1e-10 is a measurement, not noise");
    assert.match(index, /shown as 0/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("numbers in exponent notation stay on one line in prose and tables, not in code", async () => {
  const r = await md.createMarkdown();
  const html = r.cell("gap -4.44e-16 and `1e-5` and x1e-5\n\n| a |\n|---|\n| 2.5e+3 |");
  assert.match(html, /<span class="nobr">-4\.44e-16<\/span>/);
  assert.match(html, /<code>1e-5<\/code>/);
  assert.match(html, /x1e-5/);
  assert.match(html, /<span class="nobr">2\.5e\+3<\/span>/);
});

test("M_r-style symbols without dollars are typeset in claim statements and table headers only", async () => {
  const r = (await md.createMarkdown()) as unknown as { inline(s: string, o?: object): string; cell(s: string): string };
  const tex = (html: string) => [...html.matchAll(/<annotation encoding="application\/x-tex">([^<]*)<\/annotation>/g)].map((m) => m[1]);
  assert.deepEqual(tex(r.inline("dim M_r = r (d_0 + d_h − r) in R^{4×3}; max_iter and `a_b`", { looseMath: true })), ["M_r", "d_0", "d_h", "R^{4×3}"]);
  assert.deepEqual(tex(r.inline("t E_12 and Col(W_{>i}) and T_{μ(θ)}M_2 and 2^b", { looseMath: true })), ["E_{12}", "W_{&gt;i}", "T_{μ(θ)}", "M_2", "2^b"]);
  assert.deepEqual(tex(r.inline("dim M_r")), [], "only where asked");
  const table = r.cell("| Σ_{j∉I} σ_j² | max_iter |\n|---|---|\n| d_0 | 1 |");
  assert.deepEqual(tex(table), ["Σ_{j∉I}", "σ_j^{2}"], "header cells only");
});

test("a claim box folds a long value (preview and count, the whole value on a click) and shows short ones as they are", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-site-"));
  try {
    const long = Array.from({ length: 160 }, (_, i) => i % 3 === 0);
    const claim = (label: string, expected: unknown) => ({
      output_type: "display_data",
      metadata: {},
      data: { "application/vnd.linear-landscapes.claim+json": { label, statement: label, expected, measured: expected, tol: 0, mode: "exact", pass: true }, "text/plain": label },
    });
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: ["# Claims"] }, { cell_type: "code", metadata: {}, execution_count: 1, source: ["claim()"], outputs: [claim("LONG", long), claim("SHORT", [1, 2, 3])] }] };
    const file = path.join(dir, "00-c.ipynb");
    fs.writeFileSync(file, JSON.stringify(nb));
    const out = path.join(dir, "site");
    await site.buildSite({ notebooks: [{ name: "00-c", file }], outDir: out, api: false, theory: false });
    const page = fs.readFileSync(path.join(out, "00-c.html"), "utf8");
    const box = (label: string) => new RegExp(`<span class="label">${label}</span>[\\s\\S]*?</dl>`).exec(page)?.[0] ?? "";
    const dds = [...box("LONG").matchAll(/<dt>(expected|measured)<\/dt><dd>([\s\S]*?)<\/dd>/g)];
    assert.equal(dds.length, 2);
    for (const [, , dd] of dds) {
      const m = /^<details><summary>(\[true, false, false, true[^<]*), … \(160 values\)<\/summary>([\s\S]*)<\/details>$/.exec(dd);
      assert.ok(m, dd.slice(0, 200));
      assert.ok(m[1].length < 100, "a short preview");
      assert.equal(m[2], `[${long.join(", ")}]`, "the whole value inside");
    }
    assert.match(box("SHORT"), /<dt>expected<\/dt><dd>\[1, 2, 3\]<\/dd>/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
