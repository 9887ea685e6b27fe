"""``nnbook-grader check``: what a student runs before submitting, and the command of the student kit.

The student kit (``autograder.student_kit``) installs this module as ``nnbook-grader`` with
``check`` alone; the instructor's ``nnbook-grader`` (``autograder.cli``) adds its commands.
Every failure ends with one line on stderr (no traceback) and a non-zero exit code.
"""
import argparse
import sys

from autograder.student_check import check_notebook

EXIT_FAILURE = 1


def cmd_check(args):
    statuses, warnings = check_notebook(args.notebook)
    marks = {"passed": "ok  ", "failed": "FAIL", "not attempted": "todo"}
    for s in statuses:
        print(f"[{marks[s.status]}] {s.name}" + (f": {s.detail}" if s.detail else ""))
    for w in warnings:
        print(f"warning: {w}")
    done = sum(s.status == "passed" for s in statuses)
    print(f"{done} of {len(statuses)} exercises pass their visible tests (grading runs more tests).")
    return 0 if done == len(statuses) else EXIT_FAILURE


def add_check_command(subparsers):
    c = subparsers.add_parser("check", help="run your notebook fresh and report each exercise before you submit")
    c.add_argument("notebook", help="path to your exercises.ipynb")
    c.set_defaults(run=cmd_check)


def run_reporting_errors(args, errors=(ValueError, OSError, RuntimeError)):
    """``args.run(args)``; an error of ``errors`` becomes one line on stderr and exit code 1."""
    try:
        return args.run(args)
    except errors as error:
        print(f"nnbook-grader: error: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("nnbook-grader: interrupted", file=sys.stderr)
    return EXIT_FAILURE


def main(argv=None):
    p = argparse.ArgumentParser(prog="nnbook-grader", description="Check your exercise notebook before you submit it.")
    add_check_command(p.add_subparsers(dest="command", required=True))
    return run_reporting_errors(p.parse_args(argv))
