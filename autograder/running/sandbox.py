"""The grading kernel's sandbox: bubblewrap (Debian's ``bubblewrap``) plus resource limits.

While student code runs it sees the operating system and the Python environment read-only,
its own notebook's folder read-only, a private size-capped ``/tmp`` (also its HOME), the
folder of its own sockets, the book's helper package ``nnbook`` and one module of the grader
(``autograder/recorder.py``). It does not see ``solutions/``, the hidden cases, the course
folder (other students, the gradebook) or the network (it has a network namespace of its
own, so the kernel talks to nbgrader over Unix sockets, ``transport = "ipc"``). Its processes
live in a PID namespace that dies with the kernel, and the kernel dies with the process that
started it.

``kernel_spec(...)`` makes the kernelspec BudgetedExecute starts instead of plain python3. Its
command is a chain in which each program execs the next, with no Python process of ours:

1. util-linux's ``prlimit``: address space, CPU time and file size caps, no core dumps;
2. ``/bin/sh``, only where the sandbox has cgroups: joins its cgroups (v1 ``pids`` caps its
   processes and threads, so a fork bomb cannot starve other students' kernels; v1 ``memory``
   caps the memory of all its processes together, its ``/tmp`` included);
3. ``env -i``: bubblewrap starts with an empty environment, so not even the sandbox's first
   process (PID 1 inside) holds the grader's environment;
4. ``bwrap``: the namespaces and the mounts;
5. when the grader runs as root, util-linux's ``setpriv``: the kernel runs as the
   unprivileged user ``nobody`` with no capabilities and ``no_new_privs``, so it cannot read
   what root can (``/etc/shadow``) or trace the sandbox's first process; run by another user,
   bubblewrap maps that user into a user namespace instead;
6. ``python -m ipykernel_launcher``.

``process_caps`` makes the cgroups; the kernel removes them when it stops.

``zygote_command`` makes the base sandbox of a kernel zygote (``autograder.kernel_zygote``),
where the grader runs as root: the same files and environment, and in it the zygote gives
each kernel it forks what steps 1 to 5 give a kernel started here.
"""
import os
import shutil
import sys
from pathlib import Path

import nnbook
from autograder import recorder
from autograder.running.scratch import OWNED, process_exists

KERNEL_NAME = "nnbook-sandbox"
#: Where the recorder shim appears inside the sandbox (on PYTHONPATH).
SHIM = "/opt/nnbook"
READ_ONLY_SYSTEM = ["/usr", "/etc", "/bin", "/lib", "/lib64", "/sbin"]
#: Where cgroup v1 mounts the controllers the sandbox uses.
CGROUP_ROOT = "/sys/fs/cgroup"
#: The sandbox's first process writes its pid into each cgroup named before ``--``, then execs the rest.
JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 1; shift; done; shift; exec "$@"'
#: The book's helper package (data loaders, plots): exercise notebooks import it; no answers in it.
BOOK_HELPERS = str(Path(nnbook.__file__).resolve().parent)
#: The unprivileged user and group the kernel runs as when the grader is root.
SANDBOX_UID = SANDBOX_GID = 65534


class SandboxUnavailable(RuntimeError):
    """bubblewrap or prlimit is missing or cannot make a sandbox here; the message says how to fix it."""


def require_bwrap():
    """The bwrap and prlimit executables, or SandboxUnavailable."""
    bwrap, prlimit = shutil.which("bwrap"), shutil.which("prlimit")
    if not (bwrap and prlimit):
        raise SandboxUnavailable("bubblewrap or prlimit is not installed (run scripts/install-system-packages), "
                                 "or set c.BudgetedExecute.sandbox = False in nbgrader_config.py")
    return bwrap, prlimit


def privileged():
    """Whether the kernel can be made to run as ``nobody`` (the grader runs as root)."""
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


#: Shadows the debugger ipykernel would import at start-up (a tenth of a second of a
#: grading kernel's start, and a debug channel no grading request uses).
NO_DEBUGGER = 'raise ImportError("the grading sandbox has no debugger")\n'


def write_shim(folder, modules=(recorder,)):
    """The sandbox's PYTHONPATH folder: a package ``autograder`` holding only ``modules`` of the
    grader (the kernel-side recorder, and for a zygote its own module), and a ``debugpy`` that
    cannot be imported."""
    package = Path(folder) / "autograder"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('"""Only the kernel-side modules of the grader are here."""\n')
    for module in modules:
        shutil.copyfile(module.__file__, package / os.path.basename(module.__file__))
    debugger = Path(folder) / "debugpy"
    debugger.mkdir(exist_ok=True)
    (debugger / "__init__.py").write_text(NO_DEBUGGER)
    (Path(folder) / "nnbook").mkdir(exist_ok=True)  # where BOOK_HELPERS is mounted
    for path in [folder, package, *package.iterdir(), debugger, *debugger.iterdir(), Path(folder) / "nnbook"]:
        os.chmod(path, 0o755 if Path(path).is_dir() else 0o644)
    return str(folder)


