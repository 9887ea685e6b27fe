"""The chapter 3 reference against closed forms, finite differences and edge cases, and the
hidden cases against the conventions they must separate."""
import copy

import numpy as np
import pytest

from autograder.exercises.ch03_softmax import CHECKS
from nnbook.data import load_digits
from solutions.ch01_logistic_regression import propagate
from solutions import ch03_softmax
from solutions.ch03_softmax import (binary_cross_entropy_from_logits, cross_entropy_from_logits,
                                    cross_entropy_gradient, log_softmax, log_sum_exp, one_hot, predict_classes,
                                    softmax, softmax_regression, softmax_regression_gradients)

# Any NumPy warning (overflow in exp, division by zero, ...) fails these tests.
pytestmark = pytest.mark.usefixtures("numpy_warnings_are_errors")

EPS = 1e-6
MIXED = np.array([[1000.0, -1000.0, 1.0, 1000.0],
                  [0.0, -1000.0, 2.0, 1000.0],
                  [-1000.0, -1000.0, 3.0, 0.0]])          # (3, 4): overflow columns next to (1, 2, 3)


def naive_softmax(Z, axis=0):
    E = np.exp(Z)
    return E / E.sum(axis=axis, keepdims=True)


def finite_difference_gradient(f, Z, eps=EPS):
    """The gradient of the scalar f at Z by two-sided differences, one entry at a time."""
    gradient = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        step = np.zeros_like(Z)
        step[index] = eps
        gradient[index] = (f(Z + step) - f(Z - step)) / (2 * eps)
    return gradient


def random_labelled(rng, K, m, scale=2.0):
    return rng.normal(scale=scale, size=(K, m)), one_hot(rng.integers(0, K, size=(1, m)), K)


# ------------------------------------------------------------------ softmax and its relatives

def test_softmax_matches_the_formula_where_the_formula_is_safe():
    Z = np.random.default_rng(0).normal(scale=3.0, size=(5, 7))
    assert np.allclose(softmax(Z), naive_softmax(Z), rtol=1e-12)
    assert np.allclose(softmax(Z, axis=1), naive_softmax(Z, axis=1), rtol=1e-12)


def test_softmax_is_stable_for_logits_of_plus_minus_1000_next_to_small_ones():
    P = softmax(MIXED)
    assert np.all(np.isfinite(P)) and P.dtype == np.float64
    assert np.allclose(P[:, 0], [1, 0, 0]) and np.allclose(P[:, 1], 1 / 3)
    assert np.allclose(P[:, 2], naive_softmax(np.array([1.0, 2.0, 3.0])))
    assert np.allclose(P[:, 3], [0.5, 0.5, 0.0])


def test_softmax_columns_are_distributions_and_shifting_a_column_changes_nothing():
    Z = np.random.default_rng(1).normal(scale=50.0, size=(4, 9))
    P = softmax(Z)
    assert np.all(P >= 0) and np.allclose(P.sum(axis=0), 1.0)
    shifts = np.random.default_rng(2).normal(scale=300.0, size=(1, 9))
    assert np.allclose(softmax(Z + shifts), P)


@pytest.mark.parametrize("shape,axis", [((3,), 0), ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 3, 4), 0), ((5, 1), 0)])
def test_softmax_log_sum_exp_and_log_softmax_work_along_any_axis(shape, axis):
    Z = np.random.default_rng(3).normal(scale=200.0, size=shape)
    moved = np.moveaxis(Z, axis, 0)
    assert np.allclose(np.moveaxis(softmax(Z, axis=axis), axis, 0), softmax(moved))
    assert np.allclose(np.moveaxis(log_softmax(Z, axis=axis), axis, 0), log_softmax(moved))
    lse = log_sum_exp(Z, axis=axis)
    assert lse.shape == tuple(1 if a == axis % len(shape) else n for a, n in enumerate(shape))
    assert np.allclose(np.moveaxis(lse, axis, 0), log_sum_exp(moved))


