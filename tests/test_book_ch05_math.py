"""Every formula and quoted number of the chapter 5 explanation pages, checked numerically.

Each page's code cells are run here as the book runs them (glue is recorded instead of shown,
figures and demos are built but not displayed), and the tests check the page's objects and
glued numbers against independent computations: closed forms, Monte Carlo within stated
tolerances, recomputations from the data, the reference functions. Section headers below
name the page whose statements they check.
"""
import math
from pathlib import Path
from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import data, planar, plots  # noqa: E402
from nnbook.demos import MAX_FRAMES, Demo  # noqa: E402
from solutions.ch01_logistic_regression import standardize  # noqa: E402
from solutions.ch04_backprop import initialize_mlp, mlp_forward, train_mlp  # noqa: E402
from solutions.ch05_initialization import (activation_stds, initialize_he, initialize_random,  # noqa: E402
                                           initialize_xavier, initialize_zeros, symmetric_units)

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "ch05_initialization"


def run_page(name, stop_before=None):
    """(namespace, glued values, alt texts) after running the code cells of a page, all of them
    or those before the first cell whose source contains ``stop_before``."""
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    glued, namespace, alts = {}, {}, []

    def show(fig, alt):
        alts.append(alt)
        plt.close(fig)

    with mock.patch("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value)), \
            mock.patch.object(Demo, "show", lambda self: None), mock.patch.object(plt, "show", lambda: None), \
            mock.patch.object(plots, "show", show):
        for cell in notebook.cells:
            if cell.cell_type == "code":
                if stop_before and stop_before in cell.source:
                    break
                exec(cell.source, namespace)  # noqa: S102 (the book's own pages)
                plt.close("all")
    return namespace, glued, alts


@pytest.fixture(scope="module")
def symmetry_page():
    return run_page("symmetry")


@pytest.fixture(scope="module")
def scale_page():
    return run_page("scale_and_depth")


@pytest.fixture(scope="module")
def rules_page():
    return run_page("xavier_and_he")


@pytest.fixture(scope="module")
def experiment_page():
    return run_page("depth_experiment")


def even_digits():
    digits = data.load_digits()
    X_train, X_dev = standardize(digits.X_train, digits.X_dev)
    return X_train, (digits.Y_train % 2 == 0) * 1.0, X_dev, (digits.Y_dev % 2 == 0) * 1.0


@pytest.mark.parametrize("page", ["symmetry_page", "scale_page", "rules_page", "experiment_page"])
def test_every_glued_number_is_a_python_number_or_text(page, request):
    # MyST-NB formats Python numbers only (not NumPy scalars).
    _, glued, _ = request.getfixturevalue(page)
    assert glued and all(type(v) in (int, float, str) for v in glued.values())


# ------------------------------------------------ symmetry: logistic regression from zeros

def test_each_logistic_weight_gets_its_own_first_gradient(symmetry_page):
    _, glued, _ = symmetry_page
    X_train, Y_train, _, _ = even_digits()
    dw = X_train @ (0.5 - Y_train).T / X_train.shape[1]
    blank = np.all(X_train == 0, axis=1)
    assert glued["ch05_lr_blank"] == int(blank.sum()) and np.all(dw[blank] == 0)
    assert glued["ch05_lr_moving"] == glued["ch05_lr_distinct"] == int((~blank).sum())
    # the formula on the page is the gradient of the mean cost at w = 0 (chapter 1's propagate)
    from solutions.ch01_logistic_regression import propagate
    grads, cost = propagate(np.zeros((64, 1)), 0.0, X_train, Y_train)
    assert np.allclose(grads["dw"], dw) and math.isclose(cost, math.log(2))


def test_logistic_regression_ends_at_the_same_cost_from_zeros_and_from_far_away(symmetry_page):
    ns, glued, alts = symmetry_page
    assert abs(glued["ch05_lr_cost_zeros"] - glued["ch05_lr_cost_random"]) < 1e-3
    assert math.isclose(ns["logistic"]["zeros"][1][0], math.log(2))
    assert glued["ch05_lr_start_random"] > 1.0 > math.log(2)
    assert f"{glued['ch05_lr_cost_zeros']:.3f}" in alts[0]


# ------------------------------------------------ symmetry: a network from zeros

def test_from_zeros_xor_sits_at_log_2_with_every_activation_and_nothing_moves(symmetry_page):
    _, glued, _ = symmetry_page
    assert glued["ch05_xor_zero_gap"] == 0.0
    X, Y = planar.xor()
    for activation in ("sigmoid", "tanh", "relu"):
        params, costs = train_mlp(X, Y, initialize_zeros([2, 4, 1]), activation, 1.0, 50)
        assert all(cost == math.log(2) for cost in costs)
        assert not any(value.any() for value in params.values())


def test_the_spiral_from_zeros_is_one_unit_a_layer_in_eight_coats(symmetry_page):
    ns, glued, alts = symmetry_page
    zero = ns["spiral"]["zeros"]
    assert glued["ch05_spiral_zero_spread"] < 1e-12
    assert len(symmetric_units(zero)) == 2 * math.comb(8, 2)
    assert glued["ch05_spiral_zero_largest"] > 0.5, "the weights did move"
    assert glued["ch05_spiral_zero_dev"] < glued["ch05_spiral_random_dev"] - 0.1
    assert symmetric_units(ns["spiral"]["random"]) == []
    assert "1 distinct row" in alts[1]


def test_the_answers_on_the_symmetry_page(symmetry_page):
    _, glued, _ = symmetry_page
    # 2: all weights 0.1: three hidden units that stay copies, one distinct row after training
    X = np.random.default_rng(0).standard_normal((5, 30))
    Y = (X[:1] + X[1:2] > 0) * 1.0
    start = {"W1": np.full((3, 5), 0.1), "b1": np.zeros((3, 1)), "W2": np.full((1, 3), 0.1), "b2": np.zeros((1, 1))}
    trained, _ = train_mlp(X, Y, start, "tanh", 0.5, 200)
    assert len(np.unique(trained["W1"].round(12), axis=0)) == 1 and np.ptp(trained["W1"]) > 0.01
    # 3: tanh from zeros on 70% positives: only b2 moves, to logit(0.7); the cost ends at the entropy
    Y70 = np.array([[1.0] * 7 + [0.0] * 3])
    params, costs = train_mlp(np.random.default_rng(1).normal(size=(2, 10)), Y70, initialize_zeros([2, 3, 1]),
                              "tanh", 1.0, 3000)
    assert not any(params[k].any() for k in ("W1", "b1", "W2"))
    assert math.isclose(params["b2"][0, 0], math.log(0.7 / 0.3), rel_tol=1e-4)
    assert math.isclose(costs[-1], glued["ch05_cyu_entropy"], rel_tol=1e-6)
    assert math.isclose(glued["ch05_cyu_entropy"], -0.7 * math.log(0.7) - 0.3 * math.log(0.3))


# ------------------------------------------------ scale_and_depth

def test_small_weights_train_one_hidden_layer_and_stall_from_three(scale_page):
    ns, glued, _ = scale_page
    shallow = ns["shallow"]
    assert min(glued["ch05_shallow_tanh_1"], glued["ch05_shallow_relu_1"], glued["ch05_shallow_tanh_2"]) > 0.9
    stalled = [shallow[2, "relu"]] + [shallow[k, a] for k in (3, 4) for a in ("tanh", "relu")]
    assert all(value == glued["ch05_shallow_majority"] for value in stalled)
    Y_dev = ns["Y_sp_dev"]
    assert glued["ch05_shallow_majority"] == max(Y_dev.mean(), 1 - Y_dev.mean())


def test_the_monte_carlo_variance_of_a_weighted_sum(scale_page):
    _, glued, _ = scale_page
    assert math.isclose(glued["ch05_mc_predicted"], 256 * 0.05 ** 2 * (0.8 ** 2 + 0.3 ** 2))
    trials = glued["ch05_mc_trials"]
    assert abs(glued["ch05_mc_variance"] / glued["ch05_mc_predicted"] - 1) < 4 * math.sqrt(2 / trials)
    assert abs(glued["ch05_mc_mean"]) < 4 * math.sqrt(glued["ch05_mc_predicted"] / trials)
    assert 4 * math.sqrt(2 / trials) < 0.05, "the page says the noise is about one per cent"
    assert math.isclose(0.01 * math.sqrt(256), 0.16)


def test_tanh_with_large_weights_saturates_and_with_small_ones_vanishes(scale_page):
    ns, glued, alts = scale_page
    last = ns["tanh_stacks"][1.0][-1]
    assert math.isclose(glued["ch05_tanh_saturated"], 100 * np.mean(np.abs(last) > 0.99))
    assert glued["ch05_tanh_saturated"] > 80 and glued["ch05_tanh_mean_slope"] < 0.1
    z = np.linspace(-4, 4, 81)                   # the slope the page averages: tanh'(z) = 1 - tanh(z)^2
    assert np.allclose((np.tanh(z + 1e-6) - np.tanh(z - 1e-6)) / 2e-6, 1 - np.tanh(z) ** 2, atol=1e-9)
    assert math.isclose(glued["ch05_tanh_mean_slope"], float(np.mean(1 - last ** 2)))
    # near 0, tanh passes z on: layer l's spread is about 0.16^l (times the input's, 1)
    small = [float(np.std(A)) for A in ns["tanh_stacks"][0.01]]
    for l in (1, 2, 5):
        assert 0.7 < small[l - 1] / 0.16 ** l < 1.3
    assert math.isclose(glued["ch05_cyu_five_layers"], 0.16 ** 5)
    assert glued["ch05_tanh_small_std_10"] < 1e-7
    assert f"{glued['ch05_tanh_saturated'] / 100:.0%}" in alts[0]


def test_relu_with_sigma_1_explodes_by_about_sigma_times_root_n_over_2_a_layer(scale_page):
    ns, glued, _ = scale_page
    assert abs(glued["ch05_relu_large_factor"] / math.sqrt(256 / 2) - 1) < 0.1
    assert glued["ch05_relu_large_std_10"] > 1e9
    for activation in ("tanh", "relu"):
        small = ns["forward"][activation, 0.01]
        assert all(b < a for a, b in zip(small, small[1:])), "small weights: every layer shrinks"


def test_the_three_ways_the_gradients_fail(scale_page):
    ns, glued, _ = scale_page
    assert glued["ch05_sigmoid_small_ratio"] < 1e-10
    assert glued["ch05_tanh_large_ratio"] > 1e3
    relu_small = ns["backward"]["relu", 0.01]
    assert max(relu_small) / min(relu_small) < 2 and max(relu_small) < 1e-8
    assert f"{glued['ch05_relu_small_dw1']:.0e}" in f"{relu_small[0]:.0e}"


def test_the_answers_on_the_scale_page():
    # 1: 100 inputs of mean 2 and variance 1, weights of variance 0.01: Var(z) = 5
    rng = np.random.default_rng(0)
    z = np.sum(0.1 * rng.standard_normal((40_000, 100)) * (2 + rng.standard_normal((40_000, 100))), axis=1)
    assert abs(z.var() / 5 - 1) < 4 * math.sqrt(2 / 40_000)


# ------------------------------------------------ xavier_and_he

def test_xavier_between_the_two_fans_and_the_uniform_with_the_same_variance(rules_page):
    _, glued, _ = rules_page
    assert math.isclose(glued["ch05_xavier_variance"], 2 / 320)
    assert abs(glued["ch05_uniform_variance"] / (6 / 320 / 3) - 1) < 4 * math.sqrt(0.8 / 1_000_000)
    # a uniform on [-r, r] has variance r^2 / 3 (its fourth moment r^4 / 5 bounds the noise above)
    r = 1.7
    x = np.linspace(-r, r, 200_001)
    assert math.isclose(np.trapezoid(x ** 2, x) / (2 * r), r ** 2 / 3, rel_tol=1e-8)


def test_the_relu_half_and_the_spread_of_a_relus_output(rules_page):
    _, glued, _ = rules_page
    assert abs(glued["ch05_relu_half_measured"] - 0.5) < 0.01
    assert math.isclose(glued["ch05_relu_std_factor"], math.sqrt(0.5 - 1 / (2 * math.pi)))
    # the integrals behind the page's formulas, for a standard normal density
    z = np.linspace(0, 12, 400_001)
    density = np.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi)
    assert math.isclose(np.trapezoid(z ** 2 * density, z), 0.5, rel_tol=1e-8)
    assert math.isclose(np.trapezoid(z * density, z), 1 / math.sqrt(2 * math.pi), rel_tol=1e-8)


