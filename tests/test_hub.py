"""A class on one server: install/classroom.sh, then JupyterHub with three students.

The module installs the course with ``install/classroom.sh`` into a prefix
kept between runs (``RCOURSE_CLASSROOM_PREFIX``, default
/opt/rcourse-classroom), creates three Unix users, starts JupyterHub with
``install/jupyterhub_config.py`` on free local ports, and starts each
student's server through the hub's REST API. Each student's server then
starts a kernel (jupyter_server's REST API) and runs a cell that calls
``course_lib`` over the kernel's websocket, all three at the same time.

It needs root (it adds users and the hub switches to them) and ``useradd``;
elsewhere it is skipped. Everything it starts and every user it adds is
removed at the end, whatever happens.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest

from conftest import KERNEL_NAME, REPO_ROOT

pytestmark = [
    pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() != 0,
        reason="needs root: it adds Unix users and runs JupyterHub, which switches to them",
    ),
    pytest.mark.skipif(
        shutil.which("useradd") is None or shutil.which("userdel") is None or shutil.which("runuser") is None,
        reason="needs useradd, userdel and runuser to add the students and act as them",
    ),
    # A cold classroom.sh builds the course library's warm build, which takes minutes.
    pytest.mark.timeout(1800),
]

PREFIX = Path(os.environ.get("RCOURSE_CLASSROOM_PREFIX", "/opt/rcourse-classroom"))
STUDENTS = ("rcourse-t1", "rcourse-t2", "rcourse-t3")
CLASSROOM_TIMEOUT = 1500.0  # install/classroom.sh, cold: pip, npm, the warm build
HUB_START_TIMEOUT = 90.0
SERVER_START_TIMEOUT = 240.0  # three JupyterLab servers starting at once
KERNEL_START_TIMEOUT = 120.0
CELL_TIMEOUT = 420.0  # three first course_lib cells at once on two cores

# The cell each student runs: who runs it, where the kernel compiles (the
# kernel points evcxr, and so the cell's process, at its session directory
# through EVCXR_TMPDIR), and a course_lib computation on the student's name.
CELL = """\
use std::os::unix::fs::MetadataExt;
let rcourse_user = std::env::var("USER").unwrap_or_default();
println!("uid={}", std::fs::metadata("/proc/self").unwrap().uid());
println!("session={}", std::env::var("EVCXR_TMPDIR").unwrap_or_default());
println!("md5={}", course_lib::codebreaker::Md5Digest::of(&rcourse_user).to_hex());
"""


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


class Timings:
    """Named durations, printed in the terminal summary at the end of the module."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, what: str, seconds: float) -> None:
        self.lines.append(f"{what}: {seconds:.1f} s")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*argv: str, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess:
    """Run a command, capturing its output as text."""
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)


def tail(path: Path, lines: int = 60) -> str:
    """The last lines of a log file, for assertion messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no log: {error})"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Leaves redirects to the caller, who checks where they lead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    form: dict[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
    timeout: float = 30,
) -> Response:
    """One HTTP request; any status is returned, redirects are not followed."""
    headers: dict[str, str] = {}
    data = None
    if token:
        headers["Authorization"] = f"token {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as reply:
            return Response(reply.status, reply.headers, reply.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def wait_for(what: str, check: Callable[[], Any], timeout: float, describe: Callable[[], str] = str) -> Any:
    """Call check until it returns something true, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (OSError, urllib.error.URLError, ValueError) as error:
            last_error = error
        time.sleep(0.5)
    pytest.fail(f"{what} within {timeout:.0f} s (last error: {last_error})\n{describe()}")


# --------------------------------------------------------------------------
# Fixtures: the installation, the students, the hub
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def timings(request: pytest.FixtureRequest) -> Iterable[Timings]:
    """Collects timings and prints them once the module is done."""
    collected = Timings()
    yield collected
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None and collected.lines:
        with capture.global_and_fixture_disabled():
            print("\nclassroom timings:\n  " + "\n  ".join(collected.lines))


@pytest.fixture(scope="module")
def classroom(timings: Timings) -> Path:
    """PREFIX, installed (or brought up to date) by install/classroom.sh."""
    started = time.monotonic()
    proc = run("bash", str(REPO_ROOT / "install" / "classroom.sh"), str(PREFIX), timeout=CLASSROOM_TIMEOUT)
    timings.add("install/classroom.sh", time.monotonic() - started)
    assert proc.returncode == 0, f"classroom.sh failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return PREFIX


