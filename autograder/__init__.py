"""The book's grading toolkit.

- ``template``/``source``: turn an authored exercise template plus ``solutions/`` into the
  nbgrader source notebook; nbgrader's ``generate_assignment`` makes the student version.
- ``checking``: the one place where hidden tests decide pass or fail.
- ``hidden_cases/<chapter>.py``: the inputs each graded function is checked on.
- ``mutants/<chapter>.py``: realistic wrong implementations, used to name mistakes in feedback.
- ``course``, ``submissions``, ``grading``, ``student_check``, ``cli``: the command line.
- ``worker``, ``kernels``, ``sandbox``, ``recorder``, ``preprocessors``, ``feedback``: how a
  submission is graded: long-lived nbgrader workers, one fresh sandboxed kernel a notebook,
  outputs recorded in the kernel and judged outside it, feedback without hidden tests.
"""
