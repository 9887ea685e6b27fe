"""The built book in a real browser (Debian's Chromium, headless) with the network blocked.

Every page of the table of contents is served from _build/html on localhost; any request
elsewhere is blocked and fails the test. Screenshots land in _build/screenshots/. On every
page: math is typeset and no raw TeX or stray `$` is left in the text; no machine path
shows; every image has alt text; and at a desktop and a phone width no equation, code cell
or figure is cut off at the column edge. The offline demo players work, and what the text
asks the reader to do with each demo can be done in its player.
"""
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import pytest
import yaml

from tests.conftest import PROJECT_ROOT

BOOK = PROJECT_ROOT / "_build" / "html"
SCREENSHOTS = PROJECT_ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by scripts/install-system-packages
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]
#: The widths every page is laid out at: a desktop window and a phone held upright.
VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


def toc_pages():
    """The html path of every page in _toc.yml, root first."""
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []) + entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part["chapters"])
    return [f + ".html" for f in files]


@pytest.fixture(scope="module")
def server():
    if not (BOOK / "index.html").exists():
        pytest.fail("the book is not built: run ./scripts/build-book (./scripts/test does)")
    handler = functools.partial(QuietHandler, directory=str(BOOK))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """One page loaded with every request, console error and failure recorded."""

    def __init__(self, browser, url, viewport=VIEWPORTS["desktop"]):
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.blocked, self.failed, self.console_errors = [], [], []
        self.context.route("**/*", self.only_localhost)
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: r.url not in self.blocked and self.failed.append(r.url))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")

    def only_localhost(self, route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


def internal_links(page_path, hrefs):
    """(href, problem) for links to files or anchors missing from the build."""
    problems = []
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https", "mailto", "javascript") or not (parsed.path or parsed.fragment):
            continue
        target = (page_path.parent / unquote(parsed.path)).resolve() if parsed.path else page_path
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            problems.append((href, "no such file"))
        elif parsed.fragment and target.suffix == ".html" and f'id="{parsed.fragment}"' not in target.read_text():
            problems.append((href, "no such anchor"))
    return problems


#: Opens every folded part of a page (hidden code cells, dropdown answers) so it is measured too.
UNFOLD_JS = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  document.querySelectorAll(".dropdown").forEach(e => e.classList.add("toggle-shown"));
}"""

#: The article's prose: everything except code blocks, code outputs, inline code and typeset math.
PROSE_JS = """() => {
  const copy = document.querySelector("article").cloneNode(true);
  copy.querySelectorAll("pre, code, .highlight, mjx-container, script, style").forEach(e => e.remove());
  return copy.textContent;
}"""

#: Things cut off at the column edge, at the current width: [description, ...].
CUT_OFF_JS = """(mode) => {
  const article = document.querySelector("article");
  const problems = [];
  const sample = e => (e.textContent || e.getAttribute("alt") || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const inScrollingBox = e => {
    for (let p = e.parentElement; p && p !== article; p = p.parentElement) {
      if (scrolls(p) && p.getBoundingClientRect().right <= window.innerWidth + 1) return true;
    }
    return false;
  };
  article.querySelectorAll("mjx-container[display=true]").forEach(e => {
    if (e.scrollWidth <= e.clientWidth + 1) return;
    if (mode === "desktop") problems.push("display equation wider than the column: " + sample(e));
    else if (!scrolls(e)) problems.push("display equation cut off with no scrolling: " + sample(e));
  });
  article.querySelectorAll("pre").forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1) {
      const longest = e.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), "");
      problems.push(`code or output needs sideways scrolling (${longest.length} characters): ` + longest.slice(0, 70));
    }
  });
  article.querySelectorAll("img, table, .nnbook-demo, figure").forEach(e => {
    if (e.getBoundingClientRect().right > window.innerWidth + 1 && !inScrollingBox(e)) {
      problems.push(e.tagName.toLowerCase() + " sticks out of the window: " + sample(e));
    }
  });
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("the page scrolls sideways");
  return problems;
}"""

#: Prose that is TeX the page failed to typeset: a `$`, or a command such as \\sigma or \\frac.
RAW_TEX = re.compile(r"\$|\\[A-Za-z]+")
#: Paths of the machine that built the book (a warning's file name, a temporary folder).
MACHINE_PATH = re.compile(r"(/tmp/|/home/|/root/|/work/|site-packages|ipykernel_)\S*")


@pytest.mark.parametrize("page", toc_pages())
def test_page_renders_offline_with_math_images_and_links(page, server, browser):
    visit = PageVisit(browser, f"{server}/{page}")
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOTS / (page.replace("/", "__") + ".png")), full_page=True)
        assert not visit.blocked, f"requests leaving localhost: {visit.blocked[:5]}"
        assert not visit.failed, f"failed requests: {visit.failed[:5]}"
        assert not visit.console_errors, f"console errors: {visit.console_errors[:5]}"
        html = (BOOK / page).read_text()
        if re.search(r'class="math', html):
            assert visit.page.locator("mjx-container").count() > 0, "math was not typeset"
        errors = visit.page.eval_on_selector_all("mjx-merror", "els => els.map(e => e.textContent)")
        assert not errors, f"MathJax could not typeset: {errors[:5]}"
        broken = visit.page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        assert not broken, f"images that did not load: {broken[:5]}"
        no_alt = visit.page.eval_on_selector_all(
            "article img", "els => els.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src.slice(0, 80))")
        assert not no_alt, f"images without alt text: {no_alt[:5]}"
        hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not internal_links(BOOK / page, hrefs)
    finally:
        visit.close()


@pytest.mark.parametrize("page", toc_pages())
def test_page_text_holds_no_raw_tex_stray_dollar_or_machine_path(page, server, browser):
    visit = PageVisit(browser, f"{server}/{page}")
    try:
        visit.page.evaluate(UNFOLD_JS)
        prose = visit.page.evaluate(PROSE_JS)
        raw = [prose[max(0, m.start() - 40):m.end() + 40].replace("\\n", " ") for m in RAW_TEX.finditer(prose)]
        assert not raw, f"raw TeX or a stray $ in the text (outside code): {raw[:4]}"
        everything = visit.page.inner_text("article")
        paths = [m.group(0) for m in MACHINE_PATH.finditer(everything)]
        assert not paths, f"machine paths shown on the page: {paths[:4]}"
    finally:
        visit.close()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("page", toc_pages())
def test_nothing_is_cut_off_at_the_column_edge(page, width, server, browser):
    visit = PageVisit(browser, f"{server}/{page}", viewport=VIEWPORTS[width])
    try:
        visit.page.evaluate(UNFOLD_JS)
        problems = visit.page.evaluate(CUT_OFF_JS, width)
        assert not problems, f"at the {width} width ({VIEWPORTS[width]['width']} px): " + "; ".join(problems[:6])
    finally:
        visit.close()


def explanation_pages():
    return [p for p in toc_pages() if p.startswith("chapters/") and not p.endswith("/exercises.html")]


@pytest.mark.parametrize("page", explanation_pages())
def test_each_explanation_page_ends_with_questions_and_folded_answers(page):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((BOOK / page).read_text(), "html.parser")
    article = soup.find("article")

    def admonitions(title):
        return [box for box in article.select("div.admonition")
                if box.find(class_="admonition-title").get_text(strip=True) == title]

    questions, answers = admonitions("Check your understanding"), admonitions("Answers")
    assert len(questions) == 1 and len(answers) == 1, "one question box and one answer box"
    count = len(questions[0].select("ol > li"))
    assert 3 <= count <= 5, f"{count} questions; a page ends with 3 to 5"
    assert len(answers[0].select("ol > li")) == count, "one answer a question"
    assert "dropdown" in answers[0]["class"], "the answers are folded away"
    later = questions[0].find_all_next(["h2"])
    assert all(h.get_text(strip=True).rstrip("#") in ("Exercises",) for h in later), \
        "the questions come at the end of the page"


def test_chapters_are_numbered_from_0_in_the_sidebar_and_in_figure_numbers():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((BOOK / "intro.html").read_text(), "html.parser")
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    for entry in toc["parts"][0]["chapters"]:
        number = int(re.search(r"chapters/ch(\d\d)_", entry["file"]).group(1))
        link = soup.select_one(f'nav a[href="{entry["file"]}.html"]')
        assert link is not None and link.get_text(strip=True).startswith(f"{number}. "), entry["file"]
        page = BeautifulSoup((BOOK / (entry["file"] + ".html")).read_text(), "html.parser")
        figures = [span.get_text(strip=True) for span in page.select("figcaption .caption-number")]
        assert all(f.startswith(f"Fig. {number}.") for f in figures), (entry["file"], figures[:3])


def test_chapter_references_link_to_chapters_that_exist_and_name_the_others():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((BOOK / "intro.html").read_text(), "html.parser")
    table = soup.find("article").find("table")
    rows = {row.find("td").get_text(strip=True): row for row in table.select("tbody tr")}
    for number in range(8):
        cell = rows[str(number)].find("td")
        written = (BOOK / "chapters").glob(f"ch{number:02d}_*")
        exists = any(written)
        assert (cell.find("a") is not None) == exists, f"chapter {number}"
        assert ("written" if exists else "in preparation") in rows[str(number)].get_text()


def demo_pages():
    return [p for p in toc_pages() if (BOOK / p).exists() and 'class="animation' in (BOOK / p).read_text()]


def test_offline_demo_sliders_change_what_is_shown(server, browser):
    pages = demo_pages()
    assert pages, "no page has an offline demo"
    for page in pages:
        visit = PageVisit(browser, f"{server}/{page}")
        try:
            sliders = visit.page.locator("input[type=range]")
            for i in range(sliders.count()):
                slider = sliders.nth(i)
                frame = slider.evaluate("s => s.closest('.animation').querySelector('img').src")
                target = "s.max" if slider.input_value() != slider.get_attribute("max") else "s.min"
                slider.evaluate(f"s => {{ s.value = {target}; s.dispatchEvent(new Event('input')); }}")
                moved = slider.evaluate("s => s.closest('.animation').querySelector('img').src")
                assert moved != frame, f"slider {i} on {page} did not change the picture"
        finally:
            visit.close()


# What the text asks the reader to do with each demo, done in its offline player.

class Player:
    """One offline demo player on a page, driven through its buttons as a reader would."""

    def __init__(self, page, label_contains):
        players = page.locator(".nnbook-demo").filter(
            has=page.locator(".nnbook-demo-label", has_text=label_contains))
        assert players.count() == 1, f"expected one player whose label holds {label_contains!r}"
        self.root = players.first
        self.root.scroll_into_view_if_needed()

    @property
    def frame(self):
        return int(self.root.get_attribute("data-frame"))

    @property
    def label(self):
        return self.root.locator(".nnbook-demo-label").inner_text()

    @property
    def readout(self):
        return self.root.locator(".nnbook-demo-readout").inner_text()

    def press(self, name):
        """Click the back, play or next button, or a choice button by its name."""
        buttons = {"back": ".nnbook-demo-back", "next": ".nnbook-demo-next", "play": ".nnbook-demo-play"}
        if name in buttons:
            self.root.locator(buttons[name]).click()
        else:
            self.root.locator(".nnbook-demo-choice", has_text=name).filter(
                has_text=re.compile(rf"^{re.escape(name)}$")).click()
        return self

    def choices(self):
        return [b.inner_text() for b in self.root.locator(".nnbook-demo-choice").all()]

    def step_through(self, button, stop=lambda player: False):
        """(label, readout) of every frame reached by pressing ``button`` until it stops moving."""
        seen = [(self.label, self.readout)]
        while True:
            before = self.frame
            self.press(button)
            if self.frame == before or stop(self):
                return seen + ([(self.label, self.readout)] if self.frame != before else [])
            seen.append((self.label, self.readout))

    def all_frames(self):
        """Every frame, from the first on, by pressing next (the back button leads there)."""
        self.step_through("back")
        return self.step_through("next")


def numbers(pattern, text):
    """The floats the regular expression's groups capture in ``text``."""
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in {text!r}"
    return [float(group) for group in match.groups()]


