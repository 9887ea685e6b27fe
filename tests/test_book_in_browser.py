"""The built book in a real browser (Debian's Chromium, headless) with the network blocked.

Every page of the table of contents is served from _build/html on localhost; any request
elsewhere is blocked and fails the test. Screenshots land in _build/screenshots/.
"""
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

from tests.conftest import PROJECT_ROOT

BOOK = PROJECT_ROOT / "_build" / "html"
SCREENSHOTS = PROJECT_ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by scripts/install-system-packages
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


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

    def __init__(self, browser, url):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
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
        text = visit.page.inner_text("article")
        if re.search(r'class="math', html):
            assert visit.page.locator("mjx-container").count() > 0, "math was not typeset"
        assert "$$" not in text and "\\begin{" not in text, "raw TeX left on the page"
        broken = visit.page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        assert not broken, f"images that did not load: {broken[:5]}"
        hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not internal_links(BOOK / page, hrefs)
    finally:
        visit.close()


def demo_pages():
    return [p for p in toc_pages() if (BOOK / p).exists() and 'type="range"' in (BOOK / p).read_text()]


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
                slider.evaluate("s => { s.value = s.max; s.dispatchEvent(new Event('input')); }")
                moved = slider.evaluate("s => s.closest('.animation').querySelector('img').src")
                assert moved != frame, f"slider {i} on {page} did not change the picture"
        finally:
            visit.close()
