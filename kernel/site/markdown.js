// Markdown with LaTeX for the static course: math is cut out before `marked` sees it (so `_`, `*`
// and `\\` inside formulas survive), rendered on the server with KaTeX, and put back afterwards.
// Two renderers: one for the notebooks' own Markdown cells (authored in this repo, raw HTML kept),
// one for Markdown produced by cell outputs (raw HTML escaped, javascript: links dropped).
"use strict";
const katex = require("katex");

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const MATH_ENVS =
  "equation|equation\\*|align|align\\*|aligned|gather|gather\\*|multline|multline\\*|eqnarray|eqnarray\\*|split|alignat|alignat\\*|flalign|flalign\\*|matrix|pmatrix|bmatrix|cases";

/**
 * Replaces math in Markdown source by placeholders `KXMATH<i>X`.
 * Recognised: `$$…$$`, `$…$`, `\[…\]`, `\(…\)`, `\begin{env}…\end{env}` (env a math environment);
 * code spans and fenced code blocks are left alone, `\$` is a literal dollar.
 * @returns {{ text: string, math: {tex: string, display: boolean}[] }}
 */
function protectMath(src) {
  const math = [];
  let out = "";
  let i = 0;
  const n = src.length;
  const push = (tex, display) => {
    math.push({ tex, display });
    return `KXMATH${math.length - 1}X`;
  };
  while (i < n) {
    const c = src[i];
    // fenced code block
    if ((c === "`" || c === "~") && /^[ ]{0,3}$/.test(src.slice(src.lastIndexOf("\n", i - 1) + 1, i))) {
      const m = /^(`{3,}|~{3,})[^\n]*\n/.exec(src.slice(i));
      if (m) {
        const fence = m[1];
        const rest = src.slice(i + m[0].length);
        const close = new RegExp(`^[ ]{0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`, "m").exec(rest);
        const end = close ? i + m[0].length + close.index + close[0].length : n;
        out += src.slice(i, end);
        i = end;
        continue;
      }
    }
    // inline code span
    if (c === "`") {
      const run = /^`+/.exec(src.slice(i))[0];
      const close = src.indexOf(run, i + run.length);
      if (close >= 0) {
        out += src.slice(i, close + run.length);
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (c === "\\") {
      const next = src[i + 1];
      if (next === "$") {
        out += "\\$";
        i += 2;
        continue;
      }
      if (next === "[" || next === "(") {
        const closer = next === "[" ? "\\]" : "\\)";
        const close = src.indexOf(closer, i + 2);
        if (close >= 0) {
          out += push(src.slice(i + 2, close), next === "[");
          i = close + 2;
          continue;
        }
      }
      const env = new RegExp(`^\\\\begin\\{(${MATH_ENVS})\\}`).exec(src.slice(i));
      if (env) {
        const endTag = `\\end{${env[1]}}`;
        const close = src.indexOf(endTag, i);
        if (close >= 0) {
          out += push(src.slice(i, close + endTag.length), true);
          i = close + endTag.length;
          continue;
        }
      }
      out += src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "$") {
      if (src[i + 1] === "$") {
        const close = src.indexOf("$$", i + 2);
        if (close >= 0) {
          out += push(src.slice(i + 2, close), true);
          i = close + 2;
          continue;
        }
      } else {
        // inline: up to the next unescaped $ within the same paragraph
        let k = i + 1;
        while (k < n) {
          if (src[k] === "\\") {
            k += 2;
            continue;
          }
          if (src[k] === "$") break;
          if (src[k] === "\n" && /^\n[ \t]*\n/.test(src.slice(k))) {
            k = n;
            break;
          }
          k++;
        }
        if (k < n && k > i + 1) {
          out += push(src.slice(i + 1, k), false);
          i = k + 1;
          continue;
        }
      }
    }
    out += c;
    i++;
  }
  return { text: out, math };
}

/** Renders TeX with KaTeX; on a parse error records a warning and shows KaTeX's red error text. */
function renderTex(tex, display, warnings, where) {
  const opts = { displayMode: display, throwOnError: true, strict: "ignore", trust: false, output: "htmlAndMathml" };
  try {
    return katex.renderToString(tex, opts);
  } catch (e) {
    if (warnings) warnings.push(`${where || "markdown"}: KaTeX cannot render ${JSON.stringify(tex.slice(0, 80))}: ${e.message}`);
    return katex.renderToString(tex, { ...opts, throwOnError: false });
  }
}

function restoreMath(html, math, warnings, where) {
  return html.replace(/KXMATH(\d+)X/g, (_, k) => {
    const m = math[Number(k)];
    return m ? renderTex(m.tex, m.display, warnings, where) : "";
  });
}

const slug = (text) =>
  String(text)
    .replace(/KXMATH\d+X/g, "")
    .replace(/<[^>]*>/g, "")
    .toLowerCase()
    .replace(/&[a-z#0-9]+;/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "") || "section";

let markedModule = null;
/** Loads the ESM-only `marked` once. */
async function loadMarked() {
  if (!markedModule) markedModule = await import("marked");
  return markedModule;
}

/**
 * Creates the two Markdown renderers.
 * @returns {Promise<{cell(src, opts), output(src, opts), inline(src)}>} each returns HTML
 */
async function createMarkdown() {
  const { Marked } = await loadMarked();
  const makeHeadingRenderer = (state) =>
    function heading({ tokens, depth, text }) {
      const inner = this.parser.parseInline(tokens);
      let id = slug(text);
      if (state.ids) {
        const base = id;
        let k = 2;
        while (state.ids.has(id)) id = `${base}-${k++}`;
        state.ids.add(id);
      }
      return `<h${depth} id="${id}"><a class="anchor" href="#${id}" aria-hidden="true">#</a>${inner}</h${depth}>\n`;
    };
  const state = { ids: null };
  const trusted = new Marked({ gfm: true, renderer: { heading: makeHeadingRenderer(state) } });
  const untrusted = new Marked({
    gfm: true,
    renderer: {
      html({ text }) {
        return escapeHtml(text);
      },
      link({ href, title, tokens }) {
        const inner = this.parser.parseInline(tokens);
        if (/^\s*(javascript|vbscript|data):/i.test(href || "")) return inner;
        return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""} rel="noopener noreferrer">${inner}</a>`;
      },
      image({ href, text }) {
        if (/^\s*(javascript|vbscript):/i.test(href || "")) return escapeHtml(text);
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`;
      },
    },
  });
  const run = (parser, src, opts = {}) => {
    const { text, math } = protectMath(src);
    state.ids = opts.ids || null;
    const html = parser.parse(text);
    state.ids = null;
    return restoreMath(html, math, opts.warnings, opts.where);
  };
  return {
    cell: (src, opts) => run(trusted, src, opts),
    output: (src, opts) => run(untrusted, src, opts),
    inline(src, opts = {}) {
      const { text, math } = protectMath(src);
      return restoreMath(untrusted.parseInline(text), math, opts.warnings, opts.where);
    },
    tex: renderTex,
  };
}

module.exports = { createMarkdown, protectMath, renderTex, escapeHtml, slug };
