# SPDX-License-Identifier: MIT
# Host tests and libFuzzer targets for the two device-tree parsers:
#   sysdesc  drivers-domain/supervisor/sysdesc.c (the system description)
#   dt       kernel/core/dt.c (the boot hardware tree; panic() longjmps back)
#
# Included from tests/unit/unit.mk (B, Q, HOSTCC, HOST_CFLAGS are set).
# Host libfdt: Debian's amd64 libfdt-dev conflicts with the installed
# arm64 one, so scripts/host-libfdt.sh unpacks its libfdt.a into the build
# tree. Test trees: dtc compiles the fixtures (tests/unit/dt/*.dts) and the
# real system descriptions; QEMU dumps its own hardware tree (plain and a
# 2-node NUMA variant). Everything lands in $(B)/host/dt/.
# Targets: the unit tests (unit-bins, test), dt-fuzz (part of `make fuzz`;
# FUZZ_SECONDS per target, default 20).

HOST_LIBFDT_DIR := $(B)/host/libfdt
HOST_LIBFDT := $(HOST_LIBFDT_DIR)/lib/libfdt.a
DT_HOST := $(B)/host/dt

# No prerequisites: the script does nothing once the archive is there.
$(HOST_LIBFDT):
	@echo "  LIBFDT  $@"
	$(Q)sh scripts/host-libfdt.sh $(HOST_LIBFDT_DIR)

# -- trees ---------------------------------------------------------------------
# "  DTC     file" when quiet
dt_say = $(if $(Q),@printf '  %-7s %s\n' '$(1)' '$(2)';)

