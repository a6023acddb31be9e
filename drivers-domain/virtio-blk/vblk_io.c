/* SPDX-License-Identifier: MIT */
/*
 * Running checked block requests. A batch is mapped for DMA as far as the
 * DMA server has room (a full bounce pool runs the batch in several
 * phases, and a request that cannot be mapped even alone fails with
 * RIFT_ENOMEM), queued all at once, completed from the used ring on the
 * INTx interrupt, and unmapped (which copies read data back under a
 * bounce server). Flushes run last, after every data request completed.
 *
 * Request k of a phase (k < VBLK_MAX_BATCH) uses header slot k and status
 * byte k of the ring pages, so no allocation happens per request.
 */
#include <stdio.h>

#include <rift/msg.h>
#include <rift/syscall.h>

#include "dma.h"
#include "pci.h"
#include "vblk.h"
#include "virtio.h"

static uint8_t *ring_a(void)
{
	return (uint8_t *)(uintptr_t)VBLK_RING_A_VA;
}

static uint8_t *ring_b(void)
{
	return (uint8_t *)(uintptr_t)VBLK_RING_B_VA;
}

/** Stops the device for good after it broke the protocol. */
static void vblk_break(struct vblk *d, const char *why)
{
	if (!d->broken) {
		printf("virtio-blk: %s: device reset, all requests refused\n",
		       why);
	}
	d->broken = true;
	*(volatile uint8_t *)(d->common + VIO_STATUS) = 0; /* stops its DMA */
}

/** Puts request @k of the phase on the queue. */
static int vblk_queue(struct vblk *d, struct vblk_run *run, unsigned int k)
{
	const struct blk_req *r = run->r;
	uint8_t *hdr = ring_a() + VBLK_A_HDR + VIO_BLK_HDR_SIZE * k;
	struct vq_buf bufs[3];
	unsigned int n = 0;
	uint32_t type = r->op == BLK_OP_READ	? VIO_BLK_T_IN
			: r->op == BLK_OP_WRITE ? VIO_BLK_T_OUT
						: VIO_BLK_T_FLUSH;

	vio_st32(hdr, type);
	vio_st32(hdr + 4, 0);
	vio_st64(hdr + 8, r->op == BLK_OP_FLUSH ? 0 : r->sector);
	bufs[n++] = (struct vq_buf){ d->ring_a_dev + VBLK_A_HDR +
					     VIO_BLK_HDR_SIZE * k,
				     VIO_BLK_HDR_SIZE, false };
	if (r->op != BLK_OP_FLUSH) {
		bufs[n++] = (struct vq_buf){ run->dev, r->length,
					     r->op == BLK_OP_READ };
	}
	bufs[n++] = (struct vq_buf){ d->ring_b_dev + VBLK_B_STATUS + k, 1, true };
	run->head = vq_add(&d->q, bufs, n);
	return run->head >= 0 ? RIFT_OK : RIFT_ENOMEM;
}

/** Makes the queued chains visible to the device and rings its doorbell. */
static int vblk_kick(struct vblk *d)
{
	/* Entries, descriptors and headers first, the index after them. */
	int err = dma_sync_for_device(&d->dma, d->ring_a_h, VBLK_A_AVAIL + 4,
				      VBLK_A_END - VBLK_A_AVAIL - 4);

	vq_publish(&d->q);
	if (err == RIFT_OK) {
		err = dma_sync_for_device(&d->dma, d->ring_a_h,
					  VBLK_A_AVAIL + 2, 2);
	}
	if (err != RIFT_OK) {
		return err;
	}
	vio_st16(d->notify, 0); /* queue 0 */
	return RIFT_OK;
}

/** Takes every completed request of @runs; returns how many completed. */
static unsigned int vblk_harvest(struct vblk *d, struct vblk_run *runs,
				 unsigned int n)
{
	unsigned int done = 0;
	uint16_t head;
	uint32_t len;
	int got;

	/* The index first, then the elements and status bytes it covers. */
	if (dma_sync_for_cpu(&d->dma, d->ring_b_h, VBLK_B_USED + 2, 2) ||
	    dma_sync_for_cpu(&d->dma, d->ring_b_h, VBLK_B_USED + 4,
			     VBLK_B_END - VBLK_B_USED - 4)) {
		vblk_break(d, "the DMA server refused a ring sync");
		return 0;
	}
	while ((got = vq_get_used(&d->q, &head, &len)) == 1) {
		unsigned int k;

		for (k = 0; k < n && (runs[k].done || runs[k].head != head); k++) {
		}
		if (k == n) {
			vblk_break(d, "used element for no request of ours");
			return done;
		}
		uint8_t st = ring_b()[VBLK_B_STATUS + k];

		runs[k].status = st == VIO_BLK_S_OK ? RIFT_OK : RIFT_EIO;
		runs[k].done = true;
		done++;
	}
	if (got < 0) {
		vblk_break(d, "corrupt used ring");
	}
	return done;
}

/**
 * Logs the DMA faults the server reported for the device (under an IOMMU
 * a device touching an address the driver did not map): one poll of the
 * attach notification per phase, nothing when it is quiet.
 */
