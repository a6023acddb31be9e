/* SPDX-License-Identifier: MIT */
/*
 * Interrupts delivered to user level. An IRQ handler object binds one SPI to
 * a notification (the kernel holds a derived capability to it). When the
 * interrupt fires, the kernel masks it, signals the notification with that
 * capability's badge and completes it at the controller; the holder
 * unmasks it with RIFT_SYS_IRQ_ACK once it has serviced the device. Masking
 * until acknowledged is right for level and edge interrupts alike (an edge
 * that arrives while masked stays pending in the controller) and makes an
 * interrupt storm from a misbehaving device cost one delivery per ack.
 */
#include <rift/arch.h>
#include <rift/bootinfo.h>
#include <rift/ipc.h>
#include <rift/irq.h>
#include <rift/printk.h>
#include <rift/syscall.h>

#define SPI_FIRST 32
#define SPI_LAST 1019

struct irq_handler {
	struct kobj hdr;
	uint32_t intid;
	uint8_t trigger;
	uint8_t unbound; /**< its authority was revoked: the line is free */
	uint64_t count;
	struct cap notif; /**< kernel-held copy of the notification */
	/** Kernel-held copy of the IRQ_CONTROL capability it was bound
	 * with: revoking that capability unbinds the line. */
	struct cap ctl;
};

static struct irq_handler *irq_owner[IRQ_MAX];

/** Still bound: the authority it was bound with has not been revoked. */
static bool irq_bound(const struct irq_handler *h)
{
	return !h->unbound && h->ctl.type == RIFT_CAP_IRQ_CONTROL;
}

/** Free @h's line after its IRQ_CONTROL was revoked; @h lives on, inert. */
static void irq_unbind(struct irq_handler *h)
{
	irqc_disable(h->intid);
	irq_unregister_user(h->intid);
	irq_owner[h->intid] = NULL;
	h->unbound = 1;
}

/** Kernel-side interrupt handler for user-bound interrupts. */
static void irq_to_user(uint32_t intid)
{
	struct irq_handler *h = irq_owner[intid];

	irqc_disable(intid);
	if (!h || !irq_bound(h) || h->notif.type != RIFT_CAP_NOTIFICATION_T) {
		irq_unhandled_count++;
		return;
	}
	h->count++;
	notification_signal(h->notif.obj, h->notif.badge ? h->notif.badge : 1);
}

