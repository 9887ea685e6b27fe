"""Every formula and quoted number of the chapter 6 explanation pages, checked numerically.

Each page's code cells are run here as the book runs them (glue is recorded instead of shown,
demos are built but not displayed), and the tests check the page's objects and glued numbers
against independent computations: closed forms, finite differences, enumeration, the
reference functions, and the demo's own readouts for what the text asks the reader to do.
"""
import itertools
import math
import re
from pathlib import Path
from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import surfaces  # noqa: E402
from nnbook.demos import MAX_FRAMES, Demo  # noqa: E402
from solutions.ch06_optimization import adam_update, initialize_optimizer_state, rmsprop_update  # noqa: E402

CHAPTER = Path(__file__).resolve().parent.parent / "chapters" / "ch06_optimization"


def run_page(name):
    """(namespace, glued values) after running every code cell of a page."""
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    glued, namespace = {}, {}
    with mock.patch("myst_nb.glue", lambda key, value, display=True: glued.__setitem__(key, value)), \
            mock.patch.object(Demo, "show", lambda self: None), mock.patch.object(plt, "show", lambda: None), \
            mock.patch("nnbook.plots.show", lambda fig, alt: plt.close(fig)):
        for cell in notebook.cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)  # noqa: S102 (the book's own pages)
                plt.close("all")
    return namespace, glued


