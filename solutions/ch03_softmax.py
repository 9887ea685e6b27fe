"""Chapter 3: softmax, its cross-entropy computed from logits, and softmax regression.

Notation: K classes, m examples as columns. Logits Z: (K, m), one column of K class
scores per example, so the class axis is axis 0; probabilities P = softmax(Z): (K, m);
integer labels: (1, m) with values 0..K-1; one-hot labels Y: (K, m). Softmax
regression on inputs X: (n_x, m) has W: (K, n_x), b: (K, 1) and Z = W X + b.
Every function leaves its arguments unchanged and returns new arrays.
"""
import numpy as np

__all__ = [
    "softmax", "log_sum_exp", "log_softmax", "one_hot", "cross_entropy_from_logits",
    "cross_entropy_gradient", "binary_cross_entropy_from_logits", "softmax_regression_gradients",
    "predict_classes", "softmax_regression",
]


def softmax(Z, axis=0):
    """Softmax along ``axis``: softmax(Z)_k = exp(Z_k) / sum_j exp(Z_j).

    The sum runs over the entries j of the slice along ``axis``. Z: float array with
    at least one dimension, e.g. logits (K, m); axis: int, the class axis (default 0,
    the book's (K, m) layout; axis=1 for (m, K); negative axes count from the end).
    Returns a float64 array of Z's shape: along ``axis`` every slice is a probability
    distribution (entries in [0, 1] summing to 1). It must stay finite, never inf or
    nan, for logits as large as +-1e3, also when such slices sit next to ordinary ones
    in one batch. Z is not modified.
    """
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - np.max(Z, axis=axis, keepdims=True))
    return E / np.sum(E, axis=axis, keepdims=True)


def log_sum_exp(Z, axis=0):
    """log(sum_j exp(Z_j)) along ``axis``, keeping that axis with length 1.

    Z: float array with at least one dimension; axis: int (default 0, the class axis
    of (K, m)). Returns a float64 array of Z's shape with ``axis`` reduced to length
    1, e.g. (1, m) for Z: (K, m) and axis 0, or (m, 1) for Z: (m, K) and axis 1. It
    must be accurate, not inf or nan, for logits as large as +-1e3:
    log_sum_exp([1000, 1000]) = 1000 + log 2. Z is not modified.
    """
    Z = np.asarray(Z, dtype=np.float64)
    c = np.max(Z, axis=axis, keepdims=True)
    return c + np.log(np.sum(np.exp(Z - c), axis=axis, keepdims=True))


def log_softmax(Z, axis=0):
    """Log of the softmax along ``axis``: log softmax(Z)_k = Z_k - log sum_j exp(Z_j).

    Z: float array with at least one dimension; axis: int (default 0, the class axis
    of (K, m)). Returns a float64 array of Z's shape, every entry <= 0. It must be
    accurate where the probability itself underflows to 0: for Z = [1000, 0, -1000]
    along the axis the result is [0, -1000, -2000], never -inf or nan. Z is not
    modified.
    """
    Z = np.asarray(Z, dtype=np.float64)
    return Z - log_sum_exp(Z, axis=axis)


def one_hot(labels, n_classes):
    """One-hot encoding of integer class labels, one column per example.

    labels: (1, m) integer array with values in 0..n_classes-1 (the layout of
    ``load_digits().Y_train``); n_classes: int K, the number of rows, even if some
    class does not occur in ``labels``. Returns Y: (K, m) float64 with Y[k, i] = 1.0
    where labels[0, i] == k and 0.0 elsewhere, so every column holds exactly one 1.
    labels is not modified.
    """
    labels = np.asarray(labels).reshape(-1)
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def cross_entropy_from_logits(Z, Y):
    """Mean softmax cross-entropy over the examples, computed from the logits.

    Z: (K, m) logits; Y: (K, m) one-hot labels (each column a 0/1 vector with one 1).
    J = -(1/m) sum_i sum_k Y[k, i] log softmax(Z)[k, i]: the average over the m
    examples (columns) of -log of the probability given to each example's true class.
    Summed over classes, averaged over examples, natural log. Returns a float (>= 0).
    It must be finite and accurate for logits as large as +-1e3: a true class with
    logit -1000 next to one with 1000 costs about 2000, not inf. Z and Y are not
    modified.
    """
    m = Z.shape[1]
    return float(-np.sum(Y * log_softmax(Z, axis=0)) / m)


