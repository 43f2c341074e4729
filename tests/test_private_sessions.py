"""A kernel on a shared server: its state is private, and a notebook's folder
cannot configure the build.

Jupyter starts a kernel in the notebook's directory, which may be a shared
folder or a cloned repository. evcxr would obey an ``evcxr.toml`` there, and
cargo a ``.cargo/config.toml`` in any ancestor of the directory it builds
in; both can name a program to run as the student. The kernel works in a
private session directory under the user's cache directory, while the
student's cells and shell escapes still run in the notebook's directory.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from conftest import KERNEL_NAME, ExecResult, Kernel, start_kernel

TRAP = """#!/bin/sh
touch "{marker}"
exec "$@"
"""


@pytest.fixture(scope="module")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A notebook folder with build configuration planted in it, and a local crate."""
    folder = tmp_path_factory.mktemp("shared-folder")
    marker = folder / "trap-ran"
    trap = folder / "trap.sh"
    trap.write_text(TRAP.format(marker=marker))
    trap.chmod(0o755)
    (folder / "evcxr.toml").write_text(f'[evcxr]\nsccache = "{trap}"\n')
    (folder / ".cargo").mkdir()
    (folder / ".cargo" / "config.toml").write_text(f'[build]\nrustc-wrapper = "{trap}"\n')
    crate = folder / "mylib"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "mylib"\nversion = "0.1.0"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text("pub fn answer() -> u32 { 42 }\n")
    return folder


@pytest.fixture(scope="module")
def kernel_in_folder(notebook_dir: Path) -> Iterator[Kernel]:
    k = start_kernel(KERNEL_NAME, cwd=str(notebook_dir))
    yield k
    k.shutdown()


def one_cell_with_sessions_in(sessions: Path, code: str, timeout: float = 300) -> ExecResult:
    """Runs `code` as the first cell of a kernel whose sessions directory is `sessions`."""
    env = dict(os.environ, RCOURSE_SESSIONS_DIR=str(sessions))
    k = start_kernel(KERNEL_NAME, warm_up=False, env=env)
    try:
        return k.execute(code, timeout=timeout)
    finally:
        k.shutdown()


def kernel_pid(kernel: Kernel) -> int:
    return kernel.km.provisioner.process.pid


def test_the_folders_build_configuration_is_not_obeyed(kernel_in_folder: Kernel, notebook_dir: Path) -> None:
    res = kernel_in_folder.execute_ok('println!("{}", std::env::current_dir().unwrap().display());')
    assert res.stdout.strip() == str(notebook_dir), "cells run in the notebook's directory"
    res = kernel_in_folder.execute_ok("! pwd")
    assert str(notebook_dir) in res.describe(), "shell escapes run in the notebook's directory"
    res = kernel_in_folder.execute_ok(':dep mylib = { path = "mylib" }\nmylib::answer()', timeout=300)
    assert res.result == "42", "a relative :dep path is read from the notebook's directory"
    assert not (notebook_dir / "trap-ran").exists(), "evcxr.toml or .cargo/config.toml in the folder ran a program"


def test_the_session_directory_and_history_are_private(kernel_in_folder: Kernel) -> None:
    session = Path(os.readlink(f"/proc/{kernel_pid(kernel_in_folder)}/cwd"))
    sessions = session.parent
    expected = Path(os.environ.get("RCOURSE_SESSIONS_DIR", Path.home() / ".cache" / "rcourse" / "sessions"))
    assert sessions == expected.resolve(), session
    for directory in (session, sessions):
        info = directory.stat()
        assert info.st_uid == os.geteuid(), directory
        assert stat.S_IMODE(info.st_mode) == 0o700, f"{directory}: {oct(info.st_mode)}"
    lock = sessions / f"{session.name}.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600, lock

    kernel_in_folder.execute_ok("let private_history = 1;")
    history = Path(os.environ["JUPYTER_DATA_DIR"]) / "rcourse" / "history.jsonl"
    assert "private_history" in history.read_text()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600, oct(history.stat().st_mode)
    assert stat.S_IMODE(history.parent.stat().st_mode) == 0o700


def test_a_loose_sessions_directory_is_refused_then_a_private_one_is_seeded(tmp_path: Path) -> None:
    loose = Path.home() / ".cache" / f"rcourse-loose-test-{os.getpid()}"
    loose.mkdir(parents=True, exist_ok=True)
    try:
        loose.chmod(0o755)
        (loose / "notes.txt").write_text("mine")
        res = one_cell_with_sessions_in(loose, "1 + 1", timeout=60)
        assert res.status == "error", res.describe()
        text = res.error_text()
        assert str(loose) in text and "chmod 700" in text, text
        assert (loose / "notes.txt").read_text() == "mine"
        assert stat.S_IMODE(loose.stat().st_mode) == 0o755, "the directory is left as it was"

        # Once private, the directory takes a new slot, seeded from the warm build.
        loose.chmod(0o700)
        res = one_cell_with_sessions_in(loose, "course_lib::warmup::FIRST_NAMES.len() > 0")
        assert res.status == "ok" and res.result == "true", res.describe()
        assert (loose / "slot-0" / "rcourse-warm.json").is_file()
        assert (loose / "notes.txt").read_text() == "mine"
    finally:
        for path in sorted(loose.rglob("*"), reverse=True):
            path.unlink() if not path.is_dir() else path.rmdir()
        loose.rmdir()


def test_a_warm_build_others_can_write_is_refused(tmp_path: Path, kernelspec_dir: Path) -> None:
    """The warm build named by the kernelspec is checked before it is used:
    one that other users can change is reported by path, and not loaded."""
    open_warm = tmp_path / "warm"
    open_warm.mkdir()
    open_warm.chmod(0o777)
    spec = json.loads((kernelspec_dir / "kernel.json").read_text())
    argv = spec["argv"]
    argv[argv.index("--warm-dir") + 1] = str(open_warm)
    kernels = Path(os.environ["JUPYTER_DATA_DIR"]) / "kernels" / "rcourse-open-warm"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps(spec))
    k = start_kernel("rcourse-open-warm", warm_up=False)
    try:
        res = k.execute("1 + 1", timeout=300)
    finally:
        k.shutdown()
    text = res.describe()
    assert str(open_warm) in text and "other users" in text, text


def test_a_full_disk_while_seeding_is_one_clear_message(tmp_path: Path) -> None:
    """Sessions on a 32 MB file system cannot hold a copy of the warm build:
    the kernel says where and what to do, and runs cells without the course
    library, with the user's other files there untouched."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount_point = Path("/mnt") / f"rcourse-full-{os.getpid()}"
    mount_point.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        (mount_point / "notes.txt").write_text("mine")
        res = one_cell_with_sessions_in(mount_point, "1 + 1")
        text = res.describe()
        assert res.result == "2", text
        assert str(mount_point) in text and "free some disk space" in text, text
        assert (mount_point / "notes.txt").read_text() == "mine"
        assert not (mount_point / "slot-0" / "rcourse-warm.json").exists()
        assert shutil.disk_usage(mount_point).free > 8 << 20, "the partial copy is removed"
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=False)
        mount_point.rmdir()
