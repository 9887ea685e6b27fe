"""Shared fixtures: a released nbgrader course with short time limits, the student kit, notebook
makers, and a graded class of chapter 0 with its reports."""
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pytest

from autograder.course import Course, release, tool_environment
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


#: The roster of the class report's test class: three of its students, and one with no submission.
CLASS_ROSTER = """student,name,email,id_number,login,canvas_id,section
class.reference.0,"Lovelace, Ada",ada@example.edu,1001,ada,501,A
class.reference.1,"Hopper, Grace",grace@example.edu,1002,grace,502,A
class.mutant.perceptron_fires_on_the_line,"Turing, Alan",alan@example.edu,1003,alan,503,B
absent.student,"Dijkstra, Edsger",edsger@example.edu,1004,edsger,504,B
"""


@pytest.fixture(scope="session")
def graded_class(course, released, tmp_path_factory):
    """A class of chapter 0 graded for real and reported (``first``), then regraded through the
    command line after an instructor's fix and reported again with a roster (``second``); see
    tests/class_batch.py. The reports and LMS files are in ``root/first`` and ``root/second``."""
    from autograder.grading import grade_batch
    from autograder.reporting.report import write_report
    from autograder.submissions import collect
    from tests import class_batch

    root = tmp_path_factory.mktemp("class")
    folder = root / "submissions"
    folder.mkdir()
    for student, notebook in class_batch.class_notebooks(released[class_batch.CHAPTER]).items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    (folder / f"{class_batch.CORRUPT}.ipynb").write_text('{"cells": [')
    grades = root / "grades.csv"
    results = grade_batch(course, class_batch.CHAPTER, collect(folder, class_batch.CHAPTER), grades, progress=False)
    first = write_report(course, class_batch.CHAPTER, grades, output_dir=root / "first")
    before = class_batch.predicted_failures()
    with class_batch.fixed():
        after = class_batch.predicted_failures()

    (root / "fix").mkdir()
    (root / "fix" / "sitecustomize.py").write_text(class_batch.SITECUSTOMIZE)
    (root / "roster.csv").write_text(CLASS_ROSTER)
    env = {**tool_environment(), "PYTHONPATH": os.pathsep.join([str(root / "fix"), str(PROJECT_ROOT)])}

    def cli(*args):
        run = subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout

    regrade = cli("grade", class_batch.CHAPTER, folder, "--course", course.root, "--output", grades, "--regrade",
                  "--quiet")
    report = cli("report", class_batch.CHAPTER, "--course", course.root, "--grades", grades, "--roster",
                 root / "roster.csv", "--output-dir", root / "second")
    return SimpleNamespace(root=root, folder=folder, grades=grades, results={r.student: r for r in results},
                           first=first, before=before, after=after, regrade_output=regrade, report_output=report)
