"""nnbook.demos: one draw function, shown live with ipywidgets or offline as a JavaScript player."""
import base64
import io
import json
import re

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnbook.demos import MAX_FRAMES, OFFLINE_ENV, Choice, Demo, Slider
from tests.test_book_in_browser import CHROMIUM, CHROMIUM_ARGS


class RecordingDraw:
    """A draw_frame that plots a line of the given slope and remembers every call's values."""

    def __init__(self, readout=False):
        self.calls = []
        self.readout = readout

    def __call__(self, fig, slope, offset=0.0):
        self.calls.append({"slope": slope, "offset": offset})
        ax = fig.subplots()
        x = np.linspace(-1, 1, 5)
        ax.plot(x, slope * x + offset)
        ax.set_ylim(-3, 3)
        ax.set_title(f"slope {slope:.2f}")
        return f"y(1) = {slope + offset:.2f}" if self.readout else None


class ShapeDraw:
    """A draw_frame with a named choice: a curve of the chosen shape, shifted by z0."""

    def __init__(self):
        self.calls = []

    def __call__(self, fig, shape, z0):
        self.calls.append({"shape": shape, "z0": z0})
        ax = fig.subplots()
        z = np.linspace(-3, 3, 50)
        ax.plot(z, {"square": z ** 2, "cube": z ** 3, "line": z}[shape] + z0)
        return f"{shape} at z0 = {z0:.1f}"


SLIDERS = [Slider("slope", -2.0, 2.0, 0.1, 0.5), Slider("offset", -1.0, 1.0, 0.1, 0.0, label="b")]
TOUR = [{"slope": s, "offset": 0.0} for s in (-2.0, -1.0, 0.0, 1.0, 2.0)]
SHAPE = Choice("shape", ["square", ("cubic", "cube"), "line"], "cube", label="curve")
Z0 = Slider("z0", -2.0, 2.0, 0.5, 1.0, fmt=".1f")
SHAPE_TOUR = [{"shape": shape, "z0": z0} for shape in ("square", "cube") for z0 in (-1.0, 0.0, 1.0)]


def make_demo(draw=None, tour=TOUR, sliders=SLIDERS, **options):
    return Demo(draw or RecordingDraw(), controls=sliders, tour=tour, alt="a line whose slope you choose",
                figsize=(3, 2), **options)


def make_shape_demo(draw=None, **options):
    return Demo(draw or ShapeDraw(), controls=[SHAPE, Z0], tour=SHAPE_TOUR, alt="a curve you choose",
                figsize=(3, 2), **options)


def embedded(html, name):
    return json.loads(re.search(rf"var {name} = (\[.*?\]);\n", html).group(1))


def png_of(data_uri):
    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    return base64.b64decode(data_uri[len(prefix):])


# The offline player's HTML.

def test_offline_embeds_one_png_frame_per_tour_stop():
    html = make_demo().offline().data
    frames, labels = embedded(html, "frames"), embedded(html, "labels")
    assert len(frames) == len(TOUR)
    assert all(png_of(frame).startswith(b"\x89PNG\r\n\x1a\n") for frame in frames)
    assert len(set(frames)) == len(TOUR), "different parameters should give different pictures"
    assert labels[1] == "slope = -1.00, b = 0.00"


def test_offline_player_has_a_frame_slider_and_step_and_play_buttons():
    html = make_demo().offline().data
    assert 'class="animation' in html
    assert re.search(r'<input type="range" min="0" max="4" step="1" value="0"', html)
    assert "<img " in html and 'alt="a line whose slope you choose"' in html
    for part in ("nnbook-demo-back", "nnbook-demo-play", "nnbook-demo-next"):
        assert re.search(rf'<button type="button" class="{part}"', html), part
    assert "frame 1 of 5" in html


def test_offline_html_needs_no_network_and_is_identical_on_every_build():
    first, second = make_shape_demo().offline().data, make_shape_demo().offline().data
    assert first == second
    assert "http://" not in first and "https://" not in first and "<link" not in first
    assert "require(" not in first and "import " not in first


def test_offline_frames_are_palette_pngs_to_keep_pages_small():
    frames = embedded(make_demo().offline().data, "frames")
    image = Image.open(io.BytesIO(png_of(frames[0])))
    assert image.mode == "P"


