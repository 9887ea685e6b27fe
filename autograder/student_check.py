"""The student's check before submitting: run the notebook fresh and report each exercise.

Runs the notebook top to bottom in a new kernel (as "Restart & Run All" would), its test
cells as grading runs them (``autograder.running.visible_tests``: calls to earlier exercises
bound to their documented signatures), then says for every graded exercise whether its
visible tests pass, fail (with the error's first line) or are not attempted yet, and warns
about edited read-only cells, which grading overwrites.
"""
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbgrader.utils import compute_checksum

from autograder.cells import test_cell_name
from autograder.running.visible_tests import ChecksCalls
from autograder.submissions import notebook_problem

CELL_TIMEOUT = 120
STUB = "raise NotImplementedError()"


@dataclass(frozen=True)
class ExerciseStatus:
    name: str
    status: str  # "passed", "failed" or "not attempted"
    detail: str = ""


def first_error(cell):
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return output.ename, output.evalue.splitlines()[0] if output.evalue else ""
    return None


def graded_cells(notebook):
    return [c for c in notebook.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]


def edited_locked_cells(notebook):
    """grade_ids of read-only cells whose content differs from what was released."""
    edited = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and "checksum" in meta and compute_checksum(cell) != meta["checksum"]:
            edited.append(meta.get("grade_id", "?"))
    return edited


def unanswered(notebook):
    """grade_ids of solution cells that still hold the released stub."""
    return {c.metadata.nbgrader["grade_id"] for c in notebook.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution") and STUB in c.source}


def exercise_statuses(notebook):
    """Per graded test cell of an executed notebook, the status of its exercise."""
    statuses, todo = [], unanswered(notebook)
    for cell in graded_cells(notebook):
        name = cell.metadata.nbgrader["grade_id"].removeprefix("test_")
        error = first_error(cell)
        if name in todo:
            statuses.append(ExerciseStatus(name, "not attempted"))
        elif error is None:
            statuses.append(ExerciseStatus(name, "passed"))
        else:
            detail = f"{error[0]}: {error[1]}"[:200]
            if error[0] == "NotImplementedError":
                detail += " (it uses a function you have not written yet)"
            statuses.append(ExerciseStatus(name, "failed", detail))
    return statuses


class CheckClient(ChecksCalls, NotebookClient):
    """Runs a student's notebook as grading runs its visible tests."""


def documented_signatures(notebook):
    """{graded function: signature text} from the released notebook's metadata, in the order of
    its test cells (what calls from later exercises are bound to)."""
    signatures = notebook.metadata.get("nnbook", {}).get("signatures", {})
    order = [test_cell_name(cell) for cell in notebook.cells]
    return {name: signatures[name] for name in order if name in signatures}


def check_client(notebook, folder, cell_timeout=CELL_TIMEOUT, **hooks):
    """The client that runs ``notebook`` as ``check`` does, in ``folder``; ``hooks`` are
    nbclient's (e.g. ``on_notebook_start``)."""
    client = CheckClient(notebook, timeout=cell_timeout, allow_errors=True, kernel_name="python3",
                         resources={"metadata": {"path": str(folder)}}, **hooks)
    client.signatures = documented_signatures(notebook)
    return client


def check_notebook(path, cell_timeout=CELL_TIMEOUT):
    """Execute a copy of the notebook at ``path``; return (statuses, warnings). Raises ValueError if unreadable."""
    path = Path(path)
    problem = notebook_problem(path)
    if problem:
        raise ValueError(f"{path}: {problem}")
    notebook = nbformat.read(path, as_version=4)
    if not graded_cells(notebook):
        raise ValueError(f"{path}: no graded cells found; is this an exercise notebook released by nbgrader?")
    warnings = [f"read-only cell {grade_id} was edited; grading restores the original" for grade_id in edited_locked_cells(notebook)]
    check_client(notebook, path.parent.resolve(), cell_timeout).execute()
    return exercise_statuses(notebook), warnings
