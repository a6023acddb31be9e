/* SPDX-License-Identifier: MIT */
/*
 * System calls. Each handler first decodes: it looks up and checks every
 * capability and argument and returns an error without side effects if
 * anything is wrong; only then does it act. Domains are never trusted: no
 * user pointer is ever dereferenced (bulk data travels in the IPC buffer,
 * which the kernel reaches through its own mapping of the frame).
 */
#include <arch/memlayout.h>
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/check.h>
#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/syscall.h>
#include <rift/vcpu.h>
#include <string.h>

#define ARG(n) (f->x[n])

struct cap *syscall_lookup_typed(struct thread *t, uint64_t cptr, uint8_t type,
				 uint8_t rights, int *err)
{
	struct cap *c = cap_lookup(t->dom, cptr);

	if (!c) {
		*err = RIFT_KECAP;
	} else if (c->type != type) {
		*err = RIFT_KETYPE;
	} else if ((c->rights & rights) != rights) {
		*err = RIFT_KERIGHTS;
	} else if (c->obj && ((struct kobj *)c->obj)->dying) {
		*err = RIFT_KEGONE; /* its teardown has begun */
	} else {
		return c;
	}
	return NULL;
}

#define lookup_typed syscall_lookup_typed

/** cptr 0 means the caller's own domain. */
struct domain *syscall_lookup_domain(struct thread *t, uint64_t cptr, int *err)
{
	struct cap *c;

	if (cptr == 0) {
		return t->dom;
	}
	c = lookup_typed(t, cptr, RIFT_CAP_DOMAIN, RIFT_RIGHT_WRITE, err);
	return c ? c->obj : NULL;
}

#define lookup_domain syscall_lookup_domain

/* ---- IPC */

/** Is @info a well-formed message info word? */
static bool info_ok(uint64_t info)
{
	return (info & ~RIFT_INFO_MASK) == 0 &&
	       RIFT_INFO_WORDS(info) <= RIFT_IPC_WORDS &&
	       RIFT_INFO_CAPS(info) <= RIFT_IPC_CAPS;
}

static int sys_send(struct thread *t, struct trap_frame *f, uint32_t call,
		    bool block)
{
	int err;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_ENDPOINT_T,
				     RIFT_RIGHT_WRITE, &err);
	uint32_t flags = call;

	if (!c) {
		return err;
	}
	if (!info_ok(ARG(2))) {
		return RIFT_KEINVAL;
	}
	if ((RIFT_INFO_WORDS(ARG(2)) > RIFT_MSG_REG_WORDS ||
	     RIFT_INFO_CAPS(ARG(2))) && !thread_ipcbuf(t)) {
		return RIFT_KEINVAL; /* message needs an IPC buffer */
	}
	if (c->rights & RIFT_RIGHT_GRANT) {
		flags |= IPC_FLAG_GRANT;
	} else if (RIFT_INFO_CAPS(ARG(2))) {
		return RIFT_KERIGHTS;
	}
	if (c->rights & RIFT_RIGHT_GRANT_REPLY) {
		flags |= IPC_FLAG_GRANT_REPLY;
	}
	f->x[0] = 0;
	return ipc_send(t, c->obj, c->badge, flags, block);
}

static int sys_recv(struct thread *t, struct trap_frame *f, bool block)
{
	int err;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_ENDPOINT_T,
				     RIFT_RIGHT_READ, &err);

	if (!c) {
		return err;
	}
	if (t->reply_to) {
		/* An unanswered caller would wait forever: fail it. */
		struct thread *caller = t->reply_to;

		t->reply_to = NULL;
		caller->replier = NULL;
		thread_wake_error(caller, RIFT_KEGONE);
	}
	f->x[0] = 0;
	return ipc_recv(t, c->obj, block);
}

static int sys_reply_recv(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_ENDPOINT_T,
				     RIFT_RIGHT_READ, &err);

	if (!c) {
		return err;
	}
	if (!info_ok(ARG(2))) {
		return RIFT_KEINVAL;
	}
	if (t->reply_to) {
		ipc_reply(t);
	}
	return ipc_recv(t, c->obj, true);
}

static int sys_notification(struct thread *t, struct trap_frame *f,
			    uint32_t nr)
{
	int err;
	uint8_t need = nr == RIFT_SYS_SIGNAL ? RIFT_RIGHT_WRITE :
					       RIFT_RIGHT_READ;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_NOTIFICATION_T, need,
				     &err);

	if (!c) {
		return err;
	}
	if (nr == RIFT_SYS_SIGNAL) {
		notification_signal(c->obj, c->badge ? c->badge : 1);
		return RIFT_KOK;
	}
	f->x[0] = 0;
	return notification_wait(t, c->obj, nr == RIFT_SYS_WAIT);
}

