"""Kernel soundness against hostile domains (issue 9): bounded revocation
and destruction, the ancestor rule, stack guards. The domains doing the
work are tests/domains/ktest.c; each prints one result line."""
import re

from integration import Failure, clean_exit, expect, refuse


def cap_deep_chain(ctx):
    """A derivation chain as deep as the cspace allows (>= 10,000), revoked
    from the root; and a frame passed back and forth between two domains
    thousands of times, then deleted at the root."""
    out = ctx.boot_system("ktest_deepchain", timeout=120)
    m = re.search(r"^\[ktest\] deepchain: (\d+) levels of derivation revoked "
                  r"from the root; kernel up, pool back to \d+ pages$",
                  out, re.M)
    if not m:
        raise Failure("no deepchain result line")
    if int(m.group(1)) < 10000:
        raise Failure("only %s levels" % m.group(1))
    out = ctx.boot_system("ktest_pass", timeout=120)
    expect(out, r"^\[passa\] pass: a frame passed back and forth 3000 times "
                r"\(6000 levels\), deleted at the root: no copy left in "
                r"either domain$",
           r"^\[passb\] pass server: 3000 copies received, 0 left after the "
           r"revoke$")


def domain_deep_nesting(ctx):
    """Domains nested as deep as the quota allows (>= 10,000), destroyed
    through the original of the outermost: kernel up, pool back."""
    out = ctx.boot_system("ktest_nesting", timeout=180)
    m = re.search(r"^\[ktest\] nesting: (\d+) levels of domains destroyed "
                  r"from the root \(stopped by (quota|a kernel limit), error -\d+\); "
                  r"kernel up, pool back to \d+ pages$", out, re.M)
    if not m:
        raise Failure("no nesting result line")
    if int(m.group(1)) < 10000:
        raise Failure("only %s levels" % m.group(1))


def destroy_ancestor(ctx):
    """Destroying an ancestor or oneself through a copy is refused; deleting
    the running thread's own capability, and destroying a domain whose
    thread is mid-call, are exact."""
    out = ctx.boot_system("ktest_ancestor")
    expect(out, r"^\[ktest\] ancestor: destroying a parent or oneself "
                r"through a copy refused; own thread deleted exactly; caller "
                r"destroyed mid-call; pool back to \d+ pages$")


def kstack_guard(ctx):
    """A debug kernel's deliberate deep recursion hits the kernel stack's
    guard page and panics by name (no corruption, no hang); the release
    kernel does not have the call."""
    res = ctx.boot(initrd=ctx.test_cpio, kernel=ctx.debug_kernel,
                   bootargs="rift.system=kstack")
    clean_exit(res)
    expect(res.output, r"^\[ktest\] kstack: recursing 1000 frames deep",
           r"^PANIC: kernel stack overflow \(guard page hit\): data abort, "
           r"same EL")
    refuse(res.output, r"kstack: not a debug kernel")
    out = ctx.boot_system("kstack")
    expect(out, r"^\[ktest\] kstack: not a debug kernel: the call is refused "
                r"\(-38\)$")


TESTS = [cap_deep_chain, domain_deep_nesting, destroy_ancestor, kstack_guard]
