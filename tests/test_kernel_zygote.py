"""Kernels forked by the zygote are as separate as kernels bubblewrap starts one by one.

Each test starts real sandboxed kernels (forked, and started by bubblewrap for comparison)
and runs a probe in them as student code would: what they can see, what they hold, what
survives them. The grading batches of the other test files run through the zygote as well.
"""
import asyncio
import json
import os
import shutil
import subprocess
import tempfile

import pytest

from autograder.running import sandbox, zygote
from autograder.running.kernels import GradingKernel, KernelSettings, message_for


SETTINGS = {"sandboxed": True, "memory_mb": 1024, "cpu_seconds": 60, "max_processes": 64, "tmp_mb": 64,
            "extra_arguments": ()}

PROBE = r"""
import json, os, random, resource, socket, numpy
open("/tmp/mine", "w").write(%(secret)r)
status = dict(line.split(":\t") for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
kernels = os.path.dirname(os.path.dirname(os.getcwd()))
def inherited():
    # descriptors of the kinds the zygote holds: SOCK_SEQPACKET sockets, pidfds, folders, cgroup files
    found = []
    for fd in map(int, os.listdir("/proc/self/fd")):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        try:
            with socket.socket(fileno=os.dup(fd)) as s:
                if s.family == socket.AF_UNIX and s.type == socket.SOCK_SEQPACKET:
                    found.append("seqpacket")
        except OSError:
            pass
        if "pidfd" in target:
            found.append("pidfd")
        elif "cgroup" in target:
            found.append("cgroup")
        elif os.path.isdir(target):
            found.append("folder")
    return sorted(found)
try:
    zygote = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    zygote.connect(%(zygote_socket)r)
    zygote_reached = True
except OSError:
    zygote_reached = False
print(json.dumps({
    "uid": os.getuid(), "pid": os.getpid(), "processes": sorted(p for p in os.listdir("/proc") if p.isdigit()),
    "capabilities": [status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")],
    "no_new_privs": status["NoNewPrivs"].strip(), "beside_own_folder": os.listdir(kernels),
    "tmp": sorted(os.listdir("/tmp")), "interfaces": socket.if_nameindex(),
    "random": [numpy.random.rand(), random.random()], "address_space": resource.getrlimit(resource.RLIMIT_AS)[0],
    "zygote_reached": zygote_reached, "inherited": inherited(),
}))
"""


@pytest.fixture
def scratch_folder(monkeypatch):
    """A short temporary folder of this test's own, as a grading worker has (its kernels' folders go there)."""
    folder = tempfile.mkdtemp(prefix="nnbook-zt-")
    monkeypatch.setattr(tempfile, "tempdir", folder)
    monkeypatch.setattr(zygote.Zygote, "current", None)  # a zygote of its own, folder included
    yield folder
    if zygote.Zygote.current is not None:
        zygote.Zygote.current.close()
    shutil.rmtree(folder, ignore_errors=True)


def processes():
    return subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout


async def run(kernel, code):
    """The text ``code`` prints in ``kernel``, once it has run."""
    client = await kernel.client(60)
    request = client.execute(code)
    text = []
    while True:
        message = await client.iopub_channel.get_msg(timeout=60)
        if message["parent_header"].get("msg_id") != request:
            continue
        if message["msg_type"] == "stream":
            text.append(message["content"]["text"])
        if message["msg_type"] == "error":
            raise AssertionError(message["content"]["evalue"])
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            client.stop_channels()
            return "".join(text)


