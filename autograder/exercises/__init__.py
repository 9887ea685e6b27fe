"""What the grader knows about each chapter's exercises: one module a chapter, ``<chapter>.py``.

A chapter's module is the one room an author opens to change how its exercises are graded:

- ``CHECKS: {function name: Check}``, in the order of the test cells: the hidden inputs each
  graded function is checked on (fixed edge cases first, then seeded random ones);
- ``MUTANTS: {function name: [wrong function, ...]}``: realistic mistakes. A mutant's
  docstring starts with the one-line description feedback shows when a student's output
  matches the mutant's; the suite proves each loses its function's points and only those;
- ``ALTERNATIVES: {function name: [correct function, ...]}``: right answers written
  differently from the reference; the suite proves each gets full marks.

Mutants and alternatives are self-contained on purpose, even where that repeats lines: the
suite pastes their source into a real notebook as a student would write it, where no helper
of the module exists (they may call the chapter's graded functions by name).
"""
import ast
import importlib
import inspect
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from autograder.recorder import Function  # noqa: F401 (function-valued arguments of a Case)

#: Default tolerances of a hidden check (numpy.allclose's meaning).
RTOL = 1e-5
ATOL = 1e-8


@dataclass(frozen=True)
class Case:
    """One call of the function under test: a label for feedback, and its arguments.

    Arguments may be numbers, strings, None, NumPy arrays, tuples, lists and str-keyed dicts
    of those, a graded function of the chapter (passed by name), or ``Function(source)``.
    """

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """How one graded function is checked.

    cases: returns the cases (fixed edge cases first, then seeded random ones).
    judge: optional ``judge(case, output) -> message or None`` for functions with many right
        answers (e.g. gate weights); without it the output must match the reference's.
    rtol, atol: how close a number must be to the reference's (|a - e| <= atol + rtol |e|).
    """

    cases: Callable[[], Iterable[Case]]
    judge: Optional[Callable[[Case, Any], Optional[str]]] = None
    rtol: float = RTOL
    atol: float = ATOL


def catalogue():
    """A fresh registry and the decorator that fills it, e.g. ``@mutant_of("sigmoid")``."""
    registry = defaultdict(list)

    def register_as(name):
        def register(function):
            registry[name].append(function)
            return function

        return register

    return registry, register_as


def borrow(chapter, names, mutants, alternatives, notebook):
    """A later chapter's notebook grades ``names`` again, as ``chapter`` (a grading-data
    module) does: the same checks, and the same mutants and alternatives, except those that
    call one of ``chapter``'s graded functions that ``notebook`` (the later chapter's graded
    function names) lacks. Fills ``mutants`` and ``alternatives``; returns {name: Check}."""
    missing = set(chapter.CHECKS) - set(notebook)

    def runs_here(function):
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        return not {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} & missing

    for name in names:
        mutants[name].extend(filter(runs_here, chapter.MUTANTS[name]))
        alternatives[name].extend(filter(runs_here, chapter.ALTERNATIVES[name]))
    return {name: chapter.CHECKS[name] for name in names}


def grading_data(chapter):
    """The grading-data module of ``chapter``, e.g. 'ch01_logistic_regression'."""
    return importlib.import_module(f"autograder.exercises.{chapter}")
