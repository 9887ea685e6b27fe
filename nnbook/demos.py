"""Interactive figures that work with a kernel (live widgets) and without one (the HTML book).

A demo is one draw function and the controls that choose its arguments::

    def draw(fig, activation, z0):            # draws one frame on an empty Figure
        ...
        return f"slope at z0: {d0:.3f}"       # optional: a readout shown under the picture

    demo = Demo(draw,
                controls=[Choice("activation", ["sigmoid", "tanh", ("ReLU", "relu")], "tanh"),
                          Slider("z0", -5.0, 5.0, 0.1, 2.0, label="point z0")],
                tour=[{"activation": a, "z0": z} for a in ("sigmoid", "tanh") for z in (-2.0, 2.0)],
                alt="what the picture shows, for readers who cannot see it",
                start={"activation": "tanh", "z0": 2.0})
    demo.show()

Controls:

- ``Slider(name, min, max, step, value, label="", fmt=".2f", log=False)``: a number; a
  ``FloatSlider`` live (``FloatLogSlider`` with ``log=True``, moving the base-10 exponent).
- ``Choice(name, options, value, label="")``: one of named options, a ``Dropdown`` live and
  one button an option offline. An option is a string (its name and the value passed to the
  draw function) or a ``(name, value)`` pair.

``name`` is the draw function's keyword; ``value`` is where the live control starts.

``Demo.live()`` wires the draw function to ipywidgets (needs a kernel). ``Demo.offline()``
draws every frame of the ``tour`` (at most MAX_FRAMES dicts of control values) in advance
and embeds them in self-contained HTML and JavaScript (no kernel, no network): a frame
slider, step back / play-pause / step forward buttons, one button row a ``Choice`` (a
button jumps to the frame with that option that is closest to the current one in the other
controls), the current values as text and the draw function's readout. The player opens on
the ``start`` frame: a tour index or a dict of values; by default the frame equal to the
controls' start values if the tour has it, else the first. Live and offline use the same
draw function. ``Demo.show()`` picks offline when the environment variable
NNBOOK_OFFLINE_DEMOS is "1" (the book build sets it) and live otherwise.

Every tour frame is one the live controls can reach (values in range, options known), so
whatever the text asks a reader to find in the offline player can be found live too. To
prove the text's instructions, a test can read ``demo.tour``, ``demo.start`` and the readout
``demo.draw(dpi, **values)[1]`` of each frame in Python, or drive the player in a browser.
The offline player's parts carry classes for tests and styling: ``nnbook-demo`` (the
player, with ``data-frame`` the current index), ``nnbook-demo-back``, ``-play``, ``-next``,
the ``input[type=range]``, ``nnbook-demo-choice`` buttons (``aria-pressed``),
``nnbook-demo-label`` (the values) and ``nnbook-demo-readout``.
"""
import base64
import hashlib
import html
import io
import json
import math
import os
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

OFFLINE_ENV = "NNBOOK_OFFLINE_DEMOS"
#: The offline version embeds every frame in the page; these keep a page small.
MAX_FRAMES = 25
PALETTE_COLORS = 128
#: Milliseconds between frames while the offline player plays.
PLAY_INTERVAL_MS = 1200


