"""Chapter 4: backpropagation, from a scalar computation graph to a vectorized MLP.

Layout (the book's): examples are columns. X: (n_x, m); Y: (1, m) labels in {0, 1};
layer l = 1, ..., L has W_l: (n_l, n_{l-1}) and b_l: (n_l, 1);
Z_l = W_l A_{l-1} + b_l : (n_l, m), A_l = g(Z_l) for the hidden layers l < L, A_0 = X.
The last layer is linear: the network returns the logits Z_L, and the loss applies the
output activation (the sigmoid in binary cross-entropy, the softmax in chapter 3's
cross-entropy). A gradient named dQ is dJ/dQ, with the shape of Q.

Where the 1/m lives: J is the MEAN loss over the m examples of a batch, and the loss's
backward (binary_cross_entropy; chapter 3's cross_entropy_gradient) returns dZ_L of that
mean, so the 1/m is already inside dZ_L. dense_backward and mlp_backward never divide by
m again: dW = dZ A_prev.T and db = the sum of dZ over the examples.

Activations are named by strings, "sigmoid", "tanh" or "relu"; the derivative of ReLU at
z = 0 is taken as 0 (1 only where z > 0), as in chapter 2.

The API (chapters 5 to 7 import it from here):

scalar graph       graph_backward(nodes, values) -> grads              (list of float)
gradient checking  numerical_gradient(f, x, eps=1e-5) -> array with the shape of x
                   relative_error(a, b) -> float
dense layer        dense_forward(A_prev, W, b) -> (Z, cache);  cache = (A_prev, W, b)
                   dense_backward(dZ, cache) -> (dA_prev, dW, db)
activation         activation_forward(Z, activation) -> A
                   activation_backward(dA, Z, activation) -> dZ
loss               binary_cross_entropy(ZL, Y) -> (cost, dZL)            (from logits)
                   cross_entropy_from_logits(ZL, Y), cross_entropy_gradient(ZL, Y)
                       chapter 3's softmax cross-entropy (ZL, Y: (n_classes, m), Y one-hot;
                       mean over examples; gradient (softmax(ZL) - Y) / m), re-exported
network            initialize_mlp(layer_sizes, seed) -> params  {"W1", "b1", ..., "WL", "bL"}
                   mlp_forward(X, params, hidden_activation) -> (ZL, caches)
                       caches[l - 1] = ((A_prev, W_l, b_l), Z_l) for l = 1, ..., L
                   mlp_backward(dZL, caches, hidden_activation) -> grads {"dW1", "db1", ...}
training           train_mlp(X, Y, params, hidden_activation, learning_rate, num_epochs,
                             batch_size=None, seed=0) -> (params, costs)

Scalar graphs (graph_backward) are tapes: a list of nodes in the order they were computed,
each a tuple (operation, operands...), evaluated by nnbook.tapes.forward:

    ("input", k)    inputs[k]               ("const", c)    the number c
    ("add", i, j)   v_i + v_j               ("mul", i, j)   v_i * v_j
    ("pow", i, p)   v_i ** p (p a number)   ("exp", i)      e ** v_i
    ("tanh", i)     tanh(v_i)               ("relu", i)     max(0, v_i)

where v_i is the value of node i, always an earlier node (i < k for node k). The last node
is the output.
"""
import numpy as np

# The softmax output layer's loss and its backward, for networks with several classes: they
# are chapter 3's, re-exported so that the reference exists once. Their dZL plugs into
# mlp_backward like binary_cross_entropy's.
from solutions.ch03_softmax import cross_entropy_from_logits, cross_entropy_gradient

__all__ = [
    "graph_backward", "numerical_gradient", "relative_error", "dense_forward", "dense_backward",
    "activation_forward", "activation_backward", "binary_cross_entropy", "initialize_mlp",
    "mlp_forward", "mlp_backward", "train_mlp", "cross_entropy_from_logits", "cross_entropy_gradient",
]


