"""Figures of a deep stack of layers: each layer's activations as a histogram, and per-layer curves.

The functions take what a forward (or backward) pass produced and draw it; they compute
nothing about the network themselves. Layers are numbered from 1, as in ``W1``.
"""
import numpy as np

from nnbook import plots

#: The range of values drawn for each activation's outputs (ReLU's is open above: larger
#: values are counted in the last bin).
VALUE_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0)}


def layers_to_draw(L, at_most=8):
    """At most ``at_most`` layer numbers from 1 to L, evenly spread, always 1 and L."""
    return sorted({int(round(l)) for l in np.linspace(1, L, min(L, at_most))})


def draw_layer_histograms(ax, activations, layers, value_range, bins=40, color="C0", positive_only=False):
    """One histogram a layer, stacked upwards (layer ``layers[0]`` at the bottom).

    activations: list of arrays, the activations of the layers drawn (any shape; all entries
    count); layers: their numbers, the y-axis labels; value_range: (low, high) of the x axis.
    Values outside the range are counted in the first or last bin. Each histogram is scaled
    to its own highest bin, so a layer whose values all sit in one bin shows one spike.
    positive_only: leave out the values <= 0 (the zeros of ReLU units, which would dwarf
    the rest).
    """
    edges = np.linspace(*value_range, bins + 1)
    for row, values in enumerate(activations):
        values = np.ravel(values)
        if positive_only:
            values = values[values > 0]
        counts, _ = np.histogram(np.clip(values, *value_range), bins=edges)
        heights = 0.85 * counts / max(counts.max(), 1)
        ax.stairs(row + heights, edges, baseline=row, fill=True, color=color, alpha=0.75)
        ax.axhline(row, color="black", lw=0.4)
    ax.set_yticks(np.arange(len(layers)), [f"layer {l}" for l in layers])
    ax.set_ylim(-0.1, len(layers))
    ax.set_xlim(*value_range)


def draw_layer_curves(ax, curves, ylabel, title, chosen=None):
    """Per-layer values on a log scale, one curve a label: {label: list of L positive values}.

    chosen: the label drawn bold (the others thin); zeros and non-finite values are left out
    (a log axis cannot show them).
    """
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        shown = np.isfinite(values) & (values > 0)
        style = {"lw": 2.6, "zorder": 3} if label == chosen else {"lw": 1.2, "alpha": 0.8}
        ax.plot(np.arange(1, len(values) + 1)[shown], values[shown], "o-", ms=3, label=label, **style)
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    if high / low < 1e3:
        plots.label_log_axis(ax.yaxis)
    ax.set(xlabel="layer l", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3, which="major")


def draw_depth_frame(fig, activations, activation, curves, chosen, title):
    """The demo's frame: each layer's histogram (left) and every scheme's std curve (right).

    activations: [A_1, ..., A_L] of the chosen network; activation: "sigmoid", "tanh" or
    "relu" (sets the histograms' range; ReLU's zeros are left out of them); curves: {scheme: per-layer standard deviations of
    A_l, l = 1, ..., L}, the chosen one drawn bold; title: the figure's title.
    """
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    layers = layers_to_draw(len(activations))
    relu = activation == "relu"
    draw_layer_histograms(left, [activations[l - 1] for l in layers], layers, VALUE_RANGES[activation],
                          positive_only=relu)
    left.set(xlabel="a = relu(z) where a > 0 (the zeros left out)" if relu else f"a = {activation}(z)",
             title="each layer's activations")
    draw_layer_curves(right, curves, "std of the activations A_l", "std by layer", chosen=chosen)
    right.legend(fontsize=7, loc="lower left")
    fig.suptitle(title)
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.14, top=0.84, wspace=0.3)
