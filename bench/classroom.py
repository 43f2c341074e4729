#!/usr/bin/env python3
"""A classroom: K students open a notebook at once, each on a kernel of their own, on one machine.

Run after `./install/setup.sh --no-open` (it installs the kernelspec):

    .venv/bin/python bench/classroom.py [--students 4] [--rounds 3] [--think 5] [--seed 1] [--timeout 600]
                                        [--logs DIR]

All the kernels are started at the same moment through the `rcourse`
kernelspec, each with a client of its own. Every student first runs the
opening cell of the warm-up project (a `course_lib::warmup` table), sent as
soon as the kernel answers, then the same six ordinary cells (let bindings,
a loop, a struct with an impl, a sorted Vec, a `%timeit`, a println)
`--rounds` times, thinking `--think` seconds (randomly 50% to 150% of it,
repeatable with `--seed`) before each of them.

It prints:

- the machine: cores, total memory and the load average at the start;
- each kernel's memory, the RSS of its whole process tree (the kernel, where
  evcxr and its rust-analyzer run, its cell process, and cargo and rustc
  while they run) read from /proc every `--interval` seconds: its peak, and its steady state (the
  median after its last cell), as the median and the maximum over kernels,
  and what each tree holds at the end, by command name (`kernel` is the
  kernel's own process, `rcourse` its cell process). A page shared by two
  processes of a tree counts twice, so this is an upper bound;
- the wait for each student's first `course_lib` cell, from the request that
  starts the kernel to the cell's execute_reply when it succeeded (and,
  within it, the wait for the kernel's first kernel_info reply);
- the latency of the later cells (execute_request to execute_reply), p50 and
  p95 over every student's cells;
- each kernel's own account of its start-up, from its log;
- every failed cell (status other than ok, or no reply within `--timeout`)
  with the first line of its error, and the last lines of its kernel's log
  (`--logs DIR` keeps every kernel's log, `kernel-N.log`, and the whole
  error of every failed cell, `failures.txt`);
- any process of a kernel's tree still running once every kernel has been
  shut down (it is then killed).

Nothing here asserts: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import queue
import random
import signal
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from jupyter_client.manager import AsyncKernelManager

KERNEL = "rcourse"
MB = 1024 * 1024
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# The first cell of the warm-up project (notebooks/projects/00-warmup.ipynb):
# a table of the course's names, from `course_lib::warmup`.
COURSE_LIB_CELL = """\
use course_lib::warmup::*;

Table::new()
    .caption("The course's names")
    .headers(["first names (11)", "last names (10)"])
    .rows((0..FIRST_NAMES.len()).map(|i| (FIRST_NAMES[i], LAST_NAMES.get(i).copied().unwrap_or(""))))
"""

# What a student types next, run in order every round. A later round runs
# the cells again, as a student does who edits and re-runs a notebook.
ORDINARY_CELLS: list[tuple[str, str]] = [
    (
        "let bindings",
        'let who = "Ada";\nlet n: u64 = 12;\nlet ratio = n as f64 / 7.0;\nformat!("{who}: {ratio:.3}")',
    ),
    (
        "loop",
        "let mut total = 0u64;\nfor i in 1..=n * 100 {\n    if i % 3 == 0 {\n        total += i * i;\n    }\n}\ntotal",
    ),
    (
        "struct + impl",
        "#[derive(Debug, Clone)]\n"
        "struct Mark {\n    name: String,\n    score: u32,\n}\n\n"
        "impl Mark {\n    fn passed(&self) -> bool {\n        self.score >= 10\n    }\n}\n\n"
        "let marks: Vec<Mark> = [(\"Ada\", 17), (\"Bob\", 8), (\"Cy\", 12), (\"Dee\", 9)]\n"
        "    .iter()\n"
        "    .map(|&(name, score)| Mark { name: name.to_string(), score })\n"
        "    .collect();\n"
        "marks.iter().filter(|m| m.passed()).count()",
    ),
    (
        "Vec sort",
        "let mut scores: Vec<u32> = marks.iter().map(|m| m.score).collect();\n"
        "scores.sort_unstable_by(|a, b| b.cmp(a));\nscores",
    ),
    ("%timeit", "%timeit -n 1000 -r 7 scores.iter().map(|&s| s as u64 * s as u64).sum::<u64>()"),
    (
        "println",
        "for m in &marks {\n"
        '    println!("{:>5} {:>3} {}", m.name, m.score, if m.passed() { "passed" } else { "failed" });\n'
        "}",
    ),
]


# --------------------------------------------------------------------------
# Memory: the RSS of each kernel's process tree, read from /proc.
# --------------------------------------------------------------------------


def process_table() -> dict[int, tuple[int, int, int, str]]:
    """Every process of the machine: pid -> (parent pid, start time in ticks, RSS in bytes, command name)."""
    table: dict[int, tuple[int, int, int, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                text = stat.read()
        except OSError:
            continue  # gone meanwhile
        # The command name, in parentheses, may hold spaces: split after it.
        close = text.rindex(b")")
        name = text[text.index(b"(") + 1 : close].decode(errors="replace")
        fields = text[close + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[19]), int(fields[21]) * PAGE_SIZE, name)
    return table


def start_time(pid: int) -> int | None:
    """The start time of process `pid`, or None if it no longer runs."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    fields = text[text.rindex(b")") + 2 :].split()
    return None if fields[0] == b"Z" else int(fields[19])


