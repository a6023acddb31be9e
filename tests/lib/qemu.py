"""Running QEMU for tests, tools and benchmarks.

Every run has a timeout. QEMU is started in its own process group and only
that group is killed, so a hang becomes a failure with a clear message and
never touches anything else on the machine.
"""
import os
import signal
import subprocess
import time
from dataclasses import dataclass


@dataclass
class RunResult:
    output: str
    returncode: int
    timed_out: bool
    seconds: float


class Platform:
    """QEMU settings of a board, read from platforms/<name>/platform.mk."""

    def __init__(self, root, name):
        self.vars = {}
        path = os.path.join(root, "platforms", name, "platform.mk")
        with open(path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if ":=" in line:
                    key, value = line.split(":=", 1)
                    self.vars[key.strip()] = self.expand(value.strip())
        self.name = name

    def expand(self, value):
        for key, v in self.vars.items():
            value = value.replace("$(%s)" % key, v)
        return value

    def base_args(self, machine=None):
        return [self.vars["QEMU"], "-M", machine or self.vars["QEMU_MACHINE"],
                "-cpu", self.vars["QEMU_CPU"], "-nographic", "-no-reboot",
                "-nic", "none", "-monitor", "none", "-serial", "stdio"]


def run(args, timeout, stdin_data=None, input_delay=None, env=None,
        cwd=None):
    """Run @args with a timeout; returns RunResult. Never raises on a hang.
    Also used for other long-running programs (builds) that must be killed
    whole, children included, on a hang."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.PIPE if stdin_data else
                            subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            env=env, cwd=cwd)
    timed_out = False
    try:
        if stdin_data is not None and input_delay:
            time.sleep(input_delay)
        out, _ = proc.communicate(input=stdin_data, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    return RunResult(text, proc.returncode, timed_out,
                     time.monotonic() - start)


def run_with_monitor(args, timeout, monitor, trigger, command,
                     trigger_timeout=None):
    """Run QEMU @args (which must not name a -monitor of their own) with
    its human monitor on the unix socket @monitor; once a line matching
    regex @trigger (or, for a list, every one of its regexes, in any
    order) has appeared on its output, send @command (e.g.
    "system_powerdown") on the monitor. Every wait is bounded: the whole
    run by @timeout, and the trigger also by @trigger_timeout. Returns a
    RunResult; its output records "[monitor] <command>" where it was
    sent, or "[monitor] trigger not seen" if it never was."""
    import re
    import socket
    import threading

    if os.path.exists(monitor):
        os.unlink(monitor)
    args = list(args) + ["-monitor",
                         "unix:%s,server=on,wait=off" % monitor]
    start = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    chunks = []
    seen = threading.Event()
    waiting = [re.compile(t, re.M) for t in
               ([trigger] if isinstance(trigger, str) else trigger)]

    def reader():
        for line in iter(proc.stdout.readline, b""):
            chunks.append(line)
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            waiting[:] = [p for p in waiting if not p.search(text)]
            if not waiting:
                seen.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    limit = start + timeout
    tlimit = start + (trigger_timeout or timeout)
    sent = False
    while proc.poll() is None and time.monotonic() < min(limit, tlimit):
        if seen.wait(0.1):
            break
    if seen.is_set() and proc.poll() is None:
        for _ in range(50):  # the socket exists once QEMU listens
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(5)
                s.connect(monitor)
                s.sendall(command.encode() + b"\n")
                time.sleep(0.2)
                s.close()
                sent = True
                break
            except OSError:
                time.sleep(0.1)
    timed_out = False
    try:
        proc.wait(timeout=max(0.1, limit - time.monotonic()))
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    t.join(5)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    text += "[monitor] %s\n" % (command if sent else "trigger not seen")
    if os.path.exists(monitor):
        os.unlink(monitor)
    return RunResult(text, proc.returncode, timed_out,
                     time.monotonic() - start)


def _fdt_strings(dtb, prop):
    res = subprocess.run(["fdtget", "-t", "s", dtb, "/", prop],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # fdtget prints a string list separated by spaces.
    return res.stdout.decode().split() if res.returncode == 0 else []


_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def scratch_disks(dtb, workdir):
    """QEMU arguments for the description's /rift,qemu-scratch-disks: each
    string "<id>=<size>" (size in bytes, or with a K, M or G suffix; at
    most 1 GiB) is a fresh all-zero raw disk file <workdir>/<id>.raw
    attached as drive <id> with if=none, so a device string of
    rift,qemu-devices names it (drive=<id>). Raises ValueError with the
    reason for a malformed entry."""
    args = []
    for entry in _fdt_strings(dtb, "rift,qemu-scratch-disks"):
        ident, _, size = entry.partition("=")
        unit = size[-1:].upper() if size[-1:].isalpha() else ""
        digits = size[:-1] if unit else size
        if not ident.isidentifier() or not digits.isdigit() or \
                unit not in _SIZE_UNITS:
            raise ValueError("rift,qemu-scratch-disks: %r is not "
                             "<id>=<size>[K|M|G]" % entry)
        nbytes = int(digits) * _SIZE_UNITS[unit]
        if nbytes == 0 or nbytes % 512 or nbytes > 1 << 30:
            raise ValueError("rift,qemu-scratch-disks: %r: the size must be "
                             "a non-zero multiple of 512 up to 1G" % entry)
        os.makedirs(workdir, exist_ok=True)
        path = os.path.join(workdir, "%s.raw" % ident)
        with open(path, "wb") as f:
            f.truncate(nbytes)
        args += ["-drive", "file=%s,if=none,id=%s,format=raw" % (path, ident)]
    return args


def description_args(dtb, workdir):
    """Everything QEMU needs for a system description: its scratch disks,
    then one -device per string of /rift,qemu-devices."""
    args = scratch_disks(dtb, workdir)
    for d in _fdt_strings(dtb, "rift,qemu-devices"):
        args += ["-device", d]
    return args
