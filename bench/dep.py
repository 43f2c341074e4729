#!/usr/bin/env python3
"""`:dep` speed: a crates.io crate and a local path crate, added in a warm session.

Run after `./install/setup.sh --no-open` (it installs the kernelspec):

    .venv/bin/python bench/dep.py [--runs 3] [--shared-slots]

Each run starts a fresh kernel, waits for the first cell `1` (the session is
then warm), and times:

- `:dep regex = "1"`, then a first cell that uses regex;
- `:dep tiny = { path = "..." }`, a crate of one function and no
  dependencies that this script writes in a temporary directory, then a
  first cell that calls it.

Each run's kernel gets a sessions directory of its own
(`RCOURSE_SESSIONS_DIR`, a private directory under the user's cache
directory), so its session directory starts from the warm build and every
run compiles regex;
`--shared-slots` uses the kernel's usual session directories instead, where
a crate that an earlier kernel built is not compiled again.

Each figure is printed next to its target, with whether it met it, and what
cargo compiled for each `:dep`: its "Compiling ..." lines (evcxr passes
them on only for crate names without a hyphen, on the kernel's stderr or
in the cell's streams) and, without `--shared-slots`, every library the
`:dep` built (the new `.rlib` files). Nothing here asserts: it reports.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

KERNEL = "rcourse"
# Target for `:dep regex` in a warm session on a 2-core machine, in seconds.
REGEX_DEP_TARGET = 30.0
COMPILING = re.compile(r"^\s*Compiling (\S+ v\S+)", re.M)
RLIB = re.compile(r"^lib(\w+)-[0-9a-f]+\.rlib$")


@dataclass
class Cell:
    """What one cell took, and what it and the kernel printed meanwhile."""

    seconds: float
    status: str
    streams: str
    kernel_log: str = ""
    error: str = ""
    built: list[str] | None = None

    @property
    def compiling(self) -> list[str]:
        """The "Compiling name vX.Y.Z" lines of the cell's streams and of the kernel's stderr."""
        return COMPILING.findall(self.streams) + COMPILING.findall(self.kernel_log)


@dataclass
class Run:
    """The cells of one kernel session, by measure."""

    cells: dict[str, Cell] = field(default_factory=dict)


class Session:
    """A kernel whose stderr goes to a file, with the cells it ran."""

    def __init__(self, log_path: Path, tmpdir: Path | None) -> None:
        self.log_path = log_path
        self.log = log_path.open("w")
        self.tmpdir = tmpdir
        env = dict(os.environ)
        if tmpdir is not None:
            env["RCOURSE_SESSIONS_DIR"] = str(tmpdir)
        self.manager = KernelManager(kernel_name=KERNEL)
        self.manager.start_kernel(env=env, stderr=self.log)
        self.client: Any = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)

    def libraries(self) -> set[Path]:
        """The compiled libraries under this kernel's own temporary directory."""
        if self.tmpdir is None:
            return set()
        return {path for path in self.tmpdir.rglob("lib*.rlib") if RLIB.match(path.name)}

    def run_cell(self, code: str, timeout: float = 900) -> Cell:
        """Executes `code`; returns the time until the kernel was idle again and what was printed."""
        log_start = self.log_path.stat().st_size
        libraries_before = self.libraries()
        start = time.perf_counter()
        msg_id = self.client.execute(code)
        streams: list[str] = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                break
            if kind == "stream":
                streams.append(msg["content"]["text"])
        seconds = time.perf_counter() - start
        reply = self.client.get_shell_msg(timeout=timeout)["content"]
        error = "" if reply["status"] == "ok" else f"{reply.get('ename')}: {reply.get('evalue')}"
        with self.log_path.open() as log:
            log.seek(log_start)
            kernel_log = log.read()
        built = None
        if self.tmpdir is not None:
            new = self.libraries() - libraries_before
            built = sorted(RLIB.match(path.name).group(1) for path in new)
        return Cell(seconds, reply["status"], "".join(streams), kernel_log, error, built)

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)
        self.log.close()