def test_offline_draws_every_tour_stop_with_the_draw_function():
    draw = RecordingDraw()
    make_demo(draw).offline()
    assert draw.calls == TOUR


def test_the_player_opens_on_the_frame_of_the_controls_start_values_by_default():
    sliders = [Slider("slope", -2.0, 2.0, 0.1, 1.0), SLIDERS[1]]
    demo = make_demo(sliders=sliders)
    assert demo.start == 3
    html = demo.offline().data
    assert 'value="3"' in html and 'data-frame="3"' in html and "slope = 1.00, b = 0.00" in html
    assert embedded(html, "frames")[3] in html.split("<script>")[0], "the visible image is the start frame"


def test_without_a_matching_frame_the_player_opens_on_the_first():
    assert make_demo().start == 0, "slope 0.5 is not in the tour"


@pytest.mark.parametrize("start, index", [(2, 2), ({"slope": 2.0, "offset": 0.0}, 4), (0, 0)])
def test_a_demo_can_name_its_start_frame_by_index_or_values(start, index):
    assert make_demo(start=start).start == index


@pytest.mark.parametrize("start", [5, -1, {"slope": 0.3, "offset": 0.0}, {"slope": 1.0}])
def test_a_start_frame_outside_the_tour_is_refused(start):
    with pytest.raises(ValueError, match="start frame"):
        make_demo(start=start)


def test_a_choice_is_one_button_per_option_offline_the_start_option_pressed():
    html = make_shape_demo(start={"shape": "cube", "z0": 0.0}).offline().data
    buttons = re.findall(r'<button type="button" class="nnbook-demo-choice" data-control="0" '
                         r'data-option="(\d)" aria-pressed="(\w+)">([^<]*)</button>', html)
    assert buttons == [("0", "false", "square"), ("1", "true", "cubic")], "line is in no frame: no button"
    assert 'role="group" aria-label="curve"' in html
    assert embedded(html, "labels")[4] == "curve = cubic, z0 = 0.0"
    assert embedded(html, "keys")[4] == [1, 0.0]


def test_the_draw_functions_readout_is_shown_under_the_offline_picture():
    html = make_demo(RecordingDraw(readout=True), start=3).offline().data
    assert embedded(html, "readouts") == [f"y(1) = {s:.2f}" for s in (-2.0, -1.0, 0.0, 1.0, 2.0)]
    assert re.search(r'<p class="nnbook-demo-readout" aria-live="polite" style="[^"]*">y\(1\) = 1.00</p>', html)


def test_without_a_readout_its_paragraph_is_hidden():
    html = make_demo().offline().data
    assert '<p class="nnbook-demo-readout" aria-live="polite" style="display: none;"></p>' in html


# The live version.

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


def test_a_live_choice_is_a_dropdown_of_named_options_passing_their_values():
    draw = ShapeDraw()
    dropdown, z0_slider, picture, readout = make_shape_demo(draw).live().children
    assert isinstance(dropdown, widgets.Dropdown) and dropdown.description == "curve"
    assert list(dropdown.options) == [("square", "square"), ("cubic", "cube"), ("line", "line")]
    assert dropdown.value == "cube" and draw.calls == [{"shape": "cube", "z0": 1.0}]
    assert isinstance(readout, widgets.HTML) and readout.value == "cube at z0 = 1.0"
    dropdown.value = "line"
    assert draw.calls[-1] == {"shape": "line", "z0": 1.0}, "live reaches options no frame has"
    assert readout.value == "line at z0 = 1.0"


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


# What a demo accepts.

def test_the_older_sliders_argument_still_works():
    demo = Demo(RecordingDraw(), sliders=SLIDERS, tour=TOUR, alt="a line", figsize=(3, 2))
    assert demo.controls == SLIDERS and demo.sliders == SLIDERS
    positional = Demo(RecordingDraw(), SLIDERS, TOUR, "a line", (3, 2))
    assert positional.controls == SLIDERS and positional.alt == "a line"
    with pytest.raises(ValueError, match="once"):
        Demo(RecordingDraw(), controls=SLIDERS, sliders=SLIDERS, tour=TOUR, alt="a line")


