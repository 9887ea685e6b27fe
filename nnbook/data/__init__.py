"""The bundled data sets, in the book's layout: examples as columns.

Every loader returns ``X`` with shape ``(n_x, m)`` (one flattened example per column)
and labels ``Y`` with shape ``(1, m)``, the notation the whole book uses.
"""
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: Seed of the one fixed train/development/test split, so every chapter and the grader agree.
SPLIT_SEED = 0
#: Fractions of all examples held out: the test set (used once, at the end of a chapter) and
#: the development set (every choice of learning rate, activation, ... is made on it).
TEST_FRACTION = 0.25
DEV_FRACTION = 0.15


@dataclass(frozen=True)
class Split:
    """A train/development/test split of one data set.

    X_*: (n_x, m_*) float64; Y_*: (1, m_*); images_*: (m_*, h, w, c). Fit on train, choose on
    dev (hyperparameters, models), and report on test once.
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    images_train: np.ndarray
    images_dev: np.ndarray
    images_test: np.ndarray


def load_digit_images():
    """All 1,797 digits. Returns images: (m, 8, 8, 1) uint8 in 0..16 and labels: (m,) uint8."""
    with resources.files(__package__).joinpath("digits.npz").open("rb") as f:
        data = np.load(f)
        images, labels = data["images"], data["labels"]
    return images[..., np.newaxis], labels


def flatten_images(images):
    """Stack images as columns. images: (m, h, w, c) -> X: (h*w*c, m) float64."""
    return images.reshape(images.shape[0], -1).T.astype(np.float64)


def _split(images, targets):
    rng = np.random.default_rng(SPLIT_SEED)
    order = rng.permutation(images.shape[0])
    n_test = int(round(TEST_FRACTION * images.shape[0]))
    n_dev = int(round(DEV_FRACTION * images.shape[0]))
    test, dev, train = order[:n_test], order[n_test:n_test + n_dev], order[n_test + n_dev:]
    return Split(
        X_train=flatten_images(images[train]), Y_train=targets[:, train],
        X_dev=flatten_images(images[dev]), Y_dev=targets[:, dev],
        X_test=flatten_images(images[test]), Y_test=targets[:, test],
        images_train=images[train], images_dev=images[dev], images_test=images[test],
    )


def load_binary_digits(positive=3, negative=8):
    """The digits ``positive`` (label 1) and ``negative`` (label 0), split train/dev/test.

    Returns a Split with X_*: (64, m_*) raw pixel values in 0..16 and Y_*: (1, m_*) float64 in {0, 1}.
    The default pair, 3 against 8, is hard enough that a linear model makes some mistakes.
    """
    images, labels = load_digit_images()
    keep = (labels == positive) | (labels == negative)
    Y = (labels[keep] == positive).astype(np.float64)[np.newaxis, :]
    return _split(images[keep], Y)


def load_digits():
    """All ten digits for multiclass chapters, split train/dev/test.

    Returns a Split with X_*: (64, m_*) raw pixel values in 0..16 and Y_*: (1, m_*) int64 class labels 0..9.
    """
    images, labels = load_digit_images()
    return _split(images, labels.astype(np.int64)[np.newaxis, :])
