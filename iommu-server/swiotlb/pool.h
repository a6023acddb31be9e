/* SPDX-License-Identifier: MIT */
/*
 * The swiotlb bounce pool: pages the devices can reach, in segments of
 * physically (and, in the server, virtually) contiguous memory, handed out
 * as runs of whole pages inside one segment. Pure code: host-tested
 * (tests/test_swiotlb.c).
 */
#ifndef SWIOTLB_POOL_H
#define SWIOTLB_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define SWP_PAGE 4096ull
#define SWP_MAX_SEGS 512
#define SWP_MAX_PAGES (1u << 18) /* 1 GiB */
#define SWP_LONG_BITS (8 * sizeof(unsigned long))

/** A run of contiguous pool memory. */
struct swp_seg {
	uint64_t pa;	     /**< device (physical) address of its first byte */
	uint64_t va;	     /**< where the server reaches it */
	uint32_t first_page; /**< pool page number of its first page */
	uint32_t pages;
};

struct swp_pool {
	struct swp_seg seg[SWP_MAX_SEGS];
	uint32_t nseg;
	uint32_t pages;	     /**< all pages */
	uint32_t used;	     /**< pages handed out */
	unsigned long bits[SWP_MAX_PAGES / SWP_LONG_BITS]; /**< 1 = in use */
};

/** An empty pool. */
void swp_init(struct swp_pool *p);

/**
 * Adds @bytes (a multiple of 4 KiB) at physical @pa reached at @va; joins
 * the previous segment when both addresses continue it. -1 when the pool
 * is full (segments or pages) or the arguments are not page-aligned.
 */
int swp_add(struct swp_pool *p, uint64_t pa, uint64_t va, uint64_t bytes);

/**
 * Takes @n contiguous pages whose last byte lies below @limit (device
 * addresses; 0 = no limit): 0 with the first page in *page, -1 if no such
 * run is free.
 */
int swp_alloc(struct swp_pool *p, uint32_t n, uint64_t limit, uint32_t *page);

/** Gives back the @n pages from @page. */
void swp_free(struct swp_pool *p, uint32_t page, uint32_t n);

/** Device address and server address of pool page @page. */
uint64_t swp_pa(const struct swp_pool *p, uint32_t page);
uint64_t swp_va(const struct swp_pool *p, uint32_t page);

/** True if some pool page lies wholly below @limit (0 = no limit). */
bool swp_reachable(const struct swp_pool *p, uint64_t limit);

/** Lowest and highest (exclusive) device address of the pool. */
uint64_t swp_lowest(const struct swp_pool *p);
uint64_t swp_highest(const struct swp_pool *p);

#endif
