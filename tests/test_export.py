"""`rcourse export`, `rcourse run` and `rcourse grade`, end to end.

Everything goes through the command line; `run` and `grade` start the real
kernel as Jupyter does.  The notebooks under tests/notebooks/ were made for
these tests: a teacher's notebook with a solution in a function body, a
solution made of whole items (a struct and its impl), a written answer and
graded test cells with hidden tests; a notebook that fails; and one
notebook per kind of bad input.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import REPO_ROOT, run_cli

NOTEBOOKS = REPO_ROOT / "tests" / "notebooks"
TEACHER = NOTEBOOKS / "exercise-teacher.ipynb"
RUN_ERRORS = NOTEBOOKS / "run-errors.ipynb"


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_comments(nb: nbformat.NotebookNode) -> list[str]:
    """The text of every `//` comment inside a solution region of a code cell."""
    comments = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        inside = False
        for line in cell.source.split("\n"):
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                inside = "BEGIN" in line
            elif inside and "//" in line:
                comments.append(line[line.index("//") :].lstrip("/!* ").strip())
    return [text for text in comments if text]


def by_id(nb) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(c): c for c in nb.cells if grade_id(c)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert lines, "no error message"
    assert "RUST_BACKTRACE" not in proc.stderr, proc.stderr  # rcourse itself did not crash
    return lines[-1]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The student version of the teacher's notebook."""
    out = tmp_path_factory.mktemp("student")
    before = digest(TEACHER)
    proc = run_cli("export", str(TEACHER), "--out", str(out), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert digest(TEACHER) == before, "the export changed its source"
    path = out / TEACHER.name
    assert path.is_file(), proc.stdout
    return path


# --------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------


def test_export_stubs_solutions_and_removes_hidden_tests(exported: Path) -> None:
    nb = nbformat.read(exported, as_version=4)
    nbformat.validate(nb)
    cells = by_id(nb)

    squares = cells["squares"].source
    assert "fn sum_of_squares(n: u64) -> u64 {\n    todo!()\n}" in squares, squares
    assert "(1..=n)" not in squares and "SOLUTION" not in squares

    tally = cells["tally"].source
    assert "pub struct Tally {\n    // YOUR CODE HERE\n}" in tally, tally
    assert "pub fn mean(&self) -> f64 {\n        todo!()\n    }" in tally, tally
    assert "self.total" not in tally and "count: usize" not in tally

    tests = cells["squares-tests"].source
    assert tests.strip() == "assert_eq!(sum_of_squares(3), 14);", tests
    assert "385" not in tests and "HIDDEN" not in tests
    assert "-4.0" not in cells["tally-tests"].source

    answer = cells["why-u64"].source
    assert "YOUR ANSWER HERE" in answer and "Squares grow fast" not in answer

    # A magic line is cell code: the export leaves it alone.
    assert nb.cells[-1].source == "%time sum_of_squares(1_000)"

    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert cells["squares-tests"].metadata["editable"] is False
    assert cells["squares-tests"].metadata["nbgrader"]["locked"] is True
    assert cells["squares"].metadata["nbgrader"]["solution"] is True
    assert nb.metadata["kernelspec"]["name"] == "rcourse"


def test_no_comment_of_a_solution_reaches_students(tmp_path: Path) -> None:
    """Comments inside solution regions, at the end of a line or on their own, are not exported."""
    # The teacher's notebook with notes at the end of solution lines, besides
    # the doc comment it has inside the `tally` solution.
    nb = nbformat.read(TEACHER, as_version=4)
    notes = {
        "(1..=n).map(|i| i * i).sum()": "squares summed lazily",
        "pub struct Tally {": "two fields are enough",
        "pub fn mean(&self) -> f64 {": "the count is never 0 in the tests",
    }
    for cell in nb.cells:
        for line, note in notes.items():
            cell.source = cell.source.replace(line, f"{line} // {note}")
    teacher = tmp_path / "commented.ipynb"
    nbformat.write(nb, teacher)
    comments = solution_comments(nb)
    assert len(comments) == len(notes) + 1, comments

    out = tmp_path / "out"
    proc = run_cli("export", str(teacher), "--out", str(out), timeout=120)
    assert proc.returncode == 0, proc.stderr
    student = nbformat.read(out / teacher.name, as_version=4)
    student_text = "\n".join(cell.source for cell in student.cells)
    assert [text for text in comments if text in student_text] == [], student_text
    # What the stubs keep of the solutions is still there.
    assert "pub fn mean(&self) -> f64 {\n        todo!()\n    }" in student_text, student_text
    assert "/// The sum of the squares" in student_text  # written outside the region


def test_nbgrader_accepts_the_export(exported: Path) -> None:
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    MetadataValidator().validate_nb(nbformat.read(exported, as_version=4))
    # The teacher's written answer is only marked as a solution; nbgrader
    # wants it graded too, which the export adds.
    with pytest.raises(ValidationError):
        MetadataValidator().validate_nb(nbformat.read(TEACHER, as_version=4))


def test_nbconvert_renders_the_export(exported: Path, tmp_path: Path) -> None:
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "html", "--output-dir", str(tmp_path), str(exported)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / exported.with_suffix(".html").name).read_text()
    assert "YOUR ANSWER HERE" in html and "sum_of_squares" in html


