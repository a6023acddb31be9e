/* SPDX-License-Identifier: MIT */
/*
 * Translation tables: the architecture-neutral interface. The table format
 * lives in kernel/arch/<arch>/pgtable.c.
 *
 * pgtable_map() always uses the largest block that fits the alignment of
 * both addresses and the remaining size (1 GiB, then 2 MiB, then 4 KiB).
 * Table pages come from pgtable_alloc_table(ctx) and go back through
 * pgtable_free_table(ctx): the context lets the caller charge them to the
 * domain that owns the address space, so destroying a domain returns its
 * table pages too. Both hooks, and pgtable_table_va(), are provided by the
 * kernel (kmem.c) or by a host test.
 *
 * None of these functions panics on bad arguments; all return 0 or a
 * negative PT_E* code. Concurrency: the caller holds the owner's lock.
 */
#ifndef RIFT_PGTABLE_H
#define RIFT_PGTABLE_H

#include <rift/types.h>

enum pt_flags {
	PT_READ = 1u << 0,
	PT_WRITE = 1u << 1,
	PT_EXEC = 1u << 2,
	PT_USER = 1u << 3,   /**< EL0 may access (user domains) */
	PT_DEVICE = 1u << 4, /**< device memory (no caching, no merging) */
	PT_NC = 1u << 5,     /**< normal non-cacheable */
};

enum pt_error {
	PT_OK = 0,
	PT_EINVAL = -1, /**< unaligned, zero size, out of range, bad flags */
	PT_EEXIST = -2, /**< something is already mapped in the range */
	PT_ENOMEM = -3, /**< no page for a table */
	PT_ENOENT = -4, /**< nothing mapped there */
};

struct pgtable {
	paddr_t root;
	void *ctx;            /**< passed to the table allocation hooks */
	uint64_t table_pages; /**< table pages held, root included */
	bool user;            /**< lower half (user) rather than kernel half */
	bool stage2;          /**< a guest's stage-2 (IPA -> PA) table */
};

/** Guest-physical addresses a stage-2 table maps: [0, PT_IPA_END). */
#define PT_IPA_END (1ull << 40)

int pgtable_init(struct pgtable *pt, void *ctx, bool user);
/**
 * Switch an empty user table (nothing mapped yet) to the stage-2 format:
 * the same 4-level walk, leaf descriptors with stage-2 attributes (S2AP,
 * MemAttr, XN), IPAs below PT_IPA_END. PT_USER is ignored in stage 2.
 */
int pgtable_make_stage2(struct pgtable *pt);
/**
 * How pgtable_map() would cut [va, va+size) -> pa into blocks: adds the
 * number of 1 GiB, 2 MiB and 4 KiB leaves to @counts[0..2].
 */
void pgtable_count_blocks(vaddr_t va, paddr_t pa, uint64_t size,
			  uint64_t counts[3]);
int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, uint64_t size,
		uint32_t flags);
int pgtable_unmap(struct pgtable *pt, vaddr_t va, uint64_t size);
int pgtable_lookup(const struct pgtable *pt, vaddr_t va, paddr_t *pa,
		   uint32_t *flags, uint64_t *block_size);
void pgtable_destroy(struct pgtable *pt);
bool pgtable_destroy_step(struct pgtable *pt);

/* Hooks the user of this module provides. */
int pgtable_alloc_table(void *ctx, paddr_t *pa);
void pgtable_free_table(void *ctx, paddr_t pa);
uint64_t *pgtable_table_va(paddr_t pa);

#endif
