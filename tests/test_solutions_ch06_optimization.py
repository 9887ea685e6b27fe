"""The chapter 6 reference implementations against hand-computed steps, closed forms and each other."""
import copy
import math

import numpy as np
import pytest

from autograder.exercises.ch06_optimization import LOGISTIC_MODEL, TANH_MLP_MODEL, random_params
from nnbook.least_squares import initialize_linear, least_squares_solution, linear_predict, squared_error
from solutions.ch04_backprop import initialize_mlp, numerical_gradient, relative_error
from solutions.ch06_optimization import (OPTIMIZERS, adam_update, compare_optimizers, exponential_decay,
                                         initialize_optimizer_state, mlp_cost_and_gradients, momentum_update,
                                         random_mini_batches, rmsprop_update, sgd_update, step_decay,
                                         train_with_optimizer)

UPDATES = {"sgd": sgd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}


def one(value):
    return {"w": np.array([float(value)])}


def grad(value):
    return {"dw": np.array([float(value)])}


# ------------------------------------------------ mini-batches

@pytest.mark.parametrize("m,batch_size", [(12, 4), (10, 4), (5, 8), (7, 7), (6, 1), (1, 3), (23, 5)])
def test_every_example_is_in_exactly_one_batch_with_its_own_label(m, batch_size):
    X = np.vstack([np.arange(m, dtype=float), np.ones(m)])
    Y = np.arange(m, dtype=float)[np.newaxis, :] * 10
    batches = random_mini_batches(X, Y, batch_size, np.random.default_rng(0))
    assert len(batches) == math.ceil(m / batch_size)
    sizes = [Xb.shape[1] for Xb, _ in batches]
    assert sizes[:-1] == [batch_size] * (len(sizes) - 1) and sizes[-1] == m - batch_size * (len(sizes) - 1)
    seen = np.concatenate([Xb[0] for Xb, _ in batches])
    assert sorted(seen) == list(range(m)), "every example once: the last partial batch is kept"
    assert all(np.array_equal(Yb, 10 * Xb[:1]) for Xb, Yb in batches)


def test_the_shuffle_is_one_permutation_drawn_from_the_given_generator():
    X, Y = np.arange(20.0).reshape(2, 10), np.arange(10.0)[np.newaxis, :]
    rng, twin = np.random.default_rng(5), np.random.default_rng(5)
    batches = random_mini_batches(X, Y, 3, rng)
    order = twin.permutation(10)
    assert np.array_equal(np.concatenate([Yb[0] for _, Yb in batches]), order)
    assert rng.bit_generator.state == twin.bit_generator.state, "nothing else is drawn"


def test_mini_batches_keep_the_dtype_of_integer_labels_and_leave_the_inputs_alone():
    X, Y = np.ones((3, 7)), np.arange(7)[np.newaxis, :]
    before = X.copy(), Y.copy()
    batches = random_mini_batches(X, Y, 2, np.random.default_rng(1))
    assert all(Yb.dtype == Y.dtype for _, Yb in batches)
    assert np.array_equal(X, before[0]) and np.array_equal(Y, before[1])


# ------------------------------------------------ the state and the update rules

def test_the_initial_states_are_zeros_keyed_like_params_and_adams_t_is_0():
    params = random_params(np.random.default_rng(0), [3, 4, 2])
    assert initialize_optimizer_state(params, "sgd") == {}
    state = initialize_optimizer_state(params, "adam")
    assert state["t"] == 0 and type(state["t"]) is int
    for moment in ("v", "s"):
        assert set(state[moment]) == set(params)
        for key in params:
            assert state[moment][key].shape == params[key].shape and not state[moment][key].any()
            assert state[moment][key] is not params[key]
    assert set(initialize_optimizer_state(params, "momentum")) == {"v"}
    assert set(initialize_optimizer_state(params, "rmsprop")) == {"s"}
    with pytest.raises(ValueError):
        initialize_optimizer_state(params, "adagrad")


def test_sgd_takes_the_hand_computed_step():
    new, state = sgd_update({"W": np.array([[1.0, -2.0]]), "b": np.array([[0.5]])},
                            {"dW": np.array([[0.5, 1.0]]), "db": np.array([[-1.0]])}, {}, 0.1)
    assert np.allclose(new["W"], [[0.95, -2.1]]) and np.allclose(new["b"], [[0.6]]) and state == {}


