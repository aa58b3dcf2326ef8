#!/usr/bin/env node
// Headless browser check of the built course (`npm run test:browser`, after `npm run course`).
// Opens build/site/index.html, every chapter page, the theory page and the API docs entry pages from file:// in Debian's
// chromium (through playwright-core, no browser download), with the network closed to anything but the
// site's own files, and checks:
// - every Vega-Lite chart is drawn by vega-embed (an SVG with mark elements inside the chart container),
//   wholly in view (a chart wider than its box would hide its legend behind a scroll bar);
// - no console errors, no page errors, no failed requests, no KaTeX parse errors;
// - no request outside the site folder (remote or another local file);
// - no script that the site did not ship: the page must carry a Content-Security-Policy without
//   'unsafe-inline'/'unsafe-eval' for scripts; any CSP violation event fails the page; the DOM may
//   hold no inline executable <script>, no script file outside the shipped ones, no on* handler
//   attribute and no javascript: URL; and canaries (alert, confirm, prompt, print, open) record calls;
// - at each viewport width, the page does not scroll sideways (wide tables, code and charts scroll
//   inside their own box);
// - every local link of every page of the site (all of api/ too) resolves: the file exists inside the
//   site and a #fragment names an id of its page (kernel/site/links.js; reported as "site links").
// Saves a full-page screenshot per page and width in build/screenshots/ (NAME.png for the first width,
// NAME-<width>.png for the others). Prints what it saw and `N passed, N failed`.
//
// Options: --site DIR (default build/site), --shots DIR (default build/screenshots), --only NAME...,
// --widths 1280,390 (default 1280). As a module: checkSite(options) -> {results, passed, failed}.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { pathToFileURL, fileURLToPath } = require("url");

const ROOT = path.resolve(__dirname, "..");
const { checkLinks } = require("./site/links.js");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Script files a page may load, relative to the site folder (what kernel/site and the docs build ship). */
const SHIPPED_SCRIPTS = [/^vendor\/[a-z-]+\.min\.js$/, /^site\.js$/, /^api\/assets\/[a-z-]+\.js$/];

function parseArgs(argv) {
  const o = { site: path.join(ROOT, "build", "site"), shots: path.join(ROOT, "build", "screenshots"), only: [], widths: [1280] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--site") o.site = path.resolve(argv[++i]);
    else if (argv[i] === "--shots") o.shots = path.resolve(argv[++i]);
    else if (argv[i] === "--widths") {
      o.widths = String(argv[++i]).split(",").map(Number);
      if (!o.widths.length || o.widths.some((w) => !Number.isInteger(w) || w < 200 || w > 4000)) {
        console.error("browser-check: --widths takes pixel widths such as 1280,390");
        process.exit(2);
      }
    }
    else if (argv[i] === "--only") while (argv[i + 1] && !argv[i + 1].startsWith("--")) o.only.push(argv[++i]);
    else if (argv[i] === "-h" || argv[i] === "--help") {
      console.log("usage: node kernel/browser-check.js [--site build/site] [--shots build/screenshots] [--only 00 ...] [--widths 1280,390]");
      process.exit(0);
    } else {
      console.error(`browser-check: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  return o;
}

/** Runs in the page before any of its scripts: records CSP violations and canary calls. */
function installWatchers() {
  window.__llAlarms = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__llAlarms.push(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}${e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ""}`);
  });
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = function () {
      window.__llAlarms.push(`canary: window.${name}() was called`);
      return null;
    };
  }
}

