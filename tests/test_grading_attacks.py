"""Cheating, probing and broken submissions, graded for real in one nbgrader batch (chapter 1).

Every cheat pairs wrong functions (a catalogued mutant for each) with a trick that makes
in-kernel checks pass; verdicts are decided outside the kernel, so each scores no more than
the untouched notebook. Probes check the sandbox from inside a kernel. Broken submissions
get a one-line reason and a fair grade, and the reference in the same batch keeps 100%.
"""
import copy
import http.server
import re
import subprocess
import threading

import nbformat
import pytest

from autograder.judging.checking import chapter_modules
from autograder.course import DEFAULT_SETTINGS
from autograder.authoring.filling import filled, function_source, with_reference
from autograder.grading import grade_batch
from autograder.submissions import collect
from tests.conftest import NOTEBOOK_TIMEOUT, PROJECT_ROOT

CHAPTER = "ch01_logistic_regression"
MARKER = "CHEAT-CODE-RAN"
SLEEPER = "nnbook-orphan-probe-4f2a"

CHEATS = {
    "numpy_comparisons_always_true": """
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: np.True_
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
""",
    "math_module_patched": """
import math
math.isclose = lambda *a, **k: True
math.isfinite = lambda x: True
math.log = lambda x: 0.0
""",
    "builtins_patched": """
import builtins
builtins.all = lambda iterable: True
builtins.any = lambda iterable: True
builtins.abs = lambda x: 0
""",
    "exception_display_hooked": """
ip = get_ipython()
ip.showtraceback = lambda *a, **k: None
ip._showtraceback = lambda *a, **k: None
""",
    "custom_exception_handler": """
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
""",
    "cell_errors_erased": """
ip = get_ipython()
_run_cell_async = ip.run_cell_async
async def _quiet(*a, **k):
    result = await _run_cell_async(*a, **k)
    result.error_in_exec = result.error_before_exec = None
    return result
ip.run_cell_async = _quiet
ip.showtraceback = lambda *a, **k: None
""",
    "grader_helpers_patched": """
import sys
import autograder.recorder as recorder
recorder.record = lambda *a, **k: None
recorder.encode = lambda value: 0.5
try:
    import autograder.judging.checking as checking
    checking.verdict = checking.first_failure = checking.check_hidden = lambda *a, **k: None
except ImportError:
    pass
""",
    "fake_results_written": """
import json, os, sys
import autograder.recorder as recorder
_exchange = os.environ.get("NNBOOK_EXCHANGE", "/tmp")
_fake = {"value": {"__float__": "nan"}}
os.makedirs(os.path.join(_exchange, "results"), exist_ok=True)
for _name in json.load(open(os.path.join(_exchange, "cases.json"))):
    with open(os.path.join(_exchange, "results", _name + ".json"), "w") as f:
        json.dump([{"value": 0.5}] * 200, f)
recorder.record = lambda *a, **k: None
""",
    "fake_success_printed": """
print("All tests passed! Score: 16 / 16")
""",
    "reference_imported_from_disk": """
import sys
for _path in ["/work/main", %(root)r]:
    sys.path.insert(0, _path)
try:
    from solutions.ch01_logistic_regression import *
except Exception as _error:
    print("import failed:", type(_error).__name__)
try:
    exec(open(%(root)r + "/solutions/ch01_logistic_regression.py").read())
except Exception as _error:
    print("read failed:", type(_error).__name__)
""",
    "pinned_references_stolen": """
STOLEN = {}
_own_sigmoid = None
def _steal():
    STOLEN.update({k: v for k, v in globals().items() if callable(v) and k not in STOLEN})
get_ipython().events.register("pre_run_cell", lambda *a: _steal())
get_ipython().events.register("post_execute", _steal)
""",
    "hidden_cases_and_gradebook_read": """
import os
for _path in [%(root)r + "/autograder/hidden_cases/ch01_logistic_regression.py", %(course)r + "/gradebook.db",
              %(course)r + "/source/ch01_logistic_regression/exercises.ipynb"]:
    try:
        print(_path, len(open(_path, "rb").read()))
    except Exception as _error:
        print(_path, type(_error).__name__)
""",
}

#: Cheats that only work on the notebook file, not in code.
FILE_CHEATS = ["test_cells_edited", "test_cells_deleted"]

#: Each pinned-reference thief delegates to what it stole when it can.
THIEF_SOURCE = '''
def {name}(*args, **kwargs):
    stolen = STOLEN.get({name!r})
    if stolen is not None and stolen is not {name}:
        return stolen(*args, **kwargs)
    return _wrong_{name}(*args, **kwargs)
'''

