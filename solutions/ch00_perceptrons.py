"""Chapter 0: perceptrons as logic gates, and XOR from two layers of them.

Outputs follow the labels' convention: a (1, m) float64 array of 0.0 and 1.0, like Y.
"""
import numpy as np


def perceptron(X, w, b):
    """Threshold unit: 1.0 where w.x + b > 0, else 0.0, for every example at once.

    X: (n_x, m) array, inputs as columns; w: (n_x, 1) float64 weights; b: float bias.
    Returns a (1, m) float64 array of 0.0 / 1.0 (like the labels Y), one output per
    example. A point exactly on the decision line w.x + b = 0 gives 0.0.
    X and w are not modified.
    """
    z = w.T @ X + b
    return (z > 0).astype(np.float64)


def gate_parameters(gate):
    """Weights and bias that make a perceptron compute a two-input logic gate.

    gate: "AND", "OR" or "NAND" (anything else raises ValueError).
    Returns a tuple (w, b): w a (2, 1) float64 array and b a float, such that
    perceptron(X, w, b) is the gate's truth table for every X with columns in
    {0, 1}^2, with no input exactly on the decision line.
    """
    parameters = {
        "AND": ([1.0, 1.0], -1.5),
        "OR": ([1.0, 1.0], -0.5),
        "NAND": ([-1.0, -1.0], 1.5),
    }
    if gate not in parameters:
        raise ValueError(f"unknown gate {gate!r}; expected {sorted(parameters)}")
    weights, b = parameters[gate]
    return np.array(weights).reshape(2, 1), b


def xor_network(X):
    """XOR of two binary inputs with a two-layer network of perceptrons.

    The hidden layer computes OR and NAND of the inputs; the output unit ANDs them.
    X: (2, m) array with entries in {0, 1}, examples as columns (not modified).
    Returns a (1, m) float64 array of 0.0 / 1.0.
    """
    h_or = perceptron(X, *gate_parameters("OR"))
    h_nand = perceptron(X, *gate_parameters("NAND"))
    H = np.vstack([h_or, h_nand])
    return perceptron(H, *gate_parameters("AND"))
