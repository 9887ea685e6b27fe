"""Every formula and numeric claim of the chapter 3 explanation pages, checked numerically.

The pages are, in chapters/ch03_softmax/: softmax.ipynb (the model, the softmax and its
properties, two classes, temperature, the loss, one-hot labels), stable_computation.ipynb
(float64 limits, the naive softmax, max-subtraction, log-sum-exp and log-softmax, losses from
logits, the round-off demo), gradient_and_losses.ipynb (p - y, the softmax Jacobian, squared
error against cross-entropy, multi-label outputs) and training_on_digits.ipynb (gradients of
W and b, the choices on the development set, the test result). Section headers below name the
page; the small set-ups (seeds, data, loops) are the pages' own. The answers to the pages'
"Check your understanding" questions are checked too.
"""
import json

import numpy as np
import pytest

from nnbook.data import load_digits
from nnbook.softmax_demos import EXAMPLE_LOGITS, roundoff_values
from solutions.ch01_logistic_regression import sigmoid, standardize
from solutions.ch03_softmax import (binary_cross_entropy_from_logits, cross_entropy_from_logits,
                                    cross_entropy_gradient, log_softmax, log_sum_exp, one_hot, predict_classes,
                                    softmax, softmax_regression, softmax_regression_gradients)
from tests.conftest import CHAPTERS

EPS = 1e-6
Z_EXAMPLE = np.array(EXAMPLE_LOGITS).reshape(3, 1)


def column(*values):
    return np.array(values, dtype=float).reshape(-1, 1)


def numeric_gradient(f, Z, eps=EPS):
    gradient = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        step = np.zeros_like(Z)
        step[index] = eps
        gradient[index] = (f(Z + step) - f(Z - step)) / (2 * eps)
    return gradient


def squared_error_gradient(P, Y):
    """d/dZ of sum_k (p_k - y_k)^2 for every column: 2 p_k ((p_k - y_k) - sum_j p_j (p_j - y_j))."""
    G = 2 * (P - Y)
    return P * (G - np.sum(P * G, axis=0, keepdims=True))


# ------------------------------------------------------------- softmax page: the softmax itself

def test_the_worked_example_exponentials_sum_and_probabilities():
    e = np.exp(Z_EXAMPLE[:, 0])
    assert np.allclose(np.round(e, 3), [7.389, 2.718, 1.105]) and round(e.sum(), 3) == 11.213
    assert np.allclose(np.round(softmax(Z_EXAMPLE)[:, 0], 3), [0.659, 0.242, 0.099])


def test_ratios_of_probabilities_are_exponentials_of_logit_differences():
    z = np.random.default_rng(0).normal(scale=3.0, size=(5, 1))
    p = softmax(z)[:, 0]
    assert np.allclose(p[:, None] / p[None, :], np.exp(z - z.T))
    p_example = softmax(Z_EXAMPLE)[:, 0]
    assert np.isclose(p_example[0] / p_example[1], np.e)      # a logit one unit higher: e times as likely


def test_the_three_properties_positive_order_kept_only_differences_matter():
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=3.0, size=(4, 6))
    P = softmax(Z)
    assert np.all(P > 0) and np.allclose(P.sum(axis=0), 1)
    assert np.array_equal(Z.argmax(axis=0), P.argmax(axis=0))
    assert np.allclose(softmax(Z + 100.0), P)


def test_the_loop_version_on_the_page_is_the_softmax():
    def softmax_of_one_vector(z):
        exponentials = [np.exp(z_k) for z_k in z]
        total = sum(exponentials)
        return [e_k / total for e_k in exponentials]

    assert np.allclose(softmax_of_one_vector(list(EXAMPLE_LOGITS)), softmax(Z_EXAMPLE)[:, 0])


@pytest.mark.parametrize("z0", [0.0, 1.5, -3.0])
def test_two_class_softmax_is_the_sigmoid_of_the_logit_difference(z0):
    z1 = np.linspace(-8, 8, 201)
    P = softmax(np.vstack([np.full_like(z1, z0), z1]))
    assert np.allclose(P[1], sigmoid(z1 - z0), atol=1e-15) and np.allclose(P[0], sigmoid(z0 - z1), atol=1e-15)


