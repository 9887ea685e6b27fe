"""The chapter 4 reference implementations against finite differences, closed forms and each other."""
import numpy as np
import pytest

from autograder.exercises.ch04_backprop import MUTANTS, random_params, random_tape
from nnbook import planar, tapes
from solutions.ch01_logistic_regression import propagate
from solutions.ch02_activations import relu_derivative, sigmoid_derivative, tanh_derivative
from solutions.ch04_backprop import (activation_backward, activation_forward, binary_cross_entropy, dense_backward,
                                     dense_forward, graph_backward, initialize_mlp, mlp_backward, mlp_forward,
                                     numerical_gradient, relative_error, train_mlp)

ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def tape_slopes(nodes, inputs, eps=1e-6):
    slopes = []
    for k in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[k] += eps
        down[k] -= eps
        slopes.append((tapes.forward(nodes, up)[-1] - tapes.forward(nodes, down)[-1]) / (2 * eps))
    return slopes


@pytest.mark.parametrize("seed", range(8))
def test_graph_backward_gives_the_finite_differences_of_random_tapes(seed):
    nodes, inputs = random_tape(np.random.default_rng(seed), 3, 15)
    grads = graph_backward(nodes, tapes.forward(nodes, inputs))
    assert np.allclose(grads[:3], tape_slopes(nodes, inputs), atol=1e-5)


def test_a_node_used_twice_gets_both_contributions():
    nodes = [("input", 0), ("mul", 0, 0), ("add", 1, 0)]            # x * x + x
    assert graph_backward(nodes, tapes.forward(nodes, [3.0]))[0] == 7.0


def test_graph_backward_returns_python_floats_and_one_for_the_output():
    nodes = [("input", 0), ("relu", 0)]
    grads = graph_backward(nodes, tapes.forward(nodes, [0.0]))
    assert grads == [0.0, 1.0] and all(type(g) is float for g in grads)


def test_numerical_gradient_is_exact_for_quadratics_and_leaves_x_alone():
    x = np.random.default_rng(0).normal(size=(3, 4))
    before = x.copy()
    assert np.allclose(numerical_gradient(lambda v: float(np.sum(v ** 2)), x), 2 * x, atol=1e-8)
    assert np.array_equal(x, before)


def test_the_two_sided_error_falls_like_eps_squared():
    exact = np.cos(1.0)
    errors = [abs(numerical_gradient(lambda v: float(np.sin(v[0])), np.array([1.0]), eps)[0] - exact)
              for eps in (1e-2, 5e-3)]
    assert np.isclose(errors[0] / errors[1], 4.0, rtol=0.01)


def test_relative_error_is_symmetric_scale_free_and_bounded():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=5), rng.normal(size=5)
    assert np.isclose(relative_error(a, b), relative_error(b, a))
    assert np.isclose(relative_error(1e6 * a, 1e6 * b), relative_error(a, b))
    assert relative_error(a, -a) == 1.0 and relative_error(np.zeros(3), a[:3]) == 1.0
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0 and 0 <= relative_error(a, b) <= 1


def test_dense_backward_matches_finite_differences_of_sum_g_times_z():
    rng = np.random.default_rng(2)
    A, W, b, G = rng.normal(size=(3, 5)), rng.normal(size=(4, 3)), rng.normal(size=(4, 1)), rng.normal(size=(4, 5))
    Z, cache = dense_forward(A, W, b)
    dA, dW, db = dense_backward(G, cache)
    assert np.allclose(Z, W @ A + b) and cache[0] is A
    assert np.allclose(dW, numerical_gradient(lambda V: float(np.sum(G * (V @ A + b))), W))
    assert np.allclose(db, numerical_gradient(lambda v: float(np.sum(G * (W @ A + v))), b))
    assert np.allclose(dA, numerical_gradient(lambda V: float(np.sum(G * (W @ V + b))), A))


@pytest.mark.usefixtures("numpy_warnings_are_errors")
def test_activations_are_finite_without_warnings_at_plus_minus_1000():
    Z = np.array([[-1000.0, 0.0, 1000.0]])
    for name in ACTIVATIONS:
        assert np.all(np.isfinite(activation_forward(Z, name)))
        assert np.all(np.isfinite(activation_backward(np.ones_like(Z), Z, name)))


