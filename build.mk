# rift build rules, included by the top-level Makefile.
#
# PLATFORM selects platforms/<name>/ (platform.mk sets ARCH and QEMU settings).
# Output goes to build/<platform>/. Nothing generated lands in the source tree.

PLATFORM ?= qemu-virt
ifeq ($(wildcard platforms/$(PLATFORM)/platform.mk),)
$(error unknown PLATFORM '$(PLATFORM)': no platforms/$(PLATFORM)/platform.mk)
endif
include platforms/$(PLATFORM)/platform.mk
ifeq ($(ARCH),)
$(error platforms/$(PLATFORM)/platform.mk does not set ARCH)
endif

# TOOLCHAIN selects the compiler for everything built here, kernel, domains
# and host tests alike: gcc (the default) or clang (clang 14 with lld). Each
# has its own build directory, so both builds coexist (docs/toolchains.md).
TOOLCHAIN ?= gcc
ifeq ($(TOOLCHAIN),gcc)
B := build/$(PLATFORM)
else ifeq ($(TOOLCHAIN),clang)
B := build/$(PLATFORM)-clang
else
$(error unknown TOOLCHAIN '$(TOOLCHAIN)': gcc or clang)
endif
# The clang build directory, whichever toolchain this run uses: `make test`
# builds and boots it too (tests/integration/test_40_toolchains.py).
CLANG_B := build/$(PLATFORM)-clang
Q := $(if $(V),,@)
PYTHON ?= /usr/bin/python3
CROSS ?= aarch64-linux-gnu-
KOBJCOPY := $(CROSS)objcopy
# Helper functions the compiler may call (128-bit arithmetic, the soft
# long double of musl's printf): libgcc of the cross gcc serves both
# compilers, as Debian ships no aarch64 compiler-rt for an x86-64 host.
LIBGCC_A := $(shell $(CROSS)gcc -print-libgcc-file-name)
ifeq ($(TOOLCHAIN),clang)
KCC := clang --target=aarch64-linux-gnu
KCC_INCLUDE := $(shell clang -print-resource-dir)/include
# clang's -ffreestanding already keeps loops from becoming memcpy calls.
KCC_NO_LIBCALLS :=
KLDFLAGS := -fuse-ld=lld
HOSTCC ?= clang
HOST_LDFLAGS := -fuse-ld=lld
else
KCC := $(CROSS)gcc
KCC_INCLUDE := $(shell $(KCC) -print-file-name=include)
KCC_NO_LIBCALLS := -fno-tree-loop-distribute-patterns
KLDFLAGS := -Wl,--no-warn-rwx-segments
HOSTCC ?= gcc
HOST_LDFLAGS :=
endif
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Werror -Wpacked
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer $(HOST_LDFLAGS)

# Big-endian host tests: the IDL, PCI, console-server, allocator, page-table
# and runtime tests built again for s390x (64-bit big-endian) and run under
# qemu-s390x (tests/integration/test_40_toolchains.py). Static, so no s390x
# root is needed; UBSan without its run-time library (AddressSanitizer does
# not run under qemu-user). Whatever TOOLCHAIN says: Debian's cross gcc.
BE_CC := s390x-linux-gnu-gcc
BE_CFLAGS := -std=gnu11 -g -O1 $(WARN) -static -fsanitize=undefined \
	-fsanitize-undefined-trap-on-error -fno-omit-frame-pointer
BE_DIR := $(B)/host-s390x
BE_IDL_TESTS :=
BE_UNIT_TESTS :=

.PHONY: all deps kernel images run test unit integration bench clean fuzz \
	guest-image \
	stress stress-built \
	unit-bins bigendian-bins new-driver
all: images

# Tool installation: idempotent, quick when everything is present.
deps:
	$(Q)sh scripts/install-deps.sh

# Test registries, filled by the fragments included below.
UNIT_TESTS :=
UNIT_TEST_BINS :=
HOST_TOOLS :=

# Interfaces: stubs generated from idl/*.idl (see docs/idl.md).
-include idl/idl.mk

# ---------------------------------------------------------------- kernel
KERNEL_DIRS := kernel/core kernel/drivers kernel/arch/$(ARCH)
# The boot archive, ELF and initial-stack readers are shared with user level.
KERNEL_SHARED := libs/rt/cpio.c libs/rt/elf_load.c libs/rt/initstack.c
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S)) \
	$(KERNEL_SHARED)
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(KERNEL_SRCS))
LIBFDT_A := /usr/lib/aarch64-linux-gnu/libfdt.a

# libfdt's headers without the rest of /usr/include (host glibc headers must
# never reach the kernel): a private directory of links.
FDT_INC := $(B)/include/fdt
$(FDT_INC)/.stamp:
	$(Q)mkdir -p $(FDT_INC)
	$(Q)for h in libfdt.h fdt.h libfdt_env.h; do ln -sf /usr/include/$$h $(FDT_INC)/$$h; done
	$(Q)touch $@

