"""Grading data of chapter 1 (logistic regression): hidden cases, mutants and correct alternatives."""
import math

import numpy as np

from autograder.exercises import Case, Check, catalogue
from nnbook.data import load_binary_digits
from solutions.ch01_logistic_regression import initialize_with_zeros, optimize, predict, propagate, sigmoid, standardize

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

def random_problem(rng, n_x, m, weight_scale=0.5):
    """Parameters and a labelled batch: w: (n_x, 1), b: float, X: (n_x, m), Y: (1, m) in {0, 1}."""
    w = rng.normal(scale=weight_scale, size=(n_x, 1))
    b = float(rng.normal())
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    return w, b, X, Y


def digits_problem():
    """The chapter's data set, standardized: (X_train, Y_train, X_test, Y_test)."""
    split = load_binary_digits()
    X_train, X_test = standardize(split.X_train, split.X_test)
    return X_train, split.Y_train, X_test, split.Y_test


def sigmoid_cases():
    yield Case("z = 0", (0.0,))
    yield Case("z = [-1000, 1000] (must not give nan)", (np.array([-1000.0, 1000.0]),))
    yield Case("z = -40 (a tiny but nonzero probability)", (np.array([[-40.0]]),))
    yield Case("far tails z = [-35, -50, -100, -700, 35] (compared in relative error: log(sigma) needs them)",
               (np.array([-35.0, -50.0, -100.0, -700.0, 35.0]),))
    yield Case("a scalar z = 2", (2.0,))
    rng = np.random.default_rng(110)
    for shape in [(1, 5), (3, 4), (7,)]:
        yield Case(f"random z of shape {shape}", (rng.normal(scale=6.0, size=shape),))


def initialize_cases():
    for n_x in (1, 2, 64):
        yield Case(f"n_x = {n_x}", (n_x,))


def propagate_cases():
    yield Case("w = 0, b = 0 (cost is log 2)",
               (np.zeros((2, 1)), 0.0, np.array([[1.0, -2.0, 3.0], [0.5, 1.0, -1.0]]), np.array([[1.0, 0.0, 1.0]])))
    rng = np.random.default_rng(111)
    for n_x, m in [(1, 1), (3, 5), (4, 1), (64, 50)]:
        yield Case(f"random w, b, X of shape ({n_x}, {m})", random_problem(rng, n_x, m))


def optimize_cases():
    rng = np.random.default_rng(112)
    for n_x, m, iterations, rate in [(2, 3, 1, 0.1), (3, 10, 101, 0.05), (5, 40, 250, 0.5)]:
        w, b, X, Y = random_problem(rng, n_x, m)
        yield Case(f"{iterations} iterations at learning rate {rate} on X of shape ({n_x}, {m})",
                   (w, b, X, Y, iterations, rate))
    w, b, X, Y = random_problem(rng, 3, 8)
    yield Case("record_every = 7 over 30 iterations", (w, b, X, Y, 30, 0.2), {"record_every": 7})


def predict_cases():
    yield Case("z = 0 exactly, where P(y=1|x) = 0.5 (predict 0)", (np.array([[1.0]]), 0.0, np.array([[0.0, 2.0, -2.0]])))
    rng = np.random.default_rng(113)
    for n_x, m in [(1, 1), (3, 9), (64, 30)]:
        w, b, X, _ = random_problem(rng, n_x, m, weight_scale=1.0)
        yield Case(f"random w, b, X of shape ({n_x}, {m})", (w, b, X))


def standardize_cases():
    rng = np.random.default_rng(114)
    for n_x, m_train, m_test in [(1, 6, 2), (4, 30, 10)]:
        scales = rng.uniform(0.5, 20.0, size=(n_x, 1))
        offsets = rng.uniform(-50.0, 50.0, size=(n_x, 1))
        X_train = offsets + scales * rng.normal(size=(n_x, m_train))
        X_test = offsets + 2.0 * scales * rng.normal(size=(n_x, m_test))
        yield Case(f"random features of different scales, ({n_x}, {m_train}) and ({n_x}, {m_test})", (X_train, X_test))
    X_train = np.array([[3.0, 3.0, 3.0, 3.0], [1.0, 2.0, 3.0, 4.0]])
    X_test = np.array([[3.0, 3.0], [0.0, 10.0]])
    yield Case("a constant feature (standard deviation 0) must not give nan", (X_train, X_test))


def model_cases():
    rng = np.random.default_rng(115)
    w, b, X_train, _ = random_problem(rng, 4, 40, weight_scale=2.0)
    Y_train = (w.T @ X_train + b > 0).astype(np.float64)
    X_test = rng.normal(size=(4, 15))
    Y_test = (w.T @ X_test + b > 0).astype(np.float64)
    yield Case("separable random data, 300 iterations at learning rate 0.1",
               (X_train, Y_train, X_test, Y_test), {"num_iterations": 300, "learning_rate": 0.1})
    yield Case("the standardized digits, 200 iterations at learning rate 0.05",
               digits_problem(), {"num_iterations": 200, "learning_rate": 0.05})
    yield Case("the standardized digits with the default num_iterations and learning_rate", digits_problem())


