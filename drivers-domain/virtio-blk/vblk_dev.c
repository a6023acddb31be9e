/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk start-up (virtio 1.2, 3.1.1 and 4.1.5): claim the function,
 * find its virtio structures, map the BARs holding them, attach it to the
 * DMA server, negotiate features, set up request queue 0 in ring pages
 * mapped through dma.idl, take its INTx line, and tell the device the
 * driver is ready.
 */
#include <stdio.h>
#include <string.h>

#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "dma.h"
#include "pci.h"
#include "vblk.h"
#include "virtio.h"

/* Features this driver accepts when offered; VERSION_1 is required. */
#define VBLK_WANTED                                                          \
	(VIO_BIT(VIO_F_VERSION_1) | VIO_BIT(VIO_F_ACCESS_PLATFORM) |         \
	 VIO_BIT(VIO_F_BLK_SIZE_MAX) | VIO_BIT(VIO_F_BLK_SEG_MAX) |          \
	 VIO_BIT(VIO_F_BLK_RO) | VIO_BIT(VIO_F_BLK_BLK_SIZE) |               \
	 VIO_BIT(VIO_F_BLK_FLUSH))

static int vblk_fail(const char *what, int err)
{
	printf("virtio-blk: %s: %s\n", what, rift_strerror(err));
	return err ? err : RIFT_EIO;
}

/** Reads the first 256 bytes of configuration space, little-endian. */
static int vblk_read_cfg(struct vblk *d, uint8_t cfg[256])
{
	for (uint16_t off = 0; off < 256; off += 4) {
		uint32_t v = 0;
		int err = pci_config_read(&d->pci, d->bdf, off, 4, &v);

		if (err != RIFT_OK) {
			return err;
		}
		for (int i = 0; i < 4; i++) {
			cfg[off + i] = (uint8_t)(v >> (8 * i));
		}
	}
	return RIFT_OK;
}

/** Maps a BAR holding a virtio structure (once) and returns the VA. */
static volatile uint8_t *vblk_region(struct vblk *d, const struct vcap_region *r)
{
	struct pci_drv_bar *b = &d->bars[r->bar];

	if (!d->bar_mapped[r->bar]) {
		int err = pci_drv_map_bar(&d->pci, d->bdf, r->bar, 0, 16,
					  VBLK_BAR_VA + ((uint64_t)r->bar << 30),
					  b);
		if (err != RIFT_OK) {
			vblk_fail("mapping a BAR", err);
			return NULL;
		}
		d->bar_mapped[r->bar] = true;
	}
	if ((uint64_t)r->offset + r->length > b->frame_size * b->count) {
		printf("virtio-blk: BAR%u: structure at 0x%x beyond the %u "
		       "frames mapped\n", r->bar, r->offset, b->count);
		return NULL;
	}
	return (volatile uint8_t *)(uintptr_t)(b->va + r->offset);
}

static int vblk_find_structures(struct vblk *d)
{
	static uint8_t cfg[256];
	struct pci_dev_info info;
	uint64_t sizes[6];
	const char *why = "";
	int err = pci_info(&d->pci, d->bdf, &info);

	if (err == RIFT_OK) {
		err = vblk_read_cfg(d, cfg);
	}
	if (err != RIFT_OK) {
		return vblk_fail("reading configuration space", err);
	}
	for (int i = 0; i < 6; i++) {
		sizes[i] = (info.bars[i].flags & PCI_BAR_ATTR_IO) ||
					   info.bars[i].bus_addr == 0
				   ? 0
				   : info.bars[i].size;
	}
	if (vcaps_parse(cfg, &d->caps, &why) != VCAPS_OK ||
	    vcaps_check_bars(&d->caps, sizes, &why) != VCAPS_OK) {
		printf("virtio-blk: %s\n", why);
		return RIFT_EINVAL;
	}
	d->common = vblk_region(d, &d->caps.common);
	d->isr = vblk_region(d, &d->caps.isr);
	d->devcfg = vblk_region(d, &d->caps.device);
	d->notify = vblk_region(d, &d->caps.notify);
	return d->common && d->isr && d->devcfg && d->notify ? RIFT_OK
							     : RIFT_EIO;
}

static uint8_t vblk_status(struct vblk *d)
{
	return *(volatile uint8_t *)(d->common + VIO_STATUS);
}

static void vblk_set_status(struct vblk *d, uint8_t s)
{
	*(volatile uint8_t *)(d->common + VIO_STATUS) = s;
}

static uint64_t vblk_device_features(struct vblk *d)
{
	uint64_t f;

	vio_st32(d->common + VIO_DEV_FEATURE_SEL, 0);
	f = vio_ld32(d->common + VIO_DEV_FEATURE);
	vio_st32(d->common + VIO_DEV_FEATURE_SEL, 1);
	return f | ((uint64_t)vio_ld32(d->common + VIO_DEV_FEATURE) << 32);
}

