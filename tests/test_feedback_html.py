"""The feedback exporter writes the same document as nbconvert's HTMLExporter.

``autograder.running.feedback.FeedbackExporter`` skips nbconvert's second parse of the page
and makes its accessibility edits on the template's output; both pages are parsed here and
compared tag by tag, with nbgrader's feedback template and with nbconvert's lab template.
"""
import base64
import copy

import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from nbgrader.converters import GenerateFeedback
from autograder.running.feedback import MISSING_ALT, FeedbackExporter

#: A 1x1 PNG.
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")).decode()


def graded_notebook():
    """A notebook like a graded one: prose, code with text, an error, an image and HTML."""
    return new_notebook(cells=[
        new_markdown_cell("# Exercises\n\nThe sigmoid $\\sigma(z)$, and a figure: ![a pixel](data:image/png;base64,"
                          + PIXEL + ")"),
        new_code_cell("import numpy as np\nprint(np.arange(3))", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="[0 1 2]\n")]),
        new_code_cell("plot()", execution_count=2, outputs=[
            new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"}),
            new_output("display_data", data={"text/html": '<p>mine: <img src="x.png" alt="my own"> and <img src="y.png"></p>'}),
        ]),
        new_code_cell("def sigmoid(z):\n    return z", execution_count=3, metadata={"nbgrader": {
            "grade": False, "solution": True, "task": False, "grade_id": "sigmoid"}}),
        new_code_cell("assert sigmoid(0) == 0.5", execution_count=4, outputs=[
            new_output("error", ename="AssertionError", evalue="sigmoid(0) should be 0.5",
                       traceback=["\x1b[0;31mAssertionError\x1b[0m: sigmoid(0) should be 0.5"])],
            metadata={"nbgrader": {"grade": True, "solution": False, "task": False, "grade_id": "test_sigmoid",
                                   "points": 2, "score": 0.0, "comment": None}}),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


#: What nbgrader's feedback template reads of the resources nbgrader passes.
RESOURCES = {"nbgrader": {"notebook": "exercises", "score": 0.0, "max_score": 2.0, "late_penalty": 0}}


def export(exporter_class, template, notebook):
    page, _ = exporter_class(config=config(template)).from_notebook_node(copy.deepcopy(notebook),
                                                                         resources=copy.deepcopy(RESOURCES))
    return page


def config(template):
    """The exporter settings ``nbgrader generate_feedback`` uses, with ``template``."""
    c = Config(GenerateFeedback().config)
    c.HTMLExporter.template_name = template
    return c


@pytest.mark.parametrize("template", ["feedback", "lab"])
def test_the_page_is_the_document_nbconvert_writes(template):
    notebook = graded_notebook()
    theirs, ours = export(HTMLExporter, template, notebook), export(FeedbackExporter, template, notebook)
    assert ours != theirs  # not reserialised by BeautifulSoup...
    assert BeautifulSoup(ours, "html.parser") == BeautifulSoup(theirs, "html.parser")  # ...and yet the same tags


def test_images_get_alt_text_and_the_lab_boxes_focus():
    soup = BeautifulSoup(export(FeedbackExporter, "lab", graded_notebook()), "html.parser")
    alts = [img.get("alt") for img in soup.find_all("img")]
    assert alts.count(MISSING_ALT) == 2 and "my own" in alts and "a pixel" in alts
    boxes = soup.select(".jp-Notebook div.jp-Cell-inputWrapper") + soup.select(".jp-Notebook div.jp-OutputArea-output")
    assert len(boxes) >= 7 and all(box.get("tabindex") == "0" for box in boxes)


def test_a_remembered_highlight_is_the_highlight_of_its_own_source():
    first, second = graded_notebook(), graded_notebook()
    second.cells[1].source = "import numpy as np\nprint(np.arange(4))"  # one source changed
    second.cells[3].metadata["magics_language"] = "bash"  # one highlighted as another language
    ours = [export(FeedbackExporter, "lab", notebook) for notebook in (first, second, first)]
    theirs = [export(HTMLExporter, "lab", notebook) for notebook in (first, second)]
    assert BeautifulSoup(ours[1], "html.parser") == BeautifulSoup(theirs[1], "html.parser")
    assert ours[2] == ours[0] and BeautifulSoup(ours[0], "html.parser") == BeautifulSoup(theirs[0], "html.parser")
    assert "arange</span><span class=\"p\">(</span><span class=\"mi\">4" in ours[1]