def test_log_sum_exp_values_and_its_smooth_max_bounds():
    assert np.allclose(log_sum_exp(np.array([[1000.0], [1000.0]])), 1000 + np.log(2))
    assert np.allclose(log_sum_exp(np.array([[-1000.0], [-1000.0]])), -1000 + np.log(2))
    Z = np.random.default_rng(4).normal(scale=400.0, size=(6, 20))
    lse = log_sum_exp(Z)
    assert lse.shape == (1, 20)
    assert np.all(lse >= Z.max(axis=0)) and np.all(lse <= Z.max(axis=0) + np.log(6) + 1e-9)
    small = Z / 100
    assert np.allclose(log_sum_exp(small), np.log(np.sum(np.exp(small), axis=0, keepdims=True)))


def test_the_gradient_of_log_sum_exp_is_the_softmax():
    z = np.random.default_rng(5).normal(size=(5, 1))
    numeric = finite_difference_gradient(lambda v: float(log_sum_exp(v)[0, 0]), z)
    assert np.allclose(numeric, softmax(z), atol=1e-9)


def test_log_softmax_is_exact_where_the_probability_underflows():
    assert np.allclose(log_softmax(MIXED)[:, 0], [0.0, -1000.0, -2000.0])
    assert np.allclose(np.exp(log_softmax(MIXED)), softmax(MIXED))
    assert np.all(log_softmax(MIXED) <= 0)


def test_one_class_gets_probability_one_and_log_probability_zero():
    Z = np.array([[3.0, -1000.0, 1000.0]])
    assert np.array_equal(softmax(Z), np.ones((1, 3))) and np.array_equal(log_softmax(Z), np.zeros((1, 3)))


# ------------------------------------------------------------------------------- one-hot

def test_one_hot_has_one_one_per_column_in_the_row_of_the_label():
    labels = np.random.default_rng(6).integers(0, 10, size=(1, 40))
    Y = one_hot(labels, 10)
    assert Y.shape == (10, 40) and Y.dtype == np.float64
    assert np.array_equal(Y.sum(axis=0), np.ones(40)) and np.array_equal(Y.argmax(axis=0), labels[0])


def test_one_hot_keeps_rows_for_classes_that_do_not_occur():
    Y = one_hot(np.array([[1, 1, 0]], dtype=np.int32), 5)
    assert Y.shape == (5, 3) and not Y[2:].any()


# ------------------------------------------------------------------- cross-entropy and gradient

def test_cross_entropy_of_uniform_logits_is_log_k():
    for K in (2, 3, 10):
        assert np.isclose(cross_entropy_from_logits(np.zeros((K, 5)), one_hot(np.zeros((1, 5), int), K)), np.log(K))


def test_cross_entropy_is_the_mean_of_minus_log_p_of_the_true_class():
    Z, Y = random_labelled(np.random.default_rng(7), 4, 6)
    P = naive_softmax(Z)
    assert np.isclose(cross_entropy_from_logits(Z, Y), -np.mean(np.log(np.sum(P * Y, axis=0))))
    assert isinstance(cross_entropy_from_logits(Z, Y), float)


def test_cross_entropy_with_two_classes_is_chapter_1s_cost():
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(3, 7)), (rng.random((1, 7)) < 0.5).astype(float)
    w, b = rng.normal(size=(3, 1)), 0.4
    z = w.T @ X + b
    Z = np.vstack([np.zeros_like(z), z])                   # logit 0 for class 0, z for class 1
    Y = np.vstack([1 - y, y])
    assert np.isclose(cross_entropy_from_logits(Z, Y), propagate(w, b, X, y)[1])


def test_cross_entropy_stays_exact_for_a_true_class_with_logit_minus_1000():
    Y = one_hot(np.array([[2, 0, 2, 1]]), 3)
    # Columns: (1000, 0, -1000) true 2; all -1000, true 0; (1, 2, 3) true 2; (1000, 1000, 0) true 1.
    expected = np.mean([2000.0, np.log(3.0), np.log(np.exp(1.0) + np.exp(2.0) + np.exp(3.0)) - 3.0, np.log(2.0)])
    assert np.isclose(cross_entropy_from_logits(MIXED, Y), expected)


