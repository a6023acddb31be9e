"""QEMU integration tests. Each test boots the real image and checks what it
printed on the serial line. A test returns None on success or a reason
string; it may also raise Failure."""
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
        self.boot_cpio = os.path.join(build, "boot.cpio")
        self.test_cpio = os.path.join(build, "test.cpio")
        self.work = os.path.join(build, "test-work")
        os.makedirs(self.work, exist_ok=True)

    def boot(self, extra=(), mem="1G", smp=1, bootargs=None, machine=None,
             timeout=BOOT_TIMEOUT, dtb=None, initrd=None):
        args = self.platform.base_args(machine) + [
            "-m", mem, "-smp", str(smp), "-kernel", self.kernel]
        if bootargs:
            args += ["-append", bootargs]
        if dtb:
            args += ["-dtb", dtb]
        if initrd:
            args += ["-initrd", initrd]
        args += list(extra)
        res = qemu.run(args, timeout)
        if res.timed_out:
            raise Failure("QEMU did not finish within %d s (killed); last "
                          "output: %s" % (timeout, last_lines(res.output)))
        return res


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
            raise Failure("unexpected %r in output" % m.group(0))


def clean_exit(res):
    """QEMU stopped because the kernel powered off (PSCI), not a crash."""
    if res.returncode != 0:
        raise Failure("QEMU exited with status %d: %s"
                      % (res.returncode, last_lines(res.output)))


# ---------------------------------------------------------------- tests

def boot_banner(ctx):
    res = ctx.boot()
    clean_exit(res)
    out = res.output
    refuse(out, r"PANIC")
    expect(out,
           r"^rift \S+ on qemu-virt \(aarch64\)$",
           r"^rift: running at EL2, VHE on \(HCR_EL2\.E2H=1, TGE=1\)$",
           r"^cpus: 1 in the device tree$",
           r"^cpu0: mpidr 0, node 0, online \(boot\)$",
           r"^memory: node 0: 1024 MiB in 1 range\(s\), \d+ MiB free",
           r"^device: pl011@9000000 \(arm,pl011\)$",
           r"^device: intc@8000000 \(arm,gic-v3\)$",
           r"^device: pcie@10000000 \(pci-host-ecam-generic\)$",
           r"^device: smmuv3@9050000 \(arm,smmu-v3\)$",
           r"^gicv3: distributor 8000000, \d+ SPIs, redistributor 80a0000$",
           r"^rift: system off$")


def numa_two_nodes(ctx):
    extra = ["-object", "memory-backend-ram,id=m0,size=512M",
             "-object", "memory-backend-ram,id=m1,size=512M",
             "-numa", "node,nodeid=0,cpus=0,memdev=m0",
             "-numa", "node,nodeid=1,cpus=1,memdev=m1",
             "-numa", "dist,src=0,dst=1,val=25"]
    res = ctx.boot(extra, mem="1G", smp=2)
    clean_exit(res)
    out = res.output
    refuse(out, r"PANIC")
    expect(out,
           r"^cpus: 2 in the device tree$",
           r"^cpu0: mpidr 0, node 0, online \(boot\)$",
           r"^cpu1: mpidr 1, node 1, parked$",
           r"^memory: node 0: 512 MiB in 1 range\(s\)",
           r"^memory: node 1: 512 MiB in 1 range\(s\)",
           r"^numa: 2 node\(s\), distance matrix:$",
           r"^numa:\s+0\s+10\s+25$",
           r"^numa:\s+1\s+25\s+10$")


def linear_map_blocks(ctx):
    """1 GiB + 6 MiB of RAM at 1 GiB: one 1G block and three 2M blocks."""
    res = ctx.boot(mem="1030M")
    clean_exit(res)
    expect(res.output,
           r"^mmu: linear map of RAM: 1 x 1G, 3 x 2M, 0 x 4K blocks")


def corrupt_dtb(ctx):
    """QEMU's own tree with one property name offset pointed outside the
    strings block: QEMU accepts it, a full check must not."""
    good = os.path.join(ctx.work, "virt.dtb")
    bad = os.path.join(ctx.work, "virt-bad.dtb")
    machine = ctx.platform.vars["QEMU_MACHINE"] + ",dumpdtb=" + good
    res = qemu.run(ctx.platform.base_args(machine) + ["-m", "1G"], 30)
    if res.timed_out or not os.path.exists(good):
        raise Failure("could not dump QEMU's device tree: %s"
                      % last_lines(res.output))
    d = bytearray(open(good, "rb").read())
    off_struct, = struct.unpack(">I", d[8:12])
    size_struct, = struct.unpack(">I", d[36:40])
    pos = (off_struct + size_struct - 64) & ~3
    while struct.unpack(">I", d[pos:pos + 4])[0] != 3:  # FDT_PROP
        pos -= 4
    d[pos + 8:pos + 12] = struct.pack(">I", 0x7ffffff0)
    open(bad, "wb").write(d)
    return bad


def panic_on_bad_dtb(ctx):
    res = ctx.boot(dtb=corrupt_dtb(ctx))
    clean_exit(res)
    expect(res.output,
           r"^PANIC: device tree at 0x[0-9a-f]+ is corrupt: "
           r"FDT_ERR_BADOFFSET$",
           r"^  backtrace")
    refuse(res.output, r"^rift: system off$", r"^heartbeat:")


