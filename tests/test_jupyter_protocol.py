"""The Jupyter messaging protocol, checked with jupyter_kernel_test.

`RcourseKernelTests` fills every sample attribute of
`jupyter_kernel_test.KernelTests`; the extra `test_*` methods check details
that the generic suite leaves open (exact texts, ordering, indentation).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import jupyter_kernel_test
import pytest
from jupyter_client.manager import start_new_kernel
from jupyter_kernel_test import ensure_sync, validate_message

from conftest import FIRST_CELL_TIMEOUT, KERNEL_NAME, REQUEST_TIMEOUT, STARTUP_TIMEOUT, Kernel, start_kernel

# jupyter_kernel_test reads this module constant at call time (kernel_info and
# inspect replies); its default of 15 s is too short for a busy machine.
jupyter_kernel_test.TIMEOUT = 60

# A block of evcxr's display protocol, printed as crates such as evcxr_image
# and plotters print it.
def evcxr_block(mime: str, content: str) -> str:
    return f'println!("EVCXR_BEGIN_CONTENT {mime}\\n{content}\\nEVCXR_END_CONTENT");'


EVCXR_BOLD = evcxr_block("text/html", "<b>bold</b>")

# Variables defined by setUpClass, used by the completion samples.
SETUP_CODE = "let zz_ferris_count = 3;\nlet zz_ferris_name = String::from(\"Ferris\");"


class RcourseKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME

    # kernel_info_reply.language_info
    language_name = "rust"
    file_extension = ".rs"

    # stream output
    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("something went wrong");'

    # complete_request: `matches` is compared as an exact set.
    completion_samples = [
        # Variables defined in an earlier cell (setUpClass).
        {"text": "zz_ferris_", "matches": {"zz_ferris_count", "zz_ferris_name"}},
        {"text": "let n = zz_ferris_c", "matches": {"zz_ferris_count"}},
    ]

    # is_complete_request
    complete_code_samples = [
        "1 + 1",
        "let x = 1;",
        'println!("done");',
        "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}",
        "struct Point { x: i32, y: i32 }",
    ]
    incomplete_code_samples = [
        "fn f() {",
        "let v = vec![1,",
        "struct Point {\n    x: i32,",
        'let s = "unterminated',
    ]
    invalid_code_samples = [
        "}",
        "let x = (1, 2];",
    ]

    # A compile error: exactly one `error` message and nothing else.
    code_generate_error = 'let x: i32 = "not a number";'

    # execute_result text/plain (Debug formatting of the trailing expression)
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "vec![1, 2, 3]", "result": "[1, 2, 3]"},
        {"code": 'format!("{}-{}", "a", 1)', "result": '"a-1"'},
    ]

    # display_data from the course library's prelude, and from evcxr's display
    # protocol as other crates print it
    code_display_data = [
        {"code": 'display(Html("<b>hi</b>".to_string()));', "mime": "text/html"},
        {"code": EVCXR_BOLD, "mime": "text/html"},
    ]

    # history_request: the pattern is a glob that matches one of code_execute_result.
    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    # inspect_request
    code_inspect_sample = "Vec"

    # clear_output from the prelude
    code_clear_output = 'println!("soon gone");\nclear_output();'

    # pager payload
    code_page_something = "Vec?"

    @classmethod
    def setUpClass(cls) -> None:
        cls.km, cls.kc = start_new_kernel(kernel_name=cls.kernel_name, startup_timeout=STARTUP_TIMEOUT)
        kernel = Kernel(cls.km, cls.kc)
        try:
            # The first cell starts the engine; the first completion and
            # inspection load the standard library sources.  All may take far
            # longer than the generic suite's per-reply timeout.
            res = kernel.execute(SETUP_CODE, FIRST_CELL_TIMEOUT)
            assert res.status == "ok", res.describe()
            kernel.complete("zz_ferris_", timeout=FIRST_CELL_TIMEOUT)
            kernel.inspect("Vec", timeout=FIRST_CELL_TIMEOUT)
            kernel.drain(0.5)
        except BaseException:
            cls.kc.stop_channels()
            cls.km.shutdown_kernel(now=True)
            raise

    def execute_helper(
        self,
        code: str,
        timeout: int = 120,
        silent: bool = False,
        store_history: bool = True,
        stop_on_error: bool = True,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The upstream helper with timeouts suited to a compiled language.

        Same checks as jupyter_kernel_test's version (busy first, execute_input
        echoes the code, idle last), but it waits up to 10 s rather than 0.1 s
        for each iopub message after the reply, so a loaded machine cannot make
        it flaky.
        """
        msg_id = self.kc.execute(
            code=code, silent=silent, store_history=store_history, stop_on_error=stop_on_error
        )

        reply = self.get_non_kernel_info_reply(timeout=timeout)
        assert reply is not None
        validate_message(reply, "execute_reply", msg_id)

        busy_msg = ensure_sync(self.kc.iopub_channel.get_msg)(timeout=10)
        validate_message(busy_msg, "status", msg_id)
        self.assertEqual(busy_msg["content"]["execution_state"], "busy")

        output_msgs = []
        while True:
            msg = ensure_sync(self.kc.iopub_channel.get_msg)(timeout=10)
            validate_message(msg, msg["msg_type"], msg_id)
            if msg["msg_type"] == "status":
                self.assertEqual(msg["content"]["execution_state"], "idle")
                break
            if msg["msg_type"] == "execute_input":
                self.assertEqual(msg["content"]["code"], code)
                continue
            output_msgs.append(msg)

        return reply, output_msgs

    def get_non_kernel_info_reply(self, timeout: float | None = None) -> dict[str, Any] | None:
        # Upstream waits forever when no timeout is given (completion and
        # is_complete); bound it so a silent kernel fails instead of hanging.
        return super().get_non_kernel_info_reply(timeout=REQUEST_TIMEOUT if timeout is None else timeout)

    def _kernel(self) -> Kernel:
        self.flush_channels()
        return Kernel(self.km, self.kc)

    # -- details beyond the generic suite --------------------------------------

    def test_kernel_info_details(self) -> None:
        reply = self._kernel().kernel_info()
        validate_message(reply, "kernel_info_reply")
        content = reply["content"]
        self.assertTrue(content["protocol_version"].startswith("5.3"), content["protocol_version"])
        info = content["language_info"]
        self.assertEqual(info["name"], "rust")
        self.assertEqual(info["file_extension"], ".rs")
        self.assertIn("mimetype", info)

    def test_stdout_text_is_exact(self) -> None:
        res = self._kernel().execute('println!("first");\nprintln!("second");')
        self.assertEqual(res.status, "ok", res.describe())
        self.assertEqual(res.stdout, "first\nsecond\n")
        self.assertEqual(res.stderr, "")

    def test_stderr_text_is_exact(self) -> None:
        res = self._kernel().execute('eprintln!("to stderr");\nprintln!("to stdout");')
        self.assertEqual(res.status, "ok", res.describe())
        self.assertEqual(res.stderr, "to stderr\n")
        self.assertEqual(res.stdout, "to stdout\n")

    def test_variables_persist_across_cells(self) -> None:
        k = self._kernel()
        k.execute_ok("let persisted = vec![10, 20, 30];")
        res = k.execute_ok("persisted.iter().sum::<i32>()")
        self.assertEqual(res.result, "60", res.describe())

    def test_execute_result_carries_execution_count(self) -> None:
        res = self._kernel().execute_ok("2 + 3")
        results = res.of_type("execute_result")
        self.assertEqual(len(results), 1, res.describe())
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "5")
        self.assertEqual(results[0]["content"]["execution_count"], res.execution_count)
        inputs = res.of_type("execute_input")
        self.assertEqual(len(inputs), 1, res.describe())
        self.assertEqual(inputs[0]["content"]["execution_count"], res.execution_count)

    def test_several_displays_arrive_in_order(self) -> None:
        code = "\n".join(
            f'display(Html("<p>part {i}</p>".to_string()));' for i in range(1, 4)
        )
        res = self._kernel().execute_ok(code)
        htmls = [m["content"]["data"].get("text/html") for m in res.of_type("display_data")]
        self.assertEqual(htmls, ["<p>part 1</p>", "<p>part 2</p>", "<p>part 3</p>"], res.describe())

    def test_display_interleaves_with_stdout(self) -> None:
        code = (
            'println!("before");\n'
            'display(Html("<i>middle</i>".to_string()));\n'
            'println!("after");'
        )
        res = self._kernel().execute_ok(code)
        kinds = [
            m["content"]["text"] if m["msg_type"] == "stream" else m["content"]["data"].get("text/html")
            for m in res.of_type("stream", "display_data")
        ]
        self.assertEqual("".join(k for k in kinds if k is not None).replace("\n", "|"),
                         "before|<i>middle</i>after|", res.describe())

    def test_evcxr_content_and_the_value_stay_apart(self) -> None:
        res = self._kernel().execute_ok(EVCXR_BOLD + "\n1")
        outputs = res.of_type("display_data", "execute_result")
        self.assertEqual([m["msg_type"] for m in outputs], ["display_data", "execute_result"], res.describe())
        self.assertEqual(outputs[0]["content"]["data"].get("text/html"), "<b>bold</b>", res.describe())
        self.assertEqual(outputs[1]["content"]["data"], {"text/plain": "1"}, res.describe())

    def test_evcxr_content_blocks_are_displays_in_order(self) -> None:
        code = "\n".join(
            ['println!("before");']
            + [evcxr_block("text/html", f"<p>block {i}</p>") for i in (1, 2)]
        )
        res = self._kernel().execute_ok(code)
        outputs = res.of_type("stream", "display_data", "execute_result")
        self.assertEqual(
            [m["msg_type"] for m in outputs], ["stream", "display_data", "display_data"], res.describe()
        )
        self.assertEqual(res.stdout, "before\n", res.describe())
        htmls = [m["content"]["data"].get("text/html") for m in outputs[1:]]
        self.assertEqual(htmls, ["<p>block 1</p>", "<p>block 2</p>"], res.describe())

    def test_clear_output_comes_after_earlier_output(self) -> None:
        res = self._kernel().execute_ok(self.code_clear_output)
        kinds = [m["msg_type"] for m in res.of_type("stream", "clear_output")]
        self.assertIn("clear_output", kinds, res.describe())
        self.assertIn("stream", kinds, res.describe())
        self.assertLess(kinds.index("stream"), kinds.index("clear_output"), res.describe())

    def test_compile_error_names_code_and_line(self) -> None:
        code = 'let a = 1;\nlet b: i32 = "two";\na + b'
        res = self._kernel().execute(code)
        self.assertEqual(res.status, "error", res.describe())
        self.assertEqual([m["msg_type"] for m in res.outputs], ["error"], res.describe())
        err = res.errors[0]
        self.assertIn(err["ename"], ("E0308", "CompilationError"), res.describe())
        text = res.error_text()
        self.assertIn("E0308", text, res.describe())
        self.assertRegex(text, r"(?i)(line\s*2\b|:2:|\b2\s*\|)", res.describe())
        # The error reply carries the same ename as the iopub message.
        self.assertEqual(res.reply["content"].get("ename"), err["ename"])

    def test_is_complete_indent(self) -> None:
        k = self._kernel()
        for code in ("fn f() {", "let v = vec![1,"):
            reply = k.is_complete(code)
            self.assertEqual(reply["status"], "incomplete", (code, reply))
            indent = reply.get("indent")
            self.assertIsInstance(indent, str, (code, reply))
            self.assertTrue(indent.strip() == "" and len(indent) > 0, (code, reply))

    def test_completion_of_std_method(self) -> None:
        k = self._kernel()
        code = "String::from_utf"
        reply = k.complete(code)
        self.assertEqual(reply["status"], "ok", reply)
        replaced = code[reply["cursor_start"] : reply["cursor_end"]]
        self.assertEqual(reply["cursor_end"], len(code), reply)
        self.assertEqual(replaced, "from_utf", reply)
        matches = reply["matches"]
        for name in ("from_utf8", "from_utf8_lossy", "from_utf16"):
            self.assertTrue(
                any(m == name or m.startswith(name + "(") for m in matches),
                f"{name} not among {matches}",
            )
        for m in matches:
            self.assertTrue(m.startswith(replaced), f"{m!r} does not extend {replaced!r}")

    def test_completion_in_middle_of_cell(self) -> None:
        k = self._kernel()
        code = "let a = zz_ferris_na;\nlet b = 2;"
        cursor = code.index(";")
        reply = k.complete(code, cursor_pos=cursor)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(reply["cursor_end"], cursor, reply)
        self.assertEqual(code[reply["cursor_start"] : reply["cursor_end"]], "zz_ferris_na", reply)
        self.assertIn("zz_ferris_name", reply["matches"])

    def test_inspect_vec_docs(self) -> None:
        reply = self._kernel().inspect("Vec")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertTrue(reply["found"], reply)
        text = reply["data"].get("text/plain", "")
        self.assertIn("growable array", text, reply)

    def test_inspect_shows_the_doc_comment_of_a_cell_item(self) -> None:
        k = self._kernel()
        k.execute_ok("/// A point on the grid, documented with a doc comment.\nstruct ZzDocPoint { x: i32 }")
        reply = k.inspect("ZzDocPoint")
        self.assertTrue(reply["found"], reply)
        self.assertIn("documented with a doc comment", reply["data"].get("text/plain", ""), reply)
        res = k.execute_ok(":doc ZzDocPoint")
        self.assertIn("documented with a doc comment", res.result or "", res.describe())

    def test_pager_vec_docs(self) -> None:
        res = self._kernel().execute_ok("Vec?")
        payloads = res.reply["content"].get("payload", [])
        self.assertEqual(len(payloads), 1, res.describe())
        self.assertEqual(payloads[0]["source"], "page")
        self.assertIn("growable array", payloads[0]["data"]["text/plain"], res.describe())

    def test_inspect_unknown_name_not_found(self) -> None:
        reply = self._kernel().inspect("zz_no_such_thing_anywhere")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertFalse(reply["found"], reply)

    def test_history_tail_has_outputs(self) -> None:
        k = self._kernel()
        k.execute_ok("40 + 2")
        reply = k.history(hist_access_type="tail", n=1, output=True)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(len(reply["history"]), 1, reply)
        _session, _line, (source, output) = reply["history"][0]
        self.assertEqual(source, "40 + 2")
        self.assertEqual(output, "42")

    def test_history_search_glob(self) -> None:
        k = self._kernel()
        k.execute_ok("let zz_history_glob_marker = 1;")
        k.execute_ok("let zz_history_other = 2;")
        reply = k.history(hist_access_type="search", pattern="*zz_history_glob_*", n=10)
        sources = [entry[2] for entry in reply["history"]]
        self.assertIn("let zz_history_glob_marker = 1;", sources, reply)
        self.assertNotIn("let zz_history_other = 2;", sources, reply)


def test_history_goes_to_the_jupyter_data_dir(
    kernel_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kernel started with JUPYTER_DATA_DIR keeps its history there, as
    Jupyter's own tools do."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    marker = "zz_data_dir_" + uuid.uuid4().hex[:8]
    k = start_kernel(kernel_name, warm_up=False)
    try:
        res = k.execute(f"let {marker} = 1;", FIRST_CELL_TIMEOUT)
        assert res.status == "ok", res.describe()
    finally:
        k.shutdown()
    history = tmp_path / "rcourse" / "history.jsonl"
    assert history.is_file(), sorted(str(p) for p in tmp_path.rglob("*"))
    assert f"let {marker} = 1;" in history.read_text()