def test_two_class_softmax_regression_is_logistic_regression_with_the_weight_difference():
    rng = np.random.default_rng(1)
    W, b, X = rng.normal(size=(2, 4)), rng.normal(size=(2, 1)), rng.normal(size=(4, 9))
    w, b_diff = (W[1] - W[0]).reshape(-1, 1), b[1, 0] - b[0, 0]
    assert np.allclose(softmax(W @ X + b)[1], sigmoid(w.T @ X + b_diff)[0])
    shared = rng.normal(size=(1, 4))                          # the same vector added to every w_k
    assert np.allclose(softmax((W + shared) @ X + b), softmax(W @ X + b))


def test_temperature_low_is_one_hot_high_is_uniform_as_the_figure_says():
    temperatures = np.geomspace(0.05, 100, 200)
    P_T = softmax(Z_EXAMPLE / temperatures, axis=0)
    assert P_T[0, 0] > 0.999 and np.max(np.abs(P_T[:, -1] - 1 / 3)) < 0.01
    assert np.all(np.diff(P_T[0]) < 0), "the largest class loses probability as T grows"


def test_losses_of_the_worked_example_and_of_a_uniform_guess():
    p = softmax(Z_EXAMPLE)[:, 0]
    assert np.allclose(np.round(-np.log(p), 3), [0.417, 1.417, 2.317])
    assert round(np.log(3), 3) == 1.099 and round(np.log(10), 3) == 2.303
    assert np.isclose(cross_entropy_from_logits(np.zeros((10, 4)), one_hot(np.array([[0, 3, 9, 9]]), 10)), np.log(10))


def test_one_hot_cross_entropy_picks_minus_log_p_of_the_true_class_and_two_classes_give_chapter_1():
    Z = np.random.default_rng(2).normal(size=(4, 5))
    labels = np.array([[3, 0, 1, 1, 2]])
    Y = one_hot(labels, 4)
    P = softmax(Z)
    assert np.allclose(-np.sum(Y * np.log(P), axis=0), -np.log(P[labels[0], np.arange(5)]))
    a, y = 0.7, 1.0
    two_class = -np.sum(np.array([1 - y, y]) * np.log(np.array([1 - a, a])))
    assert np.isclose(two_class, -(y * np.log(a) + (1 - y) * np.log(1 - a)))


def test_the_loop_built_one_hot_labels_of_the_page():
    digits = load_digits()
    labels = digits.Y_train[:, :12]
    Y = np.zeros((10, 12))
    for i in range(12):
        Y[labels[0, i], i] = 1.0
    assert np.array_equal(Y, one_hot(labels, 10)) and np.all(Y.sum(axis=0) == 1)


def test_softmax_page_check_your_understanding_answers():
    assert np.allclose(softmax(column(3, 3, 3, 3)), 0.25)
    assert np.isclose(cross_entropy_from_logits(column(3, 3, 3, 3), column(1, 0, 0, 0)), np.log(4))
    z, y = column(0.3, -1.2, 2.0), column(0, 1, 0)
    assert np.allclose(softmax(z + 5), softmax(z)) and np.isclose(cross_entropy_from_logits(z + 5, y),
                                                                  cross_entropy_from_logits(z, y))
    assert round(float(softmax(column(1, 3))[1, 0]), 3) == round(float(sigmoid(2.0)), 3) == 0.881
    rng = np.random.default_rng(3)
    for _ in range(100):
        z = rng.normal(size=(4, 1))
        assert softmax(2 * z).max() > softmax(z).max()
    assert round(-np.log(0.01), 2) == 4.61 and np.isclose(-np.log(0.01), 2 * np.log(10))


# ------------------------------------------------------------------ stable page: float64 limits

def test_float64_limits_of_the_exponential():
    with np.errstate(over="ignore", under="ignore"):
        assert np.isfinite(np.exp(709.78)) and np.isinf(np.exp(709.79))
        assert np.exp(-744.4) > 0 and np.exp(-745.2) == 0
        assert np.exp(-708.0) >= np.finfo(float).tiny > np.exp(-708.5)
    assert round(np.log(np.finfo(float).max), 2) == 709.78 and round(np.log(np.finfo(float).tiny), 2) == -708.40
    assert round(np.log(np.finfo(float).smallest_subnormal), 2) == -744.44


