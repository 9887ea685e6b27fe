"""The grading kernel's sandbox: bubblewrap (Debian's ``bubblewrap``) plus resource limits.

While student code runs it sees the operating system and the Python environment read-only,
its own notebook's folder, a private /tmp, the exchange folder of its hidden tests, the book's
helper package ``nnbook`` and one module of the grader (``autograder/recorder.py``). It does
not see ``solutions/``, the hidden cases, the course folder (other students, the gradebook)
or the network (it has a network namespace of its own, so the kernel talks to nbgrader over
Unix sockets, ``transport = "ipc"``). Its processes live in a PID namespace that dies with
the kernel, and the kernel dies with the process that started it.

``kernel_spec(...)`` makes the kernelspec BudgetedExecute starts instead of plain python3. Its
command is util-linux's ``prlimit``, which sets the memory and CPU caps and execs bwrap, which
runs ``python -m ipykernel_launcher`` inside: no Python process of ours in between. Where
the machine lets us manage cgroups (v1 ``pids`` hierarchy), the sandbox also joins a cgroup
of its own that caps its processes and threads, so a fork bomb cannot starve the kernels of
other students; ``process_cap`` makes it, the kernel removes it when it stops.
"""
import os
import shutil
import sys
from pathlib import Path

import nnbook
from autograder import recorder
from autograder.recorder import EXCHANGE_ENV
from autograder.running.scratch import OWNED, process_exists

KERNEL_NAME = "nnbook-sandbox"
#: Where the recorder shim appears inside the sandbox (on PYTHONPATH).
SHIM = "/opt/nnbook"
READ_ONLY_SYSTEM = ["/usr", "/etc", "/bin", "/lib", "/lib64", "/sbin"]
#: Where cgroup v1's pids controller is mounted (its ``tasks`` count threads as well as processes).
PIDS_HIERARCHY = "/sys/fs/cgroup/pids"
#: The sandbox's first process writes its pid into each cgroup named before ``--``, then execs the rest.
JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 1; shift; done; shift; exec "$@"'
#: The book's helper package (data loaders, plots): exercise notebooks import it; no answers in it.
BOOK_HELPERS = str(Path(nnbook.__file__).resolve().parent)


class SandboxUnavailable(RuntimeError):
    """bubblewrap or prlimit is missing or cannot make a sandbox here; the message says how to fix it."""


def require_bwrap():
    """The bwrap and prlimit executables, or SandboxUnavailable."""
    bwrap, prlimit = shutil.which("bwrap"), shutil.which("prlimit")
    if not (bwrap and prlimit):
        raise SandboxUnavailable("bubblewrap or prlimit is not installed (run scripts/install-system-packages), "
                                 "or set c.BudgetedExecute.sandbox = False in nbgrader_config.py")
    return bwrap, prlimit


def write_shim(folder):
    """The sandbox's PYTHONPATH folder: a package ``autograder`` holding only the recorder."""
    package = Path(folder) / "autograder"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Only the kernel-side recorder of the grader is here."""\n')
    shutil.copyfile(recorder.__file__, package / "recorder.py")
    (Path(folder) / "nnbook").mkdir(exist_ok=True)  # where BOOK_HELPERS is mounted
    return str(folder)


def kernel_spec(exchange, shim, workdir, memory_mb, cpu_seconds, cap=None):
    """The kernel.json content of the sandboxed kernel for one notebook run, in ``workdir``,
    in the pids cgroup ``cap`` if one was made. The kernel manager must use ``transport =
    "ipc"`` with its sockets (``ip``) under ``socket_prefix(exchange)``."""
    bwrap, prlimit = require_bwrap()
    memory = memory_mb * 2**20
    # Caps inherited by bwrap and everything in the sandbox: address space, CPU time, no core dumps.
    command = [prlimit, f"--as={memory}:{memory}", f"--cpu={cpu_seconds}:{cpu_seconds + 5}", "--core=0", "--"]
    if cap:
        command += ["/bin/sh", "-c", JOIN_CGROUPS, "nnbook-join", os.path.join(cap, "cgroup.procs"), "--"]
    return {
        "argv": command + bwrap_command(bwrap, exchange, shim, "{connection_file}", workdir),
        "display_name": "Python 3 (nnbook grading sandbox)",
        "language": "python",
        # Signals do not cross into bwrap's PID namespace; ipykernel interrupts itself on request.
        "interrupt_mode": "message",
    }


def process_cap(name, max_processes):
    """A new pids cgroup allowing ``max_processes`` processes and threads, below this process's
    own; its folder, or None where this machine has no writable cgroup v1 pids hierarchy."""
    own = own_cgroup("pids")
    if own is None:
        return None
    folder = os.path.join(PIDS_HIERARCHY, own.lstrip("/"), name)
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "pids.max"), "w") as f:
            f.write(str(max_processes))
    except OSError:
        remove_cap(folder)
        return None
    return folder


def own_cgroup(controller):
    """This process's cgroup path in the v1 hierarchy of ``controller``, or None."""
    try:
        with open("/proc/self/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


def remove_cap(folder):
    """Delete a cgroup made by ``process_cap``; False while its processes are still exiting."""
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def sweep_caps():
    """Delete the empty cgroups of kernels whose grading process no longer exists."""
    own = own_cgroup("pids")
    parent = own is not None and os.path.join(PIDS_HIERARCHY, own.lstrip("/"))
    if not parent or not os.path.isdir(parent):
        return
    for name in os.listdir(parent):
        owner = OWNED.match(name)
        if owner and not process_exists(int(owner.group(1))):
            remove_cap(os.path.join(parent, name))


def socket_prefix(exchange):
    """The path prefix of the kernel's Unix sockets: inside the exchange folder, which both
    sides see."""
    return os.path.join(exchange, "kernel-ipc")


def bwrap_command(bwrap, exchange, shim, connection_file, workdir):
    """bwrap's argv for running ipykernel in the sandbox, in ``workdir`` (``connection_file`` may be
    jupyter_client's ``{connection_file}`` placeholder)."""
    # --die-with-parent: bwrap and the sandbox die with the process that started them.
    command = [bwrap, "--die-with-parent", "--new-session", "--unshare-all", "--cap-drop", "ALL",
               # The private /tmp first: everything bound after it may lie under /tmp itself
               # (the venv of a checkout in /tmp, the exchange folder, the notebook's folder).
               "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in READ_ONLY_SYSTEM:
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            command += ["--ro-bind", path, path]
    for path in {sys.base_prefix, sys.prefix}:
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", shim, SHIM, "--ro-bind", BOOK_HELPERS, f"{SHIM}/nnbook",
                "--bind", exchange, exchange, "--bind", workdir, workdir,
                "--ro-bind", connection_file, connection_file, "--chdir", workdir]
    environment = {"HOME": "/tmp", "MPLCONFIGDIR": "/tmp", "PYTHONPATH": SHIM, "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1",
                   EXCHANGE_ENV: exchange}
    command += ["--clearenv"] + [arg for key, value in environment.items() for arg in ("--setenv", key, value)]
    command += ["--setenv", "PATH", os.path.dirname(sys.executable) + ":/usr/bin:/bin"]
    return command + [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file]
