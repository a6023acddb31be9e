/* SPDX-License-Identifier: MIT */
/*
 * The kernel core on the fake arch: supervisor, builders, system calls and
 * the invariant checker. See kcore_harness.h.
 *
 * Invariants kh_check() verifies (each a documented property of the
 * kernel, rift/object.h):
 *
 *  Capabilities. Every capability is on exactly one derivation chain, and
 *  every chain starts at an original (depth 0, no dprev) and holds only
 *  copies after it: dnext/dprev symmetric, depth >= 1 and at most one more
 *  than the previous entry's, same type, object and frame range as the
 *  original (a ranged capability's copies, and a RAM frame's carved
 *  copies, may be narrower: inside it, a frame's naturally aligned). Every capability says where it is held and is there: a slot
 *  of the domain in holder_obj (inside its cspace), a thread's ipcbuf_cap,
 *  a domain's fault_cap, an IRQ handler object, the kernel log. The
 *  non-empty slots, IPC buffers and fault endpoints are exactly the chain
 *  members held there (counted both ways). Empty slots are clean.
 *
 *  Liveness. No capability, thread queue or IPC link leads to freed
 *  memory (fake_addr_freed(): the page went back to the allocator), and
 *  each object's header has the type its capability says; a frame's pages
 *  are all allocated. (ASan poisoning of freed pages catches the kernel
 *  itself touching one.)
 *
 *  Threads. Each domain's thread list holds live threads of that domain,
 *  thread_count long; a blocked thread is in the queue of the object it is
 *  blocked on; a caller waiting for a reply and its replier point at each
 *  other; the current thread is runnable.
 *
 *  Memory. Each domain's used_pages equals what it holds: the objects and
 *  frames whose originals are in its cspace (a child domain: its object,
 *  its cspace and its whole quota), its table pages (and, for the
 *  supervisor, its own object and cspace), never more than its quota; the
 *  pages the allocator handed out equal the supervisor tree's charges plus
 *  the kernel's own (log ring), where a DMA pin is charged to its holder
 *  for its frame's size (so a frame both owned and pinned is charged
 *  twice) and a block whose owner freed it while pinned is charged only to
 *  its pins; free + handed out + reserved = total.
 */
#include "kcore_harness.h"

#include <rift/vcpu.h>

#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct domain *kh_R;
struct thread *kh_T0;
uint64_t kh_base_pages_out;
uint64_t kh_base_R_used;
char kh_why[512];
bool kh_check_allocator = true;
static uint64_t kernel_pages; /* handed out before the supervisor */

/* ---------------------------------------------------------------- building */

struct domain *kh_domain(struct domain *parent, uint32_t slot,
			 uint64_t quota, uint32_t slots, uint8_t max_prio)
{
	struct domain *d;
	char name[16];

	struct cap *c;
	int err;

	snprintf(name, sizeof(name), "d%u", slot);
	kernel_lock_acquire();
	c = cap_slot_empty(parent, slot, &err);
	if (!c || domain_create(parent, name, quota, slots, max_prio, &d)) {
		kernel_lock_release();
		return NULL;
	}
	cap_make_original(c, RIFT_CAP_DOMAIN, d, 0, 0, RIFT_RIGHTS_ALL, 0);
	d->orig_cap = c;
	do {
		err = domain_build(d); /* as sys_domain_create() */
	} while (err == RIFT_KPREEMPT);
	if (err) {
		cap_delete(c);
		d = NULL;
	}
	kernel_lock_release();
	return d;
}

static struct thread *make_thread_locked(struct domain *d, uint32_t slot,
					 uint32_t frame_slot, uint8_t prio)
{
	struct thread *t;
	paddr_t pa;
	struct cap *tc, *fc;
	vaddr_t va = KH_IPCBUF_VA + 4096ull * frame_slot;
	int err;

	tc = cap_slot_empty(d, slot, &err);
	fc = tc ? cap_slot_empty(d, frame_slot, &err) : NULL;
	if (!fc || tc == fc || thread_create(d, prio, &t)) {
		return NULL;
	}
	cap_make_original(tc, RIFT_CAP_THREAD, t, 0, 0, RIFT_RIGHTS_ALL, 0);
	if (frame_alloc_pages(d, 0, -1, &pa)) {
		return NULL;
	}
	cap_make_original(fc, RIFT_CAP_FRAME_T, NULL, pa, 4096,
			  RIFT_RIGHTS_ALL, 0);
	if (domain_map_frame(d, fc, va, RIFT_MAP_READ | RIFT_MAP_WRITE) ||
	    cap_derive(fc, &t->ipcbuf_cap, RIFT_RIGHTS_ALL, 0, HOLDER_IPCBUF,
		       t)) {
		return NULL;
	}
	t->ipcbuf_va = va;
	t->ipcbuf_cap.orig->maps_w++; /* the kernel writes it (W^X) */
	/* a name for RIFT_SYS_DOMAIN_CREATE */
	memcpy(kh_ipcbuf(t)->data, "w", 2);
	if (thread_start(t, 0x400000, 0x800000, 0)) {
		return NULL;
	}
	return t;
}

