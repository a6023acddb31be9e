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
 *
 * Pattern of 512-byte sector s, 64-bit little-endian word w:
 * (s * 0x100000001b3) ^ (w << 56) ^ 0x5a5a5a5a.
 */
#include "../common.h"

#include <string.h>

#include <rift/chan.h>
#include <rift/msg.h>

#include "blk.h"

#define BUF_VA 0x0000005800000000ull /* 2 MiB aligned */
#define BUF_SIZE (2u << 20)
#define EXTENTS 56
#define SLOT_SECTORS 2048 /* extents live in disjoint 1 MiB slots */

static struct rift_chan blk;
static uint64_t buf_frame;
static uint8_t *buf = (uint8_t *)(uintptr_t)BUF_VA;
static struct blk_geometry geo;

struct extent {
	uint64_t sector;
	uint32_t sectors;
};
static struct extent ext[EXTENTS];

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

/** Picks EXTENTS disjoint extents of 8..512 sectors, one per 1 MiB slot. */
static uint32_t pick_extents(void)
{
	uint64_t slots = geo.sectors / SLOT_SECTORS;
	uint8_t used[256] = { 0 };
	uint32_t total = 0;

	TEST_REQUIRE(slots >= EXTENTS && slots <= 256, "disk of %llu sectors",
		     (unsigned long long)geo.sectors);
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
	/* the disk's last sector was never written: zeros */
	memset(buf, 0xff, 512);
	err = blk_read(&blk, geo.sectors - 1, buf_frame, 0, 512);
	TEST_REQUIRE(err == 0, "read of the last sector: %s", rift_strerror(err));
	for (int b = 0; b < 512; b++) {
		TEST_REQUIRE(buf[b] == 0, "unwritten sector not zero");
	}
	printf("blkclient: wrote %u extents (%u KiB), flushed, read back and "
	       "verified\n", EXTENTS, total / 2);
}

int hostile(void);

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
	printf("blkclient: unknown mode '%s'\n", mode);
	return 1;
}

int hostile(void)
{
	printf("blkclient: hostile: not yet\n");
	return 1;
}