static int vblk_negotiate(struct vblk *d)
{
	uint64_t offered;
	int spins = 0;

	vblk_set_status(d, 0); /* reset; wait for it to take */
	while (vblk_status(d) != 0) {
		if (++spins > 1000000) {
			printf("virtio-blk: the device does not reset\n");
			return RIFT_EIO;
		}
	}
	vblk_set_status(d, VIO_S_ACKNOWLEDGE);
	vblk_set_status(d, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER);
	offered = vblk_device_features(d);
	if (!(offered & VIO_BIT(VIO_F_VERSION_1))) {
		printf("virtio-blk: the device does not offer VIRTIO_F_VERSION_1 "
		       "(a legacy device: use disable-legacy=on)\n");
		vblk_set_status(d, VIO_S_FAILED);
		return RIFT_EINVAL;
	}
	d->features = offered & VBLK_WANTED;
	vio_st32(d->common + VIO_DRV_FEATURE_SEL, 0);
	vio_st32(d->common + VIO_DRV_FEATURE, (uint32_t)d->features);
	vio_st32(d->common + VIO_DRV_FEATURE_SEL, 1);
	vio_st32(d->common + VIO_DRV_FEATURE, (uint32_t)(d->features >> 32));
	vblk_set_status(d, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER | VIO_S_FEATURES_OK);
	if (!(vblk_status(d) & VIO_S_FEATURES_OK)) {
		printf("virtio-blk: the device refused features 0x%llx\n",
		       (unsigned long long)d->features);
		vblk_set_status(d, VIO_S_FAILED);
		return RIFT_EINVAL;
	}
	return RIFT_OK;
}

/** Reads the block configuration (consistent: same generation before and after). */
static void vblk_read_config(struct vblk *d)
{
	uint8_t gen;
	uint32_t size_max = 0;

	do {
		gen = *(volatile uint8_t *)(d->common + VIO_CONFIG_GEN);
		d->lim.sectors =
			(uint64_t)vio_ld32(d->devcfg + VIO_BLK_CAPACITY) |
			((uint64_t)vio_ld32(d->devcfg + VIO_BLK_CAPACITY + 4)
			 << 32);
		size_max = vio_ld32(d->devcfg + VIO_BLK_SIZE_MAX);
		d->block_size = vio_ld32(d->devcfg + VIO_BLK_BLK_SIZE);
	} while (gen != *(volatile uint8_t *)(d->common + VIO_CONFIG_GEN));
	if (!(d->features & VIO_BIT(VIO_F_BLK_BLK_SIZE)) ||
	    d->block_size < VIO_SECTOR_SIZE) {
		d->block_size = VIO_SECTOR_SIZE;
	}
	d->lim.max_bytes = VBLK_MAX_BYTES;
	if ((d->features & VIO_BIT(VIO_F_BLK_SIZE_MAX)) && size_max != 0 &&
	    size_max < d->lim.max_bytes) {
		/* one data descriptor per request: size_max bounds it */
		d->lim.max_bytes = size_max & ~(VIO_SECTOR_SIZE - 1);
	}
	d->lim.read_only = (d->features & VIO_BIT(VIO_F_BLK_RO)) != 0;
	d->lim.flush = (d->features & VIO_BIT(VIO_F_BLK_FLUSH)) != 0;
}

/** A zeroed 4 KiB page mapped read-write at @va and for DMA in @dir. */
static int vblk_ring_page(struct vblk *d, uint64_t va, uint8_t dir,
			  uint64_t *slot, uint32_t *handle, uint64_t *dev)
{
	long kerr;
	int err;

	*slot = rt_slot_alloc();
	if (*slot == 0) {
		return RIFT_ENOMEM;
	}
	kerr = rift_frame_alloc(0, *slot, 0, -1, 0);
	if (kerr == 0) {
		kerr = rift_map(0, *slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE);
	}
	if (kerr != 0) {
		printf("virtio-blk: ring page: %s\n", rift_strerror(kerr));
		return RIFT_ENOMEM;
	}
	err = dma_map(&d->dma, d->bdf, *slot, 0, 4096, dir, dev, handle);
	if (err != RIFT_OK) {
		return vblk_fail("mapping a ring page for DMA", err);
	}
	return RIFT_OK;
}

