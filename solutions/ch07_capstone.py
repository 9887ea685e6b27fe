"""Chapter 7, the capstone: regularization, and a NumPy network trained on the ten digits.

Layout (the book's): examples are columns. X: (n_x, m); one-hot labels Y: (K, m), one column
of K entries per example with a 1 in the row of its class (chapter 3). layer_sizes =
[n_0, n_1, ..., n_L] lists the widths from the n_0 inputs to the K = n_L classes; layer
l = 1, ..., L has W_l: (n_l, n_{l-1}) and b_l: (n_l, 1), and params is the dict
{"W1", "b1", ..., "WL", "bL"} of chapters 4 to 6. The network has ReLU hidden layers with
dropout and a linear output layer:

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

tools from chapters 3, 5 and 6 (re-exported here; the exercises grade them again)
    softmax, cross_entropy_gradient                               solutions.ch03_softmax
    initialize_he                                                 solutions.ch05_initialization
    random_mini_batches, initialize_optimizer_state, adam_update  solutions.ch06_optimization
regularization
    dropout_forward(A, keep_prob, rng, training=True) -> (A_dropped, mask)
    dropout_backward(dA_dropped, mask, keep_prob) -> dA
    l2_regularization(params, lambd, m) -> (cost, grads)
the network
    regularized_gradients(params, X, Y, keep_prob, lambd, rng) -> grads
    train_digits(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0, lambd=0.0,
                 learning_rate=0.01, num_epochs=10, batch_size=32, schedule=None)
                 -> (params, history)
not graded (the pages, tests and benchmark use them)
    logits_at_test_time(X, params) -> ZL, the network with every unit on
    predict_digits(X, params) -> labels (1, m), the test-time network's classes
    regularized_cost(params, X, Y, lambd) -> float, the cost at test time (no dropout)
"""
import numpy as np

from solutions.ch03_softmax import cross_entropy_from_logits, cross_entropy_gradient, softmax
from solutions.ch05_initialization import initialize_he
from solutions.ch06_optimization import adam_update, initialize_optimizer_state, random_mini_batches

__all__ = [
    "softmax", "cross_entropy_gradient", "initialize_he", "random_mini_batches", "initialize_optimizer_state",
    "adam_update", "dropout_forward", "dropout_backward", "l2_regularization", "regularized_gradients",
    "train_digits", "logits_at_test_time", "predict_digits", "regularized_cost",
]


def dropout_forward(A, keep_prob, rng, training=True):
    """Inverted dropout on a layer's activations.

    A: (n, m) float64 activations, one example a column (any shape works the same
    way); keep_prob: float in (0, 1], the probability that a unit is KEPT (not the
    probability of dropping it); rng: a numpy.random.Generator, or None when training
    is False; training: bool, True by default.
    training True: draw the mask with ONE call,
        mask = rng.random(A.shape) < keep_prob,
        and nothing else (also when keep_prob is 1); every entry is kept where mask
        is True and scaled, A_dropped = A * mask / keep_prob, so its expected value
        is its value in A.
    training False (test time): dropout is off: rng is not used (it may be None),
        A_dropped equals A and mask is all True.
    Returns a tuple (A_dropped, mask): A_dropped float64 with the shape of A, mask a
    bool array with the shape of A. A is not modified.
    """
    if not training:
        return np.array(A, dtype=np.float64), np.ones(np.shape(A), dtype=bool)
    mask = rng.random(np.shape(A)) < keep_prob
    return A * mask / keep_prob, mask


def dropout_backward(dA_dropped, mask, keep_prob):
    """Backward pass of inverted dropout: the gradient reaches only the kept units.

    dA_dropped: float64 array, dJ/dA_dropped, with the shape of the mask; mask: bool
    array, the mask dropout_forward drew for this layer in the forward pass (reuse
    it: never draw a new one); keep_prob: float in (0, 1], the one the forward pass
    used. Since A_dropped = A * mask / keep_prob, dA = dA_dropped * mask / keep_prob.
    Returns dA: float64 array with the shape of dA_dropped. No argument is modified.
    """
    return dA_dropped * mask / keep_prob


