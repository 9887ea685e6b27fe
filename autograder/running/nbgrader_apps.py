"""What a grading worker imports before its first submission: nbgrader's applications.

The grader's forkserver (``autograder.running.worker``) imports this module once; every
worker forked from it starts with nbgrader loaded. Nothing here runs student code or loads
the reference, and BLAS is made single-threaded before anything could import numpy.
"""
import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from nbgrader.apps.autogradeapp import AutogradeApp  # noqa: E402  (after the BLAS settings)
from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp  # noqa: E402

__all__ = ["AutogradeApp", "GenerateFeedbackApp"]