def write_tiny_crate(root: Path) -> Path:
    """Writes the crate `tiny` (one pub fn, no dependencies) under `root`; returns its directory."""
    crate = root / "tiny"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    )
    (crate / "src" / "lib.rs").write_text(
        "/// The sum of the first `n` odd numbers.\n"
        "pub fn odd_sum(n: u64) -> u64 {\n"
        "    (0..n).map(|i| 2 * i + 1).sum()\n"
        "}\n"
    )
    return crate


def one_session(root: Path, n: int, tiny: Path, shared_slots: bool) -> Run:
    """Starts a kernel, warms it with `1`, then times the `:dep` cells and their first uses."""
    tmpdir = None
    if not shared_slots:
        tmpdir = root / f"run-{n}"
        tmpdir.mkdir(mode=0o700)
    session = Session(root / f"kernel-{n}.log", tmpdir)
    run = Run()
    try:
        run.cells["warm"] = session.run_cell("1")
        run.cells["regex dep"] = session.run_cell(':dep regex = "1"')
        run.cells["regex use"] = session.run_cell('regex::Regex::new("a+").unwrap().is_match("caaa")')
        path = str(tiny).replace("\\", "\\\\").replace('"', '\\"')
        run.cells["tiny dep"] = session.run_cell(f':dep tiny = {{ path = "{path}" }}')
        run.cells["tiny use"] = session.run_cell("tiny::odd_sum(12)")
    finally:
        session.stop()
    return run


ROWS = [
    ("first cell `1` (session start)", "warm", None),
    (':dep regex = "1"', "regex dep", REGEX_DEP_TARGET),
    ("first cell using regex", "regex use", None),
    (":dep tiny = { path = ... }", "tiny dep", None),
    ("first cell calling tiny", "tiny use", None),
]


def report(runs: list[Run]) -> None:
    """Prints one row per measure, then what each `:dep` compiled, and any failed cell."""
    print(f"{'measure':32} {'median':>9} {'runs':>24}  {'target':>8}  met")
    for label, key, target in ROWS:
        values = [r.cells[key].seconds for r in runs if key in r.cells]
        if not values:
            continue
        median = statistics.median(values)
        runs_text = " ".join(f"{v:.2f}" for v in values)
        target_text = f"<= {target:.0f} s" if target else "-"
        met = ("yes" if median <= target else "NO") if target else ""
        print(f"{label:32} {median:8.2f}s {runs_text:>24}  {target_text:>8}  {met}")
    for n, r in enumerate(runs, 1):
        for key, cell in r.cells.items():
            # Every `:dep` cell, and any other cell that compiled a crate (the
            # first cell's libraries include the warm build's, copied meanwhile).
            if key == "warm":
                if cell.compiling:
                    print(f"run {n}, {key}: Compiling lines: {', '.join(cell.compiling)}")
            elif key.endswith("dep") or cell.compiling or cell.built:
                print(f"run {n}, {key}: Compiling lines: {', '.join(cell.compiling) or 'none'}")
                if cell.built is not None:
                    print(f"run {n}, {key}: libraries built: {', '.join(cell.built) or 'none'}")
            if cell.status != "ok":
                print(f"run {n}, {key}: the cell failed: {cell.error or cell.streams.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="kernel sessions, each a fresh kernel")
    parser.add_argument(
        "--shared-slots",
        action="store_true",
        help="use the kernel's usual session directories (crates built before are reused)",
    )
    args = parser.parse_args()
    # Under the user's cache directory: the kernel refuses a sessions
    # directory inside one that other users can write to, such as /tmp.
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rcourse-dep-", dir=cache) as name:
        root = Path(name)
        tiny = write_tiny_crate(root)
        runs = [one_session(root, n, tiny, args.shared_slots) for n in range(1, args.runs + 1)]
    report(runs)


if __name__ == "__main__":
    main()
