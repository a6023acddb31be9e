"""The platform register server (drivers-domain/platform, docs/platforms.md):
wall-clock time in every domain, the power button's orderly shutdown, and
the server's restart. Test program: tests/domains/platform/timecheck.c;
descriptions: tests/system/platform_*.dts. The Shub 1 backend is tested on
the host against a register model (tests/unit/test_plat_shub1.c)."""
import re
import time

from integration import Failure, expect, refuse

# How far a domain's clock may be from the host's (QEMU's PL031 follows
# the host clock; boot and the test's own timing add a little).
TOLERANCE = 5


def in_order(out, patterns):
    """Each regex matches a line after the previous one's."""
    pos = 0
    for p in patterns:
        m = re.compile(p, re.M).search(out, pos)
        if not m:
            raise Failure("missing /%s/ after position %d (in order)"
                          % (p, pos))
        pos = m.end()


def near_host(value, before, after, what):
    if not before - TOLERANCE <= value <= after + TOLERANCE:
        raise Failure("%s = %d, but the host clock read %d..%d during the "
                      "run" % (what, value, int(before), int(after)))


def platform_rtc(ctx):
    """A domain's time() and CLOCK_REALTIME (through the wall-clock page)
    and the server's wall_clock (through the PL031) match the host's
    clock within a few seconds; the qemu-virt backend was chosen from the
    device tree; register operations are refused where the kernel does
    them, and shutdown requests from clients not named."""
    before = time.time()
    out = ctx.boot_system("platform_rtc")
    after = time.time()
    expect(out,
           r"^\[platform\] platform: backend qemu-virt for board "
           r"linux,dummy-virt: 1 nodes, 1 CPUs; features: rtc power-button$",
           r"^\[timecheck\] timecheck: backend qemu-virt, board "
           r"linux,dummy-virt, features 0x3$",
           r"^\[timecheck\] timecheck: topology: 1 nodes, 1 CPUs$",
           r"^\[timecheck\] timecheck: node 0: 1 CPUs, 1024 MiB in 1 ranges "
           r"at 0x40000000; distances 10; cpus 0$",
           r"^\[timecheck\] timecheck: ipi: RIFT_ENOSYS",
           r"^\[timecheck\] timecheck: request_shutdown: RIFT_EPERM",
           r"^\[supervisor\] supervisor: timecheck exited with status 0$")
    for what, rx in (("time()", r"time\(\) = (\d+)$"),
                     ("CLOCK_REALTIME", r"CLOCK_REALTIME = (\d+)\.\d+$"),
                     ("wall_clock", r"wall_clock = (\d+)\.\d+$")):
        m = re.search(r"^\[timecheck\] timecheck: " + rx, out, re.M)
        if not m:
            raise Failure("timecheck printed no %s" % what)
        near_host(int(m.group(1)), before, after, what)
    # Without the page the runtime would count from boot (a few seconds).
    m = re.search(r"time\(\) = (\d+)$", out, re.M)
    if int(m.group(1)) < 1000000000:
        raise Failure("time() counts from boot: %s" % m.group(1))


def platform_topology(ctx):
    """The node topology from the device tree: QEMU with two NUMA nodes
    (one CPU and 512 MiB each, distance 25) as platform.idl reports it."""
    extra = ["-smp", "2",
             "-object", "memory-backend-ram,id=m0,size=512M",
             "-object", "memory-backend-ram,id=m1,size=512M",
             "-numa", "node,nodeid=0,cpus=0,memdev=m0",
             "-numa", "node,nodeid=1,cpus=1,memdev=m1",
             "-numa", "dist,src=0,dst=1,val=25"]
    out = ctx.boot_system("platform_rtc", extra=extra)
    expect(out,
           r"^\[platform\] platform: backend qemu-virt for board "
           r"linux,dummy-virt: 2 nodes, 2 CPUs; ",
           r"^\[timecheck\] timecheck: topology: 2 nodes, 2 CPUs$",
           r"^\[timecheck\] timecheck: node 0: 1 CPUs, 512 MiB in 1 ranges "
           r"at 0x40000000; distances 10 25; cpus 0$",
           r"^\[timecheck\] timecheck: node 1: 1 CPUs, 512 MiB in 1 ranges "
           r"at 0x60000000; distances 25 10; cpus 0x1$")


