// Links of the static course (kernel/site/links.js): repository links between notebooks and the theory
// page are published as links between the site's pages, the theory page keeps its anchors, and the
// link checker finds every local link that dangles.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/* eslint-disable @typescript-eslint/no-var-requires */
const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string; api?: boolean; theory?: string | false }): Promise<{ pages: string[]; warnings: string[]; theory: boolean }>;
  listNotebooks(dir: string): { name: string; file: string }[];
};
const links = require("../../kernel/site/links.js") as {
  siteHref(o: { chapters?: string[]; theory?: boolean; base?: string }): (href: string) => string;
  checkLinks(dir: string, o?: { pages?: string[] }): { pages: number; links: number; broken: { page: string; href: string; problem: string }[] };
};
const browser = require("../../kernel/browser-check.js") as {
  CHROMIUM: string;
  checkSite(o: { site: string; shots: null; pages: string[]; widths?: number[]; links?: boolean }): Promise<{ results: { page: string; problems: string[] }[] }>;
};

const ROOT = path.resolve(__dirname, "..", "..");
const md = (source: string) => ({ cell_type: "markdown", metadata: {}, source: [source] });
const nbJson = (cells: object[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*\shref="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ll-links-"));
}

test("siteHref maps the theory page and chapters from the notebooks' and the docs' folders, and nothing else", () => {
  const nb = links.siteHref({ chapters: ["03-x"], theory: true });
  const docs = links.siteHref({ chapters: ["03-x"], theory: true, base: "docs" });
  const cases: [string, string, string][] = [
    ["../docs/theory.md#t5", "theory.html#t5", "theory.html#t5"],
    ["docs/theory.md#t5", "theory.html#t5", "theory.html#t5"],
    ["./../docs/theory.md", "theory.html", "theory.html"],
    ["theory.md#t5", "theory.md#t5", "theory.html#t5"],
    ["03-x.ipynb#cell", "03-x.html#cell", "03-x.html#cell"],
    ["../notebooks/03-x.ipynb", "03-x.html", "03-x.html"],
    ["04-not-built.ipynb", "04-not-built.ipynb", "04-not-built.ipynb"],
    ["../README.md", "../README.md", "../README.md"],
    ["#local", "#local", "#local"],
  ];
  for (const [href, fromNotebook, fromDocs] of cases) {
    assert.equal(nb(href), fromNotebook, `${href} from notebooks/`);
    assert.equal(docs(href), fromDocs, `${href} from docs/`);
  }
  assert.equal(links.siteHref({ chapters: ["03-x"], theory: false })("../docs/theory.md#t5"), "../docs/theory.md#t5", "no theory page, no mapping");
});

