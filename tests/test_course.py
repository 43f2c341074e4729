"""The course itself: a notebook for every chapter and mini-project, each
with graded exercises, linked from the index; every notebook runs on the
kernel and exports into an exercise notebook."""

from __future__ import annotations

import json
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from conftest import REPO_ROOT, run_cli

NOTEBOOKS = REPO_ROOT / "notebooks"
CHAPTERS = range(1, 16)
PROJECTS = range(0, 9)


def numbered(folder: str) -> dict[int, Path]:
    found = {}
    for path in sorted((NOTEBOOKS / folder).glob("*.ipynb")):
        match = re.match(r"^(\d\d)-[a-z0-9-]+\.ipynb$", path.name)
        assert match, f"{path.name}: expected NN-slug.ipynb"
        found[int(match[1])] = path
    return found


def course_notebooks() -> list[Path]:
    return [*numbered("chapters").values(), *numbered("projects").values()]


def test_every_chapter_and_project_has_its_notebook() -> None:
    assert sorted(numbered("chapters")) == list(CHAPTERS)
    assert sorted(numbered("projects")) == list(PROJECTS)


def test_the_index_links_every_notebook() -> None:
    index = nbformat.read(NOTEBOOKS / "index.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in index.cells if cell.cell_type == "markdown")
    for path in [NOTEBOOKS / "00-welcome.ipynb", *course_notebooks()]:
        relative = path.relative_to(NOTEBOOKS).as_posix()
        assert f"]({relative})" in text, f"the index does not link {relative}"


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.relative_to(NOTEBOOKS).as_posix())
def test_each_notebook_has_graded_exercises_and_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    meta = [cell.metadata.get("nbgrader", {}) for cell in nb.cells]
    graded = [m for m in meta if m.get("grade")]
    solutions = [m for m in meta if m.get("solution")]
    assert graded, "no graded cell"
    assert solutions, "no solution cell"
    assert all(m.get("points", 0) > 0 for m in graded), "a graded cell without points"
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids)), "grade_id values repeat"
    assert "BEGIN HIDDEN TESTS" in "\n".join(c.source for c in nb.cells), "no hidden tests"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"outputs committed in {cell.source[:60]!r}"


# --------------------------------------------------------------------------
# Every notebook runs on the kernel; graded against itself it gets full marks.
# --------------------------------------------------------------------------

# Limits are per cell, enforced by the grader itself. The limit is the
# grader's default, the one a teacher grades with: a notebook whose cell can
# outlast it on a busy machine would cost its students points. A whole
# notebook takes as long as its cells take, so the tests that wait for one
# have no limit of their own (pytest's per-test limit is off).
CELL_LIMIT = "60"
# Notebooks graded at once: cells compile on one core each.
PARALLEL = 2
# A guard against a grader that never exits (it interrupts and gives up on
# a cell after CELL_LIMIT seconds, so it cannot take this long).
NOTEBOOK_GUARD = 3 * 3600


def grade_against_itself(path: Path) -> dict:
    proc = run_cli(
        "grade", str(path), "--source", str(path), "--format", "json", "--timeout", CELL_LIMIT, timeout=NOTEBOOK_GUARD
    )
    assert proc.returncode == 0, proc.stderr
    [report] = json.loads(proc.stdout)["submissions"]
    return report


@pytest.fixture(scope="module")
def grades(request: pytest.FixtureRequest, jupyter_env: Path) -> Iterator[dict[Path, Future]]:
    """The selected course notebooks graded against themselves, two at a time."""
    selected = [
        item.callspec.params["path"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_each_notebook_runs_and_gets_full_marks"
    ]
    with ThreadPoolExecutor(PARALLEL) as pool:
        yield {path: pool.submit(grade_against_itself, path) for path in selected}


@pytest.mark.timeout(0)
@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.relative_to(NOTEBOOKS).as_posix())
def test_each_notebook_runs_and_gets_full_marks(path: Path, grades: dict[Path, Future]) -> None:
    report = grades[path].result()
    assert "problem" not in report, report["problem"]
    assert report.get("failed_cells", []) == [], report["failed_cells"]
    lost = [cell for cell in report["cells"] if cell["status"] != "manual" and cell["score"] != cell["max_score"]]
    assert not lost, lost
    assert report["score"] == report["max_score"] > 0


@pytest.mark.timeout(0)
@pytest.mark.parametrize("name", ["00-welcome.ipynb", "index.ipynb"])
def test_the_other_notebooks_run(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    proc = run_cli("run", str(NOTEBOOKS / name), "--out", str(out), "--timeout", CELL_LIMIT, timeout=NOTEBOOK_GUARD)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()


def test_the_whole_course_exports(tmp_path: Path) -> None:
    """Export checks that every stub leaves the cell valid Rust."""
    out = tmp_path / "student"
    proc = run_cli("export", str(NOTEBOOKS), "--out", str(out), timeout=600)
    assert proc.returncode == 0, proc.stderr
    for path in course_notebooks():
        student = out / path.relative_to(NOTEBOOKS)
        code = "\n".join(c.source for c in nbformat.read(student, as_version=4).cells if c.cell_type == "code")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS"):
            assert marker not in code, f"{student}: {marker} left"
        assert "todo!()" in code or "YOUR CODE HERE" in code, f"{student}: no stub"
