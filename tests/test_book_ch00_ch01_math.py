"""Every formula and numeric claim of the chapter 0 and 1 explanation pages, checked numerically.

The pages are chapters/ch00_perceptrons/perceptrons.ipynb and, in
chapters/ch01_logistic_regression/, logistic_regression.ipynb (model and cost),
gradient_descent.ipynb (gradients, learning rate, standardization) and
training_on_digits.ipynb (vectorization, 64-pixel training, decision boundary). Each test
names the page section whose statement it checks.
"""
import itertools

import numpy as np
import pytest

from nnbook.data import load_binary_digits
from nnbook.features import LEFT_INK_WINDOW, left_and_top_ink, left_ink, top_ink
from solutions.ch00_perceptrons import perceptron
from solutions.ch01_logistic_regression import model, optimize, predict, propagate, sigmoid, standardize

X_GATES = np.array([[0, 0, 1, 1],
                    [0, 1, 0, 1]])
XOR = [0, 1, 1, 0]


def step(Z):
    return (Z > 0).astype(int)


def column(*values):
    return np.array(values, dtype=float).reshape(-1, 1)


def outputs(w, b):
    return perceptron(X_GATES, w, b).ravel().tolist()


# ---------------------------------------------------------------- chapter 0: perceptrons

@pytest.mark.parametrize("gate, w, b, truth", [
    ("AND", (1.0, 1.0), -1.5, [0, 0, 0, 1]),
    ("OR", (1.0, 1.0), -0.5, [0, 1, 1, 1]),
    ("NAND", (-1.0, -1.0), 1.5, [1, 1, 1, 0]),
])
def test_hand_picked_weights_in_the_table_compute_their_gates(gate, w, b, truth):
    assert outputs(column(*w), b) == truth, gate


def test_with_unit_weights_z_counts_the_ones_plus_b():
    # "Take w1 = w2 = 1. Then w.x = x1 + x2 just counts the ones, so z is b, 1 + b or 2 + b."
    assert ((column(1, 1).T @ X_GATES - 1.5).ravel() == np.array([0, 1, 1, 2]) - 1.5).all()


@pytest.mark.parametrize("b", np.linspace(-1.999, -1.0, 9))
def test_any_bias_in_minus_2_to_minus_1_makes_and(b):
    assert outputs(column(1, 1), b) == [0, 0, 0, 1]


@pytest.mark.parametrize("b", np.linspace(-0.999, 0.0, 9))
def test_any_bias_in_minus_1_to_0_makes_or(b):
    assert outputs(column(1, 1), b) == [0, 1, 1, 1]


def test_flipping_every_sign_of_and_gives_nand():
    assert outputs(-column(1, 1), 1.5) == [1 - y for y in outputs(column(1, 1), -1.5)]


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0, 1e4])
def test_scaling_weights_and_bias_by_a_positive_number_keeps_the_gate(scale):
    assert outputs(scale * column(1, 1), scale * -1.5) == [0, 0, 0, 1]


def test_weight_vector_is_normal_to_the_line_and_points_to_the_side_labelled_one():
    rng = np.random.default_rng(0)
    for _ in range(50):
        w, b = rng.normal(size=(2, 1)), rng.normal()
        on_line = -b * w / np.sum(w ** 2)                      # a point with w.x + b = 0
        along = np.array([[-w[1, 0]], [w[0, 0]]])               # direction of the line
        assert np.isclose((w.T @ (on_line + 3.0 * along)).item() + b, 0.0)
        assert perceptron(on_line + 1e-3 * w, w, b).item() == 1
        assert perceptron(on_line - 1e-3 * w, w, b).item() == 0


def test_distance_of_the_decision_line_from_the_origin_is_abs_b_over_norm_w():
    w, b = column(3.0, 4.0), -10.0
    closest = -b * w / np.sum(w ** 2)
    assert np.isclose(np.linalg.norm(closest), abs(b) / np.linalg.norm(w))


def test_no_perceptron_on_the_pages_grid_computes_xor_and_the_best_gets_3_of_4():
    grid = np.linspace(-2.0, 2.0, 33)
    best = max(sum(o == t for o, t in zip(outputs(column(w1, w2), b), XOR))
               for w1, w2, b in itertools.product(grid, grid, grid))
    assert len(grid) ** 3 == 35_937
    assert best == 3


