"""The student kit installs into a fresh virtual environment, runs the exercises and the check,
and holds no answer: no reference solution, hidden case, mutant or grading code."""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.filling import with_reference
from autograder.judging.checking import chapter_modules
from autograder.student_kit import write_kit
from tests.conftest import CHAPTER_NAMES, CHAPTERS
from tests.test_exercise_pipeline import body_lines, contains_consecutive_pair, normalized_lines, reference_functions

CHAPTER = "ch01_logistic_regression"


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """(kit folder, the bin folder of a fresh venv it is installed in)."""
    root = tmp_path_factory.mktemp("student")
    folder = write_kit(root / "kit", CHAPTERS)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in [["-r", str(folder / "requirements.txt")], ["--no-deps", str(folder)]]:
        run = subprocess.run(pip + args, capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-2000:]
    return folder, venv / "bin"


def in_kit(bin_folder, *command):
    return subprocess.run([str(bin_folder / command[0]), *command[1:]], capture_output=True, text=True,
                          cwd=bin_folder.parent,  # not this checkout, which holds the answers
                          timeout=600, env={"PATH": f"{bin_folder}:/usr/bin:/bin", "HOME": str(bin_folder.parent)})


def test_the_kit_has_every_released_notebook_and_its_readme_says_how_to_install_it(kit):
    folder, _ = kit
    assert sorted(p.parent.name for p in (folder / "notebooks").glob("*/exercises.ipynb")) == CHAPTER_NAMES
    readme = (folder / "README.md").read_text()
    assert "pip install -r requirements.txt" in readme and "nnbook-grader check" in readme


def test_the_kit_holds_no_answer_hidden_case_or_grading_code(kit):
    folder, _ = kit
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert not [p for p in files if p.parts[-2:-1] in (("solutions",), ("exercises",), ("judging",))]
    texts = [p.read_text(errors="replace") for p in files if p.suffix in (".py", ".ipynb", ".md", ".toml", ".txt")]
    for chapter, name, function in reference_functions():
        for text in texts:
            assert not contains_consecutive_pair(body_lines(function), normalized_lines(text)), f"{chapter}.{name}"


def test_in_the_kit_importing_the_answers_or_the_grader_fails(kit):
    _, bin_folder = kit
    for module in ["solutions", "autograder.exercises", "autograder.judging.checking", "autograder.grading"]:
        run = in_kit(bin_folder, "python", "-c", f"import {module}")
        assert run.returncode != 0 and "ModuleNotFoundError" in run.stderr, module


def test_a_student_checks_a_notebook_in_the_kit_as_grading_would(kit, tmp_path):
    folder, bin_folder = kit
    release = nbformat.read(folder / "notebooks" / CHAPTER / "exercises.ipynb", as_version=4)
    nbformat.write(with_reference(release, CHAPTER), tmp_path / "done.ipynb")
    done = in_kit(bin_folder, "nnbook-grader", "check", str(tmp_path / "done.ipynb"))
    count = len(chapter_modules(CHAPTER)[1].CHECKS)
    assert done.returncode == 0 and f"{count} of {count} exercises pass" in done.stdout, done.stdout + done.stderr
    untouched = in_kit(bin_folder, "nnbook-grader", "check", str(folder / "notebooks" / CHAPTER / "exercises.ipynb"))
    assert untouched.returncode == 1 and untouched.stdout.count("[todo]") == count, untouched.stdout


def test_the_kit_says_in_one_line_when_a_notebook_cannot_be_checked(kit, tmp_path):
    _, bin_folder = kit
    (tmp_path / "broken.ipynb").write_text("{not json")
    run = in_kit(bin_folder, "nnbook-grader", "check", str(tmp_path / "broken.ipynb"))
    assert run.returncode == 1 and run.stderr.count("\n") == 1 and "invalid JSON" in run.stderr


def test_writing_a_kit_over_an_existing_folder_is_refused(tmp_path):
    (tmp_path / "kit").mkdir()
    with pytest.raises(ValueError, match="exists already"):
        write_kit(tmp_path / "kit", CHAPTERS)
    assert not list(Path(tmp_path / "kit").iterdir())
