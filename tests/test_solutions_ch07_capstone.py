"""The chapter 7 reference: dropout by its statistics and its draws, the L2 term and the network's
gradients by finite differences, and a trained network that reaches the chapter's test accuracy."""
import copy
import time

import numpy as np
import pytest

from autograder.exercises.ch07_capstone import TRAINING_FLOORS, train_digits_cases
from nnbook.data import load_digits
from solutions.ch03_softmax import cross_entropy_from_logits, cross_entropy_gradient, one_hot
from solutions.ch04_backprop import mlp_backward, mlp_forward, numerical_gradient, relative_error
from solutions.ch05_initialization import initialize_he
from solutions.ch06_optimization import step_decay
from solutions.ch07_capstone import (dropout_backward, dropout_forward, l2_regularization, predict_digits,
                                     regularized_cost, regularized_gradients, logits_at_test_time, train_digits)


def random_network(seed, sizes, m):
    rng = np.random.default_rng(seed)
    params = initialize_he(sizes, rng)
    for l in range(1, len(sizes)):
        params[f"b{l}"] = rng.normal(scale=0.3, size=(sizes[l], 1))
    X = rng.random((sizes[0], m))
    Y = one_hot(rng.integers(0, sizes[-1], size=(1, m)), sizes[-1])
    return params, X, Y


def cost_with_masks(params, X, Y, keep_prob, lambd, seed):
    """The regularized training cost with the masks default_rng(seed) draws, layer 1 first."""
    rng = np.random.default_rng(seed)
    L = len(params) // 2
    A = X
    for l in range(1, L):
        A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        A = A * (rng.random(A.shape) < keep_prob) / keep_prob
    ZL = params[f"W{L}"] @ A + params[f"b{L}"]
    return cross_entropy_from_logits(ZL, Y) + l2_regularization(params, lambd, X.shape[1])[0]


# ------------------------------------------------ dropout

@pytest.mark.parametrize("keep_prob", [0.9, 0.5, 0.2])
def test_dropout_keeps_a_fraction_keep_prob_and_preserves_the_mean(keep_prob):
    A = np.random.default_rng(0).random((300, 400)) * 2
    dropped, mask = dropout_forward(A, keep_prob, np.random.default_rng(1))
    sigma = np.sqrt(keep_prob * (1 - keep_prob) / A.size)
    assert abs(mask.mean() - keep_prob) < 5 * sigma
    assert abs(dropped.mean() - A.mean()) < 0.01
    assert np.allclose(dropped[mask], A[mask] / keep_prob) and np.all(dropped[~mask] == 0)


def test_dropout_draws_exactly_one_uniform_array_and_test_time_draws_nothing():
    A = np.ones((3, 5))
    rng = np.random.default_rng(2)
    _, mask = dropout_forward(A, 0.7, rng)
    reference = np.random.default_rng(2)
    assert np.array_equal(mask, reference.random((3, 5)) < 0.7)
    assert rng.bit_generator.state == reference.bit_generator.state
    untouched = np.random.default_rng(3)
    same, everything = dropout_forward(A, 0.7, untouched, training=False)
    assert np.array_equal(same, A) and everything.all()
    assert untouched.bit_generator.state == np.random.default_rng(3).bit_generator.state


def test_dropout_backward_is_the_derivative_of_the_forward_pass_with_its_mask():
    A = np.random.default_rng(4).normal(size=(4, 6))
    G = np.random.default_rng(5).normal(size=(4, 6))
    _, mask = dropout_forward(A, 0.6, np.random.default_rng(6))
    numeric = numerical_gradient(lambda V: float(np.sum(G * V * mask / 0.6)), A)
    assert relative_error(dropout_backward(G, mask, 0.6), numeric) < 1e-9


# ------------------------------------------------ the L2 term

def test_the_l2_term_is_lambda_over_2m_times_the_squared_weights_and_leaves_the_biases_alone():
    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[5.0]]), "W2": np.array([[3.0]]), "b2": np.array([[7.0]])}
    cost, grads = l2_regularization(params, 0.5, 4)
    assert cost == pytest.approx(0.5 / 8 * 14)
    assert np.array_equal(grads["db1"], [[0.0]]) and np.array_equal(grads["db2"], [[0.0]])


def test_the_l2_gradient_matches_finite_differences():
    params, _, _ = random_network(7, [5, 4, 3], 2)
    _, grads = l2_regularization(params, 0.8, 6)
    for key in params:
        numeric = numerical_gradient(lambda v: l2_regularization({**params, key: v}, 0.8, 6)[0], params[key])
        assert np.allclose(grads["d" + key], numeric, atol=1e-9)


# ------------------------------------------------ the network's gradients