@pytest.fixture
def chapter_page(server, browser, request):
    visits = []

    def open_page(page):
        visits.append(PageVisit(browser, f"{server}/{page}"))
        return visits[-1].page

    yield open_page
    for visit in visits:
        visit.close()


def test_perceptron_demo_does_what_chapter_0_asks(chapter_page):
    page = chapter_page("chapters/ch00_perceptrons/perceptrons.html")
    player = Player(page, "w1 = ")
    assert player.label == "w1 = 1.00, w2 = 1.00, b = -2.50", "the text says it opens at w = (1, 1), b = -2.5"
    assert player.root.locator(".nnbook-demo-play").count() == 1
    # "Raise b up to 0.5 with the next button": AND reaches 4 of 4, then OR does.
    sweep = player.step_through("next", stop=lambda p: "w1 = 1.00, w2 = 1.00" not in p.label)
    sweep = [(label, readout) for label, readout in sweep if "w1 = 1.00, w2 = 1.00" in label]
    biases = [numbers(r"b = (-?[\d.]+)", label)[0] for label, _ in sweep]
    assert biases == sorted(biases) and biases[0] == -2.5 and biases[-1] == 0.5
    and_frames = [i for i, (_, readout) in enumerate(sweep) if "AND: 4 of 4" in readout]
    or_frames = [i for i, (_, readout) in enumerate(sweep) if "OR: 4 of 4" in readout]
    assert and_frames and or_frames and max(and_frames) < min(or_frames)
    # "Make NAND: find settings where the AND panel shows 0 of 4"; "XOR 4 of 4: you will not manage".
    frames = player.all_frames()
    assert any("AND: 0 of 4" in readout for _, readout in frames), "no frame makes NAND"
    assert max(numbers(r"XOR: (\d) of 4", readout)[0] for _, readout in frames) == 3