@pytest.mark.parametrize("name, derivative", [("sigmoid", sigmoid_derivative), ("tanh", tanh_derivative),
                                              ("relu", relu_derivative)])
def test_activation_backward_is_da_times_chapter_2s_derivative(name, derivative):
    rng = np.random.default_rng(3)
    Z, dA = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert np.allclose(activation_backward(dA, Z, name), dA * derivative(Z))
    assert np.allclose(activation_backward(dA, Z, name),
                       numerical_gradient(lambda V: float(np.sum(dA * activation_forward(V, name))), Z), atol=1e-7)


def test_binary_cross_entropy_is_chapter_1s_cost_and_its_gradient_the_nudges():
    rng = np.random.default_rng(4)
    w, b, X = rng.normal(size=(3, 1)), 0.3, rng.normal(size=(3, 9))
    Y = (rng.random((1, 9)) < 0.5) * 1.0
    cost, dZ = binary_cross_entropy(w.T @ X + b, Y)
    assert np.isclose(cost, propagate(w, b, X, Y)[1])
    assert np.allclose(dZ, numerical_gradient(lambda Z: binary_cross_entropy(Z, Y)[0], w.T @ X + b), atol=1e-9)
    assert np.isclose(binary_cross_entropy(np.array([[1000.0, -1000.0]]), np.array([[0.0, 0.0]]))[0], 500.0)


def test_initialize_mlp_draws_in_order_with_scale_one_over_root_n():
    params = initialize_mlp([400, 300, 1], seed=5)
    rng = np.random.default_rng(5)
    assert np.allclose(params["W1"], rng.standard_normal((300, 400)) / 20)
    assert np.allclose(params["W2"], rng.standard_normal((1, 300)) / np.sqrt(300))
    assert np.isclose(params["W1"].std(), 1 / 20, rtol=0.02) and not params["b1"].any()


def test_one_layer_mlp_is_logistic_regression():
    rng = np.random.default_rng(6)
    X, params = rng.normal(size=(4, 7)), {"W1": rng.normal(size=(1, 4)), "b1": rng.normal(size=(1, 1))}
    ZL, caches = mlp_forward(X, params, "relu")
    assert np.allclose(ZL, params["W1"] @ X + params["b1"]) and len(caches) == 1


def flat_gradient_check(X, params, activation, dZL_of, cost_of):
    ZL, caches = mlp_forward(X, params, activation)
    grads = mlp_backward(dZL_of(ZL), caches, activation)
    numeric = [numerical_gradient(lambda v, k=k: cost_of(mlp_forward(X, dict(params, **{k: v}), activation)[0]),
                                  params[k]).ravel() for k in params]
    return relative_error(np.concatenate([grads["d" + k].ravel() for k in params]), np.concatenate(numeric))


@pytest.mark.parametrize("sizes", [[3, 1], [3, 5, 1], [2, 4, 4, 1], [3, 6, 5, 4, 3, 1]])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_backward_passes_the_gradient_check_below_1e_minus_7(sizes, activation):
    rng = np.random.default_rng(len(sizes))
    X, Y = rng.normal(size=(sizes[0], 6)), (rng.random((1, 6)) < 0.5) * 1.0
    params = random_params(rng, sizes)
    error = flat_gradient_check(X, params, activation, lambda Z: binary_cross_entropy(Z, Y)[1],
                                lambda Z: binary_cross_entropy(Z, Y)[0])
    assert error < 1e-7


def test_mlp_backward_works_with_a_softmax_cross_entropy_output():
    rng = np.random.default_rng(7)
    X, params = rng.normal(size=(2, 5)), random_params(rng, [2, 4, 3])
    Y = np.eye(3)[:, rng.integers(0, 3, size=5)]

    def softmax(Z):
        E = np.exp(Z - Z.max(axis=0))
        return E / E.sum(axis=0)

    def cost(Z):
        return float(-np.mean(np.sum(Y * np.log(softmax(Z)), axis=0)))

    assert flat_gradient_check(X, params, "tanh", lambda Z: (softmax(Z) - Y) / 5, cost) < 1e-7