def probe(kernel, secret):
    socket_path = os.path.join(kernel.zygote.kernels, "zygote.sock") if kernel.zygote else "/nonexistent"
    return json.loads(asyncio.run(run(kernel, PROBE % {"secret": secret, "zygote_socket": socket_path})))


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "bubblewrap"])
def test_two_kernels_at_once_see_nothing_of_each_other_and_hold_no_privilege(forked, scratch_folder):
    settings = KernelSettings(**SETTINGS, forked=forked)
    with GradingKernel(settings) as first, GradingKernel(settings) as second:
        assert (first.zygote is not None) == forked and (second.zygote is first.zygote)
        seen = [probe(first, "first's secret"), probe(second, "second's secret")]
    for view in seen:
        assert view["uid"] == 65534 and view["pid"] == 2 and view["processes"] == ["1", "2"]
        assert view["capabilities"] == ["0000000000000000"] * 5 and view["no_new_privs"] == "1"
        assert len(view["beside_own_folder"]) == 1, view  # the other kernel's folder is not there
        assert [name for _, name in view["interfaces"]] == ["lo"]
        assert view["tmp"].count("mine") == 1 and view["address_space"] == 1024 * 2**20
        assert not view["zygote_reached"] and set(view["inherited"]) <= {"seqpacket"}, view
    assert seen[0]["beside_own_folder"] != seen[1]["beside_own_folder"]
    assert seen[0]["random"][0] != seen[1]["random"][0] and seen[0]["random"][1] != seen[1]["random"][1]


def test_a_forked_kernel_holds_no_socket_a_kernel_started_afresh_lacks(scratch_folder):
    held = {}
    for forked in (True, False):
        with GradingKernel(KernelSettings(**SETTINGS, forked=forked)) as kernel:
            held[forked] = probe(kernel, "")["inherited"]
    assert held[True] == held[False], held  # ipykernel's own; the zygote's connection would be one more


def test_killing_a_forked_kernel_ends_every_process_it_started_and_its_cgroups_held_them():
    marker = "nnbook-zygote-test-sleeper-7c1e"
    kernel = GradingKernel(KernelSettings(**SETTINGS))
    try:
        assert kernel.zygote is not None
        asyncio.run(run(kernel, f"import subprocess, sys\n"
                                f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', {marker!r}])"))
        assert marker in processes()
        assert kernel.caps, "this machine has no writable cgroup v1 pids or memory controller"
        for cap in kernel.caps:
            with open(os.path.join(cap, "cgroup.procs")) as f:
                assert len(f.read().split()) >= 3, cap  # PID 1, the kernel and the sleeper
        kernel.stop()
        assert marker not in processes()
    finally:
        kernel.close()
    assert not any(os.path.exists(cap) for cap in kernel.caps)


def test_without_a_zygote_kernels_start_in_bubblewrap_and_the_reason_is_said_once(monkeypatch, capfd):
    monkeypatch.setattr(zygote.Zygote, "current", None)
    monkeypatch.setattr(zygote.Zygote, "failure", None)
    monkeypatch.setattr(sandbox, "zygote_command", lambda *args: ["/bin/false"])
    for _ in range(2):
        with GradingKernel(KernelSettings(**SETTINGS)) as kernel:
            assert kernel.zygote is None
            assert probe(kernel, "")["pid"] == 2
    messages = [line for line in capfd.readouterr().err.splitlines() if "without a zygote" in line]
    assert len(messages) == 1 and "exited with 1" in messages[0], messages


FORMATTING_LOADED = r"""
import json, sys
lexers = sys.modules.get("pygments.lexers.python")
print(json.dumps({"stack_data": "stack_data" in sys.modules,
                  "lexer_compiled": lexers is not None and "_tokens" in vars(lexers.PythonLexer)}))
"""
FAILING_CELL = "def mean_of(values):\n    return sum(values) / len(values)\n\nmean_of([])\n"


async def traceback_of(kernel, code):
    """The traceback ``kernel`` shows for the error ``code`` raises."""
    client = await kernel.client(60)
    message = await message_for(client.iopub_channel, client.execute(code), "error", 60)
    client.stop_channels()
    return message["content"]["traceback"]


def test_a_forked_kernel_formats_its_first_error_with_what_the_zygote_loaded_and_as_bubblewraps_does(scratch_folder):
    shown = {}
    for forked in (True, False):
        with GradingKernel(KernelSettings(**SETTINGS, forked=forked)) as kernel:
            loaded = json.loads(asyncio.run(run(kernel, FORMATTING_LOADED)))
            assert loaded == {"stack_data": forked, "lexer_compiled": forked}, (forked, loaded)
            shown[forked] = asyncio.run(traceback_of(kernel, FAILING_CELL))
    assert shown[True] == shown[False]
    assert "ZeroDivisionError" in shown[True][-1] and any("mean_of" in line for line in shown[True])
