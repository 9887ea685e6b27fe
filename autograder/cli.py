"""``nnbook-grader``: release the book's exercises, grade submissions, report on a class, check a notebook.

Every failure ends with one line on stderr (no traceback) and a non-zero exit code.
"""
import argparse
import subprocess
import sys
from pathlib import Path

from autograder.running import scratch
from autograder.course import Course, CourseError, copy_release_to_book, release
from autograder.grading import grade_batch, require_released
from autograder.reporting.regrade import kept_scores, score_changes
from autograder.reporting.report import write_report
from autograder.running import sandbox
from autograder.student_cli import EXIT_FAILURE, add_check_command, run_reporting_errors
from autograder.student_kit import write_kit
from autograder.submissions import SubmissionsError, collect
from autograder.authoring.template import TemplateError, find_assignments

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cmd_release(args):
    assignments = find_assignments(args.chapters)
    if args.assignment:
        assignments = [a for a in assignments if a.name in args.assignment]
        missing = set(args.assignment) - {a.name for a in assignments}
        if missing:
            raise CourseError(f"no exercise template for {sorted(missing)} in {args.chapters}")
    if not assignments:
        raise CourseError(f"no chapters with exercises.template.ipynb in {args.chapters}")
    course = Course(Path(args.course).resolve())
    release(course, assignments)
    if args.book:
        copy_release_to_book(course, assignments, args.chapters)
    for a in assignments:
        print(f"released {a.name} -> {course.release_notebook(a.name)}")
    return 0


def cmd_grade(args):
    course = Course(Path(args.course).resolve())
    require_released(course, args.assignment)
    for note in sandbox_notes(course):
        print(f"nnbook-grader: note: {note}", file=sys.stderr)
    grades_csv = Path(args.output or course.root / f"grades-{args.assignment}.csv")
    with scratch.folder("submissions") as unpacked:
        submissions = collect(args.submissions, args.assignment, unpacked)
        results = grade_batch(course, args.assignment, submissions, grades_csv, progress=not args.quiet,
                              workers=args.workers, regrade=args.regrade)
    for r in sorted(results, key=lambda r: r.student):
        line = f"{r.student}: {r.score:g}/{r.max_score:g} [{r.status}]"
        print(f"{line} {r.message}" if r.message else line)
    graded = sum(r.status == "graded" for r in results)
    print(f"{graded} of {len(results)} graded; grades in {grades_csv}; feedback in {course.root / 'feedback'}")
    if args.regrade:
        print(regrade_lines(course, args.assignment, results))
    return 0


def regrade_lines(course, assignment, results):
    """Whose score the regrade changed, from the scores kept before it, a line each."""
    kept, _ = kept_scores(course, assignment)
    changes = score_changes(kept or {}, {r.student: (r.exercises if r.status == "graded" else None) for r in results})
    lines = [f"regrade: {len(changes)} of {len(results)} scores changed"]
    for change in changes:
        after = "not graded" if change.after is None else f"{change.after:g} ({change.difference:+g})"
        lines.append(f"  {change.student}: {change.before:g} -> {after}")
    return "\n".join(lines)


def cmd_report(args):
    course = Course(Path(args.course).resolve())
    written = write_report(course, args.assignment, grades_csv=args.grades, roster=args.roster,
                           output_dir=Path(args.output_dir).resolve() if args.output_dir else None,
                           lms_column=args.lms_column)
    print(written.text)
    print(f"LMS files: {written.canvas.path} (Canvas), {written.moodle.path} (Moodle)")
    return 0


def sandbox_notes(course):
    """What the grading sandbox cannot do on this machine, a line each."""
    if not course.setting("BudgetedExecute", "sandbox", True):
        return ["the sandbox is off in nbgrader_config.py: students' code runs unconfined"]
    notes = []
    if not sandbox.privileged():
        notes.append("not running as root: kernels run under your uid in a user namespace, not as nobody")
    if not sandbox.memory_cap_available():
        notes.append("no writable cgroup v1 memory controller: memory is capped per process only")
    return notes


def parser():
    p = argparse.ArgumentParser(prog="nnbook-grader", description="Release the book's exercises, grade submissions, "
                                                                  "report on a class, check a notebook.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("release", help="build nbgrader source notebooks from the chapters and release student versions")
    r.add_argument("--course", default="course", help="course folder to create or update (default: ./course)")
    r.add_argument("--chapters", default=str(PROJECT_ROOT / "chapters"), help="chapters folder (default: the book's)")
    r.add_argument("--assignment", action="append", help="release only this assignment (repeatable)")
    r.add_argument("--book", action="store_true", help="also copy each student notebook into its chapter for the book")
    r.set_defaults(run=cmd_release)

    g = sub.add_parser("grade", help="autograde a batch: nbgrader submitted/ layout, a folder or a zip of <student>.ipynb")
    g.add_argument("assignment", help="assignment name, e.g. ch01_logistic_regression")
    g.add_argument("submissions", help="folder or .zip holding the submissions")
    g.add_argument("--course", default="course", help="course folder made by `release` (default: ./course)")
    g.add_argument("--output", help="where to write the grades CSV (default: <course>/grades-<assignment>.csv)")
    g.add_argument("--workers", type=int, help="submissions graded at once (default: one per core)")
    g.add_argument("--regrade", action="store_true", help="grade again submissions already graded unchanged (after "
                                                          "a fix to the grading), and say whose score changed")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.set_defaults(run=cmd_grade)

    rp = sub.add_parser("report", help="the class report (HTML page and summary) and Canvas and Moodle grades files")
    rp.add_argument("assignment", help="assignment name, e.g. ch01_logistic_regression")
    rp.add_argument("--course", default="course", help="course folder (default: ./course)")
    rp.add_argument("--grades", help="the grades CSV of the class (default: <course>/grades-<assignment>.csv)")
    rp.add_argument("--roster", help="CSV mapping student ids to LMS identities: a 'student' column and any of "
                                     "name, email, id_number, login, canvas_id, section")
    rp.add_argument("--output-dir", help="where to write report-, canvas- and moodle-<assignment> (default: the course)")
    rp.add_argument("--lms-column", help="the grade column's header in the LMS files (default: the assignment name)")
    rp.set_defaults(run=cmd_report)

    add_check_command(sub)

    k = sub.add_parser("student-kit", help="write what a student installs to work offline (no answers in it)")
    k.add_argument("folder", help="folder to write the kit into (created; must not exist)")
    k.add_argument("--chapters", default=str(PROJECT_ROOT / "chapters"), help="chapters folder (default: the book's)")
    k.set_defaults(run=cmd_student_kit)
    return p


def cmd_student_kit(args):
    folder = write_kit(Path(args.folder), Path(args.chapters))
    print(f"student kit in {folder}: {folder / 'README.md'} says how to install and use it")
    return 0


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return run_reporting_errors(args)
    except subprocess.TimeoutExpired as error:
        print(f"nnbook-grader: error: {error.cmd[2:4]} took longer than {error.timeout} s", file=sys.stderr)
    return EXIT_FAILURE