def page_text(name):
    notebook = nbformat.read(CHAPTER / f"{name}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.fixture(scope="module")
def batches_page():
    return run_page("minibatches")


@pytest.fixture(scope="module")
def rate_page():
    return run_page("learning_rate_and_decay")


@pytest.fixture(scope="module")
def saddle_page():
    return run_page("saddles_and_plateaus")


@pytest.fixture(scope="module")
def adam_page():
    return run_page("momentum_rmsprop_adam")


@pytest.fixture(scope="module")
def race_page():
    return run_page("comparing_optimizers")


def test_every_glue_the_pages_quote_is_glued_and_every_glued_float_is_a_python_number(
        batches_page, rate_page, saddle_page, adam_page, race_page):
    pages = {"minibatches": batches_page, "learning_rate_and_decay": rate_page,
             "saddles_and_plateaus": saddle_page, "momentum_rmsprop_adam": adam_page,
             "comparing_optimizers": race_page}
    for name, (_, glued) in pages.items():
        quoted = set(re.findall(r"\{glue:text\}`([a-z0-9_]+)", page_text(name)))
        assert quoted and quoted <= set(glued), (name, quoted - set(glued))
        assert all(type(v) in (int, float, str) for v in glued.values()), name


# ------------------------------------------------ minibatches: epochs, noise, cost of a step

def test_iterations_an_epoch_and_the_last_batch(batches_page):
    ns, glued = batches_page
    assert glued["ch06_m"] == 1078 == ns["X_train"].shape[1]
    assert glued["ch06_iterations_32"] == 34 and glued["ch06_last_32"] == 1078 - 33 * 32 == 22
    # Question 1: 1,000 examples in batches of 64.
    assert math.ceil(1000 / 64) == 16 and 1000 - 15 * 64 == 40


def test_the_sampling_formula_is_exact_by_enumerating_every_batch():
    rng = np.random.default_rng(0)
    m, vectors = 7, rng.normal(size=(7, 3))
    mean = vectors.mean(axis=0)
    sigma2 = np.mean(np.sum((vectors - mean) ** 2, axis=1))
    for b in range(1, m + 1):
        errors = [np.sum((vectors[list(batch)].mean(axis=0) - mean) ** 2)
                  for batch in itertools.combinations(range(m), b)]
        assert np.isclose(np.mean(errors), sigma2 / b * (m - b) / (m - 1))
    # Question 3: a batch of 100 of 1,000 against one example.
    assert np.isclose((900 / (100 * 999)) / 1.0, 0.009009, rtol=1e-3)


def test_the_measured_noise_follows_the_formula_and_the_quoted_ratios(batches_page):
    ns, glued = batches_page
    measured, predicted = np.array(ns["measured"]), np.array(ns["predicted"])
    assert np.all(np.abs(measured / predicted - 1) < 0.25)
    assert np.isclose(ns["single"].mean(axis=0), ns["full"]).all()
    assert np.isclose(glued["ch06_noise_ratio_1_32"], measured[0] / measured[ns["sizes"].index(32)])
    assert 25 < glued["ch06_noise_ratio_1_32"] < 45
    size = np.sum(ns["full"] ** 2)
    assert np.isclose(glued["ch06_noise_over_gradient_1"], measured[0] / size) and glued["ch06_noise_over_gradient_1"] > 1
    assert glued["ch06_noise_over_gradient_32"] < 1


def test_the_step_costs_support_the_text(batches_page):
    ns, glued = batches_page
    per_iteration, sizes = ns["per_iteration"], ns["timed_sizes"]
    assert glued["ch06_iteration_us_64"] < 4 * glued["ch06_iteration_us_1"], "about as long as one example"
    assert glued["ch06_epoch_speedup_64"] > 10
    assert per_iteration[-1] > 2 * per_iteration[sizes.index(256)], "beyond a few hundred, time grows with b"


def test_the_batch_size_race_supports_the_text(batches_page):
    ns, glued = batches_page
    curves, m = ns["curves"], ns["m"]
    assert glued["ch06_final_cost_1"] == curves[1][-1] and glued["ch06_final_cost_m"] == curves[m][-1]
    assert curves[1][-1] < curves[32][-1] < curves[m][-1], "per epoch: 1, then 32, then all"
    assert glued["ch06_sgd_seconds"] > glued["ch06_minibatch_seconds"]
    for b, rates in ns["grids"].items():
        assert ns["chosen_rate"][b] in rates[:-1], "each grid reaches past its chosen rate"


# ------------------------------------------------ learning_rate_and_decay

def test_the_largest_stable_rate_is_2_over_the_largest_curvature(rate_page):
    ns, glued = rate_page
    eps = 1e-6
    hessian = np.array([[(g1 - g0) / eps for g1, g0 in zip(surfaces.BOWL.gradient(*point), surfaces.BOWL.gradient(0, 0))]
                        for point in ((eps, 0.0), (0.0, eps))])
    curvatures = np.linalg.eigvalsh(hessian)
    assert np.allclose(curvatures, [1, 50], atol=1e-4)
    assert glued["ch06_rate_limit"] == pytest.approx(2 / curvatures.max(), rel=1e-5)
    assert glued["ch06_shrink_at_limit"] == pytest.approx(1 - 2 / 50)
    gaps = {label: surfaces.BOWL.gap(path) for label, path in ns["paths"].items()}
    assert gaps["α = 0.041"][-1] > gaps["α = 0.041"][0], "just above the limit the cost rises"
    assert gaps["α = 0.038"][-1] < 1e-3 * gaps["α = 0.038"][0] and gaps["α = 0.038"][-1] < gaps["α = 0.01"][-1]
    assert abs(ns["paths"]["α = 0.038"][-1, 1]) < 1e-3, "just below the limit the zigzag dies out"
    # Question 1: curvatures 4 and 400.
    assert 2 / 400 == 0.005 and 1 - 0.005 * 4 == pytest.approx(0.98)


def test_the_rate_is_chosen_on_the_development_set(rate_page):
    ns, glued = rate_page
    dev = ns["dev_cost"]
    assert glued["ch06_best_rate"] == min(dev, key=dev.get) and glued["ch06_best_dev_cost"] == dev[glued["ch06_best_rate"]]
    assert glued["ch06_best_rate"] < max(ns["sweep"]), "the grid reaches past the best rate"
    assert glued["ch06_worst_dev_cost"] == dev[max(ns["sweep"])] > dev[glued["ch06_best_rate"]]


def test_the_decay_experiment_supports_the_text(rate_page):
    ns, glued = rate_page
    best = ns["least_squares_solution"](ns["X"], ns["Y"])
    assert all(np.allclose(g, 0, atol=1e-10) for g in ns["squared_error"](best, ns["X"], ns["Y"])[1].values())
    assert min(gap.min() for gap in ns["excess"].values()) > -1e-12, "J* is the lowest cost"
    assert glued["ch06_floor_step"] < glued["ch06_floor_small"] < glued["ch06_floor_large"]
    assert glued["ch06_floor_exponential"] < glued["ch06_floor_small"]
    assert glued["ch06_reach_small"] > glued["ch06_reach_large"]
    schedules = ns["schedules"]
    assert schedules["1/t decay, k = 0.5"][4] == pytest.approx(0.1 / 3)
    # Questions 2, 3 and 5.
    step = ns["step_decay"]
    assert [step(0.2, e) for e in (0, 4, 5, 12)] == pytest.approx([0.2, 0.2, 0.1, 0.05])
    assert math.log(2) / -math.log(0.95) == pytest.approx(13.5, abs=0.05)
    assert 0.95 ** 34 == pytest.approx(0.17, abs=0.01)


# ------------------------------------------------ saddles_and_plateaus

def test_gradient_descent_on_x_cubed_follows_one_over_k(saddle_page):
    ns, glued = saddle_page
    xs = np.array(ns["xs"])
    assert glued["ch06_cubic_steps"] == len(xs) - 1 and xs[-1] < 0.01 <= xs[-2]
    assert abs(glued["ch06_cubic_steps"] - glued["ch06_cubic_estimate"]) / glued["ch06_cubic_estimate"] < 0.05
    k = np.arange(len(xs))
    assert np.all(np.abs(xs[1:] * (1 + 0.3 * k[1:]) - 1) < 0.15)
    assert glued["ch06_cubic_slope"] == pytest.approx(3 * xs[-1] ** 2)


def test_the_saddle_curves_up_and_down_and_its_minima(saddle_page):
    eps = 1e-6
    g = surfaces.SADDLE.gradient
    hessian = np.array([[(a - b) / eps for a, b in zip(g(eps, 0.0), g(0.0, 0.0))],
                        [(a - b) / eps for a, b in zip(g(0.0, eps), g(0.0, 0.0))]])
    assert np.allclose(hessian, [[1, 0], [0, -1]], atol=1e-5)
    for point in surfaces.SADDLE.minima:
        assert np.allclose(g(*point), 0) and surfaces.SADDLE.f(*point) == -0.25
    # Question 2: x^2 - y^2, one step of 0.1 from (x, y) gives (0.8 x, 1.2 y).
    x, y = 0.3, -0.2
    assert np.allclose((x - 0.1 * 2 * x, y - 0.1 * (-2 * y)), (0.8 * x, 1.2 * y))


def test_the_time_on_the_saddle_grows_like_the_log_of_the_distance(saddle_page):
    ns, glued = saddle_page
    escape = ns["escape"]
    assert escape[1e-2] < escape[1e-4] < escape[1e-8]
    assert glued["ch06_saddle_per_100"] == pytest.approx(math.log(100) / math.log(1.1), abs=2)
    for y0, steps in escape.items():
        assert abs(steps - math.log(1 / (2 * y0)) / math.log(1.1)) < 12
    assert math.log(100) / math.log(1.1) == pytest.approx(48, abs=0.5)       # question 3


def test_adam_leaves_the_saddle_sooner_and_momentum_later(saddle_page):
    ns, glued = saddle_page
    escape = ns["escape_by"]
    assert glued["ch06_escape_adam"] < escape["sgd"] < glued["ch06_escape_momentum"]
    assert escape["sgd"] == ns["escape"][1e-8]
    import dataclasses

    counts = []
    for y0 in (1e-2, 1e-4, 1e-8):
        surface = dataclasses.replace(surfaces.SADDLE, start=(-2.5, y0))
        path = surfaces.descend(surface, adam_update, initialize_optimizer_state({"p": np.zeros(2)}, "adam"), 0.1, 300)
        counts.append(int(np.argmax(surfaces.SADDLE.gap(path) - 0.25 < -0.2)))
    assert max(counts) - min(counts) <= 2, "Adam needs about the same number of steps wherever it starts"


# ------------------------------------------------ momentum_rmsprop_adam

def test_the_weighted_average_is_the_unrolled_sum_and_its_correction(adam_page):
    ns, glued = adam_page
    signal, t = ns["signal"], ns["t"]
    for beta, average in [(0.9, ns["v_09"]), (0.98, ns["v_098"])]:
        k = 37
        unrolled = (1 - beta) * sum(beta ** (k - j) * signal[j - 1] for j in range(1, k + 1))
        assert np.isclose(average[k - 1], unrolled)
        assert np.isclose((1 - beta) * sum(beta ** i for i in range(k)), 1 - beta ** k)
    assert np.allclose(ns["v_098_hat"], ns["v_098"] / (1 - 0.98 ** t))
    assert glued["ch06_ewa_v5"] == pytest.approx(ns["v_098"][4]) and glued["ch06_ewa_v5"] < 0.2 * glued["ch06_ewa_mean5"]
    assert 0.9 ** 10 == pytest.approx(0.349, abs=1e-3) and math.exp(-1) == pytest.approx(0.368, abs=1e-3)


def test_adams_first_step_with_and_without_correction(adam_page):
    _, glued = adam_page
    assert glued["ch06_first_step_corrected"] == pytest.approx(1.0, abs=1e-6)
    assert glued["ch06_first_step_uncorrected"] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)
    assert glued["ch06_first_step_uncorrected"] == pytest.approx(3.1623, abs=1e-4)
    assert glued["ch06_first_step_tiny"] == pytest.approx(1e-6 / (1e-6 + 1e-8))