static void vblk_dma_faults(struct vblk *d)
{
	struct dma_fault list[8];
	uint64_t word = 0;
	uint32_t dropped = 0;
	uint16_t count = 0;

	if (rift_poll(d->dma_events, &word) != 0 || word == 0 ||
	    dma_faults(&d->dma, &count, list, &dropped) != RIFT_OK) {
		return;
	}
	for (uint16_t i = 0; i < count && i < 8; i++) {
		printf("virtio-blk: DMA fault: device %s at 0x%llx, reason %u, "
		       "%u time(s)\n", list[i].write ? "write" : "read",
		       (unsigned long long)list[i].addr, list[i].reason,
		       list[i].count);
	}
	if (dropped) {
		printf("virtio-blk: %u more DMA fault bursts dropped\n", dropped);
	}
}

/** Runs requests already mapped (or flushes) @runs[0..n) to completion. */
static void vblk_phase(struct vblk *d, struct vblk_run *runs, unsigned int n)
{
	unsigned int left = n;
	uint64_t word, count;

	for (unsigned int k = 0; k < n; k++) {
		if (vblk_queue(d, &runs[k], k) != RIFT_OK) {
			vblk_break(d, "request queue full");
		}
	}
	if (!d->broken && vblk_kick(d) != RIFT_OK) {
		vblk_break(d, "the DMA server refused a ring sync");
	}
	while (left > 0 && !d->broken) {
		rift_wait(d->irq, &word);
		(void)*(volatile uint8_t *)d->isr; /* read: clears, drops INTx */
		pci_irq_ack(&d->pci, d->bdf, &count);
		left -= vblk_harvest(d, runs, n);
	}
	vblk_dma_faults(d);
	for (unsigned int k = 0; k < n; k++) {
		if (!runs[k].done) {
			runs[k].status = RIFT_EIO;
			runs[k].done = true;
		}
	}
	if (d->broken) {
		/* nothing of the chains is trusted any more: start afresh */
		vq_init(&d->q, d->q.size, (void *)d->q.desc, (void *)d->q.avail,
			(void *)d->q.used);
	}
}

/** Maps request @run's data; 0 or the DMA server's error. */
static int vblk_map(struct vblk *d, uint64_t frame, struct vblk_run *run)
{
	const struct blk_req *r = run->r;
	uint8_t dir = r->op == BLK_OP_READ ? DMA_DIR_FROM_DEVICE
					   : DMA_DIR_TO_DEVICE;
	int err = dma_map(&d->dma, d->bdf, frame, r->offset, r->length, dir,
			  &run->dev, &run->handle);

	run->mapped = err == RIFT_OK;
	return err;
}

static void vblk_unmap(struct vblk *d, struct vblk_run *run)
{
	if (run->mapped) {
		int err = dma_unmap(&d->dma, run->handle);

		if (err != RIFT_OK && run->status == RIFT_OK) {
			run->status = err; /* the data did not come back */
		}
		run->mapped = false;
	}
}

/** The data requests of a batch, in as many phases as mapping allows. */
static void vblk_data(struct vblk *d, uint64_t frame, struct vblk_run *runs,
		      unsigned int n)
{
	unsigned int i = 0;

	while (i < n) {
		unsigned int j = i;
		int err = RIFT_OK;

		while (j < n && (err = vblk_map(d, frame, &runs[j])) == RIFT_OK) {
			j++;
		}
		if (j == i) { /* not even one fits: say why, for all the rest */
			for (; i < n; i++) {
				runs[i].status = err;
			}
			return;
		}
		if (j < n && !d->phased) {
			printf("virtio-blk: the DMA server is out of room (%s): "
			       "batches run in parts\n", rift_strerror(err));
			d->phased = true; /* said once */
		}
		if (d->broken) {
			for (unsigned int k = i; k < j; k++) {
				runs[k].status = RIFT_EIO;
			}
		} else {
			vblk_phase(d, runs + i, j - i);
		}
		for (unsigned int k = i; k < j; k++) {
			vblk_unmap(d, &runs[k]);
		}
		i = j;
	}
}

void vblk_run_batch(struct vblk *d, uint64_t frame, const struct blk_req *reqs,
		    unsigned int n, int32_t *status)
{
	struct vblk_run data[VBLK_MAX_BATCH], flush[VBLK_MAX_BATCH];
	unsigned int nd = 0, nf = 0, k;

	for (k = 0; k < n; k++) {
		struct vblk_run run = { .r = &reqs[k], .head = -1 };

		if (reqs[k].op == BLK_OP_FLUSH) {
			flush[nf++] = run;
		} else {
			data[nd++] = run;
		}
	}
	vblk_data(d, frame, data, nd);
	if (nf > 0 && d->lim.flush && !d->broken) {
		vblk_phase(d, flush, nf);
	}
	/* Results back in the client's order. */
	for (unsigned int i = 0, jd = 0, jf = 0; i < n; i++) {
		if (reqs[i].op == BLK_OP_FLUSH) {
			status[i] = d->lim.flush && !d->broken ? flush[jf].status
					: d->broken	      ? RIFT_EIO
							      : RIFT_OK;
			jf++;
		} else {
			status[i] = data[jd++].status;
		}
	}
	d->requests += n;
	d->batches++;
}
