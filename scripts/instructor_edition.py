"""Build the instructor's edition of the book into _build/instructor/html (never the default).

    ./scripts/build-book --instructor     (builds the student book first, then this)

The instructor's edition is the student book with, under each exercise's stub, a note that
holds the reference solution, read from the nbgrader source notebook the student build has
just released (``_build/course/source/<chapter>/exercises.ipynb``, not a copy), what the
hidden tests try (the case labels of ``autograder/exercises/<chapter>.py`` CHECKS) and
which mistakes they recognise (the first docstring line of each mutant).

Two steps:

1. ``write_notebooks``: for each chapter, the released notebook with the notes inserted,
   written to ``_build/instructor/notebooks/<chapter>/exercises.ipynb``.
2. ``build``: Sphinx reads the book's own sources with this module as an extension, which
   hands Sphinx the instructor's notebook whenever it reads a chapter's exercise page. The
   output, doctrees and configuration live under ``_build/instructor``; notebook outputs
   come from the student build's execution cache (nothing is executed again). The student
   book in ``_build/html``, its doctrees and its configuration are never touched, and the
   default build never loads this module.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

from autograder.authoring.source import BEGIN_SOLUTION, END_SOLUTION
from autograder.authoring.template import NOTEBOOK_NAME, find_assignments
from autograder.exercises import grading_data

ROOT = Path(__file__).resolve().parent.parent

STUDENT_BOOK = ROOT / "_build" / "html"
COURSE = ROOT / "_build" / "course"
OUTPUT = ROOT / "_build" / "instructor"
NOTEBOOKS = "notebooks"
BANNER = "Instructor's edition: reference solutions and hidden tests are shown. Do not give it to students."
#: Marks every note, so a test (and a reader of the HTML) can tell instructor content apart.
NOTE_CLASS = "nnbook-instructor"


# Step 1: the notebooks ------------------------------------------------------------------------

def markdown_text(text):
    """``text`` safe as MyST markdown: `code` spans kept, other markup characters escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        parts = [text]
    return "`".join(part if index % 2 else re.sub(r"([\\*_\[\]<>$|#~^{}])", r"\\\1", part)
                    for index, part in enumerate(parts))


def inline_code(text):
    """``text`` as one inline code span: a fence longer than any backtick run in it, and a
    space inside each end (CommonMark strips one)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def reference_code(source_cell):
    """The source notebook's solution cell without nbgrader's solution delimiters."""
    return "\n".join(line for line in source_cell.source.splitlines()
                     if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


def note(chapter, name, source_cell):
    """The markdown of the instructor's note for graded function ``name``."""
    check = grading_data(chapter).CHECKS[name]
    labels = [case.label for case in check.cases()]
    mutants = [m.__doc__.strip().splitlines()[0] for m in grading_data(chapter).MUTANTS.get(name, [])]
    decided = "a judge function decides each output" if check.judge else \
        f"outputs are compared with the reference's (rtol {check.rtol:g}, atol {check.atol:g})"
    lines = [
        f"::::{{admonition}} Instructor's edition: {inline_code(name)}",
        f":class: {NOTE_CLASS}",
        "",
        f"**Reference solution**, from the nbgrader source notebook (`source/{chapter}/{NOTEBOOK_NAME}`):",
        "",
        "```python",
        reference_code(source_cell),
        "```",
        "",
        f"**What the hidden tests try**: {len(labels)} cases; {decided}.",
        "",
        *[f"- {markdown_text(label)}" for label in labels],
        "",
        f"**Mistakes they recognise**: {len(mutants)} catalogued mutants; feedback names the one a "
        "student's output matches.",
        "",
        *[f"- {markdown_text(line)}" for line in mutants],
        "::::",
    ]
    return "\n".join(lines)