def test_a_tour_longer_than_the_frame_limit_is_refused():
    with pytest.raises(ValueError, match="1 to 25 frames"):
        make_demo(tour=[{"slope": 0.0, "offset": 0.0}] * (MAX_FRAMES + 1))
    with pytest.raises(ValueError):
        make_demo(tour=[])


def test_a_tour_stop_must_set_exactly_the_sliders():
    with pytest.raises(ValueError, match="must give exactly the sliders"):
        make_demo(tour=[{"slope": 1.0}])


def test_a_tour_stop_must_be_reachable_by_the_live_controls():
    with pytest.raises(ValueError, match="outside the slider's range"):
        make_demo(tour=[{"slope": 2.5, "offset": 0.0}])
    with pytest.raises(ValueError, match="not one of the options"):
        Demo(ShapeDraw(), controls=[SHAPE, Z0], tour=[{"shape": "circle", "z0": 0.0}], alt="")


def test_a_choice_needs_named_options_and_a_start_among_them():
    with pytest.raises(ValueError, match="not one of the options"):
        Choice("shape", ["square", "cube"], "circle")
    with pytest.raises(ValueError, match="strings or"):
        Choice("shape", [1, 2], 1)
    assert Choice("k", [("one", 1), ("two", 2)], 2).describe(2) == "k = two"


# The offline player's behaviour, in a real browser.

@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.route("**/*", lambda route: route.abort())   # the player needs no request at all
        # Play fast: every interval the player sets runs at 20 ms.
        context.add_init_script("(() => { const set = window.setInterval;"
                                " window.setInterval = (f, ms) => set(f, 20); })()")
        yield context.new_page()
        browser.close()


def load(page, demo):
    page.set_content(f"<html><body>{demo.offline().data}</body></html>")
    return page.locator(".nnbook-demo")


def state(player):
    return {"frame": int(player.get_attribute("data-frame")),
            "range": int(player.locator("input[type=range]").input_value()),
            "label": player.locator(".nnbook-demo-label").inner_text(),
            "readout": player.locator(".nnbook-demo-readout").inner_text(),
            "position": player.locator(".nnbook-demo-position").inner_text(),
            "pressed": [b.inner_text() for b in player.locator(".nnbook-demo-choice[aria-pressed=true]").all()]}


def test_in_a_browser_the_player_opens_on_its_start_frame(page):
    player = load(page, make_shape_demo(start={"shape": "cube", "z0": 0.0}))
    assert state(player) == {"frame": 4, "range": 4, "label": "curve = cubic, z0 = 0.0",
                             "readout": "cube at z0 = 0.0", "position": "frame 5 of 6", "pressed": ["cubic"]}


def test_in_a_browser_the_step_buttons_move_one_frame_and_stop_at_the_ends(page):
    player = load(page, make_shape_demo(start=1))
    player.locator(".nnbook-demo-next").click()
    assert state(player)["label"] == "curve = square, z0 = 1.0"
    player.locator(".nnbook-demo-next").click()
    assert state(player)["frame"] == 3 and state(player)["pressed"] == ["cubic"]
    for _ in range(3):
        player.locator(".nnbook-demo-back").click()
    assert state(player)["frame"] == 0
    player.locator(".nnbook-demo-back").click()
    assert state(player)["frame"] == 0, "back on the first frame stays there"


def test_in_a_browser_a_choice_button_keeps_the_other_values(page):
    player = load(page, make_shape_demo(start={"shape": "cube", "z0": -1.0}))
    player.get_by_role("button", name="square").click()
    assert state(player)["label"] == "curve = square, z0 = -1.0"
    assert state(player)["pressed"] == ["square"]
    player.locator("input[type=range]").fill("2")
    player.get_by_role("button", name="cubic").click()
    assert state(player)["label"] == "curve = cubic, z0 = 1.0"


def test_in_a_browser_play_runs_to_the_last_frame_and_pause_stops_it(page):
    player = load(page, make_shape_demo(start=0))
    play = player.locator(".nnbook-demo-play")
    play.click()
    page.wait_for_function("() => document.querySelector('.nnbook-demo').dataset.frame === '5'")
    page.wait_for_function("() => document.querySelector('.nnbook-demo-play').textContent.includes('play')")
    play.click()  # at the end, play starts over
    page.wait_for_function("() => document.querySelector('.nnbook-demo').dataset.frame !== '5'")
    play.click()  # pause
    frame = state(player)["frame"]
    page.wait_for_timeout(150)
    assert state(player)["frame"] == frame and "play" in play.inner_text()


