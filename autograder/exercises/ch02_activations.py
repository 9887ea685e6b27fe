"""Grading data of chapter 2 (activation functions): hidden cases, mutants and correct alternatives.

The sigmoid is graded again here with chapter 1's cases and mistakes (imported, not copied).
"""
import numpy as np

from autograder.exercises import Case, Check, catalogue
from autograder.exercises.ch01_logistic_regression import ALTERNATIVES as CHAPTER_1_ALTERNATIVES
from autograder.exercises.ch01_logistic_regression import MUTANTS as CHAPTER_1_MUTANTS
from autograder.exercises.ch01_logistic_regression import sigmoid_cases
from solutions.ch02_activations import leaky_relu, linear, relu, sigmoid, tanh

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

RANDOM_SHAPES = [(1, 1), (1, 6), (4, 3), (7,), (2, 3, 4)]


def activation_cases(seed, scale=4.0):
    """Cases every activation (and derivative) must handle: z = 0, scalars, +-1e3, many shapes."""
    yield Case("z = [[-1000, 0, 1000]] (must stay finite, no nan)", (np.array([[-1000.0, 0.0, 1000.0]]),))
    yield Case("a scalar z = 0", (0.0,))
    yield Case("a scalar z = 1.5", (1.5,))
    yield Case("a scalar z = -2.0", (-2.0,))
    yield Case("z = [-0.5, 0, 0.5, 3] with an exact 0", (np.array([-0.5, 0.0, 0.5, 3.0]),))
    rng = np.random.default_rng(seed)
    for shape in RANDOM_SHAPES:
        yield Case(f"random z of shape {shape}", (rng.normal(scale=scale, size=shape),))


def leaky_cases(seed):
    """The activation cases with the default slope, then the same inputs with other slopes."""
    yield from activation_cases(seed)
    rng = np.random.default_rng(seed + 1)
    z = np.array([[-1000.0, -3.0, 0.0, 2.0, 1000.0]])
    yield Case("slope = 0.2 given by keyword", (z,), {"slope": 0.2})
    yield Case("slope = 0.0 given by position (leaky ReLU becomes ReLU)", (z, 0.0))
    yield Case("a scalar z = -4 with slope = 0.5", (-4.0,), {"slope": 0.5})
    yield Case("a scalar z = 0 with slope = 0.3", (0.0,), {"slope": 0.3})
    for shape, slope in [((3, 5), 0.1), ((6,), 0.25), ((2, 2, 3), 0.05)]:
        yield Case(f"random z of shape {shape} with slope = {slope}", (rng.normal(scale=4.0, size=shape),), {"slope": slope})


def linear_cases():
    yield from activation_cases(201)


def linear_derivative_cases():
    yield from activation_cases(202)


def sigmoid_derivative_cases():
    yield from activation_cases(203, scale=6.0)


def tanh_cases():
    yield from activation_cases(204)
    yield Case("tiny z = [1e-9, -1e-9]", (np.array([1e-9, -1e-9]),))


def tanh_derivative_cases():
    yield from activation_cases(205)


def relu_cases():
    yield from activation_cases(206)


def relu_derivative_cases():
    yield from activation_cases(207)


def leaky_relu_cases():
    yield from leaky_cases(208)


def leaky_relu_derivative_cases():
    yield from leaky_cases(210)


def network(rng, n_x, n_h, n_y, m):
    """Random X: (n_x, m), W1: (n_h, n_x), b1: (n_h, 1), W2: (n_y, n_h), b2: (n_y, 1)."""
    return (rng.normal(size=(n_x, m)), rng.normal(size=(n_h, n_x)), rng.normal(size=(n_h, 1)),
            rng.normal(size=(n_y, n_h)), rng.normal(size=(n_y, 1)))


