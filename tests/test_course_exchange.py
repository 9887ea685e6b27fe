"""A course through nbgrader's exchange, with real students: separate Unix users created by the
test, each working with the student kit. The instructor releases with nnbook-grader and
nbgrader, the students fetch, answer (right, half, broken) and submit, the instructor
collects, grades with nnbook-grader and releases feedback, and each student fetches their
own feedback and can see no one else's."""
import os
import pwd
import subprocess
import sys

import nbformat
import pytest

from autograder.authoring.filling import with_reference
from autograder.course import Course, release, tool_environment
from autograder.judging.checking import chapter_modules
from tests.conftest import ASSIGNMENTS, SUBMISSION_TIMEOUT

CHAPTER = "ch00_perceptrons"
COURSE_ID = "nnbook"
#: Unix users the test creates (and removes), with what each hands in.
STUDENTS = {"nnbk-ada": "right", "nnbk-bo": "half", "nnbk-cy": "broken"}


@pytest.fixture(scope="module")
def unix_students(shared_folder):
    """{student: home folder} of Unix users made for the test, removed after it."""
    assert os.geteuid() == 0, "the course test makes Unix users for its students: run it as root"
    homes = shared_folder / "homes"
    homes.mkdir(mode=0o755)
    made = {}
    try:
        for student in STUDENTS:
            subprocess.run(["userdel", "--remove", student], capture_output=True)
            # Private homes, as on a hub: no student can read another's work.
            subprocess.run(["useradd", "--create-home", "--key", "HOME_MODE=0700", "--home-dir", str(homes / student),
                            "--shell", "/bin/sh", "--user-group", student], check=True, capture_output=True)
            made[student] = homes / student
        yield made
    finally:
        for student in made:
            subprocess.run(["userdel", "--remove", student], capture_output=True)


@pytest.fixture(scope="module")
def exchange_course(shared_folder):
    """(course, exchange folder): a course released by nnbook-grader, whose config names an
    exchange made as nbgrader documents (everyone may read and write its root)."""
    root = shared_folder / "exchange_course"
    root.mkdir(mode=0o755)
    exchange = root / "exchange"
    exchange.mkdir(mode=0o777)
    os.chmod(exchange, 0o777)
    course = Course(root / "course")
    release(course, [a for a in ASSIGNMENTS if a.name == CHAPTER], cell_timeout=5, notebook_timeout=8,
            submission_timeout=SUBMISSION_TIMEOUT)
    with course.config_path.open("a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    return course, exchange


def instructor(course, *args):
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course.root, capture_output=True, text=True,
                         env=tool_environment(), timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def as_student(student, home, kit_bin, *args):
    """``nbgrader *args`` run by the Unix user ``student`` with the student kit, in their home."""
    run = subprocess.run(["runuser", "-u", student, "--", "env", "-i", f"HOME={home}", f"PATH={kit_bin}:/usr/bin:/bin",
                          str(kit_bin / "nbgrader"), *args, "--course", COURSE_ID], cwd=home, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, f"{student}: nbgrader {args[0]}: {run.stderr[-2000:]}"
    return run


def answered(notebook, kind):
    """The notebook's text answered right, half right (the first function only) or broken."""
    exercises = chapter_modules(CHAPTER)[1]
    if kind == "right":
        return nbformat.writes(with_reference(notebook, CHAPTER))
    if kind == "half":
        wrong = {name: exercises.MUTANTS[name][0] for name in list(exercises.CHECKS)[1:]}
        return nbformat.writes(with_reference(notebook, CHAPTER, **wrong))
    return '{"cells": [ {"broken'


@pytest.fixture(scope="module")
def round_trip(exchange_course, unix_students, student_kit):
    """Run the whole course; return (course, exchange, {student: fetched feedback files})."""
    course, exchange = exchange_course
    _, kit_bin = student_kit
    instructor(course, "release_assignment", CHAPTER, "--force")
    for student, home in unix_students.items():
        # Where the course's exchange is, as a hub's admin tells its users (here, per user).
        config = home / ".jupyter" / "nbgrader_config.py"
        config.parent.mkdir()
        config.write_text(f"c = get_config()  # noqa: F821\nc.Exchange.root = {str(exchange)!r}\n")
        user = pwd.getpwnam(student)
        for path in (config.parent, config):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_student(student, home, kit_bin, "fetch_assignment", CHAPTER)
        notebook_path = home / CHAPTER / "exercises.ipynb"
        notebook_path.write_text(answered(nbformat.read(notebook_path, as_version=4), STUDENTS[student]))
        os.chown(notebook_path, user.pw_uid, user.pw_gid)
        as_student(student, home, kit_bin, "submit", CHAPTER)
    instructor(course, "collect", CHAPTER)
    grade = subprocess.run([sys.executable, "-m", "autograder", "grade", CHAPTER, str(course.root / "submitted"),
                            "--course", str(course.root), "--quiet"], capture_output=True, text=True,
                           env=tool_environment(), timeout=600)
    assert grade.returncode == 0, grade.stderr[-2000:]
    instructor(course, "release_feedback", CHAPTER)
    fetched = {}
    for student, home in unix_students.items():
        as_student(student, home, kit_bin, "fetch_feedback", CHAPTER)
        fetched[student] = sorted((home / CHAPTER / "feedback").rglob("*.html")) if (home / CHAPTER / "feedback").exists() else []
    return course, exchange, unix_students, kit_bin, fetched, grade.stdout


def test_every_student_fetched_the_assignment_and_submitted_through_the_exchange(round_trip):
    course, *_ = round_trip
    for student in STUDENTS:
        assert (course.root / "submitted" / student / CHAPTER / "exercises.ipynb").exists(), student


def test_the_grades_are_those_the_answers_deserve(round_trip):
    *_, stdout = round_trip
    lines = {line.split(":")[0]: line for line in stdout.splitlines() if line.startswith("nnbk-")}
    full = lines["nnbk-ada"].split()[1]
    score, maximum = full.split("/")
    assert score == maximum and "[graded]" in lines["nnbk-ada"]
    half = lines["nnbk-bo"].split()[1].split("/")
    assert 0 < float(half[0]) < float(half[1])
    assert "[not graded]" in lines["nnbk-cy"] and "invalid JSON" in lines["nnbk-cy"]


def test_each_student_fetches_their_own_feedback_and_no_one_elses(round_trip):
    course, _, _, _, fetched, _ = round_trip
    for student in ["nnbk-ada", "nnbk-bo"]:
        assert len(fetched[student]) == 1, fetched[student]
        ours = fetched[student][0].read_text()
        assert ours == course.feedback_html(student, CHAPTER).read_text()
        others = [s for s in STUDENTS if s != student and course.feedback_html(s, CHAPTER).exists()]
        assert all(course.feedback_html(s, CHAPTER).read_text() != ours for s in others)
    assert fetched["nnbk-cy"] == [], "a submission that was not graded has no feedback"


def test_a_student_cannot_read_what_others_submitted_or_the_course(round_trip):
    course, exchange, homes, _, _, _ = round_trip
    for target in [exchange / COURSE_ID / "inbound", course.root / "gradebook.db", homes["nnbk-ada"] / CHAPTER]:
        run = subprocess.run(["runuser", "-u", "nnbk-bo", "--", "ls", str(target)], capture_output=True, text=True)
        assert run.returncode != 0, f"nnbk-bo can list {target}: {run.stdout}"


def test_the_exchange_root_is_open_to_everyone_as_nbgrader_documents(exchange_course):
    _, exchange = exchange_course
    assert oct(exchange.stat().st_mode & 0o777) == "0o777"