def test_in_a_browser_the_frame_slider_swaps_the_picture(page):
    player = load(page, make_demo(RecordingDraw(readout=True)))
    before = player.locator("img").get_attribute("src")
    player.locator("input[type=range]").fill("4")
    assert player.locator("img").get_attribute("src") != before
    assert state(player)["readout"] == "y(1) = 2.00" and state(player)["position"] == "frame 5 of 5"


# Chapter 3's demos (nnbook.softmax_demos): what the pages ask a reader to find is in the
# offline tour, and the live controls reach the same frames.

from nnbook.softmax_demos import (EXAMPLE_LOGITS, ROUNDOFF_START, logits_explorer,  # noqa: E402
                                  roundoff_explorer, roundoff_values)
from solutions.ch03_softmax import log_softmax, softmax  # noqa: E402


def explorer_readout(values):
    """(probabilities, loss) parsed from the explorer's readout for these values."""
    text = logits_explorer(softmax, log_softmax).draw_frame(Figure(), **values)
    probabilities = [float(v) for v in re.search(r"p = \[(.*?)\]", text).group(1).split(", ")]
    return np.array(probabilities), float(re.search(r"-log p = ([\d.]+)", text).group(1))


@pytest.fixture(scope="module")
def explorer():
    return logits_explorer(softmax, log_softmax)


def test_the_explorer_opens_on_the_worked_example_at_temperature_1(explorer):
    start = explorer.tour[explorer.start]
    assert (start["z0"], start["z1"], start["z2"]) == EXAMPLE_LOGITS and start["temperature"] == 1.0
    p, loss = explorer_readout(start)
    assert np.allclose(p, [0.659, 0.242, 0.099]) and loss == 0.417


def test_the_explorers_first_eight_frames_sweep_the_temperature_from_one_hot_to_uniform(explorer):
    sweep = explorer.tour[:8]
    assert [f["temperature"] for f in sweep] == [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 100.0]
    assert all((f["z0"], f["z1"], f["z2"], f["true_class"]) == (*EXAMPLE_LOGITS, 0) for f in sweep)
    coldest, hottest = explorer_readout(sweep[0])[0], explorer_readout(sweep[-1])[0]
    assert coldest[0] > 0.99, "almost one-hot at T = 0.1"
    assert np.all(np.abs(hottest - 1 / 3) < 0.01), "almost uniform at T = 100"


def test_the_explorers_shifted_frames_show_the_same_probabilities(explorer):
    shifted = explorer.tour[8:10]
    assert [f["z0"] - EXAMPLE_LOGITS[0] for f in shifted] == [3.0, -4.0]
    for frame in shifted:
        assert np.allclose(explorer_readout(frame)[0], explorer_readout(explorer.tour[explorer.start])[0])


def test_the_class_buttons_give_each_class_its_loss_on_the_worked_example(explorer):
    losses = {}
    for frame in explorer.tour:
        if (frame["z0"], frame["z1"], frame["z2"]) == EXAMPLE_LOGITS and frame["temperature"] == 1.0:
            losses[frame["true_class"]] = explorer_readout(frame)[1]
    assert losses == {0: 0.417, 1: 1.417, 2: 2.317}


def test_raising_the_true_class_lowers_its_loss_below_log_3_once_it_is_largest(explorer):
    raised = explorer.tour[11:]
    assert len(raised) == 6 and all(f["true_class"] == 2 and f["temperature"] == 1.0 for f in raised)
    assert [f["z2"] for f in raised] == [0.1, 1.0, 2.0, 3.0, 4.0, 5.0]
    losses = [explorer_readout(f)[1] for f in raised]
    assert all(a > b for a, b in zip(losses, losses[1:]))
    for frame, loss in zip(raised, losses):
        p2 = explorer_readout(frame)[0][2]
        if frame["z2"] > max(frame["z0"], frame["z1"]):
            assert p2 > 1 / 3 and loss < np.log(3)
        if frame["z2"] < min(frame["z0"], frame["z1"]):
            assert p2 < 1 / 3 and loss > np.log(3)


