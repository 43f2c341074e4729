"""The measuring magics through the real kernel: IPython's syntax and text,
the rich outputs beyond it, and clear usage errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import Kernel

TIME = r"\d+(?:\.\d+)? (?:s|ms|μs|ns)"
TIMEIT_LINE = re.compile(
    rf"^{TIME} ± {TIME} per loop \(mean ± std\. dev\. of (?P<runs>[\d,]+) runs?, "
    rf"(?P<loops>[\d,]+) loops? each\)$"
)
CPU_REPORT = re.compile(rf"^CPU times: user {TIME}, sys: {TIME}, total: {TIME}\nWall time: {TIME}$", re.M)


def displays(res) -> list[dict]:
    return [m["content"]["data"] for m in res.of_type("display_data")]


def timeit_line(data: dict) -> re.Match:
    text = data["text/plain"].splitlines()[-1]
    match = TIMEIT_LINE.match(text)
    assert match, text
    return match


def test_line_timeit_prints_ipythons_line_table_and_chart(kernel: Kernel) -> None:
    kernel.execute_ok("let numbers: Vec<u64> = (0..1000).collect();")
    res = kernel.execute_ok("%timeit -n 1000 -r 3 numbers.iter().sum::<u64>()")
    [data] = displays(res)
    match = timeit_line(data)
    assert (match["runs"], match["loops"]) == ("3", "1,000")
    html = data["text/html"]
    assert "<table" in html and "<svg" in html, html[:300]
    for row in ("mean", "std. dev.", "best", "worst", "runs", "loops per run", "optimised (opt-level 2)"):
        assert row in html, row
    assert res.result is None, res.describe()


def test_singular_forms_and_autorange(kernel: Kernel) -> None:
    res = kernel.execute_ok("%timeit -n 1 -r 1 std::thread::sleep(std::time::Duration::from_millis(2))")
    match = timeit_line(displays(res)[0])
    assert (match["runs"], match["loops"]) == ("1", "1")
    assert "1 run, 1 loop each" in displays(res)[0]["text/plain"]
    # Autorange: a power of ten of loops, the first whose run takes 0.2 s.
    res = kernel.execute_ok("%timeit -r 2 std::thread::sleep(std::time::Duration::from_millis(30))")
    match = timeit_line(displays(res)[0])
    assert (match["runs"], match["loops"]) == ("2", "10"), displays(res)[0]["text/plain"]


def test_cell_timeit_with_setup_and_body(kernel: Kernel) -> None:
    code = (
        "%%timeit -n 20 -r 3 let mut data: Vec<u32> = (0..2000).rev().collect();\n"
        "data.sort();\n"
        "data.len()"
    )
    res = kernel.execute_ok(code)
    match = timeit_line(displays(res)[0])
    assert (match["runs"], match["loops"]) == ("3", "20")


def test_timeit_o_gives_a_result_later_cells_use(kernel: Kernel) -> None:
    res = kernel.execute_ok("let measured = %timeit -o -q -n 100 -r 4 (0..100u64).sum::<u64>();")
    assert displays(res) == [], res.describe()
    res = kernel.execute_ok("(measured.runs, measured.loops, measured.all_runs.len(), measured.best <= measured.worst)")
    assert res.result == "(4, 100, 4, true)", res.describe()
    # The `;` ends the `let`, not the timed expression: the search is really timed
    # (a thousand comparisons, far above the 0.3 ns of an optimised-away body).
    kernel.execute_ok("let haystack: Vec<u64> = (0..1000).collect();")
    kernel.execute_ok("let searched = %timeit -o -q -n 1000 -r 3 haystack.contains(&std::hint::black_box(5_000u64));")
    res = kernel.execute_ok("searched.average() > 20e-9")
    assert res.result == "true", res.describe()
    # At the end of a cell, -o shows the result once, as the cell's value.
    res = kernel.execute_ok("%timeit -o -n 10 -r 2 1 + 1")
    assert displays(res) == [], res.describe()
    assert TIMEIT_LINE.match(res.result.splitlines()[-1]), res.describe()


def test_time_reports_cpu_and_wall_and_keeps_the_value(kernel: Kernel) -> None:
    res = kernel.execute_ok("%time (1..=1000u64).sum::<u64>()")
    assert CPU_REPORT.search(res.stdout), res.describe()
    assert res.result == "500500", res.describe()
    res = kernel.execute_ok("%%time\nlet timed_total: u64 = (1..=10u64).sum();\nlet timed_twice = timed_total * 2;")
    assert CPU_REPORT.search(res.stdout), res.describe()
    res = kernel.execute_ok("timed_twice")
    assert res.result == "110", res.describe()


def test_lsmagic_who_and_help(kernel: Kernel) -> None:
    res = kernel.execute_ok("%lsmagic")
    assert res.stdout.startswith(
        "Available line magics:\n%complexity  %lsmagic  %magic  %prun  %time  %timeit  %warnings  %who  %whos\n"
    ), res.stdout
    assert "Available cell magics:\n%%complexity  %%prun  %%time  %%timeit" in res.stdout
    kernel.execute_ok("let listed_variable: Vec<String> = Vec::new();")
    res = kernel.execute_ok("%who")
    assert "listed_variable" in res.stdout.split("\t"), res.stdout
    assert "rcourse_" not in res.stdout
    kernel.execute_ok("let listed_number: f64 = 2.5;\nstruct Opaque;\nlet listed_opaque = Opaque;")
    res = kernel.execute_ok("%whos")
    lines = res.stdout.splitlines()
    assert re.match(r"^Variable {3,}Type {3,} Data/Info$", lines[0]), res.stdout
    assert re.match(r"^-+$", lines[1]) and len(lines[1]) == len(lines[0]), res.stdout
    assert re.search(r"^listed_variable +Vec<String> +n=0$", res.stdout, re.M), res.stdout
    assert re.search(r"^listed_number +f64 +2\.5$", res.stdout, re.M), res.stdout
    assert re.search(r"^listed_opaque +Opaque +$", res.stdout, re.M), res.stdout
    res = kernel.execute_ok("%timeit?")
    assert "-n N" in res.stdout and "Usage" in res.stdout


def test_bad_magics_are_clear_usage_errors(kernel: Kernel) -> None:
    cases = {
        "%timeit -z 1 + 1": "option -z not recognized",
        "%timeit -n many 1 + 1": "-n needs a positive whole number",
        "%timeit": "no code to time",
        "%nosuchmagic": "Line magic function `%nosuchmagic` not found",
        "%%nosuchmagic\n1": "Cell magic function `%%nosuchmagic` not found",
    }
    for code, message in cases.items():
        res = kernel.execute(code)
        assert res.status == "error", res.describe()
        [error] = res.errors
        assert error["ename"] == "UsageError", res.describe()
        assert message in res.error_text(), res.describe()
    # Nothing was lost: the session still runs cells and keeps its variables.
    kernel.execute_ok("let still_alive = 1;")


def test_writefile_writes_overwrites_and_appends(kernel: Kernel, tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    res = kernel.execute_ok(f"%%writefile {target}\nn,square\n2,4")
    assert res.stdout == f"Writing {target}\n", res.describe()
    assert res.result is None and res.errors == [], res.describe()
    assert target.read_text() == "n,square\n2,4\n"
    res = kernel.execute_ok(f"%%writefile {target}\nn,cube")
    assert res.stdout == f"Overwriting {target}\n", res.describe()
    res = kernel.execute_ok(f"%%writefile -a {target}\n2,8\n")
    assert res.stdout == f"Appending to {target}\n", res.describe()
    assert target.read_text() == "n,cube\n2,8\n"
    # The cells that follow read it.
    res = kernel.execute_ok(f"std::fs::read_to_string({json.dumps(str(target))}).unwrap().lines().count()")
    assert res.result == "2", res.describe()
    # A file that cannot be written: a usage error naming it, and nothing else.
    unwritable = tmp_path / "no-such-folder" / "notes.txt"
    res = kernel.execute(f"%%writefile {unwritable}\ntext")
    assert res.status == "error", res.describe()
    [error] = res.errors
    assert error["ename"] == "UsageError", res.describe()
    assert f"cannot write {unwritable}" in error["evalue"], res.describe()
    assert res.stdout == "" and not unwritable.exists(), res.describe()
    res = kernel.execute("%writefile notes.txt")
    assert "but cell magic `%%writefile` exists" in res.error_text(), res.describe()


def test_compile_error_in_timed_code_points_at_the_students_line(kernel: Kernel) -> None:
    res = kernel.execute("let fine = 1;\n%timeit fine + undefined_name")
    assert res.status == "error", res.describe()
    assert "undefined_name" in res.error_text()
    assert "cell line 2" in res.error_text(), res.error_text()


def test_progress_bar_updates_in_place_and_stays_finished(kernel: Kernel) -> None:
    code = (
        "let mut seen = 0;\n"
        "for _ in progress(0..40).title(\"Working\") {\n"
        "    std::thread::sleep(std::time::Duration::from_millis(15));\n"
        "    seen += 1;\n"
        "}\n"
        "seen"
    )
    res = kernel.execute_ok(code)
    [first] = res.of_type("display_data")
    display_id = first["content"]["transient"]["display_id"]
    updates = res.of_type("update_display_data")
    assert len(updates) >= 2, res.describe()
    assert {u["content"]["transient"]["display_id"] for u in updates} == {display_id}
    final = updates[-1]["content"]["data"]
    assert final["text/plain"].startswith("Working 100% 40/40 ["), final
    assert "<progress" in final["text/html"]
    assert res.result == "40"


def test_complexity_tells_linear_from_quadratic(kernel: Kernel) -> None:
    res = kernel.execute_ok(
        "%%complexity -n 2000..32000 let v: Vec<u64> = (0..n as u64).collect();\n"
        "v.iter().fold(0u64, |acc, x| acc.wrapping_mul(31).wrapping_add(*x))"
    )
    [data] = displays(res)
    assert data["text/plain"].startswith("O(n): time ≈ "), data["text/plain"]
    assert "<svg" in data["text/html"] and "<table" in data["text/html"]
    res = kernel.execute_ok(
        "let quadratic = %complexity -o -q -n 100..1600 "
        "{ let mut pairs = 0u64; for i in 0..n { for j in 0..n { pairs += std::hint::black_box((i ^ j) as u64 & 1); } } pairs };"
    )
    assert displays(res) == [], res.describe()
    res = kernel.execute_ok("(quadratic.points.len(), quadratic.fit.as_ref().unwrap().class.to_string())")
    assert res.result == '(5, "O(n²)")', res.describe()
    res = kernel.execute("%complexity -n 100 n")
    assert res.status == "error" and "at least two sizes" in res.error_text(), res.describe()


def test_complexity_recognises_n_log_n(kernel: Kernel) -> None:
    res = kernel.execute_ok(
        # n pops of a binary heap: the log factor dominates the O(n) build,
        # where a sort's O(n) copy and cache effects left a slope too close
        # to 1 to tell n log n from n on a busy machine.
        "%%complexity -r 3 -n 4000..256000\n"
        "let mut heap: std::collections::BinaryHeap<u64> =\n"
        "    (0..n as u64).map(|i| i.wrapping_mul(2654435761) % 1_000_003).collect();\n"
        "let mut last = 0;\n"
        "while let Some(top) = heap.pop() { last ^= top; }\n"
        "last"
    )
    [data] = displays(res)
    assert data["text/plain"].startswith("O(n log n): time ≈ "), data["text/plain"]


PRUN_ROW = re.compile(r"^\s*([\d,]+)\s+(\d+\.\d{3})\s+(\d+\.\d)\s+(\d+\.\d{3})\s+(\d+\.\d)\s+(.+)$")


def prun_rows(text: str) -> dict[str, tuple[float, float]]:
    """function -> (tottime, cumtime) from %prun's text table."""
    rows = {}
    for line in text.splitlines():
        match = PRUN_ROW.match(line)
        if match:
            rows[match[6]] = (float(match[2]), float(match[4]))
    return rows


