/* SPDX-License-Identifier: MIT */
/*
 * Barriers for translation-table updates (ARM ARM D8.2, "Translation table
 * maintenance"): a new table page's zeroed entries must be visible before
 * the entry that links it, and new entries before any walk that may use
 * them: DSB ISHST. The kernel's own tables also need an ISB before the
 * kernel itself relies on a new mapping. Host builds use fake/.
 */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

#include <stdbool.h>

static inline void arch_pt_publish(bool kernel_table)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	if (kernel_table) {
		__asm__ volatile("isb" ::: "memory");
	}
}

#endif
