/* SPDX-License-Identifier: MIT */
/*
 * Program entry of a rift domain (linked with -Wl,-e,_rift_start).
 *
 * Entered like a Linux process: SP points at argc, then argv[], NULL,
 * envp[], NULL, auxv pairs, AT_NULL. rt_init() (libs/rt/init.c) records
 * that SP, finds the IPC buffer, sets up memory and installs the upcall
 * handler; then musl's own _start (crt1) runs with SP exactly as the
 * program was entered, so musl sees an ordinary Linux start.
 */
	.text
	.global _rift_start
	.type _rift_start, %function
	.balign 16
_rift_start:
	mov	x29, #0			/* end of the frame-record chain */
	mov	x30, #0
	mov	x19, sp			/* the entry SP, kept across rt_init */
	mov	x0, sp
	and	x1, x0, #~15		/* the loader keeps SP 16-aligned; be sure */
	mov	sp, x1
	bl	rt_init
	mov	sp, x19
	mov	x0, #0
	b	_start
	.size _rift_start, . - _rift_start

	.section .note.GNU-stack, "", %progbits
