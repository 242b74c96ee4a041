"""Jupyter's own kernel test suite (jupyter_kernel_test) against the project's tslab kernel.

Run by test/kernel/kernel-protocol.test.ts: JUPYTER_PATH=<project>/.jupyter python3 -m unittest test_tslab_kernel
"""

import os
import unittest

import jupyter_kernel_test


class TslabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("KERNEL_NAME", "tslab")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("a line on stderr");'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const aardvarkLength = 3;\naardvarkLen", "matches": {"aardvarkLength"}},
    ]

    complete_code_samples = ["const one = 1;", "console.log(1)", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "const list = [1,", "if (true) {\n  console.log(1);"]
    # Left empty: tslab's is_complete answers "complete" or "incomplete" only; code that cannot
    # become valid by adding lines is left for the compiler to report when the cell runs.
    invalid_code_samples = []

    code_inspect_sample = "Math.max"

    code_generate_error = 'throw new Error("a failing cell");'

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>bold</b>");', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("**bold**");', "mime": "text/markdown"},
    ]

    # Left empty, so test_execute_result and test_history do not run: tslab prints the value of a
    # cell's last expression as stdout text (no execute_result message), and it keeps no history
    # (no history_reply).
    code_execute_result = []
    # Left empty, so test_pager does not run: tslab has no pager (no payloads in execute_reply).
    code_page_something = ""
    # Left empty, so test_clear_output does not run: tslab's display API has no clear_output.
    code_clear_output = ""


if __name__ == "__main__":
    unittest.main()
