#!/usr/bin/env python3
"""rift test runner: host unit tests, then QEMU integration tests.

Each test prints exactly one line, `PASS <name>` or `FAIL <name>: <reason>`;
the run ends with `N passed, N failed` and exits non-zero on any failure.
Select tests with -k SUBSTRING; list them with --list.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, os.path.join(HERE, "integration"))

import integration  # noqa: E402  (tests/integration/integration.py)
import unitrun  # noqa: E402  (tests/lib/unitrun.py)


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, name, reason):
        if reason is None:
            self.passed += 1
            print("PASS %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, reason), flush=True)


def run_unit(binary, results, selector):
    """Run one host test program; collect its PASS/FAIL lines."""
    name = os.path.basename(binary)
    if selector and selector not in name:
        return
    unitrun.run_program([binary], results.record)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True, help="build directory")
    ap.add_argument("--platform", default="qemu-virt")
    ap.add_argument("--unit", nargs="*", default=[], help="unit test binaries")
    ap.add_argument("-k", dest="selector", help="run tests matching this")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-integration", action="store_true")
    ap.add_argument("--stress", action="store_true",
                    help="run the long soaks of tests/integration/stress.py "
                         "instead of the suite")
    # The other toolchain and byte order (tests/integration/
    # test_40_toolchains.py): where the clang build goes, the big-endian
    # test programs, and the make variables of this run (for the builds
    # those tests make).
    ap.add_argument("--clang-build", help="build directory of TOOLCHAIN=clang")
    ap.add_argument("--bigendian-idl", nargs="*", default=[],
                    help="IDL test programs built for s390x")
    ap.add_argument("--bigendian-units", nargs="*", default=[],
                    help="unit test programs built for s390x")
    ap.add_argument("--make-var", action="append", default=[],
                    help="VAR=value for the builds that tests start")
    args = ap.parse_args()

    ctx = integration.Context(os.path.dirname(HERE), args.build,
                              args.platform)
    if args.list:
        for t in integration.load_tests():
            print(t.__name__)
        return 0
    results = Results()
    ctx.record = results.record
    ctx.clang_build = args.clang_build
    ctx.bigendian_idl = args.bigendian_idl
    ctx.bigendian_units = args.bigendian_units
    ctx.make_vars = args.make_var
    for binary in args.unit:
        run_unit(binary, results, args.selector)
    if args.stress:
        import stress
        tests = stress.STRESS
    else:
        tests = integration.load_tests()
    if not args.no_integration:
        for test in tests:
            name = test.__name__
            if args.selector and args.selector not in name:
                continue
            try:
                reason = test(ctx)
            except integration.Failure as e:
                reason = str(e)
            results.record(name, reason)
    print("%d passed, %d failed" % (results.passed, results.failed))
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