def test_a_logit_gap_of_690_means_a_probability_of_about_1e_minus_300():
    assert 1e-301 < np.exp(-690) < 1e-299


PAGE_Z = np.array([[1000.0, -1000.0, 1.0], [0.0, -1000.0, 2.0], [-1000.0, -1000.0, 3.0]])


def test_the_naive_softmax_gives_nan_for_overflow_and_for_underflow_and_is_right_otherwise():
    with np.errstate(over="ignore", invalid="ignore"):
        E = np.exp(PAGE_Z)
        naive = E / E.sum(axis=0, keepdims=True)
    assert np.isnan(naive[0, 0]) and np.all(np.isnan(naive[:, 1]))
    assert np.allclose(naive[:, 2], softmax(PAGE_Z)[:, 2])


def test_max_subtraction_step_by_step_and_the_batched_result():
    assert np.allclose(softmax(PAGE_Z)[:, 0], [1, 0, 0]) and np.allclose(softmax(PAGE_Z)[:, 1], 1 / 3)
    z = PAGE_Z[:, 0]
    assert np.array_equal(z - z.max(), [0.0, -1000.0, -2000.0])


def test_a_global_max_would_spoil_the_ordinary_column():
    with np.errstate(under="ignore", invalid="ignore"):
        E = np.exp(PAGE_Z - PAGE_Z.max())
        assert np.all(np.isnan(E[:, 2] / E[:, 2].sum()))


def test_the_loss_through_the_probability_is_inf_and_from_the_logits_2000():
    with np.errstate(divide="ignore"):
        assert np.isinf(-np.log(softmax(PAGE_Z)[2, 0]))
    assert -log_softmax(PAGE_Z)[2, 0] == 2000.0


def test_the_table_of_logit_gaps_lost_digits_then_inf():
    gaps = np.array([700.0, 720.0, 730.0, 740.0, 744.0, 746.0])
    logits = np.vstack([np.zeros_like(gaps), -gaps])
    with np.errstate(divide="ignore"):
        through_probability = -np.log(softmax(logits)[1])
    from_logits = -log_softmax(logits)[1]
    error = np.abs(through_probability - from_logits)
    assert np.allclose(from_logits, gaps)
    assert error[0] == 0 and 1e-8 < error[2] < 1e-6 and 0.1 < error[4] < 0.5 and np.isinf(error[5])


def test_the_log_sum_exp_identity_its_values_and_its_bounds():
    z = np.random.default_rng(4).normal(scale=5.0, size=(6, 1))
    c = z.max()
    assert np.isclose(np.log(np.sum(np.exp(z))), c + np.log(np.sum(np.exp(z - c))))
    assert np.allclose(log_sum_exp(PAGE_Z), [[1000.0, -1000 + np.log(3), np.log(np.exp([1, 2, 3]).sum())]])
    assert np.allclose(log_softmax(PAGE_Z)[:, 0], [0, -1000, -2000])
    assert np.isclose(log_sum_exp(column(1000, 1000))[0, 0], 1000 + np.log(2))
    Z = np.random.default_rng(5).normal(scale=300.0, size=(7, 50))
    assert np.all(Z.max(axis=0) <= log_sum_exp(Z)[0]) and np.all(log_sum_exp(Z)[0] <= Z.max(axis=0) + np.log(7))


def test_logaddexp_is_the_log_sum_exp_of_two_numbers():
    z = np.linspace(-800, 800, 33)
    assert np.allclose(np.logaddexp(0.0, z), log_sum_exp(np.vstack([np.zeros_like(z), z]))[0])
    assert np.isclose(np.logaddexp(1000.0, 1000.0), 1000 + np.log(2))


def test_the_smooth_max_figure_gap_is_log_2_at_zero_and_small_at_the_ends():
    z = np.linspace(-6, 6, 241)
    gap = log_sum_exp(np.vstack([z, np.zeros_like(z)]))[0] - np.maximum(z, 0)
    assert np.isclose(gap.max(), np.log(2)) and z[np.argmax(gap)] == 0 and gap[0] < 0.003 and gap[-1] < 0.003


