"""The course's SaveAutoGrades records what nbgrader's does, with one commit a notebook.

A real submission is graded by nbgrader first, so the gradebook holds its rows and the
autograded notebook its outputs; then each preprocessor records that notebook's scores again
from a reset gradebook: no automatic scores, a stale comment on every answer, and one grade
carrying a manual score, as after a grader's review.
"""
import copy

import nbformat
import pytest
from nbgrader import utils as nbgrader_utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import SaveAutoGrades as NbgraderSaveAutoGrades
from sqlalchemy import event
from sqlalchemy.engine import Engine

import autograder.exercises.ch00_perceptrons as chapter
from autograder.authoring.filling import with_reference
from autograder.grading import grade_batch
from autograder.preprocessors import SaveAutoGrades
from autograder.submissions import collect

CHAPTER, STUDENT = "ch00_perceptrons", "save.autogrades"
STALE = "a comment from an earlier grading"


@pytest.fixture(scope="module")
def autograded(course, released, tmp_path_factory):
    """(the autograded notebook of a submission with one mistake, nbgrader's resources for it)."""
    folder = tmp_path_factory.mktemp("save_autogrades")
    name, mutants = next(iter(chapter.MUTANTS.items()))
    nbformat.write(with_reference(released[CHAPTER], CHAPTER, **{name: mutants[0]}), folder / f"{STUDENT}.ipynb")
    [result] = grade_batch(course, CHAPTER, collect(folder, CHAPTER), folder / "grades.csv", progress=False)
    assert result.status == "graded", result.message
    notebook = nbformat.read(course.root / "autograded" / STUDENT / CHAPTER / "exercises.ipynb", as_version=4)
    resources = {"nbgrader": {"notebook": "exercises", "assignment": CHAPTER, "student": STUDENT,
                              "db_url": course.gradebook_url}}
    return notebook, resources


def reset(url):
    """Forget the submission's automatic scores, make its comments stale, give its first grade a manual score."""
    with Gradebook(url) as gradebook:
        submission = gradebook.find_submission_notebook("exercises", CHAPTER, STUDENT)
        for grade in submission.grades:
            grade.auto_score, grade.manual_score, grade.needs_manual_grade = None, None, False
        submission.grades[0].manual_score = 1.0
        for comment in submission.comments:
            comment.auto_comment = STALE
        gradebook.db.commit()


def recorded(url):
    """{cell: (automatic score, manual score, needs manual grade)} and {cell: automatic comment}."""
    with Gradebook(url) as gradebook:
        submission = gradebook.find_submission_notebook("exercises", CHAPTER, STUDENT)
        grades = {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade) for g in submission.grades}
        return grades, {c.name: c.auto_comment for c in submission.comments}


def commits_of(action):
    """How many transactions ``action()`` commits to any database."""
    commits = []

    def count(connection):
        commits.append(connection)

    event.listen(Engine, "commit", count)
    try:
        action()
    finally:
        event.remove(Engine, "commit", count)
    return len(commits)


def record_with(preprocessor_class, notebook, resources):
    """(the rows ``preprocessor_class`` records for ``notebook``, how many commits it made
    beyond those of opening and closing a Gradebook)."""
    url = resources["nbgrader"]["db_url"]
    reset(url)
    commits = commits_of(lambda: preprocessor_class().preprocess(copy.deepcopy(notebook), copy.deepcopy(resources)))
    return recorded(url), commits - commits_of(lambda: Gradebook(url).close())


def test_the_same_scores_and_comments_as_nbgraders_in_one_commit(autograded):
    notebook, _ = autograded
    theirs, their_commits = record_with(NbgraderSaveAutoGrades, *autograded)
    ours, our_commits = record_with(SaveAutoGrades, *autograded)
    assert ours == theirs
    grades, comments = ours
    scores = [auto for auto, _, _ in grades.values()]
    assert None not in scores and 0 < sum(scores) < sum(c.metadata.nbgrader.get("points", 0) for c in notebook.cells)
    first = next(iter(grades))
    assert grades[first][1:] == (1.0, True), "a manual score is kept and the cell marked for review"
    assert comments and STALE not in comments.values()
    assert our_commits == 1
    assert their_commits >= len(grades) + len(comments)


def test_a_run_cut_short_records_none_of_the_notebooks_scores(autograded, monkeypatch):
    notebook, resources = autograded
    url = resources["nbgrader"]["db_url"]
    reset(url)
    determine_grade, calls = nbgrader_utils.determine_grade, []

    def fails_at_the_third_cell(cell, log=None):
        calls.append(cell)
        if len(calls) == 3:
            raise RuntimeError("the worker was stopped")
        return determine_grade(cell, log)

    monkeypatch.setattr(nbgrader_utils, "determine_grade", fails_at_the_third_cell)
    with pytest.raises(RuntimeError):
        SaveAutoGrades().preprocess(copy.deepcopy(notebook), copy.deepcopy(resources))
    grades, comments = recorded(url)
    assert len(calls) == 3
    assert [auto for auto, _, _ in grades.values()] == [None] * len(grades)
    assert set(comments.values()) == {STALE}
