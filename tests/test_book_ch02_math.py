"""Every formula and numeric claim of the chapter 2 explanation pages, checked numerically.

The pages are chapters/ch02_activations/activations.ipynb (the five activations, their
derivatives, saturation, vanishing gradients, the dying ReLU, why hidden layers need a
non-linearity) and chapters/ch02_activations/one_hidden_layer.ipynb (notation and shapes,
vectorizing, output activations, squared and absolute error, the outlier, the comparison of
hidden activations on a development set). Each section header below names the page and
section whose statements it checks; the small set-ups (seeds, data, loops) are the pages' own.
"""
import numpy as np
import pytest

from solutions.ch01_logistic_regression import optimize, predict, standardize
from solutions.ch02_activations import (collapse_linear_layers, leaky_relu, leaky_relu_derivative, linear,
                                        linear_derivative, one_hidden_layer_forward, relu, relu_derivative,
                                        sigmoid, sigmoid_derivative, tanh, tanh_derivative)

EPS = 1e-6


def finite_difference(f, z, eps=EPS):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


# Points on both sides of 0 but at least 0.05 away from the kink of ReLU and leaky ReLU.
Z_AWAY_FROM_KINK = np.linspace(-4, 4, 81) + 0.05


# ------------------------------------------------ activations page: the five functions

def test_the_values_printed_for_z_from_minus_3_to_3():
    z = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    assert np.allclose(np.round(sigmoid(z), 3), [0.047, 0.269, 0.5, 0.731, 0.953])
    assert np.allclose(np.round(tanh(z), 3), [-0.995, -0.762, 0.0, 0.762, 0.995])
    assert np.array_equal(relu(z), [0, 0, 0, 1, 3])
    assert np.allclose(leaky_relu(z), [-0.03, -0.01, 0, 1, 3])
    assert np.array_equal(linear(z), z)


def test_the_formulas_on_the_page_are_the_functions_used():
    z = np.linspace(-6, 6, 121)
    assert np.allclose(sigmoid(z), 1 / (1 + np.exp(-z)))
    assert np.allclose(tanh(z), (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)))
    assert np.allclose(relu(z), np.maximum(0, z))
    for c in [0.01, 0.1, 0.3]:
        assert np.allclose(leaky_relu(z, slope=c), np.where(z > 0, z, c * z))


def test_tanh_is_a_stretched_and_shifted_sigmoid():
    z = np.linspace(-10, 10, 401)
    assert np.allclose(tanh(z), 2 * sigmoid(2 * z) - 1)


def test_ranges_sigmoid_in_0_1_tanh_in_minus_1_1_odd_and_through_the_origin():
    z = np.linspace(-15, 15, 301)
    assert np.all((sigmoid(z) > 0) & (sigmoid(z) < 1))
    assert np.all(np.abs(tanh(z)) <= 1) and tanh(0.0) == 0
    assert np.allclose(tanh(-z), -tanh(z))


def test_leaky_relu_default_slope_is_0_01_and_slope_0_gives_relu():
    z = np.linspace(-3, 3, 61)
    assert np.allclose(leaky_relu(z), leaky_relu(z, slope=0.01))
    assert np.allclose(leaky_relu(z, slope=0.0), relu(z))


def test_sigmoid_outputs_are_positive_with_mean_one_half_and_tanh_outputs_have_mean_zero():
    z = np.random.default_rng(0).normal(size=1_000_000)
    assert np.isclose(sigmoid(z).mean(), 0.5, atol=0.001) and np.round(sigmoid(z).min(), 3) == 0.009
    assert abs(tanh(z).mean()) < 0.002


def test_with_positive_inputs_every_weight_gradient_of_a_unit_has_the_sign_of_dl_dz():
    rng = np.random.default_rng(1)
    for _ in range(100):
        a = sigmoid(rng.normal(size=5))                # positive inputs of the next layer
        dz = rng.normal()
        gradients = dz * a                            # dL/dw_j = dL/dz * a_j
        assert np.all(np.sign(gradients) == np.sign(dz))


# ------------------------------------------------ activations page: the derivatives

@pytest.mark.parametrize("name, g, g_derivative", [
    ("linear", linear, linear_derivative),
    ("sigmoid", sigmoid, sigmoid_derivative),
    ("tanh", tanh, tanh_derivative),
    ("ReLU", relu, relu_derivative),
    ("leaky ReLU", leaky_relu, leaky_relu_derivative),
])
def test_each_derivative_matches_two_sided_finite_differences(name, g, g_derivative):
    numeric = finite_difference(g, Z_AWAY_FROM_KINK)
    assert np.max(np.abs(numeric - g_derivative(Z_AWAY_FROM_KINK))) < 1e-8, name


@pytest.mark.parametrize("c", [0.0, 0.01, 0.1, 0.3])
def test_leaky_relu_derivative_is_1_or_c_for_any_slope(c):
    z = Z_AWAY_FROM_KINK
    numeric = finite_difference(lambda v: leaky_relu(v, slope=c), z)
    assert np.allclose(numeric, np.where(z > 0, 1.0, c), atol=1e-8)
    assert np.allclose(leaky_relu_derivative(z, slope=c), np.where(z > 0, 1.0, c))


