/* SPDX-License-Identifier: MIT */
/* The test guest's binary (built by domain.mk), carried inside gvmm. */
#ifndef GUEST_BIN
#error "GUEST_BIN: the path of the test guest's binary"
#endif

__asm__(".section .rodata\n"
	".balign 16\n"
	".global guest_image\n"
	"guest_image:\n"
	".incbin \"" GUEST_BIN "\"\n"
	".global guest_image_end\n"
	"guest_image_end:\n"
	".previous\n");
