/* SPDX-License-Identifier: MIT */
/* Endpoints, notifications and message transfer. */
#include <rift/ipc.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/vcpu.h>
#include <string.h>

int endpoint_create(struct domain *d, struct endpoint **out)
{
	int err = kobj_alloc(d, RIFT_CAP_ENDPOINT_T, 0, (void **)out);

	if (!err) {
		list_init(&(*out)->senders);
		list_init(&(*out)->receivers);
	}
	return err;
}

int notification_create(struct domain *d, struct notification **out)
{
	int err = kobj_alloc(d, RIFT_CAP_NOTIFICATION_T, 0, (void **)out);

	if (!err) {
		list_init(&(*out)->waiters);
	}
	return err;
}

/** Wake the first thread of @q with @err; false if @q was empty. */
static bool wake_one(struct list *q, int err)
{
	struct thread *t = list_first(q, struct thread, qlink);

	if (!t) {
		return false;
	}
	list_del(&t->qlink);
	if (t->state == TS_BLOCKED_SEND && (t->ipc_call & IPC_FLAG_FAULT)) {
		t->blocked_on = NULL;
		t->state = TS_FAULTED; /* nobody will hear of it */
	} else {
		thread_wake_error(t, err);
	}
	return true;
}

/**
 * Fail every thread waiting in @q, one per step. Bound: the threads that
 * were queued (the object is dying, so none can join).
 */
static int wake_all(struct list *q, int err)
{
	while (wake_one(q, err)) {
		if (!list_empty(q) && preempt_pending()) {
			return RIFT_KPREEMPT;
		}
	}
	return RIFT_KOK;
}

int endpoint_destroy(struct endpoint *ep)
{
	int err;

	ep->hdr.dying = 1;
	err = wake_all(&ep->senders, RIFT_KEGONE);
	if (!err) {
		err = wake_all(&ep->receivers, RIFT_KEGONE);
	}
	if (!err) {
		kobj_free(&ep->hdr);
	}
	return err;
}

int notification_destroy(struct notification *n)
{
	int err;

	n->hdr.dying = 1;
	err = wake_all(&n->waiters, RIFT_KEGONE);
	if (!err) {
		kobj_free(&n->hdr);
	}
	return err;
}

/**
 * Copy (derive) the capabilities named in @src's IPC buffer into @dst's
 * receive slots; the sender keeps its own. Received capabilities fill
 * recv_slots[0..n) in order (n is returned); one that cannot be
 * transferred (bad source, unusable receive slot) is skipped.
 */
static uint32_t ipc_transfer_caps(struct thread *src, struct thread *dst,
				  uint32_t count)
{
	struct rift_ipcbuf *sb = thread_ipcbuf(src);
	struct rift_ipcbuf *db = thread_ipcbuf(dst);
	uint32_t moved = 0;

	if (!sb || !db) {
		return 0;
	}
	for (uint32_t i = 0; i < RIFT_IPC_CAPS; i++) {
		db->recv_types[i] = RIFT_CAP_NULL;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct cap *from = cap_lookup(src->dom, sb->send_caps[i]);
		int err;
		struct cap *to = cap_slot_empty(dst->dom, db->recv_slots[moved],
						&err);

		if (!from || !to ||
		    cap_derive(from, to, RIFT_RIGHTS_ALL, 0, HOLDER_SLOT,
			       dst->dom) != RIFT_KOK) {
			continue;
		}
		db->recv_types[moved++] = to->type;
	}
	return moved;
}

static void ipc_transfer_fault(struct thread *src, struct thread *dst,
			       uint64_t badge)
{
	struct trap_frame *d = &dst->ctx;

	d->x[0] = 0;
	d->x[1] = RIFT_FAULT_LABEL;
	d->x[2] = RIFT_INFO(5, 0);
	d->x[3] = src->fault.kind;
	d->x[4] = src->fault.addr;
	d->x[5] = src->fault.pc;
	d->x[6] = src->fault.syndrome;
	d->x[7] = src->dom->id;
	d->x[8] = badge;
}

/** Copy @src's message (its registers and IPC buffer) to @dst. */
static void ipc_transfer(struct thread *src, struct thread *dst,
			 uint64_t badge, uint32_t flags)
{
	const struct trap_frame *s = &src->ctx;
	struct trap_frame *d = &dst->ctx;
	uint32_t words = MIN(RIFT_INFO_WORDS(s->x[2]), RIFT_IPC_WORDS);
	uint32_t caps = MIN(RIFT_INFO_CAPS(s->x[2]), RIFT_IPC_CAPS);

	if (flags & IPC_FLAG_FAULT) {
		ipc_transfer_fault(src, dst, badge);
		return;
	}
	if (flags & IPC_FLAG_VCPU) {
		vcpu_transfer_exit(src, dst, badge);
		return;
	}
	d->x[1] = s->x[1];
	/* Only the words the message has: a short message never carries the
	 * sender's other registers along. */
	for (uint32_t i = 0; i < RIFT_MSG_REG_WORDS; i++) {
		d->x[3 + i] = i < words ? s->x[3 + i] : 0;
	}
	if (words > RIFT_MSG_REG_WORDS) {
		struct rift_ipcbuf *sb = thread_ipcbuf(src);
		struct rift_ipcbuf *db = thread_ipcbuf(dst);

		if (sb && db) {
			memcpy(&db->mr[RIFT_MSG_REG_WORDS],
			       &sb->mr[RIFT_MSG_REG_WORDS],
			       (words - RIFT_MSG_REG_WORDS) * 8);
		} else {
			words = RIFT_MSG_REG_WORDS;
		}
	}
	if (caps && (flags & IPC_FLAG_GRANT)) {
		caps = ipc_transfer_caps(src, dst, caps);
	} else {
		caps = 0;
	}
	d->x[0] = 0;
	d->x[2] = RIFT_INFO_WITH_PAD(RIFT_INFO(words, caps),
				     RIFT_INFO_PAD(s->x[2]));
	d->x[8] = badge;
}