def test_the_explorers_live_controls_are_three_logits_a_temperature_and_a_class_dropdown(explorer):
    box = explorer.live()
    *inputs, picture, readout = box.children
    assert [i.description for i in inputs] == ["logit z0", "logit z1", "logit z2", "temperature T", "true class y"]
    assert isinstance(inputs[3], widgets.FloatLogSlider) and isinstance(inputs[4], widgets.Dropdown)
    before = readout.value
    inputs[4].value = 2
    assert "true class 2" in readout.value and readout.value != before


def test_the_explorer_offline_has_a_button_per_class(explorer):
    html = explorer.offline().data
    assert len(re.findall(r'class="nnbook-demo-choice"', html)) == 3


@pytest.fixture(scope="module")
def roundoff():
    return roundoff_explorer(softmax, log_softmax)


def roundoff_readout(demo, scale):
    text = demo.draw_frame(Figure(), scale=scale)
    return {name: float(value) for name, value in
            re.findall(r"(naive|softmax, then log|log-softmax) (inf|nan|[\d.e+]+)", text)}


def test_the_roundoff_demo_opens_past_both_thresholds_where_only_log_softmax_is_right(roundoff):
    assert roundoff.tour[roundoff.start] == {"scale": ROUNDOFF_START} == {"scale": 800.0}
    losses = roundoff_readout(roundoff, ROUNDOFF_START)
    assert np.isinf(losses["naive"]) and np.isinf(losses["softmax, then log"]) and losses["log-softmax"] == 1600.0
    assert np.isnan(roundoff_values(softmax, log_softmax, ROUNDOFF_START)["naive"][0][0])


def test_the_roundoff_tour_has_a_frame_for_every_stage_the_page_describes(roundoff):
    scales = [f["scale"] for f in roundoff.tour]
    agree = [s for s in scales if s < 354]
    drift = [s for s in scales if 366 <= s < 372.5]
    gone = [s for s in scales if 372.6 <= s < 709.7]
    nan = [s for s in scales if s > 709.8]
    assert agree and drift and gone and nan and max(scales) >= 2000
    for s in agree:
        losses = roundoff_readout(roundoff, s)
        assert np.isclose(losses["naive"], losses["log-softmax"]) and np.isclose(losses["softmax, then log"],
                                                                                losses["log-softmax"])
    for s in drift:
        losses = roundoff_readout(roundoff, s)
        assert np.isfinite(losses["softmax, then log"]) and losses["softmax, then log"] != losses["log-softmax"]
    for s in gone + nan:
        assert np.isinf(roundoff_readout(roundoff, s)["softmax, then log"])
    for s in nan:
        assert np.isnan(roundoff_values(softmax, log_softmax, s)["naive"][0][0])
    for s in scales:
        assert np.isclose(roundoff_readout(roundoff, s)["log-softmax"], 2 * s, rtol=1e-5, atol=0.5)


def test_the_roundoff_alt_text_names_the_threshold_from_the_data(roundoff):
    threshold = float(re.search(r"stop near s = (\d+)", roundoff.alt).group(1))
    assert 372 <= threshold <= 376
# ------------------------------------------------ chapter 4's demo helpers: tapes and training frames

def test_pass_frames_show_values_left_to_right_then_gradients_once_every_use_has_passed_back():
    from nnbook import tapes

    nodes = [("input", 0), ("input", 1), ("mul", 0, 1), ("add", 2, 0)]      # x * y + x
    frames = tapes.pass_frames(nodes)
    forward = [f for f in frames if f[0] == "forward"]
    assert [f[1] for f in forward] == [None, 2, 3] and forward[-1][2] == {0, 1, 2, 3}
    backward = [f for f in frames if f[0] == "backward"]
    assert [f[1] for f in backward] == [None, 3, 2]
    assert 0 not in backward[1][3], "x's gradient waits until the product has passed its share back"
    assert backward[-1][3] == {0, 1, 2, 3}