def test_the_softmax_is_the_gradient_of_the_log_sum_exp():
    z = np.random.default_rng(6).normal(size=(4, 1))
    assert np.allclose(numeric_gradient(lambda v: float(log_sum_exp(v)[0, 0]), z), softmax(z), atol=1e-9)


def test_keras_style_clipping_caps_the_loss_at_16_1_and_has_no_gradient_there():
    eps = 1e-7
    assert round(-np.log(eps), 1) == 16.1
    assert np.isclose(-np.log(np.clip(softmax(PAGE_Z)[2, 0], eps, 1 - eps)), -np.log(eps))

    def clipped_loss(z):
        return -np.log(np.clip(softmax(z)[2, 0], eps, 1 - eps))

    z = column(30.0, 0.0, -30.0)                              # p_2 is about 1e-26, far below the clip
    assert np.allclose(numeric_gradient(clipped_loss, z), 0.0)
    assert np.abs(cross_entropy_gradient(z, column(0, 0, 1))).max() > 0.99


def test_the_roundoff_demo_thresholds_quoted_on_the_page():
    fine = np.linspace(340.0, 400.0, 6001)
    rows = [roundoff_values(softmax, log_softmax, s) for s in fine]
    first_inf = fine[[not np.isfinite(r["softmax, then log"][1]) for r in rows].index(True)]
    first_off = fine[[abs(r["softmax, then log"][1] - r["log-softmax"][1]) > 1e-9 * r["log-softmax"][1]
                      for r in rows].index(True)]
    assert 354 < first_off < 370 and 372 < first_inf < 373.5
    at_370 = roundoff_values(softmax, log_softmax, 370.0)
    assert round(at_370["log-softmax"][1], 4) == 740.0 and abs(at_370["softmax, then log"][1] - 740.0) > 1e-3
    at_800 = roundoff_values(softmax, log_softmax, 800.0)
    assert np.isnan(at_800["naive"][0][0]) and np.isinf(at_800["naive"][1]) and at_800["log-softmax"][1] == 1600.0
    for s in [1.0, 100.0, 3000.0]:
        assert np.isclose(roundoff_values(softmax, log_softmax, s)["log-softmax"][1],
                          2 * s + np.log1p(np.exp(-s) + np.exp(-2 * s)))


def test_stable_page_check_your_understanding_answers():
    z = np.random.default_rng(7).normal(size=(3, 1))
    assert np.allclose(softmax(z - z.max()), softmax(z))
    assert log_sum_exp(column(1000, 0))[0, 0] == 1000.0
    with np.errstate(over="ignore"):
        spread = np.array([1000.0, 0.0])
        assert np.isinf(np.exp(spread - spread.min())).any()                # shifted by the minimum
        assert not np.isinf(np.exp(np.array([709.0, 0.0]) - 0.0)).any()
        wide = np.array([1500.0, 0.0])
        assert np.isinf(np.exp(wide - wide.mean())).any()                   # max - mean = 750 > 709.8
    with np.errstate(divide="ignore"):
        assert np.isinf(-np.log(softmax(column(0, -800))[1, 0]))
    assert -log_softmax(column(0, -800))[1, 0] == 800.0


# -------------------------------------------------------------- gradient page: p - y and its check

def test_the_gradient_is_p_minus_y_by_finite_differences_as_on_the_page():
    rng = np.random.default_rng(1)
    K, m = 4, 5
    Z = rng.normal(scale=2.0, size=(K, m))
    Y = one_hot(rng.integers(0, K, size=(1, m)), K)
    numeric = numeric_gradient(lambda v: cross_entropy_from_logits(v, Y), Z)
    assert np.max(np.abs(numeric - (softmax(Z) - Y) / m)) < 1e-8


def test_the_softmax_jacobian_formula():
    z = np.random.default_rng(8).normal(size=4)
    p = softmax(z)
    jacobian = np.diag(p) - np.outer(p, p)
    numeric = np.column_stack([(softmax(z + EPS * e) - softmax(z - EPS * e)) / (2 * EPS) for e in np.eye(4)])
    assert np.allclose(jacobian, numeric, atol=1e-9)


