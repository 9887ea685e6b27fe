"""Grading data of chapter 5 (initialization): hidden cases, mutants and correct alternatives.

The initializers are checked on their exact draws: every case hands the function a seeded
numpy.random.Generator, and the docstrings fix the order of the draws, so the reference's
weights are the only right answer (and with them the right statistics). Their hidden
layer sizes mix one layer and many, wide and narrow layers, and non-square ones (where a
transposed matrix or the wrong fan shows). Several mutants are the rules other sources
give under the same names: LeCun's 1 / fan_in, which courses often call Xavier (Glorot and
Bengio's paper uses 2 / (fan_in + fan_out)); Glorot's uniform distribution; rng.normal's
first argument, which is the mean.
"""
import numpy as np

from autograder.exercises import Case, Check, catalogue
from nnbook.planar import make_spirals
from solutions.ch04_backprop import train_mlp
# Graded functions that alternatives call by name, as a student's notebook would.
from solutions.ch05_initialization import initialize_random, initialize_zeros

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

LAYER_SIZES = [  # (layer sizes, what the case is), then a seed for its generator
    ([5, 3], "one layer, 5 inputs and 3 units"),
    ([2, 1], "one layer of one unit (logistic regression)"),
    ([4, 4, 4, 4, 4, 4, 4], "six square layers of 4 units"),
    ([300, 2, 200, 1], "wide and narrow layers, 300 -> 2 -> 200 -> 1"),
    ([1, 1, 1], "one unit in every layer"),
    ([64, 32, 16, 10], "64 inputs and three layers"),
    ([3, 150, 120], "two wide layers, 3 -> 150 -> 120"),
]


def size_cases(seed):
    """Each entry of LAYER_SIZES with a generator of its own, then one with another bit generator."""
    for offset, (sizes, label) in enumerate(LAYER_SIZES):
        rng_seed = seed + offset
        yield Case(f"{label}, sizes {sizes}, rng = default_rng({rng_seed})", (sizes, np.random.default_rng(rng_seed)))
    yield Case("sizes [6, 5, 4] with a PCG64DXSM generator (any Generator must work)",
               ([6, 5, 4], np.random.Generator(np.random.PCG64DXSM(seed))))


def initialize_zeros_cases():
    yield Case("sizes [3, 4, 2, 1], rng left at its default None", ([3, 4, 2, 1],))
    yield Case("one layer [5, 3], rng = None given by keyword", ([5, 3],), {"rng": None})
    yield from size_cases(500)


def initialize_random_cases():
    yield Case("sizes [4, 3, 2], scale left at its default 0.01", ([4, 3, 2], np.random.default_rng(510)))
    yield Case("sizes [5, 5, 1], scale = 0.5 given by keyword (a standard deviation of 0.5)",
               ([5, 5, 1], np.random.default_rng(511)), {"scale": 0.5})
    yield Case("sizes [3, 7, 2], scale = 2.0 given by position", ([3, 7, 2], np.random.default_rng(512), 2.0))
    yield Case("sizes [20, 30], scale = 0.1", ([20, 30], np.random.default_rng(513)), {"scale": 0.1})
    for case in size_cases(520):
        yield case
        yield Case(f"{case.label}, scale = 0.3", case.args, {"scale": 0.3})


def initialize_xavier_cases():
    yield from size_cases(540)


def initialize_he_cases():
    yield from size_cases(560)


def zero_trained_sigmoid_network():
    """A sigmoid network [2, 4, 3, 1] trained from zeros on a spiral: its units stay copies."""
    X, Y = make_spirals(40, seed=5)
    params, _ = train_mlp(X, Y, initialize_zeros([2, 4, 3, 1]), "sigmoid", 1.0, 20)
    return params