def test_momentum_takes_the_hand_computed_steps():
    new, state = momentum_update(one(1.0), grad(2.0), {"v": one(0.0)}, 0.1)
    assert np.isclose(state["v"]["w"][0], 0.2) and np.isclose(new["w"][0], 1 - 0.02)
    new, state = momentum_update(new, grad(-1.0), state, 0.1, beta=0.5)
    assert np.isclose(state["v"]["w"][0], 0.5 * 0.2 - 0.5) and np.isclose(new["w"][0], 0.98 + 0.04)


def test_momentum_with_beta_0_is_gradient_descent():
    params = random_params(np.random.default_rng(1), [2, 3, 1])
    grads = {"d" + k: np.full_like(v, 0.3) for k, v in params.items()}
    new, _ = momentum_update(params, grads, initialize_optimizer_state(params, "momentum"), 0.1, beta=0.0)
    plain, _ = sgd_update(params, grads, {}, 0.1)
    assert all(np.allclose(new[k], plain[k]) for k in params)


def test_momentum_without_one_minus_beta_is_this_momentum_at_a_rate_1_minus_beta_times_larger():
    # The page: PyTorch's and CS231n's v = beta v + dP with rate a equals this chapter's with rate a / (1 - beta).
    rng = np.random.default_rng(2)
    beta, rate = 0.9, 0.1
    params, other = one(1.0), one(1.0)
    state, velocity = {"v": one(0.0)}, 0.0
    for _ in range(25):
        g = float(rng.normal())
        params, state = momentum_update(params, grad(g), state, rate / (1 - beta), beta)
        velocity = beta * velocity + g
        other = {"w": other["w"] - rate * velocity}
    assert np.allclose(params["w"], other["w"])


def test_rmsprop_takes_the_hand_computed_step_with_epsilon_outside_the_root():
    new, state = rmsprop_update(one(0.0), grad(0.1), {"s": one(0.0)}, 1.0, 0.9, 0.1)
    assert np.isclose(state["s"]["w"][0], 0.1 * 0.01)
    assert np.isclose(new["w"][0], -0.1 / (math.sqrt(0.001) + 0.1))
    assert not np.isclose(new["w"][0], -0.1 / math.sqrt(0.001 + 0.1))


def test_rmsprop_moves_every_parameter_by_about_alpha_once_s_has_filled():
    # The page: s tends to dP^2 for a constant gradient, and the step to alpha.
    params, state = {"w": np.zeros(2)}, {"s": {"w": np.zeros(2)}}
    for _ in range(200):
        new, state = rmsprop_update(params, {"dw": np.array([0.02, 50.0])}, state, 0.01)
    assert np.allclose(state["s"]["w"], [0.02 ** 2, 50.0 ** 2]) and np.allclose(params["w"] - new["w"], 0.01)


def test_adam_takes_the_hand_computed_first_and_second_steps():
    state = {"v": one(0.0), "s": one(0.0), "t": 0}
    new, state = adam_update(one(0.0), grad(5.0), state)
    assert state["t"] == 1 and np.isclose(state["v"]["w"][0], 0.5) and np.isclose(state["s"]["w"][0], 0.025)
    assert np.isclose(new["w"][0], -1e-3 * 5 / (5 + 1e-8))
    # The answer to the page's question 3: the second step for a constant gradient 5 is alpha again.
    second, state = adam_update(new, grad(5.0), state)
    assert state["t"] == 2 and np.isclose(state["v"]["w"][0], 0.95) and np.isclose(state["s"]["w"][0], 0.049975)
    assert np.isclose(new["w"][0] - second["w"][0], 1e-3, rtol=1e-8)


@pytest.mark.parametrize("scale", [1e-4, 1e-2, 1.0, 1e2, 1e4])
def test_adams_first_step_is_alpha_whatever_the_scale_and_root_10_alpha_without_correction(scale):
    new, state = adam_update(one(0.0), grad(scale), initialize_optimizer_state(one(0.0), "adam"), 0.01)
    assert np.isclose(-new["w"][0], 0.01, rtol=1e-3)
    uncorrected = state["v"]["w"][0] / math.sqrt(state["s"]["w"][0])
    assert np.isclose(uncorrected, (1 - 0.9) / math.sqrt(1 - 0.999)) and np.isclose(uncorrected, math.sqrt(10))


def test_adams_steps_do_not_depend_on_the_scale_of_the_gradients():
    rng = np.random.default_rng(3)
    gradients = [rng.normal(size=3) for _ in range(20)]
    paths = []
    for scale in (1.0, 10.0):
        params, state = {"w": np.zeros(3)}, initialize_optimizer_state({"w": np.zeros(3)}, "adam")
        for g in gradients:
            params, state = adam_update(params, {"dw": scale * g}, state, 0.01)
        paths.append(params["w"])
    assert np.allclose(*paths, rtol=1e-6)


