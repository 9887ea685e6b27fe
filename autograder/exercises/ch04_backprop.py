"""Grading data of chapter 4 (backpropagation): hidden cases, mutants and correct alternatives.

Several mutants come from the mistakes CS231n's assignments and micrograd's issues are
known for: the missing transpose in a layer's backward, forgetting to sum db over the
examples, dividing by m twice, "=" where a node used twice needs "+=", a one-sided
difference in a gradient check.
"""
import math

import numpy as np

from autograder.exercises import Case, Check, Function, catalogue
from nnbook.planar import make_spirals, xor
from nnbook.tapes import forward
# Graded functions that mutants and alternatives call by name, as a student's notebook would.
from solutions.ch04_backprop import (activation_backward, activation_forward, binary_cross_entropy, dense_backward,
                                     dense_forward, initialize_mlp, mlp_backward, mlp_forward)

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()

ACTIVATIONS = ("sigmoid", "tanh", "relu")


# Hidden cases: the inputs every graded function is checked on.

def tape_case(label, nodes, inputs):
    """A graph_backward case: the tape and its forward values."""
    return Case(label, (nodes, forward(nodes, inputs)))


NEURON = [("input", 0), ("input", 1), ("input", 2), ("input", 3), ("input", 4),
          ("mul", 0, 2), ("mul", 1, 3), ("add", 5, 6), ("add", 7, 4), ("tanh", 8)]


def random_tape(rng, n_inputs, n_operations):
    """A random tape whose values stay moderate: operations that would leave [-20, 20] are redrawn."""
    nodes = [("input", k) for k in range(n_inputs)] + [("const", float(np.round(rng.normal(), 2)))]
    inputs = list(np.round(rng.normal(size=n_inputs), 3))
    values = forward(nodes, inputs)
    while len(nodes) < n_inputs + 1 + n_operations:
        operation = str(rng.choice(["add", "mul", "pow", "exp", "tanh", "relu"]))
        i, j = (int(v) for v in rng.integers(0, len(nodes), size=2))
        node = {"add": ("add", i, j), "mul": ("mul", i, j), "pow": ("pow", i, int(rng.choice([2, 3]))),
                "exp": ("exp", i), "tanh": ("tanh", i), "relu": ("relu", i)}[operation]
        value = forward(nodes + [node], inputs)[-1]
        if abs(value) < 20:
            nodes.append(node)
    return nodes, inputs


def graph_backward_cases():
    yield tape_case("a single input node: the output is the input itself", [("input", 0)], [2.5])
    yield tape_case("x * x: one node used twice by the same multiplication", [("input", 0), ("mul", 0, 0)], [3.0])
    yield tape_case("(x + y) * x: x used by two nodes (fan-out)",
                    [("input", 0), ("input", 1), ("add", 0, 1), ("mul", 2, 0)], [2.0, -1.5])
    yield tape_case("the neuron tanh(w1 x1 + w2 x2 + b), inputs x1, x2, w1, w2, b", NEURON,
                    [2.0, 0.0, -3.0, 1.0, 6.8813735870195432])
    yield tape_case("relu(x) at exactly x = 0 (its derivative is taken as 0 there), times 3",
                    [("input", 0), ("relu", 0), ("const", 3.0), ("mul", 1, 2)], [0.0])
    yield tape_case("relu of a positive and of a negative sum",
                    [("input", 0), ("input", 1), ("add", 0, 1), ("relu", 2), ("relu", 0), ("add", 3, 4)], [1.5, -4.0])
    yield tape_case("a node the output does not use (its gradient is 0)",
                    [("input", 0), ("input", 1), ("exp", 1), ("tanh", 0), ("const", 2.0), ("mul", 3, 4)], [0.3, 1.2])
    yield tape_case("pow with p = 3, p = -1 and p = 0.5",
                    [("input", 0), ("pow", 0, 3), ("pow", 0, -1), ("pow", 0, 0.5), ("add", 1, 2), ("add", 4, 3)], [1.7])
    yield tape_case("the sigmoid written as (1 + exp(-z)) ** -1",
                    [("input", 0), ("const", -1.0), ("mul", 0, 1), ("exp", 2), ("const", 1.0), ("add", 3, 4),
                     ("pow", 5, -1)], [0.8])
    chain = [("input", 0)] + [("tanh", k) for k in range(6)]
    yield tape_case("a chain of six tanh nodes", chain, [1.3])
    yield tape_case("x used four times: x * x * x + exp(x)",
                    [("input", 0), ("mul", 0, 0), ("mul", 1, 0), ("exp", 0), ("add", 2, 3)], [-0.7])
    rng = np.random.default_rng(401)
    for n_inputs, n_operations in [(2, 6), (3, 12), (4, 25)]:
        nodes, inputs = random_tape(rng, n_inputs, n_operations)
        yield tape_case(f"a random tape with {n_inputs} inputs and {n_operations} operations", nodes, inputs)


def numerical_gradient_cases():
    rng = np.random.default_rng(402)
    yield Case("f(x) = sum(x ** 2) on a vector of shape (3,), default eps",
               (Function("lambda x: float(np.sum(x ** 2))"), np.array([1.0, -2.0, 0.5])))
    yield Case("f(x) = x[0, 0] * x[1, 1] + sin(x[0, 1]) on a (2, 2) matrix",
               (Function("lambda x: float(x[0, 0] * x[1, 1] + np.sin(x[0, 1]))"), rng.normal(size=(2, 2))))
    yield Case("eps = 0.1 on f(x) = x0 x1 x2 (every entry must be put back before the next is nudged)",
               (Function("lambda x: float(x[0] * x[1] * x[2])"), np.array([1.5, -2.0, 3.0])), {"eps": 0.1})
    yield Case("eps = 1e-3 by keyword on f(x) = sum(x ** 3), where a one-sided difference is off by 3 x eps",
               (Function("lambda x: float(np.sum(x ** 3))"), rng.normal(size=(3, 2))), {"eps": 1e-3})
    yield Case("eps = 0.01 given by position on f(x) = sum(exp(x)) over a (1, 5) row",
               (Function("lambda x: float(np.sum(np.exp(x)))"), rng.normal(size=(1, 5)), 0.01))
    yield Case("a (1, 1) array, f(x) = tanh(x)",
               (Function("lambda x: float(np.tanh(x[0, 0]))"), np.array([[0.4]])))
    yield Case("a 3-d array of shape (2, 3, 2), f(x) = sum(x * weights) ** 2",
               (Function("lambda x: float(np.sum(x * np.arange(12.0).reshape(2, 3, 2)) ** 2 / 100)"),
                rng.normal(size=(2, 3, 2))))
    yield Case("a tiny tanh network's output, as a function of its (4, 1) input column",
               (Function("lambda x: float(np.sum(np.tanh(np.array([[1.0, -2.0, 0.5, 1.0], [0.3, 0.2, -1.0, 2.0]]) @ x)))"),
                rng.normal(size=(4, 1))))


