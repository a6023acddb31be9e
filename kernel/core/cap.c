/* SPDX-License-Identifier: MIT */
/*
 * Capability slots, derivation and deletion. See rift/object.h for the
 * model. Nothing here recurses: revoking unlinks one copy per step, and
 * only an original owns an object, so deleting copies never destroys
 * anything. Every loop stops at a preemption point when an interrupt is
 * pending and is resumed by the restarted system call.
 */
#include <rift/arch.h>
#include <rift/check.h>
#include <rift/irq.h>
#include <rift/kmem.h>
#include <rift/object.h>
#include <rift/printk.h>
#include <rift/vcpu.h>
#include <string.h>

struct cap *cap_lookup(struct domain *d, uint64_t cptr)
{
	struct cap *c;

	if (cptr == 0 || cptr >= d->cspace_slots) {
		return NULL;
	}
	c = &d->cspace[cptr];
	return c->type == RIFT_CAP_NULL ? NULL : c;
}

/**
 * An empty slot of @d, ready to be filled. Slots of a new cspace are all
 * zero (no per-slot set-up pass): the slot learns its holder here.
 */
struct cap *cap_slot_empty(struct domain *d, uint64_t cptr, int *err)
{
	struct cap *c;

	if (cptr == 0 || cptr >= d->cspace_slots) {
		*err = RIFT_KECAP;
		return NULL;
	}
	c = &d->cspace[cptr];
	if (c->type != RIFT_CAP_NULL) {
		*err = RIFT_KEFULL;
		return NULL;
	}
	c->holder = HOLDER_SLOT;
	c->holder_obj = d;
	return c;
}

struct domain *domain_of_slot(struct cap *c)
{
	return c->holder == HOLDER_SLOT ? c->holder_obj : NULL;
}

/** Preemption points can be switched off (rift.preempt=off) so that the
 * latency test can show what they buy. */
bool preempt_enabled = true;

bool preempt_pending(void)
{
	return preempt_enabled && arch_irq_pending();
}

void cap_make_original(struct cap *slot, uint8_t type, void *obj, paddr_t pa,
		       uint64_t size, uint8_t rights, uint64_t badge)
{
	void *owner = slot->holder_obj;

	CHECK(slot->type == RIFT_CAP_NULL);
	memset(slot, 0, sizeof(*slot));
	slot->type = type;
	slot->rights = rights;
	slot->original = 1;
	slot->badge = badge;
	slot->obj = obj;
	slot->pa = pa;
	slot->size = size;
	slot->orig = slot;
	slot->holder = HOLDER_SLOT;
	slot->holder_obj = owner;
}

static bool cap_badgeable(const struct cap *c)
{
	return c->type == RIFT_CAP_ENDPOINT_T ||
	       c->type == RIFT_CAP_NOTIFICATION_T;
}

/** Does @c name an object that is being destroyed? */
static bool cap_obj_dying(const struct cap *c)
{
	const struct kobj *o = c->obj;

	return o && o->dying;
}

/**
 * Could @src give a copy (with @badge)? The checks of cap_derive() that
 * depend on the source alone, so that a caller can know before it empties
 * the slot the copy is for.
 */
int cap_derive_check(const struct cap *src, uint64_t badge)
{
	if (src->type == RIFT_CAP_NULL || src->type == RIFT_CAP_FRAME_PENDING ||
	    src->type == RIFT_CAP_DMA_PIN) {
		return RIFT_KETYPE; /* a pin is its holder's alone: no copies */
	}
	if (cap_obj_dying(src)) {
		return RIFT_KEGONE;
	}
	if (src->revoking) {
		/* Its revoke stopped at a preemption point: a new child
		 * would sit between @src and the descendants still to be
		 * deleted and look like their parent. */
		return RIFT_KEBUSY;
	}
	if (badge && (!cap_badgeable(src) || src->badge)) {
		return RIFT_KEINVAL; /* only unbadged IPC caps can be badged */
	}
	if (src->depth == UINT32_MAX) {
		return RIFT_KELIMIT;
	}
	return RIFT_KOK;
}

/**
 * Insert into @dst a copy of @src with rights masked and an optional badge,
 * right after @src in the chain (so it is @src's child). Refused for an
 * empty or pending source and for an object being destroyed, so nothing
 * new can reach an object once its teardown has begun.
 */
int cap_derive(struct cap *src, struct cap *dst, uint8_t rights_mask,
	       uint64_t badge, uint8_t holder, void *holder_obj)
{
	int err = cap_derive_check(src, badge);

	CHECK_KERNEL_LOCK_HELD();
	if (err) {
		return err;
	}
	if (dst->type != RIFT_CAP_NULL) {
		return RIFT_KEFULL;
	}
	*dst = *src;
	dst->rights = src->rights & rights_mask;
	dst->badge = badge ? badge : src->badge;
	dst->original = 0;
	dst->depth = src->depth + 1;
	dst->map_dom = NULL;
	dst->map_va = 0;
	dst->maps_w = 0;
	dst->maps_x = 0;
	dst->revoking = 0;
	dst->holder = holder;
	dst->holder_obj = holder_obj;
	dst->dprev = src;
	dst->dnext = src->dnext;
	if (src->dnext) {
		src->dnext->dprev = dst;
	}
	src->dnext = dst;
	return RIFT_KOK;
}