/* ---- capabilities */

static int sys_cap_info(struct thread *t, struct trap_frame *f)
{
	struct cap *c = cap_lookup(t->dom, ARG(0));

	if (!c) {
		return RIFT_KECAP;
	}
	f->x[1] = c->type;
	f->x[2] = c->rights;
	f->x[3] = c->type == RIFT_CAP_FRAME_T ? 0 : c->badge;
	f->x[4] = c->type == RIFT_CAP_FRAME_T ?
			  (uint64_t)__builtin_ctzll(c->size >> 12) :
			  0;
	return RIFT_KOK;
}

static int sys_cap_copy(struct thread *t, struct trap_frame *f)
{
	int err = RIFT_KOK;
	struct cap *src = cap_lookup(t->dom, ARG(0));
	struct domain *d = lookup_domain(t, ARG(1), &err);
	struct cap *dst;

	if (!src) {
		return RIFT_KECAP;
	}
	if (!d) {
		return err;
	}
	dst = cap_slot_empty(d, ARG(2), &err);
	if (!dst) {
		return err;
	}
	if (ARG(3) > RIFT_RIGHTS_ALL) {
		return RIFT_KEINVAL;
	}
	return cap_derive(src, dst, (uint8_t)ARG(3), ARG(4), HOLDER_SLOT, d);
}

static int sys_cap_delete(struct thread *t, struct trap_frame *f, bool revoke)
{
	struct cap *c = cap_lookup(t->dom, ARG(0));

	if (!c) {
		return RIFT_KECAP;
	}
	if (revoke) {
		return cap_revoke(c);
	}
	if (c->type == RIFT_CAP_DOMAIN && c->obj == t->dom && c->original) {
		return RIFT_KEINVAL; /* a domain ends itself with EXIT */
	}
	return cap_delete(c);
}

/* ---- objects */

static bool frame_order_ok(uint64_t order)
{
	return order == 0 || order == PMM_ORDER_2M || order == PMM_ORDER_1G;
}

/** FRAME_ALLOC: any naturally aligned block from 4 KiB to 1 GiB (a
 * guest's RMA is one block of 64 MiB by default). */
static bool frame_alloc_order_ok(uint64_t order)
{
	return order <= PMM_MAX_ORDER;
}

/** After making an original in @d's @slot, give the caller its @copy. */
int syscall_place_object(struct thread *t, struct domain *d, struct cap *slot,
			 struct cap *copy)
{
	if (copy && d != t->dom) {
		return cap_derive(slot, copy, RIFT_RIGHTS_ALL, 0, HOLDER_SLOT,
				  t->dom);
	}
	return RIFT_KOK;
}

/** Caller's copy slot of object creation: empty, or 0 for none. */
static int decode_copy(struct thread *t, struct domain *d, uint64_t copy,
		       struct cap *slot, struct cap **c)
{
	int err = RIFT_KOK;

	*c = NULL;
	if (copy && d != t->dom) {
		*c = cap_slot_empty(t->dom, copy, &err);
		if (!*c || *c == slot) {
			return *c ? RIFT_KEINVAL : err;
		}
	}
	return RIFT_KOK;
}

#define place_object syscall_place_object

/** Decode the (domain, slot, caller copy slot) triple of object creation. */
int syscall_decode_target(struct thread *t, uint64_t dom_cptr, uint64_t slot,
			  uint64_t copy, struct domain **d, struct cap **s,
			  struct cap **c)
{
	int err = RIFT_KOK;

	*d = lookup_domain(t, dom_cptr, &err);
	if (!*d) {
		return err;
	}
	*s = cap_slot_empty(*d, slot, &err);
	if (!*s) {
		return err;
	}
	return decode_copy(t, *d, copy, *s, c);
}

#define decode_target syscall_decode_target

/**
 * Frames of 2 MiB and 1 GiB are zeroed in FRAME_ZERO_CHUNK steps. Until
 * done, the slot holds a RIFT_CAP_FRAME_PENDING capability that nothing
 * can use; the call, restarted after an interrupt (or repeated by anyone
 * with the same domain and slot), resumes the zeroing and turns it into a
 * frame. Deleting the pending capability frees the memory.
 */
