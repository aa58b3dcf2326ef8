// The API reference (kernel/docs.js): TypeDoc over one entry module per area of src/, pages that obey
// the site's Content-Security-Policy and work from file://.
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

const listHtml = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listHtml(path.join(dir, d.name)) : d.name.endsWith(".html") ? [path.join(dir, d.name)] : []));

test("one API module per library area of src/, course code left out", () => {
  const areas = docs.apiEntryPoints().map((f) => path.basename(path.dirname(f)));
  for (const a of ["networks", "losses", "spaces", "landscape", "critical", "plots", "claims"]) assert.ok(areas.includes(a), `${a} missing from ${areas}`);
  assert.ok(!areas.includes("course"));
  assert.ok(areas.indexOf("core") < areas.indexOf("networks") && areas.indexOf("networks") < areas.indexOf("landscape"), "layer order");
});

test("the API reference builds, every page carries the CSP and no inline script, and a rebuild is cached", async () => {
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
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
