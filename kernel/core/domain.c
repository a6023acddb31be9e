/* SPDX-License-Identifier: MIT */
/*
 * Domains: a cspace, an address space (EL0 stage-1 tables with an ASID),
 * a memory quota, threads and a fault endpoint.
 */
#include <rift/arch.h>
#include <rift/check.h>
#include <rift/cpu.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/vcpu.h>
#include <string.h>

struct domain *root_domain;
/*
 * ASIDs: as many as the CPU implements (8 or 16 bits, arch_asid_bits();
 * fewer with rift.asid_bits= for tests), handed out by generation, as
 * Linux does. A domain gets an ASID of the current generation when it is
 * activated; when none is left, the generation turns over: every user TLB
 * entry is invalidated and all domains draw again as they next run. So the
 * number of domains is not limited by the ASID width, and no domain can
 * use ASIDs up to stop others from being made. (With secondary CPUs this
 * needs the ASIDs live on other CPUs kept: roadmap, SMP.) ASID 0 is never
 * handed out.
 */
static DECLARE_BITMAP(asid_used, 65536);
static uint64_t asid_generation = 1;
uint64_t asid_rollovers; /**< generations turned over (boot report) */
static uint32_t next_domain_id = 1;
uint32_t asid_limit_bits; /**< rift.asid_bits=, 0 = what the CPU has */

static uint32_t asid_count(void)
{
	uint32_t bits = arch_asid_bits();

	if (asid_limit_bits && asid_limit_bits < bits) {
		bits = asid_limit_bits;
	}
	return 1u << bits;
}

/** Bound: one pass over at most 65536 / 64 bitmap words. */
static bool asid_alloc(uint16_t *out)
{
	uint32_t count = asid_count();

	for (uint32_t w = 0; w < BITMAP_LONGS(count); w++) {
		unsigned long free = ~asid_used[w];
		uint32_t i;

		if (w == 0) {
			free &= ~1ul; /* ASID 0: never */
		}
		if (!free) {
			continue;
		}
		i = w * BITS_PER_LONG + (uint32_t)__builtin_ctzl(free);
		if (i >= count) {
			break;
		}
		asid_used[w] |= 1ul << (i % BITS_PER_LONG);
		*out = (uint16_t)i;
		return true;
	}
	return false;
}

/** @d's ASID, drawn anew if it is of an old generation. Kept out of
 * line so that domain_activate() inlines into the IPC fast path. */
static uint16_t __attribute__((noinline)) domain_asid(struct domain *d)
{
	if (d->asid_gen == asid_generation) {
		return d->asid;
	}
	if (!asid_alloc(&d->asid)) {
		asid_generation++;
		asid_rollovers++;
		for (uint32_t w = 0; w < BITMAP_LONGS(asid_count()); w++) {
			asid_used[w] = 0;
		}
		arch_tlb_flush_all_user();
		CHECK(asid_alloc(&d->asid));
	}
	d->asid_gen = asid_generation;
	return d->asid;
}

/** Invalidate @d's TLB entries (none if its ASID is of an old generation:
 * the turnover flushed them and it has not run since). */
static void domain_tlb_flush(struct domain *d)
{
	if (d->guest) {
		arch_tlb_flush_vmid(d->vmid);
		return;
	}
	if (d->asid_gen == asid_generation) {
		arch_tlb_flush_asid(d->asid);
	}
}

static void asid_free(struct domain *d)
{
	if (this_cpu()->user_dom == d) {
		this_cpu()->user_dom = NULL;
	}
	if (d->guest) {
		/* No walk or TLB entry of the old guest may survive into
		 * the next user of the VMID. */
		arch_tlb_flush_vmid(d->vmid);
		arch_forget_guest_table(d->vmid);
		vmid_free(d->vmid);
		d->guest = false;
		return;
	}
	if (d->asid_gen == asid_generation) {
		arch_tlb_flush_asid(d->asid);
		asid_used[d->asid / BITS_PER_LONG] &=
			~(1ul << (d->asid % BITS_PER_LONG));
	}
	d->asid_gen = 0;
}

static int domain_finish(struct domain *d);
static void domain_free(struct domain *d);

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
			      uint32_t slots, bool zero)
{
	int err;

	d->cspace_slots = slots;
	d->cspace_order = cspace_order(slots);
	err = zero ? frame_alloc_pages(charged, d->cspace_order, -1,
				       &d->cspace_pa) :
		     frame_alloc_pages_raw(charged, d->cspace_order, -1,
					   &d->cspace_pa);
	if (err) {
		return err;
	}
	/* Zeroed by the allocator: every slot empty (RIFT_CAP_NULL). A slot
	 * learns its holder when it is filled (cap_slot_empty()). */
	d->cspace = phys_to_virt(d->cspace_pa);
	return RIFT_KOK;
}

