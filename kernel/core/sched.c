/* SPDX-License-Identifier: MIT */
/* Run queues, thread switching, idling. */
#include <rift/arch.h>
#include <rift/check.h>
#include <rift/cpu.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/spinlock.h>
#include <rift/vcpu.h>

#define PRIO_LEVELS 256

struct runqueue {
	struct spinlock lock; /* taken only by its own CPU until SMP IPC */
	struct list level[PRIO_LEVELS];
	DECLARE_BITMAP(nonempty, PRIO_LEVELS);
	unsigned long summary; /**< bit i: nonempty[i] != 0 */
	struct thread *zombie; /**< destroyed while current: freed after switch */
};

static struct runqueue runqueues[BOOT_MAX_CPUS];
static struct spinlock kernel_lock = SPINLOCK_INIT;
#ifdef RIFT_DEBUG
static uint32_t kernel_lock_cpu = ~0u; /**< holder, for lock-held checks */
#endif

void kernel_lock_acquire(void)
{
	spin_lock(&kernel_lock);
#ifdef RIFT_DEBUG
	kernel_lock_cpu = this_cpu()->id;
#endif
}

void kernel_lock_release(void)
{
#ifdef RIFT_DEBUG
	CHECK(kernel_lock_cpu == this_cpu()->id);
	kernel_lock_cpu = ~0u;
#endif
	spin_unlock(&kernel_lock);
}

/** Debug kernels track the holder; release kernels only know it is taken. */
bool kernel_lock_held(void)
{
#ifdef RIFT_DEBUG
	return kernel_lock_cpu == this_cpu()->id;
#else
	return kernel_lock.next != kernel_lock.owner;
#endif
}

static struct runqueue *rq_of(uint32_t cpu)
{
	return &runqueues[cpu];
}

static void rq_mark(struct runqueue *rq, uint32_t prio, bool on)
{
	unsigned long bit = 1ul << (prio % BITS_PER_LONG);

	uint32_t w = prio / BITS_PER_LONG;

	if (on) {
		rq->nonempty[w] |= bit;
		rq->summary |= 1ul << w;
	} else {
		rq->nonempty[w] &= ~bit;
		if (!rq->nonempty[w]) {
			rq->summary &= ~(1ul << w);
		}
	}
}

/** Highest priority with a queued thread, or -1: two count-leading-zeros. */
static inline int rq_highest(const struct runqueue *rq)
{
	int w;

	if (!rq->summary) {
		return -1;
	}
	w = 63 - __builtin_clzl(rq->summary);
	return w * (int)BITS_PER_LONG + 63 - __builtin_clzl(rq->nonempty[w]);
}

void sched_make_runnable(struct thread *t)
{
	struct runqueue *rq = rq_of(t->cpu);

	t->state = TS_RUNNABLE;
	if (t == cpus[t->cpu].current) {
		return; /* running: chosen again by sched_next() */
	}
	list_add_tail(&rq->level[t->prio], &t->qlink);
	rq_mark(rq, t->prio, true);
}

void sched_remove(struct thread *t)
{
	struct runqueue *rq = rq_of(t->cpu);

	if (t->state != TS_RUNNABLE || t == cpus[t->cpu].current) {
		return;
	}
	list_del(&t->qlink);
	if (list_empty(&rq->level[t->prio])) {
		rq_mark(rq, t->prio, false);
	}
}

static struct thread *rq_pop(struct runqueue *rq, int prio)
{
	struct thread *t = list_first(&rq->level[prio], struct thread, qlink);

	list_del(&t->qlink);
	if (list_empty(&rq->level[prio])) {
		rq_mark(rq, (uint32_t)prio, false);
	}
	return t;
}

/**
 * Would the general path run a thread woken at @prio next? Only if it is
 * above every queued thread: at an equal level it would queue behind them.
 */
bool sched_fast_ok(uint32_t prio)
{
	return rq_highest(rq_of(this_cpu()->id)) < (int)prio;
}

/**
 * Hand the CPU from @old (now blocked) to @new (runnable, not queued)
 * without touching the run queue: the IPC fast path.
 */
