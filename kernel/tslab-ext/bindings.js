// Top-level cell code at function speed: tslab's cell semantics without its Proxy `exports`.
//
// tslab (dist/converter.js) compiles a cell to a CommonJS module body that the executor runs as
// `(function(exports, require) { <output> })(__tslab__.exports, __tslab__.require)`. Every top-level name the
// cell declares is a local binding that TypeScript keeps in sync with `exports` ("live binding" emit: each write
// `s += x` becomes `exports.s = s += x`), names of earlier cells are read and written as `exports.s`, and the
// executor's `exports` is a Proxy whose defineProperty trap turns every store into a trap call
// (`createExports` in dist/executor.js). A top-level loop therefore pays a Proxy trap per iteration (≈ 225×
// the same loop in a function).
//
// Here the converted output is rewritten (an AST pass over tslab's output, text edits, nothing of tslab copied):
//  - `exports` is a plain object; each binding is an accessor whose getter/setter are the declaring cell's own
//    closures, on a prototype layer in front of `exports` (createRuntime: nothing is ever redefined, so all
//    objects keep fast maps however often a cell is re-run);
//  - the write-through `exports.s = E` of a name the cell declares itself becomes `(E)`: the cell's loop works
//    on a plain local (captured by the bind closures, i.e. a context slot: ≈ function speed);
//  - TypeScript's sync statement `exports.s = s;` (right after each declaration) becomes
//    `__ll.bind("s", () => s, (v) => { s = v; })`: from then on `exports.s` reads and writes the cell's local.
//    So a closure created in one cell sees later reassignments from any cell, and a later cell's loop over an
//    earlier cell's variable goes through one inlinable accessor;
//  - `var` names without such a statement (loop variables `for (var i …)`) are bound at the top of the cell;
//  - the reset `exports.a = exports.b = … = void 0;` is dropped: a name keeps its old value until the cell
//    reaches its new declaration (an error midway leaves earlier names assigned, later ones as they were);
//  - `Object.defineProperty(exports, "x", { get })` (named imports) becomes `__ll.define(...)`: the import's
//    value at that time, re-declarable (tslab's Proxy did the same);
//  - the last expression is stored in `__ll.last` instead of `exports.tsLastExpr`.
// Declarations: tslab's executor forgets the declarations of a cell that failed at run time. The converter
// wrapper below keeps its own declaration text: after a runtime error it holds the declarations the cell
// reached (and the older declarations of the names it did not reach), so the next cell can use them.
"use strict";
const tslab = require("./tslab");

const ts = tslab.ts;

/** Layers on top of `exports` before they are flattened into one (see createRuntime). */
const MAX_LAYERS = 16;

/** A fresh object with one accessor per [name, {get, set}], on `proto`. */
function accessorLayer(entries, proto) {
  const layer = Object.create(proto);
  for (const [name, { get, set }] of entries) Object.defineProperty(layer, name, { get, set, enumerable: true, configurable: false });
  return layer;
}

/**
 * The kernel-wide runtime: the plain `exports` object, the last value, the names the running cell reached.
 * `exports` holds no names itself: each binding is an accessor whose getter and setter ARE the declaring
 * cell's closures (`() => s`, `(v) => { s = v; }`), on a small prototype object put in front of the previous
 * ones (Object.setPrototypeOf; after MAX_LAYERS the chain is flattened into one object of the current
 * accessors). No property is ever redefined, so every object keeps a fast map, and a loop in a later cell over
 * `exports.s` inlines the declaring cell's own closure (one accessor per binding: a re-declared name gets a new
 * one, not a polymorphic trampoline).
 */
function createRuntime() {
  const exports = {};
  const bindings = new Map(); // name -> { get, set } of the current binding
  let layers = 0;
  const runtime = {
    exports,
    last: undefined,
    /** Names bound or defined by the running cell. */
    reached: new Set(),
    /** The running cell's id, and the id of the cell that last bound each name (for help's "defined in"). */
    current: null,
    origins: new Map(),
    /** `exports.name` reads and writes the running cell's binding through `get`/`set`. */
    bind(name, get, set) {
      bindings.set(name, { get, set });
      // A data property left by a store to a name that had no binding (an ambient `declare`) would shadow it.
      if (Object.prototype.hasOwnProperty.call(exports, name)) delete exports[name];
      if (++layers > MAX_LAYERS) {
        Object.setPrototypeOf(exports, accessorLayer(bindings, Object.prototype));
        layers = 1;
      } else {
        Object.setPrototypeOf(exports, accessorLayer([[name, { get, set }]], Object.getPrototypeOf(exports)));
      }
      runtime.reached.add(name);
      if (runtime.current) runtime.origins.set(name, runtime.current);
    },
    /** `Object.defineProperty(exports, name, desc)` as emitted for named imports: a re-declarable value. */
    define(target, name, desc) {
      if (name === "__esModule") return target;
      let value = desc && typeof desc.get === "function" ? desc.get() : desc && desc.value;
      runtime.bind(
        name,
        () => value,
        (v) => {
          value = v;
        },
      );
      runtime.origins.delete(name); // imported, not defined here: help shows the library's location
      return target;
    },
    takeLast() {
      const v = runtime.last;
      runtime.last = undefined;
      return v;
    },
  };
  return runtime;
}

