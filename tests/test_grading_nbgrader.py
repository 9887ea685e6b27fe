"""Real nbgrader runs on real notebooks: every known submission gets the grade it deserves."""
import csv
import re
import subprocess
import sys
import zipfile

import nbformat
import numpy as np
import pytest
from bs4 import BeautifulSoup

from autograder.judging.checking import chapter_modules
from autograder.course import tool_environment
from autograder.authoring.filling import with_reference
from autograder.grading import grade_batch, place_submission
from autograder.submissions import collect
from autograder.running.worker import Worker
from autograder.exercises.ch01_logistic_regression import sigmoid_naive_with_warning
from tests.conftest import CELL_TIMEOUT, CHAPTER_NAMES, HIDDEN_CODE_SIGNS, NOTEBOOK_TIMEOUT, SUBMISSION_TIMEOUT

LOOPING_CELL = "while True:\n    pass"
STUBBORN_CELL = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
STUBBORN_SLEEP = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(10**6)"


def points_per_exercise(course, chapter):
    from nbgrader.api import Gradebook

    with Gradebook(course.gradebook_url) as gradebook:
        notebook = gradebook.find_notebook("exercises", chapter)
        return {cell.name.removeprefix("test_"): cell.max_score for cell in notebook.grade_cells}


def mutant_rounds(chapter):
    """Every catalogued mutant once, packed into few notebooks: round r holds the r-th mutant of
    every function of one parity (even or odd position in CHECKS), so each notebook also has
    correct functions, next to each mutated one, that must keep their points. (That a mutant
    costs no other function anything is also checked mutant by mutant, in-process, in
    tests/test_checking.py.) Returns {student: {function: mutant}}."""
    names = list(chapter_modules(chapter)[1].CHECKS)
    mutants = chapter_modules(chapter)[1].MUTANTS
    rounds = {}
    for parity in (0, 1):
        for r in range(max(len(mutants.get(n, [])) for n in names)):
            chosen = {n: mutants[n][r] for i, n in enumerate(names) if i % 2 == parity and r < len(mutants.get(n, []))}
            if chosen:
                rounds[f"mutants.{'even' if parity == 0 else 'odd'}.{r}"] = chosen
    return rounds


def alternative_rounds(chapter):
    """Every correct alternative once: round r holds the r-th alternative of every function."""
    alternatives = chapter_modules(chapter)[1].ALTERNATIVES
    return {f"alternatives.{r}": {n: fs[r] for n, fs in alternatives.items() if r < len(fs)}
            for r in range(max(map(len, alternatives.values())))}


def known_submissions(chapter, release):
    """{student: notebook} covering reference, untouched, each mutant and alternative, a loop."""
    first = next(iter(chapter_modules(chapter)[1].CHECKS))
    notebooks = {"reference": with_reference(release, chapter), "untouched": release}
    for student, functions in {**mutant_rounds(chapter), **alternative_rounds(chapter)}.items():
        notebooks[student] = with_reference(release, chapter, **functions)
    notebooks[f"loop.{first}"] = with_loops(release, chapter, [first])
    notebooks["loops.everywhere"] = with_loops(release, chapter, list(chapter_modules(chapter)[1].CHECKS))
    return notebooks


def with_loops(release, chapter, names):
    """The reference answer with an endless loop in place of the named functions' cells."""
    notebook = with_reference(release, chapter)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in names:
            cell.source = LOOPING_CELL
    return notebook


@pytest.fixture(scope="session", params=CHAPTER_NAMES)
def graded(request, course, released, tmp_path_factory):
    """(chapter, {student: Result}, points per exercise) after grading one batch of every case."""
    chapter = request.param
    folder = tmp_path_factory.mktemp(f"submissions-{chapter}")
    for student, notebook in known_submissions(chapter, released[chapter]).items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    (folder / "corrupt.ipynb").write_text('{"cells": [ {"cell_type": "code", ')
    results = grade_batch(course, chapter, collect(folder, chapter), folder / "grades.csv", progress=False)
    return chapter, {r.student: r for r in results}, points_per_exercise(course, chapter), folder / "grades.csv"


def test_reference_scores_full_marks(graded):
    _, results, points, _ = graded
    assert results["reference"].status == "graded"
    assert results["reference"].score == results["reference"].max_score == sum(points.values())


def test_untouched_notebook_scores_zero_and_the_run_completes(graded):
    _, results, _, _ = graded
    assert results["untouched"].status == "graded" and results["untouched"].score == 0


def test_every_mutant_loses_its_own_points_and_only_those(graded):
    chapter, results, points, _ = graded
    rounds = mutant_rounds(chapter)
    assert sum(map(len, rounds.values())) == sum(map(len, chapter_modules(chapter)[1].MUTANTS.values()))
    for student, mutated in rounds.items():
        result = results[student]
        assert result.status == "graded", (student, result.message)
        for name, mutant in mutated.items():
            assert result.exercises[name] < points[name], f"{mutant.__name__} kept the points of {name}"
        others = {k: v for k, v in result.exercises.items() if k not in mutated}
        assert others and others == {k: points[k] for k in others}, f"{student} lost points elsewhere: {result.exercises}"


