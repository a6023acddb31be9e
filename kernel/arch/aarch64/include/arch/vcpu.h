/* SPDX-License-Identifier: MIT */
/* aarch64 vCPU state beyond the trap frame (kernel/arch/aarch64/vcpu.c). */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <rift/types.h>

#define VGIC_MAX_LR 16
/* EL1 registers by RIFT_VREG_* id, from RIFT_VREG_SP_EL1 (34) on. */
#define VCPU_SYSREG_FIRST 34
#define VCPU_SYSREGS 27

struct arch_vcpu {
	uint64_t sys[VCPU_SYSREGS]; /**< saved while not loaded */
	uint64_t lr[VGIC_MAX_LR];   /**< list registers, saved */
	uint64_t vmcr, ap0r0, ap1r0;
	uint64_t hcr;               /**< HCR_EL2 while it runs */
};

#endif
