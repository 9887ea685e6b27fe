"""Long-lived grading workers: one process autogrades one submission after another.

Starting nbgrader costs about a second of imports (nbformat's JSON-schema checks alone build
dozens of parsers), more than grading a notebook does. A worker pays nothing of it: workers
are forked from one ``multiprocessing`` forkserver a grading process, which imported
nbgrader once (``autograder.running.nbgrader_apps``) and has run nothing else. A worker, in
its own session and in the course folder, reads one request at a time from its pipe
(``{"assignment": ..., "student": ...}``), runs nbgrader's own ``autograde`` and
``generate_feedback`` applications for that student with the same arguments and config as
the command line would, and answers twice: once the grade is in the gradebook
(``{"stage": "autograded", "error": ""}``, or the one-line reason nbgrader could not grade
it), once feedback is written (its own error, if any). A feedback failure or timeout does
not lose the grade: the grader notes the missing feedback.

A worker's stdout and stderr are the workers' log, and its kernels inherit them. Every
submission still gets a fresh kernel (``BudgetedExecute`` starts and stops one a notebook);
the worker itself never runs student code, but the reference does answer calls from
students' code (``autograder.running.hidden_tests``), so its address space is capped
(WORKER_MEMORY_BYTES).

``Worker`` is the grader's side: it forks the process, sends one submission, waits at most a
budget for each answer and, when a budget runs out, kills the worker's process group (the
kernel dies with it) so that the next submission gets a fresh worker.
"""
import contextlib
import ctypes
import io
import logging
import multiprocessing
import os
import resource
import signal
import shutil
import tempfile

from autograder.running import scratch
from autograder.running.kernels import Spare
from autograder.course import last_error_line, tool_environment

#: Writes the same HTML as nbgrader's default exporter, without recompiling templates each time.
FEEDBACK_EXPORTER = "autograder.running.feedback.FeedbackExporter"

PR_SET_PDEATHSIG = 1
#: Where workers come from: a server process that has imported nbgrader and forks on request.
FORKSERVER = multiprocessing.get_context("forkserver")
FORKSERVER.set_forkserver_preload(["autograder.running.nbgrader_apps"])

#: A worker is replaced after this many submissions, so a slow leak in a long batch stays bounded.
JOBS_PER_WORKER = 50
#: Address space of a worker process (nbgrader, and the reference answering students' calls).
WORKER_MEMORY_BYTES = 4 * 2**30


def run_app(app_class, argv):
    """Run one nbgrader application as ``nbgrader <app> *argv`` would; return its error line or ""."""
    app = app_class()
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    app.log.addHandler(handler)
    try:
        app.initialize(argv)
        if handler not in app.log.handlers:  # initialize() configures logging afresh
            app.log.addHandler(handler)
        app.start()
        return ""
    except SystemExit as stop:  # nbgrader apps exit(1) after logging what went wrong
        return "" if not stop.code else last_error_line(log.getvalue())
    except Exception as error:  # a crash inside nbgrader fails this student, never the worker
        return last_error_line(f"{log.getvalue()}\n{type(error).__name__}: {error}")
    finally:
        app.log.removeHandler(handler)


def grade(assignment, student, answer, spare=True):
    """Autograde one student's submission, then write their feedback; ``answer(stage, error)``
    is called once the grade is in the gradebook ("autograded") and once feedback is written.
    spare: whether to start a kernel ahead for a next submission."""
    from autograder.running.nbgrader_apps import AutogradeApp, GenerateFeedbackApp

    Spare.wanted = spare
    arguments = [assignment, "--student", student, "--force", "--log-level=WARN"]
    error = run_app(AutogradeApp, arguments)
    answer("autograded", error)
    if not error:
        answer("feedback", run_app(GenerateFeedbackApp, [*arguments, f"--GenerateFeedback.exporter_class={FEEDBACK_EXPORTER}"]))