@pytest.mark.parametrize("mutant", MUTANTS["mlp_backward"], ids=lambda m: m.__name__)
def test_every_mlp_backward_mutant_fails_the_gradient_check_above_1e_minus_3(mutant):
    rng = np.random.default_rng(8)
    sizes = [4, 4, 4, 1]                       # equal widths: the wrong-layer cache runs without a shape error
    X, Y = rng.normal(size=(4, 6)), (rng.random((1, 6)) < 0.5) * 1.0
    params = random_params(rng, sizes)
    ZL, caches = mlp_forward(X, params, "tanh")
    grads = mutant(binary_cross_entropy(ZL, Y)[1], caches, "tanh")
    got = np.concatenate([grads.get("d" + k, np.zeros_like(v)).ravel() for k, v in params.items()])
    numeric = np.concatenate([numerical_gradient(
        lambda v, k=k: binary_cross_entropy(mlp_forward(X, dict(params, **{k: v}), "tanh")[0], Y)[0], params[k]).ravel()
        for k in params])
    assert relative_error(got, numeric) > 1e-3


@pytest.mark.parametrize("mutant", MUTANTS["dense_backward"], ids=lambda m: m.__name__)
def test_every_dense_backward_mutant_fails_the_gradient_check_above_1e_minus_3(mutant):
    rng = np.random.default_rng(9)
    A, W, b, G = rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.normal(size=(3, 1)), rng.normal(size=(3, 3))
    G = G / 3
    got = mutant(G, (A, W, b))
    numeric = [numerical_gradient(lambda V: float(np.sum(G * (W @ V + b))), A),
               numerical_gradient(lambda V: float(np.sum(G * (V @ A + b))), W),
               numerical_gradient(lambda v: float(np.sum(G * (W @ A + v))), b)]
    errors = [relative_error(np.resize(g, n.shape), n) if np.size(g) == n.size else 1.0 for g, n in zip(got, numeric)]
    assert max(errors) > 1e-3


def test_train_mlp_solves_xor_and_leaves_the_initial_parameters_alone():
    X, Y = planar.xor()
    start = initialize_mlp([2, 3, 1], seed=0)
    before = {k: v.copy() for k, v in start.items()}
    params, costs = train_mlp(X, Y, start, "tanh", 1.0, 1000)
    assert np.array_equal((mlp_forward(X, params, "tanh")[0] > 0) * 1.0, Y)
    assert len(costs) == 1001 and costs[-1] < 0.01 and all(np.array_equal(start[k], before[k]) for k in start)


def test_a_full_batch_epoch_is_one_gradient_step_on_the_mean_cost():
    X, Y = planar.make_spirals(30, seed=1)
    start = initialize_mlp([2, 5, 1], seed=2)
    params, costs = train_mlp(X, Y, start, "relu", 0.1, 1)
    ZL, caches = mlp_forward(X, start, "relu")
    grads = mlp_backward(binary_cross_entropy(ZL, Y)[1], caches, "relu")
    assert all(np.allclose(params[k], start[k] - 0.1 * grads["d" + k]) for k in start)
    assert np.isclose(costs[0], binary_cross_entropy(ZL, Y)[0])


def test_the_spirals_are_reproducible_balanced_and_inside_the_unit_disc_plus_noise():
    X, Y = planar.make_spirals(800, seed=0)
    assert np.array_equal(X, planar.make_spirals(800, seed=0)[0]) and X.shape == (2, 800) and Y.shape == (1, 800)
    assert 0.45 < Y.mean() < 0.55 and np.max(np.hypot(*X)) < 1.4
    parts = planar.split(X, Y)
    assert [p.shape[1] for p in parts[::2]] == [480, 120, 200]


def test_chapter_3s_softmax_cross_entropy_plugs_into_mlp_backward():
    from solutions.ch04_backprop import cross_entropy_from_logits, cross_entropy_gradient

    rng = np.random.default_rng(10)
    X, params = rng.normal(size=(2, 5)), random_params(rng, [2, 4, 3])
    Y = np.eye(3)[:, rng.integers(0, 3, size=5)]
    assert flat_gradient_check(X, params, "relu", lambda Z: cross_entropy_gradient(Z, Y),
                               lambda Z: cross_entropy_from_logits(Z, Y)) < 1e-7
