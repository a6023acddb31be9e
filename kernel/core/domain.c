/* SPDX-License-Identifier: MIT */
/*
 * Domains: a cspace, an address space (EL0 stage-1 tables with an ASID),
 * a memory quota, threads and a fault endpoint.
 */
#include <rift/arch.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <string.h>

#define ASID_MAX 65536

struct domain *root_domain;
static DECLARE_BITMAP(asid_used, ASID_MAX);
static uint32_t next_domain_id = 1;

static int asid_alloc(uint16_t *out)
{
	for (uint32_t i = 1; i < ASID_MAX; i++) {
		unsigned long bit = 1ul << (i % BITS_PER_LONG);

		if (!(asid_used[i / BITS_PER_LONG] & bit)) {
			asid_used[i / BITS_PER_LONG] |= bit;
			*out = (uint16_t)i;
			return RIFT_KOK;
		}
	}
	return RIFT_KENOMEM;
}

static void asid_free(uint16_t asid)
{
	arch_tlb_flush_asid(asid);
	asid_used[asid / BITS_PER_LONG] &= ~(1ul << (asid % BITS_PER_LONG));
}

static int domain_finish(struct domain *d);

static uint32_t cspace_order(uint32_t slots)
{
	uint64_t bytes = (uint64_t)slots * sizeof(struct cap);
	uint32_t order = 0;

	while ((PMM_PAGE_SIZE << order) < bytes) {
		order++;
	}
	return order;
}

static int domain_init_cspace(struct domain *d, struct domain *charged,
			      uint32_t slots)
{
	int err;

	d->cspace_slots = slots;
	d->cspace_order = cspace_order(slots);
	err = frame_alloc_pages(charged, d->cspace_order, -1, &d->cspace_pa);
	if (err) {
		return err;
	}
	d->cspace = phys_to_virt(d->cspace_pa);
	for (uint32_t i = 0; i < slots; i++) {
		d->cspace[i].holder = HOLDER_SLOT;
		d->cspace[i].holder_obj = d;
	}
	return RIFT_KOK;
}

/**
 * Make a domain with @quota pages taken from @parent's (NULL: the root
 * domain, whose quota is all free memory). The domain object and its cspace
 * are charged to the parent; everything made in it later to itself.
 */
int domain_create(struct domain *parent, const char *name, uint64_t quota,
		  uint32_t slots, uint8_t max_prio, struct domain **out)
{
	struct domain *d;
	int err;

	if (slots < RIFT_SLOT_FIRST_FREE || slots > 65536 ||
	    !IS_ALIGNED(slots, 2)) {
		return RIFT_KEINVAL;
	}
	if (quota > parent->quota_pages - parent->used_pages) {
		return RIFT_KENOMEM;
	}
	err = kobj_alloc(parent, RIFT_CAP_DOMAIN, 0, (void **)&d);
	if (err) {
		return err;
	}
	err = domain_init_cspace(d, parent, slots);
	if (err) {
		kobj_free(&d->hdr);
		return err;
	}
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->id = next_domain_id++;
	d->max_prio = max_prio;
	d->parent = parent;
	d->quota_pages = quota;
	list_init(&d->threads);
	d->fault_cap.holder = HOLDER_FAULT_EP;
	d->fault_cap.holder_obj = d;
	err = quota_charge(parent, quota); /* after the object and cspace */
	if (err) {
		d->parent = NULL;
		frame_free_pages(parent, d->cspace_pa, d->cspace_order);
		kobj_free(&d->hdr);
		return err;
	}
	err = domain_finish(d);
	if (err) {
		domain_destroy(d);
		return err;
	}
	*out = d;
	return RIFT_KOK;
}

/**
 * The first domain: its quota is all free memory and its own object and
 * cspace are charged to itself.
 */
struct domain *domain_create_root(const char *name, uint32_t slots)
{
	uint64_t free = 0;
	paddr_t pa;
	struct domain *d;

	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		struct pmm_stats st;

