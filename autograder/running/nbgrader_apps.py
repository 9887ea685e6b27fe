"""What a grading worker imports before its first submission: nbgrader's applications.

The grader's forkserver (``autograder.running.worker``) imports this module once; every
worker forked from it starts with nbgrader loaded. Nothing here runs student code or loads
the reference, and BLAS is made single-threaded before anything could import numpy.

nbgrader opens a new ``Gradebook``, and so a new SQLAlchemy engine, several times a
submission; each new engine starts with an empty statement cache, so every query was
compiled again, about a tenth of a second a submission. Here a process makes one engine a
database and every Gradebook uses it (``Gradebook.close`` disposes of its connections, not
of its statement cache).
"""
import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from nbgrader.apps.autogradeapp import AutogradeApp  # noqa: E402  (after the BLAS settings)
from nbgrader.apps.generatefeedbackapp import GenerateFeedbackApp  # noqa: E402
import nbgrader.api  # noqa: E402
import sqlalchemy  # noqa: E402

ENGINES = {}


def one_engine_a_database(url, **options):
    """The engine of this process for ``url`` and ``options``, made the first time."""
    key = (str(url), tuple(sorted(options.items())))
    if key not in ENGINES:
        ENGINES[key] = sqlalchemy.create_engine(url, **options)
    return ENGINES[key]


nbgrader.api.create_engine = one_engine_a_database

__all__ = ["AutogradeApp", "GenerateFeedbackApp"]
