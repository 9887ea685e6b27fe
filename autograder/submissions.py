"""Finding and vetting submissions: nbgrader's layout, a flat folder, or an LMS zip.

Accepted inputs (``<assignment>`` is the nbgrader assignment name):
- nbgrader's ``submitted/<student>/<assignment>/<any name>.ipynb`` (or that folder's parent);
- a flat folder of ``<student>.ipynb`` files;
- both at once, or a ``.zip`` of any of these, possibly wrapped in one top-level folder.

Every notebook in the intake gets a result: graded, or the one-line reason it cannot be.
Student ids come from file and folder names by an injective, stable rule (``student_id``),
so two names never share an id and a name always gives the same one. Submitted files are
read as student input: never through a symbolic link, only if they are regular files, and
at most ``MAX_NOTEBOOK_BYTES`` of them.
"""
import errno
import json
import os
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import nbformat

#: The largest notebook read from a submission.
MAX_NOTEBOOK_BYTES = 200 * 2**20
#: Characters kept as they are in a student id, besides letters and digits of any script.
ID_PUNCTUATION = "_.@-"
#: Cells graded in one notebook at most; past it, the student's own text cells are left out.
MAX_CELLS = 2000


class SubmissionsError(ValueError):
    """The submissions input itself is unusable; the message says why."""


@dataclass(frozen=True)
class Submission:
    """One student's notebook (``path``), or the reason it cannot be graded (``problem``).

    content: the notebook to grade when it is not the file's bytes (``note`` says why).
    """

    student: str
    path: Optional[Path]
    problem: Optional[str] = None
    content: Optional[bytes] = None
    note: str = ""


def student_id(name):
    """The nbgrader student id of a file or folder name: injective and stable.

    The name is put in Unicode's composed form (NFC); letters and digits of any script and
    ``_ . @ -`` stay, every other character (spaces, ``%``, ``*``, ``/``, control characters)
    becomes ``%XX`` for each of its UTF-8 bytes, and so does a leading ``-`` or ``.``, so an
    id is never read as a command-line option, a hidden file or a glob pattern.
    """
    name = unicodedata.normalize("NFC", name)
    encoded = []
    for position, character in enumerate(name):
        kept = character.isalnum() or character in ID_PUNCTUATION
        if kept and not (position == 0 and character in "-."):
            encoded.append(character)
        else:
            encoded.append("".join(f"%{byte:02X}" for byte in character.encode("utf-8")))
    return "".join(encoded)


