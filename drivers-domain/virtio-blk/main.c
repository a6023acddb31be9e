/* SPDX-License-Identifier: MIT */
/*
 * The virtio-blk driver domain: starts the device (vblk_dev.c), then
 * serves blk.idl on the channel named "blk". Each request carries the
 * client's frame capability; it is checked (vblk_req.c), handed to the DMA
 * server for the device to reach, and deleted after the reply, so the
 * driver never keeps a client's memory.
 */
#include <stdio.h>

#include <rift/chan.h>
#include <rift/msg.h>
#include <rift/rt.h>
#include <rift/syscall.h>

#include "blk.h"
#include "vblk.h"

#define VBLK_LOG_REFUSALS 32 /* then only counted: no floods */

static struct vblk dev;
static uint64_t refused;

/** What the kernel says about the client's frame capability. */
static int vblk_frame_of(uint64_t frame, struct vblk_frame *f)
{
	struct rift_cap_info ci;

	if (rift_cap_info(frame, &ci) != 0 || ci.type != RIFT_CAP_FRAME_T ||
	    ci.size_order > 18) {
		return RIFT_ENOCAP;
	}
	f->size = 4096ull << ci.size_order;
	f->writable = (ci.rights & RIFT_RIGHT_WRITE) != 0;
	return RIFT_OK;
}

/** Checks every request, then runs them all (blk.idl: submit). */
static int vblk_serve(uint64_t badge, uint64_t frame, const struct blk_req *reqs,
		      unsigned int n, int32_t *status)
{
	struct vblk_frame f = { 0 };
	int err;

	if (n == 0 || n > VBLK_MAX_BATCH) {
		return RIFT_EINVAL;
	}
	if (dev.broken) {
		return RIFT_EIO;
	}
	err = vblk_frame_of(frame, &f);
	for (unsigned int k = 0; k < n && err == RIFT_OK; k++) {
		err = vblk_check(&reqs[k], &dev.lim, &f);
		if (err != RIFT_OK && refused < VBLK_LOG_REFUSALS) {
			printf("virtio-blk: %s: request %u refused: %s\n",
			       rt_cap_client_name("blk", badge) ?: "?", k,
			       vblk_why(&reqs[k], &dev.lim, &f));
		} else if (err != RIFT_OK && refused == VBLK_LOG_REFUSALS) {
			printf("virtio-blk: more refusals: counted, not "
			       "logged\n");
		}
		refused += err != RIFT_OK;
	}
	if (err != RIFT_OK) {
		return err;
	}
	vblk_run_batch(&dev, frame, reqs, n, status);
	return RIFT_OK;
}

/** One request; its status is the call's result. */
static int vblk_one(uint64_t badge, uint8_t op, uint64_t sector, uint64_t frame,
		    uint32_t offset, uint32_t length)
{
	struct blk_req r = { .op = op, .sector = sector, .offset = offset,
			     .length = length };
	int32_t status = 0;
	int err = vblk_serve(badge, frame, &r, 1, &status);

	return err != RIFT_OK ? err : status;
}

int blk_handle_info(struct blk_server *srv, uint64_t badge,
		    struct blk_geometry *geo)
{
	(void)srv;
	(void)badge;
	geo->sectors = dev.lim.sectors;
	geo->block_size = dev.block_size;
	geo->max_bytes = dev.lim.max_bytes;
	geo->max_batch = VBLK_MAX_BATCH;
	geo->read_only = dev.lim.read_only;
	geo->flush = dev.lim.flush;
	return RIFT_OK;
}

int blk_handle_read(struct blk_server *srv, uint64_t badge, uint64_t sector,
		    uint64_t frame, uint32_t offset, uint32_t length)
{
	(void)srv;
	return vblk_one(badge, BLK_OP_READ, sector, frame, offset, length);
}

int blk_handle_write(struct blk_server *srv, uint64_t badge, uint64_t sector,
		     uint64_t frame, uint32_t offset, uint32_t length)
{
	(void)srv;
	return vblk_one(badge, BLK_OP_WRITE, sector, frame, offset, length);
}

int blk_handle_flush(struct blk_server *srv, uint64_t badge)
{
	struct blk_req r = { .op = BLK_OP_FLUSH };
	int32_t status = 0;

	(void)srv;
	(void)badge;
	if (dev.broken) {
		return RIFT_EIO;
	}
	vblk_run_batch(&dev, 0, &r, 1, &status);
	return status;
}

int blk_handle_submit(struct blk_server *srv, uint64_t badge, uint64_t frame,
		      uint8_t count, const struct blk_req reqs[8],
		      int32_t status[8])
{
	(void)srv;
	return vblk_serve(badge, frame, reqs, count, status);
}

int main(void)
{
	static struct rift_msg req, reply;
	struct blk_server srv = { .ctx = NULL, .shm_size = 0 };
	uint64_t ep = rt_cap("blk"), badge = 0, slots[4] = { 0 };
	int err;

	slots[0] = rt_slot_alloc();
	if (ep == 0 || slots[0] == 0) {
		printf("virtio-blk: no 'blk' channel to serve\n");
		return 1;
	}
	if (vblk_start(&dev) != RIFT_OK) {
		printf("virtio-blk: device not started\n");
		return 1;
	}
	printf("virtio-blk: serving\n");
	err = rift_chan_recv(ep, &req, &badge, slots);
	for (;;) {
		int r;

		if (err == RIFT_EIO) {
			printf("virtio-blk: channel gone: %s\n",
			       rift_strerror(err));
			return 1;
		}
		if (err != RIFT_OK) {
			rift_cap_delete(slots[0]);
			err = rift_chan_recv(ep, &req, &badge, slots);
			continue;
		}
		r = blk_dispatch(&srv, badge, &req, &reply);
		rift_cap_delete(slots[0]); /* the client's frame: never kept */
		if (r == RIFT_IDL_REPLY) {
			err = rift_chan_reply_recv(ep, &reply, &req, &badge,
						   slots);
		} else {
			err = rift_chan_recv(ep, &req, &badge, slots);
		}
	}
}
