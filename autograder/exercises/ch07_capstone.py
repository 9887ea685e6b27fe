"""Grading data of chapter 7 (the capstone): hidden cases, mutants and correct alternatives.

The exercises begin with the tools the network needs from chapters 3, 5 and 6, graded again
because the capstone's training calls them, each with its own chapter's grading data
(``borrow``: the same hidden cases, mutants and alternatives, not repeated here): chapter 3's
softmax and cross_entropy_gradient, chapter 5's initialize_he, chapter 6's mini-batches,
Adam state and Adam step. Then dropout, the L2 term, the network's gradients and its training. (One-hot labels and
the learning-rate schedule come in as arguments, which keeps the notebook at eleven
functions.)

Dropout is checked twice over: by its statistics (the kept fraction is keep_prob, the mean
is preserved, test time is the identity), which name a mistake in the student's terms, and
exactly, given the generator and the documented draw. The training function has many right
answers (any order of draws), so a judge decides it by the accuracy its parameters reach on
the case's development set, and by whether its history records those parameters.
"""
import inspect

import numpy as np

from autograder.exercises import Case, Check, Function, borrow, catalogue
from autograder.exercises import ch03_softmax as chapter3
from autograder.exercises import ch05_initialization as chapter5
from autograder.exercises import ch06_optimization as chapter6
from autograder.judging.checking import describe, mismatch, run_case
from nnbook.data import load_digits
# Graded functions that mutants and alternatives call by name, as a student's notebook would.
from solutions.ch03_softmax import one_hot
from solutions.ch07_capstone import (adam_update, cross_entropy_gradient, dropout_backward, dropout_forward,  # noqa: F401
                                     initialize_he, initialize_optimizer_state, l2_regularization,
                                     random_mini_batches, regularized_gradients, softmax, logits_at_test_time,
                                     train_digits)

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

def small_params(rng, sizes):
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1]))
        params[f"b{l}"] = rng.normal(size=(sizes[l], 1))
    return params


def dropout_forward_cases():
    ones = np.ones((100, 200))
    yield Case("a (100, 200) array of ones, keep_prob 0.8, training omitted (the kept fraction and the mean)",
               (ones, 0.8, np.random.default_rng(1)))
    activations = np.random.default_rng(710).random((40, 250)) * 3.0
    yield Case("(40, 250) activations in [0, 3], keep_prob 0.3", (activations, 0.3, np.random.default_rng(2)), {"training": True})
    yield Case("test time: training=False, keep_prob 0.5, rng None (dropout is off)",
               (activations[:6, :9], 0.5, None), {"training": False})
    yield Case("keep_prob 1.0 (everything is kept, one draw all the same)", (activations[:4, :7], 1.0, np.random.default_rng(3)))
    rng = np.random.default_rng(711)
    yield Case("m = 1: a (5, 1) column, keep_prob 0.6", (rng.random((5, 1)), 0.6, np.random.default_rng(4)))
    yield Case("(7, 13) activations with negative entries, keep_prob 0.75", (rng.normal(size=(7, 13)), 0.75,
                                                                              np.random.default_rng(5)))
    yield Case("training=False by position with a generator (it must not be used)",
               (rng.random((3, 4)), 0.2, np.random.default_rng(6), False))


def dropout_backward_cases():
    rng = np.random.default_rng(712)
    for shape, keep_prob in [((4, 6), 0.8), ((3, 1), 0.6), ((8, 5), 0.3), ((2, 2), 1.0), ((30, 40), 0.5)]:
        mask = rng.random(shape) < keep_prob
        yield Case(f"random dA_dropped and mask of shape {shape}, keep_prob {keep_prob}",
                   (rng.normal(size=shape), mask, keep_prob))
    yield Case("a mask that drops everything", (rng.normal(size=(3, 4)), np.zeros((3, 4), dtype=bool), 0.7))


def l2_cases():
    rng = np.random.default_rng(713)
    yield Case("one layer W1: (2, 3), lambd 0.7, m 5", (small_params(rng, [3, 2]), 0.7, 5))
    yield Case("two layers [4, 3, 2], lambd 0.1, m 10 (biases nonzero: they are not penalized)",
               (small_params(rng, [4, 3, 2]), 0.1, 10))
    yield Case("three layers [5, 6, 4, 3], lambd 2.0, m 1", (small_params(rng, [5, 6, 4, 3]), 2.0, 1))
    yield Case("lambd 0 (no regularization)", (small_params(rng, [2, 2, 2]), 0.0, 3))
    yield Case("the digits network [64, 32, 10], lambd 0.5, m 32", (small_params(rng, [64, 32, 10]), 0.5, 32))