static int sys_frame_alloc(struct thread *t, struct trap_frame *f)
{
	struct domain *d;
	struct cap *slot, *copy;
	paddr_t pa;
	int node;
	int err = RIFT_KOK;
	uint64_t done;

	d = lookup_domain(t, ARG(0), &err);
	if (!d) {
		return err;
	}
	slot = cap_lookup(d, ARG(1));
	if (slot && slot->type == RIFT_CAP_FRAME_PENDING) {
		err = decode_copy(t, d, ARG(4), slot, &copy);
		if (err) {
			return err;
		}
		goto zero;
	}
	err = decode_target(t, ARG(0), ARG(1), ARG(4), &d, &slot, &copy);
	if (err) {
		return err;
	}
	/* node: -1 = any, else an existing node; nothing else */
	if (!frame_alloc_order_ok(ARG(2)) ||
	    (ARG(3) != ~0ull && ARG(3) >= boot_info.node_count)) {
		return RIFT_KEINVAL;
	}
	node = ARG(3) == ~0ull ? -1 : (int)ARG(3);
	if (ARG(2) == 0) {
		err = frame_alloc_pages(d, 0, node, &pa);
		if (err) {
			return err;
		}
		cap_make_original(slot, RIFT_CAP_FRAME_T, NULL, pa, PMM_PAGE_SIZE,
				  RIFT_RIGHTS_ALL, 0);
		return place_object(t, d, slot, copy);
	}
	err = frame_alloc_pages_raw(d, (uint32_t)ARG(2), node, &pa);
	if (err) {
		return err;
	}
	cap_make_original(slot, RIFT_CAP_FRAME_PENDING, NULL, pa,
			  PMM_PAGE_SIZE << ARG(2), RIFT_RIGHTS_ALL, 0);
zero:
	done = slot->map_va;
	err = frame_zero_steps(slot->pa, slot->size, &done, true);
	slot->map_va = done;
	if (err) {
		return err;
	}
	slot->map_va = 0;
	slot->type = RIFT_CAP_FRAME_T;
	return place_object(t, d, slot, copy);
}

static int sys_map(struct thread *t, struct trap_frame *f)
{
	int err = RIFT_KOK;
	struct domain *d = lookup_domain(t, ARG(0), &err);
	struct cap *fr;
	uint64_t end;

	if (!d) {
		return err;
	}
	/* A frame is mapped in a domain only through a capability in that
	 * domain's own cspace, so the mapping dies with the domain. */
	if (ARG(4) > 1 || (d != t->dom && ARG(4) == 0)) {
		return RIFT_KEINVAL;
	}
	fr = ARG(4) ? cap_lookup(d, ARG(1)) : cap_lookup(t->dom, ARG(1));
	if (!fr) {
		return RIFT_KECAP;
	}
	if (fr->type != RIFT_CAP_FRAME_T) {
		return RIFT_KETYPE;
	}
	end = d->guest ? PT_IPA_END : USER_VA_END;
	if (ARG(2) >= end || end - ARG(2) < fr->size ||
	    !IS_ALIGNED(ARG(2), 4096) || ARG(3) > 7) {
		return RIFT_KERANGE;
	}
	return domain_map_frame(d, fr, ARG(2), (uint32_t)ARG(3));
}

static int sys_unmap(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *fr = lookup_typed(t, ARG(0), RIFT_CAP_FRAME_T, 0, &err);

	if (!fr) {
		return err;
	}
	if (!fr->map_dom) {
		return RIFT_KEINVAL;
	}
	domain_unmap_frame(fr);
	return RIFT_KOK;
}

static int sys_ipc_object(struct thread *t, struct trap_frame *f,
			  uint32_t nr)
{
	int err;
	struct cap *slot = cap_slot_empty(t->dom, ARG(0), &err);
	void *obj;

	if (!slot) {
		return err;
	}
	if (nr == RIFT_SYS_ENDPOINT_CREATE) {
		err = endpoint_create(t->dom, (struct endpoint **)&obj);
	} else {
		err = notification_create(t->dom,
					  (struct notification **)&obj);
	}
	if (err) {
		return err;
	}
	cap_make_original(slot,
			  nr == RIFT_SYS_ENDPOINT_CREATE ?
				  RIFT_CAP_ENDPOINT_T :
				  RIFT_CAP_NOTIFICATION_T,
			  obj, 0, 0, RIFT_RIGHTS_ALL, 0);
	return RIFT_KOK;
}

static void copy_name(char *dst, size_t size, const struct rift_ipcbuf *b)
{
	size_t i;

	for (i = 0; i + 1 < size && b && b->data[i]; i++) {
		char c = (char)b->data[i];

		dst[i] = (c >= 0x21 && c < 0x7f) ? c : '_';
	}
	dst[i] = '\0';
}

/**
 * A new domain made in the parent named by x4 (0 = the caller), charged
 * to that parent's quota, its original in the parent's slot x0; the caller
 * gets a copy in x5 when the parent is another domain. Making domains in a
 * child lets a supervisor build nested systems without running code in
 * them.
 */
