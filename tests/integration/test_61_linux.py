"""Guests under rift, the VMM side (issue 12; docs/guests.md).

These tests boot guests through the VMM domain (drivers-domain/vmm): the
probe guest (tests/guests/probe, in test.cpio) and Debian's arm64 Linux
with the busybox initramfs (scripts/guest-image.sh, cached in cache/guest
and added to a copy of test.cpio at run time: tools/guest/archive.py).
The kernel-side guest tests are in test_60_guest.py.
"""
import os
import re
import sys

from integration import Failure, clean_exit, expect, refuse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "guest"))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

import archive  # noqa: E402  (tools/guest/archive.py)
import session  # noqa: E402  (tests/lib/session.py)

LINUX_TIMEOUT = 240  # s, one Linux run under TCG, boot to power-off
LINUX_MEM = "1G"


def linux_archive(ctx):
    """test.cpio plus the Debian guest (fetched if needed), built once per
    run: build/<platform>/linux-test.cpio."""
    if "linux_cpio" not in ctx.cache:
        try:
            archive.fetch(quiet=True)
            files = archive.default_files()
        except archive.GuestImageMissing as e:
            raise Failure("no guest image: %s" % e)
        out = os.path.join(ctx.build, "linux-test.cpio")
        archive.build(os.path.join(ctx.build, "test.cpio.d"), out, files,
                      cut={"guest-linux-cut": (files["guest-linux"],
                                               8 << 20)})
        ctx.cache["linux_cpio"] = out
    return ctx.cache["linux_cpio"]


def start(ctx, system, initrd, timeout, mem=LINUX_MEM, extra_args=""):
    args = ctx.platform.base_args() + [
        "-m", mem, "-smp", "1", "-kernel", ctx.kernel, "-initrd", initrd,
        "-append", ("rift.system=%s %s" % (system, extra_args)).strip()]
    return session.Session(args, timeout)


def finish(s, wait=60):
    """Waits for rift to power off; checks it did so cleanly."""
    rc, out = s.close(wait)
    if rc is None:
        raise Failure("rift did not power off; last output: %s"
                      % s.last_lines())
    if rc != 0:
        raise Failure("QEMU exited with status %d: %s" % (rc,
                                                          s.last_lines()))
    refuse(out, r"PANIC", r"^\[\w+\] rift-rt: ")
    expect(out, r"^rift: supervisor exited with status 0$")
    return out


def run(s, fn):
    """Runs fn(s); turns session errors into failures, always ends QEMU."""
    try:
        return fn(s)
    except session.SessionError as e:
        s.close(0)
        raise Failure(str(e))


# ----------------------------------------------------------------- probe

def guest_probe_hello(ctx):
    """The probe guest sees its start-of-day page, its device tree (with
    its command line unchanged) and PSCI 1.0, writes into the console
    ring, and powers off; the VMM reports the memory it gave back."""
    out = ctx.boot_system("guest_probe", timeout=90)
    refuse(out, r"FAILED")
    expect(out,
           r"^\[probe\] vmm: probe: boot 1: kernel guest-probe at "
           r"0x40200000",
           r"^\[probe\] probe: probe: hello; RAM 16 MiB at 0x40000000, RMA "
           r"8 MiB, device tree at 0x40100000, PSCI 1\.0 \(hvc\), 1\.0 "
           r"\(smc\)$",
           r"^\[probe\] probe: probe: bootargs 'probe\.mode=hello "
           r"console=ttyAMA0'$",
           r"^\[probe\] probe: written to the console ring$",
           r"^\[probe\] vmm: probe: guest powered off \(PSCI SYSTEM_OFF\); "
           r"its memory returned: \d+ pages",
           r"^\[supervisor\] supervisor: probe exited with status 0$")


# ----------------------------------------------------------------- tests