def remove_user(name: str) -> None:
    """Ends every process of user `name`, then removes the user, their group and their home."""
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        home = None
    if home is not None:
        for _ in range(20):
            run("pkill", "-KILL", "-u", name)
            if run("pgrep", "-u", name).returncode != 0:
                break
            time.sleep(0.25)
        proc = run("userdel", "--remove", name)
        # 12: the home directory could not be removed; it is removed below.
        assert proc.returncode in (0, 12), f"userdel {name}: {proc.stderr}"
        if home.name == name:
            shutil.rmtree(home, ignore_errors=True)
    if run("getent", "group", name).returncode == 0:
        run("groupdel", name)


@pytest.fixture(scope="module")
def students() -> Iterable[dict[str, pwd.struct_passwd]]:
    """Three new Unix users with homes, removed afterwards."""
    for name in STUDENTS:
        remove_user(name)  # left over by a run that was killed
    try:
        for name in STUDENTS:
            proc = run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", "rcourse hub test", name)
            assert proc.returncode == 0, f"useradd {name}: {proc.stderr}"
        yield {name: pwd.getpwnam(name) for name in STUDENTS}
    finally:
        for name in STUDENTS:
            remove_user(name)


@dataclass
class Hub:
    """A running JupyterHub and what the test needs to talk to it."""

    url: str
    token: str
    password: str
    process: subprocess.Popen
    log: Path

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Response:
        return http(method, f"{self.url}/hub/api{path}", token=self.token, body=body, timeout=timeout)

    def describe(self) -> str:
        return f"hub log ({self.log}):\n{tail(self.log)}"