def relative_error_cases():
    rng = np.random.default_rng(403)
    a = rng.normal(size=(3, 4))
    yield Case("a equal to b (error 0)", (a, a.copy()))
    yield Case("both all zeros (must give 0.0, not nan)", (np.zeros((2, 3)), np.zeros((2, 3))))
    yield Case("a = 0 and b nonzero (error 1)", (np.zeros((3, 1)), rng.normal(size=(3, 1))))
    yield Case("opposite gradients a = -b (error 1)", (a, -a))
    yield Case("b = 2 a (error 1/3)", (a, 2 * a))
    yield Case("random (3, 4) matrices", (rng.normal(size=(3, 4)), rng.normal(size=(3, 4))))
    yield Case("a gradient and an estimate 1e-8 away from it", (a, a + 1e-8 * rng.normal(size=(3, 4))))
    yield Case("vectors whose norms differ a hundred-fold", (100 * rng.normal(size=(6,)), rng.normal(size=(6,))))
    yield Case("3-d arrays of shape (2, 2, 3)", (rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 2, 3))))
    yield Case("one number each, as (1, 1) arrays", (np.array([[0.3]]), np.array([[0.5]])))


def dense_forward_cases():
    A_prev = np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0]])
    W = np.array([[1.0, 0.0], [2.0, -1.0], [0.0, 0.5], [1.0, 1.0]])
    b = np.array([[0.5], [-1.0], [2.0], [0.0]])
    rng = np.random.default_rng(404)
    yield Case("a square layer, (n_prev, n, m) = (3, 3, 3)",
               (rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.normal(size=(3, 1))))
    yield Case("a hand-made layer, n_prev = 2, n = 4, m = 3", (A_prev, W, b))
    for n_prev, n, m in [(1, 1, 1), (3, 2, 5), (2, 5, 1), (6, 3, 9), (3, 7, 2)]:
        yield Case(f"random (n_prev, n, m) = ({n_prev}, {n}, {m})",
                   (rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))))


def dense_backward_cases():
    rng = np.random.default_rng(405)
    for n_prev, n, m in [(4, 4, 4), (2, 3, 4), (1, 1, 1), (3, 2, 1), (5, 3, 8), (2, 6, 3), (7, 1, 5)]:
        cache = (rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1)))
        label = "m = 1, " if m == 1 else ("square, " if n_prev == n == m else "")
        yield Case(f"{label}random dZ and cache with (n_prev, n, m) = ({n_prev}, {n}, {m})",
                   (rng.normal(size=(n, m)) / m, cache))


def activation_inputs(rng):
    """Pre-activations: saturated logits mixed with ordinary ones, exact zeros, several shapes."""
    yield "Z = [[-1000, -2, 0, 2, 1000]] (must stay finite)", np.array([[-1000.0, -2.0, 0.0, 2.0, 1000.0]])
    yield "Z with exact zeros, shape (2, 3)", np.array([[0.0, -0.5, 0.5], [3.0, 0.0, -3.0]])
    for shape in [(1, 1), (3, 4), (4,), (2, 3, 2)]:
        yield f"random Z of shape {shape}", rng.normal(scale=3.0, size=shape)


def activation_forward_cases():
    rng = np.random.default_rng(406)
    for label, Z in activation_inputs(rng):
        for activation in ACTIVATIONS:
            yield Case(f"{activation}, {label}", (Z, activation))


def activation_backward_cases():
    rng = np.random.default_rng(407)
    for label, Z in activation_inputs(rng):
        dA = rng.normal(size=Z.shape)
        for activation in ACTIVATIONS:
            yield Case(f"{activation}, {label}, random dA", (dA, Z, activation))


def binary_cross_entropy_cases():
    yield Case("logits 0 (the cost is log 2)", (np.zeros((1, 4)), np.array([[1.0, 0.0, 1.0, 0.0]])))
    yield Case("logits [-1000, 2, 1000, -3], all confidently right, next to ordinary ones",
               (np.array([[-1000.0, 2.0, 1000.0, -3.0]]), np.array([[0.0, 1.0, 1.0, 0.0]])))
    yield Case("logits [1000, -1000, 0.5], the first two confidently wrong (the cost must stay finite)",
               (np.array([[1000.0, -1000.0, 0.5]]), np.array([[0.0, 1.0, 1.0]])))
    yield Case("m = 1", (np.array([[0.7]]), np.array([[1.0]])))
    rng = np.random.default_rng(408)
    for m in (7, 40):
        yield Case(f"random logits, m = {m}", (rng.normal(scale=3.0, size=(1, m)), (rng.random((1, m)) < 0.5) * 1.0))


def initialize_mlp_cases():
    for sizes, seed in [([2, 3, 1], 0), ([2, 1], 1), ([4, 4, 4, 4], 7), ([3, 8, 5, 2, 1], 11), ([1, 1, 1], 2),
                        ([64, 10, 1], 3)]:
        label = "one layer (logistic regression)" if len(sizes) == 2 else f"{len(sizes) - 1} layers"
        yield Case(f"{label} of sizes {sizes}, seed {seed}", (sizes, seed))


