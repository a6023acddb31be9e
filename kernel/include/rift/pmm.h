/* SPDX-License-Identifier: MIT */
/*
 * Physical memory allocator: one buddy allocator per NUMA node over sparse
 * ranges.
 *
 * Memory is described as a set of ranges, each owned by one node. Blocks are
 * naturally aligned in *physical* address (a 2 MiB block starts on a 2 MiB
 * boundary), from 4 KiB (order 0) to 1 GiB (order PMM_MAX_ORDER), so a
 * mapping can use the largest page size that fits.
 *
 * Metadata lives outside the managed memory, in a buffer the caller supplies
 * per range (pmm_meta_bytes() says how big): one small record per 4 KiB page
 * *present*, plus a fixed header per range. Holes between ranges cost
 * nothing; a machine with 4 nodes 512 GiB apart pays exactly what a machine
 * with the same memory packed together pays. Exactly:
 *
 *   pmm_meta_bytes(size) = PMM_META_RANGE_BYTES
 *                          + PMM_META_PAGE_BYTES * (size / PMM_PAGE_SIZE)
 *
 * (152 + 12 bytes per page: 0.29% of the memory present.)
 *
 * Concurrency: each node has its own lock; a call touches one node's lock at a
 * time (lock order: see <rift/spinlock.h>). No call allocates memory itself.
 * pmm_init(), pmm_add_range() and pmm_set_distance() are boot-time calls: run
 * them on one CPU before anything else uses the allocator. The other calls
 * may run concurrently.
 *
 * Errors: every function returns 0 or a negative PMM_E* code; it never
 * panics on bad input (a foreign address, a double free, an order out of
 * range), so a caller can pass on addresses a domain gave it.
 */
#ifndef RIFT_PMM_H
#define RIFT_PMM_H

#include <rift/spinlock.h>
#include <rift/types.h>

#define PMM_PAGE_SHIFT 12
#define PMM_PAGE_SIZE (1ull << PMM_PAGE_SHIFT)
#define PMM_MAX_ORDER 18 /**< 4 KiB << 18 = 1 GiB */
#define PMM_ORDER_2M 9
#define PMM_ORDER_1G 18
#define PMM_MAX_NODES 8
#define PMM_MAX_RANGES 32 /**< ranges over all nodes */
#define PMM_MAX_RANGE_PAGES 0xfffffffeull /**< pages in one range (~16 TiB) */
#define PMM_META_RANGE_BYTES 152 /**< metadata header bytes per range */
#define PMM_META_PAGE_BYTES 12   /**< metadata bytes per 4 KiB page */

enum pmm_error {
	PMM_OK = 0,
	PMM_ENOMEM = -1,   /**< no free block of that order on that node */
	PMM_EINVAL = -2,   /**< bad argument: order, node, alignment, size */
	PMM_EDOUBLE = -3,  /**< the block is already free */
	PMM_EFOREIGN = -4, /**< the address is not managed by this allocator */
	PMM_ENOTHEAD = -5, /**< not the start of an allocated block of that order */
	PMM_EFULL = -6,    /**< too many ranges */
	PMM_EOVERLAP = -7, /**< the new range overlaps an existing one */
};

/** Per-node counters, in 4 KiB pages unless named bytes. */
struct pmm_stats {
	uint64_t total_pages;    /**< pages present on the node */
	uint64_t free_pages;     /**< pages in free blocks */
	uint64_t reserved_pages; /**< pages taken by pmm_reserve() */
	uint64_t meta_bytes;     /**< metadata bytes for this node's ranges */
	uint32_t range_count;
};

struct pmm_page;      /* private per-page record */
struct pmm_range_hdr; /* private per-range header (free lists) */

/**
 * One contiguous range of present memory. Private to pmm.c. The free-list
 * heads and the page records both live in the caller-supplied metadata
 * buffer: the header first, then one record per page.
 */
struct pmm_range {
	paddr_t base;   /**< page aligned */
	uint64_t pages; /**< page count, 1 .. PMM_MAX_RANGE_PAGES */
	uint32_t node;
	struct pmm_range_hdr *hdr; /**< free lists, start of the meta buffer */
	struct pmm_page *page;     /**< page records, right after the header */
};

/** Per-node lock and counters (see struct pmm_stats). Private to pmm.c. */
struct pmm_node {
	struct spinlock lock;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t reserved_pages;
	uint64_t meta_bytes;
	uint32_t range_count;
	bool present; /**< the node has at least one range */
};