static int sys_domain_create(struct thread *t, struct trap_frame *f)
{
	struct domain *parent, *d;
	struct cap *slot, *copy;
	char name[32];
	int err = RIFT_KOK;

	parent = lookup_domain(t, ARG(4), &err);
	if (!parent) {
		return err;
	}
	slot = cap_lookup(parent, ARG(0));
	if (slot && slot->type == RIFT_CAP_DOMAIN && slot->original &&
	    ((struct domain *)slot->obj)->building) {
		/* A creation preempted while zeroing the cspace resumes. */
		err = decode_copy(t, parent, ARG(5), slot, &copy);
		if (err) {
			return err;
		}
		d = slot->obj;
		goto build;
	}
	err = decode_target(t, ARG(4), ARG(0), ARG(5), &parent, &slot, &copy);
	if (err) {
		return err;
	}
	if (ARG(2) > RIFT_MAX_SLOTS || ARG(3) > parent->max_prio ||
	    parent->guest) {
		return RIFT_KEINVAL;
	}
	copy_name(name, sizeof(name), thread_ipcbuf(t));
	if (!name[0]) {
		return RIFT_KEINVAL;
	}
	err = domain_create(parent, name, ARG(1), (uint32_t)ARG(2),
			    (uint8_t)ARG(3), &d);
	if (err) {
		return err;
	}
	cap_make_original(slot, RIFT_CAP_DOMAIN, d, 0, 0, RIFT_RIGHTS_ALL, 0);
	d->orig_cap = slot;
build:
	err = domain_build(d);
	if (err == RIFT_KPREEMPT) {
		return err;
	}
	if (err) {
		/* No root table: the half-made domain goes (one step). */
		CHECK(cap_delete(slot) == RIFT_KOK);
		return err;
	}
	f->x[1] = d->id;
	return place_object(t, parent, slot, copy);
}

/**
 * Only the original destroys, and only the parent holds it: copies give
 * control of a domain (make objects in it, map, copy into it) but never
 * its destruction. So no domain can destroy itself or an ancestor, the
 * domains its own execution depends on (docs/decisions/
 * domain-destroy-original-only.md). Preemptible: restarted until done.
 */
static int sys_domain_destroy(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_DOMAIN,
				     RIFT_RIGHT_WRITE, &err);

	if (!c) {
		/* A teardown under way goes on through its original. */
		c = cap_lookup(t->dom, ARG(0));
		if (!c || c->type != RIFT_CAP_DOMAIN || !c->original) {
			return err;
		}
	}
	if (!c->original) {
		return RIFT_KERIGHTS;
	}
	if (c->obj == t->dom) {
		return RIFT_KEINVAL; /* a domain ends itself with EXIT */
	}
	return cap_delete(c);
}

static int sys_domain_set_fault(struct thread *t, struct trap_frame *f)
{
	int err = RIFT_KOK;
	struct domain *d;
	struct cap *ep;

	if (ARG(0) == 0) {
		return RIFT_KEINVAL; /* a domain does not pick its own handler */
	}
	d = lookup_domain(t, ARG(0), &err);
	if (!d) {
		return err;
	}
	if (d == t->dom) {
		return RIFT_KEINVAL; /* not through a capability to itself either */
	}
	ep = lookup_typed(t, ARG(1), RIFT_CAP_ENDPOINT_T, RIFT_RIGHT_WRITE,
			  &err);
	if (!ep) {
		return err;
	}
	err = cap_derive_check(ep, ARG(2));
	if (err) {
		return err; /* before the old handler is dropped */
	}
	cap_drop(&d->fault_cap);
	return cap_derive(ep, &d->fault_cap, RIFT_RIGHT_WRITE, ARG(2),
			  HOLDER_FAULT_EP, d);
}

static int sys_thread_create(struct thread *t, struct trap_frame *f)
{
	struct domain *d;
	struct cap *slot, *copy;
	struct thread *nt;
	int err = decode_target(t, ARG(0), ARG(1), ARG(3), &d, &slot, &copy);

	if (err) {
		return err;
	}
	if (ARG(2) > d->max_prio || d->guest) {
		return RIFT_KEINVAL; /* a guest's threads are its vCPUs */
	}
	err = thread_create(d, (uint8_t)ARG(2), &nt);
	if (err) {
		return err;
	}
	cap_make_original(slot, RIFT_CAP_THREAD, nt, 0, 0, RIFT_RIGHTS_ALL, 0);
	return place_object(t, d, slot, copy);
}

static int sys_thread_start(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *c = lookup_typed(t, ARG(0), RIFT_CAP_THREAD,
				     RIFT_RIGHT_WRITE, &err);

	if (!c) {
		return err;
	}
	if (ARG(1) >= USER_VA_END || ARG(2) > USER_VA_END ||
	    !IS_ALIGNED(ARG(1), 4) || !IS_ALIGNED(ARG(2), 16)) {
		return RIFT_KERANGE;
	}
	return thread_start(c->obj, ARG(1), ARG(2), ARG(3));
}

