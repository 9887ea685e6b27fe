"""Chapter 5: initialization. Where the weights start decides whether a network can learn.

Layout (the book's, as in chapter 4): layer_sizes = [n_0, n_1, ..., n_L] lists the widths
from the input (n_0 = n_x features) to the output, L >= 1 layers; layer l = 1, ..., L has
W_l: (n_l, n_{l-1}) and b_l: (n_l, 1), and the parameters are the dict
{"W1", "b1", ..., "WL", "bL"} of float64 arrays that chapter 4's mlp_forward and train_mlp
take, so every initializer here plugs into them.

How the initializers draw (so that a network is the same on every machine): every random
one takes a numpy.random.Generator rng and, for l = 1, ..., L in this order, makes exactly
one call rng.standard_normal((n_l, n_{l-1})) and multiplies it by the layer's standard
deviation; the biases are zeros and draw nothing. Each weight is then normal with mean 0 and

    scheme                    standard deviation of W_l        variance
    initialize_random         scale (0.01 by default)          scale^2
    initialize_xavier         sqrt(2 / (n_{l-1} + n_l))        2 / (fan_in + fan_out)
    initialize_he             sqrt(2 / n_{l-1})                2 / fan_in

with fan_in = n_{l-1}, the inputs of a unit of layer l, and fan_out = n_l. "Xavier" is
Glorot and Bengio's (2010) normalized initialization: its variance, drawn from a normal
(their paper draws the same variance from a uniform). The other rule often called Xavier,
1 / fan_in, is LeCun's, which chapter 4's initialize_mlp uses.

The API (chapters 6 and 7 import it from here):

initializers     initialize_zeros(layer_sizes, rng=None) -> params   (rng not used)
                 initialize_random(layer_sizes, rng, scale=0.01) -> params
                 initialize_xavier(layer_sizes, rng) -> params
                 initialize_he(layer_sizes, rng) -> params
symmetry         symmetric_units(params, tol=1e-8) -> list of (l, j, k)
depth statistics activation_stds(X, params, activation) -> list of L floats
page helpers      layer_activations(X, params, activation) -> [A_1, ..., A_L]
                  weight_gradient_stds(X, params, activation, rng) -> list of L floats
"""
import numpy as np

from solutions.ch04_backprop import activation_backward, activation_forward, mlp_backward, mlp_forward

__all__ = ["initialize_zeros", "initialize_random", "initialize_xavier", "initialize_he", "symmetric_units",
           "activation_stds", "layer_activations", "weight_gradient_stds"]


def initialize_zeros(layer_sizes, rng=None):
    """Every weight and every bias zero: the start that cannot break the symmetry.

    layer_sizes: list of int [n_0, n_1, ..., n_L], n_0 = n_x inputs, L >= 1 layers.
    rng: not used (None by default). Every initializer of this chapter can be called
        as init(layer_sizes, rng), so they can be swapped for one another.
    For l = 1, ..., L: W_l = zeros of shape (n_l, n_{l-1}) and b_l = zeros of shape
    (n_l, 1).
    Returns params: dict with keys "W1", "b1", ..., "WL", "bL" of float64 arrays.
    layer_sizes is not modified.
    """
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


def initialize_random(layer_sizes, rng, scale=0.01):
    """Small random weights of one fixed size, zero biases.

    layer_sizes: list of int [n_0, n_1, ..., n_L], L >= 1 layers.
    rng: a numpy.random.Generator, the only source of randomness.
    scale: float > 0, the STANDARD DEVIATION of every weight (0.01 by default), in
        every layer.
    For l = 1, ..., L in this order, one draw a layer and nothing else drawn:
        W_l = rng.standard_normal((n_l, n_{l-1})) * scale        (n_l, n_{l-1})
        b_l = zeros                                                (n_l, 1)
    so every weight is normal with mean 0 and variance scale ** 2.
    Returns params: dict with keys "W1", "b1", ..., "WL", "bL" of float64 arrays.
    layer_sizes is not modified; rng advances by the draws.
    """
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * scale
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


