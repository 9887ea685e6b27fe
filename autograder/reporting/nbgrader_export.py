"""The Canvas and Moodle grades files as nbgrader export plugins, read from the gradebook.

In a course folder (the roster is optional, see ``autograder.reporting.exports``)::

    nbgrader export --exporter=autograder.reporting.nbgrader_export.CanvasExport --to canvas.csv \\
        --assignment=ch01_logistic_regression --CanvasExport.roster=roster.csv
    nbgrader export --exporter=autograder.reporting.nbgrader_export.MoodleExport --to moodle.csv

Every selected assignment is a column (its name as the header, its points as points
possible) and every student with a submission of one of them a row; a student without a
submission of an assignment has an empty cell there. The points are nbgrader's own export's
``score`` (the submission's score less any late penalty, never below 0), so the numbers are
those of ``nbgrader export`` and of ``nnbook-grader report``.
"""
from nbgrader.plugins import ExportPlugin
from traitlets import Unicode

from autograder.reporting.exports import read_roster, write_canvas, write_moodle
from autograder.reporting.scores import penalties_by_student, points_by_student


def gradebook_table(gradebook, assignments=(), students=()):
    """({assignment: max score}, {student: {assignment: final score}}) from the gradebook,
    for the named assignments and students (all when empty)."""
    columns, grades = {}, {}
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        columns[assignment.name] = assignment.max_score
        penalties = penalties_by_student(gradebook, assignment.name)
        for student, exercises in points_by_student(gradebook, assignment.name).items():
            if not students or student in students:
                final = max(0.0, sum(exercises.values()) - penalties.get(student, 0.0))
                grades.setdefault(student, {})[assignment.name] = final
    return columns, grades


class LmsExport(ExportPlugin):
    """Shared by the Canvas and Moodle plugins: the table, the roster, the warnings."""

    roster = Unicode("", help="CSV mapping student ids to the LMS's identities "
                              "(see autograder.reporting.exports); optional.").tag(config=True)
    default_file = ""
    write = None

    def export(self, gradebook):
        columns, grades = gradebook_table(gradebook, [str(a) for a in self.assignment], [str(s) for s in self.student])
        roster = read_roster(self.roster) if self.roster else None
        written = self.write(self.to or self.default_file, columns, grades, roster)
        self.log.info("Exported %d students and %d assignments to %s", written.rows, len(columns), written.path)
        if written.unknown:
            self.log.warning("%d students are not in the roster and are not in %s: %s", len(written.unknown),
                             written.path, ", ".join(written.unknown))


class CanvasExport(LmsExport):
    """A Canvas gradebook import file."""

    default_file = "canvas-grades.csv"
    write = staticmethod(write_canvas)


class MoodleExport(LmsExport):
    """A Moodle grade import file."""

    default_file = "moodle-grades.csv"
    write = staticmethod(write_moodle)
