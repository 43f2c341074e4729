"""nbgrader settings for notebooks that run on the rcourse kernel (Rust).

Load it from a course's own nbgrader_config.py, which keeps the course's
settings (course id, directories, database):

    c = get_config()
    load_subconfig("/path/to/rcourse/install/nbgrader_config.py")
    c.CourseDirectory.course_id = "rust-101"

or copy it into the course directory as nbgrader_config.py and add those
settings at the end. Written for nbgrader 0.9.6 (install/requirements.txt).

What needs no setting:
- The markers. nbgrader finds `BEGIN SOLUTION`, `END SOLUTION`,
  `BEGIN HIDDEN TESTS` and `END HIDDEN TESTS` anywhere in a line, so
  `// BEGIN SOLUTION` works as written, and the same default still finds the
  bare markers of written answers in markdown cells, as `rcourse export`
  does. Making the delimiters start with `//` would leave the hidden tests of
  a teacher who wrote `//BEGIN HIDDEN TESTS` in the students' notebooks.
  The markers must be Rust comments, though: nbgrader puts graded cells
  back, hidden tests included, with their marker lines.
- The kernel. Execution uses the kernelspec recorded in each notebook
  (`rcourse`), and autograde gives every submission the kernelspec of the
  teacher's notebook.
- LimitOutput: 1000 lines per cell and 100 lines per traceback are more than
  the kernel's errors take (a compiler error is a few lines).
"""

from __future__ import annotations

from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearSolutions, Execute, NbGraderPreprocessor

c = get_config()  # noqa: F821 (defined by the loader of configuration files)

# --- Generating the students' version ---------------------------------------

# nbgrader replaces each solution region (and a solution cell without
# markers) by a stub chosen by the notebook's language, and refuses a
# language it has none for. `todo!();` fits a function body whatever its
# return type (a block that ends in a panic has any type), stands before
# further statements, and fails with "not yet implemented" when run.
# `rcourse export` chooses a stub per place instead (signatures kept for
# whole items, `// YOUR CODE HERE` for struct fields); nbgrader has one stub
# per language. The other languages' stubs are kept.
c.ClearSolutions.code_stub = {
    **ClearSolutions.class_traits()["code_stub"].default(),
    "rust": "// YOUR CODE HERE\ntodo!();",
}

# --- Running notebooks (autograde, validate) ----------------------------------

# The first cell of a kernel session waits for the session to start (the
# course library loads: about 20 s on an idle machine, a minute on a loaded
# one); later cells compile and run in a second or two. One timeout for all
# cells would be either too short for the first or too long for an infinite
# loop, so the first cell that runs gets its own.
FIRST_CELL_TIMEOUT = 300
# Like the default of `rcourse grade --timeout`.
CELL_TIMEOUT = 60

# The cell that gets FIRST_CELL_TIMEOUT; nbgrader runs one notebook at a time.
_first_cell: dict[str, NotebookNode | None] = {"cell": None}


def _remember_first_cell(notebook: NotebookNode, **_: Any) -> None:
    """Note the notebook's first cell that will run, before any runs."""
    _first_cell["cell"] = next(
        (
            cell
            for cell in notebook.cells
            if cell.cell_type == "code"
            and cell.source.strip()
            and "skip-execution" not in cell.metadata.get("tags", [])
        ),
        None,
    )


def _cell_timeout(cell: NotebookNode) -> int:
    """The timeout of a cell, in seconds."""
    return FIRST_CELL_TIMEOUT if cell is _first_cell["cell"] else CELL_TIMEOUT


# nbclient calls this hook once the kernel answers, before the first cell.
c.Execute.on_notebook_start = _remember_first_cell
# Used instead of Execute.timeout (30 s by default) when set.
c.Execute.timeout_func = _cell_timeout
# For waits that concern no cell (the kernel_info request before the first).
c.Execute.timeout = CELL_TIMEOUT
# How long the kernel process may take to answer its first request. It
# answers in a second (the session starts in the background), but a large
# binary starting on a busy machine can take longer than the default 60 s;
# `rcourse grade` allows 120 s.
c.Execute.startup_timeout = 120
# nbgrader makes a late idle status after a cell's reply an error that stops
# the whole notebook (raise_on_iopub_timeout); the default wait of 4 s can
# pass on a loaded machine. The idle status usually comes within
# milliseconds, so the longer wait costs nothing.
c.Execute.iopub_timeout = 15
# Execute.interrupt_on_timeout stays True (nbgrader's default): a cell over
# its timeout is interrupted, the kernel drops that cell's process and keeps
# functions and types for the next cells, as under `rcourse grade`.


# --- Scoring -------------------------------------------------------------------


class StderrIsNotAFailure(NbGraderPreprocessor):
    """Show stderr of graded Rust cells as ordinary output, so that it does not
    cost the cell its points.

    nbgrader gives 0 to a graded cell with any stderr output. The rcourse
    kernel shows every failure (panic, compile error, timeout) as an error,
    and uses stderr for compiler warnings and for what the code prints with
    `eprintln!`, such as a student's debugging output. `rcourse grade` scores
    a cell by errors only; this makes nbgrader do the same for notebooks in
    Rust. Other languages keep nbgrader's rule."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        if nb.metadata.get("kernelspec", {}).get("language") != "rust":
            return nb, resources
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


# Run it right after Execute, before the scores are saved; the rest of
# autograde's list is nbgrader's own.
_autograde = list(Autograde.class_traits()["autograde_preprocessors"].default())
_autograde.insert(_autograde.index(Execute) + 1, StderrIsNotAFailure)
c.Autograde.autograde_preprocessors = _autograde
