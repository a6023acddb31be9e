/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the virtio-blk driver's pure parts: the split virtqueue
 * (vq.c) against a device model that reads and writes the rings as bytes
 * in little-endian order (so the test means the same on a big-endian
 * host), the virtio PCI capability parser (vcaps.c) on configuration
 * spaces laid out as QEMU's virtio-blk-pci lays them out, and the request
 * checks (vblk_req.c).
 */
#include <stdint.h>

#include "test.h"
#include "vblk_req.h"
#include "vcaps.h"
#include "virtio.h"
#include "vq.h"

/* ------------------------------------------------------------ the device */

static uint8_t desc_mem[VQ_MAX_SIZE * 16] __attribute__((aligned(16)));
static uint8_t avail_mem[6 + 2 * VQ_MAX_SIZE] __attribute__((aligned(4)));
static uint8_t used_mem[6 + 8 * VQ_MAX_SIZE] __attribute__((aligned(4)));
static struct vq q;

static uint32_t le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	for (int i = n - 1; i >= 0; i--) {
		v = (v << 8) | p[i];
	}
	return v;
}

static void put_le(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/** The device's view: how many chains are available. */
static uint16_t dev_avail_idx(void)
{
	return (uint16_t)le(avail_mem + 2, 2);
}

/** The head in available slot @i. */
static uint16_t dev_avail_head(uint16_t i, uint16_t size)
{
	return (uint16_t)le(avail_mem + 4 + 2 * (i & (size - 1)), 2);
}

/** Walks a chain from @head; returns its length, fills @addrs. */
static int dev_walk(uint16_t head, uint64_t *addrs, uint32_t *lens,
		    uint16_t *flags, int max)
{
	int n = 0;
	uint16_t i = head;

	for (;;) {
		const uint8_t *d = desc_mem + 16 * i;

		if (n == max) {
			return -1;
		}
		addrs[n] = (uint64_t)le(d, 4) | ((uint64_t)le(d + 4, 4) << 32);
		lens[n] = le(d + 8, 4);
		flags[n] = (uint16_t)le(d + 12, 2);
		n++;
		if (!(flags[n - 1] & VRING_DESC_F_NEXT)) {
			return n;
		}
		i = (uint16_t)le(d + 14, 2);
	}
}

static uint16_t dev_used;

/** The device completes @head with @len. */
static void dev_complete(uint16_t head, uint32_t len, uint16_t size)
{
	uint8_t *e = used_mem + 4 + 8 * (dev_used & (size - 1));

	put_le(e, head, 4);
	put_le(e + 4, len, 4);
	dev_used++;
	put_le(used_mem + 2, dev_used, 2);
}

static void reset(uint16_t size)
{
	memset(desc_mem, 0, sizeof(desc_mem));
	memset(avail_mem, 0, sizeof(avail_mem));
	memset(used_mem, 0, sizeof(used_mem));
	dev_used = 0;
	vq_init(&q, size, desc_mem, avail_mem, used_mem);
}

/* ------------------------------------------------------------ vq tests */

TEST(vq_init_rejects)
{
	CHECK_EQ(vq_init(&q, 0, desc_mem, avail_mem, used_mem), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 3, desc_mem, avail_mem, used_mem), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 512, desc_mem, avail_mem, used_mem), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 8, desc_mem + 8, avail_mem, used_mem), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 8, desc_mem, avail_mem + 1, used_mem), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 8, desc_mem, avail_mem, used_mem + 2), VQ_EINVAL);
	CHECK_EQ(vq_init(&q, 8, desc_mem, avail_mem, used_mem), 0);
	CHECK_EQ(vq_desc_bytes(64), 1024);
	CHECK_EQ(vq_avail_bytes(64), 134);
	CHECK_EQ(vq_used_bytes(64), 518);
}

