"""Figures the chapters share. Every function takes data that is already computed and draws it.

Conventions: points are columns, ``X: (2, m)``; labels ``y: (m,)`` or ``(1, m)`` in {0, 1};
class 1 is blue circles, class 0 orange squares, and shaded regions use light versions of
the same colours. Functions named ``draw_*`` draw on a given Axes; the others make a
Figure and return it. ``show(fig, alt)`` displays a finished figure with alt text the
notebook computed (the book puts it on the image, see ``_ext/figure_alt.py``).
"""
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.colors import ListedColormap
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

CLASS_COLOR = {0: "#e66100", 1: "#1f6fb4"}
CLASS_MARKER = {0: "s", 1: "o"}
REGION_CMAP = ListedColormap(["#fde0c5", "#d3e4f3"])  # light class-0, light class-1
BACKWARD_COLOR = "#c0392b"


def show(fig, alt):
    """Display ``fig`` with the alt text ``alt`` in the output's metadata, then close it."""
    display(fig, metadata={"image/png": {"alt": alt}})
    plt.close(fig)


def label_log_axis(axis):
    """Ticks and labels at 1, 2 and 5 times every power of ten, so that an axis spanning less
    than a decade still has labelled ticks (matplotlib labels only the powers themselves)."""
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_locator(LogLocator(base=10, subs=np.arange(1, 10)))
    axis.set_minor_formatter(NullFormatter())


def digit_grid(images, titles, ncols=10, suptitle=None, size=1.0):
    """A grid of grey-scale images, ``size`` inches wide each. images: (k, h, w, 1); titles: k strings."""
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, (size + 0.15) * nrows + 0.4), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, image, title in zip(axes.ravel(), images, titles):
        ax.imshow(np.squeeze(image), cmap="gray_r", vmin=0, vmax=16)
        ax.set_title(title, fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def flattening(image, X, index):
    """One image, the same image as a column of pixel values, and the matrix X it sits in.

    image: (h, w, 1) pixel values 0..16; X: (n_x, m) with the flattened image at column ``index``.
    """
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 0.6, 6]})
    height, width, channels = image.shape
    axes[0].imshow(image[..., 0], cmap="gray_r", vmin=0, vmax=16)
    axes[0].set_title(f"image {index}: {height} x {width} x {channels}")
    axes[0].set_xlabel("column")
    axes[0].set_ylabel("row")
    axes[1].imshow(X[:, [index]], cmap="gray_r", vmin=0, vmax=16, aspect="auto", interpolation="nearest")
    axes[1].set_title(f"x ({X.shape[0]}, 1)")
    axes[1].set_xticks([])
    axes[1].set_ylabel("feature index j (row-major)")
    shown = axes[2].imshow(X, cmap="gray_r", vmin=0, vmax=16, aspect="auto", interpolation="nearest")
    axes[2].add_patch(Rectangle((index - 0.5, -0.5), 1, X.shape[0], fill=False, ec=CLASS_COLOR[1], lw=2))
    axes[2].set_title(f"X ({X.shape[0]}, {X.shape[1]}): one example a column; column {index} framed")
    axes[2].set_xlabel("example i")
    axes[2].set_ylabel("feature j")
    fig.colorbar(shown, ax=axes[2], label="pixel value (0 to 16)")
    fig.tight_layout()
    return fig


def draw_points(ax, X, y, names=("0", "1"), size=60):
    """Scatter X: (2, m) coloured by y in {0, 1}; names label class 0 and class 1 in the legend."""
    y = np.asarray(y).ravel()
    for label in (1, 0):
        keep = y == label
        ax.scatter(X[0, keep], X[1, keep], s=size, c=CLASS_COLOR[label], marker=CLASS_MARKER[label],
                   edgecolors="black", linewidths=0.6, label=names[label], zorder=3)


