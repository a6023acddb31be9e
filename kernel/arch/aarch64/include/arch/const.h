/* SPDX-License-Identifier: MIT */
/* Constants usable from C, assembly and the linker script alike. */
#ifndef ARCH_CONST_H
#define ARCH_CONST_H
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ull
#endif
#endif
