"""Grading data of chapter 3 (softmax and multiclass classification): hidden cases, mutants and
correct alternatives.

The book's logits are (K, m), the class axis 0. Every function taking logits is checked on
batches where columns of +-1000 sit next to ordinary columns, on both layouts (axis 0 and
axis 1), on m = 1, on 1-D and 3-D arrays and on seeded random logits; every column maximum in
those cases is nonzero, so a function that shifts the caller's logits in place changes them.
"""
import numpy as np

from autograder.exercises import Case, Check, catalogue
from nnbook.data import load_digits
from solutions.ch03_softmax import (cross_entropy_from_logits, cross_entropy_gradient, log_softmax, log_sum_exp,
                                    one_hot, predict_classes, softmax, softmax_regression_gradients)

MUTANTS, mutant_of = catalogue()
ALTERNATIVES, alternative_of = catalogue()


# Hidden cases: the inputs every graded function is checked on.

#: (2, 6) logits, one example a column: [1000, 1000], [-1000, -1000] and [1000, -1000] among small ones.
TWO_CLASS_BATCH = np.array([[1000.0, 1.0, -1000.0, 0.5, 1000.0, -3.0],
                            [1000.0, 2.0, -1000.0, -0.5, -1000.0, 4.0]])
#: (3, 5) logits: the column [1000, 0, -1000] (and its reverse) next to small ones.
THREE_CLASS_BATCH = np.array([[1000.0, 1.0, 3.0, -2.0, -1000.0],
                              [0.0, 2.0, 3.0, 0.0, 0.0],
                              [-1000.0, 3.0, 3.0, 5.0, 1000.0]])


def logits_cases(seed):
    """Logits every softmax-like function must handle; the default axis is omitted where it is 0."""
    rng = np.random.default_rng(seed)
    yield Case("a 1-D vector of logits [1, 2, 3], default axis", (np.array([1.0, 2.0, 3.0]),))
    yield Case("(2, 6) logits: columns [1000, 1000], [-1000, -1000], [1000, -1000] next to small ones, "
               "default axis 0", (TWO_CLASS_BATCH,))
    yield Case("(3, 5) logits: the column [1000, 0, -1000] next to small ones, axis=0 given",
               (THREE_CLASS_BATCH,), {"axis": 0})
    yield Case("the same logits laid out (m, K) = (5, 3), axis=1", (THREE_CLASS_BATCH.T,), {"axis": 1})
    yield Case("(6, 2) logits with rows of +-1000, axis=-1", (TWO_CLASS_BATCH.T,), {"axis": -1})
    yield Case("m = 1: one column of 10 logits", (rng.normal(3.0, 2.0, size=(10, 1)),))
    yield Case("one class, K = 1: logits (1, 3)", (np.array([[3.0, -1000.0, 1000.0]]),))
    yield Case("square (4, 4) random logits, axis=1", (rng.normal(1.0, 3.0, size=(4, 4)),), {"axis": 1})
    yield Case("3-D (2, 3, 4) random logits of scale 300, axis=1", (rng.normal(0.0, 300.0, size=(2, 3, 4)),),
               {"axis": 1})
    yield Case("random (5, 7) logits of scale 400, default axis", (rng.normal(0.0, 400.0, size=(5, 7)),))
    yield Case("random (10, 9) logits of scale 3, axis=0", (rng.normal(1.0, 3.0, size=(10, 9)),), {"axis": 0})


def softmax_cases():
    yield from logits_cases(301)


def log_sum_exp_cases():
    yield from logits_cases(302)


def log_softmax_cases():
    yield from logits_cases(303)


def one_hot_cases():
    yield Case("labels [[0, 2, 1]], 3 classes", (np.array([[0, 2, 1]]), 3))
    yield Case("labels [[1, 1, 0, 3]], 5 classes (class 2 and class 4 never occur)", (np.array([[1, 1, 0, 3]]), 5))
    yield Case("m = 1: labels [[7]], 10 classes", (np.array([[7]]), 10))
    yield Case("square: labels [[2, 0, 3, 1]], 4 classes", (np.array([[2, 0, 3, 1]]), 4))
    yield Case("one class: labels [[0, 0]], 1 class", (np.array([[0, 0]]), 1))
    yield Case("int32 labels [[9, 0, 4]], 10 classes", (np.array([[9, 0, 4]], dtype=np.int32), 10))
    rng = np.random.default_rng(304)
    yield Case("30 random labels of 10 classes", (rng.integers(0, 10, size=(1, 30)), 10))


def labelled_logits(rng, K, m, scale):
    """Random logits Z: (K, m) of the given scale and one-hot labels Y: (K, m)."""
    Z = rng.normal(0.0, scale, size=(K, m))
    return Z, one_hot(rng.integers(0, K, size=(1, m)), K)