def panic_on_kernel_fault(ctx):
    """A kernel data abort prints the decoded dump and powers off."""
    res = ctx.boot(bootargs="rift.selftest=fault")
    clean_exit(res)
    out = res.output
    expect(out,
           r"^PANIC: unexpected exception in the kernel: data abort, same "
           r"EL \(EC 0x25\)$",
           r"^  translation fault, write access at 0000dead0000beef$",
           r"^  ESR [0-9a-f]{16}  FAR 0000dead0000beef$",
           r"^  ELR [0-9a-f]{16}  SPSR [0-9a-f]{16}$",
           r"^  x0  [0-9a-f]{16}  x1  [0-9a-f]{16}$",
           r"^  x30 [0-9a-f]{16}  sp  [0-9a-f]{16}$",
           r"^    #1 ffffffff8[0-9a-f]{7}$")
    refuse(out, r"^rift: system off$")


def timer_ticks(ctx):
    res = ctx.boot(bootargs="rift.ticks=50")
    clean_exit(res)
    m = re.search(r"^heartbeat: (\d+) timer ticks in (\d+) ms, (\d+) "
                  r"unhandled", res.output, re.M)
    if not m:
        raise Failure("no heartbeat line; last lines: %s"
                      % last_lines(res.output))
    ticks, ms = int(m.group(1)), int(m.group(2))
    if ticks != 50:
        raise Failure("expected 50 ticks, got %d" % ticks)
    # 50 ticks of a 100 Hz timer span at least 49 periods of counter time.
    if ms < 490:
        raise Failure("50 ticks took %d ms of counter time: the tick is "
                      "faster than 100 Hz" % ms)


TESTS = [boot_banner, numa_two_nodes, linear_map_blocks, timer_ticks,
         panic_on_bad_dtb, panic_on_kernel_fault]


# ---------------------------------------------------------------- domains
# These boot the test archive; rift.system=<name> makes the supervisor use
# tests/system/<name>.dts.

def boot_system(ctx, name, timeout=BOOT_TIMEOUT, extra_args=""):
    res = ctx.boot(initrd=ctx.test_cpio, timeout=timeout,
                   bootargs=("rift.system=%s %s" % (name, extra_args)).strip())
    clean_exit(res)
    refuse(res.output, r"PANIC", r"FAILED", r"^\[\w+\] rift-rt: ")
    expect(res.output, r"^rift: supervisor exited with status 0$")
    return res.output


def musl_hello(ctx):
    out = boot_system(ctx, "musl_hello")
    expect(out,
           r"^\[hello\] hello from hello: argc=2, pid=\d+$",
           r"^\[hello\] touched 16384 pages of 64 MiB, checksum 2088960,",
           r"^\[supervisor\] supervisor: hello exited with status 3$")


def ipc_pingpong(ctx):
    out = boot_system(ctx, "pingpong")
    expect(out, r"^\[ping\] pingpong: 10000 round trips, every payload "
                r"word verified$",
           r"^\[supervisor\] supervisor: ping exited with status 0$")


def ipc_cap_transfer(ctx):
    out = boot_system(ctx, "captransfer")
    expect(out,
           r"^\[capserver\] captransfer server: frame received, 1024 "
           r"words checked$",
           r"^\[capclient\] captransfer: frame passed, written through by "
           r"the server, answer verified$",
           r"^\[supervisor\] supervisor: capclient exited with status 0$")


def notification_signal(ctx):
    out = boot_system(ctx, "notify")
    expect(out, r"^\[waiter\] notify waiter: 1000 signals, 1000 wake-ups, "
                r"badge 0x1 each$",
           r"^\[supervisor\] supervisor: signaller exited with status 0$")


def fault_isolation(ctx):
    out = boot_system(ctx, "fault")
    expect(out,
           r"^\[supervisor\] supervisor: crasher faulted: data abort at "
           r"0xdead0000, pc 0x4[0-9a-f]+ \(syndrome 0x[0-9a-f]+\)$",
           r"^\[supervisor\] supervisor: restarting crasher \(2 of 2\)$",
           r"^\[ticker\] ticker: finished all rounds$",
           r"^\[supervisor\] supervisor: ticker exited with status 0$")
    crashes = re.findall(r"^\[supervisor\] supervisor: crasher faulted",
                         out, re.M)
    if len(crashes) != 3:
        raise Failure("expected 3 crasher faults (first run + 2 restarts), "
                      "saw %d" % len(crashes))


def syscall_hostile(ctx):
    out = boot_system(ctx, "hostile", timeout=120)
    expect(out, r"^\[hostile\] hostile: targeted attacks refused$",
           r"^\[hostile\] hostile: 100000 random system calls: \d+ "
           r"refused, \d+ harmless; kernel still up$",
           r"^\[supervisor\] supervisor: hostile exited with status 0$")


def domain_destroy_no_leak(ctx):
    """A domain that mallocs 64 MiB, run three times: after each destroy the
    machine's free page count is exactly what it was before the create."""
    out = boot_system(ctx, "leak")
    rows = re.findall(r"^\[supervisor\] supervisor: destroyed hello: free "
                      r"pages (\d+) before create, (\d+) after destroy$",
                      out, re.M)
    if len(rows) != 3:
        raise Failure("expected 3 create/destroy cycles, saw %d" % len(rows))
    for before, after in rows:
        if before != after:
            raise Failure("free pages %s before create, %s after destroy: "
                          "%d pages lost" % (before, after,
                                             int(before) - int(after)))


TESTS += [musl_hello, ipc_pingpong, ipc_cap_transfer, notification_signal,
          fault_isolation, syscall_hostile, domain_destroy_no_leak]
