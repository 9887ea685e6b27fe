"""Chapter 0: perceptrons as logic gates, and XOR from two layers of them."""
import numpy as np


def perceptron(X, w, b):
    """Threshold unit: output 1 where w.x + b > 0, else 0.

    X: (n_x, m) inputs as columns; w: (n_x, 1) weights; b: float bias.
    Returns (1, m) array of 0/1 (integers), one output per example.
    A point exactly on the decision line w.x + b = 0 gives 0.
    """
    z = w.T @ X + b
    return (z > 0).astype(int)


def gate_parameters(gate):
    """Weights and bias that make a perceptron compute a two-input logic gate.

    gate: "AND", "OR" or "NAND".
    Returns (w, b) with w: (2, 1) float array and b: float, such that
    perceptron(X, w, b) equals the gate's truth table for every X with columns in {0, 1}^2.
    """
    parameters = {
        "AND": ([1.0, 1.0], -1.5),
        "OR": ([1.0, 1.0], -0.5),
        "NAND": ([-1.0, -1.0], 1.5),
    }
    if gate not in parameters:
        raise ValueError(f"unknown gate {gate!r}; expected one of {sorted(parameters)}")
    weights, b = parameters[gate]
    return np.array(weights).reshape(2, 1), b


def xor_network(X):
    """XOR of two binary inputs with a two-layer perceptron network.

    The hidden layer computes OR and NAND of the inputs; the output unit ANDs them.
    X: (2, m) with entries in {0, 1}. Returns (1, m) array of 0/1.
    """
    h_or = perceptron(X, *gate_parameters("OR"))
    h_nand = perceptron(X, *gate_parameters("NAND"))
    H = np.vstack([h_or, h_nand])
    return perceptron(H, *gate_parameters("AND"))
