// Markdown with LaTeX for the static course: math is cut out before `marked` sees it (so `_`, `*`
// and `\\` inside formulas survive), the HTML from `marked` is sanitised with `sanitize-html` (an
// allow-list in the spirit of JupyterLab's sanitizer, stricter where the site needs it: no remote
// images, no inline styles, no forms or media), and only then is the math put back, rendered on the
// server by KaTeX (trust off). Notebook Markdown cells and Markdown/HTML outputs are untrusted alike:
// forks publish their own chapters.
"use strict";
const katex = require("katex");
const { createSanitizer } = require("./sanitize.js");

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

/**
 * Puts the rendered math back. Placeholders are replaced by KaTeX HTML only in text nodes (through
 * the sanitiser's text filter); any left over (inside an attribute, e.g. an image's alt text) become
 * the escaped TeX source, so KaTeX markup never lands in an attribute value.
 */
function restoreMath(sanitize, html, math, warnings, where) {
  const tex = (k) => math[Number(k)];
  const inText = (text, tag) => (tag === "code" || tag === "pre" ? text : noBreakNumbers(text)).replace(/KXMATH(\d+)X/g, (_, k) => (tex(k) ? renderTex(tex(k).tex, tex(k).display, warnings, where) : ""));
  return sanitize(html, inText).replace(/KXMATH(\d+)X/g, (_, k) => (tex(k) ? escapeHtml(tex(k).tex) : ""));
}

/**
 * Sub- and superscripted symbols written without dollars, as claim statements and table headers often are
 * (`M_r`, `d_0`, `R^{4×3}`, `Σ_{j∉I}`, `E_12`): a letter (or a number) followed by `_x`/`^x` groups.
 * Single-letter bases only, so identifiers such as `max_iter` stay text.
 */
const LOOSE_MATH = /(?<![\p{L}\p{N}_\\])(\p{L}|\p{Nd}+)((?:[_^](?:\{[^{}\n]*\}|[\p{L}\p{Nd}]+))+)([⁰¹²³⁴⁵⁶⁷⁸⁹ᵀ]*)/gu;
const SUPERSCRIPTS = { "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", ᵀ: "T" };
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Turns {@link LOOSE_MATH} symbols of protected Markdown into math placeholders, outside code spans and
 * fences: in every line, or (headersOnly) in the header rows of tables. A symbol KaTeX cannot parse stays text.
 */
function protectLooseMath(text, push, headersOnly) {
  const lines = text.split("\n");
  let fence = null;
  return lines
    .map((line, i) => {
      const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
        return line;
      }
      if (f) {
        fence = f[1];
        return line;
      }
      if (headersOnly && !(DELIMITER_ROW.test(lines[i + 1] || "") && line.includes("|"))) return line;
      // split off inline code spans; odd parts are code
      return line
        .split(/(`+[^`]*`+)/)
        .map((part, k) =>
          k % 2
            ? part
            : part.replace(LOOSE_MATH, (m, base, scripts, sup) => {
                // `E_12` means E with subscript 12 here, not TeX's E_1 2; a trailing `²` is `^{2}`
                const tex = `${base}${scripts.replace(/([_^])([\p{L}\p{Nd}]{2,})/gu, "$1{$2}")}${sup ? `^{${[...sup].map((c) => SUPERSCRIPTS[c]).join("")}}` : ""}`;
                try {
                  katex.renderToString(tex, { throwOnError: true, strict: "ignore" });
                  return push(tex);
                } catch {
                  return m;
                }
              }),
        )
        .join("");
    })
    .join("\n");
}

/** Numbers in exponent notation (`-4.44e-16`) inside escaped text, kept on one line (no break at `-`). */
const noBreakNumbers = (escaped) => escaped.replace(/(^|[^\w.])([-+−]?\d+(?:\.\d+)?e[-+−]?\d+)(?![\w.])/gi, '$1<span class="nobr">$2</span>');

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
 * Creates the Markdown renderers. All of them sanitise (see sanitize.js); `cell` and `output` differ
 * only in their use (notebook Markdown cells, text/markdown outputs); `html` sanitises an HTML
 * output; `inline` renders one line (claim statements, titles) without a paragraph. Table header cells
 * also get `M_r`-style symbols typeset (see protectLooseMath).
 * @param {{href?: (href: string) => string}} [options] href: where a relative link points on the site
 *   (see links.js siteHref), applied by every renderer
 * @returns {Promise<{cell(src, opts), output(src, opts), html(src, opts), inline(src, opts), tex}>} each returns HTML
 */
async function createMarkdown(options = {}) {
  const { Marked } = await loadMarked();
  const state = { ids: null };
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        let id = slug(text);
        if (state.ids) {
          const base = id;
          let k = 2;
          while (state.ids.has(id)) id = `${base}-${k++}`;
          state.ids.add(id);
        }
        return `<h${depth} id="${id}"><a class="anchor" href="#${id}" aria-hidden="true">#</a>${inner}</h${depth}>\n`;
      },
    },
  });
  const sanitizer = (opts) => (html, textFilter) => createSanitizer({ warnings: opts.warnings, where: opts.where, textFilter, href: options.href })(html);
  /** protectMath, plus dollar-less symbols (table headers, or everywhere with `loose`) as math. */
  const protect = (src, loose) => {
    const { text, math } = protectMath(src);
    const push = (tex) => {
      math.push({ tex, display: false });
      return `KXMATH${math.length - 1}X`;
    };
    return { text: protectLooseMath(text, push, !loose), math };
  };
  const block = (src, opts = {}) => {
    const { text, math } = protect(src, false);
    state.ids = opts.ids || null;
    try {
      return restoreMath(sanitizer(opts), marked.parse(text), math, opts.warnings, opts.where);
    } finally {
      state.ids = null;
    }
  };
  return {
    cell: block,
    output: block,
    html: (src, opts = {}) => sanitizer(opts)(src),
    /** opts.looseMath: also typeset `M_r`-style symbols written without dollars (claim statements). */
    inline(src, opts = {}) {
      const { text, math } = opts.looseMath ? protect(src, true) : protectMath(src);
      return restoreMath(sanitizer(opts), marked.parseInline(text), math, opts.warnings, opts.where);
    },
    tex: renderTex,
  };
}

module.exports = { createMarkdown, protectMath, renderTex, escapeHtml, slug, noBreakNumbers };