def cross_entropy_cases(seed):
    """Logits with their one-hot labels; true classes with logits -1000, 0 and 1000 next to small ones."""
    yield Case("uniform logits (all 0), K = 4, m = 3: every loss is log 4",
               (np.zeros((4, 3)), one_hot(np.array([[0, 3, 1]]), 4)))
    yield Case("(3, 5) logits with [1000, 0, -1000]; true classes 2, 1, 0, 2, 0 (logit -1000 in the first column)",
               (THREE_CLASS_BATCH, one_hot(np.array([[2, 1, 0, 2, 0]]), 3)))
    yield Case("(2, 6) logits with [1000, 1000], [-1000, -1000] and [1000, -1000]; true classes 0, 1, 1, 0, 1, 1",
               (TWO_CLASS_BATCH, one_hot(np.array([[0, 1, 1, 0, 1, 1]]), 2)))
    rng = np.random.default_rng(seed)
    yield Case("m = 1: one example, 10 classes", labelled_logits(rng, 10, 1, 3.0))
    yield Case("random (10, 20) logits of scale 3", labelled_logits(rng, 10, 20, 3.0))
    yield Case("random (4, 15) logits of scale 300", labelled_logits(rng, 4, 15, 300.0))
    Z, Y = labelled_logits(rng, 5, 5, 2.0)
    yield Case("square (5, 5) logits of scale 2", (Z + 1.0, Y))


def cross_entropy_from_logits_cases():
    yield from cross_entropy_cases(305)


def cross_entropy_gradient_cases():
    yield from cross_entropy_cases(306)


def binary_cross_entropy_cases():
    Z = np.array([[2.0, -1.0, 0.5, 0.0], [-3.0, 4.0, 1.0, -0.5], [0.0, 0.5, -2.0, 3.0]])
    Y = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    yield Case("(3, 4) small logits; columns with none, one, two and three labels", (Z, Y))
    Z = np.array([[1000.0, -1000.0, 1000.0, -1000.0, 2.0], [0.5, 1.0, -1.0, 40.0, -40.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0], [1.0, 0.0, 1.0, 0.0, 1.0]])
    yield Case("(2, 5) logits of +-1000 and +-40, right and wrong, next to small ones", (Z, Y))
    yield Case("one label (1, 4): chapter 1's binary cost",
               (np.array([[3.0, -2.0, 0.0, 1000.0]]), np.array([[1.0, 1.0, 0.0, 0.0]])))
    rng = np.random.default_rng(307)
    yield Case("m = 1: 4 labels of one example", (rng.normal(0, 3.0, size=(4, 1)), np.array([[1.0], [0.0], [1.0], [1.0]])))
    yield Case("random (5, 30) logits of scale 4", (rng.normal(0, 4.0, size=(5, 30)), rng.integers(0, 2, (5, 30)) * 1.0))
    yield Case("random (3, 3) logits of scale 60", (rng.normal(0, 60.0, size=(3, 3)), rng.integers(0, 2, (3, 3)) * 1.0))


def regression_problem(rng, K, n_x, m):
    """W: (K, n_x), b: (K, 1), X: (n_x, m) and one-hot Y: (K, m), all random."""
    W = rng.normal(0.0, 0.5, size=(K, n_x))
    b = rng.normal(0.0, 0.5, size=(K, 1))
    X = rng.normal(0.0, 1.0, size=(n_x, m))
    return W, b, X, one_hot(rng.integers(0, K, size=(1, m)), K)


def softmax_regression_gradients_cases():
    rng = np.random.default_rng(308)
    yield Case("W = 0, b = 0: 3 classes, 2 features, 4 examples",
               (np.zeros((3, 2)), np.zeros((3, 1)), np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, -1.0, 2.0]]),
                one_hot(np.array([[0, 1, 2, 1]]), 3)))
    for K, n_x, m in [(3, 5, 1), (4, 2, 7), (10, 64, 20), (3, 3, 3)]:
        yield Case(f"random W ({K}, {n_x}), b ({K}, 1), X ({n_x}, {m})", regression_problem(rng, K, n_x, m))


def predict_classes_cases():
    X = np.array([[1.0, -1.0, 0.0], [2.0, 0.5, 0.0]])
    yield Case("W = 0, b = 0: every class ties, so class 0", (np.zeros((4, 2)), np.zeros((4, 1)), X))
    W = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    yield Case("a tie between classes 0 and 1 in the first column (the smaller wins)",
               (W, np.array([[0.0], [0.0], [-5.0]]), np.array([[2.0, -1.0], [0.0, 3.0]])))
    yield Case("the bias decides: W = 0, b = [[0], [1], [-1]]", (np.zeros((3, 2)), np.array([[0.0], [1.0], [-1.0]]), X))
    rng = np.random.default_rng(309)
    for K, n_x, m in [(3, 5, 1), (4, 2, 9), (10, 64, 25)]:
        W, b, X, _ = regression_problem(rng, K, n_x, m)
        yield Case(f"random W ({K}, {n_x}), b ({K}, 1), X ({n_x}, {m})", (W, 3.0 * b, X))