def test_learning_rate_demo_does_what_chapter_1_asks(chapter_page):
    page = chapter_page("chapters/ch01_logistic_regression/gradient_descent.html")
    player = Player(page, "learning rate")
    assert player.label == "learning rate α = 0.1", "the text says it opens at α = 0.1"
    # "Step up through larger rates ... find the largest α whose cost still falls at every step,
    # then go past it": rates rise frame by frame, and from some rate on the cost stops falling.
    upward = player.step_through("next")
    rates = [numbers(r"α = ([\d.]+)", label)[0] for label, _ in upward]
    assert rates == sorted(rates) and rates[0] == 0.1 and rates[-1] == 10.0
    falls = ["falls at every step: yes" in readout for _, readout in upward]
    assert falls[0] and not falls[-1]
    first_no = falls.index(False)
    assert not any(falls[first_no:]), "past the largest smooth rate no rate is smooth again"
    costs = {rate: numbers(r"cost after 200 steps ([\d.]+)", readout)[0]
             for rate, (_, readout) in zip(rates, upward)}
    assert costs[0.5] < costs[0.1] and costs[1.0] < costs[0.1], "the text: 0.5 and 1 end lower than 0.1"


def test_activation_explorer_does_what_chapter_2_asks(chapter_page):
    page = chapter_page("chapters/ch02_activations/activations.html")
    player = Player(page, "activation = ")
    assert player.choices() == ["linear", "sigmoid", "tanh", "ReLU", "leaky ReLU"], \
        "the activation is chosen by name"
    assert player.label.startswith("activation = sigmoid, point z0 = 0.0"), "it opens on the sigmoid at 0"
    assert numbers(r"slope g'\(z0\) = ([\d.]+)", player.readout) == [0.25]
    # "Step z0 from -4 to 4": the slope is largest at 0, and only 0.25 there.
    player.step_through("back", stop=lambda p: "sigmoid" not in p.label)
    if "sigmoid" not in player.label:
        player.press("next")
    walk = player.step_through("next", stop=lambda p: "sigmoid" not in p.label)
    walk = [(label, readout) for label, readout in walk if "activation = sigmoid" in label]
    points = [numbers(r"z0 = (-?[\d.]+)", label)[0] for label, _ in walk]
    slopes = [numbers(r"slope g'\(z0\) = ([\d.]+)", readout)[0] for _, readout in walk]
    assert points[0] == -4.0 and points[-1] == 4.0 and points == sorted(points)
    assert points[slopes.index(max(slopes))] == 0.0 and max(slopes) == 0.25
    assert slopes[-1] < 0.02, "at z0 = 4 the sigmoid's tangent is almost flat"
    # "Press tanh to compare at the same point": the button keeps z0.
    if "activation = sigmoid" not in player.label:     # the walk ended one frame past z0 = 4
        player.press("back")
    assert player.label.startswith("activation = sigmoid, point z0 = 4.0")
    player.press("tanh")
    assert player.label.startswith("activation = tanh, point z0 = 4.0")
    assert numbers(r"slope g'\(z0\) = ([\d.]+)", player.readout)[0] < 0.02
    # "On ReLU, a negative z0 gives a flat tangent. Press leaky ReLU, then step on to raise c."
    player.press("ReLU")
    while "z0 = -2.0" not in player.label:
        player.press("back")
    assert player.label.startswith("activation = ReLU") and "slope g'(z0) = 0.000" in player.readout
    player.press("leaky ReLU")
    assert player.label == "activation = leaky ReLU, point z0 = -2.0, leaky slope c = 0.01"
    tilts = [numbers(r"slope g'\(z0\) = ([\d.]+)", player.readout)[0]]
    for _ in range(2):
        player.press("next")
        tilts.append(numbers(r"slope g'\(z0\) = ([\d.]+)", player.readout)[0])
    assert tilts == [0.01, 0.1, 0.3]


