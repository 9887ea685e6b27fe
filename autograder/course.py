"""An nbgrader course folder: its standard layout, its config, and releasing assignments.

Layout (nbgrader's own names, so plain ``nbgrader`` commands work on it):
``nbgrader_config.py``, ``gradebook.db``, ``source/<assignment>/``, ``release/<assignment>/``,
``submitted/<student>/<assignment>/``, ``autograded/…``, ``feedback/…``.
"""
import fcntl
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from traitlets.config.loader import PyFileConfigLoader

from autograder.running import sandbox
from autograder.authoring.source import build_source_notebook
from autograder.authoring.template import NOTEBOOK_NAME

CONFIG_NAME = "nbgrader_config.py"

#: Defaults written into a new course's config; an instructor edits them there.
DEFAULT_SETTINGS = {
    "cell_timeout": 30,
    "notebook_timeout": 60,
    "submission_timeout": 120,
    "memory_mb": 2048,
    "cpu_seconds": 0,
    "max_processes": 128,
    "tmp_mb": 256,
    "max_output_bytes": 2 * 2**20,
    "call_seconds": 10,
}

CONFIG_TEMPLATE = '''\
"""nbgrader configuration of this course, written by `nnbook-grader release`.

Plain nbgrader commands (`nbgrader autograde`, `nbgrader generate_feedback`, `nbgrader export`,
the formgrader) read this file, and so does `nnbook-grader grade`.
"""
c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "nnbook"
c.CourseDirectory.root = __file__.rsplit("/", 1)[0]

# Seconds one cell may run during autograding before it is interrupted, and seconds all
# cells of one notebook may run together (BudgetedExecute, nbgrader's Execute with a budget).
c.BudgetedExecute.timeout = {cell_timeout}
c.BudgetedExecute.notebook_timeout = {notebook_timeout}

# A graded cell's score is its hidden tests' verdict (decided outside the kernel by
# BudgetedExecute), not a warning printed to stderr. (Our CheckCellMetadata is nbgrader's,
# with the metadata schema checked once a process instead of once a cell; our SaveAutoGrades
# is nbgrader's, with one commit a notebook instead of one a cell.)
c.Autograde.autograde_preprocessors = [
    "autograder.preprocessors.BudgetedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autograder.preprocessors.StderrIsNotFailure",
    "autograder.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "autograder.preprocessors.CheckCellMetadata",
]

# A released cell the student deleted is put back and graded (RestoreMissingCells: nbgrader's
# own add_missing_cells fails when an answer and its test are both deleted); a duplicated
# one is graded once (ForgetDuplicates works around an nbgrader 0.9.6 crash).
c.OverwriteCells.add_missing_cells = False
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "autograder.preprocessors.ForgetDuplicates",
    "autograder.preprocessors.RestoreMissingCells",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "autograder.preprocessors.CheckCellMetadata",
]

# The kernel runs in a bubblewrap sandbox (no answers, no other students, no network; as the
# user nobody when grading runs as root) with a memory cap in MiB (each process, and all of
# them together where the machine has cgroup v1's memory controller), a CPU-time cap
# (seconds; 0 = the notebook budget), a cap on its processes and threads together (cgroup
# v1's pids controller, where the machine has it), and a private /tmp of tmp_mb MiB (also the
# largest file it may write). Messages past max_output_bytes (outputs, displays, widgets) are
# dropped. call_seconds bounds each answer the grader computes for a call to an earlier
# graded function from the reference.
c.BudgetedExecute.sandbox = True
c.BudgetedExecute.memory_mb = {memory_mb}
c.BudgetedExecute.max_processes = {max_processes}
c.BudgetedExecute.cpu_seconds = {cpu_seconds}
c.BudgetedExecute.tmp_mb = {tmp_mb}
c.BudgetedExecute.max_output_bytes = {max_output_bytes}
c.BudgetedExecute.call_seconds = {call_seconds}

# Feedback must not show hidden-test code: drop hidden regions and shorten their tracebacks;
# huge cells are cut and a flood of extra cells dropped, so every feedback page renders quickly.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.preprocessors.HideHiddenTests",
    "autograder.preprocessors.LimitFeedback",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# nbconvert validates a notebook once after all of a step's preprocessors, not after each one
# (a notebook of 100,000 cells would otherwise spend a minute in validation).
c.Exporter.optimistic_validation = True

# Settings of `nnbook-grader grade` (plain nbgrader ignores this section).
# Wall-clock seconds one submission's autograde and feedback may take before its grading
# worker is killed with the kernel: a safety net above the notebook budget, for a kernel
# that ignores interrupts.
c.NNBookGrader.submission_timeout = {submission_timeout}
'''


