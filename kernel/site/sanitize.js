// HTML sanitiser of the static course, for everything a notebook contributes as HTML (Markdown
// cells, text/markdown and text/html outputs, claim statements). Built on `sanitize-html` with an
// allow-list modelled on JupyterLab's (apputils `Sanitizer`: Google Caja's tags and attributes) but
// stricter where a published static site needs it:
// - no media, forms, frames, canvas, inline SVG, <style>, <link>, <meta>, <base>; no `style` attributes
//   (JupyterLab filters CSS values; the site keeps no CSS from notebooks at all, so `url()` cannot load);
// - images only as base64 `data:image/...` (attachments and outputs); any other `src`, remote or local,
//   is dropped with a warning;
// - links: http, https, mailto or relative; `rel="nofollow noopener noreferrer"`; no `target`;
// - `id` only on headings (the Markdown renderer's anchors) and on `<a>` (link targets such as the theory
//   page's `<a id="t5"></a>`), never shadowing the site's own `cell-N`, `chart-N` ids; `class` only as
//   `language-*` on code and `anchor` on heading links;
// - relative links (no scheme) may be mapped to their published page (opts.href, e.g.
//   `../docs/theory.md#t5` -> `theory.html#t5`); the scheme check applies to the result.
"use strict";
const sanitizeHtml = require("sanitize-html");

const TAGS = [
  "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
  "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn", "div",
  "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
  "hgroup", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
  "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody",
  "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
];
const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"];
const CELL_ALIGN = ["align", "colspan", "rowspan", "valign"];
const ATTRIBUTES = {
  "*": ["dir", "lang", "title"],
  a: ["href"],
  img: ["src", "alt", "width", "height"],
  input: ["type", "checked", "disabled"],
  ol: ["start", "reversed", "type"],
  li: ["value"],
  td: CELL_ALIGN,
  th: [...CELL_ALIGN, "scope"],
  col: ["span"],
  colgroup: ["span"],
  details: ["open"],
  blockquote: ["cite"],
  q: ["cite"],
  del: ["cite", "datetime"],
  ins: ["cite", "datetime"],
  time: ["datetime"],
  data: ["value"],
  code: ["class"],
  ...Object.fromEntries(HEADINGS.map((h) => [h, ["id"]])),
};
// `rel` is set by the transform below; `class` and `aria-hidden` serve the heading anchors; `id` makes a link target.
ATTRIBUTES.a = [...ATTRIBUTES.a, "rel", "class", "aria-hidden", "id"];

/** An image source the site accepts: base64 data of a raster (or SVG, inert inside <img>) image. */
const IMAGE_DATA_URI = /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}$/;
/**
 * Ids a notebook may not take: the page's own (`cell-N`, `chart-N`), and the globals of the chart scripts
 * (an element id is also a window property; no DOM clobbering of `vegaEmbed` & co.).
 */
const RESERVED_ID = /^(?:(?:cell|chart)-\d|(?:vega|vegaEmbed|vegaLite|vl)$)/i;
const SAFE_ID = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u;

/** The attribute `id` if it is a safe link target (not one of the page's own ids), else nothing. */
const safeId = (attribs) => (attribs.id && SAFE_ID.test(attribs.id) && !RESERVED_ID.test(attribs.id) ? { id: attribs.id } : {});

/**
 * Returns a sanitiser `(html) => html`.
 * @param {{warnings?: string[], where?: string, textFilter?: (escapedText: string) => string,
 *   href?: (href: string) => string}} [opts]
 *   warnings collects what was removed for a reason the author should know (blocked images);
 *   textFilter maps each (already escaped) text node, e.g. to put rendered math back in text context only;
 *   href maps a relative link (no scheme) to where it points on the site.
 */
function createSanitizer(opts = {}) {
  const warn = (msg) => opts.warnings && opts.warnings.push(`${opts.where || "html"}: ${msg}`);
  const options = {
    allowedTags: TAGS,
    allowedAttributes: ATTRIBUTES,
    allowedClasses: { code: ["language-*"], a: ["anchor"] },
    allowedStyles: {},
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["data"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      a: (tagName, attribs) => {
        const { id, ...rest } = attribs;
        if (opts.href && typeof rest.href === "string" && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(rest.href.trim())) rest.href = opts.href(rest.href.trim());
        return { tagName, attribs: { ...rest, ...safeId(attribs), rel: "nofollow noopener noreferrer" } };
      },
      img: (tagName, attribs) => {
        const src = typeof attribs.src === "string" ? attribs.src.replace(/\s+/g, "") : "";
        if (IMAGE_DATA_URI.test(src)) return { tagName, attribs: { ...attribs, src } };
        warn(`image removed: only embedded data:image/... sources are published, got ${JSON.stringify(String(attribs.src || "").slice(0, 60))}`);
        return { tagName: "span", attribs: { title: "image removed (not embedded data)" }, text: attribs.alt ? `[${attribs.alt}]` : "[image]" };
      },
      input: (tagName, attribs) => (attribs.type === "checkbox" ? { tagName, attribs: { type: "checkbox", disabled: "disabled", ...(attribs.checked != null ? { checked: "checked" } : {}) } } : { tagName: "span", attribs: {} }),
      ...Object.fromEntries(
        HEADINGS.map((h) => [h, (tagName, attribs) => ({ tagName, attribs: safeId(attribs) })]),
      ),
    },
  };
  if (opts.textFilter) options.textFilter = opts.textFilter;
  return (html) => sanitizeHtml(html, options);
}

module.exports = { createSanitizer, IMAGE_DATA_URI };
