"""Kernel foundation: boot, memory, device tree, timer, panics."""
import os
import re
import struct

import qemu
from integration import Failure, clean_exit, expect, last_lines, refuse

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
           r"^PANIC: device tree at 0x[0-9a-f]+ is corrupt: property "
           r"length or name offset out of range$",
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


def irq_trigger_modes(ctx):
    """A spare SPI configured edge, then level, through the distributor:
    the trigger reads back as set, and each pend is delivered once (two
    pends before delivery collapse into one). User-level delivery of a
    level interrupt from a real device is irq_delivery (test_30_pci.py);
    QEMU virt has no edge-triggered device a domain can drive."""
    res = ctx.boot(bootargs="rift.selftest=irq")
    clean_exit(res)
    out = res.output
    refuse(out, r"PANIC")
    for mode in ("edge", "level"):
        expect(out,
               r"^selftest: irq 100 configured %s, reads back %s$"
               % (mode, mode),
               r"^selftest: irq 100 %s: 3 pends \(1, then 2 at once\), 2 "
               r"deliveries$" % mode)


TESTS = [boot_banner, irq_trigger_modes, numa_two_nodes, linear_map_blocks, timer_ticks,
         panic_on_bad_dtb, panic_on_kernel_fault]


