"""Chapter 3's two demos: logits -> probabilities, and the round-off of the loss.

The maths comes in as arguments (the page passes the reference ``softmax`` and
``log_softmax``), so this package holds no copy of an exercise's answer; what is computed
here is the naive route the chapter warns against, and the drawing.
"""
import warnings

import numpy as np

from nnbook.demos import Choice, Demo, Slider

CLASS_NAMES = ("class 0", "class 1", "class 2")
TRUE_COLOR = "#1f6fb4"
OTHER_COLOR = "#b8c4ce"
FAIL_COLOR = "#c0392b"

#: The explorer starts from the chapter's worked example.
EXAMPLE_LOGITS = (2.0, 1.0, 0.1)
TEMPERATURES = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 100.0)
#: Logits of the class the tour makes the true one (class 2), raised step by step.
RAISED_LOGITS = (0.1, 1.0, 2.0, 3.0, 4.0, 5.0)


def explorer_tour():
    """The explorer's offline frames: a temperature sweep on the worked example, the same
    logits shifted up and down, the worked example with class 1 as the true class, then
    class 2 as the true class with its logit raised."""
    z0, z1, z2 = EXAMPLE_LOGITS
    tour = [dict(z0=z0, z1=z1, z2=z2, temperature=t, true_class=0) for t in TEMPERATURES]
    tour += [dict(z0=z0 + shift, z1=z1 + shift, z2=z2 + shift, temperature=1.0, true_class=0) for shift in (3.0, -4.0)]
    tour += [dict(z0=z0, z1=z1, z2=z2, temperature=1.0, true_class=1)]
    tour += [dict(z0=z0, z1=z1, z2=z, temperature=1.0, true_class=2) for z in RAISED_LOGITS]
    return tour


def explorer_values(softmax, log_softmax, z0, z1, z2, temperature, true_class):
    """What the explorer shows: probabilities softmax(z / T): (3,) and the loss -log p_y."""
    scaled = np.array([[z0], [z1], [z2]]) / temperature
    p = softmax(scaled, axis=0)[:, 0]
    loss = -float(log_softmax(scaled, axis=0)[true_class, 0])
    return p, loss


def logits_explorer(softmax, log_softmax):
    """A Demo: three logits and a temperature T in, the distribution softmax(z / T) and the
    loss of the chosen true class out (also as the readout under the picture)."""

    def draw(fig, *, z0, z1, z2, temperature, true_class):
        p, loss = explorer_values(softmax, log_softmax, z0, z1, z2, temperature, true_class)
        colors = [TRUE_COLOR if k == true_class else OTHER_COLOR for k in range(3)]
        left, right = fig.subplots(1, 2)
        left.bar(CLASS_NAMES, [z0, z1, z2], color=colors, edgecolor="black")
        left.axhline(0, color="black", lw=0.8)
        left.set(ylim=(-7, 9), ylabel="logit $z_k$", title=f"logits z (temperature T = {temperature:g})")
        bars = right.bar(CLASS_NAMES, p, color=colors, edgecolor="black")
        right.bar_label(bars, fmt="%.3f", fontsize=9)
        right.axhline(1 / 3, color="black", ls="--", lw=1, label="uniform, 1/3")
        right.set(ylim=(0, 1.12), ylabel="probability $p_k$",
                  title=f"softmax(z / T); loss $-\\log p_{true_class}$ = {loss:.3f}")
        right.legend(loc="upper right", fontsize=8)
        for ax in (left, right):
            ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        probabilities = ", ".join(f"{v:.3f}" for v in p)
        return f"p = [{probabilities}], loss of the true class {true_class}: -log p = {loss:.3f}"

    return Demo(
        draw,
        controls=[Slider("z0", -6.0, 6.0, 0.1, EXAMPLE_LOGITS[0], label="logit z0", fmt=".1f"),
                  Slider("z1", -6.0, 6.0, 0.1, EXAMPLE_LOGITS[1], label="logit z1", fmt=".1f"),
                  Slider("z2", -6.0, 6.0, 0.1, EXAMPLE_LOGITS[2], label="logit z2", fmt=".1f"),
                  Slider("temperature", 0.05, 100.0, 0.05, 1.0, label="temperature T", fmt=".3g", log=True),
                  Choice("true_class", [(name, k) for k, name in enumerate(CLASS_NAMES)], 0, label="true class y")],
        tour=explorer_tour(),
        alt="Left: three bars, the logits of classes 0, 1 and 2, the true class in blue. Right: the "
            "probabilities softmax(z / T) as bars labelled with their values, a dashed line at the "
            "uniform 1/3, and the loss -log p_y of the true class in the title.",
        figsize=(8.0, 3.4),
        offline_dpi=85,
    )


#: The round-off demo's logits are scale * ROUNDOFF_PATTERN; the true class has the smallest.
ROUNDOFF_PATTERN = (1.0, 0.0, -1.0)
ROUNDOFF_TRUE_CLASS = 2
ROUNDOFF_SCALES = (1.0, 3.0, 10.0, 30.0, 100.0, 200.0, 300.0, 350.0, 360.0, 370.0, 373.0, 380.0, 500.0, 700.0,
                   709.0, 711.0, 800.0, 1000.0, 2000.0)
