/* SPDX-License-Identifier: MIT */
/*
 * Guests: guest domains (stage-2 address space, VMID, Real Mode Area) and
 * their vCPUs. Mechanism only: every exit the kernel cannot finish (MMIO,
 * HVC, SMC, trapped system registers, aborts) is an IPC call from the vCPU
 * to its exit endpoint, and the VMM's reply resumes it (docs/guests-kernel.md).
 */
#include <rift/arch.h>
#include <rift/check.h>
#include <rift/ipc.h>
#include <rift/printk.h>
#include <rift/sched.h>
#include <rift/syscall.h>
#include <rift/vcpu.h>
#include <string.h>

#define ARG(n) (f->x[n])

/* ---- VMIDs: one per guest domain while it lives; 0 is the host's. */

static DECLARE_BITMAP(vmid_used, 65536);

int vmid_alloc(uint16_t *out)
{
	uint32_t count = 1u << arch_vmid_bits();

	for (uint32_t w = 0; w < BITMAP_LONGS(count); w++) {
		unsigned long free = ~vmid_used[w];
		uint32_t i;

		if (w == 0) {
			free &= ~1ul;
		}
		if (!free) {
			continue;
		}
		i = w * BITS_PER_LONG + (uint32_t)__builtin_ctzl(free);
		if (i >= count) {
			break;
		}
		vmid_used[w] |= 1ul << (i % BITS_PER_LONG);
		*out = (uint16_t)i;
		return RIFT_KOK;
	}
	return RIFT_KELIMIT;
}

/** The VMID's translations are gone (the caller flushed them). */
void vmid_free(uint16_t vmid)
{
	vmid_used[vmid / BITS_PER_LONG] &= ~(1ul << (vmid % BITS_PER_LONG));
}

/* The vCPUs blocked in WFI, for the tick's timer scan of those not loaded
 * (one CPU for now). Bound of a scan: the vCPUs in WFI. */
static struct list wfi_vcpus = LIST_INIT(wfi_vcpus);

/* ---- guest domains */

/**
 * GUEST_INIT: a fresh domain (no thread, nothing mapped) becomes a guest:
 * its table switches to the stage-2 format, it gets a VMID, and its RMA
 * (a frame made in it, one naturally aligned block) is mapped at the
 * bottom of guest RAM through a copy the kernel keeps while it lives.
 */
__attribute__((noinline)) int sys_guest_init(struct thread *t,
					      struct trap_frame *f)
{
	int err = RIFT_KOK;
	struct domain *d;
	struct cap *rma;
	uint16_t vmid;
	uint64_t ipa = ARG(2);

	if (ARG(0) == 0) {
		return RIFT_KEINVAL; /* not oneself */
	}
	d = syscall_lookup_domain(t, ARG(0), &err);
	if (!d) {
		return err;
	}
	if (d->guest || d->thread_count || d == root_domain) {
		return RIFT_KEBUSY;
	}
	rma = syscall_lookup_typed(t, ARG(1), RIFT_CAP_FRAME_T,
				   RIFT_RIGHT_READ | RIFT_RIGHT_WRITE, &err);
	if (!rma) {
		return err;
	}
	if ((rma->badge & (FRAME_DEVICE | FRAME_KERNEL)) ||
	    domain_of_slot(rma->orig) != d || rma->pa != rma->orig->pa ||
	    rma->size != rma->orig->size) {
		/* The RMA is a whole frame made in the guest (not carved):
		 * the kernel's copy comes from its original. */
		return RIFT_KEINVAL;
	}
	if (rma->size < (2ull << 20) || !IS_ALIGNED(ipa, rma->size) ||
	    ipa >= PT_IPA_END || PT_IPA_END - ipa < rma->size) {
		return RIFT_KERANGE;
	}
	err = cap_derive_check(rma, 0);
	if (err) {
		return err;
	}
	if (pgtable_make_stage2(&d->pt) != PT_OK) {
		return RIFT_KEBUSY; /* something is mapped already */
	}
	err = vmid_alloc(&vmid);
	if (err) {
		d->pt.stage2 = false;
		return err;
	}
	d->guest = true;
	d->vmid = vmid;
	d->rma_cap.holder = HOLDER_RMA;
	d->rma_cap.holder_obj = d;
	/* From the original, which sits in the guest's own cspace: no copy
	 * the VMM holds can take the RMA back while the guest lives. */
	err = cap_derive(rma->orig, &d->rma_cap, RIFT_RIGHTS_ALL, 0,
			 HOLDER_RMA, d);
	if (!err) {
		err = domain_map_frame(d, &d->rma_cap, ipa,
				       RIFT_MAP_READ | RIFT_MAP_WRITE |
					       RIFT_MAP_EXEC);
		if (err) {
			cap_drop(&d->rma_cap);
		}
	}
	if (err) {
		d->guest = false;
		d->pt.stage2 = false;
		vmid_free(vmid);
		return err;
	}
	d->rma_ipa = ipa;
	f->x[1] = vmid;
	return RIFT_KOK;
}