def test_a_bias_corrected_average_of_a_constant_is_the_constant():
    for beta in (0.9, 0.999):
        v = 0.0
        for t in range(1, 30):
            v = beta * v + (1 - beta) * 4.0
            assert math.isclose(v / (1 - beta ** t), 4.0, rel_tol=1e-12)


def test_the_bias_correction_with_the_paper_efficient_step_gives_the_same_steps():
    from autograder.exercises.ch06_optimization import adam_update_paper_efficient_form

    rng = np.random.default_rng(4)
    params = random_params(rng, [3, 2, 1])
    state = initialize_optimizer_state(params, "adam")
    other = copy.deepcopy(state)
    mine = theirs = params
    for _ in range(5):
        grads = {"d" + k: rng.normal(size=v.shape) for k, v in params.items()}
        mine, state = adam_update(mine, grads, state, 0.01)
        theirs, other = adam_update_paper_efficient_form(theirs, grads, other, 0.01)
    assert all(np.allclose(mine[k], theirs[k]) for k in params)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_no_update_modifies_its_inputs(name):
    rng = np.random.default_rng(5)
    params = random_params(rng, [2, 3, 1])
    grads = {"d" + k: rng.normal(size=v.shape) for k, v in params.items()}
    _, state = UPDATES[name](params, grads, initialize_optimizer_state(params, name), 0.1)
    saved = copy.deepcopy((params, grads, state))
    new, new_state = UPDATES[name](params, grads, state, 0.1)
    for before, after in zip(saved, (params, grads, state)):
        assert before.keys() == after.keys()
        for key in before:
            if isinstance(before[key], dict):
                assert all(np.array_equal(before[key][k], after[key][k]) for k in before[key])
            else:
                assert np.array_equal(before[key], after[key])
    assert new is not params and (name == "sgd" or new_state is not state)


# ------------------------------------------------ schedules

def test_step_decay_halves_every_5_epochs_counted_from_0():
    assert [step_decay(0.1, e) for e in (0, 4, 5, 9, 10, 12)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    assert step_decay(0.2, 12) == pytest.approx(0.05) and step_decay(1.0, 7, 0.1, 3) == pytest.approx(0.01)
    assert type(step_decay(1, 3)) is float


def test_exponential_decay_multiplies_by_the_rate_every_epoch():
    assert [exponential_decay(0.1, e) for e in (0, 1, 2)] == pytest.approx([0.1, 0.095, 0.09025])
    halving = math.log(2) / -math.log(0.95)
    assert 13 < halving < 14 and exponential_decay(1.0, 13) > 0.5 > exponential_decay(1.0, 14)
    # Applied every iteration with 34 iterations an epoch, one epoch would cost this much:
    assert exponential_decay(1.0, 34) == pytest.approx(0.17, abs=0.005)


# ------------------------------------------------ the models

def test_squared_error_gradients_match_finite_differences_and_the_solution_is_a_minimum():
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(3, 9)), rng.normal(size=(2, 9))
    params = {"W": rng.normal(size=(2, 3)), "b": rng.normal(size=(2, 1))}
    cost, grads = squared_error(params, X, Y)
    assert np.isclose(cost, np.sum((linear_predict(params, X) - Y) ** 2) / 18)
    for key in params:
        def J(value, key=key):
            return squared_error(dict(params, **{key: value}), X, Y)[0]
        assert relative_error(grads["d" + key], numerical_gradient(J, params[key])) < 1e-7
    best = least_squares_solution(X, Y)
    assert all(np.allclose(g, 0, atol=1e-10) for g in squared_error(best, X, Y)[1].values())
    assert initialize_linear(3, 2)["W"].shape == (2, 3)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_mlp_model_is_chapter_4s_network_and_its_gradients_check(activation):
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(3, 8)), (rng.random((1, 8)) < 0.5) * 1.0
    params = random_params(rng, [3, 4, 3, 1])
    model = mlp_cost_and_gradients(activation)
    cost, grads = model(params, X, Y)
    for key in params:
        def J(value, key=key):
            return model(dict(params, **{key: value}), X, Y)[0]
        assert relative_error(grads["d" + key], numerical_gradient(J, params[key])) < 1e-7


@pytest.mark.parametrize("sizes,function", [([2, 1], LOGISTIC_MODEL), ([2, 4, 1], TANH_MLP_MODEL),
                                            ([3, 5, 1], TANH_MLP_MODEL)])
