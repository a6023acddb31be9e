# DMA server tests (tests/integration/test_50_dma.py): a driver that uses
# the PCI server and dma.idl as real drivers do.
dmatest_SRCS := tests/domains/dma/dmatest.c $(PCI_DRV_SRCS) \
	$(B)/gen/idl/dma_client.c
dmatest_LIBS := $(LIBFDT_ARM64)
TEST_DOMAINS += dmatest
$(B)/dom/tests/domains/dma/dmatest.c.o: DOMAIN_CFLAGS += -Idrivers-domain/pci
