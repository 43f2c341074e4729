"""nbgrader's own commands on the rcourse kernel, set up by install/nbgrader_config.py.

A temporary nbgrader course takes the teacher's notebook of
tests/notebooks/exercise-teacher.ipynb through `nbgrader generate_assignment`,
`nbgrader autograde` and `nbgrader generate_feedback`, for two students; `rcourse
grade` grades the same submissions against the same teacher's notebook, and
both must give each student and each graded cell the same score.

One student types the teacher's solutions in. The other passes the visible
test of `sum_of_squares` but not its hidden test, and writes a correct
`Tally` that prints to stderr with `eprintln!` (debugging output, which
nbgrader alone would count as a failure).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import RCOURSE_BIN, REPO_ROOT

SHIPPED_CONFIG = REPO_ROOT / "install" / "nbgrader_config.py"
TEACHER = REPO_ROOT / "tests" / "notebooks" / "exercise-teacher.ipynb"
BIN = Path(sys.executable).parent  # nbgrader and the alembic it runs
ASSIGNMENT = "ex"
NOTEBOOK = "exercise"
STUDENTS = ("ada", "bob")
# Each command runs at most two kernel sessions, one after the other.
COMMAND_TIMEOUT = 600


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def nbgrader(course: Path, *args: str) -> None:
    """Run an nbgrader command in the course directory; it must succeed."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    assert "| ERROR]" not in proc.stderr, proc.stderr


def make_course(root: Path) -> Path:
    """A course directory whose configuration loads the shipped one; returns
    the teacher's notebook in source/."""
    root.mkdir()
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"load_subconfig({str(SHIPPED_CONFIG)!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'rust-course'\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(root / 'gradebook.db')!r}\n"
    )
    teacher = nbformat.read(TEACHER, as_version=4)
    # nbgrader refuses a written answer that is only marked as a solution;
    # `rcourse export` makes it a cell graded by hand worth 0 points, and so
    # does this copy.
    for cell in teacher.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and not meta.get("grade"):
            meta.update(grade=True, points=0)
    source = root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(teacher, source)
    return source


def submit(root: Path, source: Path) -> dict[str, Path]:
    """The students' notebooks, made from the released one."""
    teacher = {grade_id(c): c for c in nbformat.read(source, as_version=4).cells if grade_id(c)}
    released = nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)

    def typed_in() -> nbformat.NotebookNode:
        nb = copy.deepcopy(released)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = teacher[grade_id(cell)].source
        return nb

    ada = typed_in()
    bob = typed_in()
    for cell in bob.cells:
        if grade_id(cell) == "squares":
            cell.source = "fn sum_of_squares(n: u64) -> u64 {\n    if n == 3 { 14 } else { n }\n}"
        elif grade_id(cell) == "tally":
            debug = "self.count += 1;\n        eprintln!(\"adding {value}\");"
            assert "self.count += 1;" in cell.source
            cell.source = cell.source.replace("self.count += 1;", debug)
    paths = {}
    for student, nb in zip(STUDENTS, (ada, bob)):
        paths[student] = root / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        paths[student].parent.mkdir(parents=True)
        nbformat.write(nb, paths[student])
    return paths


def graded_outputs(root: Path, student: str) -> str:
    """What the graded cells of a student's autograded notebook showed, for
    assertion messages."""
    nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return "\n".join(
        f"{student} {grade_id(cell)}: {cell.outputs}"
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
    )


def stop(process: subprocess.Popen) -> None:
    """Stop `rcourse grade` as Ctrl-C does, so that it stops its kernels."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_nbgrader_and_rcourse_grade_agree(tmp_path: Path) -> None:
    if shutil.which("nbgrader", path=str(BIN)) is None:
        pytest.fail(f"nbgrader is not installed next to {sys.executable} (install/requirements.txt)")
    root = tmp_path / "course"
    source = make_course(root)

    nbgrader(root, "generate_assignment", ASSIGNMENT)
    released = nbformat.read(root / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    cells = {grade_id(c): c.source for c in released.cells if grade_id(c)}
    assert "todo!();" in cells["squares"] and "(1..=n)" not in cells["squares"], cells["squares"]
    assert "385" not in cells["squares-tests"] and "HIDDEN" not in cells["squares-tests"]

    paths = submit(root, source)
    # `rcourse grade` runs while nbgrader autogrades: two sessions at a time.
    grading = subprocess.Popen(
        [str(RCOURSE_BIN), "grade", *(str(paths[s]) for s in STUDENTS), "--source", str(source), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        nbgrader(root, "autograde", ASSIGNMENT)
        out, err = grading.communicate(timeout=COMMAND_TIMEOUT)
    finally:
        stop(grading)
    assert grading.returncode == 0, err
    nbgrader(root, "generate_feedback", ASSIGNMENT)

    by_path = {Path(s["submission"]): s for s in json.loads(out)["submissions"]}
    rcourse = {
        student: {c["grade_id"]: (c["score"], c["max_score"]) for c in by_path[paths[student]]["cells"]}
        for student in STUDENTS
    }
    rcourse_totals = {student: by_path[paths[student]]["score"] for student in STUDENTS}

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "rust-course") as gradebook:
        scores = {}
        totals = {}
        max_score = 0.0
        for student in STUDENTS:
            submission = gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            scores[student] = {g.name: (g.auto_score, g.max_score) for g in submission.grades}
            totals[student] = submission.score
            max_score = submission.max_score

    outputs = "\n".join(graded_outputs(root, student) for student in STUDENTS)
    assert scores == rcourse, f"nbgrader: {scores}\nrcourse grade: {rcourse}\n{outputs}\n{out}"
    assert totals == rcourse_totals, f"nbgrader: {totals}\nrcourse grade: {rcourse_totals}"
    # Neither agreement is empty: the teacher's solutions earn every point,
    # and the other student earns some but fails the hidden test.
    assert totals["ada"] == max_score > 0
    assert 0 < totals["bob"] < max_score
    assert scores["bob"]["squares-tests"][0] == 0
    autograded = nbformat.read(root / "autograded" / "bob" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    tests = next(c for c in autograded.cells if grade_id(c) == "squares-tests")
    errors = [o for o in tests.outputs if o.output_type == "error"]
    assert errors and "385" in errors[0].evalue, tests.outputs  # the hidden test failed

    for student in STUDENTS:
        feedback = root / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html"
        assert feedback.is_file(), sorted(str(p) for p in root.rglob("*.html"))
        html = feedback.read_text()
        assert f"Score: {totals[student]} / {max_score}" in html, student
