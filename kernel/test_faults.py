"""Fault tests of the linear-landscapes kernel: interrupts, process.exit, errors of code a cell scheduled.

Run through `npm run test:kernel` (kernel/conformance.js, suite "faults"; private kernelspec, cwd notebooks/).
Each test starts its own kernel (a test that wedges a kernel must not take the others with it). Every
item here failed on the kernel before kernel/tslab-ext/faults.js + watchdog.js:

- interrupt (SIGINT, and interrupt_request on the control channel) stops busy code within INTERRUPT_LIMIT
  seconds (default 2) when it runs synchronously, after an `await`, or in a timer the cell scheduled; the
  interrupted cell replies with a KeyboardInterrupt error, the next cell runs, and earlier cells' variables
  survive;
- `process.exit(1)`, `process.abort()`, `process.kill(process.pid)` in a cell are error replies
  (ExitRefusedError, saying to restart the kernel) and the kernel stays alive;
- an exception or rejection thrown in a timer is an `error` output of the cell that scheduled it (by parent
  header), never a stream on the cell running at the time; nbclient (the course runner's engine) runs the next
  cell clean; an error in a callback while its cell still awaits fails that cell instead of hanging it.
"""
import os
import signal
import tempfile
import time
import unittest

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

KERNEL = "linear-landscapes"
INTERRUPT_LIMIT = float(os.environ.get("KERNEL_INTERRUPT_LIMIT", "2.0"))


def reply_for(kc, msg_id, timeout=30):
    deadline = time.time() + timeout
    while True:
        r = kc.get_shell_msg(timeout=max(0.01, deadline - time.time()))
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def drain_iopub(kc, seconds):
    """Every iopub message (msg_type, parent msg_id, content) arriving within `seconds`."""
    out = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.01, deadline - time.time()))
        except Exception:
            break
        out.append((m["msg_type"], m["parent_header"].get("msg_id"), m["content"]))
    return out


class KernelFaultTest(unittest.TestCase):
    def setUp(self):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60, stderr=self.stderr)

    def tearDown(self):
        self.kc.stop_channels()
        t0 = time.time()
        self.km.shutdown_kernel()  # shutdown_request: the kernel's own exit path, with the watchdog thread running
        took = time.time() - t0
        self.stderr.seek(0)
        text = self.stderr.read()
        self.stderr.close()
        # faults are reported to cells, never on the kernel's stderr; shutdown is prompt
        self.assertEqual(text, "", "kernel stderr: %r" % text)
        self.assertLess(took, 4.0, "shutdown took %.1f s" % took)

    def run_ok(self, code, timeout=30):
        mid = self.kc.execute(code)
        r = reply_for(self.kc, mid, timeout)
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        return mid

    def interrupt(self, by_message):
        if by_message:
            self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))
        else:
            self.km.signal_kernel(signal.SIGINT)

    def assert_alive_with_state(self):
        """The next cell runs and sees a variable of a cell before the interruption."""
        mid = self.kc.execute("before + 1")
        r = reply_for(self.kc, mid, 20)
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        self.seen = drain_iopub(self.kc, 1.0)
        results = [c for t, p, c in self.seen if t == "execute_result" and p == mid]
        self.assertEqual([c["data"]["text/plain"] for c in results], ["42"])


class InterruptTests(KernelFaultTest):
    def interrupt_running_cell(self, code, by_message, times=1):
        self.run_ok("let before = 41;")
        mid = self.kc.execute(code)
        time.sleep(1.5)  # the cell is busy by now
        t0 = time.time()
        for _ in range(times):
            self.interrupt(by_message)
        r = reply_for(self.kc, mid, 30)
        took = time.time() - t0
        self.assertEqual(r["content"]["status"], "error", r["content"])
        self.assertEqual(r["content"]["ename"], "KeyboardInterrupt")
        self.assertIn("interrupted", r["content"]["evalue"])
        self.assertLess(took, INTERRUPT_LIMIT, "interrupt took %.2f s" % took)
        print("\n  interrupt (%s): reply after %.2f s" % ("message" if by_message else "signal", took))
        self.assert_alive_with_state()
        # reported once: the stopped code belongs to the cell this interrupt ended
        errors = [c["ename"] for t, p, c in self.seen if t == "error" and p == mid]
        self.assertEqual(errors, ["KeyboardInterrupt"])

    def test_sync_busy_loop_by_message(self):
        self.interrupt_running_cell("let n = 0; while (true) { n++; }", by_message=True)

    def test_busy_loop_after_await_by_signal_twice(self):
        # a user pressing interrupt twice: still one KeyboardInterrupt on the cell
        self.interrupt_running_cell("await new Promise(r => setTimeout(r, 10));\nwhile (true) {}", by_message=False, times=2)

    def test_busy_loop_after_await_by_message(self):
        self.interrupt_running_cell("await new Promise(r => setTimeout(r, 10));\nwhile (true) {}", by_message=True)

    def busy_timer(self, by_message, schedule):
        self.run_ok("let before = 41;")
        timer_cell = self.run_ok("%s(() => { while (true) {} }, 10);" % schedule)
        time.sleep(0.5)  # the callback has started by now
        mid = self.kc.execute("before + 1")
        with self.assertRaises(Exception):  # stuck behind the busy timer
            reply_for(self.kc, mid, 1.5)
        t0 = time.time()
        self.interrupt(by_message)
        r = reply_for(self.kc, mid, 30)
        took = time.time() - t0
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        self.assertLess(took, INTERRUPT_LIMIT, "interrupt took %.2f s" % took)
        print("\n  busy %s, interrupt (%s): next cell's reply after %.2f s" % (schedule, "message" if by_message else "signal", took))
        msgs = drain_iopub(self.kc, 1.5)
        self.assertIn("42", [c["data"]["text/plain"] for t, p, c in msgs if t == "execute_result" and p == mid])
        # the stopped callback is reported on the cell that scheduled it, not on the running one
        errors = [(p, c["ename"]) for t, p, c in msgs if t == "error"]
        self.assertEqual(errors, [(timer_cell, "KeyboardInterrupt")])
        self.assert_alive_with_state()

    def test_busy_timer_by_signal(self):
        self.busy_timer(by_message=False, schedule="setTimeout")

    def test_busy_interval_by_message(self):
        self.busy_timer(by_message=True, schedule="setInterval")


