"""Grading data of chapter 6 (optimization): hidden cases, mutants and correct alternatives.

The mutants are the slips the optimizer exercises are known for: Adam without bias
correction, or with t counted from 0 (Kingma and Ba, "Adam", 2015, section 3, explain why
the correction is needed), epsilon inside the square root, the raw gradient instead of its
square in RMSprop, momentum without its (1 - beta) or in the velocity form of CS231n's
notes, beta1 and beta2 swapped, the last partial mini-batch dropped, X and Y shuffled
apart, and learning-rate decay applied every iteration instead of every epoch (the slips
discussed on the forums of deeplearning.ai's "Optimization methods" assignment).
"""
import math

import numpy as np

from autograder.exercises import Case, Check, Function, catalogue
from nnbook.least_squares import initialize_linear, squared_error
from nnbook.planar import make_spirals
# Graded functions that mutants, alternatives and cases name, as a student's notebook would.
from solutions.ch06_optimization import (adam_update, exponential_decay, initialize_optimizer_state,
                                         momentum_update, random_mini_batches, rmsprop_update, sgd_update,
                                         step_decay, train_with_optimizer)

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()

OPTIMIZER_NAMES = ("sgd", "momentum", "rmsprop", "adam")

# Chapter 4's MLPs written as models cost_and_gradients(params, X, Y) -> (cost, grads) for the
# kernel, where the chapter 4 reference does not exist (tests/test_solutions_ch06_optimization.py
# proves they agree with it): logistic regression (one layer) and one tanh hidden layer, both
# with the mean binary cross-entropy of a sigmoid output.
LOGISTIC_MODEL = Function(
    "lambda p, X, Y: (lambda Z: (float(np.mean(np.logaddexp(0.0, Z) - Y * Z)),"
    " (lambda dZ: {'dW1': dZ @ X.T, 'db1': dZ.sum(axis=1, keepdims=True)})"
    "((np.exp(-np.logaddexp(0.0, -Z)) - Y) / X.shape[1])))(p['W1'] @ X + p['b1'])")
TANH_MLP_MODEL = Function(
    "lambda p, X, Y: (lambda A1: (lambda Z2: (lambda dZ2: (lambda dZ1: ("
    "float(np.mean(np.logaddexp(0.0, Z2) - Y * Z2)),"
    " {'dW1': dZ1 @ X.T, 'db1': dZ1.sum(axis=1, keepdims=True),"
    " 'dW2': dZ2 @ A1.T, 'db2': dZ2.sum(axis=1, keepdims=True)}))"
    "((p['W2'].T @ dZ2) * (1.0 - A1 ** 2)))"
    "((np.exp(-np.logaddexp(0.0, -Z2)) - Y) / X.shape[1]))"
    "(p['W2'] @ A1 + p['b2']))(np.tanh(p['W1'] @ X + p['b1']))")


# Hidden cases: the inputs every graded function is checked on.

