// The API reference (kernel/docs.js): TypeDoc over one entry module per area of src/, pages that obey
// the site's Content-Security-Policy and work from file://, and link the site's theory page.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/* eslint-disable @typescript-eslint/no-var-requires */
const docs = require("../../kernel/docs.js") as {
  buildApiDocs(o: { outDir: string; force?: boolean }): Promise<{ dir: string; cached: boolean; modules: number }>;
  apiEntryPoints(): string[];
  API_CSP: string;
};

const site = require("../../kernel/site/build.js") as {
  buildSite(o: { notebooks: { name: string; file: string }[]; outDir: string; api?: boolean | string }): Promise<{ api: boolean }>;
};
const links = require("../../kernel/site/links.js") as { checkLinks(dir: string): { broken: { page: string; href: string; problem: string }[] } };
const browser = require("../../kernel/browser-check.js") as {
  CHROMIUM: string;
  checkSite(o: { site: string; shots: null; pages: string[] }): Promise<{ results: { page: string; problems: string[] }[] }>;
};

const listHtml = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listHtml(path.join(dir, d.name)) : d.name.endsWith(".html") ? [path.join(dir, d.name)] : []));

test("one API module per library area of src/, course code left out", () => {
  const areas = docs.apiEntryPoints().map((f) => path.basename(path.dirname(f)));
  for (const a of ["networks", "losses", "spaces", "landscape", "critical", "plots", "claims"]) assert.ok(areas.includes(a), `${a} missing from ${areas}`);
  assert.ok(!areas.includes("course"));
  assert.ok(areas.indexOf("core") < areas.indexOf("networks") && areas.indexOf("networks") < areas.indexOf("landscape"), "layer order");
});

test("the API reference builds, every page carries the CSP and no inline script, a rebuild is cached, the site links it and its pages pass the browser check", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-api-"));
  try {
    const out = path.join(dir, "api");
    const r = await docs.buildApiDocs({ outDir: out, force: true });
    assert.equal(r.cached, false);
    for (const area of docs.apiEntryPoints().map((f) => path.basename(path.dirname(f)))) assert.ok(fs.existsSync(path.join(out, "modules", `${area}.html`)), `${area} page`);
    const pages = listHtml(out);
    assert.ok(pages.length > 50, `${pages.length} pages`);
    for (const p of pages) {
      const html = fs.readFileSync(p, "utf8");
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${docs.API_CSP}">`), p);
      assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), `${p} has an inline script`);
      assert.ok(!/icons\.svg#/.test(html), `${p} references an external SVG sprite`);
      assert.ok(!/<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?\/\//.test(html), `${p} loads a remote resource`);
    }
    assert.match(fs.readFileSync(path.join(out, "functions", "networks.mu.html"), "utf8"), /mu/);
    assert.equal((await docs.buildApiDocs({ outDir: out })).cached, true);

    // into the site: copied as api/, linked from the index and every chapter, clean in the browser check
    const nb = path.join(dir, "00-x.ipynb");
    fs.writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", metadata: {}, source: ["# X"] }] }));
    const siteDir = path.join(dir, "site");
    const built = await site.buildSite({ notebooks: [{ name: "00-x", file: nb }], outDir: siteDir, api: out });
    assert.equal(built.api, true);
    assert.ok(fs.existsSync(path.join(siteDir, "api", "index.html")));
    assert.ok(!fs.existsSync(path.join(siteDir, "api", ".inputs-hash")), "the cache stamp stays in the cache");
    for (const page of ["index.html", "00-x.html"]) assert.match(fs.readFileSync(path.join(siteDir, page), "utf8"), /href="api\/index\.html"/, page);
    // TSDoc mentions of docs/theory.md#x link the site's theory page, and every link of the site resolves
    const theoryLinks = listHtml(path.join(siteDir, "api")).flatMap((p) => [...fs.readFileSync(p, "utf8").matchAll(/<a href="((?:\.\.\/)+)theory\.html(#[^"]*)?">docs\/theory\.md/g)].map((m) => path.resolve(path.dirname(p), m[1])));
    assert.ok(theoryLinks.length > 0, "no API page links the theory page");
    for (const target of theoryLinks) assert.equal(target, siteDir, "the theory link points to the site folder");
    assert.deepEqual(links.checkLinks(siteDir).broken, []);
    if (fs.existsSync(browser.CHROMIUM)) {
      const check = await browser.checkSite({ site: siteDir, shots: null, pages: ["api/index.html", "api/modules/networks.html", "api/functions/networks.mu.html"] });
      for (const p of check.results) assert.deepEqual(p.problems, [], p.page);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
