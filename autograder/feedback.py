"""nbgrader preprocessors of this course: fair scores, and feedback without hidden tests."""
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor


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
