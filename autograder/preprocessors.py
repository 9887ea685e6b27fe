"""nbgrader preprocessors of this course: hidden tests decided outside the kernel, one time
budget a notebook, fair scores, and feedback without hidden tests. The course's
nbgrader_config.py names them, so plain ``nbgrader autograde`` grades the same way."""
import contextlib
import copy
import json
import time

import jsonschema
import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheckCellMetadata
from nbgrader.preprocessors import SaveAutoGrades as NbgraderSaveAutoGrades
from traitlets import Bool, Integer

from autograder.cells import test_cell_name
from autograder.judging.checking import answered_by_reference, documented_signatures, graded_before, verdict
from autograder.running.hidden_tests import HiddenTests
from autograder.running.kernels import KernelSettings, Spare
from autograder.running.visible_tests import ChecksCalls

#: Error names of the outputs this course adds to graded cells.
KERNEL_DIED = "KernelDied"
HIDDEN_TEST_FAILURE = "HiddenTestFailure"
#: Seconds every function's hidden tests get, even once the notebook's budget is spent, and
#: those of a function whose test cell ran past its time limit (it most likely loops).
MIN_WINDOW, MIN_WINDOW_AFTER_TIMEOUT = 2, 0.25


class BudgetedExecute(ChecksCalls, Execute):
    """nbgrader's Execute with hidden tests decided outside the kernel, and one wall-clock
    budget for the whole notebook.

    A notebook is graded in two steps in one fresh kernel (``autograder.running.kernels``,
    sandboxed unless ``sandbox`` is off):

    1. Its cells run top to bottom as the student sees them: test cells without their hidden
       regions, and while a test cell runs, the calls it makes to earlier graded functions are
       bound to their documented signatures (``autograder.recorder.check_calls``, as the
       student's own ``nnbook-grader check`` does). These outputs are what feedback shows.
    2. Then, for each graded function in the order of the test cells, a silent request runs
       it on its hidden inputs (``autograder.running.hidden_tests``); an earlier function that
       failed its own hidden tests is answered with the reference's outputs. Nothing printed
       here reaches the notebook, and the outcomes are judged here, outside the kernel
       (``autograder.judging.checking.verdict``).

    A graded cell's score is then exactly its verdict: its ``execute_result`` outputs become
    displays (nbgrader would read one as partial credit), a failed verdict is put first as an
    error (nbgrader scores it zero), and a passed one turns the cell's errors into text.

    Budget: each cell may run ``timeout`` seconds, but never past the notebook's budget: once
    it is spent, a running cell is interrupted and later cells get one second each; each
    function's hidden tests get at least MIN_WINDOW seconds. If the kernel dies (``os._exit``,
    a crash, a cap) or ignores an interrupt, the functions whose test cells ran before keep
    their grades: the cells before are run again in a new kernel to check them.
    """

    notebook_timeout = Integer(60, help="Seconds all cells of one notebook may run in total.").tag(config=True)
    sandbox = Bool(True, help="Run the kernel in the bubblewrap sandbox (autograder.running.sandbox).").tag(config=True)
    memory_mb = Integer(2048, help="Memory cap of the sandboxed kernel (each process, and all together "
                                   "where cgroups allow), in MiB.").tag(config=True)
    cpu_seconds = Integer(0, help="CPU-time cap of the sandboxed kernel (0: the notebook budget).").tag(config=True)
    max_processes = Integer(128, help="Processes and threads the sandboxed kernel may run at once "
                                      "(a cgroup pids cap, where the machine has one).").tag(config=True)
    tmp_mb = Integer(256, help="Size of the sandboxed kernel's private /tmp, and the largest file it may write, "
                               "in MiB.").tag(config=True)
    forked_kernels = Bool(True, help="Where the grader runs as root, fork sandboxed kernels from a zygote that "
                                     "has imported them (autograder.running.zygote), not start each afresh "
                                     "in bubblewrap.").tag(config=True)
    max_output_bytes = Integer(2 * 2**20, help="Bytes of messages (outputs, displays, widgets) a notebook may "
                                               "send; the rest is dropped.").tag(config=True)
    call_seconds = Integer(10, help="Seconds the reference may take to answer one call from a "
                                    "student's function to an earlier graded function.").tag(config=True)
    store_widget_state = Bool(False, help="Widget state is not kept in graded notebooks.")

    def preprocess(self, nb, resources=None, km=None):
        chapter = resources["nbgrader"]["assignment"]
        self._deadline = time.monotonic() + self.notebook_timeout
        self.signatures = documented_signatures(chapter)
        tests = test_cells(nb, self.signatures)
        pending = [name for name in self.signatures if name in tests]
        failures = {}
        hidden = HiddenTests(chapter, self.call_seconds)
        stop_at, first, runaways = len(nb.cells), True, set()
        for _ in range(len(pending) + 1):
            if not pending:
                break
            notebook = nb if first else without_outputs(nb, runaways)
            died_at = self.attempt(notebook, resources, stop_at, pending, failures, hidden, chapter, tests)
            if first:  # cells stopped at their time limit are not run again: they did not finish the first time
                runaways = {index for index, cell in enumerate(nb.cells) if timed_out(cell)}
            first = False
            if died_at is not None:
                for name in [n for n in pending if tests[n] >= died_at]:
                    failures[name] = f"{name}: not graded: the kernel died or was killed in an earlier cell"
                pending = [n for n in pending if tests[n] < died_at]
                stop_at = min(stop_at, died_at)
        for name in pending:
            failures[name] = f"{name}: not graded: the notebook's time budget ran out before its hidden tests"
        apply_verdicts(nb, failures)
        return nb, resources

    def attempt(self, nb, resources, stop_at, pending, failures, hidden, chapter, tests):
        """Run ``nb``'s cells before ``stop_at`` in a fresh kernel, then the hidden tests of the
        ``pending`` functions (removed from the list as they are decided, into ``failures``).
        Returns the index of the cell the kernel died in, or None."""
        settings = self.kernel_settings()
        with Spare.take(settings) as kernel:
            kernel.receive(resources["metadata"]["path"])
            Spare.prepare(settings)  # starts while this notebook runs
            self._kernel, self._died_at, self._output_bytes = kernel, None, 0
            NotebookClient.__init__(self, nb, kernel.km)
            self.reset_execution_trackers()
            self._check_assign_resources(resources)
            self.kc = None
            try:
                with self.setup_kernel():
                    info = self.wait_for_reply(self.kc.kernel_info())
                    nb.metadata["language_info"] = info["content"]["language_info"]
                    for index, cell in enumerate(nb.cells[:stop_at]):
                        if cell.cell_type == "code":
                            self.preprocess_cell(cell, resources, index)
                    if self._died_at is not None:
                        return self._died_at
                    while pending:
                        name = pending[0]
                        earlier = graded_before(chapter, name)
                        window = hidden.run(self.kc, kernel.km, name, {n: self.signatures[n] for n in earlier},
                                            answered_by_reference(chapter, earlier, failures),
                                            self.window_timeout(timed_out(nb.cells[tests[name]])))
                        failures[name] = window_verdict(chapter, name, window)
                        pending.pop(0)
                        if window.status in ("died", "timeout"):
                            return None  # the others need a new kernel: run the cells again in one
            finally:
                if self.kc is not None:
                    self.kc.stop_channels()
        return None

    async def async_start_new_kernel_client(self):
        """nbclient's hook for connecting to the kernel: our kernel's quicker ready check."""
        self.kc = await self._kernel.client(self.startup_timeout)
        self.kc.allow_stdin = False
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def kernel_settings(self):
        """How this course's kernels are started: sandbox, caps, and nbgrader's kernel arguments."""
        history = "--HistoryManager.hist_file=:memory:"
        arguments = [*self.extra_arguments, *([] if any(a.startswith("--HistoryManager.hist_file")
                                                       for a in self.extra_arguments) else [history])]
        return KernelSettings(sandboxed=self.sandbox, memory_mb=self.memory_mb,
                              cpu_seconds=self.cpu_seconds or self.notebook_timeout,
                              max_processes=self.max_processes, tmp_mb=self.tmp_mb,
                              extra_arguments=tuple(arguments), forked=self.forked_kernels)

    def preprocess_cell(self, cell, resources, index):
        """Run one cell (a test cell as ``ChecksCalls`` runs it); once the kernel has died or
        been killed, later cells are marked as not run."""
        if self._died_at is not None:
            if cell.cell_type == "code":
                cell.outputs = [error_output(KERNEL_DIED, "not run: the kernel died or was killed in an earlier cell")]
            return cell, resources
        try:
            super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._died_at = index
            cell.outputs.append(error_output(KERNEL_DIED, "the kernel died while this cell ran "
                                                          "(os._exit, a crash, or the memory or CPU cap)"))
        except CellTimeoutError:  # interrupted at the time limit, the kernel did not stop: kill it
            self._kernel.stop()
            self._died_at = index
            cell.outputs.append(error_output("CellTimeoutError", "the cell ran past the time limit and ignored "
                                                                 "the interrupt, so the kernel was killed"))
        except TimeoutError:  # the kernel did not answer the grader's own silent request
            self._kernel.stop()
            self._died_at = index
            cell.outputs.append(error_output(KERNEL_DIED, "the kernel stopped answering, so it was killed"))
        return cell, resources

    def process_message(self, msg, cell, cell_index):
        """nbclient's message handling, until the notebook has sent ``max_output_bytes``: every
        message counts (outputs, displays, widget messages); past the cap, only the status and
        errors are handled, so the grader's memory stays bounded whatever the kernel sends."""
        if msg["msg_type"] != "status":
            if self._output_bytes > self.max_output_bytes:
                return None
            self._output_bytes += len(json.dumps(msg.get("content", {}), default=str)) + sum(
                len(buffer) for buffer in msg.get("buffers", []))
            if self._output_bytes > self.max_output_bytes:
                note = f"[output stopped: this notebook sent more than {self.max_output_bytes} bytes of output]\n"
                cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=note))
                return None
        return super().process_message(msg, cell, cell_index)

    def handle_comm_msg(self, outs, msg, cell_index):
        """Widget messages are counted (``process_message``) and otherwise ignored."""

    def window_timeout(self, test_timed_out):
        """Seconds the next function's hidden tests may run: the cell limit, within the notebook's
        budget, but at least MIN_WINDOW (MIN_WINDOW_AFTER_TIMEOUT if its test cell timed out)."""
        left = self._deadline - time.monotonic()
        per_cell = self.timeout if self.timeout and self.timeout > 0 else left
        return max(MIN_WINDOW_AFTER_TIMEOUT if test_timed_out else MIN_WINDOW, min(per_cell, left))

    def _get_timeout(self, cell):
        left = self._deadline - time.monotonic()
        per_cell = self.timeout if self.timeout and self.timeout > 0 else left
        return max(1, int(min(per_cell, left)))


