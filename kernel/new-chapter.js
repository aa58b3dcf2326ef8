#!/usr/bin/env node
// `npm run new-chapter -- NN-name`: starts a new chapter from the fork template, notebooks/99-your-experiment.ipynb.
//
//   npm run new-chapter -- 12-my-question                     -> notebooks/12-my-question.ipynb, title "12 · My question"
//   npm run new-chapter -- 12-my-question --title "Weights"   -> same file, title "12 · Weights"
//   options: --notebooks DIR (default notebooks/), --template FILE (default DIR/99-your-experiment.ipynb), --force
//
// The copy is clean (no outputs, no execution counts), runs on the project kernel (kernelspec set as
// `npm run clean-notebooks` sets it), gets fresh cell ids, and its first cell's heading becomes "# NN · Title".
// Refuses a name that is not NN-lowercase-words, the template's own number (99), and an existing file
// (unless --force) or another notebook with the same number.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { cleanNotebook, formatNotebook } = require("./clean-notebooks.js");

const ROOT = path.resolve(__dirname, "..");
const TEMPLATE = "99-your-experiment.ipynb";
const NAME = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

class NewChapterError extends Error {}

/** "my-question" -> "My question". */
function titleFromSlug(slug) {
  const words = slug.split("-").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Creates the chapter and returns its path.
 * @param {string} name - "NN-lowercase-words". @param {{ notebooks?: string, template?: string, title?: string, force?: boolean }} o
 */
function newChapter(name, o = {}) {
  const m = NAME.exec(String(name).replace(/\.ipynb$/, ""));
  if (!m) throw new NewChapterError(`new-chapter: the name must look like NN-lowercase-words (e.g. 12-my-question); got ${JSON.stringify(name)}`);
  const [, num, slug] = m;
  if (num === "99") throw new NewChapterError("new-chapter: 99 is the template's number; choose another NN");
  const dir = path.resolve(o.notebooks ?? path.join(ROOT, "notebooks"));
  const template = path.resolve(o.template ?? path.join(dir, TEMPLATE));
  if (!fs.existsSync(template)) throw new NewChapterError(`new-chapter: template ${template} not found`);
  const target = path.join(dir, `${num}-${slug}.ipynb`);
  if (fs.existsSync(target) && !o.force) throw new NewChapterError(`new-chapter: ${target} exists (use --force to overwrite)`);
  const clash = fs.readdirSync(dir).filter((f) => f.startsWith(`${num}-`) && f.endsWith(".ipynb") && path.join(dir, f) !== target);
  if (clash.length > 0) throw new NewChapterError(`new-chapter: chapter number ${num} is taken by ${clash.join(", ")}`);
  const title = o.title !== undefined ? String(o.title).trim() : titleFromSlug(slug);
  if (title === "" || /[\r\n]/.test(title)) throw new NewChapterError(`new-chapter: the title must be one non-empty line; got ${JSON.stringify(o.title)}`);
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(template, "utf8"));
  } catch (e) {
    throw new NewChapterError(`new-chapter: template ${template} is not a JSON notebook (${e.message})`);
  }
  const out = cleanNotebook(nb);
  const first = out.cells && out.cells[0];
  if (!first || first.cell_type !== "markdown") throw new NewChapterError("new-chapter: the template's first cell must be a Markdown title cell");
  const lines = first.source.join("").split("\n");
  const h = lines.findIndex((l) => /^# /.test(l));
  const heading = `# ${num} · ${title}`;
  if (h >= 0) lines[h] = heading;
  else lines.unshift(heading, "");
  first.source = lines.join("\n").split(/(?<=\n)/).filter((l) => l !== "");
  for (const cell of out.cells) cell.id = crypto.randomBytes(4).toString("hex");
  fs.writeFileSync(target, formatNotebook(out));
  return target;
}

function main(argv) {
  const o = {};
  let name;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new NewChapterError(`new-chapter: ${a} needs a value`);
      return argv[++i];
    };
    if (a === "--title") o.title = val();
    else if (a === "--notebooks") o.notebooks = val();
    else if (a === "--template") o.template = val();
    else if (a === "--force") o.force = true;
    else if (a === "-h" || a === "--help") {
      console.log("usage: npm run new-chapter -- NN-name [--title TITLE] [--notebooks DIR] [--template FILE] [--force]");
      return 0;
    } else if (a.startsWith("-")) throw new NewChapterError(`new-chapter: unknown option ${a}`);
    else if (name === undefined) name = a;
    else throw new NewChapterError(`new-chapter: one name only; got ${JSON.stringify(name)} and ${JSON.stringify(a)}`);
  }
  if (name === undefined) throw new NewChapterError("usage: npm run new-chapter -- NN-name [--title TITLE]");
  const target = newChapter(name, o);
  console.log(`new-chapter: wrote ${path.relative(process.cwd(), target)}; run it with npm run course -- ${path.basename(target).slice(0, 2)}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof NewChapterError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

module.exports = { newChapter, titleFromSlug, main, NewChapterError, TEMPLATE };
