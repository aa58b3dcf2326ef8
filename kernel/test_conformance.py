"""jupyter_kernel_test conformance suite for the linear-landscapes kernel.

Run through `npm run test:kernel` (kernel/conformance.js), which installs the kernelspec into a private prefix
and sets JUPYTER_PATH. Every sample attribute jupyter_kernel_test 0.4.x knows is set:

    kernel_info (language_name, file_extension), code_hello_world, code_stderr, completion_samples,
    complete_code_samples, incomplete_code_samples, invalid_code_samples, code_page_something,
    code_generate_error, code_execute_result, code_display_data, code_history_pattern +
    supported_history_operations, code_inspect_sample, code_clear_output

plus checks beyond the library's own tests (one bundle carries all chart MIME types; compile errors are
errors; error replies carry ename/evalue/traceback; kernel_info status; comm_info_reply type).
"""
import unittest

import jupyter_kernel_test as jkt
from jupyter_kernel_test.msgspec_v5 import validate_message

DISPLAY_HOOK = 'Symbol.for("linear-landscapes.kernel.display")'
CLEAR_HOOK = 'Symbol.for("linear-landscapes.kernel.clearOutput")'

# A chart-like bundle: what a chart of src/plots sends (vega-lite JSON + PNG + text), built inline so the
# suite does not depend on the library. The PNG is a valid 1x1 image.
PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
VEGALITE = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"x": 0, "y": 1}, {"x": 1, "y": 0}]},
    "mark": "line",
    "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
}
CHART_CLASS = (
    "class Chart { [Symbol.for(\"Jupyter.display\")]() { return new Promise<Record<string, unknown>>(r => "
    "setTimeout(() => r({ \"application/vnd.vegalite.v5+json\": %s, \"image/png\": \"%s\", "
    "\"text/plain\": \"Chart: line through 2 points\" }), 20)); }\n"
    # output metadata: the CSS size of the PNG (src/display/mime.ts, JUPYTER_DISPLAY_METADATA)
    "  [Symbol.for(\"Jupyter.display.metadata\")]() { return Promise.resolve({ \"image/png\": { width: 1, height: 1 } }); } }\n"
) % (
    '{"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"x": 0, "y": 1}, '
    '{"x": 1, "y": 0}]}, "mark": "line", "encoding": {"x": {"field": "x", "type": "quantitative"}, '
    '"y": {"field": "y", "type": "quantitative"}}}',
    PNG_1x1,
)
DISPLAY_CHART = CHART_CLASS + (
    "((c: Chart) => (globalThis as any)[%s](c[Symbol.for(\"Jupyter.display\")](), "
    "{ metadata: c[Symbol.for(\"Jupyter.display.metadata\")]() }))(new Chart());\n"
) % DISPLAY_HOOK
PNG_METADATA = {"image/png": {"width": 1, "height": 1}}
RESULT_CHART = CHART_CLASS + "new Chart()\n"
CHART_MIMES = ["application/vnd.vegalite.v5+json", "image/png", "text/plain"]


