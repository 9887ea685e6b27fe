"""Cached notebook outputs go stale when the project code a notebook imports changes."""
import importlib.util
import os

import nbformat
from jupyter_cache import get_cache

from tests.conftest import PROJECT_ROOT


def load_script():
    spec = importlib.util.spec_from_file_location("invalidate", PROJECT_ROOT / "scripts" / "invalidate_stale_outputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_book(root):
    for package in ("solutions", "nnbook", "autograder"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("VALUE = 1\n")
    (root / "chapters" / "ch").mkdir(parents=True)
    notebooks = {}
    for name, code in [("uses_solutions", "from solutions import VALUE"), ("plain", "x = 1")]:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        notebooks[name] = root / "chapters" / "ch" / f"{name}.ipynb"
        nbformat.write(notebook, notebooks[name])
    cache = get_cache(root / "_build" / ".jupyter_cache")
    for path in notebooks.values():
        cache.cache_notebook_file(path, check_validity=False)
    return notebooks, cache


def test_editing_an_imported_package_drops_only_its_importers_cached_outputs(tmp_path):
    invalidate = load_script().invalidate
    notebooks, cache = make_book(tmp_path)
    assert invalidate(tmp_path) == [], "the first build only records what each notebook imports"
    os.utime(notebooks["uses_solutions"], (0, 0))
    (tmp_path / "solutions" / "__init__.py").write_text("VALUE = 2\n")

    assert invalidate(tmp_path) == [notebooks["uses_solutions"]]
    assert notebooks["uses_solutions"].stat().st_mtime > 0, "touched so that Sphinx reads it again"
    assert len(cache.list_cache_records()) == 1
    cache.match_cache_notebook(nbformat.read(notebooks["plain"], as_version=4))  # still cached


def test_nothing_is_dropped_when_nothing_changed(tmp_path):
    invalidate = load_script().invalidate
    make_book(tmp_path)
    invalidate(tmp_path)
    assert invalidate(tmp_path) == []


def test_notebooks_without_cached_outputs_are_executed_in_parallel_and_cached(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "scripts"))  # the pool's processes import it by name
    module = importlib.import_module("execute_notebooks")
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 60\n")
    folder = tmp_path / "chapters" / "ch"
    folder.mkdir(parents=True)
    sources = {"cwd": "import os\nprint(os.path.basename(os.getcwd()))", "square": "print(7 * 7)",
               "broken": "raise ValueError('a broken cell')", "exercises": "print('not a book page')"}
    for name, code in sources.items():
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                     "language": "python"}})
        nbformat.write(notebook, folder / f"{name}.ipynb")
    executed, failed = module.execute_stale(tmp_path)
    assert sorted(p.name for p in executed) == ["cwd.ipynb", "square.ipynb"]
    assert [p.name for p in failed] == ["broken.ipynb"] and "a broken cell" in failed[folder / "broken.ipynb"]
    cache = get_cache(tmp_path / "_build" / ".jupyter_cache")
    for name, text in [("cwd", "ch\n"), ("square", "49\n")]:
        _, merged = cache.merge_match_into_notebook(nbformat.read(folder / f"{name}.ipynb", as_version=4))
        assert merged.cells[0].outputs[0]["text"] == text, "run in the notebook's folder, outputs cached"
    assert module.execute_stale(tmp_path) == ({}, {folder / "broken.ipynb": failed[folder / "broken.ipynb"]}), \
        "cached notebooks are not executed again"
