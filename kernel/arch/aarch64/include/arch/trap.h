/* SPDX-License-Identifier: MIT */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TF_X(n) ((n) * 8)
#define TF_SP (31 * 8)
#define TF_ELR (32 * 8)
#define TF_SPSR (33 * 8)
#define TF_ESR (34 * 8)
#define TF_FAR (35 * 8)
#define TF_SIZE (36 * 8)

#ifndef __ASSEMBLER__
#include <rift/types.h>

/** Registers saved on exception entry (layout fixed by exception.S). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");

enum trap_kind {
	TRAP_SYNC,
	TRAP_IRQ,
	TRAP_FIQ,
	TRAP_SERROR,
};

void __noreturn trap_panic(const struct trap_frame *f, const char *why);
const char *trap_ec_name(uint32_t ec);
#endif

#endif