def network(rng, sizes, scale=1.0):
    """Random params for layer sizes [n_0, ..., n_L], biases random too."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.normal(scale=scale, size=(sizes[l], sizes[l - 1]))
        params[f"b{l}"] = rng.normal(scale=scale, size=(sizes[l], 1))
    return params


def copy_unit(params, l, source, target, noise=0.0, rng=None):
    """params with hidden unit `target` of layer l made a copy of unit `source` (plus noise)."""
    params = {key: value.copy() for key, value in params.items()}
    shift = (lambda shape: noise * rng.uniform(-1.0, 1.0, size=shape)) if noise else (lambda shape: 0.0)
    params[f"W{l}"][target] = params[f"W{l}"][source] + shift(params[f"W{l}"][source].shape)
    params[f"b{l}"][target] = params[f"b{l}"][source] + shift((1,))
    params[f"W{l + 1}"][:, target] = params[f"W{l + 1}"][:, source] + shift(params[f"W{l + 1}"][:, source].shape)
    return params


def symmetric_units_cases():
    rng = np.random.default_rng(580)
    yield Case("a network trained from zeros (sigmoid units, sizes [2, 4, 3, 1]): every pair in both hidden layers",
               (zero_trained_sigmoid_network(),))
    yield Case("all zeros, sizes [3, 3, 2, 1], tol left at its default",
               ({"W1": np.zeros((3, 3)), "b1": np.zeros((3, 1)), "W2": np.zeros((2, 3)), "b2": np.zeros((2, 1)),
                 "W3": np.zeros((1, 2)), "b3": np.zeros((1, 1))},))
    yield Case("one layer (no hidden layer, so no pair), equal rows in W1", ({"W1": np.ones((3, 2)), "b1": np.zeros((3, 1))},))
    yield Case("random network [4, 5, 3, 2]: no two units alike", (network(rng, [4, 5, 3, 2]),))
    base = network(rng, [3, 5, 2])
    yield Case("units 1 and 3 of layer 1 are copies", (copy_unit(base, 1, 1, 3),))
    same_in = copy_unit(base, 1, 0, 4)
    same_in["W2"][:, 4] += 0.5
    yield Case("units 0 and 4 of layer 1 have the same incoming weights and bias but different outgoing ones",
               (same_in,))
    same_but_bias = copy_unit(base, 1, 2, 3)
    same_but_bias["b1"][3, 0] += 0.25
    yield Case("units 2 and 3 of layer 1 alike except their biases", (same_but_bias,))
    triple = copy_unit(copy_unit(network(rng, [2, 6, 4, 1]), 1, 1, 3), 1, 1, 5)
    triple = copy_unit(triple, 2, 0, 2)
    yield Case("three copies in layer 1 (units 1, 3, 5) and a pair in layer 2 (units 0, 2)", (triple,))
    near = copy_unit(network(rng, [3, 4, 2]), 1, 0, 2, noise=1e-10, rng=rng)
    yield Case("units 0 and 2 of layer 1 differ by less than 1e-10 (within the default tol)", (near,))
    yield Case("the same network with tol = 0.0 given by keyword: not alike", (near,), {"tol": 0.0})
    apart = copy_unit(network(rng, [3, 4, 2]), 1, 1, 3, noise=1e-3, rng=rng)
    yield Case("units 1 and 3 of layer 1 differ by up to 1e-3, tol = 0.01 given by position", (apart, 0.01))
    yield Case("the same network with the default tol: not alike", (apart,))
    edge = {"W1": np.array([[1.0, 2.0], [1.5, 2.0], [1.0, 2.5]]), "b1": np.zeros((3, 1)),
            "W2": np.array([[1.0, 1.0, 1.0]]), "b2": np.zeros((1, 1))}
    yield Case("rows that differ by exactly tol = 0.5 (inclusive: they count as alike)", (edge, 0.5))
    large = copy_unit(network(rng, [2, 3, 1], scale=1000.0), 1, 0, 1)
    large["W1"][1, 0] += 1e-3
    yield Case("weights near 1000, units 0 and 1 of layer 1 differ by 1e-3 (an absolute tolerance)", (large,))
    sums = {"W1": np.array([[1.0, 2.0], [2.0, 1.0], [0.5, 0.5]]), "b1": np.zeros((3, 1)),
            "W2": np.array([[1.0, 1.0, 2.0]]), "b2": np.zeros((1, 1))}
    yield Case("rows [1, 2] and [2, 1]: the same sum, different weights", (sums,))
    deep = network(rng, [2, 3, 3, 3, 3, 1])
    for l in (1, 2, 3, 4):
        deep = copy_unit(deep, l, 0, 2)
    yield Case("units 0 and 2 are copies in each of four hidden layers", (deep,))


def stack(rng, sizes, scale=None, bias=0.0):
    """Random params, each W_l with standard deviation `scale` (1 / sqrt(n_{l-1}) if None)."""
    params = {}
    for l in range(1, len(sizes)):
        std = 1.0 / np.sqrt(sizes[l - 1]) if scale is None else scale
        params[f"W{l}"] = rng.normal(scale=std, size=(sizes[l], sizes[l - 1]))
        params[f"b{l}"] = rng.normal(scale=bias, size=(sizes[l], 1))
    return params


def activation_stds_cases():
    rng = np.random.default_rng(590)
    settings = [  # (sizes, m, scale, bias, what the case is)
        ([4, 3, 3, 2], 6, None, 0.5, "three layers with random biases"),
        ([3, 4], 5, None, 0.5, "one layer"),
        ([2, 2, 2], 1, 1.0, 0.3, "m = 1 example"),
        ([1, 1], 1, 1.0, 0.0, "one input, one unit, one example"),
        ([30, 2, 40, 3], 7, None, 0.2, "wide and narrow layers 30 -> 2 -> 40 -> 3"),
        ([5, 8, 8, 8, 8, 8, 8, 8, 8], 10, 1.0, 0.0, "eight layers of 8 with large weights (std 1)"),
        ([6, 10, 10, 10, 10, 10], 12, 0.01, 0.0, "five layers with tiny weights (std 0.01)"),
        ([4, 5, 3], 9, 300.0, 0.0, "huge weights (std 300): saturated units, z of +-1000 and more"),
    ]
    for sizes, m, scale, bias, label in settings:
        X = rng.normal(size=(sizes[0], m))
        params = stack(rng, sizes, scale, bias)
        for activation in ("sigmoid", "tanh", "relu"):
            yield Case(f"{label}, sizes {sizes}, m = {m}, {activation}", (X, params, activation))


CHECKS = {
    "initialize_zeros": Check(initialize_zeros_cases),
    "initialize_random": Check(initialize_random_cases),
    "initialize_xavier": Check(initialize_xavier_cases),
    "initialize_he": Check(initialize_he_cases),
    "symmetric_units": Check(symmetric_units_cases),
    "activation_stds": Check(activation_stds_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

@mutant_of("initialize_zeros")
def initialize_zeros_integers(layer_sizes, rng=None):
    """The arrays hold integers (dtype=int): the parameters are float64 arrays, np.zeros(shape)."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l], layer_sizes[l - 1]), dtype=int)
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1), dtype=int)
    return params


