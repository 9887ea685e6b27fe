"""Build the nbgrader source notebook of a chapter from its template and ``solutions/``.

The result is a build artifact (``<course>/source/<chapter>/exercises.ipynb``): solution
regions hold the reference bodies taken from ``solutions.<chapter>`` at build time, test cells
end with a hidden block that records the student's outputs (``autograder.recorder.record``)
for the grader to judge outside the kernel.
"""
import ast
import importlib
import inspect
import textwrap

import nbformat

from autograder.judging.checking import chapter_modules, graded_before, pinned_references
from autograder.authoring.filling import function_source
from autograder.authoring.template import read_template, split_options

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def split_reference(function):
    """The reference function's source as (header with docstring, body), both dedented text."""
    source = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(source).body[0]
    first = node.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant)
    if not has_docstring:
        raise ValueError(f"reference {function.__qualname__} needs a docstring: it is the exercise's specification")
    lines = source.splitlines()
    return "\n".join(lines[: first.end_lineno]), "\n".join(lines[first.end_lineno : node.end_lineno])


def solution_cell_source(function):
    """Signature and docstring of ``function``, then its body between the solution delimiters."""
    header, body = split_reference(function)
    return f"{header}\n    {BEGIN_SOLUTION}\n{body}\n    {END_SOLUTION}"


def hidden_prologue(chapter, name):
    """Hidden start of a test cell: functions graded in earlier cells are the reference's for
    this cell. Their source is written into the cell, so the kernel needs no access to
    ``solutions/``, and it never holds the reference of this cell's function or a later one."""
    earlier = graded_before(chapter, name)
    if not earlier:
        return ""
    source = "\n\n".join(function_source(function) for function in pinned_references(chapter, name).values())
    return (
        f"{BEGIN_HIDDEN}\n"
        "from autograder.recorder import pin_for_cell\n"
        f"pin_for_cell(globals(), {source!r}, {earlier!r})\n"
        f"{END_HIDDEN}"
    )


def hidden_epilogue(chapter, name):
    """Hidden end of a test cell: record the function's outputs on the hidden inputs; the
    grader judges them outside the kernel."""
    return f"{BEGIN_HIDDEN}\nfrom autograder.recorder import record\nrecord({chapter!r}, {name!r}, globals())\n{END_HIDDEN}"


def nbgrader_metadata(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": 3, "task": False}
    if grade:
        meta["points"] = points
    return meta


def build_cell(cell, index, chapter, reference):
    """The nbgrader source version of one template cell."""
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
        options, body = split_options(cell.source)
        if "implement" in options:
            name = options["implement"]
            cell.source = solution_cell_source(getattr(reference, name))
            cell.metadata["nbgrader"] = nbgrader_metadata(name, solution=True)
            return cell
        if "test" in options:
            name = options["test"]
            parts = [hidden_prologue(chapter, name), body, hidden_epilogue(chapter, name)]
            cell.source = "\n".join(part for part in parts if part)
            cell.metadata["nbgrader"] = nbgrader_metadata(
                f"test_{name}", grade=True, locked=True, points=int(options["points"])
            )
            return cell
    cell.metadata["nbgrader"] = nbgrader_metadata(f"{chapter}_cell_{index:02d}", locked=True)
    return cell


def build_source_notebook(assignment):
    """The nbgrader source notebook (a NotebookNode) for an Assignment."""
    notebook = read_template(assignment.template)
    reference = importlib.import_module(f"solutions.{assignment.name}")
    tested = [split_options(c.source)[0].get("test") for c in notebook.cells if c.cell_type == "code"]
    checked = list(chapter_modules(assignment.name)[1].CHECKS)
    if [name for name in tested if name] != checked:
        raise ValueError(f"{assignment.template}: test cells must follow the order of CHECKS in "
                         f"autograder.exercises.{assignment.name}: {checked}")
    notebook.cells = [build_cell(cell, i, assignment.name, reference) for i, cell in enumerate(notebook.cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.validate(notebook)
    return notebook