BAD_INPUT = [
    ("bad-missing-end", "cell 2 (f), line 2: `BEGIN SOLUTION` has no matching `END SOLUTION`"),
    ("bad-nested", "cell 1 (f), line 3: `BEGIN SOLUTION` inside the `BEGIN SOLUTION` region"),
    ("bad-not-solution", "cell 2, line 2: a solution region in a cell that is not a solution cell"),
    ("bad-hidden-not-graded", "cell 1 (f), line 4: hidden tests in a cell that is not graded"),
    ("bad-unbalanced", "cell 1 (f), line 2: the solution region cannot be replaced by a stub"),
    # The markdown cell before it only writes about the markers, which is allowed.
    (
        "bad-marker-with-code",
        "cell 3 (f-tests), line 2: `BEGIN HIDDEN TESTS` and `END HIDDEN TESTS` on one line",
    ),
    ("bad-json", "not a notebook: invalid JSON"),
    ("bad-nbformat", "nbformat 3.0 is not supported"),
]


@pytest.mark.parametrize("name,message", BAD_INPUT, ids=[name for name, _ in BAD_INPUT])
def test_bad_input_is_refused_and_nothing_is_written(name: str, message: str, tmp_path: Path) -> None:
    source = NOTEBOOKS / f"{name}.ipynb"
    before = digest(source)
    out = tmp_path / "out"
    error = one_line_error(run_cli("export", str(source), "--out", str(out), timeout=120))
    assert error.startswith(f"rcourse: {source}: {message}"), error
    assert not out.exists()
    assert digest(source) == before


def test_one_bad_notebook_stops_the_whole_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("export", str(TEACHER), str(NOTEBOOKS / "bad-nested.ipynb"), "--out", str(out), timeout=120)
    assert "bad-nested.ipynb: cell 1 (f)" in one_line_error(proc)
    assert not out.exists()