def random_params(rng, sizes):
    """Parameters with random biases too (so ReLU units are not all on one side)."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1])) / math.sqrt(sizes[l - 1])
        params[f"b{l}"] = rng.normal(scale=0.5, size=(sizes[l], 1))
    return params


NETWORKS = [  # (layer sizes, m, hidden activation)
    ([3, 4, 1], 5, "relu"),
    ([2, 1], 6, "tanh"),
    ([2, 3, 3, 1], 1, "tanh"),
    ([4, 5, 4, 3, 2], 7, "sigmoid"),
    ([3, 6, 6, 6, 6, 1], 4, "relu"),
    ([5, 2, 1], 9, "sigmoid"),
    ([3, 3, 3, 3], 3, "relu"),
]


def network_label(sizes, m, activation):
    depth = "one layer (logistic regression)" if len(sizes) == 2 else f"{len(sizes) - 1} layers"
    return f"{depth} of sizes {sizes}, {activation} hidden units, m = {m}"


def mlp_forward_cases():
    rng = np.random.default_rng(409)
    for sizes, m, activation in NETWORKS:
        yield Case(network_label(sizes, m, activation), (rng.normal(size=(sizes[0], m)), random_params(rng, sizes), activation))


def mlp_backward_cases():
    rng = np.random.default_rng(410)
    for sizes, m, activation in NETWORKS:
        X, params = rng.normal(size=(sizes[0], m)), random_params(rng, sizes)
        ZL, caches = mlp_forward(X, params, activation)
        if sizes[-1] == 1:
            _, dZL = binary_cross_entropy(ZL, (rng.random((1, m)) < 0.5) * 1.0)
        else:
            dZL = rng.normal(size=ZL.shape) / m
        yield Case(network_label(sizes, m, activation), (dZL, caches, activation))
    sizes = [2, 4, 3, 3]
    X, params = rng.normal(size=(2, 6)), random_params(rng, sizes)
    ZL, caches = mlp_forward(X, params, "tanh")
    P = np.exp(ZL - ZL.max(axis=0))
    P /= P.sum(axis=0)
    Y = np.eye(3)[:, rng.integers(0, 3, size=6)]
    yield Case("3 output logits, dZL = (softmax(ZL) - Y) / m from a softmax cross-entropy, tanh hidden units",
               ((P - Y) / 6, caches, "tanh"))
    X, params = np.zeros((2, 3)), random_params(rng, [2, 4, 1])
    X[:, 1] = rng.normal(size=2)
    params["b1"] = np.zeros((4, 1))
    ZL, caches = mlp_forward(X, params, "relu")
    yield Case("relu units at exactly Z = 0 (inputs 0 and zero biases: the derivative is 0 there)",
               (binary_cross_entropy(ZL, np.array([[1.0, 0.0, 1.0]]))[1], caches, "relu"))


def train_mlp_cases():
    X, Y = xor()
    yield Case("XOR, sizes [2, 3, 1], tanh, learning rate 1, 25 epochs, batch_size and seed omitted",
               (X, Y, initialize_mlp([2, 3, 1], 0), "tanh", 1.0, 25))
    X, Y = make_spirals(60, seed=4)
    yield Case("60 spiral points, sizes [2, 6, 1], relu, 5 epochs in batches of 16 (the last one of 12), seed 3",
               (X, Y, initialize_mlp([2, 6, 1], 1), "relu", 0.5, 5), {"batch_size": 16, "seed": 3})
    X, Y = make_spirals(10, seed=5)
    yield Case("batches of one example (stochastic gradient descent), sigmoid, 2 epochs, seed 5",
               (X, Y, initialize_mlp([2, 3, 1], 2), "sigmoid", 0.3, 2, 1, 5))
    yield Case("num_epochs = 0 (the parameters come back unchanged, one cost)",
               (X, Y, initialize_mlp([2, 3, 1], 3), "tanh", 0.3, 0))
    rng = np.random.default_rng(411)
    X = rng.normal(size=(3, 24))
    Y = (X[[0]] - X[[2]] > 0) * 1.0
    yield Case("one layer (logistic regression), 24 examples, batches of 5, 3 epochs",
               (X, Y, initialize_mlp([3, 1], 4), "relu", 0.5, 3), {"batch_size": 5, "seed": 9})
    X, Y = make_spirals(40, seed=6)
    yield Case("sizes [2, 4, 4, 1], tanh, 4 epochs in batches of 8", (X, Y, initialize_mlp([2, 4, 4, 1], 5), "tanh",
                                                                       0.5, 4), {"batch_size": 8, "seed": 1})


CHECKS = {
    "graph_backward": Check(graph_backward_cases),
    "numerical_gradient": Check(numerical_gradient_cases),
    "relative_error": Check(relative_error_cases),
    "dense_forward": Check(dense_forward_cases),
    "dense_backward": Check(dense_backward_cases),
    "activation_forward": Check(activation_forward_cases),
    "activation_backward": Check(activation_backward_cases),
    "binary_cross_entropy": Check(binary_cross_entropy_cases),
    "initialize_mlp": Check(initialize_mlp_cases),
    "mlp_forward": Check(mlp_forward_cases),
    "mlp_backward": Check(mlp_backward_cases),
    "train_mlp": Check(train_mlp_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

@mutant_of("graph_backward")
def graph_backward_overwrites_fan_out(nodes, values):
    """grads[i] = ... overwrites the contribution of another use of node i: a node used twice needs grads[i] += ..."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes) - 1, -1, -1):
        operation, *operands = nodes[k]
        g = grads[k]
        if operation == "add":
            grads[operands[0]] = g
            grads[operands[1]] = g
        elif operation == "mul":
            i, j = operands
            grads[i] = g * values[j]
            grads[j] = g * values[i]
        elif operation == "pow":
            grads[operands[0]] = g * operands[1] * values[operands[0]] ** (operands[1] - 1)
        elif operation == "exp":
            grads[operands[0]] = g * values[k]
        elif operation == "tanh":
            grads[operands[0]] = g * (1 - values[k] ** 2)
        elif operation == "relu":
            grads[operands[0]] = g * (values[operands[0]] > 0)
    return [float(v) for v in grads]


@mutant_of("graph_backward")
def graph_backward_walks_forward(nodes, values):
    """The tape is walked from the first node to the last: the backward pass starts at the output and goes back to the inputs."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes)):
        operation, *operands = nodes[k]
        g = grads[k]
        if operation == "add":
            grads[operands[0]] += g
            grads[operands[1]] += g
        elif operation == "mul":
            grads[operands[0]] += g * values[operands[1]]
            grads[operands[1]] += g * values[operands[0]]
        elif operation == "pow":
            grads[operands[0]] += g * operands[1] * values[operands[0]] ** (operands[1] - 1)
        elif operation == "exp":
            grads[operands[0]] += g * values[k]
        elif operation == "tanh":
            grads[operands[0]] += g * (1 - values[k] ** 2)
        elif operation == "relu":
            grads[operands[0]] += g * (values[operands[0]] > 0)
    return [float(v) for v in grads]


@mutant_of("graph_backward")
def graph_backward_tanh_of_the_input(nodes, values):
    """The tanh rule uses the input's value: tanh'(v_i) = 1 - tanh(v_i)**2 = 1 - values[k]**2, with the node's own output."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes) - 1, -1, -1):
        operation, *operands = nodes[k]
        g = grads[k]
        if operation == "add":
            grads[operands[0]] += g
            grads[operands[1]] += g
        elif operation == "mul":
            grads[operands[0]] += g * values[operands[1]]
            grads[operands[1]] += g * values[operands[0]]
        elif operation == "pow":
            grads[operands[0]] += g * operands[1] * values[operands[0]] ** (operands[1] - 1)
        elif operation == "exp":
            grads[operands[0]] += g * values[k]
        elif operation == "tanh":
            grads[operands[0]] += g * (1 - values[operands[0]] ** 2)
        elif operation == "relu":
            grads[operands[0]] += g * (values[operands[0]] > 0)
    return [float(v) for v in grads]


