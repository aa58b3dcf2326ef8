#!/usr/bin/env node
// Static HTML course from executed notebooks: index (contents + verdict table) and one page per
// chapter, Markdown through `marked`, LaTeX through KaTeX on the server, Vega-Lite charts embedded
// with vega-embed from local copies (PNG shown until the chart renders, and if it cannot). Works from
// file:// without network.
//
// A notebook is untrusted input (forks publish their own chapters): Markdown cells, text/markdown and
// text/html outputs go through the sanitiser (sanitize.js); every value put into an attribute is
// escaped, image payloads must be base64, execution counts must be integers; chart specs lose
// `usermeta.embedOptions` (the site's embed options win). Every page carries a Content-Security-Policy
// (CSP below) that forbids inline script, eval and any remote origin; the only scripts are the shipped
// files (vendor/, site.js), and site.js runs Vega with the expression interpreter and a loader that
// loads nothing by URL.
//
// The repository's theory page (docs/theory.md) becomes theory.html, rendered and sanitised like a
// Markdown cell; links between notebooks and the theory page (`../docs/theory.md#t5`, `03-x.ipynb`) are
// mapped to the site's pages (links.js).
//
// Usage: node kernel/site/build.js [--notebooks build/notebooks] [--out build/site]
// (`npm run course` calls buildSite() after executing the notebooks.)
"use strict";
const fs = require("fs");
const path = require("path");
const { createMarkdown, escapeHtml, noBreakNumbers } = require("./markdown.js");
const { IMAGE_DATA_URI } = require("./sanitize.js");
const { highlightTs } = require("./highlight.js");
const { siteHref } = require("./links.js");