TEST(vq_chain_layout)
{
	struct vq_buf b[3] = {
		{ 0x1122334455667788ull, 16, false },
		{ 0xabcd0000ull, 4096, true },
		{ 0x99, 1, true },
	};
	uint64_t addrs[8];
	uint32_t lens[8];
	uint16_t flags[8];
	int head;

	reset(8);
	head = vq_add(&q, b, 3);
	CHECK(head >= 0);
	CHECK_EQ(dev_avail_idx(), 0); /* not published yet */
	vq_publish(&q);
	CHECK_EQ(dev_avail_idx(), 1);
	CHECK_EQ(dev_avail_head(0, 8), head);
	CHECK_EQ(dev_walk((uint16_t)head, addrs, lens, flags, 8), 3);
	CHECK(addrs[0] == 0x1122334455667788ull);
	CHECK_EQ(lens[0], 16);
	CHECK_EQ(flags[0], VRING_DESC_F_NEXT);
	CHECK(addrs[1] == 0xabcd0000ull);
	CHECK_EQ(flags[1], VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	CHECK_EQ(lens[2], 1);
	CHECK_EQ(flags[2], VRING_DESC_F_WRITE);
	CHECK_EQ(q.num_free, 5);
}

TEST(vq_fill_and_drain_out_of_order)
{
	struct vq_buf b[3] = { { 1, 16, false }, { 2, 512, true }, { 3, 1, true } };
	int heads[8];
	uint16_t h;
	uint32_t len;

	reset(16);
	for (int i = 0; i < 5; i++) {
		heads[i] = vq_add(&q, b, 3);
		CHECK(heads[i] >= 0);
	}
	CHECK_EQ(vq_add(&q, b, 3), VQ_EFULL); /* 15 of 16 used */
	CHECK_EQ(q.num_free, 1);
	vq_publish(&q);
	CHECK_EQ(vq_get_used(&q, &h, &len), 0);
	/* the device completes in its own order */
	dev_complete((uint16_t)heads[3], 512, 16);
	dev_complete((uint16_t)heads[0], 7, 16);
	CHECK_EQ(vq_get_used(&q, &h, &len), 1);
	CHECK_EQ(h, heads[3]);
	CHECK_EQ(len, 512);
	CHECK_EQ(vq_get_used(&q, &h, &len), 1);
	CHECK_EQ(h, heads[0]);
	CHECK_EQ(vq_get_used(&q, &h, &len), 0);
	CHECK_EQ(q.num_free, 7);
	/* freed descriptors are reused, and indices wrap past 65535 */
	for (int round = 0; round < 30000; round++) {
		int x = vq_add(&q, b, 3);

		CHECK(x >= 0);
		vq_publish(&q);
		CHECK_EQ(dev_avail_head((uint16_t)(dev_avail_idx() - 1), 16), x);
		dev_complete((uint16_t)x, 1, 16);
		CHECK_EQ(vq_get_used(&q, &h, &len), 1);
		CHECK_EQ(h, x);
	}
	CHECK_EQ(q.num_free, 7);
	CHECK_EQ(q.in_flight, 3);
}

TEST(vq_hostile_device)
{
	struct vq_buf b[2] = { { 1, 16, false }, { 3, 1, true } };
	uint16_t h;
	uint32_t len;
	int head;

	reset(8);
	head = vq_add(&q, b, 2);
	vq_publish(&q);
	/* an id that is no head in flight */
	dev_complete((uint16_t)(head + 1), 0, 8);
	CHECK_EQ(vq_get_used(&q, &h, &len), VQ_EDEVICE);
	CHECK_EQ(q.num_free, 6); /* nothing freed */
	/* an id out of range */
	reset(8);
	head = vq_add(&q, b, 2);
	vq_publish(&q);
	dev_complete(200, 0, 8);
	CHECK_EQ(vq_get_used(&q, &h, &len), VQ_EDEVICE);
	/* the used index runs ahead of what was made available */
	reset(8);
	head = vq_add(&q, b, 2);
	vq_publish(&q);
	put_le(used_mem + 2, 5, 2);
	CHECK_EQ(vq_get_used(&q, &h, &len), VQ_EDEVICE);
	/* the same head twice */
	reset(8);
	head = vq_add(&q, b, 2);
	vq_publish(&q);
	dev_complete((uint16_t)head, 0, 8);
	CHECK_EQ(vq_get_used(&q, &h, &len), 1);
	dev_complete((uint16_t)head, 0, 8);
	CHECK_EQ(vq_get_used(&q, &h, &len), VQ_EDEVICE);
	CHECK_EQ(vq_add(&q, b, 0), VQ_EINVAL);
	CHECK_EQ(vq_add(&q, b, 9), VQ_EINVAL);
}

/* ------------------------------------------------------------ capabilities */

static uint8_t cfg[256];

/** Adds a virtio capability at @off linking to @next. */
static void cap(unsigned int off, unsigned int next, uint8_t type, uint8_t bar,
		uint32_t offset, uint32_t length, uint8_t len)
{
	cfg[off] = VIRTIO_PCI_CAP_ID;
	cfg[off + 1] = (uint8_t)next;
	cfg[off + 2] = len;
	cfg[off + 3] = type;
	cfg[off + 4] = bar;
	put_le(cfg + off + 8, offset, 4);
	put_le(cfg + off + 12, length, 4);
}

/** QEMU 7.2's virtio-blk-pci, disable-legacy=on: caps at 0x84.. in BAR4. */
static void qemu_cfg(void)
{
	memset(cfg, 0, sizeof(cfg));
	put_le(cfg, 0x10421af4, 4);
	cfg[0x06] = 0x10; /* capability list */
	cfg[0x34] = 0x98;
	cfg[0x98] = 0x11; /* MSI-X, skipped */
	cfg[0x99] = 0x84;
	cap(0x84, 0x70, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0, 20);
	cap(0x70, 0x60, VIRTIO_PCI_CAP_NOTIFY, 4, 0x3000, 0x1000, 20);
	put_le(cfg + 0x70 + 16, 4, 4);
	cap(0x60, 0x50, VIRTIO_PCI_CAP_DEVICE, 4, 0x2000, 0x1000, 16);
	cap(0x50, 0x40, VIRTIO_PCI_CAP_ISR, 4, 0x1000, 0x1000, 16);
	cap(0x40, 0x00, VIRTIO_PCI_CAP_COMMON, 4, 0x0000, 0x1000, 16);
}

TEST(vcaps_qemu_layout)
{
	struct vcaps c;
	const char *why;
	uint64_t sizes[6] = { 0, 0, 0, 0, 0x4000, 0 };

	qemu_cfg();
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_OK);
	CHECK(c.common.present && c.common.bar == 4 && c.common.offset == 0);
	CHECK_EQ(c.isr.offset, 0x1000);
	CHECK_EQ(c.device.offset, 0x2000);
	CHECK_EQ(c.notify.offset, 0x3000);
	CHECK_EQ(c.notify_mult, 4);
	CHECK_EQ(vcaps_check_bars(&c, sizes, &why), VCAPS_OK);
	sizes[4] = 0x3000; /* notify would lie beyond the BAR */
	CHECK_EQ(vcaps_check_bars(&c, sizes, &why), VCAPS_EBAR);
	/* the first capability of a type in list order wins */
	cap(0x84, 0x70, VIRTIO_PCI_CAP_COMMON, 2, 0x100, 0x1000, 16);
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_OK);
	CHECK_EQ(c.common.bar, 2);
	CHECK_EQ(c.common.offset, 0x100);
}

