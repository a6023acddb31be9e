# Block client tests (tests/integration/test_51_blk.py).
blkclient_SRCS := tests/domains/blk/blkclient.c $(IDL_GEN_DIR)/blk_client.c \
	$(IDL_GEN_DIR)/dma_client.c
TEST_DOMAINS += blkclient
