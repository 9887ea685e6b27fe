"""Hidden cases for chapter 2 (activation functions): fixed edge cases, then seeded random ones.

The sigmoid is graded again here with chapter 1's cases (imported, not copied).
"""
import numpy as np

from autograder.checking import Case, Check
from autograder.hidden_cases.ch01_logistic_regression import sigmoid_cases
from solutions.ch02_activations import leaky_relu, linear, relu, sigmoid, tanh

RANDOM_SHAPES = [(1, 1), (1, 6), (4, 3), (7,), (2, 3, 4)]


def activation_cases(seed, scale=4.0):
    """Cases every activation (and derivative) must handle: z = 0, scalars, +-1e3, many shapes."""
    yield Case("z = [[-1000, 0, 1000]] (must stay finite, no nan)", (np.array([[-1000.0, 0.0, 1000.0]]),))
    yield Case("a scalar z = 0", (0.0,))
    yield Case("a scalar z = 1.5", (1.5,))
    yield Case("a scalar z = -2.0", (-2.0,))
    yield Case("z = [-0.5, 0, 0.5, 3] with an exact 0", (np.array([-0.5, 0.0, 0.5, 3.0]),))
    rng = np.random.default_rng(seed)
    for shape in RANDOM_SHAPES:
        yield Case(f"random z of shape {shape}", (rng.normal(scale=scale, size=shape),))


def leaky_cases(seed):
    """The activation cases with the default slope, then the same inputs with other slopes."""
    yield from activation_cases(seed)
    rng = np.random.default_rng(seed + 1)
    z = np.array([[-1000.0, -3.0, 0.0, 2.0, 1000.0]])
    yield Case("slope = 0.2 given by keyword", (z,), {"slope": 0.2})
    yield Case("slope = 0.0 given by position (leaky ReLU becomes ReLU)", (z, 0.0))
    yield Case("a scalar z = -4 with slope = 0.5", (-4.0,), {"slope": 0.5})
    yield Case("a scalar z = 0 with slope = 0.3", (0.0,), {"slope": 0.3})
    for shape, slope in [((3, 5), 0.1), ((6,), 0.25), ((2, 2, 3), 0.05)]:
        yield Case(f"random z of shape {shape} with slope = {slope}", (rng.normal(scale=4.0, size=shape),), {"slope": slope})


def linear_cases():
    yield from activation_cases(201)


def linear_derivative_cases():
    yield from activation_cases(202)


def sigmoid_derivative_cases():
    yield from activation_cases(203, scale=6.0)


def tanh_cases():
    yield from activation_cases(204)
    yield Case("tiny z = [1e-9, -1e-9]", (np.array([1e-9, -1e-9]),))


def tanh_derivative_cases():
    yield from activation_cases(205)


def relu_cases():
    yield from activation_cases(206)


def relu_derivative_cases():
    yield from activation_cases(207)


def leaky_relu_cases():
    yield from leaky_cases(208)


def leaky_relu_derivative_cases():
    yield from leaky_cases(210)


def network(rng, n_x, n_h, n_y, m):
    """Random X: (n_x, m), W1: (n_h, n_x), b1: (n_h, 1), W2: (n_y, n_h), b2: (n_y, 1)."""
    return (rng.normal(size=(n_x, m)), rng.normal(size=(n_h, n_x)), rng.normal(size=(n_h, 1)),
            rng.normal(size=(n_y, n_h)), rng.normal(size=(n_y, 1)))


def forward_cases():
    X = np.array([[1.0, -1.0], [2.0, 0.5]])
    W1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    b1 = np.array([[0.0], [-1.0], [0.5]])
    W2 = np.array([[1.0, 2.0, -1.0]])
    b2 = np.array([[-0.5]])
    yield Case("a small hand-made network, relu hidden, sigmoid output", (X, W1, b1, W2, b2, relu, sigmoid))
    rng = np.random.default_rng(211)
    settings = [
        ((3, 4, 1, 1), relu, sigmoid, "m = 1, relu hidden, sigmoid output"),
        ((1, 1, 1, 1), tanh, sigmoid, "one feature, one hidden unit, m = 1, tanh hidden, sigmoid output"),
        ((2, 3, 1, 5), tanh, linear, "tanh hidden, linear output"),
        ((4, 4, 4, 4), relu, tanh, "square layers, m = n_h = 4, relu hidden, tanh output"),
        ((3, 5, 2, 7), leaky_relu, relu, "leaky relu hidden, relu output, n_y = 2"),
        ((6, 2, 3, 9), sigmoid, sigmoid, "sigmoid in both layers"),
        ((5, 8, 1, 30), relu, sigmoid, "a batch of 30"),
    ]
    for (n_x, n_h, n_y, m), hidden, output, label in settings:
        yield Case(f"{label} (n_x, n_h, n_y, m) = ({n_x}, {n_h}, {n_y}, {m})",
                   network(rng, n_x, n_h, n_y, m) + (hidden, output))


def stack(rng, sizes):
    """Random weights [W_1, ..., W_L] and biases [b_1, ..., b_L] for layer sizes [n_0, ..., n_L]."""
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=(n_out, 1)) for n_out in sizes[1:]]
    return weights, biases


def collapse_cases():
    W1, b1 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[1.0], [-1.0]])
    W2, b2 = np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([[0.5], [0.0]])
    yield Case("two hand-made 2 x 2 layers", ([W1, W2], [b1, b2]))
    rng = np.random.default_rng(212)
    for sizes in [[3, 1], [2, 2, 2], [3, 3, 3, 3], [4, 5, 2], [2, 6, 3, 1], [5, 4, 4, 3, 2, 6]]:
        label = "one layer (returned as it is)" if len(sizes) == 2 else f"{len(sizes) - 1} layers"
        yield Case(f"{label} of sizes {sizes}", stack(rng, sizes))


CHECKS = {
    "linear": Check(linear_cases),
    "linear_derivative": Check(linear_derivative_cases),
    "sigmoid": Check(sigmoid_cases),
    "sigmoid_derivative": Check(sigmoid_derivative_cases),
    "tanh": Check(tanh_cases),
    "tanh_derivative": Check(tanh_derivative_cases),
    "relu": Check(relu_cases),
    "relu_derivative": Check(relu_derivative_cases),
    "leaky_relu": Check(leaky_relu_cases),
    "leaky_relu_derivative": Check(leaky_relu_derivative_cases),
    "one_hidden_layer_forward": Check(forward_cases),
    "collapse_linear_layers": Check(collapse_cases),
}