def test_draw_pass_frame_returns_a_readout_naming_the_pass():
    from matplotlib.figure import Figure

    from nnbook import tapes

    nodes = [("input", 0), ("tanh", 0)]
    values = tapes.forward(nodes, [0.5])
    readouts = [tapes.draw_pass_frame(Figure(), nodes, values, [0.79, 1.0], frame)
                for frame in tapes.pass_frames(nodes)]
    assert readouts[0].startswith("forward") and readouts[-1].startswith("backward")


def test_draw_network_frame_draws_the_region_and_one_map_a_hidden_unit():
    from matplotlib.figure import Figure

    from nnbook.training_figures import draw_network_frame

    X, Y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 1.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    fig = Figure()
    draw_network_frame(fig, X, Y, lambda P: 1 / (1 + np.exp(-P[:1] + P[1:2])), lambda P: np.tanh(W @ P), "t",
                       resolution=20)
    assert len(fig.axes) == 1 + 3


# ------------------------------------------------ chapter 5's depth figures and its depth demo

def test_layers_to_draw_spreads_at_most_eight_layers_from_1_to_l():
    from nnbook.depth_figures import layers_to_draw

    assert layers_to_draw(1) == [1] and layers_to_draw(5) == [1, 2, 3, 4, 5]
    thirty = layers_to_draw(30)
    assert len(thirty) == 8 and thirty[0] == 1 and thirty[-1] == 30 and thirty == sorted(set(thirty))


def test_layer_histograms_leave_relus_zeros_out_and_count_outliers_in_the_end_bins():
    from matplotlib.figure import Figure

    from nnbook.depth_figures import draw_layer_histograms

    ax = Figure().subplots()
    values = np.array([0.0] * 90 + [0.5] * 5 + [10.0] * 5)      # zeros, a few inside, a few beyond 4
    draw_layer_histograms(ax, [values], [1], (0.0, 4.0), bins=4, positive_only=True)
    heights = ax.patches[0].get_data().values                    # 0.85 times each bin / the tallest
    assert np.allclose(heights, [0.85, 0.0, 0.0, 0.85]), "the 90 zeros are left out; 10 counts in the last bin"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["layer 1"]


def test_layer_curves_leave_out_what_a_log_axis_cannot_show():
    from matplotlib.figure import Figure

    from nnbook.depth_figures import draw_layer_curves

    ax = Figure().subplots()
    draw_layer_curves(ax, {"a": [1.0, 0.1, 0.0], "b": [1.0, np.inf, 2.0]}, "std", "t", chosen="b")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["a"].get_xdata()) == [1, 2] and list(lines["b"].get_xdata()) == [1, 3]
    assert lines["b"].get_linewidth() > lines["a"].get_linewidth() and ax.get_yscale() == "log"


@pytest.fixture(scope="module")
def depth_demo():
    """Chapter 5's depth demo, built by running its page up to the digits' training."""
    from tests.test_book_ch05_math import run_page

    namespace, glued, _ = run_page("depth_experiment", stop_before="digits = data.load_digits()")
    return namespace["depth_demo"], glued


def test_the_depth_demo_draws_histograms_and_curves_for_every_tour_frame(depth_demo):
    demo, _ = depth_demo
    assert len(demo.tour) <= MAX_FRAMES
    for stop in demo.tour[::5]:
        png, readout = demo.draw(40, **stop)
        assert png.startswith(b"\x89PNG") and f"{int(stop['depth'])} layers" in readout
    # live: the same draw function behind a slider and two dropdowns
    box = demo.live()
    kinds = [type(child).__name__ for child in box.children]
    assert kinds[:3] == ["FloatSlider", "Dropdown", "Dropdown"] and "HTML" in kinds
    slider, activation, scheme = box.children[:3]
    activation.value, scheme.value = "tanh", "large"
    assert box.children[-1].value.startswith("tanh, large, 30 layers")
    slider.value = 7
    assert box.children[-1].value.startswith("tanh, large, 7 layers"), "every depth from 1 to 30 live"


