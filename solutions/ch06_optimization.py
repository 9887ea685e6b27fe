"""Chapter 6: optimization, from mini-batches to Adam and learning-rate decay.

Layout (the book's): examples are columns, X: (n_x, m); targets Y: (n_y, m), e.g. (1, m)
labels in {0, 1}. Parameters are a dict of float64 arrays with any keys, such as chapter
4's MLP {"W1", "b1", ..., "WL", "bL"} for any number of layers L (solutions.ch04_backprop),
and the gradients of a batch are the dict grads with the key "d" + key for every key of
params ("dW1", "db1", ...), grads["d" + key] with the shape of params[key]. The update
rules below loop over the keys of params, so they work for any model.

An optimizer is a state and an update. initialize_optimizer_state(params, optimizer) makes
the state; every update has the form

    update(params, grads, state, learning_rate, ...) -> (params, state)

and returns NEW dicts: it never modifies params, grads or state (nor the arrays in them).
A state is a dict; its moment estimates are dicts keyed like params ("W1", "b1", ...):

    "sgd"        {}                                   no state
    "momentum"   {"v": {key: array}}                  v: exponentially weighted average of dP
    "rmsprop"    {"s": {key: array}}                  s: exponentially weighted average of dP**2
    "adam"       {"v": {...}, "s": {...}, "t": int}   both, and t = the number of updates made

The update rules, for every parameter P with gradient dP (all operations elementwise):

    sgd        P <- P - alpha dP
    momentum   v <- beta v + (1 - beta) dP;            P <- P - alpha v        (the new v)
    rmsprop    s <- beta s + (1 - beta) dP**2;         P <- P - alpha dP / (sqrt(s) + eps)
    adam       t <- t + 1  (so t = 1 at the first update)
               v <- beta1 v + (1 - beta1) dP;          s <- beta2 s + (1 - beta2) dP**2
               v_hat = v / (1 - beta1**t);             s_hat = s / (1 - beta2**t)
               P <- P - alpha v_hat / (sqrt(s_hat) + eps)

eps is added OUTSIDE the square root. The state keeps v and s, not v_hat and s_hat.

Learning-rate schedules give the rate of an epoch counted from 0 (the first epoch has
epoch = 0 and the rate learning_rate0):

    step_decay          learning_rate0 * drop ** floor(epoch / epochs_per_drop)
    exponential_decay   learning_rate0 * decay_rate ** epoch

The API:
    random_mini_batches(X, Y, batch_size, rng) -> list of (X_batch, Y_batch)
    initialize_optimizer_state(params, optimizer) -> state
    sgd_update, momentum_update, rmsprop_update, adam_update -> (params, state)
    step_decay, exponential_decay -> float
    train_with_optimizer(X, Y, params, cost_and_gradients, optimizer, learning_rate,
                         num_epochs, batch_size, rng, schedule=None) -> (params, costs)
    compare_optimizers(X, Y, params, cost_and_gradients, learning_rates, num_epochs,
                       batch_size, seed, schedule=None) -> (trained, costs)
    mlp_cost_and_gradients(hidden_activation) -> cost_and_gradients   (not graded)

A model is a function cost_and_gradients(params, X, Y) -> (cost, grads): the mean cost
over the columns of X and its gradients, keyed "d" + key. The optimizer needs nothing else,
so the same loop trains chapter 4's MLP (mlp_cost_and_gradients) and the least-squares
model of nnbook.least_squares (squared_error).
"""
import numpy as np

from nnbook.least_squares import squared_error  # noqa: F401 (a model the hidden cases pass by name)
from solutions.ch04_backprop import binary_cross_entropy, mlp_backward, mlp_forward

__all__ = [
    "random_mini_batches", "initialize_optimizer_state", "sgd_update", "momentum_update", "rmsprop_update",
    "adam_update", "step_decay", "exponential_decay", "train_with_optimizer", "compare_optimizers",
    "mlp_cost_and_gradients", "OPTIMIZERS",
]

