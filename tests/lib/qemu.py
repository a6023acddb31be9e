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
