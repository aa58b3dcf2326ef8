"""Protocol tests of the linear-landscapes kernel beyond jupyter_kernel_test.

Run through `npm run test:kernel` (kernel/conformance.js sets JUPYTER_PATH to a private kernelspec prefix and
runs this from notebooks/). Covers the tslab gaps the project kernel fixes:

- nbclient: a throwing cell shows ename/evalue/traceback; with allow_errors=True the later cells still run
  (plain tslab aborted every request arriving within 200 ms after a failure, so nbclient skipped them);
  without allow_errors nbclient stops with the real error;
- stop_on_error semantics over the raw protocol: requests queued behind a failure are "aborted", requests
  sent after the error reply run, stop_on_error=False aborts nothing;
- comm_info_reply message type; interrupt of a busy loop; quick shutdown;
- start-up: N starts (env KERNEL_STARTS, default 5), time to kernel_info and to a first result, each < 10 s,
  and the kernel's stderr stays empty (also after compile and runtime errors).
"""
import os
import statistics
import tempfile
import time
import unittest

import nbformat
from jupyter_client.manager import KernelManager, start_new_kernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "linear-landscapes"
STARTS = int(os.environ.get("KERNEL_STARTS", "5"))
START_LIMIT = 10.0


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "TypeScript (linear-landscapes)", "language": "typescript"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def collect(kc, msg_id, timeout=30):
    """iopub messages (msg_type, content) of one request until its idle status."""
    out = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status":
            if m["content"]["execution_state"] == "idle":
                return out
            continue
        out.append((m["msg_type"], m["content"]))
    raise AssertionError("no idle status for %s" % msg_id)


def reply_for(kc, msg_id, timeout=30):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


class NbclientTests(unittest.TestCase):
    SOURCES = (
        'console.log("one")',
        'throw new RangeError("x must be positive; got -1")',
        'const t: number = "not a number";',
        'console.log("three")',
        "1 + 1",
    )

    def test_allow_errors_runs_later_cells_and_shows_errors(self):
        nb = notebook(*self.SOURCES)
        t0 = time.time()
        NotebookClient(nb, kernel_name=KERNEL, allow_errors=True, timeout=60,
                       resources={"metadata": {"path": os.getcwd()}}).execute()
        print("\n  nbclient, 5 cells with 2 failing, allow_errors: %.2f s" % (time.time() - t0))
        outs = [c.outputs for c in nb.cells]
        self.assertEqual(outs[0][0]["text"], "one\n")
        err = outs[1][0]
        self.assertEqual(err["output_type"], "error")
        self.assertEqual(err["ename"], "RangeError")
        self.assertEqual(err["evalue"], "x must be positive; got -1")
        self.assertTrue(err["traceback"] and all(isinstance(t, str) for t in err["traceback"]))
        self.assertEqual(outs[2][0]["output_type"], "error")
        self.assertEqual(outs[2][0]["ename"], "TSError")
        self.assertIn("not assignable to type 'number'", outs[2][0]["evalue"])
        # the 200 ms abort window of plain tslab would have skipped these two
        self.assertEqual(outs[3][0]["text"], "three\n")
        self.assertEqual(outs[4][0]["output_type"], "execute_result")
        self.assertEqual(outs[4][0]["data"]["text/plain"], "2")
        self.assertEqual([c.execution_count for c in nb.cells], [1, 2, 3, 4, 5])

    def test_without_allow_errors_nbclient_reports_the_real_error(self):
        nb = notebook(*self.SOURCES)
        with self.assertRaises(CellExecutionError) as cm:
            NotebookClient(nb, kernel_name=KERNEL, timeout=60,
                           resources={"metadata": {"path": os.getcwd()}}).execute()
        self.assertEqual(cm.exception.ename, "RangeError")
        self.assertIn("x must be positive; got -1", str(cm.exception))
        self.assertEqual(nb.cells[3].outputs, [])  # not run


class RawProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def run_burst(self, codes, stop_on_error):
        ids = [self.kc.execute(c, stop_on_error=stop_on_error) for c in codes]
        return [reply_for(self.kc, i)["content"]["status"] for i in ids]

    def test_stop_on_error_aborts_only_the_queued_requests(self):
        statuses = self.run_burst(['throw new Error("first")', "1", "2"], stop_on_error=True)
        self.assertEqual(statuses, ["error", "aborted", "aborted"])
        # sent right after the error reply (well within tslab's old 200 ms window): runs
        statuses = self.run_burst(['throw new Error("again")'], stop_on_error=True)
        t0 = time.time()
        mid = self.kc.execute("40 + 2")
        r = reply_for(self.kc, mid)
        self.assertEqual(statuses, ["error"])
        self.assertEqual(r["content"]["status"], "ok")
        self.assertLess(time.time() - t0, 5)

    def test_stop_on_error_false_aborts_nothing(self):
        statuses = self.run_burst(['throw new Error("first")', "1", "2"], stop_on_error=False)
        self.assertEqual(statuses, ["error", "ok", "ok"])

    def test_comm_info_reply_type(self):
        mid = self.kc.comm_info(target_name="jupyter.widget")
        r = reply_for(self.kc, mid)
        self.assertEqual(r["header"]["msg_type"], "comm_info_reply")
        self.assertEqual(r["content"], {"status": "ok", "comms": {}})

    def test_interrupt_busy_loop(self):
        mid = self.kc.execute("let spins = 0; while (true) { spins++; }")
        time.sleep(1.5)
        self.km.interrupt_kernel()
        r = reply_for(self.kc, mid, timeout=20)
        self.assertEqual(r["content"]["status"], "error")
        self.assertIn("interrupted", r["content"]["evalue"].lower())
        mid = self.kc.execute("'still alive'")
        self.assertEqual(reply_for(self.kc, mid)["content"]["status"], "ok")

    SURVEY_CELL = (
        'import { deepLinear, squareLoss, landscape, survey, lastSurvey, rng } from "linear-landscapes";\n'
        'await survey(landscape(deepLinear([4, 2, 4]), squareLoss(rng(1).gaussian(4, 4))), { runs: 200000, seed: 1, optimizer: "gd", optimizerOptions: { maxIter: 200 }, progress: false });'
    )

    def interrupt_survey(self, by_message):
        mid = self.kc.execute(self.SURVEY_CELL)
        time.sleep(4)
        if by_message:
            # interrupt_request on the control channel (what front ends send for interrupt_mode "message")
            msg = self.kc.session.msg("interrupt_request", {})
            self.kc.control_channel.send(msg)
        else:
            self.km.interrupt_kernel()
        r = reply_for(self.kc, mid, timeout=30)
        self.assertEqual(r["content"]["status"], "error", r["content"])
        # the interrupted cell's declarations (its import too) are rolled back: import again
        mid = self.kc.execute('import { lastSurvey } from "linear-landscapes";\n' "[lastSurvey().interrupted, lastSurvey().completed > 0, lastSurvey().completed < 200000]")
        outs = collect(self.kc, mid)
        r = reply_for(self.kc, mid)
        self.assertEqual(r["content"]["status"], "ok", (r["content"], outs))
        text = [c["data"]["text/plain"] for t, c in outs if t == "execute_result"]
        self.assertEqual(len(text), 1, outs)
        self.assertEqual(text[0].replace(" ", ""), "[true,true,true]")

    def test_interrupt_survey_by_signal(self):
        self.interrupt_survey(by_message=False)

    def test_interrupt_survey_by_message(self):
        self.interrupt_survey(by_message=True)

    def test_outputs_after_await_are_ordered(self):
        code = (
            'console.log("a");\n'
            '(globalThis as any)[Symbol.for("linear-landscapes.kernel.display")]('
            'new Promise(r => setTimeout(() => r({ "text/plain": "b" }), 200)));\n'
            'console.log("c");\n'
            "await new Promise(r => setTimeout(r, 10));\n"
            '"d"'
        )
        mid = self.kc.execute(code)
        outs = collect(self.kc, mid)
        reply_for(self.kc, mid)
        seq = [(t, c.get("text") or c.get("data", {}).get("text/plain")) for t, c in outs if t != "execute_input"]
        self.assertEqual(seq, [("stream", "a\n"), ("display_data", "b"), ("stream", "c\n"), ("execute_result", "d")])


class StartupTests(unittest.TestCase):
    def test_startup_time_and_clean_stderr(self):
        ready, first = [], []
        for i in range(STARTS):
            with tempfile.TemporaryFile(mode="w+") as err:
                t0 = time.time()
                km = KernelManager(kernel_name=KERNEL)
                km.start_kernel(stderr=err, cwd=os.getcwd())
                kc = km.client()
                kc.start_channels()
                try:
                    kc.wait_for_ready(timeout=60)
                    ready.append(time.time() - t0)
                    mid = kc.execute("1 + 1")
                    self.assertEqual(reply_for(kc, mid)["content"]["status"], "ok")
                    first.append(time.time() - t0)
                    if i == 0:  # errors are replies, never kernel stderr
                        for code in ['const s: string = 1;', 'throw new Error("x")', 'console.error("to the cell")']:
                            reply_for(kc, kc.execute(code))
                finally:
                    kc.stop_channels()
                    t1 = time.time()
                    km.shutdown_kernel()
                    shutdown = time.time() - t1
                err.seek(0)
                text = err.read()
                self.assertEqual(text, "", "kernel stderr at start %d: %r" % (i, text))
                self.assertLess(shutdown, 4.0, "shutdown took %.1f s" % shutdown)
        print("\n  kernel starts: %d; ready (kernel_info): %s s; first result: %s s; median first result %.2f s"
              % (STARTS, " ".join("%.2f" % x for x in ready), " ".join("%.2f" % x for x in first),
                 statistics.median(first)))
        for x in first:
            self.assertLess(x, START_LIMIT)


