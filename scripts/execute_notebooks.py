"""Execute the book's notebooks that have no cached outputs, one a core, before Sphinx reads them.

First the cached outputs of notebooks whose imported project code changed are dropped
(``invalidate_stale_outputs``). MyST-NB executes a notebook without cached outputs while
Sphinx reads it, one after another, so a cold build runs on one core. This script runs the
same execution (jupyter-cache's ``single_nb_execution``, in the notebook's folder, with the
book's timeout) for every stale notebook in a pool of processes, one a core, and stores each
result in the book's jupyter-cache as MyST-NB would; MyST-NB then finds every notebook
cached. A notebook that fails is left uncached, so MyST-NB runs it again and reports the error.

    .venv/bin/python scripts/execute_notebooks.py   (run by scripts/build-book)
"""
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

# jsonschema (under nbformat) imports this optional IRI checker if it can, building its
# parsers for most of a second; reading notebooks needs no format checks.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import yaml  # noqa: E402
from jupyter_cache import get_cache  # noqa: E402
from jupyter_cache.base import CacheBundleIn  # noqa: E402
from jupyter_cache.executors.utils import single_nb_execution  # noqa: E402

from invalidate_stale_outputs import ROOT, book_notebooks, invalidate  # noqa: E402


def execution_timeout(root):
    """The per-cell timeout of the book's ``_config.yml`` (``execute: timeout``)."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    return config.get("execute", {}).get("timeout", 30)


def stale(cache, paths):
    """The notebooks among ``paths`` whose code has no outputs in ``cache``."""
    uncached = []
    for path in paths:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            uncached.append(path)
    return uncached


def execute(path, timeout):
    """(path, executed notebook or None, seconds, the error's last line or "")."""
    notebook = nbformat.read(path, as_version=4)
    result = single_nb_execution(notebook, cwd=str(path.parent), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    if result.err is not None:
        last_line = (str(result.err).strip().splitlines() or [""])[-1]
        return path, None, result.time, f"{type(result.err).__name__}: {last_line}"
    return path, notebook, result.time, ""


def execute_stale(root=ROOT):
    """Execute and cache every book notebook under ``root`` that has no cached outputs;
    return ({path: seconds} of those executed, {path: error} of those that failed)."""
    cache = get_cache(root / "_build" / ".jupyter_cache")
    paths = stale(cache, book_notebooks(root))
    executed, failed = {}, {}
    if not paths:
        return executed, failed
    timeout = execution_timeout(root)
    with ProcessPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1)) as pool:
        for path, notebook, seconds, error in pool.map(execute, paths, [timeout] * len(paths)):
            if error:
                failed[path] = error
                continue
            cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            executed[path] = seconds
    return executed, failed


def main():
    for notebook in invalidate():
        print(f"re-executing {notebook.relative_to(ROOT)}: project code it imports changed", file=sys.stderr)
    start = time.perf_counter()
    executed, failed = execute_stale()
    for path, error in failed.items():
        print(f"{path.relative_to(ROOT)}: failed ({error}); the book build runs it again and reports it", file=sys.stderr)
    if executed or failed:
        print(f"executed {len(executed) + len(failed)} notebook(s) in {time.perf_counter() - start:.1f} s, "
              f"{os.cpu_count()} at a time", file=sys.stderr)


if __name__ == "__main__":
    main()
