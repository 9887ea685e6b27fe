"""The instructor's view of a graded class: what nbgrader's scores alone do not show.

- ``classdata``: one record a submission, read from the grades CSV, the gradebook and the
  autograded notebooks (each exercise's failure text, as the grader wrote it).
- ``mistakes``: a failure read as a recognised mistake (a catalogued mutant's explanation),
  an exercise not attempted, or a failure no mutant explains.
- ``report``: the class report, one self-contained HTML page and a short text summary.
- ``exports``: Canvas- and Moodle-ready grades CSVs, student ids mapped through a roster.
- ``nbgrader_export``: the same exports as ``nbgrader export --exporter`` plugins.
- ``regrade``: the scores kept before ``grade --regrade``, and whose changed since.
"""