@mutant_of("graph_backward")
def graph_backward_mul_own_value(nodes, values):
    """In a product v_i * v_j, node i's local derivative is the OTHER factor v_j, not its own value."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes) - 1, -1, -1):
        operation, *operands = nodes[k]
        g = grads[k]
        if operation == "add":
            grads[operands[0]] += g
            grads[operands[1]] += g
        elif operation == "mul":
            grads[operands[0]] += g * values[operands[0]]
            grads[operands[1]] += g * values[operands[1]]
        elif operation == "pow":
            grads[operands[0]] += g * operands[1] * values[operands[0]] ** (operands[1] - 1)
        elif operation == "exp":
            grads[operands[0]] += g * values[k]
        elif operation == "tanh":
            grads[operands[0]] += g * (1 - values[k] ** 2)
        elif operation == "relu":
            grads[operands[0]] += g * (values[operands[0]] > 0)
    return [float(v) for v in grads]


@mutant_of("graph_backward")
def graph_backward_without_upstream(nodes, values):
    """Each node passes back only its local derivative: the chain rule multiplies it by the node's own gradient grads[k]."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes) - 1, -1, -1):
        operation, *operands = nodes[k]
        if operation == "add":
            grads[operands[0]] += 1.0
            grads[operands[1]] += 1.0
        elif operation == "mul":
            grads[operands[0]] += values[operands[1]]
            grads[operands[1]] += values[operands[0]]
        elif operation == "pow":
            grads[operands[0]] += operands[1] * values[operands[0]] ** (operands[1] - 1)
        elif operation == "exp":
            grads[operands[0]] += values[k]
        elif operation == "tanh":
            grads[operands[0]] += 1 - values[k] ** 2
        elif operation == "relu":
            grads[operands[0]] += float(values[operands[0]] > 0)
    return [float(v) for v in grads]


@mutant_of("numerical_gradient")
def numerical_gradient_one_sided(f, x, eps=1e-5):
    """(f(x + eps) - f(x)) / eps is one-sided, with an error proportional to eps: use (f(x + eps) - f(x - eps)) / (2 eps)."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f_x = f(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        grad[index] = (f(x) - f_x) / eps
        x[index] = old
    return grad


@mutant_of("numerical_gradient")
def numerical_gradient_divides_by_eps(f, x, eps=1e-5):
    """The two nudges are 2 eps apart: divide f(x + eps) - f(x - eps) by 2 * eps, not by eps."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        plus = f(x)
        x[index] = old - eps
        minus = f(x)
        x[index] = old
        grad[index] = (plus - minus) / eps
    return grad


@mutant_of("numerical_gradient")
def numerical_gradient_not_restored(f, x, eps=1e-5):
    """The nudged entry is never put back, so later entries are differentiated at a shifted point: restore x[i] after each entry."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        plus = f(x)
        x[index] = old - eps
        minus = f(x)
        grad[index] = (plus - minus) / (2 * eps)
    return grad


@mutant_of("numerical_gradient")
def numerical_gradient_all_entries_at_once(f, x, eps=1e-5):
    """Every entry is nudged at once, which gives one directional derivative: nudge one entry at a time, holding the others fixed."""
    x = np.array(x, dtype=float)
    return np.full(x.shape, (f(x + eps) - f(x - eps)) / (2 * eps))


@mutant_of("numerical_gradient")
def numerical_gradient_eps_ignored(f, x, eps=1e-5):
    """The eps argument is ignored (1e-5 is hard-coded): nudge by the eps the caller passes."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + 1e-5
        plus = f(x)
        x[index] = old - 1e-5
        minus = f(x)
        x[index] = old
        grad[index] = (plus - minus) / 2e-5
    return grad


@mutant_of("relative_error")
def relative_error_without_denominator(a, b):
    """||a - b|| alone is an absolute error that depends on the gradients' size: divide by ||a|| + ||b||."""
    return float(np.linalg.norm(np.ravel(a) - np.ravel(b)))


@mutant_of("relative_error")
def relative_error_norm_of_the_sum(a, b):
    """The denominator is ||a|| + ||b||, the sum of the two norms, not the norm of the sum ||a + b||."""
    a, b = np.ravel(a), np.ravel(b)
    denominator = np.linalg.norm(a + b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


@mutant_of("relative_error")
def relative_error_nan_for_zeros(a, b):
    """Two all-zero gradients give 0 / 0 = nan: return 0.0 when ||a|| + ||b|| is 0."""
    a, b = np.ravel(a), np.ravel(b)
    with np.errstate(invalid="ignore"):
        return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


@mutant_of("relative_error")
def relative_error_elementwise_mean(a, b):
    """This averages entry-by-entry ratios |a_i - b_i| / (|a_i| + |b_i|): use the norms of the whole arrays."""
    a, b = np.ravel(a), np.ravel(b)
    denominator = np.abs(a) + np.abs(b)
    ratios = np.abs(a - b) / np.where(denominator == 0, 1.0, denominator)
    return float(np.mean(ratios))


@mutant_of("relative_error")
def relative_error_by_the_first_norm(a, b):
    """Dividing by ||a|| alone is not symmetric (and fails for a = 0): divide by ||a|| + ||b||."""
    a, b = np.ravel(a), np.ravel(b)
    norm_a = np.linalg.norm(a)
    return 0.0 if norm_a == 0 else float(np.linalg.norm(a - b) / norm_a)


@mutant_of("dense_forward")
def dense_forward_transposed_weights(A_prev, W, b):
    """W has shape (n, n_prev) and multiplies A_prev as it is: Z = W @ A_prev + b, with no transpose."""
    Z = W.T @ A_prev + b
    return Z, (A_prev, W, b)


@mutant_of("dense_forward")
def dense_forward_without_bias(A_prev, W, b):
    """The bias is missing: Z = W @ A_prev + b."""
    return W @ A_prev, (A_prev, W, b)


@mutant_of("dense_forward")
def dense_forward_flat_bias(A_prev, W, b):
    """b flattened to shape (n,) is added along the wrong axis: keep the column (n, 1) so it goes to every example."""
    Z = W @ A_prev + b.ravel()
    return Z, (A_prev, W, b)


@mutant_of("dense_forward")
def dense_forward_caches_z(A_prev, W, b):
    """The cache holds Z instead of the layer's input: dense_backward needs cache = (A_prev, W, b)."""
    Z = W @ A_prev + b
    return Z, (Z, W, b)


@mutant_of("dense_forward")
def dense_forward_summed_bias(A_prev, W, b):
    """Each unit has its own bias: add the column b (n, 1), not the sum of its entries."""
    Z = W @ A_prev + np.sum(b)
    return Z, (A_prev, W, b)


@mutant_of("dense_backward")
def dense_backward_db_not_summed(dZ, cache):
    """db is dZ itself, one column per example: sum dZ over the examples (axis 1) into a column (n, 1)."""
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ


@mutant_of("dense_backward")
def dense_backward_db_averaged(dZ, cache):
    """db is divided by m a second time: dZ already holds the 1/m of the mean cost, so db is the plain sum of dZ over examples."""
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.mean(dZ, axis=1, keepdims=True)


@mutant_of("dense_backward")
def dense_backward_dw_averaged(dZ, cache):
    """dW is divided by m a second time: dZ already holds the 1/m of the mean cost, so dW = dZ @ A_prev.T."""
    A_prev, W, b = cache
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


@mutant_of("dense_backward")
def dense_backward_dw_transposed(dZ, cache):
    """A_prev @ dZ.T is the transpose of dW: dW = dZ @ A_prev.T has the shape of W, (n, n_prev)."""
    A_prev, W, b = cache
    return W.T @ dZ, A_prev @ dZ.T, np.sum(dZ, axis=1, keepdims=True)


@mutant_of("dense_backward")
def dense_backward_missing_transpose(dZ, cache):
    """dA_prev needs the transpose of W: dA_prev = W.T @ dZ, of shape (n_prev, m)."""
    A_prev, W, b = cache
    return W @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


@mutant_of("activation_forward")
def activation_forward_sigmoid_overflows(Z, activation):
    """exp(Z) / (1 + exp(Z)) is inf / inf = nan for Z = 1000: compute the sigmoid so that exp never sees a large positive number."""
    if activation == "sigmoid":
        with np.errstate(over="ignore", invalid="ignore"):
            return np.exp(Z) / (1 + np.exp(Z))
    if activation == "tanh":
        return np.tanh(Z)
    return np.maximum(0, Z)


@mutant_of("activation_forward")
def activation_forward_tanh_half(Z, activation):
    """2 sigmoid(z) - 1 is tanh(z / 2): tanh(z) = 2 sigmoid(2z) - 1."""
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0, -Z))
    if activation == "tanh":
        return 2 * np.exp(-np.logaddexp(0, -Z)) - 1
    return np.maximum(0, Z)