def blobs(rng, centers, m_per_class):
    """Points around each center: X: (2, m), labels: (1, m) int64, examples of one class together."""
    X = np.hstack([c.reshape(2, 1) + 0.7 * rng.normal(size=(2, m_per_class)) for c in centers])
    labels = np.repeat(np.arange(len(centers)), m_per_class).reshape(1, -1)
    return X, labels


def softmax_regression_cases():
    rng = np.random.default_rng(310)
    centers = [np.array([0.0, 2.0]), np.array([2.0, -1.0]), np.array([-2.0, -1.0])]
    X_train, labels_train = blobs(rng, centers, 12)
    X_test, labels_test = blobs(rng, centers, 5)
    yield Case("three blobs in the plane, n_classes=3, 20 iterations at learning rate 0.5, record_every=7",
               (X_train, labels_train, X_test, labels_test),
               {"n_classes": 3, "num_iterations": 20, "learning_rate": 0.5, "record_every": 7})
    yield Case("the same blobs with n_classes=4 (class 3 never occurs), 12 iterations at learning rate 0.3",
               (X_train, labels_train, X_test, labels_test, 4, 12, 0.3))
    yield Case("the same blobs with every default (n_classes=10, 200 iterations at learning rate 0.01, "
               "record_every=100)", (X_train, labels_train, X_test, labels_test))
    digits = load_digits()
    yield Case("the first 60 training digits, raw pixels, 20 iterations at learning rate 0.03, record_every=5, "
               "evaluated on the first 90 development digits",
               (digits.X_train[:, :60], digits.Y_train[:, :60], digits.X_dev[:, :90], digits.Y_dev[:, :90]),
               {"num_iterations": 20, "learning_rate": 0.03, "record_every": 5})


CHECKS = {
    "softmax": Check(softmax_cases),
    "log_sum_exp": Check(log_sum_exp_cases),
    "log_softmax": Check(log_softmax_cases),
    "one_hot": Check(one_hot_cases),
    "cross_entropy_from_logits": Check(cross_entropy_from_logits_cases),
    "cross_entropy_gradient": Check(cross_entropy_gradient_cases),
    "binary_cross_entropy_from_logits": Check(binary_cross_entropy_cases),
    "softmax_regression_gradients": Check(softmax_regression_gradients_cases),
    "predict_classes": Check(predict_classes_cases),
    "softmax_regression": Check(softmax_regression_cases),
}


# Mutants: realistic wrong implementations; feedback names the one a student's output matches.
# Most are the classic mistakes of softmax code collected in CS231n's notes on numeric
# stability and in the "from_logits" discussions of the Keras and PyTorch documentation.

@mutant_of("softmax")
def softmax_without_max_subtraction(Z, axis=0):
    """np.exp(1000) overflows to inf and inf / inf is nan: subtract each slice's max along axis before np.exp."""
    E = np.exp(Z)
    return E / np.sum(E, axis=axis, keepdims=True)


@mutant_of("softmax")
def softmax_max_over_last_axis(Z, axis=0):
    """The max is taken over the last axis, not over axis: shifting by a value that differs within a slice changes its softmax."""
    E = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return E / np.sum(E, axis=axis, keepdims=True)


@mutant_of("softmax")
def softmax_global_max(Z, axis=0):
    """Subtracting the max of the whole array underflows every other slice to 0 / 0 = nan: subtract each slice's own max (along axis)."""
    E = np.exp(Z - np.max(Z))
    return E / np.sum(E, axis=axis, keepdims=True)


@mutant_of("softmax")
def softmax_without_keepdims(Z, axis=0):
    """Without keepdims=True the max and the sum lose the axis and broadcast against the wrong one (axis=1 fails): keep it."""
    E = np.exp(Z - np.max(Z, axis=axis))
    return E / np.sum(E, axis=axis)


@mutant_of("softmax")
def softmax_normalized_over_everything(Z, axis=0):
    """The whole array sums to 1, not each slice: divide by the sum along axis (one distribution per example)."""
    E = np.exp(Z - np.max(Z, axis=axis, keepdims=True))
    return E / np.sum(E)


@mutant_of("softmax")
def softmax_ignores_axis(Z, axis=0):
    """The axis argument is ignored (axis 0 is hard-coded): use the axis the caller passes."""
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


