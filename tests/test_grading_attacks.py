"""Cheating, probing and broken submissions, graded for real in one nbgrader batch (chapter 1).

Every cheat pairs wrong functions (a catalogued mutant for each) with a trick that makes
in-kernel checks pass; verdicts are decided outside the kernel, so each scores no more than
the untouched notebook. Probes check the sandbox from inside a kernel. Broken submissions
get a one-line reason and a fair grade, and the reference in the same batch keeps 100%.
"""
import base64
import copy
import html
import http.server
import os
import re
import subprocess
import threading

import nbformat
import numpy as np
import pytest

from autograder.judging.checking import chapter_modules
from autograder.course import DEFAULT_SETTINGS, Course, release
from autograder.authoring.filling import filled, function_source, reference_sources, solution_cells, with_reference
from autograder.authoring.source import split_reference
from autograder.grading import grade_batch
from autograder.running import sandbox
from autograder.submissions import collect
from tests.conftest import ASSIGNMENTS, NOTEBOOK_TIMEOUT, PROJECT_ROOT

CHAPTER = "ch01_logistic_regression"
MARKER = "CHEAT-CODE-RAN"
SLEEPER = "nnbook-orphan-probe-4f2a"
#: A secret in the grader's environment that no kernel may see.
CANARY = ("NNBOOK_TEST_CANARY_TOKEN", "canary-7d1e5b9a")
#: Submissions that are not regular files: links out of the folder (COURSE: the course folder).
UNSAFE_FILES = {"unsafe.dev_zero": "/dev/zero", "unsafe.into_course": "COURSE/gradebook.db",
                "unsafe.passwords": "/etc/shadow"}

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
    # nbgrader reads a test cell's first execute_result as its score (partial credit).
    "execute_result_before_every_cell": """
get_ipython().events.register("pre_run_cell", lambda *a: get_ipython().displayhook(Ellipsis))
get_ipython().events.register("post_run_cell", lambda *a: get_ipython().displayhook(16.0))
""",
    "recorder_patched": """
import autograder.recorder as recorder
_fake = [{"value": 0.5, "modified": []}] * 500
recorder.outcomes = lambda *a, **k: _fake
recorder.changed = lambda *a, **k: False
_evaluate = recorder.evaluate
def _evaluate_and_fake(namespace, name, signatures, oracle):
    recorder.ask({"op": "record", "outcomes": _fake})
recorder.evaluate = _evaluate_and_fake
""",
    # Records sent by hooks, a thread and atexit, for this function and others, at every moment.
    "records_from_hooks_and_threads": """
import atexit, threading, time
import autograder.recorder as recorder
def _send_fakes(*a):
    for _ in range(3):
        try:
            recorder.ask({"op": "record", "outcomes": [{"value": 0.5, "modified": []}] * 500})
        except Exception:
            pass
get_ipython().events.register("pre_run_cell", _send_fakes)
get_ipython().events.register("post_run_cell", _send_fakes)
atexit.register(_send_fakes)
def _keep_sending():
    while True:
        _send_fakes()
        time.sleep(0.01)
threading.Thread(target=_keep_sending, daemon=True).start()
""",
    # Messages the grader cannot verify (signed with another key), on IOPub while the cells
    # run and on stdin during the hidden tests, as when a student's thread writes a kernel
    # socket while the main thread does and their frames interleave: dropped, grading goes on.
    "forged_signatures": """
import autograder.recorder as recorder
from jupyter_client.session import Session
_forger = Session(key=b"not the kernel's key")
def _forge(socket, msg_type, content):
    kernel = get_ipython().kernel
    _forger.send(socket, msg_type, content, parent=kernel.get_parent("shell"),
                 ident=kernel._get_shell_context_var(kernel._shell_parent_ident))
_forge(get_ipython().kernel.iopub_socket, "stream", {"name": "stdout", "text": "All tests passed"})
_evaluate = recorder.evaluate
def _forge_then_evaluate(*args):
    _forge(get_ipython().kernel.stdin_socket, "input_request", {"prompt": "{}", "password": False})
    return _evaluate(*args)
recorder.evaluate = _forge_then_evaluate
""",
    # The grader answers calls to earlier functions that failed: ask it for the function being
    # checked, and for later ones, from inside the grader's own request.
    "oracle_asked_for_unwritten_functions": """
import autograder.recorder as recorder
def _evaluate_with_oracle(namespace, name, signatures, oracle):
    cases = recorder.ask({"op": "cases"})["cases"]
    results = []
    for later in [name, "predict", "model", "optimize", "propagate", "sigmoid"]:
        try:
            results = recorder.outcomes(recorder.OracleFunction(name), cases, namespace)
            break
        except Exception:
            continue
    recorder.ask({"op": "record", "outcomes": results})
    for later in ["model", "predict", "standardize"]:
        try:
            print(recorder.OracleFunction(later)(1.0))
        except Exception as error:
            print("refused", later, type(error).__name__)
recorder.evaluate = _evaluate_with_oracle
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
    # Looks for reference functions anywhere in the kernel's memory, before and during grading.
    "reference_objects_searched": """
