/* SPDX-License-Identifier: MIT */
/*
 * The seam between the architecture-neutral kernel and kernel/arch/<arch>/.
 * Every function here is implemented once per architecture (aarch64 now,
 * riscv64 later) and, where host tests need it, in kernel/arch/fake/.
 */
#ifndef RIFT_ARCH_H
#define RIFT_ARCH_H

#include <rift/types.h>

struct cpu;

/** Name of the privilege level and extensions the kernel runs with. */
const char *arch_mode_name(void);
/** Identity of the boot CPU (MPIDR on aarch64). */
uint64_t arch_cpu_hwid(void);
void arch_cpu_set_local(struct cpu *c);

void arch_irq_enable(void);
void arch_irq_disable(void);
void arch_wait_for_interrupt(void);
/** Is a physical interrupt pending (while masked)? The preemption test. */
bool arch_irq_pending(void);
/** Make the trapped system call of frame @f run again on return. */
struct trap_frame;
void arch_syscall_restart(struct trap_frame *f);

/**
 * Make [va, va+size) of the linear map, just written through the data side,
 * safe to execute: clean the data cache to the point of unification and
 * invalidate the instruction cache (skipped where CTR_EL0.IDC/DIC say the
 * hardware keeps them coherent).
 */
void arch_cache_sync_exec(const void *va, uint64_t size);
/** Clean [va, va+size) of the linear map to the point of coherency (DC
 * CVAC): what was written through the cache reaches memory. */
void arch_clean_to_poc(const void *va, uint64_t size);
/** Zero page-aligned memory fast (DC ZVA on aarch64). */
void arch_zero_pages(void *va, uint64_t size);
/** Invalidate every user (non-global) TLB entry: an ASID turnover. */
void arch_tlb_flush_all_user(void);
/** ASID width the CPU implements (8 or 16); TCR is set to match. */
uint32_t arch_asid_bits(void);

/** Replace the boot page tables with the kernel's own (linear map etc.). */
void arch_mmu_init(paddr_t image_pa);
/** Allocate and map @c's kernel and exception stacks, with guard pages. */
void arch_kstacks_init(struct cpu *c);
/** Map device registers; returns a kernel VA or NULL. */
void *arch_ioremap(paddr_t pa, uint64_t size);
void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);

void arch_backtrace(uint64_t fp, uint64_t pc);
void __noreturn arch_panic_halt(void);
void __noreturn arch_system_off(void);

/** Interrupt controller and timer set-up from the device tree. */
void arch_irq_init(void);
void arch_timer_init(uint32_t hz);
uint64_t arch_counter(void);
/** The interrupt number of the kernel's tick. */
uint32_t arch_timer_intid(void);
uint64_t arch_counter_freq(void);

#endif
