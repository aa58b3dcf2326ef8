// Help that reads well: inspect_request answers as Markdown (plus plain text) built from TypeScript's quick info,
// and completions ranked with the project's public API first and `@internal` members hidden.
//
// tslab's printQuickInfo (dist/inspect.js) joins the display parts as plain text: `{@link X}` comes out as the
// three parts "{@link ", "X", "}" and tag names other than @param are dropped. Here the quick info's parts are
// rendered per kind: the signature in a ```typescript block, the summary with links resolved to `X`, then
// Parameters / Returns / Throws / other tags, the theorem labels the summary names (the label forms of docs/theory.md, the
// same pattern as the docs gate), and with detail_level 1 where the name is defined: `src/…/file.ts:line` for the
// library (an index of the exported declarations of the checkout's src/, built once), `In[n]` for a name a cell
// declared.
"use strict";
const fs = require("fs");
const path = require("path");
const tslab = require("./tslab");

const ts = tslab.ts;
const ROOT = path.resolve(__dirname, "..", "..");

/** Theorem labels of docs/theory.md (as in test/docs/exports.test.ts): G1, T1..T7, D1, P1..P5, Ex-1, A1.., B1.., E-A1a. */
const LABEL = /\b(G[12]|T[1-7]|D1|P[1-5]|Ex-[12]|A[1-7]|B[1-9]|E-[A-Z]\d+[a-z]?)\b/g;

/** Text of symbol display parts with `{@link X}` (parts link / linkName / linkText / link) as `X` in backticks. */
function partsText(parts, { code = true } = {}) {
  let out = "";
  let inLink = false;
  let linkLabel = "";
  for (const p of parts || []) {
    if (p.kind === "link") {
      if (inLink) {
        out += code ? "`" + linkLabel.trim() + "`" : linkLabel.trim();
        linkLabel = "";
      }
      inLink = !inLink;
    } else if (inLink) {
      // `{@link X | text}` gives linkName X and linkText "text": show the text when there is one.
      if (p.kind === "linkText") linkLabel = p.text;
      else if (!linkLabel) linkLabel = p.text;
    } else out += p.text;
  }
  return out;
}

/** The signature line(s): display parts without tslab's "(alias) " prefix and the trailing "import x" line. */
function signature(info) {
  let parts = info.displayParts || [];
  const brk = parts.findIndex((p, i) => p.kind === "lineBreak" && parts[i + 1] && parts[i + 1].text === "import");
  if (brk >= 0) parts = parts.slice(0, brk);
  let text = parts.map((p) => p.text).join("");
  return text.replace(/^\(alias\) /, "");
}

/** Continuation lines of a list item, indented under it. */
const indent = (text) => text.replace(/\n/g, "\n  ");

/** Splits a @param / @throws tag into [name, description]. */
function tagParts(tag) {
  const parts = tag.text || [];
  const nameIdx = parts.findIndex((p) => p.kind === "parameterName" || p.kind === "typeParameterName");
  if (nameIdx >= 0) {
    const rest = partsText(parts.slice(nameIdx + 1)).trim().replace(/^-\s*/, "");
    return [parts[nameIdx].text, rest];
  }
  return [null, partsText(parts).trim()];
}

/**
 * An empty index: exported name -> { file, line, internal }; member name -> every declaration @internal?;
 * "Class.member" -> { file, line }.
 */
const emptyIndex = () => ({ exports: new Map(), memberInternal: new Map(), members: new Map() });

const jsDocText = (node) => (node.jsDoc || []).map((d) => d.getText()).join("\n");
const isInternal = (node) => ts.getJSDocTags(node).some((t) => t.tagName.text === "internal") || /@internal\b/.test(jsDocText(node));

/** Adds the top-level declarations of one file (`exportedOnly`: only those with `export`) to `index`. */
function indexText(index, text, rel, { exportedOnly = true } = {}) {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const st of sf.statements) {
    if (exportedOnly && (ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Export) === 0) continue;
    const names = [];
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) ts.isIdentifier(d.name) && names.push(d.name);
    else if (st.name && ts.isIdentifier(st.name)) names.push(st.name);
    const internal = isInternal(st);
    for (const n of names) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      if (!index.exports.has(n.text)) index.exports.set(n.text, { file: rel, line, internal });
    }
    if (ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) {
      for (const m of st.members) {
        if (!m.name || !(ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name))) continue;
        const name = m.name.text;
        const internalMember = internal || isInternal(m);
        index.memberInternal.set(name, (index.memberInternal.has(name) ? index.memberInternal.get(name) : true) && internalMember);
        const key = `${st.name ? st.name.text : ""}.${name}`;
        if (!index.members.has(key)) index.members.set(key, { file: rel, line: sf.getLineAndCharacterOfPosition(m.name.getStart(sf)).line + 1 });
      }
    }
  }
  return index;
}

/** Exported declarations of the checkout's src/ (the library a notebook imports as its package). */
function buildSourceIndex(root = ROOT) {
  const index = emptyIndex();
  const walkDir = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walkDir(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        indexText(index, fs.readFileSync(p, "utf8"), path.relative(root, p).split(path.sep).join("/"));
      }
    }
  };
  walkDir(path.join(root, "src"));
  return index;
}