TEST(vcaps_broken)
{
	struct vcaps c;
	const char *why;

	qemu_cfg();
	cfg[0x06] = 0;
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EMISSING);
	qemu_cfg();
	cfg[0x41] = 0x70; /* common -> notify: a loop */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0x99] = 0x20; /* into the header */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0x99] = 0xfe; /* low bits ignored: 0xfc, an empty dword */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EMISSING);
	qemu_cfg();
	cfg[0x52] = 8; /* ISR capability too short */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0x44] = 6; /* BAR 6 */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0x72] = 16; /* notify without its multiplier */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0x61] = 0; /* the list ends before ISR and common */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EMISSING);
	CHECK(why[0] != 0);
	qemu_cfg();
	put_le(cfg + 0x40 + 12, 0x20, 4); /* common shorter than 0x38 */
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
	qemu_cfg();
	cfg[0xfc] = VIRTIO_PCI_CAP_ID; /* a capability running past 256 */
	cfg[0xfe] = 16;
	cfg[0x41] = 0xfc;
	CHECK_EQ(vcaps_parse(cfg, &c, &why), VCAPS_EBAD);
}

/* ------------------------------------------------------------ requests */

TEST(req_checks)
{
	struct vblk_limits lim = { .sectors = 2048, .max_bytes = 65536 };
	struct vblk_frame f = { .size = 2u << 20, .writable = true };
	struct blk_req r = { .op = BLK_OP_READ, .sector = 0, .offset = 0,
			     .length = 4096 };

	CHECK_EQ(vblk_check(&r, &lim, &f), 0);
	r.length = 0;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.length = 1000;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.length = 65536 + 512;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.length = 512;
	r.offset = 100;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.offset = (2u << 20) - 512;
	CHECK_EQ(vblk_check(&r, &lim, &f), 0);
	r.offset = 2u << 20;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.offset = 0xfffffe00u; /* offset + length wraps a u32 */
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r.offset = 0;
	r.sector = 2047;
	CHECK_EQ(vblk_check(&r, &lim, &f), 0);
	r.length = 1024;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_ERANGE);
	r.sector = ~0ull; /* sector + count wraps */
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_ERANGE);
	r.sector = 0;
	f.writable = false;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EPERM);
	r.op = BLK_OP_WRITE;
	CHECK_EQ(vblk_check(&r, &lim, &f), 0);
	lim.read_only = true;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EPERM);
	CHECK(vblk_why(&r, &lim, &f)[0] != 0);
	r.op = 9;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
	r = (struct blk_req){ .op = BLK_OP_FLUSH };
	CHECK_EQ(vblk_check(&r, &lim, &f), 0);
	r.length = 512;
	CHECK_EQ(vblk_check(&r, &lim, &f), RIFT_EINVAL);
}

TEST_MAIN("vblk", TEST_ENTRY(vq_init_rejects), TEST_ENTRY(vq_chain_layout),
	  TEST_ENTRY(vq_fill_and_drain_out_of_order),
	  TEST_ENTRY(vq_hostile_device), TEST_ENTRY(vcaps_qemu_layout),
	  TEST_ENTRY(vcaps_broken), TEST_ENTRY(req_checks))
