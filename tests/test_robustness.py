"""Robustness of the kernel: errors, interrupts and the processes cells start,
hostile messages, restarts, large and non-ASCII output, several kernels, and
execute_request options.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any, Callable

import pytest
import zmq
from jupyter_client.session import Session

from conftest import CELL_TIMEOUT, FIRST_CELL_TIMEOUT, STARTUP_TIMEOUT, Kernel, start_kernel

# Bounds that are part of the kernel's contract (with a wide margin for a busy machine).
INTERRUPT_BOUND = 5.0  # seconds from interrupt_request to the execute_reply of `loop {}`
CONTROL_BOUND = 5.0  # seconds for a control reply while a cell is running


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def test_panic_keeps_earlier_variables(kernel: Kernel) -> None:
    kernel.execute_ok("let kept_before_panic = 41;\nlet kept_text = String::from(\"still here\");")

    res = kernel.execute('panic!("deliberate panic 7311");')
    assert res.status == "error", res.describe()
    assert len(res.errors) == 1, res.describe()
    assert "deliberate panic 7311" in res.error_text(), res.describe()
    assert res.reply["content"].get("ename"), res.describe()

    res = kernel.execute_ok("kept_before_panic + 1")
    assert res.result == "42", res.describe()
    res = kernel.execute_ok("kept_text.clone()")
    assert res.result == '"still here"', res.describe()


def test_a_panic_the_cell_catches_does_not_fail_it(kernel: Kernel) -> None:
    res = kernel.execute_ok(
        'let caught = std::panic::catch_unwind(|| { panic!("boom"); }).is_err();\ncaught'
    )
    assert res.result == "true", res.describe()
    assert "panicked: boom" in res.stderr, res.describe()
    res = kernel.execute_ok("caught")
    assert res.result == "true", res.describe()


def test_compile_error_is_one_error_message_without_stderr(kernel: Kernel) -> None:
    code = 'let fine = 1;\nlet broken: i32 = "text";'
    res = kernel.execute(code)
    assert res.status == "error", res.describe()
    assert [m["msg_type"] for m in res.outputs] == ["error"], res.describe()
    assert res.stderr == "", res.describe()
    err = res.errors[0]
    assert err["ename"] in ("E0308", "CompilationError"), res.describe()
    assert "E0308" in res.error_text(), res.describe()
    # The failed cell defined nothing.
    res = kernel.execute("fine")
    assert res.status == "error", res.describe()


def test_runtime_error_output_before_panic_is_kept(kernel: Kernel) -> None:
    res = kernel.execute('println!("partial output");\nlet v: Vec<i32> = Vec::new();\nv[3]')
    assert res.status == "error", res.describe()
    assert "partial output\n" in res.stdout, res.describe()
    assert "index out of bounds" in res.error_text(), res.describe()


# --------------------------------------------------------------------------
# Interrupt and control-channel responsiveness
# --------------------------------------------------------------------------


def test_interrupt_stops_infinite_loop(fresh_kernel: Kernel) -> None:
    k = fresh_kernel
    k.execute_ok("let lost_on_interrupt = 5;")

    loop_id = k.send_execute('println!("spin-start");\nloop {}')
    k.wait_for_stream(loop_id, "spin-start", timeout=CELL_TIMEOUT)
    time.sleep(0.3)  # let it spin for a moment

    start = time.monotonic()
    interrupt_id = k.send_control("interrupt_request")
    reply = k.wait_control_reply(interrupt_id, timeout=INTERRUPT_BOUND)
    assert reply["msg_type"] == "interrupt_reply"
    assert reply["content"]["status"] == "ok", reply["content"]

    res = k.wait_execute(loop_id, timeout=max(0.1, INTERRUPT_BOUND - (time.monotonic() - start)))
    elapsed = time.monotonic() - start
    assert elapsed <= INTERRUPT_BOUND, f"loop stopped after {elapsed:.1f}s"
    assert res.status in ("error", "aborted"), res.describe()
    # The kernel says which variables the interrupt lost.
    assert "lost_on_interrupt" in res.error_text(), res.describe()

    # And the kernel is usable again.
    res = k.execute_ok("6 * 7", timeout=60)
    assert res.result == "42", res.describe()


def test_kernel_manager_interrupt(fresh_kernel: Kernel) -> None:
    """Interrupt the way JupyterLab does it, through the KernelManager."""
    k = fresh_kernel
    assert k.km.kernel_spec.interrupt_mode == "message"
    loop_id = k.send_execute('println!("spin-start");\nloop {}')
    k.wait_for_stream(loop_id, "spin-start", timeout=CELL_TIMEOUT)
    start = time.monotonic()
    k.km.interrupt_kernel()
    res = k.wait_execute(loop_id, timeout=INTERRUPT_BOUND)
    assert time.monotonic() - start <= INTERRUPT_BOUND
    assert res.status in ("error", "aborted"), res.describe()
    res = k.execute_ok('String::from("alive")', timeout=60)
    assert res.result == '"alive"', res.describe()


def test_control_answers_while_cell_runs(kernel: Kernel) -> None:
    code = (
        'println!("long-start");\n'
        "std::thread::sleep(std::time::Duration::from_secs(6));\n"
        'println!("long-end");'
    )
    cell_id = kernel.send_execute(code)
    kernel.wait_for_stream(cell_id, "long-start", timeout=CELL_TIMEOUT)

    start = time.monotonic()
    reply = kernel.control("kernel_info_request", timeout=CONTROL_BOUND)
    elapsed = time.monotonic() - start
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["status"] == "ok"
    assert elapsed <= CONTROL_BOUND

    # The cell was not disturbed.
    res = kernel.wait_execute(cell_id)
    assert res.status == "ok", res.describe()
    assert res.stdout == "long-start\nlong-end\n", res.describe()


# --------------------------------------------------------------------------
# Processes that cells start
# --------------------------------------------------------------------------


def _running(argument: str) -> list[int]:
    """Pids of the live processes (not zombies) with `argument` among their arguments."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                arguments = f.read().split(b"\0")
            with open(f"/proc/{entry.name}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if argument.encode() in arguments and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _sleep_argument(seconds: int) -> str:
    """A `sleep` argument no other test run uses: `seconds` and a unique fraction."""
    return f"{seconds}.{os.getpid()}{uuid.uuid4().int % 10_000:04d}"


def _spawn_sleep(argument: str) -> str:
    return f'std::process::Command::new("sleep").arg("{argument}").spawn().unwrap();\n'


def _interrupt(k: Kernel, cell_id: str) -> tuple[Any, float]:
    start = time.monotonic()
    reply = k.control("interrupt_request", timeout=INTERRUPT_BOUND)
    assert reply["content"]["status"] == "ok", reply["content"]
    res = k.wait_execute(cell_id, timeout=max(0.1, INTERRUPT_BOUND - (time.monotonic() - start)))
    return res, time.monotonic() - start


def test_interrupt_stops_the_processes_a_cell_started(fresh_kernel: Kernel) -> None:
    k = fresh_kernel
    sleeper = _sleep_argument(4517)
    cell_id = k.send_execute(_spawn_sleep(sleeper) + 'println!("spawned");\nloop {}')
    k.wait_for_stream(cell_id, "spawned", timeout=CELL_TIMEOUT)
    assert _running(sleeper), "the cell's child process did not start"

    res, elapsed = _interrupt(k, cell_id)
    assert elapsed <= INTERRUPT_BOUND, f"the cell stopped after {elapsed:.1f}s"
    assert res.status in ("error", "aborted"), res.describe()
    assert _wait_until(lambda: not _running(sleeper), 2.0), f"sleep {sleeper} survived the interrupt"
    res = k.execute_ok("6 * 7", timeout=60)
    assert res.result == "42", res.describe()


@pytest.mark.parametrize("how", ["shutdown", "restart"])
def test_no_process_a_cell_started_outlives_its_kernel(kernel_name: str, how: str) -> None:
    """A plain child, a daemon that left the cell's session and group
    (`setsid`), and a shell escape's background job all end with the kernel;
    the background job does not hold its cell up either."""
    k = start_kernel(kernel_name)
    plain, daemon, background = (_sleep_argument(n) for n in (4519, 4520, 4521))
    try:
        k.execute_ok(_spawn_sleep(plain) + '"spawned"')
        k.execute_ok(
            'std::process::Command::new("sh").arg("-c")'
            f'.arg("setsid sleep {daemon} > /dev/null 2>&1 &").status().unwrap();'
        )
        started = time.monotonic()
        k.execute_ok(f"! sleep {background} &\n! echo after", timeout=30)
        assert time.monotonic() - started < 10, "the cell waited for its shell escape's background job"
        for sleeper in (plain, daemon, background):
            assert _running(sleeper), f"sleep {sleeper} did not start"
        if how == "restart":
            k.km.restart_kernel(now=False)
            k.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
    finally:
        k.shutdown()
    for sleeper in (plain, daemon, background):
        assert _wait_until(lambda: not _running(sleeper), 5.0), f"sleep {sleeper} outlived its kernel ({how})"


def test_interrupt_stops_a_shell_escape_and_keeps_variables(fresh_kernel: Kernel) -> None:
    k = fresh_kernel
    k.execute_ok("let kept_through_shell = 41;")
    sleeper = _sleep_argument(4518)
    cell_id = k.send_execute(f"! sleep {sleeper}")
    assert _wait_until(lambda: bool(_running(sleeper)), CELL_TIMEOUT), "the shell command did not start"

    res, elapsed = _interrupt(k, cell_id)
    assert elapsed <= INTERRUPT_BOUND, f"the shell command stopped after {elapsed:.1f}s"
    assert res.status == "error", res.describe()
    assert res.errors[0]["ename"] == "Interrupted", res.describe()
    assert _wait_until(lambda: not _running(sleeper), 2.0), f"sleep {sleeper} survived the interrupt"
    # The cell process was left alone: the variables are still there.
    res = k.execute_ok("kept_through_shell + 1")
    assert res.result == "42", res.describe()


def test_shell_escapes_show_their_output_as_before(kernel: Kernel) -> None:
    res = kernel.execute_ok("! echo out; echo err >&2")
    assert res.result == "out\nerr\n", res.describe()
    res = kernel.execute("! echo out; echo err >&2; exit 3")
    assert res.status == "error", res.describe()
    assert "exit code 3: err" in res.error_text(), res.describe()
    res = kernel.execute_ok("// a comment\n! echo first\nlet after_shell = 2;\nafter_shell * 21")
    assert res.result == "first\n42", res.describe()


# --------------------------------------------------------------------------
# Hostile and malformed messages
# --------------------------------------------------------------------------

DELIM = b"<IDS|MSG>"


def _connection(kernel: Kernel) -> dict[str, Any]:
    info = kernel.km.get_connection_info(session=False)
    key = info["key"]
    info["key"] = key.encode() if isinstance(key, str) else key
    return info


def _session(info: dict[str, Any], key: bytes | None = None) -> Session:
    return Session(
        key=info["key"] if key is None else key,
        signature_scheme=info.get("signature_scheme", "hmac-sha256"),
        username="intruder",
    )


def _dealer(ctx: zmq.Context, info: dict[str, Any], port_name: str) -> zmq.Socket:
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.identity = f"test-{uuid.uuid4().hex[:8]}".encode()
    sock.connect(f"{info['transport']}://{info['ip']}:{info[port_name]}")
    return sock


def _bad_frame_sets(info: dict[str, Any], msg_type: str, content: dict[str, Any]) -> dict[str, list[bytes]]:
    """Frames of one message, spoiled in every way the kernel must reject."""
    good = _session(info)
    msg = good.msg(msg_type, content)
    frames = good.serialize(msg)  # [DELIM, sig, header, parent, metadata, content]
    assert frames[0] == DELIM and len(frames) == 6
    body = frames[2:]

    wrong_key = _session(info, key=b"not-the-kernel-key")
    not_json = [b"{this is not json", b"{}", b"{}", b"{}"]
    not_utf8 = [b"\xff\xfe\x00garbage", b"{}", b"{}", b"{}"]
    return {
        "unsigned": [DELIM, b"", *body],
        "wrong signature": [DELIM, wrong_key.sign(body), *body],
        "garbage signature": [DELIM, b"0" * 64, *body],
        "signature of other content": [DELIM, good.sign([body[0], body[1], body[2], b"{}"]), *body],
        "missing delimiter": [frames[1], *body],
        "too few frames": [DELIM, frames[1], body[0]],
        "only a delimiter": [DELIM],
        "single garbage frame": [b"\x00\x01garbage"],
        "non-JSON header, valid signature": [DELIM, good.sign(not_json), *not_json],
        "non-UTF-8 header, valid signature": [DELIM, good.sign(not_utf8), *not_utf8],
        "header without msg_type, valid signature": _signed_parts(
            good, [json.dumps({"msg_id": uuid.uuid4().hex}).encode(), b"{}", b"{}", b"{}"]
        ),
    }


def _signed_parts(session: Session, parts: list[bytes]) -> list[bytes]:
    return [DELIM, session.sign(parts), *parts]


def _assert_silent(sock: zmq.Socket, seconds: float, what: str) -> None:
    if sock.poll(int(seconds * 1000)):
        frames = sock.recv_multipart()
        raise AssertionError(f"kernel answered a message it should have dropped ({what}): {frames!r}")


def _assert_kernel_healthy(kernel: Kernel) -> None:
    assert kernel.km.is_alive(), "kernel process died"
    reply = kernel.kernel_info(timeout=30)
    assert reply["content"]["status"] == "ok"
    reply = kernel.control("kernel_info_request", timeout=30)
    assert reply["content"]["status"] == "ok"


MARK = "FORGED-" + uuid.uuid4().hex[:8]


@pytest.mark.parametrize(
    "port_name,msg_type,content",
    [
        (
            "shell_port",
            "execute_request",
            {
                "code": f'println!("{MARK}");',
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        ),
        ("control_port", "shutdown_request", {"restart": False}),
        ("stdin_port", "input_reply", {"value": MARK}),
    ],
    ids=["shell", "control", "stdin"],
)
def test_bad_messages_are_dropped(kernel: Kernel, port_name: str, msg_type: str, content: dict[str, Any]) -> None:
    info = _connection(kernel)
    ctx = zmq.Context()
    try:
        sock = _dealer(ctx, info, port_name)
        time.sleep(0.3)  # let the connection establish
        for variant, frames in _bad_frame_sets(info, msg_type, content).items():
            sock.send_multipart(frames)
            _assert_silent(sock, 0.3, variant)
        _assert_silent(sock, 1.0, "any variant")
        _assert_kernel_healthy(kernel)

        # Nothing forged was executed: no output carries the marker.
        probe = kernel.execute_ok('println!("probe");')
        assert probe.stdout == "probe\n", probe.describe()
        kernel.drain(0.5)
        leaked = [m for m in kernel.all_iopub() if MARK in json.dumps(m["content"], default=str)]
        assert not leaked, leaked
        # Nothing forged was stored in the history either.
        hist = kernel.history(hist_access_type="search", pattern=f"*{MARK}*")
        assert hist["history"] == [], hist

        # The same socket gets an answer to a properly signed request, so the
        # frames above were rejected for their faults, not for the transport.
        if port_name in ("shell_port", "control_port"):
            good = _session(info)
            request = good.msg("kernel_info_request", {})
            sock.send_multipart(good.serialize(request))
            assert sock.poll(30_000), "no reply to a properly signed kernel_info_request"
            frames = sock.recv_multipart()
            idents, msg_frames = good.feed_identities(frames)
            reply = good.deserialize(msg_frames)  # checks the reply's signature
            assert reply["header"]["msg_type"] == "kernel_info_reply"
            assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
    finally:
        ctx.destroy(linger=0)


def test_heartbeat_echoes_bytes(kernel: Kernel) -> None:
    info = _connection(kernel)
    ctx = zmq.Context()
    try:
        sock = ctx.socket(zmq.REQ)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
        for payload in (b"ping", os.urandom(64), "héllo ✓ 🦀".encode(), b"\x00" * 10):
            sock.send(payload)
            assert sock.poll(10_000), "heartbeat did not answer"
            assert sock.recv() == payload
    finally:
        ctx.destroy(linger=0)


# --------------------------------------------------------------------------
# Restart and shutdown
# --------------------------------------------------------------------------


def test_restart_keeps_history_and_clears_variables(fresh_kernel: Kernel) -> None:
    k = fresh_kernel
    marker = "zz_restart_marker_" + uuid.uuid4().hex[:8]
    k.execute_ok(f"let {marker} = 7;")
    res = k.execute_ok(f"{marker} * 6")
    assert res.result == "42", res.describe()

    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=120)
    k.drain(0.5)

    res = k.execute(f"{marker} * 6", timeout=FIRST_CELL_TIMEOUT)
    assert res.status == "error", "variable survived a restart:\n" + res.describe()
    res = k.execute_ok("1 + 1")
    assert res.result == "2", res.describe()

    hist = k.history(hist_access_type="search", pattern=f"*{marker}*")
    sources = [entry[2] for entry in hist["history"]]
    assert f"let {marker} = 7;" in sources, hist
    tail = k.history(hist_access_type="tail", n=50)
    assert f"let {marker} = 7;" in [entry[2] for entry in tail["history"]], tail


def test_shutdown_request_replies_and_exits(kernel_name: str) -> None:
    k = start_kernel(kernel_name, warm_up=False)
    try:
        reply = k.control("shutdown_request", {"restart": False}, timeout=30)
        assert reply["msg_type"] == "shutdown_reply"
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["restart"] is False
        deadline = time.monotonic() + 30
        while k.km.is_alive():
            assert time.monotonic() < deadline, "kernel still running 30 s after shutdown_reply"
            time.sleep(0.1)
    finally:
        k.shutdown()


# --------------------------------------------------------------------------
# Output volume and encoding
# --------------------------------------------------------------------------


def test_hundred_thousand_lines_arrive_complete(kernel: Kernel) -> None:
    n = 100_000
    res = kernel.execute(f"for i in 0..{n} {{\n    println!(\"line {{i}}\");\n}}", timeout=60)
    assert res.status == "ok", res.describe()
    lines = res.stdout.split("\n")
    assert lines[-1] == "", "output does not end with a newline"
    lines = lines[:-1]
    assert len(lines) == n, f"{len(lines)} lines arrived"
    expected = [f"line {i}" for i in range(n)]
    if lines != expected:
        first_bad = next(i for i, (a, b) in enumerate(zip(lines, expected)) if a != b)
        raise AssertionError(f"line {first_bad} is {lines[first_bad]!r}, expected {expected[first_bad]!r}")
    assert res.stderr == ""


def test_unicode_round_trip(kernel: Kernel) -> None:
    text = "héllo wörld ✓ 🦀"
    code = f'let greeting = "{text}";\nprintln!("{{greeting}}");\neprintln!("{{greeting}}");\ngreeting.to_string()'
    res = kernel.execute_ok(code)
    assert res.stdout == text + "\n", res.describe()
    assert res.stderr == text + "\n", res.describe()
    assert res.result == f'"{text}"', res.describe()
    assert [m["content"]["code"] for m in res.of_type("execute_input")] == [code]

    # The code reached the compiler intact: count characters and bytes there.
    res = kernel.execute_ok("(greeting.chars().count(), greeting.len())")
    assert res.result == f"({len(text)}, {len(text.encode())})", res.describe()

    res = kernel.execute_ok('display(Html("<p>ünïcödé ✓ 🦀</p>".to_string()));')
    assert [m["content"]["data"]["text/html"] for m in res.of_type("display_data")] == ["<p>ünïcödé ✓ 🦀</p>"]


def test_unicode_split_across_writes(kernel: Kernel) -> None:
    """Multi-byte characters written byte by byte still arrive whole."""
    code = (
        "use std::io::Write;\n"
        "let bytes = \"🦀✓é\".as_bytes();\n"
        "let mut out = std::io::stdout();\n"
        "for b in bytes { out.write_all(&[*b]).unwrap(); out.flush().unwrap(); }\n"
        "println!();"
    )
    res = kernel.execute_ok(code)
    assert res.stdout == "🦀✓é\n", res.describe()


def test_text_without_a_final_newline_stays_in_its_cell(kernel: Kernel) -> None:
    """`print!` without a newline, flushed or not, shows in its own cell and
    never holds the cell open."""
    res = kernel.execute('print!("no newline");', timeout=60)
    assert res.status == "ok", res.describe()
    assert res.stdout.startswith("no newline"), res.describe()
    res = kernel.execute('use std::io::Write as _;\nprint!("flushed");\nstd::io::stdout().flush().unwrap();', timeout=60)
    assert res.status == "ok", res.describe()
    assert res.stdout.startswith("flushed"), res.describe()
    res = kernel.execute_ok('print!("before ");\ndisplay(Html("<b>shown</b>".to_string()));\nprintln!("after");')
    assert "before" in res.stdout and "after" in res.stdout and "RCOURSE" not in res.stdout, res.describe()
    assert [m["content"]["data"]["text/html"] for m in res.of_type("display_data")] == ["<b>shown</b>"]
    res = kernel.execute_ok("1 + 1")
    assert res.stdout == "", res.describe()


# --------------------------------------------------------------------------
# Several kernels
# --------------------------------------------------------------------------


def test_two_kernels_at_once(kernel_name: str) -> None:
    kernels: list[Kernel] = []
    try:
        kernels.append(start_kernel(kernel_name, warm_up=False))
        kernels.append(start_kernel(kernel_name, warm_up=False))
        a, b = kernels
        assert a.km.connection_file != b.km.connection_file

        # Both first cells (engine start) run at the same time.
        ida = a.send_execute('let only_in_a = "kernel-a";\nonly_in_a')
        idb = b.send_execute("let only_in_b = 21;\nonly_in_b * 2")
        ra = a.wait_execute(ida, FIRST_CELL_TIMEOUT)
        rb = b.wait_execute(idb, FIRST_CELL_TIMEOUT)
        assert ra.status == "ok" and ra.result == '"kernel-a"', ra.describe()
        assert rb.status == "ok" and rb.result == "42", rb.describe()

        # Concurrent later cells, and no state leaks between the kernels.
        ida = a.send_execute("only_in_b")
        idb = b.send_execute("only_in_b + 1")
        ra = a.wait_execute(ida)
        rb = b.wait_execute(idb)
        assert ra.status == "error", ra.describe()
        assert rb.status == "ok" and rb.result == "22", rb.describe()
    finally:
        for k in kernels:
            k.shutdown()


# --------------------------------------------------------------------------
# execute_request options
# --------------------------------------------------------------------------


def test_stop_on_error_aborts_queued_cells(kernel: Kernel) -> None:
    ids = [
        kernel.send_execute('let aborted_cell_var: u8 = "x";'),
        kernel.send_execute('println!("queued cell ran");'),
        kernel.send_execute("let queued_var = 3;"),
    ]
    results = [kernel.wait_execute(i) for i in ids]
    assert results[0].status == "error", results[0].describe()
    for r in results[1:]:
        assert r.status == "aborted", r.describe()
        assert "queued cell ran" not in r.stdout
        assert not r.of_type("execute_result", "display_data", "error"), r.describe()

    # Later requests run normally, and the aborted cells defined nothing.
    res = kernel.execute("queued_var")
    assert res.status == "error", res.describe()
    res = kernel.execute_ok("1 + 1")
    assert res.result == "2", res.describe()


def test_stop_on_error_false_runs_queued_cells(kernel: Kernel) -> None:
    first = kernel.send_execute('let broken: u8 = "x";', stop_on_error=False)
    second = kernel.send_execute('println!("second cell ran");')
    r1 = kernel.wait_execute(first)
    r2 = kernel.wait_execute(second)
    assert r1.status == "error", r1.describe()
    assert r2.status == "ok", r2.describe()
    assert r2.stdout == "second cell ran\n", r2.describe()


def test_silent_execution(kernel: Kernel) -> None:
    before = kernel.execute_ok("1").execution_count
    res = kernel.execute('let silent_var = 9;\nprintln!("silent-output");\nsilent_var', silent=True)
    assert res.status == "ok", res.describe()
    kinds = {m["msg_type"] for m in res.iopub}
    assert kinds == {"status"}, res.describe()
    after = kernel.execute_ok("silent_var * 2")
    assert after.result == "18", after.describe()
    assert after.execution_count == before + 1, (before, after.execution_count)
    hist = kernel.history(hist_access_type="search", pattern="*silent-output*")
    assert hist["history"] == [], hist


def test_store_history_false(kernel: Kernel) -> None:
    marker = "zz_unstored_" + uuid.uuid4().hex[:8]
    before = kernel.execute_ok("2").execution_count
    res = kernel.execute(f"let {marker} = 5;\n{marker}", store_history=False)
    assert res.status == "ok", res.describe()
    assert res.result == "5", res.describe()
    after = kernel.execute_ok(f"{marker} + 1")
    assert after.result == "6", after.describe()
    assert after.execution_count == before + 1, (before, after.execution_count)
    hist = kernel.history(hist_access_type="search", pattern=f"let {marker}*")
    assert hist["history"] == [], hist


def test_execution_count_increments(kernel: Kernel) -> None:
    counts = [kernel.execute_ok(f"{i}").execution_count for i in range(3)]
    assert counts == [counts[0], counts[0] + 1, counts[0] + 2], counts
    failed = kernel.execute('let bad: u8 = "x";')
    assert failed.status == "error"
    assert kernel.execute_ok("0").execution_count == counts[0] + 4


def test_user_expressions(kernel: Kernel) -> None:
    res = kernel.execute(
        "let ue_base = 20;",
        user_expressions={
            "double": "ue_base * 2",
            "text": 'format!("n={}", ue_base)',
            "broken": "zz_undefined_name + 1",
        },
    )
    assert res.status == "ok", res.describe()
    ue = res.reply["content"]["user_expressions"]
    assert set(ue) == {"double", "text", "broken"}, ue
    assert ue["double"]["status"] == "ok", ue
    assert ue["double"]["data"]["text/plain"] == "40", ue
    assert ue["text"]["status"] == "ok", ue
    assert ue["text"]["data"]["text/plain"] == '"n=20"', ue
    assert ue["broken"]["status"] == "error", ue
    # user_expressions never produce iopub output.
    assert not res.of_type("execute_result", "error"), res.describe()


# --------------------------------------------------------------------------
# stdin
# --------------------------------------------------------------------------


def test_input_request(kernel: Kernel) -> None:
    prompts: list[str] = []

    def answer(req: dict[str, Any]) -> str:
        assert req["msg_type"] == "input_request"
        prompts.append(req["content"]["prompt"])
        return "Ferris"

    res = kernel.execute(
        'let name = evcxr_input::get_string("Name: ");\nformat!("hello {name}")',
        allow_stdin=True,
        on_input=answer,
    )
    assert res.status == "ok", res.describe()
    assert prompts == ["Name: "], prompts
    assert res.result == '"hello Ferris"', res.describe()


def test_a_failure_without_a_compiler_error_says_so(kernel: Kernel) -> None:
    """A warning left over from an earlier cell is never presented as the error."""
    kernel.execute_ok("fn stubbed(unused: i64) -> i64 { todo!() }")
    res = kernel.execute("let add_one = |x: i32| x + 1; add_one(1)")
    assert res.status == "error", res.describe()
    [error] = res.errors
    assert error["ename"] == "CompilationError", res.describe()
    assert "reported no error" in error["evalue"], res.describe()
    assert "{ }" in "\n".join(error["traceback"]), res.describe()
