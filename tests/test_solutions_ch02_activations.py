"""The chapter 2 reference against finite differences, closed forms and the algebra of linear layers."""

import numpy as np
import pytest

from solutions.ch01_logistic_regression import predict
from solutions.ch02_activations import (collapse_linear_layers, leaky_relu, leaky_relu_derivative, linear,
                                        linear_derivative, one_hidden_layer_forward, relu, relu_derivative, sigmoid,
                                        sigmoid_derivative, tanh, tanh_derivative)


# Any NumPy warning (overflow in exp, division by zero, ...) fails these tests.
pytestmark = pytest.mark.usefixtures("numpy_warnings_are_errors")


ACTIVATIONS = {
    "linear": (linear, linear_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
}
#: A grid from -6 to 6 that steps over the kink at 0 (its nearest points are +-0.125).
GRID = np.linspace(-6.0, 6.0, 97)[np.abs(np.linspace(-6.0, 6.0, 97)) > 0.01].reshape(3, 32)


def finite_difference(function, z, eps=1e-6):
    return (function(z + eps) - function(z - eps)) / (2 * eps)


def random_stack(rng, sizes):
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=(n_out, 1)) for n_out in sizes[1:]]
    return weights, biases


def run_stack(weights, biases, X):
    for W_l, b_l in zip(weights, biases):
        X = W_l @ X + b_l
    return X


def test_the_grid_avoids_the_kink_at_zero():
    assert GRID.shape == (3, 32) and np.min(np.abs(GRID)) > 0.05


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_derivative_matches_two_sided_finite_differences(name):
    function, derivative = ACTIVATIONS[name]
    assert np.allclose(derivative(GRID), finite_difference(function, GRID), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 0.7])
def test_leaky_relu_derivative_matches_finite_differences_for_every_slope(slope):
    numeric = finite_difference(lambda z: leaky_relu(z, slope), GRID)
    assert np.allclose(leaky_relu_derivative(GRID, slope), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_and_derivative_stay_finite_without_warnings_at_plus_minus_1e3(name):
    z = np.array([[-1e3, -1e2, 0.0, 1e2, 1e3]])
    for function in ACTIVATIONS[name]:
        out = function(z)
        assert out.shape == z.shape and np.all(np.isfinite(out))


def test_saturating_activations_reach_their_limits_at_plus_minus_1e3():
    z = np.array([-1e3, 1e3])
    assert sigmoid(z).tolist() == [0.0, 1.0] and tanh(z).tolist() == [-1.0, 1.0]
    assert sigmoid_derivative(z).tolist() == [0.0, 0.0] and tanh_derivative(z).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_work_elementwise_on_scalars_and_any_shape(name):
    rng = np.random.default_rng(20)
    for function in ACTIVATIONS[name]:
        assert np.shape(function(0.5)) == ()
        for shape in [(1,), (4, 1), (2, 3, 5)]:
            z = rng.normal(size=shape)
            out = function(z)
            assert out.shape == shape
            assert np.allclose(out.ravel(), [function(float(v)) for v in z.ravel()])


def test_activations_return_new_float_arrays_and_leave_the_input_alone():
    z = np.array([[-2, 0, 3]])
    for name, (function, derivative) in ACTIVATIONS.items():
        for out in (function(z), derivative(z)):
            assert out.dtype == np.float64, name
    out = linear(z)
    out[0, 0] = 99.0
    assert z[0, 0] == -2, "linear returns a copy"


def test_known_values():
    assert linear(-3.5) == -3.5 and linear_derivative(-3.5) == 1.0
    assert sigmoid_derivative(0.0) == 0.25
    assert np.isclose(tanh(np.log(2.0)), 0.6) and tanh_derivative(0.0) == 1.0
    assert relu(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
    assert leaky_relu(np.array([-100.0, 2.0])).tolist() == [-1.0, 2.0]
    assert leaky_relu(np.array([-10.0, 2.0]), slope=0.3).tolist() == [-3.0, 2.0]


def test_derivatives_at_the_kink_take_the_left_value():
    assert relu_derivative(0.0) == 0.0 and relu_derivative(np.array([0.0, 1e-12])).tolist() == [0.0, 1.0]
    assert leaky_relu_derivative(0.0) == 0.01 and leaky_relu_derivative(0.0, slope=0.3) == 0.3
    assert linear_derivative(0.0) == 1.0


def test_leaky_relu_with_slope_zero_is_relu():
    assert np.array_equal(leaky_relu(GRID, 0.0), relu(GRID))
    assert np.array_equal(leaky_relu_derivative(GRID, 0.0), relu_derivative(GRID))


def test_tanh_is_zero_centred_and_odd_where_sigmoid_is_not():
    z = np.linspace(-5.0, 5.0, 41)
    assert tanh(0.0) == 0.0 and sigmoid(0.0) == 0.5
    assert np.allclose(tanh(-z), -tanh(z))
    assert abs(np.mean(tanh(z))) < 1e-12 and np.isclose(np.mean(sigmoid(z)), 0.5)


def test_tanh_equals_two_sigmoid_of_two_z_minus_one_and_numpys_tanh():
    z = np.concatenate([np.linspace(-20.0, 20.0, 81), [-1e3, -1e-9, 1e-9, 1e3]])
    assert np.allclose(tanh(z), 2 * sigmoid(2 * z) - 1, rtol=1e-12, atol=1e-15)
    assert np.allclose(tanh(z), np.tanh(z), rtol=1e-12, atol=1e-15)


def test_derivatives_are_largest_at_zero_and_vanish_where_the_activation_saturates():
    assert np.max(sigmoid_derivative(GRID)) <= 0.25 and np.max(tanh_derivative(GRID)) <= 1.0
    assert sigmoid_derivative(20.0) < 1e-8 and tanh_derivative(20.0) < 1e-15


@pytest.mark.parametrize("m", [1, 7])
def test_forward_pass_shapes_and_cache(m):
    rng = np.random.default_rng(m)
    n_x, n_h, n_y = 4, 6, 2
    X = rng.normal(size=(n_x, m))
    W1, b1, W2, b2 = (rng.normal(size=s) for s in [(n_h, n_x), (n_h, 1), (n_y, n_h), (n_y, 1)])
    A2, cache = one_hidden_layer_forward(X, W1, b1, W2, b2, relu, sigmoid)
    assert A2.shape == (n_y, m)
    assert {k: v.shape for k, v in cache.items()} == {"Z1": (n_h, m), "A1": (n_h, m), "Z2": (n_y, m), "A2": (n_y, m)}
    assert np.array_equal(cache["A2"], A2) and np.array_equal(cache["A1"], relu(cache["Z1"]))


def test_forward_pass_of_a_batch_equals_each_example_alone():
    rng = np.random.default_rng(21)
    X = rng.normal(size=(3, 9))
    W1, b1, W2, b2 = (rng.normal(size=s) for s in [(5, 3), (5, 1), (1, 5), (1, 1)])
    A2, _ = one_hidden_layer_forward(X, W1, b1, W2, b2, tanh, sigmoid)
    for i in range(9):
        a2_i, _ = one_hidden_layer_forward(X[:, [i]], W1, b1, W2, b2, tanh, sigmoid)
        assert np.allclose(a2_i, A2[:, [i]])


def test_forward_pass_of_a_hand_made_network():
    X = np.array([[1.0, -1.0], [2.0, 0.5]])
    W1, b1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]), np.array([[0.0], [-1.0], [0.5]])
    W2, b2 = np.array([[1.0, 2.0, -1.0]]), np.array([[-0.5]])
    A2, cache = one_hidden_layer_forward(X, W1, b1, W2, b2, relu, linear)
    assert cache["Z1"].tolist() == [[1.0, -1.0], [1.0, -0.5], [-0.5, -1.0]]
    assert A2.tolist() == [[2.5, -0.5]]