@mutant_of("activation_forward")
def activation_forward_relu_np_max(Z, activation):
    """np.max(Z, 0) takes the largest entry along an axis: relu is the elementwise np.maximum(0, Z)."""
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0, -Z))
    if activation == "tanh":
        return np.tanh(Z)
    return np.max(Z, 0)


@mutant_of("activation_forward")
def activation_forward_sigmoid_sign(Z, activation):
    """The sign is flipped: sigmoid(z) = 1 / (1 + e^-z), which is close to 1 for large positive z."""
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0, Z))
    if activation == "tanh":
        return np.tanh(Z)
    return np.maximum(0, Z)


@mutant_of("activation_forward")
def activation_forward_relu_step(Z, activation):
    """This returns ReLU's derivative (0 or 1): relu keeps the positive values themselves, max(0, z)."""
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0, -Z))
    if activation == "tanh":
        return np.tanh(Z)
    return (Z > 0) * 1.0


@mutant_of("activation_backward")
def activation_backward_uses_the_activation(dA, Z, activation):
    """dZ = dA * g(Z) uses the activation itself: multiply by its derivative, dZ = dA * g'(Z)."""
    return dA * activation_forward(Z, activation)


@mutant_of("activation_backward")
def activation_backward_without_da(dA, Z, activation):
    """This returns g'(Z) alone: the chain rule multiplies it by the incoming gradient, dZ = dA * g'(Z)."""
    if activation == "sigmoid":
        s = activation_forward(Z, "sigmoid")
        return s * (1 - s)
    if activation == "tanh":
        return 1 - np.tanh(Z) ** 2
    return (Z > 0) * 1.0


@mutant_of("activation_backward")
def activation_backward_relu_one_at_zero(dA, Z, activation):
    """At Z = 0 ReLU's derivative is taken as 0 (the stated convention): use Z > 0, not Z >= 0."""
    if activation == "sigmoid":
        s = activation_forward(Z, "sigmoid")
        return dA * s * (1 - s)
    if activation == "tanh":
        return dA * (1 - np.tanh(Z) ** 2)
    return dA * (Z >= 0)


@mutant_of("activation_backward")
def activation_backward_sigmoid_of_z(dA, Z, activation):
    """s (1 - s) must be taken of s = sigmoid(Z), not of Z itself."""
    if activation == "sigmoid":
        return dA * Z * (1 - Z)
    if activation == "tanh":
        return dA * (1 - np.tanh(Z) ** 2)
    return dA * (Z > 0)


@mutant_of("activation_backward")
def activation_backward_tanh_not_squared(dA, Z, activation):
    """tanh's derivative is 1 - tanh(Z)**2: the square is missing."""
    if activation == "sigmoid":
        s = activation_forward(Z, "sigmoid")
        return dA * s * (1 - s)
    if activation == "tanh":
        return dA * (1 - np.tanh(Z))
    return dA * (Z > 0)


@mutant_of("binary_cross_entropy")
def binary_cross_entropy_summed(ZL, Y):
    """The cost is summed over the examples: it is their mean, divide by m."""
    m = ZL.shape[1]
    cost = float(np.sum(np.logaddexp(0, ZL) - Y * ZL))
    return cost, (activation_forward(ZL, "sigmoid") - Y) / m


@mutant_of("binary_cross_entropy")
def binary_cross_entropy_gradient_of_the_sum(ZL, Y):
    """dZL is the gradient of the summed cost: the cost is the mean, so dZL = (A - Y) / m."""
    m = ZL.shape[1]
    cost = float(np.sum(np.logaddexp(0, ZL) - Y * ZL) / m)
    return cost, activation_forward(ZL, "sigmoid") - Y


@mutant_of("binary_cross_entropy")
def binary_cross_entropy_from_log_a(ZL, Y):
    """log(A) is -inf where A rounds to 0 (logits of -1000), so the cost is inf or nan: compute it from the logits, log(1 + e^z) - y z."""
    m = ZL.shape[1]
    A = activation_forward(ZL, "sigmoid")
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    return cost, (A - Y) / m


@mutant_of("binary_cross_entropy")
def binary_cross_entropy_gradient_sign(ZL, Y):
    """The gradient's sign is flipped: dZL = (A - Y) / m, positive where the prediction is too high."""
    m = ZL.shape[1]
    cost = float(np.sum(np.logaddexp(0, ZL) - Y * ZL) / m)
    return cost, (Y - activation_forward(ZL, "sigmoid")) / m


@mutant_of("binary_cross_entropy")
def binary_cross_entropy_gradient_wrt_a(ZL, Y):
    """This is dJ/dA, the gradient with respect to the probabilities: dJ/dZL multiplies it by A (1 - A), giving (A - Y) / m."""
    m = ZL.shape[1]
    cost = float(np.sum(np.logaddexp(0, ZL) - Y * ZL) / m)
    A = activation_forward(ZL, "sigmoid")
    with np.errstate(divide="ignore", invalid="ignore"):
        return cost, -(Y / A - (1 - Y) / (1 - A)) / m


