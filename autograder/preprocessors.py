"""nbgrader preprocessors of this course: a time budget per notebook, fair scores, and
feedback without hidden tests. The course's nbgrader_config.py names them."""
import json
import os
import time

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Bool, Integer

from autograder.judging.checking import encoded_cases, verdict_from_kernel
from autograder.running.kernels import KernelSettings, Spare
from autograder.recorder import RESULTS_DIR


#: The error name of a cell during or after which the kernel died.
KERNEL_DIED = "KernelDied"


class BudgetedExecute(Execute):
    """nbgrader's Execute with one wall-clock budget for the whole notebook, and hidden tests
    decided outside the kernel.

    Budget: each cell may run ``timeout`` seconds, but never past the notebook's budget: once
    the budget is spent, a running cell is interrupted and later cells get one second each.
    Cells that finished keep their results, so a runaway costs one budget, not one per cell.

    Kernels (``autograder.running.kernels``): a fresh one a notebook, sandboxed unless ``sandbox`` is
    off, started while the previous notebook ran; it works in a copy of the notebook's folder.

    Verdicts: before the first cell runs, the hidden inputs (no expected values) go into the
    kernel's private exchange folder; each test cell's hidden region writes the student's
    outputs there (``autograder.recorder``). After the run, ``autograder.judging.checking.verdict`` judges
    them here, in the grader's process, and a failed hidden test becomes an error output of
    its cell, which nbgrader's SaveAutoGrades then scores as zero, as it would any failure.
    """

    notebook_timeout = Integer(60, help="Seconds all cells of one notebook may run in total.").tag(config=True)
    sandbox = Bool(True, help="Run the kernel in the bubblewrap sandbox (autograder.running.sandbox).").tag(config=True)
    memory_mb = Integer(2048, help="Address-space cap of the sandboxed kernel, in MiB.").tag(config=True)
    cpu_seconds = Integer(0, help="CPU-time cap of the sandboxed kernel (0: the notebook budget).").tag(config=True)
    max_processes = Integer(128, help="Processes and threads the sandboxed kernel may run at once "
                                      "(a cgroup pids cap, where the machine has one).").tag(config=True)
    max_output_bytes = Integer(2 * 2**20, help="Output a notebook may print; the rest is dropped.").tag(config=True)
    max_result_bytes = Integer(16 * 2**20, help="Largest hidden-test result file read from a kernel.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._output_bytes = 0
        self._kernel_died = False
        chapter = resources["nbgrader"]["assignment"]
        settings = self.kernel_settings()
        with Spare.take(settings) as kernel:
            kernel.receive(resources["metadata"]["path"], encoded_cases(chapter))
            Spare.prepare(settings)  # starts while this notebook runs
            nb, resources = self.run_in(kernel, nb, resources)
            # Judged once the kernel is dead: nothing in the sandbox can touch the results now.
            for cell in nb.cells:
                if is_graded_code(cell):
                    self.judge(cell, chapter, kernel.exchange)
        return nb, resources

    def run_in(self, kernel, nb, resources):
        """Execute the notebook in ``kernel``, then kill the kernel."""
        self._kernel = kernel
        try:
            return super().preprocess(nb, resources, kernel.km)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            kernel.stop()

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
                              max_processes=self.max_processes, extra_arguments=tuple(arguments))

    def preprocess_cell(self, cell, resources, index):
        """Run one cell; once the kernel has died (or been killed for ignoring an interrupt),
        later cells are marked as not run, so the cells that finished before keep their points."""
        if self._kernel_died:
            if cell.cell_type == "code":
                cell.outputs = [error_output(KERNEL_DIED, "not run: the kernel died or was killed in an earlier cell")]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._kernel_died = True
            cell.outputs.append(error_output(KERNEL_DIED, "the kernel died while this cell ran "
                                                          "(os._exit, a crash, or the memory or CPU cap)"))
        except CellTimeoutError:  # interrupted at the time limit, the kernel did not stop: kill it
            self._kernel.stop()
            self._kernel_died = True
            cell.outputs.append(error_output("CellTimeoutError", "the cell ran past the time limit and ignored "
                                                                 "the interrupt, so the kernel was killed"))
        return cell, resources

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's output handling, until the notebook has printed ``max_output_bytes``."""
        if self._output_bytes > self.max_output_bytes:
            return None
        self._output_bytes += len(json.dumps(msg.get("content", {}), default=str))
        if self._output_bytes > self.max_output_bytes:
            note = f"[output stopped: this notebook printed more than {self.max_output_bytes} bytes]\n"
            out = nbformat.v4.new_output("stream", name="stdout", text=note)
            outs.append(out)
            return out
        return super().output(outs, msg, display_id, cell_index)

    def judge(self, cell, chapter, exchange):
        """Add the hidden test's failure, if any, to the cell's outputs as an error."""
        name = cell.metadata["nbgrader"]["grade_id"].removeprefix("test_")
        if any(output.output_type == "error" for output in cell.get("outputs", [])):
            return  # failed already (visible test, exception, timeout): scored zero anyway
        path = os.path.join(exchange, RESULTS_DIR, f"{name}.json")
        if os.path.exists(path) and os.path.getsize(path) > self.max_result_bytes:
            failure = f"{name}: its outputs on the hidden inputs are larger than {self.max_result_bytes} bytes"
        else:
            failure = verdict_from_kernel(chapter, name, read_text(path))
        if failure:
            cell.outputs.append(error_output("HiddenTestFailure", failure))

    def _get_timeout(self, cell):
        left = self._deadline - time.monotonic()
        per_cell = self.timeout if self.timeout and self.timeout > 0 else left
        return max(1, int(min(per_cell, left)))


def error_output(name, message):
    return nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def read_text(path):
    """The file's text, or None if it is missing or not UTF-8."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def is_graded_code(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")


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
    """Only an exception fails a test cell: text on stderr (a NumPy RuntimeWarning from
    correct code, say) is turned into ordinary output, which nbgrader does not zero."""

    def preprocess_cell(self, cell, resources, cell_index):
        if is_graded_code(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


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