static void guest_report(struct domain *d)
{
	d->guest_reported = true;
	printk("guest %s: vmid %u, RMA %lu MiB at %lx, stage 2: %lu x 1 GiB, "
	       "%lu x 2 MiB, %lu x 4 KiB blocks\n",
	       d->name, d->vmid, (unsigned long)(d->rma_cap.size >> 20),
	       (unsigned long)d->rma_ipa, (unsigned long)d->s2_blocks[0],
	       (unsigned long)d->s2_blocks[1], (unsigned long)d->s2_blocks[2]);
}

/* ---- vCPUs */

static int vcpu_create(struct thread *t, struct trap_frame *f)
{
	struct domain *d;
	struct cap *slot, *copy, *ep;
	struct vcpu *v;
	struct thread *nt;
	int err = syscall_decode_target(t, ARG(0), ARG(1), ARG(3), &d, &slot,
					&copy);

	if (err) {
		return err;
	}
	if (!d->guest) {
		return RIFT_KEINVAL;
	}
	if (ARG(2) > d->max_prio) {
		return RIFT_KEINVAL;
	}
	ep = syscall_lookup_typed(t, ARG(4), RIFT_CAP_ENDPOINT_T,
				  RIFT_RIGHT_WRITE, &err);
	if (!ep) {
		return err;
	}
	err = cap_derive_check(ep, ARG(5));
	if (err) {
		return err;
	}
	err = kobj_alloc(d, RIFT_CAP_VCPU, 0, (void **)&v);
	if (err) {
		return err;
	}
	err = thread_create(d, (uint8_t)ARG(2), &nt);
	if (err) {
		kobj_free(&v->hdr);
		return err;
	}
	v->thread = nt;
	v->dom = d;
	v->index = nt->id;
	nt->vcpu = v;
	v->exit_ep.holder = HOLDER_VCPU_EP;
	v->exit_ep.holder_obj = v;
	CHECK(cap_derive(ep, &v->exit_ep, RIFT_RIGHT_WRITE, ARG(5),
			 HOLDER_VCPU_EP, v) == RIFT_KOK);
	memset(v->virq_prio, RIFT_VIRQ_DEFAULT_PRIORITY, sizeof(v->virq_prio));
	arch_vcpu_init(v, ARG(6));
	list_init(&v->link);
	cap_make_original(slot, RIFT_CAP_VCPU, v, 0, 0, RIFT_RIGHTS_ALL, 0);
	f->x[1] = nt->id;
	return syscall_place_object(t, d, slot, copy);
}

void vcpu_destroy(struct vcpu *v)
{
	struct thread *t = v->thread;

	list_del(&v->link);
	arch_vcpu_destroy(v);
	cap_drop(&v->exit_ep);
	t->vcpu = NULL;
	thread_destroy(t);
	kobj_free(&v->hdr);
}

/** A vCPU says why it stopped once: no VMM can flood the kernel log. */
static bool vcpu_log_once(struct vcpu *v)
{
	if (v->logged) {
		return false;
	}
	v->logged = 1;
	return true;
}

static void vcpu_wfi_end(struct vcpu *v)
{
	v->wfi = 0;
	list_del(&v->link);
}

