"""Whose score a regrade changed: the gradebook's scores kept before ``grade --regrade``.

When an instructor corrects a hidden case or adds a mutant and grades the class again with
``--regrade``, the grader first writes every student's points per exercise, as the
gradebook holds them, to ``<course>/scores-before-regrade-<assignment>.csv`` (replacing the
previous one). The report and ``grade`` itself then compare the new scores with it.
"""
import csv
import datetime
import os
from dataclasses import dataclass
from typing import Optional

from nbgrader.api import Gradebook

from autograder.reporting.scores import points_by_student


@dataclass(frozen=True)
class Change:
    """One student's score before and after (None: not graded now); ``exercises`` {name:
    (before, after)} of the exercises whose points changed."""

    student: str
    before: float
    after: Optional[float]
    exercises: dict

    @property
    def difference(self):
        return None if self.after is None else self.after - self.before


def snapshot_path(course, assignment):
    return course.root / f"scores-before-regrade-{assignment}.csv"


def keep_scores(course, assignment):
    """Write every student's points per exercise from the gradebook to the snapshot file."""
    with Gradebook(course.gradebook_url) as gradebook:
        points = points_by_student(gradebook, assignment)
    names = sorted({name for exercises in points.values() for name in exercises})
    path = snapshot_path(course, assignment)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", *names])
        for student in sorted(points):
            exercises = points[student]
            writer.writerow([student, repr(sum(exercises.values())), *(repr(exercises.get(n, 0.0)) for n in names)])
    os.replace(temporary, path)


def kept_scores(course, assignment):
    """({student: {exercise: points}} kept before the last regrade, the time it was kept), or
    (None, None) if the assignment was never regraded."""
    path = snapshot_path(course, assignment)
    if not path.exists():
        return None, None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    kept = {row["student"]: {name: float(value) for name, value in row.items() if name not in ("student", "score")}
            for row in rows}
    return kept, datetime.datetime.fromtimestamp(path.stat().st_mtime)


def score_changes(kept, now):
    """The Changes from ``kept`` to ``now`` ({student: {exercise: points}} of the students
    graded now, or None for one in the class who is not graded now), for students in both,
    largest change first."""
    changes = []
    for student, exercises in now.items():
        if student not in kept:
            continue
        before = kept[student]
        if exercises is None:
            changes.append(Change(student, sum(before.values()), None, {}))
            continue
        moved = {name: (before.get(name, 0.0), points) for name, points in exercises.items()
                 if before.get(name, 0.0) != points}
        if moved:
            changes.append(Change(student, sum(before.values()), sum(exercises.values()), moved))
    return sorted(changes, key=lambda c: (-(abs(c.difference) if c.after is not None else float("inf")), c.student))