import gc
STOLEN = {}
def _steal(*a):
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") in GRADED and getattr(obj, "__module__", "") != "__main__":
            STOLEN.setdefault(obj.__name__, obj)
GRADED = %(graded)r
get_ipython().events.register("pre_run_cell", _steal)
import autograder.recorder as recorder
_ask = recorder.ask
def _ask_and_steal(request):
    _steal()
    return _ask(request)
recorder.ask = _ask_and_steal
""",
    "hidden_cases_and_gradebook_read": """
import os
for _path in [%(root)r + "/autograder/exercises/ch01_logistic_regression.py", %(course)r + "/gradebook.db",
              %(course)r + "/source/ch01_logistic_regression/exercises.ipynb", "exercises.ipynb"]:
    try:
        print(_path, len(open(_path, "rb").read()))
    except Exception as _error:
        print(_path, type(_error).__name__)
""",
}

#: Cheats that only work on the notebook file, not in code.
FILE_CHEATS = ["test_cells_edited", "test_cells_deleted"]

#: Each thief delegates to a reference it stole, if it found one.
THIEF_SOURCE = '''
def {name}(*args, **kwargs):
    stolen = STOLEN.get({name!r})
    if stolen is not None and stolen is not {name}:
        return stolen(*args, **kwargs)
    return _wrong_{name}(*args, **kwargs)
'''

#: Every stub's body shows a result before it raises (nbgrader would read it as full points).
DISPLAYHOOK_STUB = "get_ipython().displayhook(Ellipsis)\nraise NotImplementedError()"

PROBE = """
import ctypes, os, socket, subprocess, sys
def _status(action):
    try:
        action()
        return "open"
    except Exception:
        return "blocked"
def _environ_of_pid_1():
    try:
        return open("/proc/1/environ", "rb").read().decode(errors="replace")
    except OSError:
        return "unreadable"
def _ptrace_pid_1():
    if ctypes.CDLL(None, use_errno=True).ptrace(16, 1, 0, 0) != 0:
        raise OSError("refused")
def _write(path, size):
    with open(path, "wb") as f:
        f.write(b"x" * size)
print("PROBE solutions", _status(lambda: open(%(root)r + "/solutions/ch01_logistic_regression.py").read()))
print("PROBE hidden_cases", _status(lambda: open(%(root)r + "/autograder/exercises/ch01_logistic_regression.py").read()))
print("PROBE gradebook", _status(lambda: open(%(course)r + "/gradebook.db", "rb").read(1)))
print("PROBE other_student", _status(lambda: os.listdir(%(course)r + "/submitted/reference")))
print("PROBE network", _status(lambda: socket.create_connection(("127.0.0.1", %(port)d), timeout=2)))
print("PROBE shadow", _status(lambda: open("/etc/shadow").read()))
print("PROBE ptrace_pid_1", _status(_ptrace_pid_1))
print("PROBE working_folder_write", _status(lambda: _write("written-here.txt", 10)))
print("PROBE big_tmp_file", _status(lambda: _write("/tmp/big", 300 * 2**20)))
_kernels = os.path.dirname(os.path.dirname(os.getcwd()))  # the folder of this kernel's folder, and others'?
print("PROBE folders_beside_own", len(os.listdir(_kernels)))
_uncovered = subprocess.run(["unshare", "-Urm", "sh", "-c", 'umount -l /tmp; umount -l "$1"; ls -A "$1" | wc -l', "-",
                             _kernels], capture_output=True, text=True)
print("PROBE folders_beside_own_after_umount", _uncovered.stdout.strip() if _uncovered.returncode == 0 else "refused")
print("PROBE uid", os.getuid(), os.geteuid())
print("PROBE canary_in_environ", %(canary_name)r in os.environ)
print("PROBE canary_in_pid_1", %(canary_value)r in _environ_of_pid_1())
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", %(sleeper)r])
"""

# Three children each hold 800 MiB, under the 2 GiB cap of one process but over the
# sandbox's 2 GiB in all; the parent reports how many are still alive, holding theirs.
MEMORY_PROBE = """
import os, time
held = []
for _ in range(3):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            block = b"\\x01" * (800 * 2**20)  # filled in C: every page is touched
            os.write(write, b"ok")
            time.sleep(30)
        finally:
            os._exit(0)
    os.close(write)
    held.append((pid, read))