@mutant_of("initialize_zeros")
def initialize_zeros_transposed(layer_sizes, rng=None):
    """W_l has shape (n_{l-1}, n_l): it is (n_l, n_{l-1}), one row a unit of layer l."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l - 1], layer_sizes[l]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_zeros")
def initialize_zeros_flat_biases(layer_sizes, rng=None):
    """b_l has shape (n_l,): it is a column, (n_l, 1), so that it adds to every column of W_l A."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = np.zeros((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros(layer_sizes[l])
    return params


@mutant_of("initialize_zeros")
def initialize_zeros_last_layer_skipped(layer_sizes, rng=None):
    """The last layer is missing: layer_sizes [n_0, ..., n_L] has L layers, l = 1, ..., L = len(layer_sizes) - 1."""
    params = {}
    for l in range(1, len(layer_sizes) - 1):
        params[f"W{l}"] = np.zeros((layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_zeros")
def initialize_zeros_keys_from_0(layer_sizes, rng=None):
    """The keys start at "W0": the layers are numbered from 1, "W1", "b1", ..., "WL", "bL", as in chapter 4."""
    params = {}
    for l in range(len(layer_sizes) - 1):
        params[f"W{l}"] = np.zeros((layer_sizes[l + 1], layer_sizes[l]))
        params[f"b{l}"] = np.zeros((layer_sizes[l + 1], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_scale_as_variance(layer_sizes, rng, scale=0.01):
    """The weights are multiplied by sqrt(scale), as if scale were the variance: scale is their standard deviation."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * np.sqrt(scale)
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_uniform(layer_sizes, rng, scale=0.01):
    """rng.random draws uniformly from [0, 1), all positive: use rng.standard_normal, a normal with mean 0."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.random((layer_sizes[l], layer_sizes[l - 1])) * scale
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_scale_as_mean(layer_sizes, rng, scale=0.01):
    """rng.normal(scale, size=...) makes scale the MEAN (normal's first argument is loc): use rng.standard_normal(shape) * scale."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.normal(scale, size=(layer_sizes[l], layer_sizes[l - 1]))
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_random_biases(layer_sizes, rng, scale=0.01):
    """The biases are drawn too: they start at zero, and only the weights are drawn (which also keeps the later draws in step)."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * scale
        params[f"b{l}"] = rng.standard_normal((layer_sizes[l], 1)) * scale
    return params


@mutant_of("initialize_random")
def initialize_random_last_layer_skipped(layer_sizes, rng, scale=0.01):
    """The last layer is missing: layer_sizes [n_0, ..., n_L] has L layers, l = 1, ..., L = len(layer_sizes) - 1."""
    params = {}
    for l in range(1, len(layer_sizes) - 1):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * scale
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_reseeded_every_layer(layer_sizes, rng, scale=0.01):
    """A new generator with the same seed is made for every layer, so the layers repeat the same numbers: draw every layer from the one rng passed in."""
    params = {}
    for l in range(1, len(layer_sizes)):
        layer_rng = np.random.default_rng(0)
        params[f"W{l}"] = layer_rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) * scale
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_random")
def initialize_random_transposed_draw(layer_sizes, rng, scale=0.01):
    """The draw has shape (n_{l-1}, n_l) and is transposed: draw rng.standard_normal((n_l, n_{l-1})) as it is."""
    params = {}
    for l in range(1, len(layer_sizes)):
        params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])).T * scale
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_lecun(layer_sizes, rng):
    """This is variance 1 / n_{l-1} (LeCun's rule, also called Xavier in some courses): this function uses Glorot's 2 / (n_{l-1} + n_l)."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_fan_out_only(layer_sizes, rng):
    """This is variance 1 / n_l, the fan-out alone: Xavier averages both fans, 2 / (n_{l-1} + n_l)."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / n)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_variance_as_std(layer_sizes, rng):
    """The draws are multiplied by the variance 2 / (n_{l-1} + n_l): multiply by its square root, the standard deviation."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * (2.0 / (n_prev + n))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_uniform_limit(layer_sizes, rng):
    """sqrt(6 / (n_{l-1} + n_l)) is the limit of Glorot's UNIFORM distribution, not a standard deviation: multiply the normal draws by sqrt(2 / (n_{l-1} + n_l))."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(6.0 / (n_prev + n))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_glorot_uniform(layer_sizes, rng):
    """This draws Glorot's uniform distribution (rng.uniform): the variance is right, but this function draws rng.standard_normal and scales it."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        limit = np.sqrt(6.0 / (n_prev + n))
        params[f"W{l}"] = rng.uniform(-limit, limit, size=(n, n_prev))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_without_the_2(layer_sizes, rng):
    """The variance is 1 / (n_{l-1} + n_l): Xavier's is 2 / (n_{l-1} + n_l), the inverse of the average of the two fans."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / (n_prev + n))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_xavier")
