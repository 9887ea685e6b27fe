"""The part of the grader that runs in a student's kernel: it runs functions and reports outputs.

Nothing here decides a grade. While a notebook is graded, the grader asks the kernel, one
graded function at a time, to run the student's function on that function's hidden inputs
(``evaluate``); the inputs come in and the outputs go out over the kernel's stdin channel
(``input_request``/``input_reply`` messages of the request the grader sent), and the grader
compares them with the reference outside the kernel (``autograder.judging.checking``). Student
code can patch anything in its kernel, this module included, but it never holds an expected
value or a line of reference code, so no patch turns a wrong function into a passing one.

Calls a graded function makes to the graded functions before it are bound to their documented
signatures (``calls_checked``), during the student's own check and during grading alike. While
grading, an earlier function that failed its own hidden tests (or that calls one that did) is
answered by the grader from the reference (``OracleFunction``), so one mistake costs the
points of one function.

This module is what the grading sandbox lets the kernel see of the project: it imports only
NumPy and the standard library. Values cross the boundary as JSON (``encode``/``decode``),
never as pickles, because the grader reads what a student's kernel sent.
"""
import base64
import builtins
import hashlib
import json
import math

import numpy as np

#: Array kinds that cross the boundary: bool, signed, unsigned, float, complex.
NUMERIC_KINDS = "biufc"
#: Arrays at least this large are sent once and then referred to by digest in calls to the grader.
REFERENCE_BYTES = 16 * 2**10
#: Bit generators a ``numpy.random.Generator`` may cross the boundary with.
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Unreadable(ValueError):
    """The data is not a value this module encodes."""


class MissingArrays(Unreadable):
    """The data refers by digest to arrays the reader does not hold (``digests``)."""

    def __init__(self, digests):
        super().__init__(f"{len(digests)} arrays referred to by digest are missing")
        self.digests = digests


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


# Encoding and decoding ----------------------------------------------------------------------