PROBE = """
import os, socket, subprocess, sys
def _status(action):
    try:
        action()
        return "open"
    except Exception:
        return "blocked"
print("PROBE solutions", _status(lambda: open(%(root)r + "/solutions/ch01_logistic_regression.py").read()))
print("PROBE hidden_cases", _status(lambda: open(%(root)r + "/autograder/hidden_cases/ch01_logistic_regression.py").read()))
print("PROBE gradebook", _status(lambda: open(%(course)r + "/gradebook.db", "rb").read(1)))
print("PROBE other_student", _status(lambda: os.listdir(%(course)r + "/submitted/reference")))
print("PROBE network", _status(lambda: socket.create_connection(("127.0.0.1", %(port)d), timeout=2)))
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", %(sleeper)r])
"""


# Forks until the system refuses (at most 1000, so a machine without the cap survives the
# test), then ends its children and reports how many it got.
FORK_BOMB = """
import os, signal, time
children = []
try:
    for _ in range(1000):
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print("FORKED", len(children))
"""


def mutant_sources():
    """{function: source} of the first catalogued mutant of every graded function."""
    return {name: function_source(functions[0], name) for name, functions in chapter_modules(CHAPTER)[1].MUTANTS.items()}


def with_prelude(release, sources, prelude):
    """``release`` answered with ``sources``, ``prelude`` run at the top of the first answer cell."""
    first = next(iter(chapter_modules(CHAPTER)[1].CHECKS))
    sources = dict(sources, **{first: prelude + f"\nprint({MARKER!r})\n" + sources[first]})
    return filled(release, sources)


def thief_notebook(release):
    """Every function delegates to a reference it stole from the pinned namespace, if any."""
    sources = {}
    for name, source in mutant_sources().items():
        sources[name] = source.replace(f"def {name}(", f"def _wrong_{name}(", 1) + THIEF_SOURCE.format(name=name)
    return with_prelude(release, sources, CHEATS["pinned_references_stolen"])


def file_cheat(release, kind):
    notebook = filled(release, mutant_sources())
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in tests:
        if kind == "test_cells_edited":
            cell.source = 'print("all good")'
        else:
            notebook.cells.remove(cell)
    return notebook


def reference_with(release, grade_id, code):
    """The reference answer with ``code`` put in front of the answer cell ``grade_id``."""
    notebook = with_reference(release, CHAPTER)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code + "\n" + cell.source
    return notebook


def broken_submissions(release):
    """{student: notebook} of broken-but-gradable submissions."""
    reference = with_reference(release, CHAPTER)
    deleted = copy.deepcopy(reference)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_sigmoid"]
    duplicated = copy.deepcopy(reference)
    answer = next(c for c in duplicated.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sigmoid")
    duplicated.cells.insert(duplicated.cells.index(answer), copy.deepcopy(answer))
    big = copy.deepcopy(reference)
    big.cells.append(nbformat.v4.new_markdown_cell("padding " + "x" * (50 * 2**20)))
    return {
        "broken.sys_exit": reference_with(release, "predict", "import sys\nsys.exit(3)"),
        "broken.os_exit": reference_with(release, "predict", "import os\nos._exit(1)"),
        "broken.segfault": reference_with(release, "predict", "import ctypes\nctypes.string_at(0)"),
        "broken.sleep": reference_with(release, "predict", "import time\ntime.sleep(10**6)"),
        "broken.fork_bomb": reference_with(release, "predict", FORK_BOMB),
        "broken.huge_output": reference_with(release, "predict", "for _ in range(300):\n    print('y' * 100_000)"),
        # 3 GiB: the machine has it, the sandbox's 2 GiB address-space cap does not.
        "broken.memory_bomb": reference_with(release, "predict", "hoard = np.ones(3 * 2**30 // 8)"),
        "broken.test_cell_deleted": deleted,
        "broken.answer_cell_duplicated": duplicated,
        "broken.fifty_megabytes": big,
    }


class Listener(http.server.BaseHTTPRequestHandler):
    connections = []

    def do_GET(self):
        Listener.connections.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def attacked(course, released, listener, tmp_path_factory):
    """{student: Result} and the submissions folder after grading one batch of everything."""
    release = released[CHAPTER]
    folder = tmp_path_factory.mktemp("attacks")
    notebooks = {"reference": with_reference(release, CHAPTER), "untouched": release,
                 "all_mutants": filled(release, mutant_sources())}
    values = {"root": str(PROJECT_ROOT), "course": str(course.root), "port": listener, "sleeper": SLEEPER}
    for name, code in CHEATS.items():
        if name != "pinned_references_stolen":
            notebooks[f"cheat.{name}"] = with_prelude(release, mutant_sources(), code % values if "%(" in code else code)
    notebooks["cheat.pinned_references_stolen"] = thief_notebook(release)
    for kind in FILE_CHEATS:
        notebooks[f"cheat.{kind}"] = file_cheat(release, kind)
    notebooks["probe"] = reference_with(release, "sigmoid", PROBE % values)
    notebooks.update(broken_submissions(release))
    for student, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    (folder / "notes.txt").write_text("not a notebook: the grader ignores it")
    results = grade_batch(course, CHAPTER, collect(folder, CHAPTER), folder / "grades.csv", progress=False)
    return {r.student: r for r in results}, folder


def outputs_text(course, student):
    path = course.root / "autograded" / student / CHAPTER / "exercises.ipynb"
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for c in notebook.cells
                     if c.cell_type == "code" for o in c.get("outputs", []))