def stop_process(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM, then SIGKILL if it has not stopped within timeout seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def hub(
    classroom: Path,
    students: dict[str, pwd.struct_passwd],
    tmp_path_factory: pytest.TempPathFactory,
    timings: Timings,
) -> Iterable[Hub]:
    """JupyterHub from PREFIX with install/jupyterhub_config.py, on free local ports."""
    state = tmp_path_factory.mktemp("hub")
    port, hub_port, proxy_api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    password = secrets.token_urlsafe(16)
    env = {
        "PATH": f"{classroom / 'bin'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(state),
        "LANG": "C.UTF-8",
        "RCOURSE_HUB_BIND_URL": f"http://127.0.0.1:{port}",
        "RCOURSE_HUB_INTERNAL_URL": f"http://127.0.0.1:{hub_port}",
        "RCOURSE_HUB_PROXY_API_URL": f"http://127.0.0.1:{proxy_api_port}",
        "RCOURSE_HUB_STATE_DIR": str(state / "state"),
        "RCOURSE_HUB_AUTHENTICATOR": "shared-password",
        "RCOURSE_HUB_PASSWORD": password,
        "RCOURSE_HUB_ALLOWED_USERS": ",".join(students),
        "RCOURSE_HUB_API_TOKEN": token,
    }
    log = state / "jupyterhub.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(classroom / "bin" / "jupyterhub"), "-f", str(REPO_ROOT / "install" / "jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Hub(f"http://127.0.0.1:{port}", token, password, process, log)
    try:

        def answers() -> bool:
            if process.poll() is not None:
                pytest.fail(f"JupyterHub exited with {process.returncode}\n{running.describe()}")
            return running.api("GET", "/").status == 200

        wait_for("JupyterHub did not answer", answers, HUB_START_TIMEOUT, running.describe)
        timings.add("hub and proxy up", time.monotonic() - started)
        yield running
    finally:
        for name in students:
            try:
                running.api("DELETE", f"/users/{name}/server", timeout=60)
            except OSError:
                pass
        stop_process(process)
        # The hub stops the proxy it started; make sure, by its pid file.
        pid_file = state / "state" / "proxy.pid"
        if pid_file.is_file():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass


# --------------------------------------------------------------------------
# The students' sessions, all at once
# --------------------------------------------------------------------------


@dataclass
class Session:
    """What one student's kernel did with the cell."""

    name: str
    seconds: dict[str, float] = field(default_factory=dict)
    cell_window: tuple[float, float] = (0.0, 0.0)
    status: str = ""
    stdout: str = ""
    stderr: str = ""
    errors: list[str] = field(default_factory=list)
    failure: str = ""

    def value(self, key: str) -> str:
        """The value printed as `key=value` by the cell."""
        for line in self.stdout.splitlines():
            if line.startswith(f"{key}="):
                return line.split("=", 1)[1]
        return ""

    def describe(self) -> str:
        return (
            f"{self.name}: status={self.status!r} failure={self.failure!r}\n"
            f"stdout:\n{self.stdout}\nstderr:\n{self.stderr}\nerrors:\n" + "\n".join(self.errors)
        )


def start_servers(hub: Hub, names: Iterable[str]) -> None:
    """Asks the hub to start each user's server, all at once, and waits until they are ready."""
    names = list(names)
    for name in names:
        reply = hub.api("POST", f"/users/{name}/server")
        assert reply.status in (201, 202), f"starting {name}'s server: {reply.status} {reply.body!r}\n{hub.describe()}"

    def ready(name: str) -> bool:
        server = (hub.api("GET", f"/users/{name}").json().get("servers") or {}).get("", {})
        return bool(server.get("ready"))

    deadline = time.monotonic() + SERVER_START_TIMEOUT
    for name in names:
        wait_for(
            f"{name}'s server was not ready",
            lambda name=name: ready(name),
            max(1.0, deadline - time.monotonic()),
            hub.describe,
        )


def execute_message(code: str, session_id: str) -> dict[str, Any]:
    """An execute_request as jupyter_server's websocket carries it (JSON, with its channel)."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "username": "rcourse-test",
            "session": session_id,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


def run_session(hub: Hub, name: str, barrier: threading.Barrier, session: Session) -> None:
    """Starts a kernel in `name`'s server and runs CELL there over the websocket."""
    import websocket  # websocket-client, pinned in install/requirements.txt

    base = f"{hub.url}/user/{name}/api"
    started = time.monotonic()
    reply = http("POST", f"{base}/kernels", token=hub.token, body={"name": KERNEL_NAME}, timeout=KERNEL_START_TIMEOUT)
    assert reply.status == 201, f"starting a kernel for {name}: {reply.status} {reply.body!r}"
    kernel_id = reply.json()["id"]
    ws_url = hub.url.replace("http://", "ws://", 1) + f"/user/{name}/api/kernels/{kernel_id}/channels"
    conn = websocket.create_connection(
        ws_url, header=[f"Authorization: token {hub.token}"], timeout=CELL_TIMEOUT
    )
    try:
        session.seconds["kernel start"] = time.monotonic() - started
        barrier.wait(KERNEL_START_TIMEOUT * 2)
        message = execute_message(CELL, uuid.uuid4().hex)
        msg_id = message["header"]["msg_id"]
        sent = time.monotonic()
        conn.send(json.dumps(message))
        replied = idle = False
        deadline = sent + CELL_TIMEOUT
        while not (replied and idle):
            conn.settimeout(max(1.0, deadline - time.monotonic()))
            msg = json.loads(conn.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                if content["name"] == "stdout":
                    session.stdout += content["text"]
                else:
                    session.stderr += content["text"]
            elif kind == "error":
                session.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif kind == "execute_reply":
                replied = True
                session.status = content["status"]
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        session.cell_window = (sent, time.monotonic())
        session.seconds["first cell"] = session.cell_window[1] - sent
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sessions(hub: Hub, students: dict[str, pwd.struct_passwd], timings: Timings) -> dict[str, Session]:
    """Each student's server started through the hub, then a kernel each, CELL in each at once."""
    started = time.monotonic()
    start_servers(hub, students)
    timings.add(f"{len(students)} servers started through the hub", time.monotonic() - started)

    results = {name: Session(name) for name in students}
    barrier = threading.Barrier(len(students))

    def work(name: str) -> None:
        try:
            run_session(hub, name, barrier, results[name])
        except BaseException as error:  # noqa: BLE001 (reported through the result)
            barrier.abort()
            results[name].failure = f"{type(error).__name__}: {error}"

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(name,), daemon=True) for name in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(KERNEL_START_TIMEOUT + CELL_TIMEOUT + 60)
    timings.add(f"{len(students)} kernels started and first cells run, at once", time.monotonic() - started)
    for name, session in results.items():
        for what, seconds in session.seconds.items():
            timings.add(f"  {name}: {what}", seconds)
    return results


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def test_the_installation_is_roots_and_read_only_for_everyone_else(classroom: Path) -> None:
    """classroom.sh leaves nothing under PREFIX that a student could change or not read,
    and the kernelspec runs only what is inside PREFIX."""
    problems: list[str] = []
    for path in [classroom, *classroom.rglob("*")]:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            continue
        if info.st_uid != 0:
            problems.append(f"{path} belongs to uid {info.st_uid}")
        if info.st_mode & 0o022:
            problems.append(f"{path} is writable by others (mode {info.st_mode & 0o7777:o})")
        needed = 0o005 if stat.S_ISDIR(info.st_mode) else 0o004
        if info.st_mode & needed != needed:
            problems.append(f"{path} cannot be read by everyone (mode {info.st_mode & 0o7777:o})")
        if len(problems) > 20:
            break
    assert not problems, "\n".join(problems)

    spec = json.loads((classroom / "share" / "jupyter" / "kernels" / KERNEL_NAME / "kernel.json").read_text())
    argv = spec["argv"]
    paths = [argv[0]] + [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--warm-dir"]
    outside = [p for p in paths if not Path(p).resolve().is_relative_to(classroom.resolve())]
    assert not outside, f"the kernelspec runs files outside {classroom}: {outside}\n{spec}"


def test_a_student_logs_in_with_the_shared_password(hub: Hub, students: dict[str, pwd.struct_passwd]) -> None:
    """The hub's login form accepts a student with the right password, and no one else."""

    def login(username: str, password: str) -> Response:
        jar = CookieJar()
        opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar))
        page = http("GET", f"{hub.url}/hub/login", opener=opener)
        assert page.status == 200, f"login page: {page.status}\n{hub.describe()}"
        xsrf = next((cookie.value for cookie in jar if cookie.name == "_xsrf"), "")
        assert xsrf, f"no _xsrf cookie on the login page: {[c.name for c in jar]}"
        return http(
            "POST",
            f"{hub.url}/hub/login",
            form={"username": username, "password": password, "_xsrf": xsrf},
            opener=opener,
        )

    student = next(iter(students))
    accepted = login(student, hub.password)
    assert accepted.status == 302, f"{student} with the password: {accepted.status}\n{hub.describe()}"
    assert "/hub/login" not in accepted.headers.get("Location", ""), accepted.headers.get("Location")
    for username, password in ((student, hub.password + "x"), ("root", hub.password), ("nobody", hub.password)):
        refused = login(username, password)
        assert refused.status == 403, f"{username} got in: {refused.status} {refused.headers.get('Location')}"


