"""Build the nbgrader source notebook of a chapter from its template and ``solutions/``.

The result is a build artifact (``<course>/source/<chapter>/exercises.ipynb``): solution
regions hold the reference bodies taken from ``solutions.<chapter>`` at build time, and each
test cell ends with a hidden region that checks the function when an instructor runs the
source notebook by hand (``autograder.recorder.record``). Grading removes hidden regions and
runs the hidden tests itself (``autograder.preprocessors.BudgetedExecute``); they hold no
reference code and no hidden input. The notebook's metadata names the chapter and the
documented signature of each graded function, which the student's check binds calls to.
"""
import ast
import importlib
import inspect
import textwrap

import nbformat

from autograder.authoring.template import read_template, split_options
from autograder.cells import BEGIN_HIDDEN, END_HIDDEN, TEST_PREFIX
from autograder.judging.checking import chapter_modules, documented_signatures

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
#: Where the source and released notebooks say which chapter they are and how its functions are called.
METADATA_KEY = "nnbook"


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


def hidden_epilogue(chapter, name):
    """Hidden end of a test cell: in an instructor's own run of the source notebook, check the
    function against the reference there (grading removes this region)."""
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
            cell.source = f"{body}\n{hidden_epilogue(chapter, name)}"
            cell.metadata["nbgrader"] = nbgrader_metadata(
                f"{TEST_PREFIX}{name}", grade=True, locked=True, points=int(options["points"])
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
    notebook.metadata[METADATA_KEY] = {"chapter": assignment.name, "signatures": documented_signatures(assignment.name)}
    nbformat.validate(notebook)
    return notebook