def test_fifty_layers_behave_as_the_text_says(rules_page):
    ns, glued, alts = rules_page
    assert math.isclose(glued["ch05_he_theory"], math.sqrt(2) * math.sqrt(0.5 - 1 / (2 * math.pi)))
    assert abs(glued["ch05_he_first"] / glued["ch05_he_theory"] - 1) < 0.05
    assert 0.1 < glued["ch05_he_50_low"] <= glued["ch05_he_50_high"] < 10, "within a small factor"
    assert math.isclose(glued["ch05_xavier_vs_he"], 1 / math.sqrt(2), rel_tol=1e-9)
    assert glued["ch05_relu_xavier_50"] < 1e-6
    forward = ns["forward"]
    assert forward["tanh", "Xavier"][0] > glued["ch05_tanh_xavier_10"] > glued["ch05_tanh_xavier_50"] > 0.01
    assert glued["ch05_tanh_he_growth"] > 1.01
    assert abs(glued["ch05_sigmoid_xavier_factor"] / 0.25 - 1) < 0.1, "the sigmoid's slope 1/4"
    assert f"{glued['ch05_he_theory']:.3f}" in alts[0]


def test_the_answers_on_the_rules_page(rules_page):
    _, glued, _ = rules_page
    assert math.isclose(glued["ch05_cyu_xavier_std"], math.sqrt(2 / 400))
    assert math.isclose(glued["ch05_cyu_he_std"], math.sqrt(2 / 100))
    assert math.isclose(glued["ch05_cyu_shrink_20"] * glued["ch05_cyu_times_20"], 1.0)
    # 4: Xavier in a square ReLU stack shrinks each layer by 1 / sqrt(2): 19 layers from 1 to 20
    X = np.random.default_rng(0).standard_normal((64, 50))
    xavier = activation_stds(X, initialize_xavier([64] * 21, np.random.default_rng(1)), "relu")
    he = activation_stds(X, initialize_he([64] * 21, np.random.default_rng(1)), "relu")
    assert math.isclose((xavier[19] / xavier[0]) / (he[19] / he[0]), glued["ch05_cyu_shrink_20"], rel_tol=1e-9)
    # square layers: Xavier is LeCun's 1 / n_in, chapter 4's initialize_mlp
    assert np.allclose(initialize_xavier([8, 8], np.random.default_rng(2))["W1"], initialize_mlp([8, 8], 2)["W1"])


