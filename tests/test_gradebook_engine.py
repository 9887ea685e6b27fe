"""A grading process makes one SQLAlchemy engine a gradebook, so queries compile once.

nbgrader opens a new Gradebook several times for each submission; with an engine each, every
query was compiled afresh for every submission (``autograder.running.nbgrader_apps``).
"""
import pytest

import autograder.running.nbgrader_apps  # noqa: F401  (as a grading worker does, first)
from autograder.course import tool_environment
from nbgrader.api import Gradebook


@pytest.fixture(autouse=True)
def tools_on_path(monkeypatch):
    """A new gradebook runs ``alembic``, from this Python's bin folder, as in a grading worker."""
    monkeypatch.setenv("PATH", tool_environment()["PATH"])


def use(gradebook):
    gradebook.update_or_create_student("ada", first_name="Ada")
    return [student.id for student in gradebook.students], gradebook.find_student("ada").first_name


def test_gradebooks_of_one_process_share_an_engine_and_compile_each_query_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first:
        assert use(first) == (["ada"], "Ada")
        engine = first.engine
        with Gradebook(url) as nested:  # nbgrader nests them: both work, on one engine
            assert nested.engine is engine and use(nested) == (["ada"], "Ada")
    compiled = len(engine._compiled_cache)
    with Gradebook(url) as later:  # after the others closed (and disposed of their connections)
        assert later.engine is engine and use(later) == (["ada"], "Ada")
    assert len(engine._compiled_cache) == compiled > 0  # no query compiled again


def test_another_database_gets_an_engine_of_its_own(tmp_path):
    with Gradebook(f"sqlite:///{tmp_path / 'a.db'}") as a, Gradebook(f"sqlite:///{tmp_path / 'b.db'}") as b:
        assert a.engine is not b.engine
        a.update_or_create_student("only-in-a")
        assert [s.id for s in b.students] == []