def test_derivative_formulas_as_written_on_the_page():
    z = np.linspace(-8, 8, 161)
    s = sigmoid(z)
    assert np.allclose(np.exp(-z) / (1 + np.exp(-z)) ** 2, s * (1 - s))        # sigma' two ways
    assert np.allclose(1 - s, np.exp(-z) / (1 + np.exp(-z)))
    u, v = np.exp(z) - np.exp(-z), np.exp(z) + np.exp(-z)                      # quotient rule
    assert np.allclose(finite_difference(lambda t: np.exp(t) - np.exp(-t), z), v, rtol=1e-6)
    assert np.allclose(finite_difference(lambda t: np.exp(t) + np.exp(-t), z), u, rtol=1e-6, atol=1e-6)
    assert np.allclose((v * v - u * u) / v ** 2, 1 - tanh(z) ** 2)
    assert np.allclose(sigmoid_derivative(z), s * (1 - s))
    assert np.allclose(tanh_derivative(z), 1 - tanh(z) ** 2)
    assert np.allclose(linear_derivative(z), 1.0)


def test_derivatives_from_the_outputs_a():
    z = np.linspace(-8, 8, 161)
    a = sigmoid(z)
    assert np.allclose(sigmoid_derivative(z), a * (1 - a))
    a = tanh(z)
    assert np.allclose(tanh_derivative(z), 1 - a ** 2)


def test_largest_slopes_are_one_quarter_for_sigmoid_and_one_for_tanh_both_at_zero():
    z = np.linspace(-10, 10, 2001)
    assert sigmoid_derivative(0.0) == 0.25 and sigmoid_derivative(z).max() == 0.25
    assert tanh_derivative(0.0) == 1.0 and tanh_derivative(z).max() == 1.0
    assert tanh_derivative(0.0) == 4 * sigmoid_derivative(0.0)


def test_relu_and_leaky_relu_use_the_left_slope_at_the_kink():
    assert relu_derivative(0.0) == 0.0
    assert leaky_relu_derivative(0.0) == 0.01 and leaky_relu_derivative(0.0, slope=0.3) == 0.3


def test_the_shaded_flat_regions_start_near_3_for_sigmoid_and_2_for_tanh():
    z = np.linspace(0, 6, 6001)
    assert 2.8 < z[np.argmax(sigmoid_derivative(z) < 0.05)] < 3.0
    assert 2.1 < z[np.argmax(tanh_derivative(z) < 0.05)] < 2.3


# ------------------------------------------------ activations page: saturation

def test_slope_table_and_the_numbers_quoted_for_z_5_and_10():
    assert np.isclose(sigmoid_derivative(2.0), 0.105, atol=5e-4)
    assert np.isclose(sigmoid_derivative(5.0), 0.0066, atol=5e-5)
    assert np.isclose(tanh_derivative(5.0), 0.00018, atol=5e-6)
    assert np.isclose(sigmoid_derivative(10.0), 4.5e-5, atol=5e-7)
    assert np.isclose(tanh_derivative(10.0), 8e-9, atol=5e-10)
    assert np.all(relu_derivative(np.array([1e-3, 2.0, 5.0, 10.0, 1e6])) == 1)


def test_chain_rule_for_one_unit_dl_dw_is_dl_da_times_slope_times_x():
    rng = np.random.default_rng(2)
    x, w, b, y = rng.normal(size=3), rng.normal(size=3), 0.4, 0.7
    for g, g_derivative in [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative)]:
        loss = lambda w, b: (g(w @ x + b) - y) ** 2
        z = w @ x + b
        dl_da = 2 * (g(z) - y)
        for j in range(3):
            e = np.zeros(3)
            e[j] = EPS
            assert np.isclose((loss(w + e, b) - loss(w - e, b)) / (2 * EPS), dl_da * g_derivative(z) * x[j])
        assert np.isclose((loss(w, b + EPS) - loss(w, b - EPS)) / (2 * EPS), dl_da * g_derivative(z))


@pytest.fixture(scope="module")
def saturated_unit():
    """The page's single tanh unit a = tanh(w x) and its three gradient-descent runs."""
    rng = np.random.default_rng(0)
    x = rng.uniform(0.5, 2.0, size=(1, 40))
    y = tanh(-x)
    cost = lambda w: np.mean((tanh(w * x) - y) ** 2)
    gradient = lambda w: np.mean(2 * (tanh(w * x) - y) * tanh_derivative(w * x) * x)
    runs = {}
    for w_start in [0.5, 4.0, 6.0]:
        w, costs = w_start, []
        for _ in range(400):
            costs.append(cost(w))
            w = w - 0.5 * gradient(w)
        runs[w_start] = (w, np.array(costs))
    return x, cost, gradient, runs


def test_saturated_unit_gradient_formula_matches_finite_differences(saturated_unit):
    _, cost, gradient, _ = saturated_unit
    for w in [-2.0, -1.0, 0.5, 4.0, 6.0]:
        assert np.isclose(gradient(w), finite_difference(cost, w), rtol=1e-5, atol=1e-10)


def test_saturated_unit_best_weight_is_minus_1_and_inputs_make_4x_at_least_2(saturated_unit):
    x, cost, _, _ = saturated_unit
    assert cost(-1.0) == 0.0 and x.shape == (1, 40)
    assert x.min() >= 0.5 and x.max() <= 2.0


def test_from_0_5_the_unit_finds_minus_1_in_a_few_steps(saturated_unit):
    _, _, _, runs = saturated_unit
    w_end, costs = runs[0.5]
    assert np.isclose(w_end, -1.0, atol=1e-3)
    assert costs[5] < 0.01 * costs[0]


def test_from_4_the_cost_stays_on_the_plateau_then_slides_down(saturated_unit):
    _, _, _, runs = saturated_unit
    w_end, costs = runs[4.0]
    plateau_steps = int(np.argmax(costs < 0.9 * costs[0]))          # the page's definition
    assert plateau_steps > 50 and np.all(costs[:plateau_steps] >= 0.9 * costs[0])
    assert costs[plateau_steps + 50] < 0.1 * costs[0]              # "finally slides down"
    assert np.isclose(w_end, -1.0, atol=1e-3)


