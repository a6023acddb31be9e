# The block demo client of make run (platforms/qemu-virt/system.dts): a
# blk.idl client of the virtio-blk driver domain.
blkdemo_SRCS := drivers-domain/blkdemo/blkdemo.c $(IDL_GEN_DIR)/blk_client.c
PRODUCT_DOMAINS += blkdemo
