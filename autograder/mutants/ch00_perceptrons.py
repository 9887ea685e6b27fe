"""Realistic wrong implementations for chapter 0."""
import numpy as np

from autograder.mutants import catalogue
from solutions.ch00_perceptrons import gate_parameters, perceptron

MUTANTS, mutant_of = catalogue()


@mutant_of("perceptron")
def perceptron_fires_on_the_line(X, w, b):
    """A point on the decision line (z = 0) must give 0: use z > 0, not z >= 0."""
    return (w.T @ X + b >= 0).astype(int)


@mutant_of("perceptron")
def perceptron_without_threshold(X, w, b):
    """The output is z itself: the step (z > 0 gives 1, else 0) was never applied."""
    return w.T @ X + b


@mutant_of("perceptron")
def perceptron_without_bias(X, w, b):
    """The bias b is missing from z = w.T X + b."""
    return (w.T @ X > 0).astype(int)


@mutant_of("gate_parameters")
def gate_parameters_and_or_swapped(gate):
    """The biases of AND and OR are swapped: AND needs both inputs on, OR only one."""
    table = {"AND": ([1.0, 1.0], -0.5), "OR": ([1.0, 1.0], -1.5), "NAND": ([-1.0, -1.0], 1.5)}
    weights, b = table[gate]
    return np.array(weights).reshape(2, 1), b


@mutant_of("gate_parameters")
def gate_parameters_nand_as_negated_bias(gate):
    """NAND is not AND with the bias negated: its weights must be negative too."""
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([1.0, 1.0], 1.5)}
    weights, b = table[gate]
    return np.array(weights).reshape(2, 1), b


@mutant_of("gate_parameters")
def gate_parameters_bias_too_small(gate):
    """Biases on the boundary: with OR's b = -1, z = 0 at (0, 1) and (1, 0), which gives 0; keep points off the line."""
    table = {"AND": ([1.0, 1.0], -1.0), "OR": ([1.0, 1.0], -1.0), "NAND": ([-1.0, -1.0], 1.0)}
    weights, b = table[gate]
    return np.array(weights).reshape(2, 1), b


@mutant_of("xor_network")
def xor_network_single_unit(X):
    """One perceptron cannot compute XOR: it needs a hidden layer (OR and NAND, then AND)."""
    return perceptron(X, *gate_parameters("OR"))


@mutant_of("xor_network")
def xor_network_wrong_output_gate(X):
    """The output unit must AND the hidden units; OR of OR and NAND is always 1."""
    H = np.vstack([perceptron(X, *gate_parameters("OR")), perceptron(X, *gate_parameters("NAND"))])
    return perceptron(H, *gate_parameters("OR"))


@mutant_of("xor_network")
def xor_network_and_instead_of_nand(X):
    """The hidden layer needs OR and NAND; OR and AND, then AND, is just AND."""
    H = np.vstack([perceptron(X, *gate_parameters("OR")), perceptron(X, *gate_parameters("AND"))])
    return perceptron(H, *gate_parameters("AND"))
