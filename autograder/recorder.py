"""The kernel's side of a hidden test: run the student's function, hand its outputs out.

During grading, a test cell's hidden region does not decide anything. It calls the student's
function on the hidden inputs the grader left in the exchange folder (``cases.json``) and
writes the outputs to ``results/<name>.json``; the grader compares them with the reference
outside the kernel (``autograder.judging.checking.verdict``). Student code can patch anything in its
own kernel, this module included, but it cannot reach the expected values, so no patch turns
a wrong function into a passing one.

This module is what the grading sandbox lets the kernel see of the project: it imports only
NumPy and the standard library. Values cross the boundary as JSON (``encode``/``decode``), never
as pickles, because the grader reads what a student's kernel wrote.
"""
import base64
import json
import math
import os

import numpy as np

#: The folder shared with the grader; unset when an instructor runs the source notebook.
EXCHANGE_ENV = "NNBOOK_EXCHANGE"
CASES_FILE = "cases.json"
RESULTS_DIR = "results"
#: Array kinds that cross the boundary: bool, signed, unsigned, float, complex.
NUMERIC_KINDS = "biufc"


class Unreadable(ValueError):
    """What the kernel wrote is not a value this module encodes."""


class FunctionRef(str):
    """A function named in an output, decoded outside the kernel (it is never called there)."""


class Function:
    """A function given as source text, e.g. ``Function("lambda x: np.sum(x ** 3)")``: how a
    hidden case passes a function argument (a cost to differentiate, say) into the kernel.

    It is compiled with NumPy as ``np`` where it is called: in the grader from the case, and
    in the kernel from the hidden inputs. Source read back from a kernel is never compiled.
    """

    def __init__(self, source):
        self.source = source
        self.function = eval(source, {"np": np})  # noqa: S307 (the grader's own case text)

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __repr__(self):
        return self.source


def encode(value):
    """A JSON-able form of ``value``: numbers, strings, None, NumPy arrays and scalars, and
    tuples, lists and str-keyed dicts of those; a function becomes its name."""
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.ascontiguousarray(value)
        if array.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"an array of dtype {array.dtype} cannot be checked")
        return {"__ndarray__": base64.b64encode(array.tobytes()).decode("ascii"),
                "dtype": array.dtype.str, "shape": list(array.shape)}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        items = [encode(item) for item in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a dict with keys that are not strings cannot be checked")
        return {"__dict__": [[key, encode(item)] for key, item in value.items()]}
    if isinstance(value, Function):
        return {"__source__": value.source}
    if callable(value) and isinstance(getattr(value, "__name__", None), str):
        return {"__function__": value.__name__}
    raise TypeError(f"a value of type {type(value).__name__} cannot be checked")


def decode(data, resolve=FunctionRef, compile_source=False):
    """The value ``encode`` made ``data`` from; ``resolve(name)`` turns a function name into
    what the caller wants (the kernel: the function itself). Function source is compiled only
    with ``compile_source`` (the kernel, decoding the grader's inputs). Raises Unreadable on
    anything else."""
    if isinstance(data, list):
        return [decode(item, resolve, compile_source) for item in data]
    if not isinstance(data, dict):
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        raise Unreadable(f"unexpected {type(data).__name__}")
    if "__ndarray__" in data:
        return _decode_array(data)
    if "__float__" in data:
        if data["__float__"] not in ("nan", "inf", "-inf"):
            raise Unreadable("bad float")
        return float(data["__float__"])
    if "__tuple__" in data:
        return tuple(decode(data["__tuple__"], resolve, compile_source))
    if "__dict__" in data:
        return {str(key): decode(item, resolve, compile_source) for key, item in data["__dict__"]}
    if "__function__" in data:
        return resolve(str(data["__function__"]))
    if "__source__" in data and compile_source:
        return Function(str(data["__source__"]))
    raise Unreadable("unknown value")


def _decode_array(data):
    dtype = np.dtype(str(data["dtype"]))
    shape = tuple(int(n) for n in data["shape"])
    if dtype.kind not in NUMERIC_KINDS or min(shape, default=0) < 0:
        raise Unreadable("bad array")
    raw = base64.b64decode(data["__ndarray__"], validate=True)
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise Unreadable("array size does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


class references_pinned:
    """Bind ``references`` ({name: function}) in ``namespace`` until ``restore()`` (or the
    end of a ``with`` block), then put back the student's own names."""

    def __init__(self, namespace, references):
        self.namespace, self.references = namespace, references
        self.saved = {name: namespace[name] for name in references if name in namespace}
        namespace.update(references)

    def restore(self):
        for name in self.references:
            if name in self.saved:
                self.namespace[name] = self.saved[name]
            else:
                self.namespace.pop(name, None)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.restore()


def pin_for_cell(namespace, source, names):
    """Hidden prologue of a test cell: the graded functions ``names`` (those graded in earlier
    cells) are the reference's until the cell ends, so a mistake in one of them costs its own
    points only. ``source`` defines them; it holds no function graded in this cell or later."""
    references = {"np": np}
    exec(source, references)
    pinning = references_pinned(namespace, {name: references[name] for name in names})
    shell = get_ipython()  # noqa: F821 (the prologue only runs in an IPython kernel)

    def restore(*_):
        shell.events.unregister("post_run_cell", restore)
        pinning.restore()

    shell.events.register("post_run_cell", restore)


def outcome(function, case, namespace):
    """{"value": encoded output} of one call, or {"error": one line} if it raised."""
    try:
        args = decode(case["args"], namespace.__getitem__, compile_source=True)
        kwargs = decode(case["kwargs"], namespace.__getitem__, compile_source=True)
        return {"value": encode(function(*args, **kwargs))}
    except Exception as error:
        return {"error": f"{type(error).__name__}: {str(error)[:200]}"}


def record(chapter, name, namespace):
    """Hidden end of a test cell: write the outputs of the student's ``name`` on every hidden
    case for the grader. Without an exchange folder (an instructor running the source
    notebook) the checks run here in the kernel instead."""
    exchange = os.environ.get(EXCHANGE_ENV)
    if not exchange:
        from autograder.judging.checking import check_hidden

        return check_hidden(chapter, name, namespace)
    with open(os.path.join(exchange, CASES_FILE)) as f:
        cases = json.load(f)[name]
    function = namespace.get(name)
    if callable(function):
        outcomes = [outcome(function, case, namespace) for case in cases]
    else:
        outcomes = [{"error": f"NameError: {name} is not defined"}] * len(cases)
    results = os.path.join(exchange, RESULTS_DIR)
    os.makedirs(results, exist_ok=True)
    partial = os.path.join(results, f".{name}.json")
    with open(partial, "w") as f:
        json.dump(outcomes, f)
    os.replace(partial, os.path.join(results, f"{name}.json"))