def test_from_6_the_slope_is_a_thousand_times_smaller_and_w_barely_moves(saturated_unit):
    _, _, gradient, runs = saturated_unit
    assert gradient(0.5) / gradient(6.0) > 1000
    w_end, costs = runs[6.0]
    assert w_end > 5.5 and costs[-1] > 3.3
    assert np.isclose(costs.max(), 3.315, atol=0.001)                  # "as wrong as it can be"


# ------------------------------------------------ activations page: vanishing gradients

def chain_output(w_chain, b_chain, x0, g=sigmoid):
    a, zs = x0, []
    for w_l, b_l in zip(w_chain, b_chain):
        zs.append(w_l * a + b_l)
        a = g(zs[-1])
    return a, np.array(zs)


def test_product_of_the_slopes_of_l_sigmoid_layers_is_at_most_a_quarter_to_the_l():
    rng = np.random.default_rng(3)
    for _ in range(500):
        L = rng.integers(1, 25)
        w_chain, b_chain = rng.normal(scale=3.0, size=L), rng.normal(scale=3.0, size=L)
        _, zs = chain_output(w_chain, b_chain, rng.normal())
        assert np.prod(sigmoid_derivative(zs)) <= 0.25 ** L


def test_the_bound_is_below_1e_minus_6_for_10_layers_and_1e_minus_12_for_20():
    assert np.isclose(0.25 ** 10, 9.5e-7, atol=1e-8) and 0.25 ** 10 < 1e-6
    assert 0.25 ** 20 < 1e-12


def test_chain_gradient_formula_matches_finite_differences_and_the_page_numbers():
    rng = np.random.default_rng(1)
    L, x0 = 10, 1.0
    w_chain, b_chain = rng.uniform(-1, 1, size=L), rng.uniform(-1, 1, size=L)
    _, zs = chain_output(w_chain, b_chain, x0)
    product = np.prod(sigmoid_derivative(zs))
    formula = product * np.prod(w_chain[1:]) * x0
    nudge = np.zeros(L)
    nudge[0] = 1e-3
    numeric = (chain_output(w_chain + nudge, b_chain, x0)[0] - chain_output(w_chain - nudge, b_chain, x0)[0]) / 2e-3
    assert np.isclose(numeric, formula, rtol=1e-3)
    assert f"{formula:.3e}" == f"{numeric:.3e}" == "-1.407e-10"
    assert np.isclose(product, 3.80e-7, rtol=0.01)
    assert abs(formula) <= 0.25 ** L * abs(x0)                       # |w| <= 1: at most 0.25^L |x|


def chain_gradients(g, g_derivative, layers, w):
    """The depth demo: slopes g'(z[l]) and |d a[L] / d z[l]| for a chain with weight w, biases 0, x = 1."""
    a, zs = 1.0, []
    for _ in range(layers):
        zs.append(w * a)
        a = g(zs[-1])
    slopes = g_derivative(np.array(zs))
    return slopes, np.array([np.prod(slopes[l:]) * abs(w) ** (layers - 1 - l) for l in range(layers)])


@pytest.mark.parametrize("g, g_derivative", [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative)])
@pytest.mark.parametrize("w", [0.5, 1.0, 2.5])
def test_depth_demo_gradients_match_finite_differences_in_each_layer(g, g_derivative, w):
    layers = 6
    _, gradients = chain_gradients(g, g_derivative, layers, w)
    for l in range(layers):
        def output_after_nudging_z(eps):
            a = 1.0
            for k in range(layers):
                a = g(w * a + (eps if k == l else 0.0))
            return a
        numeric = (output_after_nudging_z(1e-5) - output_after_nudging_z(-1e-5)) / 2e-5
        assert np.isclose(abs(numeric), gradients[l], rtol=1e-5)


def test_depth_demo_sigmoid_bound_holds_in_every_layer():
    for layers in [1, 5, 10, 20]:
        for w in np.arange(0.25, 3.01, 0.25):
            _, gradients = chain_gradients(sigmoid, sigmoid_derivative, layers, w)
            index = np.arange(1, layers + 1)
            assert np.all(gradients <= 0.25 ** (layers - index + 1) * w ** (layers - index) * (1 + 1e-12))


def test_depth_demo_with_w_1_sigmoid_falls_by_about_4_5_per_layer_and_tanh_far_more_slowly():
    _, sig = chain_gradients(sigmoid, sigmoid_derivative, 20, 1.0)
    _, tnh = chain_gradients(tanh, tanh_derivative, 20, 1.0)
    assert np.isclose(sig[-2] / sig[-3], 4.45, atol=0.1)
    assert 4.3 < (sig[-1] / sig[0]) ** (1 / 19) < 4.7
    assert tnh[0] > 1e10 * sig[0]


def test_depth_demo_raising_w_helps_the_sigmoid_chain_a_little_up_to_1_5_then_hurts():
    first = {w: chain_gradients(sigmoid, sigmoid_derivative, 10, w)[1][0] for w in [1.0, 1.25, 1.5, 2.0, 2.5, 3.0]}
    assert first[1.0] < first[1.25] < first[1.5]
    assert first[1.5] > first[2.0] > first[2.5] > first[3.0]
    slopes, _ = chain_gradients(sigmoid, sigmoid_derivative, 10, 1.5)
    assert 1.5 * slopes[-1] < 1 / 3                                    # each layer still divides by > 3


