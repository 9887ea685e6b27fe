"""What the grader reads from a notebook's cells: graded test cells and their hidden regions.

Shared by grading and by the student's ``nnbook-grader check``, which must run test cells the
same way; it imports nothing of the grader's answers.
"""
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
TEST_PREFIX = "test_"


def test_cell_name(cell):
    """The graded function a code cell tests (its nbgrader grade_id without ``test_``), or None."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = meta.get("grade_id")
    if cell.get("cell_type") != "code" or not meta.get("grade") or not isinstance(grade_id, str):
        return None
    return grade_id.removeprefix(TEST_PREFIX)


def hidden_regions_removed(source):
    """A test cell's source without its hidden-test regions: what the student sees and runs."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN_HIDDEN.removeprefix("### ") in line:
            hidden = True
        elif END_HIDDEN.removeprefix("### ") in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)