# ------------------------------------------------ depth_experiment: the table

def test_the_table_of_spreads_after_10_layers(experiment_page):
    ns, glued, _ = experiment_page
    table = {key: glued[f"ch05_table_a_{key}"] for key in
             [f"{s}_{a}" for s in ("zeros", "small", "large", "Xavier", "He") for a in ("sigmoid", "tanh", "relu")]}
    assert all(table[f"zeros_{a}"] == 0.0 for a in ("sigmoid", "tanh", "relu"))
    assert table["small_tanh"] < 1e-6 and table["small_relu"] < 1e-6 and table["small_sigmoid"] > 0.01
    assert abs(table["large_sigmoid"] - 0.5) < 0.05 and abs(table["large_tanh"] - 1) < 0.05
    assert table["large_relu"] > 1e8
    he_relu = ns["table"]["He", "relu"][0]
    assert abs(he_relu[-1] / he_relu[0] - 1) < 0.2, "He: layer 10 close to layer 1"
    assert math.isclose(glued["ch05_xavier_relu_shrink"], 32.0, rel_tol=1e-9)
    for scheme in ("zeros", "small", "large", "Xavier", "He"):
        forward, backward = ns["table"][scheme, "relu"]
        assert glued[f"ch05_table_a_{scheme}_relu"] == forward[-1]
        assert glued[f"ch05_table_g_{scheme}_relu"] == backward[0]
    gradients = {key: glued[f"ch05_table_g_{key}"] for key in table}
    assert all(gradients[f"zeros_{a}"] == 0.0 for a in ("sigmoid", "tanh", "relu"))
    assert gradients["small_sigmoid"] == min(v for v in gradients.values() if v > 0)
    assert all(gradients[f"{s}_sigmoid"] < 1e-6 for s in ("small", "Xavier", "He"))


