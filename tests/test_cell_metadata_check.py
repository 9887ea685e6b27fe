"""The course's cell-metadata check decides exactly as nbgrader's, with its schema checked once."""
import jsonschema
import pytest
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat import common as nbgrader_format
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheckCellMetadata
from nbformat.v4 import new_code_cell, new_notebook

from autograder.preprocessors import SCHEMA_VALIDATORS, CheckCellMetadata

GOOD = {"grade": True, "solution": False, "locked": True, "task": False, "grade_id": "test_sigmoid",
        "points": 2, "schema_version": 3}
BROKEN = [
    {**GOOD, "points": "two"},  # the wrong type
    {**GOOD, "grade": "yes"},
    {key: value for key, value in GOOD.items() if key != "locked"},  # a required key missing
    {**GOOD, "grade_id": ""},  # nbgrader's own rule, after the schema
]


def notebook_with(metadata):
    return new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("assert x", metadata={"nbgrader": metadata})])


def outcome(check, metadata):
    try:
        check().preprocess(notebook_with(dict(metadata)), {})
        return "valid"
    except ValidationError as error:
        return f"invalid: {error}"


@pytest.mark.parametrize("metadata", [GOOD, *BROKEN])
def test_the_check_decides_as_nbgraders(metadata):
    ours, theirs = outcome(CheckCellMetadata, metadata), outcome(NbgraderCheckCellMetadata, metadata)
    assert ours == theirs
    assert (ours == "valid") == (metadata is GOOD)


def test_the_schema_is_checked_once_and_nbgrader_is_left_as_it_was(monkeypatch):
    checks = []
    schema = MetadataValidator().schema
    validator_class = jsonschema.validators.validator_for(schema)
    monkeypatch.setattr(validator_class, "check_schema", classmethod(lambda cls, s: checks.append(s)))
    SCHEMA_VALIDATORS.validators.clear()
    for _ in range(3):
        CheckCellMetadata().preprocess(notebook_with(GOOD), {})
    assert len(checks) == 1, "checked once, not once a cell"
    assert nbgrader_format.jsonschema is jsonschema, "nbgrader's module sees jsonschema again after the check"
    with pytest.raises(jsonschema.ValidationError):
        SCHEMA_VALIDATORS.validate({**GOOD, "points": "two"}, schema)
