"""Grading data of chapter 0 (perceptrons): hidden cases, mutants and correct alternatives."""
import numpy as np

from autograder.exercises import Case, Check, catalogue
from solutions.ch00_perceptrons import gate_parameters, perceptron

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

#: The four points of {0, 1}^2 as columns, and each gate's truth table on them.
CORNERS = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
TRUTH_TABLES = {"AND": [0.0, 0.0, 0.0, 1.0], "OR": [0.0, 1.0, 1.0, 1.0], "NAND": [1.0, 1.0, 1.0, 0.0]}


def perceptron_cases():
    yield Case("x1 AND NOT x2 on the four corners", (CORNERS, np.array([[1.0], [-1.0]]), -0.5))
    yield Case("a point exactly on the decision line (z = 0 gives 0)",
               (np.array([[1.0], [1.0]]), np.array([[1.0], [-1.0]]), 0.0))
    yield Case("points on both sides of and on the line, one batch",
               (np.array([[2.0, -1.0, 0.5, 3.0], [0.0, 4.0, 0.5, 1.0]]), np.array([[1.0], [1.0]]), -1.0))
    rng = np.random.default_rng(100)
    for n_x, m in [(1, 1), (2, 7), (5, 33), (3, 1)]:
        X = rng.normal(size=(n_x, m))
        w = rng.normal(size=(n_x, 1))
        yield Case(f"random X of shape ({n_x}, {m})", (X, w, float(rng.normal())))


def gate_cases():
    for gate in TRUTH_TABLES:
        yield Case(f'gate = "{gate}"', (gate,))


def judge_gate(case, output):
    """The weights are right if a perceptron with them reproduces the gate's truth table."""
    if not isinstance(output, (tuple, list)) or len(output) != 2:
        return "the result should be the pair (w, b)"
    w, b = output
    if np.shape(w) != (2, 1):
        return f"w should be a column of shape (2, 1), got shape {np.shape(w)}"
    if np.ndim(b) != 0:
        return f"b should be a single number, got shape {np.shape(b)}"
    try:
        w = np.asarray(w, dtype=np.float64)
        b = float(b)
    except (TypeError, ValueError):
        return "w and b should be numbers"
    z = (w.T @ CORNERS + b).ravel()
    got = (z > 0).astype(np.float64).tolist()
    want = TRUTH_TABLES[case.args[0]]
    if got != want:
        return (f"a perceptron with w = {w.ravel().tolist()}, b = {b} gives {got} on "
                f"(0,0), (0,1), (1,0), (1,1); the gate needs {want}")
    if np.any(z == 0):
        return f"with w = {w.ravel().tolist()}, b = {b} an input lies exactly on the decision line"
    return None


def xor_cases():
    yield Case("the four corners", (CORNERS,))
    yield Case("one example (1, 0)", (np.array([[1.0], [0.0]]),))
    rng = np.random.default_rng(101)
    yield Case("20 random corners", (rng.integers(0, 2, size=(2, 20)).astype(np.float64),))


CHECKS = {
    "perceptron": Check(perceptron_cases),
    "gate_parameters": Check(gate_cases, judge=judge_gate),
    "xor_network": Check(xor_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

@mutant_of("perceptron")
def perceptron_fires_on_the_line(X, w, b):
    """A point on the decision line (z = 0) must give 0: use z > 0, not z >= 0."""
    return (w.T @ X + b >= 0).astype(np.float64)


@mutant_of("perceptron")
def perceptron_without_threshold(X, w, b):
    """The output is z itself: the step (z > 0 gives 1, else 0) was never applied."""
    return w.T @ X + b


@mutant_of("perceptron")
def perceptron_without_bias(X, w, b):
    """The bias b is missing from z = w.T X + b."""
    return (w.T @ X > 0).astype(np.float64)


# Perceptrons are often written with labels -1 and +1 (Rosenblatt's rule in many texts).
@mutant_of("perceptron")
def perceptron_sign(X, w, b):
    """np.sign gives -1 below the line: this perceptron outputs 0 there (1 where z > 0, else 0)."""
    return np.sign(w.T @ X + b)


@mutant_of("perceptron")
def perceptron_flattened(X, w, b):
    """The outputs are flattened to shape (m,): keep the row shape (1, m), like the labels Y."""
    return (np.dot(w[:, 0], X) + b > 0).astype(np.float64)


@mutant_of("gate_parameters")
def gate_parameters_compared_by_identity(gate):
    """`gate is "AND"` compares objects, not text, and fails for a string read from elsewhere: use ==."""
    import operator  # operator.is_(a, b) is `a is b`, without Python's warning about literals

    if operator.is_(gate, "AND"):
        return np.array([[1.0], [1.0]]), -1.5
    if operator.is_(gate, "OR"):
        return np.array([[1.0], [1.0]]), -0.5
    return np.array([[-1.0], [-1.0]]), 1.5


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
def gate_parameters_nand_weights_negated_only(gate):
    """NAND needs the bias flipped as well as the weights: with b = -1.5 every z is negative."""
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], -1.5)}
    weights, b = table[gate]
    return np.array(weights).reshape(2, 1), b


