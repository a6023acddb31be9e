/* SPDX-License-Identifier: MIT */
/*
 * Block client tests (tests/integration/test_51_blk.py):
 *
 *   blkclient verify   writes known patterns to scattered extents of the
 *                      disk (several MiB, batches of up to 8 requests in
 *                      flight, and single calls), flushes, reads every
 *                      extent back and checks it, and checks that an
 *                      unwritten extent reads as zeros. It prints each
 *                      extent, so the host can check the disk image file
 *                      byte for byte after QEMU exits.
 *   blkclient hostile  malformed and hostile dma.idl and blk.idl messages
 *                      (dma_bad_requests), then a last good request to show
 *                      both servers still serve.
 *   blkclient bench    make bench: instructions per 64 KiB sequential read
 *                      request through the driver, and per 4 KiB map +
 *                      unmap of a device the client attached itself
 *                      (needs rift.pmu=user for the cycle counter).
 *
 * Pattern of 512-byte sector s, 64-bit little-endian word w:
 * (s * 0x100000001b3) ^ (w << 56) ^ 0x5a5a5a5a.
 */
#include "../common.h"

#include <string.h>

#include <rift/chan.h>
#include <rift/msg.h>

#include "blk.h"
#include "dma.h"
#include "pci.h"
#include "pci_drv.h"

#define BUF_VA 0x0000005800000000ull /* 2 MiB aligned */
#define BUF_SIZE (2u << 20)
#define EXTENTS 56 /* scattered ones; then BIG whole-buffer ones */
#define BIG 8	     /* 8 x 256 KiB: one batch of the whole 2 MiB buffer */
#define SLOT_SECTORS 2048 /* extents live in disjoint 1 MiB slots */

static struct rift_chan blk;
static uint64_t buf_frame;
static uint8_t *buf = (uint8_t *)(uintptr_t)BUF_VA;
static struct blk_geometry geo;

struct extent {
	uint64_t sector;
	uint32_t sectors;
};
static struct extent ext[EXTENTS + BIG];
static uint64_t zero_sector; /* in a slot no extent uses */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pattern(uint64_t s, unsigned int w)
{
	return (s * 0x100000001b3ull) ^ ((uint64_t)w << 56) ^ 0x5a5a5a5aull;
}

static void fill(uint32_t off, uint64_t sector, uint32_t sectors)
{
	for (uint32_t i = 0; i < sectors; i++) {
		for (unsigned int w = 0; w < 64; w++) {
			uint64_t v = pattern(sector + i, w);
			uint8_t *p = buf + off + i * 512 + w * 8;

			for (int b = 0; b < 8; b++) {
				p[b] = (uint8_t)(v >> (8 * b));
			}
		}
	}
}

/** The first sector of [off, +sectors) that is not its pattern, or -1. */
static int64_t check(uint32_t off, uint64_t sector, uint32_t sectors)
{
	static uint8_t want[512];

	for (uint32_t i = 0; i < sectors; i++) {
		for (unsigned int w = 0; w < 64; w++) {
			uint64_t v = pattern(sector + i, w);

			for (int b = 0; b < 8; b++) {
				want[w * 8 + b] = (uint8_t)(v >> (8 * b));
			}
		}
		if (memcmp(buf + off + i * 512, want, 512) != 0) {
			return (int64_t)(sector + i);
		}
	}
	return -1;
}

static void setup(void)
{
	long err;

	blk = rift_chan_open("blk");
	buf_frame = rt_slot_alloc();
	TEST_REQUIRE(buf_frame != 0, "slot");
	err = rift_frame_alloc(0, buf_frame, RT_ORDER_2M, -1, 0);
	TEST_REQUIRE(err == 0, "frame_alloc %ld", err);
	err = rift_map(0, buf_frame, BUF_VA, RIFT_MAP_READ | RIFT_MAP_WRITE);
	TEST_REQUIRE(err == 0, "map %ld", err);
	err = blk_info(&blk, &geo);
	TEST_REQUIRE(err == 0, "info: %s", rift_strerror(err));
	printf("blkclient: disk of %llu sectors, block %u, max %u bytes, "
	       "batch %u%s%s\n", (unsigned long long)geo.sectors,
	       geo.block_size, geo.max_bytes, geo.max_batch,
	       geo.read_only ? ", read-only" : "", geo.flush ? ", flush" : "");
}