def _alive(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
for _, read in held:
    os.read(read, 2)
time.sleep(0.3)
alive = sum(_alive(pid) for pid, _ in held)
for pid, _ in held:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
print("MEMORY children alive holding 800 MiB:", alive)
"""

# A class of widgets floods the grader with 40 messages of 10 MiB each.
COMM_FLOOD = """
from ipykernel.comm import Comm
for _ in range(40):
    Comm(target_name="jupyter.widget", data={"state": {"blob": "z" * (10 * 2**20)}})
"""

# Prints, and tries to save, everything the kernel can see, at every moment: the grader's
# requests and replies, the code it runs, the files around it. None of it may reach feedback.
LEAKER = """
import builtins, os, sys, threading, time
import autograder.recorder as recorder
SEEN = []
_ask = recorder.ask
def _ask_and_keep(request):
    reply = _ask(request)
    SEEN.append(repr(request)[:20000] + repr(reply)[:200000])
    for place in ["leak.txt", "/tmp/leak.txt", os.path.expanduser("~/leak.txt")]:
        try:
            with open(place, "a") as f:
                f.write(SEEN[-1])
        except OSError:
            pass
    print("LEAK", SEEN[-1])
    return reply
recorder.ask = _ask_and_keep
ip = get_ipython()
_run_cell = ip.run_cell
def _run_cell_and_keep(raw_cell, *args, **kwargs):
    SEEN.append(raw_cell)
    return _run_cell(raw_cell, *args, **kwargs)
ip.run_cell = _run_cell_and_keep
def _show_all(*a):
    print("LEAK seen:", *SEEN[-50:])
    print("LEAK files:", {name: open(name, errors="replace").read()[:2000] for name in os.listdir(".") if os.path.isfile(name)})
    print("LEAK modules:", sorted(sys.modules)[:400])
ip.events.register("pre_run_cell", _show_all)
ip.events.register("post_run_cell", _show_all)
def _keep_showing():
    while True:
        _show_all()
        time.sleep(0.05)
threading.Thread(target=_keep_showing, daemon=True).start()
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


def thief_notebook(release, values):
    """Every function delegates to a reference it found in the kernel's memory, if any."""
    sources = {}
    for name, source in mutant_sources().items():
        sources[name] = source.replace(f"def {name}(", f"def _wrong_{name}(", 1) + THIEF_SOURCE.format(name=name)
    return with_prelude(release, sources, CHEATS["reference_objects_searched"] % values)


#: Correct code of a student's own for the functions with no catalogued alternative.
OWN_CORRECT = {
    "initialize_with_zeros": "def initialize_with_zeros(n_x):\n    return np.zeros(shape=(n_x, 1), dtype=float), float(0)\n",
    "model": """def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5):
    w0, b0 = initialize_with_zeros(len(X_train))
    fitted, _, history = optimize(w0, b0, X_train, Y_train, num_iterations, learning_rate)
    on_train, on_test = predict(fitted["w"], fitted["b"], X_train), predict(fitted["w"], fitted["b"], X_test)
    return dict(w=fitted["w"], b=fitted["b"], costs=history, Y_prediction_train=on_train, Y_prediction_test=on_test,
                train_accuracy=float((on_train == Y_train).mean()), test_accuracy=float((on_test == Y_test).mean()))
""",
}


def own_correct_sources():
    """A correct answer to every function that shares no code with the reference."""
    alternatives = chapter_modules(CHAPTER)[1].ALTERNATIVES
    sources = {name: function_source(functions[0], name) for name, functions in alternatives.items()}
    return {**sources, **OWN_CORRECT}


def displayhook_stubs(release):
    """Untouched but for a displayed result in front of every stub's NotImplementedError."""
    notebook = copy.deepcopy(release)
    for cell in solution_cells(notebook).values():
        cell.source = cell.source.replace("raise NotImplementedError()", DISPLAYHOOK_STUB.replace("\n", "\n    "))
    first = next(iter(solution_cells(notebook).values()))
    first.source = f"print({MARKER!r})\n" + first.source
    return notebook


def reference_with_outputs(release, kind):
    """Right values of the wrong kind: every function answers the reference's outputs as
    complex numbers (``value + 7j``) or as strings."""
    convert = {"complex": "lambda v: np.asarray(v) + 7j", "strings": "lambda v: str(np.asarray(v).tolist())"}[kind]
    prelude = f"""
def _converted(value, convert={convert}):
    if isinstance(value, dict):
        return {{k: _converted(v) for k, v in value.items()}}
    if isinstance(value, (tuple, list)):
        return type(value)(_converted(v) for v in value)
    return convert(value)
"""
    sources = {}
    for name, source in reference_sources(CHAPTER).items():
        sources[name] = (source.replace(f"def {name}(", f"def _right_{name}(", 1)
                         + f"\n\ndef {name}(*args, **kwargs):\n    return _converted(_right_{name}(*args, **kwargs))\n")
    return with_prelude(release, sources, prelude)


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
    """{student: Result} and the submissions folder after grading one batch of everything,
    with a canary secret in the grader's environment."""
    release = released[CHAPTER]
    folder = tmp_path_factory.mktemp("attacks")
    notebooks = {"reference": with_reference(release, CHAPTER), "untouched": release,
                 "all_mutants": filled(release, mutant_sources())}
    values = {"root": str(PROJECT_ROOT), "course": str(course.root), "port": listener, "sleeper": SLEEPER,
              "graded": list(chapter_modules(CHAPTER)[1].CHECKS), "canary_name": CANARY[0], "canary_value": CANARY[1]}
    for name, code in CHEATS.items():
        if name != "reference_objects_searched":
            notebooks[f"cheat.{name}"] = with_prelude(release, mutant_sources(), code % values if "%(" in code else code)
    notebooks["cheat.reference_objects_searched"] = thief_notebook(release, values)
    notebooks["cheat.displayhook_in_every_stub"] = displayhook_stubs(release)
    for kind in ["complex", "strings"]:
        notebooks[f"cheat.{kind}_outputs"] = reference_with_outputs(release, kind)
    for kind in FILE_CHEATS:
        notebooks[f"cheat.{kind}"] = file_cheat(release, kind)
    notebooks["probe"] = reference_with(release, "sigmoid", PROBE % values)
    notebooks["probe.comm_flood"] = reference_with(release, "sigmoid", COMM_FLOOD)
    notebooks["probe.leaker"] = with_prelude(release, own_correct_sources(), LEAKER)
    notebooks.update(broken_submissions(release))
    for student, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{student}.ipynb")
    (folder / "notes.txt").write_text("not a notebook: the grader ignores it")
    for student, target in UNSAFE_FILES.items():
        (folder / f"{student}.ipynb").symlink_to(target.replace("COURSE", str(course.root)))
    os.mkfifo(folder / "unsafe.fifo.ipynb")
    os.environ[CANARY[0]] = CANARY[1]
    try:
        results = grade_batch(course, CHAPTER, collect(folder, CHAPTER), folder / "grades.csv", progress=False)
    finally:
        del os.environ[CANARY[0]]
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


ALL_CHEATS = [*CHEATS, "displayhook_in_every_stub", "complex_outputs", "strings_outputs", *FILE_CHEATS]


@pytest.mark.parametrize("cheat", ALL_CHEATS)
def test_cheat_scores_no_more_than_the_untouched_notebook(attacked, course, cheat):
    results, _ = attacked
    result = results[f"cheat.{cheat}"]
    assert result.status == "graded", result.message
    assert result.score <= results["untouched"].score, (cheat, result.exercises)
    if cheat not in FILE_CHEATS:
        assert MARKER in outputs_text(course, f"cheat.{cheat}"), "the cheat's code did not run"


def test_at_least_eighteen_cheats_are_tried():
    assert len(ALL_CHEATS) >= 18


def test_the_grader_refuses_to_answer_for_functions_not_yet_failed(attacked, course):
    # Phase-2 output is dropped, so the refusal shows in the grade: nothing was answered.
    results, _ = attacked
    assert results["cheat.oracle_asked_for_unwritten_functions"].score == 0


def test_a_graded_cell_scores_its_verdict_whatever_it_displays(attacked, course):
    results, _ = attacked
    assert results["cheat.displayhook_in_every_stub"].score == 0
    assert results["cheat.execute_result_before_every_cell"].score == 0
    notebook = nbformat.read(course.root / "autograded" / "cheat.displayhook_in_every_stub" / CHAPTER /
                             "exercises.ipynb", as_version=4)
    graded = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert all(c.outputs[0].output_type == "error" for c in graded), "the verdict comes first"
    assert not [o for c in graded for o in c.outputs if o.output_type == "execute_result"]


def test_sandbox_blocks_answers_other_students_gradebook_and_network(attacked, course):
    results, _ = attacked
    text = outputs_text(course, "probe")
    for target in ["solutions", "hidden_cases", "gradebook", "other_student", "network"]:
        assert f"PROBE {target} blocked" in text, text
    assert not Listener.connections
    assert results["probe"].score == results["probe"].max_score


def test_sandbox_shows_no_other_kernels_folder_even_to_a_user_namespace_that_unmounts(attacked, course):
    text = outputs_text(course, "probe")
    assert "PROBE folders_beside_own 1\n" in text, text
    assert re.search(r"PROBE folders_beside_own_after_umount (1|refused)\n", text), text


def test_sandbox_kernel_is_unprivileged_and_sees_none_of_the_graders_environment(attacked, course):
    text = outputs_text(course, "probe")
    uid = re.search(r"PROBE uid (\d+) (\d+)", text)
    assert uid and int(uid.group(1)) != 0 and int(uid.group(2)) != 0, text
    for blocked in ["shadow", "ptrace_pid_1"]:
        assert f"PROBE {blocked} blocked" in text, text
    assert "PROBE canary_in_environ False" in text and "PROBE canary_in_pid_1 False" in text, text


def test_sandbox_disk_is_capped_and_the_working_folder_read_only(attacked, course):
    text = outputs_text(course, "probe")
    assert "PROBE big_tmp_file blocked" in text and "PROBE working_folder_write blocked" in text, text


@pytest.fixture(scope="module")
def roomy_course(tmp_path_factory):
    """A course with the default memory cap and time enough for a probe that fills it."""
    course = Course(tmp_path_factory.mktemp("roomy_course"))
    release(course, [a for a in ASSIGNMENTS if a.name == CHAPTER], cell_timeout=60, notebook_timeout=90,
            submission_timeout=180)
    return course


def test_sandbox_memory_is_capped_for_all_its_processes_together(roomy_course, released, tmp_path):
    assert sandbox.memory_cap_available(), "this machine has no writable cgroup v1 memory controller"
    nbformat.write(reference_with(released[CHAPTER], "predict", MEMORY_PROBE), tmp_path / "memory.ipynb")
    results = grade_batch(roomy_course, CHAPTER, collect(tmp_path, CHAPTER), tmp_path / "g.csv", progress=False)
    assert results[0].score == results[0].max_score, results[0]
    alive = re.search(r"MEMORY children alive holding 800 MiB: (\d)", outputs_text(roomy_course, "memory"))
    assert alive and int(alive.group(1)) <= 2, "3 x 800 MiB fit in the sandbox's 2 GiB"


def test_widget_messages_count_against_the_output_cap_and_the_worker_stays_small(attacked, course):
    results, _ = attacked
    result = results["probe.comm_flood"]
    assert result.status == "graded" and result.score == result.max_score
    assert "output stopped" in outputs_text(course, "probe.comm_flood")
    assert max(r.worker_peak_mb for r in results.values()) < 1024, "a worker grew past 1 GiB"


def secrets(release):
    """Text that only the hidden tests and the reference hold: none of it may reach feedback.
    Reference code counts as two consecutive lines of a reference body (the leaker's own
    correct code aside); case labels count unless the released notebook says the same."""
    reference, exercises = chapter_modules(CHAPTER)
    public = "\n".join(cell.source for cell in release.cells)
    found = ["BEGIN HIDDEN", "BEGIN SOLUTION"]
    for check in exercises.CHECKS.values():
        for case in check.cases():
            if case.label not in public:
                found.append(case.label)
            found += [base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()[:40] for a in case.args
                      if isinstance(a, np.ndarray) and a.size > 2]
    own = "\n".join(line.strip() for source in own_correct_sources().values() for line in source.splitlines())
    for name in exercises.CHECKS:
        lines = [line.strip() for line in split_reference(getattr(reference, name))[1].splitlines() if line.strip()]
        found += [pair for pair in map("\n".join, zip(lines, lines[1:])) if pair not in own]
    return found


def test_a_kernel_that_prints_everything_it_sees_leaks_no_hidden_test_into_feedback(attacked, course, released):
    results, _ = attacked
    assert results["probe.leaker"].score == results["probe.leaker"].max_score
    page = html.unescape(re.sub(r"<[^>]+>", "", course.feedback_html("probe.leaker", CHAPTER).read_text()))
    assert "LEAK files:" in page, "the leaker printed what it saw"
    lines = "\n".join(line.strip() for line in page.splitlines() if line.strip())
    leaked = [secret for secret in secrets(released[CHAPTER]) if secret in lines]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("student", [*UNSAFE_FILES, "unsafe.fifo"])
def test_a_submission_that_is_not_a_regular_file_is_refused_quickly(attacked, student):
    results, _ = attacked
    result = results[student]
    assert result.status == "not graded" and "regular file" in result.message and "\n" not in result.message


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
