"""Benchmark: how long a student's `nnbook-grader check` takes, chapter by chapter.

    .venv/bin/python benchmarks/check_time.py [--repeat 3]

For each chapter's exercise notebook, answered with the reference (every visible test runs
and passes), it runs the notebook with ``check``'s own client (``student_check.check_client``)
and prints the median of ``--repeat`` runs: the whole check (the kernel's start and shutdown
included), the kernel's start (until nbclient is about to run the first cell), and the
cells from the first to the last, the figure the student waits for once the kernel is up
(goal: at most 2 s, issue 20).
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.authoring.filling import with_reference
from autograder.authoring.template import find_assignments
from autograder.student_check import check_client, exercise_statuses

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 2.0


def timed_check(path):
    """(whole check, kernel start, cells) seconds of one check of the notebook at ``path``,
    run by ``check``'s client, with hooks marking when the cells start and end."""
    marks = {"start": time.perf_counter()}
    notebook = nbformat.read(path, as_version=4)
    check_client(notebook, path.parent, on_notebook_start=lambda **_: marks.setdefault("cells", time.perf_counter()),
                 on_notebook_complete=lambda **_: marks.setdefault("done", time.perf_counter())).execute()
    end = time.perf_counter()
    failed = [s for s in exercise_statuses(notebook) if s.status != "passed"]
    if failed:
        raise RuntimeError(f"{path}: the reference should pass every visible test: {failed}")
    return end - marks["start"], marks["cells"] - marks["start"], marks["done"] - marks["cells"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nnbook-check-"))
    print(f"nnbook-grader check on the reference answers, median of {args.repeat} runs (seconds)")
    print(f"  {'chapter':26s} {'whole':>6s} {'kernel':>7s} {'tests':>6s}")
    worst = 0.0
    for assignment in find_assignments(ROOT / "chapters"):
        released = nbformat.read(ROOT / "chapters" / assignment.name / "exercises.ipynb", as_version=4)
        path = folder / f"{assignment.name}.ipynb"
        nbformat.write(with_reference(released, assignment.name), path)
        runs = [timed_check(path) for _ in range(args.repeat)]
        whole, kernel, tests = (statistics.median(column) for column in zip(*runs))
        worst = max(worst, tests)
        print(f"  {assignment.name:26s} {whole:6.2f} {kernel:7.2f} {tests:6.2f}", flush=True)
    print(f"  slowest visible tests after the kernel start: {worst:.2f} s (goal: <= {GOAL_SECONDS:g} s)")


if __name__ == "__main__":
    main()