def random_params(rng, sizes):
    """An MLP's parameters {"W1", "b1", ...} with random biases too."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1])) / math.sqrt(sizes[l - 1])
        params[f"b{l}"] = rng.normal(scale=0.5, size=(sizes[l], 1))
    return params


def random_grads(rng, params, scale=1.0):
    """Gradients {"d" + key} with the shapes of params."""
    return {"d" + key: scale * rng.normal(size=value.shape) for key, value in params.items()}


def random_moments(rng, params, scale=1.0):
    """(v, s): a first moment of either sign and a positive second moment, keyed like params."""
    v = {key: scale * rng.normal(size=value.shape) for key, value in params.items()}
    s = {key: scale ** 2 * rng.uniform(0.2, 2.0, size=value.shape) for key, value in params.items()}
    return v, s


def depth_label(params):
    keys = sorted(params)
    if keys == ["p"]:
        return 'one parameter "p" of shape (2,)'
    return f"{len(keys) // 2} layer{'s' if len(keys) > 2 else ''} ({', '.join(sorted(keys, key=lambda k: (k[1:], k)))})"


DEPTHS = ([3, 1], [2, 4, 1], [5, 3, 4, 2], [2, 3, 3, 3, 1])


def depth_params(rng):
    """Parameter dicts of several depths, and one with a single key "p" of shape (2,)."""
    for sizes in DEPTHS:
        yield random_params(rng, sizes)
    yield {"p": rng.normal(size=2)}


def labelled_data(rng, n_x, m, n_y=1, integer=False):
    """X whose column i holds i in its first row (a label can be traced), and labels Y."""
    X = np.vstack([np.arange(m, dtype=np.float64)[np.newaxis, :], rng.normal(size=(n_x - 1, m))])
    if integer:
        return X, (10 * np.arange(m)[np.newaxis, :] + rng.integers(0, 3, size=(1, m))).astype(np.int64)
    return X, np.arange(m, dtype=np.float64)[np.newaxis, :] + 0.5 + np.zeros((n_y, 1))


def random_mini_batches_cases():
    rng = np.random.default_rng(600)
    X, Y = labelled_data(rng, 3, 12)
    yield Case("m = 12 divisible by batch_size 4 (three full batches)", (X, Y, 4, np.random.default_rng(1)))
    X, Y = labelled_data(rng, 2, 10)
    yield Case("m = 10, batch_size 4: the last batch holds 2 examples", (X, Y, 4, np.random.default_rng(2)))
    X, Y = labelled_data(rng, 4, 5)
    yield Case("batch_size 8 larger than m = 5 (one batch of all 5)", (X, Y, 8, np.random.default_rng(3)))
    X, Y = labelled_data(rng, 3, 7)
    yield Case("batch_size equal to m = 7", (X, Y, 7, np.random.default_rng(4)))
    X, Y = labelled_data(rng, 2, 6)
    yield Case("batch_size 1 (stochastic gradient descent), m = 6", (X, Y, 1, np.random.default_rng(5)))
    X, Y = labelled_data(rng, 3, 1)
    yield Case("m = 1", (X, Y, 3, np.random.default_rng(6)))
    X, Y = labelled_data(rng, 5, 23, n_y=3)
    yield Case("labels of 3 rows (n_y = 3), m = 23, batch_size 5, a generator that has drawn before",
               (X, Y, 5, generator_after_draws(7)))
    X, Y = labelled_data(rng, 2, 9, integer=True)
    yield Case("int64 labels (they stay int64), m = 9, batch_size 2", (X, Y, 2, np.random.default_rng(8)))
    X, Y = labelled_data(rng, 4, 16)
    yield Case("a Generator(PCG64DXSM) instead of default_rng, m = 16, batch_size 6",
               (X, Y, 6, np.random.Generator(np.random.PCG64DXSM(9))))


def generator_after_draws(seed):
    rng = np.random.default_rng(seed)
    rng.normal(size=5)
    return rng


def initialize_optimizer_state_cases():
    rng = np.random.default_rng(601)
    for params in depth_params(rng):
        for optimizer in OPTIMIZER_NAMES:
            yield Case(f"{optimizer}, {depth_label(params)}", (params, optimizer))


def sgd_update_cases():
    rng = np.random.default_rng(602)
    for params, rate in zip(depth_params(rng), (0.1, 0.5, 0.01, 1.0, 0.3)):
        yield Case(f"{depth_label(params)}, learning rate {rate}", (params, random_grads(rng, params), {}, rate))
    params = random_params(rng, [3, 2, 1])
    yield Case("learning rate 0 (the parameters come back equal, in a new dict)",
               (params, random_grads(rng, params), {}, 0.0))


def momentum_update_cases():
    rng = np.random.default_rng(603)
    params = random_params(rng, [2, 4, 1])
    yield Case("the first update (v = 0), beta omitted (0.9), 2 layers",
               (params, random_grads(rng, params), initialize_optimizer_state(params, "momentum"), 0.1))
    params = random_params(rng, [3, 1])
    v, _ = random_moments(rng, params)
    yield Case("a later update (v nonzero), beta = 0.5, 1 layer", (params, random_grads(rng, params), {"v": v}, 0.2),
               {"beta": 0.5})
    params = random_params(rng, [5, 3, 4, 2])
    v, _ = random_moments(rng, params)
    yield Case("a later update, beta = 0.99 given by position, 3 layers",
               (params, random_grads(rng, params), {"v": v}, 0.05, 0.99))
    params = random_params(rng, [2, 3, 3, 3, 1])
    v, _ = random_moments(rng, params)
    yield Case("beta omitted on a later update, 4 layers", (params, random_grads(rng, params), {"v": v}, 0.3))
    params = {"p": rng.normal(size=2)}
    yield Case('beta = 0 (plain gradient descent), one parameter "p"',
               (params, random_grads(rng, params), {"v": {"p": rng.normal(size=2)}}, 0.1), {"beta": 0.0})


def rmsprop_update_cases():
    rng = np.random.default_rng(604)
    params = random_params(rng, [2, 4, 1])
    yield Case("the first update (s = 0), beta and epsilon omitted, 2 layers",
               (params, random_grads(rng, params), initialize_optimizer_state(params, "rmsprop"), 0.01))
    params = random_params(rng, [5, 3, 4, 2])
    _, s = random_moments(rng, params)
    yield Case("a later update, beta = 0.99, 3 layers", (params, random_grads(rng, params), {"s": s}, 0.02),
               {"beta": 0.99})
    params = random_params(rng, [3, 2, 1])
    _, s = random_moments(rng, params, scale=0.1)
    yield Case("epsilon = 0.1 comparable to the gradients (about 0.1): where epsilon goes matters",
               (params, random_grads(rng, params, 0.1), {"s": s}, 0.05), {"epsilon": 0.1})
    params = random_params(rng, [2, 3, 1])
    yield Case("gradients of about 1e-5 on the first update with epsilon 1e-8: sqrt(s) is near 3e-6",
               (params, random_grads(rng, params, 1e-5), initialize_optimizer_state(params, "rmsprop"), 0.01))
    params = random_params(rng, [3, 1])
    grads = random_grads(rng, params)
    grads["dW1"][0, 1] = 0.0
    grads["db1"][0, 0] = 0.0
    yield Case("zero gradient entries on the first update (their step is 0, not nan)",
               (params, grads, initialize_optimizer_state(params, "rmsprop"), 0.1, 0.9, 1e-8))
    params = {"p": rng.normal(size=2)}
    _, s = random_moments(rng, params)
    yield Case('one parameter "p", beta = 0.5 by position', (params, random_grads(rng, params), {"s": s}, 0.1, 0.5))


def adam_state(rng, params, t, scale=1.0):
    if t == 0:
        return initialize_optimizer_state(params, "adam")
    v, s = random_moments(rng, params, scale)
    return {"v": v, "s": s, "t": t}


def adam_update_cases():
    rng = np.random.default_rng(605)
    params = random_params(rng, [2, 4, 1])
    yield Case("the first update (t = 0 before it), every default omitted (learning rate 0.001), 2 layers",
               (params, random_grads(rng, params), adam_state(rng, params, 0)))
    params = random_params(rng, [3, 2, 1])
    yield Case("a later update, t = 9 before it, learning rate 0.05",
               (params, random_grads(rng, params), adam_state(rng, params, 9), 0.05))
    params = random_params(rng, [3, 1])
    yield Case("beta1 = 0.5 and beta2 = 0.9 (not the defaults), t = 0, learning rate 0.1",
               (params, random_grads(rng, params), adam_state(rng, params, 0), 0.1), {"beta1": 0.5, "beta2": 0.9})
    params = random_params(rng, [2, 3, 1])
    yield Case("beta1 = 0.8, beta2 = 0.99 by position, t = 3 before it",
               (params, random_grads(rng, params), adam_state(rng, params, 3), 0.02, 0.8, 0.99))
    params = random_params(rng, [3, 2, 1])
    yield Case("epsilon = 0.1 comparable to the gradients (about 0.1), t = 2: where epsilon goes matters",
               (params, random_grads(rng, params, 0.1), adam_state(rng, params, 2, 0.1), 0.05), {"epsilon": 0.1})
    params = random_params(rng, [2, 3, 1])
    yield Case("gradients of about 1e-6 on the first update: the step is still about the learning rate",
               (params, random_grads(rng, params, 1e-6), adam_state(rng, params, 0), 0.01))
    params = random_params(rng, [5, 3, 4, 2])
    yield Case("3 layers, t = 1 before it (the second update)",
               (params, random_grads(rng, params), adam_state(rng, params, 1), 0.03))
    params = {"p": rng.normal(size=2)}
    yield Case('one parameter "p", the first update, learning rate 0.2',
               (params, random_grads(rng, params, 50.0), adam_state(rng, params, 0), 0.2))


def step_decay_cases():
    yield Case("epoch 0, drop and epochs_per_drop omitted (0.5 and 5)", (0.1, 0))
    yield Case("epoch 3 (3 / 5 rounds to 1, but floors to 0)", (0.2, 3))
    yield Case("epoch 4, the last epoch before the first drop", (0.1, 4))
    yield Case("epoch 5, the first epoch of the halved rate", (0.1, 5))
    yield Case("epoch 12", (0.1, 12))
    yield Case("drop = 0.1 every 3 epochs, epoch 7", (1.0, 7), {"drop": 0.1, "epochs_per_drop": 3})
    yield Case("epochs_per_drop = 1 given by position, drop 0.5, epoch 3", (0.08, 3, 0.5, 1))
    yield Case("drop = 1 (no decay), epoch 20", (0.3, 20), {"drop": 1.0})
    yield Case("epochs_per_drop = 10, epoch 9 and learning rate 2", (2.0, 9), {"epochs_per_drop": 10})
    yield Case("epoch 25, five halvings", (0.64, 25))


def exponential_decay_cases():
    yield Case("epoch 0, decay_rate omitted (0.95)", (0.1, 0))
    yield Case("epoch 1", (0.1, 1))
    yield Case("epoch 10", (0.05, 10))
    yield Case("decay_rate = 0.5, epoch 3", (1.0, 3), {"decay_rate": 0.5})
    yield Case("decay_rate = 0.99 by position, epoch 100", (0.2, 100, 0.99))
    yield Case("decay_rate = 1 (no decay), epoch 7", (0.3, 7), {"decay_rate": 1.0})
    yield Case("learning rate 3, decay_rate 0.8, epoch 6", (3.0, 6, 0.8))


def least_squares_data(rng, n_x, m, n_y=1):
    """Inputs and targets of a noisy linear relation, as least_squares.squared_error expects."""
    X = rng.normal(size=(n_x, m))
    Y = rng.normal(size=(n_y, n_x)) @ X + 0.3 + 0.1 * rng.normal(size=(n_y, m))
    return X, Y


ONE_OVER_T = Function("lambda rate, epoch: rate / (1 + epoch)")
HALVE_EVERY_2 = Function("lambda rate, epoch: rate * 0.5 ** (epoch // 2)")


def train_with_optimizer_cases():
    rng = np.random.default_rng(606)
    X, Y = least_squares_data(rng, 3, 12)
    yield Case("least squares, sgd, m = 12 in batches of 5 (the last of 2), 4 epochs, schedule omitted",
               (X, Y, initialize_linear(3), squared_error, "sgd", 0.1, 4, 5, np.random.default_rng(11)))
    X, Y = least_squares_data(rng, 2, 8, n_y=2)
    yield Case("least squares with 2 outputs, momentum, 2 batches of 4 an epoch, 7 epochs, step_decay",
               (X, Y, initialize_linear(2, 2), squared_error, "momentum", 0.2, 7, 4, np.random.default_rng(12)),
               {"schedule": step_decay})
    X, Y = make_spirals(20, seed=61)
    yield Case("chapter 4's MLP (2, 4, 1) with tanh units, adam, m = 20 in batches of 8, 6 epochs, exponential_decay",
               (X, Y, random_params(rng, [2, 4, 1]), TANH_MLP_MODEL, "adam", 0.05, 6, 8, np.random.default_rng(13),
                exponential_decay))
    X, Y = make_spirals(10, seed=62)
    yield Case("logistic regression, rmsprop, batches of 3, 3 epochs, a 1/t schedule rate / (1 + epoch)",
               (X, Y, random_params(rng, [2, 1]), LOGISTIC_MODEL, "rmsprop", 0.05, 3, 3, np.random.default_rng(14)),
               {"schedule": ONE_OVER_T})
    X, Y = least_squares_data(rng, 2, 5)
    yield Case("least squares, adam, batch_size 1 (5 updates an epoch), 3 epochs: t counts all 15 updates",
               (X, Y, initialize_linear(2), squared_error, "adam", 0.1, 3, 1, np.random.default_rng(15)))
    X, Y = make_spirals(12, seed=63)
    yield Case("chapter 4's MLP, sgd, batch_size 20 larger than m = 12, 5 epochs, halving every 2 epochs",
               (X, Y, random_params(rng, [2, 3, 1]), TANH_MLP_MODEL, "sgd", 1.0, 5, 20, np.random.default_rng(16),
                HALVE_EVERY_2))
    X, Y = least_squares_data(rng, 3, 6)
    yield Case("num_epochs = 0 (the parameters come back unchanged, one cost)",
               (X, Y, initialize_linear(3), squared_error, "adam", 0.1, 0, 2, np.random.default_rng(17)))
    X, Y = make_spirals(9, seed=64)
    yield Case("chapter 4's MLP, momentum, batches of 4, 4 epochs",
               (X, Y, random_params(rng, [2, 3, 1]), TANH_MLP_MODEL, "momentum", 0.5, 4, 4, np.random.default_rng(18)))


def compare_optimizers_cases():
    rng = np.random.default_rng(607)
    X, Y = least_squares_data(rng, 3, 12)
    yield Case("least squares, the four optimizers, m = 12 in batches of 4, 3 epochs, schedule omitted",
               (X, Y, initialize_linear(3), squared_error, {"sgd": 0.1, "momentum": 0.1, "rmsprop": 0.01,
                                                            "adam": 0.05}, 3, 4, 0))
    X, Y = least_squares_data(rng, 2, 11, n_y=2)
    start = {"W": rng.normal(size=(2, 2)), "b": rng.normal(size=(2, 1))}
    yield Case("adam listed before sgd, a random start, m = 11 in batches of 5, 3 epochs, exponential_decay",
               (X, Y, start, squared_error, {"adam": 0.1, "sgd": 0.05}, 3, 5, 7, exponential_decay))
    X, Y = least_squares_data(rng, 2, 7)
    yield Case("one optimizer, num_epochs = 0", (X, Y, initialize_linear(2), squared_error, {"momentum": 0.1}, 0, 3, 1))
    X, Y = least_squares_data(rng, 4, 10)
    yield Case("rmsprop and momentum, batches of 3, 6 epochs, step_decay by keyword",
               (X, Y, initialize_linear(4), squared_error, {"rmsprop": 0.02, "momentum": 0.2}, 6, 3, 5),
               {"schedule": step_decay})


CHECKS = {
    "random_mini_batches": Check(random_mini_batches_cases),
    "initialize_optimizer_state": Check(initialize_optimizer_state_cases),
    "sgd_update": Check(sgd_update_cases),
    "momentum_update": Check(momentum_update_cases),
    "rmsprop_update": Check(rmsprop_update_cases),
    "adam_update": Check(adam_update_cases),
    "step_decay": Check(step_decay_cases),
    "exponential_decay": Check(exponential_decay_cases),
    "train_with_optimizer": Check(train_with_optimizer_cases),
    "compare_optimizers": Check(compare_optimizers_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

@mutant_of("random_mini_batches")
def random_mini_batches_drops_last(X, Y, batch_size, rng):
    """The last, smaller batch is dropped: keep it, so every example is used once an epoch."""
    m = X.shape[1]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k * batch_size:(k + 1) * batch_size], Y[:, k * batch_size:(k + 1) * batch_size])
            for k in range(m // batch_size)]


@mutant_of("random_mini_batches")
def random_mini_batches_two_permutations(X, Y, batch_size, rng):
    """X and Y are shuffled with two different permutations, so examples lose their labels: draw one order and use it for both."""
    m = X.shape[1]
    X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
    return [(X[:, k:k + batch_size], Y[:, k:k + batch_size]) for k in range(0, m, batch_size)]


@mutant_of("random_mini_batches")
def random_mini_batches_not_shuffled(X, Y, batch_size, rng):
    """The examples are not shuffled: draw order = rng.permutation(m) and reorder the columns first."""
    m = X.shape[1]
    return [(X[:, k:k + batch_size], Y[:, k:k + batch_size]) for k in range(0, m, batch_size)]


@mutant_of("random_mini_batches")
def random_mini_batches_empty_last(X, Y, batch_size, rng):
    """An empty last batch is added when batch_size divides m: add the partial batch only if m % batch_size != 0."""
    m = X.shape[1]
    order = rng.permutation(m)
    X, Y = X[:, order], Y[:, order]
    full = m // batch_size
    batches = [(X[:, k * batch_size:(k + 1) * batch_size], Y[:, k * batch_size:(k + 1) * batch_size])
               for k in range(full)]
    batches.append((X[:, full * batch_size:], Y[:, full * batch_size:]))
    return batches


@mutant_of("random_mini_batches")
def random_mini_batches_global_generator(X, Y, batch_size, rng):
    """np.random.permutation uses NumPy's global generator: draw the order from the rng argument, rng.permutation(m)."""
    m = X.shape[1]
    order = np.random.permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k:k + batch_size], Y[:, k:k + batch_size]) for k in range(0, m, batch_size)]


