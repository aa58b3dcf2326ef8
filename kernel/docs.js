#!/usr/bin/env node
// API reference of the library, generated from its TSDoc with TypeDoc (pinned 0.25.x, the line that
// supports the repo's TypeScript 5.0). One entry module per area of src/ (each `src/<area>/index.ts`,
// in the order of the layers; chapter code in src/course is not part of the reference), so the
// reference is grouped by area: networks, losses, spaces, landscape, critical, optimisers, plots,
// claims, ... Output: build/api/ (cached: rebuilt only when a source file, the options or TypeDoc
// change), copied into the course site as api/ by kernel/site/build.js.
//
// TypeDoc's pages are made to obey the site's Content-Security-Policy and to work from file://: the
// inline theme script is moved to a file, icon references point into the page (icons.js adds the
// sprite), and each page gets the CSP meta element (its search and navigation data are data:
// URLs fetched by its own script, hence `connect-src data:` on these pages only). Mentions of the theory
// page in the TSDoc (`docs/theory.md#t5`) become links to the course site's theory.html, one folder up
// (the link check of the browser check verifies their anchors).
//
// Usage: npm run docs [-- --force] [--out build/api]
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const ROOT = path.resolve(__dirname, "..");
const SRC = path.join(ROOT, "src");
/** Areas in reading order (the layers, bottom up); folders not listed here follow alphabetically. */
const AREA_ORDER = ["core", "networks", "losses", "spaces", "landscape", "optim", "optimisers", "optimizers", "critical", "surveys", "experiments", "plots", "claims", "display"];
/** One line per area for the reference's front page, used when the area's index.ts has no module comment. */
const AREA_SUMMARY = {
  core: "errors, checked linear algebra on matrices, decompositions, seeded randomness",
  networks: "architectures (widths), the network map mu and its differential: deep linear, multi-tower, ReLU",
  losses: "losses on matrix space: value, gradient, Hessian action",
  spaces: "functional spaces: all matrices and the determinantal variety M_r",
  landscape: "the loss landscape L = l o mu: gradient, Hessian, Hessian-vector products, slices, spectra",
  optim: "optimisers and the critical-point finder on flat objectives",
  optimisers: "optimisers and the critical-point finder on flat objectives",
  optimizers: "optimisers and the critical-point finder on flat objectives",
  surveys: "seeded multi-start surveys, clustering, workers and progress",
  critical: "critical points: closed forms, purity, verdicts with evidence",
  experiments: "optimisers, seeded multi-start surveys, clustering",
  plots: "Vega-Lite spec builders and chart bundles",
  claims: "claim cells: a theorem's prediction checked against a measurement",
  display: "rich display in the kernel: numbers, tables, matrices",
};
/** Folders of src/ that are not library areas. */
const NOT_API = new Set(["course"]);
/** CSP of the API pages: as the course pages, plus data: fetches for TypeDoc's search/navigation data. */
const API_CSP = ["default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'", "connect-src data:", "base-uri 'none'", "form-action 'none'"].join("; ");
const THEME_SCRIPT = "ll-theme.js";

/** Entry modules: `src/<area>/index.ts` for every library area, in AREA_ORDER. */
function apiEntryPoints() {
  const areas = fs
    .readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_API.has(d.name) && fs.existsSync(path.join(SRC, d.name, "index.ts")))
    .map((d) => d.name);
  const rank = (a) => (AREA_ORDER.includes(a) ? AREA_ORDER.indexOf(a) : AREA_ORDER.length);
  areas.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return areas.map((a) => path.join(SRC, a, "index.ts"));
}

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? listTs(p) : d.name.endsWith(".ts") ? [p] : [];
  });
}

/** First sentence of the module comment of an area's index.ts, if it has one. */
function moduleSummary(indexFile) {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(fs.readFileSync(indexFile, "utf8"));
  if (!m || !/@module|@packageDocumentation/.test(m[1])) return null;
  const text = m[1].replace(/^\s*\* ?/gm, "").replace(/@\w+[\s\S]*$/, "").replace(/\s+/g, " ").trim();
  const dot = text.search(/\.(\s|$)/);
  return dot > 0 ? text.slice(0, dot) : text || null;
}

/** Front page of the reference (Markdown): the areas in layer order with one line each. */
function frontPage(entryPoints) {
  const rows = entryPoints.map((f) => {
    const area = path.basename(path.dirname(f));
    return `| [${area}](modules/${area}.html) | ${(moduleSummary(f) || AREA_SUMMARY[area] || "").replace(/\|/g, "\\|")} |`;
  });
  return [
    "The library's public functions, generated from their TSDoc (summary, formula, shapes, what they throw and",
    "the theorem they serve). One module per area of `src/`, bottom layer first; everything is imported from",
    '`"linear-landscapes"`. The [course](../index.html) shows them at work.',
    "",
    "| area | what it holds |",
    "| --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** Hash of everything the reference depends on. */
function inputsHash(entryPoints) {
  const h = crypto.createHash("sha256");
  h.update(require("typedoc/package.json").version);
  h.update(fs.readFileSync(__filename));
  h.update(fs.readFileSync(path.join(ROOT, "tsconfig.json")));
  h.update(entryPoints.join("\n"));
  for (const f of listTs(SRC).sort()) h.update(f).update(fs.readFileSync(f));
  return h.digest("hex");
}

function listHtml(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? listHtml(p) : d.name.endsWith(".html") ? [p] : [];
  });
}

