#!/usr/bin/python3
"""Execute notebooks with nbclient, several at a time, and report what happened as JSON.

The cross-check of the Node course runner: called by kernel/crosscheck.js (`npm test`), which compares its
notebooks with those `npm run course` wrote. One asyncio loop runs up to
--jobs notebooks at once, each on its own kernel (`--kernel`, found through JUPYTER_PATH). For every
notebook it records: wall time, the first failing cell (index, ename, evalue, traceback without ANSI
colours), the cells that wrote to the kernel's stderr stream (tslab reports type errors there), and the
kernel process's own stderr, captured in a log file per notebook. The executed notebook is written to
--out even when a cell failed (up to the failing cell), so the failure can be inspected.

Python is Debian's (/usr/bin/python3) with nbclient 0.7 and jupyter_client 7.
"""
import argparse
import asyncio
import json
import os
import re
import sys
import time
import traceback as tb_mod

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


def strip_ansi(text):
    return ANSI.sub("", text or "")


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []) or [])


class TrackingClient(NotebookClient):
    """NotebookClient that remembers which cell is running, so failures can name it."""

    current_index = None
    cell_times = None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_index = cell_index
        t0 = time.monotonic()
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            if self.cell_times is not None and cell.get("cell_type") == "code":
                self.cell_times.append([cell_index, round(time.monotonic() - t0, 3)])


def first_line(src):
    for line in (src or "").splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def error_from_outputs(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return {
                "ename": out.get("ename", ""),
                "evalue": strip_ansi(out.get("evalue", "")),
                "traceback": strip_ansi("\n".join(out.get("traceback", []) or [])),
            }
    return None


def stderr_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
    return strip_ansi("".join(parts))


async def run_one(path, args, sem, results, log):
    name = os.path.splitext(os.path.basename(path))[0]
    res = {
        "notebook": name,
        "source": path,
        "output": os.path.join(args.out, os.path.basename(path)),
        "kernel_log": os.path.join(args.logs, name + ".kernel-stderr.log"),
        "ok": False,
        "wall": None,
        "error": None,
        "cell_errors": [],
        "stderr_cells": [],
        "kernel_stderr": "",
        "cell_times": [],
    }
    results.append(res)
    async with sem:
        t0 = time.monotonic()
        log(f"[course] start  {name}")
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:  # unreadable notebook
            res["error"] = {"cell": None, "ename": type(e).__name__, "evalue": str(e), "traceback": "", "source": ""}
            res["wall"] = round(time.monotonic() - t0, 3)
            log(f"[course] FAIL   {name}: cannot read: {e}")
            return
        client = TrackingClient(
            nb,
            kernel_name=args.kernel,
            timeout=args.timeout,
            startup_timeout=args.startup_timeout,
            allow_errors=args.allow_errors,
            record_timing=False,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        client.cell_times = res["cell_times"]
        os.makedirs(args.logs, exist_ok=True)
        exc = None
        with open(res["kernel_log"], "wb") as err_fh, open(os.path.join(args.logs, name + ".kernel-stdout.log"), "wb") as out_fh:
            try:
                await client.async_execute(stderr=err_fh, stdout=out_fh)
            except (CellExecutionError, CellTimeoutError, DeadKernelError, Exception) as e:  # noqa: B014
                exc = e
        res["wall"] = round(time.monotonic() - t0, 3)
        with open(res["kernel_log"], "rb") as fh:
            res["kernel_stderr"] = strip_ansi(fh.read().decode("utf-8", "replace"))

        # Cells that failed (with allow_errors several may have) and cells that wrote to stderr.
        for i, cell in enumerate(nb.cells):
            if cell.get("cell_type") != "code":
                continue
            allowed = "raises-exception" in tags(cell)
            err = error_from_outputs(cell)
            if err and not allowed:
                res["cell_errors"].append(dict(err, cell=i, source=first_line(cell.get("source"))))
            text = stderr_text(cell)
            if text and not allowed and "allow-stderr" not in tags(cell):
                res["stderr_cells"].append({"cell": i, "text": text, "source": first_line(cell.get("source"))})

        if exc is not None:
            idx = client.current_index
            if isinstance(exc, CellTimeoutError):
                res["cell_errors"] = [e for e in res["cell_errors"] if e["cell"] != idx]
            cell = nb.cells[idx] if idx is not None and idx < len(nb.cells) else {}
            err = error_from_outputs(cell) if cell else None
            if err is None:
                err = {
                    "ename": getattr(exc, "ename", None) or type(exc).__name__,
                    "evalue": strip_ansi(getattr(exc, "evalue", None) or str(exc)),
                    "traceback": strip_ansi(getattr(exc, "traceback", None) or "".join(tb_mod.format_exception_only(type(exc), exc))),
                }
            if isinstance(exc, CellTimeoutError):
                kernel_said = f"{err['ename']}: {err['evalue']}" if err and err.get("ename") else ""
                err = {
                    "ename": "CellTimeoutError",
                    "evalue": f"the cell ran longer than the per-cell timeout of {args.timeout} s and was interrupted",
                    "traceback": kernel_said or strip_ansi(str(exc)),
                }
            res["error"] = dict(err, cell=idx, source=first_line(cell.get("source") if cell else ""))
        elif res["cell_errors"]:
            res["error"] = res["cell_errors"][0]

        os.makedirs(args.out, exist_ok=True)
        try:
            nbformat.write(nb, res["output"])
        except Exception as e:
            log(f"[course] warning: could not write {res['output']}: {e}")
        res["ok"] = res["error"] is None and not res["stderr_cells"] and not res["kernel_stderr"].strip()
        log(f"[course] {'done ' if res['ok'] else 'FAIL '}  {name}  {res['wall']:.1f} s")


async def main_async(args):
    sem = asyncio.Semaphore(max(1, args.jobs))
    results = []

    def log(msg):
        print(msg, flush=True)

    # Schedule in the order given (course.js sorts longest-first from earlier timings); results are
    # reported back in notebook order by course.js.
    await asyncio.gather(*(run_one(p, args, sem, results, log) for p in args.notebooks))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--kernel", default="linear-landscapes")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120, help="per-cell timeout in seconds")
    ap.add_argument("--startup-timeout", type=int, default=60)
    ap.add_argument("--allow-errors", action="store_true")
    ap.add_argument("--out", required=True, help="folder for executed notebooks")
    ap.add_argument("--logs", required=True, help="folder for kernel logs")
    ap.add_argument("--results", required=True, help="JSON file for the per-notebook results")
    args = ap.parse_args()
    results = asyncio.run(main_async(args))
    with open(args.results, "w") as fh:
        json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
