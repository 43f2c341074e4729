#!/usr/bin/env python3
"""Kernel speed and memory: rcourse against bare evcxr_jupyter, in one run.

Run after `./install/setup.sh --no-open` (it installs the rcourse kernelspec)
and `bench/setup-evcxr.sh` (evcxr_jupyter 0.22, the reference, without the
course library; a long build, so not part of the set-up):

    .venv/bin/python bench/kernel_speed.py [--runs 3] [--cells 10] [--kernels rcourse,...]

Each run starts one session of each kernel, the two alternating (so both see
the same load), and measures, for each session:

- launch -> kernel_info reply;
- the first cell, sent as soon as the kernel answers: for rcourse a cell that
  calls course_lib, for evcxr a trivial one (`let x0 = 1 + 1; x0`);
- launch -> that first result, and the CPU time the kernel's whole process
  tree (kernel, cell process, cargo, rustc, the linker) spent until then;
- the first completion (a session variable's methods) and its reply time;
- the median of `--cells` trivial cells (`let xN = x(N-1) + N; xN`);
- the resident memory (RSS) of the kernel's process tree after those cells.

It prints the median over runs of each figure for each kernel, the ratio of
each to evcxr's, and the target of the course's specification. Nothing here
asserts: it reports. Without the reference kernel it measures rcourse alone.
`--kernels` measures other installed kernelspecs of rcourse too (say, an
older build), each as rcourse.
"""

import argparse
import os
import statistics
import time

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

KERNEL = "rcourse"
REFERENCE = "evcxr-reference"
# The first cell: rcourse's uses the course library, evcxr's is trivial.
COURSE_CELL = 'let x0 = Table::new().headers(["n"]).row([1]).len() + 1; x0'
TRIVIAL_CELL = "let x0 = 1 + 1; x0"
TICKS = os.sysconf("SC_CLK_TCK")

# (key, label, unit, target as text, or None)
FIGURES = [
    ("launch", "launch -> kernel_info reply", "s", None),
    ("first_cell", "first cell, sent right after that", "s", None),
    ("first_result", "launch -> first result", "s", "<= 2 s, and below evcxr"),
    ("cpu", "CPU-seconds, launch -> first result", "s", "<= 3 s"),
    ("completion", "first completion (x0.che|)", "s", None),
    ("trivial", "median trivial cell", "s", "<= 0.5 x evcxr"),
    ("rss", "RSS of the process tree after the cells", "MB", "<= 400 MB, <= 0.8 x evcxr"),
]


def descendants(pid):
    """`pid` and every process below it."""
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in children.read().split():
                    found.extend(descendants(int(child)))
    except OSError:
        pass  # gone meanwhile
    return found


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        text = stat.read()
    return text[text.rindex(b")") + 2 :].split()


def tree_cpu_seconds(pid):
    """CPU time of `pid`'s process tree: each live process's user and system
    time, plus what its children that ended had used (cargo and rustc runs)."""
    total = 0
    for process in descendants(pid):
        try:
            fields = stat_fields(process)
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def tree_rss_mb(pid):
    """The resident memory of `pid`'s process tree, in MB."""
    total_kb = 0
    for process in descendants(pid):
        try:
            with open(f"/proc/{process}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def run_cell(client, code, timeout=600):
    """Executes `code`; returns (seconds until the reply, reply content, outputs)."""
    start = time.perf_counter()
    msg_id = client.execute(code)
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "error", "display_data"):
            outputs.append(msg)
    reply = client.get_shell_msg(timeout=timeout)
    return time.perf_counter() - start, reply["content"], outputs


def complete(client, code, timeout=600):
    """Asks for completions at the end of `code`; returns (seconds, matches)."""
    start = time.perf_counter()
    msg_id = client.complete(code, len(code))
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return time.perf_counter() - start, reply["content"].get("matches", [])


def session(kernel, cells):
    """One session of `kernel`: its figures (see FIGURES)."""
    manager = KernelManager(kernel_name=kernel)
    start = time.perf_counter()
    manager.start_kernel()
    pid = manager.provisioner.process.pid
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        figures = {"launch": time.perf_counter() - start}
        seconds, reply, _ = run_cell(client, TRIVIAL_CELL if kernel == REFERENCE else COURSE_CELL)
        assert reply["status"] == "ok", reply
        figures["first_cell"] = seconds
        figures["first_result"] = time.perf_counter() - start
        figures["cpu"] = tree_cpu_seconds(pid)
        seconds, matches = complete(client, "x0.che")
        assert any(m.startswith("checked_") for m in matches), matches
        figures["completion"] = seconds
        trivial = []
        for n in range(1, cells + 1):
            seconds, reply, _ = run_cell(client, f"let x{n} = x{n - 1} + {n}; x{n}")
            assert reply["status"] == "ok", reply
            trivial.append(seconds)
        figures["trivial"] = statistics.median(trivial)
        figures["rss"] = tree_rss_mb(pid)
        return figures
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


def has_kernel(name):
    try:
        KernelSpecManager().get_kernel_spec(name)
        return True
    except NoSuchKernel:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="sessions of each kernel")
    parser.add_argument("--cells", type=int, default=10, help="trivial cells per session")
    parser.add_argument("--kernels", default=KERNEL, help="rcourse kernelspecs to measure, comma-separated")
    args = parser.parse_args()
    kernels = args.kernels.split(",")
    if has_kernel(REFERENCE):
        kernels.append(REFERENCE)
    else:
        print(f"(no {REFERENCE} kernelspec: run bench/setup-evcxr.sh to compare with evcxr_jupyter)")
    results = {kernel: [] for kernel in kernels}
    for run in range(args.runs):
        # Rotate which kernel goes first, so all see the same load.
        shift = run % len(kernels)
        for kernel in kernels[shift:] + kernels[:shift]:
            results[kernel].append(session(kernel, args.cells))
    with open("/proc/loadavg") as load:
        loadavg = " ".join(load.read().split()[:3])
    print(f"{args.runs} sessions of each kernel, {args.cells} trivial cells each; "
          f"{os.cpu_count()} cores, load average now {loadavg}")
    reference = results.get(REFERENCE)
    header = f"{'figure':42}" + "".join(f" {kernel[:16]:>16}" for kernel in kernels)
    print(header + "  target")
    for key, label, unit, target in FIGURES:
        line = f"{label:42}"
        theirs = statistics.median(r[key] for r in reference) if reference else None
        for kernel in kernels:
            value = statistics.median(r[key] for r in results[kernel])
            shown = f"{value:.2f} s" if unit == "s" else f"{value:.0f} MB"
            if theirs and kernel != REFERENCE:
                shown += f" ({value / theirs:.2f}x)"
            line += f" {shown:>16}"
        print(line + (f"  {target}" if target else ""))
    print("(x: the ratio to evcxr's figure in the same run)" if reference else "")
    for kernel in kernels:
        runs = "; ".join(
            ", ".join(f"{key} {r[key]:.2f}" for key, *_ in FIGURES) for r in results[kernel]
        )
        print(f"{kernel} runs: {runs}")


if __name__ == "__main__":
    main()
