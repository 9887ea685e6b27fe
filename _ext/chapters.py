"""Chapter numbers that start at 0, and ``{chapter}`N``` references that become links.

The book's chapters are numbered from 0 (chapter 0 is the perceptron), as the folders
``chapters/chNN_*`` are. Sphinx numbers a numbered toctree from 1, so after it has assigned
section and figure numbers this extension lowers the first number by one everywhere: the
sidebar, page titles and headings read 0, 0.1, 1, 1.2, ... and figures "Fig. 1.3".

``{chapter}`4``` in MyST renders "chapter 4", ``{chapter}`Chapter 4 <4>``` renders the text
given; either is a link to the chapter's first page when the chapter is in the book, and
plain text while it is not (so prose can name a chapter that is still being written, and
the reference turns into a link when the chapter lands).
"""
import re

from docutils import nodes
from sphinx.util.docutils import SphinxRole

CHAPTER_FOLDER = "chapters/ch{:02d}_"


class chapter_reference(nodes.inline):
    """A reference to chapter ``number``, resolved once every document is known."""


class ChapterRole(SphinxRole):
    def run(self):
        match = re.fullmatch(r"\s*(?:(.*?)\s*<\s*(\d+)\s*>|(\d+))\s*", self.text)
        if not match:
            message = self.inliner.reporter.error(f"{{chapter}} needs a number, got {self.text!r}",
                                                  line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        text, number = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(3))
        node = chapter_reference(number=int(number))
        node += nodes.Text(text or f"chapter {int(number)}")
        return [node], []


def chapter_pages(env, root_doc):
    """{chapter number: the docname of its first page}, for chapters in the table of contents."""
    pages = {}
    for docname in env.toctree_includes.get(root_doc, []):
        match = re.match(r"chapters/ch(\d\d)_", docname)
        if match:
            pages.setdefault(int(match.group(1)), docname)
    return pages


def resolve_chapter_references(app, doctree, fromdocname):
    pages = chapter_pages(app.env, app.config.root_doc)
    for node in list(doctree.findall(chapter_reference)):
        target = pages.get(node["number"])
        if target is None:
            node.replace_self(nodes.inline("", "", *node.children))
            continue
        link = nodes.reference("", "", internal=True,
                               refuri=app.builder.get_relative_uri(fromdocname, target))
        link += node.children
        node.replace_self(link)


def shift(numbers, by=-1):
    """(c, ...) with the chapter number c moved by ``by``; None and () stay as they are."""
    return (numbers[0] + by, *numbers[1:]) if numbers else numbers


def shift_stored_numbers(env, by):
    """Move the chapter number of every section and figure number the environment keeps."""
    for secnumbers in env.toc_secnumbers.values():
        for anchor, numbers in secnumbers.items():
            secnumbers[anchor] = shift(numbers, by)
    for by_type in env.toc_fignumbers.values():
        for numbers in by_type.values():
            for figure_id, number in numbers.items():
                if len(number) > 1:
                    numbers[figure_id] = shift(number, by)


def restore_sphinx_numbers(app, env):
    """Runs before Sphinx numbers afresh: it rewrites every page whose numbers differ from the
    last build's, so it must find its own (from 1) there, not ours (from 0)."""
    shift_stored_numbers(env, +1)
    return []


def number_chapters_from_zero(app, env):
    """Runs after Sphinx (or sphinx-multitoc-numbering) has numbered sections and figures."""
    shift_stored_numbers(env, -1)
    for docname in env.toc_secnumbers:
        for tree in (env.tocs.get(docname), env.titles.get(docname)):
            for node in tree.findall(nodes.Element) if tree is not None else []:
                if node.get("secnumber"):
                    node["secnumber"] = list(shift(node["secnumber"]))
    return []


def setup(app):
    app.add_role("chapter", ChapterRole())
    app.add_node(chapter_reference, html=(lambda self, node: None, lambda self, node: None))
    app.connect("doctree-resolved", resolve_chapter_references)
    # Around the toctree collector (priority 500), which numbers afresh on every build.
    app.connect("env-get-updated", restore_sphinx_numbers, priority=100)
    app.connect("env-get-updated", number_chapters_from_zero, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