def cross_entropy_gradient(Z, Y):
    """Gradient of ``cross_entropy_from_logits(Z, Y)`` with respect to the logits Z.

    Z: (K, m) logits; Y: (K, m) one-hot labels. Returns dZ: (K, m) float64 with
    dZ[k, i] = dJ / dZ[k, i] = (softmax(Z)[k, i] - Y[k, i]) / m, the 1/m coming from
    the mean over examples in J. Finite for logits as large as +-1e3. Z and Y are not
    modified.
    """
    m = Z.shape[1]
    return (softmax(Z, axis=0) - Y) / m


def binary_cross_entropy_from_logits(Z, Y):
    """Multi-label cross-entropy of independent sigmoid outputs, from the logits.

    Z: (n_labels, m) logits, one independent yes/no output per row; Y: (n_labels, m)
    targets in {0, 1} (any number of 1s per column). With a = sigmoid(z), every entry
    contributes the binary cross-entropy -(y log a + (1 - y) log(1 - a)). Reduction:
    the SUM over the labels (rows) of an example is its loss, and the cost is the MEAN
    of those losses over the m examples (columns): J = (1/m) sum_i sum_l loss[l, i].
    For one label this is chapter 1's cost. Returns a float (>= 0), finite and
    accurate for logits as large as +-1e3 (a wrong answer with logit 1000 costs 1000,
    not inf). Z and Y are not modified.
    """
    m = Z.shape[1]
    return float(np.sum(np.logaddexp(0.0, Z) - Y * Z) / m)


def softmax_regression_gradients(W, b, X, Y):
    """Cost and gradients of softmax regression on one batch.

    W: (K, n_x); b: (K, 1); X: (n_x, m); Y: (K, m) one-hot labels.
    Z = W X + b: (K, m);  J = cross_entropy_from_logits(Z, Y);
    dZ = cross_entropy_gradient(Z, Y);
    dW = dZ X^T: (K, n_x);  db = sum of dZ over the examples (axis 1): (K, 1).
    Returns (grads, cost) with grads = {"dW": dW, "db": db} (float64 arrays) and cost
    a float. The arguments are not modified.
    """
    Z = W @ X + b
    cost = cross_entropy_from_logits(Z, Y)
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": dZ @ X.T, "db": np.sum(dZ, axis=1, keepdims=True)}, cost


def predict_classes(W, b, X):
    """The most probable class of every example under softmax regression.

    W: (K, n_x); b: (K, 1); X: (n_x, m). Returns (1, m) int64 labels: for example i
    the k with the largest softmax(W X + b)[k, i]; on a tie, the smallest such k. The
    arguments are not modified.
    """
    Z = W @ X + b
    return np.argmax(Z, axis=0).astype(np.int64).reshape(1, -1)


def softmax_regression(X_train, labels_train, X_test, labels_test, n_classes=10,
                       num_iterations=200, learning_rate=0.01, record_every=100):
    """Train softmax regression from zeros by batch gradient descent and evaluate it.

    X_train: (n_x, m_train); labels_train: (1, m_train) integer labels 0..n_classes-1;
    X_test: (n_x, m_test); labels_test: (1, m_test). n_classes: K (10 for the digits).
    Starts from W = 0: (K, n_x) and b = 0: (K, 1) (zeros are fine: the cost is
    convex). Each of the num_iterations iterations computes the cost and gradients on
    the whole training set with one-hot labels and steps W <- W - learning_rate * dW,
    b <- b - learning_rate * db. The cost of iteration i is recorded, before its step,
    when i % record_every == 0 (i from 0). Returns a dict with "W": (K, n_x),
    "b": (K, 1), "costs": list of floats (one per recorded iteration), and
    "train_accuracy" and "test_accuracy": floats in [0, 1], the fraction of examples
    whose predicted class equals the label. The arguments are not modified.
    """
    W = np.zeros((n_classes, X_train.shape[0]))
    b = np.zeros((n_classes, 1))
    Y_train = one_hot(labels_train, n_classes)
    costs = []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        W = W - learning_rate * grads["dW"]
        b = b - learning_rate * grads["db"]
    return {
        "W": W,
        "b": b,
        "costs": costs,
        "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
        "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test)),
    }
