"""Benchmark: how long the book takes to build cold, to rebuild unchanged, and after one edit.

    .venv/bin/python benchmarks/build_times.py

Runs ./scripts/build-book in a scratch copy of the committed tree (sharing this .venv):
1. cold: no _build at all (release + execute every notebook + write every page);
2. no change: immediately again;
3. one chapter edited: a comment appended to a code cell of one explanation notebook, so
   that notebook alone re-executes from the cache's point of view.
"""
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def build(tree):
    start = time.perf_counter()
    subprocess.run(["./scripts/build-book"], cwd=tree, check=True, capture_output=True)
    return time.perf_counter() - start


def edit_one_chapter(tree):
    notebook_path = next(p for p in sorted((tree / "chapters").rglob("*.ipynb")) if not p.name.startswith("exercises"))
    notebook = nbformat.read(notebook_path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code")
    cell.source += "\n# edited for the rebuild benchmark"
    nbformat.write(notebook, notebook_path)
    return notebook_path.relative_to(tree)


def main():
    tree = Path(tempfile.mkdtemp(prefix="nnbook-build-bench-")) / "book"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(tree)], check=True)
    (tree / ".venv").symlink_to(ROOT / ".venv")
    cold = build(tree)
    unchanged = build(tree)
    edited = edit_one_chapter(tree)
    one_edit = build(tree)
    print(f"book build on {shutil.os.cpu_count()} cores (committed tree, environment already set up)")
    print(f"  cold build             {cold:6.1f} s   (target <= 180 s)")
    print(f"  no-change rebuild      {unchanged:6.1f} s   (target <= 10 s)")
    print(f"  after editing {edited}: {one_edit:6.1f} s")
    shutil.rmtree(tree.parent)


if __name__ == "__main__":
    main()