@mutant_of("log_sum_exp")
def log_sum_exp_overflows(Z, axis=0):
    """np.exp(1000) overflows to inf: take the max c out first, log sum exp(Z) = c + log sum exp(Z - c)."""
    return np.log(np.sum(np.exp(Z), axis=axis, keepdims=True))


@mutant_of("log_sum_exp")
def log_sum_exp_max_not_added_back(Z, axis=0):
    """After shifting by the max c, add it back: log sum exp(Z) = c + log sum exp(Z - c)."""
    c = np.max(Z, axis=axis, keepdims=True)
    return np.log(np.sum(np.exp(Z - c), axis=axis, keepdims=True))


@mutant_of("log_sum_exp")
def log_sum_exp_shifts_in_place(Z, axis=0):
    """Z -= max shifts the caller's logits in place, and the max read from Z afterwards is 0: compute c first, use Z - c (a new array) and add c back."""
    Z -= np.max(Z, axis=axis, keepdims=True)
    return np.max(Z, axis=axis, keepdims=True) + np.log(np.sum(np.exp(Z), axis=axis, keepdims=True))


@mutant_of("log_sum_exp")
def log_sum_exp_without_keepdims(Z, axis=0):
    """The result must keep the reduced axis with length 1 ((1, m) for (K, m) logits): pass keepdims=True."""
    c = np.max(Z, axis=axis)
    return c + np.log(np.sum(np.exp(Z - np.expand_dims(c, axis)), axis=axis))


@mutant_of("log_sum_exp")
def log_sum_exp_global_max(Z, axis=0):
    """With the max of the whole array, small slices underflow to log(0) = -inf: take the max of each slice along axis."""
    c = np.max(Z)
    return c + np.log(np.sum(np.exp(Z - c), axis=axis, keepdims=True))


@mutant_of("log_softmax")
def log_softmax_log_of_softmax(Z, axis=0):
    """np.log(softmax(Z)) is -inf where a probability underflows to 0 (the logit -1000): compute Z - log_sum_exp(Z) instead."""
    return np.log(softmax(Z, axis=axis))


@mutant_of("log_softmax")
def log_softmax_unshifted(Z, axis=0):
    """log sum exp(Z) computed directly overflows for logits of 1000: use the stable log_sum_exp."""
    return Z - np.log(np.sum(np.exp(Z), axis=axis, keepdims=True))


@mutant_of("log_softmax")
def log_softmax_sign_flipped(Z, axis=0):
    """The sign is flipped: log softmax(Z) = Z - log_sum_exp(Z), which is <= 0."""
    return log_sum_exp(Z, axis=axis) - Z


@mutant_of("log_softmax")
def log_softmax_shift_only(Z, axis=0):
    """Z - max(Z) is only the first step: subtract the whole log sum exp(Z), not just the max."""
    return Z - np.max(Z, axis=axis, keepdims=True)


@mutant_of("log_softmax")
def log_softmax_axis_not_passed_on(Z, axis=0):
    """The axis is not passed on to log_sum_exp, which then reduces axis 0: call log_sum_exp(Z, axis=axis)."""
    return Z - log_sum_exp(Z)


@mutant_of("one_hot")
def one_hot_transposed(labels, n_classes):
    """Y is transposed: it has one row per class and one column per example, shape (n_classes, m)."""
    m = labels.shape[1]
    Y = np.zeros((m, n_classes))
    Y[np.arange(m), labels[0]] = 1.0
    return Y


@mutant_of("one_hot")
def one_hot_classes_from_labels(labels, n_classes):
    """The number of rows is labels.max() + 1, which is too few when the largest class does not occur: use n_classes."""
    K, m = int(labels.max()) + 1, labels.shape[1]
    Y = np.zeros((K, m))
    Y[labels[0], np.arange(m)] = 1.0
    return Y


@mutant_of("one_hot")
def one_hot_off_by_one(labels, n_classes):
    """Labels count from 0, so class k is row k, not row k - 1."""
    m = labels.shape[1]
    Y = np.zeros((n_classes, m))
    Y[labels[0] - 1, np.arange(m)] = 1.0
    return Y


@mutant_of("one_hot")
def one_hot_eye_rows(labels, n_classes):
    """np.eye(n_classes)[labels] has shape (1, m, n_classes): the one-hot vectors must be the columns of an (n_classes, m) array."""
    return np.eye(n_classes)[labels]


@mutant_of("one_hot")
def one_hot_whole_rows(labels, n_classes):
    """Y[labels] = 1 fills whole rows: set one entry per example, Y[labels[0, i], i] = 1."""
    Y = np.zeros((n_classes, labels.shape[1]))
    Y[labels] = 1.0
    return Y


@mutant_of("cross_entropy_from_logits")
def cross_entropy_summed(Z, Y):
    """The cost is summed over the examples: average it, dividing by m."""
    return float(-np.sum(Y * log_softmax(Z, axis=0)))


