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


def column(*values):
    return np.array(values, dtype=float).reshape(-1, 1)


def outputs(w, b):
    return perceptron(X_GATES, w, b).ravel().tolist()


# ---------------------------------------------------------------- chapter 0: perceptrons

def test_perceptron_answers_are_a_float64_row_of_zeros_and_ones_like_the_labels():
    out = perceptron(X_GATES, column(1, -1), -0.5)
    assert out.shape == (1, 4) and out.dtype == np.float64 and out.tolist() == [[0.0, 0.0, 1.0, 0.0]]


def test_the_worked_gate_x1_and_not_x2_and_its_table_of_z():
    # "z takes the values b, b - 1, b + 1, b" and "any b in (-1, 0] works; pick -0.5".
    for b in np.linspace(-0.999, 0.0, 9):
        z = (column(1, -1).T @ X_GATES + b).ravel()
        assert np.allclose(z, [b, b - 1, b + 1, b])
        assert outputs(column(1, -1), b) == [0, 0, 1, 0]
    for b in (-1.0, -1.2, 0.1):
        assert outputs(column(1, -1), b) != [0, 0, 1, 0]
    z = (column(1, -1).T @ X_GATES - 0.5).ravel()
    assert np.all(np.abs(z) >= 0.5) and set(np.round(z, 6)) == {0.5, -0.5, -1.5}


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0, 1e4])
def test_scaling_weights_and_bias_by_a_positive_number_keeps_the_gate(scale):
    assert outputs(scale * column(1, -1), scale * -0.5) == [0, 0, 1, 0]
    assert outputs(column(10, -10), -5.0) == [0, 0, 1, 0]


def test_flipping_every_sign_flips_every_answer_off_the_line():
    assert outputs(column(-1, 1), 0.5) == [1, 1, 0, 1]
    rng = np.random.default_rng(5)
    for _ in range(200):
        w, b = rng.normal(size=(2, 1)), rng.normal()
        z = w.T @ X_GATES + b
        if np.all(z != 0):
            assert np.array_equal(perceptron(X_GATES, -w, -b), 1 - perceptron(X_GATES, w, b))


def test_the_decision_line_figure_gates():
    assert outputs(column(1, -1), -0.5) == [0, 0, 1, 0]
    assert outputs(column(-1, 1), 0.5) == [1, 1, 0, 1]
    assert outputs(column(0, 1), -0.5) == [0, 1, 0, 1]          # copy x2


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


GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def demo_scores(w1, w2, b):
    got = outputs(column(w1, w2), b)
    return {gate: sum(o == t for o, t in zip(got, truth)) for gate, truth in GATES.items()}


def test_the_demo_sweep_of_b_passes_through_and_then_or():
    sweep = np.arange(-2.5, 0.51, 0.25)
    and_right = [b for b in sweep if demo_scores(1.0, 1.0, b)["AND"] == 4]
    or_right = [b for b in sweep if demo_scores(1.0, 1.0, b)["OR"] == 4]
    assert and_right and or_right and max(and_right) < min(or_right)


def test_the_demo_has_a_nand_frame_and_no_xor_frame():
    tour = ([(1.0, 1.0, b) for b in np.arange(-2.5, 0.51, 0.25)]
            + [(-1.0, -1.0, b) for b in np.arange(0.5, 2.51, 0.5)]
            + [(1.0, -1.0, b) for b in (-1.5, -0.5, 0.5)])
    assert len(tour) <= 25
    assert any(demo_scores(*stop)["AND"] == 0 for stop in tour)
    assert max(demo_scores(*stop)["XOR"] for stop in tour) == 3


def test_no_perceptron_on_the_pages_grid_computes_xor_and_the_best_gets_3_of_4():
    grid = np.linspace(-2.0, 2.0, 33)
    best = max(sum(o == t for o, t in zip(outputs(column(w1, w2), b), XOR))
               for w1, w2, b in itertools.product(grid, grid, grid))
    assert best == 3


@pytest.mark.parametrize("w, b, right", [((1.0, -1.0), -0.5, 3), ((-1.0, 1.0), -0.5, 3),
                                         ((1.0, 0.0), -0.5, 2)])
