// A small TypeScript highlighter for code cells: comments, strings, template literals, numbers,
// keywords and literals get a span with a class; everything is HTML-escaped. Not a parser: it only
// has to make notebook cells easier to read.
"use strict";
const { escapeHtml } = require("./markdown.js");

const KEYWORDS = new Set(
  ("as async await break case catch class const continue declare default delete do else enum export extends " +
    "finally for from function if implements import in instanceof interface let new of private protected public " +
    "readonly return static switch throw try type typeof var void while yield keyof satisfies namespace abstract")
    .split(/\s+/),
);
const LITERALS = new Set(["true", "false", "null", "undefined", "this", "super", "NaN", "Infinity"]);
const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\[\s\S])*`)|(\b(?:0[xob][\da-f_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:e[+-]?\d+)?n?)\b)|([A-Za-z_$][\w$]*)/gi;

/** Returns the HTML of TypeScript source `src` with highlighting spans. */
function highlightTs(src) {
  let out = "";
  let last = 0;
  for (const m of src.matchAll(TOKEN)) {
    out += escapeHtml(src.slice(last, m.index));
    last = m.index + m[0].length;
    const text = escapeHtml(m[0]);
    if (m[1]) out += `<span class="tok-comment">${text}</span>`;
    else if (m[2]) out += `<span class="tok-string">${text}</span>`;
    else if (m[3]) out += `<span class="tok-number">${text}</span>`;
    else if (KEYWORDS.has(m[4])) out += `<span class="tok-keyword">${text}</span>`;
    else if (LITERALS.has(m[4])) out += `<span class="tok-literal">${text}</span>`;
    else if (/^[A-Z]/.test(m[4])) out += `<span class="tok-type">${text}</span>`;
    else out += text;
  }
  return out + escapeHtml(src.slice(last));
}

module.exports = { highlightTs };