def l2_regularization(params, lambd, m):
    """The L2 term of the cost, and its gradient with respect to every parameter.

    params: dict with keys "W1", "b1", ..., "WL", "bL" (L = len(params) // 2),
    float64 arrays; lambd: float >= 0, the regularization strength; m: int, the number
    of examples in the batch the cost is computed on.
        cost = (lambd / (2 m)) * sum over l = 1, ..., L of sum(W_l ** 2)
    the sum of the squares of every weight of every layer (the biases are not
    penalized), and
        dW_l = (lambd / m) W_l      with the shape of W_l
        db_l = 0                    with the shape of b_l (the biases are not in it).
    Returns a tuple (cost, grads): cost a float, grads a dict with keys "dW1", "db1",
    ..., "dWL", "dbL" of float64 arrays, which adds key by key to the gradients of the
    cross-entropy. params is not modified.
    """
    L = len(params) // 2
    cost = lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    grads = {}
    for l in range(1, L + 1):
        grads[f"dW{l}"] = (lambd / m) * params[f"W{l}"]
        grads[f"db{l}"] = np.zeros_like(params[f"b{l}"], dtype=np.float64)
    return float(cost), grads


def regularized_gradients(params, X, Y, keep_prob, lambd, rng):
    """Gradients of the regularized cost of one batch, by backpropagation.

    The backward pass goes through dropout.
    params: dict {"W1", "b1", ..., "WL", "bL"} (L = len(params) // 2); X: (n_0, m)
    one batch; Y: (K, m) one-hot labels; keep_prob: float in (0, 1];
    lambd: float >= 0; rng: a numpy.random.Generator, used only for the dropout masks.
    Forward, at training time: A_0 = X (no dropout on the inputs); for the hidden
    layers l = 1, ..., L - 1, Z_l = W_l A_{l-1} + b_l and
        A_l, mask_l = dropout_forward(relu(Z_l), keep_prob, rng)
    with relu(z) = max(0, z), layer 1 first (so the masks are drawn in the order of
    the layers, and nothing else is drawn); the last layer is linear and has no
    dropout: Z_L = W_L A_{L-1} + b_L, the logits.
    The cost is cross_entropy(Z_L, Y) + the L2 term of
    l2_regularization(params, lambd, m), m = X.shape[1]. Backward, from
    dZ_L = cross_entropy_gradient(Z_L, Y) (the 1/m is in it), for l = L down to 1:
        dW_l = dZ_l A_{l-1}^T + (lambd / m) W_l
        db_l = the sum of dZ_l over the examples
    (A_{l-1} the input layer l used, after its dropout), and below the last layer
    dA_{l-1} = W_l^T dZ_l goes back through that layer's dropout (dropout_backward
    with the mask of the forward pass) and its ReLU:
        dZ_{l-1} = dA_{l-1} * (Z_{l-1} > 0).
    Returns grads: dict with keys "dW1", "db1", ..., "dWL", "dbL", each with the shape
    of its parameter. No argument is modified.
    """
    L = len(params) // 2
    A, inputs, pre_activations, masks = X, [], [], []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        inputs.append(A)
        pre_activations.append(Z)
        A, mask = dropout_forward(np.maximum(0.0, Z), keep_prob, rng)
        masks.append(mask)
    inputs.append(A)
    ZL = params[f"W{L}"] @ A + params[f"b{L}"]
    _, penalty = l2_regularization(params, lambd, X.shape[1])
    dZ = cross_entropy_gradient(ZL, Y)
    grads = {}
    for l in range(L, 0, -1):
        grads[f"dW{l}"] = dZ @ inputs[l - 1].T + penalty[f"dW{l}"]
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) + penalty[f"db{l}"]
        if l > 1:
            dA = dropout_backward(params[f"W{l}"].T @ dZ, masks[l - 2], keep_prob)
            dZ = dA * (pre_activations[l - 2] > 0)
    return grads


