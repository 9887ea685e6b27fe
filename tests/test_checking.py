"""The hidden checks in-process: reference and alternatives pass, every mutant fails its check."""
import inspect
import types
import warnings

import numpy as np
import pytest

from autograder.exercises.ch03_softmax import softmax_without_keepdims
from autograder.judging.checking import HINT, chapter_modules, expected_outputs, first_failure, mismatch, result_names
from autograder.reporting.mistakes import MISTAKE, explanations, read_failure

from tests.conftest import CHAPTER_NAMES

#: The catalogued explanation of softmax_without_keepdims, a mutant that raises.
KEEPDIMS_SLIP = softmax_without_keepdims.__doc__.strip().splitlines()[0]

GRADED = [(chapter, name) for chapter in CHAPTER_NAMES for name in chapter_modules(chapter)[1].CHECKS]
MUTANTS = [(chapter, name, m) for chapter in CHAPTER_NAMES
           for name, ms in chapter_modules(chapter)[1].MUTANTS.items() for m in ms]


def quiet_failure(chapter, name, function):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return first_failure(chapter, name, function)


@pytest.mark.parametrize("chapter,name", GRADED)
def test_reference_passes_its_hidden_checks(chapter, name):
    reference = chapter_modules(chapter)[0]
    assert first_failure(chapter, name, getattr(reference, name)) is None


@pytest.mark.parametrize("chapter,name", GRADED)
def test_every_graded_function_has_five_mutants_and_two_alternatives(chapter, name):
    exercises = chapter_modules(chapter)[1]
    assert len(exercises.MUTANTS[name]) >= 5 and len(exercises.ALTERNATIVES[name]) >= 2