def instructor_notebook(chapter, course=COURSE):
    """The released notebook of ``chapter`` with an instructor's note under every stub."""
    released = nbformat.read(course / "release" / chapter / NOTEBOOK_NAME, as_version=4)
    source = nbformat.read(course / "source" / chapter / NOTEBOOK_NAME, as_version=4)
    solutions = {cell.metadata.nbgrader.grade_id: cell for cell in source.cells
                 if cell.metadata.get("nbgrader", {}).get("solution")}
    cells = []
    for cell in released.cells:
        cells.append(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in grading_data(chapter).CHECKS:
            cells.append(nbformat.v4.new_markdown_cell(note(chapter, grade_id, solutions[grade_id])))
    released.cells = cells
    return released


def write_notebooks(output=OUTPUT, course=COURSE):
    """Write every chapter's instructor notebook under ``output``; return their paths."""
    paths = []
    for assignment in find_assignments(ROOT / "chapters"):
        path = output / NOTEBOOKS / assignment.name / NOTEBOOK_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        text = nbformat.writes(instructor_notebook(assignment.name, course))
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths.append(path)
    return paths


# Step 2: the Sphinx build ---------------------------------------------------------------------

def exercise_chapter(docname):
    """The chapter of an exercise page's docname ('chapters/ch00_perceptrons/exercises'), or None."""
    match = re.fullmatch(r"chapters/([^/]+)/exercises", docname)
    return match.group(1) if match else None


def swap_in_instructor_notebook(app, docname, source):
    """Sphinx's source-read: an exercise page is read from the instructor's notebook."""
    chapter = exercise_chapter(docname)
    if chapter is not None:
        source[0] = (Path(app.config.nnbook_instructor_notebooks) / chapter / NOTEBOOK_NAME).read_text()


def exercise_pages_are_outdated(app, env, added, changed, removed):
    """Sphinx's env-get-outdated: the exercise pages are read again every build (their notes
    change when solutions/ or the grading data do, not when the page's own file does)."""
    return [docname for docname in env.found_docs if exercise_chapter(docname)]


def refuse_the_student_book(app):
    if Path(app.outdir).resolve().is_relative_to(STUDENT_BOOK):
        raise RuntimeError(f"the instructor's edition never goes into the student book ({STUDENT_BOOK})")


def setup(app):
    """The Sphinx extension, loaded only by ``build``."""
    app.add_config_value("nnbook_instructor_notebooks", "", "env")
    app.connect("builder-inited", refuse_the_student_book)
    app.connect("source-read", swap_in_instructor_notebook)
    app.connect("env-get-outdated", exercise_pages_are_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def instructor_config(output):
    """The book's _config.yml for the instructor's edition: this extension added, local
    extension paths made absolute, the student build's execution cache, a banner."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["title"] = f"{config['title']} (instructor's edition)"
    config.setdefault("execute", {})["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    config.setdefault("html", {})["announcement"] = BANNER
    sphinx = config.setdefault("sphinx", {})
    extensions = {name: str((ROOT / path).resolve()) for name, path in sphinx.get("local_extensions", {}).items()}
    sphinx["local_extensions"] = {**extensions, "instructor_edition": str(Path(__file__).resolve().parent)}
    sphinx.setdefault("config", {})["nnbook_instructor_notebooks"] = str(output / NOTEBOOKS)
    return config


def build(output=OUTPUT):
    """Write the notebooks and build the instructor's edition into ``output``/html; return
    Sphinx's status code (0: built without warnings)."""
    from jupyter_book.sphinx import build_sphinx

    output = Path(output).resolve()
    if output == STUDENT_BOOK.parent or output.is_relative_to(STUDENT_BOOK):
        raise SystemExit(f"instructor_edition: {output} would share the student book's folders; choose another")
    write_notebooks(output)
    path_config = output / "_config.yml"
    path_config.write_text(yaml.safe_dump(instructor_config(output), sort_keys=False))
    result = build_sphinx(ROOT, output / "html", noconfig=True, path_config=str(path_config),
                          confoverrides={"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                                         "nitpicky": True},
                          doctreedir=output / ".doctrees", warningiserror=True, keep_going=True)
    return result if isinstance(result, int) else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(OUTPUT), help="folder of the edition (default: _build/instructor)")
    output = Path(parser.parse_args(argv).output).resolve()
    status = build(output)
    if status == 0:
        print(f"instructor's edition: {output / 'html' / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