def test_each_line_drawn_against_xor_gets_what_its_title_says(w, b, right):
    assert sum(o == t for o, t in zip(outputs(column(*w), b), XOR)) == right


def test_xor_and_xnor_inequalities_contradict_each_other():
    # (0,1) and (1,0) give w1 + w2 + 2b > 0; (0,0) and (1,1) give w1 + w2 + 2b <= 0.
    rng = np.random.default_rng(1)
    for w1, w2, b in rng.normal(scale=3.0, size=(10_000, 3)):
        assert not (w2 + b > 0 and w1 + b > 0 and b <= 0 and w1 + w2 + b <= 0)       # XOR
        assert not (w2 + b <= 0 and w1 + b <= 0 and b > 0 and w1 + w2 + b > 0)       # XNOR


def search_gate(truth, X):
    values, biases = (-1.0, 0.0, 1.0), (-1.5, -0.5, 0.5, 1.5)
    for w1, w2, b in itertools.product(values, values, biases):
        w = column(w1, w2)
        z = w.T @ X + b
        if np.array_equal((z > 0).ravel(), np.asarray(truth) == 1) and np.all(abs(z) >= 0.5):
            return w, b
    raise ValueError(truth)


def test_the_figure_s_search_finds_the_hidden_and_output_units_of_a_network_for_xor():
    H_expected = np.array([[0, 1, 1, 1], [1, 1, 1, 0]])
    (w_or, b_or), (w_nand, b_nand) = search_gate(H_expected[0], X_GATES), search_gate(H_expected[1], X_GATES)
    H = np.vstack([perceptron(X_GATES, w_or, b_or), perceptron(X_GATES, w_nand, b_nand)])
    assert np.array_equal(H, H_expected)
    assert [tuple(h) for h in H.T] == [(0, 1), (1, 1), (1, 1), (1, 0)]    # the hidden plane
    w_and, b_and = search_gate(XOR, H)
    assert outputs(w_and, b_and) == [0, 0, 0, 1]                           # on H, an AND
    assert perceptron(H, w_and, b_and).ravel().tolist() == XOR


def test_without_the_step_two_layers_are_one_linear_unit():
    rng = np.random.default_rng(2)
    W1, B1, W2, B2 = rng.normal(size=(2, 2)), rng.normal(size=(2, 1)), rng.normal(size=(1, 2)), rng.normal()
    X = rng.normal(size=(2, 7))
    assert np.allclose(W2 @ (W1 @ X + B1) + B2, (W2 @ W1) @ X + (W2 @ B1 + B2))


def test_chapter_0_check_your_understanding_answers():
    assert outputs(column(2, -1), -1.0)[2:] == [1, 0] and (column(2, -1).T @ column(1, 1) - 1).item() == 0
    assert outputs(column(-1, 1), -0.5) == [0, 1, 0, 0]
    assert np.allclose((column(-1, 1).T @ X_GATES - 0.5).ravel(), [-0.5, 0.5, -1.5, -0.5])
    for scale in (3.0,):
        w, b = column(0.7, -1.3), 0.4
        assert outputs(scale * w, scale * b) == outputs(w, b)
        assert np.isclose(abs(scale * b) / np.linalg.norm(scale * w), abs(b) / np.linalg.norm(w))


# ------------------------------------------- chapter 1, page 1: the model and its cost

@pytest.fixture(scope="module")
def digits():
    return load_binary_digits(positive=3, negative=8)


def test_data_shapes_are_n_x_by_m_and_one_by_m_in_three_sets(digits):
    sizes = {}
    for part in ("train", "dev", "test"):
        X, Y, images = (getattr(digits, f"{kind}_{part}") for kind in ("X", "Y", "images"))
        m = X.shape[1]
        assert X.shape == (64, m) and Y.shape == (1, m) and images.shape == (m, 8, 8, 1)
        assert set(np.unique(Y)) == {0.0, 1.0} and Y.dtype == np.float64
        sizes[part] = m
    # The three sets split the 3s and 8s of the bundled digits, the training set the largest.
    assert sizes["train"] > sizes["test"] > sizes["dev"] > 0


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
    assert 0 < likelihood < 1e-30                                  # "astronomically small"
    assert np.isclose(-np.log(likelihood) / m, propagate(w, b, X, Y)[1])
    # "The product would underflow to 0 after about N examples": N copies of the average
    # probability (the geometric mean) reach the smallest float.
    P = A ** Y * (1 - A) ** (1 - Y)
    examples = np.log(np.finfo(float).smallest_subnormal) / np.mean(np.log(P))
    geometric_mean = np.exp(np.mean(np.log(P)))
    assert geometric_mean ** (1.05 * examples) == 0.0 < geometric_mean ** (0.95 * examples)