def platform_powerdown(ctx):
    """Once the power button is armed and a guest runs (the probe guest
    under vmm0, which stays up), QEMU's system_powerdown on the monitor
    presses the PL061 power key: the platform server tells the supervisor,
    which powers off the guest first, stops every domain in reverse order
    and powers the machine off; QEMU exits with status 0. (The guest keeps
    the CPU busy, so the server's lowest-priority refiner of the RTC's
    second edge may not run: platform_rtc tests the clock.)"""
    out = ctx.boot_system_monitor(
        "platform_powerdown",
        [r"^\[platform\] platform: power button armed$",
         r"^\[vmm0\] probe: vmm0: still running 1$"],
        "system_powerdown", timeout=60, trigger_timeout=30)
    in_order(out, [
        r"^\[platform\] platform: power button armed$",
        r"^\[platform\] platform: power button pressed$",
        r"^\[supervisor\] supervisor: power event from platform: power "
        r"button$",
        r"supervisor: orderly shutdown: guests first, then servers$",
        r"supervisor: shutdown: powering off the guests of vmm0$",
        r"supervisor: destroyed vmm0: ",
        r"supervisor: shutdown: stopping timecheck$",
        r"supervisor: shutdown: stopping platform$",
        r"supervisor: shutdown: stopping console$",
        r"supervisor: shutdown: all domains stopped; powering off$",
        r"^rift: supervisor exited with status 0$",
        r"^rift: system off$",
    ])
    refuse(out, r"supervisor: shutdown: stopping vmm0$")
    # The guest was running when the button was pressed.
    in_order(out, [r"^\[vmm0\] probe: vmm0: still running 1$",
                   r"^\[platform\] platform: power button pressed$",
                   r"supervisor: destroyed vmm0: "])


def platform_shutdown_request(ctx):
    """A client named in the server's shutdown-clients= asks for an orderly
    shutdown (platform.request_shutdown): the server forwards it to the
    supervisor as a power event, which stops every domain and powers off."""
    out = ctx.boot_system("platform_request")
    in_order(out, [
        r"^\[platform\] platform: admin requests an orderly shutdown$",
        r"^\[supervisor\] supervisor: power event from platform: shutdown "
        r"request$",
        r"supervisor: orderly shutdown: guests first, then servers$",
        r"supervisor: shutdown: no guests running$",
        r"supervisor: shutdown: stopping admin$",
        r"supervisor: shutdown: stopping platform$",
        r"supervisor: shutdown: all domains stopped; powering off$",
        r"^rift: system off$",
    ])
    # The admin may be stopped before it prints the reply: not checked.


def platform_bad_config(ctx):
    """A platform server whose description gives it no device ranges says
    why its backend cannot start and exits; the supervisor closes its
    channel, the client's calls fail with RIFT_EIO instead of hanging, its
    clock counts from boot (nothing was published), and the system
    finishes normally."""
    out = ctx.boot_system("platform_bad")
    expect(out,
           r"^\[platform\] platform: backend qemu-virt: neither a PL031 RTC "
           r"nor a gpio-keys power key on a PL061 could be mapped$",
           r"^\[supervisor\] supervisor: platform exited with status 1$",
           r"^\[timecheck\] timecheck: identify failed: RIFT_EIO",
           r"^\[supervisor\] supervisor: timecheck exited with status 1$")
    m = re.search(r"^\[timecheck\] timecheck: time\(\) = (\d+)$", out, re.M)
    if not m or int(m.group(1)) > 1000:
        raise Failure("time() without a wall clock should count from boot: "
                      "%s" % (m.group(1) if m else "not printed"))


def platform_restart(ctx):
    """The platform server faults on purpose on its third wall_clock call;
    the supervisor restarts it by its policy, the new instance publishes
    the wall clock again (instance 2), and the client's time queries keep
    working through the restart, the failed one retried."""
    before = time.time()
    out = ctx.boot_system("platform_restart")
    after = time.time()
    in_order(out, [
        r"^\[platform\] platform: wall clock \d+ .*instance 1\)$",
        r"^\[timecheck\] timecheck: round 1: ",
        r"^\[platform\] platform: test-crash-after=3: faulting on purpose$",
        r"^\[supervisor\] supervisor: platform faulted: data abort at "
        r"0xdead0000",
        r"^\[supervisor\] supervisor: restarting platform \(1 of 2\)$",
        r"^\[platform\] platform: wall clock \d+ .*instance 2\)$",
        r"^\[timecheck\] timecheck: round 5: ",
        r"^\[timecheck\] timecheck: 6 rounds done$",
        r"^\[supervisor\] supervisor: timecheck exited with status 0$",
    ])
    # The call the fault interrupted failed and was retried (before or
    # after the supervisor's restart line: both run at priority 100).
    expect(out, r"^\[timecheck\] timecheck: round 2: wall_clock failed "
                r"\(RIFT_EIO.*\); retrying$")
    rounds = re.findall(r"^\[timecheck\] timecheck: round (\d+): time\(\) = "
                        r"(\d+), wall_clock = (\d+)$", out, re.M)
    if [int(r[0]) for r in rounds] != list(range(6)):
        raise Failure("rounds answered: %s" % [r[0] for r in rounds])
    for _, t, w in rounds:
        near_host(int(t), before, after, "time()")
        near_host(int(w), before, after, "wall_clock")
    refuse(out, r"restarting platform \(2 of 2\)")


TESTS = [platform_rtc, platform_topology, platform_powerdown,
         platform_shutdown_request, platform_bad_config, platform_restart]
