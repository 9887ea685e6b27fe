"""The chapter 1 reference against closed forms, finite differences and edge cases."""

import numpy as np
import pytest

from nnbook.data import load_binary_digits
from solutions.ch01_logistic_regression import (initialize_with_zeros, model, optimize, predict, propagate,
                                                sigmoid, standardize)


# Any NumPy warning (overflow in exp, division by zero, ...) fails these tests.
pytestmark = pytest.mark.usefixtures("numpy_warnings_are_errors")


def naive_cost(w, b, X, Y):
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def test_sigmoid_known_values():
    assert sigmoid(0.0) == 0.5
    assert np.isclose(sigmoid(np.log(3.0)), 0.75)
    assert np.isclose(sigmoid(-np.log(3.0)), 0.25)


def test_sigmoid_is_stable_for_z_of_plus_minus_1000():
    assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


def test_sigmoid_keeps_tiny_tail_probabilities():
    assert np.isclose(sigmoid(-40.0), np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-12, atol=0)


def test_sigmoid_is_symmetric_and_keeps_shape():
    z = np.linspace(-30, 30, 24).reshape(4, 6)
    assert sigmoid(z).shape == (4, 6)
    assert np.allclose(sigmoid(z) + sigmoid(-z), 1.0)


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma():
    z, eps = np.linspace(-6, 6, 25), 1e-6
    numeric = (sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps)
    assert np.allclose(numeric, sigmoid(z) * (1 - sigmoid(z)), atol=1e-9)


def test_initialize_with_zeros_shapes():
    w, b = initialize_with_zeros(5)
    assert w.shape == (5, 1) and not w.any() and b == 0.0


def test_propagate_at_zero_weights_costs_log_two():
    X, Y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0]])
    grads, cost = propagate(np.zeros((2, 1)), 0.0, X, Y)
    assert np.isclose(cost, np.log(2))
    assert np.allclose(grads["dw"], [[0.25], [0.25]]) and grads["db"] == 0.0


@pytest.mark.parametrize("n_x,m", [(1, 1), (1, 7), (4, 1), (6, 11)])
def test_propagate_gradients_match_finite_differences(n_x, m):
    rng = np.random.default_rng(n_x * 100 + m)
    w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
    X, Y = rng.normal(size=(n_x, m)), (rng.random((1, m)) < 0.5).astype(float)
    grads, cost = propagate(w, b, X, Y)
    assert np.isclose(cost, naive_cost(w, b, X, Y))
    eps = 1e-6
    for j in range(n_x):
        step = np.zeros_like(w)
        step[j] = eps
        numeric = (propagate(w + step, b, X, Y)[1] - propagate(w - step, b, X, Y)[1]) / (2 * eps)
        assert np.isclose(grads["dw"][j, 0], numeric, atol=1e-7)
    numeric_db = (propagate(w, b + eps, X, Y)[1] - propagate(w, b - eps, X, Y)[1]) / (2 * eps)
    assert np.isclose(grads["db"], numeric_db, atol=1e-7)
    assert grads["dw"].shape == (n_x, 1)


def test_propagate_cost_stays_finite_when_the_model_is_certain_and_wrong():
    grads, cost = propagate(np.array([[1000.0]]), 0.0, np.array([[1.0]]), np.array([[0.0]]))
    assert np.isclose(cost, 1000.0)


def test_optimize_takes_the_gradient_step_and_records_costs():
    rng = np.random.default_rng(3)
    w, b = np.zeros((3, 1)), 0.0
    X, Y = rng.normal(size=(3, 20)), (rng.random((1, 20)) < 0.5).astype(float)
    params, _, costs = optimize(w, b, X, Y, num_iterations=1, learning_rate=0.3)
    grads, _ = propagate(w, b, X, Y)
    assert np.allclose(params["w"], -0.3 * grads["dw"]) and np.isclose(params["b"], -0.3 * grads["db"])
    _, _, costs = optimize(w, b, X, Y, num_iterations=250, learning_rate=0.3)
    assert len(costs) == 3 and costs[0] == pytest.approx(np.log(2)) and costs[0] > costs[1] > costs[2]
    assert not w.any(), "the caller's w is untouched"


def test_optimize_with_zero_learning_rate_keeps_the_parameters():
    X, Y = np.eye(2), np.array([[1.0, 0.0]])
    params, _, costs = optimize(np.ones((2, 1)), 0.5, X, Y, num_iterations=5, learning_rate=0.0)
    assert np.all(params["w"] == 1.0) and params["b"] == 0.5


def test_predict_thresholds_at_one_half_strictly():
    assert predict(np.array([[1.0]]), 0.0, np.array([[0.0, 1e-9, -1e-9]])).tolist() == [[0.0, 1.0, 0.0]]


def test_standardize_uses_training_statistics_and_guards_constant_features():
    X_train = np.array([[1.0, 2.0, 3.0, 4.0], [7.0, 7.0, 7.0, 7.0]])
    X_test = np.array([[2.5, 6.0], [7.0, 7.0]])
    train, test = standardize(X_train, X_test)
    assert np.allclose(train[0].mean(), 0) and np.isclose(train[0].std(), 1)
    assert np.all(train[1] == 0) and np.all(test[1] == 0)
    assert np.isclose(test[0, 1], (6.0 - 2.5) / np.std([1, 2, 3, 4]))


def test_model_separates_threes_from_eights():
    digits = load_binary_digits()
    X_train, X_test = standardize(digits.X_train, digits.X_test)
    result = model(X_train, digits.Y_train, X_test, digits.Y_test, num_iterations=1000, learning_rate=0.1)
    assert result["train_accuracy"] > 0.97 and result["test_accuracy"] > 0.93
    assert result["costs"] == sorted(result["costs"], reverse=True)
    assert result["Y_prediction_test"].shape == digits.Y_test.shape