def guest_two_isolated(ctx):
    """Two guests at once: each writes its marker all over its RAM and
    finds its own intact and the other's nowhere (and nothing but zeros
    past its RAM); a powers off while b keeps running, and a's memory
    comes back."""
    out = ctx.boot_system("guest_two", timeout=120)
    refuse(out, r"FAILED", r"not isolated")
    for me, other in (("a", "b"), ("b", "a")):
        expect(out,
               r"^\[%s\] probe: %s: wrote marker rift-guest-%s at 12 "
               r"places$" % (me, me, me),
               r"^\[%s\] probe: %s: own marker intact at 12 of 12 places; "
               r"other marker rift-guest-%s found 0 times$"
               % (me, me, other),
               r"^\[%s\] probe: %s: past the end of RAM reads 0x0$"
               % (me, me),
               r"^\[%s\] probe: %s: isolated$" % (me, me))
    off = re.search(r"^\[a\] vmm: a: guest powered off \(PSCI SYSTEM_OFF\); "
                    r"its memory returned: (\d+) pages", out, re.M)
    if not off:
        raise Failure("a did not power off")
    if int(off.group(1)) < 16 * 256:
        raise Failure("a's guest gave back %s pages: less than its 16 MiB"
                      % off.group(1))
    expect(out, r"^\[supervisor\] supervisor: a exited with status 0$",
           r"^\[supervisor\] supervisor: destroyed a: \d+ pages returned")
    alive = [m.start() for m in
             re.finditer(r"^\[b\] probe: b: alive \d+$", out, re.M)]
    if not alive or alive[-1] < off.start():
        raise Failure("b did not keep running after a powered off")
    expect(out, r"^\[b\] vmm: b: guest powered off",
           r"^\[supervisor\] supervisor: b exited with status 0$")


def bad_files_half(ctx):
    """Kernels that are no Image (cut short, an ELF file), a missing file,
    a guest that jumps to nowhere, one that hammers implementation-defined
    and unallocated system registers (it must survive), one that executes
    a page of pseudo-random words: each VMM says what happened and ends
    alone; a good guest after them runs."""
    out = ctx.boot_system("guest_bad", timeout=90)
    expect(out,
           r"^\[truncated\] vmm: truncated: guest kernel 'guest-truncated' "
           r"\(40 bytes\): shorter than the 64-byte arm64 Image header",
           r"^\[notimage\] vmm: notimage: guest kernel 'guest-notimage' "
           r"\(\d+ bytes\): not an arm64 Linux Image \(no \"ARM\\x64\" "
           r"magic at offset 56",
           r"^\[supervisor\] supervisor: cannot start missing: guest file "
           r"'guest-nosuchfile' is not in the boot archive$",
           r"^\[crash\] vmm: crash: guest crashed: instruction fetch from "
           r"unmapped guest-physical 0x10000000 at pc 0x10000000",
           r"^\[crash\] vmm: crash: guest crashed; its memory returned",
           r"^\[supervisor\] supervisor: crash exited with status 2$",
           r"^\[sysregs\] probe: sysregs: implementation-defined register: "
           r"\d+ reads answered as zero by the hypervisor, \d+ accesses "
           r"undefined; unallocated register: 1000 reads undefined$",
           r"^\[supervisor\] supervisor: sysregs exited with status 0$",
           r"^\[garbage\] probe: garbage: jumping into a page of "
           r"pseudo-random words$",
           r"^\[garbage\] vmm: garbage: guest crashed: ",
           r"^\[supervisor\] supervisor: garbage exited with status 2$",
           r"^\[good\] probe: good: hello",
           r"^\[supervisor\] supervisor: good exited with status 0$")


def linux_cut_half(ctx):
    """The Debian kernel cut to 8 MiB: its EFI header says it is longer."""
    cpio = linux_archive(ctx)
    s = start(ctx, "guest_linux_cut", cpio, 90)

    def check(s):
        s.wait_for(r"^\[linux\] vmm: linux: guest kernel 'guest-linux-cut' "
                   r"\(8388608 bytes\): truncated: the file ends before "
                   r"the kernel's last section")
        return finish(s)
    return run(s, check)


