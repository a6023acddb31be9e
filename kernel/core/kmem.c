/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory bring-up.
 *
 * The kernel's own tables are built before the physical allocator exists
 * (the allocator's metadata is reached through the linear map those tables
 * create), so table pages come first from a small pool inside the image and
 * from the allocator once it runs. Each RAM range's allocator metadata is
 * carved from that same range (node-local), at its top, clear of anything
 * the boot loader placed there.
 */
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/cpu.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/pgtable.h>
#include <rift/printk.h>

#define BOOT_POOL_PAGES 64

struct pmm kmem_pmm;
static uint8_t boot_pool[BOOT_POOL_PAGES][4096] __aligned(4096);
static uint32_t boot_pool_used;
static bool pmm_ready;

int pgtable_alloc_table(void *ctx, paddr_t *pa)
{
	if (ctx) {
		return domain_pt_alloc(ctx, pa);
	}
	if (pmm_ready) {
		return pmm_alloc_near(&kmem_pmm, this_cpu_node(), 0, pa, NULL);
	}
	if (boot_pool_used == BOOT_POOL_PAGES) {
		panic("kmem: boot table pool (%u pages) exhausted; too many "
		      "memory ranges?",
		      BOOT_POOL_PAGES);
	}
	*pa = virt_to_phys(boot_pool[boot_pool_used++]);
	return 0;
}

static bool kmem_in_boot_pool(paddr_t pa)
{
	paddr_t base = virt_to_phys(boot_pool);

	return pa >= base && pa < base + sizeof(boot_pool);
}

void pgtable_free_table(void *ctx, paddr_t pa)
{
	if (ctx) {
		domain_pt_free(ctx, pa);
		return;
	}
	if (!kmem_in_boot_pool(pa)) {
		pmm_free(&kmem_pmm, pa, 0);
	}
}

uint64_t *pgtable_table_va(paddr_t pa)
{
	if (kmem_in_boot_pool(pa)) {
		return (uint64_t *)boot_pool[(pa - virt_to_phys(boot_pool)) /
					     4096];
	}
	return phys_to_virt(pa);
}

/* Regions in use at boot, which neither metadata nor allocations may take. */
struct busy {
	paddr_t base, end;
};

#define MAX_BUSY (BOOT_MAX_RESERVED + BOOT_MAX_MEM + 4)
static struct busy busy[MAX_BUSY];
static uint32_t busy_count;

static void busy_add(paddr_t base, uint64_t size)
{
	if (size == 0) {
		return;
	}
	if (busy_count == MAX_BUSY) {
		panic("kmem: too many reserved regions");
	}
	busy[busy_count++] = (struct busy){ ALIGN_DOWN(base, 4096),
					    ALIGN_UP(base + size, 4096) };
}

/** Sort the busy list and merge overlapping or touching regions. */
static void busy_coalesce(void)
{
	uint32_t out = 0;

	for (uint32_t i = 1; i < busy_count; i++) {
		for (uint32_t j = i; j > 0 && busy[j].base < busy[j - 1].base;
		     j--) {
			struct busy t = busy[j];

			busy[j] = busy[j - 1];
			busy[j - 1] = t;
		}
	}
	for (uint32_t i = 0; i < busy_count; i++) {
		if (out && busy[i].base <= busy[out - 1].end) {
			busy[out - 1].end = MAX(busy[out - 1].end, busy[i].end);
		} else {
			busy[out++] = busy[i];
		}
	}
	busy_count = out;
}

/** Highest page-aligned place for @need bytes in @r clear of busy regions. */
static paddr_t kmem_place_meta(const struct boot_region *r, uint64_t need)
{
	paddr_t end = r->base + r->size;

	while (end >= r->base + need) {
		paddr_t base = ALIGN_DOWN(end - need, 4096);
		bool clash = false;

		for (uint32_t i = 0; i < busy_count; i++) {
			if (base < busy[i].end && busy[i].base < base + need) {
				end = busy[i].base;
				clash = true;
				break;
			}
		}
		if (!clash) {
			return base;
		}
	}
	panic("kmem: no room for %lu bytes of allocator metadata in "
	      "[%lx, %lx)",
	      (unsigned long)need, (unsigned long)r->base,
	      (unsigned long)(r->base + r->size));
}

static void kmem_add_ranges(void)
{
	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct boot_region *r = &boot_info.mem[i];
		size_t need = pmm_meta_bytes(r->size);
		paddr_t meta = kmem_place_meta(r, need);
		int err = pmm_add_range(&kmem_pmm, r->node, r->base, r->size,
					phys_to_virt(meta), need);

		if (err) {
			panic("kmem: range [%lx, %lx) on node %u: %s",
			      (unsigned long)r->base,
			      (unsigned long)(r->base + r->size), r->node,
			      pmm_strerror(err));
		}
		busy_add(meta, need);
	}
}

void kmem_init(paddr_t image_pa, uint64_t image_size)
{
	pmm_init(&kmem_pmm);
	for (uint32_t i = 0; i < boot_info.node_count; i++) {
		for (uint32_t j = 0; j < boot_info.node_count; j++) {
			pmm_set_distance(&kmem_pmm, i, j,
					 boot_info.distance[i][j]);
		}
	}
	busy_add(image_pa, image_size);
	busy_add(boot_info.fdt_pa, boot_info.fdt_size);
	busy_add(boot_info.initrd_start,
		 boot_info.initrd_end - boot_info.initrd_start);
	for (uint32_t i = 0; i < boot_info.reserved_count; i++) {
		busy_add(boot_info.reserved[i].base,
			 boot_info.reserved[i].size);
	}
	kmem_add_ranges();
	busy_coalesce();
	for (uint32_t i = 0; i < busy_count; i++) {
		int err = pmm_reserve(&kmem_pmm, busy[i].base,
				      busy[i].end - busy[i].base);

		if (err) {
			panic("kmem: cannot reserve [%lx, %lx): %s",
			      (unsigned long)busy[i].base,
			      (unsigned long)busy[i].end, pmm_strerror(err));
		}
	}
	pmm_ready = true;
}

void kmem_report(void)
{
	for (uint32_t n = 0; n < boot_info.node_count; n++) {
		struct pmm_stats st;

		pmm_stats(&kmem_pmm, n, &st);
		printk("memory: node %u: %lu MiB in %u range(s), %lu MiB free, "
		       "%lu KiB reserved, %lu KiB allocator metadata\n",
		       n, (unsigned long)(st.total_pages >> 8), st.range_count,
		       (unsigned long)(st.free_pages >> 8),
		       (unsigned long)(st.reserved_pages * 4),
		       (unsigned long)(st.meta_bytes >> 10));
	}
}
