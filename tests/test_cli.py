"""The command line as a user meets it: help, one-line errors, the student's check."""
import subprocess
import sys

import nbformat
import pytest

from autograder.course import tool_environment
from autograder.authoring.filling import with_reference
from tests.conftest import CHAPTER_NAMES


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=tool_environment())


@pytest.mark.parametrize("command", [[], ["release"], ["grade"], ["check"]])
def test_help_describes_every_command(command):
    run = cli(*command, "--help")
    assert run.returncode == 0 and "usage: nnbook-grader" in run.stdout


@pytest.mark.parametrize("args,message", [
    (["grade", "no_such_assignment", "."], "is not a course folder"),
    (["release", "--assignment", "ch99_missing"], "no exercise template for ['ch99_missing']"),
    (["check", "missing.ipynb"], "No such file"),
])
def test_bad_input_gives_one_line_error_and_nonzero_exit(tmp_path, args, message):
    run = cli(*args, cwd=tmp_path) if args[0] != "release" else cli(*args, "--course", tmp_path / "c")
    assert run.returncode != 0
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("nnbook-grader: error:") and message in run.stderr


def test_grading_an_unreleased_assignment_is_a_clear_error(course, tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    run = cli("grade", "ch42_unknown", tmp_path, "--course", course.root)
    assert run.returncode != 0 and "is not released" in run.stderr and run.stderr.count("\n") == 1


def test_missing_submissions_folder_is_a_clear_error(course, tmp_path):
    run = cli("grade", CHAPTER_NAMES[0], tmp_path / "nowhere", "--course", course.root)
    assert run.returncode != 0 and "nowhere: no such file or folder" in run.stderr and run.stderr.count("\n") == 1


def test_a_zip_that_is_not_a_zip_is_a_clear_error(course, tmp_path):
    (tmp_path / "class.zip").write_text("not a zip")
    run = cli("grade", CHAPTER_NAMES[0], tmp_path / "class.zip", "--course", course.root)
    assert run.returncode != 0 and "not a valid zip file" in run.stderr


def test_student_check_reports_each_exercise(released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    partial = with_reference(released[chapter], chapter)
    last = [c for c in partial.cells if c.metadata.get("nbgrader", {}).get("solution")][-1]
    last.source = released[chapter].cells[partial.cells.index(last)].source  # back to the stub
    nbformat.write(partial, tmp_path / "exercises.ipynb")
    run = cli("check", tmp_path / "exercises.ipynb")
    assert run.returncode == 1
    assert f"[todo] {last.metadata.nbgrader.grade_id}" in run.stdout
    assert run.stdout.count("[ok  ]") == len([c for c in partial.cells if c.metadata.get("nbgrader", {}).get("grade")]) - 1


def test_student_check_passes_a_complete_notebook(released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    nbformat.write(with_reference(released[chapter], chapter), tmp_path / "exercises.ipynb")
    run = cli("check", tmp_path / "exercises.ipynb")
    assert run.returncode == 0 and "[FAIL]" not in run.stdout and "[todo]" not in run.stdout


def test_student_check_rejects_a_corrupt_notebook_in_one_line(tmp_path):
    (tmp_path / "exercises.ipynb").write_bytes(b"\xff\xfe garbage")
    run = cli("check", tmp_path / "exercises.ipynb")
    assert run.returncode != 0 and "not UTF-8" in run.stderr and run.stderr.count("\n") == 1