def test_likelihood_of_labels_underflows_to_zero_for_a_few_thousand_examples():
    assert np.prod(np.full(2000, 0.45)) == 0.0
    assert np.isfinite(np.sum(np.log(np.full(2000, 0.45))))


def test_maximizing_likelihood_and_minimizing_cost_pick_the_same_parameters(digits):
    X, Y = standardize(left_ink(digits.images_train), left_ink(digits.images_dev))[0], digits.Y_train
    ws = np.linspace(-10, 2, 121)
    costs = [propagate(column(v), 0.0, X, Y)[1] for v in ws]
    log_likelihoods = [np.sum(np.log(np.where(Y == 1, sigmoid(v * X), 1 - sigmoid(v * X)))) for v in ws]
    assert np.argmin(costs) == np.argmax(log_likelihoods)


@pytest.fixture(scope="module")
def one_weight_costs(digits):
    """The page's convexity figure: standardized left ink, b = 0, w on [-12, 12]."""
    x, _ = standardize(left_ink(digits.images_train), left_ink(digits.images_dev))
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
    X = standardize(digits.X_train, digits.X_dev)[0]
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
    assert x.shape == (1, digits.X_train.shape[1]) and 0 <= x.min() and x.max() <= 16
    assert LEFT_INK_WINDOW == (slice(2, 6), slice(2, 4))
    assert np.isclose(x[0, 0], digits.images_train[0, 2:6, 2:4, 0].mean())
    # "low for most 3s, high for most 8s"
    threes, eights = x[digits.Y_train == 1], x[digits.Y_train == 0]
    assert np.median(threes) < 5 < np.median(eights)


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


def test_the_safe_rate_puts_0_1_just_inside_and_10_far_outside(raw_left_ink):
    shallow, steep = np.linalg.eigvalsh(hessian(*raw_left_ink, 0.0, 0.0))
    assert 0.1 < 2 / steep < 0.2 and 10 > 50 * (2 / steep)
    assert steep / shallow > 100                                 # a long, narrow valley
    # At w = 0 every a = 1/2, so the Hessian is (1/4) E[x~ x~^T].
    x = raw_left_ink[0]
    assert np.isclose(steep, np.linalg.eigvalsh(0.25 * np.cov(np.vstack([x, np.ones_like(x)]), bias=True)
                                                + 0.25 * np.outer([x.mean(), 1], [x.mean(), 1])).max())


def test_learning_rate_0_1_lowers_the_cost_at_every_one_of_200_steps(raw_left_ink):
    assert np.all(np.diff(gradient_descent_costs(*raw_left_ink, 0.1, 200)) < 0)


def test_learning_rate_0_01_is_too_small_and_0_1_ends_lower(raw_left_ink):
    small, smooth = (gradient_descent_costs(*raw_left_ink, alpha, 200) for alpha in (0.01, 0.1))
    assert np.all(np.diff(small) < 0)
    assert small[-1] > 0.5 and smooth[-1] < 0.3


def test_learning_rate_10_leaps_far_above_the_start_and_ends_above_0_1(raw_left_ink):
    large = gradient_descent_costs(*raw_left_ink, 10.0, 200)
    smooth = gradient_descent_costs(*raw_left_ink, 0.1, 200)
    assert large.max() > 50 * large[0]
    assert large[-1] > smooth[-1]


def descent_path(x, Y, learning_rate, steps):
    w, b, path = np.zeros((1, 1)), 0.0, [(0.0, 0.0)]
    for _ in range(steps):
        params, _, _ = optimize(w, b, x, Y, num_iterations=1, learning_rate=learning_rate)
        w, b = params["w"], params["b"]
        path.append((w.item(), b))
    return np.array(path)


