# SPDX-License-Identifier: MIT
# The kernel core on the fake arch (kernel/arch/fake): host unit tests
# (test_kcore) and a libFuzzer target (fuzz_kernel, part of `make fuzz`,
# FUZZ_SECONDS like the others). Included from tests/unit/unit.mk.
#
# The core's sources are built as they are, with RIFT_DEBUG (assert() and
# the kernel-lock checks on); kernel/arch/fake replaces
# kernel/arch/aarch64 (pgtable.c is portable and shared). The allocator's
# entry points are wrapped at link time so the fake arch sees every page
# handed out and returned (and poisons the returned ones for ASan).

KCORE_SRCS := $(addprefix kernel/core/,cap.c obj.c domain.c ipc.c fastpath.c \
	sched.c syscall.c irqcap.c irq.c kmem.c klog.c pmm.c printk.c panic.c \
	vcpu.c) kernel/arch/aarch64/pgtable.c kernel/arch/fake/fake.c \
	kernel/arch/fake/vcpu.c kernel/arch/aarch64/exit_decode.c \
	tests/unit/kcore_harness.c
KCORE_WRAP := -Wl,--wrap=pmm_alloc,--wrap=pmm_alloc_near,--wrap=pmm_free,--wrap=pmm_unpin
KCORE_DEPS := $(wildcard kernel/include/rift/*.h kernel/arch/fake/include/arch/*.h \
	kernel/arch/aarch64/include/arch/*.h libs/include/rift/abi.h) \
	tests/unit/kcore_harness.h tests/unit/kcore.mk

UNIT_TESTS += kcore
unit_kcore_SRCS := tests/unit/test_kcore.c $(KCORE_SRCS)
unit_kcore_CFLAGS := -Ilibs/include -DRIFT_DEBUG
unit_kcore_LIBS := $(KCORE_WRAP)
$(B)/host/unit/test_kcore: $(KCORE_DEPS)

# -- fuzzing -------------------------------------------------------------------
# fuzz_kernel: system call sequences from several domains against the core;
# the invariants are checked after every operation (tests/fuzz/fuzz_kernel.c).
# Corpus, seeds (tests/fuzz/kernel_seeds.py: short sequences of IPC,
# domains, interrupts, frames, faults, preemption), logs and crash inputs
# under $(B)/fuzz/kernel/.

FUZZ_SECONDS ?= 20
KCORE_FUZZ_CC ?= clang
KCORE_FUZZ_DIR := $(B)/fuzz/kernel
KCORE_FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wpacked \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

$(KCORE_FUZZ_DIR)/kernel: tests/fuzz/fuzz_kernel.c $(KCORE_SRCS) $(KCORE_DEPS)
	@printf '  %-7s %s\n' FUZZCC $@
	@mkdir -p $(@D)
	$(Q)$(KCORE_FUZZ_CC) $(KCORE_FUZZ_CFLAGS) -Ikernel/include \
		-Ikernel/arch/fake/include -Ikernel/arch/aarch64/include \
		-Ilibs/include -Itests/unit -DRIFT_DEBUG $(filter %.c,$^) \
		$(KCORE_WRAP) -o $@

$(KCORE_FUZZ_DIR)/seeds/.stamp: tests/fuzz/kernel_seeds.py
	$(Q)rm -rf $(@D) && $(PYTHON) $< $(@D) && touch $@

.PHONY: kernel-fuzz
fuzz: kernel-fuzz
kernel-fuzz: $(KCORE_FUZZ_DIR)/kernel $(KCORE_FUZZ_DIR)/seeds/.stamp
	$(Q)c=$(KCORE_FUZZ_DIR)/corpus; mkdir -p $$c $(KCORE_FUZZ_DIR)/artifacts; \
	printf '  %-7s %s (%ss)\n' FUZZ kernel $(FUZZ_SECONDS); \
	$(KCORE_FUZZ_DIR)/kernel -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-print_final_stats=1 -artifact_prefix=$(KCORE_FUZZ_DIR)/artifacts/ \
		$$c $(KCORE_FUZZ_DIR)/seeds > $(KCORE_FUZZ_DIR)/kernel.log 2>&1 \
		|| { tail -n 60 $(KCORE_FUZZ_DIR)/kernel.log; \
		     echo "kernel-fuzz: failed; log in $(KCORE_FUZZ_DIR)/kernel.log"; exit 1; }; \
	grep -h 'stat::number_of_executed_units' $(KCORE_FUZZ_DIR)/kernel.log