@pytest.mark.parametrize("sizes", [[3, 2], [3, 4, 2], [5, 5, 5, 5], [2, 8, 1, 6, 3]])
def test_a_stack_of_linear_layers_equals_its_collapsed_layer(sizes):
    rng = np.random.default_rng(len(sizes))
    weights, biases = random_stack(rng, sizes)
    W, b = collapse_linear_layers(weights, biases)
    assert W.shape == (sizes[-1], sizes[0]) and b.shape == (sizes[-1], 1)
    X = rng.normal(size=(sizes[0], 11))
    assert np.allclose(W @ X + b, run_stack(weights, biases, X))


def test_collapsing_does_not_modify_the_layers():
    rng = np.random.default_rng(22)
    weights, biases = random_stack(rng, [3, 4, 2])
    copies = [w.copy() for w in weights], [b.copy() for b in biases]
    collapse_linear_layers(weights, biases)
    assert all(np.array_equal(a, c) for a, c in zip(weights + biases, copies[0] + copies[1]))


def test_deep_network_with_linear_activations_equals_one_layer():
    rng = np.random.default_rng(23)
    weights, biases = random_stack(rng, [4, 6, 6, 3])
    X = rng.normal(size=(4, 10))
    A = X
    for W_l, b_l in zip(weights, biases):
        A = linear(W_l @ A + b_l)
    W, b = collapse_linear_layers(weights, biases)
    assert np.allclose(A, W @ X + b)


def test_linear_hidden_layer_with_sigmoid_output_is_logistic_regression():
    rng = np.random.default_rng(24)
    n_x, n_h, m = 5, 7, 40
    X = rng.normal(size=(n_x, m))
    W1, b1, W2, b2 = (rng.normal(size=s) for s in [(n_h, n_x), (n_h, 1), (1, n_h), (1, 1)])
    A2, _ = one_hidden_layer_forward(X, W1, b1, W2, b2, linear, sigmoid)
    W, b = collapse_linear_layers([W1, W2], [b1, b2])
    w, b = W.T, float(b[0, 0])                      # chapter 1's parameters: w: (n_x, 1), b a number
    assert np.allclose(A2, sigmoid(w.T @ X + b), rtol=1e-12)
    assert np.array_equal(predict(w, b, X), (A2 > 0.5).astype(float))
