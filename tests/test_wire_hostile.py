"""The kernel's ports against hostile local traffic.

On a shared machine any local user can connect to the TCP ports of a
kernel's connection file. Whatever arrives there (a ZMTP greeting followed
by a frame header declaring 2**62 bytes, random bytes, a greeting for
another security mechanism, connections that never say anything) must cost
the sender its connection and never the kernel its life, its memory or its
other connections. A signed message sent again byte for byte must not run
again, and a kernel whose connection file has no key must work and warn.
"""

from __future__ import annotations

import os
import socket
import struct
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

import pytest
import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

from conftest import CELL_TIMEOUT, REQUEST_TIMEOUT, STARTUP_TIMEOUT, Kernel

PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")

# What the kernel allows a peer to complete its handshake (greeting and
# first frame) before closing its connection, and a margin for a busy machine.
HANDSHAKE_DEADLINE = 10.0
CLOSE_MARGIN = 10.0

# How much the kernel's resident memory may grow while it is attacked: the
# attackers' bytes are dropped with their connections, never kept.
RSS_GROWTH_LIMIT = 64 << 20

# How long a replayed request gets to show an answer it should not have.
REPLAY_WAIT = 2.0


def _greeting(mechanism: bytes = b"NULL") -> bytes:
    """A ZMTP 3.0 greeting, as a ZeroMQ peer sends it."""
    return b"\xff" + bytes(8) + b"\x7f" + b"\x03\x00" + mechanism.ljust(20, b"\x00") + bytes(32)


def _huge_frame_header() -> bytes:
    """A long data frame header declaring 2**62 bytes, with no body."""
    return b"\x02" + struct.pack(">Q", 1 << 62)


def _info(kernel: Kernel) -> dict[str, Any]:
    """The kernel's connection file, with the key as bytes."""
    info = kernel.km.get_connection_info(session=False)
    key = info["key"]
    info["key"] = key.encode() if isinstance(key, str) else key
    return info


def _rss(kernel: Kernel) -> int:
    """The kernel process's resident memory, in bytes."""
    pid = kernel.km.provisioner.process.pid
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def _raw(info: dict[str, Any], port_name: str) -> socket.socket:
    """A plain TCP connection to one of the kernel's ports."""
    return socket.create_connection((info["ip"], info[port_name]), timeout=5)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Reads (and drops) what the kernel sends until it closes the
    connection; false if it is still open after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True


def _assert_heartbeat(ctx: zmq.Context, info: dict[str, Any]) -> None:
    """One heartbeat comes back as it was sent."""
    hb = ctx.socket(zmq.REQ)
    hb.linger = 0
    hb.connect(f"tcp://{info['ip']}:{info['hb_port']}")
    payload = os.urandom(16)
    hb.send(payload)
    assert hb.poll(10_000), "the heartbeat did not answer"
    assert hb.recv() == payload


@pytest.fixture
def zmq_context() -> Iterable[zmq.Context]:
    """A ZeroMQ context whose sockets are closed after the test."""
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


def test_hostile_bytes_on_every_port_leave_the_kernel_serving(
    kernel: Kernel, zmq_context: zmq.Context
) -> None:
    """Oversized frame headers, random bytes, a greeting for another
    mechanism, and connections silent from the start or after their greeting,
    on all five ports: each such connection is closed, the kernel stays alive
    and small, and every port serves."""
    info = _info(kernel)
    rss_before = _rss(kernel)
    opened = time.monotonic()
    silent = [_raw(info, port) for port in PORTS for _ in range(2)]
    for port in PORTS:
        stalled = _raw(info, port)
        stalled.sendall(_greeting())  # and then nothing: no READY command
        silent.append(stalled)
    try:
        attacks: dict[str, socket.socket] = {}
        for port in PORTS:
            huge = _raw(info, port)
            huge.sendall(_greeting() + _huge_frame_header())
            attacks[f"2**62 frame on {port}"] = huge
            garbage = _raw(info, port)
            garbage.sendall(os.urandom(4096))
            attacks[f"random bytes on {port}"] = garbage
            curve = _raw(info, port)
            curve.sendall(_greeting(b"CURVE"))
            attacks[f"CURVE greeting on {port}"] = curve

        for what, sock in attacks.items():
            assert _closed_within(sock, 10.0), f"the kernel kept the connection open: {what}"
            sock.close()
            assert kernel.km.is_alive(), f"the kernel died of: {what}"

        # Every port still serves, while the silent connections stay open.
        _assert_heartbeat(zmq_context, info)
        res = kernel.execute_ok("1 + 1")
        assert res.result == "2", res.describe()
        assert kernel.kernel_info()["content"]["status"] == "ok"
        assert kernel.control("kernel_info_request")["content"]["status"] == "ok"
        res = kernel.execute_ok("let wire_answer = 40 + 2;\nprintln!(\"{wire_answer}\");")
        assert res.stdout == "42\n", res.describe()

        growth = _rss(kernel) - rss_before
        assert growth < RSS_GROWTH_LIMIT, f"the kernel grew by {growth} bytes under attack"

        # Connections that never complete their handshake are closed after the deadline.
        for sock in silent:
            left = HANDSHAKE_DEADLINE + CLOSE_MARGIN - (time.monotonic() - opened)
            assert _closed_within(sock, max(left, 0.5)), "a silent connection was kept open"
        assert kernel.km.is_alive()
    finally:
        for sock in silent:
            sock.close()


