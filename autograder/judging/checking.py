"""Hidden checks: compare a student's function with the reference on fixed and random cases.

``verdict`` is the single place where a hidden test is decided. During grading it runs in the
grader, outside the student's kernel: the kernel only reports the student's outputs on the
hidden inputs (``autograder.recorder``), and the expected values are computed here, where
student code cannot reach them. The cases for each graded function live in
``autograder.exercises.<chapter>``, with its known wrong versions (mutants).

While a function is checked, the calls it makes to the graded functions *before* it are
bound to their documented signatures, and an earlier function whose own check failed (or
that calls one that failed) is answered with the reference's output, so a mistake costs the
points of the function that contains it and no others (``optimize`` is judged with a correct
``propagate``).

``first_failure`` checks a function in this process along the same path as grading: the
inputs and outputs make the same JSON round trip, and ``autograder.recorder.outcomes``
produces what a grading kernel reports.
"""
import ast
import copy
import functools
import importlib
import inspect
import json
import re
import textwrap

import numpy as np

from autograder.exercises import ATOL, RTOL, grading_data
from autograder.recorder import Unreadable, calls_checked, decode, encode, error_line, outcomes


class HiddenTestFailure(AssertionError):
    """A hidden test failed; the message is the one-line feedback the student sees."""


def chapter_modules(chapter):
    """The reference module and the grading-data module of a chapter, e.g. 'ch01_logistic_regression'."""
    return importlib.import_module(f"solutions.{chapter}"), grading_data(chapter)


# Comparing an output with the reference's ----------------------------------------------------

def describe(value, limit=60):
    """A short one-line text for a value in feedback."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=6, edgeitems=2).replace("\n", "")
        return f"{text[:limit]}{'...' if len(text) > limit else ''} (shape {value.shape}, dtype {value.dtype})"
    if isinstance(value, dict):
        return "a dict with keys " + ", ".join(map(repr, value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def container(value):
    """The kind of value the feedback names: 'a tuple', 'an array', 'a number', ..."""
    if isinstance(value, np.ndarray) and value.ndim:
        return "an array"
    if is_number(value):
        return "a number"
    names = {tuple: "a tuple", list: "a list", dict: "a dict", str: "a string", type(None): "None"}
    return names.get(type(value), f"a {type(value).__name__}")


def is_number(value):
    """A real number: a Python int or float, a NumPy integer or float, or a 0-d array of those."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def dtype_problem(expected, actual):
    """Why ``actual``'s dtype is not the documented one (``expected``'s), or None."""
    if expected.kind == "f":
        return None if actual == expected else f"has dtype {actual}, expected {expected}"
    compatible = {"i": "iu", "u": "iu", "b": "b", "c": "c"}[expected.kind]
    return None if actual.kind in compatible else f"has dtype {actual}, expected {expected}"


def mismatch(expected, actual, rtol=RTOL, atol=ATOL, where="the result", equal_nan=False):
    """Why ``actual`` differs from ``expected``, or None when they agree.

    Containers must be the expected ones: a tuple for a tuple, a list for a list, a dict
    holding at least the expected keys, an array of the expected shape and dtype kind (and
    float64 for float64) for an array; a number may be a Python or NumPy scalar or a 0-d
    array. Numbers agree within |a - e| <= atol + rtol |e|, NaN equal to NaN only if
    ``equal_nan``; everything is compared recursively.
    """
    def recurse(e, a, part):
        return mismatch(e, a, rtol, atol, part, equal_nan)

    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where} should be a dict, got {container(actual)}"
        for key in expected:
            if key not in actual:
                return f"{where} has no key {key!r}"
            problem = recurse(expected[key], actual[key], f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(expected, (tuple, list)):
        kind = type(expected)
        if not isinstance(actual, kind) or len(actual) != len(expected):
            return f"{where} should be {container(expected)} of length {len(expected)}, got {describe(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            problem = recurse(e, a, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(expected, str) or expected is None:
        return None if type(actual) is type(expected) and actual == expected else \
            f"{where} should be {describe(expected)}, got {describe(actual)}"
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(actual, (bool, np.bool_)):
            return f"{where} should be True or False, got {describe(actual)}"
        return None if bool(actual) == bool(expected) else f"{where} is {actual}, expected {expected}"
    if is_number(expected):
        if not is_number(actual):
            return f"{where} should be a single number, got {container(actual)}: {describe(actual)}"
        return close(np.asarray(expected, dtype=np.float64), np.asarray(actual, dtype=np.float64),
                     rtol, atol, equal_nan, where, expected, actual)
    expected = np.asarray(expected)
    if not isinstance(actual, np.ndarray):
        return f"{where} should be an array of shape {expected.shape}, got {container(actual)}: {describe(actual)}"
    if actual.shape != expected.shape:
        return f"{where} has shape {actual.shape}, expected {expected.shape}"
    problem = dtype_problem(expected.dtype, actual.dtype)
    if problem:
        return f"{where} {problem}"
    if expected.dtype.kind in "fc":
        return close(expected, actual, rtol, atol, equal_nan, where, expected, actual)
    return None if np.array_equal(expected, actual) else f"{where} is {describe(actual)}, expected {describe(expected)}"


def close(expected, actual, rtol, atol, equal_nan, where, shown_expected, shown_actual):
    if np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return None
    return f"{where} is {describe(shown_actual)}, expected {describe(shown_expected)}"


# The graded functions of a chapter ----------------------------------------------------------

def graded_before(chapter, name):
    """The chapter's graded functions whose test cells come before ``name``'s (CHECKS order)."""
    names = list(chapter_modules(chapter)[1].CHECKS)
    return names[: names.index(name)]


@functools.lru_cache(maxsize=None)
def graded_calls(chapter):
    """{graded function: the graded functions its reference calls, directly or not}."""
    reference, exercises = chapter_modules(chapter)
    names = set(exercises.CHECKS)
    direct = {}
    for name in names:
        tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(reference, name))))
        direct[name] = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id in names} - {name}
    closure = {}
    for name in names:
        seen, todo = set(), list(direct[name])
        while todo:
            callee = todo.pop()
            if callee not in seen:
                seen.add(callee)
                todo.extend(direct[callee])
        closure[name] = seen
    return closure


