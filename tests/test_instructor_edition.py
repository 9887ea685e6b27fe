"""The instructor's edition of the book: reference solutions, hidden-test cases and mutants
under each stub, built apart from the student book and never by default."""
import hashlib
import importlib.util
import re
import subprocess
import sys

import pytest

from autograder.judging.checking import chapter_modules
from tests.conftest import CHAPTER_NAMES, PROJECT_ROOT
from tests.test_exercise_pipeline import BOOK, body_lines, book_pages, normalized_lines, reference_functions, visible_text

SCRIPT = PROJECT_ROOT / "scripts" / "instructor_edition.py"


def load_script():
    spec = importlib.util.spec_from_file_location("instructor_edition", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def digest(folder):
    """One digest of every file's path and bytes under ``folder``."""
    total = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        total.update(str(path.relative_to(folder)).encode())
        total.update(path.read_bytes())
    return total.hexdigest()


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """(instructor html folder, digest of the student book before, after) of one real build."""
    book_pages()  # the student book must be built (the edition reads its release and cache)
    output = tmp_path_factory.mktemp("instructor")
    before = digest(BOOK)
    run = subprocess.run([sys.executable, str(SCRIPT), "--output", str(output)], capture_output=True, text=True,
                         cwd=PROJECT_ROOT)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    return output / "html", before, digest(BOOK)


def exercise_page(html, chapter):
    return visible_text(html / "chapters" / chapter / "exercises.html")


def in_order(wanted, lines):
    """Whether every line of ``wanted`` is among ``lines``, in the same order."""
    remaining = iter(lines)
    return all(any(line == have for have in remaining) for line in wanted)


def plain(text):
    """Text as typed: Sphinx's smart quotes, dashes and ellipses undone, code marks and runs of
    spaces dropped."""
    for smart, typed in [("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("…", "..."), ("—", "---"), ("–", "--")]:
        text = text.replace(smart, typed)
    return " ".join(text.replace("`", "").split())


@pytest.mark.parametrize("chapter", CHAPTER_NAMES)
def test_each_stub_is_followed_by_its_reference_solution_cases_and_mutants(edition, chapter):
    html, _, _ = edition
    text = exercise_page(html, chapter)
    lines, prose = normalized_lines(text), plain(text)
    _, exercises = chapter_modules(chapter)
    for c, name, function in reference_functions():
        if c != chapter:
            continue
        assert in_order(body_lines(function), lines), f"{name}'s reference is not shown"
        for case in exercises.CHECKS[name].cases():
            assert plain(case.label) in prose, f"{name}: hidden case {case.label!r} is not described"
        for mutant in exercises.MUTANTS[name]:
            line = mutant.__doc__.strip().splitlines()[0]
            assert plain(line) in prose, f"{name}: the mistake {line!r} is not listed"
        stub = text.find(f"def {name}(")
        header = re.search(rf"Instructor’s edition: {name}(?!\w)", text)  # not softmax_regression_gradients's
        assert header and 0 <= stub < text.find("raise NotImplementedError", stub) < header.start(), \
            f"{name}: the note comes right after the stub"


def test_the_instructor_build_leaves_the_student_book_as_it_was(edition):
    _, before, after = edition
    assert before == after, "building the instructor's edition changed _build/html"
    for page in book_pages():
        assert "nnbook-instructor" not in page.read_text(errors="replace"), page
        assert "Instructor" + "’s edition" not in visible_text(page), page


def test_the_edition_refuses_to_build_into_the_student_books_folders():
    build = load_script().build
    for folder in [PROJECT_ROOT / "_build", BOOK, BOOK / "instructor"]:
        with pytest.raises(SystemExit, match="share the student book"):
            build(folder)


STUB = "#!/usr/bin/env bash\necho \"$(basename \"$0\") $*\" >> \"$CALLS\"\n"


def test_the_default_build_never_builds_the_instructor_edition(tmp_path):
    # scripts/build-book in a tree whose tools only log how they are called.
    (tmp_path / "scripts").mkdir()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / "scripts" / "build-book").write_text((PROJECT_ROOT / "scripts" / "build-book").read_text())
    for tool in [tmp_path / "scripts" / "setup-env", *(tmp_path / ".venv" / "bin" / name
                                                      for name in ["nnbook-grader", "python", "jupyter-book"])]:
        tool.write_text(STUB)
        tool.chmod(0o755)
    calls = tmp_path / "calls.log"

    def build_book(*args):
        calls.write_text("")
        run = subprocess.run(["bash", str(tmp_path / "scripts" / "build-book"), *args], capture_output=True,
                             text=True, env={"CALLS": str(calls), "PATH": "/usr/bin:/bin"})
        return run.returncode, calls.read_text().splitlines()

    code, default = build_book()
    assert code == 0 and default[-1].startswith("jupyter-book build .")
    assert not [call for call in default if "instructor" in call]
    code, instructor = build_book("--instructor")
    assert code == 0 and instructor == default + ["python scripts/instructor_edition.py"]
    code, refused = build_book("--instructor-edition")
    assert code == 2 and refused == []
