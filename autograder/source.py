"""Build the nbgrader source notebook of a chapter from its template and ``solutions/``.

The result is a build artifact (``<course>/source/<chapter>/exercises.ipynb``): solution
regions hold the reference bodies taken from ``solutions.<chapter>`` at build time, test cells
end with a hidden block that calls ``autograder.checking.check_hidden``.
"""
import ast
import importlib
import inspect
import textwrap

import nbformat

from autograder.template import read_template, split_options

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
    """Hidden start of a test cell: other graded functions are the reference's for this cell."""
    return (
        f"{BEGIN_HIDDEN}\n"
        "from autograder.checking import check_hidden, pin_references_for_cell\n"
        f"pin_references_for_cell({chapter!r}, {name!r}, globals())\n"
        f"{END_HIDDEN}"
    )


def hidden_epilogue(chapter, name):
    """Hidden end of a test cell: one call into the grader's checking module."""
    return f"{BEGIN_HIDDEN}\ncheck_hidden({chapter!r}, {name!r}, globals())\n{END_HIDDEN}"


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
    notebook.cells = [build_cell(cell, i, assignment.name, reference) for i, cell in enumerate(notebook.cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.validate(notebook)
    return notebook