/**
 * Picks EXTENTS disjoint extents of 8..512 sectors, one per 1 MiB slot
 * (not the last two slots), then BIG extents of 512 sectors filling the
 * last 2 MiB of the disk: one batch of them moves the whole buffer, more
 * than a 2 MiB bounce pool holds beside the driver's rings.
 */
static uint32_t pick_extents(void)
{
	uint64_t slots = geo.sectors / SLOT_SECTORS;
	uint8_t used[256] = { 0 };
	uint32_t total = 0;

	TEST_REQUIRE(slots >= EXTENTS + 2 && slots <= 256, "disk of %llu "
		     "sectors", (unsigned long long)geo.sectors);
	slots -= 2;
	for (int i = 0; i < EXTENTS; i++) {
		uint64_t slot;
		uint32_t n = (uint32_t)(8 + next_rand() % 505);

		do {
			slot = next_rand() % slots;
		} while (used[slot]);
		used[slot] = 1;
		if (n * 512 > geo.max_bytes) {
			n = geo.max_bytes / 512;
		}
		ext[i].sectors = n;
		ext[i].sector = slot * SLOT_SECTORS +
				next_rand() % (SLOT_SECTORS - n + 1);
		total += n;
		printf("blkclient: extent %llu %u\n",
		       (unsigned long long)ext[i].sector, n);
	}
	for (uint64_t k = 0; k < slots; k++) {
		if (!used[k]) {
			zero_sector = k * SLOT_SECTORS + SLOT_SECTORS / 2;
			break;
		}
	}
	for (int i = EXTENTS; i < EXTENTS + BIG; i++) {
		ext[i].sectors = 512;
		ext[i].sector = (slots + 2) * SLOT_SECTORS -
				(uint64_t)(EXTENTS + BIG - i) * 512;
		total += 512;
		printf("blkclient: extent %llu %u\n",
		       (unsigned long long)ext[i].sector, 512u);
	}
	return total;
}

/** Runs extents [first, first + n) as one batch of @op, data packed in buf. */
static void batch(int first, int n, uint8_t op)
{
	struct blk_req reqs[8];
	int32_t status[8] = { 0 };
	uint32_t off = 0;
	int err;

	for (int k = 0; k < n; k++) {
		reqs[k] = (struct blk_req){ .op = op,
					    .sector = ext[first + k].sector,
					    .offset = off,
					    .length = ext[first + k].sectors * 512 };
		if (op == BLK_OP_WRITE) {
			fill(off, ext[first + k].sector, ext[first + k].sectors);
		}
		off += reqs[k].length;
	}
	if (op == BLK_OP_READ) {
		memset(buf, 0, off);
	}
	err = blk_submit(&blk, buf_frame, (uint8_t)n, reqs, status);
	TEST_REQUIRE(err == 0, "submit: %s", rift_strerror(err));
	off = 0;
	for (int k = 0; k < n; k++) {
		TEST_REQUIRE(status[k] == 0, "extent %d: %s", first + k,
			     rift_strerror(status[k]));
		if (op == BLK_OP_READ) {
			int64_t bad = check(off, ext[first + k].sector,
					    ext[first + k].sectors);

			TEST_REQUIRE(bad < 0, "sector %lld read back wrong",
				     (long long)bad);
		}
		off += reqs[k].length;
	}
}

/** How many extents from @first fit one batch in buf. */
static int batch_len(int first)
{
	uint32_t bytes = 0;
	int n = 0;

	while (first + n < EXTENTS && n < 8 && n < geo.max_batch &&
	       bytes + ext[first + n].sectors * 512 <= BUF_SIZE) {
		bytes += ext[first + n].sectors * 512;
		n++;
	}
	return n;
}

