"""The HTML exporter grading workers write feedback with: nbconvert's, minus its slow passes.

nbgrader makes a new exporter for every student, and each new exporter parses and compiles
its Jinja templates again, a tenth of a second a student. ``FeedbackExporter`` shares one
compiled copy a process; Jinja keys it on the template's name and source, so an edited
template is compiled afresh.

nbconvert's ``HTMLExporter`` then parses the whole page again with BeautifulSoup to make two
accessibility edits (alt text on images that have none, keyboard focus on the lab
template's inputs and outputs) and serialises it back: another tenth of a second. Both
edits touch only tags the template writes, so ``FeedbackExporter`` makes them on the
template's output directly. The page is the same document (``tests/test_feedback_html.py``).

Most code cells are the same in every student's notebook (the set-up, the test cells, stubs
left alone), and highlighting them was half of what remained: ``RememberedHighlight``
highlights each cell source once a process.
"""
import functools
import re

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

#: nbconvert's text for an image that has no alternative text.
MISSING_ALT = "No description has been provided for this image"
IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)")
#: The lab template's input and output boxes, which nbconvert makes focusable.
FOCUSABLE = re.compile(r'(<div class="(?:[^"]* )?jp-(?:Cell-inputWrapper|OutputArea-output)(?: [^"]*)?")')


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in memory."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


#: Sources longer than this (characters) are highlighted every time, so the memory stays small.
REMEMBERED_SOURCE_CHARS = 16_000


class RememberedHighlight(Highlight2HTML):
    """nbconvert's highlighting filter, remembering the HTML of the last sources it highlighted.
    The HTML depends only on the source, the language, the cell's ``magics_language`` and
    the formatter's options, which make the key."""

    def __call__(self, source, language=None, metadata=None):
        magics = (metadata or {}).get("magics_language")
        if len(source) > REMEMBERED_SOURCE_CHARS or not isinstance(magics, (str, type(None))):
            return super().__call__(source, language, metadata)
        options = tuple(sorted((k, repr(v)) for k, v in self.extra_formatter_options.items()))
        return self.remembered(source, language or self.pygments_lexer, magics, options)

    @functools.lru_cache(maxsize=2048)  # noqa: B019  (one filter a process: see from_notebook_node)
    def remembered(self, source, language, magics, options):
        return super().__call__(source, language, {"magics_language": magics} if magics else None)


def accessible(html):
    """``html`` with nbconvert's two accessibility edits: alt text on every image without
    one, and ``tabindex="0"`` on the lab template's input and output boxes."""
    html = IMAGE_WITHOUT_ALT.sub(f'<img alt="{MISSING_ALT}"', html)
    if 'class="jp-Notebook' in html:
        html = FOCUSABLE.sub(r'\1 tabindex="0"', html)
    return html


@functools.lru_cache(maxsize=8)
def highlighter(lexer):
    """The process's highlighting filter for notebooks whose language's lexer is ``lexer``."""
    return RememberedHighlight(pygments_lexer=lexer)


class FeedbackExporter(HTMLExporter):
    """nbconvert's ``HTMLExporter`` whose templates are compiled once a process and whose page
    is not parsed again after rendering."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED_TEMPLATES
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        """Render ``nb`` with the same filters as ``HTMLExporter``, then make its edits."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        self.register_filter("highlight_code", self.filters.get("highlight_code", highlighter(lexer)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(html), resources