KERNEL_CFLAGS = -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc \
	-isystem $(KCC_INCLUDE) \
	-Ikernel/include -Ikernel/include/libc -Ikernel/arch/$(ARCH)/include \
	-Iplatforms/$(PLATFORM)/include -Ilibs/include -I$(FDT_INC) \
	-march=armv8.2-a -mgeneral-regs-only -mno-outline-atomics -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer \
	-mno-omit-leaf-frame-pointer -fno-common -MMD -MP \
	-DRIFT_VERSION='"$(VERSION)"' -flto
# The kernel is built with link-time optimisation: the IPC fast path and the
# trap entry inline across files (docs/performance.md: -20% on the round
# trip). The MMU-off boot code is kept out of it, below.
# Runs with the MMU off: no unaligned access, no library calls, no LTO.
$(B)/kernel/arch/aarch64/boot_mmu.c.o: EXTRA_CFLAGS := -mstrict-align -fno-lto \
	$(KCC_NO_LIBCALLS)

$(B)/%.c.o: %.c $(FDT_INC)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(B)/kernel/kernel.ld: kernel/arch/$(ARCH)/kernel.lds.in kernel/arch/$(ARCH)/include/arch/memlayout.h
	@mkdir -p $(dir $@)
	$(Q)$(KCC) -E -P -D__ASSEMBLER__ -Ikernel/arch/$(ARCH)/include -x c $< -o $@

KERNEL_ELF := $(B)/kernel/rift.elf
KERNEL_IMG := $(B)/kernel/rift.bin

define kernel_link
	@echo "  LD      $@"
	$(Q)$(KCC) -O2 -flto -nostdlib -static -Wl,--no-dynamic-linker -Wl,-T,$(B)/kernel/kernel.ld \
		-Wl,--build-id=none -Wl,-z,noexecstack $(KLDFLAGS) \
		$(filter %.o,$^) $(LIBFDT_A) $(LIBGCC_A) -o $@
endef

$(KERNEL_ELF): $(KERNEL_OBJS) $(B)/kernel/kernel.ld
	$(kernel_link)

$(KERNEL_IMG): $(KERNEL_ELF)
	@echo "  IMAGE   $@"
	$(Q)$(KOBJCOPY) -O binary $< $@

# The debug kernel: assert() compiled in and the debug-only system calls
# (RIFT_SYS_DEBUG_RECURSE, for the kstack_guard test). Tests boot it where
# they need it; make run never does.
KDEBUG_OBJS := $(patsubst %,$(B)/kdebug/%.o,$(KERNEL_SRCS))
KERNEL_DEBUG_ELF := $(B)/kdebug/rift.elf
KERNEL_DEBUG_IMG := $(B)/kdebug/rift.bin

$(B)/kdebug/%.c.o: %.c $(FDT_INC)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      $< (debug)"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -DRIFT_DEBUG $(EXTRA_CFLAGS) -c $< -o $@

$(B)/kdebug/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $< (debug)"
	$(Q)$(KCC) $(KERNEL_CFLAGS) -DRIFT_DEBUG -D__ASSEMBLER__ -c $< -o $@

$(B)/kdebug/kernel/arch/aarch64/boot_mmu.c.o: EXTRA_CFLAGS := -mstrict-align \
	-fno-lto $(KCC_NO_LIBCALLS)

$(KERNEL_DEBUG_ELF): $(KDEBUG_OBJS) $(B)/kernel/kernel.ld
	$(kernel_link)

$(KERNEL_DEBUG_IMG): $(KERNEL_DEBUG_ELF)
	@echo "  IMAGE   $@"
	$(Q)$(KOBJCOPY) -O binary $< $@

kernel: $(KERNEL_IMG) $(KERNEL_DEBUG_IMG)

-include $(KERNEL_OBJS:.o=.d) $(KDEBUG_OBJS:.o=.d)

# ---------------------------------------------------------------- domains
# User-level programs: static musl ELF files linked with librift (libs/).
-include libs/libs.mk
LIBFDT_ARM64 := /usr/lib/aarch64-linux-gnu/libfdt.a

# Each program directory has a domain.mk that sets <name>_SRCS (and
# optionally <name>_LIBS, <name>_CFLAGS) and appends <name> to
# PRODUCT_DOMAINS (in boot.cpio and test.cpio) or TEST_DOMAINS (test.cpio
# only). Test programs in tests/domains/ are one file each. The DMA servers
# (iommu-server/<name>/, docs/dma.md) are built the same way.
PRODUCT_DOMAINS :=
TEST_DOMAINS := hello crasher ticker pingpong captransfer notify hostile ktest \
	spinner fpcheck revoke linuxcalls oneshot
