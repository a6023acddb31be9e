"""The second compiler and the other byte order (docs/toolchains.md).

clang_build      the kernel, the runtime, every domain and the host tests
                 built by clang 14 and lld (make TOOLCHAIN=clang), warnings
                 fatal
clang_boot       the clang-built system boots and runs ipc_pingpong
clang_<test>     the other IPC tests, the fault tests and the boot banner on
                 the clang build
bigendian_idl    the IDL host tests built for s390x, run under qemu-s390x
bigendian_units  the PCI, console-server, allocator, page-table, runtime
                 and device-tree host tests, likewise

The builds are made here, not by `make test` before the runner starts, so
that a compile error is a failed test and the rest of the suite still runs;
each is made once per run, whichever test asks first. The big-endian
programs' own PASS/FAIL lines are reported as s390x.<suite>.<check>.
"""
import os
import re

import elf
import integration
import qemu
import test_00_kernel
import test_10_domains
import unitrun
from integration import Failure, last_lines

BUILD_TIMEOUT = 900
EM_S390 = 22


def make(ctx, variables, targets, log):
    """Run make in the source tree with this run's variables (those of
    @variables replace them). Returns None, or why it failed; any warning
    counts as a failure (the compilers' are errors already, -Werror; this
    catches the linker's). The output is kept in the test-work directory."""
    names = set(v.split("=", 1)[0] for v in variables)
    args = [v for v in ctx.make_vars if v.split("=", 1)[0] not in names]
    args += list(variables)
    # A make of its own: not the jobserver of the `make test` that started
    # this runner (its descriptors are not passed down).
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    jobs = len(os.sched_getaffinity(0))
    cmd = ["make", "--no-print-directory", "-j%d" % jobs] + args + \
        list(targets)
    what = "make %s" % " ".join(args + list(targets))
    res = qemu.run(cmd, BUILD_TIMEOUT, env=env, cwd=ctx.root)
    path = os.path.join(ctx.work, log)
    with open(path, "w") as f:
        f.write(res.output)
    if res.timed_out:
        return "%s did not finish within %d s (killed); log in %s" % (
            what, BUILD_TIMEOUT, path)
    if res.returncode != 0:
        return "%s failed with status %d; log in %s; last lines: %s" % (
            what, res.returncode, path, last_lines(res.output))
    warnings = [line for line in res.output.splitlines()
                if re.search(r"\bwarning\b", line, re.I)]
    if warnings:
        return "%s printed %d warning(s), fatal here; log in %s; first: %s" \
            % (what, len(warnings), path, warnings[0])
    return None


def once(ctx, key, build):
    """build(ctx) once per run; its result (None or a reason) remembered."""
    if key not in ctx.cache:
        ctx.cache[key] = build(ctx)
    return ctx.cache[key]


# ---------------------------------------------------------------- clang

def check_marks(path, need, refuse=()):
    """None if the file @path holds every byte string of @need and none of
    @refuse, else why not."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return "cannot read %s: %s" % (path, e)
    for mark in need:
        if mark not in data:
            return "%s has no %r: not built by clang and lld" % (
                path, mark.decode())
    for mark in refuse:
        if mark in data:
            return "%s contains %r: not built by clang alone" % (
                path, mark.decode())
    return None


def build_clang(ctx):
    if not ctx.clang_build:
        return "no clang build directory given (tests/run.py --clang-build)"
    why = make(ctx, ["TOOLCHAIN=clang"],
               ["images", "librift-check", "unit-bins"], "clang-build.log")
    if why:
        return why
    # The producer of the kernels' debug information (their .comment is
    # discarded by the link script); the domains' .comment names the
    # compiler and the linker (musl's libc.a adds Debian's gcc, which
    # built it).
    for kernel in ("kernel", "kdebug"):
        why = check_marks(os.path.join(ctx.clang_build, kernel, "rift.elf"),
                          [b"clang version"], [b"GNU C"])
        if why:
            return why
    domains = os.path.join(ctx.clang_build, "domains")
    names = sorted(os.listdir(domains))
    if not names:
        return "no domains in %s" % domains
    for name in names:
        why = check_marks(os.path.join(domains, name),
                          [b"clang version", b"LLD "])
        if why:
            return why
    return None


def clang_context(ctx):
    """The clang build's context, once the build has succeeded."""
    why = once(ctx, "clang", build_clang)
    if why:
        raise Failure("the clang build failed; see clang_build")
    if "clang_ctx" not in ctx.cache:
        c = integration.Context(ctx.root, ctx.clang_build, ctx.platform.name)
        c.record = ctx.record
        ctx.cache["clang_ctx"] = c
    return ctx.cache["clang_ctx"]


def clang_build(ctx):
    return once(ctx, "clang", build_clang)


def clang_boot(ctx):
    """The clang-built kernel and domains boot and run the IPC ping-pong."""
    return test_10_domains.ipc_pingpong(clang_context(ctx))


def on_clang(test):
    """@test of the gcc suite, run on the clang build as clang_<name>."""
    def run(ctx):
        return test(clang_context(ctx))
    run.__name__ = "clang_" + test.__name__
    run.__doc__ = test.__doc__
    return run


# ---------------------------------------------------------------- big-endian

def build_bigendian(ctx):
    return make(ctx, [], ["bigendian-bins"], "bigendian-build.log")


def run_bigendian(ctx, programs, option):
    if not programs:
        raise Failure("no big-endian test programs given (tests/run.py %s)"
                      % option)
    why = once(ctx, "bigendian", build_bigendian)
    if why:
        raise Failure(why)
    failed = []
    for path in programs:
        try:
            order, machine = elf.header(path)
        except (OSError, elf.ElfError) as e:
            raise Failure("cannot read %s: %s" % (path, e))
        if order != ">" or machine != EM_S390:
            raise Failure("%s is not a big-endian s390x program" % path)
        if not unitrun.run_program(["qemu-s390x", path], ctx.record,
                                   prefix="s390x.", cwd=ctx.root):
            failed.append(os.path.basename(path))
    if failed:
        return "failed under qemu-s390x: %s" % ", ".join(failed)
    return None


def bigendian_idl(ctx):
    return run_bigendian(ctx, ctx.bigendian_idl, "--bigendian-idl")


def bigendian_units(ctx):
    return run_bigendian(ctx, ctx.bigendian_units, "--bigendian-units")


TESTS = [clang_build, clang_boot] + [on_clang(t) for t in (
    test_00_kernel.boot_banner, test_10_domains.ipc_cap_transfer,
    test_10_domains.notification_signal,
    test_10_domains.dead_server_fails_calls, test_10_domains.fault_isolation,
    test_10_domains.undefined_instruction_fault)] + [
    bigendian_idl, bigendian_units]
