"""What a grading worker imports before its first submission: nbgrader's applications.

The grader's forkserver (``autograder.running.worker``) imports this module once; every
worker forked from it starts with nbgrader loaded. Nothing here runs student code or loads
the reference, and BLAS is made single-threaded before anything could import numpy.
"""
import os
import sys

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
# jsonschema imports this optional IRI checker if it can, building parsers for a second;
# nbformat validates notebooks without format checks, so a worker never needs it.
sys.modules["rfc3987_syntax"] = None

from nbgrader.apps.autogradeapp import AutogradeApp  # noqa: E402
from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp  # noqa: E402

__all__ = ["AutogradeApp", "GenerateFeedbackApp"]