class InstallTests(unittest.TestCase):
    """kernel/install.js: private prefix mode, idempotence, user mode, and the message without Jupyter."""

    ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    def install(self, *args, env=None):
        import subprocess
        return subprocess.run(["node", os.path.join(self.ROOT, "kernel", "install.js"), *args],
                              capture_output=True, text=True, env=env, timeout=60)

    def test_prefix_mode_is_idempotent(self):
        import json
        with tempfile.TemporaryDirectory() as d:
            r = self.install("--prefix", d)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("installed", r.stdout)
            spec_file = os.path.join(d, "kernels", KERNEL, "kernel.json")
            with open(spec_file) as f:
                spec = json.load(f)
            self.assertEqual(spec["display_name"], "TypeScript (linear-landscapes)")
            self.assertEqual(spec["language"], "typescript")
            self.assertTrue(os.path.isabs(spec["argv"][0]) and os.path.exists(spec["argv"][0]))
            self.assertEqual(spec["argv"][1:], [os.path.join(self.ROOT, "kernel", "main.js"), "{connection_file}"])
            mtime = os.stat(spec_file).st_mtime_ns
            r = self.install("--prefix", d)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("up to date", r.stdout)
            self.assertEqual(os.stat(spec_file).st_mtime_ns, mtime)

    def test_user_mode_without_jupyter_names_how_to_get_it(self):
        r = self.install(env=dict(os.environ, LINEAR_LANDSCAPES_JUPYTER="/nonexistent/jupyter"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("pip install jupyterlab", r.stderr)
        self.assertIn("apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient", r.stderr)


class NpmStartTests(unittest.TestCase):
    """`npm start` (kernel/start.js): registers the kernel, serves notebooks/ on loopback with a token."""

    def test_start_serves_on_loopback_with_token(self):
        import json
        import secrets
        import signal
        import socket
        import subprocess
        import urllib.error
        import urllib.request

        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        prefix = os.environ.get("JUPYTER_PATH", "").split(os.pathsep)[0] or os.path.join(root, "build", "jupyter-test")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        token = secrets.token_hex(16)
        env = dict(os.environ, JUPYTER_TOKEN=token, BROWSER="true")
        log = tempfile.TemporaryFile(mode="w+")
        t0 = time.time()
        proc = subprocess.Popen(
            ["node", os.path.join(root, "kernel", "start.js"), "--prefix", prefix, "--no-browser", "--port=%d" % port],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        base = "http://127.0.0.1:%d" % port

        def get(path, method="GET", auth=True):
            req = urllib.request.Request(base + path, method=method)
            if auth:
                req.add_header("Authorization", "token " + token)
            with urllib.request.urlopen(req, timeout=10) as r:
                body = r.read()
                return r.status, (json.loads(body) if body else None)

        try:
            deadline = time.time() + 60
            while True:
                try:
                    status, specs = get("/api/kernelspecs")
                    break
                except (urllib.error.URLError, ConnectionError):
                    if time.time() > deadline or proc.poll() is not None:
                        log.seek(0)
                        self.fail("jupyter did not serve within 60 s:\n" + log.read())
                    time.sleep(0.3)
            served = time.time() - t0
            self.assertEqual(status, 200)
            self.assertIn(KERNEL, specs["kernelspecs"])
            self.assertEqual(specs["kernelspecs"][KERNEL]["spec"]["display_name"], "TypeScript (linear-landscapes)")
            with self.assertRaises(urllib.error.HTTPError) as cm:
                get("/api/kernelspecs", auth=False)
            self.assertEqual(cm.exception.code, 403)
            # the server lists notebooks/ and can start the project kernel
            status, contents = get("/api/contents")
            self.assertEqual(status, 200)
            req = urllib.request.Request(base + "/api/kernels", data=json.dumps({"name": KERNEL}).encode(), method="POST")
            req.add_header("Authorization", "token " + token)
            req.add_header("Content-Type", "application/json")
            with urllib.request.urlopen(req, timeout=30) as r:
                kernel = json.loads(r.read())
            self.assertEqual(kernel["name"], KERNEL)
            get("/api/kernels/%s" % kernel["id"], method="DELETE")
            print("\n  npm start: serving after %.1f s on %s (token required), kernel started via REST" % (served, base))
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            self.assertIsNotNone(proc.returncode)
            log.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