void sched_fast_switch(struct thread *old, struct thread *new)
{
	struct cpu *c = this_cpu();

	c->current = new;
	arch_thread_switch(old, new);
	if (old->dom != new->dom) {
		domain_activate_user(new->dom); /* @new is never a vCPU */
	}
	arch_fp_trap_enable(c->fp_owner != new);
}

void sched_fast_switch_from_vcpu(struct thread *old, struct thread *new)
{
	struct cpu *c = this_cpu();

	c->current = new;
	arch_thread_switch(old, new);
	domain_activate_after_guest(new->dom);
	arch_fp_trap_enable(c->fp_owner != new);
}

void sched_fast_switch_vcpu(struct thread *old, struct thread *new)
{
	struct cpu *c = this_cpu();

	c->current = new;
	arch_thread_switch(old, new);
	arch_set_guest_table(new->dom->pt.root, new->dom->vmid);
	arch_vcpu_enter(new->vcpu); /* FP, interrupts, the guest world */
}

void sched_switch_to(struct thread *t)
{
	struct cpu *c = this_cpu();
	struct thread *old = c->current;

	c->current = t;
	if (old != t) {
		arch_thread_switch(old, t);
	}
	if (old && old->state == TS_RUNNABLE && old != t) {
		sched_make_runnable(old);
	}
	if (!old || old->dom != t->dom) {
		domain_activate(t->dom);
	}
	arch_fp_trap_enable(c->fp_owner != t);
}

static void sched_reap(struct runqueue *rq)
{
	if (rq->zombie && rq->zombie != this_cpu()->current) {
		kobj_free(&rq->zombie->hdr);
		rq->zombie = NULL;
	}
}

/** Wait for an interrupt to make some thread runnable; returns its level. */
static int sched_idle(struct runqueue *rq)
{
	int prio;

	while ((prio = rq_highest(rq)) < 0) {
		kernel_lock_release();
		arch_irq_enable();
		arch_wait_for_interrupt();
		arch_irq_disable();
		kernel_lock_acquire();
	}
	return prio;
}

struct trap_frame *sched_next(void)
{
	struct cpu *c = this_cpu();
	struct runqueue *rq = rq_of(c->id);
	struct thread *cur = c->current;
	int prio = rq_highest(rq);
	bool runnable = cur && cur->state == TS_RUNNABLE;

	if (likely(runnable && cur->slice > 0 && prio < (int)cur->prio &&
		   !rq->zombie)) {
		return &cur->ctx; /* nothing to do: straight back */
	}
	if (runnable && (prio < (int)cur->prio ||
			 (prio == (int)cur->prio && cur->slice > 0))) {
		if (cur->slice == 0) {
			cur->slice = SCHED_SLICE_TICKS; /* alone at its level */
		}
	} else if (runnable || prio >= 0) {
		if (runnable && cur->slice == 0) {
			cur->slice = SCHED_SLICE_TICKS;
		}
		/* Switching requeues a runnable @cur at the tail of its level. */
		sched_switch_to(rq_pop(rq, prio));
	} else {
		if (cur) {
			arch_thread_save(cur); /* it blocked; nobody else ran */
		}
		c->current = NULL;
		sched_switch_to(rq_pop(rq, sched_idle(rq)));
	}
	sched_reap(rq);
	if (unlikely(c->current->vcpu)) {
		/* Switched to a vCPU: into the guest world on the way out.
		 * (Staying with the thread that trapped needs nothing: a
		 * host thread stays a host thread, and the guest exit path
		 * enters its vCPU itself.) */
		arch_vcpu_enter(c->current->vcpu);
	}
	return &c->current->ctx;
}

void sched_tick(void)
{
	struct thread *t = sched_current();

	if (t && t->slice > 0) {
		t->slice--;
	}
	vcpu_tick();
}

void sched_start(void)
{
	struct runqueue *rq = rq_of(this_cpu()->id);
	int prio = rq_highest(rq);

	if (prio < 0) {
		panic("sched: no thread to run");
	}
	sched_switch_to(rq_pop(rq, prio));
	arch_enter_user(&this_cpu()->current->ctx);
}