def draw_line(ax, w, b, **style):
    """The line w[0] x1 + w[1] x2 + b = 0 across the Axes' current limits (nothing if w = 0)."""
    w1, w2 = np.ravel(w)
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
    style = {"color": "black", "lw": 2, **style}
    if abs(w2) >= abs(w1) and w2 != 0:
        x1 = np.array([x_lo, x_hi])
        ax.plot(x1, -(w1 * x1 + b) / w2, **style)
    elif w1 != 0:
        x2 = np.array([y_lo, y_hi])
        ax.plot(-(w2 * x2 + b) / w1, x2, **style)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)


def draw_region(ax, classify, xlim, ylim, resolution=200):
    """Shade where ``classify`` says 1 (light blue) or 0 (light orange).

    classify: function from points P: (2, k) to (1, k) (or (k,)) outputs in {0, 1}.
    """
    x1, x2, P = _grid(xlim, ylim, resolution)
    _shade(ax, np.asarray(classify(P)).reshape(x1.shape), xlim, ylim)


def draw_gate(ax, X, y, w, b, classify, title, lim=(-0.5, 1.5)):
    """The four inputs of a gate coloured by the truth table y, and the perceptron (w, b).

    X: (2, 4) inputs; y: (4,) desired outputs; classify: P: (2, k) -> (1, k), the
    perceptron's outputs, used to shade its two half-planes and to ring the inputs it
    answers wrongly.
    """
    y = np.asarray(y).ravel()
    wrong = np.asarray(classify(X)).ravel() != y
    draw_region(ax, classify, lim, lim)
    draw_line(ax, w, b)
    draw_points(ax, X, y, names=("desired output 0", "desired output 1"), size=110)
    # Drawn even when empty, so every panel's legend has the same entries.
    ax.scatter(X[0, wrong], X[1, wrong], s=420, facecolors="none", edgecolors=BACKWARD_COLOR,
               linewidths=2, label="answered wrongly", zorder=4)
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])