@mutant_of("cross_entropy_from_logits")
def cross_entropy_log_of_softmax(Z, Y):
    """log(softmax(Z)) is -inf where the true class's probability underflows (logit -1000): use log_softmax(Z), computed from the logits."""
    return float(-np.sum(Y * np.log(softmax(Z, axis=0))) / Z.shape[1])


@mutant_of("cross_entropy_from_logits")
def cross_entropy_mean_over_entries(Z, Y):
    """np.mean over all K * m entries also divides by the number of classes: sum over classes, then average over the m examples."""
    return float(-np.mean(Y * log_softmax(Z, axis=0)))


@mutant_of("cross_entropy_from_logits")
def cross_entropy_sign_missing(Z, Y):
    """The minus sign is missing: the loss is -log p of the true class, which is >= 0."""
    return float(np.sum(Y * log_softmax(Z, axis=0)) / Z.shape[1])


@mutant_of("cross_entropy_from_logits")
def cross_entropy_softmax_over_examples(Z, Y):
    """The softmax runs over the examples (axis 1): the classes of an example are along axis 0."""
    return float(-np.sum(Y * log_softmax(Z, axis=1)) / Z.shape[1])


@mutant_of("cross_entropy_gradient")
def gradient_without_one_over_m(Z, Y):
    """The cost is a mean over examples, so its gradient has a factor 1/m: (softmax(Z) - Y) / m."""
    return softmax(Z, axis=0) - Y


@mutant_of("cross_entropy_gradient")
def gradient_sign_flipped(Z, Y):
    """The sign is flipped: dJ/dZ = (softmax(Z) - Y) / m, probabilities minus labels."""
    return (Y - softmax(Z, axis=0)) / Z.shape[1]


@mutant_of("cross_entropy_gradient")
def gradient_over_all_entries(Z, Y):
    """Dividing by K * m (the size of Z) is too much: the cost averages over the m examples only."""
    return (softmax(Z, axis=0) - Y) / Z.size


@mutant_of("cross_entropy_gradient")
def gradient_softmax_over_examples(Z, Y):
    """The softmax runs over the examples (axis 1): each column's classes are along axis 0."""
    return (softmax(Z, axis=1) - Y) / Z.shape[1]


@mutant_of("cross_entropy_gradient")
def gradient_diagonal_jacobian_only(Z, Y):
    """Only the diagonal of the softmax Jacobian is used (dp_k/dz_k), so wrong classes get 0: with every dp_j/dz_k it is (p - y) / m."""
    P = softmax(Z, axis=0)
    return -Y * (1 - P) / Z.shape[1]


@mutant_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_log_of_sigmoid(Z, Y):
    """log(sigmoid(Z)) and log(1 - sigmoid(Z)) become -inf once the sigmoid rounds to 0 or 1 (|z| of about 40 and more): compute the loss from the logits."""
    A = 1 / (1 + np.exp(-Z))
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Z.shape[1])


@mutant_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_mean_over_entries(Z, Y):
    """np.mean over all n_labels * m entries also divides by the number of labels: sum over the labels of an example, then average over the m examples."""
    return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))


@mutant_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_summed(Z, Y):
    """The cost is summed over the examples too: average the examples' losses, dividing by m."""
    return float(np.sum(np.logaddexp(0.0, Z) - Y * Z))


@mutant_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_one_softmax(Z, Y):
    """One softmax over the labels treats them as exclusive classes: every label is its own yes/no question with its own sigmoid."""
    return cross_entropy_from_logits(Z, Y)


@mutant_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_abs_missing(Z, Y):
    """max(z, 0) - z y + log(1 + exp(-|z|)) needs the absolute value: with exp(-z) it is wrong for every negative z and overflows at -1000."""
    return float(np.sum(np.maximum(Z, 0) - Z * Y + np.log(1 + np.exp(-Z))) / Z.shape[1])


@mutant_of("softmax_regression_gradients")
def gradients_dW_transposed(W, b, X, Y):
    """grads['dW'] must have the shape of W, (K, n_x): it is dZ @ X.T, not X @ dZ.T."""
    Z = W @ X + b
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": X @ dZ.T, "db": np.sum(dZ, axis=1, keepdims=True)}, cross_entropy_from_logits(Z, Y)


@mutant_of("softmax_regression_gradients")
def gradients_db_over_classes(W, b, X, Y):
    """grads['db'] sums dZ over the classes (axis 0): each class has its own bias, so sum over the examples (axis 1), giving (K, 1)."""
    Z = W @ X + b
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": dZ @ X.T, "db": np.sum(dZ, axis=0, keepdims=True)}, cross_entropy_from_logits(Z, Y)


