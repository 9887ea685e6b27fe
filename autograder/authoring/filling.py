"""Fill a released notebook's solution cells with code: reference, mutant or any function.

Used to make known submissions (the reference answer, each catalogued mistake) for the test
suite, the benchmark and an instructor's sanity check of a release.
"""
import copy
import importlib
import inspect
import re
import textwrap

from autograder.exercises import grading_data


def function_source(function, name=None):
    """Source of ``function`` as a top-level ``def`` without decorators, renamed to ``name`` if given."""
    source = textwrap.dedent(inspect.getsource(function))
    source = source[re.search(r"^def ", source, flags=re.M).start():]
    if name:
        source = re.sub(rf"^def {function.__name__}\(", f"def {name}(", source, count=1, flags=re.M)
    return source


def solution_cells(notebook):
    """{grade_id: cell} of the notebook's solution cells."""
    return {c.metadata.nbgrader["grade_id"]: c for c in notebook.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def filled(notebook, sources):
    """A copy of ``notebook`` whose solution cells named in ``sources`` hold the given code."""
    notebook = copy.deepcopy(notebook)
    cells = solution_cells(notebook)
    for name, source in sources.items():
        cells[name].source = source
    return notebook


def reference_sources(chapter):
    """{name: source} of the reference implementation of every graded function of a chapter."""
    reference = importlib.import_module(f"solutions.{chapter}")
    hidden = grading_data(chapter)
    return {name: function_source(getattr(reference, name)) for name in hidden.CHECKS}


def with_reference(notebook, chapter, **replacements):
    """The notebook answered with the reference, except ``replacements`` ({name: function})."""
    sources = reference_sources(chapter)
    sources.update({name: function_source(f, name) for name, f in replacements.items()})
    return filled(notebook, sources)
