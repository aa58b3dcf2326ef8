// In-memory input history for `history_request` (tslab has none; it logs "unknown msg_type" to stderr).
// Semantics follow IPython's HistoryManager for the current session: entries are
// (session, line, input) or, with output=true, (session, line, [input, output|null]); `tail` returns the last n,
// `range` lines start..stop-1 of a session, `search` glob-matches inputs (`*`, `?`, `[...]`), optionally
// unique (latest occurrence kept) and limited to the last n. Only the running session is kept: session numbers
// 0 and negative values mean "this session", as in IPython.
"use strict";

const SESSION = 1;

function globToRegExp(pattern) {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const j = pattern.indexOf("]", i + 1);
      if (j < 0) re += "\\[";
      else {
        let cls = pattern.slice(i + 1, j);
        if (cls.startsWith("!")) cls = "^" + cls.slice(1);
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

class History {
  constructor() {
    this.entries = []; // { line, input, output }
  }

  add(line, input) {
    const e = { line, input, output: null };
    this.entries.push(e);
    return e;
  }

  _fmt(e, output) {
    return [SESSION, e.line, output ? [e.input, e.output] : e.input];
  }

  /** content of a history_reply for a history_request's content. */
  reply(req) {
    const output = !!req.output;
    const type = req.hist_access_type;
    let list = [];
    if (type === "tail") {
      const n = req.n == null ? 10 : Number(req.n);
      list = n > 0 ? this.entries.slice(-n) : [];
    } else if (type === "range") {
      const s = req.session == null ? 0 : Number(req.session);
      if (s === SESSION || s <= 0) {
        const start = req.start == null ? 1 : Number(req.start);
        const stop = req.stop == null ? Infinity : Number(req.stop);
        list = this.entries.filter((e) => e.line >= start && e.line < stop);
      }
    } else if (type === "search") {
      const re = globToRegExp(req.pattern == null ? "*" : String(req.pattern));
      list = this.entries.filter((e) => re.test(e.input));
      if (req.unique) {
        const seen = new Set();
        const out = [];
        for (let i = list.length - 1; i >= 0; i--) {
          if (seen.has(list[i].input)) continue;
          seen.add(list[i].input);
          out.unshift(list[i]);
        }
        list = out;
      }
      if (req.n != null && Number(req.n) > 0) list = list.slice(-Number(req.n));
    }
    return { status: "ok", history: list.map((e) => this._fmt(e, output)) };
  }
}

module.exports = { History, globToRegExp, SESSION };