/**
 * Make a domain with @quota pages taken from @parent's. The domain object
 * and its cspace are charged to the parent; everything made in it later to
 * itself. The domain is returned *building*: unusable (its object counts
 * as dying for lookups and copies) until domain_build() has zeroed its
 * cspace in bounded steps and given it an address space.
 */
int domain_create(struct domain *parent, const char *name, uint64_t quota,
		  uint32_t slots, uint8_t max_prio, struct domain **out)
{
	struct domain *d;
	int err;

	if (slots < RIFT_SLOT_FIRST_FREE || slots > RIFT_MAX_SLOTS ||
	    !IS_ALIGNED(slots, 2)) {
		return RIFT_KEINVAL;
	}
	if (parent->level + 1 == 0) {
		return RIFT_KELIMIT;
	}
	if (quota > parent->quota_pages - parent->used_pages) {
		return RIFT_KENOMEM;
	}
	err = kobj_alloc(parent, RIFT_CAP_DOMAIN, 0, (void **)&d);
	if (err) {
		return err;
	}
	err = domain_init_cspace(d, parent, slots, false);
	if (err) {
		kobj_free(&d->hdr);
		return err;
	}
	d->building = true;
	d->hdr.dying = 1;
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->id = next_domain_id++;
	d->max_prio = max_prio;
	d->parent = parent;
	d->level = parent->level + 1;
	d->quota_pages = quota;
	list_init(&d->threads);
	list_init(&d->stopped);
	d->fault_cap.holder = HOLDER_FAULT_EP;
	d->fault_cap.holder_obj = d;
	err = quota_charge(parent, quota); /* after the object and cspace */
	if (err) {
		d->parent = NULL;
		frame_free_pages(parent, d->cspace_pa, d->cspace_order);
		kobj_free(&d->hdr);
		return err;
	}
	*out = d;
	return RIFT_KOK;
}

/**
 * Finish a building domain: zero its cspace FRAME_ZERO_CHUNK bytes per
 * step (RIFT_KPREEMPT between steps, resumed by the restarted call), then
 * its ASID and root table. On any other error the caller deletes it.
 */
int domain_build(struct domain *d)
{
	uint64_t bytes = (uint64_t)d->cspace_slots * sizeof(struct cap);
	int err = frame_zero_steps(d->cspace_pa, bytes, &d->build_zeroed,
				   false);

	if (err) {
		return err;
	}
	err = domain_finish(d);
	if (err) {
		return err;
	}
	d->building = false;
	d->hdr.dying = 0;
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
	d->hdr = (struct kobj){ .type = RIFT_CAP_DOMAIN, .order = 0, .pa = pa,
				  .charged = d };
	d->quota_pages = free;
	d->used_pages = 1;
	if (domain_init_cspace(d, d, slots, true) != RIFT_KOK) {
		panic("no memory for the first domain's cspace");
	}
	strncpy(d->name, name, sizeof(d->name) - 1);
	d->id = next_domain_id++;
	d->max_prio = 255;
	list_init(&d->threads);
	list_init(&d->stopped);
	d->fault_cap.holder = HOLDER_FAULT_EP;
	d->fault_cap.holder_obj = d;
	if (domain_finish(d) != RIFT_KOK) {
		panic("no ASID or page table for the first domain");
	}
	return d;
}

/** Address space: the root table (charged to the domain). The ASID comes
 * when it first runs (domain_asid()). */
static int domain_finish(struct domain *d)
{
	return pgtable_init(&d->pt, d, true) != PT_OK ? RIFT_KENOMEM : RIFT_KOK;
}

/**
 * Return what a torn-down (or never finished) domain still holds: its
 * tables and ASID, then its quota, cspace and object. Bounded: the tables
 * are gone already unless domain creation failed half-way (then there is
 * at most the root table).
 */
static void domain_free(struct domain *d)
{
	struct domain *charged = d->hdr.charged;

	if (d->pt.table_pages) {
		pgtable_destroy(&d->pt);
	}
	asid_free(d);
	CHECK(d->used_pages == 0);
	CHECK(list_empty(&d->threads) && list_empty(&d->stopped));
	if (d->parent) {
		quota_uncharge(d->parent, d->quota_pages);
	}
	frame_free_pages(charged, d->cspace_pa, d->cspace_order);
	kobj_free(&d->hdr);
}

