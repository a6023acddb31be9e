/* SPDX-License-Identifier: MIT */
/* The fake architecture's vCPU state (kernel/arch/fake/vcpu.c). */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <rift/types.h>

#define VCPU_SYSREG_FIRST 34
#define VCPU_SYSREGS 27

struct arch_vcpu {
	uint64_t sys[VCPU_SYSREGS];
	uint32_t lr_pending; /**< interrupts "in list registers", not taken */
	uint32_t loads;      /**< times it was loaded */
};

#endif