@dataclass
class Sample:
    """One reading of a kernel's process tree."""

    at: float
    rss: int
    processes: int
    by_command: dict[str, int] = field(default_factory=dict)


class TreeSampler(threading.Thread):
    """Reads the RSS of every watched kernel's process tree every `interval` seconds."""

    def __init__(self, interval: float) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.lock = threading.Lock()
        self.roots: dict[int, int] = {}
        self.samples: dict[int, list[Sample]] = defaultdict(list)
        # Every (pid, start time) seen in a kernel's tree: what must be gone after shutdown.
        self.seen: dict[int, set[tuple[int, int]]] = defaultdict(set)
        self.stopping = threading.Event()
        # When the kernels began to shut down: later readings are not the steady state.
        self.closing_at = float("inf")

    def watch(self, student: int, pid: int) -> None:
        with self.lock:
            self.roots[student] = pid
        self.sample()

    def unwatch(self, student: int) -> None:
        with self.lock:
            self.roots.pop(student, None)

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stopping.set()
        self.join()

    def sample(self) -> None:
        """Takes one reading of every watched tree."""
        table = process_table()
        now = time.perf_counter()
        children: dict[int, list[int]] = defaultdict(list)
        for pid, (parent, _, _, _) in table.items():
            children[parent].append(pid)
        with self.lock:
            for student, root in self.roots.items():
                if root not in table:
                    continue
                rss = count = 0
                by_command: dict[str, int] = defaultdict(int)
                stack = [root]
                while stack:
                    pid = stack.pop()
                    _, started, pid_rss, name = table[pid]
                    rss += pid_rss
                    count += 1
                    by_command["kernel" if pid == root else name] += pid_rss
                    self.seen[student].add((pid, started))
                    stack.extend(children.get(pid, []))
                self.samples[student].append(Sample(now, rss, count, dict(by_command)))

    def leftovers(self) -> list[tuple[int, int]]:
        """(student, pid) of every process seen in a tree that still runs."""
        with self.lock:
            seen = [(student, pid, started) for student, pids in self.seen.items() for pid, started in pids]
        return [(student, pid) for student, pid, started in seen if start_time(pid) == started]


# --------------------------------------------------------------------------
# Students
# --------------------------------------------------------------------------


@dataclass
class Cell:
    """One executed cell: how long until its execute_reply, and how it ended."""

    label: str
    seconds: float
    status: str
    error: str = ""
    detail: str = ""


@dataclass
class Student:
    """One student's kernel and what its cells did."""

    number: int
    log_path: Path
    manager: AsyncKernelManager | None = None
    client: Any = None
    requested: float = 0.0
    ready: float | None = None
    first_wait: float | None = None
    finished: float | None = None
    cells: list[Cell] = field(default_factory=list)
    failure: str = ""

    @property
    def failed_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.status != "ok"]