def test_the_diagonal_only_mistake_is_right_for_the_true_class_and_zero_for_the_others():
    z, y = Z_EXAMPLE, column(0, 0, 1)
    p = softmax(z)
    wrong = -y * (1 - p)
    assert np.isclose(wrong[2, 0], (p - y)[2, 0]) and np.all(wrong[:2] == 0) and np.all((p - y)[:2] > 0)


def test_the_worked_gradient_entries_sum_to_zero_and_are_bounded():
    g = (softmax(Z_EXAMPLE) - column(0, 0, 1))[:, 0]
    assert np.allclose(np.round(g, 3), [0.659, 0.242, -0.901]) and np.isclose(g.sum(), 0)
    Z = np.random.default_rng(9).normal(scale=500.0, size=(5, 40))
    Y = one_hot(np.random.default_rng(10).integers(0, 5, size=(1, 40)), 5)
    dZ = softmax(Z) - Y
    assert np.all(np.abs(dZ) <= 1) and np.allclose(dZ.sum(axis=0), 0) and np.all(np.isfinite(dZ))


def test_the_gradient_at_logits_of_plus_minus_1000_is_plus_minus_one_half():
    Z = np.array([[1000.0, -1000.0], [0.0, -1000.0], [-1000.0, 1000.0]])
    assert np.allclose(cross_entropy_gradient(Z, one_hot(np.array([[2, 0]]), 3)), [[0.5, -0.5], [0, 0], [-0.5, 0.5]])


def test_the_squared_error_gradient_formula_and_its_vanishing_for_confident_mistakes():
    z, y = np.random.default_rng(11).normal(size=(4, 1)), column(0, 1, 0, 0)
    numeric = numeric_gradient(lambda v: float(np.sum((softmax(v) - y) ** 2)), z)
    assert np.allclose(squared_error_gradient(softmax(z), y), numeric, atol=1e-9)
    confident_mistake = column(8.0, -8.0, 0.0, 0.0)          # true class 1 gets p about 1e-7
    P = softmax(confident_mistake)
    assert np.isclose(squared_error_gradient(P, y)[1, 0], -4 * P[1, 0], rtol=1e-2)
    assert np.isclose((P - y)[1, 0], -1, atol=1e-6)


def test_the_squared_error_of_a_softmax_is_not_convex_in_the_weights():
    # Two classes, one input x = 1, logits (w, 0), true class 1: the cost is 2 sigmoid(w)^2.
    def cost(w):
        return float(np.sum((softmax(column(w, 0.0)) - column(0, 1)) ** 2))

    assert np.isclose(cost(3.0), 2 * sigmoid(3.0) ** 2)
    assert cost(4.0) > (cost(2.0) + cost(6.0)) / 2, "the midpoint lies above the chord"


def test_the_gradient_figure_ratio_at_p_one_in_a_thousand_and_the_answer_at_1e_minus_4():
    for p_true, more_than in [(1e-3, 200), (1e-4, 2000)]:
        gap = np.log((1 - p_true) / p_true)
        P, Y = softmax(column(gap, 0.0)), column(0, 1)
        ce, se = abs((P - Y)[1, 0]), abs(squared_error_gradient(P, Y)[1, 0])
        assert np.isclose(P[1, 0], p_true) and ce / se > more_than and np.isclose(se, 4 * p_true, rtol=0.01)


@pytest.fixture(scope="module")
def recovery():
    """The page's experiment: a confidently wrong start, then each loss on the true labels."""
    digits = load_digits()
    X, m = digits.X_train, digits.X_train.shape[1]
    Y_true, Y_next = one_hot(digits.Y_train, 10), one_hot((digits.Y_train + 1) % 10, 10)

    def step(W, b, Y, rate, loss):
        P = softmax(W @ X + b)
        dZ = (P - Y) / m if loss == "cross-entropy" else squared_error_gradient(P, Y) / m
        return W - rate * dZ @ X.T, b - rate * np.sum(dZ, axis=1, keepdims=True)

    W, b = np.zeros((10, 64)), np.zeros((10, 1))
    for _ in range(300):
        W, b = step(W, b, Y_next, 0.01, "cross-entropy")
    start = np.sum(softmax(W @ X + b) * Y_true, axis=0)
    curves = {}
    for loss in ["cross-entropy", "squared error"]:
        for rate in [0.01, 0.1]:
            W2, b2, curve = W, b, []
            for _ in range(500):
                W2, b2 = step(W2, b2, Y_true, rate, loss)
                curve.append(np.mean(predict_classes(W2, b2, digits.X_dev) == digits.Y_dev))
            curves[loss, rate] = curve
    return start, np.mean(predict_classes(W, b, X) == digits.Y_train), curves