#: The optimizers' names, in the order the chapter introduces them.
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def random_mini_batches(X, Y, batch_size, rng):
    """Shuffle the examples and cut them into mini-batches, the last one possibly smaller.

    X: (n_x, m) float64, one example a column; Y: (n_y, m), its labels (e.g. (1, m));
    batch_size: int >= 1; rng: a numpy.random.Generator.
    Draw order = rng.permutation(m), once (draw nothing else from rng), and put the columns
    of X AND of Y in that same order: X[:, order] and Y[:, order], so every example keeps
    its label. Batch k (k = 0, 1, ...) holds the shuffled columns k * batch_size up to
    (k + 1) * batch_size - 1. There are ceil(m / batch_size) batches: when batch_size does
    not divide m, the last one holds the remaining m % batch_size examples (it is kept, not
    dropped), and batch_size >= m gives one batch of all m examples.
    Returns batches: a list of tuples (X_batch, Y_batch) of arrays, X_batch: (n_x, size)
    and Y_batch: (n_y, size) with the dtypes of X and Y. X and Y are not modified.
    """
    m = X.shape[1]
    order = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, order], Y[:, order]
    return [(X_shuffled[:, start:start + batch_size], Y_shuffled[:, start:start + batch_size])
            for start in range(0, m, batch_size)]


def initialize_optimizer_state(params, optimizer):
    """The state an optimizer starts from, before its first update.

    params: dict of float64 arrays (any keys, e.g. "W1", "b1", ..., "WL", "bL"), not
    modified; optimizer: "sgd", "momentum", "rmsprop" or "adam".
    Returns state, a dict:
        "sgd"       {}
        "momentum"  {"v": v}
        "rmsprop"   {"s": s}
        "adam"      {"v": v, "s": s, "t": 0}
    where v and s are dicts with the keys of params, each a float64 array of zeros with the
    shape of that parameter (a new array, not shared with params or with another entry),
    and t is the int 0: no update has been made yet.
    """
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}: use 'sgd', 'momentum', 'rmsprop' or 'adam'")

    def zeros():
        return {key: np.zeros_like(value, dtype=np.float64) for key, value in params.items()}

    state = {}
    if optimizer in ("momentum", "adam"):
        state["v"] = zeros()
    if optimizer in ("rmsprop", "adam"):
        state["s"] = zeros()
    if optimizer == "adam":
        state["t"] = 0
    return state


