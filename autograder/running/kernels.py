"""Grading kernels started one notebook ahead.

A kernel takes about half a second to start, most of it spent waiting while Python starts
inside the sandbox. ``BudgetedExecute`` therefore launches the kernel for the *next* notebook
as soon as it has taken its own, and the launch runs while this notebook executes and
nbgrader scores it. Each kernel still serves exactly one notebook and is killed after it, so
nothing passes from one student to the next: a spare kernel has run no code of anyone's.

Where the grader runs as root, a sandboxed kernel is forked by this process's zygote
(``autograder.running.zygote``); elsewhere bubblewrap starts it. A kernel lives in a scratch
folder of its own (inside the zygote's folder, for a forked one)::

    sockets/    its connection file and Unix sockets; the kernel may add no file once ready
    work/       its working folder, read-only to it: a copy of the notebook's folder
    share/      started by bubblewrap only: its kernelspec (JUPYTER_PATH), and shim/, the
                recorder the sandbox sees

Every message the kernel sends is read through a ZeroMQ context that refuses messages larger
than ``MAX_MESSAGE_BYTES`` (the sender is disconnected), so no single message, however a
student's code makes it, can fill the grader's memory; and through channels that drop a
message they cannot read (``DroppingChannel``), so no message can stop the grader reading.
"""
import atexit
import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from autograder.running import sandbox, scratch, zygote

#: The largest message a grading kernel may send (a hidden test's outputs, one output, ...).
MAX_MESSAGE_BYTES = 64 * 2**20
#: Files of a notebook's folder copied for its kernel, at most (bytes); notebooks never are.
MAX_COPIED_BYTES = 100 * 2**20


@dataclass(frozen=True)
class KernelSettings:
    """Everything a kernel is started with; a spare kernel is used only if these match."""

    sandboxed: bool
    memory_mb: int
    cpu_seconds: int
    max_processes: int
    tmp_mb: int
    extra_arguments: tuple
    #: Sandboxed kernels are forked by a zygote where the grader runs as root (``zygote``).
    forked: bool = True


def bounded_context():
    """A ZeroMQ context whose sockets refuse messages over MAX_MESSAGE_BYTES."""
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    return context


#: One context for every grading kernel's client in this process.
CONTEXT = bounded_context()


