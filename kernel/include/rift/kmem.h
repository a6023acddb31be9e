/* SPDX-License-Identifier: MIT */
/*
 * Kernel memory: the global physical allocator (one per machine, per-node
 * inside), and the pages the kernel's own tables use.
 */
#ifndef RIFT_KMEM_H
#define RIFT_KMEM_H

#include <rift/pmm.h>

extern struct pmm kmem_pmm;

/** Bring up the physical allocator from boot_info; reserves what is in use. */
void kmem_init(paddr_t image_pa, uint64_t image_size);
void kmem_report(void);
void mmu_report(void);
void arch_console_init(void);

#endif