/** DOM audit after load: scripts the site did not ship, handler attributes, javascript: URLs, CSP. */
function auditDom() {
  const found = [];
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
  const policy = csp ? csp.getAttribute("content") || "" : "";
  const scriptSrc = (/(?:^|;)\s*script-src\s+([^;]*)/.exec(policy) || /(?:^|;)\s*default-src\s+([^;]*)/.exec(policy) || [])[1];
  if (!csp) found.push("no Content-Security-Policy meta element");
  else if (scriptSrc == null) found.push(`CSP does not restrict scripts: ${policy}`);
  else if (/'unsafe-inline'|'unsafe-eval'|\*|https?:|data:/.test(scriptSrc)) found.push(`CSP script-src allows more than the site's files: ${scriptSrc}`);
  if (csp && document.head.firstElementChild && !document.head.contains(csp)) found.push("CSP meta element is not in <head>");
  const scripts = [];
  for (const el of document.querySelectorAll("script")) {
    const type = (el.getAttribute("type") || "").trim().toLowerCase();
    if (type === "application/json" || type === "application/ld+json") continue;
    if (!el.hasAttribute("src")) found.push(`inline script: ${el.textContent.trim().slice(0, 60)}`);
    else scripts.push(el.src);
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(`handler attribute ${a.name} on <${el.localName}>`);
      else if (/^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction|xlink:href)$/i.test(a.name)) found.push(`javascript: URL in ${a.name} of <${el.localName}>`);
    }
  }
  for (const sel of ["iframe", "object", "embed", "base", "meta[http-equiv=refresh i]"]) {
    if (document.querySelector(sel)) found.push(`element not allowed in the site: ${sel}`);
  }
  return { found, scripts };
}

