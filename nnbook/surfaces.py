"""Cost surfaces of two parameters, to race optimizers on, and the pictures of a race.

A surface is a cost f(x, y) with its gradient, a start and its lowest value. An optimizer
is any update(params, grads, state, learning_rate) -> (params, state) on the dict
params = {"p": array([x, y])} with grads = {"dp": gradient}, the form chapter 6's updates
have; ``descend`` runs one from the surface's start and returns its path.

    BOWL    f = (x^2 + 50 y^2) / 2               an ill-conditioned bowl: curvatures 1 and 50
    SADDLE  f = x^2 / 2 + y^4 / 4 - y^2 / 2      a saddle at (0, 0), minima at (0, +-1)
    VALLEY  f = (1 - x)^2 + 10 (y - x^2)^2       a curved valley (Rosenbrock's, milder), minimum (1, 1)
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.colors import LogNorm

#: A path whose point gets farther than this from the origin has diverged: it stops there.
DIVERGED = 1e6
#: Colours and names of chapter 6's optimizers in every race picture.
OPTIMIZER_STYLE = {
    "sgd": ("#7f7f7f", "gradient descent"),
    "momentum": ("#1f6fb4", "momentum"),
    "rmsprop": ("#e66100", "RMSprop"),
    "adam": ("#2a9d55", "Adam"),
}


@dataclass(frozen=True)
class Surface:
    """A cost of two parameters: f(x, y) and its gradient (both elementwise on arrays).

    start: where a race starts; minima: the points of lowest cost (a tuple of (x, y)),
    lowest: that cost; xlim, ylim: the window a picture shows.
    """

    name: str
    title: str
    f: Callable
    gradient: Callable
    start: tuple
    minima: tuple
    lowest: float
    xlim: tuple
    ylim: tuple

    @property
    def minimum(self):
        """The first point of lowest cost."""
        return self.minima[0]

    def gap(self, points):
        """f - lowest at points: (k, 2) -> (k,), the distance in cost to the minimum."""
        points = np.asarray(points, dtype=np.float64)
        return self.f(points[..., 0], points[..., 1]) - self.lowest


BOWL = Surface(
    "bowl", "ill-conditioned bowl", lambda x, y: 0.5 * (x ** 2 + 50 * y ** 2),
    lambda x, y: (x, 50 * y), start=(-4.0, 1.0), minima=((0.0, 0.0),), lowest=0.0,
    xlim=(-4.5, 1.5), ylim=(-1.5, 1.5))
SADDLE = Surface(
    "saddle", "saddle", lambda x, y: 0.5 * x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2,
    lambda x, y: (x, y ** 3 - y), start=(-2.5, 1e-4), minima=((0.0, 1.0), (0.0, -1.0)), lowest=-0.25,
    xlim=(-3.0, 1.5), ylim=(-1.6, 1.6))
VALLEY = Surface(
    "valley", "curved valley", lambda x, y: (1 - x) ** 2 + 10 * (y - x ** 2) ** 2,
    lambda x, y: (-2 * (1 - x) - 40 * x * (y - x ** 2), 20 * (y - x ** 2)),
    start=(-1.5, 2.0), minima=((1.0, 1.0),), lowest=0.0, xlim=(-2.0, 2.0), ylim=(-1.0, 3.0))
SURFACES = {surface.name: surface for surface in (BOWL, SADDLE, VALLEY)}


def descend(surface, update, state, learning_rate, n_steps):
    """The path of an optimizer from ``surface.start``: (n_steps + 1, 2) points, row k after k steps.

    update(params, grads, state, learning_rate) -> (params, state) on params {"p": (2,)} and
    grads {"dp": (2,)}; state: its initial state. A path that diverges (a point farther than
    DIVERGED from the origin, or not finite) stops: its later rows are nan.
    """
    path = np.full((n_steps + 1, 2), np.nan)
    params = {"p": np.array(surface.start, dtype=np.float64)}
    path[0] = params["p"]
    for k in range(1, n_steps + 1):
        gradient = np.array(surface.gradient(*params["p"]), dtype=np.float64)
        params, state = update(params, {"dp": gradient}, state, learning_rate)
        if not np.all(np.isfinite(params["p"])) or np.max(np.abs(params["p"])) > DIVERGED:
            break
        path[k] = params["p"]
    return path


def steps_to_settle(surface, path, tolerance):
    """The first step k from which f - lowest stays below ``tolerance`` to the end of ``path``,
    or None if the path does not end there (a path that dips below and climbs out again has
    not settled)."""
    with np.errstate(invalid="ignore"):
        close = surface.gap(path) < tolerance
    if not close[-1]:
        return None
    outside = np.flatnonzero(~close)
    return int(outside[-1] + 1) if outside.size else 0


def draw_contours(ax, surface, resolution=200):
    """Filled contours of f - lowest on a log scale over the surface's window, equal aspect,
    and a star at every minimum."""
    x, y = np.meshgrid(np.linspace(*surface.xlim, resolution), np.linspace(*surface.ylim, resolution))
    gap = surface.f(x, y) - surface.lowest
    floor = max(gap.min(), 1e-3)
    levels = np.logspace(np.log10(floor), np.log10(gap.max()), 16)
    ax.contourf(x, y, np.maximum(gap, floor), levels=levels, norm=LogNorm(), cmap="Greys_r", alpha=0.55)
    ax.contour(x, y, np.maximum(gap, floor), levels=levels, norm=LogNorm(), colors="white", linewidths=0.4)
    for point in surface.minima:
        ax.plot(*point, marker="*", color="gold", markersize=14, markeredgecolor="black", zorder=5)
    ax.set(xlim=surface.xlim, ylim=surface.ylim, aspect="equal", xlabel="$x$", ylabel="$y$")


def draw_paths(ax, surface, paths):
    """Each optimizer's path ({name: (k, 2) points}) on the contours, coloured as OPTIMIZER_STYLE."""
    draw_contours(ax, surface)
    ax.plot(*surface.start, marker="o", color="black", markersize=6, zorder=5)
    for name, path in paths.items():
        color, label = OPTIMIZER_STYLE[name]
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.6, marker=".", markersize=3, label=label)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)


def draw_gaps(ax, surface, paths, floor=1e-12):
    """f - lowest against the step for each path, on a log scale from ``floor`` to 100 times
    the starting gap (a path that diverges leaves the top of the plot)."""
    top = 100 * float(surface.gap(np.array([surface.start]))[0])
    for name, path in paths.items():
        color, label = OPTIMIZER_STYLE[name]
        with np.errstate(invalid="ignore"):
            ax.plot(np.clip(surface.gap(path), floor, 10 * top), color=color, lw=1.6, label=label)
    ax.set(yscale="log", xlabel="step", ylabel="cost above the minimum, $f - f_{min}$")
    ax.set_ylim(floor, top)
    ax.grid(alpha=0.3, which="major")


def draw_race(fig, surface, paths, title):
    """The paths on the contour plot (left) and the cost above the minimum against the step (right)."""
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    draw_paths(left, surface, paths)
    left.set_title(title, fontsize=10)
    draw_gaps(right, surface, paths)
    right.set_title("cost above the minimum", fontsize=10)
    fig.tight_layout()
    return left, right
