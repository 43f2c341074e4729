"""Shared fixtures and helpers for the end-to-end tests of the rcourse kernel.

Every test runs against the kernel installed for every user into the
project's Python environment (``rcourse install --sys-prefix`` with
``VIRTUAL_ENV`` set to ``.venv``, as the set-up does; ``RCOURSE_PREFIX`` names
another prefix), installed again at the start so that it is the binary just
built. Jupyter's data, config and runtime directories are temporary, so the
user's own Jupyter configuration, kernels and history are never read or
written.
"""

from __future__ import annotations

import errno
import os
import queue
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
from jupyter_client.manager import KernelManager

REPO_ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "rcourse"

# The binary under test; `RCOURSE_BIN` lets a different build be tested.
PREFIX = Path(os.environ.get("RCOURSE_PREFIX", REPO_ROOT / ".venv"))
RCOURSE_BIN = Path(os.environ.get("RCOURSE_BIN", REPO_ROOT / "target" / "release" / "rcourse"))

# Generous limits: the machines that run this suite may be small and busy.
STARTUP_TIMEOUT = 120.0  # kernel process answers kernel_info
FIRST_CELL_TIMEOUT = 300.0  # first cell of a session starts the engine
CELL_TIMEOUT = 120.0  # any later cell (they compile Rust)
REQUEST_TIMEOUT = 60.0  # complete / inspect / history / is_complete

_JUPYTER_VARS = ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR")