CHECKS = {
    # The chapter's cost takes log(sigma(z)): tails are compared in relative error (no atol).
    "sigmoid": Check(sigmoid_cases, atol=0.0),
    "initialize_with_zeros": Check(initialize_cases),
    "propagate": Check(propagate_cases),
    "optimize": Check(optimize_cases),
    "predict": Check(predict_cases),
    "standardize": Check(standardize_cases),
    "model": Check(model_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

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


@mutant_of("sigmoid")
def sigmoid_clipped_at_30(z):
    """Clipping z to [-30, 30] avoids overflow but cuts the tail: sigmoid(-50) is about 2e-22, not 9e-14."""
    z = np.clip(z, -30, 30)
    return 1 / (1 + np.exp(-z))


@mutant_of("sigmoid")
def sigmoid_saturated_past_30(z):
    """Returning exactly 0 or 1 past |z| = 30 loses the tail the cost's log needs (log 0 is -inf)."""
    z = np.asarray(z, dtype=np.float64)
    inside = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
    return np.where(z < -30, 0.0, np.where(z > 30, 1.0, inside))


@mutant_of("sigmoid")
def sigmoid_in_place(z):
    """The caller's z is overwritten (np.exp(z, out=z)): compute into a new array instead."""
    z = np.asarray(z, dtype=np.float64)
    np.negative(np.abs(z), out=z)
    np.exp(z, out=z)
    return z / (1 + z)


@mutant_of("sigmoid")
def sigmoid_of_absolute_value(z):
    """The form for z < 0 is missing: 1 / (1 + exp(-|z|)) is sigmoid(|z|), wrong for negative z."""
    return 1 / (1 + np.exp(-np.abs(z)))


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


@mutant_of("initialize_with_zeros")
def initialize_with_bias_row(n_x):
    """w has one row too many: the bias is kept apart in b here, so w has shape (n_x, 1)."""
    return np.zeros((n_x + 1, 1)), 0.0


@mutant_of("initialize_with_zeros")
def initialize_swapped(n_x):
    """The pair is in the wrong order: return (w, b), the weights first."""
    return 0.0, np.zeros((n_x, 1))


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


@mutant_of("propagate")
def propagate_cost_one_term(w, b, X, Y):
    """The loss has two terms, -(y log a + (1 - y) log(1 - a)): the (1 - y) term is missing."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A))
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


@mutant_of("optimize")
def optimize_costs_as_array(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """costs is asked for as a list of floats (append to a list), not a NumPy array."""
    costs = []
    grads = {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, np.array(costs)


@mutant_of("optimize")
def optimize_records_after_the_step(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """The cost is recorded after the step: record the cost propagate returns, before updating w and b."""
    costs = []
    for i in range(num_iterations):
        grads, _ = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % record_every == 0:
            costs.append(propagate(w, b, X, Y)[1])
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


@mutant_of("predict")
def predict_inclusive_threshold(w, b, X):
    """A probability of exactly 0.5 must predict 0: use a > 0.5, not a >= 0.5."""
    return (sigmoid(w.T @ X + b) >= 0.5).astype(float)


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


@mutant_of("standardize")
def standardize_in_place(X_train, X_test, eps=1e-8):
    """X_train -= mu changes the caller's data: compute (X_train - mu) / (sigma + eps) as a new array."""
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    X_train -= mu
    X_train /= sigma + eps
    return X_train, (X_test - mu) / (sigma + eps)


@mutant_of("model")
def model_with_other_defaults(X_train, Y_train, X_test, Y_test, num_iterations=1000, learning_rate=0.1):
    """The defaults are num_iterations=2000 and learning_rate=0.5, as the signature you were given says."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_test)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
            "test_accuracy": float(np.mean(Y_prediction_test == Y_test))}


# pandas' .std() and Excel's STDEV divide by m - 1; the exercise's sigma divides by m.
@mutant_of("standardize")
def standardize_sample_deviation(X_train, X_test, eps=1e-8):
    """This is the sample standard deviation (dividing by m - 1): the docstring's sigma divides by m."""
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, ddof=1, keepdims=True)
    return (X_train - mu) / (sigma + eps), (X_test - mu) / (sigma + eps)


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


@mutant_of("model")
def model_records_every_cost(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """"costs" should hold one cost per 100 iterations (optimize's default), not one per iteration."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, record_every=1)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_test)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
            "test_accuracy": float(np.mean(Y_prediction_test == Y_test))}


@mutant_of("model")
def model_predicts_training_set_twice(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """Y_prediction_test is computed on X_train: predict the second set with predict(w, b, X_test)."""
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_train, Y_prediction_test = predict(w, b, X_train), predict(w, b, X_train)
    return {"w": w, "b": b, "costs": costs,
            "Y_prediction_train": Y_prediction_train, "Y_prediction_test": Y_prediction_test,
            "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
            "test_accuracy": float(np.mean(Y_prediction_test == Y_train))}


# Correct alternatives: written differently from the reference, each must get full marks.


@alternative_of('sigmoid')
def sigmoid_by_logaddexp(z):
    """sigma(z) = exp(-log(1 + exp(-z))), with log(1 + exp(-z)) from np.logaddexp."""
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))


@alternative_of('sigmoid')
def sigmoid_naive_with_warning(z):
    """The textbook form: correct values, but exp(1000) overflows with a RuntimeWarning."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


@alternative_of('propagate')
def propagate_with_log_a(w, b, X, Y):
    """Cost from A with np.log, gradients with np.dot and explicit loops over nothing fancy."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)  # noqa: F821 (the notebook's sigmoid)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, np.squeeze(cost)


@alternative_of('optimize')
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


@alternative_of('predict')
def predict_by_rounding(w, b, X):
    """np.round maps 0.5 to 0 (round half to even), matching the strict > 0.5 rule."""
    return np.round(sigmoid(w.T @ X + b))


@alternative_of('standardize')
def standardize_with_where(X_train, X_test):
    """Divide by sigma where it is positive, by 1 where a feature is constant."""
    mu = np.mean(X_train, axis=1).reshape(-1, 1)
    sigma = np.std(X_train, axis=1).reshape(-1, 1)
    sigma = np.where(sigma > 0, sigma, 1.0)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


@alternative_of('initialize_with_zeros')
def initialize_by_reshape(n_x):
    """A flat array of zeros reshaped into a column."""
    return np.zeros(n_x).reshape(-1, 1), 0.0


@alternative_of('initialize_with_zeros')
def initialize_with_full(n_x):
    """np.full with the value 0.0, and a float built from an int."""
    return np.full((n_x, 1), 0.0), float(0)


@alternative_of('propagate')
def propagate_with_dot_products(w, b, X, Y):
    """The cost as two dot products, float() around every number."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)  # noqa: F821 (the notebook's sigmoid)
    log_likelihood = np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)
    return {"dw": np.dot(X, (A - Y).T) / m, "db": float(np.mean(A - Y))}, -log_likelihood.item() / m


@alternative_of('optimize')
def optimize_keeps_every_cost(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """Every cost is kept, and every record_every-th one is returned."""
    every_cost = []
    for _ in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)  # noqa: F821 (the notebook's propagate)
        every_cost.append(cost)
        w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, every_cost[::record_every]


@alternative_of('predict')
def predict_from_z(w, b, X):
    """sigmoid(z) > 0.5 exactly when z > 0, so the sigmoid can be skipped."""
    return (np.dot(w.T, X) + b > 0).astype(np.float64)


@alternative_of('standardize')
def standardize_by_hand(X_train, X_test, eps=1e-8):
    """Mean and deviation written out as sums over the examples."""
    m = X_train.shape[1]
    mu = X_train.sum(axis=1, keepdims=True) / m
    sigma = np.sqrt(((X_train - mu) ** 2).sum(axis=1, keepdims=True) / m)
    return (X_train - mu) / (sigma + eps), (X_test - mu) / (sigma + eps)


@alternative_of('model')
def model_with_counted_accuracy(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """Accuracies as the count of right predictions over the number of examples."""
    w, b = initialize_with_zeros(X_train.shape[0])  # noqa: F821 (the notebook's functions)
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations=num_iterations,  # noqa: F821
                                    learning_rate=learning_rate, record_every=100)
    train_prediction = predict(params["w"], params["b"], X_train)  # noqa: F821
    test_prediction = predict(params["w"], params["b"], X_test)  # noqa: F821
    return {"w": params["w"], "b": params["b"], "costs": costs,
            "Y_prediction_train": train_prediction, "Y_prediction_test": test_prediction,
            "train_accuracy": np.count_nonzero(train_prediction == Y_train) / Y_train.shape[1],
            "test_accuracy": np.count_nonzero(test_prediction == Y_test) / Y_test.shape[1]}


@alternative_of('model')
def model_with_error_rates(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    """Accuracy as one minus the mean absolute difference of 0/1 predictions and labels."""
    w, b = initialize_with_zeros(X_train.shape[0])  # noqa: F821 (the notebook's functions)
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)  # noqa: F821
    w, b = params["w"], params["b"]
    result = {"w": w, "b": b, "costs": costs}
    for name, X, Y in [("train", X_train, Y_train), ("test", X_test, Y_test)]:
        prediction = predict(w, b, X)  # noqa: F821
        result[f"Y_prediction_{name}"] = prediction
        result[f"{name}_accuracy"] = float(1 - np.mean(np.abs(prediction - Y)))
    return result