@mutant_of("initialize_mlp")
def initialize_mlp_unscaled(layer_sizes, seed):
    """The weights are not scaled: divide the standard normal draws by sqrt(n_{l-1})."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_mlp")
def initialize_mlp_zeros(layer_sizes, seed):
    """Zero weights make every unit of a layer compute the same thing forever: draw them at random."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = 0.0 * rng.standard_normal((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_mlp")
def initialize_mlp_times_0_01(layer_sizes, seed):
    """The weights are scaled by 0.01: the stated scale is 1 / sqrt(n_{l-1})."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = 0.01 * rng.standard_normal((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_mlp")
def initialize_mlp_random_biases(layer_sizes, seed):
    """The biases are drawn at random too: they start at zero (and drawing them changes every later weight)."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) / np.sqrt(layer_sizes[l - 1])
        params[f"b{l}"] = rng.standard_normal((layer_sizes[l], 1))
    return params


@mutant_of("initialize_mlp")
def initialize_mlp_transposed(layer_sizes, seed):
    """W_l has one row per unit of layer l: its shape is (n_l, n_{l-1}), not (n_{l-1}, n_l)."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])) / np.sqrt(layer_sizes[l - 1])
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("mlp_forward")
def mlp_forward_activation_on_the_output(X, params, hidden_activation):
    """The hidden activation is applied to the last layer too: the network returns the logits ZL, no activation."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((dense_cache, Z))
        A = activation_forward(Z, hidden_activation)
    return A, caches


@mutant_of("mlp_forward")
def mlp_forward_last_layer_skipped(X, params, hidden_activation):
    """The loop stops before the last layer: run layers 1 to L, e.g. range(1, L + 1)."""
    L = len(params) // 2
    A, caches = X, []
    Z = X
    for l in range(1, L):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((dense_cache, Z))
        A = activation_forward(Z, hidden_activation)
    return Z, caches


@mutant_of("mlp_forward")
def mlp_forward_caches_a(X, params, hidden_activation):
    """The cache keeps the activation A_l: the backward pass needs the pre-activation Z_l, caches[l - 1] = ((A_prev, W, b), Z)."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        if l < L:
            A = activation_forward(Z, hidden_activation)
            caches.append((dense_cache, A))
        else:
            caches.append((dense_cache, Z))
    return Z, caches


@mutant_of("mlp_forward")
def mlp_forward_no_hidden_activation(X, params, hidden_activation):
    """The hidden layers have no activation, so the network is linear: A_l = g(Z_l) for l < L."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((dense_cache, Z))
        A = Z
    return Z, caches


@mutant_of("mlp_forward")
def mlp_forward_caches_reversed(X, params, hidden_activation):
    """The caches are in reverse order: caches[0] belongs to layer 1."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.insert(0, (dense_cache, Z))
        if l < L:
            A = activation_forward(Z, hidden_activation)
    return Z, caches


@mutant_of("mlp_backward")
def mlp_backward_wrong_layer_cache(dZL, caches, hidden_activation):
    """dA_{l-1} is turned into dZ_{l-1} with Z_l, the cache of the wrong layer: use Z_{l-1}, the Z of layer l - 1 (caches[l - 2])."""
    grads = {}
    dZ = dZL
    for l in range(len(caches), 0, -1):
        dense_cache, Z = caches[l - 1]
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dZ, dense_cache)
        if l > 1:
            dZ = activation_backward(dA_prev, Z, hidden_activation)
    return grads


@mutant_of("mlp_backward")
def mlp_backward_last_layer_skipped(dZL, caches, hidden_activation):
    """The last layer gets no gradients: start at layer L with dZL and go down to layer 1."""
    grads = {}
    L = len(caches)
    dA = caches[L - 1][0][1].T @ dZL
    for l in range(L - 1, 0, -1):
        dense_cache, Z = caches[l - 1]
        dZ = activation_backward(dA, Z, hidden_activation)
        dA, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dZ, dense_cache)
    return grads


@mutant_of("mlp_backward")
def mlp_backward_activation_at_the_output(dZL, caches, hidden_activation):
    """dZL is already dJ/dZ of the last layer: the last layer is linear, so do not apply activation_backward to it."""
    grads = {}
    dA = dZL
    for l in range(len(caches), 0, -1):
        dense_cache, Z = caches[l - 1]
        dZ = activation_backward(dA, Z, hidden_activation)
        dA, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dZ, dense_cache)
    return grads


@mutant_of("mlp_backward")
def mlp_backward_activation_instead_of_derivative(dZL, caches, hidden_activation):
    """dZ = dA * g(Z) uses the activation itself: multiply by its derivative (activation_backward)."""
    grads = {}
    dZ = dZL
    for l in range(len(caches), 0, -1):
        dense_cache, _ = caches[l - 1]
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dZ, dense_cache)
        if l > 1:
            dZ = dA_prev * activation_forward(caches[l - 2][1], hidden_activation)
    return grads


@mutant_of("mlp_backward")
def mlp_backward_divides_by_m(dZL, caches, hidden_activation):
    """The gradients are divided by m again: dZL already holds the 1/m of the mean cost."""
    grads = {}
    dZ = dZL
    m = dZL.shape[1]
    for l in range(len(caches), 0, -1):
        dense_cache, _ = caches[l - 1]
        dA_prev, dW, db = dense_backward(dZ, dense_cache)
        grads[f"dW{l}"], grads[f"db{l}"] = dW / m, db / m
        if l > 1:
            dZ = activation_backward(dA_prev, caches[l - 2][1], hidden_activation)
    return grads


@mutant_of("train_mlp")
def train_mlp_never_shuffles(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """The batches always take the examples in their stored order: each epoch visits them in the order rng.permutation(m)."""
    params = {k: v.copy() for k, v in params.items()}
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    costs = [binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]]
    for _ in range(num_epochs):
        for start in range(0, m, size):
            ZL, caches = mlp_forward(X[:, start:start + size], params, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y[:, start:start + size])[1], caches, hidden_activation)
            params = {k: v - learning_rate * grads["d" + k] for k, v in params.items()}
        costs.append(binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0])
    return params, costs


@mutant_of("train_mlp")
def train_mlp_one_permutation(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """One permutation is drawn for all epochs: draw a new order = rng.permutation(m) at the start of every epoch."""
    params = {k: v.copy() for k, v in params.items()}
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    order = np.random.default_rng(seed).permutation(m)
    costs = [binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]]
    for _ in range(num_epochs):
        for start in range(0, m, size):
            batch = order[start:start + size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y[:, batch])[1], caches, hidden_activation)
            params = {k: v - learning_rate * grads["d" + k] for k, v in params.items()}
        costs.append(binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0])
    return params, costs


@mutant_of("train_mlp")
def train_mlp_gradient_ascent(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """The update adds the gradient: gradient descent subtracts it, P <- P - learning_rate * dP."""
    params = {k: v.copy() for k, v in params.items()}
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    costs = [binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]]
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, size):
            batch = order[start:start + size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y[:, batch])[1], caches, hidden_activation)
            params = {k: v + learning_rate * grads["d" + k] for k, v in params.items()}
        costs.append(binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0])
    return params, costs


@mutant_of("train_mlp")
def train_mlp_no_initial_cost(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """costs has num_epochs + 1 entries: costs[0] is the cost before training, then one after each epoch."""
    params = {k: v.copy() for k, v in params.items()}
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    costs = []
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, size):
            batch = order[start:start + size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y[:, batch])[1], caches, hidden_activation)
            params = {k: v - learning_rate * grads["d" + k] for k, v in params.items()}
        costs.append(binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0])
    return params, costs


@mutant_of("train_mlp")
def train_mlp_batch_cost(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """The recorded cost is that of the last mini-batch: record the cost on all of (X, Y) after each epoch."""
    params = {k: v.copy() for k, v in params.items()}
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    costs = [binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]]
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, size):
            batch = order[start:start + size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            cost, dZL = binary_cross_entropy(ZL, Y[:, batch])
            grads = mlp_backward(dZL, caches, hidden_activation)
            params = {k: v - learning_rate * grads["d" + k] for k, v in params.items()}
        costs.append(cost)
    return params, costs

# Correct alternatives: written differently from the reference, each must get full marks.

@alternative_of("graph_backward")
def graph_backward_pulls_from_users(nodes, values):
    """Pull instead of push: a node's gradient is the sum over the nodes that use it of their gradient times the local derivative."""
    def local(k, i):
        operation, *operands = nodes[k]
        if operation == "add":
            return float(operands.count(i))
        if operation == "mul":
            a, b = operands
            return (values[b] if a == i else 0.0) + (values[a] if b == i else 0.0)
        if operation == "pow":
            return operands[1] * values[i] ** (operands[1] - 1)
        if operation == "exp":
            return values[k]
        if operation == "tanh":
            return 1 - values[k] ** 2
        return 1.0 if values[i] > 0 else 0.0

    n = len(nodes)
    grads = [0.0] * n
    grads[n - 1] = 1.0
    for i in range(n - 2, -1, -1):
        users = [k for k in range(i + 1, n) if nodes[k][0] not in ("input", "const") and i in nodes[k][1:2 + (nodes[k][0] in ("add", "mul"))]]
        grads[i] = float(sum(grads[k] * local(k, i) for k in users))
    return grads


