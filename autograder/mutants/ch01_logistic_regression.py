"""Realistic wrong implementations for chapter 1."""
import math

import numpy as np

from autograder.mutants import catalogue
from solutions.ch01_logistic_regression import initialize_with_zeros, optimize, predict, propagate, sigmoid

MUTANTS, mutant_of = catalogue()


@mutant_of("sigmoid")
def sigmoid_overflows(z):
    """exp(z) / (1 + exp(z)) overflows to inf / inf = nan for large z: only take exp of non-positive numbers."""
    return np.exp(z) / (1 + np.exp(z))


@mutant_of("sigmoid")
def sigmoid_sign_error(z):
    """The sign of z is flipped: sigmoid(z) = 1 / (1 + exp(-z)), not 1 / (1 + exp(z))."""
    return 1 / (1 + np.exp(z))


@mutant_of("sigmoid")
def sigmoid_clipped(z):
    """Clipping z to [-10, 10] avoids overflow but makes the tails wrong (sigmoid(-40) is about 4e-18)."""
    z = np.clip(z, -10, 10)
    return 1 / (1 + np.exp(-z))


@mutant_of("sigmoid")
def sigmoid_scalar_only(z):
    """math.exp works on one number only; use np.exp so that z can be an array."""
    return 1 / (1 + math.exp(-z))


@mutant_of("initialize_with_zeros")
def initialize_flat(n_x):
    """w must be a column of shape (n_x, 1), not a flat array of shape (n_x,)."""
    return np.zeros(n_x), 0.0


@mutant_of("initialize_with_zeros")
def initialize_row(n_x):
    """w must be a column of shape (n_x, 1), not a row of shape (1, n_x)."""
    return np.zeros((1, n_x)), 0.0


@mutant_of("initialize_with_zeros")
def initialize_random(n_x):
    """The exercise asks for zeros: small random values are for networks with hidden units."""
    return np.random.randn(n_x, 1) * 0.01, 0.0


@mutant_of("propagate")
def propagate_cost_not_averaged(w, b, X, Y):
    """The cost is a sum over examples: divide by m to average it."""
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    return {"dw": X @ dZ.T / X.shape[1], "db": np.sum(dZ) / X.shape[1]}, cost


@mutant_of("propagate")
def propagate_missing_transpose(w, b, X, Y):
    """dw has shape (1, n_x): it is X @ (A - Y).T / m, with the transpose on (A - Y)."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    return {"dw": dZ @ X.T / m, "db": np.sum(dZ) / m}, cost


@mutant_of("propagate")
def propagate_gradient_not_averaged(w, b, X, Y):
    """The gradients are sums over examples: divide dw and db by m as well."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    return {"dw": X @ dZ.T, "db": np.sum(dZ)}, cost


@mutant_of("propagate")
def propagate_cost_sign(w, b, X, Y):
    """The cost is the negative log-likelihood: the minus sign is missing."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, cost


@mutant_of("optimize")
def optimize_gradient_ascent(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """The update adds the gradient: gradient descent subtracts it, w <- w - learning_rate * dw."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
        w = w + learning_rate * grads["dw"]
        b = b + learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, costs


@mutant_of("optimize")
def optimize_never_updates(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """The updated values go to new variables, so w and b never change from one iteration to the next."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
        w_new = w - learning_rate * grads["dw"]
        b_new = b - learning_rate * grads["db"]
    return {"w": w_new, "b": b_new}, grads, costs


@mutant_of("optimize")
def optimize_bias_not_updated(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """b is never updated: it needs its own step, b <- b - learning_rate * db."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
        w = w - learning_rate * grads["dw"]
    return {"w": w, "b": b}, grads, costs


@mutant_of("optimize")
def optimize_records_every_iteration(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """The cost is recorded on every iteration: record it only when i % record_every == 0."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, costs


@mutant_of("predict")
def predict_threshold_zero(w, b, X):
    """sigmoid gives probabilities in (0, 1), so "> 0" predicts 1 everywhere: compare with 0.5."""
    return (sigmoid(w.T @ X + b) > 0).astype(float)


@mutant_of("predict")
def predict_probabilities(w, b, X):
    """These are probabilities, not predictions: turn them into 0 or 1 with the 0.5 threshold."""
    return sigmoid(w.T @ X + b)


@mutant_of("predict")
def predict_flat(w, b, X):
    """The predictions must keep the shape (1, m), not be flattened to (m,)."""
    return (sigmoid(w.T @ X + b) > 0.5).astype(float).ravel()


@mutant_of("predict")
def predict_without_bias(w, b, X):
    """The bias b is missing from z = w.T X + b."""
    return (sigmoid(w.T @ X) > 0.5).astype(float)


@mutant_of("standardize")
def standardize_per_example(X_train, X_test, eps=1e-8):
    """The statistics are taken over features (axis 0) of each example: standardize each feature over examples (axis 1)."""
    def scale(X):
        return (X - X.mean(axis=0, keepdims=True)) / (X.std(axis=0, keepdims=True) + eps)
    return scale(X_train), scale(X_test)


@mutant_of("standardize")
def standardize_test_with_own_statistics(X_train, X_test, eps=1e-8):
    """The test set is scaled with its own mean and deviation: use the training set's for both."""
    def scale(X):
        return (X - X.mean(axis=1, keepdims=True)) / (X.std(axis=1, keepdims=True) + eps)
    return scale(X_train), scale(X_test)


@mutant_of("standardize")
def standardize_by_variance(X_train, X_test, eps=1e-8):
    """Dividing by the variance does not give unit spread: divide by the standard deviation."""
    mu = X_train.mean(axis=1, keepdims=True)
    var = X_train.var(axis=1, keepdims=True)
    return (X_train - mu) / (var + eps), (X_test - mu) / (var + eps)


@mutant_of("standardize")
def standardize_unguarded(X_train, X_test, eps=1e-8):
    """A constant feature has standard deviation 0, and 0 / 0 is nan: add eps to the deviation."""
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


@mutant_of("model")
def model_hard_coded_hyperparameters(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """num_iterations and learning_rate are ignored: pass the arguments on to optimize."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, 2000, 0.5)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_test)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
            "test_accuracy": float(np.mean(Y_prediction_test == Y_test))}


@mutant_of("model")
def model_accuracy_in_percent(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """Accuracies are asked for as fractions in [0, 1], not percentages."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_test)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": 100 - np.mean(np.abs(Y_prediction_train - Y_train)) * 100,
            "test_accuracy": 100 - np.mean(np.abs(Y_prediction_test - Y_test)) * 100}


@mutant_of("model")
def model_trains_on_test_set(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """The model is fit on the test set: train on (X_train, Y_train) and only evaluate on the test set."""
    w, b = initialize_with_zeros(X_test.shape[0])
    params, _, costs = optimize(w, b, X_test, Y_test, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_test)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
            "test_accuracy": float(np.mean(Y_prediction_test == Y_test))}