static int sys_thread_set_ipcbuf(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *tc = lookup_typed(t, ARG(0), RIFT_CAP_THREAD,
				      RIFT_RIGHT_WRITE, &err);
	struct cap *fr;
	struct thread *target;

	if (!tc) {
		return err;
	}
	fr = lookup_typed(t, ARG(1), RIFT_CAP_FRAME_T,
			  RIFT_RIGHT_READ | RIFT_RIGHT_WRITE, &err);
	if (!fr) {
		return err;
	}
	if (fr->size != PMM_PAGE_SIZE || (fr->badge & FRAME_DEVICE) ||
	    !IS_ALIGNED(ARG(2), 4096) || ARG(2) >= USER_VA_END) {
		return RIFT_KEINVAL;
	}
	/* The kernel writes messages into it: it counts as a writable
	 * mapping of the frame, so W^X holds for it too. */
	if (fr->orig->maps_x) {
		return RIFT_KEBUSY;
	}
	err = cap_derive_check(fr, 0);
	if (err) {
		return err; /* before the old buffer is dropped */
	}
	target = tc->obj;
	cap_drop(&target->ipcbuf_cap);
	err = cap_derive(fr, &target->ipcbuf_cap, RIFT_RIGHTS_ALL, 0,
			 HOLDER_IPCBUF, target);
	if (!err) {
		target->ipcbuf_va = ARG(2);
		target->ipcbuf_cap.orig->maps_w++;
	}
	return err;
}

/** Is [base, base+size) inside the range of capability @c? */
static bool range_inside(const struct cap *c, uint64_t base, uint64_t size)
{
	return size && base + size > base && base >= c->pa &&
	       base + size <= c->pa + c->size;
}

/**
 * A frame of device memory inside the DEVICE capability's range, derived
 * from it (revoking the device capability takes the frame, and any
 * mapping of it, away) with at most its rights. Never RAM, never the
 * interrupt controller (kernel_device_frame_ok()).
 */
/* Rare: kept out of the trap path's inlined body. */
static __attribute__((noinline)) int sys_device_frame(struct thread *t,
						struct trap_frame *f)
{
	int err;
	struct cap *dev = lookup_typed(t, ARG(0), RIFT_CAP_DEVICE,
				       RIFT_RIGHT_READ, &err);
	struct cap *slot;
	uint64_t size;

	if (!dev) {
		return err;
	}
	slot = cap_slot_empty(t->dom, ARG(1), &err);
	if (!slot) {
		return err;
	}
	if (!frame_order_ok(ARG(3))) {
		return RIFT_KEINVAL;
	}
	size = PMM_PAGE_SIZE << ARG(3);
	if (!IS_ALIGNED(ARG(2), size) || !range_inside(dev, ARG(2), size) ||
	    !kernel_device_frame_ok(ARG(2), size)) {
		return RIFT_KERANGE;
	}
	err = cap_derive(dev, slot, RIFT_RIGHTS_ALL, 0, HOLDER_SLOT, t->dom);
	if (err) {
		return err;
	}
	slot->type = RIFT_CAP_FRAME_T;
	slot->pa = ARG(2);
	slot->size = size;
	slot->badge = FRAME_DEVICE;
	return RIFT_KOK;
}

/**
 * Pin a RAM frame for DMA and tell where it is. A physical address is what
 * a device needs to reach memory, so only holders of DMA_CONTROL (the DMA
 * server) may ask. The pin is an original in the caller's slot, never
 * copied, with the frame capability's read and write rights (what the
 * server may let a device do). The frame's memory is not reused until
 * every pin of it is deleted, even if the frame's owner deletes it first:
 * the owner's quota is credited then, so each pin is charged to its
 * holder's quota for the frame's size while it exists, and pinned memory
 * is bounded by the DMA server's quota. Pins per frame are also bounded by
 * the allocator (65535).
 */