def test_the_bias_of_the_uncorrected_steps_over_time(adam_page):
    _, glued = adam_page
    t = np.arange(1, 10001)
    ratio = (1 - 0.9 ** t) / np.sqrt(1 - 0.999 ** t)
    assert glued["ch06_bias_peak"] == pytest.approx(ratio.max()) and glued["ch06_bias_peak_step"] == 12
    assert glued["ch06_bias_at_1000"] == pytest.approx(ratio[999]) and 1.2 < ratio[999] < 1.3
    # The same ratio from the update itself: 30 steps of a constant gradient.
    params, state = {"w": np.zeros(1)}, initialize_optimizer_state({"w": np.zeros(1)}, "adam")
    for step in range(1, 13):
        new, state = adam_update(params, {"dw": np.array([2.0])}, state, 1.0)
        params = new
    uncorrected = state["v"]["w"][0] / np.sqrt(state["s"]["w"][0])
    assert uncorrected == pytest.approx(ratio[11], rel=1e-6)


def test_adams_first_steps_on_the_network_are_all_about_alpha(adam_page):
    ns, glued = adam_page
    gradient, step, moving = ns["gradient"], ns["adam_step"], ns["moving"]
    assert glued["ch06_zero_gradients"] == int(np.sum(gradient == 0)) and np.all(step[~moving] == 0)
    assert glued["ch06_network_step_median"] == pytest.approx(1.0, abs=1e-3)
    assert glued["ch06_network_step_min"] > 0.99
    assert glued["ch06_gradient_decades"] == pytest.approx(np.log10(gradient.max() / gradient[moving].min()))
    expected = 0.001 * gradient[moving] / (gradient[moving] + 1e-8)
    assert np.allclose(step[moving], expected)


