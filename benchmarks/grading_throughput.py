"""Benchmark: seconds per submission for our grader, plain `nbgrader autograde`, and nbclient.

    .venv/bin/python benchmarks/grading_throughput.py [--submissions 60] [--runaways 3] [--skip-plain]

The submissions are spread over every released chapter and mixed like a real class: a few
runaways (every answer function loops forever, as when each calls a helper of the student's
that never returns, so every test cell hangs: plain nbgrader stops each at its 30 s cell
limit, ours stops the notebook at its 60 s budget), and the rest 5:2:2 reference answers,
untouched notebooks and catalogued mistakes (mutants). Measured in one run on this machine:
- our grader: `autograder.grading.grade_batch` per chapter (vetting, sandboxed kernels in
  parallel, one budget per notebook, verdicts outside the kernel, feedback, grades.csv);
- plain nbgrader: `nbgrader autograde <chapter>` then `nbgrader generate_feedback` with
  nbgrader's default settings (30 s per cell, one student after another) on a copy of the
  same course and the same files;
- the floor: executing each chapter's reference notebook once with nbclient.
Peak memory is the largest resident set of the grader process and of any grading worker.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.judging.checking import chapter_modules
from autograder.course import CONFIG_NAME, Course, release, tool_environment
from autograder.authoring.filling import with_reference
from autograder.grading import grade_batch
from autograder.submissions import collect
from autograder.authoring.template import find_assignments

ROOT = Path(__file__).resolve().parent.parent
MIX = ["reference"] * 5 + ["untouched"] * 2 + ["mutant"] * 2
PLAIN_CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "nnbook"\nc.CourseDirectory.root = {root!r}\n'


def submission(kind, release_notebook, chapter, index):
    """One notebook of the given kind for ``chapter``."""
    if kind == "untouched":
        return release_notebook
    if kind == "mutant":
        mutants = [(n, f) for n, fs in chapter_modules(chapter)[1].MUTANTS.items() for f in fs]
        name, function = mutants[index % len(mutants)]
        return with_reference(release_notebook, chapter, **{name: function})
    notebook = with_reference(release_notebook, chapter)
    if kind == "runaway":
        for name in chapter_modules(chapter)[1].CHECKS:
            cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name)
            lines = cell.source.splitlines()
            at = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}(")) + 1
            cell.source = "\n".join([*lines[:at], "    while True:  # never returns", "        pass", *lines[at:]])
    return notebook


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def peak_mib(who):
    return resource.getrusage(who).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--runaways", type=int, default=3, help="how many of the submissions loop forever")
    parser.add_argument("--skip-plain", action="store_true", help="time only our grader (e.g. for 500 submissions)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nnbook-bench-"))
    assignments = find_assignments(ROOT / "chapters")
    chapters = [a.name for a in assignments]

    ours = Course(work / "ours")
    release(ours, assignments)
    plain = Course(work / "plain")
    shutil.copytree(ours.root, plain.root)
    (plain.root / CONFIG_NAME).write_text(PLAIN_CONFIG.format(root=str(plain.root)))

    incoming = {chapter: work / "incoming" / chapter for chapter in chapters}
    kinds = {}
    released = {c: nbformat.read(ours.release_notebook(c), as_version=4) for c in chapters}
    kinds_in_order = [MIX[i % len(MIX)] for i in range(args.submissions - args.runaways)]
    for r in range(args.runaways):  # spread over the batch, as they would be in a class
        kinds_in_order.insert((2 * r + 1) * args.submissions // (2 * args.runaways), "runaway")
    pairs = [(chapters[i % len(chapters)], kind) for i, kind in enumerate(kinds_in_order)]
    for i, (chapter, kind) in enumerate(pairs):
        student = f"student{i:03d}"
        notebook = submission(kind, released[chapter], chapter, i)
        incoming[chapter].mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, incoming[chapter] / f"{student}.ipynb")
        target = plain.submitted_notebook(student, chapter)
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
        kinds[kind] = kinds.get(kind, 0) + 1

    results = []

    def run_ours():
        for chapter in chapters:
            if incoming[chapter].exists():
                results.extend(grade_batch(ours, chapter, collect(incoming[chapter], chapter), work / f"{chapter}.csv",
                                           progress=False))

    def run_plain():
        for chapter in chapters:
            for command in (["autograde", chapter], ["generate_feedback", chapter]):
                subprocess.run([sys.executable, "-m", "nbgrader", *command, "--force"], cwd=plain.root,
                               capture_output=True, env=tool_environment())

    def run_floor():
        for chapter in chapters:
            NotebookClient(with_reference(released[chapter], chapter), timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(ours.root)}}).execute()

    n = args.submissions
    t_ours = timed(run_ours) / n
    t_floor = timed(run_floor) / len(chapters)
    t_plain = None if args.skip_plain else timed(run_plain) / n
    mix = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    print(f"{n} submissions over {len(chapters)} chapters ({mix}); {os.cpu_count()} cores")
    print(f"  nnbook-grader grade      {t_ours:6.2f} s/submission")
    if t_plain is not None:
        print(f"  plain nbgrader autograde {t_plain:6.2f} s/submission")
    print(f"  nbclient floor           {t_floor:6.2f} s/notebook (reference answer, no grading)")
    if t_plain is not None:
        print(f"  throughput ours / plain  {t_plain / t_ours:5.2f}x   (goal: >= 4x, issue 20)")
    print(f"  ours / floor             {t_ours / t_floor:5.2f}x the time of executing a notebook once")
    print(f"  peak memory: grader process {peak_mib(resource.RUSAGE_SELF):.0f} MiB, "
          f"largest grading worker {max(r.worker_peak_mb for r in results)} MiB")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
