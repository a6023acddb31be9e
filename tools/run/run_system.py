#!/usr/bin/env python3
"""make run: boot a system description in QEMU.

    run_system.py --build DIR --platform NAME [--system NAME-OR-PATH]
                  [--timeout S] [--interactive] [--dry-run] [-- QEMU-ARGS...]

SYSTEM picks what boots:
  (empty)           the product, platforms/<board>/system.dts in boot.cpio
  <name>            tests/system/<name>.dts, in test.cpio (rift.system=<name>)
  <path>.dts        a description of your own: compiled with dtc and added
                    to a copy of test.cpio (which holds every program
                    image) as system-user.dtb (rift.system=user)

Guests (docs/guests.md): a description with a `guest` node boots with
the guest's files added to the archive (tools/guest/archive.py): Debian's
kernel and initramfs, fetched by scripts/guest-image.sh when needed, or
GUEST_KERNEL= and GUEST_INITRD= (any arm64 Image and initramfs);
GUEST_APPEND= replaces every guest's command line, byte for byte. With
GUEST_* and no SYSTEM, tests/system/linux.dts boots. Without GUEST_APPEND
and INTERACTIVE, `rift.demo` is added to linux.dts's command line so the
guest's /init runs a command and powers off (the run ends by itself).

Extra QEMU devices come from the description only: a root property
`rift,qemu-devices = "edu", "edu";` gives one `-device` per string (the
product system lists the edu device its PCI server finds), and
`rift,qemu-scratch-disks = "disk0=8M";` a fresh all-zero raw disk
<build>/run-disks/disk0.raw attached as drive disk0 for a device string to
name (`virtio-blk-pci,drive=disk0,...`). QEMU_DEVICES adds more, RUN_ARGS any other QEMU arguments; nothing is added twice
behind your back. DMA=<server> (--dma) passes rift.dma=<server>: the
supervisor then runs that DMA server whatever the description's
dma-server says (docs/dma.md). Every run has a timeout (RUN_TIMEOUT) unless it is
interactive; QEMU is the only process started.
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

import qemu  # noqa: E402  (tests/lib/qemu.py: platform settings)

sys.path.insert(0, os.path.join(ROOT, "tools", "guest"))
import archive as guest_files  # noqa: E402  (tools/guest/archive.py)


def fail(msg):
    print("make run: %s" % msg, file=sys.stderr)
    sys.exit(2)


def user_archive(build, dts):
    """Compile @dts and add it to a copy of test.cpio; returns the cpio."""
    run_dir = os.path.join(build, "run")
    tree = os.path.join(run_dir, "run.cpio.d")  # kept: add_guest() reads it
    src = os.path.join(build, "test.cpio.d")
    if not os.path.isdir(src):
        fail("%s is missing: build the images first (make images)" % src)
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.copytree(src, tree)
    dtb = os.path.join(tree, "system-user.dtb")
    res = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                          dts], stderr=subprocess.PIPE)
    if res.returncode != 0:
        fail("dtc cannot compile %s:\n%s" % (dts, res.stderr.decode()))
    names = sorted(os.listdir(tree))
    cpio = os.path.join(run_dir, "run.cpio")
    with open(cpio, "wb") as out:
        subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=tree,
                       input="\n".join(names).encode() + b"\n", stdout=out,
                       check=True)
    return cpio, dtb


def fdt(*argv):
    res = subprocess.run(list(argv), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    return res.returncode, res.stdout.decode()


def guest_nodes(dtb):
    """Paths of the `guest` nodes of @dtb's domains."""
    rc, out = fdt("fdtget", "-l", dtb, "/domains")
    found = []
    for d in out.split() if rc == 0 else []:
        rc, sub = fdt("fdtget", "-l", dtb, "/domains/" + d)
        if rc == 0 and "guest" in sub.split():
            found.append("/domains/%s/guest" % d)
    return found