def test_the_table_recomputed_from_the_reference(experiment_page):
    ns, glued, _ = experiment_page
    X = np.random.default_rng(0).standard_normal((256, 200))
    params = initialize_he([256] * 11, np.random.default_rng(1))
    assert math.isclose(activation_stds(X, params, "tanh")[-1], glued["ch05_table_a_He_tanh"])
    small = initialize_random([256] * 11, np.random.default_rng(1), scale=0.01)
    assert math.isclose(activation_stds(X, small, "sigmoid")[-1], glued["ch05_table_a_small_sigmoid"])


# ------------------------------------------------ depth_experiment: the demo

def test_the_demo_opens_on_30_relu_layers_with_xaviers_weights_and_has_what_the_text_asks(experiment_page):
    ns, glued, _ = experiment_page
    demo = ns["depth_demo"]
    assert glued["ch05_demo_frames"] == len(demo.tour) <= MAX_FRAMES
    assert demo.tour[demo.start] == {"depth": 30, "activation": "relu", "scheme": "Xavier"}
    asked = [("relu", "Xavier", 30), ("relu", "He", 30), ("sigmoid", "Xavier", 30)]   # what the text quotes
    readouts = {(a, s, d): demo.draw(20, depth=d, activation=a, scheme=s)[1] for a, s, d in asked}
    assert f"std of A_30 = {glued['ch05_demo_relu_xavier']:.2g}" in readouts["relu", "Xavier", 30]
    assert f"std of A_30 = {glued['ch05_demo_relu_he']:.2g}" in readouts["relu", "He", 30]
    assert glued["ch05_demo_relu_xavier"] < 1e-3 < 0.5 < glued["ch05_demo_relu_he"]
    assert f"std of dW_1 = {glued['ch05_demo_sigmoid_gradient']:.2g}" in readouts["sigmoid", "Xavier", 30]
    assert glued["ch05_demo_sigmoid_gradient"] < 1e-10
    for activation in ("sigmoid", "tanh", "relu"):
        for scheme in ("small", "large", "Xavier", "He"):
            index = demo.tour.index({"depth": 30, "activation": activation, "scheme": scheme})
            assert demo.tour[index - 1] == {"depth": 10, "activation": activation, "scheme": scheme}, \
                "one step back from 30 layers is the same setting with 10"