#: Where live and offline open: past both thresholds, where only log-softmax is right.
ROUNDOFF_START = 800.0
#: {short name (the readout's): legend label} of the three ways to compute the loss.
ROUTES = {"naive": "naive: exp, normalize, log",
          "softmax, then log": "stable softmax, then log",
          "log-softmax": "log-softmax from the logits"}
ROUTE_STYLES = {"naive": dict(color="#e66100", lw=4, alpha=0.6),
                "softmax, then log": dict(color="#5e3c99", lw=2, ls="--"),
                "log-softmax": dict(color="black", lw=1.2)}


def roundoff_values(softmax, log_softmax, scale):
    """{route: (probabilities (3,), loss of the true class)} for logits scale * ROUNDOFF_PATTERN.

    The naive route may give inf or nan; NumPy's warnings about it are silenced here because
    the figure shows what happened.
    """
    Z = scale * np.array(ROUNDOFF_PATTERN).reshape(3, 1)
    y = ROUNDOFF_TRUE_CLASS
    with warnings.catch_warnings(), np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        E = np.exp(Z)
        naive = E / np.sum(E)
        stable = softmax(Z, axis=0)
        log_p = log_softmax(Z, axis=0)
        return {"naive": (naive[:, 0], -float(np.log(naive[y, 0]))),
                "softmax, then log": (stable[:, 0], -float(np.log(stable[y, 0]))),
                "log-softmax": (np.exp(log_p[:, 0]), -float(log_p[y, 0]))}


def roundoff_explorer(softmax, log_softmax, grid=np.geomspace(1.0, 3000.0, 600)):
    """A Demo: the logit scale s in, the loss of the least likely class computed three ways out."""
    curves = {route: np.array([roundoff_values(softmax, log_softmax, s)[route][1] for s in grid]) for route in ROUTES}
    first_failure = grid[~np.isfinite(curves["softmax, then log"])].min()
    # Where a route's loss is inf or nan it is drawn as a row of ticks above the curves.
    failure_rows = {"naive": 4e4, "softmax, then log": 1.5e4, "log-softmax": 1.5e4}

    def draw(fig, *, scale):
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        for route, label in ROUTES.items():
            losses = curves[route]
            finite = np.isfinite(losses)
            left.plot(grid[finite], losses[finite], label=label, **ROUTE_STYLES[route])
            left.plot(grid[~finite], np.full((~finite).sum(), failure_rows[route]), ls="none", marker="|",
                      color=ROUTE_STYLES[route]["color"], ms=6)
        left.axvline(scale, color="grey", lw=1)
        left.axhspan(1e4, 1e5, color=FAIL_COLOR, alpha=0.08, lw=0)
        left.text(1.2, 2.5e4, "inf or nan", va="center", fontsize=8, color=FAIL_COLOR)
        left.set(xscale="log", yscale="log", xlim=(grid[0], grid[-1]), ylim=(0.5, 1e5),
                 xlabel="logit scale s (logits s, 0, -s)", ylabel="loss $-\\log p_2$ (log scale)",
                 title="loss of the class with logit -s")
        left.legend(loc="lower right", fontsize=8)
        left.grid(alpha=0.3)

        rows = roundoff_values(softmax, log_softmax, scale)
        right.axis("off")
        right.set_title(f"at s = {scale:g}", fontsize=11)
        for row, (route, (p, loss)) in enumerate(rows.items()):
            top = 0.95 - 0.32 * row
            probabilities = ", ".join(f"{v:.3g}" for v in p)
            right.text(0.0, top, ROUTES[route], fontsize=10, weight="bold", transform=right.transAxes)
            right.text(0.0, top - 0.09, f"p = [{probabilities}]", fontsize=10, transform=right.transAxes,
                       color="black" if np.all(np.isfinite(p)) else FAIL_COLOR)
            right.text(0.0, top - 0.18, f"loss = {loss:.6g}", fontsize=10, transform=right.transAxes,
                       color="black" if np.isfinite(loss) else FAIL_COLOR)
        fig.tight_layout()
        losses = ", ".join(f"{route} {loss:.6g}" for route, (_, loss) in rows.items())
        return f"loss of class 2 at s = {scale:g}: {losses}"

    return Demo(
        draw,
        controls=[Slider("scale", 1.0, 3000.0, 0.02, ROUNDOFF_START, label="logit scale s", fmt=".4g", log=True)],
        tour=[{"scale": s} for s in ROUNDOFF_SCALES],
        alt="Left: on log-log axes, the loss of the class with logit -s for logits (s, 0, -s), computed "
            f"three ways, against s from {grid[0]:g} to {grid[-1]:g}; the two routes through probabilities "
            f"stop near s = {first_failure:.0f} and are marked inf beyond it, the log-softmax line goes on "
            "rising. A vertical line marks the chosen s. Right: the probabilities and the loss each route "
            "computes at that s, in red where they are inf or nan.",
        figsize=(9.0, 3.8),
        offline_dpi=90,
        continuous_update=False,
    )