def test_in_a_browser_the_depth_demo_does_what_chapter_5_asks(page, depth_demo):
    from tests.test_book_in_browser import Player, numbers

    demo, glued = depth_demo
    load(page, demo)
    player = Player(page, "layers = ")
    assert player.label == "layers = 30, activation = relu, weights = Xavier", "it opens on ReLU with Xavier"
    assert numbers(r"std of A_30 = ([\d.e+-]+);", player.readout)[0] < 1e-3
    assert f"{glued['ch05_demo_relu_xavier']:.2g}" in player.readout
    player.press("He")
    assert player.label == "layers = 30, activation = relu, weights = He"
    assert numbers(r"std of A_30 = ([\d.e+-]+);", player.readout)[0] > 0.5
    player.press("small")
    assert numbers(r"std of A_30 = ([\d.e+-]+);", player.readout)[0] < 1e-20
    player.press("large")
    assert numbers(r"std of A_30 = ([\d.e+-]+);", player.readout)[0] > 1e20
    player.press("tanh")
    assert player.label == "layers = 30, activation = tanh, weights = large"
    player.press("Xavier")
    tanh_xavier = numbers(r"std of A_1 = ([\d.e+-]+), std of A_30 = ([\d.e+-]+)", player.readout)
    assert 0.05 < tanh_xavier[1] < tanh_xavier[0]
    player.press("sigmoid")
    assert player.label == "layers = 30, activation = sigmoid, weights = Xavier"
    gradient = numbers(r"std of dW_1 = ([\d.e+-]+)", player.readout)[0]
    assert gradient < 1e-10 and f"{glued['ch05_demo_sigmoid_gradient']:.2g}" in player.readout
    player.press("back")
    assert player.label == "layers = 10, activation = sigmoid, weights = Xavier", "one step back: 10 layers"
# ------------------------------------------------ chapter 6's race helpers: surfaces, paths, pictures

def gradient_step(params, grads, state, learning_rate):
    """Plain gradient descent in the update form of chapter 6 (no state)."""
    return {"p": params["p"] - learning_rate * grads["dp"]}, state


@pytest.mark.parametrize("name", ["bowl", "saddle", "valley"])
def test_each_surface_gradient_matches_finite_differences_and_vanishes_at_its_minima(name):
    from nnbook import surfaces

    surface = surfaces.SURFACES[name]
    rng = np.random.default_rng(0)
    eps = 1e-6
    for x, y in rng.uniform(-1.5, 1.5, size=(5, 2)):
        numeric = [(surface.f(x + eps, y) - surface.f(x - eps, y)) / (2 * eps),
                   (surface.f(x, y + eps) - surface.f(x, y - eps)) / (2 * eps)]
        assert np.allclose(surface.gradient(x, y), numeric, atol=1e-6)
    for point in surface.minima:
        assert np.allclose(surface.gradient(*point), 0) and surface.f(*point) == surface.lowest
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 61), np.linspace(-3, 3, 61)), axis=-1).reshape(-1, 2)
    assert surface.gap(grid).min() >= -1e-12, "nothing is lower than the lowest value"


def test_descend_follows_the_update_and_stops_where_it_diverges():
    from nnbook import surfaces

    path = surfaces.descend(surfaces.BOWL, gradient_step, {}, 0.01, 5)
    x, y = surfaces.BOWL.start
    for k in range(6):
        assert np.allclose(path[k], [x * 0.99 ** k, y * 0.5 ** k])
    diverging = surfaces.descend(surfaces.BOWL, gradient_step, {}, 0.2, 200)
    stop = int(np.argmax(np.isnan(diverging[:, 0])))
    assert 0 < stop < 200 and np.isnan(diverging[stop:]).all() and np.isfinite(diverging[:stop]).all()


def test_settling_means_staying_below_the_tolerance_to_the_end():
    from nnbook import surfaces

    bowl = surfaces.BOWL
    path = np.array([[1.0, 0.0], [1e-4, 0.0], [0.5, 0.0], [1e-4, 0.0], [1e-5, 0.0]])
    assert surfaces.steps_to_settle(bowl, path, 1e-6) == 3, "a dip at step 1 that climbs out does not count"
    assert surfaces.steps_to_settle(bowl, path[:3], 1e-6) is None
    assert surfaces.steps_to_settle(bowl, np.zeros((4, 2)), 1e-6) == 0
    assert surfaces.steps_to_settle(bowl, np.array([[1.0, 0.0], [np.nan, np.nan]]), 1e-6) is None