def initialize_xavier_last_layer_skipped(layer_sizes, rng):
    """The last layer is missing: layer_sizes [n_0, ..., n_L] has L layers, l = 1, ..., L = len(layer_sizes) - 1."""
    params = {}
    for l in range(1, len(layer_sizes) - 1):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / (n_prev + n))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_without_the_2(layer_sizes, rng):
    """This is variance 1 / n_{l-1}: He's is 2 / n_{l-1}, twice as large, because a ReLU zeroes half of its inputs."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(1.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_next_layer_size(layer_sizes, rng):
    """The variance uses n_l, the layer's own size: He's is 2 / n_{l-1}, with the size of the layer before (the fan-in)."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_variance_as_std(layer_sizes, rng):
    """The draws are multiplied by the variance 2 / n_{l-1}: multiply by its square root, sqrt(2 / n_{l-1})."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * (2.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_xavier_formula(layer_sizes, rng):
    """This is Xavier's variance 2 / (n_{l-1} + n_l): He's is 2 / n_{l-1}, the fan-in alone."""
    return initialize_xavier(layer_sizes, rng)


@mutant_of("initialize_he")
def initialize_he_uniform(layer_sizes, rng):
    """rng.random draws uniformly from [0, 1), all positive: use rng.standard_normal, a normal with mean 0."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.random((n, n_prev)) * np.sqrt(2.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_first_fan_everywhere(layer_sizes, rng):
    """Every layer uses n_0, the number of inputs: layer l uses its own fan-in n_{l-1}, the size of the layer before it."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / layer_sizes[0])
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("initialize_he")
def initialize_he_reseeded_every_layer(layer_sizes, rng):
    """A new generator with the same seed is made for every layer, so the layers repeat the same numbers: draw every layer from the one rng passed in."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        layer_rng = np.random.default_rng(42)
        params[f"W{l}"] = layer_rng.standard_normal((n, n_prev)) * np.sqrt(2.0 / n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@mutant_of("symmetric_units")
def symmetric_units_incoming_only(params, tol=1e-8):
    """Only the incoming weights and biases are compared: symmetric units also have the same OUTGOING weights, W_{l+1}[:, j] = W_{l+1}[:, k]."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b = params[f"W{l}"], params[f"b{l}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if np.all(np.abs(W[j] - W[k]) <= tol) and abs(b[j, 0] - b[k, 0]) <= tol:
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_biases_ignored(params, tol=1e-8):
    """The biases are not compared: units with the same weights but different biases b_l[j], b_l[k] compute different things."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, W_next = params[f"W{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if np.all(np.abs(W[j] - W[k]) <= tol) and np.all(np.abs(W_next[:, j] - W_next[:, k]) <= tol):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_with_the_output_layer(params, tol=1e-8):
    """The output layer's units are reported too: only the hidden layers l = 1, ..., L - 1 count."""
    L = len(params) // 2
    pairs = []
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                outgoing = l == L or np.all(np.abs(params[f"W{l + 1}"][:, j] - params[f"W{l + 1}"][:, k]) <= tol)
                if np.all(np.abs(W[j] - W[k]) <= tol) and abs(b[j, 0] - b[k, 0]) <= tol and outgoing:
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_layers_from_0(params, tol=1e-8):
    """The layers are numbered from 0: report l as in the key "W1" (the first hidden layer is 1)."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (np.all(np.abs(W[j] - W[k]) <= tol) and abs(b[j, 0] - b[k, 0]) <= tol
                        and np.all(np.abs(W_next[:, j] - W_next[:, k]) <= tol)):
                    pairs.append((l - 1, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_both_orders(params, tol=1e-8):
    """Each pair is reported twice, as (l, j, k) and (l, k, j): report it once, with j < k."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(W.shape[0]):
                if j != k and (np.all(np.abs(W[j] - W[k]) <= tol) and abs(b[j, 0] - b[k, 0]) <= tol
                               and np.all(np.abs(W_next[:, j] - W_next[:, k]) <= tol)):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_exact_equality(params, tol=1e-8):
    """Weights are compared with ==, so copies that differ by a rounding error are missed: allow |difference| <= tol."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (np.array_equal(W[j], W[k]) and b[j, 0] == b[k, 0]
                        and np.array_equal(W_next[:, j], W_next[:, k])):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_strict_tolerance(params, tol=1e-8):
    """A difference of exactly tol is rejected (< tol): the bound is inclusive, |difference| <= tol."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (np.all(np.abs(W[j] - W[k]) < tol) and abs(b[j, 0] - b[k, 0]) < tol
                        and np.all(np.abs(W_next[:, j] - W_next[:, k]) < tol)):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_relative_tolerance(params, tol=1e-8):
    """np.allclose(a, b, atol=tol) also allows its default relative error rtol = 1e-5: the bound is absolute, pass rtol=0."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (np.allclose(W[j], W[k], atol=tol) and np.allclose(b[j], b[k], atol=tol)
                        and np.allclose(W_next[:, j], W_next[:, k], atol=tol)):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("symmetric_units")
def symmetric_units_compares_sums(params, tol=1e-8):
    """Only the sums of the weights are compared: units with the same sum but different weights are not alike, compare entry by entry."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        for j in range(W.shape[0]):
            for k in range(j + 1, W.shape[0]):
                if (abs(W[j].sum() - W[k].sum()) <= tol and abs(b[j, 0] - b[k, 0]) <= tol
                        and abs(W_next[:, j].sum() - W_next[:, k].sum()) <= tol):
                    pairs.append((l, j, k))
    return pairs


@mutant_of("activation_stds")
def activation_stds_of_z(X, params, activation):
    """These are the standard deviations of Z_l, before the activation: the experiment measures A_l = g(Z_l)."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.std(Z)))
    return stds


@mutant_of("activation_stds")
def activation_stds_linear_last_layer(X, params, activation):
    """The last layer is left linear, as in chapter 4's MLP: here EVERY layer applies the activation, the last one too."""
    A = X
    stds = []
    L = len(params) // 2
    for l in range(1, L + 1):
        A = params[f"W{l}"] @ A + params[f"b{l}"]
        if l < L:
            A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
                 "relu": lambda z: np.maximum(0.0, z)}[activation](A)
        stds.append(float(np.std(A)))
    return stds