void sched_init_cpu(uint32_t cpu)
{
	struct runqueue *rq = rq_of(cpu);

	spin_init(&rq->lock);
	for (int i = 0; i < PRIO_LEVELS; i++) {
		list_init(&rq->level[i]);
	}
}

/* ---- threads */

static uint32_t next_thread_id = 1;

int thread_create(struct domain *d, uint8_t prio, struct thread **out)
{
	struct thread *t;
	int err = kobj_alloc(d, RIFT_CAP_THREAD, 0, (void **)&t);

	if (err) {
		return err;
	}
	t->dom = d;
	t->id = next_thread_id++;
	t->prio = prio;
	t->state = TS_INACTIVE;
	t->cpu = this_cpu()->id;
	t->slice = SCHED_SLICE_TICKS;
	list_init(&t->qlink);
	list_add_tail(&d->threads, &t->dlink);
	d->thread_count++;
	t->ipcbuf_cap.holder = HOLDER_IPCBUF;
	t->ipcbuf_cap.holder_obj = t;
	*out = t;
	return RIFT_KOK;
}

int thread_start(struct thread *t, uint64_t pc, uint64_t sp, uint64_t arg)
{
	if (t->state != TS_INACTIVE && t->state != TS_FAULTED) {
		return RIFT_KEBUSY;
	}
	if (t->dom->dying) {
		return RIFT_KEGONE;
	}
	thread_stop(t); /* drop any IPC relation a faulted thread kept */
	arch_thread_init_ctx(&t->ctx, pc, sp, arg);
	t->tls = 0;
	t->fault.kind = 0;
	t->in_upcall = 0;
	t->ipc_call = 0;
	sched_make_runnable(t);
	return RIFT_KOK;
}

void thread_wake_error(struct thread *t, int err)
{
	if (t->vcpu) {
		vcpu_exit_lost(t, err); /* never resumed with a host error */
		return;
	}
	t->ctx.x[0] = (uint64_t)(int64_t)err;
	t->blocked_on = NULL;
	sched_make_runnable(t);
}

/** Take @t out of every queue and IPC relation; it stays allocated. */
void thread_stop(struct thread *t)
{
	switch (t->state) {
	case TS_RUNNABLE:
		sched_remove(t);
		break;
	case TS_BLOCKED_SEND:
	case TS_BLOCKED_RECV:
	case TS_BLOCKED_NOTIF:
		list_del(&t->qlink);
		break;
	default:
		break;
	}
	if (t->replier) {
		t->replier->reply_to = NULL;
		t->replier = NULL;
	}
	if (t->reply_to) {
		struct thread *caller = t->reply_to;

		t->reply_to = NULL;
		caller->replier = NULL;
		thread_wake_error(caller, RIFT_KEGONE);
	}
	t->blocked_on = NULL;
	t->state = TS_INACTIVE;
}

void thread_destroy(struct thread *t)
{
	struct runqueue *rq = rq_of(t->cpu);

	thread_stop(t);
	cap_drop(&t->ipcbuf_cap);
	list_del(&t->dlink);
	t->dom->thread_count--;
	if (cpus[t->cpu].fp_owner == t) {
		cpus[t->cpu].fp_owner = NULL;
	}
	if (cpus[t->cpu].current == t) {
		rq->zombie = t; /* still on this CPU's trap path */
		return;
	}
	kobj_free(&t->hdr);
}

struct rift_ipcbuf *thread_ipcbuf(struct thread *t)
{
	if (t->ipcbuf_cap.type != RIFT_CAP_FRAME_T) {
		return NULL;
	}
	return phys_to_virt(t->ipcbuf_cap.pa);
}

void fp_claim(struct thread *t)
{
	struct cpu *c = &cpus[t->cpu];

	if (c->fp_owner == t) {
		return;
	}
	if (c->fp_owner) {
		arch_fp_save(c->fp_owner->fp);
	}
	arch_fp_restore(t->fp);
	c->fp_owner = t;
}

void fp_trap(struct thread *t)
{
	arch_fp_trap_enable(false);
	fp_claim(t);
}