def test_a_replayed_request_runs_once(kernel: Kernel, zmq_context: zmq.Context) -> None:
    """A signed execute_request sent again byte for byte, on its own
    connection and on another, is neither answered nor run."""
    info = _info(kernel)
    session = Session(key=info["key"], signature_scheme=info["signature_scheme"], username="replayer")
    dealer = zmq_context.socket(zmq.DEALER)
    dealer.linger = 0
    dealer.connect(f"tcp://{info['ip']}:{info['shell_port']}")

    request = session.msg(
        "execute_request",
        {
            "code": "1 + 1",
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
    )
    frames = session.serialize(request)
    msg_id = request["header"]["msg_id"]

    dealer.send_multipart(frames)
    assert dealer.poll(int(CELL_TIMEOUT * 1000)), "no reply to the original request"
    _, reply_frames = session.feed_identities(dealer.recv_multipart())
    reply = session.deserialize(reply_frames)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "ok", reply["content"]
    count = reply["content"]["execution_count"]

    # The very same bytes again, on the same connection and on a new one.
    dealer.send_multipart(frames)
    other = zmq_context.socket(zmq.DEALER)
    other.linger = 0
    other.connect(f"tcp://{info['ip']}:{info['shell_port']}")
    other.send_multipart(frames)
    poller = zmq.Poller()
    poller.register(dealer, zmq.POLLIN)
    poller.register(other, zmq.POLLIN)
    answered = poller.poll(int(REPLAY_WAIT * 1000))
    assert not answered, f"the replayed request was answered: {answered[0][0].recv_multipart()!r}"

    # It ran once: one execute_input, and the next cell is counted right after it.
    next_cell = kernel.execute_ok("1 + 1")
    assert next_cell.execution_count == count + 1, next_cell.describe()
    kernel.drain(0.5)
    inputs = [m for m in kernel.iopub_for(msg_id) if m["msg_type"] == "execute_input"]
    assert len(inputs) == 1, inputs


def test_a_kernel_without_a_key_works_and_warns(kernel_name: str, zmq_context: zmq.Context) -> None:
    """An empty key (no signing) is allowed, as Jupyter allows it, with a
    warning on the kernel's stderr; unsigned messages all carry the same
    empty signature, so none of them counts as a replay."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        km = KernelManager(kernel_name=kernel_name)
        km.session.key = b""
        km.start_kernel(stderr=stderr)
        kc = km.client()
        kc.start_channels()
        k = Kernel(km, kc)
        try:
            kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
            info = _info(k)
            assert info["key"] == b"", "the connection file has a key"
            assert k.is_complete("1 + 1")["status"] == "complete"
            assert k.control("kernel_info_request")["content"]["status"] == "ok"
            _assert_heartbeat(zmq_context, info)

            session = Session(key=b"", username="unsigned")
            dealer = zmq_context.socket(zmq.DEALER)
            dealer.linger = 0
            dealer.connect(f"tcp://{info['ip']}:{info['shell_port']}")
            for _ in range(2):
                frames = session.serialize(session.msg("is_complete_request", {"code": "1 +"}))
                assert frames[1] == b"", "the message is signed"
                dealer.send_multipart(frames)
                assert dealer.poll(int(REQUEST_TIMEOUT * 1000)), "an unsigned request got no reply"
                _, reply = session.feed_identities(dealer.recv_multipart())
                assert session.deserialize(reply)["content"]["status"] == "incomplete"
        finally:
            k.shutdown()
        stderr.seek(0)
        log = stderr.read()
    assert "the connection file has no key: messages are not signed" in log, log
