"""Interactive figures that work with a kernel (live sliders) and without one (the HTML book).

A demo is one function that draws a frame for given parameter values, plus the sliders
that choose those values. ``Demo.live()`` wires the function to ipywidgets sliders;
``Demo.offline()`` draws a short tour of parameter values in advance and embeds the frames
with a small JavaScript slider, so the static book needs no kernel and no network.
``Demo.show()`` picks offline when the environment variable NNBOOK_OFFLINE_DEMOS is "1"
(the book build sets it) and live otherwise.
"""
import base64
import hashlib
import html
import io
import json
import math
import os
from dataclasses import dataclass

import ipywidgets as widgets
from IPython.display import HTML
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

OFFLINE_ENV = "NNBOOK_OFFLINE_DEMOS"
#: The offline version embeds every frame in the page; these keep a page small.
MAX_FRAMES = 25
PALETTE_COLORS = 128


@dataclass(frozen=True)
class Slider:
    """One parameter of a demo: name (the draw function's keyword), range, step and start.

    With ``log=True`` the live slider moves the base-10 exponent, ``step`` is a step of
    that exponent, and min/max/value are still the parameter's own values.
    """

    name: str
    min: float
    max: float
    step: float
    value: float
    label: str = ""
    fmt: str = ".2f"
    log: bool = False

    def describe(self, value):
        """The parameter and its value as text, e.g. 'b = -1.50'."""
        return f"{self.label or self.name} = {value:{self.fmt}}"

    def widget(self, continuous_update):
        """An ipywidgets slider for this parameter (FloatLogSlider when ``log``)."""
        common = dict(description=self.label or self.name, continuous_update=continuous_update,
                      readout_format=self.fmt, style={"description_width": "initial"})
        if self.log:
            return widgets.FloatLogSlider(value=self.value, base=10, min=math.log10(self.min),
                                          max=math.log10(self.max), step=self.step, **common)
        return widgets.FloatSlider(value=self.value, min=self.min, max=self.max, step=self.step, **common)


class Demo:
    """A figure driven by sliders, drawn by ``draw_frame(fig, **values)`` on an empty Figure.

    sliders: list of Slider; tour: list of {slider name: value} dicts, the frames the
    offline version precomputes (at most MAX_FRAMES); alt: text describing the figure.
    """

    def __init__(self, draw_frame, sliders, tour, alt, figsize=(6.0, 4.0), offline_dpi=70,
                 live_dpi=100, continuous_update=True):
        names = [s.name for s in sliders]
        if not tour or len(tour) > MAX_FRAMES:
            raise ValueError(f"a tour needs 1 to {MAX_FRAMES} frames, got {len(tour)}")
        for stop in tour:
            if sorted(stop) != sorted(names):
                raise ValueError(f"tour frame {stop} must give exactly the sliders {names}")
        self.draw_frame = draw_frame
        self.sliders = list(sliders)
        self.tour = [dict(stop) for stop in tour]
        self.alt = alt
        self.figsize = figsize
        self.offline_dpi = offline_dpi
        self.live_dpi = live_dpi
        self.continuous_update = continuous_update

    def render(self, dpi, **values):
        """PNG bytes of the frame ``draw_frame`` draws for these parameter values."""
        fig = Figure(figsize=self.figsize, dpi=dpi)
        FigureCanvasAgg(fig)
        self.draw_frame(fig, **values)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def describe(self, values):
        """The parameter values as text, e.g. 'w1 = 1.00, w2 = 1.00, b = -1.50'."""
        return ", ".join(s.describe(values[s.name]) for s in self.sliders)

    def live(self):
        """Sliders and the picture they drive, as an ipywidgets VBox (needs a kernel)."""
        controls = [s.widget(self.continuous_update) for s in self.sliders]
        start = {s.name: s.value for s in self.sliders}
        picture = widgets.Image(value=self.render(self.live_dpi, **start), format="png",
                                layout=widgets.Layout(max_width="100%"))

        def redraw(_change):
            values = {s.name: c.value for s, c in zip(self.sliders, controls)}
            picture.value = self.render(self.live_dpi, **values)

        for control in controls:
            control.observe(redraw, names="value")
        return widgets.VBox([*controls, picture])

    def offline(self):
        """The tour's frames with a JavaScript slider, as self-contained HTML (no kernel)."""
        pngs = [_with_palette(self.render(self.offline_dpi, **stop)) for stop in self.tour]
        frames = ["data:image/png;base64," + base64.b64encode(png).decode() for png in pngs]
        labels = [self.describe(stop) for stop in self.tour]
        # A deterministic id (same frames, same page) keeps rebuilt pages identical.
        element_id = "nnbook-demo-" + hashlib.sha1("".join(frames).encode()).hexdigest()[:12]
        return HTML(_PLAYER.format(
            id=element_id, first=frames[0], alt=html.escape(self.alt, quote=True),
            last=len(frames) - 1, label=html.escape(labels[0]),
            frames=json.dumps(frames), labels=json.dumps(labels)))

    def show(self):
        """Offline frames when NNBOOK_OFFLINE_DEMOS=1 (the book build), live sliders otherwise."""
        return self.offline() if os.environ.get(OFFLINE_ENV) == "1" else self.live()


def _with_palette(png):
    """The PNG re-encoded with a palette of PALETTE_COLORS colours: about a quarter of the bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=PALETTE_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# The class "animation" marks a frame player for the book's browser test.
_PLAYER = """\
<div class="animation nnbook-demo" id="{id}">
  <img src="{first}" alt="{alt}" style="max-width: 100%; height: auto;">
  <div style="display: flex; align-items: center; gap: 1em;">
    <input type="range" min="0" max="{last}" step="1" value="0" style="flex: 0 0 40%;"
           aria-label="move through the precomputed frames">
    <span class="nnbook-demo-label">{label}</span>
  </div>
</div>
<script>
(function () {{
  var root = document.getElementById("{id}");
  var frames = {frames};
  var labels = {labels};
  var slider = root.querySelector("input");
  var picture = root.querySelector("img");
  var label = root.querySelector(".nnbook-demo-label");
  slider.addEventListener("input", function () {{
    picture.src = frames[slider.value];
    label.textContent = labels[slider.value];
  }});
}})();
</script>
"""