static void verify(void)
{
	uint32_t total = pick_extents();
	int i, n, err;

	/* the first four one call each, the rest in batches */
	for (i = 0; i < 4; i++) {
		fill(0, ext[i].sector, ext[i].sectors);
		err = blk_write(&blk, ext[i].sector, buf_frame, 0,
				ext[i].sectors * 512);
		TEST_REQUIRE(err == 0, "write: %s", rift_strerror(err));
	}
	for (; i < EXTENTS; i += n) {
		n = batch_len(i);
		batch(i, n, BLK_OP_WRITE);
	}
	batch(EXTENTS, BIG, BLK_OP_WRITE);
	err = blk_flush(&blk);
	TEST_REQUIRE(err == 0, "flush: %s", rift_strerror(err));
	for (i = 0; i < 4; i++) {
		memset(buf, 0, ext[i].sectors * 512);
		err = blk_read(&blk, ext[i].sector, buf_frame, 0,
			       ext[i].sectors * 512);
		TEST_REQUIRE(err == 0, "read: %s", rift_strerror(err));
		TEST_REQUIRE(check(0, ext[i].sector, ext[i].sectors) < 0,
			     "extent %d read back wrong", i);
	}
	for (; i < EXTENTS; i += n) {
		n = batch_len(i);
		batch(i, n, BLK_OP_READ);
	}
	batch(EXTENTS, BIG, BLK_OP_READ);
	/* a sector of a slot no extent uses was never written: zeros */
	memset(buf, 0xff, 512);
	err = blk_read(&blk, zero_sector, buf_frame, 0, 512);
	TEST_REQUIRE(err == 0, "read of an unwritten sector: %s",
		     rift_strerror(err));
	for (int b = 0; b < 512; b++) {
		TEST_REQUIRE(buf[b] == 0, "unwritten sector not zero");
	}
	printf("blkclient: wrote %u extents (%u KiB), flushed, read back and "
	       "verified\n", EXTENTS + BIG, total / 2);
}

int hostile(void);
int bench(void);

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setup();
	if (strcmp(mode, "verify") == 0) {
		verify();
		return 0;
	}
	if (strcmp(mode, "hostile") == 0) {
		return hostile();
	}
	if (strcmp(mode, "bench") == 0) {
		return bench();
	}
	printf("blkclient: unknown mode '%s'\n", mode);
	return 1;
}


/* ------------------------------------------------------------ hostile */

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define SMALL_VA 0x0000005900000000ull

static struct rift_chan dma_ch, pci_ch;
static unsigned int checks;

/** One refusal that must happen: @got must be @want. */
#define REFUSED(got, want, what)                                          \
	do {                                                              \
		int _g = (got);                                           \
		TEST_REQUIRE(_g == (want), "%s: got %d (%s), want %d", what, \
			     _g, rift_strerror(_g), want);                \
		checks++;                                                 \
	} while (0)

/** A raw call: @label and @len payload bytes of @data, no caps. */
static int raw_call(struct rift_chan *ch, uint64_t label, const void *data,
		    uint32_t len)
{
	static struct rift_msg req, reply;
	int err;

	memset(&req, 0, sizeof(req));
	req.label = label;
	req.len = len;
	memcpy(req.data, data, len);
	err = rift_chan_call(ch, &req, &reply);
	if (err != RIFT_OK) {
		return err;
	}
	return (int32_t)(uint32_t)reply.label; /* the reply's status */
}

/** Malformed messages: every server must answer them and carry on. */
static void hostile_raw(struct rift_chan *ch, uint32_t version,
			uint32_t method, const char *iface)
{
	uint8_t junk[64];
	char what[64];

	memset(junk, 0xa5, sizeof(junk));
	snprintf(what, sizeof(what), "%s: wrong version", iface);
	REFUSED(raw_call(ch, rift_msg_label(version ^ 0x80000000u, method),
			 junk, 8), RIFT_EVERSION, what);
	snprintf(what, sizeof(what), "%s: unknown method", iface);
	REFUSED(raw_call(ch, rift_msg_label(version, 999), junk, 0),
		RIFT_ENOSYS, what);
	snprintf(what, sizeof(what), "%s: truncated", iface);
	REFUSED(raw_call(ch, rift_msg_label(version, method), junk, 3),
		RIFT_EINVAL, what);
	snprintf(what, sizeof(what), "%s: trailing bytes", iface);
	REFUSED(raw_call(ch, rift_msg_label(version, method), junk, 63),
		RIFT_EINVAL, what);
}

