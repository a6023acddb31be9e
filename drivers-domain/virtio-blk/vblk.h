/* SPDX-License-Identifier: MIT */
/*
 * The virtio-blk driver domain (docs/drivers.md): one modern virtio-pci
 * block device, claimed from the PCI server, its DMA through the DMA
 * server (dma.idl: the smmuv3 or the swiotlb server, the driver cannot
 * tell), served to clients as blk.idl.
 *
 *   vblk_dev.c   device start-up: claim, capabilities, BARs, features,
 *                the request queue, the interrupt
 *   vblk_io.c    running a batch of checked requests through the queue
 *   main.c       blk.idl handlers and the receive loop
 *   vq.c, vcaps.c, vblk_req.c   host-tested pieces
 */
#ifndef VBLK_H
#define VBLK_H

#include <stdbool.h>
#include <stdint.h>

#include <rift/chan.h>

#include "blk.h"
#include "pci_drv.h"
#include "vblk_req.h"
#include "vcaps.h"
#include "vq.h"

/** Queue entries: 8 requests of 3 descriptors fit, with room to spare. */
#define VBLK_QSIZE 64
/** Most bytes per request (the device's size_max can lower it). */
#define VBLK_MAX_BYTES (1u << 20)
/** Requests per submit() (blk.idl's array). */
#define VBLK_MAX_BATCH 8

/*
 * The two ring pages. The driver-written one (mapped TO_DEVICE):
 * available ring at 0, descriptor table at 512, request headers at 1536.
 * The device-written one (FROM_DEVICE): used ring at 0, status bytes at
 * 1024. Each sync covers the ring entries before the index (so a bounce
 * server never lets the device see an index before what it covers).
 */
#define VBLK_A_AVAIL 0u
#define VBLK_A_DESC 512u
#define VBLK_A_HDR 1536u
#define VBLK_A_END (VBLK_A_HDR + VIO_BLK_HDR_SIZE * VBLK_QSIZE)
#define VBLK_B_USED 0u
#define VBLK_B_STATUS 1024u
#define VBLK_B_END (VBLK_B_STATUS + VBLK_QSIZE)

/** Virtual addresses (rift/rt.h leaves 0x50..0xf0 << 32 to programs). */
#define VBLK_BAR_VA 0x0000007000000000ull /* + 1 GiB per BAR index */
#define VBLK_RING_A_VA 0x0000007800000000ull
#define VBLK_RING_B_VA 0x0000007800001000ull

struct vblk {
	struct rift_chan pci, dma;
	uint32_t bdf;
	struct pci_drv_bar bars[6];
	bool bar_mapped[6];
	struct vcaps caps;
	volatile uint8_t *common, *isr, *devcfg, *notify;
	uint64_t irq;	     /**< INTx notification */
	uint64_t dma_events; /**< fault notification from the DMA server */
	uint64_t features;   /**< accepted */
	struct vblk_limits lim;
	uint32_t block_size;
	struct vq q;
	uint64_t ring_a, ring_b;	  /**< frame slots */
	uint32_t ring_a_h, ring_b_h;	  /**< DMA handles */
	uint64_t ring_a_dev, ring_b_dev;  /**< device addresses */
	bool broken;			  /**< device misbehaved: refuse all */
	bool phased;			  /**< a batch had to run in parts */
	uint64_t requests, batches;	  /**< served, for the log */
};

/** One request while it runs. */
struct vblk_run {
	const struct blk_req *r;
	uint32_t handle; /**< DMA mapping of its data */
	uint64_t dev;	 /**< device address of its data */
	int head;	 /**< descriptor chain, -1 before it is queued */
	int status;	 /**< result */
	bool mapped, done;
};

/** Finds, claims and starts the device; 0 or a negative error (logged). */
int vblk_start(struct vblk *d);

/**
 * Runs the checked requests @reqs[0..n) on client frame @frame and stores
 * each one's result in @status. FLUSH requests run after the others.
 */
void vblk_run_batch(struct vblk *d, uint64_t frame, const struct blk_req *reqs,
		    unsigned int n, int32_t *status);

#endif
