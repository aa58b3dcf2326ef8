#!/usr/bin/env node
// Headless browser check of the built course (`npm run test:browser`, after `npm run course`).
// Opens build/site/index.html and every chapter page from file:// in Debian's chromium (through
// playwright-core, no browser download), with the network closed to anything but file://, and checks:
// every Vega-Lite chart is drawn by vega-embed (an SVG with mark elements inside the chart container),
// no console errors, no page errors, no failed or non-file requests, no KaTeX parse errors. Saves a
// full-page screenshot per page in build/screenshots/. Prints what it saw and `N passed, N failed`.
//
// Options: --site DIR (default build/site), --shots DIR (default build/screenshots), --only NAME...
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { pathToFileURL } = require("url");

const ROOT = path.resolve(__dirname, "..");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function parseArgs(argv) {
  const o = { site: path.join(ROOT, "build", "site"), shots: path.join(ROOT, "build", "screenshots"), only: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--site") o.site = path.resolve(argv[++i]);
    else if (argv[i] === "--shots") o.shots = path.resolve(argv[++i]);
    else if (argv[i] === "--only") while (argv[i + 1] && !argv[i + 1].startsWith("--")) o.only.push(argv[++i]);
    else if (argv[i] === "-h" || argv[i] === "--help") {
      console.log("usage: node kernel/browser-check.js [--site build/site] [--shots build/screenshots] [--only 00 ...]");
      process.exit(0);
    } else {
      console.error(`browser-check: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  return o;
}

async function checkPage(context, file, opts) {
  const page = await context.newPage();
  const problems = [];
  const consoleMessages = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
    else if (msg.type() === "warning") consoleMessages.push(`console warning: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${(req.failure() || {}).errorText || "?"})`));
  let requests = 0;
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://") || url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") {
      requests += 1;
      return route.continue();
    }
    problems.push(`network request outside the site: ${url}`);
    return route.abort();
  });
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
      return { state: el.getAttribute("data-rendered"), marks, fallbackVisible, width: Math.round(box.width), height: Math.round(box.height), label: el.getAttribute("aria-label") || "" };
    }),
  );
  charts.forEach((c, i) => {
    if (c.state !== "ok") problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) not rendered (state ${c.state})`);
    else if (c.marks === 0) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) has an SVG but no marks`);
    else if (c.fallbackVisible) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) still shows its PNG fallback next to the rendered chart`);
    else if (c.width < 20 || c.height < 20) problems.push(`chart ${i + 1} (${c.label.slice(0, 60)}) is ${c.width}×${c.height} px`);
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
  const shot = path.join(opts.shots, path.basename(file, ".html") + ".png");
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { file, url, charts, info, problems, warnings: consoleMessages, requests, shot, ms: Date.now() - t0 };
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
  let pages = fs
    .readdirSync(opts.site)
    .filter((f) => /^\d\d.*\.html$/.test(f))
    .sort();
  if (opts.only.length) pages = pages.filter((p) => opts.only.some((o) => p.startsWith(o)));
  pages = ["index.html", ...pages];
  if (pages.length < 2 && !opts.only.length) console.warn("browser-check: warning: the site has no chapter pages");
  fs.mkdirSync(opts.shots, { recursive: true });

  const { chromium } = require("playwright-core");
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ll-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1100, height: 900 },
    offline: true,
  });
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
      const ok = r.problems.length === 0;
      ok ? passed++ : failed++;
      const rendered = r.charts.filter((c) => c.state === "ok" && c.marks > 0).length;
      const marks = r.charts.map((c) => c.marks).join("+") || "0";
      console.log(
        `${ok ? "ok  " : "FAIL"} ${p.padEnd(34)} charts ${rendered}/${r.charts.length} rendered (marks ${marks}), ` +
          `${r.info.math ?? 0} formulas, ${r.info.claims ?? 0} claims, ${r.info.cells ?? 0} code cells, ` +
          `${r.info.height ?? 0}px tall, ${r.ms} ms${r.shot ? ` -> ${path.relative(ROOT, r.shot)}` : ""}`,
      );
      for (const pr of r.problems) console.log(`       ${pr}`);
      for (const w of r.warnings) console.log(`       (${w})`);
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`browser-check: ${pages.length} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, opts.shots)}/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