/**
 * Links the text mentions `docs/theory.md` / `docs/theory.md#x` of a page to the site's theory page
 * (`up` = relative path from the page to the site folder). Text inside <a> or attributes is left alone.
 */
function linkTheory(html, up) {
  let inLink = 0;
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith("<")) {
        if (/^<a[\s>]/i.test(part)) inLink += 1;
        else if (/^<\/a>/i.test(part)) inLink = Math.max(0, inLink - 1);
        return part;
      }
      return inLink ? part : part.replace(/\bdocs\/theory\.md(#[A-Za-z0-9_-]+)?/g, (m, frag) => `<a href="${up}/theory.html${frag || ""}">${m}</a>`);
    })
    .join("");
}

/** Makes TypeDoc's pages CSP-clean: theme script to a file, CSP meta first in <head>; links the theory page. */
function hardenPages(outDir) {
  const inline = /<script>(document\.documentElement\.dataset\.theme[^<]*)<\/script>/;
  let themeCode = null;
  for (const file of listHtml(outDir)) {
    let html = fs.readFileSync(file, "utf8");
    const rel = path.relative(path.dirname(file), path.join(outDir, "assets")).split(path.sep).join("/") || ".";
    const m = inline.exec(html);
    if (m) {
      themeCode = m[1];
      html = html.replace(inline, `<script src="${rel}/${THEME_SCRIPT}"></script>`);
    }
    // from file:// an SVG <use> may not reference another file; icons.js puts the sprite into the page
    html = html.replace(/href="(?:\.\.\/)*assets\/icons\.svg#/g, 'href="#');
    html = html.replace(/<head>/, `<head><meta http-equiv="Content-Security-Policy" content="${API_CSP}"><meta name="referrer" content="no-referrer">`);
    const body = html.indexOf("<body");
    // the reference sits in the site as api/: the site folder is the parent of outDir
    const site = path.relative(path.dirname(file), path.dirname(outDir)).split(path.sep).join("/") || ".";
    if (body >= 0) html = html.slice(0, body) + linkTheory(html.slice(body), site);
    const leftover = /<script(?![^>]*\bsrc=)[^>]*>/.exec(html);
    if (leftover) throw new Error(`docs: ${path.relative(outDir, file)} still has an inline script (${leftover[0]}); TypeDoc's theme changed`);
    fs.writeFileSync(file, html);
  }
  fs.writeFileSync(path.join(outDir, "assets", THEME_SCRIPT), `${themeCode || 'document.documentElement.dataset.theme = localStorage.getItem("tsd-theme") || "os"'};\n`);
}

/**
 * Builds the API reference unless the cached one is current.
 * @param {{outDir?: string, force?: boolean, log?: (s: string) => void}} [opts]
 * @returns {Promise<{dir: string, cached: boolean, modules: number, ms: number}>}
 */
async function buildApiDocs(opts = {}) {
  const t0 = Date.now();
  const outDir = path.resolve(opts.outDir || path.join(ROOT, "build", "api"));
  const log = opts.log || (() => {});
  const entryPoints = apiEntryPoints();
  const hash = inputsHash(entryPoints);
  const stamp = path.join(outDir, ".inputs-hash");
  if (!opts.force && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash && fs.existsSync(path.join(outDir, "index.html"))) {
    return { dir: outDir, cached: true, modules: entryPoints.length, ms: Date.now() - t0 };
  }
  const td = require("typedoc");
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  const readme = path.join(path.dirname(outDir), ".api-front-page.md");
  fs.writeFileSync(readme, frontPage(entryPoints));
  const app = await td.Application.bootstrapWithPlugins(
    {
      name: "linear-landscapes API",
      entryPoints,
      entryPointStrategy: "resolve",
      tsconfig: path.join(ROOT, "tsconfig.json"),
      readme,
      excludePrivate: true,
      excludeProtected: true,
      excludeInternal: true,
      excludeExternals: true,
      disableSources: true,
      hideGenerator: true,
      githubPages: false,
      navigationLinks: { Course: "../index.html" },
      categorizeByGroup: true,
      sort: ["kind", "alphabetical"],
      validation: { notExported: false, invalidLink: true, notDocumented: false },
      logLevel: "Warn",
      // `npm run build` type-checks the sources; TypeDoc only reads them (CPU 5.6 s instead of 9.6 s here)
      skipErrorChecking: true,
    },
    [new td.TSConfigReader()],
  );
  const project = await app.convert();
  if (!project) throw new Error("docs: TypeDoc could not convert the sources (see the errors above)");
  fs.rmSync(outDir, { recursive: true, force: true });
  await app.generateDocs(project, outDir);
  hardenPages(outDir);
  fs.writeFileSync(stamp, hash);
  const ms = Date.now() - t0;
  log(`docs: API reference of ${entryPoints.length} areas -> ${path.relative(process.cwd(), outDir) || "."} (${ms} ms)`);
  return { dir: outDir, cached: false, modules: entryPoints.length, ms };
}

module.exports = { buildApiDocs, apiEntryPoints, API_CSP };

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--out");
  buildApiDocs({ force: args.includes("--force"), outDir: i >= 0 ? args[i + 1] : undefined, log: console.log }).then(
    (r) => r.cached && console.log(`docs: ${path.relative(process.cwd(), r.dir)} is current (${r.modules} areas)`),
    (e) => {
      console.error(e.message || e);
      process.exit(1);
    },
  );
}