@pytest.mark.parametrize("K,m", [(2, 1), (3, 4), (10, 7), (5, 5)])
def test_cross_entropy_gradient_matches_finite_differences(K, m):
    Z, Y = random_labelled(np.random.default_rng(K * 10 + m), K, m)
    numeric = finite_difference_gradient(lambda v: cross_entropy_from_logits(v, Y), Z)
    assert np.allclose(cross_entropy_gradient(Z, Y), numeric, atol=1e-8)


def test_cross_entropy_gradient_is_p_minus_y_over_m_bounded_and_summing_to_zero():
    Y = one_hot(np.array([[2, 0, 2, 1]]), 3)
    dZ = cross_entropy_gradient(MIXED, Y)
    assert np.allclose(dZ, (softmax(MIXED) - Y) / 4)
    assert np.all(np.isfinite(dZ)) and np.all(np.abs(dZ) <= 1 / 4) and np.allclose(dZ.sum(axis=0), 0)


# ----------------------------------------------------------------- multi-label cross-entropy

def test_binary_cross_entropy_with_one_label_is_chapter_1s_cost():
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(2, 9)), (rng.random((1, 9)) < 0.5).astype(float)
    w, b = rng.normal(size=(2, 1)), -0.3
    assert np.isclose(binary_cross_entropy_from_logits(w.T @ X + b, y), propagate(w, b, X, y)[1])


def test_binary_cross_entropy_sums_over_labels_and_averages_over_examples():
    rng = np.random.default_rng(10)
    Z, Y = rng.normal(size=(4, 6)), rng.integers(0, 2, size=(4, 6)).astype(float)
    A = 1 / (1 + np.exp(-Z))
    per_entry = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert np.isclose(binary_cross_entropy_from_logits(Z, Y), per_entry.sum(axis=0).mean())


