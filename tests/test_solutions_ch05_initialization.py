"""The chapter 5 reference implementations: exact draws, statistics, the variance argument by
Monte Carlo, and the symmetry theorem on trained networks.

Monte Carlo tolerances are stated where they are used: a sample variance of N independent
normal draws has a relative standard error of sqrt(2 / N), and a test allows four of them.
"""
import math

import numpy as np
import pytest

from nnbook import planar
from solutions.ch04_backprop import (activation_backward, activation_forward, binary_cross_entropy, initialize_mlp,
                                     mlp_backward, mlp_forward, numerical_gradient, train_mlp)
from solutions.ch05_initialization import (activation_stds, initialize_he, initialize_random, initialize_xavier,
                                           initialize_zeros, layer_activations, symmetric_units,
                                           weight_gradient_stds)

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
RANDOM = {"random": initialize_random, "xavier": initialize_xavier, "he": initialize_he}
SIZES = [[5, 3], [4, 4, 4, 4], [300, 2, 200, 1], [64, 32, 16, 10]]


def standard_deviations(name, sizes):
    """The documented standard deviation of each layer's weights."""
    pairs = list(zip(sizes, sizes[1:]))
    return {"random": [0.01] * len(pairs), "xavier": [math.sqrt(2 / (a + b)) for a, b in pairs],
            "he": [math.sqrt(2 / a) for a, _ in pairs]}[name]


# ------------------------------------------------ the parameters: keys, shapes, dtypes, chapter 4

@pytest.mark.parametrize("sizes", SIZES)
def test_every_initializer_has_chapter_4s_keys_shapes_and_zero_biases(sizes):
    expected = initialize_mlp(sizes, seed=0)
    for init in [initialize_zeros, *RANDOM.values()]:
        params = init(sizes, np.random.default_rng(0))
        assert list(params) == list(expected)
        for key, value in params.items():
            assert value.shape == expected[key].shape and value.dtype == np.float64
            if key.startswith("b"):
                assert not value.any()


@pytest.mark.parametrize("init", [initialize_zeros, *RANDOM.values()], ids=lambda f: f.__name__)
def test_the_initializers_plug_into_chapter_4s_training(init):
    X, Y = planar.xor()
    params, costs = train_mlp(X, Y, init([2, 4, 4, 1], np.random.default_rng(1)), "tanh", 0.5, 5)
    assert len(costs) == 6 and all(np.isfinite(costs))
    assert mlp_forward(X, params, "tanh")[0].shape == (1, 4)


def test_zeros_draws_nothing_and_accepts_no_rng():
    rng = np.random.default_rng(3)
    before = rng.bit_generator.state
    initialize_zeros([3, 2, 1], rng)
    assert rng.bit_generator.state == before
    assert initialize_zeros([3, 2, 1]).keys() == {"W1", "b1", "W2", "b2"}


# ------------------------------------------------ the exact draws and their statistics

@pytest.mark.parametrize("name", RANDOM)
@pytest.mark.parametrize("sizes", SIZES)
def test_the_weights_are_one_standard_normal_stream_in_layer_order_scaled_per_layer(name, sizes):
    params = RANDOM[name](sizes, np.random.default_rng(7))
    shapes = [(b, a) for a, b in zip(sizes, sizes[1:])]
    stream = np.random.default_rng(7).standard_normal(sum(r * c for r, c in shapes))
    start = 0
    for l, ((rows, columns), std) in enumerate(zip(shapes, standard_deviations(name, sizes)), start=1):
        block = stream[start:start + rows * columns].reshape(rows, columns)
        assert np.allclose(params[f"W{l}"], block * std, rtol=1e-12, atol=0)
        start += rows * columns


@pytest.mark.parametrize("name", RANDOM)
def test_a_wide_layers_weights_have_mean_0_and_the_documented_variance(name):
    sizes = [600, 500]
    W = RANDOM[name](sizes, np.random.default_rng(11))["W1"]
    target = standard_deviations(name, sizes)[0] ** 2
    tolerance = 4 * math.sqrt(2 / W.size)                 # four standard errors of a variance
    assert abs(W.var() / target - 1) < tolerance
    assert abs(W.mean()) < 4 * math.sqrt(target / W.size)


def test_the_scale_is_a_standard_deviation():
    W = initialize_random([400, 500], np.random.default_rng(2), scale=0.3)["W1"]
    assert abs(W.std() / 0.3 - 1) < 4 * math.sqrt(1 / (2 * W.size))


def test_he_is_lecuns_draw_times_sqrt_2_and_xavier_is_lecuns_for_square_layers():
    sizes = [6, 6, 6, 6]
    lecun = initialize_mlp(sizes, seed=4)                  # chapter 4: std 1 / sqrt(n_{l-1})
    he = initialize_he(sizes, np.random.default_rng(4))
    xavier = initialize_xavier(sizes, np.random.default_rng(4))
    for l in (1, 2, 3):
        assert np.allclose(he[f"W{l}"], math.sqrt(2) * lecun[f"W{l}"])
        assert np.allclose(xavier[f"W{l}"], lecun[f"W{l}"])


