"""nnbook.demos: one draw function, shown live with ipywidgets or offline as a JavaScript player."""
import base64
import io
import json
import re

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from nnbook.demos import MAX_FRAMES, OFFLINE_ENV, Demo, Slider


class RecordingDraw:
    """A draw_frame that plots a line of the given slope and remembers every call's values."""

    def __init__(self):
        self.calls = []

    def __call__(self, fig, slope, offset=0.0):
        self.calls.append({"slope": slope, "offset": offset})
        ax = fig.subplots()
        x = np.linspace(-1, 1, 5)
        ax.plot(x, slope * x + offset)
        ax.set_ylim(-3, 3)
        ax.set_title(f"slope {slope:.2f}")


SLIDERS = [Slider("slope", -2.0, 2.0, 0.1, 0.5), Slider("offset", -1.0, 1.0, 0.1, 0.0, label="b")]
TOUR = [{"slope": s, "offset": 0.0} for s in (-2.0, -1.0, 0.0, 1.0, 2.0)]


def make_demo(draw=None, tour=TOUR, sliders=SLIDERS):
    return Demo(draw or RecordingDraw(), sliders=sliders, tour=tour, alt="a line whose slope you choose",
                figsize=(3, 2))


def embedded_frames(html):
    frames = json.loads(re.search(r"var frames = (\[.*?\]);", html).group(1))
    labels = json.loads(re.search(r"var labels = (\[.*?\]);", html).group(1))
    return frames, labels


def png_of(data_uri):
    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    return base64.b64decode(data_uri[len(prefix):])


def test_offline_embeds_one_png_frame_per_tour_stop():
    frames, labels = embedded_frames(make_demo().offline().data)
    assert len(frames) == len(TOUR)
    assert all(png_of(frame).startswith(b"\x89PNG\r\n\x1a\n") for frame in frames)
    assert len(set(frames)) == len(TOUR), "different parameters should give different pictures"
    assert labels[1] == "slope = -1.00, b = 0.00"


def test_offline_player_is_a_range_slider_over_the_frames_that_swaps_the_image():
    html = make_demo().offline().data
    assert 'class="animation' in html
    assert re.search(r'<input type="range" min="0" max="4" step="1" value="0"', html)
    assert "<img " in html and 'alt="a line whose slope you choose"' in html
    assert 'addEventListener("input"' in html and "picture.src = frames[slider.value]" in html


def test_offline_html_needs_no_network_and_is_identical_on_every_build():
    first, second = make_demo().offline().data, make_demo().offline().data
    assert first == second
    assert "http://" not in first and "https://" not in first and "<link" not in first


def test_offline_frames_are_palette_pngs_to_keep_pages_small():
    frames, _ = embedded_frames(make_demo().offline().data)
    image = Image.open(io.BytesIO(png_of(frames[0])))
    assert image.mode == "P"


def test_offline_draws_every_tour_stop_with_the_draw_function():
    draw = RecordingDraw()
    make_demo(draw).offline()
    assert draw.calls == TOUR


def test_live_is_a_box_of_one_slider_per_parameter_and_an_image():
    box = make_demo().live()
    assert isinstance(box, widgets.VBox)
    *controls, picture = box.children
    assert [c.description for c in controls] == ["slope", "b"]
    assert [c.value for c in controls] == [0.5, 0.0]
    assert isinstance(picture, widgets.Image) and bytes(picture.value).startswith(b"\x89PNG")


def test_moving_a_live_slider_redraws_the_image_with_the_new_value():
    draw = RecordingDraw()
    box = make_demo(draw).live()
    slope_slider, offset_slider, picture = box.children
    before = picture.value
    slope_slider.value = -1.5
    assert draw.calls[-1] == {"slope": -1.5, "offset": 0.0}
    assert picture.value != before
    offset_slider.value = 0.7
    assert draw.calls[-1] == {"slope": -1.5, "offset": 0.7}


def test_live_and_offline_use_the_same_draw_function():
    draw = RecordingDraw()
    demo = make_demo(draw)
    assert demo.draw_frame is draw
    demo.live()
    assert draw.calls == [{"slope": 0.5, "offset": 0.0}]
    demo.offline()
    assert draw.calls[1:] == TOUR


def test_log_slider_moves_the_exponent_but_reports_the_value():
    slider = Slider("alpha", 0.001, 10.0, 0.05, 0.1, log=True).widget(continuous_update=False)
    assert isinstance(slider, widgets.FloatLogSlider)
    assert slider.base == 10 and np.isclose(slider.min, -3) and np.isclose(slider.max, 1)
    assert np.isclose(slider.value, 0.1) and slider.continuous_update is False


def test_show_is_offline_when_the_book_build_sets_the_variable(monkeypatch):
    monkeypatch.setenv(OFFLINE_ENV, "1")
    assert 'class="animation' in make_demo().show().data


@pytest.mark.parametrize("value", [None, "0", ""])
def test_show_is_live_otherwise(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(OFFLINE_ENV, raising=False)
    else:
        monkeypatch.setenv(OFFLINE_ENV, value)
    assert isinstance(make_demo().show(), widgets.VBox)


def test_a_tour_longer_than_the_frame_limit_is_refused():
    with pytest.raises(ValueError, match="1 to 25 frames"):
        make_demo(tour=[{"slope": 0.0, "offset": 0.0}] * (MAX_FRAMES + 1))
    with pytest.raises(ValueError):
        make_demo(tour=[])


def test_a_tour_stop_must_set_exactly_the_sliders():
    with pytest.raises(ValueError, match="must give exactly the sliders"):
        make_demo(tour=[{"slope": 1.0}])