/**
 * One bounded step of @d's teardown. Returns RIFT_KOK when @d holds
 * nothing but its object, RIFT_KPREEMPT, or sets *@child to a child domain
 * whose original sits in @d's cspace and must be torn down first.
 */
static int domain_teardown_step(struct domain *d, struct domain **child)
{
	struct thread *t;

	switch (d->teardown) {
	case TD_ALIVE:
		d->dying = true;
		d->hdr.dying = 1;
		if (d->building) {
			/* Never ran, holds nothing; its cspace may be
			 * garbage still: only domain_free() remains. */
			d->teardown = TD_DONE;
			return RIFT_KOK;
		}
		d->teardown = TD_THREADS;
		/* fall through */
	case TD_THREADS:
		/* Stop every thread first, so nothing can add capabilities
		 * to the slots already emptied. One thread per step. */
		while ((t = list_first(&d->threads, struct thread, dlink))) {
			thread_stop(t);
			list_del(&t->dlink);
			list_add_tail(&d->stopped, &t->dlink);
			if (!list_empty(&d->threads) && preempt_pending()) {
				return RIFT_KPREEMPT;
			}
		}
		cap_drop(&d->fault_cap);
		d->teardown = TD_SLOTS;
		d->td_cursor = 1;
		/* fall through */
	case TD_SLOTS:
		while (d->td_cursor < d->cspace_slots) {
			struct cap *c = &d->cspace[d->td_cursor];
			int err;

			if (c->type == RIFT_CAP_DOMAIN && c->original) {
				err = cap_revoke(c);
				if (err) {
					return err;
				}
				*child = c->obj;
				return RIFT_KOK;
			}
			err = cap_delete(c);
			if (err) {
				return err;
			}
			d->td_cursor++;
			if (preempt_pending()) {
				return RIFT_KPREEMPT;
			}
		}
		/* Mappings went with the capabilities; no walk may still use
		 * the tables once they are freed. */
		domain_tlb_flush(d);
		d->teardown = TD_TABLES;
		/* fall through */
	case TD_TABLES:
		while (pgtable_destroy_step(&d->pt)) {
			if (preempt_pending()) {
				return RIFT_KPREEMPT;
			}
		}
		d->teardown = TD_DONE;
		/* fall through */
	default:
		return RIFT_KOK;
	}
}

/**
 * Tear down the domain of original capability @c, every domain nested in
 * it, and everything made in them; then free it and empty @c. Iterative:
 * a child is descended into and its parent resumed once it is gone, so
 * kernel stack use does not depend on the nesting depth. Progress lives in
 * the domains; top->td_resume remembers the deepest one being torn down so
 * a restarted call goes straight back to it. Every step is bounded (see
 * domain_teardown_step()); the whole is O(objects + slots + tables).
 */