@alternative_of("graph_backward")
def graph_backward_with_a_dict(nodes, values):
    """Gradients in a dict filled by a loop over reversed(list(enumerate(nodes)))."""
    grad = {len(nodes) - 1: 1.0}
    for k, (operation, *operands) in reversed(list(enumerate(nodes))):
        g = grad.get(k, 0.0)
        if operation in ("add", "mul"):
            i, j = operands
            grad[i] = grad.get(i, 0.0) + g * (1.0 if operation == "add" else values[j])
            grad[j] = grad.get(j, 0.0) + g * (1.0 if operation == "add" else values[i])
        elif operation in ("pow", "exp", "tanh", "relu"):
            i = operands[0]
            slope = {"pow": lambda: operands[1] * values[i] ** (operands[1] - 1), "exp": lambda: values[k],
                     "tanh": lambda: 1 - values[k] ** 2, "relu": lambda: float(values[i] > 0)}[operation]()
            grad[i] = grad.get(i, 0.0) + g * slope
    return [float(grad.get(k, 0.0)) for k in range(len(nodes))]


@alternative_of("numerical_gradient")
def numerical_gradient_fresh_copies(f, x, eps=1e-5):
    """A fresh copy of x for each nudge, so nothing needs to be put back."""
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.shape)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


@alternative_of("numerical_gradient")
def numerical_gradient_flat_view(f, x, eps=1e-5):
    """Nudge a flat view of a private copy, then reshape the estimates."""
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = f(x)
        flat[i] = keep - eps
        down = f(x)
        flat[i] = keep
        grad[i] = (up - down) / (2 * eps)
    return grad.reshape(x.shape)