def test_the_large_rate_s_path_leaves_the_map_and_the_smooth_one_stays_on_it(raw_left_ink):
    (w_lo, w_hi), (b_lo, b_hi) = (-2.4, 0.6), (-1.5, 14.0)           # the page's map
    for alpha, off_the_map in [(10.0, True), (0.1, False), (0.01, False)]:
        path = descent_path(*raw_left_ink, alpha, 200)
        outside = (path[:, 0] < w_lo) | (path[:, 0] > w_hi) | (path[:, 1] < b_lo) | (path[:, 1] > b_hi)
        assert outside.any() == off_the_map


def test_the_lowest_cost_lies_where_the_map_puts_its_star(raw_left_ink):
    x, Y = raw_left_ink
    x_std, _ = standardize(x, x)
    params, _, _ = optimize(np.zeros((1, 1)), 0.0, x_std, Y, num_iterations=2000, learning_rate=4.0)
    w_best = params["w"].item() / x.std()
    b_best = params["b"] - params["w"].item() * x.mean() / x.std()
    W, B = np.linspace(-2.4, 0.6, 71), np.linspace(-1.5, 14.0, 71)
    J = np.array([[propagate(column(w), b, x, Y)[1] for w in W] for b in B])
    row, col = np.unravel_index(np.argmin(J), J.shape)
    assert abs(W[col] - w_best) <= W[1] - W[0] and abs(B[row] - b_best) <= 2 * (B[1] - B[0])
    assert propagate(column(w_best), b_best, x, Y)[1] <= J.min() + 1e-9


def test_the_learning_rate_demo_tour_crosses_from_smooth_to_zigzag_once(raw_left_ink):
    rates = [0.003, 0.01, 0.03, 0.05, 0.1, 0.13, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]
    smooth = [bool(np.all(np.diff(gradient_descent_costs(*raw_left_ink, a, 200)) < 0)) for a in rates]
    first_zigzag = smooth.index(False)
    assert all(smooth[:first_zigzag]) and not any(smooth[first_zigzag:]) and 0.1 in rates[:first_zigzag]


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
    # The raw problem's own long run approaches the same lowest cost from above.
    _, _, raw_costs = optimize(np.zeros((1, 1)), 0.0, x, Y, num_iterations=20000, learning_rate=0.1,
                               record_every=1000)
    assert costs[-1] <= raw_costs[-1] < raw_costs[0]


def test_standardized_run_gets_within_1_percent_in_under_200_steps_raw_not_in_5000(raw_left_ink):
    x, Y = raw_left_ink
    x_std, _ = standardize(x, x)
    lowest = gradient_descent_costs(x_std, Y, 4.0, 2000)[-1]
    standardized = gradient_descent_costs(x_std, Y, 4.0, 200)
    raw = gradient_descent_costs(x, Y, 0.1, 5000)
    assert np.flatnonzero(standardized <= 1.01 * lowest)[0] < 200
    assert np.all(raw > 1.01 * lowest)


def test_chapter_1_gradient_descent_check_your_understanding_answers():
    assert sigmoid(0.0) - 1 == -0.5 and sigmoid(0.0) - 0 == 0.5
    X, A, Y = np.zeros((64, 200)), np.zeros((1, 200)), np.zeros((1, 200))
    assert (X @ (A - Y).T / 200).shape == (64, 1)
    assert 2 / 40 == 0.05
    assert standardize(np.array([[3.0, 11.0]]), np.array([[15.0]]))[1].item() == pytest.approx(2.0)


# ------------------------------------------- chapter 1, page 3: training on the digits

def test_loop_and_vectorized_z_agree():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 17, size=(64, 500)).astype(float)
    w, b = rng.normal(0.0, 0.1, size=(64, 1)), 0.5
    looped = np.array([[np.dot(w[:, 0], X[:, i]) + b for i in range(X.shape[1])]])
    assert np.allclose(looped, w.T @ X + b)