def first_line(text: str) -> str:
    """The first non-blank line of `text`, stripped of ANSI colours."""
    for line in text.splitlines():
        plain = line
        while "\x1b[" in plain:
            start = plain.index("\x1b[")
            end = start + 2
            while end < len(plain) and not plain[end].isalpha():
                end += 1
            plain = plain[:start] + plain[end + 1 :]
        if plain.strip():
            return plain.strip()
    return ""


async def run_cell(student: Student, label: str, code: str, timeout: float) -> Cell:
    """Executes `code`; times it up to its execute_reply, then waits for the kernel to be idle."""
    client = student.client
    start = time.perf_counter()
    deadline = start + timeout
    msg_id = client.execute(code)
    reply: dict[str, Any] | None = None
    seconds = 0.0
    while reply is None:
        try:
            msg = await client.get_shell_msg(timeout=max(deadline - time.perf_counter(), 0.01))
        except queue.Empty:
            await interrupt(student, msg_id)
            return Cell(label, timeout, "timeout", f"no execute_reply within {timeout:.0f} s")
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg["content"]
            seconds = time.perf_counter() - start
    errors: list[str] = []
    stderr: list[str] = []
    while True:
        try:
            msg = await client.get_iopub_msg(timeout=max(deadline - time.perf_counter(), 5.0))
        except queue.Empty:
            break  # the reply came; a missing idle status should not stop the class
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind == "error":
            content = msg["content"]
            errors.append(f"{content.get('ename', '')}: {content.get('evalue', '')}")
            errors.extend(content.get("traceback", []))
        elif kind == "stream" and msg["content"]["name"] == "stderr":
            stderr.append(msg["content"]["text"])
    status = reply.get("status", "?")
    if status == "ok":
        return Cell(label, seconds, status)
    replied = f"{reply.get('ename', '')}: {reply.get('evalue', '')}".strip(": ")
    error = first_line(replied) or first_line("\n".join(errors)) or first_line("".join(stderr))
    detail = "\n".join([replied, *errors, "".join(stderr)])
    return Cell(label, seconds, status, error, detail)


async def interrupt(student: Student, msg_id: str, grace: float = 30.0) -> None:
    """Interrupts a cell that ran over its timeout and waits a little for its reply.

    The next cell is then not queued behind it, as a student waits for the
    interrupted cell to stop before running another.
    """
    if student.manager is None:
        return
    try:
        await asyncio.wait_for(student.manager.interrupt_kernel(), 10)
    except Exception:  # noqa: BLE001 - a kernel that cannot be interrupted is reported by its next cell
        return
    deadline = time.perf_counter() + grace
    while True:
        try:
            msg = await student.client.get_shell_msg(timeout=max(deadline - time.perf_counter(), 0.01))
        except queue.Empty:
            return
        if msg["parent_header"].get("msg_id") == msg_id:
            return


async def attend(student: Student, args: argparse.Namespace, sampler: TreeSampler, log: IO[str]) -> None:
    """One student: starts a kernel, runs the course_lib cell, then the ordinary cells with think time."""
    think = random.Random(f"{args.seed}-{student.number}")
    manager = AsyncKernelManager(kernel_name=KERNEL)
    student.manager = manager
    student.requested = time.perf_counter()
    try:
        await manager.start_kernel(stderr=log)
        sampler.watch(student.number, manager.provisioner.pid)
        student.client = manager.client()
        student.client.start_channels()
        await student.client.wait_for_ready(timeout=args.timeout)
        student.ready = time.perf_counter() - student.requested
        cell = await run_cell(student, "course_lib", COURSE_LIB_CELL, args.timeout)
        student.cells.append(cell)
        if cell.status == "ok":
            student.first_wait = time.perf_counter() - student.requested
        for round_number in range(1, args.rounds + 1):
            for label, code in ORDINARY_CELLS:
                await asyncio.sleep(args.think * think.uniform(0.5, 1.5))
                student.cells.append(await run_cell(student, f"round {round_number}, {label}", code, args.timeout))
    except Exception as error:  # noqa: BLE001 - one student's broken kernel must not stop the class
        student.failure = f"{type(error).__name__}: {first_line(str(error)) or 'no message'}"
    finally:
        student.finished = time.perf_counter()