int domain_destroy(struct cap *c)
{
	struct domain *top = c->obj;
	struct domain *d = top->td_resume ? top->td_resume : top;

	CHECK(c->original && c == top->orig_cap);
	for (;;) {
		struct domain *child = NULL;
		struct domain *parent;
		struct cap *orig;
		int err = domain_teardown_step(d, &child);

		if (err) {
			return err;
		}
		if (child) {
			/* A child already under way (its own destroy was
			 * preempted) resumes at its own deepest point. */
			d = child->td_resume ? child->td_resume : child;
			top->td_resume = d;
			if (preempt_pending()) {
				return RIFT_KPREEMPT; /* one level per step */
			}
			continue;
		}
		orig = d->orig_cap;
		parent = domain_of_slot(orig);
		CHECK(d == top || parent);
		if (d->used_pages) {
			panic("domain %s torn down with %lu pages still charged",
			      d->name, (unsigned long)d->used_pages);
		}
		domain_free(d);
		cap_empty(orig);
		if (d == top) {
			return RIFT_KOK;
		}
		d = parent;
		top->td_resume = d == top ? NULL : d;
		if (preempt_pending()) {
			return RIFT_KPREEMPT; /* one domain freed per step */
		}
	}
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

/** Largest frame that may be mapped executable: its cache maintenance
 * (64 lines of 64 bytes each way) is one short step, well inside the
 * interrupt latency bound (docs/architecture.md, "Caches"). */
#define EXEC_FRAME_MAX 4096u

int domain_map_frame(struct domain *d, struct cap *frame, vaddr_t va,
		     uint32_t rights)
{
	uint32_t flags = map_flags(rights);
	struct cap *orig = frame->orig;
	bool w = rights & RIFT_MAP_WRITE, x = rights & RIFT_MAP_EXEC;
	/* A guest's stage 2: the guest keeps its own W^X, and its code is
	 * never host code, so its execute rights count in no per-frame
	 * rule; its write rights do (no host domain may execute what a
	 * guest can write). */
	bool g = d->guest;
	int err;

	if (frame->map_dom) {
		return RIFT_KEBUSY; /* one mapping per capability */
	}
	if (w && !(frame->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS;
	}
	if (!(frame->rights & RIFT_RIGHT_READ) ||
	    (rights & ~(RIFT_MAP_READ | RIFT_MAP_WRITE | RIFT_MAP_EXEC))) {
		return RIFT_KERIGHTS;
	}
	if (w && x && !g) {
		return RIFT_KEINVAL; /* W^X for domains too */
	}
	/* ... and per frame: never writable through one capability while
	 * executable through another. */
	if ((w && orig->maps_x) || (x && !g && orig->maps_w)) {
		return RIFT_KEBUSY;
	}
	if (x && ((frame->badge & (FRAME_DEVICE | FRAME_KERNEL)) ||
		  (!g && frame->size > EXEC_FRAME_MAX))) {
		return RIFT_KEINVAL; /* device and kernel memory never execute */
	}
	if (frame->size > 4096 && !IS_ALIGNED(va, frame->size)) {
		return RIFT_KEINVAL; /* large frames map as one block */
	}
	if (g) {
		x = false; /* counted as no host execution (above) */
		rights &= ~RIFT_MAP_EXEC;
		if (frame->size <= FRAME_ZERO_CHUNK &&
		    !(frame->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
			/* A 4 KiB frame was zeroed through the cache only
			 * (larger ones were cleaned as they were zeroed):
			 * the guest may read memory with its caches off. */
			arch_clean_to_poc(phys_to_virt(frame->pa), frame->size);
		}
	} else if (x) {
		/* What was written through the data side (a loader's copy,
		 * the zeroing of a recycled frame) reaches instruction
		 * fetch: clean to the point of unification, invalidate the
		 * instruction cache. */
		arch_cache_sync_exec(phys_to_virt(frame->pa), frame->size);
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
	if (g) {
		pgtable_count_blocks(va, frame->pa, frame->size, d->s2_blocks);
	}
	frame->map_dom = d;
	frame->map_va = va;
	frame->map_flags = (uint8_t)rights;
	orig->maps_w += w;
	orig->maps_x += x;
	return RIFT_KOK;
}

void domain_unmap_frame(struct cap *frame)
{
	struct domain *d = frame->map_dom;
	struct cap *orig = frame->orig;

	pgtable_unmap(&d->pt, frame->map_va, frame->size);
	domain_tlb_flush(d);
	if (d->guest) {
		uint64_t n[3] = { 0, 0, 0 };

		pgtable_count_blocks(frame->map_va, frame->pa, frame->size, n);
		for (int i = 0; i < 3; i++) {
			d->s2_blocks[i] -= n[i];
		}
	}
	CHECK(orig->maps_w >= !!(frame->map_flags & RIFT_MAP_WRITE) &&
	      orig->maps_x >= !!(frame->map_flags & RIFT_MAP_EXEC));
	orig->maps_w -= !!(frame->map_flags & RIFT_MAP_WRITE);
	orig->maps_x -= !!(frame->map_flags & RIFT_MAP_EXEC);
	frame->map_dom = NULL;
	frame->map_va = 0;
	frame->map_flags = 0;
}

/* Out of line, so that the host's switch (the IPC fast path) stays small. */
static void __attribute__((noinline)) guest_activate(struct domain *d)
{
	arch_set_guest_table(d->pt.root, d->vmid);
}

void domain_activate_user(struct domain *d)
{
	this_cpu()->user_dom = d;
	arch_set_user_table(d->pt.root, domain_asid(d));
}

void domain_activate_after_guest(struct domain *d)
{
	/* A guest does not use the user half: the table there may still
	 * be @d's (an ASID turnover would have gone through
	 * domain_activate_user(), and a freed domain is forgotten). */
	if (this_cpu()->user_dom != d) {
		domain_activate_user(d);
	}
}

void domain_activate(struct domain *d)
{
	if (unlikely(d->guest)) {
		guest_activate(d);
		return;
	}
	domain_activate_user(d);
}
