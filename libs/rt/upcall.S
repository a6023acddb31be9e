/* SPDX-License-Identifier: MIT */
/*
 * The upcall handler: the kernel resumes a thread here after it executed
 * `svc #0` (musl's Linux system call: x8 = number, x0..x5 = arguments),
 * with every general register and SP as they were at the svc. The handler
 * must hand back the result in x0 and preserve everything else, because
 * musl's inline assembly declares only x0 as changed (and Linux preserves
 * the FP/SIMD registers across system calls too).
 *
 * So it saves x1..x30, FPSR, FPCR and q0..q31 below SP (AArch64 has no red
 * zone, so the space below SP is free), calls
 *     long rift_linux_syscall(a0, a1, a2, a3, a4, a5, nr)
 * restores everything, and leaves with `svc #4` (RIFT_SYS_UPCALL_RETURN),
 * which resumes after the original svc with x0 = the result. SP is 16-byte
 * aligned at the svc (AAPCS64) and the frame is a multiple of 16.
 *
 * Frame layout (768 bytes, from SP):
 *     0  x29, x30 (a frame record, so backtraces cross the upcall)
 *    16  x1 .. x28
 *   240  FPSR, FPCR
 *   256  q0 .. q31
 */
#define FRAME_SIZE 768
#define OFF_FP 240
#define OFF_Q 256

	.text
	.global __rift_upcall
	.type __rift_upcall, %function
	.balign 16
__rift_upcall:
	sub	sp, sp, #FRAME_SIZE
	stp	x29, x30, [sp, #0]
	stp	x1, x2, [sp, #16]
	stp	x3, x4, [sp, #32]
	stp	x5, x6, [sp, #48]
	stp	x7, x8, [sp, #64]
	stp	x9, x10, [sp, #80]
	stp	x11, x12, [sp, #96]
	stp	x13, x14, [sp, #112]
	stp	x15, x16, [sp, #128]
	stp	x17, x18, [sp, #144]
	stp	x19, x20, [sp, #160]
	stp	x21, x22, [sp, #176]
	stp	x23, x24, [sp, #192]
	stp	x25, x26, [sp, #208]
	stp	x27, x28, [sp, #224]
	mrs	x9, fpsr
	mrs	x10, fpcr
	stp	x9, x10, [sp, #OFF_FP]
	stp	q0, q1, [sp, #OFF_Q + 0]
	stp	q2, q3, [sp, #OFF_Q + 32]
	stp	q4, q5, [sp, #OFF_Q + 64]
	stp	q6, q7, [sp, #OFF_Q + 96]
	stp	q8, q9, [sp, #OFF_Q + 128]
	stp	q10, q11, [sp, #OFF_Q + 160]
	stp	q12, q13, [sp, #OFF_Q + 192]
	stp	q14, q15, [sp, #OFF_Q + 224]
	stp	q16, q17, [sp, #OFF_Q + 256]
	stp	q18, q19, [sp, #OFF_Q + 288]
	stp	q20, q21, [sp, #OFF_Q + 320]
	stp	q22, q23, [sp, #OFF_Q + 352]
	stp	q24, q25, [sp, #OFF_Q + 384]
	stp	q26, q27, [sp, #OFF_Q + 416]
	stp	q28, q29, [sp, #OFF_Q + 448]
	stp	q30, q31, [sp, #OFF_Q + 480]
	mov	x29, sp

	mov	x6, x8			/* nr: the 7th argument */
	bl	rift_linux_syscall	/* x0..x5 are still the arguments */

	ldp	x9, x10, [sp, #OFF_FP]
	msr	fpsr, x9
	msr	fpcr, x10
	ldp	q0, q1, [sp, #OFF_Q + 0]
	ldp	q2, q3, [sp, #OFF_Q + 32]
	ldp	q4, q5, [sp, #OFF_Q + 64]
	ldp	q6, q7, [sp, #OFF_Q + 96]
	ldp	q8, q9, [sp, #OFF_Q + 128]
	ldp	q10, q11, [sp, #OFF_Q + 160]
	ldp	q12, q13, [sp, #OFF_Q + 192]
	ldp	q14, q15, [sp, #OFF_Q + 224]
	ldp	q16, q17, [sp, #OFF_Q + 256]
	ldp	q18, q19, [sp, #OFF_Q + 288]
	ldp	q20, q21, [sp, #OFF_Q + 320]
	ldp	q22, q23, [sp, #OFF_Q + 352]
	ldp	q24, q25, [sp, #OFF_Q + 384]
	ldp	q26, q27, [sp, #OFF_Q + 416]
	ldp	q28, q29, [sp, #OFF_Q + 448]
	ldp	q30, q31, [sp, #OFF_Q + 480]
	ldp	x1, x2, [sp, #16]
	ldp	x3, x4, [sp, #32]
	ldp	x5, x6, [sp, #48]
	ldp	x7, x8, [sp, #64]
	ldp	x9, x10, [sp, #80]
	ldp	x11, x12, [sp, #96]
	ldp	x13, x14, [sp, #112]
	ldp	x15, x16, [sp, #128]
	ldp	x17, x18, [sp, #144]
	ldp	x19, x20, [sp, #160]
	ldp	x21, x22, [sp, #176]
	ldp	x23, x24, [sp, #192]
	ldp	x25, x26, [sp, #208]
	ldp	x27, x28, [sp, #224]
	ldp	x29, x30, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	svc	#4			/* RIFT_SYS_UPCALL_RETURN: does not return */
	udf	#0			/* ... unless no upcall was active: fault */
	.size __rift_upcall, . - __rift_upcall

	.section .note.GNU-stack, "", %progbits
