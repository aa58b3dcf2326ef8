// Cell execution on top of tslab's own executor (dist/executor.js), with structured results.
//
// tslab gap: `executor.execute(src)` only returns true/false. Everything else it reports through the `console`
// object passed to `createExecutor(rootDir, convs, console)`:
//   - TypeScript diagnostics:   console.error("%s%d:%d - %s", fileNamePrefix, line, column, messageText)
//   - a thrown runtime error:   console.error(error)
//   - the cell's last value:    console.log(value)            (only when value != null)
// tslab's main.js passes the global console, so diagnostics land on the kernel's stderr (not in the notebook
// as an error), errors become stderr text without ename/evalue/traceback, and the last value becomes stdout text.
// Here we pass a capturing console instead and turn the three channels into data: a compile error becomes
// { ename: "TSError", evalue: <diagnostics>, traceback: [...] }, a runtime error { ename: error.name, ... },
// and the last value is handed back for an `execute_result`. Decision: compile errors go ONLY to the error
// reply + iopub `error` (never to the kernel's stderr nor to the stderr stream), so a type error is an error
// of its cell, exactly once, and the kernel's stderr stays empty in normal operation.
// Also: top-level code on plain locals (bindings.js), traceback positions in the cell as written
// (positions.js), help as Markdown and ranked completions (help.js).
"use strict";
const util = require("util");
const tslab = require("./tslab");
const { createBindings } = require("./bindings");
const { CellPositions } = require("./positions");
const { createHelp } = require("./help");

/** Lazily created converters, as tslab's ConverterSetImpl (node for normal cells, browser for `//%browser`). */
function createConverterSet() {
  let node = null;
  let browser = null;
  return {
    get node() {
      if (!node) node = tslab.converter.createConverter({ isJS: false, isBrowser: false });
      return node;
    },
    get browser() {
      if (!browser) browser = tslab.converter.createConverter({ isJS: false, isBrowser: true });
      return browser;
    },
    close() {
      if (node) node.close();
      if (browser) browser.close();
    },
  };
}

/** Stack frames that belong to the kernel machinery, not to the cell or the library. */
const INTERNAL_FRAME = /node_modules[\\/]tslab[\\/]|[\\/]kernel[\\/]tslab-ext[\\/]|\(node:|at node:|<anonymous>\)$/;

/** ename of a thrown value: the error's name, or its class name when the name was left as "Error". */
function errorName(e) {
  if (e instanceof Error || (e && typeof e === "object" && typeof e.message === "string")) {
    const name = typeof e.name === "string" && e.name ? e.name : "Error";
    const ctor = e.constructor && e.constructor.name;
    return name === "Error" && ctor && ctor !== "Object" ? ctor : name;
  }
  return "Error";
}

/** A Jupyter error triple for a thrown value; `frame(line)` rewrites a stack line (cell positions). */
function runtimeError(e, frame = (l) => l) {
  const ename = errorName(e);
  if (!(e && typeof e === "object" && typeof e.message === "string")) {
    const evalue = `uncaught ${typeof e === "string" ? JSON.stringify(e) : util.inspect(e)} (thrown value is not an Error)`;
    return { ename, evalue, traceback: [`${ename}: ${evalue}`] };
  }
  const evalue = String(e.message);
  const frames = typeof e.stack === "string" ? e.stack.split("\n").filter((l) => /^\s+at /.test(l) && !INTERNAL_FRAME.test(l)) : [];
  // Cell frames as `<cell>:line:col` in the cell as written (positions.js); vm's own name as "<cell>".
  const tb = frames.map((l) => frame(l)).filter(Boolean).map((l) => l.replace(/evalmachine\.<anonymous>/g, "<cell>"));
  return { ename, evalue, traceback: [`${ename}: ${evalue}`, ...tb] };
}

/** A Jupyter error triple for TypeScript diagnostics [{file, line, column, message}] of `code`. */
function compileError(diagnostics, code) {
  const lines = code.split("\n");
  const text = diagnostics.map((d) => `${d.file ? d.file + " " : ""}${d.line}:${d.column} - ${d.message}`);
  const traceback = [`TSError: ⨯ Unable to compile TypeScript (${diagnostics.length} error${diagnostics.length === 1 ? "" : "s"})`];
  for (const d of diagnostics) {
    traceback.push(`${d.file ? d.file + " " : ""}${d.line}:${d.column} - error: ${d.message}`);
    const src = !d.file && lines[d.line - 1];
    if (typeof src === "string") {
      traceback.push(`  ${src}`);
      traceback.push(`  ${" ".repeat(Math.max(0, d.column - 1))}^`);
    }
  }
  return { ename: "TSError", evalue: text.join("\n"), traceback };
}

