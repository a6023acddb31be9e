# The SMMUv3 DMA server (docs/dma.md): dma.idl served by programming the
# SMMU; a client of the PCI server (bus mastering, who claimed what).
SMMUV3_FILES := smmu_main.c smmu_hwq.c smmu_fault.c smmu_dma.c smmu_hw.c \
	smmu_pt.c
smmuv3_SRCS := $(addprefix iommu-server/smmuv3/,$(SMMUV3_FILES)) \
	$(B)/gen/idl/dma_server.c $(B)/gen/idl/pci_client.c
smmuv3_LIBS := $(LIBFDT_ARM64)
PRODUCT_DOMAINS += smmuv3
