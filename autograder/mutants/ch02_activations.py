"""Realistic wrong implementations for chapter 2.

The sigmoid's mistakes are chapter 1's (registered here again, not copied).
"""
import numpy as np

from autograder.mutants import catalogue
from autograder.mutants.ch01_logistic_regression import MUTANTS as CHAPTER_1_MUTANTS
from solutions.ch02_activations import relu, sigmoid, tanh  # noqa: F401 (names the mutants call)

MUTANTS, mutant_of = catalogue()


@mutant_of("linear")
def linear_returns_its_derivative(z):
    """This returns the derivative (all ones): the linear activation returns z itself."""
    return np.ones_like(z)


@mutant_of("linear")
def linear_is_relu(z):
    """Negative values are cut to 0, which is ReLU: the linear (identity) activation keeps every value."""
    return np.maximum(0, z)


@mutant_of("linear")
def linear_array_only(z):
    """z.copy() fails for a plain number: use np.array(z, dtype=float), which accepts scalars and arrays."""
    return z.copy()


@mutant_of("linear_derivative")
def linear_derivative_scalar_one(z):
    """A single 1.0 does not have the shape of z: return an array of ones shaped like z (np.ones(np.shape(z)))."""
    return 1.0


@mutant_of("linear_derivative")
def linear_derivative_returns_z(z):
    """This returns z, the activation itself: the derivative of g(z) = z is 1 everywhere."""
    return np.array(z, dtype=float)


@mutant_of("linear_derivative")
def linear_derivative_z_over_z(z):
    """z / z is nan at z = 0: the derivative is 1 everywhere, including at 0."""
    return z / z


@mutant_of("linear_derivative")
def linear_derivative_identity_matrix(z):
    """The identity matrix is the Jacobian of the whole map: an elementwise derivative is an array of ones shaped like z."""
    return np.eye(np.size(z))


for _mutant in CHAPTER_1_MUTANTS["sigmoid"]:
    mutant_of("sigmoid")(_mutant)


@mutant_of("sigmoid_derivative")
def sigmoid_derivative_of_z(z):
    """sigma(1 - sigma) must be taken of sigma(z), not of z: compute s = sigmoid(z) first, then s * (1 - s)."""
    return z * (1 - z)


@mutant_of("sigmoid_derivative")
def sigmoid_derivative_from_exp(z):
    """exp(-z) / (1 + exp(-z))**2 overflows to inf / inf = nan for z = -1000: use sigmoid(z) * (1 - sigmoid(z))."""
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


@mutant_of("sigmoid_derivative")
def sigmoid_derivative_tanh_rule(z):
    """1 - sigma^2 is the rule for tanh: the sigmoid's derivative is sigma (1 - sigma)."""
    return 1 - sigmoid(z) ** 2


@mutant_of("sigmoid_derivative")
def sigmoid_derivative_half_applied(z):
    """Only one factor uses sigma: the derivative is sigma(z) * (1 - sigma(z)), not sigma(z) * (1 - z)."""
    return sigmoid(z) * (1 - z)


@mutant_of("tanh")
def tanh_textbook_overflows(z):
    """(e^z - e^-z) / (e^z + e^-z) gives inf / inf = nan for |z| = 1000: divide through by e^|z| so exp only sees numbers <= 0."""
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


@mutant_of("tanh")
def tanh_sign_lost(z):
    """The sign of z is lost, so tanh(-2) comes out positive: multiply by np.sign(z) (tanh is odd, tanh(-z) = -tanh(z))."""
    t = np.exp(-2 * np.abs(z))
    return (1 - t) / (1 + t)


@mutant_of("tanh")
def tanh_without_abs(z):
    """Without |z| the formula with exp(-2z) overflows for negative z and the sign is applied twice: use exp(-2|z|)."""
    t = np.exp(-2 * z)
    return np.sign(z) * (1 - t) / (1 + t)