def test_prun_shows_where_the_time_goes(kernel: Kernel) -> None:
    kernel.execute_ok(
        "#[inline(never)]\n"
        "fn heavy(n: u64) -> u64 {\n"
        "    (0..n).fold(0u64, |acc, i| std::hint::black_box(acc.wrapping_mul(31).wrapping_add(i)))\n"
        "}\n"
        "#[inline(never)]\n"
        "fn light(n: u64) -> u64 { std::hint::black_box(heavy(n / 8)) + 1 }"
    )
    res = kernel.execute_ok("%prun -s cumulative -l 6 heavy(600_000_000) ^ light(600_000_000)")
    [data] = displays(res)
    text = data["text/plain"]
    assert re.search(r"^\s+[\d,]+ samples in \d+\.\d{3} CPU seconds \(wall \d+\.\d{3} s\), opt-level 2$", text, re.M), text
    assert "tottime and cumtime are estimates; call counts cannot be sampled" in text, text
    assert "Ordered by: cumulative time" in text, text
    rows = prun_rows(text)
    assert len(rows) <= 6, text
    assert "heavy" in rows and "light" in rows and "<cell>" in rows, text
    # heavy runs 9/8 of the work, light only calls it for 1/8 of it; the
    # time is spent in heavy's closure, which the optimiser inlined.
    assert rows["heavy"][1] > 3 * rows["light"][1], text
    assert rows["light"][1] >= rows["heavy"][1] / 16, text
    assert rows["light"][0] < rows["heavy"][1] / 16, text
    html = data["text/html"]
    assert "<table" in html and "<svg" in html and "Flame graph" in html, html[:300]
    # The statement's value is the cell's result.
    assert res.result is not None and res.result.isdigit(), res.describe()


