# SPDX-License-Identifier: MIT
# The kernel core on the fake arch (kernel/arch/fake): host unit tests
# (test_kcore) and a libFuzzer target (fuzz_kernel, part of `make fuzz`,
# FUZZ_SECONDS like the others). Included from tests/unit/unit.mk.
#
# The core's sources are built as they are; kernel/arch/fake replaces
# kernel/arch/aarch64 (pgtable.c is portable and shared). The allocator's
# entry points are wrapped at link time so the fake arch sees every page
# handed out and returned (and poisons the returned ones for ASan).

KCORE_SRCS := $(addprefix kernel/core/,cap.c obj.c domain.c ipc.c fastpath.c \
	sched.c syscall.c irqcap.c irq.c kmem.c klog.c pmm.c printk.c panic.c) \
	kernel/arch/aarch64/pgtable.c kernel/arch/fake/fake.c \
	tests/unit/kcore_harness.c
KCORE_WRAP := -Wl,--wrap=pmm_alloc,--wrap=pmm_alloc_near,--wrap=pmm_free
KCORE_DEPS := $(wildcard kernel/include/rift/*.h kernel/arch/fake/include/arch/*.h \
	kernel/arch/aarch64/include/arch/*.h libs/include/rift/abi.h) \
	tests/unit/kcore_harness.h tests/unit/kcore.mk

UNIT_TESTS += kcore
unit_kcore_SRCS := tests/unit/test_kcore.c $(KCORE_SRCS)
unit_kcore_CFLAGS := -Ilibs/include
unit_kcore_LIBS := $(KCORE_WRAP)
$(B)/host/unit/test_kcore: $(KCORE_DEPS)
