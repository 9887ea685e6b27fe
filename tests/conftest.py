"""Shared fixtures: a released nbgrader course with short time limits, the student kit."""
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

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


#: Debian's Python (scripts/install-system-packages), which every Unix user can run: students
#: (separate users in the course tests) run the student kit with it.
SYSTEM_PYTHON = "/usr/bin/python3.11"


@pytest.fixture(scope="session")
def shared_folder():
    """A scratch folder every user of the machine can enter (pytest's own are its user's only)."""
    folder = Path(tempfile.mkdtemp(prefix="nnbook-tests-shared-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def student_kit(shared_folder):
    """(the student kit's folder, the bin folder of a fresh venv it is installed in), made with
    Debian's Python and readable by every user of the machine."""
    from autograder.student_kit import write_kit

    root = shared_folder / "student"
    root.mkdir(mode=0o755)
    folder = write_kit(root / "kit", CHAPTERS)
    venv = root / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in [["-r", str(folder / "requirements.txt")], ["--no-deps", str(folder)]]:
        run = subprocess.run(pip + args, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-2000:]
    return folder, venv / "bin"


@pytest.fixture
def numpy_warnings_are_errors():
    """Turn every Python warning and NumPy floating-point problem into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            yield