def run_cli(*args: str, timeout: float = 900, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the rcourse binary and capture its output as text.

    Starting a process from several threads at once can fail spuriously
    (EFAULT or EAGAIN from the kernel); such a start is tried again."""
    for attempt in range(3):
        try:
            return subprocess.run(
                [str(RCOURSE_BIN), *args],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            if error.errno not in (errno.EFAULT, errno.EAGAIN) or attempt == 2:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------
# Session fixture: a private Jupyter tree with the kernelspec installed once.
# --------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> Iterable[Path]:
    """Point every Jupyter path at a temporary tree and install the kernel there."""
    if not RCOURSE_BIN.is_file():
        pytest.exit(
            f"{RCOURSE_BIN} does not exist: build it with "
            "`cargo build --release --locked -p rcourse` (or run ./install/setup.sh --no-open).",
            returncode=2,
        )

    root = tmp_path_factory.mktemp("jupyter")
    prefix = PREFIX
    data_dir = root / "data"
    config_dir = root / "config"
    runtime_dir = root / "runtime"
    for d in (prefix, data_dir, config_dir, runtime_dir):
        d.mkdir(parents=True, exist_ok=True)

    saved = {name: os.environ.get(name) for name in _JUPYTER_VARS}
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    os.environ["JUPYTER_DATA_DIR"] = str(data_dir)
    os.environ["JUPYTER_CONFIG_DIR"] = str(config_dir)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime_dir)

    proc = run_cli("install", "--sys-prefix", env=dict(os.environ, VIRTUAL_ENV=str(prefix)))
    if proc.returncode != 0:
        pytest.exit(
            f"`rcourse install --sys-prefix` into {prefix} failed with exit code {proc.returncode}:\n"
            f"{proc.stdout}\n{proc.stderr}",
            returncode=2,
        )

    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = Path(KernelSpecManager().find_kernel_specs().get(KERNEL_NAME, ""))
    expected = prefix / "share" / "jupyter" / "kernels" / KERNEL_NAME
    if spec_dir.resolve() != expected.resolve():
        pytest.exit(
            f"kernelspec {KERNEL_NAME!r} resolved to {spec_dir!s}, expected {expected!s}",
            returncode=2,
        )

    yield root

    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def kernel_name(jupyter_env: Path) -> str:
    return KERNEL_NAME


@pytest.fixture(scope="session")
def kernelspec_dir(jupyter_env: Path) -> Path:
    return PREFIX / "share" / "jupyter" / "kernels" / KERNEL_NAME


# --------------------------------------------------------------------------
# Kernel helpers
# --------------------------------------------------------------------------


@dataclass
class ExecResult:
    """Everything a kernel sent back for one execute_request."""

    msg_id: str
    reply: dict[str, Any]
    iopub: list[dict[str, Any]] = field(default_factory=list)
    stdin_requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    @property
    def execution_count(self) -> int | None:
        return self.reply["content"].get("execution_count")

    def of_type(self, *msg_types: str) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["msg_type"] in msg_types]

    @property
    def outputs(self) -> list[dict[str, Any]]:
        """iopub messages other than status and execute_input."""
        return [m for m in self.iopub if m["msg_type"] not in ("status", "execute_input")]

    def stream(self, name: str) -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == name
        )

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.of_type("error")]

    @property
    def result(self) -> str | None:
        """text/plain of the (single) execute_result, if any."""
        results = self.of_type("execute_result")
        if not results:
            return None
        return results[-1]["content"]["data"].get("text/plain")

    def error_text(self) -> str:
        """ename, evalue and traceback of every error, as one string."""
        parts: list[str] = []
        for err in self.errors:
            parts.append(err.get("ename", ""))
            parts.append(err.get("evalue", ""))
            parts.extend(err.get("traceback", []))
        return "\n".join(parts)

    def describe(self) -> str:
        """A readable dump for assertion messages."""
        lines = [f"reply: {self.reply.get('content')!r}"]
        for m in self.iopub:
            lines.append(f"iopub {m['msg_type']}: {_short(m['content'])}")
        return "\n".join(lines)


def _short(obj: Any, limit: int = 600) -> str:
    text = repr(obj)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


class Kernel:
    """A running kernel plus a client that buffers messages by parent msg_id.

    Buffering lets a test send several requests before waiting for any of them
    without losing the iopub messages of the others.
    """

    def __init__(self, km: KernelManager, kc: Any) -> None:
        self.km = km
        self.kc = kc
        self._iopub: dict[str, list[dict[str, Any]]] = {}
        self._shell: dict[str, dict[str, Any]] = {}
        self._control: dict[str, dict[str, Any]] = {}
        self._stdin: list[dict[str, Any]] = []

    # -- low level ----------------------------------------------------------

    @staticmethod
    def _parent_id(msg: dict[str, Any]) -> str:
        return (msg.get("parent_header") or {}).get("msg_id", "")

    def _pump(self, wait: float = 0.05) -> None:
        """Move whatever has arrived on iopub, shell, control and stdin into buffers."""
        got_any = False
        for channel, sink in (
            (self.kc.shell_channel, self._shell),
            (self.kc.control_channel, self._control),
        ):
            while True:
                try:
                    msg = channel.get_msg(timeout=0)
                except queue.Empty:
                    break
                sink[self._parent_id(msg)] = msg
                got_any = True
        while True:
            try:
                msg = self.kc.stdin_channel.get_msg(timeout=0)
            except queue.Empty:
                break
            self._stdin.append(msg)
            got_any = True
        try:
            msg = self.kc.iopub_channel.get_msg(timeout=0 if got_any else wait)
        except queue.Empty:
            return
        self._iopub.setdefault(self._parent_id(msg), []).append(msg)
        while True:
            try:
                msg = self.kc.iopub_channel.get_msg(timeout=0)
            except queue.Empty:
                return
            self._iopub.setdefault(self._parent_id(msg), []).append(msg)

    def iopub_for(self, msg_id: str) -> list[dict[str, Any]]:
        return list(self._iopub.get(msg_id, []))

    def all_iopub(self) -> list[dict[str, Any]]:
        self._pump(0)
        return [m for msgs in self._iopub.values() for m in msgs]

    def drain(self, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._pump(0.05)

    # -- shell --------------------------------------------------------------

    def send_execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        allow_stdin: bool = False,
        stop_on_error: bool = True,
    ) -> str:
        return self.kc.execute(
            code,
            silent=silent,
            store_history=store_history,
            user_expressions=user_expressions or {},
            allow_stdin=allow_stdin,
            stop_on_error=stop_on_error,
        )

    def wait_execute(
        self,
        msg_id: str,
        timeout: float = CELL_TIMEOUT,
        *,
        on_input: Callable[[dict[str, Any]], str] | None = None,
    ) -> ExecResult:
        """Wait for the execute_reply and the idle status of one request."""
        deadline = time.monotonic() + timeout
        stdin_requests: list[dict[str, Any]] = []
        while True:
            msgs = self._iopub.get(msg_id, [])
            idle = any(
                m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in msgs
            )
            if idle and msg_id in self._shell:
                return ExecResult(msg_id, self._shell.pop(msg_id), self._iopub.pop(msg_id), stdin_requests)
            if time.monotonic() > deadline:
                partial = ExecResult(msg_id, self._shell.get(msg_id, {}), list(msgs), stdin_requests)
                raise AssertionError(
                    f"no complete answer to execute_request within {timeout:.0f}s "
                    f"(reply received: {msg_id in self._shell}, idle received: {idle})\n"
                    + partial.describe()
                )
            self._pump(0.05)
            if self._stdin:
                for req in self._stdin:
                    stdin_requests.append(req)
                    if on_input is not None:
                        self.kc.input(on_input(req))
                self._stdin.clear()

    def execute(self, code: str, timeout: float = CELL_TIMEOUT, **kwargs: Any) -> ExecResult:
        on_input = kwargs.pop("on_input", None)
        return self.wait_execute(self.send_execute(code, **kwargs), timeout, on_input=on_input)

    def execute_ok(self, code: str, timeout: float = CELL_TIMEOUT, **kwargs: Any) -> ExecResult:
        """Execute and assert that the reply status is ok."""
        res = self.execute(code, timeout, **kwargs)
        assert res.status == "ok", f"cell failed:\n{code}\n{res.describe()}"
        return res

    def wait_shell_reply(self, msg_id: str, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while msg_id not in self._shell:
            if time.monotonic() > deadline:
                raise AssertionError(f"no shell reply to {msg_id} within {timeout:.0f}s")
            self._pump(0.05)
        return self._shell.pop(msg_id)

    def complete(self, code: str, cursor_pos: int | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.wait_shell_reply(self.kc.complete(code, cursor_pos), timeout)["content"]

    def inspect(self, code: str, cursor_pos: int | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.wait_shell_reply(self.kc.inspect(code, cursor_pos), timeout)["content"]

    def is_complete(self, code: str, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.wait_shell_reply(self.kc.is_complete(code), timeout)["content"]

    def history(self, timeout: float = REQUEST_TIMEOUT, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("raw", True)
        kwargs.setdefault("output", False)
        return self.wait_shell_reply(self.kc.history(**kwargs), timeout)["content"]

    def kernel_info(self, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.wait_shell_reply(self.kc.kernel_info(), timeout)

    # -- control ------------------------------------------------------------

    def send_control(self, msg_type: str, content: dict[str, Any] | None = None) -> str:
        msg = self.kc.session.msg(msg_type, content or {})
        self.kc.control_channel.send(msg)
        return msg["header"]["msg_id"]

    def wait_control_reply(self, msg_id: str, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while msg_id not in self._control:
            if time.monotonic() > deadline:
                raise AssertionError(f"no control reply to {msg_id} within {timeout:.1f}s")
            self._pump(0.02)
        return self._control.pop(msg_id)

    def control(self, msg_type: str, content: dict[str, Any] | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.wait_control_reply(self.send_control(msg_type, content), timeout)

    # -- lifecycle ----------------------------------------------------------

    def wait_for_stream(self, msg_id: str, text: str, timeout: float = CELL_TIMEOUT) -> None:
        """Wait until a stream message of request msg_id contains text."""
        deadline = time.monotonic() + timeout
        while True:
            for m in self._iopub.get(msg_id, []):
                if m["msg_type"] == "stream" and text in m["content"]["text"]:
                    return
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    raise AssertionError(
                        f"cell finished before printing {text!r}:\n"
                        + ExecResult(msg_id, self._shell.get(msg_id, {}), self.iopub_for(msg_id)).describe()
                    )
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not printed within {timeout:.0f}s")
            self._pump(0.05)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)


def start_kernel(kernel_name: str = KERNEL_NAME, *, warm_up: bool = True, **start: Any) -> Kernel:
    """Start a kernel, wait until it answers, and optionally run a first cell.

    ``start`` goes to ``KernelManager.start_kernel`` (``cwd``, ``env``)."""
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(**start)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
    except RuntimeError:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    kernel = Kernel(km, kc)
    if warm_up:
        try:
            warm_up_kernel(kernel)
        except BaseException:
            kernel.shutdown()
            raise
    return kernel


def warm_up_kernel(kernel: Kernel) -> None:
    """Run a first cell with a long timeout: it starts the evaluation engine."""
    res = kernel.execute("let rcourse_warm_up = 1 + 1;", FIRST_CELL_TIMEOUT, store_history=False)
    assert res.status == "ok", "the first cell of the session failed:\n" + res.describe()


@pytest.fixture(scope="module")
def kernel(kernel_name: str) -> Iterable[Kernel]:
    """One warmed-up kernel shared by the tests of a module."""
    k = start_kernel(kernel_name)
    yield k
    k.shutdown()


@pytest.fixture
def fresh_kernel(kernel_name: str) -> Iterable[Kernel]:
    """A warmed-up kernel of the test's own."""
    k = start_kernel(kernel_name)
    yield k
    k.shutdown()