/** A fresh 4 KiB frame mapped at @va; returns its slot. */
static uint64_t small_frame(uint64_t va)
{
	uint64_t f = rt_slot_alloc();

	TEST_REQUIRE(f && rift_frame_alloc(0, f, 0, -1, 0) == 0 &&
		     rift_map(0, f, va, RIFT_MAP_READ | RIFT_MAP_WRITE) == 0,
		     "small frame");
	return f;
}

static void hostile_dma(void)
{
	uint64_t ev = 0, base = 0, size = 0, dev = 0, ro, ntfn;
	uint64_t f = small_frame(SMALL_VA);
	uint32_t h = 0, h2 = 0;
	uint8_t bits = 0, sbits = 0;
	int64_t edu = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, 0);
	int64_t vblk = pci_drv_find(&pci_ch, 0x1af4, 0x1042, 0);
	uint16_t nf = 9;
	uint32_t dropped = 9;
	struct dma_fault fl[8];

	TEST_REQUIRE(edu >= 0 && vblk >= 0, "devices: edu %lld, virtio-blk "
		     "%lld", (long long)edu, (long long)vblk);
	REFUSED(dma_attach(&dma_ch, (uint32_t)edu, 64, &base, &size, &ev),
		RIFT_EPERM, "attach before claiming");
	REFUSED(dma_attach(&dma_ch, (uint32_t)vblk, 64, &base, &size, &ev),
		RIFT_EPERM, "attach of the driver's device");
	REFUSED(pci_claim(&pci_ch, (uint32_t)vblk), RIFT_EPERM,
		"claim of a device not assigned");
	TEST_REQUIRE(pci_claim(&pci_ch, (uint32_t)edu) == 0, "claim edu");
	REFUSED(dma_attach(&dma_ch, (uint32_t)edu, 0, &base, &size, &ev),
		RIFT_EINVAL, "attach with 0 address bits");
	REFUSED(dma_attach(&dma_ch, (uint32_t)edu, 65, &base, &size, &ev),
		RIFT_EINVAL, "attach with 65 address bits");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 0, 4096, DMA_DIR_TO_DEVICE,
			&dev, &h), RIFT_EPERM, "map before attach");
	TEST_REQUIRE(dma_attach(&dma_ch, (uint32_t)edu, 64, &base, &size,
				&ev) == 0, "attach edu");
	REFUSED(dma_attach(&dma_ch, (uint32_t)edu, 64, &base, &size, &ev),
		RIFT_EBUSY, "attach twice");
	REFUSED(dma_map(&dma_ch, (uint32_t)vblk, f, 0, 4096,
			DMA_DIR_TO_DEVICE, &dev, &h), RIFT_EPERM,
		"map for the driver's device");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 0, 0, DMA_DIR_TO_DEVICE,
			&dev, &h), RIFT_EINVAL, "map of 0 bytes");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 4096, 1, DMA_DIR_TO_DEVICE,
			&dev, &h), RIFT_EINVAL, "map past the frame");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, ~0ull, 2,
			DMA_DIR_TO_DEVICE, &dev, &h), RIFT_EINVAL,
		"map with a wrapping offset");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 0, 4096, 0, &dev, &h),
		RIFT_EINVAL, "map with dir 0");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 0, 4096, 4, &dev, &h),
		RIFT_EINVAL, "map with dir 4");
	ro = rt_slot_alloc();
	TEST_REQUIRE(rift_cap_copy(f, 0, ro, RIFT_RIGHT_READ, 0) == 0, "ro");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, ro, 0, 4096,
			DMA_DIR_FROM_DEVICE, &dev, &h), RIFT_EPERM,
		"device write into a read-only frame");
	ntfn = rt_slot_alloc();
	TEST_REQUIRE(rift_notification_create(ntfn) == 0, "ntfn");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, ntfn, 0, 4096,
			DMA_DIR_TO_DEVICE, &dev, &h), RIFT_ENOCAP,
		"map of a notification");
	TEST_REQUIRE(dma_map(&dma_ch, (uint32_t)edu, f, 16, 100,
			     DMA_DIR_BIDIRECTIONAL, &dev, &h) == 0, "map");
	REFUSED(dma_sync_for_cpu(&dma_ch, h, 50, 51), RIFT_EINVAL,
		"sync past the mapping");
	REFUSED(dma_sync_for_device(&dma_ch, h, 101, 0), RIFT_EINVAL,
		"sync starting past the mapping");
	TEST_REQUIRE(dma_sync_for_device(&dma_ch, h, 0, 100) == 0, "sync");
	TEST_REQUIRE(dma_unmap(&dma_ch, h) == 0, "unmap");
	REFUSED(dma_unmap(&dma_ch, h), RIFT_ENOENT, "unmap twice");
	REFUSED(dma_sync_for_cpu(&dma_ch, h, 0, 1), RIFT_ENOENT,
		"sync after unmap");
	if (size <= BUF_SIZE) {
		/* a window no larger than the frame (a 2 MiB bounce pool, part
		 * of it in use): ENOMEM, nothing mapped */
		REFUSED(dma_map(&dma_ch, (uint32_t)edu, buf_frame, 0, BUF_SIZE,
				DMA_DIR_TO_DEVICE, &dev, &h2), RIFT_ENOMEM,
			"map larger than the free window");
	} else {
		TEST_REQUIRE(dma_map(&dma_ch, (uint32_t)edu, buf_frame, 0,
				     BUF_SIZE, DMA_DIR_TO_DEVICE, &dev, &h2) == 0 &&
			     dev >= base && dev - base < size &&
			     dma_unmap(&dma_ch, h2) == 0, "2 MiB map");
	}
	/* other clients' handles: guessed, never found (theirs stay) */
	for (uint32_t g = 0; g < 4; g++) {
		for (uint32_t i = 0; i < 64; i++) {
			uint32_t guess = (g << 12) | i;

			if (dma_unmap(&dma_ch, guess) != RIFT_ENOENT) {
				TEST_REQUIRE(0, "unmap of guessed handle 0x%x "
					     "worked", guess);
			}
		}
	}
	checks++;
	REFUSED(dma_limits(&dma_ch, (uint32_t)vblk, &bits, &sbits), RIFT_EPERM,
		"limits of another's device");
	TEST_REQUIRE(dma_limits(&dma_ch, (uint32_t)edu, &bits, &sbits) == 0 &&
		     bits == 64, "limits");
	TEST_REQUIRE(dma_faults(&dma_ch, &nf, fl, &dropped) == 0, "faults");
	TEST_REQUIRE(dma_detach(&dma_ch, (uint32_t)edu) == 0, "detach");
	REFUSED(dma_map(&dma_ch, (uint32_t)edu, f, 0, 4096, DMA_DIR_TO_DEVICE,
			&dev, &h), RIFT_EPERM, "map after detach");
	REFUSED(dma_detach(&dma_ch, (uint32_t)edu), RIFT_EPERM,
		"detach twice");
	REFUSED(dma_detach(&dma_ch, (uint32_t)vblk), RIFT_EPERM,
		"detach of the driver's device");
	hostile_raw(&dma_ch, DMA_VERSION, DMA_METHOD_MAP, "dma");
	TEST_REQUIRE(pci_release(&pci_ch, (uint32_t)edu) == 0, "release");
}