@dataclass(frozen=True)
class Slider:
    """One number of a demo: name (the draw function's keyword), range, step and start.

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

    def problem(self, value):
        """Why the live slider cannot show ``value``, or None if it can."""
        slack = 1e-9 * max(1.0, abs(self.max - self.min))
        if not self.min - slack <= value <= self.max + slack:
            return f"{self.name} = {value} is outside the slider's range [{self.min}, {self.max}]"
        return None

    def key(self, value):
        """The value as a number the offline player compares frames by."""
        return float(value)

    def same(self, a, b):
        """Whether two values are one setting of this slider (up to rounding)."""
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class Choice:
    """One of named options: name (the draw function's keyword), options and the start value.

    options: sequence of str (shown and passed as is) or of (name shown, value passed) pairs.
    value: the value the live dropdown starts on.
    """

    name: str
    options: Any
    value: Any
    label: str = ""

    def __post_init__(self):
        pairs = tuple(option if isinstance(option, tuple) else (option, option) for option in self.options)
        if not pairs or any(len(pair) != 2 or not isinstance(pair[0], str) for pair in pairs):
            raise ValueError(f"{self.name}: options must be strings or (name, value) pairs")
        object.__setattr__(self, "options", pairs)
        if self.problem(self.value):
            raise ValueError(self.problem(self.value))

    def names(self):
        """The options' names, in order."""
        return [name for name, _ in self.options]

    def index(self, value):
        """The position of ``value`` among the options."""
        for position, (_, option) in enumerate(self.options):
            if option == value:
                return position
        raise ValueError(f"{value!r} is not an option of {self.name}")

    def describe(self, value):
        """The choice and its option as text, e.g. 'activation = tanh'."""
        return f"{self.label or self.name} = {self.options[self.index(value)][0]}"

    def widget(self, continuous_update):
        """An ipywidgets dropdown of the options' names."""
        return widgets.Dropdown(options=list(self.options), value=self.value,
                                description=self.label or self.name,
                                style={"description_width": "initial"})

    def problem(self, value):
        """Why the live dropdown cannot show ``value``, or None if it can."""
        if not any(option == value for _, option in self.options):
            return f"{self.name} = {value!r} is not one of the options {self.names()}"
        return None

    def key(self, value):
        """The option's position, which the offline player compares frames by."""
        return self.index(value)

    def same(self, a, b):
        """Whether two values are the same option."""
        return a == b


class Demo:
    """A figure drawn by ``draw_frame(fig, **values)`` on an empty Figure, chosen by controls.

    controls: list of Slider and Choice (``sliders`` is the older name of this argument);
    tour: list of {control name: value} dicts, the frames the offline version precomputes
    (1 to MAX_FRAMES); alt: text describing the figure; start: the frame the offline player
    opens on (tour index or values dict; default: the controls' start values if the tour
    has them, else the first frame). draw_frame may return a string, shown under the
    picture live and offline (e.g. the numbers a reader is asked to look for).
    """

    def __init__(self, draw_frame, controls=None, tour=None, alt="", figsize=(6.0, 4.0), offline_dpi=70,
                 live_dpi=100, continuous_update=True, *, start=None, sliders=None):
        if (controls is None) == (sliders is None):
            raise ValueError("give the controls once, as controls= (or the older sliders=)")
        controls = list(controls if controls is not None else sliders)
        names = [c.name for c in controls]
        if not tour or len(tour) > MAX_FRAMES:
            raise ValueError(f"a tour needs 1 to {MAX_FRAMES} frames, got {len(tour or [])}")
        for stop in tour:
            if sorted(stop) != sorted(names):
                raise ValueError(f"tour frame {stop} must give exactly the sliders {names}")
            for control in controls:
                if control.problem(stop[control.name]):
                    raise ValueError(f"tour frame {stop}: {control.problem(stop[control.name])}")
        self.draw_frame = draw_frame
        self.controls = controls
        self.tour = [dict(stop) for stop in tour]
        self.alt = alt
        self.figsize = figsize
        self.offline_dpi = offline_dpi
        self.live_dpi = live_dpi
        self.continuous_update = continuous_update
        self.start = self._start_index(start)

    @property
    def sliders(self):
        """The controls (the older name)."""
        return self.controls

    def _start_index(self, start):
        """The tour index of ``start`` (see the class docstring)."""
        if isinstance(start, int) and not isinstance(start, bool):
            if not 0 <= start < len(self.tour):
                raise ValueError(f"start frame {start} is not in a tour of {len(self.tour)} frames")
            return start
        wanted = {c.name: c.value for c in self.controls} if start is None else start
        for index, stop in enumerate(self.tour):
            if sorted(stop) == sorted(wanted) and all(c.same(stop[c.name], wanted[c.name])
                                                      for c in self.controls):
                return index
        if start is None:
            return 0
        raise ValueError(f"start frame {start} is not in the tour")

    def draw(self, dpi, **values):
        """(PNG bytes, readout string or None) of the frame for these control values."""
        fig = Figure(figsize=self.figsize, dpi=dpi)
        FigureCanvasAgg(fig)
        readout = self.draw_frame(fig, **values)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue(), readout

    def render(self, dpi, **values):
        """PNG bytes of the frame ``draw_frame`` draws for these parameter values."""
        return self.draw(dpi, **values)[0]

    def describe(self, values):
        """The control values as text, e.g. 'w1 = 1.00, w2 = 1.00, b = -1.50'."""
        return ", ".join(c.describe(values[c.name]) for c in self.controls)

    def live(self):
        """Widgets and the picture (and readout) they drive, as an ipywidgets VBox (needs a kernel)."""
        inputs = [c.widget(self.continuous_update) for c in self.controls]
        png, readout = self.draw(self.live_dpi, **{c.name: c.value for c in self.controls})
        picture = widgets.Image(value=png, format="png", layout=widgets.Layout(max_width="100%"))
        shown = widgets.HTML(value=html.escape(readout)) if readout is not None else None

        def redraw(_change):
            values = {c.name: i.value for c, i in zip(self.controls, inputs)}
            png, readout = self.draw(self.live_dpi, **values)
            picture.value = png
            if shown is not None:
                shown.value = html.escape(readout or "")

        for control in inputs:
            control.observe(redraw, names="value")
        return widgets.VBox([*inputs, picture] + ([shown] if shown is not None else []))

    def offline(self):
        """The tour's frames in a JavaScript player, as self-contained HTML (no kernel, no network)."""
        drawn = [self.draw(self.offline_dpi, **stop) for stop in self.tour]
        frames = ["data:image/png;base64," + base64.b64encode(_with_palette(png)).decode() for png, _ in drawn]
        readouts = [readout or "" for _, readout in drawn]
        labels = [self.describe(stop) for stop in self.tour]
        # What a choice button compares frames by: each control's value, and how far apart
        # the ends of a slider are (0 for a choice: another option counts as one slider's width).
        keys = [[c.key(stop[c.name]) for c in self.controls] for stop in self.tour]
        spans = [((c.max - c.min) or 1.0) if isinstance(c, Slider) else 0 for c in self.controls]
        # A deterministic id (same frames, same page) keeps rebuilt pages identical.
        digest = hashlib.sha1("".join(frames + labels + readouts).encode()).hexdigest()[:12]
        start = self.start
        readout_style = "margin: 0.2em 0;" if any(readouts) else "display: none;"
        choices = [self._choice_row(i, c) for i, c in enumerate(self.controls) if isinstance(c, Choice)]
        return HTML(_PLAYER.format(
            id="nnbook-demo-" + digest, start=start, position=start + 1, last=len(frames) - 1,
            count=len(frames), first=frames[start], alt=html.escape(self.alt, quote=True),
            label=html.escape(labels[start]), readout=html.escape(readouts[start]),
            readout_style=readout_style, choices="".join(choices), row_style=_ROW_STYLE,
            interval=PLAY_INTERVAL_MS, frames=json.dumps(frames), labels=json.dumps(labels),
            readouts=json.dumps(readouts), keys=json.dumps(keys), spans=json.dumps(spans)))

    def _choice_row(self, position, choice):
        """HTML buttons for the options of ``choice`` that some tour frame has."""
        current = self.tour[self.start][choice.name]
        buttons = [
            f'<button type="button" class="nnbook-demo-choice" data-control="{position}" '
            f'data-option="{index}" aria-pressed="{"true" if value == current else "false"}">'
            f'{html.escape(name)}</button>'
            for index, (name, value) in enumerate(choice.options)
            if any(choice.same(stop[choice.name], value) for stop in self.tour)]
        title = html.escape(choice.label or choice.name)
        return (f'<div role="group" aria-label="{title}" style="{_ROW_STYLE}">'
                f'<span>{title}:</span>{"".join(buttons)}</div>')

    def show(self):
        """The offline player when NNBOOK_OFFLINE_DEMOS=1 (the book build), live widgets otherwise."""
        return self.offline() if os.environ.get(OFFLINE_ENV) == "1" else self.live()


def _with_palette(png):
    """The PNG re-encoded with a palette of PALETTE_COLORS colours: about a quarter of the bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=PALETTE_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


_ROW_STYLE = "display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em; margin: 0.3em 0;"

# The class "animation" marks a frame player for the book's browser test.
_PLAYER = """\
<div class="animation nnbook-demo" id="{id}" data-frame="{start}">
  <img src="{first}" alt="{alt}" style="max-width: 100%; height: auto;">
  <p class="nnbook-demo-label" aria-live="polite" style="margin: 0.2em 0;">{label}</p>
  <p class="nnbook-demo-readout" aria-live="polite" style="{readout_style}">{readout}</p>
  {choices}
  <div style="{row_style}">
    <button type="button" class="nnbook-demo-back" aria-label="previous frame">&#9664; back</button>
    <button type="button" class="nnbook-demo-play" aria-label="play">&#9654; play</button>
    <button type="button" class="nnbook-demo-next" aria-label="next frame">next &#9654;</button>
    <input type="range" min="0" max="{last}" step="1" value="{start}" style="flex: 1 1 8em; max-width: 20em;"
           aria-label="move through the {count} precomputed frames">
    <span class="nnbook-demo-position">frame {position} of {count}</span>
  </div>
</div>
<script>
(function () {{
  var root = document.getElementById("{id}");
  var frames = {frames};
  var labels = {labels};
  var readouts = {readouts};
  var keys = {keys};
  var spans = {spans};
  var slider = root.querySelector("input[type=range]");
  var picture = root.querySelector("img");
  var label = root.querySelector(".nnbook-demo-label");
  var readout = root.querySelector(".nnbook-demo-readout");
  var position = root.querySelector(".nnbook-demo-position");
  var play = root.querySelector(".nnbook-demo-play");
  var choices = root.querySelectorAll(".nnbook-demo-choice");
  var timer = null;
  function show(index) {{
    index = Math.max(0, Math.min(frames.length - 1, index));
    slider.value = index;
    root.setAttribute("data-frame", index);
    picture.src = frames[index];
    label.textContent = labels[index];
    readout.textContent = readouts[index];
    position.textContent = "frame " + (index + 1) + " of " + frames.length;
    choices.forEach(function (button) {{
      var on = keys[index][+button.dataset.control] === +button.dataset.option;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.style.fontWeight = on ? "bold" : "normal";
    }});
  }}
  function stop() {{
    if (timer !== null) {{ clearInterval(timer); timer = null; }}
    play.innerHTML = "&#9654; play";
    play.setAttribute("aria-label", "play");
  }}
  function closest(control, option) {{
    // The frame with this option that differs least from the current one in the other controls.
    var here = keys[+slider.value], best = -1, bestDistance = Infinity;
    keys.forEach(function (key, index) {{
      if (key[control] !== option) return;
      var distance = 0;
      key.forEach(function (value, other) {{
        if (other === control) return;
        distance += spans[other] ? Math.abs(value - here[other]) / spans[other] : (value === here[other] ? 0 : 1);
      }});
      if (distance < bestDistance) {{ best = index; bestDistance = distance; }}
    }});
    return best;
  }}
  slider.addEventListener("input", function () {{ stop(); show(+slider.value); }});
  root.querySelector(".nnbook-demo-back").addEventListener("click", function () {{ stop(); show(+slider.value - 1); }});
  root.querySelector(".nnbook-demo-next").addEventListener("click", function () {{ stop(); show(+slider.value + 1); }});
  choices.forEach(function (button) {{
    button.addEventListener("click", function () {{
      stop();
      show(closest(+button.dataset.control, +button.dataset.option));
    }});
  }});
  play.addEventListener("click", function () {{
    if (timer !== null) {{ stop(); return; }}
    if (+slider.value === frames.length - 1) show(0);
    play.innerHTML = "&#10074;&#10074; pause";
    play.setAttribute("aria-label", "pause");
    timer = setInterval(function () {{
      if (+slider.value >= frames.length - 1) {{ stop(); return; }}
      show(+slider.value + 1);
    }}, {interval});
  }});
  show({start});
}})();
</script>
"""
