"""The book's chapter numbers start at 0, and a rebuild with nothing changed writes no page.

A small Sphinx project with the book's extension ``_ext/chapters.py``: a numbered toctree of
two chapters, each with a numbered figure, built twice.
"""
import base64
import io
import re
import sys

from sphinx.application import Sphinx

from tests.conftest import PROJECT_ROOT

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNg+M8AAAMBAQAY3Y2wAAAAAElFTkSuQmCC")
CHAPTER = """{title}
{underline}

Some prose.

.. figure:: /pixel.png

   A figure of chapter {number}.

A section
---------

More prose.
"""


def make_project(root):
    (root / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(PROJECT_ROOT / '_ext')!r})\n"
                                  "extensions = ['chapters']\nnumfig = True\nnumfig_secnum_depth = 1\n")
    (root / "index.rst").write_text("Book\n====\n\n.. toctree::\n   :numbered: 1\n\n"
                                    "   chapters/ch00_first/page\n   chapters/ch01_second/page\n")
    (root / "pixel.png").write_bytes(PIXEL)
    for number, title in enumerate(["First", "Second"]):
        folder = root / "chapters" / f"ch0{number}_{title.lower()}"
        folder.mkdir(parents=True)
        (folder / "page.rst").write_text(CHAPTER.format(title=title, underline="=" * len(title), number=number))


def build(root):
    """Build the project's HTML; Sphinx's status log, without colours."""
    status = io.StringIO()
    Sphinx(str(root), str(root), str(root / "_build"), str(root / "_build" / ".doctrees"), "html",
           status=status, warning=sys.stderr, freshenv=False).build()
    return re.sub(r"\x1b\[[0-9;]*m", "", status.getvalue())


def test_chapters_count_from_zero_and_an_unchanged_rebuild_writes_nothing(tmp_path):
    make_project(tmp_path)
    build(tmp_path)
    second = tmp_path / "_build" / "chapters" / "ch01_second" / "page.html"
    html = second.read_text()
    assert 'section-number">1. </span>Second' in html, "the second chapter is chapter 1"
    assert 'section-number">0. </span>First' in html, "the first is chapter 0"
    assert "Fig. 1.1" in html
    written = {path: path.stat().st_mtime_ns for path in (tmp_path / "_build").rglob("*.html")}
    log = build(tmp_path)
    assert "now-outdated files... none found" in log, log
    assert {path: path.stat().st_mtime_ns for path in written} == written, "no page was written again"
    assert second.read_text() == html