def peak_memory_mb():
    """The most memory this process has held so far (its peak resident set), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def serve(course_root, log_path, environment, connection):
    """A worker process: its own session, in ``course_root`` with ``environment``, its output
    to ``log_path``; then a request at a time from ``connection``, two answers each."""
    os.setsid()  # its process group is what the grader kills
    die_with_parent()
    os.chdir(course_root)
    os.environ.clear()
    os.environ.update(environment)
    tempfile.tempdir = None  # read TMPDIR afresh: this worker's own scratch folder
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    # The reference answers calls from students' code in this process: bound its memory.
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))

    def answer(stage, error):
        connection.send({"stage": stage, "error": error, "peak_memory_mb": peak_memory_mb()})

    while True:
        try:
            request = connection.recv()
        except EOFError:  # the grader closed the pipe: no more submissions
            return
        grade(request["assignment"], request["student"], answer, request["spare"])


def die_with_parent():
    """In a child process: be killed if its parent dies, even by SIGKILL (a worker's parent is
    the forkserver, which exits when the grading process does).

    Linux delivers the signal when the *thread* that started the child exits, so start
    long-lived children from a thread that outlives them."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Worker:
    """The grader's handle on one worker process in ``course_root``; not thread-safe (one a thread)."""

    def __init__(self, course_root, log_path):
        self.course_root = course_root
        self.log_path = log_path
        self.process = None
        self.connection = None
        self.folder = None
        self.jobs = 0

    def grade(self, assignment, student, budget, spare=True):
        """The worker's answer for one submission: {"error": why nbgrader could not grade it or "",
        "feedback": why no feedback was written or "", "peak_memory_mb": the worker's peak}; None
        if autograding took longer than ``budget`` seconds. Writing feedback has a budget of its
        own: past it, the grade stands and only the feedback is missing. A worker past a budget
        is killed with its kernel; one that died is reported as an error. spare: whether the
        worker should start a kernel ahead for another submission."""
        if self.process is None or self.jobs >= JOBS_PER_WORKER:
            self.close()
            self.start()
        self.jobs += 1
        try:
            self.connection.send({"assignment": assignment, "student": student, "spare": spare})
        except (BrokenPipeError, ConnectionResetError):
            return self.lost("the grading worker had exited")
        graded = self.read_answer(budget)
        if graded is None:
            self.kill()
            return None
        if "lost" in graded:
            return self.lost(graded["lost"])
        answer = {"error": graded["error"], "feedback": "", "peak_memory_mb": graded["peak_memory_mb"]}
        if graded["error"]:
            return answer
        written = self.read_answer(budget)
        if written is None or "lost" in written:
            self.kill()
            answer["feedback"] = f"writing it took longer than {budget} s" if written is None else written["lost"]
        else:
            answer.update(feedback=written["error"], peak_memory_mb=written["peak_memory_mb"])
        return answer

    def read_answer(self, budget):
        """The worker's next answer, {"lost": reason} if it died, or None after ``budget`` s."""
        if not self.connection.poll(budget):
            return None
        try:
            return self.connection.recv()
        except (EOFError, ConnectionResetError):
            return {"lost": "the grading worker died"}

    def start(self):
        # The worker's temporary files (its kernels' folders) go in a folder of its own, which
        # release() deletes even when the worker was killed before it could clean up (and
        # scratch.sweep() at the next run if the grader itself was killed).
        self.folder = scratch.make("worker")
        self.connection, theirs = FORKSERVER.Pipe()
        environment = {**tool_environment(), "TMPDIR": self.folder}
        self.process = FORKSERVER.Process(target=serve, name="nnbook-grading-worker", daemon=True,
                                          args=(str(self.course_root), str(self.log_path), environment, theirs))
        self.process.start()
        theirs.close()
        self.jobs = 0

    def lost(self, reason):
        self.kill()
        return {"error": reason}

    def kill(self):
        """Kill the worker's process group now (its sandboxed kernel dies with it)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):  # not yet the leader of its own group
                os.kill(self.process.pid, signal.SIGKILL)
            self.release()

    def close(self):
        """Let an idle worker finish (end of its input), or kill it if it does not within 10 s."""
        if self.process is None:
            return
        self.connection.close()
        self.process.join(timeout=10)
        if self.process.exitcode is None:
            self.kill()
        else:
            self.release()

    def release(self):
        """Wait for the process to end, close the pipe and delete its scratch folder."""
        self.process.join()
        self.process.close()
        self.connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.process = None