@mutant_of("gate_parameters")
def gate_parameters_bias_too_small(gate):
    """Biases on the boundary: with OR's b = -1, z = 0 at (0, 1) and (1, 0), which gives 0; keep points off the line."""
    table = {"AND": ([1.0, 1.0], -1.0), "OR": ([1.0, 1.0], -1.0), "NAND": ([-1.0, -1.0], 1.0)}
    weights, b = table[gate]
    return np.array(weights).reshape(2, 1), b


@mutant_of("gate_parameters")
def gate_parameters_row_weights(gate):
    """w is a row of shape (1, 2): the perceptron needs a column of shape (2, 1)."""
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-1.0, -1.0], 1.5)}
    weights, b = table[gate]
    return np.array([weights]), b


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


@mutant_of("xor_network")
def xor_network_nand_output(X):
    """A NAND output unit gives XNOR, the opposite of XOR: the output unit ANDs the hidden units."""
    H = np.vstack([perceptron(X, *gate_parameters("OR")), perceptron(X, *gate_parameters("NAND"))])
    return perceptron(H, *gate_parameters("NAND"))


@mutant_of("xor_network")
def xor_network_returns_hidden_layer(X):
    """This returns the hidden layer H (2, m): the output unit still has to AND its two rows."""
    return np.vstack([perceptron(X, *gate_parameters("OR")), perceptron(X, *gate_parameters("NAND"))])


# Correct alternatives: written differently from the reference, each must get full marks.


@alternative_of('perceptron')
def perceptron_with_where(X, w, b):
    """np.where on the sign of z, with float outputs."""
    return np.where(np.dot(w.T, X) + b > 0, 1.0, 0.0)


@alternative_of('perceptron')
def perceptron_with_heaviside(X, w, b):
    """The Heaviside step with the value 0 at z = 0."""
    return np.heaviside(w.T @ X + b, 0.0)


@alternative_of('gate_parameters')
def gate_parameters_other_weights(gate):
    """Different but valid weights: any line that separates the gate's points works."""
    if gate == "AND":
        return np.array([[2.0], [2.0]]), -3.0
    if gate == "OR":
        return np.array([[3.0], [3.0]]), -1.0
    if gate == "NAND":
        return np.array([[-0.5], [-0.5]]), 0.75
    raise ValueError(gate)


@alternative_of('gate_parameters')
def gate_parameters_unequal_weights(gate):
    """Unequal weights and a bias near the edge of the allowed range, still off the line."""
    table = {"AND": ([0.7, 1.2], -1.6), "OR": ([1.5, 0.8], -0.3), "NAND": ([-2.0, -1.0], 2.5)}
    weights, b = table[gate]
    return np.array(weights, dtype=float).reshape(2, 1), float(b)


@alternative_of('xor_network')
def xor_network_and_of_or_nand_inline(X):
    """The same network with the hidden units written out."""
    h1 = perceptron(X, np.array([[1.0], [1.0]]), -0.5)  # noqa: F821
    h2 = perceptron(X, np.array([[-1.0], [-1.0]]), 1.5)  # noqa: F821
    return perceptron(np.vstack([h1, h2]), np.array([[1.0], [1.0]]), -1.5)


@alternative_of('xor_network')
def xor_network_or_of_two_exclusive_units(X):
    """Another hidden layer: (x1 AND NOT x2) and (x2 AND NOT x1), then OR."""
    H = np.vstack([perceptron(X, np.array([[1.0], [-1.0]]), -0.5),   # noqa: F821
                   perceptron(X, np.array([[-1.0], [1.0]]), -0.5)])  # noqa: F821
    return perceptron(H, np.array([[1.0], [1.0]]), -0.5)  # noqa: F821