const isExportsAccess = (n) =>
  ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "exports" && ts.isIdentifier(n.name);

const isAssign = (n) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken;

/** Names declared in the cell function's own scope: top-level let/const/class/function, `var` at any depth. */
function scopeNames(sf) {
  const lexical = new Set();
  const vars = new Set();
  const addBinding = (name, into) => {
    if (ts.isIdentifier(name)) into.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name, into);
  };
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) lexical.add(st.name.text);
    if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.BlockScoped) {
      for (const d of st.declarationList.declarations) addBinding(d.name, lexical);
    }
  }
  const walk = (n) => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) {
      for (const d of n.declarations) addBinding(d.name, vars);
    }
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(sf, walk);
  return { lexical, vars };
}

/** The preamble `exports.a = exports.b = void 0;` (a chain of stores to exports ending in `void 0`). */
function isResetChain(expr) {
  let e = expr;
  while (isAssign(e) && isExportsAccess(e.left)) e = e.right;
  return e !== expr && ts.isVoidExpression(e);
}

/**
 * Rewrites tslab's converted output (see the header). Returns { code, names, inserted }: `names` are the runtime
 * names the cell declares (its own bindings and named imports), `inserted` the ranges of `code` this rewrite
 * inserted (no token of the cell there: positions.js leaves them out of its alignment).
 */
function rewrite(output, lastVar) {
  const sf = ts.createSourceFile("cell.js", output, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const { lexical, vars } = scopeNames(sf);
  const local = (name) => lexical.has(name) || vars.has(name);
  const edits = [];
  const replace = (start, end, text) => edits.push({ start, end, text });
  const synced = new Set();
  const names = new Set();
  const bindText = (x) => `__ll.bind(${JSON.stringify(x)}, () => ${x}, (v) => { ${x} = v; })`;

  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && isResetChain(st.expression)) {
      replace(st.getStart(sf), st.end, "");
      continue;
    }
    if (
      ts.isExpressionStatement(st) &&
      isAssign(st.expression) &&
      isExportsAccess(st.expression.left) &&
      local(st.expression.left.name.text) &&
      ts.isIdentifier(st.expression.right) &&
      st.expression.right.text === st.expression.left.name.text
    ) {
      const x = st.expression.right.text;
      synced.add(x);
      names.add(x);
      replace(st.getStart(sf), st.end, bindText(x) + ";");
      continue;
    }
    visit(st);
  }

  function visit(n) {
    if (isAssign(n) && isExportsAccess(n.left)) {
      const x = n.left.name.text;
      if (x === lastVar) {
        replace(n.left.getStart(sf), n.left.end, "__ll.last");
      } else if (local(x)) {
        names.add(x);
        replace(n.getStart(sf), n.right.getStart(sf), "(");
        replace(n.end, n.end, ")");
      }
      visit(n.right);
      return;
    }
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ts.isIdentifier(n.expression.expression) &&
      n.expression.expression.text === "Object" &&
      n.expression.name.text === "defineProperty" &&
      n.arguments.length === 3 &&
      ts.isIdentifier(n.arguments[0]) &&
      n.arguments[0].text === "exports"
    ) {
      const key = n.arguments[1];
      if (ts.isStringLiteral(key) && key.text === "__esModule" && ts.isExpressionStatement(n.parent)) {
        replace(n.parent.getStart(sf), n.parent.end, "");
        return;
      }
      if (ts.isStringLiteral(key)) names.add(key.text);
      replace(n.expression.getStart(sf), n.expression.end, "__ll.define");
    }
    ts.forEachChild(n, visit);
  }

  // Exported `var` names that no top-level statement syncs (e.g. `for (var i = …)`): bound on entry.
  const early = [...vars].filter((x) => !synced.has(x) && names.has(x));
  let head = "const __ll = __tslab__.ext;";
  for (const x of early) head += " " + bindText(x) + ";";
  edits.push({ start: 0, end: 0, text: head + " " });
  const { text, inserted } = applyEdits(output, edits);
  return { code: text, names, inserted };
}

