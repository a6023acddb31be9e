"""make bench, guest_boot_ratio: Debian's kernel booting to its first
userspace line, under rift versus directly on QEMU (docs/performance.md).

Both runs use the same kernel, initramfs, command line ("console=ttyAMA0
rift.demo"), 128 MiB of guest RAM and QEMU's exact instruction counting
(-icount shift=0,sleep=off: one nanosecond of virtual time per
instruction). The measure is the guest's own clock when it starts its
first userspace program: the kernel's timestamp of "Run /init as init
process" (microseconds; /init's first line, "rift-guest: initramfs up at
<s> s", must follow, but /proc/uptime has only two decimals). Linux's
clock starts when its timer is set up, in both runs, so rift's own boot
before the guest starts is not counted, and every exit the guest takes (to
the kernel or the VMM) and whatever else runs meanwhile is.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

import archive  # noqa: E402
import qemu  # noqa: E402

UP = re.compile(r"rift-guest: initramfs up at ([\d.]+) s")
RUN_INIT = re.compile(r"\[ *([\d.]+)\] Run /init as init process")
APPEND = "console=ttyAMA0 rift.demo"


def _uptime(out, what):
    m = RUN_INIT.search(out)
    if not m or not UP.search(out, m.end()):
        raise RuntimeError("%s: no first userspace line; last output: %s"
                           % (what, " | ".join(out.strip().splitlines()
                                               [-6:])))
    return float(m.group(1))


def measure(root, build, platform, timeout=600):
    """Returns {"rift": s, "native": s, "ratio": r} or raises
    RuntimeError / archive.GuestImageMissing."""
    archive.fetch(quiet=True)
    files = archive.default_files()
    p = qemu.Platform(root, platform)
    flags = p.vars["QEMU_BENCH_FLAGS"].split()
    native = p.base_args(p.vars["QEMU_BENCH_MACHINE"]) + flags + [
        "-m", "128M", "-kernel", files["guest-linux"], "-initrd",
        files["guest-initrd"], "-append", APPEND]
    res = qemu.run(native, timeout)
    if res.timed_out:
        raise RuntimeError("native Linux did not power off in %d s" % timeout)
    t_native = _uptime(res.output, "native")
    cpio = archive.build(os.path.join(build, "test.cpio.d"),
                         os.path.join(build, "linux-bench.cpio"), files)
    under = p.base_args(p.vars["QEMU_BENCH_MACHINE"]) + flags + [
        "-m", "1G", "-kernel", os.path.join(build, "kernel", "rift.bin"),
        "-initrd", cpio, "-append", "rift.system=linux_bench"]
    res = qemu.run(under, timeout)
    if res.timed_out:
        raise RuntimeError("Linux under rift did not finish in %d s"
                           % timeout)
    t_rift = _uptime(res.output, "under rift")
    return {"rift": t_rift, "native": t_native,
            "ratio": t_rift / t_native if t_native else 0.0}


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True)
    ap.add_argument("--platform", default="qemu-virt")
    a = ap.parse_args()
    r = measure(ROOT, a.build, a.platform)
    print("guest boot to first userspace program: rift %.6f s, native "
          "%.6f s, ratio %.4fx" % (r["rift"], r["native"], r["ratio"]))
