"""The student kit: what a student installs to work on the exercises offline, without answers.

``write_kit(folder, chapters)`` writes a folder that installs with pip:

    README.md          how to install it, work, check and submit
    requirements.txt   every package it needs, pinned as in the book's own environment
    pyproject.toml     the ``nnbook-student`` package: ``nnbook`` (the book's helpers and data)
                       and the student's side of the grader (``nnbook-grader check``)
    notebooks/<chapter>/exercises.ipynb   the released exercise notebooks

It holds no ``solutions/``, no hidden cases, no mutants and no grading code: only the modules
``STUDENT_MODULES`` of the grader, which import none of those.
"""
import importlib.metadata
import re
import shutil
import sys
from pathlib import Path

import nnbook
from autograder.authoring.template import NOTEBOOK_NAME, find_assignments

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The grader's modules a student's check needs (paths under autograder/).
STUDENT_MODULES = ["recorder.py", "cells.py", "student_check.py", "student_cli.py", "submissions.py",
                   "running/visible_tests.py"]
#: Packages every virtual environment brings, left to pip.
INSTALLERS = {"pip", "setuptools", "wheel"}
#: What the kit's code and the exercise notebooks import (with what these need, pinned).
KIT_REQUIREMENTS = ["numpy", "matplotlib", "pillow", "ipywidgets", "ipykernel", "nbclient", "nbformat", "nbgrader",
                    "jupyterlab"]

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "nnbook-student"
version = "{version}"
description = "The exercises of Neural Networks by Hand, their helpers and data, and nnbook-grader check"
requires-python = ">=3.11,<3.12"
dependencies = [{dependencies}]

[project.scripts]
nnbook-grader = "autograder.student_cli:main"

[tool.setuptools.packages.find]
include = ["nnbook*", "autograder*"]

[tool.setuptools.package-data]
nnbook = ["data/*.npz"]
"""

README = """\
# Neural Networks by Hand: the student kit

Everything you need to do the book's exercises on your own machine, without a course server:
the exercise notebooks, the book's helper package `nnbook` (plots, demos, data sets) and
`nnbook-grader check`, which runs your notebook the way grading runs it. It holds no answers.

## Install (once), with Python 3.11

```bash
python3.11 -m venv .venv
.venv/bin/pip install -r requirements.txt
.venv/bin/pip install --no-deps .
```

## Work

```bash
.venv/bin/jupyter lab notebooks/
```

Open `notebooks/<chapter>/exercises.ipynb`, replace each `raise NotImplementedError()` with your
code, and run the test cell below it. The visible tests are a first check; grading runs more
tests on other shapes and values.

## Check, then submit

```bash
.venv/bin/nnbook-grader check notebooks/<chapter>/exercises.ipynb
```

runs your notebook from the top in a fresh kernel and says, for every exercise, whether its
visible tests pass, fail (and why) or are still to do. Calls from one exercise to another use
the documented arguments there, as in grading. Then hand in `exercises.ipynb` as your course
says: in JupyterLab's Assignments tab (nbgrader), or by uploading the file to your course's
site. Keep its name and do not delete or reorder its cells.
"""


def write_kit(folder, chapters_dir):
    """Write the student kit into ``folder`` (which must not exist); return its path."""
    folder = Path(folder)
    if folder.exists():
        raise ValueError(f"{folder} exists already: give a new folder for the kit")
    assignments = find_assignments(chapters_dir)
    missing = [a.name for a in assignments if not (Path(chapters_dir) / a.name / NOTEBOOK_NAME).exists()]
    if not assignments or missing:
        raise ValueError(f"no released exercise notebooks for {missing or 'any chapter'} in {chapters_dir}: "
                         "build the book (./scripts/build-book) first")
    pins = pinned_closure(KIT_REQUIREMENTS, PROJECT_ROOT / "requirements.txt")
    folder.mkdir(parents=True)
    shutil.copytree(Path(nnbook.__file__).parent, folder / "nnbook", ignore=shutil.ignore_patterns("__pycache__"))
    package = folder / "autograder"
    (package / "running").mkdir(parents=True)
    (package / "__init__.py").write_text('"""The student\'s side of the book\'s grader: `nnbook-grader check`."""\n')
    (package / "running" / "__init__.py").write_text('"""Test cells run as grading runs them."""\n')
    for module in STUDENT_MODULES:
        shutil.copyfile(PROJECT_ROOT / "autograder" / module, package / module)
    for assignment in assignments:
        target = folder / "notebooks" / assignment.name
        target.mkdir(parents=True)
        shutil.copyfile(Path(chapters_dir) / assignment.name / NOTEBOOK_NAME, target / NOTEBOOK_NAME)
    (folder / "requirements.txt").write_text(
        "# Everything nnbook-student needs, pinned as in the book's environment.\n" + "\n".join(pins) + "\n")
    direct = [pin for pin in pins if canonical(pin.split("==")[0]) in map(canonical, KIT_REQUIREMENTS)]
    (folder / "pyproject.toml").write_text(PYPROJECT.format(
        version=importlib.metadata.version("nnbook"), dependencies=", ".join(f'"{pin}"' for pin in direct)))
    (folder / "README.md").write_text(README)
    return folder


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_closure(names, requirements):
    """``name==version`` lines for ``names`` and every package they need (as installed here,
    extras and environment markers that do not apply left out), with the versions that
    ``requirements`` pins."""
    pins = {}
    for line in Path(requirements).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonical(name)] = f"{name}=={version.strip()}"
    needed, todo = set(), [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in needed or name in INSTALLERS:
            continue
        needed.add(name)
        for requirement in importlib.metadata.distribution(name).requires or []:
            dependency, _, marker = requirement.partition(";")
            if marker and not applies(marker):
                continue
            todo.append(canonical(re.split(r"[ <>=!~\[(]", dependency.strip(), maxsplit=1)[0]))
    missing = sorted(needed - set(pins))
    if missing:
        raise ValueError(f"requirements.txt pins none of {missing}: run scripts/lock-requirements")
    return sorted(pins[name] for name in needed)


def applies(marker):
    """Whether an environment marker holds here (an extra's requirements never do)."""
    from packaging.markers import Marker

    if "extra" in marker:
        return False
    return Marker(marker.strip()).evaluate({"python_version": f"{sys.version_info.major}.{sys.version_info.minor}"})
