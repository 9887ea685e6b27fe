"""Every formula and quoted number of the chapter 7 explanation pages, checked numerically.

Each page's code cells are run here as the book runs them (glue is recorded instead of shown,
demos are built but not displayed), and the tests check the page's objects and glued numbers
against independent computations: finite differences, closed forms, scikit-learn's own loss.
"""
import json
import re
from pathlib import Path
from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.demos import Demo  # noqa: E402
from solutions.ch03_softmax import one_hot  # noqa: E402
from solutions.ch07_capstone import l2_regularization, regularized_cost, train_digits  # noqa: E402

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "ch07_capstone"


def run_page(name):
    """(namespace, glued values) after running every code cell of a page."""
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    glued, namespace, shown = {}, {}, []
    with mock.patch("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value)), \
            mock.patch.object(Demo, "show", lambda self: shown.append(self)), \
            mock.patch.object(plt, "show", lambda: None), mock.patch("nnbook.plots.display", lambda *a, **k: None):
        for cell in notebook.cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)  # noqa: S102 (the book's own pages)
                plt.close("all")
    namespace["shown_demos"] = shown
    return namespace, glued


@pytest.fixture(scope="module")
def overfitting_page():
    return run_page("overfitting")


@pytest.fixture(scope="module")
def regularization_page():
    return run_page("regularization")


@pytest.fixture(scope="module")
def digits_page():
    return run_page("training_on_digits")


@pytest.fixture(scope="module")
def beyond_page():
    return run_page("beyond")


def markdown(name):
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


# ------------------------------------------------ overfitting: the gap and where it closes

def test_the_small_run_memorizes_and_more_data_shrinks_the_gap(overfitting_page):
    ns, glued = overfitting_page
    small, full = ns["small"], ns["full"]
    assert glued["ch07_small_train"] == small["train_accuracy"][-1] == 1.0
    assert glued["ch07_small_gap"] == pytest.approx(small["train_accuracy"][-1] - small["dev_accuracy"][-1])
    assert glued["ch07_small_gap"] > 2 * glued["ch07_full_gap"] > 0
    assert small["train_accuracy"][glued["ch07_first_perfect"] - 1] == 1.0
    assert all(a < 1.0 for a in small["train_accuracy"][:glued["ch07_first_perfect"] - 1])


def test_the_parameter_count_is_every_weight_and_bias_and_over_a_hundred_an_example(overfitting_page):
    _, glued = overfitting_page
    assert glued["ch07_n_params"] == 64 * 256 + 256 + 256 * 10 + 10
    assert glued["ch07_params_per_example"] == glued["ch07_n_params"] // glued["ch07_small_m"] > 100
    assert glued["ch07_gap_digits"] == round(0.1 * glued["ch07_m_dev"])


# ------------------------------------------------ regularization: L2, weight decay, dropout's mean

def test_the_l2_gradient_check_and_the_weight_decay_identity(regularization_page):
    _, glued = regularization_page
    assert glued["ch07_l2_gradient_error"] < 1e-8
    rng = np.random.default_rng(0)
    W, dW, alpha, lambd, m = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.1, 0.7, 5
    params = {"W1": W, "b1": np.zeros((3, 1))}
    step = W - alpha * (dW + l2_regularization(params, lambd, m)[1]["dW1"])
    assert np.allclose(step, (1 - alpha * lambd / m) * W - alpha * dW)


def test_l2_shrinks_the_first_layer_and_decays_the_weights_of_pixels_that_are_always_zero(regularization_page):
    ns, glued = regularization_page
    assert glued["ch07_norm_plain"] > 4 * glued["ch07_norm_l2"]
    X, Y = ns["X_train"][:, :ns["SMALL"]], ns["Y_train"][:, :ns["SMALL"]]
    blank = np.flatnonzero(np.all(X == 0, axis=1))
    assert blank.size >= 5, "some pixels are 0 in every one of the small set's digits"
    from solutions.ch05_initialization import initialize_he

    start = initialize_he([64, 256, 10], np.random.default_rng(0))["W1"]
    trained = {}
    for lambd in (0.0, 1.0):
        params, _ = train_digits(X, Y, ns["X_dev"], ns["Y_dev"], [64, 256, 10], np.random.default_rng(0),
                                 lambd=lambd, **ns["SETTINGS"])
        trained[lambd] = params["W1"][:, blank]
    assert np.allclose(trained[0.0], start[:, blank]), "no gradient reaches them without the penalty"
    assert np.abs(trained[1.0]).max() < 0.1 * np.abs(start[:, blank]).max()


def test_dropouts_kept_fraction_and_mean_are_within_chance_of_keep_prob_and_a(regularization_page):
    _, glued = regularization_page
    n = 4 * 20000
    assert abs(glued["ch07_kept_fraction"] - 0.6) < 4 * np.sqrt(0.6 * 0.4 / n)
    # The mean of 20,000 dropped copies of 2.0 has standard deviation 2 sqrt((1 - p) / p) / sqrt(20000).
    assert glued["ch07_mean_deviation"] < 4 * 2.0 * np.sqrt(0.4 / 0.6) / np.sqrt(20000)