int sys_irq_bind(struct thread *t, struct trap_frame *f)
{
	struct cap *ctl = cap_lookup(t->dom, f->x[0]);
	struct cap *n = cap_lookup(t->dom, f->x[3]);
	uint32_t intid = (uint32_t)f->x[1];
	struct irq_handler *h;
	struct cap *slot;
	int err;

	if (!ctl || ctl->type != RIFT_CAP_IRQ_CONTROL || !n ||
	    n->type != RIFT_CAP_NOTIFICATION_T) {
		return !ctl || !n ? RIFT_KECAP : RIFT_KETYPE;
	}
	if (!(n->rights & RIFT_RIGHT_WRITE) ||
	    !(ctl->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS;
	}
	if (n->obj && ((struct kobj *)n->obj)->dying) {
		return RIFT_KEGONE;
	}
	if (f->x[1] < SPI_FIRST || f->x[1] > SPI_LAST || f->x[4] > 1) {
		return RIFT_KEINVAL;
	}
	/* Only interrupts inside the control capability's range (carved
	 * by the supervisor: RIFT_SYS_CAP_CARVE). */
	if (f->x[1] < ctl->pa || f->x[1] >= ctl->pa + ctl->size) {
		return RIFT_KERANGE;
	}
	if (irq_owner[intid] && !irq_bound(irq_owner[intid])) {
		irq_unbind(irq_owner[intid]); /* its authority was revoked */
	}
	if (irq_owner[intid] || irq_is_kernel(intid)) {
		return RIFT_KEBUSY;
	}
	slot = cap_slot_empty(t->dom, f->x[2], &err);
	if (!slot) {
		return err;
	}
	err = kobj_alloc(t->dom, RIFT_CAP_IRQ_HANDLER, 0, (void **)&h);
	if (err) {
		return err;
	}
	h->intid = intid;
	h->trigger = (uint8_t)f->x[4];
	h->notif.holder = HOLDER_IRQ_NOTIF;
	h->notif.holder_obj = h;
	h->ctl.holder = HOLDER_IRQ_CTL;
	h->ctl.holder_obj = h;
	err = cap_derive(n, &h->notif, RIFT_RIGHT_WRITE, 0, HOLDER_IRQ_NOTIF, h);
	if (!err) {
		err = cap_derive(ctl, &h->ctl, RIFT_RIGHT_READ, 0,
				 HOLDER_IRQ_CTL, h);
	}
	if (err) {
		cap_drop(&h->notif);
		kobj_free(&h->hdr);
		return err;
	}
	cap_make_original(slot, RIFT_CAP_IRQ_HANDLER, h, 0, 0, RIFT_RIGHTS_ALL,
			  0);
	irq_owner[intid] = h;
	irq_register_user(intid, irq_to_user,
			  h->trigger ? IRQ_EDGE : IRQ_LEVEL);
	return RIFT_KOK;
}

int sys_irq_ack(struct thread *t, struct trap_frame *f)
{
	struct cap *c = cap_lookup(t->dom, f->x[0]);
	struct irq_handler *h;

	if (!c) {
		return RIFT_KECAP;
	}
	if (c->type != RIFT_CAP_IRQ_HANDLER) {
		return RIFT_KETYPE;
	}
	if (!(c->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS; /* unmasking a line changes the device's state */
	}
	h = c->obj;
	if (!irq_bound(h)) {
		return RIFT_KEGONE; /* its IRQ_CONTROL was revoked */
	}
	irqc_enable(h->intid, h->trigger ? IRQ_EDGE : IRQ_LEVEL);
	f->x[1] = h->count;
	return RIFT_KOK;
}

void irq_handler_destroy(void *obj)
{
	struct irq_handler *h = obj;

	if (!h->unbound) {
		irq_unbind(h);
	}
	cap_drop(&h->notif);
	cap_drop(&h->ctl);
	kobj_free(&h->hdr);
}

/*
 * Tick notifications: the kernel's own timer interrupt, signalled to up to
 * TICK_SUBSCRIBERS notifications each tick (a periodic heartbeat for user
 * level, e.g. the latency test's measuring thread). Binding one needs an
 * IRQ_CONTROL capability whose range includes the timer's INTID, so only
 * what the supervisor grants it; the kernel holds a copy of each
 * notification, dropped when the notification goes. The per-tick work is
 * bounded by TICK_SUBSCRIBERS.
 */
#define TICK_SUBSCRIBERS 4

static struct cap tick_notif[TICK_SUBSCRIBERS];
static struct cap tick_ctl[TICK_SUBSCRIBERS]; /**< the authority, revocable */

/** A subscription whose notification or authority is gone is free. */
static bool tick_live(uint32_t i)
{
	if (tick_notif[i].type == RIFT_CAP_NOTIFICATION_T &&
	    tick_ctl[i].type == RIFT_CAP_IRQ_CONTROL) {
		return true;
	}
	cap_drop(&tick_notif[i]);
	cap_drop(&tick_ctl[i]);
	return false;
}

int sys_tick_bind(struct thread *t, struct trap_frame *f)
{
	struct cap *ctl = cap_lookup(t->dom, f->x[0]);
	struct cap *n = cap_lookup(t->dom, f->x[1]);
	uint32_t intid = arch_timer_intid();

	if (!ctl || !n) {
		return RIFT_KECAP;
	}
	if (ctl->type != RIFT_CAP_IRQ_CONTROL ||
	    n->type != RIFT_CAP_NOTIFICATION_T) {
		return RIFT_KETYPE;
	}
	if (!(ctl->rights & RIFT_RIGHT_WRITE) ||
	    !(n->rights & RIFT_RIGHT_WRITE)) {
		return RIFT_KERIGHTS;
	}
	if (intid < ctl->pa || intid >= ctl->pa + ctl->size) {
		return RIFT_KERANGE;
	}
	for (uint32_t i = 0; i < TICK_SUBSCRIBERS; i++) {
		int err;

		if (tick_live(i)) {
			continue;
		}
		err = cap_derive(n, &tick_notif[i], RIFT_RIGHT_WRITE, 0,
				 HOLDER_TICK_NOTIF, NULL);
		if (!err) {
			err = cap_derive(ctl, &tick_ctl[i], RIFT_RIGHT_READ, 0,
					 HOLDER_TICK_NOTIF, NULL);
		}
		if (err) {
			cap_drop(&tick_notif[i]);
		}
		return err;
	}
	return RIFT_KEBUSY;
}

void irq_tick_notify(void)
{
	for (uint32_t i = 0; i < TICK_SUBSCRIBERS; i++) {
		struct cap *c = &tick_notif[i];

		if (c->type == RIFT_CAP_NOTIFICATION_T &&
		    tick_ctl[i].type == RIFT_CAP_IRQ_CONTROL) {
			notification_signal(c->obj, c->badge ? c->badge : 1);
		}
	}
}

bool kernel_device_frame_ok(paddr_t pa, uint64_t size)
{
	if (pa + size < pa || pa + size > (1ull << 48)) {
		return false;
	}
	for (uint32_t i = 0; i < boot_info.mem_count; i++) {
		const struct boot_region *r = &boot_info.mem[i];
		/* RAM ranges were rounded inward to pages: a partial page at
		 * either edge is still RAM, so keep a page's margin. */
		uint64_t lo = r->base > 4096 ? r->base - 4096 : 0;
		uint64_t hi = r->base + r->size + 4096;

		if (pa < hi && lo < pa + size) {
			return false;
		}
	}
	return !irq_controller_overlaps(pa, size);
}
