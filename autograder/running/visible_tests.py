"""Test cells run as the student sees them: the same in ``nnbook-grader check`` and in grading.

A test cell runs without its hidden regions, and while it runs, the calls it makes to the
graded functions before it are bound to their documented signatures
(``autograder.recorder.check_calls``): a function whose call to an earlier one does not fit
that signature fails here, before it is submitted, exactly as it fails in grading.
"""
from jupyter_core.utils import run_sync

from autograder.cells import hidden_regions_removed, test_cell_name

RECORDER = "__import__('autograder.recorder', fromlist=['check_calls'])"


class ChecksCalls:
    """A NotebookClient mixin. ``signatures``: {graded function: signature text}, in the order
    of the test cells; set it before the notebook runs."""

    signatures = {}

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        name = test_cell_name(cell)
        if name not in self.signatures:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        names = list(self.signatures)
        earlier = {other: self.signatures[other] for other in names[: names.index(name)]}
        source = cell.source
        cell.source = hidden_regions_removed(source)
        try:
            await self.async_silently(f"{RECORDER}.check_calls(globals(), {earlier!r})")
            executed = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            await self.async_silently(f"{RECORDER}.release_calls()")
            return executed
        finally:
            cell.source = source

    execute_cell = run_sync(async_execute_cell)

    async def async_silently(self, code):
        """Run grader code in the kernel without history, displays or the student's hooks."""
        if await self.async_wait_for_reply(self.kc.execute(code, silent=True, store_history=False)) is None:
            raise TimeoutError("the kernel did not answer")