def test_binary_cross_entropy_is_finite_and_exact_for_logits_of_plus_minus_1000():
    Z = np.array([[1000.0, -1000.0, 1000.0, -1000.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])
    assert np.isclose(binary_cross_entropy_from_logits(Z, Y), (0 + 0 + 1000 + 1000) / 4)


def test_binary_cross_entropy_gradient_is_sigmoid_minus_y_over_m():
    rng = np.random.default_rng(11)
    Z, Y = rng.normal(size=(3, 4)), rng.integers(0, 2, size=(3, 4)).astype(float)
    numeric = finite_difference_gradient(lambda v: binary_cross_entropy_from_logits(v, Y), Z)
    assert np.allclose(numeric, (1 / (1 + np.exp(-Z)) - Y) / 4, atol=1e-8)


# ------------------------------------------------------------------------ softmax regression

def test_softmax_regression_gradients_match_finite_differences():
    rng = np.random.default_rng(12)
    W, b, X = rng.normal(size=(4, 3)), rng.normal(size=(4, 1)), rng.normal(size=(3, 6))
    Y = one_hot(rng.integers(0, 4, size=(1, 6)), 4)
    grads, cost = softmax_regression_gradients(W, b, X, Y)
    assert np.isclose(cost, cross_entropy_from_logits(W @ X + b, Y))
    dW = finite_difference_gradient(lambda V: softmax_regression_gradients(V, b, X, Y)[1], W)
    db = finite_difference_gradient(lambda c: softmax_regression_gradients(W, c, X, Y)[1], b)
    assert grads["dW"].shape == (4, 3) and grads["db"].shape == (4, 1)
    assert np.allclose(grads["dW"], dW, atol=1e-8) and np.allclose(grads["db"], db, atol=1e-8)


def test_predict_classes_is_the_argmax_of_the_logits_with_ties_to_the_smallest_class():
    rng = np.random.default_rng(13)
    W, b, X = rng.normal(size=(5, 3)), rng.normal(size=(5, 1)), rng.normal(size=(3, 8))
    predicted = predict_classes(W, b, X)
    assert predicted.shape == (1, 8) and predicted.dtype.kind == "i"
    assert np.array_equal(predicted[0], np.argmax(softmax(W @ X + b), axis=0))
    assert np.array_equal(predict_classes(np.zeros((4, 3)), np.zeros((4, 1)), X), np.zeros((1, 8)))


def test_softmax_regression_starts_at_log_k_and_its_cost_falls():
    rng = np.random.default_rng(14)
    X = rng.normal(size=(2, 30)) + np.repeat(np.array([[0.0, 3.0, -3.0], [3.0, -2.0, -2.0]]), 10, axis=1)
    labels = np.repeat(np.arange(3), 10).reshape(1, -1)
    result = softmax_regression(X, labels, X, labels, n_classes=3, num_iterations=500, learning_rate=0.2)
    assert np.isclose(result["costs"][0], np.log(3)) and len(result["costs"]) == 5
    assert all(a > b for a, b in zip(result["costs"], result["costs"][1:]))
    assert result["W"].shape == (3, 2) and result["b"].shape == (3, 1) and result["train_accuracy"] == 1.0


def test_softmax_regression_reaches_95_percent_on_the_digits_with_the_chapters_settings():
    digits = load_digits()
    result = softmax_regression(digits.X_train, digits.Y_train, digits.X_test, digits.Y_test,
                                num_iterations=600, learning_rate=0.03)
    assert result["test_accuracy"] >= 0.95 and result["train_accuracy"] > result["test_accuracy"]
    assert isinstance(result["test_accuracy"], float) and all(isinstance(c, float) for c in result["costs"])


# -------------------------------------------------------- the hidden cases and the conventions

def test_the_reference_changes_no_argument_of_any_hidden_case():
    for name, check in CHECKS.items():
        for case in check.cases():
            args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
            getattr(ch03_softmax, name)(*args, **kwargs)
            for before, after in zip(case.args, args):
                if isinstance(before, np.ndarray):
                    assert np.array_equal(before, after), f"{name} changed an argument on {case.label}"


LOGIT_FUNCTIONS = ["softmax", "log_sum_exp", "log_softmax", "cross_entropy_from_logits", "cross_entropy_gradient"]


@pytest.mark.parametrize("name", LOGIT_FUNCTIONS)
def test_hidden_cases_would_expose_logits_shifted_in_place(name):
    # The grader checks that arguments are unchanged; that only catches "Z -= max" on cases
    # where some example's largest logit is not 0, so (nearly) every case must have one.
    cases = list(CHECKS[name].cases())
    exposed = 0
    for case in cases:
        Z = np.array(case.args[0], dtype=float)
        exposed += bool(np.any(np.max(Z, axis=case.kwargs.get("axis", 0)) != 0))
    assert exposed >= len(cases) - 1


@pytest.mark.parametrize("name", ["softmax", "log_sum_exp", "log_softmax"])
def test_hidden_cases_cover_both_layouts_every_default_one_example_and_mixed_overflow(name):
    cases = list(CHECKS[name].cases())
    axes = {case.kwargs.get("axis", 0) for case in cases}
    assert {0, 1, -1} <= axes
    assert any(not case.kwargs for case in cases), "some case omits the default axis"
    assert any(np.ndim(case.args[0]) == 2 and np.shape(case.args[0])[1] == 1 for case in cases), "m = 1"
    assert any(np.ndim(case.args[0]) == 3 for case in cases) and any(np.ndim(case.args[0]) == 1 for case in cases)
    for case in cases:
        Z = case.args[0]
        if np.ndim(Z) == 2 and np.abs(Z).max() >= 1000:
            small = np.abs(Z).max(axis=case.kwargs.get("axis", 0)) < 10
            if small.any():
                break
    else:
        pytest.fail("no case has logits of 1000 next to small ones in one batch")


def test_one_hot_cases_separate_the_transposed_layout_even_when_square():
    square = [case for case in CHECKS["one_hot"].cases() if case.args[0].shape[1] == case.args[1]]
    assert any(not np.array_equal(one_hot(*case.args), one_hot(*case.args).T) for case in square)
