"""Grades CSVs a learning-management system imports: Canvas's gradebook and Moodle's grader.

Both take a table ``{student: {column: points or None}}`` (None: no grade to give, the cell
stays empty, which both systems leave unchanged) and ``{column: points possible}``.

Student ids are the names ``nnbook-grader`` gave the submissions. A roster maps them to the
LMS's own identities: a CSV with a ``student`` column and any of ``name``, ``email``,
``id_number`` (the institution's student number), ``login`` (the LMS login name),
``canvas_id`` (Canvas's numeric user id) and ``section``. With a roster, every roster entry
gets a row (empty grade if the class has none for it), and a student of the class missing from
the roster is left out of the file and listed in ``Export.unknown`` (which the report
and the command line show), never dropped silently. Without one, each student id is used as the login name.

Formats followed:

- Canvas: "How do I import grades in the Gradebook?" (Canvas Instructor Guide,
  https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807)
  and its summary in Ohio State's "Import a CSV file into Carmen Grades"
  (https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades):
  the columns ``Student, ID, SIS User ID, SIS Login ID, Section``, one of the first three
  identifying the student, then one column per assignment (a name Canvas does not know
  becomes a new assignment); Canvas's own export, which the import reads back, puts a
  ``Points Possible`` row first. UTF-8, comma separated.
- Moodle: "Grade import" (MoodleDocs, https://docs.moodle.org/en/Grade_import): a CSV with
  a header row whose columns the teacher maps on import, a user column ("Map from") to
  ``username``, ``useridnumber`` or ``useremail`` ("Map to") and each grade column to a
  grade item; the columns here are named as Moodle's own export names them (``ID number``,
  ``Email address``) plus ``Username``.
"""
import csv
from dataclasses import dataclass, field, fields

from autograder.course import CourseError

#: The Canvas identity columns, in Canvas's order, and the roster fields that fill them.
CANVAS_IDENTITY = {"Student": "name", "ID": "canvas_id", "SIS User ID": "id_number", "SIS Login ID": "login",
                   "Section": "section"}
CANVAS_POINTS_ROW = "Points Possible"
#: The Moodle user columns and the roster fields that fill them.
MOODLE_IDENTITY = {"Full name": "name", "Username": "login", "ID number": "id_number", "Email address": "email"}


@dataclass(frozen=True)
class Person:
    """One roster entry: the grader's student id and what the LMS knows the student by."""

    student: str
    name: str = ""
    email: str = ""
    id_number: str = ""
    login: str = ""
    canvas_id: str = ""
    section: str = ""


ROSTER_COLUMNS = [f.name for f in fields(Person)]


@dataclass
class Export:
    """A written grades file of ``rows`` students: ``unknown`` students of the class not in
    the roster (left out), ``without_grade`` students written with an empty grade (not
    graded, or no submission)."""

    path: object
    rows: int
    unknown: list = field(default_factory=list)
    without_grade: list = field(default_factory=list)


def read_roster(path):
    """{student id: Person} from a roster CSV (see the module docstring); CourseError if malformed."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = [name.strip() for name in reader.fieldnames or []]
        if "student" not in header:
            raise CourseError(f"{path}: a roster needs a 'student' column (the ids nnbook-grader gave the submissions)")
        extra = sorted(set(header) - set(ROSTER_COLUMNS))
        if extra:
            raise CourseError(f"{path}: unknown roster columns {extra}; a roster may have {ROSTER_COLUMNS}")
        roster = {}
        for line, row in enumerate(reader, start=2):
            entry = {name.strip(): (value or "").strip() for name, value in row.items() if name is not None}
            if not entry["student"]:
                raise CourseError(f"{path}, line {line}: no student id")
            if entry["student"] in roster:
                raise CourseError(f"{path}, line {line}: student {entry['student']!r} is listed twice")
            roster[entry["student"]] = Person(**entry)
    return roster


def people(grades, roster):
    """([Person for each row], [unknown students]): the roster's entries, or, without a
    roster, each student of ``grades`` under their own id as login and name."""
    if roster is None:
        return [Person(student, name=student, login=student) for student in sorted(grades)], []
    return list(roster.values()), sorted(student for student in grades if student not in roster)


def number(points):
    """Points as the LMS reads them: '5', '1.5', '0.333333'."""
    return f"{points:.6f}".rstrip("0").rstrip(".")


def grade_cells(person, columns, grades):
    cells = grades.get(person.student, {})
    return ["" if cells.get(column) is None else number(cells[column]) for column in columns]


def write_rows(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_lms_csv(path, identity, columns, grades, roster, first_rows=()):
    """Write one LMS file: ``identity`` {header: Person field}, then a column per grade."""
    listed, unknown = people(grades, roster)
    rows = [*first_rows]
    without_grade = []
    for person in listed:
        cells = grade_cells(person, columns, grades)
        if not any(cells):
            without_grade.append(person.student)
        rows.append([getattr(person, name) for name in identity.values()] + cells)
    write_rows(path, [*identity, *columns], rows)
    return Export(path, len(listed), unknown, without_grade)


def write_canvas(path, columns, grades, roster=None):
    """A Canvas gradebook import file; ``columns`` {assignment column: points possible}."""
    points_row = [CANVAS_POINTS_ROW] + [""] * (len(CANVAS_IDENTITY) - 1) + [number(p) for p in columns.values()]
    return write_lms_csv(path, CANVAS_IDENTITY, columns, grades, roster, [points_row])


def write_moodle(path, columns, grades, roster=None):
    """A Moodle grade import file; ``columns`` {grade item column: max grade} (Moodle takes the
    maximum from the grade item itself)."""
    return write_lms_csv(path, MOODLE_IDENTITY, columns, grades, roster)