def sgd_update(params, grads, state, learning_rate):
    """One step of plain (stochastic, mini-batch) gradient descent.

    params: dict of float64 arrays; grads: dict with the key "d" + key for every key of
    params, grads["d" + key] with the shape of params[key]; state: the optimizer's state,
    {} for sgd (it has none); learning_rate: float alpha.
    For every parameter P: P_new = P - alpha dP.
    Returns a tuple (params, state): params a new dict with the keys of params, and state
    as it came in. No argument is modified.
    """
    new_params = {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
    return new_params, state


def momentum_update(params, grads, state, learning_rate, beta=0.9):
    """One step of gradient descent with momentum, as an exponentially weighted average.

    params: dict of float64 arrays; grads: dict, grads["d" + key] the gradient of
    params[key]; state: {"v": v} with v a dict keyed like params (zeros before the first
    update); learning_rate: float alpha; beta: float in [0, 1), 0.9 by default.
    For every parameter P, with v_P = v[key] (the new velocity is used in the step):
        v_P_new = beta v_P + (1 - beta) dP
        P_new   = P - alpha v_P_new
    Returns a tuple (params, state): params a new dict, state a new dict {"v": v_new} with
    v_new keyed like params. No argument is modified (neither the dicts nor their arrays).
    """
    v = {key: beta * state["v"][key] + (1 - beta) * grads["d" + key] for key in params}
    new_params = {key: params[key] - learning_rate * v[key] for key in params}
    return new_params, {"v": v}


def rmsprop_update(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    """One step of RMSprop: every parameter's step divided by its root-mean-square gradient.

    params: dict of float64 arrays; grads: dict, grads["d" + key] the gradient of
    params[key]; state: {"s": s} with s a dict keyed like params (zeros before the first
    update); learning_rate: float alpha; beta: float in [0, 1), 0.9 by default;
    epsilon: float, 1e-8 by default.
    For every parameter P, with s_P = s[key], squares and roots elementwise:
        s_P_new = beta s_P + (1 - beta) dP ** 2
        P_new   = P - alpha dP / (sqrt(s_P_new) + epsilon)
    epsilon is added to the square root, outside it: sqrt(s) + epsilon, not sqrt(s + epsilon).
    Returns a tuple (params, state): params a new dict, state a new dict {"s": s_new} with
    s_new keyed like params. No argument is modified.
    """
    s = {key: beta * state["s"][key] + (1 - beta) * grads["d" + key] ** 2 for key in params}
    new_params = {key: params[key] - learning_rate * grads["d" + key] / (np.sqrt(s[key]) + epsilon)
                  for key in params}
    return new_params, {"s": s}


def adam_update(params, grads, state, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam: momentum and RMSprop together, with bias correction.

    params: dict of float64 arrays; grads: dict, grads["d" + key] the gradient of
    params[key]; state: {"v": v, "s": s, "t": t}, v and s dicts keyed like params and t
    an int, the number of updates made so far (0 before the first, as
    initialize_optimizer_state makes it); learning_rate: float alpha, 0.001 by default;
    beta1: 0.9, beta2: 0.999 and epsilon: 1e-8 by default.
    First t_new = t + 1: t counts from 1 at the first update. Then for every parameter P,
    elementwise:
        v_P_new = beta1 v_P + (1 - beta1) dP                 first moment estimate
        s_P_new = beta2 s_P + (1 - beta2) dP ** 2            second moment estimate
        v_hat = v_P_new / (1 - beta1 ** t_new)               bias-corrected
        s_hat = s_P_new / (1 - beta2 ** t_new)
        P_new = P - alpha v_hat / (sqrt(s_hat) + epsilon)    epsilon outside the root
    Returns a tuple (params, state): params a new dict, state a new dict
    {"v": v_new, "s": s_new, "t": t_new} holding the UNCORRECTED v_new and s_new (the
    correction is recomputed from t at every step) and the int t_new. No argument is
    modified.
    """
    t = state["t"] + 1
    v, s, new_params = {}, {}, {}
    for key in params:
        gradient = grads["d" + key]
        v[key] = beta1 * state["v"][key] + (1 - beta1) * gradient
        s[key] = beta2 * state["s"][key] + (1 - beta2) * gradient ** 2
        v_hat = v[key] / (1 - beta1 ** t)
        s_hat = s[key] / (1 - beta2 ** t)
        new_params[key] = params[key] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return new_params, {"v": v, "s": s, "t": t}


def step_decay(learning_rate0, epoch, drop=0.5, epochs_per_drop=5):
    """The learning rate of an epoch under step decay: multiplied by drop every few epochs.

    learning_rate0: float, the rate of the first epoch; epoch: int >= 0, counted from 0;
    drop: float, 0.5 by default (the rate halves); epochs_per_drop: int >= 1, 5 by default.
        rate = learning_rate0 * drop ** floor(epoch / epochs_per_drop)
    so epochs 0 to epochs_per_drop - 1 have learning_rate0, the next epochs_per_drop epochs
    learning_rate0 * drop, and so on. Returns rate, a float.
    """
    return float(learning_rate0 * drop ** (epoch // epochs_per_drop))


def exponential_decay(learning_rate0, epoch, decay_rate=0.95):
    """The learning rate of an epoch under exponential decay: multiplied by decay_rate every epoch.

    learning_rate0: float, the rate of the first epoch; epoch: int >= 0, counted from 0;
    decay_rate: float in (0, 1], 0.95 by default.
        rate = learning_rate0 * decay_rate ** epoch
    Returns rate, a float.
    """
    return float(learning_rate0 * decay_rate ** epoch)


def train_with_optimizer(X, Y, params, cost_and_gradients, optimizer, learning_rate, num_epochs, batch_size, rng,
                         schedule=None):
    """Train a model by mini-batches with a chosen optimizer, recording the cost every epoch.

    X: (n_x, m); Y: (n_y, m) targets; params: the initial parameters, a dict of float64
    arrays, not modified; cost_and_gradients: the model, a function
    cost_and_gradients(params, X, Y) -> (cost, grads) giving the mean cost over the columns
    of X and its gradients {"d" + key: array} (e.g. least_squares.squared_error, or chapter
    4's MLP); optimizer: "sgd", "momentum", "rmsprop" or "adam"; learning_rate: float;
    num_epochs: int >= 0; batch_size: int >= 1; rng: a numpy.random.Generator; schedule:
    None (a constant rate), or a function schedule(learning_rate0, epoch) -> rate such as
    step_decay or exponential_decay.
    The state is made once, state = initialize_optimizer_state(params, optimizer), before
    the first epoch, and carried through every iteration of every epoch (so Adam's t counts
    all updates). For epoch = 0, 1, ..., num_epochs - 1:
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
    (one rate for the whole epoch), then for each (X_batch, Y_batch) of
    random_mini_batches(X, Y, batch_size, rng) (one call an epoch: the rng draws one
    permutation an epoch), in order: grads = cost_and_gradients(params, X_batch,
    Y_batch)[1], and params, state = the optimizer's update(params, grads, state, rate)
    with its default betas and epsilon.
    Returns (params, costs): the trained parameters (a new dict with the keys of params)
    and costs, a list of num_epochs + 1 floats: costs[0] = cost_and_gradients(params, X,
    Y)[0] on all of (X, Y) before training, and costs[e] the same after epoch e.
    """
    update = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}[optimizer]
    state = initialize_optimizer_state(params, optimizer)
    params = dict(params)
    costs = [float(cost_and_gradients(params, X, Y)[0])]
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, rng):
            _, grads = cost_and_gradients(params, X_batch, Y_batch)
            params, state = update(params, grads, state, rate)
        costs.append(float(cost_and_gradients(params, X, Y)[0]))
    return params, costs


def compare_optimizers(X, Y, params, cost_and_gradients, learning_rates, num_epochs, batch_size, seed, schedule=None):
    """Train one model from the same start on the same batches with several optimizers: a fair race.

    X: (n_x, m); Y: (n_y, m); params: the initial parameters (not modified);
    cost_and_gradients: the model, as for train_with_optimizer; learning_rates: dict
    {optimizer name: learning rate}, e.g. {"sgd": 0.5, "adam": 0.01}, each name one of
    "sgd", "momentum", "rmsprop", "adam"; num_epochs: int >= 0; batch_size: int >= 1;
    seed: int; schedule: None or a schedule function, as for train_with_optimizer (the
    same for every optimizer).
    For each optimizer name of learning_rates, in the dict's order: train_with_optimizer
    from the SAME initial params, with its own learning rate and a fresh generator
    np.random.default_rng(seed), so that every optimizer sees the same mini-batches in the
    same order.
    Returns a tuple (trained, costs): trained a dict {name: trained params} and costs a
    dict {name: list of num_epochs + 1 floats}, the cost curve train_with_optimizer returned.
    """
    trained, costs = {}, {}
    for name, learning_rate in learning_rates.items():
        trained[name], costs[name] = train_with_optimizer(X, Y, params, cost_and_gradients, name, learning_rate,
                                                          num_epochs, batch_size, np.random.default_rng(seed),
                                                          schedule)
    return trained, costs


def mlp_cost_and_gradients(hidden_activation):
    """Chapter 4's MLP with a sigmoid output, as a model for train_with_optimizer (not graded).

    Returns cost_and_gradients(params, X, Y) -> (cost, grads): mlp_forward, the mean binary
    cross-entropy of the logits and mlp_backward, with the given hidden activation.
    """
    def cost_and_gradients(params, X, Y):
        ZL, caches = mlp_forward(X, params, hidden_activation)
        cost, dZL = binary_cross_entropy(ZL, Y)
        return cost, mlp_backward(dZL, caches, hidden_activation)

    return cost_and_gradients