def kernel_spec(sockets, shim, workdir, limits, caps=()):
    """The kernel.json content of the sandboxed kernel for one notebook run in ``workdir``
    (bound read-only), talking over sockets in ``sockets``, joining the cgroups ``caps``.

    limits: memory_mb (address space of each process), cpu_seconds, tmp_mb (its /tmp).
    The kernel manager must use ``transport = "ipc"`` with ``ip = socket_prefix(sockets)``.
    """
    bwrap, prlimit = require_bwrap()
    memory = limits.memory_mb * 2**20
    tmp = limits.tmp_mb * 2**20
    command = [prlimit, f"--as={memory}:{memory}", f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}",
               f"--fsize={tmp}:{tmp}", "--core=0", "--"]
    if caps:
        command += ["/bin/sh", "-c", JOIN_CGROUPS, "nnbook-join", *(os.path.join(cap, "cgroup.procs") for cap in caps),
                    "--"]
    command += ["/usr/bin/env", "-i"]
    return {
        "argv": command + bwrap_command(bwrap, sockets, shim, "{connection_file}", workdir, tmp),
        "display_name": "Python 3 (nnbook grading sandbox)",
        "language": "python",
        # Signals do not cross into bwrap's PID namespace; ipykernel interrupts itself on request.
        "interrupt_mode": "message",
    }


def forked_kernel_spec():
    """The kernel.json content of a kernel forked by a zygote: what the fork runs (the zygote
    starts it, not jupyter_client), and interrupts by message, as in ``kernel_spec``."""
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (nnbook grading sandbox, forked)", "language": "python",
            "interrupt_mode": "message"}


def process_caps(name, max_processes, memory_mb):
    """New cgroups capping processes and threads (v1 ``pids``) and memory (v1 ``memory``) of one
    sandbox, below this process's own; the folders of those this machine lets us make."""
    caps = []
    for controller, settings in [("pids", {"pids.max": max_processes}),
                                 ("memory", {"memory.limit_in_bytes": memory_mb * 2**20,
                                             "memory.memsw.limit_in_bytes": memory_mb * 2**20})]:
        parent = cgroup_parent(controller)
        if parent is None:
            continue
        folder = os.path.join(parent, name)
        try:
            os.makedirs(folder, exist_ok=True)
            for setting, value in settings.items():
                path = os.path.join(folder, setting)
                if os.path.exists(path) or setting != "memory.memsw.limit_in_bytes":
                    with open(path, "w") as f:
                        f.write(str(value))
        except OSError:
            remove_cap(folder)
            continue
        caps.append(folder)
    return caps


def cgroup_parent(controller):
    """The folder of this process's cgroup in the v1 hierarchy of ``controller``, or None."""
    try:
        with open("/proc/self/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            folder = os.path.join(CGROUP_ROOT, controller, path.lstrip("/"))
            return folder if os.access(folder, os.W_OK) else None
    return None


def memory_cap_available():
    """Whether sandboxes here get a memory cap for all their processes together."""
    return cgroup_parent("memory") is not None


def remove_cap(folder):
    """Delete a cgroup made by ``process_caps``; False while its processes are still exiting."""
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def sweep_caps():
    """Delete the empty cgroups of kernels whose grading process no longer exists."""
    for controller in ("pids", "memory"):
        parent = cgroup_parent(controller)
        if parent is None or not os.path.isdir(parent):
            continue
        for name in os.listdir(parent):
            owner = OWNED.match(name)
            if owner and not process_exists(int(owner.group(1))):
                remove_cap(os.path.join(parent, name))


def socket_prefix(sockets):
    """The path prefix of the kernel's Unix sockets, in the folder both sides see."""
    return os.path.join(sockets, "kernel-ipc")


def prepare_sockets(sockets):
    """Let the sandboxed kernel (user ``nobody``) create its sockets in ``sockets``."""
    if privileged():
        os.chown(sockets, 0, SANDBOX_GID)
    os.chmod(sockets, 0o770)


def lock_sockets(sockets):
    """Once the kernel has made its sockets: it may use them but add no file to the folder."""
    os.chmod(sockets, 0o750 if privileged() else 0o700)


def share_connection_file(path):
    """Let the kernel read its connection file, and nobody else on the machine."""
    if privileged():
        os.chown(path, 0, SANDBOX_GID)
        os.chmod(path, 0o640)


def bwrap_command(bwrap, sockets, shim, connection_file, workdir, tmp_bytes):
    """bwrap's argv for running ipykernel in the sandbox, in ``workdir`` (``connection_file`` may be
    jupyter_client's ``{connection_file}`` placeholder)."""
    command = [bwrap, *NAMESPACES]
    run_as_nobody = privileged()
    if run_as_nobody:  # setpriv below needs these three to drop to nobody; it then clears them all
        command += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]
    else:
        command += ["--unshare-user", "--cap-drop", "ALL"]
    command += filesystem_options(shim, tmp_bytes, [("--bind", sockets, sockets), ("--ro-bind", workdir, workdir),
                                                    ("--ro-bind", connection_file, connection_file)])
    command += ["--chdir", workdir, *environment_options()]
    if run_as_nobody:
        command += [shutil.which("setpriv"), f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_GID}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return command + [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file]


