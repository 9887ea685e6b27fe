"""The kernel zygote: grading kernels forked from one process that has imported them already.

A sandboxed kernel spends most of its start importing Python, ipykernel and NumPy. The zygote
imports them once, in a base sandbox of its own (``autograder.running.zygote`` starts it, as
root in bubblewrap with only the capabilities listed there), and forks each kernel from that
state. A forked kernel must be as separate from every other as a kernel bubblewrap started
afresh, so before any student code runs each one gets, from its own fork:

- new mount, PID, network, IPC and UTS namespaces: its own ``/proc``, no network but a
  loopback of its own, no other process of the machine to see or signal;
- its own size-capped ``/tmp`` and ``/dev/shm``, and of the scratch folders of this worker's
  kernels only its own (its sockets read-write, its working folder read-only);
- the cgroups the grader made for it (the grader passes their ``cgroup.procs`` files open);
- the resource limits of ``prlimit`` in a bubblewrap kernel;
- user ``nobody``, no capabilities in any set, ``no_new_privs``, no file descriptor of the
  zygote, and fresh random generators (NumPy's global one is seeded from the OS again;
  Python's reseeds itself in a forked child). All kernels of one zygote share its string
  hash seed, which says nothing of another student's work.

The layout in each kernel is the one bubblewrap gives: PID 1 is a small root process with no
capabilities that only reaps, and whose death ends the namespace; the kernel is PID 2.

The zygote also formats one traceback of its own, as a kernel shows a student's error, so
that no kernel pays at its first error for what that loads once (stack_data, pygments and
the Python lexer's compiled patterns: a first error then costs a forked kernel 0.03 s of CPU
instead of 0.12, as ``benchmarks/grading_profile.py`` measures).

The zygote never reads a connection file, so no kernel's key is in the memory the next
kernel is forked from. This file runs inside the sandbox, from its read-only shim folder: it
imports only the standard library until it pre-imports the kernel.

Protocol (a SOCK_SEQPACKET Unix socket, one request at a time): the grader sends a JSON
request with the open ``cgroup.procs`` files; the zygote answers ``{"pid": ...}`` with a pidfd
of the kernel's PID 1 (signalling it kills the whole kernel), or ``{"error": "..."}``.
"""
import ctypes
import json
import os
import select
import signal
import socket
import sys

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SANDBOX_UID = SANDBOX_GID = 65534
#: What the zygote imports for its kernels: everything a grading kernel loads to start and
#: run an exercise notebook's imports (the book's helpers are the shim's ``nnbook``).
PRELOADED = ["numpy", "numpy.random", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.completer",
             "autograder.recorder", "nnbook.data", "nnbook.planar", "nnbook.tapes", "nnbook.least_squares"]

libc = ctypes.CDLL(None, use_errno=True)


class SetupError(RuntimeError):
    """A kernel could not be given its sandbox; it is not started."""


def checked(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(error)}")


def mount(source, target, fstype=None, flags=0, data=None):
    checked(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), ctypes.c_ulong(flags),
                       data and data.encode()), f"mount {target}")


def remount_read_only(target):
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def prctl(option, value):
    checked(libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


def drop_bounding_set():
    """Empty the bounding set, so that no exec can gain a capability (needs CAP_SETPCAP)."""
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for capability in range(last + 1):
        checked(libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(capability), 0, 0, 0), "drop a bounding capability")


def clear_capabilities():
    """Empty the effective, permitted and inheritable sets (ambient goes with permitted), and
    set no_new_privs."""
    header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    checked(libc.capset(header, data), "capset")
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def mounts():
    """{mount point: whether it is read-only} of this mount namespace (the top one of a stack)."""
    points = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            points[fields[4].encode().decode("unicode_escape")] = "ro" in fields[5].split(",")
    return points


def outermost_under(folder, points):
    """The mount points strictly inside ``folder`` that lie in no other of them."""
    inside = sorted(p for p in points if p.startswith(folder.rstrip("/") + "/"))
    return [p for p in inside if not any(p.startswith(q + "/") for q in inside)]


def opened(path):
    return os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)


def bind(fd, target, read_only):
    os.makedirs(target, mode=0o755, exist_ok=True)
    mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
    if read_only:
        remount_read_only(target)


def build_mounts(request):
    """This kernel's view of the files: a new /proc, /tmp and /dev/shm; of the kernels' scratch
    folder only its own sockets (read-write) and working folder (read-only); what the base
    sandbox bound under /tmp (the Python environment of a checkout there), bound again."""
    kernels = request["kernels"]
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    points = mounts()
    kept = [(p, opened(p), points[p]) for p in outermost_under("/tmp", points)
            if not (p == kernels or p.startswith(kernels + "/"))]
    own = [(request["sockets"], opened(request["sockets"]), False), (request["work"], opened(request["work"]), True)]
    tmp_bytes = request["tmp_mb"] * 2**20
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_bytes},mode=1777")
    if not kernels.startswith("/tmp/"):
        mount("tmpfs", kernels, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for path, fd, ro in kept + own:
        bind(fd, path, ro)
        os.close(fd)
    if not kernels.startswith("/tmp/"):
        remount_read_only(kernels)
    if os.path.isdir("/dev/shm"):
        mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_bytes},mode=1777")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    mount("/proc/sys", "/proc/sys", None, MS_BIND | MS_REC)
    remount_read_only("/proc/sys")