def test_the_confidently_wrong_start_recovers_with_cross_entropy_but_not_with_squared_error(recovery):
    start, start_accuracy, curves = recovery
    assert np.median(start) < 1e-3 and start_accuracy == 0.0
    for rate in [0.01, 0.1]:
        assert curves["cross-entropy", rate][49] > 0.85 and curves["cross-entropy", rate][-1] > 0.95
        assert curves["squared error", rate][-1] < 0.6
    assert max(curves["squared error", rate][-1] for rate in [0.01, 0.1]) < curves["cross-entropy", 0.01][-1]


def test_from_zeros_the_two_losses_train_about_equally_well():
    digits = load_digits()
    X, m, Y = digits.X_train, digits.X_train.shape[1], one_hot(digits.Y_train, 10)
    accuracies = {}
    for loss in ["cross-entropy", "squared error"]:
        W, b = np.zeros((10, 64)), np.zeros((10, 1))
        for _ in range(500):
            P = softmax(W @ X + b)
            dZ = (P - Y) / m if loss == "cross-entropy" else squared_error_gradient(P, Y) / m
            W, b = W - 0.01 * dZ @ X.T, b - 0.01 * np.sum(dZ, axis=1, keepdims=True)
        accuracies[loss] = np.mean(predict_classes(W, b, digits.X_dev) == digits.Y_dev)
    assert abs(accuracies["cross-entropy"] - accuracies["squared error"]) < 0.02


def test_the_street_example_sigmoids_and_softmax():
    z = column(2.0, -1.0, 0.5)
    assert np.allclose(np.round(sigmoid(z)[:, 0], 3), [0.881, 0.269, 0.622]) and round(sigmoid(z).sum(), 2) == 1.77
    assert np.allclose(np.round(softmax(z)[:, 0], 3), [0.786, 0.039, 0.175])


def test_a_softmax_can_do_no_better_than_one_half_each_for_the_target_1_0_1():
    # The cross-entropy -sum_k y_k log p_k with y = (1, 0, 1) over the probability simplex.
    best, best_p = np.inf, None
    for p0 in np.linspace(0.01, 0.98, 98):
        for p2 in np.linspace(0.01, 0.99 - p0, 50):
            loss = -np.log(p0) - np.log(p2)
            if loss < best:
                best, best_p = loss, (p0, p2)
    assert np.allclose(best_p, (0.5, 0.5), atol=0.02)


def test_binary_cross_entropy_identity_gradient_and_library_reduction():
    z = np.linspace(-20, 20, 81)
    for y in (0.0, 1.0):
        direct = -(y * np.log(sigmoid(z)) + (1 - y) * np.log(1 - sigmoid(z)))
        assert np.allclose(direct, np.log1p(np.exp(z)) - y * z, rtol=1e-6)
    rng = np.random.default_rng(12)
    Z, Y = rng.normal(size=(3, 5)), rng.integers(0, 2, size=(3, 5)).astype(float)
    numeric = numeric_gradient(lambda v: binary_cross_entropy_from_logits(v, Y), Z)
    assert np.allclose(numeric, (sigmoid(Z) - Y) / 5, atol=1e-8)
    mean_over_entries = np.mean(np.logaddexp(0, Z) - Y * Z)               # PyTorch's and Keras's default
    assert np.isclose(binary_cross_entropy_from_logits(Z, Y), 3 * mean_over_entries)


