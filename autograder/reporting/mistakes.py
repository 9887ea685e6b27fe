"""What a failed exercise tells the instructor: a recognised mistake, no attempt, or something new.

The grader's failure text for a hidden test ends in ". Likely mistake: <explanation>" when
a catalogued mutant reproduces the student's output, or raises the same error on the same
case (``autograder.judging.checking.known_mistake`` and ``known_error``); the explanation is
that mutant's first docstring line. It is counted as a recognised mistake only if it is one
of the exercise's catalogued explanations (a student's own exception text cannot pose as
one: the grader's case label always follows it). A stub that still raises
NotImplementedError was not attempted. Anything else is a failure no mutant explains,
grouped by its one-line text (the grader's texts are deterministic: the same wrong code
gives the same text on the same hidden inputs).
"""
from dataclasses import dataclass

from autograder.exercises import grading_data
from autograder.judging.checking import HINT

MISTAKE, NOT_ATTEMPTED, UNEXPLAINED = "mistake", "not attempted", "unexplained"


@dataclass(frozen=True)
class Reading:
    """kind: MISTAKE, NOT_ATTEMPTED or UNEXPLAINED; text: the mistake's explanation, or the
    failure text itself (which groups unexplained failures)."""

    kind: str
    text: str


def explanations(assignment):
    """{exercise: the first docstring lines of its catalogued mutants}, as grading knows them
    now ({} for an assignment without grading data)."""
    try:
        mutants = grading_data(assignment).MUTANTS
    except ImportError:
        return {}
    return {name: {m.__doc__.strip().splitlines()[0] for m in functions if m.__doc__}
            for name, functions in mutants.items()}


def read_failure(known, exercise, text):
    """The Reading of one exercise's failure text; ``known`` is ``explanations(assignment)``."""
    if not text:
        return Reading(UNEXPLAINED, f"{exercise}: lost points, but the graded notebook holds no failure text")
    if text.startswith(f"{exercise} raised NotImplementedError"):
        return Reading(NOT_ATTEMPTED, text)
    message, found, hint = text.rpartition(HINT)
    if found and hint in known.get(exercise, ()):
        return Reading(MISTAKE, hint)
    return Reading(UNEXPLAINED, text)