@alternative_of("relative_error")
def relative_error_by_sums(a, b):
    """Norms written out as square roots of sums of squares."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    denominator = np.sqrt(np.sum(a ** 2)) + np.sqrt(np.sum(b ** 2))
    if denominator == 0:
        return 0.0
    return float(np.sqrt(np.sum((a - b) ** 2)) / denominator)


@alternative_of("relative_error")
def relative_error_tiny_guard(a, b):
    """Divide by max(||a|| + ||b||, the smallest positive float): 0 / tiny is 0."""
    a, b = np.ravel(a), np.ravel(b)
    denominator = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(float).tiny)
    return float(np.linalg.norm(a - b) / denominator)


@alternative_of("dense_forward")
def dense_forward_with_dot(A_prev, W, b):
    """np.dot and a cache built as a tuple of the arguments."""
    return np.dot(W, A_prev) + b, tuple([A_prev, W, b])


@alternative_of("dense_forward")
def dense_forward_with_einsum(A_prev, W, b):
    """Z_{jm} = sum_k W_{jk} A_{km} + b_j, with einsum."""
    return np.einsum("jk,km->jm", W, A_prev) + b, (A_prev, W, b)


@alternative_of("dense_backward")
def dense_backward_with_dot(dZ, cache):
    """np.dot and db as dZ times a column of ones."""
    A_prev, W, b = cache
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T), dZ @ np.ones((dZ.shape[1], 1))


@alternative_of("dense_backward")
def dense_backward_example_by_example(dZ, cache):
    """Sum the gradients of the examples one at a time (outer products), as a loop."""
    A_prev, W, b = cache
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    for i in range(dZ.shape[1]):
        dW += np.outer(dZ[:, i], A_prev[:, i])
        db += dZ[:, [i]]
    return W.T @ dZ, dW, db


@alternative_of("activation_forward")
def activation_forward_with_where(Z, activation):
    """A stable sigmoid by cases, tanh from the sigmoid, relu with np.where."""
    Z = np.asarray(Z, dtype=float)
    if activation == "relu":
        return np.where(Z > 0, Z, 0.0)
    def sigmoid(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return sigmoid(Z) if activation == "sigmoid" else 2 * sigmoid(2 * Z) - 1


@alternative_of("activation_forward")
def activation_forward_from_a_dict(Z, activation):
    """A dict from names to functions; the textbook sigmoid (exp overflows to inf with a warning, 1 / inf = 0 is right)."""
    functions = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: z * (z > 0)}
    return functions[activation](np.asarray(Z, dtype=float))


@alternative_of("activation_backward")
def activation_backward_from_softplus(dA, Z, activation):
    """sigmoid'(z) = exp(-softplus(z) - softplus(-z)); tanh' = 1 / cosh^2 (cosh(1000) = inf gives 0, with a warning)."""
    if activation == "sigmoid":
        return dA * np.exp(-np.logaddexp(0, Z) - np.logaddexp(0, -Z))
    if activation == "tanh":
        return dA / np.cosh(Z) ** 2
    return np.where(Z > 0, dA, 0.0)


@alternative_of("activation_backward")
def activation_backward_through_outputs(dA, Z, activation):
    """The derivatives written with the outputs A = g(Z): A (1 - A), 1 - A^2, and the mask A > 0."""
    A = activation_forward(Z, activation)
    if activation == "sigmoid":
        return dA * A * (1 - A)
    if activation == "tanh":
        return dA * (1 - A) * (1 + A)
    return dA * (A > 0)


@alternative_of("binary_cross_entropy")
def binary_cross_entropy_by_cases(ZL, Y):
    """softplus(z) = max(z, 0) + log(1 + e^-|z|), and a stable sigmoid by cases."""
    m = ZL.shape[1]
    softplus = np.maximum(ZL, 0) + np.log1p(np.exp(-np.abs(ZL)))
    cost = np.mean(softplus - Y * ZL)
    e = np.exp(-np.abs(ZL))
    A = np.where(ZL >= 0, 1 / (1 + e), e / (1 + e))
    return float(cost), (A - Y) / m


@alternative_of("binary_cross_entropy")
def binary_cross_entropy_per_class(ZL, Y):
    """-log A = softplus(-z) and -log(1 - A) = softplus(z), weighted by the labels."""
    m = ZL.shape[1]
    cost = np.sum(Y * np.logaddexp(0, -ZL) + (1 - Y) * np.logaddexp(0, ZL)) / m
    return float(cost), (activation_forward(ZL, "sigmoid") - Y) / m


@alternative_of("initialize_mlp")
def initialize_mlp_with_normal(layer_sizes, seed):
    """rng.normal with scale 1 / sqrt(n_{l-1}), layers paired with zip."""
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_prev, n) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params["W" + str(l)] = rng.normal(0.0, 1.0 / np.sqrt(n_prev), size=(n, n_prev))
        params["b" + str(l)] = np.zeros((n, 1))
    return params


@alternative_of("initialize_mlp")
def initialize_mlp_pcg64(layer_sizes, seed):
    """Generator(PCG64(seed)) is what default_rng(seed) builds; the weights first, then the biases."""
    rng = np.random.Generator(np.random.PCG64(seed))
    L = len(layer_sizes) - 1
    weights = {f"W{l}": rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * (1 / layer_sizes[l - 1]) ** 0.5
               for l in range(1, L + 1)}
    biases = {f"b{l}": np.zeros((layer_sizes[l], 1)) for l in range(1, L + 1)}
    return {**weights, **biases}


@alternative_of("mlp_forward")
def mlp_forward_while_loop(X, params, hidden_activation):
    """A while loop that runs as long as there is a "W{l}" key, and the last layer after it."""
    caches, A, l = [], X, 1
    while f"W{l + 1}" in params:
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((dense_cache, Z))
        A = activation_forward(Z, hidden_activation)
        l += 1
    ZL, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
    caches.append((dense_cache, ZL))
    return ZL, caches


@alternative_of("mlp_forward")
def mlp_forward_written_out(X, params, hidden_activation):
    """The matrix products written out, without dense_forward."""
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = params["W%d" % l], params["b%d" % l]
        Z = np.dot(W, A) + b
        caches.append(((A, W, b), Z))
        A = activation_forward(Z, hidden_activation) if l < L else Z
    return A, caches


@alternative_of("mlp_backward")
def mlp_backward_written_out(dZL, caches, hidden_activation):
    """The formulas written out for every layer, without dense_backward."""
    grads = {}
    dZ = dZL
    for l in reversed(range(1, len(caches) + 1)):
        (A_prev, W, b), Z = caches[l - 1]
        grads["dW%d" % l] = dZ @ A_prev.T
        grads["db%d" % l] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dZ = activation_backward(W.T @ dZ, caches[l - 2][1], hidden_activation)
    return grads


@alternative_of("mlp_backward")
def mlp_backward_activation_first(dZL, caches, hidden_activation):
    """dA is carried down and turned into dZ at the top of each hidden layer's step."""
    grads = {}
    L = len(caches)
    dA = None
    for l, (dense_cache, Z) in reversed(list(enumerate(caches, start=1))):
        dZ = dZL if l == L else activation_backward(dA, Z, hidden_activation)
        dA, dW, db = dense_backward(dZ, dense_cache)
        grads.update({f"dW{l}": dW, f"db{l}": db})
    return grads


@alternative_of("train_mlp")
def train_mlp_in_place_on_copies(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """In-place updates on copies of the parameters, and a while loop over the batches."""
    params = {k: np.array(v, dtype=float) for k, v in params.items()}
    m = X.shape[1]
    size = batch_size or m
    rng = np.random.default_rng(seed)

    def cost():
        return binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]

    costs = [cost()]
    for _ in range(num_epochs):
        order, start = rng.permutation(m), 0
        while start < m:
            batch = order[start:start + size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y[:, batch])[1], caches, hidden_activation)
            for k in params:
                params[k] -= learning_rate * grads["d" + k]
            start += size
        costs.append(cost())
    return params, costs


@alternative_of("train_mlp")
def train_mlp_shuffled_copy(X, Y, params, hidden_activation, learning_rate, num_epochs, batch_size=None, seed=0):
    """Shuffle a copy of the data each epoch, then slice it into ceil(m / batch_size) batches."""
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    batch_size = m if batch_size is None else batch_size
    current = dict(params)
    costs = [float(binary_cross_entropy(mlp_forward(X, current, hidden_activation)[0], Y)[0])]
    for epoch in range(num_epochs):
        order = rng.permutation(m)
        X_shuffled, Y_shuffled = X[:, order], Y[:, order]
        for t in range(-(-m // batch_size)):
            X_t = X_shuffled[:, t * batch_size:(t + 1) * batch_size]
            Y_t = Y_shuffled[:, t * batch_size:(t + 1) * batch_size]
            ZL, caches = mlp_forward(X_t, current, hidden_activation)
            grads = mlp_backward(binary_cross_entropy(ZL, Y_t)[1], caches, hidden_activation)
            current = {k: current[k] - learning_rate * grads["d" + k] for k in current}
        costs.append(float(binary_cross_entropy(mlp_forward(X, current, hidden_activation)[0], Y)[0]))
    return current, costs