def test_the_bowl_race_supports_the_text(adam_page):
    ns, glued = adam_page
    settled, rates = ns["settled"], ns["best_rate"]
    assert glued["ch06_bowl_steps_sgd"] == settled["sgd"] > settled["momentum"] and settled["sgd"] > settled["adam"]
    assert settled["rmsprop"] is None, "RMSprop hovers with a constant rate"
    assert rates["sgd"] < 2 / 50 < rates["momentum"]
    assert glued["ch06_bowl_hover_rmsprop"] == pytest.approx(ns["hover"]["rmsprop"])
    for name, path in ns["paths"].items():
        assert surfaces.steps_to_settle(surfaces.BOWL, path, 1e-6) == settled[name]


def test_the_answers_to_the_adam_page_questions():
    # 2: RMSprop with a constant gradient 0.02 settles at s = 4e-4 and steps of alpha.
    params, state = {"w": np.zeros(1)}, {"s": {"w": np.zeros(1)}}
    for _ in range(300):
        new, state = rmsprop_update(params, {"dw": np.array([0.02])}, state, 0.01)
    assert state["s"]["w"][0] == pytest.approx(4e-4) and params["w"][0] - new["w"][0] == pytest.approx(0.01, rel=1e-5)
    # 4: t = 0 in the correction divides by zero.
    assert 1 - 0.9 ** 0 == 0


