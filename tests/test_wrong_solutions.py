"""Exercises that catch wrong answers: every graded exercise of the course
has, under `wrong-solutions/`, at least one plausible wrong solution, and
`rcourse grade` must take points from each (the format is described in
`wrong-solutions/README.md`). That the teacher's solutions keep full marks
is `test_course.py`'s."""

from __future__ import annotations

import json
import re
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import nbformat
import pytest

from conftest import REPO_ROOT, run_cli
from test_course import CELL_LIMIT, NOTEBOOK_GUARD, NOTEBOOKS, PARALLEL, course_notebooks

CORPUS = Path(__file__).parent / "wrong-solutions"


@dataclass(frozen=True)
class Wrong:
    """One wrong answer to one exercise."""

    solution: str
    loses: tuple[str, ...]
    mistake: str
    source: str
    detail: str | None


def corpus_file(notebook: Path) -> Path:
    return CORPUS / notebook.relative_to(NOTEBOOKS).with_suffix(".toml")


def wrong_answers(notebook: Path) -> list[Wrong]:
    path = corpus_file(notebook)
    if not path.is_file():
        return []
    with path.open("rb") as file:
        data = tomllib.load(file)
    unknown = set(data) - {"wrong"}
    assert not unknown, f"{path}: unknown keys {unknown}"
    answers = []
    for entry in data.get("wrong", []):
        extra = set(entry) - {"solution", "loses", "mistake", "source", "detail"}
        assert not extra, f"{path}: unknown keys {extra} in {entry.get('solution')}"
        answers.append(
            Wrong(
                solution=entry["solution"],
                loses=tuple(entry["loses"]),
                mistake=entry["mistake"],
                source=entry["source"],
                detail=entry.get("detail"),
            )
        )
    return answers


def grade_ids(notebook: Path) -> tuple[dict[str, str], set[str]]:
    """The notebook's solution cells (grade_id → source) and auto-graded test cells."""
    nb = nbformat.read(notebook, as_version=4)
    solutions, graded = {}, set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            solutions[meta["grade_id"]] = cell.source
        if meta.get("grade") and not meta.get("solution"):
            graded.add(meta["grade_id"])
    return solutions, graded


def rounds(answers: list[Wrong]) -> list[list[Wrong]]:
    """The submissions to grade: the k-th wrong answer of every solution cell in the k-th."""
    seen: dict[str, int] = {}
    out: list[list[Wrong]] = []
    for answer in answers:
        k = seen.get(answer.solution, 0)
        seen[answer.solution] = k + 1
        if k == len(out):
            out.append([])
        out[k].append(answer)
    return out


# A cell that only measures: it defines nothing a later cell reads (without
# `-o`, a magic keeps no result), and it is among the slowest of a notebook.
MEASURING = re.compile(r"^%%?(timeit|complexity|prun)\b(?!.*\s-o\b)")


def submission(notebook: Path, answers: list[Wrong]) -> dict:
    """The teacher's notebook with `answers` in place of the solutions,
    without the cells that only measure (they cannot change a score)."""
    nb = json.loads(notebook.read_text())
    by_id = {a.solution: a for a in answers}
    cells = []
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in by_id:
            cell["source"] = by_id.pop(grade_id).source
        elif cell["cell_type"] == "code" and grade_id is None and MEASURING.match("".join(cell["source"]).lstrip()):
            continue
        cells.append(cell)
    assert not by_id, f"no solution cell {sorted(by_id)}"
    nb["cells"] = cells
    return nb


NOTEBOOK_IDS = {"ids": lambda p: p.relative_to(NOTEBOOKS).as_posix()}


@pytest.mark.parametrize("notebook", course_notebooks(), **NOTEBOOK_IDS)
def test_every_graded_exercise_has_a_wrong_solution(notebook: Path) -> None:
    solutions, graded = grade_ids(notebook)
    answers = wrong_answers(notebook)
    covered = set()
    for answer in answers:
        assert answer.solution in solutions, f"{answer.solution}: not a solution cell of {notebook.name}"
        assert answer.mistake.strip(), f"{answer.solution}: say what the mistake is"
        assert answer.source.strip() != solutions[answer.solution].strip(), f"{answer.solution}: the teacher's own answer"
        assert "BEGIN SOLUTION" not in answer.source, f"{answer.solution}: a student's answer has no solution markers"
        for grade_id in answer.loses:
            assert grade_id in graded, f"{grade_id}: not an automatically graded cell of {notebook.name}"
        covered.update(answer.loses)
    missing = sorted(graded - covered)
    assert not missing, f"graded cells with no wrong solution in {corpus_file(notebook).relative_to(REPO_ROOT)}: {missing}"