async def dismiss(student: Student) -> None:
    """Shuts a student's kernel down, forcibly if it does not stop by itself."""
    if student.client is not None:
        student.client.stop_channels()
    manager = student.manager
    if manager is None or not manager.has_kernel:
        return
    try:
        await asyncio.wait_for(manager.shutdown_kernel(now=False), 30)
    except Exception:  # noqa: BLE001 - fall back to killing it
        if manager.has_kernel:
            await manager.shutdown_kernel(now=True)


async def lesson(args: argparse.Namespace, logs: Path) -> tuple[list[Student], TreeSampler, list[tuple[int, int]]]:
    """Runs the class; returns the students, the memory readings and any process left running."""
    sampler = TreeSampler(args.interval)
    sampler.start()
    students = [Student(n, logs / f"kernel-{n}.log") for n in range(1, args.students + 1)]
    files = [student.log_path.open("w") for student in students]
    try:
        await asyncio.gather(*(attend(s, args, sampler, f) for s, f in zip(students, files)))
        # Readings after everyone's last cell: the steady state.
        await asyncio.sleep(args.settle)
    finally:
        sampler.closing_at = time.perf_counter()
        try:
            await asyncio.gather(*(dismiss(s) for s in students), return_exceptions=True)
        finally:
            for student in students:
                sampler.unwatch(student.number)
            sampler.stop()
            for f in files:
                f.close()
            left = await sweep(sampler)
    return students, sampler, left