def test_the_demos_networks_are_what_the_initializers_draw_for_that_depth(experiment_page):
    ns, _, _ = experiment_page
    X = ns["X"]
    ten = initialize_he([256] * 11, np.random.default_rng(1))
    assert np.allclose(activation_stds(X, ten, "relu"), ns["demo_stds"]["He", "relu"][:10])


def test_the_demo_shows_saturation_vanishing_and_explosion(experiment_page):
    ns, _, _ = experiment_page
    stds, activations = ns["demo_stds"], ns["demo_activations"]
    assert np.mean(np.abs(activations["large", "tanh"][-1]) > 0.99) > 0.8
    assert stds["small", "relu"][-1] < 1e-20 and stds["large", "relu"][-1] > 1e20
    assert np.mean(activations["large", "relu"][-1][activations["large", "relu"][-1] > 0] > 4) == 1.0
    xavier_tanh = stds["Xavier", "tanh"]
    assert 0.05 < xavier_tanh[-1] < xavier_tanh[0], "tanh with Xavier narrows slowly"


# ------------------------------------------------ depth_experiment: the digits

def test_he_trains_both_deep_networks_and_zeros_and_small_weights_stall(experiment_page):
    ns, glued, alts = experiment_page
    constant = glued["ch05_digits_constant"]
    Y_train, Y_dev = ns["Y_train"], ns["Y_dev"]
    assert glued["ch05_digits_train_even"] == Y_train.mean() > 0.5, "even is the training set's larger class"
    assert constant == Y_dev.mean(), "answering even for every image"
    for layers in (10, 30):
        assert glued[f"ch05_digits_{layers}_zeros"] == glued[f"ch05_digits_{layers}_small"] == constant
        for scheme in ("zeros", "small"):
            params = ns["results"][layers, scheme]["params"]
            assert np.all(mlp_forward(ns["X_dev"], params, "relu")[0] > 0), "the same answer, even, for all"
        assert glued[f"ch05_digits_{layers}_He"] > 0.9
        for scheme in ("zeros", "small"):
            costs = ns["results"][layers, scheme]["costs"]
            assert max(costs) - min(costs) < 0.01, "the cost stays at the labels' entropy"
    assert glued["ch05_digits_10_Xavier"] > 0.9 and glued["ch05_digits_30_Xavier"] == constant
    assert glued["ch05_digits_shrink_10"] > 10 and glued["ch05_digits_shrink_30"] > 1e3
    assert glued["ch05_digits_gradient_ratio"] < 1e-3
    assert f"{ns['results'][30, 'He']['costs'][-1]:.1e}" in alts[0]


def test_the_choice_is_made_on_the_development_set_and_the_test_set_is_used_once(experiment_page):
    ns, glued, _ = experiment_page
    results = ns["results"]
    chosen = max(results, key=lambda key: results[key]["score"])
    assert glued["ch05_chosen_dev"] == results[chosen]["score"][0] == max(r["score"][0] for r in results.values())
    assert glued["ch05_chosen"].startswith(f"{chosen[0]} layers with {chosen[1]}'s weights")
    digits = data.load_digits()
    _, X_test = standardize(digits.X_train, digits.X_test)
    Y_test = (digits.Y_test % 2 == 0) * 1.0
    predictions = (mlp_forward(X_test, results[chosen]["params"], "relu")[0] > 0) * 1.0
    assert glued["ch05_test_accuracy"] == float(np.mean(predictions == Y_test)) > 0.9
    assert glued["ch05_cyu_dev_points"] == ns["Y_dev"].shape[1]


def test_two_ends_make_a_spread_of_half_their_distance():
    # the answer to question 1: values split evenly between a and b have std |b - a| / 2
    values = np.array([0.0] * 500 + [1.0] * 500)
    assert np.std(values) == 0.5 and np.std(2 * values - 1) == 1.0