def test_xavier_sits_between_the_forward_and_the_backward_rule():
    n_in, n_out = 256, 64
    assert 1 / n_in < 2 / (n_in + n_out) < 1 / n_out
    assert math.isclose(2 / (n_in + n_out), 1 / ((n_in + n_out) / 2))   # the inverse of the mean fan


def test_the_initializers_leave_layer_sizes_alone():
    sizes = [4, 3, 2]
    for init in [initialize_zeros, *RANDOM.values()]:
        init(sizes, np.random.default_rng(0))
        assert sizes == [4, 3, 2]


# ------------------------------------------------ the variance argument, by Monte Carlo

def test_the_variance_of_a_weighted_sum_is_n_sigma_squared_times_the_mean_square():
    rng = np.random.default_rng(0)
    n, trials, sigma = 64, 40_000, 0.2
    a = 1.5 + 0.5 * rng.standard_normal((trials, n))          # mean 1.5: E[a^2] = 2.5, Var(a) = 0.25
    z = np.sum(sigma * rng.standard_normal((trials, n)) * a, axis=1)
    predicted = n * sigma ** 2 * 2.5
    assert abs(z.var() / predicted - 1) < 4 * math.sqrt(2 / trials)
    assert abs(z.mean()) < 4 * math.sqrt(predicted / trials)


def test_a_relu_keeps_half_of_a_symmetric_inputs_mean_square_and_half_of_its_slopes():
    z = 2.0 * np.random.default_rng(1).standard_normal(400_000)
    a = np.maximum(0.0, z)
    assert abs(np.mean(a ** 2) / 4.0 - 0.5) < 0.01
    assert abs(np.mean(a) - 2.0 / math.sqrt(2 * math.pi)) < 0.01
    assert abs(np.std(a) - 2.0 * math.sqrt(0.5 - 1 / (2 * math.pi))) < 0.01
    assert abs(np.mean(z > 0) - 0.5) < 0.005


@pytest.mark.parametrize("activation,init,gain", [("relu", initialize_he, 1.0), ("tanh", initialize_xavier, 1.0),
                                                  ("relu", initialize_xavier, 0.5)])
def test_on_average_over_networks_a_layer_multiplies_the_mean_square_of_z_by_the_rule_s_gain(activation, init, gain):
    # E over weights of ||Z_2||^2 / ||Z_1||^2: He for ReLU keeps it (gain 1), Xavier for ReLU
    # halves it, and tanh with Xavier keeps it while the units are in their linear range
    # (inputs of std 0.05: tanh z = z - z^3 / 3 + ... loses a share 2 Var(z) = 0.005).
    rng = np.random.default_rng(5)
    width, ratios = 128, []
    X = 0.05 * rng.standard_normal((width, 50))
    for seed in range(200):
        params = init([width] * 3, np.random.default_rng(seed))
        _, caches = mlp_forward(X, params, activation)
        Z1, Z2 = caches[0][1], caches[1][1]
        ratios.append(np.mean(Z2 ** 2) / np.mean(Z1 ** 2))
    assert abs(np.mean(ratios) - gain) < 0.02


def test_the_backward_pass_multiplies_the_gradients_variance_by_the_fan_out_times_the_weights_variance():
    rng = np.random.default_rng(6)
    n_in, n_out, m, sigma = 40, 160, 200, 0.05
    ratios = []
    for _ in range(200):
        W = sigma * rng.standard_normal((n_out, n_in))
        dZ = rng.standard_normal((n_out, m))
        ratios.append(np.var(W.T @ dZ) / np.var(dZ))
    assert abs(np.mean(ratios) / (n_out * sigma ** 2) - 1) < 0.02


# ------------------------------------------------ symmetry

def test_zero_trained_networks_keep_every_hidden_unit_a_copy_for_every_activation():
    X, Y = planar.make_spirals(60, seed=1)
    for activation in ACTIVATIONS:
        params, _ = train_mlp(X, Y, initialize_zeros([2, 5, 4, 1]), activation, 1.0, 30, 8)
        assert len(symmetric_units(params)) == math.comb(5, 2) + math.comb(4, 2)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_units_that_start_as_copies_stay_copies_the_induction_on_a_random_network(activation):
    X, Y = planar.make_spirals(80, seed=2)
    params = initialize_xavier([2, 6, 5, 1], np.random.default_rng(3))
    params["b1"] = np.random.default_rng(4).normal(size=(6, 1))
    for key in ("W1", "b1"):
        params[key][4] = params[key][1]
    params["W2"][:, 4] = params["W2"][:, 1]
    assert symmetric_units(params) == [(1, 1, 4)]
    trained, costs = train_mlp(X, Y, params, activation, 0.5, 40, 16)
    assert costs[-1] < costs[0], "the network learns, but the two units cannot part"
    assert symmetric_units(trained) == [(1, 1, 4)]


