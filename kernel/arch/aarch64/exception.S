/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. With HCR_EL2.{E2H,TGE} = {1,1} exceptions from EL0
 * (user domains) arrive here too, at the "lower EL, AArch64" entries.
 *
 * Stacks. The kernel runs on its per-CPU kernel stack through SP_EL0
 * (PSTATE.SP = 0, "EL2t"), with SP_EL2 left at the per-CPU exception
 * stack. Each stack has an unmapped guard page below it (memlayout.h). An
 * exception taken in the kernel always switches to SP_EL2, so a kernel
 * stack overflow, which faults on the guard page, is reported from the
 * exception stack as a named panic instead of faulting again forever.
 * Exceptions taken with PSTATE.SP = 1 (boot, and the exception stack's own
 * handlers, which do not nest) stay on the stack they came from.
 */
#include <arch/trap.h>

.macro save_frame el
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X(0)]
	stp	x2, x3, [sp, #TF_X(2)]
	stp	x4, x5, [sp, #TF_X(4)]
	stp	x6, x7, [sp, #TF_X(6)]
	stp	x8, x9, [sp, #TF_X(8)]
	stp	x10, x11, [sp, #TF_X(10)]
	stp	x12, x13, [sp, #TF_X(12)]
	stp	x14, x15, [sp, #TF_X(14)]
	stp	x16, x17, [sp, #TF_X(16)]
	stp	x18, x19, [sp, #TF_X(18)]
	stp	x20, x21, [sp, #TF_X(20)]
	stp	x22, x23, [sp, #TF_X(22)]
	stp	x24, x25, [sp, #TF_X(24)]
	stp	x26, x27, [sp, #TF_X(26)]
	stp	x28, x29, [sp, #TF_X(28)]
	.if \el == 2
	add	x1, sp, #TF_SIZE
	.else
	mrs	x1, sp_el0		/* EL0, or the kernel stack (EL2t) */
	.endif
	stp	x30, x1, [sp, #TF_X(30)]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #TF_ELR]
	mrs	x1, esr_el2
	mrs	x2, far_el2
	stp	x1, x2, [sp, #TF_ESR]
	mov	x0, sp
.endm

.macro restore_frame el
	ldp	x1, x2, [sp, #TF_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	.if \el == 0
	ldr	x1, [sp, #TF_SP]
	msr	sp_el0, x1
	.endif
	ldp	x0, x1, [sp, #TF_X(0)]
	ldp	x2, x3, [sp, #TF_X(2)]
	ldp	x4, x5, [sp, #TF_X(4)]
	ldp	x6, x7, [sp, #TF_X(6)]
	ldp	x8, x9, [sp, #TF_X(8)]
	ldp	x10, x11, [sp, #TF_X(10)]
	ldp	x12, x13, [sp, #TF_X(12)]
	ldp	x14, x15, [sp, #TF_X(14)]
	ldp	x16, x17, [sp, #TF_X(16)]
	ldp	x18, x19, [sp, #TF_X(18)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	add	sp, sp, #TF_SIZE
	eret
.endm

.macro vent target
	.balign	0x80
	b	\target
.endm

	.text
	.balign	0x800
	.global	vectors
vectors:
	vent	el2t_sync		/* current EL, SP_EL0: the kernel */
	vent	el2t_irq
	vent	el2t_unexpected
	vent	el2t_unexpected
	vent	el2_sync		/* current EL, SP_EL2 */
	vent	el2_irq
	vent	el2_unexpected
	vent	el2_unexpected
	vent	el0_sync		/* lower EL, AArch64 */
	vent	el0_irq
	vent	el0_unexpected
	vent	el0_unexpected
	vent	el0_unexpected		/* lower EL, AArch32: never enabled */
	vent	el0_unexpected
	vent	el0_unexpected
	vent	el0_unexpected

el2t_unexpected:
	save_frame 1
	bl	trap_el2_unexpected
	b	.

el2_unexpected:
	save_frame 2
	bl	trap_el2_unexpected
	b	.

/* In the kernel, on the kernel stack: SP_EL2 is the exception stack. */
el2t_sync:
	save_frame 1
	bl	trap_el2_sync
	b	.

el2t_irq:
	save_frame 1
	bl	trap_irq
	restore_frame 2			/* SP_EL0 untouched: back to EL2t */

el2_sync:
	save_frame 2
	bl	trap_el2_sync
	b	.

el2_irq:
	save_frame 2
	bl	trap_irq
	restore_frame 2

/*
 * From EL0, SP_EL2 points just past the running thread's saved-register
 * area, so save_frame stores the user registers straight into its thread
 * object. Then SP_EL2 moves to this CPU's exception stack and the handler
 * runs on its kernel stack through SP_EL0 (struct cpu's first two words),
 * and returns the frame of the thread to resume.
 */
.macro el0_entry handler
	save_frame 0
	mrs	x1, tpidr_el2
	ldp	x2, x3, [x1]		/* struct cpu: kstack_top, exc_stack_top */
	mov	sp, x3
	msr	sp_el0, x2
	msr	spsel, #0
	mov	x29, xzr
	bl	\handler
	b	arch_enter_user
.endm

el0_sync:
	el0_entry trap_el0_sync

el0_irq:
	el0_entry trap_el0_irq

el0_unexpected:
	el0_entry trap_el0_unexpected

/*
 * While a vCPU runs, VBAR_EL2 points here instead (kernel/arch/aarch64/
 * vcpu.c switches it on guest entry and exit): the same entries for the
 * kernel's own exceptions, and the lower-EL ones go to the guest exit
 * handlers. So an exception from EL1 (a guest, TGE = 0) is never taken
 * for one of a user domain at EL0 (EC 0x24: a stage-2 fault, not a
 * stage-1 one), and the host's entry path pays nothing for guests.
 */
	.balign	0x800
	.global	guest_vectors
guest_vectors:
	vent	el2t_sync		/* current EL, SP_EL0: the kernel */
	vent	el2t_irq
	vent	el2t_unexpected
	vent	el2t_unexpected
	vent	el2_sync		/* current EL, SP_EL2 */
	vent	el2_irq
	vent	el2_unexpected
	vent	el2_unexpected
	vent	guest_sync		/* lower EL, AArch64: the guest */
	vent	guest_irq
	vent	guest_unexpected
	vent	guest_unexpected
	vent	guest_sync		/* lower EL, AArch32: a guest's EL0 */
	vent	guest_irq
	vent	guest_unexpected
	vent	guest_unexpected

guest_sync:
	el0_entry trap_guest_sync

guest_irq:
	el0_entry trap_guest_irq

guest_unexpected:
	el0_entry trap_guest_unexpected

/* void arch_enter_user(struct trap_frame *f): resume a thread. */
	.global	arch_enter_user
arch_enter_user:
	msr	spsel, #1
	mov	sp, x0
	restore_frame 0
