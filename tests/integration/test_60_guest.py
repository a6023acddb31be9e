"""Guests, kernel side (issue 12): vCPUs, stage 2, exits to a VMM, virtual
interrupts. One boot of tests/system/guest.dts runs the bare-metal test
guest (tests/domains/guest/guest_main.c) through every scenario under the
small test VMM (tests/domains/guest/gvmm.c); each test checks its lines.
The Linux guest tests (guest_linux_boot, guest_bad_image, ...) belong to
the VMM (drivers-domain/vmm/)."""
import re

from integration import Failure, clean_exit, expect, refuse


def guest_output(ctx):
    """The output of the one boot of the guest system (cached)."""
    if "guest" not in ctx.cache:
        try:
            ctx.cache["guest"] = ctx.boot_system("guest", timeout=120)
        except Failure as e:
            ctx.cache["guest"] = e
    out = ctx.cache["guest"]
    if isinstance(out, Failure):
        raise Failure("the guest system failed: %s" % out)
    return out


def guest_enter_exit(ctx):
    """A vCPU enters the guest at EL1 and its exits reach the VMM; it powers
    off through PSCI and the VMM stops it."""
    out = guest_output(ctx)
    expect(out, r"^\[gvmm\] guest gbasic: hello from the test guest at EL1$",
           r"^\[gvmm\] guest gbasic: power off \(\d+ MMIO exits\)$",
           r"^\[gvmm\] gvmm: done$")


def guest_mmio(ctx):
    """MMIO exits carry the decoded access (size, sign extension, register,
    direction, value) and the reply completes loads of every size."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest gbasic: mmio ok: 8 reads and 5 writes decoded "
           r"and completed$",
           r"^\[gvmm\] guest gbasic: sysreg ok: CNTP_CTL_EL0 read answered "
           r"by the VMM$")


def guest_hvc(ctx):
    """HVC and SMC (trapped by HCR_EL2.TSC, never answered by QEMU behind
    the VMM's back) go to the VMM; the reply sets up to four registers."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest gbasic: smc from the guest: function 84000000 "
           r"\(HCR_EL2.TSC\)$",
           r"^\[gvmm\] guest gbasic: hvc ok: PSCI 1.1 through the VMM, 4 "
           r"result registers$")


def guest_stage2_isolation(ctx):
    """Two guests at once: neither sees the other's RAM, nothing outside
    its stage 2 reaches memory; one powers off and is destroyed while the
    other keeps running."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest giso-a: guest 0xaaaa: my RAM at the marker "
           r"holds 0x0$",
           r"^\[gvmm\] guest giso-b: guest 0xbbbb: my RAM at the marker "
           r"holds 0x0$",
           r"^\[gvmm\] guest giso-b: guest 0xbbbb: 8 reads outside my RAM "
           r"were exits, none reached memory$",
           r"^\[gvmm\] isolation: guest B powered off and destroyed while "
           r"guest A lives; 8 \+ 8 reads outside guest RAM were exits$",
           r"^\[gvmm\] guest giso-a: guest 0xaaaa: woken, my marker intact "
           r"after the other guest ran$")


def guest_stage2_blocks(ctx):
    """The boot log states the stage-2 blocks each guest got: its 64 MiB
    RMA as 2 MiB blocks, a 4 KiB page only where asked; a 1 GiB frame at a
    1 GiB-aligned IPA is one 1 GiB block."""
    expect(guest_output(ctx),
           r"^guest gbasic: vmid \d+, RMA 64 MiB at 40000000, stage 2: "
           r"0 x 1 GiB, 33 x 2 MiB, 1 x 4 KiB blocks$",
           r"^guest gvtimer: vmid \d+, RMA 64 MiB at 40000000, stage 2: "
           r"0 x 1 GiB, 32 x 2 MiB, 0 x 4 KiB blocks$")
    res = ctx.boot(initrd=ctx.test_cpio, mem="3G", timeout=120,
                   bootargs="rift.system=guest_big")
    clean_exit(res)
    refuse(res.output, r"PANIC", r"FAILED")
    expect(res.output,
           r"^guest gbig: vmid \d+, RMA 64 MiB at 40000000, stage 2: "
           r"1 x 1 GiB, 33 x 2 MiB, 1 x 4 KiB blocks$",
           r"^\[gvmm\] guest gbig: ram ok: 2 MiB and 4 KiB frames$",
           r"^rift: supervisor exited with status 0$")


def guest_vtimer(ctx):
    """The guest's EL1 virtual timer interrupt (INTID 27) is injected."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest gvtimer: vtimer ok: 5 virtual timer interrupts "
           r"\(INTID 27\) in \d+ us$")