/** A message from @src reached @dst: settle the sender's state. */
static void ipc_delivered(struct thread *src, struct thread *dst,
			  uint32_t flags)
{
	if (flags & IPC_FLAG_FAULT) {
		src->state = TS_FAULTED;
	} else if (flags & IPC_FLAG_CALL) {
		/* A reply may carry capabilities only if the caller's
		 * endpoint capability had the grant-reply right. */
		src->reply_grant = (flags & IPC_FLAG_GRANT_REPLY) != 0;
		src->state = TS_BLOCKED_REPLY;
		src->replier = dst;
		dst->reply_to = src;
	} else {
		src->ctx.x[0] = 0;
		sched_make_runnable(src);
	}
}

static void ipc_block(struct thread *t, struct list *q, void *obj,
		      uint8_t state)
{
	sched_remove(t);
	t->state = state;
	t->blocked_on = obj;
	list_add_tail(q, &t->qlink);
}

int ipc_send(struct thread *t, struct endpoint *ep, uint64_t badge,
	     uint32_t flags, bool block)
{
	struct thread *r = list_first(&ep->receivers, struct thread, qlink);

	if (!r) {
		if (!block) {
			return RIFT_KEAGAIN;
		}
		t->ipc_badge = badge;
		t->ipc_call = (uint8_t)flags;
		ipc_block(t, &ep->senders, ep, TS_BLOCKED_SEND);
		return RIFT_KOK;
	}
	list_del(&r->qlink);
	r->blocked_on = NULL;
	ipc_transfer(t, r, badge, flags);
	sched_make_runnable(r);
	ipc_delivered(t, r, flags);
	return RIFT_KOK;
}

int ipc_recv(struct thread *t, struct endpoint *ep, bool block)
{
	struct thread *s = list_first(&ep->senders, struct thread, qlink);
	uint32_t flags;

	if (!s) {
		if (!block) {
			return RIFT_KEAGAIN;
		}
		ipc_block(t, &ep->receivers, ep, TS_BLOCKED_RECV);
		return RIFT_KOK;
	}
	list_del(&s->qlink);
	s->blocked_on = NULL;
	flags = s->ipc_call;
	ipc_transfer(s, t, s->ipc_badge, flags);
	ipc_delivered(s, t, flags);
	return RIFT_KOK;
}

int ipc_reply(struct thread *t)
{
	struct thread *caller = t->reply_to;

	if (!caller) {
		return RIFT_KEINVAL;
	}
	t->reply_to = NULL;
	caller->replier = NULL;
	if (caller->vcpu) {
		vcpu_reply(t, caller); /* completes the guest's exit */
		return RIFT_KOK;
	}
	ipc_transfer(t, caller, 0, caller->reply_grant ? IPC_FLAG_GRANT : 0);
	sched_make_runnable(caller);
	return RIFT_KOK;
}

void notification_signal(struct notification *n, uint64_t bits)
{
	struct thread *w = list_first(&n->waiters, struct thread, qlink);

	n->word |= bits;
	if (!w) {
		return;
	}
	list_del(&w->qlink);
	w->blocked_on = NULL;
	w->ctx.x[0] = 0;
	w->ctx.x[1] = n->word;
	n->word = 0;
	sched_make_runnable(w);
}

int notification_wait(struct thread *t, struct notification *n, bool block)
{
	if (n->word || !block) {
		t->ctx.x[1] = n->word;
		n->word = 0;
		return RIFT_KOK;
	}
	ipc_block(t, &n->waiters, n, TS_BLOCKED_NOTIF);
	return RIFT_KOK;
}

static const char *fault_name(uint32_t kind)
{
	static const char *const names[] = {
		"none", "data abort", "instruction abort",
		"undefined instruction", "alignment fault",
		"unknown system call", "exit", "other exception",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "?";
}

void ipc_send_fault(struct thread *t)
{
	struct domain *d = t->dom;

	if (d == root_domain) {
		kernel_root_stopped(t); /* reports the fault itself */
	}
	if (t->fault.kind != RIFT_FAULT_EXIT) {
		printk("fault: domain %s thread %u: %s at %lx, pc %lx "
		       "(syndrome %lx)\n",
		       d->name, t->id, fault_name(t->fault.kind),
		       (unsigned long)t->fault.addr,
		       (unsigned long)t->fault.pc,
		       (unsigned long)t->fault.syndrome);
	}
	sched_remove(t);
	if (d->fault_cap.type != RIFT_CAP_ENDPOINT_T) {
		printk("fault: domain %s has no fault handler; thread %u "
		       "stopped\n",
		       d->name, t->id);
		t->state = TS_FAULTED;
		return;
	}
	t->state = TS_FAULTED;
	ipc_send(t, d->fault_cap.obj, d->fault_cap.badge, IPC_FLAG_FAULT,
		 true);
}
