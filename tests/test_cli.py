"""The rcourse command line: version, help, errors, install and uninstall."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import struct
import subprocess
from pathlib import Path

from conftest import KERNEL_NAME, PREFIX, REPO_ROOT, RCOURSE_BIN, run_cli


def workspace_version() -> str:
    text = (REPO_ROOT / "Cargo.toml").read_text()
    section = text.split("[workspace.package]", 1)[1]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match, "no version in [workspace.package]"
    return match.group(1)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_version() -> None:
    proc = run_cli("--version", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert workspace_version() in proc.stdout, proc.stdout


def test_help_lists_subcommands() -> None:
    proc = run_cli("--help", timeout=60)
    assert proc.returncode == 0, proc.stderr
    for word in ("kernel", "install", "uninstall"):
        assert word in proc.stdout, proc.stdout


def test_error_is_one_sentence(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-connection-file.json"
    proc = run_cli("kernel", "--connection-file", str(missing), timeout=60)
    assert proc.returncode != 0
    message = proc.stderr.strip()
    assert message, "no error message"
    assert len(message.splitlines()) == 1, message
    assert "panicked" not in message and "RUST_BACKTRACE" not in message, message


def check_kernelspec(spec_dir: Path) -> None:
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["display_name"] == "Rust (course)"
    assert spec["language"] == "rust"
    assert spec.get("interrupt_mode") == "message"
    argv = spec["argv"]
    assert "{connection_file}" in argv, argv
    assert "kernel" in argv and "--connection-file" in argv, argv
    exe = Path(argv[0])
    assert exe.is_absolute() and os.access(exe, os.X_OK), argv
    assert png_size(spec_dir / "logo-32x32.png") == (32, 32)
    assert png_size(spec_dir / "logo-64x64.png") == (64, 64)


def test_the_installation_for_every_user_is_self_contained(kernelspec_dir: Path) -> None:
    """`install --sys-prefix` (as the set-up runs it) puts the binary, the
    crate cache and the warm build inside the prefix, gives the kernel the
    toolchain and the cache through the kernelspec, and leaves nothing that
    another user could change."""
    check_kernelspec(kernelspec_dir)
    prefix = PREFIX.resolve()
    spec = json.loads((kernelspec_dir / "kernel.json").read_text())
    argv = spec["argv"]
    exe = Path(argv[0])
    assert exe == prefix / "bin" / "rcourse", argv
    assert exe.read_bytes() == RCOURSE_BIN.read_bytes(), "the installed binary is the one just built"
    warm = Path(argv[argv.index("--warm-dir") + 1])
    assert warm.parent == prefix / "share" / "rcourse", warm
    assert (warm / "rcourse-warm.json").is_file()
    env = spec["env"]
    path_dirs = env["PATH"].split(os.pathsep)
    assert (Path(path_dirs[0]) / "cargo").is_file() and (Path(path_dirs[0]) / "rustc").is_file(), path_dirs
    assert Path(env["CARGO_HOME"]) == prefix / "share" / "rcourse" / "cargo", env
    for top in (prefix / "share" / "rcourse", kernelspec_dir, exe):
        paths = [top, *top.rglob("*")] if top.is_dir() else [top]
        for path in paths[:5000]:
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            assert mode & (stat.S_IWGRP | stat.S_IWOTH) == 0, f"{path} is writable by others"
            assert mode & stat.S_IROTH, f"{path} is not readable by others"


def test_install_refuses_a_prefix_others_can_write(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    prefix = shared / "rcourse"
    proc = run_cli("install", "--prefix", str(prefix), timeout=60)
    assert proc.returncode != 0
    message = proc.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert str(shared) in message and "other users" in message, message
    assert not prefix.exists(), "nothing is written"


def test_uninstall_prefix(tmp_path: Path, kernelspec_dir: Path) -> None:
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    shutil.copytree(kernelspec_dir, spec_dir)
    proc = run_cli("uninstall", "--prefix", str(tmp_path), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not spec_dir.exists()
    proc = run_cli("uninstall", "--prefix", str(tmp_path), timeout=60)
    assert proc.returncode != 0 and "no `rcourse` kernelspec" in proc.stderr, proc.stderr


def test_the_course_opens_from_a_working_copy() -> None:
    """The set-up copies the course into my-course/, which git ignores with
    JupyterLab's checkpoints, so saving a notebook in JupyterLab never
    changes the tracked course."""
    work = REPO_ROOT / "my-course"
    for source in (REPO_ROOT / "notebooks").rglob("*.ipynb"):
        if ".ipynb_checkpoints" not in source.parts:
            assert (work / source.relative_to(REPO_ROOT / "notebooks")).is_file(), f"{source} was not copied"
    probe = ["my-course/index.ipynb", "notebooks/.ipynb_checkpoints/index-checkpoint.ipynb"]
    ignored = subprocess.run(
        ["git", "check-ignore", *probe], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert sorted(ignored) == sorted(probe), ignored
