"""A student on the course's JupyterHub, in a real browser (Playwright + Debian Chromium): logs
in, fetches the assignment in nbgrader's Assignments tab, submits it, and, once the instructor
has collected, graded with nnbook-grader and released feedback, fetches and reads it there.

The hub runs deploy/jupyterhub_config.py, the file a class uses, on 127.0.0.1 with
configurable-http-proxy from npm (scripts/setup-env), a local process a student, as a real
Unix user made by the test, from the student kit's hub environment."""
import os
import pwd
import subprocess
import sys
import time

import nbformat
import pytest

from autograder.authoring.filling import with_reference
from autograder.course import Course, release, tool_environment
from tests.conftest import ASSIGNMENTS, PROJECT_ROOT, SUBMISSION_TIMEOUT
from tests.test_book_in_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_student_in_jupyterlab import free_port, wait_until_serving

CHAPTER = "ch00_perceptrons"
STUDENT = "nnbk-dee"
PASSWORD = "nnbook-hub-test"


@pytest.fixture(scope="module")
def hub_course(shared_folder):
    """(course, exchange): released, with the assignment in the exchange."""
    root = shared_folder / "hub_course"
    root.mkdir(mode=0o755)
    exchange = root / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)
    course = Course(root / "course")
    release(course, [a for a in ASSIGNMENTS if a.name == CHAPTER], cell_timeout=5, notebook_timeout=8,
            submission_timeout=SUBMISSION_TIMEOUT)
    with course.config_path.open("a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    instructor(course, "release_assignment", CHAPTER, "--force")
    return course, exchange


def instructor(course, *args):
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course.root, capture_output=True, text=True,
                         env=tool_environment(), timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.fixture(scope="module")
def student(shared_folder, hub_course):
    """The home of a Unix user made for the test (removed after it), who knows the exchange."""
    assert os.geteuid() == 0, "the hub test makes a Unix user and runs JupyterHub: run it as root"
    _, exchange = hub_course
    home = shared_folder / "hub_homes" / STUDENT
    home.parent.mkdir(mode=0o755)
    subprocess.run(["userdel", "--remove", STUDENT], capture_output=True)
    subprocess.run(["useradd", "--create-home", "--key", "HOME_MODE=0700", "--home-dir", str(home), "--shell", "/bin/sh",
                    "--user-group", STUDENT], check=True, capture_output=True)
    user = pwd.getpwnam(STUDENT)
    config = home / ".jupyter" / "nbgrader_config.py"
    config.parent.mkdir()
    config.write_text(f"c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'nnbook'\n"
                      f"c.Exchange.root = {str(exchange)!r}\n")
    for path in (config.parent, config):
        os.chown(path, user.pw_uid, user.pw_gid)
    yield home
    subprocess.run(["userdel", "--remove", STUDENT], capture_output=True)


@pytest.fixture(scope="module")
def hub(shared_folder, student_kit, student):
    """The URL of a JupyterHub started from deploy/jupyterhub_config.py; stopped after the tests."""
    kit, kit_bin = student_kit
    install = subprocess.run([str(kit_bin / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "-r", str(kit / "requirements-hub.txt")], capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-2000:]
    state = shared_folder / "hub_state"
    state.mkdir(mode=0o700)
    port = free_port()
    env = dict(tool_environment(), NNBOOK_STUDENT_ENV=str(kit_bin.parent), NNBOOK_HUB_STATE=str(state),
               NNBOOK_HUB_PORT=str(port), NNBOOK_HUB_USERS=STUDENT, NNBOOK_HUB_TEST_PASSWORD=PASSWORD)
    log = open(state / "hub.log", "w")
    server = subprocess.Popen([str(PROJECT_ROOT / ".venv" / "bin" / "jupyterhub"), "-f",
                               str(PROJECT_ROOT / "deploy" / "jupyterhub_config.py")],
                              cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{url}/hub/health", server, state / "hub.log", "JupyterHub")
    yield url, state
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    subprocess.run(["pkill", "-u", STUDENT], capture_output=True)


@pytest.fixture(scope="module")
def page(hub):
    from playwright.sync_api import sync_playwright

    url, _ = hub
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
        yield context.new_page()
        browser.close()


def open_assignments(page):
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    page.locator('.lm-Menu-item[data-command="nbgrader:open-assignment-list"]').click()


def test_a_student_logs_in_fetches_submits_and_reads_their_feedback_on_the_hub(hub, page, hub_course, student):
    url, state = hub
    course, _ = hub_course
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", STUDENT)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{STUDENT}/lab**", timeout=180_000)
    page.wait_for_selector(".lm-MenuBar-item", timeout=120_000)

    open_assignments(page)
    page.get_by_role("button", name="Fetch", exact=True).click(timeout=60_000)
    fetched = student / CHAPTER / "exercises.ipynb"
    deadline = time.monotonic() + 60
    while not fetched.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert fetched.exists(), "the Assignments tab fetched the assignment into the student's home"

    # The student's answers (written as them), then Submit in the same tab.
    user = pwd.getpwnam(STUDENT)
    fetched.write_text(nbformat.writes(with_reference(nbformat.read(fetched, as_version=4), CHAPTER)))
    os.chown(fetched, user.pw_uid, user.pw_gid)
    page.get_by_role("button", name="Submit", exact=True).click(timeout=60_000)
    deadline = time.monotonic() + 60
    inbound = course.root.parent / "exchange" / "nnbook" / "inbound"
    while not list(inbound.glob(f"{STUDENT}+{CHAPTER}+*")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert list(inbound.glob(f"{STUDENT}+{CHAPTER}+*")), "the submission reached the exchange"

    instructor(course, "collect", CHAPTER)
    grade = subprocess.run([sys.executable, "-m", "autograder", "grade", CHAPTER, str(course.root / "submitted"),
                            "--course", str(course.root), "--quiet"], capture_output=True, text=True,
                           env=tool_environment(), timeout=600)
    assert grade.returncode == 0 and f"{STUDENT}: 8/8 [graded]" in grade.stdout, grade.stdout + grade.stderr
    instructor(course, "release_feedback", CHAPTER)

    page.reload()
    page.wait_for_selector(".lm-MenuBar-item", timeout=120_000)
    open_assignments(page)
    page.get_by_role("button", name="Fetch Feedback").click(timeout=60_000)
    page.get_by_text("(view feedback)").first.wait_for(timeout=60_000)
    pages = list((student / CHAPTER / "feedback").rglob("exercises.html"))
    assert len(pages) == 1, pages
    assert pages[0].read_text() == course.feedback_html(STUDENT, CHAPTER).read_text(), "their own feedback, as graded"
