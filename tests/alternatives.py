"""Correct implementations written differently from the reference: each must get full marks.

Keys are (chapter, function name); the suite fills these into real notebooks and grades them.
"""
import numpy as np


def sigmoid_by_logaddexp(z):
    """sigma(z) = exp(-log(1 + exp(-z))), with log(1 + exp(-z)) from np.logaddexp."""
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))


def sigmoid_naive_with_warning(z):
    """The textbook form: correct values, but exp(1000) overflows with a RuntimeWarning."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def propagate_with_log_a(w, b, X, Y):
    """Cost from A with np.log, gradients with np.dot and explicit loops over nothing fancy."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)  # noqa: F821 (the notebook's sigmoid)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, np.squeeze(cost)


def optimize_with_while_loop(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """A while loop and in-place updates on copies."""
    w, costs, i = w.copy(), [], 0
    while i < num_iterations:
        grads, cost = propagate(w, b, X, Y)  # noqa: F821 (the notebook's propagate)
        if i % record_every == 0:
            costs.append(cost)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        i += 1
    return {"w": w, "b": b}, grads, costs


def predict_by_rounding(w, b, X):
    """np.round maps 0.5 to 0 (round half to even), matching the strict > 0.5 rule."""
    return np.round(sigmoid(w.T @ X + b))  # noqa: F821


def standardize_with_where(X_train, X_test):
    """Divide by sigma where it is positive, by 1 where a feature is constant."""
    mu = np.mean(X_train, axis=1).reshape(-1, 1)
    sigma = np.std(X_train, axis=1).reshape(-1, 1)
    sigma = np.where(sigma > 0, sigma, 1.0)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def perceptron_with_where(X, w, b):
    """np.where on the sign of z."""
    return np.where(np.dot(w.T, X) + b > 0, 1, 0)


def gate_parameters_other_weights(gate):
    """Different but valid weights: any line that separates the gate's points works."""
    if gate == "AND":
        return np.array([[2.0], [2.0]]), -3.0
    if gate == "OR":
        return np.array([[3.0], [3.0]]), -1.0
    if gate == "NAND":
        return np.array([[-0.5], [-0.5]]), 0.75
    raise ValueError(gate)


def xor_network_and_of_or_nand_inline(X):
    """The same network with the hidden units written out."""
    h1 = perceptron(X, np.array([[1.0], [1.0]]), -0.5)  # noqa: F821
    h2 = perceptron(X, np.array([[-1.0], [-1.0]]), 1.5)  # noqa: F821
    return perceptron(np.vstack([h1, h2]), np.array([[1.0], [1.0]]), -1.5)  # noqa: F821


ALTERNATIVES = {
    ("ch00_perceptrons", "perceptron"): [perceptron_with_where],
    ("ch00_perceptrons", "gate_parameters"): [gate_parameters_other_weights],
    ("ch00_perceptrons", "xor_network"): [xor_network_and_of_or_nand_inline],
    ("ch01_logistic_regression", "sigmoid"): [sigmoid_by_logaddexp, sigmoid_naive_with_warning],
    ("ch01_logistic_regression", "propagate"): [propagate_with_log_a],
    ("ch01_logistic_regression", "optimize"): [optimize_with_while_loop],
    ("ch01_logistic_regression", "predict"): [predict_by_rounding],
    ("ch01_logistic_regression", "standardize"): [standardize_with_where],
}
