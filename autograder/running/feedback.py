"""The HTML exporter grading workers write feedback with: nbconvert's, minus recompiling.

nbgrader makes a new exporter for every student, and each new exporter parses and compiles
its Jinja templates again, a tenth of a second a student. ``FeedbackExporter`` shares one
compiled copy a process; Jinja keys it on the template's name and source, so an edited
template is compiled afresh. The HTML is the same as nbconvert's.
"""
import jinja2
from nbconvert.exporters import HTMLExporter


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


class FeedbackExporter(HTMLExporter):
    """nbconvert's ``HTMLExporter`` whose templates are compiled once a process."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED_TEMPLATES
        return environment