def test_depth_demo_tanh_gets_worse_at_once_as_w_grows_and_saturates():
    first = [chain_gradients(tanh, tanh_derivative, 10, w)[1][0] for w in [1.0, 1.25, 1.5, 2.0, 2.5, 3.0]]
    assert np.all(np.diff(first) < 0)
    slopes_3, _ = chain_gradients(tanh, tanh_derivative, 10, 3.0)
    assert np.isclose(slopes_3[-1], 0.01, atol=0.002)
    slopes_quarter, gradients_quarter = chain_gradients(tanh, tanh_derivative, 10, 0.25)
    assert np.all(slopes_quarter[1:] > 0.99)                            # slopes 1, the small w shrinks it
    assert np.isclose(gradients_quarter[0], np.prod(slopes_quarter) * 0.25 ** 9)


def test_depth_demo_tour_stays_inside_the_drawn_log_axis():
    for layers in [1, 2, 3, 5, 8, 10, 15, 20]:
        for w in [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0]:
            for g, g_derivative in [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative)]:
                gradients = chain_gradients(g, g_derivative, layers, w)[1]
                assert gradients.max() < 3
    assert chain_gradients(tanh, tanh_derivative, 20, 3.0)[1][-1] > 1e-30


# ------------------------------------------------ activations page: the dying ReLU

@pytest.fixture(scope="module")
def dying_relu():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(2, 100))
    Y = relu(X[[0]] + X[[1]])

    def train_one_unit(g, g_derivative, w, b, learning_rate=0.5, steps=400):
        # w: (n_x, 1), a column, as everywhere in the book; z = w.T x + b.
        costs, largest_z = [], []
        for _ in range(steps):
            Z = w.T @ X + b
            A = g(Z)
            costs.append(np.mean((A - Y) ** 2))
            largest_z.append(Z.max())
            dZ = 2 * (A - Y) * g_derivative(Z)
            w = w - learning_rate * X @ dZ.T / X.shape[1]
            b = b - learning_rate * np.mean(dZ)
        return w, b, np.array(costs), np.array(largest_z)

    return X, Y, train_one_unit


def test_the_targets_are_fitted_exactly_by_w_1_1_and_b_0(dying_relu):
    X, Y, _ = dying_relu
    assert np.array_equal(relu(np.array([[1.0], [1.0]]).T @ X + 0.0), Y)


def test_every_pre_activation_is_negative_at_the_start(dying_relu):
    X, _, _ = dying_relu
    Z = np.array([[1.0], [1.0]]).T @ X - 2.5
    assert np.all(X[0] + X[1] <= 2) and Z.shape == (1, 100)
    assert Z.max() < 0


def test_dead_relu_unit_has_exactly_zero_gradient_by_formula_and_finite_differences(dying_relu):
    X, Y, _ = dying_relu
    w, b = np.array([[1.0], [1.0]]), -2.5
    Z = w.T @ X + b
    dZ = 2 * (relu(Z) - Y) * relu_derivative(Z)
    assert (X @ dZ.T).shape == w.shape
    assert np.all(X @ dZ.T == 0) and np.mean(dZ) == 0
    cost = lambda w, b: np.mean((relu(w.T @ X + b) - Y) ** 2)
    for e in [np.array([[1e-3], [0.0]]), np.array([[0.0], [1e-3]])]:
        assert cost(w + e, b) == cost(w - e, b)
    assert cost(w, b + 1e-3) == cost(w, b - 1e-3)


def test_dead_relu_unit_never_recovers_and_leaky_relu_creeps_until_some_z_is_positive(dying_relu):
    _, _, train_one_unit = dying_relu
    w0, b0 = np.array([[1.0], [1.0]]), -2.5
    w, b, costs, _ = train_one_unit(relu, relu_derivative, w0, b0)
    assert np.array_equal(w, w0) and b == b0 and np.all(costs == costs[0])
    w, b, costs, largest_z = train_one_unit(leaky_relu, leaky_relu_derivative, w0, b0)
    assert costs[0] > costs[-1] and costs[-1] < 1e-4
    revival = int(np.argmax(largest_z > 0))                        # the page's "revival" step
    assert 0 < revival < 400 and np.all(largest_z[:revival] <= 0)
    assert np.all(costs[:revival] > 0.9 * costs[0])                # creeping while every z < 0
    assert costs[-1] < 0.01 * costs[revival]                       # then it learns at full speed
    assert np.allclose(w, [[1.0], [1.0]], atol=1e-3) and abs(b) < 1e-3


def test_leaky_gradient_on_the_negative_side_is_100_times_smaller_but_not_zero():
    z = np.array([-3.0, -0.5])
    assert np.allclose(leaky_relu_derivative(z) * 100, relu_derivative(-z))
    assert np.all(leaky_relu_derivative(z) > 0)


# ------------------------------------------------ activations page: why non-linearity

def test_two_linear_layers_are_one_with_w2_w1_and_w2_b1_plus_b2():
    rng = np.random.default_rng(4)
    W1, b1, W2, b2 = rng.normal(size=(4, 3)), rng.normal(size=(4, 1)), rng.normal(size=(2, 4)), rng.normal(size=(2, 1))
    X = rng.normal(size=(3, 9))
    assert np.allclose(W2 @ (W1 @ X + b1) + b2, (W2 @ W1) @ X + (W2 @ b1 + b2))