		pmm_stats(&kmem_pmm, n, &st);
		free += st.free_pages;
	}
	if (pmm_alloc_near(&kmem_pmm, 0, 0, &pa, NULL)) {
		panic("no memory for the first domain");
	}
	d = phys_to_virt(pa);
	memset(d, 0, PMM_PAGE_SIZE);
	d->hdr = (struct kobj){ RIFT_CAP_DOMAIN, 0, pa, d };
	d->quota_pages = free;
	d->used_pages = 1;
	if (domain_init_cspace(d, d, slots) != RIFT_KOK) {
		panic("no memory for the first domain's cspace");
	}
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->id = next_domain_id++;
	d->max_prio = 255;
	list_init(&d->threads);
	d->fault_cap.holder = HOLDER_FAULT_EP;
	d->fault_cap.holder_obj = d;
	if (domain_finish(d) != RIFT_KOK) {
		panic("no ASID or page table for the first domain");
	}
	return d;
}

/** Address space: ASID and root table (charged to the domain). */
static int domain_finish(struct domain *d)
{
	int err = asid_alloc(&d->asid);
	if (!err && pgtable_init(&d->pt, d, true) != PT_OK) {
		err = RIFT_KENOMEM;
	}
	return err;
}

/**
 * Destroy @d: stop its threads, delete every capability in its cspace
 * (which destroys what was made in it and revokes what it handed out),
 * free its tables, return its quota. Called when its original domain
 * capability is deleted.
 */
void domain_destroy(struct domain *d)
{
	struct domain *charged = d->hdr.charged;

	d->dying = true;
	sched_stop_domain(d);
	cap_delete(&d->fault_cap);
	for (uint32_t i = 1; i < d->cspace_slots; i++) {
		cap_delete(&d->cspace[i]);
	}
	if (d->pt.table_pages) {
		pgtable_destroy(&d->pt);
	}
	if (d->asid) {
		asid_free(d->asid);
	}
	if (d->used_pages != 0) {
		panic("domain %s destroyed with %lu pages still charged",
		      d->name, (unsigned long)d->used_pages);
	}
	if (d->parent) {
		d->parent->used_pages -= d->quota_pages;
	}
	frame_free_pages(charged, d->cspace_pa, d->cspace_order);
	kobj_free(&d->hdr);
}

/* Table pages of user address spaces come from the domain's quota. */
int domain_pt_alloc(struct domain *d, paddr_t *pa)
{
	return frame_alloc_pages(d, 0, -1, pa);
}

void domain_pt_free(struct domain *d, paddr_t pa)
{
	frame_free_pages(d, pa, 0);
}

static uint32_t map_flags(uint32_t rights)
{
	uint32_t f = PT_USER | PT_READ;

	if (rights & RIFT_MAP_WRITE) {
		f |= PT_WRITE;
	}
	if (rights & RIFT_MAP_EXEC) {
		f |= PT_EXEC;
	}
	return f;
}

int domain_map_frame(struct domain *d, struct cap *frame, vaddr_t va,
		     uint32_t rights)
{
	uint32_t flags = map_flags(rights);
	int err;

	if (frame->map_dom) {
		return RIFT_KEBUSY; /* one mapping per capability */
	}
	if ((rights & RIFT_MAP_WRITE) && !(frame->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS;
	}
	if (!(frame->rights & RIFT_RIGHT_READ) ||
	    (rights & ~(RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC))) {
		return RIFT_KERIGHTS;
	}
	if ((rights & RIFT_MAP_WRITE) && (rights & RIFT_MAP_EXEC)) {
		return RIFT_KEINVAL; /* W^X for domains too */
	}
	if ((rights & RIFT_MAP_EXEC) &&
	    (frame->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
		return RIFT_KEINVAL; /* device and kernel memory never execute */
	}
	if (frame->size > 4096 && !IS_ALIGNED(va, frame->size)) {
		return RIFT_KEINVAL; /* large frames map as one block */
	}
	err = pgtable_map(&d->pt, va, frame->pa, frame->size,
			  flags | ((frame->badge & FRAME_DEVICE) ? PT_DEVICE : 0));
	if (err == PT_EEXIST) {
		return RIFT_KEBUSY;
	}
	if (err == PT_ENOMEM) {
		return RIFT_KENOMEM;
	}
	if (err) {
		return RIFT_KERANGE;
	}
	frame->map_dom = d;
	frame->map_va = va;
	return RIFT_KOK;
}

void domain_unmap_frame(struct cap *frame)
{
	struct domain *d = frame->map_dom;

	pgtable_unmap(&d->pt, frame->map_va, frame->size);
	arch_tlb_flush_asid(d->asid);
	frame->map_dom = NULL;
	frame->map_va = 0;
}

void domain_activate(struct domain *d)
{
	arch_set_user_table(d->pt.root, d->asid);
}