def test_prun_names_functions_the_optimiser_inlined(kernel: Kernel) -> None:
    kernel.execute_ok(
        "fn slow_inner(i: u64) -> u64 {\n"
        "    (0..2000u64).map(|j| (i ^ j).wrapping_mul(2654435761) % 1000).sum()\n"
        "}\n"
        "fn slow_outer() -> u64 {\n"
        "    (0..150_000).fold(0u64, |t, i| t.wrapping_add(slow_inner(std::hint::black_box(i))))\n"
        "}"
    )
    res = kernel.execute_ok("%prun slow_outer()")
    [data] = displays(res)
    rows = prun_rows(data["text/plain"])
    # pprof merges the samples of one physical frame (keyed by the address
    # of the function it is in) and names them from one of their addresses,
    # so whether the closure inlined into slow_inner gets a row of its own
    # depends on where that sample fell; the functions themselves always do.
    for name in ("slow_outer", "slow_inner"):
        assert name in rows, data["text/plain"]
        # Each holds (nearly) the whole run, as cProfile's cumtime would say.
        assert rows[name][1] >= 0.8 * rows["<cell>"][1], data["text/plain"]
        assert f">{name}" in data["text/html"] or f"{name}<" in data["text/html"]


def test_cell_prun_keeps_lets_and_rejects_bad_keys(kernel: Kernel) -> None:
    res = kernel.execute_ok("%%prun -l 3\nlet profiled = heavy(50_000_000);\nlet profiled_twice = profiled.wrapping_mul(2);")
    [data] = displays(res)
    assert "Ordered by: internal time" in data["text/plain"] or "samples" in data["text/plain"], data
    res = kernel.execute_ok("profiled_twice == profiled.wrapping_mul(2)")
    assert res.result == "true", res.describe()
    kernel.execute_ok("%time (1..10u64).sum::<u64>()")
    res = kernel.execute_ok(":vars")
    assert "profiled_twice" in res.stdout + str(res.result), res.describe()
    assert "rcourse_clock" not in res.stdout + str(res.result), res.describe()
    assert "rcourse_profiler" not in res.stdout + str(res.result), res.describe()
    assert "rcourse_warm_up" not in str(res.iopub), res.describe()
    res = kernel.execute("%prun -s ncalls heavy(10)")
    assert res.status == "error", res.describe()
    assert "UsageError" in res.error_text() and "call counts cannot be sampled" in res.error_text(), res.describe()