@mutant_of("tanh")
def tanh_from_sigmoid_of_z(z):
    """2 sigma(z) - 1 is tanh(z / 2): the identity is tanh(z) = 2 sigma(2z) - 1."""
    return 2 * sigmoid(z) - 1


@mutant_of("tanh_derivative")
def tanh_derivative_not_squared(z):
    """The tanh is not squared: the derivative is 1 - tanh(z)**2, not 1 - tanh(z)."""
    return 1 - tanh(z)


@mutant_of("tanh_derivative")
def tanh_derivative_of_z(z):
    """1 - t^2 must be taken of t = tanh(z), not of z itself."""
    return 1 - z ** 2


@mutant_of("tanh_derivative")
def tanh_derivative_sigmoid_rule(z):
    """t (1 - t) is the sigmoid's rule: the derivative of tanh is 1 - tanh(z)**2."""
    return tanh(z) * (1 - tanh(z))


@mutant_of("relu")
def relu_with_np_max(z):
    """np.max reduces an array to its largest entry: the elementwise max(0, z) is np.maximum(0, z)."""
    return np.max(z, 0)


@mutant_of("relu")
def relu_with_python_max(z):
    """Python's max compares whole objects and fails on arrays: use np.maximum(0, z), which works elementwise."""
    return max(0, z)


@mutant_of("relu")
def relu_returns_step(z):
    """This is the ReLU's derivative (a 0/1 step): ReLU keeps the positive values themselves, max(0, z)."""
    return np.where(z > 0, 1.0, 0.0)


@mutant_of("relu")
def relu_absolute_value(z):
    """|z| flips negative values to positive ones: ReLU sets them to 0, max(0, z)."""
    return np.abs(z)


@mutant_of("relu_derivative")
def relu_derivative_one_at_zero(z):
    """At z = 0 the derivative should be 0 (the chosen convention): use z > 0, not z >= 0."""
    return (z >= 0).astype(float)


@mutant_of("relu_derivative")
def relu_derivative_sign(z):
    """np.sign gives -1 for negative z: the ReLU derivative is 0 there (1 where z > 0, else 0)."""
    return np.sign(z)


@mutant_of("relu_derivative")
def relu_derivative_flattened_booleans(z):
    """The loop over np.ravel(z) returns a flat list of booleans: keep the shape of z, e.g. np.where(z > 0, 1.0, 0.0)."""
    return np.array([v > 0 for v in np.ravel(z)])


@mutant_of("relu_derivative")
def relu_derivative_returns_relu(z):
    """This returns max(0, z), the activation itself: the derivative is a step, 1 where z > 0 and 0 elsewhere."""
    return relu(z)


@mutant_of("leaky_relu")
def leaky_relu_slope_hard_coded(z, slope=0.01):
    """The slope argument is ignored (0.01 is hard-coded): use the slope the caller passes."""
    return np.where(z > 0, z, 0.01 * z)


@mutant_of("leaky_relu")
def leaky_relu_branches_swapped(z, slope=0.01):
    """The two branches are swapped: z should pass unchanged where z > 0 and be multiplied by slope where z <= 0."""
    return np.where(z > 0, slope * z, z)


@mutant_of("leaky_relu")
def leaky_relu_constant_negative_branch(z, slope=0.01):
    """For negative z the output is the constant slope: it should be slope times z."""
    return np.where(z > 0, z, slope)


@mutant_of("leaky_relu_derivative")
def leaky_relu_derivative_slope_hard_coded(z, slope=0.01):
    """The slope argument is ignored (0.01 is hard-coded): use the slope the caller passes."""
    return np.where(z > 0, 1.0, 0.01)


@mutant_of("leaky_relu_derivative")
def leaky_relu_derivative_slope_times_z(z, slope=0.01):
    """slope * z is the activation's negative branch: its derivative is the constant slope."""
    return np.where(z > 0, 1.0, slope * z)