def test_depth_demo_does_what_chapter_2_asks(chapter_page):
    page = chapter_page("chapters/ch02_activations/activations.html")
    player = Player(page, "layers L = ")
    assert player.label == "layers L = 10, weight w = 1.00", "the text says it opens at L = 10, w = 1"

    def gradients(readout):
        return numbers(r"layer 1 ([\d.e+-]+) \(sigmoid\), ([\d.e+-]+) \(tanh\)", readout)

    # "Step back to L = 1 and forward again to L = 20": the sigmoid's gradient falls with depth.
    player.step_through("back")
    assert player.label == "layers L = 1, weight w = 1.00"
    frames = player.step_through("next", stop=lambda p: "weight w = 1.00" not in p.label)
    deeper = [(numbers(r"L = (\d+)", label)[0], gradients(readout)) for label, readout in frames
              if "weight w = 1.00" in label]
    assert [layers for layers, _ in deeper][-1] == 20
    sigmoid = [g[0] for _, g in deeper]
    tanh = [g[1] for _, g in deeper]
    assert sigmoid == sorted(sigmoid, reverse=True) and tanh[-1] > 1000 * sigmoid[-1]
    # "Step on: L = 10 again, with w rising from 1.5 to 3": the sigmoid is best at 1.5, tanh worse at once.
    at_w = {1.0: gradients(dict(frames)["layers L = 10, weight w = 1.00"])}
    while True:
        match = re.fullmatch(r"layers L = 10, weight w = ([\d.]+)", player.label)
        if match:
            at_w[float(match.group(1))] = gradients(player.readout)
        if player.label == "layers L = 10, weight w = 3.00":
            break
        player.press("next")
    assert set(at_w) >= {1.0, 1.5, 2.0, 2.5, 3.0}
    assert at_w[1.5][0] > at_w[1.0][0] and at_w[1.5][0] > at_w[2.0][0] > at_w[2.5][0] > at_w[3.0][0]
    assert at_w[1.0][1] > at_w[1.5][1] > at_w[2.0][1]
    # "Step on to the smaller weights, down to w = 0.25".
    while player.label != "layers L = 10, weight w = 0.25":
        before = player.frame
        player.press("next")
        assert player.frame != before, "no frame with w = 0.25 after the rising weights"