def seconds(text: str) -> float:
    """The first time in `text` (`12.3 μs`), in seconds."""
    match = re.search(r"(\d+(?:\.\d+)?) (s|ms|μs|ns)\b", text)
    assert match, text
    return float(match[1]) * {"s": 1.0, "ms": 1e-3, "μs": 1e-6, "ns": 1e-9}[match[2]]


def test_complexity_calls_a_closure_of_n(kernel: Kernel) -> None:
    # A closure of `n` is called with each size: an O(n) body is fitted as O(n),
    # not timed as the creation of a closure (O(1), under a nanosecond).
    work = "(0..n).fold(0u64, |acc, i| acc.wrapping_mul(31).wrapping_add(i as u64))"
    for code in (
        f"%complexity -n 10000..160000 |n| {work}",
        f"%complexity -n 10000..160000 |n: u64| {work}",
        f"%%complexity -n 10000..160000\n|n| {{\n    {work}\n}}",
    ):
        res = kernel.execute_ok(code)
        [data] = displays(res)
        assert data["text/plain"].startswith("O(n): time ≈ "), (code, data["text/plain"])
    res = kernel.execute("%complexity -n 100..400 |n, m| n + m")
    assert res.status == "error" and "closure of 2 parameters" in res.error_text(), res.describe()