$(foreach t,$(TEST_DOMAINS),$(eval $(t)_SRCS := tests/domains/$(t).c))
# The console's and the PCI server's come first: they define what drivers
# link (CONSOLE_CLIENT_LIBS, PCI_DRV_SRCS), so any domain.mk may use those
# with := .
LIB_DOMAIN_MKS := drivers-domain/console/domain.mk drivers-domain/pci/domain.mk
include $(LIB_DOMAIN_MKS) $(filter-out $(LIB_DOMAIN_MKS),$(wildcard \
	drivers-domain/*/domain.mk iommu-server/*/domain.mk \
	tests/domains/*/domain.mk tests/bench/domain.mk))
# Guests for the tests (tests/guests/*/guest.mk): files added to test.cpio.
TEST_EXTRA_FILES :=
include $(wildcard tests/guests/*/guest.mk)
PRODUCT_DOMAINS += hello crasher pingpong
ALL_DOMAINS := $(sort $(PRODUCT_DOMAINS) $(TEST_DOMAINS))

define domain_rule
$(B)/domains/$(1): $$(patsubst %,$(B)/dom/%.o,$$($(1)_SRCS)) $$(DOMAIN_LIBS)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$$(Q)$$(MUSLCC) $$(DOMAIN_LDFLAGS) $$(filter %.o,$$^) $$(DOMAIN_LIBS) \
		$$($(1)_LIBS) $$(DOMAIN_LDLIBS) -o $$@
endef
$(foreach d,$(ALL_DOMAINS),$(eval $(call domain_rule,$(d))))

$(B)/dom/%.c.o: %.c $(IDL_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(DOMAIN_CFLAGS) $(IDL_INCLUDES) -MMD -MP -c $< -o $@
# Generated IDL stubs ($(B)/gen/idl/<iface>_{client,server}.c) can be listed
# in <name>_SRCS like any source; the rule above compiles them.
-include $(wildcard $(B)/dom/*/*/*.d $(B)/dom/*/*.d $(B)/dom/*/*/*/*.d)

# System descriptions.
$(B)/archive/boot/system.dtb: platforms/$(PLATFORM)/system.dts
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	$(Q)dtc -q -I dts -O dtb -o $@ $<

TEST_SYSTEMS := $(basename $(notdir $(wildcard tests/system/*.dts)))
$(B)/archive/test/system-%.dtb: tests/system/%.dts
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# Boot archives (cpio newc), passed to QEMU as the initrd. boot.cpio is the
# product; test.cpio adds the test programs and test descriptions.
BOOT_CPIO := $(B)/boot.cpio
TEST_CPIO := $(B)/test.cpio
BOOT_FILES := $(B)/archive/boot/system.dtb \
	$(patsubst %,$(B)/domains/%,$(PRODUCT_DOMAINS))
TEST_FILES := $(B)/archive/boot/system.dtb \
	$(patsubst %,$(B)/archive/test/system-%.dtb,$(TEST_SYSTEMS)) \
	$(patsubst %,$(B)/domains/%,$(ALL_DOMAINS)) $(TEST_EXTRA_FILES)

define make_cpio
	@echo "  CPIO    $(1)"
	$(Q)rm -rf $(1).d && mkdir -p $(1).d && cp $(2) $(1).d/
	$(Q)cd $(1).d && ls | LC_ALL=C sort | cpio --quiet -o -H newc > ../$(notdir $(1))
endef

$(BOOT_CPIO): $(BOOT_FILES)
	$(call make_cpio,$@,$^)
$(TEST_CPIO): $(TEST_FILES)
	$(call make_cpio,$@,$^)

images: kernel $(BOOT_CPIO) $(TEST_CPIO)

# ---------------------------------------------------------------- host unit tests
include tests/unit/unit.mk
-include $(wildcard tools/*/*.mk)

define unit_rule
$(B)/host/unit/test_$(1): $$(unit_$(1)_SRCS) $$(wildcard tests/unit/*.h kernel/include/rift/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -Ikernel/include -Ikernel/arch/fake/include \
		-Ikernel/arch/$$(ARCH)/include -Itests/unit $$(unit_$(1)_CFLAGS) \
		$$(unit_$(1)_SRCS) $$(unit_$(1)_LIBS) -o $$@
UNIT_TEST_BINS += $(B)/host/unit/test_$(1)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit-bins: $(UNIT_TEST_BINS) $(HOST_TOOLS)

# The same unit tests for big-endian s390x (see BE_CFLAGS; all but
# BE_UNITS_SKIP of tests/unit/unit.mk). Each depends on its host build, and
# so on every source, header and tree that one needs. Libraries: libfdt for
# s390x replaces the host's.
define be_unit_rule
$(BE_DIR)/unit/test_$(1): $(B)/host/unit/test_$(1) $$(BE_LIBFDT)
	@mkdir -p $$(dir $$@)
	@echo "  BECC    $$@"
	$$(Q)$$(BE_CC) $$(BE_CFLAGS) -Ikernel/include -Ikernel/arch/fake/include \
		-Ikernel/arch/$$(ARCH)/include -Itests/unit -I$$(BE_LIBFDT_DIR)/include \
		$$(unit_$(1)_CFLAGS) $$(unit_$(1)_SRCS) \
		$$(subst $$(HOST_LIBFDT),$$(BE_LIBFDT),$$(unit_$(1)_LIBS)) -o $$@
BE_UNIT_TESTS += $(BE_DIR)/unit/test_$(1)
endef
$(foreach t,$(filter-out $(BE_UNITS_SKIP),$(UNIT_TESTS)),$(eval $(call be_unit_rule,$(t))))

# Built by the test runner (bigendian_idl, bigendian_units), so that a
# compile error is a failed test rather than no test run at all.
bigendian-bins: $(BE_IDL_TESTS) $(BE_UNIT_TESTS)

# ---------------------------------------------------------------- run / test
RUN_TIMEOUT ?= 120
RUN_ARGS ?=
# make run SYSTEM=<name> boots tests/system/<name>.dts, SYSTEM=<path.dts> a
# description of your own; QEMU devices come from its rift,qemu-devices
# and QEMU_DEVICES (tools/run/run_system.py, README.md).
SYSTEM ?=
QEMU_DEVICES ?=
# make run DMA=swiotlb (or smmuv3, none) runs that DMA server instead of the
# description's dma-server (rift.dma= on the kernel command line).
DMA ?=

# Guests (docs/guests.md): make run SYSTEM=linux, or GUEST_KERNEL=,
# GUEST_INITRD=, GUEST_APPEND= (read by run_system.py from the
# environment, so the command line arrives as written; write a `$` as `$$`).
# Exported only when given (an exported undefined variable arrives empty).
$(foreach v,GUEST_KERNEL GUEST_INITRD GUEST_APPEND,$(if $(filter \
	undefined,$(origin $(v))),,$(eval export $(v))))

# The Debian guest's kernel and initramfs in cache/guest (apt-get download;
# idempotent). make test and make run fetch it themselves when they need it.
guest-image:
	$(Q)sh scripts/guest-image.sh

run:
	$(Q)sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory run-built

run-built: images
	$(Q)$(PYTHON) tools/run/run_system.py --build $(B) --platform $(PLATFORM) \
		--system "$(SYSTEM)" --devices "$(QEMU_DEVICES)" --dma "$(DMA)" \
		--timeout $(RUN_TIMEOUT) $(if $(INTERACTIVE),--interactive) -- $(RUN_ARGS)

test:
	$(Q)sh scripts/install-deps.sh
	$(Q)sh scripts/guest-image.sh || echo "make test: no guest image" \
		"(see the error above): the Linux guest tests will fail" >&2
	$(Q)$(MAKE) --no-print-directory test-built

test-built: images unit-bins
	$(Q)$(PYTHON) tests/run.py --build $(B) --platform $(PLATFORM) \
		$(if $(TEST),-k $(TEST)) --unit $(UNIT_TEST_BINS) \
		--clang-build $(CLANG_B) --bigendian-idl $(BE_IDL_TESTS) \
		--bigendian-units $(BE_UNIT_TESTS) \
		--make-var PLATFORM=$(PLATFORM) --make-var TOOLCHAIN=$(TOOLCHAIN)

# make new-driver NAME=foo VENDOR=0x1234 DEVICE=0x11e8 [QEMU_DEVICE=edu]:
# a PCI driver, its system and its test (tools/new-driver/new_driver.py).
new-driver:
	$(Q)$(PYTHON) tools/new-driver/new_driver.py --name "$(NAME)" \
		--vendor "$(VENDOR)" --device "$(DEVICE)" \
		--qemu-device "$(QEMU_DEVICE)"

# Long soaks (minutes): 80 million hostile system calls, the timing-
# sensitive kernel tests repeated. Not part of make test.
stress:
	$(Q)sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory stress-built

stress-built: images
	$(Q)$(PYTHON) tests/run.py --build $(B) --platform $(PLATFORM) --stress \
		$(if $(TEST),-k $(TEST))

bench:
	$(Q)sh scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory bench-built

bench-built: images
	$(Q)$(PYTHON) tools/bench.py --build $(B) --platform $(PLATFORM) \
		--toolchain $(TOOLCHAIN) $(BENCH_ARGS)

clean:
	rm -rf build
