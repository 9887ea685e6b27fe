"""The book's grading toolkit, and the ``nnbook-grader`` command (``cli``).

- ``authoring/``: from an authored exercise template and ``solutions/`` to the nbgrader source
  notebook (``template``, ``source``), and notebooks answered with known code (``filling``).
- ``exercises/<chapter>.py``: each chapter's grading data: hidden cases, mutants, alternatives.
- ``judging/``: the one place where hidden tests decide pass or fail (``checking``).
- ``running/``: how a submission is run: long-lived nbgrader workers (``worker``), one fresh
  sandboxed kernel a notebook (``kernels``, ``sandbox``), test cells as the student runs them
  (``visible_tests``), each function's hidden tests answered outside the kernel
  (``hidden_tests``), scratch folders, feedback HTML.
- ``recorder``: the only part of the grader a student's kernel sees.
- ``cells``: graded test cells and their hidden regions, as grading and ``check`` read them.
- ``preprocessors``: the nbgrader preprocessors a course's ``nbgrader_config.py`` names.
- ``course``, ``submissions``, ``grading``, ``student_check``, ``cli``: the command line.
"""
import sys

# jsonschema imports this optional IRI checker if it can, building its parsers for most of
# a second in every process that reads a notebook; nbformat and nbgrader validate without
# format checks, so no process of the grader needs it.
sys.modules.setdefault("rfc3987_syntax", None)
