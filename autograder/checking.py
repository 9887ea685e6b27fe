"""Hidden checks: compare a student's function with the reference on fixed and random cases.

This module is the single place where a hidden test decides pass or fail. A generated test
cell calls ``check_hidden(chapter, name, globals())``; the cases for each graded function live
in ``autograder.hidden_cases.<chapter>`` and its known wrong versions in
``autograder.mutants.<chapter>``.

While one function's test cell runs during grading (its visible tests as well as its hidden
checks), every *other* graded function of the chapter is replaced by the reference in the
student's namespace, so a mistake costs the points of the function that contains it and no
others (``optimize`` is judged with a correct ``propagate``). The student's own run of the
visible tests is untouched: the pinning lives in the hidden regions, which they never see.
"""
import copy
import importlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

import numpy as np

RTOL = 1e-5
ATOL = 1e-8


@dataclass(frozen=True)
class Case:
    """One call of the function under test: a label for feedback, and its arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """How one graded function is checked.

    cases: returns the cases (fixed edge cases first, then seeded random ones).
    judge: optional ``judge(case, output) -> message or None`` for functions with many right
        answers (e.g. gate weights); without it the output must match the reference's.
    """

    cases: Callable[[], Iterable[Case]]
    judge: Optional[Callable[[Case, Any], Optional[str]]] = None
    rtol: float = RTOL
    atol: float = ATOL


class HiddenTestFailure(AssertionError):
    """A hidden test failed; the message is the one-line feedback the student sees."""


def chapter_modules(chapter):
    """The reference, hidden-case and mutant modules of a chapter, e.g. 'ch01_logistic_regression'."""
    return (
        importlib.import_module(f"solutions.{chapter}"),
        importlib.import_module(f"autograder.hidden_cases.{chapter}"),
        importlib.import_module(f"autograder.mutants.{chapter}"),
    )


def describe(value, limit=60):
    """A short one-line text for a value in feedback."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=6, edgeitems=2).replace("\n", "")
        return f"{text[:limit]}{'...' if len(text) > limit else ''} (shape {value.shape})"
    if isinstance(value, dict):
        return "dict with keys " + ", ".join(map(repr, value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def mismatch(expected, actual, rtol=RTOL, atol=ATOL, where="the result", equal_nan=False):
    """Why ``actual`` differs from ``expected``, or None when they agree.

    Arrays must have the expected shape (a scalar may come as any size-1 array) and agree
    within rtol/atol, NaN equal to NaN only if ``equal_nan``; dicts need the expected keys; tuples and lists
    the expected length; everything is compared recursively.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where} should be a dict, got {type(actual).__name__}"
        for key in expected:
            if key not in actual:
                return f"{where} has no key {key!r}"
            problem = mismatch(expected[key], actual[key], rtol, atol, f"{where}[{key!r}]", equal_nan)
            if problem:
                return problem
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)) or len(actual) != len(expected):
            return f"{where} should be a {type(expected).__name__} of length {len(expected)}, got {describe(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            problem = mismatch(e, a, rtol, atol, f"{where}[{i}]", equal_nan)
            if problem:
                return problem
        return None
    expected_array = np.asarray(expected)
    try:
        actual_array = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{where} should be numeric, got {describe(actual)}"
    if expected_array.ndim == 0:
        if actual_array.size != 1:
            return f"{where} should be a single number, got {describe(actual)}"
        actual_array = actual_array.reshape(())
    elif actual_array.shape != expected_array.shape:
        return f"{where} has shape {actual_array.shape}, expected {expected_array.shape}"
    if not np.allclose(actual_array, expected_array, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return f"{where} is {describe(actual)}, expected {describe(expected)}"
    return None


@contextmanager
def references_pinned(namespace, reference, names):
    """Temporarily bind ``names`` in the student's namespace to the reference functions."""
    saved = {name: namespace[name] for name in names if name in namespace}
    try:
        for name in names:
            namespace[name] = getattr(reference, name)
        yield
    finally:
        for name in names:
            if name in saved:
                namespace[name] = saved[name]
            else:
                namespace.pop(name, None)


def pin_references_for_cell(chapter, name, namespace):
    """Hidden prologue of a test cell: the chapter's other graded functions are the reference's
    until this cell finishes, even if it fails (restored by IPython's post_run_cell event)."""
    reference, hidden, _ = chapter_modules(chapter)
    others = [other for other in hidden.CHECKS if other != name]
    pinning = references_pinned(namespace, reference, others)
    pinning.__enter__()
    shell = get_ipython()  # noqa: F821 (the prologue only runs in an IPython kernel)

    def restore(*_):
        shell.events.unregister("post_run_cell", restore)
        pinning.__exit__(None, None, None)

    shell.events.register("post_run_cell", restore)


def run_case(function, case):
    """Call ``function`` on a private copy of the case's arguments."""
    return function(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


def judge_case(check, reference_function, case, output):
    """The mismatch between ``output`` and what ``case`` requires, or None."""
    if check.judge is not None:
        return check.judge(case, output)
    expected = run_case(reference_function, case)
    return mismatch(expected, output, check.rtol, check.atol)


def known_mistake(mutants, name, check, reference_function, case, output):
    """The explanation of the first catalogued mutant that reproduces ``output`` on ``case``."""
    for mutant in mutants.MUTANTS.get(name, []):
        try:
            mutant_output = run_case(mutant, case)
        except Exception:
            continue
        if mismatch(mutant_output, output, check.rtol, check.atol, equal_nan=True) is None:
            return mutant.__doc__.strip().splitlines()[0]
    return None


def first_failure(chapter, name, function, namespace=None):
    """Check ``function`` as the chapter's graded function ``name``; the failure text, or None.

    namespace: the globals the function resolves names in (the notebook's); defaults to
    ``function.__globals__``.
    """
    reference, hidden, mutants = chapter_modules(chapter)
    check = hidden.CHECKS[name]
    reference_function = getattr(reference, name)
    namespace = function.__globals__ if namespace is None else namespace
    others = [other for other in hidden.CHECKS if other != name]
    with references_pinned(namespace, reference, others):
        for case in check.cases():
            try:
                output = run_case(function, case)
            except Exception as error:
                return f"{name} raised {type(error).__name__}: {str(error)[:120]} on the case {case.label}"
            problem = judge_case(check, reference_function, case, output)
            if problem:
                message = f"{name}: on the case {case.label}, {problem}"
                hint = known_mistake(mutants, name, check, reference_function, case, output)
                return f"{message}. Likely mistake: {hint}" if hint else message
    return None


def check_hidden(chapter, name, namespace):
    """The body of a generated hidden test: raise HiddenTestFailure if ``name`` is wrong."""
    __tracebackhide__ = True
    function = namespace.get(name)
    if not callable(function):
        raise HiddenTestFailure(f"{name} is not defined: run its cell, and do not rename or delete it")
    failure = first_failure(chapter, name, function, namespace)
    if failure:
        raise HiddenTestFailure(failure)