static struct thread *make_thread(struct domain *d, uint32_t slot,
				  uint32_t frame_slot, uint8_t prio)
{
	struct thread *t;

	kernel_lock_acquire();
	t = make_thread_locked(d, slot, frame_slot, prio);
	kernel_lock_release();
	return t;
}

struct thread *kh_thread(struct domain *d, uint32_t slot, uint8_t prio)
{
	return make_thread(d, slot, slot + 1, prio);
}

struct endpoint *kh_endpoint(struct domain *d, uint32_t slot)
{
	struct endpoint *ep = NULL;
	struct cap *c;
	int err;

	kernel_lock_acquire();
	c = cap_slot_empty(d, slot, &err);
	if (c && !endpoint_create(d, &ep)) {
		cap_make_original(c, RIFT_CAP_ENDPOINT_T, ep, 0, 0,
				  RIFT_RIGHTS_ALL, 0);
	}
	kernel_lock_release();
	return ep;
}

struct notification *kh_notification(struct domain *d, uint32_t slot)
{
	struct notification *n = NULL;
	struct cap *c;
	int err;

	kernel_lock_acquire();
	c = cap_slot_empty(d, slot, &err);
	if (c && !notification_create(d, &n)) {
		cap_make_original(c, RIFT_CAP_NOTIFICATION_T, n, 0, 0,
				  RIFT_RIGHTS_ALL, 0);
	}
	kernel_lock_release();
	return n;
}

int kh_copy(struct cap *src, struct domain *d, uint32_t slot, uint8_t rights,
	    uint64_t badge)
{
	struct cap *c;
	int err;

	kernel_lock_acquire();
	c = cap_slot_empty(d, slot, &err);
	if (c) {
		err = cap_derive(src, c, rights, badge, HOLDER_SLOT, d);
	}
	kernel_lock_release();
	return err;
}

struct rift_ipcbuf *kh_ipcbuf(struct thread *t)
{
	return thread_ipcbuf(t);
}

/* ---------------------------------------------------------------- running */

int kh_switch_to(struct thread *t)
{
	if (sched_current() == t) {
		return 0;
	}
	if (t->state != TS_RUNNABLE) {
		return -1;
	}
	kernel_lock_acquire();
	sched_remove(t);
	sched_switch_to(t);
	kernel_lock_release();
	return 0;
}

long kh_sys(struct thread *t, uint32_t nr, uint64_t a0, uint64_t a1,
	    uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };

	if (kh_switch_to(t)) {
		return KH_BLOCKED;
	}
	memcpy(t->ctx.x, a, sizeof(a));
	fake_svc(nr);
	for (long n = 0; !fake_addr_freed(t) && fake_restart_pending(t) == (int)nr;
	     n++) {
		if (sched_current() != t || n > 10000000) {
			return KH_BLOCKED;
		}
		fake_svc(nr);
	}
	if (fake_addr_freed(t) || t->state != TS_RUNNABLE) {
		return KH_BLOCKED;
	}
	return (long)(int64_t)t->ctx.x[0];
}

int kh_super_wake(void)
{
	fake_irq_raise(KH_R_IRQ);
	fake_interrupt();
	fake_irq_lower(KH_R_IRQ);
	if (sched_current() != kh_T0) {
		return -1;
	}
	return kh_sys1(kh_T0, RIFT_SYS_IRQ_ACK, KH_R_IRQ_HANDLER) == 0 ? 0 : -1;
}

void kh_super_sleep(void)
{
	kh_sys1(kh_T0, RIFT_SYS_POLL, KH_R_NOTIF);
	kh_sys1(kh_T0, RIFT_SYS_WAIT, KH_R_NOTIF);
}

