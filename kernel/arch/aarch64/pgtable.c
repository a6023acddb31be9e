/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 stage-1 tables, 4 KiB granule, 4 levels (48-bit VA), and
 * stage-2 tables for guests (same walk from level 0, VTCR_EL2.SL0 = 2;
 * IPAs below PT_IPA_END; leaf attributes in the stage-2 format).
 * Level 0 covers 512 GiB per entry, level 1 1 GiB, level 2 2 MiB, level 3
 * 4 KiB; blocks are allowed at levels 1 and 2.
 */
#include <arch/barrier.h>
#include <arch/memlayout.h>
#include <arch/pte.h>
#include <rift/pgtable.h>

#define LEVELS 4
#define ENTRIES 512

static unsigned level_shift(int level)
{
	return 39 - 9 * (unsigned)level;
}

static unsigned pt_index(vaddr_t va, int level)
{
	return (unsigned)(va >> level_shift(level)) & (ENTRIES - 1);
}

static bool pte_is_table(uint64_t pte, int level)
{
	return level < 3 && (pte & 3) == (PTE_TABLE | PTE_VALID);
}

/** Stage-2 leaf: memory type, access and execute permission for the
 * guest; no ASID (entries are tagged with the VMID). */
static uint64_t pt_attrs_s2(uint32_t flags)
{
	uint64_t a = PTE_AF | PTE_VALID | PTE_S2AP_R;

	if (flags & PT_DEVICE) {
		a |= PTE_S2_MEMATTR(PTE_S2_DEVICE_nGnRE) | PTE_S2_XN;
	} else {
		a |= PTE_S2_MEMATTR((flags & PT_NC) ? PTE_S2_NORMAL_NC :
						      PTE_S2_NORMAL_WB) |
		     PTE_SH_INNER;
		if (!(flags & PT_EXEC)) {
			a |= PTE_S2_XN;
		}
	}
	if (flags & PT_WRITE) {
		a |= PTE_S2AP_W;
	}
	return a;
}

static uint32_t pt_flags_of_s2(uint64_t pte)
{
	uint32_t f = 0;
	uint64_t attr = (pte & PTE_S2_MEMATTR_MASK) >> 2;

	if (pte & PTE_S2AP_R) {
		f |= PT_READ;
	}
	if (pte & PTE_S2AP_W) {
		f |= PT_WRITE;
	}
	if (!(pte & PTE_S2_XN)) {
		f |= PT_EXEC;
	}
	if ((attr & 0xc) == 0) {
		f |= PT_DEVICE;
	} else if (attr == PTE_S2_NORMAL_NC) {
		f |= PT_NC;
	}
	return f;
}

static uint64_t pt_attrs(uint32_t flags, bool user)
{
	uint64_t a = PTE_AF | PTE_VALID;

	if (flags & PT_DEVICE) {
		a |= PTE_ATTR(MT_DEVICE_nGnRE);
	} else {
		a |= PTE_ATTR((flags & PT_NC) ? MT_NORMAL_NC : MT_NORMAL) |
		     PTE_SH_INNER;
	}
	if (!(flags & PT_WRITE)) {
		a |= PTE_AP_RO;
	}
	if (flags & PT_USER) {
		a |= PTE_AP_USER | PTE_PXN;
		if (!(flags & PT_EXEC)) {
			a |= PTE_XN;
		}
	} else {
		a |= PTE_XN;
		if (!(flags & PT_EXEC)) {
			a |= PTE_PXN;
		}
	}
	if (user) {
		a |= PTE_NG;
	}
	return a;
}

static uint32_t pt_flags_of(uint64_t pte)
{
	uint32_t f = PT_READ;
	uint64_t attr = (pte & PTE_ATTR_MASK) >> 2;

	if (!(pte & PTE_AP_RO)) {
		f |= PT_WRITE;
	}
	if (pte & PTE_AP_USER) {
		f |= PT_USER;
		if (!(pte & PTE_XN)) {
			f |= PT_EXEC;
		}
	} else if (!(pte & PTE_PXN)) {
		f |= PT_EXEC;
	}
	if (attr == MT_DEVICE_nGnRE || attr == MT_DEVICE_nGnRnE) {
		f |= PT_DEVICE;
	} else if (attr == MT_NORMAL_NC) {
		f |= PT_NC;
	}
	return f;
}

static int pt_new_table(struct pgtable *pt, paddr_t *pa)
{
	uint64_t *t;

	if (pgtable_alloc_table(pt->ctx, pa) != 0) {
		return PT_ENOMEM;
	}
	t = pgtable_table_va(*pa);
	for (int i = 0; i < ENTRIES; i++) {
		t[i] = 0;
	}
	pt->table_pages++;
	return PT_OK;
}

static bool pt_va_ok(const struct pgtable *pt, vaddr_t va, uint64_t size)
{
	vaddr_t end = va + size;

	if (size == 0 || end < va) {
		return false;
	}
	if (pt->stage2) {
		return end <= PT_IPA_END;
	}
	if (pt->user) {
		return end <= USER_VA_END;
	}
	return va >= ~(USER_VA_END - 1);
}

int pgtable_init(struct pgtable *pt, void *ctx, bool user)
{
	pt->ctx = ctx;
	pt->user = user;
	pt->stage2 = false;
	pt->table_pages = 0;
	return pt_new_table(pt, &pt->root);
}

int pgtable_make_stage2(struct pgtable *pt)
{
	const uint64_t *t = pgtable_table_va(pt->root);

	if (!pt->user || pt->table_pages != 1) {
		return PT_EEXIST;
	}
	for (int i = 0; i < ENTRIES; i++) {
		if (t[i]) {
			return PT_EEXIST;
		}
	}
	pt->stage2 = true;
	return PT_OK;
}

/** Largest block level usable at (va, pa) with @left bytes to go. */
static int pt_block_level(vaddr_t va, paddr_t pa, uint64_t left)
{
	for (int level = 1; level < LEVELS; level++) {
		uint64_t bs = 1ull << level_shift(level);

		if (IS_ALIGNED(va | pa, bs) && left >= bs) {
			return level;
		}
	}
	return -1;
}

/** Walk to the table at @level for @va, creating tables on the way. */
static int pt_walk_create(struct pgtable *pt, vaddr_t va, int level,
			  uint64_t **table)
{
	uint64_t *t = pgtable_table_va(pt->root);

	for (int l = 0; l < level; l++) {
		uint64_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_VALID)) {
			paddr_t npa;
			int err = pt_new_table(pt, &npa);

			if (err) {
				return err;
			}
			/* The zeroed table before the entry that links it. */
			arch_pt_publish(false);
			*e = npa | PTE_TABLE | PTE_VALID;
		} else if (!pte_is_table(*e, l)) {
			return PT_EEXIST;
		}
		t = pgtable_table_va(*e & PTE_ADDR_MASK);
	}
	*table = t;
	return PT_OK;
}

static int pt_map_one(struct pgtable *pt, vaddr_t va, paddr_t pa, int level,
		      uint64_t attrs)
{
	uint64_t *t;
	uint64_t *e;
	int err = pt_walk_create(pt, va, level, &t);

	if (err) {
		return err;
	}
	e = &t[pt_index(va, level)];
	if (*e & PTE_VALID) {
		return PT_EEXIST;
	}
	*e = (pa & PTE_ADDR_MASK) | attrs |
	     (level == 3 ? PTE_PAGE : PTE_BLOCK);
	return PT_OK;
}

void pgtable_count_blocks(vaddr_t va, paddr_t pa, uint64_t size,
			  uint64_t counts[3])
{
	for (uint64_t done = 0; done < size;) {
		int level = pt_block_level(va + done, pa + done, size - done);

		if (level < 1) {
			return; /* not 4 KiB aligned: pgtable_map() refuses it */
		}
		counts[level - 1]++;
		done += 1ull << level_shift(level);
	}
}

int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, uint64_t size,
		uint32_t flags)
{
	uint64_t attrs = pt->stage2 ? pt_attrs_s2(flags) :
				      pt_attrs(flags, pt->user);
	uint64_t done = 0;

	if (!IS_ALIGNED(va | pa | size, 4096) || !pt_va_ok(pt, va, size) ||
	    (pa & ~PTE_ADDR_MASK) != 0 || !(flags & PT_READ) ||
	    ((flags & PT_USER) && !pt->user && !pt->stage2)) {
		return PT_EINVAL;
	}
	while (done < size) {
		int level = pt_block_level(va + done, pa + done, size - done);
		int err = pt_map_one(pt, va + done, pa + done, level, attrs);

		if (err) {
			if (done) {
				pgtable_unmap(pt, va, done);
			}
			return err;
		}
		done += 1ull << level_shift(level);
	}
	/* New entries visible to walkers before the caller returns to a
	 * domain (ERET) or, for the kernel's tables, uses the mapping. */
	arch_pt_publish(!pt->user);
	return PT_OK;
}

