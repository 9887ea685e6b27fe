"""Grading survives being killed and refuses to run twice on one course at once."""
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.course import exclusive, tool_environment
from autograder.authoring.filling import with_reference
from autograder.grading import graded_marker
from tests.conftest import CHAPTER_NAMES


def grade_command(chapter, folder, course, *extra):
    return [sys.executable, "-m", "autograder", "grade", chapter, str(folder), "--course", str(course.root),
            "--output", str(folder / "grades.csv"), "--quiet", *extra]


def test_second_grader_on_the_same_course_is_refused_with_one_line(course, released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    nbformat.write(released[chapter], tmp_path / "lone.ipynb")
    with exclusive(course):
        run = subprocess.run(grade_command(chapter, tmp_path, course), capture_output=True, text=True,
                             env=tool_environment())
    assert run.returncode != 0 and "is in use by nnbook-grader" in run.stderr and run.stderr.count("\n") == 1


def test_rerun_after_sigkill_grades_only_what_was_left(course, released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    students = [f"resume{i}" for i in range(4)]
    for student in students:
        nbformat.write(with_reference(released[chapter], chapter), tmp_path / f"{student}.ipynb")
    grader = subprocess.Popen(grade_command(chapter, tmp_path, course, "--workers", "1"), env=tool_environment(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    first = graded_marker(course, chapter, students[0])
    deadline = time.monotonic() + 120
    while not first.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    assert first.exists(), "the first submission was graded before the kill"
    done_before = {s: graded_marker(course, chapter, s).stat().st_mtime_ns
                   for s in students if graded_marker(course, chapter, s).exists()}
    assert len(done_before) < len(students), "the kill came before the batch finished"
    left_behind = sorted(Path(tempfile.gettempdir()).glob(f"nnbook-*-{grader.pid}-*"))
    assert left_behind, "the killed grader had scratch folders (unpacked submissions, its worker's kernels)"

    run = subprocess.run(grade_command(chapter, tmp_path, course), capture_output=True, text=True,
                         env=tool_environment())
    assert run.returncode == 0, run.stderr
    assert not any(path.exists() for path in left_behind), "the rerun deleted the killed grader's scratch folders"
    for student, mtime in done_before.items():
        assert graded_marker(course, chapter, student).stat().st_mtime_ns == mtime, f"{student} was regraded"
    export = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course.root, capture_output=True,
                            text=True, env=tool_environment())
    assert export.returncode == 0
    rows = [line for line in (course.root / "grades.csv").read_text().splitlines()
            if line.startswith(f"{chapter},") and ",resume" in line]
    assert sorted(r.split(",")[3] for r in rows) == students, "each student is in the gradebook exactly once"
    points = {line.split(": ")[0]: line.split(": ")[1].split(" ")[0] for line in run.stdout.splitlines() if ": " in line}
    for student in students:
        score, max_score = points[student].split("/")
        assert score == max_score, f"{student} has {points[student]} after the rerun"