const ROOT = path.resolve(__dirname, "..", "..");
const CLAIM_MIME = "application/vnd.linear-landscapes.claim+json";
const VEGALITE_MIMES = ["application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json"];
/** Content-Security-Policy of every page: scripts and styles only from the site, images also as data:. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // KaTeX and Vega set style attributes; vega-embed adds its <style>. No CSS comes from notebooks.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
/** Scripts of a chapter page with charts, in load order (files shipped in the site). */
const PAGE_SCRIPTS = ["vendor/vega.min.js", "vendor/vega-interpreter.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "site.js"];
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;

const joinText = (v) => (Array.isArray(v) ? v.join("") : v == null ? "" : String(v));
const parseJsonMime = (v) => {
  if (typeof v === "string") {
    try {
      return JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v && typeof v === "object" ? v : null;
};

/** `data:` URI of a base64 image output, or null (with a warning) when the payload is not base64. */
function imageDataUri(mime, payload, ctx) {
  const uri = `data:${mime};base64,${joinText(payload).replace(/\s+/g, "")}`;
  if (IMAGE_DATA_URI.test(uri)) return uri;
  ctx.warnings.push(`${ctx.where}: ${mime} output dropped: its payload is not base64`);
  return null;
}

/** An execution count as shown in a prompt: a non-negative integer, else blank (with a warning). */
function promptCount(v, ctx) {
  if (v == null) return " ";
  if (Number.isSafeInteger(v) && v >= 0) return String(v);
  ctx.warnings.push(`${ctx.where}: execution count ${JSON.stringify(v).slice(0, 40)} is not an integer; not shown`);
  return " ";
}

/** The spec as published: without `usermeta.embedOptions` (the site's embed options win). */
function publishedSpec(spec, ctx) {
  const urls = [];
  JSON.stringify(spec, (k, v) => {
    if (k === "url" && typeof v === "string" && !v.startsWith("data:")) urls.push(v);
    return v;
  });
  if (urls.length) ctx.warnings.push(`${ctx.where}: chart loads ${JSON.stringify(urls[0].slice(0, 60))} by URL; the site loads no URLs (inline the data)`);
  const um = spec.usermeta;
  if (!um || typeof um !== "object" || !("embedOptions" in um)) return spec;
  ctx.warnings.push(`${ctx.where}: chart usermeta.embedOptions ignored (the site's embed options apply)`);
  const { embedOptions, ...rest } = um;
  return { ...spec, usermeta: rest };
}

/** Formats a claim value (number, array, string, boolean) compactly for tables. */
function fmtValue(v) {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3).replace(/\.?0+e/, "e");
    return String(Number(v.toPrecision(8)));
  }
  if (v === undefined) return "–";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "string" ? JSON.stringify(x) : fmtValue(x))).join(", ")}]`;
  return JSON.stringify(v, (k, x) => (typeof x === "number" && !Number.isInteger(x) ? Number(x.toPrecision(8)) : x));
}

/** Claims shown by a notebook: one entry per distinct claim bundle per cell, in cell order. */
function extractClaims(nb, notebook) {
  const claims = [];
  (nb.cells || []).forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const seen = new Set();
    for (const out of cell.outputs || []) {
      if (!out.data || !(CLAIM_MIME in out.data)) continue;
      const c = parseJsonMime(out.data[CLAIM_MIME]);
      if (!c) continue;
      const key = JSON.stringify(c);
      if (seen.has(key)) continue;
      seen.add(key);
      claims.push({
        notebook,
        label: c.label,
        statement: c.statement,
        expected: c.expected,
        measured: c.measured,
        tol: c.tol,
        pass: c.pass === true,
        cell: index,
        ...(c.mode !== undefined ? { mode: c.mode } : {}),
        ...(c.source !== undefined ? { source: c.source } : {}),
        ...(c.detail !== undefined ? { detail: c.detail } : {}),
        ...(c.source !== undefined ? { source: c.source } : {}),
        ...(c.ref !== undefined ? { ref: c.ref } : {}),
      });
    }
  });
  return claims;
}

/** Chapter title: the text of the first Markdown heading (falls back to the file name). */
function chapterTitle(nb, name) {
  for (const cell of nb.cells || []) {
    if (cell.cell_type !== "markdown") continue;
    const m = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/m.exec(joinText(cell.source));
    if (m) return m[1];
  }
  return name;
}

/** First prose paragraph of the first Markdown cell, for the table of contents. */
function chapterSummary(nb) {
  const cell = (nb.cells || []).find((c) => c.cell_type === "markdown");
  if (!cell) return "";
  const blocks = joinText(cell.source).split(/\n\s*\n/);
  for (const b of blocks) {
    const t = b.trim();
    if (!t || /^(#|\||[-*+] |\d+\. |>|```|\$\$|<)/.test(t)) continue;
    const flat = t.replace(/\s*\n\s*/g, " ");
    if (flat.length <= 320) return flat;
    const cut = flat.slice(0, 320);
    const dot = cut.lastIndexOf(". ");
    return dot > 120 ? cut.slice(0, dot + 1) : cut.replace(/\s+\S*$/, "") + " …";
  }
  return "";
}

/** Applies carriage returns line by line (progress bars) and strips ANSI colours. */
function cleanStream(text) {
  return text
    .replace(ANSI, "")
    .split("\n")
    .map((line) => (line.includes("\r") ? line.split("\r").filter((s) => s.length).pop() || "" : line))
    .join("\n");
}

/** Largest magnitude a claim's tolerance counts as zero, for display: min(tol, 1e-10); 0 for "rel"/"exact". */
function zeroWithin(c) {
  if (!c || typeof c.tol !== "number" || !(c.tol > 0) || c.mode === "rel" || c.mode === "exact") return 0;
  return Math.min(c.tol, ZERO_DISPLAY_MAX);
}
const ZERO_DISPLAY_MAX = 1e-10;

/**
 * A claim value as shown: float noise (0 < |x| <= zeroWithin(c)) as 0, exponents kept on one line.
 * @returns {{text: string, exact: string, cleaned: boolean}} text as shown, exact value (full precision)
 */
function claimValue(v, c) {
  const z = zeroWithin(c);
  let cleaned = false;
  const clean = (x) => {
    if (typeof x === "number" && x !== 0 && Math.abs(x) <= z) {
      cleaned = true;
      return 0;
    }
    return x;
  };
  const shown = Array.isArray(v) ? v.map(clean) : clean(v);
  return { text: fmtValue(shown), exact: JSON.stringify(v), cleaned };
}

/** Title text of a value shown differently from its exact value. */
const noiseTitle = (val, c) => `${val.exact} (|x| ≤ ${fmtValue(zeroWithin(c))} shown as 0: zero within the claim's tolerance)`;