def zygote_command(shim, kernels, socket_path):
    """The argv of a kernel zygote (``autograder.kernel_zygote``): root in a base sandbox like a
    kernel's, with the kernels' scratch folder ``kernels`` bound read-write, keeping only the
    capabilities it needs to give each forked kernel its own sandbox and drop them there."""
    bwrap, _ = require_bwrap()
    command = ["/usr/bin/env", "-i", bwrap, *NAMESPACES, "--cap-drop", "ALL"]
    for capability in ZYGOTE_CAPABILITIES:
        command += ["--cap-add", capability]
    command += filesystem_options(shim, ZYGOTE_TMP_BYTES, [("--bind", kernels, kernels)])
    command += ["--chdir", "/", *environment_options()]
    return command + [sys.executable, "-m", "autograder.kernel_zygote", socket_path, kernels]


#: bubblewrap's namespaces of a sandbox; --die-with-parent: it dies with the process that started it.
NAMESPACES = ["--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
              "--unshare-cgroup-try"]
#: A zygote makes namespaces and mounts (SYS_ADMIN), and drops to nobody (SETUID, SETGID,
#: SETPCAP for the bounding set) in each kernel; it has no other capability.
ZYGOTE_CAPABILITIES = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"]
#: The zygote's own /tmp holds only mount points; each kernel mounts its own over it.
ZYGOTE_TMP_BYTES = 2**20


def filesystem_options(shim, tmp_bytes, mounts):
    """bwrap's options for a sandbox's files: /proc, /dev, a private /tmp of ``tmp_bytes``, the
    system and the Python environment read-only, the shim on PYTHONPATH, then ``mounts``
    ((option, source, target) triples)."""
    # The private /tmp first: everything bound after it may lie under /tmp itself
    # (the venv of a checkout in /tmp, the sockets folder, the notebook's folder).
    command = ["--proc", "/proc", "--dev", "/dev", "--size", str(tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    system = []
    for path in READ_ONLY_SYSTEM:
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            system.append(("--ro-bind", path, path))
    for path in sorted({sys.base_prefix, sys.prefix}):
        system.append(("--ro-bind", path, path))
    system += [("--ro-bind", shim, SHIM), ("--ro-bind", BOOK_HELPERS, f"{SHIM}/nnbook"), *mounts]
    command += traversable_parents([target for _, _, target in system if "{" not in target]
                                   + [target for option, _, target in mounts if option == "--bind"])
    for option, source, target in system:
        command += [option, source, target]
    return command


def environment_options():
    """bwrap's options for the sandbox's whole environment (nothing of the grader's)."""
    environment = {"HOME": "/tmp", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp", "PYTHONPATH": SHIM,
                   "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                   "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin"}
    return ["--clearenv"] + [arg for key, value in environment.items() for arg in ("--setenv", key, value)]


def traversable_parents(targets):
    """``--dir`` options making every folder above the mount points exist, world-traversable
    (bubblewrap would make them 0700, which ``nobody`` cannot enter); folders that lie in a
    mounted tree are left alone."""
    mounted = set(targets)
    parents = []
    for target in targets:
        for parent in reversed(Path(target).parents[:-1]):
            folder = str(parent)
            inside_mount = any(folder == m or folder.startswith(m.rstrip("/") + "/") for m in mounted if m != folder)
            if folder not in parents and folder not in mounted and not inside_mount and folder != "/tmp":
                parents.append(folder)
    return [arg for folder in parents for arg in ("--dir", folder)]
