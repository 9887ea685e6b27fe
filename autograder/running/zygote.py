"""The grader's side of the kernel zygote (``autograder.kernel_zygote``): one base sandbox a
grading process, and sandboxed kernels forked from it instead of started afresh.

The zygote runs as root in bubblewrap with four capabilities, and is used only where the
grader runs as root (``sandbox.privileged``): there each kernel it forks drops to ``nobody``
exactly as a bubblewrap kernel does. Elsewhere, or if the zygote cannot start, kernels are
started by bubblewrap one by one (``autograder.running.sandbox.kernel_spec``).

A forked kernel is not the grader's child: jupyter_client sees it through ``PidfdProcess``, a
Popen-like handle on a pidfd of the kernel's PID 1, which works across PID namespaces and
never names a reused pid. Killing PID 1 ends every process of the kernel.
"""
import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from jupyter_client.provisioning import LocalProvisioner

import autograder.kernel_zygote
from autograder import recorder
from autograder.running import sandbox, scratch

#: Seconds a zygote has to import the kernel and listen, and to fork one kernel.
START_SECONDS, LAUNCH_SECONDS = 60, 30


class ZygoteUnavailable(RuntimeError):
    """No zygote could be started here; the message says why."""


class PidfdProcess:
    """What jupyter_client uses of a Popen, for a process known by a pidfd: its status, its
    signals. The zygote reaps it, so its exit status is not known here: 0 once it has exited
    by itself, -9 once killed from here."""

    stdin = stdout = stderr = None

    def __init__(self, pidfd, pid):
        self.pidfd, self.pid = pidfd, pid
        self.returncode = None
        self.killed = False

    def poll(self):
        if self.returncode is None and select.select([self.pidfd], [], [], 0)[0]:
            self.returncode = -signal.SIGKILL if self.killed else 0
            os.close(self.pidfd)
        return self.returncode

    def wait(self, timeout=None):
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = None if end is None else max(0.0, end - time.monotonic())
            if not select.select([self.pidfd], [], [], left)[0] and end is not None:
                raise subprocess.TimeoutExpired("kernel", timeout)
        return self.returncode

    def send_signal(self, signum):
        if self.returncode is not None:
            return
        try:
            signal.pidfd_send_signal(self.pidfd, signum)
        except ProcessLookupError:
            return
        self.killed = self.killed or signum == signal.SIGKILL

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, but the kernel is forked by ``zygote`` (the one whose
    folder holds the kernel's; ``request``: its folders and limits; ``caps``: its cgroups)."""

    zygote = None
    request = None
    caps = ()

    async def launch_kernel(self, cmd, **kwargs):
        self.process = self.zygote.launch(self.request, self.caps)
        self.pid, self.pgid, self.cwd = self.process.pid, None, self.request["work"]
        return self.connection_info


class Zygote:
    """A running zygote and the connection this process asks it on; one a process."""

    current = None
    failure = None

    @classmethod
    def get(cls):
        """This process's zygote, started if need be; ZygoteUnavailable if it cannot be."""
        if cls.current is None or cls.current.owner != os.getpid() or cls.current.process.poll() is not None:
            if cls.failure is not None:
                raise ZygoteUnavailable(cls.failure)
            try:
                cls.current = Zygote()
            except (ZygoteUnavailable, OSError) as error:
                cls.failure = str(error)
                print(f"nnbook-grader: kernels start without a zygote: {error}", file=sys.stderr, flush=True)
                raise ZygoteUnavailable(cls.failure) from None
        return cls.current

    @classmethod
    def for_kernels(cls):
        """The zygote that forks this process's sandboxed kernels, or None where they are started
        by bubblewrap one by one (the grader is not root, or no zygote could start here)."""
        if not sandbox.privileged():
            return None
        try:
            return cls.get()
        except ZygoteUnavailable:
            return None

    def __init__(self):
        self.owner = os.getpid()
        self.root = scratch.make("zygote")
        self.kernels = os.path.join(self.root, "k")  # short: a socket's path has at most 107 bytes
        os.makedirs(self.kernels)
        self.share = os.path.join(self.root, "share")
        spec = os.path.join(self.share, "kernels", sandbox.KERNEL_NAME)
        os.makedirs(spec)
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump(sandbox.forked_kernel_spec(), f)
        shim = sandbox.write_shim(os.path.join(self.root, "shim"), (recorder, autograder.kernel_zygote))
        path = os.path.join(self.kernels, "zygote.sock")
        self.process = subprocess.Popen(sandbox.zygote_command(shim, self.kernels, path), stdin=subprocess.DEVNULL)
        self.connection = self.connect(path)
        atexit.register(self.close)

    def connect(self, path):
        """The connection to the zygote, once it has imported the kernel and answered."""
        deadline = time.monotonic() + START_SECONDS
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        while True:
            try:
                connection.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise ZygoteUnavailable(f"the zygote exited with {self.process.returncode}" if
                                            self.process.returncode is not None else "the zygote did not start") from None
                time.sleep(0.02)
        connection.settimeout(START_SECONDS)
        if json.loads(connection.recv(64) or b"{}") != {"ready": True}:
            self.close()
            raise ZygoteUnavailable("the zygote did not answer")
        return connection

    def kernel_folder(self):
        """A new folder for one kernel's scratch folders, in the folder the zygote sees."""
        return tempfile.mkdtemp(prefix="k", dir=self.kernels)

    def launch(self, request, caps):
        """Fork a kernel for ``request`` (sockets, work, connection_file, memory_mb, cpu_seconds,
        tmp_mb, extra_arguments) in the cgroups ``caps``; its PidfdProcess."""
        files = [os.open(os.path.join(cap, "cgroup.procs"), os.O_WRONLY | os.O_CLOEXEC) for cap in caps]
        try:
            self.connection.settimeout(LAUNCH_SECONDS)
            socket.send_fds(self.connection, [json.dumps(request).encode()], files)
            message, fds, _, _ = socket.recv_fds(self.connection, 4096, 1)
        finally:
            for fd in files:
                os.close(fd)
        answer = json.loads(message or b'{"error": "the zygote hung up"}')
        if "error" in answer or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise RuntimeError(f"the zygote could not start a kernel: {answer.get('error', 'no pidfd')}")
        return PidfdProcess(fds[0], answer["pid"])

    def close(self):
        """Stop the zygote (its kernels die with it) and delete its folder."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