def test_export_never_overwrites_its_source(tmp_path: Path) -> None:
    teacher = tmp_path / "teacher.ipynb"
    shutil.copy(TEACHER, teacher)
    error = one_line_error(run_cli("export", str(teacher), "--out", str(tmp_path), timeout=120))
    assert "would overwrite this source notebook" in error, error
    assert digest(teacher) == digest(TEACHER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["teacher.ipynb"]


def test_export_of_a_directory(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "part2").mkdir(parents=True)
    (course / ".ipynb_checkpoints").mkdir()
    shutil.copy(TEACHER, course / "one.ipynb")
    shutil.copy(TEACHER, course / "part2" / "two.ipynb")
    shutil.copy(TEACHER, course / ".ipynb_checkpoints" / "one-checkpoint.ipynb")
    out = course / "student"
    for _ in range(2):  # the second time, the output directory is skipped
        proc = run_cli("export", str(course), "--out", str(out), timeout=120)
        assert proc.returncode == 0, proc.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.ipynb"))
    assert written == ["one.ipynb", "part2/two.ipynb"]


# --------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------


def test_run_stops_at_the_first_error(tmp_path: Path) -> None:
    out = tmp_path / "ran.ipynb"
    proc = run_cli("run", str(RUN_ERRORS), "--out", str(out), "--timeout", "60", timeout=400)
    error = one_line_error(proc)
    assert f"{RUN_ERRORS}: cell 2: panic: this cell fails on purpose" in error, proc.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    first, second, *rest = nb.cells
    assert first.outputs[0]["text"] == "first\n" and first.execution_count == 1
    assert second.outputs[0]["output_type"] == "error" and second.execution_count == 2
    assert all(cell.outputs == [] for cell in rest)
    assert nb.metadata["language_info"]["name"] == "rust"


def test_run_allow_errors_and_timeout(tmp_path: Path) -> None:
    out = tmp_path / "ran.ipynb"
    before = digest(RUN_ERRORS)
    proc = run_cli(
        "run", str(RUN_ERRORS), "--out", str(out), "--allow-errors", "--timeout", "8", timeout=400
    )
    assert proc.returncode == 0, proc.stderr
    assert digest(RUN_ERRORS) == before
    assert "cell 3: timed out after 8 s" in proc.stderr, proc.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    outputs = [cell.outputs for cell in nb.cells]
    assert outputs[1][0]["evalue"] == "this cell fails on purpose"
    assert "Timeout" in [o.get("ename") for o in outputs[2]], outputs[2]
    assert outputs[3][0]["ename"] == "E0308"  # tagged raises-exception
    assert outputs[4][0]["text"] == "last\n"


# --------------------------------------------------------------------------
# grade
# --------------------------------------------------------------------------


def submissions(exported: Path, teacher_path: Path, folder: Path) -> dict[str, Path]:
    """Students' notebooks made from the export."""
    teacher = by_id(nbformat.read(teacher_path, as_version=4))
    student = nbformat.read(exported, as_version=4)

    def typed_in():
        """The export with the teacher's solutions typed back in."""
        nb = copy.deepcopy(student)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = teacher[grade_id(cell)].source
        return nb

    def with_squares(nb, body: str):
        for cell in nb.cells:
            if grade_id(cell) == "squares":
                cell.source = "fn sum_of_squares(n: u64) -> u64 {\n" + body + "\n}"
        return nb

    made = {
        "full": typed_in(),
        "raw": copy.deepcopy(student),
        # Right on the visible test only; the test cell emptied; a graded cell deleted.
        "cheats": with_squares(typed_in(), "    if n == 3 { 14 } else { 0 }"),
        "loops": with_squares(typed_in(), "    loop {\n        std::hint::spin_loop();\n    }"),
    }
    for cell in made["cheats"].cells:
        if grade_id(cell) == "squares-tests":
            cell.source = "// no tests here"
    made["cheats"].cells = [c for c in made["cheats"].cells if grade_id(c) != "tally-tests"]
    paths = {}
    for name, nb in made.items():
        paths[name] = folder / f"{name}.ipynb"
        nbformat.write(nb, paths[name])
    return paths


def test_grade(exported: Path, tmp_path: Path) -> None:
    paths = submissions(exported, TEACHER, tmp_path)
    # The infinite loop first: the others are still graded, and the report
    # keeps this order although two submissions are graded at once.
    order = ["loops", "raw", "cheats", "full"]
    before = {name: digest(path) for name, path in paths.items()}
    proc = run_cli(
        "grade",
        *(str(paths[name]) for name in order),
        "--source",
        str(TEACHER),
        "--format",
        "json",
        "--timeout",
        "15",
        "--jobs",
        "2",
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    assert {name: digest(path) for name, path in paths.items()} == before, "a submission changed"
    report = json.loads(proc.stdout)
    students = {s["student"]: s for s in report["submissions"]}
    assert [s["student"] for s in report["submissions"]] == order

    def cells(name: str) -> dict[str, dict]:
        return {c["grade_id"]: c for c in students[name]["cells"]}

    # The solutions typed back in: full marks, hidden tests included.
    assert (students["full"]["score"], students["full"]["max_score"]) == (5, 5), students["full"]
    assert cells("full")["why-u64"]["status"] == "manual"

    # The raw export: zero everywhere, and no syntax error from the stubs.
    assert students["raw"]["score"] == 0
    for grade in ("squares-tests", "tally-tests"):
        assert cells("raw")[grade]["status"] == "failed"
        assert "not yet implemented" in cells("raw")[grade]["detail"], cells("raw")[grade]

    # Hidden tests are back (the student's emptied test cell is replaced),
    # and the deleted graded cell scores nothing.
    assert cells("cheats")["squares-tests"]["status"] == "failed"
    assert "385" in cells("cheats")["squares-tests"]["detail"]
    assert cells("cheats")["tally-tests"]["status"] == "missing"
    assert students["cheats"]["score"] == 0

    # An infinite loop times out and scores 0; the cells after it still run.
    assert cells("loops")["squares-tests"]["status"] == "timeout"
    assert cells("loops")["tally-tests"]["status"] == "passed"
    assert students["loops"]["score"] == 3


@pytest.mark.parametrize("format", ["text", "html", "csv"])
def test_grade_reports_an_unreadable_submission(format: str, tmp_path: Path) -> None:
    # No kernel starts: the submission cannot be read, which the report says.
    bad = NOTEBOOKS / "bad-json.ipynb"
    proc = run_cli("grade", str(bad), "--source", str(TEACHER), "--format", format, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "bad-json" in out and "squares-tests" in out and "tally-tests" in out
    if format == "text":
        assert "not-run" in out and "0 / 5" in out and "\nTotal\n" in out, out
    elif format == "html":
        assert out.startswith("<!DOCTYPE html>") and "<table>" in out
    else:
        assert out.splitlines()[0] == "student,submission,grade_id,status,score,max_score,detail"
        assert f"bad-json,{bad},total,,0,5," in out, out