def test_standardized_pixels_have_mean_0_std_1_and_the_blank_ones_become_0(digits):
    X_std, X_dev_std = standardize(digits.X_train, digits.X_dev)
    varying = digits.X_train.std(axis=1) > 0
    assert 0 < np.sum(~varying) < 64
    assert np.allclose(X_std[varying].mean(axis=1), 0, atol=1e-12)
    assert np.allclose(X_std[varying].std(axis=1), 1, atol=1e-6)
    assert np.all(X_std[~varying] == 0) and np.all(np.isfinite(X_dev_std))


def safe_learning_rate_at_zero(X):
    X_tilde = np.vstack([X, np.ones((1, X.shape[1]))])
    return 2 / np.linalg.eigvalsh(0.25 * X_tilde @ X_tilde.T / X.shape[1]).max()


def test_safe_rate_is_2_over_the_largest_curvature_and_hundreds_of_times_smaller_raw(digits):
    raw = safe_learning_rate_at_zero(digits.X_train)
    standardized = safe_learning_rate_at_zero(standardize(digits.X_train, digits.X_dev)[0])
    assert 100 < standardized / raw < 1000                      # "several hundred times"
    assert raw < 0.002 * 2 < 0.1 and 0.5 < standardized          # the runs' rates: inside and outside
    # 2 / lambda_max by finite differences of the gradient at zero, along the top eigenvector.
    X, Y = digits.X_train, digits.Y_train
    X_tilde = np.vstack([X, np.ones((1, X.shape[1]))])
    values, vectors = np.linalg.eigh(0.25 * X_tilde @ X_tilde.T / X.shape[1])
    v, eps = vectors[:, -1], 1e-6
    grad = lambda t: np.append(*(lambda g: (g["dw"].ravel(), g["db"]))(
        propagate(t * v[:-1, None], t * v[-1], X, Y)[0]))
    curvature = v @ (grad(eps) - grad(-eps)) / (2 * eps)
    assert np.isclose(2 / curvature, raw, rtol=1e-4)


@pytest.fixture(scope="module")
def pixel_runs(digits):
    """The page's four runs of 200 iterations: (training costs, development cost after each)."""
    X_std, X_dev_std = standardize(digits.X_train, digits.X_dev)
    runs = {"raw 0.002": (digits.X_train, 0.002, digits.X_dev), "raw 0.1": (digits.X_train, 0.1, digits.X_dev),
            "raw 0.3": (digits.X_train, 0.3, digits.X_dev), "standardized 0.5": (X_std, 0.5, X_dev_std)}
    result = {}
    for name, (X, alpha, X_eval) in runs.items():
        params, _, costs = optimize(np.zeros((64, 1)), 0.0, X, digits.Y_train, num_iterations=200,
                                    learning_rate=alpha, record_every=1)
        result[name] = (np.array(costs), propagate(params["w"], params["b"], X_eval, digits.Y_dev)[1])
    return result


def test_raw_pixels_leave_a_narrow_window_and_standardized_never_rise(pixel_runs):
    small, medium, large, standard = (pixel_runs[k] for k in ("raw 0.002", "raw 0.1", "raw 0.3",
                                                              "standardized 0.5"))
    # the small rate is smooth but slow; the larger ones leap above their start
    assert small[0].max() == small[0][0] == np.log(2) and small[0][-1] > standard[0][-1]
    assert medium[0].max() > 10 and large[0].max() > medium[0].max()
    # "the next rate up ends ... times higher" on the development set
    assert large[1] > medium[1]
    # standardized: the cost never rises above its start
    assert standard[0].max() == standard[0][0] == np.log(2)


@pytest.fixture(scope="module")
def dev_choice(digits):
    """The page's nine settings scored on the development set, and the one chosen."""
    X_std, X_dev_std = standardize(digits.X_train, digits.X_dev)
    scores = {}
    for rate in [0.1, 0.5, 1.0]:
        for length in [200, 1000, 2000]:
            trial = model(X_std, digits.Y_train, X_dev_std, digits.Y_dev, num_iterations=length,
                          learning_rate=rate)
            scores[rate, length] = (trial["test_accuracy"],
                                    propagate(trial["w"], trial["b"], X_dev_std, digits.Y_dev)[1])
    chosen = max(scores, key=lambda key: (scores[key][0], -scores[key][1]))
    return scores, chosen