@mutant_of("softmax_regression_gradients")
def gradients_db_flat(W, b, X, Y):
    """grads['db'] has lost its second axis: keep the shape of b, (K, 1), with keepdims=True."""
    Z = W @ X + b
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": dZ @ X.T, "db": np.sum(dZ, axis=1)}, cross_entropy_from_logits(Z, Y)


@mutant_of("softmax_regression_gradients")
def gradients_divided_by_m_twice(W, b, X, Y):
    """dZ from cross_entropy_gradient already holds the 1/m: dividing dW and db by m again makes them m times too small."""
    m = X.shape[1]
    Z = W @ X + b
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": dZ @ X.T / m, "db": np.sum(dZ, axis=1, keepdims=True) / m}, cross_entropy_from_logits(Z, Y)


@mutant_of("softmax_regression_gradients")
def gradients_without_bias(W, b, X, Y):
    """The bias b is missing from the logits: Z = W @ X + b."""
    Z = W @ X
    dZ = cross_entropy_gradient(Z, Y)
    return {"dW": dZ @ X.T, "db": np.sum(dZ, axis=1, keepdims=True)}, cross_entropy_from_logits(Z, Y)


@mutant_of("predict_classes")
def predict_classes_wrong_axis(W, b, X):
    """np.argmax over axis 1 picks an example for every class: the classes of an example are along axis 0."""
    return np.argmax(W @ X + b, axis=1).reshape(1, -1)


@mutant_of("predict_classes")
def predict_classes_flat(W, b, X):
    """The predictions must have shape (1, m), like the labels, not (m,)."""
    return np.argmax(W @ X + b, axis=0)


@mutant_of("predict_classes")
def predict_classes_probabilities(W, b, X):
    """These are the probabilities of every class: return the index of the most probable class, with np.argmax."""
    return softmax(W @ X + b, axis=0)


@mutant_of("predict_classes")
def predict_classes_argmin(W, b, X):
    """np.argmin picks the least probable class: the prediction is the class with the largest logit."""
    return np.argmin(W @ X + b, axis=0).reshape(1, -1)


@mutant_of("predict_classes")
def predict_classes_without_bias(W, b, X):
    """The bias b is missing from the logits: Z = W @ X + b."""
    return np.argmax(W @ X, axis=0).reshape(1, -1)


@mutant_of("softmax_regression")
def softmax_regression_hard_coded_hyperparameters(X_train, labels_train, X_test, labels_test, n_classes=10,
                                                  num_iterations=200, learning_rate=0.01, record_every=100):
    """num_iterations and learning_rate are ignored (200 and 0.01 are hard-coded): use the values the caller passes."""
    W, b = np.zeros((n_classes, X_train.shape[0])), np.zeros((n_classes, 1))
    Y_train, costs = one_hot(labels_train, n_classes), []
    for i in range(200):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        W, b = W - 0.01 * grads["dW"], b - 0.01 * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test))}


@mutant_of("softmax_regression")
def softmax_regression_accuracy_in_percent(X_train, labels_train, X_test, labels_test, n_classes=10,
                                           num_iterations=200, learning_rate=0.01, record_every=100):
    """Accuracies are asked for as fractions in [0, 1], not percentages."""
    W, b = np.zeros((n_classes, X_train.shape[0])), np.zeros((n_classes, 1))
    Y_train, costs = one_hot(labels_train, n_classes), []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        W, b = W - learning_rate * grads["dW"], b - learning_rate * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": 100 * float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": 100 * float(np.mean(predict_classes(W, b, X_test) == labels_test))}


@mutant_of("softmax_regression")
def softmax_regression_trains_on_test_set(X_train, labels_train, X_test, labels_test, n_classes=10,
                                          num_iterations=200, learning_rate=0.01, record_every=100):
    """The model is fit on the test set: train on (X_train, labels_train) and only evaluate on the test set."""
    W, b = np.zeros((n_classes, X_test.shape[0])), np.zeros((n_classes, 1))
    Y_test, costs = one_hot(labels_test, n_classes), []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_test, Y_test)
        if i % record_every == 0:
            costs.append(cost)
        W, b = W - learning_rate * grads["dW"], b - learning_rate * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test))}


@mutant_of("softmax_regression")
def softmax_regression_gradient_ascent(X_train, labels_train, X_test, labels_test, n_classes=10,
                                       num_iterations=200, learning_rate=0.01, record_every=100):
    """The update adds the gradient: gradient descent subtracts it, W <- W - learning_rate * dW."""
    W, b = np.zeros((n_classes, X_train.shape[0])), np.zeros((n_classes, 1))
    Y_train, costs = one_hot(labels_train, n_classes), []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        W, b = W + learning_rate * grads["dW"], b + learning_rate * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test))}