def network_inputs(rng, sizes, m):
    return rng.random((sizes[0], m)), small_params(rng, sizes)


NETWORKS = [  # (layer sizes, m, keep_prob)
    ([4, 5, 3], 6, 0.8),
    ([3, 6, 4, 2], 5, 0.5),
    ([2, 3], 4, 0.7),
    ([5, 4, 4, 4, 3], 1, 0.6),
    ([6, 8, 10], 9, 1.0),
]


def network_label(sizes, m, keep_prob):
    depth = "no hidden layer" if len(sizes) == 2 else f"{len(sizes) - 2} hidden layers"
    return f"{depth}, sizes {sizes}, m = {m}, keep_prob {keep_prob}"


def gradients_cases():
    rng = np.random.default_rng(715)
    for i, (sizes, m, keep_prob) in enumerate(NETWORKS):
        X, params = network_inputs(rng, sizes, m)
        Y = one_hot(rng.integers(0, sizes[-1], size=(1, m)), sizes[-1])
        lambd = [0.3, 0.0, 1.0, 0.5, 0.2][i]
        yield Case(network_label(sizes, m, keep_prob) + f", lambd {lambd}",
                   (params, X, Y, keep_prob, lambd, np.random.default_rng(40 + i)))
    X, params = network_inputs(rng, [3, 4, 4, 3], 6)
    params["b1"][:2] = -50.0
    yield Case("two hidden ReLU units that are off for every example (their Z < 0), keep_prob 0.8, lambd 0.4",
               (params, X, one_hot(np.array([[0, 1, 2, 0, 1, 2]]), 3), 0.8, 0.4, np.random.default_rng(50)))


def digits_subset(m_train, m_dev):
    """The first examples of the book's digits split, pixels divided by 16, labels one-hot."""
    digits = load_digits()
    return (digits.X_train[:, :m_train] / 16, one_hot(digits.Y_train[:, :m_train], 10),
            digits.X_dev[:, :m_dev] / 16, one_hot(digits.Y_dev[:, :m_dev], 10))


#: The development accuracy each training case must reach: the reference reaches at least 0.14 more from
#: every one of 30 seeds (tests/test_solutions_ch07_capstone.py); the mutants that train badly stay below 0.25.
TRAINING_FLOORS = {}


def training_case(label, floor, args, kwargs=None):
    TRAINING_FLOORS[label] = floor
    return Case(label, args, kwargs or {})


def train_digits_cases():
    # Few steps (20 to 30 a case): when a building block fails, each of its calls crosses to the grader.
    data = digits_subset(96, 150)
    yield training_case("96 training digits, sizes [64, 32, 10], every default (10 epochs in batches of 32 at "
                        "rate 0.01)", 0.6, (*data, [64, 32, 10], np.random.default_rng(0)))
    data = digits_subset(120, 150)
    yield training_case("120 training digits, dropout keep_prob 0.8 and lambd 0.3, sizes [64, 48, 10], 6 epochs "
                        "in batches of 30, learning_rate 0.02 halved every 3 epochs by the schedule", 0.65,
                        (*data, [64, 48, 10], np.random.default_rng(1)),
                        {"keep_prob": 0.8, "lambd": 0.3, "learning_rate": 0.02, "num_epochs": 6, "batch_size": 30,
                         "schedule": Function("lambda rate, epoch: rate * 0.5 ** (epoch // 3)")})
    data = digits_subset(160, 150)
    yield training_case("160 training digits, two hidden layers [64, 48, 24, 10], 5 epochs in batches of 40", 0.5,
                        (*data, [64, 48, 24, 10], np.random.default_rng(2), 1.0, 0.0, 0.01, 5, 40))
    yield training_case("num_epochs = 0: the He-initialized parameters and empty histories", None,
                        (*digits_subset(50, 20), [64, 8, 10], np.random.default_rng(3)), {"num_epochs": 0})


