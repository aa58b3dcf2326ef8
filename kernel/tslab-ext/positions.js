// Line and column in the cell as written, for stack frames of code that tslab compiled.
//
// A cell runs as JavaScript that TypeScript printed (types erased, `exports.` inserted, helpers and import code
// added, statements re-flowed) inside tslab's one-line wrapper `(function(exports, require) { …`, so V8's
// positions are those of the generated text (a one-line cell reported `3:30`). tslab emits no source map and its
// compiler options cannot be changed from outside (TypeScript's exports are non-configurable getters), so the
// map is rebuilt from the two texts: the generated code is the cell's token sequence with tokens inserted and
// deleted, and a longest common subsequence of the two token sequences maps each generated token back to the
// cell's token it was printed from. Each compiled cell is named with `//# sourceURL=<id>` (bindings.js), so a
// frame in a function from an earlier cell is mapped with that cell's text and shown as `<cell In[n]>`.
"use strict";
const tslab = require("./tslab");

const ts = tslab.ts;

/** [{text, pos, end}] of the tokens of `text` (trivia skipped). */
function tokens(text, variant) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const out = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    out.push({ text: scanner.getTokenText(), pos: scanner.getTokenPos(), end: scanner.getTextPos() });
  }
  return out;
}

/** match[i] = index of the cell token that generated token i was printed from, or -1. */
function matchTokens(gen, src) {
  const match = new Int32Array(gen.length).fill(-1);
  let lo = 0;
  while (lo < gen.length && lo < src.length && gen[lo].text === src[lo].text) match[lo] = lo++;
  let gi = gen.length;
  let si = src.length;
  while (gi > lo && si > lo && gen[gi - 1].text === src[si - 1].text) match[--gi] = --si;
  const n = gi - lo;
  const m = si - lo;
  if (n === 0 || m === 0) return match;
  if (n * m > 8e6) {
    // Very large cells: greedy forward matching (still exact for tokens that were not moved).
    for (let i = lo, j = lo; i < gi && j < si; i++) {
      for (let k = j; k < Math.min(si, j + 64); k++) {
        if (gen[i].text === src[k].text) {
          match[i] = k;
          j = k + 1;
          break;
        }
      }
    }
    return match;
  }
  // LCS table over the middle part, then walk it back.
  const w = m + 1;
  const L = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * w + j] = gen[lo + i].text === src[lo + j].text ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (gen[lo + i].text === src[lo + j].text) {
      match[lo + i] = lo + j;
      i++;
      j++;
    } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) i++;
    else j++;
  }
  return match;
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function lineCol(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** Maps positions in one compiled cell (1-based line/column of the running script) to the cell as written. */
class CellMap {
  /**
   * `prefixLength`: characters tslab's wrapper puts before the generated code on line 1; `skip`: [start, end)
   * ranges of the generated text that hold no token of the cell (the kernel's own insertions).
   */
  constructor(src, generated, prefixLength, skip = []) {
    this.src = src;
    this.generated = generated;
    this.prefixLength = prefixLength;
    this.skip = skip;
    this.prepared = null;
  }

  prepare() {
    if (!this.prepared) {
      const inserted = (t) => this.skip.some(([a, b]) => t.pos >= a && t.end <= b);
      const gen = tokens(this.generated, ts.LanguageVariant.Standard).filter((t) => !inserted(t));
      const src = tokens(this.src, ts.LanguageVariant.Standard);
      this.prepared = { gen, src, match: matchTokens(gen, src), genStarts: lineStarts(this.generated), srcStarts: lineStarts(this.src) };
    }
    return this.prepared;
  }

  /** {line, column} in the cell for a (line, column) of the running script, or null outside the cell's code. */
  map(line, column) {
    const { gen, src, match, genStarts, srcStarts } = this.prepare();
    if (line < 1 || line > genStarts.length) return null;
    const offset = genStarts[line - 1] + (column - 1) - (line === 1 ? this.prefixLength : 0);
    if (offset < 0) return null;
    // The generated token at (or the last one before) the offset, then the nearest mapped token at or before it.
    let lo = 0;
    let hi = gen.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (gen[mid].pos <= offset) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = at; i >= 0; i--) {
      if (match[i] >= 0) {
        const t = src[match[i]];
        const inside = i === at ? Math.min(offset - gen[i].pos, t.end - t.pos - 1) : 0;
        return lineCol(srcStarts, t.pos + Math.max(0, inside));
      }
    }
    // Before the first mapped token: find the first one after.
    for (let i = at + 1; i < gen.length; i++) if (match[i] >= 0) return lineCol(srcStarts, src[match[i]].pos);
    return null;
  }
}

/** Compiled cells by id, and stack-frame rewriting. */
class CellPositions {
  constructor(limit = 500) {
    this.cells = new Map();
    this.limit = limit;
    this.seq = 0;
  }

  /** A fresh script id for the next compiled cell (used as its sourceURL). */
  nextId() {
    return `__cell_${++this.seq}__`;
  }

  add(id, { src, generated, prefixLength, skip, name }) {
    this.cells.set(id, { map: new CellMap(src, generated, prefixLength, skip), name });
    if (this.cells.size > this.limit) this.cells.delete(this.cells.keys().next().value);
  }

  /**
   * A stack line with every `__cell_N__:L:C` replaced by `<cell>:l:c` (current cell) or `<cell In[k]>:l:c`;
   * null for a frame outside the cell's code (tslab's wrapper call).
   */
  frame(line, currentId) {
    let outside = false;
    const out = line.replace(/(__cell_\d+__):(\d+):(\d+)/g, (all, id, l, c) => {
      const cell = this.cells.get(id);
      if (!cell) return all;
      const p = cell.map.map(Number(l), Number(c));
      const where = id === currentId || !cell.name ? "<cell>" : `<cell ${cell.name}>`;
      if (!p) outside = true;
      return p ? `${where}:${p.line}:${p.column}` : where;
    });
    if (outside) return null;
    // A function of an earlier cell is called as a method of the kernel's `exports` object: V8 names the frame
    // "Object.f"; the cell's own name is "f".
    return out === line ? out : out.replace(/^(\s*at )Object\.(\S+ \(<cell)/, "$1$2");
  }
}

module.exports = { CellMap, CellPositions, matchTokens, tokens };
