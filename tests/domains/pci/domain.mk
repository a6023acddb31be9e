# PCI server tests (tests/integration/test_30_pci.py): a driver-like test
# program linked like a real driver (pci_drv.c + the generated client).
pcitest_SRCS := tests/domains/pci/pcitest.c $(PCI_DRV_SRCS)
TEST_DOMAINS += pcitest
$(B)/dom/tests/domains/pci/pcitest.c.o: DOMAIN_CFLAGS += -Idrivers-domain/pci