def test_the_alternatives_include_correct_code_that_emits_a_numpy_warning():
    # Graded in test_correct_alternatives_score_full_marks: nbgrader alone would zero it.
    assert sigmoid_naive_with_warning in chapter_modules("ch01_logistic_regression")[1].ALTERNATIVES["sigmoid"]
    with pytest.warns(RuntimeWarning):
        sigmoid_naive_with_warning(np.array([-1000.0]))


def test_correct_alternatives_score_full_marks(graded):
    chapter, results, points, _ = graded
    rounds = alternative_rounds(chapter)
    assert rounds
    for student in rounds:
        assert results[student].score == sum(points.values()), (student, results[student].exercises)


def test_looping_submission_is_stopped_within_budget_and_keeps_other_points(graded):
    chapter, results, points, _ = graded
    student = next(s for s in results if s.startswith("loop."))
    name = student.split(".")[1]
    result = results[student]
    assert result.status == "graded" and "time limit" in result.message
    assert result.seconds < SUBMISSION_TIMEOUT
    assert result.exercises[name] == 0
    assert result.score == sum(points.values()) - points[name]


def test_loops_in_every_cell_cost_one_notebook_budget_not_one_per_cell(graded):
    _, results, points, _ = graded
    result = results["loops.everywhere"]
    assert len(points) * CELL_TIMEOUT > NOTEBOOK_TIMEOUT, "the case needs more loops than one budget allows"
    assert result.status == "graded" and "time limit" in result.message and result.score == 0
    assert result.seconds < NOTEBOOK_TIMEOUT + 15


def test_corrupt_submission_gets_a_one_line_reason_and_the_batch_completes(graded):
    _, results, _, grades_csv = graded
    assert results["corrupt"].status == "not graded" and results["corrupt"].score == 0
    assert "invalid JSON" in results["corrupt"].message and "\n" not in results["corrupt"].message
    rows = {row["student"]: row for row in csv.DictReader(grades_csv.open())}
    assert set(rows) == set(results)
    assert rows["reference"]["percent"] == "100.0" and rows["corrupt"]["status"] == "not graded"


def test_feedback_shows_each_failure_but_no_hidden_test_code(graded, course):
    chapter, results, _, _ = graded
    pages = [course.feedback_html(s, chapter).read_text() for s in results if s.startswith("mutants.")]
    assert all("Error" in page or "HiddenTestFailure" in page for page in pages)
    for page in pages:
        assert not [sign for sign in HIDDEN_CODE_SIGNS if sign in page]


def test_workers_write_the_feedback_plain_nbgrader_writes(graded, course):
    chapter, _, _, _ = graded
    page = course.feedback_html("reference", chapter)
    ours = page.read_text()
    run = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", chapter, "--student", "reference",
                          "--force"], cwd=course.root, capture_output=True, text=True, env=tool_environment())
    assert run.returncode == 0, run.stderr[-500:]
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    # The same document, tag by tag; ours is not reserialised by BeautifulSoup (test_feedback_html.py).
    theirs = BeautifulSoup(uuid.sub("<uuid>", page.read_text()), "html.parser")
    assert BeautifulSoup(uuid.sub("<uuid>", ours), "html.parser") == theirs


def test_plain_nbgrader_commands_work_on_the_course(graded, course):
    chapter, results, _, _ = graded
    run = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course.root, capture_output=True,
                         text=True, env=tool_environment())
    assert run.returncode == 0, run.stderr[-500:]
    exported = {row["student_id"]: row for row in csv.DictReader((course.root / "grades.csv").open())
                if row["assignment"] == chapter}
    assert float(exported["reference"]["raw_score"]) == results["reference"].max_score


