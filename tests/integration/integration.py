"""QEMU integration test framework. Each test boots the real image and checks
what it printed on the serial line. A test returns None on success or a
reason string; it may also raise Failure.

Tests live in tests/integration/test_*.py, one module per area, each with a
TESTS list; they run in file-name order (test_00_kernel.py first)."""
import os
import re
import struct

import qemu

BOOT_TIMEOUT = 60


class Failure(Exception):
    pass


class Context:
    def __init__(self, root, build, platform):
        self.root = root
        self.build = build
        self.platform = qemu.Platform(root, platform)
        self.kernel = os.path.join(build, "kernel", "rift.bin")
        self.debug_kernel = os.path.join(build, "kdebug", "rift.bin")
        self.boot_cpio = os.path.join(build, "boot.cpio")
        self.boot_dtb = os.path.join(build, "archive", "boot", "system.dtb")
        self.test_cpio = os.path.join(build, "test.cpio")
        self.work = os.path.join(build, "test-work")
        os.makedirs(self.work, exist_ok=True)
        # Set by tests/run.py: record(name, reason) reports one more result
        # line (for tests that run many checks), and the settings of
        # tests/integration/test_40_toolchains.py.
        self.record = None
        self.clang_build = None
        self.bigendian_idl = []
        self.bigendian_units = []
        self.make_vars = []
        self.cache = {}

    def boot(self, extra=(), mem="1G", smp=1, bootargs=None, machine=None,
             timeout=BOOT_TIMEOUT, dtb=None, initrd=None, input_data=None,
             input_delay=None, kernel=None):
        args = self.platform.base_args(machine) + [
            "-m", mem, "-smp", str(smp), "-kernel", kernel or self.kernel]
        if bootargs:
            args += ["-append", bootargs]
        if dtb:
            args += ["-dtb", dtb]
        if initrd:
            args += ["-initrd", initrd]
        args += list(extra)
        res = qemu.run(args, timeout, input_data, input_delay)
        if res.timed_out:
            raise Failure("QEMU did not finish within %d s (killed); last "
                          "output: %s" % (timeout, last_lines(res.output)))
        return res


    def description_devices(self, dtb):
        """QEMU arguments for the description's rift,qemu-devices and
        rift,qemu-scratch-disks (what make run adds:
        tools/run/run_system.py); scratch disks are made fresh in the
        work folder."""
        return qemu.description_args(dtb, os.path.join(self.work, "disks"))

    def boot_system(self, name, timeout=BOOT_TIMEOUT, extra_args="",
                    extra=(), input_data=None, input_delay=None, dma=None):
        """Boot the test archive with the supervisor using
        tests/system/<name>.dts (with the QEMU devices its
        rift,qemu-devices names); check a clean shutdown; return output.
        dma="swiotlb" (or "smmuv3", "none") runs that DMA server instead
        of the description's dma-server (rift.dma=, as make run DMA=)."""
        dtb = os.path.join(self.build, "archive", "test",
                           "system-%s.dtb" % name)
        if dma:
            extra_args = ("rift.dma=%s %s" % (dma, extra_args)).strip()
        extra = self.description_devices(dtb) + list(extra)
        res = self.boot(initrd=self.test_cpio, timeout=timeout, extra=extra,
                        bootargs=("rift.system=%s %s" % (name,
                                                          extra_args)).strip(),
                        input_data=input_data, input_delay=input_delay)
        clean_exit(res)
        refuse(res.output, r"PANIC", r"FAILED", r"^\[\w+\] rift-rt: ")
        expect(res.output, r"^rift: supervisor exited with status 0$")
        return res.output


    def boot_system_monitor(self, name, trigger, command, timeout=BOOT_TIMEOUT,
                            trigger_timeout=30):
        """Boot tests/system/<name>.dts like boot_system, with QEMU's
        monitor on a unix socket: when a line matches @trigger (a regex,
        or a list of regexes that must all have matched), send
        @command (e.g. "system_powerdown"). Checks a clean power-off;
        returns the output."""
        dtb = os.path.join(self.build, "archive", "test",
                           "system-%s.dtb" % name)
        args = [a for a in self.platform.base_args()]
        i = args.index("-monitor")
        del args[i:i + 2]
        args += ["-m", "1G", "-smp", "1", "-kernel", self.kernel,
                 "-initrd", self.test_cpio,
                 "-append", "rift.system=%s" % name]
        args += self.description_devices(dtb)
        sock = os.path.join(self.work, "monitor-%s.sock" % name)
        res = qemu.run_with_monitor(args, timeout, sock, trigger, command,
                                    trigger_timeout)
        if res.timed_out:
            raise Failure("QEMU did not finish within %d s (killed); last "
                          "output: %s" % (timeout, last_lines(res.output)))
        if "[monitor] %s" % command not in res.output:
            raise Failure("never saw /%s/, so %s was not sent; last "
                          "output: %s" % (trigger, command,
                                          last_lines(res.output)))
        clean_exit(res)
        refuse(res.output, r"PANIC", r"FAILED", r"^\[\w+\] rift-rt: ")
        expect(res.output, r"^rift: supervisor exited with status 0$")
        return res.output


def last_lines(text, n=8):
    return " | ".join(text.strip().splitlines()[-n:])


def expect(out, *patterns):
    """Every regex must match some line of @out."""
    for p in patterns:
        if not re.search(p, out, re.M):
            raise Failure("missing /%s/ in output; last lines: %s"
                          % (p, last_lines(out)))


def refuse(out, *patterns):
    for p in patterns:
        m = re.search(p, out, re.M)
        if m:
            start = out.rfind("\n", 0, m.start()) + 1
            end = out.find("\n", m.end())
            raise Failure("unexpected %r in output, in line: %s"
                          % (m.group(0), out[start:end if end >= 0 else None]))


def clean_exit(res):
    """QEMU stopped because the kernel powered off (PSCI), not a crash."""
    if res.returncode != 0:
        raise Failure("QEMU exited with status %d: %s"
                      % (res.returncode, last_lines(res.output)))




def load_tests():
    """TESTS of every tests/integration/test_*.py, in file-name order."""
    import importlib
    here = os.path.dirname(os.path.abspath(__file__))
    tests = []
    for name in sorted(os.listdir(here)):
        if name.startswith("test_") and name.endswith(".py"):
            tests += importlib.import_module(name[:-3]).TESTS
    return tests
