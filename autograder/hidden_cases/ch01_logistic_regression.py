"""Hidden cases for chapter 1 (logistic regression): fixed edge cases, then seeded random ones."""
import numpy as np

from autograder.checking import Case, Check
from nnbook.data import load_binary_digits
from solutions.ch01_logistic_regression import standardize


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


CHECKS = {
    "sigmoid": Check(sigmoid_cases),
    "initialize_with_zeros": Check(initialize_cases),
    "propagate": Check(propagate_cases),
    "optimize": Check(optimize_cases),
    "predict": Check(predict_cases),
    "standardize": Check(standardize_cases),
    "model": Check(model_cases),
}
