"""Profile: where the CPU of grading one submission goes, measured in one run.

    .venv/bin/python benchmarks/grading_profile.py [--repeat 3] [--chapters ch01_logistic_regression,...]

Run it on a quiet machine: the CPU of processes other than this one (the kernels) is read
from /proc/stat. For each chapter and each kind of submission (reference, untouched, one
catalogued mistake) it grades ``--repeat`` copies one after another in this process, as a
grading worker does, and prints per submission:
- autograde: this process's CPU in nbgrader's ``autograde`` (sanitising, the gradebook,
  BudgetedExecute's side of the kernel's messages, hidden-test verdicts, answers from the
  reference to students' calls);
- feedback: this process's CPU in ``generate_feedback`` (the HTML page);
- kernels: the CPU of every other process meanwhile (the sandboxed kernels, each started
  one notebook ahead, and bubblewrap);
- wall: seconds per submission with one worker.
Then the fixed costs: a sandboxed kernel's own CPU from launch until it answers (Python,
ipykernel and the sandbox), its CPU for its first error (formatting a traceback loads and
compiles its tools once a process), and importing nbgrader, which a grading process pays
once in its forkserver.
"""
import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import autograder.running.nbgrader_apps  # noqa: F401  (first, as in a grading worker)

from autograder.authoring.template import find_assignments
from autograder.course import Course, release
from autograder.grading import place_submission
from autograder.running import worker
from autograder.running.kernels import GradingKernel, KernelSettings, Spare, message_for
from grading_throughput import ROOT, submission

KINDS = ["reference", "untouched", "mutant"]
KERNEL_CPU = "import resource; r = resource.getrusage(resource.RUSAGE_SELF); print(r.ru_utime + r.ru_stime)"
#: A cell that fails as an unanswered exercise's test does: IPython formats its traceback.
FIRST_ERROR = "def answer():\n    raise NotImplementedError\n\nassert answer() == 1\n"


class GradingFailed(RuntimeError):
    """A submission of the profile could not be graded (its reason is nbgrader's error line)."""


def machine_cpu():
    """CPU seconds all processes have used since boot (user, nice, system, irq, ...)."""
    with open("/proc/stat") as f:
        ticks = [int(field) for field in f.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def profile(chapter, kind, repeat):
    """(autograde, feedback, kernels, wall) seconds per submission of ``kind`` in ``chapter``."""
    stages = {"autograded": 0.0, "feedback": 0.0}
    mark = [own_cpu()]

    def answer(stage, error):
        if error:
            raise GradingFailed(f"{chapter} {kind}: {stage}: {error}")
        now = own_cpu()
        stages[stage] += now - mark[0]
        mark[0] = now

    start, machine_start, own_start = time.perf_counter(), machine_cpu(), own_cpu()
    for i in range(repeat):
        mark[0] = own_cpu()
        worker.grade(chapter, f"{kind}{i}", answer)
    wall = time.perf_counter() - start
    kernels = machine_cpu() - machine_start - (own_cpu() - own_start)
    return stages["autograded"] / repeat, stages["feedback"] / repeat, kernels / repeat, wall / repeat


async def kernel_cpu(settings, code=None):
    """A sandboxed kernel's own CPU seconds from launch until it has answered a request or, with
    ``code``, the CPU seconds it then spends running ``code``."""
    with GradingKernel(settings) as kernel:
        client = await kernel.client(60)
        seconds = await printed_cpu(client)
        if code is not None:
            await message_for(client.iopub_channel, client.execute(code), "status", 60)
            seconds = await printed_cpu(client) - seconds
        client.stop_channels()
        return seconds


async def printed_cpu(client):
    """The CPU seconds the kernel has used so far, as it prints them."""
    message = await message_for(client.iopub_channel, client.execute(KERNEL_CPU), "stream", 60)
    return float(message["content"]["text"])


def nbgrader_import_cpu():
    """CPU seconds of a fresh Python importing what a grading worker needs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", "import autograder.running.nbgrader_apps"], check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def print_table(chapters, repeat, out):
    """Grade every chapter's submissions and print their CPU per submission to ``out``."""
    profile(chapters[0], "reference", 1)  # imports and compiled templates, once
    print(f"CPU seconds per submission, {repeat} of each kind a chapter, one worker; "
          f"{os.cpu_count()} cores", file=out)
    print(f"  {'chapter':26s} {'kind':10s} {'autograde':>9s} {'feedback':>9s} {'kernels':>8s} {'total':>6s} "
          f"{'wall':>6s}", file=out)
    totals = []
    for chapter in chapters:
        for kind in KINDS:
            autograde, feedback, kernels, wall = profile(chapter, kind, repeat)
            totals.append((autograde, feedback, kernels))
            print(f"  {chapter:26s} {kind:10s} {autograde:9.3f} {feedback:9.3f} {kernels:8.3f} "
                  f"{autograde + feedback + kernels:6.3f} {wall:6.3f}", file=out)
    mean = [sum(column) / len(totals) for column in zip(*totals)]
    print(f"  {'mean':37s} {mean[0]:9.3f} {mean[1]:9.3f} {mean[2]:8.3f} {sum(mean):6.3f}", file=out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chapters", help="comma-separated (default: every released chapter)")
    args = parser.parse_args()
    assignments = find_assignments(ROOT / "chapters")
    chapters = args.chapters.split(",") if args.chapters else [a.name for a in assignments]
    course = Course(Path(tempfile.mkdtemp(prefix="nnbook-profile-")) / "course")
    release(course, [a for a in assignments if a.name in chapters])
    for chapter in chapters:
        released = nbformat.read(course.release_notebook(chapter), as_version=4)
        for kind in KINDS:
            for i in range(args.repeat + 1):
                notebook = submission(kind, released, chapter, 7 * i)
                place_submission(course, chapter, f"{kind}{i}", nbformat.writes(notebook).encode())
    os.chdir(course.root)
    out = os.fdopen(os.dup(1), "w", buffering=1)  # the table; nbgrader's and the kernels' chatter
    log = os.open(course.root / "profile.log", os.O_WRONLY | os.O_CREAT, 0o600)  # go to a log,
    os.dup2(log, 1)  # as in a grading worker
    os.dup2(log, 2)
    os.environ["TMPDIR"] = tempfile.mkdtemp(prefix="nnbook-profile-tmp-")
    tempfile.tempdir = None
    try:
        print_table(chapters, args.repeat, out)
    except GradingFailed as failure:
        print(f"no profile: a submission could not be graded ({failure}); the log is {course.root / 'profile.log'}",
              file=out)
        sys.exit(1)
    Spare.discard()
    settings = KernelSettings(sandboxed=True, memory_mb=2048, cpu_seconds=60, max_processes=128, tmp_mb=256,
                              extra_arguments=())
    starts = [asyncio.run(kernel_cpu(settings)) for _ in range(5)]
    print(f"a sandboxed kernel's own CPU until it answers: {sorted(starts)[2]:.3f} s (median of 5)", file=out)
    errors = [asyncio.run(kernel_cpu(settings, FIRST_ERROR)) for _ in range(5)]
    print(f"its CPU to run a cell that fails, its first error: {sorted(errors)[2]:.3f} s (median of 5)", file=out)
    print(f"importing nbgrader for a worker: {nbgrader_import_cpu():.3f} s of CPU, once a grading process", file=out)


if __name__ == "__main__":
    main()
