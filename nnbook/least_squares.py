"""A linear model fitted by least squares: a model whose optimizer you can watch against the exact answer.

Chapter 6 trains it with every optimizer it builds. The cost is convex and its minimum has
a closed form, so an optimizer's distance to the best parameters can be measured exactly.
Layout as everywhere in the book: X: (n_x, m), one example a column; targets Y: (n_y, m).

    Z = W X + b                      W: (n_y, n_x), b: (n_y, 1), Z: (n_y, m)
    J = (1 / (2 m)) sum((Z - Y)**2)  half the mean squared error, summed over the n_y outputs
    dW = (Z - Y) X.T / m,  db = the sum of (Z - Y) over the examples / m
"""
import numpy as np


def initialize_linear(n_x, n_y=1):
    """Zero parameters {"W": (n_y, n_x), "b": (n_y, 1)} (zeros are fine: the cost is convex)."""
    return {"W": np.zeros((n_y, n_x)), "b": np.zeros((n_y, 1))}


def linear_predict(params, X):
    """Z = W X + b: (n_y, m) for X: (n_x, m)."""
    return params["W"] @ X + params["b"]


def squared_error(params, X, Y):
    """Half the mean squared error of the linear model and its gradients.

    params: {"W": (n_y, n_x), "b": (n_y, 1)}; X: (n_x, m); Y: (n_y, m) float64 targets.
    Returns (cost, grads): cost a float, grads {"dW": (n_y, n_x), "db": (n_y, 1)}.
    Nothing is modified.
    """
    m = X.shape[1]
    error = params["W"] @ X + params["b"] - Y
    cost = float(np.sum(error ** 2) / (2 * m))
    return cost, {"dW": error @ X.T / m, "db": np.sum(error, axis=1, keepdims=True) / m}


def least_squares_solution(X, Y):
    """The parameters that minimize squared_error exactly (the least-norm ones if several do).

    Solves the least-squares problem for [W, b] with a row of ones appended to X.
    Returns {"W": (n_y, n_x), "b": (n_y, 1)}.
    """
    X1 = np.vstack([X, np.ones((1, X.shape[1]))])
    solution = np.linalg.lstsq(X1.T, Y.T, rcond=None)[0].T
    return {"W": solution[:, :-1], "b": solution[:, -1:]}