def answered_by_reference(chapter, earlier, failures):
    """The earlier graded functions the reference answers for while a later one is checked:
    those that failed their own check (``failures``: {name: failure text, or None if passed})
    and those whose reference calls one that failed (so a student's correct ``optimize`` on top
    of a wrong ``propagate`` is answered in one call, not through every ``propagate`` call)."""
    failed = {name for name in earlier if failures.get(name, "not checked")}
    calls = graded_calls(chapter)
    return [name for name in earlier if name in failed or calls[name] & failed]


def documented_signatures(chapter, names=None):
    """{name: signature text} of the chapter's graded functions (all, or ``names``), e.g.
    ``{"propagate": "(w, b, X, Y)"}``: what calls from other exercises are bound to."""
    reference, exercises = chapter_modules(chapter)
    return {name: str(inspect.signature(getattr(reference, name)))
            for name in (exercises.CHECKS if names is None else names)}


def result_names(function):
    """The names a function's docstring gives the parts of its tuple result ("Returns (grads,
    cost)" or "Returns a tuple (grads, cost)"), which feedback uses instead of positions; None
    if it gives none."""
    found = re.search(r"Returns (?:a tuple )?\(([A-Za-z_]\w*(?:, [A-Za-z_]\w*)+)\)", inspect.getdoc(function) or "")
    return found.group(1).split(", ") if found else None


def argument_name(function, position):
    """The parameter name of argument ``position`` (an index, or a keyword) of ``function``."""
    if isinstance(position, str):
        return position
    parameters = list(inspect.signature(function).parameters)
    return parameters[position] if position < len(parameters) else f"argument {position + 1}"


# Expected values, computed once a process ---------------------------------------------------

def run_case(function, case):
    """Call ``function`` on a private copy of the case's arguments."""
    return function(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))


@functools.lru_cache(maxsize=None)
def hidden_cases(chapter, name):
    """The cases of ``name``, as a tuple (the cases functions make them afresh each call)."""
    return tuple(chapter_modules(chapter)[1].CHECKS[name].cases())


@functools.lru_cache(maxsize=None)
def expected_outputs(chapter, name):
    """The reference's output on every hidden case of ``name`` (None where a judge decides)."""
    reference, exercises = chapter_modules(chapter)
    if exercises.CHECKS[name].judge is not None:
        return (None,) * len(hidden_cases(chapter, name))
    function = getattr(reference, name)
    return tuple(run_case(function, case) for case in hidden_cases(chapter, name))


@functools.lru_cache(maxsize=None)
def mutant_output(chapter, name, mutant_index, case_index):
    """A catalogued mutant's output on one hidden case, or an exception instance if it raised."""
    mutant = chapter_modules(chapter)[1].MUTANTS[name][mutant_index]
    try:
        return run_case(mutant, hidden_cases(chapter, name)[case_index])
    except Exception as error:
        return error


@functools.lru_cache(maxsize=None)
def encoded_cases(chapter, name):
    """The hidden inputs of ``name`` as the kernel reads them (no expected values), as JSON."""
    return json.dumps([{"args": encode(case.args), "kwargs": encode(case.kwargs)}
                       for case in hidden_cases(chapter, name)])


# Deciding ------------------------------------------------------------------------------------

#: What joins a failure text to its likely mistake (the class report reads it back).
HINT = ". Likely mistake: "


def known_mistake(chapter, name, case_index, output):
    """The explanation of the first catalogued mutant that reproduces ``output`` on a case."""
    check = chapter_modules(chapter)[1].CHECKS[name]
    return first_explanation(chapter, name, case_index, lambda produced: not isinstance(produced, Exception) and mismatch(
        produced, output, check.rtol, check.atol, equal_nan=True) is None)


