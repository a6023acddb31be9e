/* SPDX-License-Identifier: MIT */
/* Host (fake arch): this CPU's struct cpu is a plain global (one CPU). */
#ifndef ARCH_FAKE_CPU_LOCAL_H
#define ARCH_FAKE_CPU_LOCAL_H

struct cpu;
extern struct cpu *fake_cpu_local;

static inline struct cpu *arch_this_cpu(void)
{
	return fake_cpu_local;
}

#endif