def test_collapse_formula_for_three_layers_as_written_matches_the_stack():
    rng = np.random.default_rng(5)
    W1, W2, W3 = rng.normal(size=(4, 3)), rng.normal(size=(2, 4)), rng.normal(size=(5, 2))
    b1, b2, b3 = rng.normal(size=(4, 1)), rng.normal(size=(2, 1)), rng.normal(size=(5, 1))
    X = rng.normal(size=(3, 8))
    stack = W3 @ (W2 @ (W1 @ X + b1) + b2) + b3
    W = W3 @ W2 @ W1                                                  # W = W^[L] ... W^[2] W^[1]
    b = W3 @ (W2 @ b1 + b2) + b3                                      # b = W^[L](...(W^[2] b^[1] + b^[2])...) + b^[L]
    assert np.allclose(stack, W @ X + b)
    W_ref, b_ref = collapse_linear_layers([W1, W2, W3], [b1, b2, b3])
    assert np.allclose(W, W_ref) and np.allclose(b, b_ref)


@pytest.fixture(scope="module")
def four_linear_layers():
    rng = np.random.default_rng(3)
    sizes = [2, 5, 4, 3, 1]
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=(n_out, 1)) for n_out in sizes[1:]]
    X = rng.normal(size=(2, 6))
    A = X
    for W_l, b_l in zip(weights, biases):
        A = W_l @ A + b_l
    return weights, biases, X, A


def test_the_page_stack_of_four_linear_layers_equals_one_layer(four_linear_layers):
    weights, biases, X, A = four_linear_layers
    W, b = collapse_linear_layers(weights, biases)
    assert W.shape == (1, 2) and b.shape == (1, 1)
    assert np.max(np.abs(A - (W @ X + b))) < 1e-12


def test_linear_hidden_layers_with_a_sigmoid_output_are_logistic_regression(four_linear_layers):
    weights, biases, X, A = four_linear_layers
    W, b = collapse_linear_layers(weights, biases)
    w, b_number = W.T, b.item()
    assert w.shape == (2, 1)
    assert np.allclose(sigmoid(A), sigmoid(w.T @ X + b_number))


def random_network_z(P, hidden, seed=2):
    """The figure's 2 -> 8 -> 8 -> 1 network (before its sigmoid) on points P: (2, k)."""
    rng = np.random.default_rng(seed)
    sizes = [2, 8, 8, 1]
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=(n_out, 1)) for n_out in sizes[1:]]
    A = P
    for W_l, b_l in zip(weights[:-1], biases[:-1]):
        A = hidden(W_l @ A + b_l)
    return weights[-1] @ A + biases[-1]


def test_with_linear_hidden_layers_every_level_line_is_straight_and_parallel():
    x1, x2 = np.meshgrid(np.linspace(-3, 3, 31), np.linspace(-3, 3, 31))
    P = np.vstack([x1.ravel(), x2.ravel()])
    for hidden, affine in [(linear, True), (relu, False), (tanh, False)]:
        Z = random_network_z(P, hidden).reshape(x1.shape)
        second_differences = np.concatenate([np.diff(Z, 2, axis=0).ravel(), np.diff(Z, 2, axis=1).ravel()])
        assert (np.max(np.abs(second_differences)) < 1e-9) == affine
    for hidden in (linear, relu, tanh):                                # every panel shows both classes
        assert 0.3 < np.mean(random_network_z(P, hidden) > 0) < 0.7


# ------------------------------------------------ one-hidden-layer page: notation, vectorizing

def test_broadcasting_adds_the_bias_column_to_every_column():
    b1 = np.array([[10.0], [20.0], [30.0]])
    assert np.array_equal(np.zeros((3, 4)) + b1, np.repeat(b1, 4, axis=1))


def test_shapes_of_the_table_and_a_batch_equals_its_examples_one_at_a_time():
    rng = np.random.default_rng(0)
    n_x, n_h, n_y, m = 2, 3, 1, 2000
    X = rng.normal(size=(n_x, m))
    W1, b1 = rng.normal(size=(n_h, n_x)), rng.normal(size=(n_h, 1))
    W2, b2 = rng.normal(size=(n_y, n_h)), rng.normal(size=(n_y, 1))
    A2, cache = one_hidden_layer_forward(X, W1, b1, W2, b2, relu, sigmoid)
    assert cache["Z1"].shape == cache["A1"].shape == (n_h, m) and A2.shape == (n_y, m)
    one_at_a_time = np.hstack([one_hidden_layer_forward(X[:, [i]], W1, b1, W2, b2, relu, sigmoid)[0] for i in range(m)])
    assert np.allclose(one_at_a_time, A2)
    # Row j of W1 holds the weights of hidden unit j; column i of Z1 is example i.
    assert np.isclose(cache["Z1"][1, 7], W1[1] @ X[:, 7] + b1[1, 0])
    assert np.allclose(cache["Z1"], W1 @ X + b1) and np.allclose(A2, sigmoid(W2 @ relu(W1 @ X + b1) + b2))


# ------------------------------------------------ one-hidden-layer page: output activations

def test_output_ranges_sigmoid_0_1_linear_everything_relu_non_negative():
    z = np.linspace(-50, 50, 1001)
    assert np.all((sigmoid(z) >= 0) & (sigmoid(z) <= 1))
    assert linear(z).min() == -50 and linear(z).max() == 50
    assert relu(z).min() == 0 and relu(z).max() == 50


def test_a_relu_output_sends_back_no_gradient_when_z2_is_negative():
    assert np.all(relu_derivative(np.array([-3.0, -0.1])) == 0)


# ------------------------------------------------ one-hidden-layer page: regression losses

