// Executes one notebook on its own kernel, as nbclient's NotebookClient.execute() does (nbclient 0.7-0.10 with
// record_timing=False, the course's settings), and reports what went wrong in the course runner's terms.
//
// The notebook produced is what nbclient produces for the same messages:
//  - metadata.language_info := kernel_info_reply.language_info;
//  - every code cell with non-blank source is executed in order; its outputs are reset, then built from iopub
//    (nbformat.v4.output_from_msg: stream, display_data, execute_result, error; no stream merging), clear_output
//    (wait=True defers the clear to the next output), display ids (a display_data / execute_result /
//    update_display_data with transient.display_id replaces data+metadata of every earlier output with that id,
//    in any cell; update_display_data adds no output); execution_count := the ordinal of the executed code cell;
//  - a cell whose reply is an error stops the run unless --allow-errors or the cell is tagged raises-exception
//    (stop_on_error is sent accordingly); a cell without a reply within the timeout stops the run
//    (CellTimeoutError) and the kernel is killed, not asked to shut down, so it writes nothing more.
// Nothing time-dependent is written into the notebook (timings go to the result, for the logs).
"use strict";
const fs = require("fs");
const path = require("path");
const { Kernel } = require("./kernel");
const { parseNotebook, formatNotebook } = require("./nbformat");

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;
const stripAnsi = (s) => String(s == null ? "" : s).replace(ANSI, "");
const tags = (cell) => new Set((cell.metadata && cell.metadata.tags) || []);

/** nbformat.v4.output_from_msg. */
function outputFromMsg(msg) {
  const c = msg.content;
  switch (msg.msg_type) {
    case "execute_result":
      return { output_type: "execute_result", execution_count: c.execution_count, data: c.data || {}, metadata: c.metadata || {} };
    case "display_data":
      return { output_type: "display_data", data: c.data || {}, metadata: c.metadata || {} };
    case "stream":
      return { output_type: "stream", name: c.name, text: c.text };
    case "error":
      return { output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback || [] };
    default:
      return null;
  }
}

/** First non-blank line of a cell's source, trimmed to 120 characters. */
function firstLine(src) {
  const l = String(src || "")
    .split("\n")
    .find((x) => x.trim());
  return l ? l.trim().slice(0, 120) : "";
}

/**
 * Where the kernel says an error happened in the cell: `{ line, column }` from the first `<cell>:L:C` frame of a
 * runtime traceback or the first `L:C - error` line of a TypeScript diagnostic; null when the traceback names
 * no position in the cell.
 */
