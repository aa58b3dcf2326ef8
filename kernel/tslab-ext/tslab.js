// Loads tslab's own modules from node_modules/tslab/dist (nothing of tslab is copied into this repo) and checks
// the pinned version: every patch in kernel/tslab-ext/ was written against tslab 1.0.22's dist/*.js, whose
// internals (ZmqServer, JupyterHandlerImpl, createExecutor's console protocol) are not a public API.
"use strict";
const path = require("path");

const PINNED = "1.0.22";
const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [path.resolve(__dirname, "..", "..")] }));
const version = require(path.join(tslabDir, "package.json")).version;
if (version !== PINNED) {
  throw new Error(
    `linear-landscapes kernel: tslab ${PINNED} is required (found ${version} in ${tslabDir}); ` +
      `run \`npm ci\` to install the pinned version`,
  );
}

const dist = (name) => require(path.join(tslabDir, "dist", name));

module.exports = {
  version,
  tslabDir,
  /** dist/jupyter.js: ZmqServer, JupyterHandlerImpl, and the `lastWriteDisplayData` slot used by tslab.display. */
  jupyter: dist("jupyter.js"),
  /** dist/executor.js: createExecutor(rootDir, convs, console). */
  executor: dist("executor.js"),
  /** dist/converter.js: createConverter, isCompleteCode. */
  converter: dist("converter.js"),
  /** dist/inspect.js: printQuickInfo. */
  inspect: dist("inspect.js"),
  /** The TypeScript build tslab type-checks cells with (5.0.4). */
  ts: require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] })),
};