/** Applies non-overlapping edits; returns the text and the [start, end) ranges of the inserted texts in it. */
function applyEdits(text, edits) {
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let at = 0;
  const inserted = [];
  for (const e of edits) {
    if (e.start < at) throw new Error(`linear-landscapes kernel: overlapping rewrite at ${e.start}`);
    out += text.slice(at, e.start);
    if (e.text) inserted.push([out.length, out.length + e.text.length]);
    out += e.text;
    at = e.end;
  }
  return { text: out + text.slice(at), inserted };
}

/** Top-level declaration statements of a .d.ts text, each with the value names it declares. */
function declStatements(text) {
  const sf = ts.createSourceFile("decl.d.ts", text || "", ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return sf.statements.map((st) => {
    const names = [];
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.push(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.push(c.namedBindings.name.text);
      else if (c.namedBindings) for (const el of c.namedBindings.elements) names.push(el.name.text);
    } else if (st.name && ts.isIdentifier(st.name) && !ts.isInterfaceDeclaration(st) && !ts.isTypeAliasDeclaration(st)) {
      names.push(st.name.text);
    }
    return { text: text.slice(st.getFullStart(), st.end), names };
  });
}

/**
 * Declarations after a cell that failed at run time: the new declarations of names it reached, the old
 * declarations of names it declared but did not reach, and everything else as the converter computed it.
 */
function declAfterFailure(prevDecl, newDecl, cellNames, reached) {
  const unreached = (name) => cellNames.has(name) && !reached.has(name);
  const kept = declStatements(newDecl).filter((s) => !(s.names.length > 0 && s.names.every(unreached)));
  const keptNames = new Set(kept.flatMap((s) => s.names));
  const restored = declStatements(prevDecl).filter((s) => s.names.some((n) => unreached(n) && !keptNames.has(n)));
  return [...kept, ...restored].map((s) => s.text.replace(/^\n+/, "")).join("\n") + "\n";
}

/**
 * Wraps tslab's converter set (node converter) and installs the runtime in tslab's executor:
 *   const b = createBindings(convs); const executor = createExecutor(dir, b.convs, console); b.install();
 * Per cell: b.begin(label) before executor.execute, b.finish(outcome) after it ("ok" | "runtime" | "compile").
 */
function createBindings(baseConvs, { onConverted } = {}) {
  const runtime = createRuntime();
  let decl = "";
  let pending = null;
  let cellLabel = null;

  const wrapNode = (conv) => ({
    convert(_prevDecl, src) {
      const r = conv.convert(decl, src);
      pending = { src, declOutput: r.declOutput, names: new Set() };
      if (!r.output || (r.diagnostics && r.diagnostics.length > 0)) return r;
      const { code, names, inserted } = rewrite(r.output, r.lastExpressionVar);
      pending.names = names;
      const label = cellLabel || "cell";
      const output = `${code}\n//# sourceURL=${label}`;
      if (onConverted) onConverted({ label, src, output, inserted, hasToplevelAwait: !!r.hasToplevelAwait });
      return { ...r, output, lastExpressionVar: undefined };
    },
    inspect: (_prevDecl, src, pos) => conv.inspect(decl, src, pos),
    complete: (_prevDecl, src, pos) => conv.complete(decl, src, pos),
    addModule: (...args) => conv.addModule(...args),
    close: () => conv.close(),
  });
  let node = null;
  const convs = {
    get node() {
      if (!node) node = wrapNode(baseConvs.node);
      return node;
    },
    get browser() {
      return baseConvs.browser;
    },
    close: () => baseConvs.close(),
  };

  return {
    convs,
    runtime,
    /** Point tslab's `__tslab__.exports` at the plain exports object and expose the runtime as `__tslab__.ext`. */
    install() {
      const holder = globalThis.__tslab__;
      if (!holder || typeof holder !== "object") throw new Error("linear-landscapes kernel: tslab's __tslab__ is missing");
      holder.exports = runtime.exports;
      holder.ext = runtime;
    },
    begin(label) {
      cellLabel = label;
      pending = null;
      runtime.reached = new Set();
      runtime.current = label;
      runtime.last = undefined;
    },
    finish(outcome) {
      if (pending && outcome === "ok") decl = pending.declOutput || "";
      else if (pending && outcome === "runtime" && pending.declOutput !== undefined) {
        decl = declAfterFailure(decl, pending.declOutput, pending.names, runtime.reached);
      }
      pending = null;
      return runtime.takeLast();
    },
    get decl() {
      return decl;
    },
  };
}

module.exports = { createBindings, createRuntime, rewrite, declAfterFailure };
