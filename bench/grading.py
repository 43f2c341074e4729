#!/usr/bin/env python3
"""Grading a class: `rcourse grade` on N submissions with `--jobs J`, each
in its sandbox, against the same grading without a sandbox in the same run.

Run after `./install/setup.sh --no-open` and a release build:

    .venv/bin/python bench/grading.py [--submissions 30] [--jobs 2] [--timeout 60]
                                      [--bound-mb 2600] [--no-reference]

The submissions are made from the cheating corpus of the tests
(`tests/cheating/`): a third honest (full marks), a third wrong answers,
and a third the corpus's tricks in turn (the output flood, the process that
exits, the background process printing markers...), so the run includes
what costs the most. Each grading runs as one command, and its whole
process tree (the grader, bubblewrap, the kernels, their cell processes,
cargo and rustc) is read from /proc every `--interval` seconds.

It prints, for the sandboxed grading and the reference (`--unsafe-no-sandbox`):
the wall time and the time per submission; the peak RSS of the whole tree
and of the grader's own process; and whether every score is the expected
one. Then the ratios, and whether the sandboxed peak stays within
`--bound-mb`: one kernel holds about 1 GB (rust-analyzer), so `--jobs 2`
should stay under 2.6 GB with the grader and the compilers.
A page shared by two processes counts twice: the RSS sums are upper bounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from cheating.tricks import TRICKS, WRONG, Targets, Trick  # noqa: E402

TEACHER = REPO / "tests" / "cheating" / "teacher.ipynb"
RCOURSE = REPO / "target" / "release" / "rcourse"


def make_submissions(dir: Path, teacher_path: Path, count: int) -> dict[str, int]:
    """Writes `count` submissions in `dir`; returns the expected score of each, by name.
    The tricks aim at `teacher_path`, a copy: the reference runs them unsandboxed."""
    from test_cheating import submission  # the tests' own builder

    teacher = json.loads(teacher_path.read_text())
    targets = Targets(str(teacher_path), str(dir / "nobody.ipynb"), str(dir / "grades.txt"), str(teacher_path.parent))
    tricks = list(TRICKS.values())
    expected = {}
    for number in range(count):
        name = f"student-{number:02}"
        kind = number % 3
        if kind == 0:
            shutil.copy(teacher_path, dir / f"{name}.ipynb")
            expected[name] = 5
            continue
        trick = Trick() if kind == 1 else tricks[(number // 3) % len(tricks)](targets)
        (dir / f"{name}.ipynb").write_text(json.dumps(submission(teacher, trick)))
        expected[name] = 0
    return expected


def tree_rss(root: int) -> tuple[int, int]:
    """RSS in bytes of `root` and of its whole process tree."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parent, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return rss.get(root, 0), total


def grade(paths: list[Path], teacher: Path, jobs: int, timeout: float, interval: float, sandbox: bool) -> dict:
    """Runs one grading; its time, peaks and scores."""
    args = [str(RCOURSE), "grade", *map(str, paths), "--source", str(teacher), "--format", "json",
            "--jobs", str(jobs), "--timeout", str(timeout)]
    if not sandbox:
        args.append("--unsafe-no-sandbox")
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"grader": 0, "tree": 0}

    def watch() -> None:
        while proc.poll() is None:
            grader, tree = tree_rss(proc.pid)
            peaks["grader"] = max(peaks["grader"], grader)
            peaks["tree"] = max(peaks["tree"], tree)
            time.sleep(interval)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    elapsed = time.monotonic() - started
    watcher.join()
    if proc.returncode != 0:
        sys.exit(f"rcourse grade failed ({proc.returncode}): {err.strip()}")
    report = json.loads(out)
    scores = {s["student"]: s["score"] for s in report["submissions"]}
    return {"seconds": elapsed, **peaks, "scores": scores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--bound-mb", type=float, default=2600)
    parser.add_argument("--no-reference", action="store_true", help="skip the grading without a sandbox")
    options = parser.parse_args()
    mb = 1 << 20
    with tempfile.TemporaryDirectory(prefix="rcourse-grading-") as tmp:
        dir = Path(tmp) / "submissions"
        dir.mkdir()
        teacher = Path(tmp) / "teacher" / TEACHER.name
        teacher.parent.mkdir()
        shutil.copy(TEACHER, teacher)
        expected = make_submissions(dir, teacher, options.submissions)
        paths = [dir / f"{name}.ipynb" for name in expected]
        print(f"{options.submissions} submissions, --jobs {options.jobs}, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.2f}")
        runs = {"sandbox": grade(paths, teacher, options.jobs, options.timeout, options.interval, True)}
        if not options.no_reference:
            runs["no sandbox"] = grade(paths, teacher, options.jobs, options.timeout, options.interval, False)
        print(f"{'':12} {'wall s':>8} {'s/sub':>7} {'peak tree MB':>13} {'peak grader MB':>15} {'scores':>8}")
        for name, run in runs.items():
            right = sum(run["scores"].get(k) == v for k, v in expected.items())
            print(f"{name:12} {run['seconds']:8.1f} {run['seconds'] / len(paths):7.1f} "
                  f"{run['tree'] / mb:13.0f} {run['grader'] / mb:15.1f} {right:>5}/{len(expected)}")
        sandboxed = runs["sandbox"]
        if "no sandbox" in runs:
            reference = runs["no sandbox"]
            print(f"sandbox / no sandbox: time {sandboxed['seconds'] / reference['seconds']:.2f}, "
                  f"peak memory {sandboxed['tree'] / max(reference['tree'], 1):.2f}")
        within = sandboxed["tree"] / mb <= options.bound_mb
        print(f"peak memory {sandboxed['tree'] / mb:.0f} MB {'within' if within else 'OVER'} "
              f"the bound of {options.bound_mb:.0f} MB")


if __name__ == "__main__":
    main()