def draw_curves(ax, x, curves, xlabel, ylabel, title, logy=False, styles=None):
    """Several y(x) curves sharing x. curves: {legend label: y values, same length as x}."""
    styles = styles or {}
    for label, values in curves.items():
        ax.plot(x, values, label=label, **styles.get(label, {}))
    if logy:
        ax.set_yscale("log")
        low, high = ax.get_ylim()
        if high / low < 1e3:   # fewer than three decades: label 1, 2, 5 of each
            label_log_axis(ax.yaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if len(curves) > 1:
        ax.legend()


def draw_cost_contours(ax, w_grid, b_grid, J, title, xlabel="weight w", ylabel="bias b", levels=20):
    """Level sets of a cost J: (len(b_grid), len(w_grid)) over a (w, b) grid, with the grid's minimum."""
    ax.contour(w_grid, b_grid, J, levels=levels, cmap="viridis", linewidths=0.8)
    row, col = np.unravel_index(np.argmin(J), J.shape)
    ax.plot(w_grid[col], b_grid[row], marker="*", color="black", ms=12, ls="none", label="minimum")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def draw_path(ax, path, label=None, color=BACKWARD_COLOR, window=None):
    """A sequence of parameter points path: (k, 2), as a line with dots, from a hollow start.

    window: optional ((x_lo, x_hi), (y_lo, y_hi)). Points outside it are not drawn, nor
    the steps leading to or from them, so a path that jumps off the map leaves no streaks
    across it. Returns the number of points outside the window (0 without one).
    """
    path = np.asarray(path, dtype=float)
    inside = np.ones(len(path), dtype=bool)
    if window is not None:
        (x_lo, x_hi), (y_lo, y_hi) = window
        inside = ((path[:, 0] >= x_lo) & (path[:, 0] <= x_hi)
                  & (path[:, 1] >= y_lo) & (path[:, 1] <= y_hi))
    shown = np.where(inside[:, None], path, np.nan)   # NaN breaks the line at every gap
    ax.plot(shown[:, 0], shown[:, 1], "-o", color=color, ms=2.5, lw=1, label=label)
    ax.plot(path[0, 0], path[0, 1], "o", mfc="white", mec=color, ms=7)
    if window is not None:
        ax.set_xlim(*window[0])
        ax.set_ylim(*window[1])
    return int(np.sum(~inside))


def draw_weight_image(ax, w, shape, title):
    """A weight vector w: (n_x, 1) shown as an image of ``shape``; red pushes to class 0, blue to 1."""
    limit = np.abs(w).max()
    shown = ax.imshow(np.reshape(w, shape), cmap="RdBu", vmin=-limit, vmax=limit)
    ax.set_title(title)
    ax.set_xlabel("pixel column")
    ax.set_ylabel("pixel row")
    ax.figure.colorbar(shown, ax=ax, label="weight", shrink=0.8)


def draw_graph(ax, nodes, edges):
    """A diagram of boxes and arrows.

    nodes: {key: (x, y, text)}; edges: list of (from key, to key, options) where options may
    hold "label" (text beside the arrow), "color", "style" ("-" or "--"), "bend" (arc
    radius, 0 for straight) and "label_offset" (dx, dy from the arrow's middle).
    """
    boxes = {}
    for key, (x, y, text) in nodes.items():
        label = ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=2,
                        bbox=dict(boxstyle="round,pad=0.45", fc="white", ec="black"))
        boxes[key] = label.get_bbox_patch()
    for start, end, options in edges:
        (x0, y0, _), (x1, y1, _) = nodes[start], nodes[end]
        color = options.get("color", "black")
        # Clipped to the boxes, so every arrow head ends on a box's edge; drawn after the boxes
        # (higher zorder) because a box's outline is only placed when its text is drawn.
        arrow = FancyArrowPatch((x0, y0), (x1, y1), patchA=boxes[start], patchB=boxes[end],
                                arrowstyle="-|>", mutation_scale=14, color=color, lw=1.4,
                                linestyle=options.get("style", "-"), shrinkA=3, shrinkB=3,
                                connectionstyle=f"arc3,rad={options.get('bend', 0.0)}", zorder=3)
        ax.add_patch(arrow)
        if "label" in options:
            dx, dy = options.get("label_offset", (0.0, 0.25))
            ax.text((x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy, options["label"], ha="center", va="center",
                    color=color, fontsize=10)
    xs = [x for x, _, _ in nodes.values()]
    ys = [y for _, y, _ in nodes.values()]
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 1.2)
    ax.axis("off")


def draw_probability_map(ax, probability, xlim, ylim, levels=(0.1, 0.5, 0.9), resolution=200):
    """Shade where a model's probability exceeds 0.5 and draw labelled level lines of it.

    probability: function from points P: (2, k) to (1, k) values a = P(y = 1 | x) in [0, 1].
    The level a = 0.5 (the decision boundary) is drawn solid, the others dashed.
    """
    x1, x2, P = _grid(xlim, ylim, resolution)
    A = np.asarray(probability(P)).reshape(x1.shape)
    _shade(ax, A > 0.5, xlim, ylim)
    styles = ["-" if level == 0.5 else "--" for level in levels]
    lines = ax.contour(x1, x2, A, levels=list(levels), colors="black", linestyles=styles,
                       linewidths=[2 if level == 0.5 else 1 for level in levels])
    ax.clabel(lines, fmt={level: f"a = {level:g}" for level in levels}, fontsize=8)


def _grid(xlim, ylim, resolution):
    """Grid coordinates x1, x2: (resolution, resolution) and the same points as columns P: (2, k)."""
    x1, x2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    return x1, x2, np.vstack([x1.ravel(), x2.ravel()])


def _shade(ax, outputs, xlim, ylim):
    """Light blue where outputs (a grid of 0/1 or booleans, rows along x2) are 1, light orange elsewhere."""
    ax.imshow(np.asarray(outputs, dtype=float), extent=(*xlim, *ylim), origin="lower", cmap=REGION_CMAP,
              vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
