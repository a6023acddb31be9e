# Host unit tests. Each entry: UNIT_TESTS += <name>, and
# unit_<name>_SRCS := the test file and the sources it links.
# Built with the host gcc, -fsanitize=address,undefined, against the fake arch.

UNIT_TESTS += pmm
unit_pmm_SRCS := tests/unit/test_pmm.c kernel/core/pmm.c

UNIT_TESTS += pgtable
unit_pgtable_SRCS := tests/unit/test_pgtable.c kernel/arch/aarch64/pgtable.c