@pytest.mark.parametrize("w, b", [((1.0, 1.0), -0.5), ((1.0, -1.0), -0.5), ((-1.0, -1.0), 1.5)])
def test_each_line_drawn_against_xor_gets_3_of_4(w, b):
    assert sum(o == t for o, t in zip(outputs(column(*w), b), XOR)) == 3


def test_xor_inequalities_contradict_each_other():
    # (0,1) and (1,0) give w1 + w2 + 2b > 0; (0,0) and (1,1) give w1 + w2 + 2b <= 0.
    rng = np.random.default_rng(1)
    for w1, w2, b in rng.normal(scale=3.0, size=(10_000, 3)):
        ones_ok = w2 + b > 0 and w1 + b > 0
        zeros_ok = b <= 0 and w1 + w2 + b <= 0
        assert not (ones_ok and zeros_ok)


W1, B1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), column(-0.5, 1.5)
W2, B2 = np.array([[1.0, 1.0]]), -1.5


def test_the_two_layer_weights_on_the_page_compute_xor():
    H = step(W1 @ X_GATES + B1)
    assert step(W2 @ H + B2).ravel().tolist() == XOR


def test_the_hidden_layer_maps_the_inputs_to_the_points_drawn_in_the_hidden_plane():
    H = step(W1 @ X_GATES + B1)
    assert H.tolist() == [[0, 1, 1, 1], [1, 1, 1, 0]]             # OR row, NAND row
    assert [tuple(h) for h in H.T] == [(0, 1), (1, 1), (1, 1), (1, 0)]


def test_without_the_step_two_layers_are_one_linear_unit():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2, 7))
    two_layers = W2 @ (W1 @ X + B1) + B2
    one_layer = (W2 @ W1) @ X + (W2 @ B1 + B2)
    assert np.allclose(two_layers, one_layer)


# ------------------------------------------- chapter 1, page 1: the model and its cost

@pytest.fixture(scope="module")
def digits():
    return load_binary_digits(positive=3, negative=8)


def test_data_shapes_are_n_x_by_m_and_one_by_m(digits):
    assert digits.X_train.shape == (64, 268) and digits.Y_train.shape == (1, 268)
    assert digits.X_test.shape == (64, 89) and digits.Y_test.shape == (1, 89)
    assert digits.images_train.shape == (268, 8, 8, 1)
    assert int(digits.Y_train.sum()) == 130


def test_flattening_reads_rows_so_pixel_r_c_is_feature_8r_plus_c(digits):
    image, x = digits.images_train[10], digits.X_train[:, 10]
    for r, c in [(0, 0), (2, 5), (7, 7), (4, 1)]:
        assert x[8 * r + c] == image[r, c, 0]


def test_a_64_by_64_colour_image_has_12288_features():
    assert np.zeros((64, 64, 3)).reshape(-1).size == 12_288


def test_sigmoid_facts_used_on_the_page():
    z = np.linspace(-20, 20, 401)
    assert sigmoid(0.0) == 0.5
    assert np.allclose(sigmoid(-z), 1 - sigmoid(z))
    slope = sigmoid(z) * (1 - sigmoid(z))
    assert np.isclose(slope.max(), 0.25) and z[np.argmax(slope)] == 0
    assert np.all(slope[np.abs(z) > 5] < 0.007)                  # "almost zero once |z| > 5"


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma_by_finite_differences():
    z, eps = np.linspace(-10, 10, 81), 1e-6
    numeric = (sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps)
    assert np.allclose(numeric, sigmoid(z) * (1 - sigmoid(z)), atol=1e-9)


def test_predicting_a_above_one_half_is_predicting_z_above_zero():
    z = np.linspace(-5, 5, 1001)
    assert np.array_equal(sigmoid(z) > 0.5, z > 0)


def test_naive_sigmoid_overflows_with_a_warning_below_about_minus_709():
    assert np.isfinite(np.exp(709.0))
    with pytest.warns(RuntimeWarning, match="overflow"):
        naive = 1 / (1 + np.exp(-np.array([-1000.0, 0.0, 1000.0])))
    assert naive.tolist() == [0.0, 0.5, 1.0]                     # right here, by luck
    with np.errstate(over="ignore", divide="ignore"):
        assert np.log(1 - 1 / (1 + np.exp(-np.array([1000.0])))).item() == -np.inf


