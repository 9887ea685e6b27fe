"""Grade a batch of submissions with nbgrader, and report every student's result.

Submissions are graded in parallel by long-lived worker processes (``autograder.running.worker``),
one a core: each runs nbgrader's ``autograde`` and then ``generate_feedback`` (hidden tests
removed, see ``autograder.preprocessors``) for one student at a time, with a fresh kernel a
submission. A submission that outlasts the course's wall-clock budget has its worker killed
(the kernel with it) and replaced, so one runaway or broken notebook never stops the batch.
``grades.csv`` has one row a student.

Grading holds the course's lock, and is resumable: a submission whose exact bytes were
graded before (the digest is stored beside its autograded notebook once nbgrader finishes)
is not graded again unless ``regrade`` is set, so rerunning after a crash or a kill only
grades what is left.
"""
import csv
import hashlib
import os
import queue
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from tqdm import tqdm

from autograder.running import sandbox, scratch
from autograder.course import CourseError, exclusive
from autograder.preprocessors import KERNEL_DIED
from autograder.reporting.regrade import keep_scores
from autograder.submissions import read_submission
from autograder.running.worker import Worker

#: The workers' own log (nbgrader warnings, kernel start-up chatter), in the course folder.
WORKER_LOG = ".nnbook-grader-workers.log"


@dataclass
class Result:
    """One student's outcome. ``status`` is "graded", "stopped" or "not graded"."""

    student: str
    status: str
    message: str = ""
    score: float = 0.0
    max_score: float = 0.0
    exercises: dict = field(default_factory=dict)
    seconds: float = 0.0
    #: The peak memory of the grading worker that graded it (its whole life so far), MiB.
    worker_peak_mb: int = 0


def place_submission(course, assignment, student, data, source=None):
    """Write a submission's bytes as the course's ``submitted/<student>/<assignment>/`` notebook.

    A submission already there (collected by ``nbgrader collect``, graded in place) keeps its
    folder, whose ``timestamp.txt`` nbgrader reads for late penalties and feedback."""
    target = course.submitted_notebook(student, assignment)
    in_place = source is not None and target.parent.exists() and Path(source).parent.resolve() == target.parent.resolve()
    if not in_place:
        if target.parent.exists():
            shutil.rmtree(target.parent)
        target.parent.mkdir(parents=True)
    for old in target.parent.glob("*.ipynb"):
        if old.name != target.name:
            old.unlink()
    target.write_bytes(data)


def execution_notes(course, assignment, student):
    """Problems met while running the notebook: cells stopped by the time limit, a dead kernel."""
    path = course.root / "autograded" / student / assignment / "exercises.ipynb"
    if not path.exists():
        return ""
    notebook = nbformat.read(path, as_version=4)
    errors = [output.get("ename") for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    notes = []
    if "CellTimeoutError" in errors:
        notes.append(f"{errors.count('CellTimeoutError')} cell(s) ran past the time limit and were stopped")
    if KERNEL_DIED in errors:
        notes.append("the kernel died or was killed (os._exit, a crash, the memory or CPU cap, or an ignored "
                     "interrupt); later cells were not run")
    return "; ".join(notes)


def graded_marker(course, assignment, student):
    return course.root / "autograded" / student / assignment / ".nnbook-graded-sha256"


def autograde_one(course, assignment, submission, worker, budget, regrade=False, spare=True):
    """Autograde one vetted submission and write its feedback with ``worker`` (which starts a
    kernel ahead for its next submission if ``spare``); the Result's scores are filled in
    later from the gradebook."""
    if submission.problem:
        return Result(submission.student, "not graded", submission.problem)
    try:
        data = read_submission(submission.path)
    except ValueError as error:
        return Result(submission.student, "not graded", str(error))
    digest = hashlib.sha256(data).hexdigest()
    marker = graded_marker(course, assignment, submission.student)
    if not regrade and marker.exists() and marker.read_text() == digest:
        return Result(submission.student, "graded", execution_notes(course, assignment, submission.student))
    place_submission(course, assignment, submission.student, submission.content or data, submission.path)
    answer = worker.grade(assignment, submission.student, budget, spare)
    if answer is None or answer["error"]:
        forget_submission(course, assignment, submission.student)  # so the gradebook agrees with the CSV
        if answer is None:
            return Result(submission.student, "stopped", f"grading stopped after the {budget} s budget for one submission")
        return Result(submission.student, "not graded", f"nbgrader could not grade it: {answer['error']}",
                      worker_peak_mb=answer["peak_memory_mb"])
    marker.write_text(digest)
    notes = [submission.note, execution_notes(course, assignment, submission.student)]
    if answer["feedback"]:
        notes.append(f"no feedback: {answer['feedback']}")
    return Result(submission.student, "graded", "; ".join(filter(None, notes)), worker_peak_mb=answer["peak_memory_mb"])


def forget_submission(course, assignment, student):
    """Remove what an unfinished autograde left of ``student``'s submission in the gradebook."""
    marker = graded_marker(course, assignment, student)
    marker.unlink(missing_ok=True)
    with Gradebook(course.gradebook_url) as gradebook:
        try:
            gradebook.remove_submission(assignment, student)
        except MissingEntry:
            pass


def fill_scores(course, assignment, results):
    """Read each graded student's total and per-exercise points from the gradebook."""
    with Gradebook(course.gradebook_url) as gradebook:
        max_score = gradebook.find_assignment(assignment).max_score
        for result in results:
            result.max_score = max_score
            if result.status != "graded":
                continue
            try:
                submission = gradebook.find_submission(assignment, result.student)
            except MissingEntry:
                result.status, result.message = "not graded", "nbgrader recorded no submission"
                continue
            result.score = submission.score
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    result.exercises[grade.name.removeprefix("test_")] = grade.score


def flag_missing_feedback(course, assignment, results):
    """Note graded students for whom nbgrader could not write feedback (its reason is in the workers' log)."""
    for result in results:
        missing = not course.feedback_html(result.student, assignment).exists()
        if result.status == "graded" and missing and "no feedback" not in result.message:
            note = f"no feedback file could be made (see {WORKER_LOG})"
            result.message = "; ".join(filter(None, [result.message, note]))


def write_grades_csv(path, assignment, results):
    """One row a student: totals, status, the reason for any problem, then points per exercise."""
    exercise_names = sorted({name for r in results for name in r.exercises})
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "assignment", "score", "max_score", "percent", "status", "message", *exercise_names])
        for r in sorted(results, key=lambda r: r.student):
            percent = 100.0 * r.score / r.max_score if r.max_score else 0.0
            writer.writerow([r.student, assignment, f"{r.score:g}", f"{r.max_score:g}", f"{percent:.1f}", r.status,
                             r.message, *(f"{r.exercises[n]:g}" if n in r.exercises else "" for n in exercise_names)])