def test_the_hidden_cases_models_are_chapter_4s_mlp(sizes, function):
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(sizes[0], 6)), (rng.random((1, 6)) < 0.5) * 1.0
    params = random_params(rng, sizes)
    cost, grads = function(params, X, Y)
    expected_cost, expected = mlp_cost_and_gradients("tanh")(params, X, Y)
    assert np.isclose(cost, expected_cost) and expected.keys() == grads.keys()
    assert all(np.allclose(grads[k], expected[k]) for k in expected)


# ------------------------------------------------ training and comparing

def manual_training(X, Y, params, model, optimizer, rate, epochs, batch_size, seed, schedule=None):
    """The loop of the docstring, written out with an explicit permutation."""
    rng = np.random.default_rng(seed)
    state, costs = initialize_optimizer_state(params, optimizer), [model(params, X, Y)[0]]
    for epoch in range(epochs):
        alpha = rate if schedule is None else schedule(rate, epoch)
        order = rng.permutation(X.shape[1])
        for start in range(0, X.shape[1], batch_size):
            batch = order[start:start + batch_size]
            params, state = UPDATES[optimizer](params, model(params, X[:, batch], Y[:, batch])[1], state, alpha)
        costs.append(model(params, X, Y)[0])
    return params, costs, state


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_train_with_optimizer_is_the_documented_loop(optimizer):
    rng = np.random.default_rng(9)
    X = rng.normal(size=(3, 13))
    Y = rng.normal(size=(1, 3)) @ X + 0.5
    start = initialize_linear(3)
    params, costs = train_with_optimizer(X, Y, start, squared_error, optimizer, 0.05, 4, 5,
                                         np.random.default_rng(1), step_decay)
    expected, expected_costs, state = manual_training(X, Y, start, squared_error, optimizer, 0.05, 4, 5, 1,
                                                      step_decay)
    assert np.allclose(costs, expected_costs) and all(np.allclose(params[k], expected[k]) for k in start)
    assert all(type(c) is float for c in costs) and not start["W"].any()
    if optimizer == "adam":
        assert state["t"] == 4 * 3, "t counts every update of every epoch"


def test_the_schedule_is_asked_once_an_epoch_with_epochs_from_0():
    asked = []

    def schedule(rate, epoch):
        asked.append(epoch)
        return rate

    X, Y = np.ones((2, 10)), np.ones((1, 10))
    train_with_optimizer(X, Y, initialize_linear(2), squared_error, "sgd", 0.1, 3, 4, np.random.default_rng(0),
                         schedule)
    assert asked == [0, 1, 2]


def test_a_zero_learning_rate_leaves_the_cost_where_it_started():
    X, Y = np.random.default_rng(10).normal(size=(2, 6)), np.ones((1, 6))
    params, costs = train_with_optimizer(X, Y, initialize_linear(2), squared_error, "momentum", 0.0, 3, 4,
                                         np.random.default_rng(0))
    assert len(set(costs)) == 1 and not params["W"].any()


def test_compare_optimizers_gives_every_optimizer_the_same_start_and_batches():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(64, 40))
    Y = (rng.random((1, 40)) < 0.5) * 1.0
    start = initialize_mlp([64, 5, 1], seed=0)
    model = mlp_cost_and_gradients("tanh")
    rates = {"adam": 0.01, "sgd": 0.5, "rmsprop": 0.01, "momentum": 0.5}
    trained, costs = compare_optimizers(X, Y, start, model, rates, 3, 16, 4)
    assert list(trained) == list(costs) == list(rates)
    for name, rate in rates.items():
        alone, alone_costs = train_with_optimizer(X, Y, start, model, name, rate, 3, 16, np.random.default_rng(4))
        assert np.allclose(costs[name], alone_costs) and all(np.allclose(trained[name][k], alone[k]) for k in alone)


def test_cs231n_velocity_form_takes_the_same_steps_as_this_momentum_at_a_rescaled_rate():
    # The page: v = beta v - a dP, P = P + v is this chapter's momentum with the rate a / (1 - beta).
    rng = np.random.default_rng(12)
    beta, rate = 0.9, 0.05
    params, point, velocity = one(2.0), 2.0, 0.0
    state = {"v": one(0.0)}
    for _ in range(25):
        g = float(rng.normal())
        params, state = momentum_update(params, grad(g), state, rate / (1 - beta), beta)
        velocity = beta * velocity - rate * g
        point += velocity
    assert np.isclose(params["w"][0], point)