def test_bias_trick_gives_the_same_z(digits):
    rng = np.random.default_rng(0)
    X, m = digits.X_train, digits.X_train.shape[1]
    w, b = rng.normal(0.0, 0.01, size=(64, 1)), 0.1
    X_tilde, w_tilde = np.vstack([np.ones((1, m)), X]), np.vstack([[[b]], w])
    assert np.allclose(w_tilde.T @ X_tilde, w.T @ X + b)


def test_cross_entropy_loss_is_minus_log_of_the_probability_of_the_true_label():
    a = np.linspace(0.01, 0.99, 99)
    for y, p_true in [(1, a), (0, 1 - a)]:
        loss = -(y * np.log(a) + (1 - y) * np.log(1 - a))
        assert np.allclose(loss, -np.log(p_true))
        assert np.allclose(a ** y * (1 - a) ** (1 - y), p_true)   # P(y | x) = a^y (1 - a)^(1 - y)


def test_cross_entropy_cost_is_the_average_negative_log_likelihood(digits):
    rng = np.random.default_rng(0)
    X, Y, m = digits.X_train, digits.Y_train, digits.X_train.shape[1]
    w, b = rng.normal(0.0, 0.01, size=(64, 1)), 0.1
    A = sigmoid(w.T @ X + b)
    likelihood = np.prod(A ** Y * (1 - A) ** (1 - Y))
    assert 0 < likelihood < 1e-80                                  # "astronomically small"
    assert np.isclose(-np.log(likelihood) / m, propagate(w, b, X, Y)[1])


def test_likelihood_of_labels_underflows_to_zero_for_a_few_thousand_examples():
    assert np.prod(np.full(2000, 0.45)) == 0.0
    assert np.isfinite(np.sum(np.log(np.full(2000, 0.45))))


def test_maximizing_likelihood_and_minimizing_cost_pick_the_same_parameters(digits):
    X, Y = standardize(left_ink(digits.images_train), left_ink(digits.images_test))[0], digits.Y_train
    ws = np.linspace(-10, 2, 121)
    costs = [propagate(column(v), 0.0, X, Y)[1] for v in ws]
    log_likelihoods = [np.sum(np.log(np.where(Y == 1, sigmoid(v * X), 1 - sigmoid(v * X)))) for v in ws]
    assert np.argmin(costs) == np.argmax(log_likelihoods)


@pytest.fixture(scope="module")
def one_weight_costs(digits):
    """The page's convexity figure: standardized left ink, b = 0, w on [-12, 12]."""
    x, _ = standardize(left_ink(digits.images_train), left_ink(digits.images_test))
    Y = digits.Y_train
    ws = np.linspace(-12, 12, 241)
    cross_entropy = np.array([propagate(column(v), 0.0, x, Y)[1] for v in ws])
    squared_error = np.array([np.mean((sigmoid(v * x) - Y) ** 2) for v in ws])
    return ws, cross_entropy, squared_error, x, Y


def test_cross_entropy_as_a_function_of_one_weight_is_convex(one_weight_costs):
    _, cross_entropy, _, _, _ = one_weight_costs
    assert np.diff(cross_entropy, 2).min() >= 0


def test_squared_error_after_a_sigmoid_is_not_convex(one_weight_costs):
    _, _, squared_error, _, _ = one_weight_costs
    assert np.diff(squared_error, 2).min() < 0


def test_squared_error_has_plateaus_at_both_ends_and_cross_entropy_keeps_rising(one_weight_costs):
    ws, cross_entropy, squared_error, _, _ = one_weight_costs
    assert abs(squared_error[-1] - squared_error[-21]) < 0.01      # w from 10 to 12
    assert abs(squared_error[0] - squared_error[20]) < 0.01        # w from -12 to -10
    assert cross_entropy[-1] - cross_entropy[-21] > 1.0


def test_at_w_8_the_squared_error_slope_is_two_orders_of_magnitude_smaller(one_weight_costs):
    _, _, _, x, Y = one_weight_costs
    eps = 1e-5
    ce = lambda v: propagate(column(v), 0.0, x, Y)[1]
    se = lambda v: np.mean((sigmoid(v * x) - Y) ** 2)
    ce_slope = (ce(8 + eps) - ce(8 - eps)) / (2 * eps)
    se_slope = (se(8 + eps) - se(8 - eps)) / (2 * eps)
    assert se_slope > 0 and ce_slope / se_slope > 100


