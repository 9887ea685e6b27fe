"""Every formula and quoted number of the chapter 4 explanation pages, checked numerically.

Each page's code cells are run here as the book runs them (glue is recorded instead of shown,
demos are built but not displayed), and the tests check the page's objects and glued numbers
against independent computations: finite differences, SymPy, closed forms.
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
import sympy as sp  # noqa: E402

from nnbook import tapes  # noqa: E402
from nnbook.demos import Demo  # noqa: E402
from solutions.ch04_backprop import graph_backward  # noqa: E402

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "ch04_backprop"


def run_page(name):
    """(namespace, glued values) after running every code cell of a page."""
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    glued, namespace = {}, {}
    with mock.patch("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value)), \
            mock.patch.object(Demo, "show", lambda self: None), mock.patch.object(plt, "show", lambda: None):
        for cell in notebook.cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)  # noqa: S102 (the book's own pages)
                plt.close("all")
    return namespace, glued


@pytest.fixture(scope="module")
def graphs_page():
    return run_page("computation_graphs")


@pytest.fixture(scope="module")
def network_page():
    return run_page("backprop_in_a_network")


@pytest.fixture(scope="module")
def checking_page():
    return run_page("gradient_checking")


@pytest.fixture(scope="module")
def training_page():
    return run_page("training_an_mlp")


# ------------------------------------------------ computation_graphs: nudges, SymPy, graphs, the engine

def test_the_nudge_is_off_by_3_x_eps_plus_eps_squared_for_x_cubed_minus_2x():
    f = lambda x: x ** 3 - 2 * x  # noqa: E731
    for eps in (0.1, 0.01, 0.001):
        assert math.isclose((f(1.5 + eps) - f(1.5)) / eps, 4.75 + 4.5 * eps + eps ** 2, rel_tol=1e-9)


def test_the_sympy_claims_hold_symbolically_and_at_sample_points(graphs_page):
    _, glued = graphs_page
    z, y = sp.symbols("z y", real=True)
    s = 1 / (1 + sp.exp(-z))
    loss = -y * sp.log(s) - (1 - y) * sp.log(1 - s)
    assert sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0
    assert sp.simplify(sp.diff(sp.tanh(z), z) - (1 - sp.tanh(z) ** 2)) == 0
    assert sp.simplify(sp.diff(loss, z) - (s - y)) == 0
    assert glued["ch04_sympy_gap"] < 1e-9


def test_the_neuron_gradients_by_hand_by_the_engine_and_by_the_tape_agree(graphs_page):
    ns, _ = graphs_page
    grads = graph_backward(ns["neuron"], ns["values"])
    assert np.isclose(ns["values"][-1], math.sqrt(0.5))
    assert np.allclose([ns["n_bar"], ns["w1_bar"], ns["w2_bar"], ns["b_bar"], ns["x1_bar"]], [0.5, 1.0, 0.0, 0.5, -1.5])
    assert np.allclose([grads[2], grads[3], grads[4], grads[0]], [1.0, 0.0, 0.5, -1.5])
    assert ns["w1"].grad == pytest.approx(1.0) and ns["b"].grad == pytest.approx(0.5)


def test_the_engine_sums_the_contributions_of_a_value_used_twice(graphs_page):
    ns, _ = graphs_page
    assert ns["x"].grad == 7.0 == 2 * 3.0 + 1


def test_the_engine_matches_finite_differences_on_an_expression_with_every_operation(graphs_page):
    Value = graphs_page[0]["Value"]

    def expression(a, b):
        return ((a * b + a ** 2).tanh() - (b / a).exp()) * 3

    a, b = Value(0.7), Value(-1.2)
    expression(a, b).backward()
    eps = 1e-6
    da = (expression(Value(0.7 + eps), Value(-1.2)).data - expression(Value(0.7 - eps), Value(-1.2)).data) / (2 * eps)
    db = (expression(Value(0.7), Value(-1.2 + eps)).data - expression(Value(0.7), Value(-1.2 - eps)).data) / (2 * eps)
    assert np.isclose(a.grad, da, atol=1e-7) and np.isclose(b.grad, db, atol=1e-7)


def test_the_step_demo_ends_with_every_gradient_and_names_the_forward_and_backward_passes(graphs_page):
    ns, _ = graphs_page
    frames = ns["frames"]
    assert [f[0] for f in frames].count("forward") == 6 and [f[0] for f in frames].count("backward") == 6
    assert frames[-1][3] == set(range(len(ns["neuron"]))), "the last frame shows every gradient"
    demo = ns["step_demo"]
    assert frames[demo.start][0] == "backward" and frames[demo.start - 1][0] == "forward"
    assert demo.draw(40, step=0)[1].startswith("forward") and "backward" in demo.draw(40, step=len(frames) - 1)[1]


def test_reverse_mode_grows_like_p_and_nudging_like_p_squared(graphs_page):
    ns, glued = graphs_page
    counts = np.array(ns["counts"], dtype=float)
    p = counts[:, 1]
    reverse_slope = np.polyfit(np.log(p[2:]), np.log(counts[2:, 2]), 1)[0]
    nudge_slope = np.polyfit(np.log(p[2:]), np.log(counts[2:, 3]), 1)[0]
    assert 0.9 < reverse_slope < 1.1 and 1.9 < nudge_slope < 2.1
    n, p_big = glued["ch04_count_n"], glued["ch04_count_p"]
    assert p_big == 3 * 32 + 33 and glued["ch04_count_ratio"] == pytest.approx(2 * p_big * n / (2 * n + p_big))
    assert glued["ch04_count_ratio"] > 100


def test_the_engine_gradient_of_the_network_cost_matches_the_nudge(graphs_page):
    ns, _ = graphs_page
    assert np.isclose(ns["parameters"][0].grad, ns["nudged"], rtol=1e-7)


# ------------------------------------------------ backprop_in_a_network

def test_one_example_formulas_match_the_nudges_for_every_activation(network_page):
    assert network_page[1]["ch04_one_example_gap"] < 1e-8


def test_the_error_terms_dead_relu_and_saturated_units(network_page):
    ns, glued = network_page
    z, shares = ns["z1_demo"], ns["shares"]
    dead, saturated = glued["ch04_dead_relu_unit"] - 1, glued["ch04_saturated_unit"] - 1
    assert z[dead] < 0 and shares["relu"][dead] == 0
    assert shares["tanh"][saturated] < 0.01 < shares["relu"][saturated]
    # sigmoid' <= 1/4: each sigmoid unit gets at most a quarter of the error it feeds (every weight is 1).
    output_error = 1 / (1 + np.exp(-np.sum(1 / (1 + np.exp(-z)))))
    assert np.all(shares["sigmoid"] <= output_error / 4 + 1e-12)


def test_the_batch_gradient_is_the_mean_of_the_example_gradients(network_page):
    assert network_page[1]["ch04_batch_gap"] < 1e-12


def test_epochs_batches_and_iterations(network_page):
    _, glued = network_page
    assert glued["ch04_m_train"] == 480 and glued["ch04_batch_size"] == 32
    assert glued["ch04_iterations_per_epoch"] == math.ceil(480 / 32) == 15
    assert glued["ch04_mini_batch_cost"] < glued["ch04_full_batch_cost"] / 4


def test_the_cache_memory_formula_equals_the_measured_bytes_and_grows_linearly(network_page):
    ns, glued = network_page
    for measured, formula in ns["by_depth"] + ns["by_batch"]:
        assert measured == formula
    batch = np.array([b for b, _ in ns["by_batch"]], dtype=float)
    assert np.allclose(batch / np.array(ns["batch_sizes"]), batch[0] / ns["batch_sizes"][0])
    depth = np.diff([b for b, _ in ns["by_depth"]]) / np.diff(ns["depths"])
    assert np.allclose(depth, 8 * 256 * 2 * 64)                      # each layer adds its Z and its A
    assert glued["ch04_cache_mib_2048"] > 10 * glued["ch04_param_mib"]


# ------------------------------------------------ gradient_checking

def test_two_sided_differences_are_more_accurate_than_one_sided(checking_page):
    _, glued = checking_page
    assert glued["ch04_best_two_sided"] < glued["ch04_best_one_sided"] / 10
    assert glued["ch04_two_sided_at_1e5"] < 1e-9 < glued["ch04_one_sided_at_1e5"]


def test_the_reference_network_passes_below_1e_minus_7_and_every_bug_fails_above_1e_minus_3(checking_page):
    ns, glued = checking_page
    assert glued["ch04_reference_error"] < 1e-7 and glued["ch04_no_bug_error"] < 1e-7
    assert glued["ch04_smallest_bug_error"] > 1e-3
    assert len(ns["bug_errors"]) == 5


def test_a_one_sided_check_of_correct_code_lands_in_the_look_closer_and_probably_a_bug_rows(checking_page):
    _, glued = checking_page
    assert 1e-7 < glued["ch04_one_sided_1e5"] < 1e-5
    assert 1e-5 < glued["ch04_one_sided_1e4"] < 1e-3
    assert glued["ch04_two_sided_1e4"] < 1e-7


# ------------------------------------------------ training_an_mlp

def test_xor_is_solved_and_relu_fails_more_often_than_tanh(training_page):
    _, glued = training_page
    assert glued["ch04_xor_right"] == 4 and glued["ch04_xor_cost"] < 0.01
    assert glued["ch04_xor_solved_relu"] < glued["ch04_xor_solved_tanh"]


def test_the_mlp_beats_logistic_regression_on_the_development_set_and_the_test_set(training_page):
    ns, glued = training_page
    results = ns["results"]
    assert glued["ch04_best_dev"] == max(acc for acc, _, _ in results.values())
    assert glued["ch04_margin"] == pytest.approx(glued["ch04_best_dev"] - glued["ch04_line_dev"])
    assert glued["ch04_margin"] > 0.1
    assert glued["ch04_test_accuracy"] > glued["ch04_line_test"] + 0.1


def test_the_training_demo_ends_above_the_quoted_accuracy_for_both_activations(training_page):
    ns, glued = training_page
    demo = ns["training_demo"]
    assert demo.tour[demo.start] == {"activation": "tanh", "epoch": ns["DEMO_EPOCHS"]}
    for activation in ["tanh", "relu"]:
        first = float(demo.draw(30, activation=activation, epoch=0)[1].split("accuracy ")[1].split(",")[0])
        last = float(demo.draw(30, activation=activation, epoch=ns["DEMO_EPOCHS"])[1].split("accuracy ")[1].split(",")[0])
        assert last > glued["ch04_demo_floor"] >= 0.9 and first < last