void kh_boot(void)
{
	struct domain *d;

	fake_boot(KH_RAM_BYTES);
	kernel_pages = fake_pages_out();
	int err;

	kernel_lock_acquire();
	d = domain_create_root("supervisor", KH_R_SLOTS);
	root_domain = d;
	kh_R = d;
	/* the supervisor's boot capabilities (boot_domain.c's boot_caps) */
	cap_make_original(cap_slot_empty(d, RIFT_SLOT_SELF, &err),
			  RIFT_CAP_DOMAIN, d, 0, 0, RIFT_RIGHTS_ALL, 0);
	d->orig_cap = &d->cspace[RIFT_SLOT_SELF];
	cap_make_original(cap_slot_empty(d, RIFT_SLOT_IRQ_CONTROL, &err),
			  RIFT_CAP_IRQ_CONTROL, NULL, 0, IRQ_MAX,
			  RIFT_RIGHTS_ALL, 0);
	cap_make_original(cap_slot_empty(d, RIFT_SLOT_DEVICE, &err),
			  RIFT_CAP_DEVICE, NULL, 0, 1ull << 48, RIFT_RIGHTS_ALL,
			  0);
	cap_make_original(cap_slot_empty(d, RIFT_SLOT_DMA_CONTROL, &err),
			  RIFT_CAP_DMA_CONTROL, NULL, 0, 0, RIFT_RIGHTS_ALL, 0);
	if (klog_ring_pa()) {
		cap_make_original(cap_slot_empty(d, RIFT_SLOT_KLOG, &err),
				  RIFT_CAP_FRAME_T, NULL, klog_ring_pa(),
				  PMM_PAGE_SIZE << RIFT_KLOG_FRAME_ORDER,
				  RIFT_RIGHT_READ | RIFT_RIGHT_GRANT,
				  FRAME_KERNEL);
	}
	kh_T0 = make_thread_locked(d, RIFT_SLOT_THREAD, RIFT_SLOT_IPCBUF, 255);
	if (!kh_T0) {
		panic("kh_boot: no supervisor thread");
	}
	sched_next();
	kernel_lock_release();
	if (sched_current() != kh_T0 ||
	    kh_sys1(kh_T0, RIFT_SYS_NOTIFICATION_CREATE, KH_R_NOTIF) != 0 ||
	    kh_sys(kh_T0, RIFT_SYS_IRQ_BIND, RIFT_SLOT_IRQ_CONTROL, KH_R_IRQ,
		   KH_R_IRQ_HANDLER, KH_R_NOTIF, 0, 0) != 0) {
		panic("kh_boot: supervisor set-up failed");
	}
	kh_super_sleep();
	kh_base_pages_out = fake_pages_out();
	kh_base_R_used = d->used_pages;
}

/* ---------------------------------------------------------------- invariants */

#define MAX_DOMAINS 4096

static struct domain *doms[MAX_DOMAINS];
static uint32_t ndoms;

static int fail(const char *fmt, ...) __printf(1, 2);
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kh_why, sizeof(kh_why), fmt, ap);
	va_end(ap);
	return -1;
}

/** Is @p a pointer into allocated RAM (not freed, not outside)? */
static bool live(const void *p)
{
	return p && fake_in_ram(p) && !fake_addr_freed(p);
}

/* The domains found, as an open-addressing set (2 * MAX_DOMAINS). */
static const struct domain *dom_set[2 * MAX_DOMAINS];

static uint32_t dom_hash(const struct domain *d)
{
	uint64_t h = (uint64_t)(uintptr_t)d * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 40) % (2 * MAX_DOMAINS);
}

static bool known_domain(const struct domain *d)
{
	for (uint32_t i = dom_hash(d);; i = (i + 1) % (2 * MAX_DOMAINS)) {
		if (dom_set[i] == d) {
			return d != NULL;
		}
		if (!dom_set[i]) {
			return false;
		}
	}
}

static uint32_t dom_pos[MAX_DOMAINS]; /* where doms[k] sits in dom_set */

static void dom_add(struct domain *d)
{
	uint32_t i = dom_hash(d);

	while (dom_set[i]) {
		i = (i + 1) % (2 * MAX_DOMAINS);
	}
	dom_set[i] = d;
	dom_pos[ndoms] = i;
	doms[ndoms++] = d;
}

static void dom_clear(void)
{
	for (uint32_t k = 0; k < ndoms; k++) {
		dom_set[dom_pos[k]] = NULL;
	}
	ndoms = 0;
}

static bool has_kobj(uint8_t type)
{
	return type == RIFT_CAP_DOMAIN || type == RIFT_CAP_THREAD ||
	       type == RIFT_CAP_ENDPOINT_T || type == RIFT_CAP_NOTIFICATION_T ||
	       type == RIFT_CAP_IRQ_HANDLER || type == RIFT_CAP_VCPU;
}