def test_outlier_demo_does_what_chapter_2_asks(chapter_page):
    page = chapter_page("chapters/ch02_activations/one_hidden_layer.html")
    player = Player(page, "outlier's target y")
    assert player.label == "outlier's target y = -4.0", "the text says it opens with the outlier at -4"
    # "Step it up with the next button, or press play to watch it rise from -6 to 10."
    player.press("next")
    assert player.label == "outlier's target y = -3.0"
    player.step_through("back")
    player.press("play")
    page.wait_for_function("p => p.dataset.frame === p.querySelector('input').max",
                           arg=player.root.element_handle(), timeout=60_000)
    assert player.label == "outlier's target y = 10.0"
    frames = player.all_frames()
    heights = [numbers(r"y = (-?[\d.]+)", label)[0] for label, _ in frames]
    squared = [numbers(r"slope (-?[\d.]+) \(squared error\)", readout)[0] for _, readout in frames]
    absolute = [numbers(r"(-?[\d.]+) \(absolute error\)", readout)[0] for _, readout in frames]
    assert heights[0] == -6.0 and heights[-1] == 10.0
    steps = np.diff(squared) / np.diff(heights)
    assert np.all(steps > 0) and np.ptp(steps) < 0.05 * np.mean(steps), "a straight, rising line"
    assert max(absolute) - min(absolute) < 0.2 * (max(squared) - min(squared)) / 5
