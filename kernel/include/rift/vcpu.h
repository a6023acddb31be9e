/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPUs of guest domains (docs/guests-kernel.md).
 *
 * A vCPU is a thread of a guest domain whose saved registers (struct
 * thread's ctx) are the guest's general registers, PC and PSTATE; the
 * scheduler, IPC and teardown treat it as any thread. What it has beyond a
 * thread lives in struct vcpu: the exit in flight, the virtual interrupt
 * state (enabled, pending, priority per INTID) and the architecture's
 * world-switch state (struct arch_vcpu: EL1 system registers, timer, list
 * registers on aarch64).
 *
 * The core decides (exit delivery as an IPC call to the vCPU's exit
 * endpoint, completion of the reply, WFI blocking, which interrupts are
 * deliverable); the architecture switches worlds, decodes exits and
 * presents interrupts (the arch_vcpu_* seam below, which a riscv64 port
 * implements with its H extension: hgatp, vsstatus..., hvip).
 */
#ifndef RIFT_VCPU_H
#define RIFT_VCPU_H

#include <rift/object.h>
#include <rift/sched.h>
#include <arch/vcpu.h>

#define VIRQ_LONGS BITMAP_LONGS(RIFT_VIRQ_MAX)

/** A decoded guest exit (filled by the architecture). */
struct vcpu_exit {
	uint32_t kind;     /**< enum rift_exit_kind, 0 = handled in the kernel */
	uint32_t insn_len; /**< bytes to step over when completing it */
	uint64_t syndrome; /**< ESR_EL2 on aarch64 */
	uint64_t pc;
	uint64_t addr;     /**< IPA, immediate or system register encoding */
	uint64_t access;   /**< RIFT_ACCESS_* (MMIO, SYSREG) */
	uint64_t value;    /**< the value written */
};
/* (x0..x3 of the message are read from the vCPU's registers.) */

struct vcpu {
	struct kobj hdr;
	struct thread *thread;
	struct domain *dom;
	struct cap exit_ep;     /**< kernel-held copy of the exit endpoint */
	struct list link;       /**< the vCPUs in WFI (timer scan) */
	struct vcpu_exit exit;  /**< the exit in flight, if in_exit */
	uint8_t in_exit;        /**< blocked in its exit call */
	uint8_t wfi;            /**< blocked in WFI (on the WFI list) */
	uint8_t logged;         /**< said once why it stopped (no log floods) */
	uint32_t index;
	uint32_t virq_count;    /**< bits set in virq_pending */
	uint64_t vgic_maint;    /**< maintenance interrupts taken for it */
	unsigned long virq_enabled[VIRQ_LONGS];
	unsigned long virq_pending[VIRQ_LONGS];
	uint8_t virq_prio[RIFT_VIRQ_MAX];
	uint64_t exits;         /**< exits delivered to the VMM */
	struct arch_vcpu arch;
};

/* ---- core (kernel/core/vcpu.c) */
int sys_guest_init(struct thread *t, struct trap_frame *f);
int sys_vcpu(struct thread *t, struct trap_frame *f, uint32_t nr);
void vcpu_destroy(struct vcpu *v);
/** A vCPU's exit call failed (no VMM, endpoint gone): stop it. */
void vcpu_exit_lost(struct thread *t, int err);
/** RIFT_VCPU_DONE: complete @v's exit with the reply registers @s. */
void vcpu_complete(struct vcpu *v, const struct trap_frame *s);
/** The VMM @replier answers @v's exit with its message registers. */
void vcpu_reply(struct thread *replier, struct thread *caller);
/** Copy the exit of vCPU thread @src to receiver @dst (out of line). */
void vcpu_transfer_exit(struct thread *src, struct thread *dst,
			uint64_t badge);

/**
 * The exit message: label RIFT_VCPU_EXIT_LABEL, MR0..MR4 = kind,
 * syndrome, pc, address, decoded access in x3..x7, the badge in x8, and
 * with an IPC buffer MR5..MR9 = the value written and guest x0..x3.
 * Inline so that the exit fast path and vcpu_transfer_exit() share it.
 */
static inline void vcpu_exit_message(struct thread *src, struct thread *dst,
				     uint64_t badge)
{
	const struct vcpu_exit *e = &src->vcpu->exit;
	struct trap_frame *d = &dst->ctx;
	struct rift_ipcbuf *b = thread_ipcbuf(dst);

	d->x[0] = 0;
	d->x[1] = RIFT_VCPU_EXIT_LABEL;
	d->x[2] = RIFT_INFO(b ? RIFT_VCPU_EXIT_WORDS : RIFT_MSG_REG_WORDS, 0);
	d->x[3] = e->kind;
	d->x[4] = e->syndrome;
	d->x[5] = e->pc;
	d->x[6] = e->addr;
	d->x[7] = e->access;
	d->x[8] = badge;
	if (b) {
		const uint64_t *x = src->ctx.x;

		b->mr[5] = e->value;
		b->mr[6] = x[0];
		b->mr[7] = x[1];
		b->mr[8] = x[2];
		b->mr[9] = x[3];
	}
}
/** A guest exit to handle: decoded by the arch in v->exit (kind != 0). */
void vcpu_handle_exit(struct vcpu *v);
/** The guest executed WFI (@wfe: WFE): block until an interrupt. */
void vcpu_wfi(struct vcpu *v, bool wfe);
/** Make virtual @intid pending (kernel sources: the virtual timer). */
void vcpu_raise(struct vcpu *v, uint32_t intid);
/** Next deliverable (enabled and pending) INTID from @from, or -1. */
int vcpu_irq_next(const struct vcpu *v, uint32_t from);
void vcpu_irq_taken(struct vcpu *v, uint32_t intid);
bool vcpu_irq_deliverable(const struct vcpu *v);
/** Kernel tick: wake vCPUs whose (saved) virtual timer has expired. */
void vcpu_tick(void);
/** Guest domains: VMIDs. */
int vmid_alloc(uint16_t *out);
void vmid_free(uint16_t vmid);

/* ---- the architecture's side */
/** Put a new vCPU in its reset state (EL1h, MMU off, MPIDR @mpidr). */
void arch_vcpu_init(struct vcpu *v, uint64_t mpidr);
/** Just before returning to vCPU @v (the end of sched_next() when it
 * switched to @v, the guest exit path otherwise): load its state if
 * another's is in the registers, present its interrupts, and switch to the
 * guest world. Nothing but the return to @v may follow. */
void arch_vcpu_enter(struct vcpu *v);
/** Save @v's state to memory if it is loaded on this CPU (before its
 * registers are read or written, or it is destroyed). */
void arch_vcpu_put(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/** Registers beyond the trap frame (RIFT_VREG_SP_EL1 and up); the vCPU is
 * put. RIFT_KEINVAL for an unknown id or a value the guest may not have. */
int arch_vcpu_get_reg(struct vcpu *v, uint32_t id, uint64_t *val);
int arch_vcpu_set_reg(struct vcpu *v, uint32_t id, uint64_t val);
/** May the guest run with PSTATE (SPSR format) @val? */
bool arch_vcpu_pstate_ok(uint64_t val);
/** Enter the guest's undefined-instruction exception vector. */
void arch_vcpu_inject_undef(struct vcpu *v);
/** Anything pending in the list registers, or a timer interrupt due? */
bool arch_vcpu_irq_pending(struct vcpu *v);
/** Is @v's virtual timer (not loaded) due at counter @now? */
bool arch_vcpu_timer_due(struct vcpu *v, uint64_t now);
/** Guest address space: load stage-2 root @root with VMID @vmid. */
void arch_set_guest_table(paddr_t root, uint16_t vmid);
void arch_tlb_flush_vmid(uint16_t vmid);
/** The guest of @vmid is gone: leave no pointer to its stage-2 table. */
void arch_forget_guest_table(uint16_t vmid);
/** The VMM cleared or disabled the virtual timer's INTID: do not keep its
 * physical interrupt masked waiting for an EOI that will not come. */
void arch_vcpu_vtimer_reset(struct vcpu *v);
uint32_t arch_vmid_bits(void);
/** Set up virtualization at boot (traps, timer and GIC maintenance). */
void arch_vcpu_boot(void);


#endif