async function checkPage(context, file, opts) {
  const page = await context.newPage();
  const siteDir = path.resolve(opts.site) + path.sep;
  const problems = [];
  const consoleMessages = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
    else if (msg.type() === "warning") consoleMessages.push(`console warning: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.type()} ${d.message().slice(0, 60)}`);
    d.dismiss().catch(() => {});
  });
  page.on("requestfailed", (req) => {
    if (!problems.some((p) => p.includes(req.url()))) problems.push(`request failed: ${req.url()} (${(req.failure() || {}).errorText || "?"})`);
  });
  let requests = 0;
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") return route.continue();
    if (url.startsWith("file://")) {
      let local = "";
      try {
        local = path.resolve(fileURLToPath(url));
      } catch {}
      if (local.startsWith(siteDir)) {
        requests += 1;
        return route.continue();
      }
      problems.push(`request for a file outside the site: ${url}`);
      return route.abort();
    }
    problems.push(`network request outside the site: ${url}`);
    return route.abort();
  });
  await page.addInitScript(installWatchers);
  const t0 = Date.now();
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: "load", timeout: 30000 });
  const chartCount = await page.locator(".vega-chart").count();
  if (chartCount > 0) {
    try {
      await page.waitForFunction(() => document.documentElement.getAttribute("data-charts") === "done", null, { timeout: 30000 });
    } catch {
      problems.push("charts did not finish rendering within 30 s");
    }
  }
  const charts = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".vega-chart")).map((el) => {
      const svg = el.querySelector(".vega-target svg");
      const marks = svg ? svg.querySelectorAll(".role-mark > *, .role-mark path").length : 0;
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const img = el.querySelector("img.fallback");
      const fallbackVisible = !!img && img.getBoundingClientRect().height > 0;
      // the whole chart (legend included) must be in view, not behind a scroll bar of its box
      const boxEl = el.closest(".output-body") || el.parentElement;
      const outer = boxEl.getBoundingClientRect();
      const clipped = !!svg && (box.right > outer.right + 1 || box.left < outer.left - 1);
      return { state: el.getAttribute("data-rendered"), marks, fallbackVisible, clipped, width: Math.round(box.width), height: Math.round(box.height), label: el.getAttribute("aria-label") || "" };
    }),
  );
  charts.forEach((c, i) => {
    if (c.state !== "ok") problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) not rendered (state ${c.state})`);
    else if (c.marks === 0) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) has an SVG but no marks`);
    else if (c.fallbackVisible) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) still shows its PNG fallback next to the rendered chart`);
    else if (c.width < 20 || c.height < 20) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) is ${c.width}×${c.height} px`);
    else if (c.clipped) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) is wider than its box: part of it (its legend?) is out of view`);
  });
  const katexErrors = await page.locator(".katex-error").count();
  if (katexErrors) {
    const first = await page.locator(".katex-error").first().getAttribute("title");
    problems.push(`${katexErrors} KaTeX error(s), first: ${first}`);
  }
  const info = await page.evaluate(() => ({
    title: document.title,
    math: document.querySelectorAll(".katex").length,
    claims: document.querySelectorAll(".claim").length,
    failedClaims: document.querySelectorAll(".claim.fail").length,
    cells: document.querySelectorAll(".cell.code").length,
    brokenImages: Array.from(document.images).filter((im) => im.complete && im.naturalWidth === 0 && !im.hidden).length,
    height: document.documentElement.scrollHeight,
  }));
  if (info.brokenImages) problems.push(`${info.brokenImages} image(s) failed to decode`);
  const audit = await page.evaluate(auditDom);
  problems.push(...audit.found);
  for (const src of audit.scripts) {
    let rel = null;
    try {
      const local = path.resolve(fileURLToPath(src));
      if (local.startsWith(siteDir)) rel = path.relative(siteDir, local).split(path.sep).join("/");
    } catch {}
    if (rel == null || !SHIPPED_SCRIPTS.some((re) => re.test(rel))) problems.push(`script not shipped by the site: ${src}`);
  }
  const shots = [];
  const base = path.relative(opts.site, file).replace(/\.html$/, "").split(path.sep).join("_");
  for (const [k, width] of (opts.widths || [1280]).entries()) {
    await page.setViewportSize({ width, height: 900 });
    if (k) {
      // site.js lays charts out again for the new width (data-charts "fitting" until done)
      await page.waitForTimeout(300);
      if (chartCount > 0) await page.waitForFunction(() => document.documentElement.getAttribute("data-charts") === "done", null, { timeout: 20000 }).catch(() => problems.push(`at ${width}px the charts were not laid out again within 20 s`));
    }
    const over = await page.evaluate(() => {
      const de = document.documentElement;
      const wide = [];
      if (de.scrollWidth > de.clientWidth + 1) {
        for (const el of document.querySelectorAll("body *")) {
          const r = el.getBoundingClientRect();
          if (r.right > de.clientWidth + 1 && r.width > 0 && !el.closest(".table-wrap, pre, .output-body, .katex-display, .vega-chart, .tsd-panel")) {
            wide.push(`<${el.localName}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""}> ${Math.round(r.right)}px`);
            if (wide.length >= 3) break;
          }
        }
      }
      return { scroll: de.scrollWidth, client: de.clientWidth, wide };
    });
    if (over.scroll > over.client + 1) problems.push(`at ${width}px the page scrolls sideways (${over.scroll}px wide): ${over.wide.join(", ") || "?"}`);
    if (k > 0) {
      const clipped = await page.evaluate(() =>
        Array.from(document.querySelectorAll(".vega-chart"))
          .map((el, i) => {
            const svg = el.querySelector(".vega-target svg");
            const outer = (el.closest(".output-body") || el.parentElement).getBoundingClientRect();
            const box = svg ? svg.getBoundingClientRect() : null;
            return box && (box.right > outer.right + 1 || box.left < outer.left - 1) ? i + 1 : 0;
          })
          .filter(Boolean),
      );
      if (clipped.length) problems.push(`at ${width}px chart(s) ${clipped.join(", ")} are wider than their box: part (the legend?) is out of view`);
    }
    if (opts.shots) {
      const shot = path.join(opts.shots, base + (k ? `-${width}` : "") + ".png");
      await page.screenshot({ path: shot, fullPage: true });
      shots.push(shot);
    }
  }
  const alarms = await page.evaluate(() => window.__llAlarms || []);
  problems.push(...alarms);
  const shot = shots[0];
  await page.close();
  return { file, url, charts, info, problems, warnings: consoleMessages, requests, shot, ms: Date.now() - t0 };
}

/** Pages to check, relative to the site: index, chapters (filtered by `only`), theory, the API docs entry pages. */
function sitePages(opts) {
  let pages = fs
    .readdirSync(opts.site)
    .filter((f) => /^\d\d.*\.html$/.test(f))
    .sort();
  if (opts.only && opts.only.length) pages = pages.filter((p) => opts.only.some((o) => p.startsWith(o)));
  // the API reference: its entry page and one page per area (the hundreds of symbol pages share their template)
  const api = ["api/index.html", "api/modules.html"].filter((p) => fs.existsSync(path.join(opts.site, p)));
  const areas = path.join(opts.site, "api", "modules");
  if (fs.existsSync(areas) && !(opts.only && opts.only.length)) api.push(...fs.readdirSync(areas).filter((f) => f.endsWith(".html")).sort().map((f) => `api/modules/${f}`));
  const theory = fs.existsSync(path.join(opts.site, "theory.html")) && !(opts.only && opts.only.length) ? ["theory.html"] : [];
  return ["index.html", ...pages, ...theory, ...api];
}

/**
 * Checks the pages of a built site in headless Chromium.
 * @param {{site: string, shots?: string|null, only?: string[], widths?: number[], pages?: string[],
 *   links?: boolean, log?: (line: string) => void}} opts  pages: relative paths (default: sitePages); shots:
 *   null = none; links: also check every local link of the whole site (default: when pages is not given)
 * @returns {Promise<{results: object[], passed: number, failed: number}>}
 */
async function checkSite(opts) {
  opts = { widths: [1280], only: [], log: () => {}, ...opts };
  const pages = opts.pages || sitePages(opts);
  if (opts.shots) fs.mkdirSync(opts.shots, { recursive: true });
  const { chromium } = require("playwright-core");
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: opts.widths[0], height: 900 },
    offline: true,
  });
  const results = [];
  let passed = 0;
  let failed = 0;
  try {
    for (const p of pages) {
      let r;
      try {
        r = await checkPage(context, path.join(opts.site, p), opts);
      } catch (e) {
        r = { file: p, charts: [], info: {}, problems: [`could not check: ${e.message}`], warnings: [], ms: 0 };
      }
      r.page = p;
      results.push(r);
      const ok = r.problems.length === 0;
      ok ? passed++ : failed++;
      const rendered = r.charts.filter((c) => c.state === "ok" && c.marks > 0).length;
      const marks = r.charts.map((c) => c.marks).join("+") || "0";
      opts.log(
        `${ok ? "ok  " : "FAIL"} ${p.padEnd(34)} charts ${rendered}/${r.charts.length} rendered (marks ${marks}), ` +
          `${r.info.math ?? 0} formulas, ${r.info.claims ?? 0} claims, ${r.info.cells ?? 0} code cells, ` +
          `${r.info.height ?? 0}px tall, ${r.ms} ms${r.shot ? ` -> ${path.relative(ROOT, r.shot)}` : ""}`,
      );
      for (const pr of r.problems) opts.log(`       ${pr}`);
      for (const w of r.warnings) opts.log(`       (${w})`);
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  if (opts.links ?? !opts.pages) {
    const t1 = Date.now();
    const l = checkLinks(opts.site);
    const problems = l.broken.map((b) => `${b.page}: broken link ${JSON.stringify(b.href)} (${b.problem})`);
    results.push({ page: "site links", file: opts.site, charts: [], info: {}, problems, warnings: [], ms: Date.now() - t1 });
    problems.length ? failed++ : passed++;
    opts.log(`${problems.length ? "FAIL" : "ok  "} ${"site links".padEnd(34)} ${l.links} local links in ${l.pages} pages, ${l.broken.length} broken, ${Date.now() - t1} ms`);
    for (const pr of problems.slice(0, 40)) opts.log(`       ${pr}`);
    if (problems.length > 40) opts.log(`       … and ${problems.length - 40} more`);
  }
  return { results, passed, failed };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const index = path.join(opts.site, "index.html");
  if (!fs.existsSync(index)) {
    console.error(`browser-check: ${path.relative(process.cwd(), index)} not found; run \`npm run course\` first`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`browser-check: ${CHROMIUM} not found; install Debian's chromium (apt-get install chromium)`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const pages = sitePages(opts);
  if (pages.filter((p) => /^\d\d/.test(p)).length === 0 && !opts.only.length) console.warn("browser-check: warning: the site has no chapter pages");
  const { passed, failed } = await checkSite({ ...opts, pages, links: true, log: (l) => console.log(l) });
  console.log(`browser-check: ${pages.length} pages and the site links in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, opts.shots)}/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

module.exports = { checkSite, sitePages, CHROMIUM };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    console.log("0 passed, 1 failed");
    process.exit(1);
  });
}