function createHelp({ root = ROOT, origin = () => null } = {}) {
  let index = null;
  const sourceIndex = () => (index || (index = buildSourceIndex(root)));

  /**
   * Where `name` is defined: "defined in In[n]" for a cell's name, "src/…:line" for the library (`owner`: the
   * class or interface of a member, from the quick info), else null.
   */
  function locate(name, owner = null) {
    const idx = sourceIndex();
    const m = owner && idx.members.get(`${owner}.${name}`);
    if (m) return `${m.file}:${m.line}`;
    if (owner) return null;
    const cell = origin(name);
    if (cell) return `defined in ${cell}`;
    const e = idx.exports.get(name);
    return e ? `${e.file}:${e.line}` : null;
  }

  /** The class/interface a member's quick info names before `.name` ("(method) Landscape.hessian(…)"). */
  function ownerOf(info, name) {
    const parts = info.displayParts || [];
    for (let i = 0; i + 2 < parts.length; i++) {
      if (/^(className|interfaceName)$/.test(parts[i].kind) && parts[i + 1].text === "." && parts[i + 2].text === name) return parts[i].text;
    }
    return null;
  }

  /** { "text/markdown", "text/plain" } for a quick info; `name` is the inspected identifier. */
  function render(info, { name, detail = 0 } = {}) {
    const sig = signature(info);
    const summary = partsText(info.documentation).trim();
    const summaryPlain = partsText(info.documentation, { code: false }).trim();
    const params = [];
    const returns = [];
    const throws = [];
    const others = [];
    for (const tag of info.tags || []) {
      const [pname, text] = tagParts(tag);
      if (tag.name === "param") params.push([pname, text]);
      else if (tag.name === "returns" || tag.name === "return") returns.push(text);
      else if (tag.name === "throws" || tag.name === "exception") throws.push(text);
      else if (tag.name !== "internal" && tag.name !== "module" && tag.name !== "packageDocumentation") others.push([tag.name, pname ? `${pname} ${text}` : text]);
    }
    const labels = [...new Set((summaryPlain + "\n" + throws.join("\n")).match(LABEL) || [])];
    const where = detail >= 1 && name ? locate(name, ownerOf(info, name)) : null;

    const md = ["```typescript", sig, "```"];
    const txt = [sig];
    if (summary) {
      md.push("", summary);
      txt.push("", summaryPlain);
    }
    if (params.length) {
      md.push("", "**Parameters**", "", ...params.map(([n, t]) => `- \`${n}\`${t ? ` — ${indent(t)}` : ""}`));
      txt.push("", "Parameters:", ...params.map(([n, t]) => `  ${n}${t ? ` - ${indent(t)}` : ""}`));
    }
    if (returns.length) {
      md.push("", `**Returns** ${returns.join(" ")}`);
      txt.push("", `Returns: ${returns.join(" ")}`);
    }
    if (throws.length) {
      md.push("", "**Throws**", "", ...throws.map((t) => `- ${indent(t)}`));
      txt.push("", "Throws:", ...throws.map((t) => `  ${indent(t)}`));
    }
    for (const [tagName, t] of others) {
      if (tagName === "example") {
        md.push("", "**Example**", "", /^\s*```/.test(t) ? t : "```typescript\n" + t + "\n```");
        txt.push("", "Example:", "  " + indent(t.replace(/^\s*```\w*\n?|\n?```\s*$/g, "")));
        continue;
      }
      md.push("", `**@${tagName}** ${t}`);
      txt.push("", `@${tagName} ${t}`);
    }
    if (labels.length) {
      md.push("", `**Theorem:** ${labels.join(", ")}`);
      txt.push("", `Theorem: ${labels.join(", ")}`);
    }
    if (where) {
      md.push("", `**Source:** ${where.startsWith("defined in") ? where : "`" + where + "`"}`);
      txt.push("", `Source: ${where}`);
    }
    return { "text/markdown": md.join("\n"), "text/plain": txt.join("\n") };
  }

  /**
   * Completion candidates re-ranked: names of the project's public API (library exports that are not @internal)
   * and names the cells declared first, tslab's order otherwise; members and exports marked @internal dropped.
   */
  function rank(candidates, { cellNames = () => false, cellDecl = "" } = {}) {
    const lib = sourceIndex();
    // The cells' declarations (tslab's .d.ts text of everything declared so far, JSDoc kept) count as well.
    const cells = indexText(emptyIndex(), cellDecl, "cells.d.ts", { exportedOnly: false });
    const lookup = (n) => [lib, cells].map((ix) => ({ e: ix.exports.get(n), m: ix.memberInternal.get(n) }));
    // A name is public when some declaration of it (an export or a class/interface member) is not @internal.
    const publicDecl = (n) => lookup(n).some(({ e, m }) => (e && !e.internal) || m === false);
    const internalOnly = (n) => !publicDecl(n) && lookup(n).some(({ e, m }) => (e && e.internal) || m === true);
    const isPublic = (n) => publicDecl(n) || cellNames(n);
    const kept = candidates.filter((n) => !internalOnly(n));
    return [...kept.filter(isPublic), ...kept.filter((n) => !isPublic(n))];
  }

  return { render, rank, locate, sourceIndex };
}

module.exports = { createHelp, buildSourceIndex, indexText, partsText, signature };