def graph_backward(nodes, values):
    """Reverse-mode derivatives of a scalar computation graph's output, its last node.

    nodes: list of tuples, a tape in topological order, as described in this module's
        docstring: ("input", k), ("const", c), ("add", i, j), ("mul", i, j),
        ("pow", i, p), ("exp", i), ("tanh", i), ("relu", i); node k only uses nodes
        i, j < k.
    values: list of float, values[k] the value of node k from the forward pass
        (nnbook.tapes.forward(nodes, inputs)).
    Returns grads: list of float with len(nodes) entries,
    grads[k] = d(output) / d(v_k), the derivative of the last node's value with
    respect to node k's value through every path from k to the output
    (grads[-1] = 1.0; 0.0 for a node the output does not use). A node used several
    times (by two nodes, or twice by one node as in ("mul", i, i)) receives the sum of
    the contributions of every use. ReLU's derivative at v_i = 0 is 0. Neither
    argument is modified.
    """
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for k in range(len(nodes) - 1, -1, -1):
        operation, *operands = nodes[k]
        upstream = grads[k]
        if operation == "add":
            i, j = operands
            grads[i] += upstream
            grads[j] += upstream
        elif operation == "mul":
            i, j = operands
            grads[i] += upstream * values[j]
            grads[j] += upstream * values[i]
        elif operation == "pow":
            i, p = operands
            grads[i] += upstream * p * values[i] ** (p - 1)
        elif operation == "exp":
            grads[operands[0]] += upstream * values[k]
        elif operation == "tanh":
            grads[operands[0]] += upstream * (1.0 - values[k] ** 2)
        elif operation == "relu":
            grads[operands[0]] += upstream * (1.0 if values[operands[0]] > 0 else 0.0)
    return [float(grad) for grad in grads]


