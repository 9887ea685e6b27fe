"""A class of chapter 0 whose report is known in advance, graded for real, then regraded
after an instructor's fix to the grading data.

The class (``class_notebooks``): 3 reference answers, 2 untouched notebooks, one notebook
a catalogued mutant (each the reference with one function replaced by the mutant), and one
corrupt file: 22 submissions, 21 graded. What grading says about each mutant is predicted
in this process along grading's own path (``autograder.judging.checking.first_failure``),
so every count of the report is known before the report is read.

The fix (``apply_fix``): the instructor corrects perceptron's hidden cases (drops the two
with a point exactly on the decision line) and adds a mutant for the gate_parameters failure
no mutant explained (``is`` comparisons of strings). ``SITECUSTOMIZE`` applies it at the
start of every Python process whose PYTHONPATH holds its folder and the project: the
``nnbook-grader`` command of the regrade and the grading workers it starts (students'
kernels start from an empty environment and do not need it: verdicts are decided outside).
"""
import contextlib

import numpy as np

import autograder.exercises.ch00_perceptrons as chapter
from autograder.authoring.filling import with_reference
from autograder.exercises import Check
from autograder.judging import checking

CHAPTER = "ch00_perceptrons"
REFERENCES, UNTOUCHED = 3, 2
#: {student: (function, mutant)}: one notebook a catalogued mutant, as catalogued before any fix.
MUTANT_NOTEBOOKS = {f"class.mutant.{m.__name__}": (name, m) for name, ms in chapter.MUTANTS.items() for m in ms}
CORRUPT = "class.corrupt"
ORIGINAL_PERCEPTRON_CHECK = chapter.CHECKS["perceptron"]

SITECUSTOMIZE = "from tests.class_batch import apply_fix\napply_fix()\n"


def class_notebooks(release):
    """{student: notebook} of the class (the corrupt file is written separately)."""
    notebooks = {f"class.reference.{i}": with_reference(release, CHAPTER) for i in range(REFERENCES)}
    notebooks.update({f"class.untouched.{i}": release for i in range(UNTOUCHED)})
    notebooks.update({student: with_reference(release, CHAPTER, **{name: mutant})
                      for student, (name, mutant) in MUTANT_NOTEBOOKS.items()})
    return notebooks


def predicted_failures():
    """{mutant student: (function, the failure text grading gives it)}, decided in this process."""
    return {student: (name, checking.first_failure(CHAPTER, name, mutant))
            for student, (name, mutant) in MUTANT_NOTEBOOKS.items()}


def cases_off_the_line():
    """perceptron's corrected hidden cases: none with a point exactly on the decision line."""
    return [case for case in ORIGINAL_PERCEPTRON_CHECK.cases() if "line" not in case.label]


def gate_parameters_nand_for_every_gate(gate):
    """`gate is "AND"` is False for a string that arrives from elsewhere, so every gate got NAND's weights: use ==."""
    return np.array([[-1.0], [-1.0]]), 1.5


def clear_checking_caches():
    for cached in (checking.hidden_cases, checking.expected_outputs, checking.mutant_output, checking.encoded_cases):
        cached.cache_clear()


def apply_fix():
    chapter.CHECKS["perceptron"] = Check(cases_off_the_line)
    chapter.MUTANTS["gate_parameters"].append(gate_parameters_nand_for_every_gate)
    clear_checking_caches()


def undo_fix():
    chapter.CHECKS["perceptron"] = ORIGINAL_PERCEPTRON_CHECK
    chapter.MUTANTS["gate_parameters"].remove(gate_parameters_nand_for_every_gate)
    clear_checking_caches()


@contextlib.contextmanager
def fixed():
    """The fix applied in this process while the block runs."""
    apply_fix()
    try:
        yield
    finally:
        undo_fix()