void cap_empty(struct cap *c)
{
	uint8_t holder = c->holder;
	void *owner = c->holder_obj;

	if (c->map_dom) {
		domain_unmap_frame(c);
	}
	if (c->holder == HOLDER_IPCBUF && c->type == RIFT_CAP_FRAME_T) {
		CHECK(c->orig->maps_w > 0);
		c->orig->maps_w--; /* the kernel's writable use of it ends */
	}
	if (c->dprev) {
		c->dprev->dnext = c->dnext;
	}
	if (c->dnext) {
		c->dnext->dprev = c->dprev;
	}
	/* Empty, but the holder stays: the slot still belongs to its domain
	 * (or the kernel object holding it). */
	memset(c, 0, sizeof(*c));
	c->holder = holder;
	c->holder_obj = owner;
}

static bool cap_has_child(const struct cap *c)
{
	return c->dnext && c->dnext->depth > c->depth;
}

void cap_drop(struct cap *c)
{
	if (c->type == RIFT_CAP_NULL) {
		return;
	}
	CHECK(!c->original && !cap_has_child(c));
	cap_empty(c);
}

/**
 * Bound: one step per copy derived from @c, each O(1) (at most one TLB
 * invalidation by ASID); a preemption point after every step. Copies go in
 * chain order, so a preempted revoke can leave grandchildren right after
 * @c; until it finishes @c is marked revoking and gives no new copies,
 * so the remaining descendants stay @c's alone. Copies made meanwhile from
 * those descendants land inside the subtree and are deleted too: the work
 * is bounded by the capability slots of the subtree's holders, and every
 * step is preemptible. Only @c's own holder is held up by an unfinished
 * revoke (it cannot copy @c), never the object's other holders.
 */
int cap_revoke(struct cap *c)
{
	CHECK_KERNEL_LOCK_HELD();
	while (cap_has_child(c)) {
		struct cap *child = c->dnext;

		CHECK(!child->original);
		cap_empty(child);
		if (cap_has_child(c) && preempt_pending()) {
			c->revoking = 1;
			return RIFT_KPREEMPT;
		}
	}
	c->revoking = 0;
	return RIFT_KOK;
}

static uint32_t frame_order(const struct cap *c)
{
	return (uint32_t)__builtin_ctzll(c->size >> 12);
}

/** Destroy the object of original @c (its copies are gone) and empty @c. */
static int cap_destroy_object(struct cap *c)
{
	int err = RIFT_KOK;

	switch (c->type) {
	case RIFT_CAP_DOMAIN:
		return domain_destroy(c); /* empties @c when done */
	case RIFT_CAP_THREAD:
		thread_destroy(c->obj);
		break;
	case RIFT_CAP_ENDPOINT_T:
		err = endpoint_destroy(c->obj);
		break;
	case RIFT_CAP_NOTIFICATION_T:
		err = notification_destroy(c->obj);
		break;
	case RIFT_CAP_FRAME_T:
	case RIFT_CAP_FRAME_PENDING:
		if (c->map_dom) {
			domain_unmap_frame(c);
		}
		if (!(c->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
			CHECK(c->maps_w == 0 && c->maps_x == 0);
			frame_free_pages(domain_of_slot(c), c->pa,
					 frame_order(c));
		}
		break;
	case RIFT_CAP_IRQ_HANDLER:
		irq_handler_destroy(c->obj);
		break;
	case RIFT_CAP_VCPU:
		vcpu_destroy(c->obj);
		break;
	case RIFT_CAP_DMA_PIN:
		/* The frame's memory returns here if its owner freed it. */
		CHECK(pmm_unpin(&kmem_pmm, c->pa, frame_order(c)) == PMM_OK);
		quota_uncharge(domain_of_slot(c), 1ull << frame_order(c));
		break;
	default:
		break; /* boot-time authority (device, irq control): no memory */
	}
	if (err == RIFT_KOK) {
		cap_empty(c);
	}
	return err;
}

int cap_delete(struct cap *c)
{
	int err;

	CHECK_KERNEL_LOCK_HELD();
	if (c->type == RIFT_CAP_NULL) {
		return RIFT_KOK;
	}
	err = cap_revoke(c);
	if (err) {
		return err;
	}
	if (!c->original) {
		cap_empty(c);
		return RIFT_KOK;
	}
	return cap_destroy_object(c);
}