static void hostile_blk(void)
{
	uint64_t f = small_frame(SMALL_VA + 0x1000000), ro = rt_slot_alloc();
	uint64_t end = geo.sectors;
	struct blk_req reqs[8];
	int32_t st[8];

	REFUSED(blk_read(&blk, end, buf_frame, 0, 512), RIFT_ERANGE,
		"read at the end of the disk");
	REFUSED(blk_read(&blk, end - 1, buf_frame, 0, 1024), RIFT_ERANGE,
		"read across the end");
	REFUSED(blk_write(&blk, ~0ull, buf_frame, 0, 512), RIFT_ERANGE,
		"write at sector 2^64-1");
	REFUSED(blk_read(&blk, 0, buf_frame, 0, 0), RIFT_EINVAL, "0 bytes");
	REFUSED(blk_read(&blk, 0, buf_frame, 0, 100), RIFT_EINVAL,
		"not whole sectors");
	REFUSED(blk_read(&blk, 0, buf_frame, 100, 512), RIFT_EINVAL,
		"unaligned offset");
	REFUSED(blk_read(&blk, 0, f, 0, 8192), RIFT_EINVAL,
		"past the client's frame");
	REFUSED(blk_read(&blk, 0, buf_frame, 0xfffffe00u, 1024), RIFT_EINVAL,
		"wrapping offset");
	REFUSED(blk_read(&blk, 0, buf_frame, 0, geo.max_bytes + 512),
		RIFT_EINVAL, "above max_bytes");
	TEST_REQUIRE(rift_cap_copy(f, 0, ro, RIFT_RIGHT_READ, 0) == 0, "ro");
	REFUSED(blk_read(&blk, 0, ro, 0, 512), RIFT_EPERM,
		"read into a read-only frame");
	memset(reqs, 0, sizeof(reqs));
	REFUSED(blk_submit(&blk, buf_frame, 0, reqs, st), RIFT_EINVAL,
		"submit of 0 requests");
	REFUSED(blk_submit(&blk, buf_frame, 9, reqs, st), RIFT_EINVAL,
		"submit of 9 requests");
	/* one bad request refuses the batch: the good write never happens */
	memset(buf, 0x77, 4096);
	reqs[0] = (struct blk_req){ BLK_OP_WRITE, 100, 0, 4096 };
	reqs[1] = (struct blk_req){ 7, 0, 0, 512 };
	REFUSED(blk_submit(&blk, buf_frame, 2, reqs, st), RIFT_EINVAL,
		"a batch with an unknown op");
	memset(buf, 0x11, 4096);
	TEST_REQUIRE(blk_read(&blk, 100, buf_frame, 0, 4096) == 0, "read");
	for (int i = 0; i < 4096; i++) {
		TEST_REQUIRE(buf[i] == 0, "the refused batch wrote the disk");
	}
	REFUSED(blk_submit(&blk, buf_frame, 1,
			   (struct blk_req[8]){ { BLK_OP_FLUSH, 1, 0, 0 } }, st),
		RIFT_EINVAL, "flush with a sector");
	/* a device's registers are no memory the client holds */
	{
		int64_t edu = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, 0);
		uint64_t bar = 0;
		uint32_t count = 0;
		uint8_t order = 0;

		TEST_REQUIRE(edu >= 0 && pci_claim(&pci_ch, (uint32_t)edu) == 0 &&
			     pci_bar_frame(&pci_ch, (uint32_t)edu, 0, 0, &count,
					   &order, &bar) == 0, "edu BAR frame");
		REFUSED(blk_write(&blk, 0, bar, 0, 4096), RIFT_EPERM,
			"write from a device's BAR frame");
		TEST_REQUIRE(pci_release(&pci_ch, (uint32_t)edu) == 0,
			     "release");
	}
	hostile_raw(&blk, BLK_VERSION, BLK_METHOD_SUBMIT, "blk");
}

