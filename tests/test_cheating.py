"""`rcourse grade` against cheating: every submission of the corpus in
`cheating/tricks.py` has a true score of 0 and must get 0, while honest
submissions graded in the same run keep full marks; nothing outside a
submission's sandbox is read or changed, and nothing it starts outlives it."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from cheating.tricks import TRICKS, WRONG, Targets, Trick
from conftest import run_cli

TEACHER = Path(__file__).parent / "cheating" / "teacher.ipynb"
HIDDEN_TEST = "vec![0, 1, 4, 9, 16]"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def submission(teacher: dict, trick: Trick) -> dict:
    """The wrong answer with `trick` applied."""
    notebook = copy.deepcopy(teacher)
    cells = notebook["cells"]
    for cell in cells:
        cell_id = cell.get("id")
        if cell_id in WRONG:
            cell["source"] = trick.answers.get(cell_id, WRONG[cell_id])
        if cell_id in trick.metadata:
            cell["metadata"]["nbgrader"].update(trick.metadata[cell_id])
    inserts = [(after, source, None) for after, source in trick.cells] + list(trick.marked)
    for number, (after, source, meta) in enumerate(inserts):
        new = {"cell_type": "code", "id": f"trick-{number}", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
        if meta is not None:
            new["metadata"]["nbgrader"] = {"schema_version": 3, **meta}
        at = 0 if after is None else next(i for i, c in enumerate(cells) if c.get("id") == after) + 1
        cells.insert(at, new)
    return notebook


def test_every_trick_scores_zero_and_honest_work_keeps_full_marks(tmp_path: Path) -> None:
    teacher_dir = tmp_path / "teacher"
    teacher_dir.mkdir()
    teacher_path = teacher_dir / "teacher.ipynb"
    shutil.copy(TEACHER, teacher_path)
    teacher = json.loads(teacher_path.read_text())
    subs = tmp_path / "submissions"
    subs.mkdir()
    honest = subs / "honest.ipynb"
    other = subs / "other-honest.ipynb"
    shutil.copy(TEACHER, honest)
    shutil.copy(TEACHER, other)
    other_bytes = other.read_bytes()
    grade_file = tmp_path / "grades.txt"
    targets = Targets(teacher=str(teacher_path), other_submission=str(other), grade_file=str(grade_file), teacher_dir=str(teacher_dir))
    cheats = {}
    for name, make in TRICKS.items():
        path = subs / f"cheat-{slug(name)}.ipynb"
        path.write_text(json.dumps(submission(teacher, make(targets))))
        cheats[path.stem] = name
    feedback = tmp_path / "feedback"
    paths = [str(honest), *(str(subs / f"{stem}.ipynb") for stem in cheats), str(other)]
    started = time.monotonic()
    proc = run_cli("grade", *paths, "--source", str(teacher_path), "--format", "json", "--jobs", "2", "--timeout", "30", "--feedback", str(feedback), timeout=1500)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    scores = {s["student"]: (s["score"], s["max_score"]) for s in report["submissions"]}
    print(f"graded {len(paths)} submissions in {elapsed:.0f} s")

    assert scores["honest"] == (5, 5), report
    assert scores["other-honest"] == (5, 5), "another student's submission was changed or harmed"
    wrong = {cheats[stem]: scores[stem] for stem in cheats if scores[stem] != (0, 5)}
    assert not wrong, f"tricks that earned points (score, out of): {wrong}"

    # Nothing outside the sandbox was read, changed, or left running.
    assert teacher_path.read_bytes() == TEACHER.read_bytes()
    assert sorted(p.name for p in teacher_dir.iterdir()) == ["teacher.ipynb"]
    assert other.read_bytes() == other_bytes
    assert not Path(str(grade_file) + ".stolen").exists()
    time.sleep(6)
    assert not grade_file.exists(), "a process started by a submission outlived its grading"
    leftovers = subprocess.run(["pgrep", "-f", "echo hacked"], capture_output=True, text=True).stdout
    assert not leftovers.strip(), leftovers

    # Feedback: one page per student, written by the grader; hidden tests stay hidden.
    pages = {p.stem: p.read_text() for p in feedback.glob("*.html")}
    assert set(pages) == set(scores), sorted(pages)
    for stem, page in pages.items():
        assert HIDDEN_TEST not in page, f"{stem}'s feedback shows the hidden tests"
    assert "teacher readable: false" in pages["cheat-reaches-out-of-its-sandbox"]
    flood = pages["cheat-floods-its-output"]
    assert len(flood) < 3_000_000 and "left out" in flood, len(flood)
    assert "5 / 5" in pages["honest"]


def test_a_panic_message_cannot_redraw_the_text_report(tmp_path: Path) -> None:
    teacher = json.loads(TEACHER.read_text())
    path = tmp_path / "escapes.ipynb"
    path.write_text(json.dumps(submission(teacher, TRICKS["terminal escapes in the panic"](Targets("", "", "", "")))))
    proc = run_cli("grade", str(path), "--source", str(TEACHER), "--timeout", "30", timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\r" not in proc.stdout, proc.stdout
    assert re.search(r"squares-tests\s+failed\s+0 / 2", proc.stdout), proc.stdout
    assert "\\u{1b}[2K" in proc.stdout, proc.stdout


def test_run_sandboxed_sees_only_its_notebook_and_no_run_writes_history(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the answers")
    work = tmp_path / "work"
    work.mkdir()
    code = (
        f'println!("secret: {{}}", std::fs::read_to_string({json.dumps(str(secret))}).is_ok());\n'
        'println!("own notebook: {}", std::path::Path::new("probe.ipynb").exists());\n'
        'println!("network: {}", std::net::TcpStream::connect("127.0.0.1:22").is_ok() || std::net::UdpSocket::bind("0.0.0.0:0").and_then(|s| s.connect("1.1.1.1:53")).is_ok());'
    )
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "code", "id": "probe", "metadata": {}, "source": code, "outputs": [], "execution_count": None}],
    }
    path = work / "probe.ipynb"
    path.write_text(json.dumps(notebook))
    data = tmp_path / "jupyter-data"
    env = {**os.environ, "JUPYTER_DATA_DIR": str(data)}
    texts = {}
    for mode in ("sandbox", "plain"):
        out = tmp_path / f"{mode}.ipynb"
        flags = ["--sandbox"] if mode == "sandbox" else []
        proc = run_cli("run", str(path), "--out", str(out), *flags, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
        ran = json.loads(out.read_text())
        texts[mode] = "".join("".join(o.get("text", "")) for o in ran["cells"][0]["outputs"])
    assert "secret: false" in texts["sandbox"] and "own notebook: true" in texts["sandbox"], texts
    assert "network: false" in texts["sandbox"], texts
    assert "secret: true" in texts["plain"] and "own notebook: true" in texts["plain"], texts
    assert not (data / "rcourse" / "history.jsonl").exists(), "a run wrote the user's history"


def test_grading_is_refused_where_no_sandbox_can_be_made(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # no bwrap on it
    proc = run_cli("grade", str(TEACHER), "--source", str(TEACHER), env=env, timeout=120)
    assert proc.returncode != 0, proc.stdout
    assert "bubblewrap" in proc.stderr and "--unsafe-no-sandbox" in proc.stderr, proc.stderr
    assert not proc.stdout.strip(), "nothing was graded"