class CourseError(RuntimeError):
    """A problem with the course folder that the user must fix; the message says what."""


@dataclass(frozen=True)
class Course:
    """A course folder at ``root``."""

    root: Path

    @property
    def config_path(self):
        return self.root / CONFIG_NAME

    def source_notebook(self, assignment):
        return self.root / "source" / assignment / NOTEBOOK_NAME

    def release_notebook(self, assignment):
        return self.root / "release" / assignment / NOTEBOOK_NAME

    def submitted_notebook(self, student, assignment):
        return self.root / "submitted" / student / assignment / NOTEBOOK_NAME

    def feedback_html(self, student, assignment):
        return self.root / "feedback" / student / assignment / NOTEBOOK_NAME.replace(".ipynb", ".html")

    @property
    def gradebook_url(self):
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def released_assignments(self):
        return sorted(p.parent.name for p in (self.root / "release").glob(f"*/{NOTEBOOK_NAME}"))

    def setting(self, section, name, default):
        """``c.<section>.<name>`` from the course config, or ``default``."""
        if not self.config_path.exists():
            raise CourseError(f"{self.root} is not a course folder (no {CONFIG_NAME}); run `nnbook-grader release` first")
        config = PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()
        return config[section].get(name, default)

    def submission_timeout(self):
        """``c.NNBookGrader.submission_timeout`` from the course config, or its default."""
        return self.setting("NNBookGrader", "submission_timeout", DEFAULT_SETTINGS["submission_timeout"])

    def require_sandbox(self):
        """Raise CourseError if the config asks for the grading sandbox and it cannot run here."""
        if self.setting("BudgetedExecute", "sandbox", True):
            try:
                sandbox.require_bwrap()
            except sandbox.SandboxUnavailable as error:
                raise CourseError(str(error)) from None


def make_private(folder):
    """Create a course folder readable by its owner only: it holds the answers, the gradebook
    and every student's work (an existing folder keeps its permissions)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)


@contextmanager
def exclusive(course):
    """Hold the course's lock; refuse at once if another nnbook-grader holds it."""
    make_private(course.root)
    with open(course.root / ".nnbook-grader.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise CourseError(f"{course.root} is in use by nnbook-grader ({holder}); wait for it to finish") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def tool_environment():
    """The environment for nbgrader subprocesses: this Python's bin folder first on PATH
    (nbgrader runs ``alembic`` and kernels from there), and single-threaded BLAS: workers run
    side by side, one a core, and threaded BLAS on small arrays only costs them time."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, "1")
    return env


def last_error_line(log):
    """The most telling line of a failed command's log: its last exception, else its last line."""
    exceptions = [line.strip() for line in log.splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", line)]
    lines = exceptions or [line.strip() for line in log.splitlines() if line.strip()] or ["no output"]
    return lines[-1]


def nbgrader(course, *args, timeout=None):
    """Run one nbgrader command in the course folder; raise CourseError with its last error."""
    command = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(
        command, cwd=course.root, capture_output=True, text=True, timeout=timeout, env=tool_environment()
    )
    if result.returncode != 0:
        raise CourseError(f"nbgrader {' '.join(args[:2])} failed: {last_error_line(result.stderr)}")
    return result


def write_config(course, **settings):
    """Write the course's nbgrader_config.py unless it exists (an instructor's edits win)."""
    make_private(course.root)
    if not course.config_path.exists():
        course.config_path.write_text(CONFIG_TEMPLATE.format(**{**DEFAULT_SETTINGS, **settings}))


def release(course, assignments, **settings):
    """Build each assignment's source notebook and let nbgrader generate the student version.

    An assignment whose source notebook comes out unchanged and is already released is
    left alone, so rebuilding the book after a small edit does not re-run nbgrader for all.
    """
    with exclusive(course):
        write_config(course, **settings)
        for assignment in assignments:
            target = course.source_notebook(assignment.name)
            source = nbformat.writes(build_source_notebook(assignment))
            if target.exists() and target.read_text() == source and course.release_notebook(assignment.name).exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source)
            nbgrader(course, "generate_assignment", assignment.name, "--force")


def copy_release_to_book(course, assignments, chapters_dir):
    """Put each released notebook in its chapter folder, where the book shows it unchanged.

    Unchanged copies are not rewritten, so Sphinx does not re-read their pages."""
    for assignment in assignments:
        released = course.release_notebook(assignment.name)
        in_book = Path(chapters_dir) / assignment.name / NOTEBOOK_NAME
        if not in_book.exists() or in_book.read_bytes() != released.read_bytes():
            shutil.copyfile(released, in_book)