@mutant_of("activation_stds")
def activation_stds_with_the_input(X, params, activation):
    """The input X's standard deviation comes first: return one value a layer, for A_1, ..., A_L."""
    A = X
    stds = [float(np.std(X))]
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.std(A)))
    return stds


@mutant_of("activation_stds")
def activation_stds_per_unit(X, params, activation):
    """This averages each unit's own standard deviation (axis=1): take the standard deviation of all n_l * m entries together."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.mean(np.std(A, axis=1))))
    return stds


@mutant_of("activation_stds")
def activation_stds_sample_std(X, params, activation):
    """np.std(A, ddof=1) divides by n_l * m - 1: divide by n_l * m, np.std's default."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.std(A, ddof=1)))
    return stds


@mutant_of("activation_stds")
def activation_stds_root_mean_square(X, params, activation):
    """sqrt(mean(A ** 2)) is the root mean square, which includes the mean: the standard deviation is taken about the mean."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.sqrt(np.mean(A ** 2))))
    return stds


@mutant_of("activation_stds")
def activation_stds_variances(X, params, activation):
    """These are variances (np.var): return standard deviations, their square roots."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(float(np.var(A)))
    return stds


@mutant_of("activation_stds")
def activation_stds_array(X, params, activation):
    """The result is a NumPy array: return a list of floats, one a layer."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = {"sigmoid": lambda z: np.exp(-np.logaddexp(0.0, -z)), "tanh": np.tanh,
             "relu": lambda z: np.maximum(0.0, z)}[activation](Z)
        stds.append(np.std(A))
    return np.array(stds)


# Correct alternatives: each must get full marks.

@alternative_of("initialize_zeros")
def initialize_zeros_by_zip(layer_sizes, rng=None):
    """Pairs of consecutive sizes, with np.full."""
    params = {}
    for l, (n_prev, n) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params["W" + str(l)] = np.full((n, n_prev), 0.0)
        params["b" + str(l)] = np.full((n, 1), 0.0)
    return params


@alternative_of("initialize_zeros")
def initialize_zeros_comprehension(layer_sizes, rng=None):
    """One dict comprehension for the weights and one for the biases."""
    L = len(layer_sizes) - 1
    weights = {f"W{l}": np.zeros((layer_sizes[l], layer_sizes[l - 1]), dtype=np.float64) for l in range(1, L + 1)}
    biases = {f"b{l}": np.zeros((layer_sizes[l], 1)) for l in range(1, L + 1)}
    return {**weights, **biases}


@alternative_of("initialize_random")
def initialize_random_with_normal(layer_sizes, rng, scale=0.01):
    """rng.normal(0, scale, shape) draws the same numbers as rng.standard_normal(shape) * scale."""
    params = {}
    for l, (n_prev, n) in enumerate(zip(layer_sizes, layer_sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(0.0, scale, size=(n, n_prev))
        params[f"b{l}"] = np.zeros((n, 1))
    return params


@alternative_of("initialize_random")
def initialize_random_weights_then_biases(layer_sizes, rng, scale=0.01):
    """All weights first, then the zero biases (the biases draw nothing, so the order is the same)."""
    L = len(layer_sizes) - 1
    params = {f"W{l}": scale * rng.standard_normal(size=(layer_sizes[l], layer_sizes[l - 1])) for l in range(1, L + 1)}
    for l in range(1, L + 1):
        params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return params


@alternative_of("initialize_xavier")
def initialize_xavier_from_the_variance(layer_sizes, rng):
    """The variance first, then its square root, with rng.normal."""
    params = {}
    for l in range(1, len(layer_sizes)):
        fan_in, fan_out = layer_sizes[l - 1], layer_sizes[l]
        variance = 2 / (fan_in + fan_out)
        params[f"W{l}"] = rng.normal(loc=0.0, scale=variance ** 0.5, size=(fan_out, fan_in))
        params[f"b{l}"] = np.zeros((fan_out, 1))
    return params


@alternative_of("initialize_xavier")
def initialize_xavier_by_layers_of_random(layer_sizes, rng):
    """initialize_random one layer at a time, with the layer's standard deviation as the scale."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        layer = initialize_random([n_prev, n], rng, np.sqrt(2.0 / (n_prev + n)))
        params[f"W{l}"], params[f"b{l}"] = layer["W1"], layer["b1"]
    return params