def test_interrupt_ignoring_code_is_killed_and_keeps_the_points_before_it(course, released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    last = list(chapter_modules(chapter)[1].CHECKS)[-1]
    for student, cell in [("spinner", STUBBORN_CELL), ("sleeper", STUBBORN_SLEEP)]:
        stubborn = with_reference(released[chapter], chapter)
        next(c for c in stubborn.cells if c.metadata.get("nbgrader", {}).get("grade_id") == last).source = cell
        nbformat.write(stubborn, tmp_path / f"{student}.ipynb")
    nbformat.write(with_reference(released[chapter], chapter), tmp_path / "honest.ipynb")
    results = {r.student: r for r in grade_batch(course, chapter, collect(tmp_path, chapter), tmp_path / "g.csv", progress=False)}
    # Interrupted at the time limit, they go on, so the kernel is killed (or the CPU cap kills the busy one first).
    for student in ["spinner", "sleeper"]:
        result = results[student]
        assert result.status == "graded" and "kernel died or was killed" in result.message, result.message
        assert result.seconds < SUBMISSION_TIMEOUT and 0 < result.score < result.max_score
    assert results["honest"].status == "graded" and results["honest"].score == results["honest"].max_score


def test_a_worker_past_the_submission_budget_is_killed_and_replaced(course, released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    nbformat.write(with_reference(released[chapter], chapter), tmp_path / "patient.ipynb")
    submission = collect(tmp_path, chapter)[0]
    place_submission(course, chapter, submission.student, submission.path.read_bytes())
    worker = Worker(course.root, tmp_path / "workers.log")
    try:
        assert worker.grade(chapter, "patient", budget=0.2) is None, "nbgrader cannot grade a notebook in 0.2 s"
        assert worker.process is None, "the worker that ran out of budget was killed"
        answer = worker.grade(chapter, "patient", budget=SUBMISSION_TIMEOUT)
        assert answer["error"] == answer["feedback"] == "" and answer["peak_memory_mb"] > 0
    finally:
        worker.close()


def test_zip_and_nbgrader_layouts_are_graded_through_the_cli(course, released, tmp_path):
    chapter = CHAPTER_NAMES[0]
    reference = nbformat.writes(with_reference(released[chapter], chapter))
    with zipfile.ZipFile(tmp_path / "lms.zip", "w") as archive:
        archive.writestr("download/zara.ipynb", reference)
        archive.writestr("download/yuri.ipynb", nbformat.writes(released[chapter]))
    layout = tmp_path / "submitted" / "xena" / chapter
    layout.mkdir(parents=True)
    (layout / "my renamed copy.ipynb").write_text(reference)
    for source in [tmp_path / "lms.zip", tmp_path / "submitted"]:
        run = subprocess.run([sys.executable, "-m", "autograder", "grade", chapter, str(source), "--course",
                              str(course.root), "--output", str(tmp_path / "out.csv"), "--quiet"],
                             capture_output=True, text=True, env=tool_environment())
        assert run.returncode == 0, run.stderr
        rows = {row["student"]: row for row in csv.DictReader((tmp_path / "out.csv").open())}
        if source.suffix == ".zip":
            assert rows["zara"]["percent"] == "100.0" and rows["yuri"]["percent"] == "0.0"
        else:
            assert rows["xena"]["percent"] == "100.0"


def test_feedback_names_the_likely_mistake_of_a_mutant_the_visible_tests_miss(course, released, tmp_path):
    chapter = "ch01_logistic_regression"
    percent = chapter_modules(chapter)[1].model_accuracy_in_percent
    nbformat.write(with_reference(released[chapter], chapter, model=percent), tmp_path / "percent.ipynb")
    grade_batch(course, chapter, collect(tmp_path, chapter), tmp_path / "g.csv", progress=False)
    page = course.feedback_html("percent", chapter).read_text()
    assert "HiddenTestFailure" in page and "Likely mistake: Accuracies are asked for as fractions" in page


OPTIMIZE_WITH_A_PRINT_OPTION = """
def optimize(w, b, X, Y, num_iterations, learning_rate, record_every=100, print_cost=True):
    costs, grads = [], {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
            if print_cost and i % 1000 == 0:
                print(f"cost after {i} iterations: {cost:.4f}")
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, costs
"""


MODEL_PASSING_THE_OPTION = """
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost=False)
    train, test = predict(params["w"], params["b"], X_train), predict(params["w"], params["b"], X_test)
    return {"w": params["w"], "b": params["b"], "costs": costs, "Y_prediction_train": train,
            "Y_prediction_test": test, "train_accuracy": float(np.mean(train == Y_train)),
            "test_accuracy": float(np.mean(test == Y_test))}
"""


def test_a_call_off_the_documented_signature_fails_in_check_and_in_grading_alike(course, released, tmp_path):
    # The student's optimize takes an extra keyword, and their model passes it: their own check
    # must say what grading will, since exercises call each other with the documented arguments.
    chapter = "ch01_logistic_regression"
    notebook = with_reference(released[chapter], chapter)
    answers = {c.metadata.nbgrader.grade_id: c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")}
    answers["optimize"].source = OPTIMIZE_WITH_A_PRINT_OPTION
    answers["model"].source = MODEL_PASSING_THE_OPTION
    nbformat.write(notebook, tmp_path / "extra.ipynb")
    check = subprocess.run([sys.executable, "-m", "autograder", "check", str(tmp_path / "extra.ipynb")],
                           capture_output=True, text=True, env=tool_environment())
    assert "[FAIL] model" in check.stdout and "does not document" in check.stdout, check.stdout
    assert "[ok  ] optimize" in check.stdout
    results = grade_batch(course, chapter, collect(tmp_path, chapter), tmp_path / "g.csv", progress=False)
    result = results[0]
    points = points_per_exercise(course, chapter)
    assert result.exercises["model"] == 0 and result.exercises["optimize"] == points["optimize"], result.exercises
    assert result.score == sum(points.values()) - points["model"]
    assert "does not document" in course.feedback_html(result.student, chapter).read_text()
