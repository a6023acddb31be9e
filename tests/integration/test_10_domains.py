"""User domains, capabilities, IPC and the supervisor."""
import os
import re

import elf
from integration import (BOOT_TIMEOUT, Failure, clean_exit, expect,
                         refuse)


def check_in_text(ctx, image, what, addr):
    """@addr (a reported fault address) lies in the text of the domain
    ELF @image as linked: GNU ld and lld choose different image bases."""
    path = os.path.join(ctx.build, "domains", image)
    try:
        ranges = elf.text_ranges(path)
    except (OSError, elf.ElfError) as e:
        raise Failure("cannot read the text segment of %s: %s" % (path, e))
    if not any(lo <= addr < hi for lo, hi in ranges):
        raise Failure("%s 0x%x is outside the text of %s (%s)" % (
            what, addr, path, ", ".join("0x%x-0x%x" % r for r in ranges)))

def musl_hello(ctx):
    out = ctx.boot_system( "musl_hello")
    expect(out,
           r"^\[hello\] hello from hello: argc=2, pid=\d+$",
           r"^\[hello\] touched 16384 pages of 64 MiB, checksum 2088960,",
           r"^\[supervisor\] supervisor: hello exited with status 3$")


def ipc_pingpong(ctx):
    out = ctx.boot_system( "pingpong")
    expect(out, r"^\[ping\] pingpong: 10000 round trips, every payload "
                r"word verified$",
           r"^\[supervisor\] supervisor: ping exited with status 0$")


def ipc_cap_transfer(ctx):
    out = ctx.boot_system( "captransfer")
    expect(out,
           r"^\[capserver\] captransfer server: frame received, 1024 "
           r"words checked$",
           r"^\[capclient\] captransfer: frame passed, written through by "
           r"the server, answer verified$",
           r"^\[supervisor\] supervisor: capclient exited with status 0$")


def notification_signal(ctx):
    out = ctx.boot_system( "notify")
    expect(out, r"^\[waiter\] notify waiter: 1000 signals, 1000 wake-ups, "
                r"badge 0x1 each$",
           r"^\[supervisor\] supervisor: signaller exited with status 0$")


def fault_isolation(ctx):
    out = ctx.boot_system( "fault")
    expect(out,
           r"^\[supervisor\] supervisor: restarting crasher \(2 of 2\)$",
           r"^\[ticker\] ticker: finished all rounds$",
           r"^\[supervisor\] supervisor: ticker exited with status 0$")
    crashes = re.findall(r"^\[supervisor\] supervisor: crasher faulted",
                         out, re.M)
    if len(crashes) != 3:
        raise Failure("expected 3 crasher faults (first run + 2 restarts), "
                      "saw %d" % len(crashes))
    pcs = re.findall(r"^\[supervisor\] supervisor: crasher faulted: data "
                     r"abort at 0xdead0000, pc 0x([0-9a-f]+) \(syndrome "
                     r"0x[0-9a-f]+\)$", out, re.M)
    if len(pcs) != 3:
        raise Failure("expected 3 data aborts at 0xdead0000 with a pc, saw "
                      "%d" % len(pcs))
    for pc in pcs:
        check_in_text(ctx, "crasher", "crasher's faulting pc", int(pc, 16))


def syscall_hostile(ctx):
    out = ctx.boot_system( "hostile", timeout=120)
    expect(out, r"^\[hostile\] hostile: targeted attacks refused$",
           r"^\[hostile\] hostile: 1000000 random system calls: \d+ "
           r"refused, \d+ harmless; kernel still up$",
           r"^\[supervisor\] supervisor: hostile exited with status 0$")


def domain_destroy_no_leak(ctx):
    """A domain that mallocs 64 MiB, run three times: after each destroy the
    machine's free page count is exactly what it was before the create."""
    out = ctx.boot_system( "leak")
    rows = re.findall(r"^\[supervisor\] supervisor: destroyed hello: \d+ "
                      r"pages returned; free pages (\d+) before create, "
                      r"(\d+) after destroy$", out, re.M)
    if len(rows) != 3:
        raise Failure("expected 3 create/destroy cycles, saw %d" % len(rows))
    for before, after in rows:
        if before != after:
            raise Failure("free pages %s before create, %s after destroy: "
                          "%d pages lost" % (before, after,
                                             int(before) - int(after)))


def preemption(ctx):
    """A domain that never enters the kernel does not starve its peers."""
    out = ctx.boot_system("preempt")
    expect(out, r"^\[spinner\] spinner: spinning$",
           r"^\[ticker\] ticker: finished all rounds$",
           r"^\[supervisor\] supervisor: ticker exited with status 0$")


def fp_state_switch(ctx):
    """Two domains' vector registers survive yields and preemption."""
    out = ctx.boot_system("fp")
    for name, seed in (("fpa", "0x1111000000000000"),
                       ("fpb", "0x2222000000000000")):
        expect(out, r"^\[%s\] fpcheck %s: 200 rounds, all 32 vector "
                    r"registers intact, thread pointer kept$" % (name, seed))