def test_three_students_run_course_lib_at_once(
    sessions: dict[str, Session], students: dict[str, pwd.struct_passwd], hub: Hub
) -> None:
    """Every student's cell runs as that student, calls course_lib, and gets their own answer."""
    for name, session in sessions.items():
        # The kernels' logs are in the hub's: the spawner passes its output on.
        assert not session.failure and session.status == "ok", session.describe() + "\n" + hub.describe()
        assert session.value("uid") == str(students[name].pw_uid), session.describe()
        expected = hashlib.md5(name.encode()).hexdigest()
        assert session.value("md5") == expected, session.describe()
    # They ran at the same time: every cell was sent before any had finished.
    last_sent = max(s.cell_window[0] for s in sessions.values())
    first_done = min(s.cell_window[1] for s in sessions.values())
    assert last_sent < first_done, {name: s.cell_window for name, s in sessions.items()}


def as_user(user: str, *argv: str) -> subprocess.CompletedProcess:
    """Runs a command as `user`."""
    return run("runuser", "-u", user, "--", *argv)


def test_no_student_can_read_another_students_sessions_or_history(
    sessions: dict[str, Session], students: dict[str, pwd.struct_passwd]
) -> None:
    """The kernel's session directories and the history of what a student typed are
    theirs alone: private directories (0700), which the other students cannot open."""
    private: dict[str, list[Path]] = {}
    for name, session in sessions.items():
        assert not session.failure and session.status == "ok", session.describe()
        home = Path(students[name].pw_dir)
        session_dir = Path(session.value("session"))
        history = home / ".local" / "share" / "jupyter" / "rcourse" / "history.jsonl"
        assert session_dir.is_dir() and session_dir.is_relative_to(home), (
            f"{name}'s session directory {session_dir!s} is not in their home {home}"
        )
        wait_for(f"{history} was not written", lambda history=history: "Md5Digest" in history.read_text(), 30)
        directories = [home / ".cache" / "rcourse", session_dir.parent, session_dir, history.parent]
        for directory in directories:
            info = directory.stat()
            assert info.st_uid == students[name].pw_uid, f"{directory} belongs to uid {info.st_uid}"
            assert info.st_mode & 0o777 == 0o700, f"{directory} has mode {info.st_mode & 0o777:o}, not 700"
        private[name] = [session_dir, history]

    for owner, paths in private.items():
        for other in students:
            if other == owner:
                continue
            for path in paths:
                proc = as_user(other, "ls", str(path)) if path.is_dir() else as_user(other, "cat", str(path))
                assert proc.returncode != 0 and "Permission denied" in proc.stderr, (
                    f"{other} could read {owner}'s {path}: exit {proc.returncode}\n{proc.stdout[:500]}{proc.stderr}"
                )