class DroppingChannel(AsyncZMQSocketChannel):
    """A kernel channel that drops a message it cannot read: one whose signature fails or that
    does not parse. Student code can forge one, or make one by writing a kernel socket from two
    threads at once (their frames interleave); jupyter_client would raise, stopping the grading."""

    async def get_msg(self, timeout=None):
        """The next readable message; ``queue.Empty`` if none comes within ``timeout`` s."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if end is None else int(max(0.0, end - time.monotonic()) * 1000)
            if not await self.socket.poll(left):
                raise Empty
            try:
                return await self._recv()
            except (ValueError, KeyError, TypeError):
                continue


#: The channels a grading kernel's client reads (the heartbeat is not used).
CHANNELS = {f"{name}_channel_class": DroppingChannel for name in ("shell", "iopub", "stdin", "control")}


class GradingKernel:
    """One kernel (sandboxed unless ``settings.sandboxed`` is False) and its scratch folder."""

    def __init__(self, settings):
        self.settings = settings
        self.zygote = zygote.Zygote.for_kernels() if settings.sandboxed and settings.forked else None
        self.root = self.zygote.kernel_folder() if self.zygote else scratch.make("kernel")
        self.caps = []
        self.sockets = os.path.join(self.root, "sockets")
        self.workdir = os.path.join(self.root, "work")
        os.makedirs(self.sockets)
        os.makedirs(self.workdir)
        os.chmod(self.workdir, 0o755)
        self.km = self.launch()

    def launch(self):
        """Start the kernel process without waiting for it to be ready."""
        options = {"kernel_name": "python3", "context": CONTEXT}
        environment = {}
        if self.settings.sandboxed:
            self.caps = sandbox.process_caps(os.path.basename(self.root), self.settings.max_processes,
                                             self.settings.memory_mb)
            environment["JUPYTER_PATH"] = self.zygote.share if self.zygote else self.write_kernel_spec()
            # The sandbox has no network, not even a loopback shared with us: Unix sockets.
            options.update(kernel_name=sandbox.KERNEL_NAME, transport="ipc", ip=sandbox.socket_prefix(self.sockets))
        km = AsyncKernelManager(**options)
        km.connection_file = os.path.join(self.sockets, "connection.json")
        km.write_connection_file()
        if self.settings.sandboxed:
            sandbox.share_connection_file(km.connection_file)
            sandbox.prepare_sockets(self.sockets)
        with environment_set(environment):
            if self.zygote:
                km.provisioner = zygote.ZygoteProvisioner(kernel_id=None, kernel_spec=km.kernel_spec, parent=km)
                km.provisioner.request = {"sockets": self.sockets, "work": self.workdir,
                                          "connection_file": km.connection_file, "memory_mb": self.settings.memory_mb,
                                          "cpu_seconds": self.settings.cpu_seconds, "tmp_mb": self.settings.tmp_mb,
                                          "extra_arguments": list(self.settings.extra_arguments)}
                km.provisioner.zygote, km.provisioner.caps = self.zygote, self.caps
            run_sync(km.start_kernel)(extra_arguments=list(self.settings.extra_arguments), cwd=self.workdir)
        return km

    def write_kernel_spec(self):
        """The JUPYTER_PATH folder of a kernelspec that starts this kernel in its own bubblewrap."""
        share = os.path.join(self.root, "share")
        spec = os.path.join(share, "kernels", sandbox.KERNEL_NAME)
        os.makedirs(spec)
        shim = sandbox.write_shim(os.path.join(self.root, "shim"))
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump(sandbox.kernel_spec(self.sockets, shim, self.workdir, self.settings, self.caps), f)
        return share

    def receive(self, notebook_dir):
        """Give the kernel a copy of its notebook's folder: regular files and folders only
        (never a symlink, which would be followed here, outside the sandbox), no notebook
        (the grader's copy holds hidden-test cells), at most MAX_COPIED_BYTES in all."""
        budget = MAX_COPIED_BYTES
        for folder, subfolders, files in os.walk(notebook_dir, followlinks=False):
            relative = os.path.relpath(folder, notebook_dir)
            target = os.path.normpath(os.path.join(self.workdir, relative))
            subfolders[:] = [d for d in subfolders if not os.path.islink(os.path.join(folder, d))]
            for subfolder in subfolders:
                os.makedirs(os.path.join(target, subfolder), mode=0o755, exist_ok=True)
            for name in files:
                source = os.path.join(folder, name)
                if name.endswith(".ipynb") or os.path.islink(source) or not os.path.isfile(source):
                    continue
                size = os.path.getsize(source)
                if size > budget:
                    continue
                budget -= size
                shutil.copyfile(source, os.path.join(target, name), follow_symlinks=False)
                os.chmod(os.path.join(target, name), 0o644)

    async def client(self, timeout):
        """A started client, once the kernel has answered a request on both channels.

        jupyter_client's ``wait_for_ready`` also waits for 0.2 s of silence on IOPub, a fifth of
        the time a notebook takes here; the kernel's idle status for our own request shows as
        well that IOPub is connected. ``RuntimeError`` if the kernel dies or takes ``timeout`` s.
        Once ready, the kernel may add no file to its sockets folder.
        """
        kc = self.km.client(context=CONTEXT, **CHANNELS)
        kc.start_channels()
        deadline = time.monotonic() + timeout
        while True:
            request = kc.kernel_info()
            try:
                await message_for(kc.shell_channel, request, "kernel_info_reply", 1)
                await message_for(kc.iopub_channel, request, "status", 0.5)
                if self.settings.sandboxed:
                    sandbox.lock_sockets(self.sockets)
                return kc
            except Empty:
                if not await self.km.is_alive():
                    raise RuntimeError("the kernel died before it answered") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the kernel did not answer within {timeout} s") from None

    def stop(self):
        """Kill the kernel's process group now (the whole sandbox dies with it) and reap it."""
        provisioner = self.km.provisioner
        if provisioner is None or provisioner.process is None:
            return  # never started, or stopped already
        run_sync(provisioner.kill)()
        provisioner.process.wait()
        run_sync(self.km.cleanup_resources)()

    def close(self):
        """Kill the kernel and delete its folder and its cgroups (later, if its processes are
        still exiting)."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
        EXITING_CAPS.extend(self.caps)
        for cap in list(EXITING_CAPS):
            if sandbox.remove_cap(cap):
                EXITING_CAPS.remove(cap)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


#: cgroups of killed kernels whose processes had not all exited when the kernel was closed.
EXITING_CAPS = []


class Spare:
    """At most one kernel started ahead, for the next notebook of this process.

    ``wanted`` is False while this process knows no next notebook is coming (a grading
    worker's last submission of a batch), so that no kernel is started only to be killed."""

    kernel = None
    wanted = True

    @classmethod
    def take(cls, settings):
        """A started kernel for ``settings``: the spare if it matches, else a new one."""
        kernel, cls.kernel = cls.kernel, None
        if kernel is not None and kernel.settings != settings:
            kernel.close()
            kernel = None
        return kernel or GradingKernel(settings)

    @classmethod
    def prepare(cls, settings):
        """Launch the kernel the next notebook will take, if one is wanted."""
        if cls.kernel is None and cls.wanted:
            cls.kernel = GradingKernel(settings)

    @classmethod
    def discard(cls):
        """Close the spare kernel, and delete the cgroups left by kernels closed earlier."""
        if cls.kernel is not None:
            cls.kernel.close()
            cls.kernel = None
        for cap in EXITING_CAPS:
            sandbox.remove_cap(cap)


atexit.register(Spare.discard)


async def message_for(channel, request, msg_type, seconds):
    """The first message of ``msg_type`` answering ``request`` on ``channel`` (for "status": the
    idle status); ``queue.Empty`` if none comes within ``seconds``."""
    end = time.monotonic() + seconds
    while True:
        msg = await channel.get_msg(timeout=max(0.0, end - time.monotonic()))
        if msg["parent_header"].get("msg_id") == request and msg["msg_type"] == msg_type:
            if msg_type != "status" or msg["content"]["execution_state"] == "idle":
                return msg


@contextlib.contextmanager
def environment_set(settings):
    """Set environment variables (read by the kernel manager while it starts a kernel) for a block."""
    previous = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
