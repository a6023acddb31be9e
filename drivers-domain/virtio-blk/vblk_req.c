/* SPDX-License-Identifier: MIT */
/* Block request checks: see vblk_req.h. */
#include <rift/msg.h>

#include "virtio.h"
#include "vblk_req.h"

/** The check, returning the error and its reason together. */
static int vblk_eval(const struct blk_req *r, const struct vblk_limits *lim,
		     const struct vblk_frame *f, const char **why)
{
	uint64_t nsec;

	if (r->op == BLK_OP_FLUSH) {
		if (r->length != 0 || r->offset != 0 || r->sector != 0) {
			*why = "flush carries no data (length, offset and "
			       "sector must be 0)";
			return RIFT_EINVAL;
		}
		return 0;
	}
	if (r->op != BLK_OP_READ && r->op != BLK_OP_WRITE) {
		*why = "unknown op";
		return RIFT_EINVAL;
	}
	if (r->length == 0 || r->length % VIO_SECTOR_SIZE != 0 ||
	    r->length > lim->max_bytes) {
		*why = "length must be a non-zero multiple of 512 within "
		       "max_bytes";
		return RIFT_EINVAL;
	}
	if (r->offset % VIO_SECTOR_SIZE != 0 ||
	    (uint64_t)r->offset + r->length > f->size) {
		*why = "offset must be a multiple of 512 and the bytes inside "
		       "the frame";
		return RIFT_EINVAL;
	}
	nsec = r->length / VIO_SECTOR_SIZE;
	if (r->sector >= lim->sectors || lim->sectors - r->sector < nsec) {
		*why = "sectors beyond the end of the disk";
		return RIFT_ERANGE;
	}
	if (r->op == BLK_OP_WRITE && lim->read_only) {
		*why = "the disk is read-only";
		return RIFT_EPERM;
	}
	if (r->op == BLK_OP_READ && !f->writable) {
		*why = "a read needs a frame the client may write";
		return RIFT_EPERM;
	}
	*why = "";
	return 0;
}

int vblk_check(const struct blk_req *r, const struct vblk_limits *lim,
	       const struct vblk_frame *f)
{
	const char *why;

	return vblk_eval(r, lim, f, &why);
}

const char *vblk_why(const struct blk_req *r, const struct vblk_limits *lim,
		     const struct vblk_frame *f)
{
	const char *why;

	vblk_eval(r, lim, f, &why);
	return why;
}