class LinearLandscapesKernelTests(jkt.KernelTests):
    kernel_name = "linear-landscapes"

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'

    code_stderr = 'console.error("some error")'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const zebraLength = 3;\nzebraL", "matches": {"zebraLength"}},
        {"text": "cons", "matches": {"console", "const"}},
    ]

    complete_code_samples = ["1", "const x = 1;", 'console.log("hi")', "function f(a: number) {\n  return a;\n}"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {", "foo(", "`multi-line"]
    invalid_code_samples = ["1 +* 2", "let = ;", ")", "}"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2, 3].map(x => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": '({ a: 1, b: "x" })', "result": "{ a: 1, b: 'x' }"},
        {"code": RESULT_CHART, "mime": "application/vnd.vegalite.v5+json", "result": VEGALITE},
        {"code": RESULT_CHART, "mime": "image/png", "result": PNG_1x1},
    ]

    code_display_data = [
        {"code": DISPLAY_CHART, "mime": "application/vnd.vegalite.v5+json"},
        {"code": DISPLAY_CHART, "mime": "image/png"},
        {"code": DISPLAY_CHART, "mime": "text/plain"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("**bold**")', "mime": "text/markdown"},
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'console.log("soon gone");\n(globalThis as any)[%s]();' % CLEAR_HOOK

    # ---- beyond jupyter_kernel_test -------------------------------------------------------------------

    def test_kernel_info_status_and_language(self):
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.get_non_kernel_info_reply_for(msg_id)
        c = reply["content"]
        self.assertEqual(c["status"], "ok")
        self.assertEqual(c["protocol_version"], "5.3")
        li = c["language_info"]
        self.assertEqual((li["name"], li["file_extension"], li["mimetype"]), ("typescript", ".ts", "text/typescript"))
        self.assertEqual(li["codemirror_mode"]["mode"], "typescript")

    def get_non_kernel_info_reply_for(self, msg_id):
        while True:
            reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def test_display_data_bundle_has_every_chart_mime(self):
        self.flush_channels()
        reply, outs = self.execute_helper(DISPLAY_CHART)
        self.assertEqual(reply["content"]["status"], "ok")
        displays = [m for m in outs if m["msg_type"] == "display_data"]
        self.assertEqual(len(displays), 1)
        data = displays[0]["content"]["data"]
        self.assertEqual(sorted(data), sorted(CHART_MIMES))
        self.assertEqual(data["application/vnd.vegalite.v5+json"], VEGALITE)  # a JSON object, not a string
        self.assertEqual(data["image/png"], PNG_1x1)
        self.assertEqual(displays[0]["content"]["metadata"], PNG_METADATA)  # the display hook's metadata option

    def test_execute_result_rich_bundle_with_count(self):
        self.flush_channels()
        reply, outs = self.execute_helper(RESULT_CHART)
        results = [m for m in outs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(sorted(results[0]["content"]["data"]), sorted(CHART_MIMES))
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])
        self.assertEqual(results[0]["content"]["metadata"], PNG_METADATA)  # the value's metadata method
        self.assertFalse([m for m in outs if m["msg_type"] == "stream"], "last value must not be stdout text")

    def test_undefined_gives_no_execute_result(self):
        self.flush_channels()
        reply, outs = self.execute_helper("let nothing = undefined;\nnothing")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m["msg_type"] for m in outs], [])

    def test_runtime_error_fields(self):
        self.flush_channels()
        code = 'class ClaimError extends Error { name = "ClaimError"; }\nthrow new ClaimError("T1: expected 2, measured 3")'
        reply, outs = self.execute_helper(code)
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "ClaimError")
        self.assertEqual(c["evalue"], "T1: expected 2, measured 3")
        self.assertTrue(c["traceback"] and all(isinstance(t, str) for t in c["traceback"]))
        self.assertIn("ClaimError: T1: expected 2, measured 3", c["traceback"][0])
        errors = [m for m in outs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "ClaimError")

    def test_compile_error_is_an_error_not_stderr(self):
        self.flush_channels()
        reply, outs = self.execute_helper('const n: number = "not a number";')
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "TSError")
        self.assertIn("Type 'string' is not assignable to type 'number'", c["evalue"])
        self.assertEqual([m["msg_type"] for m in outs], ["error"])

    def test_comm_info_reply(self):
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.get_non_kernel_info_reply_for(msg_id)
        validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})

    def test_display_update_with_display_id(self):
        self.flush_channels()
        code = (
            "const hook = (globalThis as any)[%s];\n"
            'hook({ "text/plain": "v1" }, { displayId: "d1" });\n'
            'hook(Promise.resolve({ "text/plain": "v2" }), { displayId: "d1", update: true });\n'
            'console.log("after")'
        ) % DISPLAY_HOOK
        reply, outs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in outs]
        self.assertEqual(kinds, ["display_data", "update_display_data", "stream"])  # order preserved
        self.assertEqual(outs[0]["content"]["transient"], {"display_id": "d1"})
        self.assertEqual(outs[1]["content"]["transient"], {"display_id": "d1"})
        self.assertEqual(outs[1]["content"]["data"]["text/plain"], "v2")

    def test_rejected_display_fails_the_cell(self):
        self.flush_channels()
        code = "(globalThis as any)[%s](Promise.reject(new RangeError(\"no png\")))" % DISPLAY_HOOK
        reply, outs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "RangeError")


if __name__ == "__main__":
    unittest.main(verbosity=2)
