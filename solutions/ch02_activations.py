"""Chapter 2: activation functions, their derivatives, a one-hidden-layer network.

Every activation works elementwise on a scalar or an array of any shape and returns
float64 values of the same shape; none of them overflows or warns for |z| up to 1e3.
Network notation: X: (n_x, m) examples as columns; layer l has W_l: (n_l, n_{l-1})
and b_l: (n_l, 1); Z_l = W_l A_{l-1} + b_l and A_l = g_l(Z_l), with A_0 = X.
Convention at the kinks: at z = 0 the ReLU and leaky-ReLU derivatives take the value
of the left branch (0 and slope), i.e. the derivative is 1 only where z > 0.
"""
import numpy as np

# Graded again in this chapter; students bring their chapter 1 version. Re-exported so
# that the reference exists once (the builder takes its source from chapter 1).
from solutions.ch01_logistic_regression import sigmoid

__all__ = [
    "linear", "linear_derivative", "sigmoid", "sigmoid_derivative", "tanh",
    "tanh_derivative", "relu", "relu_derivative", "leaky_relu", "leaky_relu_derivative",
    "one_hidden_layer_forward", "collapse_linear_layers",
]


def linear(z):
    """Linear (identity) activation g(z) = z.

    z: scalar or array of any shape. Returns a new float64 array with the values and
    the shape of z (a 0-d array for a scalar z); z is not modified.
    """
    return np.array(z, dtype=np.float64)


def linear_derivative(z):
    """Derivative of the identity: g'(z) = 1 everywhere.

    z: scalar or array of any shape. Returns a float64 array of ones with the shape
    of z (a 0-d array for a scalar z).
    """
    return np.ones(np.shape(z))


def sigmoid_derivative(z):
    """Derivative of the sigmoid: sigma'(z) = sigma(z) (1 - sigma(z)).

    z: scalar or array of any shape. Returns a float64 array of the same shape, values
    in [0, 0.25] (0.25 at z = 0). It must not overflow or warn at |z| = 1e3.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent tanh(z) = (e^z - e^-z) / (e^z + e^-z), elementwise.

    z: scalar or array of any shape. Returns a float64 array of the same shape, values
    in [-1, 1]; tanh is odd (tanh(-z) = -tanh(z)), so it is zero-centred: tanh(0) = 0.
    Dividing numerator and denominator by e^|z| gives the equal form
    tanh(z) = sign(z) (1 - e^(-2|z|)) / (1 + e^(-2|z|)), where exp only sees
    numbers <= 0, so it does not overflow at |z| = 1e3.
    """
    z = np.asarray(z, dtype=np.float64)
    t = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - t) / (1.0 + t)


def tanh_derivative(z):
    """Derivative of tanh: tanh'(z) = 1 - tanh(z)^2.

    z: scalar or array of any shape. Returns a float64 array of the same shape, values
    in [0, 1] (1 at z = 0, close to 0 where tanh saturates).
    """
    t = tanh(z)
    return 1.0 - t * t


def relu(z):
    """Rectified linear unit g(z) = max(0, z), elementwise.

    z: scalar or array of any shape. Returns a float64 array of the same shape.
    """
    return np.maximum(0.0, z)


def relu_derivative(z):
    """Derivative of ReLU: a step function, 1 where z > 0 and 0 where z <= 0.

    ReLU has no derivative at z = 0; this function uses 0 there (the left derivative).
    z: scalar or array of any shape. Returns a float64 array of 0.0 / 1.0 with the
    shape of z.
    """
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def leaky_relu(z, slope=0.01):
    """Leaky ReLU: g(z) = z where z > 0 and slope * z where z <= 0.

    z: scalar or array of any shape. slope: the gradient for negative z, a float
    hyperparameter with 0 <= slope < 1 (0.01 by default; slope = 0 gives ReLU).
    Returns a float64 array of the same shape as z.
    """
    z = np.asarray(z, dtype=np.float64)
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z, slope=0.01):
    """Derivative of leaky ReLU: 1 where z > 0 and slope where z <= 0.

    At z = 0 (no derivative) this function uses slope, the left derivative, as
    relu_derivative uses 0. z: scalar or array of any shape; slope: as in leaky_relu
    (0 <= slope < 1, 0.01 by default).
    Returns a float64 array with the shape of z.
    """
    return np.where(np.asarray(z) > 0, 1.0, float(slope))


def one_hidden_layer_forward(X, W1, b1, W2, b2, hidden_activation,
                             output_activation):
    """Forward pass of a one-hidden-layer network for a whole batch at once.

    X: (n_x, m) examples as columns; W1: (n_h, n_x); b1: (n_h, 1); W2: (n_y, n_h);
    b2: (n_y, 1), all float64 arrays (not modified).
    hidden_activation, output_activation: elementwise functions such as relu, sigmoid.
        Z1 = W1 X + b1          (n_h, m)   b1 is broadcast over the m columns
        A1 = hidden_activation(Z1)
        Z2 = W2 A1 + b2         (n_y, m)
        A2 = output_activation(Z2)
    Returns a tuple (A2, cache): A2: (n_y, m) float64 array and the dict
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}.
    """
    Z1 = W1 @ X + b1
    A1 = hidden_activation(Z1)
    Z2 = W2 @ A1 + b2
    A2 = output_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def collapse_linear_layers(weights, biases):
    """The single linear layer (W, b) equal to a stack of linear layers in order.

    weights: list of L >= 1 arrays [W_1, ..., W_L], W_l: (n_l, n_{l-1}) float64;
    biases: list of L arrays [b_1, ..., b_L], b_l: (n_l, 1) float64.
    The stack maps a -> W_l a + b_l for l = 1, ..., L, the first layer first.
    Returns (W, b), a tuple of W: (n_L, n_0) and b: (n_L, 1) float64 arrays, such
    that W x + b equals the stack's output for every x: (n_0, 1). A single layer
    collapses to itself. The lists and their arrays are not modified.
    """
    n_0 = weights[0].shape[1]
    W, b = np.eye(n_0), np.zeros((n_0, 1))
    for W_l, b_l in zip(weights, biases):
        W, b = W_l @ W, W_l @ b + b_l
    return W, b