def train_digits(X_train, Y_train, X_dev, Y_dev, layer_sizes, rng, keep_prob=1.0,
                 lambd=0.0, learning_rate=0.01, num_epochs=10, batch_size=32,
                 schedule=None):
    """Train the regularized ReLU network with Adam on mini-batches.

    It watches the development set as it goes.
    X_train: (n_0, m_train) features (the chapter divides the digits' pixels by 16);
    Y_train: (K, m_train) one-hot labels, K = n_L; X_dev: (n_0, m_dev);
    Y_dev: (K, m_dev) one-hot; layer_sizes: list of int [n_0, ..., n_L]; rng: a
    numpy.random.Generator, the only source of randomness; keep_prob: float in (0, 1],
    1.0 by default (no dropout); lambd: float >= 0, 0.0 by default; learning_rate:
    float, Adam's rate, 0.01 by default; num_epochs: int >= 0, 10 by default;
    batch_size: int >= 1, 32 by default; schedule: None (the default: the same rate
    every epoch) or a function schedule(learning_rate, epoch) -> rate, epoch counted
    from 0, such as chapter 6's step_decay.
    The pieces, in the order the reference uses them (grading judges the accuracy
    reached, so another order of draws is fine):
        params = initialize_he(layer_sizes, rng)
        state = initialize_optimizer_state(params, "adam"), once, before epoch 0
        for epoch = 0, ..., num_epochs - 1:
            rate = learning_rate if schedule is None
                   else schedule(learning_rate, epoch)
            for every (X_batch, Y_batch) of
                    random_mini_batches(X_train, Y_train, batch_size, rng):
                grads = regularized_gradients(params, X_batch, Y_batch,
                                              keep_prob, lambd, rng)
                params, state = adam_update(params, grads, state, rate)
                    (with the default betas and eps)
            then record the accuracies of the epoch's params, at test time (no
            dropout): the fraction of the examples whose largest logit is in the row
            of their class, on the training set and on the development set.
    Returns a tuple (params, history): params the trained parameters, a dict with keys
    "W1", "b1", ..., "WL", "bL" shaped by layer_sizes; history a dict with keys
    "train_accuracy" and "dev_accuracy", each a list of num_epochs floats in [0, 1],
    entry e measured after epoch e. No argument is modified (rng advances).
    """
    def accuracy(X, Y):
        L = len(params) // 2
        A = X
        for l in range(1, L):
            A = np.maximum(0.0, params[f"W{l}"] @ A + params[f"b{l}"])
        ZL = params[f"W{L}"] @ A + params[f"b{L}"]
        return float(np.mean(np.argmax(ZL, axis=0) == np.argmax(Y, axis=0)))

    params = initialize_he(layer_sizes, rng)
    state = initialize_optimizer_state(params, "adam")
    history = {"train_accuracy": [], "dev_accuracy": []}
    for epoch in range(num_epochs):
        rate = learning_rate if schedule is None else schedule(learning_rate, epoch)
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, batch_size, rng):
            grads = regularized_gradients(params, X_batch, Y_batch, keep_prob, lambd, rng)
            params, state = adam_update(params, grads, state, rate)
        history["train_accuracy"].append(accuracy(X_train, Y_train))
        history["dev_accuracy"].append(accuracy(X_dev, Y_dev))
    return params, history


def logits_at_test_time(X, params):
    """The logits Z_L: (K, m) of the network at test time, every unit on (not graded)."""
    L = len(params) // 2
    A = X
    for l in range(1, L):
        A = np.maximum(0.0, params[f"W{l}"] @ A + params[f"b{l}"])
    return params[f"W{L}"] @ A + params[f"b{L}"]


def predict_digits(X, params):
    """The class the trained network gives every example, at test time (not graded).

    X: (n_0, m); params: dict {"W1", "b1", ..., "WL", "bL"}. Returns labels: (1, m) int64, the
    row of the largest logit of every column (the smallest on a tie).
    """
    return np.argmax(logits_at_test_time(X, params), axis=0).astype(np.int64).reshape(1, -1)


def regularized_cost(params, X, Y, lambd):
    """The regularized cost of the test-time network on (X, Y) (not graded).

    X: (n_0, m); Y: (K, m) one-hot. Returns cross_entropy_from_logits(Z_L, Y) plus the L2
    term of l2_regularization(params, lambd, m), a float.
    """
    return cross_entropy_from_logits(logits_at_test_time(X, params), Y) + l2_regularization(params, lambd, X.shape[1])[0]
