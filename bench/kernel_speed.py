#!/usr/bin/env python3
"""Kernel speed: launch, first course_lib cell, trivial cells, bulk output.

Run after `./install/setup.sh --no-open` (it installs the kernelspec):

    .venv/bin/python bench/kernel_speed.py [--cells 20] [--runs 3]

Each figure is printed next to the evcxr_jupyter 0.22 figure measured on
the course's 2-core reference machine, with the target from the kernel's
specification. Nothing here asserts: it reports.
"""

import argparse
import statistics
import time

from jupyter_client.manager import KernelManager

KERNEL = "rcourse"
REFERENCE = {
    "launch": ("9-12 s", 0.5),
    "first": ("85-93 s (11 s with :cache)", 2.0),
    "ready": ("85-93 s (11 s with :cache)", 2.0),
    "trivial": ("about 1.0 s", 0.30),
    "lines": ("over 300 s", None),
}


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


def start_kernel():
    """Starts a kernel; returns its manager, a ready client and the seconds it took."""
    manager = KernelManager(kernel_name=KERNEL)
    start = time.perf_counter()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return manager, client, time.perf_counter() - start


def stop_kernel(manager, client):
    client.stop_channels()
    manager.shutdown_kernel(now=False)


def one_session(cells):
    manager, client, launch = start_kernel()
    course_cell = "let t = Table::new().headers([\"n\"]).row([1]); t.len()"
    first, reply, _ = run_cell(client, course_cell)
    assert reply["status"] == "ok", reply
    stop_kernel(manager, client)

    # The same cell in a session whose start-up (evcxr, rust-analyzer, the
    # course library, the warm-up) is over: the wait a student sees after
    # reading the notebook's first lines.
    manager, client, _ = start_kernel()
    run_cell(client, "1")
    ready, reply, _ = run_cell(client, course_cell)
    assert reply["status"] == "ok", reply
    run_cell(client, "let x0 = 0;")
    trivial = []
    for n in range(1, cells + 1):
        seconds, reply, _ = run_cell(client, f"let x{n} = x{n - 1} + {n}; x{n}")
        assert reply["status"] == "ok", reply
        trivial.append(seconds)
    lines_seconds, reply, outputs = run_cell(
        client, 'for i in 0..100_000 { println!("line {i}"); }'
    )
    text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    assert text.count("\n") == 100_000, text.count("\n")
    stop_kernel(manager, client)
    return launch, first, statistics.median(trivial), lines_seconds, len(outputs), ready


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=20, help="trivial cells per session")
    parser.add_argument("--runs", type=int, default=3, help="kernel sessions")
    args = parser.parse_args()
    sessions = [one_session(args.cells) for _ in range(args.runs)]
    rows = [
        ("launch -> kernel_info reply", "launch", [s[0] for s in sessions]),
        ("first course_lib cell, at launch", "first", [s[1] for s in sessions]),
        ("first course_lib cell, session up", "ready", [s[5] for s in sessions]),
        (f"median trivial cell (of {args.cells})", "trivial", [s[2] for s in sessions]),
        ("100,000 printed lines", "lines", [s[3] for s in sessions]),
    ]
    print(f"{'measure':34} {'median':>9} {'runs':>24}  {'target':>8}  evcxr_jupyter 0.22")
    for label, key, values in rows:
        reference, target = REFERENCE[key]
        runs = " ".join(f"{v:.2f}" for v in values)
        target_text = f"<= {target:.2f}" if target else "-"
        print(f"{label:34} {statistics.median(values):8.2f}s {runs:>24}  {target_text:>8}  {reference}")
    print(f"(100,000 lines arrived in {sessions[-1][4]} stream messages)")


if __name__ == "__main__":
    main()