static void vcpu_stop(struct vcpu *v)
{
	thread_stop(v->thread);
	v->in_exit = 0;
	vcpu_wfi_end(v);
}

static void vcpu_wake(struct vcpu *v)
{
	if (v->wfi && v->thread->state == TS_BLOCKED_WFI) {
		vcpu_wfi_end(v);
		sched_make_runnable(v->thread);
	}
}

/* ---- virtual interrupts (the GIC's enable/pending/priority per INTID;
 * the architecture puts deliverable ones in its list registers) */

static bool virq_test(const unsigned long *map, uint32_t i)
{
	return (map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1;
}

static void virq_set(unsigned long *map, uint32_t i, bool on)
{
	unsigned long bit = 1ul << (i % BITS_PER_LONG);

	if (on) {
		map[i / BITS_PER_LONG] |= bit;
	} else {
		map[i / BITS_PER_LONG] &= ~bit;
	}
}

int vcpu_irq_next(const struct vcpu *v, uint32_t from)
{
	for (uint32_t w = from / BITS_PER_LONG; w < VIRQ_LONGS; w++) {
		unsigned long m = v->virq_enabled[w] & v->virq_pending[w];

		if (w == from / BITS_PER_LONG) {
			m &= ~0ul << (from % BITS_PER_LONG);
		}
		if (m) {
			uint32_t i = w * BITS_PER_LONG +
				     (uint32_t)__builtin_ctzl(m);

			return i < RIFT_VIRQ_MAX ? (int)i : -1;
		}
	}
	return -1;
}

bool vcpu_irq_deliverable(const struct vcpu *v)
{
	return vcpu_irq_next(v, 0) >= 0;
}

static void pending_set(struct vcpu *v, uint32_t intid, bool on)
{
	if (virq_test(v->virq_pending, intid) != on) {
		virq_set(v->virq_pending, intid, on);
		if (on) {
			v->virq_count++;
		} else {
			v->virq_count--;
		}
	}
}

void vcpu_irq_taken(struct vcpu *v, uint32_t intid)
{
	pending_set(v, intid, false);
}

void vcpu_raise(struct vcpu *v, uint32_t intid)
{
	if (intid >= RIFT_VIRQ_MAX) {
		return;
	}
	pending_set(v, intid, true);
	if (virq_test(v->virq_enabled, intid)) {
		vcpu_wake(v);
	}
}

static int vcpu_irq_op(struct vcpu *v, uint64_t intid, uint64_t op,
		       uint64_t prio)
{
	if (intid >= RIFT_VIRQ_MAX) {
		return RIFT_KERANGE;
	}
	switch (op) {
	case RIFT_VIRQ_CLEAR:
		pending_set(v, (uint32_t)intid, false);
		if (intid == RIFT_VTIMER_INTID) {
			arch_vcpu_vtimer_reset(v);
		}
		return RIFT_KOK;
	case RIFT_VIRQ_SET:
		vcpu_raise(v, (uint32_t)intid);
		return RIFT_KOK;
	case RIFT_VIRQ_DISABLE:
		virq_set(v->virq_enabled, (uint32_t)intid, false);
		if (intid == RIFT_VTIMER_INTID) {
			arch_vcpu_vtimer_reset(v);
		}
		return RIFT_KOK;
	case RIFT_VIRQ_ENABLE:
		virq_set(v->virq_enabled, (uint32_t)intid, true);
		if (virq_test(v->virq_pending, (uint32_t)intid)) {
			vcpu_wake(v);
		}
		return RIFT_KOK;
	case RIFT_VIRQ_PRIORITY:
		if (prio > 255) {
			return RIFT_KEINVAL;
		}
		v->virq_prio[intid] = (uint8_t)prio;
		return RIFT_KOK;
	default:
		return RIFT_KEINVAL;
	}
}

__attribute__((noinline)) void vcpu_tick(void)
{
	uint64_t now;

	if (list_empty(&wfi_vcpus)) {
		return;
	}
	now = arch_counter();
	for (struct list *l = wfi_vcpus.next; l != &wfi_vcpus;) {
		struct vcpu *v = container_of(l, struct vcpu, link);

		l = l->next; /* vcpu_raise() may take @v off the list */
		if (arch_vcpu_timer_due(v, now)) {
			vcpu_raise(v, RIFT_VTIMER_INTID);
		}
	}
}

/* ---- exits */

void vcpu_wfi(struct vcpu *v, bool wfe)
{
	struct thread *t = v->thread;

	if (wfe) {
		t->slice = 0; /* a yield: others at its level run first */
		return;
	}
	if (vcpu_irq_deliverable(v) || arch_vcpu_irq_pending(v)) {
		return;
	}
	sched_remove(t);
	t->state = TS_BLOCKED_WFI;
	v->wfi = 1;
	list_add_tail(&wfi_vcpus, &v->link);
}

void vcpu_handle_exit(struct vcpu *v)
{
	struct thread *t = v->thread;

	v->exits++;
	if (v->exit_ep.type != RIFT_CAP_ENDPOINT_T) {
		if (vcpu_log_once(v)) {
			printk("guest %s: vCPU %u: exit %u (syndrome %lx, pc "
			       "%lx) and no exit endpoint; vCPU stopped\n",
			       v->dom->name, v->index, v->exit.kind,
			       (unsigned long)v->exit.syndrome,
			       (unsigned long)v->exit.pc);
		}
		sched_remove(t);
		t->state = TS_INACTIVE;
		return;
	}
	v->in_exit = 1;
	ipc_send(t, v->exit_ep.obj, v->exit_ep.badge,
		 IPC_FLAG_CALL | IPC_FLAG_VCPU, true);
}

__attribute__((noinline)) void vcpu_transfer_exit(struct thread *src,
						  struct thread *dst,
						  uint64_t badge)
{
	vcpu_exit_message(src, dst, badge);
}

/** The value a read of @access returns in its register. */
static uint64_t access_result(uint64_t access, uint64_t val)
{
	uint32_t bits = RIFT_ACCESS_SIZE(access) * 8;

	if (bits && bits < 64) {
		val &= (1ull << bits) - 1;
		if ((access & RIFT_ACCESS_SIGN) && (val >> (bits - 1)) & 1) {
			val |= ~0ull << bits;
		}
	}
	if (!(access & RIFT_ACCESS_64)) {
		val &= 0xffffffffull;
	}
	return val;
}

void vcpu_complete(struct vcpu *v, const struct trap_frame *s)
{
	struct trap_frame *g = &v->thread->ctx;
	const struct vcpu_exit *e = &v->exit;
	uint32_t words = MIN(RIFT_INFO_WORDS(s->x[2]), 4u);

	v->in_exit = 0;
	if (e->kind == RIFT_EXIT_MMIO || e->kind == RIFT_EXIT_SYSREG) {
		uint32_t rt = RIFT_ACCESS_REG(e->access);

		if (!(e->access & RIFT_ACCESS_WRITE) && rt != 31) {
			g->x[rt] = access_result(e->access, words ? s->x[3] : 0);
		}
		g->elr += e->insn_len;
	} else if (e->kind == RIFT_EXIT_HVC || e->kind == RIFT_EXIT_SMC) {
		for (uint32_t i = 0; i < words; i++) {
			g->x[i] = s->x[3 + i];
		}
		g->elr += e->insn_len;
	}
}

__attribute__((noinline)) void vcpu_reply(struct thread *replier, struct thread *caller)
{
	struct vcpu *v = caller->vcpu;
	const struct trap_frame *s = &replier->ctx;

	v->in_exit = 0;
	switch (s->x[1]) {
	case RIFT_VCPU_DONE:
		vcpu_complete(v, s);
		break;
	case RIFT_VCPU_RETRY:
		break;
	case RIFT_VCPU_UNDEF:
		if (v->exit.kind == RIFT_EXIT_HVC) {
			caller->ctx.elr -= 4; /* the HVC itself is undefined */
		}
		arch_vcpu_inject_undef(v);
		break;
	case RIFT_VCPU_STOP:
		caller->state = TS_INACTIVE;
		return;
	default:
		if (vcpu_log_once(v)) {
			printk("guest %s: vCPU %u: reply with unknown action "
			       "%lx; vCPU stopped\n",
			       v->dom->name, v->index, (unsigned long)s->x[1]);
		}
		caller->state = TS_INACTIVE;
		return;
	}
	sched_make_runnable(caller);
}

__attribute__((noinline)) void vcpu_exit_lost(struct thread *t, int err)
{
	struct vcpu *v = t->vcpu;

	if (vcpu_log_once(v)) {
		printk("guest %s: vCPU %u: exit not answered (error %d); "
		       "vCPU stopped\n",
		       v->dom->name, v->index, err);
	}
	v->in_exit = 0;
	t->blocked_on = NULL;
	t->state = TS_INACTIVE;
}

/* ---- system calls */

static struct vcpu *lookup_vcpu(struct thread *t, uint64_t cptr, int *err)
{
	struct cap *c = syscall_lookup_typed(t, cptr, RIFT_CAP_VCPU,
					     RIFT_RIGHT_WRITE, err);

	return c ? c->obj : NULL;
}

static int vcpu_read(struct vcpu *v, uint64_t id, uint64_t *val)
{
	struct trap_frame *g = &v->thread->ctx;

	if (id <= 30) {
		*val = g->x[id];
	} else if (id == RIFT_VREG_SP_EL0) {
		*val = g->sp;
	} else if (id == RIFT_VREG_PC) {
		*val = g->elr;
	} else if (id == RIFT_VREG_PSTATE) {
		*val = g->spsr;
	} else if (id == RIFT_VREG_TPIDR_EL0) {
		*val = v->thread->tls;
	} else if (id < RIFT_VREG_COUNT) {
		return arch_vcpu_get_reg(v, (uint32_t)id, val);
	} else {
		return RIFT_KEINVAL;
	}
	return RIFT_KOK;
}

static int vcpu_write(struct vcpu *v, uint64_t id, uint64_t val)
{
	struct trap_frame *g = &v->thread->ctx;

	if (id <= 30) {
		g->x[id] = val;
	} else if (id == RIFT_VREG_SP_EL0) {
		g->sp = val;
	} else if (id == RIFT_VREG_PC) {
		if (val & 3) {
			return RIFT_KEINVAL;
		}
		g->elr = val;
	} else if (id == RIFT_VREG_PSTATE) {
		if (!arch_vcpu_pstate_ok(val)) {
			return RIFT_KEINVAL;
		}
		g->spsr = val;
	} else if (id == RIFT_VREG_TPIDR_EL0) {
		v->thread->tls = val;
	} else if (id < RIFT_VREG_COUNT) {
		return arch_vcpu_set_reg(v, (uint32_t)id, val);
	} else {
		return RIFT_KEINVAL;
	}
	return RIFT_KOK;
}

__attribute__((noinline)) int sys_vcpu(struct thread *t, struct trap_frame *f,
					uint32_t nr)
{
	struct vcpu *v;
	int err = RIFT_KOK;

	if (nr == RIFT_SYS_VCPU_CREATE) {
		return vcpu_create(t, f);
	}
	v = lookup_vcpu(t, ARG(0), &err);
	if (!v) {
		return err;
	}
	switch (nr) {
	case RIFT_SYS_VCPU_RESUME:
		if (v->thread->state != TS_INACTIVE &&
		    v->thread->state != TS_FAULTED) {
			return RIFT_KEBUSY;
		}
		if (v->dom->dying) {
			return RIFT_KEGONE;
		}
		if (!v->dom->guest_reported) {
			guest_report(v->dom);
		}
		v->thread->state = TS_INACTIVE;
		sched_make_runnable(v->thread);
		return RIFT_KOK;
	case RIFT_SYS_VCPU_STOP:
		vcpu_stop(v);
		return RIFT_KOK;
	case RIFT_SYS_VCPU_READ:
		return vcpu_read(v, ARG(1), &f->x[1]);
	case RIFT_SYS_VCPU_WRITE:
		return vcpu_write(v, ARG(1), ARG(2));
	case RIFT_SYS_VCPU_IRQ:
		return vcpu_irq_op(v, ARG(1), ARG(2), ARG(3));
	default:
		return RIFT_KENOSYS;
	}
}