@mutant_of("softmax_regression")
def softmax_regression_classes_from_labels(X_train, labels_train, X_test, labels_test, n_classes=10,
                                           num_iterations=200, learning_rate=0.01, record_every=100):
    """The number of classes is taken from the training labels (max + 1), too few when a class is absent: use n_classes."""
    K = int(labels_train.max()) + 1
    W, b = np.zeros((K, X_train.shape[0])), np.zeros((K, 1))
    Y_train, costs = one_hot(labels_train, K), []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        W, b = W - learning_rate * grads["dW"], b - learning_rate * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test))}


@mutant_of("softmax_regression")
def softmax_regression_records_every_iteration(X_train, labels_train, X_test, labels_test, n_classes=10,
                                               num_iterations=200, learning_rate=0.01, record_every=100):
    """The cost is recorded on every iteration: record it only when i % record_every == 0."""
    W, b = np.zeros((n_classes, X_train.shape[0])), np.zeros((n_classes, 1))
    Y_train, costs = one_hot(labels_train, n_classes), []
    for i in range(num_iterations):
        grads, cost = softmax_regression_gradients(W, b, X_train, Y_train)
        costs.append(cost)
        W, b = W - learning_rate * grads["dW"], b - learning_rate * grads["db"]
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": float(np.mean(predict_classes(W, b, X_train) == labels_train)),
            "test_accuracy": float(np.mean(predict_classes(W, b, X_test) == labels_test))}


# Correct alternatives: written differently from the reference, each must get full marks.

@alternative_of("softmax")
def softmax_from_logaddexp(Z, axis=0):
    """exp(Z - log sum exp(Z)), with the log-sum-exp from np.logaddexp.reduce."""
    Z = np.asarray(Z, dtype=float)
    return np.exp(Z - np.logaddexp.reduce(Z, axis=axis, keepdims=True))