def revoke_on_destroy(ctx):
    """A copy derived from a destroyed domain's frame disappears from the
    domain that received it, mapping included."""
    out = ctx.boot_system("revoke")
    expect(out, r"^\[holder\] revoke holder: holding the owner's frame",
           r"^\[holder\] revoke holder: copy revoked when its owner was "
           r"destroyed, mapping gone$")
    # Destruction is preemptible: the holder may see its copy go before
    # the supervisor has finished (and reported) the whole teardown, but
    # never before the owner stopped and its destruction began.
    if out.index("supervisor: owner exited") > out.index("copy revoked"):
        raise Failure("the copy went before its owner was destroyed")
    expect(out, r"^\[supervisor\] supervisor: destroyed owner: ")


def linux_enosys_logged_once(ctx):
    res = ctx.boot(initrd=ctx.test_cpio, bootargs="rift.system=linuxcalls")
    clean_exit(res)
    out = res.output
    expect(out, r"^\[linuxcalls\] linuxcalls: fopen failed with ENOSYS "
                r"three times$")
    logs = re.findall(r"^\[linuxcalls\] rift-rt: unsupported Linux system "
                      r"call 56 \(openat\)$", out, re.M)
    if len(logs) != 1:
        raise Failure("expected the unsupported call logged once, saw %d"
                      % len(logs))


def undefined_instruction_fault(ctx):
    out = ctx.boot_system("fault")
    m = re.search(r"^\[supervisor\] supervisor: undef faulted: undefined "
                  r"instruction at 0x([0-9a-f]+), pc 0x([0-9a-f]+) ", out,
                  re.M)
    if not m:
        expect(out, r"^\[supervisor\] supervisor: undef faulted: undefined "
                    r"instruction at 0x[0-9a-f]+, pc 0x[0-9a-f]+ ")
    check_in_text(ctx, "crasher", "undef's fault address", int(m.group(1), 16))
    check_in_text(ctx, "crasher", "undef's faulting pc", int(m.group(2), 16))


def dead_server_fails_calls(ctx):
    """A client of a server that exited for good gets an error, no hang."""
    out = ctx.boot_system("oneshot")
    expect(out, r"^\[server\] oneshot server: answered once, exiting$",
           r"^\[supervisor\] supervisor: channel once closed: its server "
           r"server is gone$",
           r"^\[client\] oneshot client: first call served, second failed "
           r"with -\d+$")


def sysdesc_names(ctx):
    """A system wired by names only: programs find their channel ends by
    name, the server names each caller from its badge (a second end of one
    domain as "domain:name"); a description that asks for a name it does
    not give is refused before anything is built, naming the domain and
    the name."""
    out = ctx.boot_system("sysdesc_names")
    expect(out,
           r"^\[greeter\] names: client alice has badge 1$",
           r"^\[greeter\] names: client bob has badge 2$",
           r"^\[greeter\] names: client bob:spare has badge 3$",
           r"^\[greeter\] names: call from alice \(alice via greet\)$",
           r"^\[greeter\] names: call from bob \(bob via greet\)$",
           r"^\[greeter\] names: call from bob:spare \(bob via spare\)$",
           r"^\[alice\] names: alice called by name, badge 1$",
           r"^\[bob\] names: bob called by name, badge 2$",
           r"^\[supervisor\] supervisor: all domains finished")
    res = ctx.boot(initrd=ctx.test_cpio, bootargs="rift.system=sysdesc_refused")
    clean_exit(res)
    expect(res.output,
           r"^\[supervisor\] supervisor: system-sysdesc_refused.dtb: "
           r"/domains/alice: domain alice needs a capability named 'greeet', "
           r"which the description does not give it \(it gets: greet\)$",
           r"^rift: supervisor exited with status 1$")
    refuse(res.output, r"supervisor: started ")


def malloc_to_quota(ctx):
    """With default settings a domain can malloc up to its quota in 1 MiB
    pieces (cap-slots scale with the quota); when it cannot, the runtime
    names the limit it hit: cap-slots, or the memory quota."""
    res = ctx.boot(initrd=ctx.test_cpio, bootargs="rift.system=malloc")
    clean_exit(res)
    out = res.output
    expect(out,
           r"^\[quota\] memhog: 56 MiB in 56 pieces of 1024 KiB$",
           r"^\[slots\] rift-rt: mem: out of capability slots: the \d+ it "
           r"may use \(cap-slots less the program image's\) are all taken",
           r"^\[slots\] memhog: malloc\(1024 KiB\) failed after \d+ KiB",
           r"^\[small\] rift-rt: mem: out of memory: the domain's quota "
           r"\(memory in the system description\) is used up",
           r"^\[small\] memhog: malloc\(1024 KiB\) failed after \d+ KiB",
           r"^rift: supervisor exited with status 0$")
    refuse(out, r"^\[quota\] rift-rt: ", r"PANIC", r"FAILED")


def device_ranges(ctx):
    """`device = <ranges>` and `irq-control = <first count>` give a domain
    capabilities carved from the supervisor's: frames and interrupts inside
    are granted, outside refused."""
    out = ctx.boot_system("device_ranges")
    expect(out, r"^\[devrange\] devrange: ranged device and irq-control "
                r"hold$")


TESTS = [sysdesc_names, malloc_to_quota, device_ranges, preemption, dead_server_fails_calls, fp_state_switch, revoke_on_destroy,
         linux_enosys_logged_once, undefined_instruction_fault, musl_hello, ipc_pingpong, ipc_cap_transfer, notification_signal,
          fault_isolation, syscall_hostile, domain_destroy_no_leak]