@alternative_of("initialize_he")
def initialize_he_from_the_variance(layer_sizes, rng):
    """The variance first, then its square root, with rng.normal."""
    params = {}
    for l in range(1, len(layer_sizes)):
        fan_in, units = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.normal(0.0, (2 / fan_in) ** 0.5, (units, fan_in))
        params[f"b{l}"] = np.zeros((units, 1))
    return params


@alternative_of("initialize_he")
def initialize_he_scaling_a_zero_start(layer_sizes, rng):
    """Start from initialize_zeros and fill in each weight matrix."""
    params = initialize_zeros(layer_sizes)
    for l in range(1, len(layer_sizes)):
        draw = rng.standard_normal(params[f"W{l}"].shape)
        params[f"W{l}"] = draw * np.sqrt(2.0) / np.sqrt(layer_sizes[l - 1])
    return params


@alternative_of("initialize_he")
def initialize_he_weights_then_biases(layer_sizes, rng):
    """Every weight matrix first (in layer order), then the biases, which draw nothing."""
    L = len(layer_sizes) - 1
    weights = {f"W{l}": np.sqrt(2 / layer_sizes[l - 1]) * rng.standard_normal((layer_sizes[l], layer_sizes[l - 1]))
               for l in range(1, L + 1)}
    return {**weights, **{f"b{l}": np.zeros((layer_sizes[l], 1)) for l in range(1, L + 1)}}