static int sys_dma_pin(struct thread *t, struct trap_frame *f)
{
	int err;
	struct cap *ctl = lookup_typed(t, ARG(0), RIFT_CAP_DMA_CONTROL,
				       RIFT_RIGHT_WRITE, &err);
	struct cap *fr;
	struct cap *slot;
	uint32_t order;

	if (!ctl) {
		return err;
	}
	fr = lookup_typed(t, ARG(1), RIFT_CAP_FRAME_T, RIFT_RIGHT_READ, &err);
	if (!fr) {
		return err;
	}
	if ((fr->badge & (FRAME_DEVICE | FRAME_KERNEL)) ||
	    fr->orig->type != RIFT_CAP_FRAME_T) {
		return RIFT_KEINVAL; /* device registers or kernel memory */
	}
	slot = cap_slot_empty(t->dom, ARG(2), &err);
	if (!slot) {
		return err;
	}
	/* The allocator's block is the original's: a frame carved from it
	 * pins (and is charged for) the whole block. */
	order = (uint32_t)__builtin_ctzll(fr->orig->size >> PMM_PAGE_SHIFT);
	err = pmm_pin(&kmem_pmm, fr->orig->pa, order);
	if (err == PMM_EFULL) {
		return RIFT_KELIMIT;
	}
	if (err != PMM_OK) {
		return RIFT_KEINVAL; /* not allocator memory (boot-time pages) */
	}
	if (quota_charge(t->dom, 1ull << order)) {
		CHECK(pmm_unpin(&kmem_pmm, fr->orig->pa, order) == PMM_OK);
		return RIFT_KENOMEM;
	}
	cap_make_original(slot, RIFT_CAP_DMA_PIN, NULL, fr->orig->pa,
			  fr->orig->size,
			  fr->rights & (RIFT_RIGHT_READ | RIFT_RIGHT_WRITE), 0);
	f->x[1] = fr->pa;
	f->x[2] = fr->size;
	return RIFT_KOK;
}

/**
 * A narrower DEVICE (bytes, 4 KiB aligned) or IRQ_CONTROL (interrupt
 * numbers) capability inside the source's range, as its child, with at
 * most its rights: how a supervisor hands each server only what its
 * description names. A RAM frame carves into naturally aligned smaller
 * frames (base = byte offset in the frame, size a power of two of at
 * least 4 KiB, base a multiple of it): memory a domain holds and divides
 * itself, as seL4's untyped memory, so a pool allocated early keeps its
 * large blocks however fragmented the allocator becomes.
 */
/* Rare: kept out of the trap path's inlined body. */
static __attribute__((noinline)) int sys_cap_carve(struct thread *t,
						struct trap_frame *f)
{
	int err;
	struct cap *src = cap_lookup(t->dom, ARG(0));
	struct cap *slot;

	if (!src) {
		return RIFT_KECAP;
	}
	if (src->type != RIFT_CAP_DEVICE && src->type != RIFT_CAP_IRQ_CONTROL &&
	    src->type != RIFT_CAP_FRAME_T) {
		return RIFT_KETYPE;
	}
	slot = cap_slot_empty(t->dom, ARG(1), &err);
	if (!slot) {
		return err;
	}
	if (ARG(4) > RIFT_RIGHTS_ALL) {
		return RIFT_KEINVAL;
	}
	if (src->type == RIFT_CAP_FRAME_T) {
		uint64_t off = ARG(2), size = ARG(3);

		if (src->badge & (FRAME_DEVICE | FRAME_KERNEL)) {
			return RIFT_KEINVAL; /* device frames: carve the DEVICE */
		}
		if (size < PMM_PAGE_SIZE || (size & (size - 1)) ||
		    !IS_ALIGNED(off, size) || off >= src->size ||
		    src->size - off < size) {
			return RIFT_KERANGE;
		}
		err = cap_derive(src, slot, (uint8_t)ARG(4), 0, HOLDER_SLOT,
				 t->dom);
		if (!err) {
			slot->pa = src->pa + off;
			slot->size = size;
		}
		return err;
	}
	if ((src->type == RIFT_CAP_DEVICE && !IS_ALIGNED(ARG(2) | ARG(3), 4096)) ||
	    !range_inside(src, ARG(2), ARG(3))) {
		return RIFT_KERANGE;
	}
	err = cap_derive(src, slot, (uint8_t)ARG(4), 0, HOLDER_SLOT, t->dom);
	if (!err) {
		slot->pa = ARG(2);
		slot->size = ARG(3);
	}
	return err;
}

/* ---- information and debugging */

/* Rare: kept out of the trap path's inlined body. */
static __attribute__((noinline)) int sys_meminfo(struct thread *t,
						struct trap_frame *f)
{
	uint64_t free = 0, total = 0;

	for (uint32_t n = 0; n < PMM_MAX_NODES; n++) {
		struct pmm_stats st;

		if ((int64_t)ARG(0) >= 0 && n != ARG(0)) {
			continue;
		}
		pmm_stats(&kmem_pmm, n, &st);
		free += st.free_pages;
		total += st.total_pages;
	}
	f->x[1] = free;
	f->x[2] = total;
	f->x[3] = t->dom->used_pages;
	f->x[4] = t->dom->quota_pages;
	return RIFT_KOK;
}

