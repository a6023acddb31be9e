/* SPDX-License-Identifier: MIT */
/* This CPU's struct cpu, from TPIDR_EL2 (set once per CPU at boot). */
#ifndef ARCH_CPU_LOCAL_H
#define ARCH_CPU_LOCAL_H

struct cpu;

static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;

	__asm__("mrs %0, tpidr_el2" : "=r"(c));
	return c;
}

#endif
