"""A graded class as the report reads it: one ``Submission`` a student.

Three sources, each for what it alone knows:

- the grades CSV that ``nnbook-grader grade`` wrote: who was in the batch, and the status
  and reason of each (a notebook that could not be graded is in no gradebook);
- the gradebook: each student's points per exercise (one query for the whole class), and
  late penalties;
- the autograded notebooks: the one-line failure text the grader put first in each failed
  test cell (``autograder.preprocessors.apply_verdicts``), and how long grading took (from
  the submitted copy's time to the time its graded marker was written).

Without a grades CSV (a class autograded with plain ``nbgrader autograde``) every student
with a submission in the gradebook is in the class.
"""
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from nbgrader.api import Gradebook

from autograder.authoring.template import NOTEBOOK_NAME
from autograder.cells import test_cell_name
from autograder.course import CourseError
from autograder.grading import graded_marker
from autograder.preprocessors import HIDDEN_TEST_FAILURE, KERNEL_DIED
from autograder.reporting.scores import exercise_points, penalties_by_student, points_by_student


@dataclass
class Submission:
    """One student's outcome.

    status: "graded", "stopped" or "not graded" (``message`` says why, or notes a problem).
    exercises: {exercise: points}, graded students only; ``penalty`` is nbgrader's late penalty.
    failures: {exercise: the grader's one-line failure text} for exercises short of full points.
    seconds: wall-clock seconds its autograde and feedback took, or None if unknown.
    """

    student: str
    status: str
    message: str = ""
    exercises: dict = field(default_factory=dict)
    penalty: float = 0.0
    failures: dict = field(default_factory=dict)
    seconds: Optional[float] = None

    @property
    def score(self):
        return sum(self.exercises.values())

    @property
    def final_score(self):
        """The score after nbgrader's late penalty, never below 0 (what nbgrader exports)."""
        return max(0.0, self.score - self.penalty)


@dataclass
class ClassResults:
    """A graded assignment: ``exercises`` {name: max points} in test-cell order, ``submissions``."""

    assignment: str
    exercises: dict
    submissions: list

    @property
    def max_score(self):
        return sum(self.exercises.values())

    @property
    def graded(self):
        return [s for s in self.submissions if s.status == "graded"]


def default_grades_csv(course, assignment):
    return course.root / f"grades-{assignment}.csv"


def load_class(course, assignment, grades_csv=None):
    """The class of ``assignment`` in ``course``: the batch in ``grades_csv`` (default
    ``<course>/grades-<assignment>.csv``), or every gradebook submission if there is none."""
    grades_csv = Path(grades_csv) if grades_csv else default_grades_csv(course, assignment)
    if not (course.root / "gradebook.db").exists():
        raise CourseError(f"{course.root} has no gradebook.db: release and grade {assignment} first")
    with Gradebook(course.gradebook_url) as gradebook:
        exercises = exercise_points(gradebook, assignment)
        points = points_by_student(gradebook, assignment)
        penalties = penalties_by_student(gradebook, assignment)
    if grades_csv.exists():
        submissions = [Submission(row["student"], row["status"], row["message"]) for row in read_rows(grades_csv)]
    elif grades_csv != default_grades_csv(course, assignment):
        raise CourseError(f"{grades_csv}: no such grades CSV")
    else:
        submissions = [Submission(student, "graded") for student in sorted(points)]
    for submission in submissions:
        if submission.status != "graded":
            continue
        if submission.student not in points:
            submission.status, submission.message = "not graded", "nbgrader recorded no submission"
            continue
        submission.exercises = {name: points[submission.student].get(name, 0.0) for name in exercises}
        submission.penalty = penalties.get(submission.student, 0.0)
        short = [name for name in exercises if submission.exercises[name] < exercises[name]]
        if short:
            texts = failure_texts(autograded_notebook(course, assignment, submission.student))
            submission.failures = {name: texts.get(name, "") for name in short}
        submission.seconds = grading_seconds(course, assignment, submission.student)
    return ClassResults(assignment, exercises, submissions)


def read_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"student", "status", "message"} <= set(rows[0]):
        raise CourseError(f"{path} is not a grades CSV written by nnbook-grader grade")
    return rows


def autograded_notebook(course, assignment, student):
    return course.root / "autograded" / student / assignment / NOTEBOOK_NAME


def failure_texts(path):
    """{exercise: the grader's failure text} of a graded notebook's failed test cells; {} if
    the notebook cannot be read. Read as plain JSON (no schema validation: a class has
    hundreds of them)."""
    try:
        cells = json.loads(path.read_text()).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    texts = {}
    for cell in cells if isinstance(cells, list) else []:
        name = test_cell_name(cell) if isinstance(cell, dict) else None
        if name is None:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") in (HIDDEN_TEST_FAILURE, KERNEL_DIED):
                texts[name] = str(output.get("evalue", ""))
                break
    return texts


def grading_seconds(course, assignment, student):
    """Seconds from placing the submission to writing its graded marker (after feedback), or None."""
    submitted = course.submitted_notebook(student, assignment)
    marker = graded_marker(course, assignment, student)
    try:
        seconds = marker.stat().st_mtime - submitted.stat().st_mtime
    except OSError:
        return None
    return seconds if seconds >= 0 else None