def test_the_dev_set_ties_on_accuracy_and_the_cost_picks_the_longest_fastest_run(dev_choice):
    scores, chosen = dev_choice
    best = max(accuracy for accuracy, _ in scores.values())
    assert sum(accuracy == best for accuracy, _ in scores.values()) >= 2, "the cost breaks a tie"
    assert chosen == (1.0, 2000)


@pytest.fixture(scope="module")
def trained(digits, dev_choice):
    _, (rate, length) = dev_choice
    X_std, X_test_std = standardize(digits.X_train, digits.X_test)
    return model(X_std, digits.Y_train, X_test_std, digits.Y_test, num_iterations=length,
                 learning_rate=rate)


def test_the_64_pixel_training_set_is_linearly_separable_and_the_cost_keeps_falling(trained):
    assert trained["train_accuracy"] == 1.0
    assert np.all(np.diff(trained["costs"]) < 0) and trained["costs"][-1] < 0.005


def test_the_test_accuracy_is_one_minus_the_mistakes_over_the_test_set(digits, trained):
    mistakes = np.flatnonzero(trained["Y_prediction_test"] != digits.Y_test)
    assert np.isclose(trained["test_accuracy"], 1 - len(mistakes) / digits.X_test.shape[1])
    assert trained["test_accuracy"] > 0.9


def test_the_most_negative_weights_lie_where_an_8_closes_its_loops_on_the_left(trained):
    W = trained["w"].reshape(8, 8)
    rows, cols = LEFT_INK_WINDOW
    window = np.zeros((8, 8), dtype=bool)
    window[rows, cols] = True
    strongest_for_8 = np.argsort(W.ravel())[:3]
    assert all(window.ravel()[k] for k in strongest_for_8)


def test_two_feature_model_is_a_line_weaker_than_the_64_pixel_model(digits, dev_choice):
    _, (rate, length) = dev_choice
    F_train, F_dev = left_and_top_ink(digits.images_train), left_and_top_ink(digits.images_dev)
    assert np.array_equal(F_train, np.vstack([left_ink(digits.images_train), top_ink(digits.images_train)]))
    F_std, F_dev_std = standardize(F_train, F_dev)
    small = model(F_std, digits.Y_train, F_dev_std, digits.Y_dev, num_iterations=length, learning_rate=rate)
    X_std, X_dev_std = standardize(digits.X_train, digits.X_dev)
    pixels = model(X_std, digits.Y_train, X_dev_std, digits.Y_dev, num_iterations=length, learning_rate=rate)
    assert small["train_accuracy"] < pixels["train_accuracy"] == 1.0 and small["train_accuracy"] > 0.9
    assert small["test_accuracy"] == pixels["test_accuracy"] == 1.0     # both right on every dev image
    assert (propagate(small["w"], small["b"], F_dev_std, digits.Y_dev)[1]
            > propagate(pixels["w"], pixels["b"], X_dev_std, digits.Y_dev)[1])
    # More top ink means more likely a 3 (the boundary tilts), more left ink means an 8.
    assert small["w"][0, 0] < 0 < small["w"][1, 0]
    predictions = predict(small["w"], small["b"], F_std)
    z = small["w"].T @ F_std + small["b"]
    assert np.array_equal(predictions, (z > 0).astype(float))   # the boundary is the line z = 0
    # The alt text's crossings of the boundary with the bottom and the top of the plot.
    mu, sigma = F_train.mean(axis=1), F_train.std(axis=1) + 1e-8
    w_left, w_top = small["w"].ravel() / sigma
    b_raw = small["b"] - small["w"].ravel() @ (mu / sigma)
    for top in (0.0, 16.0):
        left = -(w_top * top + b_raw) / w_left
        point = np.array([[left], [top]])
        assert np.isclose((small["w"].T @ standardize(F_train, point)[1] + small["b"]).item(), 0, atol=1e-6)


def test_chapter_1_check_your_understanding_answers():
    assert 32 * 32 * 3 == 3072
    assert np.isclose(sigmoid(2.0), 0.88, atol=0.005) and np.isclose(sigmoid(-2.0), 1 - sigmoid(2.0))
    assert np.isclose(-np.log(1 - 0.9), 2.30, atol=0.005) and np.isclose(-np.log(0.9), 0.105, atol=0.0005)