test("the theory page is published as theory.html with its anchors; chapter links to it resolve; index and chapters link it", async () => {
  const dir = tmp();
  try {
    const theory = path.join(dir, "theory.md");
    fs.writeFileSync(
      theory,
      "# The theory\n\nSee [sources](#sources) and [chapter 00](../notebooks/00-x.ipynb).\n\n<a id=\"t5\"></a>\n### T5 · Eckart–Young $\\min_{\\operatorname{rank} W \\le r}$\n\nText.\n\n" +
        '<a id="cell-1"></a><a id="bad id"></a><a id="vegaEmbed"></a>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<a id="sources"></a>\n## Sources\n',
    );
    const files = [
      ["00-x", "# Start\n\nThe [theory page](../docs/theory.md) states [T5](../docs/theory.md#t5) and [again](docs/theory.md#t5); next is [01](01-y.ipynb#more)."],
      ["01-y", "# More\n\n## More\n\nBack to [T5](../docs/theory.md#t5)."],
    ].map(([name, text]) => {
      const file = path.join(dir, `${name}.ipynb`);
      fs.writeFileSync(file, nbJson([md(text)]));
      return { name, file };
    });
    const out = path.join(dir, "site");
    const r = await site.buildSite({ notebooks: files, outDir: out, api: false, theory });
    assert.equal(r.theory, true);
    assert.ok(r.pages.includes("theory.html"), String(r.pages));
    const page = (p: string) => fs.readFileSync(path.join(out, p), "utf8");
    const th = page("theory.html");
    assert.ok(ids(th).has("t5") && ids(th).has("sources"), "the anchors keep their ids");
    assert.ok(!ids(th).has("cell-1"), "an anchor may not take the page's own ids");
    assert.ok(!th.includes('id="bad id"'));
    assert.ok(!ids(th).has("vegaEmbed"), "nor the name of a chart script's global");
    assert.match(th, /class="katex"/, "math is typeset");
    assert.match(th, /<title>The theory · Linear landscapes<\/title>/);
    assert.ok(hrefs(th).includes("00-x.html"), "the theory page links chapters as pages");
    assert.ok(hrefs(page("00-x.html")).includes("theory.html#t5"));
    assert.ok(hrefs(page("00-x.html")).includes("01-y.html#more"));
    assert.ok(!hrefs(page("00-x.html")).some((h) => h.includes(".md") || h.includes(".ipynb#")), String(hrefs(page("00-x.html"))));
    assert.ok(hrefs(page("index.html")).includes("theory.html#t5"), "the index summary's links are mapped too");
    for (const p of ["index.html", "00-x.html", "01-y.html", "theory.html"]) assert.match(page(p), /<nav class="top">[^\n]*href="theory.html"/, `${p} links the theory page in its header`);
    // every link resolves, in particular the ones into theory.html
    const check = links.checkLinks(out);
    assert.deepEqual(check.broken, []);
    assert.ok(check.links >= 10, `${check.links} links checked`);
    if (fs.existsSync(browser.CHROMIUM)) {
      const b = await browser.checkSite({ site: out, shots: null, pages: ["theory.html", "00-x.html"], widths: [1280, 390], links: true });
      for (const p of b.results) assert.deepEqual(p.problems, [], p.page);
      assert.deepEqual(b.results.map((p) => p.page), ["theory.html", "00-x.html", "site links"]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the link checker reports a missing file, a missing id, a path out of the site and a non-site scheme", () => {
  const dir = tmp();
  try {
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "sub", "b.html"), '<h2 id="there">b</h2><a href="../a.html#top">a</a><a href="../a.html">a</a>');
    fs.writeFileSync(
      path.join(dir, "a.html"),
      '<p id="top"><a name="named"></a><a href="#top">ok</a><a href="#">top</a><a href="#named">name</a><a href="sub/b.html#there">ok</a><a href="sub/b.html?x=1#there">query</a>' +
        '<a href="https://example.org/x#y">remote</a><a href="mailto:a@b.c">mail</a><img src="data:image/png;base64,iVBORw0KGgo=">' +
        '<a href="sub/c.html">missing</a><a href="sub/b.html#nowhere">no id</a><a href="#gone">no local id</a><a href="../outside.html">out</a>' +
        '<a href="file:///etc/passwd">file</a><link rel="stylesheet" href="style.css"><script src="site.js"></script><a href="sub/">dir</a></p>',
    );
    const r = links.checkLinks(dir);
    assert.equal(r.pages, 2);
    assert.deepEqual(
      r.broken.map((b) => [b.page, b.href, b.problem]),
      [
        ["a.html", "sub/c.html", "no file sub/c.html"],
        ["a.html", "sub/b.html#nowhere", 'no id "nowhere" in sub/b.html'],
        ["a.html", "#gone", 'no id "gone" in a.html'],
        ["a.html", "../outside.html", "points outside the site"],
        ["a.html", "file:///etc/passwd", "not a link inside the site"],
        ["a.html", "style.css", "no file style.css"],
        ["a.html", "site.js", "no file site.js"],
        ["a.html", "sub/", "no file sub/index.html"],
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the course's own notebooks and docs/theory.md build into a site without a broken link", async () => {
  const dir = tmp();
  try {
    const out = path.join(dir, "site");
    const notebooks = site.listNotebooks(path.join(ROOT, "notebooks"));
    const r = await site.buildSite({ notebooks, outDir: out, api: false });
    assert.equal(r.theory, true);
    const check = links.checkLinks(out);
    assert.deepEqual(check.broken, []);
    const intoTheory = notebooks.flatMap((n) => hrefs(fs.readFileSync(path.join(out, `${n.name}.html`), "utf8")).filter((h) => h.startsWith("theory.html#")));
    const cited = notebooks.flatMap((n) => [...fs.readFileSync(n.file, "utf8").matchAll(/\]\(\.\.\/docs\/theory\.md#([^)\s]+)\)/g)].map((m) => `theory.html#${m[1]}`));
    assert.ok(cited.length > 0, "the chapters cite the theory page");
    for (const h of cited) assert.ok(intoTheory.includes(h), `${h} missing from the chapter pages`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
