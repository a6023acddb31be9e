/* SPDX-License-Identifier: MIT */
/*
 * Entry and exception vectors of the bare-metal test guest (EL1, MMU off).
 * x0 = the scenario number the VMM chose.
 */
	.section .text.start, "ax"
	.global	_start
_start:
	ldr	x1, =0x40100000		/* stack: the first MiB above the image */
	mov	sp, x1
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	bl	guest_main
1:	wfi
	b	1b

.macro vent handler
	.balign	0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	bl	\handler
	b	guest_vector_return
.endm

	.text
	.balign	0x800
	.global	guest_vectors
guest_vectors:
	vent	guest_sync		/* EL1t */
	vent	guest_irq
	vent	guest_other
	vent	guest_other
	vent	guest_sync		/* EL1h */
	vent	guest_irq
	vent	guest_other
	vent	guest_other
	vent	guest_other		/* EL0 */
	vent	guest_other
	vent	guest_other
	vent	guest_other
	vent	guest_other
	vent	guest_other
	vent	guest_other
	vent	guest_other

guest_vector_return:
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret

/* uint64_t guest_hvc(x0..x3), guest_smc(x0..x3): x0 back. */
	.global	guest_hvc
guest_hvc:
	hvc	#0
	ret
	.global	guest_smc
guest_smc:
	smc	#0
	ret

/* Jump into garbage with the vectors pointing nowhere (guest_garbage). */
	.global	guest_jump_garbage
guest_jump_garbage:
	msr	vbar_el1, x1
	isb
	br	x0
