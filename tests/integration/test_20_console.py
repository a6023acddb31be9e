"""The console server: tagged, whole-line output of every domain, the kernel
log through its ring, input to the focused domain, malformed requests
refused. Programs: tests/domains/console/; descriptions:
tests/system/console_*.dts; design: docs/console.md."""
import os
import re

from integration import Failure, clean_exit, expect, last_lines, refuse

WRITERS = ("w1", "w2", "w3")
LINES_PER_WRITER = 1000
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def boot_console(ctx, name, timeout=180, input_data=None, input_delay=None):
    """Boot tests/system/<name>.dts; check a clean run; return the output.

    The timeout is generous (the runs end by themselves in seconds): it
    only turns a hang into a failure, and echoing kilobytes through the
    emulated UART is slow on a loaded machine."""
    res = ctx.boot(initrd=ctx.test_cpio, bootargs="rift.system=%s" % name,
                   timeout=timeout, input_data=input_data,
                   input_delay=input_delay)
    clean_exit(res)
    out = res.output
    refuse(out, r"PANIC", r"FAILED", r"^\[\w+\] rift-rt: ",
           r"^\[console\] console: (cannot|not attached|no )")
    expect(out, r"^\[console\] console: ready; clients: ",
           r"^\[supervisor\] supervisor: all domains finished; shutting "
           r"down$")
    return out


def writer_line(name, i, count):
    """Line @i of conwriter @name, exactly as tests/domains/console/
    conwriter.c builds it."""
    seed = sum(name.encode())
    length = 20 + (i * 53 + seed) % 420
    payload = "".join(ALPHABET[(i * 7 + j * 13 + seed) % 36]
                      for j in range(length))
    return "%s %04d/%d len=%d %s" % (name, i, count, length, payload)


def console_interleave(ctx):
    """Three domains print 1,000 lines each at once, two thirds of them in
    pieces with a yield between pieces: every line arrives whole, in order,
    under its writer's tag, and none is lost."""
    out = boot_console(ctx, "console_interleave")
    tagged = re.findall(r"^\[([\w-]+)\] (.*)$", out, re.M)
    got = {w: [] for w in WRITERS}
    order = []
    for tag, text in tagged:
        if tag in got and re.match(r"w\d \d{4}/", text):
            got[tag].append(text)
            order.append(tag)
        elif " len=" in text:
            raise Failure("writer text under the wrong tag or torn: "
                          "[%s] %s" % (tag, text[:80]))
    for w in WRITERS:
        want = [writer_line(w, i, LINES_PER_WRITER)
                for i in range(LINES_PER_WRITER)]
        if len(got[w]) != len(want):
            raise Failure("%s: %d of %d lines arrived" %
                          (w, len(got[w]), len(want)))
        for i, (g, e) in enumerate(zip(got[w], want)):
            if g != e:
                raise Failure("%s line %d differs: got %d bytes %r..., "
                              "expected %d bytes %r..." %
                              (w, i, len(g), g[:40], len(e), e[:40]))
        expect(out, r"^\[%s\] %s: wrote %d lines$" %
               (w, w, LINES_PER_WRITER))
    switches = sum(1 for a, b in zip(order, order[1:]) if a != b)
    if switches < 30:
        raise Failure("writers barely overlapped (%d switches between "
                      "them): the test did not exercise concurrency" %
                      switches)
    refuse(out, r"^\[console\] console: refused")


INPUT_LINES = ["hello console", "second line, with some more text"] + \
    ["line %03d %s" % (i, "x" * (i % 50)) for i in range(120)] + ["quit"]


def check_echo(out, what):
    got = re.findall(r"^\[echo\] echo: (.*)$", out, re.M)
    if not got or got[0] != "ready":
        raise Failure("%s: echo never said ready; last lines: %s" %
                      (what, last_lines(out)))
    echoed = got[1:1 + len(INPUT_LINES)]
    if echoed != INPUT_LINES:
        for i, (g, e) in enumerate(zip(echoed, INPUT_LINES)):
            if g != e:
                raise Failure("%s: input line %d came back as %r, "
                              "expected %r" % (what, i, g, e))
        raise Failure("%s: %d of %d input lines came back" %
                      (what, len(echoed), len(INPUT_LINES)))
    nbytes = sum(len(line) + 1 for line in INPUT_LINES)
    expect(out, r"^\[echo\] echo: %d lines, %d bytes of input; bye$" %
           (len(INPUT_LINES), nbytes))
    expect(out, r"^\[console\] console: ready; clients: console echo; "
                r"input focus echo$")
    refuse(out, r"^\[console\] console: input dropped")


def console_input(ctx):
    """Text typed on the serial line reaches the focused domain, which
    echoes it, byte for byte and in order: once typed before the console
    even runs (the UART and QEMU's character device hold it), once typed
    after the system is idle (interrupt driven)."""
    data = ("\n".join(INPUT_LINES) + "\n").encode()
    out = boot_console(ctx, "console_input", input_data=data)
    check_echo(out, "input at boot")
    out = boot_console(ctx, "console_input", input_data=data,
                       input_delay=2)
    check_echo(out, "input after 2 s")


BAD_CASES = [
    ("unknown method id", "ENOSYS"),
    ("event id sent as a method", "ENOSYS"),
    ("wrong version hash", "EVERSION"),
    ("write without payload", "EINVAL"),
    ("write with half a length", "EINVAL"),
    ("write with bytes past the payload", "EINVAL"),
    ("write with trailing bytes", "EINVAL"),
    ("write over its 256-byte bound", "ERANGE"),
    ("write of a 512-byte length", "ERANGE"),
    ("read with a short payload", "EINVAL"),
    ("set_focus with trailing bytes", "EINVAL"),
    ("negative length", "EINVAL"),
    ("read without the focus", "EPERM"),
    ("set_focus by a client without the right", "EPERM"),
    ("set_focus to nobody known", "ENOENT"),
    ("set_focus to itself", "OK"),
    ("read with the focus", "OK"),
    ("read by the other end", "EPERM"),
    ("set_focus to nobody", "OK"),
]