def test_draw_race_draws_every_path_the_minima_and_a_log_cost_plot():
    from matplotlib.figure import Figure

    from nnbook import surfaces

    paths = {name: surfaces.descend(surfaces.SADDLE, gradient_step, {}, 0.1, 30) for name in surfaces.OPTIMIZER_STYLE}
    fig = Figure()
    left, right = surfaces.draw_race(fig, surfaces.SADDLE, paths, "four paths")
    labels = [line.get_label() for line in left.get_lines()]
    assert [label for _, label in surfaces.OPTIMIZER_STYLE.values()] == [lb for lb in labels if not lb.startswith("_")]
    stars = [line for line in left.get_lines() if line.get_marker() == "*"]
    assert len(stars) == len(surfaces.SADDLE.minima) == 2
    assert right.get_yscale() == "log" and len(right.get_lines()) == 4 and left.get_aspect() == 1.0
# ------------------------------------------------ chapter 7: dropout and L2 against the accuracy curves

def fake_capstone_run(keep_prob, lambd, epochs=12, m_dev=20):
    """A Run shaped like the page's: more dropout climbs slower, more L2 ends lower."""
    from nnbook.capstone_demos import Run

    progress = 1 - np.exp(-np.arange(1, epochs + 1) * keep_prob / 2)
    predicted = np.arange(m_dev) % 10
    predicted[: int(10 * lambd) % m_dev] += 1
    return Run(list(progress / (1 + lambd / 3)), list(0.8 * progress), predicted % 10)


@pytest.fixture(scope="module")
def capstone_demo():
    from nnbook.capstone_demos import regularization_explorer, runs

    trained = []

    def train(keep_prob, lambd):
        trained.append((keep_prob, lambd))
        return fake_capstone_run(keep_prob, lambd)

    images = np.random.default_rng(0).integers(0, 17, size=(20, 8, 8, 1))
    labels = (np.arange(20) % 10).reshape(1, -1)
    return regularization_explorer(train, runs(train), images, labels), trained


def test_the_capstone_demo_precomputes_every_keep_prob_with_every_lambda(capstone_demo):
    from nnbook.capstone_demos import KEEP_PROBS, LAMBDAS

    demo, trained = capstone_demo
    assert len(demo.tour) == len(KEEP_PROBS) * len(LAMBDAS) <= MAX_FRAMES
    assert {(f["keep_prob"], f["lambd"]) for f in demo.tour} == set(trained)
    assert demo.tour[demo.start] == {"keep_prob": 1.0, "lambd": 0.0}, "it opens without regularization"
    assert all(c.problem(f[c.name]) is None for f in demo.tour for c in demo.controls), "live can reach every frame"


def test_the_capstone_readout_gives_both_final_accuracies_and_the_mistakes(capstone_demo):
    demo, _ = capstone_demo
    run = fake_capstone_run(0.6, 1.0)
    readout = demo.draw(40, keep_prob=0.6, lambd=1.0)[1]
    assert f"final training accuracy {run.train_accuracy[-1]:.3f}" in readout
    assert f"development accuracy {run.dev_accuracy[-1]:.3f}" in readout
    assert f"{run.wrong(np.arange(20) % 10).size} of 20 development digits wrong" in readout


def test_the_capstone_demo_trains_a_setting_the_tour_lacks_once_when_live(capstone_demo):
    demo, trained = capstone_demo
    before = len(trained)
    demo.draw(40, keep_prob=0.7, lambd=0.2)
    demo.draw(40, keep_prob=0.7, lambd=0.2)
    assert trained[before:] == [(0.7, 0.2)]


def test_the_capstone_demo_draws_the_curves_and_six_digits(capstone_demo):
    demo, _ = capstone_demo
    fig = Figure(figsize=demo.figsize)
    demo.draw_frame(fig, keep_prob=1.0, lambd=1.0)  # ten of the fake run's 20 digits are wrong
    curves, *digits = fig.axes
    assert [line.get_label() for line in curves.get_lines()] == ["training set", "development set"]
    assert curves.get_xlabel() == "epoch" and "accuracy" in curves.get_ylabel()
    assert len(digits) == 6 and all(" as " in ax.get_title() for ax in digits)
    html = demo.offline().data
    assert html.count("data:image/png;base64,") == len(demo.tour) + 1