# ------------------------------------------------ comparing_optimizers: the race demo

def frame_of(demo, **wanted):
    for index, frame in enumerate(demo.tour):
        if all(frame[key] == pytest.approx(value) if isinstance(value, float) else frame[key] == value
               for key, value in wanted.items()):
            return index
    raise AssertionError(f"no frame {wanted}")


def parse(readout):
    """{optimizer label: (gap or None if diverged, settling step or None)} from a readout."""
    results = {}
    for part in readout.split(": ", 1)[1].split("; "):
        diverged = re.fullmatch(r"(.+) diverged", part)
        if diverged:
            results[diverged.group(1)] = (None, None)
            continue
        found = re.fullmatch(r"(.+?) ([0-9.e+-]+)(?:, settled at (\d+))?", part)
        results[found.group(1)] = (float(found.group(2)), int(found.group(3)) if found.group(3) else None)
    return results


@pytest.fixture(scope="module")
def readouts(race_page):
    demo = race_page[0]["race_demo"]
    return {index: parse(demo.draw(20, **frame)[1]) for index, frame in enumerate(demo.tour)}


GD, MOMENTUM, RMSPROP, ADAM = "gradient descent", "momentum", "RMSprop", "Adam"


def test_the_race_demo_opens_on_the_bowl_and_every_frame_is_reachable_live(race_page):
    demo = race_page[0]["race_demo"]
    assert len(demo.tour) <= MAX_FRAMES
    assert demo.tour[demo.start] == {"surface": "bowl", "alpha": 0.03, "beta1": 0.9, "beta2": 0.999}
    assert {c.name: c.value for c in demo.controls} == demo.tour[demo.start]
    for frame in demo.tour:
        assert not any(control.problem(frame[control.name]) for control in demo.controls)


def test_the_race_demo_runs_live_with_a_dropdown_and_three_sliders(race_page):
    import ipywidgets as widgets

    box = race_page[0]["race_demo"].live()
    kinds = [type(child) for child in box.children]
    assert kinds[:4] == [widgets.Dropdown, widgets.FloatLogSlider, widgets.FloatSlider, widgets.FloatSlider]
    assert widgets.Image in kinds and "after 300 steps" in box.children[-1].value


def test_raising_the_rate_on_the_bowl_as_the_text_asks(race_page, readouts):
    demo = race_page[0]["race_demo"]
    at = {a: readouts[frame_of(demo, surface="bowl", alpha=a, beta1=0.9, beta2=0.999)]
          for a in (0.01, 0.03, 0.04, 0.045, 0.1, 0.3)}
    assert at[0.03][GD][1] is not None, "below the limit gradient descent settles"
    gap, settled = at[0.04][GD]
    assert gap is not None and settled is None and gap > 1, "at 2 / 50 it bounces forever"
    assert at[0.045][GD] == (None, None) and at[0.1][GD] == (None, None)
    assert all(at[0.3][name][1] is not None for name in (MOMENTUM, RMSPROP, ADAM))


def test_beta1_0_is_gradient_descent_and_0_99_overshoots(race_page, readouts):
    demo = race_page[0]["race_demo"]
    zero = readouts[frame_of(demo, surface="bowl", alpha=0.03, beta1=0.0)]
    assert zero[MOMENTUM] == zero[GD]
    high = readouts[frame_of(demo, surface="bowl", alpha=0.1, beta1=0.99)]
    assert high[MOMENTUM][1] is None and high[ADAM][1] is None


def test_the_saddle_as_the_text_describes_it(race_page, readouts):
    demo = race_page[0]["race_demo"]
    slow = readouts[frame_of(demo, surface="saddle", alpha=0.01, beta1=0.9)]
    assert slow[GD][0] > 0.2 and slow[MOMENTUM][0] > 0.2, "still on the plateau, f near 0"
    assert slow[RMSPROP][1] is not None
    usual = readouts[frame_of(demo, surface="saddle", alpha=0.1, beta1=0.9)]
    assert all(usual[name][1] is not None for name in (GD, MOMENTUM, RMSPROP, ADAM))
    assert usual[MOMENTUM][1] == max(usual[name][1] for name in usual)
    no_momentum = readouts[frame_of(demo, surface="saddle", alpha=0.1, beta1=0.0)]
    assert no_momentum[ADAM][1] < usual[ADAM][1]