# Every system description the project ships: they must all parse.
# tests/system/*_refused.dts are descriptions the supervisor must refuse.
SD_EXAMPLE_DTBS := \
	$(patsubst tests/system/%.dts,$(DT_HOST)/sys/tests/%.dtb,$(filter-out %_refused.dts,$(wildcard tests/system/*.dts))) \
	$(patsubst platforms/%/system.dts,$(DT_HOST)/sys/platforms/%.dtb,$(wildcard platforms/*/system.dts))
SD_REFUSED_DTBS := \
	$(patsubst tests/system/%.dts,$(DT_HOST)/sys/tests/%.dtb,$(wildcard tests/system/*_refused.dts))

$(DT_HOST)/sys/tests/%.dtb: tests/system/%.dts
	$(call dt_say,DTC,$<)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(DT_HOST)/sys/platforms/%.dtb: platforms/%/system.dts
	$(call dt_say,DTC,$<)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(DT_HOST)/%.dtb: tests/unit/dt/%.dts
	$(call dt_say,DTC,$<)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# QEMU's own tree for the reference board. The plain one is dumped with a
# (dummy) kernel, initrd and command line so /chosen carries them; the NUMA
# one has 2 nodes of 512 MiB, one CPU each, distance 25.
DT_QEMU ?= qemu-system-aarch64
DT_QEMU_BASE = timeout 30 $(DT_QEMU) -cpu neoverse-n1 -m 1G -nographic -nic none
DT_QEMU_MACHINE := virt,virtualization=on,gic-version=3,iommu=smmuv3
DT_INITRD_SIZE := 12345
DT_BOOTARGS := rift.test=1 console=ttyAMA0
DT_NUMA_ARGS := -smp 2 \
	-object memory-backend-ram,id=m0,size=512M \
	-object memory-backend-ram,id=m1,size=512M \
	-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 \
	-numa dist,src=0,dst=1,val=25

$(DT_HOST)/virt.dtb: tests/unit/dt.mk
	$(call dt_say,QEMU,$@)
	@mkdir -p $(@D)
	$(Q)head -c 4096 /dev/zero > $(@D)/dummy-kernel
	$(Q)head -c $(DT_INITRD_SIZE) /dev/zero > $(@D)/dummy-initrd
	$(Q)$(DT_QEMU_BASE) -M $(DT_QEMU_MACHINE),dumpdtb=$@.tmp \
		-kernel $(@D)/dummy-kernel -initrd $(@D)/dummy-initrd \
		-append '$(DT_BOOTARGS)' >/dev/null 2>&1 \
		|| { echo "dt: qemu could not dump its device tree" >&2; exit 1; }
	$(Q)mv $@.tmp $@

$(DT_HOST)/virt-numa.dtb: tests/unit/dt.mk
	$(call dt_say,QEMU,$@)
	@mkdir -p $(@D)
	$(Q)$(DT_QEMU_BASE) -M $(DT_QEMU_MACHINE),dumpdtb=$@.tmp $(DT_NUMA_ARGS) \
		>/dev/null 2>&1 \
		|| { echo "dt: qemu could not dump its device tree" >&2; exit 1; }
	$(Q)mv $@.tmp $@

# QEMU pads its tree to 1 MiB; the fuzz seeds are repacked by dtc.
$(DT_HOST)/packed/%.dtb: $(DT_HOST)/%.dtb
	@mkdir -p $(@D)
	$(Q)dtc -q -I dtb -O dtb -o $@ $<

# -- unit tests ----------------------------------------------------------------
SD_FULL_DTB := $(DT_HOST)/sysdesc-full.dtb

# Known bugs in the parsers, reported but not fixed by these tests: with
# DT_KNOWN_BUGS=1 the unit tests that show them are built in (expect
# failures, and an ASan abort, until the parsers are fixed) and the
# fuzzers stop skipping the inputs that trigger them. Rebuild the test and
# fuzz binaries after changing it.
DT_KNOWN_BUG_CFLAGS := $(if $(DT_KNOWN_BUGS),-DDT_KNOWN_BUGS)

UNIT_TESTS += sysdesc
unit_sysdesc_SRCS := tests/unit/test_sysdesc.c drivers-domain/supervisor/sysdesc.c \
	libs/rt/caps.c
unit_sysdesc_CFLAGS := -Idrivers-domain/supervisor -Ilibs/include $(DT_KNOWN_BUG_CFLAGS) \
	-DSD_FULL_DTB='"$(SD_FULL_DTB)"' \
	-DSD_EXAMPLES='$(foreach f,$(SD_EXAMPLE_DTBS),"$(f)",)' \
	-DSD_REFUSED='$(foreach f,$(SD_REFUSED_DTBS),"$(f)",)'
unit_sysdesc_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_sysdesc: $(HOST_LIBFDT) $(SD_FULL_DTB) $(SD_EXAMPLE_DTBS) $(SD_REFUSED_DTBS) \
	drivers-domain/supervisor/sysdesc.h libs/include/rift/fdt_guard.h tests/unit/dt.mk

UNIT_TESTS += dt
unit_dt_SRCS := tests/unit/test_dt.c kernel/core/dt.c kernel/core/printk.c
unit_dt_CFLAGS := -Ilibs/include $(DT_KNOWN_BUG_CFLAGS) -DDT_VIRT_DTB='"$(DT_HOST)/virt.dtb"' \
	-DDT_NUMA_DTB='"$(DT_HOST)/virt-numa.dtb"' \
	-DDT_SMALL_DTB='"$(DT_HOST)/hw-small.dtb"' \
	-DDT_INITRD_SIZE=$(DT_INITRD_SIZE) -DDT_BOOTARGS='"$(DT_BOOTARGS)"'
unit_dt_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_dt: $(HOST_LIBFDT) $(DT_HOST)/virt.dtb $(DT_HOST)/virt-numa.dtb \
	$(DT_HOST)/hw-small.dtb libs/include/rift/fdt_guard.h tests/unit/dt.mk

# -- fuzzing -------------------------------------------------------------------
# sysdesc: arbitrary blobs to sysdesc_parse; accepted descriptions must keep
# every documented invariant, rejected ones must say where. dt: arbitrary
# blobs to dt_parse; a panic is a clean rejection, anything else it fills in
# must be consistent. Corpus seeded from the valid trees. Not part of
# `make test`.

FUZZ_SECONDS ?= 20
DT_FUZZ_CC ?= clang
DT_FUZZ_DIR := $(B)/fuzz/dt
DT_FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wpacked \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
DT_FUZZ_TARGETS := $(DT_FUZZ_DIR)/sysdesc $(DT_FUZZ_DIR)/dt

$(DT_FUZZ_DIR)/sysdesc: tests/fuzz/fuzz_sysdesc.c drivers-domain/supervisor/sysdesc.c \
	drivers-domain/supervisor/sysdesc.h libs/include/rift/fdt_guard.h $(HOST_LIBFDT) \
	tests/unit/dt.mk
	$(call dt_say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(DT_FUZZ_CC) $(DT_FUZZ_CFLAGS) $(DT_KNOWN_BUG_CFLAGS) \
		-Idrivers-domain/supervisor -Ilibs/include \
		$(filter %.c,$^) $(HOST_LIBFDT) -o $@

$(DT_FUZZ_DIR)/dt: tests/fuzz/fuzz_dt.c kernel/core/dt.c kernel/core/printk.c \
	kernel/include/rift/bootinfo.h libs/include/rift/fdt_guard.h $(HOST_LIBFDT) \
	tests/unit/dt.mk
	$(call dt_say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(DT_FUZZ_CC) $(DT_FUZZ_CFLAGS) $(DT_KNOWN_BUG_CFLAGS) -Ikernel/include \
		-Ikernel/arch/fake/include -Ikernel/arch/aarch64/include -Ilibs/include \
		$(filter %.c,$^) $(HOST_LIBFDT) -o $@

DT_FUZZ_SEEDS_sysdesc := $(SD_FULL_DTB) $(SD_EXAMPLE_DTBS)
DT_FUZZ_SEEDS_dt := $(DT_HOST)/packed/virt.dtb $(DT_HOST)/packed/virt-numa.dtb \
	$(DT_HOST)/hw-small.dtb

$(DT_FUZZ_DIR)/seeds/sysdesc/.stamp: $(DT_FUZZ_SEEDS_sysdesc)
$(DT_FUZZ_DIR)/seeds/dt/.stamp: $(DT_FUZZ_SEEDS_dt)
$(DT_FUZZ_DIR)/seeds/sysdesc/.stamp $(DT_FUZZ_DIR)/seeds/dt/.stamp:
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/
	$(Q)touch $@

.PHONY: dt-fuzz
fuzz: dt-fuzz
dt-fuzz: $(DT_FUZZ_TARGETS) $(DT_FUZZ_DIR)/seeds/sysdesc/.stamp \
		$(DT_FUZZ_DIR)/seeds/dt/.stamp
	$(Q)for t in $(DT_FUZZ_TARGETS); do \
		n=$${t##*/}; c=$(DT_FUZZ_DIR)/corpus/$$n; \
		mkdir -p $$c $(DT_FUZZ_DIR)/artifacts; \
		printf '  %-7s %s (%ss)\n' FUZZ $$n $(FUZZ_SECONDS); \
		$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-dict=tests/fuzz/$$n.dict \
			-artifact_prefix=$(DT_FUZZ_DIR)/artifacts/$$n- \
			$$c $(DT_FUZZ_DIR)/seeds/$$n \
			> $(DT_FUZZ_DIR)/$$n.log 2>&1 \
			|| { tail -n 40 $(DT_FUZZ_DIR)/$$n.log; \
			     echo "dt-fuzz: $$n failed; log in $(DT_FUZZ_DIR)/$$n.log"; exit 1; }; \
		grep -h 'stat::number_of_executed_units' $(DT_FUZZ_DIR)/$$n.log; \
	done
