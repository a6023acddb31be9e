/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry. The image starts with an arm64 Linux Image header so any
 * loader that boots Linux (QEMU -kernel, U-Boot booti) boots rift: it is
 * placed 2 MiB aligned, entered at EL2 with the MMU off and x0 = the device
 * tree's physical address.
 */
#include <arch/memlayout.h>
#include <arch/sysreg.h>

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size (includes bss) */
	.quad	0xa			/* flags: LE, 4K pages, place anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.section .text.boot, "ax"
primary_entry:
	mov	x19, x0			/* device tree PA */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2

	/* VHE (ARMv8.1) is required: the kernel runs in the EL2&0 regime. */
	mrs	x1, id_aa64mmfr1_el1
	ubfx	x1, x1, #8, #4
	cbz	x1, no_vhe

	/* Known state: MMU and caches off, VHE host mode. */
	ldr	x1, =HCR_HOST
	msr	hcr_el2, x1
	isb
	ldr	x1, =(SCTLR_RES1)
	msr	sctlr_el2, x1
	isb

	/* Zero .bss (physical addresses: adrp is PC-relative). */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	adrp	x1, boot_stack_top
	add	sp, x1, :lo12:boot_stack_top

	/* Build the boot page tables (C, MMU off, strict alignment). */
	mov	x0, x19
	bl	boot_mmu_build
	cbnz	x0, boot_fail

	ldr	x1, =MAIR_VALUE
	msr	mair_el2, x1
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #7
	lsl	x1, x1, #TCR_IPS_SHIFT
	ldr	x2, =TCR_BASE
	orr	x1, x1, x2
	msr	tcr_el2, x1
	adrp	x1, boot_ttbr0
	ldr	x1, [x1, :lo12:boot_ttbr0]
	msr	ttbr0_el2, x1
	adrp	x1, boot_ttbr1
	ldr	x1, [x1, :lo12:boot_ttbr1]
	msr	ttbr1_el2, x1
	dsb	sy
	tlbi	alle2
	dsb	sy
	isb
	ldr	x1, =SCTLR_VALUE
	msr	sctlr_el2, x1
	isb

	/* Now at the kernel's link address. */
	ldr	x1, =primary_high
	br	x1

primary_high:
	/* From here the kernel runs on SP_EL0 (EL2t) and exceptions on
	 * SP_EL2, as after boot (exception.S): a boot stack overflow hits
	 * its guard page and panics from the boot exception stack. */
	ldr	x1, =boot_exc_stack_top
	mov	sp, x1
	ldr	x1, =boot_stack_top
	msr	sp_el0, x1
	msr	spsel, #0
	mov	x29, xzr
	mov	x30, xzr
	msr	tpidr_el2, xzr		/* no struct cpu yet */
	ldr	x1, =vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	adrp	x1, boot_image_pa
	ldr	x1, [x1, :lo12:boot_image_pa]
	bl	kernel_main
	b	.

/*
 * void arch_ttbr1_switch_idmap(paddr_t root): called at its physical
 * (identity-mapped) address with interrupts masked. Break: TTBR1 walks off
 * (TCR.EPD1) and every EL2&0 TLB entry invalidated; make: the new root,
 * walks back on. Touches no memory: the stack is reached through TTBR1.
 */
	.global	arch_ttbr1_switch_idmap
arch_ttbr1_switch_idmap:
	mrs	x1, tcr_el2
	orr	x2, x1, #TCR_EPD1
	msr	tcr_el2, x2
	isb
	tlbi	alle2
	dsb	ish
	isb
	msr	ttbr1_el2, x0
	isb
	msr	tcr_el2, x1
	isb
	ret

not_el2:
	adrp	x2, boot_stack_top
	add	sp, x2, :lo12:boot_stack_top
	lsr	x0, x1, #2
	bl	boot_wrong_el		/* prints why; does not return */
no_vhe:
	adrp	x2, boot_stack_top
	add	sp, x2, :lo12:boot_stack_top
	bl	boot_no_vhe		/* prints why; does not return */
boot_fail:
	/* Nothing mapped, nothing known: stop. boot_mmu_build printed why. */
	wfe
	b	boot_fail

/* Boot stacks, each above an unmapped guard page (mmu.c leaves the
 * guards out of the kernel's map). */
	.section .bss.stack, "aw", %nobits
	.balign 4096
	.global boot_stack_guard, boot_stack, boot_stack_top
	.global boot_exc_guard, boot_exc_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	KSTACK_SIZE
boot_stack_top:
boot_exc_guard:
	.space	4096
	.space	KSTACK_SIZE
boot_exc_stack_top:
