/* SPDX-License-Identifier: MIT */
/* Stage-1 tables and device addresses (see smmu_pt.h). */
#include "smmu_pt.h"

#include <string.h>

#include "smmu_hw.h"

#define PT_ENTRIES 512u
#define PT_VALID (1ull << 0)
#define PT_TABLE (1ull << 1)	 /* table (levels 1-2) or page (level 3) */
#define PT_ATTR0 (0ull << 2)	 /* MAIR index 0: write-back memory */
#define PT_AP_EL0 (1ull << 6)	 /* AP[1]: unprivileged access too */
#define PT_AP_RO (1ull << 7)	 /* AP[2]: read-only */
#define PT_SH_ISH (3ull << 8)
#define PT_AF (1ull << 10)
#define PT_NG (1ull << 11)
#define PT_PXN (1ull << 53)
#define PT_UXN (1ull << 54)
#define PT_ADDR_MASK 0x0000fffffffff000ull

void smmu_pool_init(struct smmu_pool *pool, void *va, uint64_t pa,
		    uint32_t pages)
{
	memset(pool, 0, sizeof(*pool));
	pool->va = va;
	pool->pa = pa;
	pool->pages = pages > SMMU_POOL_MAX_PAGES ? SMMU_POOL_MAX_PAGES : pages;
}

void *smmu_pool_alloc(struct smmu_pool *pool, uint64_t *pa)
{
	for (uint32_t i = 0; i < pool->pages; i++) {
		uint64_t bit = 1ull << (i % 64);

		if (pool->bits[i / 64] & bit) {
			continue;
		}
		pool->bits[i / 64] |= bit;
		pool->used++;
		*pa = pool->pa + (uint64_t)i * SMMU_PAGE;
		memset(pool->va + (uint64_t)i * SMMU_PAGE, 0, SMMU_PAGE);
		return pool->va + (uint64_t)i * SMMU_PAGE;
	}
	return NULL;
}

void smmu_pool_free(struct smmu_pool *pool, uint64_t pa)
{
	uint64_t i = (pa - pool->pa) / SMMU_PAGE;

	if (pa < pool->pa || i >= pool->pages ||
	    !(pool->bits[i / 64] & (1ull << (i % 64)))) {
		return;
	}
	pool->bits[i / 64] &= ~(1ull << (i % 64));
	pool->used--;
}

void *smmu_pool_va(const struct smmu_pool *pool, uint64_t pa)
{
	return pool->va + (pa - pool->pa);
}

int smmu_pt_init(struct smmu_pt *pt, struct smmu_pool *pool)
{
	pt->pool = pool;
	pt->tables = 0;
	if (!smmu_pool_alloc(pool, &pt->root_pa)) {
		return -1;
	}
	pt->tables = 1;
	return 0;
}

/** Index of @iova in the table of @level (1..3). */
static uint32_t pt_index(uint64_t iova, int level)
{
	return (uint32_t)(iova >> (12 + 9 * (3 - level))) & (PT_ENTRIES - 1);
}

/** The entry for @iova in table @table_pa. */
static uint64_t *pt_entry(const struct smmu_pt *pt, uint64_t table_pa,
			  uint64_t iova, int level)
{
	uint64_t *t = smmu_pool_va(pt->pool, table_pa);

	return &t[pt_index(iova, level)];
}

static bool pt_iova_ok(uint64_t iova)
{
	return (iova & (SMMU_PAGE - 1)) == 0 &&
	       iova < (1ull << SMMU_IAS_BITS);
}