def known_error(chapter, name, case_index, error):
    """The explanation of the first catalogued mutant that raises on a case as the student's
    function did; ``error`` is the line the kernel reported (``autograder.recorder.error_line``).
    NumPy's messages name the shapes involved, so the same text most likely means the same slip."""
    return first_explanation(chapter, name, case_index,
                             lambda produced: isinstance(produced, Exception) and error_line(produced) == error)


def first_explanation(chapter, name, case_index, reproduces):
    """The first docstring line of the first mutant of ``name`` whose outcome on a case
    ``reproduces(outcome)`` accepts (an output, or the exception it raised), or None."""
    for index, mutant in enumerate(chapter_modules(chapter)[1].MUTANTS.get(name, [])):
        if reproduces(mutant_output(chapter, name, index, case_index)):
            return mutant.__doc__.strip().splitlines()[0]
    return None


def with_hint(message, hint):
    """A failure text with its likely mistake, when one is known."""
    return f"{message}{HINT}{hint}" if hint else message


def decoded(result):
    """One outcome a kernel reported, as {"value": ..., "modified": [...]} or {"error": text}."""
    if not isinstance(result, dict):
        raise Unreadable("an outcome is not a dict")
    if "error" in result:
        return {"error": str(result["error"])[:300]}
    modified = result.get("modified", [])
    if not isinstance(modified, list) or not all(isinstance(m, (int, str)) for m in modified):
        raise Unreadable("bad list of modified arguments")
    return {"value": decode(result["value"]), "modified": modified}


def verdict(chapter, name, reported):
    """The one place that decides a hidden test: the failure text, or None if ``name`` passed.

    reported: what the kernel reported (``autograder.recorder.outcomes``, after JSON), one
    outcome a hidden case in the order of the cases, or None if nothing was reported. The
    expected values are computed here, never in the kernel.
    """
    reference, exercises = chapter_modules(chapter)
    check = exercises.CHECKS[name]
    function = getattr(reference, name)
    cases = hidden_cases(chapter, name)
    if reported is None:
        return f"{name}: its hidden tests did not run to the end (stopped, interrupted or skipped)"
    try:
        results = [decoded(result) for result in reported] if isinstance(reported, list) else None
    except (Unreadable, TypeError, KeyError, ValueError, RecursionError):
        results = None
    if results is None or len(results) != len(cases):
        return f"{name}: the hidden tests' results are unreadable"
    names = result_names(function)
    for index, (case, result) in enumerate(zip(cases, results)):
        if "error" in result:
            return with_hint(f"{name} raised {result['error'][:160]} on the case {case.label}",
                             known_error(chapter, name, index, result["error"]))
        if result["modified"]:
            changed = ", ".join(argument_name(function, position) for position in result["modified"])
            return (f"{name} changed its argument {changed} in place on the case {case.label}: "
                    f"the caller's data must stay as it was (compute new arrays instead)")
        output = result["value"]
        if check.judge is not None:
            problem = check.judge(case, output)
        else:
            problem = first_difference(expected_outputs(chapter, name)[index], output, check, names)
        if problem:
            message = f"{name}: on the case {case.label}, {problem}"
            return with_hint(message, known_mistake(chapter, name, index, output))
    return None


def first_difference(expected, output, check, names):
    """``mismatch`` with the parts of a tuple result named as the docstring names them."""
    if names and isinstance(expected, tuple) and isinstance(output, tuple) and len(output) == len(expected) == len(names):
        for part, e, a in zip(names, expected, output):
            problem = mismatch(e, a, check.rtol, check.atol, where=part)
            if problem:
                return problem
        return None
    return mismatch(expected, output, check.rtol, check.atol)


def first_failure(chapter, name, function, namespace=None, failures=None):
    """Check ``function`` as the chapter's graded function ``name`` in this process, along the
    path grading takes; the failure text, or None.

    namespace: the globals the function resolves names in (the notebook's); defaults to
    ``function.__globals__``. Earlier graded functions found there are checked first, and those
    that fail (with those that call them) are answered by the reference while ``name`` is
    checked, as in grading (``answered_by_reference``).
    failures: {earlier name: failure or None} already decided (filled in as they are).
    """
    namespace = function.__globals__ if namespace is None else namespace
    reference = chapter_modules(chapter)[0]
    earlier = graded_before(chapter, name)
    failures = {} if failures is None else failures
    for other in earlier:
        if other not in failures:
            own = namespace.get(other)
            failures[other] = (first_failure(chapter, other, own, namespace, failures) if callable(own)
                               else f"{other} is not defined")
    replaced = {other: getattr(reference, other) for other in answered_by_reference(chapter, earlier, failures)}
    with calls_checked(namespace, documented_signatures(chapter, earlier), replaced):
        reported = outcomes(function, json.loads(encoded_cases(chapter, name)), namespace)
    return verdict(chapter, name, json.loads(json.dumps(reported)))


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