static int check_object(const struct cap *c, const char *where)
{
	if (has_kobj(c->type)) {
		const struct kobj *o = c->obj;

		if (!live(o)) {
			return fail("%s: capability (type %u) to a destroyed "
				    "object %p",
				    where, c->type, c->obj);
		}
		if (o->type != c->type) {
			return fail("%s: object %p has type %u, capability "
				    "says %u",
				    where, c->obj, o->type, c->type);
		}
		if (c->type == RIFT_CAP_DOMAIN &&
		    !known_domain((const struct domain *)o)) {
			return fail("%s: capability to domain %p outside the "
				    "supervisor's tree",
				    where, c->obj);
		}
	} else if ((c->type == RIFT_CAP_FRAME_T ||
		    c->type == RIFT_CAP_FRAME_PENDING) &&
		   !(c->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
		for (uint64_t off = 0; off < c->size; off += PMM_PAGE_SIZE) {
			if (!fake_page_live(c->pa + off)) {
				return fail("%s: frame %lx+%lx has freed page "
					    "%lx",
					    where, (unsigned long)c->pa,
					    (unsigned long)c->size,
					    (unsigned long)(c->pa + off));
			}
		}
	}
	return 0;
}

/** Where @c says it is held, and is it there? */
static int check_holder(const struct cap *c, const char *where)
{
	switch (c->holder) {
	case HOLDER_SLOT: {
		const struct domain *d = c->holder_obj;

		if (!known_domain(d) || c < d->cspace ||
		    c >= d->cspace + d->cspace_slots || c == d->cspace) {
			return fail("%s: capability %p not in a slot of its "
				    "holder domain %p",
				    where, (const void *)c, c->holder_obj);
		}
		return 0;
	}
	case HOLDER_IPCBUF: {
		const struct thread *t = c->holder_obj;

		if (!live(t) || t->hdr.type != RIFT_CAP_THREAD ||
		    &t->ipcbuf_cap != c) {
			return fail("%s: IPC buffer capability %p not held by "
				    "live thread %p",
				    where, (const void *)c, c->holder_obj);
		}
		if (c->type != RIFT_CAP_FRAME_T) {
			return fail("%s: IPC buffer capability of type %u",
				    where, c->type);
		}
		return 0;
	}
	case HOLDER_FAULT_EP: {
		const struct domain *d = c->holder_obj;

		if (!known_domain(d) || &d->fault_cap != c) {
			return fail("%s: fault capability %p not held by its "
				    "domain %p",
				    where, (const void *)c, c->holder_obj);
		}
		if (c->type != RIFT_CAP_ENDPOINT_T) {
			return fail("%s: fault capability of type %u", where,
				    c->type);
		}
		return 0;
	}
	case HOLDER_IRQ_NOTIF:
	case HOLDER_IRQ_CTL: {
		const struct kobj *h = c->holder_obj;

		if (!live(h) || h->type != RIFT_CAP_IRQ_HANDLER ||
		    c->type != (c->holder == HOLDER_IRQ_NOTIF ?
					RIFT_CAP_NOTIFICATION_T :
					RIFT_CAP_IRQ_CONTROL)) {
			return fail("%s: IRQ handler capability %p not held by "
				    "a live handler",
				    where, (const void *)c);
		}
		return 0;
	}
	case HOLDER_KLOG_NOTIF:
	case HOLDER_TICK_NOTIF: /* a tick's notification and its authority */
		if ((c->type != RIFT_CAP_NOTIFICATION_T &&
		     !(c->holder == HOLDER_TICK_NOTIF &&
		       c->type == RIFT_CAP_IRQ_CONTROL)) ||
		    c->holder_obj || fake_in_ram(c)) {
			return fail("%s: bad kernel log or tick capability",
				    where);
		}
		return 0;
	case HOLDER_RMA: {
		const struct domain *d = c->holder_obj;

		if (!known_domain(d) || &d->rma_cap != c || !d->guest ||
		    c->type != RIFT_CAP_FRAME_T || c->map_dom != d) {
			return fail("%s: RMA capability %p not held (and mapped) "
				    "by its guest domain %p",
				    where, (const void *)c, c->holder_obj);
		}
		return 0;
	}
	case HOLDER_VCPU_EP: {
		const struct vcpu *v = c->holder_obj;

		if (!live(v) || v->hdr.type != RIFT_CAP_VCPU ||
		    &v->exit_ep != c || c->type != RIFT_CAP_ENDPOINT_T) {
			return fail("%s: exit endpoint capability %p not held "
				    "by a live vCPU",
				    where, (const void *)c);
		}
		return 0;
	}
	default:
		return fail("%s: capability %p with holder tag %u", where,
			    (const void *)c, c->holder);
	}
}

/**
 * DMA pins: *@pinned = the pages they charge (each pin its frame's size),
 * *@held = the pages of blocks freed by their owners while pinned, which
 * are out of the allocator (each block once, however many pins).
 */
static void pin_pages(uint64_t *pinned, uint64_t *held)
{
	static paddr_t seen[4096];
	uint32_t nseen = 0;
	uint64_t pages = 0;

	*pinned = 0;

	for (uint32_t k = 0; k < ndoms; k++) {
		const struct domain *d = doms[k];

		for (uint32_t i = 0; i < d->cspace_slots; i++) {
			const struct cap *c = &d->cspace[i];
			uint32_t j = 0;

			if (c->type != RIFT_CAP_DMA_PIN) {
				continue;
			}
			*pinned += c->size >> PMM_PAGE_SHIFT;
			if (!pmm_held(&kmem_pmm, c->pa)) {
				continue;
			}
			while (j < nseen && seen[j] != c->pa) {
				j++;
			}
			if (j == nseen && nseen < ARRAY_SIZE(seen)) {
				seen[nseen++] = c->pa;
				pages += c->size >> PMM_PAGE_SHIFT;
			}
		}
	}
	*held = pages;
}

/** Authority over a range (device memory, interrupts): copies narrow it. */
static bool ranged(uint8_t type)
{
	return type == RIFT_CAP_DEVICE || type == RIFT_CAP_IRQ_CONTROL;
}

/* counts of capabilities held in slots / IPC buffers / fault endpoints */
static uint64_t chain_held, place_held;

static int check_chain(const struct cap *orig, const char *where)
{
	const struct cap *prev = NULL;
	uint64_t n = 0;
	uint32_t maps_w = 0, maps_x = 0;
	/* depths of the revoking capabilities whose subtree we are in */
	uint32_t rev[64];
	int nrev = 0;

	if (orig->dprev || orig->depth != 0) {
		return fail("%s: original with dprev %p, depth %u", where,
			    (const void *)orig->dprev, orig->depth);
	}
	for (const struct cap *c = orig; c; prev = c, c = c->dnext) {
		if (++n > 10000000) {
			return fail("%s: derivation chain does not end", where);
		}
		/* in RAM (objects, cspaces), or the kernel's own (static) */
		if (fake_in_ram(c) ? fake_addr_freed(c) :
				     (c->holder != HOLDER_KLOG_NOTIF &&
				      c->holder != HOLDER_TICK_NOTIF)) {
			return fail("%s: derivation chain reaches freed "
				    "memory %p",
				    where, (const void *)c);
		}
		if (c->orig != orig) {
			return fail("%s: capability %p's original pointer is %p, "
				    "its chain's original %p",
				    where, (const void *)c,
				    (const void *)c->orig, (const void *)orig);
		}
		if (c->map_dom) {
			maps_w += !!(c->map_flags & RIFT_MAP_WRITE);
			maps_x += !!(c->map_flags & RIFT_MAP_EXEC);
		}
		if (c->holder == HOLDER_IPCBUF) {
			maps_w++; /* the kernel writes messages into it */
		}
		if (c->dprev != prev) {
			return fail("%s: dprev of %p is %p, expected %p", where,
				    (const void *)c, (const void *)c->dprev,
				    (const void *)prev);
		}
		if (c != orig) {
			if (c->original) {
				return fail("%s: second original on a chain",
					    where);
			}
			while (nrev > 0 && nrev <= 64 &&
			       c->depth <= rev[nrev - 1]) {
				nrev--;
			}
			/* A preempted revoke of r leaves gaps, but only in
			 * r's own subtree, which no new copy can enter
			 * (r->revoking: cap_derive refuses). */
			if (c->depth < 1 ||
			    (c->depth > prev->depth + 1 && nrev == 0)) {
				return fail("%s: depth %u after depth %u",
					    where, c->depth, prev->depth);
			}
			if (ranged(orig->type)) {
				/* narrower authority, or device frames */
				if ((c->type != orig->type &&
				     !(orig->type == RIFT_CAP_DEVICE &&
				       c->type == RIFT_CAP_FRAME_T &&
				       (c->badge & FRAME_DEVICE))) ||
				    c->pa < orig->pa ||
				    c->pa + c->size > orig->pa + orig->size ||
				    c->pa + c->size < c->pa) {
					return fail("%s: ranged copy (type %u, "
						    "%lx+%lx) outside its "
						    "original (type %u, "
						    "%lx+%lx)",
						    where, c->type,
						    (unsigned long)c->pa,
						    (unsigned long)c->size,
						    orig->type,
						    (unsigned long)orig->pa,
						    (unsigned long)orig->size);
				}
			} else if (orig->type == RIFT_CAP_FRAME_T &&
				   c->type == RIFT_CAP_FRAME_T &&
				   (c->pa != orig->pa ||
				    c->size != orig->size)) {
				/* a carved frame: a naturally aligned block
				 * inside its original */
				if (c->size < PMM_PAGE_SIZE ||
				    (c->size & (c->size - 1)) ||
				    c->pa % c->size || c->pa < orig->pa ||
				    c->pa + c->size > orig->pa + orig->size ||
				    c->badge != orig->badge) {
					return fail("%s: carved frame %lx+%lx "
						    "not a block of its "
						    "original %lx+%lx",
						    where,
						    (unsigned long)c->pa,
						    (unsigned long)c->size,
						    (unsigned long)orig->pa,
						    (unsigned long)orig->size);
				}
			} else if (c->type != orig->type || c->obj != orig->obj ||
			    c->pa != orig->pa || c->size != orig->size) {
				return fail("%s: copy (type %u obj %p) differs "
					    "from its original (type %u obj "
					    "%p)",
					    where, c->type, c->obj, orig->type,
					    orig->obj);
			}
			if (c->rights & ~prev->rights &&
			    c->depth == prev->depth + 1) {
				return fail("%s: copy has rights %x its parent "
					    "(%x) lacks",
					    where, c->rights, prev->rights);
			}
		}
		if (c->revoking) {
			if (nrev < 64) {
				rev[nrev] = c->depth;
			}
			nrev++; /* past 64 nested: no more pops, permissive */
		}
		if (check_holder(c, where) || check_object(c, where)) {
			return -1;
		}
		if (c->holder == HOLDER_SLOT || c->holder == HOLDER_IPCBUF ||
		    c->holder == HOLDER_FAULT_EP || c->holder == HOLDER_RMA ||
		    c->holder == HOLDER_VCPU_EP) {
			chain_held++;
		}
	}
	if (orig->maps_w != maps_w || orig->maps_x != maps_x) {
		return fail("%s: frame counts %u writable and %u executable "
			    "mappings, its chain has %u and %u",
			    where, orig->maps_w, orig->maps_x, maps_w, maps_x);
	}
	if (maps_w && maps_x) {
		return fail("%s: frame mapped writable and executable", where);
	}
	return 0;
}

static bool in_queue(const struct list *head, const struct thread *t)
{
	uint32_t n = 0;

	for (const struct list *l = head->next; l != head; l = l->next) {
		if (container_of(l, struct thread, qlink) == t) {
			return true;
		}
		if (++n > 100000) {
			break;
		}
	}
	return false;
}

static int check_queue(const struct list *head, uint8_t state,
		       const void *obj, const char *where)
{
	uint32_t n = 0;

	for (const struct list *l = head->next; l != head; l = l->next) {
		const struct thread *t = container_of(l, struct thread, qlink);

		if (!live(t) || t->hdr.type != RIFT_CAP_THREAD) {
			return fail("%s: queue holds destroyed thread %p",
				    where, (const void *)t);
		}
		if (t->state != state || t->blocked_on != obj) {
			return fail("%s: queued thread %u in state %u on %p",
				    where, t->id, t->state, t->blocked_on);
		}
		if (l->next->prev != l || ++n > 100000) {
			return fail("%s: queue links broken", where);
		}
	}
	return 0;
}

static int check_thread(const struct domain *d, const struct thread *t)
{
	char where[64];

	snprintf(where, sizeof(where), "domain %u thread %p", d->id,
		 (const void *)t);
	if (!live(t) || t->hdr.type != RIFT_CAP_THREAD) {
		return fail("%s: destroyed thread on the list", where);
	}
	if (t->dom != d) {
		return fail("%s: thread of domain %p on this list", where,
			    (void *)t->dom);
	}
	if (t->vcpu && (!live(t->vcpu) || t->vcpu->thread != t || !d->guest)) {
		return fail("%s: vCPU link broken", where);
	}
	if (!t->vcpu && d->guest) {
		return fail("%s: a thread of a guest domain that is no vCPU",
			    where);
	}
	if (t->ipcbuf_cap.holder != HOLDER_IPCBUF ||
	    t->ipcbuf_cap.holder_obj != t) {
		return fail("%s: IPC buffer slot not tagged", where);
	}
	if (t->ipcbuf_cap.type != RIFT_CAP_NULL) {
		place_held++;
	}
	if (t->replier) {
		if (!live(t->replier) || t->replier->reply_to != t ||
		    t->state != TS_BLOCKED_REPLY) {
			return fail("%s: replier link broken (state %u)", where,
				    t->state);
		}
	}
	if (t->reply_to) {
		if (!live(t->reply_to) || t->reply_to->replier != t ||
		    t->reply_to->state != TS_BLOCKED_REPLY) {
			return fail("%s: reply_to link broken", where);
		}
	}
	switch (t->state) {
	case TS_BLOCKED_SEND:
	case TS_BLOCKED_RECV: {
		const struct endpoint *ep = t->blocked_on;

		if (!live(ep) || ep->hdr.type != RIFT_CAP_ENDPOINT_T ||
		    !in_queue(t->state == TS_BLOCKED_SEND ? &ep->senders :
							    &ep->receivers,
			      t)) {
			return fail("%s: blocked on %p but not in its queue",
				    where, t->blocked_on);
		}
		break;
	}
	case TS_BLOCKED_NOTIF: {
		const struct notification *n = t->blocked_on;

		if (!live(n) || n->hdr.type != RIFT_CAP_NOTIFICATION_T ||
		    !in_queue(&n->waiters, t)) {
			return fail("%s: waiting on %p but not in its queue",
				    where, t->blocked_on);
		}
		break;
	}
	case TS_BLOCKED_REPLY:
		if (!t->replier && t->blocked_on) {
			return fail("%s: waiting for a reply with blocked_on",
				    where);
		}
		break;
	case TS_BLOCKED_WFI:
		if (!t->vcpu || !t->vcpu->wfi) {
			return fail("%s: in WFI but not a vCPU in WFI", where);
		}
		break;
	case TS_INACTIVE:
	case TS_RUNNABLE:
	case TS_FAULTED:
		break;
	default:
		return fail("%s: state %u", where, t->state);
	}
	return 0;
}

/** Pages @d must be charged for, from what it holds. */
static int check_domain(struct domain *d, uint64_t *own)
{
	char where[64];
	uint64_t cost = d->pt.table_pages, children = 0;
	uint32_t threads = 0;

	snprintf(where, sizeof(where), "domain %u (%s)", d->id, d->name);
	if (d->hdr.charged == d) { /* the supervisor pays for itself */
		cost += (1ull << d->hdr.order) + (1ull << d->cspace_order);
	}
	if (!live(d->cspace) || !live(d->cspace + d->cspace_slots - 1)) {
		return fail("%s: cspace freed", where);
	}
	if (d->building) {
		/* cspace not zeroed yet: nothing in it, nothing charged to
		 * it (its object and cspace are its parent's) */
		if (d->used_pages || !d->hdr.dying) {
			return fail("%s: building, %lu pages charged", where,
				    (unsigned long)d->used_pages);
		}
		*own = 0;
		return 0;
	}
	for (uint32_t i = 0; i < d->cspace_slots; i++) {
		struct cap *c = &d->cspace[i];

		if (c->holder != HOLDER_SLOT ||
		    (c->holder_obj != d &&
		     !(c->type == RIFT_CAP_NULL && !c->holder_obj))) {
			return fail("%s: slot %u holder tag %u/%p", where, i,
				    c->holder, c->holder_obj);
		}
		if (c->type == RIFT_CAP_NULL) {
			if (c->dnext || c->dprev || c->map_dom || c->orig) {
				return fail("%s: empty slot %u still linked",
					    where, i);
			}
			continue;
		}
		if (i == 0) {
			return fail("%s: slot 0 holds a capability", where);
		}
		place_held++;
		if (c->map_dom && (!known_domain(c->map_dom) ||
				   c->type != RIFT_CAP_FRAME_T)) {
			return fail("%s: slot %u mapped in unknown domain %p",
				    where, i, (void *)c->map_dom);
		}
		if (!c->original) {
			continue;
		}
		snprintf(where, sizeof(where), "domain %u slot %u", d->id, i);
		if (check_chain(c, where)) {
			return -1;
		}
		switch (c->type) {
		case RIFT_CAP_DOMAIN: {
			struct domain *ch = c->obj;

			if (ch == d) {
				break; /* the supervisor's own */
			}
			if (ch->parent != d || ch->hdr.charged != d ||
			    ch->orig_cap != c || ch->level != d->level + 1) {
				return fail("%s: child domain %u's parent is "
					    "not its holder",
					    where, ch->id);
			}
			cost += (1ull << ch->hdr.order) +
				(1ull << ch->cspace_order) + ch->quota_pages;
			children += ch->quota_pages;
			break;
		}
		case RIFT_CAP_ENDPOINT_T:
		case RIFT_CAP_NOTIFICATION_T:
			if (c->type == RIFT_CAP_ENDPOINT_T) {
				const struct endpoint *ep = c->obj;

				if (check_queue(&ep->senders, TS_BLOCKED_SEND,
						ep, where) ||
				    check_queue(&ep->receivers,
						TS_BLOCKED_RECV, ep, where)) {
					return -1;
				}
			} else if (check_queue(&((const struct notification *)
							  c->obj)
							->waiters,
					       TS_BLOCKED_NOTIF, c->obj,
					       where)) {
				return -1;
			}
			/* fall through */
		case RIFT_CAP_THREAD:
		case RIFT_CAP_IRQ_HANDLER: {
			const struct kobj *o = c->obj;

			if (o->charged != d) {
				return fail("%s: object charged to another "
					    "domain",
					    where);
			}
			cost += 1ull << o->order;
			break;
		}
		case RIFT_CAP_FRAME_T:
		case RIFT_CAP_FRAME_PENDING:
			if (!(c->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
				cost += c->size >> PMM_PAGE_SHIFT;
			}
			break;
		case RIFT_CAP_VCPU: {
			const struct vcpu *v = c->obj;

			if (!d->guest || v->hdr.charged != d || !live(v->thread) ||
			    v->thread->vcpu != v || v->thread->dom != d ||
			    v->dom != d) {
				return fail("%s: vCPU not bound to its guest "
					    "domain",
					    where);
			}
			cost += (1ull << v->hdr.order) +
				(1ull << v->thread->hdr.order);
			if (v->exit_ep.type != RIFT_CAP_NULL) {
				place_held++;
			}
			break;
		}
		case RIFT_CAP_DMA_PIN:
			cost += c->size >> PMM_PAGE_SHIFT;
			break;
		default:
			break;
		}
		snprintf(where, sizeof(where), "domain %u (%s)", d->id,
			 d->name);
	}
	if (d->fault_cap.holder != HOLDER_FAULT_EP ||
	    d->fault_cap.holder_obj != d) {
		return fail("%s: fault slot not tagged", where);
	}
	if (d->fault_cap.type != RIFT_CAP_NULL) {
		place_held++;
	}
	if (d->rma_cap.type != RIFT_CAP_NULL) {
		if (!d->guest) {
			return fail("%s: an RMA but not a guest", where);
		}
		place_held++;
	}
	/* a domain being torn down keeps its stopped threads apart */
	for (int k = 0; k < 2; k++) {
		const struct list *h = k ? &d->stopped : &d->threads;

		if (k && !d->stopped.next) {
			break; /* never initialised: never torn down */
		}
		for (struct list *l = h->next; l != h; l = l->next) {
			const struct thread *t =
				container_of(l, struct thread, dlink);

			if (check_thread(d, t)) {
				return -1;
			}
			if (k && (t->state != TS_INACTIVE || !d->dying)) {
				return fail("%s: stopped thread %u in state %u",
					    where, t->id, t->state);
			}
			if (++threads > 100000) {
				return fail("%s: thread list does not end",
					    where);
			}
		}
	}
	if (threads != d->thread_count) {
		return fail("%s: %u threads listed, thread_count %u", where,
			    threads, d->thread_count);
	}
	if (d->used_pages > d->quota_pages) {
		return fail("%s: uses %lu pages of a %lu-page quota", where,
			    (unsigned long)d->used_pages,
			    (unsigned long)d->quota_pages);
	}
	/* A thread that deleted itself is freed at the next switch; while the
	 * CPU idles (sched_idle, before sched_reap) it is still charged. */
	if (d->used_pages != cost &&
	    !(fake_idle() && d->used_pages == cost + 1)) {
		return fail("%s: charged %lu pages, holds %lu", where,
			    (unsigned long)d->used_pages, (unsigned long)cost);
	}
	*own = d->used_pages - children;
	return 0;
}

/** The supervisor's tree: a domain's children are the originals it holds. */
static int walk_domains(void)
{
	dom_clear();
	dom_add(kh_R);
	for (uint32_t k = 0; k < ndoms; k++) {
		struct domain *d = doms[k];

		if (!live(d) || d->hdr.type != RIFT_CAP_DOMAIN) {
			return fail("domain %p destroyed but reachable",
				    (void *)d);
		}
		if (!live(d->cspace)) {
			return fail("domain %u: cspace freed", d->id);
		}
		for (uint32_t i = 1; !d->building && i < d->cspace_slots; i++) {
			struct cap *c = &d->cspace[i];

			if (c->type == RIFT_CAP_DOMAIN && c->original &&
			    c->obj != d) {
				if (ndoms == MAX_DOMAINS) {
					return fail("more than %u domains",
						    MAX_DOMAINS);
				}
				if (known_domain(c->obj)) {
					return fail("domain %p has two "
						    "originals",
						    c->obj);
				}
				dom_add(c->obj);
			}
		}
	}
	return 0;
}

uint32_t kh_domains(struct domain **out, uint32_t max)
{
	uint32_t n = 0;

	if (walk_domains()) {
		return 0;
	}
	for (uint32_t i = 0; i < ndoms && n < max; i++) {
		out[n++] = doms[i];
	}
	return n;
}

int kh_check(void)
{
	uint64_t charged = 0, pinned, held;
	struct thread *cur = sched_current();

	kh_why[0] = '\0';
	chain_held = place_held = 0;
	if (walk_domains()) {
		return -1;
	}
	pin_pages(&pinned, &held);
	for (uint32_t k = 0; k < ndoms; k++) {
		uint64_t own;

		if (check_domain(doms[k], &own)) {
			return -1;
		}
		charged += own;
	}
	if (chain_held != place_held) {
		return fail("%lu capabilities held in slots, IPC buffers and "
			    "fault endpoints, %lu on derivation chains from "
			    "originals",
			    (unsigned long)place_held,
			    (unsigned long)chain_held);
	}
	if (cur && (!live(cur) || cur->state != TS_RUNNABLE ||
		    !known_domain(cur->dom))) {
		return fail("current thread %p not a live runnable thread",
			    (void *)cur);
	}
	if (fake_pages_out() + pinned != kernel_pages + charged + held &&
	    !(fake_idle() &&
	      fake_pages_out() + pinned == kernel_pages + charged + held + 1)) {
		return fail("%lu pages handed out, %lu charged to domains "
			    "(%lu of them for DMA pins) + %lu the kernel's + "
			    "%lu freed while pinned",
			    (unsigned long)fake_pages_out(),
			    (unsigned long)charged, (unsigned long)pinned,
			    (unsigned long)kernel_pages, (unsigned long)held);
	}
	if (fake_free_pages() + fake_pages_out() + fake_reserved_pages() !=
	    fake_total_pages()) {
		return fail("free %lu + out %lu + reserved %lu != total %lu",
			    (unsigned long)fake_free_pages(),
			    (unsigned long)fake_pages_out(),
			    (unsigned long)fake_reserved_pages(),
			    (unsigned long)fake_total_pages());
	}
	if (kh_check_allocator && pmm_check(&kmem_pmm) != 0) {
		return fail("pmm_check: allocator state inconsistent");
	}
	return 0;
}