def array_digest(array):
    """A digest of an array's dtype, shape and bytes (``array`` C-contiguous)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def encode(value, sent=None):
    """A JSON-able form of ``value``: numbers, strings, None, NumPy arrays and scalars, NumPy
    random generators, ``Function``s, and tuples, lists and str-keyed dicts of those; any
    other function becomes its name.

    sent: a set of array digests the reader already holds; arrays of ``REFERENCE_BYTES`` or
    more in it are sent as ``{"__ref__": digest}``, the others inline with their digest
    (and added to ``sent``).
    """
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if not array.flags.c_contiguous:  # (np.ascontiguousarray would make a 0-d array 1-d)
            array = array.copy(order="C")
        if array.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"an array of dtype {array.dtype} cannot be checked")
        if sent is not None and array.nbytes >= REFERENCE_BYTES:
            digest = array_digest(array)
            if digest in sent:
                return {"__ref__": digest}
            sent.add(digest)
            return {**_encode_array(array), "digest": digest}
        return _encode_array(array)
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        items = [encode(item, sent) for item in value]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a dict with keys that are not strings cannot be checked")
        return {"__dict__": [[key, encode(item, sent)] for key, item in value.items()]}
    if isinstance(value, np.random.Generator):
        name = type(value.bit_generator).__name__
        if name not in BIT_GENERATORS:
            raise TypeError(f"a random generator with bit generator {name} cannot be checked")
        return {"__rng__": name, "state": value.bit_generator.state}
    if isinstance(value, Function):
        return {"__source__": value.source}
    if callable(value) and isinstance(getattr(value, "__name__", None), str):
        return {"__function__": value.__name__}
    raise TypeError(f"a value of type {type(value).__name__} cannot be checked")


def _encode_array(array):
    return {"__ndarray__": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": array.dtype.str, "shape": list(array.shape)}


def decode(data, resolve=FunctionRef, compile_source=False, arrays=None):
    """The value ``encode`` made ``data`` from. Raises Unreadable on anything else.

    resolve(name): what a function name becomes (in the kernel: the function itself).
    compile_source: compile ``Function`` source (only the kernel, decoding the grader's inputs).
    arrays: a dict {digest: array} that inline arrays with a digest are added to and
        ``{"__ref__": digest}`` is read from (MissingArrays if absent).
    """
    missing = []
    value = _decode(data, resolve, compile_source, arrays, missing)
    if missing:
        raise MissingArrays(missing)
    return value


def _decode(data, resolve, compile_source, arrays, missing):
    if isinstance(data, list):
        return [_decode(item, resolve, compile_source, arrays, missing) for item in data]
    if not isinstance(data, dict):
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        raise Unreadable(f"unexpected {type(data).__name__}")
    if "__ndarray__" in data:
        array = _decode_array(data)
        if arrays is not None and isinstance(data.get("digest"), str):
            arrays[data["digest"]] = array
        return array
    if "__ref__" in data:
        if arrays is None or data["__ref__"] not in arrays:
            missing.append(str(data["__ref__"]))
            return None
        return arrays[data["__ref__"]].copy()
    if "__float__" in data:
        if data["__float__"] not in ("nan", "inf", "-inf"):
            raise Unreadable("bad float")
        return float(data["__float__"])
    if "__tuple__" in data:
        return tuple(_decode(data["__tuple__"], resolve, compile_source, arrays, missing))
    if "__dict__" in data:
        items = data["__dict__"]
        if not isinstance(items, list) or not all(isinstance(item, list) and len(item) == 2 for item in items):
            raise Unreadable("bad dict")
        return {str(key): _decode(item, resolve, compile_source, arrays, missing) for key, item in items}
    if "__rng__" in data:
        return _decode_generator(data)
    if "__function__" in data:
        return resolve(str(data["__function__"]))
    if "__source__" in data and compile_source:
        return Function(str(data["__source__"]))
    raise Unreadable("unknown value")


def _decode_array(data):
    try:
        dtype = np.dtype(str(data["dtype"]))
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(data["__ndarray__"], validate=True)
    except (KeyError, TypeError, ValueError) as error:
        raise Unreadable(f"bad array ({error})") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or min(shape, default=0) < 0:
        raise Unreadable("bad array")
    if len(raw) != dtype.itemsize * math.prod(shape):
        raise Unreadable("array size does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _decode_generator(data):
    name = data["__rng__"]
    if name not in BIT_GENERATORS:
        raise Unreadable("bad random generator")
    generator = np.random.Generator(getattr(np.random, name)())
    try:
        generator.bit_generator.state = data["state"]
    except (KeyError, TypeError, ValueError) as error:
        raise Unreadable(f"bad random generator state ({error})") from None
    return generator


# Calls to earlier graded functions ------------------------------------------------------------

def signature_of(text):
    """The ``inspect.Signature`` written as ``text``, e.g. "(w, b, X, Y, record_every=100)"."""
    import inspect

    scope = {}
    exec(f"def documented{text}:\n    pass", {}, scope)  # noqa: S102 (signature text of the exercise)
    return inspect.signature(scope["documented"])


class DocumentedCall:
    """``function`` called only with arguments that fit the documented signature of ``name``.

    While another exercise is checked, this stands in for the graded function ``name`` that
    it calls, so a call with arguments the exercise does not document (an extra keyword of
    the student's own, say) fails the same way in ``nnbook-grader check`` and in grading.
    """

    def __init__(self, name, signature_text, function):
        self.__name__ = name
        self.signature_text = signature_text
        self.signature = signature_of(signature_text)
        self.function = function

    def __call__(self, *args, **kwargs):
        __tracebackhide__ = True  # noqa: F841 (IPython leaves this frame out of tracebacks)
        try:
            self.signature.bind(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{self.__name__}() was called with arguments it does not document ({error}): "
                            f"other exercises call it as {self.__name__}{self.signature_text}") from None
        return self.function(*args, **kwargs)


class calls_checked:
    """Bind the graded functions ``signatures`` ({name: signature text}) in ``namespace`` to
    ``DocumentedCall``s until ``restore()`` (or the end of a ``with`` block).

    replaced: {name: function} called instead of the student's own (while grading, the
    grader's answers for the functions whose hidden tests the student's version failed).
    """

    def __init__(self, namespace, signatures, replaced=None):
        self.namespace = namespace
        self.saved = {name: namespace[name] for name in signatures if name in namespace}
        replaced = replaced or {}
        for name, text in signatures.items():
            function = replaced.get(name) or self.saved.get(name) or _undefined(name)
            namespace[name] = DocumentedCall(name, text, function)

    def restore(self):
        for name, call in list(self.namespace.items()):
            if isinstance(call, DocumentedCall):
                if name in self.saved:
                    self.namespace[name] = self.saved[name]
                else:
                    del self.namespace[name]

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.restore()


def _undefined(name):
    def undefined(*args, **kwargs):
        raise NameError(f"name {name!r} is not defined: run its cell, and do not rename or delete it")

    return undefined


#: The binding made by the last ``check_calls`` (the student's check, and grading's visible tests).
_checked = None


def check_calls(namespace, signatures):
    """Before a test cell: bind the earlier graded functions to their documented signatures."""
    global _checked
    release_calls()
    _checked = calls_checked(namespace, signatures)


def release_calls():
    """After a test cell: give the student's own functions back."""
    global _checked
    if _checked is not None:
        _checked.restore()
        _checked = None


# The channel to the grader --------------------------------------------------------------------

class GraderError(RuntimeError):
    """The grader refused a request (for instance a function it does not answer for now)."""


def ask(request):
    """Send ``request`` (a JSON-able dict) to the grader on the kernel's stdin channel; its reply."""
    kernel = get_ipython().kernel  # noqa: F821 (only in an IPython kernel)
    return json.loads(kernel.raw_input(json.dumps(request)))


class OracleFunction:
    """An earlier graded function answered by the grader with the reference's output.

    Only functions graded before the one being checked, whose own hidden tests the student's
    version failed, are answered; large arrays are sent once and then referred to by digest.
    """

    sent = set()

    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        request = {"op": "call", "function": self.__name__}
        for _ in range(2):
            request.update(args=encode(args, self.sent), kwargs=encode(kwargs, self.sent))
            reply = ask(request)
            if "missing" not in reply:
                break
            self.sent.difference_update(reply["missing"])
        if "error" in reply:
            raise _rebuilt_error(reply["error"])
        # The reference drew from copies of the caller's random generators: advance the originals as it did.
        for generator, state in zip(generators_in((args, kwargs)), reply.get("generators", [])):
            generator.bit_generator.state = state
        return decode(reply["value"])


def generators_in(value):
    """The NumPy random generators in ``value`` (nested tuples, lists and dicts), in order."""
    if isinstance(value, np.random.Generator):
        return [value]
    if isinstance(value, (tuple, list)):
        return [g for item in value for g in generators_in(item)]
    if isinstance(value, dict):
        return [g for item in value.values() for g in generators_in(item)]
    return []


def _rebuilt_error(error):
    kind = getattr(builtins, str(error.get("type")), None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = RuntimeError
    return kind(str(error.get("message", "")))


# Running a function on hidden inputs ----------------------------------------------------------

def changed(before, after):
    """Whether ``after`` differs from ``before`` (a pristine copy of the same decoded input)."""
    if isinstance(before, np.ndarray):  # byte for byte: NumPy's comparisons may be patched
        return (not isinstance(after, np.ndarray) or before.shape != after.shape or before.dtype != after.dtype
                or before.tobytes() != after.tobytes())
    if isinstance(before, (list, tuple)):
        return type(before) is not type(after) or len(before) != len(after) or any(
            changed(b, a) for b, a in zip(before, after))
    if isinstance(before, dict):
        return not isinstance(after, dict) or before.keys() != after.keys() or any(
            changed(before[key], after[key]) for key in before)
    if isinstance(before, (bool, int, float, str, type(None))):
        return before != after and not (isinstance(before, float) and math.isnan(before) and math.isnan(after))
    return False  # functions, random generators: not compared


def outcome(function, case, namespace):
    """{"value": encoded output, "modified": [arguments changed in place]} of one call on an
    encoded case, or {"error": one line} if it raised."""
    try:
        def inputs():
            return (decode(case["args"], namespace.__getitem__, compile_source=True),
                    decode(case["kwargs"], namespace.__getitem__, compile_source=True))

        (args, kwargs), (args_before, kwargs_before) = inputs(), inputs()
        value = encode(function(*args, **kwargs))
        modified = [i for i, (b, a) in enumerate(zip(args_before, args)) if changed(b, a)]
        modified += [key for key in kwargs_before if changed(kwargs_before[key], kwargs[key])]
        return {"value": value, "modified": modified}
    except Exception as error:
        return {"error": error_line(error)}


def error_line(error):
    """How an exception crosses the boundary: its type's name and the start of its message."""
    return f"{type(error).__name__}: {str(error)[:200]}"


def outcomes(function, cases, namespace):
    """One ``outcome`` a case: what a grading kernel reports for ``function``."""
    if not callable(function):
        return [{"error": "NameError: the function is not defined"}] * len(cases)
    return [outcome(function, case, namespace) for case in cases]


def evaluate(namespace, name, signatures, oracle):
    """While grading: run the student's ``name`` on its hidden inputs and report the outcomes.

    signatures: {earlier graded function: signature text}; oracle: those of them the grader
    answers (the student's version failed its own hidden tests).
    """
    cases = ask({"op": "cases"})["cases"]
    with calls_checked(namespace, signatures, {other: OracleFunction(other) for other in oracle}):
        results = outcomes(namespace.get(name), cases, namespace)
    ask({"op": "record", "outcomes": results})


def record(chapter, name, namespace):
    """Hidden region of a test cell in the nbgrader source notebook, for an instructor running
    it by hand (with ``solutions/`` installed): check ``name`` here and raise if it is wrong.
    Grading never runs it: the grader removes hidden regions and calls ``evaluate`` instead."""
    from autograder.judging.checking import check_hidden

    check_hidden(chapter, name, namespace)
