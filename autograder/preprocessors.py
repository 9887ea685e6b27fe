"""nbgrader preprocessors of this course: a time budget per notebook, fair scores, and
feedback without hidden tests. The course's nbgrader_config.py names them."""
import time

from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from traitlets import Integer


class BudgetedExecute(Execute):
    """nbgrader's Execute with one wall-clock budget for the whole notebook.

    Each cell may run ``timeout`` seconds, but never past the notebook's budget: once the
    budget is spent, a running cell is interrupted and later cells get one second each.
    Cells that finished keep their results, so a runaway costs one budget, not one per cell.
    """

    notebook_timeout = Integer(300, help="Seconds all cells of one notebook may run in total.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        return super().preprocess(nb, resources, km)

    def _get_timeout(self, cell):
        left = self._deadline - time.monotonic()
        per_cell = self.timeout if self.timeout and self.timeout > 0 else left
        return max(1, int(min(per_cell, left)))


def is_graded_code(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")


class StderrIsNotFailure(NbGraderPreprocessor):
    """Only an exception fails a test cell: text on stderr (a NumPy RuntimeWarning from
    correct code, say) is turned into ordinary output, which nbgrader does not zero."""

    def preprocess_cell(self, cell, resources, cell_index):
        if is_graded_code(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
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