/** The allocator. Fields are private: use the functions below. */
struct pmm {
	struct pmm_range ranges[PMM_MAX_RANGES]; /**< in the order added */
	uint32_t range_count;
	struct pmm_node nodes[PMM_MAX_NODES];
	uint8_t distance[PMM_MAX_NODES][PMM_MAX_NODES]; /**< 10 = local */
};

/** Set up an empty allocator. Distances default to 10 local, 20 remote. */
void pmm_init(struct pmm *p);

/** Bytes of metadata storage pmm_add_range() needs for a range of @size. */
size_t pmm_meta_bytes(uint64_t size);

/**
 * Add [base, base+size) on @node, all of it free. @base and @size must be
 * page aligned, @size at most PMM_MAX_RANGE_PAGES pages; @meta must be at
 * least pmm_meta_bytes(size) bytes, aligned to 8, and stay valid while the
 * allocator lives. Returns PMM_EINVAL, PMM_EOVERLAP or PMM_EFULL on error.
 */
int pmm_add_range(struct pmm *p, uint32_t node, paddr_t base, uint64_t size,
		  void *meta, size_t meta_size);

/**
 * Take [base, base+size) out of the free pool for good (kernel image, device
 * tree, initrd, firmware-reserved memory, the metadata itself). Rounds out to
 * pages. Parts outside every range are ignored; parts already reserved or
 * allocated give PMM_EINVAL and nothing changes.
 */
int pmm_reserve(struct pmm *p, paddr_t base, uint64_t size);

/**
 * Allocate a naturally aligned block of 4 KiB << @order on @node only.
 * PMM_EINVAL for a bad node or order, PMM_ENOMEM if no block fits (also for
 * a node without memory).
 */
int pmm_alloc(struct pmm *p, uint32_t node, uint32_t order, paddr_t *out);

/**
 * Allocate on @preferred, else on the other nodes in order of increasing
 * distance (ties: lower node id first). The node used is returned in
 * *@node_out (may be NULL). PMM_EINVAL for a bad node or order, PMM_ENOMEM
 * if no node has a block that fits.
 */
int pmm_alloc_near(struct pmm *p, uint32_t preferred, uint32_t order,
		   paddr_t *out, uint32_t *node_out);

/**
 * Free a block returned by pmm_alloc*() with the same @order; merges buddies.
 * PMM_EINVAL: bad order, or @pa not aligned to the block size.
 * PMM_EFOREIGN: no range holds @pa. PMM_EDOUBLE: @pa lies in a free block.
 * PMM_ENOTHEAD: @pa is reserved, inside an allocated block, or the head of
 * one of another order.
 */
int pmm_free(struct pmm *p, paddr_t pa, uint32_t order);

/**
 * Pin allocated block @pa of @order for a device that may still reach it
 * (DMA): while pins remain, pmm_free() of the block only marks it held, and
 * the block returns to the free lists at the last pmm_unpin(). At most
 * 65535 pins per block (PMM_EFULL). PMM_ENOTHEAD: not the head of an
 * allocated block of that order (a held block takes no new pins).
 */
int pmm_pin(struct pmm *p, paddr_t pa, uint32_t order);

/**
 * Drop one pin of block @pa of @order; frees it if it was freed meanwhile
 * and this was the last pin. PMM_ENOTHEAD: no such pinned block.
 */
int pmm_unpin(struct pmm *p, paddr_t pa, uint32_t order);

/** Is @pa the head of a block freed while pinned (waiting for its unpin)? */
bool pmm_held(struct pmm *p, paddr_t pa);

/** Node that owns @pa, or PMM_EFOREIGN if no range holds it. */
int pmm_node_of(const struct pmm *p, paddr_t pa);

/**
 * Set the distance from node @from to node @to (one direction only).
 * Out-of-range node ids are ignored.
 */
void pmm_set_distance(struct pmm *p, uint32_t from, uint32_t to, uint8_t d);

/** Counters for @node; zeroes if the node has no memory. */
void pmm_stats(struct pmm *p, uint32_t node, struct pmm_stats *st);

/**
 * Check every invariant (free lists well linked and matching the per-page
 * state, no two free buddies of equal order left unmerged, counters equal to
 * what the lists hold). Returns 0 or PMM_EINVAL. For tests and debug builds.
 */
int pmm_check(struct pmm *p);

/** A readable name for a PMM_* code (never NULL). */
const char *pmm_strerror(int err);

#endif