@mutant_of("leaky_relu_derivative")
def leaky_relu_derivative_one_at_zero(z, slope=0.01):
    """At z = 0 the derivative should be slope (the chosen convention): use z > 0, not z >= 0."""
    return np.where(z >= 0, 1.0, slope)


@mutant_of("leaky_relu_derivative")
def leaky_relu_derivative_without_leak(z, slope=0.01):
    """This is the ReLU derivative (0 for negative z): leaky ReLU keeps a gradient of slope there."""
    return np.where(z > 0, 1.0, 0.0)


@mutant_of("one_hidden_layer_forward")
def forward_transposed_weights(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """W1 has shape (n_h, n_x) and multiplies X directly: Z1 = W1 @ X + b1, with no transpose."""
    Z1 = W1.T @ X + b1
    A1 = hidden_activation(Z1)
    Z2 = W2.T @ A1 + b2
    A2 = output_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mutant_of("one_hidden_layer_forward")
def forward_flattened_bias(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """b1 flattened to shape (n_h,) is broadcast along the wrong axis: keep it a column (n_h, 1) so it is added to every example."""
    Z1 = W1 @ X + b1.ravel()
    A1 = hidden_activation(Z1)
    Z2 = W2 @ A1 + b2.ravel()
    A2 = output_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mutant_of("one_hidden_layer_forward")
def forward_summed_bias(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """Each hidden unit has its own bias: add the column b1 (n_h, 1), not the sum of its entries."""
    Z1 = W1 @ X + np.sum(b1)
    A1 = hidden_activation(Z1)
    Z2 = W2 @ A1 + b2
    A2 = output_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mutant_of("one_hidden_layer_forward")
def forward_without_output_activation(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """The output activation is missing: A2 = output_activation(Z2), not Z2."""
    Z1 = W1 @ X + b1
    A1 = hidden_activation(Z1)
    Z2 = W2 @ A1 + b2
    return Z2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": Z2}


@mutant_of("one_hidden_layer_forward")
def forward_hidden_activation_at_output(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """The output layer uses the hidden activation: apply output_activation to Z2, A2 = output_activation(Z2)."""
    Z1 = W1 @ X + b1
    A1 = hidden_activation(Z1)
    Z2 = W2 @ A1 + b2
    A2 = hidden_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mutant_of("one_hidden_layer_forward")
def forward_second_layer_takes_z1(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """The second layer is fed Z1: feed it the hidden activations, Z2 = W2 @ A1 + b2."""
    Z1 = W1 @ X + b1
    A1 = hidden_activation(Z1)
    Z2 = W2 @ Z1 + b2
    A2 = output_activation(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mutant_of("collapse_linear_layers")
def collapse_reversed_product(weights, biases):
    """The weights are multiplied in the wrong order: the first layer acts first, so W = W_L ... W_2 W_1 (new layers on the left)."""
    W, b = weights[0], biases[0]
    for W_next, b_next in zip(weights[1:], biases[1:]):
        W = W @ W_next
        b = W_next @ b + b_next
    return W, b


@mutant_of("collapse_linear_layers")
def collapse_biases_not_propagated(weights, biases):
    """The biases are added up, but a bias also passes through every later layer: b <- W_l b + b_l at each layer."""
    W, b = weights[0], biases[0]
    for W_next, b_next in zip(weights[1:], biases[1:]):
        W = W_next @ W
        b = b + b_next
    return W, b


@mutant_of("collapse_linear_layers")
def collapse_last_bias_only(weights, biases):
    """Only the last layer's bias is kept: the earlier biases pass through the later weights and add up."""
    W = weights[0]
    for W_next in weights[1:]:
        W = W_next @ W
    return W, biases[-1]


@mutant_of("collapse_linear_layers")
def collapse_first_and_last_only(weights, biases):
    """Only the first and the last layer are combined: fold in every layer of the list, one after the other."""
    W = weights[-1] @ weights[0]
    b = weights[-1] @ biases[0] + biases[-1]
    return W, b