def test_tangent_at_w_8_lies_below_the_cross_entropy_but_above_the_squared_error_somewhere(one_weight_costs):
    ws, cross_entropy, squared_error, _, _ = one_weight_costs
    at_8 = np.argmin(np.abs(ws - 8))
    for cost, below_everywhere in [(cross_entropy, True), (squared_error, False)]:
        tangent = cost[at_8] + np.gradient(cost, ws)[at_8] * (ws - 8)
        assert np.all(tangent <= cost + 1e-9) == below_everywhere


def test_cross_entropy_hessian_has_no_negative_eigenvalue(digits):
    rng = np.random.default_rng(3)
    X = standardize(digits.X_train, digits.X_test)[0]
    X_tilde = np.vstack([X, np.ones((1, X.shape[1]))])
    for _ in range(5):
        A = sigmoid(rng.normal(size=(64, 1)).T @ X + rng.normal())
        H = (X_tilde * A * (1 - A)) @ X_tilde.T / X.shape[1]
        assert np.linalg.eigvalsh(H).min() > -1e-12


# ------------------------------------------- chapter 1, page 2: gradient descent

def loss_of_z(z, y):
    a = sigmoid(z)
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


@pytest.mark.parametrize("z, y", [(-2.0, 1), (0.5, 0), (3.0, 1), (-4.0, 0)])
def test_backward_pass_da_and_dz_equal_a_minus_y(z, y):
    eps, a = 1e-6, sigmoid(z)
    numeric_dz = (loss_of_z(z + eps, y) - loss_of_z(z - eps, y)) / (2 * eps)
    assert np.isclose(numeric_dz, a - y, atol=1e-8)
    loss_of_a = lambda p: -(y * np.log(p) + (1 - y) * np.log(1 - p))
    numeric_da = (loss_of_a(a + eps) - loss_of_a(a - eps)) / (2 * eps)
    da = -y / a + (1 - y) / (1 - a)
    assert np.isclose(numeric_da, da, rtol=1e-6)
    assert np.isclose(da * a * (1 - a), a - y)


def test_vectorized_gradient_formula_matches_finite_differences_of_the_cost():
    rng = np.random.default_rng(4)
    n_x, m = 5, 11
    X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    w, b = rng.normal(size=(n_x, 1)), 0.3

    def cost(w, b):
        A = sigmoid(w.T @ X + b)
        return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))

    A = sigmoid(w.T @ X + b)
    dw, db = X @ (A - Y).T / m, np.sum(A - Y) / m
    assert dw.shape == (n_x, 1)
    eps = 1e-6
    for j in range(n_x):
        e = np.zeros_like(w)
        e[j] = eps
        assert np.isclose(dw[j, 0], (cost(w + e, b) - cost(w - e, b)) / (2 * eps), atol=1e-8)
    assert np.isclose(db, (cost(w, b + eps) - cost(w, b - eps)) / (2 * eps), atol=1e-8)


def gradient_descent_costs(x, Y, learning_rate, num_iterations):
    _, _, costs = optimize(np.zeros((x.shape[0], 1)), 0.0, x, Y, num_iterations=num_iterations + 1,
                           learning_rate=learning_rate, record_every=1)
    return np.array(costs)     # the cost at the start and after each of num_iterations steps


@pytest.fixture(scope="module")
def raw_left_ink(digits):
    return left_ink(digits.images_train), digits.Y_train


def test_left_ink_is_a_mean_pixel_value_in_the_stated_window(digits):
    x = left_ink(digits.images_train)
    assert x.shape == (1, 268) and 0 <= x.min() and x.max() <= 16
    assert LEFT_INK_WINDOW == (slice(2, 6), slice(2, 4))
    assert np.isclose(x[0, 0], digits.images_train[0, 2:6, 2:4, 0].mean())
    assert np.isclose(x.mean(), 6.74, atol=0.01) and np.isclose(x.std(), 3.82, atol=0.01)


def hessian(x, Y, w, b):
    a = sigmoid(w * x + b)
    x_tilde = np.vstack([x, np.ones_like(x)])
    return (x_tilde * a * (1 - a)) @ x_tilde.T / x.shape[1]


