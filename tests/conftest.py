"""Shared fixtures: a released nbgrader course with short time limits, and notebook makers."""
from pathlib import Path

import warnings

import nbformat
import numpy as np
import pytest

from autograder.course import Course, release
from autograder.authoring.template import find_assignments

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = PROJECT_ROOT / "chapters"
ASSIGNMENTS = find_assignments(CHAPTERS)
CHAPTER_NAMES = [a.name for a in ASSIGNMENTS]

#: Short limits keep the suite fast: a runaway cell is stopped after CELL_TIMEOUT seconds, all
#: cells of a notebook after NOTEBOOK_TIMEOUT, and a whole nbgrader run after SUBMISSION_TIMEOUT.
CELL_TIMEOUT = 5
NOTEBOOK_TIMEOUT = 8
SUBMISSION_TIMEOUT = 45

#: Text that only hidden-test code contains: none of it may reach a student or the book.
HIDDEN_CODE_SIGNS = ["BEGIN HIDDEN", "autograder.recorder", "pin_for_cell", "check_hidden", "autograder.judging.checking"]


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """Every chapter released by nbgrader into a fresh course folder."""
    course = Course(tmp_path_factory.mktemp("course"))
    release(course, ASSIGNMENTS, cell_timeout=CELL_TIMEOUT, notebook_timeout=NOTEBOOK_TIMEOUT,
            submission_timeout=SUBMISSION_TIMEOUT)
    return course


@pytest.fixture(scope="session")
def released(course):
    """{chapter: the student notebook nbgrader released}."""
    return {name: nbformat.read(course.release_notebook(name), as_version=4) for name in CHAPTER_NAMES}


@pytest.fixture
def numpy_warnings_are_errors():
    """Turn every Python warning and NumPy floating-point problem into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            yield
