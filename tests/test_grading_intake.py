"""An instructor's messy download folder, graded for real in one nbgrader batch (chapter 0):
every notebook gets a row under an id of its own, nothing aborts the batch, and the CSV and
the gradebook agree."""
import copy
import csv
import json
import unicodedata

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.authoring.filling import with_reference
from autograder.grading import grade_batch
from autograder.submissions import collect, student_id
from autograder.judging.checking import chapter_modules

CHAPTER = "ch00_perceptrons"
#: The same name in Unicode's composed and decomposed forms: one student id, so both are refused.
COMPOSED, DECOMPOSED = unicodedata.normalize("NFC", "zoë"), unicodedata.normalize("NFD", "zoë")


def without_cells(notebook, *grade_ids):
    """The notebook with the cells of these grade ids deleted, as a student might."""
    notebook = copy.deepcopy(notebook)
    notebook.cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    return notebook


def nested_json(depth):
    return '{"cells": [], "metadata": ' + "[" * depth + "]" * depth + ', "nbformat": 4, "nbformat_minor": 5}'


@pytest.fixture(scope="module")
def intake(course, released, tmp_path_factory):
    """{student id: Result}, the folder and the grades CSV's rows after one batch."""
    release = released[CHAPTER]
    reference = with_reference(release, CHAPTER)
    first = next(iter(chapter_modules(CHAPTER)[1].CHECKS))
    folder = tmp_path_factory.mktemp("intake")
    flat = {
        "a b": reference, "a_b": release, "a_b-2": reference,
        "alice": reference, "alice ": release,
        "josé": reference, "josè": release,
        COMPOSED: reference, DECOMPOSED: reference,
        "-h": reference, "--help": reference,
        "bob": reference,
        "answer_and_test_deleted": without_cells(reference, first, f"test_{first}"),
    }
    for name, notebook in flat.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    flood = copy.deepcopy(reference)
    flood.cells += [nbformat.v4.new_markdown_cell(f"note {i}") for i in range(100_000)]
    nbformat.write(flood, folder / "many_cells.ipynb")
    (folder / "deeply_nested.ipynb").write_text(nested_json(100_000))
    (folder / "carol" / CHAPTER).mkdir(parents=True)
    nbformat.write(reference, folder / "carol" / CHAPTER / "my copy.ipynb")
    (folder / "dave" / "another_assignment").mkdir(parents=True)
    nbformat.write(reference, folder / "dave" / "another_assignment" / "exercises.ipynb")
    results = grade_batch(course, CHAPTER, collect(folder, CHAPTER), folder / "grades.csv", progress=False)
    rows = {row["student"]: row for row in csv.DictReader((folder / "grades.csv").open())}
    return {r.student: r for r in results}, folder, rows


def test_names_that_differ_give_different_ids_and_each_its_own_grade(intake):
    results, _, _ = intake
    full = results["a_b-2"].max_score
    expected = {student_id("a b"): full, "a_b": 0, "a_b-2": full, "alice": full, student_id("alice "): 0,
                "josé": full, "josè": 0}
    assert {s: results[s].score for s in expected} == expected
    assert len(set(expected)) == len(expected) and student_id("alice ") == "alice%20"


def test_ids_are_stable_from_one_run_to_the_next(intake):
    _, folder, _ = intake
    assert [s.student for s in collect(folder, CHAPTER)] == [s.student for s in collect(folder, CHAPTER)]
    assert student_id("a b") == student_id("a b") != student_id("a_b")


def test_names_that_become_one_id_are_refused_naming_both_files(intake):
    results, _, _ = intake
    refused = [r for r in results.values() if "give the same student id" in r.message]
    assert len(refused) == 2 and all(r.status == "not graded" for r in refused)
    assert all(COMPOSED in r.message or DECOMPOSED in r.message for r in refused)
    assert all(r.message.count(".ipynb") == 2 and "\n" not in r.message for r in refused)


def test_names_that_look_like_options_are_graded_and_the_batch_completes(intake):
    results, _, _ = intake
    for name in ["-h", "--help"]:
        result = results[student_id(name)]
        assert not student_id(name).startswith("-")
        assert result.status == "graded" and result.score == result.max_score, result.message


def test_a_flat_notebook_beside_an_nbgrader_folder_is_graded_too(intake):
    results, _, _ = intake
    assert results["bob"].score == results["carol"].score == results["carol"].max_score


def test_every_notebook_in_the_intake_gets_a_row(intake):
    results, folder, rows = intake
    notebooks = list(folder.rglob("*.ipynb"))
    assert len(rows) == len(results) == len(notebooks)
    stray = [r for r in results.values() if "is not where submissions go" in r.message]
    assert len(stray) == 1 and "another_assignment" in stray[0].message


def test_a_notebook_nested_too_deep_to_read_is_not_graded_with_a_reason(intake):
    results, _, _ = intake
    result = results["deeply_nested"]
    assert result.status == "not graded" and "nested too deeply" in result.message


def test_a_deleted_answer_and_its_test_cost_that_exercise_only(intake):
    results, _, _ = intake
    first = next(iter(chapter_modules(CHAPTER)[1].CHECKS))
    result = results["answer_and_test_deleted"]
    assert result.status == "graded", result.message
    assert result.exercises[first] == 0
    assert all(points > 0 for name, points in result.exercises.items() if name != first), result.exercises


def test_the_csv_and_the_gradebook_agree_for_every_student(intake, course):
    results, _, rows = intake
    with Gradebook(course.gradebook_url) as gradebook:
        for student, row in rows.items():
            try:
                recorded = gradebook.find_submission(CHAPTER, student).score
            except Exception:
                recorded = None
            if row["status"] == "graded":
                assert recorded == float(row["score"]), student
            else:
                assert recorded is None, f"{student} is {row['status']} in the CSV but has a grade in the gradebook"
    assert results["many_cells"].status == "graded" and results["many_cells"].score == results["many_cells"].max_score


def test_a_notebook_of_100000_cells_gets_its_feedback(intake, course):
    results, _, _ = intake
    assert "no feedback" not in results["many_cells"].message
    assert "100,000 text cells of your own were left out of grading" in results["many_cells"].message
    page = course.feedback_html("many_cells", CHAPTER)
    assert page.exists() and page.stat().st_size < 5 * 2**20


def test_the_nested_json_helper_makes_json_python_cannot_read():
    with pytest.raises(RecursionError):
        json.loads(nested_json(100_000))