def test_hessian_formula_matches_finite_differences_of_the_gradient(raw_left_ink):
    x, Y = raw_left_ink
    w, b, eps = -0.4, 2.0, 1e-6
    grad = lambda w, b: np.array([propagate(column(w), b, x, Y)[0]["dw"].item(), propagate(column(w), b, x, Y)[0]["db"]])
    numeric = np.column_stack([(grad(w + eps, b) - grad(w - eps, b)) / (2 * eps),
                               (grad(w, b + eps) - grad(w, b - eps)) / (2 * eps)])
    assert np.allclose(numeric, hessian(x, Y, w, b), rtol=1e-5)


def test_raw_feature_curvatures_at_the_start_are_0_06_and_15_so_the_safe_rate_is_0_13(raw_left_ink):
    shallow, steep = np.linalg.eigvalsh(hessian(*raw_left_ink, 0.0, 0.0))
    assert np.isclose(shallow, 0.060, atol=0.0005) and np.isclose(steep, 15.18, atol=0.005)
    assert np.isclose(2 / steep, 0.132, atol=0.0005)
    assert 200 < steep / shallow < 300                           # "about 250 times more curved"


def test_learning_rate_0_1_lowers_the_cost_at_every_one_of_200_steps(raw_left_ink):
    assert np.all(np.diff(gradient_descent_costs(*raw_left_ink, 0.1, 200)) < 0)


def test_learning_rate_0_01_is_too_small_and_0_1_ends_lower(raw_left_ink):
    small, smooth = (gradient_descent_costs(*raw_left_ink, alpha, 200) for alpha in (0.01, 0.1))
    assert np.all(np.diff(small) < 0)
    assert small[-1] > 0.5 and smooth[-1] < 0.3


def test_learning_rate_10_leaps_to_a_hundred_times_the_start_and_ends_above_0_1(raw_left_ink):
    large = gradient_descent_costs(*raw_left_ink, 10.0, 200)
    smooth = gradient_descent_costs(*raw_left_ink, 0.1, 200)
    assert large.max() > 100 * large[0]
    assert large[-1] > smooth[-1]


@pytest.mark.parametrize("alpha", [0.5, 1.0])
def test_moderately_large_rates_zigzag_yet_end_lower_than_0_1(raw_left_ink, alpha):
    costs = gradient_descent_costs(*raw_left_ink, alpha, 200)
    assert np.any(np.diff(costs) > 0)
    assert costs[-1] < gradient_descent_costs(*raw_left_ink, 0.1, 200)[-1]


def test_standardized_feature_has_mean_0_std_1_and_curvatures_one_quarter(raw_left_ink):
    x, Y = raw_left_ink
    x_std, _ = standardize(x, x)
    assert abs(x_std.mean()) < 1e-12 and np.isclose(x_std.std(), 1.0)
    assert np.allclose(np.linalg.eigvalsh(hessian(x_std, Y, 0.0, 0.0)), 0.25)


def test_standardizing_keeps_the_lowest_cost_by_reparametrization(raw_left_ink):
    x, Y = raw_left_ink
    x_std, _ = standardize(x, x)
    params, _, costs = optimize(np.zeros((1, 1)), 0.0, x_std, Y, num_iterations=2000, learning_rate=4.0)
    mu, sigma = x.mean(), x.std() + 1e-8
    w_raw, b_raw = params["w"] / sigma, params["b"] - params["w"].item() * mu / sigma
    assert np.isclose(propagate(w_raw, b_raw, x, Y)[1], propagate(params["w"], params["b"], x_std, Y)[1])
    assert np.isclose(costs[-1], 0.1107, atol=1e-4)


def test_standardized_run_gets_within_1_percent_in_68_steps_raw_not_in_5000(raw_left_ink):
    x, Y = raw_left_ink
    x_std, _ = standardize(x, x)
    lowest = gradient_descent_costs(x_std, Y, 4.0, 2000)[-1]
    standardized = gradient_descent_costs(x_std, Y, 4.0, 200)
    raw = gradient_descent_costs(x, Y, 0.1, 5000)
    assert np.flatnonzero(standardized <= 1.01 * lowest)[0] == 68
    assert np.all(raw > 1.01 * lowest)


# ------------------------------------------- chapter 1, page 3: training on the digits

def test_loop_and_vectorized_z_agree():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 17, size=(64, 500)).astype(float)
    w, b = rng.normal(0.0, 0.1, size=(64, 1)), 0.5
    looped = np.array([[np.dot(w[:, 0], X[:, i]) + b for i in range(X.shape[1])]])
    assert np.allclose(looped, w.T @ X + b)