def add_guest(build, archive, dtb, system, interactive, env):
    """The archive with the guest files and the description with
    GUEST_APPEND (or rift.demo); returns (archive, dtb)."""
    kernel, initrd = env.get("GUEST_KERNEL"), env.get("GUEST_INITRD")
    append = env.get("GUEST_APPEND")
    nodes = guest_nodes(dtb)
    if not nodes:
        if kernel or initrd or append is not None:
            fail("GUEST_KERNEL/GUEST_INITRD/GUEST_APPEND: the description "
                 "%s has no guest (see tests/system/linux.dts)" % dtb)
        return archive, dtb
    files = {}
    try:
        if not kernel or not initrd:
            print("  GUEST   fetching the Debian guest (scripts/"
                  "guest-image.sh)", flush=True)
            guest_files.fetch()
            files = guest_files.default_files()
    except guest_files.GuestImageMissing as e:
        fail("no guest image: %s" % e)
    for name, path in (("guest-linux", kernel), ("guest-initrd", initrd)):
        if path:
            if not os.path.isfile(path):
                fail("%s does not exist" % path)
            files[name] = os.path.abspath(path)
    src = archive + ".d"
    if not os.path.isdir(src):
        fail("%s is missing: build the images first (make images)" % src)
    run_dir = os.path.join(build, "run-guest")
    os.makedirs(run_dir, exist_ok=True)
    tree_dtb = os.path.join(run_dir, os.path.basename(dtb))
    shutil.copyfile(dtb, tree_dtb)
    for node in nodes:
        rc, value = fdt("fdtget", "-t", "s", tree_dtb, node, "bootargs")
        value = value.rstrip("\n") if rc == 0 else ""
        if append is not None:
            value = append
        elif fdt("fdtget", "-t", "s", tree_dtb, node,
                 "kernel")[1].strip() == "guest-linux":
            # The Debian guest's /init: with the word rift.demo it runs a
            # command and powers off (the run ends by itself); an
            # interactive run wants its shell.
            words = [w for w in value.split(" ") if w and w != "rift.demo"]
            value = " ".join(words + ([] if interactive else ["rift.demo"]))
        else:
            continue
        # fdtput takes the value as one argument: no quoting on the way.
        rc, _ = fdt("fdtput", "-t", "s", tree_dtb, node, "bootargs", value)
        if rc != 0:
            fail("fdtput could not set %s/bootargs" % node)
    files[os.path.basename(dtb)] = tree_dtb
    out = guest_files.build(src, os.path.join(run_dir, "run.cpio"), files)
    return out, tree_dtb


def choose(build, platform, system):
    """(archive, description dtb, bootargs, what) for SYSTEM."""
    if not system:
        return (os.path.join(build, "boot.cpio"),
                os.path.join(build, "archive", "boot", "system.dtb"), [],
                "platforms/%s/system.dts" % platform)
    named = os.path.join(ROOT, "tests", "system", system + ".dts")
    if "/" not in system and not system.endswith(".dts") and \
            os.path.exists(named):
        return (os.path.join(build, "test.cpio"),
                os.path.join(build, "archive", "test",
                             "system-%s.dtb" % system),
                ["rift.system=%s" % system], "tests/system/%s.dts" % system)
    if os.path.isfile(system):
        cpio, dtb = user_archive(build, system)
        return cpio, dtb, ["rift.system=user"], system
    known = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "tests",
                                                           "system"))
                   if f.endswith(".dts"))
    fail("SYSTEM=%s: no tests/system/%s.dts and no file %s; names: %s"
         % (system, system, system, " ".join(known)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--platform", default="qemu-virt")
    ap.add_argument("--system", default="")
    ap.add_argument("--devices", default="",
                    help="more QEMU devices (QEMU_DEVICES), space separated")
    ap.add_argument("--dma", default="",
                    help="DMA server instead of the description's "
                    "dma-server (DMA=): smmuv3, swiotlb or none")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--interactive", action="store_true")
    ap.add_argument("--dry-run", action="store_true",
                    help="print the QEMU command instead of running it")
    ap.add_argument("qemu_args", nargs="*")
    args = ap.parse_args()

    plat = qemu.Platform(ROOT, args.platform)
    v = plat.vars
    kernel = os.path.join(args.build, "kernel", "rift.bin")
    system = args.system
    if not system and any(os.environ.get(v) is not None for v in
                          ("GUEST_KERNEL", "GUEST_INITRD", "GUEST_APPEND")):
        system = "linux"
    archive, dtb, bootargs, what = choose(args.build, args.platform, system)
    archive, dtb = add_guest(args.build, archive, dtb, system,
                             args.interactive, os.environ)
    for f in (kernel, archive, dtb):
        if not os.path.exists(f):
            fail("%s is missing: build the images first (make images)" % f)
    try:
        described = qemu.description_args(dtb, os.path.join(args.build,
                                                            "run-disks"))
    except ValueError as e:
        fail("%s: %s" % (what, e))
    if args.interactive:
        bootargs.append("rift.stay=1")
    if args.dma:
        if args.dma not in ("smmuv3", "swiotlb", "none"):
            fail("DMA=%s: expected smmuv3, swiotlb or none" % args.dma)
        bootargs.append("rift.dma=%s" % args.dma)
    cmd = [v["QEMU"], "-M", v["QEMU_MACHINE"], "-cpu", v["QEMU_CPU"],
           "-nographic", "-no-reboot", "-nic", "none", "-m", v["QEMU_MEM"],
           "-smp", v["QEMU_SMP"], "-kernel", kernel, "-initrd", archive]
    cmd += described
    for d in args.devices.split():
        cmd += ["-device", d]
    if bootargs:
        cmd += ["-append", " ".join(bootargs)]
    cmd += args.qemu_args
    print("  QEMU    %s from %s%s" % (what, os.path.basename(archive),
                                     "" if args.interactive else
                                     " (ends by itself; timeout %ds)"
                                     % args.timeout), flush=True)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if args.interactive:
        return subprocess.call(cmd)
    # Its own process group, killed alone on timeout (tests/lib/qemu.py).
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        return proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
        print("make run: QEMU still running after %d s: stopped "
              "(RUN_TIMEOUT=)" % args.timeout, file=sys.stderr)
        return 124


if __name__ == "__main__":
    sys.exit(main())
