/* SPDX-License-Identifier: MIT */
/*
 * The swiotlb DMA server (docs/dma.md, "The swiotlb server"): dma.idl
 * without an IOMMU. Memory a device can reach is used in place (pinned,
 * its physical address handed out); memory out of its reach — or all
 * memory, with swiotlb-force — is bounced through a pool allocated and
 * pinned at start-up.
 *
 *   main.c      options, the pool, the receive loop
 *   handlers.c  the dma.idl handlers, device and mapping tables
 *   pool.c      the pool's page allocator (host-tested)
 *   swcore.c    ordered copy, bounce decision, handles, options (host-tested)
 */
#ifndef SWIOTLB_H
#define SWIOTLB_H

#include <stdbool.h>
#include <stdint.h>

#include <rift/chan.h>

#include "pool.h"
#include "swcore.h"

#define SW_MAX_DEVS 32
#define SW_MAPS 512 /* each holds one capability: a pin or a frame */
#define SW_MAPS_PER_CLIENT 256 /* no client can take the whole table */
#define SW_MAX_BADGE 17	       /* badges 1..16: a channel has at most 16 clients */
/* Memory one client may keep pinned (in-place mappings pin whole frames):
 * pins hold memory whatever the client's quota says, so a cap per client. */
#define SW_PIN_BYTES_PER_CLIENT (1ull << 30)

/** Where the pool is mapped, and the window a caller's frame is copied through. */
#define SW_POOL_VA 0x000000e000000000ull
/* One window per frame size: a 2 MiB block cannot go where a 4 KiB table is. */
#define SW_COPY_VA_4K 0x0000008000000000ull
#define SW_COPY_VA_2M 0x0000008040000000ull
#define SW_COPY_VA_1G 0x0000008080000000ull /* up to 0x80c000_0000 */

/** A device attached by a driver. */
struct sw_dev {
	bool used;
	uint32_t bdf;
	uint64_t badge;	   /**< the driver's channel badge */
	uint8_t dma_bits;
	uint64_t events;   /**< notification (never signalled: no faults) */
	uint64_t events_ro;/**< its read-only copy handed to the driver */
};

/** One mapping. */
struct sw_map {
	bool used;
	bool bounce;
	uint8_t dir;
	uint32_t gen;
	uint32_t bdf;
	uint64_t badge;
	uint64_t frame;	     /**< the caller's frame (our copy), bounce only */
	uint64_t pin;	     /**< pin of the caller's frame */
	uint64_t frame_size;
	uint64_t offset;     /**< in the caller's frame */
	uint32_t length;
	uint32_t page, pages;/**< pool pages, bounce only */
	uint64_t dev_addr;
};

struct sw_state {
	struct swp_pool pool;
	bool force;
	uint64_t pool_bytes;
	uint64_t dmactl;
	struct rift_chan pci;
	uint64_t recv_slots[4]; /**< [0]: where a request's capability lands */
	bool took_cap;	     /**< a handler kept it: take a fresh slot */
	struct sw_dev devs[SW_MAX_DEVS];
	struct sw_map maps[SW_MAPS];
	uint32_t gen;
	uint32_t client_maps[SW_MAX_BADGE]; /**< mappings per client badge */
	uint64_t client_pinned[SW_MAX_BADGE]; /**< bytes pinned per client */
	uint64_t n_direct, n_bounce, refused, bytes_copied;
};

extern struct sw_state sw;

/** Removes every mapping of device @bdf of @badge (detach, re-attach). */
void sw_unmap_all(uint64_t badge, uint32_t bdf);

#endif