def test_dropped_values_are_timed(kernel: Kernel) -> None:
    # A cell body that ends with a `let` (or drops its value with `;`) is still
    # timed: a thousand multiplications, far above an optimised-away body.
    kernel.execute_ok("let timed_data: Vec<u64> = (0..1000).collect();")
    res = kernel.execute_ok(
        "%%timeit -o -n 1000 -r 3\n"
        "let folded = timed_data.iter().fold(0u64, |acc, x| acc.wrapping_mul(31).wrapping_add(*x));"
    )
    assert seconds(res.result.splitlines()[-1]) > 100e-9, res.describe()
    # %time of a statement whose value is dropped runs it.
    res = kernel.execute_ok(
        "%time (0..50_000_000u64).fold(0u64, |acc, x| acc.wrapping_mul(31).wrapping_add(x));\n"
    )
    match = re.search(rf"Wall time: ({TIME})", res.stdout)
    assert match and seconds(match[1]) > 0.01, res.describe()


def test_what_cannot_be_timed_is_a_usage_error(kernel: Kernel) -> None:
    cases = {
        "%timeit |x: u64| x * 2": "which would be created and never called",
        "%timeit fn double(x: u64) -> u64 { x * 2 }": "only defines items",
        '%timeit "5".parse::<u32>()?': "`?` would jump out of the timed code",
        "%%timeit let v = vec![1u8]; if v.is_empty() { break; }\nv.len()": "`break` would jump out of SETUP",
        "%timeit async { 1 }": "a future, which runs nothing until it is awaited",
    }
    for code, message in cases.items():
        res = kernel.execute(code)
        assert res.status == "error", res.describe()
        [error] = res.errors
        assert error["ename"] == "UsageError" and message in res.error_text(), res.describe()