/** A table cell for a claim value: long values are cut, the full value is in the tooltip. */
function valueCell(v, c) {
  const val = claimValue(v, c);
  const title = val.cleaned ? noiseTitle(val, c) : val.text.length > 60 ? val.text : "";
  const text = val.text.length <= 60 ? val.text : `${val.text.slice(0, 57)}…`;
  return `<td class="num"${title ? ` title="${escapeHtml(title)}"` : ""}>${noBreakNumbers(escapeHtml(text))}</td>`;
}

/** Tolerance with the comparison mode, e.g. "1e-8 (mixed)", "exact", "1e-6 (le)". */
function tolText(c) {
  if (c.mode === "exact") return "exact";
  return c.mode ? `${fmtValue(c.tol)} (${c.mode})` : fmtValue(c.tol);
}

/** Values longer than this (as shown) are folded in a claim box: a preview, the whole value on a click. */
const CLAIM_VALUE_FOLD = 120;

/** A claim value as the content of its <dd>: folded into <details> when long (arrays of many entries). */
function claimValueHtml(v, val) {
  const full = noBreakNumbers(escapeHtml(val.text));
  if (val.text.length <= CLAIM_VALUE_FOLD) return full;
  const cut = val.text.slice(0, CLAIM_VALUE_FOLD * 0.6);
  const preview = cut.slice(0, Math.max(cut.lastIndexOf(", "), 20)).replace(/,\s*$/, "");
  const count = Array.isArray(v) ? ` (${v.length} values)` : ` (${val.text.length} characters)`;
  return `<details><summary>${noBreakNumbers(escapeHtml(preview))}, …${count}</summary>${full}</details>`;
}

function claimBox(c, md) {
  const ok = c.pass === true;
  return (
    `<div class="claim ${ok ? "pass" : "fail"}">` +
    `<div class="claim-head"><span class="verdict">${ok ? "✓ holds" : "✗ fails"}</span>` +
    `<span class="label">${escapeHtml(c.label ?? "")}</span>` +
    `<span class="statement">${md ? md.inline(String(c.statement ?? ""), { looseMath: true }) : escapeHtml(c.statement ?? "")}</span></div>` +
    `<dl>${["expected", "measured"]
      .map((k) => {
        const val = claimValue(c[k], c);
        return `<dt>${k}</dt><dd${val.cleaned ? ` title="${escapeHtml(noiseTitle(val, c))}"` : ""}>${claimValueHtml(c[k], val)}</dd>`;
      })
      .join("")}` +
    `<dt>tolerance</dt><dd>${escapeHtml(tolText(c))}</dd>` +
    (c.source ? `<dt>source</dt><dd>${escapeHtml(c.source)}</dd>` : "") +
    (c.detail ? `<dt>detail</dt><dd>${escapeHtml(c.detail)}</dd>` : "") +
    `</dl></div>`
  );
}