/* Rare: kept out of the trap path's inlined body. */
static __attribute__((noinline)) int sys_debug_write(struct thread *t,
						struct trap_frame *f)
{
	struct rift_ipcbuf *b = thread_ipcbuf(t);
	char line[224]; /* longer lines continue on the next tagged line */
	size_t n = 0;
	bool wrapped = false; /* a full line was just flushed */

	if (!b) {
		return RIFT_KEINVAL;
	}
	if (ARG(0) > RIFT_DEBUG_WRITE_MAX) {
		return RIFT_KERANGE;
	}
	for (size_t i = 0; i < ARG(0); i++) {
		char c = (char)b->data[i];

		bool full;

		if (c != '\n') {
			line[n++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? c :
									     '?';
		}
		full = n == sizeof(line) - 1;
		if ((c == '\n' && !wrapped) || full || (i + 1 == ARG(0) && n)) {
			line[n] = '\0';
			printk("[%s] %s\n", t->dom->name, line);
			n = 0;
		}
		wrapped = full;
	}
	return RIFT_KOK;
}

/* Rare: kept out of the trap path's inlined body. */
static __attribute__((noinline)) int sys_klog_attach(struct thread *t,
						struct trap_frame *f)
{
	int err;
	struct cap *frame = lookup_typed(t, ARG(0), RIFT_CAP_FRAME_T,
					 RIFT_RIGHT_READ, &err);
	struct cap *notif = frame ? lookup_typed(t, ARG(1),
						 RIFT_CAP_NOTIFICATION_T,
						 RIFT_RIGHT_WRITE, &err) :
				    NULL;

	if (!frame || !notif) {
		return err;
	}
	err = klog_attach(frame, notif);

