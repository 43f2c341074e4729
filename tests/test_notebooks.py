"""Every course notebook runs from top to bottom in the rcourse kernel.

Cells that are meant to fail (to show a compile error or a panic) carry the
standard `raises-exception` cell tag.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import FIRST_CELL_TIMEOUT, REPO_ROOT, STARTUP_TIMEOUT

NOTEBOOKS = sorted(
    p
    for p in (REPO_ROOT / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks/ yet")
@pytest.mark.parametrize(
    "path", NOTEBOOKS, ids=[str(p.relative_to(REPO_ROOT / "notebooks")) for p in NOTEBOOKS]
)
def test_notebook_runs(path: Path, kernel_name: str) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=int(FIRST_CELL_TIMEOUT),
        startup_timeout=int(STARTUP_TIMEOUT),
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"cell {cell.source!r} failed: {errors}"