def test_squared_and_absolute_error_derivatives_by_finite_differences_away_from_zero():
    y = 1.3
    y_hat = y + np.concatenate([np.linspace(-3, -0.05, 30), np.linspace(0.05, 3, 30)])
    assert np.allclose(finite_difference(lambda v: (v - y) ** 2, y_hat), 2 * (y_hat - y), atol=1e-7)
    assert np.allclose(finite_difference(lambda v: np.abs(v - y), y_hat), np.sign(y_hat - y), atol=1e-7)
    assert np.allclose(finite_difference(lambda v: 0.5 * (v - y) ** 2, y_hat), y_hat - y, atol=1e-7)
    assert np.sign(0.0) == 0


def test_the_costs_are_the_mean_losses():
    rng = np.random.default_rng(6)
    y_hat, y = rng.normal(size=(1, 9)), rng.normal(size=(1, 9))
    assert np.isclose(np.mean((y_hat - y) ** 2), np.sum((y_hat - y) ** 2) / 9)
    assert np.isclose(np.mean(np.abs(y_hat - y)), np.sum(np.abs(y_hat - y)) / 9)


def test_the_loss_curves_cross_at_residuals_minus_1_0_and_1():
    r = np.array([-1.0, 0.0, 1.0])
    assert np.array_equal(r ** 2, np.abs(r))
    assert 3 ** 2 == 9


def test_best_constant_is_the_mean_for_squared_error_and_the_median_for_absolute_error():
    y = np.array([2.1, 1.9, 2.0, 2.2, 1.8, 2.0, 20.0])
    c = np.linspace(0, 21, 21001)
    mse = np.mean((c[:, None] - y) ** 2, axis=1)
    mae = np.mean(np.abs(c[:, None] - y), axis=1)
    assert np.isclose(c[np.argmin(mse)], np.mean(y), atol=5e-4) and np.isclose(np.mean(y), 4.571, atol=5e-4)
    assert np.isclose(c[np.argmin(mae)], np.median(y)) and np.median(y) == 2.0
    # derivative of the mean absolute error in c: (number below - number above) / m
    for c0 in [1.5, 1.95, 2.05, 3.0, 25.0]:
        count = (np.sum(y < c0) - np.sum(y > c0)) / len(y)
        assert np.isclose(finite_difference(lambda v: np.mean(np.abs(v - y)), c0), count)


@pytest.fixture(scope="module")
def outlier_fits():
    rng = np.random.default_rng(3)
    x = np.append(np.linspace(0, 1, 15), 0.9)
    y_clean = 1 + 2 * x + 0.15 * rng.normal(size=16)

    def fit_line(x, y, loss_derivative, learning_rate, steps=3000):
        w, b = 0.0, 0.0
        for _ in range(steps):
            pull = loss_derivative(w * x + b - y)
            w -= learning_rate * np.mean(pull * x)
            b -= learning_rate * np.mean(pull)
        return w, b

    losses = {"squared": (lambda r: 2 * r, 0.5), "absolute": (np.sign, 0.05)}
    tour = np.arange(-6.0, 10.01, 1.0)
    slopes = {name: [fit_line(x, np.append(y_clean[:-1], v), d, rate)[0] for v in tour]
              for name, (d, rate) in losses.items()}
    y = np.append(y_clean[:-1], -4.0)
    fits = {name: fit_line(x, y, d, rate) for name, (d, rate) in losses.items()}
    return x, y, fits, tour, slopes


def test_the_outlier_figure_fits(outlier_fits):
    x, y, fits, _, _ = outlier_fits
    assert x[-1] == 0.9 and y[-1] == -4.0
    assert np.allclose(fits["squared"], (0.37, 1.40), atol=0.005)
    assert np.allclose(fits["absolute"], (1.89, 1.01), atol=0.005)


def test_gradient_descent_reaches_the_least_squares_line(outlier_fits):
    x, y, fits, _, _ = outlier_fits
    assert np.allclose(fits["squared"], np.polyfit(x, y, 1), atol=1e-6)


def test_the_absolute_error_fit_is_close_to_the_best_line_through_two_points(outlier_fits):
    # A line minimizing the absolute error passes through two of the points: search them all.
    x, y, fits, _, _ = outlier_fits
    mae = lambda w, b: np.mean(np.abs(w * x + b - y))
    best = min(mae((y[j] - y[i]) / (x[j] - x[i]), y[i] - (y[j] - y[i]) / (x[j] - x[i]) * x[i])
               for i in range(16) for j in range(16) if x[i] != x[j])
    assert mae(*fits["absolute"]) - best < 0.005
    assert mae(*fits["absolute"]) < mae(*fits["squared"])


def test_demo_squared_slope_follows_the_outlier_in_a_straight_line_absolute_barely_moves(outlier_fits):
    _, _, _, tour, slopes = outlier_fits
    assert len(tour) == 17
    assert np.max(np.abs(np.diff(slopes["squared"], 2))) < 1e-6 and np.all(np.diff(slopes["squared"]) > 0.2)
    assert np.ptp(slopes["absolute"]) < 0.1 and np.allclose(slopes["absolute"], 2, atol=0.15)


# ------------------------------------------------ one-hidden-layer page: the dev-set experiment

def make_moons(m, noise, rng):
    angle = rng.uniform(0, np.pi, size=m)
    label = rng.integers(0, 2, size=m)
    x1 = np.where(label == 1, np.cos(angle), 1 - np.cos(angle))
    x2 = np.where(label == 1, np.sin(angle), 0.5 - np.sin(angle))
    X = np.vstack([x1, x2]) + noise * rng.normal(size=(2, m))
    return X, label.reshape(1, m).astype(float)


