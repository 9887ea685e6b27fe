"""The chapter 0 reference: perceptrons compute the gates, and two layers compute XOR."""
import itertools

import numpy as np
import pytest

from solutions.ch00_perceptrons import gate_parameters, perceptron, xor_network

CORNERS = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])


@pytest.mark.parametrize("gate,table", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0])])
def test_gate_parameters_reproduce_the_truth_table(gate, table):
    assert perceptron(CORNERS, *gate_parameters(gate)).ravel().tolist() == table


def test_gate_parameters_are_a_float_column_and_a_float():
    for gate in ["AND", "OR", "NAND"]:
        w, b = gate_parameters(gate)
        assert isinstance(w, np.ndarray) and w.shape == (2, 1) and w.dtype == np.float64
        assert isinstance(b, float)


def test_gate_lines_keep_every_corner_strictly_off_the_line():
    for gate in ["AND", "OR", "NAND"]:
        w, b = gate_parameters(gate)
        assert np.all(np.abs(w.T @ CORNERS + b) >= 0.5)


def test_perceptron_outputs_are_float64_zeros_and_ones_like_the_labels():
    rng = np.random.default_rng(0)
    out = perceptron(rng.normal(size=(3, 9)), rng.normal(size=(3, 1)), 0.2)
    assert out.shape == (1, 9) and out.dtype == np.float64
    assert set(np.unique(out)) <= {0.0, 1.0}
    integer_inputs = perceptron(CORNERS.astype(int), np.array([[1.0], [1.0]]), -1.5)
    assert integer_inputs.dtype == np.float64


def test_perceptron_outputs_zero_on_the_decision_line():
    assert perceptron(np.array([[1.0], [1.0]]), np.array([[1.0], [-1.0]]), 0.0).item() == 0.0


def test_perceptron_handles_one_example_and_one_feature():
    assert perceptron(np.array([[3.0]]), np.array([[1.0]]), -2.0).shape == (1, 1)


def test_perceptron_and_xor_network_leave_their_inputs_alone():
    X, w = CORNERS.copy(), np.array([[1.0], [-1.0]])
    perceptron(X, w, 0.5)
    xor_network(X)
    assert np.array_equal(X, CORNERS) and np.array_equal(w, [[1.0], [-1.0]])


def test_xor_network_computes_xor_as_float64():
    out = xor_network(CORNERS)
    assert out.tolist() == [[0.0, 1.0, 1.0, 0.0]] and out.dtype == np.float64


def test_no_single_perceptron_on_a_grid_computes_xor():
    grid = np.linspace(-2, 2, 17)
    for w1, w2, b in itertools.product(grid, grid, grid):
        out = perceptron(CORNERS, np.array([[w1], [w2]]), b).ravel().tolist()
        assert out != [0, 1, 1, 0]


def test_unknown_gate_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown gate"):
        gate_parameters("XOR")
