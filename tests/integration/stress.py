"""Long soaks for `make stress` (not part of `make test`): the hostile
domain with 20 million calls under four seeds, and the timing-sensitive
kernel tests repeated."""
import re

from integration import Failure, expect
import test_40_kernel_sound as ks


def hostile_stress(ctx):
    for seed in (1, 2, 3, 4):
        out = ctx.boot_system("hostile_stress%d" % seed, timeout=600)
        expect(out, r"^\[hostile\] hostile: 20000000 random system calls: "
                    r"\d+ refused, \d+ harmless; kernel still up$",
               r"^\[supervisor\] supervisor: hostile exited with status 0$")


def kernel_sound_repeated(ctx):
    for i in range(5):
        for test in (ks.fastpath_fairness, ks.destroy_ancestor,
                     ks.cap_deep_chain):
            reason = test(ctx)
            if reason:
                raise Failure("round %d, %s: %s" % (i + 1, test.__name__,
                                                      reason))


STRESS = [hostile_stress, kernel_sound_repeated]