def test_log_one_minus_sigmoid_loses_digits_then_becomes_inf():
    z = np.array([10.0, 20.0, 30.0, 35.0, 37.0, 40.0])
    with np.errstate(divide="ignore"):
        through_probability = -np.log(1 - sigmoid(z))
    relative = np.abs(through_probability - np.logaddexp(0, z)) / np.logaddexp(0, z)
    assert relative[0] < 1e-12 and 1e-5 < relative[2] < 1e-4 and np.all(np.isinf(relative[4:]))
    assert sigmoid(37.0) == 1.0 and sigmoid(36.0) < 1.0


def test_the_multi_label_digits_questions():
    digits = load_digits()
    X, m = digits.X_train, digits.X_train.shape[1]

    def answers(labels):
        return np.vstack([labels % 2 == 0, labels >= 5, np.isin(labels, [0, 6, 8, 9])]).astype(float)

    assert answers(np.array([6])).ravel().tolist() == [1, 1, 1] and answers(np.array([1])).ravel().tolist() == [0, 0, 0]
    T_train, T_dev = answers(digits.Y_train[0]), answers(digits.Y_dev[0])
    W, b = np.zeros((3, 64)), np.zeros((3, 1))
    for _ in range(1000):
        dZ = (sigmoid(W @ X + b) - T_train) / m
        W, b = W - 0.01 * dZ @ X.T, b - 0.01 * np.sum(dZ, axis=1, keepdims=True)
    dev_right = np.mean((W @ digits.X_dev + b > 0) == T_dev, axis=1)
    assert np.all(dev_right > 0.8)
    several_yes = np.sum(sigmoid(W @ digits.X_dev + b) > 0.9, axis=0) >= 2
    assert several_yes.any(), "some digit gets several confident yes answers at once"


def test_gradient_page_check_your_understanding_answers():
    p = softmax(Z_EXAMPLE)[:, 0]
    assert np.allclose(np.round(p - [1, 0, 0], 3), [-0.341, 0.242, 0.099])
    assert round(3 * np.log(2), 2) == 2.08
    assert np.isclose(binary_cross_entropy_from_logits(np.zeros((3, 1)), column(1, 0, 1)), 3 * np.log(2))


# ---------------------------------------------------------------- training page: the digits

def test_the_cost_at_zero_weights_is_log_10_and_the_gradients_match_finite_differences():
    digits = load_digits()
    _, cost = softmax_regression_gradients(np.zeros((10, 64)), np.zeros((10, 1)), digits.X_train,
                                           one_hot(digits.Y_train, 10))
    assert np.isclose(cost, np.log(10))
    rng = np.random.default_rng(2)
    W, b, X = rng.normal(size=(4, 3)), rng.normal(size=(4, 1)), rng.normal(size=(3, 6))
    Y = one_hot(rng.integers(0, 4, size=(1, 6)), 4)
    grads, _ = softmax_regression_gradients(W, b, X, Y)
    dZ = (softmax(W @ X + b) - Y) / 6
    assert np.allclose(grads["dW"], dZ @ X.T) and np.allclose(grads["db"], dZ.sum(axis=1, keepdims=True))
    numeric = numeric_gradient(lambda V: cross_entropy_from_logits(V @ X + b, Y), W)
    assert np.allclose(grads["dW"], numeric, atol=1e-8)


def test_the_cost_is_convex_in_the_parameters_along_random_lines():
    digits = load_digits()
    X, Y = digits.X_train[:, :200], one_hot(digits.Y_train[:, :200], 10)
    rng = np.random.default_rng(13)
    for _ in range(20):
        W1, W2 = rng.normal(scale=0.3, size=(2, 10, 64))
        b1, b2 = rng.normal(size=(2, 10, 1))
        for t in np.linspace(0.1, 0.9, 5):
            middle = cross_entropy_from_logits((t * W1 + (1 - t) * W2) @ X + t * b1 + (1 - t) * b2, Y)
            ends = t * cross_entropy_from_logits(W1 @ X + b1, Y) + (1 - t) * cross_entropy_from_logits(W2 @ X + b2, Y)
            assert middle <= ends + 1e-9


