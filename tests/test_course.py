"""The course itself: a notebook for every chapter and mini-project, each
with graded exercises, linked from the index."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from conftest import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"
CHAPTERS = range(1, 15)
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
