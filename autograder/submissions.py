"""Finding and vetting submissions: nbgrader's layout, a flat folder, or an LMS zip.

Accepted inputs (``<assignment>`` is the nbgrader assignment name):
- nbgrader's ``submitted/<student>/<assignment>/<any name>.ipynb`` (or that folder's parent);
- a flat folder of ``<student>.ipynb`` files;
- a ``.zip`` of either, possibly wrapped in one top-level folder.
Every notebook is read before grading; one that cannot be graded gets a one-line reason.
"""
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import nbformat


class SubmissionsError(ValueError):
    """The submissions input itself is unusable; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One student's notebook (``path``), or the reason it cannot be graded (``problem``)."""

    student: str
    path: Optional[Path]
    problem: Optional[str] = None


def student_id(name):
    """A safe nbgrader student id from a file or folder name."""
    cleaned = re.sub(r"[^A-Za-z0-9_.@-]+", "_", name).strip("._")
    return cleaned or "unnamed"


def notebook_problem(path):
    """Why the file at ``path`` is not a gradable notebook, or None if it is one."""
    data = path.read_bytes()
    if not data.strip():
        return "empty file (0 bytes of notebook)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not a notebook: the file is not UTF-8 text (bad byte at position {error.start})"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return f"not a notebook: invalid JSON at line {error.lineno}, column {error.colno} ({error.msg})"
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return "not a notebook: the JSON has no cells"
    if raw.get("nbformat", 0) < 4:
        return f"notebook format v{raw.get('nbformat')} is too old: open and save it in JupyterLab"
    try:
        nbformat.validate(nbformat.reads(text, as_version=4))
    except Exception as error:
        return f"not a valid notebook: {str(error).splitlines()[0][:150]}"
    return None


def extract_zip(zip_path, into):
    """Unpack a zip safely (no absolute paths, no '..'); return the folder holding its content."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for member in archive.infolist():
                target = (into / member.filename).resolve()
                if not str(target).startswith(str(into.resolve())):
                    raise SubmissionsError(f"{zip_path}: refusing the unsafe path {member.filename!r} in the zip")
                archive.extract(member, into)
    except zipfile.BadZipFile:
        raise SubmissionsError(f"{zip_path}: not a valid zip file") from None
    entries = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else into


def notebooks_in(folder):
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def from_nbgrader_layout(folder, assignment):
    """Submissions from ``<folder>/<student>/<assignment>/``; None if the folder is not laid out so."""
    if (folder / "submitted").is_dir():
        folder = folder / "submitted"
    student_dirs = sorted(p for p in folder.iterdir() if (p / assignment).is_dir())
    if not student_dirs:
        return None
    found = []
    for student_dir in student_dirs:
        notebooks = notebooks_in(student_dir / assignment)
        student = student_id(student_dir.name)
        if len(notebooks) == 1:
            found.append(Submission(student, notebooks[0]))
        elif not notebooks:
            found.append(Submission(student, None, "no notebook in the submission folder"))
        else:
            names = ", ".join(p.name for p in notebooks)
            found.append(Submission(student, None, f"several notebooks ({names}); submit exactly one"))
    return found


def from_flat_folder(folder):
    """Submissions from ``<folder>/<student>.ipynb``."""
    return [Submission(student_id(p.stem), p) for p in notebooks_in(folder)]


def vetted(submission):
    if submission.problem or submission.path is None:
        return submission
    problem = notebook_problem(submission.path)
    return Submission(submission.student, submission.path, problem) if problem else submission


def unique_students(submissions):
    """Make student ids unique (``alice``, ``alice-2``) so no one's grade overwrites another's."""
    seen, result = {}, []
    for submission in submissions:
        count = seen.get(submission.student, 0) + 1
        seen[submission.student] = count
        name = submission.student if count == 1 else f"{submission.student}-{count}"
        result.append(Submission(name, submission.path, submission.problem))
    return result


def collect(source, assignment, scratch=None):
    """All submissions found at ``source`` for ``assignment``, each vetted.

    scratch: an empty folder to unpack a zip into (needed for a zip only); it must outlive
    the grading, since the submissions are read from there.
    """
    source = Path(source)
    if not source.exists():
        raise SubmissionsError(f"{source}: no such file or folder")
    if source.is_file():
        if source.suffix.lower() != ".zip":
            raise SubmissionsError(f"{source}: expected a folder or a .zip of notebooks")
        if scratch is None:
            raise ValueError("collect() needs a scratch folder to unpack a zip into")
        source = extract_zip(source, Path(scratch))
    found = from_nbgrader_layout(source, assignment)
    if found is None:
        found = from_flat_folder(source)
    if not found:
        raise SubmissionsError(f"{source}: no notebooks found (expected <student>.ipynb files or <student>/{assignment}/ folders)")
    return [vetted(s) for s in unique_students(found)]
