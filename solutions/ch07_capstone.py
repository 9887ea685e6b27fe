"""Chapter 7, the capstone: regularization, and a NumPy network trained on the ten digits.

Layout (the book's): examples are columns. X: (n_x, m); integer labels: (1, m) with values
0..K-1; one-hot labels Y: (K, m) (chapter 3). layer_sizes = [n_0, n_1, ..., n_L] lists the
widths from the n_0 inputs to the K = n_L classes; layer l = 1, ..., L has W_l: (n_l, n_{l-1})
and b_l: (n_l, 1), and params is the dict {"W1", "b1", ..., "WL", "bL"} of chapters 4 to 6.
The network has ReLU hidden layers with dropout and a linear output layer:

    A_0 = X
    Z_l = W_l A_{l-1} + b_l,   A_l = dropout(relu(Z_l))      hidden layers, l = 1, ..., L - 1
    Z_L = W_L A_{L-1} + b_L                                   the logits, (K, m)

The cost of a batch of m examples is chapter 3's mean softmax cross-entropy of Z_L plus the
L2 penalty

    (lambd / (2 m)) * sum over l = 1, ..., L of sum(W_l ** 2)

(every weight squared; the biases are not penalized), m being the number of examples in the
batch the cost is computed on. scikit-learn's MLPClassifier calls lambd ``alpha``.

Inverted dropout, with keep_prob the probability that a unit is KEPT: at training time every
hidden activation is kept with probability keep_prob and divided by keep_prob, or set to 0,
so its expected value is unchanged; the mask of a layer is drawn as
rng.random(A.shape) < keep_prob (one call a hidden layer, layer 1 first). At test time
(training=False) dropout is the identity and draws nothing. Dropout is never applied to the
inputs X or to the logits Z_L.

The API:

tools from chapters 3 to 6 (re-exported here; the exercises grade them again)
    one_hot, softmax, cross_entropy_gradient                      solutions.ch03_softmax
    initialize_he                                                 solutions.ch05_initialization
    random_mini_batches, initialize_optimizer_state, adam_update, step_decay
                                                                  solutions.ch06_optimization
regularization
    dropout_forward(A, keep_prob, rng, training=True) -> (A_dropped, mask)
    dropout_backward(dA_dropped, mask, keep_prob) -> dA
    l2_cost(params, lambd, m) -> float
    l2_gradients(params, lambd, m) -> grads {"dW1", "db1", ...}
the network
    forward_with_dropout(X, params, keep_prob, rng, training=True) -> (ZL, caches)
        caches[l - 1] = (A_prev, Z_l, mask_l), mask_l the dropout mask of A_l (None for l = L)
    regularized_gradients(params, X, Y, keep_prob, lambd, rng) -> grads
    predict_digits(X, params) -> labels (1, m)
    train_digits(X_train, labels_train, X_dev, labels_dev, layer_sizes, rng, keep_prob=1.0,
                 lambd=0.0, learning_rate=0.01, num_epochs=10, batch_size=32, drop=0.5,
                 epochs_per_drop=10) -> (params, history)
"""
import numpy as np

from solutions.ch03_softmax import cross_entropy_gradient, one_hot, softmax
from solutions.ch05_initialization import initialize_he
from solutions.ch06_optimization import adam_update, initialize_optimizer_state, random_mini_batches, step_decay

__all__ = [
    "one_hot", "softmax", "cross_entropy_gradient", "initialize_he", "random_mini_batches",
    "initialize_optimizer_state", "adam_update", "step_decay", "dropout_forward", "dropout_backward", "l2_cost",
    "l2_gradients", "forward_with_dropout", "regularized_gradients", "predict_digits", "train_digits",
]


def dropout_forward(A, keep_prob, rng, training=True):
    """Inverted dropout on a layer's activations.

    A: (n, m) float64 activations, one example a column (any shape works the same way);
    keep_prob: float in (0, 1], the probability that a unit is KEPT (not the probability of
    dropping it); rng: a numpy.random.Generator, or None when training is False;
    training: bool, True by default.
    training True: draw the mask with ONE call, mask = rng.random(A.shape) < keep_prob, and
        nothing else (also when keep_prob is 1); every entry is kept where mask is True and
        scaled, A_dropped = A * mask / keep_prob, so its expected value is its value in A.
    training False (test time): dropout is off: rng is not used (it may be None), A_dropped
        equals A and mask is all True.
    Returns a tuple (A_dropped, mask): A_dropped float64 with the shape of A, mask a bool
    array with the shape of A. A is not modified.
    """
    if not training:
        return np.array(A, dtype=np.float64), np.ones(np.shape(A), dtype=bool)
    mask = rng.random(np.shape(A)) < keep_prob
    return A * mask / keep_prob, mask


