/* SPDX-License-Identifier: MIT */
/* Host tests of the aarch64 translation-table builder (pgtable.c). */
#include <stdint.h>
#include <stdlib.h>

#include <arch/pte.h>
#include <rift/pgtable.h>

#include "test.h"

/* Table pages are host memory; "physical" addresses are host pointers. */
static long live_tables;
unsigned long fake_pt_publish_count; /* arch/barrier.h (fake) */

int pgtable_alloc_table(void *ctx, paddr_t *pa)
{
	long *budget = ctx;
	void *p;

	if (budget && (*budget)-- <= 0) {
		return -1;
	}
	p = aligned_alloc(4096, 4096);
	if (!p) {
		return -1;
	}
	live_tables++;
	*pa = (paddr_t)(uintptr_t)p;
	return 0;
}

void pgtable_free_table(void *ctx, paddr_t pa)
{
	(void)ctx;
	live_tables--;
	free((void *)(uintptr_t)pa);
}

uint64_t *pgtable_table_va(paddr_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

#define KVA 0xffff000000000000ull

TEST(largest_blocks)
{
	struct pgtable pt;
	uint64_t bs;
	paddr_t pa;

	CHECK_EQ(pgtable_init(&pt, NULL, false), 0);
	/* 1 GiB + 2 MiB + 4 KiB, all aligned: one of each size. */
	CHECK_EQ(pgtable_map(&pt, KVA + GiB(1), GiB(1),
			     GiB(1) + MiB(2) + 4096, PT_READ | PT_WRITE), 0);
	CHECK_EQ(pgtable_lookup(&pt, KVA + GiB(1) + 12345, &pa, NULL, &bs), 0);
	CHECK_EQ(bs, GiB(1));
	CHECK_EQ(pa, GiB(1) + 12345);
	CHECK_EQ(pgtable_lookup(&pt, KVA + GiB(2) + 5, &pa, NULL, &bs), 0);
	CHECK_EQ(bs, MiB(2));
	CHECK_EQ(pa, GiB(2) + 5);
	CHECK_EQ(pgtable_lookup(&pt, KVA + GiB(2) + MiB(2), &pa, NULL, &bs),
		 0);
	CHECK_EQ(bs, 4096);
	CHECK_EQ(pgtable_lookup(&pt, KVA + GiB(2) + MiB(2) + 4096, NULL, NULL,
				NULL),
		 PT_ENOENT);
	/* root + L1 + L2 + L3 */
	CHECK_EQ(pt.table_pages, 4);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

TEST(misaligned_pa_uses_small_pages)
{
	struct pgtable pt;
	uint64_t bs;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	/* VA 2 MiB aligned but PA only 4 KiB aligned: no blocks. */
	CHECK_EQ(pgtable_map(&pt, MiB(2), MiB(4) + 4096, MiB(2),
			     PT_READ | PT_USER), 0);
	CHECK_EQ(pgtable_lookup(&pt, MiB(2), NULL, NULL, &bs), 0);
	CHECK_EQ(bs, 4096);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

TEST(permissions_round_trip)
{
	struct pgtable pt;
	uint32_t f;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	CHECK_EQ(pgtable_map(&pt, 0x400000, 0x80000000, 4096,
			     PT_READ | PT_EXEC | PT_USER), 0);
	CHECK_EQ(pgtable_map(&pt, 0x401000, 0x80001000, 4096,
			     PT_READ | PT_WRITE | PT_USER), 0);
	CHECK_EQ(pgtable_map(&pt, 0x402000, 0x9000000, 4096,
			     PT_READ | PT_WRITE | PT_USER | PT_DEVICE), 0);
	CHECK_EQ(pgtable_lookup(&pt, 0x400000, NULL, &f, NULL), 0);
	CHECK_EQ(f, PT_READ | PT_EXEC | PT_USER);
	CHECK_EQ(pgtable_lookup(&pt, 0x401000, NULL, &f, NULL), 0);
	CHECK_EQ(f, PT_READ | PT_WRITE | PT_USER);
	CHECK_EQ(pgtable_lookup(&pt, 0x402000, NULL, &f, NULL), 0);
	CHECK_EQ(f, PT_READ | PT_WRITE | PT_USER | PT_DEVICE);
	pgtable_destroy(&pt);
}

TEST(bad_arguments)
{
	struct pgtable pt;
	uint64_t tables;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	tables = pt.table_pages;
	CHECK_EQ(pgtable_map(&pt, 0x1001, 0x1000, 4096, PT_READ), PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 100, PT_READ), PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 0, PT_READ), PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 4096, 0), PT_EINVAL);
	/* beyond the 48-bit user half, and wrapping */
	CHECK_EQ(pgtable_map(&pt, 1ull << 48, 0, 4096, PT_READ), PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, (1ull << 48) - 4096, 0, 8192, PT_READ),
		 PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, ~0ull - 4095, 0, 8192, PT_READ), PT_EINVAL);
	/* kernel addresses in a user table */
	CHECK_EQ(pgtable_map(&pt, KVA, 0, 4096, PT_READ), PT_EINVAL);
	/* PA beyond 48 bits */
	CHECK_EQ(pgtable_map(&pt, 0x1000, 1ull << 52, 4096, PT_READ),
		 PT_EINVAL);
	CHECK_EQ(pt.table_pages, tables);
	pgtable_destroy(&pt);
	/* user pages in a kernel table */
	CHECK_EQ(pgtable_init(&pt, NULL, false), 0);
	CHECK_EQ(pgtable_map(&pt, KVA, 0, 4096, PT_READ | PT_USER), PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0, 4096, PT_READ), PT_EINVAL);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

