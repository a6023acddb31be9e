/* SPDX-License-Identifier: MIT */
/*
 * blkdemo: what make run shows of block I/O. A client domain of the
 * virtio-blk driver domain (idl/blk.idl): it writes a 64 KiB pattern in
 * one buffer frame at the middle of the disk, flushes, reads it back into
 * another frame and compares. Its buffers travel to the driver as frame
 * capabilities and the device reaches them through the DMA server, so the
 * client never learns a physical address and the device reaches nothing
 * else. Prints one line per step and exits 0 when the data came back.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "blk.h" /* generated: $(B)/gen/idl/blk.h */

#define OUT_VA 0x0000005000000000ull
#define IN_VA 0x0000005000200000ull
#define BYTES (64u << 10)

/** A new (zeroed) 2 MiB frame mapped read-write at @va: its slot, or 0. */
static uint64_t buffer(uint64_t va)
{
	uint64_t slot = rt_slot_alloc();

	if (!slot || rift_frame_alloc(0, slot, RT_ORDER_2M, -1, 0) != 0 ||
	    rift_map(0, slot, va, RIFT_MAP_READ | RIFT_MAP_WRITE) != 0) {
		return 0;
	}
	return slot;
}

static int fail(const char *what, int err)
{
	printf("blkdemo: %s: %s\n", what, rift_strerror(err));
	return 1;
}

int main(void)
{
	struct rift_chan blk = rift_chan_open("blk");
	struct blk_geometry geo;
	uint8_t *out = (uint8_t *)OUT_VA, *in = (uint8_t *)IN_VA;
	uint64_t fout = buffer(OUT_VA), fin = buffer(IN_VA), sector;
	int err = blk_info(&blk, &geo);

	if (err != RIFT_OK) {
		return fail("info", err);
	}
	if (!fout || !fin) {
		return fail("buffers", RIFT_ENOMEM);
	}
	printf("blkdemo: disk of %llu sectors of %u bytes, through the "
	       "virtio-blk driver domain\n", (unsigned long long)geo.sectors,
	       geo.block_size);
	if (geo.sectors < 2 * (BYTES / 512)) {
		return fail("disk too small for the demo", RIFT_ERANGE);
	}
	sector = geo.sectors / 2;
	for (uint32_t i = 0; i < BYTES; i++) {
		out[i] = (uint8_t)(i * 7 + (i >> 9));
	}
	memset(in, 0, BYTES);
	err = blk_write(&blk, sector, fout, 0, BYTES);
	if (err != RIFT_OK) {
		return fail("write", err);
	}
	err = blk_flush(&blk);
	if (err != RIFT_OK) {
		return fail("flush", err);
	}
	err = blk_read(&blk, sector, fin, 0, BYTES);
	if (err != RIFT_OK) {
		return fail("read", err);
	}
	if (memcmp(in, out, BYTES) != 0) {
		printf("blkdemo: the data read back differs from what was "
		       "written\n");
		return 1;
	}
	printf("blkdemo: wrote, flushed and read back %u KiB at sector %llu: "
	       "verified\n", BYTES >> 10, (unsigned long long)sector);
	return 0;
}