def forward_cases():
    X = np.array([[1.0, -1.0], [2.0, 0.5]])
    W1 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    b1 = np.array([[0.0], [-1.0], [0.5]])
    W2 = np.array([[1.0, 2.0, -1.0]])
    b2 = np.array([[-0.5]])
    yield Case("a small hand-made network, relu hidden, sigmoid output", (X, W1, b1, W2, b2, relu, sigmoid))
    rng = np.random.default_rng(211)
    settings = [
        ((3, 4, 1, 1), relu, sigmoid, "m = 1, relu hidden, sigmoid output"),
        ((1, 1, 1, 1), tanh, sigmoid, "one feature, one hidden unit, m = 1, tanh hidden, sigmoid output"),
        ((2, 3, 1, 5), tanh, linear, "tanh hidden, linear output"),
        ((4, 4, 4, 4), relu, tanh, "square layers, m = n_h = 4, relu hidden, tanh output"),
        ((3, 5, 2, 7), leaky_relu, relu, "leaky relu hidden, relu output, n_y = 2"),
        ((6, 2, 3, 9), sigmoid, sigmoid, "sigmoid in both layers"),
        ((5, 8, 1, 30), relu, sigmoid, "a batch of 30"),
    ]
    for (n_x, n_h, n_y, m), hidden, output, label in settings:
        yield Case(f"{label} (n_x, n_h, n_y, m) = ({n_x}, {n_h}, {n_y}, {m})",
                   network(rng, n_x, n_h, n_y, m) + (hidden, output))


def stack(rng, sizes):
    """Random weights [W_1, ..., W_L] and biases [b_1, ..., b_L] for layer sizes [n_0, ..., n_L]."""
    weights = [rng.normal(size=(n_out, n_in)) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=(n_out, 1)) for n_out in sizes[1:]]
    return weights, biases


def collapse_cases():
    W1, b1 = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[1.0], [-1.0]])
    W2, b2 = np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([[0.5], [0.0]])
    yield Case("two hand-made 2 x 2 layers", ([W1, W2], [b1, b2]))
    rng = np.random.default_rng(212)
    for sizes in [[3, 1], [2, 2, 2], [3, 3, 3, 3], [4, 5, 2], [2, 6, 3, 1], [5, 4, 4, 3, 2, 6]]:
        label = "one layer (returned as it is)" if len(sizes) == 2 else f"{len(sizes) - 1} layers"
        yield Case(f"{label} of sizes {sizes}", stack(rng, sizes))