TEST(overlap_and_rollback)
{
	struct pgtable pt;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	CHECK_EQ(pgtable_map(&pt, MiB(2) + MiB(1), 0x40000000, 4096,
			     PT_READ | PT_USER), 0);
	/* A 4 MiB map over it fails and leaves the first 1 MiB unmapped. */
	CHECK_EQ(pgtable_map(&pt, MiB(2), 0x50000000, MiB(4),
			     PT_READ | PT_USER), PT_EEXIST);
	CHECK_EQ(pgtable_lookup(&pt, MiB(2), NULL, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pgtable_lookup(&pt, MiB(2) + MiB(1), NULL, NULL, NULL), 0);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

TEST(unmap_whole_blocks_only)
{
	struct pgtable pt;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	CHECK_EQ(pgtable_map(&pt, MiB(2), MiB(2), MiB(2), PT_READ | PT_USER),
		 0);
	CHECK_EQ(pgtable_unmap(&pt, MiB(2), 4096), PT_EINVAL);
	CHECK_EQ(pgtable_lookup(&pt, MiB(2), NULL, NULL, NULL), 0);
	/* A huge sparse unmap finishes quickly (skips empty tables). */
	CHECK_EQ(pgtable_unmap(&pt, 0, 1ull << 47), 0);
	CHECK_EQ(pgtable_lookup(&pt, MiB(2), NULL, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pgtable_map(&pt, MiB(2), MiB(2), MiB(2), PT_READ | PT_USER),
		 0);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

TEST(out_of_table_memory)
{
	struct pgtable pt;
	long budget = 2; /* root + one more */

	CHECK_EQ(pgtable_init(&pt, &budget, true), 0);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 4096, PT_READ | PT_USER),
		 PT_ENOMEM);
	CHECK_EQ(pgtable_lookup(&pt, 0x1000, NULL, NULL, NULL), PT_ENOENT);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

/* Every successful map ends with a publish barrier (DSB ISHST on aarch64),
 * and every new table is published before it is linked. */
TEST(map_publishes_entries)
{
	struct pgtable pt;
	unsigned long before;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	before = fake_pt_publish_count;
	/* Root exists; levels 1, 2, 3 are new: three links and the final. */
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 4096, PT_READ | PT_USER), 0);
	CHECK_EQ(fake_pt_publish_count - before, 4);
	before = fake_pt_publish_count;
	CHECK_EQ(pgtable_map(&pt, 0x2000, 0x2000, 4096, PT_READ | PT_USER), 0);
	CHECK_EQ(fake_pt_publish_count - before, 1);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
}

/* Step-wise destruction frees one table per step, the root last. */
TEST(destroy_in_steps)
{
	struct pgtable pt;
	int steps = 0;

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 4096, PT_READ | PT_USER), 0);
	CHECK_EQ(pgtable_map(&pt, GiB(1), 0x1000, 4096, PT_READ | PT_USER), 0);
	CHECK_EQ(pgtable_unmap(&pt, 0x1000, 4096), 0);
	CHECK_EQ(pgtable_unmap(&pt, GiB(1), 4096), 0);
	CHECK_EQ(live_tables, 6); /* root, L1, 2 x L2, 2 x L3 */
	while (pgtable_destroy_step(&pt)) {
		steps++;
		CHECK_EQ(live_tables, 6 - steps);
	}
	CHECK_EQ(steps, 5);
	CHECK_EQ(live_tables, 0);
	CHECK_EQ(pt.table_pages, 0);
	CHECK(!pgtable_destroy_step(&pt));
}