static int vblk_setup_queue(struct vblk *d)
{
	uint16_t max, size = VBLK_QSIZE;
	uint8_t *a = (uint8_t *)(uintptr_t)VBLK_RING_A_VA;
	uint8_t *b = (uint8_t *)(uintptr_t)VBLK_RING_B_VA;
	uint64_t notify_at;
	int err;

	vio_st16(d->common + VIO_Q_SELECT, 0);
	max = vio_ld16(d->common + VIO_Q_SIZE);
	if (max == 0 || vio_ld16(d->common + VIO_Q_ENABLE) != 0) {
		printf("virtio-blk: queue 0 unavailable (size %u)\n", max);
		return RIFT_EIO;
	}
	while (size > max) {
		size /= 2;
	}
	if (size < 4) {
		printf("virtio-blk: queue 0 too small (%u entries)\n", max);
		return RIFT_EIO;
	}
	err = vblk_ring_page(d, VBLK_RING_A_VA, DMA_DIR_TO_DEVICE, &d->ring_a,
			     &d->ring_a_h, &d->ring_a_dev);
	if (err == RIFT_OK) {
		err = vblk_ring_page(d, VBLK_RING_B_VA, DMA_DIR_FROM_DEVICE,
				     &d->ring_b, &d->ring_b_h, &d->ring_b_dev);
	}
	if (err != RIFT_OK) {
		return err;
	}
	if (vq_init(&d->q, size, a + VBLK_A_DESC, a + VBLK_A_AVAIL,
		    b + VBLK_B_USED) != 0) {
		return RIFT_EINVAL;
	}
	notify_at = (uint64_t)vio_ld16(d->common + VIO_Q_NOTIFY_OFF) *
		    d->caps.notify_mult;
	if (notify_at + 2 > d->caps.notify.length) {
		printf("virtio-blk: queue doorbell outside the notify structure\n");
		return RIFT_EINVAL;
	}
	d->notify += notify_at;
	vio_st16(d->common + VIO_Q_SIZE, size);
	vio_st32(d->common + VIO_Q_DESC, (uint32_t)(d->ring_a_dev + VBLK_A_DESC));
	vio_st32(d->common + VIO_Q_DESC + 4,
		 (uint32_t)((d->ring_a_dev + VBLK_A_DESC) >> 32));
	vio_st32(d->common + VIO_Q_DRIVER,
		 (uint32_t)(d->ring_a_dev + VBLK_A_AVAIL));
	vio_st32(d->common + VIO_Q_DRIVER + 4,
		 (uint32_t)((d->ring_a_dev + VBLK_A_AVAIL) >> 32));
	vio_st32(d->common + VIO_Q_DEVICE, (uint32_t)(d->ring_b_dev + VBLK_B_USED));
	vio_st32(d->common + VIO_Q_DEVICE + 4,
		 (uint32_t)((d->ring_b_dev + VBLK_B_USED) >> 32));
	vio_st16(d->common + VIO_Q_ENABLE, 1);
	return RIFT_OK;
}

int vblk_start(struct vblk *d)
{
	uint64_t wbase = 0, wsize = 0;
	uint32_t intid = 0;
	int64_t bdf;
	int err;

	d->pci = pci_drv_open();
	d->dma = rift_chan_open("dma");
	d->dma.recv_caps = 1; /* attach returns the fault notification */
	bdf = pci_drv_find(&d->pci, VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BLK, 0);
	if (bdf < 0) {
		return vblk_fail("no modern virtio-blk device (1af4:1042)",
				 (int)bdf);
	}
	d->bdf = (uint32_t)bdf;
	err = pci_claim(&d->pci, d->bdf);
	if (err != RIFT_OK) {
		return vblk_fail("claim", err);
	}
	err = vblk_find_structures(d);
	if (err != RIFT_OK) {
		return err;
	}
	/* The device drives 64-bit addresses (virtio has no narrower mask). */
	err = dma_attach(&d->dma, d->bdf, 64, &wbase, &wsize, &d->dma_events);
	if (err != RIFT_OK) {
		return vblk_fail("DMA attach", err);
	}
	err = vblk_negotiate(d);
	if (err == RIFT_OK) {
		vblk_read_config(d);
		err = vblk_setup_queue(d);
	}
	if (err == RIFT_OK) {
		err = pci_irq_attach(&d->pci, d->bdf, &intid, &d->irq);
		if (err != RIFT_OK) {
			vblk_fail("interrupt", err);
		}
	}
	if (err != RIFT_OK) {
		vblk_set_status(d, VIO_S_FAILED);
		return err;
	}
	vblk_set_status(d, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER |
				   VIO_S_FEATURES_OK | VIO_S_DRIVER_OK);
	printf("virtio-blk: %02x:%02x.%u: %llu sectors, block %u, max %u bytes, "
	       "queue %u, features 0x%llx%s, intid %u, dma window 0x%llx+0x%llx\n",
	       d->bdf >> 8, (d->bdf >> 3) & 31, d->bdf & 7,
	       (unsigned long long)d->lim.sectors, d->block_size,
	       d->lim.max_bytes, d->q.size, (unsigned long long)d->features,
	       d->lim.read_only ? " (read-only)" : "", intid,
	       (unsigned long long)wbase, (unsigned long long)wsize);
	return RIFT_OK;
}