def read_submission(path):
    """The bytes of a submitted file, or ValueError with a one-line reason.

    The file is opened without following a symbolic link and without waiting on a FIFO, and
    read only if it is a regular file of at most MAX_NOTEBOOK_BYTES.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValueError("not a regular file (a symbolic link): submit the notebook itself") from None
        raise ValueError(f"the file cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file (a FIFO, a device or a folder): submit the notebook itself")
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
        chunks, size = [], 0
        while size <= MAX_NOTEBOOK_BYTES:
            chunk = os.read(descriptor, 2**20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise ValueError(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    finally:
        os.close(descriptor)


def notebook_problem(path):
    """Why the file at ``path`` is not a gradable notebook, or None if it is one."""
    return inspected(path)[0]


def inspected(path):
    """(problem or None, trimmed notebook bytes or None, note): the file read and checked.

    A notebook of more than MAX_CELLS cells is graded without the markdown and raw cells the
    student added (they are never run), so grading stays quick whatever was pasted in."""
    try:
        data = read_submission(path)
    except ValueError as error:
        return str(error), None, ""
    raw, problem = parsed(data)
    if problem:
        return problem, None, ""
    content, note = None, ""
    if len(raw.get("cells", [])) > MAX_CELLS:
        kept = [c for c in raw["cells"] if not isinstance(c, dict) or c.get("cell_type") == "code"
                or "nbgrader" in c.get("metadata", {})]
        note = f"{len(raw['cells']) - len(kept):,} text cells of your own were left out of grading"
        raw["cells"] = kept
        if len(kept) > MAX_CELLS:
            return f"the notebook has {len(kept):,} code cells; at most {MAX_CELLS:,} are graded", None, ""
        content = json.dumps(raw).encode()
    try:
        nbformat.validate(nbformat.from_dict(raw))
    except RecursionError:
        return "not a valid notebook: it is nested too deeply to read", None, ""
    except Exception as error:
        return f"not a valid notebook: {str(error).splitlines()[0][:150] if str(error) else type(error).__name__}", None, ""
    return None, content, note


def parsed(data):
    """(the notebook's JSON, None), or (None, why ``data`` is not notebook JSON)."""
    if not data.strip():
        return None, "empty file (0 bytes of notebook)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"not a notebook: the file is not UTF-8 text (bad byte at position {error.start})"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"not a notebook: invalid JSON at line {error.lineno}, column {error.colno} ({error.msg})"
    except RecursionError:
        return None, "not a notebook: its JSON is nested too deeply to read"
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return None, "not a notebook: the JSON has no cells"
    if not isinstance(raw.get("nbformat", 0), int) or raw.get("nbformat", 0) < 4:
        return None, f"notebook format v{raw.get('nbformat')} is too old: open and save it in JupyterLab"
    if not isinstance(raw.get("cells"), list):
        return None, "not a notebook: its cells are not a list"
    return raw, None


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
    return entries[0] if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() else into


def is_notebook_name(path):
    return path.name.endswith(".ipynb") and not path.name.startswith(".")


def in_student_folder(student_dir, assignment):
    """The Submission of one ``<student>/<assignment>/`` folder."""
    student = student_id(student_dir.name)
    folder = student_dir / assignment
    if student_dir.is_symlink() or folder.is_symlink():
        return Submission(student, None, "the submission folder is a symbolic link")
    notebooks = sorted(p for p in folder.iterdir() if is_notebook_name(p))
    if len(notebooks) == 1:
        return Submission(student, notebooks[0])
    if not notebooks:
        return Submission(student, None, "no notebook in the submission folder")
    names = ", ".join(p.name for p in notebooks)
    return Submission(student, None, f"several notebooks ({names}); submit exactly one")


def found_in(folder, assignment):
    """Every submission in ``folder``: ``<student>/<assignment>/`` folders and ``<student>.ipynb``
    files side by side (nbgrader's ``submitted/`` folder is looked into if present)."""
    if (folder / "submitted").is_dir() and not (folder / "submitted").is_symlink():
        found = found_in(folder / "submitted", assignment)
        return found + [s for s in from_flat_names(folder) if s.student not in {f.student for f in found}]
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and (entry / assignment).is_dir():
            found.append(in_student_folder(entry, assignment))
    return found + from_flat_names(folder)


def from_flat_names(folder):
    """``<student>.ipynb`` files of a flat folder (a symbolic link is kept, to be refused)."""
    return [Submission(student_id(p.name.removesuffix(".ipynb")), p) for p in sorted(folder.iterdir())
            if is_notebook_name(p) and (p.is_symlink() or not p.is_dir())]


def strays(folder, found):
    """Rows for notebooks in the intake that are not where submissions go."""
    known = {s.path for s in found if s.path is not None}
    return [Submission(student_id(str(path.relative_to(folder))), None,
                       f"{path.relative_to(folder)} is not where submissions go (<student>.ipynb or "
                       f"<student>/<assignment>/<notebook>.ipynb)")
            for path in sorted(folder.rglob("*.ipynb")) if path not in known and ".ipynb_checkpoints" not in path.parts
            and not any(part.startswith((".", "__MACOSX")) for part in path.relative_to(folder).parts)]


def refuse_collisions(submissions):
    """Submissions whose names give the same student id are all refused, naming each other."""
    by_id = {}
    for submission in submissions:
        by_id.setdefault(submission.student, []).append(submission)
    result = []
    for student, group in by_id.items():
        if len(group) == 1:
            result.append(group[0])
            continue
        names = " and ".join(repr(s.path.name if s.path else s.student) for s in group)
        for index, submission in enumerate(group, 1):
            # Each refused file keeps a row of its own, under an id student_id never makes ("%d").
            result.append(Submission(f"{student}%dup{index}", submission.path,
                                     f"{names} give the same student id {student!r}: rename one and grade again"))
    return result


def vetted(submission):
    """The submission, or the same with the reason it cannot be graded; never raises."""
    if submission.problem or submission.path is None:
        return submission
    try:
        problem, content, note = inspected(submission.path)
    except (Exception, MemoryError) as error:  # any surprise fails this submission only
        problem, content, note = f"the notebook cannot be read ({type(error).__name__})", None, ""
    return Submission(submission.student, submission.path, problem, content, note)


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
    found = found_in(source, assignment)
    found += strays(source, found)
    if not found:
        raise SubmissionsError(f"{source}: no notebooks found (expected <student>.ipynb files or <student>/{assignment}/ folders)")
    return [vetted(s) for s in refuse_collisions(found)]
