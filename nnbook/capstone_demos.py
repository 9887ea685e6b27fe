"""Chapter 7's demo: dropout and L2 against the training and development accuracy curves.

The training comes in as an argument (the page passes a function that calls the reference
``train_digits``), so this package holds no copy of an exercise's answer; here are the
settings of the demo's experiment, the precomputed runs and the drawing.
"""
from dataclasses import dataclass

import numpy as np

from nnbook.demos import Demo, Slider

#: The settings the offline player shows: every keep probability with every L2 strength.
KEEP_PROBS = (1.0, 0.8, 0.6, 0.4)
LAMBDAS = (0.0, 0.1, 0.3, 1.0, 3.0)
#: Misclassified development digits drawn beside the curves.
SHOWN_MISTAKES = 6
TRAIN_COLOR = "#1f6fb4"
DEV_COLOR = "#e08214"


@dataclass(frozen=True)
class Run:
    """One training run: accuracies after every epoch, and the final development predictions.

    train_accuracy, dev_accuracy: lists of floats, one an epoch; predicted: (m_dev,) int labels.
    """

    train_accuracy: list
    dev_accuracy: list
    predicted: np.ndarray

    def wrong(self, labels):
        """Indices of the development examples the final network gets wrong."""
        return np.flatnonzero(self.predicted != np.ravel(labels))


def runs(train, keep_probs=KEEP_PROBS, lambdas=LAMBDAS):
    """{(keep_prob, lambd): Run} for every pair, from ``train(keep_prob, lambd) -> Run``."""
    return {(keep_prob, lambd): train(keep_prob, lambd) for keep_prob in keep_probs for lambd in lambdas}


def regularization_explorer(train, precomputed, images_dev, labels_dev):
    """A Demo: keep_prob and lambd in; the curves of training and development accuracy per
    epoch and the development digits the final network gets wrong out. Settings missing from
    ``precomputed`` ({(keep_prob, lambd): Run}) are trained live with ``train`` and kept."""
    cache = dict(precomputed)
    labels = np.ravel(labels_dev)

    def run_for(keep_prob, lambd):
        key = (round(float(keep_prob), 6), round(float(lambd), 6))
        if key not in cache:
            cache[key] = train(*key)
        return cache[key]

    def draw(fig, *, keep_prob, lambd):
        run = run_for(keep_prob, lambd)
        grid = fig.add_gridspec(2, 6, width_ratios=[3, 3, 3, 1, 1, 1], left=0.07, right=0.98, bottom=0.12,
                                top=0.86, wspace=0.35, hspace=0.35)
        curves = fig.add_subplot(grid[:, :3])
        epochs = np.arange(1, len(run.train_accuracy) + 1)
        curves.plot(epochs, run.train_accuracy, color=TRAIN_COLOR, label="training set")
        curves.plot(epochs, run.dev_accuracy, color=DEV_COLOR, label="development set")
        curves.set(xlabel="epoch", ylabel="accuracy (fraction right)", ylim=(0.0, 1.02),
                   title=f"keep_prob = {keep_prob:.1f}, lambda = {lambd:.1f}")
        curves.grid(alpha=0.3)
        curves.legend(loc="lower right")
        wrong = run.wrong(labels)
        for position, index in enumerate(wrong[:SHOWN_MISTAKES]):
            ax = fig.add_subplot(grid[position // 3, 3 + position % 3])
            ax.imshow(images_dev[index, :, :, 0], cmap="gray_r", vmin=0, vmax=16)
            ax.set_title(f"{labels[index]} as {run.predicted[index]}", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
        fig.suptitle("Accuracy per epoch, and development digits it gets wrong (true as predicted)", fontsize=10)
        return (f"keep_prob {keep_prob:.1f}, lambda {lambd:.1f}: final training accuracy "
                f"{run.train_accuracy[-1]:.3f}, development accuracy {run.dev_accuracy[-1]:.3f}; "
                f"{len(wrong)} of {labels.size} development digits wrong")

    finals = {key: (run.train_accuracy[-1], run.dev_accuracy[-1]) for key, run in precomputed.items()}
    plain, strongest = finals[(1.0, 0.0)], finals[(1.0, max(LAMBDAS))]
    return Demo(
        draw,
        controls=[Slider("keep_prob", 0.3, 1.0, 0.1, 1.0, label="keep_prob", fmt=".1f"),
                  Slider("lambd", 0.0, 3.0, 0.1, 0.0, label="lambda", fmt=".1f")],
        tour=[{"keep_prob": k, "lambd": lam} for k in KEEP_PROBS for lam in LAMBDAS],
        start={"keep_prob": 1.0, "lambd": 0.0}, figsize=(10.5, 4.2), offline_dpi=72,
        continuous_update=False,
        alt=f"Training and development accuracy over the epochs for a chosen keep probability and L2 strength, "
            f"beside {SHOWN_MISTAKES} development digits the trained network gets wrong. Without regularization the "
            f"training accuracy ends at {plain[0]:.3f} and the development accuracy at {plain[1]:.3f}; with "
            f"lambda = {max(LAMBDAS):.1f} they end at {strongest[0]:.3f} and {strongest[1]:.3f}.")