def test_standardized_pixels_have_mean_0_std_1_and_the_10_blank_ones_become_0(digits):
    X_std, X_test_std = standardize(digits.X_train, digits.X_test)
    varying = digits.X_train.std(axis=1) > 0
    assert np.sum(~varying) == 10
    assert np.allclose(X_std[varying].mean(axis=1), 0, atol=1e-12)
    assert np.allclose(X_std[varying].std(axis=1), 1, atol=1e-6)
    assert np.all(X_std[~varying] == 0) and np.all(np.isfinite(X_test_std))


def safe_learning_rate_at_zero(X):
    X_tilde = np.vstack([X, np.ones((1, X.shape[1]))])
    return 2 / np.linalg.eigvalsh(0.25 * X_tilde @ X_tilde.T / X.shape[1]).max()


def test_safe_rate_is_0_0026_for_raw_pixels_and_0_94_standardized(digits):
    raw = safe_learning_rate_at_zero(digits.X_train)
    standardized = safe_learning_rate_at_zero(standardize(digits.X_train, digits.X_test)[0])
    assert np.isclose(raw, 0.0026, atol=0.00005) and np.isclose(standardized, 0.94, atol=0.005)
    assert 100 < standardized / raw < 1000                      # "several hundred times"


def test_raw_pixels_with_rate_0_1_blow_up_above_10_and_end_with_the_highest_test_cost(digits):
    X_std, X_test_std = standardize(digits.X_train, digits.X_test)
    runs = {"raw small": (digits.X_train, 0.002, digits.X_test), "raw large": (digits.X_train, 0.1, digits.X_test),
            "standardized": (X_std, 0.5, X_test_std)}
    test_costs, highest = {}, {}
    for name, (X, alpha, X_eval) in runs.items():
        params, _, costs = optimize(np.zeros((64, 1)), 0.0, X, digits.Y_train, num_iterations=200,
                                    learning_rate=alpha, record_every=1)
        highest[name] = max(costs)
        test_costs[name] = propagate(params["w"], params["b"], X_eval, digits.Y_test)[1]
    assert highest["raw large"] > 10
    assert np.isclose(highest["raw small"], np.log(2)) and np.isclose(highest["standardized"], np.log(2))
    assert min(test_costs, key=test_costs.get) == "standardized"
    assert max(test_costs, key=test_costs.get) == "raw large"


@pytest.fixture(scope="module")
def trained(digits):
    X_std, X_test_std = standardize(digits.X_train, digits.X_test)
    return model(X_std, digits.Y_train, X_test_std, digits.Y_test, num_iterations=2000, learning_rate=0.5)


def test_the_64_pixel_training_set_is_linearly_separable_and_the_cost_keeps_falling(trained):
    assert trained["train_accuracy"] == 1.0
    assert np.all(np.diff(trained["costs"]) < 0) and trained["costs"][-1] < 0.005


def test_the_64_pixel_model_makes_2_mistakes_on_89_test_images(trained):
    assert np.isclose(trained["test_accuracy"], 87 / 89)


def test_the_most_negative_weights_lie_where_an_8_closes_its_loops_on_the_left(trained):
    W = trained["w"].reshape(8, 8)
    rows, cols = LEFT_INK_WINDOW
    window = np.zeros((8, 8), dtype=bool)
    window[rows, cols] = True
    strongest_for_8 = np.argsort(W.ravel())[:3]
    assert all(window.ravel()[k] for k in strongest_for_8)


def test_two_feature_model_is_a_line_weaker_than_the_64_pixel_model(digits, trained):
    F_train, F_test = left_and_top_ink(digits.images_train), left_and_top_ink(digits.images_test)
    assert np.array_equal(F_train, np.vstack([left_ink(digits.images_train), top_ink(digits.images_train)]))
    F_std, F_test_std = standardize(F_train, F_test)
    small = model(F_std, digits.Y_train, F_test_std, digits.Y_test, num_iterations=2000, learning_rate=0.5)
    assert small["test_accuracy"] < trained["test_accuracy"]
    assert small["train_accuracy"] > 0.95
    # More top ink means more likely a 3 (the boundary tilts), more left ink means an 8.
    assert small["w"][0, 0] < 0 < small["w"][1, 0]
    predictions = predict(small["w"], small["b"], F_std)
    z = small["w"].T @ F_std + small["b"]
    assert np.array_equal(predictions, (z > 0).astype(float))   # the boundary is the line z = 0
