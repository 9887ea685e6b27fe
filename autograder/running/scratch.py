"""Scratch folders of a grading run, and the sweep of those a killed run left behind.

A folder is named ``nnbook-<kind>-<pid>-…`` in the system's temporary folder, after the
process that owns it. Its owner deletes it when done; if the owner was killed (SIGKILL, a
crash) ``sweep`` deletes it at the next run, once no process has that id any more.
"""
import contextlib
import os
import re
import shutil
import tempfile

OWNED = re.compile(r"nnbook-[a-z]+-(\d+)-")


def make(kind):
    """A new scratch folder of ``kind`` owned by this process; the caller deletes it."""
    return tempfile.mkdtemp(prefix=f"nnbook-{kind}-{os.getpid()}-")


@contextlib.contextmanager
def folder(kind):
    """A scratch folder for the block, deleted after it."""
    path = make(kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sweep():
    """Delete the scratch folders whose owning process no longer exists."""
    root = tempfile.gettempdir()
    for name in os.listdir(root):
        owner = OWNED.match(name)
        if owner and not process_exists(int(owner.group(1))):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
