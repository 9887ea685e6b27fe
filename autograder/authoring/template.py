"""Authored exercise templates: ``chapters/<chapter>/exercises.template.ipynb``.

An author writes the exercise notebook once, in JupyterLab, with two kinds of marked cells
(Quarto-style ``#|`` option lines at the top of a code cell):

``#| implement: sigmoid``
    The whole cell is generated from ``solutions.<chapter>.sigmoid``: its signature and
    docstring, then its body between nbgrader's solution delimiters.
``#| test: sigmoid`` and ``#| points: 2``
    The visible tests written below the options; the tooling appends the hidden tests.

Every other cell (prose, set-up code) is copied as it is and made read-only.
"""
from dataclasses import dataclass
from pathlib import Path

import nbformat

TEMPLATE_NAME = "exercises.template.ipynb"
NOTEBOOK_NAME = "exercises.ipynb"
OPTION_PREFIX = "#|"


class TemplateError(ValueError):
    """An exercise template breaks the authoring rules; the message says where and how."""


@dataclass(frozen=True)
class Assignment:
    """One chapter's exercises: nbgrader assignment ``name``, authored at ``template``."""

    name: str
    template: Path


def find_assignments(chapters_dir):
    """Every chapter folder that holds an exercise template, sorted by name."""
    return [Assignment(path.parent.name, path) for path in sorted(Path(chapters_dir).glob(f"*/{TEMPLATE_NAME}"))]


def split_options(source):
    """The ``#| key: value`` options at the top of a cell, and the code below them."""
    options, lines = {}, source.splitlines()
    while lines and lines[0].startswith(OPTION_PREFIX):
        key, _, value = lines.pop(0)[len(OPTION_PREFIX):].partition(":")
        options[key.strip()] = value.strip()
    return options, "\n".join(lines).strip("\n")


def read_template(path):
    """Read and validate a template notebook; raise TemplateError on a broken one."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        raise TemplateError(f"{path}: not a readable notebook ({error})") from None
    implemented, tested = [], []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        options, body = split_options(cell.source)
        if "implement" in options:
            if body:
                raise TemplateError(f"{path}, cell {index}: an implement cell holds only its '#|' options")
            implemented.append(options["implement"])
        if "test" in options:
            if "points" not in options or not options["points"].isdigit():
                raise TemplateError(f"{path}, cell {index}: a test cell needs '#| points: <whole number>'")
            tested.append(options["test"])
    if sorted(implemented) != sorted(tested) or len(set(tested)) != len(tested):
        raise TemplateError(f"{path}: every implement cell needs exactly one test cell (implement: {implemented}, test: {tested})")
    return notebook
