/* SPDX-License-Identifier: MIT */
/* Host (fake arch) table barriers: a compiler barrier and a counter. */
#ifndef ARCH_FAKE_BARRIER_H
#define ARCH_FAKE_BARRIER_H

#include <stdbool.h>

extern unsigned long fake_pt_publish_count;

static inline void arch_pt_publish(bool kernel_table)
{
	(void)kernel_table;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fake_pt_publish_count++;
}

#endif
