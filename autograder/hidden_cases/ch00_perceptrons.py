"""Hidden cases for chapter 0 (perceptrons)."""
import numpy as np

from autograder.checking import Case, Check
from solutions.ch00_perceptrons import perceptron

#: The four points of {0, 1}^2 as columns, and each gate's truth table on them.
CORNERS = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
TRUTH_TABLES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}


def perceptron_cases():
    yield Case("the AND gate on the four corners", (CORNERS, np.array([[1.0], [1.0]]), -1.5))
    yield Case("a point exactly on the decision line (z = 0 gives 0)",
               (np.array([[1.0], [1.0]]), np.array([[1.0], [-1.0]]), 0.0))
    rng = np.random.default_rng(100)
    for n_x, m in [(1, 1), (2, 7), (5, 33)]:
        X = rng.normal(size=(n_x, m))
        w = rng.normal(size=(n_x, 1))
        yield Case(f"random X of shape ({n_x}, {m})", (X, w, float(rng.normal())))


def gate_cases():
    for gate in TRUTH_TABLES:
        yield Case(f'gate = "{gate}"', (gate,))


def judge_gate(case, output):
    """The weights are right if a perceptron with them reproduces the gate's truth table."""
    try:
        w, b = output
        w = np.asarray(w, dtype=np.float64).reshape(2, 1)
        b = float(np.asarray(b, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        return "the result should be (w, b) with w of shape (2, 1) and b a number"
    got = perceptron(CORNERS, w, b).ravel().tolist()
    want = TRUTH_TABLES[case.args[0]]
    if got != want:
        return f"a perceptron with w = {w.ravel().tolist()}, b = {b} gives {got} on (0,0), (0,1), (1,0), (1,1); the gate needs {want}"
    return None


def xor_cases():
    yield Case("the four corners", (CORNERS,))
    yield Case("one example (1, 0)", (np.array([[1], [0]]),))
    rng = np.random.default_rng(101)
    yield Case("20 random corners", (rng.integers(0, 2, size=(2, 20)),))


CHECKS = {
    "perceptron": Check(perceptron_cases),
    "gate_parameters": Check(gate_cases, judge=judge_gate),
    "xor_network": Check(xor_cases),
}