def test_one_zero_start_step_makes_the_rows_of_w_differ():
    digits = load_digits()
    grads, _ = softmax_regression_gradients(np.zeros((10, 64)), np.zeros((10, 1)), digits.X_train,
                                            one_hot(digits.Y_train, 10))
    assert len({tuple(np.round(row, 12)) for row in grads["dW"]}) == 10


RATES = [0.001, 0.01, 0.03, 0.1, 1.0]
CHECKPOINTS = np.arange(100, 1501, 100)


@pytest.fixture(scope="module")
def dev_grid():
    """The training page's grid: development accuracy every 100 iterations, every input and rate."""
    digits = load_digits()
    X_std_train, X_std_dev = standardize(digits.X_train, digits.X_dev)
    inputs = {"raw pixels": (digits.X_train, digits.X_dev), "standardized": (X_std_train, X_std_dev)}
    Y = one_hot(digits.Y_train, 10)
    grid = {}
    for name, (X, X_dev) in inputs.items():
        for rate in RATES:
            W, b, accuracies = np.zeros((10, 64)), np.zeros((10, 1)), []
            for iteration in range(1, CHECKPOINTS[-1] + 1):
                grads, _ = softmax_regression_gradients(W, b, X, Y)
                W, b = W - rate * grads["dW"], b - rate * grads["db"]
                if iteration % 100 == 0:
                    accuracies.append(np.mean(predict_classes(W, b, X_dev) == digits.Y_dev))
            grid[name, rate] = np.array(accuracies)
    settings = [(name, rate, int(it), acc) for (name, rate), curve in grid.items() for it, acc in zip(CHECKPOINTS, curve)]
    return grid, min(settings, key=lambda s: (-s[3], s[2], s[1]))


def test_the_development_set_chooses_raw_pixels_learning_rate_0_03_and_600_iterations(dev_grid):
    _, (inputs, rate, iterations, accuracy) = dev_grid
    assert (inputs, rate, iterations) == ("raw pixels", 0.03, 600) and accuracy > 0.96


def test_the_exercise_trains_with_the_settings_the_chapter_chose(dev_grid):
    _, (_, rate, iterations, _) = dev_grid
    template = json.loads((CHAPTERS / "ch03_softmax" / "exercises.template.ipynb").read_text())
    source = "".join("".join(cell["source"]) for cell in template["cells"])
    assert f"num_iterations={iterations}, learning_rate={rate})" in source
    assert f"learning rate {rate}, {iterations} iterations" in source and "raw pixel values" in source


def test_what_the_grid_shows_standardizing_buys_little_small_rates_are_slow_large_rates_worse(dev_grid):
    grid, (_, _, _, best) = dev_grid
    best_standardized = max(grid["standardized", rate].max() for rate in RATES)
    assert 0 < best - best_standardized <= 3 / 270 + 1e-12       # a couple of development examples
    assert grid["raw pixels", 0.001][0] < grid["raw pixels", 0.001][-1] - 0.05
    assert grid["raw pixels", 1.0].max() < best and grid["raw pixels", 0.1].max() < best


def test_standardizing_blows_up_the_nearly_constant_pixels():
    digits = load_digits()
    _, X_std_dev = standardize(digits.X_train, digits.X_dev)
    sigma = digits.X_train.std(axis=1)
    j = int(np.argmax(np.abs(X_std_dev).max(axis=1)))
    assert np.abs(X_std_dev).max() > 10 and sigma[j] < 1
    assert j // 8 in (0, 7) or j % 8 in (0, 7), "a border pixel"


def test_the_chosen_model_on_the_test_set_and_what_the_page_says_about_it():
    digits = load_digits()
    result = softmax_regression(digits.X_train, digits.Y_train, digits.X_test, digits.Y_test,
                                num_iterations=600, learning_rate=0.03)
    assert result["test_accuracy"] >= 0.95 and result["train_accuracy"] > result["test_accuracy"]
    costs = result["costs"]
    assert np.isclose(costs[0], np.log(10)) and all(a > b for a, b in zip(costs, costs[1:]))
    assert costs[0] - costs[1] > 10 * (costs[-2] - costs[-1]), "quickly, then slowly"
    assert result["W"][0].reshape(8, 8)[3:5, 3:5].mean() < 0, "the centre of the 0 is red"