def test_the_curved_valley_as_the_text_describes_it(race_page, readouts):
    demo = race_page[0]["race_demo"]
    at = {a: readouts[frame_of(demo, surface="valley", alpha=a, beta1=0.9, beta2=0.999)]
          for a in (0.01, 0.03, 0.1, 0.3)}
    assert at[0.01][GD][0] is not None and at[0.01][GD][1] is None, "it crawls below 0.03"
    assert all(at[a][GD] == (None, None) for a in (0.03, 0.1, 0.3))
    assert at[0.1][MOMENTUM][1] is not None and at[0.1][ADAM][1] is not None
    assert at[0.3][ADAM][1] is not None and at[0.3][MOMENTUM][1] is None
    assert all(at[a][RMSPROP][1] is None for a in at)


def test_a_small_beta2_stops_rmsprop_and_adam_settling_on_the_bowl(race_page, readouts):
    demo = race_page[0]["race_demo"]
    short = readouts[frame_of(demo, surface="bowl", alpha=0.1, beta1=0.9, beta2=0.9)]
    assert short[RMSPROP][1] is None and short[ADAM][1] is None


def test_the_valleys_largest_stable_rate_is_about_0_02():
    x, y = 1.0, 1.0
    hessian = np.array([[2 - 40 * (y - x ** 2) + 80 * x ** 2, -40 * x], [-40 * x, 20]])
    eps = 1e-6
    g = surfaces.VALLEY.gradient
    numeric = np.array([[(a - b) / eps for a, b in zip(g(x + eps, y), g(x, y))],
                        [(a - b) / eps for a, b in zip(g(x, y + eps), g(x, y))]])
    assert np.allclose(hessian, numeric, atol=1e-3)
    assert 2 / np.linalg.eigvalsh(hessian).max() == pytest.approx(0.02, abs=0.001)


# ------------------------------------------------ comparing_optimizers: the network

def test_each_rate_is_chosen_on_the_development_set_inside_its_grid(race_page):
    ns, _ = race_page
    for name, costs in ns["dev_costs"].items():
        assert ns["chosen"][name] == min(costs, key=costs.get)
        assert ns["grids"][name][0] < ns["chosen"][name] < ns["grids"][name][-1], f"{name}: the grid reaches past it"


def test_the_network_table_and_the_ranking(race_page):
    ns, glued = race_page
    results = ns["results"]
    for name, row in results.items():
        assert glued[f"ch06_net_{name}_dev"] == pytest.approx(ns["model"](ns["trained"][name], ns["X_dev"], ns["Y_dev"])[0])
        assert glued[f"ch06_net_{name}_train"] == ns["costs"][name][-1]
        assert glued[f"ch06_net_{name}_dev_accuracy"] == ns["accuracy"](ns["trained"][name], ns["X_dev"], ns["Y_dev"])
    ranking = sorted(results, key=lambda n: results[n]["dev"])
    assert glued["ch06_net_ranking"] == ", ".join(ns["NAMES"][n] for n in ranking)
    assert glued["ch06_net_spread"] == pytest.approx(results[ranking[-1]]["dev"] / results[ranking[0]]["dev"])
    assert len({c[0] for c in ns["costs"].values()}) == 1, "the same start for all four"
    assert glued["ch06_adam_default_dev"] == ns["dev_costs"]["adam"][1e-3]


def test_the_test_set_is_used_once_for_the_chosen_optimizer(race_page):
    ns, glued = race_page
    notebook = nbformat.read(CHAPTER / "comparing_optimizers.ipynb", as_version=4)
    using = [cell.source for cell in notebook.cells if cell.cell_type == "code" and "X_test" in cell.source]
    assert len(using) == 2 and "load_digits" in using[0], "defined once, used once"
    assert glued["ch06_net_test_accuracy"] == ns["accuracy"](ns["trained"][ns["best"]], ns["X_test"], ns["Y_test"])
    assert glued["ch06_net_test_m"] == ns["X_test"].shape[1]
