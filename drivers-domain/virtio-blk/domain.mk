# The virtio-blk driver domain (docs/drivers.md): pci.idl and dma.idl
# clients, blk.idl server.
VBLK_DIR := drivers-domain/virtio-blk
VBLK_PURE := $(VBLK_DIR)/vq.c $(VBLK_DIR)/vcaps.c $(VBLK_DIR)/vblk_req.c
virtio-blk_SRCS := $(VBLK_DIR)/main.c $(VBLK_DIR)/vblk_dev.c \
	$(VBLK_DIR)/vblk_io.c $(VBLK_PURE) $(PCI_DRV_SRCS) \
	$(IDL_GEN_DIR)/dma_client.c $(IDL_GEN_DIR)/blk_server.c
$(patsubst %,$(B)/dom/%.o,$(filter $(VBLK_DIR)/%,$(virtio-blk_SRCS))): \
	DOMAIN_CFLAGS += -Idrivers-domain/pci
PRODUCT_DOMAINS += virtio-blk

# Host tests: the ring logic, capability parsing and request checks
# (also built big-endian for s390x).
UNIT_TESTS += vblk
unit_vblk_SRCS := $(VBLK_DIR)/tests/test_vblk.c $(VBLK_PURE)
unit_vblk_CFLAGS := -Ilibs/include -I$(IDL_GEN_DIR) -I$(VBLK_DIR)
$(B)/host/unit/test_vblk: $(IDL_GEN_DIR)/blk.h $(wildcard $(VBLK_DIR)/*.h)