def window_verdict(chapter, name, window):
    """The failure text for one function's window, or None if it passed."""
    if window.reported is not None:
        return verdict(chapter, name, window.reported)
    if window.status == "timeout":
        return f"{name}: its hidden tests ran past the time limit and were stopped"
    if window.status == "died":
        return f"{name}: the kernel died while its hidden tests ran (os._exit, a crash, or the memory or CPU cap)"
    if window.error:
        return f"{name}: its hidden tests could not run: {window.error}"
    return f"{name}: its hidden tests did not report any outputs"


def timed_out(cell):
    """Whether a cell was stopped at its time limit (nbgrader's Execute adds this error)."""
    return any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))


def without_outputs(nb, runaways):
    """A copy of ``nb`` as it was before it ran, to run again in a new kernel, with the cells
    ``runaways`` (indices) emptied."""
    copied = copy.deepcopy(nb)
    for index, cell in enumerate(copied.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if index in runaways:
                cell.source = ""
    return copied


def test_cells(nb, names):
    """{function: index of its test cell} for the graded functions ``names`` present in ``nb``."""
    return {name: index for index, cell in enumerate(nb.cells) if (name := test_cell_name(cell)) in names}


def apply_verdicts(nb, failures):
    """Make each graded test cell's score its verdict: ``failures`` {function: text or None}."""
    for cell in nb.cells:
        name = test_cell_name(cell)
        if name is None:
            continue
        outputs = [as_display(output) for output in cell.get("outputs", [])]
        failure = failures.get(name, f"{name}: not graded: this exercise has no hidden tests in this course")
        if failure:
            name_of_error = KERNEL_DIED if "kernel died" in failure else HIDDEN_TEST_FAILURE
            outputs.insert(0, error_output(name_of_error, failure))
        else:
            outputs = [as_text(output) if output.output_type == "error" else output for output in outputs]
        cell.outputs = outputs


def as_display(output):
    """An ``execute_result`` as a plain display (nbgrader reads a result as partial credit)."""
    if output.output_type != "execute_result":
        return output
    return nbformat.v4.new_output("display_data", data=output.get("data", {}), metadata=output.get("metadata", {}))


def as_text(output):
    """An error of a cell whose hidden tests passed, kept as text (an error would score zero)."""
    note = ("[this error came from your own earlier functions or your notebook's state; graded with "
            "the reference versions of earlier functions, this exercise passed]\n")
    return nbformat.v4.new_output("stream", name="stdout", text=note + f"{output.ename}: {output.evalue}\n")


def error_output(name, message):
    return nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def is_graded_code(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")


class RestoreMissingCells(NbGraderPreprocessor):
    """Put back every cell of the released notebook that a submission no longer has.

    nbgrader 0.9.6's ``add_missing_cells`` puts back graded cells only, after the previous
    graded or answer cell, and fails ("KeyError: 'sigmoid'") when that cell was deleted too.
    Here every cell the gradebook knows (read-only set-up and prose, answer stubs, tests) is put
    back after the nearest earlier one the submission still has, with its released source and
    metadata, so the notebook runs as released: a deleted answer is an unanswered stub (no
    points for that exercise) and the rest of the work is graded as usual.
    """

    note = "This cell was missing from the submission; the grader put back the released version."

    def preprocess(self, nb, resources):
        with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
            source = gradebook.find_notebook(resources["nbgrader"]["notebook"], resources["nbgrader"]["assignment"])
            points = {cell.name: cell.max_score for cell in source.grade_cells}
            solutions = {cell.name for cell in source.solution_cells}
            released = [self.restored(cell, points, solutions) for cell in source.source_cells]
        present = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells}
        for position, cell in enumerate(released):
            grade_id = cell.metadata.nbgrader.grade_id
            if grade_id in present:
                continue
            earlier = {c.metadata.nbgrader.grade_id for c in released[:position]}
            after = max((i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") in earlier),
                        default=-1)
            nb.cells.insert(after + 1, cell)
            present.add(grade_id)
        return nb, resources

    def restored(self, source_cell, points, solutions):
        """A notebook cell made from the gradebook's record of a released cell."""
        meta = {"grade": source_cell.name in points, "solution": source_cell.name in solutions,
                "locked": source_cell.locked, "grade_id": source_cell.name, "schema_version": 3, "task": False}
        if meta["grade"]:
            meta["points"] = points[source_cell.name]
        if source_cell.checksum:
            meta["checksum"] = source_cell.checksum
        maker = nbformat.v4.new_code_cell if source_cell.cell_type == "code" else nbformat.v4.new_markdown_cell
        cell = maker(source_cell.source, metadata={"nbgrader": meta, "editable": not source_cell.locked,
                                                   "deletable": False})
        cell.metadata["nnbook_restored"] = self.note
        return cell


class ForgetDuplicates(NbGraderPreprocessor):
    """Drop the empty nbgrader metadata DeduplicateIds leaves on a duplicated graded cell.

    nbgrader 0.9.6's DeduplicateIds empties it, and OverwriteCells (with add_missing_cells)
    then fails on the cell for want of a grade_id; without it, the copy is a plain cell.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


class StderrIsNotFailure(NbGraderPreprocessor):
    """Only the verdict fails a test cell: text on stderr (a NumPy RuntimeWarning from correct
    code, say) is turned into ordinary output, which nbgrader does not zero."""

    def preprocess_cell(self, cell, resources, cell_index):
        if is_graded_code(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class SaveAutoGrades(NbgraderSaveAutoGrades):
    """nbgrader's SaveAutoGrades, committing once a notebook instead of once a cell.

    nbgrader commits the gradebook after each score and comment it records, one commit a
    test and answer cell (6 to 30-odd a submission in this book), each a synchronous write of
    the SQLite file. Here each of those commits only flushes, and the notebook's scores and
    comments are committed together when its last cell is done: the same rows, and a run cut
    short half-way records none of them.
    """

    def preprocess(self, nb, resources):
        ids = resources["nbgrader"]
        self.notebook_id, self.assignment_id, self.student_id = ids["notebook"], ids["assignment"], ids["student"]
        self.db_url = ids["db_url"]
        with Gradebook(self.db_url) as self.gradebook:
            session = self.gradebook.db
            self.gradebook.db = FlushOnCommit(session)
            try:
                nb, resources = super(NbgraderSaveAutoGrades, self).preprocess(nb, resources)
            finally:
                self.gradebook.db = session
            session.commit()
        return nb, resources


class FlushOnCommit:
    """A database session whose ``commit`` only flushes; everything else is the session's."""

    def __init__(self, session):
        self.session = session

    def commit(self):
        self.session.flush()

    def __getattr__(self, name):
        return getattr(self.session, name)


class LimitFeedback(NbGraderPreprocessor):
    """Keep feedback pages small and quick to render, whatever a student pasted into the notebook.

    Rendering markdown costs nbconvert about a quarter of a second a megabyte, so a cell's
    source is cut to ``max_cell_chars`` characters, and past ``max_cells`` cells only the
    assignment's own cells (those with nbgrader metadata) are kept, with a note where the rest
    were dropped. Grades are not affected: they are recorded before feedback is written.
    """

    max_cell_chars = Integer(20_000, help="Characters of one cell's source shown in feedback.").tag(config=True)
    max_cells = Integer(500, help="Cells shown in feedback before the student's extra cells are dropped.").tag(config=True)

    def preprocess(self, nb, resources):
        if len(nb.cells) > self.max_cells:
            kept = [cell for index, cell in enumerate(nb.cells) if index < self.max_cells or "nbgrader" in cell.metadata]
            dropped = len(nb.cells) - len(kept)
            kept.insert(min(self.max_cells, len(kept)), nbformat.v4.new_markdown_cell(
                f"*[{dropped} more cells of this notebook are not shown in feedback]*"))
            nb.cells = kept
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        if len(cell.source) > self.max_cell_chars:
            note = f"[this cell holds {len(cell.source):,} characters; feedback shows the first {self.max_cell_chars:,}]"
            shown = cell.source[: self.max_cell_chars]
            cell.source = f"{shown}\n\n*{note}*" if cell.cell_type == "markdown" else f"{shown}\n# {note}"
        return cell, resources


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from graded test cells and cut their tracebacks to one line.

    An IPython traceback quotes the lines around the failing call, which would show the
    hidden block; the error's name and message (the check's one-line explanation) stay.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if is_graded_code(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources



class SchemaValidators:
    """Stands in for the ``jsonschema`` module inside nbgrader's metadata checks: ``validate``
    as jsonschema's, with one validator a schema, the schema itself checked when first seen."""

    def __init__(self):
        self.validators = {}

    def validate(self, instance, schema):
        """Raise jsonschema's best-matching ValidationError if ``instance`` breaks ``schema``."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            validator_class = jsonschema.validators.validator_for(schema)
            validator_class.check_schema(schema)
            self.validators[key] = validator_class(schema)
        error = jsonschema.exceptions.best_match(self.validators[key].iter_errors(instance))
        if error is not None:
            raise error


SCHEMA_VALIDATORS = SchemaValidators()


class CheckCellMetadata(NbgraderCheckCellMetadata):
    """nbgrader's check of every cell's nbgrader metadata, with its schema checked once.

    nbgrader checks each cell with ``jsonschema.validate``, which first checks the schema
    against JSON Schema's own metaschema, on every cell, twice a notebook: a twentieth of a
    second a submission. While this check runs, nbgrader's module sees ``SCHEMA_VALIDATORS``
    as its ``jsonschema``; the cells are checked exactly as before.
    """

    def preprocess(self, nb, resources):
        with schemas_checked_once():
            return super().preprocess(nb, resources)


@contextlib.contextmanager
def schemas_checked_once():
    """nbgrader's metadata module validates with SCHEMA_VALIDATORS in this block."""
    nbgrader_format.jsonschema = SCHEMA_VALIDATORS
    try:
        yield
    finally:
        nbgrader_format.jsonschema = jsonschema