/* Stage 2 (guests): descriptor encoding, IPA limit, blocks. */
TEST(stage2_descriptors)
{
	struct pgtable pt;
	uint64_t bs, *l1, *l2, *l3, e;
	uint32_t flags;
	paddr_t pa;
	uint64_t n[3] = { 0, 0, 0 };

	CHECK_EQ(pgtable_init(&pt, NULL, true), 0);
	CHECK_EQ(pgtable_make_stage2(&pt), 0);
	CHECK(pt.stage2);
	/* guest RAM: RWX, normal write-back, inner shareable, a 2 MiB block */
	CHECK_EQ(pgtable_map(&pt, GiB(1), GiB(3), MiB(2),
			     PT_READ | PT_WRITE | PT_EXEC | PT_USER), 0);
	l1 = pgtable_table_va(pgtable_table_va(pt.root)[0] & PTE_ADDR_MASK);
	l2 = pgtable_table_va(l1[1] & PTE_ADDR_MASK);
	e = l2[0];
	CHECK_EQ(e & 3, PTE_VALID | PTE_BLOCK);
	CHECK_EQ(e & PTE_ADDR_MASK, GiB(3));
	CHECK_EQ(e & PTE_S2_MEMATTR_MASK, PTE_S2_MEMATTR(PTE_S2_NORMAL_WB));
	CHECK(e & PTE_S2AP_R);
	CHECK(e & PTE_S2AP_W);
	CHECK(e & PTE_AF);
	CHECK_EQ(e & PTE_SH_INNER, PTE_SH_INNER);
	CHECK(!(e & PTE_S2_XN));
	CHECK(!(e & PTE_NG)); /* VMID-tagged, no ASID */
	CHECK_EQ(pgtable_lookup(&pt, GiB(1) + 77, &pa, &flags, &bs), 0);
	CHECK_EQ(pa, GiB(3) + 77);
	CHECK_EQ(bs, MiB(2));
	CHECK_EQ(flags, PT_READ | PT_WRITE | PT_EXEC);
	/* a read-only, never-executable page and a device page */
	CHECK_EQ(pgtable_map(&pt, GiB(1) + MiB(2), 0x5000, 4096, PT_READ), 0);
	l3 = pgtable_table_va(l2[1] & PTE_ADDR_MASK);
	e = l3[0];
	CHECK_EQ(e & 3, PTE_VALID | PTE_PAGE);
	CHECK(!(e & PTE_S2AP_W));
	CHECK(e & PTE_S2_XN);
	CHECK_EQ(pgtable_map(&pt, 0x09000000, 0x09000000, 4096,
			     PT_READ | PT_WRITE | PT_DEVICE), 0);
	CHECK_EQ(pgtable_lookup(&pt, 0x09000000, NULL, &flags, NULL), 0);
	CHECK_EQ(flags, PT_READ | PT_WRITE | PT_DEVICE);
	/* IPAs stop at PT_IPA_END */
	CHECK_EQ(pgtable_map(&pt, PT_IPA_END - 4096, 0x6000, 8192, PT_READ),
		 PT_EINVAL);
	CHECK_EQ(pgtable_map(&pt, PT_IPA_END - 4096, 0x6000, 4096, PT_READ), 0);
	/* a table with something mapped cannot change format */
	CHECK_EQ(pgtable_make_stage2(&pt), PT_EEXIST);
	pgtable_destroy(&pt);
	CHECK_EQ(live_tables, 0);
	/* block counts as pgtable_map() cuts them */
	pgtable_count_blocks(GiB(1), GiB(1), GiB(1) + MiB(4) + 8192, n);
	CHECK_EQ(n[0], 1);
	CHECK_EQ(n[1], 2);
	CHECK_EQ(n[2], 2);
	n[0] = n[1] = n[2] = 0;
	pgtable_count_blocks(GiB(1) + MiB(64), MiB(64), MiB(64), n); /* an RMA */
	CHECK_EQ(n[0], 0);
	CHECK_EQ(n[1], 32);
	CHECK_EQ(n[2], 0);
}

TEST_MAIN("pgtable", TEST_ENTRY(map_publishes_entries),
	  TEST_ENTRY(stage2_descriptors),
	  TEST_ENTRY(destroy_in_steps), TEST_ENTRY(largest_blocks),
	  TEST_ENTRY(misaligned_pa_uses_small_pages),
	  TEST_ENTRY(permissions_round_trip), TEST_ENTRY(bad_arguments),
	  TEST_ENTRY(overlap_and_rollback),
	  TEST_ENTRY(unmap_whole_blocks_only), TEST_ENTRY(out_of_table_memory))