def guest_bad_image(ctx):
    """guest_bad_image: bad kernel files, garbage and undefined system
    registers give clear errors and leave rift running (through the VMM;
    test_60_guest.py's guest_garbage does the same against the kernel
    alone); then Debian's kernel cut to 8 MiB."""
    bad_files_half(ctx)
    linux_cut_half(ctx)


def linux_shell(s, boot=1):
    """Waits for boot @boot of the Debian guest to reach its shell."""
    s.wait_for(r"^\[linux\] vmm: linux: boot %d: kernel guest-linux at "
               r"0x40200000" % boot)
    s.wait_for(r"^\[linux\] \[ *[\d.]+\] Booting Linux on physical CPU "
               r"0x0+ ")
    s.wait_for(r"^\[linux\] rift-guest: initramfs up at [\d.]+ s: Linux "
               r"6\.1\.")
    s.wait_for(r"^\[linux\] rift-guest: shell on the console")


def guest_linux_boot(ctx):
    """The unmodified Debian kernel boots to the initramfs shell; uname -a
    and /proc/cpuinfo answer on the console; poweroff -f ends the guest,
    the VMM gives its memory back and rift shuts down cleanly."""
    cpio = linux_archive(ctx)
    s = start(ctx, "linux", cpio, LINUX_TIMEOUT)

    def check(s):
        linux_shell(s)
        s.type("uname -a\n")
        s.wait_for(r"^\[linux\] Linux \S+ 6\.1\.\d+-\d+-arm64 #1 SMP "
                   r"Debian .* aarch64 GNU/Linux$", 60)
        s.type("cat /proc/cpuinfo\n")
        s.wait_for(r"^\[linux\] processor\s*: 0$", 60)
        s.wait_for(r"^\[linux\] CPU implementer\s*: 0x41$", 30)
        s.wait_for(r"^\[linux\] CPU architecture: 8$", 30)
        s.type("poweroff -f\n")
        s.wait_for(r"^\[linux\] vmm: linux: guest powered off \(PSCI "
                   r"SYSTEM_OFF\); its memory returned: \d+ pages", 60)
        s.wait_for(r"^\[supervisor\] supervisor: linux exited with status "
                   r"0$", 30)
        s.wait_for(r"^\[supervisor\] supervisor: destroyed linux: \d+ pages "
                   r"returned", 30)
        out = finish(s)
        refuse(out, r"^\[linux\] .*(Kernel panic|Oops|BUG:|Unable to "
                    r"handle)",
               # Every exit of a Debian boot is one the VMM models.
               r"^\[linux\] vmm: linux: unhandled")
        return out
    run(s, check)


def guest_reboot(ctx):
    """PSCI SYSTEM_RESET reboots the guest: the probe guest asks for it on
    its first boot; Debian's `reboot -f` boots Linux again to its shell."""
    out = ctx.boot_system("guest_probe_reset", timeout=90)
    refuse(out, r"FAILED")
    expect(out, r"^\[probe\] probe: probe: boot 1$",
           r"^\[probe\] vmm: probe: guest reset \(PSCI SYSTEM_RESET\): "
           r"rebooting it; its memory returned: \d+ pages",
           r"^\[probe\] probe: probe: boot 2$",
           r"^\[supervisor\] supervisor: probe exited with status 0$")
    cpio = linux_archive(ctx)
    s = start(ctx, "linux", cpio, 2 * LINUX_TIMEOUT)

    def check(s):
        linux_shell(s, 1)
        s.type("reboot -f\n")
        s.wait_for(r"^\[linux\] vmm: linux: guest reset \(PSCI "
                   r"SYSTEM_RESET\): rebooting it", 60)
        linux_shell(s, 2)
        s.type("poweroff -f\n")
        s.wait_for(r"^\[linux\] vmm: linux: guest powered off", 60)
        return finish(s)
    run(s, check)