function scriptJson(obj) {
  // Inline JSON inside <script type="application/json">: keep the parser from closing the element.
  return JSON.stringify(obj).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** Renders one rich output bundle (display_data / execute_result) to HTML. */
function renderBundle(data, ctx, meta = {}) {
  const pngMeta = (meta && typeof meta["image/png"] === "object" && meta["image/png"]) || {};
  const size = ["width", "height"].map((k) => (Number.isFinite(pngMeta[k]) && pngMeta[k] > 0 ? ` ${k}="${escapeHtml(Math.round(pngMeta[k]))}"` : "")).join("");
  const img = (mime, cls, alt) => {
    const uri = imageDataUri(mime, data[mime], ctx);
    return uri ? `<img class="${cls}" src="${escapeHtml(uri)}"${mime === "image/png" ? size : ""} alt="${alt}">` : "";
  };
  if (CLAIM_MIME in data) {
    const c = parseJsonMime(data[CLAIM_MIME]);
    if (c) return claimBox(c, ctx.md);
  }
  for (const mime of VEGALITE_MIMES) {
    if (!(mime in data)) continue;
    const spec = parseJsonMime(data[mime]);
    if (!spec || Array.isArray(spec)) continue;
    const id = `chart-${++ctx.charts}`;
    const alt = escapeHtml(joinText(data["text/plain"]) || "chart");
    const png = data["image/png"] ? img("image/png", "fallback", alt) : "";
    // site.js finds the spec as the figure's <script class="vega-spec">, never by an id a notebook could shadow
    return (
      `<figure class="chart" id="${id}"><div class="vega-chart" role="img" aria-label="${alt}">` +
      `<div class="vega-target"></div>${png}</div>` +
      `<script type="application/json" class="vega-spec">${scriptJson(publishedSpec(spec, ctx))}</script></figure>`
    );
  }
  if (data["text/html"] != null) {
    const html = ctx.md.html(joinText(data["text/html"]), { warnings: ctx.warnings, where: ctx.where });
    // HTML that sanitises to nothing visible gives way to the bundle's next representation
    if (/<img\b/.test(html) || html.replace(/<[^>]*>/g, "").trim()) return `<div class="output-html">${html}</div>`;
  }
  if (data["image/png"]) return img("image/png", "output-image", escapeHtml(joinText(data["text/plain"]) || "image"));
  if (data["image/jpeg"]) return img("image/jpeg", "output-image", "image");
  if (data["image/svg+xml"]) {
    // As an <img>, SVG cannot run scripts.
    const b64 = Buffer.from(joinText(data["image/svg+xml"]), "utf8").toString("base64");
    return `<img class="output-image" src="data:image/svg+xml;base64,${b64}" alt="image">`;
  }
  if (data["text/markdown"] != null) {
    return `<div class="output-markdown">${ctx.md.output(joinText(data["text/markdown"]), { warnings: ctx.warnings, where: ctx.where })}</div>`;
  }
  if (data["text/latex"] != null) {
    let tex = joinText(data["text/latex"]).trim();
    const m = /^\$\$([\s\S]*)\$\$$/.exec(tex) || /^\$([\s\S]*)\$$/.exec(tex) || /^\\\[([\s\S]*)\\\]$/.exec(tex);
    if (m) tex = m[1];
    return `<div class="output-latex">${ctx.md.tex(tex, true, ctx.warnings, ctx.where)}</div>`;
  }
  if (data["application/json"] != null) {
    return `<pre class="output-text">${escapeHtml(JSON.stringify(parseJsonMime(data["application/json"]), null, 2))}</pre>`;
  }
  if (data["text/plain"] != null) {
    return `<pre class="output-text">${escapeHtml(cleanStream(joinText(data["text/plain"])))}</pre>`;
  }
  return "";
}

function renderOutputs(outputs, ctx) {
  const parts = [];
  let stream = null; // merge consecutive writes to the same stream
  const flush = () => {
    if (stream) parts.push(`<pre class="stream ${stream.name}">${escapeHtml(cleanStream(stream.text))}</pre>`);
    stream = null;
  };
  for (const out of outputs || []) {
    if (out.output_type === "stream") {
      if (stream && stream.name === out.name) stream.text += joinText(out.text);
      else {
        flush();
        stream = { name: out.name === "stderr" ? "stderr" : "stdout", text: joinText(out.text) };
      }
      continue;
    }
    flush();
    if (out.output_type === "error") {
      const tb = cleanStream(joinText((out.traceback || []).join("\n")));
      const head = `${out.ename || "Error"}: ${cleanStream(out.evalue || "")}`;
      parts.push(`<pre class="error">${escapeHtml(tb.includes(out.evalue || "\u0000") ? tb : `${head}\n${tb}`.trim())}</pre>`);
    } else if (out.output_type === "display_data" || out.output_type === "execute_result") {
      const html = renderBundle(out.data || {}, ctx, out.metadata);
      if (!html) continue;
      const count = out.output_type === "execute_result" ? promptCount(out.execution_count, ctx) : " ";
      const prompt = count.trim() ? `Out[${count}]:` : "";
      parts.push(`<div class="output"><div class="prompt">${prompt}</div><div class="output-body">${html}</div></div>`);
    }
  }
  flush();
  return parts.join("\n");
}

function renderCell(cell, index, ctx) {
  const src = joinText(cell.source);
  ctx.where = `${ctx.name} cell ${index}`;
  if (cell.cell_type === "markdown") {
    let text = src;
    // attachments: ![alt](attachment:name.png)
    if (cell.attachments) {
      text = text.replace(/\(attachment:([^)\s]+)\)/g, (m, file) => {
        const a = cell.attachments[file];
        const mime = a && Object.keys(a)[0];
        const uri = mime && imageDataUri(mime, a[mime], ctx);
        return uri ? `(${uri})` : m;
      });
    }
    return `<section class="cell markdown" id="cell-${index}">${ctx.md.cell(text, { warnings: ctx.warnings, where: ctx.where, ids: ctx.ids })}</section>`;
  }
  if (cell.cell_type === "raw") return "";
  const count = promptCount(cell.execution_count, ctx);
  const outputs = renderOutputs(cell.outputs, ctx);
  const hidden = ((cell.metadata && cell.metadata.tags) || []).includes("hide-input");
  const input = hidden
    ? ""
    : `<div class="input"><div class="prompt">In [${count}]:</div><pre class="source"><code class="language-typescript">${highlightTs(src)}</code></pre></div>`;
  return `<section class="cell code" id="cell-${index}">${input}${outputs ? `<div class="outputs">${outputs}</div>` : ""}</section>`;
}