class ShutdownTests(KernelFaultTest):
    def test_shutdown_of_a_busy_kernel_is_prompt(self):
        # tearDown shuts down with shutdown_request and requires < 4 s (the client would kill after 5 s) and
        # an empty stderr: the busy code is stopped so that the kernel answers and exits by itself
        self.kc.execute("while (true) {}")
        time.sleep(1.0)


class ExitTests(KernelFaultTest):
    def test_exit_abort_kill_are_refused(self):
        self.run_ok("let before = 41;")
        for code in ["process.exit(1)", "process.exit()", "process.abort()", "process.kill(process.pid)",
                     'process.kill(process.pid, "SIGKILL")', "setTimeout(() => process.exit(3), 0); await new Promise(r => setTimeout(r, 200));"]:
            mid = self.kc.execute(code)
            r = reply_for(self.kc, mid, 20)
            self.assertEqual(r["content"]["status"], "error", (code, r["content"]))
            self.assertEqual(r["content"]["ename"], "ExitRefusedError", code)
            self.assertIn("restart the kernel", r["content"]["evalue"], code)
            self.assertTrue(self.km.is_alive(), code)
        self.assert_alive_with_state()
        # signal 0 only checks that the process exists: allowed
        self.run_ok("process.kill(process.pid, 0)")


class ScheduledErrorTests(KernelFaultTest):
    def late_error(self, throwing, ename, evalue):
        a = self.run_ok("setTimeout(%s, 300);" % throwing)
        b = self.kc.execute('await new Promise(r => setTimeout(r, 1200));\n"b"')
        r = reply_for(self.kc, b, 30)
        self.assertEqual(r["content"]["status"], "ok", r["content"])
        msgs = drain_iopub(self.kc, 1.0)
        on_b = [(t, c) for t, p, c in msgs if p == b and t not in ("status", "execute_input")]
        self.assertEqual(on_b, [("execute_result", {"execution_count": 2, "data": {"text/plain": "b"}, "metadata": {}})])
        on_a = [c for t, p, c in msgs if p == a and t == "error"]
        self.assertEqual([(c["ename"], c["evalue"]) for c in on_a], [(ename, evalue)])

    def test_exception_in_timer_goes_to_the_scheduling_cell(self):
        self.late_error('() => { throw new RangeError("late") }', "RangeError", "late")

    def test_rejection_in_timer_goes_to_the_scheduling_cell(self):
        self.late_error('async () => { throw new TypeError("rejected late") }', "TypeError", "rejected late")

    def test_error_in_callback_fails_the_awaiting_cell(self):
        mid = self.kc.execute('await new Promise(r => setTimeout(() => { JSON.parse("{"); r(1); }, 50));\n"never"')
        r = reply_for(self.kc, mid, 10)
        self.assertEqual(r["content"]["status"], "error", r["content"])
        self.assertEqual(r["content"]["ename"], "SyntaxError")

    def test_nbclient_runs_the_next_cell_clean(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "TypeScript (linear-landscapes)", "language": "typescript"}
        nb.cells = [nbformat.v4.new_code_cell(s) for s in (
            'setTimeout(() => { throw new Error("late") }, 200);',
            'await new Promise(r => setTimeout(r, 800));\n"second"',
        )]
        NotebookClient(nb, kernel_name=KERNEL, timeout=60, resources={"metadata": {"path": os.getcwd()}}).execute()
        self.assertEqual([o["output_type"] for o in nb.cells[1].outputs], ["execute_result"], nb.cells[1].outputs)


if __name__ == "__main__":
    unittest.main(verbosity=2)
