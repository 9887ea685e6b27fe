"""Points per exercise from an nbgrader gradebook, for a whole class in one query.

(nbgrader's ``find_submission`` costs a few queries a student; a class of 1000 needs one.)
"""
from nbgrader.api import Assignment, Grade, GradeCell, MissingEntry, SubmittedAssignment, SubmittedNotebook

from autograder.authoring.template import NOTEBOOK_NAME
from autograder.course import CourseError
from autograder.exercises import grading_data

#: The gradebook's name of every assignment's notebook.
NOTEBOOK = NOTEBOOK_NAME.removesuffix(".ipynb")


def exercise_points(gradebook, assignment):
    """{exercise: max points} of the assignment's graded cells, in the order of its CHECKS."""
    try:
        cells = gradebook.find_notebook(NOTEBOOK, assignment).grade_cells
    except MissingEntry:
        raise CourseError(f"assignment {assignment!r} is not in the gradebook: release it first") from None
    points = {cell.name.removeprefix("test_"): cell.max_score for cell in cells}
    try:
        order = list(grading_data(assignment).CHECKS)
    except ImportError:
        order = []
    ranked = sorted(points, key=lambda name: (order.index(name) if name in order else len(order), name))
    return {name: points[name] for name in ranked}


def points_by_student(gradebook, assignment):
    """{student: {exercise: points}} of every submission of ``assignment`` (two queries for the class)."""
    rows = (gradebook.db.query(SubmittedAssignment.student_id, GradeCell.name, Grade.score)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
            .join(GradeCell, GradeCell.id == Grade.cell_id)
            .filter(Assignment.name == assignment))
    points = {}
    for student, cell, score in rows:
        points.setdefault(student, {})[cell.removeprefix("test_")] = float(score)
    for student, in (gradebook.db.query(SubmittedAssignment.student_id)
                     .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                     .filter(Assignment.name == assignment)):
        points.setdefault(student, {})
    return points


def penalties_by_student(gradebook, assignment):
    """{student: late penalty} of the submissions that have one."""
    rows = (gradebook.db.query(SubmittedAssignment.student_id, SubmittedAssignment.late_submission_penalty)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
            .filter(Assignment.name == assignment))
    return {student: float(penalty) for student, penalty in rows if penalty}
