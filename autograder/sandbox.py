"""The grading kernel's sandbox: bubblewrap (Debian's ``bubblewrap``) plus resource limits.

While student code runs it sees the operating system and the Python environment read-only,
its own notebook's folder, a private /tmp, the exchange folder of its hidden tests, the book's
helper package ``nnbook`` and one module of the grader (``autograder/recorder.py``). It does not see ``solutions/``, the hidden
cases, the course folder (other students, the gradebook) or the network (it has a network
namespace of its own, so the kernel talks to nbgrader over Unix sockets, ``transport =
"ipc"``). Its processes live in a PID namespace that dies with the kernel, and the kernel
dies with nbgrader.

``kernel_spec(...)`` makes the kernelspec BudgetedExecute starts instead of plain python3;
``python -m autograder.sandbox`` is that kernelspec's command: it sets the limits and execs
bwrap, which runs ``python -m ipykernel_launcher`` inside.
"""
import argparse
import ctypes
import os
import resource
import shutil
import signal
import sys
from pathlib import Path

from autograder.recorder import EXCHANGE_ENV

KERNEL_NAME = "nnbook-sandbox"
#: Where the recorder shim appears inside the sandbox (on PYTHONPATH).
SHIM = "/opt/nnbook"
READ_ONLY_SYSTEM = ["/usr", "/etc", "/bin", "/lib", "/lib64", "/sbin"]
PR_SET_PDEATHSIG = 1
#: The book's helper package (data loaders, plots): exercise notebooks import it; no answers in it.
BOOK_HELPERS = str(Path(__file__).resolve().parent.parent / "nnbook")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot make a sandbox here; the message says how to fix it."""


def require_bwrap():
    """The bwrap executable, or SandboxUnavailable."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxUnavailable("bubblewrap is not installed (run scripts/install-system-packages), "
                                 "or set c.BudgetedExecute.sandbox = False in nbgrader_config.py")
    return bwrap


def write_shim(folder):
    """The sandbox's PYTHONPATH folder: a package ``autograder`` holding only the recorder."""
    package = Path(folder) / "autograder"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Only the kernel-side recorder of the grader is here."""\n')
    shutil.copyfile(Path(__file__).with_name("recorder.py"), package / "recorder.py")
    (Path(folder) / "nnbook").mkdir(exist_ok=True)  # where BOOK_HELPERS is mounted
    return str(folder)


def kernel_spec(exchange, shim, memory_mb, cpu_seconds):
    """The kernel.json content of the sandboxed kernel for one notebook run. The kernel manager
    must use ``transport = "ipc"`` with its sockets (``ip``) under ``socket_prefix(exchange)``."""
    return {
        "argv": [sys.executable, "-m", "autograder.sandbox", "--exchange", exchange, "--shim", shim,
                 "--memory-mb", str(memory_mb), "--cpu-seconds", str(cpu_seconds), "{connection_file}"],
        "display_name": "Python 3 (nnbook grading sandbox)",
        "language": "python",
        # Signals do not cross into bwrap's PID namespace; ipykernel interrupts itself on request.
        "interrupt_mode": "message",
    }


def socket_prefix(exchange):
    """The path prefix of the kernel's Unix sockets: inside the exchange folder, which both
    sides see."""
    return os.path.join(exchange, "kernel-ipc")


def bwrap_command(bwrap, exchange, shim, connection_file, workdir):
    """bwrap's argv for running ipykernel in the sandbox, in ``workdir``."""
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


def die_with_parent():
    """In a child process (e.g. before exec): be killed if its parent dies, even by SIGKILL.

    Linux delivers the signal when the *thread* that started the child exits, so start
    long-lived children from a thread that outlives them."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def limit(memory_mb, cpu_seconds):
    """Caps inherited by bwrap and everything in the sandbox: address space and CPU time."""
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Start an IPython kernel in the grading sandbox.")
    parser.add_argument("--exchange", required=True)
    parser.add_argument("--shim", required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("connection_file")
    args, kernel_arguments = parser.parse_known_args(argv)
    bwrap = require_bwrap()
    command = bwrap_command(bwrap, args.exchange, args.shim, args.connection_file, os.getcwd()) + kernel_arguments
    # bwrap is this process after exec: it dies with nbgrader, and the sandbox dies with bwrap.
    die_with_parent()
    limit(args.memory_mb, args.cpu_seconds)
    os.execv(bwrap, command)


if __name__ == "__main__":
    main()