/**
 * Wraps tslab's executor. `execute(code)` resolves to
 *   { ok: true, value }               value: the last expression's value (undefined if none / null-ish)
 *   { ok: false, error: {ename, evalue, traceback} }
 */
function createCellExecutor(rootDir) {
  // Compiled cells by script id (positions.js) and the name a cell is shown by ("In[3]"), by script id.
  const positions = new CellPositions();
  const names = new Map();
  // tslab's wrapper before the generated code on line 1 (dist/executor.js execute).
  const wrapperPrefix = (isAsync) => (isAsync ? "(async function(exports, require) { " : "(function(exports, require) { ").length;
  // Cells run on plain locals (bindings.js): tslab's executor gets the wrapped converters.
  const bindings = createBindings(createConverterSet(), {
    onConverted: ({ label, src, output, inserted, hasToplevelAwait }) =>
      positions.add(label, { src, generated: output, skip: inserted, prefixLength: wrapperPrefix(hasToplevelAwait), name: names.get(label) }),
  });
  const convs = bindings.convs;
  const help = createHelp({ origin: (name) => names.get(bindings.runtime.origins.get(name)) || null });
  let capture = null;
  const fallbackLog = (...args) => process.stdout.write(util.format(...args) + "\n");
  const fallbackError = (...args) => process.stderr.write(util.format(...args) + "\n");
  const capturingConsole = {
    log: (...args) => {
      if (!capture) return fallbackLog(...args);
      capture.values.push(args[0]);
    },
    error: (...args) => {
      if (!capture) return fallbackError(...args);
      if (args.length === 5 && args[0] === "%s%d:%d - %s") {
        const [, file, line, column, message] = args;
        capture.diagnostics.push({ file: String(file).trim(), line, column, message: String(message) });
      } else {
        capture.errors.push(args[0]);
      }
    },
  };
  const executor = tslab.executor.createExecutor(rootDir, convs, capturingConsole);
  bindings.install();

  /**
   * `options.name`: how tracebacks of later cells name this one (e.g. "In[3]"); its own frames say `<cell>`.
   */
  async function execute(code, options = {}) {
    const mine = { values: [], diagnostics: [], errors: [] };
    const id = positions.nextId();
    if (options.name) names.set(id, String(options.name));
    bindings.begin(id);
    capture = mine;
    let ok;
    let last;
    try {
      ok = await executor.execute(code);
    } catch (e) {
      // tslab itself failed (e.g. the converter threw): report it as the cell's error.
      mine.errors.push(e);
      ok = false;
    } finally {
      if (capture === mine) capture = null;
      const failed = mine.diagnostics.length > 0 ? "compile" : !ok || mine.errors.length > 0 ? "runtime" : "ok";
      last = bindings.finish(failed);
    }
    if (mine.diagnostics.length > 0) return { ok: false, error: compileError(mine.diagnostics, code) };
    if (!ok || mine.errors.length > 0) {
      if (mine.errors.length > 0) return { ok: false, error: runtimeError(mine.errors[0], (l) => positions.frame(l, id)) };
      return { ok: false, error: { ename: "Error", evalue: "the cell failed", traceback: ["Error: the cell failed"] } };
    }
    // The last value: bindings.js stores it (tslab's console.log channel stays as a fallback).
    return { ok: true, value: mine.values.length ? mine.values[mine.values.length - 1] : last };
  }

  return {
    execute,
    inspect: (code, pos) => executor.inspect(code, pos),
    /** Help for the name at `pos`: { "text/markdown", "text/plain" }, or null when TypeScript knows nothing. */
    describe(code, pos, detail = 0) {
      const info = executor.inspect(code, pos);
      if (!info || (info.displayParts || []).map((p) => p.text).join("") === "any") return null;
      const span = info.textSpan;
      const name = span ? code.slice(span.start, span.start + span.length) : null;
      return help.render(info, { name, detail });
    },
    /** tslab's completions, the public API and the cells' names first, `@internal` members hidden. */
    complete(code, pos) {
      const r = executor.complete(code, pos);
      const candidates = help.rank(r.candidates, { cellNames: (n) => bindings.runtime.origins.has(n), cellDecl: bindings.decl });
      return { ...r, candidates };
    },
    interrupt: () => executor.interrupt(),
    close: () => executor.close(),
    warm: () => convs.node,
    raw: executor,
    /** Error triple for a value thrown outside `execute` (e.g. a rejected display bundle), with cell positions. */
    runtimeError: (e) => runtimeError(e, (l) => positions.frame(l, null)),
  };
}

module.exports = { createCellExecutor, runtimeError, compileError, errorName };