const STYLE_VERSION = () => {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version || "";
  } catch {
    return "";
  }
};

function layout({ title, body, scripts, nav, bodyClass }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="vendor/katex/katex.min.css">
<link rel="stylesheet" href="style.css">
</head>
<body class="${bodyClass}">
<header class="site-header"><div class="wrap"><a class="brand" href="index.html">Linear landscapes</a>${nav || ""}</div></header>
<main class="wrap">
${body}
</main>
<footer class="site-footer"><div class="wrap">linear-landscapes ${escapeHtml(STYLE_VERSION())} · built from executed notebooks by <code>npm run course</code></div></footer>
${scripts ? PAGE_SCRIPTS.map((s) => `<script src="${s}"></script>\n`).join("") : ""}</body>
</html>
`;
}

function copyAssets(outDir) {
  const vendor = path.join(outDir, "vendor");
  fs.mkdirSync(path.join(vendor, "katex", "fonts"), { recursive: true });
  const nm = path.join(ROOT, "node_modules");
  for (const [from, to] of [
    ["vega/build/vega.min.js", "vega.min.js"],
    ["vega-interpreter/build/vega-interpreter.min.js", "vega-interpreter.min.js"],
    ["vega-lite/build/vega-lite.min.js", "vega-lite.min.js"],
    ["vega-embed/build/vega-embed.min.js", "vega-embed.min.js"],
    ["katex/dist/katex.min.css", "katex/katex.min.css"],
  ]) {
    // drop the sourceMappingURL comment: the .map files are not copied
    const text = fs.readFileSync(path.join(nm, from), "utf8").replace(/\n?\/[/*]# sourceMappingURL=[^\n]*$/, "");
    fs.writeFileSync(path.join(vendor, to), text);
  }
  const fonts = path.join(nm, "katex", "dist", "fonts");
  for (const f of fs.readdirSync(fonts)) if (f.endsWith(".woff2")) fs.copyFileSync(path.join(fonts, f), path.join(vendor, "katex", "fonts", f));
  // katex.min.css lists woff2, woff and ttf; browsers stop at woff2, so only those are shipped
  for (const f of ["style.css", "site.js"]) fs.copyFileSync(path.join(__dirname, f), path.join(outDir, f));
}

/** Copies the API reference (kernel/docs.js, cached in build/api) into the site; a failure is a warning. */
async function addApiDocs(outDir, api, warnings) {
  try {
    const { buildApiDocs } = require("../docs.js");
    const r = await buildApiDocs(typeof api === "string" ? { outDir: api } : {});
    fs.cpSync(r.dir, path.join(outDir, "api"), { recursive: true, filter: (f) => !f.endsWith(".inputs-hash") });
    return true;
  } catch (e) {
    warnings.push(`API reference not built: ${String((e && e.message) || e).split("\n")[0]}`);
    return false;
  }
}

/** Navigation links of the site's header after the chapter arrows: Contents, Theory, API (those that exist). */
function siteNav({ contents = "index.html", theory, api }) {
  return `<a href="${contents}">Contents</a>${theory ? `<a href="theory.html" title="the results, their labels and sources">Theory</a>` : ""}${api ? `<a href="api/index.html" title="API reference">API</a>` : ""}`;
}

/**
 * Writes theory.html from the theory page's Markdown (sanitised like a notebook's Markdown cell; its
 * `<a id="t5"></a>` anchors stay link targets). Returns the page name, or null (with a warning) when
 * the file cannot be read.
 */
function writeTheoryPage({ file, outDir, md, warnings, nav }) {
  let src;
  try {
    src = fs.readFileSync(file, "utf8");
  } catch (e) {
    warnings.push(`theory page not built: ${e.message}`);
    return null;
  }
  const where = path.relative(ROOT, file) || file;
  const title = chapterTitle({ cells: [{ cell_type: "markdown", source: src }] }, "Theory");
  const body = `<article class="theory">\n${md.cell(src, { warnings, where, ids: new Set() })}\n</article>`;
  fs.writeFileSync(
    path.join(outDir, "theory.html"),
    layout({ title: `${title.replace(/\$([^$]*)\$/g, "$1")} · Linear landscapes`, body, scripts: false, nav: `<nav class="top">${nav}</nav>`, bodyClass: "theory" }),
  );
  return "theory.html";
}

/**
 * Builds the site.
 * @param {{notebooks: {name: string, file: string}[], outDir: string, verdicts?: object[], api?: boolean|string,
 *   theory?: string|false}} opts
 *   notebooks in course order (executed .ipynb files); verdicts as in build/verdicts.json (extracted
 *   from the notebooks when omitted); api: include the API reference as api/ (default true: built by
 *   kernel/docs.js into build/api, or taken from that folder when it is current; a string names
 *   another cache folder; false leaves it out, as the unit tests do); theory: the theory page's Markdown
 *   (default docs/theory.md, skipped when missing; false leaves it out), published as theory.html.
 * @returns {Promise<{pages: string[], charts: number, claims: number, warnings: string[], ms: number, api: boolean, theory: boolean}>}
 */
async function buildSite({ notebooks, outDir, verdicts, api = true, theory }) {
  const t0 = Date.now();
  const warnings = [];
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, "notebooks"), { recursive: true });
  copyAssets(outDir);
  const hasApi = api ? await addApiDocs(outDir, api, warnings) : false;

  const chapters = notebooks.map(({ name, file }) => {
    // the name becomes a file name and a link: keep it to a plain file-name alphabet
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(String(name))) throw new Error(`site: notebook name ${JSON.stringify(name)} is not a plain file name`);
    const nb = JSON.parse(fs.readFileSync(file, "utf8"));
    return { name, file, nb, title: chapterTitle(nb, name), summary: chapterSummary(nb), page: `${name}.html` };
  });
  const theoryFile = theory === false ? null : theory || path.join(ROOT, "docs", "theory.md");
  const wantTheory = theoryFile != null && (theory != null || fs.existsSync(theoryFile));
  const names = chapters.map((c) => c.name);
  const hasTheory = wantTheory
    ? Boolean(writeTheoryPage({ file: theoryFile, outDir, md: await createMarkdown({ href: siteHref({ chapters: names, theory: true, base: "docs" }) }), warnings, nav: siteNav({ theory: true, api: hasApi }) }))
    : false;
  // without theory.html, links to the theory page stay as written (and the link check reports them)
  const md = await createMarkdown({ href: siteHref({ chapters: names, theory: hasTheory }) });
  const allVerdicts = verdicts || chapters.flatMap((ch) => extractClaims(ch.nb, ch.name));
  const pages = [];
  let charts = 0;

  chapters.forEach((ch, i) => {
    const ctx = { md, warnings, charts: 0, name: ch.name, ids: new Set(), where: ch.name };
    const cells = (ch.nb.cells || []).map((c, k) => renderCell(c, k, ctx)).join("\n");
    const prev = chapters[i - 1];
    const next = chapters[i + 1];
    const titleHtml = md.inline(ch.title);
    const plainTitle = ch.title.replace(/\$([^$]*)\$/g, "$1");
    const link = (c, cls, arrow) =>
      c ? `<a class="${cls}" href="${c.page}">${arrow === "←" ? "← " : ""}<span>${md.inline(c.title)}</span>${arrow === "→" ? " →" : ""}</a>` : `<span class="${cls}"></span>`;
    const pager = `<nav class="pager">${link(prev, "prev", "←")}<a class="up" href="index.html">Contents</a>${link(next, "next", "→")}</nav>`;
    const claims = allVerdicts.filter((v) => v.notebook === ch.name);
    const passed = claims.filter((v) => v.pass).length;
    const meta =
      `<p class="chapter-meta">Chapter ${escapeHtml(ch.name.split("-")[0])} · ` +
      `<a href="notebooks/${escapeHtml(ch.name)}.ipynb" download>executed notebook (.ipynb)</a>` +
      (claims.length ? ` · <span class="${passed === claims.length ? "ok" : "bad"}">${passed}/${claims.length} claims hold</span>` : "") +
      `</p>`;
    const body = `${pager}\n${meta}\n<article class="notebook">\n${cells}\n</article>\n${pager}`;
    const headerNav = `<nav class="top">${prev ? `<a href="${prev.page}" title="previous chapter">←</a>` : ""}${next ? `<a href="${next.page}" title="next chapter">→</a>` : ""}${siteNav({ theory: hasTheory, api: hasApi })}</nav>`;
    fs.writeFileSync(
      path.join(outDir, ch.page),
      layout({ title: `${plainTitle} · Linear landscapes`, body, scripts: ctx.charts > 0, nav: headerNav, bodyClass: "chapter" }),
    );
    fs.copyFileSync(ch.file, path.join(outDir, "notebooks", `${ch.name}.ipynb`));
    pages.push(ch.page);
    charts += ctx.charts;
    ch.claims = claims;
    ch.titleHtml = titleHtml;
    // in the contents the chapter number stands on its own: "00 · Start here" -> "Start here"
    ch.tocTitleHtml = md.inline(ch.title.replace(/^\s*(?:chapter\s+)?\d+\s*[·.:\-–—]\s*/i, "") || ch.title);
  });

  // index: contents + verdicts
  const toc = chapters
    .map((ch) => {
      const n = ch.claims.length;
      const ok = ch.claims.filter((v) => v.pass).length;
      const badge = n ? `<span class="badge ${ok === n ? "ok" : "bad"}">${ok}/${n} claims</span>` : "";
      return (
        `<li><a class="toc-title" href="${ch.page}"><span class="num">${escapeHtml(ch.name.split("-")[0])}</span>${ch.tocTitleHtml}</a>${badge}` +
        (ch.summary ? `<p>${md.inline(ch.summary)}</p>` : "") /* its cell reported any warnings */ +
        `</li>`
      );
    })
    .join("\n");
  const total = allVerdicts.length;
  const passedAll = allVerdicts.filter((v) => v.pass).length;
  const byName = Object.fromEntries(chapters.map((c) => [c.name, c]));
  const groups = [];
  for (const v of allVerdicts) {
    const last = groups[groups.length - 1];
    if (last && last.notebook === v.notebook) last.rows.push(v);
    else groups.push({ notebook: v.notebook, rows: [v] });
  }
  const withSource = allVerdicts.some((v) => v.source != null);
  const claimRow = (v, ch) => {
    const cell = Number.isSafeInteger(v.cell) && v.cell >= 0 ? v.cell : null;
    const where = ch && cell != null ? `<a href="${ch.page}#cell-${cell}" title="${escapeHtml(v.notebook)}, cell ${cell}">cell ${cell}</a>` : "";
    return (
      `<tr class="${v.pass ? "pass" : "fail"}"><td class="label">${escapeHtml(v.label ?? "")}</td>` +
      `<td class="statement">${md.inline(String(v.statement ?? ""), { warnings, where: v.notebook, looseMath: true })}</td>${valueCell(v.expected, v)}` +
      `${valueCell(v.measured, v)}<td class="num">${noBreakNumbers(escapeHtml(tolText(v)))}</td>` +
      (withSource ? `<td class="source">${escapeHtml(v.source ?? "")}</td>` : "") +
      `<td class="verdict">${v.pass ? "✓" : "✗"}</td><td class="where">${where}</td></tr>`
    );
  };
  const claimTables = groups
    .map((g) => {
      const ch = byName[g.notebook];
      const ok = g.rows.filter((v) => v.pass).length;
      const title = ch ? `<a href="${ch.page}">${ch.tocTitleHtml}</a>` : escapeHtml(g.notebook);
      return (
        `<details class="claims-chapter"${ok < g.rows.length ? " open" : ""}>` +
        `<summary><span class="num">${escapeHtml(String(g.notebook).split("-")[0])}</span> ${title} ` +
        `<span class="badge ${ok === g.rows.length ? "ok" : "bad"}">${ok}/${g.rows.length} hold</span></summary>` +
        `<div class="table-wrap"><table class="verdict-table">\n<thead><tr><th>label</th><th>statement</th><th>expected</th><th>measured</th><th>tol</th>` +
        `${withSource ? "<th>source</th>" : ""}<th>pass</th><th>where</th></tr></thead>\n<tbody>\n${g.rows.map((v) => claimRow(v, ch)).join("\n")}\n</tbody></table></div></details>`
      );
    })
    .join("\n");
  const summary = total
    ? passedAll === total
      ? total === 1 ? "The one claim holds." : `All ${total} claims hold.`
      : `<strong>${total - passedAll} of ${total} claims fail.</strong>`
    : "No claims were recorded.";
  const index = `
<section class="intro">
<h1>Loss landscapes of linear networks</h1>
<p>A notebook course in TypeScript. Each chapter states results on the loss landscapes of deep linear
networks (pure and spurious critical points, filling and non-filling architectures, square and other convex
losses), reproduces them numerically with the <code>linear-landscapes</code> library, draws them with
Vega-Lite, and checks every stated number as a <em>claim</em>. These pages were built from the executed
notebooks; open the notebooks in JupyterLab to change and re-run them.${hasTheory ? ` The
<a href="theory.html">theory page</a> states every result with its label, the paper it comes from and what is a
reconstruction.` : ""}${hasApi ? ` The
<a href="api/index.html">API reference</a>, generated from the library's TSDoc, lists every function by area.` : ""}</p>
</section>
<section class="toc"><h2 id="contents">Contents</h2>
<ol class="chapters">
${toc}
</ol></section>
<section class="verdicts"><h2 id="claims">Claims</h2>
<p>${summary} Each row is a <code>claim(…)</code> checked while the notebook ran, with its tolerance and
comparison mode; "where" jumps to the cell. A chapter's table opens on a click (it is open when a claim
fails). Values of magnitude at most min(tol, ${fmtValue(ZERO_DISPLAY_MAX)}) are float noise within the claim's
tolerance and are shown as 0 (the exact value is in the tooltip).</p>
${claimTables}
</section>`;
  fs.writeFileSync(path.join(outDir, "index.html"), layout({ title: "Linear landscapes: contents", body: index, scripts: false, nav: `<nav class="top">${siteNav({ contents: "#contents", theory: hasTheory, api: hasApi })}<a href="#claims">Claims</a></nav>`, bodyClass: "index" }));
  pages.unshift("index.html");
  if (hasTheory) pages.push("theory.html");
  // the same text can be rendered twice (a chapter's summary on the index): report each warning once
  return { pages, charts, claims: total, warnings: [...new Set(warnings)], ms: Date.now() - t0, api: hasApi, theory: hasTheory };
}

/** Executed notebooks in a folder, in name order, as [{name, file}]. */
function listNotebooks(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => ({ name: f.replace(/\.ipynb$/, ""), file: path.join(dir, f) }));
}

module.exports = { buildSite, extractClaims, listNotebooks, chapterTitle, fmtValue };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const nbDir = path.resolve(opt("--notebooks", path.join(ROOT, "build", "notebooks")));
  const outDir = path.resolve(opt("--out", path.join(ROOT, "build", "site")));
  const notebooks = listNotebooks(nbDir);
  if (!notebooks.length) {
    console.error(`site: no executed notebooks in ${nbDir}; run \`npm run course\` first`);
    process.exit(1);
  }
  buildSite({ notebooks, outDir }).then(
    (r) => {
      for (const w of r.warnings) console.warn(`site: warning: ${w}`);
      console.log(`site: ${r.pages.length} pages, ${r.charts} charts, ${r.claims} claims -> ${path.relative(process.cwd(), outDir) || "."} (${r.ms} ms)`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
