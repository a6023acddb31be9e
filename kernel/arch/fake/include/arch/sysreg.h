/* SPDX-License-Identifier: MIT */
/*
 * Host (fake arch): the aarch64 register bit definitions without the
 * instructions. Barriers are counted instead of executed, so a host test
 * can see that code on the portable side (pgtable.c) issues them.
 */
#ifndef ARCH_FAKE_SYSREG_H
#define ARCH_FAKE_SYSREG_H

#include <arch/const.h>
#include <stdint.h>

/* The aarch64 header's constants only: its C part is hidden. */
#ifndef __ASSEMBLER__
#define ARCH_FAKE_SYSREG_HIDE
#define __ASSEMBLER__
#endif
#include "../../../aarch64/include/arch/sysreg.h"
#ifdef ARCH_FAKE_SYSREG_HIDE
#undef __ASSEMBLER__
#undef ARCH_FAKE_SYSREG_HIDE
#endif

/** Barriers issued, by kind (weak: tests that link no fake arch). */
__attribute__((weak)) uint64_t fake_barriers[4];
enum { FAKE_ISB, FAKE_DSB_SY, FAKE_DSB_ISH, FAKE_DSB_ISHST };

static inline void isb(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fake_barriers[FAKE_ISB]++;
}

static inline void dsb_sy(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fake_barriers[FAKE_DSB_SY]++;
}

static inline void dsb_ish(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fake_barriers[FAKE_DSB_ISH]++;
}

static inline void dsb_ishst(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fake_barriers[FAKE_DSB_ISHST]++;
}

#endif
