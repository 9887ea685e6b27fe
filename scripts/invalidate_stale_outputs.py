"""Make the book re-execute notebooks whose imported project code changed.

jupyter-cache keys a notebook's outputs on its code cells only, so editing
``solutions/`` or ``nnbook/`` would leave stale outputs in the book. Before each build this
script digests every project package a notebook imports; where the digest differs from the
last build, it drops the notebook's cache record and touches the file so Sphinx re-reads it.

    .venv/bin/python scripts/invalidate_stale_outputs.py   (scripts/execute_notebooks.py runs it first)
"""
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("solutions", "nnbook", "autograder")
IMPORT = re.compile(rf"^\s*(?:from|import)\s+({'|'.join(PACKAGES)})\b", re.M)


def package_digest(root, package):
    digest = hashlib.sha256()
    for path in sorted((root / package).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def book_notebooks(root):
    return sorted(p for p in (root / "chapters").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and not p.name.startswith("exercises"))


def invalidate(root=ROOT):
    """Drop cached outputs of notebooks whose imported project code changed; return their paths."""
    cache_path = root / "_build" / ".jupyter_cache"
    digests_path = root / "_build" / ".imported_code_digests.json"
    digests = {package: package_digest(root, package) for package in PACKAGES}
    previous = json.loads(digests_path.read_text()) if digests_path.exists() else {}
    cache = get_cache(cache_path) if cache_path.exists() else None
    current, stale = {}, []
    for path in book_notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        source = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        imported = sorted(set(IMPORT.findall(source)))
        key = str(path.relative_to(root))
        current[key] = {package: digests[package] for package in imported}
        if key in previous and previous[key] != current[key] and cache is not None:
            try:
                cache.remove_cache(cache.match_cache_notebook(notebook).pk)
            except KeyError:
                pass
            os.utime(path)
            stale.append(path)
    digests_path.parent.mkdir(parents=True, exist_ok=True)
    digests_path.write_text(json.dumps(current, indent=1))
    return stale


if __name__ == "__main__":
    for notebook in invalidate():
        print(f"re-executing {notebook.relative_to(ROOT)}: project code it imports changed", file=sys.stderr)