def dropout_backward(dA_dropped, mask, keep_prob):
    """Backward pass of inverted dropout: the gradient reaches only the kept units.

    dA_dropped: float64 array, dJ/dA_dropped, with the shape of the mask; mask: bool array, the
    mask dropout_forward drew for this layer in the forward pass (reuse it: never draw a new
    one); keep_prob: float in (0, 1], the one the forward pass used. Since
    A_dropped = A * mask / keep_prob, dA = dA_dropped * mask / keep_prob.
    Returns dA: float64 array with the shape of dA_dropped. No argument is modified.
    """
    return dA_dropped * mask / keep_prob


def l2_cost(params, lambd, m):
    """The L2 regularization term of the cost.

    params: dict with keys "W1", "b1", ..., "WL", "bL" (L = len(params) // 2), float64
    arrays; lambd: float >= 0, the regularization strength; m: int, the number of examples in
    the batch the cost is computed on.
        l2 = (lambd / (2 m)) * sum over l = 1, ..., L of sum(W_l ** 2)
    the sum of the squares of every weight of every layer (the biases are not penalized).
    Returns l2, a float. params is not modified.
    """
    squares = sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, len(params) // 2 + 1))
    return float(lambd / (2 * m) * squares)


def l2_gradients(params, lambd, m):
    """The gradient of l2_cost(params, lambd, m) with respect to every parameter.

    params: dict with keys "W1", "b1", ..., "WL", "bL" (L = len(params) // 2); lambd: float
    >= 0; m: int, the batch size the cost uses.
        dW_l = (lambd / m) W_l      with the shape of W_l
        db_l = 0                    with the shape of b_l (the biases are not in the term)
    Returns grads: dict with keys "dW1", "db1", ..., "dWL", "dbL" of float64 arrays, which
    adds key by key to the gradients of the cross-entropy. params is not modified.
    """
    grads = {}
    for l in range(1, len(params) // 2 + 1):
        grads[f"dW{l}"] = (lambd / m) * params[f"W{l}"]
        grads[f"db{l}"] = np.zeros_like(params[f"b{l}"], dtype=np.float64)
    return grads


def forward_with_dropout(X, params, keep_prob, rng, training=True):
    """Forward pass of the ReLU network with inverted dropout on its hidden layers.

    X: (n_0, m); params: dict with keys "W1", "b1", ..., "WL", "bL" (L = len(params) // 2);
    keep_prob: float in (0, 1]; rng: a numpy.random.Generator (None is fine when training is
    False); training: bool, True by default (False at test time: no dropout).
    For l = 1, ..., L: Z_l = W_l A_{l-1} + b_l with A_0 = X (no dropout on the inputs). For the
    hidden layers l < L: A_l, mask_l = dropout_forward(relu(Z_l), keep_prob, rng, training),
    relu(z) = max(0, z), layer 1 first, so the masks are drawn in the order of the layers.
    The last layer stays linear and has no dropout: Z_L are the logits.
    Returns (ZL, caches): ZL: (n_L, m) float64; caches: list of L tuples,
    caches[l - 1] = (A_prev, Z_l, mask_l) with A_prev = A_{l-1} (the input of layer l, after
    its dropout), Z_l: (n_l, m) and mask_l the bool mask dropout_forward returned for A_l, or
    None for the last layer. No argument is modified.
    """
    L = len(params) // 2
    A, caches = X, []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A_next, mask = dropout_forward(np.maximum(0.0, Z), keep_prob, rng, training)
        caches.append((A, Z, mask))
        A = A_next
    ZL = params[f"W{L}"] @ A + params[f"b{L}"]
    caches.append((A, ZL, None))
    return ZL, caches


def regularized_gradients(params, X, Y, keep_prob, lambd, rng):
    """Gradients of the regularized cost of one batch, through dropout, by backpropagation.

    params: dict {"W1", "b1", ..., "WL", "bL"}; X: (n_0, m) one batch; Y: (K, m) one-hot
    labels; keep_prob: float in (0, 1]; lambd: float >= 0; rng: a numpy.random.Generator.
    The cost is cross_entropy(Z_L, Y) + l2_cost(params, lambd, m), m = X.shape[1], with Z_L
    from ONE training-time forward pass, forward_with_dropout(X, params, keep_prob, rng) (its
    masks are the only draws). Backward, from dZ_L = cross_entropy_gradient(Z_L, Y) (the 1/m
    is in it), for l = L down to 1:
        dW_l = dZ_l A_{l-1}^T + (lambd / m) W_l       db_l = the sum of dZ_l over the examples
    and below the last layer dA_{l-1} = W_l^T dZ_l goes back through that layer's dropout
    (dropout_backward with the mask of the forward pass) and its ReLU:
    dZ_{l-1} = dA_{l-1} * (Z_{l-1} > 0).
    Returns grads: dict with keys "dW1", "db1", ..., "dWL", "dbL", each with the shape of its
    parameter. No argument is modified.
    """
    ZL, caches = forward_with_dropout(X, params, keep_prob, rng)
    m = X.shape[1]
    penalty = l2_gradients(params, lambd, m)
    dZ = cross_entropy_gradient(ZL, Y)
    grads = {}
    for l in range(len(caches), 0, -1):
        A_prev = caches[l - 1][0]
        grads[f"dW{l}"] = dZ @ A_prev.T + penalty[f"dW{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) + penalty[f"db{l}"]
        if l > 1:
            _, Z_prev, mask_prev = caches[l - 2]
            dA_prev = dropout_backward(params[f"W{l}"].T @ dZ, mask_prev, keep_prob)
            dZ = dA_prev * (Z_prev > 0)
    return grads


def predict_digits(X, params):
    """The class the trained network gives every example, at test time (no dropout).

    X: (n_0, m); params: dict {"W1", "b1", ..., "WL", "bL"}. The logits are those of
    forward_with_dropout with training=False; the prediction for example i is the k with
    the largest logit Z_L[k, i] (the most probable class; the smallest k on a tie).
    Returns labels: (1, m) int64 array. No argument is modified.
    """
    ZL, _ = forward_with_dropout(X, params, 1.0, None, training=False)
    return np.argmax(ZL, axis=0).astype(np.int64).reshape(1, -1)


def train_digits(X_train, labels_train, X_dev, labels_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0,
                 learning_rate=0.01, num_epochs=10, batch_size=32, drop=0.5, epochs_per_drop=10):
    """Train the regularized ReLU network with Adam on mini-batches, and watch the dev set.

    X_train: (n_0, m_train) features (the chapter divides the digits' pixels by 16);
    labels_train: (1, m_train) int labels 0..K-1; X_dev: (n_0, m_dev); labels_dev: (1, m_dev);
    layer_sizes: list of int [n_0, ..., n_L], n_L = K classes; rng: a numpy.random.Generator,
    the only source of randomness; keep_prob: float in (0, 1], 1.0 by default (no dropout);
    lambd: float >= 0, 0.0 by default; learning_rate: float, Adam's rate in the first epoch,
    0.01 by default; num_epochs: int >= 0, 10 by default; batch_size: int >= 1, 32 by
    default; drop: float, 0.5, and epochs_per_drop: int, 10 by default, the step decay.
    The pieces, in the order the reference uses them (grading judges the accuracy reached,
    so another order of draws is fine):
        params = initialize_he(layer_sizes, rng);  Y = one_hot(labels_train, n_L)
        state = initialize_optimizer_state(params, "adam"), once, before the first epoch
        for epoch = 0, ..., num_epochs - 1:
            rate = step_decay(learning_rate, epoch, drop, epochs_per_drop)
            for every (X_batch, Y_batch) of random_mini_batches(X_train, Y, batch_size, rng):
                grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
                params, state = adam_update(params, grads, state, rate)   (default betas, eps)
            then record the accuracies of the epoch's params, at test time (no dropout):
            the fraction of examples whose predict_digits label equals the true one, on the
            training set and on the development set.
    Returns a tuple (params, history): params the trained parameters, a dict with keys
    "W1", "b1", ..., "WL", "bL" shaped by layer_sizes; history a dict with keys
    "train_accuracy" and "dev_accuracy", each a list of num_epochs floats in [0, 1], entry e
    measured after epoch e. No argument is modified (rng advances).
    """
    params = initialize_he(layer_sizes, rng)
    Y = one_hot(labels_train, layer_sizes[-1])
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = step_decay(learning_rate, epoch, drop, epochs_per_drop)
        for X_batch, Y_batch in random_mini_batches(X_train, Y, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(float(np.mean(predict_digits(X_train, params) == labels_train)))
        history["dev_accuracy"].append(float(np.mean(predict_digits(X_dev, params) == labels_dev)))
    return params, history