def require_released(course, assignment):
    """Raise CourseError unless ``course`` is a course folder that has released ``assignment``."""
    course.require_sandbox()
    if assignment not in course.released_assignments():
        raise CourseError(f"assignment {assignment!r} is not released in {course.root}; released: {course.released_assignments()}")


def grade_batch(course, assignment, submissions, grades_csv, progress=True, workers=None, regrade=False):
    """Grade every submission and write its feedback, write ``grades_csv``; return the Results.

    workers: submissions graded at once, each by a long-lived worker process (default: one a core).
    regrade: grade again submissions already graded with the same content; the gradebook's
        scores before are kept first (``autograder.reporting.regrade``), for the report's diff.
    """
    require_released(course, assignment)
    budget = course.submission_timeout()
    log = course.root / WORKER_LOG
    idle = queue.SimpleQueue()

    def timed_autograde(index):
        start, submission = time.monotonic(), submissions[index]
        worker = idle.get()
        # While at least one submission a worker waits after this one, this worker will most
        # likely grade another: only then is a kernel started ahead for it worth its CPU.
        spare = len(submissions) - index - 1 >= count
        try:
            result = autograde_one(course, assignment, submission, worker, budget, regrade, spare)
        except (Exception, MemoryError) as error:  # one submission's surprise never stops the batch
            worker.kill()
            result = Result(submission.student, "not graded", f"the grader failed on it: {type(error).__name__}: "
                                                              f"{str(error).splitlines()[0][:150] if str(error) else ''}")
        finally:
            idle.put(worker)
        result.seconds = time.monotonic() - start
        return result

    count = workers or os.cpu_count()
    with exclusive(course), ThreadPoolExecutor(max_workers=count) as pool:
        if regrade:
            keep_scores(course, assignment)
        log.write_text("")
        scratch.sweep()  # what graders killed earlier left in /tmp and in the cgroup tree
        sandbox.sweep_caps()
        for _ in range(count):
            idle.put(Worker(course.root, log))
        try:
            results = list(tqdm(pool.map(timed_autograde, range(len(submissions))), total=len(submissions),
                                desc=f"grading {assignment}", unit="notebook", disable=not progress, file=sys.stderr))
        finally:
            for _ in range(count):
                idle.get().close()
            sandbox.sweep_caps()  # of workers killed during this batch
        fill_scores(course, assignment, results)
        flag_missing_feedback(course, assignment, results)
        write_grades_csv(grades_csv, assignment, results)
    return results