def console_bad_message(ctx):
    """Malformed requests (wrong method id, short payload, bad version
    hash, over-long bytes, a length the transport cannot unpack) get error
    replies carrying the console's version; focus rules hold; the console
    logs the refusals (up to a limit) and still serves a normal write."""
    out = boot_console(ctx, "console_bad")
    for what, err in BAD_CASES:
        expect(out, r"^\[conbad\] conbad: %s: %s$" % (re.escape(what), err))
    expect(out,
           r"^\[console\] console: refused request 0x[0-9a-f]{8}00000063 "
           r"from conbad: ENOSYS$",
           r"^\[console\] console: refused request 0x[0-9a-f]{8}00000001 "
           r"from conbad: EVERSION$",
           r"^\[console\] console: further refused requests from conbad "
           r"are not logged$",
           r"^\[console\] console: refused request 0x[0-9a-f]{8}00000003 "
           r"from conbad:peer: EPERM$",
           r"^\[console\] console: input focus: conbad$",
           r"^\[conbad\] conbad: a direct console_write after the "
           r"refusals$",
           r"^\[conbad\] conbad: 12 malformed requests refused; the "
           r"console still serves$",
           r"^\[supervisor\] supervisor: conbad exited with status 0$")
    logged = re.findall(r"^\[console\] console: refused request .* from "
                        r"conbad: ", out, re.M)
    if len(logged) != 8:
        raise Failure("console logged %d refusals of conbad, expected the "
                      "first 8" % len(logged))


def console_absent(ctx):
    """No console in the system: a program linked with the console client
    gets RIFT_EIO at once (no hang), and its printf output still reaches
    the kernel log."""
    out = ctx.boot_system("console_absent")
    expect(out, r"^\[conbad\] conbad: no console: console_write fails with "
                r"EIO at once; printf still reaches the kernel log$",
           r"^\[supervisor\] supervisor: conbad exited with status 0$")


def console_degraded(ctx):
    """A misconfigured console (a bad argument, no UART, no interrupt, no
    kernel log) still serves, so its clients never hang: their lines go out
    through the kernel log, tagged with the names the supervisor gave."""
    out = ctx.boot_system("console_degraded")
    expect(out,
           r"^\[console\] console: focus: 'nobody' is not a client of the "
           r"console channel; serving with no focus$",
           r"^\[console\] console: serving without the UART$",
           r"^\[console\] \[w1\] w1 0004/5 len=400 ",
           r"^\[console\] \[w1\] w1: wrote 5 lines$",
           r"^\[supervisor\] supervisor: w1 exited with status 0$")


def product_archive(ctx):
    """boot.cpio plus the Debian guest make run adds (tools/guest/
    archive.py; fetched by scripts/guest-image.sh if needed)."""
    import sys
    sys.path.insert(0, os.path.join(ctx.root, "tools", "guest"))
    import archive
    if "product_cpio" not in ctx.cache:
        try:
            archive.fetch(quiet=True)
            files = archive.default_files()
        except archive.GuestImageMissing as e:
            raise Failure("no guest image for the product's guest: %s" % e)
        ctx.cache["product_cpio"] = archive.build(
            os.path.join(ctx.build, "boot.cpio.d"),
            os.path.join(ctx.build, "product-guest.cpio"), files)
    return ctx.cache["product_cpio"]


def console_product(ctx):
    """make run's system: the console is up first and every domain prints
    through it, kernel lines (a fault report) and the Linux guest's
    console included; the guest has the input focus."""
    res = ctx.boot(initrd=product_archive(ctx), timeout=240,
                   extra=ctx.description_devices(ctx.boot_dtb))
    clean_exit(res)
    out = res.output
    refuse(out, r"PANIC", r"FAILED", r"^\[\w+\] rift-rt: ",
           r"^\[linux\] vmm: linux: unhandled")
    expect(out,
           r"^\[console\] console: ready; clients: console hello pong ping "
           r"crasher pci dma platform blk blkdemo linux; input focus linux$",
           r"^\[linux\] rift-guest: demo: uname -a$",
           r"^\[linux\] Linux \S+ 6\.1\.\d+-\d+-arm64 #1 SMP Debian .* "
           r"aarch64 GNU/Linux$",
           r"^\[linux\] vmm: linux: guest powered off \(PSCI SYSTEM_OFF\)",
           r"^\[dma\] smmuv3: serving dma$",
           r"^\[platform\] platform: backend qemu-virt for board "
           r"linux,dummy-virt: ",
           r"^\[pci\] pci: 3 functions on buses 00-00",
           r"^\[hello\] hello from hello: argc=2, pid=\d+$",
           r"^\[blkdemo\] blkdemo: wrote, flushed and read back 64 KiB at "
           r"sector 8192: verified$",
           r"^\[ping\] pingpong: 1000 round trips, every payload word "
           r"verified$",
           r"^\[crasher\] crasher: about to write to 0xdead0000$",
           r"^fault: domain crasher thread \d+: data abort at dead0000",
           r"^\[supervisor\] supervisor: all domains finished; shutting "
           r"down$")
    ready = out.index("[console] console: ready")
    started = re.search(r"^\[supervisor\] supervisor: started hello", out,
                        re.M)
    if not started or started.start() < ready:
        raise Failure("hello started before the console was ready")


TESTS = [console_interleave, console_input, console_bad_message,
         console_absent, console_degraded, console_product]