def guest_vtimer_two(ctx):
    """Two guests run their virtual timers at once on one CPU: each vCPU's
    EL1 and timer state is saved while the other runs and its timer is
    watched by the kernel tick; both get all their interrupts."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest gtime-a: vtimer ok: 5 virtual timer interrupts "
           r"\(INTID 27\) in \d+ us$",
           r"^\[gvmm\] guest gtime-b: vtimer ok: 5 virtual timer interrupts "
           r"\(INTID 27\) in \d+ us$",
           r"^\[gvmm\] two timers: both guests took their timer interrupts$")


def guest_many_irqs(ctx):
    """Twelve interrupts pending at once through four list registers: all
    delivered, in priority order."""
    expect(guest_output(ctx),
           r"^\[gvmm\] guest girqs: irqs ok: 12 interrupts pending at once, "
           r"all taken in order 40..51$",
           r"^guests: stage 2 with 16-bit VMIDs, 4 list registers, "
           r"maintenance INTID 25, virtual timer INTID 27$")


def guest_wfi(ctx):
    """WFI blocks the vCPU until an interrupt (here its timer, masked in the
    guest) instead of spinning through exits."""
    out = guest_output(ctx)
    m = re.search(r"^\[gvmm\] guest gwfi: wfi ok: blocked (\d+) ms until the "
                  r"timer, (\d+) wake-up\(s\)$", out, re.M)
    if not m:
        raise Failure("no WFI result line")
    if int(m.group(1)) < 9 or int(m.group(2)) > 3:
        raise Failure("WFI: %s ms, %s wake-ups" % m.groups())


def guest_garbage(ctx):
    """A guest that hammers undefined system registers gets undefined-
    instruction exceptions back (those that trap go to the VMM first); its
    attempts at the host's debug state (single-step, OS lock) and the PMU
    trap and are refused, and the VMM keeps running after them; one
    that jumps into garbage with its vectors at an unmapped IPA exits with
    an instruction abort, is stopped and destroyed, and the next guest
    runs."""
    out = guest_output(ctx)
    expect(out,
           r"^\[gvmm\] guest gbad: hammered 2000 undefined system registers: "
           r"2000 undefined-instruction exceptions came back$",
           r"^\[gvmm\] guest gbad: debug and PMU registers: 3 of 3 accesses "
           r"undefined$",
           r"^\[gvmm\] garbage: 1003 trapped system register exits answered "
           r"with an undefined-instruction exception; rift keeps running$",
           r"^\[gvmm\] guest gbad: instruction abort at pc 80000200, address "
           r"80000200 \(syndrome [0-9a-f]+\): guest stopped$",
           r"^\[gvmm\] guest gagain: power off")


def guest_destroy(ctx):
    """Destroying guest domains returns all their memory and their VMIDs."""
    out = guest_output(ctx)
    m = re.search(r"^\[gvmm\] destroy: pool (\d+) pages after the first "
                  r"guest, (\d+) after all 10, (\d+) after one more; that "
                  r"guest got vmid (\d+) \(the first guest's: (\d+)\)$",
                  out, re.M)
    if not m:
        raise Failure("no destroy line")
    a, b, c, v1, v2 = (int(x) for x in m.groups())
    if not a == b == c:
        raise Failure("pool not back: %d, %d, %d pages" % (a, b, c))
    if v1 != v2:
        raise Failure("VMID %d not reused (first %d)" % (v1, v2))
    m = re.search(r"^\[supervisor\] supervisor: destroyed gvmm: \d+ pages "
                  r"returned; free pages (\d+) before create, (\d+) after "
                  r"destroy$", out, re.M)
    if not m or m.group(1) != m.group(2):
        raise Failure("machine free pages not back after the VMM")


def guest_memory_pool(ctx):
    """Memory a domain carves itself (RIFT_SYS_CAP_CARVE on a frame): the
    VMM allocates one 4 MiB frame once and gives two guests in turn a
    2 MiB block and a 4 KiB page carved from it; each guest's stage 2 maps
    them as one 2 MiB block and one page, the guest uses them, and the
    pool outlives both guests."""
    out = ctx.boot_system("guest_pool", timeout=120)
    for name in ("gpool1", "gpool2"):
        expect(out,
               r"^guest %s: vmid \d+, RMA 64 MiB at 40000000, stage 2: "
               r"0 x 1 GiB, 33 x 2 MiB, 1 x 4 KiB blocks$" % name,
               r"^\[gvmm\] guest %s: ram ok: 2 MiB and 4 KiB frames$" % name)
    expect(out, r"^\[gvmm\] gvmm: guest RAM carved from the VMM's 4 MiB "
                r"pool, given to two guests in turn; the pool outlived both$")


TESTS = [guest_enter_exit, guest_mmio, guest_hvc, guest_stage2_isolation,
         guest_stage2_blocks, guest_vtimer, guest_vtimer_two,
         guest_many_irqs, guest_wfi,
         guest_garbage, guest_destroy, guest_memory_pool]