def numerical_gradient(f, x, eps=1e-5):
    """Two-sided finite-difference estimate of the gradient of a scalar function at x.

    f: function of one float64 array with the shape of x, returning a float.
    x: float64 array of any shape; eps: the nudge, a positive float (1e-5 by default).
    For every entry x_i (all other entries held fixed),
        g_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),
    where e_i is the array with 1 at entry i and 0 elsewhere. Returns g: float64 array
    with the shape of x. The caller's x is never modified: it holds its original
    values after the call (an entry nudged for f is put back before the next one is
    nudged).
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = f(x)
        x[index] = original - eps
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """Relative error between two gradients: ||a - b|| / (||a|| + ||b||).

    a, b: float64 arrays of the same shape (any shape; ||.|| is the Euclidean norm of
    all entries, np.linalg.norm of the flattened array). Returns a float in [0, 1]:
    0.0 when a == b, and 0.0 when both are all zeros (the formula would be 0 / 0).
    """
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def dense_forward(A_prev, W, b):
    """Forward pass of a dense (fully connected) layer, without its activation.

    A_prev: (n_prev, m) inputs of the layer, one example a column; W: (n, n_prev);
    b: (n, 1). Z = W A_prev + b : (n, m), b added to every column.
    Returns (Z, cache) with cache = (A_prev, W, b), a tuple of the three inputs
    themselves, which dense_backward needs. No argument is modified.
    """
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


def dense_backward(dZ, cache):
    """Backward pass of a dense layer Z = W A_prev + b.

    dZ: (n, m), dJ/dZ of the MEAN cost J over the m examples (the 1/m is already in
    dZ). cache: (A_prev, W, b) from dense_forward, A_prev: (n_prev, m),
    W: (n, n_prev), b: (n, 1).
    Returns (dA_prev, dW, db):
        dA_prev = W.T dZ                              (n_prev, m)
        dW      = dZ A_prev.T                          (n, n_prev)
        db      = sum of dZ over the m examples        (n, 1)
    with no further division by m. No argument is modified.
    """
    A_prev, W, _ = cache
    dA_prev = W.T @ dZ
    dW = dZ @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True)
    return dA_prev, dW, db


def activation_forward(Z, activation):
    """An activation named by a string, elementwise.

    Z: float64 array of any shape; activation: "sigmoid", "tanh" or "relu".
        sigmoid(z) = 1 / (1 + e^-z)   (no overflow or nan for |z| as large as 1e3)
        tanh(z)    = (e^z - e^-z) / (e^z + e^-z)
        relu(z)    = max(0, z)
    Returns A: float64 array with the shape of Z. Z is not modified.
    """
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -Z))
    if activation == "tanh":
        return np.tanh(Z)
    if activation == "relu":
        return np.maximum(0.0, Z)
    raise ValueError(f"unknown activation {activation!r}: use 'sigmoid', 'tanh' or 'relu'")


def activation_backward(dA, Z, activation):
    """Backward pass of an activation A = g(Z): dZ = dA * g'(Z), elementwise.

    dA: dJ/dA, float64 array; Z: the pre-activation, same shape as dA;
    activation: "sigmoid", "tanh" or "relu", with
        sigmoid'(z) = s (1 - s) where s = sigmoid(z);  tanh'(z) = 1 - tanh(z)^2;
        relu'(z) = 1 where z > 0 and 0 where z <= 0 (0 at the kink z = 0).
    Returns dZ: float64 array with the shape of Z. No argument is modified.
    """
    if activation == "sigmoid":
        s = activation_forward(Z, "sigmoid")
        return dA * s * (1.0 - s)
    if activation == "tanh":
        t = np.tanh(Z)
        return dA * (1.0 - t * t)
    if activation == "relu":
        return dA * (Z > 0)
    raise ValueError(f"unknown activation {activation!r}: use 'sigmoid', 'tanh' or 'relu'")


def binary_cross_entropy(ZL, Y):
    """Mean binary cross-entropy of a sigmoid output, from logits, and its gradient.

    ZL: (1, m) logits (the network's last Z), A = sigmoid(ZL) = P(y = 1 | x);
    Y: (1, m) labels in {0, 1} (float64).
        cost = -(1/m) sum(Y log A + (1 - Y) log(1 - A)), a float;
        dZL  = (A - Y) / m, (1, m): dcost/dZL of the MEAN cost.
    The cost must stay finite (no inf, no nan) where A rounds to 0 or 1, e.g. for
    logits of +-1000 in a batch with ordinary ones. Returns (cost, dZL). No argument
    is modified.
    """
    m = ZL.shape[1]
    cost = float(np.sum(np.logaddexp(0.0, ZL) - Y * ZL) / m)
    dZL = (activation_forward(ZL, "sigmoid") - Y) / m
    return cost, dZL


def initialize_mlp(layer_sizes, seed):
    """Random weights and zero biases for an MLP with the given layer sizes.

    layer_sizes: list of int [n_0, n_1, ..., n_L], n_0 = n_x inputs, L >= 1 layers.
    seed: int. With rng = np.random.default_rng(seed), for l = 1, ..., L in this
    order:
        W_l = rng.standard_normal((n_l, n_{l-1})) / sqrt(n_{l-1})       (n_l, n_{l-1})
        b_l = zeros                                                     (n_l, 1)
    (the 1 / sqrt(n_{l-1}) keeps every Z about as spread out as the inputs; chapter 5
    compares initializations). Returns params: dict with keys "W1", "b1", ..., "WL",
    "bL" of float64 arrays.
    """
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(layer_sizes)):
        n_prev, n = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params


def mlp_forward(X, params, hidden_activation):
    """Forward pass of an L-layer perceptron with a linear last layer, keeping caches.

    X: (n_x, m); params: dict with keys "W1", "b1", ..., "WL", "bL"
    (L = len(params) // 2, W_l: (n_l, n_{l-1}), b_l: (n_l, 1)); hidden_activation:
    "sigmoid", "tanh" or "relu". For l = 1, ..., L: Z_l = W_l A_{l-1} + b_l with
    A_0 = X, and A_l = g(Z_l) for l < L. The last layer has no activation: the loss
    applies it (L = 1 is logistic regression).
    Returns (ZL, caches): ZL: (n_L, m) logits; caches: list of L tuples,
    caches[l - 1] = ((A_prev, W_l, b_l), Z_l) with A_prev = A_{l-1}: the dense layer's
    cache and the layer's pre-activation, everything the backward pass needs. No
    argument is modified.
    """
    L = len(params) // 2
    A = X
    caches = []
    for l in range(1, L + 1):
        Z, dense_cache = dense_forward(A, params[f"W{l}"], params[f"b{l}"])
        caches.append((dense_cache, Z))
        if l < L:
            A = activation_forward(Z, hidden_activation)
    return Z, caches


def mlp_backward(dZL, caches, hidden_activation):
    """Backward pass of mlp_forward: the gradients of the cost for every layer.

    dZL: (n_L, m), dJ/dZ_L of the MEAN cost, e.g. from binary_cross_entropy (the 1/m
    is in it; no layer divides by m again). caches: the list mlp_forward returned,
    caches[l - 1] = ((A_prev, W_l, b_l), Z_l); hidden_activation: the one mlp_forward
    used. From l = L down to 1: the dense layer's backward turns dZ_l into dA_{l-1},
    dW_l and db_l, and for l > 1 the activation's backward turns dA_{l-1} into
    dZ_{l-1} = dA_{l-1} * g'(Z_{l-1}).
    Returns grads: dict with keys "dW1", "db1", ..., "dWL", "dbL", each with the shape
    of its parameter. No argument is modified.
    """
    grads = {}
    dZ = dZL
    for l in range(len(caches), 0, -1):
        dense_cache, _ = caches[l - 1]
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = dense_backward(dZ, dense_cache)
        if l > 1:
            Z_prev = caches[l - 2][1]
            dZ = activation_backward(dA_prev, Z_prev, hidden_activation)
    return grads


def train_mlp(X, Y, params, hidden_activation, learning_rate, num_epochs,
              batch_size=None, seed=0):
    """Train a sigmoid-output MLP on binary cross-entropy by mini-batch descent.

    X: (n_x, m); Y: (1, m) labels in {0, 1}; params: the initial parameters, a dict as
    initialize_mlp returns (the last layer has 1 unit), not modified;
    hidden_activation: "sigmoid", "tanh" or "relu"; learning_rate: float;
    num_epochs: int >= 0; batch_size: int, or None (the default) for one batch of all
    m examples; seed: int.
    With rng = np.random.default_rng(seed), each epoch draws
    order = rng.permutation(m) (whatever the batch size) and visits the columns
    X[:, order] in consecutive batches of batch_size (the last one smaller if
    batch_size does not divide m). Each batch is one iteration: forward,
    binary_cross_entropy of the batch, backward, and for every parameter
    P <- P - learning_rate * dP.
    Returns (params, costs): the trained parameters (a new dict, same keys and shapes)
    and costs, a list of num_epochs + 1 floats: costs[0] is the cost on all of (X, Y)
    before training and costs[e] the cost on all of (X, Y) after epoch e.
    """
    params = {key: value.copy() for key, value in params.items()}
    m = X.shape[1]
    batch_size = m if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    costs = [binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0]]
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            ZL, caches = mlp_forward(X[:, batch], params, hidden_activation)
            _, dZL = binary_cross_entropy(ZL, Y[:, batch])
            grads = mlp_backward(dZL, caches, hidden_activation)
            for key in params:
                params[key] = params[key] - learning_rate * grads["d" + key]
        costs.append(binary_cross_entropy(mlp_forward(X, params, hidden_activation)[0], Y)[0])
    return params, costs