def join_cgroups(fds):
    for fd in fds:
        os.write(fd, b"0")  # 0: this process
        os.close(fd)


def set_limits(request):
    """What ``prlimit`` sets on a bubblewrap kernel: address space, CPU time, file size, no core."""
    import resource
    memory = request["memory_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_seconds"], request["cpu_seconds"] + 5))
    size = request["tmp_mb"] * 2**20
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def become_unprivileged():
    """User and group ``nobody``, no supplementary groups, no capabilities, no_new_privs, and a
    cgroup namespace whose root is the kernel's own cgroup."""
    checked(libc.unshare(CLONE_NEWCGROUP), "unshare the cgroup namespace")
    drop_bounding_set()
    os.setgroups([])
    os.setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID)
    os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
    clear_capabilities()


def close_inherited():
    """Close every descriptor but standard input, output and error; input reads nothing."""
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)


def run_kernel(request):
    """PID 2 of the new namespace: limits, nobody, a fresh generator, then ipykernel."""
    close_inherited()
    set_limits(request)
    os.chdir(request["work"])
    become_unprivileged()
    import numpy
    numpy.random.seed()  # Python's own generator reseeds itself in a forked child
    from ipykernel import kernelapp
    sys.path.insert(0, request["work"])  # as ``python -m ipykernel_launcher`` run there
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"], *request["extra_arguments"]]
    kernelapp.launch_new_instance(argv=sys.argv[1:])


def init(request, cgroups):
    """PID 1 of the new namespace: joins the cgroups, makes the mounts, starts the kernel, then
    holds no capability and only reaps; it exits with the kernel, which ends the namespace."""
    join_cgroups(cgroups)
    build_mounts(request)
    kernel = os.fork()
    if kernel == 0:
        try:
            run_kernel(request)
        except BaseException as error:  # noqa: BLE001  (a kernel that cannot start says why, in one line)
            print(f"nnbook kernel zygote: the kernel did not start: {error!r}", file=sys.stderr, flush=True)
        os._exit(1)
    close_inherited()
    prctl(PR_SET_DUMPABLE, 0)
    drop_bounding_set()
    clear_capabilities()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(143))
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def spawn(request, cgroups):
    """Fork a kernel's PID 1 in new namespaces; its pid here. The first fork unshares, so the
    zygote itself stays in its namespaces; it exits once its child, PID 1, has started, and
    the zygote (a subreaper) becomes PID 1's parent."""
    report_read, report_write = os.pipe()
    middle = os.fork()
    if middle == 0:
        code = 1
        try:
            os.close(report_read)
            checked(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
            first = os.fork()
            if first == 0:
                try:
                    init(request, cgroups)
                except BaseException as error:  # noqa: BLE001
                    print(f"nnbook kernel zygote: no sandbox for the kernel: {error}", file=sys.stderr, flush=True)
                os._exit(1)
            os.write(report_write, json.dumps({"pid": first}).encode())
            code = 0
        except BaseException as error:  # noqa: BLE001
            os.write(report_write, json.dumps({"error": str(error)}).encode())
        os._exit(code)
    os.close(report_write)
    for fd in cgroups:
        os.close(fd)
    os.waitpid(middle, 0)
    with os.fdopen(report_read, "rb") as report:
        return json.loads(report.read() or b'{"error": "the zygote\'s fork died"}')


def reap():
    """Collect the kernels (and middle forks) that have exited."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(listener, kernels):
    """Answer kernel requests, one connection at a time, until the grader hangs up; reap the
    kernels that have exited in between."""
    connection, _ = listener.accept()
    listener.close()
    connection.sendall(b'{"ready": true}')
    while True:
        reap()
        if not select.select([connection], [], [], 1.0)[0]:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(connection, 65536, 16)
        except OSError:
            return
        if not message:
            return
        answer = spawn({**json.loads(message), "kernels": kernels}, fds)
        pidfd = os.pidfd_open(answer["pid"]) if "pid" in answer else None
        socket.send_fds(connection, [json.dumps(answer).encode()], [] if pidfd is None else [pidfd])
        if pidfd is not None:
            os.close(pidfd)


def format_a_traceback():
    """Format an error of a code cell's kind the way a kernel's shell will (its traceback mode
    and colour theme), so the forked kernels inherit what that loads and compiles."""
    import linecache
    from IPython.core import ultratb
    from ipykernel.zmqshell import ZMQInteractiveShell

    traits = ZMQInteractiveShell.class_traits()
    formatter = ultratb.AutoFormattedTB(mode=traits["xmode"].default(), theme_name=traits["colors"].default())
    name, source = "<zygote warm-up>", "def failing():\n    return 1 / 0\n\nfailing()\n"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        exec(compile(source, name, "exec"), {})
    except ZeroDivisionError as error:
        formatter.structured_traceback(type(error), error, error.__traceback__)
    finally:
        del linecache.cache[name]


def main(socket_path, kernels):
    """Pre-import the kernel, then serve the grader on ``socket_path`` (in ``kernels``, the
    folder of this worker's kernels' scratch folders, where no kernel sees it)."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    del sys.path[0]  # the working folder of ``python -m``
    for module in PRELOADED:
        __import__(module)
    format_a_traceback()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(socket_path)
    listener.listen(1)
    serve(listener, kernels)


if __name__ == "__main__":
    main(*sys.argv[1:3])