def initialize_xavier(layer_sizes, rng):
    """Xavier (Glorot) initialization, for tanh and sigmoid layers.

    Variance 2 / (fan_in + fan_out).

    layer_sizes: list of int [n_0, n_1, ..., n_L], L >= 1 layers.
    rng: a numpy.random.Generator, the only source of randomness.
    For l = 1, ..., L in this order, one draw a layer and nothing else drawn:
        W_l = rng.standard_normal((n_l, n_{l-1})) * sqrt(2 / (n_{l-1} + n_l))
        b_l = zeros                                                (n_l, 1)
    so every weight of layer l is normal with mean 0 and variance 2 / (n_{l-1} + n_l),
    n_{l-1} being the layer's fan-in (its inputs) and n_l its fan-out (its units).
    Returns params: dict with keys "W1", "b1", ..., "WL", "bL" of float64 arrays.
    layer_sizes is not modified; rng advances by the draws.
    """
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / (n_prev + n))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def initialize_he(layer_sizes, rng):
    """He initialization, for ReLU layers: variance 2 / fan_in.

    layer_sizes: list of int [n_0, n_1, ..., n_L], L >= 1 layers.
    rng: a numpy.random.Generator, the only source of randomness.
    For l = 1, ..., L in this order, one draw a layer and nothing else drawn:
        W_l = rng.standard_normal((n_l, n_{l-1})) * sqrt(2 / n_{l-1})
        b_l = zeros                                                (n_l, 1)
    so every weight of layer l is normal with mean 0 and variance 2 / n_{l-1}, where
    n_{l-1} (the fan-in) is the size of the layer BEFORE layer l, the inputs of its
    units.
    Returns params: dict with keys "W1", "b1", ..., "WL", "bL" of float64 arrays.
    layer_sizes is not modified; rng advances by the draws.
    """
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def symmetric_units(params, tol=1e-8):
    """The pairs of hidden units that are copies of each other.

    Training cannot separate such a pair.
    params: dict with keys "W1", "b1", ..., "WL", "bL" (L = len(params) // 2),
        W_l: (n_l, n_{l-1}), b_l: (n_l, 1); not modified.
    tol: float >= 0 (1e-8 by default).
    The hidden layers are l = 1, ..., L - 1 (layer L is the output, whose units are
    not hidden). Units j and k of hidden layer l (rows j and k of W_l) are symmetric
    when all three hold, each entry within tol (|difference| <= tol, inclusive, an
    absolute bound):
        W_l[j, :] = W_l[k, :]            the same incoming weights
        b_l[j, 0] = b_l[k, 0]            the same bias
        W_{l+1}[:, j] = W_{l+1}[:, k]    the same outgoing weights
    Returns pairs: list of tuples (l, j, k) of int, one for every symmetric pair,
    with l the layer's number as in "W1" (1 to L - 1), units counted from 0 as the
    rows of W_l, and j < k; sorted by l, then j, then k. [] when there is none
    (always when L = 1).
    """
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (np.all(np.abs(W[j] - W[k]) <= tol) and abs(b[j, 0] - b[k, 0]) <= tol
                        and np.all(np.abs(W_next[:, j] - W_next[:, k]) <= tol)):
                    pairs.append((l, j, k))
    return pairs


def activation_stds(X, params, activation):
    """The depth experiment: how spread out each layer's activations are.

    X: (n_0, m) inputs, one example a column; params: dict with keys "W1", "b1",
    ..., "WL", "bL" (L = len(params) // 2); activation: "sigmoid", "tanh" or
    "relu". None of them is modified. The network is a stack of L layers with the
    activation g in EVERY layer, the last one included (unlike chapter 4's MLP,
    whose last layer is linear):
        A_0 = X,   Z_l = W_l A_{l-1} + b_l,   A_l = g(Z_l)   for l = 1, ..., L,
    with sigmoid(z) = 1 / (1 + e^-z) (no overflow or nan for |z| up to 1e3 or more),
    tanh, and relu(z) = max(0, z).
    Returns stds: list of L floats, stds[l - 1] the standard deviation of all n_l * m
    entries of A_l together (about their mean, dividing by n_l * m, as np.std does).
    """
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        if activation == "sigmoid":
            A = np.exp(-np.logaddexp(0.0, -Z))
        elif activation == "tanh":
            A = np.tanh(Z)
        elif activation == "relu":
            A = np.maximum(0.0, Z)
        else:
            raise ValueError(f"unknown activation {activation!r}: use 'sigmoid', 'tanh' or 'relu'")
        stds.append(float(np.std(A)))
    return stds


# Helpers of the explanation pages (not exercises): the same stack of layers as
# activation_stds, built from chapter 4's forward and backward passes.

def layer_activations(X, params, activation):
    """A_1, ..., A_L of the stack activation_stds measures (the activation in every layer).

    X: (n_0, m); params: {"W1", "b1", ..., "WL", "bL"}; activation: "sigmoid", "tanh" or
    "relu". Returns a list of L arrays, A_l: (n_l, m).
    """
    _, caches = mlp_forward(X, params, activation)
    return [activation_forward(Z, activation) for _, Z in caches]


def weight_gradient_stds(X, params, activation, rng):
    """The standard deviation of every layer's weight gradient dW_l in the same stack.

    The gradient that comes down from above the last layer, dA_L, is drawn as
    rng.standard_normal((n_L, m)) / m (a random cost, averaged over the m examples) and
    passed back through every layer with chapter 4's backward pass.
    Returns a list of L floats, the standard deviation of all entries of dW_l.
    """
    ZL, caches = mlp_forward(X, params, activation)
    dAL = rng.standard_normal(ZL.shape) / X.shape[1]
    grads = mlp_backward(activation_backward(dAL, ZL, activation), caches, activation)
    return [float(np.std(grads[f"dW{l}"])) for l in range(1, len(caches) + 1)]