def test_the_demo_shows_what_the_text_says(regularization_page, overfitting_page):
    ns, glued = regularization_page
    finals = ns["finals"]
    assert glued["ch07_demo_gap"] == pytest.approx(finals[1.0, 0.0][0] - finals[1.0, 0.0][1])
    assert glued["ch07_demo_l2_gap"] < glued["ch07_demo_gap"]
    assert glued["ch07_demo_l2_train"] < finals[1.0, 0.0][0]
    strongest = finals[1.0, 3.0]
    assert strongest[0] < finals[1.0, 1.0][0] and strongest[1] < finals[1.0, 0.0][1] - 0.1, "underfitting"
    assert glued["ch07_demo_perfect_dropout"] > glued["ch07_demo_perfect_plain"]
    assert glued["ch07_demo_best_dev"] == max(dev for _, dev in finals.values()) >= glued["ch07_demo_plain_dev"]
    assert glued["ch07_demo_best_dev"] < overfitting_page[1]["ch07_full_dev"], "more data beats regularization"
    demo = ns["shown_demos"][0]
    assert demo.tour[demo.start] == {"keep_prob": 1.0, "lambd": 0.0}
    for keep_prob, lambd in [(1.0, 1.0), (1.0, 3.0), (0.4, 0.0)]:
        assert {"keep_prob": keep_prob, "lambd": lambd} in demo.tour


def test_the_check_your_understanding_numbers_of_the_regularization_page():
    text = markdown("regularization")
    assert "0.3125" in text and l2_regularization({"W1": np.array([[1.0, 2.0]]), "b1": np.zeros((1, 1))},
                                                  0.5, 4)[0] == 0.3125
    assert "2.0 / 0.8 = 2.5" in text and 0.8 * 2.5 == 2.0


# ------------------------------------------------ the network for the digits

def test_the_choice_is_the_best_development_accuracy_and_is_the_exercises_setting(digits_page):
    ns, glued = digits_page
    results, chosen = ns["results"], ns["chosen"]
    best = max(r[1]["dev_accuracy"][-1] for r in results.values())
    assert results[chosen][1]["dev_accuracy"][-1] == best == glued["ch07_chosen_dev"]
    assert next(k for k, r in results.items() if r[1]["dev_accuracy"][-1] == best) == chosen, "first in the table"
    template = json.loads((CHAPTER / "exercises.template.ipynb").read_text())
    test_cell = next("".join(c["source"]) for c in template["cells"] if "#| test: train_digits" in "".join(c["source"]))
    width, keep_prob, lambd = chosen
    assert f"[64, {width}, 10]" in test_cell and f"keep_prob={keep_prob}" in test_cell
    assert f"lambd={lambd}" in test_cell and "num_epochs=20" in test_cell and "epoch // 10" in test_cell


def test_the_test_accuracy_is_at_least_97_percent_and_counts_the_mistakes_shown(digits_page):
    ns, glued = digits_page
    assert glued["ch07_test_accuracy"] >= 0.97
    assert glued["ch07_test_wrong"] == round((1 - glued["ch07_test_accuracy"]) * glued["ch07_test_m"])
    assert glued["ch07_test_accuracy"] > glued["ch07_softmax_regression_test"]
    assert glued["ch07_one_dev_digit"] == pytest.approx(1 / glued["ch07_m_dev_3"])


# ------------------------------------------------ beyond: a convolution, and scikit-learn's L2

def test_the_feature_map_is_a_valid_cross_correlation_and_a_dense_layer_with_shared_weights(beyond_page):
    ns, glued = beyond_page
    windows = np.lib.stride_tricks.sliding_window_view(ns["image"], (3, 3))
    expected = np.maximum(0.0, np.einsum("ijuv,uv->ij", windows, ns["kernel"]) - 1.0)
    assert np.allclose(ns["A"], expected) and ns["A"].shape == (6, 6)
    assert glued["ch07_conv_gap"] < 1e-12
    assert glued["ch07_dense_params"] == 36 * 64 + 36 and glued["ch07_conv_params"] == 3 * 3 + 1
    assert np.count_nonzero(ns["W"], axis=1).max() <= 9


def test_the_convolution_answers_of_the_beyond_page():
    text = markdown("beyond")
    assert "4 x 4" in text and 8 - 5 + 1 == 4
    assert "$16 \\times (9 + 1) = 160$" in text


def test_ours_and_scikit_learn_agree_on_the_development_set(beyond_page):
    _, glued = beyond_page
    assert abs(glued["ch07_ours_dev"] - glued["ch07_sklearn_dev"]) < 0.03


def test_scikit_learns_alpha_is_this_chapters_lambda():
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    X, labels = rng.random((6, 12)), rng.integers(0, 3, size=(1, 12))
    model = MLPClassifier(hidden_layer_sizes=(5,), alpha=0.7, max_iter=1, batch_size=12, random_state=0)
    with pytest.warns(Warning):
        model.fit(X.T, labels[0])
    params = {"W1": model.coefs_[0].T, "b1": model.intercepts_[0].reshape(-1, 1),
              "W2": model.coefs_[1].T, "b2": model.intercepts_[1].reshape(-1, 1)}
    activations = [X.T, np.empty((12, 5)), np.empty((12, 3))]
    deltas = [np.empty_like(a) for a in activations[1:]]
    coef_grads = [np.empty_like(c) for c in model.coefs_]
    intercept_grads = [np.empty_like(b) for b in model.intercepts_]
    # Its loss of a batch (a private method, the one fit calls): the mean log loss plus alpha / (2 m) sum W^2.
    loss, _, _ = model._backprop(X.T, one_hot(labels, 3).T, None, activations, deltas, coef_grads, intercept_grads)
    assert loss == pytest.approx(regularized_cost(params, X, one_hot(labels, 3), 0.7))
