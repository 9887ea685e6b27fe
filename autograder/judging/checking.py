"""Hidden checks: compare a student's function with the reference on fixed and random cases.

``verdict`` is the single place where a hidden test is decided. During grading it runs in the
grader, outside the student's kernel: the kernel only records the student's outputs on the
hidden inputs (``autograder.recorder``), and the expected values are computed here, where
student code cannot reach them. The cases for each graded function live in
``autograder.exercises.<chapter>``, with its known wrong versions (mutants).

While one function's test cell runs during grading (its visible tests as well as its hidden
checks), the graded functions of *earlier* cells are replaced by the reference in the
student's namespace, so a mistake costs the points of the function that contains it and no
others (``optimize`` is judged with a correct ``propagate``). The student's own run of the
visible tests is untouched: the pinning lives in the hidden regions, which they never see.
"""
import copy
import importlib
import json

import numpy as np

from autograder.exercises import ATOL, RTOL, grading_data
from autograder.recorder import Unreadable, decode, encode, references_pinned

class HiddenTestFailure(AssertionError):
    """A hidden test failed; the message is the one-line feedback the student sees."""


def chapter_modules(chapter):
    """The reference module and the grading-data module of a chapter, e.g. 'ch01_logistic_regression'."""
    return importlib.import_module(f"solutions.{chapter}"), grading_data(chapter)


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


def graded_before(chapter, name):
    """The chapter's graded functions whose test cells come before ``name``'s (CHECKS order)."""
    names = list(chapter_modules(chapter)[1].CHECKS)
    return names[: names.index(name)]


def pinned_references(chapter, name):
    """{function: reference} for the functions graded before ``name``: while ``name`` is
    checked they are the reference's, so a mistake in one of them costs its own points only.
    Later functions are never pinned: a student's code could keep hold of a pinned reference
    and pass off as its own a function that is graded afterwards."""
    reference = chapter_modules(chapter)[0]
    return {other: getattr(reference, other) for other in graded_before(chapter, name)}


def run_case(function, case):
    """Call ``function`` on a private copy of the case's arguments."""
    return function(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


def judge_case(check, reference_function, case, output):
    """The mismatch between ``output`` and what ``case`` requires, or None."""
    if check.judge is not None:
        return check.judge(case, output)
    expected = run_case(reference_function, case)
    return mismatch(expected, output, check.rtol, check.atol)


def known_mistake(exercises, name, check, reference_function, case, output):
    """The explanation of the first catalogued mutant that reproduces ``output`` on ``case``."""
    for mutant in exercises.MUTANTS.get(name, []):
        try:
            mutant_output = run_case(mutant, case)
        except Exception:
            continue
        if mismatch(mutant_output, output, check.rtol, check.atol, equal_nan=True) is None:
            return mutant.__doc__.strip().splitlines()[0]
    return None


def in_process_outcomes(function, cases):
    """What the kernel-side recorder would report for ``function`` on ``cases``, computed here:
    {"value": output} (after the same encode/decode round trip) or {"error": one line}."""
    outcomes = []
    for case in cases:
        try:
            outcomes.append({"value": decode(encode(run_case(function, case)))})
        except Exception as error:
            outcomes.append({"error": f"{type(error).__name__}: {str(error)[:200]}"})
    return outcomes


def first_failure(chapter, name, function, namespace=None):
    """Check ``function`` as the chapter's graded function ``name``, in this process; the
    failure text, or None.

    namespace: the globals the function resolves names in (the notebook's); defaults to
    ``function.__globals__``. Functions graded earlier are the reference's during the check.
    """
    namespace = function.__globals__ if namespace is None else namespace
    cases = list(chapter_modules(chapter)[1].CHECKS[name].cases())
    with references_pinned(namespace, pinned_references(chapter, name)):
        outcomes = in_process_outcomes(function, cases)
    return verdict(chapter, name, outcomes)


def verdict(chapter, name, outcomes):
    """The one place that decides a hidden test: the failure text, or None if ``name`` passed.

    outcomes: one {"value": output} or {"error": text} per hidden case, in the order of
    ``CHECKS[name].cases()``, however they were obtained (in this process, or decoded from what
    a grading kernel wrote). The expected values are computed here, never in the kernel.
    """
    reference, hidden = chapter_modules(chapter)
    check = hidden.CHECKS[name]
    reference_function = getattr(reference, name)
    cases = list(check.cases())
    if not isinstance(outcomes, list) or len(outcomes) != len(cases):
        return f"{name}: the hidden tests did not get one result a case: did its test cell run to the end?"
    for case, result in zip(cases, outcomes):
        if not isinstance(result, dict) or not ({"value", "error"} & result.keys()):
            return f"{name}: the hidden tests' results are unreadable"
        if "error" in result:
            return f"{name} raised {str(result['error'])[:160]} on the case {case.label}"
        output = result["value"]
        problem = judge_case(check, reference_function, case, output)
        if problem:
            message = f"{name}: on the case {case.label}, {problem}"
            hint = known_mistake(hidden, name, check, reference_function, case, output)
            return f"{message}. Likely mistake: {hint}" if hint else message
    return None


def verdict_from_kernel(chapter, name, raw):
    """``verdict`` on the JSON text a grading kernel wrote for ``name`` (None: nothing written)."""
    if raw is None:
        return f"{name}: its hidden tests did not run to the end (stopped, interrupted or skipped)"
    try:
        outcomes = [{"error": str(r["error"])} if isinstance(r, dict) and "error" in r else {"value": decode(r["value"])}
                    for r in json.loads(raw)]
    except (Unreadable, ValueError, TypeError, KeyError, RecursionError):
        return f"{name}: the hidden tests' results are unreadable"
    return verdict(chapter, name, outcomes)


def encoded_cases(chapter):
    """{name: [{"args": ..., "kwargs": ...}, ...]} for every graded function of ``chapter``:
    the hidden inputs, as the kernel-side recorder reads them (no expected values)."""
    return {name: [{"args": encode(case.args), "kwargs": encode(case.kwargs)} for case in check.cases()]
            for name, check in chapter_modules(chapter)[1].CHECKS.items()}


def check_hidden(chapter, name, namespace):
    """In-kernel hidden test for an instructor's own run of the source notebook (no grader
    outside): raise HiddenTestFailure if ``name`` is wrong."""
    __tracebackhide__ = True
    function = namespace.get(name)
    if not callable(function):
        raise HiddenTestFailure(f"{name} is not defined: run its cell, and do not rename or delete it")
    failure = first_failure(chapter, name, function, namespace)
    if failure:
        raise HiddenTestFailure(failure)
