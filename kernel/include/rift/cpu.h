/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU reaches its own struct cpu through an arch register
 * (TPIDR_EL2 on aarch64): no global "current" anything, so a second CPU
 * needs no rework. Fields are touched only by their own CPU unless noted.
 */
#ifndef RIFT_CPU_H
#define RIFT_CPU_H

#include <rift/bootinfo.h>
#include <rift/types.h>

struct thread;

struct cpu {
	void *kstack_top;  /**< first: the EL0 entry path loads it (SP_EL0) */
	void *exc_stack_top; /**< second: SP_EL2 while the kernel runs */
	uint32_t id;       /**< logical index into cpus[] */
	uint32_t node;     /**< NUMA node */
	uint64_t hwid;     /**< MPIDR */
	bool online;
	uint64_t ticks;    /**< timer interrupts taken */
	struct thread *current;
	bool fp_trapping; /**< EL0 FP/SIMD use traps (lazy switching) */
	struct thread *fp_owner; /**< whose FP/SIMD state is in the registers */
	bool in_guest;    /**< a vCPU runs: lower-EL exceptions are guest exits */
	struct vcpu *vcpu_loaded; /**< whose guest state is in the registers */
	struct domain *user_dom;  /**< whose table is in the user half (TTBR0) */
	uint64_t vttbr;           /**< the guest table loaded (aarch64 VTTBR_EL2) */
};

extern struct cpu cpus[BOOT_MAX_CPUS];

#include <arch/cpu_local.h>

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline uint32_t this_cpu_node(void)
{
	return this_cpu()->node;
}

#endif