def test_units_with_the_same_input_weights_but_different_output_weights_drift_apart():
    X, Y = planar.make_spirals(80, seed=2)
    params = initialize_xavier([2, 6, 1], np.random.default_rng(3))
    params["W1"][4] = params["W1"][1]
    trained, _ = train_mlp(X, Y, params, "tanh", 0.5, 20, 16)
    assert np.max(np.abs(trained["W1"][4] - trained["W1"][1])) > 1e-3


def test_symmetric_units_finds_nothing_in_random_networks_and_nothing_without_hidden_layers():
    assert symmetric_units(initialize_he([3, 8, 8, 2], np.random.default_rng(0))) == []
    assert symmetric_units({"W1": np.zeros((4, 3)), "b1": np.zeros((4, 1))}) == []


# ------------------------------------------------ the depth experiment

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_stds_is_the_std_of_every_layer_of_the_all_activated_stack(activation):
    rng = np.random.default_rng(8)
    X = rng.standard_normal((5, 7))
    params = {"W1": rng.normal(size=(4, 5)), "b1": rng.normal(size=(4, 1)),
              "W2": rng.normal(size=(3, 4)), "b2": rng.normal(size=(3, 1))}
    A1 = activation_forward(params["W1"] @ X + params["b1"], activation)
    A2 = activation_forward(params["W2"] @ A1 + params["b2"], activation)
    stds = activation_stds(X, params, activation)
    assert isinstance(stds, list) and all(type(s) is float for s in stds)
    assert np.allclose(stds, [np.std(A1), np.std(A2)])
    assert np.allclose(stds, [np.std(A) for A in layer_activations(X, params, activation)])


def test_activation_stds_has_no_nan_for_saturated_sigmoids():
    X = np.array([[1.0, -1.0, 0.5]])
    params = {"W1": np.array([[1000.0], [-1500.0]]), "b1": np.zeros((2, 1))}
    stds = activation_stds(X, params, "sigmoid")
    assert np.all(np.isfinite(stds))


def test_weight_gradient_stds_are_the_gradients_of_the_random_cost_it_draws():
    rng = np.random.default_rng(9)
    X = rng.standard_normal((3, 4))
    params = {"W1": rng.normal(size=(5, 3)), "b1": rng.normal(size=(5, 1)),
              "W2": rng.normal(size=(2, 5)), "b2": rng.normal(size=(2, 1))}
    G = np.random.default_rng(10).standard_normal((2, 4)) / 4

    def cost(key, value):
        changed = dict(params, **{key: value})
        return float(np.sum(G * layer_activations(X, changed, "tanh")[-1]))

    measured = weight_gradient_stds(X, params, "tanh", np.random.default_rng(10))
    for l in (1, 2):
        numeric = numerical_gradient(lambda V: cost(f"W{l}", V), params[f"W{l}"])
        assert math.isclose(measured[l - 1], float(np.std(numeric)), rel_tol=1e-6)


def test_the_page_helpers_use_chapter_4s_passes_for_the_last_layer_too():
    rng = np.random.default_rng(12)
    X, params = rng.standard_normal((3, 5)), initialize_he([3, 4, 2], np.random.default_rng(1))
    ZL, caches = mlp_forward(X, params, "relu")
    assert np.allclose(layer_activations(X, params, "relu")[-1], activation_forward(ZL, "relu"))
    dAL = np.random.default_rng(2).standard_normal(ZL.shape) / 5
    grads = mlp_backward(activation_backward(dAL, ZL, "relu"), caches, "relu")
    assert np.isclose(weight_gradient_stds(X, params, "relu", np.random.default_rng(2))[0], np.std(grads["dW1"]))


def test_with_zero_biases_a_relu_stack_scales_layer_l_by_c_to_the_l():
    X = np.random.default_rng(0).standard_normal((16, 20))
    he = initialize_he([16] * 6, np.random.default_rng(1))
    scaled = {key: value / math.sqrt(2) for key, value in he.items()}
    ratios = np.array(activation_stds(X, scaled, "relu")) / np.array(activation_stds(X, he, "relu"))
    assert np.allclose(ratios, [2 ** (-l / 2) for l in range(1, 6)])


def test_the_binary_cross_entropy_of_a_constant_prediction_is_the_label_entropy():
    Y = np.array([[1.0] * 7 + [0.0] * 3])
    ZL = np.full((1, 10), math.log(0.7 / 0.3))
    assert math.isclose(binary_cross_entropy(ZL, Y)[0], -0.7 * math.log(0.7) - 0.3 * math.log(0.3))