@mutant_of("random_mini_batches")
def random_mini_batches_permutation_per_batch(X, Y, batch_size, rng):
    """Each batch draws a permutation of its own, so batches overlap and miss examples: draw one order for the epoch."""
    m = X.shape[1]
    batches = []
    for _ in range(0, m, batch_size):
        chosen = rng.permutation(m)[:batch_size]
        batches.append((X[:, chosen], Y[:, chosen]))
    return batches


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_t_from_one(params, optimizer):
    """Adam's t starts at 1: it counts the updates made, 0 before the first (the update makes it 1)."""
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer == "adam":
        state["t"] = 1
    return state


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_gradient_keys(params, optimizer):
    """The moments are keyed "dW1", "db1", ... like the gradients: key them like params ("W1", "b1", ...)."""
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {"d" + k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {"d" + k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer == "adam":
        state["t"] = 0
    return state


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_scalar_zeros(params, optimizer):
    """The moments start as the number 0: make an array of zeros with each parameter's shape."""
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {k: 0.0 for k in params}
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {k: 0.0 for k in params}
    if optimizer == "adam":
        state["t"] = 0
    return state


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_copies_params(params, optimizer):
    """The moments start as copies of the parameters: they start at zero (np.zeros_like)."""
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {k: p.copy() for k, p in params.items()}
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {k: p.copy() for k, p in params.items()}
    if optimizer == "adam":
        state["t"] = 0
    return state


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_no_t(params, optimizer):
    """Adam's state has no "t": it holds {"v": ..., "s": ..., "t": 0}."""
    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = {k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer in ("rmsprop", "adam"):
        state["s"] = {k: np.zeros(p.shape) for k, p in params.items()}
    return state


@mutant_of("initialize_optimizer_state")
def initialize_optimizer_state_bare_moments(params, optimizer):
    """The state is the moment dict itself: momentum's state is {"v": v}, RMSprop's {"s": s}."""
    zeros = {k: np.zeros(p.shape) for k, p in params.items()}
    if optimizer in ("momentum", "rmsprop"):
        return zeros
    if optimizer == "adam":
        return {"v": zeros, "s": {k: np.zeros(p.shape) for k, p in params.items()}, "t": 0}
    return {}


@mutant_of("sgd_update")
def sgd_update_ascent(params, grads, state, learning_rate):
    """The step goes up the gradient: P - learning_rate * dP, with a minus."""
    return {k: p + learning_rate * grads["d" + k] for k, p in params.items()}, state


@mutant_of("sgd_update")
def sgd_update_in_place(params, grads, state, learning_rate):
    """params[key] -= ... changes the caller's arrays: build new arrays, P - learning_rate * dP."""
    for k in params:
        params[k] -= learning_rate * grads["d" + k]
    return params, state


@mutant_of("sgd_update")
def sgd_update_weights_only(params, grads, state, learning_rate):
    """Only the weights W are updated: every parameter of params takes a step, the biases too."""
    new = dict(params)
    for k in params:
        if k.startswith("W"):
            new[k] = params[k] - learning_rate * grads["d" + k]
    return new, state


@mutant_of("sgd_update")
def sgd_update_skips_last_layer(params, grads, state, learning_rate):
    """range(1, L) leaves out layer L: loop over l = 1, ..., L, or simply over the keys of params."""
    L = len(params) // 2
    new = dict(params)
    for l in range(1, L):
        new[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new, state


@mutant_of("sgd_update")
def sgd_update_params_only(params, grads, state, learning_rate):
    """Only the new params are returned: every update returns the tuple (params, state)."""
    return {k: p - learning_rate * grads["d" + k] for k, p in params.items()}


@mutant_of("momentum_update")
def momentum_update_without_one_minus_beta(params, grads, state, learning_rate, beta=0.9):
    """v = beta v + dP leaves out the (1 - beta): momentum here is the average v = beta v + (1 - beta) dP."""
    v = {k: beta * state["v"][k] + grads["d" + k] for k in params}
    return {k: params[k] - learning_rate * v[k] for k in params}, {"v": v}


@mutant_of("momentum_update")
def momentum_update_weights_swapped(params, grads, state, learning_rate, beta=0.9):
    """beta and 1 - beta are swapped: the old velocity keeps the weight beta, v = beta v + (1 - beta) dP."""
    v = {k: (1 - beta) * state["v"][k] + beta * grads["d" + k] for k in params}
    return {k: params[k] - learning_rate * v[k] for k in params}, {"v": v}


@mutant_of("momentum_update")
def momentum_update_old_velocity(params, grads, state, learning_rate, beta=0.9):
    """The step uses the old velocity: update v first, then step with the new v."""
    new = {k: params[k] - learning_rate * state["v"][k] for k in params}
    v = {k: beta * state["v"][k] + (1 - beta) * grads["d" + k] for k in params}
    return new, {"v": v}


@mutant_of("momentum_update")
def momentum_update_steps_along_gradient(params, grads, state, learning_rate, beta=0.9):
    """The velocity is computed but the step uses the gradient: step with P - learning_rate * v."""
    v = {k: beta * state["v"][k] + (1 - beta) * grads["d" + k] for k in params}
    return {k: params[k] - learning_rate * grads["d" + k] for k in params}, {"v": v}


@mutant_of("momentum_update")
def momentum_update_velocity_form(params, grads, state, learning_rate, beta=0.9):
    """The velocity form v = beta v - learning_rate dP, P = P + v (CS231n's notes) is another momentum: here v = beta v + (1 - beta) dP and P = P - learning_rate v."""
    v = {k: beta * state["v"][k] - learning_rate * grads["d" + k] for k in params}
    return {k: params[k] + v[k] for k in params}, {"v": v}


@mutant_of("momentum_update")
def momentum_update_in_place(params, grads, state, learning_rate, beta=0.9):
    """state["v"][key] *= beta ... changes the caller's state: compute new arrays for v."""
    v = state["v"]
    for k in params:
        v[k] *= beta
        v[k] += (1 - beta) * grads["d" + k]
    return {k: params[k] - learning_rate * v[k] for k in params}, {"v": v}


@mutant_of("rmsprop_update")
def rmsprop_update_epsilon_inside(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """epsilon is inside the square root: divide by sqrt(s) + epsilon."""
    s = {k: beta * state["s"][k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
    return {k: params[k] - learning_rate * grads["d" + k] / np.sqrt(s[k] + epsilon) for k in params}, {"s": s}


@mutant_of("rmsprop_update")
def rmsprop_update_raw_gradient(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """s averages the raw gradient: RMSprop averages its square, s = beta s + (1 - beta) dP ** 2."""
    s = {k: beta * state["s"][k] + (1 - beta) * grads["d" + k] for k in params}
    with np.errstate(invalid="ignore"):
        return {k: params[k] - learning_rate * grads["d" + k] / (np.sqrt(s[k]) + epsilon) for k in params}, {"s": s}


@mutant_of("rmsprop_update")
def rmsprop_update_without_root(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """The step is divided by s itself: divide by its square root, sqrt(s) + epsilon (the root of the mean square)."""
    s = {k: beta * state["s"][k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
    return {k: params[k] - learning_rate * grads["d" + k] / (s[k] + epsilon) for k in params}, {"s": s}


@mutant_of("rmsprop_update")
def rmsprop_update_without_one_minus_beta(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """s = beta s + dP ** 2 leaves out the (1 - beta): s is the average s = beta s + (1 - beta) dP ** 2."""
    s = {k: beta * state["s"][k] + grads["d" + k] ** 2 for k in params}
    return {k: params[k] - learning_rate * grads["d" + k] / (np.sqrt(s[k]) + epsilon) for k in params}, {"s": s}


@mutant_of("rmsprop_update")
def rmsprop_update_old_average(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """The step divides by the old average: update s with this gradient first, then divide by sqrt(s_new) + epsilon."""
    s = {k: beta * state["s"][k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
    with np.errstate(divide="ignore", invalid="ignore"):
        new = {k: params[k] - learning_rate * grads["d" + k] / (np.sqrt(state["s"][k]) + epsilon) for k in params}
    return new, {"s": s}


@mutant_of("rmsprop_update")
def rmsprop_update_without_epsilon(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """epsilon is not added (0 / 0 where a gradient is 0): divide by sqrt(s) + epsilon."""
    s = {k: beta * state["s"][k] + (1 - beta) * grads["d" + k] ** 2 for k in params}
    with np.errstate(divide="ignore", invalid="ignore"):
        return {k: params[k] - learning_rate * grads["d" + k] / np.sqrt(s[k]) for k in params}, {"s": s}


@mutant_of("adam_update")
def adam_update_no_bias_correction(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """There is no bias correction: divide v by 1 - beta1 ** t and s by 1 - beta2 ** t before the step."""
    t = state["t"] + 1
    v = {k: beta1 * state["v"][k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {k: beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    return {k: params[k] - learning_rate * v[k] / (np.sqrt(s[k]) + epsilon) for k in params}, {"v": v, "s": s, "t": t}


@mutant_of("adam_update")
def adam_update_correction_with_old_t(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999,
                                      epsilon=1e-8):
    """The bias correction uses t before it is incremented (t from 0): t counts from 1 at the first update, so increment it first."""
    t = state["t"]
    v = {k: beta1 * state["v"][k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {k: beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    with np.errstate(divide="ignore", invalid="ignore"):
        new = {k: params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
               for k in params}
    return new, {"v": v, "s": s, "t": t + 1}


@mutant_of("adam_update")
def adam_update_epsilon_inside(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """epsilon is inside the square root: divide by sqrt(s_hat) + epsilon."""
    t = state["t"] + 1
    v = {k: beta1 * state["v"][k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {k: beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / np.sqrt(s[k] / (1 - beta2 ** t) + epsilon)
           for k in params}
    return new, {"v": v, "s": s, "t": t}


@mutant_of("adam_update")
def adam_update_betas_swapped(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """beta1 and beta2 are swapped: beta1 averages the gradient (v), beta2 its square (s)."""
    t = state["t"] + 1
    v = {k: beta2 * state["v"][k] + (1 - beta2) * grads["d" + k] for k in params}
    s = {k: beta1 * state["s"][k] + (1 - beta1) * grads["d" + k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * (v[k] / (1 - beta2 ** t)) / (np.sqrt(s[k] / (1 - beta1 ** t)) + epsilon)
           for k in params}
    return new, {"v": v, "s": s, "t": t}


@mutant_of("adam_update")
def adam_update_t_not_incremented(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """The returned state keeps the old t: return t + 1, the number of updates made including this one."""
    t = state["t"] + 1
    v = {k: beta1 * state["v"][k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {k: beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    return new, {"v": v, "s": s, "t": state["t"]}


@mutant_of("adam_update")
def adam_update_stores_corrected(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """The state keeps the bias-corrected v_hat and s_hat: keep the uncorrected v and s (the correction is redone from t)."""
    t = state["t"] + 1
    v = {k: (beta1 * state["v"][k] + (1 - beta1) * grads["d" + k]) / (1 - beta1 ** t) for k in params}
    s = {k: (beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2) / (1 - beta2 ** t) for k in params}
    return {k: params[k] - learning_rate * v[k] / (np.sqrt(s[k]) + epsilon) for k in params}, {"v": v, "s": s, "t": t}


@mutant_of("adam_update")
def adam_update_in_place(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """state["t"] += 1 and the moments updated in place change the caller's state: build a new state dict."""
    state["t"] += 1
    t = state["t"]
    new = {}
    for k in params:
        state["v"][k] = beta1 * state["v"][k] + (1 - beta1) * grads["d" + k]
        state["s"][k] = beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2
        new[k] = params[k] - learning_rate * (state["v"][k] / (1 - beta1 ** t)) / (
            np.sqrt(state["s"][k] / (1 - beta2 ** t)) + epsilon)
    return new, state


@mutant_of("step_decay")
def step_decay_without_floor(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """Without the floor the rate falls every epoch (that is exponential decay): use floor(epoch / epochs_per_drop)."""
    return learning_rate0 * drop ** (epoch / epochs_per_drop)


@mutant_of("step_decay")
def step_decay_epochs_from_one(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """The epochs are counted from 1: the first epoch is epoch 0, so the first drop comes at epoch = epochs_per_drop."""
    return learning_rate0 * drop ** ((epoch + 1) // epochs_per_drop)


@mutant_of("step_decay")
def step_decay_times_not_power(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """drop multiplies the number of drops: raise it to that power, drop ** floor(epoch / epochs_per_drop)."""
    return learning_rate0 * drop * (epoch // epochs_per_drop)


@mutant_of("step_decay")
def step_decay_rounds(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """round(epoch / epochs_per_drop) drops the rate half-way through a step: use the floor."""
    return learning_rate0 * drop ** round(epoch / epochs_per_drop)


@mutant_of("step_decay")
def step_decay_drop_ignored(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """The rate always halves: multiply by the drop argument, not by 0.5."""
    return learning_rate0 * 0.5 ** (epoch // epochs_per_drop)


@mutant_of("step_decay")
def step_decay_epochs_per_drop_ignored(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """The rate drops every 5 epochs whatever epochs_per_drop says: divide the epoch by epochs_per_drop."""
    return learning_rate0 * drop ** (epoch // 5)


@mutant_of("exponential_decay")
def exponential_decay_one_over_t(learning_rate0, epoch, decay_rate=0.95):
    """learning_rate0 / (1 + decay_rate * epoch) is 1/t (inverse-time) decay: exponential decay is learning_rate0 * decay_rate ** epoch."""
    return learning_rate0 / (1 + decay_rate * epoch)


@mutant_of("exponential_decay")
def exponential_decay_exp_of_rate(learning_rate0, epoch, decay_rate=0.95):
    """exp(-decay_rate * epoch) reads decay_rate as a rate constant: here it is the factor of each epoch, decay_rate ** epoch."""
    return learning_rate0 * float(np.exp(-decay_rate * epoch))


@mutant_of("exponential_decay")
def exponential_decay_epochs_from_one(learning_rate0, epoch, decay_rate=0.95):
    """The first epoch is epoch 0 and keeps learning_rate0: decay_rate ** epoch, not ** (epoch + 1)."""
    return learning_rate0 * decay_rate ** (epoch + 1)


@mutant_of("exponential_decay")
def exponential_decay_fraction_lost(learning_rate0, epoch, decay_rate=0.95):
    """(1 - decay_rate) ** epoch reads decay_rate as the fraction lost: the rate is multiplied by decay_rate itself."""
    return learning_rate0 * (1 - decay_rate) ** epoch


@mutant_of("exponential_decay")
def exponential_decay_rate_ignored(learning_rate0, epoch, decay_rate=0.95):
    """0.95 is hard-coded: use the decay_rate argument."""
    return learning_rate0 * 0.95 ** epoch


@mutant_of("train_with_optimizer")
def train_with_optimizer_decay_every_iteration(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                               batch_size, rng, schedule=None):
    """The schedule is applied every iteration (schedule(learning_rate, iteration)): the rate changes once an epoch, schedule(learning_rate, epoch)."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    iteration = 0
    for epoch in range(num_epochs):
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            rate = learning_rate if schedule is None else schedule(learning_rate, iteration)
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
            iteration += 1
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_decay_compounded(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                          batch_size, rng, schedule=None):
    """The schedule is applied to the last epoch's rate, so the decay compounds: always call schedule(learning_rate, epoch) with the initial rate."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    rate = learning_rate
    for epoch in range(num_epochs):
        if schedule is not None:
            rate = schedule(rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_state_every_epoch(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                           batch_size, rng, schedule=None):
    """The optimizer's state is made afresh every epoch (Adam's t restarts): make it once, before the first epoch."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    for epoch in range(num_epochs):
        state = initialize_optimizer_state(params, optimizer)
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_batch_cost(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                    batch_size, rng, schedule=None):
    """The recorded cost is the last mini-batch's: record the cost on all of (X, Y) after each epoch."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            cost, grads = cost_and_gradients(params, X_batch, Y_batch)
            params, state = update(params, grads, state, rate)
        costs.append(float(cost))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_batches_once(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                      batch_size, rng, schedule=None):
    """The batches are drawn once, before the first epoch, so every epoch repeats one order: call random_mini_batches every epoch."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    batches = random_mini_batches(X, Y, batch_size, rng)
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in batches:
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_schedule_from_one(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                           batch_size, rng, schedule=None):
    """The schedule's epochs are counted from 1: the first epoch is epoch 0 (it trains at learning_rate itself)."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    for epoch in range(1, num_epochs + 1):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("train_with_optimizer")
def train_with_optimizer_no_initial_cost(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                         batch_size, rng, schedule=None):
    """costs has num_epochs + 1 entries: costs[0] is the cost before training, then one after each epoch."""
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    costs = []
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            params, state = update(params, cost_and_gradients(params, X_batch, Y_batch)[1], state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return dict(params), costs


@mutant_of("compare_optimizers")
def compare_optimizers_chained(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                               schedule=None):
    """Each optimizer starts where the previous one stopped: start every optimizer from the same initial params."""
    trained, costs = {}, {}
    current = params
    for name, rate in learning_rates.items():
        current, costs[name] = train_with_optimizer(X, Y, current, cost_and_gradients, name, rate, num_epochs,
                                                    batch_size, np.random.default_rng(seed), schedule)
        trained[name] = current
    return trained, costs


@mutant_of("compare_optimizers")
def compare_optimizers_one_generator(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                     schedule=None):
    """One generator is shared, so each optimizer sees different batches: make np.random.default_rng(seed) afresh for each."""
    rng = np.random.default_rng(seed)
    trained, costs = {}, {}
    for name, rate in learning_rates.items():
        trained[name], costs[name] = train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs,
                                                          batch_size, rng, schedule)
    return trained, costs


@mutant_of("compare_optimizers")
def compare_optimizers_schedule_dropped(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                        schedule=None):
    """The schedule is not passed on: give it to train_with_optimizer for every optimizer."""
    trained, costs = {}, {}
    for name, rate in learning_rates.items():
        trained[name], costs[name] = train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs,
                                                          batch_size, np.random.default_rng(seed))
    return trained, costs


@mutant_of("compare_optimizers")
def compare_optimizers_initial_params(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                      schedule=None):
    """trained holds the initial parameters: store the parameters train_with_optimizer returns."""
    trained, costs = {}, {}
    for name, rate in learning_rates.items():
        _, costs[name] = train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs, batch_size,
                                              np.random.default_rng(seed), schedule)
        trained[name] = params
    return trained, costs


@mutant_of("compare_optimizers")
def compare_optimizers_final_costs(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                   schedule=None):
    """costs[name] is only the final cost: keep the whole curve, the list train_with_optimizer returns."""
    trained, costs = {}, {}
    for name, rate in learning_rates.items():
        trained[name], curve = train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs,
                                                    batch_size, np.random.default_rng(seed), schedule)
        costs[name] = curve[-1]
    return trained, costs


@mutant_of("compare_optimizers")
def compare_optimizers_seed_per_optimizer(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size,
                                          seed, schedule=None):
    """seed + i gives each optimizer its own batches: a fair race uses np.random.default_rng(seed) for every optimizer."""
    trained, costs = {}, {}
    for i, (name, rate) in enumerate(learning_rates.items()):
        trained[name], costs[name] = train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs,
                                                          batch_size, np.random.default_rng(seed + i), schedule)
    return trained, costs


# Correct alternatives: written differently from the reference, each must get full marks.

@alternative_of("random_mini_batches")
def random_mini_batches_split_indices(X, Y, batch_size, rng):
    """Shuffle an index array in place with rng.shuffle, then np.array_split it at multiples of batch_size."""
    m = X.shape[1]
    order = np.arange(m)
    rng.shuffle(order)
    pieces = np.array_split(order, range(batch_size, m, batch_size))
    return [(X[:, piece], Y[:, piece]) for piece in pieces]


@alternative_of("random_mini_batches")
def random_mini_batches_stacked(X, Y, batch_size, rng):
    """Shuffle X and Y stacked into one array with rng.permutation(..., axis=1), then cut it with a while loop."""
    n_x, m = X.shape
    both = rng.permutation(np.vstack([X, Y.astype(np.float64)]), axis=1)
    X_all, Y_all = both[:n_x], both[n_x:].astype(Y.dtype)
    batches, start = [], 0
    while start < m:
        batches.append((X_all[:, start:start + batch_size], Y_all[:, start:start + batch_size]))
        start += batch_size
    return batches


@alternative_of("initialize_optimizer_state")
def initialize_optimizer_state_by_cases(params, optimizer):
    """One branch an optimizer, np.zeros(shape) for each moment."""
    def zeros():
        return {name: np.zeros(np.shape(value)) for name, value in params.items()}

    if optimizer == "sgd":
        return {}
    if optimizer == "momentum":
        return {"v": zeros()}
    if optimizer == "rmsprop":
        return {"s": zeros()}
    return {"v": zeros(), "s": zeros(), "t": 0}


@alternative_of("initialize_optimizer_state")
def initialize_optimizer_state_from_a_table(params, optimizer):
    """A table of the moments each optimizer keeps; zeros as params[key] * 0.0."""
    moments = {"sgd": [], "momentum": ["v"], "rmsprop": ["s"], "adam": ["v", "s"]}[optimizer]
    state = {name: {key: value * 0.0 for key, value in params.items()} for name in moments}
    if optimizer == "adam":
        state["t"] = 0
    return state


@alternative_of("sgd_update")
def sgd_update_on_copies(params, grads, state, learning_rate):
    """Copies of the arrays, then in-place steps on the copies."""
    new = {key: np.array(value, dtype=float) for key, value in params.items()}
    for key in new:
        new[key] -= learning_rate * grads["d" + key]
    return new, state


@alternative_of("sgd_update")
def sgd_update_with_subtract(params, grads, state, learning_rate):
    """np.subtract over (key, value) pairs; the state copied."""
    return {k: np.subtract(v, np.multiply(learning_rate, grads["d" + k])) for k, v in params.items()}, dict(state)


@alternative_of("momentum_update")
def momentum_update_moves_toward_gradient(params, grads, state, learning_rate, beta=0.9):
    """v + (1 - beta) (dP - v), the same average written as a move of v toward the gradient."""
    v = {k: state["v"][k] + (1 - beta) * (grads["d" + k] - state["v"][k]) for k in params}
    return {k: params[k] - learning_rate * v[k] for k in params}, {"v": v}


@alternative_of("momentum_update")
def momentum_update_loop(params, grads, state, learning_rate, beta=0.9):
    """A loop over the keys filling two new dicts, with np.copy and in-place operations on the copies."""
    new_params, new_v = {}, {}
    for key, value in params.items():
        v = np.copy(state["v"][key])
        v *= beta
        v += (1 - beta) * grads["d" + key]
        new_v[key] = v
        new_params[key] = value - learning_rate * v
    return new_params, {"v": new_v}


@alternative_of("rmsprop_update")
def rmsprop_update_moves_toward_square(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """s + (1 - beta) (dP^2 - s), and the root as ** 0.5."""
    s = {k: state["s"][k] + (1 - beta) * (grads["d" + k] * grads["d" + k] - state["s"][k]) for k in params}
    return {k: params[k] - learning_rate * np.divide(grads["d" + k], s[k] ** 0.5 + epsilon) for k in params}, {"s": s}


@alternative_of("rmsprop_update")
def rmsprop_update_loop(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """One loop over the keys; the step written as learning_rate / (root + epsilon) times the gradient."""
    new_params, new_s = {}, {}
    for key in params:
        g = grads["d" + key]
        new_s[key] = beta * state["s"][key] + (1 - beta) * np.square(g)
        new_params[key] = params[key] - (learning_rate / (np.sqrt(new_s[key]) + epsilon)) * g
    return new_params, {"s": new_s}


@alternative_of("adam_update")
def adam_update_paper_efficient_form(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """The reordering at the end of section 2 of the Adam paper: one corrected step size, epsilon scaled to match."""
    t = state["t"] + 1
    alpha_t = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    epsilon_t = epsilon * np.sqrt(1 - beta2 ** t)
    v = {k: beta1 * state["v"][k] + (1 - beta1) * grads["d" + k] for k in params}
    s = {k: beta2 * state["s"][k] + (1 - beta2) * grads["d" + k] ** 2 for k in params}
    return {k: params[k] - alpha_t * v[k] / (np.sqrt(s[k]) + epsilon_t) for k in params}, {"v": v, "s": s, "t": t}


@alternative_of("adam_update")
def adam_update_from_the_other_rules(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """The moments through momentum_update and rmsprop_update with a zero learning rate, then Adam's step."""
    _, momentum_state = momentum_update(params, grads, {"v": state["v"]}, 0.0, beta1)
    _, rmsprop_state = rmsprop_update(params, grads, {"s": state["s"]}, 0.0, beta2, epsilon)
    t = state["t"] + 1
    v, s = momentum_state["v"], rmsprop_state["s"]
    new = {k: params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    return new, {"v": v, "s": s, "t": t}


@alternative_of("adam_update")
def adam_update_loop_with_copies(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Copies of the dicts updated in a loop, the moments written as interpolations."""
    t = state["t"] + 1
    new, v, s = dict(params), dict(state["v"]), dict(state["s"])
    for key in params:
        g = grads["d" + key]
        v[key] = v[key] + (1 - beta1) * (g - v[key])
        s[key] = s[key] + (1 - beta2) * (g * g - s[key])
        new[key] = params[key] - learning_rate * (v[key] / (1 - beta1 ** t)) / (np.sqrt(s[key] / (1 - beta2 ** t)) + epsilon)
    return new, {"v": v, "s": s, "t": t}


@alternative_of("step_decay")
def step_decay_with_math(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """math.pow and math.floor, math imported inside the function."""
    import math

    return learning_rate0 * math.pow(drop, math.floor(epoch / epochs_per_drop))


@alternative_of("step_decay")
def step_decay_by_a_loop(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """Walk the epochs and multiply by drop at every multiple of epochs_per_drop."""
    rate = float(learning_rate0)
    for e in range(1, epoch + 1):
        if e % epochs_per_drop == 0:
            rate *= drop
    return rate


@alternative_of("exponential_decay")
def exponential_decay_through_log(learning_rate0, epoch, decay_rate=0.95):
    """exp(epoch log(decay_rate)) with NumPy, returned as a NumPy float."""
    return learning_rate0 * np.exp(epoch * np.log(decay_rate))


@alternative_of("exponential_decay")
def exponential_decay_by_a_loop(learning_rate0, epoch, decay_rate=0.95):
    """Multiply by decay_rate once an epoch."""
    rate = learning_rate0
    for _ in range(epoch):
        rate = rate * decay_rate
    return float(rate)


@alternative_of("train_with_optimizer")
def train_with_optimizer_by_cases(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs, batch_size,
                                  rng, schedule=None):
    """The optimizer picked with if/elif, the cost in a helper, a copied start."""
    state = initialize_optimizer_state(params, optimizer)
    current = {key: value.copy() for key, value in params.items()}

    def cost():
        return float(cost_and_gradients(current, X, Y)[0])

    costs = [cost()]
    for epoch in range(num_epochs):
        rate = schedule(learning_rate, epoch) if schedule else learning_rate
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            grads = cost_and_gradients(current, X_batch, Y_batch)[1]
            if optimizer == "sgd":
                current, state = sgd_update(current, grads, state, rate)
            elif optimizer == "momentum":
                current, state = momentum_update(current, grads, state, rate)
            elif optimizer == "rmsprop":
                current, state = rmsprop_update(current, grads, state, rate)
            else:
                current, state = adam_update(current, grads, state, rate)
        costs.append(cost())
    return current, costs


@alternative_of("train_with_optimizer")
def train_with_optimizer_own_batches(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs,
                                     batch_size, rng, schedule=None):
    """The epoch's batches cut by hand from one rng.permutation(m), the rates of all epochs listed first."""
    step = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    rates = [learning_rate if schedule is None else schedule(learning_rate, e) for e in range(num_epochs)]
    m = X.shape[1]
    state = initialize_optimizer_state(params, optimizer)
    costs = [cost_and_gradients(params, X, Y)[0]]
    for rate in rates:
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            params, state = step(params, cost_and_gradients(params, X[:, batch], Y[:, batch])[1], state, rate)
        costs.append(cost_and_gradients(params, X, Y)[0])
    return dict(params), [float(c) for c in costs]


@alternative_of("compare_optimizers")
def compare_optimizers_comprehension(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                     schedule=None):
    """One dict of results, split into two with comprehensions."""
    results = {name: train_with_optimizer(X, Y, params, cost_and_gradients, name, rate, num_epochs, batch_size,
                                          np.random.default_rng(seed), schedule=schedule)
               for name, rate in learning_rates.items()}
    return {name: r[0] for name, r in results.items()}, {name: r[1] for name, r in results.items()}


@alternative_of("compare_optimizers")
def compare_optimizers_deep_copies(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed,
                                   schedule=None):
    """A deep copy of the start for every optimizer, keyword arguments, and a Generator(PCG64(seed))."""
    import copy

    trained, costs = {}, {}
    for name in learning_rates:
        trained[name], costs[name] = train_with_optimizer(
            X, Y, copy.deepcopy(params), cost_and_gradients, optimizer=name, learning_rate=learning_rates[name],
            num_epochs=num_epochs, batch_size=batch_size, rng=np.random.Generator(np.random.PCG64(seed)),
            schedule=schedule)
    return trained, costs