async def sweep(sampler: TreeSampler) -> list[tuple[int, int]]:
    """Kills what is left of the kernels' process trees; returns (student, pid) of each process killed."""
    left = sampler.leftovers()
    for _ in range(20):  # the processes of a kernel may take a moment to exit
        if not left:
            break
        await asyncio.sleep(0.25)
        left = sampler.leftovers()
    for _, pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (linear interpolation between the closest ranks)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def machine(load: tuple[float, float, float]) -> str:
    """Cores, total memory and the load average measured at the start, as one line."""
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    total = available = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            name, value = line.split(":", 1)
            if name == "MemTotal":
                total = int(value.split()[0]) * 1024
            elif name == "MemAvailable":
                available = int(value.split()[0]) * 1024
    cores_text = f"{cores} cores" + (f" ({usable} usable)" if usable != cores else "")
    return (
        f"machine: {cores_text}, {total / MB / 1024:.1f} GB memory ({available / MB / 1024:.1f} GB available), "
        f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def row(label: str, values: list[float], unit: str) -> str:
    """A measure's median and maximum over kernels."""
    if not values:
        return f"{label:44} {'-':>9} {'-':>9}"
    return f"{label:44} {statistics.median(values):8.1f}{unit} {max(values):8.1f}{unit}"


def tail(path: Path, lines: int) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []


def report(
    args: argparse.Namespace,
    load: tuple[float, float, float],
    students: list[Student],
    sampler: TreeSampler,
    left: list[tuple[int, int]],
    elapsed: float,
) -> None:
    """Prints the machine, memory, waits, latencies, failures and leftovers."""
    print(machine(load))
    print(
        f"class: {args.students} students, {args.rounds} round(s) of {len(ORDINARY_CELLS)} cells, "
        f"think time {args.think:g} s +-50% (seed {args.seed}), {elapsed:.0f} s in all"
    )
    peaks: dict[int, float] = {}
    steady: dict[int, float] = {}
    processes: dict[int, int] = {}
    holders: dict[int, dict[str, int]] = {}
    for student in students:
        samples = sampler.samples.get(student.number, [])
        if not samples:
            continue
        peaks[student.number] = max(s.rss for s in samples) / MB
        processes[student.number] = max(s.processes for s in samples)
        finished = student.finished if student.finished is not None else float("inf")
        after = [s for s in samples if finished <= s.at < sampler.closing_at]
        if after:
            steady[student.number] = statistics.median(s.rss for s in after) / MB
            holders[student.number] = after[-1].by_command

    later = [cell.seconds for s in students for cell in s.cells[1:] if cell.status == "ok"]
    waits = [s.first_wait for s in students if s.first_wait is not None]
    readies = [s.ready for s in students if s.ready is not None]
    print()
    print(f"{'measure (over kernels)':44} {'median':>9} {'max':>9}")
    print(row("memory per kernel tree, peak", list(peaks.values()), "M"))
    print(row("memory per kernel tree, after the last cell", list(steady.values()), "M"))
    print(row("launch -> kernel_info reply", readies, "s"))
    print(row("launch -> first course_lib cell's reply", waits, "s"))
    if later:
        print(
            f"later cells ({len(later)} ok): p50 {percentile(later, 50):.2f} s, "
            f"p95 {percentile(later, 95):.2f} s, max {max(later):.2f} s"
        )

    print()
    print(f"{'student':>7} {'first cell':>11} {'peak':>8} {'steady':>8} {'procs':>6} {'cells ok':>9}")
    for student in students:
        wait = f"{student.first_wait:10.1f}s" if student.first_wait is not None else f"{'-':>11}"
        peak = f"{peaks[student.number]:7.0f}M" if student.number in peaks else f"{'-':>8}"
        still = f"{steady[student.number]:7.0f}M" if student.number in steady else f"{'-':>8}"
        procs = processes.get(student.number, 0)
        ok = sum(cell.status == "ok" for cell in student.cells)
        planned = 1 + args.rounds * len(ORDINARY_CELLS)
        print(f"{student.number:>7} {wait} {peak} {still} {procs:>6} {ok:>4} / {planned}")

    # What holds the memory once the cells are done, by command name.
    for number, by_command in holders.items():
        parts = sorted(by_command.items(), key=lambda item: -item[1])
        text = ", ".join(f"{name} {rss / MB:.0f}M" for name, rss in parts)
        print(f"kernel {number} after the last cell: {text}")

    # The kernel logs how its start-up went: where the first cell's wait went.
    for student in students:
        for line in reversed(tail(student.log_path, 1000)):
            if "session ready in" in line:
                print(f"kernel {student.number}: {line[line.index('session ready in') :]}")
                break

    failed = [(s, cell) for s in students for cell in s.failed_cells]
    broken = [s for s in students if s.failure]
    print()
    print(f"failed cells: {len(failed)}")
    for student, cell in failed:
        print(f"  student {student.number}, {cell.label}: {cell.status}: {cell.error or '(no error text)'}")
    for student in broken:
        print(f"  student {student.number} stopped: {student.failure}")
    for student in students:
        if student.failed_cells or student.failure:
            lines = tail(student.log_path, 5)
            if lines:
                print(f"  last lines of kernel {student.number}'s log:")
                for line in lines:
                    print(f"    {line}")
    if left:
        print(f"processes left running after shutdown (killed): {', '.join(f'{pid} (kernel {n})' for n, pid in left)}")
    else:
        print("processes left running after shutdown: none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4, help="kernels started at once")
    parser.add_argument("--rounds", type=int, default=3, help="times each student runs the ordinary cells")
    parser.add_argument("--think", type=float, default=5.0, help="mean think time before a cell, in seconds")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times")
    parser.add_argument("--timeout", type=float, default=600.0, help="limit per cell (and for a kernel to answer)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between memory readings")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of readings after the last cell")
    parser.add_argument("--logs", type=Path, help="keep each kernel's log (stderr) in this directory")
    args = parser.parse_args()
    load = os.getloadavg()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rcourse-classroom-") as name:
        logs = args.logs or Path(name)
        logs.mkdir(parents=True, exist_ok=True)
        students, sampler, left = asyncio.run(lesson(args, logs))
        report(args, load, students, sampler, left, time.perf_counter() - start)
        if args.logs:
            with (logs / "failures.txt").open("w") as failures:
                for student in students:
                    for cell in student.failed_cells:
                        failures.write(f"== student {student.number}, {cell.label}: {cell.status}\n{cell.detail}\n")


if __name__ == "__main__":
    main()