def initialize(n_x, n_h, n_y, seed):
    rng = np.random.default_rng(seed)
    return {"W1": 0.5 * rng.normal(size=(n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": 0.5 * rng.normal(size=(n_y, n_h)), "b2": np.zeros((n_y, 1))}


def cross_entropy_from_z(Z2, Y):
    return np.mean(np.logaddexp(0.0, Z2) - Y * Z2)


def gradients(p, X, Y, g, g_derivative):
    """The page's backward formulas for the 2-layer network with a sigmoid output."""
    m = X.shape[1]
    A2, cache = one_hidden_layer_forward(X, p["W1"], p["b1"], p["W2"], p["b2"], g, sigmoid)
    dZ2 = A2 - Y
    dZ1 = (p["W2"].T @ dZ2) * g_derivative(cache["Z1"])
    return {"W1": dZ1 @ X.T / m, "b1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "W2": dZ2 @ cache["A1"].T / m, "b2": np.sum(dZ2, axis=1, keepdims=True) / m}, cache


def train(X, Y, g, g_derivative, learning_rate, num_iterations=2000, n_h=8, seed=1):
    p = initialize(X.shape[0], n_h, 1, seed)
    costs = []
    for i in range(num_iterations):
        grads, cache = gradients(p, X, Y, g, g_derivative)
        if i % 10 == 0:
            costs.append(cross_entropy_from_z(cache["Z2"], Y))
        p = {name: p[name] - learning_rate * grads[name] for name in p}
    return p, costs


def accuracy(p, g, X, Y):
    A2, _ = one_hidden_layer_forward(X, p["W1"], p["b1"], p["W2"], p["b2"], g, sigmoid)
    return np.mean((A2 > 0.5) == Y)


HIDDEN = {"linear": (linear, linear_derivative), "sigmoid": (sigmoid, sigmoid_derivative),
          "tanh": (tanh, tanh_derivative), "ReLU": (relu, relu_derivative),
          "leaky ReLU": (leaky_relu, leaky_relu_derivative)}
RATES = [0.1, 0.3, 1.0]


def test_cross_entropy_from_z_is_the_cross_entropy_of_the_sigmoid():
    Z = np.linspace(-20, 20, 81).reshape(1, -1)
    for y in (0.0, 1.0):
        Y = np.full_like(Z, y)
        A = sigmoid(Z)
        assert np.isclose(cross_entropy_from_z(Z, Y), np.mean(-(Y * np.log(A) + (1 - Y) * np.log(1 - A))))


@pytest.mark.parametrize("name", list(HIDDEN))
def test_the_backward_formulas_match_finite_differences_of_the_cost(name):
    g, g_derivative = HIDDEN[name]
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(2, 13)), rng.integers(0, 2, size=(1, 13)).astype(float)
    p = initialize(2, 4, 1, seed=3)
    p["b1"] = rng.normal(size=(4, 1))                                 # keep Z1 away from the ReLU kink
    grads, _ = gradients(p, X, Y, g, g_derivative)
    cost = lambda q: cross_entropy_from_z(one_hidden_layer_forward(X, q["W1"], q["b1"], q["W2"], q["b2"], g, sigmoid)[1]["Z2"], Y)
    for key in p:
        for index in np.ndindex(p[key].shape):
            up = {k: v.copy() for k, v in p.items()}
            down = {k: v.copy() for k, v in p.items()}
            up[key][index] += EPS
            down[key][index] -= EPS
            assert np.isclose(grads[key][index], (cost(up) - cost(down)) / (2 * EPS), atol=1e-7), (key, index)


@pytest.fixture(scope="module")
def moons():
    X_all, Y_all = make_moons(600, noise=0.2, rng=np.random.default_rng(0))
    X_train, X_dev = standardize(X_all[:, :300], X_all[:, 300:450])
    _, X_test = standardize(X_all[:, :300], X_all[:, 450:])
    return X_train, Y_all[:, :300], X_dev, Y_all[:, 300:450], X_test, Y_all[:, 450:]


@pytest.fixture(scope="module")
def experiment(moons):
    X_train, Y_train, X_dev, Y_dev, _, _ = moons
    results = {}
    for name, (g, g_derivative) in HIDDEN.items():
        for rate in RATES:
            p, costs = train(X_train, Y_train, g, g_derivative, rate)
            results[name, rate] = {"params": p, "costs": costs, "train": accuracy(p, g, X_train, Y_train),
                                   "dev": accuracy(p, g, X_dev, Y_dev)}
    return results


def test_moons_split_300_150_150_standardized_on_the_training_set(moons):
    X_train, Y_train, X_dev, Y_dev, X_test, Y_test = moons
    assert X_train.shape == (2, 300) and X_dev.shape == (2, 150) and X_test.shape == (2, 150)
    assert np.allclose(X_train.mean(axis=1), 0) and np.allclose(X_train.std(axis=1), 1)
    assert [round(Y.mean(), 2) for Y in (Y_train, Y_dev, Y_test)] == [0.51, 0.45, 0.55]


def test_no_straight_line_separates_the_moons(moons):
    X_train, Y_train, *_ = moons
    params, _, _ = optimize(np.zeros((2, 1)), 0.0, X_train, Y_train, num_iterations=2000, learning_rate=1.0)
    assert np.mean(predict(params["w"], params["b"], X_train) == Y_train) < 0.9


def test_linear_hidden_layer_scores_like_logistic_regression_at_every_rate(moons, experiment):
    X_train, Y_train, X_dev, Y_dev, _, _ = moons
    params, _, _ = optimize(np.zeros((2, 1)), 0.0, X_train, Y_train, num_iterations=2000, learning_rate=1.0)
    logistic_dev = np.mean(predict(params["w"], params["b"], X_dev) == Y_dev)
    assert np.isclose(logistic_dev, 0.867, atol=5e-4)
    assert all(experiment["linear", rate]["dev"] == logistic_dev for rate in RATES)


def test_sigmoid_hidden_units_do_not_get_past_the_straight_line_in_2000_steps(experiment):
    line = experiment["linear", 1.0]["dev"]
    assert all(experiment["sigmoid", rate]["dev"] <= line for rate in RATES)
    costs = experiment["sigmoid", 1.0]["costs"]
    assert abs(costs[-1] - costs[50]) < 0.01                           # lingering on a plateau


def test_tanh_relu_and_leaky_relu_score_well_above_the_line(experiment):
    line = experiment["linear", 1.0]["dev"]
    for name in ["tanh", "ReLU", "leaky ReLU"]:
        assert max(experiment[name, rate]["dev"] for rate in RATES) > line + 0.08


def test_cost_curves_in_the_figure_level_off_near_0_28_or_fall_to_about_0_05(experiment):
    for name in ["linear", "sigmoid"]:
        assert np.isclose(experiment[name, 1.0]["costs"][-1], 0.28, atol=0.01)
    for name in ["tanh", "ReLU", "leaky ReLU"]:
        assert 0.045 < experiment[name, 1.0]["costs"][-1] < 0.06


def test_chosen_setting_is_tanh_at_rate_1_and_its_test_accuracy_is_0_96(moons, experiment):
    *_, X_test, Y_test = moons
    chosen = max(experiment, key=lambda key: experiment[key]["dev"])
    assert chosen == ("tanh", 1.0) and np.isclose(experiment[chosen]["dev"], 0.973, atol=5e-4)
    assert np.isclose(accuracy(experiment[chosen]["params"], tanh, X_test, Y_test), 0.96)


def test_the_best_three_activations_are_a_couple_of_dev_examples_apart(experiment):
    best = {name: max(experiment[name, rate]["dev"] for rate in RATES) for name in ["tanh", "ReLU", "leaky ReLU"]}
    gap_in_examples = (max(best.values()) - min(best.values())) * 150
    assert np.isclose(gap_in_examples, round(gap_in_examples)) and round(gap_in_examples) <= 2
    assert np.isclose(100 / 150, 0.7, atol=0.05)                      # one dev example is 0.7 points


# ------------------------------------------------ new statements of the reworked pages

def test_the_flat_thresholds_of_the_derivatives_figure_solve_slope_equals_0_05():
    flat = 0.05
    s_flat = (1 + np.sqrt(1 - 4 * flat)) / 2
    sigmoid_flat, tanh_flat = np.log(s_flat / (1 - s_flat)), np.arctanh(np.sqrt(1 - flat))
    assert np.isclose(sigmoid_derivative(sigmoid_flat), flat) and np.isclose(tanh_derivative(tanh_flat), flat)
    z = np.linspace(0, 6, 601)
    assert np.all((sigmoid_derivative(z) < flat) == (z > sigmoid_flat))
    assert np.all((tanh_derivative(z) < flat) == (z > tanh_flat))


def test_the_explorer_tour_holds_what_the_text_asks_for():
    assert np.isclose(sigmoid_derivative(0.0), 0.25) and sigmoid_derivative(4.0) < 0.02
    assert tanh_derivative(4.0) < sigmoid_derivative(4.0) < 0.02
    assert relu_derivative(-2.0) == 0.0
    assert [leaky_relu_derivative(-2.0, c) for c in (0.01, 0.1, 0.3)] == [0.01, 0.1, 0.3]


def test_activations_check_your_understanding_answers():
    assert tanh_derivative(3.0) < sigmoid_derivative(3.0) < 0.05              # tanh is flatter at 3
    assert np.isclose(0.25 ** 10, 9.5e-7, rtol=0.01)
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(size=(4, 3)), rng.normal(size=(2, 4))
    b1, b2 = rng.normal(size=(4, 1)), rng.normal(size=(2, 1))
    W, b = collapse_linear_layers([W1, W2], [b1, b2])
    assert W.shape == (2, 3) and b.shape == (2, 1)
    assert np.allclose(W, W2 @ W1) and np.allclose(b, W2 @ b1 + b2)


def test_one_hidden_layer_check_your_understanding_answers():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 32))
    W1, b1, W2, b2 = rng.normal(size=(4, 5)), rng.normal(size=(4, 1)), rng.normal(size=(1, 4)), rng.normal(size=(1, 1))
    A2, cache = one_hidden_layer_forward(X, W1, b1, W2, b2, relu, sigmoid)
    assert cache["Z1"].shape == (4, 32) and A2.shape == (1, 32)
    y = np.array([3.0, 4.0, 4.0, 5.0, 40.0])
    assert np.mean(y) == 11.2 and np.median(y) == 4.0
    c = np.linspace(0, 45, 45001)
    assert np.isclose(c[np.argmin(np.mean((c[:, None] - y) ** 2, axis=1))], 11.2, atol=1e-3)
    assert np.isclose(c[np.argmin(np.mean(np.abs(c[:, None] - y), axis=1))], 4.0, atol=1e-3)


def test_regression_examples_as_rows_give_the_same_fits_as_flat_arrays(outlier_fits):
    x, y, fits, _, _ = outlier_fits
    X, Y = x.reshape(1, -1), y.reshape(1, -1)                              # (1, m), as on the page
    w, b = 0.0, 0.0
    for _ in range(3000):
        pull = 2 * (w * X + b - Y)
        w -= 0.5 * np.mean(pull * X)
        b -= 0.5 * np.mean(pull)
    assert np.allclose((w, b), fits["squared"])