function errorPosition(traceback) {
  const text = stripAnsi(Array.isArray(traceback) ? traceback.join("\n") : traceback);
  const m = /<cell>:(\d+):(\d+)/.exec(text) || /^\s*(\d+):(\d+) - error/m.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** The cell as the notebook shows it: index among all cells, code-cell number, execution count, source, line. */
function cellRef(nb, index, traceback) {
  const cell = nb.cells[index] || {};
  let codeNumber = 0;
  for (let i = 0; i <= index && i < nb.cells.length; i++) if (nb.cells[i].cell_type === "code") codeNumber++;
  const pos = traceback ? errorPosition(traceback) : null;
  const lines = String(cell.source || "").split("\n");
  return {
    cell: index,
    code_cell: codeNumber,
    execution_count: cell.execution_count ?? null,
    source: firstLine(cell.source),
    line: pos ? pos.line : null,
    column: pos ? pos.column : null,
    line_text: pos && lines[pos.line - 1] !== undefined ? lines[pos.line - 1] : null,
  };
}

function errorOf(cell) {
  const out = (cell.outputs || []).find((o) => o.output_type === "error");
  return out ? { ename: out.ename || "", evalue: stripAnsi(out.evalue), traceback: stripAnsi((out.traceback || []).join("\n")), rawTraceback: out.traceback } : null;
}

function stderrOf(cell) {
  return stripAnsi(
    (cell.outputs || [])
      .filter((o) => o.output_type === "stream" && o.name === "stderr")
      .map((o) => o.text)
      .join(""),
  );
}

/**
 * Executes `source` (an .ipynb path) on kernelspec `spec`, writes the executed notebook to `output` (also when a
 * cell failed: up to that cell) and the kernel's stdout/stderr to `logs`/NAME.kernel-{stdout,stderr}.log.
 * Returns the result record course.js reports from (same fields as the former Python runner's, plus
 * code-cell numbers, execution counts and error lines).
 */
async function runNotebook({ source, output, logs, spec, timeoutSec = 120, allowErrors = false, startupTimeoutSec = 60, env = {} }) {
  const name = path.basename(source).replace(/\.ipynb$/, "");
  const res = {
    notebook: name,
    source,
    output,
    kernel_log: path.join(logs, `${name}.kernel-stderr.log`),
    ok: false,
    wall: null,
    error: null,
    cell_errors: [],
    stderr_cells: [],
    late_outputs: [],
    kernel_stderr: "",
    cell_times: [],
  };
  const t0 = Date.now();
  let nb;
  try {
    nb = parseNotebook(fs.readFileSync(source, "utf8"));
  } catch (e) {
    res.error = { cell: null, ename: e.name, evalue: `cannot read: ${e.message}`, traceback: "", source: "" };
    res.wall = (Date.now() - t0) / 1000;
    return res;
  }
  fs.mkdirSync(logs, { recursive: true });
  fs.mkdirSync(path.dirname(output), { recursive: true });
  let kernel = null;
  let failure = null; // the error that stopped the run
  let stderrLimit = null; // bytes of kernel stderr that count (after a timeout the rest is our own doing)
  let current = -1;
  try {
    kernel = await Kernel.start({
      spec,
      cwd: path.dirname(path.resolve(source)),
      env,
      stdoutFile: path.join(logs, `${name}.kernel-stdout.log`),
      stderrFile: res.kernel_log,
      startupTimeoutMs: startupTimeoutSec * 1000,
    });
    if (!kernel.kernelInfo.language_info) throw new Error("kernel_info_reply has no language_info");
    nb.metadata = nb.metadata || {};
    nb.metadata.language_info = kernel.kernelInfo.language_info;

    const displayIds = new Map(); // display_id -> Map(cell index -> [output index])
    const requests = new Map(); // execute_request msg_id -> cell index
    let executed = 0;
    for (let index = 0; index < nb.cells.length; index++) {
      const cell = nb.cells[index];
      if (cell.cell_type !== "code" || !String(cell.source || "").trim()) continue;
      current = index;
      executed++;
      const allowed = allowErrors || tags(cell).has("raises-exception");
      cell.outputs = [];
      let clearBeforeNext = false;
      const clearDisplayIds = (i) => {
        for (const m of displayIds.values()) if (m.has(i)) m.set(i, []);
      };
      const updateDisplay = (displayId, msg) => {
        const map = displayIds.get(displayId);
        if (!map) return;
        const out = outputFromMsg({ ...msg, msg_type: msg.msg_type === "update_display_data" ? "display_data" : msg.msg_type });
        for (const [ci, idxs] of map) for (const oi of idxs) Object.assign(nb.cells[ci].outputs[oi], { data: out.data, metadata: out.metadata });
      };
      const onOutput = (msg) => {
        const c = msg.content || {};
        const displayId = c.transient && c.transient.display_id;
        if (displayId && ["execute_result", "display_data", "update_display_data"].includes(msg.msg_type)) updateDisplay(displayId, msg);
        if ("execution_count" in c) cell.execution_count = c.execution_count;
        if (msg.msg_type === "clear_output") {
          if (c.wait) clearBeforeNext = true;
          else {
            cell.outputs = [];
            clearDisplayIds(index);
          }
          return;
        }
        if (msg.msg_type === "execute_input" || msg.msg_type === "update_display_data" || msg.msg_type.startsWith("comm")) return;
        const out = outputFromMsg(msg);
        if (!out) return;
        if (clearBeforeNext) {
          cell.outputs = [];
          clearDisplayIds(index);
          clearBeforeNext = false;
        }
        if (displayId) {
          if (!displayIds.has(displayId)) displayIds.set(displayId, new Map());
          const m = displayIds.get(displayId);
          if (!m.has(index)) m.set(index, []);
          m.get(index).push(cell.outputs.length);
        }
        cell.outputs.push(out);
      };
      const orphansBefore = kernel.orphans.length;
      const tc = Date.now();
      const r = await kernel.execute(cell.source, { timeoutMs: timeoutSec * 1000, stopOnError: !allowed, onOutput });
      res.cell_times.push([index, (Date.now() - tc) / 1000]);
      // output that arrived for earlier cells after they went idle (nbclient drops it silently; we report it)
      requests.set(kernel.current, index);
      for (const m of kernel.orphans.slice(orphansBefore)) {
        if (m.msg_type === "error" || (m.msg_type === "stream" && m.content.name === "stderr")) {
          const from = requests.get(m.parent_header.msg_id);
          res.late_outputs.push({ ...cellRef(nb, from ?? index), arrived_during: index, msg_type: m.msg_type, text: stripAnsi(m.msg_type === "error" ? `${m.content.ename}: ${m.content.evalue}` : m.content.text) });
        }
      }
      if (r.timedOut) {
        stderrLimit = fs.existsSync(res.kernel_log) ? fs.statSync(res.kernel_log).size : 0;
        failure = {
          ...cellRef(nb, index),
          ename: "CellTimeoutError",
          evalue: `the cell ran longer than the per-cell timeout of ${timeoutSec} s; the kernel was stopped`,
          traceback: "",
        };
        break;
      }
      cell.execution_count = executed;
      if (r.reply.content.status === "error" && !allowed) {
        const e = errorOf(cell) || { ename: r.reply.content.ename, evalue: stripAnsi(r.reply.content.evalue), traceback: stripAnsi((r.reply.content.traceback || []).join("\n")), rawTraceback: r.reply.content.traceback };
        failure = { ...cellRef(nb, index, e.rawTraceback), ename: e.ename, evalue: e.evalue, traceback: e.traceback };
        break;
      }
    }
  } catch (e) {
    failure = { ...(current >= 0 ? cellRef(nb, current) : { cell: null, source: "" }), ename: e.name === "DeadKernelError" ? "DeadKernelError" : e.name || "Error", evalue: e.message, traceback: "" };
    if (current < 0) failure.evalue = `kernel start-up failed: ${e.message}`;
  } finally {
    if (kernel) {
      if (stderrLimit !== null || (failure && failure.ename === "DeadKernelError")) await kernel.kill();
      else await kernel.shutdown();
      if (kernel.protocolErrors) res.protocol_errors = kernel.protocolErrors;
    }
  }
  res.wall = (Date.now() - t0) / 1000;

  try {
    const all = fs.readFileSync(res.kernel_log);
    res.kernel_stderr = stripAnsi(all.subarray(0, stderrLimit ?? all.length).toString("utf8"));
    if (stderrLimit !== null && all.length > stderrLimit) res.kernel_stderr_after_stop = stripAnsi(all.subarray(stderrLimit).toString("utf8"));
  } catch {
    /* no log */
  }

  // every failing / stderr-writing cell (several with --allow-errors), in notebook order
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const allowed = tags(cell).has("raises-exception");
    const err = errorOf(cell);
    if (err && !allowed) res.cell_errors.push({ ...cellRef(nb, i, err.rawTraceback), ename: err.ename, evalue: err.evalue, traceback: err.traceback });
    const text = stderrOf(cell);
    if (text && !allowed && !tags(cell).has("allow-stderr")) res.stderr_cells.push({ ...cellRef(nb, i), text });
  });
  if (failure && failure.ename === "CellTimeoutError") res.cell_errors = res.cell_errors.filter((e) => e.cell !== failure.cell);
  res.error = failure || res.cell_errors[0] || null;
  if (res.error && res.error.cell != null && !res.cell_errors.some((e) => e.cell === res.error.cell)) res.cell_errors.push(res.error);
  res.cell_errors.sort((a, b) => a.cell - b.cell);

  fs.writeFileSync(output, formatNotebook(nb));
  res.ok = !res.error && !res.stderr_cells.length && !res.late_outputs.length && !res.kernel_stderr.trim();
  return res;
}

module.exports = { runNotebook, outputFromMsg, errorPosition, cellRef };
