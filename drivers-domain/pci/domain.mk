# The PCI server domain (docs/pci.md): the portable core, the server
# around it, and the pci.idl dispatcher generated from idl/pci.idl.
PCI_CORE_FILES := pci_enum.c pci_alloc.c pci_topo.c pci_dump.c pci_list.c \
	pci_fmt.c
PCI_SERVER_FILES := pci_main.c pci_dt.c pci_ecam.c pci_owner.c \
	pci_handlers.c pci_report.c pci_policy.c
pci_SRCS := $(addprefix drivers-domain/pci/,$(PCI_CORE_FILES) $(PCI_SERVER_FILES)) \
	$(B)/gen/idl/pci_server.c
pci_LIBS := $(LIBFDT_ARM64)
PRODUCT_DOMAINS += pci

# Drivers link drivers-domain/pci/pci_drv.c and the generated client.
PCI_DRV_SRCS := drivers-domain/pci/pci_drv.c $(B)/gen/idl/pci_client.c
