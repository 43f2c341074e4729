"""evcxr's commands and the kernel's settings, through the real kernel:
`:types` from the first cell on, `:clear` and `:restart` leaving a session
that behaves like a new one, and rustc's warnings with `:warnings`.
"""

from __future__ import annotations

from typing import Iterable

import pytest

from conftest import FIRST_CELL_TIMEOUT, Kernel, start_kernel


@pytest.fixture(scope="module")
def cold_kernel(kernel_name: str) -> Iterable[Kernel]:
    """A kernel whose first cell is the test's own (the session still starting)."""
    k = start_kernel(kernel_name, warm_up=False)
    yield k
    k.shutdown()


# A value of the course library's prelude, shown as an HTML table.
TABLE = 'Table::new().headers(["n"]).row([1])'


def has_html(res) -> bool:
    """Whether the cell's value came with an HTML form."""
    return any("text/html" in m["content"]["data"] for m in res.of_type("execute_result"))


def plain(text: str) -> str:
    """`text` without ANSI colour codes."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_types_as_the_first_cell_takes_effect(cold_kernel: Kernel) -> None:
    res = cold_kernel.execute_ok(":types", FIRST_CELL_TIMEOUT)
    assert res.result == "Types: true\n", res.describe()
    assert cold_kernel.execute_ok("42").result == ": i32 = 42"
    # A rich value keeps its own display; the course library stays loaded.
    assert has_html(cold_kernel.execute_ok(TABLE))
    assert cold_kernel.execute_ok(":types").result == "Types: false\n"
    assert cold_kernel.execute_ok("43").result == "43"


def panics_as_an_error(kernel: Kernel) -> None:
    res = kernel.execute('panic!("boom")')
    assert res.status == "error", res.describe()
    assert res.errors[0]["evalue"] == "boom"
    assert "stack backtrace" not in res.stderr


def test_clear_leaves_a_session_like_a_new_one(cold_kernel: Kernel) -> None:
    cold_kernel.execute_ok(":types")
    cold_kernel.execute_ok("let kept = 1;\nfn helper() -> i32 { 2 }")
    res = cold_kernel.execute_ok(":clear")
    assert not res.errors
    assert "kept" in cold_kernel.execute("kept").error_text()
    # Like a new session: the course library, the panic hook and the
    # settings are back, and a cell can define and use a macro.
    assert cold_kernel.execute_ok("44").result == ": i32 = 44"
    assert has_html(cold_kernel.execute_ok(TABLE))
    panics_as_an_error(cold_kernel)
    res = cold_kernel.execute_ok("macro_rules! twice { ($e:expr) => { 2 * $e } }\ntwice!(21)")
    assert res.result == ": i32 = 42"
    assert cold_kernel.execute_ok("twice!(5)").result == ": i32 = 10"
    cold_kernel.execute_ok(":types")


def test_restart_sets_the_new_process_up(cold_kernel: Kernel) -> None:
    res = cold_kernel.execute_ok(":restart")
    assert "restarted" in (res.result or "")
    panics_as_an_error(cold_kernel)
    assert has_html(cold_kernel.execute_ok(TABLE))
    assert cold_kernel.execute_ok("45").result == "45"


def test_warnings_about_the_cells_code_are_shown_dimmed_after_its_output(cold_kernel: Kernel) -> None:
    code = "fn answer() -> i32 {\n    let unused = 5;\n    return 42;\n    0\n}\nprintln!(\"out\");\nanswer()"
    res = cold_kernel.execute_ok(code)
    assert res.result == "42"
    kinds = [(m["msg_type"], m["content"].get("name")) for m in res.outputs]
    assert kinds == [("stream", "stdout"), ("stream", "stderr"), ("execute_result", None)], res.describe()
    assert res.stderr.startswith("\x1b[90m"), repr(res.stderr)
    text = plain(res.stderr)
    assert "warning: unused variable: `unused`\n --> line 2\n  |     let unused = 5;" in text, text
    assert "prefix it with an underscore: `_unused`" in text
    assert "warning: unreachable expression\n --> line 4" in text, text
    # Code the kernel or a magic adds around the cell never warns.
    res = cold_kernel.execute_ok("let fine = 1;\n%time fine + 1")
    assert res.stderr == "", res.describe()


def test_warnings_can_be_hidden_and_shown_again(cold_kernel: Kernel) -> None:
    noisy = "fn noisy() { let x = 1; }"
    res = cold_kernel.execute_ok(":warnings off")
    assert res.stdout == "Compiler warnings: hidden\n"
    assert cold_kernel.execute_ok(noisy).stderr == ""
    assert cold_kernel.execute_ok("%warnings").stdout == "Compiler warnings: hidden\n"
    cold_kernel.execute_ok("%warnings on")
    assert "unused variable: `x`" in plain(cold_kernel.execute_ok(noisy).stderr)
    res = cold_kernel.execute(":warnings loud")
    assert res.status == "error" and "expected `on` or `off`" in res.error_text()
    help_text = cold_kernel.execute_ok("%lsmagic").stdout
    assert "%warnings" in help_text


def test_an_error_returned_through_question_mark_fails_the_cell(cold_kernel: Kernel) -> None:
    cold_kernel.execute_ok("fn parsed(s: &str) -> Result<i32, std::num::ParseIntError> { s.parse() }")
    res = cold_kernel.execute("let n = parsed(\"x\")?;")
    assert res.status == "error", res.describe()
    assert res.errors[0]["ename"] == "Error"
    assert "invalid digit found in string" in res.stderr
    assert cold_kernel.execute_ok("parsed(\"4\")? + 1").result == "5"
