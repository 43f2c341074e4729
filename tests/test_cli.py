"""The rcourse command line: version, help, errors, install and uninstall."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
from pathlib import Path

from conftest import KERNEL_NAME, REPO_ROOT, RCOURSE_BIN, run_cli


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
    assert exe.resolve() == RCOURSE_BIN.resolve(), argv
    assert png_size(spec_dir / "logo-32x32.png") == (32, 32)
    assert png_size(spec_dir / "logo-64x64.png") == (64, 64)


def test_install_and_uninstall_prefix(tmp_path: Path) -> None:
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    proc = run_cli("install", "--prefix", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    check_kernelspec(spec_dir)

    # Installing again is fine.
    proc = run_cli("install", "--prefix", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    check_kernelspec(spec_dir)

    proc = run_cli("uninstall", "--prefix", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert not spec_dir.exists()


def test_install_sys_prefix_uses_virtual_env(tmp_path: Path) -> None:
    env = dict(os.environ, VIRTUAL_ENV=str(tmp_path))
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    proc = run_cli("install", "--sys-prefix", env=env)
    assert proc.returncode == 0, proc.stderr
    check_kernelspec(spec_dir)
    proc = run_cli("uninstall", "--sys-prefix", env=env)
    assert proc.returncode == 0, proc.stderr
    assert not spec_dir.exists()


def test_session_kernelspec(kernelspec_dir: Path) -> None:
    check_kernelspec(kernelspec_dir)


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