@alternative_of("symmetric_units")
def symmetric_units_by_broadcasting(params, tol=1e-8):
    """Every pair of a layer at once: one (n, n) table of the largest difference of each pair."""
    pairs = []
    for l in range(1, len(params) // 2):
        W, b, W_next = params[f"W{l}"], params[f"b{l}"], params[f"W{l + 1}"]
        unit = np.hstack([W, b, W_next.T])            # row j: everything that defines unit j
        gaps = np.max(np.abs(unit[:, None, :] - unit[None, :, :]), axis=2)
        for j, k in zip(*np.nonzero(gaps <= tol)):
            if j < k:
                pairs.append((l, int(j), int(k)))
    return sorted(pairs)


@alternative_of("symmetric_units")
def symmetric_units_with_allclose(params, tol=1e-8):
    """np.allclose with rtol=0 is exactly |difference| <= tol."""
    L = len(params) // 2
    pairs = []
    for l in range(1, L):
        n = params[f"W{l}"].shape[0]
        for j in range(n):
            for k in range(j + 1, n):
                same = [np.allclose(params[f"W{l}"][j], params[f"W{l}"][k], rtol=0.0, atol=tol),
                        np.allclose(params[f"b{l}"][j], params[f"b{l}"][k], rtol=0.0, atol=tol),
                        np.allclose(params[f"W{l + 1}"][:, j], params[f"W{l + 1}"][:, k], rtol=0.0, atol=tol)]
                if all(same):
                    pairs.append((l, j, k))
    return pairs


@alternative_of("activation_stds")
def activation_stds_by_hand(X, params, activation):
    """The standard deviation written out: the root of the mean squared distance from the mean."""
    def g(Z):
        if activation == "sigmoid":
            return 0.5 * (1.0 + np.tanh(Z / 2.0))
        if activation == "tanh":
            return np.tanh(Z)
        return np.where(Z > 0, Z, 0.0)

    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        A = g(np.dot(params[f"W{l}"], A) + params[f"b{l}"])
        stds.append(float(np.sqrt(np.mean((A - A.mean()) ** 2))))
    return stds


@alternative_of("activation_stds")
def activation_stds_with_a_naive_sigmoid(X, params, activation):
    """1 / (1 + exp(-z)) overflows to 1 / inf = 0 for very negative z, which is still the right value."""
    A = X
    stds = []
    for l in range(1, len(params) // 2 + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        with np.errstate(over="ignore"):
            functions = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: z * (z > 0)}
            A = functions[activation](Z)
        stds.append(np.sqrt(np.var(A)).item())
    return stds