/**
 * Find the leaf entry mapping @va; returns its level, or -1 with *@hole set
 * to the bytes from @va to the end of the unmapped entry that covers it.
 */
static int pt_find(const struct pgtable *pt, vaddr_t va, uint64_t **entry,
		   uint64_t *hole)
{
	uint64_t *t = pgtable_table_va(pt->root);

	for (int l = 0; l < LEVELS; l++) {
		uint64_t *e = &t[pt_index(va, l)];
		uint64_t span = 1ull << level_shift(l);

		*hole = span - (va & (span - 1));
		if (!(*e & PTE_VALID)) {
			return -1;
		}
		if (!pte_is_table(*e, l)) {
			*entry = e;
			return l == 0 ? -1 : l;
		}
		t = pgtable_table_va(*e & PTE_ADDR_MASK);
	}
	return -1;
}

int pgtable_lookup(const struct pgtable *pt, vaddr_t va, paddr_t *pa,
		   uint32_t *flags, uint64_t *block_size)
{
	uint64_t *e;
	uint64_t hole;
	int level = pt_find(pt, va, &e, &hole);
	uint64_t bs;

	if (level < 0) {
		return PT_ENOENT;
	}
	bs = 1ull << level_shift(level);
	if (pa) {
		*pa = (*e & PTE_ADDR_MASK & ~(bs - 1)) | (va & (bs - 1));
	}
	if (flags) {
		*flags = pt->stage2 ? pt_flags_of_s2(*e) : pt_flags_of(*e);
	}
	if (block_size) {
		*block_size = bs;
	}
	return PT_OK;
}

/**
 * Unmap [va, va+size); the caller invalidates the TLB. A block must be unmapped whole: a range that cuts a
 * block is refused (PT_EINVAL) before anything changes. Empty intermediate
 * tables are kept until pgtable_destroy().
 */
int pgtable_unmap(struct pgtable *pt, vaddr_t va, uint64_t size)
{
	uint64_t off;

	if (!IS_ALIGNED(va | size, 4096) || !pt_va_ok(pt, va, size)) {
		return PT_EINVAL;
	}
	for (off = 0; off < size;) {
		uint64_t *e;
		uint64_t hole;
		int level = pt_find(pt, va + off, &e, &hole);
		uint64_t bs;

		if (level < 0) {
			off += hole;
			continue;
		}
		bs = 1ull << level_shift(level);
		if (!IS_ALIGNED(va + off, bs) || size - off < bs) {
			return PT_EINVAL;
		}
		off += bs;
	}
	for (off = 0; off < size;) {
		uint64_t *e;
		uint64_t hole;
		int level = pt_find(pt, va + off, &e, &hole);

		if (level < 0) {
			off += hole;
			continue;
		}
		*e = 0;
		off += 1ull << level_shift(level);
	}
	return PT_OK;
}

static void pt_free_level(struct pgtable *pt, paddr_t table, int level)
{
	uint64_t *t = pgtable_table_va(table);

	for (int i = 0; i < ENTRIES && level < 3; i++) {
		if (pte_is_table(t[i], level)) {
			pt_free_level(pt, t[i] & PTE_ADDR_MASK, level + 1);
		}
	}
	pgtable_free_table(pt->ctx, table);
	pt->table_pages--;
}

/**
 * Free one table page, deepest first, the root last: bounded work (at most
 * three scans of 512 entries) so that callers can stop between steps.
 * Leaf entries must already be gone. Returns true while tables remain.
 */
bool pgtable_destroy_step(struct pgtable *pt)
{
	uint64_t *t;
	uint64_t *entry = NULL;
	paddr_t pa;

	if (!pt->table_pages) {
		return false;
	}
	pa = pt->root;
	t = pgtable_table_va(pa);
	for (int l = 0; l < LEVELS - 1; l++) {
		int i = 0;

		while (i < ENTRIES && !pte_is_table(t[i], l)) {
			i++;
		}
		if (i == ENTRIES) {
			break;
		}
		entry = &t[i];
		pa = t[i] & PTE_ADDR_MASK;
		t = pgtable_table_va(pa);
	}
	if (entry) {
		*entry = 0;
	} else {
		pt->root = 0;
	}
	pgtable_free_table(pt->ctx, pa);
	pt->table_pages--;
	return pt->table_pages != 0;
}

void pgtable_destroy(struct pgtable *pt)
{
	if (pt->table_pages) {
		pt_free_level(pt, pt->root, 0);
	}
	pt->root = 0;
}