	if (!err) {
		f->x[1] = (PMM_PAGE_SIZE << RIFT_KLOG_FRAME_ORDER) -
			  offsetof(struct rift_klog, data);
		/* Lines from here on are signalled: read from this head. */
		f->x[2] = klog_head();
	}
	return err;
}

/* ---- Linux system calls: reflected to the domain's runtime */

static void sys_linux(struct thread *t, struct trap_frame *f)
{
	if (t->in_upcall) {
		f->x[0] = (uint64_t)(int64_t)RIFT_KEDEADLK;
		return;
	}
	if (!t->dom->upcall_entry) {
		t->fault = (struct fault_info){ RIFT_FAULT_SYSCALL, f->x[8],
						f->elr - 4, f->esr };
		ipc_send_fault(t);
		return;
	}
	t->upcall_elr = f->elr;
	t->upcall_spsr = f->spsr;
	t->in_upcall = 1;
	f->elr = t->dom->upcall_entry;
}

static int sys_upcall_return(struct thread *t, struct trap_frame *f)
{
	if (!t->in_upcall) {
		return RIFT_KEINVAL;
	}
	t->in_upcall = 0;
	f->elr = t->upcall_elr;
	f->spsr = t->upcall_spsr;
	return RIFT_KOK;
}

static int sys_set_upcall(struct thread *t, struct trap_frame *f)
{
	if (ARG(0) >= USER_VA_END || !IS_ALIGNED(ARG(0), 4)) {
		return RIFT_KERANGE;
	}
	t->dom->upcall_entry = ARG(0);
	return RIFT_KOK;
}

static int sys_exit(struct thread *t, struct trap_frame *f)
{
	t->fault = (struct fault_info){ RIFT_FAULT_EXIT, 0, f->elr - 4,
					ARG(0) };
	ipc_send_fault(t);
	return RIFT_KOK;
}

#ifdef RIFT_DEBUG
/**
 * Debug kernels only: recurse @depth times with a 256-byte frame each, to
 * show that running off the kernel stack hits its guard page and panics
 * with a named stack overflow (test kstack_guard).
 */
static uint64_t __attribute__((noinline)) debug_recurse(uint64_t depth)
{
	volatile uint8_t pad[256];

	pad[0] = (uint8_t)depth;
	if (depth == 0) {
		return pad[0];
	}
	return debug_recurse(depth - 1) + pad[0];
}
#endif

static int syscall_invoke(struct thread *t, struct trap_frame *f, uint32_t nr)
{
	switch (nr) {
	case RIFT_SYS_NULL:
		return RIFT_KOK;
	case RIFT_SYS_DEBUG_WRITE:
		return sys_debug_write(t, f);
	case RIFT_SYS_SET_UPCALL:
		return sys_set_upcall(t, f);
	case RIFT_SYS_YIELD:
		t->slice = 0;
		return RIFT_KOK;
	case RIFT_SYS_EXIT:
		return sys_exit(t, f);
	case RIFT_SYS_CALL:
		return sys_send(t, f, IPC_FLAG_CALL, true);
	case RIFT_SYS_SEND:
		return sys_send(t, f, 0, true);
	case RIFT_SYS_NBSEND:
		return sys_send(t, f, 0, false);
	case RIFT_SYS_RECV:
		return sys_recv(t, f, true);
	case RIFT_SYS_NBRECV:
		return sys_recv(t, f, false);
	case RIFT_SYS_REPLY:
		return info_ok(f->x[2]) ? ipc_reply(t) : RIFT_KEINVAL;
	case RIFT_SYS_REPLY_RECV:
		return sys_reply_recv(t, f);
	case RIFT_SYS_SIGNAL:
	case RIFT_SYS_WAIT:
	case RIFT_SYS_POLL:
		return sys_notification(t, f, nr);
	case RIFT_SYS_CAP_INFO:
		return sys_cap_info(t, f);
	case RIFT_SYS_CAP_COPY:
		return sys_cap_copy(t, f);
	case RIFT_SYS_CAP_DELETE:
		return sys_cap_delete(t, f, false);
	case RIFT_SYS_CAP_REVOKE:
		return sys_cap_delete(t, f, true);
	case RIFT_SYS_FRAME_ALLOC:
		return sys_frame_alloc(t, f);
	case RIFT_SYS_MAP:
		return sys_map(t, f);
	case RIFT_SYS_UNMAP:
		return sys_unmap(t, f);
	case RIFT_SYS_ENDPOINT_CREATE:
	case RIFT_SYS_NOTIFICATION_CREATE:
		return sys_ipc_object(t, f, nr);
	case RIFT_SYS_DOMAIN_CREATE:
		return sys_domain_create(t, f);
	case RIFT_SYS_DOMAIN_DESTROY:
		return sys_domain_destroy(t, f);
	case RIFT_SYS_DOMAIN_SET_FAULT:
		return sys_domain_set_fault(t, f);
	case RIFT_SYS_THREAD_CREATE:
		return sys_thread_create(t, f);
	case RIFT_SYS_THREAD_START:
		return sys_thread_start(t, f);
	case RIFT_SYS_THREAD_SET_IPCBUF:
		return sys_thread_set_ipcbuf(t, f);
	case RIFT_SYS_DEVICE_FRAME:
		return sys_device_frame(t, f);
	case RIFT_SYS_CAP_CARVE:
		return sys_cap_carve(t, f);
	case RIFT_SYS_DMA_PIN:
		return sys_dma_pin(t, f);
	case RIFT_SYS_IRQ_BIND:
		return sys_irq_bind(t, f);
	case RIFT_SYS_IRQ_ACK:
		return sys_irq_ack(t, f);
	case RIFT_SYS_TICK_BIND:
		return sys_tick_bind(t, f);
	case RIFT_SYS_KLOG_ATTACH:
		return sys_klog_attach(t, f);
	case RIFT_SYS_MEMINFO:
		return sys_meminfo(t, f);
	case RIFT_SYS_DOMAIN_INFO:
		f->x[1] = t->dom->id;
		f->x[2] = t->dom->cspace_slots;
		f->x[3] = t->dom->max_prio;
		return RIFT_KOK;
	case RIFT_SYS_GUEST_INIT:
		return sys_guest_init(t, f);
	case RIFT_SYS_VCPU_CREATE:
	case RIFT_SYS_VCPU_RESUME:
	case RIFT_SYS_VCPU_STOP:
	case RIFT_SYS_VCPU_READ:
	case RIFT_SYS_VCPU_WRITE:
	case RIFT_SYS_VCPU_IRQ:
		return sys_vcpu(t, f, nr);
#ifdef RIFT_DEBUG
	case RIFT_SYS_DEBUG_RECURSE:
		return (int)debug_recurse(ARG(0));
#endif
	default:
		return RIFT_KENOSYS;
	}
}

void syscall_dispatch(struct thread *t, struct trap_frame *f, uint32_t nr)
{
	int ret;

	if (nr == RIFT_SYS_LINUX) {
		sys_linux(t, f);
		return;
	}
	if (nr == RIFT_SYS_UPCALL_RETURN) {
		ret = sys_upcall_return(t, f);
		if (ret) {
			f->x[0] = (uint64_t)(int64_t)ret;
		}
		return;
	}
	ret = syscall_invoke(t, f, nr);
	if (ret == RIFT_KPREEMPT) {
		/* Long work stopped at a preemption point: take the
		 * interrupt on the way out, then run the call again; it
		 * resumes from the progress kept in the objects. */
		arch_syscall_restart(f);
		return;
	}
	/* Blocking calls leave x0 to whoever wakes the thread. */
	if (t->state == TS_RUNNABLE || ret != RIFT_KOK) {
		f->x[0] = (uint64_t)(int64_t)ret;
	}
}
