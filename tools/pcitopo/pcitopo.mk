# pcitopo: host tool that reads an `lspci -x` configuration space dump via
# libpci and prints the canonical PCI topology listing (docs/pci.md).
# Included by build.mk; uses B, HOSTCC, Q and WARN from there.

PCITOPO := $(B)/host/tools/pcitopo
PCITOPO_SRCS := tools/pcitopo/pcitopo.c drivers-domain/pci/pci_list.c \
	drivers-domain/pci/pci_topo.c drivers-domain/pci/pci_fmt.c

$(PCITOPO): $(PCITOPO_SRCS) $(wildcard drivers-domain/pci/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g $(WARN) $(PCITOPO_SRCS) -lpci -o $@

HOST_TOOLS += $(PCITOPO)
