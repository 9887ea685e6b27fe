"""Make the book re-execute notebooks whose imported project code changed.

jupyter-cache keys a notebook's outputs on its code cells only, so editing
``solutions/`` or ``nnbook/`` would leave stale outputs in the book. Before each build this
script digests every project package a notebook imports; where the digest differs from the
last build, it drops the notebook's cache record and touches the file so Sphinx re-reads it.

    .venv/bin/python scripts/invalidate_stale_outputs.py   (run by scripts/build-book)
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
CACHE = ROOT / "_build" / ".jupyter_cache"
DIGESTS = ROOT / "_build" / ".imported_code_digests.json"
PACKAGES = ("solutions", "nnbook", "autograder")
IMPORT = re.compile(rf"^\s*(?:from|import)\s+({'|'.join(PACKAGES)})\b", re.M)


def package_digest(package):
    digest = hashlib.sha256()
    for path in sorted((ROOT / package).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def book_notebooks():
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts and not p.name.startswith("exercises"))


def main():
    digests = {package: package_digest(package) for package in PACKAGES}
    previous = json.loads(DIGESTS.read_text()) if DIGESTS.exists() else {}
    cache = get_cache(CACHE) if CACHE.exists() else None
    current = {}
    for path in book_notebooks():
        notebook = nbformat.read(path, as_version=4)
        source = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        imported = sorted(set(IMPORT.findall(source)))
        key = str(path.relative_to(ROOT))
        current[key] = {package: digests[package] for package in imported}
        if key in previous and previous[key] != current[key] and cache is not None:
            try:
                cache.remove_cache(cache.match_cache_notebook(notebook).pk)
            except KeyError:
                pass
            os.utime(path)
            print(f"re-executing {key}: code it imports changed", file=sys.stderr)
    DIGESTS.parent.mkdir(parents=True, exist_ok=True)
    DIGESTS.write_text(json.dumps(current, indent=1))


if __name__ == "__main__":
    main()