@pytest.mark.parametrize("sizes,keep_prob,lambd", [([4, 6, 3], 0.7, 0.4), ([3, 5, 4, 2], 0.5, 0.0),
                                                   ([5, 3], 0.8, 1.0), ([4, 8, 8, 8, 3], 0.9, 0.2)])
def test_regularized_gradients_pass_a_gradient_check_with_fixed_masks(sizes, keep_prob, lambd):
    params, X, Y = random_network(8, sizes, 7)
    grads = regularized_gradients(params, X, Y, keep_prob, lambd, np.random.default_rng(9))
    for key in params:
        numeric = numerical_gradient(lambda v: cost_with_masks({**params, key: v}, X, Y, keep_prob, lambd, 9),
                                     params[key])
        assert relative_error(grads["d" + key], numeric) < 1e-7, key


def test_without_dropout_and_l2_the_gradients_are_chapter_4s_relu_network_with_a_softmax_output():
    params, X, Y = random_network(10, [4, 5, 5, 3], 6)
    ZL, caches = mlp_forward(X, params, "relu")
    chapter4 = mlp_backward(cross_entropy_gradient(ZL, Y), caches, "relu")
    ours = regularized_gradients(params, X, Y, 1.0, 0.0, np.random.default_rng(0))
    assert all(np.allclose(ours[k], chapter4[k]) for k in chapter4)
    assert np.allclose(logits_at_test_time(X, params), ZL)


def test_regularized_gradients_draw_one_mask_a_hidden_layer_and_nothing_else():
    params, X, Y = random_network(11, [3, 4, 6, 2], 5)
    rng = np.random.default_rng(12)
    regularized_gradients(params, X, Y, 0.5, 0.1, rng)
    reference = np.random.default_rng(12)
    reference.random((4, 5))
    reference.random((6, 5))
    assert rng.bit_generator.state == reference.bit_generator.state


def test_the_helpers_predict_the_largest_logit_and_cost_the_test_time_network():
    params, X, Y = random_network(13, [4, 6, 3], 9)
    ZL = logits_at_test_time(X, params)
    assert np.array_equal(predict_digits(X, params), np.argmax(ZL, axis=0).reshape(1, -1))
    expected = cross_entropy_from_logits(ZL, Y) + 0.3 / 18 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    assert regularized_cost(params, X, Y, 0.3) == pytest.approx(expected)


# ------------------------------------------------ training on the digits

@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_the_chapters_network_reaches_97_percent_on_the_test_set_in_a_few_seconds(digits):
    X_train, X_dev, X_test = digits.X_train / 16, digits.X_dev / 16, digits.X_test / 16
    Y_train, Y_dev = one_hot(digits.Y_train, 10), one_hot(digits.Y_dev, 10)
    before = X_train.copy()
    start = time.perf_counter()
    params, history = train_digits(X_train, Y_train, X_dev, Y_dev, [64, 128, 10], np.random.default_rng(0),
                                   keep_prob=0.8, learning_rate=0.01, num_epochs=20,
                                   schedule=lambda rate, epoch: step_decay(rate, epoch, epochs_per_drop=10))
    seconds = time.perf_counter() - start
    assert np.mean(predict_digits(X_test, params) == digits.Y_test) >= 0.97
    assert len(history["train_accuracy"]) == len(history["dev_accuracy"]) == 20
    assert np.array_equal(X_train, before)
    assert seconds < 10, f"{seconds:.1f} s"


def test_zero_epochs_return_he_initialization_and_empty_histories(digits):
    X, Y = digits.X_train[:, :20] / 16, one_hot(digits.Y_train[:, :20], 10)
    params, history = train_digits(X, Y, X, Y, [64, 8, 10], np.random.default_rng(3), num_epochs=0)
    expected = initialize_he([64, 8, 10], np.random.default_rng(3))
    assert all(np.array_equal(params[k], expected[k]) for k in expected)
    assert history == {"train_accuracy": [], "dev_accuracy": []}


def test_the_hidden_training_floors_sit_at_least_014_below_every_seeds_accuracy():
    for case in train_digits_cases():
        floor = TRAINING_FLOORS[case.label]
        if floor is None:
            continue
        worst = 1.0
        for seed in range(30):
            args = list(copy.deepcopy(case.args))
            args[5] = np.random.default_rng(seed)
            params, _ = train_digits(*args, **case.kwargs)
            X_dev, Y_dev = args[2], args[3]
            worst = min(worst, float(np.mean(np.argmax(logits_at_test_time(X_dev, params), axis=0)
                                             == np.argmax(Y_dev, axis=0))))
        assert worst >= floor + 0.14, (case.label, worst)
