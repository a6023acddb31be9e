# Block client tests (tests/integration/test_51_blk.py): a client of blk,
# and in hostile mode of dma and pci too.
blkclient_SRCS := tests/domains/blk/blkclient.c $(IDL_GEN_DIR)/blk_client.c \
	$(IDL_GEN_DIR)/dma_client.c $(PCI_DRV_SRCS)
TEST_DOMAINS += blkclient
$(B)/dom/tests/domains/blk/blkclient.c.o: DOMAIN_CFLAGS += -Idrivers-domain/pci
