/* SPDX-License-Identifier: MIT */
/*
 * Checking a client's block request before anything reaches the device
 * (blk.idl): op, alignment, length, the byte range inside the client's
 * frame, the sector range inside the disk, the rights the op needs. Pure
 * code: host-tested.
 */
#ifndef VBLK_REQ_H
#define VBLK_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "blk.h" /* generated from idl/blk.idl */

/** What the disk and the driver allow. */
struct vblk_limits {
	uint64_t sectors;   /**< capacity, 512-byte sectors */
	uint32_t max_bytes; /**< per request */
	bool read_only;
	bool flush;	    /**< the device takes flush requests */
};

/** The client's frame as the kernel describes it. */
struct vblk_frame {
	uint64_t size;	/**< bytes */
	bool writable;	/**< the client holds it with the write right */
};

/**
 * 0 or the rift_error the request is refused with: RIFT_EINVAL (bad op,
 * length 0 or not a multiple of 512 or above max_bytes, offset not a
 * multiple of 512, bytes outside the frame, a FLUSH with a length),
 * RIFT_ERANGE (sectors past the end of the disk), RIFT_EPERM (a write to
 * a read-only disk, a read into a frame the client cannot write).
 */
int vblk_check(const struct blk_req *r, const struct vblk_limits *lim,
	       const struct vblk_frame *f);

/** A short reason for the refusal vblk_check() gave @r, for logs. */
const char *vblk_why(const struct blk_req *r, const struct vblk_limits *lim,
		     const struct vblk_frame *f);

#endif
