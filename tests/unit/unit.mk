# Host unit tests. Each entry: UNIT_TESTS += <name>, and
# unit_<name>_SRCS := the test file and the sources it links.
# Built with the host gcc, -fsanitize=address,undefined, against the fake arch.

UNIT_TESTS += pmm
unit_pmm_SRCS := tests/unit/test_pmm.c kernel/core/pmm.c

UNIT_TESTS += pgtable
unit_pgtable_SRCS := tests/unit/test_pgtable.c kernel/arch/aarch64/pgtable.c

# Guest exit decoding (kernel/arch/aarch64/exit_decode.c: pure C).
UNIT_TESTS += exit_decode
unit_exit_decode_SRCS := tests/unit/test_exit_decode.c kernel/arch/aarch64/exit_decode.c
unit_exit_decode_CFLAGS := -Ilibs/include

# PCI core (drivers-domain/pci) against a simulated configuration space.
PCI_CORE_SRCS := drivers-domain/pci/pci_enum.c drivers-domain/pci/pci_alloc.c \
	drivers-domain/pci/pci_topo.c drivers-domain/pci/pci_dump.c \
	drivers-domain/pci/pci_list.c drivers-domain/pci/pci_fmt.c
UNIT_TESTS += pci_enum
unit_pci_enum_SRCS := tests/unit/test_pci_enum.c tests/unit/pci_sim.c $(PCI_CORE_SRCS)
$(B)/host/unit/test_pci_enum: $(wildcard drivers-domain/pci/*.h)

UNIT_TESTS += pci_dump
unit_pci_dump_SRCS := tests/unit/test_pci_dump.c tests/unit/pci_sim.c $(PCI_CORE_SRCS)
$(B)/host/unit/test_pci_dump: $(wildcard drivers-domain/pci/*.h)

UNIT_TESTS += pci_list
unit_pci_list_SRCS := tests/unit/test_pci_list.c tests/unit/pci_sim.c $(PCI_CORE_SRCS)
$(B)/host/unit/test_pci_list: $(wildcard drivers-domain/pci/*.h)

# Domain runtime (libs/rt): ELF loader, cpio reader, initial stack, memory
# manager (against a fake kernel) and output line discipline.
UNIT_TESTS += rt_elf
unit_rt_elf_SRCS := tests/unit/test_rt_elf.c libs/rt/elf_load.c
unit_rt_elf_CFLAGS := -Ilibs/include
UNIT_TESTS += rt_cpio
unit_rt_cpio_SRCS := tests/unit/test_rt_cpio.c libs/rt/cpio.c
unit_rt_cpio_CFLAGS := -Ilibs/include
UNIT_TESTS += rt_initstack
unit_rt_initstack_SRCS := tests/unit/test_rt_initstack.c libs/rt/initstack.c
unit_rt_initstack_CFLAGS := -Ilibs/include
UNIT_TESTS += rt_mem
unit_rt_mem_SRCS := tests/unit/test_rt_mem.c libs/rt/mem.c libs/rt/slots.c libs/rt/frames.c
unit_rt_mem_CFLAGS := -Ilibs/include
UNIT_TESTS += rt_console
unit_rt_console_SRCS := tests/unit/test_rt_console.c libs/rt/console.c
unit_rt_console_CFLAGS := -Ilibs/include
include tests/unit/dt.mk
include tests/unit/kcore.mk

# Console server logic (drivers-domain/console): line assembly, arguments,
# input routing and the kernel log ring reader, against fake output seams.
UNIT_TESTS += console_server
unit_console_server_SRCS := tests/unit/test_console_server.c \
	drivers-domain/console/con_lines.c drivers-domain/console/con_args.c \
	drivers-domain/console/con_input.c drivers-domain/console/con_klog.c
unit_console_server_CFLAGS := -Ilibs/include -Idrivers-domain/console
$(B)/host/unit/test_console_server: $(wildcard drivers-domain/console/*.h \
	drivers-domain/console/client/*.h)

# PCI server (drivers-domain/pci/tests): host bridge parsing against
# device trees built with libfdt, the driver access policy, and the
# page-per-memory-BAR rule of the allocator.
UNIT_TESTS += pci_dt
unit_pci_dt_SRCS := drivers-domain/pci/tests/test_pci_dt.c drivers-domain/pci/pci_dt.c
unit_pci_dt_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_pci_dt: $(HOST_LIBFDT)
$(B)/host/unit/test_pci_dt: $(wildcard drivers-domain/pci/*.h)
UNIT_TESTS += pci_policy
unit_pci_policy_SRCS := drivers-domain/pci/tests/test_pci_policy.c \
	drivers-domain/pci/pci_policy.c tests/unit/pci_sim.c $(PCI_CORE_SRCS)
unit_pci_policy_CFLAGS := -Ilibs/include
$(B)/host/unit/test_pci_policy: $(wildcard drivers-domain/pci/*.h) \
	libs/include/rift/pci_id.h

# The SMMUv3 server (iommu-server/smmuv3/tests): STE, CD, command and
# event formats, queue indices, the stage-1 table builder and the device
# address allocator.
UNIT_TESTS += smmu
unit_smmu_SRCS := iommu-server/smmuv3/tests/test_smmu.c \
	iommu-server/smmuv3/smmu_hw.c iommu-server/smmuv3/smmu_pt.c
$(B)/host/unit/test_smmu: $(wildcard iommu-server/smmuv3/*.h)
# Fault bursts: the server's lines captured (-Dprintf), its seams stubbed.
UNIT_TESTS += smmu_fault
unit_smmu_fault_SRCS := iommu-server/smmuv3/tests/test_smmu_fault.c \
	iommu-server/smmuv3/smmu_fault.c iommu-server/smmuv3/smmu_hw.c
unit_smmu_fault_CFLAGS := -Ilibs/include -I$(IDL_GEN_DIR) -Dprintf=test_printf
$(B)/host/unit/test_smmu_fault: $(wildcard iommu-server/smmuv3/*.h) \
	$(IDL_GEN_DIR)/dma.h
# Platform server (drivers-domain/platform): backend choice, topology and
# the backends' register sequences against a register-level model
# (tests/unit/plat_model.c): the Shub 1 (there is no Altix to run on) and
# QEMU virt's PL031 and PL061.
PLAT_TEST_SRCS := tests/unit/plat_model.c $(PLAT_CORE_SRCS)
UNIT_TESTS += plat_shub1
unit_plat_shub1_SRCS := tests/unit/test_plat_shub1.c $(PLAT_TEST_SRCS)
unit_plat_shub1_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_plat_shub1: $(HOST_LIBFDT) \
	$(wildcard drivers-domain/platform/*.h) tests/unit/plat_model.h
UNIT_TESTS += plat_virt
unit_plat_virt_SRCS := tests/unit/test_plat_virt.c $(PLAT_TEST_SRCS)
unit_plat_virt_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_plat_virt: $(HOST_LIBFDT) \
	$(wildcard drivers-domain/platform/*.h) tests/unit/plat_model.h

# Every unit test is built again for big-endian s390x (BE_CFLAGS in
# build.mk) and run under qemu-s390x (bigendian_units), except those named
# in BE_UNITS_SKIP, each with the reason. None today.
BE_UNITS_SKIP :=
BE_LIBFDT_DIR := $(BE_DIR)/libfdt
BE_LIBFDT := $(BE_LIBFDT_DIR)/lib/libfdt.a
$(BE_LIBFDT):
	@echo "  LIBFDT  $@"
	$(Q)sh scripts/host-libfdt.sh $(BE_LIBFDT_DIR) s390x

# The VMM's pure parts (drivers-domain/vmm/vm_*.c, docs/guests.md): Image
# header, PSCI, PL011, GICv3 distributor/redistributor, guest device tree,
# start-of-day page and console ring, guest configuration.
VMM_PURE_SRCS := $(filter-out drivers-domain/vmm/vcpu.c drivers-domain/vmm/vmm.c, \
	$(wildcard drivers-domain/vmm/*.c))
UNIT_TESTS += vmm
unit_vmm_SRCS := drivers-domain/vmm/tests/test_vmm.c $(VMM_PURE_SRCS)
unit_vmm_LIBS := $(HOST_LIBFDT)
$(B)/host/unit/test_vmm: $(HOST_LIBFDT) $(wildcard drivers-domain/vmm/*.h)

# make fuzz: the VMM's guest-facing models (tests/fuzz/fuzz_vmm.c), with
# clang and libFuzzer, FUZZ_SECONDS each (tests/unit/dt.mk's setting).
VMM_FUZZ := $(B)/fuzz/vmm/vmm
$(VMM_FUZZ): tests/fuzz/fuzz_vmm.c $(VMM_PURE_SRCS) $(wildcard drivers-domain/vmm/*.h) \
	$(HOST_LIBFDT)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all tests/fuzz/fuzz_vmm.c $(VMM_PURE_SRCS) \
		$(HOST_LIBFDT) -o $@
.PHONY: vmm-fuzz
fuzz: vmm-fuzz
vmm-fuzz: $(VMM_FUZZ)
	@mkdir -p $(B)/fuzz/vmm/corpus
	@echo "  FUZZ    vmm ($(FUZZ_SECONDS) s)"
	$(Q)$(VMM_FUZZ) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-artifact_prefix=$(B)/fuzz/vmm/ $(B)/fuzz/vmm/corpus \
		> $(B)/fuzz/vmm/vmm.log 2>&1 || { tail -30 $(B)/fuzz/vmm/vmm.log; \
		echo "vmm-fuzz: failed; log in $(B)/fuzz/vmm/vmm.log"; exit 1; }
