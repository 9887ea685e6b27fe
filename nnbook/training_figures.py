"""Figures of a small network learning a planar data set: its decision region and its hidden units.

The functions take what training produced (parameters and a forward function) and draw it;
they train nothing themselves.
"""
import numpy as np

from nnbook import plots


def unit_grid(n_units):
    """(rows, columns) of the small panels for ``n_units`` hidden units, at most 4 a row."""
    columns = min(4, n_units)
    return -(-n_units // columns), columns


def draw_network_frame(fig, X, Y, probability, hidden, title, lim=(-1.3, 1.3), resolution=120):
    """The decision region of a network (left) and each first-layer hidden unit (right).

    X: (2, m) points, Y: (1, m) labels; probability: P: (2, k) -> (1, k) outputs in [0, 1];
    hidden: P: (2, k) -> (n_h, k), the first hidden layer's activations, each drawn over
    the same square as a small map with the colour scale of its own range.
    """
    n_units = hidden(np.zeros((2, 1))).shape[0]
    rows, columns = unit_grid(n_units)
    grid = fig.add_gridspec(rows, 2 + columns, width_ratios=[2.2, 2.2] + [1] * columns)
    ax = fig.add_subplot(grid[:, :2])
    plots.draw_probability_map(ax, probability, lim, lim, levels=(0.5,), resolution=resolution)
    plots.draw_points(ax, X, Y, size=12)
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    x1, x2 = np.meshgrid(np.linspace(*lim, resolution // 2), np.linspace(*lim, resolution // 2))
    H = hidden(np.vstack([x1.ravel(), x2.ravel()]))
    for j in range(n_units):
        unit_ax = fig.add_subplot(grid[j // columns, 2 + j % columns])
        unit_ax.imshow(H[j].reshape(x1.shape), extent=(*lim, *lim), origin="lower", cmap="PuOr")
        unit_ax.set_title(f"unit {j + 1}", fontsize=8)
        unit_ax.set_xticks([])
        unit_ax.set_yticks([])
