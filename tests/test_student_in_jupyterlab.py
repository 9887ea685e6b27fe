"""A student in JupyterLab, in a real browser: answer one exercise right and one wrong, run the
notebook, read the visible tests' verdicts; open an explanation page and move a live demo's
slider. JupyterLab is started by the test on 127.0.0.1; every other request is blocked."""
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import PROJECT_ROOT
from tests.test_book_in_browser import CHROMIUM, CHROMIUM_ARGS

TOKEN = "nnbook-student-test"
CHAPTER = "ch00_perceptrons"
#: Cell indices in the released chapter 0 notebook (checked against its metadata below).
CELLS = {"perceptron": 3, "test_perceptron": 4, "gate_parameters": 6, "test_gate_parameters": 7}
RIGHT_PERCEPTRON = "def perceptron(X, w, b):\n    return (w.T @ X + b > 0).astype(np.float64)\n"
WRONG_GATES = "def gate_parameters(gate):\n    return np.array([[1.0], [1.0]]), 0.0\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url, server, log, name, seconds=120):
    """Wait until ``url`` answers; fail with the end of ``log`` if ``server`` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"{name} did not start: {Path(log).read_text()[-3000:]}")
            time.sleep(0.5)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL of a JupyterLab serving a student's folder: the released exercises of chapter 0
    and its explanation page."""
    root = tmp_path_factory.mktemp("student_home")
    shutil.copyfile(PROJECT_ROOT / "chapters" / CHAPTER / "exercises.ipynb", root / "exercises.ipynb")
    shutil.copyfile(PROJECT_ROOT / "chapters" / CHAPTER / "perceptrons.ipynb", root / "perceptrons.ipynb")
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell stays in the page (JupyterLab may leave cells out of view undrawn).
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "NNBOOK_OFFLINE_DEMOS"}
    env.update(JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"), JUPYTER_RUNTIME_DIR=str(root / ".runtime"))
    server = subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
         "--ServerApp.disable_check_xsrf=True", "--allow-root"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=open(root / "lab.log", "w"))
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/api/status?token={TOKEN}", server, root / "lab.log", "JupyterLab")
    yield url
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_notebook(browser, lab, name):
    """A page showing notebook ``name`` in JupyterLab, its kernel started; requests that do
    not go to the test's JupyterLab are refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(lab) else route.abort())
    page = context.new_page()
    # A workspace of its own, so JupyterLab reopens no notebook of an earlier page.
    page.goto(f"{lab}/lab/workspaces/{name.replace('.', '-')}/tree/{name}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    page.wait_for_function("() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
                           " && document.querySelector('.jp-Notebook-ExecutionIndicator').dataset.status === 'idle'",
                           timeout=90_000)
    return page


def set_cell_source(page, index, source):
    editor = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


def run_all(page, attempts=3):
    """Run > Run All Cells, again if the first code cell did not start: JupyterLab can show an
    idle kernel before it takes requests, and a Run All it gets then runs nothing."""
    first_prompt = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").first
    for attempt in range(attempts):
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        try:
            page.wait_for_function("prompt => /\\[(\\*|\\d+)\\]/.test(prompt.textContent)",
                                   arg=first_prompt.element_handle(), timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def output_of(page, index, text, timeout=120_000):
    """The text of cell ``index``'s outputs, once it holds ``text``."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".jp-OutputArea-output", has_text=text).first.wait_for(timeout=timeout)
    return cell.locator(".jp-OutputArea").inner_text()


def test_the_cell_indices_are_the_released_notebooks():
    import nbformat

    notebook = nbformat.read(PROJECT_ROOT / "chapters" / CHAPTER / "exercises.ipynb", as_version=4)
    for grade_id, index in CELLS.items():
        assert notebook.cells[index].metadata.nbgrader.grade_id == grade_id


def test_a_student_sees_one_visible_test_pass_and_one_fail_with_its_message(browser, lab):
    page = open_notebook(browser, lab, "exercises.ipynb")
    set_cell_source(page, CELLS["perceptron"], RIGHT_PERCEPTRON)
    set_cell_source(page, CELLS["gate_parameters"], WRONG_GATES)
    run_all(page)
    assert "perceptron: visible tests passed" in output_of(page, CELLS["test_perceptron"], "visible tests passed")
    failed = output_of(page, CELLS["test_gate_parameters"], "AssertionError")
    assert "AND: expected [0.0, 0.0, 0.0, 1.0]" in failed, failed
    page.context.close()


def test_a_live_demo_renders_and_its_slider_changes_the_figure(browser, lab):
    page = open_notebook(browser, lab, "perceptrons.ipynb")
    run_all(page)
    demo = page.locator(".jp-OutputArea-output .widget-vbox").filter(has=page.locator(".widget-slider")).first
    demo.wait_for(timeout=180_000)
    picture = demo.locator("img").first
    picture.wait_for()
    before = picture.get_attribute("src")
    handle = demo.locator(".widget-slider .noUi-handle").last  # the bias b
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([img, before]) => img.getAttribute('src') !== before",
                           arg=[picture.element_handle(), before], timeout=60_000)
    assert picture.get_attribute("src") != before
    page.context.close()

