#!/usr/bin/env node
// Makes the package importable by its own name from notebooks/ (node_modules/linear-landscapes -> ..),
// the way a forked experiment imports an installed copy. Idempotent; runs as part of `npm run build`.
"use strict";
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "linear-landscapes");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && fs.readlinkSync(link) === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
fs.symlinkSync("..", link, "dir");
