/* SPDX-License-Identifier: MIT */
/*
 * Memory for kernel objects and frames, charged to a domain's quota.
 * Every page handed out is zeroed; every page comes back to the physical
 * allocator when its object dies, so free counts return exactly.
 */
#include <rift/arch.h>
#include <rift/cpu.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <string.h>

int quota_charge(struct domain *d, uint64_t pages)
{
	if (d->used_pages + pages > d->quota_pages) {
		return RIFT_KENOMEM;
	}
	d->used_pages += pages;
	return RIFT_KOK;
}

void quota_uncharge(struct domain *d, uint64_t pages)
{
	d->used_pages -= pages;
}

static void zero_pages(paddr_t pa, uint32_t order)
{
	arch_zero_pages(phys_to_virt(pa), (uint64_t)PMM_PAGE_SIZE << order);
}

/** Allocate and charge, not zeroed: the caller zeroes (in bounded steps). */
int frame_alloc_pages_raw(struct domain *d, uint32_t order, int node,
			  paddr_t *pa)
{
	uint64_t pages = 1ull << order;
	int err = quota_charge(d, pages);

	if (err) {
		return err;
	}
	if (node < 0) {
		err = pmm_alloc_near(&kmem_pmm, this_cpu_node(), order, pa, NULL);
	} else {
		err = pmm_alloc(&kmem_pmm, (uint32_t)node, order, pa);
	}
	if (err) {
		quota_uncharge(d, pages);
		return RIFT_KENOMEM;
	}
	return RIFT_KOK;
}

/** Allocate, charge and zero in one step: for 2 MiB or less. */
int frame_alloc_pages(struct domain *d, uint32_t order, int node, paddr_t *pa)
{
	int err = frame_alloc_pages_raw(d, order, node, pa);

	if (!err) {
		zero_pages(*pa, order);
	}
	return err;
}

/**
 * Zero [pa + *done, pa + size) in FRAME_ZERO_CHUNK steps with a preemption
 * point between them: RIFT_KOK when all is zero, else RIFT_KPREEMPT with
 * *done advanced (at least one chunk per call).
 */
int frame_zero_steps(paddr_t pa, uint64_t size, uint64_t *done, bool clean)
{
	while (*done < size) {
		uint64_t n = MIN((uint64_t)FRAME_ZERO_CHUNK, size - *done);
		uint8_t *va = (uint8_t *)phys_to_virt(pa) + *done;

		if (IS_ALIGNED(n, PMM_PAGE_SIZE)) {
			arch_zero_pages(va, n);
		} else {
			memset(va, 0, n); /* the tail of a cspace */
		}
		if (clean) {
			/* The zeroes reach memory, not only the cache: a
			 * guest reading with its caches off (or a device)
			 * must not see the previous owner's data behind
			 * them. */
			arch_clean_to_poc(va, n);
		}
		*done += n;
		if (*done < size && preempt_pending()) {
			return RIFT_KPREEMPT;
		}
	}
	return RIFT_KOK;
}

void frame_free_pages(struct domain *d, paddr_t pa, uint32_t order)
{
	pmm_free(&kmem_pmm, pa, order);
	if (d) {
		quota_uncharge(d, 1ull << order);
	}
}

int kobj_alloc(struct domain *charged, uint32_t type, uint32_t order,
	       void **out)
{
	paddr_t pa;
	struct kobj *o;
	int err = frame_alloc_pages(charged, order, -1, &pa);

	if (err) {
		return err;
	}
	o = phys_to_virt(pa);
	o->type = type;
	o->order = order;
	o->pa = pa;
	o->charged = charged;
	*out = o;
	return RIFT_KOK;
}

void kobj_free(struct kobj *o)
{
	frame_free_pages(o->charged, o->pa, o->order);
}