@alternative_of("softmax")
def softmax_one_slice_at_a_time(Z, axis=0):
    """A stable softmax of one vector, applied to every slice along axis."""
    def softmax_of_vector(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    return np.apply_along_axis(softmax_of_vector, axis, np.asarray(Z, dtype=float))


@alternative_of("log_sum_exp")
def log_sum_exp_with_logaddexp(Z, axis=0):
    """NumPy's own pairwise log(exp(a) + exp(b)), reduced along axis."""
    return np.logaddexp.reduce(np.asarray(Z, dtype=float), axis=axis, keepdims=True)


@alternative_of("log_sum_exp")
def log_sum_exp_by_moving_the_axis(Z, axis=0):
    """Move the class axis to the front, reduce over it, and put a length-1 axis back."""
    front = np.moveaxis(np.asarray(Z, dtype=float), axis, 0)
    c = front.max(axis=0)
    result = c + np.log(np.exp(front - c).sum(axis=0))
    return np.expand_dims(result, axis)


@alternative_of("log_softmax")
def log_softmax_shift_then_subtract(Z, axis=0):
    """Shift by the max, then subtract the log of the sum of the shifted exponentials."""
    shifted = Z - np.max(Z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


@alternative_of("log_softmax")
def log_softmax_with_logaddexp(Z, axis=0):
    """Z - log sum exp(Z), with np.logaddexp.reduce."""
    return Z - np.logaddexp.reduce(Z, axis=axis, keepdims=True)


@alternative_of("one_hot")
def one_hot_by_comparison(labels, n_classes):
    """Compare a column of class indices with the row of labels; broadcasting makes (n_classes, m)."""
    return (np.arange(n_classes).reshape(-1, 1) == labels).astype(float)


@alternative_of("one_hot")
def one_hot_from_identity_columns(labels, n_classes):
    """Column k of the identity matrix is the one-hot vector of class k."""
    return np.eye(n_classes)[:, np.ravel(labels)]


@alternative_of("cross_entropy_from_logits")
def cross_entropy_from_log_sum_exp(Z, Y):
    """-log p_y = log sum exp(z) - z_y, averaged over the columns."""
    true_logit = np.sum(Y * Z, axis=0, keepdims=True)
    return float(np.mean(log_sum_exp(Z, axis=0) - true_logit))


@alternative_of("cross_entropy_from_logits")
def cross_entropy_one_example_at_a_time(Z, Y):
    """A loop over the examples, with the true class's index found by np.argmax."""
    m = Z.shape[1]
    total = 0.0
    for i in range(m):
        z = Z[:, i]
        c = z.max()
        total += c + np.log(np.sum(np.exp(z - c))) - z[np.argmax(Y[:, i])]
    return total / m


@alternative_of("cross_entropy_gradient")
def gradient_from_log_softmax(Z, Y):
    """The probabilities as exp(log_softmax(Z)), times 1/m."""
    return (np.exp(log_softmax(Z, axis=0)) - Y) * (1.0 / Z.shape[1])


@alternative_of("cross_entropy_gradient")
def gradient_with_own_softmax(Z, Y):
    """A stable softmax written out, then (P - Y) / m."""
    E = np.exp(Z - Z.max(axis=0))
    return (E / E.sum(axis=0) - Y) / len(Z[0])


@alternative_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_tensorflow_form(Z, Y):
    """max(z, 0) - z y + log(1 + exp(-|z|)), the form in TensorFlow's documentation."""
    losses = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
    return float(np.mean(np.sum(losses, axis=0)))


@alternative_of("binary_cross_entropy_from_logits")
def binary_cross_entropy_from_log_sigmoids(Z, Y):
    """-(y log sigma(z) + (1 - y) log sigma(-z)), with log sigma(z) = -log(1 + exp(-z)) from np.logaddexp."""
    log_a = -np.logaddexp(0, -Z)
    log_one_minus_a = -np.logaddexp(0, Z)
    return float(-np.sum(Y * log_a + (1 - Y) * log_one_minus_a) / Z.shape[1])


@alternative_of("softmax_regression_gradients")
def gradients_with_dot(W, b, X, Y):
    """np.dot, and the probabilities minus the labels written out."""
    m = X.shape[1]
    Z = np.dot(W, X) + b
    dZ = (softmax(Z) - Y) / m
    cost = -np.sum(Y * log_softmax(Z)) / m
    return {"dW": np.dot(dZ, X.T), "db": dZ.sum(axis=1).reshape(-1, 1)}, cost


@alternative_of("softmax_regression_gradients")
def gradients_one_example_at_a_time(W, b, X, Y):
    """Each example's gradient added up in a loop (slow but right)."""
    m = X.shape[1]
    dW, db, cost = np.zeros(W.shape), np.zeros(b.shape), 0.0
    for i in range(m):
        x, y = X[:, i:i + 1], Y[:, i:i + 1]
        z = W @ x + b
        dz = softmax(z) - y
        dW += dz @ x.T / m
        db += dz / m
        cost += -float(np.sum(y * log_softmax(z))) / m
    return {"dW": dW, "db": db}, cost


@alternative_of("predict_classes")
def predict_classes_from_probabilities(W, b, X):
    """The most probable class under softmax, kept as a row with keepdims."""
    return np.argmax(softmax(W @ X + b, axis=0), axis=0, keepdims=True)


@alternative_of("predict_classes")
def predict_classes_one_column_at_a_time(W, b, X):
    """list.index of the largest logit, column by column (index gives the first on a tie)."""
    Z = W @ X + b
    return np.array([[list(column).index(max(column)) for column in Z.T]])


@alternative_of("softmax_regression")
def softmax_regression_from_the_loss_functions(X_train, labels_train, X_test, labels_test, n_classes=10,
                                               num_iterations=200, learning_rate=0.01, record_every=100):
    """The loop written with cross_entropy_from_logits and cross_entropy_gradient directly, in-place updates."""
    W = np.zeros((n_classes, X_train.shape[0]))
    b = np.zeros((n_classes, 1))
    Y = one_hot(labels_train, n_classes)
    costs = []
    for i in range(num_iterations):
        Z = W @ X_train + b
        if i % record_every == 0:
            costs.append(cross_entropy_from_logits(Z, Y))
        dZ = cross_entropy_gradient(Z, Y)
        W -= learning_rate * (dZ @ X_train.T)
        b -= learning_rate * dZ.sum(axis=1, keepdims=True)
    return {"W": W, "b": b, "costs": costs,
            "train_accuracy": np.mean(predict_classes(W, b, X_train) == labels_train),
            "test_accuracy": np.mean(predict_classes(W, b, X_test) == labels_test)}


@alternative_of("softmax_regression")
def softmax_regression_with_while_loop(X_train, labels_train, X_test, labels_test, n_classes=10,
                                       num_iterations=200, learning_rate=0.01, record_every=100):
    """A while loop, with the accuracies counted by hand."""
    params = {"W": np.zeros((n_classes, len(X_train))), "b": np.zeros((n_classes, 1))}
    Y_train = one_hot(labels_train, n_classes)
    costs, i = [], 0
    while i < num_iterations:
        grads, cost = softmax_regression_gradients(params["W"], params["b"], X_train, Y_train)
        if i % record_every == 0:
            costs.append(cost)
        params = {"W": params["W"] - learning_rate * grads["dW"], "b": params["b"] - learning_rate * grads["db"]}
        i += 1
    right_train = np.sum(predict_classes(params["W"], params["b"], X_train) == labels_train)
    right_test = np.sum(predict_classes(params["W"], params["b"], X_test) == labels_test)
    return {**params, "costs": costs, "train_accuracy": right_train / labels_train.shape[1],
            "test_accuracy": right_test / labels_test.shape[1]}