def accuracy(params, X, Y):
    return float(np.mean(np.argmax(logits_at_test_time(X, params), axis=0) == np.argmax(Y, axis=0)))


def judge_train_digits(case, output):
    """The parameters are right if they have the documented shapes, reach the case's floor on its
    development set, and the history records their accuracies after the last epoch."""
    call = inspect.signature(train_digits).bind(*case.args, **case.kwargs)
    call.apply_defaults()
    X_train, Y_train, X_dev, Y_dev = (call.arguments[k] for k in ("X_train", "Y_train", "X_dev", "Y_dev"))
    sizes, num_epochs = call.arguments["layer_sizes"], call.arguments["num_epochs"]
    if not isinstance(output, tuple) or len(output) != 2:
        return "the result should be the tuple (params, history)"
    params, history = output
    if not isinstance(params, dict):
        return "params should be a dict with keys 'W1', 'b1', ..."
    for l in range(1, len(sizes)):
        for key, shape in [(f"W{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l], 1))]:
            value = params.get(key)
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype.kind != "f":
                return f"params[{key!r}] should be a float64 array of shape {shape}, got {describe(value)}"
            if not np.all(np.isfinite(value)):
                return f"params[{key!r}] holds inf or nan"
    if not isinstance(history, dict):
        return "history should be a dict with keys 'train_accuracy' and 'dev_accuracy'"
    measured = {"train_accuracy": accuracy(params, X_train, Y_train), "dev_accuracy": accuracy(params, X_dev, Y_dev)}
    for key in measured:
        record = history.get(key)
        if not isinstance(record, list) or len(record) != num_epochs:
            return f"history[{key!r}] should be a list of num_epochs = {num_epochs} accuracies, one an epoch"
        if any(isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 <= value <= 1
               for value in record):
            return f"history[{key!r}] should hold fractions in [0, 1]"
        if num_epochs and abs(record[-1] - measured[key]) > 1e-9:
            return (f"history[{key!r}][-1] is {record[-1]:.4f}, but the returned params classify "
                    f"{measured[key]:.4f} of those digits right at test time: record the accuracy of the params "
                    f"after each epoch, with dropout off")
    floor = TRAINING_FLOORS[case.label]
    if floor is not None and measured["dev_accuracy"] < floor:
        return (f"the trained network classifies {measured['dev_accuracy']:.3f} of the development digits right; "
                f"a correct training reaches at least {floor} here")
    return None


def judge_dropout_forward(case, output):
    """Statistics first (they name the mistake), then the exact draw."""
    reference = run_case(dropout_forward, case)
    call = inspect.signature(dropout_forward).bind(*case.args, **case.kwargs)
    call.apply_defaults()
    A, keep_prob, training = call.arguments["A"], call.arguments["keep_prob"], call.arguments["training"]
    if not isinstance(output, tuple) or len(output) != 2:
        return "the result should be the tuple (A_dropped, mask)"
    A_dropped, mask = output
    for name, value, kind in [("A_dropped", A_dropped, "f"), ("mask", mask, "b")]:
        if not isinstance(value, np.ndarray) or value.shape != A.shape:
            return f"{name} should be an array of the shape of A, {A.shape}"
        if value.dtype.kind != kind:
            return f"{name} has dtype {value.dtype}, expected {'float64' if kind == 'f' else 'bool'}"
    if not training:
        if not (np.all(mask) and np.allclose(A_dropped, A)):
            return "at test time (training=False) dropout is off: A_dropped must equal A and mask be all True"
        return None
    kept = float(np.mean(mask))
    if A.size >= 10000 and abs(kept - keep_prob) > 0.02:
        return (f"the mask keeps {kept:.3f} of the units, but keep_prob = {keep_prob} is the probability "
                f"of KEEPING a unit")
    if not np.allclose(A_dropped, A * mask / keep_prob):
        if A.size >= 10000:
            return (f"the mean activation went from {np.mean(A):.3f} to {np.mean(A_dropped):.3f}: inverted dropout "
                    f"divides the kept units by keep_prob, A_dropped = A * mask / keep_prob, so the mean stays")
        return "A_dropped should be A * mask / keep_prob: the kept units divided by keep_prob, the others 0"
    return mismatch(reference, output)


NOTEBOOK = ("softmax", "cross_entropy_gradient", "initialize_he", "random_mini_batches", "initialize_optimizer_state",
            "adam_update", "dropout_forward", "dropout_backward", "l2_regularization", "regularized_gradients",
            "train_digits")
CHECKS = {
    # The tools of chapters 3, 5 and 6, graded with those chapters' own data.
    **borrow(chapter3, NOTEBOOK[:2], MUTANTS, ALTERNATIVES, NOTEBOOK),
    **borrow(chapter5, NOTEBOOK[2:3], MUTANTS, ALTERNATIVES, NOTEBOOK),
    **borrow(chapter6, NOTEBOOK[3:6], MUTANTS, ALTERNATIVES, NOTEBOOK),
    "dropout_forward": Check(dropout_forward_cases, judge=judge_dropout_forward),
    "dropout_backward": Check(dropout_backward_cases),
    "l2_regularization": Check(l2_cases),
    "regularized_gradients": Check(gradients_cases),
    "train_digits": Check(train_digits_cases, judge=judge_train_digits),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.


@mutant_of("dropout_forward")
def dropout_without_scaling(A, keep_prob, rng, training=True):
    """The kept units are not divided by keep_prob: inverted dropout scales them so the mean stays."""
    if not training:
        return A.copy(), np.ones(A.shape, dtype=bool)
    mask = rng.random(A.shape) < keep_prob
    return A * mask, mask


# The commonest reading of "dropout rate" (Keras's Dropout(rate) drops that fraction).
@mutant_of("dropout_forward")
def dropout_keep_as_drop(A, keep_prob, rng, training=True):
    """keep_prob is the probability of KEEPING a unit; this drops units with probability keep_prob."""
    if not training:
        return A.copy(), np.ones(A.shape, dtype=bool)
    mask = rng.random(A.shape) < 1 - keep_prob
    return A * mask / (1 - keep_prob) if keep_prob < 1 else A * 0.0, mask


@mutant_of("dropout_forward")
def dropout_at_test_time(A, keep_prob, rng, training=True):
    """Dropout must be off at test time: with training=False return A unchanged and draw nothing."""
    mask = rng.random(A.shape) < keep_prob
    return A * mask / keep_prob, mask


@mutant_of("dropout_forward")
def dropout_times_keep_prob(A, keep_prob, rng, training=True):
    """The kept units must be divided by keep_prob, not multiplied by it."""
    if not training:
        return A.copy(), np.ones(A.shape, dtype=bool)
    mask = rng.random(A.shape) < keep_prob
    return A * mask * keep_prob, mask


# The original dropout (Srivastava et al., 2014) scales at test time instead.
@mutant_of("dropout_forward")
def dropout_scaled_at_test_time(A, keep_prob, rng, training=True):
    """This is non-inverted dropout (scaled by keep_prob at test time): scale the kept units at training time."""
    if not training:
        return A * keep_prob, np.ones(A.shape, dtype=bool)
    mask = rng.random(A.shape) < keep_prob
    return A * mask, mask


@mutant_of("dropout_forward")
def dropout_one_mask_per_unit(A, keep_prob, rng, training=True):
    """One mask per unit for the whole batch: every entry, each example's too, needs its own draw."""
    if not training:
        return A.copy(), np.ones(A.shape, dtype=bool)
    mask = np.repeat(rng.random((A.shape[0], 1)) < keep_prob, A.shape[1], axis=1)
    return A * mask / keep_prob, mask


@mutant_of("dropout_forward")
def dropout_binomial_draw(A, keep_prob, rng, training=True):
    """The mask must be drawn as rng.random(A.shape) < keep_prob (rng.binomial draws other numbers)."""
    if not training:
        return A.copy(), np.ones(A.shape, dtype=bool)
    mask = rng.binomial(1, keep_prob, size=A.shape).astype(bool)
    return A * mask / keep_prob, mask


@mutant_of("dropout_backward")
def dropout_backward_without_scaling(dA_dropped, mask, keep_prob):
    """The forward pass divided the kept units by keep_prob: the backward pass must too."""
    return dA_dropped * mask


@mutant_of("dropout_backward")
def dropout_backward_mask_not_reused(dA_dropped, mask, keep_prob):
    """The mask is not reused: the dropped units got no signal forward, so they get no gradient back."""
    return dA_dropped / keep_prob


@mutant_of("dropout_backward")
def dropout_backward_times_keep_prob(dA_dropped, mask, keep_prob):
    """Divide by keep_prob, as the forward pass did; multiplying by it is the wrong way round."""
    return dA_dropped * mask * keep_prob


@mutant_of("dropout_backward")
def dropout_backward_inverted_mask(dA_dropped, mask, keep_prob):
    """The gradient flows through the KEPT units, where mask is True, not through the dropped ones."""
    return dA_dropped * ~mask / keep_prob


@mutant_of("dropout_backward")
def dropout_backward_by_drop_probability(dA_dropped, mask, keep_prob):
    """The scale is 1 / keep_prob, the probability of keeping, not 1 / (1 - keep_prob)."""
    return dA_dropped * mask / (1 - keep_prob) if keep_prob < 1 else dA_dropped * 0.0

@mutant_of("l2_regularization")
def l2_cost_over_m(params, lambd, m):
    """The factor of the cost is lambd / (2 m): the 2 makes the gradient (lambd / m) W."""
    L = len(params) // 2
    cost = lambd / m * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"], grads[f"db{l}"] = lambd / m * params[f"W{l}"], np.zeros(params[f"b{l}"].shape)
    return float(cost), grads


@mutant_of("l2_regularization")
def l2_with_biases(params, lambd, m):
    """Only the weights are penalized: leave the biases out of the cost, and db = 0."""
    cost = lambd / (2 * m) * sum(np.sum(value ** 2) for value in params.values())
    return float(cost), {"d" + key: lambd / m * value for key, value in params.items()}


@mutant_of("l2_regularization")
def l2_norms_not_squared(params, lambd, m):
    """The term sums the SQUARES of the weights, ||W||^2, not the norms ||W||."""
    L = len(params) // 2
    cost = lambd / (2 * m) * sum(np.linalg.norm(params[f"W{l}"]) for l in range(1, L + 1))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"], grads[f"db{l}"] = lambd / m * params[f"W{l}"], np.zeros(params[f"b{l}"].shape)
    return float(cost), grads


@mutant_of("l2_regularization")
def l2_gradient_half(params, lambd, m):
    """The derivative of (lambd / (2 m)) W^2 is (lambd / m) W: the 2 of the square cancels the 1/2."""
    L = len(params) // 2
    cost = lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"], grads[f"db{l}"] = lambd / (2 * m) * params[f"W{l}"], np.zeros(params[f"b{l}"].shape)
    return float(cost), grads


@mutant_of("l2_regularization")
def l2_last_layer_only(params, lambd, m):
    """Every layer's weights are penalized, not only the last layer's."""
    L = len(params) // 2
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"] = lambd / m * params[f"W{l}"] if l == L else np.zeros(params[f"W{l}"].shape)
        grads[f"db{l}"] = np.zeros(params[f"b{l}"].shape)
    return float(lambd / (2 * m) * np.sum(params[f"W{L}"] ** 2)), grads


@mutant_of("l2_regularization")
def l2_without_bias_keys(params, lambd, m):
    """grads needs the keys "db1", ... too, zeros shaped like the biases, to add key by key."""
    L = len(params) // 2
    cost = lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    return float(cost), {f"dW{l}": lambd / m * params[f"W{l}"] for l in range(1, L + 1)}


@mutant_of("l2_regularization")
def l2_mean_of_squares(params, lambd, m):
    """Sum the squares of the weights; np.mean divides by the number of weights too."""
    L = len(params) // 2
    cost = lambd / (2 * m) * sum(np.mean(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"], grads[f"db{l}"] = lambd / m * params[f"W{l}"], np.zeros(params[f"b{l}"].shape)
    return float(cost), grads


@mutant_of("regularized_gradients")
def gradients_without_regularization(params, X, Y, keep_prob, lambd, rng):
    """The regularization gradient is missing: add (lambd / m) W_l to every dW_l."""
    L = len(params) // 2
    A, inputs, Zs, masks = X, [], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        Zs.append(Z)
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob) * (Zs[l - 2] > 0)
    return grads


@mutant_of("regularized_gradients")
def gradients_mask_not_reused(params, X, Y, keep_prob, lambd, rng):
    """The backward pass skips dropout: dA_{l-1} must go through dropout_backward with the forward pass's mask."""
    L, m = len(params) // 2, X.shape[1]
    A, inputs, Zs = X, [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        Zs.append(Z)
        A, _ = dropout_forward(np.maximum(0, Z), keep_prob, rng)
    inputs.append(A)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (params[f"W{l}"].T @ dZ) * (Zs[l - 2] > 0)
    return grads


@mutant_of("regularized_gradients")
def gradients_dropout_on_output(params, X, Y, keep_prob, lambd, rng):
    """Dropout on the output layer: the logits Z_L are never dropped, only the hidden activations."""
    L, m = len(params) // 2, X.shape[1]
    A, inputs, Zs, masks = X, [], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        Zs.append(Z)
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    ZL, output_mask = dropout_forward(params[f"W{L}"] @ A + params[f"b{L}"], keep_prob, rng)
    dZ = dropout_backward(cross_entropy_gradient(ZL, Y), output_mask, keep_prob)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob) * (Zs[l - 2] > 0)
    return grads


@mutant_of("regularized_gradients")
def gradients_dropout_on_inputs(params, X, Y, keep_prob, lambd, rng):
    """Dropout is applied to the inputs X too: only the hidden activations are dropped."""
    L, m = len(params) // 2, X.shape[1]
    A, _ = dropout_forward(X, keep_prob, rng)
    inputs, Zs, masks = [], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        Zs.append(Z)
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob) * (Zs[l - 2] > 0)
    return grads


# CS231n's and micrograd's common mistake: dividing by m in a layer although the loss's gradient has it.
@mutant_of("regularized_gradients")
def gradients_divided_by_m_again(params, X, Y, keep_prob, lambd, rng):
    """cross_entropy_gradient already holds the 1/m: dW_l = dZ_l A_{l-1}^T, with no second division."""
    L, m = len(params) // 2, X.shape[1]
    A, inputs, Zs, masks = X, [], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        Zs.append(Z)
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T / m + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob) * (Zs[l - 2] > 0)
    return grads


@mutant_of("regularized_gradients")
def gradients_without_relu_derivative(params, X, Y, keep_prob, lambd, rng):
    """The ReLU's derivative is missing: dZ_{l-1} = dA_{l-1} * (Z_{l-1} > 0)."""
    L, m = len(params) // 2, X.shape[1]
    A, inputs, masks = X, [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob)
    return grads


@mutant_of("regularized_gradients")
def gradients_input_before_dropout(params, X, Y, keep_prob, lambd, rng):
    """dW_l uses the ReLU's output before dropout: use A_{l-1}, the input layer l really received."""
    L, m = len(params) // 2, X.shape[1]
    A, inputs, Zs, masks = X, [X], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        Zs.append(Z)
        inputs.append(np.maximum(0, Z))
        A, mask = dropout_forward(np.maximum(0, Z), keep_prob, rng)
        masks.append(mask)
    dZ = cross_entropy_gradient(params[f"W{L}"] @ A + params[f"b{L}"], Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + lambd / m * params[f"W{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob) * (Zs[l - 2] > 0)
    return grads


@mutant_of("train_digits")
def train_digits_params_not_kept(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                 num_epochs=10, batch_size=32, schedule=None):
    """adam_update returns NEW params and state: keep them (params, state = adam_update(...))."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            adam_update(params, regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng), state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


@mutant_of("train_digits")
def train_digits_zero_start(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                            num_epochs=10, batch_size=32, schedule=None):
    """Zero weights never break the symmetry (chapter 5), and ReLU units at 0 get no gradient: start from initialize_he."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


@mutant_of("train_digits")
def train_digits_labels_not_shuffled(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                     num_epochs=10, batch_size=32, schedule=None):
    """The examples are shuffled but their labels are not: use the (X_batch, Y_batch) pairs of random_mini_batches."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for k, (X_batch, _) in enumerate(random_mini_batches(X_train, Y_train, batch_size, rng)):
            Y_batch = Y_train[:, k * batch_size:k * batch_size + X_batch.shape[1]]
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


@mutant_of("train_digits")
def train_digits_accuracy_before_epoch(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                       num_epochs=10, batch_size=32, schedule=None):
    """The history is recorded before each epoch's training: entry e is measured AFTER epoch e."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
    return params, history


@mutant_of("train_digits")
def train_digits_accuracy_with_dropout(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                       num_epochs=10, batch_size=32, schedule=None):
    """The accuracies are measured with dropout on: measure the network at test time, every unit on."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        for key, X, Y in [("train_accuracy", X_train, Y_train), ("dev_accuracy", X_dev, Y_dev)]:
            L = len(params) // 2
            A = X
            for l in range(1, L):
                A, _ = dropout_forward(np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"]), keep_prob, rng)
            ZL = params[f"W{L}"] @ A + params[f"b{L}"]
            history[key].append(float(np.mean(np.argmax(ZL, axis=0) == np.argmax(Y, axis=0))))
    return params, history


@mutant_of("train_digits")
def train_digits_one_epoch_short(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                 num_epochs=10, batch_size=32, schedule=None):
    """range(1, num_epochs) trains num_epochs - 1 epochs: epochs count from 0 to num_epochs - 1."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(1, num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


@mutant_of("train_digits")
def train_digits_arguments_swapped(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0, learning_rate=0.01,
                                   num_epochs=10, batch_size=32, schedule=None):
    """regularized_gradients takes keep_prob before lambd: regularized_gradients(params, X, Y, keep_prob, lambd, rng)."""
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0, params[f"W{l}"] @ A + params[f"b{l}"])
        return float(np.mean(np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, lambd, keep_prob, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


# Correct alternatives: written differently from the reference, each must get full marks.


@alternative_of("cross_entropy_gradient")
def gradient_one_example_at_a_time(Z, Y):
    """Each column's softmax minus its one-hot column, divided by the number of columns."""
    m = Z.shape[1]
    return np.hstack([softmax(Z[:, [i]]) - Y[:, [i]] for i in range(m)]) / m


@alternative_of("dropout_forward")
def dropout_with_where(A, keep_prob, rng, training=True):
    """np.where picks A / keep_prob or 0; the test-time mask is np.full(..., True)."""
    A = np.asarray(A, dtype=float)
    if not training:
        return A, np.full(A.shape, True)
    mask = rng.uniform(size=A.shape) < keep_prob
    return np.where(mask, A / keep_prob, 0.0), mask


@alternative_of("dropout_forward")
def dropout_scale_first(A, keep_prob, rng, training=True):
    """Scale everything by 1 / keep_prob, then zero the dropped units with the mask."""
    if training:
        mask = rng.random(A.shape) < keep_prob
        return (A / keep_prob) * mask, mask
    return A.copy(), A == A


@alternative_of("dropout_backward")
def dropout_backward_with_where(dA_dropped, mask, keep_prob):
    """np.where over the mask."""
    return np.where(mask, dA_dropped / keep_prob, 0.0)


@alternative_of("dropout_backward")
def dropout_backward_float_mask(dA_dropped, mask, keep_prob):
    """The mask as floats, times the scale."""
    return dA_dropped * (mask.astype(float) * (1.0 / keep_prob))

@alternative_of("l2_regularization")
def l2_with_norms(params, lambd, m):
    """Squared Frobenius norms of the weight matrices found by their names; one loop over the keys."""
    cost, grads = 0.0, {}
    for key, value in params.items():
        if key.startswith("W"):
            cost += np.linalg.norm(value) ** 2
            grads["d" + key] = (lambd / m) * value
        else:
            grads["d" + key] = np.zeros(value.shape)
    return float(lambd * cost / (2 * m)), grads


@alternative_of("l2_regularization")
def l2_with_vdot(params, lambd, m):
    """Each W's squares summed as a dot product of its entries; the gradient from copies scaled in place."""
    L = len(params) // 2
    cost = sum(np.vdot(params["W%d" % l], params["W%d" % l]) for l in range(1, L + 1)) * lambd / m / 2
    grads = {}
    for l in range(1, L + 1):
        dW = params["W%d" % l].copy()
        dW *= lambd / m
        grads["dW%d" % l], grads["db%d" % l] = dW, np.zeros_like(params["b%d" % l])
    return cost.item(), grads


@alternative_of("regularized_gradients")
def gradients_with_caches(params, X, Y, keep_prob, lambd, rng):
    """A cache a layer, (A_prev, Z, mask); the L2 gradient added after backpropagating the cross-entropy."""
    L = len(params) // 2
    caches, A = [], X
    for l in range(1, L):
        Z = np.dot(params["W%d" % l], A) + params["b%d" % l]
        dropped, mask = dropout_forward(Z * (Z > 0), keep_prob, rng)
        caches.append((A, Z, mask))
        A = dropped
    caches.append((A, None, None))
    dZ = cross_entropy_gradient(np.dot(params["W%d" % L], A) + params["b%d" % L], Y)
    grads = {}
    for l in reversed(range(1, L + 1)):
        A_prev = caches[l - 1][0]
        grads["dW%d" % l], grads["db%d" % l] = np.dot(dZ, A_prev.T), dZ.sum(axis=1, keepdims=True)
        if l > 1:
            _, Z_prev, mask_prev = caches[l - 2]
            dZ = np.where(Z_prev > 0, dropout_backward(np.dot(params["W%d" % l].T, dZ), mask_prev, keep_prob), 0.0)
    _, penalty = l2_regularization(params, lambd, X.shape[1])
    return {key: grads[key] + penalty[key] for key in grads}


@alternative_of("regularized_gradients")
def gradients_written_out(params, X, Y, keep_prob, lambd, rng):
    """Softmax and dropout's backward written out: (P - Y) / m, and the mask divided by keep_prob."""
    L, m = len(params) // 2, X.shape[1]
    activations, pre, masks = [X], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ activations[-1] + params[f"b{l}"]
        mask = rng.random(Z.shape) < keep_prob
        pre.append(Z)
        masks.append(mask)
        activations.append(np.maximum(Z, 0) * mask / keep_prob)
    ZL = params[f"W{L}"] @ activations[-1] + params[f"b{L}"]
    P = np.exp(ZL - ZL.max(axis=0, keepdims=True))
    dZ = (P / P.sum(axis=0, keepdims=True) - Y) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        grads[f"dW{l}"] = dZ @ activations[l - 1].T + lambd * W / m
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dZ = (W.T @ dZ) * masks[l - 2] / keep_prob * (pre[l - 2] > 0)
    return grads


@alternative_of("train_digits")
def train_digits_state_by_hand(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0,
                               learning_rate=0.01, num_epochs=10, batch_size=32, schedule=None):
    """The shuffle, the batches and the accuracies written out; Adam's step from adam_update."""
    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    m, L = X_train.shape[1], len(layer_sizes) - 1

    def predicted(X):
        A = X
        for l in range(1, L):
            A = np.maximum(params[f"W{l}"] @ A + params[f"b{l}"], 0.0)
        return (params[f"W{L}"] @ A + params[f"b{L}"]).argmax(axis=0)

    for epoch in range(num_epochs):
        rate = schedule(learning_rate, epoch) if schedule else learning_rate
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            grads = regularized_gradients(params, X_train[:, batch], Y_train[:, batch], keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, learning_rate=rate)
        for key, X, Y in [("train_accuracy", X_train, Y_train), ("dev_accuracy", X_dev, Y_dev)]:
            history[key].append(float((predicted(X) == Y.argmax(axis=0)).mean()))
    return params, history


@alternative_of("train_digits")
def train_digits_own_generators(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0,
                                learning_rate=0.01, num_epochs=10, batch_size=32, schedule=None):
    """Its own generators for the start, the shuffles and the masks (another order of draws)."""
    start, shuffles, masks = (np.random.default_rng(seed) for seed in rng.integers(0, 2 ** 32, size=3))
    params = initialize_he(layer_sizes, start)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    L = len(layer_sizes) - 1
    for epoch in range(num_epochs):
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, shuffles):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, masks)
            rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
            params, state = adam_update(params, grads, state, rate)
        for key, X, Y in [("train_accuracy", X_train, Y_train), ("dev_accuracy", X_dev, Y_dev)]:
            A = X
            for l in range(1, L):
                A = np.maximum(params[f"W{l}"] @ A + params[f"b{l}"], 0.0)
            right = np.argmax(params[f"W{L}"] @ A + params[f"b{L}"], axis=0) == np.argmax(Y, axis=0)
            history[key].append(np.mean(right).item())
    return params, history
