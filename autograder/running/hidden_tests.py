"""The grader's side of a function's hidden tests: one request to the kernel, answered outside it.

Once a notebook has run, ``BudgetedExecute`` asks its kernel, one graded function at a time,
to run that function on its hidden inputs: a silent request (no student hook fires, nothing
is kept in the history) that calls ``autograder.recorder.evaluate`` and may use stdin. While
that request runs (its *window*), the kernel may ask, with ``input_request`` messages:

- ``cases``: the hidden inputs of this function, and of no other;
- ``call``: the reference's output for an earlier graded function whose own hidden tests the
  student's version failed, or that calls one that did (``answered_by_reference``), and for no
  other; the arguments are read by the strict JSON decoder and the reference is cut off
  after ``call_seconds``;
- ``record``: the outcomes of this function's cases. The last one of the window counts.

A window is sealed by its reply: nothing the kernel sends afterwards (a thread, a hook, a
later window) can add or change this function's outcomes. Everything else the kernel sends
during a window (printed output, displays, widget messages) is read and dropped, so none of
it reaches a notebook, and hidden inputs never reach feedback.
"""
import contextlib
import json
import signal
import threading
import time
from dataclasses import dataclass
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_core.utils import run_sync

from autograder.judging.checking import chapter_modules, encoded_cases
from autograder.recorder import MissingArrays, Unreadable, decode, encode, generators_in

#: Seconds the kernel has to answer an interrupt at the end of a window before it is killed.
INTERRUPT_GRACE = 3
#: Bytes of arrays sent by digest that the grader keeps for the calls of one notebook.
ARRAY_CACHE_BYTES = 256 * 2**20


@dataclass
class Window:
    """How one function's window ended: ``reported`` outcomes (None if none came), and
    ``status``: "ok", "error" (the request raised: ``error``), "timeout" or "died"."""

    reported: list = None
    status: str = "ok"
    error: str = ""


class BoundedArrays(dict):
    """Arrays received by digest ({digest: array}), the oldest dropped past ``limit`` bytes."""

    def __init__(self, limit=ARRAY_CACHE_BYTES):
        super().__init__()
        self.limit, self.bytes = limit, 0

    def __setitem__(self, digest, array):
        if digest in self:
            return
        super().__setitem__(digest, array)
        self.bytes += array.nbytes
        while self.bytes > self.limit and len(self) > 1:
            oldest = next(iter(self))
            self.bytes -= self.pop(oldest).nbytes


class HiddenTests:
    """The hidden tests of one notebook's functions, run window by window in its kernel."""

    def __init__(self, chapter, call_seconds):
        self.chapter = chapter
        self.reference = chapter_modules(chapter)[0]
        self.call_seconds = call_seconds
        self.arrays = BoundedArrays()

    def run(self, kc, km, name, signatures, oracle, timeout):
        """The Window of function ``name``: the kernel runs it on its hidden inputs.

        signatures: {earlier graded function: signature text}; oracle: those of them answered
        from the reference; timeout: seconds before the request is interrupted.
        """
        code = ("__import__('autograder.recorder', fromlist=['evaluate']).evaluate("
                f"globals(), {name!r}, {signatures!r}, {sorted(oracle)!r})")
        return run_sync(self._window)(kc, km, code, name, set(oracle), timeout)

    async def _window(self, kc, km, code, name, oracle, timeout):
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=True, stop_on_error=False)
        window = Window()
        poller = zmq.asyncio.Poller()
        channels = {channel.socket: channel for channel in (kc.shell_channel, kc.stdin_channel, kc.iopub_channel)}
        for socket in channels:
            poller.register(socket, zmq.POLLIN)
        deadline, interrupted = time.monotonic() + timeout, False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                if interrupted:
                    window.status = "timeout"
                    return window
                await km.interrupt_kernel()
                interrupted, deadline = True, time.monotonic() + INTERRUPT_GRACE
                continue
            ready = dict(await poller.poll(timeout=int(min(left, 1.0) * 1000) + 1))
            if not ready:
                if not await km.is_alive():
                    window.status = "died"
                    return window
                continue
            for socket in ready:
                for msg in await drained(channels[socket]):
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    if msg["msg_type"] == "input_request":
                        kc.input(self.answer(msg["content"].get("prompt", ""), name, oracle, window))
                    elif msg["msg_type"] == "execute_reply":
                        content = msg["content"]
                        if interrupted:
                            window.status = "timeout"
                        elif content.get("status") != "ok":
                            window.status = "error"
                            window.error = f"{content.get('ename', 'Error')}: {str(content.get('evalue', ''))[:200]}"
                        return window

    def answer(self, prompt, name, oracle, window):
        """The reply (JSON text) to one request of the kernel during ``name``'s window."""
        try:
            request = json.loads(prompt)
            operation = request["op"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return json.dumps({"error": {"type": "ValueError", "message": "unreadable request"}})
        if operation == "cases":
            return '{"cases": ' + encoded_cases(self.chapter, name) + "}"
        if operation == "record":
            window.reported = request.get("outcomes")
            return '{"ok": true}'
        if operation == "call":
            return json.dumps(self.call(request, oracle))
        return json.dumps({"error": {"type": "ValueError", "message": f"unknown request {str(operation)[:40]!r}"}})

    def call(self, request, oracle):
        """The reference's answer to one call of an earlier graded function."""
        function = request.get("function")
        if function not in oracle:
            return {"error": {"type": "NameError",
                              "message": f"the grader answers calls to {function!r} only while checking a later "
                                         f"function, and only if your {function} failed its own tests"}}
        try:
            args = decode(request.get("args"), self.resolve, arrays=self.arrays)
            kwargs = decode(request.get("kwargs"), self.resolve, arrays=self.arrays)
            if not isinstance(args, tuple) or not isinstance(kwargs, dict):
                raise Unreadable("bad arguments")
        except MissingArrays as missing:
            return {"missing": missing.digests}
        except (Unreadable, TypeError, ValueError, RecursionError) as error:
            return {"error": {"type": "TypeError", "message": f"arguments the grader cannot read: {error}"}}
        try:
            with time_limit(self.call_seconds):
                value = getattr(self.reference, function)(*args, **kwargs)
            return {"value": encode(value), "generators": [g.bit_generator.state for g in generators_in((args, kwargs))]}
        except Exception as error:  # the reference's own exception, as the student's call would raise it
            return {"error": {"type": type(error).__name__, "message": str(error)[:300]}}

    def resolve(self, name):
        """A function passed by name in a call: the reference module's function of that name."""
        function = getattr(self.reference, name, None)
        if name.startswith("_") or not callable(function):
            raise Unreadable(f"the function {name!r} cannot be passed to the grader")
        return function


async def drained(channel):
    """Every message waiting on ``channel`` now."""
    messages = []
    while True:
        try:
            messages.append(await channel.get_msg(timeout=0))
        except Empty:
            return messages


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeoutError in this block after ``seconds`` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise TimeoutError(f"the grader stopped this call after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

