"""Benchmark: seconds per submission for our grader, plain `nbgrader autograde`, and nbclient.

    .venv/bin/python benchmarks/grading_throughput.py [--submissions 20] [--chapter ch01_logistic_regression]

All three grade the same reference-answered notebooks, measured in one run on this machine:
- our grader: `autograder.grading.grade_batch` (vetting, bounded process per submission,
  feedback, grades.csv);
- plain nbgrader: one `nbgrader autograde <assignment>` over all students, then
  `nbgrader generate_feedback`, on an identical copy of the course;
- the floor: executing the same notebook once with nbclient (no grading at all).
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.course import Course, release, tool_environment
from autograder.filling import with_reference
from autograder.grading import grade_batch
from autograder.submissions import collect
from autograder.template import find_assignments

ROOT = Path(__file__).resolve().parent.parent


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--chapter", default="ch01_logistic_regression")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nnbook-bench-"))
    assignment = next(a for a in find_assignments(ROOT / "chapters") if a.name == args.chapter)

    ours = Course(work / "ours")
    release(ours, [assignment])
    plain = Course(work / "plain")
    shutil.copytree(ours.root, plain.root)
    plain.config_path.write_text(plain.config_path.read_text().replace(str(ours.root), str(plain.root)))

    notebook = with_reference(nbformat.read(ours.release_notebook(args.chapter), as_version=4), args.chapter)
    incoming = work / "incoming"
    incoming.mkdir()
    for i in range(args.submissions):
        nbformat.write(notebook, incoming / f"student{i:03d}.ipynb")
        target = plain.submitted_notebook(f"student{i:03d}", args.chapter)
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)

    def run_plain():
        for command in (["autograde", args.chapter], ["generate_feedback", args.chapter]):
            subprocess.run([sys.executable, "-m", "nbgrader", *command, "--force"], cwd=plain.root, check=True,
                           capture_output=True, env=tool_environment())

    def run_floor():
        NotebookClient(nbformat.read(ours.source_notebook(args.chapter), as_version=4), timeout=300,
                       kernel_name="python3", resources={"metadata": {"path": str(ours.root)}}).execute()

    n = args.submissions
    t_ours = timed(lambda: grade_batch(ours, args.chapter, collect(incoming, args.chapter), work / "grades.csv",
                                       progress=False)) / n
    t_plain = timed(run_plain) / n
    t_floor = timed(run_floor)
    print(f"{n} reference submissions of {args.chapter}, {shutil.os.cpu_count()} cores")
    print(f"  nnbook-grader grade      {t_ours:6.2f} s/submission")
    print(f"  plain nbgrader autograde {t_plain:6.2f} s/submission")
    print(f"  nbclient floor           {t_floor:6.2f} s/notebook")
    print(f"  throughput ours / plain  {t_plain / t_ours:5.2f}x   (goal: >= 3x)")
    print(f"  ours / floor             {t_ours / t_floor:5.2f}x slower than executing the notebook once")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