CHECKS = {
    "linear": Check(linear_cases),
    "linear_derivative": Check(linear_derivative_cases),
    "sigmoid": Check(sigmoid_cases, atol=0.0),  # tails in relative error, as in chapter 1
    "sigmoid_derivative": Check(sigmoid_derivative_cases),
    "tanh": Check(tanh_cases),
    "tanh_derivative": Check(tanh_derivative_cases),
    "relu": Check(relu_cases),
    "relu_derivative": Check(relu_derivative_cases),
    "leaky_relu": Check(leaky_relu_cases),
    "leaky_relu_derivative": Check(leaky_relu_derivative_cases),
    "one_hidden_layer_forward": Check(forward_cases),
    "collapse_linear_layers": Check(collapse_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.

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


@mutant_of("linear")
def linear_flattened(z):
    """The output is flattened to one dimension: the activation keeps the shape of z."""
    return np.array(z, dtype=float).ravel()


@mutant_of("linear")
def linear_scalar_only(z):
    """float(z) converts a single number only: use np.array(z, dtype=float) for any shape."""
    return float(z)


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


@mutant_of("linear_derivative")
def linear_derivative_length_only(z):
    """np.ones(len(z)) has only the length of z's first axis: use its whole shape, np.ones(np.shape(z))."""
    return np.ones(len(z))


MUTANTS["sigmoid"].extend(CHAPTER_1_MUTANTS["sigmoid"])


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


@mutant_of("sigmoid_derivative")
def sigmoid_derivative_missing_factor(z):
    """A factor is missing: the derivative is sigma(z) * (1 - sigma(z)), not 1 - sigma(z) alone."""
    return 1 - sigmoid(z)


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


@mutant_of("tanh")
def tanh_half_exponent(z):
    """The exponent is -2|z|, not -|z|: (1 - e^-|z|) / (1 + e^-|z|) is tanh(z / 2)."""
    t = np.exp(-np.abs(z))
    return np.sign(z) * (1 - t) / (1 + t)


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


@mutant_of("tanh_derivative")
def tanh_derivative_sech_not_squared(z):
    """1 / cosh(z) is sech(z): the derivative is its square, 1 / cosh(z)**2 = 1 - tanh(z)**2."""
    with np.errstate(over="ignore"):
        return 1 / np.cosh(z)


@mutant_of("tanh_derivative")
def tanh_derivative_squares_z(z):
    """The square belongs to the tanh, not to z: 1 - tanh(z)**2, not 1 - tanh(z**2)."""
    return 1 - tanh(np.asarray(z) ** 2)


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


@mutant_of("relu")
def relu_in_place(z):
    """z[z < 0] = 0 changes the caller's array: return a new one (np.maximum(0, z))."""
    z = np.asarray(z, dtype=np.float64)
    z[z < 0] = 0
    return z


@mutant_of("relu")
def relu_mask_flipped(z):
    """The mask keeps the negative entries: multiply z by (z > 0), the positive ones."""
    z = np.asarray(z, dtype=float)
    return z * (z < 0)


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


@mutant_of("relu_derivative")
def relu_derivative_comparison_flipped(z):
    """The comparison is flipped: the slope is 1 where z > 0 (the rising side) and 0 where z <= 0."""
    return (np.asarray(z) < 0).astype(float)


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


@mutant_of("leaky_relu")
def leaky_relu_default_slope_0_1(z, slope=0.1):
    """The default slope is 0.01, not 0.1: leaky_relu(z) must use slope = 0.01."""
    return np.where(np.asarray(z) > 0, z, slope * np.asarray(z, dtype=float))


@mutant_of("leaky_relu")
def leaky_relu_negative_branch_sign(z, slope=0.01):
    """-slope * z turns negative inputs into positive outputs: the negative branch is slope * z."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, -slope * z)


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


@mutant_of("leaky_relu_derivative")
def leaky_relu_derivative_default_slope_0_1(z, slope=0.1):
    """The default slope is 0.01, not 0.1: leaky_relu_derivative(z) must use slope = 0.01."""
    return np.where(np.asarray(z) <= 0, slope, 1.0)


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


@mutant_of("collapse_linear_layers")
def collapse_drops_the_biases(weights, biases):
    """The biases are dropped: W x alone is not the stack's output; each bias passes through the later layers and adds up."""
    W = weights[0]
    for W_next in weights[1:]:
        W = W_next @ W
    return W, np.zeros((W.shape[0], 1))


# Correct alternatives: written differently from the reference, each must get full marks.


@alternative_of('linear')
def linear_by_copy(z):
    """np.copy then a cast to float."""
    return np.copy(z).astype(float)


@alternative_of('linear')
def linear_by_asarray_copy(z):
    """A float view of z, then a copy so that z itself is never handed back."""
    return np.asarray(z, dtype=float).copy()


@alternative_of('linear_derivative')
def linear_derivative_full(z):
    """np.full with the shape of z."""
    return np.full(np.shape(z), 1.0)


@alternative_of('linear_derivative')
def linear_derivative_ones_like(z):
    """np.ones_like with a float dtype, whatever the dtype of z."""
    return np.ones_like(z, dtype=float)


@alternative_of('sigmoid_derivative')
def sigmoid_derivative_by_softplus(z):
    """sigma(z) sigma(-z) = exp(-softplus(z) - softplus(-z)), with softplus from np.logaddexp."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z))


@alternative_of('sigmoid_derivative')
def sigmoid_derivative_by_symmetry(z):
    """1 - sigma(z) = sigma(-z)."""
    return sigmoid(z) * sigmoid(-z)


@alternative_of('tanh')
def tanh_with_numpy(z):
    """NumPy's own tanh is stable."""
    return np.tanh(z)


@alternative_of('tanh')
def tanh_from_sigmoid(z):
    """tanh(z) = 2 sigma(2z) - 1, stable because the sigmoid is."""
    return 2 * sigmoid(2 * np.asarray(z)) - 1


@alternative_of('tanh_derivative')
def tanh_derivative_factored(z):
    """1 - t^2 = (1 - t)(1 + t)."""
    t = tanh(z)  # noqa: F821 (the notebook's tanh)
    return (1 - t) * (1 + t)


@alternative_of('tanh_derivative')
def tanh_derivative_by_cosh(z):
    """sech^2 z = 1 / cosh^2 z: cosh(1000) overflows to inf with a warning, but 1 / inf = 0 is right."""
    return 1 / np.cosh(z) ** 2


@alternative_of('relu')
def relu_with_where(z):
    """np.where keeps z where it is positive."""
    return np.where(np.asarray(z) > 0, z, 0.0)


@alternative_of('relu')
def relu_by_mask(z):
    """Multiply by the 0/1 mask of the positive entries."""
    z = np.asarray(z, dtype=float)
    return z * (z > 0)


@alternative_of('relu_derivative')
def relu_derivative_heaviside(z):
    """np.heaviside with the value 0 at z = 0."""
    return np.heaviside(z, 0.0)


@alternative_of('relu_derivative')
def relu_derivative_mask_times_one(z):
    """The boolean mask times 1.0."""
    return (np.asarray(z) > 0) * 1.0


@alternative_of('leaky_relu')
def leaky_relu_by_maximum(z, slope=0.01):
    """max(z, slope z) is leaky ReLU for 0 <= slope < 1."""
    return np.maximum(z, slope * np.asarray(z))


@alternative_of('leaky_relu')
def leaky_relu_from_relu(z, slope=0.01):
    """The positive part minus slope times the negative part."""
    z = np.asarray(z, dtype=float)
    return relu(z) - slope * relu(-z)  # noqa: F821 (the notebook's relu)


@alternative_of('leaky_relu_derivative')
def leaky_relu_derivative_by_arithmetic(z, slope=0.01):
    """slope + (1 - slope) * [z > 0]."""
    return slope + (1 - slope) * (np.asarray(z) > 0)


@alternative_of('leaky_relu_derivative')
def leaky_relu_derivative_by_heaviside(z, slope=0.01):
    """A Heaviside step from slope to 1, with the value slope at z = 0."""
    return np.heaviside(z, 0.0) * (1.0 - slope) + slope


@alternative_of('one_hidden_layer_forward')
def forward_with_dot(X, W1, b1, W2, b2, hidden_activation, output_activation):
    """np.dot and a dict() call."""
    Z1 = np.dot(W1, X) + b1
    A1 = hidden_activation(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = output_activation(Z2)
    return A2, dict(Z1=Z1, A1=A1, Z2=Z2, A2=A2)


@alternative_of('one_hidden_layer_forward')
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


@alternative_of('collapse_linear_layers')
def collapse_by_probing_the_stack(weights, biases):
    """b is the stack's output for x = 0; column j of W is its output for e_j, minus b."""
    def run_stack(A):
        for W_l, b_l in zip(weights, biases):
            A = W_l @ A + b_l
        return A

    n_0 = weights[0].shape[1]
    b = run_stack(np.zeros((n_0, 1)))
    return run_stack(np.eye(n_0)) - b, b


@alternative_of('collapse_linear_layers')
def collapse_from_the_last_layer(weights, biases):
    """Walk back from the last layer: each earlier bias goes through the product of the later weights."""
    W, b = weights[-1], biases[-1]
    for W_l, b_l in zip(weights[-2::-1], biases[-2::-1]):
        b = b + W @ b_l
        W = W @ W_l
    return W, b


ALTERNATIVES["sigmoid"].extend(CHAPTER_1_ALTERNATIVES["sigmoid"])
