/* SPDX-License-Identifier: MIT */
/*
 * Capability slots, derivation and deletion. See rift/object.h for the
 * model. Deleting a capability deletes everything derived from it first; a
 * deleted original destroys its object.
 */
#include <rift/irq.h>
#include <rift/object.h>
#include <rift/printk.h>
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

struct cap *cap_slot_empty(struct domain *d, uint64_t cptr, int *err)
{
	if (cptr == 0 || cptr >= d->cspace_slots) {
		*err = RIFT_KECAP;
		return NULL;
	}
	if (d->cspace[cptr].type != RIFT_CAP_NULL) {
		*err = RIFT_KEFULL;
		return NULL;
	}
	return &d->cspace[cptr];
}

struct domain *domain_of_slot(struct cap *c)
{
	return c->holder == HOLDER_SLOT ? c->holder_obj : NULL;
}

void cap_make_original(struct cap *slot, uint8_t type, void *obj, paddr_t pa,
		       uint64_t size, uint8_t rights, uint64_t badge)
{
	void *owner = slot->holder_obj;

	memset(slot, 0, sizeof(*slot));
	slot->type = type;
	slot->rights = rights;
	slot->original = 1;
	slot->badge = badge;
	slot->obj = obj;
	slot->pa = pa;
	slot->size = size;
	slot->holder = HOLDER_SLOT;
	slot->holder_obj = owner;
}

static bool cap_badgeable(const struct cap *c)
{
	return c->type == RIFT_CAP_ENDPOINT_T ||
	       c->type == RIFT_CAP_NOTIFICATION_T;
}

int cap_derive(struct cap *src, struct cap *dst, uint8_t rights_mask,
	       uint64_t badge, uint8_t holder, void *holder_obj)
{
	if (dst->type != RIFT_CAP_NULL) {
		return RIFT_KEFULL;
	}
	if (badge && (!cap_badgeable(src) || src->badge)) {
		return RIFT_KEINVAL; /* only unbadged IPC caps can be badged */
	}
	*dst = *src;
	dst->rights = src->rights & rights_mask;
	dst->badge = badge ? badge : src->badge;
	dst->original = 0;
	dst->depth = src->depth + 1;
	dst->map_dom = NULL;
	dst->map_va = 0;
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

struct cap *cap_original_of(struct cap *c)
{
	while (c->dprev) {
		c = c->dprev;
	}
	return c->original ? c : NULL;
}

void cap_revoke(struct cap *c)
{
	while (c->dnext && c->dnext->depth > c->depth) {
		cap_delete(c->dnext);
	}
}

/** Destroy the object of an original whose last capability is going. */
static void cap_destroy_object(struct cap *c)
{
	switch (c->type) {
	case RIFT_CAP_DOMAIN:
		domain_destroy(c->obj);
		break;
	case RIFT_CAP_THREAD:
		thread_destroy(c->obj);
		break;
	case RIFT_CAP_ENDPOINT_T:
		endpoint_destroy(c->obj);
		break;
	case RIFT_CAP_NOTIFICATION_T:
		notification_destroy(c->obj);
		break;
	case RIFT_CAP_FRAME_T:
		if (!(c->badge & (FRAME_DEVICE | FRAME_KERNEL))) {
			frame_free_pages(domain_of_slot(c), c->pa,
					 (uint32_t)__builtin_ctzll(c->size >> 12));
		}
		break;
	case RIFT_CAP_IRQ_HANDLER:
		irq_handler_destroy(c->obj);
		break;
	default:
		break; /* boot-time authority (device, irq control): no memory */
	}
}

void cap_delete(struct cap *c)
{
	struct cap copy;

	if (c->type == RIFT_CAP_NULL) {
		return;
	}
	cap_revoke(c);
	if (c->map_dom) {
		domain_unmap_frame(c);
	}
	if (c->dprev) {
		c->dprev->dnext = c->dnext;
	}
	if (c->dnext) {
		c->dnext->dprev = c->dprev;
	}
	copy = *c;
	/* Empty the slot before destroying: destruction may walk cspaces. */
	c->type = RIFT_CAP_NULL;
	c->obj = NULL;
	c->dnext = NULL;
	c->dprev = NULL;
	c->rights = 0;
	c->badge = 0;
	if (copy.original) {
		cap_destroy_object(&copy);
	}
}
