/* SPDX-License-Identifier: MIT */
/*
 * Device address spaces: stage-1 translation tables (VMSAv8-64, 4 KiB
 * granule, SMMU_IAS_BITS = 39 bits of input: levels 1, 2 and 3) built in a
 * pool of table pages, and the allocator of device addresses.
 *
 * The pool is one block of memory the server mapped and pinned: it knows
 * both its virtual and its physical address, and every table page is a
 * 4 KiB page of it. Descriptors are stored little-endian (smmu_put64), so
 * this builds and is tested on big-endian hosts too. Nothing here touches
 * the SMMU: the caller invalidates its TLB after an unmap.
 */
#ifndef SMMU_PT_H
#define SMMU_PT_H

#include <stdbool.h>
#include <stdint.h>

#define SMMU_PAGE 4096u
#define SMMU_POOL_MAX_PAGES 512u

/** Table pages: 4 KiB pages of one contiguous, pinned block. */
struct smmu_pool {
	uint8_t *va;	  /**< where the server reaches page 0 */
	uint64_t pa;	  /**< physical address of page 0 */
	uint32_t pages;	  /**< pages in the pool (<= SMMU_POOL_MAX_PAGES) */
	uint32_t used;	  /**< pages handed out */
	uint64_t bits[SMMU_POOL_MAX_PAGES / 64]; /**< 1: page in use */
};

/** One address space: the level-1 table and its tables below. */
struct smmu_pt {
	struct smmu_pool *pool;
	uint64_t root_pa; /**< level-1 table (TTB0) */
	uint32_t tables;  /**< table pages it holds, the root included */
};

/** Sets up @pool over @pages pages at @va / @pa (4 KiB aligned). */
void smmu_pool_init(struct smmu_pool *pool, void *va, uint64_t pa,
		    uint32_t pages);
/** A zeroed page of the pool; its PA in *pa. NULL when none is left. */
void *smmu_pool_alloc(struct smmu_pool *pool, uint64_t *pa);
/** Returns the page at @pa to the pool. */
void smmu_pool_free(struct smmu_pool *pool, uint64_t pa);
/** The server's address of pool page @pa. */
void *smmu_pool_va(const struct smmu_pool *pool, uint64_t pa);

/** Makes an empty address space (one table page). -1: pool empty. */
int smmu_pt_init(struct smmu_pt *pt, struct smmu_pool *pool);
/**
 * Maps the 4 KiB page at device address @iova to physical @pa, readable,
 * and writable by the device if @write. 0; -1 no table page left (nothing
 * changed); -2 @iova already mapped or outside the 39-bit space, or an
 * argument not page aligned.
 */
int smmu_pt_map(struct smmu_pt *pt, uint64_t iova, uint64_t pa, bool write);
/**
 * Unmaps the page at @iova, freeing tables that become empty. 0, or -2 if
 * nothing was mapped there. The caller must invalidate the SMMU's TLB
 * (and complete that with CMD_SYNC) before reusing the page or the tables.
 */
int smmu_pt_unmap(struct smmu_pt *pt, uint64_t iova);
/** What @iova translates to: true and *pa, *write if mapped. */
bool smmu_pt_lookup(const struct smmu_pt *pt, uint64_t iova, uint64_t *pa,
		    bool *write);
/** Frees every table (the caller has invalidated the TLB first). */
void smmu_pt_destroy(struct smmu_pt *pt);

#define SMMU_IOVA_MAX 256u

/** Device addresses of one address space: [base, base + size). */
struct smmu_iova {
	uint64_t base;
	uint64_t size;
	uint32_t count; /**< ranges in use, sorted by start */
	struct {
		uint64_t start;
		uint64_t bytes;
	} used[SMMU_IOVA_MAX];
};

void smmu_iova_init(struct smmu_iova *a, uint64_t base, uint64_t size);
/** First fit of @bytes (whole pages). 0 and *addr; -1 no room. */
int smmu_iova_alloc(struct smmu_iova *a, uint64_t bytes, uint64_t *addr);
/** Frees the range starting at @addr. 0, or -1 if none starts there. */
int smmu_iova_free(struct smmu_iova *a, uint64_t addr);

#endif
