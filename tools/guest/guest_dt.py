#!/usr/bin/env python3
"""make guest-dt: print the device tree each guest of a description gets.

    guest_dt.py --build DIR --tool GUEST_DT [--system NAME]

SYSTEM names tests/system/<name>.dts (default: linux). Each domain with a
`guest` node gets its tree built by the VMM's own code (tools/guest/
guest_dt.c) from the same files make run would boot: the cached Debian
guest for guest-linux and guest-initrd (or GUEST_KERNEL, GUEST_INITRD),
anything else from test.cpio; GUEST_APPEND replaces the command line.
Printed as device-tree source (dtc -O dts).
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import archive  # noqa: E402


def get(dtb, node, prop, kind="s"):
    res = subprocess.run(["fdtget", "-t", kind, dtb, node, prop],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return res.stdout.decode().rstrip("\n") if res.returncode == 0 else None


def number(dtb, node, prop):
    v = get(dtb, node, prop, "u")
    if v is None:
        return None
    cells = [int(x) for x in v.split()]
    return cells[0] if len(cells) == 1 else (cells[0] << 32) | cells[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--system", default="")
    a = ap.parse_args()
    name = a.system or "linux"
    dtb = os.path.join(a.build, "archive", "test", "system-%s.dtb" % name)
    if not os.path.exists(dtb):
        sys.exit("guest-dt: no %s (SYSTEM names tests/system/<name>.dts)"
                 % dtb)
    res = subprocess.run(["fdtget", "-l", dtb, "/domains"],
                         stdout=subprocess.PIPE, check=True)
    files = {}
    found = 0
    for d in res.stdout.decode().split():
        node = "/domains/%s/guest" % d
        kernel = get(dtb, node, "kernel")
        if kernel is None:
            continue
        found += 1
        initrd = get(dtb, node, "initrd")
        if {kernel, initrd} & {"guest-linux", "guest-initrd"} and not files:
            archive.fetch(quiet=True)
            files = archive.default_files()
            files.update({k: v for k, v in
                          (("guest-linux", os.environ.get("GUEST_KERNEL")),
                           ("guest-initrd", os.environ.get("GUEST_INITRD")))
                          if v})

        def path(f):
            return files.get(f) or os.path.join(a.build, "test.cpio.d", f)
        bootargs = os.environ.get("GUEST_APPEND",
                                  get(dtb, node, "bootargs"))
        cmd = [a.tool, "--name", d, "--kernel", path(kernel),
               "-o", os.path.join(a.build, "guest-%s.dtb" % d)]
        if initrd:
            cmd += ["--initrd", path(initrd)]
        if bootargs is not None:
            cmd += ["--bootargs", bootargs]
        for prop in ("memory", "rma", "cpus"):
            v = number(dtb, node, prop)
            if v is not None:
                cmd += ["--" + prop, str(v)]
        subprocess.run(cmd, check=True)
        print("/* guest %s of %s (as its VMM builds it) */" % (d, name))
        sys.stdout.flush()
        subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts",
                        os.path.join(a.build, "guest-%s.dtb" % d)],
                       check=True)
    if not found:
        sys.exit("guest-dt: %s has no guest" % name)


if __name__ == "__main__":
    main()