def guest_probe_smp(ctx):
    """PSCI through the VMM on two vCPUs: CPU_ON starts vCPU 1 with its
    context, CPU_OFF stops it, AFFINITY_INFO sees it off, CPU_ON works
    again; an online or missing vCPU is refused (ALREADY_ON, INVALID)."""
    out = ctx.boot_system("guest_probe_smp", timeout=90)
    refuse(out, r"FAILED")
    expect(out,
           r"^\[probe\] vmm: probe: 16 MiB of RAM .*, 2 vCPU\(s\)$",
           r"^\[probe\] probe: probe: CPU_ON of vCPU 0 \(on\): -4, of vCPU "
           r"5 \(none\): -2$",
           r"^\[probe\] probe: probe: vCPU 1 ran with context 0x1234 and is "
           r"off: AFFINITY_INFO 1$",
           r"^\[probe\] probe: probe: vCPU 1 ran with context 0x5678 and is "
           r"off: AFFINITY_INFO 1$",
           r"^\[probe\] probe: probe: two vCPUs: CPU_ON, CPU_OFF, CPU_ON "
           r"again$",
           r"^\[probe\] vmm: probe: guest powered off")


def guest_dt_printed(ctx):
    """make guest-dt (tools/guest/guest_dt.py and the host tool built from
    the VMM's own code) prints the tree a guest gets: for guest_probe, the
    same command line, RAM and /hypervisor node the probe reports."""
    import subprocess
    tool = os.path.join(ctx.build, "host", "tools", "guest_dt")
    res = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "guest",
                                                       "guest_dt.py"),
                          "--build", ctx.build, "--tool", tool, "--system",
                          "guest_probe"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=60)
    out = res.stdout.decode()
    if res.returncode != 0:
        raise Failure("guest_dt.py failed (%d): %s" % (res.returncode,
                                                        out[-500:]))
    expect(out, r"^/\* guest probe of guest_probe ",
           r"^/memreserve/\s+0x0000000040000000 0x0000000000200000;",
           r'^\s+bootargs = "probe\.mode=hello console=ttyAMA0";',
           r"^\s+reg = <0x00 0x40000000 0x00 0x1000000>;",
           r'^\s+compatible = "rift,hypervisor";',
           r"^\s+rift,rma = <0x00 0x40000000 0x00 0x800000>;",
           r'^\s+method = "hvc";')


def guest_any_kernel(ctx):
    """make run GUEST_KERNEL= GUEST_INITRD= GUEST_APPEND=: any Image (here
    the probe) with any initramfs boots in linux.dts, and the command
    line, quotes, backslashes and all, reaches /chosen/bootargs unchanged
    (the probe prints it back)."""
    import subprocess
    append = 'probe.mode=hello console=ttyAMA0 x="a b" \\y \'z\' $HOME'
    env = dict(os.environ,
               GUEST_KERNEL=os.path.join(ctx.build, "archive", "test",
                                         "guest-probe"),
               GUEST_INITRD=os.path.join(ctx.build, "archive", "test",
                                         "guest-truncated"),
               GUEST_APPEND=append)
    res = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "run",
                                                       "run_system.py"),
                          "--build", ctx.build, "--platform",
                          ctx.platform.name, "--timeout", "90"],
                         env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=150)
    out = res.stdout.decode("utf-8", "replace").replace("\r", "")
    if res.returncode != 0:
        raise Failure("make run with GUEST_* failed (%d): %s"
                      % (res.returncode, " | ".join(out.splitlines()[-6:])))
    expect(out, r"^  QEMU    tests/system/linux\.dts from run\.cpio",
           r"^\[linux\] vmm: linux: boot 1: kernel guest-linux at "
           r"0x40200000 \(\d+ bytes\), initramfs guest-initrd at "
           r"0x40400000 \(40 bytes\)",
           r"^\[linux\] vmm: linux: guest powered off")
    want = "[linux] probe: linux: bootargs '%s'" % append
    if want not in out.splitlines():
        raise Failure("bootargs changed on the way: wanted %r; got %r"
                      % (want, [l for l in out.splitlines()
                                if "bootargs" in l]))


TESTS = [guest_probe_hello, guest_probe_smp, guest_dt_printed,
         guest_any_kernel, guest_two_isolated, guest_bad_image,
         guest_linux_boot, guest_reboot]
