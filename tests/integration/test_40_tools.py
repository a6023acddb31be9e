"""Tools a developer runs: make run with any system description."""
import os
import re
import signal
import subprocess
import tempfile

from integration import Failure, expect, refuse

MAKE_TIMEOUT = 120


def make(ctx, *args):
    """Run make in the source tree (own process group, killed alone on
    timeout); returns its output."""
    plat = os.path.basename(os.path.normpath(ctx.build))
    cmd = ["make", "--no-print-directory", "PLATFORM=%s" % plat] + list(args)
    proc = subprocess.Popen(cmd, cwd=ctx.root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=MAKE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise Failure("%s did not finish within %d s" % (" ".join(cmd),
                                                          MAKE_TIMEOUT))
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    return proc.returncode, text


def run_system(ctx):
    """make run SYSTEM=<name> boots tests/system/<name>.dts from test.cpio;
    SYSTEM=<path> boots a description of one's own; QEMU devices come from
    the description (rift,qemu-devices) and QEMU_DEVICES, each once."""
    rc, out = make(ctx, "run-built", "SYSTEM=pingpong", "RUN_TIMEOUT=60")
    if rc != 0:
        raise Failure("make run SYSTEM=pingpong failed (%d): %s"
                      % (rc, out[-400:]))
    expect(out, r"QEMU +tests/system/pingpong.dts from test.cpio",
           r"^\[ping\] pingpong: 10000 round trips",
           r"^rift: supervisor exited with status 0$")
    # A description of one's own: the lister of pci_enumerate, with two edu
    # devices, one from the description and one from QEMU_DEVICES.
    with open(os.path.join(ctx.root, "tests", "system",
                           "pci_enumerate.dts")) as f:
        dts = f.read()
    dts = dts.replace('rift,version = <1>;',
                      'rift,version = <1>;\n\trift,qemu-devices = "edu";', 1)
    with tempfile.TemporaryDirectory(dir=ctx.work) as tmp:
        path = os.path.join(tmp, "mine.dts")
        with open(path, "w") as f:
            f.write(dts)
        rc, out = make(ctx, "run-built", "SYSTEM=%s" % path,
                       "QEMU_DEVICES=edu", "RUN_TIMEOUT=60")
        if rc != 0:
            raise Failure("make run SYSTEM=%s failed (%d): %s"
                          % (path, rc, out[-400:]))
        expect(out, r"QEMU +%s from run.cpio" % re.escape(path),
               r"^rift: supervisor exited with status 0$")
        edus = re.findall(r"^\[lister\] .*1234:11e8", out, re.M)
        if len(edus) != 2:
            raise Failure("expected 2 edu devices (description + "
                          "QEMU_DEVICES), the lister saw %d" % len(edus))
    # The product: its one edu device comes from system.dts, once.
    rc, out = make(ctx, "run-built", "RUN_TIMEOUT=60")
    expect(out, r"^\[pci\] pci: 2 functions on buses 00-00")
    rc, out = make(ctx, "run-built", "SYSTEM=no_such_system")
    if rc == 0:
        raise Failure("make run SYSTEM=no_such_system succeeded")
    expect(out, r"SYSTEM=no_such_system: no tests/system/no_such_system.dts")
    refuse(out, r"QEMU +")


TESTS = [run_system]
