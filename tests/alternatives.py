"""Correct implementations written differently from the reference: each must get full marks.

Keys are (chapter, function name); the suite fills these into real notebooks and grades them.
"""
import numpy as np


def sigmoid_by_logaddexp(z):
    """sigma(z) = exp(-log(1 + exp(-z))), with log(1 + exp(-z)) from np.logaddexp."""
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))


def sigmoid_naive_with_warning(z):
    """The textbook form: correct values, but exp(1000) overflows with a RuntimeWarning."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def propagate_with_log_a(w, b, X, Y):
    """Cost from A with np.log, gradients with np.dot and explicit loops over nothing fancy."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)  # noqa: F821 (the notebook's sigmoid)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, np.squeeze(cost)


def optimize_with_while_loop(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """A while loop and in-place updates on copies."""
    w, costs, i = w.copy(), [], 0
    while i < num_iterations:
        grads, cost = propagate(w, b, X, Y)  # noqa: F821 (the notebook's propagate)
        if i % record_every == 0:
            costs.append(cost)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        i += 1
    return {"w": w, "b": b}, grads, costs


def predict_by_rounding(w, b, X):
    """np.round maps 0.5 to 0 (round half to even), matching the strict > 0.5 rule."""
    return np.round(sigmoid(w.T @ X + b))  # noqa: F821


def standardize_with_where(X_train, X_test):
    """Divide by sigma where it is positive, by 1 where a feature is constant."""
    mu = np.mean(X_train, axis=1).reshape(-1, 1)
    sigma = np.std(X_train, axis=1).reshape(-1, 1)
    sigma = np.where(sigma > 0, sigma, 1.0)
    return (X_train - mu) / sigma, (X_test - mu) / sigma


def perceptron_with_where(X, w, b):
    """np.where on the sign of z."""
    return np.where(np.dot(w.T, X) + b > 0, 1, 0)


def gate_parameters_other_weights(gate):
    """Different but valid weights: any line that separates the gate's points works."""
    if gate == "AND":
        return np.array([[2.0], [2.0]]), -3.0
    if gate == "OR":
        return np.array([[3.0], [3.0]]), -1.0
    if gate == "NAND":
        return np.array([[-0.5], [-0.5]]), 0.75
    raise ValueError(gate)


def xor_network_and_of_or_nand_inline(X):
    """The same network with the hidden units written out."""
    h1 = perceptron(X, np.array([[1.0], [1.0]]), -0.5)  # noqa: F821
    h2 = perceptron(X, np.array([[-1.0], [-1.0]]), 1.5)  # noqa: F821
    return perceptron(np.vstack([h1, h2]), np.array([[1.0], [1.0]]), -1.5)  # noqa: F821


ALTERNATIVES = {
    ("ch00_perceptrons", "perceptron"): [perceptron_with_where],
    ("ch00_perceptrons", "gate_parameters"): [gate_parameters_other_weights],
    ("ch00_perceptrons", "xor_network"): [xor_network_and_of_or_nand_inline],
    ("ch01_logistic_regression", "sigmoid"): [sigmoid_by_logaddexp, sigmoid_naive_with_warning],
    ("ch01_logistic_regression", "propagate"): [propagate_with_log_a],
    ("ch01_logistic_regression", "optimize"): [optimize_with_while_loop],
    ("ch01_logistic_regression", "predict"): [predict_by_rounding],
    ("ch01_logistic_regression", "standardize"): [standardize_with_where],
}


# Chapter 2: activation functions.

def linear_by_copy(z):
    """np.copy then a cast to float."""
    return np.copy(z).astype(float)


def linear_derivative_full(z):
    """np.full with the shape of z."""
    return np.full(np.shape(z), 1.0)


def sigmoid_derivative_by_softplus(z):
    """sigma(z) sigma(-z) = exp(-softplus(z) - softplus(-z)), with softplus from np.logaddexp."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))


def sigmoid_derivative_by_symmetry(z):
    """1 - sigma(z) = sigma(-z)."""
    return sigmoid(z) * sigmoid(-z)  # noqa: F821 (the notebook's sigmoid)


def tanh_with_numpy(z):
    """NumPy's own tanh is stable."""
    return np.tanh(z)


def tanh_from_sigmoid(z):
    """tanh(z) = 2 sigma(2z) - 1, stable because the sigmoid is."""
    return 2 * sigmoid(2 * np.asarray(z)) - 1  # noqa: F821 (the notebook's sigmoid)


def tanh_derivative_factored(z):
    """1 - t^2 = (1 - t)(1 + t)."""
    t = tanh(z)  # noqa: F821 (the notebook's tanh)
    return (1 - t) * (1 + t)


def tanh_derivative_by_cosh(z):
    """sech^2 z = 1 / cosh^2 z: cosh(1000) overflows to inf with a warning, but 1 / inf = 0 is right."""
    return 1 / np.cosh(z) ** 2


def relu_with_where(z):
    """np.where keeps z where it is positive."""
    return np.where(np.asarray(z) > 0, z, 0.0)


def relu_by_mask(z):
    """Multiply by the 0/1 mask of the positive entries."""
    z = np.asarray(z, dtype=float)
    return z * (z > 0)


def relu_derivative_heaviside(z):
    """np.heaviside with the value 0 at z = 0."""
    return np.heaviside(z, 0.0)


def relu_derivative_mask_times_one(z):
    """The boolean mask times 1.0."""
    return (np.asarray(z) > 0) * 1.0


def leaky_relu_by_maximum(z, slope=0.01):
    """max(z, slope z) is leaky ReLU for 0 <= slope < 1."""
    return np.maximum(z, slope * np.asarray(z))


def leaky_relu_derivative_by_arithmetic(z, slope=0.01):
    """slope + (1 - slope) * [z > 0]."""
    return slope + (1 - slope) * (np.asarray(z) > 0)


def forward_with_dot(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """np.dot and a dict() call."""
    Z1 = np.dot(W1, X) + b1
    A1 = hidden_activation(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = output_activation(Z2)
    return A2, dict(Z1=Z1, A1=A1, Z2=Z2, A2=A2)


def forward_one_example_at_a_time(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """A loop over the columns of X, stacked at the end (slow but right)."""
    columns = {"Z1": [], "A1": [], "Z2": [], "A2": []}
    for i in range(X.shape[1]):
        z1 = W1 @ X[:, i:i + 1] + b1
        a1 = hidden_activation(z1)
        z2 = W2 @ a1 + b2
        for key, value in zip(["Z1", "A1", "Z2", "A2"], [z1, a1, z2, output_activation(z2)]):
            columns[key].append(value)
    cache = {key: np.hstack(values) for key, values in columns.items()}
    return cache["A2"], cache


def collapse_by_probing_the_stack(weights, biases):
    """b is the stack's output for x = 0; column j of W is its output for e_j, minus b."""
    def run_stack(A):
        for W_l, b_l in zip(weights, biases):
            A = W_l @ A + b_l
        return A

    n_0 = weights[0].shape[1]
    b = run_stack(np.zeros((n_0, 1)))
    return run_stack(np.eye(n_0)) - b, b


def collapse_from_the_last_layer(weights, biases):
    """Walk back from the last layer: each earlier bias goes through the product of the later weights."""
    W, b = weights[-1], biases[-1]
    for W_l, b_l in zip(weights[-2::-1], biases[-2::-1]):
        b = b + W @ b_l
        W = W @ W_l
    return W, b


ALTERNATIVES.update({
    ("ch02_activations", "linear"): [linear_by_copy],
    ("ch02_activations", "linear_derivative"): [linear_derivative_full],
    ("ch02_activations", "sigmoid"): [sigmoid_by_logaddexp],
    ("ch02_activations", "sigmoid_derivative"): [sigmoid_derivative_by_softplus, sigmoid_derivative_by_symmetry],
    ("ch02_activations", "tanh"): [tanh_with_numpy, tanh_from_sigmoid],
    ("ch02_activations", "tanh_derivative"): [tanh_derivative_factored, tanh_derivative_by_cosh],
    ("ch02_activations", "relu"): [relu_with_where, relu_by_mask],
    ("ch02_activations", "relu_derivative"): [relu_derivative_heaviside, relu_derivative_mask_times_one],
    ("ch02_activations", "leaky_relu"): [leaky_relu_by_maximum],
    ("ch02_activations", "leaky_relu_derivative"): [leaky_relu_derivative_by_arithmetic],
    ("ch02_activations", "one_hidden_layer_forward"): [forward_with_dot, forward_one_example_at_a_time],
    ("ch02_activations", "collapse_linear_layers"): [collapse_by_probing_the_stack, collapse_from_the_last_layer],
})
