/* SPDX-License-Identifier: MIT */
/*
 * A split virtqueue (virtio 1.2, 2.7) as the driver sees it: descriptor
 * table, available ring and used ring in memory the caller provides and
 * maps for DMA, and the driver's private bookkeeping (free descriptors,
 * chains in flight). Pure code over memory: host-tested
 * (tests/test_vblk.c), endian-clean.
 *
 * Nothing here trusts the device: a used element naming a descriptor that
 * is not the head of a chain in flight, or a used index that runs ahead
 * of what was made available, is reported (VQ_EDEVICE) and changes
 * nothing.
 */
#ifndef VQ_H
#define VQ_H

#include <stdbool.h>
#include <stdint.h>

#define VQ_MAX_SIZE 256
#define VQ_MAX_CHAIN 8

#define VQ_EFULL (-1)	/**< not enough free descriptors */
#define VQ_EINVAL (-2)	/**< bad arguments */
#define VQ_EDEVICE (-3) /**< the device broke the protocol */

/** One buffer of a chain. */
struct vq_buf {
	uint64_t addr;	  /**< device address */
	uint32_t len;	  /**< bytes */
	bool dev_writes;  /**< VRING_DESC_F_WRITE: the device writes it */
};

struct vq {
	uint16_t size;	    /**< power of two, <= VQ_MAX_SIZE */
	uint16_t num_free;
	uint16_t free_head; /**< first free descriptor */
	uint16_t avail_idx; /**< next available index to publish */
	uint16_t last_used; /**< next used index to consume */
	uint16_t in_flight; /**< chains made available, not yet used */
	volatile uint8_t *desc;	 /**< size * 16 bytes, 16-byte aligned */
	volatile uint8_t *avail; /**< 6 + 2 * size bytes, 2-byte aligned */
	volatile uint8_t *used;	 /**< 6 + 8 * size bytes, 4-byte aligned */
	uint16_t next[VQ_MAX_SIZE];	 /**< free list links (private) */
	uint8_t chain_len[VQ_MAX_SIZE];	 /**< per head: 0 = not in flight */
};

/** Bytes each part needs for a queue of @size entries. */
uint32_t vq_desc_bytes(uint16_t size);
uint32_t vq_avail_bytes(uint16_t size);
uint32_t vq_used_bytes(uint16_t size);

/**
 * Sets up @q over zeroed memory; VQ_EINVAL unless @size is a power of two
 * in 1..VQ_MAX_SIZE and the parts are aligned.
 */
int vq_init(struct vq *q, uint16_t size, void *desc, void *avail, void *used);

/**
 * Writes a chain of @n buffers into free descriptors and its head into the
 * next available slot, without publishing it (vq_publish()). Returns the
 * head (>= 0), VQ_EFULL or VQ_EINVAL (n 0 or above VQ_MAX_CHAIN).
 */
int vq_add(struct vq *q, const struct vq_buf *bufs, unsigned int n);

/** Makes every chain added so far visible to the device (ring idx). */
void vq_publish(struct vq *q);

/**
 * Takes the next used element: 1 with *head and *len set (its chain's
 * descriptors are free again), 0 when there is none, VQ_EDEVICE when the
 * device wrote nonsense.
 */
int vq_get_used(struct vq *q, uint16_t *head, uint32_t *len);

/** Memory barrier between ring accesses and the device (DMA ordering). */
void vq_barrier(void);

#endif
