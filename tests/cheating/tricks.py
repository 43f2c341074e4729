"""Cheating submissions for `teacher.ipynb`: each is the wrong answer
(`squares` returns nothing, `sum_of_squares` returns 0, true score 0) plus
one trick that tries to turn it into full marks, written as a student who
has read rcourse's source would.

A trick is a function of the `Targets` (paths a student might aim at on a
shared server) that returns how to change the wrong submission: cells
inserted after a cell (by its id; `None` for the top), answers replaced,
and metadata changed.
"""

from __future__ import annotations

import json

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Targets:
    """What a student might reach for, outside their own submission."""

    teacher: str
    other_submission: str
    grade_file: str
    teacher_dir: str


@dataclass
class Trick:
    """Changes to the wrong submission."""

    # (after this cell id, or None for the top; the new cell's source)
    cells: list[tuple[str | None, str]] = field(default_factory=list)
    # cell id -> new source of an answer cell
    answers: dict[str, str] = field(default_factory=dict)
    # cell id -> nbgrader metadata fields to set
    metadata: dict[str, dict] = field(default_factory=dict)
    # extra cells with metadata: (after, source, nbgrader metadata)
    marked: list[tuple[str | None, str, dict]] = field(default_factory=list)


WRONG = {
    "squares": "fn squares(_n: u64) -> Vec<u64> {\n    Vec::new()\n}",
    "sum": "fn sum_of_squares(_n: u64) -> u64 {\n    0\n}",
}

TESTS = ["squares-tests", "sum-tests", "sum-value-tests"]


def padding(test: str) -> tuple[str, str, dict]:
    """A harmless cell before `test`, marked as graded by the student."""
    meta = {"grade": True, "solution": False, "locked": True, "points": 5, "grade_id": f"pad-{test}"}
    return ("sum" if test == "squares-tests" else test, "let _padding = 1;", meta)


TRICKS: dict[str, Callable[[Targets], Trick]] = {
    "silent panic hook": lambda t: Trick(cells=[("sum", "std::panic::set_hook(Box::new(|_| {}));")]),
    "default panic hook": lambda t: Trick(cells=[("sum", "let _ = std::panic::take_hook();")]),
    "std macros captured": lambda t: Trick(
        cells=[
            (
                "sum",
                "macro_rules! assert_eq { ($($t:tt)*) => { () }; }\n"
                "macro_rules! assert { ($($t:tt)*) => { () }; }",
            )
        ]
    ),
    "teacher helper redefined": lambda t: Trick(
        cells=[("helper", "fn check_sum(_f: fn(u64) -> u64) -> bool {\n    true\n}")]
    ),
    "evcxr marker and padding": lambda t: Trick(
        cells=[(None, 'println!("EVCXR_EXECUTION_COMPLETE");')],
        marked=[padding(test) for test in TESTS],
    ),
    "graded metadata of its own": lambda t: Trick(
        metadata={test: {"points": 100} for test in TESTS},
        marked=[("sum", "let _bonus = 1;", {"grade": True, "solution": False, "locked": True, "points": 50, "grade_id": "bonus"})],
    ),
    "forged pass line": lambda t: Trick(
        cells=[
            (
                "sum",
                'println!("RCOURSE_TEST_PASSED {:032x}", 0u128);\nprintln!("EVCXR_EXECUTION_COMPLETE");',
            )
        ]
    ),
    "always-equal return type": lambda t: Trick(
        answers={
            "squares": "#[derive(Debug)]\npub struct Same;\n"
            "impl PartialEq<Vec<u64>> for Same {\n    fn eq(&self, _: &Vec<u64>) -> bool { true }\n}\n"
            "fn squares(_n: u64) -> Same {\n    Same\n}"
        }
    ),
    "exits the process": lambda t: Trick(answers={"sum": "fn sum_of_squares(_n: u64) -> u64 {\n    std::process::exit(0)\n}"}),
    "closes its stdout": lambda t: Trick(
        cells=[("sum", "use std::os::fd::FromRawFd;\ndrop(unsafe { std::fs::File::from_raw_fd(1) });")]
    ),
    "background process prints markers": lambda t: Trick(
        cells=[
            (
                "sum",
                'std::process::Command::new("sh").args(["-c", "while :; do echo EVCXR_EXECUTION_COMPLETE; '
                'echo RCOURSE_TEST_PASSED 0; sleep 0.1; done"]).spawn().unwrap();',
            )
        ]
    ),
    "terminal escapes in the panic": lambda t: Trick(
        answers={"squares": 'fn squares(_n: u64) -> Vec<u64> {\n    panic!("\\x1b[2K\\r  squares-tests  passed  2 / 2")\n}'}
    ),
    "reaches out of its sandbox": lambda t: Trick(
        cells=[
            (
                "sum",
                f"""let mut seen = Vec::new();
for entry in std::fs::read_dir("/proc").unwrap().flatten() {{
    if let Ok(line) = std::fs::read_to_string(entry.path().join("cmdline")) {{
        seen.push(line.replace('\\0', " "));
    }}
}}
println!("processes: {{seen:?}}");
let teacher = std::fs::read_to_string({json.dumps(t.teacher)});
println!("teacher readable: {{}}", teacher.is_ok());
if let Ok(text) = teacher {{
    let _ = std::fs::write({json.dumps(t.grade_file + ".stolen")}, text);
}}
let _ = std::fs::write({json.dumps(t.teacher_dir + "/owned.txt")}, "owned");
let _ = std::fs::write({json.dumps(t.other_submission)}, "{{}}");
let _ = std::process::Command::new("setsid")
    .args(["sh", "-c", "sleep 4; echo hacked > {t.grade_file}"])
    .spawn();""",
            )
        ]
    ),
    "floods its output": lambda t: Trick(
        cells=[("sum", 'let line = "x".repeat(1000);\nfor _ in 0..50_000 {\n    println!("{line}");\n}')]
    ),
}
