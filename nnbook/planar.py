"""Planar (two-feature) data sets made from a seed, so a picture can show the whole input space.

Points are columns, X: (2, m), labels Y: (1, m) float64 in {0, 1}, as everywhere in the book.
"""
import numpy as np

from nnbook.data import DEV_FRACTION, TEST_FRACTION

XOR_X = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 1.0, 0.0, 1.0]])
XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


def xor():
    """The four XOR inputs as columns, X: (2, 4), and their labels Y: (1, 4) = [[0, 1, 1, 0]]."""
    return XOR_X.copy(), XOR_Y.copy()


def make_spirals(m, seed, turns=1.0, noise=0.08):
    """Two interleaved spiral arms, one a class, that no straight line separates.

    m: number of points; seed: int for np.random.default_rng; turns: how many times each arm
    winds around the centre; noise: standard deviation of the Gaussian jitter added to each
    coordinate. An arm's points lie at radius r in (0, 1] and angle 2 pi turns r (+ pi for
    class 1); r = sqrt(u) with u uniform, so the points are spread evenly over the disc.
    Returns X: (2, m) float64 and Y: (1, m) float64 in {0, 1}.
    """
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 2, size=m)
    radius = np.sqrt(rng.random(m))
    angle = 2 * np.pi * turns * radius + np.pi * label
    X = radius * np.vstack([np.cos(angle), np.sin(angle)]) + noise * rng.normal(size=(2, m))
    return X, label[np.newaxis, :].astype(np.float64)


def split(X, Y):
    """Train / development / test split of (X, Y) by position, in the book's 60/15/25 proportions.

    The points of a generated set are already in random order, so the first 60 per cent
    are the training set, the next 15 the development set and the last 25 the test set.
    Returns (X_train, Y_train, X_dev, Y_dev, X_test, Y_test).
    """
    m = X.shape[1]
    n_test = int(round(TEST_FRACTION * m))
    n_dev = int(round(DEV_FRACTION * m))
    n_train = m - n_dev - n_test
    dev_end = n_train + n_dev
    return (X[:, :n_train], Y[:, :n_train], X[:, n_train:dev_end], Y[:, n_train:dev_end],
            X[:, dev_end:], Y[:, dev_end:])