int hostile(void)
{
	uint8_t back[512];
	int err;

	dma_ch = rift_chan_open("dma");
	dma_ch.recv_caps = 1;
	pci_ch = pci_drv_open();
	hostile_dma();
	hostile_blk();
	/* both servers still serve: a write and a read back */
	fill(0, 12345, 1);
	memcpy(back, buf, 512);
	err = blk_write(&blk, 12345, buf_frame, 0, 512);
	TEST_REQUIRE(err == 0, "last write: %s", rift_strerror(err));
	memset(buf, 0, 512);
	err = blk_read(&blk, 12345, buf_frame, 0, 512);
	TEST_REQUIRE(err == 0 && memcmp(buf, back, 512) == 0,
		     "last read: %s", rift_strerror(err));
	printf("blkclient: hostile: %u requests refused as they should be; "
	       "both servers still serve\n", checks);
	return 0;
}

/* ------------------------------------------------------------ bench */

#define BENCH_ITERS 64

static uint64_t samples[BENCH_ITERS];

/*
 * Instructions retired, all exception levels (event counter 0 with
 * INST_RETIRED, NSH set to count EL2): under -icount this counts what ran
 * and not the virtual time a wait for QEMU's disk thread skipped, which
 * the cycle counter would add (the idle CPU's clock jumps to the next
 * tick). rift.pmu=user lets EL0 program the counter.
 */
