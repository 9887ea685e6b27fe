"""Single source of truth: template + solutions -> nbgrader source -> release -> book."""
import html
import re
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.judging.checking import chapter_modules
from autograder.authoring.filling import with_reference
from autograder.authoring.source import BEGIN_HIDDEN, BEGIN_SOLUTION, END_SOLUTION, build_source_notebook, split_reference
from autograder.authoring.template import NOTEBOOK_NAME
from tests.conftest import ASSIGNMENTS, CHAPTER_NAMES, HIDDEN_CODE_SIGNS, PROJECT_ROOT

BOOK = PROJECT_ROOT / "_build" / "html"


def reference_functions():
    for chapter in CHAPTER_NAMES:
        reference, hidden = chapter_modules(chapter)
        for name in hidden.CHECKS:
            yield chapter, name, getattr(reference, name)


def body_lines(function):
    """The reference body's non-trivial lines, whitespace-normalized."""
    return [" ".join(line.split()) for line in split_reference(function)[1].splitlines() if len(line.strip()) > 12]


def normalized_lines(text):
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def contains_consecutive_pair(lines, text_lines):
    pairs = set(zip(text_lines, text_lines[1:]))
    return any(pair in pairs for pair in zip(lines, lines[1:]))


def solution_regions(notebook):
    regions = {}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            text = cell.source
            regions[cell.metadata.nbgrader.grade_id] = text[text.index(BEGIN_SOLUTION) + len(BEGIN_SOLUTION) + 1:text.index(END_SOLUTION)].rstrip(" ")
    return regions


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_source_solution_regions_are_exactly_the_reference_bodies(assignment, course):
    built = nbformat.read(course.source_notebook(assignment.name), as_version=4)
    reference = chapter_modules(assignment.name)[0]
    regions = solution_regions(built)
    assert set(regions) == set(chapter_modules(assignment.name)[1].CHECKS)
    for name, region in regions.items():
        assert region.rstrip("\n") == split_reference(getattr(reference, name))[1]
    assert nbformat.writes(built) == nbformat.writes(build_source_notebook(assignment)), "the built source is current"


@pytest.mark.parametrize("chapter", CHAPTER_NAMES)
def test_release_has_stubs_points_and_no_reference_or_hidden_code(chapter, released):
    notebook = released[chapter]
    text = "\n".join(cell.source for cell in notebook.cells)
    assert BEGIN_SOLUTION not in text and BEGIN_HIDDEN not in text
    assert not [sign for sign in HIDDEN_CODE_SIGNS if sign in text]
    for c, name, function in reference_functions():
        assert not contains_consecutive_pair(body_lines(function), normalized_lines(text)), f"{c}.{name} leaks"
    graded = [cell.metadata.nbgrader for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    solutions = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert graded and all(meta["points"] > 0 for meta in graded)
    assert {m["grade_id"] for m in graded} == {"test_" + c.metadata.nbgrader.grade_id for c in solutions}
    assert all("raise NotImplementedError()" in cell.source for cell in solutions)


@pytest.mark.parametrize("chapter", CHAPTER_NAMES)
def test_visible_tests_pass_for_the_reference_without_solutions_or_autograder(chapter, released):
    notebook = with_reference(released[chapter], chapter)
    blocker = nbformat.v4.new_code_cell(
        "import sys\nsys.modules['solutions'] = None\nsys.modules['autograder'] = None")
    notebook.cells.insert(0, blocker)
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()  # raises on any failing cell
    outputs = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
    assert outputs.count("visible tests passed") == len(chapter_modules(chapter)[1].CHECKS)


def tracked_files():
    listing = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return [PROJECT_ROOT / p for p in listing.stdout.splitlines() if not p.startswith("solutions/")]


def test_no_file_outside_solutions_copies_a_reference_function():
    texts = {}
    for path in tracked_files():
        try:
            raw = path.read_text()
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        if path.suffix == ".ipynb":
            raw = "\n".join(cell.source for cell in nbformat.reads(raw, as_version=4).cells)
        texts[path] = "\n".join(normalized_lines(raw))
    for chapter, name, function in reference_functions():
        body = "\n".join(body_lines(function))
        copies = [str(p.relative_to(PROJECT_ROOT)) for p, text in texts.items() if body in text]
        assert not copies, f"{chapter}.{name} is copied in {copies}"


def book_pages():
    if not (BOOK / "index.html").exists():
        pytest.fail("the book is not built: run ./scripts/build-book (./scripts/test does)")
    return sorted(BOOK.rglob("*.html")) + sorted(BOOK.rglob("*.ipynb"))


def visible_text(path):
    raw = path.read_text(errors="replace")
    if path.suffix == ".html":
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return raw


def test_built_book_holds_no_reference_or_hidden_test_code():
    pages = book_pages()
    assert len(pages) >= len(CHAPTER_NAMES) + 1
    functions = list(reference_functions())
    for page in pages:
        text = visible_text(page)
        assert "BEGIN SOLUTION" not in text, page
        assert not [sign for sign in HIDDEN_CODE_SIGNS if sign in text], page
        lines = normalized_lines(text)
        for chapter, name, function in functions:
            assert not contains_consecutive_pair(body_lines(function), lines), f"{chapter}.{name} shows in {page}"


def test_committed_student_notebooks_are_the_current_release():
    # The book build re-releases them; launch buttons (Binder, Colab, nbgitpuller) open the
    # committed copies, so a stale one would hand students an outdated exercise.
    book_pages()
    paths = [f"chapters/{chapter}/{NOTEBOOK_NAME}" for chapter in CHAPTER_NAMES]
    untracked = subprocess.run(["git", "ls-files", "--others", "--", *paths], cwd=PROJECT_ROOT,
                               capture_output=True, text=True).stdout.split()
    changed = subprocess.run(["git", "diff", "--name-only", "--", *paths], cwd=PROJECT_ROOT,
                             capture_output=True, text=True).stdout.split()
    assert not untracked + changed, f"commit the re-released notebooks: {untracked + changed}"


@pytest.mark.parametrize("chapter", CHAPTER_NAMES)
def test_book_shows_each_exercise_notebook_exactly_as_released(chapter):
    book_pages()
    in_book = PROJECT_ROOT / "chapters" / chapter / NOTEBOOK_NAME
    released_for_book = PROJECT_ROOT / "_build" / "course" / "release" / chapter / NOTEBOOK_NAME
    assert in_book.read_bytes() == released_for_book.read_bytes()
    page = visible_text(BOOK / "chapters" / chapter / "exercises.html")
    assert page.count("# YOUR CODE HERE") == len(chapter_modules(chapter)[1].CHECKS)