def grade_wrong_answers(notebook: Path, work: Path) -> list[tuple[list[Wrong], dict]]:
    paths = []
    submissions = rounds(wrong_answers(notebook))
    for k, answers in enumerate(submissions):
        path = work / f"wrong-{k + 1}.ipynb"
        path.write_text(json.dumps(submission(notebook, answers)))
        paths.append(str(path))
    proc = run_cli(
        "grade", *paths, "--source", str(notebook), "--format", "json", "--timeout", CELL_LIMIT, timeout=NOTEBOOK_GUARD
    )
    assert proc.returncode == 0, proc.stderr
    reports = json.loads(proc.stdout)["submissions"]
    return list(zip(submissions, reports))


@pytest.fixture(scope="module")
def wrong_grades(
    request: pytest.FixtureRequest, jupyter_env: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[Path, Future]]:
    """The wrong answers of the selected notebooks graded, two notebooks at a time."""
    selected = [
        item.callspec.params["notebook"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_every_wrong_solution_loses_points"
    ]
    with ThreadPoolExecutor(PARALLEL) as pool:
        yield {
            path: pool.submit(grade_wrong_answers, path, tmp_path_factory.mktemp(path.stem))
            for path in selected
            if wrong_answers(path)
        }


@pytest.mark.timeout(0)
@pytest.mark.parametrize("notebook", course_notebooks(), **NOTEBOOK_IDS)
def test_every_wrong_solution_loses_points(notebook: Path, wrong_grades: dict[Path, Future]) -> None:
    if notebook not in wrong_grades:
        pytest.fail(f"no wrong solutions for {notebook.name}")
    kept = []
    for answers, report in wrong_grades[notebook].result():
        assert "problem" not in report, report["problem"]
        cells = {cell["grade_id"]: cell for cell in report["cells"]}
        for answer in answers:
            for grade_id in answer.loses:
                cell = cells[grade_id]
                if cell["score"] == cell["max_score"]:
                    kept.append(f"{answer.solution} ({answer.mistake}) kept the points of {grade_id}")
                elif answer.detail is not None and answer.detail not in cell["detail"]:
                    kept.append(
                        f"{answer.solution} ({answer.mistake}) lost {grade_id} for another reason: "
                        f"{cell['detail']!r}, not {answer.detail!r}"
                    )
    assert not kept, "\n".join(kept)


def main(argv: list[str]) -> int:
    """`python tests/test_wrong_solutions.py NOTEBOOK...`: grades the wrong
    solutions of the given notebooks with the built kernel and prints, for
    each, the points it lost and why (for writing the corpus)."""
    import tempfile

    failed = 0
    for arg in argv:
        notebook = Path(arg).resolve()
        with tempfile.TemporaryDirectory() as work:
            for answers, report in grade_wrong_answers(notebook, Path(work)):
                cells = {cell["grade_id"]: cell for cell in report["cells"]}
                print(f"{notebook.name}: {report['score']:g} / {report['max_score']:g} {report.get('problem', '')}")
                for cell in report["cells"]:
                    print(f"  {cell['grade_id']:<16} {cell['status']:<8} {cell['score']}/{cell['max_score']}  {cell['detail'][:150]}")
                for answer in answers:
                    kept = [g for g in answer.loses if cells[g]["score"] == cells[g]["max_score"]]
                    other = [
                        g for g in answer.loses
                        if g not in kept and answer.detail is not None and answer.detail not in cells[g]["detail"]
                    ]
                    verdict = "KEPT POINTS" if kept else ("LOST FOR ANOTHER REASON" if other else "loses points")
                    failed += bool(kept or other)
                    print(f"  - {answer.solution}: {verdict} ({answer.mistake})")
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