def test_untouched_and_all_mutants_score_zero_and_the_reference_full(attacked):
    results, _ = attacked
    assert results["untouched"].score == 0 and results["all_mutants"].score == 0
    assert results["reference"].score == results["reference"].max_score > 0


@pytest.mark.parametrize("cheat", [*CHEATS, *FILE_CHEATS])
def test_cheat_scores_no_more_than_the_untouched_notebook(attacked, course, cheat):
    results, _ = attacked
    result = results[f"cheat.{cheat}"]
    assert result.status == "graded", result.message
    assert result.score <= results["untouched"].score, (cheat, result.exercises)
    if cheat not in FILE_CHEATS:
        assert MARKER in outputs_text(course, f"cheat.{cheat}"), "the cheat's code did not run"


def test_at_least_twelve_cheats_are_tried():
    assert len(CHEATS) + len(FILE_CHEATS) >= 12


def test_sandbox_blocks_answers_other_students_gradebook_and_network(attacked, course):
    results, _ = attacked
    text = outputs_text(course, "probe")
    for target in ["solutions", "hidden_cases", "gradebook", "other_student", "network"]:
        assert f"PROBE {target} blocked" in text, text
    assert not Listener.connections
    assert results["probe"].score == results["probe"].max_score


def test_processes_a_submission_starts_do_not_outlive_it(attacked):
    processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert SLEEPER not in processes


def chapter_points(name):
    """Points of the graded function ``name`` in the released notebook."""
    release = nbformat.read(PROJECT_ROOT / "chapters" / CHAPTER / "exercises.ipynb", as_version=4)
    return next(c.metadata.nbgrader["points"] for c in release.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == f"test_{name}")


def points(result, *lost):
    return result.max_score - sum(chapter_points(name) for name in lost)


@pytest.mark.parametrize("student,lost", [
    ("broken.sys_exit", ["predict"]),
    ("broken.sleep", ["predict"]),
    ("broken.huge_output", []),
    ("broken.fork_bomb", []),
    ("broken.memory_bomb", ["predict"]),
    ("broken.test_cell_deleted", []),
    ("broken.answer_cell_duplicated", []),
    ("broken.fifty_megabytes", []),
])
def test_broken_submission_gets_a_fair_grade(attacked, student, lost):
    results, _ = attacked
    result = results[student]
    assert result.status == "graded", result.message
    assert result.score == points(result, *lost), result.exercises


@pytest.mark.parametrize("student", ["broken.os_exit", "broken.segfault"])
def test_kernel_death_keeps_the_points_before_it_and_says_why(attacked, student):
    results, _ = attacked
    result = results[student]
    before = ["sigmoid", "initialize_with_zeros", "propagate", "optimize"]
    assert result.score == sum(chapter_points(n) for n in before), (result.status, result.message, result.exercises)
    assert "kernel" in result.message.lower()


def test_a_fork_bomb_is_capped_at_the_course_process_limit(attacked, course):
    forked = re.search(r"FORKED (\d+)", outputs_text(course, "broken.fork_bomb"))
    assert forked and 0 < int(forked.group(1)) < DEFAULT_SETTINGS["max_processes"], forked


def test_huge_output_keeps_the_feedback_small(attacked, course):
    feedback = course.feedback_html("broken.huge_output", CHAPTER)
    assert feedback.exists() and feedback.stat().st_size < 3 * 2**20
    assert "output stopped" in outputs_text(course, "broken.huge_output")


def test_extra_files_are_ignored_and_every_notebook_has_a_row(attacked):
    results, folder = attacked
    rows = (folder / "grades.csv").read_text().splitlines()
    assert len(rows) == 1 + len(results) and not any(r.startswith("notes") for r in rows)


def test_a_runaway_costs_one_notebook_budget(attacked):
    results, _ = attacked
    assert results["broken.sleep"].seconds < NOTEBOOK_TIMEOUT + 30