@pytest.mark.parametrize("chapter,name,mutant", MUTANTS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_mutant_fails_its_hidden_check(chapter, name, mutant):
    failure = quiet_failure(chapter, name, mutant)
    assert failure is not None and failure.startswith(name)
    if failure.startswith(f"{name} raised "):  # a mutant that raises is recognised as one that returns is
        assert read_failure(explanations(chapter), name, failure).kind == MISTAKE, failure


def notebook_namespace(chapter):
    """The reference functions of a chapter as a notebook holds them: resolving the names they
    call in one shared namespace, where a student's version can replace any of them."""
    namespace = dict(vars(chapter_modules(chapter)[0]))
    for key, value in list(namespace.items()):
        if isinstance(value, types.FunctionType):
            namespace[key] = types.FunctionType(value.__code__, namespace, key, value.__defaults__)
    return namespace


def test_the_notebook_namespace_resolves_calls_in_itself():
    namespace = notebook_namespace("ch01_logistic_regression")
    namespace["propagate"] = lambda *a: (_ for _ in ()).throw(RuntimeError("the student's propagate"))
    with pytest.raises(RuntimeError, match="student's propagate"):
        namespace["optimize"](np.zeros((1, 1)), 0.0, np.ones((1, 2)), np.ones((1, 2)), 1, 0.1)


@pytest.mark.parametrize("chapter,name,mutant", MUTANTS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_mutant_costs_no_later_function_its_points(chapter, name, mutant):
    # Later functions are checked with the mutant in the namespace, along grading's path: from
    # the first failed function on, earlier ones are answered by the reference.
    namespace = notebook_namespace(chapter)
    namespace[name] = mutant
    names = list(chapter_modules(chapter)[1].CHECKS)
    later = names[names.index(name) + 1:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        failures = {other: first_failure(chapter, other, namespace[other], namespace) for other in later}
    assert not any(failures.values()), failures


@pytest.mark.parametrize("chapter,name,alternative",
                         [(c, n, f) for c in CHAPTER_NAMES for n, fs in chapter_modules(c)[1].ALTERNATIVES.items() for f in fs],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_alternative_correct_implementation_passes(chapter, name, alternative):
    assert quiet_failure(chapter, name, alternative) is None


def test_feedback_names_the_likely_mistake():
    mutants = chapter_modules("ch01_logistic_regression")[1].MUTANTS
    failure = first_failure("ch01_logistic_regression", "propagate", mutants["propagate"][0])
    assert "Likely mistake: The cost is a sum over examples" in failure


def test_a_student_who_raises_as_a_catalogued_mutant_does_is_told_its_mistake():
    def softmax(Z, axis=0):  # softmax_without_keepdims's slip, written another way
        shifted = Z - Z.max(axis=axis)
        return np.exp(shifted) / np.exp(shifted).sum(axis=axis)

    failure = first_failure("ch03_softmax", "softmax", softmax)
    assert "softmax raised ValueError: operands could not be broadcast" in failure
    assert failure.endswith(f"{HINT}{KEEPDIMS_SLIP}")
    assert read_failure(explanations("ch03_softmax"), "softmax", failure).text == KEEPDIMS_SLIP


def test_an_error_no_mutant_raises_gets_no_hint():
    def softmax(Z, axis=0):
        raise ValueError("operands could not be broadcast together")

    failure = first_failure("ch03_softmax", "softmax", softmax)
    assert failure.startswith("softmax raised ValueError: operands could not be broadcast together on the case")
    assert HINT not in failure


def test_an_error_that_quotes_a_catalogued_explanation_is_not_read_as_that_mistake():
    def softmax(Z, axis=0):  # a student who read this repository poses as a known mistake
        raise ValueError(f"x{HINT}{KEEPDIMS_SLIP}")

    failure = first_failure("ch03_softmax", "softmax", softmax)
    assert KEEPDIMS_SLIP in failure
    assert read_failure(explanations("ch03_softmax"), "softmax", failure).kind != MISTAKE


def test_other_graded_functions_are_the_reference_during_a_check():
    # A correct optimize is judged with the reference propagate even if the student's is broken.
    from solutions.ch01_logistic_regression import optimize

    namespace = dict(optimize.__globals__)
    broken = dict(namespace, propagate=lambda *a: (_ for _ in ()).throw(RuntimeError("broken")))
    clone = type(optimize)(optimize.__code__, broken, "optimize", optimize.__defaults__)
    assert first_failure("ch01_logistic_regression", "optimize", clone, broken) is None
    assert broken["propagate"] is not namespace["propagate"], "the student's name is restored after the check"


def test_a_number_may_be_a_python_or_numpy_scalar_or_a_zero_d_array():
    for value in [0.5, np.float64(0.5), np.float32(0.5), np.array(0.5)]:
        assert mismatch(0.5, value) is None, value


def test_a_one_element_array_is_not_a_number():
    assert "should be a single number" in mismatch(0.5, np.array([[0.5]]))


def test_arrays_keep_their_documented_dtype_and_container():
    assert "dtype int64, expected float64" in mismatch(np.zeros((1, 3)), np.zeros((1, 3), dtype=np.int64))
    assert "dtype float32, expected float64" in mismatch(np.zeros(2), np.zeros(2, dtype=np.float32))
    assert "dtype complex128" in mismatch(np.ones(2), np.ones(2) + 7j)
    assert "should be an array" in mismatch(np.ones(2), [1.0, 1.0])
    assert "should be a single number" in mismatch(1.0, "1.0")
    assert "should be a list" in mismatch([1.0, 2.0], np.array([1.0, 2.0]))
    assert "should be a tuple" in mismatch((1.0, 2.0), [1.0, 2.0])
    assert mismatch(np.array([1, 0]), np.array([1, 0], dtype=np.int32)) is None, "any integer dtype for integers"


def test_mismatch_rejects_a_wrong_shape_nan_and_missing_key():
    assert "shape" in mismatch(np.zeros((1, 3)), np.zeros(3))
    assert mismatch(np.array([1.0]), np.array([np.nan])) is not None
    assert "no key" in mismatch({"dw": 1.0}, {"db": 1.0})


def test_in_process_checks_read_their_inputs_through_json_as_a_kernel_does():
    # Strings decoded from JSON are new objects: `gate is "AND"` fails in grading, so it fails here.
    student_code = """
def gate_parameters(gate):
    if gate is "AND":
        return np.array([[1.0], [1.0]]), -1.5
    if gate == "OR":
        return np.array([[1.0], [1.0]]), -0.5
    return np.array([[-1.0], [-1.0]]), 1.5
"""
    namespace = {"np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        exec(compile(student_code, "<student>", "exec"), namespace)
    failure = first_failure("ch00_perceptrons", "gate_parameters", namespace["gate_parameters"])
    assert failure is not None and "AND" in failure


def test_a_function_that_changes_its_argument_in_place_fails_and_the_feedback_says_so():
    def relu(z):
        z = np.asarray(z, dtype=np.float64)
        z[z < 0] = 0
        return z.copy()

    failure = first_failure("ch02_activations", "relu", relu)
    assert failure is not None and "changed its argument z in place" in failure


def test_feedback_names_the_parts_of_a_result_as_the_docstring_does():
    from solutions.ch01_logistic_regression import propagate

    def propagate_dw_doubled(w, b, X, Y):
        grads, cost = propagate(w, b, X, Y)
        return {"dw": 2 * grads["dw"], "db": grads["db"]}, cost

    failure = first_failure("ch01_logistic_regression", "propagate", propagate_dw_doubled)
    assert "grads['dw'] is" in failure and "result[0]" not in failure


def defaulted_parameters(chapter, name):
    """Positions of the parameters of the reference ``name`` that have defaults."""
    parameters = list(inspect.signature(getattr(chapter_modules(chapter)[0], name)).parameters.values())
    return parameters, [i for i, p in enumerate(parameters) if p.default is not inspect.Parameter.empty]


WITH_DEFAULTS = [(chapter, name) for chapter, name in GRADED if defaulted_parameters(chapter, name)[1]]


def test_the_chapters_have_functions_with_defaults():
    assert ("ch01_logistic_regression", "model") in WITH_DEFAULTS


@pytest.mark.parametrize("chapter,name", WITH_DEFAULTS)
def test_a_function_with_defaults_is_checked_with_every_default_omitted(chapter, name):
    parameters, defaulted = defaulted_parameters(chapter, name)
    names = {parameters[i].name for i in defaulted}
    cases = list(chapter_modules(chapter)[1].CHECKS[name].cases())
    assert any(len(c.args) <= defaulted[0] and not names & set(c.kwargs) for c in cases), \
        f"no hidden case of {name} leaves {sorted(names)} at their defaults"


TUPLE_RESULTS = [(c, n) for c, n in GRADED if any(isinstance(o, tuple) for o in expected_outputs(c, n))]


def test_some_graded_functions_return_tuples():
    assert ("ch01_logistic_regression", "propagate") in TUPLE_RESULTS


@pytest.mark.parametrize("chapter,name", TUPLE_RESULTS)
def test_feedback_can_name_every_part_of_a_tuple_result(chapter, name):
    outputs = [o for o in expected_outputs(chapter, name) if isinstance(o, tuple)]
    names = result_names(getattr(chapter_modules(chapter)[0], name))
    assert names and all(len(names) == len(o) for o in outputs), f"{name}'s docstring names no parts: {names}"
