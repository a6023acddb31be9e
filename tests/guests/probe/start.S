/* SPDX-License-Identifier: MIT */
/*
 * The probe guest's entry: an arm64 Linux Image header (booting.rst), so
 * the VMM loads it like any kernel, then a stack and probe_main(x0 = DTB).
 * Runs at EL1 with the MMU off: every data access is Device memory, so the
 * C code is built with -mstrict-align.
 */
	.section .head, "ax"
	.globl _start
_start:
	b	1f			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_end - _start	/* image_size, bss included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE header */
1:	adr	x1, _stack_top
	mov	sp, x1
	adr	x1, __bss_start
	adr	x2, __bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:	bl	probe_main
4:	wfi
	b	4b

/* Secondary vCPUs (probe.mode=smp): PSCI CPU_ON enters here with x0 =
 * the context; each gets 4 KiB of the secondary stack area. */
	.globl	probe_secondary
probe_secondary:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	adr	x2, _stack2_top
	sub	x2, x2, x1, lsl #12
	mov	sp, x2
	bl	probe_secondary_main
5:	wfi
	b	5b

/*
 * Exception vectors for probe.mode=sysreg (probe_vectors_on()): every
 * synchronous exception from EL1 counts one and skips the instruction,
 * so the probe survives the undefined ones it provokes.
 */
	.balign	2048
	.globl	probe_vectors
probe_vectors:
	.skip	0x200
	/* current EL, SP_ELx, synchronous */
	stp	x0, x1, [sp, #-16]!
	adr	x0, probe_undefs
	ldr	x1, [x0]
	add	x1, x1, #1
	str	x1, [x0]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
	.balign	0x80
	.skip	0x800 - 0x280

	.data
	.balign	8
	.globl	probe_undefs
probe_undefs:
	.quad	0
