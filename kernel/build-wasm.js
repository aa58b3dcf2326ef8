#!/usr/bin/env node
// Compiles every AssemblyScript source in wasm/ (the SIMD kernels) into dist/wasm/<name>.wasm with the
// assemblyscript compiler from the npm registry (a devDependency). Runs as the first step of `npm run build`.
// Flags: -O3, no runtime (the kernels allocate nothing), SIMD on, memory imported from the loader
// (src/core/wasmKernel.ts), no assertions (the loader sizes every buffer before calling).
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const srcDir = path.join(root, "wasm");
const outDir = path.join(root, "dist", "wasm");
const asc = path.join(root, "node_modules", "assemblyscript", "bin", "asc.js");

/** The asc arguments for one source: exported so a test can rebuild and compare byte for byte. */
function ascArgs(source, out) {
  return [source, "-O3", "--runtime", "stub", "--enable", "simd", "--noAssert", "--importMemory", "-o", out];
}

function build() {
  if (!fs.existsSync(asc)) {
    console.error(`build-wasm: ${path.relative(root, asc)} is missing; run \`npm ci\` (assemblyscript is a devDependency)`);
    process.exit(1);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith(".ts")).sort();
  for (const f of sources) {
    const out = path.join(outDir, f.replace(/\.ts$/, ".wasm"));
    execFileSync(process.execPath, [asc, ...ascArgs(path.join(srcDir, f), out)], { cwd: root, stdio: "inherit" });
  }
}

module.exports = { ascArgs, srcDir, outDir };
if (require.main === module) build();