static void inst_counter_init(void)
{
	__asm__ volatile("msr pmevtyper0_el0, %0\n msr pmcntenset_el0, %1\n isb"
			 : : "r"((1ull << 27) | 0x08), "r"(1ull) : "memory");
}

static inline uint64_t cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb\n mrs %0, pmevcntr0_el0" : "=r"(v) : : "memory");
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *key, uint64_t overhead)
{
	qsort(samples, BENCH_ITERS, sizeof(samples[0]), cmp_u64);
	printf("BENCH %s min=%llu median=%llu n=%d\n", key,
	       (unsigned long long)(samples[0] - overhead),
	       (unsigned long long)(samples[BENCH_ITERS / 2] - overhead),
	       BENCH_ITERS);
}

int bench(void)
{
	uint64_t overhead, ev = 0, base = 0, size = 0, dev = 0;
	uint64_t f = small_frame(SMALL_VA);
	int64_t edu;
	uint32_t h = 0;
	int err;

	inst_counter_init();
	for (int i = 0; i < BENCH_ITERS; i++) {
		uint64_t t0 = cycles();

		samples[i] = cycles() - t0;
	}
	qsort(samples, BENCH_ITERS, sizeof(samples[0]), cmp_u64);
	overhead = samples[0];
	printf("BENCH blk overhead %llu\n", (unsigned long long)overhead);
	/* 64 KiB sequential reads, one request per call */
	for (int i = 0; i < BENCH_ITERS; i++) {
		uint64_t t0 = cycles();

		err = blk_read(&blk, (uint64_t)i * 128, buf_frame, 0, 65536);
		samples[i] = cycles() - t0;
		TEST_REQUIRE(err == 0, "read: %s", rift_strerror(err));
	}
	report("blk_read_64k", overhead);
	/* 4 KiB map + unmap of a device of the client's own */
	dma_ch = rift_chan_open("dma");
	dma_ch.recv_caps = 1;
	pci_ch = pci_drv_open();
	edu = pci_drv_find(&pci_ch, EDU_VENDOR, EDU_DEVICE, 0);
	TEST_REQUIRE(edu >= 0 && pci_claim(&pci_ch, (uint32_t)edu) == 0 &&
		     dma_attach(&dma_ch, (uint32_t)edu, 64, &base, &size,
				&ev) == 0, "edu attach");
	for (int i = 0; i < BENCH_ITERS; i++) {
		uint64_t t0 = cycles();

		err = dma_map(&dma_ch, (uint32_t)edu, f, 0, 4096,
			      DMA_DIR_TO_DEVICE, &dev, &h);
		if (err == 0) {
			err = dma_unmap(&dma_ch, h);
		}
		samples[i] = cycles() - t0;
		TEST_REQUIRE(err == 0, "map+unmap: %s", rift_strerror(err));
	}
	report("dma_map_unmap_4k", overhead);
	dma_detach(&dma_ch, (uint32_t)edu);
	pci_release(&pci_ch, (uint32_t)edu);
	printf("BENCH blk done\n");
	return 0;
}
