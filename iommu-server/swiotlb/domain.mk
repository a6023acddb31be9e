# The swiotlb DMA server (docs/dma.md): dma.idl without an IOMMU.
SWIOTLB_DIR := iommu-server/swiotlb
SWIOTLB_PURE := $(SWIOTLB_DIR)/pool.c $(SWIOTLB_DIR)/swcore.c
swiotlb_SRCS := $(SWIOTLB_DIR)/main.c $(SWIOTLB_DIR)/handlers.c \
	$(SWIOTLB_PURE) $(PCI_DRV_SRCS) $(IDL_GEN_DIR)/dma_server.c
$(patsubst %,$(B)/dom/%.o,$(filter $(SWIOTLB_DIR)/%,$(swiotlb_SRCS))): \
	DOMAIN_CFLAGS += -Idrivers-domain/pci
PRODUCT_DOMAINS += swiotlb

UNIT_TESTS += swiotlb
unit_swiotlb_SRCS := $(SWIOTLB_DIR)/tests/test_swiotlb.c $(SWIOTLB_PURE)
unit_swiotlb_CFLAGS := -I$(SWIOTLB_DIR)
$(B)/host/unit/test_swiotlb: $(wildcard $(SWIOTLB_DIR)/*.h)
