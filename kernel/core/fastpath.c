/* SPDX-License-Identifier: MIT */
/*
 * IPC fast path: call and reply_recv between threads on one CPU when the
 * message fits in registers (up to 5 words), carries no capabilities, and
 * the thread woken is more important than anything queued. Then the
 * kernel copies the message registers and switches straight to the other
 * thread, without touching run queues. Anything else returns NULL and
 * takes the general path (syscall.c / ipc.c).
 *
 * The result is exactly the general path's: there the woken thread joins
 * the tail of its level and the highest level runs, so a thread woken at
 * a level where others already wait runs after them. Hence "more
 * important than anything queued", never "as important": with equal
 * priority a client flooding a server would otherwise be switched back to
 * ahead of every thread waiting at its level, and starve them.
 */
#include <rift/cpu.h>
#include <rift/fastpath.h>
#include <rift/sched.h>
#include <rift/vcpu.h>

/* words 0..5, no capabilities, any tail pad */
#define FAST_INFO_OK(info) \
	(((info) & ~(RIFT_INFO_MASK & ~0x7f8ull)) == 0 && \
	 RIFT_INFO_WORDS(info) <= RIFT_MSG_REG_WORDS)

static inline struct cap *fast_cap(struct domain *d, uint64_t cptr,
				   uint8_t right)
{
	struct cap *c;

	if (unlikely(cptr == 0 || cptr >= d->cspace_slots)) {
		return NULL;
	}
	c = &d->cspace[cptr];
	if (unlikely(c->type != RIFT_CAP_ENDPOINT_T || !(c->rights & right) ||
		     ((struct endpoint *)c->obj)->hdr.dying)) {
		return NULL;
	}
	return c;
}

/** Copy the message's words; registers beyond its length read as zero. */
static inline void fast_copy(const struct trap_frame *s, struct trap_frame *d,
			     uint64_t badge)
{
	uint32_t words = RIFT_INFO_WORDS(s->x[2]); /* <= 5 here */

	d->x[0] = 0;
	d->x[1] = s->x[1];
	d->x[2] = s->x[2];
	d->x[3] = words > 0 ? s->x[3] : 0;
	d->x[4] = words > 1 ? s->x[4] : 0;
	d->x[5] = words > 2 ? s->x[5] : 0;
	d->x[6] = words > 3 ? s->x[6] : 0;
	d->x[7] = words > 4 ? s->x[7] : 0;
	d->x[8] = badge;
}

struct trap_frame *fastpath_call(struct thread *t, struct trap_frame *f)
{
	struct cap *c = fast_cap(t->dom, f->x[0], RIFT_RIGHT_WRITE);
	struct endpoint *ep;
	struct thread *r;

	if (!c || !FAST_INFO_OK(f->x[2])) {
		return NULL;
	}
	ep = c->obj;
	r = list_first(&ep->receivers, struct thread, qlink);
	if (!r || r->cpu != t->cpu || !sched_fast_ok(r->prio)) {
		return NULL;
	}
	list_del(&r->qlink);
	r->blocked_on = NULL;
	fast_copy(f, &r->ctx, c->badge);
	t->reply_grant = (c->rights & RIFT_RIGHT_GRANT_REPLY) != 0;
	t->state = TS_BLOCKED_REPLY;
	t->replier = r;
	r->reply_to = t;
	r->state = TS_RUNNABLE;
	sched_fast_switch(t, r);
	return &r->ctx;
}

/**
 * A VMM answers a vCPU's exit with RIFT_VCPU_DONE and waits for the next:
 * complete the exit and switch straight into the guest.
 */
static struct trap_frame *
fastpath_vcpu_resume(struct thread *t, struct trap_frame *f,
		     struct thread *caller, struct endpoint *ep)
{
	if (f->x[1] != RIFT_VCPU_DONE) {
		return NULL; /* retry, undefined, stop: the general path */
	}
	vcpu_complete(caller->vcpu, f);
	t->reply_to = NULL;
	caller->replier = NULL;
	caller->state = TS_RUNNABLE;
	t->state = TS_BLOCKED_RECV;
	t->blocked_on = ep;
	list_add_tail(&ep->receivers, &t->qlink);
	sched_fast_switch_vcpu(t, caller);
	return &caller->ctx;
}

struct trap_frame *fastpath_vcpu_exit(struct thread *t, struct vcpu *v)
{
	struct endpoint *ep;
	struct thread *r;

	if (v->exit_ep.type != RIFT_CAP_ENDPOINT_T) {
		return NULL;
	}
	ep = v->exit_ep.obj;
	r = list_first(&ep->receivers, struct thread, qlink);
	if (ep->hdr.dying || !r || r->cpu != t->cpu ||
	    !sched_fast_ok(r->prio)) {
		return NULL;
	}
	list_del(&r->qlink);
	r->blocked_on = NULL;
	v->exits++;
	v->in_exit = 1;
	vcpu_exit_message(t, r, v->exit_ep.badge);
	t->reply_grant = 0;
	t->state = TS_BLOCKED_REPLY;
	t->replier = r;
	r->reply_to = t;
	r->state = TS_RUNNABLE;
	sched_fast_switch_from_vcpu(t, r);
	return &r->ctx;
}

struct trap_frame *fastpath_reply_recv(struct thread *t, struct trap_frame *f)
{
	struct thread *caller = t->reply_to;
	struct cap *c = fast_cap(t->dom, f->x[0], RIFT_RIGHT_READ);
	struct endpoint *ep;

	if (!caller || !c || !FAST_INFO_OK(f->x[2])) {
		return NULL;
	}
	ep = c->obj;
	if (!list_empty(&ep->senders) || caller->cpu != t->cpu ||
	    !sched_fast_ok(caller->prio)) {
		return NULL;
	}
	if (unlikely(caller->vcpu)) {
		return fastpath_vcpu_resume(t, f, caller, ep);
	}
	fast_copy(f, &caller->ctx, 0);
	t->reply_to = NULL;
	caller->replier = NULL;
	caller->state = TS_RUNNABLE;
	t->state = TS_BLOCKED_RECV;
	t->blocked_on = ep;
	list_add_tail(&ep->receivers, &t->qlink);
	sched_fast_switch(t, caller);
	return &caller->ctx;
}
