// Links of the static course: where a repository link points on the (flat) site, and a checker that
// every local link of a built site resolves.
//
// Notebooks and docs/theory.md link to each other as files of the repository (`../docs/theory.md#t5`
// from notebooks/, `docs/theory.md#t5` from the README, `03-x.ipynb` between chapters). On the site the
// theory page is theory.html and a chapter is NN-name.html, all in one folder; siteHref() maps such
// links (any number of leading `../`, with or without the folder), and leaves every other link alone
// (the checker then reports it if it dangles).
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * Returns `href => href on the site`.
 * @param {{chapters?: Iterable<string>, theory?: boolean, base?: string}} site  chapter names
 *   (`03-filling-any-convex-loss`), whether the site has theory.html, and the repository folder of the
 *   text whose links are mapped (default `notebooks`; `docs` for the theory page)
 */
function siteHref({ chapters = [], theory = false, base = "notebooks" } = {}) {
  const names = new Set(chapters);
  return (href) => {
    const m = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(href);
    if (!m || !m[1]) return href;
    const frag = m[3] || "";
    // the path from the text's folder, and (lenient: the site is flat) the path without leading ../
    const candidates = [path.posix.normalize(path.posix.join(base, m[1])), m[1].replace(/^(?:\.\.?\/)+/, "")];
    for (const file of candidates) {
      if (theory && file === "docs/theory.md") return `theory.html${frag}`;
      const nb = /^notebooks\/([^/]+)\.ipynb$/.exec(file) || /^([^/]+)\.ipynb$/.exec(file);
      if (nb && names.has(nb[1])) return `${nb[1]}.html${frag}`;
    }
    return href;
  };
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };
const decodeEntities = (s) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });

function listHtml(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? listHtml(p) : d.name.endsWith(".html") ? [p] : [];
  });
}

/** References of a page: href/src of a, area, link, script, img, source, iframe (not SVG <use>). */
function pageRefs(html) {
  const refs = [];
  const body = html.replace(/<script\b[^>]*type="application\/(?:ld\+)?json"[^>]*>[\s\S]*?<\/script>/gi, "").replace(/<!--[\s\S]*?-->/g, "");
  for (const tag of body.matchAll(/<(a|area|link|script|img|source|iframe)\b([^>]*)>/gi)) {
    for (const attr of tag[2].matchAll(/\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) refs.push(decodeEntities(attr[2] ?? attr[3]));
  }
  return refs;
}

/** Ids a page defines (id and a[name] attributes). */
function pageIds(html) {
  const ids = new Set();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) ids.add(decodeEntities(m[1] ?? m[2]));
  return ids;
}

/**
 * Checks that every local reference of every page of a built site resolves: the file exists inside the
 * site, and a fragment names an id of its target page (`#` alone is the top of the page). Remote links,
 * mailto: and data: are not followed.
 * @param {string} siteDir
 * @param {{pages?: string[]}} [opts] pages to check (relative paths; default: every .html file of the site)
 * @returns {{pages: number, links: number, broken: {page: string, href: string, problem: string}[]}}
 */
function checkLinks(siteDir, opts = {}) {
  const root = path.resolve(siteDir);
  const files = opts.pages ? opts.pages.map((p) => path.join(root, p)) : listHtml(root);
  const idCache = new Map();
  const idsOf = (file) => {
    if (!idCache.has(file)) idCache.set(file, pageIds(fs.readFileSync(file, "utf8")));
    return idCache.get(file);
  };
  const broken = [];
  let links = 0;
  for (const file of files) {
    const page = path.relative(root, file).split(path.sep).join("/");
    for (const href of pageRefs(fs.readFileSync(file, "utf8"))) {
      if (/^(?:https?|mailto|data):/i.test(href)) continue;
      links += 1;
      const fail = (problem) => broken.push({ page, href, problem });
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) {
        fail("not a link inside the site");
        continue;
      }
      const m = /^([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/.exec(href);
      let target = file;
      if (m[1]) {
        let rel;
        try {
          rel = decodeURIComponent(m[1]);
        } catch {
          fail("malformed percent-encoding");
          continue;
        }
        target = path.resolve(path.dirname(file), rel);
        if (!(target + path.sep).startsWith(root + path.sep)) {
          fail("points outside the site");
          continue;
        }
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, "index.html");
        if (!fs.existsSync(target)) {
          fail(`no file ${path.relative(root, target).split(path.sep).join("/")}`);
          continue;
        }
      }
      if (m[2] && target.endsWith(".html")) {
        let frag = m[2];
        try {
          frag = decodeURIComponent(frag);
        } catch {}
        if (!idsOf(target).has(frag)) fail(`no id "${frag}" in ${path.relative(root, target).split(path.sep).join("/")}`);
      }
    }
  }
  return { pages: files.length, links, broken };
}

module.exports = { siteHref, checkLinks, pageRefs, pageIds };