/** The level-3 table for @iova, made if @make; 0 if none. */
static uint64_t pt_leaf_table(struct smmu_pt *pt, uint64_t iova, bool make,
			      int *err)
{
	uint64_t table = pt->root_pa;

	for (int level = 1; level < 3; level++) {
		uint64_t *e = pt_entry(pt, table, iova, level);
		uint64_t d = smmu_get64(e);
		uint64_t next;

		if (d & PT_VALID) {
			table = d & PT_ADDR_MASK;
			continue;
		}
		if (!make || !smmu_pool_alloc(pt->pool, &next)) {
			*err = make ? -1 : -2;
			return 0;
		}
		pt->tables++;
		/* The zeroed table is in memory before the link to it. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		smmu_put64(e, next | PT_TABLE | PT_VALID);
		table = next;
	}
	return table;
}

int smmu_pt_map(struct smmu_pt *pt, uint64_t iova, uint64_t pa, bool write)
{
	int err = 0;
	uint64_t leaf;
	uint64_t *e;
	uint64_t d;

	if (!pt_iova_ok(iova) || (pa & (SMMU_PAGE - 1)) ||
	    (pa & ~PT_ADDR_MASK)) {
		return -2;
	}
	leaf = pt_leaf_table(pt, iova, true, &err);
	if (!leaf) {
		return err;
	}
	e = pt_entry(pt, leaf, iova, 3);
	if (smmu_get64(e) & PT_VALID) {
		return -2;
	}
	d = pa | PT_VALID | PT_TABLE | PT_ATTR0 | PT_AP_EL0 | PT_SH_ISH |
	    PT_AF | PT_NG | PT_PXN | PT_UXN | (write ? 0 : PT_AP_RO);
	smmu_put64(e, d);
	return 0;
}

/** True if the table at @pa has no valid entry. */
static bool pt_empty(const struct smmu_pt *pt, uint64_t pa)
{
	const uint64_t *t = smmu_pool_va(pt->pool, pa);

	for (uint32_t i = 0; i < PT_ENTRIES; i++) {
		if (smmu_get64(&t[i]) & PT_VALID) {
			return false;
		}
	}
	return true;
}

int smmu_pt_unmap(struct smmu_pt *pt, uint64_t iova)
{
	uint64_t tables[4] = { 0, pt->root_pa, 0, 0 };
	uint64_t *e;

	if (!pt_iova_ok(iova)) {
		return -2;
	}
	for (int level = 1; level < 3; level++) {
		uint64_t d = smmu_get64(pt_entry(pt, tables[level], iova,
						 level));

		if (!(d & PT_VALID)) {
			return -2;
		}
		tables[level + 1] = d & PT_ADDR_MASK;
	}
	e = pt_entry(pt, tables[3], iova, 3);
	if (!(smmu_get64(e) & PT_VALID)) {
		return -2;
	}
	smmu_put64(e, 0);
	/* Free empty tables bottom up (never the root). */
	for (int level = 3; level > 1; level--) {
		if (!pt_empty(pt, tables[level])) {
			break;
		}
		smmu_put64(pt_entry(pt, tables[level - 1], iova, level - 1), 0);
		smmu_pool_free(pt->pool, tables[level]);
		pt->tables--;
	}
	return 0;
}

bool smmu_pt_lookup(const struct smmu_pt *pt, uint64_t iova, uint64_t *pa,
		    bool *write)
{
	uint64_t table = pt->root_pa;

	if (iova >= (1ull << SMMU_IAS_BITS)) {
		return false;
	}
	for (int level = 1; level <= 3; level++) {
		uint64_t d = smmu_get64(pt_entry(pt, table, iova, level));

		if (!(d & PT_VALID)) {
			return false;
		}
		table = d & PT_ADDR_MASK;
		if (level == 3) {
			*pa = table | (iova & (SMMU_PAGE - 1));
			*write = !(d & PT_AP_RO);
		}
	}
	return true;
}

/** Frees the tables below table @pa of @level, then it. */
static void pt_free_tree(struct smmu_pt *pt, uint64_t pa, int level)
{
	const uint64_t *t = smmu_pool_va(pt->pool, pa);

	for (uint32_t i = 0; level < 3 && i < PT_ENTRIES; i++) {
		uint64_t d = smmu_get64(&t[i]);

		if (d & PT_VALID) {
			pt_free_tree(pt, d & PT_ADDR_MASK, level + 1);
		}
	}
	smmu_pool_free(pt->pool, pa);
	pt->tables--;
}

void smmu_pt_destroy(struct smmu_pt *pt)
{
	if (pt->tables) {
		pt_free_tree(pt, pt->root_pa, 1);
	}
	pt->root_pa = 0;
}

void smmu_iova_init(struct smmu_iova *a, uint64_t base, uint64_t size)
{
	a->base = base;
	a->size = size;
	a->count = 0;
}

int smmu_iova_alloc(struct smmu_iova *a, uint64_t bytes, uint64_t *addr)
{
	uint64_t at = a->base;
	uint64_t end = a->base + a->size;

	bytes = (bytes + SMMU_PAGE - 1) & ~(uint64_t)(SMMU_PAGE - 1);
	if (bytes == 0 || a->count == SMMU_IOVA_MAX) {
		return -1;
	}
	for (uint32_t i = 0; i <= a->count; i++) {
		uint64_t limit = i < a->count ? a->used[i].start : end;

		if (limit >= at && limit - at >= bytes) {
			memmove(&a->used[i + 1], &a->used[i],
				(a->count - i) * sizeof(a->used[0]));
			a->used[i].start = at;
			a->used[i].bytes = bytes;
			a->count++;
			*addr = at;
			return 0;
		}
		if (i < a->count) {
			at = a->used[i].start + a->used[i].bytes;
		}
	}
	return -1;
}

int smmu_iova_free(struct smmu_iova *a, uint64_t addr)
{
	for (uint32_t i = 0; i < a->count; i++) {
		if (a->used[i].start == addr) {
			memmove(&a->used[i], &a->used[i + 1],
				(a->count - i - 1) * sizeof(a->used[0]));
			a->count--;
			return 0;
		}
	}
	return -1;
}
