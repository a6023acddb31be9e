#!/usr/bin/env python3
"""Boot one test system and print everything it wrote (for debugging a
failing integration test): tools/bootsys.py <name> [dma-server]
[--build build/qemu-virt]. Uses the test harness's QEMU command line and
timeout; prints QEMU's exit status."""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import integration  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("name")
    ap.add_argument("dma", nargs="?")
    ap.add_argument("--build", default=os.path.join(ROOT, "build",
                                                    "qemu-virt"))
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()
    ctx = integration.Context(ROOT, a.build, "qemu-virt")
    dtb = os.path.join(a.build, "archive", "test", "system-%s.dtb" % a.name)
    args = "rift.system=%s" % a.name
    if a.dma:
        args = "rift.dma=%s %s" % (a.dma, args)
    res = ctx.boot(initrd=ctx.test_cpio, timeout=a.timeout,
                   extra=ctx.description_devices(dtb), bootargs=args)
    sys.stdout.write(res.output)
    print("\n[bootsys] QEMU exit status %s%s" % (
        res.returncode, " (timed out)" if res.timed_out else ""))


if __name__ == "__main__":
    main()
