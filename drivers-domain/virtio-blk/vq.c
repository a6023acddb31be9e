/* SPDX-License-Identifier: MIT */
/* Split virtqueue ring logic: see vq.h. */
#include <stddef.h>

#include "virtio.h"
#include "vq.h"

uint32_t vq_desc_bytes(uint16_t size)
{
	return (uint32_t)size * VRING_DESC_SIZE;
}

uint32_t vq_avail_bytes(uint16_t size)
{
	return VRING_AVAIL_HDR + 2u * size + 2u; /* + used_event */
}

uint32_t vq_used_bytes(uint16_t size)
{
	return VRING_USED_HDR + (uint32_t)VRING_USED_ELEM * size + 2u;
}

void vq_barrier(void)
{
#if defined(__aarch64__)
	/* Outer shareable: the device is an observer outside the cluster. */
	__asm__ volatile("dmb osh" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

int vq_init(struct vq *q, uint16_t size, void *desc, void *avail, void *used)
{
	if (size == 0 || size > VQ_MAX_SIZE || (size & (size - 1)) != 0 ||
	    !desc || !avail || !used || ((uintptr_t)desc & 15) != 0 ||
	    ((uintptr_t)avail & 1) != 0 || ((uintptr_t)used & 3) != 0) {
		return VQ_EINVAL;
	}
	q->size = size;
	q->desc = desc;
	q->avail = avail;
	q->used = used;
	q->num_free = size;
	q->free_head = 0;
	q->avail_idx = 0;
	q->last_used = 0;
	q->in_flight = 0;
	for (uint16_t i = 0; i < size; i++) {
		q->next[i] = (uint16_t)(i + 1);
		q->chain_len[i] = 0;
	}
	return 0;
}

static volatile uint8_t *vq_desc(struct vq *q, uint16_t i)
{
	return q->desc + (size_t)i * VRING_DESC_SIZE;
}

int vq_add(struct vq *q, const struct vq_buf *bufs, unsigned int n)
{
	uint16_t head = q->free_head, i = head;

	if (n == 0 || n > VQ_MAX_CHAIN || !bufs) {
		return VQ_EINVAL;
	}
	if (q->num_free < n) {
		return VQ_EFULL;
	}
	for (unsigned int k = 0; k < n; k++) {
		volatile uint8_t *d = vq_desc(q, i);
		uint16_t flags = bufs[k].dev_writes ? VRING_DESC_F_WRITE : 0;
		uint16_t nxt = q->next[i];

		if (k + 1 < n) {
			flags |= VRING_DESC_F_NEXT;
		}
		vio_st64(d, bufs[k].addr);
		vio_st32(d + 8, bufs[k].len);
		vio_st16(d + 12, flags);
		vio_st16(d + 14, k + 1 < n ? nxt : 0);
		if (k + 1 < n) {
			i = nxt;
		}
	}
	q->free_head = q->next[i];
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = (uint8_t)n;
	q->in_flight++;
	vio_st16(q->avail + VRING_AVAIL_HDR +
			 2u * (q->avail_idx & (q->size - 1)),
		 head);
	q->avail_idx++;
	return head;
}

void vq_publish(struct vq *q)
{
	vq_barrier(); /* descriptors and ring entries before the index */
	vio_st16(q->avail + 2, q->avail_idx);
	vq_barrier(); /* the index before the doorbell that follows */
}

/** Returns the chain starting at head to the free list. */
static void vq_free_chain(struct vq *q, uint16_t head)
{
	uint16_t i = head;

	for (unsigned int k = 1; k < q->chain_len[head]; k++) {
		i = q->next[i]; /* private links: the device cannot bend them */
	}
	q->next[i] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->in_flight--;
}

int vq_get_used(struct vq *q, uint16_t *head, uint32_t *len)
{
	uint16_t idx = vio_ld16(q->used + 2);
	uint16_t pending = (uint16_t)(idx - q->last_used);
	volatile uint8_t *e;
	uint32_t id;

	if (pending == 0) {
		return 0;
	}
	if (pending > q->in_flight) {
		return VQ_EDEVICE; /* more used than ever made available */
	}
	vq_barrier(); /* the index before the element it covers */
	e = q->used + VRING_USED_HDR +
	    (size_t)VRING_USED_ELEM * (q->last_used & (q->size - 1));
	id = vio_ld32(e);
	if (id >= q->size || q->chain_len[id] == 0) {
		return VQ_EDEVICE;
	}
	*head = (uint16_t)id;
	*len = vio_ld32(e + 4);
	q->last_used++;
	vq_free_chain(q, (uint16_t)id);
	return 1;
}
